//! The chunk structure of a RIFF/WAVE file: where the `fmt ` and `data` chunks are.
//!
//! Chunks are walked by their headers alone (8 bytes each, seeking over the bodies), so a file of
//! any size is scanned in constant memory. Odd-sized chunks are followed by a pad byte, as the
//! RIFF specification requires; readers that forget it (hound 3.5 among them) lose their place
//! after an odd-sized `LIST` or `bext` chunk.

use std::io::{self, Read, Seek, SeekFrom};

/// A chunk's body: its offset in the file and its declared length.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct ChunkSpan {
    /// Offset of the first body byte.
    pub offset: u64,
    /// Length declared in the chunk header (the pad byte not counted).
    pub len: u32,
}

/// What the walk found.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub(crate) struct RiffLayout {
    /// The first `fmt ` chunk.
    pub fmt: Option<ChunkSpan>,
    /// The first `data` chunk.
    pub data: Option<ChunkSpan>,
    /// The ids of the chunks seen, for messages (at most [`MAX_LISTED`]).
    pub ids: Vec<String>,
    /// The walk stopped because the file ends inside a chunk header or a chunk body.
    pub ended_inside: bool,
}

/// Chunk ids kept for messages.
const MAX_LISTED: usize = 12;

impl RiffLayout {
    /// The chunk ids found, for a message: `fmt , LIST` or `none`.
    pub fn listed(&self) -> String {
        if self.ids.is_empty() {
            "none".into()
        } else {
            self.ids.join(", ")
        }
    }
}

/// Why the file is not a walkable RIFF/WAVE file.
#[derive(Debug)]
pub(crate) enum RiffError {
    /// Not RIFF/WAVE; the text says what the file looks like.
    NotRiff(String),
    /// A RIFF relative this reader does not take.
    Container(String),
    /// The file ends inside the RIFF header.
    Truncated,
    /// Reading failed.
    Io(io::Error),
}

impl From<io::Error> for RiffError {
    fn from(e: io::Error) -> Self {
        RiffError::Io(e)
    }
}

/// Walks the chunks of a file of `file_len` bytes, stopping once both `fmt ` and `data` are found.
pub(crate) fn walk<R: Read + Seek>(r: &mut R, file_len: u64) -> Result<RiffLayout, RiffError> {
    let mut head = [0u8; 12];
    let got = read_up_to(r, &mut head)?;
    check_magic(&head[..got])?;

    let mut layout = RiffLayout::default();
    let mut pos = 12u64;
    while pos.saturating_add(8) <= file_len {
        r.seek(SeekFrom::Start(pos))?;
        let mut header = [0u8; 8];
        r.read_exact(&mut header)?;
        let id = [header[0], header[1], header[2], header[3]];
        let len = u32::from_le_bytes([header[4], header[5], header[6], header[7]]);
        let span = ChunkSpan { offset: pos + 8, len };
        if layout.ids.len() < MAX_LISTED {
            layout.ids.push(id_text(&id));
        }
        match &id {
            b"fmt " if layout.fmt.is_none() => layout.fmt = Some(span),
            b"data" if layout.data.is_none() => layout.data = Some(span),
            _ => {}
        }
        if layout.fmt.is_some() && layout.data.is_some() {
            break;
        }
        pos = span.offset + u64::from(len) + u64::from(len & 1);
        if span.offset + u64::from(len) > file_len {
            layout.ended_inside = true;
        }
    }
    if pos < file_len && pos + 8 > file_len {
        layout.ended_inside = true;
    }
    Ok(layout)
}

/// Reads until `buf` is full or the input ends; returns the bytes read.
fn read_up_to<R: Read>(r: &mut R, buf: &mut [u8]) -> io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        match r.read(&mut buf[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(got)
}

/// Checks `RIFF....WAVE`, naming what the file is when it is something else.
fn check_magic(head: &[u8]) -> Result<(), RiffError> {
    if head.is_empty() {
        return Err(RiffError::NotRiff("the file is empty".into()));
    }
    let starts = |magic: &[u8]| head.len() >= magic.len() && &head[..magic.len()] == magic;
    let other = |what: &str| Err(RiffError::NotRiff(format!("it looks like {what}")));
    if starts(b"RIFF") {
        if head.len() < 12 {
            return Err(RiffError::Truncated);
        }
        if &head[8..12] != b"WAVE" {
            return Err(RiffError::NotRiff(format!("a RIFF file of form \"{}\", not \"WAVE\"", id_text(&head[8..12]))));
        }
        return Ok(());
    }
    if b"RIFF".starts_with(head) {
        return Err(RiffError::Truncated);
    }
    if starts(b"RIFX") {
        return Err(RiffError::Container("a big-endian WAV file (RIFX), which this reader does not take".into()));
    }
    if starts(b"RF64") || starts(b"BW64") {
        return Err(RiffError::Container("a 64-bit WAV file (RF64/BW64), which this reader does not take".into()));
    }
    if starts(b"riff") {
        return Err(RiffError::Container("a Sony Wave64 file (W64), which this reader does not take".into()));
    }
    if starts(b"ID3") || (head.len() >= 2 && head[0] == 0xFF && head[1] & 0xE0 == 0xE0) {
        return other("an MP3 file");
    }
    if starts(b"fLaC") {
        return other("a FLAC file");
    }
    if starts(b"OggS") {
        return other("an Ogg file (Vorbis, Opus or FLAC)");
    }
    if starts(b"FORM") {
        return other("an AIFF file");
    }
    if head.len() >= 8 && &head[4..8] == b"ftyp" {
        return other("an MP4/M4A file");
    }
    let shown: Vec<String> = head.iter().take(8).map(|b| format!("{b:02X}")).collect();
    Err(RiffError::NotRiff(format!("it starts with the bytes {}", shown.join(" "))))
}

/// A chunk id for a message: printable ASCII as is, anything else as hex.
fn id_text(id: &[u8]) -> String {
    if id.iter().all(|b| (0x20..0x7F).contains(b)) {
        String::from_utf8_lossy(id).into_owned()
    } else {
        id.iter().map(|b| format!("{b:02X}")).collect::<Vec<_>>().join("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cdr_testkit::wav::{chunk, riff};
    use std::io::Cursor;

    fn walk_bytes(bytes: &[u8]) -> Result<RiffLayout, RiffError> {
        walk(&mut Cursor::new(bytes), bytes.len() as u64)
    }

    #[test]
    fn odd_sized_chunks_are_followed_by_a_pad_byte() {
        let bytes = riff(&[chunk(b"LIST", b"odd"), chunk(b"fmt ", &[0; 16]), chunk(b"data", &[1, 2, 3, 4])]);
        let layout = walk_bytes(&bytes).unwrap();
        assert_eq!(layout.fmt, Some(ChunkSpan { offset: 12 + 12 + 8, len: 16 }));
        assert_eq!(layout.data, Some(ChunkSpan { offset: 12 + 12 + 24 + 8, len: 4 }));
        assert_eq!(layout.listed(), "LIST, fmt , data");
        assert!(!layout.ended_inside);
    }

    #[test]
    fn a_file_cut_inside_a_chunk_is_noticed() {
        let mut bytes = riff(&[chunk(b"fmt ", &[0; 16]), chunk(b"LIST", &[0; 10])]);
        bytes.truncate(bytes.len() - 3);
        let layout = walk_bytes(&bytes).unwrap();
        assert!(layout.ended_inside && layout.data.is_none());
        let mut bytes = riff(&[chunk(b"fmt ", &[0; 16])]);
        bytes.extend_from_slice(b"dat");
        assert!(walk_bytes(&bytes).unwrap().ended_inside);
    }

    #[test]
    fn a_fmt_after_the_data_is_still_found() {
        let bytes = riff(&[chunk(b"data", &[0; 4]), chunk(b"fmt ", &[0; 16])]);
        let layout = walk_bytes(&bytes).unwrap();
        assert!(layout.fmt.is_some() && layout.data.is_some());
    }

    #[test]
    fn other_files_are_named() {
        let cases: [(&[u8], &str); 6] = [
            (b"", "empty"),
            (b"ID3\x04\0\0\0\0\0\0", "MP3"),
            (b"fLaC\0\0\0\x22", "FLAC"),
            (b"OggS\0\x02", "Ogg"),
            (b"RIFF\x10\0\0\0AVI LIST", "\"AVI \""),
            (b"hello world", "68 65 6C 6C 6F 20 77 6F"),
        ];
        for (bytes, needle) in cases {
            match walk_bytes(bytes) {
                Err(RiffError::NotRiff(what)) => assert!(what.contains(needle), "{what}"),
                other => panic!("{needle}: {other:?}"),
            }
        }
        assert!(matches!(walk_bytes(b"RIFX\0\0\0\0WAVE"), Err(RiffError::Container(_))));
        assert!(matches!(walk_bytes(b"RF64\xFF\xFF\xFF\xFFWAVE"), Err(RiffError::Container(_))));
        assert!(matches!(walk_bytes(b"RIF"), Err(RiffError::Truncated)));
        assert!(matches!(walk_bytes(b"RIFF\0\0"), Err(RiffError::Truncated)));
    }
}
