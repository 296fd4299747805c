//! # cdr-sim: the IMAPI2 track-at-once contract and a simulated CD-R
//!
//! **This is not a CD burner.** It is a model of one, exact where Windows applications can
//! observe the difference, so that software which burns audio CDs through IMAPI2 can be tested
//! in CI with no drive. The behavioural reference is `docs/reference/behaviour.md`; section
//! numbers below refer to it.
//!
//! ## Fidelity contract
//!
//! **Modelled**, rule for rule:
//! - The `IDiscFormat2TrackAtOnce` state machine (no recorder, recorder set, prepared, writing)
//!   with every member's HRESULT in the spec's check order (section 2), including the
//!   prepared / not-prepared rules and the mid-write snapshot: FreeSectorsOnMedia,
//!   UsedSectorsOnMedia and TotalSectorsOnMedia report the values from before AddAudioTrack
//!   began until the track closes.
//! - The Update event with every field of `IDiscFormat2TrackAtOnceEventArgs` (section 3):
//!   PREPARING, WRITING with a growing LastWrittenLba, FINISHING, VERIFYING under QUICK
//!   verification; elapsed and remaining seconds from the DLL's estimate, in virtual time.
//!   Handlers may call back into the format object (reads, CancelAddTrack) without deadlock.
//! - The disc (section 4): ATIP lead-in and last possible lead-out (section 5), track layout
//!   with pregaps, run-out and pauses, sessions and their state, lead-out, the 99-track limit,
//!   and what READ DISC/TRACK INFORMATION would report, plus a BLAKE3 digest of each track's
//!   sectors (its audio and the silence that pads a short track).
//! - The recorder (section 8): identity, profiles, features, counted exclusive access shared by
//!   every format object on the drive, tray lock, eject and close.
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
//! - Recorder objects answer `E_IMAPI_RECORDER_REQUIRED` until InitializeDiscRecorder; an
//!   unknown id is E_INVALIDARG (ids compare without regard to ASCII case).
//! - Every recorder object and every format object is its own client of the counted exclusive
//!   access: a format object's PrepareMedia gets `E_IMAPI_RECORDER_LOCKED` while any other
//!   object holds the drive, including the application's own recorder object. `force` does not
//!   override another client (in IMAPI2 it concerns dismounting the file system). Releasing a
//!   free drive is S_OK; releasing another client's lock is LOCKED; a dropped recorder object
//!   gives up its counts, like a closed device handle.
//! - `put_Recorder` with a recorder that is not this simulator's is E_INVALIDARG (middleware
//!   wrappers should answer `as_any` with their inner object; the IMAPI2 backend answers a
//!   recorder that is not its own with the same code); with an uninitialised one,
//!   `E_IMAPI_RECORDER_REQUIRED`.
//! - PrepareMedia checks, after the spec's media checks: upside down
//!   (`E_IMAPI_RECORDER_MEDIA_UPSIDE_DOWN`) before the media type, a CD type the drive cannot
//!   write as MEDIA_IS_NOT_SUPPORTED, write protection (`E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED`)
//!   after the blank check. IsCurrentMediaSupported answers FALSE for an upside-down disc and
//!   ignores write protection. Media queries on an upside-down disc give MEDIA_UPSIDE_DOWN.
//! - FULL burn verification is accepted and behaves as QUICK (IMAPI2: TAO does not support full
//!   verification, and a full one includes the quick checks). The level may be set from the
//!   Update handler (the spec gives it no !W rule); it applies from the next track.
//! - SetWriteSpeed picks the closest supported speed, the slower on a tie; below -1 is
//!   E_INVALIDARG. The speed belongs to the drive (every format object sees it). An empty tray,
//!   or media the drive cannot write, uses the drive's CD-R speeds. SupportedWriteSpeeds lists
//!   the fastest first.
//! - CancelAddTrack is honoured after the current 64-sector buffer chunk or Update call. A
//!   cancel during PREPARING writes nothing (no track). A cancel after the last sector (during
//!   FINISHING or VERIFYING) leaves the track whole, and AddAudioTrack still returns
//!   `cancel_result`. FINISHING fires whenever a sector was written; VERIFYING never after a
//!   cancel.
//! - A stream that ends early or fails to read: the track is closed short with the whole
//!   sectors received, and AddAudioTrack returns E_FAIL. A failing sector sink, or a track that
//!   would run past the last possible lead-out (reachable only with `free_after_track =
//!   dll_nwa`), closes the track short with `E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE`.
//! - Events: WRITING once per `update_interval_ms` of virtual time and once at 100 %.
//!   LastWrittenLba and LastReadLba are StartLba + sectors written / read, so the clients'
//!   `(LastWrittenLba - StartLba) / SectorCount` reaches 100 %; the engine reads ahead by up to
//!   the drive's buffer, which drains for FINISHING. Virtual time: PREPARING takes 21 s (first
//!   track) or 1 s, writing sectors / speed, finishing 5 s, verifying 3 s more, so the DLL's
//!   estimate comes true.
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
//! - [`contract`]: the traits every backend implements (start here).
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

pub use contract::*;
pub use hresult::{HrResult, Hresult, ParseHresultError};
pub use msf::{Msf, ParseMsfError, SECTORS_PER_SECOND, SECTOR_BYTES};
pub use profile::{Calibration, DiscState, DriveProfile, MediaProfile};
pub use sim::{SimBackend, SimFormat, SimRecorder, TaoState};
pub use sink::SectorSink;
