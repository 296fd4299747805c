//! The disc as data: [`Disc`] to and from [`DiscSnapshot`], so that a burned disc can be saved
//! by the harness and put in a drive again later, exactly as it was (tracks, digests, damage,
//! session state). No file I/O here: the harness owns the file format and its atomic writes.

use super::disc::{Disc, LastSession, Track};
use super::layout::Layout;
use crate::contract::{DiscSnapshot, SessionState, SnapshotLayout, SnapshotTrack};

impl Disc {
    /// Everything about this disc, as data.
    pub(crate) fn snapshot(&self) -> DiscSnapshot {
        let (session, finalized) = match self.session {
            LastSession::Empty => (SessionState::Empty, false),
            LastSession::Open => (SessionState::Incomplete, false),
            LastSession::Closed { finalized } => (SessionState::Complete, finalized),
        };
        DiscSnapshot {
            media_type: self.media_type,
            atip: self.atip,
            last_possible_lead_out: self.last_possible_lead_out,
            upside_down: self.upside_down,
            write_protected: self.write_protected,
            layout: SnapshotLayout { pause: self.layout.pause, run_out: self.layout.run_out },
            session,
            finalized,
            tracks: self
                .tracks
                .iter()
                .map(|t| SnapshotTrack {
                    number: t.number,
                    start: t.start,
                    sectors: t.sectors,
                    pregap: t.pregap,
                    digest: t.digest.map(|d| d.to_hex().to_string()),
                    damaged: t.damaged,
                })
                .collect(),
        }
    }

    /// The disc a snapshot describes; the message of [`DiscSnapshot::validate`] when it cannot
    /// exist.
    pub(crate) fn from_snapshot(s: &DiscSnapshot) -> Result<Disc, String> {
        s.validate()?;
        let mut tracks = Vec::with_capacity(s.tracks.len());
        for t in &s.tracks {
            let digest = match &t.digest {
                Some(hex) => {
                    Some(blake3::Hash::from_hex(hex).map_err(|e| format!("track {}: digest {hex:?}: {e}", t.number))?)
                }
                None => None,
            };
            tracks.push(Track {
                number: t.number,
                start: t.start,
                sectors: t.sectors,
                pregap: t.pregap,
                digest,
                damaged: t.damaged,
            });
        }
        Ok(Disc {
            media_type: s.media_type,
            atip: s.atip,
            last_possible_lead_out: s.last_possible_lead_out,
            upside_down: s.upside_down,
            write_protected: s.write_protected,
            layout: Layout { pause: s.layout.pause, run_out: s.layout.run_out },
            tracks,
            session: match s.session {
                SessionState::Empty => LastSession::Empty,
                SessionState::Incomplete => LastSession::Open,
                SessionState::Complete => LastSession::Closed { finalized: s.finalized },
            },
        })
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
    fn a_disc_survives_its_snapshot_exactly() {
        let mut d = Disc::new(&media_by_name("cdr80").unwrap(), layout());
        d.append_track(22_500, Some(blake3::hash(b"one")));
        d.append_track(9_000, Some(blake3::hash(b"two")));
        d.mark_last_track_damaged();
        let back = Disc::from_snapshot(&d.snapshot()).unwrap();
        assert_eq!(back.read_back(), d.read_back());
        assert_eq!(back.snapshot(), d.snapshot());
        assert!(back.read_back().tracks[1].damaged);
        d.close_session(false);
        assert_eq!(Disc::from_snapshot(&d.snapshot()).unwrap().read_back(), d.read_back());
    }

    #[test]
    fn a_snapshot_that_cannot_exist_is_refused_with_its_reason() {
        let mut d = Disc::new(&media_by_name("cdr80").unwrap(), layout());
        d.append_track(22_500, None);
        d.append_track(1_000, None);
        let good = d.snapshot();
        let mut s = good.clone();
        s.tracks[1].start = 100;
        assert!(Disc::from_snapshot(&s).unwrap_err().contains("track 2 starts at 100"));
        let mut s = good.clone();
        s.tracks[0].number = 7;
        assert!(Disc::from_snapshot(&s).unwrap_err().contains("numbered 7"));
        let mut s = good.clone();
        s.tracks[1].digest = Some("zz".into());
        assert!(Disc::from_snapshot(&s).unwrap_err().contains("64 hex digits"));
        let mut s = good.clone();
        s.session = SessionState::Empty;
        assert!(Disc::from_snapshot(&s).unwrap_err().contains("session is empty"));
        let mut s = good.clone();
        s.tracks[1].sectors = 400_000;
        assert!(Disc::from_snapshot(&s).unwrap_err().contains("past the last possible lead-out"));
        let mut s = good;
        s.last_possible_lead_out = 5;
        assert!(Disc::from_snapshot(&s).unwrap_err().contains("ATIP lead-out"));
    }
}
