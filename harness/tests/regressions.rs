//! The sequences the fuzzer shrank to while the model and the simulator were brought to agree,
//! kept as scenarios under `fixtures/scenarios/regressions/`. Each one marks a point where the
//! spec leaves room (which sectors must fit Free, what a cancel before the first sector leaves,
//! who holds a prepared session's lock, ...). The files are written by the same writer as
//! `cdr-harness fuzz`, with the model's predictions as expectations; this test checks that they
//! are still exactly what the model predicts and that they pass on the simulator. Regenerate
//! with `REGRESSIONS_WRITE=1 cargo test -p cdr-harness --test regressions`.

use std::path::PathBuf;
use std::sync::Arc;

use cdr_harness::fuzz::gen::{media_pool, TINY_DISC};
use cdr_harness::fuzz::{campaign, scenario, Simulator, Sut};
use cdr_harness::model::{Client, During, Env, Member, NameArg, Op, Source, Trigger};
use cdr_harness::runner::{self, RunOptions};
use cdr_sim::profile::{drive_by_name, Calibration, FreeAfterTrack, UsedSectorsFormula};
use cdr_sim::{BurnVerificationLevel, TaoWriteAction};

use Client::{A, B};

fn env(drive: &str, media: &str, edit: impl FnOnce(&mut cdr_sim::DriveProfile)) -> Arc<Env> {
    let mut d = drive_by_name(drive).unwrap();
    edit(&mut d);
    let pool = media_pool().to_vec();
    let initial = pool.iter().position(|m| m.name == media).map(|i| i as u8);
    Arc::new(Env { drive: d, media: pool, initial })
}

fn call(c: Client, m: Member) -> Op {
    Op::call(c, m)
}

fn during(c: Client, m: Member, when: Trigger, member: Member) -> Op {
    Op { client: c, member: m, plan: [Some(During { when, member }), None], repeat: 1 }
}

fn setup(c: Client) -> Vec<Op> {
    let name = if c == A { NameArg::Name(0) } else { NameArg::Name(3) };
    vec![call(c, Member::PutRecorder(true)), call(c, Member::PutClientName(name)), call(c, Member::PrepareMedia)]
}

struct Regression {
    name: &'static str,
    description: &'static str,
    env: Arc<Env>,
    ops: Vec<Op>,
}

fn regressions() -> Vec<Regression> {
    let one = Member::AddAudioTrack(Source::Sectors(1));
    let cal = |f: fn(&mut Calibration)| move |d: &mut cdr_sim::DriveProfile| f(&mut d.calibration);
    let mut v = Vec::new();
    let mut ops = setup(A);
    ops.push(Op { repeat: 7, ..call(A, one) });
    v.push(Regression {
        name: "padded-track-must-fit-free",
        description:
            "A 1-sector stream padded to 300 sectors must fit Free with its padding: on a disc with 136 sectors \
                      free the seventh such track gives NOT_ENOUGH_SPACE.",
        env: env("default", TINY_DISC, |_| {}),
        ops,
    });
    let mut ops = setup(A);
    ops.extend([call(A, one), call(A, Member::GetFreeSectorsOnMedia)]);
    v.push(Regression {
        name: "dll-nwa-free-is-the-pause-more",
        description: "With free_after_track = dll_nwa, Free after a track is the pause (150 sectors) more than the \
                      layout leaves.",
        env: env(
            "default",
            "cdr80",
            cal(|c| {
                c.free_after_track = FreeAfterTrack::DllNwa;
                c.pad_short_tracks = false;
            }),
        ),
        ops,
    });
    let mut ops = setup(A);
    ops.extend([call(A, Member::GetClientName), call(A, Member::GetRecorder)]);
    v.push(Regression {
        name: "getters-of-put-rows-while-prepared",
        description: "get_ClientName and get_Recorder while prepared: the spec's row gives !W, !P to put and get \
                      alike or to put only; either answer is accepted.",
        env: env("default", "cdr80", |_| {}),
        ops,
    });
    let mut ops = setup(A);
    ops.extend([
        during(A, one, Trigger::Action(TaoWriteAction::Preparing), Member::CancelAddTrack),
        call(A, Member::GetNumberOfExistingTracks),
        call(A, Member::ReleaseMedia),
    ]);
    v.push(Regression {
        name: "cancel-before-the-first-sector",
        description: "CancelAddTrack from the PREPARING event: no sector was written, so no track is left and Free is \
                      unchanged; the disc stays blank after ReleaseMedia.",
        env: env("default", "cdr80", |_| {}),
        ops,
    });
    let mut ops = setup(A);
    ops.extend([call(A, one), call(A, Member::GetUsedSectorsOnMedia)]);
    v.push(Regression {
        name: "written-only-used-counts-the-pause",
        description: "With used_sectors = written_only, Used counts the first pregap, the track, its run-out and the \
                      pause after it.",
        env: env(
            "default",
            "cdr80",
            cal(|c| {
                c.used_sectors = UsedSectorsFormula::WrittenOnly;
                c.pad_short_tracks = false;
            }),
        ),
        ops,
    });
    let mut ops = setup(A);
    ops.extend([
        call(A, Member::RecAcquireExclusiveAccess(false, NameArg::Name(0))),
        call(A, Member::RecReleaseExclusiveAccess),
        call(A, Member::RecExclusiveAccessOwner),
        call(A, Member::ReleaseMedia),
        call(A, Member::RecExclusiveAccessOwner),
    ]);
    v.push(Regression {
        name: "recorder-lock-during-a-session",
        description: "AcquireExclusiveAccess and ReleaseExclusiveAccess on the recorder of a prepared session: the \
                      spec does not say whether the session's lock is the recorder's; the lock is free after \
                      ReleaseMedia.",
        env: env("default", "cdr80", |_| {}),
        ops,
    });
    let mut ops = setup(A);
    ops.extend([during(A, one, Trigger::Percent(0), Member::CancelAddTrack), call(A, Member::ReleaseMedia)]);
    v.push(Regression {
        name: "cancel-keeps-what-was-written",
        description: "CancelAddTrack at the first WRITING event keeps LastWrittenLba - StartLba sectors as a short \
                      track that consumes its sectors.",
        env: env("default", "cdr80", |d| d.update_interval_ms = 20),
        ops,
    });
    let mut ops = vec![
        call(A, Member::PutRecorder(true)),
        call(A, Member::PutClientName(NameArg::Name(0))),
        call(A, Member::PutBurnVerificationLevel(BurnVerificationLevel::Full)),
    ];
    ops.extend([call(A, Member::PrepareMedia), call(A, one), call(A, Member::ReleaseMedia)]);
    v.push(Regression {
        name: "full-verification",
        description: "IBurnVerification FULL is not supported for track-at-once; the spec does not say how it is \
                      refused.",
        env: env("default", "cdr80", |_| {}),
        ops,
    });
    v.push(Regression {
        name: "write-protected-before-client-name",
        description: "PrepareMedia on a write-protected blank disc fails even before the (unset) client name is \
                      checked.",
        env: env("default", "cdr80-write-protected", |_| {}),
        ops: vec![call(A, Member::PutRecorder(true)), call(A, Member::PrepareMedia)],
    });
    let mut ops = vec![
        call(A, Member::PutRecorder(true)),
        call(A, Member::PutClientName(NameArg::Name(0))),
        call(A, Member::PutDoNotFinalizeMedia(true)),
    ];
    ops.extend([call(A, Member::PrepareMedia), call(A, Member::ReleaseMedia)]);
    v.push(Regression {
        name: "empty-session-closed-not-finalized",
        description: "With release_without_tracks_keeps_blank = false and DoNotFinalizeMedia, ReleaseMedia closes an \
                      empty session without finalizing: the disc is appendable.",
        env: env("default", "cdr80", cal(|c| c.release_without_tracks_keeps_blank = false)),
        ops,
    });
    v.push(Regression {
        name: "write-speed-is-the-drives",
        description: "The current write speed is the drive's: one client's SetWriteSpeed is what the other client \
                      reads.",
        env: env("default", "cdr80", |_| {}),
        ops: vec![
            call(A, Member::PutRecorder(true)),
            call(B, Member::PutRecorder(true)),
            call(A, Member::SetWriteSpeed(750, false)),
            call(B, Member::GetCurrentWriteSpeed),
            call(A, Member::GetCurrentWriteSpeed),
        ],
    });
    v
}

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures/scenarios/regressions")
}

#[test]
fn regression_scenarios_are_the_models_and_pass_on_the_simulator() {
    let write = std::env::var_os("REGRESSIONS_WRITE").is_some();
    let sut: Arc<dyn Sut> = Arc::new(Simulator);
    let all = regressions();
    for r in &all {
        let (result, trace) = campaign::replay(&sut, &r.env, &r.ops, true);
        if let Err(d) = result {
            panic!("{}: the simulator disagrees with the model: {d}", r.name);
        }
        let text = scenario::write_trace(&r.env, &trace, None, r.description);
        let path = dir().join(format!("{}.toml", r.name));
        if write {
            std::fs::create_dir_all(dir()).unwrap();
            std::fs::write(&path, &text).unwrap();
        }
        let on_disk = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(
            on_disk,
            text,
            "{} is not what the model predicts now (REGRESSIONS_WRITE=1 rewrites it)",
            path.display()
        );
        let parsed = cdr_harness::scenario::parse(&path, &on_disk).unwrap_or_else(|e| panic!("{e}"));
        let t = runner::run(&parsed, &RunOptions::default()).unwrap();
        assert!(t.passed, "{}: {:?}", r.name, t.failures);
    }
    // Nothing else lives in the directory unaccounted for, and it is not empty.
    let files: Vec<_> = std::fs::read_dir(dir()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(files.len(), all.len(), "{files:?}");
}
