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
//! - `pkcs12` (feature `std`): `.p12`/`.pfx` — key and certificate from one
//!   file, `SigningKey::from_pkcs12`.
//!
//! Data flows one way: `jwk_object` <- `jwk`, `encrypted` <- `pkcs12`; all
//! of them <- `SigningKey` (in `keys::signing`).

#[cfg(feature = "std")]
mod encrypted;
mod jwk;
pub(crate) mod jwk_object;

use alloc::string::String;
use alloc::vec::Vec;

#[cfg(feature = "std")]
pub use encrypted::{MAX_PBKDF2_ITERATIONS, MAX_SCRYPT_MEMORY};
pub use jwk::PrivateJwk;

use crate::keys::SigningKey;

/// A key loaded from a container that carries more than the key: a JWK's
/// `kid`, a PKCS#12 file's certificate (for `x5t#S256`, see
/// [`crate::cert::CertThumbprints`]).
#[derive(Debug)]
#[non_exhaustive]
pub struct LoadedKey {
    /// The signing key.
    pub key: SigningKey,
    /// The key id (`kid` of a JWK; the PKCS#12 `friendlyName` is not used).
    pub kid: Option<String>,
    /// The DER X.509 certificate stored with the key (PKCS#12), if any.
    pub certificate_der: Option<Vec<u8>>,
}
