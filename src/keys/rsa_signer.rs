//! The [`JwsSigner`] over a [`SigningKey`]: dispatches to the key's backend.

use rand_core::{TryCryptoRng, TryRng};

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
    pub(crate) fn new(key: &'a SigningKey, alg: Algorithm, rng: Option<&'a mut R>) -> Self {
        let rng = match rng {
            Some(r) => RngSlot::Borrowed(r),
            None => RngSlot::None,
        };
        Self { key, alg, rng }
    }
}

#[cfg(feature = "std")]
impl<'a> RsaSigner<'a, getrandom::SysRng> {
    pub(crate) fn new_owned_rng(key: &'a SigningKey, alg: Algorithm) -> Self {
        Self {
            key,
            alg,
            rng: RngSlot::Os(getrandom::SysRng),
        }
    }
}
/// The signer constructors live here, next to [`RsaSigner`], so that the key
/// itself does not depend on its signer.
impl SigningKey {
    /// An RS256 signer blinded with the caller's RNG (the `no_std` path).
    pub fn rs256_with_rng<'a, R: TryCryptoRng + ?Sized>(
        &'a self,
        rng: &'a mut R,
    ) -> RsaSigner<'a, R> {
        RsaSigner::new(self, Algorithm::Rs256, Some(rng))
    }

    /// A PS256 signer using the caller's RNG for the salt and for blinding.
    pub fn ps256_with_rng<'a, R: TryCryptoRng + ?Sized>(
        &'a self,
        rng: &'a mut R,
    ) -> RsaSigner<'a, R> {
        RsaSigner::new(self, Algorithm::Ps256, Some(rng))
    }

    /// An RS256 signer **without** RSA blinding, for platforms with no RNG.
    /// The private-key operation is constant-time (crypto-bigint) but not
    /// blinded; prefer [`SigningKey::rs256_with_rng`] whenever an RNG exists.
    /// Always uses the `rsa` backend.
    pub fn rs256_unblinded(&self) -> RsaSigner<'_, NoRng> {
        RsaSigner::new(self, Algorithm::Rs256, None)
    }

    /// An RS256 signer blinded with the operating system's RNG.
    #[cfg(feature = "std")]
    pub fn rs256(&self) -> RsaSigner<'_, getrandom::SysRng> {
        RsaSigner::new_owned_rng(self, Algorithm::Rs256)
    }

    /// A PS256 signer using the operating system's RNG.
    #[cfg(feature = "std")]
    pub fn ps256(&self) -> RsaSigner<'_, getrandom::SysRng> {
        RsaSigner::new_owned_rng(self, Algorithm::Ps256)
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
        let key = self.key.as_rsa();
        match &mut self.rng {
            RngSlot::None => rustcrypto::sign::<R>(self.alg, key, None, signing_input, signature),
            RngSlot::Borrowed(r) => {
                rustcrypto::sign(self.alg, key, Some(&mut **r), signing_input, signature)
            }
            #[cfg(feature = "std")]
            RngSlot::Os(r) => rustcrypto::sign(self.alg, key, Some(r), signing_input, signature),
        }
    }
}
