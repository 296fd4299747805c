//! The disc as a drive reports it (READ DISC INFORMATION, READ TRACK INFORMATION, ATIP), plus
//! what was written into each track.

use crate::msf::Msf;
use crate::profile::DiscState;
use crate::types::PhysicalMediaType;

/// The tray as read back after a scenario: empty, or a disc.
#[derive(Clone, PartialEq, Eq, Debug, serde::Serialize, serde::Deserialize)]
pub struct DiscReadBack {
    /// The disc in the tray; `None` for an empty tray or an open one.
    pub media: Option<MediaReadBack>,
}

/// A disc as the drive reports it.
#[derive(Clone, PartialEq, Eq, Debug, serde::Serialize, serde::Deserialize)]
pub struct MediaReadBack {
    /// Physical media type.
    pub media_type: PhysicalMediaType,
    /// ATIP of a recordable CD: lead-in start and last possible lead-out.
    pub atip: Option<Atip>,
    /// Disc status: blank, appendable (incomplete) or complete.
    pub status: DiscState,
    /// State of the last session.
    pub last_session_state: SessionState,
    /// Number of sessions (an open session counts).
    pub sessions: u32,
    /// First track number on the disc (1 on any CD).
    pub first_track: u32,
    /// Closed tracks in order.
    pub tracks: Vec<TrackReadBack>,
    /// Start LBA of the lead-out of the last closed session; `None` while no session is closed.
    pub lead_out: Option<i32>,
    /// Last possible lead-out start (from ATIP), in LBA.
    pub last_possible_lead_out: i32,
    /// Next writable address of the invisible track; `None` when the disc is complete.
    pub next_writable_address: Option<i32>,
    /// Free blocks of the invisible track (0 when complete).
    pub free_blocks: u32,
}

/// ATIP of a recordable CD.
#[derive(Clone, Copy, PartialEq, Eq, Debug, serde::Serialize, serde::Deserialize)]
pub struct Atip {
    /// Start of the lead-in.
    pub lead_in: Msf,
    /// Last possible start of the lead-out.
    pub lead_out: Msf,
}

/// State of the last session (READ DISC INFORMATION).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SessionState {
    /// 0: nothing written in the session.
    Empty,
    /// 1: open; tracks written, no lead-out yet.
    Incomplete,
    /// 3: closed with a lead-out.
    Complete,
}

/// One track (READ TRACK INFORMATION) and what was written into it.
#[derive(Clone, PartialEq, Eq, Debug, serde::Serialize, serde::Deserialize)]
pub struct TrackReadBack {
    /// Track number, 1..=99.
    pub number: u32,
    /// Session the track belongs to, from 1.
    pub session: u32,
    /// Start LBA (index 01).
    pub start: i32,
    /// Length in sectors.
    pub sectors: u32,
    /// Pregap before the start, in sectors.
    pub pregap: u32,
    /// Bytes of audio the drive received for the track (padding included).
    pub data_bytes: u64,
    /// BLAKE3 of the track's audio as written, hex; `None` when the content is unknown (tracks
    /// already on a disc before the scenario, or a backend that cannot read audio back).
    pub digest: Option<String>,
    /// The track's write was interrupted (a buffer underrun without protection, a disc pulled
    /// out, a power cut): READ TRACK INFORMATION's Damage bit (MMC). Absent from transcripts
    /// when false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub damaged: bool,
}
