//! The Update event: from `Invoke`'s arguments to the contract's [`TaoProgress`].
//!
//! IMAPI2 fires `DDiscFormat2TrackAtOnceEvents::Update(object, progress)` through
//! `IDispatch::Invoke` with DISPID 512 ([`DISPID_UPDATE`](crate::codes::DISPID_UPDATE)).
//! Automation passes arguments last-first, so `progress` is `rgvarg[0]` and `object` is
//! `rgvarg[1]` ([`update_argument_slot`]). The Windows code reads the eleven properties of
//! `IDiscFormat2TrackAtOnceEventArgs` into a [`RawTaoProgress`] and [`decode_progress`] does the
//! rest.
//!
//! Values are passed on as the drive reports them: no field is clamped or corrected, because a
//! hardware-lab transcript exists to show what the real stack does (a negative RemainingTime
//! when the estimate runs out is a finding, not noise). Display code clamps where it needs to,
//! as [`TaoProgress::percent`] does. The one lossy step: an action number outside
//! `IMAPI_FORMAT2_TAO_WRITE_ACTION` becomes [`TaoWriteAction::Unknown`], and
//! [`RawTaoProgress::unrecognised_action`] says so.

use cdr_sim::{TaoProgress, TaoWriteAction};

/// The position of `Update`'s arguments in the automation signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UpdateArgument {
    /// The first argument: the format object (`IDispatch` of `IDiscFormat2TrackAtOnce`).
    Object = 0,
    /// The second argument: `IDiscFormat2TrackAtOnceEventArgs`.
    Progress = 1,
}

/// The index into `DISPPARAMS::rgvarg` of `argument` when `c_args` arguments were passed
/// (automation stores them in reverse order); `None` when Update came with fewer than two.
pub fn update_argument_slot(c_args: u32, argument: UpdateArgument) -> Option<usize> {
    if c_args < 2 {
        return None;
    }
    // rgvarg[c_args - 1] is the first argument; Update has exactly two.
    let position = argument as u32;
    usize::try_from(c_args - 1 - position).ok()
}

/// The properties of `IDiscFormat2TrackAtOnceEventArgs` (and its base `IWriteEngine2EventArgs`)
/// exactly as COM returned them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RawTaoProgress {
    /// `CurrentTrackNumber`.
    pub current_track_number: i32,
    /// `CurrentAction` (`IMAPI_FORMAT2_TAO_WRITE_ACTION`).
    pub current_action: i32,
    /// `ElapsedTime`, seconds.
    pub elapsed_time: i32,
    /// `RemainingTime`, seconds.
    pub remaining_time: i32,
    /// `StartLba`.
    pub start_lba: i32,
    /// `SectorCount`.
    pub sector_count: i32,
    /// `LastReadLba`.
    pub last_read_lba: i32,
    /// `LastWrittenLba`.
    pub last_written_lba: i32,
    /// `TotalSystemBuffer`.
    pub total_system_buffer: i32,
    /// `UsedSystemBuffer`.
    pub used_system_buffer: i32,
    /// `FreeSystemBuffer`.
    pub free_system_buffer: i32,
}

impl RawTaoProgress {
    /// The action number when it is not one of `IMAPI_FORMAT2_TAO_WRITE_ACTION` (decoded as
    /// UNKNOWN); `None` when it is.
    pub fn unrecognised_action(&self) -> Option<i32> {
        TaoWriteAction::from_value(self.current_action).is_none().then_some(self.current_action)
    }
}

/// The contract's progress record for one Update event.
pub fn decode_progress(raw: &RawTaoProgress) -> TaoProgress {
    TaoProgress {
        current_track_number: raw.current_track_number,
        current_action: TaoWriteAction::from_value(raw.current_action).unwrap_or(TaoWriteAction::Unknown),
        elapsed_time: raw.elapsed_time,
        remaining_time: raw.remaining_time,
        start_lba: raw.start_lba,
        sector_count: raw.sector_count,
        last_read_lba: raw.last_read_lba,
        last_written_lba: raw.last_written_lba,
        total_system_buffer: raw.total_system_buffer,
        used_system_buffer: raw.used_system_buffer,
        free_system_buffer: raw.free_system_buffer,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn writing() -> RawTaoProgress {
        RawTaoProgress {
            current_track_number: 3,
            current_action: 2,
            elapsed_time: 41,
            remaining_time: 170,
            start_lba: 45_304,
            sector_count: 22_500,
            last_read_lba: 50_000,
            last_written_lba: 49_100,
            total_system_buffer: 2_097_152,
            used_system_buffer: 1_048_576,
            free_system_buffer: 1_048_576,
        }
    }

    #[test]
    fn every_field_lands_in_its_place() {
        let p = decode_progress(&writing());
        assert_eq!(
            p,
            TaoProgress {
                current_track_number: 3,
                current_action: TaoWriteAction::Writing,
                elapsed_time: 41,
                remaining_time: 170,
                start_lba: 45_304,
                sector_count: 22_500,
                last_read_lba: 50_000,
                last_written_lba: 49_100,
                total_system_buffer: 2_097_152,
                used_system_buffer: 1_048_576,
                free_system_buffer: 1_048_576,
            }
        );
        assert_eq!(p.percent(), 16);
    }

    #[test]
    fn action_numbers() {
        for (n, action) in [
            (0, TaoWriteAction::Unknown),
            (1, TaoWriteAction::Preparing),
            (2, TaoWriteAction::Writing),
            (3, TaoWriteAction::Finishing),
            (4, TaoWriteAction::Verifying),
        ] {
            let raw = RawTaoProgress { current_action: n, ..writing() };
            assert_eq!(decode_progress(&raw).current_action, action, "{n}");
            assert_eq!(raw.unrecognised_action(), None);
        }
        for n in [5, -1, 0x7FFF_FFFF] {
            let raw = RawTaoProgress { current_action: n, ..writing() };
            assert_eq!(decode_progress(&raw).current_action, TaoWriteAction::Unknown);
            assert_eq!(raw.unrecognised_action(), Some(n));
        }
    }

    #[test]
    fn values_are_not_clamped() {
        // A drive past its estimate reports a negative remaining time; PREPARING reports
        // LastWrittenLba before StartLba. Both reach the transcript unchanged.
        let raw = RawTaoProgress { remaining_time: -4, last_written_lba: -1, current_action: 1, ..writing() };
        let p = decode_progress(&raw);
        assert_eq!(p.remaining_time, -4);
        assert_eq!(p.last_written_lba, -1);
        assert_eq!(p.percent(), 0, "percent clamps for display");
        let past_end = RawTaoProgress { last_written_lba: 45_304 + 30_000, ..writing() };
        assert_eq!(decode_progress(&past_end).percent(), 100);
    }

    #[test]
    fn arguments_arrive_last_first() {
        assert_eq!(update_argument_slot(2, UpdateArgument::Progress), Some(0));
        assert_eq!(update_argument_slot(2, UpdateArgument::Object), Some(1));
        assert_eq!(update_argument_slot(1, UpdateArgument::Progress), None);
        assert_eq!(update_argument_slot(0, UpdateArgument::Object), None);
    }
}
