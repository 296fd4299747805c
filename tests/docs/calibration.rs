//! The calibration table of the format reference: a row for every setting a transcript shows
//! under `[environment.drive.calibration]`, with its default.

use cdr_sim::Calibration;

use crate::markdown::section;
use crate::reference::{keys_of, reference};

/// The rows of the calibration table: (setting, default as written, without backticks).
fn rows() -> Vec<(String, String)> {
    let text = reference();
    let table = section(&text, "## Calibration");
    let rows: Vec<(String, String)> = table
        .lines()
        .filter(|l| l.starts_with("| `"))
        .map(|l| {
            let cells: Vec<&str> = l.trim_matches('|').split('|').map(str::trim).collect();
            (cells[0].trim_matches('`').to_string(), cells[1].trim_matches('`').to_string())
        })
        .collect();
    assert!(rows.len() >= 15, "only {} rows in the calibration table", rows.len());
    rows
}

/// Every setting with its default, as a transcript writes it (TOML values).
fn defaults() -> toml::Table {
    toml::Table::try_from(Calibration::default()).expect("the calibration serialises as a table")
}

#[test]
fn every_calibration_setting_has_a_row() {
    let rows = rows();
    let mut settings: Vec<String> = defaults().keys().cloned().collect();
    settings.extend(keys_of::<Calibration>());
    let missing: Vec<&String> = settings.iter().filter(|s| !rows.iter().any(|(k, _)| k == *s)).collect();
    assert!(missing.is_empty(), "calibration settings without a row in docs/reference/scenario-format.md: {missing:?}");
}

/// Ignored until the simulator follows the revised behaviour reference: the table already gives
/// the revised defaults (`short_track`, `requested_speed_after_prepare`,
/// `rejected_nested_add_clears_writing`, and `is_current_media_supported_no_media = "false"`).
#[test]
fn every_row_gives_the_simulators_default() {
    let defaults = defaults();
    let mut wrong = Vec::new();
    for (key, written) in rows() {
        match defaults.get(&key) {
            Some(value) => {
                // The value as a scenario would write it, read by the parser.
                let documented = toml::from_str::<Calibration>(&format!("{key} = {written}"))
                    .map_err(|e| e.to_string())
                    .and_then(|c| toml::Table::try_from(c).map_err(|e| e.to_string()))
                    .map(|t| t[&key].clone());
                match documented {
                    Ok(d) if &d == value => {}
                    Ok(d) => wrong.push(format!("`{key}`: the table says {d}, the simulator's default is {value}")),
                    Err(e) => wrong.push(format!("`{key}`: the table's {written} does not parse: {e}")),
                }
            }
            None if written == "(replaced)" => {
                let err = toml::from_str::<Calibration>(&format!("{key} = true")).map(|_| ()).unwrap_err();
                if !err.to_string().contains("replaced by") {
                    wrong.push(format!("`{key}` is marked replaced, but the parser says: {err}"));
                }
            }
            None => wrong.push(format!("`{key}`: no such setting")),
        }
    }
    assert!(wrong.is_empty(), "docs/reference/scenario-format.md, Calibration:\n{}", wrong.join("\n"));
}
