//! The BIN file: every sector the simulated drive writes, at its LBA's offset, streamed to disk.

use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use cdr_sim::{SectorSink, SECTOR_BYTES};

/// Write buffer of the BIN file: the memory the image writer holds, whatever the disc's size.
const WRITE_BUFFER_BYTES: usize = 256 * 1024;

/// Silence, written in pieces of this many sectors.
static ZEROS: [u8; SECTOR_BYTES * 16] = [0; SECTOR_BYTES * 16];

/// A track as the drive wrote it into the BIN file.
#[derive(Clone, Debug)]
pub(crate) struct WrittenTrack {
    /// Track number.
    pub number: u32,
    /// Start LBA (INDEX 01), which is also its sector offset in the BIN file.
    pub start: u64,
    /// Pregap before the start, in sectors.
    pub pregap: u32,
    /// Sectors in the BIN file for this track.
    pub sectors: u64,
    /// Sectors the drive reported in `end_track` but never sent, written as silence.
    pub filled: u64,
    /// BLAKE3 of the track's sectors as written, hex; `None` until the track is closed, or when
    /// the drive closed it shorter than what it had sent.
    pub digest: Option<String>,
    hasher: blake3::Hasher,
    closed: bool,
}

/// The state the sink and the finishing step share.
#[derive(Debug)]
pub(crate) struct BinState {
    path: PathBuf,
    force: bool,
    file: Option<BufWriter<File>>,
    /// Sector index of the next write.
    pos: u64,
    tracks: Vec<WrittenTrack>,
    open: Option<usize>,
    /// The first error returned to the drive, for the report.
    error: Option<String>,
}

impl BinState {
    pub(crate) fn new(path: PathBuf, force: bool) -> BinState {
        BinState { path, force, file: None, pos: 0, tracks: Vec::new(), open: None, error: None }
    }

    /// The first error the sink returned to the drive, if any.
    pub(crate) fn sink_error(&self) -> Option<String> {
        self.error.clone()
    }

    /// Keeps the first error returned to the drive.
    fn note<T>(&mut self, r: io::Result<T>) -> io::Result<T> {
        if let Err(e) = &r {
            self.error.get_or_insert_with(|| e.to_string());
        }
        r
    }

    /// Closed tracks in the order they were written.
    pub(crate) fn tracks(&self) -> impl Iterator<Item = &WrittenTrack> + Clone {
        self.tracks.iter().filter(|t| t.closed)
    }

    /// Creates the BIN file on the first write: refusing an existing one unless forced.
    fn file(&mut self) -> io::Result<&mut BufWriter<File>> {
        if self.file.is_none() {
            let file = create(&self.path, self.force).map_err(|e| annotate(&self.path, e))?;
            self.file = Some(BufWriter::with_capacity(WRITE_BUFFER_BYTES, file));
        }
        Ok(self.file.as_mut().expect("created above"))
    }

    /// Writes silence from the current position up to sector `to`; returns the bytes written.
    fn zeros_to(&mut self, to: u64) -> io::Result<()> {
        while self.pos < to {
            let n = (to - self.pos).min((ZEROS.len() / SECTOR_BYTES) as u64);
            self.file()?.write_all(&ZEROS[..n as usize * SECTOR_BYTES])?;
            self.pos += n;
        }
        Ok(())
    }

    fn seek_to(&mut self, sector: u64) -> io::Result<()> {
        self.file()?.seek(SeekFrom::Start(sector * SECTOR_BYTES as u64))?;
        self.pos = sector;
        Ok(())
    }

    fn close_open(&mut self) {
        if let Some(i) = self.open.take() {
            let t = &mut self.tracks[i];
            t.closed = true;
            t.digest = Some(t.hasher.finalize().to_hex().to_string());
        }
    }

    fn begin(&mut self, number: u32, start: i32, pregap: u32) -> io::Result<()> {
        let start = u64::try_from(start).map_err(|_| {
            io::Error::new(io::ErrorKind::InvalidInput, format!("track {number} starts at LBA {start}, before LBA 0"))
        })?;
        self.file()?;
        self.close_open();
        // A track written where an earlier one was (one the drive discarded) replaces it.
        self.tracks.retain(|t| t.start < start);
        if start < self.pos {
            self.seek_to(start)?;
        } else {
            // Run-out and pause before this track: silence.
            self.zeros_to(start)?;
        }
        self.tracks.push(WrittenTrack {
            number,
            start,
            pregap,
            sectors: 0,
            filled: 0,
            digest: None,
            hasher: blake3::Hasher::new(),
            closed: false,
        });
        self.open = Some(self.tracks.len() - 1);
        Ok(())
    }

    fn write(&mut self, data: &[u8]) -> io::Result<()> {
        let Some(i) = self.open else {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "sectors written outside a track"));
        };
        if data.len() % SECTOR_BYTES != 0 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{} bytes is not a whole number of {SECTOR_BYTES}-byte sectors", data.len()),
            ));
        }
        self.file()?.write_all(data)?;
        let n = (data.len() / SECTOR_BYTES) as u64;
        self.pos += n;
        let t = &mut self.tracks[i];
        t.hasher.update(data);
        t.sectors += n;
        Ok(())
    }

    fn end(&mut self, number: u32, sectors: u32) -> io::Result<()> {
        let Some(i) = self.open.filter(|&i| self.tracks[i].number == number) else {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, format!("track {number} ended but was not begun")));
        };
        let (start, written) = (self.tracks[i].start, self.tracks[i].sectors);
        let sectors = u64::from(sectors);
        if sectors > written {
            // Reported but never sent: silence, so the layout still holds.
            let from = self.pos;
            self.zeros_to(start + sectors)?;
            let t = &mut self.tracks[i];
            for _ in from..start + sectors {
                t.hasher.update(&ZEROS[..SECTOR_BYTES]);
            }
            t.filled = sectors - written;
            t.sectors = sectors;
        } else if sectors < written {
            self.seek_to(start + sectors)?;
            let t = &mut self.tracks[i];
            t.sectors = sectors;
            t.closed = true;
            self.open = None;
            return Ok(());
        }
        self.close_open();
        Ok(())
    }

    /// Ends the file at sector `end`: silence up to it, nothing after it.
    pub(crate) fn finish(&mut self, end: u64) -> io::Result<u64> {
        self.close_open();
        self.zeros_to(end)?;
        let path = self.path.clone();
        let file = self.file()?;
        file.flush().map_err(|e| annotate(&path, e))?;
        let bytes = end * SECTOR_BYTES as u64;
        file.get_ref().set_len(bytes).map_err(|e| annotate(&path, e))?;
        Ok(bytes)
    }

    /// Drops the file handle; removes the file when `remove` (an image with nothing in it).
    pub(crate) fn discard(&mut self, remove: bool) -> io::Result<()> {
        if self.file.take().is_some() && remove {
            std::fs::remove_file(&self.path)?;
        }
        Ok(())
    }
}

/// Creates `path` for writing: refuses an existing file (`AlreadyExists`) unless `force`, which
/// truncates it.
pub(crate) fn create(path: &Path, force: bool) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true);
    if force {
        options.create(true).truncate(true);
    } else {
        options.create_new(true);
    }
    options.open(path)
}

/// An I/O error that names the file.
pub(crate) fn annotate(path: &Path, e: io::Error) -> io::Error {
    io::Error::new(e.kind(), format!("{}: {e}", path.display()))
}

/// Locks the shared state; a panic elsewhere does not poison the image.
pub(crate) fn lock(state: &Mutex<BinState>) -> MutexGuard<'_, BinState> {
    state.lock().unwrap_or_else(|p| p.into_inner())
}

/// The [`SectorSink`] that writes the BIN file; install it with `SimBackend::set_sector_sink`.
/// Sectors land at their LBA's offset (LBA x at byte 2352 x), the gaps between tracks (run-out
/// and pause) are written as silence, and the file is streamed through a 256 KiB buffer.
#[derive(Debug, Clone)]
pub struct BinSink {
    pub(crate) state: Arc<Mutex<BinState>>,
}

impl SectorSink for BinSink {
    fn begin_track(&mut self, number: u32, start: i32, pregap: u32) -> io::Result<()> {
        let mut s = lock(&self.state);
        let r = s.begin(number, start, pregap);
        s.note(r)
    }

    fn write_sectors(&mut self, data: &[u8]) -> io::Result<()> {
        let mut s = lock(&self.state);
        let r = s.write(data);
        s.note(r)
    }

    fn end_track(&mut self, number: u32, sectors: u32) -> io::Result<()> {
        let mut s = lock(&self.state);
        let r = s.end(number, sectors);
        s.note(r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sector(b: u8) -> Vec<u8> {
        vec![b; SECTOR_BYTES]
    }

    #[test]
    fn tracks_land_at_their_lba_with_silent_gaps() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.bin");
        let state = Arc::new(Mutex::new(BinState::new(path.clone(), false)));
        let mut sink = BinSink { state: state.clone() };
        sink.begin_track(1, 0, 150).unwrap();
        sink.write_sectors(&[sector(1), sector(2)].concat()).unwrap();
        sink.end_track(1, 2).unwrap();
        sink.begin_track(2, 5, 2).unwrap();
        sink.write_sectors(&sector(3)).unwrap();
        sink.end_track(2, 1).unwrap();
        let bytes = lock(&state).finish(8).unwrap();
        let bin = std::fs::read(&path).unwrap();
        assert_eq!(bin.len() as u64, bytes);
        let at = |s: usize| bin[s * SECTOR_BYTES];
        assert_eq!([at(0), at(1), at(2), at(3), at(4), at(5), at(6), at(7)], [1, 2, 0, 0, 0, 3, 0, 0]);
        let s = lock(&state);
        let tracks: Vec<_> = s.tracks().map(|t| (t.number, t.start, t.sectors)).collect();
        assert_eq!(tracks, [(1, 0, 2), (2, 5, 1)]);
        assert_eq!(
            s.tracks().next().unwrap().digest.as_deref(),
            Some(blake3::hash(&[sector(1), sector(2)].concat()).to_hex().as_str())
        );
    }

    #[test]
    fn an_existing_file_is_not_overwritten_unless_forced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.bin");
        std::fs::write(&path, b"precious").unwrap();
        let mut sink = BinSink { state: Arc::new(Mutex::new(BinState::new(path.clone(), false))) };
        let err = sink.begin_track(1, 0, 150).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
        assert!(err.to_string().contains("x.bin"), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), b"precious");
        let mut sink = BinSink { state: Arc::new(Mutex::new(BinState::new(path.clone(), true))) };
        sink.begin_track(1, 0, 150).unwrap();
    }

    #[test]
    fn a_track_rewritten_at_the_same_start_replaces_the_discarded_one() {
        let dir = tempfile::tempdir().unwrap();
        let state = Arc::new(Mutex::new(BinState::new(dir.path().join("x.bin"), false)));
        let mut sink = BinSink { state: state.clone() };
        sink.begin_track(1, 0, 150).unwrap();
        sink.write_sectors(&[sector(9), sector(9), sector(9)].concat()).unwrap();
        sink.begin_track(1, 0, 150).unwrap();
        sink.write_sectors(&sector(4)).unwrap();
        sink.end_track(1, 1).unwrap();
        lock(&state).finish(1).unwrap();
        let s = lock(&state);
        assert_eq!(s.tracks().count(), 1);
        assert_eq!(std::fs::read(dir.path().join("x.bin")).unwrap(), sector(4));
    }

    #[test]
    fn bad_calls_are_errors_not_panics() {
        let dir = tempfile::tempdir().unwrap();
        let mut sink = BinSink { state: Arc::new(Mutex::new(BinState::new(dir.path().join("x.bin"), false))) };
        assert!(sink.write_sectors(&sector(0)).is_err());
        assert!(sink.end_track(1, 1).is_err());
        assert!(sink.begin_track(1, -5, 0).is_err());
        sink.begin_track(1, 0, 0).unwrap();
        assert!(sink.write_sectors(&[0; 100]).is_err());
        assert!(sink.end_track(2, 0).is_err());
    }
}
