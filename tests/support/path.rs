//! A `PATH` under which a shell script finds the freshly built `cdr-harness` by name, as a
//! workflow's steps and the docs' commands call it.

/// `PATH` with the directory of the freshly built `cdr-harness` first, as a workflow's
/// scripts call it by name.
pub fn path_with_harness() -> String {
    let bin = crate::support::harness_path();
    format!("{}:{}", bin.parent().unwrap().display(), std::env::var("PATH").unwrap_or_default())
}
