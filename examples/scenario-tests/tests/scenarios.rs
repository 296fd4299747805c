//! Every scenario under tests/scenarios is a test case; transcripts are kept in tests/snapshots
//! (accept changes with `CDR_ACCEPT_SNAPSHOTS=1 cargo test --test scenarios`).

fn main() -> std::process::ExitCode {
    cdr_scenario::testing::Suite::new("tests/scenarios").snapshots("tests/snapshots").run()
}
