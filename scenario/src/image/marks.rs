//! Tracks an image marks as not a clean burn: *damaged* (the disc's READ TRACK INFORMATION Damage
//! bit: a fault cut the write) and *cancelled* (CancelAddTrack stopped the write; with the
//! default calibration the track stays on the disc, shorter than asked). The disc tells the
//! first; the run tells the second, from the AddAudioTrack steps that answered
//! E_IMAPI_REQUEST_CANCELLED.

use cdr_sim::MediaReadBack;

/// How a track is marked in the TOC text and the SVG picture.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TrackMark {
    /// A fault cut its write (the disc's Damage bit).
    Damaged,
    /// CancelAddTrack stopped its write.
    Cancelled,
}

impl TrackMark {
    /// The word the TOC and the picture use.
    pub fn name(self) -> &'static str {
        match self {
            TrackMark::Damaged => "damaged",
            TrackMark::Cancelled => "cancelled",
        }
    }

    /// What it means, for a reader of the TOC or the picture.
    pub fn meaning(self) -> &'static str {
        match self {
            TrackMark::Damaged => "a fault cut the write (Damage bit set)",
            TrackMark::Cancelled => {
                "CancelAddTrack stopped the write (E_IMAPI_REQUEST_CANCELLED); what was written is kept"
            }
        }
    }
}

/// The mark of track `number` of `media`: damaged wins over cancelled.
pub fn mark_of(media: &MediaReadBack, cancelled: &[u32], number: u32) -> Option<TrackMark> {
    if media.tracks.iter().any(|t| t.number == number && t.damaged) {
        Some(TrackMark::Damaged)
    } else if cancelled.contains(&number) {
        Some(TrackMark::Cancelled)
    } else {
        None
    }
}
