//! Parser robustness: arbitrary bytes, TOML-shaped text and mutated fixtures fed to the
//! scenario parser never panic; they parse or give an error (256+ cases each).

use std::path::Path;

use proptest::prelude::*;
use proptest::test_runner::Config;

fn parse(text: &str) {
    // Either outcome is fine; a panic fails the property.
    let _ = cdr_scenario::scenario::parse(Path::new("fuzzed.toml"), text);
}

/// Words of the scenario format, so generated text reaches past the TOML syntax checks.
const KEYS: &[&str] = &[
    "description",
    "tags",
    "seed",
    "drive",
    "media",
    "step",
    "call",
    "args",
    "track",
    "expect",
    "value",
    "client",
    "insert",
    "during",
    "when",
    "action",
    "percent",
    "sector",
    "expect_disc",
    "profile",
    "calibration",
    "sectors",
    "seconds",
    "bytes",
    "file",
    "raw",
    "status",
    "tracks",
    "lead_out",
    "start",
    "pregap",
    "digest",
    "present",
    "sessions",
    "last_session_state",
    "media_type",
    "type",
    "lead_in",
    "state",
    "upside_down",
    "write_protected",
    "vendor",
    "write_speeds",
    "track_at_once",
    "short_track",
    "pad_short_tracks",
    "min_track_sectors",
    "update_interval_ms",
    "free_after_track",
    "unknown_key",
];

const WORDS: &[&str] = &[
    "PrepareMedia",
    "AddAudioTrack",
    "CancelAddTrack",
    "ReleaseMedia",
    "SetWriteSpeed",
    "put_ClientName",
    "get_FreeSectorsOnMedia",
    "get_ExpectedTableOfContents",
    "IDiscRecorder2::EjectMedia",
    "IBurnVerification::put_BurnVerificationLevel",
    "S_OK",
    "E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED",
    "0xC0AA0502",
    "0xFFFFFFFF",
    "WRITING",
    "PREPARING",
    "FINISHING",
    "VERIFYING",
    "cdr80",
    "tiny",
    "none",
    "default",
    "no-tao",
    "blank",
    "appendable",
    "complete",
    "CD-R",
    "79:59:72",
    "97:24:01",
    "99:99:99",
    "00 0A 01 01",
    "zz",
    "",
    "../../etc/passwd",
    "layout",
    "dll_nwa",
    "IMAPI_MEDIA_TYPE_CDR",
    "main",
    "second",
    "\u{1F4BF}",
];

fn scalar() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::sample::select(WORDS).prop_map(|w| format!("{w:?}")),
        any::<i64>().prop_map(|n| n.to_string()),
        (0u32..400_000).prop_map(|n| n.to_string()),
        any::<bool>().prop_map(|b| b.to_string()),
        Just("1.5".to_string()),
        Just("1979-05-27T07:32:00Z".to_string()),
        "[a-z\"\\\\ ]{0,8}".prop_map(|s| format!("\"{s}\"")),
    ]
}

fn value() -> impl Strategy<Value = String> {
    scalar().prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(|v| format!("[{}]", v.join(", "))),
            proptest::collection::vec((proptest::sample::select(KEYS), inner), 0..4).prop_map(|kv| {
                let body: Vec<String> = kv.into_iter().map(|(k, v)| format!("{k} = {v}")).collect();
                format!("{{ {} }}", body.join(", "))
            }),
        ]
    })
}

fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => (proptest::sample::select(KEYS), value()).prop_map(|(k, v)| format!("{k} = {v}")),
        2 => proptest::sample::select(&["[drive]", "[media]", "[[step]]", "[[step.during]]", "[expect_disc]",
            "[drive.calibration]", "[step.track]", "[[expect_disc.tracks]]", "[step]", "[[drive]]"][..])
            .prop_map(str::to_owned),
        1 => "[ -~]{0,20}",
    ]
}

proptest! {
    #![proptest_config(Config { cases: 512, failure_persistence: None, ..Config::default() })]

    /// Arbitrary bytes (as the text a file would give, invalid UTF-8 replaced).
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        parse(&String::from_utf8_lossy(&bytes));
    }

    /// TOML-shaped text over the scenario format's own keys and values.
    #[test]
    fn toml_shaped_text_never_panics(lines in proptest::collection::vec(line(), 0..24)) {
        parse(&lines.join("\n"));
    }

    /// A valid scenario, then single edits: a byte replaced, a range cut out, text inserted.
    #[test]
    fn mutated_scenarios_never_panic(
        at in any::<proptest::sample::Index>(),
        cut in 0usize..16,
        insert in "[ -~\n]{0,12}",
    ) {
        let head = r#"description = "a fuzzed scenario"
seed = 3
[drive]
profile = "default"
update_interval_ms = 20
[drive.calibration]
short_track = "as_written"
[media]
profile = "cdr80"
lead_out = "00:40:00"
"#;
        let prepare = crate::scenario_text::name_and_prepare("Imapi2Sample", r#"["S_OK", "0xC0AA0502"]"#);
        let tail = r#"[[step]]
call = "AddAudioTrack"
track = { sectors = 1 }
expect = "S_OK"
  [[step.during]]
  when = { action = "WRITING", percent = 50 }
  call = "get_FreeSectorsOnMedia"
  value = 2848
[[step]]
insert = "none"
[[step]]
client = "second"
call = "IDiscRecorder2::AcquireExclusiveAccess"
args = [false, "B"]
[expect_disc]
status = "blank"
tracks = [{ start = 0, sectors = 1, digest = "00" }]
lead_out = "none"
"#;
        let base = &[head, &prepare, tail].concat();
        if let Err(e) = cdr_scenario::scenario::parse(Path::new("base.toml"), base) {
            panic!("the unmutated scenario must parse: {e}");
        }
        let i = at.index(base.len());
        let mut text = base.as_bytes().to_vec();
        let end = (i + cut).min(text.len());
        text.splice(i..end, insert.bytes());
        parse(&String::from_utf8_lossy(&text));
    }
}
