//! `IDiscMaster2`: the list of recorders.

use crate::hresult::HrResult;

/// `MsftDiscMaster2`: enumerates recorders by unique id.
pub trait DiscMaster2: Send + Sync {
    /// `Count`: number of recorders.
    fn count(&self) -> HrResult<i32>;
    /// `Item(index)`: the unique id of recorder `index` (0-based); E_INVALIDARG out of range.
    fn item(&self, index: i32) -> HrResult<String>;
    /// `IsSupportedEnvironment`: whether optical devices can be used here at all.
    fn is_supported_environment(&self) -> HrResult<bool>;
}
