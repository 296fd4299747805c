//! The core burn flow on every built-in media profile: a blank CD-R or CD-RW burns and
//! finalizes with the layout of its ATIP; every other disc is refused by PrepareMedia with the
//! code the spec gives.

use std::path::Path;

use cdr_harness::runner::{run, RunOptions};
use cdr_harness::scenario;
use cdr_sim::profile::{builtin_media, media_by_name};
use rstest::rstest;

const CASES: &[&str] = &[
    "cdr80",
    "cdr80-maxell",
    "cdr80-verbatim-dlp",
    "cdr80-verbatim-ulp",
    "cdr74",
    "cdr74-tdk",
    "cdr74-verbatim",
    "cdr71-psx",
    "cdr21-8cm",
    "cdrw80",
    "cdrw80-used",
    "cdr80-appendable",
    "cdr80-complete",
    "cdr80-upside-down",
    "cdr80-write-protected",
    "cdrom",
    "dvdplusr",
    "dvddashr",
];

/// What PrepareMedia answers for media that cannot be burned.
fn refusal(name: &str) -> Option<&'static str> {
    let m = media_by_name(name).unwrap();
    if !m.media_type.is_writable_cd() {
        Some("E_IMAPI_DF2TAO_MEDIA_IS_NOT_SUPPORTED")
    } else if m.upside_down {
        Some("E_IMAPI_RECORDER_MEDIA_UPSIDE_DOWN")
    } else if m.write_protected {
        Some("E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED")
    } else if m.state != cdr_sim::DiscState::Blank {
        Some("E_IMAPI_DF2TAO_MEDIA_IS_NOT_BLANK")
    } else {
        None
    }
}

fn burn_flow(media: &str) -> String {
    let m = media_by_name(media).unwrap();
    let lpl = m.last_possible_lead_out();
    let prepare = refusal(media).unwrap_or("S_OK");
    let mut text = format!(
        r#"description = "core burn flow on {media}"
[media]
profile = "{media}"

[[step]]
call = "put_Recorder"
expect = "S_OK"

[[step]]
call = "put_ClientName"
args = ["Matrix"]
expect = "S_OK"

[[step]]
call = "PrepareMedia"
expect = "{prepare}"
"#
    );
    if prepare == "S_OK" {
        text += &format!(
            r#"
[[step]]
call = "get_TotalSectorsOnMedia"
expect = "S_OK"
value = {total}

[[step]]
call = "get_FreeSectorsOnMedia"
expect = "S_OK"
value = {free}

[[step]]
call = "AddAudioTrack"
track = {{ sectors = 600 }}
expect = "S_OK"

[[step]]
call = "get_FreeSectorsOnMedia"
expect = "S_OK"
value = {after}

[[step]]
call = "ReleaseMedia"
expect = "S_OK"

[expect_disc]
status = "complete"
tracks = [{{ start = 0, sectors = 600 }}]
lead_out = 602
"#,
            total = lpl + 150,
            free = lpl - 2,
            after = lpl - 2 - 752,
        );
    }
    text
}

#[test]
fn the_matrix_covers_every_builtin_medium() {
    let mut names: Vec<String> = builtin_media().into_iter().map(|m| m.name).collect();
    names.sort();
    let mut cases: Vec<String> = CASES.iter().map(|s| s.to_string()).collect();
    cases.sort();
    assert_eq!(names, cases, "add new built-in media to CASES");
}

#[rstest]
fn core_burn_flow(
    #[values(
        "cdr80",
        "cdr80-maxell",
        "cdr80-verbatim-dlp",
        "cdr80-verbatim-ulp",
        "cdr74",
        "cdr74-tdk",
        "cdr74-verbatim",
        "cdr71-psx",
        "cdr21-8cm",
        "cdrw80",
        "cdrw80-used",
        "cdr80-appendable",
        "cdr80-complete",
        "cdr80-upside-down",
        "cdr80-write-protected",
        "cdrom",
        "dvdplusr",
        "dvddashr"
    )]
    media: &str,
) {
    assert!(CASES.contains(&media));
    let text = burn_flow(media);
    let s = scenario::parse(Path::new("matrix.toml"), &text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let t = run(&s, &RunOptions::default()).unwrap();
    assert!(t.passed, "{media}: {:#?}", t.failures);
    if refusal(media).is_some() {
        // Refused: nothing changed on the disc.
        let before = media_by_name(media).unwrap();
        let after = t.disc.media.as_ref().expect("the disc is still in the tray");
        assert_eq!(after.status, before.state, "{media}");
        assert_eq!(after.tracks.len(), before.tracks.len(), "{media}");
    }
}
