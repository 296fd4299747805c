//! Writes a failing sequence as a scenario file (`docs/reference/scenario-format.md` with the
//! harness's extensions: `seed`, `client`, inline profile overrides) whose expectations are the
//! model's predictions, so that `cdr-harness run` replays it and fails where the backend
//! disagreed.

use std::collections::BTreeMap;

use cdr_sim::profile::{drive_by_name, Calibration};
use cdr_sim::{Hresult, TaoWriteAction};
use serde::Serialize;

use super::campaign::Failure;
use super::exec::Trace;
use super::gen::TINY_DISC;
use super::outcome::Disagreement;
use super::outcome::Kind;
use crate::{Check, Client, DigestCache, Env, Expect, HrSet, Member, Model, SessionModel, Source};
use cdr_scenario::call::Value;
use cdr_scenario::scenario::Trigger;

/// The client name a scenario gives each of the model's clients.
pub fn client_name(c: Client) -> &'static str {
    match c {
        Client::A => "main",
        Client::B => "second",
    }
}

#[derive(Serialize)]
struct File {
    description: String,
    tags: Vec<String>,
    seed: u64,
    drive: toml::Value,
    media: toml::Value,
    step: Vec<Step>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expect_disc: Option<BTreeMap<String, toml::Value>>,
}

#[derive(Serialize, Default)]
struct Step {
    #[serde(skip_serializing_if = "Option::is_none")]
    client: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    insert: Option<toml::Value>,
    #[serde(flatten)]
    call: Invoked,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    during: Vec<DuringStep>,
}

#[derive(Serialize)]
struct DuringStep {
    when: BTreeMap<&'static str, toml::Value>,
    #[serde(flatten)]
    call: Invoked,
}

/// The keys of a step or a `during` that say what is called and what it should answer.
#[derive(Serialize, Default)]
struct Invoked {
    #[serde(skip_serializing_if = "Option::is_none")]
    call: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    args: Option<Vec<Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    track: Option<BTreeMap<&'static str, u64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expect: Option<toml::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<Value>,
}

impl Invoked {
    /// What a call of `member` passes, expecting `e` (`None`: it never ran); `failing` writes
    /// out a loose expectation whole. An insert passes nothing.
    fn new(member: Member, e: Option<&Expect>, failing: bool) -> Invoked {
        let mut i = Invoked {
            expect: e.and_then(|e| expect_text(e, failing)),
            value: e.and_then(value_of),
            ..Invoked::default()
        };
        if let Some((call, args)) = member.to_call() {
            i.call = Some(call.name());
            i.args = (!args.is_empty()).then_some(args);
        }
        if let Member::AddAudioTrack(source) = member {
            i.track = Some(track(source));
        }
        i
    }
}

fn hr_text(h: Hresult) -> toml::Value {
    toml::Value::String(h.symbol().map_or_else(|| h.hex(), str::to_owned))
}

/// The scenario's `expect` for a prediction; `all` lists every known code of a loose
/// prediction (only for the step that failed, which must check something).
fn expect_text(e: &Expect, all: bool) -> Option<toml::Value> {
    let list = |f: &dyn Fn(Hresult) -> bool| {
        toml::Value::Array(Hresult::known().map(|(h, _, _)| h).filter(|h| f(*h)).map(hr_text).collect())
    };
    match e.hr {
        HrSet::One(h) => Some(hr_text(h)),
        HrSet::Either(a, b) => Some(toml::Value::Array(vec![hr_text(a), hr_text(b)])),
        HrSet::Failure if all => Some(list(&|h| h.is_failure())),
        HrSet::Success if all => Some(list(&|h| h.is_success())),
        _ => None,
    }
}

/// The scenario's `value`: only an exact prediction of a call that is expected to succeed.
fn value_of(e: &Expect) -> Option<Value> {
    match (e.hr, &e.value) {
        (HrSet::One(h), Check::Exact(v)) if h.is_success() => Some(v.clone()),
        _ => None,
    }
}

fn track(source: Source) -> BTreeMap<&'static str, u64> {
    match source {
        Source::Sectors(n) => [("sectors", u64::from(n))].into(),
        Source::Bytes(n) => [("bytes", n)].into(),
    }
}

fn when(t: Trigger) -> BTreeMap<&'static str, toml::Value> {
    let action = |a: TaoWriteAction| toml::Value::String(a.name().to_owned());
    match t {
        Trigger::Action(a) => [("action", action(a))].into(),
        Trigger::Percent(p) => {
            [("action", action(TaoWriteAction::Writing)), ("percent", toml::Value::Integer(p.into()))].into()
        }
        Trigger::Sector(n) => [("sector", toml::Value::Integer(n.into()))].into(),
        Trigger::Event(k) => [("event", toml::Value::Integer(k.into()))].into(),
    }
}

fn drive_section(env: &Env) -> toml::Value {
    let d = &env.drive;
    let mut t = toml::Table::new();
    t.insert("profile".into(), toml::Value::String(d.name.clone()));
    let builtin = drive_by_name(&d.name);
    if builtin.as_ref().is_none_or(|b| b.update_interval_ms != d.update_interval_ms) {
        t.insert("update_interval_ms".into(), toml::Value::Integer(d.update_interval_ms.into()));
    }
    if d.calibration != Calibration::default() {
        let cal = toml::Value::try_from(&d.calibration).expect("calibration serialises");
        t.insert("calibration".into(), cal);
    }
    toml::Value::Table(t)
}

fn media_value(env: &Env, index: Option<u8>) -> toml::Value {
    match index.map(|i| &env.media[i as usize]) {
        None => toml::Value::String("none".into()),
        Some(m) if m.name == TINY_DISC => {
            let mut t = toml::Table::new();
            t.insert("profile".into(), toml::Value::String("cdr80".into()));
            let lo = m.lead_out.expect("the tiny disc has a lead-out").to_string();
            t.insert("lead_out".into(), toml::Value::String(lo));
            toml::Value::Table(t)
        }
        Some(m) => toml::Value::String(m.name.clone()),
    }
}

fn expect_disc(m: &Model) -> BTreeMap<String, toml::Value> {
    let mut out = BTreeMap::new();
    let Some(d) = m.media() else {
        out.insert("present".into(), toml::Value::Boolean(false));
        return out;
    };
    out.insert("present".into(), toml::Value::Boolean(true));
    let status = toml::Value::try_from(d.status).expect("status serialises");
    out.insert("status".into(), status);
    if d.preexisting {
        return out;
    }
    let mut digests = DigestCache::new();
    let tracks = d
        .tracks
        .iter()
        .map(|t| {
            let mut e = toml::Table::new();
            e.insert("start".into(), toml::Value::Integer(t.start.into()));
            e.insert("sectors".into(), toml::Value::Integer(t.sectors.into()));
            if let Some(c) = t.content {
                e.insert("digest".into(), toml::Value::String(digests.digest(c).to_hex().to_string()));
            }
            toml::Value::Table(e)
        })
        .collect();
    out.insert("tracks".into(), toml::Value::Array(tracks));
    let lead_out = match (d.session, d.last()) {
        (SessionModel::Closed { .. }, Some(last)) => toml::Value::Integer(d.layout.lead_out(last).into()),
        (SessionModel::Closed { .. }, None) => return out,
        _ => toml::Value::String("none".into()),
    };
    out.insert("lead_out".into(), lead_out);
    out
}

/// The scenario text of a failure found by `command` (the command line that found it).
pub fn write(f: &Failure, command: &str) -> String {
    let description = format!(
        "Found by `{command}` (shrunk from {} to {} ops): {}. Every expectation is the reference \
         model's prediction (cdr-model).",
        f.found_len,
        f.ops.len(),
        f.disagreement
    );
    write_trace(&f.env, &f.trace, Some(&f.disagreement), &description)
}

/// The scenario text of a traced sequence; `failed` marks the call that disagreed, whose
/// expectation is written out even where the model's prediction is loose.
pub fn write_trace(env: &Env, trace: &Trace, failed: Option<&Disagreement>, description: &str) -> String {
    let mut steps = Vec::new();
    for (k, s) in trace.steps.iter().enumerate() {
        let last = k + 1 == trace.steps.len();
        let is_failing =
            last && failed.is_some_and(|d| matches!(*d.kind, Kind::Answer { .. }) && d.at.during.is_none());
        let client = (s.client != Client::A).then(|| client_name(s.client));
        let mut step = Step { client, call: Invoked::new(s.member, Some(&s.expect), is_failing), ..Step::default() };
        if let Member::Insert(disc) = s.member {
            step.insert = Some(media_value(env, disc));
        }
        for (n, (d, fired)) in s.during.iter().enumerate() {
            let failing_here = last && failed.is_some_and(|f| f.at.during == Some(n));
            let expect = fired.as_ref().map(|f| &f.expect);
            step.during.push(DuringStep { when: when(d.when), call: Invoked::new(d.member, expect, failing_here) });
        }
        steps.push(step);
    }
    let file = File {
        description: description.to_owned(),
        tags: vec!["fuzz".into(), "regression".into()],
        seed: 0,
        drive: drive_section(env),
        media: media_value(env, env.initial),
        step: steps,
        expect_disc: trace.end.as_ref().map(expect_disc),
    };
    toml::to_string(&file).expect("a scenario serialises")
}
