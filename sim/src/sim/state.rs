//! The format object's state, named as the spec names it (section 2, "Object states"), and the
//! values cached while a session is prepared.

use std::collections::VecDeque;
use std::fmt;
use std::sync::Arc;

use super::drive::{ClientId, Drive};
use super::toc::TocImage;
use crate::contract::{BurnVerificationLevel, DiscRecorder2};

/// States of `IDiscFormat2TrackAtOnce` (spec section 2): no recorder -> recorder set ->
/// prepared -> writing (AddAudioTrack's writing flag: set after PREPARING, cleared after
/// FINISHING) -> prepared -> ReleaseMedia -> recorder set; a second PrepareMedia also takes
/// prepared -> recorder set.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum TaoState {
    /// No recorder set.
    NoRecorder,
    /// Recorder set, media not prepared.
    RecorderSet,
    /// PrepareMedia succeeded; the session is open for tracks.
    Prepared,
    /// AddAudioTrack's writing flag is set (from after PREPARING until after FINISHING).
    Writing,
}

impl fmt::Display for TaoState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TaoState::NoRecorder => "NO_RECORDER",
            TaoState::RecorderSet => "RECORDER_SET",
            TaoState::Prepared => "PREPARED",
            TaoState::Writing => "WRITING",
        })
    }
}

/// How many transitions a format object remembers.
const TRANSITIONS_KEPT: usize = 64;

/// The recorder a format object writes through.
#[derive(Clone)]
pub(crate) struct Bound {
    /// The object the client passed to put_Recorder (returned by get_Recorder).
    pub object: Arc<dyn DiscRecorder2>,
    /// Its device.
    pub drive: Arc<Drive>,
    /// The recorder object's client token: PrepareMedia and ReleaseMedia lock through it.
    pub client: ClientId,
}

/// Values cached by PrepareMedia and refreshed when a track closes (spec 2: during
/// AddAudioTrack the properties report the values from before the call).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SessionCache {
    /// TotalSectorsOnMedia: LPL + 150.
    pub total: i32,
    /// FreeSectorsOnMedia.
    pub free: i32,
    /// UsedSectorsOnMedia.
    pub used: i32,
    /// NumberOfExistingTracks: the tracks the last refresh found.
    pub tracks: i32,
    /// The DLL's TOC image, zeroed at PrepareMedia and patched by each refresh.
    pub toc: TocImage,
}

/// Everything a format object holds behind its lock.
pub(crate) struct FormatState {
    state: TaoState,
    transitions: VecDeque<(TaoState, TaoState)>,
    /// The recorder (Some exactly when the state is not NoRecorder).
    pub recorder: Option<Bound>,
    /// ClientName; `None` when never set or set to NULL.
    pub client_name: Option<String>,
    /// RequestedWriteSpeed (-1 fastest).
    pub requested_speed: i32,
    /// RequestedRotationTypeIsPureCAV.
    pub requested_pure_cav: bool,
    /// The SetWriteSpeed request the next PrepareMedia applies (spec 2; every PrepareMedia
    /// resets it to -1 / FALSE).
    pub pending_speed: (i32, bool),
    /// BufferUnderrunFreeDisabled.
    pub buffer_underrun_free_disabled: bool,
    /// DoNotFinalizeMedia.
    pub do_not_finalize_media: bool,
    /// IBurnVerification level.
    pub verification: BurnVerificationLevel,
    /// The cached session values (Some while prepared or writing).
    pub session: Option<SessionCache>,
}

impl FormatState {
    /// A new object: no recorder.
    pub(crate) fn new(verification: BurnVerificationLevel) -> FormatState {
        FormatState {
            state: TaoState::NoRecorder,
            transitions: VecDeque::new(),
            recorder: None,
            client_name: None,
            requested_speed: -1,
            requested_pure_cav: false,
            pending_speed: (-1, false),
            buffer_underrun_free_disabled: false,
            do_not_finalize_media: false,
            verification,
            session: None,
        }
    }

    /// The current state.
    pub(crate) fn state(&self) -> TaoState {
        self.state
    }

    /// The one place the state changes; records `OLD=>NEW`.
    pub(crate) fn set_state(&mut self, new: TaoState) {
        if self.transitions.len() == TRANSITIONS_KEPT {
            self.transitions.pop_front();
        }
        self.transitions.push_back((self.state, new));
        self.state = new;
    }

    /// The last transitions, oldest first, as `OLD=>NEW`.
    pub(crate) fn transitions(&self) -> Vec<String> {
        self.transitions.iter().map(|(a, b)| format!("{a}=>{b}")).collect()
    }

    /// Clears AddAudioTrack's writing flag: writing -> prepared (nothing when it is not set).
    pub(crate) fn clear_writing(&mut self) {
        if self.state == TaoState::Writing {
            self.set_state(TaoState::Prepared);
        }
    }

    /// True while prepared or writing (PrepareMedia succeeded, ReleaseMedia not yet called).
    pub(crate) fn is_prepared(&self) -> bool {
        matches!(self.state, TaoState::Prepared | TaoState::Writing)
    }
}
