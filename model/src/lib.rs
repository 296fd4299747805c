//! # cdr-model: the reference model and the differential fuzzer
//!
//! The reference model: a small, pure statement of `docs/reference/behaviour.md` sections 2 to 4
//! and 8 that predicts, for any state and any call, the HRESULT and value a conforming backend
//! answers.
//!
//! It is written from the spec alone, not from the simulator, so that a differential run (see
//! [`crate::fuzz`]) checks the simulator against the rules rather than against itself. Its states
//! carry the spec's names ([`FormatPhase`]: no recorder, recorder set, prepared, writing;
//! [`cdr_sim::DiscState`]: blank, appendable, complete), each rule in [`rules`] cites its row of
//! the spec, and every **\[choice\]** comes from the drive profile's [`cdr_sim::Calibration`], so
//! a scenario that overrides a calibration point is predicted under that setting.
//!
//! Where the spec is silent (which code a write-protected disc gives, what `force` means to
//! AcquireExclusiveAccess, ...) the prediction is deliberately loose ([`HrSet::Any`],
//! [`Check::Nothing`]) and [`Model::apply`] follows the answer observed; a state the spec says
//! nothing about at all sets [`Model::silent`] and ends the comparison.
//!
//! ```
//! use std::sync::Arc;
//! use cdr_model::{Client, Env, Member, Model, Value, Expect};
//! use cdr_sim::profile::{drive_by_name, media_by_name};
//! let env = Env { drive: drive_by_name("default").unwrap(), media: vec![media_by_name("cdr80").unwrap()], initial: Some(0) };
//! let model = Model::new(Arc::new(env));
//! // Before PrepareMedia, FreeSectorsOnMedia needs a prepared object (spec 2, P).
//! assert_eq!(
//!     model.predict(Client::A, Member::GetFreeSectorsOnMedia),
//!     Expect::hr(cdr_sim::Hresult::E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED)
//! );
//! ```

pub mod fuzz;

mod digest;
mod expect;
mod layout;
mod op;
pub mod rules;
mod state;

pub use digest::DigestCache;
pub use expect::{Check, Expect, HrSet, Value};
pub use layout::{Layout, TocImage, FIRST_PREGAP};
pub use op::{
    is_valid_client_name, valid_names, Client, HandlerCall, Member, NameArg, Op, OwnRecorder, Plan, Source,
    INVALID_NAMES, NAMES,
};
pub use state::{Content, Disc, Env, Format, FormatPhase, Lock, Model, Session, SessionModel, Track, Write};

#[cfg(test)]
mod tests;
