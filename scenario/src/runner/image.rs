//! A scenario run on the simulator with its disc recorded as an image (`cdr-harness run --image`).

use std::path::Path;

use super::{run_faulted, sim_for, RunError, RunOptions};
use crate::image::{DiscImage, ImageOutcome, ImagePaths};
use crate::scenario::Scenario;
use crate::transcript::{ImageRecord, Transcript};

/// Runs `scenario` on the simulator with a [`DiscImage`] at `paths` attached, and records the
/// image in the transcript. Existing image files are refused before the run unless `force`.
pub fn run_with_image(
    scenario: &Scenario,
    options: &RunOptions,
    paths: ImagePaths,
    force: bool,
) -> Result<Transcript, RunError> {
    let image_err = |source| RunError::Image { scenario: scenario.name.clone(), source };
    let mut image = DiscImage::create(paths, force).map_err(image_err)?;
    let sim = sim_for(scenario);
    image.attach(&sim);
    let mut transcript = run_faulted(&sim, scenario, options)?;
    image.mark_cancelled(transcript.cancelled_tracks());
    let record = match image.finish(&sim, &transcript.disc).map_err(image_err)? {
        ImageOutcome::Written(s) => ImageRecord {
            cue: Some(shown(&s.paths.cue)),
            bin: Some(shown(&s.paths.bin)),
            toc: Some(shown(&s.paths.toc)),
            svg: Some(shown(&s.paths.svg)),
            not_written: None,
        },
        ImageOutcome::NotWritten { reason } => {
            ImageRecord { cue: None, bin: None, toc: None, svg: None, not_written: Some(reason) }
        }
    };
    transcript.image = Some(record);
    Ok(transcript)
}

/// A path as a transcript shows it: `/` separators on every platform.
fn shown(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// The image files of each scenario under `dir`, mirroring the scenarios' relative paths:
/// `a/b.toml` writes `DIR/a/b.bin`, `.cue`, `.toc.txt` and `.svg`. Refuses, before anything
/// runs, two scenarios that would write the same image and (unless `force`) existing files.
pub fn plan_images(dir: &Path, relatives: &[&Path], force: bool) -> Result<Vec<ImagePaths>, String> {
    let mut planned: Vec<ImagePaths> = Vec::with_capacity(relatives.len());
    for rel in relatives {
        let stem = rel.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let folder = dir.join(rel.parent().unwrap_or(Path::new("")));
        let paths = ImagePaths::new(&folder, &stem).map_err(|e| format!("{}: {e}", rel.display()))?;
        if let Some(j) = planned.iter().position(|p| p.bin == paths.bin) {
            return Err(format!(
                "{} and {} would both write {}: run them with separate --image directories",
                relatives[j].display(),
                rel.display(),
                paths.bin.display()
            ));
        }
        if !force {
            if let Some(p) = paths.all().into_iter().find(|p| p.exists()) {
                return Err(format!("{} already exists: pass --force to overwrite images", p.display()));
            }
        }
        planned.push(paths);
    }
    Ok(planned)
}
