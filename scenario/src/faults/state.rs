//! The injector's runtime state and the one place that decides, call by call, what a fault
//! does: [`Shared::before`] (counts the call, then applies the rules in order) and
//! [`Shared::after_write`] (learns which device faults struck during a write).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use cdr_sim::{
    DeviceFault, DeviceFaultKind, DeviceFaultOutcome, FiredDeviceFault, Hresult, SimulatedDevice, DEVICE_NOT_CONNECTED,
};
use rand::{RngExt, SeedableRng};
use rand_xorshift::XorShiftRng;

use super::member::{Member, Reach};
use super::report::{Applied, FaultEvent, FaultReport, RuleReport};
use super::rules::{describe_device_fault, FaultConfig, FaultRule, RandomKind, DEFAULT_STALL_MS};
use crate::call::Call;

/// Drive errors a random `fail_call` fault draws from.
const RANDOM_CODES: [Hresult; 3] = [
    Hresult::E_IMAPI_RECORDER_COMMAND_TIMEOUT,
    Hresult::E_IMAPI_RECORDER_MEDIA_BUSY,
    Hresult::E_IMAPI_RECORDER_MEDIA_BECOMING_READY,
];

const POWER_UNKNOWN: &str = "what a real drive answers when its power fails mid-track, and whether the \
                             track it was writing survives, is not known; the simulator answers 0x8007048F and keeps \
                             the sectors written, damaged";
const REMOVED_UNKNOWN: &str = "what a real drive answers when its disc is pulled out mid-track, and what the \
                               disc keeps, is not known; the simulator answers MEDIA_NO_MEDIA and keeps the sectors \
                               written, damaged";
const STALL_UNKNOWN: &str = "whether a real drive underruns when the stream stalls depends on its buffers and \
                             IMAPI2's";

/// Runtime state: counters, the random generator, open windows, what struck.
#[derive(Debug)]
pub struct FaultState {
    counts: BTreeMap<Member, u32>,
    rng: Option<XorShiftRng>,
    windows: Vec<Window>,
    /// A random not-ready window: (code, media calls left, rule index).
    random_window: Option<(Hresult, u32, usize)>,
    struck: Vec<u32>,
    dead: bool,
    events: Vec<FaultEvent>,
    reported: usize,
    /// Device faults armed on the device, with the rule that armed them (`None`: random).
    armed: Vec<(DeviceFault, Option<usize>, String)>,
    seen_fired: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Window {
    NotARule,
    Waiting,
    Open(u32),
    Done,
}

impl FaultState {
    fn new(config: &FaultConfig) -> FaultState {
        FaultState {
            counts: BTreeMap::new(),
            rng: config.seed.filter(|_| config.has_random()).map(XorShiftRng::seed_from_u64),
            windows: config
                .rules
                .iter()
                .map(|r| match r.rule {
                    FaultRule::NotReady { .. } => Window::Waiting,
                    _ => Window::NotARule,
                })
                .collect(),
            random_window: None,
            struck: vec![0; config.rules.len()],
            dead: false,
            events: Vec::new(),
            reported: 0,
            armed: Vec::new(),
            seen_fired: 0,
        }
    }

    /// Every fault that struck so far, in order.
    pub fn events(&self) -> &[FaultEvent] {
        &self.events
    }

    /// True once a power loss struck: every call that reaches the drive fails.
    pub fn is_dead(&self) -> bool {
        self.dead
    }

    /// How many times `member` has been called.
    pub fn calls(&self, member: Member) -> u32 {
        self.counts.get(&member).copied().unwrap_or(0)
    }

    /// How many times rule `index` (0-based) struck.
    pub fn struck(&self, index: usize) -> u32 {
        self.struck.get(index).copied().unwrap_or(0)
    }
}

/// What to do with one call.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Let it through.
    Pass,
    /// Answer this without reaching the backend.
    Refuse(Hresult),
    /// Let it through, then answer this instead; complete event `usize` with the real answer.
    Replace(Hresult, usize),
}

/// What AddAudioTrack knows about its write before it starts.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Write {
    /// The track number it will write.
    pub track: u32,
    /// Its sectors (stream size / 2352), when known.
    pub sectors: Option<u64>,
}

/// Settings, plan and state, shared by the injector and every object it hands out.
pub(crate) struct Shared {
    pub config: FaultConfig,
    pub plan: Vec<Applied>,
    pub device: Option<Arc<dyn SimulatedDevice>>,
    /// Injection on; off, calls pass uncounted.
    pub active: AtomicBool,
    /// A rule acts on the track being written (device faults, random faults).
    pub needs_track_number: bool,
    state: Mutex<FaultState>,
}

impl Shared {
    pub(crate) fn new(config: FaultConfig, device: Option<Arc<dyn SimulatedDevice>>, backend: String) -> Shared {
        let plan = config.rules.iter().map(|r| applied(&r.rule, device.is_some(), &backend)).collect();
        let mut state = FaultState::new(&config);
        if let Some(d) = &device {
            for (i, r) in config.rules.iter().enumerate() {
                if let FaultRule::Device(fault) = r.rule {
                    d.arm_device_fault(fault);
                    state.armed.push((fault, Some(i), String::new()));
                }
            }
        }
        let needs_track_number =
            config.rules.iter().any(|r| matches!(r.rule, FaultRule::Device(_) | FaultRule::Random { .. }));
        Shared { config, plan, device, active: AtomicBool::new(true), needs_track_number, state: Mutex::new(state) }
    }

    pub(crate) fn state(&self) -> MutexGuard<'_, FaultState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Counts a call of `member` and decides what happens to it; also answers which call of
    /// the member it is. `write` is given for AddAudioTrack.
    pub(crate) fn before(&self, member: Member, write: Option<Write>) -> (Verdict, u32) {
        if !self.active.load(Ordering::Acquire) {
            return (Verdict::Pass, 0);
        }
        let mut st = self.state();
        let n = {
            let c = st.counts.entry(member).or_insert(0);
            *c = c.saturating_add(1);
            *c
        };
        (self.decide(&mut st, member, n, write), n)
    }

    fn decide(&self, st: &mut FaultState, member: Member, n: u32, write: Option<Write>) -> Verdict {
        let reach = member.reach();
        let call = format!("{member} #{n}");
        if st.dead && reach != Reach::Object {
            return Verdict::Refuse(DEVICE_NOT_CONNECTED);
        }
        // (a) the Nth call of a member.
        for (i, r) in self.config.rules.iter().enumerate() {
            if let FaultRule::FailCall { member: m, nth, hresult, reaches_backend } = r.rule {
                if m == member && nth == n {
                    st.struck[i] += 1;
                    let effect = match reaches_backend {
                        false => format!("answered {hresult} without reaching the backend"),
                        true => format!("reached the backend, then answered {hresult}"),
                    };
                    st.events.push(event(Some(i), "fail_call", &call, effect, None));
                    return match reaches_backend {
                        false => Verdict::Refuse(hresult),
                        true => Verdict::Replace(hresult, st.events.len() - 1),
                    };
                }
            }
        }
        // (d) windows of a drive that is not ready.
        for (i, r) in self.config.rules.iter().enumerate() {
            if let FaultRule::NotReady { calls, from, .. } = r.rule {
                let opens = match from {
                    Some((m, nth)) => m == member && nth == n,
                    None => reach == Reach::Media,
                };
                if st.windows[i] == Window::Waiting && opens {
                    st.windows[i] = Window::Open(calls);
                }
            }
        }
        if reach == Reach::Media {
            for (i, r) in self.config.rules.iter().enumerate() {
                if let (FaultRule::NotReady { hresult, calls, .. }, Window::Open(left)) = (&r.rule, st.windows[i]) {
                    st.windows[i] = if left <= 1 { Window::Done } else { Window::Open(left - 1) };
                    st.struck[i] += 1;
                    let k = calls - left + 1;
                    let effect = format!("the drive answered {hresult} (not ready: media call {k} of {calls})");
                    st.events.push(event(Some(i), "not_ready", &call, effect, None));
                    return Verdict::Refuse(*hresult);
                }
            }
            if let Some((hresult, left, rule)) = st.random_window {
                st.random_window = (left > 1).then_some((hresult, left - 1, rule));
                let effect = format!("the drive answered {hresult} (random: still not ready)");
                st.struck[rule] += 1;
                st.events.push(event(Some(rule), "not_ready", &call, effect, None));
                return Verdict::Refuse(hresult);
            }
        }
        // (f) random faults, on calls that reach the drive.
        if reach != Reach::Object {
            if let Some(v) = self.draw(st, member, reach, &call, write) {
                return v;
            }
        }
        Verdict::Pass
    }

    fn draw(
        &self,
        st: &mut FaultState,
        member: Member,
        reach: Reach,
        call: &str,
        write: Option<Write>,
    ) -> Option<Verdict> {
        let seed = self.config.seed?;
        for (i, r) in self.config.rules.iter().enumerate() {
            let FaultRule::Random { rate, kinds } = &r.rule else { continue };
            let rng = st.rng.as_mut()?;
            if !rng.random_bool(*rate) {
                continue;
            }
            let is_write = member == Member::Call(Call::AddAudioTrack);
            let usable: Vec<RandomKind> = kinds
                .iter()
                .copied()
                .filter(|k| match k {
                    RandomKind::FailCall => true,
                    RandomKind::NotReady => reach == Reach::Media,
                    RandomKind::Underrun | RandomKind::MediaRemoved | RandomKind::PowerLoss => {
                        is_write && self.device.is_some() && write.and_then(|w| w.sectors).is_some_and(|s| s > 0)
                    }
                })
                .collect();
            if usable.is_empty() {
                continue;
            }
            let kind = usable[rng.random_range(0..usable.len())];
            let drawn = format!("random (fault seed {seed})");
            match kind {
                RandomKind::FailCall => {
                    let hr = RANDOM_CODES[rng.random_range(0..RANDOM_CODES.len())];
                    let effect = format!("{drawn}: answered {hr} without reaching the backend");
                    st.struck[i] += 1;
                    st.events.push(event(Some(i), "fail_call", call, effect, None));
                    return Some(Verdict::Refuse(hr));
                }
                RandomKind::NotReady => {
                    let hr = RANDOM_CODES[1 + rng.random_range(0..2)];
                    let k: u32 = rng.random_range(1..=3);
                    if k > 1 {
                        st.random_window = Some((hr, k - 1, i));
                    }
                    let effect = format!("{drawn}: the drive answered {hr} (not ready for {k} media call(s))");
                    st.struck[i] += 1;
                    st.events.push(event(Some(i), "not_ready", call, effect, None));
                    return Some(Verdict::Refuse(hr));
                }
                _ => {
                    let w = write?;
                    let sector = rng.random_range(0..w.sectors?);
                    let kind = match kind {
                        RandomKind::Underrun => DeviceFaultKind::Underrun { stall_ms: DEFAULT_STALL_MS },
                        RandomKind::MediaRemoved => DeviceFaultKind::MediaRemoved,
                        _ => DeviceFaultKind::PowerLoss,
                    };
                    let fault = DeviceFault { track: w.track, sector, kind };
                    if let Some(d) = &self.device {
                        d.arm_device_fault(fault);
                        st.armed.push((fault, Some(i), drawn));
                    }
                    return None;
                }
            }
        }
        None
    }

    /// Completes the event of a `reaches_backend` failure with what the backend answered.
    pub(crate) fn replaced(&self, event: usize, real: Hresult) {
        if let Some(e) = self.state().events.get_mut(event) {
            e.effect = format!("{} (the backend had answered {real})", e.effect);
        }
    }

    /// After AddAudioTrack `nth`: records the device faults that struck during it.
    pub(crate) fn after_write(&self, nth: u32) {
        let Some(device) = &self.device else { return };
        let fired = device.fired_device_faults();
        let mut st = self.state();
        let call = format!("AddAudioTrack #{nth}");
        let new: Vec<FiredDeviceFault> = fired.iter().skip(st.seen_fired).copied().collect();
        st.seen_fired = fired.len();
        for f in new {
            let (rule, drawn) = match st.armed.iter().position(|(a, ..)| *a == f.fault) {
                Some(i) => {
                    let (_, rule, drawn) = st.armed.remove(i);
                    (rule, drawn)
                }
                None => (None, "armed outside the injector".to_string()),
            };
            if let Some(i) = rule {
                st.struck[i] += 1;
            }
            let what = describe_device_fault(&f.fault);
            let prefix = if drawn.is_empty() { what } else { format!("{drawn}: {what}") };
            let (effect, unknown) = match f.outcome {
                DeviceFaultOutcome::Resumed { delay_ms } => (
                    format!("{prefix}: buffer-underrun protection caught it; the write was held up {delay_ms} ms and went on"),
                    None,
                ),
                DeviceFaultOutcome::TrackCut { hresult } => {
                    let cut = match f.fault.sector {
                        0 => "nothing of the track was written".to_string(),
                        s => format!("the track was cut after {s} sectors, damaged"),
                    };
                    let (tail, unknown) = match f.fault.kind {
                        DeviceFaultKind::Underrun { .. } => ("", None),
                        DeviceFaultKind::MediaRemoved => {
                            ("; the disc is out of reach (tray open)", Some(REMOVED_UNKNOWN.to_string()))
                        }
                        DeviceFaultKind::PowerLoss => {
                            st.dead = true;
                            (
                                "; the drive is dead: every later call that reaches it answers 0x8007048F",
                                Some(POWER_UNKNOWN.to_string()),
                            )
                        }
                    };
                    (format!("{prefix}: {cut}; AddAudioTrack answered {hresult}{tail}"), unknown)
                }
            };
            st.events.push(event(rule, f.fault.kind.name(), &call, effect, unknown));
        }
    }

    /// Records an underrun emulated by stalling the stream (real backends).
    pub(crate) fn stalled(&self, rule: usize, nth: u32, fault: &DeviceFault) {
        let mut st = self.state();
        st.struck[rule] += 1;
        let effect = format!("{}: the stream stalled there", describe_device_fault(fault));
        let call = format!("AddAudioTrack #{nth}");
        st.events.push(event(Some(rule), "underrun", &call, effect, Some(STALL_UNKNOWN.to_string())));
    }

    /// Events since the last call.
    pub(crate) fn take_new_events(&self) -> Vec<FaultEvent> {
        let mut st = self.state();
        let new = st.events[st.reported..].to_vec();
        st.reported = st.events.len();
        new
    }

    /// How each rule was applied and how often it struck.
    pub(crate) fn report(&self) -> FaultReport {
        let st = self.state();
        FaultReport {
            seed: self.config.seed.filter(|_| self.config.has_random()),
            rules: self
                .config
                .rules
                .iter()
                .enumerate()
                .map(|(i, r)| RuleReport {
                    rule: i + 1,
                    origin: r.origin.clone(),
                    what: r.rule.to_string(),
                    applied: self.plan[i].describe(),
                    struck: st.struck[i],
                })
                .collect(),
        }
    }
}

fn event(rule: Option<usize>, fault: &str, call: &str, effect: String, unknown: Option<String>) -> FaultEvent {
    FaultEvent { rule: rule.map(|i| i + 1), fault: fault.into(), call: call.into(), effect, outcome_unknown: unknown }
}

/// How `rule` is carried out on a backend (`device`: it is a simulated device).
fn applied(rule: &FaultRule, device: bool, backend: &str) -> Applied {
    match (rule, device) {
        (FaultRule::Device(_), true) => Applied::Device,
        (FaultRule::Device(DeviceFault { kind: DeviceFaultKind::Underrun { stall_ms }, .. }), false) => {
            Applied::Emulated(format!(
                "the {backend} backend cannot be ordered to underrun: the stream stalls {stall_ms} ms (wall clock) at \
                 that sector instead; make it longer than the drive and IMAPI2 buffers last"
            ))
        }
        (FaultRule::Device(d), false) => Applied::Impossible(format!(
            "the {backend} backend cannot {}: do it by hand in the lab (docs/lab.md, Faults in the lab) or run on the simulator",
            match d.kind {
                DeviceFaultKind::MediaRemoved => "pull the disc out",
                _ => "cut the drive's power",
            }
        )),
        (FaultRule::Random { kinds, .. }, false) if kinds.iter().any(|k| k.is_device()) => {
            match kinds.iter().all(|k| k.is_device()) {
                true => Applied::Impossible(format!(
                    "the {backend} backend cannot be ordered to underrun, lose its disc or its power"
                )),
                false => Applied::Emulated(format!(
                    "on the {backend} backend only call faults are drawn (fail_call, not_ready); device faults need \
                     the simulator"
                )),
            }
        }
        _ => Applied::Middleware,
    }
}
