//! # cdr-sim: the IMAPI2 track-at-once contract and a simulated CD-R
//!
//! **This is not a CD burner.** It is a model of one, exact where Windows applications can
//! observe the difference, so that software which burns audio CDs through IMAPI2 can be tested
//! in CI with no drive. The behavioural reference is `docs/reference/behaviour.md`; section
//! numbers below refer to it. Where it cites the shipped `imapi2.dll` it gives the
//! id of the function's file in a public decompilation of the DLL (`dll id N`); where the DLL
//! and Microsoft's pages disagree, the simulator follows the DLL, because that is what an
//! application meets on Windows.
//!
//! ## Fidelity contract
//!
//! **Rules taken from the shipped DLL** (each has a test named after it in `tests/spec/`,
//! `dll_rules.rs`, and a fixture scenario):
//! 1. *Exclusive access belongs to the recorder object* (sections 2 and 8; dll id 55697799444,
//!    55589756848, 55898024725). A format object has no lock of its own: PrepareMedia acquires
//!    (force = TRUE, ClientName) through the recorder object given to put_Recorder, and
//!    ReleaseMedia releases through it. The count is per recorder object: an application's own
//!    lock on that object, before or after PrepareMedia, adds to it; another recorder object on
//!    the same drive is another client (E_IMAPI_RECORDER_LOCKED).
//! 2. *A second PrepareMedia un-prepares the object* (section 2; dll id 55697799444,
//!    55607138757): MEDIA_IS_PREPARED, the cache zeroed, the P members MEDIA_IS_NOT_PREPARED;
//!    the first call's lock count stays until the recorder object is dropped and its tray lock
//!    until a later ReleaseMedia; a later PrepareMedia succeeds and adds a count.
//! 3. *The cache (track count, Free, Used, TOC) is refreshed only after a track whose write and
//!    close both succeeded* (section 2; dll id 55622866541, 55907708427). After a cancel or a
//!    failure it keeps its pre-call values although the short track is on the disc; the next
//!    successful track's refresh counts both, and the TOC then has the DLL's odd header and
//!    descriptor (dll id 56076709766).
//! 4. *The writing flag* (sections 2 and 3; dll id 55622866541): PREPARING fires before it is
//!    set, VERIFYING after it is cleared and after the refresh; in those handlers the !W members
//!    answer as when not writing (a nested AddAudioTrack from PREPARING writes a whole track
//!    inside the outer call; CancelAddTrack there is WRITE_NOT_IN_PROGRESS). A nested
//!    AddAudioTrack rejected with WRITE_IN_PROGRESS clears the outer call's flag
//!    (calibration `rejected_nested_add_clears_writing`, default true). The 99-track limit is
//!    checked before PREPARING only: when the handler's nested call wrote the 99th track (or a
//!    cancelled 99th track is on the disc), the outer call asks the drive for a 100th track's
//!    address, the drive refuses, and the call fails before the write and the close, with no
//!    further event (calibration `hundredth_track_result`, default E_FAIL, what IMAPI2 answers
//!    for sense data it does not translate: dll id 55613454410, 55780254181).
//! 5. *Short tracks are not padded by the DLL* (section 2; dll id 55622866541, 55760110767,
//!    55858994589): the space check and SectorCount use the stream's exact sector count; what
//!    the disc records is the drive's business (calibration `short_track`, default
//!    `drive_pads`; the retired key `pad_short_tracks` is an error naming it).
//! 6. *Free is signed and never clamped* (section 4; dll id 55907708427): a track that fills the
//!    disc leaves -152 under the default layout, and a negative Free refuses every later track.
//! 7. *The support checks* (section 2; dll id 56065615557): IsRecorderSupported is TRUE with
//!    feature 0x002D, else with mode page 2A's CD write bits, FALSE (S_OK) without GET
//!    CONFIGURATION (the drive profile's `tao_detection`); IsCurrentMediaSupported with an
//!    empty tray is S_OK and FALSE (calibration `is_current_media_supported_no_media`); an
//!    internal failure of either check is S_FALSE with FALSE ([`SupportAnswer`]).
//! 8. *Events* (section 3; dll id 55622866541, 55647651718, 55858994589, 55760110767,
//!    56015351474): WRITING once before data flows, every 500 ms of virtual time, and once after
//!    the engine finishes; LastWrittenLba and LastReadLba run from StartLba to StartLba +
//!    SectorCount - 1, so a client's percent never reaches 100; exactly one FINISHING after the
//!    close; ElapsedTime restarts per track; the estimate divides by 750 sectors/s when the
//!    speed is unknown; FULL verification only lengthens the estimate (no VERIFYING).
//! 9. *Speeds* (section 2; dll id 55697799444, 55607138757): every PrepareMedia, failed or
//!    successful, applies and resets the pending SetWriteSpeed request, so a request made
//!    before a failed PrepareMedia is lost (calibration `requested_speed_after_prepare` says
//!    what the Requested* getters read afterwards).
//! 10. *The recorder* (section 8; dll id 55592021310, 55589756848, 55588307252, 55913915520):
//!     InitializeDiscRecorder (empty id E_INVALIDARG, a second call E_FAIL, an id naming no
//!     device 0x80070002 with the object left uninitialised), AcquireExclusiveAccess (E_FAIL
//!     uninitialised, the name checked on every call, counted per object, LOCKED for another
//!     object), ReleaseExclusiveAccess (E_FAIL uninitialised, E_INVALIDARG at count zero), a
//!     dropped recorder object releasing its lock.
//!
//! **Lab checks** (the spec names them; the simulator's answer is its default until a
//! hardware-lab run says otherwise):
//! - The default burn verification level (the constructor is not in the decompilation): NONE
//!   (calibration `default_verification_level`).
//! - After a second PrepareMedia, how long the first call's tray lock lasts: the simulator keeps
//!   the tray locked until a later session's ReleaseMedia.
//! - After a cancelled or failed track, which NWA a real drive gives for the cancelled track's
//!   own number: the simulator answers the address after the short track.
//! - What a drive does when a track fills the disc and the DLL's refresh finds no next writable
//!   track (E_FAIL, the cache unchanged): the simulator always has one, so Free goes negative.
//! - Which command a drive refuses for a 100th track, and with which sense (the DLL's function
//!   that fetches the next track's address and its sense translation are not in the
//!   decompilation): the simulator refuses the address with calibration `hundredth_track_result`.
//! - The action of any events during ReleaseMedia's session close: the simulator fires none.
//! - The settings the DLL leaves to the drive or that the decompilation does not show:
//!   `short_track`, `requested_speed_after_prepare`, `rejected_nested_add_clears_writing` (read
//!   in pseudocode whose disassembly is cut off), `free_after_track` (whether the drive's NWA
//!   includes the pause), and FINISHING's single event after the close (inferred).
//!
//! **Also modelled**, rule for rule:
//! - The `IDiscFormat2TrackAtOnce` state machine (no recorder, recorder set, prepared, writing)
//!   with every member's HRESULT in the spec's check order (section 2), including the
//!   prepared / not-prepared rules and the mid-write snapshot: FreeSectorsOnMedia,
//!   UsedSectorsOnMedia and TotalSectorsOnMedia report the values from before AddAudioTrack
//!   began until the refresh after the track.
//! - The Update event with every field of `IDiscFormat2TrackAtOnceEventArgs` (section 3),
//!   elapsed and remaining seconds from the DLL's estimate, in virtual time. Handlers may call
//!   back into the format object (reads, CancelAddTrack, even AddAudioTrack) without deadlock.
//! - The disc (section 4): ATIP lead-in and last possible lead-out (section 5), track layout
//!   with pregaps, run-out and pauses, sessions and their state, lead-out, the 99-track limit,
//!   and what READ DISC/TRACK INFORMATION would report, plus a BLAKE3 digest of each track's
//!   sectors (its audio and the silence a padding drive adds to a short track).
//! - The recorder (section 8): identity, profiles, features, tray lock, eject and close.
//!
//! **Not modelled**: the bytes of the lead-in, subcode (Q channel, ISRC, MCN, CD-TEXT), data
//! tracks and the data formats (`IDiscFormat2Data`, erase), disc-at-once and raw writing, the
//! physical process (laser power, jitter, C1/C2 errors), real time (nothing sleeps), and
//! multiple sessions beyond what a disc brings into the tray. Media-change notification is
//! accepted but has no observer. Faults (buffer underruns, pulled discs, busy drives) come from
//! the harness's fault-injection middleware, not from the simulator by itself; the faults only
//! hardware can have mid-write (an underrun, a disc pulled out, a power cut) are armed on the
//! device through [`SimulatedDevice`] and met by the write loop at a given sector.
//!
//! **Calibration points**: every behaviour the spec marks **\[choice\]** is a field of
//! [`profile::Calibration`] in the drive profile, with the spec's default. A hardware-lab
//! comparison that disagrees names the setting that would reconcile it.
//!
//! **Where IMAPI2 is silent** the simulator decides as follows (not calibration points; a lab
//! run that disagrees is a bug report):
//! - Recorder members other than InitializeDiscRecorder and the exclusive-access pair answer
//!   `E_IMAPI_RECORDER_REQUIRED` until InitializeDiscRecorder (ids compare without regard to
//!   ASCII case). `force` does not override another recorder object's lock (in IMAPI2 it
//!   concerns dismounting the file system).
//! - `put_Recorder` with a recorder that is not this simulator's is E_INVALIDARG (middleware
//!   wrappers should answer `as_any` with their inner object; the IMAPI2 backend answers a
//!   recorder that is not its own with the same code); with an uninitialised one,
//!   `E_IMAPI_RECORDER_REQUIRED`.
//! - PrepareMedia checks, after the spec's media checks: upside down
//!   (`E_IMAPI_RECORDER_MEDIA_UPSIDE_DOWN`) before the media type, a CD type the drive cannot
//!   write as MEDIA_IS_NOT_SUPPORTED, write protection (`E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED`)
//!   after the blank check. IsCurrentMediaSupported answers FALSE for an upside-down disc and
//!   ignores write protection. Media queries on an upside-down disc give MEDIA_UPSIDE_DOWN.
//! - The burn verification level may be set from the Update handler (the spec gives it no !W
//!   rule); it applies from the next track.
//! - SetWriteSpeed picks the closest supported speed, the slower on a tie; below -1 is
//!   E_INVALIDARG. The speed belongs to the drive (every format object sees it). An empty tray,
//!   or media the drive cannot write, uses the drive's CD-R speeds. SupportedWriteSpeeds lists
//!   the fastest first.
//! - CancelAddTrack is honoured after the current 64-sector buffer chunk or Update call. A
//!   cancel at the WRITING event before data flows leaves no track (nothing to close). A
//!   cancel during FINISHING leaves the track whole, and AddAudioTrack still returns
//!   `cancel_result`; VERIFYING never follows a cancel (no refresh).
//! - A stream that ends early or fails to read: the track is closed short with the whole
//!   sectors received, and AddAudioTrack returns E_FAIL. A failing sector sink, or a track that
//!   would run past the last possible lead-out (reachable only with `free_after_track =
//!   dll_nwa`), closes the track short with `E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE`.
//! - Events: the 500 ms cadence is the drive profile's `update_interval_ms`. The engine reads
//!   ahead by up to the drive's buffer (LastReadLba), which drains for FINISHING. Virtual
//!   time: PREPARING takes 21 s (first track) or 1 s, writing sectors / speed, finishing 5 s,
//!   verifying 3 s more, so the DLL's estimate comes true.
//! - Free and the lead-out use the calibrated run-out (`LPL - run_out - S(next)`; 2 by
//!   default, as the spec's `LPL - 2`).
//! - One session is modelled (all TAO writes); read-back reports 1 session, and a blank disc's
//!   empty session counts, as in MMC. An upside-down disc reads back as what is in the tray.
//! - CloseTray on a drive that cannot load media is E_FAIL. An `eject_while_locked` success
//!   code means the drive ignores the eject. Unadvise of an unknown cookie is
//!   CONNECT_E_NOCONNECTION (0x80040200). BufferUnderrunFreeDisabled matters only when an
//!   underrun fault is armed: with protection on (the drive's `buffer_underrun_free` and the
//!   property FALSE) the write is held up and succeeds, else it fails with
//!   E_IMAPI_LOSS_OF_STREAMING.
//! - Device faults ([`DeviceFaultKind`]): the track is cut at the fault's sector and kept,
//!   marked damaged, when a sector reached the disc; no FINISHING event; the format object
//!   stays prepared. A pulled disc leaves the tray open with the disc out of reach (CloseTray
//!   brings it back). After a power cut the drive writes nothing more (PrepareMedia and
//!   AddAudioTrack answer [`DEVICE_NOT_CONNECTED`], ReleaseMedia and a dropped object write no
//!   lead-out); other members still answer from the objects' state: making every call fail as
//!   a dead device's would is the fault-injection middleware's part.
//! - A disc can be exported and inserted again as a [`DiscSnapshot`] (`SimulatedDevice`),
//!   exactly: tracks, digests, damage, session state and the layout it was written with.
//!
//! ## Entropy and time
//! The simulator reads no wall clock and no randomness: time is a virtual clock advanced by the
//! write speed, and synthetic audio is generated from a seed. The same scenario gives the same
//! transcript, byte for byte.
//!
//! ## Modules
//! - [`contract`]: the traits every backend implements (start here), with IMAPI2's
//!   enumerations and small value types (section 7), which the profiles share.
//! - [`hresult`]: the HRESULT newtype and every code of section 6.
//! - [`profile`]: drive and media profiles, and the calibration settings.
//! - [`msf`]: MSF <-> LBA.
//! - [`source`]: track sources (synthetic PCM, WAV, raw files).
//! - [`sink`]: an observer of written sectors (image export).
//! - [`SimBackend`]: the simulated recorder and disc ([`SimRecorder`], [`SimFormat`] and its
//!   [`TaoState`] are its objects).

pub mod contract;
pub mod hresult;
pub mod msf;
pub mod profile;
mod sim;
pub mod sink;
pub mod source;
mod types;

pub use contract::*;
pub use hresult::{HrResult, Hresult, ParseHresultError};
pub use msf::{Msf, ParseMsfError, SECTORS_PER_SECOND, SECTOR_BYTES};
pub use profile::{Calibration, DiscState, DriveProfile, MediaProfile};
pub use sim::{SimBackend, SimFormat, SimRecorder, TaoState};
pub use sink::SectorSink;
