//! Signature verification of compact JWS/JWT (feature `alloc`: the RSA
//! arithmetic needs a heap).
//!
//! The algorithm is pinned by the [`VerifyingKey`]: built for one algorithm
//! (or an explicit list), it refuses every token whose `alg` is anything else.
//! Always refused: `alg: none` in any letter case, HS256 and every other
//! non-RSA/unsupported `alg` (so an RSA public key can never be used as an HMAC
//! secret), and any `crit` header (jwtmint implements no JWS extension). The
//! signature must be exactly the modulus length (RFC 8017 §8.2.2 step 1).
//!
//! PKCS#1 v1.5 verification is `rsa`'s: it re-encodes `DigestInfo` and
//! compares, so a `DigestInfo` without the `NULL` parameters (Wycheproof's
//! "acceptable" `MissingNull` case) is **refused**. PS256 uses MGF1-SHA-256
//! with a salt of exactly 32 bytes (RFC 7518 §3.5).
//!
//! ```
//! use jwtmint::{Algorithm, Claims, Header, HeaderTemplate, PublicKey, SigningKey, VerifyingKey};
//! use jwtmint::validate::Validation;
//! let sk = SigningKey::from_pem(include_str!("../../examples/keys/demo-key.pem"))?;
//! let tpl = HeaderTemplate::new(&Header::new(Algorithm::Rs256))?;
//! let mut tok = [0u8; 1024];
//! let n = jwtmint::mint(&mut sk.rs256_unblinded(), &tpl, &Claims::new().sub("a").exp(100), &mut tok)?;
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

use rsa::signature::Verifier;
use sha2::Sha256;

use super::public::PublicKey;
use crate::alg::Algorithm;
use crate::error::{Error, Result};
use crate::json::view::JsonStr;
use crate::parse::{self, Jws, Jwt};
use crate::validate::Validation;

/// Maps a header `alg` to an algorithm jwtmint verifies.
///
/// # Errors
/// `AlgorithmNone` (`none` in any case), `UnsupportedAlgorithm` (anything but
/// exactly `RS256` / `PS256`).
pub fn algorithm_of(alg: &JsonStr<'_>) -> Result<Algorithm> {
    if alg.eq_str("RS256") {
        return Ok(Algorithm::Rs256);
    }
    if alg.eq_str("PS256") {
        return Ok(Algorithm::Ps256);
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

/// A public key pinned to the algorithms it may verify.
#[derive(Clone, Debug)]
pub struct VerifyingKey {
    key: PublicKey,
    rs256: Option<rsa::pkcs1v15::VerifyingKey<Sha256>>,
    ps256: Option<rsa::pss::VerifyingKey<Sha256>>,
    /// aws-lc's copy of the key when that backend verifies (feature `aws-lc`).
    #[cfg(feature = "aws-lc")]
    awslc: Option<super::backend::awslc::AwsLcVerifier>,
}

impl VerifyingKey {
    /// A key that verifies `alg` only.
    pub fn new(key: PublicKey, alg: Algorithm) -> Self {
        Self::with_algorithms(key, &[alg])
    }

    /// A key that verifies any of `algs` (an empty list verifies nothing).
    pub fn with_algorithms(key: PublicKey, algs: &[Algorithm]) -> Self {
        let rs256 = algs
            .contains(&Algorithm::Rs256)
            .then(|| rsa::pkcs1v15::VerifyingKey::new(key.as_rsa().clone()));
        let ps256 = algs
            .contains(&Algorithm::Ps256)
            .then(|| rsa::pss::VerifyingKey::new(key.as_rsa().clone()));
        let vk = Self {
            key,
            rs256,
            ps256,
            #[cfg(feature = "aws-lc")]
            awslc: None,
        };
        vk.with_backend(super::backend::Backend::DEFAULT)
    }

    /// Moves verification to `backend` (`AwsLc` is the default when compiled
    /// in; if aws-lc refuses the key, the `rsa` backend keeps verifying).
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
                let awslc = super::backend::awslc::AwsLcVerifier::new(
                    self.key.as_rsa(),
                    self.rs256.is_some(),
                    self.ps256.is_some(),
                );
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
    pub const fn allows(&self, alg: Algorithm) -> bool {
        match alg {
            Algorithm::Rs256 => self.rs256.is_some(),
            Algorithm::Ps256 => self.ps256.is_some(),
        }
    }

    /// Verifies a raw signature over `signing_input` with `alg`.
    ///
    /// # Errors
    /// `AlgorithmNotAllowed`, `SignatureLengthMismatch`, `InvalidSignature`.
    pub fn verify_signature(
        &self,
        alg: Algorithm,
        signing_input: &[u8],
        signature: &[u8],
    ) -> Result<()> {
        let expected = self.key.signature_len();
        if signature.len() != expected {
            return Err(Error::SignatureLengthMismatch {
                expected,
                actual: signature.len(),
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
        let ok = match alg {
            Algorithm::Rs256 => {
                let vk = self
                    .rs256
                    .as_ref()
                    .ok_or(Error::AlgorithmNotAllowed { alg })?;
                let sig = rsa::pkcs1v15::Signature::try_from(signature)
                    .map_err(|_| Error::InvalidSignature)?;
                vk.verify(signing_input, &sig).is_ok()
            }
            Algorithm::Ps256 => {
                let vk = self
                    .ps256
                    .as_ref()
                    .ok_or(Error::AlgorithmNotAllowed { alg })?;
                let sig = rsa::pss::Signature::try_from(signature)
                    .map_err(|_| Error::InvalidSignature)?;
                vk.verify(signing_input, &sig).is_ok()
            }
        };
        if ok {
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
