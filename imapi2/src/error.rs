//! The errors of opening the backend and choosing a recorder: what a user sees before any
//! contract member runs. Contract members themselves answer with [`Hresult`]s, as IMAPI2 does.

use cdr_sim::Hresult;

/// Why the IMAPI2 backend could not be opened, or a recorder could not be chosen.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Imapi2Error {
    /// This build is not for Windows: IMAPI2 does not exist here.
    #[error(
        "the IMAPI2 backend needs Windows: IMAPI2 is a Windows API and this build is for {os}; \
         use `--backend sim` here, or run the same command on a Windows machine"
    )]
    NeedsWindows {
        /// The operating system of this build (`std::env::consts::OS`).
        os: &'static str,
    },
    /// IMAPI2 is not on this machine: its classes are not registered (`REGDB_E_CLASSNOTREG`),
    /// as on Windows editions without it, or under Wine.
    #[error(
        "no optical recorder can be used: IMAPI2 is not installed on this machine \
         (CoCreateInstance(MsftDiscMaster2): {0}, the class is not registered); IMAPI2 ships with \
         Windows Vista and later, and Wine has none: record on a Windows machine with a CD writer, \
         or use `--backend sim`"
    )]
    NotInstalled(Hresult),
    /// IDiscMaster2 lists no recorder at all.
    #[error(
        "no optical recorder found: IMAPI2 reports 0 recorders on this machine \
         (connect a CD writer, check that Windows shows its drive letter, and try again)"
    )]
    NoRecorders,
    /// No recorder matches the selector.
    #[error("no recorder matches `{selector}`; recorders on this machine:\n{available}")]
    NoSuchRecorder {
        /// The selector as the user wrote it.
        selector: String,
        /// One line per recorder: index, drive letters, identity, unique id.
        available: String,
    },
    /// The recorder selector could not be parsed.
    #[error(transparent)]
    BadSelector(#[from] ParseSelectorError),
    /// The calling thread is a single-threaded COM apartment, where the backend does not run.
    #[error(
        "this thread is a single-threaded COM apartment ({}); the IMAPI2 backend uses the \
         multithreaded apartment: call it from a thread that has not initialised COM as STA", .0
    )]
    SingleThreadedApartment(Hresult),
    /// A member that only the simulator's own COM server has was asked of IMAPI2.
    #[error(
        "the classes registered here are IMAPI2's, not the simulator's COM server (cdr-comserver): \
         `run --backend imapi2` runs scenarios through the simulator's COM server only; record on a \
         real recorder with `cdr-harness record --backend imapi2`"
    )]
    NotASimulator,
    /// A COM call failed.
    #[error("{context}: {hresult}")]
    Com {
        /// What was being done (`CoCreateInstance(MsftDiscMaster2)`, `IDiscMaster2::Count`).
        context: String,
        /// The failure code, unchanged.
        hresult: Hresult,
    },
}

impl Imapi2Error {
    /// A failed COM call: `context` says what was being done.
    pub fn com(context: impl Into<String>, hresult: Hresult) -> Imapi2Error {
        Imapi2Error::Com { context: context.into(), hresult }
    }

    /// The HRESULT behind the error, where there is one.
    pub fn hresult(&self) -> Option<Hresult> {
        match self {
            Imapi2Error::Com { hresult, .. }
            | Imapi2Error::SingleThreadedApartment(hresult)
            | Imapi2Error::NotInstalled(hresult) => Some(*hresult),
            _ => None,
        }
    }

    /// True when the error says that this platform cannot run the backend at all (the CLI maps
    /// it to exit status 2, a usage error, rather than a failed run).
    pub fn is_unsupported_platform(&self) -> bool {
        matches!(self, Imapi2Error::NeedsWindows { .. })
    }
}

/// A string that is not a recorder selector.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{0}` is not a recorder: expected an index such as 0, a drive letter such as E:, or a unique id \
     such as \\\\?\\scsi#cdrom&ven_...#{{53f56308-b6bf-11d0-94f2-00a0c91efb8b}}"
)]
pub struct ParseSelectorError(pub String);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn needs_windows_names_the_platform_and_the_way_out() {
        let e = Imapi2Error::NeedsWindows { os: "linux" };
        let msg = e.to_string();
        assert!(msg.contains("needs Windows"), "{msg}");
        assert!(msg.contains("linux"), "{msg}");
        assert!(msg.contains("--backend sim"), "{msg}");
        assert!(e.is_unsupported_platform());
        assert_eq!(e.hresult(), None);
    }

    #[test]
    fn com_errors_keep_the_code() {
        let e = Imapi2Error::com("IDiscMaster2::Count", Hresult::E_ACCESSDENIED);
        assert_eq!(e.hresult(), Some(Hresult::E_ACCESSDENIED));
        assert_eq!(e.to_string(), "IDiscMaster2::Count: E_ACCESSDENIED (0x80070005)");
        assert!(!e.is_unsupported_platform());
    }

    #[test]
    fn not_installed_says_why_and_what_to_do() {
        let e = Imapi2Error::NotInstalled(crate::codes::REGDB_E_CLASSNOTREG);
        let msg = e.to_string();
        assert!(msg.starts_with("no optical recorder can be used"), "{msg}");
        assert!(msg.contains("0x80040154") && msg.contains("not registered"), "{msg}");
        assert!(msg.contains("--backend sim"), "{msg}");
        assert_eq!(e.hresult(), Some(crate::codes::REGDB_E_CLASSNOTREG));
        assert!(!e.is_unsupported_platform());
    }

    #[test]
    fn zero_recorders_reads_clearly() {
        let msg = Imapi2Error::NoRecorders.to_string();
        assert!(msg.starts_with("no optical recorder found"), "{msg}");
        assert!(msg.contains("0 recorders"), "{msg}");
    }
}
