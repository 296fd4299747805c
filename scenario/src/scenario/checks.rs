//! Whether a scenario checks anything: a file whose steps expect no HRESULT, value or event and
//! that has no `[expect_disc]` would pass whatever the backend did, so it is refused.

use super::{Action, ExpectDisc, Expectation, Step};

/// The message for a scenario that checks nothing.
pub(super) const NOTHING_CHECKED: &str = "this scenario checks nothing: no step has `expect` or `value`, no \
     `during` call has `expect`, `value` or `event`, and there is no [expect_disc], so it would pass whatever \
     the drive answered. Add what you expect, e.g. expect = \"S_OK\" on a step, or [expect_disc] with \
     status = \"complete\"";

/// True when at least one step, `during` call or `[expect_disc]` key states an expectation.
pub(super) fn checks_something(steps: &[Step], expect_disc: Option<&ExpectDisc>) -> bool {
    let expects = |e: &Expectation| e.hresults.is_some() || e.value.is_some();
    let step_checks = |s: &Step| expects(&s.expect) || s.during.iter().any(|d| expects(&d.expect) || d.event.is_some());
    steps.iter().filter(|s| !matches!(s.action, Action::Save(_))).any(step_checks)
        || expect_disc.is_some_and(disc_checks)
}

fn disc_checks(e: &ExpectDisc) -> bool {
    e.present.is_some()
        || e.status.is_some()
        || e.tracks.is_some()
        || e.lead_out.is_some()
        || e.sessions.is_some()
        || e.last_session_state.is_some()
        || e.media_type.is_some()
        || e.next_writable_address.is_some()
        || e.free_blocks.is_some()
        || e.any_of.iter().any(disc_checks)
}
