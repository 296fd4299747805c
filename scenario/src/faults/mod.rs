//! Fault injection: [`FaultInjector`], a middleware that implements the device contract around
//! any backend (the simulator or the real IMAPI2 one) and makes calls fail the way drives fail.
//!
//! Like smoltcp's `FaultInjector<D: Device>`, it holds the backend it wraps (`inner`,
//! [`FaultInjector::into_inner`]) and keeps its settings ([`FaultConfig`]: the rules and the
//! seed) apart from its runtime state ([`FaultState`]: call counters, the random generator,
//! what struck). Every object it hands out (master, recorder, format, and the format's Update
//! handlers) is wrapped, so every member call passes through it.
//!
//! The rules ([`rules`] shows the TOML form; `docs/scenarios.md` documents it for users):
//! - **fail_call**: the Nth call of a member answers an HRESULT, refused before it reaches the
//!   backend (a real drive's refusal usually has no effect) or, with `reaches_backend`, after
//!   the backend carried it out.
//! - **underrun**, **media_removed**, **power_loss** at sector S of track T: armed on a
//!   simulated device (`cdr_sim::SimulatedDevice`), which cuts the write and leaves the disc as
//!   a real one would be left. On a backend that is not simulated the middleware stalls the
//!   stream for an underrun and reports the other two as not possible.
//! - **not_ready**: the drive answers MEDIA_BECOMING_READY or MEDIA_BUSY to K media calls.
//! - **random**: seeded random faults; the seed is in the transcript and printed by the CLI.
//!
//! After a power cut every call that reaches the drive answers 0x8007048F (the device is gone);
//! members the IMAPI2 object answers from its own state still answer ([`member::Reach`]).
//!
//! ## Entropy
//! Random faults come from a xorshift generator seeded by `fault_seed` (or `--fault-seed`),
//! drawn in call order: the same scenario, seed and backend give the same faults.
//!
//! ```
//! use cdr_scenario::faults::{FaultConfig, FaultInjector, FaultRule, PlacedRule};
//! use cdr_scenario::call::Call;
//! use cdr_sim::profile::{drive_by_name, media_by_name};
//! use cdr_sim::{Backend, Hresult, SimBackend};
//!
//! let rule = FaultRule::FailCall {
//!     member: cdr_scenario::faults::Member::Call(Call::PrepareMedia),
//!     nth: 1,
//!     hresult: Hresult::E_IMAPI_RECORDER_COMMAND_TIMEOUT,
//!     reaches_backend: false,
//! };
//! let config = FaultConfig { rules: vec![PlacedRule { rule, origin: "example".into(), line: 0 }], seed: None };
//! let sim = SimBackend::new(drive_by_name("default").unwrap(), media_by_name("cdr80"));
//! let faulty = FaultInjector::new(sim, config);
//! let recorder = faulty.create_recorder().unwrap();
//! recorder.initialize_disc_recorder(&faulty.disc_master().unwrap().item(0).unwrap()).unwrap();
//! let format = faulty.create_format().unwrap();
//! format.set_recorder(Some(recorder)).unwrap();
//! format.set_client_name(Some("Example")).unwrap();
//! assert_eq!(format.prepare_media(), Err(Hresult::E_IMAPI_RECORDER_COMMAND_TIMEOUT));
//! assert_eq!(format.prepare_media(), Ok(()), "only the first call fails");
//! assert_eq!(faulty.state().events().len(), 1);
//! ```

mod file;
pub mod member;
mod objects;
mod report;
pub mod rules;
mod stall;
mod state;

use std::sync::{Arc, MutexGuard};

use cdr_sim::{Backend, DiscFormat2TrackAtOnce, DiscMaster2, DiscRecorder2, HrResult};

pub use file::{load_faults_file, placed_rules, FaultsFileError};
pub use member::Member;
pub use objects::{FaultFormat, FaultMaster, FaultRecorder};
pub use report::{Applied, FaultEvent, FaultReport, RuleReport};
pub use rules::{FaultConfig, FaultRule, PlacedRule, RandomKind};
pub use stall::StallingStream;
pub use state::FaultState;

use state::Shared;

/// A backend whose calls fail as [`FaultConfig`] says. See the [module docs](self).
pub struct FaultInjector<B: Backend> {
    inner: B,
    shared: Arc<Shared>,
}

impl<B: Backend> FaultInjector<B> {
    /// Wraps `inner`. Device faults are armed on it now when it is a simulated device; rules it
    /// cannot carry out are listed by [`FaultInjector::plan`].
    pub fn new(inner: B, config: FaultConfig) -> FaultInjector<B> {
        let device = inner.simulated();
        let shared = Arc::new(Shared::new(config, device, inner.name()));
        FaultInjector { inner, shared }
    }

    /// The backend it wraps.
    pub fn inner(&self) -> &B {
        &self.inner
    }

    /// The backend it wraps, and no more injection. Objects handed out earlier keep injecting.
    pub fn into_inner(self) -> B {
        self.inner
    }

    /// The settings.
    pub fn config(&self) -> &FaultConfig {
        &self.shared.config
    }

    /// How each rule is carried out on this backend, in rule order.
    pub fn plan(&self) -> &[Applied] {
        &self.shared.plan
    }

    /// The runtime state (counters, what struck). Do not hold it across a call to the backend.
    pub fn state(&self) -> MutexGuard<'_, FaultState> {
        self.shared.state()
    }

    /// A handle that outlives borrows of the injector, for reading its events while a run goes
    /// on.
    pub fn probe(&self) -> FaultProbe {
        FaultProbe { shared: Arc::clone(&self.shared) }
    }
}

/// A handle on an injector's events and report.
#[derive(Clone)]
pub struct FaultProbe {
    shared: Arc<Shared>,
}

impl FaultProbe {
    /// Turns injection off (calls pass uncounted) or back on.
    pub fn set_active(&self, active: bool) {
        self.shared.active.store(active, std::sync::atomic::Ordering::Release);
    }

    /// The faults that struck since the last call.
    pub fn take_new_events(&self) -> Vec<FaultEvent> {
        self.shared.take_new_events()
    }

    /// How each rule was applied and how often it struck.
    pub fn report(&self) -> FaultReport {
        self.shared.report()
    }

    /// Rules that can be relied on to strike but did not, or that the backend cannot carry out:
    /// (rule number, origin, line, what was expected, what happened). Random rules are exempt
    /// from the first (they may draw nothing).
    pub fn shortfalls(&self) -> Vec<(usize, String, usize, String, String)> {
        let report = self.shared.report();
        let mut out = Vec::new();
        for (i, r) in report.rules.iter().enumerate() {
            let placed = &self.shared.config.rules[i];
            let random = matches!(placed.rule, FaultRule::Random { .. });
            match &self.shared.plan[i] {
                Applied::Impossible(why) => {
                    out.push((r.rule, r.origin.clone(), placed.line, r.what.clone(), format!("not possible: {why}")))
                }
                _ if r.struck == 0 && !random => out.push((
                    r.rule,
                    r.origin.clone(),
                    placed.line,
                    r.what.clone(),
                    "never struck: no call or write matched it".to_string(),
                )),
                _ => {}
            }
        }
        out
    }
}

impl<B: Backend> Backend for FaultInjector<B> {
    /// `faults(<inner>)`.
    fn name(&self) -> String {
        format!("faults({})", self.inner.name())
    }

    fn disc_master(&self) -> HrResult<Arc<dyn DiscMaster2>> {
        let inner = self.inner.disc_master()?;
        Ok(Arc::new(FaultMaster { inner, shared: Arc::clone(&self.shared) }))
    }

    fn create_recorder(&self) -> HrResult<Arc<dyn DiscRecorder2>> {
        let inner = self.inner.create_recorder()?;
        Ok(Arc::new(FaultRecorder { inner, shared: Arc::clone(&self.shared) }))
    }

    fn create_format(&self) -> HrResult<Arc<dyn DiscFormat2TrackAtOnce>> {
        let inner = self.inner.create_format()?;
        let shared = Arc::clone(&self.shared);
        Ok(Arc::new_cyclic(|me| FaultFormat { inner, shared, me: me.clone() }))
    }

    // Reading the disc back passes straight through: after a power cut it shows the disc as a
    // lab would find it once the drive is back.
    crate::middleware::pass_through_device_members!();
}
