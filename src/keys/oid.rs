//! The object identifiers that tell key types apart, and the curve lookup.

use der::asn1::ObjectIdentifier;

#[cfg(any(feature = "alloc", feature = "ecdsa"))]
use crate::alg::KeyKind;
#[cfg(any(feature = "alloc", feature = "ecdsa"))]
use crate::error::{Error, Result};

/// `rsaEncryption` (RFC 8017).
#[cfg(feature = "alloc")]
pub(crate) const RSA_ENCRYPTION: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
/// `id-ecPublicKey` (RFC 5480).
#[cfg(any(feature = "alloc", feature = "ecdsa"))]
pub(crate) const EC_PUBLIC_KEY: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
/// `secp256r1` / P-256.
#[cfg(any(feature = "alloc", feature = "ecdsa"))]
pub(crate) const SECP256R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
/// `secp384r1` / P-384.
#[cfg(any(feature = "alloc", feature = "ecdsa"))]
pub(crate) const SECP384R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");
/// `secp521r1` / P-521.
#[cfg(any(feature = "alloc", feature = "ecdsa"))]
pub(crate) const SECP521R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.35");
/// `id-Ed25519` (RFC 8410).
#[cfg(any(feature = "alloc", feature = "eddsa"))]
pub(crate) const ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");

/// The key kind of a named curve (`UnsupportedKeyType` for any other).
#[cfg(any(feature = "alloc", feature = "ecdsa"))]
///
/// # Errors
/// `UnsupportedKeyType`.
pub(crate) fn curve_kind(curve: ObjectIdentifier) -> Result<KeyKind> {
    match curve {
        c if c == SECP256R1 => Ok(KeyKind::P256),
        c if c == SECP384R1 => Ok(KeyKind::P384),
        c if c == SECP521R1 => Ok(KeyKind::P521),
        _ => Err(Error::UnsupportedKeyType),
    }
}
