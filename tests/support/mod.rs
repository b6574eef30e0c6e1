//! What several test modules share: scratch folders and the binary ([`scratch`]), the
//! reference endpoint on loopback with its helpers ([`wire`]), the self-test suite
//! ([`selftest`]), what must not leak ([`leaks`]), and the TOTP implementations compared ([`peers`], which `benches/totp.rs`
//! includes too).

pub mod leaks;
pub mod peers;
pub mod scratch;
pub mod selftest;
pub mod wire;
