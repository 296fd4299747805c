//! IMAPI2's automation values (VARIANT, VARIANT_BOOL, SAFEARRAY of VARIANT) as plain Rust data,
//! and their conversion into the contract's types.
//!
//! The Windows code reads each SAFEARRAY element into a [`VariantValue`] and leaves every
//! decision to these functions, so the rules (which VARIANT types an integer list accepts, what
//! VARIANT_BOOL means, which numbers are media types) are tested on any platform.
//!
//! A value the contract cannot represent is a [`ConversionError`]; the backend reports it as an
//! HRESULT of its own ([`ConversionError::hresult`]), never as a made-up IMAPI2 answer.

use cdr_sim::{BurnVerificationLevel, Hresult, PhysicalMediaType, WriteSpeedDescriptor};

use crate::codes::{DISP_E_OVERFLOW, DISP_E_TYPEMISMATCH};

/// `VARIANT_TRUE`.
pub const VARIANT_TRUE: i16 = -1;
/// `VARIANT_FALSE`.
pub const VARIANT_FALSE: i16 = 0;

/// A VARIANT_BOOL as Rust reads it: 0 is FALSE, anything else TRUE (as `if (b)` in C++ and every
/// automation client reads it; IMAPI2 itself returns VARIANT_TRUE, -1).
pub fn from_variant_bool(raw: i16) -> bool {
    raw != VARIANT_FALSE
}

/// The VARIANT_BOOL for `b`: VARIANT_TRUE (-1) or VARIANT_FALSE (0), never 1.
pub fn to_variant_bool(b: bool) -> i16 {
    if b {
        VARIANT_TRUE
    } else {
        VARIANT_FALSE
    }
}

/// The VARTYPE numbers this module names.
pub mod vt {
    /// `VT_EMPTY`.
    pub const EMPTY: u16 = 0;
    /// `VT_I2`.
    pub const I2: u16 = 2;
    /// `VT_I4`.
    pub const I4: u16 = 3;
    /// `VT_BSTR`.
    pub const BSTR: u16 = 8;
    /// `VT_DISPATCH`.
    pub const DISPATCH: u16 = 9;
    /// `VT_BOOL`.
    pub const BOOL: u16 = 11;
    /// `VT_VARIANT` (the element type of a SAFEARRAY of VARIANT).
    pub const VARIANT: u16 = 12;
    /// `VT_UNKNOWN`.
    pub const UNKNOWN: u16 = 13;
    /// `VT_I1`.
    pub const I1: u16 = 16;
    /// `VT_UI1`.
    pub const UI1: u16 = 17;
    /// `VT_UI2`.
    pub const UI2: u16 = 18;
    /// `VT_UI4`.
    pub const UI4: u16 = 19;
    /// `VT_I8`.
    pub const I8: u16 = 20;
    /// `VT_UI8`.
    pub const UI8: u16 = 21;
    /// `VT_INT`.
    pub const INT: u16 = 22;
    /// `VT_UINT`.
    pub const UINT: u16 = 23;
    /// `VT_BYREF` flag.
    pub const BYREF: u16 = 0x4000;
    /// `VT_ARRAY` flag.
    pub const ARRAY: u16 = 0x2000;
}

/// One VARIANT's value, copied out of COM memory. Interface pointers are only named (their
/// objects stay on the Windows side).
#[derive(Clone, Debug, PartialEq)]
pub enum VariantValue {
    /// `VT_EMPTY`.
    Empty,
    /// `VT_BOOL` (already decoded with [`from_variant_bool`]).
    Bool(bool),
    /// `VT_I1`.
    I1(i8),
    /// `VT_I2`.
    I2(i16),
    /// `VT_I4` or `VT_INT`.
    I4(i32),
    /// `VT_I8`.
    I8(i64),
    /// `VT_UI1`.
    UI1(u8),
    /// `VT_UI2`.
    UI2(u16),
    /// `VT_UI4` or `VT_UINT`.
    UI4(u32),
    /// `VT_UI8`.
    UI8(u64),
    /// `VT_BSTR`.
    Bstr(String),
    /// `VT_DISPATCH`.
    Dispatch,
    /// `VT_UNKNOWN`.
    Unknown,
    /// Any other VARTYPE (the number is kept for the error message).
    Other(u16),
}

impl VariantValue {
    /// The VARTYPE this value came from.
    pub fn vartype(&self) -> u16 {
        match self {
            VariantValue::Empty => vt::EMPTY,
            VariantValue::Bool(_) => vt::BOOL,
            VariantValue::I1(_) => vt::I1,
            VariantValue::I2(_) => vt::I2,
            VariantValue::I4(_) => vt::I4,
            VariantValue::I8(_) => vt::I8,
            VariantValue::UI1(_) => vt::UI1,
            VariantValue::UI2(_) => vt::UI2,
            VariantValue::UI4(_) => vt::UI4,
            VariantValue::UI8(_) => vt::UI8,
            VariantValue::Bstr(_) => vt::BSTR,
            VariantValue::Dispatch => vt::DISPATCH,
            VariantValue::Unknown => vt::UNKNOWN,
            VariantValue::Other(n) => *n,
        }
    }
}

/// A value from IMAPI2 that the contract cannot represent.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ConversionError {
    /// The VARIANT holds another type than the property's.
    #[error("{what}: expected {expected}, found VARTYPE {found}")]
    TypeMismatch {
        /// The property or element being read.
        what: &'static str,
        /// What was expected (`an integer`, `a string`).
        expected: &'static str,
        /// The VARTYPE found.
        found: u16,
    },
    /// A number out of the range of the Rust type or enum.
    #[error("{what}: {value} is out of range")]
    OutOfRange {
        /// The property or element being read.
        what: &'static str,
        /// The number found.
        value: i64,
    },
}

impl ConversionError {
    /// The HRESULT a contract member reports for it: `DISP_E_TYPEMISMATCH` or `DISP_E_OVERFLOW`.
    pub fn hresult(&self) -> Hresult {
        match self {
            ConversionError::TypeMismatch { .. } => DISP_E_TYPEMISMATCH,
            ConversionError::OutOfRange { .. } => DISP_E_OVERFLOW,
        }
    }
}

impl From<ConversionError> for Hresult {
    fn from(e: ConversionError) -> Hresult {
        e.hresult()
    }
}

/// An integer VARIANT as i32: any signed or unsigned integer type whose value fits.
pub fn variant_to_i32(what: &'static str, v: &VariantValue) -> Result<i32, ConversionError> {
    let wide: i64 = match *v {
        VariantValue::I1(n) => n.into(),
        VariantValue::I2(n) => n.into(),
        VariantValue::I4(n) => n.into(),
        VariantValue::I8(n) => n,
        VariantValue::UI1(n) => n.into(),
        VariantValue::UI2(n) => n.into(),
        VariantValue::UI4(n) => n.into(),
        VariantValue::UI8(n) => i64::try_from(n).unwrap_or(i64::MAX),
        ref other => {
            return Err(ConversionError::TypeMismatch { what, expected: "an integer", found: other.vartype() })
        }
    };
    i32::try_from(wide).map_err(|_| ConversionError::OutOfRange { what, value: wide })
}

/// A SAFEARRAY of integer VARIANTs (profiles, feature pages, mode pages, speeds, media types).
pub fn ints_from_variants(what: &'static str, values: &[VariantValue]) -> Result<Vec<i32>, ConversionError> {
    values.iter().map(|v| variant_to_i32(what, v)).collect()
}

/// A SAFEARRAY of BSTR VARIANTs (VolumePathNames).
pub fn strings_from_variants(what: &'static str, values: &[VariantValue]) -> Result<Vec<String>, ConversionError> {
    values
        .iter()
        .map(|v| match v {
            VariantValue::Bstr(s) => Ok(s.clone()),
            other => Err(ConversionError::TypeMismatch { what, expected: "a string", found: other.vartype() }),
        })
        .collect()
}

/// A SAFEARRAY of byte-valued VARIANTs (ExpectedTableOfContents): each element an integer 0..=255.
pub fn bytes_from_variants(what: &'static str, values: &[VariantValue]) -> Result<Vec<u8>, ConversionError> {
    values
        .iter()
        .map(|v| {
            let n = variant_to_i32(what, v)?;
            u8::try_from(n).map_err(|_| ConversionError::OutOfRange { what, value: n.into() })
        })
        .collect()
}

/// An `IMAPI_MEDIA_PHYSICAL_TYPE` number.
pub fn media_type(n: i32) -> Result<PhysicalMediaType, ConversionError> {
    PhysicalMediaType::from_value(n)
        .ok_or(ConversionError::OutOfRange { what: "IMAPI_MEDIA_PHYSICAL_TYPE", value: n.into() })
}

/// A SAFEARRAY of media type VARIANTs (SupportedMediaTypes).
pub fn media_types_from_variants(values: &[VariantValue]) -> Result<Vec<PhysicalMediaType>, ConversionError> {
    ints_from_variants("SupportedMediaTypes", values)?.into_iter().map(media_type).collect()
}

/// An `IMAPI_BURN_VERIFICATION_LEVEL` number.
pub fn verification_level(n: i32) -> Result<BurnVerificationLevel, ConversionError> {
    BurnVerificationLevel::from_value(n)
        .ok_or(ConversionError::OutOfRange { what: "IMAPI_BURN_VERIFICATION_LEVEL", value: n.into() })
}

/// One `IWriteSpeedDescriptor` from its three properties as COM returns them.
pub fn write_speed_descriptor(
    media_type_number: i32,
    rotation_type_is_pure_cav: i16,
    write_speed: i32,
) -> Result<WriteSpeedDescriptor, ConversionError> {
    Ok(WriteSpeedDescriptor {
        media_type: media_type(media_type_number)?,
        rotation_type_is_pure_cav: from_variant_bool(rotation_type_is_pure_cav),
        write_speed,
    })
}

/// The media type of an MMC profile (the inverse of [`PhysicalMediaType::mmc_profile`]):
/// `None` for profile 0 (no disc) and for profiles IMAPI2 has no media type for.
pub fn media_type_of_profile(profile: i32) -> Option<PhysicalMediaType> {
    PhysicalMediaType::ALL.iter().copied().find(|m| m.mmc_profile() == Some(profile))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variant_bool_semantics() {
        assert!(from_variant_bool(VARIANT_TRUE));
        assert!(!from_variant_bool(VARIANT_FALSE));
        assert!(from_variant_bool(1), "any non-zero VARIANT_BOOL is TRUE");
        assert_eq!(to_variant_bool(true), -1);
        assert_eq!(to_variant_bool(false), 0);
        for b in [true, false] {
            assert_eq!(from_variant_bool(to_variant_bool(b)), b);
        }
    }

    #[test]
    fn profiles_from_i4_variants() {
        let v = [VariantValue::I4(0x0008), VariantValue::I4(0x0009), VariantValue::I4(0x000A)];
        assert_eq!(ints_from_variants("SupportedProfiles", &v), Ok(vec![8, 9, 10]));
        assert_eq!(ints_from_variants("SupportedProfiles", &[]), Ok(vec![]));
    }

    #[test]
    fn every_integer_type_widens_when_it_fits() {
        let v = [
            VariantValue::I1(-3),
            VariantValue::I2(-300),
            VariantValue::UI1(200),
            VariantValue::UI2(60000),
            VariantValue::UI4(7),
            VariantValue::I8(-9),
            VariantValue::UI8(10),
        ];
        assert_eq!(ints_from_variants("x", &v), Ok(vec![-3, -300, 200, 60000, 7, -9, 10]));
    }

    #[test]
    fn integers_that_do_not_fit_are_out_of_range() {
        for v in [VariantValue::UI4(u32::MAX), VariantValue::I8(1 << 40), VariantValue::UI8(u64::MAX)] {
            let e = variant_to_i32("SupportedWriteSpeeds", &v).unwrap_err();
            assert!(matches!(e, ConversionError::OutOfRange { .. }), "{v:?}");
            assert_eq!(e.hresult(), DISP_E_OVERFLOW);
        }
    }

    #[test]
    fn a_non_integer_in_an_integer_list_is_a_type_mismatch() {
        let v = [VariantValue::I4(9), VariantValue::Bstr("9".into())];
        let e = ints_from_variants("CurrentProfiles", &v).unwrap_err();
        assert_eq!(
            e,
            ConversionError::TypeMismatch { what: "CurrentProfiles", expected: "an integer", found: vt::BSTR }
        );
        assert_eq!(Hresult::from(e), DISP_E_TYPEMISMATCH);
        assert!(ints_from_variants("x", &[VariantValue::Dispatch]).is_err());
        assert!(ints_from_variants("x", &[VariantValue::Empty]).is_err());
        assert!(ints_from_variants("x", &[VariantValue::Bool(true)]).is_err());
    }

    #[test]
    fn volume_path_names_are_strings() {
        let v = [VariantValue::Bstr(r"E:\".into()), VariantValue::Bstr(r"C:\mnt\cd\".into())];
        assert_eq!(strings_from_variants("VolumePathNames", &v), Ok(vec![r"E:\".into(), r"C:\mnt\cd\".into()]));
        assert!(strings_from_variants("VolumePathNames", &[VariantValue::I4(1)]).is_err());
    }

    #[test]
    fn table_of_contents_bytes() {
        let v: Vec<_> = [0u8, 18, 1, 1, 0, 0x10, 1, 0].iter().map(|b| VariantValue::UI1(*b)).collect();
        assert_eq!(bytes_from_variants("ExpectedTableOfContents", &v), Ok(vec![0, 18, 1, 1, 0, 0x10, 1, 0]));
        // I4-typed bytes are accepted when they are bytes.
        assert_eq!(bytes_from_variants("x", &[VariantValue::I4(255)]), Ok(vec![255]));
        assert!(bytes_from_variants("x", &[VariantValue::I4(256)]).is_err());
        assert!(bytes_from_variants("x", &[VariantValue::I2(-1)]).is_err());
    }

    #[test]
    fn media_types_and_levels() {
        let v = [VariantValue::I4(2), VariantValue::I4(3)];
        assert_eq!(media_types_from_variants(&v), Ok(vec![PhysicalMediaType::CdR, PhysicalMediaType::CdRw]));
        assert_eq!(media_type(19), Ok(PhysicalMediaType::BdRe));
        assert_eq!(media_type(20).unwrap_err().hresult(), DISP_E_OVERFLOW);
        assert_eq!(verification_level(1), Ok(BurnVerificationLevel::Quick));
        assert!(verification_level(3).is_err());
    }

    #[test]
    fn write_speed_descriptors() {
        let d = write_speed_descriptor(2, VARIANT_TRUE, 3600).unwrap();
        assert_eq!(
            d,
            WriteSpeedDescriptor {
                media_type: PhysicalMediaType::CdR,
                rotation_type_is_pure_cav: true,
                write_speed: 3600
            }
        );
        assert!(write_speed_descriptor(-1, 0, 75).is_err());
    }

    #[test]
    fn profiles_map_back_to_media_types() {
        assert_eq!(media_type_of_profile(0x0009), Some(PhysicalMediaType::CdR));
        assert_eq!(media_type_of_profile(0x000A), Some(PhysicalMediaType::CdRw));
        assert_eq!(media_type_of_profile(0x0008), Some(PhysicalMediaType::CdRom));
        assert_eq!(media_type_of_profile(0), None);
        assert_eq!(media_type_of_profile(0x0002), None, "removable disk has no IMAPI2 media type");
        for m in PhysicalMediaType::ALL {
            if let Some(p) = m.mmc_profile() {
                assert_eq!(media_type_of_profile(p), Some(*m));
            }
        }
    }
}
