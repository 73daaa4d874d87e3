//! [`KeySigner`]: the [`JwsSigner`] a [`SigningKey`] makes for the
//! algorithm a profile (or caller) names, and the one way to get it:
//!
//! - [`SigningKey::signer`]`(alg)`: the safe default — RSA blinded with the
//!   OS RNG (with `std`; without `std` an RSA key refuses with `Rng` and
//!   needs one of the two below), ECDSA deterministic (RFC 6979), Ed25519,
//!   HMAC;
//! - [`SigningKey::signer_with_rng`]`(alg, rng)`: the caller's RNG blinds
//!   RSA, salts PSS and hedges ECDSA nonces (the `no_std` path);
//! - [`SigningKey::signer_unblinded`]`(alg)`: no randomness at all, named
//!   so — RSA PKCS#1 v1.5 unblinded (PS* refused: PSS needs a salt),
//!   ECDSA RFC 6979, for platforms with no RNG.

use rand_core::TryCryptoRng;

#[cfg(feature = "ecdsa")]
use super::ecdsa::EcdsaSigner;
#[cfg(feature = "eddsa")]
use super::eddsa::Ed25519Signer;
#[cfg(feature = "hmac")]
use super::hmac::HmacKey;
use super::no_rng::NoRng;
use super::rsa_signer::{RngSlot, RsaSigner};
use super::signing::{Inner, SigningKey};
use crate::alg::Algorithm;
use crate::error::{Error, Result};
use crate::signer::JwsSigner;

/// The RNG type of [`SigningKey::signer`]'s signer: the operating system's
/// (`getrandom::SysRng`) with `std`; [`NoRng`] without (where an RSA key
/// refuses `signer` and ECDSA stays deterministic).
#[cfg(feature = "std")]
pub type DefaultRng = getrandom::SysRng;
/// The RNG type of [`SigningKey::signer`]'s signer: the operating system's
/// (`getrandom::SysRng`) with `std`; [`NoRng`] without (where an RSA key
/// refuses `signer` and ECDSA stays deterministic).
#[cfg(not(feature = "std"))]
pub type DefaultRng = NoRng;

/// The signer a [`SigningKey`] makes: one variant per key family. `R` is
/// where RSA blinding, PSS salts and hedged ECDSA nonces come from.
#[non_exhaustive]
#[allow(clippy::large_enum_variant)] // the HMAC state stays inline: no heap per signer
pub enum KeySigner<'k, R: ?Sized = DefaultRng> {
    /// RS*/PS*.
    Rsa(RsaSigner<'k, R>),
    /// ES256/ES384/ES512: RFC 6979 nonces, hedged with the caller's RNG
    /// from [`SigningKey::signer_with_rng`].
    #[cfg(feature = "ecdsa")]
    Ecdsa(EcdsaSigner<'k, R>),
    /// EdDSA (Ed25519).
    #[cfg(feature = "eddsa")]
    Ed25519(Ed25519Signer<'k>),
    /// HS256/HS384/HS512 (the keyed state, owned).
    #[cfg(feature = "hmac")]
    Hmac(HmacKey),
    /// Through aws-lc (feature `aws-lc`): ECDSA (nonces from aws-lc's RNG,
    /// not RFC 6979), Ed25519 and HMAC.
    #[cfg(feature = "aws-lc")]
    AwsLc(super::backend::awslc::AwsLcSigner<'k>),
}

/// The inner signer's (redacted) `Debug`, without the variant name.
impl<R: ?Sized> core::fmt::Debug for KeySigner<'_, R> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Rsa(s) => s.fmt(f),
            #[cfg(feature = "ecdsa")]
            Self::Ecdsa(s) => s.fmt(f),
            #[cfg(feature = "eddsa")]
            Self::Ed25519(s) => s.fmt(f),
            #[cfg(feature = "hmac")]
            Self::Hmac(k) => k.fmt(f),
            #[cfg(feature = "aws-lc")]
            Self::AwsLc(s) => s.fmt(f),
        }
    }
}

impl SigningKey {
    /// A signer for `alg`, checked against the key's type now (not at sign
    /// time): an EC key cannot make an RS256 signer, an HMAC secret cannot
    /// make an asymmetric one, a P-256 key signs ES256 only. RSA is blinded
    /// (and PSS salted) with the operating system's RNG.
    ///
    /// ```
    /// # #[cfg(feature = "std")] {
    /// use jwtmint::{Algorithm, Error, SigningKey};
    /// use jwtmint::alg::KeyKind;
    /// let key = SigningKey::from_hmac_secret(&[7u8; 32])?;
    /// assert!(key.signer(Algorithm::Hs256).is_ok());
    /// assert_eq!(
    ///     key.signer(Algorithm::Rs256).unwrap_err(),
    ///     Error::KeyAlgorithmMismatch { key: KeyKind::Hmac, alg: Algorithm::Rs256 }
    /// );
    /// # }
    /// # Ok::<(), jwtmint::Error>(())
    /// ```
    ///
    /// # Errors
    /// `KeyAlgorithmMismatch`; `HmacKeyTooShort` (HS384/HS512 with a
    /// secret shorter than 48/64 bytes); without `std`, `Rng` for an RSA
    /// key (no OS RNG: use [`SigningKey::signer_with_rng`]).
    pub fn signer(&self, alg: Algorithm) -> Result<KeySigner<'_>> {
        #[cfg(feature = "std")]
        return self.make_signer(alg, RngSlot::Os);
        #[cfg(not(feature = "std"))]
        {
            if self.kind() == crate::alg::KeyKind::Rsa {
                return Err(Error::Rng);
            }
            self.make_signer(alg, RngSlot::None)
        }
    }

    /// A signer for `alg` whose randomness comes from `rng`: RSA blinding
    /// and PSS salts, hedged ECDSA nonces (RFC 6979 §3.6, still safe with a
    /// weak RNG); Ed25519 and HMAC draw none. The `no_std` path (firmware
    /// passes its hardware TRNG).
    ///
    /// # Errors
    /// As [`SigningKey::signer`], without `Rng`.
    pub fn signer_with_rng<'a, R: TryCryptoRng + ?Sized>(
        &'a self,
        alg: Algorithm,
        rng: &'a mut R,
    ) -> Result<KeySigner<'a, R>> {
        self.make_signer(alg, RngSlot::Borrowed(rng))
    }

    /// A signer for `alg` that draws **no randomness at all**, for
    /// platforms with no RNG: RSA PKCS#1 v1.5 without blinding (the
    /// private-key operation is constant-time, crypto-bigint, but not
    /// blinded; always the pure-Rust backend), ECDSA deterministic
    /// (RFC 6979), Ed25519, HMAC. Prefer [`SigningKey::signer_with_rng`]
    /// whenever an RNG exists.
    ///
    /// # Errors
    /// As [`SigningKey::signer`]; `Rng` for PS256/PS384/PS512 (a PSS salt
    /// is random).
    pub fn signer_unblinded(&self, alg: Algorithm) -> Result<KeySigner<'_, NoRng>> {
        if matches!(alg, Algorithm::Ps256 | Algorithm::Ps384 | Algorithm::Ps512) {
            super::kind::check(self.kind(), alg)?;
            return Err(Error::Rng);
        }
        self.make_signer(alg, RngSlot::None)
    }

    /// The one constructor behind the three.
    fn make_signer<'a, R: ?Sized>(
        &'a self,
        alg: Algorithm,
        rng: RngSlot<'a, R>,
    ) -> Result<KeySigner<'a, R>> {
        super::kind::check(self.kind(), alg)?;
        #[cfg(feature = "hmac")]
        if let Inner::Hmac(secret) = self.inner()
            && secret.len() < alg.hash_len()
        {
            return Err(Error::HmacKeyTooShort {
                len: secret.len(),
                min: alg.hash_len(),
            });
        }
        #[cfg(feature = "aws-lc")]
        if !matches!(rng, RngSlot::None)
            && let Some(s) = self.awslc().and_then(|k| k.signer(alg))
        {
            return s.map(KeySigner::AwsLc);
        }
        Ok(match self.inner() {
            Inner::Rsa { .. } => KeySigner::Rsa(RsaSigner::new(self, alg, rng)),
            #[cfg(feature = "ecdsa")]
            Inner::Ec(k) => KeySigner::Ecdsa(k.signer_opt(alg, rng.borrowed())?),
            #[cfg(feature = "eddsa")]
            Inner::Ed25519(k) => KeySigner::Ed25519(k.signer(alg)?),
            #[cfg(feature = "hmac")]
            Inner::Hmac(secret) => KeySigner::Hmac(HmacKey::new(alg, secret)?),
        })
    }
}

impl<R: TryCryptoRng + ?Sized> JwsSigner for KeySigner<'_, R> {
    fn algorithm(&self) -> Algorithm {
        match self {
            Self::Rsa(s) => s.algorithm(),
            #[cfg(feature = "ecdsa")]
            Self::Ecdsa(s) => s.algorithm(),
            #[cfg(feature = "eddsa")]
            Self::Ed25519(s) => s.algorithm(),
            #[cfg(feature = "hmac")]
            Self::Hmac(k) => k.algorithm(),
            #[cfg(feature = "aws-lc")]
            Self::AwsLc(s) => s.algorithm(),
        }
    }

    fn signature_len(&self) -> usize {
        match self {
            Self::Rsa(s) => s.signature_len(),
            #[cfg(feature = "ecdsa")]
            Self::Ecdsa(s) => s.signature_len(),
            #[cfg(feature = "eddsa")]
            Self::Ed25519(s) => s.signature_len(),
            #[cfg(feature = "hmac")]
            Self::Hmac(k) => k.algorithm().hash_len(),
            #[cfg(feature = "aws-lc")]
            Self::AwsLc(s) => s.signature_len(),
        }
    }

    fn sign(&mut self, signing_input: &[u8], signature: &mut [u8]) -> Result<usize> {
        match self {
            Self::Rsa(s) => s.sign(signing_input, signature),
            #[cfg(feature = "ecdsa")]
            Self::Ecdsa(s) => s.sign(signing_input, signature),
            #[cfg(feature = "eddsa")]
            Self::Ed25519(s) => s.sign(signing_input, signature),
            #[cfg(feature = "hmac")]
            Self::Hmac(k) => k.mac(signing_input, signature),
            #[cfg(feature = "aws-lc")]
            Self::AwsLc(s) => s.sign(signing_input, signature),
        }
    }
}
