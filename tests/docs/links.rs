//! Nothing in the repository sends a reader to a folder a clone does not have: the documents
//! the project was first specified in live outside it, and the project's own docs carry what a
//! reader needs (`docs/reference/`).

use crate::markdown::{relative, root};

/// Paths of documents outside the repository (assembled here, so this file does not name them).
fn outside_references() -> Vec<String> {
    vec![["shared", "spec"].join("/"), ["..", "shared"].join("/")]
}

#[test]
fn no_file_refers_to_documents_outside_the_repository() {
    let needles = outside_references();
    let mut found = Vec::new();
    let walk = walkdir::WalkDir::new(root())
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !matches!(e.file_name().to_str(), Some("target" | ".git")));
    let mut files = 0;
    for entry in walk {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        // Binary files (audio, images) cannot hold a reference a reader follows.
        let Ok(text) = std::fs::read_to_string(entry.path()) else { continue };
        files += 1;
        for (n, line) in text.lines().enumerate() {
            if needles.iter().any(|needle| line.contains(needle.as_str())) {
                found.push(format!("{}:{}: {}", relative(entry.path()), n + 1, line.trim()));
            }
        }
    }
    assert!(files > 100, "only {files} files read: the walk is broken");
    assert!(
        found.is_empty(),
        "references to documents a clone does not have (point to docs/reference/ instead):\n{}",
        found.join("\n")
    );
}
