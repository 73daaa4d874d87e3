//! RSA keys (feature `alloc`): signing, verification and the backends that do
//! the arithmetic. EC, EdDSA and HMAC keys join this family later.
//!
//! - `signing`: [`SigningKey`], a private key parsed once (PKCS#8, PKCS#1).
//! - `rsa_signer`: [`RsaSigner`], the [`JwsSigner`](crate::signer::JwsSigner)
//!   over a borrowed [`SigningKey`].
//! - `public`: [`PublicKey`] (SPKI, PKCS#1, X.509 certificate, JWK).
//! - `verify`: [`VerifyingKey`], signature verification of compact JWS/JWT
//!   with the algorithm pinned by the key.
//! - [`backend`]: which RSA implementation signs and verifies — [`Backend`].
//! - [`formats`]: encrypted PKCS#8, private JWKs, PKCS#12 — front ends
//!   that normalise to PKCS#8 DER and load it through [`SigningKey`].
//! - `pem`: the one PEM-block locator (what may surround BEGIN/END) shared by
//!   private keys, public keys and certificates; a leaf.
//!
//! Data flows one way: `backend` <- `signing` <- `rsa_signer`, and
//! `signing` <- `public` <- `verify`; `signing` <- `formats`
//! (`public` reads JWKs with `formats`' JWK reader).

pub mod backend;
pub mod formats;
#[cfg(feature = "std")]
mod jws_key;
pub(crate) mod pem;
mod public;
mod rsa_signer;
mod signing;
mod verify;

pub use backend::Backend;
pub use public::PublicKey;
pub use rsa_signer::{NoRandomness, NoRng, RsaSigner};
pub use signing::{MAX_RSA_BITS, MIN_RSA_BITS, SigningKey};
pub use verify::{VerifyingKey, algorithm_of};
