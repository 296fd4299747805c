//! Measures image export on a full disc: one simulated burn filling a blank 80-minute CD-R
//! (359,845 sectors, 846 MB of synthetic PCM) with the image writer attached, into a temporary
//! directory that is removed afterwards. Reports wall-clock throughput.
//!
//! `cargo run --release -p cdr-harness --example full_disc_image [TRACKS]`

use std::time::Instant;

use cdr_scenario::image::{DiscImage, ImageOutcome, ImagePaths};
use cdr_sim::profile::{drive_by_name, media_by_name};
use cdr_sim::source::SyntheticPcm;
use cdr_sim::{Backend, SimBackend, SECTOR_BYTES};

fn main() {
    let tracks: u64 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(1).clamp(1, 99);
    let sim = SimBackend::new(drive_by_name("default").unwrap(), media_by_name("cdr80"));
    let (recorder, format) = cdr_scenario::testing::prepared_client(&sim, "FullDisc").unwrap();

    let dir = tempfile::tempdir().unwrap();
    let image = DiscImage::create(ImagePaths::new(dir.path(), "full").unwrap(), false).unwrap();
    image.attach(&sim);
    let started = Instant::now();
    for i in 0..tracks {
        let free = format.free_sectors_on_media().unwrap() as u64;
        let sectors = if i + 1 == tracks { free } else { (free / (tracks - i)).saturating_sub(152) };
        format.add_audio_track(&mut SyntheticPcm::sectors(i, sectors)).unwrap();
    }
    format.release_media().unwrap();
    let disc = sim.read_back(recorder.as_ref()).unwrap();
    let outcome = image.finish(&sim, &disc).unwrap();
    let seconds = started.elapsed().as_secs_f64();
    let ImageOutcome::Written(summary) = outcome else { panic!("no image: {outcome:?}") };
    let mb = summary.bin_bytes as f64 / 1e6;
    println!(
        "{} track(s), {} sectors, BIN {:.1} MB written in {seconds:.2} s: {:.0} MB/s (burn, digest and image together)",
        summary.tracks,
        summary.bin_bytes / SECTOR_BYTES as u64,
        mb,
        mb / seconds
    );
    println!(
        "musicbrainz {}  freedb {}",
        summary.musicbrainz_id.unwrap_or_default(),
        summary.freedb_id.unwrap_or_default()
    );
}
