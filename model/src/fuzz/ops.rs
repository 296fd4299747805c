//! The next op, drawn straight from the runner's generator. A case draws an op per step from
//! the state the previous ones lead to, so this runs once per generated call: it reads a few
//! facts of the model ([`OpGen`]), draws with fixed weights, and allocates nothing beyond the
//! boxed strategy proptest-state-machine asks for. Shrinking ([`OpTree`]) simplifies one op:
//! fewer handler calls, no repeat, a one-sector track; dropping whole ops is the sequence's job.
//!
//! The weights lean towards the calls that move a session forward (recorder, name,
//! PrepareMedia, tracks) so that cases reach deep states, while every member stays possible in
//! every state ("every put in every state").

use std::sync::Arc;

use cdr_sim::profile::DiscState;
use cdr_sim::{BurnVerificationLevel, PhysicalMediaType, TaoWriteAction};
use proptest::prelude::Rng;
use proptest::strategy::{NewTree, Strategy, ValueTree};
use proptest::test_runner::{TestRng, TestRunner};

use cdr_scenario::scenario::Trigger;

use crate::{
    valid_names, Client, Env, FormatPhase, HandlerCall, Member, Model, NameArg, Op, OwnRecorder, Plan, Source,
    INVALID_NAMES,
};

/// The reads, every get and query a client may make at any time (and CancelAddTrack).
const READS: [Member; 23] = [
    Member::IsRecorderSupported(OwnRecorder),
    Member::IsCurrentMediaSupported(OwnRecorder),
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
];

/// The reads of the cache a prepared format object keeps (spec 2): WRITE_IN_PROGRESS or the
/// value from before the track in the WRITING and FINISHING handlers, the value as when not
/// writing in the PREPARING handler, the refreshed value in the VERIFYING handler.
const CACHE_READS: [Member; 4] = [
    Member::GetNumberOfExistingTracks,
    Member::GetExpectedTableOfContents,
    Member::GetFreeSectorsOnMedia,
    Member::GetUsedSectorsOnMedia,
];

/// The members of `IDiscRecorder2` that take no argument.
const RECORDER: [Member; 14] = [
    Member::RecorderGetActiveDiscRecorder,
    Member::RecorderGetVendorId,
    Member::RecorderGetProductId,
    Member::RecorderGetProductRevision,
    Member::RecorderGetDeviceCanLoadMedia,
    Member::RecorderGetLegacyDeviceNumber,
    Member::RecorderGetVolumePathNames,
    Member::RecorderGetSupportedFeaturePages,
    Member::RecorderGetExclusiveAccessOwner,
    Member::RecorderReleaseExclusiveAccess,
    Member::RecorderEjectMedia,
    Member::RecorderCloseTray,
    Member::RecorderDisableMcn,
    Member::RecorderEnableMcn,
];

/// Write speeds every case tries besides the drive's own (sectors per second; out of range,
/// zero, negative, the -1 of "fastest").
const ODD_SPEEDS: [i32; 7] = [-1, 0, 1, 75, 1000, 100_000, -2];

/// What the draw needs of one client's state.
#[derive(Clone, Copy, Debug)]
struct ClientView {
    state: FormatPhase,
    named: bool,
    free: i32,
    tracks: u32,
}

/// The strategy of the next op from a model state: the facts of the state the weights depend on.
#[derive(Clone, Debug)]
pub struct OpGen {
    env: Arc<Env>,
    media_type: Option<PhysicalMediaType>,
    blank: bool,
    clients: [ClientView; 2],
}

impl OpGen {
    /// The strategy of the next op from `m`.
    pub fn new(m: &Model) -> OpGen {
        let view = |c: Client| {
            let f = m.format(c);
            let s = f.session;
            ClientView {
                state: f.state(),
                named: f.client_name.is_some_and(|n| n.is_valid()),
                free: s.map_or(0, |s| s.free),
                tracks: s.map_or(0, |s| s.tracks),
            }
        };
        OpGen {
            env: Arc::clone(&m.env),
            media_type: m.media().map(|d| d.media_type),
            blank: m.media().is_some_and(|d| d.status == DiscState::Blank),
            clients: [view(Client::A), view(Client::B)],
        }
    }

    fn draw(&self, rng: &mut TestRng) -> Op {
        let c = if below(rng, 7) < 6 { Client::A } else { Client::B };
        let v = self.clients[c.index()];
        let prepared = v.state == FormatPhase::Prepared;
        let w = |cond: bool, hi: u32, lo: u32| if cond { hi } else { lo };
        let weights = [
            w(v.state == FormatPhase::NoRecorder, 30, 2),
            w(!v.named && !prepared, 20, 2),
            // A second PrepareMedia on a prepared object now and then (it un-prepares it).
            w(v.state == FormatPhase::RecorderSet && v.named && self.blank, 40, 4),
            w(prepared, 6, 1),
            12,
            3,
            2,
            2,
            2,
            2,
            // Extra locks on the recorder object, before PrepareMedia or during the session.
            4,
            w(!self.blank && !prepared, 6, 1),
            w(prepared, 40, 3),
            w(prepared, 2, 1),
        ];
        let member = match weighted(rng, &weights) {
            0 => Member::PutRecorder(below(rng, 10) < 9),
            1 => Member::PutClientName(name(rng, c)),
            2 => Member::PrepareMedia,
            3 => Member::ReleaseMedia,
            4 => pick(rng, &READS),
            5 => pick(rng, &RECORDER),
            6 => self.set_write_speed(rng),
            7 => Member::PutDoNotFinalizeMedia(flip(rng)),
            8 => Member::PutBufferUnderrunFreeDisabled(flip(rng)),
            9 => Member::PutBurnVerificationLevel(level(rng)),
            10 => Member::RecorderAcquireExclusiveAccess(flip(rng), lock_name(rng, c)),
            11 => {
                let n = self.env.media.len() as u32;
                Member::Insert((below(rng, 9) < 8).then(|| below(rng, n) as u8))
            }
            12 => {
                // AddAudioTrack: plain, or with one or two calls from the Update handler.
                let source = self.source(rng, v);
                let mut plan: Plan = match weighted(rng, &[6, 3, 1]) {
                    0 => [None, None],
                    1 => [Some(self.during(rng, c)), None],
                    _ => [Some(self.during(rng, c)), Some(self.during(rng, c))],
                };
                // One track short of the limit, often a nested AddAudioTrack from PREPARING: it
                // writes the 99th track, and the drive refuses the outer call's 100th.
                if v.tracks == 98 && flip(rng) {
                    let member = Member::AddAudioTrack(Source::Sectors(1 + below(rng, 4)));
                    plan[0] = Some(HandlerCall { when: Trigger::Action(TaoWriteAction::Preparing), member });
                }
                return Op { client: c, member: Member::AddAudioTrack(source), plan, repeat: 1 };
            }
            _ => {
                // A burst of short tracks towards (and past) the 99-track limit.
                let to_limit = 99u32.saturating_sub(v.tracks).clamp(1, 99) as u8;
                let sectors = 1 + below(rng, 2);
                let repeat = match below(rng, 4) {
                    0 => to_limit,
                    1 => to_limit.saturating_add(1),
                    // One short of the limit, for a nested track to write the 99th.
                    2 if to_limit > 1 => to_limit - 1,
                    _ => 2 + below(rng, 9) as u8,
                };
                return Op {
                    client: c,
                    member: Member::AddAudioTrack(Source::Sectors(sectors)),
                    plan: [None, None],
                    repeat,
                };
            }
        };
        Op::call(c, member)
    }

    /// SetWriteSpeed: one of the drive's speeds for the disc, or an odd one; CAV now and then.
    fn set_write_speed(&self, rng: &mut TestRng) -> Member {
        let drive: Vec<u32> = self.media_type.map(|t| self.env.drive.write_speeds.for_media(t)).unwrap_or_default();
        let k = below(rng, (drive.len() + ODD_SPEEDS.len()) as u32) as usize;
        let speed = drive.get(k).map_or_else(|| ODD_SPEEDS[k - drive.len()], |&x| x as i32 * 75);
        Member::SetWriteSpeed(speed, below(rng, 6) == 5)
    }

    /// The stream of a track: mostly a few sectors, sometimes sizes around Free, streams that are
    /// not whole sectors, and ones larger than any disc.
    fn source(&self, rng: &mut TestRng, v: ClientView) -> Source {
        let free = v.free;
        // At the 99-track limit, streams the stream check refuses, to see the limit checked first.
        let bad = if v.tracks >= 99 { 12 } else { 2 };
        match weighted(rng, &[50, 12, 2, 6, bad, bad, bad, 1, 1]) {
            0 => Source::Sectors(1 + below(rng, 4)),
            1 => Source::Sectors(5 + below(rng, 296)),
            2 => Source::Sectors(301 + below(rng, 1700)),
            // A track of exactly Free sectors fills the disc (Free then goes negative).
            3 if (1..=3000).contains(&free) && flip(rng) => Source::Sectors(free as u32),
            3 if (1..=3000).contains(&free) => Source::Sectors((free - 1 + below(rng, 3) as i32) as u32),
            3 => Source::Sectors(free.max(0) as u32 + 1),
            4 => Source::Bytes(0),
            5 => Source::Bytes(2353),
            6 => Source::Bytes(u64::from(1 + below(rng, 3)) * 2352 + 44),
            7 => Source::Bytes((1u64 << 31) * 2352),
            _ => Source::Sectors(359_846 + below(rng, 40_155)),
        }
    }

    /// A call from the Update handler: mostly CancelAddTrack and reads, now and then any put,
    /// a nested PrepareMedia, ReleaseMedia or AddAudioTrack, or an eject; often from the
    /// PREPARING handler a nested AddAudioTrack (it writes a whole track there).
    fn during(&self, rng: &mut TestRng, c: Client) -> HandlerCall {
        if below(rng, 6) == 0 {
            let member = Member::AddAudioTrack(Source::Sectors(1 + below(rng, 400)));
            return HandlerCall { when: Trigger::Action(TaoWriteAction::Preparing), member };
        }
        let when = match weighted(rng, &[4, 2, 2, 3, 3, 2]) {
            0 => Trigger::Action(TaoWriteAction::Preparing),
            1 => Trigger::Action(TaoWriteAction::Writing),
            2 => Trigger::Action(TaoWriteAction::Finishing),
            3 => Trigger::Action(TaoWriteAction::Verifying),
            4 => Trigger::Percent(below(rng, 101)),
            _ => Trigger::Sector(below(rng, 401)),
        };
        let member = match weighted(rng, &[10, 10, 1, 1, 1, 1, 1, 1, 1, 1, 3, 1, 1]) {
            0 => Member::CancelAddTrack,
            // Half of the reads are the cache's, whose answer depends on the handler (spec 2).
            1 if flip(rng) => pick(rng, &CACHE_READS),
            1 => pick(rng, &READS),
            2 => Member::PutClientName(name(rng, c)),
            3 => Member::PutRecorder(flip(rng)),
            4 => Member::PutDoNotFinalizeMedia(flip(rng)),
            5 => Member::PutBufferUnderrunFreeDisabled(flip(rng)),
            6 => Member::PutBurnVerificationLevel(level(rng)),
            7 => self.set_write_speed(rng),
            8 => Member::ReleaseMedia,
            9 => Member::PrepareMedia,
            10 => Member::AddAudioTrack(Source::Sectors(1)),
            11 => Member::RecorderEjectMedia,
            _ => Member::RecorderGetExclusiveAccessOwner,
        };
        HandlerCall { when, member }
    }
}

impl Strategy for OpGen {
    type Tree = OpTree;
    type Value = Op;

    fn new_tree(&self, runner: &mut TestRunner) -> NewTree<Self> {
        Ok(OpTree::from_op(self.draw(runner.rng())))
    }
}

/// A drawn op and its simplifications, tried one after another.
#[derive(Clone, Debug)]
pub struct OpTree {
    current: Op,
    /// The op before the last simplification, while it is on trial.
    previous: Option<Op>,
    /// The next simplification to try.
    next: u8,
}

impl OpTree {
    /// The tree of a drawn op.
    pub fn from_op(op: Op) -> OpTree {
        OpTree { current: op, previous: None, next: 0 }
    }

    /// Simplification `k` of `op`, `None` past the last one.
    fn simpler(op: Op, k: u8) -> Option<Op> {
        Some(match k {
            0 => Op { plan: [op.plan[0], None], ..op },
            1 => Op { plan: [None, None], ..op },
            2 => Op { repeat: 1, ..op },
            3 => match op.member {
                Member::AddAudioTrack(Source::Sectors(_)) => {
                    Op { member: Member::AddAudioTrack(Source::Sectors(1)), ..op }
                }
                _ => op,
            },
            _ => return None,
        })
    }
}

impl ValueTree for OpTree {
    type Value = Op;

    fn current(&self) -> Op {
        self.current
    }

    fn simplify(&mut self) -> bool {
        while let Some(cand) = OpTree::simpler(self.current, self.next) {
            self.next += 1;
            if cand != self.current {
                self.previous = Some(std::mem::replace(&mut self.current, cand));
                return true;
            }
        }
        false
    }

    fn complicate(&mut self) -> bool {
        match self.previous.take() {
            Some(p) => {
                self.current = p;
                true
            }
            None => false,
        }
    }
}

/// A number in `0..n` (n > 0), by multiply-shift: no loop, and the bias of a 32-bit draw is
/// far below what a weighting can notice.
fn below(rng: &mut TestRng, n: u32) -> u32 {
    ((u64::from(rng.next_u32()) * u64::from(n)) >> 32) as u32
}

/// An index into `weights`, each drawn in proportion to its weight.
fn weighted(rng: &mut TestRng, weights: &[u32]) -> usize {
    let total: u32 = weights.iter().sum();
    let mut x = below(rng, total);
    for (i, &w) in weights.iter().enumerate() {
        if x < w {
            return i;
        }
        x -= w;
    }
    unreachable!("a draw below the total falls in some weight")
}

fn pick<T: Copy>(rng: &mut TestRng, options: &[T]) -> T {
    options[below(rng, options.len() as u32) as usize]
}

fn flip(rng: &mut TestRng) -> bool {
    rng.next_u32() & 1 == 1
}

fn level(rng: &mut TestRng) -> BurnVerificationLevel {
    [BurnVerificationLevel::None, BurnVerificationLevel::Quick, BurnVerificationLevel::Full][weighted(rng, &[4, 4, 1])]
}

/// A client name argument: mostly one of the client's valid names, else an invalid one or NULL.
fn name(rng: &mut TestRng, c: Client) -> NameArg {
    match weighted(rng, &[12, 3, 1]) {
        0 => NameArg::Name(pick(rng, &valid_names(c))),
        1 => NameArg::Name(pick(rng, &INVALID_NAMES)),
        _ => NameArg::Null,
    }
}

/// A name for AcquireExclusiveAccess, which takes no NULL (the dispatch refuses one).
fn lock_name(rng: &mut TestRng, c: Client) -> NameArg {
    match weighted(rng, &[6, 1]) {
        0 => NameArg::Name(pick(rng, &valid_names(c))),
        _ => NameArg::Name(pick(rng, &INVALID_NAMES)),
    }
}
