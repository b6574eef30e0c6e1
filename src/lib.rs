#![doc = include_str!("../README.md")]

pub mod builtin;
pub mod claim;
pub mod clock;
pub mod cognito;
pub mod control;
pub mod exit;
pub mod features;
pub mod markup;
pub mod oracle;
pub mod otpcheck;
pub mod outcome;

pub mod reference;
pub mod report;
pub mod runner;
pub mod secret_hash;
pub mod srp;
pub mod steps;
pub mod target;
pub mod totp;
pub mod vocabulary;
pub mod webdriver;
pub mod yaml;
