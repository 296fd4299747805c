//! The disc a scenario needs, and whether the tray holds it; which scenarios burn a disc.
//!
//! On the simulator the tray always holds the scenario's disc. On a real recorder a person
//! puts it there, so before each scenario `record` compares the scenario's `[media]` with what
//! the drive reports and asks for the right disc when they differ.

use cdr_sim::contract::MediaReadBack;
use cdr_sim::{DiscState, Hresult, MediaProfile};

use cdr_scenario::call::Call;
use cdr_scenario::scenario::{Action, Expectation, Scenario};

/// What to compare between the scenario's disc and the tray's.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MatchRules {
    /// Accept any ATIP lead-out (any brand of the right type and state). Values that depend on
    /// the capacity (Free, Total, the lead-out) then differ from the scenario's expectations,
    /// while `compare` still replays with the disc that was used.
    pub any_lead_out: bool,
}

/// Why the tray does not hold the disc a scenario needs; `None` when it does. Compared: an
/// empty tray or not, the physical media type, the disc status (blank, appendable, complete)
/// and, unless `rules.any_lead_out`, the ATIP last possible lead-out.
pub fn mismatch(wanted: Option<&MediaProfile>, tray: Option<&MediaReadBack>, rules: MatchRules) -> Option<String> {
    match (wanted, tray) {
        (None, None) => None,
        (None, Some(t)) => Some(format!("the scenario needs an empty tray; a {} is in it", t.media_type)),
        (Some(_), None) => Some("the tray is empty (or open)".into()),
        (Some(w), Some(t)) => {
            let mut why = Vec::new();
            if w.media_type != t.media_type {
                why.push(format!("a {} is in the tray, not a {}", t.media_type, w.media_type));
            }
            if w.state != t.status {
                why.push(format!("the disc is {}, not {}", state_name(t.status), state_name(w.state)));
            }
            if !rules.any_lead_out {
                if let Some(lo) = w.lead_out {
                    match t.atip {
                        Some(a) if a.lead_out != lo => {
                            why.push(format!("its ATIP lead-out is {}, not {lo}", a.lead_out));
                        }
                        None if w.media_type == t.media_type => why.push("the drive reports no ATIP".into()),
                        _ => {}
                    }
                }
            }
            (!why.is_empty()).then(|| why.join("; "))
        }
    }
}

fn state_name(s: DiscState) -> &'static str {
    match s {
        DiscState::Blank => "blank",
        DiscState::Appendable => "appendable",
        DiscState::Complete => "complete",
    }
}

/// The disc to put in the tray, in words: `a blank CD-R with ATIP lead-out 79:59:72 (cdr80:
/// ...)`, or `no disc (an empty tray)`.
pub fn describe(wanted: Option<&MediaProfile>) -> String {
    let Some(m) = wanted else { return "no disc (an empty tray)".into() };
    let mut s = format!("{} {} {}", article(state_name(m.state)), state_name(m.state), m.media_type);
    if let Some(lo) = m.lead_out {
        s += &format!(" with ATIP lead-out {lo}");
    }
    if !m.tracks.is_empty() {
        s += &format!(" holding {} track(s)", m.tracks.len());
    }
    s += &format!(" (profile `{}`", m.name);
    if !m.description.is_empty() {
        s += &format!(": {}", m.description);
    }
    s + ")"
}

fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// Whether a run of `scenario` writes to the disc. On a real recorder (`real`) any
/// AddAudioTrack may burn; on the simulator, one whose expectation allows success.
pub fn burns(scenario: &Scenario, real: bool) -> bool {
    let writes = |call: Call, expect: &Expectation| {
        call == Call::AddAudioTrack
            && (real || expect.hresults.as_ref().is_none_or(|hrs| hrs.iter().any(|h| h.is_success())))
    };
    scenario.steps.iter().any(|s| {
        let own = matches!(&s.action, Action::Call(inv) if writes(inv.call, &s.expect));
        own || s.during.iter().any(|d| writes(d.invocation.call, &d.expect))
    })
}

/// The discs `insert` steps put in the tray, in order: on a real recorder each is a disc change
/// by the operator.
pub fn inserts(scenario: &Scenario) -> Vec<Option<&MediaProfile>> {
    scenario
        .steps
        .iter()
        .filter_map(|s| match &s.action {
            Action::Insert(m) => Some(m.profile.as_ref()),
            _ => None,
        })
        .collect()
}

/// Whether the scenario uses the simulator's saved discs (`insert = { file = ... }` or `save`
/// steps): a simulated disc as data, which no real drive has.
pub fn uses_saved_discs(scenario: &Scenario) -> bool {
    scenario.steps.iter().any(|s| matches!(s.action, Action::InsertSaved(_) | Action::Save(_)))
}

/// Whether the scenario writes files (`save` steps).
pub fn saves_discs(scenario: &Scenario) -> bool {
    scenario.steps.iter().any(|s| matches!(s.action, Action::Save(_)))
}

/// True when `hr` is the answer of a backend that cannot change discs by itself (the IMAPI2
/// backend's `change_media`): a person must do it.
pub fn needs_operator(hr: Hresult) -> bool {
    hr == cdr_imapi2::codes::E_CHANGE_MEDIA_NEEDS_OPERATOR
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use cdr_sim::profile::media_by_name;
    use cdr_sim::{Backend, SimBackend};

    use super::*;

    fn tray(media: &str) -> Option<MediaReadBack> {
        let drive = cdr_sim::profile::drive_by_name("default").unwrap();
        let sim = SimBackend::new(drive, media_by_name(media));
        let id = sim.disc_master().unwrap().item(0).unwrap();
        let r = sim.create_recorder().unwrap();
        r.initialize_disc_recorder(&id).unwrap();
        sim.read_back(r.as_ref()).unwrap().media
    }

    #[test]
    fn the_same_disc_matches() {
        let m = media_by_name("cdr80").unwrap();
        assert_eq!(mismatch(Some(&m), tray("cdr80").as_ref(), MatchRules::default()), None);
        assert_eq!(mismatch(None, None, MatchRules::default()), None);
    }

    #[test]
    fn type_state_and_lead_out_are_compared() {
        let cdr80 = media_by_name("cdr80").unwrap();
        let r = MatchRules::default();
        let why = mismatch(Some(&cdr80), tray("cdr74").as_ref(), r).unwrap();
        assert!(why.contains("its ATIP lead-out is 74:43:00, not 79:59:72"), "{why}");
        assert_eq!(mismatch(Some(&cdr80), tray("cdr74").as_ref(), MatchRules { any_lead_out: true }), None);
        let why = mismatch(Some(&cdr80), tray("cdr80-appendable").as_ref(), r).unwrap();
        assert!(why.contains("the disc is appendable, not blank"), "{why}");
        let why = mismatch(Some(&cdr80), tray("dvdplusr").as_ref(), r).unwrap();
        assert!(why.contains("not a CD-R"), "{why}");
        assert!(mismatch(Some(&cdr80), None, r).unwrap().contains("empty"));
        assert!(mismatch(None, tray("cdr80").as_ref(), r).unwrap().contains("needs an empty tray"));
    }

    #[test]
    fn descriptions_name_state_type_and_lead_out() {
        let d = describe(media_by_name("cdr80").as_ref());
        assert!(d.starts_with("a blank CD-R with ATIP lead-out 79:59:72 (profile `cdr80`"), "{d}");
        let d = describe(media_by_name("cdr80-appendable").as_ref());
        assert!(d.starts_with("an appendable CD-R"), "{d}");
        assert_eq!(describe(None), "no disc (an empty tray)");
    }

    fn scenario(steps: &str) -> Scenario {
        // Each checks that a disc is there, so that a scenario without other expectations is not
        // refused for checking nothing.
        let text = format!("description = \"t\"\n{steps}\n[expect_disc]\npresent = true\n");
        cdr_scenario::scenario::parse(Path::new("t.toml"), &text).unwrap()
    }

    #[test]
    fn burning_scenarios_are_recognised() {
        let ok = scenario("[[step]]\ncall = \"AddAudioTrack\"\ntrack = { sectors = 300 }\nexpect = \"S_OK\"\n");
        assert!(burns(&ok, false) && burns(&ok, true));
        let refused = scenario(
            "[[step]]\ncall = \"AddAudioTrack\"\ntrack = { sectors = 300 }\nexpect = \"E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED\"\n",
        );
        assert!(!burns(&refused, false), "a refused track burns nothing on the simulator");
        assert!(burns(&refused, true), "on a real drive any AddAudioTrack may burn");
        let unchecked = scenario("[[step]]\ncall = \"AddAudioTrack\"\ntrack = { sectors = 300 }\n");
        assert!(burns(&unchecked, false));
        let reads = scenario("[[step]]\ncall = \"get_ClientName\"\n[[step]]\ninsert = \"cdr74\"\n");
        assert!(!burns(&reads, true));
        assert_eq!(inserts(&reads).len(), 1);
    }
}
