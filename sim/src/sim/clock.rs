//! Virtual time: advanced by the simulated write, never read from the wall clock.

use std::sync::atomic::{AtomicU64, Ordering};

use crate::contract::BurnVerificationLevel;

/// Milliseconds of virtual time since the drive was created.
#[derive(Debug, Default)]
pub(crate) struct VirtualClock {
    ms: AtomicU64,
}

impl VirtualClock {
    /// Now, in virtual milliseconds.
    pub(crate) fn now_ms(&self) -> u64 {
        self.ms.load(Ordering::Acquire)
    }

    /// Moves time to `ms` (never backwards).
    pub(crate) fn advance_to(&self, ms: u64) {
        self.ms.fetch_max(ms, Ordering::AcqRel);
    }
}

/// Seconds of power calibration before the first track of a session (spec section 3).
pub(crate) const FIRST_TRACK_PREPARE_S: u64 = 21;
/// Seconds of preparation before any later track.
pub(crate) const LATER_TRACK_PREPARE_S: u64 = 1;
/// Finishing allowance (sync cache, close track).
pub(crate) const FINISH_S: u64 = 5;
/// Extra allowance for QUICK verification (8 s in all with finishing).
pub(crate) const VERIFY_S: u64 = 3;
/// The DLL's speed when the drive reports none (or 0): 750 sectors/s, 10x (spec 3).
pub(crate) const FALLBACK_SPEED: u64 = 750;

/// The DLL's time estimate for one track and the virtual time each phase takes (spec
/// section 3): the simulated write takes exactly as long as the estimate says.
#[derive(Clone, Copy, Debug)]
pub(crate) struct TrackTimeline {
    /// Virtual time when AddAudioTrack began.
    pub start_ms: u64,
    /// Seconds of PREPARING (power calibration).
    pub prepare_s: u64,
    /// Effective write speed in sectors per second (0: unknown, the DLL then takes 750).
    pub speed: u64,
    /// Sectors in the track.
    pub sectors: u64,
    /// The burn verification level the track is written with.
    pub level: BurnVerificationLevel,
}

impl TrackTimeline {
    /// Sectors per second the write goes at and the estimate divides by.
    fn rate(&self) -> u64 {
        if self.speed == 0 {
            FALLBACK_SPEED
        } else {
            self.speed
        }
    }

    /// Whole seconds of writing the DLL estimates.
    fn write_s(&self) -> u64 {
        self.sectors / self.rate()
    }

    /// The finishing allowance (spec 3): 5 s, 8 s with QUICK verification, write seconds + 5
    /// with FULL (which only lengthens the estimate).
    pub(crate) fn finish_s(&self) -> u64 {
        match self.level {
            BurnVerificationLevel::None => FINISH_S,
            BurnVerificationLevel::Quick => FINISH_S + VERIFY_S,
            BurnVerificationLevel::Full => self.write_s() + FINISH_S,
        }
    }

    /// Virtual seconds from FINISHING to the end of the close: the allowance without the
    /// verification that follows VERIFYING.
    pub(crate) fn closing_s(&self) -> u64 {
        match self.level {
            BurnVerificationLevel::Quick => FINISH_S,
            BurnVerificationLevel::None | BurnVerificationLevel::Full => self.finish_s(),
        }
    }

    /// Whole seconds the DLL estimates for the track.
    pub(crate) fn estimate_s(&self) -> u64 {
        self.prepare_s + self.write_s() + self.finish_s()
    }

    /// Virtual time when the writing phase begins.
    pub(crate) fn write_start_ms(&self) -> u64 {
        self.start_ms + self.prepare_s * 1000
    }

    /// Virtual time when `written` sectors have been written.
    pub(crate) fn written_ms(&self, written: u64) -> u64 {
        self.write_start_ms() + written * 1000 / self.rate()
    }

    /// The number of sectors written when the `k`-th update interval (1-based) has elapsed.
    pub(crate) fn sectors_at_interval(&self, k: u64, interval_ms: u64) -> u64 {
        (k * interval_ms * self.rate()).div_ceil(1000)
    }

    /// (elapsed, remaining) whole seconds at virtual time `now_ms`.
    pub(crate) fn times_at(&self, now_ms: u64) -> (i32, i32) {
        let elapsed = now_ms.saturating_sub(self.start_ms) / 1000;
        let remaining = self.estimate_s().saturating_sub(elapsed);
        (to_i32(elapsed), to_i32(remaining))
    }
}

fn to_i32(v: u64) -> i32 {
    i32::try_from(v).unwrap_or(i32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn timeline(sectors: u64, speed: u64, verify: bool, first: bool) -> TrackTimeline {
        let prepare_s = if first { FIRST_TRACK_PREPARE_S } else { LATER_TRACK_PREPARE_S };
        let level = if verify { BurnVerificationLevel::Quick } else { BurnVerificationLevel::None };
        TrackTimeline { start_ms: 5_000, prepare_s, speed, sectors, level }
    }

    #[test]
    fn full_verification_adds_the_write_time_and_an_unknown_speed_is_750() {
        let mut t = timeline(22_500, 3_600, false, true);
        t.level = BurnVerificationLevel::Full;
        assert_eq!(t.estimate_s(), 21 + 6 + 6 + 5);
        t.speed = 0;
        t.level = BurnVerificationLevel::None;
        assert_eq!(t.estimate_s(), 21 + 30 + 5);
    }

    #[test]
    fn estimate_is_write_seconds_plus_calibration_plus_finishing() {
        // 22,500 sectors at 48x (3,600 sectors/s): 6 s + 21 s + 5 s.
        assert_eq!(timeline(22_500, 3_600, false, true).estimate_s(), 32);
        assert_eq!(timeline(22_500, 3_600, true, true).estimate_s(), 35);
        assert_eq!(timeline(22_500, 3_600, false, false).estimate_s(), 12);
    }

    #[test]
    fn times_count_from_the_start_of_the_call() {
        let t = timeline(22_500, 3_600, false, true);
        assert_eq!(t.times_at(5_000), (0, 32));
        assert_eq!(t.times_at(26_000), (21, 11));
        assert_eq!(t.times_at(60_000), (55, 0));
    }

    #[test]
    fn the_clock_never_goes_back() {
        let c = VirtualClock::default();
        c.advance_to(10);
        c.advance_to(5);
        assert_eq!(c.now_ms(), 10);
    }
}
