//! The pure-Rust backend: `rsa` 0.10 (crypto-bigint, constant-time).

use rand_core::TryCryptoRng;
use rsa::traits::SignatureScheme;
use rsa::{Pkcs1v15Sign, RsaPrivateKey, pss::Pss};
use sha2::{Digest, Sha256, Sha384, Sha512};

use crate::alg::Algorithm;
use crate::error::{Error, Result};

/// Signs `input` with `key`; `rng` blinds (and salts PSS, salt = hash
/// length). `None` is the explicitly unblinded PKCS#1 v1.5 path; PSS always
/// needs an RNG.
pub(crate) fn sign<R: TryCryptoRng + ?Sized>(
    alg: Algorithm,
    key: &RsaPrivateKey,
    rng: Option<&mut R>,
    input: &[u8],
    signature: &mut [u8],
) -> Result<usize> {
    let r = match alg {
        Algorithm::Rs256 => Pkcs1v15Sign::new::<Sha256>().sign(rng, key, &Sha256::digest(input)),
        Algorithm::Rs384 => Pkcs1v15Sign::new::<Sha384>().sign(rng, key, &Sha384::digest(input)),
        Algorithm::Rs512 => Pkcs1v15Sign::new::<Sha512>().sign(rng, key, &Sha512::digest(input)),
        Algorithm::Ps256 => {
            Pss::<Sha256>::new().sign(Some(rng.ok_or(Error::Rng)?), key, &Sha256::digest(input))
        }
        Algorithm::Ps384 => {
            Pss::<Sha384>::new().sign(Some(rng.ok_or(Error::Rng)?), key, &Sha384::digest(input))
        }
        Algorithm::Ps512 => {
            Pss::<Sha512>::new().sign(Some(rng.ok_or(Error::Rng)?), key, &Sha512::digest(input))
        }
        alg => {
            return Err(Error::KeyAlgorithmMismatch {
                key: crate::alg::KeyKind::Rsa,
                alg,
            });
        }
    };
    let sig = r.map_err(|e| match e {
        rsa::Error::Rng => Error::Rng,
        _ => Error::Signing,
    })?;
    crate::signer::put_signature(&sig, signature)
}
