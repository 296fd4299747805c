//! ARCHITECTURE.md's rule for modules holds: `tools/module-cycles` finds no import cycle between
//! sibling modules of any crate outside the tool's commented allow-list (the cycles that mirror
//! COM itself: the event sink receives its source object).

use std::path::Path;
use std::process::{Command, Output};

use crate::markdown::root;

/// Runs `tools/module-cycles` with `args` (crate directories; none for the whole workspace).
fn module_cycles(args: &[&Path]) -> Output {
    Command::new("python3")
        .arg(root().join("tools").join("module-cycles"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("python3 runs tools/module-cycles")
}

#[test]
fn no_crate_has_an_import_cycle_outside_the_allow_list() {
    let out = module_cycles(&[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "tools/module-cycles found import cycles:\n{stdout}{stderr}");
    assert!(stdout.contains("0 cycle(s) outside the allowed ones"), "unexpected output:\n{stdout}{stderr}");
}

#[test]
fn the_checker_fails_on_a_cycle_that_is_not_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("sim").join("src");
    std::fs::create_dir_all(src.join("contract")).unwrap();
    let files = [
        ("lib.rs", "mod contract;\nmod drive;\nmod fault;\n"),
        ("drive.rs", "use crate::fault::Faults;\npub(crate) fn lock() {}\n"),
        ("fault.rs", "use super::drive::lock;\npub(crate) struct Faults;\n"),
        ("contract/mod.rs", "mod events;\nmod format;\n"),
        ("contract/events.rs", "use super::format::Format;\npub trait Sink {}\n"),
        ("contract/format.rs", "use super::events::Sink;\npub trait Format {}\n"),
    ];
    for (name, text) in files {
        std::fs::write(src.join(name), text).unwrap();
    }
    let out = module_cycles(&[&dir.path().join("sim")]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("cycle between drive, fault"), "{stdout}");
    assert!(stdout.contains("allowed cycle between contract::events, contract::format"), "{stdout}");
    assert!(stdout.contains("1 cycle(s) outside the allowed ones"), "{stdout}");

    // Without the drive/fault cycle only the allowed one is left.
    std::fs::write(src.join("fault.rs"), "pub(crate) struct Faults;\n").unwrap();
    let out = module_cycles(&[&dir.path().join("sim")]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
}
