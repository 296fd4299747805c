//! `MsftDiscMaster2` on the simulator: one drive.

use crate::contract::DiscMaster2;
use crate::hresult::{HrResult, Hresult};

/// The list of recorders: exactly the backend's one drive.
pub(crate) struct SimMaster {
    pub(crate) unique_id: String,
}

impl DiscMaster2 for SimMaster {
    fn count(&self) -> HrResult<i32> {
        Ok(1)
    }

    fn item(&self, index: i32) -> HrResult<String> {
        match index {
            0 => Ok(self.unique_id.clone()),
            _ => Err(Hresult::E_INVALIDARG),
        }
    }

    fn is_supported_environment(&self) -> HrResult<bool> {
        Ok(true)
    }
}
