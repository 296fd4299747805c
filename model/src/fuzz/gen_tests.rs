//! Generation reaches the states it is for, judged on the model alone.

use proptest::strategy::{Strategy, ValueTree};

use super::campaign::test_runner;
use super::gen;
use super::machine::{self, apply_nominal};
use crate::{FormatPhase, Member, Model};

#[test]
fn sequences_reach_prepared_writes_and_the_track_limit() {
    let mut tr = test_runner(7, 0);
    let strategy = machine::sequence(64);
    let (mut prepared, mut writes, mut limit, mut handler, mut inserts, mut second) = (0, 0, 0, 0, 0, 0);
    let mut hundredth = 0;
    for _ in 0..300 {
        let (env, ops, _) = strategy.new_tree(&mut tr).unwrap().current();
        let mut m = Model::new(env);
        let mut reached = false;
        let mut refused = false;
        for op in &ops {
            apply_nominal(&mut m, op);
            refused |= m.formats.iter().any(|f| f.refused);
            reached |= m.formats.iter().any(|f| f.state() == FormatPhase::Prepared);
            if matches!(op.member, Member::AddAudioTrack(_)) {
                writes += 1;
                handler += op.plan.iter().flatten().count();
            }
            inserts += usize::from(matches!(op.member, Member::Insert(_)));
            second += usize::from(op.client == crate::Client::B);
        }
        prepared += usize::from(reached);
        hundredth += usize::from(refused);
        limit += usize::from(m.disc.as_ref().is_some_and(|d| d.tracks.len() == 99));
    }
    eprintln!("prepared {prepared}/300, AddAudioTrack {writes}, handler calls {handler}, 99 tracks {limit}, inserts {inserts}, client B {second}, 100th refused {hundredth}");
    assert!(prepared > 150, "only {prepared} of 300 cases reached a prepared session");
    assert!(writes > 1000 && handler > 100 && limit > 3 && inserts > 50 && second > 200);
    assert!(hundredth > 0, "no case reached a 100th track the drive refuses");
}

/// Shrinking one op goes through fewer handler calls, no repeat and a one-sector track, and
/// each step can be taken back.
#[test]
fn an_op_shrinks_step_by_step_and_each_step_can_be_undone() {
    use crate::{Client, HandlerCall, Op, Source};
    use cdr_scenario::scenario::Trigger;
    use cdr_sim::TaoWriteAction;
    use proptest::strategy::ValueTree;

    use super::ops::OpTree;

    let d = HandlerCall { when: Trigger::Action(TaoWriteAction::Writing), member: Member::CancelAddTrack };
    let op = Op {
        client: Client::B,
        member: Member::AddAudioTrack(Source::Sectors(40)),
        plan: [Some(d), Some(d)],
        repeat: 5,
    };
    let mut t = OpTree::from_op(op);
    let mut seen = vec![t.current()];
    while t.simplify() {
        seen.push(t.current());
    }
    let last = *seen.last().unwrap();
    assert_eq!(
        last,
        Op { client: Client::B, member: Member::AddAudioTrack(Source::Sectors(1)), plan: [None, None], repeat: 1 }
    );
    assert_eq!(seen.len(), 5, "{seen:?}");
    // Rejecting a simplification brings back the op before it, and the next one is tried.
    let mut t = OpTree::from_op(op);
    assert!(t.simplify());
    assert!(t.complicate());
    assert_eq!(t.current(), op);
    assert!(t.simplify());
    assert_eq!(t.current().plan, [None, None]);
    assert_eq!(t.current().repeat, 5);
    // A plain call has nothing to simplify.
    let mut plain = OpTree::from_op(Op::call(Client::A, Member::PrepareMedia));
    assert!(!plain.simplify());
}

/// The draw keeps every member reachable: over a long sequence, every member of the model is
/// drawn.
#[test]
fn draws_cover_every_kind_of_call() {
    use std::collections::HashSet;
    use std::mem::discriminant;

    use proptest::strategy::ValueTree;

    let mut tr = test_runner(3, 0);
    let env = gen::env().new_tree(&mut tr).unwrap().current();
    let mut m = Model::new(std::sync::Arc::new(env));
    let mut kinds = HashSet::new();
    for _ in 0..20_000 {
        let op = gen::op(&m).new_tree(&mut tr).unwrap().current();
        kinds.insert(discriminant(&op.member));
        apply_nominal(&mut m, &op);
    }
    // Every one of the model's 48 members, each a variant of `Member`.
    assert_eq!(kinds.len(), 48, "only {} kinds of call drawn", kinds.len());
}
