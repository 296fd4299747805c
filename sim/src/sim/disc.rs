//! The disc: its identity (type, ATIP), sessions, tracks and what a drive reports about it
//! (READ DISC INFORMATION, READ TRACK INFORMATION). It knows nothing of IMAPI2's objects.
//!
//! The model holds one session, which is all track-at-once writes (it only writes the first
//! session of a blank disc) and all the built-in media bring: the last session is empty (blank
//! disc), open (tracks, no lead-out) or closed (lead-out written; the disc is then complete, or
//! appendable with room for another writer's session).

use super::layout::{Layout, NEXT_SESSION_GAP};
use crate::contract::{Atip, MediaReadBack, PhysicalMediaType, SessionState, TrackReadBack};
use crate::profile::{DiscState, MediaProfile};

/// One track on the disc.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Track {
    /// 1..=99.
    pub number: u32,
    /// Start LBA (index 01).
    pub start: i32,
    /// Length in sectors.
    pub sectors: u32,
    /// Pregap before the start.
    pub pregap: u32,
    /// BLAKE3 of the audio written; `None` for tracks that came with the disc.
    pub digest: Option<blake3::Hash>,
    /// The write was interrupted by a device fault (MMC's Damage bit).
    pub damaged: bool,
}

/// The state of the (only) session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LastSession {
    /// Nothing written.
    Empty,
    /// Tracks written, no lead-out yet.
    Open,
    /// Lead-out written; `finalized` closes the disc to further sessions.
    Closed { finalized: bool },
}

/// A disc in a drive. (`persist.rs` converts it to and from a `DiscSnapshot`.)
#[derive(Clone, Debug)]
pub(crate) struct Disc {
    pub(super) media_type: PhysicalMediaType,
    pub(super) atip: Option<Atip>,
    pub(super) last_possible_lead_out: i32,
    pub(super) upside_down: bool,
    pub(super) write_protected: bool,
    pub(super) layout: Layout,
    pub(super) tracks: Vec<Track>,
    pub(super) session: LastSession,
}

impl Disc {
    /// The disc `profile` describes, its tracks (if any) laid out from LBA 0 in session 1.
    pub(crate) fn new(profile: &MediaProfile, layout: Layout) -> Disc {
        let atip = match (profile.lead_in, profile.lead_out) {
            (Some(lead_in), Some(lead_out)) if profile.media_type.is_cd() => Some(Atip { lead_in, lead_out }),
            _ => None,
        };
        let mut disc = Disc {
            media_type: profile.media_type,
            atip,
            last_possible_lead_out: profile.last_possible_lead_out(),
            upside_down: profile.upside_down,
            write_protected: profile.write_protected,
            layout,
            tracks: Vec::with_capacity(profile.tracks.len()),
            session: LastSession::Empty,
        };
        for &sectors in &profile.tracks {
            disc.append_track(sectors, None);
        }
        disc.session = match profile.state {
            DiscState::Blank => LastSession::Empty,
            DiscState::Appendable => LastSession::Open,
            DiscState::Complete => LastSession::Closed { finalized: true },
        };
        disc
    }

    /// Physical media type.
    pub(crate) fn media_type(&self) -> PhysicalMediaType {
        self.media_type
    }

    /// Inserted label side down: the drive cannot read it.
    pub(crate) fn upside_down(&self) -> bool {
        self.upside_down
    }

    /// Write-protected.
    pub(crate) fn write_protected(&self) -> bool {
        self.write_protected
    }

    /// Last possible lead-out start (LPL), from the ATIP.
    pub(crate) fn last_possible_lead_out(&self) -> i32 {
        self.last_possible_lead_out
    }

    /// The layout this disc is written with.
    pub(crate) fn layout(&self) -> Layout {
        self.layout
    }

    /// Disc status (READ DISC INFORMATION).
    pub(crate) fn status(&self) -> DiscState {
        match self.session {
            LastSession::Empty if self.tracks.is_empty() => DiscState::Blank,
            LastSession::Empty | LastSession::Open | LastSession::Closed { finalized: false } => DiscState::Appendable,
            LastSession::Closed { finalized: true } => DiscState::Complete,
        }
    }

    /// State of the last session.
    #[cfg(test)]
    pub(crate) fn last_session(&self) -> LastSession {
        self.session
    }

    /// Tracks in order.
    pub(crate) fn tracks(&self) -> &[Track] {
        &self.tracks
    }

    /// Start LBA of the next track in the open (or empty) session.
    pub(crate) fn next_track_start(&self) -> i32 {
        self.layout.next_start(self.tracks.last().map(|t| (t.start, t.sectors)))
    }

    /// Writes a track of `sectors` at the next start; the session is open afterwards.
    pub(crate) fn append_track(&mut self, sectors: u32, digest: Option<blake3::Hash>) -> &Track {
        let number = self.tracks.len() as u32 + 1;
        let track = Track {
            number,
            start: self.next_track_start(),
            sectors,
            pregap: self.layout.pregap(number == 1),
            digest,
            damaged: false,
        };
        self.tracks.push(track);
        self.session = LastSession::Open;
        self.tracks.last().expect("just pushed")
    }

    /// Marks the last track damaged: its write was interrupted.
    pub(crate) fn mark_last_track_damaged(&mut self) {
        if let Some(t) = self.tracks.last_mut() {
            t.damaged = true;
        }
    }

    /// Writes the lead-out: the session closes; `finalize` closes the disc too.
    pub(crate) fn close_session(&mut self, finalize: bool) {
        self.session = LastSession::Closed { finalized: finalize };
    }

    /// Start of the lead-out of a closed session (`S(N) + L(N) + run_out`).
    pub(crate) fn lead_out(&self) -> Option<i32> {
        match self.session {
            LastSession::Closed { .. } => Some(self.end_of_tracks()),
            LastSession::Empty | LastSession::Open => None,
        }
    }

    /// The address after the last track's run-out (0 on a disc with no track).
    fn end_of_tracks(&self) -> i32 {
        self.tracks.last().map_or(0, |t| self.layout.end_of(t.start, t.sectors))
    }

    /// Next writable address of the invisible track; `None` on a complete disc.
    pub(crate) fn next_writable_address(&self) -> Option<i32> {
        match self.session {
            LastSession::Empty | LastSession::Open => Some(self.end_of_tracks()),
            LastSession::Closed { finalized: false } => Some(self.end_of_tracks().saturating_add(NEXT_SESSION_GAP)),
            LastSession::Closed { finalized: true } => None,
        }
    }

    /// Free blocks of the invisible track (0 on a complete disc).
    pub(crate) fn free_blocks(&self) -> u32 {
        self.next_writable_address()
            .map_or(0, |nwa| u32::try_from(i64::from(self.last_possible_lead_out) - i64::from(nwa)).unwrap_or(0))
    }

    /// The disc as the drive reports it.
    pub(crate) fn read_back(&self) -> MediaReadBack {
        MediaReadBack {
            media_type: self.media_type,
            atip: self.atip,
            status: self.status(),
            last_session_state: match self.session {
                LastSession::Empty => SessionState::Empty,
                LastSession::Open => SessionState::Incomplete,
                LastSession::Closed { .. } => SessionState::Complete,
            },
            sessions: 1,
            first_track: 1,
            tracks: self
                .tracks
                .iter()
                .map(|t| TrackReadBack {
                    number: t.number,
                    session: 1,
                    start: t.start,
                    sectors: t.sectors,
                    pregap: t.pregap,
                    data_bytes: u64::from(t.sectors) * crate::msf::SECTOR_BYTES as u64,
                    digest: t.digest.map(|d| d.to_hex().to_string()),
                    damaged: t.damaged,
                })
                .collect(),
            lead_out: self.lead_out(),
            last_possible_lead_out: self.last_possible_lead_out,
            next_writable_address: self.next_writable_address(),
            free_blocks: self.free_blocks(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::{media_by_name, Calibration};

    fn layout() -> Layout {
        Layout::from_calibration(&Calibration::default())
    }

    #[test]
    fn a_blank_disc_reports_blank_with_the_whole_disc_free() {
        let d = Disc::new(&media_by_name("cdr80").unwrap(), layout());
        let rb = d.read_back();
        assert_eq!(rb.status, DiscState::Blank);
        assert_eq!(rb.last_session_state, SessionState::Empty);
        assert_eq!(rb.next_writable_address, Some(0));
        assert_eq!(rb.free_blocks, 359_847);
        assert_eq!(rb.lead_out, None);
        assert!(rb.tracks.is_empty());
        assert_eq!(rb.atip.unwrap().lead_in.to_string(), "97:24:01");
    }

    #[test]
    fn tracks_follow_the_layout_rule_and_the_lead_out_follows_the_last_track() {
        let mut d = Disc::new(&media_by_name("cdr80").unwrap(), layout());
        d.append_track(22_500, None);
        d.append_track(18_000, None);
        assert_eq!(d.tracks()[1].start, 22_652);
        assert_eq!(d.tracks()[1].pregap, 150);
        assert_eq!(d.status(), DiscState::Appendable);
        assert_eq!(d.next_writable_address(), Some(22_652 + 18_002));
        d.close_session(true);
        assert_eq!(d.lead_out(), Some(22_652 + 18_002));
        assert_eq!(d.status(), DiscState::Complete);
        assert_eq!(d.next_writable_address(), None);
        assert_eq!(d.free_blocks(), 0);
    }

    #[test]
    fn an_unfinalized_closed_session_leaves_the_next_session_11400_after_the_lead_out() {
        let mut d = Disc::new(&media_by_name("cdr80").unwrap(), layout());
        d.append_track(22_500, None);
        d.close_session(false);
        assert_eq!(d.status(), DiscState::Appendable);
        assert_eq!(d.last_session(), LastSession::Closed { finalized: false });
        assert_eq!(d.next_writable_address(), Some(22_502 + 11_400));
        assert_eq!(d.free_blocks(), 359_847 - 22_502 - 11_400);
    }

    #[test]
    fn media_profiles_with_tracks_are_laid_out_from_lba_0() {
        let d = Disc::new(&media_by_name("cdr80-complete").unwrap(), layout());
        let starts: Vec<i32> = d.tracks().iter().map(|t| t.start).collect();
        assert_eq!(starts, [0, 22_652, 22_652 + 18_152]);
        assert_eq!(d.lead_out(), Some(22_652 + 18_152 + 15_002));
        assert!(d.tracks().iter().all(|t| t.digest.is_none()));
        let a = Disc::new(&media_by_name("cdr80-appendable").unwrap(), layout());
        assert_eq!(a.last_session(), LastSession::Open);
        assert_eq!(a.status(), DiscState::Appendable);
    }
}
