//! [`LoadedKey`]: a signing key with what its container carried.

use alloc::string::String;
use alloc::vec::Vec;

use crate::keys::SigningKey;

/// A key loaded from a container that carries more than the key: a JWK's
/// `kid`, a PKCS#12 file's certificate (for `x5t#S256`, see
/// [`crate::keys::x509::CertThumbprints`]).
#[derive(Debug)]
#[non_exhaustive]
pub struct LoadedKey {
    /// The signing key.
    pub key: SigningKey,
    /// The key id (`kid` of a JWK; the PKCS#12 `friendlyName` is not used).
    pub kid: Option<String>,
    /// The DER X.509 certificate stored with the key (PKCS#12), if any.
    pub certificate_der: Option<Vec<u8>>,
}

impl From<SigningKey> for LoadedKey {
    /// A key from a container that carries nothing else (PEM, DER).
    fn from(key: SigningKey) -> Self {
        Self {
            key,
            kid: None,
            certificate_der: None,
        }
    }
}
