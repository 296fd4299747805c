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
use super::rule::{EventProblem, Rule, TrackEventsProblem};
use super::sut::Sut;
use crate::{Client, DigestCache, Env, Expect, HandlerCall, HrSet, Member, Model, Op, Plan, Source, Write};
use cdr_scenario::call::{invoke, Call, Target, Value};

/// What one case did, call by call, for writing it out as a scenario.
#[derive(Clone, Debug, Default)]
pub struct Trace {
    /// Every step executed, in order (repeats expanded).
    pub steps: Vec<TracedStep>,
    /// The model after the last step and the format objects' drop (the disc to expect).
    pub end: Option<Model>,
    /// Handler calls were left out where the scenario makes them (their track runs past the
    /// end of the disc, the spec is silent on where the case went, or it disagreed already):
    /// the scenario written from this trace makes more calls than the case did.
    pub left_out: bool,
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
    /// What the call answered.
    pub hr: Hresult,
    /// Its handler calls, each with how it was made (`None`: never made).
    pub during: Vec<(HandlerCall, Option<Fired>)>,
}

/// A call made from the Update handler.
#[derive(Clone, Debug)]
pub struct Fired {
    /// The event it was made from.
    pub event: TaoProgress,
    /// The model's prediction.
    pub expect: Expect,
    /// What it answered.
    pub hr: Hresult,
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
            Err(rule) => Err(Disagreement::new(At { op: 0, step: 0, during: None }, Kind::Rule(rule))),
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
    fn new(backend: Box<dyn Backend>, env: &Arc<Env>) -> Result<Case, Rule> {
        let setup = |what: &'static str, hr: Hresult| Rule::Setup { what, hr };
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
            let sink = Arc::new(Sink::new(Arc::clone(&recorders[c.index()])));
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
        count(&mut r.stats, &self.model, c, member, hr);
        let ok = expect.allows(hr, value.as_ref());
        if let Some(t) = r.trace.as_mut() {
            t.steps.push(TracedStep { op: i, client: c, member, expect: expect.clone(), hr, during: Vec::new() });
        }
        if !ok {
            let value = value.clone();
            return Err(Disagreement::new(self.at(i), Kind::Answer { client: c, member, expected: expect, hr, value }));
        }
        self.model.apply(c, member, hr, None);
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
        let writes = expect.hr == HrSet::One(Hresult::S_OK);
        let budget = if writes { source.bytes() } else { source.bytes().min(1 << 24) };
        let mut stream = Budgeted { inner: SyntheticPcm::bytes(seed, source.bytes()), left: budget };
        let sink = Arc::clone(&self.sinks[c.index()]);
        let env = Arc::clone(&self.model.env);
        let mut model = std::mem::replace(&mut self.model, Model::new(env));
        let beyond = !writes && model.beyond_disc(c, source);
        let empty = model.media().is_none();
        let mut ctx = WriteCtx::new(c, *plan, seed, std::mem::take(&mut r.fingerprint));
        if writes {
            ctx.begin(&mut model, source);
        }
        ctx.model = Some(model);
        ctx.beyond = beyond;
        sink.begin(ctx);
        let formats = self.formats.as_ref().expect("formats live until the end");
        let target =
            Target { format: formats[c.index()].as_ref(), recorder: &self.recorders[c.index()], lookup: &no_lookup };
        let (hr, value) = invoke(&target, Call::AddAudioTrack, &[], Some(&mut stream));
        let mut ctx = sink.end();
        self.model = ctx.model.take().expect("the model is back");
        r.fingerprint = std::mem::take(&mut ctx.fingerprint);
        r.stats.calls += ctx.calls;
        r.stats.handler_calls += ctx.calls;
        r.stats.add(&ctx.stats);
        let mut traced = TracedStep { op: i, client: c, member, expect: expect.clone(), hr, during: Vec::new() };
        for (k, d) in plan.iter().enumerate() {
            if let Some(d) = d {
                traced.during.push((*d, ctx.traced[k].clone()));
            }
        }
        if let Some(t) = r.trace.as_mut() {
            t.steps.push(traced);
            t.left_out |= ctx.left_out;
        }
        if let Some((during, kind)) = ctx.failure.take() {
            return Err(Disagreement::new(At { op: i, step: self.step, during }, kind));
        }
        if sink.reentered.swap(false, Ordering::Relaxed) {
            return Err(self.rule(i, Rule::Reentrant));
        }
        r.stats.calls += 1;
        r.stats.empty_tray += u64::from(empty);
        feed(&mut r.fingerprint, hr, value.as_ref());
        if self.model.silent.is_some() {
            return Ok(());
        }
        let Some(t) = ctx.stack.pop() else {
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
            self.model.apply(c, member, hr, None);
            return Ok(());
        };
        let (end, counts) = t.end(&mut self.model, c, hr);
        r.stats.add(&counts);
        if self.model.silent.is_some() {
            return Ok(());
        }
        if let Some(tr) = r.trace.as_mut() {
            if let Some(s) = tr.steps.last_mut() {
                s.expect = end.clone();
            }
        }
        if !end.allows(hr, value.as_ref()) {
            return Err(Disagreement::new(self.at(i), Kind::Answer { client: c, member, expected: end, hr, value }));
        }
        t.check_after(hr, ctx.level_changed, false).map_err(|rule| self.rule(i, rule))
    }

    fn rule(&self, i: usize, rule: Rule) -> Disagreement {
        Disagreement::new(self.at(i), Kind::Rule(rule))
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
                .map_err(|hr| self.rule(i, Rule::ReadBackFailed(hr)))?;
            if let Err(mismatch) = check_disc(&self.model, &rb, &mut r.digests) {
                if let Some(t) = r.trace.as_mut() {
                    let mut end = self.model.clone();
                    end.drop_formats();
                    t.end = Some(end);
                }
                return Err(self.rule(i, Rule::Disc { after_drop: false, mismatch }));
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
            return Err(self.rule(i, Rule::UsedPlusFree { used, free, total }));
        }
        let free = free as i32;
        if let Some(before) = self.last_free[c.index()] {
            if free > before {
                return Err(self.rule(i, Rule::FreeGrew { before, now: free }));
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
            .map_err(|hr| Disagreement::new(last, Kind::Rule(Rule::ReadBackFailed(hr))))?;
        check_disc(&self.model, &rb, &mut r.digests)
            .map_err(|mismatch| Disagreement::new(last, Kind::Rule(Rule::Disc { after_drop: true, mismatch })))
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

/// Counts what a call reached (the statistics of the rules of the revised spec), before the
/// model applies it.
fn count(stats: &mut Stats, m: &Model, c: Client, member: Member, hr: Hresult) {
    stats.empty_tray += u64::from(m.media().is_none());
    let f = m.format(c);
    match member {
        Member::PrepareMedia if hr == Hresult::E_IMAPI_DF2TAO_MEDIA_IS_PREPARED && f.session.is_some() => {
            stats.second_prepares += 1;
        }
        Member::PrepareMedia if hr.is_success() && m.lock.is_some_and(|l| l.holder == c) => stats.extra_locks += 1,
        Member::RecorderAcquireExclusiveAccess(..) if hr.is_success() => stats.extra_locks += 1,
        Member::AddAudioTrack(_) if hr == Hresult::E_IMAPI_DF2TAO_WRITE_IN_PROGRESS && f.writing.is_some() => {
            stats.nested_refused += 1;
        }
        _ => {}
    }
}

/// One track being written: the outer AddAudioTrack's, or one nested from its PREPARING
/// handler. Its events are checked against it (spec 3).
struct TrackRun {
    write: Write,
    last: Option<TaoProgress>,
    seen: [bool; 5],
    /// WRITING events seen, and FINISHING events seen.
    writing: u32,
    finishing: u32,
    /// LastWrittenLba of the last WRITING event.
    last_writing_lwl: Option<i32>,
    /// The prediction of the call's HRESULT once the write ended (at VERIFYING, or on return).
    ended: Option<Expect>,
    /// The track was refreshed into the cache (VERIFYING came).
    refreshed: bool,
    /// A track nested from its PREPARING handler was written.
    nested_child: bool,
}

impl TrackRun {
    fn new(write: Write) -> TrackRun {
        TrackRun {
            write,
            last: None,
            seen: [false; 5],
            writing: 0,
            finishing: 0,
            last_writing_lwl: None,
            ended: None,
            refreshed: false,
            nested_child: false,
        }
    }

    /// The write is over (the call returned `hr`): the model closes the track, unless VERIFYING
    /// already did. Returns the prediction and what the track reached.
    fn end(&self, model: &mut Model, c: Client, hr: Hresult) -> (Expect, Stats) {
        let mut counts = Stats::default();
        let mut w = self.write;
        let expect = match &self.ended {
            Some(e) => e.clone(),
            None => {
                if !self.write.started && model.start_data(c).is_none() {
                    // The drive refused a 100th track: the call fails before the write.
                    return match model.take_refused(c) {
                        Some(refused) => {
                            counts.hundredth_refused += 1;
                            (refused, counts)
                        }
                        None => (Expect::any(), counts),
                    };
                }
                if let Some(current) = model.format(c).writing {
                    w = current;
                }
                model.end_write(c, hr)
            }
        };
        counts.writes += 1;
        counts.sectors += u64::from(w.sectors);
        counts.cancels += u64::from(w.cancelled_at.is_some() || model_cancelled_late(&expect, hr));
        counts.short_tracks += u64::from(w.sectors < model.env.drive.calibration.min_track_sectors);
        if hr == Hresult::S_OK {
            let tracks = model.format(c).session.map_or(0, |s| s.tracks);
            // The refresh counted more than this track: an earlier one was cancelled or failed.
            counts.after_cancel += u64::from(!self.nested_child && tracks > w.track_number);
            counts.full_disc += u64::from(model.format(c).session.is_some_and(|s| s.free < 0));
        }
        (expect, counts)
    }

    /// The events of a track that returned `hr` (spec 3): PREPARING, WRITING from before the
    /// data to its last sector, exactly one FINISHING after the close, VERIFYING only after a
    /// refreshed track under QUICK verification. `nested`: the track was written from the Update
    /// handler of another.
    fn check_after(&self, hr: Hresult, level_changed: bool, nested: bool) -> Result<(), Rule> {
        self.events_problem(hr, level_changed)
            .map_or(Ok(()), |problem| Err(Rule::TrackEvents { nested, track: self.write.track_number, problem }))
    }

    fn events_problem(&self, hr: Hresult, level_changed: bool) -> Option<TrackEventsProblem> {
        let w = &self.write;
        if !w.started {
            return None;
        }
        if self.finishing != 1 {
            return Some(TrackEventsProblem::Finishing(self.finishing));
        }
        let complete = hr == Hresult::S_OK;
        if complete {
            let missing = [TaoWriteAction::Preparing, TaoWriteAction::Writing, TaoWriteAction::Finishing]
                .into_iter()
                .find(|a| !self.seen[action_rank(*a) as usize]);
            if let Some(a) = missing {
                return Some(TrackEventsProblem::Missing(a));
            }
            if self.writing < 2 {
                return Some(TrackEventsProblem::TooFewWriting(self.writing));
            }
            let end = w.start + w.sectors as i32 - 1;
            if self.last_writing_lwl != Some(end) {
                return Some(TrackEventsProblem::LastWriting { lba: self.last_writing_lwl, end });
            }
            if w.level == BurnVerificationLevel::Quick && !level_changed && !self.seen[4] {
                return Some(TrackEventsProblem::NoVerifying);
            }
        }
        if self.seen[4] && !self.refreshed {
            return Some(TrackEventsProblem::VerifyingWithoutRefresh);
        }
        None
    }
}

/// True when a prediction leaves a late cancel open and the call answered the cancel.
fn model_cancelled_late(expect: &Expect, hr: Hresult) -> bool {
    matches!(expect.hr, HrSet::Either(Hresult::S_OK, _)) && hr != Hresult::S_OK
}

/// The state of one top-level AddAudioTrack, handed to the client's sink while the backend runs
/// it. Calls from the handler are made with the sink's lock released: a nested AddAudioTrack
/// from the PREPARING handler fires its own events into the same sink, which matches them
/// against the same `during` calls, as the scenario runner does.
struct WriteCtx {
    client: Client,
    model: Option<Model>,
    /// The tracks being written, outermost first; empty when the model rejects the call.
    stack: Vec<TrackRun>,
    /// The track does not fit the disc: the write fails somewhere the spec does not say, so its
    /// events are not checked.
    beyond: bool,
    plan: Plan,
    /// Update events seen so far by this AddAudioTrack's handler (nested tracks' included),
    /// the ordinal the scenario format's `{ event = K }` counts.
    events: usize,
    fired: [bool; 2],
    traced: [Option<Fired>; 2],
    /// A planned call was not made where the scenario runner makes it.
    left_out: bool,
    level_changed: bool,
    failure: Option<(Option<usize>, Kind)>,
    calls: u64,
    stats: Stats,
    seed: u64,
    fingerprint: blake3::Hasher,
    /// The handler call under way (its index in the plan), and whether it writes a nested track.
    in_call: Option<(usize, bool)>,
}

impl WriteCtx {
    fn new(client: Client, plan: Plan, seed: u64, fingerprint: blake3::Hasher) -> Self {
        WriteCtx {
            client,
            model: None,
            stack: Vec::new(),
            beyond: false,
            plan,
            events: 0,
            fired: [false; 2],
            traced: [None, None],
            left_out: false,
            level_changed: false,
            failure: None,
            calls: 0,
            stats: Stats::default(),
            seed,
            fingerprint,
            in_call: None,
        }
    }

    /// An AddAudioTrack the model lets through begins: its track is pushed.
    fn begin(&mut self, model: &mut Model, source: Source) {
        let w = model.begin_write(self.client, source, self.seed);
        self.stack.push(TrackRun::new(w));
    }

    fn fail(&mut self, during: Option<usize>, kind: Kind) {
        self.failure.get_or_insert((during, kind));
    }

    fn quiet(&self) -> bool {
        self.failure.is_some() || self.model.as_ref().is_none_or(|m| m.silent.is_some())
    }

    /// One Update event: moves the model to the phase the event shows (the writing flag is set
    /// after PREPARING; VERIFYING comes after the track's end and the refresh) and checks the
    /// event against spec 3 and the model's track.
    fn event(&mut self, p: &TaoProgress) {
        if self.quiet() {
            return;
        }
        let c = self.client;
        let model = self.model.as_mut().expect("the model is in the context");
        let Some(t) = self.stack.last_mut() else {
            if !self.beyond {
                self.fail(None, Kind::Rule(Rule::EventsOfRejectedTrack));
            }
            return;
        };
        if p.current_action != TaoWriteAction::Preparing && !t.write.started {
            match model.start_data(c) {
                Some(w) => t.write = w,
                None if model.silent.is_none() => {
                    self.fail(None, Kind::Rule(Rule::EventsOfRefusedTrack));
                    return;
                }
                None => return,
            }
        }
        if p.current_action == TaoWriteAction::Verifying && t.ended.is_none() {
            // VERIFYING fires only after a refresh: the track succeeded.
            t.ended = Some(model.end_write(c, Hresult::S_OK));
            t.refreshed = true;
        }
        if let Err(problem) = check_event(t, p, self.level_changed) {
            let rule = Rule::Event { action: p.current_action, track: t.write.track_number, problem };
            self.fail(None, Kind::Rule(rule));
            return;
        }
        t.last = Some(*p);
        t.seen[action_rank(p.current_action) as usize] = true;
        match p.current_action {
            TaoWriteAction::Writing => {
                t.writing += 1;
                t.last_writing_lwl = Some(p.last_written_lba);
            }
            TaoWriteAction::Finishing => t.finishing += 1,
            _ => {}
        }
    }

    /// The handler calls this event fires (the scenario format's `when`: the first matching
    /// event, once), all picked before any is made, as the scenario runner picks them.
    fn due(&mut self, p: &TaoProgress) -> [bool; 2] {
        let due: [bool; 2] =
            std::array::from_fn(|k| !self.fired[k] && self.plan[k].is_some_and(|d| d.when.matches(p, self.events)));
        // A track past the end of the disc: the model follows nothing of it (the case ends
        // there), so its handler calls are not made.
        if self.quiet() || self.beyond {
            self.left_out |= due.contains(&true);
            return [false; 2];
        }
        self.fired = [self.fired[0] || due[0], self.fired[1] || due[1]];
        due
    }

    /// Handler call `k`, due now, with its prediction; `None` when it is not made (an earlier
    /// call from the same event ended what the model follows). A nested AddAudioTrack the model
    /// lets through pushes its track.
    fn start_call(&mut self, k: usize, p: &TaoProgress) -> Option<(Member, Expect)> {
        if self.quiet() {
            self.left_out = true;
            return None;
        }
        let member = self.plan[k].expect("a planned call").member;
        let mut model = self.model.take().expect("the model is in the context");
        let expect = model.predict(self.client, member);
        let nested = matches!(member, Member::AddAudioTrack(_)) && expect.hr == HrSet::One(Hresult::S_OK);
        // A nested AddAudioTrack that writes other than from the PREPARING handler (after a
        // refused one cleared the writing flag, or from VERIFYING), or one whose track would not
        // fit the disc: where its track goes and what the outer call then does is not said.
        let started = self.stack.last().is_some_and(|t| t.write.started);
        let loose = matches!(expect.hr, HrSet::Failure | HrSet::Any);
        if matches!(member, Member::AddAudioTrack(_)) && ((nested && started) || loose) {
            model.silent.get_or_insert("an AddAudioTrack from the Update handler writing where the spec does not say");
            self.model = Some(model);
            self.left_out = true;
            return None;
        }
        if let (true, Member::AddAudioTrack(source)) = (nested, member) {
            if let Some(t) = self.stack.last_mut() {
                t.nested_child = true;
            }
            self.begin(&mut model, source);
            self.stats.nested_tracks += 1;
        }
        self.model = Some(model);
        match p.current_action {
            TaoWriteAction::Preparing => self.stats.preparing_calls += 1,
            TaoWriteAction::Verifying => self.stats.verifying_calls += 1,
            _ => {}
        }
        self.in_call = Some((k, nested));
        Some((member, expect))
    }

    /// Sectors written when a call from the handler of event `p` ran, as CancelAddTrack cuts
    /// the track: none before the data (PREPARING, the first WRITING), then LastWrittenLba -
    /// StartLba + 1 (spec 3); `None` once every sector is written (the last WRITING, FINISHING).
    fn written_at(&self, p: &TaoProgress) -> Option<u32> {
        let t = self.stack.last()?;
        let w = &t.write;
        match p.current_action {
            TaoWriteAction::Writing if t.writing <= 1 => Some(0),
            TaoWriteAction::Writing if p.last_written_lba >= w.start + w.sectors as i32 - 1 => None,
            TaoWriteAction::Writing => Some((p.last_written_lba - w.start + 1).clamp(0, w.sectors as i32) as u32),
            TaoWriteAction::Finishing | TaoWriteAction::Verifying => None,
            TaoWriteAction::Preparing | TaoWriteAction::Unknown => Some(0),
        }
    }

    /// A handler call returned: compares it with the prediction and applies it; a nested track
    /// is closed and its events checked.
    #[allow(clippy::too_many_arguments)]
    fn after_call(
        &mut self,
        k: usize,
        member: Member,
        expect: Expect,
        nested: bool,
        written: Option<u32>,
        event: &TaoProgress,
        hr: Hresult,
        value: Option<Value>,
    ) {
        let c = self.client;
        self.calls += 1;
        feed(&mut self.fingerprint, hr, value.as_ref());
        self.traced[k] = Some(Fired { event: *event, expect: expect.clone(), hr });
        let mut model = self.model.take().expect("the model is in the context");
        if self.failure.is_none() && model.silent.is_none() {
            if nested {
                let t = self.stack.pop().expect("the nested track");
                let (end, counts) = t.end(&mut model, c, hr);
                self.stats.add(&counts);
                if model.silent.is_none() {
                    if !end.allows(hr, value.as_ref()) {
                        self.fail(Some(k), Kind::Answer { client: c, member, expected: end, hr, value });
                    } else if let Err(rule) = t.check_after(hr, self.level_changed, true) {
                        self.fail(Some(k), Kind::Rule(rule));
                    }
                }
            } else if !expect.allows(hr, value.as_ref()) {
                self.fail(Some(k), Kind::Answer { client: c, member, expected: expect, hr, value });
            } else {
                if matches!(member, Member::PutBurnVerificationLevel(_)) && hr.is_success() {
                    self.level_changed = true;
                }
                count(&mut self.stats, &model, c, member, hr);
                model.apply(c, member, hr, written);
            }
        } else if nested {
            self.stack.pop();
        }
        self.model = Some(model);
    }
}

fn check_event(t: &TrackRun, p: &TaoProgress, level_changed: bool) -> Result<(), EventProblem> {
    let w = &t.write;
    if p.current_track_number != w.track_number as i32 {
        return Err(EventProblem::TrackNumber(p.current_track_number));
    }
    if p.start_lba != w.start || p.sector_count != w.sectors as i32 {
        return Err(EventProblem::Extent {
            start_lba: p.start_lba,
            sector_count: p.sector_count,
            start: w.start,
            sectors: w.sectors,
        });
    }
    let rank = action_rank(p.current_action);
    if rank == 0 {
        return Err(EventProblem::UnknownAction);
    }
    // VERIFYING only with QUICK verification (FULL adds none).
    if p.current_action == TaoWriteAction::Verifying && w.level != BurnVerificationLevel::Quick && !level_changed {
        return Err(EventProblem::Verifying(w.level));
    }
    // Spec 3: LastWrittenLba starts at StartLba before anything is written and ends at
    // StartLba + SectorCount - 1, so the percent clients compute never reaches 100.
    let end = w.start + w.sectors as i32 - 1;
    if p.last_written_lba < w.start || p.last_written_lba > end {
        return Err(EventProblem::LbaOutside { lba: p.last_written_lba, start: w.start, end });
    }
    if p.current_action == TaoWriteAction::Preparing && (p.last_written_lba != w.start || p.elapsed_time != 0) {
        return Err(EventProblem::PreparingNotAtStart { lba: p.last_written_lba, elapsed: p.elapsed_time });
    }
    if p.current_action == TaoWriteAction::Writing && t.writing == 0 && p.last_written_lba != w.start {
        return Err(EventProblem::FirstWritingNotAtStart(p.last_written_lba));
    }
    if p.remaining_time < 0 || p.elapsed_time < 0 {
        return Err(EventProblem::NegativeTime { elapsed: p.elapsed_time, remaining: p.remaining_time });
    }
    match t.last {
        None if p.current_action != TaoWriteAction::Preparing => Err(EventProblem::NotPreparingFirst),
        Some(l) if rank < action_rank(l.current_action) => Err(EventProblem::ActionWentBack(l.current_action)),
        Some(l) if p.last_written_lba < l.last_written_lba || p.elapsed_time < l.elapsed_time => {
            Err(EventProblem::ProgressWentBack {
                lba: p.last_written_lba,
                elapsed: p.elapsed_time,
                last_lba: l.last_written_lba,
                last_elapsed: l.elapsed_time,
            })
        }
        _ => Ok(()),
    }
}

/// One client's Update sink: holds the running AddAudioTrack's context; never holds its lock
/// while calling into the backend.
struct Sink {
    recorder: Arc<dyn DiscRecorder2>,
    slot: Mutex<Option<Box<WriteCtx>>>,
    reentered: AtomicBool,
}

impl Sink {
    fn new(recorder: Arc<dyn DiscRecorder2>) -> Sink {
        Sink { recorder, slot: Mutex::new(None), reentered: AtomicBool::new(false) }
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
        let mut guard = self.lock();
        let Some(ctx) = guard.as_mut() else {
            self.reentered.store(true, Ordering::Relaxed);
            return;
        };
        // Only a nested AddAudioTrack may fire events from inside a handler call.
        if ctx.in_call.is_some_and(|(_, nested)| !nested) {
            self.reentered.store(true, Ordering::Relaxed);
            return;
        }
        ctx.events += 1;
        ctx.event(progress);
        let due = ctx.due(progress);
        for k in (0..2).filter(|&k| due[k]) {
            let Some(ctx) = guard.as_mut() else { return };
            let written = ctx.written_at(progress);
            let outer = ctx.in_call;
            let Some((member, expect)) = ctx.start_call(k, progress) else { continue };
            let nested = ctx.in_call.is_some_and(|(_, n)| n);
            let seed = ctx.seed;
            let (call, args) = member.to_call().expect("handler calls are calls");
            drop(guard);
            let target = Target { format, recorder: &self.recorder, lookup: &no_lookup };
            let (hr, value) = match member {
                Member::AddAudioTrack(source) => {
                    let left = if nested { source.bytes() } else { 0 };
                    let mut s = Budgeted { inner: SyntheticPcm::bytes(seed, source.bytes()), left };
                    invoke(&target, call, &args, Some(&mut s))
                }
                _ => invoke(&target, call, &args, None),
            };
            guard = self.lock();
            let Some(ctx) = guard.as_mut() else { return };
            ctx.after_call(k, member, expect, nested, written, progress, hr, value);
            ctx.in_call = outer;
        }
    }
}
