//! `cdr-harness run` with a malformed WAV file: each kind is refused before the burn with exit
//! status 2 and its own message naming the file, what was found and what is needed; none panics.

use std::collections::BTreeSet;
use std::path::Path;

use cdr_testkit::wav::{chunk, fmt16, hound_wav, riff};

/// Frames of each WAV hound writes here.
const FRAMES: u32 = 300;

/// Each malformed kind: file name, bytes, words its message must hold.
fn kinds() -> Vec<(&'static str, Vec<u8>, &'static [&'static str])> {
    let ok_fmt = chunk(b"fmt ", &fmt16(1, 2, 44_100, 16));
    let data = chunk(b"data", &[0x11; 400]);
    let mut cut = riff(&[ok_fmt.clone(), chunk(b"data", &[0x22; 4000])]);
    cut.truncate(2000);
    let mut lying = riff(&[ok_fmt.clone(), chunk(b"data", &[0x33; 400])]);
    let at = lying.len() - 404;
    lying[at..at + 4].copy_from_slice(&u32::MAX.to_le_bytes());
    vec![
        (
            "mono.wav",
            hound_wav(1, 44_100, 16, false, FRAMES),
            &["44100 Hz, 16-bit, 1 channel (mono)", "needs 44100 Hz, 16-bit, 2 channels (stereo)"],
        ),
        (
            "48k.wav",
            hound_wav(2, 48_000, 16, false, FRAMES),
            &["48000 Hz, 16-bit, 2 channels; a CD track needs 44100 Hz"],
        ),
        ("24bit.wav", hound_wav(2, 44_100, 24, false, FRAMES), &["44100 Hz, 24-bit, 2 channels; a CD track needs"]),
        ("8bit.wav", hound_wav(2, 44_100, 8, false, FRAMES), &["44100 Hz, 8-bit, 2 channels; a CD track needs"]),
        (
            "float.wav",
            hound_wav(2, 44_100, 32, true, FRAMES),
            &["44100 Hz, 32-bit float, 2 channels; a CD track needs"],
        ),
        (
            "adpcm.wav",
            riff(&[chunk(b"fmt ", &fmt16(2, 2, 44_100, 4)), data.clone()]),
            &["compressed audio (Microsoft ADPCM, WAV format tag 0x0002)"],
        ),
        (
            "mp3-in-wav.wav",
            riff(&[chunk(b"fmt ", &fmt16(0x55, 2, 44_100, 0)), data.clone()]),
            &["compressed audio (MPEG Layer 3 (MP3), WAV format tag 0x0055)"],
        ),
        ("cut.wav", cut, &["truncated: the data chunk declares 4000 bytes", "holds only 1956"]),
        ("liar.wav", lying, &["declares 4294967295 bytes", "holds only 400"]),
        (
            "stub.wav",
            riff(std::slice::from_ref(&ok_fmt))[..30].to_vec(),
            &["truncated: the file ends inside the WAV header"],
        ),
        ("notes.wav", b"just some text, not audio".to_vec(), &["not a WAV file: it starts with the bytes"]),
        (
            "song.mp3.wav",
            b"ID3\x03\0\0\0\0\0\x21 rest of an mp3".to_vec(),
            &["not a WAV file: it looks like an MP3 file"],
        ),
        ("empty.wav", Vec::new(), &["not a WAV file: the file is empty"]),
        ("nodata.wav", riff(&[ok_fmt.clone(), chunk(b"LIST", b"INFO")]), &["no data chunk"]),
        (
            "odd.wav",
            riff(&[ok_fmt, chunk(b"data", &[0x44; 402])]),
            &["402 bytes is not a whole number of 4-byte stereo frames"],
        ),
    ]
}

fn scenario(dir: &Path, wav: &str) -> std::path::PathBuf {
    let path = dir.join(format!("{wav}.toml"));
    let text = format!(
        "description = \"burns {wav}\"\n\n[[step]]\ncall = \"put_Recorder\"\n\n[[step]]\ncall = \"put_ClientName\"\n\
         args = [\"WavTest\"]\n\n[[step]]\ncall = \"PrepareMedia\"\n\n[[step]]\ncall = \"AddAudioTrack\"\n\
         track = {{ file = \"{wav}\" }}\nexpect = \"S_OK\"\n\n[[step]]\ncall = \"ReleaseMedia\"\n"
    );
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn every_malformed_wav_exits_2_with_its_own_message() {
    let dir = tempfile::tempdir().unwrap();
    let mut messages = BTreeSet::new();
    for (name, bytes, needles) in kinds() {
        std::fs::write(dir.path().join(name), &bytes).unwrap();
        let toml = scenario(dir.path(), name);
        let out = crate::support::harness().arg("run").arg(&toml).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(2), "{name}: exit status\nstderr: {stderr}\nstdout: {stdout}");
        assert!(!stderr.contains("panicked") && !stdout.contains("panicked"), "{name} panicked: {stderr}");
        let line = stderr
            .lines()
            .find(|l| l.starts_with("error:") && l.contains(name))
            .unwrap_or_else(|| panic!("{name}: no error line naming the file in\n{stderr}"));
        for needle in needles {
            assert!(line.contains(needle), "{name}: `{needle}` missing from: {line}");
        }
        let message = line[line.find(name).unwrap() + name.len()..].to_string();
        assert!(messages.insert(message.clone()), "{name}: same message as another kind: {message}");
    }
}
