//! Keys and what they do: signing, verification and the backends that do
//! the arithmetic.
//!
//! With no allocator (each behind its feature, all default):
//! - `ecdsa` (`es256`, `es384`, `es512`): `EcdsaKey` / `EcdsaSigner` —
//!   ES256/ES384/ES512, `r || s`, RFC 6979 nonces (optionally hedged).
//! - `eddsa` (`eddsa`): `Ed25519Key` / `Ed25519Signer` — EdDSA (RFC 8037).
//! - `hmac` (`hmac`): `HmacKey` / `HmacSigner` — HS256/HS384/HS512.
//! - `external`: [`RustCryptoSigner`], any `signature::Signer` (a RustCrypto
//!   key, an HSM, a KMS client) as a [`JwsSigner`](crate::signer::JwsSigner).
//! - `no_rng`: [`NoRng`], the RNG type of signers that never draw randomness.
//! - `kind`: the key-type/algorithm agreement check; `oid`: key-type OIDs.
//!
//! With `alloc` (RSA arithmetic needs a heap):
//! - `signing`: [`SigningKey`], any private key parsed once (PKCS#8, PKCS#1,
//!   SEC1, HMAC secret), type sniffed by label and OID.
//! - `rsa_signer`: [`RsaSigner`]; `key_signer` (`std`): [`KeySigner`], the
//!   signer a [`SigningKey`] makes for an algorithm (`jws_key`: as a
//!   [`JwsKey`](crate::signer::JwsKey)).
//! - `public`: [`PublicKey`] (SPKI, PKCS#1, X.509 certificate, JWK: RSA, EC,
//!   OKP, oct).
//! - [`x509`]: [`CertThumbprints`], the one X.509 reader: `x5t` /
//!   `x5t#S256` and the certificate/key match check for every key type (the
//!   subject key comes from `public`; `crate::cert` re-exports it).
//! - `verify`: [`VerifyingKey`], signature verification of compact JWS/JWT
//!   with the algorithm and key type pinned by the verifier.
//! - [`backend`]: which implementation signs and verifies — [`Backend`].
//! - [`formats`] (`alloc`): encrypted PKCS#8, private JWKs, PKCS#12 — front
//!   ends that normalise to PKCS#8 DER and load it through [`SigningKey`].
//! - `pem`: the one PEM-block locator (what may surround BEGIN/END) shared by
//!   private keys, public keys and certificates; a leaf.
//!
//! Data flows one way: `backend` <- `signing` <- `rsa_signer`/`key_signer`,
//! and `signing` <- `public` <- `verify`, `public` <- `x509` <- `formats`
//! (PKCS#12 certificates); the no-allocator signers import
//! only `kind`, `oid` and `no_rng`; `signing` <- `formats` (`public` reads
//! JWKs with `formats`' JWK reader).

/// `Debug` for a key type: its name and only the public facts listed
/// (`SigningKey { bits: 2048, .. }`), never key material.
#[allow(unused_macros)] // a build with no key feature has no key type
macro_rules! debug_public {
    ($t:ident $(, $field:literal => $value:expr)*) => {
        impl core::fmt::Debug for $t {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.debug_struct(stringify!($t))
                    $(.field($field, &($value)(self)))*
                    .finish_non_exhaustive()
            }
        }
    };
}

/// The modules every key type uses (`fingerprint`, `kind`), compiled when
/// there is a key type (`alloc` brings RSA): one `cfg` for the group.
macro_rules! with_a_key_type {
    ($($item:item)*) => {
        $(
            #[cfg(any(feature = "alloc", feature = "ecdsa", feature = "eddsa", feature = "hmac"))]
            $item
        )*
    };
}

with_a_key_type! {
    mod fingerprint;
    mod kind;
}

#[cfg(feature = "alloc")]
#[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
pub mod backend;
#[cfg(feature = "ecdsa")]
mod ecdsa;
#[cfg(feature = "eddsa")]
mod eddsa;
mod external;
#[cfg(feature = "alloc")]
#[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
pub mod formats;
#[cfg(feature = "hmac")]
mod hmac;
#[cfg(feature = "alloc")]
mod jws_key;
#[cfg(feature = "alloc")]
mod key_signer;
mod no_rng;
#[cfg(any(feature = "alloc", feature = "ecdsa", feature = "eddsa"))]
mod oid;
#[cfg(feature = "alloc")]
pub(crate) mod pem;
#[cfg(feature = "alloc")]
mod public;
#[cfg(feature = "alloc")]
mod rsa_signer;
#[cfg(feature = "alloc")]
mod signing;
#[cfg(feature = "alloc")]
mod verify;
#[cfg(feature = "alloc")]
pub mod x509;

pub use external::RandomizedRustCryptoSigner;
#[cfg(feature = "alloc")]
#[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
pub use jws_key::{Unblinded, WithRng, WithRngSigner};
pub use root::*;
#[cfg(feature = "alloc")]
#[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
pub use {key_signer::DefaultRng, signing::MIN_HMAC_SECRET_LEN, verify::algorithm_of};

/// The key types the crate root re-exports as well (`jwtmint::SigningKey`),
/// each behind its feature: one list, taken whole here and by `lib.rs`.
pub(crate) mod root {
    #[cfg(feature = "ecdsa")]
    #[cfg_attr(
        docsrs,
        doc(cfg(any(feature = "es256", feature = "es384", feature = "es512")))
    )]
    pub use super::ecdsa::{EcdsaKey, EcdsaSigner};
    #[cfg(feature = "eddsa")]
    #[cfg_attr(docsrs, doc(cfg(feature = "eddsa")))]
    pub use super::eddsa::{Ed25519Key, Ed25519Signer};
    pub use super::external::RustCryptoSigner;
    #[cfg(feature = "hmac")]
    #[cfg_attr(docsrs, doc(cfg(feature = "hmac")))]
    pub use super::hmac::{HmacKey, HmacSigner};
    pub use super::no_rng::{NoRandomness, NoRng};
    #[cfg(feature = "alloc")]
    #[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
    pub use super::{
        backend::Backend,
        key_signer::KeySigner,
        public::PublicKey,
        rsa_signer::RsaSigner,
        signing::{MAX_RSA_BITS, MIN_RSA_BITS, SigningKey},
        verify::VerifyingKey,
        x509::CertThumbprints,
    };
}
