//! The format reference (`docs/reference/scenario-format.md`) names every key the parser accepts,
//! each in the table of its section, and every call a step can make.

use cdr_scenario::call::Call;
use cdr_scenario::faults::rules::FaultFile;
use cdr_scenario::scenario::file::{
    DuringFile, EventExpect, ExpectDiscFile, ExpectTrackFile, ScenarioFile, StepFile, TrackFile, WhenFile,
};
use cdr_sim::{Calibration, DriveProfile, MediaProfile};
use serde::de::DeserializeOwned;

use crate::markdown::{first_cells, root, section};

/// The format reference's text.
pub fn reference() -> String {
    std::fs::read_to_string(root().join("docs/reference/scenario-format.md")).expect("the format reference")
}

/// The keys a serde type accepts, read from the parser itself: the error for an unknown key
/// lists them ("unknown field `x`, expected one of `a`, `b`").
pub fn keys_of<T: DeserializeOwned>() -> Vec<String> {
    let err = match toml::from_str::<T>("zz_not_a_key = 0\n") {
        Ok(_) => panic!("{} accepted an unknown key", std::any::type_name::<T>()),
        Err(e) => e.to_string(),
    };
    let expected = err
        .split_once("expected")
        .unwrap_or_else(|| panic!("{}: no list of keys in {err:?}", std::any::type_name::<T>()))
        .1;
    let keys: Vec<String> = expected.split('`').skip(1).step_by(2).map(str::to_string).collect();
    assert!(!keys.is_empty(), "{}: no keys in {err:?}", std::any::type_name::<T>());
    keys
}

/// True when `key` is a word of one of `cells` (a table row's first cell).
fn named_in(cells: &[String], key: &str) -> bool {
    cells.iter().any(|c| c.split(|ch: char| !(ch.is_alphanumeric() || ch == '_')).any(|w| w == key))
}

#[test]
fn every_key_the_parser_accepts_is_in_its_section_of_the_reference() {
    let text = reference();
    let sections: Vec<(&str, &str, Vec<String>)> = vec![
        ("## Top level", "ScenarioFile", keys_of::<ScenarioFile>()),
        ("## Drive", "DriveProfile", keys_of::<DriveProfile>()),
        ("## Media", "MediaProfile", keys_of::<MediaProfile>()),
        ("## Steps", "StepFile", keys_of::<StepFile>()),
        ("### Track sources", "TrackFile", keys_of::<TrackFile>()),
        ("## During", "DuringFile", keys_of::<DuringFile>()),
        ("## During", "WhenFile", keys_of::<WhenFile>()),
        ("## During", "EventExpect", keys_of::<EventExpect>()),
        ("## Expected disc", "ExpectDiscFile", keys_of::<ExpectDiscFile>()),
        ("## Expected disc", "ExpectTrackFile", keys_of::<ExpectTrackFile>()),
        ("## Faults", "FaultFile", keys_of::<FaultFile>()),
        ("## Calibration", "Calibration", keys_of::<Calibration>()),
    ];
    let mut missing = Vec::new();
    for (heading, ty, keys) in &sections {
        let cells = first_cells(section(&text, heading));
        for key in keys {
            if !named_in(&cells, key) {
                missing.push(format!("`{key}` ({ty}) is in no table row of section `{heading}`"));
            }
        }
    }
    assert!(missing.is_empty(), "docs/reference/scenario-format.md misses keys:\n{}", missing.join("\n"));
}

#[test]
fn every_call_is_named_in_the_reference() {
    let text = reference();
    let calls = section(&text, "### Calls");
    let missing: Vec<&str> =
        Call::ALL.iter().map(|c| c.name()).filter(|n| !calls.contains(&format!("`{n}`"))).collect();
    assert!(missing.is_empty(), "calls missing from docs/reference/scenario-format.md, Calls: {missing:?}");
}

#[test]
fn keys_are_read_from_the_parser() {
    let keys = keys_of::<TrackFile>();
    assert_eq!(keys, ["sectors", "seconds", "bytes", "file", "raw"]);
    let cells = vec!["`{ file = \"x.bin\", raw = true }`".to_string()];
    assert!(named_in(&cells, "raw") && named_in(&cells, "file") && !named_in(&cells, "bin_file"));
}
