//! GET CONFIGURATION's feature header: the drive's current profile says which kind of disc is
//! in the tray (0 when there is none).

use super::{be16, be32, need, MmcParseError};

const CMD: &str = "GET CONFIGURATION";

/// The feature header (MMC-5 5.3.1, 8 bytes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConfigurationHeader {
    /// Data length: bytes that follow this field.
    pub data_length: u32,
    /// The current profile (0x0009 CD-R, 0x000A CD-RW, 0x0008 CD-ROM; 0 for no disc).
    pub current_profile: u16,
}

/// Parses the header at the start of a GET CONFIGURATION response.
pub fn parse_configuration_header(data: &[u8]) -> Result<ConfigurationHeader, MmcParseError> {
    need(CMD, data, 8)?;
    Ok(ConfigurationHeader { data_length: be32(data, 0), current_profile: be16(data, 6) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn current_profile_is_bytes_6_and_7() {
        let cd_r = [0, 0, 0, 0x3C, 0, 0, 0x00, 0x09];
        assert_eq!(parse_configuration_header(&cd_r), Ok(ConfigurationHeader { data_length: 60, current_profile: 9 }));
        let empty = [0, 0, 0, 4, 0, 0, 0, 0];
        assert_eq!(parse_configuration_header(&empty).unwrap().current_profile, 0);
    }

    #[test]
    fn short_header_is_an_error() {
        let e = parse_configuration_header(&[0, 0, 0, 4, 0, 0, 0]).unwrap_err();
        assert_eq!(e.to_string(), "GET CONFIGURATION: 7 bytes, the layout needs 8");
    }
}
