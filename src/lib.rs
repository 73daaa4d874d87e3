//! # jwtmint
//!
//! Mints OAuth 2.0 JWT bearer assertions (RFC 7523) — Salesforce JWT bearer
//! flow, Google service accounts, Microsoft Entra client assertions, any
//! RFC 7523 token endpoint — into caller buffers, with no heap allocation on
//! the encode path, from a key parsed once: RS256/384/512, PS256/384/512,
//! ES256/384/512, EdDSA, HS256/384/512.
//!
//! ```
//! # #[cfg(feature = "std")] {
//! use jwtmint::{Algorithm, Claims, Header, HeaderTemplate, SigningKey};
//!
//! // Parse once, at start-up. `SigningKey` is Send + Sync: share it.
//! let key = SigningKey::from_pem(include_str!("../examples/keys/demo-key.pem"))?;
//! // Encode the header once, too.
//! let header = HeaderTemplate::new(&Header::new(Algorithm::Rs256))?;
//!
//! let now = jwtmint::time::now()?;
//! let claims = Claims::new()
//!     .iss("3MVG9...consumer-key")
//!     .sub("integration@example.com")
//!     .aud("https://login.salesforce.com")
//!     .exp(now + 180);
//! let mut out = [0u8; 1024];
//! let n = jwtmint::mint(&mut key.signer(jwtmint::Algorithm::Rs256)?, &header, &claims, &mut out)?;
//! let assertion = core::str::from_utf8(&out[..n]).unwrap();
//! assert_eq!(assertion.split('.').count(), 3);
//!
//! let mut body = [0u8; 1200];
//! let m = jwtmint::form::grant_body(assertion, &[], &mut body)?;
//! assert!(body[..m].starts_with(b"grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion="));
//! # }
//! # Ok::<(), jwtmint::Error>(())
//! ```
//!
//! ## Map of the crate
//! - [`error`]: the one [`Error`] type.
//! - [`base64url`]: unpadded Base64Url into caller buffers.
//! - [`claims`]: [`Claims`], [`Audience`], [`ClaimValue`], [`RawJson`].
//! - [`header`]: [`Header`] and the pre-encoded [`HeaderTemplate`].
//! - [`time`]: NumericDate checks (seconds, never milliseconds), `now()` with `std`.
//! - [`alg`]: [`Algorithm`] and [`MAX_SIGNATURE_LEN`] (a leaf: imports nothing).
//! - [`signer`]: the [`JwsSigner`] seam (and `put_signature`, how every
//!   signer writes its signature into the caller's buffer).
//! - `setters` (crate-private): `setters!`, the `const fn` builder setters
//!   of [`Claims`], [`Header`] and [`Validation`].
//! - [`jws`]: compact assembly from a signer, a header and claims — [`mint`],
//!   [`mint_len`], `mint_string`, [`sign_raw`]. One name per job: these are
//!   the claims-level mints; a profile's assertion is [`mint_profile`]
//!   ([`mint_profile_len`], `mint_profile_string`).
//! - [`form`]: RFC 7523 token-request bodies.
//! - `json` (crate-private): the JSON writer, the strict validator and the
//!   borrowed views; [`JsonStr`] and the views are re-exported by [`parse`].
//! - [`parse`]: zero-copy compact JWS/JWT parsing — [`Jws`], [`Jwt`], [`JwtClaims`].
//! - [`validate`]: claim policy — [`Validation`].
//! - [`token_response`]: token-endpoint responses — [`TokenResponse`].
//! - `seal` (feature `seal`): AES-256-GCM sealing of stored session
//!   records, bound to the session identity — `seal::SealKey`.
//! - [`secret`]: [`secret::Secret`], where a password comes from (file,
//!   environment, closure), lent for one request build and wiped; and how
//!   `Debug` shows a secret (`<redacted, N bytes>`).
//! - [`session`]: the sans-IO token session (refresh-ahead, single flight,
//!   backoff, refresh tokens, records for shared stores) — [`session::Session`].
//! - [`keys`]: keys and what they do. With no allocator: `EcdsaKey`
//!   (ES256/384/512), `Ed25519Key` (EdDSA), `HmacKey` (HS256/384/512)
//!   and [`RustCryptoSigner`] (any `signature::Signer`). With `alloc`:
//!   [`SigningKey`] (every key type, sniffed), [`RsaSigner`], [`PublicKey`],
//!   [`VerifyingKey`]. Every key type is a [`JwsKey`] (with or without
//!   `std`) and makes its signer one way: `signer(alg)`,
//!   `signer_with_rng(alg, rng)`, `SigningKey::signer_unblinded(alg)`. And
//!   `keys::backend`: which implementation signs and
//!   verifies (`rsa`/RustCrypto; `aws-lc-rs` with feature `aws-lc`) —
//!   `Backend`; `keys::formats`: encrypted PKCS#8, private JWKs and
//!   PKCS#12, normalised to PKCS#8 — `LoadedKey`.
//! - [`profiles`]: Salesforce, Google service accounts, Microsoft Entra,
//!   GitHub Apps, Snowflake, DocuSign, Okta, Auth0, generic RFC 7523 —
//!   provider rules enforced, minted by [`mint_profile`]; [`profiles::Grants`] and
//!   [`profiles::Custom`] for password / refresh / previous-token IdPs.
//! - [`cert`] (feature `alloc`): the public path of [`CertThumbprints`]
//!   (X.509 thumbprints `x5t` / `x5t#S256` and the certificate/key match
//!   check, for every key type), read by `keys::x509`, the one X.509 reader.
//!
//! Modules reach each other through the owning module (`crate::keys::…`,
//! `crate::json::…`), never through these root re-exports, and no two files
//! import each other (`scripts/check-cycles.py`).
//! - `client` (feature `client`): the blocking IO around the core — the
//!   checked token URL, the transport (no redirects, timeouts, body cap),
//!   redaction of server text, the shared-store trait and the cache file;
//!   `client::http_auth` (features `reqwest-middleware`, `tower`): the
//!   token in a reqwest-middleware or tower client, one retry after a 401.
//! - `ffi` (feature `ffi`): the C ABI behind `include/jwtmint.h`. The core never
//!   imports it; the `jwtmint` CLI is its own crate, `cli/` (`jwtmint-cli`).
//!
//! ## Features
//! Every feature below is built on docs.rs, and gated items carry a badge
//! naming the feature they need.
//! - none: the encoder (header, claims, Base64Url, assembly, form body), the
//!   parser, token responses, the sans-IO [`session`], and the
//!   [`JwsSigner`] seam for external signers, with no allocator at all.
//! - `std` (default): OS RNG for blinding, `time::now()`, encrypted PKCS#8
//!   and PKCS#12 key files. Implies `alloc`.
//! - `alloc`: [`SigningKey`], [`PublicKey`], [`VerifyingKey`], RSA key
//!   parsing and signing (the RSA arithmetic needs a heap), [`cert`].
//! - `es256`, `es384`, `es512`, `eddsa`, `hmac` (default): ES256/384/512,
//!   EdDSA, HS256/384/512, each with no allocator. Firmware enables only
//!   what it signs with (an RSA-only build links none of them).
//! - `aws-lc`: the aws-lc-rs backend (default when enabled; std, a C
//!   compiler). Implies every algorithm feature.
//! - `ffi`: the C ABI behind `include/jwtmint.h` (module `ffi`); the C
//!   libraries come from `scripts/build-c.sh`. Implies every algorithm
//!   feature. `ffi-testing`: a test-only hook for the C tests, no API.
//! - `seal`: AES-256-GCM sealed session records for stores (`seal`).
//! - `client`: the blocking IO around the core (module `client`): the
//!   checked token URL, the transport (ureq + rustls, no redirects, timeouts,
//!   body cap), `TokenSource`, redaction of server text, the shared-store
//!   trait and the hardened cache file. Implies `std`.
//! - `client-async`: `client::async_source::AsyncTokenSource` for tokio
//!   services over reqwest (rustls, no redirects). Implies `client`.
//! - `tracing`: spans and events (target `jwtmint::source`) for the token
//!   sources' fetches (grant, outcome, HTTP status, latency, error code) and
//!   store steps (hit, miss, lock waits, saves); never a secret in a field.
//!   Implies `client`.
//! - `redis`: `client::redis_store::RedisStore`, one token shared by a fleet
//!   (TTL'd record, `SET NX PX` fetch lock, `rediss://`). Implies `client`.
//! - `config`: named logins (`config`): the CLI's TOML config file read
//!   from Rust, `TokenSource::from_config("name")`. Implies `client`.
//! - `reqwest-middleware`, `tower`: `client::http_auth`'s middleware and
//!   layer (each implies `client-async`).
#![no_std]
// docs.rs (`--cfg docsrs`, nightly): badges naming the feature a gated item needs.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![deny(unsafe_code)]
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[cfg(feature = "alloc")]
extern crate alloc;
#[cfg(any(feature = "std", test))]
extern crate std;

pub mod alg;
pub mod base64url;
mod cache;
#[cfg(feature = "alloc")]
#[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
pub mod cert;
pub mod claims;
#[cfg(feature = "client")]
#[cfg_attr(docsrs, doc(cfg(feature = "client")))]
pub mod client;
#[cfg(feature = "config")]
#[cfg_attr(docsrs, doc(cfg(feature = "config")))]
pub mod config;
pub mod error;
#[cfg(feature = "ffi")]
#[cfg_attr(docsrs, doc(cfg(feature = "ffi")))]
pub mod ffi;
pub mod form;
pub mod header;
mod json;
pub mod jws;
pub mod keys;
pub mod parse;
pub mod profiles;
#[cfg(feature = "seal")]
#[cfg_attr(docsrs, doc(cfg(feature = "seal")))]
pub mod seal;
pub mod secret;
pub mod session;
mod setters;
pub mod signer;
mod sink;
pub mod time;
pub mod token_response;
pub mod validate;

pub use alg::{Algorithm, KeyKind, MAX_SIGNATURE_LEN};
pub use claims::{Audience, ClaimValue, Claims, RawJson};
pub use error::{Error, JsonPart, Result};
pub use header::{HEADER_TEMPLATE_CAPACITY, Header, HeaderTemplate};
pub use json::JsonStr;
#[cfg(feature = "alloc")]
#[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
pub use jws::mint_string;
pub use jws::{
    mint, mint_heapless, mint_len, sign_raw, sign_raw_len, signing_input_len, write_signing_input,
};
// The key types, each behind its feature (`keys::root` lists them).
pub use keys::root::*;
pub use parse::{JoseHeader, Jws, Jwt, JwtClaims};
#[cfg(feature = "alloc")]
pub use profiles::mint_profile_string;
pub use profiles::{mint_profile, mint_profile_len};
pub use signer::{JwsKey, JwsSigner};
pub use token_response::TokenResponse;
pub use validate::Validation;

/// The README and the guides in `docs/`: every Rust snippet in them is
/// compiled (and, unless `no_run`, run) as a doctest.
#[cfg(doctest)]
mod guides {
    #[doc = include_str!("../README.md")]
    struct Readme;
    #[doc = include_str!("../docs/KEYS.md")]
    struct Keys;
    #[doc = include_str!("../docs/PROVIDERS.md")]
    struct Providers;
    #[doc = include_str!("../docs/SESSION.md")]
    struct Session;
    #[doc = include_str!("../docs/VERIFY.md")]
    struct Verify;
    #[doc = include_str!("../docs/CLI.md")]
    struct Cli;
    #[doc = include_str!("../docs/C-API.md")]
    struct CApi;
}
