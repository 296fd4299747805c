//! A file's audio bytes followed by zero bytes (silence) up to a whole sector, read through a
//! fixed-size buffer: the stream behind every file source.

use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use crate::msf::SECTOR_BYTES;

/// Buffer size of the file reader: the memory a file source holds, whatever the file's size.
pub(crate) const READ_BUFFER_BYTES: usize = 64 * 1024;

/// `len` rounded up to a whole number of 2352-byte sectors.
pub fn padded_to_sector(len: u64) -> u64 {
    len.div_ceil(SECTOR_BYTES as u64) * SECTOR_BYTES as u64
}

/// `data` bytes of a file from `offset`, then `pad` zero bytes.
#[derive(Debug)]
pub(crate) struct PaddedFile {
    path: PathBuf,
    reader: BufReader<File>,
    data_left: u64,
    pad_left: u64,
}

impl PaddedFile {
    /// Streams `data` bytes of `file` from `offset`, then zeros up to `data + pad`.
    pub(crate) fn new(path: &Path, mut file: File, offset: u64, data: u64, pad: u64) -> io::Result<PaddedFile> {
        file.seek(SeekFrom::Start(offset))?;
        let reader = BufReader::with_capacity(READ_BUFFER_BYTES, file);
        Ok(PaddedFile { path: path.to_path_buf(), reader, data_left: data, pad_left: pad })
    }

    /// Reads as [`Read::read`] does; a file that ends before its stated length is an error.
    pub(crate) fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        if self.data_left > 0 {
            let want = buf.len().min(usize::try_from(self.data_left).unwrap_or(usize::MAX));
            let n = self.reader.read(&mut buf[..want])?;
            if n == 0 {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    format!(
                        "{}: the file ended {} bytes before the end of its audio (did it change after it was opened?)",
                        self.path.display(),
                        self.data_left
                    ),
                ));
            }
            self.data_left -= n as u64;
            return Ok(n);
        }
        let n = buf.len().min(usize::try_from(self.pad_left).unwrap_or(usize::MAX));
        buf[..n].fill(0);
        self.pad_left -= n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn pads_to_whole_sectors() {
        assert_eq!(padded_to_sector(0), 0);
        assert_eq!(padded_to_sector(1), 2352);
        assert_eq!(padded_to_sector(2352), 2352);
        assert_eq!(padded_to_sector(2353), 4704);
    }

    #[test]
    fn streams_the_range_then_zeros() {
        let mut tmp = tempfile::NamedTempFile::new().unwrap();
        tmp.write_all(b"HEADERabcdefTRAILER").unwrap();
        let file = File::open(tmp.path()).unwrap();
        let mut p = PaddedFile::new(tmp.path(), file, 6, 6, 4).unwrap();
        let mut out = Vec::new();
        let mut buf = [0xFFu8; 3];
        loop {
            let n = p.read(&mut buf).unwrap();
            if n == 0 {
                break;
            }
            out.extend_from_slice(&buf[..n]);
        }
        assert_eq!(out, b"abcdef\0\0\0\0");
    }

    #[test]
    fn a_file_shorter_than_promised_is_an_error_not_silence() {
        let mut tmp = tempfile::NamedTempFile::new().unwrap();
        tmp.write_all(b"abc").unwrap();
        let file = File::open(tmp.path()).unwrap();
        let mut p = PaddedFile::new(tmp.path(), file, 0, 10, 0).unwrap();
        let mut buf = [0u8; 16];
        assert_eq!(p.read(&mut buf).unwrap(), 3);
        let err = p.read(&mut buf).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
        assert!(err.to_string().contains("7 bytes before the end"), "{err}");
    }
}
