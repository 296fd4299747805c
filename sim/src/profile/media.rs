//! Media profiles: the disc in the tray, from its ATIP (spec section 5).

use crate::msf::Msf;
use crate::types::PhysicalMediaType;

/// Disc status as READ DISC INFORMATION reports it.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DiscState {
    /// 0: nothing recorded.
    #[default]
    Blank,
    /// 1: incomplete; the last session is open or another can be added.
    Appendable,
    /// 2: complete (finalized).
    Complete,
}

/// A disc. Loaded from a built-in name, a TOML file, or a scenario's inline keys.
#[derive(Clone, PartialEq, Eq, Debug, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MediaProfile {
    /// Profile name (`cdr80`, ... or a file's stem).
    pub name: String,
    /// One line for `cdr-harness profiles` and transcripts.
    #[serde(default)]
    pub description: String,
    /// Physical media type ("CD-R", "CD-RW", "DVD+R", ...).
    #[serde(rename = "type")]
    pub media_type: PhysicalMediaType,
    /// ATIP disc manufacturer.
    #[serde(default)]
    pub manufacturer: String,
    /// ATIP lead-in start (recordable CDs).
    #[serde(default)]
    pub lead_in: Option<Msf>,
    /// ATIP last possible lead-out start (recordable CDs); its LBA is the LPL.
    #[serde(default)]
    pub lead_out: Option<Msf>,
    /// Capacity in sectors of media without an ATIP (DVDs, pressed CDs).
    #[serde(default)]
    pub capacity_sectors: Option<u32>,
    /// State of the disc when it goes in the tray.
    #[serde(default)]
    pub state: DiscState,
    /// Tracks already on the disc, in sectors, laid out from LBA 0 in one session.
    #[serde(default)]
    pub tracks: Vec<u32>,
    /// The disc is in upside down: the drive cannot read it.
    #[serde(default)]
    pub upside_down: bool,
    /// The disc (or its cartridge) is write-protected.
    #[serde(default)]
    pub write_protected: bool,
}

impl MediaProfile {
    /// Last possible lead-out LBA: the ATIP lead-out's LBA, else the capacity.
    pub fn last_possible_lead_out(&self) -> i32 {
        match (self.lead_out, self.capacity_sectors) {
            (Some(lo), _) => lo.to_lba(),
            (None, Some(c)) => i32::try_from(c).unwrap_or(i32::MAX),
            (None, None) => 0,
        }
    }

    /// A consistency check of a loaded profile: the message says what is wrong.
    pub fn validate(&self) -> Result<(), String> {
        if self.media_type.is_cd() && self.media_type != PhysicalMediaType::CdRom && self.lead_out.is_none() {
            return Err(format!(
                "media `{}`: a {} needs `lead_out` (the ATIP last possible lead-out, e.g. \"79:59:72\")",
                self.name, self.media_type
            ));
        }
        if self.state == DiscState::Blank && !self.tracks.is_empty() {
            return Err(format!(
                "media `{}`: a blank disc cannot have tracks (state = \"blank\", tracks = {:?})",
                self.name, self.tracks
            ));
        }
        if self.tracks.len() > 99 {
            return Err(format!("media `{}`: {} tracks, at most 99", self.name, self.tracks.len()));
        }
        if let Some(lo) = self.lead_out {
            if lo.m >= 90 {
                return Err(format!("media `{}`: lead_out {lo} lies in the lead-in area", self.name));
            }
        }
        if let Some(li) = self.lead_in {
            if li.m < 90 {
                return Err(format!(
                    "media `{}`: lead_in {li} must lie in the lead-in area (90 minutes or more)",
                    self.name
                ));
            }
        }
        Ok(())
    }
}
