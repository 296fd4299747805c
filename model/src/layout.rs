//! Disc layout arithmetic of track-at-once (spec section 4) and the bytes of
//! ExpectedTableOfContents (spec section 2): pure functions of the calibration and the tracks.

use cdr_sim::profile::{Calibration, FreeAfterTrack, TocLengthField, UsedSectorsFormula};
use cdr_sim::Msf;

/// The first track's mandatory pregap (spec 1: 2 s, LBA -150..-1 on the first session).
pub const FIRST_PREGAP: i32 = 150;

/// The layout constants a drive's calibration fixes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Layout {
    /// Last possible lead-out LBA (ATIP).
    pub lpl: i32,
    /// Run-out blocks after each track (spec 4 \[choice\], default 2).
    pub run_out: i32,
    /// Pause before every track after the first (spec 4 \[choice\], default 150).
    pub pause: i32,
    /// How Free is refreshed after a track (spec 4 \[choice\]).
    pub free_after_track: FreeAfterTrack,
    /// How Used is computed (spec 2 \[choice\]).
    pub used: UsedSectorsFormula,
    /// The TOC header's length field (spec 2 \[choice\]).
    pub toc_length: TocLengthField,
}

impl Layout {
    /// The layout of a disc with last possible lead-out `lpl` under `cal`.
    pub fn new(lpl: i32, cal: &Calibration) -> Layout {
        Layout {
            lpl,
            run_out: cal.run_out_sectors as i32,
            pause: cal.pause_sectors as i32,
            free_after_track: cal.free_after_track,
            used: cal.used_sectors,
            toc_length: cal.toc_length_field,
        }
    }

    /// Spec 2, PrepareMedia: Total = LPL + 150.
    pub fn total(&self) -> i32 {
        self.lpl + FIRST_PREGAP
    }

    /// Spec 4: S1 = 0; S(k+1) = S(k) + L(k) + run-out + pause (152 by default).
    pub fn next_start(&self, last: Option<(i32, i32)>) -> i32 {
        match last {
            None => 0,
            Some((start, len)) => start + len + self.run_out + self.pause,
        }
    }

    /// Spec 4: Free for the next track. With no track yet: LPL - 2 (spec 2, PrepareMedia).
    /// After a track, `layout`: LPL - 2 - S(next); `dll_nwa`: what the DLL's formula reports
    /// over an NWA that leaves the pause out, which the spec states as the pause (150 sectors)
    /// more than the layout leaves.
    ///
    /// (The spec writes the DLL's formula as (LPL + 150) - NWA - 2; with NWA = S(k) + L(k) + 2
    /// that is 300 more than the layout, not 150: the formula and its stated effect disagree.
    /// The model follows the stated effect, which the calibration setting documents too.)
    pub fn free(&self, last: Option<(i32, i32)>) -> i32 {
        match (last, self.free_after_track) {
            (None, _) => self.lpl - self.run_out,
            (Some(_), FreeAfterTrack::Layout) => self.lpl - self.run_out - self.next_start(last),
            (Some(_), FreeAfterTrack::DllNwa) => self.lpl - self.run_out - self.next_start(last) + self.pause,
        }
    }

    /// Spec 2, UsedSectorsOnMedia \[choice\]: `total_minus_free` (default) is Total - Free;
    /// `written_only` counts what the written tracks occupy with their overhead: the first
    /// pregap, every track with its run-out and the pause that follows it (up to the next
    /// track's start); 0 on a blank disc.
    pub fn used(&self, last: Option<(i32, i32)>) -> i32 {
        match (self.used, last) {
            (UsedSectorsFormula::TotalMinusFree, _) => self.total() - self.free(last),
            (UsedSectorsFormula::WrittenOnly, None) => 0,
            (UsedSectorsFormula::WrittenOnly, Some(_)) => FIRST_PREGAP + self.next_start(last),
        }
    }

    /// Spec 4: lead-out = S(N) + L(N) + run-out.
    pub fn lead_out(&self, last: (i32, i32)) -> i32 {
        last.0 + last.1 + self.run_out
    }
}

/// The ExpectedTableOfContents image a prepared format object caches (spec 2): zeroed at
/// PrepareMedia and written only by the refresh after a successful track, which writes the
/// header, that track's descriptor and the lead-out descriptor after it. Descriptors of earlier
/// tracks stay as earlier refreshes left them, so after a cancelled or failed track k and a
/// successful track k+1, descriptor k is all zero (k = 1) or still the lead-out that track
/// k-1's refresh put there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TocImage {
    header: [u8; 4],
    /// Descriptor slots: track k at index k-1; the lead-out after the last track.
    slots: [[u8; 8]; 100],
}

/// The lead-out descriptor sits at last start + last size + 2: the DLL's prediction, whatever
/// the drive's run-out (spec 2, ExpectedTableOfContents).
const TOC_LEAD_OUT_GAP: i32 = 2;

impl TocImage {
    /// The image PrepareMedia leaves: all zero.
    pub fn zeroed() -> TocImage {
        TocImage { header: [0; 4], slots: [[0; 8]; 100] }
    }

    /// The refresh after a successful track: `before` is the cached track count before it, `n`
    /// the count after it, and (`start`, `sectors`) the last track as the drive reports it.
    pub fn refresh(&mut self, before: u32, n: u32, last: (i32, i32), field: TocLengthField) {
        let length = match field {
            TocLengthField::Dll => 8 * before + 10,
            TocLengthField::Mmc => 8 * n + 10,
        } as u16;
        let [hi, lo] = length.to_be_bytes();
        self.header = [hi, lo, 1, n as u8];
        let descriptor = |number: u8, lba: i32| {
            let msf = Msf::from_frames(lba + FIRST_PREGAP);
            [0, 0x10, number, 0, 0, msf.m, msf.s, msf.f]
        };
        let k = n as usize;
        self.slots[k - 1] = descriptor(n as u8, last.0);
        if k < self.slots.len() {
            self.slots[k] = descriptor(0xAA, last.0 + last.1 + TOC_LEAD_OUT_GAP);
        }
    }

    /// The bytes ExpectedTableOfContents returns with `n` cached tracks (n >= 1): 8n + 12.
    pub fn bytes(&self, n: u32) -> Vec<u8> {
        let mut out = Vec::with_capacity(8 * n as usize + 12);
        out.extend_from_slice(&self.header);
        for slot in self.slots.iter().take(n as usize + 1) {
            out.extend_from_slice(slot);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cdr80() -> Layout {
        Layout::new(359_847, &Calibration::default())
    }

    /// The worked example of the simulator's issue: blank cdr80, one track of 22,500 sectors.
    #[test]
    fn worked_example_cdr80_one_track() {
        let l = cdr80();
        assert_eq!(l.total(), 359_997);
        assert_eq!(l.free(None), 359_845);
        assert_eq!(l.used(None), 152);
        let t = (l.next_start(None), 22_500);
        assert_eq!(t.0, 0);
        assert_eq!(l.free(Some(t)), 337_193);
        assert_eq!(l.used(Some(t)), 22_804);
        let mut image = TocImage::zeroed();
        image.refresh(0, 1, t, TocLengthField::Dll);
        let toc = image.bytes(1);
        assert_eq!(
            toc,
            [
                0x00, 0x0A, 0x01, 0x01, 0x00, 0x10, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x10, 0xAA, 0x00, 0x00,
                0x05, 0x02, 0x02
            ]
        );
        assert_eq!(l.lead_out(t), 22_502);
    }

    #[test]
    fn tracks_follow_with_run_out_and_pause() {
        let l = cdr80();
        let t1 = (0, 1000);
        let s2 = l.next_start(Some(t1));
        assert_eq!(s2, 1152);
        assert_eq!(l.free(Some(t1)), 359_847 - 2 - 1152);
    }

    #[test]
    fn dll_nwa_free_reports_the_pause_more() {
        let cal = Calibration { free_after_track: FreeAfterTrack::DllNwa, ..Calibration::default() };
        let l = Layout::new(359_847, &cal);
        let t = (0, 1000);
        assert_eq!(l.free(Some(t)), cdr80().free(Some(t)) + 150);
    }

    #[test]
    fn mmc_toc_length_is_eight_more() {
        let mut image = TocImage::zeroed();
        image.refresh(0, 1, (0, 300), TocLengthField::Mmc);
        image.refresh(1, 2, (452, 300), TocLengthField::Mmc);
        let toc = image.bytes(2);
        assert_eq!(toc.len(), 8 * 2 + 12);
        assert_eq!(&toc[..4], &[0, 26, 1, 2]);
        // Second track at LBA 452 = 452 + 150 frames = 00:08:02.
        assert_eq!(&toc[12..20], &[0, 0x10, 2, 0, 0, 0, 8, 2]);
    }

    /// Spec 2, ExpectedTableOfContents: after a cancelled track 1 and a successful track 2, the
    /// header says 8 * 0 + 10 and descriptor 1 is all zero; after a cancelled track 2 and a
    /// successful track 3, descriptor 2 is still track 1's lead-out.
    #[test]
    fn a_refresh_after_a_cancelled_track_leaves_its_descriptor_stale() {
        let mut image = TocImage::zeroed();
        image.refresh(0, 2, (452, 300), TocLengthField::Dll);
        let toc = image.bytes(2);
        assert_eq!(&toc[..4], &[0, 10, 1, 2]);
        assert_eq!(&toc[4..12], &[0; 8]);
        assert_eq!(&toc[12..20], &[0, 0x10, 2, 0, 0, 0, 8, 2]);
        let mut image = TocImage::zeroed();
        image.refresh(0, 1, (0, 300), TocLengthField::Dll);
        image.refresh(1, 3, (904, 300), TocLengthField::Dll);
        let toc = image.bytes(3);
        assert_eq!(&toc[..4], &[0, 18, 1, 3]);
        // Slot 2: the lead-out of track 1, at 302 + 150 frames = 00:06:02.
        assert_eq!(&toc[12..20], &[0, 0x10, 0xAA, 0, 0, 0, 6, 2]);
    }

    #[test]
    fn written_only_used_is_zero_on_blank() {
        let cal = Calibration { used_sectors: UsedSectorsFormula::WrittenOnly, ..Calibration::default() };
        let l = Layout::new(359_847, &cal);
        assert_eq!(l.used(None), 0);
        assert_eq!(l.used(Some((0, 22_500))), 150 + 22_500 + 2 + 150);
    }
}
