//! What the model predicts for a call, and what a backend answered.

use cdr_sim::{Hresult, PhysicalMediaType};

use cdr_scenario::call::EnumValue;
pub use cdr_scenario::call::Value;

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
#[derive(Clone, Debug, PartialEq)]
pub enum Check {
    /// Nothing to check (no value, or the spec says nothing about it).
    Nothing,
    /// Exactly this value.
    Exact(Value),
    /// A string equal to this one once trailing spaces are trimmed (INQUIRY fields may be
    /// padded).
    Trimmed(String),
    /// A list of speeds (sectors/s) equal to this one in any order.
    SpeedSet(Vec<i64>),
    /// Speed descriptors for this media type and these speeds, in any order, CLV.
    DescriptorSet(PhysicalMediaType, Vec<i64>),
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
            (Check::SpeedSet(want), Value::List(got)) => ints(got).is_some_and(|got| same_set(want, &got)),
            (Check::DescriptorSet(media, want), Value::List(got)) => {
                let media = Value::Enum(EnumValue::media_type(*media));
                let speeds: Option<Vec<i64>> = got
                    .iter()
                    .map(|d| match d {
                        Value::Table(t)
                            if t.get("MediaType") == Some(&media)
                                && t.get("RotationTypeIsPureCAV") == Some(&Value::Bool(false)) =>
                        {
                            match t.get("WriteSpeed") {
                                Some(Value::Int(n)) => Some(*n),
                                _ => None,
                            }
                        }
                        _ => None,
                    })
                    .collect();
                speeds.is_some_and(|s| same_set(want, &s))
            }
            (Check::TaoFeature(tao), Value::List(pages)) => ints(pages).is_some_and(|p| p.contains(&0x002D) == *tao),
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

fn ints(list: &[Value]) -> Option<Vec<i64>> {
    list.iter().map(|v| if let Value::Int(n) = v { Some(*n) } else { None }).collect()
}

fn same_set(a: &[i64], b: &[i64]) -> bool {
    let (mut a, mut b) = (a.to_vec(), b.to_vec());
    a.sort_unstable();
    b.sort_unstable();
    a == b
}

/// The model's prediction for one call: the HRESULT and, on success, the value.
#[derive(Clone, Debug, PartialEq)]
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

    /// True when (`hr`, `v`) is what the model allows (`v` is `None` for members without a
    /// value and for failed calls).
    pub fn allows(&self, hr: Hresult, v: Option<&Value>) -> bool {
        self.hr.allows(hr)
            && (hr.is_failure()
                || match (&self.value, v) {
                    (Check::Nothing, _) => true,
                    (c, Some(v)) => c.allows(v),
                    (_, None) => false,
                })
    }
}
