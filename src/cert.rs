//! X.509 certificate thumbprints for the `x5t` / `x5t#S256` headers, and the
//! check that the certificate belongs to the signing key.
//!
//! `x5t` is Base64Url(SHA-1(DER)), `x5t#S256` is Base64Url(SHA-256(DER)) of the
//! certificate as uploaded to the provider — the raw digest, not its hex.
//! SHA-1 is used for nothing else.

use der::{Decode, DecodePem};
use rsa::RsaPublicKey;
use rsa::traits::PublicKeyParts;
use sha1::Sha1;
use sha2::{Digest, Sha256};
use x509_cert::Certificate;

use crate::base64url;
use crate::error::{Error, Result};
use crate::keys::SigningKey;

pub use crate::header::{X5T_LEN, X5T_S256_LEN};

/// A parsed certificate's thumbprints and public key.
#[derive(Clone)]
pub struct CertThumbprints {
    x5t: [u8; X5T_LEN],
    x5t_s256: [u8; X5T_S256_LEN],
    public_key: RsaPublicKey,
}

impl core::fmt::Debug for CertThumbprints {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("CertThumbprints")
            .field("x5t", &self.x5t())
            .field("x5t#S256", &self.x5t_s256())
            .finish()
    }
}

impl CertThumbprints {
    /// Parses a PEM certificate (`BEGIN CERTIFICATE`; text before it is
    /// ignored, after its `END` line only whitespace and NUL bytes are allowed).
    ///
    /// # Errors
    /// `CertificateMalformed`; `UnsupportedKeyType` for a non-RSA certificate.
    pub fn from_pem(pem: &str) -> Result<Self> {
        let pem = crate::keys::pem::block(
            pem,
            "-----BEGIN CERTIFICATE-----",
            Error::CertificateMalformed,
        )?;
        let cert = Certificate::from_pem(pem).map_err(|_| Error::CertificateMalformed)?;
        let der = der::Encode::to_der(&cert).map_err(|_| Error::CertificateMalformed)?;
        Self::from_parsed(&cert, &der)
    }

    /// Parses a DER certificate.
    ///
    /// # Errors
    /// As [`CertThumbprints::from_pem`].
    pub fn from_der(der: &[u8]) -> Result<Self> {
        let cert = Certificate::from_der(der).map_err(|_| Error::CertificateMalformed)?;
        Self::from_parsed(&cert, der)
    }

    fn from_parsed(cert: &Certificate, der: &[u8]) -> Result<Self> {
        let spki = cert.tbs_certificate().subject_public_key_info();
        if spki.algorithm.oid != pkcs1::ALGORITHM_OID {
            return Err(Error::UnsupportedKeyType);
        }
        let pk_der = spki
            .subject_public_key
            .as_bytes()
            .ok_or(Error::CertificateMalformed)?;
        let public_key = <RsaPublicKey as pkcs1::DecodeRsaPublicKey>::from_pkcs1_der(pk_der)
            .map_err(|_| Error::CertificateMalformed)?;
        let mut x5t = [0u8; X5T_LEN];
        base64url::encode(&Sha1::digest(der), &mut x5t)?;
        let mut x5t_s256 = [0u8; X5T_S256_LEN];
        base64url::encode(&Sha256::digest(der), &mut x5t_s256)?;
        Ok(Self {
            x5t,
            x5t_s256,
            public_key,
        })
    }

    /// `x5t`: Base64Url of the SHA-1 digest of the certificate's DER.
    pub fn x5t(&self) -> &str {
        core::str::from_utf8(&self.x5t).unwrap_or_default()
    }

    /// `x5t#S256`: Base64Url of the SHA-256 digest of the certificate's DER.
    pub fn x5t_s256(&self) -> &str {
        core::str::from_utf8(&self.x5t_s256).unwrap_or_default()
    }

    /// Checks that the certificate's public key is the public half of `key`,
    /// so a wrong certificate is caught here, not as "invalid signature" at the
    /// provider.
    ///
    /// # Errors
    /// `CertificateKeyMismatch`.
    pub fn check_key(&self, key: &SigningKey) -> Result<()> {
        let Some(ours) = key.as_rsa() else {
            return Err(Error::CertificateKeyMismatch);
        };
        if ours.n() == self.public_key.n() && ours.e() == self.public_key.e() {
            Ok(())
        } else {
            Err(Error::CertificateKeyMismatch)
        }
    }
}
