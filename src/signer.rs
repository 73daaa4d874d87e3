//! The signing seam: anything that turns a JWS signing input into a signature.
//!
//! Every key type makes its signers through [`JwsKey`] (`signer(alg)`); an
//! HSM, TPM, PKCS#11 token, cloud KMS or the C ABI's callback can implement
//! both traits too, and the library still does all the encoding.

use crate::alg::Algorithm;
use crate::error::Result;

/// Produces JWS signatures over the ASCII signing input `b64(header).b64(payload)`.
pub trait JwsSigner {
    /// The algorithm the signatures are made with (must match the header's `alg`).
    fn algorithm(&self) -> Algorithm;

    /// The exact signature length in bytes (the RSA modulus size), at most
    /// [`MAX_SIGNATURE_LEN`](crate::alg::MAX_SIGNATURE_LEN).
    fn signature_len(&self) -> usize;

    /// Signs `signing_input` (the signer hashes it) and writes the raw
    /// signature into `signature`, which is at least `signature_len()` long.
    /// Returns the number of bytes written.
    ///
    /// # Errors
    /// Whatever the signer fails with (RNG, device, key).
    fn sign(&mut self, signing_input: &[u8], signature: &mut [u8]) -> Result<usize>;
}

impl<S: JwsSigner + ?Sized> JwsSigner for &mut S {
    fn algorithm(&self) -> Algorithm {
        (**self).algorithm()
    }
    fn signature_len(&self) -> usize {
        (**self).signature_len()
    }
    fn sign(&mut self, signing_input: &[u8], signature: &mut [u8]) -> Result<usize> {
        (**self).sign(signing_input, signature)
    }
}

/// A key that makes [`JwsSigner`]s for the algorithms it supports: what a
/// [`Profile`](crate::profiles::Profile) signs with. The profile names the
/// algorithm and asks the key for a signer, so a signer of the wrong
/// algorithm can never be passed to a profile.
///
/// Every key type of the crate implements it, with or without `std`:
/// `EcdsaKey`, `Ed25519Key`, `HmacKey`, `RustCryptoSigner` (no allocator),
/// [`crate::SigningKey`] (`alloc`; RSA blinded with the OS RNG with `std`,
/// refused without), and `SigningKey::with_rng` / `SigningKey::unblinded`
/// for targets without an OS RNG. An HSM, KMS or device signer implements
/// it for its own handle type, returning `UnsupportedAlgorithm` for what it
/// cannot do.
pub trait JwsKey {
    /// The signer this key makes, borrowing the key.
    type Signer<'k>: JwsSigner
    where
        Self: 'k;

    /// A signer for `alg`.
    ///
    /// # Errors
    /// `UnsupportedAlgorithm` when this key cannot sign with `alg`.
    fn signer(&self, alg: Algorithm) -> Result<Self::Signer<'_>>;

    /// A stable fingerprint of the key (SHA-256 over its public part), or
    /// `None` when the key cannot tell (the default). Token caches and the
    /// session store key on it, so two keys never share a cached token; a
    /// key returning `None` is told apart only by its profile.
    fn fingerprint(&self) -> Option<[u8; 32]> {
        None
    }
}

/// Copies a finished signature into a signer's `out`: the one place a
/// [`JwsSigner::sign`] checks the room it was given.
///
/// # Errors
/// `SignatureLength { expected: out.len(), actual: bytes.len() }` when `out`
/// is shorter than the signature (nothing is written).
pub(crate) fn put_signature(bytes: &[u8], out: &mut [u8]) -> Result<usize> {
    let room = out.len();
    let dst = out
        .get_mut(..bytes.len())
        .ok_or(crate::error::Error::SignatureLength {
            expected: room,
            actual: bytes.len(),
        })?;
    dst.copy_from_slice(bytes);
    Ok(bytes.len())
}

/// No key: for sessions whose grants mint nothing
/// ([`Custom`](crate::profiles::Custom) endpoints: password, refresh token,
/// previous token). Every `signer` call is `UnsupportedAlgorithm`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct NoKey;

/// The signer [`NoKey`] never makes (uninhabited).
#[derive(Debug)]
pub enum NoSigner {}

impl JwsSigner for NoSigner {
    fn algorithm(&self) -> Algorithm {
        match *self {}
    }
    fn signature_len(&self) -> usize {
        match *self {}
    }
    fn sign(&mut self, _: &[u8], _: &mut [u8]) -> Result<usize> {
        match *self {}
    }
}

impl JwsKey for NoKey {
    type Signer<'k> = NoSigner;

    fn signer(&self, _alg: Algorithm) -> Result<NoSigner> {
        Err(crate::error::Error::UnsupportedAlgorithm)
    }
}
