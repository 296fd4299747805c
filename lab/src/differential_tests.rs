//! The differential report's classification: verdicts from the two runs, findings grouped by
//! what was checked (the typed rule, or the member and its answer), calibration points of an
//! answer only.

use cdr_model::fuzz::{At, DiscMismatch, EventProblem, Rule, TrackEventsProblem};
use cdr_model::{Client, Expect, Member};
use cdr_sim::{Hresult, TaoWriteAction};

use super::{classify, Disagreement, Finding, Kind, Report, Verdict};

fn at(step: usize) -> At {
    At { op: 0, step, during: None }
}

fn rule(step: usize, rule: Rule) -> Disagreement {
    Disagreement::new(at(step), Kind::Rule(rule))
}

fn answer(member: Member, hr: Hresult) -> Disagreement {
    let kind = Kind::Answer { client: Client::A, member, expected: Expect::any(), hr, value: None };
    Disagreement::new(at(1), kind)
}

fn event(problem: EventProblem) -> Rule {
    Rule::Event { action: TaoWriteAction::Writing, track: 2, problem }
}

fn finding(case: u32, verdict: Verdict) -> Finding {
    Finding { case, ops: Vec::new(), verdict }
}

#[test]
fn the_verdict_blames_the_side_that_departs() {
    let d = || rule(3, Rule::Reentrant);
    assert_eq!(classify(Ok(()), Ok(()), true), Verdict::Agree);
    assert_eq!(classify(Ok(()), Ok(()), false), Verdict::AnswersDiffer);
    assert_eq!(classify(Err(d()), Ok(()), true), Verdict::RecorderDiffers(d()));
    assert_eq!(classify(Ok(()), Err(d()), true), Verdict::SimulatorDiffers(d()));
    let both = finding(1, classify(Err(d()), Err(d()), false));
    assert!(both.alike(), "the same rule broken alike");
    let other = rule(3, Rule::FreeGrew { before: 1, now: 2 });
    assert!(!finding(1, classify(Err(d()), Err(other), false)).alike());
}

#[test]
fn findings_group_by_the_rule_broken_whatever_its_figures() {
    let findings = vec![
        finding(1, Verdict::SimulatorDiffers(rule(4, event(EventProblem::TrackNumber(3))))),
        finding(2, Verdict::SimulatorDiffers(rule(9, event(EventProblem::FirstWritingNotAtStart(7))))),
        finding(
            3,
            Verdict::SimulatorDiffers(rule(2, Rule::Disc { after_drop: false, mismatch: DiscMismatch::NoDisc })),
        ),
        finding(
            4,
            Verdict::SimulatorDiffers(rule(
                5,
                Rule::Disc { after_drop: false, mismatch: DiscMismatch::TrackCount { got: 2, want: 1 } },
            )),
        ),
        finding(
            5,
            Verdict::RecorderDiffers(rule(
                5,
                Rule::Disc { after_drop: true, mismatch: DiscMismatch::TrackCount { got: 2, want: 1 } },
            )),
        ),
        finding(
            6,
            Verdict::RecorderDiffers(rule(
                6,
                Rule::TrackEvents { nested: true, track: 1, problem: TrackEventsProblem::Finishing(0) },
            )),
        ),
        finding(7, Verdict::RecorderDiffers(answer(Member::ReleaseMedia, Hresult::E_IMAPI_DF2TAO_MEDIA_IS_PREPARED))),
        finding(8, Verdict::RecorderDiffers(answer(Member::ReleaseMedia, Hresult::E_IMAPI_DF2TAO_MEDIA_IS_PREPARED))),
        finding(
            9,
            Verdict::BothDiffer { recorder: rule(1, Rule::Panicked("x".into())), simulator: rule(1, Rule::Reentrant) },
        ),
    ];
    let report = Report { findings, ..Report::default() };
    let groups: Vec<(String, usize, u32)> = report.groups().into_iter().map(|(s, n, f)| (s, n, f.case)).collect();
    let released = format!("recorder: ReleaseMedia answered {}", Hresult::E_IMAPI_DF2TAO_MEDIA_IS_PREPARED);
    assert_eq!(
        groups,
        [
            ("simulator: Update WRITING of track 2".to_string(), 2, 1),
            ("simulator: read-back".to_string(), 2, 3),
            ("recorder: after the format objects are dropped, read-back".to_string(), 1, 5),
            ("recorder: nested track 1".to_string(), 1, 6),
            (released, 2, 7),
            (
                "both: recorder the backend panicked; simulator Update fired re-entrantly, from inside a call made \
                 by the Update handler"
                    .to_string(),
                1,
                9
            ),
        ]
    );
}

#[test]
fn only_an_answer_falls_on_calibration_points() {
    let released = answer(Member::ReleaseMedia, Hresult::E_IMAPI_DF2TAO_MEDIA_IS_PREPARED);
    assert!(finding(1, Verdict::RecorderDiffers(released.clone()))
        .calibration_points()
        .contains(&"release_not_prepared"));
    assert!(finding(1, Verdict::SimulatorDiffers(released)).calibration_points().is_empty(), "the recorder's only");
    let broken = rule(2, Rule::Disc { after_drop: false, mismatch: DiscMismatch::UnexpectedDisc });
    assert!(finding(1, Verdict::RecorderDiffers(broken)).calibration_points().is_empty());
}
