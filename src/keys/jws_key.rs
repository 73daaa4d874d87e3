//! [`SigningKey`] as a [`JwsKey`], with or without `std`: the profile names
//! the algorithm, the key makes the signer ([`SigningKey::signer`], checked
//! against the key type). Without `std` an RSA key has no OS RNG: lend it
//! one with [`SigningKey::with_rng`], or name the unblinded signer with
//! [`SigningKey::unblinded`] — both are `JwsKey`s too.

use core::cell::RefCell;

use rand_core::TryCryptoRng;

use super::key_signer::KeySigner;
use super::no_rng::NoRng;
use super::signing::{Inner, SigningKey};
use crate::alg::Algorithm;
use crate::error::{Error, Result};
use crate::signer::{JwsKey, JwsSigner};

impl JwsKey for SigningKey {
    type Signer<'k> = KeySigner<'k>;

    fn signer(&self, alg: Algorithm) -> Result<Self::Signer<'_>> {
        SigningKey::signer(self, alg)
    }

    /// SHA-256 over the public key, domain-separated by type: RSA's
    /// length-prefixed big-endian modulus and exponent, the uncompressed EC
    /// point, the Ed25519 public key; for an HMAC secret, the secret itself
    /// (at least 32 random bytes, so the digest reveals nothing usable).
    /// The EC, Ed25519 and HMAC values are those of [`EcdsaKey`](crate::EcdsaKey),
    /// [`Ed25519Key`](crate::Ed25519Key) and [`HmacKey`](crate::HmacKey).
    fn fingerprint(&self) -> Option<[u8; 32]> {
        Some(match self.inner() {
            Inner::Rsa { key, .. } => {
                use rsa::traits::PublicKeyParts;
                super::fingerprint::of(
                    b"jwtmint rsa public key\0",
                    &[&key.n_bytes(), &key.e_bytes()],
                )
            }
            #[cfg(feature = "ecdsa")]
            Inner::Ec(k) => k.fingerprint(),
            #[cfg(feature = "eddsa")]
            Inner::Ed25519(k) => k.fingerprint(),
            #[cfg(feature = "hmac")]
            Inner::Hmac(secret) => super::hmac::fingerprint(secret),
        })
    }
}

impl SigningKey {
    /// This key with `rng` lent to every signer it makes, as a [`JwsKey`]
    /// for profiles and sessions where no OS RNG exists (firmware with a
    /// hardware TRNG): signers come from [`SigningKey::signer_with_rng`].
    /// The RNG sits in a `RefCell`, borrowed only while a signature is made
    /// (a nested borrow is `Rng`, never a panic).
    pub fn with_rng<R: TryCryptoRng>(&self, rng: R) -> WithRng<'_, R> {
        WithRng {
            key: self,
            rng: RefCell::new(rng),
        }
    }

    /// This key as a [`JwsKey`] whose signers draw no randomness
    /// ([`SigningKey::signer_unblinded`]): for platforms with no RNG at
    /// all; the name says what it gives up.
    pub const fn unblinded(&self) -> Unblinded<'_> {
        Unblinded(self)
    }
}

/// A [`SigningKey`] with an RNG of its own, as a [`JwsKey`]: made by
/// [`SigningKey::with_rng`].
pub struct WithRng<'k, R> {
    key: &'k SigningKey,
    rng: RefCell<R>,
}

impl<R> core::fmt::Debug for WithRng<'_, R> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("WithRng")
            .field("key", self.key)
            .finish_non_exhaustive()
    }
}

/// The signer of a [`WithRng`] key: borrows the RNG for each signature.
pub struct WithRngSigner<'s, R> {
    key: &'s SigningKey,
    alg: Algorithm,
    len: usize,
    rng: &'s RefCell<R>,
}

impl<R> core::fmt::Debug for WithRngSigner<'_, R> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("WithRngSigner")
            .field("alg", &self.alg)
            .finish_non_exhaustive()
    }
}

impl<R: TryCryptoRng> JwsKey for WithRng<'_, R> {
    type Signer<'s>
        = WithRngSigner<'s, R>
    where
        Self: 's;

    fn signer(&self, alg: Algorithm) -> Result<Self::Signer<'_>> {
        // Every check `signer_with_rng` makes, now, with an RNG that is
        // never drawn from.
        let len = self.key.signer_unblinded(alg).map_or_else(
            |e| match e {
                // PS*: the key type agrees, only the salt needs the RNG.
                Error::Rng => self.key.signature_len_for(alg),
                e => Err(e),
            },
            |s| Ok(s.signature_len()),
        )?;
        Ok(WithRngSigner {
            key: self.key,
            alg,
            len,
            rng: &self.rng,
        })
    }

    fn fingerprint(&self) -> Option<[u8; 32]> {
        JwsKey::fingerprint(self.key)
    }
}

impl<R: TryCryptoRng> JwsSigner for WithRngSigner<'_, R> {
    fn algorithm(&self) -> Algorithm {
        self.alg
    }

    fn signature_len(&self) -> usize {
        self.len
    }

    fn sign(&mut self, signing_input: &[u8], signature: &mut [u8]) -> Result<usize> {
        let mut rng = self.rng.try_borrow_mut().map_err(|_| Error::Rng)?;
        self.key
            .signer_with_rng(self.alg, &mut *rng)?
            .sign(signing_input, signature)
    }
}

/// A [`SigningKey`] whose signers draw no randomness, as a [`JwsKey`]:
/// made by [`SigningKey::unblinded`].
#[derive(Clone, Copy, Debug)]
pub struct Unblinded<'k>(&'k SigningKey);

impl JwsKey for Unblinded<'_> {
    type Signer<'s>
        = KeySigner<'s, NoRng>
    where
        Self: 's;

    fn signer(&self, alg: Algorithm) -> Result<Self::Signer<'_>> {
        self.0.signer_unblinded(alg)
    }

    fn fingerprint(&self) -> Option<[u8; 32]> {
        JwsKey::fingerprint(self.0)
    }
}
