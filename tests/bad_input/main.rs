//! The bad-input catalogue: malformed and hostile scenario files, paths that escape the
//! scenario's directory, WAV files that lie about their sizes, unusable faults and disc files,
//! and output paths that exist or cannot be written. Each goes through the real `cdr-harness`
//! binary and must give a clear error (the message asserted), a non-zero exit, and no panic;
//! files already there must be left as they were. The number of inputs tried is printed and
//! checked, so the catalogue cannot shrink unnoticed.
//!
//! Small inputs are committed in `tests/bad_input/`; large, deep or binary ones are generated.
//! Tests run as root, so an unwritable output is a path whose parent is a regular file.

#[path = "../support/scenario_text.rs"]
mod scenario_text;
#[path = "../support/harness.rs"]
mod support;

mod robustness;
mod scenario_errors;

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// How many inputs the catalogue holds (one needs symbolic links); change it with the list.
const CATALOGUE: usize = if cfg!(unix) { 46 } else { 45 };

fn committed(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/bad_input").join(name)
}

fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/scenarios").join(rel)
}

/// One bad input: the command line, the exit code, and what stderr (or stdout) must say.
struct Case {
    name: String,
    args: Vec<OsString>,
    code: i32,
    says: String,
}

fn case(name: &str, args: Vec<OsString>, code: i32, says: &str) -> Case {
    Case { name: name.to_string(), args, code, says: says.to_string() }
}

fn run_args(paths: &[&Path]) -> Vec<OsString> {
    let mut a: Vec<OsString> = vec!["run".into()];
    a.extend(paths.iter().map(|p| p.as_os_str().to_owned()));
    a
}

/// Runs a case; panics with its name when the binary answers otherwise.
fn check(c: &Case) {
    let out = crate::support::harness().args(&c.args).timeout(std::time::Duration::from_secs(120)).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!stderr.contains("panicked"), "{}: panicked:\n{stderr}", c.name);
    assert_eq!(out.status.code(), Some(c.code), "{}: exit status\nstderr: {stderr}\nstdout: {stdout}", c.name);
    assert!(
        stderr.contains(&c.says) || stdout.contains(&c.says),
        "{}: expected the message to say {:?}\nstderr: {stderr}\nstdout: {stdout}",
        c.name,
        c.says
    );
    assert!(
        stderr.len() < 64 * 1024,
        "{}: {} bytes of stderr: messages must not echo huge input",
        c.name,
        stderr.len()
    );
}

/// A WAV file: `fmt` as given, `data_len` declared, `data` actually present.
fn wav(rate: u32, channels: u16, bits: u16, data_len: u32, data: &[u8], riff_len: Option<u32>) -> Vec<u8> {
    let mut v = Vec::new();
    v.extend_from_slice(b"RIFF");
    v.extend_from_slice(&riff_len.unwrap_or(36 + data.len() as u32).to_le_bytes());
    v.extend_from_slice(b"WAVEfmt ");
    v.extend_from_slice(&16u32.to_le_bytes());
    v.extend_from_slice(&1u16.to_le_bytes());
    v.extend_from_slice(&channels.to_le_bytes());
    v.extend_from_slice(&rate.to_le_bytes());
    let align = channels * bits / 8;
    v.extend_from_slice(&(rate * u32::from(align)).to_le_bytes());
    v.extend_from_slice(&align.to_le_bytes());
    v.extend_from_slice(&bits.to_le_bytes());
    v.extend_from_slice(b"data");
    v.extend_from_slice(&data_len.to_le_bytes());
    v.extend_from_slice(data);
    v
}

const STEPS: &str = "[[step]]\ncall = \"put_Recorder\"\nexpect = \"S_OK\"\n";

#[test]
fn every_bad_input_gets_a_clear_error_a_non_zero_exit_and_no_panic() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let write = |name: &str, bytes: &[u8]| -> PathBuf {
        let p = d.join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    };
    let worked = fixture("burn/worked-example.toml");
    let mut cases: Vec<Case> = Vec::new();

    // Malformed and hostile scenario files (committed).
    for (file, code, says) in [
        ("huge-integer.toml", 2, "huge-integer.toml:4:"),
        ("negative-size.toml", 2, "negative-size.toml:4:"),
        ("negative-bytes.toml", 2, "negative-bytes.toml:4:"),
        ("huge-argument.toml", 2, "does not fit a 32-bit LONG"),
        ("huge-track.toml", 1, "E_IMAPI_DF2TAO_STREAM_NOT_SUPPORTED"),
        ("invalid-utf8.toml", 2, "valid UTF-8"),
        ("nul-byte.toml", 2, "nul-byte.toml:1:"),
        ("fault-track-100.toml", 2, "track = 100: expected 1 to 99"),
        ("fault-negative-sector.toml", 2, "sector = -1"),
        ("fault-random-unseeded.toml", 2, "random faults need a seed"),
        ("fault-never-strikes.toml", 1, "never struck"),
    ] {
        cases.push(case(file, run_args(&[&committed(file)]), code, says));
    }
    // Generated: deep nesting, 10 MB strings and keys, garbage, empty files, a directory.
    let big = "A".repeat(10_000_000);
    let generated: Vec<(&str, Vec<u8>, i32, &str)> = vec![
        (
            "deep-arrays.toml",
            format!("description = \"x\"\n{STEPS}args = {}{}\n", "[".repeat(100_000), "]".repeat(100_000)).into_bytes(),
            2,
            "recurs",
        ),
        (
            "deep-tables.toml",
            format!(
                "description = \"x\"\n[drive]\ncalibration = {}1{}\n{STEPS}",
                "{a = ".repeat(50_000),
                "}".repeat(50_000)
            )
            .into_bytes(),
            2,
            "recurs",
        ),
        (
            "deep-dotted-key.toml",
            format!("description = \"x\"\n[drive.{}]\nx = 1\n{STEPS}", vec!["a"; 20_000].join(".")).into_bytes(),
            2,
            "recursion",
        ),
        (
            "ten-megabyte-call.toml",
            format!("description = \"x\"\n[[step]]\ncall = \"{big}\"\n").into_bytes(),
            2,
            "more bytes)",
        ),
        ("ten-megabyte-key.toml", format!("description = \"x\"\n{big} = 1\n{STEPS}").into_bytes(), 2, "more bytes)"),
        (
            "ten-megabyte-client-name.toml",
            format!(
                "description = \"x\"\n[[step]]\ncall = \"put_ClientName\"\nargs = [\"{big}\"]\nexpect = \"S_OK\"\n"
            )
            .into_bytes(),
            1,
            "E_IMAPI_DF2TAO_CLIENT_NAME_IS_NOT_VALID",
        ),
        ("ten-megabyte-description.toml", format!("description = \"{big}\"\n").into_bytes(), 2, "no steps"),
        (
            "binary-garbage.toml",
            (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect(),
            2,
            "binary-garbage.toml",
        ),
        ("empty.toml", Vec::new(), 2, "missing `description`"),
        ("only-description.toml", b"description = \"nothing to do\"\n".to_vec(), 2, "no steps"),
        (
            "unknown-key.toml",
            format!("description = \"x\"\ncolour = 1\n{STEPS}").into_bytes(),
            2,
            "unknown field `colour`",
        ),
        ("wrong-type.toml", format!("description = 5\n{STEPS}").into_bytes(), 2, "invalid type"),
        (
            "step-without-action.toml",
            b"description = \"x\"\n[[step]]\nexpect = \"S_OK\"\n".to_vec(),
            2,
            "has none of `call`, `insert` or `save`",
        ),
    ];
    for (name, bytes, code, says) in generated {
        let p = write(name, &bytes);
        cases.push(case(name, run_args(&[&p]), code, says));
    }
    let sub = d.join("a-directory.toml");
    std::fs::create_dir(&sub).unwrap();
    std::fs::write(sub.join("inner.txt"), "x").unwrap();
    cases.push(case("a directory named like a scenario", run_args(&[&sub]), 2, "no scenarios"));
    cases.push(case("a path that does not exist", run_args(&[&d.join("missing.toml")]), 2, "no such file"));

    // Paths that escape the scenario's directory (committed scenarios).
    for (file, says) in [
        ("save-escapes.toml", "climbs out of the scenario's directory"),
        ("save-absolute.toml", "absolute"),
        ("track-escapes.toml", "Cargo.toml"),
        ("drive-escapes.toml", "Cargo.toml"),
        ("insert-missing.toml", "lost.disc.toml: cannot read"),
        ("insert-not-a-disc.toml", "no `format = \"cdr-sim disc\"`"),
    ] {
        cases.push(case(file, run_args(&[&committed(file)]), 2, says));
    }
    let outside = tempfile::tempdir().unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(outside.path(), d.join("link")).unwrap();
        let p = write(
            "save-through-link.toml",
            format!("description = \"x\"\n{STEPS}[[step]]\nsave = \"link/x.disc.toml\"\n").as_bytes(),
        );
        cases.push(case("save through a symbolic link leading out", run_args(&[&p]), 2, "symbolic link"));
    }

    // WAV files that lie about their sizes or are not CD audio.
    let pcm = vec![0u8; 2352 * 2];
    for (name, bytes, says) in [
        ("data-longer-than-file.wav", wav(44_100, 2, 16, 1_000_000, &pcm, None), "data-longer-than-file.wav"),
        ("data-size-all-ones.wav", wav(44_100, 2, 16, u32::MAX, &pcm, Some(u32::MAX)), "data-size-all-ones.wav"),
        ("odd-data-length.wav", wav(44_100, 2, 16, 4_001, &vec![0u8; 4_001], None), "odd-data-length.wav"),
        ("48-khz.wav", wav(48_000, 2, 16, pcm.len() as u32, &pcm, None), "48"),
        ("mono.wav", wav(44_100, 1, 16, pcm.len() as u32, &pcm, None), "mono.wav"),
        ("truncated-header.wav", wav(44_100, 2, 16, 0, &[], None)[..20].to_vec(), "truncated-header.wav"),
    ] {
        write(name, &bytes);
        let p = write(
            &format!("{name}.toml"),
            format!("description = \"x\"\n[[step]]\ncall = \"AddAudioTrack\"\ntrack = {{ file = \"{name}\" }}\n")
                .as_bytes(),
        );
        cases.push(case(name, run_args(&[&p]), 2, says));
    }

    // Faults and disc files given on the command line.
    let mut faults = run_args(&[&worked]);
    faults.extend(["--faults".into(), committed("faults-unknown-kind.toml").into_os_string()]);
    cases.push(case("faults file with an unknown kind", faults, 2, "unknown fault kind \"meteor\""));
    let mut faults = run_args(&[&worked]);
    faults.extend(["--faults".into(), d.join("no-such-faults.toml").into_os_string()]);
    cases.push(case("faults file that does not exist", faults, 2, "no-such-faults.toml: cannot read"));
    let mut seed = run_args(&[&worked]);
    seed.extend(["--fault-seed".into(), "many".into()]);
    cases.push(case("fault seed that is no number", seed, 2, "expected a number or `random`"));
    let p = write(
        "insert-future.toml",
        format!(
            "description = \"x\"\n[[step]]\ninsert = {{ file = \"{}\" }}\nexpect = \"S_OK\"\n",
            committed("disc-future-version.disc.toml").display()
        )
        .as_bytes(),
    );
    cases.push(case("a disc file of a future version", run_args(&[&p]), 2, "version 99"));

    // Output paths that exist or cannot be written.
    let file = write("a-regular-file", b"keep me");
    let mut out = run_args(&[&worked]);
    out.extend(["--out".into(), file.join("transcripts").into_os_string()]);
    cases.push(case("--out under a regular file", out, 2, "Not a directory"));
    let mut image = run_args(&[&worked]);
    image.extend(["--image".into(), file.join("images").into_os_string()]);
    cases.push(case("--image under a regular file", image, 2, "Not a directory"));
    let p = write(
        "save-under-file.toml",
        format!("description = \"x\"\n{STEPS}[[step]]\nsave = \"a-regular-file/x.disc.toml\"\n").as_bytes(),
    );
    cases.push(case("save under a regular file", run_args(&[&p]), 2, "cannot create its directory"));

    for c in &cases {
        check(c);
    }
    assert_eq!(std::fs::read(&file).unwrap(), b"keep me", "no output replaced the regular file");
    assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0, "nothing was written outside");
    println!("bad inputs tried: {}", cases.len());
    assert_eq!(cases.len(), CATALOGUE, "the catalogue changed: update CATALOGUE");
}

#[test]
fn the_command_never_overwrites_a_transcript_or_an_image_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = fixture("burn/worked-example.toml");
    let cmd = || crate::support::harness();
    let (out, img) = (dir.path().join("out"), dir.path().join("img"));
    cmd().arg("run").arg(&scenario).arg("--out").arg(&out).arg("--image").arg(&img).assert().code(0);
    let transcript = out.join("worked-example.transcript.toml");
    let cue = img.join("worked-example.cue");
    for (path, flag, dir) in [(&transcript, "--out", &out), (&cue, "--image", &img)] {
        std::fs::write(path, "the user's own file").unwrap();
        let o = cmd().arg("run").arg(&scenario).arg(flag).arg(dir).output().unwrap();
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{flag}: {stderr}");
        assert!(stderr.contains("--force"), "{flag}: the message says how to overwrite: {stderr}");
        assert!(!stderr.contains("panicked"));
        assert_eq!(std::fs::read_to_string(path).unwrap(), "the user's own file", "{flag} overwrote without --force");
        cmd().arg("run").arg(&scenario).arg(flag).arg(dir).arg("--force").assert().code(0);
        assert_ne!(std::fs::read_to_string(path).unwrap(), "the user's own file", "{flag} --force overwrites");
    }
}
