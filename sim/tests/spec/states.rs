//! Spec section 2, object states: no recorder -> recorder set -> prepared -> writing ->
//! prepared -> ReleaseMedia -> recorder set, each change recorded as `OLD=>NEW`.

use cdr_sim::{SimFormat, TaoState};

use crate::common::Rig;

fn sim_format(rig: &Rig) -> &SimFormat {
    rig.format.as_any().downcast_ref::<SimFormat>().expect("a simulator format object")
}

#[test]
fn a_session_walks_the_states_in_spec_order() {
    let rig = Rig::new("cdr80");
    assert_eq!(sim_format(&rig).tao_state(), TaoState::NoRecorder);
    let rig = rig.prepared();
    assert_eq!(sim_format(&rig).tao_state(), TaoState::Prepared);
    rig.add(300).unwrap();
    rig.format.release_media().unwrap();
    rig.format.set_recorder(None).unwrap();
    assert_eq!(
        sim_format(&rig).transitions(),
        [
            "NO_RECORDER=>RECORDER_SET",
            "RECORDER_SET=>PREPARED",
            "PREPARED=>WRITING",
            "WRITING=>PREPARED",
            "PREPARED=>RECORDER_SET",
            "RECORDER_SET=>NO_RECORDER",
        ]
    );
}

#[test]
fn failed_calls_change_no_state() {
    let rig = Rig::new("cdr80-complete").ready();
    assert!(rig.format.prepare_media().is_err());
    assert!(rig.format.release_media().is_err());
    assert!(rig.add(300).is_err());
    assert_eq!(sim_format(&rig).transitions(), ["NO_RECORDER=>RECORDER_SET"]);
}

#[test]
fn a_rejected_track_does_not_enter_writing() {
    let rig = Rig::new("cdr80").prepared();
    assert!(rig.format.add_audio_track(&mut crate::common::bytes(2353)).is_err());
    assert_eq!(sim_format(&rig).transitions().last().unwrap(), "RECORDER_SET=>PREPARED");
}
