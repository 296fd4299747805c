//! What the drive reports through GET CONFIGURATION and MODE SENSE: MMC profiles, feature
//! pages and mode pages, for the drive profile and the media in the tray.

use super::disc::Disc;
use crate::contract::PhysicalMediaType;
use crate::profile::{DiscState, DriveProfile};

/// Profile List.
const PROFILE_LIST: i32 = 0x0000;
/// Core.
const CORE: i32 = 0x0001;
/// Morphing (media-change notification).
const MORPHING: i32 = 0x0002;
/// Removable Medium.
const REMOVABLE_MEDIUM: i32 = 0x0003;
/// Random Readable.
const RANDOM_READABLE: i32 = 0x0010;
/// Multi-Read.
const MULTI_READ: i32 = 0x001D;
/// CD Read.
const CD_READ: i32 = 0x001E;
/// DVD Read.
const DVD_READ: i32 = 0x001F;
/// Incremental Streaming Writable.
const INCREMENTAL_STREAMING_WRITABLE: i32 = 0x0021;
/// DVD+R.
const DVD_PLUS_R: i32 = 0x002B;
/// CD Track at Once (spec section 7).
pub(crate) const CD_TRACK_AT_ONCE: i32 = 0x002D;
/// CD Mastering (session at once).
const CD_MASTERING: i32 = 0x002E;
/// DVD-R/-RW Write.
const DVD_DASH_R_WRITE: i32 = 0x002F;
/// Power Management.
const POWER_MANAGEMENT: i32 = 0x0100;
/// Timeout.
const TIMEOUT: i32 = 0x0105;
/// Real Time Streaming.
const REAL_TIME_STREAMING: i32 = 0x0107;
/// Drive Serial Number.
const DRIVE_SERIAL_NUMBER: i32 = 0x0108;

/// Features that do not depend on the media: always current.
const MEDIA_INDEPENDENT: [i32; 8] = [
    PROFILE_LIST,
    CORE,
    MORPHING,
    REMOVABLE_MEDIUM,
    POWER_MANAGEMENT,
    TIMEOUT,
    REAL_TIME_STREAMING,
    DRIVE_SERIAL_NUMBER,
];

/// Mode pages: read/write error recovery 0x01, write parameters 0x05 (writers), caching 0x08,
/// CD device parameters 0x0D, CD audio control 0x0E, power condition 0x1A, capabilities and
/// mechanical status 0x2A.
pub(crate) fn supported_mode_pages(drive: &DriveProfile) -> Vec<i32> {
    let mut pages = vec![0x01, 0x08, 0x0D, 0x0E, 0x1A, 0x2A];
    if !drive.writable_media().is_empty() {
        pages.push(0x05);
    }
    pages.sort_unstable();
    pages
}

/// MMC profiles of every media type the drive reads or writes.
pub(crate) fn supported_profiles(drive: &DriveProfile) -> Vec<i32> {
    let mut profiles: Vec<i32> =
        drive.readable_media.iter().chain(drive.writable_media().iter()).filter_map(|m| m.mmc_profile()).collect();
    profiles.sort_unstable();
    profiles.dedup();
    profiles
}

/// The profile of the media in reach, when the drive knows that media.
pub(crate) fn current_profiles(drive: &DriveProfile, disc: Option<&Disc>) -> Vec<i32> {
    let known = supported_profiles(drive);
    disc.filter(|d| !d.upside_down())
        .and_then(|d| d.media_type().mmc_profile())
        .filter(|p| known.contains(p))
        .into_iter()
        .collect()
}

/// Feature pages the drive has.
pub(crate) fn supported_feature_pages(drive: &DriveProfile) -> Vec<i32> {
    let reads = |m| drive.readable_media.contains(&m) || drive.writable_media().contains(&m);
    let writes = |m| drive.writable_media().contains(&m);
    let mut pages = MEDIA_INDEPENDENT.to_vec();
    pages.extend([RANDOM_READABLE, MULTI_READ, CD_READ]);
    if reads(PhysicalMediaType::DvdRom) || reads(PhysicalMediaType::DvdPlusR) || reads(PhysicalMediaType::DvdDashR) {
        pages.push(DVD_READ);
    }
    if writes(PhysicalMediaType::CdR) || writes(PhysicalMediaType::CdRw) {
        pages.extend([INCREMENTAL_STREAMING_WRITABLE, CD_MASTERING]);
        if drive.track_at_once {
            pages.push(CD_TRACK_AT_ONCE);
        }
    }
    if writes(PhysicalMediaType::DvdPlusR) {
        pages.push(DVD_PLUS_R);
    }
    if writes(PhysicalMediaType::DvdDashR) {
        pages.push(DVD_DASH_R_WRITE);
    }
    pages.sort_unstable();
    pages
}

/// Feature pages current for the media in reach: the media-independent ones always, reading
/// features for a readable disc, writing features for writable media that is not complete.
pub(crate) fn current_feature_pages(drive: &DriveProfile, disc: Option<&Disc>) -> Vec<i32> {
    let supported = supported_feature_pages(drive);
    let mut pages = MEDIA_INDEPENDENT.to_vec();
    if let Some(disc) = disc.filter(|d| !d.upside_down() && !current_profiles(drive, Some(d)).is_empty()) {
        let media = disc.media_type();
        let has_content = disc.status() != DiscState::Blank;
        let writable = drive.writable_media().contains(&media) && disc.status() != DiscState::Complete;
        if has_content {
            pages.push(RANDOM_READABLE);
        }
        if media.is_cd() {
            pages.extend([MULTI_READ, CD_READ]);
            if writable {
                pages.extend([INCREMENTAL_STREAMING_WRITABLE, CD_MASTERING, CD_TRACK_AT_ONCE]);
            }
        } else {
            pages.push(DVD_READ);
            if writable {
                pages.push(INCREMENTAL_STREAMING_WRITABLE);
                pages.push(if media == PhysicalMediaType::DvdPlusR { DVD_PLUS_R } else { DVD_DASH_R_WRITE });
            }
        }
    }
    pages.retain(|p| supported.contains(p));
    pages.sort_unstable();
    pages.dedup();
    pages
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::{drive_by_name, media_by_name, Calibration};
    use crate::sim::layout::Layout;

    fn disc(name: &str) -> Disc {
        Disc::new(&media_by_name(name).unwrap(), Layout::from_calibration(&Calibration::default()))
    }

    #[test]
    fn track_at_once_feature_only_on_tao_drives() {
        assert!(supported_feature_pages(&drive_by_name("default").unwrap()).contains(&CD_TRACK_AT_ONCE));
        assert!(!supported_feature_pages(&drive_by_name("no-tao").unwrap()).contains(&CD_TRACK_AT_ONCE));
        let no_tao = drive_by_name("no-tao").unwrap();
        assert!(!current_feature_pages(&no_tao, Some(&disc("cdr80"))).contains(&CD_TRACK_AT_ONCE));
    }

    #[test]
    fn profiles_follow_the_drive_and_the_media() {
        let d = drive_by_name("default").unwrap();
        assert_eq!(supported_profiles(&d), [0x08, 0x09, 0x0A]);
        assert_eq!(current_profiles(&d, Some(&disc("cdr80"))), [0x09]);
        assert_eq!(current_profiles(&d, Some(&disc("cdrw80"))), [0x0A]);
        assert_eq!(current_profiles(&d, None), Vec::<i32>::new());
        assert_eq!(current_profiles(&d, Some(&disc("dvdplusr"))), Vec::<i32>::new());
        let dvd = drive_by_name("dvd-writer").unwrap();
        assert_eq!(current_profiles(&dvd, Some(&disc("dvdplusr"))), [0x1B]);
    }

    #[test]
    fn writing_features_are_not_current_on_a_complete_disc() {
        let d = drive_by_name("default").unwrap();
        let blank = current_feature_pages(&d, Some(&disc("cdr80")));
        assert!(blank.contains(&CD_TRACK_AT_ONCE) && !blank.contains(&RANDOM_READABLE));
        let complete = current_feature_pages(&d, Some(&disc("cdr80-complete")));
        assert!(!complete.contains(&CD_TRACK_AT_ONCE) && complete.contains(&CD_READ));
        assert_eq!(current_feature_pages(&d, None), MEDIA_INDEPENDENT.to_vec());
    }
}
