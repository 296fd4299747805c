//! Generation reaches the states it is for, judged on the model alone.

use proptest::strategy::{Strategy, ValueTree};

use super::campaign::test_runner;
use super::gen;
use super::machine::apply_nominal;
use crate::model::{FormatState, Member, Model};

#[test]
fn sequences_reach_prepared_writes_and_the_track_limit() {
    let mut tr = test_runner(7, 0);
    let strategy = gen::sequence(64);
    let (mut prepared, mut writes, mut limit, mut handler, mut inserts, mut second) = (0, 0, 0, 0, 0, 0);
    for _ in 0..300 {
        let (env, ops, _) = strategy.new_tree(&mut tr).unwrap().current();
        let mut m = Model::new(env);
        let mut reached = false;
        for op in &ops {
            apply_nominal(&mut m, op);
            reached |= m.formats.iter().any(|f| f.state() == FormatState::Prepared);
            if matches!(op.member, Member::AddAudioTrack(_)) {
                writes += 1;
                handler += op.plan.iter().flatten().count();
            }
            inserts += usize::from(matches!(op.member, Member::Insert(_)));
            second += usize::from(op.client == crate::model::Client::B);
        }
        prepared += usize::from(reached);
        limit += usize::from(m.disc.as_ref().is_some_and(|d| d.tracks.len() == 99));
    }
    eprintln!("prepared {prepared}/300, AddAudioTrack {writes}, handler calls {handler}, 99 tracks {limit}, inserts {inserts}, client B {second}");
    assert!(prepared > 150, "only {prepared} of 300 cases reached a prepared session");
    assert!(writes > 1000 && handler > 100 && limit > 3 && inserts > 50 && second > 200);
}
