//! Track sources: implementations of [`AudioStream`](crate::AudioStream).

mod synthetic;

pub use synthetic::SyntheticPcm;
