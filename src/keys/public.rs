//! RSA public keys for verification (feature `alloc`): SPKI (`PUBLIC KEY`),
//! PKCS#1 (`RSA PUBLIC KEY`), X.509 certificates (`CERTIFICATE`, via
//! `x509-cert`; only the subject public key is used — no chain or validity
//! checks) and RSA JWKs. Moduli under 2048 or over 8192 bits are refused.

use alloc::vec;

use der::Decode;
use der::asn1::UintRef;
use pkcs1::RsaPublicKeyRef;
use rsa::RsaPublicKey;
use spki::SubjectPublicKeyInfoRef;
use x509_cert::Certificate;

use super::signing::{MAX_RSA_BITS, MIN_RSA_BITS, uint_bits};
use crate::error::{Error, JsonPart, Result};
use crate::json::view::JsonStr;

/// An RSA public key, parsed once.
#[derive(Clone, PartialEq, Eq)]
pub struct PublicKey {
    key: RsaPublicKey,
    bits: usize,
}

impl core::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("PublicKey")
            .field("bits", &self.bits)
            .finish_non_exhaustive()
    }
}

#[derive(serde::Deserialize)]
struct JwkSerde<'a> {
    #[serde(borrow)]
    kty: JsonStr<'a>,
    #[serde(borrow, default)]
    n: Option<JsonStr<'a>>,
    #[serde(borrow, default)]
    e: Option<JsonStr<'a>>,
}

impl PublicKey {
    /// Parses PEM: `PUBLIC KEY` (SPKI), `RSA PUBLIC KEY` (PKCS#1) or
    /// `CERTIFICATE` (X.509). Text before the `-----BEGIN` line is ignored;
    /// after the `-----END` line only whitespace and NUL bytes are allowed.
    ///
    /// # Errors
    /// `PublicKeyMalformed`, `UnsupportedPemLabel`, `UnsupportedKeyType`,
    /// `KeyTooSmall`, `KeyTooLarge`.
    pub fn from_pem(pem: &str) -> Result<Self> {
        let pem = super::pem::block(pem, super::pem::BEGIN, Error::PublicKeyMalformed)?;
        let (label, doc) = der::Document::from_pem(pem).map_err(|_| Error::PublicKeyMalformed)?;
        match label {
            "PUBLIC KEY" => Self::from_spki_der(doc.as_bytes()),
            "RSA PUBLIC KEY" => Self::from_pkcs1_der(doc.as_bytes()),
            "CERTIFICATE" => Self::from_certificate_der(doc.as_bytes()),
            _ => Err(Error::UnsupportedPemLabel),
        }
    }

    /// Parses DER: SPKI, PKCS#1 `RSAPublicKey` or an X.509 certificate.
    ///
    /// # Errors
    /// As [`PublicKey::from_pem`].
    pub fn from_der(der: &[u8]) -> Result<Self> {
        if let Ok(spki) = SubjectPublicKeyInfoRef::from_der(der) {
            return Self::from_spki(&spki);
        }
        if RsaPublicKeyRef::from_der(der).is_ok() {
            return Self::from_pkcs1_der(der);
        }
        Self::from_certificate_der(der)
    }

    /// Parses a DER `SubjectPublicKeyInfo` holding an RSA key.
    ///
    /// # Errors
    /// As [`PublicKey::from_pem`].
    pub fn from_spki_der(der: &[u8]) -> Result<Self> {
        let spki = SubjectPublicKeyInfoRef::from_der(der).map_err(|_| Error::PublicKeyMalformed)?;
        Self::from_spki(&spki)
    }

    fn from_spki(spki: &SubjectPublicKeyInfoRef<'_>) -> Result<Self> {
        if spki.algorithm.oid != pkcs1::ALGORITHM_OID {
            return Err(Error::UnsupportedKeyType);
        }
        // rsaEncryption parameters must be absent or NULL (RFC 3279 §2.3.1).
        if let Some(p) = spki.algorithm.parameters
            && !p.is_null()
        {
            return Err(Error::PublicKeyMalformed);
        }
        let bytes = spki
            .subject_public_key
            .as_bytes()
            .ok_or(Error::PublicKeyMalformed)?;
        Self::from_pkcs1_der(bytes)
    }

    /// Parses a DER PKCS#1 `RSAPublicKey`.
    ///
    /// # Errors
    /// As [`PublicKey::from_pem`].
    pub fn from_pkcs1_der(der: &[u8]) -> Result<Self> {
        let k = RsaPublicKeyRef::from_der(der).map_err(|_| Error::PublicKeyMalformed)?;
        Self::from_pkcs1(k)
    }

    fn from_pkcs1(k: RsaPublicKeyRef<'_>) -> Result<Self> {
        let bits = uint_bits(k.modulus.as_bytes());
        if bits < MIN_RSA_BITS {
            return Err(Error::KeyTooSmall { bits });
        }
        if bits > MAX_RSA_BITS {
            return Err(Error::KeyTooLarge { bits });
        }
        let key = RsaPublicKey::try_from(k).map_err(|_| Error::PublicKeyMalformed)?;
        Ok(Self { key, bits })
    }

    /// Takes the subject public key of a DER X.509 certificate. The
    /// certificate itself is not validated (no chain, no dates).
    ///
    /// # Errors
    /// As [`PublicKey::from_pem`].
    pub fn from_certificate_der(der: &[u8]) -> Result<Self> {
        let cert = Certificate::from_der(der).map_err(|_| Error::PublicKeyMalformed)?;
        let spki = cert.tbs_certificate().subject_public_key_info();
        if spki.algorithm.oid != pkcs1::ALGORITHM_OID {
            return Err(Error::UnsupportedKeyType);
        }
        let bytes = spki
            .subject_public_key
            .as_bytes()
            .ok_or(Error::PublicKeyMalformed)?;
        Self::from_pkcs1_der(bytes)
    }

    /// Parses an RSA JWK (`{"kty":"RSA","n":"…","e":"…"}`, RFC 7518 §6.3);
    /// other members (`alg`, `kid`, `use`, private members) are ignored.
    ///
    /// # Errors
    /// JSON errors with `part: Jwk`, `UnsupportedKeyType` (kty not RSA),
    /// `JwkNotForVerification` (`use` not `sig`, `key_ops` without `verify`),
    /// `PublicKeyMalformed`, `InvalidBase64`, `KeyTooSmall`, `KeyTooLarge`.
    pub fn from_jwk(json: &str) -> Result<Self> {
        crate::json::check::validate_object(json, JsonPart::Jwk)?;
        let (jwk, _) = serde_json_core::from_str::<JwkSerde<'_>>(json).map_err(|_| {
            Error::InvalidMemberType {
                part: JsonPart::Jwk,
                name: "kty",
            }
        })?;
        if !jwk.kty.eq_str("RSA") {
            return Err(Error::UnsupportedKeyType);
        }
        // RFC 7517 §4.2/§4.3: a key marked for encryption is not a verification key.
        let members = crate::json::view::Members::new(json);
        if let Some(u) = members.clone().get("use")
            && !crate::json::view::raw_string(u).is_some_and(|u| u.eq_str("sig"))
        {
            return Err(Error::JwkNotForVerification);
        }
        if let Some(ops) = members.get("key_ops") {
            let verify = crate::json::view::Elements::new(ops).is_some_and(|mut e| {
                e.any(|op| crate::json::view::raw_string(op).is_some_and(|op| op.eq_str("verify")))
            });
            if !verify {
                return Err(Error::JwkNotForVerification);
            }
        }
        let (Some(n), Some(e)) = (jwk.n, jwk.e) else {
            return Err(Error::PublicKeyMalformed);
        };
        // Base64Url never needs escapes; an escaped value is refused.
        let (Some(n), Some(e)) = (n.as_str(), e.as_str()) else {
            return Err(Error::InvalidBase64);
        };
        let mut nb = vec![0u8; crate::base64url::decoded_len_max(n.len())];
        let mut eb = vec![0u8; crate::base64url::decoded_len_max(e.len())];
        let nl = crate::base64url::decode(n.as_bytes(), &mut nb)?;
        let el = crate::base64url::decode(e.as_bytes(), &mut eb)?;
        let modulus = UintRef::new(nb.get(..nl).unwrap_or_default())
            .map_err(|_| Error::PublicKeyMalformed)?;
        let public_exponent = UintRef::new(eb.get(..el).unwrap_or_default())
            .map_err(|_| Error::PublicKeyMalformed)?;
        Self::from_pkcs1(RsaPublicKeyRef {
            modulus,
            public_exponent,
        })
    }

    /// Modulus size in bits.
    pub const fn bits(&self) -> usize {
        self.bits
    }

    /// Signature length in bytes (the modulus length).
    pub const fn signature_len(&self) -> usize {
        self.bits.div_ceil(8)
    }

    /// The key's DER `SubjectPublicKeyInfo` (what `openssl rsa -pubout
    /// -outform DER` prints): the input of SPKI fingerprints such as
    /// Snowflake's `SHA256:` key fingerprint.
    ///
    /// # Errors
    /// `PublicKeyMalformed` if the key cannot be encoded (not expected).
    pub fn spki_der(&self) -> Result<alloc::vec::Vec<u8>> {
        use spki::EncodePublicKey;
        self.key
            .to_public_key_der()
            .map(|d| d.into_vec())
            .map_err(|_| Error::PublicKeyMalformed)
    }

    /// SHA-256 of [`PublicKey::spki_der`].
    ///
    /// # Errors
    /// As [`PublicKey::spki_der`].
    pub fn spki_sha256(&self) -> Result<[u8; 32]> {
        use sha2::Digest;
        Ok(sha2::Sha256::digest(self.spki_der()?).into())
    }

    /// The underlying `rsa` key. Crate-private: `rsa` is a release candidate,
    /// so its types stay out of the public API.
    pub(crate) const fn as_rsa(&self) -> &RsaPublicKey {
        &self.key
    }
}

impl From<&super::signing::SigningKey> for PublicKey {
    /// The public half of a signing key.
    fn from(k: &super::signing::SigningKey) -> Self {
        Self {
            key: k.as_rsa().to_public_key(),
            bits: k.bits(),
        }
    }
}
