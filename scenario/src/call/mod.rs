//! The IMAPI2 members a scenario can call, their argument and result types, and the one
//! dispatch that invokes them on the contract ([`invoke`]).
//!
//! Names are spelled as the Windows documentation spells them: methods by name
//! (`PrepareMedia`), properties as `get_X` / `put_X`, recorder members prefixed
//! `IDiscRecorder2::`, and the verification level prefixed `IBurnVerification::`.
//!
//! ```
//! use cdr_scenario::call::Call;
//! let c: Call = "get_FreeSectorsOnMedia".parse().unwrap();
//! assert_eq!(c, Call::GetFreeSectorsOnMedia);
//! assert_eq!(Call::RecorderEjectMedia.to_string(), "IDiscRecorder2::EjectMedia");
//! assert!("get_FreeSectors".parse::<Call>().unwrap_err().to_string().contains("get_FreeSectorsOnMedia"));
//! ```

pub(crate) mod answer;
pub(crate) mod invoke;
pub mod table;
mod value;

use std::fmt;
use std::str::FromStr;

pub use invoke::{invoke, Target};
pub use table::{Interface, Object, Reach};
pub use value::{format_hex, parse_hex, EnumKind, EnumValue, Value, ValueType};

/// Builds [`Call`] and its per-member facts from the rows of [`imapi2_members!`](crate::imapi2_members).
macro_rules! define_calls {
    ($(
        $variant:ident $( ( $($param:ident : $kind:ident),* ) )?
            => $name:literal, $interface:ident, $returns:ident, $reach:ident;
    )*) => {
        /// Every member a scenario (or the fuzzer) can call: the rows of the
        /// [member table](table).
        #[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
        pub enum Call {
            $(
                #[doc = concat!("`", $name, "`.")]
                $variant,
            )*
        }

        impl Call {
            /// Every call, in the order of the interfaces' documentation.
            pub const ALL: &'static [Call] = &[$(Call::$variant),*];

            /// The Windows spelling: `PrepareMedia`, `get_FreeSectorsOnMedia`,
            /// `IDiscRecorder2::EjectMedia`, `IBurnVerification::put_BurnVerificationLevel`.
            pub fn name(self) -> &'static str {
                match self {
                    $(Call::$variant => $name,)*
                }
            }

            /// The arguments written in a scenario's `args`, in order. `AddAudioTrack`'s stream
            /// is not one of them: it comes from the step's `track`.
            pub fn params(self) -> &'static [Param] {
                match self {
                    $(Call::$variant => params!([] $($($kind)*)?),)*
                }
            }

            /// The type of the value the call returns; `None` for members that return only an
            /// HRESULT.
            pub fn returns(self) -> Option<ValueType> {
                match self {
                    $(Call::$variant => returns!($returns),)*
                }
            }

            /// The interface that declares the member.
            pub fn interface(self) -> Interface {
                match self {
                    $(Call::$variant => Interface::$interface,)*
                }
            }

            /// What the member needs of the drive: object, device or media.
            pub fn reach(self) -> Reach {
                match self {
                    $(Call::$variant => Reach::$reach,)*
                }
            }
        }
    };
}

/// The `&[Param]` of a row's parameter kinds, leaving out the `Stream`.
macro_rules! params {
    ([$($done:expr),*]) => { &[$($done),*] };
    ([$($done:expr),*] Stream $($rest:ident)*) => { params!([$($done),*] $($rest)*) };
    ([$($done:expr),*] $kind:ident $($rest:ident)*) => { params!([$($done,)* param!($kind)] $($rest)*) };
}

/// The [`Param`] of one parameter kind of the table.
macro_rules! param {
    (Recorder) => {
        Param::Recorder { nullable: false }
    };
    (NullableRecorder) => {
        Param::Recorder { nullable: true }
    };
    (Bool) => {
        Param::Value(ValueType::Bool)
    };
    (Int) => {
        Param::Value(ValueType::Int)
    };
    (Str) => {
        Param::Value(ValueType::Str)
    };
    (OptStr) => {
        Param::Value(ValueType::OptStr)
    };
    (Level) => {
        Param::Value(LEVEL)
    };
}

/// The result type of one row of the table.
macro_rules! returns {
    (Nothing) => {
        None
    };
    (Bool) => {
        Some(ValueType::Bool)
    };
    (Int) => {
        Some(ValueType::Int)
    };
    (Str) => {
        Some(ValueType::Str)
    };
    (OptStr) => {
        Some(ValueType::OptStr)
    };
    (Bytes) => {
        Some(ValueType::Bytes)
    };
    (IntList) => {
        Some(ValueType::List(&ValueType::Int))
    };
    (StrList) => {
        Some(ValueType::List(&ValueType::Str))
    };
    (MediaType) => {
        Some(MEDIA_TYPE)
    };
    (MediaTypes) => {
        Some(ValueType::List(&MEDIA_TYPE))
    };
    (Level) => {
        Some(LEVEL)
    };
    (SpeedDescriptors) => {
        Some(ValueType::List(&ValueType::SpeedDescriptor))
    };
}

crate::imapi2_members!(define_calls);

/// The kind of one argument of a call, as written in a scenario's `args`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Param {
    /// A value of this type (strings here are never NULL unless the type is `OptStr`).
    Value(ValueType),
    /// An `IDiscRecorder2*`: omitted, the calling client's recorder; a string, the recorder of
    /// the client of that name; `[]` (NULL) only where the member accepts NULL (`put_Recorder`).
    Recorder {
        /// Whether NULL may be passed.
        nullable: bool,
    },
}

impl Param {
    /// What to write for this argument, for error messages.
    pub fn describe(self) -> String {
        match self {
            Param::Value(t) => t.describe(),
            Param::Recorder { nullable: true } => "a client's name (its recorder), or [] for NULL".into(),
            Param::Recorder { nullable: false } => "a client's name (its recorder)".into(),
        }
    }
}

const MEDIA_TYPE: ValueType = ValueType::Enum(EnumKind::MediaPhysicalType);
const LEVEL: ValueType = ValueType::Enum(EnumKind::BurnVerificationLevel);

impl Call {
    /// How many leading arguments may be omitted from the end: a recorder argument defaults to
    /// the calling client's recorder.
    pub fn optional_params(self) -> usize {
        self.params().iter().filter(|p| matches!(p, Param::Recorder { .. })).count()
    }

    /// True for `IDiscRecorder2::` members (called on the client's recorder object).
    pub fn is_recorder_member(self) -> bool {
        self.interface().object() == Object::Recorder
    }

    /// Checks and types the arguments written in a scenario. `None` (no `args` key) and
    /// `Some([])` differ only for `put_Recorder` (client's recorder vs NULL) and string
    /// properties (`put_ClientName` with `args = []` passes NULL).
    pub fn check_args(self, args: Option<&[Value]>) -> Result<Vec<Value>, String> {
        let params = self.params();
        let Some(args) = args else {
            return if params.len() == self.optional_params() {
                Ok(Vec::new())
            } else {
                Err(format!("{self} needs `args`: [{}]", self.signature()))
            };
        };
        if args.is_empty() && params.len() == 1 {
            // `args = []` is NULL for a string or a recorder that may be NULL.
            match params[0] {
                Param::Value(ValueType::OptStr) | Param::Recorder { nullable: true } => return Ok(vec![Value::Null]),
                Param::Recorder { nullable: false } => {
                    return Err(format!(
                        "{self} cannot take NULL: omit `args` to use the client's recorder, or name a client"
                    ))
                }
                _ => {}
            }
        }
        let min = params.len() - self.optional_params();
        if args.len() < min || args.len() > params.len() {
            return Err(if params.is_empty() {
                format!("{self} takes no arguments, found {}", args.len())
            } else {
                format!("{self} takes [{}], found {} argument(s)", self.signature(), args.len())
            });
        }
        args.iter()
            .zip(params)
            .enumerate()
            .map(|(i, (arg, param))| {
                let typed = match param {
                    Param::Value(t) => t.coerce(arg),
                    Param::Recorder { nullable } => match arg {
                        Value::Str(s) => Ok(Value::Str(s.clone())),
                        Value::List(l) if l.is_empty() && *nullable => Ok(Value::Null),
                        other => Err(format!("expected {}, found {}", param.describe(), other.kind_name())),
                    },
                };
                typed.map_err(|e| format!("argument {} of {self}: {e}", i + 1))
            })
            .collect()
    }

    /// The argument list for messages, e.g. `integer, boolean`.
    pub fn signature(self) -> String {
        self.params().iter().map(|p| p.describe()).collect::<Vec<_>>().join(", ")
    }
}

impl fmt::Display for Call {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A string that names no member; says which name was probably meant.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown call `{name}`{}", suggestion_text(.suggestion))]
pub struct UnknownCall {
    /// What was written.
    pub name: String,
    /// The closest known name, if one is close.
    pub suggestion: Option<&'static str>,
}

/// `s`, or its first 100 characters and how much was left out: error messages quote what was
/// written, and a hostile file may hold megabytes.
fn clip(s: &str) -> String {
    const KEEP: usize = 100;
    match s.char_indices().nth(KEEP) {
        None => s.to_string(),
        Some((cut, _)) => format!("{}... ({} more bytes)", &s[..cut], s.len() - cut),
    }
}

fn suggestion_text(s: &Option<&'static str>) -> String {
    match s {
        Some(s) => format!(": did you mean `{s}`?"),
        None => ": expected an IMAPI2 member such as PrepareMedia, get_FreeSectorsOnMedia, \
                  IDiscRecorder2::EjectMedia (see docs/scenarios.md for the list)"
            .into(),
    }
}

impl FromStr for Call {
    type Err = UnknownCall;

    /// Accepts the Windows spelling; also the recorder properties without `get_`
    /// (`IDiscRecorder2::VendorId`, as spec section 8 lists them) and an optional
    /// `IDiscFormat2TrackAtOnce::` / `IDiscFormat2::` prefix on format members.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let t = t.strip_prefix("IDiscFormat2TrackAtOnce::").or_else(|| t.strip_prefix("IDiscFormat2::")).unwrap_or(t);
        if let Some(c) = Call::ALL.iter().find(|c| c.name() == t) {
            return Ok(*c);
        }
        if let Some(member) = t.strip_prefix("IDiscRecorder2::") {
            let with_get = format!("IDiscRecorder2::get_{member}");
            if let Some(c) = Call::ALL.iter().find(|c| c.name() == with_get) {
                return Ok(*c);
            }
        }
        // No member name is longer than this: a longer string is no misspelling (and comparing
        // a hostile 10 MB string with every name would take minutes).
        const LONGEST_NAME: usize = 64;
        let suggestion = Call::ALL
            .iter()
            .filter(|_| t.len() <= LONGEST_NAME)
            .map(|c| (strsim::jaro_winkler(&t.to_lowercase(), &c.name().to_lowercase()), c.name()))
            .filter(|(score, _)| *score > 0.8)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, name)| name);
        Err(UnknownCall { name: clip(s), suggestion })
    }
}

impl serde::Serialize for Call {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> serde::Deserialize<'de> for Call {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_round_trips_and_is_unique() {
        for c in Call::ALL {
            assert_eq!(c.name().parse::<Call>().unwrap(), *c);
            assert_eq!(Call::ALL.iter().filter(|o| o.name() == c.name()).count(), 1);
        }
        assert_eq!(Call::ALL.len(), 53);
    }

    #[test]
    fn the_interface_agrees_with_the_windows_spelling() {
        for &c in Call::ALL {
            let prefix = match c.interface() {
                Interface::DiscRecorder2 => "IDiscRecorder2::",
                Interface::BurnVerification => "IBurnVerification::",
                Interface::DiscFormat2 | Interface::DiscFormat2TrackAtOnce => "",
            };
            assert!(c.name().starts_with(prefix), "{c}");
            assert_eq!(c.name().contains("::"), !prefix.is_empty(), "{c}");
            assert_eq!(c.is_recorder_member(), prefix == "IDiscRecorder2::", "{c}");
        }
        assert_eq!(Call::AddAudioTrack.params(), &[], "the stream is the step's track, not an argument");
    }

    #[test]
    fn aliases() {
        assert_eq!("IDiscRecorder2::VendorId".parse::<Call>().unwrap(), Call::RecorderGetVendorId);
        assert_eq!("IDiscFormat2TrackAtOnce::PrepareMedia".parse::<Call>().unwrap(), Call::PrepareMedia);
    }

    #[test]
    fn unknown_calls_get_a_suggestion() {
        let e = "PrepareMedium".parse::<Call>().unwrap_err();
        assert_eq!(e.suggestion, Some("PrepareMedia"));
        let e = "Frobnicate".parse::<Call>().unwrap_err();
        assert!(e.to_string().contains("expected an IMAPI2 member"), "{e}");
    }

    #[test]
    fn args_are_checked_against_the_signature() {
        assert!(Call::PrepareMedia.check_args(None).unwrap().is_empty());
        assert!(Call::PrepareMedia.check_args(Some(&[Value::Int(1)])).unwrap_err().contains("takes no arguments"));
        let speed = Call::SetWriteSpeed.check_args(Some(&[Value::Int(-1), Value::Bool(false)])).unwrap();
        assert_eq!(speed, vec![Value::Int(-1), Value::Bool(false)]);
        let e = Call::SetWriteSpeed.check_args(Some(&[Value::Str("fast".into()), Value::Bool(false)])).unwrap_err();
        assert_eq!(e, "argument 1 of SetWriteSpeed: expected an integer, found a string");
        assert!(Call::SetWriteSpeed.check_args(None).unwrap_err().contains("needs `args`"));
        assert!(matches!(Call::PutClientName.check_args(Some(&[])).unwrap()[..], [Value::Null]));
        assert_eq!(
            Call::PutClientName.check_args(Some(&[Value::Str(String::new())])).unwrap(),
            [Value::Str("".into())]
        );
        assert!(Call::PutRecorder.check_args(None).unwrap().is_empty());
        assert!(matches!(Call::PutRecorder.check_args(Some(&[])).unwrap()[..], [Value::Null]));
        assert!(Call::IsRecorderSupported.check_args(Some(&[])).is_err());
        let level =
            Call::PutBurnVerificationLevel.check_args(Some(&[Value::Str("IMAPI_BURN_VERIFICATION_QUICK".into())]));
        assert_eq!(level.unwrap(), [Value::Int(1)]);
    }

    #[test]
    fn every_getter_returns_a_value_and_every_setter_none() {
        for c in Call::ALL {
            let name = c.name().rsplit("::").next().unwrap();
            if name.starts_with("get_") || name.starts_with("Is") {
                assert!(c.returns().is_some(), "{c}");
            }
            if name.starts_with("put_") {
                assert!(c.returns().is_none(), "{c}");
            }
        }
    }
}
