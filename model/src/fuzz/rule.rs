//! The rules a differential run checks besides each call's answer, as typed failures: what was
//! checked and what was compared. A failure prints as `subject: detail` (or the subject alone),
//! where the subject names what was checked ([`Rule::subject`]: the lab groups findings by it).

use std::fmt;

use cdr_sim::contract::SessionState;
use cdr_sim::{BurnVerificationLevel, DiscState, Hresult, PhysicalMediaType, TaoWriteAction};

/// A rule a backend broke.
#[derive(Clone, Debug, PartialEq)]
pub enum Rule {
    /// Setting up a case's objects failed (`what` was called).
    Setup {
        /// The call that failed.
        what: &'static str,
        /// Its HRESULT.
        hr: Hresult,
    },
    /// The backend panicked (the panic's message).
    Panicked(String),
    /// Update fired from inside a call the Update handler made (other than a nested
    /// AddAudioTrack), or with no AddAudioTrack running.
    Reentrant,
    /// Update fired for an AddAudioTrack the model rejects.
    EventsOfRejectedTrack,
    /// Update fired after PREPARING for an AddAudioTrack whose track the drive refused (a
    /// 100th track).
    EventsOfRefusedTrack,
    /// An Update event broke spec 3.
    Event {
        /// The event's CurrentAction.
        action: TaoWriteAction,
        /// The model's track number.
        track: u32,
        /// What is wrong with it.
        problem: EventProblem,
    },
    /// The events of a track, taken together, broke spec 3.
    TrackEvents {
        /// The track was written by an AddAudioTrack nested in the Update handler.
        nested: bool,
        /// The model's track number.
        track: u32,
        /// What is wrong with them.
        problem: TrackEventsProblem,
    },
    /// Used + Free != Total while prepared (under the TotalMinusFree calibration).
    UsedPlusFree {
        /// Used read.
        used: i64,
        /// Free read.
        free: i64,
        /// Total read.
        total: i64,
    },
    /// Free grew within a session.
    FreeGrew {
        /// Free read before.
        before: i32,
        /// Free read now.
        now: i32,
    },
    /// The backend could not read the disc back.
    ReadBackFailed(Hresult),
    /// The disc read back differs from the model's.
    Disc {
        /// Read at the end of the case, after the format objects were dropped.
        after_drop: bool,
        /// What differs.
        mismatch: DiscMismatch,
    },
}

/// What is wrong with one Update event (spec 3).
#[derive(Clone, Debug, PartialEq)]
pub enum EventProblem {
    /// CurrentTrackNumber is not the model's track.
    TrackNumber(i32),
    /// StartLba and SectorCount are not the model's track's.
    Extent {
        /// StartLba.
        start_lba: i32,
        /// SectorCount.
        sector_count: i32,
        /// The model's track start.
        start: i32,
        /// The model's track length.
        sectors: u32,
    },
    /// CurrentAction UNKNOWN.
    UnknownAction,
    /// VERIFYING under a verification level that has none.
    Verifying(BurnVerificationLevel),
    /// LastWrittenLba outside the track.
    LbaOutside {
        /// LastWrittenLba.
        lba: i32,
        /// The track's first sector.
        start: i32,
        /// Its last sector.
        end: i32,
    },
    /// PREPARING with LastWrittenLba other than StartLba or ElapsedTime other than 0.
    PreparingNotAtStart {
        /// LastWrittenLba.
        lba: i32,
        /// ElapsedTime, seconds.
        elapsed: i32,
    },
    /// The first WRITING event's LastWrittenLba is not StartLba.
    FirstWritingNotAtStart(i32),
    /// A negative time.
    NegativeTime {
        /// ElapsedTime, seconds.
        elapsed: i32,
        /// RemainingTime, seconds.
        remaining: i32,
    },
    /// The track's first event is not PREPARING.
    NotPreparingFirst,
    /// The action went back (after this one).
    ActionWentBack(TaoWriteAction),
    /// LastWrittenLba or ElapsedTime went back.
    ProgressWentBack {
        /// LastWrittenLba.
        lba: i32,
        /// ElapsedTime, seconds.
        elapsed: i32,
        /// The last event's LastWrittenLba.
        last_lba: i32,
        /// The last event's ElapsedTime.
        last_elapsed: i32,
    },
}

/// What is wrong with the events of a track as a whole (spec 3).
#[derive(Clone, Debug, PartialEq)]
pub enum TrackEventsProblem {
    /// Not exactly one FINISHING event (this many).
    Finishing(u32),
    /// A completed track had no event with this action.
    Missing(TaoWriteAction),
    /// A completed track had fewer than two WRITING events (this many).
    TooFewWriting(u32),
    /// The last WRITING event is not at the track's last sector.
    LastWriting {
        /// Its LastWrittenLba (`None`: no WRITING event).
        lba: Option<i32>,
        /// The track's last sector.
        end: i32,
    },
    /// A completed track under QUICK verification had no VERIFYING event.
    NoVerifying,
    /// VERIFYING came for a track whose cache was not refreshed.
    VerifyingWithoutRefresh,
}

/// How the disc read back differs from the model's.
#[derive(Clone, Debug, PartialEq)]
pub enum DiscMismatch {
    /// No disc; the model has one in a closed tray.
    NoDisc,
    /// A disc; the model's tray is open or empty.
    UnexpectedDisc,
    /// The media type.
    MediaType {
        /// Read back.
        got: PhysicalMediaType,
        /// The model's.
        want: PhysicalMediaType,
    },
    /// The disc status.
    Status {
        /// Read back.
        got: DiscState,
        /// The model's.
        want: DiscState,
    },
    /// The last possible lead-out is not ATIP's.
    LastPossibleLeadOut {
        /// Read back.
        got: i32,
        /// ATIP's.
        atip: i32,
    },
    /// More than 99 tracks.
    TooManyTracks(usize),
    /// The number of tracks.
    TrackCount {
        /// Read back.
        got: usize,
        /// The model's.
        want: usize,
    },
    /// The last session's state.
    SessionState {
        /// Read back.
        got: SessionState,
        /// The model's.
        want: SessionState,
    },
    /// Track `track` (1-based) carries another number.
    TrackNumber {
        /// Position.
        track: usize,
        /// Its number.
        numbered: u32,
    },
    /// A track's length.
    TrackSectors {
        /// Track.
        track: usize,
        /// Read back.
        got: u32,
        /// The model's.
        want: u32,
    },
    /// A track's start.
    TrackStart {
        /// Track.
        track: usize,
        /// Read back.
        got: i32,
        /// Where the layout puts it from the tracks read back.
        layout: i32,
        /// The model's.
        model: i32,
    },
    /// A track's pregap.
    Pregap {
        /// Track.
        track: usize,
        /// Read back.
        got: u32,
        /// The layout's.
        layout: u32,
    },
    /// A track's audio bytes.
    DataBytes {
        /// Track.
        track: usize,
        /// Read back.
        got: u64,
        /// The model's.
        want: u64,
    },
    /// A track's digest is not the BLAKE3 of what was streamed.
    Digest {
        /// Track.
        track: usize,
        /// Read back.
        got: Option<String>,
        /// The BLAKE3 of what was streamed, in hex.
        want: String,
    },
    /// The lead-out.
    LeadOut {
        /// Read back.
        got: Option<i32>,
        /// The model's.
        want: Option<i32>,
    },
}

impl Rule {
    /// What was checked, as the failure's message starts: `setup`, `read-back`,
    /// `Update WRITING of track 2`, `nested track 3`; the whole message when it has no detail.
    pub fn subject(&self) -> String {
        match self {
            Rule::Setup { .. } => "setup".into(),
            Rule::Panicked(_) => "the backend panicked".into(),
            Rule::Reentrant => "Update fired re-entrantly, from inside a call made by the Update handler".into(),
            Rule::EventsOfRejectedTrack => "Update fired for an AddAudioTrack the model rejects".into(),
            Rule::EventsOfRefusedTrack => "Update fired after PREPARING for a track the drive refused".into(),
            Rule::Event { action, track, .. } => format!("Update {} of track {track}", action.name()),
            Rule::TrackEvents { nested, track, problem } => {
                let nested = if *nested { "nested " } else { "" };
                match problem {
                    TrackEventsProblem::Missing(a) => {
                        format!("{nested}track {track} was written without a {} event", a.name())
                    }
                    TrackEventsProblem::NoVerifying => {
                        format!("{nested}track {track} under QUICK verification had no VERIFYING event")
                    }
                    _ => format!("{nested}track {track}"),
                }
            }
            Rule::UsedPlusFree { used, free, total } => {
                format!("Used {used} + Free {free} != Total {total} while prepared")
            }
            Rule::FreeGrew { before, now } => format!("Free grew within the session, from {before} to {now}"),
            Rule::ReadBackFailed(hr) => format!("read-back failed with {hr}"),
            Rule::Disc { after_drop: true, .. } => "after the format objects are dropped, read-back".into(),
            Rule::Disc { after_drop: false, .. } => "read-back".into(),
        }
    }

    /// What was found, after the subject and a colon; `None` when the subject says it all.
    pub fn detail(&self) -> Option<String> {
        match self {
            Rule::Setup { what, hr } => Some(format!("{what} failed with {hr}")),
            Rule::Panicked(msg) => Some(msg.clone()),
            Rule::Event { problem, .. } => Some(problem.to_string()),
            Rule::TrackEvents { problem, .. } => problem.detail(),
            Rule::Disc { mismatch, .. } => Some(mismatch.to_string()),
            Rule::Reentrant
            | Rule::EventsOfRejectedTrack
            | Rule::EventsOfRefusedTrack
            | Rule::UsedPlusFree { .. }
            | Rule::FreeGrew { .. }
            | Rule::ReadBackFailed(_) => None,
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.subject())?;
        match self.detail() {
            Some(d) => write!(f, ": {d}"),
            None => Ok(()),
        }
    }
}

impl fmt::Display for EventProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EventProblem::TrackNumber(n) => write!(f, "CurrentTrackNumber {n}"),
            EventProblem::Extent { start_lba, sector_count, start, sectors } => {
                write!(f, "StartLba {start_lba} SectorCount {sector_count}, the model's track is {start} + {sectors}")
            }
            EventProblem::UnknownAction => f.write_str("action UNKNOWN"),
            EventProblem::Verifying(level) => write!(f, "VERIFYING with verification {level:?}"),
            EventProblem::LbaOutside { lba, start, end } => write!(f, "LastWrittenLba {lba} outside {start}..={end}"),
            EventProblem::PreparingNotAtStart { lba, elapsed } => write!(
                f,
                "LastWrittenLba {lba} and ElapsedTime {elapsed} s, the spec says StartLba and 0 (it restarts per track)"
            ),
            EventProblem::FirstWritingNotAtStart(lba) => {
                write!(f, "the first WRITING event reads LastWrittenLba {lba}, not StartLba")
            }
            EventProblem::NegativeTime { elapsed, remaining } => {
                write!(f, "elapsed {elapsed} s, remaining {remaining} s")
            }
            EventProblem::NotPreparingFirst => f.write_str("the first event of a track must be PREPARING"),
            EventProblem::ActionWentBack(a) => write!(f, "after {}", a.name()),
            EventProblem::ProgressWentBack { lba, elapsed, last_lba, last_elapsed } => {
                write!(f, "LastWrittenLba {lba} / elapsed {elapsed} s went back from {last_lba} / {last_elapsed} s")
            }
        }
    }
}

impl TrackEventsProblem {
    /// The detail after `track N: `; `None` for the problems the subject states whole.
    fn detail(&self) -> Option<String> {
        match self {
            TrackEventsProblem::Finishing(n) => Some(format!("{n} FINISHING events, the spec says exactly one")),
            TrackEventsProblem::TooFewWriting(n) => {
                Some(format!("{n} WRITING events, at least one before the data and one after"))
            }
            TrackEventsProblem::LastWriting { lba, end } => {
                Some(format!("the last WRITING event has LastWrittenLba {lba:?}, the track's last sector is {end}"))
            }
            TrackEventsProblem::VerifyingWithoutRefresh => {
                Some("VERIFYING after a track whose cache was not refreshed".into())
            }
            TrackEventsProblem::Missing(_) | TrackEventsProblem::NoVerifying => None,
        }
    }
}

impl fmt::Display for DiscMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DiscMismatch::NoDisc => f.write_str("no disc, the model has one in a closed tray"),
            DiscMismatch::UnexpectedDisc => f.write_str("a disc, the model's tray is open or empty"),
            DiscMismatch::MediaType { got, want } => write!(f, "media type {got}, the model's disc is {want}"),
            DiscMismatch::Status { got, want } => write!(f, "disc status {got:?}, the model expects {want:?}"),
            DiscMismatch::LastPossibleLeadOut { got, atip } => {
                write!(f, "last possible lead-out {got}, ATIP says {atip}")
            }
            DiscMismatch::TooManyTracks(n) => write!(f, "{n} tracks, at most 99"),
            DiscMismatch::TrackCount { got, want } => write!(f, "{got} tracks, the model expects {want}"),
            DiscMismatch::SessionState { got, want } => {
                write!(f, "last session {got:?}, the model expects {want:?}")
            }
            DiscMismatch::TrackNumber { track, numbered } => write!(f, "track {track} is numbered {numbered}"),
            DiscMismatch::TrackSectors { track, got, want } => {
                write!(f, "track {track} has {got} sectors, the model expects {want}")
            }
            DiscMismatch::TrackStart { track, got, layout, model } => {
                write!(f, "track {track} starts at {got}, the layout puts it at {layout} (model {model})")
            }
            DiscMismatch::Pregap { track, got, layout } => {
                write!(f, "track {track} pregap {got}, the layout gives {layout}")
            }
            DiscMismatch::DataBytes { track, got, want } => {
                write!(f, "track {track} holds {got} bytes of audio, the model {want}")
            }
            DiscMismatch::Digest { track, got, want } => {
                write!(f, "track {track} digest {got:?} is not the BLAKE3 of what was streamed ({want})")
            }
            DiscMismatch::LeadOut { got, want } => write!(f, "lead-out {got:?}, the model expects {want:?}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn samples() -> Vec<Rule> {
        let event = |problem| Rule::Event { action: TaoWriteAction::Writing, track: 2, problem };
        let track = |nested, problem| Rule::TrackEvents { nested, track: 3, problem };
        let disc = |after_drop, mismatch| Rule::Disc { after_drop, mismatch };
        vec![
            Rule::Setup { what: "Advise", hr: Hresult::E_FAIL },
            Rule::Panicked("index out of bounds".into()),
            Rule::Reentrant,
            Rule::EventsOfRejectedTrack,
            Rule::EventsOfRefusedTrack,
            event(EventProblem::Extent { start_lba: 5, sector_count: 10, start: 0, sectors: 300 }),
            event(EventProblem::ActionWentBack(TaoWriteAction::Finishing)),
            track(true, TrackEventsProblem::Finishing(2)),
            track(false, TrackEventsProblem::Missing(TaoWriteAction::Finishing)),
            track(false, TrackEventsProblem::NoVerifying),
            Rule::UsedPlusFree { used: 1, free: 2, total: 4 },
            Rule::FreeGrew { before: 10, now: 11 },
            Rule::ReadBackFailed(Hresult::E_FAIL),
            disc(false, DiscMismatch::TrackCount { got: 2, want: 1 }),
            disc(true, DiscMismatch::LeadOut { got: None, want: Some(22650) }),
        ]
    }

    /// The messages read as the runner's text messages did, word for word.
    #[test]
    fn rules_print_their_messages() {
        let text: Vec<String> = samples().iter().map(ToString::to_string).collect();
        let hr = Hresult::E_FAIL;
        assert_eq!(
            text,
            [
                format!("setup: Advise failed with {hr}"),
                "the backend panicked: index out of bounds".into(),
                "Update fired re-entrantly, from inside a call made by the Update handler".into(),
                "Update fired for an AddAudioTrack the model rejects".into(),
                "Update fired after PREPARING for a track the drive refused".into(),
                "Update WRITING of track 2: StartLba 5 SectorCount 10, the model's track is 0 + 300".into(),
                "Update WRITING of track 2: after FINISHING".into(),
                "nested track 3: 2 FINISHING events, the spec says exactly one".into(),
                "track 3 was written without a FINISHING event".into(),
                "track 3 under QUICK verification had no VERIFYING event".into(),
                "Used 1 + Free 2 != Total 4 while prepared".into(),
                "Free grew within the session, from 10 to 11".into(),
                format!("read-back failed with {hr}"),
                "read-back: 2 tracks, the model expects 1".into(),
                "after the format objects are dropped, read-back: lead-out None, the model expects Some(22650)".into(),
            ]
        );
    }

    /// The subject is what the message says before its first colon (the whole message when it
    /// has none), so that findings grouped by it read as the messages do.
    #[test]
    fn the_subject_heads_the_message() {
        for rule in samples() {
            let text = rule.to_string();
            assert_eq!(rule.subject(), text.split(':').next().unwrap(), "{rule:?}");
            assert_eq!(rule.detail().is_none(), text == rule.subject(), "{rule:?}");
        }
    }
}
