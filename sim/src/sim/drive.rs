//! The shared device behind every recorder object of one backend: identity, speeds, exclusive
//! access, the tray, the disc and the virtual clock.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

use super::clock::VirtualClock;
use super::disc::Disc;
use super::fault::DeviceFaults;
use super::layout::Layout;
use super::sync::lock;
use crate::contract::{PhysicalMediaType, DEVICE_NOT_CONNECTED};
use crate::hresult::{HrResult, Hresult};
use crate::profile::{DriveProfile, MediaProfile};
use crate::sink::SectorSink;

/// Identifies one client of the device's exclusive access: every recorder object is a distinct
/// client (spec 8); a format object has none of its own and locks through its recorder object.
pub(crate) type ClientId = u64;

/// A fresh client token (not observable; only compared).
pub(crate) fn new_client_id() -> ClientId {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// The exclusive-access caller-name rules (spec 2, put_ClientName): 1 to 63 characters from
/// A-Z a-z 0-9 space . , : ; - _.
pub(crate) fn client_name_is_valid(name: &str) -> bool {
    (1..=63).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b' ' | b'.' | b',' | b':' | b';' | b'-' | b'_'))
}

/// Counted exclusive access held by one client.
#[derive(Debug)]
pub(crate) struct ExclusiveAccess {
    holder: ClientId,
    name: String,
    count: u32,
}

/// The mutable part of the device.
#[derive(Debug)]
pub(crate) struct DriveState {
    /// The disc in the tray (also while the tray is open).
    pub disc: Option<Disc>,
    /// The tray is open: the disc is out of reach.
    pub tray_open: bool,
    /// A PrepareMedia prevents medium removal; ReleaseMedia (or a prepared object dropped)
    /// allows it again. A second PrepareMedia leaves the first one's tray lock in place (spec 2).
    pub tray_locked: bool,
    exclusive: Option<ExclusiveAccess>,
    /// The write speed last requested (sectors/s, -1 fastest); the effective speed follows the
    /// media.
    pub speed_setting: i32,
    /// A power-loss fault struck: the drive writes nothing more.
    pub power_lost: bool,
}

impl DriveState {
    /// The disc when the drive can reach it (a closed tray with a disc in it), else
    /// E_IMAPI_RECORDER_MEDIA_NO_MEDIA.
    pub(crate) fn disc(&self) -> HrResult<&Disc> {
        match &self.disc {
            Some(disc) if !self.tray_open => Ok(disc),
            _ => Err(Hresult::E_IMAPI_RECORDER_MEDIA_NO_MEDIA),
        }
    }

    /// As [`DriveState::disc`], mutable; after a power loss nothing can be written
    /// ([`DEVICE_NOT_CONNECTED`]).
    pub(crate) fn disc_mut(&mut self) -> HrResult<&mut Disc> {
        if self.power_lost {
            return Err(DEVICE_NOT_CONNECTED);
        }
        match &mut self.disc {
            Some(disc) if !self.tray_open => Ok(disc),
            _ => Err(Hresult::E_IMAPI_RECORDER_MEDIA_NO_MEDIA),
        }
    }

    /// The disc, also failing with E_IMAPI_RECORDER_MEDIA_UPSIDE_DOWN when the drive cannot
    /// read it.
    pub(crate) fn readable_disc(&self) -> HrResult<&Disc> {
        let disc = self.disc()?;
        if disc.upside_down() {
            return Err(Hresult::E_IMAPI_RECORDER_MEDIA_UPSIDE_DOWN);
        }
        Ok(disc)
    }

    /// The media type in reach, if any.
    pub(crate) fn media_type(&self) -> Option<PhysicalMediaType> {
        self.disc().ok().map(Disc::media_type)
    }

    /// The counts `client` holds (0 when it holds none).
    #[cfg(test)]
    pub(crate) fn lock_count(&self, client: ClientId) -> u32 {
        self.exclusive.as_ref().filter(|e| e.holder == client).map_or(0, |e| e.count)
    }

    /// The holder's client name, empty when free.
    pub(crate) fn exclusive_owner(&self) -> String {
        self.exclusive.as_ref().map(|e| e.name.clone()).unwrap_or_default()
    }

    /// Counted acquire (spec 8): the holding recorder object adds one (the name is not compared);
    /// another recorder object gets E_IMAPI_RECORDER_LOCKED (the drive reports itself locked).
    /// `force` does not override another client's lock: in IMAPI2 it concerns dismounting the
    /// file-system volume.
    pub(crate) fn acquire(&mut self, client: ClientId, name: &str) -> HrResult<()> {
        match &mut self.exclusive {
            Some(e) if e.holder != client => Err(Hresult::E_IMAPI_RECORDER_LOCKED),
            Some(e) => {
                e.count = e.count.saturating_add(1);
                Ok(())
            }
            None => {
                self.exclusive = Some(ExclusiveAccess { holder: client, name: name.to_string(), count: 1 });
                Ok(())
            }
        }
    }

    /// Counted release (spec 8): the holder removes one, free at zero. A recorder object that
    /// holds no count (the drive free, or locked by another object) gets the driver's error,
    /// E_INVALIDARG, and nothing changes.
    pub(crate) fn release(&mut self, client: ClientId) -> HrResult<()> {
        match &mut self.exclusive {
            Some(e) if e.holder == client => {
                e.count -= 1;
                if e.count == 0 {
                    self.exclusive = None;
                }
                Ok(())
            }
            Some(_) | None => Err(Hresult::E_INVALIDARG),
        }
    }

    /// The power fails: the drive forgets every client's exclusive access and the tray lock,
    /// and writes nothing more.
    pub(crate) fn lose_power(&mut self) {
        self.power_lost = true;
        self.exclusive = None;
        self.tray_locked = false;
    }

    /// Drops every count `client` holds: the recorder object went away, and the driver drops
    /// its lock with the handle (spec 8). The tray lock stays (spec 2, PrepareMedia).
    pub(crate) fn release_all(&mut self, client: ClientId) {
        if self.exclusive.as_ref().is_some_and(|e| e.holder == client) {
            self.exclusive = None;
        }
    }
}

/// One simulated drive.
pub(crate) struct Drive {
    profile: DriveProfile,
    unique_id: String,
    layout: Layout,
    state: Mutex<DriveState>,
    clock: VirtualClock,
    sector_sink: Mutex<Option<Box<dyn SectorSink>>>,
    faults: DeviceFaults,
}

impl std::fmt::Debug for Drive {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Drive").field("unique_id", &self.unique_id).field("state", &*self.state()).finish()
    }
}

impl Drive {
    /// A drive with `media` in its closed tray (`None`: empty).
    pub(crate) fn new(profile: DriveProfile, media: Option<&MediaProfile>) -> Drive {
        let layout = Layout::from_calibration(&profile.calibration);
        Drive {
            unique_id: profile.unique_id(),
            layout,
            state: Mutex::new(DriveState {
                disc: media.map(|m| Disc::new(m, layout)),
                tray_open: false,
                tray_locked: false,
                exclusive: None,
                speed_setting: -1,
                power_lost: false,
            }),
            clock: VirtualClock::default(),
            sector_sink: Mutex::new(None),
            faults: DeviceFaults::default(),
            profile,
        }
    }

    /// The drive profile.
    pub(crate) fn profile(&self) -> &DriveProfile {
        &self.profile
    }

    /// The unique id IDiscMaster2 lists.
    pub(crate) fn unique_id(&self) -> &str {
        &self.unique_id
    }

    /// Locks the device state (never held across an Update call).
    pub(crate) fn state(&self) -> MutexGuard<'_, DriveState> {
        lock(&self.state)
    }

    /// The virtual clock.
    pub(crate) fn clock(&self) -> &VirtualClock {
        &self.clock
    }

    /// The optional observer of written sectors.
    pub(crate) fn sector_sink(&self) -> &Mutex<Option<Box<dyn SectorSink>>> {
        &self.sector_sink
    }

    /// The device faults armed on this drive.
    pub(crate) fn faults(&self) -> &DeviceFaults {
        &self.faults
    }

    /// The disc `media` describes, laid out as this drive writes.
    pub(crate) fn new_disc(&self, media: &MediaProfile) -> Disc {
        Disc::new(media, self.layout)
    }

    /// Puts `disc` in the tray (or empties it) and closes the tray, unless a prepared session
    /// locks the tray (E_IMAPI_RECORDER_MEDIA_BUSY). One lock: no session can be prepared
    /// between the check and the swap.
    pub(crate) fn swap_disc(&self, disc: Option<Disc>) -> HrResult<()> {
        let mut s = self.state();
        if s.tray_locked {
            return Err(Hresult::E_IMAPI_RECORDER_MEDIA_BUSY);
        }
        s.disc = disc;
        s.tray_open = false;
        Ok(())
    }

    /// True when the drive can write this media type at all.
    pub(crate) fn can_write(&self, media: PhysicalMediaType) -> bool {
        !self.profile.write_speeds.for_media(media).is_empty()
    }

    /// The media type whose speeds apply: the media in reach when the drive writes it, else CD-R.
    pub(crate) fn speed_media(&self, media: Option<PhysicalMediaType>) -> PhysicalMediaType {
        media.filter(|m| self.can_write(*m)).unwrap_or(PhysicalMediaType::CdR)
    }

    /// Supported write speeds in sectors per second, ascending.
    pub(crate) fn write_speeds(&self, media: Option<PhysicalMediaType>) -> Vec<i32> {
        let per_second = crate::msf::SECTORS_PER_SECOND;
        self.profile
            .write_speeds
            .for_media(self.speed_media(media))
            .into_iter()
            .map(|x| i32::try_from(x.saturating_mul(per_second)).unwrap_or(i32::MAX))
            .collect()
    }

    /// The speed the drive actually uses for `setting` (sectors/s, -1 fastest): the closest
    /// supported speed, the slower one on a tie; 0 when the drive has no speed for the media.
    pub(crate) fn effective_speed(&self, setting: i32, media: Option<PhysicalMediaType>) -> i32 {
        let speeds = self.write_speeds(media);
        if setting < 0 {
            return speeds.last().copied().unwrap_or(0);
        }
        speeds.iter().copied().min_by_key(|s| (i64::from(*s) - i64::from(setting)).abs()).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::drive_by_name;

    #[test]
    fn client_names_follow_the_caller_name_rules() {
        for ok in ["Imapi2Sample", "a", "My App 1.0, build: 7; x-y_z", &"x".repeat(63)] {
            assert!(client_name_is_valid(ok), "{ok}");
        }
        for bad in ["", &"x".repeat(64), "name!", "tab\there", "ünïcode", "a/b"] {
            assert!(!client_name_is_valid(bad), "{bad}");
        }
    }

    #[test]
    fn exclusive_access_is_counted_per_client() {
        let d = Drive::new(drive_by_name("default").unwrap(), None);
        let mut s = d.state();
        s.acquire(1, "one").unwrap();
        s.acquire(1, "one").unwrap();
        assert_eq!(s.acquire(2, "two"), Err(Hresult::E_IMAPI_RECORDER_LOCKED));
        assert_eq!(s.release(2), Err(Hresult::E_INVALIDARG));
        assert_eq!(s.lock_count(1), 2);
        s.release(1).unwrap();
        assert_eq!(s.exclusive_owner(), "one");
        s.release(1).unwrap();
        assert_eq!(s.exclusive_owner(), "");
        assert_eq!(s.release(1), Err(Hresult::E_INVALIDARG));
        s.acquire(2, "two").unwrap();
    }

    #[test]
    fn speeds_pick_the_closest_and_the_slower_on_a_tie() {
        let d = Drive::new(drive_by_name("default").unwrap(), None);
        let cdr = Some(PhysicalMediaType::CdR);
        assert_eq!(d.effective_speed(-1, cdr), 48 * 75);
        assert_eq!(d.effective_speed(0, cdr), 4 * 75);
        assert_eq!(d.effective_speed(10 * 75, cdr), 8 * 75);
        assert_eq!(d.effective_speed(20 * 75, cdr), 16 * 75);
        assert_eq!(d.effective_speed(24 * 75, Some(PhysicalMediaType::CdRw)), 24 * 75);
        assert_eq!(d.effective_speed(-1, Some(PhysicalMediaType::CdRw)), 24 * 75);
        assert_eq!(d.effective_speed(-1, Some(PhysicalMediaType::DvdPlusR)), 48 * 75);
    }
}
