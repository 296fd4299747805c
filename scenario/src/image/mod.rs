//! The simulated disc as files that other tools open: a BIN/CUE image, a text TOC and an SVG.
//!
//! - [`DiscImage`]: records an image of a [`SimBackend`](cdr_sim::SimBackend) burn. Its
//!   [`BinSink`] (a [`SectorSink`](cdr_sim::SectorSink)) streams every written sector into the
//!   BIN file through a fixed buffer; [`DiscImage::finish`] checks each track against the disc
//!   as read back (start, length, pregap and BLAKE3 digest), then writes the CUE sheet, the text
//!   TOC and the picture. Existing files are refused unless `force`.
//! - [`cue_sheet`], [`toc_text`], [`disc_svg`]: the three descriptions, as strings.
//! - [`run_with_image`](crate::runner::image::run_with_image): a scenario run on the
//!   simulator with its image recorded (`cdr-harness run --image DIR`).
//!
//! ## The BIN layout
//! Raw 2352-byte CD-DA sectors (44.1 kHz 16-bit stereo, little-endian), byte 0 = LBA 0, so a
//! track's INDEX 01 in the CUE sheet is its start LBA on the simulated disc and the image's TOC
//! matches the disc's exactly. The gaps between tracks, the two run-out sectors after a track
//! and the 150-sector pause before the next (INDEX 00), are silence in the file; so are the two
//! run-out sectors after the last track, so the file ends at the lead-out LBA. The first track's
//! 2-second pregap (LBA -150 to -1) is not in the file: see [`cue_sheet`].

mod bin;
mod cue;
mod export;
mod layout;
mod marks;
mod svg;
mod toc_text;

pub use bin::BinSink;
pub use cue::cue_sheet;
pub use export::{DiscImage, ImageError, ImageOutcome, ImagePaths, ImageSummary};
pub use layout::{absolute_msf, relative_msf, ImageLayout, ImageTrack};
pub use marks::{mark_of, TrackMark};
pub use svg::{disc_svg, disc_svg_marked, LEAD_OUT_SECTORS};
pub use toc_text::toc_text;
