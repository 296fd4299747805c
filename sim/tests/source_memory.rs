//! File sources stream in bounded memory: a 700 MB file goes through without the process growing
//! by anything near its size. Alone in its test binary so the peak it reads is its own.

use std::fs::OpenOptions;
use std::io::Write;

use cdr_sim::source::{PcmFileSource, RawFileSource, WavSource};
use cdr_sim::AudioStream;

/// Peak resident set of this process in KiB (Linux `VmHWM`).
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn drain(s: &mut dyn AudioStream) -> u64 {
    let mut buf = vec![0; 64 * 1024];
    let mut total = 0;
    loop {
        let n = s.read(&mut buf).unwrap();
        if n == 0 {
            return total;
        }
        total += n as u64;
    }
}

#[test]
fn a_700_mb_file_streams_in_bounded_memory() {
    const DATA: u64 = 700 * 1024 * 1024;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.wav");
    let mut f = OpenOptions::new().create_new(true).write(true).open(&path).unwrap();
    let mut header = b"RIFF".to_vec();
    header.extend_from_slice(&((36 + DATA) as u32).to_le_bytes());
    header.extend_from_slice(b"WAVEfmt \x10\0\0\0\x01\0\x02\0\x44\xAC\0\0\x10\xB1\x02\0\x04\0\x10\0data");
    header.extend_from_slice(&(DATA as u32).to_le_bytes());
    f.write_all(&header).unwrap();
    f.set_len(header.len() as u64 + DATA).unwrap(); // sparse: no disk space, no memory
    drop(f);

    let before = peak_rss_kib().expect("VmHWM in /proc/self/status");
    let mut wav = WavSource::open(&path).unwrap();
    assert_eq!(drain(&mut wav), DATA.div_ceil(2352) * 2352);
    let mut raw = RawFileSource::open(&path).unwrap();
    assert_eq!(drain(&mut raw), header.len() as u64 + DATA);
    std::fs::OpenOptions::new().write(true).open(&path).unwrap().set_len(DATA).unwrap();
    let mut pcm = PcmFileSource::open(&path).unwrap();
    assert_eq!(drain(&mut pcm), DATA.div_ceil(2352) * 2352);
    let grown_mib = (peak_rss_kib().unwrap() - before) / 1024;
    assert!(grown_mib < 32, "streaming 3 x 700 MB grew the peak resident set by {grown_mib} MiB");
}
