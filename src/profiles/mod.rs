//! Provider profiles: name the provider and the library gets `aud`, lifetimes,
//! headers and the token request right.
//!
//! - [`Profile`] (`profile.rs`): the one trait — header template, claims for
//!   a given `now`, limits, token request, cache identity.
//! - [`mint()`] (`mint.rs`): the one mint path every caller uses (Rust API, C
//!   ABI, CLI); the profile picks the algorithm, the [`JwsKey`] makes the
//!   signer. No allocation on the encode path.
//! - [`TokenRequest`] (`request.rs`): method, URL, headers, body kind.
//! - The providers, each owning its configuration and stating its rules and
//!   their sources in its module docs: [`salesforce`], [`google`] (feature
//!   `alloc`: the key file holds a key), [`entra`], [`generic`] (RFC 7523).
//!
//! [`JwsKey`]: crate::signer::JwsKey

pub mod entra;
pub mod generic;
#[cfg(feature = "alloc")]
pub mod google;
mod mint;
mod profile;
mod request;
mod rules;
pub mod salesforce;
mod url;

pub use entra::{Entra, Thumbprint};
pub use generic::Rfc7523;
#[cfg(feature = "alloc")]
pub use google::{Google, ServiceAccount};
#[cfg(feature = "alloc")]
pub use mint::mint_string;
#[cfg(feature = "ffi")]
pub(crate) use mint::prepare;
pub use mint::{UUID_LEN, mint, mint_len, uuid_v4};
pub use profile::{Jti, Limits, Profile};
pub use request::{Body, MAX_PARAMS, Method, Params, TokenRequest};
pub use rules::FIELD_CAPACITY;
pub use salesforce::{Login, Salesforce};
