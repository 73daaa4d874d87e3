//! X.509 certificates, the crate's one certificate reader: the thumbprints
//! of the `x5t` / `x5t#S256` headers for a certificate of any key type (RSA,
//! EC, Ed25519), its subject public key (also what
//! [`PublicKey::from_certificate_der`] returns), and the check that a
//! certificate belongs to a signing key.
//!
//! `x5t` is Base64Url(SHA-1(DER)), `x5t#S256` is Base64Url(SHA-256(DER)) of
//! the certificate as uploaded to the provider — the raw digest, not its hex.
//! SHA-1 is used for nothing else. Only the subject public key is read: no
//! chain, no validity dates.

use der::{Decode, DecodePem};
use sha1::Sha1;
use sha2::{Digest, Sha256};
use x509_cert::Certificate;

use super::public::PublicKey;
use super::signing::SigningKey;
use crate::base64url;
use crate::error::{Error, Result};
use crate::header::{X5T_LEN, X5T_S256_LEN};

/// A parsed certificate's thumbprints and public key.
#[derive(Clone)]
pub struct CertThumbprints {
    x5t: [u8; X5T_LEN],
    x5t_s256: [u8; X5T_S256_LEN],
    public_key: PublicKey,
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
    /// `CertificateMalformed`; `UnsupportedKeyType` for a key type jwtmint
    /// does not sign with (not RSA, EC P-256/P-384/P-521 or Ed25519);
    /// `KeyTooSmall` / `KeyTooLarge` for an RSA key outside 2048..=8192 bits.
    pub fn from_pem(pem: &str) -> Result<Self> {
        let pem = super::pem::block(
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
        let public_key = PublicKey::from_certificate(cert).map_err(|e| match e {
            Error::PublicKeyMalformed => Error::CertificateMalformed,
            other => other,
        })?;
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

    /// The certificate's subject public key.
    pub fn public_key(&self) -> &PublicKey {
        &self.public_key
    }

    /// Checks that the certificate's public key is the public half of `key`
    /// (any key type), so a wrong certificate is caught here, not as "invalid
    /// signature" at the provider.
    ///
    /// # Errors
    /// `CertificateKeyMismatch`.
    pub fn check_key(&self, key: &SigningKey) -> Result<()> {
        if PublicKey::from(key) == self.public_key {
            Ok(())
        } else {
            Err(Error::CertificateKeyMismatch)
        }
    }
}
