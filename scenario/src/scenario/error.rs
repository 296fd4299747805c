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
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let message = clip(&self.message);
        match self.position {
            Some((line, column)) => write!(f, "{}:{line}:{column}: {message}", self.path.display()),
            None => write!(f, "{}: {message}", self.path.display()),
        }
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
        ScenarioError { path: path.to_path_buf(), position: None, message: message.into() }
    }

    /// An error at byte range `span` of `text`, the contents of `path`.
    pub fn at(path: &Path, text: &str, span: Range<usize>, message: impl Into<String>) -> ScenarioError {
        ScenarioError { path: path.to_path_buf(), position: Some(line_col(text, span.start)), message: message.into() }
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
