//! The optional sector sink sees exactly what the disc's digests cover.

use std::io;
use std::sync::{Arc, Mutex};

use cdr_sim::{Hresult, SectorSink};

use crate::common::Rig;

#[derive(Default)]
struct Captured {
    calls: Vec<String>,
    tracks: Vec<blake3::Hasher>,
    fail_after_bytes: Option<usize>,
    bytes: usize,
}

struct Capture(Arc<Mutex<Captured>>);

impl SectorSink for Capture {
    fn begin_track(&mut self, number: u32, start: i32, pregap: u32) -> io::Result<()> {
        let mut c = self.0.lock().unwrap();
        c.calls.push(format!("begin {number} at {start} after {pregap}"));
        c.tracks.push(blake3::Hasher::new());
        Ok(())
    }
    fn write_sectors(&mut self, data: &[u8]) -> io::Result<()> {
        let mut c = self.0.lock().unwrap();
        assert_eq!(data.len() % 2352, 0);
        c.bytes += data.len();
        if c.fail_after_bytes.is_some_and(|limit| c.bytes > limit) {
            return Err(io::Error::other("image disk full"));
        }
        c.tracks.last_mut().unwrap().update(data);
        Ok(())
    }
    fn end_track(&mut self, number: u32, sectors: u32) -> io::Result<()> {
        self.0.lock().unwrap().calls.push(format!("end {number} with {sectors}"));
        Ok(())
    }
}

#[test]
fn the_sector_sink_receives_every_sector_written_padding_included() {
    let rig = Rig::new("cdr80").prepared();
    let captured = Arc::new(Mutex::new(Captured::default()));
    rig.sim.set_sector_sink(Some(Box::new(Capture(captured.clone()))));
    rig.add(1_000).unwrap();
    rig.add(10).unwrap();
    rig.sim.set_sector_sink(None);
    rig.add(300).unwrap();
    let disc = rig.disc();
    let c = captured.lock().unwrap();
    assert_eq!(c.calls, ["begin 1 at 0 after 150", "end 1 with 1000", "begin 2 at 1152 after 150", "end 2 with 300"]);
    for (hasher, track) in c.tracks.iter().zip(&disc.tracks) {
        assert_eq!(Some(hasher.finalize().to_hex().to_string()), track.digest);
    }
}

#[test]
fn a_failing_sector_sink_is_a_failed_write_that_closes_the_track_short() {
    let rig = Rig::new("cdr80").prepared();
    let captured = Arc::new(Mutex::new(Captured { fail_after_bytes: Some(100 * 2352), ..Default::default() }));
    rig.sim.set_sector_sink(Some(Box::new(Capture(captured.clone()))));
    assert_eq!(rig.add(1_000), Err(Hresult::E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE));
    assert_eq!(rig.disc().tracks[0].sectors, 64);
    assert_eq!(captured.lock().unwrap().calls.last().unwrap(), "end 1 with 64");
}
