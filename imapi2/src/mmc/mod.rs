//! The MMC commands `read_back` sends through `IDiscRecorder2Ex::SendCommandGetDataFromDevice`,
//! and parsers of their responses. Byte layouts are MMC's (SCSI Multimedia Commands, MMC-5);
//! each parser takes the response bytes and checks every length it relies on.
//!
//! - [`cdb`]: the command blocks.
//! - [`config`]: GET CONFIGURATION's header (the current profile: which disc is in the tray).
//! - [`disc_info`]: READ DISC INFORMATION.
//! - [`track_info`]: READ TRACK INFORMATION.
//! - [`toc`]: READ TOC/PMA/ATIP formats 0 (TOC) and 4 (ATIP).
//! - [`sense`]: fixed-format sense data and the IMAPI2 HRESULT it corresponds to.
//! - [`mode`]: MODE SENSE page 2Ah (capabilities).
//! - [`encode`]: the responses in MMC's byte layout, as a drive (the simulator's COM server)
//!   sends them; the parsers here read them back.

pub mod cdb;
pub mod config;
pub mod disc_info;
pub mod encode;
pub mod mode;
pub mod sense;
pub mod toc;
pub mod track_info;

use cdr_sim::Hresult;

/// A response shorter than its layout, or a field with a value MMC reserves.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{command}: {reason}")]
pub struct MmcParseError {
    /// The command whose response it is (`READ DISC INFORMATION`).
    pub command: &'static str,
    /// What is wrong with the bytes.
    pub reason: String,
}

impl MmcParseError {
    pub(crate) fn new(command: &'static str, reason: impl Into<String>) -> MmcParseError {
        MmcParseError { command, reason: reason.into() }
    }

    /// The HRESULT `read_back` reports: `E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE`, what
    /// IMAPI2 itself says of data it cannot use.
    pub fn hresult(&self) -> Hresult {
        Hresult::E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE
    }
}

/// Checks that `data` holds at least `needed` bytes.
pub(crate) fn need(command: &'static str, data: &[u8], needed: usize) -> Result<(), MmcParseError> {
    if data.len() < needed {
        return Err(MmcParseError::new(command, format!("{} bytes, the layout needs {needed}", data.len())));
    }
    Ok(())
}

/// Big-endian u16 at `at`.
pub(crate) fn be16(data: &[u8], at: usize) -> u16 {
    u16::from_be_bytes([data[at], data[at + 1]])
}

/// Big-endian u32 at `at`.
pub(crate) fn be32(data: &[u8], at: usize) -> u32 {
    u32::from_be_bytes([data[at], data[at + 1], data[at + 2], data[at + 3]])
}
