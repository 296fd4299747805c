//! Generation: proptest strategies for the case environment (drive, calibration, discs), the
//! next op given the model's state (drawn by [`super::ops`]), and whole sequences.

use std::sync::OnceLock;

use cdr_sim::profile::{
    builtin_drives, builtin_media, Calibration, DropWhilePrepared, FreeAfterTrack, NoMediaAnswer,
    RequestedSpeedAfterPrepare, ShortTrack, TocLengthField, UsedSectorsFormula,
};
use cdr_sim::{BurnVerificationLevel, Hresult, MediaProfile, Msf};
use proptest::prelude::*;
use proptest::strategy::BoxedStrategy;

use crate::{Env, Model, Op};

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
            pick(&[ShortTrack::DrivePads, ShortTrack::AsWritten]),
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
        (
            pick(&[Hresult::E_IMAPI_RECORDER_MEDIA_NO_MEDIA, Hresult::E_IMAPI_DF2TAO_MEDIA_IS_NOT_SUPPORTED]),
            any::<bool>(),
            pick(&[RequestedSpeedAfterPrepare::Kept, RequestedSpeedAfterPrepare::Reset]),
            pick(&[Hresult::E_FAIL, Hresult::E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE]),
        ),
    )
        .prop_map(
            |(
                (short_track, min, kept, cancel),
                (release, keep_blank, unset, used),
                (toc, nomedia, blankrec, level),
                (drop, eject, free, (pause, run_out)),
                (nomedia_prepare, clears, requested, hundredth),
            )| {
                Calibration {
                    prepare_no_media: nomedia_prepare,
                    short_track,
                    min_track_sectors: min,
                    rejected_nested_add_clears_writing: clears,
                    requested_speed_after_prepare: requested,
                    cancelled_track_kept: kept,
                    cancel_result: cancel,
                    hundredth_track_result: hundredth,
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
                    ..Calibration::default()
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
        2 => Just(None),
    ];
    // The drive's own interval (500 ms, spec 3), or a short one for many WRITING events.
    let interval = prop_oneof![3 => Just(None), 1 => Just(Some(20u32))];
    (drive, calibration(), interval, initial)
        .prop_map(move |(d, calibration, update_interval_ms, initial)| {
            let mut drive = drives[d].clone();
            drive.calibration = calibration;
            if let Some(ms) = update_interval_ms {
                drive.update_interval_ms = ms;
            }
            Env { drive, media: media_pool().to_vec(), initial }
        })
        .boxed()
}

/// The next op from state `m` ([`super::ops`]).
pub fn op(m: &Model) -> BoxedStrategy<Op> {
    super::ops::OpGen::new(m).boxed()
}
