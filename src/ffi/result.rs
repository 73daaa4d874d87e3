//! `jwtmint_result`: the one status code of the C ABI, its mapping from
//! [`crate::error::Error`], and its names and human-readable messages. A leaf
//! of the C ABI: the exports that hand names and messages to C live in
//! `result_text.rs`.

use crate::error::Error;

/// Status code returned by every jwtmint function. `JWTMINT_RESULT_OK` (0) is
/// success; every other value is a distinct failure. Turn a code into text
/// with `jwtmint_result_message` or `jwtmint_result_name`.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum jwtmint_result {
    /// Success.
    JWTMINT_RESULT_OK = 0,
    /// An output buffer is too small; `*out_len` holds the required length.
    JWTMINT_RESULT_BUFFER_TOO_SMALL = 1,
    /// A required pointer argument is NULL.
    JWTMINT_RESULT_NULL_ARGUMENT = 2,
    /// An argument has a value outside its allowed set (unknown algorithm,
    /// claim kind, Salesforce login, thumbprint kind or result code;
    /// conflicting options such as `aud` given both as one string and as a
    /// list, or a Salesforce `custom_url` without `JWTMINT_SALESFORCE_CUSTOM`).
    JWTMINT_RESULT_INVALID_ARGUMENT = 3,
    /// A string argument is not valid UTF-8.
    JWTMINT_RESULT_INVALID_UTF8 = 4,
    /// The key is not valid PEM/DER or not a consistent RSA private key.
    JWTMINT_RESULT_KEY_MALFORMED = 5,
    /// The PEM label is not `PRIVATE KEY` (PKCS#8) or `RSA PRIVATE KEY` (PKCS#1).
    JWTMINT_RESULT_UNSUPPORTED_PEM_LABEL = 6,
    /// The key is encrypted (PKCS#8 `ENCRYPTED PRIVATE KEY` or a legacy
    /// `Proc-Type: 4,ENCRYPTED` PEM); decrypt it first.
    JWTMINT_RESULT_ENCRYPTED_KEY = 7,
    /// The key is not an RSA key (e.g. EC or Ed25519).
    JWTMINT_RESULT_UNSUPPORTED_KEY_TYPE = 8,
    /// The RSA modulus is smaller than 2048 bits.
    JWTMINT_RESULT_KEY_TOO_SMALL = 9,
    /// The RSA modulus is larger than 8192 bits.
    JWTMINT_RESULT_KEY_TOO_LARGE = 10,
    /// `exp`, `nbf` or `iat` is above 10^11: milliseconds instead of seconds.
    JWTMINT_RESULT_TIMESTAMP_IN_MILLISECONDS = 11,
    /// `exp`, `nbf` or `iat` is negative.
    JWTMINT_RESULT_NEGATIVE_TIMESTAMP = 12,
    /// `exp` is not after `iat`.
    JWTMINT_RESULT_EXPIRY_NOT_AFTER_ISSUED_AT = 13,
    /// `aud` was given as an empty list.
    JWTMINT_RESULT_EMPTY_AUDIENCE = 14,
    /// An extra claim repeats a registered claim name or another extra claim.
    JWTMINT_RESULT_DUPLICATE_CLAIM = 15,
    /// A raw-JSON extra claim value is not exactly one valid JSON value.
    JWTMINT_RESULT_INVALID_RAW_JSON = 16,
    /// Input is not canonical unpadded Base64Url.
    JWTMINT_RESULT_INVALID_BASE64 = 17,
    /// The encoded header does not fit the header template (512 Base64Url bytes).
    JWTMINT_RESULT_HEADER_TOO_LARGE = 18,
    /// The header's `alg` is not the algorithm of the signer.
    JWTMINT_RESULT_ALGORITHM_MISMATCH = 19,
    /// A length computation overflowed `size_t`.
    JWTMINT_RESULT_LENGTH_OVERFLOW = 20,
    /// The random number generator failed (blinding, PSS salt).
    JWTMINT_RESULT_RNG_FAILED = 21,
    /// The RSA signing operation failed.
    JWTMINT_RESULT_SIGNING_FAILED = 22,
    /// A signer produced a signature of the wrong length, or announced a
    /// signature length of 0 or above 1024 bytes.
    JWTMINT_RESULT_SIGNATURE_LENGTH = 23,
    /// A caller signer callback returned non-zero.
    JWTMINT_RESULT_CALLBACK_FAILED = 24,
    /// The system clock reads before 1970.
    JWTMINT_RESULT_CLOCK_BEFORE_EPOCH = 25,
    /// A bug: jwtmint panicked internally. The panic was caught at the boundary.
    JWTMINT_RESULT_INTERNAL_PANIC = 26,
    /// An error this version of the C ABI has no specific code for.
    JWTMINT_RESULT_UNKNOWN_ERROR = 27,
    /// The X.509 certificate is not a valid PEM (`BEGIN CERTIFICATE`) or DER
    /// certificate.
    JWTMINT_RESULT_CERTIFICATE_MALFORMED = 28,
    /// The certificate's public key is not the public half of the signing key.
    JWTMINT_RESULT_CERTIFICATE_KEY_MISMATCH = 29,
    /// A profile refused an audience, login URL, authority or token URI
    /// (not a bare https URL, or too long).
    JWTMINT_RESULT_INVALID_AUDIENCE = 30,
    /// A lifetime exceeds its maximum: the requested assertion lifetime is
    /// above the provider's limit (Salesforce 180 s, Google 3600 s, Entra
    /// 600 s), or a verified token's `exp - iat` is above the policy's
    /// `max_lifetime`.
    JWTMINT_RESULT_LIFETIME_TOO_LONG = 31,
    /// The requested assertion lifetime is negative (0 selects the default).
    JWTMINT_RESULT_LIFETIME_NOT_POSITIVE = 32,
    /// A required profile field is empty or malformed (consumer key, username,
    /// tenant, client id, thumbprint, scope, subject, jti).
    JWTMINT_RESULT_INVALID_FIELD = 33,
    /// The Google service-account JSON is not valid JSON or lacks a required
    /// member (`private_key`, `client_email`), or `type` is not `service_account`.
    JWTMINT_RESULT_SERVICE_ACCOUNT_JSON = 34,
    /// DER bytes were given to a function that reads PEM
    /// (`jwtmint_key_new_from_pem`, `jwtmint_verifier_new_from_pem`): use
    /// `jwtmint_key_new_from_der` / `jwtmint_verifier_new_from_der`.
    JWTMINT_RESULT_KEY_IS_DER = 35,
    // 36..=39 are reserved.
    /// Not a compact JWS: not exactly three `.`-separated Base64Url segments, or an empty header.
    JWTMINT_RESULT_MALFORMED_TOKEN = 40,
    /// A JOSE header, claims set, token response or JWK is not valid JSON.
    JWTMINT_RESULT_INVALID_JSON = 41,
    /// A JSON document nests deeper than the parser allows.
    JWTMINT_RESULT_JSON_TOO_DEEP = 42,
    /// A JSON document is valid but not an object.
    JWTMINT_RESULT_NOT_JSON_OBJECT = 43,
    /// A JSON object repeats a member name.
    JWTMINT_RESULT_DUPLICATE_MEMBER = 44,
    /// A registered member has the wrong JSON type (e.g. `iss` not a string, `expires_in` not a number).
    JWTMINT_RESULT_INVALID_MEMBER_TYPE = 45,
    /// `exp`, `nbf` or `iat` is not a non-negative integer number of seconds.
    JWTMINT_RESULT_INVALID_NUMERIC_DATE = 46,
    /// The JOSE header has no `alg`.
    JWTMINT_RESULT_MISSING_ALGORITHM = 47,
    /// `alg` is `none` (an unsecured JWS): always refused.
    JWTMINT_RESULT_ALGORITHM_NONE = 48,
    /// `alg` is not RS256 or PS256.
    JWTMINT_RESULT_UNSUPPORTED_ALGORITHM = 49,
    /// `alg` is RS256 or PS256 but not one the verifier allows.
    JWTMINT_RESULT_ALGORITHM_NOT_ALLOWED = 50,
    /// The header has `crit` extensions, which are not understood.
    JWTMINT_RESULT_CRITICAL_HEADER = 51,
    /// The signature length is not the key's modulus length.
    JWTMINT_RESULT_SIGNATURE_LENGTH_MISMATCH = 52,
    /// The signature does not verify.
    JWTMINT_RESULT_INVALID_SIGNATURE = 53,
    /// The public key (PEM, DER, certificate or JWK) is malformed or not RSA.
    JWTMINT_RESULT_PUBLIC_KEY_MALFORMED = 54,
    /// A required claim (or looked-up member) is absent.
    JWTMINT_RESULT_MISSING_CLAIM = 55,
    /// The token is expired (`now >= exp + leeway`).
    JWTMINT_RESULT_EXPIRED = 56,
    /// The token is not valid yet (`now < nbf - leeway`).
    JWTMINT_RESULT_NOT_YET_VALID = 57,
    /// `iat` is in the future (`iat > now + leeway`).
    JWTMINT_RESULT_ISSUED_IN_FUTURE = 58,
    /// The key's type cannot sign or verify this algorithm (an EC key for
    /// RS256, an HMAC secret for an asymmetric algorithm, P-256 for ES384).
    JWTMINT_RESULT_KEY_ALGORITHM_MISMATCH = 59,
    /// `aud`, `iss` or `sub` does not have the required value.
    JWTMINT_RESULT_CLAIM_MISMATCH = 60,
    /// The token does not fit the token cache.
    JWTMINT_RESULT_TOKEN_TOO_LONG = 61,
    /// A token response has neither `access_token` nor `error`.
    JWTMINT_RESULT_NOT_A_TOKEN_RESPONSE = 62,
    /// The JWK is not a verification key (`use`/`key_ops`).
    JWTMINT_RESULT_JWK_NOT_FOR_VERIFICATION = 63,
    /// The passphrase does not decrypt the key (encrypted PKCS#8 or PKCS#12).
    JWTMINT_RESULT_WRONG_PASSPHRASE = 64,
    /// The key's password-based encryption is unsupported (PBES1, SHA-1 PRF,
    /// unknown cipher) or its KDF cost is above the caps.
    JWTMINT_RESULT_UNSUPPORTED_KEY_ENCRYPTION = 65,
    /// A private JWK member is missing, has the wrong length or is
    /// inconsistent (RSA CRT values), or `use`/`key_ops` is not for signing.
    JWTMINT_RESULT_JWK_MEMBER = 66,
    /// A key was given for a profile that signs nothing (a custom endpoint):
    /// pass NULL.
    JWTMINT_RESULT_KEY_NOT_USED = 80,
    /// A grant kind is unknown, or not allowed where it is: the initial
    /// grant must be a login (PASSWORD), a renewal step REFRESH_TOKEN or
    /// PREVIOUS_TOKEN.
    JWTMINT_RESULT_GRANT_KIND = 81,
    /// A token holds a character a token may not hold (`access_token`,
    /// `refresh_token`, `id_token`: printable ASCII without spaces;
    /// `token_type`: an HTTP token): it could split an HTTP header.
    JWTMINT_RESULT_INVALID_TOKEN_SYNTAX = 82,
    /// The record holds a token this session invalidated: not adopted.
    JWTMINT_RESULT_TOKEN_REVOKED = 83,
}

use jwtmint_result as R;

/// The one table of codes: `NAME => "message",` per enumerator of
/// [`jwtmint_result`], in increasing numeric order. It generates `ALL`, the
/// names (from the identifiers) and the messages. The enum itself stays a
/// literal item above because cbindgen reads source, not macro expansions.
/// They cannot drift apart: `name_nul` and `message` are exhaustive matches
/// on the enum (a missing row or a row that is not an enumerator does not
/// compile), and a `const` check below requires `ALL` to be strictly
/// increasing (so no row is listed twice and the order is numeric).
macro_rules! result_table {
    ($($name:ident => $message:expr,)+) => {
        /// Every code, in increasing numeric order. Values have gaps (36..=39
        /// are reserved, 59 is unused), so look codes up with [`jwtmint_result::from_code`],
        /// not by index.
        pub(crate) const ALL: &[jwtmint_result] = &[$(R::$name,)+];

        impl jwtmint_result {
            /// The enumerator's name, e.g. `"JWTMINT_RESULT_OK"`, NUL-terminated.
            pub(crate) const fn name_nul(self) -> &'static str {
                match self {
                    $(R::$name => concat!(stringify!($name), "\0"),)+
                }
            }

            /// A one-sentence description, without a NUL.
            pub const fn message(self) -> &'static str {
                match self {
                    $(R::$name => $message,)+
                }
            }
        }
    };
}

result_table! {
    JWTMINT_RESULT_OK => "success",
    JWTMINT_RESULT_BUFFER_TOO_SMALL => "output buffer too small; *out_len holds the required length",
    JWTMINT_RESULT_NULL_ARGUMENT => "a required pointer argument is NULL",
    JWTMINT_RESULT_INVALID_ARGUMENT => "an argument has a value outside its allowed set (algorithm, claim kind, login, thumbprint kind, result code) or conflicts with another",
    JWTMINT_RESULT_INVALID_UTF8 => "string is not valid UTF-8",
    JWTMINT_RESULT_KEY_MALFORMED => "private key is malformed or not a consistent key",
    JWTMINT_RESULT_UNSUPPORTED_PEM_LABEL => "unsupported PEM label: expected `PRIVATE KEY` (PKCS#8) or `RSA PRIVATE KEY` (PKCS#1)",
    JWTMINT_RESULT_ENCRYPTED_KEY => "the private key is encrypted: use jwtmint_key_new_from_pem_with_passphrase (PKCS#8 `ENCRYPTED PRIVATE KEY`), or write an unencrypted copy with: openssl pkcs8 -topk8 -nocrypt -in key.pem -out key.unencrypted.pem",
    JWTMINT_RESULT_UNSUPPORTED_KEY_TYPE => "unsupported key type (expected RSA, EC P-256/P-384/P-521, Ed25519 or an HMAC secret)",
    JWTMINT_RESULT_KEY_TOO_SMALL => "RSA key is smaller than 2048 bits (NIST SP 800-131A; providers refuse smaller keys)",
    JWTMINT_RESULT_KEY_TOO_LARGE => "RSA key is larger than 8192 bits",
    JWTMINT_RESULT_TIMESTAMP_IN_MILLISECONDS => "a NumericDate (exp, nbf, iat) looks like milliseconds; JWT wants seconds since 1970 (divide by 1000)",
    JWTMINT_RESULT_NEGATIVE_TIMESTAMP => "a NumericDate (exp, nbf, iat) is negative; JWT wants seconds since 1970",
    JWTMINT_RESULT_EXPIRY_NOT_AFTER_ISSUED_AT => "`exp` is not after `iat`: the assertion would be expired when issued",
    JWTMINT_RESULT_EMPTY_AUDIENCE => "`aud` is an empty list; give at least one audience",
    JWTMINT_RESULT_DUPLICATE_CLAIM => "an extra claim repeats a claim name that is already present",
    JWTMINT_RESULT_INVALID_RAW_JSON => "raw claim value is not exactly one valid JSON value",
    JWTMINT_RESULT_INVALID_BASE64 => "not canonical Base64Url (RFC 4648 section 5, no padding, no whitespace)",
    JWTMINT_RESULT_HEADER_TOO_LARGE => "the encoded header does not fit the header template (512 bytes)",
    JWTMINT_RESULT_ALGORITHM_MISMATCH => "the header's alg is not the algorithm of the signer",
    JWTMINT_RESULT_LENGTH_OVERFLOW => "length computation overflowed",
    JWTMINT_RESULT_RNG_FAILED => "random number generator failed",
    JWTMINT_RESULT_SIGNING_FAILED => "signing failed",
    JWTMINT_RESULT_SIGNATURE_LENGTH => "the signer produced or announced a signature of the wrong length",
    JWTMINT_RESULT_CALLBACK_FAILED => "the signer callback returned non-zero",
    JWTMINT_RESULT_CLOCK_BEFORE_EPOCH => "system clock is before 1970-01-01",
    JWTMINT_RESULT_INTERNAL_PANIC => "internal error: jwtmint panicked (a bug; please report it)",
    JWTMINT_RESULT_UNKNOWN_ERROR => "an error without a specific C code",
    JWTMINT_RESULT_CERTIFICATE_MALFORMED => "X.509 certificate is malformed (expected PEM `BEGIN CERTIFICATE` or DER)",
    JWTMINT_RESULT_CERTIFICATE_KEY_MISMATCH => "the certificate does not belong to the signing key: the provider would reject the signature",
    JWTMINT_RESULT_INVALID_AUDIENCE => "invalid audience / token URL: must be a bare https URL (no query, fragment or trailing slash)",
    JWTMINT_RESULT_LIFETIME_TOO_LONG => "lifetime exceeds the allowed maximum: a provider's assertion limit (Salesforce 180 s, Google 3600 s, Entra 600 s) or a verification policy's max_lifetime",
    JWTMINT_RESULT_LIFETIME_NOT_POSITIVE => "assertion lifetime must be at least 1 second (0 selects the profile's default)",
    JWTMINT_RESULT_INVALID_FIELD => "a required profile field is empty, has surrounding whitespace or is malformed",
    JWTMINT_RESULT_SERVICE_ACCOUNT_JSON => "Google service-account JSON is invalid or lacks a required member (private_key, client_email)",
    JWTMINT_RESULT_KEY_IS_DER => "this looks like DER, not PEM text: use jwtmint_key_new_from_der / jwtmint_verifier_new_from_der",
    JWTMINT_RESULT_MALFORMED_TOKEN => "not a compact JWS: expected three `.`-separated Base64Url segments",
    JWTMINT_RESULT_INVALID_JSON => "header, claims, token response or JWK is not valid JSON",
    JWTMINT_RESULT_JSON_TOO_DEEP => "JSON nests too deeply",
    JWTMINT_RESULT_NOT_JSON_OBJECT => "JSON document is not an object",
    JWTMINT_RESULT_DUPLICATE_MEMBER => "a JSON object repeats a member name",
    JWTMINT_RESULT_INVALID_MEMBER_TYPE => "a registered member has the wrong JSON type",
    JWTMINT_RESULT_INVALID_NUMERIC_DATE => "`exp`, `nbf` or `iat` is not a non-negative integer NumericDate",
    JWTMINT_RESULT_MISSING_ALGORITHM => "the JOSE header has no `alg`",
    JWTMINT_RESULT_ALGORITHM_NONE => "`alg: none` (unsecured JWS) is refused",
    JWTMINT_RESULT_UNSUPPORTED_ALGORITHM => "`alg` is not RS256 or PS256",
    JWTMINT_RESULT_ALGORITHM_NOT_ALLOWED => "`alg` is not allowed by the verifier",
    JWTMINT_RESULT_CRITICAL_HEADER => "`crit` header extensions are not understood: token refused",
    JWTMINT_RESULT_SIGNATURE_LENGTH_MISMATCH => "signature length differs from the key's modulus length",
    JWTMINT_RESULT_INVALID_SIGNATURE => "signature does not verify",
    JWTMINT_RESULT_PUBLIC_KEY_MALFORMED => "public key is malformed or not an RSA public key",
    JWTMINT_RESULT_MISSING_CLAIM => "a required claim is absent",
    JWTMINT_RESULT_EXPIRED => "token expired",
    JWTMINT_RESULT_NOT_YET_VALID => "token not yet valid (nbf)",
    JWTMINT_RESULT_ISSUED_IN_FUTURE => "token issued in the future (iat)",
    JWTMINT_RESULT_KEY_ALGORITHM_MISMATCH => "the key's type cannot be used with this algorithm",
    JWTMINT_RESULT_CLAIM_MISMATCH => "a claim (aud, iss, sub) does not have the required value",
    JWTMINT_RESULT_TOKEN_TOO_LONG => "token does not fit the token cache",
    JWTMINT_RESULT_NOT_A_TOKEN_RESPONSE => "token response has neither `access_token` nor `error`",
    JWTMINT_RESULT_JWK_NOT_FOR_VERIFICATION => "JWK is not a verification key (`use` is not `sig` or `key_ops` lacks `verify`)",
    JWTMINT_RESULT_WRONG_PASSPHRASE => "wrong passphrase: the key does not decrypt with it",
    JWTMINT_RESULT_UNSUPPORTED_KEY_ENCRYPTION => "unsupported key encryption (PBES1, SHA-1 PRF, unknown cipher) or KDF cost above the caps; re-encrypt with: openssl pkcs8 -topk8 -v2 aes-256-cbc",
    JWTMINT_RESULT_JWK_MEMBER => "a private JWK member is missing, has the wrong length or is inconsistent, or the JWK is not for signing",
    JWTMINT_RESULT_KEY_NOT_USED => "this profile signs nothing (a custom endpoint): pass NULL as the key",
    JWTMINT_RESULT_GRANT_KIND => "unknown grant kind, or one in the wrong place: the initial grant must be PASSWORD, a renewal step REFRESH_TOKEN or PREVIOUS_TOKEN",
    JWTMINT_RESULT_INVALID_TOKEN_SYNTAX => "a token holds a character a token may not hold (printable ASCII without spaces; token_type an HTTP token)",
    JWTMINT_RESULT_TOKEN_REVOKED => "the record holds a token this session invalidated",
}

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
    /// after the last value (never renumber), add its row (name and message)
    /// at the end of `result_table!`, add an arm below, then regenerate the header
    /// (`scripts/gen-header.sh`). `JWTMINT_RESULT_UNKNOWN_ERROR` stays for
    /// callers built against an older header.
    pub fn from_error(e: &Error) -> Self {
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

impl From<Error> for jwtmint_result {
    fn from(e: Error) -> Self {
        Self::from_error(&e)
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
