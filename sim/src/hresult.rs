//! HRESULT: the shared error language of every backend (spec section 6).
//!
//! [`Hresult`] is a newtype over the 32-bit code. Every code the spec lists is a named constant;
//! `Display` prints `SYMBOL (0xXXXXXXXX)`, and a code the table does not know is kept and shown
//! as bare hex, because real clients test for codes that do not exist (e.g. `0xC0AA0514`).
//!
//! ```
//! use cdr_sim::Hresult;
//! let hr = Hresult::E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED;
//! assert_eq!(hr.to_string(), "E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED (0xC0AA0502)");
//! assert!(hr.is_failure());
//! assert!(Hresult::S_IMAPI_SPEEDADJUSTED.is_success());
//! assert_eq!("0xC0AA0502".parse::<Hresult>().unwrap(), hr);
//! assert_eq!("E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED".parse::<Hresult>().unwrap(), hr);
//! assert_eq!(Hresult(0xC0AA_0514).to_string(), "0xC0AA0514");
//! ```

use std::fmt;
use std::str::FromStr;

/// A COM status code. Success codes have the top bit clear (`S_OK`, `S_IMAPI_SPEEDADJUSTED`, ...).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Hresult(pub u32);

/// Result of a contract member: `Ok` on a success code, `Err` with the failure code.
pub type HrResult<T> = Result<T, Hresult>;

macro_rules! hresults {
    ($( $(#[$doc:meta])* $name:ident = $value:literal, $msg:literal; )*) => {
        impl Hresult {
            $( $(#[$doc])* #[doc = $msg] pub const $name: Hresult = Hresult($value); )*
        }
        /// Every known code: (code, symbol, message), in the order of spec section 6.
        const TABLE: &[(Hresult, &str, &str)] = &[ $( (Hresult($value), stringify!($name), $msg), )* ];
    };
}

hresults! {
    S_OK = 0x0000_0000, "The operation succeeded.";
    S_FALSE = 0x0000_0001, "The operation succeeded with a false result.";
    E_IMAPI_DF2TAO_WRITE_IN_PROGRESS = 0xC0AA_0500, "There is currently a write operation in progress.";
    E_IMAPI_DF2TAO_WRITE_NOT_IN_PROGRESS = 0xC0AA_0501, "There is no write operation currently in progress.";
    E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED = 0xC0AA_0502, "The requested operation is only valid when media has been \"prepared\".";
    E_IMAPI_DF2TAO_MEDIA_IS_PREPARED = 0xC0AA_0503, "The requested operation is not valid when media has been \"prepared\" but not released.";
    E_IMAPI_DF2TAO_PROPERTY_FOR_BLANK_MEDIA_ONLY = 0xC0AA_0504, "The property cannot be changed once the media has been written.";
    E_IMAPI_DF2TAO_TABLE_OF_CONTENTS_EMPTY_DISC = 0xC0AA_0505, "The table of contents cannot be retrieved from an empty disc.";
    E_IMAPI_DF2TAO_MEDIA_IS_NOT_BLANK = 0xC0AA_0506, "Only blank CD-R/RW media is supported.";
    E_IMAPI_DF2TAO_MEDIA_IS_NOT_SUPPORTED = 0xC0AA_0507, "Only blank CD-R/RW media is supported.";
    E_IMAPI_DF2TAO_TRACK_LIMIT_REACHED = 0xC0AA_0508, "CD-R and CD-RW media support a maximum of 99 audio tracks.";
    E_IMAPI_DF2TAO_NOT_ENOUGH_SPACE = 0xC0AA_0509, "There is not enough space left on the media to add the provided audio track.";
    E_IMAPI_DF2TAO_NO_RECORDER_SPECIFIED = 0xC0AA_050A, "You cannot prepare the media until you choose a recorder to use.";
    E_IMAPI_DF2TAO_INVALID_ISRC = 0xC0AA_050B, "The ISRC provided is not valid.";
    E_IMAPI_DF2TAO_INVALID_MCN = 0xC0AA_050C, "The Media Catalog Number provided is not valid.";
    E_IMAPI_DF2TAO_STREAM_NOT_SUPPORTED = 0xC0AA_050D, "The provided audio stream is not valid.";
    E_IMAPI_DF2TAO_RECORDER_NOT_SUPPORTED = 0xC0AA_050E, "The requested recorder does not support track-at-once writing.";
    E_IMAPI_DF2TAO_CLIENT_NAME_IS_NOT_VALID = 0xC0AA_050F, "The client name is not valid.";
    E_IMAPI_REQUEST_CANCELLED = 0xC0AA_0002, "The request was cancelled.";
    E_IMAPI_RECORDER_REQUIRED = 0xC0AA_0003, "The request requires a current disc recorder to be selected.";
    S_IMAPI_SPEEDADJUSTED = 0x00AA_0004, "The requested write speed was not supported by the drive and the speed was adjusted.";
    S_IMAPI_ROTATIONADJUSTED = 0x00AA_0005, "The requested rotation type was not supported by the drive and the rotation type was adjusted.";
    S_IMAPI_BOTHADJUSTED = 0x00AA_0006, "The requested write speed and rotation type were not supported by the drive and they were both adjusted.";
    E_IMAPI_BURN_VERIFICATION_FAILED = 0xC0AA_0007, "The disc did not pass burn verification and may contain corrupt data or be unusable.";
    E_IMAPI_RECORDER_NO_SUCH_MODE_PAGE = 0xC0AA_0201, "The device reported that the requested mode page (and type) is not present.";
    E_IMAPI_RECORDER_MEDIA_NO_MEDIA = 0xC0AA_0202, "There is no media in the device.";
    E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE = 0xC0AA_0203, "The media is not compatible or of unknown physical format.";
    E_IMAPI_RECORDER_MEDIA_UPSIDE_DOWN = 0xC0AA_0204, "The media is inserted upside down.";
    E_IMAPI_RECORDER_MEDIA_BECOMING_READY = 0xC0AA_0205, "The drive reported that it is in the process of becoming ready.";
    E_IMAPI_RECORDER_MEDIA_FORMAT_IN_PROGRESS = 0xC0AA_0206, "The media is currently being formatted.";
    E_IMAPI_RECORDER_MEDIA_BUSY = 0xC0AA_0207, "The drive reported that it is performing a long-running operation.";
    E_IMAPI_RECORDER_INVALID_MODE_PARAMETERS = 0xC0AA_0208, "The drive reported that the combination of parameters provided in the mode page is not supported.";
    E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED = 0xC0AA_0209, "The drive reported that the media is write protected.";
    E_IMAPI_RECORDER_NO_SUCH_FEATURE = 0xC0AA_020A, "The feature page requested is not supported by the device.";
    E_IMAPI_RECORDER_FEATURE_IS_NOT_CURRENT = 0xC0AA_020B, "The feature page requested is supported, but is not marked as current.";
    E_IMAPI_RECORDER_GET_CONFIGURATION_NOT_SUPPORTED = 0xC0AA_020C, "The drive does not support the GET CONFIGURATION command.";
    E_IMAPI_RECORDER_COMMAND_TIMEOUT = 0xC0AA_020D, "The device failed to accept the command within the timeout period.";
    E_IMAPI_RECORDER_DVD_STRUCTURE_NOT_PRESENT = 0xC0AA_020E, "The DVD structure is not present.";
    E_IMAPI_RECORDER_MEDIA_SPEED_MISMATCH = 0xC0AA_020F, "The media's speed is incompatible with the device.";
    E_IMAPI_RECORDER_LOCKED = 0xC0AA_0210, "The device associated with this recorder during the last operation has been exclusively locked.";
    E_IMAPI_RECORDER_CLIENT_NAME_IS_NOT_VALID = 0xC0AA_0211, "The client name is not valid.";
    E_IMAPI_RECORDER_MEDIA_NOT_FORMATTED = 0xC0AA_0212, "The media is not formatted.";
    E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE = 0xC0AA_02FF, "The device reported unexpected or invalid data for a command.";
    E_IMAPI_LOSS_OF_STREAMING = 0xC0AA_0300, "The write failed because the drive did not receive data quickly enough to continue writing.";
    E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE = 0xC0AA_0301, "The write failed because the drive returned error information that could not be recovered from.";
    S_IMAPI_WRITE_NOT_IN_PROGRESS = 0x00AA_0302, "There is no write operation currently in progress.";
    E_POINTER = 0x8000_4003, "Invalid pointer.";
    E_FAIL = 0x8000_4005, "Unspecified error.";
    E_INVALIDARG = 0x8007_0057, "One or more arguments are invalid.";
    E_OUTOFMEMORY = 0x8007_000E, "Ran out of memory.";
    E_ACCESSDENIED = 0x8007_0005, "General access denied error.";
    E_ABORT = 0x8000_4004, "Operation aborted.";
    E_NOTIMPL = 0x8000_4001, "Not implemented.";
}

impl Hresult {
    /// Every code this crate names, as (code, symbol, message).
    pub fn known() -> impl Iterator<Item = (Hresult, &'static str, &'static str)> {
        TABLE.iter().copied()
    }

    /// True for success codes (top bit clear): `S_OK`, `S_FALSE`, `S_IMAPI_SPEEDADJUSTED`, ...
    pub const fn is_success(self) -> bool {
        self.0 & 0x8000_0000 == 0
    }

    /// True for failure codes (top bit set).
    pub const fn is_failure(self) -> bool {
        !self.is_success()
    }

    /// The symbol of a known code, e.g. `E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED`.
    pub fn symbol(self) -> Option<&'static str> {
        TABLE.iter().find(|(h, _, _)| *h == self).map(|(_, s, _)| *s)
    }

    /// The message text of a known code, as the SDK documents it.
    pub fn message(self) -> Option<&'static str> {
        TABLE.iter().find(|(h, _, _)| *h == self).map(|(_, _, m)| *m)
    }

    /// The code as the signed 32-bit value COM APIs use.
    pub const fn as_i32(self) -> i32 {
        self.0 as i32
    }

    /// A code from the signed 32-bit value COM APIs use.
    pub const fn from_i32(value: i32) -> Hresult {
        Hresult(value as u32)
    }

    /// The code as `0xXXXXXXXX`, upper-case hex, 8 digits.
    pub fn hex(self) -> String {
        format!("0x{:08X}", self.0)
    }

    /// `Ok(self)` for a success code, `Err(self)` for a failure: how a member's raw return maps
    /// onto [`HrResult`] when the success code itself matters (SetWriteSpeed).
    pub fn into_result(self) -> HrResult<Hresult> {
        if self.is_success() {
            Ok(self)
        } else {
            Err(self)
        }
    }
}

impl fmt::Display for Hresult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.symbol() {
            Some(sym) => write!(f, "{sym} (0x{:08X})", self.0),
            None => write!(f, "0x{:08X}", self.0),
        }
    }
}

impl fmt::Debug for Hresult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// A string that is neither a known HRESULT symbol nor a 32-bit hex number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{0}` is not an HRESULT: expected a symbol such as E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED or hex such as 0xC0AA0502"
)]
pub struct ParseHresultError(pub String);

impl FromStr for Hresult {
    type Err = ParseHresultError;

    /// Parses a symbol (`S_OK`, `E_IMAPI_RECORDER_LOCKED`), hex (`0xC0AA0502`), or the Display
    /// form (`E_IMAPI_RECORDER_LOCKED (0xC0AA0210)`, where symbol and hex must agree).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let err = || ParseHresultError(s.to_string());
        if let Some((sym, rest)) = t.split_once(' ') {
            let hex = rest.trim().strip_prefix('(').and_then(|r| r.strip_suffix(')')).ok_or_else(err)?;
            let a: Hresult = sym.parse()?;
            let b: Hresult = hex.parse()?;
            return if a == b { Ok(a) } else { Err(err()) };
        }
        if let Some(hex) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
            if hex.is_empty() || hex.len() > 8 {
                return Err(err());
            }
            return u32::from_str_radix(hex, 16).map(Hresult).map_err(|_| err());
        }
        TABLE.iter().find(|(_, sym, _)| *sym == t).map(|(h, _, _)| *h).ok_or_else(err)
    }
}

impl serde::Serialize for Hresult {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Hresult {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_symbol_round_trips_through_display_and_parse() {
        for (hr, sym, msg) in Hresult::known() {
            assert!(!msg.is_empty());
            assert_eq!(sym.parse::<Hresult>().unwrap(), hr);
            assert_eq!(hr.hex().parse::<Hresult>().unwrap(), hr);
            assert_eq!(hr.to_string().parse::<Hresult>().unwrap(), hr);
        }
    }

    #[test]
    fn symbols_and_values_are_unique() {
        let all: Vec<_> = Hresult::known().collect();
        for (i, a) in all.iter().enumerate() {
            for b in &all[i + 1..] {
                assert_ne!(a.0, b.0, "{} and {} share a value", a.1, b.1);
                assert_ne!(a.1, b.1);
            }
        }
    }

    #[test]
    fn success_codes_are_success() {
        for hr in [
            Hresult::S_OK,
            Hresult::S_IMAPI_SPEEDADJUSTED,
            Hresult::S_IMAPI_ROTATIONADJUSTED,
            Hresult::S_IMAPI_BOTHADJUSTED,
            Hresult::S_IMAPI_WRITE_NOT_IN_PROGRESS,
        ] {
            assert!(hr.is_success(), "{hr}");
            assert_eq!(hr.into_result(), Ok(hr));
        }
        assert_eq!(Hresult::E_FAIL.into_result(), Err(Hresult::E_FAIL));
    }

    #[test]
    fn spec_section_6_values() {
        assert_eq!(Hresult::E_IMAPI_DF2TAO_CLIENT_NAME_IS_NOT_VALID.0, 0xC0AA050F);
        assert_eq!(Hresult::E_IMAPI_RECORDER_LOCKED.0, 0xC0AA0210);
        assert_eq!(Hresult::E_IMAPI_LOSS_OF_STREAMING.0, 0xC0AA0300);
        assert_eq!(Hresult::E_ACCESSDENIED.0, 0x80070005);
        assert_eq!(Hresult::from_i32(Hresult::E_FAIL.as_i32()), Hresult::E_FAIL);
    }

    #[test]
    fn unknown_codes_are_kept_as_hex() {
        let hr: Hresult = "0xc0aa0514".parse().unwrap();
        assert_eq!(hr.symbol(), None);
        assert_eq!(hr.to_string(), "0xC0AA0514");
    }

    #[test]
    fn garbage_is_rejected() {
        for s in ["", "0x", "E_NOPE", "0x123456789", "S_OK (0x00000001)", "0xZZ"] {
            assert!(s.parse::<Hresult>().is_err(), "{s}");
        }
    }
}
