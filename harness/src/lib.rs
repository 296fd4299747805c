//! The conformance harness.
pub mod fuzz;
pub mod model;
