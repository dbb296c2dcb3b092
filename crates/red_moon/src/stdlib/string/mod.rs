//! The string library (manual §6.4) and its engines: formatting, packing, patterns.

pub mod format;
mod formatting;
pub(crate) mod library;
pub(crate) mod matching;
pub mod pack;
pub mod pattern;
