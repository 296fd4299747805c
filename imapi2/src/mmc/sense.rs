//! Sense data: why a command ended in CHECK CONDITION, and the IMAPI2 HRESULT that names it.
//!
//! `IDiscRecorder2Ex::SendCommand*` reports CHECK CONDITION as the *success* code
//! `S_IMAPI_COMMAND_HAS_SENSE_DATA` and fills an 18-byte buffer; the backend parses it here and
//! maps it to the code IMAPI2's own members use for the same condition.

use std::fmt;

use cdr_sim::Hresult;

/// Sense key NOT READY.
pub const NOT_READY: u8 = 0x2;
/// Sense key MEDIUM ERROR.
pub const MEDIUM_ERROR: u8 = 0x3;
/// Sense key ILLEGAL REQUEST.
pub const ILLEGAL_REQUEST: u8 = 0x5;
/// Sense key UNIT ATTENTION.
pub const UNIT_ATTENTION: u8 = 0x6;
/// Sense key DATA PROTECT.
pub const DATA_PROTECT: u8 = 0x7;

/// Sense key, additional sense code and qualifier.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sense {
    /// Sense key (0..=15).
    pub key: u8,
    /// Additional sense code.
    pub asc: u8,
    /// Additional sense code qualifier.
    pub ascq: u8,
}

/// Parses fixed-format (response code 0x70/0x71) or descriptor-format (0x72/0x73) sense data;
/// `None` when the buffer holds no sense (response code 0, as after a good command).
pub fn parse_sense(buf: &[u8]) -> Option<Sense> {
    let code = *buf.first()? & 0x7F;
    match code {
        0x70 | 0x71 if buf.len() >= 14 => Some(Sense { key: buf[2] & 0x0F, asc: buf[12], ascq: buf[13] }),
        0x70 | 0x71 if buf.len() >= 3 => Some(Sense { key: buf[2] & 0x0F, asc: 0, ascq: 0 }),
        0x72 | 0x73 if buf.len() >= 4 => Some(Sense { key: buf[1] & 0x0F, asc: buf[2], ascq: buf[3] }),
        _ => None,
    }
}

impl Sense {
    /// The IMAPI2 code for this condition (spec section 6, recorder codes); a condition IMAPI2
    /// has no name for is `E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE`.
    pub fn hresult(&self) -> Hresult {
        match (self.key, self.asc, self.ascq) {
            (_, 0x3A, _) => Hresult::E_IMAPI_RECORDER_MEDIA_NO_MEDIA,
            (_, 0x04, 0x01) | (UNIT_ATTENTION, 0x28, _) => Hresult::E_IMAPI_RECORDER_MEDIA_BECOMING_READY,
            (_, 0x04, 0x04) => Hresult::E_IMAPI_RECORDER_MEDIA_FORMAT_IN_PROGRESS,
            (_, 0x04, 0x07 | 0x08) => Hresult::E_IMAPI_RECORDER_MEDIA_BUSY,
            (_, 0x30, _) => Hresult::E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE,
            (_, 0x27, _) | (DATA_PROTECT, _, _) => Hresult::E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED,
            _ => Hresult::E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE,
        }
    }

    /// ILLEGAL REQUEST: the drive does not do this command or field for this disc (READ TOC
    /// format 4 on a pressed CD). `read_back` treats it as "not available", not as a failure.
    pub fn is_illegal_request(&self) -> bool {
        self.key == ILLEGAL_REQUEST
    }

    /// UNIT ATTENTION: the disc or the drive changed since the last command; retry once.
    pub fn is_unit_attention(&self) -> bool {
        self.key == UNIT_ATTENTION
    }
}

impl fmt::Display for Sense {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "sense {:X}/{:02X}/{:02X}", self.key, self.asc, self.ascq)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(key: u8, asc: u8, ascq: u8) -> [u8; 18] {
        let mut b = [0u8; 18];
        b[0] = 0xF0; // valid bit + current error
        b[2] = key;
        b[7] = 10;
        b[12] = asc;
        b[13] = ascq;
        b
    }

    #[test]
    fn fixed_and_descriptor_formats() {
        assert_eq!(parse_sense(&fixed(2, 0x3A, 0x01)), Some(Sense { key: 2, asc: 0x3A, ascq: 1 }));
        assert_eq!(parse_sense(&[0x72, 0x05, 0x24, 0x00, 0, 0, 0, 0]), Some(Sense { key: 5, asc: 0x24, ascq: 0 }));
        assert_eq!(parse_sense(&[0u8; 18]), None, "a good command leaves no sense");
        assert_eq!(parse_sense(&[]), None);
    }

    #[test]
    fn conditions_map_to_imapi2_codes() {
        let hr = |k, a, q| parse_sense(&fixed(k, a, q)).unwrap().hresult();
        assert_eq!(hr(NOT_READY, 0x3A, 0x00), Hresult::E_IMAPI_RECORDER_MEDIA_NO_MEDIA);
        assert_eq!(hr(NOT_READY, 0x3A, 0x02), Hresult::E_IMAPI_RECORDER_MEDIA_NO_MEDIA, "tray open");
        assert_eq!(hr(NOT_READY, 0x04, 0x01), Hresult::E_IMAPI_RECORDER_MEDIA_BECOMING_READY);
        assert_eq!(hr(UNIT_ATTENTION, 0x28, 0x00), Hresult::E_IMAPI_RECORDER_MEDIA_BECOMING_READY);
        assert_eq!(hr(NOT_READY, 0x04, 0x04), Hresult::E_IMAPI_RECORDER_MEDIA_FORMAT_IN_PROGRESS);
        assert_eq!(hr(NOT_READY, 0x04, 0x08), Hresult::E_IMAPI_RECORDER_MEDIA_BUSY);
        assert_eq!(hr(ILLEGAL_REQUEST, 0x30, 0x02), Hresult::E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE);
        assert_eq!(hr(DATA_PROTECT, 0x27, 0x00), Hresult::E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED);
        assert_eq!(hr(MEDIUM_ERROR, 0x11, 0x00), Hresult::E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE);
    }

    #[test]
    fn classification_and_display() {
        let s = parse_sense(&fixed(ILLEGAL_REQUEST, 0x24, 0)).unwrap();
        assert!(s.is_illegal_request() && !s.is_unit_attention());
        assert_eq!(s.to_string(), "sense 5/24/00");
        assert!(parse_sense(&fixed(UNIT_ATTENTION, 0x28, 0)).unwrap().is_unit_attention());
    }
}
