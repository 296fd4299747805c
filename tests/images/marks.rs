//! `run --image` marks a track a fault cut (damaged) and a track CancelAddTrack stopped
//! (cancelled) in the text TOC and in the SVG picture, with the meaning of each mark.

use std::path::PathBuf;

fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/scenarios").join(rel)
}

#[test]
fn damaged_and_cancelled_tracks_are_marked_in_the_toc_and_the_picture() {
    let out = tempfile::tempdir().unwrap();
    crate::support::harness()
        .arg("run")
        .arg(fixture("faults/underrun-unprotected.toml"))
        .arg(fixture("cancel/from-handler.toml"))
        .arg(fixture("burn/two-tracks.toml"))
        .arg("--image")
        .arg(out.path())
        .assert()
        .success();
    let read = |name: &str| std::fs::read_to_string(out.path().join(name)).unwrap();

    let toc = read("underrun-unprotected.toc.txt");
    let track1 = toc.lines().find(|l| l.trim_start().starts_with("1 ")).unwrap();
    assert!(track1.ends_with("  DAMAGED"), "{toc}");
    assert!(toc.contains("DAMAGED: a fault cut the write"), "{toc}");
    let svg = read("underrun-unprotected.svg");
    assert!(svg.contains("<title>track 1 (damaged: a fault cut the write"), "{svg}");
    assert!(svg.contains(r##"fill="#dc2626" stroke"##) && svg.contains(">damaged track</text>"), "{svg}");

    let toc = read("from-handler.toc.txt");
    assert!(toc.lines().any(|l| l.trim_start().starts_with("1 ") && l.ends_with("  CANCELLED")), "{toc}");
    assert!(toc.contains("CANCELLED: CancelAddTrack stopped the write"), "{toc}");
    let svg = read("from-handler.svg");
    assert!(svg.contains("(cancelled: CancelAddTrack stopped the write") && svg.contains(">cancelled track</text>"));

    let toc = read("two-tracks.toc.txt");
    assert!(!toc.contains("DAMAGED") && !toc.contains("CANCELLED"), "a clean burn has no marks: {toc}");
    let svg = read("two-tracks.svg");
    assert!(!svg.contains("damaged") && !svg.contains("cancelled"), "{svg}");
}
