//! The differential runner: executes a sequence of [`Op`]s on a fresh backend and on the model
//! side by side, and stops at the first disagreement.
//!
//! Each case mirrors how `cdr-harness run` executes a scenario, so that a failing sequence
//! written out as a scenario replays the same calls: two clients, each with a recorder object
//! initialised with `IDiscMaster2::Item(0)` and a format object with an Update sink; synthetic
//! audio seeded with the scenario seed plus the step number; at the end the format objects are
//! dropped (as a process exit does) and the disc is read back.

use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use cdr_sim::source::SyntheticPcm;
use cdr_sim::{
    AudioStream, Backend, BurnVerificationLevel, DiscFormat2TrackAtOnce, DiscRecorder2, Hresult, TaoProgress,
    TaoUpdateSink, TaoWriteAction,
};

use super::calls::action_rank;
use super::outcome::{At, Disagreement, Kind, Stats};
use super::readback::check_disc;
use super::sut::Sut;
use crate::{Client, DigestCache, During, Env, Expect, HrSet, Member, Model, Op, Plan, Source, Trigger, Write};
use cdr_scenario::call::{invoke, Call, Target, Value};

/// What one case did, call by call, for writing it out as a scenario.
#[derive(Clone, Debug, Default)]
pub struct Trace {
    /// Every step executed, in order (repeats expanded).
    pub steps: Vec<TracedStep>,
    /// The model after the last step and the format objects' drop (the disc to expect).
    pub end: Option<Model>,
}

/// One step executed.
#[derive(Clone, Debug)]
pub struct TracedStep {
    /// Index of its op in the sequence.
    pub op: usize,
    /// Who called.
    pub client: Client,
    /// What.
    pub member: Member,
    /// The model's prediction.
    pub expect: Expect,
    /// Its handler calls and the prediction each got when it fired (`None`: never fired).
    pub during: Vec<(During, Option<Expect>)>,
}

/// Runs cases against one system under test. Keeps its digest cache and counts across cases.
pub struct Runner {
    sut: Arc<dyn Sut>,
    digests: DigestCache,
    /// Counts so far.
    pub stats: Stats,
    fingerprint: blake3::Hasher,
    /// Seed of the synthetic audio (the scenario's `seed`).
    pub audio_seed: u64,
    /// Records a [`Trace`] of each case when set.
    pub trace: Option<Trace>,
}

/// A case in progress (see [`Runner::start`]).
pub struct CaseRun {
    case: Case,
    next: usize,
    stopped: bool,
}

impl CaseRun {
    /// The model as it stands.
    pub fn model(&self) -> &Model {
        &self.case.model
    }
}

impl Runner {
    /// A runner on `sut`.
    pub fn new(sut: Arc<dyn Sut>) -> Runner {
        Runner {
            sut,
            digests: DigestCache::new(),
            stats: Stats::default(),
            fingerprint: blake3::Hasher::new(),
            audio_seed: 0,
            trace: None,
        }
    }

    /// The system under test's name.
    pub fn sut_name(&self) -> String {
        self.sut.name()
    }

    /// A digest of every answer observed so far: equal for equal runs (determinism checks).
    pub fn fingerprint(&self) -> blake3::Hash {
        self.fingerprint.finalize()
    }

    /// Runs one case: `ops` on a fresh backend built from `env`.
    pub fn run_case(&mut self, env: &Arc<Env>, ops: &[Op]) -> Result<(), Disagreement> {
        let mut run = self.start(env)?;
        for op in ops {
            self.step(&mut run, op)?;
        }
        self.finish(run)
    }

    /// Starts a case on a fresh backend built from `env`.
    pub fn start(&mut self, env: &Arc<Env>) -> Result<CaseRun, Disagreement> {
        self.stats.cases += 1;
        if let Some(t) = self.trace.as_mut() {
            *t = Trace::default();
        }
        let initial = env.initial.map(|i| &env.media[i as usize]);
        let backend = self.sut.backend(&env.drive, initial);
        match Case::new(backend, env) {
            Ok(case) => Ok(CaseRun { case, next: 0, stopped: false }),
            Err(msg) => Err(Disagreement::new(At { op: 0, step: 0, during: None }, Kind::Rule(msg))),
        }
    }

    /// Runs the next op of a case (nothing once the case reached a state the spec says
    /// nothing of).
    pub fn step(&mut self, run: &mut CaseRun, op: &Op) -> Result<(), Disagreement> {
        let i = run.next;
        run.next += 1;
        if run.stopped {
            return Ok(());
        }
        for _ in 0..op.repeat.max(1) {
            run.case.step += 1;
            run.case.exec(self, i, op)?;
            if run.case.model.silent.is_some() {
                self.stats.silent += 1;
                run.stopped = true;
                return Ok(());
            }
        }
        run.case.after_op(self, i, op)
    }

    /// Ends a case as the scenario runner does: drops the format objects and checks the disc.
    pub fn finish(&mut self, run: CaseRun) -> Result<(), Disagreement> {
        if run.stopped {
            return Ok(());
        }
        run.case.finish(self)
    }
}

struct Case {
    backend: Box<dyn Backend>,
    model: Model,
    recorders: [Arc<dyn DiscRecorder2>; 2],
    formats: Option<[Arc<dyn DiscFormat2TrackAtOnce>; 2]>,
    sinks: [Arc<Sink>; 2],
    /// Free as last read per client within its session (spec: Free never grows in a session).
    last_free: [Option<i32>; 2],
    step: usize,
}

fn no_lookup(_: &str) -> Option<Arc<dyn DiscRecorder2>> {
    None
}

impl Case {
    fn new(backend: Box<dyn Backend>, env: &Arc<Env>) -> Result<Case, String> {
        let setup = |what: &str, hr: Hresult| format!("setup: {what} failed with {hr}");
        let master = backend.disc_master().map_err(|h| setup("IDiscMaster2", h))?;
        let id = master.item(0).map_err(|h| setup("IDiscMaster2::Item(0)", h))?;
        let mut recorders = Vec::with_capacity(2);
        for _ in Client::ALL {
            let r = backend.create_recorder().map_err(|h| setup("create IDiscRecorder2", h))?;
            r.initialize_disc_recorder(&id).map_err(|h| setup("InitializeDiscRecorder", h))?;
            recorders.push(r);
        }
        let recorders: [Arc<dyn DiscRecorder2>; 2] = [Arc::clone(&recorders[0]), Arc::clone(&recorders[1])];
        let mut formats = Vec::with_capacity(2);
        let mut sinks = Vec::with_capacity(2);
        for c in Client::ALL {
            let f = backend.create_format().map_err(|h| setup("create IDiscFormat2TrackAtOnce", h))?;
            let sink = Arc::new(Sink::new(c, Arc::clone(&recorders[c.index()])));
            f.advise(sink.clone()).map_err(|h| setup("Advise", h))?;
            formats.push(f);
            sinks.push(sink);
        }
        Ok(Case {
            backend,
            model: Model::new(Arc::clone(env)),
            recorders,
            formats: Some([Arc::clone(&formats[0]), Arc::clone(&formats[1])]),
            sinks: [Arc::clone(&sinks[0]), Arc::clone(&sinks[1])],
            last_free: [None; 2],
            step: 0,
        })
    }

    fn at(&self, op: usize) -> At {
        At { op, step: self.step, during: None }
    }

    /// Makes one call of `op`; the value answered, for plain calls.
    fn exec(&mut self, r: &mut Runner, i: usize, op: &Op) -> Result<Option<Value>, Disagreement> {
        let c = op.client;
        match op.member {
            Member::AddAudioTrack(source) => self.add_audio_track(r, i, c, source, &op.plan).map(|()| None),
            Member::Insert(disc) => {
                let expect = self.model.predict(c, op.member);
                let media = disc.map(|d| &self.model.env.media[d as usize]);
                let hr = match self.backend.change_media(self.recorders[c.index()].as_ref(), media) {
                    Ok(()) => Hresult::S_OK,
                    Err(hr) => hr,
                };
                self.answer(r, i, c, op.member, expect, hr, &None)?;
                Ok(None)
            }
            member => {
                let expect = self.model.predict(c, member);
                let (call, args) = member.to_call().expect("calls other than Insert map to a Call");
                let formats = self.formats.as_ref().expect("formats live until the end");
                let target = Target {
                    format: formats[c.index()].as_ref(),
                    recorder: &self.recorders[c.index()],
                    lookup: &no_lookup,
                };
                let (hr, value) = invoke(&target, call, &args, None);
                self.answer(r, i, c, member, expect, hr, &value)?;
                if member == Member::PrepareMedia && hr.is_success() {
                    r.stats.prepares += 1;
                    self.last_free[c.index()] = None;
                }
                Ok(value)
            }
        }
    }

    /// Compares an answer with the prediction, records it, and applies it to the model.
    #[allow(clippy::too_many_arguments)]
    fn answer(
        &mut self,
        r: &mut Runner,
        i: usize,
        c: Client,
        member: Member,
        expect: Expect,
        hr: Hresult,
        value: &Option<Value>,
    ) -> Result<(), Disagreement> {
        r.stats.calls += 1;
        feed(&mut r.fingerprint, hr, value.as_ref());
        let ok = expect.allows(hr, value.as_ref());
        if let Some(t) = r.trace.as_mut() {
            t.steps.push(TracedStep { op: i, client: c, member, expect: expect.clone(), during: Vec::new() });
        }
        if !ok {
            let value = value.clone();
            return Err(Disagreement::new(self.at(i), Kind::Answer { client: c, member, expected: expect, hr, value }));
        }
        self.model.apply(c, member, hr, 0);
        Ok(())
    }

    fn add_audio_track(
        &mut self,
        r: &mut Runner,
        i: usize,
        c: Client,
        source: Source,
        plan: &Plan,
    ) -> Result<(), Disagreement> {
        let member = Member::AddAudioTrack(source);
        let expect = self.model.predict(c, member);
        let seed = r.audio_seed.wrapping_add(self.step as u64);
        let write = (expect.hr == HrSet::One(Hresult::S_OK)).then(|| self.model.begin_write(c, source, seed));
        let budget = if write.is_some() { source.bytes() } else { source.bytes().min(1 << 24) };
        let mut stream = Budgeted { inner: SyntheticPcm::bytes(seed, source.bytes()), left: budget };
        let sink = Arc::clone(&self.sinks[c.index()]);
        let env = Arc::clone(&self.model.env);
        let model = std::mem::replace(&mut self.model, Model::new(env));
        let beyond = write.is_none() && model.beyond_disc(c, source);
        sink.begin(WriteCtx::new(model, write, beyond, *plan, seed, std::mem::take(&mut r.fingerprint)));
        let formats = self.formats.as_ref().expect("formats live until the end");
        let target =
            Target { format: formats[c.index()].as_ref(), recorder: &self.recorders[c.index()], lookup: &no_lookup };
        let (hr, value) = invoke(&target, Call::AddAudioTrack, &[], Some(&mut stream));
        let ctx = sink.end();
        self.model = ctx.model;
        r.fingerprint = ctx.fingerprint;
        r.stats.calls += ctx.calls;
        r.stats.handler_calls += ctx.calls;
        let mut traced = TracedStep { op: i, client: c, member, expect: expect.clone(), during: Vec::new() };
        for (k, d) in plan.iter().enumerate() {
            if let Some(d) = d {
                traced.during.push((*d, ctx.traced[k].clone()));
            }
        }
        if let Some(t) = r.trace.as_mut() {
            t.steps.push(traced);
        }
        if let Some((during, kind)) = ctx.failure {
            return Err(Disagreement::new(At { op: i, step: self.step, during }, kind));
        }
        if sink.reentered.swap(false, Ordering::Relaxed) {
            return Err(self.rule(i, "Update fired re-entrantly, from inside a call made by the Update handler".into()));
        }
        r.stats.calls += 1;
        feed(&mut r.fingerprint, hr, value.as_ref());
        let Some(w) = write else {
            if hr == Hresult::E_IMAPI_DF2TAO_TRACK_LIMIT_REACHED {
                r.stats.track_limit += 1;
            }
            if hr == Hresult::E_IMAPI_DF2TAO_NOT_ENOUGH_SPACE {
                r.stats.not_enough_space += 1;
            }
            if !expect.allows(hr, value.as_ref()) {
                return Err(Disagreement::new(
                    self.at(i),
                    Kind::Answer { client: c, member, expected: expect, hr, value },
                ));
            }
            self.model.apply(c, member, hr, 0);
            return Ok(());
        };
        let cancelled = self.model.format(c).writing.is_some_and(|w| w.cancelled_at.is_some());
        let end = self.model.end_write(c);
        if let Some(t) = r.trace.as_mut() {
            if let Some(s) = t.steps.last_mut() {
                s.expect = end.clone();
            }
        }
        if !end.allows(hr, value.as_ref()) {
            return Err(Disagreement::new(self.at(i), Kind::Answer { client: c, member, expected: end, hr, value }));
        }
        r.stats.writes += 1;
        r.stats.sectors += u64::from(w.sectors);
        if cancelled {
            r.stats.cancels += 1;
        } else {
            // Spec 3: PREPARING, WRITING, FINISHING, then VERIFYING only with QUICK verification.
            let seen = ctx.seen;
            let missing = [TaoWriteAction::Preparing, TaoWriteAction::Writing, TaoWriteAction::Finishing]
                .into_iter()
                .find(|a| !seen[action_rank(*a) as usize]);
            if let Some(a) = missing {
                return Err(self.rule(i, format!("track {} was written without a {} event", w.track_number, a.name())));
            }
            if w.level == BurnVerificationLevel::Quick && !ctx.level_changed && !seen[4] {
                return Err(
                    self.rule(i, format!("track {} under QUICK verification had no VERIFYING event", w.track_number))
                );
            }
        }
        Ok(())
    }

    fn rule(&self, i: usize, msg: String) -> Disagreement {
        Disagreement::new(self.at(i), Kind::Rule(msg))
    }

    /// Invariants after an op: the session figures of a prepared client (probed), and the disc
    /// read back after ops that change it.
    fn after_op(&mut self, r: &mut Runner, i: usize, op: &Op) -> Result<(), Disagreement> {
        let c = op.client;
        if self.model.format(c).session.is_some() {
            self.probe(r, i, c)?;
        }
        let changes_disc = matches!(
            op.member,
            Member::AddAudioTrack(_)
                | Member::ReleaseMedia
                | Member::Insert(_)
                | Member::RecorderEjectMedia
                | Member::RecorderCloseTray
        );
        if changes_disc {
            let rb = self
                .backend
                .read_back(self.recorders[0].as_ref())
                .map_err(|hr| self.rule(i, format!("read-back failed with {hr}")))?;
            if let Err(msg) = check_disc(&self.model, &rb, &mut r.digests) {
                if let Some(t) = r.trace.as_mut() {
                    let mut end = self.model.clone();
                    end.drop_formats();
                    t.end = Some(end);
                }
                return Err(self.rule(i, msg));
            }
        }
        Ok(())
    }

    /// Total, Free and Used of a prepared client, read as three more steps (so that the
    /// scenario a failure is written as holds them too): as the model says, Used + Free = Total,
    /// and Free never grows within the session.
    fn probe(&mut self, r: &mut Runner, i: usize, c: Client) -> Result<(), Disagreement> {
        let members = [Member::GetTotalSectorsOnMedia, Member::GetFreeSectorsOnMedia, Member::GetUsedSectorsOnMedia];
        let mut vals = [0i64; 3];
        for (k, member) in members.into_iter().enumerate() {
            self.step += 1;
            if let Some(Value::Int(n)) = self.exec(r, i, &Op::call(c, member))? {
                vals[k] = n;
            }
        }
        let [total, free, used] = vals;
        let cal = &self.model.env.drive.calibration;
        if cal.used_sectors == cdr_sim::profile::UsedSectorsFormula::TotalMinusFree && used + free != total {
            return Err(self.rule(i, format!("Used {used} + Free {free} != Total {total} while prepared")));
        }
        let free = free as i32;
        if let Some(before) = self.last_free[c.index()] {
            if free > before {
                return Err(self.rule(i, format!("Free grew within the session, from {before} to {free}")));
            }
        }
        self.last_free[c.index()] = Some(free);
        Ok(())
    }

    /// The end of a case, as the scenario runner ends: the format objects are dropped, then the
    /// disc is read back and compared with the model's.
    fn finish(mut self, r: &mut Runner) -> Result<(), Disagreement> {
        let last = At { op: usize::MAX, step: self.step, during: None };
        self.formats = None;
        self.model.drop_formats();
        if let Some(t) = r.trace.as_mut() {
            t.end = Some(self.model.clone());
        }
        let rb = self
            .backend
            .read_back(self.recorders[0].as_ref())
            .map_err(|hr| Disagreement::new(last, Kind::Rule(format!("read-back failed with {hr}"))))?;
        check_disc(&self.model, &rb, &mut r.digests)
            .map_err(|msg| Disagreement::new(last, Kind::Rule(format!("after the format objects are dropped, {msg}"))))
    }
}

/// A synthetic stream that refuses to be read past what the model lets the backend read (a
/// rejected AddAudioTrack must not read its stream; a huge stream is never read whole).
struct Budgeted {
    inner: SyntheticPcm,
    left: u64,
}

impl AudioStream for Budgeted {
    fn size(&self) -> Option<u64> {
        self.inner.size()
    }

    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.left == 0 && !buf.is_empty() {
            return match self.inner.read(&mut buf[..1])? {
                0 => Ok(0),
                _ => Err(io::Error::other("the stream was read past what the model allows")),
            };
        }
        let n = buf.len().min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..n])?;
        self.left -= n as u64;
        Ok(n)
    }
}

/// Feeds an answer into the run's fingerprint, without formatting.
fn feed(h: &mut blake3::Hasher, hr: Hresult, v: Option<&Value>) {
    h.update(&hr.0.to_le_bytes());
    if let Some(v) = v {
        feed_value(h, v);
    }
}

fn feed_value(h: &mut blake3::Hasher, v: &Value) {
    match v {
        Value::Null => {
            h.update(&[0]);
        }
        Value::Bool(b) => {
            h.update(&[1, u8::from(*b)]);
        }
        Value::Int(n) => {
            h.update(&[2]);
            h.update(&n.to_le_bytes());
        }
        Value::Str(s) => {
            h.update(&[3]);
            h.update(&(s.len() as u64).to_le_bytes());
            h.update(s.as_bytes());
        }
        Value::Enum(e) => {
            h.update(&[4]);
            h.update(&e.number.to_le_bytes());
        }
        Value::List(l) => {
            h.update(&[5]);
            h.update(&(l.len() as u64).to_le_bytes());
            l.iter().for_each(|x| feed_value(h, x));
        }
        Value::Bytes(b) => {
            h.update(&[6]);
            h.update(&(b.len() as u64).to_le_bytes());
            h.update(b);
        }
        Value::Table(t) => {
            h.update(&[7]);
            for (k, x) in t {
                h.update(k.as_bytes());
                feed_value(h, x);
            }
        }
    }
}

/// The state of one AddAudioTrack, handed to the client's sink while the backend runs it.
struct WriteCtx {
    model: Model,
    write: Option<Write>,
    /// The track does not fit the disc: the write fails somewhere the spec does not say, so its
    /// events are not checked.
    beyond: bool,
    plan: Plan,
    fired: [bool; 2],
    traced: [Option<Expect>; 2],
    last: Option<TaoProgress>,
    seen: [bool; 5],
    level_changed: bool,
    failure: Option<(Option<usize>, Kind)>,
    calls: u64,
    seed: u64,
    fingerprint: blake3::Hasher,
}

impl WriteCtx {
    fn new(
        model: Model,
        write: Option<Write>,
        beyond: bool,
        plan: Plan,
        seed: u64,
        fingerprint: blake3::Hasher,
    ) -> Self {
        WriteCtx {
            model,
            write,
            beyond,
            plan,
            fired: [false; 2],
            traced: [None, None],
            last: None,
            seen: [false; 5],
            level_changed: false,
            failure: None,
            calls: 0,
            seed,
            fingerprint,
        }
    }

    fn fail(&mut self, during: Option<usize>, kind: Kind) {
        self.failure.get_or_insert((during, kind));
    }

    /// One Update event: checks it against spec 3 and the model's track, then makes the handler
    /// calls it triggers (the scenario format's `when`: the first matching event, once).
    fn event(
        &mut self,
        client: Client,
        format: &dyn DiscFormat2TrackAtOnce,
        recorder: &Arc<dyn DiscRecorder2>,
        p: &TaoProgress,
    ) {
        if self.failure.is_some() {
            return;
        }
        let Some(w) = self.write else {
            if !self.beyond {
                self.fail(None, Kind::Rule("Update fired for an AddAudioTrack the model rejects".into()));
            }
            return;
        };
        if let Err(msg) = self.check_event(&w, p) {
            self.fail(None, Kind::Rule(msg));
            return;
        }
        self.last = Some(*p);
        self.seen[action_rank(p.current_action) as usize] = true;
        for k in 0..2 {
            let Some(d) = self.plan[k] else { continue };
            if self.fired[k] || !matches(d.when, p) {
                continue;
            }
            self.fired[k] = true;
            self.handler_call(k, client, d.member, format, recorder, &w, p);
            if self.failure.is_some() {
                return;
            }
        }
    }

    fn check_event(&self, w: &Write, p: &TaoProgress) -> Result<(), String> {
        let what = || format!("Update {} of track {}", p.current_action.name(), w.track_number);
        if p.current_track_number != w.track_number as i32 {
            return Err(format!("{}: CurrentTrackNumber {}", what(), p.current_track_number));
        }
        if p.start_lba != w.start || p.sector_count != w.sectors as i32 {
            return Err(format!(
                "{}: StartLba {} SectorCount {}, the model's track is {} + {}",
                what(),
                p.start_lba,
                p.sector_count,
                w.start,
                w.sectors
            ));
        }
        let rank = action_rank(p.current_action);
        if rank == 0 {
            return Err(format!("{}: action UNKNOWN", what()));
        }
        // VERIFYING only with verification on (QUICK; FULL, not supported for TAO, is either refused
        // or, if a backend accepts it, the spec does not say what it does).
        if p.current_action == TaoWriteAction::Verifying
            && w.level == BurnVerificationLevel::None
            && !self.level_changed
        {
            return Err(format!("{}: VERIFYING with verification NONE", what()));
        }
        // Spec 3: clients take (LastWrittenLba - StartLba) / SectorCount as the fraction written,
        // so LastWrittenLba runs from the start to the end of the track (StartLba + SectorCount).
        let end = w.start + w.sectors as i32;
        if p.last_written_lba < w.start - 1 || p.last_written_lba > end {
            return Err(format!("{}: LastWrittenLba {} outside {}..={end}", what(), p.last_written_lba, w.start - 1));
        }
        if p.remaining_time < 0 || p.elapsed_time < 0 {
            return Err(format!("{}: elapsed {} s, remaining {} s", what(), p.elapsed_time, p.remaining_time));
        }
        match self.last {
            None if p.current_action != TaoWriteAction::Preparing => {
                Err(format!("{}: the first event of a track must be PREPARING", what()))
            }
            Some(l) if rank < action_rank(l.current_action) => {
                Err(format!("{}: after {}", what(), l.current_action.name()))
            }
            Some(l) if p.last_written_lba < l.last_written_lba || p.elapsed_time < l.elapsed_time => Err(format!(
                "{}: LastWrittenLba {} / elapsed {} s went back from {} / {} s",
                what(),
                p.last_written_lba,
                p.elapsed_time,
                l.last_written_lba,
                l.elapsed_time
            )),
            _ => Ok(()),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn handler_call(
        &mut self,
        k: usize,
        client: Client,
        member: Member,
        format: &dyn DiscFormat2TrackAtOnce,
        recorder: &Arc<dyn DiscRecorder2>,
        w: &Write,
        p: &TaoProgress,
    ) {
        let expect = self.model.predict(client, member);
        let (call, args) = member.to_call().expect("handler calls are calls");
        let target = Target { format, recorder, lookup: &no_lookup };
        let (hr, value) = match member {
            Member::AddAudioTrack(source) => {
                let mut s = Budgeted { inner: SyntheticPcm::bytes(self.seed, source.bytes()), left: 0 };
                invoke(&target, call, &args, Some(&mut s))
            }
            _ => invoke(&target, call, &args, None),
        };
        self.calls += 1;
        feed(&mut self.fingerprint, hr, value.as_ref());
        let ok = expect.allows(hr, value.as_ref());
        self.traced[k] = Some(expect.clone());
        if !ok {
            self.fail(Some(k), Kind::Answer { client, member, expected: expect, hr, value });
            return;
        }
        if matches!(member, Member::PutBurnVerificationLevel(_)) && hr.is_success() {
            self.level_changed = true;
        }
        // CancelAddTrack: the write stops at the next sector boundary, after what is written now:
        // LastWrittenLba - StartLba sectors (the fraction clients compute, spec 3).
        let written = match p.current_action {
            TaoWriteAction::Writing => {
                (i64::from(p.last_written_lba) - i64::from(w.start)).clamp(0, i64::from(w.sectors)) as u32
            }
            TaoWriteAction::Finishing | TaoWriteAction::Verifying => w.sectors,
            TaoWriteAction::Preparing | TaoWriteAction::Unknown => 0,
        };
        self.model.apply(client, member, hr, written);
    }
}

/// The scenario format's `when`, as `cdr-harness run` matches it.
fn matches(t: Trigger, p: &TaoProgress) -> bool {
    match t {
        Trigger::Action(a) => p.current_action == a,
        Trigger::Percent(n) => p.current_action == TaoWriteAction::Writing && p.percent() >= i32::from(n),
        Trigger::Sector(n) => i64::from(p.last_written_lba) - i64::from(p.start_lba) >= i64::from(n),
    }
}

/// One client's Update sink: holds the running AddAudioTrack's context; never holds its lock
/// while calling into the backend.
struct Sink {
    client: Client,
    recorder: Arc<dyn DiscRecorder2>,
    slot: Mutex<Option<Box<WriteCtx>>>,
    reentered: AtomicBool,
}

impl Sink {
    fn new(client: Client, recorder: Arc<dyn DiscRecorder2>) -> Sink {
        Sink { client, recorder, slot: Mutex::new(None), reentered: AtomicBool::new(false) }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Box<WriteCtx>>> {
        self.slot.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn begin(&self, ctx: WriteCtx) {
        *self.lock() = Some(Box::new(ctx));
    }

    fn end(&self) -> Box<WriteCtx> {
        self.lock().take().expect("the context is back after AddAudioTrack returns")
    }
}

impl TaoUpdateSink for Sink {
    fn update(&self, format: &dyn DiscFormat2TrackAtOnce, progress: &TaoProgress) {
        let Some(mut ctx) = self.lock().take() else {
            self.reentered.store(true, Ordering::Relaxed);
            return;
        };
        ctx.event(self.client, format, &self.recorder, progress);
        *self.lock() = Some(ctx);
    }
}
