//! Private keys of every supported type, parsed once into a reusable,
//! shareable [`SigningKey`]; the type is sniffed from the PEM label and the
//! PKCS#8 algorithm OID.
//!
//! Accepts PKCS#8 (`BEGIN PRIVATE KEY`, DER) holding RSA, EC P-256/P-384/
//! P-521 or Ed25519 (RFC 8410); PKCS#1 (`BEGIN RSA PRIVATE KEY`); SEC1
//! (`BEGIN EC PRIVATE KEY`, with or without OpenSSL's `EC PARAMETERS` block
//! before it); and raw HMAC secrets ([`SigningKey::from_hmac_secret`]).
//! Refuses encrypted keys (PKCS#8 and legacy `Proc-Type: 4,ENCRYPTED` PEM)
//! with `EncryptedKey`, other key types with `UnsupportedKeyType`, RSA
//! moduli under 2048 or over 8192 bits, HMAC secrets under 32 bytes.
//! Decoded DER is held in zeroizing buffers; keys are zeroized on drop;
//! `Debug` shows only the key type and size.

use der::{Decode, SliceReader, Tag};
use pkcs1::RsaPrivateKeyRef;
use pkcs8::{PrivateKeyInfoRef, SecretDocument};
use rsa::RsaPrivateKey;

use super::backend::Backend;
#[cfg(feature = "ecdsa")]
use super::ecdsa::EcdsaKey;
#[cfg(feature = "eddsa")]
use super::eddsa::Ed25519Key;
use crate::alg::{Algorithm, KeyKind};
use crate::error::{Error, Result};

/// Smallest accepted RSA modulus.
pub const MIN_RSA_BITS: usize = 2048;
/// Largest accepted RSA modulus.
pub const MAX_RSA_BITS: usize = 8192;

/// A private key (RSA, EC P-256/P-384/P-521, Ed25519) or HMAC secret,
/// parsed once and used for any number of signatures.
///
/// `Send + Sync`: share one `&SigningKey` (or an `Arc`) between threads; every
/// signature borrows it immutably. Key material is zeroized on drop. The key
/// type and the algorithm must agree: [`JwsKey::signer`](crate::signer::JwsKey::signer)
/// refuses a mismatch with `KeyAlgorithmMismatch`.
pub struct SigningKey {
    inner: Inner,
    /// The aws-lc copy of the key when that backend is selected.
    #[cfg(feature = "aws-lc")]
    awslc: Option<super::backend::awslc::AwsLcKey>,
}

/// The key material, by type (one per key, parsed once: boxing the RSA key
/// would only add an indirection).
#[allow(clippy::large_enum_variant)]
pub(crate) enum Inner {
    Rsa {
        key: RsaPrivateKey,
        bits: usize,
    },
    #[cfg(feature = "ecdsa")]
    Ec(EcdsaKey),
    #[cfg(feature = "eddsa")]
    Ed25519(Ed25519Key),
    #[cfg(feature = "hmac")]
    Hmac(zeroize::Zeroizing<alloc::vec::Vec<u8>>),
}

debug_public!(SigningKey, "bits" => Self::bits);

/// Shortest HMAC secret accepted at all (HS256's; HS384/HS512 need 48/64).
pub const MIN_HMAC_SECRET_LEN: usize = 32;

/// An owned copy of an HMAC secret of at least [`MIN_HMAC_SECRET_LEN`]
/// bytes: what [`SigningKey`] and `PublicKey` keep (`HmacKeyTooShort`
/// otherwise).
#[cfg(feature = "hmac")]
pub(super) fn hmac_secret(secret: &[u8]) -> Result<zeroize::Zeroizing<alloc::vec::Vec<u8>>> {
    if secret.len() < MIN_HMAC_SECRET_LEN {
        return Err(Error::HmacKeyTooShort {
            len: secret.len(),
            min: MIN_HMAC_SECRET_LEN,
        });
    }
    Ok(zeroize::Zeroizing::new(secret.to_vec()))
}

/// The PEM labels this library reads.
const LABEL_PKCS8: &str = "PRIVATE KEY";
const LABEL_PKCS1: &str = "RSA PRIVATE KEY";
const LABEL_ENCRYPTED: &str = "ENCRYPTED PRIVATE KEY";
const LABEL_SEC1: &str = "EC PRIVATE KEY";
/// `openssl ecparam -genkey` writes this block before the key.
const EC_PARAMETERS: &str = "-----BEGIN EC PARAMETERS-----";

impl SigningKey {
    /// Parses a PEM private key: PKCS#8 (`PRIVATE KEY`: RSA, EC, Ed25519),
    /// PKCS#1 (`RSA PRIVATE KEY`) or SEC1 (`EC PRIVATE KEY`). Text before the `-----BEGIN` line is ignored;
    /// after the `-----END` line only whitespace and NUL bytes are allowed
    /// (a trailing blank line, `\r\n`, a C string's NUL).
    ///
    /// ```
    /// let key = jwtmint::SigningKey::from_pem(include_str!("../../examples/keys/demo-key.pem")).unwrap();
    /// assert_eq!(key.bits(), 2048);
    /// assert_eq!(format!("{key:?}"), "SigningKey { bits: 2048, .. }");
    /// ```
    ///
    /// # Errors
    /// `EncryptedKey`, `UnsupportedPemLabel`, `KeyMalformed`, `UnsupportedKeyType`,
    /// `KeyTooSmall`, `KeyTooLarge`.
    pub fn from_pem(pem: &str) -> Result<Self> {
        let begin = if pem.contains(EC_PARAMETERS) {
            "-----BEGIN EC PRIVATE KEY-----"
        } else {
            super::pem::BEGIN
        };
        let pem = super::pem::block(pem, begin, Error::KeyMalformed)?;
        if pem.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----")
            || super::pem::is_legacy_encrypted(pem)
        {
            return Err(Error::EncryptedKey);
        }
        let (label, doc) = SecretDocument::from_pem(pem).map_err(|_| Error::KeyMalformed)?;
        match label {
            LABEL_PKCS8 => Self::from_pkcs8_der(doc.as_bytes()),
            LABEL_PKCS1 => Self::from_pkcs1_der(doc.as_bytes()),
            LABEL_SEC1 => Self::from_sec1_der(doc.as_bytes()),
            LABEL_ENCRYPTED => Err(Error::EncryptedKey),
            _ => Err(Error::UnsupportedPemLabel),
        }
    }

    /// Parses DER, PKCS#8, PKCS#1 or SEC1, telling them apart by structure.
    ///
    /// # Errors
    /// As [`SigningKey::from_pem`].
    pub fn from_der(der: &[u8]) -> Result<Self> {
        match der_shape(der)? {
            Shape::Pkcs8 => Self::from_pkcs8_der(der),
            Shape::Pkcs1 => Self::from_pkcs1_der(der),
            Shape::Sec1 => Self::from_sec1_der(der),
            Shape::EncryptedPkcs8 => Err(Error::EncryptedKey),
        }
    }

    /// Parses an unencrypted PKCS#8 `PrivateKeyInfo` (DER) holding an RSA,
    /// EC (P-256/P-384/P-521) or Ed25519 key, chosen by the algorithm OID.
    /// Every other key front end (encrypted PKCS#8, JWK, PKCS#12) ends here.
    ///
    /// # Errors
    /// As [`SigningKey::from_pem`].
    pub fn from_pkcs8_der(der: &[u8]) -> Result<Self> {
        let info = match PrivateKeyInfoRef::from_der(der) {
            Ok(info) => info,
            Err(_) if matches!(der_shape(der), Ok(Shape::EncryptedPkcs8)) => {
                return Err(Error::EncryptedKey);
            }
            Err(_) => return Err(Error::KeyMalformed),
        };
        match info.algorithm.oid {
            o if o == super::oid::RSA_ENCRYPTION => {
                Self::from_pkcs1_der(info.private_key.as_bytes())
            }
            #[cfg(feature = "ecdsa")]
            o if o == super::oid::EC_PUBLIC_KEY => {
                Self::from_inner(Inner::Ec(EcdsaKey::from_pkcs8_der(der)?))
            }
            #[cfg(feature = "eddsa")]
            o if o == super::oid::ED25519 => {
                Self::from_inner(Inner::Ed25519(Ed25519Key::from_pkcs8_der(der)?))
            }
            _ => Err(Error::UnsupportedKeyType),
        }
    }

    /// Parses a SEC1 `ECPrivateKey` (DER, PEM label `EC PRIVATE KEY`).
    ///
    /// # Errors
    /// As [`SigningKey::from_pem`].
    pub fn from_sec1_der(der: &[u8]) -> Result<Self> {
        #[cfg(feature = "ecdsa")]
        return Self::from_inner(Inner::Ec(EcdsaKey::from_sec1_der(der)?));
        #[cfg(not(feature = "ecdsa"))]
        {
            let _ = der;
            Err(Error::UnsupportedKeyType)
        }
    }

    /// A raw HMAC secret for HS256 / HS384 / HS512 (`client_secret_jwt`):
    /// the bytes are the key, as given (no Base64, no trimming). At least
    /// 32 bytes; HS384 and HS512 signers need 48 and 64.
    ///
    /// # Errors
    /// `HmacKeyTooShort`; `UnsupportedKeyType` without the `hmac` feature.
    pub fn from_hmac_secret(secret: &[u8]) -> Result<Self> {
        #[cfg(feature = "hmac")]
        return Self::from_inner(Inner::Hmac(hmac_secret(secret)?));
        #[cfg(not(feature = "hmac"))]
        {
            let _ = secret;
            Err(Error::UnsupportedKeyType)
        }
    }

    fn from_inner(inner: Inner) -> Result<Self> {
        let key = Self {
            inner,
            #[cfg(feature = "aws-lc")]
            awslc: None,
        };
        key.with_backend(Backend::DEFAULT)
    }

    /// Parses a PKCS#1 `RSAPrivateKey` (DER).
    ///
    /// # Errors
    /// As [`SigningKey::from_pem`].
    pub fn from_pkcs1_der(der: &[u8]) -> Result<Self> {
        let parsed = RsaPrivateKeyRef::from_der(der).map_err(|_| Error::KeyMalformed)?;
        let bits = rsa_bits(parsed.modulus.as_bytes())?;
        let key = RsaPrivateKey::try_from(parsed).map_err(|_| Error::KeyMalformed)?;
        Self::from_inner(Inner::Rsa { key, bits })
    }

    /// Moves the key to `backend` (see [`Backend`]); a no-op if it is there.
    ///
    /// # Errors
    /// `KeyMalformed` if the backend refuses the key.
    pub fn with_backend(self, backend: Backend) -> Result<Self> {
        match backend {
            Backend::RustCrypto => {
                #[cfg(feature = "aws-lc")]
                {
                    let mut this = self;
                    this.awslc = None;
                    Ok(this)
                }
                #[cfg(not(feature = "aws-lc"))]
                Ok(self)
            }
            #[cfg(feature = "aws-lc")]
            Backend::AwsLc => {
                if self.awslc.is_some() {
                    return Ok(self);
                }
                use super::backend::awslc::AwsLcKey;
                let awslc = match &self.inner {
                    Inner::Rsa { key, .. } => {
                        use pkcs1::EncodeRsaPrivateKey;
                        let der = key.to_pkcs1_der().map_err(|_| Error::KeyMalformed)?;
                        AwsLcKey::rsa(der.as_bytes())?
                    }
                    Inner::Ec(k) => {
                        let mut point = [0u8; 133];
                        let n = k.public_point(&mut point)?;
                        let public = point.get(..n).ok_or(Error::KeyMalformed)?;
                        AwsLcKey::ecdsa(k.algorithm(), &k.scalar_bytes(), public)?
                    }
                    Inner::Ed25519(k) => AwsLcKey::ed25519(&*k.seed())?,
                    Inner::Hmac(secret) => AwsLcKey::hmac(secret),
                };
                Ok(Self {
                    awslc: Some(awslc),
                    ..self
                })
            }
        }
    }

    /// The backend that performs this key's private-key operations.
    pub const fn backend(&self) -> Backend {
        #[cfg(feature = "aws-lc")]
        if self.awslc.is_some() {
            return Backend::AwsLc;
        }
        Backend::RustCrypto
    }

    #[cfg(feature = "aws-lc")]
    pub(crate) const fn awslc(&self) -> Option<&super::backend::awslc::AwsLcKey> {
        self.awslc.as_ref()
    }

    /// The key's type.
    pub const fn kind(&self) -> KeyKind {
        match &self.inner {
            Inner::Rsa { .. } => KeyKind::Rsa,
            #[cfg(feature = "ecdsa")]
            Inner::Ec(k) => k.kind(),
            #[cfg(feature = "eddsa")]
            Inner::Ed25519(_) => KeyKind::Ed25519,
            #[cfg(feature = "hmac")]
            Inner::Hmac(_) => KeyKind::Hmac,
        }
    }

    /// Key size in bits: the RSA modulus, the curve (256, 384, 521; Ed25519
    /// 256), or the HMAC secret's length × 8.
    pub fn bits(&self) -> usize {
        match &self.inner {
            Inner::Rsa { bits, .. } => *bits,
            #[cfg(feature = "ecdsa")]
            Inner::Ec(k) => match k.kind() {
                KeyKind::P384 => 384,
                KeyKind::P521 => 521,
                _ => 256,
            },
            #[cfg(feature = "eddsa")]
            Inner::Ed25519(_) => 256,
            #[cfg(feature = "hmac")]
            Inner::Hmac(s) => s.len().saturating_mul(8),
        }
    }

    /// Signature length in bytes: the modulus size for RSA, `2 ×` the field
    /// size for ECDSA, 64 for Ed25519. An HMAC secret can make 32-, 48- or
    /// 64-byte MACs: this is the largest; use
    /// [`SigningKey::signature_len_for`] or the signer's length for HS256/HS384.
    pub fn signature_len(&self) -> usize {
        match &self.inner {
            Inner::Rsa { bits, .. } => bits.div_ceil(8),
            #[cfg(feature = "ecdsa")]
            Inner::Ec(k) => k.algorithm().fixed_signature_len().unwrap_or(0),
            #[cfg(feature = "eddsa")]
            Inner::Ed25519(_) => 64,
            #[cfg(feature = "hmac")]
            Inner::Hmac(_) => 64,
        }
    }

    /// The exact signature length for `alg`.
    ///
    /// # Errors
    /// `KeyAlgorithmMismatch` when this key cannot sign `alg`.
    pub fn signature_len_for(&self, alg: Algorithm) -> Result<usize> {
        super::kind::check(self.kind(), alg)?;
        Ok(alg
            .fixed_signature_len()
            .unwrap_or_else(|| self.signature_len()))
    }

    /// The key material (crate-private: `rsa` is a release candidate, so its
    /// types stay out of the public API).
    pub(crate) const fn inner(&self) -> &Inner {
        &self.inner
    }

    /// The underlying `rsa` key, if this is an RSA key.
    pub(crate) const fn as_rsa(&self) -> Option<&RsaPrivateKey> {
        #[allow(unreachable_patterns)] // an RSA-only build has one variant
        match &self.inner {
            Inner::Rsa { key, .. } => Some(key),
            _ => None,
        }
    }
}

/// An ECDSA key (e.g. from a JWK's `d`, via [`EcdsaKey::from_scalar`]) as a
/// `SigningKey` on the default backend.
#[cfg(feature = "ecdsa")]
impl TryFrom<EcdsaKey> for SigningKey {
    type Error = Error;
    fn try_from(key: EcdsaKey) -> Result<Self> {
        Self::from_inner(Inner::Ec(key))
    }
}

/// An Ed25519 key (e.g. from a JWK's `d`, via [`Ed25519Key::from_seed`]) as
/// a `SigningKey` on the default backend.
#[cfg(feature = "eddsa")]
impl TryFrom<Ed25519Key> for SigningKey {
    type Error = Error;
    fn try_from(key: Ed25519Key) -> Result<Self> {
        Self::from_inner(Inner::Ed25519(key))
    }
}

/// The size in bits of an RSA modulus (big-endian), within
/// [`MIN_RSA_BITS`]..=[`MAX_RSA_BITS`] (`KeyTooSmall`, `KeyTooLarge`): the
/// one size check for private keys, public keys and JWKs.
pub(crate) fn rsa_bits(modulus: &[u8]) -> Result<usize> {
    let bits = uint_bits(modulus);
    if bits < MIN_RSA_BITS {
        return Err(Error::KeyTooSmall { bits });
    }
    if bits > MAX_RSA_BITS {
        return Err(Error::KeyTooLarge { bits });
    }
    Ok(bits)
}

/// Number of significant bits in a big-endian unsigned integer.
fn uint_bits(be: &[u8]) -> usize {
    let Some(pos) = be.iter().position(|&b| b != 0) else {
        return 0;
    };
    let lead = be.get(pos).copied().unwrap_or(0);
    (be.len() - pos - 1) * 8 + (8 - lead.leading_zeros() as usize)
}

enum Shape {
    Pkcs8,
    Pkcs1,
    Sec1,
    EncryptedPkcs8,
}

/// Tells the three DER private-key shapes apart by their first members:
/// PKCS#1 `SEQUENCE { INTEGER version, INTEGER modulus, … }`,
/// PKCS#8 `SEQUENCE { INTEGER version, SEQUENCE algorithm, … }`,
/// SEC1 `SEQUENCE { INTEGER 1, OCTET STRING privateKey, … }`,
/// encrypted PKCS#8 `SEQUENCE { SEQUENCE algorithm, OCTET STRING }`.
fn der_shape(der: &[u8]) -> Result<Shape> {
    let malformed = |_| Error::KeyMalformed;
    let mut r = SliceReader::new(der).map_err(malformed)?;
    let outer = der::Header::decode(&mut r).map_err(malformed)?;
    if outer.tag() != Tag::Sequence {
        return Err(Error::KeyMalformed);
    }
    match Tag::peek(&r).map_err(malformed)? {
        Tag::Sequence => Ok(Shape::EncryptedPkcs8),
        Tag::Integer => {
            let _version = der::asn1::UintRef::decode(&mut r).map_err(malformed)?;
            match Tag::peek(&r).map_err(malformed)? {
                Tag::Sequence => Ok(Shape::Pkcs8),
                Tag::Integer => Ok(Shape::Pkcs1),
                Tag::OctetString => Ok(Shape::Sec1),
                _ => Err(Error::KeyMalformed),
            }
        }
        _ => Err(Error::KeyMalformed),
    }
}
