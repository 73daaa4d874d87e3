//! RSA signing backends, chosen at compile time with a runtime override.
//!
//! - [`Backend::RustCrypto`]: the pure-Rust `rsa` crate (constant-time
//!   crypto-bigint), `no_std` + `alloc`, blinded with the caller's or the OS RNG.
//! - `Backend::AwsLc` (feature `aws-lc`): `aws-lc-rs`, about 6× faster
//!   RSA-2048 signing, for gateways. aws-lc always blinds and draws PSS salts
//!   from its own system RNG.
//!
//! With `aws-lc` compiled in it is the default ([`Backend::DEFAULT`]) for every
//! key parsed; [`super::signing::SigningKey::with_backend`] switches a key explicitly.
//! RS256 signatures are identical on both (PKCS#1 v1.5 is deterministic).
//! Encoding is shared: a backend only turns a signing input into signature bytes.

#[cfg(feature = "aws-lc")]
pub(crate) mod awslc;
pub(crate) mod rustcrypto;

#[cfg(feature = "aws-lc")]
use crate::alg::Algorithm;
#[cfg(feature = "aws-lc")]
use crate::error::Result;

/// Which implementation performs the RSA private-key operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Backend {
    /// The `rsa` crate (pure Rust, `no_std`).
    RustCrypto,
    /// `aws-lc-rs` (feature `aws-lc`).
    #[cfg(feature = "aws-lc")]
    AwsLc,
}

impl Backend {
    /// The backend new keys use: `AwsLc` when compiled in, else `RustCrypto`.
    #[cfg(feature = "aws-lc")]
    pub const DEFAULT: Backend = Backend::AwsLc;
    /// The backend new keys use: `AwsLc` when compiled in, else `RustCrypto`.
    #[cfg(not(feature = "aws-lc"))]
    pub const DEFAULT: Backend = Backend::RustCrypto;

    /// Every backend compiled into this build.
    pub const ALL: &'static [Backend] = &[
        Backend::RustCrypto,
        #[cfg(feature = "aws-lc")]
        Backend::AwsLc,
    ];
}

/// A private key held by a backend that blinds and salts with its own RNG.
/// (The `rsa` backend instead takes the caller's RNG per call: see
/// [`rustcrypto::sign`].)
#[cfg(feature = "aws-lc")]
pub(crate) trait SelfContainedRsa: Send + Sync {
    /// Signs `input` (hashing it) with `alg`; writes the modulus-sized signature.
    fn sign(&self, alg: Algorithm, input: &[u8], signature: &mut [u8]) -> Result<usize>;
}
