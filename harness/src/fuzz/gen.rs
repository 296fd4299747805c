//! Generation: proptest strategies for the case environment (drive, calibration, discs) and for
//! the next op given the model's state. The weights lean towards the calls that move a session
//! forward (recorder, name, PrepareMedia, tracks) so that cases reach deep states, while every
//! member stays possible in every state ("every put in every state").

use std::sync::{Arc, OnceLock};

use cdr_sim::profile::{
    builtin_drives, builtin_media, Calibration, DiscState, DropWhilePrepared, FreeAfterTrack, NoMediaAnswer,
    TocLengthField, UsedSectorsFormula,
};
use cdr_sim::{BurnVerificationLevel, Hresult, MediaProfile, Msf, TaoWriteAction};
use proptest::prelude::*;
use proptest::strategy::{BoxedStrategy, Union};

use crate::model::{
    valid_names, Client, During, Env, FormatState, Member, Model, NameArg, Op, Source, Trigger, INVALID_NAMES,
};

/// Name of the small custom disc (lead-out 00:40:00, LPL 2,850) that makes NOT_ENOUGH_SPACE
/// and a full disc reachable with small tracks.
pub const TINY_DISC: &str = "tiny";

/// The discs a case may use: every built-in media profile, then [`TINY_DISC`].
pub fn media_pool() -> &'static [MediaProfile] {
    static POOL: OnceLock<Vec<MediaProfile>> = OnceLock::new();
    POOL.get_or_init(|| {
        let mut v = builtin_media();
        let mut tiny = v[0].clone();
        tiny.name = TINY_DISC.into();
        tiny.description = "cdr80 with its last possible lead-out at 00:40:00 (LPL 2,850)".into();
        tiny.lead_out = Some(Msf::new(0, 40, 0).expect("valid MSF"));
        v.push(tiny);
        v
    })
}

fn pick<T: Clone + std::fmt::Debug + 'static>(options: &[T]) -> BoxedStrategy<T> {
    proptest::sample::select(options.to_vec()).boxed()
}

/// Calibration settings: the spec's defaults most of the time, else any combination.
pub fn calibration() -> BoxedStrategy<Calibration> {
    let varied = (
        (
            any::<bool>(),
            pick(&[300u32, 1, 5, 50]),
            any::<bool>(),
            pick(&[Hresult::E_IMAPI_REQUEST_CANCELLED, Hresult::E_ABORT]),
        ),
        (
            pick(&[Hresult::E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED, Hresult::E_IMAPI_DF2TAO_MEDIA_IS_PREPARED]),
            any::<bool>(),
            any::<bool>(),
            pick(&[UsedSectorsFormula::TotalMinusFree, UsedSectorsFormula::WrittenOnly]),
        ),
        (
            pick(&[TocLengthField::Dll, TocLengthField::Mmc]),
            pick(&[NoMediaAnswer::Error, NoMediaAnswer::False]),
            any::<bool>(),
            pick(&[BurnVerificationLevel::None, BurnVerificationLevel::Quick]),
        ),
        (
            pick(&[DropWhilePrepared::LeaveOpen, DropWhilePrepared::Release]),
            pick(&[Hresult::E_IMAPI_RECORDER_MEDIA_BUSY, Hresult::E_IMAPI_RECORDER_LOCKED]),
            pick(&[FreeAfterTrack::Layout, FreeAfterTrack::DllNwa]),
            pick(&[(150u32, 2u32), (0, 2), (150, 0), (75, 7)]),
        ),
        pick(&[Hresult::E_IMAPI_RECORDER_MEDIA_NO_MEDIA, Hresult::E_IMAPI_DF2TAO_MEDIA_IS_NOT_SUPPORTED]),
    )
        .prop_map(
            |(
                (pad, min, kept, cancel),
                (release, keep_blank, unset, used),
                (toc, nomedia, blankrec, level),
                (drop, eject, free, (pause, run_out)),
                nomedia_prepare,
            )| {
                Calibration {
                    prepare_no_media: nomedia_prepare,
                    pad_short_tracks: pad,
                    min_track_sectors: min,
                    cancelled_track_kept: kept,
                    cancel_result: cancel,
                    release_not_prepared: release,
                    release_without_tracks_keeps_blank: keep_blank,
                    unset_client_name_is_invalid: unset,
                    used_sectors: used,
                    toc_length_field: toc,
                    is_current_media_supported_no_media: nomedia,
                    blank_queries_need_recorder: blankrec,
                    default_verification_level: level,
                    drop_while_prepared: drop,
                    eject_while_locked: eject,
                    free_after_track: free,
                    pause_sectors: pause,
                    run_out_sectors: run_out,
                }
            },
        );
    prop_oneof![1 => Just(Calibration::default()), 1 => varied].boxed()
}

/// A case's environment: a built-in drive (the default most often), its calibration, its event
/// interval, the disc pool and the disc in the tray at the start.
pub fn env() -> BoxedStrategy<Env> {
    let drives = builtin_drives();
    let n_media = media_pool().len();
    let cdr80 = 0u8;
    let tiny = (n_media - 1) as u8;
    let drive = prop_oneof![6 => Just(0usize), 4 => 0..drives.len()];
    let initial = prop_oneof![
        10 => Just(Some(cdr80)),
        4 => Just(Some(tiny)),
        4 => (0..n_media as u8).prop_map(Some),
        1 => Just(None),
    ];
    let interval = prop_oneof![3 => Just(1000u32), 1 => Just(20u32)];
    (drive, calibration(), interval, initial)
        .prop_map(move |(d, calibration, update_interval_ms, initial)| {
            let mut drive = drives[d].clone();
            drive.calibration = calibration;
            drive.update_interval_ms = update_interval_ms;
            Env { drive, media: media_pool().to_vec(), initial }
        })
        .boxed()
}

struct Fixed {
    reads: BoxedStrategy<Member>,
    recorder: BoxedStrategy<Member>,
    trigger: BoxedStrategy<Trigger>,
    level: BoxedStrategy<BurnVerificationLevel>,
}

thread_local! {
    static FIXED: Fixed = Fixed {
        reads: pick(&[
            Member::IsRecorderSupported,
            Member::IsCurrentMediaSupported,
            Member::GetMediaPhysicallyBlank,
            Member::GetMediaHeuristicallyBlank,
            Member::GetSupportedMediaTypes,
            Member::GetRecorder,
            Member::GetBufferUnderrunFreeDisabled,
            Member::GetNumberOfExistingTracks,
            Member::GetTotalSectorsOnMedia,
            Member::GetFreeSectorsOnMedia,
            Member::GetUsedSectorsOnMedia,
            Member::GetDoNotFinalizeMedia,
            Member::GetExpectedTableOfContents,
            Member::GetCurrentPhysicalMediaType,
            Member::GetClientName,
            Member::GetRequestedWriteSpeed,
            Member::GetRequestedRotationTypeIsPureCav,
            Member::GetCurrentWriteSpeed,
            Member::GetCurrentRotationTypeIsPureCav,
            Member::GetSupportedWriteSpeeds,
            Member::GetSupportedWriteSpeedDescriptors,
            Member::GetBurnVerificationLevel,
            Member::CancelAddTrack,
        ]),
        recorder: pick(&[
            Member::RecActiveDiscRecorder,
            Member::RecVendorId,
            Member::RecProductId,
            Member::RecProductRevision,
            Member::RecDeviceCanLoadMedia,
            Member::RecLegacyDeviceNumber,
            Member::RecVolumePathNames,
            Member::RecSupportedFeaturePages,
            Member::RecExclusiveAccessOwner,
            Member::RecReleaseExclusiveAccess,
            Member::RecEjectMedia,
            Member::RecCloseTray,
            Member::RecDisableMcn,
            Member::RecEnableMcn,
        ]),
        trigger: prop_oneof![
            2 => Just(Trigger::Action(TaoWriteAction::Preparing)),
            2 => Just(Trigger::Action(TaoWriteAction::Writing)),
            2 => Just(Trigger::Action(TaoWriteAction::Finishing)),
            1 => Just(Trigger::Action(TaoWriteAction::Verifying)),
            3 => (0u8..=100).prop_map(Trigger::Percent),
            2 => (0u32..=400).prop_map(Trigger::Sector),
        ]
        .boxed(),
        level: prop_oneof![4 => Just(BurnVerificationLevel::None), 4 => Just(BurnVerificationLevel::Quick), 1 => Just(BurnVerificationLevel::Full)].boxed(),
    };
}

fn name(c: Client) -> BoxedStrategy<NameArg> {
    let valid = valid_names(c).to_vec();
    prop_oneof![
        12 => proptest::sample::select(valid).prop_map(NameArg::Name),
        3 => proptest::sample::select(INVALID_NAMES.to_vec()).prop_map(NameArg::Name),
        1 => Just(NameArg::Null),
    ]
    .boxed()
}

/// A name for AcquireExclusiveAccess, which takes no NULL (the dispatch refuses one).
fn lock_name(c: Client) -> BoxedStrategy<NameArg> {
    let valid = valid_names(c).to_vec();
    prop_oneof![
        6 => proptest::sample::select(valid).prop_map(NameArg::Name),
        1 => proptest::sample::select(INVALID_NAMES.to_vec()).prop_map(NameArg::Name),
    ]
    .boxed()
}

fn speed(m: &Model) -> BoxedStrategy<(i32, bool)> {
    let d = m.media().map(|d| d.media_type);
    let mut speeds: Vec<i32> = d
        .map(|t| m.env.drive.write_speeds.for_media(t).into_iter().map(|x| x as i32 * 75).collect())
        .unwrap_or_default();
    speeds.extend([-1, 0, 1, 75, 1000, 100_000, -2]);
    (proptest::sample::select(speeds), prop_oneof![5 => Just(false), 1 => Just(true)]).boxed()
}

fn source(m: &Model, c: Client) -> BoxedStrategy<Source> {
    let free = m.format(c).session.map(|s| s.free).unwrap_or(0);
    let mut near: Vec<Source> = Vec::new();
    if (1..=3000).contains(&free) {
        near.extend([Source::Sectors(free as u32), Source::Sectors(free as u32 + 1), Source::Sectors(free as u32 - 1)]);
    } else {
        near.push(Source::Sectors(free.max(0) as u32 + 1));
    }
    prop_oneof![
        50 => (1u32..=4).prop_map(Source::Sectors),
        12 => (5u32..=300).prop_map(Source::Sectors),
        2 => (301u32..=2000).prop_map(Source::Sectors),
        6 => proptest::sample::select(near),
        2 => Just(Source::Bytes(0)),
        2 => Just(Source::Bytes(2353)),
        2 => (1u64..=3).prop_map(|k| Source::Bytes(k * 2352 + 44)),
        1 => Just(Source::Bytes((1u64 << 31) * 2352)),
        1 => (359_846u32..=400_000).prop_map(Source::Sectors),
    ]
    .boxed()
}

fn during(m: &Model, c: Client) -> BoxedStrategy<During> {
    let (reads, trigger, level) = FIXED.with(|f| (f.reads.clone(), f.trigger.clone(), f.level.clone()));
    let member = prop_oneof![
        10 => Just(Member::CancelAddTrack),
        10 => reads,
        1 => name(c).prop_map(Member::PutClientName),
        1 => any::<bool>().prop_map(Member::PutRecorder),
        1 => any::<bool>().prop_map(Member::PutDoNotFinalizeMedia),
        1 => any::<bool>().prop_map(Member::PutBufferUnderrunFreeDisabled),
        1 => level.prop_map(Member::PutBurnVerificationLevel),
        1 => speed(m).prop_map(|(s, cav)| Member::SetWriteSpeed(s, cav)),
        1 => Just(Member::ReleaseMedia),
        1 => Just(Member::PrepareMedia),
        1 => Just(Member::AddAudioTrack(Source::Sectors(1))),
        1 => Just(Member::RecEjectMedia),
        1 => Just(Member::RecExclusiveAccessOwner),
    ];
    (trigger, member).prop_map(|(when, member)| During { when, member }).boxed()
}

/// The next op from state `m`.
pub fn op(m: &Model) -> BoxedStrategy<Op> {
    let client = prop_oneof![6 => Just(Client::A), 1 => Just(Client::B)];
    let m = m.clone();
    client.prop_flat_map(move |c| op_for(&m, c)).boxed()
}

fn op_for(m: &Model, c: Client) -> BoxedStrategy<Op> {
    let f = m.format(c);
    let state = f.state();
    let named = f.client_name.is_some_and(|n| n.is_valid());
    let blank = m.media().is_some_and(|d| d.status == DiscState::Blank);
    let (reads, recorder, level) = FIXED.with(|f| (f.reads.clone(), f.recorder.clone(), f.level.clone()));
    let w = |cond: bool, hi: u32, lo: u32| if cond { hi } else { lo };
    let prepared = state == FormatState::Prepared;
    let single = |member: BoxedStrategy<Member>| member.prop_map(move |member| Op::call(c, member)).boxed();
    let n_media = m.env.media.len() as u8;
    let mut arms: Vec<(u32, BoxedStrategy<Op>)> = vec![
        (
            w(state == FormatState::NoRecorder, 30, 2),
            single(prop_oneof![9 => Just(Member::PutRecorder(true)), 1 => Just(Member::PutRecorder(false))].boxed()),
        ),
        (w(!named && !prepared, 20, 2), single(name(c).prop_map(Member::PutClientName).boxed())),
        (w(state == FormatState::RecorderSet && named && blank, 40, 3), single(Just(Member::PrepareMedia).boxed())),
        (w(prepared, 6, 1), single(Just(Member::ReleaseMedia).boxed())),
        (12, single(reads)),
        (3, single(recorder)),
        (2, single(speed(m).prop_map(|(s, cav)| Member::SetWriteSpeed(s, cav)).boxed())),
        (2, single(any::<bool>().prop_map(Member::PutDoNotFinalizeMedia).boxed())),
        (2, single(any::<bool>().prop_map(Member::PutBufferUnderrunFreeDisabled).boxed())),
        (2, single(level.prop_map(Member::PutBurnVerificationLevel).boxed())),
        (1, single((any::<bool>(), lock_name(c)).prop_map(|(f, n)| Member::RecAcquireExclusiveAccess(f, n)).boxed())),
        (
            w(!blank && !prepared, 6, 1),
            single(prop_oneof![8 => (0..n_media).prop_map(Some), 1 => Just(None)].prop_map(Member::Insert).boxed()),
        ),
    ];
    // AddAudioTrack: plain, with handler calls, and in bursts towards the 99-track limit.
    let plan = prop_oneof![
        6 => Just([None, None]),
        3 => during(m, c).prop_map(|d| [Some(d), None]),
        1 => (during(m, c), during(m, c)).prop_map(|(a, b)| [Some(a), Some(b)]),
    ];
    let tracks = f.session.map(|s| s.tracks).unwrap_or(0);
    arms.push((
        w(prepared, 40, 3),
        (source(m, c), plan)
            .prop_map(move |(s, plan)| Op { client: c, member: Member::AddAudioTrack(s), plan, repeat: 1 })
            .boxed(),
    ));
    let to_limit = 99u32.saturating_sub(tracks).clamp(1, 99) as u8;
    arms.push((
        w(prepared, 1, 0).max(1),
        (1u32..=2, prop_oneof![Just(to_limit), Just(to_limit.saturating_add(1)), 2u8..=10])
            .prop_map(move |(n, repeat)| Op {
                client: c,
                member: Member::AddAudioTrack(Source::Sectors(n)),
                plan: [None, None],
                repeat,
            })
            .boxed(),
    ));
    Union::new_weighted(arms).boxed()
}

/// The counter proptest-state-machine's shrinking uses to tell the ops a failing run reached
/// from those it never saw; a runner adds the number of ops it ran.
pub type SeenCounter = Option<Arc<std::sync::atomic::AtomicUsize>>;

/// A whole case: an environment and up to `max_steps` ops, generated as the reference machine
/// does (each op from the state the previous ones lead to).
pub fn sequence(max_steps: usize) -> impl Strategy<Value = (Arc<Env>, Vec<Op>, SeenCounter)> {
    use proptest_state_machine::ReferenceStateMachine;
    super::machine::Reference::sequential_strategy(1..=max_steps.max(1))
        .prop_map(|(m, ops, seen)| (Arc::clone(&m.env), ops, seen))
}
