//! The cucumber `World` and step definitions, one module per domain concept (pool, user and
//! token, sign-in, protocol). Steps talk to the target over HTTP only, like any client; they
//! never reach into the reference endpoint. Secrets live in [`Redacted`] so that the World's
//! `Debug` (printed on failure) shows none of them.
//!
//! Owns: the step definitions; the World is in [`world`], what it keeps between steps in
//! `state`. Uses: [`crate::cognito`], [`crate::oracle`], [`crate::target`], [`crate::outcome`]
//! (what a call's answer means for the outcome), [`crate::report::snapshot`] (the response
//! model it records), [`crate::control`], [`crate::vocabulary`], [`crate::clock`].

mod devices;
mod email;
pub mod hosted_ui;
mod mfa;
mod plans;
mod pool;
mod protocol;
mod redacted;
mod sign_in;
mod srp;
mod state;
mod user_auth;
pub mod world;

pub use redacted::Redacted;
pub use world::{ConformanceWorld, Flow, LastAnswer, RunContext};

/// Every step definition of the suite, for checking features before a run.
#[must_use]
pub fn collection() -> cucumber::step::Collection<ConformanceWorld> {
    use cucumber::World as _;
    ConformanceWorld::collection()
}
