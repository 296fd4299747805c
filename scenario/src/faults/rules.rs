//! Fault rules: as written (`[[fault]]` tables, in a scenario or a faults file) and checked.
//!
//! ```toml
//! fault_seed = 7                      # seed of `random` rules (or --fault-seed)
//!
//! [[fault]]                           # (a) the Nth call of a member fails
//! kind = "fail_call"
//! call = "PrepareMedia"
//! nth = 2                             # default 1
//! hresult = "E_IMAPI_RECORDER_COMMAND_TIMEOUT"
//! reaches_backend = false             # default: refused before the drive sees it
//!
//! [[fault]]                           # (b) buffer underrun at sector S of track T
//! kind = "underrun"
//! track = 1
//! sector = 1000
//! stall_ms = 2000                     # how long the data stops (default 2000)
//!
//! [[fault]]                           # (c) the disc is pulled out
//! kind = "media_removed"
//! track = 1
//! sector = 5000
//!
//! [[fault]]                           # (d) the drive is not ready for K media calls
//! kind = "not_ready"
//! hresult = "E_IMAPI_RECORDER_MEDIA_BUSY"   # default E_IMAPI_RECORDER_MEDIA_BECOMING_READY
//! calls = 3
//! from = "PrepareMedia"               # optional: opens at this member's `nth` call
//!
//! [[fault]]                           # (e) power cut
//! kind = "power_loss"
//! track = 2
//! sector = 100
//!
//! [[fault]]                           # (f) seeded random faults
//! kind = "random"
//! rate = 0.05                         # chance per call that reaches the drive
//! kinds = ["fail_call", "not_ready", "underrun"]   # the default
//! ```

use std::fmt;
use std::ops::Range;

use cdr_sim::{DeviceFault, DeviceFaultKind, Hresult};
use toml::Spanned;

use super::member::Member;

/// How long the data stops in an underrun unless a rule says (`stall_ms`).
pub const DEFAULT_STALL_MS: u64 = 2_000;
/// The rate of random faults that `--fault-seed` alone turns on.
pub const DEFAULT_RANDOM_RATE: f64 = 0.05;
const MAX_STALL_MS: i64 = 3_600_000;
const MAX_SECTOR: i64 = i32::MAX as i64;
const MAX_CALLS: i64 = 1_000_000;

/// The settings of a fault injector: its rules, and the seed of random faults.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FaultConfig {
    /// The rules, numbered from 1 in this order in transcripts.
    pub rules: Vec<PlacedRule>,
    /// Seed of `random` rules; required when there is one.
    pub seed: Option<u64>,
}

impl FaultConfig {
    /// True when no rule is set.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// True when a `random` rule is set.
    pub fn has_random(&self) -> bool {
        self.rules.iter().any(PlacedRule::is_random)
    }

    /// Checks what cannot be checked rule by rule: random faults need a seed.
    pub fn validate(&self) -> Result<(), String> {
        if self.has_random() && self.seed.is_none() {
            return Err("random faults need a seed: set fault_seed = N (or pass --fault-seed N)".into());
        }
        Ok(())
    }
}

/// A rule and where it was written.
#[derive(Clone, Debug, PartialEq)]
pub struct PlacedRule {
    /// The rule.
    pub rule: FaultRule,
    /// `file:line` of its `[[fault]]` table, or `--fault-seed` for the default random rule.
    pub origin: String,
    /// The line of its `[[fault]]` table in that file (0 when it was not written in a file).
    pub line: usize,
}

impl PlacedRule {
    /// True for a `random` rule.
    pub fn is_random(&self) -> bool {
        matches!(self.rule, FaultRule::Random { .. })
    }
}

/// One fault rule.
#[derive(Clone, Debug, PartialEq)]
pub enum FaultRule {
    /// (a) The `nth` call of `member` (counted over every object of the backend) answers
    /// `hresult`: without reaching the backend (a real drive's refusal usually has no effect),
    /// or, with `reaches_backend`, after the backend carried it out.
    FailCall {
        /// The member.
        member: Member,
        /// Which call, from 1.
        nth: u32,
        /// The failure code it answers.
        hresult: Hresult,
        /// The backend carries the call out first.
        reaches_backend: bool,
    },
    /// (d) The drive answers `hresult` to `calls` media calls (calls that need the disc),
    /// starting at the `nth` call of `from` (or at the first media call).
    NotReady {
        /// E_IMAPI_RECORDER_MEDIA_BECOMING_READY or E_IMAPI_RECORDER_MEDIA_BUSY.
        hresult: Hresult,
        /// How many media calls it refuses.
        calls: u32,
        /// Where the window opens: (member, nth call).
        from: Option<(Member, u32)>,
    },
    /// (b), (c), (e) A fault in the drive at a sector of a track.
    Device(DeviceFault),
    /// (f) Each call that reaches the drive fails with chance `rate`, with a fault drawn from
    /// `kinds`.
    Random {
        /// Chance per call, 0..=1.
        rate: f64,
        /// The faults it may draw.
        kinds: Vec<RandomKind>,
    },
}

/// What a random fault may be.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum RandomKind {
    /// The call fails with a drive error, without reaching the drive.
    FailCall,
    /// The drive is not ready for 1 to 3 media calls.
    NotReady,
    /// An underrun at a random sector of the track being written.
    Underrun,
    /// The disc is pulled out at a random sector.
    MediaRemoved,
    /// The power fails at a random sector.
    PowerLoss,
}

impl RandomKind {
    const ALL: [RandomKind; 5] = [
        RandomKind::FailCall,
        RandomKind::NotReady,
        RandomKind::Underrun,
        RandomKind::MediaRemoved,
        RandomKind::PowerLoss,
    ];
    /// The kinds a random rule draws unless it lists its own.
    pub const DEFAULT: [RandomKind; 3] = [RandomKind::FailCall, RandomKind::NotReady, RandomKind::Underrun];

    /// True for faults of the drive itself (underrun, pulled disc, power cut), which only a
    /// simulated device can suffer on demand.
    pub fn is_device(self) -> bool {
        matches!(self, RandomKind::Underrun | RandomKind::MediaRemoved | RandomKind::PowerLoss)
    }

    /// The name used in `kinds`.
    pub fn name(self) -> &'static str {
        match self {
            RandomKind::FailCall => "fail_call",
            RandomKind::NotReady => "not_ready",
            RandomKind::Underrun => "underrun",
            RandomKind::MediaRemoved => "media_removed",
            RandomKind::PowerLoss => "power_loss",
        }
    }
}

impl fmt::Display for FaultRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FaultRule::FailCall { member, nth, hresult, reaches_backend: false } => {
                write!(f, "call {nth} of {member} answers {hresult} without reaching the backend")
            }
            FaultRule::FailCall { member, nth, hresult, reaches_backend: true } => {
                write!(f, "call {nth} of {member} reaches the backend, then answers {hresult}")
            }
            FaultRule::NotReady { hresult, calls, from } => {
                write!(f, "the drive answers {hresult} to {calls} media call(s)")?;
                match from {
                    Some((m, n)) => write!(f, " from call {n} of {m}"),
                    None => write!(f, " from the first"),
                }
            }
            FaultRule::Device(d) => write!(f, "{}", describe_device_fault(d)),
            FaultRule::Random { rate, kinds } => {
                let kinds: Vec<&str> = kinds.iter().map(|k| k.name()).collect();
                write!(f, "random faults ({}) at rate {rate}", kinds.join(", "))
            }
        }
    }
}

/// `underrun at sector 1000 of track 1 (data stops for 2000 ms)`.
pub fn describe_device_fault(d: &DeviceFault) -> String {
    let at = format!("at sector {} of track {}", d.sector, d.track);
    match d.kind {
        DeviceFaultKind::Underrun { stall_ms } => format!("underrun {at} (data stops for {stall_ms} ms)"),
        DeviceFaultKind::MediaRemoved => format!("disc pulled out {at}"),
        DeviceFaultKind::PowerLoss => format!("power cut {at}"),
    }
}

/// One `[[fault]]` table as written. Which keys apply depends on `kind`.
#[derive(serde::Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct FaultFile {
    /// `fail_call`, `underrun`, `media_removed`, `not_ready`, `power_loss` or `random`.
    pub kind: Spanned<String>,
    /// fail_call: the member whose call fails (`PrepareMedia`, `IDiscRecorder2::EjectMedia`).
    pub call: Option<Spanned<String>>,
    /// fail_call: which call of `call` (default 1); not_ready: which call of `from`.
    pub nth: Option<Spanned<i64>>,
    /// fail_call: the failure code; not_ready: BECOMING_READY (default) or MEDIA_BUSY.
    pub hresult: Option<Spanned<String>>,
    /// fail_call: the backend carries the call out before it fails (default false).
    pub reaches_backend: Option<Spanned<bool>>,
    /// underrun, media_removed, power_loss: the track number (1..=99).
    pub track: Option<Spanned<i64>>,
    /// underrun, media_removed, power_loss: sectors of the track written when it strikes.
    pub sector: Option<Spanned<i64>>,
    /// underrun: milliseconds the data stops (default 2000).
    pub stall_ms: Option<Spanned<i64>>,
    /// not_ready: how many media calls the drive refuses.
    pub calls: Option<Spanned<i64>>,
    /// not_ready: the member whose `nth` call opens the window (default: the first media call).
    pub from: Option<Spanned<String>>,
    /// random: the chance per call, 0 to 1.
    pub rate: Option<Spanned<f64>>,
    /// random: the faults it may draw (default fail_call, not_ready, underrun).
    pub kinds: Option<Spanned<Vec<String>>>,
}

/// A faults file (`cdr-harness run --faults FILE`): a seed and `[[fault]]` tables.
#[derive(serde::Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct FaultsFile {
    /// Seed of random faults.
    pub fault_seed: Option<Spanned<u64>>,
    /// The rules.
    #[serde(default)]
    pub fault: Vec<Spanned<FaultFile>>,
}

impl crate::document::Parts for FaultsFile {
    const ARRAYS: &'static [&'static str] = &["fault"];
    fn absorb(&mut self, other: Self) {
        self.fault.extend(other.fault);
    }
}

/// A rule that cannot be used: the span of the offending value and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleError {
    /// Byte range in the file.
    pub span: Range<usize>,
    /// What is wrong, and what to write instead.
    pub message: String,
}

fn err<T>(span: Range<usize>, message: impl Into<String>) -> Result<T, RuleError> {
    Err(RuleError { span, message: message.into() })
}

const KINDS: &str = "fail_call, underrun, media_removed, not_ready, power_loss or random";

/// Checks one `[[fault]]` table.
pub fn build_rule(table: &Spanned<FaultFile>) -> Result<FaultRule, RuleError> {
    let f = table.get_ref();
    let kind = f.kind.get_ref().as_str();
    let allowed: &[&str] = match kind {
        "fail_call" => &["call", "nth", "hresult", "reaches_backend"],
        "underrun" => &["track", "sector", "stall_ms"],
        "media_removed" | "power_loss" => &["track", "sector"],
        "not_ready" => &["hresult", "calls", "from", "nth"],
        "random" => &["rate", "kinds"],
        other => return err(f.kind.span(), format!("unknown fault kind {other:?}: expected {KINDS}")),
    };
    for (key, span) in present_keys(f) {
        if !allowed.contains(&key) {
            return err(span, format!("`{key}` does not apply to kind = {kind:?} (it takes {})", allowed.join(", ")));
        }
    }
    match kind {
        "fail_call" => {
            let call = required(&f.call, "call", table, "the member whose call fails, e.g. call = \"PrepareMedia\"")?;
            let member = call.get_ref().parse::<Member>().map_err(|e| RuleError { span: call.span(), message: e })?;
            let hresult =
                required(&f.hresult, "hresult", table, "the failure code, e.g. \"E_IMAPI_RECORDER_COMMAND_TIMEOUT\"")?;
            let hr = parse_hresult(hresult)?;
            if hr.is_success() {
                return err(hresult.span(), format!("{hr} is a success code: a failing call answers a failure code"));
            }
            Ok(FaultRule::FailCall {
                member,
                nth: number(&f.nth, 1, 1, i64::from(u32::MAX), "nth")? as u32,
                hresult: hr,
                reaches_backend: f.reaches_backend.as_ref().is_some_and(|b| *b.get_ref()),
            })
        }
        "not_ready" => {
            let hr = match &f.hresult {
                Some(h) => {
                    let hr = parse_hresult(h)?;
                    if ![Hresult::E_IMAPI_RECORDER_MEDIA_BECOMING_READY, Hresult::E_IMAPI_RECORDER_MEDIA_BUSY]
                        .contains(&hr)
                    {
                        return err(
                            h.span(),
                            format!(
                                "{hr}: a drive that is not ready answers E_IMAPI_RECORDER_MEDIA_BECOMING_READY or \
                                 E_IMAPI_RECORDER_MEDIA_BUSY (for any other code use kind = \"fail_call\")"
                            ),
                        );
                    }
                    hr
                }
                None => Hresult::E_IMAPI_RECORDER_MEDIA_BECOMING_READY,
            };
            let calls = required(&f.calls, "calls", table, "how many media calls the drive refuses, e.g. calls = 3")?;
            let calls = number(&Some(calls.clone()), 1, 1, MAX_CALLS, "calls")? as u32;
            let from = match &f.from {
                Some(m) => {
                    let member = m.get_ref().parse::<Member>().map_err(|e| RuleError { span: m.span(), message: e })?;
                    Some((member, number(&f.nth, 1, 1, i64::from(u32::MAX), "nth")? as u32))
                }
                None => {
                    if let Some(n) = &f.nth {
                        return err(n.span(), "`nth` counts the calls of `from`: give `from` too");
                    }
                    None
                }
            };
            Ok(FaultRule::NotReady { hresult: hr, calls, from })
        }
        "underrun" | "media_removed" | "power_loss" => {
            let track = required(&f.track, "track", table, "the track number, e.g. track = 1")?;
            let track = number(&Some(track.clone()), 1, 1, 99, "track")? as u32;
            let sector = required(&f.sector, "sector", table, "sectors of the track written when it strikes")?;
            let sector = number(&Some(sector.clone()), 0, 0, MAX_SECTOR, "sector")? as u64;
            let kind = match kind {
                "underrun" => DeviceFaultKind::Underrun {
                    stall_ms: number(&f.stall_ms, DEFAULT_STALL_MS as i64, 0, MAX_STALL_MS, "stall_ms")? as u64,
                },
                "media_removed" => DeviceFaultKind::MediaRemoved,
                _ => DeviceFaultKind::PowerLoss,
            };
            Ok(FaultRule::Device(DeviceFault { track, sector, kind }))
        }
        _ => {
            let rate = required(&f.rate, "rate", table, "the chance per call, e.g. rate = 0.05")?;
            let r = *rate.get_ref();
            if !(0.0..=1.0).contains(&r) {
                return err(rate.span(), format!("rate = {r}: a chance is between 0 and 1"));
            }
            let kinds = match &f.kinds {
                None => RandomKind::DEFAULT.to_vec(),
                Some(list) if list.get_ref().is_empty() => {
                    return err(list.span(), "`kinds` is empty: list at least one")
                }
                Some(list) => {
                    let mut kinds = Vec::new();
                    for name in list.get_ref() {
                        let k = RandomKind::ALL.iter().find(|k| k.name() == name).ok_or_else(|| RuleError {
                            span: list.span(),
                            message: format!(
                                "unknown random fault {name:?}: expected fail_call, not_ready, underrun, media_removed \
                                 or power_loss"
                            ),
                        })?;
                        if !kinds.contains(k) {
                            kinds.push(*k);
                        }
                    }
                    kinds
                }
            };
            Ok(FaultRule::Random { rate: r, kinds })
        }
    }
}

fn present_keys(f: &FaultFile) -> Vec<(&'static str, Range<usize>)> {
    let mut keys = Vec::new();
    let mut add = |k: &'static str, s: Option<Range<usize>>| {
        if let Some(s) = s {
            keys.push((k, s));
        }
    };
    add("call", f.call.as_ref().map(Spanned::span));
    add("nth", f.nth.as_ref().map(Spanned::span));
    add("hresult", f.hresult.as_ref().map(Spanned::span));
    add("reaches_backend", f.reaches_backend.as_ref().map(Spanned::span));
    add("track", f.track.as_ref().map(Spanned::span));
    add("sector", f.sector.as_ref().map(Spanned::span));
    add("stall_ms", f.stall_ms.as_ref().map(Spanned::span));
    add("calls", f.calls.as_ref().map(Spanned::span));
    add("from", f.from.as_ref().map(Spanned::span));
    add("rate", f.rate.as_ref().map(Spanned::span));
    add("kinds", f.kinds.as_ref().map(Spanned::span));
    keys
}

fn required<'a, T>(
    v: &'a Option<Spanned<T>>,
    key: &str,
    table: &Spanned<FaultFile>,
    what: &str,
) -> Result<&'a Spanned<T>, RuleError> {
    v.as_ref().ok_or_else(|| RuleError {
        span: table.span(),
        message: format!("kind = {:?} needs `{key}`: {what}", table.get_ref().kind.get_ref()),
    })
}

fn number(v: &Option<Spanned<i64>>, default: i64, min: i64, max: i64, key: &str) -> Result<i64, RuleError> {
    match v {
        None => Ok(default),
        Some(n) if (min..=max).contains(n.get_ref()) => Ok(*n.get_ref()),
        Some(n) => err(n.span(), format!("{key} = {}: expected {min} to {max}", n.get_ref())),
    }
}

fn parse_hresult(h: &Spanned<String>) -> Result<Hresult, RuleError> {
    h.get_ref().parse::<Hresult>().map_err(|_| RuleError {
        span: h.span(),
        message: format!(
            "{:?} is not an HRESULT: write a symbol (\"E_IMAPI_RECORDER_MEDIA_BUSY\") or hex (\"0xC0AA0207\")",
            h.get_ref()
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<FaultRule, String> {
        let f: FaultsFile = toml::from_str(text).map_err(|e| e.to_string())?;
        build_rule(&f.fault[0]).map_err(|e| e.message)
    }

    #[test]
    fn each_kind_builds_with_its_defaults() {
        assert_eq!(
            parse("[[fault]]\nkind = \"fail_call\"\ncall = \"PrepareMedia\"\nhresult = \"E_FAIL\""),
            Ok(FaultRule::FailCall {
                member: "PrepareMedia".parse().unwrap(),
                nth: 1,
                hresult: Hresult::E_FAIL,
                reaches_backend: false
            })
        );
        assert_eq!(
            parse("[[fault]]\nkind = \"underrun\"\ntrack = 2\nsector = 0"),
            Ok(FaultRule::Device(DeviceFault {
                track: 2,
                sector: 0,
                kind: DeviceFaultKind::Underrun { stall_ms: DEFAULT_STALL_MS }
            }))
        );
        assert_eq!(
            parse("[[fault]]\nkind = \"not_ready\"\ncalls = 3"),
            Ok(FaultRule::NotReady { hresult: Hresult::E_IMAPI_RECORDER_MEDIA_BECOMING_READY, calls: 3, from: None })
        );
        assert_eq!(
            parse("[[fault]]\nkind = \"random\"\nrate = 0.5"),
            Ok(FaultRule::Random { rate: 0.5, kinds: RandomKind::DEFAULT.to_vec() })
        );
    }

    #[test]
    fn bad_rules_say_what_is_wrong() {
        let cases = [
            ("kind = \"meteor\"", "unknown fault kind"),
            ("kind = \"underrun\"\ntrack = 1", "needs `sector`"),
            ("kind = \"underrun\"\ntrack = 100\nsector = 1", "track = 100: expected 1 to 99"),
            ("kind = \"underrun\"\ntrack = 1\nsector = -5", "sector = -5"),
            ("kind = \"power_loss\"\ntrack = 1\nsector = 5\nstall_ms = 3", "`stall_ms` does not apply"),
            ("kind = \"fail_call\"\ncall = \"Prepare\"\nhresult = \"E_FAIL\"", "PrepareMedia"),
            ("kind = \"fail_call\"\ncall = \"PrepareMedia\"\nhresult = \"S_OK\"", "success code"),
            ("kind = \"fail_call\"\ncall = \"PrepareMedia\"\nhresult = \"E_NOPE\"", "not an HRESULT"),
            ("kind = \"not_ready\"\ncalls = 1\nhresult = \"E_FAIL\"", "fail_call"),
            ("kind = \"not_ready\"\ncalls = 1\nnth = 2", "give `from`"),
            ("kind = \"random\"\nrate = 1.5", "between 0 and 1"),
            ("kind = \"random\"\nrate = 0.1\nkinds = [\"lightning\"]", "unknown random fault"),
        ];
        for (body, want) in cases {
            let got = parse(&format!("[[fault]]\n{body}")).unwrap_err();
            assert!(got.contains(want), "{body}: {got}");
        }
    }

    #[test]
    fn random_faults_need_a_seed() {
        let rule = PlacedRule { rule: FaultRule::Random { rate: 0.1, kinds: vec![] }, origin: String::new(), line: 0 };
        let mut c = FaultConfig { rules: vec![rule], seed: None };
        assert!(c.validate().unwrap_err().contains("fault_seed"));
        c.seed = Some(1);
        assert_eq!(c.validate(), Ok(()));
    }
}
