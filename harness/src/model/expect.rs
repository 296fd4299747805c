//! What the model predicts for a call, and what a backend answered.

use cdr_sim::{BurnVerificationLevel, Hresult, PhysicalMediaType, WriteSpeedDescriptor};

/// A member's value as a backend returned it (or as the model predicts it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// A member with no value (methods, puts) or a failed call.
    None,
    /// A VARIANT_BOOL.
    Bool(bool),
    /// A LONG.
    I32(i32),
    /// A BSTR.
    Str(String),
    /// A BSTR that may be NULL.
    OptStr(Option<String>),
    /// Bytes (ExpectedTableOfContents).
    Bytes(Vec<u8>),
    /// A SAFEARRAY of LONG.
    I32s(Vec<i32>),
    /// A SAFEARRAY of BSTR.
    Strs(Vec<String>),
    /// An `IMAPI_MEDIA_PHYSICAL_TYPE`.
    MediaType(PhysicalMediaType),
    /// A list of media types.
    MediaTypes(Vec<PhysicalMediaType>),
    /// An `IMAPI_BURN_VERIFICATION_LEVEL`.
    Level(BurnVerificationLevel),
    /// get_Recorder: the ActiveDiscRecorder of the recorder returned, or NULL.
    Recorder(Option<String>),
    /// SupportedWriteSpeedDescriptors.
    Descriptors(Vec<WriteSpeedDescriptor>),
}

/// The HRESULTs the model allows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HrSet {
    /// Exactly this code.
    One(Hresult),
    /// Either code (the spec names two, or leaves the order of two checks open).
    Either(Hresult, Hresult),
    /// Any failure: the spec says the call fails, not with which code.
    Failure,
    /// Any success code.
    Success,
    /// The spec says nothing: any answer.
    Any,
}

impl HrSet {
    /// True when `hr` is allowed.
    pub fn allows(self, hr: Hresult) -> bool {
        match self {
            HrSet::One(a) => hr == a,
            HrSet::Either(a, b) => hr == a || hr == b,
            HrSet::Failure => hr.is_failure(),
            HrSet::Success => hr.is_success(),
            HrSet::Any => true,
        }
    }

    /// The answer assumed when nothing was observed (generation, documentation).
    pub fn nominal(self) -> Hresult {
        match self {
            HrSet::One(a) | HrSet::Either(a, _) => a,
            HrSet::Failure => Hresult::E_FAIL,
            HrSet::Success | HrSet::Any => Hresult::S_OK,
        }
    }

    /// The allowed codes when the set is finite (for a scenario's `expect`).
    pub fn codes(self) -> Option<Vec<Hresult>> {
        match self {
            HrSet::One(a) => Some(vec![a]),
            HrSet::Either(a, b) => Some(vec![a, b]),
            _ => None,
        }
    }
}

/// How the model checks a successful call's value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Check {
    /// Nothing to check (no value, or the spec says nothing about it).
    Nothing,
    /// Exactly this value.
    Exact(Value),
    /// A string equal to this one once trailing spaces are trimmed (INQUIRY fields may be
    /// padded).
    Trimmed(String),
    /// A list of speeds (sectors/s) equal to this one in any order.
    SpeedSet(Vec<i32>),
    /// Speed descriptors for this media type and these speeds, in any order, CLV.
    DescriptorSet(PhysicalMediaType, Vec<i32>),
    /// Feature pages that list CD track-at-once (0x002D) exactly when the drive has it.
    TaoFeature(bool),
}

impl Check {
    /// True when `v` passes.
    pub fn allows(&self, v: &Value) -> bool {
        match (self, v) {
            (Check::Nothing, _) => true,
            (Check::Exact(want), got) => want == got,
            (Check::Trimmed(want), Value::Str(got)) => got.trim_end() == want.trim_end(),
            (Check::SpeedSet(want), Value::I32s(got)) => same_set(want, got),
            (Check::DescriptorSet(media, want), Value::Descriptors(got)) => {
                got.len() == want.len()
                    && got.iter().all(|d| d.media_type == *media && !d.rotation_type_is_pure_cav)
                    && same_set(want, &got.iter().map(|d| d.write_speed).collect::<Vec<_>>())
            }
            (Check::TaoFeature(tao), Value::I32s(pages)) => pages.contains(&0x002D) == *tao,
            _ => false,
        }
    }

    /// The exact value, when the model predicts one.
    pub fn exact(&self) -> Option<&Value> {
        match self {
            Check::Exact(v) => Some(v),
            _ => None,
        }
    }
}

fn same_set(a: &[i32], b: &[i32]) -> bool {
    let (mut a, mut b) = (a.to_vec(), b.to_vec());
    a.sort_unstable();
    b.sort_unstable();
    a == b
}

/// The model's prediction for one call: the HRESULT and, on success, the value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expect {
    /// Allowed HRESULTs.
    pub hr: HrSet,
    /// The value check, applied when the call succeeded.
    pub value: Check,
}

impl Expect {
    /// Exactly this failure (or success with no value).
    pub fn hr(hr: Hresult) -> Expect {
        Expect { hr: HrSet::One(hr), value: Check::Nothing }
    }

    /// S_OK with no value.
    pub fn ok() -> Expect {
        Expect::hr(Hresult::S_OK)
    }

    /// S_OK with exactly this value.
    pub fn value(v: Value) -> Expect {
        Expect { hr: HrSet::One(Hresult::S_OK), value: Check::Exact(v) }
    }

    /// S_OK with a loose value check.
    pub fn check(c: Check) -> Expect {
        Expect { hr: HrSet::One(Hresult::S_OK), value: c }
    }

    /// Any answer: the spec is silent.
    pub fn any() -> Expect {
        Expect { hr: HrSet::Any, value: Check::Nothing }
    }

    /// Some failure, code unspecified.
    pub fn failure() -> Expect {
        Expect { hr: HrSet::Failure, value: Check::Nothing }
    }

    /// True when (`hr`, `v`) is what the model allows.
    pub fn allows(&self, hr: Hresult, v: &Value) -> bool {
        self.hr.allows(hr) && (hr.is_failure() || self.value.allows(v))
    }
}
