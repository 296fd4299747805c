//! Durable discs: a simulated disc saved to a file (`save` steps, `--save-disc`) and inserted
//! again later (`insert = { file = "..." }`), so that a lab procedure spread over several runs
//! (burn, eject, power-cycle, re-insert, try to append) is reproducible.
//!
//! The file is TOML with a format name and version, then the disc as the simulator exports it
//! (`cdr_sim::DiscSnapshot`):
//!
//! ```toml
//! format = "cdr-sim disc"
//! version = 1
//!
//! [disc]
//! media_type = "IMAPI_MEDIA_TYPE_CDR"
//! last_possible_lead_out = 359847
//! session = "incomplete"
//! layout = { pause = 150, run_out = 2 }
//! atip = { lead_in = "97:24:01", lead_out = "79:59:72" }
//!
//! [[disc.tracks]]
//! number = 1
//! start = 0
//! sectors = 1000
//! pregap = 150
//! digest = "6a0e...(64 hex digits)"
//! damaged = true
//! ```
//!
//! **Saving is atomic**: the text goes to a temporary file in the same directory, is flushed to
//! the disk (fsync), and is renamed over the target only when complete; a crash at any point
//! leaves either the old file or the new one, never a torn one (a stray temporary file may
//! remain). An existing file is replaced only when asked (`overwrite`), and that check is part
//! of the rename itself (no window in which another writer's file could be clobbered).
//! **Loading validates**: size, UTF-8, the format and version, every key, and that the disc
//! can exist (`DiscSnapshot::validate`), each with a message that says what is wrong.

use std::fmt;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

use cdr_sim::{Backend, DiscSnapshot, Hresult};
use tempfile::NamedTempFile;

/// The `format` key of a disc file.
pub const FORMAT: &str = "cdr-sim disc";
/// The version this build writes and reads.
pub const VERSION: u32 = 1;
/// File names of saved discs end so (scenario discovery skips them).
pub const SUFFIX: &str = ".disc.toml";
/// The largest disc file read: 99 tracks take a few kilobytes.
const MAX_FILE_BYTES: u64 = 1 << 20;

/// A disc file as written.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DiscFile {
    /// Always [`FORMAT`].
    pub format: String,
    /// The file format version ([`VERSION`]).
    pub version: u32,
    /// The disc.
    pub disc: DiscSnapshot,
}

/// Why a disc could not be saved or loaded.
#[derive(Debug, thiserror::Error)]
pub enum DurableError {
    /// Reading, writing, syncing or renaming failed.
    #[error("{}: cannot {what}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What was being done.
        what: &'static str,
        /// The system's answer.
        source: io::Error,
    },
    /// The target exists and overwriting was not asked for.
    #[error("{}: already exists: a saved disc is replaced only when asked (`save = {{ file = \"...\", overwrite = true }}` or --force)", .0.display())]
    Exists(PathBuf),
    /// The file is not a usable disc file; the message says why.
    #[error("{}: {message}", path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A path written in a scenario that cannot be used to save.
    #[error("save path `{written}`: {message}")]
    Path {
        /// The path as written.
        written: String,
        /// What is wrong.
        message: String,
    },
    /// The backend has no simulated disc to save or to put a saved one into.
    #[error("the {backend} backend cannot {what}: only a simulated drive's disc is data (on a real drive, the disc itself is the record: ask the operator)")]
    NotSimulated {
        /// The backend's name.
        backend: String,
        /// What was asked.
        what: &'static str,
    },
    /// A save with no disc in the drive.
    #[error("nothing to save: there is no disc in the drive")]
    NoDisc,
}

/// A saved disc a scenario inserts (`insert = { file = "..." }`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SavedDisc {
    /// The path as written in the scenario.
    pub written: String,
    /// Resolved against the scenario's directory.
    pub path: PathBuf,
}

/// Where a `save` step writes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SaveTarget {
    /// The path as written in the scenario.
    pub written: String,
    /// Resolved inside the scenario's directory ([`resolve_save_path`]).
    pub path: PathBuf,
    /// Replace an existing file.
    pub overwrite: bool,
}

/// The saved disc an `insert = { file = "..." }` in `scenario` names: relative to the
/// scenario's directory. Whether it exists is checked when the step runs (an earlier step of
/// the same scenario may save it).
pub fn saved_disc(scenario: &Path, written: &str) -> Result<SavedDisc, String> {
    if written.trim().is_empty() {
        return Err("`file` is empty: give the path of a saved disc, e.g. \"discs/burned.disc.toml\"".into());
    }
    if written.contains('\0') {
        return Err("`file` contains a NUL character".into());
    }
    Ok(SavedDisc { written: written.to_string(), path: base_dir(scenario).join(written) })
}

/// The target of `save = "path"` or `save = { file = "path", overwrite = true }` in
/// `scenario`: (span, message) when it cannot be used.
pub fn save_target(
    scenario: &Path,
    value: &toml::Spanned<toml::Value>,
) -> Result<SaveTarget, (std::ops::Range<usize>, String)> {
    const FORMS: &str = "save = \"discs/x.disc.toml\" or save = { file = \"discs/x.disc.toml\", overwrite = true }";
    let span = value.span();
    let (written, overwrite) = match value.get_ref() {
        toml::Value::String(s) => (s.clone(), false),
        toml::Value::Table(t) => {
            if let Some(k) = t.keys().find(|k| !["file", "overwrite"].contains(&k.as_str())) {
                return Err((span, format!("unknown key `{k}` in `save`: expected {FORMS}")));
            }
            let file = match t.get("file") {
                Some(toml::Value::String(s)) => s.clone(),
                Some(_) => return Err((span, "`file` is a path (a string)".into())),
                None => return Err((span, format!("`save` needs `file`: {FORMS}"))),
            };
            let overwrite = match t.get("overwrite") {
                None => false,
                Some(toml::Value::Boolean(b)) => *b,
                Some(_) => return Err((span, "`overwrite` is true or false".into())),
            };
            (file, overwrite)
        }
        _ => return Err((span, format!("expected {FORMS}"))),
    };
    let base = base_dir(scenario);
    let path = resolve_save_path(if base.as_os_str().is_empty() { Path::new(".") } else { &base }, &written)
        .map_err(|e| (span.clone(), e.to_string()))?;
    Ok(SaveTarget { written, path, overwrite })
}

/// The directory of a scenario file (relative paths in it resolve against it).
fn base_dir(scenario: &Path) -> PathBuf {
    scenario.parent().map(Path::to_path_buf).unwrap_or_default()
}

/// A `save` step: saves the disc in `backend`'s drive to `target` (replacing a file only with
/// `target.overwrite` or `force`).
pub fn save_from(backend: &dyn Backend, target: &SaveTarget, force: bool) -> Result<(), DurableError> {
    let device = backend
        .simulated()
        .ok_or_else(|| DurableError::NotSimulated { backend: backend.name(), what: "save a disc" })?;
    let disc = device.export_disc().ok_or(DurableError::NoDisc)?;
    save(&target.path, &disc, target.overwrite || force)
}

/// An `insert = { file = "..." }` step: loads the saved disc and puts it in `backend`'s drive.
/// A file that cannot be used is an error; the drive's answer (S_OK, or
/// E_IMAPI_RECORDER_MEDIA_BUSY while a prepared session locks the tray) is the step's HRESULT.
pub fn insert_into(backend: &dyn Backend, saved: &SavedDisc) -> Result<Hresult, DurableError> {
    let device = backend
        .simulated()
        .ok_or_else(|| DurableError::NotSimulated { backend: backend.name(), what: "insert a saved disc" })?;
    let disc = load(&saved.path)?;
    Ok(device.insert_disc(&disc).err().unwrap_or(Hresult::S_OK))
}

fn invalid(path: &Path, message: impl Into<String>) -> DurableError {
    DurableError::Invalid { path: path.to_path_buf(), message: message.into() }
}

/// The text of a disc file for `disc`.
pub fn to_text(disc: &DiscSnapshot) -> String {
    let file = DiscFile { format: FORMAT.into(), version: VERSION, disc: disc.clone() };
    let body = toml::to_string(&file).expect("a disc snapshot serialises to TOML");
    format!("# A simulated CD saved by cdr-harness; put it in a drive with insert = {{ file = \"...\" }}.\n{body}")
}

/// Reads, checks and returns the disc saved in `path`.
pub fn load(path: &Path) -> Result<DiscSnapshot, DurableError> {
    let io = |what, source| DurableError::Io { path: path.to_path_buf(), what, source };
    let meta = std::fs::metadata(path).map_err(|e| io("read", e))?;
    if !meta.is_file() {
        return Err(invalid(path, "not a file: a saved disc is a file written by a `save` step"));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(invalid(path, format!("{} bytes: a disc file is at most {MAX_FILE_BYTES} bytes", meta.len())));
    }
    let bytes = std::fs::read(path).map_err(|e| io("read", e))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        invalid(path, format!("not UTF-8 text (bad byte at offset {}): not a disc file", e.utf8_error().valid_up_to()))
    })?;
    parse(path, &text)
}

/// Checks disc-file `text` (as read from `path`, for messages).
pub fn parse(path: &Path, text: &str) -> Result<DiscSnapshot, DurableError> {
    let position = |e: &toml::de::Error| match e.span() {
        Some(s) => {
            let (line, col) = crate::document::line_col(text, s.start);
            format!("line {line}, column {col}: {}", e.message().trim())
        }
        None => e.message().trim().to_string(),
    };
    // The format and version first, so a newer file says so instead of failing on its keys.
    let table: toml::Table = toml::from_str(text).map_err(|e| invalid(path, format!("not TOML: {}", position(&e))))?;
    match table.get("format").and_then(toml::Value::as_str) {
        Some(FORMAT) => {}
        Some(other) => return Err(invalid(path, format!("format = {other:?}: not a disc file (expected {FORMAT:?})"))),
        None => return Err(invalid(path, format!("no `format = {FORMAT:?}`: not a disc file saved by cdr-harness"))),
    }
    match table.get("version").and_then(toml::Value::as_integer) {
        Some(v) if v == i64::from(VERSION) => {}
        Some(v) => {
            return Err(invalid(
                path,
                format!(
                "version {v}: this cdr-harness reads disc files of version {VERSION} (use the release that wrote it)"
            ),
            ))
        }
        None => return Err(invalid(path, "no integer `version`")),
    }
    let file: DiscFile = toml::from_str(text).map_err(|e| invalid(path, position(&e)))?;
    file.disc.validate().map_err(|m| invalid(path, format!("this disc cannot exist: {m}")))?;
    Ok(file.disc)
}

/// The steps of a save, in order; a stage failing leaves the target as it was.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SaveStage {
    /// Creating the temporary file next to the target.
    CreateTemp,
    /// Writing the text into it.
    Write,
    /// Flushing it to the disk (fsync).
    Sync,
    /// Renaming it over the target.
    Rename,
}

impl fmt::Display for SaveStage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SaveStage::CreateTemp => "create a temporary file in the same directory",
            SaveStage::Write => "write the temporary file",
            SaveStage::Sync => "flush the temporary file to the disk",
            SaveStage::Rename => "rename the temporary file over the target",
        })
    }
}

/// The file-system operations of a save. [`Fs`] does them; another implementation can fail a
/// stage, to show that a save interrupted there leaves the previous file intact.
pub trait SaveIo {
    /// A new temporary file in `dir`.
    fn create_temp(&mut self, dir: &Path) -> io::Result<NamedTempFile>;
    /// Writes `bytes` into `file`.
    fn write(&mut self, file: &mut NamedTempFile, bytes: &[u8]) -> io::Result<()>;
    /// Flushes `file` to the disk.
    fn sync(&mut self, file: &mut NamedTempFile) -> io::Result<()>;
    /// Renames `file` to `target` (replacing it only with `overwrite`).
    fn rename(&mut self, file: NamedTempFile, target: &Path, overwrite: bool) -> io::Result<()>;
}

/// The real file system.
pub struct Fs;

impl SaveIo for Fs {
    fn create_temp(&mut self, dir: &Path) -> io::Result<NamedTempFile> {
        let mut builder = tempfile::Builder::new();
        builder.prefix(".disc-").suffix(".tmp");
        // A saved disc is an ordinary file (temporary files are private by default).
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
        builder.tempfile_in(dir)
    }
    fn write(&mut self, file: &mut NamedTempFile, bytes: &[u8]) -> io::Result<()> {
        file.write_all(bytes)
    }
    fn sync(&mut self, file: &mut NamedTempFile) -> io::Result<()> {
        file.as_file().sync_all()
    }
    fn rename(&mut self, file: NamedTempFile, target: &Path, overwrite: bool) -> io::Result<()> {
        let result = if overwrite { file.persist(target) } else { file.persist_noclobber(target) };
        result.map(drop).map_err(|e| e.error)
    }
}

/// Saves `disc` to `path` atomically (see the module docs); replaces an existing file only with
/// `overwrite`. Missing parent directories are created.
pub fn save(path: &Path, disc: &DiscSnapshot, overwrite: bool) -> Result<(), DurableError> {
    save_with(&mut Fs, path, disc, overwrite)
}

/// [`save`] through the given file-system operations.
pub fn save_with(io: &mut dyn SaveIo, path: &Path, disc: &DiscSnapshot, overwrite: bool) -> Result<(), DurableError> {
    write_with(io, path, &to_text(disc), overwrite)
}

/// Writes `text` to `path` as [`save`] writes a disc: atomically, replacing an existing file
/// only with `overwrite`, creating missing parent directories (transcripts written by the COM
/// server go through it too).
pub fn write_atomically(path: &Path, text: &str, overwrite: bool) -> Result<(), DurableError> {
    write_with(&mut Fs, path, text, overwrite)
}

fn write_with(io: &mut dyn SaveIo, path: &Path, text: &str, overwrite: bool) -> Result<(), DurableError> {
    let fail = |what: &'static str| move |source| DurableError::Io { path: path.to_path_buf(), what, source };
    if !overwrite && path.exists() {
        return Err(DurableError::Exists(path.to_path_buf()));
    }
    if path.is_dir() {
        return Err(invalid(path, "is a directory: expected a file"));
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(fail("create its directory"))?;
    let mut temp = io.create_temp(&dir).map_err(fail("create a temporary file in its directory"))?;
    io.write(&mut temp, text.as_bytes()).map_err(fail("write the temporary file"))?;
    io.sync(&mut temp).map_err(fail("flush the temporary file"))?;
    io.rename(temp, path, overwrite).map_err(|e| match e.kind() {
        io::ErrorKind::AlreadyExists => DurableError::Exists(path.to_path_buf()),
        _ => DurableError::Io { path: path.to_path_buf(), what: "rename the temporary file over it", source: e },
    })?;
    // The rename itself is durable once the directory is flushed (best effort: not every
    // platform can open a directory).
    if let Ok(d) = std::fs::File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Where a `save` path written in a scenario goes: relative to the scenario's directory
/// `base`, never outside it (no absolute path, no `..`, no symbolic link leading out), and
/// named `*.disc.toml`. A scenario someone sends you cannot write anywhere else.
pub fn resolve_save_path(base: &Path, written: &str) -> Result<PathBuf, DurableError> {
    let bad = |message: &str| DurableError::Path { written: written.to_string(), message: message.to_string() };
    if written.trim().is_empty() {
        return Err(bad("empty: name the file, e.g. save = \"discs/after-burn.disc.toml\""));
    }
    if written.contains('\0') {
        return Err(bad("contains a NUL character"));
    }
    let rel = Path::new(written);
    for c in rel.components() {
        match c {
            Component::Normal(_) | Component::CurDir => {}
            Component::ParentDir => {
                return Err(bad("`..` climbs out of the scenario's directory: a scenario saves only inside it"))
            }
            Component::RootDir | Component::Prefix(_) => {
                return Err(bad("absolute: a scenario saves only inside its own directory (give a relative path)"))
            }
        }
    }
    if !written.ends_with(SUFFIX) {
        return Err(bad(&format!("a saved disc's file name ends in {SUFFIX} (so scenario discovery skips it)")));
    }
    let target = base.join(rel);
    // The nearest existing ancestor must still be inside the scenario's directory once
    // symbolic links are followed.
    let root = base.canonicalize().map_err(|e| bad(&format!("the scenario's directory cannot be resolved: {e}")))?;
    let mut existing = target.parent();
    while let Some(p) = existing {
        if p.exists() {
            let real = p.canonicalize().map_err(|e| bad(&format!("cannot resolve {}: {e}", p.display())))?;
            if !real.starts_with(&root) {
                return Err(bad("leads outside the scenario's directory through a symbolic link"));
            }
            break;
        }
        existing = p.parent();
    }
    Ok(target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn save_paths_stay_inside_the_scenario_directory() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path();
        assert_eq!(resolve_save_path(base, "a.disc.toml").unwrap(), base.join("a.disc.toml"));
        assert_eq!(resolve_save_path(base, "sub/b.disc.toml").unwrap(), base.join("sub/b.disc.toml"));
        for (bad, why) in [
            ("../x.disc.toml", "climbs out"),
            ("sub/../../x.disc.toml", "climbs out"),
            ("/tmp/x.disc.toml", "absolute"),
            ("", "empty"),
            ("x.toml", "ends in .disc.toml"),
            ("a\0b.disc.toml", "NUL"),
        ] {
            let e = resolve_save_path(base, bad).unwrap_err().to_string();
            assert!(e.contains(why), "{bad:?}: {e}");
        }
        #[cfg(unix)]
        {
            let outside = tempfile::tempdir().unwrap();
            std::os::unix::fs::symlink(outside.path(), base.join("link")).unwrap();
            let e = resolve_save_path(base, "link/x.disc.toml").unwrap_err().to_string();
            assert!(e.contains("symbolic link"), "{e}");
        }
    }
}
