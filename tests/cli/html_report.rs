//! `run --report DIR`: the HTML page opens in a real headless browser (Debian's chromium) and
//! shows, per scenario, pass or fail, each failed expectation with expected and actual, the
//! Update event that fired each handler call, and the disc picture inline; it needs nothing but
//! itself.
//!
//! Needs `chromium` on PATH. Without it the test fails when `CDR_REQUIRE_CHROMIUM=1` (as in
//! `.ci/run`, which installs it), and otherwise says loudly on stderr that it did not run.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::manifest as root;

fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|d| d.join("chromium")).find(|p| p.is_file())
}

/// The DOM chromium builds from `page`, as HTML.
fn dump_dom(browser: &Path, page: &Path) -> String {
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    assert!(out.status.success(), "chromium failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// The text of the element of `dom` that starts at `open` (up to its `close`).
fn element<'a>(dom: &'a str, open: &str, close: &str) -> &'a str {
    let start = dom.find(open).unwrap_or_else(|| panic!("`{open}` not in the page"));
    let end = dom[start..].find(close).map_or(dom.len(), |e| start + e + close.len());
    &dom[start..end]
}

#[test]
fn the_html_report_shows_each_scenario_in_a_real_browser() {
    let Some(browser) = chromium() else {
        let required = std::env::var("CDR_REQUIRE_CHROMIUM").is_ok_and(|v| v == "1");
        assert!(!required, "chromium is not on PATH but CDR_REQUIRE_CHROMIUM=1: install it (apt-get install chromium)");
        eprintln!(
            "\n*** html_report: NOT RUN: chromium is not on PATH (apt-get install chromium); .ci/run requires it ***\n"
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report");
    let status = crate::support::harness()
        .current_dir(root())
        .args([
            "run",
            "fixtures/scenarios/burn/worked-example.toml",
            "fixtures/scenarios/faults/underrun-unprotected.toml",
            "tests/cli/bad/wrong-expectation.toml",
            "tests/cli/bad/unknown-call.toml",
            "--report",
        ])
        .arg(&report)
        .output()
        .unwrap();
    assert_eq!(status.status.code(), Some(2), "an unusable file makes the run exit 2");
    let page = report.join("index.html");
    let html = std::fs::read_to_string(&page).unwrap();
    // Self-contained: no scripts, style sheets, images or fonts from elsewhere.
    for outside in ["<link", "<script", "src=", "url(", "@import", "https://"] {
        assert!(!html.contains(outside), "the page refers to `{outside}`");
    }
    assert_eq!(html.matches("http://").count(), html.matches("xmlns=\"http://www.w3.org/2000/svg\"").count());

    let dom = dump_dom(&browser, &page);
    assert!(dom.contains("<p class=\"summary\" id=\"summary\">2 passed, 2 failed</p>"), "{dom}");

    let pass = element(&dom, "data-status=\"PASS\"", "</section>");
    assert!(pass.contains("fixtures/scenarios/burn/worked-example.toml"), "{pass}");
    assert!(pass.contains("step 5, during 1: get_FreeSectorsOnMedia (when WRITING 50%)"), "{pass}");
    assert!(pass.contains("fired at WRITING, track 1, sector 12599 of 22500 (55 %)"), "{pass}");
    assert!(pass.contains("<svg") && pass.contains("track 1: LBA 0 to 22499 (22500 sectors)"), "{pass}");

    let damaged = element(&dom, "underrun-unprotected.toml", "</section>");
    assert!(damaged.contains("track 1 (damaged: a fault cut the write") && damaged.contains("damaged track"));

    let fail = element(&dom, "data-status=\"FAIL\"", "</section>");
    assert!(fail.contains("tests/cli/bad/wrong-expectation.toml"), "{fail}");
    let row = element(fail, "<tr class=\"failure\">", "</tr>");
    assert!(row.contains("step 4 (get_FreeSectorsOnMedia, line 16)"), "{row}");
    assert!(row.contains("<td class=\"expected\"><code>value 360000</code></td>"), "{row}");
    assert!(row.contains("<td class=\"actual\"><code>value 359845</code></td>"), "{row}");

    let error = element(&dom, "data-status=\"ERROR\"", "</section>");
    assert!(
        error.contains("unknown-call.toml:4:8: unknown call `PrepareMedium`: did you mean `PrepareMedia`?"),
        "{error}"
    );
}
