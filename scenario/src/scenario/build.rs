//! From the file as written to the checked [`Scenario`]: every check that needs more than serde.

use std::ops::Range;
use std::path::Path;

use cdr_sim::{Hresult, TaoWriteAction};
use toml::Spanned;

use super::file::{DuringFile, ExpectDiscFile, ScenarioFile, StepFile, TrackFile, WhenFile};
use super::node::Node;
use super::profiles;
use super::track::{AudioFile, TrackSource};
use super::{
    line_col, Action, Checked, During, ExpectDisc, Expectation, Invocation, Scenario, ScenarioError, Step, Trigger,
    MAIN_CLIENT,
};
use crate::call::{Call, EnumKind, Param, Value, ValueType};

struct Ctx<'a> {
    path: &'a Path,
    text: &'a str,
}

impl Ctx<'_> {
    fn err(&self, span: Range<usize>, message: impl Into<String>) -> ScenarioError {
        ScenarioError::at(self.path, self.text, span, message)
    }
    fn line(&self, span: &Range<usize>) -> usize {
        line_col(self.text, span.start).0
    }
}

/// `complete` is false when some tables of the file could not be read (and are reported
/// already): the checks of the file as a whole (at least one step, something checked) are then
/// left out, as they would be about the part that was read.
pub(super) fn build(path: &Path, text: &str, raw: ScenarioFile, complete: bool) -> Result<Scenario, ScenarioError> {
    let cx = Ctx { path, text };
    // Every part is checked even when an earlier one is wrong, so that one run reports every
    // mistake in the file.
    let mut errors = Vec::new();
    let description = keep(&mut errors, description(&cx, raw.description.as_ref()));
    if complete && raw.step.is_empty() {
        errors.push(ScenarioError::at_position(
            path,
            (1, 1),
            "no steps: a scenario needs at least one [[step]] (a file that checks nothing is an error)",
        ));
    }
    let drive = keep(&mut errors, profiles::drive(raw.drive.as_ref(), path, text));
    let media = keep(&mut errors, profiles::media(raw.media.as_ref(), path, text));

    let mut clients = vec![MAIN_CLIENT.to_string()];
    for s in &raw.step {
        if let Some(c) = &s.get_ref().client {
            let name = c.get_ref().trim();
            if name.is_empty() {
                errors.push(cx.err(c.span(), "`client` is empty: name the client, e.g. client = \"second\""));
            } else if !clients.iter().any(|k| k == name) {
                clients.push(name.to_string());
            }
        }
    }

    let steps: Vec<Option<Step>> =
        raw.step.iter().enumerate().map(|(i, s)| keep(&mut errors, step(&cx, i + 1, s, &clients))).collect();
    let expect_disc = keep(&mut errors, raw.expect_disc.as_ref().map(|e| expect_disc(&cx, e)).transpose());
    let rules = keep(&mut errors, crate::faults::placed_rules(path, text, &raw.fault));
    if let Some(e) = ScenarioError::all(path, errors) {
        return Err(e);
    }
    let (Some(description), Some(drive), Some(media), Some(expect_disc), Some(rules)) =
        (description, drive, media, expect_disc, rules)
    else {
        unreachable!("every part that failed left an error");
    };
    let steps: Vec<Step> = steps.into_iter().flatten().collect();
    if complete && !super::checks::checks_something(&steps, expect_disc.as_ref()) {
        return Err(ScenarioError::at_position(path, (1, 1), super::checks::NOTHING_CHECKED));
    }
    Ok(Scenario {
        name: path.to_string_lossy().replace('\\', "/"),
        path: path.to_path_buf(),
        description,
        tags: raw.tags,
        seed: raw.seed.unwrap_or(0),
        drive,
        media,
        steps,
        expect_disc,
        clients,
        faults: crate::faults::FaultConfig { rules, seed: raw.fault_seed },
    })
}

/// `r`'s value, or `None` with its error added to `errors`.
fn keep<T>(errors: &mut Vec<ScenarioError>, r: Result<T, ScenarioError>) -> Option<T> {
    r.map_err(|e| errors.push(e)).ok()
}

fn description(cx: &Ctx<'_>, d: Option<&Spanned<String>>) -> Result<String, ScenarioError> {
    match d {
        Some(d) if !d.get_ref().trim().is_empty() => Ok(d.get_ref().trim().to_string()),
        Some(d) => Err(cx.err(d.span(), "`description` is empty: say what the scenario checks")),
        None => Err(ScenarioError::at_position(
            cx.path,
            (1, 1),
            "missing `description`: every scenario says what it checks, e.g. \
             description = \"PrepareMedia on a blank CD-R answers S_OK\"",
        )),
    }
}

fn step(cx: &Ctx<'_>, number: usize, s: &Spanned<StepFile>, clients: &[String]) -> Result<Step, ScenarioError> {
    let span = s.span();
    let f = s.get_ref();
    let client = f.client.as_ref().map_or(MAIN_CLIENT.to_string(), |c| c.get_ref().trim().to_string());
    if let Some(save) = &f.save {
        let line = cx.line(&span);
        let target = save_step(cx, f, save)?;
        return Ok(Step {
            number,
            line,
            client,
            action: Action::Save(target),
            expect: Expectation::default(),
            during: vec![],
        });
    }
    // The call and each `during` call are checked even when one of them is wrong.
    let mut errors = Vec::new();
    let action = step_action(cx, number, s, clients).map_err(|e| errors.push(e)).ok();
    let is_add = matches!((&f.call, &f.insert), (Some(c), None) if *c.get_ref() == Call::AddAudioTrack);
    let mut during = Vec::with_capacity(f.during.len());
    for (i, d) in f.during.iter().enumerate() {
        if !is_add {
            errors.push(cx.err(
                d.span(),
                "`during` calls are made from the Update handler, which only fires inside AddAudioTrack: \
                 put them on an AddAudioTrack step",
            ));
            break;
        }
        match during_call(cx, i + 1, d, clients) {
            Ok(one) => during.push(one),
            Err(e) => errors.push(e),
        }
    }
    if let Some(e) = ScenarioError::all(cx.path, errors) {
        return Err(e);
    }
    let Some((action, expect)) = action else { unreachable!("a step whose action failed left an error") };
    Ok(Step { number, line: cx.line(&span), client, action, expect, during })
}

/// What a step that is not a `save` does, and what it should answer.
fn step_action(
    cx: &Ctx<'_>,
    number: usize,
    s: &Spanned<StepFile>,
    clients: &[String],
) -> Result<(Action, Expectation), ScenarioError> {
    let f = s.get_ref();
    match (&f.call, &f.insert) {
        (Some(_), Some(i)) => Err(cx.err(i.span(), "a step has either `call` or `insert`, not both")),
        (None, None) => {
            Err(cx.err(s.span(), format!("step {number} has none of `call`, `insert` or `save`: say what it does")))
        }
        (None, Some(insert)) => {
            let stray = [
                f.args.as_ref().map(|v| ("args", v.span())),
                f.track.as_ref().map(|v| ("track", v.span())),
                f.value.as_ref().map(|v| ("value", v.span())),
                f.during.first().map(|v| ("during", v.span())),
            ];
            if let Some((key, span)) = stray.into_iter().flatten().next() {
                return Err(cx.err(span, format!("`{key}` belongs to a call; an `insert` step only takes `expect`")));
            }
            let expect = Expectation { hresults: hresults(cx, f.expect.as_ref())?, value: None };
            match saved_disc(cx, insert)? {
                Some(saved) => Ok((Action::InsertSaved(saved), expect)),
                None => Ok((Action::Insert(profiles::media(Some(insert), cx.path, cx.text)?), expect)),
            }
        }
        (Some(call), None) => {
            let invocation = invocation(cx, call, f.args.as_ref(), f.track.as_ref(), clients);
            let expect = expectation(cx, call, f.expect.as_ref(), f.value.as_ref());
            match (invocation, expect) {
                (Ok(i), Ok(e)) => Ok((Action::Call(i), e)),
                (i, e) => Err(ScenarioError::all(cx.path, [i.err(), e.err()].into_iter().flatten().collect())
                    .unwrap_or_else(|| unreachable!("one of them failed"))),
            }
        }
    }
}

/// `insert = { file = "..." }`: a saved disc (a table with `file` and nothing else).
fn saved_disc(cx: &Ctx<'_>, insert: &Spanned<Node>) -> Result<Option<crate::durable::SavedDisc>, ScenarioError> {
    saved_disc_at(cx.path, cx.text, insert)
}

/// `{ file = "..." }` written in `text` (the contents of `path`): a saved disc; `None` for any
/// other value.
pub(super) fn saved_disc_at(
    path: &Path,
    text: &str,
    insert: &Spanned<Node>,
) -> Result<Option<crate::durable::SavedDisc>, ScenarioError> {
    let cx = &Ctx { path, text };
    let Node::Table(t) = insert.get_ref() else { return Ok(None) };
    let Some(file) = t.get("file") else { return Ok(None) };
    if let Some((k, v)) = t.iter().find(|(k, _)| *k != "file") {
        return Err(cx.err(
            v.span(),
            format!(
                "`{k}` does not go with `file`: insert = {{ file = \"...\" }} puts a saved disc back as it was saved"
            ),
        ));
    }
    match file.get_ref() {
        Node::Leaf(toml::Value::String(s)) => {
            crate::durable::saved_disc(cx.path, s).map(Some).map_err(|m| cx.err(file.span(), m))
        }
        _ => Err(cx.err(file.span(), "`file` is the path of a saved disc (a string), e.g. \"discs/burned.disc.toml\"")),
    }
}

/// A `save` step: nothing else but `client` on it.
fn save_step(
    cx: &Ctx<'_>,
    f: &StepFile,
    save: &Spanned<toml::Value>,
) -> Result<crate::durable::SaveTarget, ScenarioError> {
    let stray = [
        f.call.as_ref().map(|v| ("call", v.span())),
        f.insert.as_ref().map(|v| ("insert", v.span())),
        f.args.as_ref().map(|v| ("args", v.span())),
        f.track.as_ref().map(|v| ("track", v.span())),
        f.expect.as_ref().map(|v| ("expect", v.span())),
        f.value.as_ref().map(|v| ("value", v.span())),
        f.during.first().map(|v| ("during", v.span())),
    ];
    if let Some((key, span)) = stray.into_iter().flatten().next() {
        return Err(cx.err(span, format!("`{key}` does not go with `save`: a save step only saves the disc")));
    }
    crate::durable::save_target(cx.path, save).map_err(|(span, m)| cx.err(span, m))
}

fn during_call(
    cx: &Ctx<'_>,
    number: usize,
    d: &Spanned<DuringFile>,
    clients: &[String],
) -> Result<During, ScenarioError> {
    let f = d.get_ref();
    let when = trigger(cx, &f.when)?;
    let invocation = invocation(cx, &f.call, f.args.as_ref(), f.track.as_ref(), clients)?;
    let expect = expectation(cx, &f.call, f.expect.as_ref(), f.value.as_ref())?;
    let event = match &f.event {
        Some(e) if *e.get_ref() == super::file::EventExpect::default() => {
            return Err(cx.err(
                e.span(),
                "`event = {}` checks nothing: give action, track, start_lba, sector_count, \
                 last_written_lba, elapsed or remaining",
            ))
        }
        Some(e) => Some(e.get_ref().clone()),
        None => None,
    };
    Ok(During { number, line: cx.line(&d.span()), when, invocation, expect, event })
}

fn trigger(cx: &Ctx<'_>, w: &Spanned<WhenFile>) -> Result<Trigger, ScenarioError> {
    const FORMS: &str = "{ action = \"WRITING\", percent = P }, { action = \"PREPARING\" }, \
                         { action = \"FINISHING\" }, { action = \"VERIFYING\" }, { sector = N } or { event = K }";
    let f = w.get_ref();
    if let Some(k) = &f.event {
        if f.action.is_some() || f.percent.is_some() || f.sector.is_some() {
            return Err(cx.err(w.span(), "`event` stands alone in `when`: { event = K } is the K-th Update event"));
        }
        if *k.get_ref() == 0 {
            return Err(cx.err(k.span(), "`event` counts from 1: { event = 1 } is the first Update event of the track"));
        }
        return Ok(Trigger::Event(*k.get_ref()));
    }
    match (&f.action, &f.percent, &f.sector) {
        (Some(a), None, None) => match a.get_ref() {
            TaoWriteAction::Unknown => Err(cx.err(a.span(), format!("UNKNOWN is never fired; expected {FORMS}"))),
            action => Ok(Trigger::Action(*action)),
        },
        (Some(a), Some(p), None) => {
            if *a.get_ref() != TaoWriteAction::Writing {
                return Err(cx.err(p.span(), "`percent` goes with action = \"WRITING\" only"));
            }
            if *p.get_ref() > 100 {
                return Err(cx.err(p.span(), "`percent` is 0..=100"));
            }
            Ok(Trigger::Percent(*p.get_ref()))
        }
        (None, None, Some(s)) => Ok(Trigger::Sector(*s.get_ref())),
        _ => Err(cx.err(w.span(), format!("`when` must be one of {FORMS}"))),
    }
}

fn invocation(
    cx: &Ctx<'_>,
    call: &Spanned<Call>,
    args: Option<&Spanned<Vec<Value>>>,
    track: Option<&Spanned<TrackFile>>,
    clients: &[String],
) -> Result<Invocation, ScenarioError> {
    let c = *call.get_ref();
    let typed = c
        .check_args(args.map(|a| a.get_ref().as_slice()))
        .map_err(|e| cx.err(args.map_or(call.span(), |a| a.span()), e))?;
    // Recorder arguments name clients.
    for (arg, param) in typed.iter().zip(c.params()) {
        if let (Param::Recorder { .. }, Value::Str(name)) = (param, arg) {
            if !clients.iter().any(|k| k == name) {
                let span = args.map_or(call.span(), |a| a.span());
                return Err(cx.err(
                    span,
                    format!("no client named `{name}` in this scenario (clients: {})", clients.join(", ")),
                ));
            }
        }
    }
    let track = match (c, track) {
        (Call::AddAudioTrack, Some(t)) => Some(track_source(cx, t)?),
        (Call::AddAudioTrack, None) => {
            return Err(cx.err(
                call.span(),
                "AddAudioTrack needs a `track`: { sectors = N }, { seconds = N }, { bytes = N }, \
                 { file = \"a.wav\" } or { file = \"a.bin\", raw = true }",
            ))
        }
        (_, Some(t)) => return Err(cx.err(t.span(), format!("`track` belongs to AddAudioTrack, not {c}"))),
        (_, None) => None,
    };
    Ok(Invocation { call: c, args: typed, track })
}

fn track_source(cx: &Ctx<'_>, t: &Spanned<TrackFile>) -> Result<TrackSource, ScenarioError> {
    let f = t.get_ref();
    let given = [f.sectors.is_some(), f.seconds.is_some(), f.bytes.is_some(), f.file.is_some()];
    if given.iter().filter(|g| **g).count() != 1 {
        return Err(cx.err(
            t.span(),
            "a track has exactly one of `sectors`, `seconds`, `bytes` or `file` (with `raw = true` for a file's bytes as they are)",
        ));
    }
    if f.raw.is_some() && f.file.is_none() {
        return Err(cx.err(t.span(), "`raw` goes with `file` only"));
    }
    let source = match (f.sectors, f.seconds, f.bytes, &f.file) {
        (Some(n), ..) => TrackSource::Sectors(n),
        (_, Some(n), ..) => TrackSource::Seconds(n),
        (_, _, Some(n), _) => TrackSource::Bytes(n),
        (.., Some(file)) => {
            let audio = AudioFile { written: file.clone(), path: profiles::base_dir(cx.path).join(file) };
            if !audio.path.is_file() {
                return Err(cx.err(
                    t.span(),
                    format!("audio file `{}` does not exist (resolved to {})", file, audio.path.display()),
                ));
            }
            if f.raw == Some(true) {
                TrackSource::Raw(audio)
            } else {
                TrackSource::Wav(audio)
            }
        }
        _ => unreachable!("exactly one source is given"),
    };
    // Files are checked now (a WAV must be CD audio), so a bad file stops the run before any step.
    if source.synthetic_len().is_none() {
        source.open(0).map_err(|e| cx.err(t.span(), e.to_string()))?;
    }
    Ok(source)
}

fn hresults(cx: &Ctx<'_>, expect: Option<&Spanned<Value>>) -> Result<Option<Vec<Hresult>>, ScenarioError> {
    let Some(e) = expect else { return Ok(None) };
    let one = |v: &Value| -> Result<Hresult, String> {
        match v {
            Value::Str(s) => s.parse::<Hresult>().map_err(|e| e.to_string()),
            other => Err(format!(
                "expected an HRESULT symbol or hex string (\"S_OK\", \"0xC0AA0502\"), found {}",
                other.kind_name()
            )),
        }
    };
    let list = match e.get_ref() {
        Value::List(items) if items.is_empty() => {
            return Err(cx.err(e.span(), "`expect = []` allows nothing: give one HRESULT or a list of allowed ones"))
        }
        Value::List(items) => items.iter().map(one).collect::<Result<Vec<_>, _>>(),
        v => one(v).map(|h| vec![h]),
    };
    list.map(Some).map_err(|m| cx.err(e.span(), m))
}

fn expectation(
    cx: &Ctx<'_>,
    call: &Spanned<Call>,
    expect: Option<&Spanned<Value>>,
    value: Option<&Spanned<Value>>,
) -> Result<Expectation, ScenarioError> {
    let hresults = hresults(cx, expect)?;
    let value = match value {
        None => None,
        Some(v) => match call.get_ref().returns() {
            None => {
                return Err(cx.err(v.span(), format!("{} returns no value: remove `value`", call.get_ref())));
            }
            Some(ty) => Some(
                ty.coerce(v.get_ref()).map_err(|e| cx.err(v.span(), format!("value of {}: {e}", call.get_ref())))?,
            ),
        },
    };
    Ok(Expectation { hresults, value })
}

fn expect_disc(cx: &Ctx<'_>, e: &ExpectDiscFile) -> Result<ExpectDisc, ScenarioError> {
    fn checked<T: Clone>(cx: &Ctx<'_>, v: &Option<Spanned<T>>) -> Option<Checked<T>> {
        v.as_ref().map(|s| Checked { value: s.get_ref().clone(), line: cx.line(&s.span()) })
    }
    let lba_or_none = |v: &Option<Spanned<Value>>, key: &str| -> Result<Option<Checked<Option<i32>>>, ScenarioError> {
        let Some(s) = v else { return Ok(None) };
        let value = match s.get_ref() {
            Value::Str(t) if t == "none" => None,
            Value::Int(n) => Some(i32::try_from(*n).map_err(|_| cx.err(s.span(), format!("`{key}` out of range")))?),
            other => {
                return Err(
                    cx.err(s.span(), format!("`{key}`: expected an LBA or \"none\", found {}", other.kind_name()))
                )
            }
        };
        Ok(Some(Checked { value, line: cx.line(&s.span()) }))
    };
    let media_type = match &e.media_type {
        None => None,
        Some(s) => {
            let v = ValueType::Enum(EnumKind::MediaPhysicalType)
                .coerce(s.get_ref())
                .map_err(|m| cx.err(s.span(), format!("`media_type`: {m}")))?;
            Some(Checked { value: v, line: cx.line(&s.span()) })
        }
    };
    let mut any_of = Vec::with_capacity(e.any_of.len());
    for alt in &e.any_of {
        if !alt.get_ref().any_of.is_empty() {
            return Err(cx.err(alt.span(), "`any_of` alternatives cannot hold alternatives of their own"));
        }
        let mut one = expect_disc(cx, alt.get_ref())?;
        one.line = cx.line(&alt.span());
        any_of.push(one);
    }
    let out = ExpectDisc {
        any_of,
        line: 0,
        present: checked(cx, &e.present),
        status: checked(cx, &e.status),
        tracks: checked(cx, &e.tracks),
        lead_out: lba_or_none(&e.lead_out, "lead_out")?,
        sessions: checked(cx, &e.sessions),
        last_session_state: checked(cx, &e.last_session_state),
        media_type,
        next_writable_address: lba_or_none(&e.next_writable_address, "next_writable_address")?,
        free_blocks: checked(cx, &e.free_blocks),
    };
    let lines = [
        out.present.as_ref().map(|c| c.line),
        out.status.as_ref().map(|c| c.line),
        out.tracks.as_ref().map(|c| c.line),
        out.lead_out.as_ref().map(|c| c.line),
        out.sessions.as_ref().map(|c| c.line),
        out.last_session_state.as_ref().map(|c| c.line),
        out.media_type.as_ref().map(|c| c.line),
        out.next_writable_address.as_ref().map(|c| c.line),
        out.free_blocks.as_ref().map(|c| c.line),
    ];
    let line = lines.into_iter().flatten().min().unwrap_or(0);
    Ok(ExpectDisc { line, ..out })
}
