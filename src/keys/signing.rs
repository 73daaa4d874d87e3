//! RSA private keys, parsed once into a reusable, shareable [`SigningKey`].
//!
//! Accepts PKCS#8 (`BEGIN PRIVATE KEY`, DER) and PKCS#1 (`BEGIN RSA PRIVATE
//! KEY`, DER). Refuses encrypted keys (PKCS#8 and legacy `Proc-Type: 4,ENCRYPTED`
//! PEM) with `EncryptedKey`, non-RSA keys, and moduli under 2048 or
//! over 8192 bits. Decoded DER is held in zeroizing buffers; the key itself is
//! zeroized on drop by `rsa`; `Debug` shows only the modulus size.

use der::{Decode, SliceReader, Tag};
use pkcs1::RsaPrivateKeyRef;
use pkcs8::{PrivateKeyInfoRef, SecretDocument};
use rsa::RsaPrivateKey;

use super::backend::Backend;
use crate::error::{Error, Result};

/// Smallest accepted RSA modulus.
pub const MIN_RSA_BITS: usize = 2048;
/// Largest accepted RSA modulus.
pub const MAX_RSA_BITS: usize = 8192;

/// An RSA private key, parsed once and used for any number of signatures.
///
/// `Send + Sync`: share one `&SigningKey` (or an `Arc`) between threads; every
/// signature borrows it immutably. Key material is zeroized on drop.
pub struct SigningKey {
    key: RsaPrivateKey,
    bits: usize,
    /// The aws-lc copy of the key when that backend is selected.
    #[cfg(feature = "aws-lc")]
    awslc: Option<super::backend::awslc::AwsLcKey>,
}

impl core::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SigningKey")
            .field("bits", &self.bits)
            .finish_non_exhaustive()
    }
}

/// The PEM labels this library reads.
const LABEL_PKCS8: &str = "PRIVATE KEY";
const LABEL_PKCS1: &str = "RSA PRIVATE KEY";
const LABEL_ENCRYPTED: &str = "ENCRYPTED PRIVATE KEY";

impl SigningKey {
    /// Parses a PEM private key: PKCS#8 (`PRIVATE KEY`) or PKCS#1
    /// (`RSA PRIVATE KEY`). Text before the `-----BEGIN` line is ignored;
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
        let pem = super::pem::block(pem, super::pem::BEGIN, Error::KeyMalformed)?;
        if pem.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----")
            || super::pem::is_legacy_encrypted(pem)
        {
            return Err(Error::EncryptedKey);
        }
        let (label, doc) = SecretDocument::from_pem(pem).map_err(|_| Error::KeyMalformed)?;
        match label {
            LABEL_PKCS8 => Self::from_pkcs8_der(doc.as_bytes()),
            LABEL_PKCS1 => Self::from_pkcs1_der(doc.as_bytes()),
            LABEL_ENCRYPTED => Err(Error::EncryptedKey),
            _ => Err(Error::UnsupportedPemLabel),
        }
    }

    /// Parses DER, PKCS#8 or PKCS#1, telling them apart by structure.
    ///
    /// # Errors
    /// As [`SigningKey::from_pem`].
    pub fn from_der(der: &[u8]) -> Result<Self> {
        match der_shape(der)? {
            Shape::Pkcs8 => Self::from_pkcs8_der(der),
            Shape::Pkcs1 => Self::from_pkcs1_der(der),
            Shape::EncryptedPkcs8 => Err(Error::EncryptedKey),
        }
    }

    /// Parses an unencrypted PKCS#8 `PrivateKeyInfo` (DER) holding an RSA key.
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
        if info.algorithm.oid != pkcs1::ALGORITHM_OID {
            return Err(Error::UnsupportedKeyType);
        }
        Self::from_pkcs1_der(info.private_key.as_bytes())
    }

    /// Parses a PKCS#1 `RSAPrivateKey` (DER).
    ///
    /// # Errors
    /// As [`SigningKey::from_pem`].
    pub fn from_pkcs1_der(der: &[u8]) -> Result<Self> {
        let parsed = RsaPrivateKeyRef::from_der(der).map_err(|_| Error::KeyMalformed)?;
        let bits = uint_bits(parsed.modulus.as_bytes());
        if bits < MIN_RSA_BITS {
            return Err(Error::KeyTooSmall { bits });
        }
        if bits > MAX_RSA_BITS {
            return Err(Error::KeyTooLarge { bits });
        }
        let key = RsaPrivateKey::try_from(parsed).map_err(|_| Error::KeyMalformed)?;
        let key = Self {
            key,
            bits,
            #[cfg(feature = "aws-lc")]
            awslc: None,
        };
        key.with_backend(Backend::DEFAULT)
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
                use pkcs1::EncodeRsaPrivateKey;
                let der = self.key.to_pkcs1_der().map_err(|_| Error::KeyMalformed)?;
                let awslc = super::backend::awslc::AwsLcKey::from_pkcs1_der(der.as_bytes())?;
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

    /// Modulus size in bits.
    pub const fn bits(&self) -> usize {
        self.bits
    }

    /// Signature length in bytes (the modulus size rounded up to bytes).
    pub const fn signature_len(&self) -> usize {
        self.bits.div_ceil(8)
    }

    /// The underlying `rsa` key. Crate-private: `rsa` is a release candidate,
    /// so its types stay out of the public API.
    pub(crate) const fn as_rsa(&self) -> &RsaPrivateKey {
        &self.key
    }
}

/// Number of significant bits in a big-endian unsigned integer.
pub(crate) fn uint_bits(be: &[u8]) -> usize {
    let Some(pos) = be.iter().position(|&b| b != 0) else {
        return 0;
    };
    let lead = be.get(pos).copied().unwrap_or(0);
    (be.len() - pos - 1) * 8 + (8 - lead.leading_zeros() as usize)
}

enum Shape {
    Pkcs8,
    Pkcs1,
    EncryptedPkcs8,
}

/// Tells the three DER private-key shapes apart by their first members:
/// PKCS#1 `SEQUENCE { INTEGER version, INTEGER modulus, … }`,
/// PKCS#8 `SEQUENCE { INTEGER version, SEQUENCE algorithm, … }`,
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
                _ => Err(Error::KeyMalformed),
            }
        }
        _ => Err(Error::KeyMalformed),
    }
}
