#![doc = include_str!("../README.md")]

pub mod clock;
pub mod reference;
pub mod totp;
pub mod vocabulary;
