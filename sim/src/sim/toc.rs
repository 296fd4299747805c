//! ExpectedTableOfContents: READ TOC format 0 with MSF addresses (spec section 2).

use crate::msf::Msf;
use crate::profile::TocLengthField;

/// Control/ADR byte of every descriptor: ADR 1 (Q mode 1), CONTROL 0 (two-channel audio).
const ADR_CONTROL: u8 = 0x10;
/// Track number of the lead-out descriptor.
const LEAD_OUT_TRACK: u8 = 0xAA;

/// The TOC of `tracks` (start LBA, sectors), with the lead-out at `lead_out`: a 4-byte header
/// (length field, first track 1, last track N), one 8-byte descriptor per track and one for the
/// lead-out, 8N + 12 bytes in all.
pub(crate) fn expected_toc(tracks: &[(i32, u32)], lead_out: i32, field: TocLengthField) -> Vec<u8> {
    let n = tracks.len();
    let length = match field {
        TocLengthField::Dll => 8 * n + 2,
        TocLengthField::Mmc => 8 * n + 10,
    };
    let mut toc = Vec::with_capacity(8 * n + 12);
    toc.extend_from_slice(&(length as u16).to_be_bytes());
    toc.push(1);
    toc.push(n as u8);
    for (i, &(start, _)) in tracks.iter().enumerate() {
        push_descriptor(&mut toc, i as u8 + 1, start);
    }
    push_descriptor(&mut toc, LEAD_OUT_TRACK, lead_out);
    toc
}

fn push_descriptor(toc: &mut Vec<u8>, track: u8, lba: i32) {
    let msf = Msf::from_lba(lba);
    toc.extend_from_slice(&[0, ADR_CONTROL, track, 0, 0, msf.m, msf.s, msf.f]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_track_of_22500_sectors_gives_the_dll_bytes() {
        let toc = expected_toc(&[(0, 22_500)], 22_502, TocLengthField::Dll);
        assert_eq!(
            toc,
            [
                0x00, 0x0A, 0x01, 0x01, 0x00, 0x10, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x10, 0xAA, 0x00, 0x00,
                0x05, 0x02, 0x02
            ]
        );
    }

    #[test]
    fn mmc_length_field_is_8n_plus_10() {
        let toc = expected_toc(&[(0, 300), (452, 300)], 754, TocLengthField::Mmc);
        assert_eq!(toc.len(), 28);
        assert_eq!(&toc[..4], &[0, 26, 1, 2]);
    }
}
