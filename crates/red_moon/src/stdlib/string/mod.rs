pub mod format;
pub mod pack;
