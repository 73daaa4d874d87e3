//! Verification keys (feature `alloc`): RSA, EC P-256/P-384/P-521, Ed25519
//! public keys and HMAC secrets. Public keys come as SPKI (`PUBLIC KEY`),
//! PKCS#1 (`RSA PUBLIC KEY`), X.509 certificates (`CERTIFICATE`, via
//! `x509-cert`; only the subject public key is used — no chain or validity
//! checks) and JWKs (`RSA`, `EC`, `OKP`, and `oct` for HMAC secrets). RSA
//! moduli under 2048 or over 8192 bits are refused.

use alloc::vec::Vec;

use der::Decode;
use der::asn1::{ObjectIdentifier, UintRef};
use pkcs1::RsaPublicKeyRef;
use rsa::RsaPublicKey;
use spki::SubjectPublicKeyInfoRef;
use x509_cert::Certificate;
#[cfg(feature = "hmac")]
use zeroize::Zeroizing;

use super::signing::{Inner, rsa_bits};
use crate::alg::KeyKind;
use crate::error::{Error, Result};

/// A verification key, parsed once: its type ([`PublicKey::kind`]) pins
/// which algorithms it can ever check.
#[derive(Clone, PartialEq, Eq)]
pub struct PublicKey {
    inner: Public,
}

/// The key material, by type.
#[derive(Clone, PartialEq, Eq)]
pub(crate) enum Public {
    Rsa {
        key: RsaPublicKey,
        bits: usize,
    },
    #[cfg(feature = "es256")]
    P256(p256::ecdsa::VerifyingKey),
    #[cfg(feature = "es384")]
    P384(p384::ecdsa::VerifyingKey),
    #[cfg(feature = "es512")]
    P521(p521::ecdsa::VerifyingKey),
    #[cfg(feature = "eddsa")]
    Ed25519(ed25519_dalek::VerifyingKey),
    #[cfg(feature = "hmac")]
    Hmac(Zeroizing<Vec<u8>>),
}

debug_public!(PublicKey, "bits" => Self::bits);

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

    /// Parses a DER `SubjectPublicKeyInfo` holding an RSA, EC (P-256/384/521,
    /// uncompressed or compressed point) or Ed25519 key.
    ///
    /// # Errors
    /// As [`PublicKey::from_pem`].
    pub fn from_spki_der(der: &[u8]) -> Result<Self> {
        let spki = SubjectPublicKeyInfoRef::from_der(der).map_err(|_| Error::PublicKeyMalformed)?;
        Self::from_spki(&spki)
    }

    fn from_spki(spki: &SubjectPublicKeyInfoRef<'_>) -> Result<Self> {
        let params = spki.algorithm.parameters;
        let bytes = spki
            .subject_public_key
            .as_bytes()
            .ok_or(Error::PublicKeyMalformed)?;
        Self::from_spki_parts(
            spki.algorithm.oid,
            params.map(|p| (p.is_null(), p.decode_as::<ObjectIdentifier>().ok())),
            bytes,
        )
    }

    /// The key of an SPKI: its algorithm OID, its parameters (whether NULL,
    /// and the curve OID they name) and the subject public key bits.
    fn from_spki_parts(
        oid: ObjectIdentifier,
        params: Option<(bool, Option<ObjectIdentifier>)>,
        bytes: &[u8],
    ) -> Result<Self> {
        match oid {
            o if o == super::oid::RSA_ENCRYPTION => {
                // rsaEncryption parameters must be absent or NULL (RFC 3279 §2.3.1).
                if params.is_some_and(|(null, _)| !null) {
                    return Err(Error::PublicKeyMalformed);
                }
                Self::from_pkcs1_der(bytes)
            }
            o if o == super::oid::EC_PUBLIC_KEY => {
                let curve = params
                    .and_then(|(_, c)| c)
                    .ok_or(Error::PublicKeyMalformed)?;
                Self::from_sec1_point(super::oid::curve_kind(curve)?, bytes)
            }
            // RFC 8410 §3: the parameters MUST be absent.
            o if o == super::oid::ED25519 => {
                if params.is_some() {
                    return Err(Error::PublicKeyMalformed);
                }
                Self::from_ed25519_bytes(bytes)
            }
            _ => Err(Error::UnsupportedKeyType),
        }
    }

    /// An EC public key from its SEC1 point encoding on the curve of `kind`.
    ///
    /// # Errors
    /// `PublicKeyMalformed` (not a point on the curve, identity),
    /// `UnsupportedKeyType` (not an EC kind, or its feature is off).
    pub fn from_sec1_point(kind: KeyKind, point: &[u8]) -> Result<Self> {
        let _ = point;
        match kind {
            #[cfg(feature = "es256")]
            KeyKind::P256 => Ok(Self {
                inner: Public::P256(
                    p256::ecdsa::VerifyingKey::from_sec1_bytes(point)
                        .map_err(|_| Error::PublicKeyMalformed)?,
                ),
            }),
            #[cfg(feature = "es384")]
            KeyKind::P384 => Ok(Self {
                inner: Public::P384(
                    p384::ecdsa::VerifyingKey::from_sec1_bytes(point)
                        .map_err(|_| Error::PublicKeyMalformed)?,
                ),
            }),
            #[cfg(feature = "es512")]
            KeyKind::P521 => Ok(Self {
                inner: Public::P521(
                    p521::ecdsa::VerifyingKey::from_sec1_bytes(point)
                        .map_err(|_| Error::PublicKeyMalformed)?,
                ),
            }),
            _ => Err(Error::UnsupportedKeyType),
        }
    }

    /// An Ed25519 public key from its 32 bytes (RFC 8032 encoding).
    ///
    /// # Errors
    /// `PublicKeyMalformed` (wrong length, not a curve point),
    /// `UnsupportedKeyType` without the `eddsa` feature.
    pub fn from_ed25519_bytes(bytes: &[u8]) -> Result<Self> {
        #[cfg(not(feature = "eddsa"))]
        return {
            let _ = bytes;
            Err(Error::UnsupportedKeyType)
        };
        #[cfg(feature = "eddsa")]
        {
            let bytes: &[u8; 32] = bytes.try_into().map_err(|_| Error::PublicKeyMalformed)?;
            let key = ed25519_dalek::VerifyingKey::from_bytes(bytes)
                .map_err(|_| Error::PublicKeyMalformed)?;
            Ok(Self {
                inner: Public::Ed25519(key),
            })
        }
    }

    /// An HMAC secret as the verification key for HS256/HS384/HS512 (the
    /// same bytes the signer used). At least 32 bytes.
    ///
    /// # Errors
    /// `HmacKeyTooShort`.
    pub fn from_hmac_secret(secret: &[u8]) -> Result<Self> {
        #[cfg(feature = "hmac")]
        return Ok(Self {
            inner: Public::Hmac(super::signing::hmac_secret(secret)?),
        });
        #[cfg(not(feature = "hmac"))]
        {
            let _ = secret;
            Err(Error::UnsupportedKeyType)
        }
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
        let bits = rsa_bits(k.modulus.as_bytes())?;
        let key = RsaPublicKey::try_from(k).map_err(|_| Error::PublicKeyMalformed)?;
        Ok(Self {
            inner: Public::Rsa { key, bits },
        })
    }

    /// Takes the subject public key of a DER X.509 certificate. The
    /// certificate itself is not validated (no chain, no dates).
    ///
    /// # Errors
    /// As [`PublicKey::from_pem`].
    pub fn from_certificate_der(der: &[u8]) -> Result<Self> {
        let cert = Certificate::from_der(der).map_err(|_| Error::PublicKeyMalformed)?;
        Self::from_certificate(&cert)
    }

    /// The subject public key of a parsed certificate: the one place a
    /// certificate's key is read (`keys::x509` takes it from here).
    ///
    /// # Errors
    /// `PublicKeyMalformed`, `UnsupportedKeyType`, `KeyTooSmall`, `KeyTooLarge`.
    pub(crate) fn from_certificate(cert: &Certificate) -> Result<Self> {
        let spki = cert.tbs_certificate().subject_public_key_info();
        let bytes = spki
            .subject_public_key
            .as_bytes()
            .ok_or(Error::PublicKeyMalformed)?;
        let params = spki
            .algorithm
            .parameters
            .as_ref()
            .map(|p| (p.is_null(), p.decode_as::<ObjectIdentifier>().ok()));
        Self::from_spki_parts(spki.algorithm.oid, params, bytes)
    }

    /// Parses a public JWK (RFC 7517/7518 §6): `RSA` (`n`, `e`), `EC`
    /// (`crv` P-256/P-384/P-521, `x`, `y`), `OKP` (`crv` Ed25519, `x`,
    /// RFC 8037) or `oct` (`k`, an HMAC secret); other members (`alg`, `kid`,
    /// private members) are ignored.
    ///
    /// # Errors
    /// JSON errors with `part: Jwk`, `UnsupportedKeyType` (other `kty` or
    /// `crv`), `JwkNotForVerification` (`use` not `sig`, `key_ops` without
    /// `verify`), `PublicKeyMalformed`, `InvalidBase64`, `KeyTooSmall`,
    /// `KeyTooLarge`, `HmacKeyTooShort`.
    pub fn from_jwk(json: &str) -> Result<Self> {
        let jwk = super::formats::jwk_object::JwkObject::parse(json)?;
        // RFC 7517 §4.2/§4.3: a key marked for encryption is not a verification key.
        if let Some(u) = jwk.raw("use")
            && !crate::json::view::raw_string(u).is_some_and(|u| u.eq_str("sig"))
        {
            return Err(Error::JwkNotForVerification);
        }
        if let Some(ops) = jwk.raw("key_ops") {
            let verify = crate::json::view::Elements::new(ops).is_some_and(|mut e| {
                e.any(|op| crate::json::view::raw_string(op).is_some_and(|op| op.eq_str("verify")))
            });
            if !verify {
                return Err(Error::JwkNotForVerification);
            }
        }
        if jwk.kty().eq_str("RSA") {
            let n = jwk.bytes("n")?.ok_or(Error::PublicKeyMalformed)?;
            let e = jwk.bytes("e")?.ok_or(Error::PublicKeyMalformed)?;
            let modulus = UintRef::new(&n).map_err(|_| Error::PublicKeyMalformed)?;
            let public_exponent = UintRef::new(&e).map_err(|_| Error::PublicKeyMalformed)?;
            return Self::from_pkcs1(RsaPublicKeyRef {
                modulus,
                public_exponent,
            });
        }
        if jwk.kty().eq_str("oct") {
            return Self::from_hmac_secret(&jwk.bytes("k")?.ok_or(Error::PublicKeyMalformed)?);
        }
        let crv = jwk.string("crv")?.ok_or(Error::PublicKeyMalformed)?;
        if jwk.kty().eq_str("OKP") {
            if !crv.eq_str("Ed25519") {
                return Err(Error::UnsupportedKeyType);
            }
            return Self::from_ed25519_bytes(&jwk.bytes("x")?.ok_or(Error::PublicKeyMalformed)?);
        }
        if !jwk.kty().eq_str("EC") {
            return Err(Error::UnsupportedKeyType);
        }
        let (kind, size) = if crv.eq_str("P-256") {
            (KeyKind::P256, 32)
        } else if crv.eq_str("P-384") {
            (KeyKind::P384, 48)
        } else if crv.eq_str("P-521") {
            (KeyKind::P521, 66)
        } else {
            return Err(Error::UnsupportedKeyType);
        };
        // RFC 7518 §6.2.1.2: x and y are exactly the field size.
        let (x, y) = (
            jwk.bytes("x")?.ok_or(Error::PublicKeyMalformed)?,
            jwk.bytes("y")?.ok_or(Error::PublicKeyMalformed)?,
        );
        if x.len() != size || y.len() != size {
            return Err(Error::PublicKeyMalformed);
        }
        let mut point = Vec::with_capacity(1 + 2 * size);
        point.push(4);
        point.extend_from_slice(&x);
        point.extend_from_slice(&y);
        Self::from_sec1_point(kind, &point)
    }

    /// The key's type.
    pub const fn kind(&self) -> KeyKind {
        match &self.inner {
            Public::Rsa { .. } => KeyKind::Rsa,
            #[cfg(feature = "es256")]
            Public::P256(_) => KeyKind::P256,
            #[cfg(feature = "es384")]
            Public::P384(_) => KeyKind::P384,
            #[cfg(feature = "es512")]
            Public::P521(_) => KeyKind::P521,
            #[cfg(feature = "eddsa")]
            Public::Ed25519(_) => KeyKind::Ed25519,
            #[cfg(feature = "hmac")]
            Public::Hmac(_) => KeyKind::Hmac,
        }
    }

    /// Key size in bits: the RSA modulus, the curve (256, 384, 521; Ed25519
    /// 256), the HMAC secret's length × 8.
    pub fn bits(&self) -> usize {
        match &self.inner {
            Public::Rsa { bits, .. } => *bits,
            #[cfg(feature = "es384")]
            Public::P384(_) => 384,
            #[cfg(feature = "es512")]
            Public::P521(_) => 521,
            #[cfg(feature = "es256")]
            Public::P256(_) => 256,
            #[cfg(feature = "eddsa")]
            Public::Ed25519(_) => 256,
            #[cfg(feature = "hmac")]
            Public::Hmac(s) => s.len().saturating_mul(8),
        }
    }

    /// Signature length in bytes: the RSA modulus length, `2 ×` the field
    /// size for EC, 64 for Ed25519; for an HMAC secret the largest MAC (64).
    pub const fn signature_len(&self) -> usize {
        match &self.inner {
            Public::Rsa { bits, .. } => bits.div_ceil(8),
            #[cfg(feature = "es256")]
            Public::P256(_) => 64,
            #[cfg(feature = "es384")]
            Public::P384(_) => 96,
            #[cfg(feature = "es512")]
            Public::P521(_) => 132,
            #[cfg(feature = "eddsa")]
            Public::Ed25519(_) => 64,
            #[cfg(feature = "hmac")]
            Public::Hmac(_) => 64,
        }
    }

    /// The DER `SubjectPublicKeyInfo` of an RSA key (what `openssl rsa
    /// -pubout -outform DER` prints): the input of SPKI fingerprints such as
    /// Snowflake's `SHA256:` key fingerprint.
    ///
    /// # Errors
    /// `UnsupportedKeyType` for a key that is not RSA; `PublicKeyMalformed`
    /// if it cannot be encoded (not expected).
    pub fn rsa_spki_der(&self) -> Result<Vec<u8>> {
        use spki::EncodePublicKey;
        match &self.inner {
            Public::Rsa { key, .. } => key
                .to_public_key_der()
                .map(|d| d.into_vec())
                .map_err(|_| Error::PublicKeyMalformed),
            #[allow(unreachable_patterns)]
            _ => Err(Error::UnsupportedKeyType),
        }
    }

    /// SHA-256 of [`PublicKey::rsa_spki_der`].
    ///
    /// # Errors
    /// As [`PublicKey::rsa_spki_der`].
    pub fn rsa_spki_sha256(&self) -> Result<[u8; 32]> {
        use sha2::Digest;
        Ok(sha2::Sha256::digest(self.rsa_spki_der()?).into())
    }

    /// The key material.
    pub(crate) const fn inner(&self) -> &Public {
        &self.inner
    }

    /// The bytes aws-lc parses: PKCS#1 DER (RSA), the uncompressed point
    /// (EC), the 32-byte key (Ed25519), the secret (HMAC).
    #[cfg(feature = "aws-lc")]
    pub(crate) fn backend_bytes(&self) -> Option<Zeroizing<Vec<u8>>> {
        use p256::elliptic_curve::sec1::ToSec1Point;
        Some(Zeroizing::new(match &self.inner {
            Public::Rsa { key, .. } => {
                use pkcs1::EncodeRsaPublicKey;
                key.to_pkcs1_der().ok()?.as_bytes().to_vec()
            }
            #[cfg(feature = "es256")]
            Public::P256(k) => k.as_affine().to_sec1_point(false).as_bytes().to_vec(),
            #[cfg(feature = "es384")]
            Public::P384(k) => k.as_affine().to_sec1_point(false).as_bytes().to_vec(),
            #[cfg(feature = "es512")]
            Public::P521(k) => k.as_affine().to_sec1_point(false).as_bytes().to_vec(),
            #[cfg(feature = "eddsa")]
            Public::Ed25519(k) => k.to_bytes().to_vec(),
            #[cfg(feature = "hmac")]
            Public::Hmac(s) => s.to_vec(),
        }))
    }
}

impl From<&super::signing::SigningKey> for PublicKey {
    /// The public half of a signing key (for an HMAC secret, the secret).
    fn from(k: &super::signing::SigningKey) -> Self {
        let inner = match k.inner() {
            Inner::Rsa { key, bits } => Public::Rsa {
                key: key.to_public_key(),
                bits: *bits,
            },
            #[cfg(feature = "ecdsa")]
            Inner::Ec(e) => match e {
                #[cfg(feature = "es256")]
                super::ecdsa::EcdsaKey::P256(s) => Public::P256(*s.verifying_key()),
                #[cfg(feature = "es384")]
                super::ecdsa::EcdsaKey::P384(s) => Public::P384(*s.verifying_key()),
                #[cfg(feature = "es512")]
                super::ecdsa::EcdsaKey::P521(s) => Public::P521(*s.verifying_key()),
            },
            #[cfg(feature = "eddsa")]
            Inner::Ed25519(e) => Public::Ed25519(e.verifying_key()),
            #[cfg(feature = "hmac")]
            Inner::Hmac(s) => Public::Hmac(s.clone()),
        };
        Self { inner }
    }
}
