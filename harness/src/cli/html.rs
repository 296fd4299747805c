//! `run --report DIR`: one self-contained HTML page for a run (`DIR/index.html`). No external
//! assets: the style sheet is inline and each disc picture is the SVG itself, inline. For each
//! scenario: PASS, FAIL or ERROR; every failed expectation with expected and actual; each
//! `during` call with the Update event that fired it; and the disc as read back, drawn.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::Context;
use cdr_scenario::image::disc_svg_marked;
use cdr_scenario::transcript::Transcript;

use super::fired::{during_label, fired_text};
use super::report::{Outcome, ScenarioResult};

/// The page's file name inside the report directory.
pub const PAGE: &str = "index.html";

const STYLE: &str = "\
body{font-family:system-ui,sans-serif;margin:1.5rem;color:#111827;background:#fff}\
h1{font-size:1.4rem;margin:0 0 .5rem}h2{font-size:1.05rem;margin:0}\
.summary{font-size:1.1rem;margin-bottom:1rem}\
section{border:1px solid #d1d5db;border-radius:6px;margin:.75rem 0;padding:.6rem .8rem}\
section.fail{border-color:#dc2626;background:#fef2f2}section.error{border-color:#92400e;background:#fffbeb}\
.status{display:inline-block;min-width:3.5rem;font-weight:700;padding:0 .4rem;border-radius:4px;color:#fff}\
.pass .status{background:#15803d}.fail .status{background:#dc2626}.error .status{background:#92400e}\
.description{color:#374151;margin:.3rem 0}\
table{border-collapse:collapse;margin:.4rem 0}td,th{border:1px solid #d1d5db;padding:.2rem .5rem;text-align:left;vertical-align:top}\
th{background:#f3f4f6}code,pre{font-family:ui-monospace,monospace;font-size:.9em}pre{white-space:pre-wrap;margin:.3rem 0}\
.disc svg{max-width:100%;height:auto}";

/// Writes the page for `results` into `dir` (created if needed); returns its path.
pub fn write(dir: &Path, results: &[ScenarioResult]) -> anyhow::Result<std::path::PathBuf> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let path = dir.join(PAGE);
    std::fs::write(&path, page(results)).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(path)
}

/// The whole page.
pub fn page(results: &[ScenarioResult]) -> String {
    let passed = results.iter().filter(|r| matches!(&r.outcome, Outcome::Ran(t) if t.passed)).count();
    let failed = results.len() - passed;
    let mut s = String::new();
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>cdr-harness: {passed} passed, {failed} failed</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
         <h1>cdr-harness run</h1>\n<p class=\"summary\" id=\"summary\">{passed} passed, {failed} failed</p>\n"
    );
    for (i, r) in results.iter().enumerate() {
        scenario(&mut s, i + 1, r);
    }
    s.push_str("</body>\n</html>\n");
    s
}

fn scenario(s: &mut String, index: usize, r: &ScenarioResult) {
    let (class, status) = match &r.outcome {
        Outcome::Ran(t) if t.passed => ("pass", "PASS"),
        Outcome::Ran(_) => ("fail", "FAIL"),
        Outcome::Unusable(_) => ("error", "ERROR"),
    };
    let _ = write!(
        s,
        "<section class=\"scenario {class}\" id=\"scenario-{index}\" data-status=\"{status}\">\n\
         <h2><span class=\"status\">{status}</span> <code class=\"name\">{}</code></h2>\n",
        escape(&r.name)
    );
    match &r.outcome {
        Outcome::Unusable(message) => {
            let _ = writeln!(s, "<pre class=\"error-message\">{}</pre>", escape(message));
        }
        Outcome::Ran(t) => ran(s, t),
    }
    s.push_str("</section>\n");
}

fn ran(s: &mut String, t: &Transcript) {
    let _ = writeln!(s, "<p class=\"description\">{}</p>", escape(&t.description));
    if !t.failures.is_empty() {
        s.push_str("<table class=\"failures\">\n<tr><th>where</th><th>expected</th><th>actual</th></tr>\n");
        for f in &t.failures {
            let _ = writeln!(
                s,
                "<tr class=\"failure\"><td>{}</td><td class=\"expected\"><code>{}</code></td>\
                 <td class=\"actual\"><code>{}</code></td></tr>",
                escape(&f.location()),
                escape(&f.expected),
                escape(&f.actual)
            );
        }
        s.push_str("</table>\n");
    }
    let during: Vec<(String, String)> = t
        .steps
        .iter()
        .flat_map(|step| step.during.iter().map(move |d| (during_label(step, d), fired_text(d))))
        .collect();
    if !during.is_empty() {
        s.push_str("<table class=\"during\">\n<tr><th>handler call</th><th>the Update event that fired it</th></tr>\n");
        for (call, fired) in during {
            let _ = writeln!(
                s,
                "<tr class=\"during-call\"><td>{}</td><td class=\"event\">{}</td></tr>",
                escape(&call),
                escape(&fired)
            );
        }
        s.push_str("</table>\n");
    }
    if let Some(id) = &t.disc_id {
        let _ = writeln!(
            s,
            "<p class=\"disc-id\">MusicBrainz <code>{}</code> FreeDB <code>{}</code></p>",
            escape(&id.musicbrainz),
            escape(&id.freedb)
        );
    }
    let _ = writeln!(s, "<div class=\"disc\">{}</div>", disc_svg_marked(&t.disc, &t.cancelled_tracks()));
}

/// Text as HTML.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
