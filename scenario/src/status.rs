//! The exit status of every command, one enum from the library that decides it to the process.

/// Exit status: 0 all passed, 1 an expectation failed (or the fuzzer found a disagreement),
/// 2 unusable input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// Everything ran and every expectation held.
    Passed = 0,
    /// Everything ran; some expectation failed.
    Failed = 1,
    /// Some input could not be used (a file that does not parse, no scenarios, a missing file,
    /// a recorder that cannot be opened).
    Unusable = 2,
}

impl Status {
    /// The process exit code.
    pub fn code(self) -> u8 {
        self as u8
    }
}

impl From<Status> for std::process::ExitCode {
    fn from(s: Status) -> Self {
        std::process::ExitCode::from(s.code())
    }
}
