//! Provider profiles: name the provider and the library gets `aud`, lifetimes,
//! headers and the request body right. Each profile encodes its header once,
//! mints into a caller buffer like [`crate::mint`] (no allocation on the
//! encode path), and exposes its token endpoint and form body.
//!
//! Rules and their sources are in each module's docs (see also
//! `../shared/vectors/providers/` in the repository's test material).

pub mod entra;
pub mod generic;
#[cfg(feature = "alloc")]
pub mod google;
mod rules;
pub mod salesforce;
mod url;

pub use entra::{Entra, Thumbprint};
pub use generic::Rfc7523;
#[cfg(feature = "alloc")]
pub use google::{Google, ServiceAccount};
pub use salesforce::{Login, Salesforce};
