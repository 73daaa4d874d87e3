//! The aws-lc-rs backend (feature `aws-lc`).

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::KeyPair;
use aws_lc_rs::signature::{RSA_PKCS1_SHA256, RSA_PSS_SHA256};

use super::SelfContainedRsa;
use crate::alg::Algorithm;
use crate::error::{Error, Result};

/// An aws-lc RSA key pair (freed and cleansed by aws-lc on drop).
pub(crate) struct AwsLcKey {
    pair: KeyPair,
    rng: SystemRandom,
}

impl AwsLcKey {
    /// From PKCS#1 `RSAPrivateKey` DER (already size-checked by the caller).
    pub(crate) fn from_pkcs1_der(der: &[u8]) -> Result<Self> {
        let pair = KeyPair::from_der(der).map_err(|_| Error::KeyMalformed)?;
        Ok(Self {
            pair,
            rng: SystemRandom::new(),
        })
    }
}

impl SelfContainedRsa for AwsLcKey {
    fn sign(&self, alg: Algorithm, input: &[u8], signature: &mut [u8]) -> Result<usize> {
        let len = self.pair.public_modulus_len();
        let room = signature.len();
        // aws-lc copies into exactly `len` bytes (and would panic on a mismatch).
        let dst = signature.get_mut(..len).ok_or(Error::SignatureLength {
            expected: room,
            actual: len,
        })?;
        let padding = match alg {
            Algorithm::Rs256 => &RSA_PKCS1_SHA256,
            Algorithm::Ps256 => &RSA_PSS_SHA256,
        };
        self.pair
            .sign(padding, &self.rng, input, dst)
            .map_err(|_| Error::Signing)?;
        Ok(len)
    }
}

/// RS256 / PS256 verification with aws-lc (keys parsed once).
#[derive(Clone)]
pub(crate) struct AwsLcVerifier {
    rs256: Option<aws_lc_rs::signature::ParsedPublicKey>,
    ps256: Option<aws_lc_rs::signature::ParsedPublicKey>,
}

impl core::fmt::Debug for AwsLcVerifier {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("AwsLcVerifier").finish_non_exhaustive()
    }
}

impl AwsLcVerifier {
    /// From an `rsa` public key (PKCS#1 DER is handed to aws-lc); `None` if
    /// aws-lc refuses the key, in which case the `rsa` backend verifies.
    pub(crate) fn new(key: &rsa::RsaPublicKey, rs256: bool, ps256: bool) -> Option<Self> {
        use aws_lc_rs::signature::{
            ParsedPublicKey, RSA_PKCS1_2048_8192_SHA256, RSA_PSS_2048_8192_SHA256,
        };
        use pkcs1::EncodeRsaPublicKey;
        let der = key.to_pkcs1_der().ok()?;
        let parse = |alg| ParsedPublicKey::new(alg, der.as_bytes()).ok();
        Some(Self {
            rs256: if rs256 {
                Some(parse(&RSA_PKCS1_2048_8192_SHA256)?)
            } else {
                None
            },
            ps256: if ps256 {
                Some(parse(&RSA_PSS_2048_8192_SHA256)?)
            } else {
                None
            },
        })
    }

    /// `Some(valid)` for an allowed algorithm, `None` if `alg` is not allowed.
    pub(crate) fn verify(&self, alg: Algorithm, msg: &[u8], sig: &[u8]) -> Option<bool> {
        let key = match alg {
            Algorithm::Rs256 => self.rs256.as_ref()?,
            Algorithm::Ps256 => self.ps256.as_ref()?,
        };
        Some(key.verify_sig(msg, sig).is_ok())
    }
}
