//! The os library: the pure date engine (`date`), the time source the host controls
//! (`time_source`), the safe time functions (`library`) and the host functions (`host`).

pub mod date;
pub(crate) mod host;
pub(crate) mod library;
mod time_source;

pub use time_source::TimeSource;
