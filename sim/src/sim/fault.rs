//! Device faults armed on the simulated drive (`SimulatedDevice::arm_device_fault`).
//!
//! The write loop asks for the fault of its track once, when the track begins
//! ([`DeviceFaults::take_for_track`]: one atomic load when nothing is armed), and then checks
//! the sector at the same place it checks CancelAddTrack. What each fault does to the write and
//! the disc is documented on [`DeviceFaultKind`]; `session.rs` applies it to the disc and the
//! drive.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use super::sync::lock;
use crate::contract::{DeviceFault, DeviceFaultKind, DeviceFaultOutcome, FiredDeviceFault};

/// Virtual milliseconds a drive with buffer-underrun protection needs to re-link after the data
/// returns (on top of the stall itself).
pub(crate) const RELINK_MS: u64 = 40;

/// The armed faults of one drive, and those that struck.
#[derive(Debug, Default)]
pub(crate) struct DeviceFaults {
    /// Number of armed faults: the write loop's fast path reads only this.
    armed_count: AtomicUsize,
    armed: Mutex<Vec<DeviceFault>>,
    fired: Mutex<Vec<FiredDeviceFault>>,
}

impl DeviceFaults {
    /// Arms a fault.
    pub(crate) fn arm(&self, fault: DeviceFault) {
        let mut armed = lock(&self.armed);
        armed.push(fault);
        self.armed_count.store(armed.len(), Ordering::Release);
    }

    /// Removes and returns the first fault armed for track `number` (a write meets at most one).
    pub(crate) fn take_for_track(&self, number: u32) -> Option<DeviceFault> {
        if self.armed_count.load(Ordering::Acquire) == 0 {
            return None;
        }
        let mut armed = lock(&self.armed);
        let i = armed.iter().position(|f| f.track == number)?;
        let fault = armed.remove(i);
        self.armed_count.store(armed.len(), Ordering::Release);
        Some(fault)
    }

    /// Puts back a fault the write never reached (the track ended before its sector).
    pub(crate) fn rearm(&self, fault: DeviceFault) {
        let mut armed = lock(&self.armed);
        armed.insert(0, fault);
        self.armed_count.store(armed.len(), Ordering::Release);
    }

    /// Records what a fault did.
    pub(crate) fn record(&self, fault: DeviceFault, outcome: DeviceFaultOutcome) {
        lock(&self.fired).push(FiredDeviceFault { fault, outcome });
    }

    /// Faults that struck, oldest first.
    pub(crate) fn fired(&self) -> Vec<FiredDeviceFault> {
        lock(&self.fired).clone()
    }
}

/// How the write loop meets a fault at its sector.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Strike {
    /// Protection caught an underrun: hold the write up this long and go on.
    Stall(u64),
    /// The write stops here.
    Cut(DeviceFaultKind),
}

/// What `fault` does to a write with buffer-underrun protection `protected`.
pub(crate) fn strike(fault: &DeviceFault, protected: bool) -> Strike {
    match fault.kind {
        DeviceFaultKind::Underrun { stall_ms } if protected => Strike::Stall(stall_ms.saturating_add(RELINK_MS)),
        kind => Strike::Cut(kind),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fault(track: u32, sector: u64) -> DeviceFault {
        DeviceFault { track, sector, kind: DeviceFaultKind::PowerLoss }
    }

    #[test]
    fn a_fault_is_taken_once_by_the_first_write_of_its_track() {
        let f = DeviceFaults::default();
        assert_eq!(f.take_for_track(1), None);
        f.arm(fault(2, 10));
        f.arm(fault(1, 5));
        f.arm(fault(1, 7));
        assert_eq!(f.take_for_track(1), Some(fault(1, 5)));
        assert_eq!(f.take_for_track(1), Some(fault(1, 7)));
        assert_eq!(f.take_for_track(1), None);
        f.rearm(fault(1, 7));
        assert_eq!(f.take_for_track(1), Some(fault(1, 7)));
        assert_eq!(f.take_for_track(2), Some(fault(2, 10)));
        assert_eq!(f.armed_count.load(Ordering::Acquire), 0);
    }

    #[test]
    fn protection_turns_an_underrun_into_a_stall_and_nothing_else() {
        let underrun = DeviceFault { track: 1, sector: 0, kind: DeviceFaultKind::Underrun { stall_ms: 500 } };
        assert_eq!(strike(&underrun, true), Strike::Stall(500 + RELINK_MS));
        assert_eq!(strike(&underrun, false), Strike::Cut(underrun.kind));
        assert_eq!(strike(&fault(1, 0), true), Strike::Cut(DeviceFaultKind::PowerLoss));
    }
}
