//! ExpectedTableOfContents: READ TOC format 0 with MSF addresses (spec section 2), kept as the
//! shipped DLL keeps it: an image zeroed at PrepareMedia that each refresh after a successful
//! track patches with the last track's descriptor and the lead-out descriptor after it
//! (dll id 55907708427).

use crate::msf::Msf;
use crate::profile::TocLengthField;

/// Control/ADR byte of every descriptor: ADR 1 (Q mode 1), CONTROL 0 (two-channel audio).
const ADR_CONTROL: u8 = 0x10;
/// Track number of the lead-out descriptor.
const LEAD_OUT_TRACK: u8 = 0xAA;
/// The DLL predicts the lead-out 2 sectors after the last track (its `+ 152` in MSF).
const PREDICTED_RUN_OUT: i64 = 2;
/// Descriptor slots: 99 tracks and a lead-out.
const SLOTS: usize = 100;

/// The cached TOC image of a prepared format object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct TocImage {
    header: [u8; 4],
    slots: Vec<[u8; 8]>,
}

impl TocImage {
    /// The image PrepareMedia leaves: all zero.
    pub(crate) fn zeroed() -> TocImage {
        TocImage { header: [0; 4], slots: vec![[0; 8]; SLOTS] }
    }

    /// The refresh after a successful track (spec 2, get_ExpectedTableOfContents): `cached`
    /// tracks were known before it, `last` is the last track on the disc now (`start`, `size`
    /// as the drive reads it back). Only the header, descriptor `last` and the lead-out slot
    /// after it are written; a descriptor skipped by a cancelled or failed track keeps what an
    /// earlier refresh put there.
    pub(crate) fn refresh(&mut self, cached: i32, last: u8, start: i32, size: u32, field: TocLengthField) {
        let length = match field {
            // The DLL writes 8 * (count before the refresh) + 10.
            TocLengthField::Dll => 8 * i64::from(cached) + 10,
            TocLengthField::Mmc => 8 * i64::from(last) + 10,
        };
        let length = length.clamp(0, i64::from(u16::MAX)) as u16;
        self.header = [(length >> 8) as u8, length as u8, 1, last];
        let index = usize::from(last).clamp(1, SLOTS - 1);
        let lead_out = i64::from(start) + i64::from(size) + PREDICTED_RUN_OUT;
        self.slots[index - 1] = descriptor(last, i64::from(start));
        self.slots[index] = descriptor(LEAD_OUT_TRACK, lead_out);
    }

    /// The bytes get_ExpectedTableOfContents returns for `tracks` cached tracks: 8N + 12.
    pub(crate) fn bytes(&self, tracks: i32) -> Vec<u8> {
        let n = usize::try_from(tracks).unwrap_or(0).min(SLOTS - 1);
        let mut toc = Vec::with_capacity(8 * n + 12);
        toc.extend_from_slice(&self.header);
        for slot in &self.slots[..=n] {
            toc.extend_from_slice(slot);
        }
        toc
    }
}

fn descriptor(track: u8, lba: i64) -> [u8; 8] {
    let msf = Msf::from_lba(lba.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32);
    [0, ADR_CONTROL, track, 0, 0, msf.m, msf.s, msf.f]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_track_of_22500_sectors_gives_the_dll_bytes() {
        let mut toc = TocImage::zeroed();
        toc.refresh(0, 1, 0, 22_500, TocLengthField::Dll);
        assert_eq!(
            toc.bytes(1),
            [
                0x00, 0x0A, 0x01, 0x01, 0x00, 0x10, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x10, 0xAA, 0x00, 0x00,
                0x05, 0x02, 0x02
            ]
        );
    }

    #[test]
    fn mmc_length_field_is_8n_plus_10() {
        let mut toc = TocImage::zeroed();
        toc.refresh(0, 1, 0, 300, TocLengthField::Mmc);
        toc.refresh(1, 2, 452, 300, TocLengthField::Mmc);
        let bytes = toc.bytes(2);
        assert_eq!(bytes.len(), 28);
        assert_eq!(&bytes[..4], &[0, 26, 1, 2]);
    }

    #[test]
    fn a_skipped_first_descriptor_stays_zero_and_a_later_one_keeps_the_old_lead_out() {
        // Track 1 cancelled, track 2 refreshed: header 8*0+10, descriptor 1 all zero.
        let mut toc = TocImage::zeroed();
        toc.refresh(0, 2, 452, 300, TocLengthField::Dll);
        let bytes = toc.bytes(2);
        assert_eq!(&bytes[..4], &[0, 10, 1, 2]);
        assert_eq!(&bytes[4..12], &[0; 8]);
        // Track 1 fine, track 2 cancelled, track 3 refreshed: descriptor 2 is track 1's lead-out.
        let mut toc = TocImage::zeroed();
        toc.refresh(0, 1, 0, 300, TocLengthField::Dll);
        toc.refresh(1, 3, 904, 300, TocLengthField::Dll);
        let bytes = toc.bytes(3);
        assert_eq!(&bytes[..4], &[0, 18, 1, 3]);
        assert_eq!(&bytes[12..20], &[0, 0x10, 0xAA, 0, 0, 0, 6, 2]);
    }
}
