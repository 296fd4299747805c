//! The scenario inside a lab transcript: `record` embeds the scenario's text, its BLAKE3 and
//! where it lies relative to the transcript, so that `compare` replays exactly what ran, and
//! finds the files it names (profiles, WAV tracks) again.

use std::path::{Component, Path, PathBuf};

use cdr_scenario::scenario::{self, Scenario, ScenarioError};
use cdr_scenario::transcript::{ScenarioSource, Transcript};

/// BLAKE3 of a scenario's text, hex.
pub fn text_hash(text: &str) -> String {
    blake3::hash(text.as_bytes()).to_hex().to_string()
}

/// The source block for the scenario at `scenario_path` with `text`, for a transcript to be
/// written at `transcript_path`. Both paths are made absolute (the scenario's must exist) before
/// the relative path between them is taken.
pub fn embed(scenario_path: &Path, text: &str, transcript_path: &Path) -> std::io::Result<ScenarioSource> {
    let scenario_abs = std::fs::canonicalize(scenario_path)?;
    let dir = transcript_path.parent().unwrap_or(Path::new("."));
    let dir_abs = absolute_dir(dir)?;
    let rel = relative_path(&dir_abs, &scenario_abs);
    Ok(ScenarioSource { path: to_slashes(&rel), blake3: text_hash(text), text: text.to_string() })
}

/// `dir` made absolute: canonical if it exists, else its nearest existing ancestor made
/// canonical and the rest appended.
fn absolute_dir(dir: &Path) -> std::io::Result<PathBuf> {
    let dir = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
    if let Ok(c) = std::fs::canonicalize(dir) {
        return Ok(c);
    }
    let abs = std::path::absolute(dir)?;
    let mut existing = abs.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => break,
        }
    }
    let mut out = std::fs::canonicalize(existing).unwrap_or_else(|_| existing.to_path_buf());
    out.extend(rest.iter().rev());
    Ok(out)
}

/// The path that leads from directory `from` to `to`, both absolute and normalised: `..` for
/// each component of `from` beyond their common prefix, then the rest of `to`. On Windows, paths
/// on different drives have no relative path: `to` is returned whole.
pub fn relative_path(from: &Path, to: &Path) -> PathBuf {
    let f: Vec<Component> = from.components().collect();
    let t: Vec<Component> = to.components().collect();
    if f.first() != t.first() {
        return to.to_path_buf();
    }
    let common = f.iter().zip(&t).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in common..f.len() {
        out.push("..");
    }
    for c in &t[common..] {
        out.push(c.as_os_str());
    }
    out
}

fn to_slashes(p: &Path) -> String {
    p.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect::<Vec<_>>().join("/")
}

/// Why a transcript's scenario cannot be replayed.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// The transcript embeds no scenario and the scenario file is not where it was.
    #[error(
        "the transcript does not embed its scenario (it was written by `run --out`, not `record`) and \
         `{0}` cannot be read: record it with `cdr-harness record`"
    )]
    NotEmbedded(String),
    /// The embedded text does not match its hash.
    #[error(
        "the embedded scenario was edited after recording (its BLAKE3 is {actual}, the transcript says \
         {recorded}): a transcript is compared as recorded"
    )]
    Edited {
        /// The hash in the transcript.
        recorded: String,
        /// The hash of the text.
        actual: String,
    },
    /// The embedded scenario does not parse here (a file it names is missing, or the format
    /// changed).
    #[error("the embedded scenario cannot be used: {0}")]
    Scenario(#[from] Box<ScenarioError>),
}

/// A scenario ready to replay, and what the reader should know about where it came from.
#[derive(Debug)]
pub struct Loaded {
    /// The scenario, named as in the transcript.
    pub scenario: Scenario,
    /// Remarks: the scenario file changed since the recording, or was read from disk.
    pub notes: Vec<String>,
}

/// The scenario of `transcript`, read from `transcript_path`: the embedded text, parsed as if
/// it lay where it lay when recorded (relative to the transcript), so the files it names are
/// found. A transcript without an embedded scenario falls back to the file it names.
pub fn load(transcript_path: &Path, transcript: &Transcript) -> Result<Loaded, SourceError> {
    let mut notes = Vec::new();
    let (path, text) = match &transcript.source {
        Some(src) => {
            let actual = text_hash(&src.text);
            if actual != src.blake3 {
                return Err(SourceError::Edited { recorded: src.blake3.clone(), actual });
            }
            let dir = transcript_path.parent().unwrap_or(Path::new(""));
            let path = dir.join(&src.path);
            if let Ok(now) = std::fs::read_to_string(&path) {
                if text_hash(&now) != src.blake3 {
                    notes.push(format!(
                        "{} has changed since this transcript was recorded: replaying the recorded text",
                        path.display()
                    ));
                }
            }
            (path, src.text.clone())
        }
        None => {
            let path = PathBuf::from(&transcript.scenario);
            let text =
                std::fs::read_to_string(&path).map_err(|_| SourceError::NotEmbedded(transcript.scenario.clone()))?;
            notes
                .push(format!("the transcript does not embed its scenario: replaying {} as it is now", path.display()));
            (path, text)
        }
    };
    let mut scenario = scenario::parse(&path, &text).map_err(Box::new)?;
    scenario.name = transcript.scenario.clone();
    Ok(Loaded { scenario, notes })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_climb_then_descend() {
        let r = relative_path(Path::new("/w/fixtures/lab/sim/burn"), Path::new("/w/fixtures/scenarios/burn/a.toml"));
        assert_eq!(r, PathBuf::from("../../../scenarios/burn/a.toml"));
        assert_eq!(relative_path(Path::new("/a"), Path::new("/a/b.toml")), PathBuf::from("b.toml"));
        assert_eq!(relative_path(Path::new("/tmp/t"), Path::new("/w/x.toml")), PathBuf::from("../../w/x.toml"));
    }

    #[test]
    fn embedding_finds_the_scenario_again() {
        let dir = tempfile::tempdir().unwrap();
        let scen = dir.path().join("scenarios/x.toml");
        std::fs::create_dir_all(scen.parent().unwrap()).unwrap();
        std::fs::write(&scen, "text").unwrap();
        let out = dir.path().join("out/deep/x.transcript.toml");
        let src = embed(&scen, "text", &out).unwrap();
        assert_eq!(src.path, "../../scenarios/x.toml");
        assert_eq!(src.blake3, text_hash("text"));
        std::fs::create_dir_all(out.parent().unwrap()).unwrap();
        assert_eq!(std::fs::read_to_string(out.parent().unwrap().join(&src.path)).unwrap(), "text");
    }
}
