//! The string library (manual §6.4) and its engines: formatting, packing, patterns.

pub mod format;
pub mod pack;
pub mod pattern;
