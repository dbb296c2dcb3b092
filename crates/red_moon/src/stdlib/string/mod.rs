//! The string library (manual §6.4) and its engines: formatting, packing, patterns.

pub mod format;
mod formatting;
pub(crate) mod library;
mod matching;
pub mod pack;
pub mod pattern;
