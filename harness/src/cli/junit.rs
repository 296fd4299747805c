//! JUnit XML, as CI systems read it: the one writer behind `run --format junit` and
//! `compare --format junit`.

use std::collections::BTreeMap;
use std::time::Duration;

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

/// How a test case ended.
pub enum Verdict {
    /// It passed.
    Passed,
    /// It ran and failed: a one-line message and the details.
    Failed { message: String, details: String },
    /// It could not run (unusable input).
    Unusable { message: String },
}

/// One test case of the report.
pub struct Case {
    /// The test suite it belongs to (suites are written in name order).
    pub suite: String,
    /// The case's name.
    pub name: String,
    /// The case's class.
    pub class: String,
    /// How it ended.
    pub verdict: Verdict,
    /// How long it took, when the report carries times.
    pub time: Option<Duration>,
}

/// The report named `name` of `cases`; the suites named in `declared` are written even when no
/// case is in them. With `total`, the suites and the report carry that time.
pub fn report(name: &str, declared: &[&str], cases: Vec<Case>, total: Option<Duration>) -> anyhow::Result<String> {
    let mut report = Report::new(name);
    let mut suites: BTreeMap<String, TestSuite> =
        declared.iter().map(|&s| (s.to_string(), TestSuite::new(s))).collect();
    for c in cases {
        let status = match c.verdict {
            Verdict::Passed => TestCaseStatus::success(),
            Verdict::Failed { message, details } => {
                let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
                s.set_message(message);
                s.set_description(details);
                s
            }
            Verdict::Unusable { message } => {
                let mut s = TestCaseStatus::non_success(NonSuccessKind::Error);
                s.set_message(message);
                s
            }
        };
        let mut case = TestCase::new(c.name, status);
        if let Some(t) = c.time {
            case.set_time(t);
        }
        case.set_classname(c.class);
        suites.entry(c.suite.clone()).or_insert_with(|| TestSuite::new(c.suite)).add_test_case(case);
    }
    for (_, mut s) in suites {
        if let Some(t) = total {
            s.set_time(t);
        }
        report.add_test_suite(s);
    }
    if let Some(t) = total {
        report.set_time(t);
    }
    Ok(report.to_string()?)
}
