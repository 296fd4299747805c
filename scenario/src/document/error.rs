//! Errors of loading a scenario: each names the file, and the line and column where it can.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// A scenario (or a file it refers to) that cannot be used. Displayed as
/// `path:line:column: message`, or `path: message` when no position applies.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ScenarioError {
    /// The file at fault: the scenario, or a drive, media or audio file it refers to.
    pub path: PathBuf,
    /// 1-based line and column, when the fault is at a place in a TOML file.
    pub position: Option<(usize, usize)>,
    /// What is wrong and what was expected.
    pub message: String,
    /// Further errors found in the same file (or files it refers to), in file order: a file is
    /// checked as a whole so that one run shows every mistake, up to [`MAX_ERRORS`] in all.
    pub also: Vec<ScenarioError>,
}

/// The most errors reported for one file; past it the report says how many more there were.
pub const MAX_ERRORS: usize = 20;

impl fmt::Display for ScenarioError {
    /// The first error, then each further one on its own line, all as `path:line:column: message`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_one(f)?;
        let shown = self.also.len().min(MAX_ERRORS - 1);
        for e in &self.also[..shown] {
            f.write_str("\n")?;
            e.fmt_one(f)?;
        }
        if self.also.len() > shown {
            write!(f, "\n{}: ... and {} more errors", self.path.display(), self.also.len() - shown)?;
        }
        Ok(())
    }
}

/// A message as shown: at most 2,000 characters (a message quoting a hostile file's 10 MB key
/// or string says how much it left out instead of printing it).
fn clip(message: &str) -> std::borrow::Cow<'_, str> {
    const KEEP: usize = 2_000;
    match message.char_indices().nth(KEEP) {
        None => message.into(),
        Some((cut, _)) => format!("{}... ({} more bytes)", &message[..cut], message.len() - cut).into(),
    }
}

impl ScenarioError {
    /// An error about a whole file (unreadable, missing).
    pub fn file(path: &Path, message: impl Into<String>) -> ScenarioError {
        ScenarioError { path: path.to_path_buf(), position: None, message: message.into(), also: Vec::new() }
    }

    /// An error at byte range `span` of `text`, the contents of `path`.
    pub fn at(path: &Path, text: &str, span: Range<usize>, message: impl Into<String>) -> ScenarioError {
        ScenarioError::at_position(path, line_col(text, span.start), message)
    }

    /// An error at 1-based `(line, column)` of `path`.
    pub fn at_position(path: &Path, position: (usize, usize), message: impl Into<String>) -> ScenarioError {
        ScenarioError { path: path.to_path_buf(), position: Some(position), message: message.into(), also: Vec::new() }
    }

    /// Every error of `errors` as one: the first carries the others in `also`, in the order of
    /// their position in `path` (errors in other files it refers to come after). `None` when
    /// there are none.
    pub fn all(path: &Path, errors: Vec<ScenarioError>) -> Option<ScenarioError> {
        let mut flat: Vec<ScenarioError> = Vec::with_capacity(errors.len());
        for mut e in errors {
            let also = std::mem::take(&mut e.also);
            flat.push(e);
            flat.extend(also);
        }
        flat.sort_by_key(|e| (e.path != path, e.position));
        flat.dedup();
        let mut rest = flat.into_iter();
        let mut first = rest.next()?;
        first.also = rest.collect();
        Some(first)
    }

    /// How many errors this holds (itself and `also`).
    pub fn count(&self) -> usize {
        1 + self.also.len()
    }

    fn fmt_one(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let message = clip(&self.message);
        match self.position {
            Some((line, column)) => write!(f, "{}:{line}:{column}: {message}", self.path.display()),
            None => write!(f, "{}: {message}", self.path.display()),
        }
    }

    /// A TOML parse or type error of `text`, the contents of `path`.
    pub fn toml(path: &Path, text: &str, err: &toml::de::Error) -> ScenarioError {
        let message = err.message().trim().to_string();
        match err.span() {
            Some(span) => ScenarioError::at(path, text, span, message),
            None => ScenarioError::file(path, message),
        }
    }
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..text.floor_char_boundary_compat(offset)];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, column)
}

trait FloorCharBoundary {
    fn floor_char_boundary_compat(&self, index: usize) -> usize;
}

impl FloorCharBoundary for str {
    fn floor_char_boundary_compat(&self, mut index: usize) -> usize {
        while index > 0 && !self.is_char_boundary(index) {
            index -= 1;
        }
        index
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based() {
        let text = "a = 1\nbb = 2\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 6), (2, 1));
        assert_eq!(line_col(text, 11), (2, 6));
        let e = ScenarioError::at(Path::new("x.toml"), text, 6..8, "bad");
        assert_eq!(e.to_string(), "x.toml:2:1: bad");
    }
}
