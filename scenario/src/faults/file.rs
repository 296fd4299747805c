//! Loading rules: from a scenario's `[[fault]]` tables or from a faults file
//! (`cdr-harness run --faults FILE`), with `file:line:column` on every error.

use std::path::Path;

use toml::Spanned;

use super::rules::{build_rule, FaultConfig, FaultFile, FaultsFile, PlacedRule};
use crate::document::{line_col, ScenarioError};

/// A faults file that cannot be used (the scenario error type: `path:line:column: message`).
pub type FaultsFileError = ScenarioError;

/// The largest faults file read (a file of rules is small; a huge one is a mistake).
const MAX_FILE_BYTES: u64 = 1 << 20;

/// Checks `[[fault]]` tables written in `text` (the contents of `path`).
/// Every table is checked; the error holds each one that is wrong.
pub fn placed_rules(path: &Path, text: &str, tables: &[Spanned<FaultFile>]) -> Result<Vec<PlacedRule>, ScenarioError> {
    let mut rules = Vec::with_capacity(tables.len());
    let mut errors = Vec::new();
    for t in tables {
        match build_rule(t) {
            Ok(rule) => {
                let (line, _) = line_col(text, t.span().start);
                // The file name, not the whole path: transcripts must not depend on where the
                // checkout lives.
                let name =
                    path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
                rules.push(PlacedRule { rule, origin: format!("{name}:{line}"), line });
            }
            Err(e) => errors.push(ScenarioError::at(path, text, e.span, e.message)),
        }
    }
    match ScenarioError::all(path, errors) {
        Some(e) => Err(e),
        None => Ok(rules),
    }
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
    let raw: FaultsFile = crate::document::document(path, &text)?;
    if raw.fault.is_empty() && raw.fault_seed.is_none() {
        return Err(ScenarioError::file(path, "no [[fault]] tables and no fault_seed: the file asks for nothing"));
    }
    let config = FaultConfig {
        rules: placed_rules(path, &text, &raw.fault)?,
        seed: raw.fault_seed.as_ref().map(|s| *s.get_ref()),
    };
    // A seed with no random rule would do nothing: said here, at its line in this file, not
    // later in the name of each scenario it is added to.
    if let Some(seed) = &raw.fault_seed {
        if !config.has_random() {
            return Err(ScenarioError::at(
                path,
                &text,
                seed.span(),
                "fault_seed is set but no [[fault]] in this file has kind = \"random\": the seed would do nothing \
                 (add a [[fault]] with kind = \"random\" and a rate, or remove fault_seed)",
            ));
        }
    }
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_faults_file_loads_with_origins_and_errors_carry_positions() {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("good.toml");
        std::fs::write(
            &good,
            "fault_seed = 3\n\n[[fault]]\nkind = \"power_loss\"\ntrack = 1\nsector = 9\n\n[[fault]]\nkind = \"random\"\nrate = 0.1\n",
        )
        .unwrap();
        let c = load_faults_file(&good).unwrap();
        assert_eq!(c.seed, Some(3));
        assert_eq!(c.rules.len(), 2);

        let idle_seed = dir.path().join("idle-seed.toml");
        std::fs::write(&idle_seed, "# lab faults\nfault_seed = 3\n").unwrap();
        let e = load_faults_file(&idle_seed).unwrap_err();
        assert_eq!((e.path.as_path(), e.position), (idle_seed.as_path(), Some((2, 14))), "{e}");
        assert!(e.message.contains("no [[fault]] in this file has kind = \"random\""), "{e}");

        let two_bad = dir.path().join("two-bad.toml");
        std::fs::write(&two_bad, "[[fault]]\nkind = \"fail_call\"\ncall = \"PrepareMedai\"\n[[fault]]\nkind = \"underrun\"\ntrack = 1\nsector = -1\n").unwrap();
        let e = load_faults_file(&two_bad).unwrap_err();
        assert_eq!(e.count(), 2, "{e}");
        assert_eq!((e.position, e.also[0].position), (Some((3, 8)), Some((7, 10))), "{e}");
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
