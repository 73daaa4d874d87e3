//! `jwtmint_result`: the one status code of the C ABI — the one list of
//! names, numbers and messages — and its mapping from [`crate::error::Error`].
//! A leaf of the C ABI: the conversion that also remembers the failure's
//! detail is in `last_error.rs`, the exports that hand names, messages and
//! details to C in `result_text.rs`.

use crate::error::Error;

/// Status code returned by every jwtmint function. `JWTMINT_RESULT_OK` (0) is
/// success; every other value is a distinct failure. Turn a code into text
/// with `jwtmint_result_message` or `jwtmint_result_name`; the detail of the
/// last failure on the calling thread (which field, which byte offset) comes
/// from `jwtmint_last_error_detail`.
///
/// This enum is the one list of codes: names, numbers and messages. The
/// first paragraph of each enumerator's comment, without its final full
/// stop, is the text `jwtmint_result_message` returns (ASCII, under 256
/// bytes; build.rs derives the name and message tables from this enum);
/// later paragraphs are header-only detail. Numbers never change (ABI).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum jwtmint_result {
    /// Success.
    JWTMINT_RESULT_OK = 0,
    /// Output buffer too small; `*out_len` holds the required length.
    JWTMINT_RESULT_BUFFER_TOO_SMALL = 1,
    /// A required pointer argument is NULL.
    JWTMINT_RESULT_NULL_ARGUMENT = 2,
    /// An argument has a value outside its allowed set (algorithm, claim
    /// kind, login, thumbprint kind, result code) or conflicts with another.
    ///
    /// Conflicts: `aud` given both as one string and as a list, or a
    /// Salesforce `custom_url` without `JWTMINT_SALESFORCE_CUSTOM`.
    JWTMINT_RESULT_INVALID_ARGUMENT = 3,
    /// A string argument is not valid UTF-8.
    JWTMINT_RESULT_INVALID_UTF8 = 4,
    /// The private key is not valid PEM/DER or not a consistent key.
    ///
    /// Any key type: RSA (PKCS#8, PKCS#1), EC (PKCS#8, SEC1), Ed25519 (PKCS#8).
    JWTMINT_RESULT_KEY_MALFORMED = 5,
    /// Unsupported PEM label: a private key is `PRIVATE KEY` (PKCS#8), `RSA
    /// PRIVATE KEY` (PKCS#1) or `EC PRIVATE KEY` (SEC1); a public key is
    /// `PUBLIC KEY`, `RSA PUBLIC KEY` or `CERTIFICATE`.
    JWTMINT_RESULT_UNSUPPORTED_PEM_LABEL = 6,
    /// The private key is encrypted: use jwtmint_key_new_from_pem_with_passphrase
    /// (PKCS#8 `ENCRYPTED PRIVATE KEY`), or decrypt it with: openssl pkcs8
    /// -topk8 -nocrypt -in key.pem -out key.unencrypted.pem
    ///
    /// Legacy `Proc-Type: 4,ENCRYPTED` PEM is refused with this code too.
    JWTMINT_RESULT_ENCRYPTED_KEY = 7,
    /// Unsupported key type: expected RSA, EC P-256/P-384/P-521, Ed25519 or an
    /// HMAC secret.
    JWTMINT_RESULT_UNSUPPORTED_KEY_TYPE = 8,
    /// The key is too small: an RSA modulus below 2048 bits (NIST SP
    /// 800-131A; providers refuse smaller keys), or an HMAC secret shorter
    /// than the hash (RFC 7518 section 3.2).
    JWTMINT_RESULT_KEY_TOO_SMALL = 9,
    /// The RSA modulus is larger than 8192 bits.
    JWTMINT_RESULT_KEY_TOO_LARGE = 10,
    /// A NumericDate (`exp`, `nbf`, `iat`) is above 10^11, milliseconds
    /// rather than seconds since 1970 (divide by 1000).
    JWTMINT_RESULT_TIMESTAMP_IN_MILLISECONDS = 11,
    /// A NumericDate (`exp`, `nbf`, `iat`) or `now` is negative; JWT wants
    /// seconds since 1970.
    JWTMINT_RESULT_NEGATIVE_TIMESTAMP = 12,
    /// `exp` is not after `iat`: the assertion would be expired when issued.
    JWTMINT_RESULT_EXPIRY_NOT_AFTER_ISSUED_AT = 13,
    /// `aud` is an empty list; give at least one audience.
    JWTMINT_RESULT_EMPTY_AUDIENCE = 14,
    /// An extra claim repeats a registered claim name or another extra claim.
    JWTMINT_RESULT_DUPLICATE_CLAIM = 15,
    /// A raw-JSON extra claim value is not exactly one valid JSON value.
    JWTMINT_RESULT_INVALID_RAW_JSON = 16,
    /// Not canonical Base64Url (RFC 4648 section 5, no padding, no whitespace).
    JWTMINT_RESULT_INVALID_BASE64 = 17,
    /// The encoded header does not fit the header template (512 Base64Url bytes).
    JWTMINT_RESULT_HEADER_TOO_LARGE = 18,
    /// The header's `alg` is not the algorithm of the signer.
    JWTMINT_RESULT_ALGORITHM_MISMATCH = 19,
    /// A length computation overflowed `size_t`.
    JWTMINT_RESULT_LENGTH_OVERFLOW = 20,
    /// The random number generator failed (RSA blinding, PSS salt, a drawn `jti`).
    JWTMINT_RESULT_RNG_FAILED = 21,
    /// The signing operation failed.
    JWTMINT_RESULT_SIGNING_FAILED = 22,
    /// The signer produced or announced a signature of the wrong length.
    ///
    /// A callback signer must announce a length from 1 to 1024 bytes and
    /// write exactly that many.
    JWTMINT_RESULT_SIGNATURE_LENGTH = 23,
    /// The signer callback returned non-zero.
    JWTMINT_RESULT_CALLBACK_FAILED = 24,
    /// The system clock reads before 1970-01-01.
    JWTMINT_RESULT_CLOCK_BEFORE_EPOCH = 25,
    /// Internal error: jwtmint panicked (a bug; please report it).
    ///
    /// The panic was caught at the boundary; nothing unwound into C.
    JWTMINT_RESULT_INTERNAL_PANIC = 26,
    /// An error this version of the C ABI has no specific code for.
    JWTMINT_RESULT_UNKNOWN_ERROR = 27,
    /// The X.509 certificate is malformed (expected PEM `BEGIN CERTIFICATE`
    /// or DER).
    JWTMINT_RESULT_CERTIFICATE_MALFORMED = 28,
    /// The certificate does not belong to the signing key (its public key
    /// differs): the provider would reject the signature.
    JWTMINT_RESULT_CERTIFICATE_KEY_MISMATCH = 29,
    /// A profile refused an audience, login URL, authority or token URL (not
    /// a bare https URL, or http to a host that is not loopback where that is
    /// allowed, or too long).
    JWTMINT_RESULT_INVALID_AUDIENCE = 30,
    /// A lifetime exceeds its maximum: a provider's assertion limit (e.g.
    /// Salesforce 180 s, Entra 600 s, Google 3600 s) or a verification
    /// policy's `max_lifetime`.
    JWTMINT_RESULT_LIFETIME_TOO_LONG = 31,
    /// The requested assertion lifetime is negative (0 selects the
    /// profile's default).
    JWTMINT_RESULT_LIFETIME_NOT_POSITIVE = 32,
    /// A required profile field is empty, has surrounding whitespace or is
    /// malformed.
    ///
    /// For example a consumer key, username, tenant, client id, thumbprint,
    /// scope, subject or jti; `jwtmint_last_error_detail` names the field.
    JWTMINT_RESULT_INVALID_FIELD = 33,
    /// The Google service-account JSON is invalid or lacks a required member
    /// (`private_key`, `client_email`), or `type` is not `service_account`.
    JWTMINT_RESULT_SERVICE_ACCOUNT_JSON = 34,
    /// This looks like DER, not PEM text: use jwtmint_key_new_from_der /
    /// jwtmint_verifier_new_from_der.
    JWTMINT_RESULT_KEY_IS_DER = 35,
    // 36..=39 are reserved.
    /// Not a compact JWS: expected three `.`-separated Base64Url segments and
    /// a non-empty header.
    JWTMINT_RESULT_MALFORMED_TOKEN = 40,
    /// A JOSE header, claims set, token response, JWK or session record is
    /// not valid JSON.
    JWTMINT_RESULT_INVALID_JSON = 41,
    /// A JSON document nests deeper than the parser allows.
    JWTMINT_RESULT_JSON_TOO_DEEP = 42,
    /// A JSON document is valid but not an object.
    JWTMINT_RESULT_NOT_JSON_OBJECT = 43,
    /// A JSON object repeats a member name.
    JWTMINT_RESULT_DUPLICATE_MEMBER = 44,
    /// A registered member has the wrong JSON type (e.g. `iss` not a string,
    /// `expires_in` not a number).
    JWTMINT_RESULT_INVALID_MEMBER_TYPE = 45,
    /// `exp`, `nbf` or `iat` is not a non-negative integer number of seconds.
    JWTMINT_RESULT_INVALID_NUMERIC_DATE = 46,
    /// The JOSE header has no `alg`.
    JWTMINT_RESULT_MISSING_ALGORITHM = 47,
    /// `alg: none` (an unsecured JWS) is always refused.
    JWTMINT_RESULT_ALGORITHM_NONE = 48,
    /// `alg` is not a JWS algorithm jwtmint knows (RS256-512, PS256-512,
    /// ES256-512, EdDSA, HS256-512), or there is no key to sign with.
    JWTMINT_RESULT_UNSUPPORTED_ALGORITHM = 49,
    /// `alg` is a known algorithm but not one the verifier allows.
    JWTMINT_RESULT_ALGORITHM_NOT_ALLOWED = 50,
    /// The header has `crit` extensions, which are not understood: token refused.
    JWTMINT_RESULT_CRITICAL_HEADER = 51,
    /// The signature length is not the length this algorithm and key produce.
    JWTMINT_RESULT_SIGNATURE_LENGTH_MISMATCH = 52,
    /// The signature does not verify.
    JWTMINT_RESULT_INVALID_SIGNATURE = 53,
    /// The public key (PEM, DER, certificate or JWK) is malformed, or not a
    /// valid RSA, EC or Ed25519 public key.
    JWTMINT_RESULT_PUBLIC_KEY_MALFORMED = 54,
    /// A required claim (or looked-up member) is absent.
    JWTMINT_RESULT_MISSING_CLAIM = 55,
    /// The token is expired (`now >= exp + leeway`).
    JWTMINT_RESULT_EXPIRED = 56,
    /// The token is not valid yet (`now < nbf - leeway`).
    JWTMINT_RESULT_NOT_YET_VALID = 57,
    /// The token was issued in the future (`iat > now + leeway`).
    JWTMINT_RESULT_ISSUED_IN_FUTURE = 58,
    /// The key's type cannot sign or verify this algorithm (an EC key for
    /// RS256, an HMAC secret for an asymmetric algorithm, P-256 for ES384).
    JWTMINT_RESULT_KEY_ALGORITHM_MISMATCH = 59,
    /// A claim (`aud`, `iss`, `sub`) does not have the required value.
    JWTMINT_RESULT_CLAIM_MISMATCH = 60,
    /// The token does not fit the token cache.
    JWTMINT_RESULT_TOKEN_TOO_LONG = 61,
    /// A token response has neither `access_token` nor `error`.
    JWTMINT_RESULT_NOT_A_TOKEN_RESPONSE = 62,
    /// The JWK is not a verification key (`use` is not `sig` or `key_ops`
    /// lacks `verify`).
    JWTMINT_RESULT_JWK_NOT_FOR_VERIFICATION = 63,
    /// Wrong passphrase: the key (encrypted PKCS#8 or PKCS#12) does not
    /// decrypt with it.
    JWTMINT_RESULT_WRONG_PASSPHRASE = 64,
    /// Unsupported key encryption (PBES1, SHA-1 PRF, unknown cipher) or KDF
    /// cost above the caps; re-encrypt with: openssl pkcs8 -topk8 -v2 aes-256-cbc
    JWTMINT_RESULT_UNSUPPORTED_KEY_ENCRYPTION = 65,
    /// A private JWK member is missing, has the wrong length or is
    /// inconsistent (RSA CRT values), or the JWK is not for signing
    /// (`use`/`key_ops`).
    JWTMINT_RESULT_JWK_MEMBER = 66,
    // 67..=79 are reserved.
    /// This profile signs nothing (a custom endpoint): pass NULL as the key.
    JWTMINT_RESULT_KEY_NOT_USED = 80,
    /// Unknown grant kind, or one in the wrong place: the initial grant must
    /// be PASSWORD, a renewal step REFRESH_TOKEN or PREVIOUS_TOKEN.
    JWTMINT_RESULT_GRANT_KIND = 81,
    /// A token holds a character a token may not hold (`access_token`,
    /// `refresh_token`, `id_token`: printable ASCII without spaces;
    /// `token_type`: an HTTP token): it could split an HTTP header.
    JWTMINT_RESULT_INVALID_TOKEN_SYNTAX = 82,
    /// The record holds a token this session invalidated: not adopted.
    JWTMINT_RESULT_TOKEN_REVOKED = 83,
}

use jwtmint_result as R;

// `ALL`, `name_nul` and `message`, derived by build.rs from the enum above
// (see build/result_codes.rs): exhaustive matches, so a row that is not an
// enumerator does not compile.
include!(concat!(env!("OUT_DIR"), "/result_codes.rs"));

// `ALL` is strictly increasing: numeric order, no row twice.
#[allow(clippy::indexing_slicing)]
const _: () = {
    let mut i = 1;
    while i < ALL.len() {
        assert!(
            (ALL[i - 1] as i32) < (ALL[i] as i32),
            "result table out of order"
        );
        i += 1;
    }
};

impl jwtmint_result {
    /// The code for a core error.
    ///
    /// The match is exhaustive on purpose (`Error` is `#[non_exhaustive]` only
    /// outside this crate): a new `Error` variant fails to compile here until
    /// it is given a code. To add one, append a `JWTMINT_RESULT_*` enumerator
    /// after the last value (never renumber) with its message as the first
    /// paragraph of its comment, add an arm below, then regenerate the header
    /// (`scripts/gen-header.sh`). `JWTMINT_RESULT_UNKNOWN_ERROR` stays for
    /// callers built against an older header. [`jwtmint_result::from_error`]
    /// (in `last_error.rs`) is this plus remembering the detail.
    pub(crate) fn from_error_quiet(e: &Error) -> Self {
        match e {
            Error::BufferTooSmall { .. } => R::JWTMINT_RESULT_BUFFER_TOO_SMALL,
            Error::TimestampInMilliseconds { .. } => R::JWTMINT_RESULT_TIMESTAMP_IN_MILLISECONDS,
            Error::NegativeTimestamp { .. } => R::JWTMINT_RESULT_NEGATIVE_TIMESTAMP,
            Error::ExpiryNotAfterIssuedAt { .. } => R::JWTMINT_RESULT_EXPIRY_NOT_AFTER_ISSUED_AT,
            Error::EmptyAudience => R::JWTMINT_RESULT_EMPTY_AUDIENCE,
            Error::DuplicateClaim { .. } => R::JWTMINT_RESULT_DUPLICATE_CLAIM,
            Error::InvalidRawJson { .. } => R::JWTMINT_RESULT_INVALID_RAW_JSON,
            Error::InvalidBase64 => R::JWTMINT_RESULT_INVALID_BASE64,
            Error::InvalidUtf8 => R::JWTMINT_RESULT_INVALID_UTF8,
            Error::HeaderTooLarge { .. } => R::JWTMINT_RESULT_HEADER_TOO_LARGE,
            Error::AlgorithmMismatch { .. } => R::JWTMINT_RESULT_ALGORITHM_MISMATCH,
            Error::LengthOverflow => R::JWTMINT_RESULT_LENGTH_OVERFLOW,
            Error::KeyMalformed => R::JWTMINT_RESULT_KEY_MALFORMED,
            Error::UnsupportedPemLabel => R::JWTMINT_RESULT_UNSUPPORTED_PEM_LABEL,
            Error::EncryptedKey => R::JWTMINT_RESULT_ENCRYPTED_KEY,
            Error::KeyIsDer => R::JWTMINT_RESULT_KEY_IS_DER,
            Error::UnsupportedKeyType => R::JWTMINT_RESULT_UNSUPPORTED_KEY_TYPE,
            Error::KeyTooSmall { .. } | Error::HmacKeyTooShort { .. } => {
                R::JWTMINT_RESULT_KEY_TOO_SMALL
            }
            Error::KeyAlgorithmMismatch { .. } => R::JWTMINT_RESULT_KEY_ALGORITHM_MISMATCH,
            Error::KeyTooLarge { .. } => R::JWTMINT_RESULT_KEY_TOO_LARGE,
            Error::Rng => R::JWTMINT_RESULT_RNG_FAILED,
            Error::Signing if super::callback_failure::happened() => {
                R::JWTMINT_RESULT_CALLBACK_FAILED
            }
            Error::Signing => R::JWTMINT_RESULT_SIGNING_FAILED,
            Error::SignatureLength { .. } => R::JWTMINT_RESULT_SIGNATURE_LENGTH,
            Error::ClockBeforeEpoch => R::JWTMINT_RESULT_CLOCK_BEFORE_EPOCH,
            Error::CertificateMalformed => R::JWTMINT_RESULT_CERTIFICATE_MALFORMED,
            Error::CertificateKeyMismatch => R::JWTMINT_RESULT_CERTIFICATE_KEY_MISMATCH,
            Error::InvalidAudience { .. } => R::JWTMINT_RESULT_INVALID_AUDIENCE,
            Error::LifetimeTooLong { .. } => R::JWTMINT_RESULT_LIFETIME_TOO_LONG,
            Error::LifetimeNotPositive => R::JWTMINT_RESULT_LIFETIME_NOT_POSITIVE,
            Error::InvalidField { .. } => R::JWTMINT_RESULT_INVALID_FIELD,
            Error::ServiceAccountJson { .. } => R::JWTMINT_RESULT_SERVICE_ACCOUNT_JSON,
            Error::MalformedToken => R::JWTMINT_RESULT_MALFORMED_TOKEN,
            Error::InvalidJson { .. } => R::JWTMINT_RESULT_INVALID_JSON,
            Error::JsonTooDeep { .. } => R::JWTMINT_RESULT_JSON_TOO_DEEP,
            Error::NotJsonObject { .. } => R::JWTMINT_RESULT_NOT_JSON_OBJECT,
            Error::DuplicateMember { .. } => R::JWTMINT_RESULT_DUPLICATE_MEMBER,
            Error::InvalidMemberType { .. } => R::JWTMINT_RESULT_INVALID_MEMBER_TYPE,
            Error::InvalidNumericDate { .. } => R::JWTMINT_RESULT_INVALID_NUMERIC_DATE,
            Error::MissingAlgorithm => R::JWTMINT_RESULT_MISSING_ALGORITHM,
            Error::AlgorithmNone => R::JWTMINT_RESULT_ALGORITHM_NONE,
            Error::UnsupportedAlgorithm => R::JWTMINT_RESULT_UNSUPPORTED_ALGORITHM,
            Error::AlgorithmNotAllowed { .. } => R::JWTMINT_RESULT_ALGORITHM_NOT_ALLOWED,
            Error::CriticalHeader => R::JWTMINT_RESULT_CRITICAL_HEADER,
            Error::SignatureLengthMismatch { .. } => R::JWTMINT_RESULT_SIGNATURE_LENGTH_MISMATCH,
            Error::InvalidSignature => R::JWTMINT_RESULT_INVALID_SIGNATURE,
            Error::PublicKeyMalformed => R::JWTMINT_RESULT_PUBLIC_KEY_MALFORMED,
            Error::MissingClaim { .. } => R::JWTMINT_RESULT_MISSING_CLAIM,
            Error::Expired { .. } => R::JWTMINT_RESULT_EXPIRED,
            Error::NotYetValid { .. } => R::JWTMINT_RESULT_NOT_YET_VALID,
            Error::IssuedInFuture { .. } => R::JWTMINT_RESULT_ISSUED_IN_FUTURE,
            Error::ClaimMismatch { .. } => R::JWTMINT_RESULT_CLAIM_MISMATCH,
            Error::TokenTooLong { .. } => R::JWTMINT_RESULT_TOKEN_TOO_LONG,
            Error::NotATokenResponse => R::JWTMINT_RESULT_NOT_A_TOKEN_RESPONSE,
            Error::JwkNotForVerification => R::JWTMINT_RESULT_JWK_NOT_FOR_VERIFICATION,
            Error::WrongPassphrase => R::JWTMINT_RESULT_WRONG_PASSPHRASE,
            Error::UnsupportedKeyEncryption { .. } => R::JWTMINT_RESULT_UNSUPPORTED_KEY_ENCRYPTION,
            Error::JwkMember { .. } => R::JWTMINT_RESULT_JWK_MEMBER,
            Error::InvalidTokenSyntax { .. } => R::JWTMINT_RESULT_INVALID_TOKEN_SYNTAX,
            Error::TokenRevoked => R::JWTMINT_RESULT_TOKEN_REVOKED,
        }
    }

    /// The code with numeric value `code`, if there is one.
    pub fn from_code(code: i32) -> Option<Self> {
        ALL.iter().copied().find(|r| *r as i32 == code)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn all_is_sorted_and_every_code_round_trips() {
        for w in ALL.windows(2) {
            assert!((w[0] as i32) < (w[1] as i32), "{:?} {:?}", w[0], w[1]);
        }
        for &r in ALL {
            assert_eq!(jwtmint_result::from_code(r as i32), Some(r));
            assert!(r.name_nul().ends_with('\0'));
            assert!(r.name_nul().starts_with("JWTMINT_RESULT_"));
            assert!(r.message().is_ascii());
        }
        // Every code has a non-empty message of its own.
        let mut messages: std::vec::Vec<&str> = ALL.iter().map(|r| r.message()).collect();
        assert!(
            messages
                .iter()
                .all(|m| !m.trim().is_empty() && m.len() < 256)
        );
        messages.sort_unstable();
        messages.dedup();
        assert_eq!(messages.len(), ALL.len(), "two codes share a message");
        // Contiguous 0..=35 (core, certificates, profiles, KEY_IS_DER),
        // reserved 36..=39, reverse path 40..=63 (59: KEY_ALGORITHM_MISMATCH),
        // key formats 64..=66, session grants 80..=83.
        assert_eq!(ALL.len(), 67);
        assert_eq!(
            jwtmint_result::from_code(59),
            Some(R::JWTMINT_RESULT_KEY_ALGORITHM_MISMATCH)
        );
        for code in (-1..=-1).chain(36..40).chain([67, 1000]) {
            assert_eq!(jwtmint_result::from_code(code), None, "{code}");
        }
        assert_eq!(
            jwtmint_result::from_code(40),
            Some(R::JWTMINT_RESULT_MALFORMED_TOKEN)
        );
    }

    #[test]
    fn every_core_error_has_its_own_code() {
        use crate::alg::Algorithm;
        let all = [
            Error::BufferTooSmall { needed: 1 },
            Error::TimestampInMilliseconds {
                claim: "exp",
                value: 1,
            },
            Error::NegativeTimestamp {
                claim: "exp",
                value: -1,
            },
            Error::ExpiryNotAfterIssuedAt { iat: 2, exp: 1 },
            Error::EmptyAudience,
            Error::DuplicateClaim { index: 0 },
            Error::InvalidRawJson { offset: 0 },
            Error::InvalidBase64,
            Error::InvalidUtf8,
            Error::HeaderTooLarge {
                needed: 1,
                capacity: 0,
            },
            Error::AlgorithmMismatch {
                header: Algorithm::Rs256,
                signer: Algorithm::Ps256,
            },
            Error::LengthOverflow,
            Error::KeyMalformed,
            Error::UnsupportedPemLabel,
            Error::EncryptedKey,
            Error::UnsupportedKeyType,
            Error::KeyTooSmall { bits: 1024 },
            Error::KeyTooLarge { bits: 9000 },
            Error::Rng,
            Error::Signing,
            Error::SignatureLength {
                expected: 1,
                actual: 2,
            },
            Error::ClockBeforeEpoch,
            Error::CertificateMalformed,
            Error::CertificateKeyMismatch,
            Error::KeyIsDer,
            Error::InvalidAudience { reason: "x" },
            Error::MalformedToken,
            Error::InvalidJson {
                part: crate::error::JsonPart::Claims,
                offset: 0,
            },
            Error::JsonTooDeep {
                part: crate::error::JsonPart::Header,
                limit: 32,
            },
            Error::NotJsonObject {
                part: crate::error::JsonPart::Header,
            },
            Error::DuplicateMember {
                part: crate::error::JsonPart::Claims,
                offset: 0,
            },
            Error::InvalidMemberType {
                part: crate::error::JsonPart::Claims,
                name: "iss",
            },
            Error::InvalidNumericDate {
                claim: "exp",
                reason: "negative",
            },
            Error::MissingAlgorithm,
            Error::AlgorithmNone,
            Error::UnsupportedAlgorithm,
            Error::AlgorithmNotAllowed {
                alg: Algorithm::Ps256,
            },
            Error::CriticalHeader,
            Error::SignatureLengthMismatch {
                expected: 256,
                actual: 1,
            },
            Error::InvalidSignature,
            Error::PublicKeyMalformed,
            Error::MissingClaim { claim: "exp" },
            Error::Expired { exp: 1, now: 2 },
            Error::NotYetValid { nbf: 2, now: 1 },
            Error::IssuedInFuture { iat: 2, now: 1 },
            Error::LifetimeTooLong {
                lifetime: 2,
                max: 1,
            },
            Error::LifetimeNotPositive,
            Error::InvalidField {
                field: "x",
                reason: "y",
            },
            Error::ServiceAccountJson { field: "json" },
            Error::ClaimMismatch { claim: "aud" },
            Error::TokenTooLong {
                len: 2,
                capacity: 1,
            },
            Error::NotATokenResponse,
            Error::JwkNotForVerification,
            Error::WrongPassphrase,
            Error::UnsupportedKeyEncryption { reason: "x" },
            Error::JwkMember {
                name: "d",
                reason: "missing",
            },
            Error::InvalidTokenSyntax {
                part: crate::error::JsonPart::TokenResponse,
                name: "access_token",
            },
            Error::TokenRevoked,
        ];
        let mut seen = std::vec::Vec::new();
        for e in all {
            let r = jwtmint_result::from(e);
            assert_ne!(r, R::JWTMINT_RESULT_OK, "{e:?}");
            assert_ne!(r, R::JWTMINT_RESULT_UNKNOWN_ERROR, "{e:?}");
            assert!(!seen.contains(&r), "{e:?} shares {r:?}");
            seen.push(r);
        }
    }
}
