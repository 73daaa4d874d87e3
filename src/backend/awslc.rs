//! The aws-lc-rs backend (feature `aws-lc`).

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::KeyPair;
use aws_lc_rs::signature::{RSA_PKCS1_SHA256, RSA_PSS_SHA256};

use super::SelfContainedRsa;
use crate::error::{Error, Result};
use crate::signer::Algorithm;

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
