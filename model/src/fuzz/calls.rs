//! What the fuzzer needs of the calls besides the member table: the rank of the Update
//! handler's actions.

use cdr_sim::TaoWriteAction;

/// The rank of an action in the spec's per-track sequence (section 3): PREPARING, WRITING,
/// FINISHING, VERIFYING; UNKNOWN never belongs to it.
pub fn action_rank(a: TaoWriteAction) -> u8 {
    match a {
        TaoWriteAction::Unknown => 0,
        TaoWriteAction::Preparing => 1,
        TaoWriteAction::Writing => 2,
        TaoWriteAction::Finishing => 3,
        TaoWriteAction::Verifying => 4,
    }
}
