//! Transcript against transcript, step by step: every difference in HRESULT, value, Update
//! events, `during` calls and the disc read back.
//!
//! Two recordings by the simulator must agree in every field ([`Strictness::Exact`]). A
//! recording on real hardware differs from the simulator by nature in a few fields, which are
//! then left out ([`Strictness::Hardware`]): elapsed and remaining seconds and the number of
//! WRITING events (real time), the LastWrittenLba at which a `during` call fired (the drive's
//! buffer), and track digests (the real backend reads no audio back).

use std::fmt;

use cdr_sim::contract::{DiscReadBack, MediaReadBack, TrackReadBack};

use cdr_scenario::call::Value;
use cdr_scenario::transcript::{EventRecord, EventSummary, StepRecord, Transcript};

/// Which fields are compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Strictness {
    /// Every field (a transcript recorded on the simulator).
    Exact,
    /// Every field real hardware can reproduce (a transcript recorded on a real recorder).
    Hardware,
}

impl Strictness {
    /// Exact for transcripts of the simulator (`backend = "sim"`, or a middleware around it
    /// such as `faults(sim)`), else Hardware.
    pub fn for_backend(backend: &str) -> Strictness {
        if innermost(backend) == "sim" {
            Strictness::Exact
        } else {
            Strictness::Hardware
        }
    }
}

/// The backend under any middleware: `faults(sim)` -> `sim`.
pub fn innermost(backend: &str) -> &str {
    let mut b = backend.trim();
    while let (Some(open), true) = (b.find('('), b.ends_with(')')) {
        b = b[open + 1..b.len() - 1].trim();
    }
    b
}

/// What kind of thing differs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Aspect {
    /// A call's HRESULT.
    Hresult,
    /// A call's value.
    Value,
    /// The Update events of an AddAudioTrack, or the event a `during` call fired on.
    Events,
    /// The disc as read back at the end.
    ReadBack,
    /// The disc in the tray at the start.
    Environment,
    /// The transcript does not have the scenario's shape (steps, calls).
    Structure,
}

/// One difference between a recorded transcript and its replay.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Difference {
    /// The step (1-based); `None` for the read-back and the environment.
    pub step: Option<usize>,
    /// The `during` call within the step (1-based).
    pub during: Option<usize>,
    /// The call (`get_FreeSectorsOnMedia`, `insert`), or `disc` / `environment`.
    pub call: String,
    /// The scenario line of the step or `during` call.
    pub line: Option<usize>,
    /// What kind of thing differs.
    pub aspect: Aspect,
    /// The field, e.g. `hresult`, `value`, `events.WRITING.first.start_lba`, `tracks[2].start`.
    pub field: String,
    /// What the transcript recorded.
    pub recorded: String,
    /// What the simulator answered.
    pub simulated: String,
}

impl Difference {
    /// Where: `step 5 (get_FreeSectorsOnMedia, line 21)`, `step 4, during 1 (...)`, `disc`.
    pub fn location(&self) -> String {
        let line = self.line.map(|l| format!(", line {l}")).unwrap_or_default();
        match (self.step, self.during) {
            (Some(s), Some(d)) => format!("step {s}, during {d} ({}{line})", self.call),
            (Some(s), None) => format!("step {s} ({}{line})", self.call),
            _ => self.call.clone(),
        }
    }

    /// The key that identifies this difference across replays.
    pub fn key(&self) -> (Option<usize>, Option<usize>, &str) {
        (self.step, self.during, self.field.as_str())
    }
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: recorded {}, simulator {}", self.location(), self.field, self.recorded, self.simulated)
    }
}

struct Diffs<'a> {
    out: Vec<Difference>,
    strict: Strictness,
    step: Option<&'a StepRecord>,
    during: Option<(usize, usize)>,
}

impl Diffs<'_> {
    fn push(
        &mut self,
        aspect: Aspect,
        field: impl Into<String>,
        recorded: impl Into<String>,
        simulated: impl Into<String>,
    ) {
        let (step, call, line) = match self.step {
            Some(s) => (Some(s.step), step_call(s), Some(s.line)),
            None => (None, if aspect == Aspect::Environment { "environment" } else { "disc" }.to_string(), None),
        };
        let (during, call, line) = match self.during {
            Some((d, l)) => (Some(d), self.during_call(d).unwrap_or(call), Some(l)),
            None => (None, call, line),
        };
        self.out.push(Difference {
            step,
            during,
            call,
            line,
            aspect,
            field: field.into(),
            recorded: recorded.into(),
            simulated: simulated.into(),
        });
    }

    fn during_call(&self, d: usize) -> Option<String> {
        self.step.and_then(|s| s.during.iter().find(|x| x.during == d)).map(|x| x.call.clone())
    }

    fn cmp<T: PartialEq + fmt::Debug>(&mut self, aspect: Aspect, field: &str, recorded: &T, simulated: &T) {
        if recorded != simulated {
            self.push(aspect, field, show(recorded), show(simulated));
        }
    }
}

fn show<T: fmt::Debug>(v: &T) -> String {
    let s = format!("{v:?}");
    s.strip_prefix("Some(").and_then(|r| r.strip_suffix(')')).map(str::to_string).unwrap_or(s)
}

fn step_call(s: &StepRecord) -> String {
    match (&s.call, &s.insert) {
        (Some(c), _) => c.clone(),
        (None, Some(_)) => "insert".into(),
        (None, None) => "step".into(),
    }
}

fn value_text(v: &Option<Value>) -> String {
    v.as_ref().map_or_else(|| "no value".to_string(), ToString::to_string)
}

fn hresult_text(symbol: &str, hex: &str) -> String {
    if symbol.eq_ignore_ascii_case(hex) {
        hex.to_string()
    } else {
        format!("{symbol} ({hex})")
    }
}

/// Every difference between `recorded` and `replay` (the same scenario replayed on the
/// simulator), in order: the starting disc, steps, then the read-back.
pub fn diff(recorded: &Transcript, replay: &Transcript, strict: Strictness) -> Vec<Difference> {
    let mut d = Diffs { out: Vec::new(), strict, step: None, during: None };
    environment(&mut d, recorded, replay);
    if recorded.steps.len() != replay.steps.len() {
        d.push(
            Aspect::Structure,
            "steps",
            format!("{} steps", recorded.steps.len()),
            format!("{} steps in the scenario", replay.steps.len()),
        );
    }
    for (r, s) in recorded.steps.iter().zip(&replay.steps) {
        d.step = Some(s);
        step(&mut d, r, s);
        d.during = None;
    }
    d.step = None;
    disc(&mut d, &recorded.disc, &replay.disc);
    if strict == Strictness::Exact {
        let rules = |t: &Transcript| {
            t.faults
                .as_ref()
                .map(|f| f.rules.iter().map(|r| (r.what.clone(), r.applied.clone(), r.struck)).collect::<Vec<_>>())
        };
        d.cmp(Aspect::ReadBack, "faults", &rules(recorded), &rules(replay));
    }
    d.out
}

fn environment(d: &mut Diffs<'_>, recorded: &Transcript, replay: &Transcript) {
    let (r, s) = (&recorded.environment.media, &replay.environment.media);
    match (r, s) {
        (None, None) => {}
        (Some(_), None) | (None, Some(_)) => {
            d.push(Aspect::Environment, "media", present(r.is_some()), present(s.is_some()));
        }
        (Some(r), Some(s)) => {
            d.cmp(Aspect::Environment, "media.type", &r.media_type, &s.media_type);
            d.cmp(Aspect::Environment, "media.lead_in", &r.lead_in, &s.lead_in);
            d.cmp(Aspect::Environment, "media.lead_out", &r.lead_out, &s.lead_out);
            d.cmp(Aspect::Environment, "media.status", &r.status, &s.status);
            d.cmp(Aspect::Environment, "media.tracks", &r.tracks, &s.tracks);
        }
    }
}

fn present(yes: bool) -> &'static str {
    if yes {
        "a disc"
    } else {
        "an empty tray"
    }
}

fn step(d: &mut Diffs<'_>, r: &StepRecord, s: &StepRecord) {
    if r.call != s.call || r.insert.is_some() != s.insert.is_some() {
        d.push(Aspect::Structure, "call", step_call(r), step_call(s));
        return;
    }
    if !r.hex.eq_ignore_ascii_case(&s.hex) || r.hresult != s.hresult {
        d.push(Aspect::Hresult, "hresult", hresult_text(&r.hresult, &r.hex), hresult_text(&s.hresult, &s.hex));
    }
    if r.value != s.value {
        d.push(Aspect::Value, "value", value_text(&r.value), value_text(&s.value));
    }
    d.cmp(Aspect::Structure, "save", &r.save, &s.save);
    d.cmp(Aspect::Hresult, "outcome", &r.outcome, &s.outcome);
    if d.strict == Strictness::Exact {
        d.cmp(Aspect::Events, "faults", &r.faults, &s.faults);
    }
    match (&r.events, &s.events) {
        (None, None) => {}
        (Some(re), Some(se)) => events(d, re, se),
        (re, se) => d.push(Aspect::Events, "events", show_summary(re), show_summary(se)),
    }
    if r.during.len() != s.during.len() {
        d.push(Aspect::Structure, "during", format!("{} calls", r.during.len()), format!("{} calls", s.during.len()));
    }
    for (rd, sd) in r.during.iter().zip(&s.during) {
        d.during = Some((sd.during, sd.line));
        if rd.call != sd.call {
            d.push(Aspect::Structure, "call", rd.call.clone(), sd.call.clone());
            continue;
        }
        d.cmp(Aspect::Events, "fired", &rd.fired, &sd.fired);
        if rd.hex != sd.hex || rd.hresult != sd.hresult {
            let t = |h: &Option<String>, x: &Option<String>| match (h, x) {
                (Some(h), Some(x)) => hresult_text(h, x),
                _ => "not called".into(),
            };
            d.push(Aspect::Hresult, "hresult", t(&rd.hresult, &rd.hex), t(&sd.hresult, &sd.hex));
        }
        if rd.value != sd.value {
            d.push(Aspect::Value, "value", value_text(&rd.value), value_text(&sd.value));
        }
        match (&rd.event, &sd.event) {
            (Some(re), Some(se)) => {
                let exact = d.strict == Strictness::Exact;
                event(d, "event", re, se, exact, true);
            }
            (None, None) => {}
            (re, se) => d.push(Aspect::Events, "event", show(re), show(se)),
        }
    }
}

fn show_summary(e: &Option<EventSummary>) -> String {
    match e {
        None => "no events".into(),
        Some(e) => format!("{} events", e.total),
    }
}

fn events(d: &mut Diffs<'_>, r: &EventSummary, s: &EventSummary) {
    let exact = d.strict == Strictness::Exact;
    let names = |e: &EventSummary| e.actions.iter().map(|a| a.action.clone()).collect::<Vec<_>>().join(", ");
    if names(r) != names(s) {
        d.push(Aspect::Events, "events.actions", names(r), names(s));
        return;
    }
    if exact {
        d.cmp(Aspect::Events, "events.total", &r.total, &s.total);
    }
    for (ra, sa) in r.actions.iter().zip(&s.actions) {
        let f = |x: &str| format!("events.{}.{x}", ra.action);
        if exact || ra.action != "WRITING" {
            d.cmp(Aspect::Events, &f("count"), &ra.count, &sa.count);
        }
        event(d, &f("first"), &ra.first, &sa.first, exact, true);
        if exact || ra.action == "WRITING" {
            // The last WRITING event closes the track: its LastWrittenLba is the track's end.
            d.cmp(Aspect::Events, &f("last.last_written_lba"), &ra.last.last_written_lba, &sa.last.last_written_lba);
        }
        if exact {
            event(d, &f("last"), &ra.last, &sa.last, true, false);
        }
    }
    if exact && (!r.all.is_empty() || !s.all.is_empty()) {
        if r.all.len() != s.all.len() {
            d.push(Aspect::Events, "events.all", format!("{} events", r.all.len()), format!("{} events", s.all.len()));
        }
        for (i, (re, se)) in r.all.iter().zip(&s.all).enumerate() {
            event(d, &format!("events.all[{i}]"), re, se, true, true);
        }
    }
}

/// One event's fields: where it is and what it covers always; with `exact`, also its
/// LastWrittenLba (unless `lwl` is false: compared on its own) and its times.
fn event(d: &mut Diffs<'_>, prefix: &str, r: &EventRecord, s: &EventRecord, exact: bool, lwl: bool) {
    let f = |x: &str| format!("{prefix}.{x}");
    d.cmp(Aspect::Events, &f("action"), &r.action, &s.action);
    d.cmp(Aspect::Events, &f("track"), &r.track, &s.track);
    d.cmp(Aspect::Events, &f("start_lba"), &r.start_lba, &s.start_lba);
    d.cmp(Aspect::Events, &f("sector_count"), &r.sector_count, &s.sector_count);
    if exact {
        if lwl {
            d.cmp(Aspect::Events, &f("last_written_lba"), &r.last_written_lba, &s.last_written_lba);
        }
        d.cmp(Aspect::Events, &f("elapsed"), &r.elapsed, &s.elapsed);
        d.cmp(Aspect::Events, &f("remaining"), &r.remaining, &s.remaining);
    }
}

fn disc(d: &mut Diffs<'_>, r: &DiscReadBack, s: &DiscReadBack) {
    match (&r.media, &s.media) {
        (None, None) => {}
        (Some(_), None) | (None, Some(_)) => {
            d.push(Aspect::ReadBack, "media", present(r.media.is_some()), present(s.media.is_some()));
        }
        (Some(r), Some(s)) => media(d, r, s),
    }
}

fn media(d: &mut Diffs<'_>, r: &MediaReadBack, s: &MediaReadBack) {
    let a = Aspect::ReadBack;
    d.cmp(a, "media_type", &r.media_type, &s.media_type);
    d.cmp(a, "atip", &r.atip, &s.atip);
    d.cmp(a, "status", &r.status, &s.status);
    d.cmp(a, "last_session_state", &r.last_session_state, &s.last_session_state);
    d.cmp(a, "sessions", &r.sessions, &s.sessions);
    d.cmp(a, "first_track", &r.first_track, &s.first_track);
    if r.tracks.len() != s.tracks.len() {
        d.push(a, "tracks", track_list(&r.tracks), track_list(&s.tracks));
    } else {
        for (i, (rt, st)) in r.tracks.iter().zip(&s.tracks).enumerate() {
            let f = |x: &str| format!("tracks[{i}].{x}");
            d.cmp(a, &f("number"), &rt.number, &st.number);
            d.cmp(a, &f("session"), &rt.session, &st.session);
            d.cmp(a, &f("start"), &rt.start, &st.start);
            d.cmp(a, &f("sectors"), &rt.sectors, &st.sectors);
            d.cmp(a, &f("pregap"), &rt.pregap, &st.pregap);
            d.cmp(a, &f("data_bytes"), &rt.data_bytes, &st.data_bytes);
            let digests = match d.strict {
                Strictness::Exact => true,
                Strictness::Hardware => rt.digest.is_some() && st.digest.is_some(),
            };
            if digests {
                d.cmp(a, &f("digest"), &rt.digest, &st.digest);
            }
        }
    }
    d.cmp(a, "lead_out", &r.lead_out, &s.lead_out);
    d.cmp(a, "last_possible_lead_out", &r.last_possible_lead_out, &s.last_possible_lead_out);
    d.cmp(a, "next_writable_address", &r.next_writable_address, &s.next_writable_address);
    d.cmp(a, "free_blocks", &r.free_blocks, &s.free_blocks);
}

fn track_list(t: &[TrackReadBack]) -> String {
    let items: Vec<String> = t.iter().map(|t| format!("{}+{}", t.start, t.sectors)).collect();
    format!("{} track(s) [{}]", t.len(), items.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn middleware_names_are_seen_through() {
        assert_eq!(innermost("faults(sim)"), "sim");
        assert_eq!(innermost("a(b(imapi2))"), "imapi2");
        assert_eq!(innermost("sim"), "sim");
        assert_eq!(Strictness::for_backend("faults(sim)"), Strictness::Exact);
        assert_eq!(Strictness::for_backend("faults(imapi2)"), Strictness::Hardware);
    }
}
