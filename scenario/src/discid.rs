//! Disc identity: the MusicBrainz disc ID and the FreeDB (CDDB) disc ID of a table of contents,
//! as libdiscid computes them.
//!
//! Both are functions of the TOC alone: first and last track numbers, each track's start and the
//! lead-out, in frames counted from 00:00:00 (LBA + 150). Two discs with the same layout share
//! their IDs whatever their audio.
//!
//! ```
//! use cdr_scenario::discid::DiscToc;
//! // The example disc of MusicBrainz's "Disc ID Calculation" page.
//! let toc = DiscToc::new(1, 6, 95_462, vec![150, 15_363, 32_314, 46_592, 63_414, 80_489]).unwrap();
//! assert_eq!(toc.musicbrainz_id(), "49HHV7Eb8UKF3aQiNmu1GR8vKTY-");
//! ```

use std::fmt::Write as _;

use base64::Engine as _;
use cdr_sim::msf::LBA_OFFSET;
use cdr_sim::{DiscReadBack, MediaReadBack};
use sha1::{Digest, Sha1};

/// A table of contents as disc IDs read it. Offsets are frames from 00:00:00 (LBA + 150).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct DiscToc {
    first_track: u8,
    last_track: u8,
    lead_out: u32,
    offsets: Vec<u32>,
}

/// A TOC that no disc can have, or a disc that has no complete TOC.
#[derive(Clone, PartialEq, Eq, Debug, thiserror::Error)]
pub enum TocError {
    /// Track numbers outside 1..=99, or first after last.
    #[error("tracks {first}..{last}: track numbers run from 1 to 99, first <= last")]
    TrackNumbers {
        /// First track number.
        first: u32,
        /// Last track number.
        last: u32,
    },
    /// The offsets do not match the track numbers.
    #[error("{given} track offsets for tracks {first}..{last}, which need {needed}")]
    OffsetCount {
        /// First track number.
        first: u32,
        /// Last track number.
        last: u32,
        /// Offsets given.
        given: usize,
        /// Offsets needed.
        needed: usize,
    },
    /// Offsets that do not increase, start before 00:02:00, or reach the lead-out.
    #[error("track offsets must increase from at least 150 and stay below the lead-out ({lead_out}): {offsets:?}")]
    Order {
        /// The offsets given.
        offsets: Vec<u32>,
        /// The lead-out given.
        lead_out: u32,
    },
    /// The disc has no tracks.
    #[error("the disc has no tracks, so it has no disc ID")]
    NoTracks,
    /// The session is still open: no lead-out, so no disc ID.
    #[error("the session is not closed (no lead-out yet), so the disc has no disc ID")]
    NoLeadOut,
    /// More than one session: this module computes IDs of single-session audio discs.
    #[error("tracks in {sessions} sessions: disc IDs are computed here for single-session audio discs only")]
    MultiSession {
        /// Sessions holding tracks.
        sessions: u32,
    },
}

impl DiscToc {
    /// A TOC of tracks `first..=last` starting at `offsets` (frames, LBA + 150), and the lead-out.
    pub fn new(first: u32, last: u32, lead_out: u32, offsets: Vec<u32>) -> Result<DiscToc, TocError> {
        if !(1..=99).contains(&first) || !(1..=99).contains(&last) || first > last {
            return Err(TocError::TrackNumbers { first, last });
        }
        let needed = (last - first + 1) as usize;
        if offsets.len() != needed {
            return Err(TocError::OffsetCount { first, last, given: offsets.len(), needed });
        }
        let increasing = offsets.windows(2).all(|w| w[0] < w[1]);
        if !increasing || offsets[0] < LBA_OFFSET as u32 || offsets[needed - 1] >= lead_out {
            return Err(TocError::Order { offsets, lead_out });
        }
        Ok(DiscToc { first_track: first as u8, last_track: last as u8, lead_out, offsets })
    }

    /// The TOC of a disc as read back: its tracks and lead-out, LBAs shifted by 150.
    pub fn from_read_back(media: &MediaReadBack) -> Result<DiscToc, TocError> {
        let (Some(first), Some(last)) = (media.tracks.first(), media.tracks.last()) else {
            return Err(TocError::NoTracks);
        };
        if first.session != last.session {
            return Err(TocError::MultiSession { sessions: last.session - first.session + 1 });
        }
        let lead_out = media.lead_out.ok_or(TocError::NoLeadOut)?;
        let frames = |lba: i32| u32::try_from(lba + LBA_OFFSET).unwrap_or(0);
        let offsets = media.tracks.iter().map(|t| frames(t.start)).collect();
        DiscToc::new(first.number, last.number, frames(lead_out), offsets)
    }

    /// First track number.
    pub fn first_track(&self) -> u32 {
        self.first_track.into()
    }

    /// Last track number.
    pub fn last_track(&self) -> u32 {
        self.last_track.into()
    }

    /// Lead-out start in frames (LBA + 150).
    pub fn lead_out(&self) -> u32 {
        self.lead_out
    }

    /// Track starts in frames (LBA + 150), first track first.
    pub fn offsets(&self) -> &[u32] {
        &self.offsets
    }

    /// The MusicBrainz disc ID: SHA-1 over the TOC as upper-case hex text (first and last track
    /// as 2 digits, then the lead-out and the offsets of tracks 1 to 99 as 8 digits, 0 for
    /// absent tracks), in base64 with `.`, `_` and `-` for `+`, `/` and `=`. 28 characters.
    pub fn musicbrainz_id(&self) -> String {
        let mut text = String::with_capacity(2 + 2 + 8 * 100);
        let _ = write!(text, "{:02X}{:02X}{:08X}", self.first_track, self.last_track, self.lead_out);
        for number in 1..=99u8 {
            let offset = self.offset_of(number).unwrap_or(0);
            let _ = write!(text, "{offset:08X}");
        }
        let digest = Sha1::digest(text.as_bytes());
        base64::engine::general_purpose::STANDARD
            .encode(digest)
            .chars()
            .map(|c| match c {
                '+' => '.',
                '/' => '_',
                '=' => '-',
                c => c,
            })
            .collect()
    }

    /// The FreeDB (CDDB) disc ID as a number: the digit sums of the track starts in seconds
    /// (mod 255) in the top byte, the seconds from the first track to the lead-out in the middle
    /// two bytes, and the number of tracks in the low byte.
    pub fn freedb_id_number(&self) -> u32 {
        let digit_sum = |mut n: u32| {
            let mut sum = 0;
            while n > 0 {
                sum += n % 10;
                n /= 10;
            }
            sum
        };
        let n: u32 = self.offsets.iter().map(|&o| digit_sum(o / 75)).sum();
        let t = self.lead_out / 75 - self.offsets[0] / 75;
        ((n % 0xFF) << 24) | (t << 8) | self.offsets.len() as u32
    }

    /// The FreeDB disc ID as 8 lower-case hex digits, as libdiscid and CDDB servers write it.
    pub fn freedb_id(&self) -> String {
        format!("{:08x}", self.freedb_id_number())
    }

    /// The TOC in MusicBrainz's lookup form: `first last lead-out offset...`.
    pub fn musicbrainz_toc(&self) -> String {
        let mut s = format!("{} {} {}", self.first_track, self.last_track, self.lead_out);
        for o in &self.offsets {
            let _ = write!(s, " {o}");
        }
        s
    }

    fn offset_of(&self, number: u8) -> Option<u32> {
        let index = number.checked_sub(self.first_track)?;
        self.offsets.get(usize::from(index)).copied()
    }
}

/// A disc's identity as a transcript shows it, next to the read-back.
#[derive(Clone, PartialEq, Eq, Debug, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiscIdentity {
    /// The MusicBrainz disc ID.
    pub musicbrainz: String,
    /// The FreeDB (CDDB) disc ID, 8 hex digits.
    pub freedb: String,
    /// The TOC in MusicBrainz's lookup form: `first last lead-out offset...` (frames).
    pub toc: String,
}

impl DiscIdentity {
    /// The identity of the disc in the tray; `None` for an empty tray, a blank disc or an open
    /// session (no lead-out), which have no disc ID.
    pub fn of(disc: &DiscReadBack) -> Option<DiscIdentity> {
        let toc = DiscToc::from_read_back(disc.media.as_ref()?).ok()?;
        Some(DiscIdentity { musicbrainz: toc.musicbrainz_id(), freedb: toc.freedb_id(), toc: toc.musicbrainz_toc() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// libdiscid's own test TOC: metabrainz/libdiscid, `test/test_put.c` (discid_put with first 1,
    /// last 22, offsets[0] = lead-out 303602), expecting "xUp1F2NkfP8s8jaeFn_Av3jNEI4-" and
    /// FreeDB "370fce16".
    #[test]
    fn libdiscid_test_put_vector() {
        let offsets = vec![
            150, 9700, 25887, 39297, 53795, 63735, 77517, 94877, 107270, 123552, 135522, 148422, 161197, 174790,
            192022, 205545, 218010, 228700, 239590, 255470, 266932, 288750,
        ];
        let toc = DiscToc::new(1, 22, 303_602, offsets).unwrap();
        assert_eq!(toc.musicbrainz_id(), "xUp1F2NkfP8s8jaeFn_Av3jNEI4-");
        assert_eq!(toc.freedb_id(), "370fce16");
    }

    /// The example on MusicBrainz's "Disc ID Calculation" page (musicbrainz.org/doc/Disc_ID_Calculation):
    /// cdrecord's TOC of a 6-track CD (LBAs 0, 15213, 32164, 46442, 63264, 80339, lead-out 95312),
    /// plus 150, gives the disc ID "49HHV7Eb8UKF3aQiNmu1GR8vKTY-". The page gives no FreeDB ID.
    #[test]
    fn musicbrainz_documentation_example() {
        let lbas = [0, 15_213, 32_164, 46_442, 63_264, 80_339];
        let toc = DiscToc::new(1, 6, 95_312 + 150, lbas.iter().map(|l| l + 150).collect()).unwrap();
        assert_eq!(toc.musicbrainz_id(), "49HHV7Eb8UKF3aQiNmu1GR8vKTY-");
    }

    /// python-discid's test disc: metabrainz/python-discid, `test_discid.py` ("Guano Apes - Don't
    /// give Me Names, without last data track": first 1, last 15, sectors 258725), expecting
    /// "TqvKjMu7dMliSfmVEBtrL7sBSno-" and FreeDB "b60d770f".
    #[test]
    fn python_discid_test_vector() {
        let offsets = vec![
            150, 17510, 33275, 45910, 57805, 78310, 94650, 109580, 132010, 149160, 165115, 177710, 203325, 215555,
            235590,
        ];
        let toc = DiscToc::new(1, 15, 258_725, offsets).unwrap();
        assert_eq!(toc.musicbrainz_id(), "TqvKjMu7dMliSfmVEBtrL7sBSno-");
        assert_eq!(toc.freedb_id(), "b60d770f");
        assert_eq!(toc.musicbrainz_toc().split(' ').count(), 3 + 15);
    }

    #[test]
    fn impossible_tocs_are_refused() {
        assert!(matches!(DiscToc::new(0, 1, 500, vec![150]), Err(TocError::TrackNumbers { .. })));
        assert!(matches!(DiscToc::new(2, 1, 500, vec![150]), Err(TocError::TrackNumbers { .. })));
        assert!(matches!(DiscToc::new(1, 100, 500, vec![150]), Err(TocError::TrackNumbers { .. })));
        assert!(matches!(DiscToc::new(1, 2, 500, vec![150]), Err(TocError::OffsetCount { .. })));
        assert!(matches!(DiscToc::new(1, 2, 500, vec![300, 200]), Err(TocError::Order { .. })));
        assert!(matches!(DiscToc::new(1, 1, 500, vec![100]), Err(TocError::Order { .. })));
        assert!(matches!(DiscToc::new(1, 1, 500, vec![500]), Err(TocError::Order { .. })));
    }

    #[test]
    fn a_first_track_other_than_one_fills_its_own_slot() {
        let a = DiscToc::new(1, 2, 1000, vec![150, 500]).unwrap();
        let b = DiscToc::new(2, 3, 1000, vec![150, 500]).unwrap();
        assert_ne!(a.musicbrainz_id(), b.musicbrainz_id());
        assert_eq!(a.musicbrainz_id().len(), 28);
    }
}
