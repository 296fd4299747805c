//! Reports CI tools read: JUnit with a class per topic folder, the failure text, and (when
//! asked) a time per test case on one clock, virtual or wall, never mixed; JSON whose failures
//! are typed values.

use super::manifest as root;

/// `cdr-harness run <args>` from the workspace root: (exit code, stdout).
fn run(args: &[&str]) -> (Option<i32>, String) {
    let out = crate::support::harness().current_dir(root()).arg("run").args(args).output().unwrap();
    (out.status.code(), String::from_utf8(out.stdout).unwrap())
}

const SUITE: [&str; 3] =
    ["fixtures/scenarios/burn", "fixtures/scenarios/cancel", "tests/cli/bad/wrong-expectation.toml"];

fn cases(xml: &str) -> Vec<(String, String, Option<f64>)> {
    let doc = roxmltree::Document::parse(xml).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .map(|n| {
            (
                n.attribute("name").unwrap().to_string(),
                n.attribute("classname").unwrap().to_string(),
                n.attribute("time").map(|t| t.parse().unwrap()),
            )
        })
        .collect()
}

#[test]
fn junit_has_a_class_per_topic_and_the_failure_text_and_no_time_unless_asked() {
    let (code, xml) = run(&[SUITE[0], SUITE[1], SUITE[2], "--format", "junit"]);
    assert_eq!(code, Some(1));
    let (_, again) = run(&[SUITE[0], SUITE[1], SUITE[2], "--format", "junit"]);
    assert_eq!(xml, again, "without --times the report is byte-identical between runs");
    let cases = cases(&xml);
    assert!(cases.iter().all(|(_, _, time)| time.is_none()), "{xml}");
    let class = |name: &str| cases.iter().find(|c| c.0.ends_with(name)).unwrap().1.clone();
    assert_eq!(class("burn/worked-example.toml"), "burn");
    assert_eq!(class("cancel/from-handler.toml"), "cancel");
    assert_eq!(class("wrong-expectation.toml"), "bad");
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let failure = doc.descendants().find(|n| n.has_tag_name("failure")).unwrap();
    assert_eq!(failure.attribute("message"), Some("2 expectation(s) failed"));
    let text = failure.text().unwrap();
    assert!(text.contains("step 4 (get_FreeSectorsOnMedia, line 16)"), "{text}");
    assert!(text.contains("expected: value 360000") && text.contains("actual:   value 359845"), "{text}");
}

#[test]
fn junit_times_are_virtual_or_wall_as_asked() {
    let (_, xml) = run(&[SUITE[0], SUITE[2], "--format", "junit", "--times", "virtual"]);
    let (_, again) = run(&[SUITE[0], SUITE[2], "--format", "junit", "--times", "virtual"]);
    assert_eq!(xml, again, "virtual time is deterministic");
    let virtual_cases = cases(&xml);
    let time = |name: &str| virtual_cases.iter().find(|c| c.0.ends_with(name)).unwrap().2.unwrap();
    // The worked example burns 22500 sectors at 48x (3600 sectors a second): the last event
    // of the track reports 27 s elapsed, preparation and finishing included.
    assert_eq!(time("burn/worked-example.toml"), 27.0);
    assert_eq!(time("wrong-expectation.toml"), 0.0, "no burn, no virtual time");
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let suite_time: f64 =
        doc.descendants().find(|n| n.has_tag_name("testsuite")).unwrap().attribute("time").unwrap().parse().unwrap();
    assert_eq!(suite_time, virtual_cases.iter().map(|c| c.2.unwrap()).sum::<f64>());

    let (_, wall) = run(&[SUITE[0], SUITE[2], "--format", "junit", "--times", "wall"]);
    let wall = cases(&wall);
    // Milliseconds, shown to three decimals: a quick scenario may show 0.000.
    assert!(wall.iter().all(|c| c.2.is_some_and(|t| (0.0..60.0).contains(&t))), "wall times: {wall:?}");
    assert!(wall.iter().find(|c| c.0.ends_with("worked-example.toml")).unwrap().2.unwrap() < 27.0, "not virtual");
}

#[test]
fn json_failures_are_typed_values() {
    let (code, out) = run(&[SUITE[2], "--format", "json"]);
    assert_eq!(code, Some(1));
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let failures = doc["scenarios"][0]["transcript"]["failures"].as_array().unwrap();
    assert_eq!(failures.len(), 2, "{failures:#?}");
    assert_eq!(failures[0]["check"], "value");
    assert_eq!(failures[0]["expected"].as_i64(), Some(360_000));
    assert_eq!(failures[0]["actual"].as_i64(), Some(359_845));
    assert_eq!(failures[0]["expected_text"], "value 360000");
    assert_eq!(failures[1]["check"], "hresult");
    assert!(failures[1]["expected"].as_array().is_some_and(|a| a.len() == 1), "{:?}", failures[1]);
    assert!(failures[1]["actual"].as_str().unwrap().starts_with("S_OK"));

    // A disc expectation: tracks as a list of objects.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("disc.toml");
    std::fs::write(
        &path,
        "description = \"expects a track that is not there\"\n[[step]]\ncall = \"put_Recorder\"\n\
         [expect_disc]\nstatus = \"complete\"\ntracks = [{ start = 0, sectors = 300 }]\n",
    )
    .unwrap();
    let (_, out) = run(&[path.to_str().unwrap(), "--format", "json", "--times", "virtual"]);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let s = &doc["scenarios"][0];
    assert_eq!(s["time"], serde_json::json!({ "clock": "virtual", "seconds": 0.0 }));
    let failures = s["transcript"]["failures"].as_array().unwrap();
    let tracks = failures.iter().find(|f| f["check"] == "expect_disc.tracks").unwrap();
    assert_eq!(tracks["expected"], serde_json::json!([{ "start": 0, "sectors": 300 }]));
    assert_eq!(tracks["actual"], serde_json::json!([]));
    let status = failures.iter().find(|f| f["check"] == "expect_disc.status").unwrap();
    assert_eq!((status["expected"].as_str(), status["actual"].as_str()), (Some("complete"), Some("blank")));
}
