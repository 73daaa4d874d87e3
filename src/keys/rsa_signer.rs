//! The [`JwsSigner`] over a [`SigningKey`]: dispatches to the key's backend.

use rand_core::TryCryptoRng;

use super::no_rng::NoRng;

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

    /// An RSA signer (RS256/384/512, PS256/384/512) using the caller's RNG
    /// for blinding and PSS salts; `KeyAlgorithmMismatch` for a non-RSA
    /// `alg` or key.
    ///
    /// # Errors
    /// `KeyAlgorithmMismatch`.
    pub fn rsa_signer_with_rng<'a, R: TryCryptoRng + ?Sized>(
        &'a self,
        alg: Algorithm,
        rng: &'a mut R,
    ) -> Result<RsaSigner<'a, R>> {
        super::kind::check(self.kind(), alg)?;
        Ok(RsaSigner::new(self, alg, Some(rng)))
    }

    /// An RSA signer blinded (and salted) with the operating system's RNG.
    ///
    /// # Errors
    /// `KeyAlgorithmMismatch` for a non-RSA `alg` or key.
    #[cfg(feature = "std")]
    #[cfg_attr(docsrs, doc(cfg(feature = "std")))]
    pub fn rsa_signer(&self, alg: Algorithm) -> Result<RsaSigner<'_, getrandom::SysRng>> {
        super::kind::check(self.kind(), alg)?;
        Ok(RsaSigner::new_owned_rng(self, alg))
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
    #[cfg_attr(docsrs, doc(cfg(feature = "std")))]
    pub fn rs256(&self) -> RsaSigner<'_, getrandom::SysRng> {
        RsaSigner::new_owned_rng(self, Algorithm::Rs256)
    }

    /// A PS256 signer using the operating system's RNG.
    #[cfg(feature = "std")]
    #[cfg_attr(docsrs, doc(cfg(feature = "std")))]
    pub fn ps256(&self) -> RsaSigner<'_, getrandom::SysRng> {
        RsaSigner::new_owned_rng(self, Algorithm::Ps256)
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
            RngSlot::Os(r) => rustcrypto::sign(self.alg, key, Some(r), signing_input, signature),
        }
    }
}
