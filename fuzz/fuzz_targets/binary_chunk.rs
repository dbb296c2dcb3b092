//! cargo-fuzz target `binary_chunk` (see `red_moon_fuzz::binary_chunk`). Built without libFuzzer (plain
//! `cargo build`), it replays the files named on the command line instead.
#![cfg_attr(fuzzing, no_main)]

#[cfg(fuzzing)]
libfuzzer_sys::fuzz_target!(|data: &[u8]| red_moon_fuzz::binary_chunk(data));

#[cfg(not(fuzzing))]
fn main() {
    red_moon_fuzz::replay_arguments(red_moon_fuzz::binary_chunk);
}
