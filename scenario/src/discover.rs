//! Finding scenario files: the paths given, directories walked recursively, and the shards of
//! a large suite.
//!
//! A file given by name is a scenario whatever it is called. A directory is walked recursively
//! for `*.toml` files, skipping files under folders named `drives` and `media` (profile files)
//! or `lab` (recorded transcripts), hidden folders, files named `*.transcript.toml` (what
//! `cdr-harness run --out` writes) and `*.disc.toml` (saved discs, [`crate::durable`]). A file with `[[step]]` in a skipped folder is an error
//! rather than silently left out. The list is sorted and free of duplicates, so a shard is
//! the same on every machine.

use std::path::{Path, PathBuf};

/// Folders whose files are not scenarios.
pub const SKIPPED_DIRS: &[&str] = &["drives", "media", "lab"];
/// Suffix of transcript files, which are not scenarios.
pub const TRANSCRIPT_SUFFIX: &str = ".transcript.toml";

/// Why the paths given hold no usable list of scenarios.
#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    /// A path given does not exist.
    #[error("{}: no such file or directory", .0.display())]
    Missing(PathBuf),
    /// A directory given holds no scenario.
    #[error("{}: no scenarios (*.toml) in this directory", .0.display())]
    Empty(PathBuf),
    /// A scenario sits in a folder whose files are skipped.
    #[error("{path}: this looks like a scenario (it has [[step]]) but folders named drives, media and lab hold profiles and transcripts, which are skipped: move it to another folder", path = .0.display())]
    Hidden(PathBuf),
    /// A directory could not be read.
    #[error("{path}: cannot read: {1}", path = .0.display())]
    Walk(PathBuf, String),
}

/// A scenario file found, with the root it was found under (for naming transcripts).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Found {
    /// The scenario file.
    pub path: PathBuf,
    /// Its path relative to the directory given, or its file name when given directly.
    pub relative: PathBuf,
}

/// The files under the directory `root`, recursively, in file-name order, skipping hidden
/// folders: the walk behind every directory argument of the command. An entry that cannot be
/// read is an `Err` with the reason.
pub fn files_under(root: &Path) -> impl Iterator<Item = Result<PathBuf, String>> {
    walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0 || !(e.file_type().is_dir() && e.file_name().to_string_lossy().starts_with('.'))
        })
        .filter_map(|entry| match entry {
            Ok(e) if e.file_type().is_file() => Some(Ok(e.into_path())),
            Ok(_) => None,
            Err(e) => Some(Err(e.to_string())),
        })
}

/// Every scenario under `paths`, sorted by path, without duplicates.
pub fn find(paths: &[PathBuf]) -> Result<Vec<Found>, DiscoverError> {
    let mut out = Vec::new();
    for root in paths {
        if root.is_file() {
            let relative = root.file_name().map(PathBuf::from).unwrap_or_else(|| root.clone());
            out.push(Found { path: root.clone(), relative });
            continue;
        }
        if !root.is_dir() {
            return Err(DiscoverError::Missing(root.clone()));
        }
        let before = out.len();
        for path in files_under(root) {
            let path = path.map_err(|e| DiscoverError::Walk(root.clone(), e))?;
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            if !name.ends_with(".toml") || name.ends_with(TRANSCRIPT_SUFFIX) || name.ends_with(crate::durable::SUFFIX) {
                continue;
            }
            let relative = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
            let in_skipped = relative.parent().is_some_and(|p| {
                p.components().any(|c| SKIPPED_DIRS.contains(&c.as_os_str().to_string_lossy().as_ref()))
            });
            if in_skipped {
                if has_steps(&path) {
                    return Err(DiscoverError::Hidden(path));
                }
                continue;
            }
            out.push(Found { path, relative });
        }
        if out.len() == before {
            return Err(DiscoverError::Empty(root.clone()));
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out.dedup_by(|a, b| a.path == b.path);
    Ok(out)
}

/// Whether the file parses as TOML with a top-level `step` key (it is a scenario).
fn has_steps(path: &Path) -> bool {
    std::fs::read_to_string(path)
        .ok()
        .and_then(|t| toml::from_str::<toml::Table>(&t).ok())
        .is_some_and(|t| t.contains_key("step"))
}

/// Shard `k` of `n` (1-based): every n-th scenario of the sorted list, starting at the k-th.
pub fn shard<T>(items: Vec<T>, k: usize, n: usize) -> Vec<T> {
    items.into_iter().enumerate().filter(|(i, _)| i % n == k - 1).map(|(_, t)| t).collect()
}

/// A shard written `K/N` with 1 <= K <= N.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    /// Which shard, from 1.
    pub k: usize,
    /// How many shards.
    pub n: usize,
}

impl std::str::FromStr for Shard {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || format!("`{s}` is not a shard: expected K/N with 1 <= K <= N, e.g. 2/4");
        let (k, n) = s.split_once('/').ok_or_else(err)?;
        let (k, n): (usize, usize) = (k.trim().parse().map_err(|_| err())?, n.trim().parse().map_err(|_| err())?);
        if k == 0 || n == 0 || k > n {
            return Err(err());
        }
        Ok(Shard { k, n })
    }
}

/// Where `--out` writes the transcript of `found`: its relative path with `.transcript.toml`.
pub fn transcript_path(out: &Path, found: &Found) -> PathBuf {
    let rel = found.relative.with_extension("");
    out.join(format!("{}{TRANSCRIPT_SUFFIX}", rel.to_string_lossy()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_partition_the_list() {
        let items: Vec<usize> = (0..10).collect();
        let mut all: Vec<usize> = (1..=3).flat_map(|k| shard(items.clone(), k, 3)).collect();
        all.sort();
        assert_eq!(all, items);
        assert_eq!(shard(items, 2, 3), vec![1, 4, 7]);
    }

    #[test]
    fn shard_syntax() {
        assert_eq!("2/4".parse::<Shard>().unwrap(), Shard { k: 2, n: 4 });
        for bad in ["0/4", "5/4", "x", "1/0", "1-2"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }
}
