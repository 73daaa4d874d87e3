//! The aws-lc-rs backend (feature `aws-lc`): RSA, ECDSA (fixed-size
//! `r || s` signing), Ed25519 and HMAC, same API as the pure-Rust one.

use alloc::vec::Vec;

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature as sig;
use aws_lc_rs::{hmac, rsa};

use super::SelfContainedRsa;
use crate::alg::{Algorithm, KeyKind};
use crate::error::{Error, Result};
use crate::signer::{JwsSigner, put_signature};

/// A private key held by aws-lc (freed and cleansed by aws-lc on drop).
pub(crate) enum AwsLcKey {
    Rsa {
        pair: rsa::KeyPair,
        rng: SystemRandom,
    },
    Ecdsa {
        pair: sig::EcdsaKeyPair,
        alg: Algorithm,
        rng: SystemRandom,
    },
    Ed25519(sig::Ed25519KeyPair),
    /// One key per HS* the secret is long enough for (HS256 first).
    Hmac(Vec<(Algorithm, hmac::Key)>),
}

fn rejected<E>(_: E) -> Error {
    Error::KeyMalformed
}

impl AwsLcKey {
    /// From PKCS#1 `RSAPrivateKey` DER (already size-checked by the caller).
    pub(crate) fn rsa(pkcs1: &[u8]) -> Result<Self> {
        Ok(Self::Rsa {
            pair: rsa::KeyPair::from_der(pkcs1).map_err(rejected)?,
            rng: SystemRandom::new(),
        })
    }

    /// From an ES* key's private scalar and uncompressed public point.
    pub(crate) fn ecdsa(alg: Algorithm, scalar: &[u8], point: &[u8]) -> Result<Self> {
        let signing = match alg {
            Algorithm::Es256 => &sig::ECDSA_P256_SHA256_FIXED_SIGNING,
            Algorithm::Es384 => &sig::ECDSA_P384_SHA384_FIXED_SIGNING,
            _ => &sig::ECDSA_P521_SHA512_FIXED_SIGNING,
        };
        let pair = sig::EcdsaKeyPair::from_private_key_and_public_key(signing, scalar, point)
            .map_err(rejected)?;
        Ok(Self::Ecdsa {
            pair,
            alg,
            rng: SystemRandom::new(),
        })
    }

    /// From an Ed25519 seed.
    pub(crate) fn ed25519(seed: &[u8]) -> Result<Self> {
        Ok(Self::Ed25519(
            sig::Ed25519KeyPair::from_seed_unchecked(seed).map_err(rejected)?,
        ))
    }

    /// From an HMAC secret: one key per HS* it is long enough for.
    pub(crate) fn hmac(secret: &[u8]) -> Self {
        Self::Hmac(
            [
                (Algorithm::Hs256, hmac::HMAC_SHA256),
                (Algorithm::Hs384, hmac::HMAC_SHA384),
                (Algorithm::Hs512, hmac::HMAC_SHA512),
            ]
            .into_iter()
            .filter(|(a, _)| secret.len() >= a.hash_len())
            .map(|(a, h)| (a, hmac::Key::new(h, secret)))
            .collect(),
        )
    }

    /// A signer for `alg` (already checked against the key type), or `None`
    /// for RSA, whose signer picks the backend per call.
    pub(crate) fn signer(&self, alg: Algorithm) -> Option<Result<AwsLcSigner<'_>>> {
        match self {
            Self::Rsa { .. } => None,
            Self::Hmac(keys) => Some(
                keys.iter()
                    .find(|(a, _)| *a == alg)
                    .map(|(_, k)| AwsLcSigner::Hmac(alg, k))
                    .ok_or(Error::HmacKeyTooShort {
                        len: 0,
                        min: alg.hash_len(),
                    }),
            ),
            Self::Ecdsa { pair, alg, rng } => Some(Ok(AwsLcSigner::Ecdsa(*alg, pair, rng))),
            Self::Ed25519(pair) => Some(Ok(AwsLcSigner::Ed25519(pair))),
        }
    }
}

impl SelfContainedRsa for AwsLcKey {
    fn sign(&self, alg: Algorithm, input: &[u8], signature: &mut [u8]) -> Result<usize> {
        let (Self::Rsa { pair, rng }, Some((padding, _))) = (self, rsa_params(alg)) else {
            return Err(Error::KeyAlgorithmMismatch {
                key: KeyKind::Rsa,
                alg,
            });
        };
        let len = pair.public_modulus_len();
        let room = signature.len();
        // aws-lc copies into exactly `len` bytes (and would panic on a mismatch).
        let dst = signature.get_mut(..len).ok_or(Error::SignatureLength {
            expected: room,
            actual: len,
        })?;
        pair.sign(padding, rng, input, dst)
            .map_err(|_| Error::Signing)?;
        Ok(len)
    }
}

/// An aws-lc ECDSA, Ed25519 or HMAC signer borrowing an [`AwsLcKey`].
pub enum AwsLcSigner<'k> {
    /// ES256/ES384/ES512 (`r || s`).
    Ecdsa(Algorithm, &'k sig::EcdsaKeyPair, &'k SystemRandom),
    /// EdDSA.
    Ed25519(&'k sig::Ed25519KeyPair),
    /// HS256/HS384/HS512.
    Hmac(Algorithm, &'k hmac::Key),
}

impl core::fmt::Debug for AwsLcSigner<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("AwsLcSigner")
            .field("alg", &self.algorithm())
            .finish_non_exhaustive()
    }
}

impl JwsSigner for AwsLcSigner<'_> {
    fn algorithm(&self) -> Algorithm {
        match self {
            Self::Ecdsa(alg, ..) | Self::Hmac(alg, _) => *alg,
            Self::Ed25519(_) => Algorithm::EdDsa,
        }
    }

    fn signature_len(&self) -> usize {
        self.algorithm().fixed_signature_len().unwrap_or(0)
    }

    fn sign(&mut self, signing_input: &[u8], signature: &mut [u8]) -> Result<usize> {
        match self {
            Self::Ecdsa(_, pair, rng) => {
                let s = pair.sign(*rng, signing_input).map_err(|_| Error::Signing)?;
                put_signature(s.as_ref(), signature)
            }
            Self::Ed25519(pair) => put_signature(pair.sign(signing_input).as_ref(), signature),
            Self::Hmac(_, key) => put_signature(hmac::sign(key, signing_input).as_ref(), signature),
        }
    }
}

/// Verification with aws-lc, keys parsed once, one per allowed algorithm.
#[derive(Clone)]
pub(crate) struct AwsLcVerifier {
    keys: Vec<(Algorithm, Verifier)>,
}

#[derive(Clone)]
enum Verifier {
    Public(sig::ParsedPublicKey),
    Hmac(alloc::boxed::Box<hmac::Key>),
}

debug_public!(AwsLcVerifier);

impl AwsLcVerifier {
    /// From the key's public bytes — PKCS#1 DER (RSA), the uncompressed
    /// point (EC), the 32-byte key (Ed25519), the secret (HMAC) — for each
    /// of `algs` (already checked against the key type). `None` if aws-lc
    /// refuses the key, in which case the pure-Rust backend verifies.
    pub(crate) fn new(public: &[u8], algs: &[Algorithm]) -> Option<Self> {
        let keys = algs
            .iter()
            .map(|&alg| Some((alg, verifier(alg, public)?)))
            .collect::<Option<Vec<_>>>()?;
        Some(Self { keys })
    }

    /// `Some(valid)` for an allowed algorithm, `None` if `alg` is not allowed.
    pub(crate) fn verify(&self, alg: Algorithm, msg: &[u8], signature: &[u8]) -> Option<bool> {
        let (_, v) = self.keys.iter().find(|(a, _)| *a == alg)?;
        Some(match v {
            Verifier::Public(k) => k.verify_sig(msg, signature).is_ok(),
            Verifier::Hmac(k) => hmac::verify(k, msg, signature).is_ok(),
        })
    }
}

/// aws-lc's parameters of an RSA algorithm: the signing padding and the
/// verification algorithm (2048..=8192-bit moduli).
type RsaParams = (
    &'static dyn sig::RsaEncoding,
    &'static dyn sig::VerificationAlgorithm,
);

/// The [`RsaParams`] of each RS*/PS* algorithm, one row each (signing and
/// verifying read the same row); `None` for the other algorithms.
fn rsa_params(alg: Algorithm) -> Option<RsaParams> {
    Some(match alg {
        Algorithm::Rs256 => (&sig::RSA_PKCS1_SHA256, &sig::RSA_PKCS1_2048_8192_SHA256),
        Algorithm::Rs384 => (&sig::RSA_PKCS1_SHA384, &sig::RSA_PKCS1_2048_8192_SHA384),
        Algorithm::Rs512 => (&sig::RSA_PKCS1_SHA512, &sig::RSA_PKCS1_2048_8192_SHA512),
        Algorithm::Ps256 => (&sig::RSA_PSS_SHA256, &sig::RSA_PSS_2048_8192_SHA256),
        Algorithm::Ps384 => (&sig::RSA_PSS_SHA384, &sig::RSA_PSS_2048_8192_SHA384),
        Algorithm::Ps512 => (&sig::RSA_PSS_SHA512, &sig::RSA_PSS_2048_8192_SHA512),
        _ => return None,
    })
}

fn verifier(alg: Algorithm, public: &[u8]) -> Option<Verifier> {
    let params: &'static dyn sig::VerificationAlgorithm = match alg {
        Algorithm::Es256 => &sig::ECDSA_P256_SHA256_FIXED,
        Algorithm::Es384 => &sig::ECDSA_P384_SHA384_FIXED,
        Algorithm::Es512 => &sig::ECDSA_P521_SHA512_FIXED,
        Algorithm::EdDsa => &sig::ED25519,
        Algorithm::Hs256 => return Some(hmac_verifier(hmac::HMAC_SHA256, public)),
        Algorithm::Hs384 => return Some(hmac_verifier(hmac::HMAC_SHA384, public)),
        Algorithm::Hs512 => return Some(hmac_verifier(hmac::HMAC_SHA512, public)),
        rsa => rsa_params(rsa)?.1,
    };
    sig::ParsedPublicKey::new(params, public)
        .ok()
        .map(Verifier::Public)
}

fn hmac_verifier(alg: hmac::Algorithm, secret: &[u8]) -> Verifier {
    Verifier::Hmac(alloc::boxed::Box::new(hmac::Key::new(alg, secret)))
}
