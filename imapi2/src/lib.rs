//! The IMAPI2 backend.
