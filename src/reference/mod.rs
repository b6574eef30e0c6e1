//! The reference endpoint (`mfaspec serve`): an in-process Cognito-compatible server that
//! behaves as `docs/behaviour.md` says AWS does. It shares only the TOTP core, SRP, the clock
//! and the vocabulary with the harness; the harness talks to it over HTTP like any other
//! target.
//!
//! Two wings over one floor (see `docs/architecture.md`):
//! - `http` knows axum and nothing else does; `endpoint` holds the state's lock and
//!   answers a request of either wing.
//! - `api/`: the AWS JSON operations, one row each in its table; `hosted/`: the hosted UI.
//!   Neither imports the other.
//! - The floor both wings stand on: the sign-in rules (`signin`), sessions (`session`), the
//!   handler context and lookups (`context`), the wire (`wire`), tokens (`tokens`) and the
//!   store (`store`), which imports nothing of the endpoint.

mod api;
mod context;
pub mod cors;
pub(crate) mod defect;
mod endpoint;
pub mod faults;
pub mod fixture;
pub mod hosted;
mod http;
pub mod seed;
mod session;
mod signin;
mod state;
mod store;
pub mod tls;
mod tokens;
pub mod wire;

pub use defect::Defect;
pub use endpoint::{Endpoint, Options, RequestMeta, StartError};
pub use http::{BODY_READ_TIMEOUT, Running, router, serve};
pub use state::{SCHEMA_VERSION, StateError};

pub use crate::secret_hash::secret_hash;
