//! An example of a crate that tests its CD-burning code with scenario files: `tests/scenarios/`
//! holds the scenarios, `tests/scenarios.rs` runs each one as a `cargo test` test case
//! (`cdr_scenario::testing`), and `tests/snapshots/` keeps their transcripts.
//!
//! `cargo test -p cdr-example-scenario-tests` lists three scenario test cases: two pass and one,
//! `fails-on-purpose.toml`, is tagged `ignore` because it fails on purpose (run it with
//! `cargo test -p cdr-example-scenario-tests --test scenarios -- --include-ignored` to see the
//! message); `tests/the_failure_message.rs` checks that message.
