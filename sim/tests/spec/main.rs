//! The rules of `shared/spec/imapi2-tao.md` sections 2 to 4, one test per rule, named for it.

mod add_audio_track;
mod cancel;
mod common;
mod events;
mod prepare_media;
mod worked_example;
