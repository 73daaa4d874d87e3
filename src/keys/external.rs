//! [`RustCryptoSigner`]: the `signature` crate's traits as a [`JwsSigner`],
//! so any RustCrypto key type — or a YubiHSM, PKCS#11 or cloud-KMS signer
//! crate that implements [`signature::Signer`] / [`RandomizedSigner`] —
//! mints with jwtmint, which never needs to know it. No allocator needed
//! (unless the signer itself allocates).
//!
//! The signature's [`SignatureEncoding`] must be the JWS form: `r || s` for
//! ECDSA (RustCrypto's `ecdsa::Signature`, not `ecdsa::der::Signature` —
//! convert a KMS's DER answer with `Signature::from_der` first), the 64
//! bytes for Ed25519, the modulus-sized block for RSA, the MAC for HMAC.
//! Its length is checked against the algorithm on every signature.
//!
//! A KMS-style remote signer (the "remote" here signs with a local P-256
//! key so the example runs; a real one sends the message to the service):
//!
//! ```
//! # #[cfg(feature = "es256")] {
//! use jwtmint::keys::RustCryptoSigner;
//! use jwtmint::{Algorithm, Claims, Header, HeaderTemplate};
//!
//! /// A handle to a key that never leaves the KMS.
//! struct KmsKey { key_id: &'static str, remote: p256::ecdsa::SigningKey }
//!
//! impl signature::Signer<p256::ecdsa::Signature> for KmsKey {
//!     fn try_sign(&self, msg: &[u8]) -> Result<p256::ecdsa::Signature, signature::Error> {
//!         // e.g. kms.sign(KeyId = self.key_id, Message = msg,
//!         //               SigningAlgorithm = ECDSA_SHA_256) -> DER
//!         let _ = self.key_id;
//!         let der: p256::ecdsa::DerSignature = self.remote.try_sign(msg)?;
//!         p256::ecdsa::Signature::from_der(der.as_bytes())
//!     }
//! }
//!
//! let kms = KmsKey { key_id: "alias/jwt", remote: p256::ecdsa::SigningKey::from_slice(&[1; 32]).unwrap() };
//! let mut signer = RustCryptoSigner::new(Algorithm::Es256, kms)?;
//! let header = HeaderTemplate::new(&Header::new(Algorithm::Es256))?;
//! let claims = Claims::new().iss("client").exp(1_700_000_000);
//! let mut out = [0u8; 512];
//! let n = jwtmint::mint(&mut signer, &header, &claims, &mut out)?;
//! assert_eq!(out[..n].iter().filter(|&&b| b == b'.').count(), 2);
//! # }
//! # Ok::<(), jwtmint::Error>(())
//! ```

use core::marker::PhantomData;

use rand_core::TryCryptoRng;
use signature::{Keypair, RandomizedSigner, SignatureEncoding, Signer};

use crate::alg::Algorithm;
use crate::error::{Error, Result};
use crate::signer::{JwsKey, JwsSigner, put_signature};

/// A [`signature::Signer`] as a [`JwsSigner`] for one algorithm (see
/// [`RustCryptoSigner::with_rng`] for a [`RandomizedSigner`]). `Sig` is the
/// signature type the signer produces.
pub struct RustCryptoSigner<S, Sig> {
    signer: S,
    alg: Algorithm,
    len: usize,
    _sig: PhantomData<fn() -> Sig>,
}

/// A [`RandomizedSigner`] with a borrowed RNG as a [`JwsSigner`]: made by
/// [`RustCryptoSigner::with_rng`].
pub struct RandomizedRustCryptoSigner<'r, S, Sig, R: ?Sized> {
    inner: RustCryptoSigner<S, Sig>,
    rng: &'r mut R,
}

impl<S, Sig, R: ?Sized> core::fmt::Debug for RandomizedRustCryptoSigner<'_, S, Sig, R> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_tuple("RandomizedRustCryptoSigner")
            .field(&self.inner)
            .finish()
    }
}

impl<S, Sig> core::fmt::Debug for RustCryptoSigner<S, Sig> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("RustCryptoSigner")
            .field("alg", &self.alg)
            .field("signature_len", &self.len)
            .finish_non_exhaustive()
    }
}

impl<S, Sig> RustCryptoSigner<S, Sig> {
    /// Wraps `signer` for `alg`, which must have a fixed signature length
    /// (ES*, EdDSA, HS*); use [`RustCryptoSigner::with_len`] for RSA.
    ///
    /// # Errors
    /// `SignatureLength` for an RSA `alg` (its length is the modulus size).
    pub fn new(alg: Algorithm, signer: S) -> Result<Self> {
        let len = alg.fixed_signature_len().ok_or(Error::SignatureLength {
            expected: 0,
            actual: 0,
        })?;
        Self::with_len(alg, len, signer)
    }

    /// Wraps `signer` for `alg` producing `len`-byte signatures (for RSA,
    /// the modulus size in bytes).
    ///
    /// # Errors
    /// `SignatureLength` when `len` is zero, over
    /// [`MAX_SIGNATURE_LEN`](crate::alg::MAX_SIGNATURE_LEN), or not the
    /// algorithm's fixed length.
    pub fn with_len(alg: Algorithm, len: usize, signer: S) -> Result<Self> {
        let fixed = alg.fixed_signature_len();
        if len == 0 || len > crate::alg::MAX_SIGNATURE_LEN || fixed.is_some_and(|f| f != len) {
            return Err(Error::SignatureLength {
                expected: fixed.unwrap_or(len),
                actual: len,
            });
        }
        Ok(Self {
            signer,
            alg,
            len,
            _sig: PhantomData,
        })
    }

    /// Signs through [`RandomizedSigner`] with `rng` (hedged ECDSA, RSA
    /// blinding, PSS salts) instead of [`Signer`].
    pub fn with_rng<R: ?Sized>(self, rng: &mut R) -> RandomizedRustCryptoSigner<'_, S, Sig, R> {
        RandomizedRustCryptoSigner { inner: self, rng }
    }

    /// The wrapped signer.
    pub const fn inner(&self) -> &S {
        &self.signer
    }

    /// Unwraps the signer.
    pub fn into_inner(self) -> S {
        self.signer
    }

    /// Checks the signature's length and copies it into `out`.
    fn put<Sig2: SignatureEncoding>(&self, sig: &Sig2, out: &mut [u8]) -> Result<usize> {
        let repr = sig.to_bytes();
        let bytes = repr.as_ref();
        if bytes.len() != self.len {
            return Err(Error::SignatureLength {
                expected: self.len,
                actual: bytes.len(),
            });
        }
        put_signature(bytes, out)
    }
}

/// The public key of the wrapped signer (e.g. to publish it as a JWK).
impl<S: Keypair, Sig> Keypair for RustCryptoSigner<S, Sig> {
    type VerifyingKey = S::VerifyingKey;
    fn verifying_key(&self) -> Self::VerifyingKey {
        self.signer.verifying_key()
    }
}

impl<S: Signer<Sig>, Sig: SignatureEncoding> JwsSigner for RustCryptoSigner<S, Sig> {
    fn algorithm(&self) -> Algorithm {
        self.alg
    }

    fn signature_len(&self) -> usize {
        self.len
    }

    fn sign(&mut self, signing_input: &[u8], signature: &mut [u8]) -> Result<usize> {
        (&*self).sign(signing_input, signature)
    }
}

/// A `RustCryptoSigner` is a [`JwsKey`] for its one algorithm (with or
/// without `std`): profiles and sessions take it as they take a
/// [`SigningKey`](crate::SigningKey). Its signers borrow it.
impl<S: Signer<Sig>, Sig: SignatureEncoding> JwsKey for RustCryptoSigner<S, Sig> {
    type Signer<'k>
        = &'k Self
    where
        Self: 'k;

    /// # Errors
    /// `UnsupportedAlgorithm` for any `alg` but the one it was made for.
    fn signer(&self, alg: Algorithm) -> Result<&Self> {
        if alg == self.alg {
            Ok(self)
        } else {
            Err(Error::UnsupportedAlgorithm)
        }
    }
}

/// The borrowed signer [`JwsKey::signer`] hands out (`Signer::try_sign`
/// takes `&self`).
impl<S: Signer<Sig>, Sig: SignatureEncoding> JwsSigner for &RustCryptoSigner<S, Sig> {
    fn algorithm(&self) -> Algorithm {
        self.alg
    }

    fn signature_len(&self) -> usize {
        self.len
    }

    fn sign(&mut self, signing_input: &[u8], signature: &mut [u8]) -> Result<usize> {
        let sig = self
            .signer
            .try_sign(signing_input)
            .map_err(|_| Error::Signing)?;
        self.put(&sig, signature)
    }
}

impl<S, Sig, R> JwsSigner for RandomizedRustCryptoSigner<'_, S, Sig, R>
where
    S: RandomizedSigner<Sig>,
    Sig: SignatureEncoding,
    R: TryCryptoRng + ?Sized,
{
    fn algorithm(&self) -> Algorithm {
        self.inner.alg
    }

    fn signature_len(&self) -> usize {
        self.inner.len
    }

    fn sign(&mut self, signing_input: &[u8], signature: &mut [u8]) -> Result<usize> {
        let sig = self
            .inner
            .signer
            .try_sign_with_rng(self.rng, signing_input)
            .map_err(|_| Error::Signing)?;
        self.inner.put(&sig, signature)
    }
}
