//! Differential fuzzing of a backend against the reference model.
