//! The table of Update events in `docs/reference/behaviour.md` (section 3) is what the simulator
//! reports for `docs/examples/cadence.toml`.

use crate::examples::examples_copy;
use crate::markdown::root;

const START: &str = "<!-- cadence-table:";
const END: &str = "<!-- end cadence-table -->";

/// The table as the docs write it (its rows, header included).
fn documented() -> Vec<String> {
    let text = std::fs::read_to_string(root().join("docs/reference/behaviour.md")).unwrap();
    let from = text.find(START).expect("the cadence table's opening marker");
    let body = &text[from..text[from..].find(END).expect("the cadence table's closing marker") + from];
    body.lines().skip(1).map(str::to_string).collect()
}

/// The table from the events of the example's AddAudioTrack: for each event its action,
/// LastWrittenLba, the percentage applications compute, and the `percent = P` triggers that
/// fire there (the first WRITING event at or past P).
fn from_events(events: &[serde_json::Value]) -> Vec<String> {
    let mut rows = vec![
        "| event | action | LastWrittenLba | percent | fires `percent = P` for |".to_string(),
        "|---|---|---|---|---|".to_string(),
    ];
    let mut reached: i64 = -1;
    for (i, e) in events.iter().enumerate() {
        let int = |k: &str| e[k].as_i64().unwrap_or_else(|| panic!("event field {k}: {e}"));
        let action = e["action"].as_str().unwrap();
        let done = int("last_written_lba") - int("start_lba");
        let percent = (done * 100 / int("sector_count")).clamp(0, 100);
        let fires = if action == "WRITING" && percent > reached {
            let from = reached + 1;
            reached = percent;
            if from == percent {
                format!("{percent}")
            } else {
                format!("{from} to {percent}")
            }
        } else {
            String::new()
        };
        let lwl = int("last_written_lba");
        let sep = if fires.is_empty() { "" } else { " " };
        rows.push(format!("| {} | {action} | {lwl} | {percent} | {fires}{sep}|", i + 1));
    }
    rows
}

#[test]
fn the_table_is_computed_from_events_as_documented() {
    let event = |action: &str, lwl: i64| serde_json::json!({ "action": action, "last_written_lba": lwl, "start_lba": 0, "sector_count": 200 });
    let rows =
        from_events(&[event("PREPARING", 0), event("WRITING", 0), event("WRITING", 99), event("FINISHING", 199)]);
    assert_eq!(rows[2], "| 1 | PREPARING | 0 | 0 | |");
    assert_eq!(rows[3], "| 2 | WRITING | 0 | 0 | 0 |");
    assert_eq!(rows[4], "| 3 | WRITING | 99 | 49 | 1 to 49 |");
    assert_eq!(rows[5], "| 4 | FINISHING | 199 | 99 | |");
}

/// Ignored until the simulator follows the revised event rules of the behaviour reference
/// (WRITING before data flows and every 500 ms; LastWrittenLba up to StartLba + SectorCount -
/// 1): the table shows the revised cadence. `CDR_ACCEPT_DOCS=1` writes the simulator's table
/// into the docs instead of comparing.
#[test]
fn the_cadence_table_is_what_the_simulator_reports() {
    let dir = examples_copy();
    let out = crate::support::harness()
        .current_dir(dir.path())
        .args(["run", "cadence.toml", "--all-events", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let steps = report["scenarios"][0]["transcript"]["steps"].as_array().unwrap();
    let add = steps.iter().find(|s| s["call"] == "AddAudioTrack").expect("the AddAudioTrack step");
    let actual = from_events(add["events"]["all"].as_array().expect("every event (--all-events)"));
    if std::env::var_os("CDR_ACCEPT_DOCS").is_some() {
        let path = root().join("docs/reference/behaviour.md");
        let text = std::fs::read_to_string(&path).unwrap();
        let from = text.find(START).unwrap();
        let line_end = from + text[from..].find('\n').unwrap() + 1;
        let to = text[from..].find(END).unwrap() + from;
        let new = format!("{}{}\n{}", &text[..line_end], actual.join("\n"), &text[to..]);
        std::fs::write(&path, new).unwrap();
        return;
    }
    assert_eq!(
        documented(),
        actual,
        "docs/reference/behaviour.md, section 3: the cadence table (CDR_ACCEPT_DOCS=1 rewrites it)"
    );
}
