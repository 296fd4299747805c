//! The worked example of the simulator's "done when": a blank cdr80, one track of 22,500
//! sectors, and the mid-write snapshot.

use std::sync::{Arc, Mutex};

use cdr_sim::{DiscState, Hresult, SessionState, TaoWriteAction};

use crate::common::{Recorder, Rig};

#[test]
fn worked_example_blank_cdr80_one_track_of_22500_sectors() {
    let rig = Rig::new("cdr80").prepared();
    let f = &rig.format;
    assert_eq!(f.total_sectors_on_media(), Ok(359_997));
    assert_eq!(f.free_sectors_on_media(), Ok(359_845));
    assert_eq!(f.used_sectors_on_media(), Ok(152));

    let answers = Arc::new(Mutex::new(Vec::new()));
    let from_handler = Arc::clone(&answers);
    let sink = Recorder::new(move |format, progress| {
        if progress.current_action == TaoWriteAction::Writing {
            from_handler.lock().unwrap().push((format.free_sectors_on_media(), format.number_of_existing_tracks()));
        }
    });
    f.advise(sink.clone()).unwrap();
    rig.add(22_500).unwrap();

    // From inside the handler during WRITING: Free is still 359,845 and the track count is
    // WRITE_IN_PROGRESS (checked here, after the call, so a failure cannot hide in the handler).
    let answers = answers.lock().unwrap().clone();
    assert!(answers.len() >= 2, "WRITING fires repeatedly: {:?}", sink.events());
    for answer in answers {
        assert_eq!(answer, (Ok(359_845), Err(Hresult::E_IMAPI_DF2TAO_WRITE_IN_PROGRESS)));
    }

    assert_eq!(f.number_of_existing_tracks(), Ok(1));
    assert_eq!(f.free_sectors_on_media(), Ok(337_193));
    assert_eq!(f.used_sectors_on_media(), Ok(22_804));
    assert_eq!(
        f.expected_table_of_contents().unwrap(),
        [
            0x00, 0x0A, 0x01, 0x01, 0x00, 0x10, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x10, 0xAA, 0x00, 0x00, 0x05,
            0x02, 0x02
        ]
    );
    f.release_media().unwrap();
    let disc = rig.disc();
    assert_eq!(disc.status, DiscState::Complete);
    assert_eq!(disc.last_session_state, SessionState::Complete);
    assert_eq!(disc.tracks.len(), 1);
    assert_eq!((disc.tracks[0].start, disc.tracks[0].sectors), (0, 22_500));
    assert_eq!(disc.lead_out, Some(22_502));
}
