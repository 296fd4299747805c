//! Process-wide totals of the property suite, so a meta-test can check that the generated
//! cases did what they are for (a suite that wrote no track checked nothing of the write path).

use std::sync::Mutex;

use super::outcome::Stats;

static TOTAL: Mutex<Stats> = Mutex::new(Stats::ZERO);

/// Adds one case's counts to the totals.
pub fn record(s: &Stats) {
    TOTAL.lock().unwrap_or_else(|p| p.into_inner()).add(s);
}

/// The totals so far in this process.
pub fn total() -> Stats {
    *TOTAL.lock().unwrap_or_else(|p| p.into_inner())
}
