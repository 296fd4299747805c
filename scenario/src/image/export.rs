//! Writing a simulated disc as an image: a BIN file streamed during the burn, then its CUE sheet,
//! text TOC and SVG picture once the disc is read back.

use std::fs::OpenOptions;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use cdr_sim::{DiscReadBack, SimBackend};

use super::bin::{lock, BinSink, BinState};
use super::cue::{cue_sheet, toc_of};
use super::layout::ImageLayout;
use super::svg::disc_svg_marked;
use super::toc_text::toc_text_marked;

/// Why an image could not be written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ImageError {
    /// An output file exists and overwriting was not asked for.
    #[error("{}: already exists; refusing to overwrite it (use --force to overwrite)", path.display())]
    Exists {
        /// The existing file.
        path: PathBuf,
    },
    /// A file could not be written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's error.
        source: io::Error,
    },
    /// The image name cannot be a file name referenced from a CUE sheet.
    #[error("`{stem}` cannot name an image: {why}")]
    BadName {
        /// The name given.
        stem: String,
        /// What is wrong with it.
        why: &'static str,
    },
    /// Writing the BIN file failed while the drive was writing (the burn saw a device error).
    #[error("the BIN file could not be written during the burn: {0}")]
    Burn(String),
    /// What the drive wrote does not match the disc as read back.
    #[error("the image does not match the disc read back: {0}")]
    Mismatch(String),
}

/// The four files of an image: `<stem>.bin`, `<stem>.cue`, `<stem>.toc.txt`, `<stem>.svg`.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ImagePaths {
    /// Raw 2352-byte sectors from LBA 0.
    pub bin: PathBuf,
    /// The CUE sheet referencing the BIN file by name.
    pub cue: PathBuf,
    /// The text table of contents.
    pub toc: PathBuf,
    /// The picture of the layout.
    pub svg: PathBuf,
}

impl ImagePaths {
    /// The files named `stem` in `dir`. The stem must be usable inside a quoted CUE `FILE` name.
    pub fn new(dir: &Path, stem: &str) -> Result<ImagePaths, ImageError> {
        let bad = |why| Err(ImageError::BadName { stem: stem.into(), why });
        if stem.is_empty() {
            return bad("the name is empty");
        }
        if stem.contains(['"', '/', '\\']) || stem.chars().any(char::is_control) {
            return bad("quotes, slashes and control characters cannot appear in a CUE sheet's FILE name");
        }
        let file = |ext: &str| dir.join(format!("{stem}.{ext}"));
        Ok(ImagePaths { bin: file("bin"), cue: file("cue"), toc: file("toc.txt"), svg: file("svg") })
    }

    /// All four paths.
    pub fn all(&self) -> [&Path; 4] {
        [&self.bin, &self.cue, &self.toc, &self.svg]
    }
}

/// What [`DiscImage::finish`] wrote.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum ImageOutcome {
    /// The image was written.
    Written(ImageSummary),
    /// Nothing was burned, so there is no image; no file was written.
    NotWritten {
        /// Why, in words.
        reason: String,
    },
}

/// An image as written.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ImageSummary {
    /// The files.
    pub paths: ImagePaths,
    /// Bytes in the BIN file.
    pub bin_bytes: u64,
    /// Tracks in the image.
    pub tracks: usize,
    /// The MusicBrainz disc ID (`None` while the session is open).
    pub musicbrainz_id: Option<String>,
    /// The FreeDB disc ID (`None` while the session is open).
    pub freedb_id: Option<String>,
}

/// An image being recorded: create it before the burn, give its sink to the simulator, finish it
/// with the disc as read back.
///
/// ```no_run
/// use cdr_scenario::image::{DiscImage, ImagePaths};
/// # fn run(backend: &cdr_sim::SimBackend) -> cdr_sim::DiscReadBack { unimplemented!() }
/// # fn demo(backend: &cdr_sim::SimBackend) -> Result<(), cdr_scenario::image::ImageError> {
/// let image = DiscImage::create(ImagePaths::new("out".as_ref(), "three-wavs")?, false)?;
/// image.attach(backend);
/// let disc = run(backend); // the burn, then Backend::read_back
/// let outcome = image.finish(backend, &disc)?;
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct DiscImage {
    paths: ImagePaths,
    force: bool,
    /// Tracks whose write was cancelled (marked in the TOC and the picture).
    cancelled: Vec<u32>,
    state: Arc<Mutex<BinState>>,
}

impl DiscImage {
    /// Prepares an image at `paths`: refuses existing files unless `force`, creates the directory.
    /// The BIN file itself is created when the drive writes its first sector.
    pub fn create(paths: ImagePaths, force: bool) -> Result<DiscImage, ImageError> {
        if !force {
            if let Some(p) = paths.all().into_iter().find(|p| p.exists()) {
                return Err(ImageError::Exists { path: p.to_path_buf() });
            }
        }
        if let Some(dir) = paths.bin.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| ImageError::Io { path: dir.to_path_buf(), source })?;
        }
        let state = Arc::new(Mutex::new(BinState::new(paths.bin.clone(), force)));
        Ok(DiscImage { paths, force, cancelled: Vec::new(), state })
    }

    /// The sector sink that writes the BIN file.
    pub fn sink(&self) -> BinSink {
        BinSink { state: Arc::clone(&self.state) }
    }

    /// Installs [`DiscImage::sink`] on `backend` (`SimBackend::set_sector_sink`).
    pub fn attach(&self, backend: &SimBackend) {
        backend.set_sector_sink(Some(Box::new(self.sink())));
    }

    /// Marks tracks `numbers` as cancelled in the TOC text and the picture (the disc itself
    /// does not tell; see [`Transcript::cancelled_tracks`](crate::transcript::Transcript::cancelled_tracks)).
    pub fn mark_cancelled(&mut self, numbers: Vec<u32>) {
        self.cancelled = numbers;
    }

    /// The files of this image.
    pub fn paths(&self) -> &ImagePaths {
        &self.paths
    }

    /// Detaches the sink from `backend` and completes the image from the disc as read back.
    pub fn finish(self, backend: &SimBackend, disc: &DiscReadBack) -> Result<ImageOutcome, ImageError> {
        backend.set_sector_sink(None);
        self.complete(disc)
    }

    /// Completes the image from the disc as read back, for a sink not installed with
    /// [`DiscImage::attach`]: checks every track against what was written, ends the BIN file at
    /// the lead-out, and writes the CUE sheet, the text TOC and the SVG.
    pub fn complete(self, disc: &DiscReadBack) -> Result<ImageOutcome, ImageError> {
        let mut state = lock(&self.state);
        let bin_err = |e: io::Error| ImageError::Io { path: self.paths.bin.clone(), source: e };
        if let Some(e) = state.sink_error() {
            let _ = state.discard(false);
            return Err(ImageError::Burn(e));
        }
        let Some(media) = &disc.media else {
            state.discard(true).map_err(bin_err)?;
            return Ok(ImageOutcome::NotWritten { reason: "no disc in the tray".into() });
        };
        let layout = match ImageLayout::check(media, state.tracks()) {
            Ok(Some(layout)) => layout,
            Ok(None) => {
                state.discard(true).map_err(bin_err)?;
                return Ok(ImageOutcome::NotWritten { reason: "no track was burned".into() });
            }
            Err(why) => {
                state.discard(true).map_err(bin_err)?;
                return Err(ImageError::Mismatch(why));
            }
        };
        let bin_bytes = state.finish(layout.bin_sectors).map_err(bin_err)?;
        state.discard(false).map_err(bin_err)?;
        drop(state);

        let bin_name = file_name(&self.paths.bin);
        self.write(&self.paths.cue, &cue_sheet(&bin_name, &layout))?;
        self.write(&self.paths.toc, &toc_text_marked(&bin_name, media, &layout, &self.cancelled))?;
        self.write(&self.paths.svg, &disc_svg_marked(disc, &self.cancelled))?;
        let toc = toc_of(&layout);
        Ok(ImageOutcome::Written(ImageSummary {
            paths: self.paths.clone(),
            bin_bytes,
            tracks: layout.tracks.len(),
            musicbrainz_id: toc.as_ref().map(|t| t.musicbrainz_id()),
            freedb_id: toc.as_ref().map(|t| t.freedb_id()),
        }))
    }

    /// Writes a text file, refusing an existing one unless forced.
    fn write(&self, path: &Path, text: &str) -> Result<(), ImageError> {
        let mut options = OpenOptions::new();
        options.write(true);
        if self.force {
            options.create(true).truncate(true);
        } else {
            options.create_new(true);
        }
        let io_err = |source: io::Error| {
            if source.kind() == io::ErrorKind::AlreadyExists {
                ImageError::Exists { path: path.to_path_buf() }
            } else {
                ImageError::Io { path: path.to_path_buf(), source }
            }
        };
        options.open(path).and_then(|mut f| f.write_all(text.as_bytes())).map_err(io_err)
    }
}

fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use cdr_sim::{DiscState, MediaReadBack, PhysicalMediaType, SectorSink, SessionState, TrackReadBack};

    fn media(tracks: Vec<TrackReadBack>, lead_out: Option<i32>) -> DiscReadBack {
        DiscReadBack {
            media: Some(MediaReadBack {
                media_type: PhysicalMediaType::CdR,
                atip: None,
                status: if tracks.is_empty() { DiscState::Blank } else { DiscState::Complete },
                last_session_state: SessionState::Complete,
                sessions: 1,
                first_track: 1,
                tracks,
                lead_out,
                last_possible_lead_out: 359_847,
                next_writable_address: None,
                free_blocks: 0,
            }),
        }
    }

    fn track(sectors: u32, digest: Option<String>) -> TrackReadBack {
        TrackReadBack { number: 1, session: 1, start: 0, sectors, pregap: 150, data_bytes: 0, digest, damaged: false }
    }

    #[test]
    fn existing_files_are_refused_before_the_burn_unless_forced() {
        let dir = tempfile::tempdir().unwrap();
        let paths = ImagePaths::new(dir.path(), "disc").unwrap();
        std::fs::write(&paths.toc, "mine").unwrap();
        match DiscImage::create(paths.clone(), false) {
            Err(ImageError::Exists { path }) => assert_eq!(path, paths.toc),
            other => panic!("{other:?}"),
        }
        assert!(DiscImage::create(paths.clone(), true).is_ok());
        assert_eq!(std::fs::read_to_string(&paths.toc).unwrap(), "mine", "create alone writes nothing");
    }

    #[test]
    fn a_blank_disc_gives_no_image_and_no_files() {
        let dir = tempfile::tempdir().unwrap();
        let paths = ImagePaths::new(&dir.path().join("out"), "blank").unwrap();
        let image = DiscImage::create(paths.clone(), false).unwrap();
        assert!(matches!(image.complete(&media(vec![], None)).unwrap(), ImageOutcome::NotWritten { .. }));
        assert!(paths.all().iter().all(|p| !p.exists()));
    }

    #[test]
    fn a_disc_that_disagrees_with_what_was_written_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let paths = ImagePaths::new(dir.path(), "x").unwrap();
        let image = DiscImage::create(paths.clone(), false).unwrap();
        let mut sink = image.sink();
        sink.begin_track(1, 0, 150).unwrap();
        sink.write_sectors(&[1; 2352 * 3]).unwrap();
        sink.end_track(1, 3).unwrap();
        let err = image.complete(&media(vec![track(4, None)], Some(6))).unwrap_err();
        assert!(err.to_string().contains("track 1 has 4 sectors on the disc but 3 in the image"), "{err}");
        assert!(!paths.bin.exists(), "a wrong image is not left behind");

        let image = DiscImage::create(paths.clone(), false).unwrap();
        let mut sink = image.sink();
        sink.begin_track(1, 0, 150).unwrap();
        sink.write_sectors(&[1; 2352]).unwrap();
        sink.end_track(1, 1).unwrap();
        let err = image.complete(&media(vec![track(1, Some("00".repeat(32)))], Some(3))).unwrap_err();
        assert!(err.to_string().contains("track 1 audio differs"), "{err}");
    }

    #[test]
    fn names_that_a_cue_sheet_cannot_quote_are_refused() {
        for stem in ["", "a\"b", "a/b", "tab\there"] {
            assert!(matches!(ImagePaths::new("d".as_ref(), stem), Err(ImageError::BadName { .. })), "{stem:?}");
        }
    }
}
