//! # cdr-testkit: test support shared by the workspace's tests
//!
//! Unpublished, and no part of any crate's API: the crates whose tests need it take it as a
//! dev-dependency. It depends on no workspace crate, so every crate can, `cdr-sim` included.
//!
//! - [`wav`]: WAV files for tests of WAV handling, built byte by byte (malformed ones included)
//!   or written whole by hound in any sample format.

pub mod wav;
