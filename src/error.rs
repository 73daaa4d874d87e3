//! The crate's single error type.

use core::fmt;

use crate::signer::Algorithm;

/// Everything that can go wrong in jwtmint. Never carries key material.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The output buffer is too small; `needed` is the exact length required.
    BufferTooSmall {
        /// Exact number of bytes the operation needs.
        needed: usize,
    },
    /// A NumericDate claim is larger than 10^11: it looks like milliseconds, JWT wants seconds.
    TimestampInMilliseconds {
        /// Claim name (`exp`, `nbf`, `iat`).
        claim: &'static str,
        /// The value given.
        value: i64,
    },
    /// A NumericDate claim is negative.
    NegativeTimestamp {
        /// Claim name (`exp`, `nbf`, `iat`).
        claim: &'static str,
        /// The value given.
        value: i64,
    },
    /// `exp` is not after `iat`: the assertion would be expired when issued.
    ExpiryNotAfterIssuedAt {
        /// The `iat` value.
        iat: i64,
        /// The `exp` value.
        exp: i64,
    },
    /// `aud` was given as an empty array.
    EmptyAudience,
    /// A claim name occurs twice (an extra claim repeats a registered or another extra claim).
    /// `index` is the position of the offending entry in `Claims::extra`.
    DuplicateClaim {
        /// Index into the extra-claims slice.
        index: usize,
    },
    /// A raw JSON value is not a single valid RFC 8259 value; `offset` is where it went wrong.
    InvalidRawJson {
        /// Byte offset of the first error.
        offset: usize,
    },
    /// Input is not canonical unpadded Base64Url.
    InvalidBase64,
    /// A string given through the C ABI or as raw bytes is not valid UTF-8.
    InvalidUtf8,
    /// The encoded header does not fit the fixed-capacity header template.
    HeaderTooLarge {
        /// Base64Url length the header needs.
        needed: usize,
        /// Capacity of the template.
        capacity: usize,
    },
    /// The header names one algorithm, the signer produces another.
    AlgorithmMismatch {
        /// Algorithm in the header.
        header: Algorithm,
        /// Algorithm of the signer.
        signer: Algorithm,
    },
    /// A length computation overflowed `usize`.
    LengthOverflow,
    /// The key is not valid DER/PEM, or not a consistent RSA private key.
    KeyMalformed,
    /// The PEM label is not one this library reads (`PRIVATE KEY`, `RSA PRIVATE KEY`).
    UnsupportedPemLabel,
    /// The key is an encrypted PKCS#8 key (`ENCRYPTED PRIVATE KEY`); decrypt it first.
    EncryptedKey,
    /// The key is not an RSA key (e.g. EC or Ed25519).
    UnsupportedKeyType,
    /// RSA modulus smaller than 2048 bits: refused (NIST SP 800-131A, every provider).
    KeyTooSmall {
        /// Modulus size of the key.
        bits: usize,
    },
    /// RSA modulus larger than 8192 bits: refused.
    KeyTooLarge {
        /// Modulus size of the key.
        bits: usize,
    },
    /// The RNG failed while blinding or salting.
    Rng,
    /// The RSA signing operation failed.
    Signing,
    /// An external signer returned a signature of the wrong length.
    SignatureLength {
        /// Length the signer announced.
        expected: usize,
        /// Length it produced.
        actual: usize,
    },
    /// The system clock reads before 1970.
    ClockBeforeEpoch,
    /// The X.509 certificate could not be parsed.
    CertificateMalformed,
    /// The certificate's public key is not the signing key's public half.
    CertificateKeyMismatch,
    /// A provider profile refused an audience / token URL; `reason` says why.
    InvalidAudience {
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The requested assertion lifetime exceeds the provider's limit.
    LifetimeTooLong {
        /// Requested lifetime in seconds.
        requested: i64,
        /// The provider's maximum in seconds.
        max: i64,
    },
    /// The lifetime must be at least one second.
    LifetimeNotPositive,
    /// A required profile field is empty or malformed; `field` names it.
    InvalidField {
        /// The field.
        field: &'static str,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The Google service-account JSON could not be read; `field` names the
    /// missing or malformed member (or `"json"` for a syntax error).
    ServiceAccountJson {
        /// The member.
        field: &'static str,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Error::BufferTooSmall { needed } => {
                write!(f, "output buffer too small: {needed} bytes needed")
            }
            Error::TimestampInMilliseconds { claim, value } => write!(
                f,
                "`{claim}` = {value} looks like milliseconds; JWT NumericDate is seconds since 1970 (divide by 1000)"
            ),
            Error::NegativeTimestamp { claim, value } => write!(
                f,
                "`{claim}` = {value} is negative; JWT NumericDate is seconds since 1970"
            ),
            Error::ExpiryNotAfterIssuedAt { iat, exp } => write!(
                f,
                "`exp` ({exp}) is not after `iat` ({iat}): the assertion would be expired when issued"
            ),
            Error::EmptyAudience => f.write_str("`aud` is an empty array; give at least one audience"),
            Error::DuplicateClaim { index } => write!(
                f,
                "extra claim #{index} repeats a claim name that is already present"
            ),
            Error::InvalidRawJson { offset } => {
                write!(f, "raw claim value is not valid JSON (at byte {offset})")
            }
            Error::InvalidBase64 => f.write_str(
                "not canonical Base64Url (RFC 4648 §5, no padding, no whitespace)",
            ),
            Error::InvalidUtf8 => f.write_str("string is not valid UTF-8"),
            Error::HeaderTooLarge { needed, capacity } => write!(
                f,
                "encoded header needs {needed} bytes, the template holds {capacity}"
            ),
            Error::AlgorithmMismatch { header, signer } => write!(
                f,
                "header says {} but the signer produces {}",
                header.as_str(),
                signer.as_str()
            ),
            Error::LengthOverflow => f.write_str("length computation overflowed"),
            Error::KeyMalformed => f.write_str("private key is malformed or not a valid RSA key"),
            Error::UnsupportedPemLabel => f.write_str(
                "unsupported PEM label: expected `PRIVATE KEY` (PKCS#8) or `RSA PRIVATE KEY` (PKCS#1)",
            ),
            Error::EncryptedKey => f.write_str(
                "encrypted PKCS#8 keys are not supported: decrypt it first (openssl pkcs8 -in key.pem -nocrypt ... or -topk8 -nocrypt)",
            ),
            Error::UnsupportedKeyType => f.write_str("not an RSA private key (only RSA is supported)"),
            Error::KeyTooSmall { bits } => write!(
                f,
                "RSA key is {bits} bits; at least 2048 bits are required (NIST SP 800-131A; providers refuse smaller keys)"
            ),
            Error::KeyTooLarge { bits } => {
                write!(f, "RSA key is {bits} bits; at most 8192 bits are supported")
            }
            Error::Rng => f.write_str("random number generator failed"),
            Error::Signing => f.write_str("RSA signing failed"),
            Error::SignatureLength { expected, actual } => write!(
                f,
                "signer produced {actual} bytes, expected {expected}"
            ),
            Error::ClockBeforeEpoch => f.write_str("system clock is before 1970-01-01"),
            Error::CertificateMalformed => f.write_str("X.509 certificate is malformed (expected PEM `BEGIN CERTIFICATE` or DER)"),
            Error::CertificateKeyMismatch => f.write_str(
                "the certificate does not belong to the signing key (its public key differs): the provider would reject the signature",
            ),
            Error::InvalidAudience { reason } => write!(f, "invalid audience: {reason}"),
            Error::LifetimeTooLong { requested, max } => write!(
                f,
                "assertion lifetime {requested} s exceeds the provider's limit of {max} s"
            ),
            Error::LifetimeNotPositive => f.write_str("assertion lifetime must be at least 1 second"),
            Error::InvalidField { field, reason } => write!(f, "invalid `{field}`: {reason}"),
            Error::ServiceAccountJson { field } => {
                write!(f, "Google service-account JSON: missing or malformed `{field}`")
            }
        }
    }
}

impl core::error::Error for Error {}

/// Result alias used throughout the crate.
pub type Result<T> = core::result::Result<T, Error>;
