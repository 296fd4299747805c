//! The image's table of contents as text: what a person checks first.

use std::fmt::Write as _;

use cdr_sim::{MediaReadBack, SECTOR_BYTES};

use super::cue::toc_of;
use super::layout::{absolute_msf, relative_msf, ImageLayout};
use super::marks::{mark_of, TrackMark};

/// The text TOC: one line per track (start LBA and MSF, pregap, length, offset in the BIN file,
/// BLAKE3 of the audio), the lead-out and the last possible lead-out, and the disc IDs.
pub fn toc_text(bin_name: &str, media: &MediaReadBack, layout: &ImageLayout) -> String {
    toc_text_marked(bin_name, media, layout, &[])
}

/// [`toc_text`], with damaged tracks (from the disc) and the tracks numbered in `cancelled`
/// marked at the end of their line, and what each mark means under the table.
pub fn toc_text_marked(bin_name: &str, media: &MediaReadBack, layout: &ImageLayout, cancelled: &[u32]) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "image: {bin_name}");
    let _ = writeln!(
        s,
        "format: raw {SECTOR_BYTES}-byte CD-DA sectors (44100 Hz, 16-bit, stereo, little-endian); byte 0 is LBA 0"
    );
    let _ = writeln!(
        s,
        "disc: {} {}, {} session(s), tracks {}..{}",
        media.media_type,
        match media.status {
            cdr_sim::DiscState::Blank => "blank",
            cdr_sim::DiscState::Appendable => "appendable",
            cdr_sim::DiscState::Complete => "complete",
        },
        media.sessions,
        layout.tracks.first().map_or(0, |t| t.number),
        layout.tracks.last().map_or(0, |t| t.number),
    );
    match toc_of(layout) {
        Some(toc) => {
            let _ = writeln!(s, "musicbrainz disc id: {}", toc.musicbrainz_id());
            let _ = writeln!(s, "freedb disc id: {}", toc.freedb_id());
        }
        None => {
            let _ = writeln!(s, "disc ids: none (the session is not closed: no lead-out)");
        }
    }
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "{:>8}  {:>7}  {:>6}  {:>9}  {:>8}  {:>7}  {:>8}  {:>12}  blake3",
        "track", "session", "pregap", "start LBA", "MSF", "sectors", "length", "bin offset"
    );
    let mut marks = Vec::new();
    for t in &layout.tracks {
        let _ = writeln!(
            s,
            "{:>8}  {:>7}  {:>6}  {:>9}  {:>8}  {:>7}  {:>8}  {:>12}  {}",
            t.number,
            t.session,
            t.pregap,
            t.start,
            absolute_msf(t.start),
            t.sectors,
            relative_msf(i64::from(t.sectors)),
            i64::from(t.start) * SECTOR_BYTES as i64,
            t.digest.as_deref().unwrap_or("unknown"),
        );
        if let Some(mark) = mark_of(media, cancelled, t.number) {
            // The line just written gets the mark in capitals, where the eye finds it.
            s.pop();
            let _ = writeln!(s, "  {}", mark.name().to_uppercase());
            marks.push(mark);
        }
    }
    match layout.lead_out {
        Some(l) => {
            let _ = writeln!(s, "{:>8}  {:>7}  {:>6}  {:>9}  {:>8}", "lead-out", "", "", l, absolute_msf(l));
        }
        None => {
            let _ = writeln!(s, "lead-out: none yet (session open)");
        }
    }
    marks.dedup();
    for mark in [TrackMark::Damaged, TrackMark::Cancelled].into_iter().filter(|m| marks.contains(m)) {
        let _ = writeln!(s, "{}: {}", mark.name().to_uppercase(), mark.meaning());
    }
    let lpl = media.last_possible_lead_out;
    let _ = writeln!(s, "last possible lead-out: LBA {lpl} ({})", absolute_msf(lpl));
    let _ = writeln!(s, "bin size: {} sectors, {} bytes", layout.bin_sectors, layout.bin_sectors * SECTOR_BYTES as u64);
    s
}
