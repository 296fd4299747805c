//! The defaults the format reference gives for the drive keys are those of the built-in
//! `default` drive.

use cdr_sim::profile::{drive_by_name, DEFAULT_DRIVE};

use crate::markdown::section;
use crate::reference::reference;

/// Ignored until the simulator follows the revised behaviour reference: the table already gives
/// the revised defaults (`update_interval_ms = 500`, `tao_detection = "feature"`).
#[test]
fn the_drive_table_gives_the_default_drives_values() {
    let default = toml::Table::try_from(drive_by_name(DEFAULT_DRIVE).expect("the default drive")).unwrap();
    let text = reference();
    let mut compared = 0;
    let mut wrong = Vec::new();
    for line in section(&text, "## Drive").lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        let key = cells[0].trim_matches('`');
        let written = cells[2].trim_matches('`');
        // Cells in words ("CD-R 4..48x, ...") describe rather than state a TOML value.
        let Ok(parsed) = toml::from_str::<toml::Table>(&format!("v = {written}")) else { continue };
        let Some(actual) = default.get(key) else {
            if key != "profile" {
                wrong.push(format!("`{key}`: the default drive has no such key"));
            }
            continue;
        };
        compared += 1;
        if &parsed["v"] != actual {
            wrong.push(format!("`{key}`: the table says {written}, the default drive has {actual}"));
        }
    }
    assert!(compared >= 9, "only {compared} defaults compared");
    assert!(wrong.is_empty(), "docs/reference/scenario-format.md, Drive:\n{}", wrong.join("\n"));
}
