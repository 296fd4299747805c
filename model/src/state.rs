//! The model's state: the drive (tray, disc, exclusive access) and each client's format object,
//! named as the spec names them (spec 2: no recorder, recorder set, prepared, writing; spec 4:
//! blank, appendable, complete).

use std::sync::Arc;

use cdr_sim::profile::DiscState;
use cdr_sim::{BurnVerificationLevel, DriveProfile, MediaProfile, PhysicalMediaType};

use super::layout::{Layout, TocImage};
use super::op::{Client, NameArg};

/// What a case runs on: a drive profile (with its calibration) and the discs a person may put in
/// the tray, the first of which (if any) is in the tray at the start.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Env {
    /// The drive and its calibration settings.
    pub drive: DriveProfile,
    /// The discs of this case; `Insert(Some(i))` puts a fresh copy of `media[i]` in the tray.
    pub media: Vec<MediaProfile>,
    /// The disc in the tray at the start, an index into `media`; `None` for an empty tray.
    pub initial: Option<u8>,
}

/// The state of a format object (spec 2, "Object states").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormatPhase {
    /// No recorder set.
    NoRecorder,
    /// A recorder set, not prepared.
    RecorderSet,
    /// PrepareMedia succeeded; ReleaseMedia not yet called.
    Prepared,
    /// AddAudioTrack's writing flag is set: from after its PREPARING event until after its
    /// FINISHING event (spec 2, !W), unless a rejected nested AddAudioTrack cleared it early.
    Writing,
}

/// The values a prepared format object caches (spec 2: the track count, Free, Used and the TOC
/// are refreshed only after a track whose write and close both succeeded).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Session {
    /// TotalSectorsOnMedia.
    pub total: i32,
    /// FreeSectorsOnMedia, as cached.
    pub free: i32,
    /// UsedSectorsOnMedia, as cached.
    pub used: i32,
    /// NumberOfExistingTracks.
    pub tracks: u32,
    /// The ExpectedTableOfContents image, zeroed at PrepareMedia.
    pub toc: TocImage,
}

/// A track being written by AddAudioTrack.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Write {
    /// 1..=99: the cached track count + 1 when AddAudioTrack began (spec 3: after a cancelled
    /// track k the next one is announced as k again).
    pub track_number: u32,
    /// Start LBA per the layout: the NWA, fetched after the PREPARING event (a nested track
    /// written from the PREPARING handler moves it).
    pub start: i32,
    /// Sectors the stream holds (N): what the space check, the events and the data sent use
    /// (spec 2, AddAudioTrack: the DLL does not pad).
    pub sectors: u32,
    /// The NWA was fetched and the writing flag set (after the PREPARING handler returned).
    pub started: bool,
    /// Seed of the synthetic PCM streamed.
    pub seed: u64,
    /// Verification level when AddAudioTrack began.
    pub level: BurnVerificationLevel,
    /// Set once CancelAddTrack succeeded, with the sectors written by then.
    pub cancelled_at: Option<u32>,
    /// CancelAddTrack succeeded after every sector was written (at the last WRITING event or
    /// at FINISHING): whether the track then counts as cancelled the spec does not say.
    pub cancelled_late: bool,
}

/// One client's `MsftDiscFormat2TrackAtOnce`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Format {
    /// put_Recorder: the client's own recorder is set.
    pub recorder: bool,
    /// put_ClientName: `None` when never set.
    pub client_name: Option<NameArg>,
    /// `Some` while prepared (and while writing).
    pub session: Option<Session>,
    /// `Some` while AddAudioTrack runs (from before its PREPARING event until it returns): the
    /// innermost write, when one was nested from a PREPARING handler.
    pub writing: Option<Write>,
    /// The writes nested AddAudioTrack calls interrupted at their PREPARING events, innermost
    /// last (a handler makes at most two calls, so at most two are interrupted).
    pub outer: [Option<Write>; 2],
    /// Whether the drive refused the last write after its PREPARING event, 99 tracks being on the disc
    /// (spec 2, AddAudioTrack \[choice\] `hundredth_track_result`), until its call's answer is
    /// predicted ([`crate::Model::take_refused`]).
    pub refused: bool,
    /// AddAudioTrack's writing flag (spec 2, !W): set after PREPARING, cleared after FINISHING
    /// (or early, by a rejected nested AddAudioTrack \[choice\]).
    pub writing_flag: bool,
    /// DoNotFinalizeMedia.
    pub do_not_finalize: bool,
    /// BufferUnderrunFreeDisabled.
    pub buffer_underrun_free_disabled: bool,
    /// IBurnVerification level.
    pub verification: BurnVerificationLevel,
    /// RequestedWriteSpeed (sectors/s, -1 fastest).
    pub requested_speed: i32,
    /// RequestedRotationTypeIsPureCAV.
    pub requested_pure_cav: bool,
    /// The SetWriteSpeed request the next PrepareMedia applies (spec 2, SetWriteSpeed): reset
    /// to -1 / FALSE by every PrepareMedia, failed or successful.
    pub pending_speed: (i32, bool),
}

impl Format {
    /// A new object (spec 2: defaults -1 / FALSE; verification per calibration).
    pub fn new(verification: BurnVerificationLevel) -> Format {
        Format {
            recorder: false,
            client_name: None,
            session: None,
            writing: None,
            outer: [None; 2],
            refused: false,
            writing_flag: false,
            do_not_finalize: false,
            buffer_underrun_free_disabled: false,
            verification,
            requested_speed: -1,
            requested_pure_cav: false,
            pending_speed: (-1, false),
        }
    }

    /// The spec's name for the object's state.
    pub fn state(&self) -> FormatPhase {
        match (self.recorder, self.session, self.writing_flag) {
            (_, Some(_), true) => FormatPhase::Writing,
            (_, Some(_), false) => FormatPhase::Prepared,
            (true, None, _) => FormatPhase::RecorderSet,
            (false, None, _) => FormatPhase::NoRecorder,
        }
    }
}

/// A track on the disc, with what was streamed into it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Track {
    /// Start LBA.
    pub start: i32,
    /// Sectors on the disc.
    pub sectors: u32,
    /// What was written into it; `None` for tracks already on the disc when it went in.
    pub content: Option<Content>,
}

/// The audio of a written track: the first `stream_sectors` sectors of the synthetic stream,
/// followed by zero sectors where the drive padded it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Content {
    /// Seed of the synthetic PCM.
    pub seed: u64,
    /// Sectors of the stream that reached the disc (fewer than the stream's after a cancel).
    pub stream_sectors: u32,
    /// Sectors written (stream, then zeros).
    pub sectors: u32,
}

/// State of the last session, as READ DISC INFORMATION reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionModel {
    /// Nothing written.
    Empty,
    /// Tracks written, no lead-out yet.
    Open,
    /// Closed by ReleaseMedia; `finalized` unless DoNotFinalizeMedia.
    Closed {
        /// Finalized (disc complete).
        finalized: bool,
    },
}

/// The disc in the tray.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Disc {
    /// Index of its profile in [`Env::media`].
    pub profile: u8,
    /// Physical media type.
    pub media_type: PhysicalMediaType,
    /// The layout on this disc under the drive's calibration.
    pub layout: Layout,
    /// Disc status (spec 4).
    pub status: DiscState,
    /// The last session.
    pub session: SessionModel,
    /// Tracks, in order.
    pub tracks: Vec<Track>,
    /// The drive cannot read it (upside down, or a type the drive does not know).
    pub unreadable: bool,
    /// Write-protected.
    pub write_protected: bool,
    /// The disc came in with tracks on it (their layout is the profile's, not this model's).
    pub preexisting: bool,
}

impl Disc {
    /// A fresh disc from profile `index` of `env`.
    pub fn new(env: &Env, index: u8) -> Disc {
        let p = &env.media[index as usize];
        let layout = Layout::new(p.last_possible_lead_out(), &env.drive.calibration);
        let readable = env.drive.readable_media.contains(&p.media_type)
            || !env.drive.write_speeds.for_media(p.media_type).is_empty();
        let tracks = p.tracks.iter().map(|&sectors| Track { start: 0, sectors, content: None }).collect();
        Disc {
            profile: index,
            media_type: p.media_type,
            layout,
            status: p.state,
            session: match p.state {
                DiscState::Blank => SessionModel::Empty,
                DiscState::Appendable => SessionModel::Open,
                DiscState::Complete => SessionModel::Closed { finalized: true },
            },
            tracks,
            unreadable: p.upside_down || !readable,
            write_protected: p.write_protected,
            preexisting: !p.tracks.is_empty(),
        }
    }

    /// (start, sectors) of the last track.
    pub fn last(&self) -> Option<(i32, i32)> {
        self.tracks.last().map(|t| (t.start, t.sectors as i32))
    }
}

/// The recorder's exclusive access (spec 8: counted per recorder object, one holder). A format
/// object has no lock of its own: PrepareMedia and ReleaseMedia count on the recorder object
/// given to put_Recorder, the client's own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lock {
    /// Whose recorder object holds it.
    pub holder: Client,
    /// The name it was first acquired under (`None`: a prepare with no valid name).
    pub name: Option<NameArg>,
    /// A later acquisition gave another name: which one ExclusiveAccessOwner reports is not said.
    pub renamed: bool,
    /// Acquisitions not yet released, PrepareMedia's and AcquireExclusiveAccess's alike.
    pub count: u32,
}

/// The whole model: one drive, its tray, and the two clients.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Model {
    /// What the case runs on.
    pub env: Arc<Env>,
    /// The tray is open (ejected): the drive sees no disc.
    pub tray_open: bool,
    /// The disc in the tray, if any.
    pub disc: Option<Disc>,
    /// Exclusive access.
    pub lock: Option<Lock>,
    /// The tray is locked (spec 2, PrepareMedia: by a prepared session; a second PrepareMedia
    /// leaves it locked until a later session's ReleaseMedia).
    pub tray_lock: bool,
    /// The write speed request the drive last had applied (spec 2, SetWriteSpeed: the drive
    /// picks the speed; PrepareMedia re-applies the object's request), -1 = fastest.
    pub applied_speed: i32,
    /// The clients' format objects.
    pub formats: [Format; 2],
    /// Set when the sequence reached a state the spec says nothing about (the reason): from
    /// there on the model predicts nothing, and a differential run stops comparing.
    pub silent: Option<&'static str>,
}

impl Model {
    /// The state at the start of a case: the initial disc in a closed tray, both recorder
    /// objects initialised, no format object configured.
    pub fn new(env: Arc<Env>) -> Model {
        let disc = env.initial.map(|i| Disc::new(&env, i));
        let level = env.drive.calibration.default_verification_level;
        Model {
            env,
            tray_open: false,
            disc,
            lock: None,
            tray_lock: false,
            applied_speed: -1,
            formats: [Format::new(level); 2],
            silent: None,
        }
    }

    /// A client's format object.
    pub fn format(&self, c: Client) -> &Format {
        &self.formats[c.index()]
    }

    /// The disc the drive sees: none with the tray open.
    pub fn media(&self) -> Option<&Disc> {
        if self.tray_open {
            None
        } else {
            self.disc.as_ref()
        }
    }

    /// The tray is locked (spec 2, PrepareMedia: "locks the tray"; a second PrepareMedia leaves
    /// it locked).
    pub fn tray_locked(&self) -> bool {
        self.tray_lock
    }

    /// The client currently inside AddAudioTrack, if any.
    pub fn writer(&self) -> Option<Client> {
        Client::ALL.into_iter().find(|c| self.format(*c).writing.is_some())
    }
}
