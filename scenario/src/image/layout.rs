//! The image's table of contents: the disc's tracks as read back, checked against what the drive
//! actually wrote into the BIN file.

use cdr_sim::{MediaReadBack, Msf};

use super::bin::WrittenTrack;

/// One track of the image: where it is on the disc and in the BIN file.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ImageTrack {
    /// Track number.
    pub number: u32,
    /// Session number.
    pub session: u32,
    /// Start LBA (INDEX 01); also the track's sector offset in the BIN file.
    pub start: i32,
    /// Pregap (INDEX 00 to INDEX 01), in sectors.
    pub pregap: u32,
    /// Length in sectors.
    pub sectors: u32,
    /// BLAKE3 of the track's audio, hex.
    pub digest: Option<String>,
}

impl ImageTrack {
    /// The first LBA after the track's audio.
    pub fn end(&self) -> i32 {
        self.start + self.sectors as i32
    }
}

/// The tracks and lead-out of an image.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ImageLayout {
    /// Tracks in order.
    pub tracks: Vec<ImageTrack>,
    /// Lead-out LBA, when the session is closed.
    pub lead_out: Option<i32>,
    /// Sectors in the BIN file: up to the lead-out (the last track's run-out included), or up to
    /// the end of the last track while the session is open.
    pub bin_sectors: u64,
}

impl ImageLayout {
    /// The layout of `media` as read back, each track checked against the one the drive wrote.
    /// `Ok(None)` when the run burned none of the disc's tracks (a blank disc, or only tracks
    /// that were on it before).
    pub(crate) fn check<'a>(
        media: &MediaReadBack,
        written: impl Iterator<Item = &'a WrittenTrack> + Clone,
    ) -> Result<Option<ImageLayout>, String> {
        let mut tracks = Vec::new();
        let mut burned = 0;
        for t in &media.tracks {
            let w = written.clone().find(|w| w.number == t.number && i64::try_from(w.start) == Ok(i64::from(t.start)));
            let Some(w) = w else {
                tracks.push(None);
                continue;
            };
            burned += 1;
            if w.sectors != u64::from(t.sectors) {
                return Err(format!(
                    "track {} has {} sectors on the disc but {} in the image",
                    t.number, t.sectors, w.sectors
                ));
            }
            if w.pregap != t.pregap {
                return Err(format!(
                    "track {} has a pregap of {} on the disc but {} as written",
                    t.number, t.pregap, w.pregap
                ));
            }
            if let (Some(disc), Some(image)) = (&t.digest, &w.digest) {
                if disc != image {
                    return Err(format!(
                        "track {} audio differs: BLAKE3 {disc} on the disc, {image} in the image",
                        t.number
                    ));
                }
            }
            tracks.push(Some(ImageTrack {
                number: t.number,
                session: t.session,
                start: t.start,
                pregap: t.pregap,
                sectors: t.sectors,
                digest: t.digest.clone().or_else(|| w.digest.clone()),
            }));
        }
        if burned == 0 {
            return Ok(None);
        }
        if let Some(i) = tracks.iter().position(Option::is_none) {
            let n = media.tracks[i].number;
            return Err(format!("track {n} is on the disc but was not written in this run, so its audio is unknown"));
        }
        let tracks: Vec<ImageTrack> = tracks.into_iter().flatten().collect();
        let last_end = tracks.last().map_or(0, ImageTrack::end);
        let end = media.lead_out.unwrap_or(last_end).max(last_end);
        Ok(Some(ImageLayout { tracks, lead_out: media.lead_out, bin_sectors: u64::try_from(end).unwrap_or(0) }))
    }
}

/// An LBA or a sector count as `MM:SS:FF` counted from 0 (CUE sheet positions, durations).
pub fn relative_msf(sectors: i64) -> String {
    let sectors = sectors.max(0);
    format!("{:02}:{:02}:{:02}", sectors / 4500, sectors / 75 % 60, sectors % 75)
}

/// An LBA as the absolute address a TOC shows (LBA + 150).
pub fn absolute_msf(lba: i32) -> String {
    Msf::from_lba(lba).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn msf_forms() {
        assert_eq!(relative_msf(0), "00:00:00");
        assert_eq!(relative_msf(452), "00:06:02");
        assert_eq!(relative_msf(4500 * 79 + 75 * 59 + 72), "79:59:72");
        assert_eq!(relative_msf(4500 * 120), "120:00:00");
        assert_eq!(absolute_msf(0), "00:02:00");
        assert_eq!(absolute_msf(359_847), "79:59:72");
    }
}
