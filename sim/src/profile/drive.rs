//! Drive profiles: a recorder's identity, abilities and calibration.

use std::collections::BTreeMap;

use super::calibration::Calibration;
use crate::types::PhysicalMediaType;

/// A simulated recorder. Loaded from a built-in name, a TOML file, or a scenario's inline keys.
#[derive(Clone, PartialEq, Eq, Debug, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DriveProfile {
    /// Profile name (`default`, `plextor-premium`, ... or a file's stem).
    pub name: String,
    /// One line for `cdr-harness profiles` and transcripts.
    #[serde(default)]
    pub description: String,
    /// INQUIRY vendor (IDiscRecorder2::VendorId).
    pub vendor: String,
    /// INQUIRY product (IDiscRecorder2::ProductId).
    pub product: String,
    /// Firmware revision (IDiscRecorder2::ProductRevision).
    pub revision: String,
    /// Drive letter and mount points (VolumePathNames).
    #[serde(default = "default_volume_paths")]
    pub volume_path_names: Vec<String>,
    /// Legacy device number.
    #[serde(default)]
    pub legacy_device_number: i32,
    /// The tray closes under software control (DeviceCanLoadMedia).
    #[serde(default = "yes")]
    pub can_load_media: bool,
    /// Write speeds in x (1x = 75 sectors/s) per media type the drive can write. A plain list
    /// applies to CD-R and CD-RW.
    pub write_speeds: WriteSpeeds,
    /// Media types the drive can read (it reports them as supported profiles).
    #[serde(default = "default_readable")]
    pub readable_media: Vec<PhysicalMediaType>,
    /// The drive has the CD track-at-once feature (MMC 0x002D).
    #[serde(default = "yes")]
    pub track_at_once: bool,
    /// How IMAPI2 finds out whether the drive writes track-at-once (spec 2, IsRecorderSupported):
    /// `feature` (GET CONFIGURATION lists 0x002D when `track_at_once`), `mode_page` (no
    /// 0x002D; mode page 2A's CD-R / CD-RW write bits answer), or `no_get_configuration` (an
    /// old drive without GET CONFIGURATION: never supported). Default `feature`.
    #[serde(default)]
    pub tao_detection: TaoDetection,
    /// The drive has buffer-underrun protection.
    #[serde(default = "yes")]
    pub buffer_underrun_free: bool,
    /// Size of the write buffer in bytes (reported as TotalSystemBuffer).
    #[serde(default = "default_buffer")]
    pub buffer_bytes: u32,
    /// Virtual milliseconds between two WRITING events (spec 3: 500).
    #[serde(default = "default_update_interval")]
    pub update_interval_ms: u32,
    /// Every \[choice\] of the spec.
    #[serde(default)]
    pub calibration: Calibration,
}

fn yes() -> bool {
    true
}
fn default_volume_paths() -> Vec<String> {
    vec!["E:\\".into()]
}
fn default_readable() -> Vec<PhysicalMediaType> {
    vec![PhysicalMediaType::CdRom, PhysicalMediaType::CdR, PhysicalMediaType::CdRw]
}
fn default_buffer() -> u32 {
    2 * 1024 * 1024
}
fn default_update_interval() -> u32 {
    500
}

/// What the drive offers IMAPI2's track-at-once support check.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaoDetection {
    /// GET CONFIGURATION with feature 0x002D (present when `track_at_once`).
    #[default]
    Feature,
    /// GET CONFIGURATION without feature 0x002D; mode page 2A's CD write bits are set.
    ModePage,
    /// No GET CONFIGURATION command.
    NoGetConfiguration,
}

/// Write speeds in x, per media type.
#[derive(Clone, PartialEq, Eq, Debug, serde::Serialize, serde::Deserialize)]
#[serde(untagged)]
pub enum WriteSpeeds {
    /// The same speeds for CD-R and CD-RW.
    Cd(Vec<u32>),
    /// Speeds by media type name (`"CD-R" = [4, 8, 16]`).
    ByMedia(BTreeMap<String, Vec<u32>>),
}

impl WriteSpeeds {
    /// Speeds in x for one media type, ascending; empty when the drive cannot write it.
    pub fn for_media(&self, media: PhysicalMediaType) -> Vec<u32> {
        let mut v = match self {
            WriteSpeeds::Cd(v) if media.is_writable_cd() => v.clone(),
            WriteSpeeds::Cd(_) => Vec::new(),
            WriteSpeeds::ByMedia(map) => map
                .iter()
                .filter(|(k, _)| k.parse::<PhysicalMediaType>().ok() == Some(media))
                .flat_map(|(_, v)| v.iter().copied())
                .collect(),
        };
        v.sort_unstable();
        v.dedup();
        v
    }

    /// Every media type named, in numeric order.
    pub fn media_types(&self) -> Vec<PhysicalMediaType> {
        PhysicalMediaType::ALL.iter().copied().filter(|m| !self.for_media(*m).is_empty()).collect()
    }
}

impl DriveProfile {
    /// A consistency check of a loaded profile: the message says what is wrong.
    pub fn validate(&self) -> Result<(), String> {
        let name = &self.name;
        let lists: Vec<(String, &Vec<u32>)> = match &self.write_speeds {
            WriteSpeeds::Cd(v) => vec![("CD-R/CD-RW".to_string(), v)],
            WriteSpeeds::ByMedia(map) => map.iter().map(|(k, v)| (k.clone(), v)).collect(),
        };
        for (media, speeds) in lists {
            if let WriteSpeeds::ByMedia(_) = &self.write_speeds {
                media.parse::<PhysicalMediaType>().map_err(|e| format!("drive `{name}`: write_speeds: {e}"))?;
            }
            if speeds.contains(&0) {
                return Err(format!("drive `{name}`: write_speeds for {media} contain 0x; speeds are 1x or more"));
            }
        }
        if self.update_interval_ms == 0 {
            return Err(format!("drive `{name}`: update_interval_ms must be at least 1"));
        }
        if self.calibration.prepare_no_media.is_success() {
            return Err(format!(
                "drive `{name}`: calibration.prepare_no_media must be a failure code, not {}",
                self.calibration.prepare_no_media
            ));
        }
        Ok(())
    }

    /// True when IMAPI2's support check finds the drive able to write track-at-once (spec 2,
    /// IsRecorderSupported): feature 0x002D, else mode page 2A's CD write bits, never without
    /// GET CONFIGURATION.
    pub fn tao_supported(&self) -> bool {
        match self.tao_detection {
            TaoDetection::Feature => self.track_at_once,
            TaoDetection::ModePage => self.writable_media().iter().any(|m| m.is_writable_cd()),
            TaoDetection::NoGetConfiguration => false,
        }
    }

    /// Media types the drive can write.
    pub fn writable_media(&self) -> Vec<PhysicalMediaType> {
        self.write_speeds.media_types()
    }

    /// The unique id IDiscMaster2 reports for this drive.
    pub fn unique_id(&self) -> String {
        format!(
            "\\\\?\\scsi#cdrom&ven_{}&prod_{}#sim#{{53f56308-b6bf-11d0-94f2-00a0c91efb8b}}",
            self.vendor.trim(),
            self.product.trim().replace(' ', "_")
        )
        .to_lowercase()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::builtin_drives;

    #[test]
    fn builtin_drives_are_valid() {
        for d in builtin_drives() {
            d.validate().unwrap();
        }
    }

    #[test]
    fn inconsistent_drives_are_rejected_with_a_reason() {
        let base = builtin_drives().remove(0);
        let zero = DriveProfile { write_speeds: WriteSpeeds::Cd(vec![0, 4]), ..base.clone() };
        assert!(zero.validate().unwrap_err().contains("0x"));
        let unknown = DriveProfile {
            write_speeds: WriteSpeeds::ByMedia([("CD-Q".to_string(), vec![4])].into_iter().collect()),
            ..base.clone()
        };
        assert!(unknown.validate().unwrap_err().contains("CD-Q"));
        let interval = DriveProfile { update_interval_ms: 0, ..base.clone() };
        assert!(interval.validate().unwrap_err().contains("update_interval_ms"));
        let mut success = base;
        success.calibration.prepare_no_media = crate::Hresult::S_OK;
        assert!(success.validate().unwrap_err().contains("prepare_no_media"));
    }
}
