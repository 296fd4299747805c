//! The benches' setup, which is not timed: whether criterion is measuring, and a simulator with
//! a blank 80-minute CD-R prepared for writing.

use std::sync::Arc;

use cdr_sim::profile::{drive_by_name, media_by_name};
use cdr_sim::{Backend, DiscFormat2TrackAtOnce, DiscRecorder2, SimBackend};

/// True under `cargo bench` (criterion passes `--bench`); false in test mode.
pub fn benching() -> bool {
    std::env::args().any(|a| a == "--bench")
}

/// A blank 80-minute CD-R (`cdr80`) in the default drive, its recorder initialised and a format
/// object prepared (client name `Bench`).
pub fn prepared_cdr80() -> (SimBackend, Arc<dyn DiscRecorder2>, Arc<dyn DiscFormat2TrackAtOnce>) {
    let sim = SimBackend::new(drive_by_name("default").unwrap(), media_by_name("cdr80"));
    let recorder = sim.create_recorder().unwrap();
    recorder.initialize_disc_recorder(sim.unique_id()).unwrap();
    let format = sim.create_format().unwrap();
    format.set_recorder(Some(recorder.clone())).unwrap();
    format.set_client_name(Some("Bench")).unwrap();
    format.prepare_media().unwrap();
    (sim, recorder, format)
}
