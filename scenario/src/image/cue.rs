//! The CUE sheet of a BIN image.
//!
//! Positions are relative to the BIN file, which starts at LBA 0, so INDEX 01 of each track is its
//! start LBA and INDEX 00 its start minus its pregap. The first track's 2-second pregap (LBA -150
//! to -1) is not in the file and gets no line: CDRWIN's cue semantics, which burners and rippers
//! follow, make that pause implicit, and a `PREGAP 00:02:00` on track 1 would ask for 2 seconds
//! more. A pregap longer than 2 s before LBA 0 gets a `PREGAP` line for the excess only.

use super::layout::{relative_msf, ImageLayout};
use crate::discid::DiscToc;

/// The sheet for `layout`, its BIN file named `bin_name` (a file name in the same directory).
pub fn cue_sheet(bin_name: &str, layout: &ImageLayout) -> String {
    let mut s = String::new();
    let toc = toc_of(layout);
    if let Some(toc) = &toc {
        s.push_str(&format!("REM DISCID {}\n", toc.freedb_id().to_uppercase()));
        s.push_str(&format!("REM MUSICBRAINZ_DISCID {}\n", toc.musicbrainz_id()));
    }
    s.push_str("REM COMMENT \"cdr-harness: image of a simulated CD-R\"\n");
    s.push_str(&format!("FILE \"{bin_name}\" BINARY\n"));
    for t in &layout.tracks {
        s.push_str(&format!("  TRACK {:02} AUDIO\n", t.number));
        let index00 = i64::from(t.start) - i64::from(t.pregap);
        if index00 < 0 {
            let excess = -index00 - i64::from(cdr_sim::msf::LBA_OFFSET);
            if excess > 0 {
                s.push_str(&format!("    PREGAP {}\n", relative_msf(excess)));
            }
            if t.start > 0 {
                s.push_str("    INDEX 00 00:00:00\n");
            }
        } else if t.pregap > 0 {
            s.push_str(&format!("    INDEX 00 {}\n", relative_msf(index00)));
        }
        s.push_str(&format!("    INDEX 01 {}\n", relative_msf(i64::from(t.start))));
    }
    s
}

/// The disc-ID TOC of a layout, when it has a lead-out.
pub(crate) fn toc_of(layout: &ImageLayout) -> Option<DiscToc> {
    let lead_out = layout.lead_out?;
    let first = layout.tracks.first()?;
    let last = layout.tracks.last()?;
    let frames = |lba: i32| u32::try_from(lba + cdr_sim::msf::LBA_OFFSET).ok();
    let offsets = layout.tracks.iter().map(|t| frames(t.start)).collect::<Option<Vec<_>>>()?;
    DiscToc::new(first.number, last.number, frames(lead_out)?, offsets).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::layout::ImageTrack;

    fn track(number: u32, start: i32, pregap: u32, sectors: u32) -> ImageTrack {
        ImageTrack { number, session: 1, start, pregap, sectors, digest: None }
    }

    #[test]
    fn three_tracks_with_the_default_layout() {
        // S1 = 0, S(k+1) = S(k) + L(k) + 152, lead-out = S(N) + L(N) + 2 (spec section 4).
        let layout = ImageLayout {
            tracks: vec![track(1, 0, 150, 300), track(2, 452, 150, 400), track(3, 1004, 150, 300)],
            lead_out: Some(1306),
            bin_sectors: 1306,
        };
        let cue = cue_sheet("disc.bin", &layout);
        let body: Vec<&str> = cue.lines().filter(|l| !l.starts_with("REM")).collect();
        assert_eq!(
            body,
            [
                "FILE \"disc.bin\" BINARY",
                "  TRACK 01 AUDIO",
                "    INDEX 01 00:00:00",
                "  TRACK 02 AUDIO",
                "    INDEX 00 00:04:02",
                "    INDEX 01 00:06:02",
                "  TRACK 03 AUDIO",
                "    INDEX 00 00:11:29",
                "    INDEX 01 00:13:29",
            ]
        );
        assert!(cue.starts_with("REM DISCID "), "{cue}");
    }

    #[test]
    fn a_first_pregap_longer_than_two_seconds_states_only_the_excess() {
        let layout = ImageLayout { tracks: vec![track(1, 0, 225, 300)], lead_out: None, bin_sectors: 300 };
        let cue = cue_sheet("a.bin", &layout);
        assert!(cue.contains("    PREGAP 00:01:00\n    INDEX 01 00:00:00\n"), "{cue}");
        assert!(!cue.contains("REM DISCID"), "no lead-out, no disc ID: {cue}");
    }
}
