//! The configuration file: which drive and disc an application sees, and where the server
//! writes what happened. Named by the environment variable [`ENV`] (`CDR_COMSERVER_CONFIG`);
//! without it, the built-in `default` drive with a blank 80-minute CD-R and no output.
//!
//! The file reuses the scenario format's set-up tables, read by the scenario format's own
//! code (the same keys, checks and `file:line:column` errors as in a scenario), and adds
//! `[output]`:
//!
//! ```toml
//! fault_seed = 7                          # optional, for kind = "random" rules
//!
//! [drive]                                 # as in a scenario: a built-in name, a path, or keys
//! profile = "default"
//! [drive.calibration]
//! short_track = "as_written"
//!
//! [media]                                 # as in a scenario; or media = { file = "x.disc.toml" }
//! profile = "cdr80"                       # (a saved disc in the tray)
//!
//! [[fault]]                               # as in a scenario
//! kind = "fail_call"
//! call = "PrepareMedia"
//! hresult = "E_IMAPI_RECORDER_MEDIA_BUSY"
//!
//! [output]                                # paths relative to this file (absolute ones too)
//! transcript = "out/app.transcript.toml"  # every call the application made (.toml or .json)
//! disc = "out/app.disc.toml"              # the disc, each time the application lets it go
//! overwrite = false                       # the default: an existing file is an error
//! ```

use std::path::{Path, PathBuf};

use cdr_scenario::faults::rules::FaultFile;
use cdr_scenario::scenario::setup::{setup, Setup, SetupTables};
use cdr_scenario::scenario::{read_document, Node, Parts, ScenarioError};
use toml::Spanned;

/// The environment variable naming the configuration file.
pub const ENV: &str = "CDR_COMSERVER_CONFIG";
/// The largest configuration file read.
const MAX_FILE_BYTES: u64 = 1 << 20;

/// A configuration that cannot be used: the message names the file, line and column.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("cdr-comserver configuration {0}")]
pub struct ConfigError(pub String);

impl From<ScenarioError> for ConfigError {
    fn from(e: ScenarioError) -> Self {
        ConfigError(e.to_string())
    }
}

/// The file as written.
#[derive(serde::Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// The drive, as a scenario's `[drive]`.
    pub drive: Option<Spanned<Node>>,
    /// The disc in the tray, as a scenario's `[media]`, or `{ file = "x.disc.toml" }`.
    pub media: Option<Spanned<Node>>,
    /// Seed of random faults.
    pub fault_seed: Option<u64>,
    /// Fault rules, as a scenario's `[[fault]]`.
    #[serde(default)]
    pub fault: Vec<Spanned<FaultFile>>,
    /// Where to write.
    pub output: Option<OutputFile>,
}

impl Parts for ConfigFile {
    const ARRAYS: &'static [&'static str] = &["fault"];
    fn absorb(&mut self, other: Self) {
        self.fault.extend(other.fault);
    }
}

/// `[output]` as written.
#[derive(serde::Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct OutputFile {
    /// The transcript: `*.toml`, or `*.json` for JSON.
    pub transcript: Option<Spanned<String>>,
    /// The disc file: `*.disc.toml`.
    pub disc: Option<Spanned<String>>,
    /// Replace files that exist (default false).
    pub overwrite: Option<bool>,
}

/// A checked configuration.
#[derive(Clone, Debug)]
pub struct Config {
    /// The file it was read from.
    pub path: PathBuf,
    /// The drive, the disc and the fault rules.
    pub setup: Setup,
    /// Where the transcript goes.
    pub transcript: Option<PathBuf>,
    /// Where the disc goes.
    pub disc: Option<PathBuf>,
    /// Whether existing files may be replaced.
    pub overwrite: bool,
}

impl Config {
    /// The file named by [`ENV`], or `None` when the variable is unset or empty.
    pub fn from_env() -> Result<Option<Config>, ConfigError> {
        match std::env::var_os(ENV) {
            Some(p) if !p.is_empty() => load(Path::new(&p)).map(Some),
            _ => Ok(None),
        }
    }
}

/// Reads and checks the configuration at `path`.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    let fail = |m: String| ConfigError::from(ScenarioError::file(path, m));
    let meta = std::fs::metadata(path).map_err(|e| fail(format!("cannot read (named by {ENV}): {e}")))?;
    if !meta.is_file() || meta.len() > MAX_FILE_BYTES {
        return Err(fail(format!("not a file of at most {MAX_FILE_BYTES} bytes (named by {ENV})")));
    }
    let bytes = std::fs::read(path).map_err(|e| fail(format!("cannot read: {e}")))?;
    let text = String::from_utf8(bytes)
        .map_err(|e| fail(format!("not UTF-8 text (byte {}): TOML files are UTF-8", e.utf8_error().valid_up_to())))?;
    parse(path, &text)
}

/// Checks configuration `text` as if read from `path` (relative paths resolve against its
/// directory). Every mistake is reported.
pub fn parse(path: &Path, text: &str) -> Result<Config, ConfigError> {
    let raw: ConfigFile = read_document(path, text)?;
    let tables = SetupTables {
        drive: raw.drive.as_ref(),
        media: raw.media.as_ref(),
        fault: &raw.fault,
        fault_seed: raw.fault_seed,
    };
    let mut errors = Vec::new();
    let setup = setup(path, text, tables).map_err(|e| errors.push(e)).ok();
    let overwrite = raw.output.as_ref().and_then(|o| o.overwrite).unwrap_or(false);
    let out = raw.output.as_ref();
    let target = |value: Option<&Spanned<String>>, suffixes: &[&str], what: &str, errors: &mut Vec<ScenarioError>| {
        let v = value?;
        output_path(path, text, v, suffixes, what, overwrite).map_err(|e| errors.push(e)).ok()
    };
    let transcript = target(out.and_then(|o| o.transcript.as_ref()), &[".toml", ".json"], "transcript", &mut errors);
    let disc = target(out.and_then(|o| o.disc.as_ref()), &[cdr_scenario::durable::SUFFIX], "disc", &mut errors);
    if let (Some(t), Some(d), Some(span)) = (&transcript, &disc, out.and_then(|o| o.disc.as_ref()).map(Spanned::span)) {
        if t == d {
            errors.push(ScenarioError::at(path, text, span, "`disc` and `transcript` name the same file"));
        }
    }
    if let Some(e) = ScenarioError::all(path, errors) {
        return Err(e.into());
    }
    let setup = setup.unwrap_or_else(|| unreachable!("a set-up that failed left an error"));
    Ok(Config { path: path.to_path_buf(), setup, transcript, disc, overwrite })
}

/// An output path written at `value`: relative to the configuration's directory, with one of
/// `suffixes`, and not an existing file unless `overwrite`.
fn output_path(
    config: &Path,
    text: &str,
    value: &Spanned<String>,
    suffixes: &[&str],
    what: &str,
    overwrite: bool,
) -> Result<PathBuf, ScenarioError> {
    let at = |m: String| ScenarioError::at(config, text, value.span(), m);
    let written = value.get_ref();
    if written.trim().is_empty() || written.contains('\0') {
        return Err(at(format!("`{what}` is a file path, e.g. \"out/app.{what}.toml\"")));
    }
    if !suffixes.iter().any(|s| written.ends_with(s)) {
        return Err(at(format!("the {what} file's name ends in {}", suffixes.join(" or "))));
    }
    let p = config.parent().unwrap_or(Path::new("")).join(written);
    if p.is_dir() {
        return Err(at(format!("{} is a directory: `{what}` names a file", p.display())));
    }
    if p.exists() && !overwrite {
        return Err(at(format!(
            "{} already exists: the server replaces no file unless [output] says overwrite = true",
            p.display()
        )));
    }
    Ok(p)
}
