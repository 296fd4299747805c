//! Reading a TOML file into its serde type with every error reported, not only the first: all
//! syntax errors (the parser recovers and goes on), then the errors of each table of an array
//! of tables (`[[step]]`, `[[fault]]`) taken one by one, then those of the rest of the file.

use std::borrow::Cow;
use std::path::Path;

use serde::de::DeserializeOwned;
use toml::de::{DeTable, DeValue, Deserializer};
use toml::Spanned;

use super::ScenarioError;

/// A document type made of arrays of tables and other keys, whose parts read separately can be
/// put back together.
pub trait Parts: DeserializeOwned {
    /// The keys of its arrays of tables (`[[step]]`, `[[fault]]`).
    const ARRAYS: &'static [&'static str];
    /// Appends the tables of `other`'s arrays to this one's.
    fn absorb(&mut self, other: Self);
}

/// Parses `text` (the contents of `path`) as `T`. On failure the error holds every mistake
/// found: syntax errors, or else one type or key error per table of `T`'s arrays of tables and
/// the first one of the rest of the document.
pub fn document<T: Parts>(path: &Path, text: &str) -> Result<T, ScenarioError> {
    match document_parts(path, text) {
        (Some(v), errors) if errors.is_empty() => Ok(v),
        (_, errors) => {
            Err(ScenarioError::all(path, errors).unwrap_or_else(|| ScenarioError::file(path, "cannot be read as TOML")))
        }
    }
}

/// Like [`document`], but also returns what could be read when some tables are wrong: the rest
/// of the document with the tables that are right (`None` when the rest itself is wrong or the
/// syntax is broken), so that later checks can report their mistakes too.
pub fn document_parts<T: Parts>(path: &Path, text: &str) -> (Option<T>, Vec<ScenarioError>) {
    let first = match toml::from_str::<T>(text) {
        Ok(v) => return (Some(v), Vec::new()),
        Err(e) => ScenarioError::toml(path, text, &e),
    };
    let (table, syntax) = DeTable::parse_recoverable(text);
    if !syntax.is_empty() {
        return (None, syntax.iter().map(|e| ScenarioError::toml(path, text, e)).collect());
    }
    let span = table.span();
    let mut rest = table.into_inner();
    let mut errors = Vec::new();
    let mut items: Vec<(&str, Spanned<DeValue<'_>>)> = Vec::new();
    for key in T::ARRAYS {
        if let Some(v) = rest.remove(*key) {
            match v.get_ref() {
                DeValue::Array(a) => items.extend(a.iter().map(|item| (*key, item.clone()))),
                _ => errors.push(ScenarioError::at(
                    path,
                    text,
                    v.span(),
                    format!("`{key}` is an array of tables: write each as [[{key}]]"),
                )),
            }
        }
    }
    // The rest of the document, with the arrays of tables left out.
    let mut whole = match T::deserialize(Deserializer::from(Spanned::new(span, rest))) {
        Ok(v) => Some(v),
        Err(e) => {
            errors.push(ScenarioError::toml(path, text, &e));
            None
        }
    };
    // Each table on its own: a document holding only that table reports that table's first
    // error. Everything else in that document sits at 0..0, so an error placed before the
    // table's header (such as a missing top-level key) is not its own.
    for (key, item) in items {
        let within = item.span();
        let mut array = toml::de::DeArray::new();
        array.push(item);
        let mut doc = DeTable::new();
        doc.insert(Spanned::new(0..0, Cow::Borrowed(key)), Spanned::new(within.clone(), DeValue::Array(array)));
        match T::deserialize(Deserializer::from(Spanned::new(0..0, doc))) {
            Ok(one) => {
                if let Some(w) = &mut whole {
                    w.absorb(one);
                }
            }
            Err(e) if e.span().is_some_and(|s| s.start >= within.start) => {
                errors.push(ScenarioError::toml(path, text, &e));
            }
            Err(_) => {}
        }
    }
    if errors.is_empty() {
        errors.push(first);
    }
    (whole, errors)
}
