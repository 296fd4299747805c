//! Minutes:seconds:frames addresses and their LBA equivalents (spec section 1).
//!
//! ```
//! use cdr_sim::Msf;
//! let lead_out: Msf = "79:59:72".parse().unwrap();
//! assert_eq!(lead_out.to_lba(), 359_847);
//! let lead_in: Msf = "97:24:01".parse().unwrap();
//! assert_eq!(lead_in.to_lba(), -11_849);
//! assert_eq!(Msf::from_lba(0).to_string(), "00:02:00");
//! ```

use std::fmt;
use std::str::FromStr;

/// Sectors (frames) per second of CD-DA: `IMAPI_SECTORS_PER_SECOND_AT_1X_CD`.
pub const SECTORS_PER_SECOND: u32 = 75;
/// Bytes in one CD-DA sector: 588 stereo 16-bit samples.
pub const SECTOR_BYTES: usize = 2352;
/// Sectors between absolute frame 0 and LBA 0 (the first track's 2 s pregap).
pub const LBA_OFFSET: i32 = 150;

/// An absolute CD address in minutes, seconds and frames (75 frames a second).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug, Default)]
pub struct Msf {
    /// Minutes, 0..=99.
    pub m: u8,
    /// Seconds, 0..=59.
    pub s: u8,
    /// Frames, 0..=74.
    pub f: u8,
}

impl Msf {
    /// An address from its parts; `None` when a part is out of range.
    pub fn new(m: u8, s: u8, f: u8) -> Option<Msf> {
        (m <= 99 && s <= 59 && f <= 74).then_some(Msf { m, s, f })
    }

    /// Frames since 00:00:00.
    pub fn frames(self) -> i32 {
        (self.m as i32 * 60 + self.s as i32) * 75 + self.f as i32
    }

    /// The LBA: frames - 150 below 90 minutes; frames - 450,150 (negative) in the lead-in area.
    pub fn to_lba(self) -> i32 {
        if self.m < 90 {
            self.frames() - LBA_OFFSET
        } else {
            self.frames() - 450_150
        }
    }

    /// The address of an LBA (negative LBAs map into the 90..99 minute lead-in area).
    pub fn from_lba(lba: i32) -> Msf {
        let frames = if lba >= -LBA_OFFSET { lba + LBA_OFFSET } else { lba + 450_150 };
        Self::from_frames(frames.clamp(0, 449_999))
    }

    /// The address `frames` frames after 00:00:00 (clamped to 99:59:74).
    pub fn from_frames(frames: i32) -> Msf {
        let frames = frames.clamp(0, 449_999);
        Msf { m: (frames / 4500) as u8, s: (frames / 75 % 60) as u8, f: (frames % 75) as u8 }
    }
}

impl fmt::Display for Msf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}:{:02}", self.m, self.s, self.f)
    }
}

/// A string that is not `MM:SS:FF` with seconds below 60 and frames below 75.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not an MSF address: expected MM:SS:FF with SS < 60 and FF < 75, e.g. 97:24:01")]
pub struct ParseMsfError(pub String);

impl FromStr for Msf {
    type Err = ParseMsfError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || ParseMsfError(s.to_string());
        let mut parts = s.trim().split(':');
        let mut next = || -> Result<u8, ParseMsfError> {
            let p = parts.next().ok_or_else(err)?;
            if p.is_empty() || p.len() > 2 || !p.bytes().all(|b| b.is_ascii_digit()) {
                return Err(err());
            }
            p.parse().map_err(|_| err())
        };
        let (m, sec, f) = (next()?, next()?, next()?);
        if parts.next().is_some() {
            return Err(err());
        }
        Msf::new(m, sec, f).ok_or_else(err)
    }
}

impl serde::Serialize for Msf {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Msf {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_section_5_lead_outs_give_the_measured_lpl() {
        for (msf, lpl) in [
            ("79:59:72", 359_847),
            ("79:59:70", 359_845),
            ("79:59:73", 359_848),
            ("79:59:74", 359_849),
            ("74:43:00", 336_075),
            ("74:45:00", 336_225),
            ("74:30:00", 335_100),
            ("71:05:00", 319_725),
            ("21:30:00", 96_600),
        ] {
            assert_eq!(msf.parse::<Msf>().unwrap().to_lba(), lpl, "{msf}");
        }
    }

    #[test]
    fn lead_in_addresses_are_negative_lbas() {
        let m: Msf = "97:24:01".parse().unwrap();
        assert_eq!(m.to_lba(), (97 * 60 + 24) * 75 + 1 - 450_150);
        assert_eq!(Msf::from_lba(m.to_lba()), m);
    }

    #[test]
    fn lba_round_trip() {
        for lba in [-150, -1, 0, 1, 22_502, 359_847, -11_849] {
            assert_eq!(Msf::from_lba(lba).to_lba(), lba);
        }
    }

    #[test]
    fn bad_msf_is_rejected() {
        for s in ["", "97:24", "97:60:00", "97:24:75", "a:b:c", "100:00:00", "1:2:3:4", "-1:00:00"] {
            assert!(s.parse::<Msf>().is_err(), "{s}");
        }
    }
}
