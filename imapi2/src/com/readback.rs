//! `read_back` on real hardware: MMC commands through `IDiscRecorder2Ex`, parsed and assembled
//! by the portable [`crate::mmc`] and [`crate::readback`].

use cdr_sim::{DiscReadBack, HrResult, Hresult};
use windows::Win32::Storage::Imapi::IDiscRecorder2Ex;
use windows_core::Interface;

use super::recorder::ComRecorder;
use super::{call, enter_mta};
use crate::codes::S_IMAPI_COMMAND_HAS_SENSE_DATA;
use crate::convert::media_type_of_profile;
use crate::mmc::config::parse_configuration_header;
use crate::mmc::disc_info::{parse_disc_information, DiscStatus};
use crate::mmc::sense::{parse_sense, Sense};
use crate::mmc::toc::{parse_atip, parse_toc};
use crate::mmc::track_info::parse_track_information;
use crate::mmc::{cdb, MmcParseError};
use crate::readback::{assemble_read_back, tracks_to_read, DriveAnswers};

/// Seconds a command may take (IMAPI2's SendCommand timeout is in seconds).
const TIMEOUT_SECONDS: u32 = 20;

/// How a command failed.
enum CommandError {
    /// CHECK CONDITION with this sense.
    Sense(Sense),
    /// The call itself failed.
    Failed(Hresult),
}

impl CommandError {
    fn hresult(&self) -> Hresult {
        match self {
            CommandError::Sense(s) => s.hresult(),
            CommandError::Failed(h) => *h,
        }
    }
}

/// Sends `cdb` and returns the bytes the device sent back (at most `alloc`). Retries once after
/// UNIT ATTENTION (the disc changed since the last command).
fn command(device: &IDiscRecorder2Ex, cdb: &[u8], alloc: u16) -> Result<Vec<u8>, CommandError> {
    let mut attempt = 0;
    loop {
        let mut sense = [0u8; 18];
        let mut data = vec![0u8; usize::from(alloc)];
        let mut fetched = 0u32;
        // SAFETY: every buffer lives for the call and its length is passed with it; the sense
        // buffer is the 18 bytes the interface requires.
        let code = unsafe {
            (Interface::vtable(device).SendCommandGetDataFromDevice)(
                device.as_raw(),
                cdb.as_ptr(),
                cdb.len() as u32,
                sense.as_mut_ptr(),
                TIMEOUT_SECONDS,
                data.as_mut_ptr(),
                u32::from(alloc),
                &mut fetched,
            )
        };
        let code = Hresult::from_i32(code.0);
        if code.is_failure() {
            return Err(CommandError::Failed(code));
        }
        if code == S_IMAPI_COMMAND_HAS_SENSE_DATA {
            let Some(found) = parse_sense(&sense) else {
                return Err(CommandError::Failed(Hresult::E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE));
            };
            if found.is_unit_attention() && attempt == 0 {
                attempt += 1;
                continue;
            }
            return Err(CommandError::Sense(found));
        }
        data.truncate(usize::try_from(fetched).unwrap_or(usize::MAX).min(data.len()));
        return Ok(data);
    }
}

/// A command whose refusal (ILLEGAL REQUEST) means "not available for this disc".
fn optional(device: &IDiscRecorder2Ex, cdb: &[u8], alloc: u16) -> HrResult<Option<Vec<u8>>> {
    match command(device, cdb, alloc) {
        Ok(data) => Ok(Some(data)),
        Err(CommandError::Sense(s)) if s.is_illegal_request() => Ok(None),
        Err(e) => Err(e.hresult()),
    }
}

fn parsed<T>(r: Result<T, MmcParseError>) -> HrResult<T> {
    r.map_err(|e| e.hresult())
}

/// The disc in `recorder`'s tray, as the drive reports it.
pub(crate) fn read_back(recorder: &ComRecorder) -> HrResult<DiscReadBack> {
    enter_mta()?;
    let device: IDiscRecorder2Ex = call(|| recorder.recorder.cast())?;
    let send = |cdb: &[u8], alloc: u16| command(&device, cdb, alloc).map_err(|e| e.hresult());

    let header = send(&cdb::get_configuration_header(), cdb::CONFIGURATION_HEADER_BYTES)?;
    let current_profile = parsed(parse_configuration_header(&header))?.current_profile;
    if current_profile == 0 {
        return parsed(assemble_read_back(&DriveAnswers::default()));
    }
    let is_cd = media_type_of_profile(i32::from(current_profile)).is_some_and(|m| m.is_cd());
    let disc =
        parsed(parse_disc_information(&send(&cdb::read_disc_information(), cdb::DISC_INFORMATION_BYTES)?, is_cd))?;
    let atip = match is_cd {
        true => optional(&device, &cdb::read_toc(cdb::TOC_FORMAT_ATIP, cdb::ATIP_BYTES), cdb::ATIP_BYTES)?
            .map(|d| parsed(parse_atip(&d)))
            .transpose()?,
        false => None,
    };
    let toc = match disc.disc_status {
        DiscStatus::Empty => None,
        _ => optional(&device, &cdb::read_toc(cdb::TOC_FORMAT_TOC, cdb::TOC_BYTES), cdb::TOC_BYTES)?
            .map(|d| parsed(parse_toc(&d, false)))
            .transpose()?,
    };
    let mut tracks = Vec::new();
    for number in tracks_to_read(&disc) {
        let data = send(&cdb::read_track_information(u32::from(number)), cdb::TRACK_INFORMATION_BYTES)?;
        tracks.push(parsed(parse_track_information(&data))?);
    }
    parsed(assemble_read_back(&DriveAnswers { current_profile, disc: Some(disc), atip, toc, tracks }))
}
