//! # jwtmint
//!
//! Mints OAuth 2.0 JWT bearer assertions (RFC 7523) — Salesforce JWT bearer
//! flow, Google service accounts, Microsoft Entra client assertions, any
//! RFC 7523 token endpoint — into caller buffers, with no heap allocation on
//! the encode path, from an RSA key parsed once.
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
//! let n = jwtmint::mint(&mut key.rs256(), &header, &claims, &mut out)?;
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
//! - [`signer`]: the [`JwsSigner`] seam and [`Algorithm`].
//! - [`jws`]: compact assembly — [`mint`], [`mint_len`], [`sign_raw`].
//! - [`form`]: RFC 7523 token-request bodies.
//! - `key` / `rsa_signer` (feature `alloc`): [`SigningKey`], [`RsaSigner`].
//! - [`json_view`]: borrowed JSON strings ([`json_view::JsonStr`]) and members.
//! - [`parse`]: zero-copy compact JWS/JWT parsing — [`Jws`], [`Jwt`], [`JwtClaims`].
//! - [`validate`]: claim policy — [`Validation`].
//! - [`token_response`]: token-endpoint responses — [`TokenResponse`].
//! - [`cache`]: fixed-capacity token cache / session manager — [`TokenCache`].
//! - [`verify`] / [`pubkey`] (feature `alloc`): [`VerifyingKey`], [`PublicKey`].
//! - [`profiles`]: Salesforce, Google service accounts, Microsoft Entra,
//!   generic RFC 7523 — provider rules enforced.
//! - [`cert`] (feature `alloc`): X.509 thumbprints (`x5t`, `x5t#S256`) and the
//!   certificate/key match check — [`CertThumbprints`].
//! - [`backend`] (feature `alloc`): which RSA implementation signs and verifies
//!   (`rsa`; `aws-lc-rs` with feature `aws-lc`) — [`Backend`].
//! - `ffi` (feature `ffi`): the C ABI behind `include/jwtmint.h`. The core never
//!   imports it; the `jwtmint` CLI lives in `src/bin/` (feature `cli`).
//!
//! ## Features
//! - `std` (default): OS RNG for blinding, `time::now()`. Implies `alloc`.
//! - `alloc`: RSA key parsing and signing (the RSA arithmetic needs a heap).
//! - none: the encoder (header, claims, Base64Url, assembly, form body), the
//!   parser, token responses and cache, and the [`JwsSigner`] seam for
//!   external signers, with no allocator at all.
//! - `aws-lc`: the aws-lc-rs backend (default when enabled). `ffi`: the C ABI.
//!   `cli`: the `jwtmint` command-line tool.
#![no_std]
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

#[cfg(feature = "alloc")]
pub mod backend;
pub mod base64url;
pub mod cache;
#[cfg(feature = "alloc")]
pub mod cert;
pub mod claims;
pub mod error;
#[cfg(feature = "ffi")]
pub mod ffi;
pub mod form;
pub mod header;
mod json;
pub mod json_check;
pub mod json_view;
pub mod jws;
#[cfg(feature = "alloc")]
mod key;
pub mod parse;
pub mod profiles;
#[cfg(feature = "alloc")]
pub mod pubkey;
#[cfg(feature = "alloc")]
mod rsa_signer;
pub mod signer;
mod sink;
pub mod time;
pub mod token_response;
pub mod validate;
#[cfg(feature = "alloc")]
pub mod verify;

#[cfg(feature = "alloc")]
pub use backend::Backend;
pub use cache::{TokenCache, TokenState};
#[cfg(feature = "alloc")]
pub use cert::CertThumbprints;
pub use claims::{Audience, ClaimValue, Claims, RawJson};
pub use error::{Error, JsonPart, Result};
pub use header::{HEADER_TEMPLATE_CAPACITY, Header, HeaderTemplate};
#[cfg(feature = "alloc")]
pub use jws::mint_string;
pub use jws::{
    mint, mint_heapless, mint_len, sign_raw, sign_raw_len, signing_input_len, write_signing_input,
};
#[cfg(feature = "alloc")]
pub use key::{MAX_RSA_BITS, MIN_RSA_BITS, SigningKey};
pub use parse::{JoseHeader, Jws, Jwt, JwtClaims};
#[cfg(feature = "alloc")]
pub use pubkey::PublicKey;
#[cfg(feature = "alloc")]
pub use rsa_signer::{NoRandomness, NoRng, RsaSigner};
pub use signer::{Algorithm, JwsSigner, MAX_SIGNATURE_LEN};
pub use token_response::TokenResponse;
pub use validate::Validation;
#[cfg(feature = "alloc")]
pub use verify::VerifyingKey;
