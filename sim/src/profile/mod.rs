//! Drive and media profiles, and the calibration settings that carry every **\[choice\]** of the
//! spec.

mod builtin;
mod calibration;
mod drive;
mod media;

pub use builtin::{
    builtin_drives, builtin_media, drive_by_name, media_by_name, DEFAULT_DRIVE, DEFAULT_MEDIA, EMPTY_TRAY,
};
pub use calibration::{
    Calibration, DropWhilePrepared, FreeAfterTrack, NoMediaAnswer, RequestedSpeedAfterPrepare, Retired, ShortTrack,
    TocLengthField, UsedSectorsFormula,
};
pub use drive::{DriveProfile, TaoDetection, WriteSpeeds};
pub use media::{DiscState, MediaProfile};
