//! [`KeySigner`]: the [`JwsSigner`] a [`SigningKey`] makes for the
//! algorithm a profile (or caller) names — RSA blinded with the OS RNG,
//! ECDSA deterministic (RFC 6979), Ed25519, HMAC.

#[cfg(feature = "ecdsa")]
use super::ecdsa::EcdsaSigner;
#[cfg(feature = "eddsa")]
use super::eddsa::Ed25519Signer;
#[cfg(feature = "hmac")]
use super::hmac::HmacKey;
#[cfg(feature = "ecdsa")]
use super::no_rng::NoRng;
use super::rsa_signer::RsaSigner;
use super::signing::{Inner, SigningKey};
use crate::alg::Algorithm;
use crate::error::Result;
use crate::signer::JwsSigner;

/// The signer [`SigningKey::signer`] makes: one variant per key family.
#[derive(Debug)]
#[non_exhaustive]
#[allow(clippy::large_enum_variant)] // the HMAC state stays inline: no heap per signer
pub enum KeySigner<'k> {
    /// RS*/PS*, blinded with the OS RNG.
    Rsa(RsaSigner<'k, getrandom::SysRng>),
    /// ES256/ES384/ES512, deterministic nonces (RFC 6979).
    #[cfg(feature = "ecdsa")]
    Ecdsa(EcdsaSigner<'k, NoRng>),
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

impl SigningKey {
    /// A signer for `alg`, checked against the key's type now (not at sign
    /// time): an EC key cannot make an RS256 signer, an HMAC secret cannot
    /// make an asymmetric one, a P-256 key signs ES256 only.
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
    /// secret shorter than 48/64 bytes).
    pub fn signer(&self, alg: Algorithm) -> Result<KeySigner<'_>> {
        super::kind::check(self.kind(), alg)?;
        #[cfg(feature = "hmac")]
        if let Inner::Hmac(secret) = self.inner()
            && secret.len() < alg.hash_len()
        {
            return Err(crate::error::Error::HmacKeyTooShort {
                len: secret.len(),
                min: alg.hash_len(),
            });
        }
        #[cfg(feature = "aws-lc")]
        if let Some(s) = self.awslc().and_then(|k| k.signer(alg)) {
            return s.map(KeySigner::AwsLc);
        }
        Ok(match self.inner() {
            Inner::Rsa { .. } => KeySigner::Rsa(self.rsa_signer(alg)?),
            #[cfg(feature = "ecdsa")]
            Inner::Ec(k) => KeySigner::Ecdsa(k.signer_for(alg)?),
            #[cfg(feature = "eddsa")]
            Inner::Ed25519(k) => KeySigner::Ed25519(k.signer_for(alg)?),
            #[cfg(feature = "hmac")]
            Inner::Hmac(secret) => KeySigner::Hmac(HmacKey::new(alg, secret)?),
        })
    }
}

impl JwsSigner for KeySigner<'_> {
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
