//! Signature verification of compact JWS/JWT (feature `alloc`: the RSA
//! arithmetic needs a heap).
//!
//! The algorithm **and the key type** are pinned by the [`VerifyingKey`]:
//! built for one algorithm (or an explicit list) that its key's type can
//! check, it refuses every token whose `alg` is anything else — so a token's
//! `alg` never chooses how the key is used (an RSA or EC public key can
//! never become an HMAC secret, RS/PS/ES/EdDSA/HS confusion is impossible).
//! Always refused: `alg: none` in any letter case, unknown `alg`s, and any
//! `crit` header (jwtmint implements no JWS extension). The signature must
//! be exactly the expected length: the modulus length (RFC 8017 §8.2.2
//! step 1), `2 ×` the field size for ES*, 64 for EdDSA, the hash length for
//! HS*.
//!
//! PKCS#1 v1.5 verification is `rsa`'s: it re-encodes `DigestInfo` and
//! compares, so a `DigestInfo` without the `NULL` parameters (Wycheproof's
//! "acceptable" `MissingNull` case) is **refused**. PS* use MGF1 with the
//! same hash and a salt of exactly the hash length (RFC 7518 §3.5). ES*
//! take only the fixed `r || s` form (never DER). EdDSA is
//! `verify_strict` (non-canonical `S`, small-order keys and points
//! refused). HS* compare MACs in constant time.
//!
//! ```
//! use jwtmint::{Algorithm, Claims, Header, HeaderTemplate, PublicKey, SigningKey, VerifyingKey};
//! use jwtmint::validate::Validation;
//! let sk = SigningKey::from_pem(include_str!("../../examples/keys/demo-key.pem"))?;
//! let tpl = HeaderTemplate::new(&Header::new(Algorithm::Rs256))?;
//! let mut tok = [0u8; 1024];
//! let n = jwtmint::mint(&mut sk.signer_unblinded(jwtmint::Algorithm::Rs256)?, &tpl, &Claims::new().sub("a").exp(100), &mut tok)?;
//!
//! let vk = VerifyingKey::new(PublicKey::from(&sk), Algorithm::Rs256);
//! let mut buf = [0u8; 1024];
//! // Signature, `exp` (required) and the policy, at `now` = 50.
//! let jwt = vk.verify(&tok[..n], &mut buf, &Validation::new().subject("a"), 50)?;
//! assert_eq!(jwt.claims.exp, Some(100));
//! assert_eq!(
//!     vk.verify(&tok[..n], &mut buf, &Validation::new(), 100).unwrap_err(),
//!     jwtmint::Error::Expired { exp: 100, now: 100 }
//! );
//! // Signature only: the claims are parsed but not checked (expired here).
//! let jwt = vk.verify_signature_only(&tok[..n], &mut buf)?;
//! assert_eq!(jwt.claims.exp, Some(100));
//! # Ok::<(), jwtmint::Error>(())
//! ```

use rsa::{Pkcs1v15Sign, RsaPublicKey, pss::Pss};
use sha2::digest::{FixedOutputReset, const_oid::AssociatedOid};
use sha2::{Digest, Sha256, Sha384, Sha512};
#[cfg(feature = "ecdsa")]
use signature::Verifier;

#[cfg(feature = "hmac")]
use super::hmac::HmacKey;
use super::public::{Public, PublicKey};
use crate::alg::Algorithm;
use crate::error::{Error, Result};
use crate::json::view::JsonStr;
use crate::parse::{self, Jws, Jwt};
use crate::validate::Validation;

/// Maps a header `alg` to an algorithm jwtmint verifies (case-sensitive).
///
/// # Errors
/// `AlgorithmNone` (`none` in any case), `UnsupportedAlgorithm` (anything but
/// exactly one of the 13 names of [`Algorithm::as_str`]).
pub fn algorithm_of(alg: &JsonStr<'_>) -> Result<Algorithm> {
    if let Some(a) = Algorithm::ALL.into_iter().find(|a| alg.eq_str(a.as_str())) {
        return Ok(a);
    }
    let mut c = alg.chars();
    let is_none = c
        .by_ref()
        .take(4)
        .map(|c| c.to_ascii_lowercase())
        .eq("none".chars())
        && c.next().is_none();
    if is_none {
        Err(Error::AlgorithmNone)
    } else {
        Err(Error::UnsupportedAlgorithm)
    }
}

/// Bit of `alg` in [`VerifyingKey`]'s allowed set.
fn bit(alg: Algorithm) -> u16 {
    Algorithm::ALL
        .iter()
        .position(|a| *a == alg)
        .map_or(0, |i| 1u16 << i)
}

/// A verification key pinned to the algorithms it may verify, all of which
/// its key type can check.
#[derive(Clone, Debug)]
pub struct VerifyingKey {
    key: PublicKey,
    allowed: u16,
    /// aws-lc's copy of the key when that backend verifies (feature `aws-lc`).
    #[cfg(feature = "aws-lc")]
    awslc: Option<super::backend::awslc::AwsLcVerifier>,
}

impl VerifyingKey {
    /// A key that verifies `alg` only. If the key's type cannot check `alg`
    /// (an EC key for RS256, an HMAC secret for ES256), it verifies nothing:
    /// every token is refused with `AlgorithmNotAllowed`. Use
    /// [`VerifyingKey::try_new`] to get `KeyAlgorithmMismatch` up front.
    pub fn new(key: PublicKey, alg: Algorithm) -> Self {
        Self::with_algorithms(key, &[alg])
    }

    /// A key that verifies any of `algs` its type can check (an empty list
    /// verifies nothing); the others are dropped, as in [`VerifyingKey::new`].
    pub fn with_algorithms(key: PublicKey, algs: &[Algorithm]) -> Self {
        let kind = key.kind();
        let allowed = algs
            .iter()
            .filter(|a| a.key_kind() == kind)
            .fold(0, |m, a| m | bit(*a));
        let vk = Self {
            key,
            allowed,
            #[cfg(feature = "aws-lc")]
            awslc: None,
        };
        vk.with_backend(super::backend::Backend::DEFAULT)
    }

    /// A key that verifies exactly `algs`, refusing any its type cannot check.
    ///
    /// # Errors
    /// `KeyAlgorithmMismatch` for the first algorithm the key cannot check.
    pub fn try_new(key: PublicKey, algs: &[Algorithm]) -> Result<Self> {
        for &alg in algs {
            super::kind::check(key.kind(), alg)?;
        }
        Ok(Self::with_algorithms(key, algs))
    }

    /// Moves verification to `backend` (`AwsLc` is the default when compiled
    /// in; if aws-lc refuses the key, the pure-Rust backend keeps verifying).
    #[must_use]
    pub fn with_backend(self, backend: super::backend::Backend) -> Self {
        match backend {
            super::backend::Backend::RustCrypto => {
                #[cfg(feature = "aws-lc")]
                {
                    Self {
                        awslc: None,
                        ..self
                    }
                }
                #[cfg(not(feature = "aws-lc"))]
                self
            }
            #[cfg(feature = "aws-lc")]
            super::backend::Backend::AwsLc => {
                let algs: alloc::vec::Vec<Algorithm> = Algorithm::ALL
                    .into_iter()
                    .filter(|a| self.allows(*a))
                    .collect();
                let awslc = self
                    .key
                    .backend_bytes()
                    .and_then(|public| super::backend::awslc::AwsLcVerifier::new(&public, &algs));
                Self { awslc, ..self }
            }
        }
    }

    /// The backend that checks signatures.
    pub const fn backend(&self) -> super::backend::Backend {
        #[cfg(feature = "aws-lc")]
        if self.awslc.is_some() {
            return super::backend::Backend::AwsLc;
        }
        super::backend::Backend::RustCrypto
    }

    /// The public key.
    pub const fn public_key(&self) -> &PublicKey {
        &self.key
    }

    /// Whether this key verifies `alg`.
    pub fn allows(&self, alg: Algorithm) -> bool {
        self.allowed & bit(alg) != 0
    }

    /// Verifies a raw signature over `signing_input` with `alg`.
    ///
    /// # Errors
    /// `AlgorithmNotAllowed`, `SignatureLengthMismatch`, `InvalidSignature`,
    /// `HmacKeyTooShort` (HS384/HS512 with a secret under 48/64 bytes).
    pub fn verify_signature(
        &self,
        alg: Algorithm,
        signing_input: &[u8],
        signature: &[u8],
    ) -> Result<()> {
        if !self.allows(alg) {
            return Err(Error::AlgorithmNotAllowed { alg });
        }
        let expected = alg
            .fixed_signature_len()
            .unwrap_or_else(|| self.key.signature_len());
        if signature.len() != expected {
            return Err(Error::SignatureLengthMismatch {
                expected,
                actual: signature.len(),
            });
        }
        // A secret too short for this HS* is refused before any MAC.
        #[cfg(feature = "hmac")]
        if let Public::Hmac(secret) = self.key.inner()
            && secret.len() < alg.hash_len()
        {
            return Err(Error::HmacKeyTooShort {
                len: secret.len(),
                min: alg.hash_len(),
            });
        }
        #[cfg(feature = "aws-lc")]
        if let Some(v) = &self.awslc {
            return match v.verify(alg, signing_input, signature) {
                None => Err(Error::AlgorithmNotAllowed { alg }),
                Some(true) => Ok(()),
                Some(false) => Err(Error::InvalidSignature),
            };
        }
        if verify_rust(self.key.inner(), alg, signing_input, signature) {
            Ok(())
        } else {
            Err(Error::InvalidSignature)
        }
    }

    /// Parses and verifies a compact JWS with any payload (e.g. RFC 7520's
    /// text payload). `buf` must hold [`parse::buffer_len`] bytes.
    ///
    /// # Errors
    /// Parse errors, `AlgorithmNone`, `UnsupportedAlgorithm`,
    /// `AlgorithmNotAllowed`, `CriticalHeader`, `SignatureLengthMismatch`,
    /// `InvalidSignature`.
    pub fn verify_jws<'a>(&self, token: &'a [u8], buf: &'a mut [u8]) -> Result<Jws<'a>> {
        let jws = parse::parse_jws(token, buf)?;
        if jws.header.has_crit {
            return Err(Error::CriticalHeader);
        }
        let alg = algorithm_of(&jws.header.alg)?;
        if !self.allows(alg) {
            return Err(Error::AlgorithmNotAllowed { alg });
        }
        self.verify_signature(alg, jws.signing_input, jws.signature)?;
        Ok(jws)
    }

    /// Verifies a compact JWT's signature and parses its claims **without
    /// checking them**: an expired token, or one without `exp`, passes. Use
    /// [`VerifyingKey::verify`] unless you check the claims yourself.
    ///
    /// # Errors
    /// As [`VerifyingKey::verify_jws`], plus claims parse errors.
    pub fn verify_signature_only<'a>(&self, token: &'a [u8], buf: &'a mut [u8]) -> Result<Jwt<'a>> {
        let jws = self.verify_jws(token, buf)?;
        parse::jwt_from_jws(jws)
    }

    /// Verifies a compact JWT: the signature, then its claims against
    /// `policy` at `now` (seconds since 1970). `exp` is required and checked
    /// unless the policy explicitly opts out
    /// ([`Validation::allow_missing_exp`]`(true)`); [`Validation::new`] is the
    /// minimal safe policy.
    ///
    /// # Errors
    /// As [`VerifyingKey::verify_signature_only`], plus
    /// [`Validation::validate`] errors (`MissingClaim { claim: "exp" }`,
    /// `Expired`, `TimestampInMilliseconds`, ...).
    pub fn verify<'a>(
        &self,
        token: &'a [u8],
        buf: &'a mut [u8],
        policy: &Validation<'_>,
        now: i64,
    ) -> Result<Jwt<'a>> {
        let jwt = self.verify_signature_only(token, buf)?;
        policy.validate(&jwt.claims, now)?;
        Ok(jwt)
    }
}

/// RSASSA-PKCS1-v1_5 with the hash `D`.
fn rsa_pkcs1v15<D: Digest + AssociatedOid>(
    key: &RsaPublicKey,
    input: &[u8],
    signature: &[u8],
) -> bool {
    key.verify(Pkcs1v15Sign::new::<D>(), &D::digest(input), signature)
        .is_ok()
}

/// RSASSA-PSS with the hash `D` (MGF1 with `D`, a salt of `D`'s length).
fn rsa_pss<D: Digest + FixedOutputReset>(
    key: &RsaPublicKey,
    input: &[u8],
    signature: &[u8],
) -> bool {
    key.verify(Pss::<D>::new(), &D::digest(input), signature)
        .is_ok()
}

/// The pure-Rust check of `signature` (already length-checked) with `alg`
/// (already checked against the key type).
fn verify_rust(key: &Public, alg: Algorithm, input: &[u8], signature: &[u8]) -> bool {
    match (key, alg) {
        (Public::Rsa { key, .. }, Algorithm::Rs256) => {
            rsa_pkcs1v15::<Sha256>(key, input, signature)
        }
        (Public::Rsa { key, .. }, Algorithm::Rs384) => {
            rsa_pkcs1v15::<Sha384>(key, input, signature)
        }
        (Public::Rsa { key, .. }, Algorithm::Rs512) => {
            rsa_pkcs1v15::<Sha512>(key, input, signature)
        }
        (Public::Rsa { key, .. }, Algorithm::Ps256) => rsa_pss::<Sha256>(key, input, signature),
        (Public::Rsa { key, .. }, Algorithm::Ps384) => rsa_pss::<Sha384>(key, input, signature),
        (Public::Rsa { key, .. }, Algorithm::Ps512) => rsa_pss::<Sha512>(key, input, signature),
        #[cfg(feature = "es256")]
        (Public::P256(k), Algorithm::Es256) => {
            p256::ecdsa::Signature::from_slice(signature).is_ok_and(|s| k.verify(input, &s).is_ok())
        }
        #[cfg(feature = "es384")]
        (Public::P384(k), Algorithm::Es384) => {
            p384::ecdsa::Signature::from_slice(signature).is_ok_and(|s| k.verify(input, &s).is_ok())
        }
        #[cfg(feature = "es512")]
        (Public::P521(k), Algorithm::Es512) => {
            p521::ecdsa::Signature::from_slice(signature).is_ok_and(|s| k.verify(input, &s).is_ok())
        }
        #[cfg(feature = "eddsa")]
        (Public::Ed25519(k), Algorithm::EdDsa) => ed25519_dalek::Signature::from_slice(signature)
            .is_ok_and(|s| k.verify_strict(input, &s).is_ok()),
        // Constant-time MAC comparison (`hmac`'s `verify_slice`).
        #[cfg(feature = "hmac")]
        (Public::Hmac(secret), Algorithm::Hs256 | Algorithm::Hs384 | Algorithm::Hs512) => {
            HmacKey::new(alg, secret).is_ok_and(|k| k.verify(input, signature).is_ok())
        }
        _ => false,
    }
}
