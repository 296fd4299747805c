//! The session members of the format object: PrepareMedia, AddAudioTrack, ReleaseMedia, and
//! what a dropped prepared object leaves behind.

use std::sync::atomic::Ordering;

use super::clock::{TrackTimeline, FIRST_TRACK_PREPARE_S, LATER_TRACK_PREPARE_S, VERIFY_S};
use super::disc::Disc;
use super::drive::client_name_is_valid;
use super::format::{bound, not_writing, session, SimFormat};
use super::layout::{clamp_lba as sat, FIRST_PREGAP};
use super::state::{Bound, FormatState, SessionCache, TaoState};
use super::toc::TocImage;
use super::write::{announce, write_track, TrackEnd, TrackPlan, WriteContext};
use crate::contract::{
    AudioStream, BurnVerificationLevel, DeviceFaultKind, DeviceFaultOutcome, TaoWriteAction, DEVICE_NOT_CONNECTED,
};
use crate::hresult::{HrResult, Hresult};
use crate::msf::SECTOR_BYTES;
use crate::profile::{
    Calibration, DiscState, DropWhilePrepared, FreeAfterTrack, RequestedSpeedAfterPrepare, ShortTrack,
    UsedSectorsFormula,
};

/// At most 99 tracks (spec section 4).
const MAX_TRACKS: i32 = 99;

/// The values PrepareMedia caches for a blank disc (spec 2): track count 0, Total = LPL + 150,
/// Free = LPL - run_out (2 by default), Used per the calibrated formula, the TOC image zeroed.
fn prepared_values(disc: &Disc, calibration: &Calibration) -> SessionCache {
    let mut cache = SessionCache { total: 0, free: 0, used: 0, tracks: 0, toc: TocImage::zeroed() };
    cache_space(&mut cache, disc, calibration);
    cache
}

/// Total, Free and Used from what the drive reports for `disc` (spec 2 and 4): Free = LPL -
/// run_out - S(next) (`layout`), or what the DLL's formula over an NWA without the pause gives
/// (`dll_nwa`, `pause` more); signed, never clamped at 0.
fn cache_space(cache: &mut SessionCache, disc: &Disc, calibration: &Calibration) {
    let layout = disc.layout();
    let lpl = i64::from(disc.last_possible_lead_out());
    let last = disc.tracks().last();
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
    cache.total = sat(total);
    cache.free = sat(free);
    cache.used = sat(used);
}

/// The refresh after a track whose write and close both succeeded (spec 2, AddAudioTrack;
/// dll id 55907708427): the track count becomes the disc's (counting an earlier cancelled or
/// failed track too), Free and Used follow the drive, and the TOC image gets the last track's
/// descriptor and the lead-out after it.
fn refresh(cache: &mut SessionCache, disc: &Disc, calibration: &Calibration) {
    let Some(last) = disc.tracks().last() else { return };
    let count = disc.tracks().len() as i32;
    cache.toc.refresh(cache.tracks, last.number as u8, last.start, last.sectors, calibration.toc_length_field);
    cache.tracks = count;
    cache_space(cache, disc, calibration);
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
            st.clear_writing();
        }
    }
}

impl SimFormat {
    /// PrepareMedia, in the check order of spec section 2. Every call, failed or successful,
    /// resets the pending SetWriteSpeed request (dll id 55697799444, 55607138757).
    pub(crate) fn prepare(&self) -> HrResult<()> {
        let mut st = self.st();
        let pending = std::mem::replace(&mut st.pending_speed, (-1, false));
        if self.calibration(&st).requested_speed_after_prepare == RequestedSpeedAfterPrepare::Reset {
            st.requested_speed = -1;
            st.requested_pure_cav = false;
        }
        // Spec 2, PrepareMedia: R.
        let b = bound(&st)?.clone();
        // Spec 2, PrepareMedia: !P (also while writing). The DLL's cleanup un-prepares the
        // object, but the tray lock and the exclusive-access count the first call took stay.
        if st.is_prepared() {
            st.session = None;
            st.set_state(TaoState::RecorderSet);
            return Err(Hresult::E_IMAPI_DF2TAO_MEDIA_IS_PREPARED);
        }
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
        // (calibration `unset_client_name_is_invalid`); an invalid name surfaces here, the
        // recorder's 0211 mapped to 050F.
        let name = match &st.client_name {
            None if calibration.unset_client_name_is_invalid => {
                return Err(Hresult::E_IMAPI_DF2TAO_CLIENT_NAME_IS_NOT_VALID)
            }
            None => String::new(),
            Some(n) if !client_name_is_valid(n) => return Err(Hresult::E_IMAPI_DF2TAO_CLIENT_NAME_IS_NOT_VALID),
            Some(n) => n.clone(),
        };
        let values = prepared_values(disc, calibration);
        // Spec 2 and 8: acquire exclusive access (force = TRUE) through the recorder object given
        // to put_Recorder: a lock that object holds adds one, another object's lock is LOCKED.
        state.acquire(b.client, &name)?;
        // Lock the tray and apply the pending speed request. Nothing below fails, so on failure
        // nothing stays locked.
        state.tray_locked = true;
        state.speed_setting = pending.0;
        drop(state);
        st.session = Some(values);
        st.set_state(TaoState::Prepared);
        Ok(())
    }

    /// AddAudioTrack, in the check order of spec section 2, then the write.
    pub(crate) fn add_track(&self, data: &mut dyn AudioStream) -> HrResult<()> {
        let (plan, b) = self.check_add(data)?;
        let drive = &b.drive;
        let calibration = &drive.profile().calibration;
        let sinks = self.sinks();
        let ctx = WriteContext { format: self, sinks: &sinks, cancel: &self.cancel, drive };
        // Spec 3: PREPARING, before the writing flag is set: the handler's calls answer as when
        // not writing (a nested AddAudioTrack writes a whole track here).
        announce(&ctx, &plan, TaoWriteAction::Preparing, 0);
        let plan = {
            let mut st = self.st();
            // The handler released or re-prepared the object: there is no session to write in.
            session(&st)?;
            not_writing(&st)?;
            let state = drive.state();
            // A drive that lost power writes nothing.
            if state.power_lost {
                return Err(DEVICE_NOT_CONNECTED);
            }
            let disc = state.disc()?;
            // Spec 2 \[choice\] `hundredth_track_result`: the limit was checked before PREPARING
            // only; with 99 tracks on the disc the drive refuses the next track's address, and
            // the call returns before the write and the close (dll id 55622866541).
            if disc.tracks().len() >= MAX_TRACKS as usize {
                return calibration.hundredth_track_result.into_result().map(drop);
            }
            // Spec 2: the NWA of the next track, fetched after PREPARING.
            let start = disc.next_track_start();
            let room = i64::from(disc.last_possible_lead_out()) - i64::from(disc.layout().run_out) - i64::from(start);
            let disc_track = disc.tracks().len() as u32 + 1;
            let pregap = disc.layout().pregap(disc_track == 1);
            drop(state);
            // Spec 2: the writing flag is set.
            self.cancel.store(false, Ordering::Release);
            st.set_state(TaoState::Writing);
            TrackPlan { disc_track, start, pregap, capacity: room.max(0) as u64, ..plan }
        };
        let mut guard = WritingGuard { format: self, armed: true };
        let outcome = write_track(&ctx, plan, data);

        let mut st = self.st();
        let cancelled = self.cancel.swap(false, Ordering::AcqRel) || outcome.end == TrackEnd::Cancelled;
        // Spec 2, CancelAddTrack \[choice\] `cancelled_track_kept`: the track is closed short.
        let keep = outcome.on_disc > 0
            && match outcome.end {
                TrackEnd::Complete | TrackEnd::Cancelled => !cancelled || calibration.cancelled_track_kept,
                TrackEnd::StreamFailed | TrackEnd::DeviceFailed | TrackEnd::Faulted(_) => true,
            };
        let succeeded = outcome.end == TrackEnd::Complete && !cancelled;
        let mut state = drive.state();
        if keep {
            if let Ok(disc) = state.disc_mut() {
                disc.append_track(outcome.on_disc as u32, Some(outcome.digest));
                if let TrackEnd::Faulted(_) = outcome.end {
                    // A device fault interrupted the write: what reached the disc stays, damaged.
                    disc.mark_last_track_damaged();
                }
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
        // Spec 2: the writing flag is cleared after FINISHING.
        st.clear_writing();
        guard.armed = false;
        // Spec 2: the cache is refreshed only after a track whose write and close both
        // succeeded; after a cancel or a failure it keeps its pre-call values.
        let mut refreshed = false;
        if succeeded {
            if let (Some(cache), Ok(disc)) = (st.session.as_mut(), state.disc()) {
                refresh(cache, disc, calibration);
                refreshed = true;
            }
        }
        drop(state);
        drop(st);
        // Spec 3: VERIFYING with QUICK verification only, after the refresh.
        if refreshed && plan.timeline.level == BurnVerificationLevel::Quick {
            announce(&ctx, &plan, TaoWriteAction::Verifying, outcome.written);
            let clock = drive.clock();
            clock.advance_to(clock.now_ms() + VERIFY_S * 1000);
        }
        match outcome.end {
            TrackEnd::Faulted(_) => Err(fault_result.unwrap_or(Hresult::E_FAIL)),
            TrackEnd::StreamFailed => Err(Hresult::E_FAIL),
            TrackEnd::DeviceFailed => Err(Hresult::E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE),
            TrackEnd::Complete | TrackEnd::Cancelled if cancelled => calibration.cancel_result.into_result().map(drop),
            TrackEnd::Complete | TrackEnd::Cancelled => Ok(()),
        }
    }

    /// AddAudioTrack's checks (spec 2, none touches the disc) and the plan they give; the start
    /// is a placeholder until the NWA is fetched after PREPARING.
    fn check_add(&self, data: &mut dyn AudioStream) -> HrResult<(TrackPlan, Bound)> {
        let mut st = self.st();
        // Spec 2, AddAudioTrack: not prepared -> MEDIA_IS_NOT_PREPARED.
        let cache = session(&st)?.clone();
        // Spec 2: writing -> WRITE_IN_PROGRESS (re-entrant call from a handler or a thread). On
        // its way out the rejected call clears the outer call's writing flag \[choice\]
        // `rejected_nested_add_clears_writing`.
        if let Err(wip) = not_writing(&st) {
            if self.calibration(&st).rejected_nested_add_clears_writing {
                st.clear_writing();
            }
            return Err(wip);
        }
        // Spec 2: 99 tracks already (cached count) -> TRACK_LIMIT_REACHED.
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
        // Spec 2: N > cached Free -> NOT_ENOUGH_SPACE, N exact, compared signed.
        if data_sectors as i64 > i64::from(cache.free) {
            return Err(Hresult::E_IMAPI_DF2TAO_NOT_ENOUGH_SPACE);
        }
        let b = bound(&st)?.clone();
        let drive = &b.drive;
        let calibration = &drive.profile().calibration;
        let state = drive.state();
        let media = state.media_type();
        let plan = TrackPlan {
            number: cache.tracks + 1,
            disc_track: 0,
            start: state.disc().map_or(0, |d| d.next_track_start()),
            pregap: 0,
            data_sectors,
            // Spec 2 \[choice\] `short_track`: what the drive records for a short track.
            padded_to: match calibration.short_track {
                ShortTrack::DrivePads => u64::from(calibration.min_track_sectors),
                ShortTrack::AsWritten => 0,
            },
            capacity: 0,
            timeline: TrackTimeline {
                // Spec 3: ElapsedTime restarts at each track's PREPARING.
                start_ms: drive.clock().now_ms(),
                // Spec 3: power calibration before the first track, 1 s before the others.
                prepare_s: if cache.tracks == 0 { FIRST_TRACK_PREPARE_S } else { LATER_TRACK_PREPARE_S },
                // Spec 3: every call asks the drive for its current speed (0: unknown).
                speed: drive.effective_speed(state.speed_setting, media).max(0) as u64,
                sectors: data_sectors,
                level: st.verification,
            },
            interval_ms: u64::from(drive.profile().update_interval_ms),
            buffer_bytes: drive.profile().buffer_bytes,
            underrun_protected: drive.profile().buffer_underrun_free && !st.buffer_underrun_free_disabled,
        };
        drop(state);
        Ok((plan, b))
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
        let mut state = b.drive.state();
        if close {
            if let Ok(disc) = state.disc_mut() {
                // Spec 2, ReleaseMedia: the session is closed if a track was written, counting a
                // cancelled or failed one that the cache leaves out (it is on the disc).
                // \[choice\] `release_without_tracks_keeps_blank`: no track, disc stays blank.
                if !disc.tracks().is_empty() || !calibration.release_without_tracks_keeps_blank {
                    disc.close_session(!st.do_not_finalize_media);
                }
            }
        }
        // Spec 8: ReleaseMedia releases through the recorder object; the tray may move again.
        let _ = state.release(b.client);
        state.tray_locked = false;
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
