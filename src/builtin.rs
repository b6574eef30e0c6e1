//! What the binary carries, so that an installed or copied `mfaspec` runs with no checkout
//! in reach: the features, the target profiles, the emulators' expectations and the RFC test
//! vectors (`fixtures/*.yaml`, which `totp-check`'s catalogue reads), each a
//! table of `(file name, contents)` embedded at build time by `build.rs`.
//!
//! Owns: nothing but the tables. Uses nothing.

include!(concat!(env!("OUT_DIR"), "/embedded.rs"));

/// The file of `table` named `name`, if the binary carries it.
#[must_use]
pub fn file(table: &'static [(&'static str, &'static str)], name: &str) -> Option<&'static str> {
    table
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
}

/// `docs/behaviour.md`, the behaviour reference: a reproduction names the section and the
/// source that state what AWS does.
pub const BEHAVIOUR: &str = include_str!("../docs/behaviour.md");
