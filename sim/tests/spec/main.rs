//! The rules of `docs/reference/behaviour.md` sections 2 to 4, one test per rule, named for it.

#[macro_use]
mod common;
mod add_audio_track;
mod cancel;
mod determinism;
mod dll_rules;
mod events;
mod layout;
mod media_queries;
mod prepare_media;
mod properties;
mod recorder;
mod reentrancy;
mod release_media;
mod sector_sink;
mod states;
mod worked_example;
