//! Blocking client pieces for token endpoints (feature `client`, std).
//!
//! The library core owns no socket, file or clock; this module is the
//! hardened IO around it, shared by the `jwtmint` CLI and Rust services:
//! - [`endpoint`]: the token URL, parsed with WHATWG rules (the `url` crate)
//!   and checked — `https://`, or `http://` to a loopback host decided from
//!   the parsed host; never userinfo.
//! - [`http`]: the blocking transport (ureq + rustls): POST the form body,
//!   no redirects (a 3xx is an error naming its `Location`), connect and
//!   whole-request timeouts named apart, a response body cap.
//! - [`redact`]: the one sanitiser for anything a server sent: bearer
//!   secrets redacted, control characters stripped, length bounded.
//! - [`store`]: the [`store::Store`] trait for shared token stores (load,
//!   save with expiry, a TTL lock for single flight across processes).
//! - [`file_store`]: the hardened cache file, a [`store::Store`].
//! - [`fleet`]: the fetch lock's TTL, renewal and the waiters' wake-ups.
//! - `sealed_store` (feature `seal`): `SealedStore`, any store with its
//!   records sealed at rest (AES-256-GCM, bound to the session identity).
//! - [`identity`]: store keys (domain-separated SHA-256, hex).
//! - [`source`]: [`TokenSource`], the thread-safe `get()` over the session
//!   core, the transport and an optional store (single flight across
//!   threads and processes); [`token`]: the [`Token`] it hands out.
//! - [`subjects`]: [`subjects::TokenSources`], one source per subject (a
//!   user to impersonate, a tenant) with bounded memory: capacity, LRU
//!   eviction, single flight per subject, partitioned locks.
//! - `redis_store` (feature `redis`): the Redis [`store::Store`] for fleets.
//! - `async_source` (feature `client-async`): `AsyncTokenSource` for tokio:
//!   the same `TokenSource` steps, sent with reqwest, waited on a `Notify`.
//! - `http_auth` (features `reqwest-middleware`, `tower`): the token in
//!   an HTTP client's pipeline — a reqwest-middleware `Middleware` and a
//!   tower `Layer` that add `Authorization` from an `AsyncTokenSource` and
//!   retry once after a 401 with a new token.
//! - [`error`]: [`ClientError`], the precise errors of all of the above.

/// A client handle that is cheap to clone: `pub struct $name<P, K>` holding
/// `inner: Arc<$inner<P, K>>` (a profile `P`, a key `K`), its `Clone` (the
/// `Arc`) and a `Debug` showing the given fields (`|this| "name": value`;
/// never a token or a subject). Written once for [`TokenSource`],
/// [`subjects::TokenSources`] and `AsyncTokenSource`.
macro_rules! shared_handle {
    (
        $(#[$doc:meta])*
        $name:ident($inner:ident), debug |$this:ident| { $($field:literal: $value:expr),* $(,)? }
    ) => {
        $(#[$doc])*
        pub struct $name<P, K>
        where
            P: ::core::ops::Deref<Target: $crate::profiles::Profile>,
            K: ::core::ops::Deref<Target: $crate::signer::JwsKey>,
        {
            inner: ::std::sync::Arc<$inner<P, K>>,
        }

        impl<P, K> Clone for $name<P, K>
        where
            P: ::core::ops::Deref<Target: $crate::profiles::Profile>,
            K: ::core::ops::Deref<Target: $crate::signer::JwsKey>,
        {
            fn clone(&self) -> Self {
                Self {
                    inner: ::std::sync::Arc::clone(&self.inner),
                }
            }
        }

        impl<P, K> ::core::fmt::Debug for $name<P, K>
        where
            P: ::core::ops::Deref<Target: $crate::profiles::Profile>,
            K: ::core::ops::Deref<Target: $crate::signer::JwsKey>,
        {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                let $this = self;
                f.debug_struct(stringify!($name))
                    $(.field($field, &$value))*
                    .finish_non_exhaustive()
            }
        }
    };
}

#[cfg(feature = "client-async")]
pub mod async_source;
pub mod endpoint;
pub mod error;
pub mod file_store;
pub mod fleet;
pub mod http;
#[cfg(any(feature = "reqwest-middleware", feature = "tower"))]
#[cfg_attr(
    docsrs,
    doc(cfg(any(feature = "reqwest-middleware", feature = "tower")))
)]
pub mod http_auth;
pub mod identity;
pub mod redact;
#[cfg(feature = "redis")]
pub mod redis_store;
#[cfg(feature = "seal")]
pub mod sealed_store;
pub mod source;
pub mod store;
pub mod subjects;
pub mod token;

pub use error::ClientError;
pub use source::{SourceStats, SourceWarning, TokenError, TokenSource};
pub use token::Token;
