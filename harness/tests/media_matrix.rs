//! The core burn flow on every built-in media profile: a blank CD-R or CD-RW burns and
//! finalizes with the layout of its ATIP; every other disc is refused by PrepareMedia with the
//! code the spec gives.

use std::path::Path;

use cdr_harness::runner::{run, RunOptions};
use cdr_harness::scenario;
use cdr_sim::profile::{builtin_media, media_by_name};

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

/// The flow on one medium; what went wrong, if anything.
fn check(media: &str) -> Result<(), String> {
    let text = burn_flow(media);
    let s = scenario::parse(Path::new("matrix.toml"), &text).map_err(|e| format!("{e}\n{text}"))?;
    let t = run(&s, &RunOptions::default()).map_err(|e| e.to_string())?;
    if !t.passed {
        return Err(format!("{:#?}", t.failures));
    }
    if refusal(media).is_some() {
        // Refused: nothing changed on the disc.
        let before = media_by_name(media).unwrap();
        let after = t.disc.media.as_ref().ok_or("the disc left the tray")?;
        if after.status != before.state || after.tracks.len() != before.tracks.len() {
            return Err(format!("the refused disc changed: {:?}, {} tracks", after.status, after.tracks.len()));
        }
    }
    Ok(())
}

/// Every built-in medium, new ones included as they are added; every failure is reported.
#[test]
fn core_burn_flow_on_every_built_in_medium() {
    let media = builtin_media();
    assert!(media.len() >= 18, "the built-in media shrank to {}", media.len());
    let failed: Vec<String> =
        media.iter().filter_map(|m| check(&m.name).err().map(|e| format!("{}: {e}", m.name))).collect();
    assert!(failed.is_empty(), "{} of {} media failed:\n{}", failed.len(), media.len(), failed.join("\n"));
}
