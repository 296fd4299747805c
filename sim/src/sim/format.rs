//! `MsftDiscFormat2TrackAtOnce` on the simulator: the properties and the event connection
//! point. The session members (PrepareMedia, AddAudioTrack, ReleaseMedia) are in `session.rs`.
//!
//! Every check cites its rule in `docs/reference/behaviour.md` section 2. Letters as the spec's:
//! **P** needs PrepareMedia, **!W** fails while writing, **!P** fails while prepared, **R**
//! needs a recorder.

use std::any::Any;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use super::drive::{client_name_is_valid, Drive};
use super::recorder::SimRecorder;
use super::state::{Bound, FormatState, SessionCache, TaoState};
use super::sync::lock;
use crate::contract::{
    BurnVerificationLevel, DiscFormat2TrackAtOnce, DiscRecorder2, PhysicalMediaType, SupportAnswer, TaoUpdateSink,
    WriteSpeedDescriptor,
};
use crate::hresult::{HrResult, Hresult};
use crate::profile::{Calibration, DiscState, NoMediaAnswer};

/// `CONNECT_E_NOCONNECTION`: Unadvise with a cookie that names no connection.
const CONNECT_E_NOCONNECTION: Hresult = Hresult(0x8004_0200);

/// A format object. It has no lock of its own: PrepareMedia and ReleaseMedia lock and unlock
/// through the recorder object given to put_Recorder (spec 2 and 8).
pub struct SimFormat {
    /// The drive of the backend that created the object: its calibration answers the questions
    /// asked before a recorder is set.
    pub(crate) home: Arc<Drive>,
    pub(crate) state: Mutex<FormatState>,
    pub(crate) cancel: AtomicBool,
    sinks: Mutex<Vec<(u32, Arc<dyn TaoUpdateSink>)>>,
    next_cookie: AtomicU32,
}

impl SimFormat {
    pub(crate) fn new(home: Arc<Drive>) -> SimFormat {
        let verification = home.profile().calibration.default_verification_level;
        SimFormat {
            home,
            state: Mutex::new(FormatState::new(verification)),
            cancel: AtomicBool::new(false),
            sinks: Mutex::new(Vec::new()),
            next_cookie: AtomicU32::new(1),
        }
    }

    /// The object's current state.
    pub fn tao_state(&self) -> TaoState {
        self.st().state()
    }

    /// The object's last state transitions, oldest first, each as `OLD=>NEW`.
    pub fn transitions(&self) -> Vec<String> {
        self.st().transitions()
    }

    pub(crate) fn st(&self) -> MutexGuard<'_, FormatState> {
        lock(&self.state)
    }

    pub(crate) fn sinks(&self) -> Vec<Arc<dyn TaoUpdateSink>> {
        lock(&self.sinks).iter().map(|(_, s)| Arc::clone(s)).collect()
    }

    /// The calibration in force: the recorder's drive, else the creating backend's.
    pub(crate) fn calibration<'a>(&'a self, st: &'a FormatState) -> &'a Calibration {
        &st.recorder.as_ref().map_or(&self.home, |b| &b.drive).profile().calibration
    }
}

/// R: the recorder, else E_IMAPI_DF2TAO_NO_RECORDER_SPECIFIED.
pub(crate) fn bound(st: &FormatState) -> HrResult<&Bound> {
    st.recorder.as_ref().ok_or(Hresult::E_IMAPI_DF2TAO_NO_RECORDER_SPECIFIED)
}

/// P: the cached session values, else E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED.
pub(crate) fn session(st: &FormatState) -> HrResult<&SessionCache> {
    st.session.as_ref().ok_or(Hresult::E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED)
}

/// !W: E_IMAPI_DF2TAO_WRITE_IN_PROGRESS while AddAudioTrack runs.
pub(crate) fn not_writing(st: &FormatState) -> HrResult<()> {
    match st.state() {
        TaoState::Writing => Err(Hresult::E_IMAPI_DF2TAO_WRITE_IN_PROGRESS),
        _ => Ok(()),
    }
}

/// !P: E_IMAPI_DF2TAO_MEDIA_IS_PREPARED while prepared (and while writing).
pub(crate) fn not_prepared(st: &FormatState) -> HrResult<()> {
    match st.is_prepared() {
        true => Err(Hresult::E_IMAPI_DF2TAO_MEDIA_IS_PREPARED),
        false => Ok(()),
    }
}

/// The drive behind a recorder object of this simulator (None for anything else, or one not
/// initialised).
fn sim_drive(recorder: &dyn DiscRecorder2) -> Option<&Arc<Drive>> {
    SimRecorder::of(recorder).and_then(|r| r.drive().ok())
}

impl DiscFormat2TrackAtOnce for SimFormat {
    fn is_recorder_supported(&self, recorder: &dyn DiscRecorder2) -> HrResult<SupportAnswer> {
        // Spec 2 (dll id 56065615557): TRUE with feature 0x002D, else with mode page 2A's CD
        // write bits; FALSE without GET CONFIGURATION. A recorder the check cannot talk to (not
        // initialised, or not one of this simulator's) is an internal failure: S_FALSE, FALSE.
        Ok(match sim_drive(recorder) {
            Some(d) => SupportAnswer::checked(d.profile().tao_supported()),
            None => SupportAnswer::INTERNAL_FAILURE,
        })
    }

    fn is_current_media_supported(&self, recorder: &dyn DiscRecorder2) -> HrResult<SupportAnswer> {
        // Spec 2 (dll id 56065615557): internal failures answer S_FALSE with FALSE.
        let Some(drive) = sim_drive(recorder) else { return Ok(SupportAnswer::INTERNAL_FAILURE) };
        let state = drive.state();
        let disc = match state.disc() {
            Ok(disc) => disc,
            // Spec 2 \[choice\]: no media is S_OK and FALSE (the DLL), or an error (the docs).
            Err(no_media) => {
                return match drive.profile().calibration.is_current_media_supported_no_media {
                    NoMediaAnswer::Error => Err(no_media),
                    NoMediaAnswer::False => Ok(SupportAnswer::checked(false)),
                }
            }
        };
        // Spec 2: TRUE only for a blank CD-R/RW in a TAO-capable drive (feature 0x002D, or the
        // mode page 2A fallback); appendable is FALSE.
        Ok(SupportAnswer::checked(
            drive.profile().tao_supported()
                && !disc.upside_down()
                && disc.media_type().is_writable_cd()
                && drive.can_write(disc.media_type())
                && disc.status() == DiscState::Blank,
        ))
    }

    fn media_physically_blank(&self) -> HrResult<bool> {
        self.blank_query()
    }

    fn media_heuristically_blank(&self) -> HrResult<bool> {
        // Track-at-once media are write-once or erased whole: heuristics agree with the drive.
        self.blank_query()
    }

    fn supported_media_types(&self) -> HrResult<Vec<PhysicalMediaType>> {
        // Spec 2: CD-R (2) and CD-RW (3).
        Ok(vec![PhysicalMediaType::CdR, PhysicalMediaType::CdRw])
    }

    fn prepare_media(&self) -> HrResult<()> {
        self.prepare()
    }

    fn add_audio_track(&self, data: &mut dyn crate::contract::AudioStream) -> HrResult<()> {
        self.add_track(data)
    }

    fn cancel_add_track(&self) -> HrResult<()> {
        let st = self.st();
        // Spec 2, CancelAddTrack: only while the writing flag is set (so not from PREPARING).
        if st.state() != TaoState::Writing {
            return Err(Hresult::E_IMAPI_DF2TAO_WRITE_NOT_IN_PROGRESS);
        }
        self.cancel.store(true, Ordering::Release);
        Ok(())
    }

    fn release_media(&self) -> HrResult<()> {
        self.release()
    }

    fn set_write_speed(&self, requested_sectors_per_second: i32, rotation_type_is_pure_cav: bool) -> HrResult<Hresult> {
        let mut st = self.st();
        // Spec 2, SetWriteSpeed: needs a recorder (E_IMAPI_RECORDER_REQUIRED).
        let drive = Arc::clone(&st.recorder.as_ref().ok_or(Hresult::E_IMAPI_RECORDER_REQUIRED)?.drive);
        // -1 is the fastest; no other negative speed exists.
        if requested_sectors_per_second < -1 {
            return Err(Hresult::E_INVALIDARG);
        }
        st.requested_speed = requested_sectors_per_second;
        st.requested_pure_cav = rotation_type_is_pure_cav;
        // Spec 2: the request stays pending until the next PrepareMedia applies (and resets) it.
        st.pending_speed = (requested_sectors_per_second, rotation_type_is_pure_cav);
        let mut state = drive.state();
        state.speed_setting = requested_sectors_per_second;
        let effective = drive.effective_speed(requested_sectors_per_second, state.media_type());
        // Spec 2: the success code says what the drive adjusted; the drives are CLV only.
        let speed_adjusted = requested_sectors_per_second != -1 && effective != requested_sectors_per_second;
        Ok(match (speed_adjusted, rotation_type_is_pure_cav) {
            (false, false) => Hresult::S_OK,
            (true, false) => Hresult::S_IMAPI_SPEEDADJUSTED,
            (false, true) => Hresult::S_IMAPI_ROTATIONADJUSTED,
            (true, true) => Hresult::S_IMAPI_BOTHADJUSTED,
        })
    }

    fn set_recorder(&self, recorder: Option<Arc<dyn DiscRecorder2>>) -> HrResult<()> {
        let mut st = self.st();
        // Spec 2, put_Recorder: !W, !P.
        not_writing(&st)?;
        not_prepared(&st)?;
        let Some(object) = recorder else {
            // NULL clears the recorder.
            st.recorder = None;
            if st.state() != TaoState::NoRecorder {
                st.set_state(TaoState::NoRecorder);
            }
            return Ok(());
        };
        // A recorder of another backend is not one this object can drive.
        let sim = SimRecorder::of(object.as_ref()).ok_or(Hresult::E_INVALIDARG)?;
        let drive = Arc::clone(sim.drive()?);
        let client = sim.client();
        // Spec 2, put_Recorder: a recorder that cannot do TAO (the IsRecorderSupported check)
        // -> RECORDER_NOT_SUPPORTED.
        if !drive.profile().tao_supported() {
            return Err(Hresult::E_IMAPI_DF2TAO_RECORDER_NOT_SUPPORTED);
        }
        st.recorder = Some(Bound { object, drive, client });
        if st.state() == TaoState::NoRecorder {
            st.set_state(TaoState::RecorderSet);
        }
        Ok(())
    }

    fn recorder(&self) -> HrResult<Option<Arc<dyn DiscRecorder2>>> {
        Ok(self.st().recorder.as_ref().map(|b| Arc::clone(&b.object)))
    }

    fn set_buffer_underrun_free_disabled(&self, value: bool) -> HrResult<()> {
        let mut st = self.st();
        // Spec 2, put_BufferUnderrunFreeDisabled: P, !W.
        session(&st)?;
        not_writing(&st)?;
        st.buffer_underrun_free_disabled = value;
        Ok(())
    }

    fn buffer_underrun_free_disabled(&self) -> HrResult<bool> {
        Ok(self.st().buffer_underrun_free_disabled)
    }

    fn number_of_existing_tracks(&self) -> HrResult<i32> {
        let st = self.st();
        // Spec 2, get_NumberOfExistingTracks: P, !W.
        let tracks = session(&st)?.tracks;
        not_writing(&st)?;
        Ok(tracks)
    }

    fn total_sectors_on_media(&self) -> HrResult<i32> {
        // Spec 2, get_TotalSectorsOnMedia: P; cached while writing.
        Ok(session(&self.st())?.total)
    }

    fn free_sectors_on_media(&self) -> HrResult<i32> {
        // Spec 2, get_FreeSectorsOnMedia: P; during AddAudioTrack the value from before the call.
        Ok(session(&self.st())?.free)
    }

    fn used_sectors_on_media(&self) -> HrResult<i32> {
        // Spec 2, get_UsedSectorsOnMedia: P; during a write the value before the write began.
        Ok(session(&self.st())?.used)
    }

    fn set_do_not_finalize_media(&self, value: bool) -> HrResult<()> {
        let mut st = self.st();
        // Spec 2, put_DoNotFinalizeMedia: !W, !P.
        not_writing(&st)?;
        not_prepared(&st)?;
        // Spec 2: PROPERTY_FOR_BLANK_MEDIA_ONLY once the media has been written.
        if let Some(b) = &st.recorder {
            if b.drive.state().disc().is_ok_and(|d| d.status() != DiscState::Blank) {
                return Err(Hresult::E_IMAPI_DF2TAO_PROPERTY_FOR_BLANK_MEDIA_ONLY);
            }
        }
        st.do_not_finalize_media = value;
        Ok(())
    }

    fn do_not_finalize_media(&self) -> HrResult<bool> {
        Ok(self.st().do_not_finalize_media)
    }

    fn expected_table_of_contents(&self) -> HrResult<Vec<u8>> {
        let st = self.st();
        // Spec 2, get_ExpectedTableOfContents: WRITE_IN_PROGRESS, then MEDIA_IS_NOT_PREPARED,
        // then TABLE_OF_CONTENTS_EMPTY_DISC.
        not_writing(&st)?;
        let cache = session(&st)?;
        match cache.tracks {
            0 => Err(Hresult::E_IMAPI_DF2TAO_TABLE_OF_CONTENTS_EMPTY_DISC),
            n => Ok(cache.toc.bytes(n)),
        }
    }

    fn current_physical_media_type(&self) -> HrResult<PhysicalMediaType> {
        let st = self.st();
        // Spec 2, get_CurrentPhysicalMediaType: R; no media -> MEDIA_NO_MEDIA; not P.
        let b = bound(&st)?;
        let state = b.drive.state();
        Ok(state.readable_disc()?.media_type())
    }

    fn set_client_name(&self, name: Option<&str>) -> HrResult<()> {
        let mut st = self.st();
        // Spec 2, put_ClientName: !W, !P.
        not_writing(&st)?;
        not_prepared(&st)?;
        // Spec 2: an invalid name fails at put time; "" is stored and fails at PrepareMedia;
        // NULL clears the name.
        if let Some(n) = name {
            if !n.is_empty() && !client_name_is_valid(n) {
                return Err(Hresult::E_IMAPI_DF2TAO_CLIENT_NAME_IS_NOT_VALID);
            }
        }
        st.client_name = name.map(str::to_string);
        Ok(())
    }

    fn client_name(&self) -> HrResult<Option<String>> {
        Ok(self.st().client_name.clone())
    }

    fn requested_write_speed(&self) -> HrResult<i32> {
        Ok(self.st().requested_speed)
    }

    fn requested_rotation_type_is_pure_cav(&self) -> HrResult<bool> {
        Ok(self.st().requested_pure_cav)
    }

    fn current_write_speed(&self) -> HrResult<i32> {
        let st = self.st();
        // Spec 2, get_CurrentWriteSpeed: R; the effective speed for the current media.
        let b = bound(&st)?;
        let state = b.drive.state();
        Ok(b.drive.effective_speed(state.speed_setting, state.media_type()))
    }

    fn current_rotation_type_is_pure_cav(&self) -> HrResult<bool> {
        // Spec 2: R. The simulated drives write CLV only.
        bound(&self.st()).map(|_| false)
    }

    fn supported_write_speeds(&self) -> HrResult<Vec<i32>> {
        let st = self.st();
        // Spec 2, get_SupportedWriteSpeeds: R; fastest first, as drives list performance.
        let b = bound(&st)?;
        let media = b.drive.state().media_type();
        let mut speeds = b.drive.write_speeds(media);
        speeds.reverse();
        Ok(speeds)
    }

    fn supported_write_speed_descriptors(&self) -> HrResult<Vec<WriteSpeedDescriptor>> {
        let st = self.st();
        // Spec 2, get_SupportedWriteSpeedDescriptors: R.
        let b = bound(&st)?;
        let media = b.drive.state().media_type();
        let media_type = b.drive.speed_media(media);
        let mut speeds = b.drive.write_speeds(media);
        speeds.reverse();
        Ok(speeds
            .into_iter()
            .map(|write_speed| WriteSpeedDescriptor { media_type, rotation_type_is_pure_cav: false, write_speed })
            .collect())
    }

    fn set_burn_verification_level(&self, level: BurnVerificationLevel) -> HrResult<()> {
        let mut st = self.st();
        // Spec 2, IBurnVerification: no !W rule, so a put from the Update handler is accepted; the
        // track being written keeps the level it started with, the next track uses the new one.
        // FULL is accepted; it adds no VERIFYING event and only lengthens the estimate.
        st.verification = level;
        Ok(())
    }

    fn burn_verification_level(&self) -> HrResult<BurnVerificationLevel> {
        Ok(self.st().verification)
    }

    fn advise(&self, sink: Arc<dyn TaoUpdateSink>) -> HrResult<u32> {
        let cookie = self.next_cookie.fetch_add(1, Ordering::Relaxed);
        lock(&self.sinks).push((cookie, sink));
        Ok(cookie)
    }

    fn unadvise(&self, cookie: u32) -> HrResult<()> {
        let mut sinks = lock(&self.sinks);
        let before = sinks.len();
        sinks.retain(|(c, _)| *c != cookie);
        if sinks.len() == before {
            return Err(CONNECT_E_NOCONNECTION);
        }
        Ok(())
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl SimFormat {
    /// MediaPhysicallyBlank / MediaHeuristicallyBlank.
    fn blank_query(&self) -> HrResult<bool> {
        let st = self.st();
        let Some(b) = &st.recorder else {
            // Spec 2 \[choice\] `blank_queries_need_recorder`: R, or FALSE without a recorder.
            return match self.home.profile().calibration.blank_queries_need_recorder {
                true => Err(Hresult::E_IMAPI_DF2TAO_NO_RECORDER_SPECIFIED),
                false => Ok(false),
            };
        };
        // Spec 2: no media -> MEDIA_NO_MEDIA.
        let state = b.drive.state();
        Ok(state.readable_disc()?.status() == DiscState::Blank)
    }
}
