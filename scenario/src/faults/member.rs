//! The members a fault rule can name, and what each needs of the drive.

use std::fmt;
use std::str::FromStr;

use crate::call::Call;
pub use crate::call::Reach;

/// A member the fault injector counts: a scenario [`Call`], or one of `IDiscMaster2`'s.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub enum Member {
    /// A member of the format object, the recorder or IBurnVerification.
    Call(Call),
    /// `IDiscMaster2::get_Count`.
    MasterCount,
    /// `IDiscMaster2::get_Item`.
    MasterItem,
    /// `IDiscMaster2::get_IsSupportedEnvironment`.
    MasterIsSupportedEnvironment,
}

impl Member {
    /// How far the member reaches: object, device or media.
    pub fn reach(self) -> Reach {
        match self {
            Member::Call(call) => call.reach(),
            // The recorder list is the operating system's: no drive command.
            Member::MasterCount | Member::MasterItem | Member::MasterIsSupportedEnvironment => Reach::Object,
        }
    }

    /// The Windows spelling.
    pub fn name(self) -> &'static str {
        match self {
            Member::Call(c) => c.name(),
            Member::MasterCount => "IDiscMaster2::get_Count",
            Member::MasterItem => "IDiscMaster2::get_Item",
            Member::MasterIsSupportedEnvironment => "IDiscMaster2::get_IsSupportedEnvironment",
        }
    }
}

impl fmt::Display for Member {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Member {
    type Err = String;

    /// A scenario call name, or `IDiscMaster2::get_Count` / `get_Item` /
    /// `get_IsSupportedEnvironment`; an unknown name gets the call module's suggestion.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        for m in [Member::MasterCount, Member::MasterItem, Member::MasterIsSupportedEnvironment] {
            if m.name() == s {
                return Ok(m);
            }
        }
        s.parse::<Call>().map(Member::Call).map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_call_has_a_reach_and_the_session_members_need_the_disc() {
        for &c in Call::ALL {
            let _ = Member::Call(c).reach();
        }
        assert_eq!(Member::Call(Call::PrepareMedia).reach(), Reach::Media);
        assert_eq!(Member::Call(Call::GetFreeSectorsOnMedia).reach(), Reach::Object);
        assert_eq!(Member::Call(Call::RecorderEjectMedia).reach(), Reach::Device);
        assert_eq!(Member::MasterCount.reach(), Reach::Object);
    }

    #[test]
    fn names_round_trip_and_unknown_names_are_refused() {
        for m in [Member::Call(Call::AddAudioTrack), Member::MasterItem, Member::Call(Call::RecorderCloseTray)] {
            assert_eq!(m.to_string().parse::<Member>(), Ok(m));
        }
        assert!("PrepareMediaa".parse::<Member>().unwrap_err().contains("PrepareMedia"));
    }
}
