//! The RSA [`JwsSigner`] over a [`SigningKey`]: dispatches to the key's
//! backend. Made only by [`SigningKey::signer`] and its variants.

use rand_core::TryCryptoRng;

use super::backend::rustcrypto;
use super::signing::SigningKey;
use crate::alg::Algorithm;
use crate::error::Result;
use crate::signer::JwsSigner;

/// A [`JwsSigner`] over a borrowed [`SigningKey`]. Cheap to create: make one
/// per call or per thread; the key itself is shared.
pub struct RsaSigner<'a, R: ?Sized> {
    key: &'a SigningKey,
    alg: Algorithm,
    rng: RngSlot<'a, R>,
}

/// Where an RSA signer's randomness (blinding, PSS salts) comes from.
pub(crate) enum RngSlot<'a, R: ?Sized> {
    /// None: the explicitly unblinded signer (RS* only).
    None,
    /// The caller's RNG.
    Borrowed(&'a mut R),
    /// The operating system's RNG.
    #[cfg(feature = "std")]
    Os,
}

#[cfg(feature = "ecdsa")]
impl<'a, R: ?Sized> RngSlot<'a, R> {
    /// The caller's RNG, if any (ECDSA hedges with it; the OS slot keeps
    /// ECDSA deterministic).
    pub(crate) fn borrowed(self) -> Option<&'a mut R> {
        match self {
            Self::Borrowed(r) => Some(r),
            _ => None,
        }
    }
}

impl<R: ?Sized> core::fmt::Debug for RsaSigner<'_, R> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("RsaSigner")
            .field("alg", &self.alg)
            .finish_non_exhaustive()
    }
}

impl<'a, R: ?Sized> RsaSigner<'a, R> {
    /// Made by [`SigningKey::signer`] and its variants (keys/key_signer.rs),
    /// after the key type and algorithm were checked.
    pub(crate) const fn new(key: &'a SigningKey, alg: Algorithm, rng: RngSlot<'a, R>) -> Self {
        Self { key, alg, rng }
    }
}

impl<R: TryCryptoRng + ?Sized> JwsSigner for RsaSigner<'_, R> {
    fn algorithm(&self) -> Algorithm {
        self.alg
    }

    fn signature_len(&self) -> usize {
        self.key.signature_len()
    }

    fn sign(&mut self, signing_input: &[u8], signature: &mut [u8]) -> Result<usize> {
        #[cfg(feature = "aws-lc")]
        if let (Some(k), false) = (self.key.awslc(), matches!(self.rng, RngSlot::None)) {
            use super::backend::SelfContainedRsa;
            return k.sign(self.alg, signing_input, signature);
        }
        let key = self
            .key
            .as_rsa()
            .ok_or(crate::error::Error::KeyAlgorithmMismatch {
                key: self.key.kind(),
                alg: self.alg,
            })?;
        match &mut self.rng {
            RngSlot::None => rustcrypto::sign::<R>(self.alg, key, None, signing_input, signature),
            RngSlot::Borrowed(r) => {
                rustcrypto::sign(self.alg, key, Some(&mut **r), signing_input, signature)
            }
            #[cfg(feature = "std")]
            RngSlot::Os => rustcrypto::sign(
                self.alg,
                key,
                Some(&mut getrandom::SysRng),
                signing_input,
                signature,
            ),
        }
    }
}
