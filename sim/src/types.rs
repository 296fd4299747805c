//! Enumerations and small value types of IMAPI2 (spec section 7).

use std::fmt;
use std::str::FromStr;

macro_rules! media_types {
    ($( $variant:ident = $n:literal, $sym:literal, $name:literal; )*) => {
        /// `IMAPI_MEDIA_PHYSICAL_TYPE`: the physical kind of disc in the drive.
        #[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
        #[repr(i32)]
        pub enum PhysicalMediaType {
            $( #[doc = $name] $variant = $n, )*
        }

        impl PhysicalMediaType {
            /// Every media type, in numeric order.
            pub const ALL: &'static [PhysicalMediaType] = &[ $( PhysicalMediaType::$variant, )* ];

            /// The enum's number as IMAPI2 reports it.
            pub const fn value(self) -> i32 { self as i32 }

            /// The type with this number.
            pub fn from_value(n: i32) -> Option<PhysicalMediaType> {
                match n { $( $n => Some(PhysicalMediaType::$variant), )* _ => None }
            }

            /// The IMAPI symbol, e.g. `IMAPI_MEDIA_TYPE_CDR`.
            pub const fn symbol(self) -> &'static str {
                match self { $( PhysicalMediaType::$variant => $sym, )* }
            }

            /// The everyday name, e.g. `CD-R`.
            pub const fn name(self) -> &'static str {
                match self { $( PhysicalMediaType::$variant => $name, )* }
            }
        }
    };
}

media_types! {
    Unknown = 0, "IMAPI_MEDIA_TYPE_UNKNOWN", "unknown";
    CdRom = 1, "IMAPI_MEDIA_TYPE_CDROM", "CD-ROM";
    CdR = 2, "IMAPI_MEDIA_TYPE_CDR", "CD-R";
    CdRw = 3, "IMAPI_MEDIA_TYPE_CDRW", "CD-RW";
    DvdRom = 4, "IMAPI_MEDIA_TYPE_DVDROM", "DVD-ROM";
    DvdRam = 5, "IMAPI_MEDIA_TYPE_DVDRAM", "DVD-RAM";
    DvdPlusR = 6, "IMAPI_MEDIA_TYPE_DVDPLUSR", "DVD+R";
    DvdPlusRw = 7, "IMAPI_MEDIA_TYPE_DVDPLUSRW", "DVD+RW";
    DvdPlusRDualLayer = 8, "IMAPI_MEDIA_TYPE_DVDPLUSR_DUALLAYER", "DVD+R DL";
    DvdDashR = 9, "IMAPI_MEDIA_TYPE_DVDDASHR", "DVD-R";
    DvdDashRw = 10, "IMAPI_MEDIA_TYPE_DVDDASHRW", "DVD-RW";
    DvdDashRDualLayer = 11, "IMAPI_MEDIA_TYPE_DVDDASHR_DUALLAYER", "DVD-R DL";
    Disk = 12, "IMAPI_MEDIA_TYPE_DISK", "disk";
    DvdPlusRwDualLayer = 13, "IMAPI_MEDIA_TYPE_DVDPLUSRW_DUALLAYER", "DVD+RW DL";
    HdDvdRom = 14, "IMAPI_MEDIA_TYPE_HDDVDROM", "HD DVD-ROM";
    HdDvdR = 15, "IMAPI_MEDIA_TYPE_HDDVDR", "HD DVD-R";
    HdDvdRam = 16, "IMAPI_MEDIA_TYPE_HDDVDRAM", "HD DVD-RAM";
    BdRom = 17, "IMAPI_MEDIA_TYPE_BDROM", "BD-ROM";
    BdR = 18, "IMAPI_MEDIA_TYPE_BDR", "BD-R";
    BdRe = 19, "IMAPI_MEDIA_TYPE_BDRE", "BD-RE";
}

impl PhysicalMediaType {
    /// True for CD-R and CD-RW, the only media track-at-once writes.
    pub fn is_writable_cd(self) -> bool {
        matches!(self, PhysicalMediaType::CdR | PhysicalMediaType::CdRw)
    }

    /// True for any CD (ROM, R, RW): media with an ATIP or a CD TOC.
    pub fn is_cd(self) -> bool {
        matches!(self, PhysicalMediaType::CdRom | PhysicalMediaType::CdR | PhysicalMediaType::CdRw)
    }

    /// The MMC profile number of this media type in a drive (CD-R 0x0009, CD-RW 0x000A, ...).
    pub fn mmc_profile(self) -> Option<i32> {
        Some(match self {
            PhysicalMediaType::CdRom => 0x0008,
            PhysicalMediaType::CdR => 0x0009,
            PhysicalMediaType::CdRw => 0x000A,
            PhysicalMediaType::DvdRom => 0x0010,
            PhysicalMediaType::DvdDashR => 0x0011,
            PhysicalMediaType::DvdRam => 0x0012,
            PhysicalMediaType::DvdDashRw => 0x0014,
            PhysicalMediaType::DvdDashRDualLayer => 0x0015,
            PhysicalMediaType::DvdPlusRw => 0x001A,
            PhysicalMediaType::DvdPlusR => 0x001B,
            PhysicalMediaType::DvdPlusRwDualLayer => 0x002A,
            PhysicalMediaType::DvdPlusRDualLayer => 0x002B,
            PhysicalMediaType::BdRom => 0x0040,
            PhysicalMediaType::BdR => 0x0041,
            PhysicalMediaType::BdRe => 0x0043,
            PhysicalMediaType::HdDvdRom => 0x0050,
            PhysicalMediaType::HdDvdR => 0x0051,
            PhysicalMediaType::HdDvdRam => 0x0052,
            PhysicalMediaType::Unknown | PhysicalMediaType::Disk => return None,
        })
    }
}

impl fmt::Display for PhysicalMediaType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A string that names no media type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{0}` is not a media type: expected a name such as \"CD-R\", a symbol such as IMAPI_MEDIA_TYPE_CDR, or its number"
)]
pub struct ParseMediaTypeError(pub String);

impl FromStr for PhysicalMediaType {
    type Err = ParseMediaTypeError;
    /// Accepts the name (`CD-R`, case-insensitive), the symbol, or the number.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        if let Ok(n) = t.parse::<i32>() {
            return PhysicalMediaType::from_value(n).ok_or_else(|| ParseMediaTypeError(s.into()));
        }
        PhysicalMediaType::ALL
            .iter()
            .copied()
            .find(|m| m.symbol() == t || m.name().eq_ignore_ascii_case(t))
            .ok_or_else(|| ParseMediaTypeError(s.into()))
    }
}

impl serde::Serialize for PhysicalMediaType {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> serde::Deserialize<'de> for PhysicalMediaType {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(serde::Deserialize)]
        #[serde(untagged)]
        enum Raw {
            N(i64),
            S(String),
        }
        match Raw::deserialize(d)? {
            Raw::N(n) => i32::try_from(n)
                .ok()
                .and_then(PhysicalMediaType::from_value)
                .ok_or_else(|| serde::de::Error::custom(ParseMediaTypeError(n.to_string()))),
            Raw::S(s) => s.parse().map_err(serde::de::Error::custom),
        }
    }
}

/// `IMAPI_BURN_VERIFICATION_LEVEL`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[repr(i32)]
pub enum BurnVerificationLevel {
    /// No verification (the track-at-once default, spec section 2 \[choice\]).
    #[default]
    None = 0,
    /// After each track, re-read the track's information (action VERIFYING).
    Quick = 1,
    /// Full read-back; not supported for track-at-once.
    Full = 2,
}

impl BurnVerificationLevel {
    /// The level with this number.
    pub fn from_value(n: i32) -> Option<Self> {
        match n {
            0 => Some(Self::None),
            1 => Some(Self::Quick),
            2 => Some(Self::Full),
            _ => None,
        }
    }

    /// The IMAPI symbol, e.g. `IMAPI_BURN_VERIFICATION_QUICK`.
    pub fn symbol(self) -> &'static str {
        match self {
            Self::None => "IMAPI_BURN_VERIFICATION_NONE",
            Self::Quick => "IMAPI_BURN_VERIFICATION_QUICK",
            Self::Full => "IMAPI_BURN_VERIFICATION_FULL",
        }
    }
}

/// One entry of `SupportedWriteSpeedDescriptors` (`IWriteSpeedDescriptor`).
#[derive(Clone, Copy, PartialEq, Eq, Debug, serde::Serialize, serde::Deserialize)]
pub struct WriteSpeedDescriptor {
    /// The media type the speed applies to.
    pub media_type: PhysicalMediaType,
    /// True for pure CAV rotation, false for CLV.
    pub rotation_type_is_pure_cav: bool,
    /// Write speed in sectors per second (75 = 1x).
    pub write_speed: i32,
}

/// The answer of IsRecorderSupported and IsCurrentMediaSupported (spec 2, dll id 56065615557):
/// the flag and the success code it came with. The checks never fail for an unsupported
/// recorder or disc: they answer FALSE with S_OK, and FALSE with `S_FALSE` when the check
/// itself could not be carried out (an internal failure).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct SupportAnswer {
    /// The success code: `S_OK`, or `S_FALSE` after an internal failure.
    pub code: crate::Hresult,
    /// TRUE when supported.
    pub supported: bool,
}

impl SupportAnswer {
    /// The check ran: `supported` with S_OK.
    pub const fn checked(supported: bool) -> SupportAnswer {
        SupportAnswer { code: crate::Hresult::S_OK, supported }
    }

    /// The check could not be carried out: FALSE with S_FALSE.
    pub const INTERNAL_FAILURE: SupportAnswer = SupportAnswer { code: crate::Hresult::S_FALSE, supported: false };
}
