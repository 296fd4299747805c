//! Choosing a recorder: `--recorder 0`, `--recorder E:` or `--recorder \\?\scsi#cdrom...`.
//!
//! ```
//! use cdr_imapi2::{RecorderInfo, RecorderSelector};
//! let drives = vec![RecorderInfo {
//!     unique_id: r"\\?\scsi#cdrom&ven_plextor&prod_px-716a#4&1a2b#{53f56308-b6bf-11d0-94f2-00a0c91efb8b}".into(),
//!     volume_path_names: vec![r"E:\".into()],
//!     vendor: "PLEXTOR".into(),
//!     product: "DVDR   PX-716A".into(),
//!     revision: "1.11".into(),
//! }];
//! let by_letter: RecorderSelector = "e:".parse().unwrap();
//! assert_eq!(by_letter.resolve(&drives).unwrap(), 0);
//! assert!("1".parse::<RecorderSelector>().unwrap().resolve(&drives).is_err());
//! ```

use std::fmt;
use std::str::FromStr;

use crate::error::Imapi2Error;
pub use crate::error::ParseSelectorError;

/// Which recorder to use: by position in IDiscMaster2's list, by drive letter, or by unique id.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum RecorderSelector {
    /// The recorder at this index of `IDiscMaster2::Item` (0-based).
    Index(u32),
    /// The recorder mounted at this drive letter (upper case, no colon).
    DriveLetter(char),
    /// The recorder with this unique id (`\\?\...`, compared ignoring ASCII case).
    UniqueId(String),
}

impl FromStr for RecorderSelector {
    type Err = ParseSelectorError;

    /// Accepts `0`, `12`; `E:`, `e:`, `E:\`, `E:/`; and anything starting with `\\?\`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let err = || ParseSelectorError(s.to_string());
        if t.starts_with(r"\\?\") {
            return if t.len() > 4 { Ok(RecorderSelector::UniqueId(t.to_string())) } else { Err(err()) };
        }
        if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
            return t.parse().map(RecorderSelector::Index).map_err(|_| err());
        }
        let mut chars = t.chars();
        match (chars.next(), chars.next(), chars.as_str()) {
            (Some(letter), Some(':'), "" | "\\" | "/") if letter.is_ascii_alphabetic() => {
                Ok(RecorderSelector::DriveLetter(letter.to_ascii_uppercase()))
            }
            _ => Err(err()),
        }
    }
}

impl fmt::Display for RecorderSelector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecorderSelector::Index(i) => write!(f, "{i}"),
            RecorderSelector::DriveLetter(c) => write!(f, "{c}:"),
            RecorderSelector::UniqueId(id) => f.write_str(id),
        }
    }
}

/// What the backend knows of one recorder when choosing: enough to match a selector and to list
/// the choices in an error message.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct RecorderInfo {
    /// `IDiscMaster2::Item(i)`: the unique id.
    pub unique_id: String,
    /// `VolumePathNames`: drive letters and mount points (`E:\`).
    pub volume_path_names: Vec<String>,
    /// `VendorId`.
    pub vendor: String,
    /// `ProductId`.
    pub product: String,
    /// `ProductRevision` (firmware).
    pub revision: String,
}

impl RecorderInfo {
    /// True when the recorder is mounted at the root of drive `letter` (`E:\` or `E:`); a mount
    /// point in a folder (`C:\mnt\cd\`) is not a drive letter.
    pub fn has_drive_letter(&self, letter: char) -> bool {
        self.volume_path_names.iter().any(|p| {
            let mut c = p.chars();
            matches!((c.next(), c.next(), c.as_str()), (Some(l), Some(':'), "" | "\\" | "/") if l.eq_ignore_ascii_case(&letter))
        })
    }
}

impl fmt::Display for RecorderInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let paths = if self.volume_path_names.is_empty() {
            "(no drive letter)".to_string()
        } else {
            self.volume_path_names.join(" ")
        };
        write!(
            f,
            "{paths}  {} {} ({})  {}",
            self.vendor.trim(),
            self.product.trim(),
            self.revision.trim(),
            self.unique_id
        )
    }
}

impl RecorderSelector {
    /// The index in `recorders` of the recorder this selector names.
    ///
    /// An empty list is [`Imapi2Error::NoRecorders`]; a selector that matches nothing is
    /// [`Imapi2Error::NoSuchRecorder`], listing what there is.
    pub fn resolve(&self, recorders: &[RecorderInfo]) -> Result<usize, Imapi2Error> {
        if recorders.is_empty() {
            return Err(Imapi2Error::NoRecorders);
        }
        let found = match self {
            RecorderSelector::Index(i) => usize::try_from(*i).ok().filter(|i| *i < recorders.len()),
            RecorderSelector::DriveLetter(letter) => recorders.iter().position(|r| r.has_drive_letter(*letter)),
            RecorderSelector::UniqueId(id) => recorders.iter().position(|r| r.unique_id.eq_ignore_ascii_case(id)),
        };
        found.ok_or_else(|| Imapi2Error::NoSuchRecorder { selector: self.to_string(), available: describe(recorders) })
    }
}

/// One line per recorder, `  0: E:\  VENDOR PRODUCT (REV)  \\?\...`.
pub fn describe(recorders: &[RecorderInfo]) -> String {
    recorders.iter().enumerate().map(|(i, r)| format!("  {i}: {r}")).collect::<Vec<_>>().join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drive(id: &str, paths: &[&str]) -> RecorderInfo {
        RecorderInfo {
            unique_id: id.into(),
            volume_path_names: paths.iter().map(|p| p.to_string()).collect(),
            vendor: "TSSTcorp".into(),
            product: "CDDVDW SH-224DB ".into(),
            revision: "SB01".into(),
        }
    }

    fn two_drives() -> Vec<RecorderInfo> {
        vec![
            drive(r"\\?\scsi#cdrom&ven_tsstcorp#5&aaa#{53f56308-b6bf-11d0-94f2-00a0c91efb8b}", &[r"D:\"]),
            drive(r"\\?\ide#cdromplextor#5&bbb#{53f56308-b6bf-11d0-94f2-00a0c91efb8b}", &[r"F:\", r"C:\mnt\burner\"]),
        ]
    }

    #[test]
    fn parses_every_form() {
        assert_eq!("0".parse(), Ok(RecorderSelector::Index(0)));
        assert_eq!(" 12 ".parse(), Ok(RecorderSelector::Index(12)));
        for s in ["E:", "e:", r"E:\", "e:/"] {
            assert_eq!(s.parse(), Ok(RecorderSelector::DriveLetter('E')), "{s}");
        }
        let id = r"\\?\scsi#cdrom&ven_x#1#{53f56308-b6bf-11d0-94f2-00a0c91efb8b}";
        assert_eq!(id.parse(), Ok(RecorderSelector::UniqueId(id.into())));
    }

    #[test]
    fn rejects_what_is_none_of_them() {
        for s in ["", " ", "E", "EE:", "1:", "E:\\x", "-1", "99999999999", r"\\?\", "scsi#cdrom", "0x1", "é:"] {
            let e = s.parse::<RecorderSelector>().unwrap_err();
            assert!(e.to_string().contains("is not a recorder"), "{s}: {e}");
        }
    }

    #[test]
    fn display_round_trips() {
        for s in ["3", "E:", r"\\?\ide#cdrom#1"] {
            let sel: RecorderSelector = s.parse().unwrap();
            assert_eq!(sel.to_string(), s);
            assert_eq!(sel.to_string().parse::<RecorderSelector>().unwrap(), sel);
        }
    }

    #[test]
    fn resolves_by_index_letter_and_id() {
        let drives = two_drives();
        assert_eq!(RecorderSelector::Index(1).resolve(&drives), Ok(1));
        assert_eq!(RecorderSelector::DriveLetter('F').resolve(&drives), Ok(1));
        assert_eq!(RecorderSelector::DriveLetter('D').resolve(&drives), Ok(0));
        let upper = drives[0].unique_id.to_uppercase();
        assert_eq!(RecorderSelector::UniqueId(upper).resolve(&drives), Ok(0));
    }

    #[test]
    fn a_mount_point_is_not_a_drive_letter() {
        // F's second path is a folder on C:, which must not make C: select it.
        let drives = two_drives();
        let err = RecorderSelector::DriveLetter('C').resolve(&drives).unwrap_err();
        assert!(matches!(err, Imapi2Error::NoSuchRecorder { .. }), "{err}");
    }

    #[test]
    fn zero_recorders_is_its_own_error_whatever_the_selector() {
        for s in ["0", "E:", r"\\?\x"] {
            let sel: RecorderSelector = s.parse().unwrap();
            assert_eq!(sel.resolve(&[]), Err(Imapi2Error::NoRecorders), "{s}");
        }
    }

    #[test]
    fn no_match_lists_the_recorders() {
        let drives = two_drives();
        let err = RecorderSelector::Index(2).resolve(&drives).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("no recorder matches `2`"), "{msg}");
        assert!(msg.contains(r"  0: D:\  TSSTcorp CDDVDW SH-224DB (SB01)"), "{msg}");
        assert!(msg.contains(r"  1: F:\ C:\mnt\burner\"), "{msg}");
    }
}
