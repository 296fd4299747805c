//! Capture: a transcript turned into a scenario whose expectations are the answers it
//! recorded, so that a session recorded elsewhere (an application burning through the COM
//! server, or a run on another backend) becomes a regression test on the plain simulator.
//!
//! Every step becomes a `[[step]]` with `expect` set to the HRESULT it answered and `value` to
//! the value it returned; every `during` call that fired becomes a `[[step.during]]` with the
//! same trigger (`{ event = K }` for a recording's), `expect`, `value`, and `event` with every
//! field of the Update event that fired it; the disc read back at the end becomes
//! `[expect_disc]`. The drive, the disc at the start and the fault rules come from a
//! [`SetupRecord`] (the recording's own, or one made of the scenario that ran).
//!
//! What a scenario cannot say is refused with a message rather than written wrong: a `during`
//! call that never fired, a step of another kind than the runner records.

use std::fmt::Write as _;

use cdr_sim::contract::DiscReadBack;

use crate::call::{EnumValue, Value};
use crate::scenario::{Action, Step, TrackSource};
use crate::transcript::{DuringRecord, SetupRecord, StepRecord, Transcript};

/// Why a transcript cannot become a scenario.
#[derive(Debug, thiserror::Error)]
#[error("step {step}: {message}")]
pub struct CaptureError {
    /// The transcript's step number (0: not a step's fault).
    pub step: usize,
    /// What cannot be expressed.
    pub message: String,
}

/// What capture needs besides the transcript.
pub struct CaptureInput<'a> {
    /// The transcript.
    pub transcript: &'a Transcript,
    /// The set-up to write: drive, disc at the start, fault rules.
    pub setup: &'a SetupRecord,
    /// The steps of the scenario that produced the transcript, when there is one (a runner's
    /// transcript): the media of `insert` steps, saved discs and audio files are taken from
    /// them, with paths made absolute, instead of from their labels.
    pub scenario_steps: Option<&'a [Step]>,
    /// With a saved disc in the tray at the start (`setup.disc`): the path, as the scenario
    /// will name it, of the file the caller writes it to; it is inserted by a first step.
    pub start_disc_file: Option<&'a str>,
}

fn err(step: usize, message: impl Into<String>) -> CaptureError {
    CaptureError { step, message: message.into() }
}

/// A TOML value written inline.
fn inline<T: serde::Serialize + ?Sized>(v: &T) -> Result<String, CaptureError> {
    toml::Value::try_from(v).map(|v| v.to_string()).map_err(|e| err(0, format!("cannot be written as TOML: {e}")))
}

/// The scenario text of `input`.
pub fn scenario_text(input: &CaptureInput<'_>) -> Result<String, CaptureError> {
    let t = input.transcript;
    let setup = input.setup;
    let mut out = String::new();
    let description = format!("Captured from the transcript of {}: {}", t.scenario, t.description);
    writeln!(out, "# Written by cdr-harness capture: every expectation is the answer the session got.").ok();
    writeln!(out, "description = {}", inline(&description)?).ok();
    writeln!(out, "seed = {}", t.environment.seed).ok();
    if let Some(seed) = setup.fault_seed {
        writeln!(out, "fault_seed = {seed}").ok();
    }
    match (&setup.media, &setup.disc) {
        (Some(m), None) => writeln!(out, "media = {}", media_value(m)?).ok(),
        (None, _) => writeln!(out, "media = \"none\"").ok(),
        (Some(_), Some(_)) => return Err(err(0, "the set-up names both a media profile and a saved disc")),
    };
    let drive = &setup.drive;
    match cdr_sim::profile::drive_by_name(&drive.name) {
        Some(builtin) if builtin == *drive => writeln!(out, "drive = {}", inline(&drive.name)?).ok(),
        builtin => {
            // Every key, on top of the built-in profile of the same name when there is one (so
            // that keys it leaves out stay left out).
            let mut table = toml::Table::try_from(drive).map_err(|e| err(0, e.to_string()))?;
            if builtin.is_some() {
                table.insert("profile".into(), drive.name.clone().into());
            }
            writeln!(out, "\n{}", section("drive", &table)?).ok()
        }
    };

    if setup.disc.is_some() {
        let file =
            input.start_disc_file.ok_or_else(|| err(0, "the disc at the start was a saved disc: give its file"))?;
        writeln!(out, "[[step]]\ninsert = {{ file = {} }}\nexpect = \"S_OK\"\n", inline(file)?).ok();
    }
    // The runner opens every client's recorder itself (InitializeDiscRecorder with the
    // drive's id) before the first step, and a second initialisation answers E_FAIL (spec 8):
    // a recording's first successful initialisation of each client's recorder is that set-up.
    let mut opened: Vec<&str> = Vec::new();
    for record in &t.steps {
        if t.setup.is_some()
            && record.call.as_deref() == Some("IDiscRecorder2::InitializeDiscRecorder")
            && record.hresult == "S_OK"
            && !opened.contains(&record.client.as_str())
        {
            opened.push(record.client.as_str());
            continue;
        }
        let own = input.scenario_steps.and_then(|s| s.iter().find(|s| s.number == record.step));
        write_step(&mut out, record, own)?;
    }
    if let Some(disc) = expect_disc(&t.disc, t.setup.is_none())? {
        writeln!(out, "{disc}").ok();
    }
    for rule in &setup.fault {
        let mut doc = toml::Table::new();
        doc.insert("fault".into(), toml::Value::Array(vec![toml::Value::Table(rule.clone())]));
        writeln!(out, "{}", toml::to_string(&doc).map_err(|e| err(0, e.to_string()))?).ok();
    }
    Ok(out)
}

/// A media profile: its built-in name when it is one unchanged, else every key on top of the
/// built-in profile of the same name (when there is one).
fn media_value(m: &cdr_sim::MediaProfile) -> Result<String, CaptureError> {
    match cdr_sim::profile::media_by_name(&m.name) {
        Some(builtin) if builtin == *m => inline(&m.name),
        builtin => {
            let mut table = toml::Table::try_from(m).map_err(|e| err(0, e.to_string()))?;
            if builtin.is_some() {
                table.insert("profile".into(), m.name.clone().into());
            }
            inline(&table)
        }
    }
}

fn section<T: serde::Serialize>(key: &str, value: &T) -> Result<String, CaptureError> {
    let mut doc = toml::Table::new();
    doc.insert(key.into(), toml::Value::try_from(value).map_err(|e| err(0, e.to_string()))?);
    toml::to_string(&doc).map_err(|e| err(0, e.to_string()))
}

fn expect(hresult: &str) -> String {
    // Symbols and hex both parse back.
    format!("expect = \"{hresult}\"")
}

fn write_step(out: &mut String, r: &StepRecord, own: Option<&Step>) -> Result<(), CaptureError> {
    writeln!(out, "[[step]]").ok();
    if r.client != crate::scenario::MAIN_CLIENT {
        writeln!(out, "client = {}", inline(&r.client)?).ok();
    }
    match (&r.call, &r.insert, &r.save, own.map(|s| &s.action)) {
        (Some(call), None, None, action) => {
            writeln!(out, "call = {}", inline(call)?).ok();
            write_args(out, &r.args)?;
            let source = match action {
                Some(Action::Call(inv)) => inv.track.as_ref(),
                _ => None,
            };
            if let Some(track) = track_text(r.step, r.track.as_deref(), source)? {
                writeln!(out, "track = {track}").ok();
            }
            writeln!(out, "{}", expect(&r.hresult)).ok();
            if let Some(v) = &r.value {
                writeln!(out, "value = {}", inline(v)?).ok();
            }
        }
        (None, Some(_), None, Some(Action::Insert(media))) => {
            match &media.profile {
                Some(m) => writeln!(out, "insert = {}", media_value(m)?).ok(),
                None => writeln!(out, "insert = \"none\"").ok(),
            };
            writeln!(out, "{}", expect(&r.hresult)).ok();
        }
        (None, Some(_), None, Some(Action::InsertSaved(saved))) => {
            writeln!(out, "insert = {{ file = {} }}", inline(&absolute(&saved.path))?).ok();
            writeln!(out, "{}", expect(&r.hresult)).ok();
        }
        (None, None, Some(_), Some(Action::Save(target))) => {
            writeln!(out, "save = {{ file = {}, overwrite = true }}", inline(&target.written)?).ok();
        }
        (None, Some(label), ..) => {
            return Err(err(r.step, format!("an insert of `{label}` needs the scenario that ran (its media)")))
        }
        _ => return Err(err(r.step, "neither a call, an insert nor a save")),
    }
    let own_durings = match own {
        Some(s) => s.during.as_slice(),
        None => &[],
    };
    for d in &r.during {
        let source = own_durings.iter().find(|o| o.number == d.during).and_then(|o| o.invocation.track.as_ref());
        write_during(out, r.step, d, source)?;
    }
    writeln!(out).ok();
    Ok(())
}

fn write_args(out: &mut String, args: &[Value]) -> Result<(), CaptureError> {
    if !args.is_empty() {
        // NULL alone is `args = []`.
        if let [Value::Null] = args {
            writeln!(out, "args = []").ok();
        } else {
            writeln!(out, "args = {}", inline(args)?).ok();
        }
    }
    Ok(())
}

fn absolute(path: &std::path::Path) -> String {
    let p = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    p.to_string_lossy().into_owned()
}

/// A track as a scenario writes it: a file of the scenario that ran, with its path absolute;
/// else the transcript's own spelling (`sectors = N`, `bytes = N`).
fn track_text(
    step: usize,
    written: Option<&str>,
    source: Option<&TrackSource>,
) -> Result<Option<String>, CaptureError> {
    Ok(match (source, written) {
        (Some(TrackSource::Wav(a)), _) => Some(format!("{{ file = {} }}", inline(&absolute(&a.path))?)),
        (Some(TrackSource::Raw(a)), _) => Some(format!("{{ file = {}, raw = true }}", inline(&absolute(&a.path))?)),
        (Some(other), _) => Some(format!("{{ {other} }}")),
        (_, Some(w)) if w.starts_with("file") => {
            return Err(err(step, format!("the track `{w}` is a file: capture needs the scenario that ran to find it")))
        }
        (_, Some(w)) => Some(format!("{{ {w} }}")),
        (_, None) => None,
    })
}

/// `WRITING 50%`, `PREPARING`, `sector 1000`, `event 12` as a `when` table.
fn when_table(step: usize, when: &str) -> Result<String, CaptureError> {
    let bad = || err(step, format!("the trigger `{when}` is not one a scenario can write"));
    let words: Vec<&str> = when.split_whitespace().collect();
    Ok(match words.as_slice() {
        ["event", k] => format!("{{ event = {} }}", k.parse::<u32>().map_err(|_| bad())?),
        ["sector", n] => format!("{{ sector = {} }}", n.parse::<u32>().map_err(|_| bad())?),
        ["WRITING", p] => {
            let p = p.strip_suffix('%').ok_or_else(bad)?.parse::<u32>().map_err(|_| bad())?;
            format!("{{ action = \"WRITING\", percent = {p} }}")
        }
        [action] => format!("{{ action = {} }}", inline(action)?),
        _ => return Err(bad()),
    })
}

fn write_during(
    out: &mut String,
    step: usize,
    d: &DuringRecord,
    source: Option<&TrackSource>,
) -> Result<(), CaptureError> {
    if !d.fired {
        return Err(err(
            step,
            format!("during call {} ({}) never fired: a scenario cannot expect that", d.during, d.call),
        ));
    }
    writeln!(out, "\n  [[step.during]]").ok();
    writeln!(out, "  when = {}", when_table(step, &d.when)?).ok();
    writeln!(out, "  call = {}", inline(&d.call)?).ok();
    let mut args = String::new();
    write_args(&mut args, &d.args)?;
    write!(out, "{}", args.lines().map(|l| format!("  {l}\n")).collect::<String>()).ok();
    if let Some(track) = track_text(step, d.track.as_deref(), source)? {
        writeln!(out, "  track = {track}").ok();
    }
    if let Some(hr) = &d.hresult {
        writeln!(out, "  {}", expect(hr)).ok();
    }
    if let Some(v) = &d.value {
        writeln!(out, "  value = {}", inline(v)?).ok();
    }
    if let Some(e) = &d.event {
        writeln!(out, "  event = {}", inline(e)?).ok();
    }
    Ok(())
}

/// `[expect_disc]` of the disc read back; digests only when `digests` (the audio of the
/// replay is the audio of the run).
fn expect_disc(disc: &DiscReadBack, digests: bool) -> Result<Option<String>, CaptureError> {
    let Some(m) = &disc.media else { return Ok(Some("[expect_disc]\npresent = false\n".into())) };
    let mut table = toml::Table::new();
    let mut put = |k: &str, v: toml::Value| {
        table.insert(k.into(), v);
    };
    put("present", true.into());
    put("status", toml::Value::try_from(m.status).map_err(|e| err(0, e.to_string()))?);
    put("sessions", i64::from(m.sessions).into());
    put("last_session_state", toml::Value::try_from(m.last_session_state).map_err(|e| err(0, e.to_string()))?);
    let media_type = Value::Enum(EnumValue::media_type(m.media_type));
    put("media_type", toml::Value::try_from(&media_type).map_err(|e| err(0, e.to_string()))?);
    put("lead_out", m.lead_out.map_or_else(|| "none".into(), |l| i64::from(l).into()));
    put("next_writable_address", m.next_writable_address.map_or_else(|| "none".into(), |l| i64::from(l).into()));
    put("free_blocks", i64::from(m.free_blocks).into());
    let tracks = m
        .tracks
        .iter()
        .map(|t| {
            let mut tt = toml::Table::new();
            tt.insert("start".into(), i64::from(t.start).into());
            tt.insert("sectors".into(), i64::from(t.sectors).into());
            tt.insert("pregap".into(), i64::from(t.pregap).into());
            tt.insert("session".into(), i64::from(t.session).into());
            if let (true, Some(d)) = (digests, &t.digest) {
                tt.insert("digest".into(), d.clone().into());
            }
            if t.damaged {
                tt.insert("damaged".into(), true.into());
            }
            toml::Value::Table(tt)
        })
        .collect();
    let mut text = String::from("[expect_disc]\n");
    for (k, v) in &table {
        writeln!(text, "{k} = {v}").ok();
    }
    writeln!(text, "tracks = {}", toml::Value::Array(tracks)).ok();
    Ok(Some(text))
}
