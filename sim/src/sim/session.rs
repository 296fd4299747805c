//! The session members of the format object: PrepareMedia, AddAudioTrack, ReleaseMedia, and
//! what a dropped prepared object leaves behind.

use std::sync::atomic::Ordering;

use super::clock::{TrackTimeline, FIRST_TRACK_PREPARE_S, LATER_TRACK_PREPARE_S};
use super::disc::Disc;
use super::drive::client_name_is_valid;
use super::format::{bound, not_prepared, not_writing, session, SimFormat};
use super::layout::FIRST_PREGAP;
use super::state::{FormatState, SessionCache, TaoState};
use super::toc::expected_toc;
use super::write::{write_track, TrackEnd, TrackPlan, WriteContext};
use crate::contract::{AudioStream, BurnVerificationLevel, DeviceFaultKind, DeviceFaultOutcome, DEVICE_NOT_CONNECTED};
use crate::hresult::{HrResult, Hresult};
use crate::msf::SECTOR_BYTES;
use crate::profile::{Calibration, DiscState, DropWhilePrepared, FreeAfterTrack, UsedSectorsFormula};

/// At most 99 tracks (spec section 4).
const MAX_TRACKS: i32 = 99;

/// The session values the format object reports for `disc` (spec 2 and 4): Total = LPL + 150;
/// Free = LPL - run_out - S(next) (`layout`), or what the DLL's formula over an NWA without
/// the pause gives (`dll_nwa`, `pause` more); Used per the calibrated formula; the TOC once a
/// track exists.
fn session_values(disc: &Disc, calibration: &Calibration) -> SessionCache {
    let layout = disc.layout();
    let lpl = i64::from(disc.last_possible_lead_out());
    let tracks = disc.tracks();
    let last = tracks.last();
    let next_start = i64::from(disc.next_track_start());
    let total = lpl + i64::from(FIRST_PREGAP);
    let free = match (calibration.free_after_track, last) {
        (FreeAfterTrack::DllNwa, Some(t)) => {
            lpl - i64::from(layout.run_out) - i64::from(layout.end_of(t.start, t.sectors))
        }
        (FreeAfterTrack::Layout, _) | (FreeAfterTrack::DllNwa, None) => lpl - i64::from(layout.run_out) - next_start,
    };
    let used = match (calibration.used_sectors, last) {
        (UsedSectorsFormula::TotalMinusFree, _) => total - free,
        (UsedSectorsFormula::WrittenOnly, None) => 0,
        (UsedSectorsFormula::WrittenOnly, Some(_)) => i64::from(FIRST_PREGAP) + next_start,
    };
    let toc = last.map(|t| {
        let starts: Vec<(i32, u32)> = tracks.iter().map(|t| (t.start, t.sectors)).collect();
        expected_toc(&starts, layout.end_of(t.start, t.sectors), calibration.toc_length_field)
    });
    SessionCache { total: sat(total), free: sat(free), used: sat(used), tracks: tracks.len() as i32, toc }
}

fn sat(v: i64) -> i32 {
    v.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32
}

/// Puts the format object back into "prepared" if an Update handler panics mid-write.
struct WritingGuard<'a> {
    format: &'a SimFormat,
    armed: bool,
}

impl Drop for WritingGuard<'_> {
    fn drop(&mut self) {
        if self.armed {
            let mut st = self.format.st();
            if st.state() == TaoState::Writing {
                st.set_state(TaoState::Prepared);
            }
        }
    }
}

impl SimFormat {
    /// PrepareMedia, in the check order of spec section 2.
    pub(crate) fn prepare(&self) -> HrResult<()> {
        let mut st = self.st();
        // Spec 2, PrepareMedia: R.
        let b = bound(&st)?.clone();
        // Spec 2, PrepareMedia: !P (also while writing).
        not_prepared(&st)?;
        let drive = &b.drive;
        let calibration = &drive.profile().calibration;
        let mut state = drive.state();
        // A drive that lost power answers no command.
        if state.power_lost {
            return Err(DEVICE_NOT_CONNECTED);
        }
        // Spec 2, PrepareMedia \[choice\]: no media -> calibration `prepare_no_media`.
        let disc = state.disc().map_err(|_| calibration.prepare_no_media)?;
        // The drive cannot read a disc inserted upside down.
        if disc.upside_down() {
            return Err(Hresult::E_IMAPI_RECORDER_MEDIA_UPSIDE_DOWN);
        }
        // Spec 2: physical media type not CD-R/CD-RW (or not writable in this drive).
        if !disc.media_type().is_writable_cd() || !drive.can_write(disc.media_type()) {
            return Err(Hresult::E_IMAPI_DF2TAO_MEDIA_IS_NOT_SUPPORTED);
        }
        // Spec 2: disc not blank (TAO never appends to a used disc).
        if disc.status() != DiscState::Blank {
            return Err(Hresult::E_IMAPI_DF2TAO_MEDIA_IS_NOT_BLANK);
        }
        if disc.write_protected() {
            return Err(Hresult::E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED);
        }
        // Spec 2, put_ClientName \[choice\]: a name never set counts as empty and is invalid
        // (calibration `unset_client_name_is_invalid`); an invalid name surfaces here.
        let name = match &st.client_name {
            None if calibration.unset_client_name_is_invalid => {
                return Err(Hresult::E_IMAPI_DF2TAO_CLIENT_NAME_IS_NOT_VALID)
            }
            None => String::new(),
            Some(n) if !client_name_is_valid(n) => return Err(Hresult::E_IMAPI_DF2TAO_CLIENT_NAME_IS_NOT_VALID),
            Some(n) => n.clone(),
        };
        // Spec 2: a lock held by another client -> E_IMAPI_RECORDER_LOCKED.
        if state.locked_by_other(self.client) {
            return Err(Hresult::E_IMAPI_RECORDER_LOCKED);
        }
        let values = session_values(disc, calibration);
        // Spec 2: acquire exclusive access, lock the tray, re-apply the requested speed. All
        // checks are done: nothing below fails, so on failure nothing stays locked.
        state.acquire(self.client, &name)?;
        state.tray_locked_by = Some(self.client);
        state.speed_setting = st.requested_speed;
        drop(state);
        st.session = Some(values);
        st.set_state(TaoState::Prepared);
        Ok(())
    }

    /// AddAudioTrack, in the check order of spec section 2, then the write.
    pub(crate) fn add_track(&self, data: &mut dyn AudioStream) -> HrResult<()> {
        let mut st = self.st();
        // Spec 2, AddAudioTrack: not prepared -> MEDIA_IS_NOT_PREPARED.
        let cache = session(&st)?.clone();
        // Spec 2: writing -> WRITE_IN_PROGRESS (re-entrant call from a handler or a thread).
        not_writing(&st)?;
        // Spec 2: 99 tracks already -> TRACK_LIMIT_REACHED.
        if cache.tracks >= MAX_TRACKS {
            return Err(Hresult::E_IMAPI_DF2TAO_TRACK_LIMIT_REACHED);
        }
        // Spec 2: size unknown, 0, not a multiple of 2352, or over 2^31-1 sectors.
        let data_sectors = match data.size() {
            Some(size)
                if size > 0 && size % SECTOR_BYTES as u64 == 0 && size / (SECTOR_BYTES as u64) <= i32::MAX as u64 =>
            {
                size / SECTOR_BYTES as u64
            }
            _ => return Err(Hresult::E_IMAPI_DF2TAO_STREAM_NOT_SUPPORTED),
        };
        let b = bound(&st)?.clone();
        let drive = &b.drive;
        let calibration = &drive.profile().calibration;
        // Spec 2 \[choice\] `pad_short_tracks`: short tracks are padded with silence.
        let sectors = match calibration.pad_short_tracks {
            true => data_sectors.max(u64::from(calibration.min_track_sectors)),
            false => data_sectors,
        };
        // Spec 2: sectors > cached Free -> NOT_ENOUGH_SPACE. None of the checks touched the disc.
        if sectors as i64 > i64::from(cache.free) {
            return Err(Hresult::E_IMAPI_DF2TAO_NOT_ENOUGH_SPACE);
        }
        let plan = {
            let state = drive.state();
            // A drive that lost power writes nothing.
            if state.power_lost {
                return Err(DEVICE_NOT_CONNECTED);
            }
            let disc = state.disc()?;
            let start = disc.next_track_start();
            let room = i64::from(disc.last_possible_lead_out()) - i64::from(disc.layout().run_out) - i64::from(start);
            TrackPlan {
                number: cache.tracks + 1,
                start,
                pregap: disc.layout().pregap(cache.tracks == 0),
                data_sectors,
                sectors,
                capacity: room.max(0) as u64,
                timeline: TrackTimeline {
                    start_ms: drive.clock().now_ms(),
                    // Spec 3: power calibration before the first track, 1 s before the others.
                    prepare_s: if cache.tracks == 0 { FIRST_TRACK_PREPARE_S } else { LATER_TRACK_PREPARE_S },
                    speed: drive.effective_speed(state.speed_setting, Some(disc.media_type())).max(1) as u64,
                    sectors,
                    verify: st.verification != BurnVerificationLevel::None,
                },
                interval_ms: u64::from(drive.profile().update_interval_ms),
                buffer_bytes: drive.profile().buffer_bytes,
                underrun_protected: drive.profile().buffer_underrun_free && !st.buffer_underrun_free_disabled,
            }
        };
        // Spec 2: prepared -> writing for the length of the call.
        self.cancel.store(false, Ordering::Release);
        st.set_state(TaoState::Writing);
        drop(st);
        let mut guard = WritingGuard { format: self, armed: true };
        let sinks = self.sinks();
        let ctx = WriteContext { format: self, sinks: &sinks, cancel: &self.cancel, drive };
        let outcome = write_track(&ctx, plan, data);

        let mut st = self.st();
        let cancelled = self.cancel.swap(false, Ordering::AcqRel);
        let cancelled = cancelled || outcome.end == TrackEnd::Cancelled;
        // Spec 2, CancelAddTrack \[choice\] `cancelled_track_kept`: the track is closed short.
        let keep = outcome.written > 0
            && match outcome.end {
                TrackEnd::Complete | TrackEnd::Cancelled => !cancelled || calibration.cancelled_track_kept,
                TrackEnd::StreamFailed | TrackEnd::DeviceFailed | TrackEnd::Faulted(_) => true,
            };
        let mut state = drive.state();
        if keep {
            if let Ok(disc) = state.disc_mut() {
                disc.append_track(outcome.written as u32, Some(outcome.digest));
                if let TrackEnd::Faulted(_) = outcome.end {
                    // A device fault interrupted the write: what reached the disc stays, damaged.
                    disc.mark_last_track_damaged();
                }
                // Spec 2: the cached Free, track count and TOC are refreshed after the track.
                st.session = Some(session_values(disc, calibration));
            }
        }
        let fault_result = match outcome.end {
            TrackEnd::Faulted(kind) => {
                let hresult = match kind {
                    DeviceFaultKind::Underrun { .. } => Hresult::E_IMAPI_LOSS_OF_STREAMING,
                    DeviceFaultKind::MediaRemoved => {
                        // The disc is out of the drive's reach, as in an open tray.
                        state.tray_open = true;
                        Hresult::E_IMAPI_RECORDER_MEDIA_NO_MEDIA
                    }
                    DeviceFaultKind::PowerLoss => {
                        state.lose_power();
                        DEVICE_NOT_CONNECTED
                    }
                };
                if let Some(fault) = outcome.fault {
                    drive.faults().record(fault, DeviceFaultOutcome::TrackCut { hresult });
                }
                Some(hresult)
            }
            _ => None,
        };
        drop(state);
        // Spec 2: writing -> prepared when AddAudioTrack returns.
        st.set_state(TaoState::Prepared);
        guard.armed = false;
        match outcome.end {
            TrackEnd::Faulted(_) => Err(fault_result.unwrap_or(Hresult::E_FAIL)),
            TrackEnd::StreamFailed => Err(Hresult::E_FAIL),
            TrackEnd::DeviceFailed => Err(Hresult::E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE),
            TrackEnd::Complete | TrackEnd::Cancelled if cancelled => calibration.cancel_result.into_result().map(drop),
            TrackEnd::Complete | TrackEnd::Cancelled => Ok(()),
        }
    }

    /// ReleaseMedia, in the check order of spec section 2.
    pub(crate) fn release(&self) -> HrResult<()> {
        let mut st = self.st();
        // Spec 2, ReleaseMedia \[choice\]: not prepared -> calibration `release_not_prepared`.
        if !st.is_prepared() {
            return self.calibration(&st).release_not_prepared.into_result().map(drop);
        }
        // Spec 2: writing -> WRITE_IN_PROGRESS.
        not_writing(&st)?;
        self.end_session(&mut st, true);
        Ok(())
    }

    /// Ends a prepared session: with `close`, writes the lead-out when a track exists (and
    /// finalizes unless DoNotFinalizeMedia); always releases the tray lock and exclusive
    /// access, and returns to "recorder set".
    fn end_session(&self, st: &mut FormatState, close: bool) {
        let Some(b) = st.recorder.clone() else { return };
        let calibration = &b.drive.profile().calibration;
        let tracks = st.session.as_ref().map_or(0, |s| s.tracks);
        let mut state = b.drive.state();
        if close {
            if let Ok(disc) = state.disc_mut() {
                // Spec 2 \[choice\] `release_without_tracks_keeps_blank`: no track, disc stays blank.
                if tracks > 0 || !calibration.release_without_tracks_keeps_blank {
                    disc.close_session(!st.do_not_finalize_media);
                }
            }
        }
        state.release_all(self.client);
        drop(state);
        st.session = None;
        // Spec 2: ReleaseMedia returns the object to "recorder set, not prepared".
        st.set_state(TaoState::RecorderSet);
    }
}

impl Drop for SimFormat {
    /// Spec 2 \[choice\] `drop_while_prepared`: a prepared object dropped without ReleaseMedia
    /// releases the lock and tray; the session is left open (or released as ReleaseMedia would).
    fn drop(&mut self) {
        let mut st = self.st();
        if st.is_prepared() {
            let close = self.calibration(&st).drop_while_prepared == DropWhilePrepared::Release;
            self.end_session(&mut st, close);
        }
    }
}
