//! The built-in drive and media profiles.
//!
//! Media rows are the measured ATIP values of spec section 5; `cdr80` (CMC Pro / Taiyo Yuden,
//! LPL 359,847) is the default disc. `none` is the empty tray.

use super::calibration::Calibration;
use super::drive::{DriveProfile, TaoDetection, WriteSpeeds};
use super::media::{DiscState, MediaProfile};
use crate::types::PhysicalMediaType;

/// The name of the empty tray in scenarios and on the command line.
pub const EMPTY_TRAY: &str = "none";
/// The default drive profile's name.
pub const DEFAULT_DRIVE: &str = "default";
/// The default media profile's name.
pub const DEFAULT_MEDIA: &str = "cdr80";

fn cd(name: &str, description: &str, manufacturer: &str, lead_in: &str, lead_out: &str) -> MediaProfile {
    MediaProfile {
        name: name.into(),
        description: description.into(),
        media_type: PhysicalMediaType::CdR,
        manufacturer: manufacturer.into(),
        lead_in: Some(lead_in.parse().expect("built-in MSF")),
        lead_out: Some(lead_out.parse().expect("built-in MSF")),
        capacity_sectors: None,
        state: DiscState::Blank,
        tracks: Vec::new(),
        upside_down: false,
        write_protected: false,
    }
}

fn variant(base: MediaProfile, name: &str, description: &str, edit: impl FnOnce(&mut MediaProfile)) -> MediaProfile {
    let mut m = base;
    m.name = name.into();
    m.description = description.into();
    edit(&mut m);
    m
}

fn non_cd(name: &str, description: &str, media_type: PhysicalMediaType, capacity: u32) -> MediaProfile {
    MediaProfile {
        name: name.into(),
        description: description.into(),
        media_type,
        manufacturer: String::new(),
        lead_in: None,
        lead_out: None,
        capacity_sectors: Some(capacity),
        state: DiscState::Blank,
        tracks: Vec::new(),
        upside_down: false,
        write_protected: false,
    }
}

/// Every built-in media profile (the empty tray, `none`, is not a profile).
pub fn builtin_media() -> Vec<MediaProfile> {
    let cdr80 = cd("cdr80", "CMC Pro (Taiyo Yuden) 80 min CD-R, blank", "Taiyo Yuden", "97:24:01", "79:59:72");
    let cdrw80 = variant(
        cd("cdrw80", "", "Ricoh", "97:46:00", "79:59:74"),
        "cdrw80",
        "80 min CD-RW, blank (lead-in code in the CD-RW range 97:45..97:51)",
        |m| m.media_type = PhysicalMediaType::CdRw,
    );
    vec![
        cdr80.clone(),
        cd("cdr80-maxell", "Maxell 80 min CD-R (Ritek dye), blank", "Ritek", "97:15:17", "79:59:70"),
        cd(
            "cdr80-verbatim-dlp",
            "Verbatim DataLifePlus 80 min CD-R (Mitsubishi Chemical), blank",
            "Mitsubishi Chemical",
            "97:34:23",
            "79:59:73",
        ),
        cd("cdr80-verbatim-ulp", "Verbatim UltraLifePlus 80 min CD-R (TDK), blank", "TDK", "97:15:05", "79:59:74"),
        cd("cdr74", "That's CDR-74ZY 74 min CD-R (Taiyo Yuden), blank", "Taiyo Yuden", "97:24:01", "74:43:00"),
        cd("cdr74-tdk", "TDK Data CD-R 74 min (Ritek), blank", "Ritek", "97:31:01", "74:45:00"),
        cd(
            "cdr74-verbatim",
            "Verbatim DataLifePlus 74 min CD-R (Mitsubishi Chemical), blank",
            "Mitsubishi Chemical",
            "97:34:20",
            "74:30:00",
        ),
        cd(
            "cdr71-psx",
            "PlayStation master disc 71 min CD-R (Taiyo Yuden), blank",
            "Taiyo Yuden",
            "97:24:01",
            "71:05:00",
        ),
        cd("cdr21-8cm", "TDK 80 mm \"music\" CD-R (21 min), blank", "TDK", "97:32:00", "21:30:00"),
        cdrw80.clone(),
        variant(cdrw80, "cdrw80-used", "80 min CD-RW holding a finalized audio session (erase it first)", |m| {
            m.state = DiscState::Complete;
            m.tracks = vec![22_500, 18_000];
        }),
        variant(cdr80.clone(), "cdr80-appendable", "cdr80 with two tracks in an open session (appendable)", |m| {
            m.state = DiscState::Appendable;
            m.tracks = vec![22_500, 18_000];
        }),
        variant(cdr80.clone(), "cdr80-complete", "cdr80 with three tracks, finalized (complete)", |m| {
            m.state = DiscState::Complete;
            m.tracks = vec![22_500, 18_000, 15_000];
        }),
        variant(cdr80.clone(), "cdr80-upside-down", "cdr80 inserted label side down", |m| m.upside_down = true),
        variant(cdr80, "cdr80-write-protected", "cdr80 reported write-protected by the drive", |m| {
            m.write_protected = true
        }),
        variant(
            non_cd("cdrom", "", PhysicalMediaType::CdRom, 333_000),
            "cdrom",
            "pressed audio CD-ROM, complete",
            |m| {
                m.state = DiscState::Complete;
                m.tracks = vec![20_000, 20_000];
            },
        ),
        non_cd("dvdplusr", "blank 4.7 GB DVD+R", PhysicalMediaType::DvdPlusR, 2_295_104),
        non_cd("dvddashr", "blank 4.7 GB DVD-R", PhysicalMediaType::DvdDashR, 2_298_496),
    ]
}

/// Every built-in drive profile.
pub fn builtin_drives() -> Vec<DriveProfile> {
    let default = DriveProfile {
        name: DEFAULT_DRIVE.into(),
        description: "generic CD-RW recorder: TAO, buffer-underrun-free, CD-R 4x..48x, CD-RW 4x..24x".into(),
        vendor: "CDRSIM".into(),
        product: "Virtual CD-RW".into(),
        revision: "1.00".into(),
        volume_path_names: vec!["E:\\".into()],
        legacy_device_number: 0,
        can_load_media: true,
        write_speeds: WriteSpeeds::ByMedia(
            [("CD-R".to_string(), vec![4, 8, 16, 24, 32, 40, 48]), ("CD-RW".to_string(), vec![4, 10, 16, 24])]
                .into_iter()
                .collect(),
        ),
        readable_media: vec![PhysicalMediaType::CdRom, PhysicalMediaType::CdR, PhysicalMediaType::CdRw],
        track_at_once: true,
        buffer_underrun_free: true,
        buffer_bytes: 2 * 1024 * 1024,
        update_interval_ms: 500,
        tao_detection: TaoDetection::Feature,
        calibration: Calibration::default(),
    };
    let plextor = DriveProfile {
        name: "plextor-premium".into(),
        description: "PLEXTOR CD-R PREMIUM: CD-R 4x..52x, CD-RW 4x..32x, 8 MiB buffer".into(),
        vendor: "PLEXTOR".into(),
        product: "CD-R   PREMIUM".into(),
        revision: "1.07".into(),
        write_speeds: WriteSpeeds::ByMedia(
            [("CD-R".to_string(), vec![4, 8, 16, 24, 32, 40, 48, 52]), ("CD-RW".to_string(), vec![4, 10, 16, 24, 32])]
                .into_iter()
                .collect(),
        ),
        buffer_bytes: 8 * 1024 * 1024,
        ..default.clone()
    };
    let dvd = DriveProfile {
        name: "dvd-writer".into(),
        description: "DVD writer: CD-R 48x, CD-RW 24x, DVD+R and DVD-R 16x".into(),
        vendor: "HL-DT-ST".into(),
        product: "DVDRAM GH24NSD1".into(),
        revision: "LG00".into(),
        write_speeds: WriteSpeeds::ByMedia(
            [
                ("CD-R".to_string(), vec![10, 16, 24, 32, 40, 48]),
                ("CD-RW".to_string(), vec![4, 10, 16, 24]),
                ("DVD+R".to_string(), vec![4, 8, 16]),
                ("DVD-R".to_string(), vec![4, 8, 16]),
            ]
            .into_iter()
            .collect(),
        ),
        readable_media: vec![
            PhysicalMediaType::CdRom,
            PhysicalMediaType::CdR,
            PhysicalMediaType::CdRw,
            PhysicalMediaType::DvdRom,
            PhysicalMediaType::DvdPlusR,
            PhysicalMediaType::DvdDashR,
        ],
        ..default.clone()
    };
    let no_tao = DriveProfile {
        name: "no-tao".into(),
        description: "recorder without the CD track-at-once feature (disc-at-once only)".into(),
        vendor: "CDRSIM".into(),
        product: "DAO-only CD-R".into(),
        revision: "0.9".into(),
        track_at_once: false,
        ..default.clone()
    };
    let slow = DriveProfile {
        name: "slow-no-burnproof".into(),
        description: "old 4x CD-R recorder without buffer-underrun protection, 512 KiB buffer".into(),
        vendor: "YAMAHA".into(),
        product: "CRW4416S".into(),
        revision: "1.0j".into(),
        write_speeds: WriteSpeeds::ByMedia(
            [("CD-R".to_string(), vec![1, 2, 4]), ("CD-RW".to_string(), vec![2, 4])].into_iter().collect(),
        ),
        buffer_underrun_free: false,
        buffer_bytes: 512 * 1024,
        legacy_device_number: 1,
        volume_path_names: vec!["F:\\".into()],
        ..default.clone()
    };
    let mode_page = DriveProfile {
        name: "mode-page-only".into(),
        description: "CD-R recorder without feature 0x002D whose mode page 2A has the CD write bits (supported)".into(),
        vendor: "CDRSIM".into(),
        product: "Mode page 2A CDR".into(),
        revision: "0.8".into(),
        track_at_once: false,
        tao_detection: TaoDetection::ModePage,
        ..default.clone()
    };
    let no_config = DriveProfile {
        name: "no-get-configuration".into(),
        description: "old CD-R recorder without GET CONFIGURATION (IsRecorderSupported: FALSE)".into(),
        vendor: "CDRSIM".into(),
        product: "Pre-MMC2 CD-R".into(),
        revision: "0.5".into(),
        tao_detection: TaoDetection::NoGetConfiguration,
        ..default.clone()
    };
    vec![default, plextor, dvd, no_tao, slow, mode_page, no_config]
}

/// A built-in media profile by name (`none` is not one: see [`EMPTY_TRAY`]).
pub fn media_by_name(name: &str) -> Option<MediaProfile> {
    builtin_media().into_iter().find(|m| m.name == name)
}

/// A built-in drive profile by name.
pub fn drive_by_name(name: &str) -> Option<DriveProfile> {
    builtin_drives().into_iter().find(|d| d.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_disc_is_the_cmc_pro_80() {
        let m = media_by_name(DEFAULT_MEDIA).unwrap();
        assert_eq!(m.last_possible_lead_out(), 359_847);
        assert_eq!(m.lead_in.unwrap().to_string(), "97:24:01");
    }

    #[test]
    fn every_builtin_is_valid_and_uniquely_named() {
        let media = builtin_media();
        for m in &media {
            m.validate().unwrap();
            assert_eq!(media.iter().filter(|o| o.name == m.name).count(), 1);
            assert_ne!(m.name, EMPTY_TRAY);
        }
        let drives = builtin_drives();
        for d in &drives {
            assert_eq!(drives.iter().filter(|o| o.name == d.name).count(), 1);
        }
    }

    #[test]
    fn every_builtin_drive_identity_fits_inquiry() {
        // INQUIRY's standard data holds 8 bytes of vendor, 16 of product and 4 of revision
        // (printable ASCII): a longer field would read back cut.
        for d in builtin_drives() {
            for (field, value, room) in
                [("vendor", &d.vendor, 8), ("product", &d.product, 16), ("revision", &d.revision, 4)]
            {
                assert!(
                    value.is_ascii() && value.len() <= room,
                    "drive `{}`: {field} {value:?} is {} bytes, INQUIRY holds {room}",
                    d.name,
                    value.len()
                );
            }
        }
    }

    #[test]
    fn profiles_round_trip_through_toml() {
        for d in builtin_drives() {
            let text = toml::to_string(&d).unwrap();
            assert_eq!(toml::from_str::<DriveProfile>(&text).unwrap(), d);
        }
        for m in builtin_media() {
            let text = toml::to_string(&m).unwrap();
            assert_eq!(toml::from_str::<MediaProfile>(&text).unwrap(), m);
        }
    }
}
