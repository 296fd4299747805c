//! Helpers shared by the spec tests: a backend with its recorder and format object, streams,
//! and an Update sink that records events.

use std::io::{self, Cursor};
use std::sync::{Arc, Mutex};

use cdr_sim::profile::{drive_by_name, media_by_name, DriveProfile, MediaProfile};
use cdr_sim::source::SyntheticPcm;
use cdr_sim::{
    AudioStream, Backend, DiscFormat2TrackAtOnce, DiscReadBack, DiscRecorder2, MediaReadBack, SimBackend, TaoProgress,
    TaoUpdateSink,
};

pub const CLIENT: &str = "SpecTests";

/// A backend, a recorder initialised on its drive, and a format object with nothing set.
pub struct Rig {
    pub sim: SimBackend,
    pub recorder: Arc<dyn DiscRecorder2>,
    pub format: Arc<dyn DiscFormat2TrackAtOnce>,
}

impl Rig {
    pub fn new(media: &str) -> Rig {
        Rig::with(drive_by_name("default").unwrap(), media_profile(media))
    }

    pub fn with(drive: DriveProfile, media: Option<MediaProfile>) -> Rig {
        let sim = SimBackend::new(drive, media);
        let id = sim.disc_master().unwrap().item(0).unwrap();
        let recorder = sim.create_recorder().unwrap();
        recorder.initialize_disc_recorder(&id).unwrap();
        let format = sim.create_format().unwrap();
        Rig { sim, recorder, format }
    }

    /// A drive whose calibration `edit` changes.
    pub fn calibrated(media: &str, edit: impl FnOnce(&mut cdr_sim::Calibration)) -> Rig {
        let mut drive = drive_by_name("default").unwrap();
        edit(&mut drive.calibration);
        Rig::with(drive, media_profile(media))
    }

    /// Recorder and client name set.
    pub fn ready(self) -> Rig {
        self.format.set_recorder(Some(self.recorder.clone())).unwrap();
        self.format.set_client_name(Some(CLIENT)).unwrap();
        self
    }

    /// Recorder and client name set, media prepared.
    pub fn prepared(self) -> Rig {
        let rig = self.ready();
        rig.format.prepare_media().unwrap();
        rig
    }

    /// Another format object on the same backend, recorder and name set.
    pub fn second_format(&self) -> Arc<dyn DiscFormat2TrackAtOnce> {
        let f = self.sim.create_format().unwrap();
        f.set_recorder(Some(self.recorder.clone())).unwrap();
        f.set_client_name(Some("Other")).unwrap();
        f
    }

    pub fn read_back(&self) -> DiscReadBack {
        self.sim.read_back(self.recorder.as_ref()).unwrap()
    }

    pub fn disc(&self) -> MediaReadBack {
        self.read_back().media.expect("a disc in the tray")
    }

    pub fn add(&self, sectors: u64) -> cdr_sim::HrResult<()> {
        self.format.add_audio_track(&mut SyntheticPcm::sectors(sectors, sectors))
    }
}

pub fn media_profile(name: &str) -> Option<MediaProfile> {
    match name {
        "none" => None,
        _ => Some(media_by_name(name).unwrap_or_else(|| panic!("no built-in media `{name}`"))),
    }
}

/// An rstest over every built-in blank CD-R/CD-RW, in built-in order: the test function, which
/// takes `media: &str`, once per disc.
macro_rules! blank_cd_test {
    ($(#[$attr:meta])* fn $name:ident($media:ident: &str) $body:block) => {
        $(#[$attr])*
        #[rstest::rstest]
        fn $name(
            #[values(
                "cdr80",
                "cdr80-maxell",
                "cdr80-verbatim-dlp",
                "cdr80-verbatim-ulp",
                "cdr74",
                "cdr74-tdk",
                "cdr74-verbatim",
                "cdr71-psx",
                "cdr21-8cm",
                "cdrw80"
            )]
            $media: &str,
        ) $body
    };
}

/// How many discs `blank_cd_test!` runs a test on.
pub const BLANK_CD_CASES: usize = 10;

/// Every built-in blank CD-R/CD-RW.
pub fn blank_writable_media() -> Vec<MediaProfile> {
    let all: Vec<MediaProfile> = cdr_sim::profile::builtin_media()
        .into_iter()
        .filter(|m| {
            m.media_type.is_writable_cd()
                && m.state == cdr_sim::DiscState::Blank
                && !m.upside_down
                && !m.write_protected
        })
        .collect();
    assert!(all.len() >= 10, "expected the section 5 rows and the CD-RW, found {}", all.len());
    all
}

/// `bytes` zero bytes as a stream.
pub fn bytes(n: usize) -> Cursor<Vec<u8>> {
    Cursor::new(vec![0; n])
}

/// A stream that states `size` but cannot say it (`None`) when asked.
pub struct UnknownSize;

impl AudioStream for UnknownSize {
    fn size(&self) -> Option<u64> {
        None
    }
    fn read(&mut self, _buf: &mut [u8]) -> io::Result<usize> {
        Ok(0)
    }
}

/// An Update sink that records every event and runs `during` on each.
pub struct Recorder<F> {
    pub events: Mutex<Vec<TaoProgress>>,
    during: F,
}

impl<F> Recorder<F>
where
    F: Fn(&dyn DiscFormat2TrackAtOnce, &TaoProgress) + Send + Sync,
{
    pub fn new(during: F) -> Arc<Recorder<F>> {
        Arc::new(Recorder { events: Mutex::new(Vec::new()), during })
    }

    pub fn events(&self) -> Vec<TaoProgress> {
        self.events.lock().unwrap().clone()
    }

    /// LastWrittenLba of every event with `action`, in order.
    pub fn last_written(&self, action: cdr_sim::TaoWriteAction) -> Vec<i32> {
        self.events().iter().filter(|e| e.current_action == action).map(|e| e.last_written_lba).collect()
    }
}

impl<F> TaoUpdateSink for Recorder<F>
where
    F: Fn(&dyn DiscFormat2TrackAtOnce, &TaoProgress) + Send + Sync,
{
    fn update(&self, format: &dyn DiscFormat2TrackAtOnce, progress: &TaoProgress) {
        self.events.lock().unwrap().push(*progress);
        (self.during)(format, progress);
    }
}

/// A handler that does nothing.
pub type NoHandler = fn(&dyn DiscFormat2TrackAtOnce, &TaoProgress);

/// A sink that only records.
pub fn event_log() -> Arc<Recorder<NoHandler>> {
    fn nothing(_: &dyn DiscFormat2TrackAtOnce, _: &TaoProgress) {}
    Recorder::new(nothing as NoHandler)
}

/// A support check's answer when the check ran: `supported` with S_OK.
pub fn checked(supported: bool) -> cdr_sim::HrResult<cdr_sim::SupportAnswer> {
    Ok(cdr_sim::SupportAnswer::checked(supported))
}

/// A support check's answer after an internal failure: FALSE with S_FALSE (spec 2).
pub const INTERNAL_FAILURE: cdr_sim::HrResult<cdr_sim::SupportAnswer> = Ok(cdr_sim::SupportAnswer::INTERNAL_FAILURE);
