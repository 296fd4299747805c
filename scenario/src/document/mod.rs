//! Reading TOML documents with positions: the error that names file, line and column, and the
//! reader that reports every mistake of a document at once. Scenario files, fault files and
//! disc files all read through it.

mod error;
mod read;

pub use error::{line_col, ScenarioError};
pub use read::{document, document_parts, Parts};
