//! What the fault injector tells a transcript: each fault as it struck, and how each rule was
//! applied.

/// One fault that struck.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FaultEvent {
    /// The rule that caused it (1-based, in the order of `faults.rules`); absent for a device
    /// fault armed on the simulator directly rather than by a rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<usize>,
    /// The fault: `fail_call`, `not_ready`, `underrun`, `media_removed` or `power_loss`.
    pub fault: String,
    /// The call it struck, with the count of that member's calls: `PrepareMedia #2`.
    pub call: String,
    /// What happened, in a sentence.
    pub effect: String,
    /// Set when what a real drive would answer or leave is not known: the reason. A scenario
    /// then lists every plausible HRESULT in `expect` and every plausible disc in
    /// `[[expect_disc.any_of]]`, and the read-back decides.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome_unknown: Option<String>,
}

/// How the rules of a run were applied, for the transcript.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FaultReport {
    /// Seed of random faults, when any were asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// Every rule, in order.
    pub rules: Vec<RuleReport>,
}

/// One rule as applied.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RuleReport {
    /// 1-based number.
    pub rule: usize,
    /// Where it was written (`file:line`).
    pub origin: String,
    /// The rule in words.
    pub what: String,
    /// How the backend can carry it out: `middleware`, `device`, `emulated: ...` or
    /// `not possible: ...`.
    pub applied: String,
    /// How many times it struck.
    pub struck: u32,
}

/// How a rule is carried out on the backend of a run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Applied {
    /// By the middleware alone (call failures, a drive not ready, random call faults).
    Middleware,
    /// Armed on the simulated device.
    Device,
    /// Imitated as closely as the backend allows; the reason says how.
    Emulated(String),
    /// The backend cannot do it; the reason says why and what to do instead.
    Impossible(String),
}

impl Applied {
    /// The form shown in transcripts.
    pub fn describe(&self) -> String {
        match self {
            Applied::Middleware => "middleware".into(),
            Applied::Device => "device".into(),
            Applied::Emulated(how) => format!("emulated: {how}"),
            Applied::Impossible(why) => format!("not possible: {why}"),
        }
    }
}
