//! ECDSA keys and signers for ES256 / ES384 / ES512 (RFC 7518 §3.4), pure
//! Rust (`p256`, `p384`, `p521`), with no allocator.
//!
//! The JWS signature is the fixed-size `r || s` (IEEE P1363), never DER.
//! Nonces are deterministic (RFC 6979) by default, so signing needs no RNG;
//! [`EcdsaKey::signer_with_rng`] mixes in added randomness (RFC 6979 §3.6).
//! Key material is zeroized on drop by the curve crates; `Debug` shows only
//! the curve.

use rand_core::TryCryptoRng;
use signature::{RandomizedSigner, SignatureEncoding, Signer};

use super::no_rng::NoRng;
use super::oid;
use crate::alg::{Algorithm, KeyKind};
use crate::error::{Error, Result};
use crate::signer::{JwsKey, JwsSigner, put_signature};

/// An ECDSA private key on P-256, P-384 or P-521 (features `es256`,
/// `es384`, `es512`), parsed once.
#[derive(Clone)]
#[non_exhaustive]
pub enum EcdsaKey {
    /// A P-256 key (ES256).
    #[cfg(feature = "es256")]
    P256(p256::ecdsa::SigningKey),
    /// A P-384 key (ES384).
    #[cfg(feature = "es384")]
    P384(p384::ecdsa::SigningKey),
    /// A P-521 key (ES512).
    #[cfg(feature = "es512")]
    P521(p521::ecdsa::SigningKey),
}

debug_public!(EcdsaKey, "curve" => |k: &Self| k.kind().as_str());

impl EcdsaKey {
    /// Parses a PKCS#8 `PrivateKeyInfo` (DER) holding an EC key on a
    /// supported curve (Apple `.p8` keys are this). No allocation.
    ///
    /// # Errors
    /// `KeyMalformed`, `UnsupportedKeyType` (not EC, or another curve).
    pub fn from_pkcs8_der(der: &[u8]) -> Result<Self> {
        use der::Decode;
        let info = pkcs8::PrivateKeyInfoRef::from_der(der).map_err(|_| Error::KeyMalformed)?;
        if info.algorithm.oid != oid::EC_PUBLIC_KEY {
            return Err(Error::UnsupportedKeyType);
        }
        let curve = info
            .algorithm
            .parameters_oid()
            .map_err(|_| Error::KeyMalformed)?;
        Self::from_sec1_der_on(oid::curve_kind(curve)?, info.private_key.as_bytes())
    }

    /// Parses a SEC1 `ECPrivateKey` (DER; PEM label `EC PRIVATE KEY`). The
    /// curve comes from the key's parameters, or from the private key's
    /// length when they are absent.
    ///
    /// # Errors
    /// `KeyMalformed`, `UnsupportedKeyType` (another curve).
    pub fn from_sec1_der(der: &[u8]) -> Result<Self> {
        use sec1::der::Decode;
        let parsed = sec1::EcPrivateKey::from_der(der).map_err(|_| Error::KeyMalformed)?;
        let kind = match parsed.parameters.and_then(|p| p.named_curve()) {
            Some(curve) => oid::curve_kind(curve)?,
            None => match parsed.private_key.len() {
                32 => KeyKind::P256,
                48 => KeyKind::P384,
                66 => KeyKind::P521,
                _ => return Err(Error::KeyMalformed),
            },
        };
        Self::from_sec1_der_on(kind, der)
    }

    fn from_sec1_der_on(kind: KeyKind, sec1: &[u8]) -> Result<Self> {
        let _ = sec1;
        Ok(match kind {
            #[cfg(feature = "es256")]
            KeyKind::P256 => Self::P256(
                p256::SecretKey::from_sec1_der(sec1)
                    .map_err(|_| Error::KeyMalformed)?
                    .into(),
            ),
            #[cfg(feature = "es384")]
            KeyKind::P384 => Self::P384(
                p384::SecretKey::from_sec1_der(sec1)
                    .map_err(|_| Error::KeyMalformed)?
                    .into(),
            ),
            #[cfg(feature = "es512")]
            KeyKind::P521 => Self::P521(
                p521::ecdsa::SigningKey::from_bytes(
                    &p521::SecretKey::from_sec1_der(sec1)
                        .map_err(|_| Error::KeyMalformed)?
                        .to_bytes(),
                )
                .map_err(|_| Error::KeyMalformed)?,
            ),
            _ => return Err(Error::UnsupportedKeyType),
        })
    }

    /// A key from its raw big-endian private scalar (exactly 32, 48 or 66
    /// bytes, as in a JWK's `d`) on the curve `alg` names (ES256, ES384,
    /// ES512).
    ///
    /// # Errors
    /// `KeyAlgorithmMismatch` for a non-ECDSA `alg`, `KeyMalformed` for a
    /// scalar of the wrong length, zero or out of range.
    /// `UnsupportedKeyType` when the curve's feature is not compiled in.
    pub fn from_scalar(alg: Algorithm, scalar: &[u8]) -> Result<Self> {
        // RFC 7518 §6.2.2.1: exactly the field size (no short, padded forms).
        let size = match alg {
            Algorithm::Es256 => 32,
            Algorithm::Es384 => 48,
            Algorithm::Es512 => 66,
            _ => {
                return Err(Error::KeyAlgorithmMismatch {
                    key: KeyKind::P256,
                    alg,
                });
            }
        };
        if scalar.len() != size {
            return Err(Error::KeyMalformed);
        }
        Ok(match alg {
            #[cfg(feature = "es256")]
            Algorithm::Es256 => Self::P256(
                p256::ecdsa::SigningKey::from_slice(scalar).map_err(|_| Error::KeyMalformed)?,
            ),
            #[cfg(feature = "es384")]
            Algorithm::Es384 => Self::P384(
                p384::ecdsa::SigningKey::from_slice(scalar).map_err(|_| Error::KeyMalformed)?,
            ),
            #[cfg(feature = "es512")]
            Algorithm::Es512 => Self::P521(
                p521::ecdsa::SigningKey::from_slice(scalar).map_err(|_| Error::KeyMalformed)?,
            ),
            #[allow(unreachable_patterns)] // every curve compiled in
            Algorithm::Es256 | Algorithm::Es384 | Algorithm::Es512 => {
                return Err(Error::UnsupportedKeyType);
            }
            _ => {
                return Err(Error::KeyAlgorithmMismatch {
                    key: KeyKind::P256,
                    alg,
                });
            }
        })
    }

    /// The curve.
    pub const fn kind(&self) -> KeyKind {
        match self {
            #[cfg(feature = "es256")]
            Self::P256(_) => KeyKind::P256,
            #[cfg(feature = "es384")]
            Self::P384(_) => KeyKind::P384,
            #[cfg(feature = "es512")]
            Self::P521(_) => KeyKind::P521,
        }
    }

    /// The one algorithm this key signs: ES256, ES384 or ES512.
    pub const fn algorithm(&self) -> Algorithm {
        match self {
            #[cfg(feature = "es256")]
            Self::P256(_) => Algorithm::Es256,
            #[cfg(feature = "es384")]
            Self::P384(_) => Algorithm::Es384,
            #[cfg(feature = "es512")]
            Self::P521(_) => Algorithm::Es512,
        }
    }

    /// The uncompressed SEC1 public point (`04 || x || y`) written into
    /// `out`; returns its length (65, 97 or 133).
    ///
    /// # Errors
    /// `BufferTooSmall`.
    pub fn public_point(&self, out: &mut [u8]) -> Result<usize> {
        #[cfg(feature = "es256")]
        use p256::elliptic_curve::sec1::ToSec1Point;
        #[cfg(all(not(feature = "es256"), feature = "es384"))]
        use p384::elliptic_curve::sec1::ToSec1Point;
        #[cfg(all(not(feature = "es256"), not(feature = "es384")))]
        use p521::elliptic_curve::sec1::ToSec1Point;
        match self {
            #[cfg(feature = "es256")]
            Self::P256(k) => copy_to(
                k.verifying_key()
                    .as_affine()
                    .to_sec1_point(false)
                    .as_bytes(),
                out,
            ),
            #[cfg(feature = "es384")]
            Self::P384(k) => copy_to(
                k.verifying_key()
                    .as_affine()
                    .to_sec1_point(false)
                    .as_bytes(),
                out,
            ),
            #[cfg(feature = "es512")]
            Self::P521(k) => copy_to(
                k.verifying_key()
                    .as_affine()
                    .to_sec1_point(false)
                    .as_bytes(),
                out,
            ),
        }
    }

    /// The big-endian private scalar, for handing the key to another backend.
    #[cfg(feature = "aws-lc")]
    pub(crate) fn scalar_bytes(&self) -> zeroize::Zeroizing<alloc::vec::Vec<u8>> {
        zeroize::Zeroizing::new(match self {
            #[cfg(feature = "es256")]
            Self::P256(k) => k.to_bytes().to_vec(),
            #[cfg(feature = "es384")]
            Self::P384(k) => k.to_bytes().to_vec(),
            #[cfg(feature = "es512")]
            Self::P521(k) => k.to_bytes().to_vec(),
        })
    }

    /// A deterministic (RFC 6979) signer for `alg`, which must be this
    /// key's (ES256 for P-256, ...): no RNG.
    ///
    /// # Errors
    /// `KeyAlgorithmMismatch`.
    pub fn signer(&self, alg: Algorithm) -> Result<EcdsaSigner<'_, NoRng>> {
        self.signer_opt(alg, None)
    }

    /// A signer for `alg` that adds randomness from `rng` to the RFC 6979
    /// nonce (hedged signatures: still safe if the RNG is weak).
    ///
    /// # Errors
    /// `KeyAlgorithmMismatch`.
    pub fn signer_with_rng<'a, R: TryCryptoRng + ?Sized>(
        &'a self,
        alg: Algorithm,
        rng: &'a mut R,
    ) -> Result<EcdsaSigner<'a, R>> {
        self.signer_opt(alg, Some(rng))
    }

    /// Deterministic without `rng`, hedged with it.
    pub(crate) fn signer_opt<'a, R: ?Sized>(
        &'a self,
        alg: Algorithm,
        rng: Option<&'a mut R>,
    ) -> Result<EcdsaSigner<'a, R>> {
        super::kind::check(self.kind(), alg)?;
        Ok(EcdsaSigner { key: self, rng })
    }

    /// SHA-256 over the uncompressed public point, domain-separated (the
    /// value [`JwsKey::fingerprint`] returns, also for a
    /// [`SigningKey`](crate::SigningKey) holding this key).
    pub fn fingerprint(&self) -> [u8; 32] {
        let mut point = [0u8; 1 + 2 * 66];
        let n = self.public_point(&mut point).unwrap_or(0);
        super::fingerprint::of(b"jwtmint ec public key\0", &[point.get(..n).unwrap_or(&[])])
    }
}

/// The deterministic signer for the profile's algorithm: an `EcdsaKey` is
/// a [`JwsKey`] with or without `std`.
impl JwsKey for EcdsaKey {
    type Signer<'k> = EcdsaSigner<'k, NoRng>;

    fn signer(&self, alg: Algorithm) -> Result<Self::Signer<'_>> {
        EcdsaKey::signer(self, alg)
    }

    fn fingerprint(&self) -> Option<[u8; 32]> {
        Some(EcdsaKey::fingerprint(self))
    }
}

fn copy_to(src: &[u8], out: &mut [u8]) -> Result<usize> {
    let dst = out
        .get_mut(..src.len())
        .ok_or(Error::BufferTooSmall { needed: src.len() })?;
    dst.copy_from_slice(src);
    Ok(src.len())
}

/// The [`JwsSigner`] over a borrowed [`EcdsaKey`]: writes `r || s`.
pub struct EcdsaSigner<'a, R: ?Sized> {
    key: &'a EcdsaKey,
    rng: Option<&'a mut R>,
}

impl<R: ?Sized> core::fmt::Debug for EcdsaSigner<'_, R> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("EcdsaSigner")
            .field("alg", &self.key.algorithm())
            .field("randomized", &self.rng.is_some())
            .finish_non_exhaustive()
    }
}

/// Signs `input` with `key`, deterministic or hedged with `rng`, and copies
/// the fixed-size `r || s` into `out`.
fn sign_with<K, S, R>(key: &K, rng: Option<&mut R>, input: &[u8], out: &mut [u8]) -> Result<usize>
where
    K: Signer<S> + RandomizedSigner<S>,
    S: SignatureEncoding,
    R: TryCryptoRng + ?Sized,
{
    let sig: S = match rng {
        None => key.try_sign(input),
        Some(r) => key.try_sign_with_rng(r, input),
    }
    .map_err(|_| Error::Signing)?;
    put_signature(sig.to_bytes().as_ref(), out)
}

impl<R: TryCryptoRng + ?Sized> JwsSigner for EcdsaSigner<'_, R> {
    fn algorithm(&self) -> Algorithm {
        self.key.algorithm()
    }

    fn signature_len(&self) -> usize {
        self.key.algorithm().fixed_signature_len().unwrap_or(0)
    }

    fn sign(&mut self, signing_input: &[u8], signature: &mut [u8]) -> Result<usize> {
        let rng = self.rng.as_deref_mut();
        match self.key {
            #[cfg(feature = "es256")]
            EcdsaKey::P256(k) => {
                sign_with::<_, p256::ecdsa::Signature, R>(k, rng, signing_input, signature)
            }
            #[cfg(feature = "es384")]
            EcdsaKey::P384(k) => {
                sign_with::<_, p384::ecdsa::Signature, R>(k, rng, signing_input, signature)
            }
            #[cfg(feature = "es512")]
            EcdsaKey::P521(k) => {
                sign_with::<_, p521::ecdsa::Signature, R>(k, rng, signing_input, signature)
            }
        }
    }
}
