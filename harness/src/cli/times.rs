//! Test-case times for CI reports (`run --times virtual|wall`). The two clocks are never mixed:
//! *virtual* time is the simulated drive's (deterministic: the same run gives the same report),
//! *wall* time is how long the scenario took on this machine (varies run to run). Without
//! `--times` the reports carry no time, so they stay byte-identical between runs.

use std::time::Duration;

use cdr_scenario::transcript::Transcript;

/// Which clock `--times` reports.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Clock {
    /// The simulated drive's time: the sum over the scenario's AddAudioTrack calls of the
    /// ElapsedTime of each one's last Update event (whole seconds; deterministic).
    Virtual,
    /// Wall-clock time this machine took to load and run the scenario.
    Wall,
}

impl Clock {
    /// The name reports use.
    pub fn name(self) -> &'static str {
        match self {
            Clock::Virtual => "virtual",
            Clock::Wall => "wall",
        }
    }
}

/// The virtual time of a run: each AddAudioTrack's (and re-entrant AddAudioTrack's) last
/// Update event's ElapsedTime, summed.
pub fn virtual_time(t: &Transcript) -> Duration {
    let seconds: u64 = t
        .steps
        .iter()
        .filter_map(|s| s.events.as_ref())
        .filter_map(|e| e.actions.last())
        .map(|a| u64::try_from(a.last.elapsed).unwrap_or(0))
        .sum();
    Duration::from_secs(seconds)
}

/// The time of one scenario on `clock`: `wall` as measured, or the transcript's virtual time
/// (zero for a scenario that could not be used).
pub fn time_of(clock: Clock, wall: Duration, transcript: Option<&Transcript>) -> Duration {
    match clock {
        Clock::Wall => wall,
        Clock::Virtual => transcript.map_or(Duration::ZERO, virtual_time),
    }
}
