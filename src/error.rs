//! The crate's single error type.

use core::fmt;

use crate::alg::{Algorithm, KeyKind};

/// Which JSON document an error is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum JsonPart {
    /// The JOSE header of a token.
    Header,
    /// The claims set (payload) of a JWT.
    Claims,
    /// A token-endpoint response body.
    TokenResponse,
    /// A JSON Web Key.
    Jwk,
    /// A session record (`session::Session::encode_record`).
    SessionRecord,
}

impl JsonPart {
    /// Lower-case name used in messages.
    pub const fn as_str(self) -> &'static str {
        match self {
            JsonPart::Header => "JOSE header",
            JsonPart::Claims => "claims set",
            JsonPart::TokenResponse => "token response",
            JsonPart::Jwk => "JWK",
            JsonPart::SessionRecord => "session record",
        }
    }
}

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
    /// The key is encrypted (PKCS#8 `ENCRYPTED PRIVATE KEY`, or a legacy
    /// OpenSSL `Proc-Type: 4,ENCRYPTED` PEM); decrypt it first.
    EncryptedKey,
    /// DER bytes were given to a function that reads PEM text: use the
    /// `_from_der` variant (`SigningKey::from_der`, `PublicKey::from_der`,
    /// `jwtmint_key_new_from_der`, `jwtmint_verifier_new_from_der`).
    KeyIsDer,
    /// The key is of a type jwtmint does not handle (e.g. secp256k1, Ed448,
    /// DSA), or an EC key on a curve other than P-256/P-384/P-521.
    UnsupportedKeyType,
    /// The key's type cannot make (or check) signatures of this algorithm:
    /// an EC key asked for RS256, an HMAC secret for an asymmetric `alg`, a
    /// P-256 key for ES384. Raised when the signer or verifier is built.
    KeyAlgorithmMismatch {
        /// The key's type.
        key: KeyKind,
        /// The algorithm asked for.
        alg: Algorithm,
    },
    /// An HMAC secret shorter than the hash output (RFC 7518 §3.2).
    HmacKeyTooShort {
        /// Length of the secret given, in bytes.
        len: usize,
        /// Minimum length for the algorithm, in bytes.
        min: usize,
    },
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
    /// A compact token is not exactly three `.`-separated segments (or a required one is empty).
    MalformedToken,
    /// A JSON document is not valid RFC 8259 JSON (also: BOM, invalid escape, raw control
    /// character, lone surrogate, trailing data); `offset` is where it went wrong.
    InvalidJson {
        /// Which document.
        part: JsonPart,
        /// Byte offset of the first error in the decoded document.
        offset: usize,
    },
    /// A JSON document nests arrays/objects deeper than `limit` levels
    /// (`parse::MAX_JSON_DEPTH`).
    JsonTooDeep {
        /// Which document.
        part: JsonPart,
        /// The nesting limit that was exceeded.
        limit: usize,
    },
    /// A JSON document is valid but not an object.
    NotJsonObject {
        /// Which document.
        part: JsonPart,
    },
    /// A member name occurs twice at the top level of an object.
    DuplicateMember {
        /// Which document.
        part: JsonPart,
        /// Byte offset of the second occurrence.
        offset: usize,
    },
    /// A registered member has the wrong JSON type (e.g. `alg` not a string, `aud` a number).
    InvalidMemberType {
        /// Which document.
        part: JsonPart,
        /// Member name.
        name: &'static str,
    },
    /// A NumericDate claim is not a non-negative integer that fits in `i64`.
    InvalidNumericDate {
        /// Claim name (`exp`, `nbf`, `iat`).
        claim: &'static str,
        /// Why: `fraction`, `exponent`, `negative`, `out of range`, `not a number`.
        reason: &'static str,
    },
    /// The header has no `alg`.
    MissingAlgorithm,
    /// `alg` is `none` (in any letter case): unsecured tokens are always refused.
    AlgorithmNone,
    /// `alg` names none of the 13 JWS algorithms jwtmint knows (RS/PS/ES
    /// 256–512, EdDSA, HS256–512), or a key-less session was asked to sign.
    UnsupportedAlgorithm,
    /// `alg` is RS256/PS256 but the verifying key or policy does not allow it.
    AlgorithmNotAllowed {
        /// Algorithm named in the header.
        alg: Algorithm,
    },
    /// The header has a `crit` member; jwtmint understands no extensions (RFC 7515 §4.1.11).
    CriticalHeader,
    /// The signature does not have the length this algorithm and key produce
    /// (the RSA modulus length, 64/96/132 for ES256/384/512, 64 for EdDSA,
    /// the hash length for HS*).
    SignatureLengthMismatch {
        /// Modulus length in bytes.
        expected: usize,
        /// Decoded signature length.
        actual: usize,
    },
    /// The signature does not verify.
    InvalidSignature,
    /// The public key (SPKI, PKCS#1, certificate or JWK) is malformed, or not
    /// a valid RSA, EC or Ed25519 public key.
    PublicKeyMalformed,
    /// A required claim is absent.
    MissingClaim {
        /// Claim name.
        claim: &'static str,
    },
    /// `now` is at or after `exp` + leeway.
    Expired {
        /// The `exp` value.
        exp: i64,
        /// The caller's `now`.
        now: i64,
    },
    /// `now` is before `nbf` − leeway.
    NotYetValid {
        /// The `nbf` value.
        nbf: i64,
        /// The caller's `now`.
        now: i64,
    },
    /// `iat` is after `now` + leeway.
    IssuedInFuture {
        /// The `iat` value.
        iat: i64,
        /// The caller's `now`.
        now: i64,
    },
    /// A lifetime exceeds its maximum: a verified token's `exp − iat` (or
    /// `exp − now`) against the policy, or an assertion lifetime requested from
    /// a provider profile against the provider's limit.
    LifetimeTooLong {
        /// The token's lifetime in seconds.
        lifetime: i64,
        /// The policy's maximum.
        max: i64,
    },
    /// A claim (`aud`, `iss`, `sub`) does not have the value the policy requires.
    ClaimMismatch {
        /// Claim name.
        claim: &'static str,
    },
    /// A token does not fit the fixed-capacity cache.
    TokenTooLong {
        /// Token length.
        len: usize,
        /// Cache capacity.
        capacity: usize,
    },
    /// A token response has neither `access_token` nor `error`.
    NotATokenResponse,
    /// A JWK is marked for another use (`use` is not `sig`, or `key_ops` lacks `verify`).
    JwkNotForVerification,
    /// The passphrase does not decrypt the key (encrypted PKCS#8 or PKCS#12).
    WrongPassphrase,
    /// The key's password-based encryption is not supported (PBES1, a SHA-1
    /// PRF, an unknown cipher) or its KDF cost is above the caps; `reason` says which.
    UnsupportedKeyEncryption {
        /// What is not supported.
        reason: &'static str,
    },
    /// A private JWK member is missing or wrong; `name` names it.
    JwkMember {
        /// The member (`d`, `x`, `dp`, …).
        name: &'static str,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A token in a token response or a session record holds a character a
    /// token may not hold: `access_token`, `refresh_token` and `id_token`
    /// must be printable ASCII without spaces (RFC 6749 Appendix A VSCHAR
    /// minus space, 0x21-0x7E), `token_type` an HTTP token (RFC 7230
    /// `tchar`). Such a value could split an HTTP header; it is never stored.
    InvalidTokenSyntax {
        /// Which document.
        part: JsonPart,
        /// Member name.
        name: &'static str,
    },
    /// A session record holds a token this session invalidated (the API
    /// refused it): it is not adopted again.
    TokenRevoked,
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
            Error::KeyMalformed => f.write_str("private key is malformed or not a consistent key"),
            Error::UnsupportedPemLabel => f.write_str(
                "unsupported PEM label: expected `PRIVATE KEY` (PKCS#8), `RSA PRIVATE KEY` (PKCS#1) or `EC PRIVATE KEY` (SEC1) for a private key; `PUBLIC KEY`, `RSA PUBLIC KEY` or `CERTIFICATE` for a public key",
            ),
            Error::EncryptedKey => f.write_str(
                "the private key is encrypted: give its passphrase (SigningKey::from_pem_with_passphrase, jwtmint_key_new_from_pem_with_passphrase, --key-passphrase-file; PKCS#8 `ENCRYPTED PRIVATE KEY` only), or write an unencrypted copy with: openssl pkcs8 -topk8 -nocrypt -in key.pem -out key.unencrypted.pem",
            ),
            Error::KeyIsDer => f.write_str(
                "this looks like DER, not PEM text: use the _from_der function (SigningKey::from_der, PublicKey::from_der, jwtmint_key_new_from_der, jwtmint_verifier_new_from_der)",
            ),
            Error::UnsupportedKeyType => f.write_str(
                "unsupported key type: expected RSA, EC P-256/P-384/P-521, Ed25519 or an HMAC secret",
            ),
            Error::KeyAlgorithmMismatch { key, alg } => write!(
                f,
                "{} cannot be used with a {} key (it needs a {} key)",
                alg.as_str(),
                key.as_str(),
                alg.key_kind().as_str()
            ),
            Error::HmacKeyTooShort { len, min } => write!(
                f,
                "HMAC secret is {len} bytes; this algorithm needs at least {min} (RFC 7518 §3.2)"
            ),
            Error::KeyTooSmall { bits } => write!(
                f,
                "RSA key is {bits} bits; at least 2048 bits are required (NIST SP 800-131A; providers refuse smaller keys)"
            ),
            Error::KeyTooLarge { bits } => {
                write!(f, "RSA key is {bits} bits; at most 8192 bits are supported")
            }
            Error::Rng => f.write_str("random number generator failed"),
            Error::Signing => f.write_str("signing failed"),
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
            Error::LifetimeNotPositive => f.write_str("assertion lifetime must be at least 1 second"),
            Error::InvalidField { field, reason } => write!(f, "invalid `{field}`: {reason}"),
            Error::ServiceAccountJson { field } => {
                write!(f, "Google service-account JSON: missing or malformed `{field}`")
            }
            Error::MalformedToken => f.write_str(
                "not a compact JWS: expected exactly three non-empty `.`-separated Base64Url segments",
            ),
            Error::InvalidJson { part, offset } => {
                write!(f, "{} is not valid JSON (at byte {offset})", part.as_str())
            }
            Error::JsonTooDeep { part, limit } => {
                write!(f, "{} nests deeper than {limit} levels", part.as_str())
            }
            Error::NotJsonObject { part } => write!(f, "{} is not a JSON object", part.as_str()),
            Error::DuplicateMember { part, offset } => write!(
                f,
                "{} repeats a member name (at byte {offset})",
                part.as_str()
            ),
            Error::InvalidMemberType { part, name } => {
                write!(f, "`{name}` in the {} has the wrong JSON type", part.as_str())
            }
            Error::InvalidNumericDate { claim, reason } => write!(
                f,
                "`{claim}` is not a valid NumericDate ({reason}); expected a non-negative integer number of seconds"
            ),
            Error::MissingAlgorithm => f.write_str("JOSE header has no `alg`"),
            Error::AlgorithmNone => f.write_str("`alg: none` (unsecured JWS) is refused"),
            Error::UnsupportedAlgorithm => {
                f.write_str("`alg` is not a JWS algorithm jwtmint knows (RS256-512, PS256-512, ES256-512, EdDSA, HS256-512), or there is no key to sign with")
            }
            Error::AlgorithmNotAllowed { alg } => write!(
                f,
                "`alg` {} is not allowed by the verifying key's policy",
                alg.as_str()
            ),
            Error::CriticalHeader => {
                f.write_str("`crit` header extensions are not understood: token refused")
            }
            Error::SignatureLengthMismatch { expected, actual } => write!(
                f,
                "signature is {actual} bytes; this algorithm and key produce {expected} bytes"
            ),
            Error::InvalidSignature => f.write_str("signature does not verify"),
            Error::PublicKeyMalformed => {
                f.write_str("public key is malformed, or not a valid RSA, EC or Ed25519 public key")
            }
            Error::MissingClaim { claim } => write!(f, "required claim `{claim}` is absent"),
            Error::Expired { exp, now } => write!(f, "token expired: exp {exp}, now {now}"),
            Error::NotYetValid { nbf, now } => {
                write!(f, "token not yet valid: nbf {nbf}, now {now}")
            }
            Error::IssuedInFuture { iat, now } => {
                write!(f, "token issued in the future: iat {iat}, now {now}")
            }
            Error::LifetimeTooLong { lifetime, max } => write!(
                f,
                "lifetime {lifetime} s exceeds the allowed maximum of {max} s"
            ),
            Error::ClaimMismatch { claim } => {
                write!(f, "claim `{claim}` does not have the required value")
            }
            Error::TokenTooLong { len, capacity } => write!(
                f,
                "token is {len} bytes, the cache holds {capacity}"
            ),
            Error::JwkNotForVerification => f.write_str(
                "JWK is not a verification key (`use` is not `sig` or `key_ops` lacks `verify`)",
            ),
            Error::NotATokenResponse => {
                f.write_str("token response has neither `access_token` nor `error`")
            }
            Error::WrongPassphrase => {
                f.write_str("wrong passphrase: the key does not decrypt with it")
            }
            Error::UnsupportedKeyEncryption { reason } => {
                write!(f, "unsupported key encryption: {reason}")
            }
            Error::JwkMember { name, reason } => write!(f, "JWK member `{name}`: {reason}"),
            Error::InvalidTokenSyntax { part, name } => write!(
                f,
                "`{name}` in the {} holds a character a token may not hold (RFC 6749: printable ASCII without spaces; token_type: an HTTP token)",
                part.as_str()
            ),
            Error::TokenRevoked => {
                f.write_str("the record holds a token that was invalidated (the API refused it)")
            }
        }
    }
}

impl core::error::Error for Error {}

/// Result alias used throughout the crate.
pub type Result<T> = core::result::Result<T, Error>;
