//! Track-at-once layout arithmetic (spec section 4): where tracks start, where the lead-out goes.

use crate::profile::Calibration;

/// Sectors of the first track's mandatory pregap (LBA -150..-1 on the first session).
pub(crate) const FIRST_PREGAP: u32 = 150;
/// Sectors between the first session's lead-out start and the next session's first address.
pub(crate) const NEXT_SESSION_GAP: i32 = 11_400;

/// The gaps a track-at-once writer leaves between tracks (calibration `pause_sectors` and
/// `run_out_sectors`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct Layout {
    /// Pause (pregap) before every track after the first.
    pub pause: u32,
    /// Run-out blocks after each track's data.
    pub run_out: u32,
}

impl Layout {
    /// The layout a drive with this calibration writes.
    pub(crate) fn from_calibration(calibration: &Calibration) -> Layout {
        Layout { pause: calibration.pause_sectors, run_out: calibration.run_out_sectors }
    }

    /// Pregap of a track: 150 for the first, the pause for the others.
    pub(crate) fn pregap(&self, first: bool) -> u32 {
        if first {
            FIRST_PREGAP
        } else {
            self.pause
        }
    }

    /// The address after a track's data and run-out: the NWA while the session is open, and the
    /// lead-out start when the session closes after it (`S(N) + L(N) + run_out`).
    pub(crate) fn end_of(&self, start: i32, sectors: u32) -> i32 {
        clamp_lba(i64::from(start) + i64::from(sectors) + i64::from(self.run_out))
    }

    /// Start of the next track: 0 on a blank session, else `S(k) + L(k) + run_out + pause`.
    pub(crate) fn next_start(&self, last: Option<(i32, u32)>) -> i32 {
        match last {
            None => 0,
            Some((start, sectors)) => clamp_lba(i64::from(self.end_of(start, sectors)) + i64::from(self.pause)),
        }
    }
}

/// An LBA from wide arithmetic, saturated into `i32`.
pub(crate) fn clamp_lba(v: i64) -> i32 {
    v.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_layout_puts_152_sectors_between_tracks() {
        let l = Layout::from_calibration(&Calibration::default());
        assert_eq!(l.next_start(None), 0);
        assert_eq!(l.next_start(Some((0, 22_500))), 22_652);
        assert_eq!(l.end_of(0, 22_500), 22_502);
        assert_eq!(l.pregap(true), 150);
        assert_eq!(l.pregap(false), 150);
    }
}
