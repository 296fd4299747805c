//! GitHub Actions workflows as the suites read them: the shell script of a step (run under
//! `support/path.rs`'s `PATH`).

/// The body of the `run: |` block whose header is line `header` of `lines`, unindented.
pub fn run_block_at(lines: &[&str], header: usize) -> String {
    let indent = lines[header + 1].len() - lines[header + 1].trim_start().len();
    lines[header + 1..]
        .iter()
        .take_while(|l| l.trim().is_empty() || l.len() - l.trim_start().len() >= indent)
        .map(|l| l.get(indent..).unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}
