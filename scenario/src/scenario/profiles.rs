//! Drive and media profiles of a scenario: a built-in name, a path to a profile file, or a
//! table of keys overriding one (`profile = "..."` inside it, else the default). Overrides are
//! merged into the profile as TOML tables and the result is deserialized into
//! [`DriveProfile`] / [`MediaProfile`], key by key, so an unknown key or a value of the wrong
//! type is reported where it was written.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use cdr_sim::profile::{self, DEFAULT_DRIVE, DEFAULT_MEDIA, EMPTY_TRAY};
use cdr_sim::{DriveProfile, MediaProfile};
use serde::de::DeserializeOwned;
use serde::Serialize;
use toml::Spanned;

use super::node::{set_path, Node};
use crate::document::ScenarioError;

/// A profile as resolved, with a label saying where it came from for transcripts: `default`,
/// `../drives/lab.toml`, `cdr80 + inline (calibration.short_track)`.
#[derive(Clone, Debug, PartialEq)]
pub struct Resolved<T> {
    /// The profile.
    pub profile: T,
    /// Where it came from.
    pub label: String,
}

/// What differs between drive and media profiles for resolution.
trait Kind: Serialize + DeserializeOwned + Clone {
    const WHAT: &'static str;
    const DEFAULT: &'static str;
    fn builtin(name: &str) -> Option<Self>;
    fn builtin_names() -> Vec<String>;
    fn check(&self) -> Result<(), String>;
}

impl Kind for DriveProfile {
    const WHAT: &'static str = "drive";
    const DEFAULT: &'static str = DEFAULT_DRIVE;
    fn builtin(name: &str) -> Option<Self> {
        profile::drive_by_name(name)
    }
    fn builtin_names() -> Vec<String> {
        profile::builtin_drives().into_iter().map(|d| d.name).collect()
    }
    fn check(&self) -> Result<(), String> {
        Ok(())
    }
}

impl Kind for MediaProfile {
    const WHAT: &'static str = "media";
    const DEFAULT: &'static str = DEFAULT_MEDIA;
    fn builtin(name: &str) -> Option<Self> {
        profile::media_by_name(name)
    }
    fn builtin_names() -> Vec<String> {
        let mut names: Vec<String> = profile::builtin_media().into_iter().map(|m| m.name).collect();
        names.push(EMPTY_TRAY.into());
        names
    }
    fn check(&self) -> Result<(), String> {
        self.validate()
    }
}

/// Where a profile reference is written: the file, its text, and the span of the reference.
struct Site<'a> {
    file: &'a Path,
    text: &'a str,
}

impl Site<'_> {
    fn err(&self, span: std::ops::Range<usize>, message: impl Into<String>) -> ScenarioError {
        ScenarioError::at(self.file, self.text, span, message)
    }
}

/// Nesting limit of profile files that name other profile files (a cycle is an error).
const MAX_DEPTH: usize = 8;

/// The drive of a scenario: `section` is its `[drive]` table or a name / path string.
pub fn drive(
    section: Option<&Spanned<Node>>,
    file: &Path,
    text: &str,
) -> Result<Resolved<DriveProfile>, ScenarioError> {
    match section {
        None => Ok(Resolved {
            profile: DriveProfile::builtin(DEFAULT_DRIVE).expect("built-in"),
            label: DEFAULT_DRIVE.into(),
        }),
        Some(node) => resolve(node, &Site { file, text }, 0),
    }
}

/// A disc for the tray: the `[media]` section or an `insert` value. `None` is the empty tray
/// (`"none"`); no section at all is the default blank CD-R.
pub fn media(
    section: Option<&Spanned<Node>>,
    file: &Path,
    text: &str,
) -> Result<Resolved<Option<MediaProfile>>, ScenarioError> {
    let site = Site { file, text };
    let Some(node) = section else {
        let m = MediaProfile::builtin(DEFAULT_MEDIA).expect("built-in");
        return Ok(Resolved { profile: Some(m), label: DEFAULT_MEDIA.into() });
    };
    let empty = |label: &str| Ok(Resolved { profile: None, label: label.to_string() });
    match node.get_ref() {
        Node::Leaf(toml::Value::String(s)) if s == EMPTY_TRAY => return empty(EMPTY_TRAY),
        Node::Table(t) => {
            if let Some(p) = t.get("profile") {
                if matches!(p.get_ref(), Node::Leaf(toml::Value::String(s)) if s == EMPTY_TRAY) {
                    if let Some((k, v)) = t.iter().find(|(k, _)| *k != "profile") {
                        return Err(
                            site.err(v.span(), format!("`{k}` cannot describe an empty tray (profile = \"none\")"))
                        );
                    }
                    return empty(EMPTY_TRAY);
                }
            }
        }
        _ => {}
    }
    let r: Resolved<MediaProfile> = resolve(node, &site, 0)?;
    Ok(Resolved { profile: Some(r.profile), label: r.label })
}

fn resolve<T: Kind>(node: &Spanned<Node>, site: &Site<'_>, depth: usize) -> Result<Resolved<T>, ScenarioError> {
    let r: Resolved<T> = match node.get_ref() {
        Node::Leaf(toml::Value::String(name)) => by_reference(name, node.span(), site, depth)?,
        Node::Leaf(other) => {
            return Err(site.err(
                node.span(),
                format!(
                    "expected a {what} profile name, a path to a {what} file, or a table of keys, found {}",
                    other.type_str(),
                    what = T::WHAT
                ),
            ))
        }
        Node::Table(table) => with_overrides(table, site, depth)?,
    };
    r.profile.check().map_err(|e| site.err(node.span(), e))?;
    Ok(r)
}

fn with_overrides<T: Kind>(
    table: &BTreeMap<String, Spanned<Node>>,
    site: &Site<'_>,
    depth: usize,
) -> Result<Resolved<T>, ScenarioError> {
    let base = match table.get("profile") {
        Some(p) => match p.get_ref() {
            Node::Leaf(toml::Value::String(name)) => by_reference(name, p.span(), site, depth)?,
            _ => return Err(site.err(p.span(), format!("`profile` must be a {} profile name or a path", T::WHAT))),
        },
        None => Resolved { profile: T::builtin(T::DEFAULT).expect("built-in"), label: T::DEFAULT.to_string() },
    };
    let overrides: BTreeMap<String, Spanned<Node>> =
        table.iter().filter(|(k, _)| *k != "profile").map(|(k, v)| (k.clone(), v.clone())).collect();
    if overrides.is_empty() {
        return Ok(base);
    }
    let mut root = toml::Table::try_from(&base.profile).expect("a profile serialises to a table");
    let leaves = Node::leaves(&overrides, &root);
    let mut keys = Vec::new();
    for leaf in leaves {
        let key = leaf.path.join(".");
        set_path(&mut root, &leaf.path, leaf.value);
        if let Err(e) = toml::Value::Table(root.clone()).try_into::<T>() {
            return Err(site.err(leaf.span, format!("{} key `{key}`: {}", T::WHAT, e.message().trim())));
        }
        keys.push(key);
    }
    let profile = toml::Value::Table(root).try_into::<T>().expect("checked key by key");
    Ok(Resolved { profile, label: format!("{} + inline ({})", base.label, keys.join(", ")) })
}

fn by_reference<T: Kind>(
    name: &str,
    span: std::ops::Range<usize>,
    site: &Site<'_>,
    depth: usize,
) -> Result<Resolved<T>, ScenarioError> {
    if let Some(p) = T::builtin(name) {
        return Ok(Resolved { profile: p, label: name.to_string() });
    }
    let looks_like_path = name.ends_with(".toml") || name.contains('/') || name.contains('\\');
    if !looks_like_path {
        return Err(site.err(
            span,
            format!(
                "unknown {what} profile `{name}`: expected a built-in one ({}) or a path to a {what} file ending in .toml",
                T::builtin_names().join(", "),
                what = T::WHAT
            ),
        ));
    }
    let path = site.file.parent().unwrap_or(Path::new("")).join(name);
    if depth >= MAX_DEPTH {
        return Err(site.err(span, format!("{} profile files nest more than {MAX_DEPTH} deep (a cycle?)", T::WHAT)));
    }
    let text = std::fs::read_to_string(&path).map_err(|e| {
        site.err(span.clone(), format!("cannot read {} profile file `{}`: {e}", T::WHAT, path.display()))
    })?;
    let profile = from_file::<T>(&path, &text, depth + 1)?;
    Ok(Resolved { profile, label: name.to_string() })
}

/// A profile file: the keys of a profile, or `profile = "..."` and keys overriding it. A file
/// without `name` is named after its stem.
fn from_file<T: Kind>(path: &Path, text: &str, depth: usize) -> Result<T, ScenarioError> {
    let mut table: BTreeMap<String, Spanned<Node>> =
        toml::from_str(text).map_err(|e| ScenarioError::toml(path, text, &e))?;
    let site = Site { file: path, text };
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    if table.contains_key("profile") {
        if !table.contains_key("name") {
            let span = table["profile"].span();
            table.insert("name".into(), Spanned::new(span, Node::Leaf(toml::Value::String(stem))));
        }
        return Ok(with_overrides::<T>(&table, &site, depth)?.profile);
    }
    // A complete profile: check key by key on top of the default for positions, then the file
    // alone for missing keys.
    let mut base = T::builtin(T::DEFAULT).expect("built-in");
    let mut root = toml::Table::try_from(&base).expect("a profile serialises to a table");
    root.insert("name".into(), toml::Value::String(stem.clone()));
    for leaf in Node::leaves(&table, &root) {
        let key = leaf.path.join(".");
        set_path(&mut root, &leaf.path, leaf.value);
        if let Err(e) = toml::Value::Table(root.clone()).try_into::<T>() {
            return Err(site.err(leaf.span, format!("{} key `{key}`: {}", T::WHAT, e.message().trim())));
        }
    }
    let mut own = toml::Value::Table(table.iter().map(|(k, v)| (k.clone(), v.get_ref().to_value())).collect());
    if let Some(t) = own.as_table_mut() {
        t.entry("name").or_insert(toml::Value::String(stem));
    }
    base = own.try_into::<T>().map_err(|e| {
        ScenarioError::file(
            path,
            format!(
                "{} (a {what} file gives every required key, or starts from another with `profile = \"...\"`)",
                e.message().trim(),
                what = T::WHAT
            ),
        )
    })?;
    base.check().map_err(|e| ScenarioError::file(path, e))?;
    Ok(base)
}

/// The directory a relative path in `file` is resolved against.
pub fn base_dir(file: &Path) -> PathBuf {
    file.parent().map(Path::to_path_buf).unwrap_or_default()
}
