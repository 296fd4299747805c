//! Loading rules: from a scenario's `[[fault]]` tables or from a faults file
//! (`cdr-harness run --faults FILE`), with `file:line:column` on every error.

use std::path::Path;

use toml::Spanned;

use super::rules::{build_rule, FaultConfig, FaultFile, FaultsFile, PlacedRule};
use crate::scenario::{line_col, ScenarioError};

/// A faults file that cannot be used (the scenario error type: `path:line:column: message`).
pub type FaultsFileError = ScenarioError;

/// The largest faults file read (a file of rules is small; a huge one is a mistake).
const MAX_FILE_BYTES: u64 = 1 << 20;

/// Checks `[[fault]]` tables written in `text` (the contents of `path`).
pub fn placed_rules(path: &Path, text: &str, tables: &[Spanned<FaultFile>]) -> Result<Vec<PlacedRule>, ScenarioError> {
    tables
        .iter()
        .map(|t| {
            let rule = build_rule(t).map_err(|e| ScenarioError::at(path, text, e.span, e.message))?;
            let (line, _) = line_col(text, t.span().start);
            // The file name, not the whole path: transcripts must not depend on where the
            // checkout lives.
            let name =
                path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
            Ok(PlacedRule { rule, origin: format!("{name}:{line}"), line })
        })
        .collect()
}

/// Reads a faults file: `fault_seed` and `[[fault]]` tables, nothing else.
pub fn load_faults_file(path: &Path) -> Result<FaultConfig, FaultsFileError> {
    let meta = std::fs::metadata(path).map_err(|e| ScenarioError::file(path, format!("cannot read: {e}")))?;
    if !meta.is_file() {
        return Err(ScenarioError::file(path, "not a file: --faults takes a TOML file of [[fault]] tables"));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(ScenarioError::file(
            path,
            format!("{} bytes: a faults file is at most {MAX_FILE_BYTES} bytes", meta.len()),
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| ScenarioError::file(path, format!("cannot read: {e}")))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        ScenarioError::file(
            path,
            format!("not UTF-8 text (byte {}): TOML files are UTF-8", e.utf8_error().valid_up_to()),
        )
    })?;
    let raw: FaultsFile = toml::from_str(&text).map_err(|e| ScenarioError::toml(path, &text, &e))?;
    if raw.fault.is_empty() && raw.fault_seed.is_none() {
        return Err(ScenarioError::file(path, "no [[fault]] tables and no fault_seed: the file asks for nothing"));
    }
    let config = FaultConfig { rules: placed_rules(path, &text, &raw.fault)?, seed: raw.fault_seed };
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_faults_file_loads_with_origins_and_errors_carry_positions() {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("good.toml");
        std::fs::write(&good, "fault_seed = 3\n\n[[fault]]\nkind = \"power_loss\"\ntrack = 1\nsector = 9\n").unwrap();
        let c = load_faults_file(&good).unwrap();
        assert_eq!(c.seed, Some(3));
        assert_eq!(c.rules.len(), 1);
        assert!(c.rules[0].origin.ends_with("good.toml:3"), "{}", c.rules[0].origin);

        let bad = dir.path().join("bad.toml");
        std::fs::write(&bad, "[[fault]]\nkind = \"underrun\"\ntrack = 1\nsector = -1\n").unwrap();
        let e = load_faults_file(&bad).unwrap_err();
        assert_eq!(e.position, Some((4, 10)));
        assert!(e.message.contains("sector = -1"));

        let empty = dir.path().join("empty.toml");
        std::fs::write(&empty, "").unwrap();
        assert!(load_faults_file(&empty).unwrap_err().message.contains("asks for nothing"));
        let unknown = dir.path().join("unknown.toml");
        std::fs::write(&unknown, "seed = 1\n").unwrap();
        assert!(load_faults_file(&unknown).unwrap_err().message.contains("unknown field"));
        assert!(load_faults_file(dir.path()).unwrap_err().message.contains("not a file"));
    }
}
