//! Comparing what happened with what a scenario expected.

use cdr_sim::contract::{DiscReadBack, MediaReadBack};
use cdr_sim::Hresult;

use crate::call::{EnumValue, Value};
use crate::scenario::file::EventExpect;
use crate::scenario::{Checked, ExpectDisc, Expectation};
use crate::transcript::{Check, EventRecord, Failure};

/// One mismatch: (expected, actual).
pub type Mismatch = (String, String);

fn list(hrs: &[Hresult]) -> String {
    match hrs {
        [one] => one.to_string(),
        many => format!("one of {}", many.iter().map(|h| h.to_string()).collect::<Vec<_>>().join(", ")),
    }
}

/// Checks a call's HRESULT and value against `expect`.
pub fn call(expect: &Expectation, hr: Hresult, value: Option<&Value>) -> (Check, Vec<Mismatch>) {
    let mut out = Vec::new();
    if let Some(allowed) = &expect.hresults {
        if !allowed.contains(&hr) {
            out.push((list(allowed), hr.to_string()));
        }
    }
    if let Some(want) = &expect.value {
        match value {
            Some(got) if got == want => {}
            Some(got) => out.push((format!("value {want}"), format!("value {got}"))),
            None => out.push((format!("value {want}"), format!("no value ({hr})"))),
        }
    }
    let check = match (expect.hresults.is_none() && expect.value.is_none(), out.is_empty()) {
        (true, _) => Check::Unchecked,
        (false, true) => Check::Pass,
        (false, false) => Check::Fail,
    };
    (check, out)
}

/// Checks the Update event that fired a `during` call against its `event = { ... }`.
pub fn event(want: &EventExpect, got: &EventRecord) -> Vec<Mismatch> {
    let mut out = Vec::new();
    let mut field = |name: &str, want: Option<String>, got: String| {
        if let Some(w) = want {
            if w != got {
                out.push((format!("event {name} = {w}"), format!("event {name} = {got}")));
            }
        }
    };
    field("action", want.action.map(|a| a.name().to_string()), got.action.clone());
    field("track", want.track.map(|v| v.to_string()), got.track.to_string());
    field("start_lba", want.start_lba.map(|v| v.to_string()), got.start_lba.to_string());
    field("sector_count", want.sector_count.map(|v| v.to_string()), got.sector_count.to_string());
    field("last_written_lba", want.last_written_lba.map(|v| v.to_string()), got.last_written_lba.to_string());
    field("elapsed", want.elapsed.map(|v| v.to_string()), got.elapsed.to_string());
    field("remaining", want.remaining.map(|v| v.to_string()), got.remaining.to_string());
    out
}

/// Checks the disc read back against `[expect_disc]`.
pub fn disc(expect: &ExpectDisc, disc: &DiscReadBack) -> Vec<Failure> {
    let mut failures = Vec::new();
    let mut check = |key: &str, line: usize, expected: String, actual: String| {
        if expected != actual {
            failures.push(Failure {
                step: None,
                during: None,
                what: format!("expect_disc.{key}"),
                line,
                expected,
                actual,
            });
        }
    };
    let media = disc.media.as_ref();
    if let Some(c) = &expect.present {
        check("present", c.line, c.value.to_string(), media.is_some().to_string());
    }
    let field = |f: &dyn Fn(&MediaReadBack) -> String| media.map_or_else(|| "no disc in the tray".to_string(), f);
    if let Some(c) = &expect.status {
        check(
            "status",
            c.line,
            format!("{:?}", c.value).to_lowercase(),
            field(&|m| format!("{:?}", m.status).to_lowercase()),
        );
    }
    if let Some(c) = &expect.tracks {
        let want = c.value.iter().map(|t| {
            let mut s = format!("{{ start = {}, sectors = {}", t.start, t.sectors);
            if let Some(p) = t.pregap {
                s += &format!(", pregap = {p}");
            }
            if let Some(n) = t.session {
                s += &format!(", session = {n}");
            }
            if let Some(d) = &t.digest {
                s += &format!(", digest = {d:?}");
            }
            if let Some(d) = t.damaged {
                s += &format!(", damaged = {d}");
            }
            s + " }"
        });
        let want = format!("[{}]", want.collect::<Vec<_>>().join(", "));
        // Show the actual tracks with the same keys the expectation gave.
        let got = field(&|m| {
            let items = m.tracks.iter().enumerate().map(|(i, t)| {
                let spec = c.value.get(i);
                let mut s = format!("{{ start = {}, sectors = {}", t.start, t.sectors);
                if spec.is_some_and(|e| e.pregap.is_some()) {
                    s += &format!(", pregap = {}", t.pregap);
                }
                if spec.is_some_and(|e| e.session.is_some()) {
                    s += &format!(", session = {}", t.session);
                }
                if spec.is_some_and(|e| e.digest.is_some()) {
                    s += &format!(", digest = {:?}", t.digest.clone().unwrap_or_default());
                }
                if spec.is_some_and(|e| e.damaged.is_some()) {
                    s += &format!(", damaged = {}", t.damaged);
                }
                s + " }"
            });
            format!("[{}]", items.collect::<Vec<_>>().join(", "))
        });
        check("tracks", c.line, want, got);
    }
    let lba = |v: Option<i32>| v.map_or_else(|| "none".to_string(), |n| n.to_string());
    if let Some(c) = &expect.lead_out {
        check("lead_out", c.line, lba(c.value), field(&|m| lba(m.lead_out)));
    }
    if let Some(c) = &expect.sessions {
        check("sessions", c.line, c.value.to_string(), field(&|m| m.sessions.to_string()));
    }
    if let Some(c) = &expect.last_session_state {
        check(
            "last_session_state",
            c.line,
            format!("{:?}", c.value).to_lowercase(),
            field(&|m| format!("{:?}", m.last_session_state).to_lowercase()),
        );
    }
    if let Some(Checked { value, line }) = &expect.media_type {
        let got = field(&|m| Value::Enum(EnumValue::media_type(m.media_type)).to_string());
        let want = value.to_string();
        check("media_type", *line, want, got);
    }
    if let Some(c) = &expect.next_writable_address {
        check("next_writable_address", c.line, lba(c.value), field(&|m| lba(m.next_writable_address)));
    }
    if let Some(c) = &expect.free_blocks {
        check("free_blocks", c.line, c.value.to_string(), field(&|m| m.free_blocks.to_string()));
    }
    if let Some(f) = any_of(&expect.any_of, disc) {
        failures.push(f);
    }
    failures
}

/// `[[expect_disc.any_of]]`: `None` when the read-back matches at least one alternative (or
/// there are none), else one failure listing how each alternative differs.
fn any_of(alternatives: &[ExpectDisc], disc: &DiscReadBack) -> Option<Failure> {
    let mut differences = Vec::with_capacity(alternatives.len());
    for (i, alt) in alternatives.iter().enumerate() {
        let misses = self::disc(alt, disc);
        if misses.is_empty() {
            return None;
        }
        let said: Vec<String> = misses
            .iter()
            .map(|m| format!("{} is {} (not {})", m.what.trim_start_matches("expect_disc."), m.actual, m.expected))
            .collect();
        differences.push(format!("alternative {} (line {}): {}", i + 1, alt.line, said.join("; ")));
    }
    let first = alternatives.first()?;
    Some(Failure {
        step: None,
        during: None,
        what: "expect_disc.any_of".into(),
        line: first.line,
        expected: format!("the disc to match one of {} alternatives", alternatives.len()),
        actual: differences.join(" | "),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> EventRecord {
        EventRecord {
            action: "PREPARING".into(),
            track: 2,
            start_lba: 36152,
            sector_count: 36000,
            last_written_lba: 36152,
            elapsed: 0,
            remaining: 16,
        }
    }

    #[test]
    fn only_the_event_fields_given_are_checked() {
        let want = EventExpect { track: Some(2), remaining: Some(16), ..EventExpect::default() };
        assert!(event(&want, &record()).is_empty());
        let want = EventExpect {
            action: Some(cdr_sim::TaoWriteAction::Writing),
            remaining: Some(15),
            ..EventExpect::default()
        };
        assert_eq!(
            event(&want, &record()),
            [
                ("event action = WRITING".to_string(), "event action = PREPARING".to_string()),
                ("event remaining = 15".to_string(), "event remaining = 16".to_string()),
            ]
        );
    }
}
