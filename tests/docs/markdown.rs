//! The documentation files and their fenced code blocks.

use std::path::{Path, PathBuf};

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};

/// A fenced code block of a documentation file.
pub struct Block {
    /// The file, relative to the repository.
    pub file: String,
    /// The line of its opening fence.
    pub line: usize,
    /// The fence's language (the first word of its info string; empty without one).
    pub lang: String,
    /// Its text, without the fences (and without the indentation of a list item).
    pub text: String,
}

impl Block {
    /// `file:line`, for messages.
    pub fn at(&self) -> String {
        format!("{}:{}", self.file, self.line)
    }
}

/// The repository's root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// README.md and every Markdown file under docs/, sorted.
pub fn doc_files() -> Vec<PathBuf> {
    let mut files = vec![root().join("README.md")];
    for entry in walkdir::WalkDir::new(root().join("docs")).sort_by_file_name() {
        let entry = entry.expect("reading docs/");
        if entry.file_type().is_file() && entry.path().extension().is_some_and(|e| e == "md") {
            files.push(entry.into_path());
        }
    }
    files
}

/// `path` relative to the repository, with forward slashes.
pub fn relative(path: &Path) -> String {
    path.strip_prefix(root()).unwrap_or(path).to_string_lossy().replace('\\', "/")
}

/// Every fenced code block of every documentation file, in order.
pub fn blocks() -> Vec<Block> {
    doc_files().iter().flat_map(|f| blocks_of(f)).collect()
}

fn blocks_of(path: &Path) -> Vec<Block> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut out = Vec::new();
    let mut open: Option<Block> = None;
    for (event, range) in Parser::new(&text).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                open = Some(Block {
                    file: relative(path),
                    line: text[..range.start].lines().count() + 1,
                    lang: info.split_whitespace().next().unwrap_or("").to_string(),
                    text: String::new(),
                });
            }
            Event::Text(t) => {
                if let Some(b) = open.as_mut() {
                    b.text.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => out.extend(open.take()),
            _ => {}
        }
    }
    out
}

/// Lines with trailing white space removed, trailing empty lines dropped.
pub fn lines(text: &str) -> Vec<&str> {
    let mut v: Vec<&str> = text.lines().map(str::trim_end).collect();
    while v.last().is_some_and(|l| l.is_empty()) {
        v.pop();
    }
    v
}

/// The text of the Markdown section that starts with the heading line `heading` (up to the
/// next heading of the same or a higher level).
pub fn section<'a>(text: &'a str, heading: &str) -> &'a str {
    let level = heading.chars().take_while(|c| *c == '#').count();
    let start = text.find(&format!("\n{heading}\n")).unwrap_or_else(|| panic!("no section `{heading}`")) + 1;
    let body = &text[start + heading.len()..];
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        let hashes = line.chars().take_while(|c| *c == '#').count();
        if hashes > 0 && hashes <= level && line[hashes..].starts_with(' ') {
            return &text[start..start + heading.len() + offset];
        }
        offset += line.len();
    }
    &text[start..]
}

/// The first cells of the table rows of `text` (header and separator rows excluded).
pub fn first_cells(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_table = false;
    for line in text.lines() {
        let line = line.trim();
        if !line.starts_with('|') {
            in_table = false;
            continue;
        }
        let first = line.trim_start_matches('|').split('|').next().unwrap_or("").trim().to_string();
        if !in_table {
            // The header row.
            in_table = true;
            continue;
        }
        if !first.starts_with("---") {
            out.push(first);
        }
    }
    out
}
