//! The loopback: this backend driving the project's own COM server (`cdr-comserver`) instead of
//! IMAPI2, so that one run proves the backend's COM plumbing and the server at once.
//!
//! IMAPI2 has no way to choose the disc in a tray or to read what was written, which a
//! conformance run needs (each scenario's drive and disc, `insert` steps, saved discs, device
//! faults, track digests). The COM server answers those through one extra interface on its
//! `MsftDiscMaster2` objects, `ICdrLoopback` ([`IID_LOOPBACK`]), whose single method takes a
//! [`Request`] as JSON and gives back a [`Reply`] as JSON (or a failure HRESULT). Real IMAPI2
//! does not have the interface, so the backend knows which one it talks to: with IMAPI2 those
//! extras stay what they are on real hardware (an operator changes discs; no digests).
//!
//! Everything IMAPI2 itself defines (every member of the recorder and format objects, the
//! Update events, the `IStream` AddAudioTrack reads) goes through the ordinary interfaces.
//!
//! ```
//! use cdr_imapi2::loopback::Request;
//! let text = serde_json::to_string(&Request::ReadBack).unwrap();
//! assert_eq!(serde_json::from_str::<Request>(&text).unwrap(), Request::ReadBack);
//! ```

use cdr_sim::{DeviceFault, DiscReadBack, DiscSnapshot, DriveProfile, FiredDeviceFault, MediaProfile};

/// The IID of `ICdrLoopback` {5F3C2A8E-7B41-4D2E-9C6A-1E8F4B2D7A90}.
pub const IID_LOOPBACK: u128 = 0x5F3C2A8E_7B41_4D2E_9C6A_1E8F4B2D7A90;

/// What the backend asks of the simulator behind the COM server.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Request {
    /// A fresh simulated drive with this disc (`None`: empty tray), as a scenario starts with.
    /// Objects created before keep the drive they had.
    Configure {
        /// The drive.
        drive: Box<DriveProfile>,
        /// The disc in the tray.
        media: Option<MediaProfile>,
    },
    /// [`Backend::change_media`](cdr_sim::Backend::change_media) on the drive.
    ChangeMedia {
        /// The new disc (`None`: empty tray).
        media: Option<MediaProfile>,
    },
    /// [`Backend::read_back`](cdr_sim::Backend::read_back) of the drive.
    ReadBack,
    /// [`SimulatedDevice::export_disc`](cdr_sim::SimulatedDevice::export_disc).
    ExportDisc,
    /// [`SimulatedDevice::insert_disc`](cdr_sim::SimulatedDevice::insert_disc).
    InsertDisc {
        /// The disc.
        disc: DiscSnapshot,
    },
    /// [`SimulatedDevice::arm_device_fault`](cdr_sim::SimulatedDevice::arm_device_fault).
    ArmDeviceFault {
        /// The fault.
        fault: DeviceFault,
    },
    /// [`SimulatedDevice::fired_device_faults`](cdr_sim::SimulatedDevice::fired_device_faults).
    FiredDeviceFaults,
}

/// The answer to a [`Request`] that succeeded.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reply {
    /// Done, nothing to give back.
    Done,
    /// The disc as the drive reports it.
    ReadBack(DiscReadBack),
    /// The disc as data (`None`: no disc).
    Disc(Option<DiscSnapshot>),
    /// The device faults that struck, oldest first.
    Fired(Vec<FiredDeviceFault>),
}

#[cfg(test)]
mod tests {
    use super::*;
    use cdr_sim::profile::{drive_by_name, media_by_name};

    #[test]
    fn requests_and_replies_survive_json() {
        let drive = drive_by_name("default").unwrap();
        let requests = [
            Request::Configure { drive: Box::new(drive), media: media_by_name("cdr80") },
            Request::ChangeMedia { media: None },
            Request::ReadBack,
            Request::FiredDeviceFaults,
        ];
        for r in requests {
            let text = serde_json::to_string(&r).unwrap();
            assert_eq!(serde_json::from_str::<Request>(&text).unwrap(), r, "{text}");
        }
        let reply = Reply::ReadBack(DiscReadBack { media: None });
        let text = serde_json::to_string(&reply).unwrap();
        assert_eq!(serde_json::from_str::<Reply>(&text).unwrap(), reply);
        assert!(serde_json::from_str::<Request>(r#"{"op":"burn_it_all"}"#).is_err());
    }
}
