//! Injected faults, for proving that the property suite and the fuzzer bite: each mutant is a
//! middleware around [`cdr_sim::SimBackend`] that implements the contract and
//! distorts exactly one rule of the spec. The simulator's own code is left alone; a test runs
//! the normal campaign against each mutant and fails if the mutant survives.

use std::any::Any;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::sync::{Arc, Mutex, Weak};

use cdr_sim::contract::DiscReadBack;
use cdr_sim::{
    AudioStream, Backend, BurnVerificationLevel, DiscFormat2TrackAtOnce, DiscMaster2, DiscRecorder2, DriveProfile,
    HrResult, Hresult, MediaProfile, PhysicalMediaType, SimBackend, SupportAnswer, TaoProgress, TaoUpdateSink,
    TaoWriteAction, WriteSpeedDescriptor, SECTOR_BYTES,
};

use super::sut::Sut;

/// The rule a mutant breaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BrokenRule {
    /// FreeSectorsOnMedia read from the Update handler answers the live value (less what has
    /// been written so far) instead of the value from before AddAudioTrack (spec 2).
    FreeRefreshedMidWrite,
    /// AddAudioTrack checks the stream before the 99-track limit (spec 2's check order says
    /// TRACK_LIMIT_REACHED comes first).
    StreamCheckBeforeTrackLimit,
    /// A cancelled track does not consume its sectors: Free and Used give them back and the disc
    /// read back leaves it out (spec 2, CancelAddTrack: it is on the disc, closed short).
    CancelledTrackFree,
    /// NumberOfExistingTracks answers from the Update handler instead of WRITE_IN_PROGRESS
    /// (spec 2, !W).
    TracksReadableMidWrite,
    /// The format object has a lock of its own: PrepareMedia answers E_IMAPI_RECORDER_LOCKED
    /// when the recorder object given to put_Recorder already holds exclusive access, the
    /// application's own extra lock (rule 1 of the revised spec: that lock adds to the same
    /// count, spec 8).
    OwnLockRefusesPrepare,
    /// The cache is refreshed after a cancelled track as after a successful one:
    /// NumberOfExistingTracks counts it and Free and Used follow it (rule 3: the cache keeps
    /// its pre-call values after a cancel or a failure, spec 2).
    CacheRefreshedAfterCancel,
    /// The writing flag is set before the PREPARING event: in the PREPARING handler the !W
    /// members answer WRITE_IN_PROGRESS and a nested AddAudioTrack is refused (rule 4: they
    /// answer as when not writing, and a nested track is written, spec 2).
    WritingFromPreparing,
}

impl BrokenRule {
    /// Every fault.
    pub const ALL: [BrokenRule; 7] = [
        BrokenRule::FreeRefreshedMidWrite,
        BrokenRule::StreamCheckBeforeTrackLimit,
        BrokenRule::CancelledTrackFree,
        BrokenRule::TracksReadableMidWrite,
        BrokenRule::OwnLockRefusesPrepare,
        BrokenRule::CacheRefreshedAfterCancel,
        BrokenRule::WritingFromPreparing,
    ];
}

/// A system under test with one fault injected into the simulator.
#[derive(Clone, Copy, Debug)]
pub struct Mutant(pub BrokenRule);

impl Sut for Mutant {
    fn name(&self) -> String {
        format!("sim with {:?}", self.0)
    }

    fn backend(&self, drive: &DriveProfile, media: Option<&MediaProfile>) -> Box<dyn Backend> {
        Box::new(MutantBackend {
            inner: SimBackend::new(drive.clone(), media.cloned()),
            fault: self.0,
            cancelled: Arc::new(Mutex::new(Cancelled::default())),
        })
    }
}

/// Tracks cancelled in the current session and the sectors they consumed.
#[derive(Default)]
struct Cancelled {
    /// Cancelled tracks the cache does not count yet (until the next successful track).
    pending: u32,
    tracks: Vec<u32>,
    sectors: i32,
}

struct MutantBackend {
    inner: SimBackend,
    fault: BrokenRule,
    cancelled: Arc<Mutex<Cancelled>>,
}

impl Backend for MutantBackend {
    fn name(&self) -> String {
        format!("mutant({:?}, {})", self.fault, self.inner.name())
    }
    fn disc_master(&self) -> HrResult<Arc<dyn DiscMaster2>> {
        self.inner.disc_master()
    }
    fn create_recorder(&self) -> HrResult<Arc<dyn DiscRecorder2>> {
        self.inner.create_recorder()
    }
    fn create_format(&self) -> HrResult<Arc<dyn DiscFormat2TrackAtOnce>> {
        let inner = self.inner.create_format()?;
        let fault = self.fault;
        let cancelled = Arc::clone(&self.cancelled);
        Ok(Arc::new_cyclic(|me| MutantFormat {
            inner,
            fault,
            me: me.clone(),
            cancelled,
            write: Mutex::new(None),
            preparing: AtomicBool::new(false),
            uncounted: AtomicI32::new(0),
        }))
    }
    fn read_back(&self, recorder: &dyn DiscRecorder2) -> HrResult<DiscReadBack> {
        let mut rb = self.inner.read_back(recorder)?;
        if self.fault == BrokenRule::CancelledTrackFree {
            let c = lock(&self.cancelled);
            if let Some(m) = rb.media.as_mut() {
                m.tracks.retain(|t| !c.tracks.contains(&t.number));
            }
        }
        Ok(rb)
    }
    fn change_media(&self, recorder: &dyn DiscRecorder2, media: Option<&MediaProfile>) -> HrResult<()> {
        self.inner.change_media(recorder, media)
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// What the wrapper knows of the write in progress.
#[derive(Clone, Copy)]
struct Writing {
    tracks_before: i32,
    last: Option<TaoProgress>,
}

struct MutantFormat {
    inner: Arc<dyn DiscFormat2TrackAtOnce>,
    fault: BrokenRule,
    me: Weak<MutantFormat>,
    cancelled: Arc<Mutex<Cancelled>>,
    write: Mutex<Option<Writing>>,
    /// The PREPARING handler runs (`WritingFromPreparing`).
    preparing: AtomicBool,
    /// Tracks closed by a cancelled AddAudioTrack since the last refresh
    /// (`CacheRefreshedAfterCancel`).
    uncounted: AtomicI32,
}

/// Hands the inner format's events to the client's sink with the wrapper as the object, so that
/// calls from the handler go through the mutant.
struct SinkWrap {
    outer: Weak<MutantFormat>,
    sink: Arc<dyn TaoUpdateSink>,
}

impl TaoUpdateSink for SinkWrap {
    fn update(&self, _inner: &dyn DiscFormat2TrackAtOnce, progress: &TaoProgress) {
        let Some(outer) = self.outer.upgrade() else { return };
        if let Some(w) = lock(&outer.write).as_mut() {
            w.last = Some(*progress);
        }
        let preparing =
            outer.fault == BrokenRule::WritingFromPreparing && progress.current_action == TaoWriteAction::Preparing;
        let was = outer.preparing.swap(preparing, Ordering::AcqRel);
        self.sink.update(outer.as_ref(), progress);
        outer.preparing.store(was, Ordering::Release);
    }
}

fn stream_is_bad(size: Option<u64>) -> bool {
    let sector = SECTOR_BYTES as u64;
    match size {
        None => true,
        Some(b) => b == 0 || b % sector != 0 || b / sector > (1 << 31) - 1,
    }
}

impl MutantFormat {
    fn writing(&self) -> Option<Writing> {
        *lock(&self.write)
    }

    /// `WritingFromPreparing`: the writing flag already set in the PREPARING handler.
    fn flag_set_early(&self) -> HrResult<()> {
        if self.preparing.load(Ordering::Acquire) {
            return Err(Hresult::E_IMAPI_DF2TAO_WRITE_IN_PROGRESS);
        }
        Ok(())
    }

    /// `CacheRefreshedAfterCancel`: the cancelled tracks the real cache leaves out.
    fn uncounted(&self) -> i32 {
        self.uncounted.load(Ordering::Acquire)
    }
}

impl DiscFormat2TrackAtOnce for MutantFormat {
    fn is_recorder_supported(&self, recorder: &dyn DiscRecorder2) -> HrResult<SupportAnswer> {
        self.inner.is_recorder_supported(recorder)
    }
    fn is_current_media_supported(&self, recorder: &dyn DiscRecorder2) -> HrResult<SupportAnswer> {
        self.inner.is_current_media_supported(recorder)
    }
    fn media_physically_blank(&self) -> HrResult<bool> {
        self.inner.media_physically_blank()
    }
    fn media_heuristically_blank(&self) -> HrResult<bool> {
        self.inner.media_heuristically_blank()
    }
    fn supported_media_types(&self) -> HrResult<Vec<PhysicalMediaType>> {
        self.inner.supported_media_types()
    }
    fn prepare_media(&self) -> HrResult<()> {
        // The recorder object holds exclusive access (the application's own lock) and the object
        // is not prepared yet.
        let own_lock = self.fault == BrokenRule::OwnLockRefusesPrepare
            && self.inner.total_sectors_on_media().is_err()
            && self
                .inner
                .recorder()
                .ok()
                .flatten()
                .and_then(|r| r.exclusive_access_owner().ok())
                .is_some_and(|owner| !owner.is_empty());
        let r = self.inner.prepare_media();
        if own_lock && r.is_ok() {
            // Every other check passed: the lock step refuses, as if the format object were a
            // client of its own.
            let _ = self.inner.release_media();
            return Err(Hresult::E_IMAPI_RECORDER_LOCKED);
        }
        if r.is_ok() {
            *lock(&self.cancelled) = Cancelled::default();
            self.uncounted.store(0, Ordering::Release);
        }
        r
    }
    fn add_audio_track(&self, data: &mut dyn AudioStream) -> HrResult<()> {
        self.flag_set_early()?;
        if self.fault == BrokenRule::CacheRefreshedAfterCancel && self.writing().is_none() {
            let tracks = self.inner.number_of_existing_tracks();
            *lock(&self.write) = Some(Writing { tracks_before: tracks.unwrap_or(0), last: None });
            let r = self.inner.add_audio_track(data);
            let w = lock(&self.write).take();
            let closed = w
                .and_then(|w| w.last)
                .is_some_and(|p| p.current_action == TaoWriteAction::Finishing && p.last_written_lba > p.start_lba);
            match r {
                Ok(()) => self.uncounted.store(0, Ordering::Release),
                Err(_) if closed => {
                    self.uncounted.fetch_add(1, Ordering::AcqRel);
                }
                Err(_) => {}
            }
            return r;
        }
        let tracks = self.inner.number_of_existing_tracks();
        if self.fault == BrokenRule::StreamCheckBeforeTrackLimit && tracks == Ok(99) && stream_is_bad(data.size()) {
            return Err(Hresult::E_IMAPI_DF2TAO_STREAM_NOT_SUPPORTED);
        }
        let nested = self.writing().is_some();
        if !nested {
            *lock(&self.write) = Some(Writing { tracks_before: tracks.unwrap_or(0), last: None });
        }
        let r = self.inner.add_audio_track(data);
        if nested {
            return r;
        }
        let w = lock(&self.write).take();
        if self.fault == BrokenRule::CancelledTrackFree {
            let mut c = lock(&self.cancelled);
            match (&r, tracks, w) {
                (Ok(()), ..) => c.pending = 0,
                // A track closed short (its FINISHING came after at least two sectors): the disc's
                // track after the cached ones and the cancelled ones not yet counted.
                (Err(_), Ok(before), Some(w))
                    if w.last.is_some_and(|p| {
                        p.current_action == TaoWriteAction::Finishing && p.last_written_lba > p.start_lba
                    }) =>
                {
                    let n = before as u32 + 1 + c.pending;
                    c.tracks.push(n);
                    c.pending += 1;
                    c.sectors += w.last.map_or(0, |p| p.last_written_lba - p.start_lba + 1) + 152;
                }
                _ => {}
            }
        }
        r
    }
    fn cancel_add_track(&self) -> HrResult<()> {
        self.inner.cancel_add_track()
    }
    fn release_media(&self) -> HrResult<()> {
        self.inner.release_media()
    }
    fn set_write_speed(&self, requested_sectors_per_second: i32, rotation_type_is_pure_cav: bool) -> HrResult<Hresult> {
        self.inner.set_write_speed(requested_sectors_per_second, rotation_type_is_pure_cav)
    }
    fn set_recorder(&self, recorder: Option<Arc<dyn DiscRecorder2>>) -> HrResult<()> {
        self.inner.set_recorder(recorder)
    }
    fn recorder(&self) -> HrResult<Option<Arc<dyn DiscRecorder2>>> {
        self.inner.recorder()
    }
    fn set_buffer_underrun_free_disabled(&self, value: bool) -> HrResult<()> {
        self.inner.set_buffer_underrun_free_disabled(value)
    }
    fn buffer_underrun_free_disabled(&self) -> HrResult<bool> {
        self.inner.buffer_underrun_free_disabled()
    }
    fn number_of_existing_tracks(&self) -> HrResult<i32> {
        self.flag_set_early()?;
        match self.writing() {
            Some(w) if self.fault == BrokenRule::TracksReadableMidWrite => Ok(w.tracks_before),
            _ => Ok(self.inner.number_of_existing_tracks()? + self.uncounted()),
        }
    }
    fn total_sectors_on_media(&self) -> HrResult<i32> {
        self.inner.total_sectors_on_media()
    }
    fn free_sectors_on_media(&self) -> HrResult<i32> {
        let free = self.inner.free_sectors_on_media()?;
        Ok(match self.fault {
            BrokenRule::FreeRefreshedMidWrite => match self.writing().and_then(|w| w.last) {
                Some(p) => free - (p.last_written_lba - p.start_lba + 1).max(0),
                None => free,
            },
            BrokenRule::CancelledTrackFree => free + lock(&self.cancelled).sectors,
            BrokenRule::CacheRefreshedAfterCancel => free - 452 * self.uncounted(),
            _ => free,
        })
    }
    fn used_sectors_on_media(&self) -> HrResult<i32> {
        let used = self.inner.used_sectors_on_media()?;
        Ok(match self.fault {
            BrokenRule::CancelledTrackFree => used - lock(&self.cancelled).sectors,
            BrokenRule::CacheRefreshedAfterCancel => used + 452 * self.uncounted(),
            _ => used,
        })
    }
    fn set_do_not_finalize_media(&self, value: bool) -> HrResult<()> {
        self.flag_set_early()?;
        self.inner.set_do_not_finalize_media(value)
    }
    fn do_not_finalize_media(&self) -> HrResult<bool> {
        self.inner.do_not_finalize_media()
    }
    fn expected_table_of_contents(&self) -> HrResult<Vec<u8>> {
        self.flag_set_early()?;
        self.inner.expected_table_of_contents()
    }
    fn current_physical_media_type(&self) -> HrResult<PhysicalMediaType> {
        self.inner.current_physical_media_type()
    }
    fn set_client_name(&self, name: Option<&str>) -> HrResult<()> {
        self.flag_set_early()?;
        self.inner.set_client_name(name)
    }
    fn client_name(&self) -> HrResult<Option<String>> {
        self.inner.client_name()
    }
    fn requested_write_speed(&self) -> HrResult<i32> {
        self.inner.requested_write_speed()
    }
    fn requested_rotation_type_is_pure_cav(&self) -> HrResult<bool> {
        self.inner.requested_rotation_type_is_pure_cav()
    }
    fn current_write_speed(&self) -> HrResult<i32> {
        self.inner.current_write_speed()
    }
    fn current_rotation_type_is_pure_cav(&self) -> HrResult<bool> {
        self.inner.current_rotation_type_is_pure_cav()
    }
    fn supported_write_speeds(&self) -> HrResult<Vec<i32>> {
        self.inner.supported_write_speeds()
    }
    fn supported_write_speed_descriptors(&self) -> HrResult<Vec<WriteSpeedDescriptor>> {
        self.inner.supported_write_speed_descriptors()
    }
    fn set_burn_verification_level(&self, level: BurnVerificationLevel) -> HrResult<()> {
        self.inner.set_burn_verification_level(level)
    }
    fn burn_verification_level(&self) -> HrResult<BurnVerificationLevel> {
        self.inner.burn_verification_level()
    }
    fn advise(&self, sink: Arc<dyn TaoUpdateSink>) -> HrResult<u32> {
        self.inner.advise(Arc::new(SinkWrap { outer: self.me.clone(), sink }))
    }
    fn unadvise(&self, cookie: u32) -> HrResult<()> {
        self.inner.unadvise(cookie)
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}
