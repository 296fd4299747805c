//! # cdr-comserver: the simulator as IMAPI2's own COM classes
//!
//! An in-process COM server (a Windows DLL) that registers the simulator under IMAPI2's class
//! IDs and ProgIDs (`MsftDiscMaster2`, `MsftDiscRecorder2`, `MsftDiscFormat2TrackAtOnce`;
//! `IMAPI2.MsftDiscMaster2`, ...), so that an unmodified Windows program's `CoCreateInstance`,
//! a C# `new MsftDiscFormat2TrackAtOnce()` or a script's `CreateObject` gets a simulated drive
//! and disc, with every answer [`cdr_sim::SimBackend`] gives.
//!
//! Every interface is dual: the vtables the `windows` crate defines, and `IDispatch` with the
//! names and DISPIDs IMAPI2 publishes ([`dispids`]). Failures return the simulator's HRESULT
//! unchanged and set `IErrorInfo` with IMAPI2's message (late-bound: `DISP_E_EXCEPTION` with the
//! code and message in EXCEPINFO).
//!
//! The drive and disc: one per process, shared by every object (as a process's IMAPI2 objects
//! share the machine's drives): the configuration file named by `CDR_COMSERVER_CONFIG` chooses
//! them with the scenario format's `[drive]`, `[media]` and `[[fault]]` tables, and where the
//! transcript of every call and the disc file are written ([`config`], [`session`]); without
//! it, the built-in `default` recorder with a blank 80-minute CD-R. A configuration that cannot
//! be used makes every `CoCreateInstance` of the server fail with
//! `HRESULT_FROM_WIN32(ERROR_BAD_CONFIGURATION)` (0x8007064A), the message (file, line,
//! column) on stderr and in `IErrorInfo`.
//!
//! ## Modules
//! Portable, tested on every platform:
//! - [`config`]: the configuration file.
//! - [`session`]: the simulator behind the recording middleware, and when the outputs are
//!   written.
//! - [`dispids`]: the dispatch names and DISPIDs.
//! - [`registration`]: the registry keys, per user or machine-wide, and the rule that leaves a
//!   real IMAPI2 registration untouched.
//! - [`guard`]: a panic inside the simulator fails the call with `E_UNEXPECTED` and a message,
//!   never unwinds into (and aborts) the client.
//! - [`mmc`]: `IDiscRecorder2Ex`'s MMC pass-through, answered from the simulated disc.
//! - [`simulator`]: the process's simulated drive, replaced per scenario by the loopback's
//!   `configure` request (the `ICdrLoopback` interface of `MsftDiscMaster2`, see
//!   [`cdr_imapi2::loopback`]).
//!
//! Windows only (`com`): the objects (`MsftDiscMaster2` with its `IEnumVARIANT`,
//! `MsftDiscRecorder2`, `MsftDiscFormat2TrackAtOnce` with `IBurnVerification` and the
//! `DDiscFormat2TrackAtOnceEvents` connection point, the Update event's arguments), the class
//! factories, and the exports `DllGetClassObject`, `DllCanUnloadNow`, `DllRegisterServer`,
//! `DllUnregisterServer`.

pub mod config;
pub mod dispids;
pub mod guard;
pub mod mmc;
pub mod registration;
pub mod session;
pub mod simulator;

#[cfg(windows)]
mod com;
