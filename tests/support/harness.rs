//! The `cdr-harness` command for the end-to-end suites.
//!
//! The suites live in the root package, not in `cdr-harness`, so `cargo test` does not build
//! that package's binary for them (cargo builds a binary only for its own package's integration
//! tests). The first call builds it with the cargo that runs the tests, into the same target
//! directory and profile, so a suite never runs a stale or missing binary.

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

/// The path of a freshly built `cdr-harness` binary.
pub fn harness_path() -> PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        // This test executable is <target>/<profile>/deps/<name>-<hash>.
        let exe = std::env::current_exe().expect("the test executable's path");
        let profile_dir = exe.parent().and_then(|d| d.parent()).expect("<target>/<profile>");
        let target_dir = profile_dir.parent().expect("<target>");
        let profile = profile_dir.file_name().and_then(|n| n.to_str()).unwrap_or("debug");
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut build = Command::new(cargo);
        build
            .args(["build", "--quiet", "-p", "cdr-harness", "--bin", "cdr-harness"])
            .arg("--target-dir")
            .arg(target_dir)
            .current_dir(env!("CARGO_MANIFEST_DIR"));
        if profile == "release" {
            build.arg("--release");
        } else if profile != "debug" {
            build.args(["--profile", profile]);
        }
        let status = build.status().expect("running cargo build -p cdr-harness");
        assert!(status.success(), "cargo build -p cdr-harness failed: {status}");
        profile_dir.join(format!("cdr-harness{}", std::env::consts::EXE_SUFFIX))
    })
    .clone()
}

/// A command running the freshly built `cdr-harness`.
pub fn harness() -> assert_cmd::Command {
    assert_cmd::Command::new(harness_path())
}
