//! What a member's result is in a transcript: its HRESULT and, for members that answer one,
//! its value. The dispatch ([`super::invoke`]) and the recording middleware
//! ([`crate::recording`]) both write results through [`Answer`], so a call made from a
//! scenario and the same call made by an application read the same.

use cdr_sim::{BurnVerificationLevel, Hresult, PhysicalMediaType, SupportAnswer, WriteSpeedDescriptor};

use super::value::{EnumValue, Value};

/// A member's successful result as a transcript writes it.
pub(crate) trait Answer {
    /// The call's HRESULT (S_OK unless the result carries a success code of its own) and
    /// the value, for members that answer one.
    fn answer(&self) -> (Hresult, Option<Value>);
}

/// The result of a call with no value and no answer of its own: S_OK.
impl Answer for () {
    fn answer(&self) -> (Hresult, Option<Value>) {
        (Hresult::S_OK, None)
    }
}

/// A success code returned as the result (SetWriteSpeed's `S_IMAPI_SPEEDADJUSTED`) is the
/// call's HRESULT.
impl Answer for Hresult {
    fn answer(&self) -> (Hresult, Option<Value>) {
        (*self, None)
    }
}

/// A support check's flag with its success code (S_FALSE after an internal failure).
impl Answer for SupportAnswer {
    fn answer(&self) -> (Hresult, Option<Value>) {
        (self.code, Some(Value::Bool(self.supported)))
    }
}

/// Results that are a value answered with S_OK.
macro_rules! valued {
    ($($t:ty => |$v:ident| $value:expr;)*) => {$(
        impl Answer for $t {
            fn answer(&self) -> (Hresult, Option<Value>) {
                let $v = self;
                (Hresult::S_OK, Some($value))
            }
        }
    )*};
}

valued! {
    bool => |b| Value::Bool(*b);
    i32 => |n| Value::Int((*n).into());
    String => |s| Value::Str(s.clone());
    Option<String> => |s| s.clone().map_or(Value::Null, Value::Str);
    Vec<String> => |v| Value::List(v.iter().cloned().map(Value::Str).collect());
    Vec<i32> => |v| Value::List(v.iter().map(|n| Value::Int((*n).into())).collect());
    Vec<u8> => |v| Value::Bytes(v.clone());
    PhysicalMediaType => |m| Value::Enum(EnumValue::media_type(*m));
    Vec<PhysicalMediaType> => |v| Value::List(v.iter().map(|m| Value::Enum(EnumValue::media_type(*m))).collect());
    Vec<WriteSpeedDescriptor> => |v| Value::List(v.iter().map(descriptor).collect());
    BurnVerificationLevel => |l| Value::Enum(EnumValue::verification_level(*l));
}

fn descriptor(d: &WriteSpeedDescriptor) -> Value {
    Value::Table(
        [
            ("MediaType".to_string(), Value::Enum(EnumValue::media_type(d.media_type))),
            ("RotationTypeIsPureCAV".to_string(), Value::Bool(d.rotation_type_is_pure_cav)),
            ("WriteSpeed".to_string(), Value::Int(d.write_speed.into())),
        ]
        .into_iter()
        .collect(),
    )
}
