//! Key-file formats beyond plain PEM/DER, each a front end that normalises to
//! PKCS#8 DER (in a zeroizing buffer) and loads it with
//! [`SigningKey::from_pkcs8_der`](crate::keys::SigningKey::from_pkcs8_der):
//! one key parser, many containers.
//!
//! - `encrypted` (feature `std`): encrypted PKCS#8 with a passphrase —
//!   `SigningKey::from_pem_with_passphrase` / `from_der_with_passphrase`.
//! - `jwk`: private JWKs (RSA, EC, OKP, oct) — `SigningKey::from_jwk`,
//!   [`PrivateJwk`].
//! - `jwk_object`: the one JWK reader, shared with the public-key JWK parser.
//! - `loaded`: [`LoadedKey`], a key with what its container carried (kid,
//!   certificate).
//! - `pkcs12` (feature `std`): `.p12`/`.pfx` — key and certificate from one
//!   file, `SigningKey::from_pkcs12`.
//!
//! Data flows one way: `jwk_object` <- `jwk`, `loaded` <- `jwk`/`pkcs12`,
//! `encrypted` <- `pkcs12`; all of them <- `SigningKey` (in `keys::signing`).

#[cfg(feature = "std")]
mod encrypted;
mod jwk;
pub(crate) mod jwk_object;
mod loaded;
#[cfg(feature = "std")]
mod pkcs12;

#[cfg(feature = "std")]
#[cfg_attr(docsrs, doc(cfg(feature = "std")))]
pub use encrypted::{MAX_PBKDF2_ITERATIONS, MAX_SCRYPT_MEMORY};
#[cfg(feature = "std")]
#[cfg_attr(docsrs, doc(cfg(feature = "std")))]
pub use pkcs12::MAX_PKCS12_ITERATIONS;

pub use jwk::PrivateJwk;
pub use loaded::LoadedKey;
