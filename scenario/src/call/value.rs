//! Values of call arguments and results: what a scenario writes after `args =` and `value =`,
//! and what a transcript records.
//!
//! A value read from TOML is untyped ([`Value::from`] TOML's own types); [`ValueType::coerce`]
//! gives it the type a call takes or returns, so `value = 2` and
//! `value = "IMAPI_MEDIA_TYPE_CDR"` both become the enum for a CD-R, and `"00 0A 01 01"` becomes
//! bytes where a call returns bytes. Equality is lenient across spellings (an enum equals its
//! number and its symbol; bytes equal their hex string), so comparing an untyped expectation
//! with a typed result works as a reader expects.

use std::collections::BTreeMap;
use std::fmt;

use cdr_sim::{BurnVerificationLevel, PhysicalMediaType};

/// A value passed to or returned by an IMAPI2 member.
#[derive(Clone, Debug)]
pub enum Value {
    /// An absent (NULL) string or object. Written `[]` in scenarios and transcripts, as
    /// `args = []` passes NULL.
    Null,
    /// `VARIANT_BOOL`.
    Bool(bool),
    /// `LONG` and other integers.
    Int(i64),
    /// `BSTR`.
    Str(String),
    /// An IMAPI enumeration member, shown as its symbol.
    Enum(EnumValue),
    /// A `SAFEARRAY` of values.
    List(Vec<Value>),
    /// A byte array, shown as hex (`"00 0A 01 01"`).
    Bytes(Vec<u8>),
    /// An object with named properties (`IWriteSpeedDescriptor`), keys in Windows spelling.
    Table(BTreeMap<String, Value>),
}

/// The IMAPI enumerations a call can take or return.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum EnumKind {
    /// `IMAPI_MEDIA_PHYSICAL_TYPE`.
    MediaPhysicalType,
    /// `IMAPI_BURN_VERIFICATION_LEVEL`.
    BurnVerificationLevel,
}

/// One member of an IMAPI enumeration, by number (a number the table does not know is kept).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct EnumValue {
    /// Which enumeration.
    pub kind: EnumKind,
    /// The member's number.
    pub number: i32,
}

impl EnumKind {
    /// The enumeration's IMAPI name.
    pub fn name(self) -> &'static str {
        match self {
            EnumKind::MediaPhysicalType => "IMAPI_MEDIA_PHYSICAL_TYPE",
            EnumKind::BurnVerificationLevel => "IMAPI_BURN_VERIFICATION_LEVEL",
        }
    }

    /// The symbol of member `number`, if it is one.
    pub fn symbol(self, number: i32) -> Option<&'static str> {
        match self {
            EnumKind::MediaPhysicalType => PhysicalMediaType::from_value(number).map(PhysicalMediaType::symbol),
            EnumKind::BurnVerificationLevel => {
                BurnVerificationLevel::from_value(number).map(BurnVerificationLevel::symbol)
            }
        }
    }

    /// The number of a member written as its symbol (or, for media types, its everyday name
    /// such as `CD-R`; for levels, the short name such as `QUICK`).
    pub fn parse(self, s: &str) -> Option<i32> {
        match self {
            EnumKind::MediaPhysicalType => s.parse::<PhysicalMediaType>().ok().map(PhysicalMediaType::value),
            EnumKind::BurnVerificationLevel => (0..=2).find(|&n| {
                let sym = self.symbol(n).unwrap_or_default();
                sym == s || sym.strip_prefix("IMAPI_BURN_VERIFICATION_") == Some(s)
            }),
        }
    }

    /// A member by number, if the enumeration has it.
    pub fn member(self, number: i32) -> Option<EnumValue> {
        self.symbol(number).map(|_| EnumValue { kind: self, number })
    }
}

impl EnumValue {
    /// A media type as an enum value.
    pub fn media_type(m: PhysicalMediaType) -> EnumValue {
        EnumValue { kind: EnumKind::MediaPhysicalType, number: m.value() }
    }

    /// A verification level as an enum value.
    pub fn verification_level(l: BurnVerificationLevel) -> EnumValue {
        EnumValue { kind: EnumKind::BurnVerificationLevel, number: l as i32 }
    }

    /// The member's symbol, if known.
    pub fn symbol(self) -> Option<&'static str> {
        self.kind.symbol(self.number)
    }
}

/// The type of an argument or a result; [`ValueType::coerce`] converts an untyped value to it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ValueType {
    /// `true` / `false`.
    Bool,
    /// A 32-bit integer.
    Int,
    /// A string (never NULL).
    Str,
    /// A string or NULL (`[]`).
    OptStr,
    /// A byte array: a hex string such as `"00 12 01 02"` (spaces optional) or a list of bytes.
    Bytes,
    /// An enumeration member: its number or its symbol.
    Enum(EnumKind),
    /// A list of values of one type.
    List(&'static ValueType),
    /// An `IWriteSpeedDescriptor`: `{ MediaType, RotationTypeIsPureCAV, WriteSpeed }`.
    SpeedDescriptor,
}

impl ValueType {
    /// What a reader should write for this type, for error messages.
    pub fn describe(self) -> String {
        match self {
            ValueType::Bool => "a boolean (true or false)".into(),
            ValueType::Int => "an integer".into(),
            ValueType::Str => "a string".into(),
            ValueType::OptStr => "a string, or [] for NULL".into(),
            ValueType::Bytes => "bytes as a hex string such as \"00 12 01 02\"".into(),
            ValueType::Enum(k) => format!("an {} member, as its number or its symbol", k.name()),
            ValueType::List(t) => format!("a list, each item {}", t.describe()),
            ValueType::SpeedDescriptor => {
                "a table { MediaType = ..., RotationTypeIsPureCAV = ..., WriteSpeed = ... }".into()
            }
        }
    }

    /// Gives `v` this type, or says what was expected and what was found.
    pub fn coerce(self, v: &Value) -> Result<Value, String> {
        let wrong = || format!("expected {}, found {}", self.describe(), v.kind_name());
        match (self, v) {
            (ValueType::Bool, Value::Bool(b)) => Ok(Value::Bool(*b)),
            (ValueType::Int, Value::Int(n)) => match i32::try_from(*n) {
                Ok(_) => Ok(Value::Int(*n)),
                Err(_) => Err(format!("{n} does not fit a 32-bit LONG")),
            },
            (ValueType::Int, Value::Enum(e)) => Ok(Value::Int(e.number.into())),
            (ValueType::Str | ValueType::OptStr, Value::Str(s)) => Ok(Value::Str(s.clone())),
            (ValueType::OptStr, Value::Null) => Ok(Value::Null),
            (ValueType::OptStr, Value::List(l)) if l.is_empty() => Ok(Value::Null),
            (ValueType::Bytes, Value::Bytes(b)) => Ok(Value::Bytes(b.clone())),
            (ValueType::Bytes, Value::Str(s)) => parse_hex(s).map(Value::Bytes),
            (ValueType::Bytes, Value::List(l)) => l
                .iter()
                .map(|i| match i {
                    Value::Int(n) => u8::try_from(*n).map_err(|_| format!("{n} is not a byte (0..=255)")),
                    other => Err(format!("expected a byte, found {}", other.kind_name())),
                })
                .collect::<Result<Vec<u8>, String>>()
                .map(Value::Bytes),
            (ValueType::Enum(k), Value::Enum(e)) if e.kind == k => Ok(Value::Enum(*e)),
            (ValueType::Enum(k), Value::Int(n)) => i32::try_from(*n)
                .ok()
                .and_then(|n| k.member(n))
                .map(Value::Enum)
                .ok_or_else(|| format!("{n} is not a member of {}", k.name())),
            (ValueType::Enum(k), Value::Str(s)) => k
                .parse(s)
                .and_then(|n| k.member(n))
                .map(Value::Enum)
                .ok_or_else(|| format!("`{s}` is not a member of {}", k.name())),
            (ValueType::List(t), Value::List(items)) => items
                .iter()
                .enumerate()
                .map(|(i, item)| t.coerce(item).map_err(|e| format!("item {i}: {e}")))
                .collect::<Result<Vec<_>, _>>()
                .map(Value::List),
            (ValueType::SpeedDescriptor, Value::Table(t)) => {
                let fields: [(&str, ValueType); 3] = [
                    ("MediaType", ValueType::Enum(EnumKind::MediaPhysicalType)),
                    ("RotationTypeIsPureCAV", ValueType::Bool),
                    ("WriteSpeed", ValueType::Int),
                ];
                if let Some(k) = t.keys().find(|k| !fields.iter().any(|(f, _)| f == k)) {
                    return Err(format!("unknown key `{k}` in a write speed descriptor: {}", self.describe()));
                }
                let mut out = BTreeMap::new();
                for (name, ty) in fields {
                    let item = t.get(name).ok_or_else(|| format!("missing `{name}`: {}", self.describe()))?;
                    out.insert(name.to_string(), ty.coerce(item).map_err(|e| format!("{name}: {e}"))?);
                }
                Ok(Value::Table(out))
            }
            _ => Err(wrong()),
        }
    }
}

/// Parses `"00 0A 01 01"` (spaces optional, either case) into bytes.
pub fn parse_hex(s: &str) -> Result<Vec<u8>, String> {
    let digits: Vec<u8> = s.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    if digits.len() % 2 != 0 {
        return Err(format!("`{s}` is not hex bytes: an odd number of hex digits"));
    }
    digits
        .chunks(2)
        .map(|pair| {
            std::str::from_utf8(pair)
                .ok()
                .and_then(|p| u8::from_str_radix(p, 16).ok())
                .ok_or_else(|| format!("`{s}` is not hex bytes such as \"00 12 01 02\""))
        })
        .collect()
}

/// Formats bytes as upper-case hex pairs separated by spaces: `00 0A 01 01`.
pub fn format_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect::<Vec<_>>().join(" ")
}

impl Value {
    /// A short name of the value's shape, for error messages.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Value::Null => "NULL",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::Str(_) => "a string",
            Value::Enum(_) => "an enum member",
            Value::List(_) => "a list",
            Value::Bytes(_) => "bytes",
            Value::Table(_) => "a table",
        }
    }
}

/// Lenient equality: an enum equals its number and its symbol, bytes equal their hex string,
/// NULL equals `[]`. Symmetric; not transitive across spellings, hence no `Eq`.
impl PartialEq for Value {
    fn eq(&self, other: &Value) -> bool {
        loose_eq(self, other) || loose_eq(other, self)
    }
}

fn loose_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Null, Value::Null) => true,
        (Value::Null, Value::List(l)) => l.is_empty(),
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Int(x), Value::Int(y)) => x == y,
        (Value::Str(x), Value::Str(y)) => x == y,
        (Value::Enum(x), Value::Enum(y)) => x == y,
        (Value::Enum(e), Value::Int(n)) => i64::from(e.number) == *n,
        (Value::Enum(e), Value::Str(s)) => e.kind.parse(s) == Some(e.number),
        (Value::Bytes(x), Value::Bytes(y)) => x == y,
        (Value::Bytes(x), Value::Str(s)) => parse_hex(s).is_ok_and(|y| *x == y),
        (Value::Bytes(x), Value::List(l)) => {
            x.len() == l.len() && x.iter().zip(l).all(|(b, v)| matches!(v, Value::Int(n) if *n == i64::from(*b)))
        }
        (Value::List(x), Value::List(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| p == q),
        (Value::Table(x), Value::Table(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| v == w))
        }
        _ => false,
    }
}

impl fmt::Display for Value {
    /// The TOML spelling: `359845`, `true`, `"Imapi2Sample"`, `"IMAPI_MEDIA_TYPE_CDR"`,
    /// `[1, 2]`, `"00 0A 01 01"`, `{ WriteSpeed = 3600, ... }`, and `[]` for NULL.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("[]"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Int(n) => write!(f, "{n}"),
            Value::Str(s) => write!(f, "{s:?}"),
            Value::Enum(e) => match e.symbol() {
                Some(sym) => write!(f, "\"{sym}\""),
                None => write!(f, "{}", e.number),
            },
            Value::List(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
            Value::Bytes(b) => write!(f, "\"{}\"", format_hex(b)),
            Value::Table(t) => {
                f.write_str("{ ")?;
                for (i, (k, v)) in t.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{k} = {v}")?;
                }
                f.write_str(" }")
            }
        }
    }
}

impl serde::Serialize for Value {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        match self {
            Value::Null => s.serialize_seq(Some(0))?.end(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Int(n) => s.serialize_i64(*n),
            Value::Str(v) => s.serialize_str(v),
            Value::Enum(e) => match e.symbol() {
                Some(sym) => s.serialize_str(sym),
                None => s.serialize_i32(e.number),
            },
            Value::List(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Value::Bytes(b) => s.serialize_str(&format_hex(b)),
            Value::Table(t) => {
                let mut map = s.serialize_map(Some(t.len()))?;
                for (k, v) in t {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

impl<'de> serde::Deserialize<'de> for Value {
    /// Untyped: integers, booleans, strings, arrays and tables as written. Floats and dates are
    /// rejected (no IMAPI2 member takes or returns one).
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> serde::de::Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an integer, a boolean, a string, a list or a table")
    }
    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v))
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Value, E> {
        i64::try_from(v).map(Value::Int).map_err(|_| E::custom(format!("{v} is too large")))
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Value, E> {
        Err(E::custom(format!("{v} is a float: IMAPI2 values are integers, booleans, strings, lists or bytes")))
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Str(v.to_string()))
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E: serde::de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::List(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = BTreeMap::new();
        while let Some((k, v)) = map.next_entry::<String, Value>()? {
            out.insert(k, v);
        }
        Ok(Value::Table(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enums_equal_their_number_and_symbol() {
        let cdr = Value::Enum(EnumValue::media_type(PhysicalMediaType::CdR));
        assert_eq!(cdr, Value::Int(2));
        assert_eq!(Value::Str("IMAPI_MEDIA_TYPE_CDR".into()), cdr);
        assert_ne!(cdr, Value::Int(3));
        assert_ne!(cdr, Value::Str("IMAPI_MEDIA_TYPE_CDRW".into()));
        let quick = Value::Enum(EnumValue::verification_level(BurnVerificationLevel::Quick));
        assert_eq!(quick, Value::Str("IMAPI_BURN_VERIFICATION_QUICK".into()));
        assert_eq!(quick, Value::Int(1));
    }

    #[test]
    fn bytes_equal_their_hex() {
        let b = Value::Bytes(vec![0x00, 0x0A, 0x01, 0xFF]);
        assert_eq!(b, Value::Str("00 0a 01 ff".into()));
        assert_eq!(b, Value::Str("000A01FF".into()));
        assert_ne!(b, Value::Str("00 0A 01".into()));
        assert_eq!(b.to_string(), "\"00 0A 01 FF\"");
    }

    #[test]
    fn coercion_types_untyped_values_and_names_the_mismatch() {
        let t = ValueType::Enum(EnumKind::MediaPhysicalType);
        assert_eq!(t.coerce(&Value::Str("IMAPI_MEDIA_TYPE_CDRW".into())).unwrap(), Value::Int(3));
        assert!(t.coerce(&Value::Int(99)).unwrap_err().contains("not a member"));
        let e = ValueType::Int.coerce(&Value::Str("x".into())).unwrap_err();
        assert_eq!(e, "expected an integer, found a string");
        assert!(matches!(ValueType::OptStr.coerce(&Value::List(vec![])).unwrap(), Value::Null));
        assert!(ValueType::Bytes.coerce(&Value::Str("0".into())).is_err());
        let l = ValueType::List(&ValueType::Int);
        assert!(l.coerce(&Value::List(vec![Value::Int(1), Value::Bool(true)])).unwrap_err().starts_with("item 1"));
        let d: Value =
            toml::from_str::<toml::Table>("v = { MediaType = 2, RotationTypeIsPureCAV = false, WriteSpeed = 300 }")
                .unwrap()["v"]
                .clone()
                .try_into()
                .unwrap();
        assert!(ValueType::SpeedDescriptor.coerce(&d).is_ok());
    }

    #[test]
    fn serialises_in_scenario_spelling() {
        #[derive(serde::Serialize)]
        struct W {
            v: Vec<Value>,
        }
        let w = W {
            v: vec![
                Value::Enum(EnumValue::media_type(PhysicalMediaType::CdR)),
                Value::Bytes(vec![1, 2]),
                Value::Null,
                Value::Int(-1),
            ],
        };
        assert_eq!(serde_json::to_string(&w).unwrap(), r#"{"v":["IMAPI_MEDIA_TYPE_CDR","01 02",[],-1]}"#);
    }

    #[test]
    fn floats_are_rejected() {
        assert!(toml::from_str::<BTreeMap<String, Value>>("v = 1.5").is_err());
    }
}
