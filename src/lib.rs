#![doc = include_str!("../README.md")]

pub mod clock;
pub mod cognito;
pub mod json_file;
pub mod matrix;
pub mod oracle;
pub mod reference;
pub mod runner;
pub mod secret_hash;
pub mod snapshot;
pub mod steps;
pub mod target;
pub mod totp;
pub mod vocabulary;
