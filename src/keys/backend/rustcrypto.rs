//! The pure-Rust backend: `rsa` 0.10 (crypto-bigint, constant-time).

use rand_core::TryCryptoRng;
use rsa::traits::SignatureScheme;
use rsa::{Pkcs1v15Sign, RsaPrivateKey, pss::Pss};
use sha2::{Digest, Sha256};

use crate::alg::Algorithm;
use crate::error::{Error, Result};

/// Signs `input` with `key`; `rng` blinds (and salts PSS). `None` is the
/// explicitly unblinded RS256 path; PS256 always needs an RNG.
pub(crate) fn sign<R: TryCryptoRng + ?Sized>(
    alg: Algorithm,
    key: &RsaPrivateKey,
    rng: Option<&mut R>,
    input: &[u8],
    signature: &mut [u8],
) -> Result<usize> {
    let digest = Sha256::digest(input);
    let r = match alg {
        Algorithm::Rs256 => Pkcs1v15Sign::new::<Sha256>().sign(rng, key, &digest),
        Algorithm::Ps256 => {
            let rng = rng.ok_or(Error::Rng)?;
            Pss::<Sha256>::new().sign(Some(rng), key, &digest)
        }
    };
    let sig = r.map_err(|e| match e {
        rsa::Error::Rng => Error::Rng,
        _ => Error::Signing,
    })?;
    let room = signature.len();
    let dst = signature
        .get_mut(..sig.len())
        .ok_or(Error::SignatureLength {
            expected: room,
            actual: sig.len(),
        })?;
    dst.copy_from_slice(&sig);
    Ok(sig.len())
}
