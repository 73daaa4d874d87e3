//! Software RSA signing (RS256, PS256) with the `rsa` crate.

use rand_core::{TryCryptoRng, TryRng};
use rsa::traits::SignatureScheme;
use rsa::{Pkcs1v15Sign, RsaPrivateKey, pss::Pss};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::signer::{Algorithm, JwsSigner};

/// A [`JwsSigner`] over a borrowed [`crate::SigningKey`]. Cheap to create: make
/// one per call or per thread; the key itself is shared.
pub struct RsaSigner<'a, R: ?Sized> {
    key: &'a RsaPrivateKey,
    alg: Algorithm,
    rng: RngSlot<'a, R>,
}

enum RngSlot<'a, R: ?Sized> {
    None,
    Borrowed(&'a mut R),
    #[cfg(feature = "std")]
    Os(getrandom::SysRng),
}

impl<R: ?Sized> core::fmt::Debug for RsaSigner<'_, R> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("RsaSigner")
            .field("alg", &self.alg)
            .finish_non_exhaustive()
    }
}

impl<'a, R: TryCryptoRng + ?Sized> RsaSigner<'a, R> {
    pub(crate) fn new(key: &'a RsaPrivateKey, alg: Algorithm, rng: Option<&'a mut R>) -> Self {
        let rng = match rng {
            Some(r) => RngSlot::Borrowed(r),
            None => RngSlot::None,
        };
        Self { key, alg, rng }
    }
}

#[cfg(feature = "std")]
impl<'a> RsaSigner<'a, getrandom::SysRng> {
    pub(crate) fn new_owned_rng(key: &'a RsaPrivateKey, alg: Algorithm) -> Self {
        Self {
            key,
            alg,
            rng: RngSlot::Os(getrandom::SysRng),
        }
    }
}

/// Type marker for the explicitly unblinded signer. It is never asked for
/// randomness; if it were, every call fails rather than returning zeros.
#[derive(Debug, Clone, Copy)]
pub struct NoRng;

/// The error [`NoRng`] returns: there is no randomness here.
#[derive(Debug, Clone, Copy)]
pub struct NoRandomness;

impl core::fmt::Display for NoRandomness {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("no RNG available")
    }
}

impl core::error::Error for NoRandomness {}

impl TryRng for NoRng {
    type Error = NoRandomness;
    fn try_next_u32(&mut self) -> core::result::Result<u32, Self::Error> {
        Err(NoRandomness)
    }
    fn try_next_u64(&mut self) -> core::result::Result<u64, Self::Error> {
        Err(NoRandomness)
    }
    fn try_fill_bytes(&mut self, _dst: &mut [u8]) -> core::result::Result<(), Self::Error> {
        Err(NoRandomness)
    }
}

impl TryCryptoRng for NoRng {}

fn sign_digest<R: TryCryptoRng + ?Sized>(
    alg: Algorithm,
    key: &RsaPrivateKey,
    rng: Option<&mut R>,
    digest: &[u8],
) -> Result<alloc::vec::Vec<u8>> {
    let r = match alg {
        Algorithm::Rs256 => Pkcs1v15Sign::new::<Sha256>().sign(rng, key, digest),
        Algorithm::Ps256 => {
            // PSS needs randomness for the salt: there is no unblinded PS256.
            let rng = rng.ok_or(Error::Rng)?;
            Pss::<Sha256>::new().sign(Some(rng), key, digest)
        }
    };
    r.map_err(|e| match e {
        rsa::Error::Rng => Error::Rng,
        _ => Error::Signing,
    })
}

impl<R: TryCryptoRng + ?Sized> JwsSigner for RsaSigner<'_, R> {
    fn algorithm(&self) -> Algorithm {
        self.alg
    }

    fn signature_len(&self) -> usize {
        use rsa::traits::PublicKeyParts;
        self.key.size()
    }

    fn sign(&mut self, signing_input: &[u8], signature: &mut [u8]) -> Result<usize> {
        let digest = Sha256::digest(signing_input);
        let sig = match &mut self.rng {
            RngSlot::None => sign_digest::<R>(self.alg, self.key, None, &digest)?,
            RngSlot::Borrowed(r) => sign_digest(self.alg, self.key, Some(&mut **r), &digest)?,
            #[cfg(feature = "std")]
            RngSlot::Os(r) => sign_digest(self.alg, self.key, Some(r), &digest)?,
        };
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
}
