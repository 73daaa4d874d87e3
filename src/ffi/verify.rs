//! The reverse path: public keys, signature verification and claim validation.

use alloc::vec::Vec;

use super::claims::jwtmint_str;
use super::panic::{free_handle, guard, guard_len, guard_new, guard_out};
use super::result::jwtmint_result;
use super::util::{bytes, need, reference, sized_out, utf8, write_out};
use crate::alg::Algorithm;
use crate::json::view::{JsonStr, Members};
use crate::keys::PublicKey;
use crate::keys::{VerifyingKey, algorithm_of};
use crate::parse;
use crate::validate::Validation;

/// Bits of the `allowed` argument of `jwtmint_verifier_new_from_*`: the
/// algorithms a verifier accepts (`1 << jwtmint_alg`). Combine with `|`.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum jwtmint_allow {
    /// Accept RS256 (RSASSA-PKCS1-v1_5 with SHA-256).
    JWTMINT_ALLOW_RS256 = 1,
    /// Accept PS256 (RSASSA-PSS with SHA-256).
    JWTMINT_ALLOW_PS256 = 2,
    /// Accept RS384.
    JWTMINT_ALLOW_RS384 = 4,
    /// Accept RS512.
    JWTMINT_ALLOW_RS512 = 8,
    /// Accept PS384.
    JWTMINT_ALLOW_PS384 = 16,
    /// Accept PS512.
    JWTMINT_ALLOW_PS512 = 32,
    /// Accept ES256 (P-256 key).
    JWTMINT_ALLOW_ES256 = 64,
    /// Accept ES384 (P-384 key).
    JWTMINT_ALLOW_ES384 = 128,
    /// Accept ES512 (P-521 key).
    JWTMINT_ALLOW_ES512 = 256,
    /// Accept EdDSA (Ed25519 key).
    JWTMINT_ALLOW_EDDSA = 512,
    /// Accept HS256 (HMAC secret).
    JWTMINT_ALLOW_HS256 = 1024,
    /// Accept HS384 (HMAC secret).
    JWTMINT_ALLOW_HS384 = 2048,
    /// Accept HS512 (HMAC secret).
    JWTMINT_ALLOW_HS512 = 4096,
}

/// The allow bits in `Algorithm::ALL` order.
const ALLOW: [(jwtmint_allow, Algorithm); 13] = [
    (jwtmint_allow::JWTMINT_ALLOW_RS256, Algorithm::Rs256),
    (jwtmint_allow::JWTMINT_ALLOW_RS384, Algorithm::Rs384),
    (jwtmint_allow::JWTMINT_ALLOW_RS512, Algorithm::Rs512),
    (jwtmint_allow::JWTMINT_ALLOW_PS256, Algorithm::Ps256),
    (jwtmint_allow::JWTMINT_ALLOW_PS384, Algorithm::Ps384),
    (jwtmint_allow::JWTMINT_ALLOW_PS512, Algorithm::Ps512),
    (jwtmint_allow::JWTMINT_ALLOW_ES256, Algorithm::Es256),
    (jwtmint_allow::JWTMINT_ALLOW_ES384, Algorithm::Es384),
    (jwtmint_allow::JWTMINT_ALLOW_ES512, Algorithm::Es512),
    (jwtmint_allow::JWTMINT_ALLOW_EDDSA, Algorithm::EdDsa),
    (jwtmint_allow::JWTMINT_ALLOW_HS256, Algorithm::Hs256),
    (jwtmint_allow::JWTMINT_ALLOW_HS384, Algorithm::Hs384),
    (jwtmint_allow::JWTMINT_ALLOW_HS512, Algorithm::Hs512),
];

/// A public key (RSA 2048 to 8192 bits, EC P-256/P-384/P-521, Ed25519) or an
/// HMAC secret, with the algorithms it accepts, parsed once (opaque).
///
/// Immutable after creation: one `const jwtmint_verifier *` may be used by any
/// number of threads at the same time without locking. Free it once, with
/// `jwtmint_verifier_free`, after every user is done.
pub struct jwtmint_verifier {
    pub(crate) key: VerifyingKey,
}

/// The algorithms of an `allowed` bit set; 0 or unknown bits are
/// `INVALID_ARGUMENT`.
fn allowed_algs(allowed: u32) -> Result<Vec<Algorithm>, jwtmint_result> {
    let all = ALLOW.iter().fold(0u32, |m, (b, _)| m | *b as u32);
    if allowed == 0 || allowed & !all != 0 {
        return Err(jwtmint_result::JWTMINT_RESULT_INVALID_ARGUMENT);
    }
    Ok(ALLOW
        .iter()
        .filter(|(b, _)| allowed & *b as u32 != 0)
        .map(|(_, a)| *a)
        .collect())
}

/// The body of every `jwtmint_verifier_new_from_*`: `out` is checked, then
/// the key bytes are read (`input`), then `allowed`, then the key is parsed
/// and must suit every allowed algorithm (`KEY_ALGORITHM_MISMATCH`); on
/// success `*out` receives the new verifier.
///
/// # Safety
/// `out` must be NULL or valid for a write.
unsafe fn new_verifier<I>(
    out: *mut *mut jwtmint_verifier,
    allowed: u32,
    input: impl FnOnce() -> Result<I, jwtmint_result>,
    parse: impl FnOnce(I) -> crate::error::Result<PublicKey>,
) -> jwtmint_result {
    // SAFETY: forwarded caller contract on `out`.
    unsafe {
        guard_new(out, || {
            let input = input()?;
            let algs = allowed_algs(allowed)?;
            let key = VerifyingKey::try_new(parse(input)?, &algs)?;
            Ok(jwtmint_verifier { key })
        })
    }
}

/// Parses a PEM public key (RSA, EC, Ed25519): SPKI (`-----BEGIN PUBLIC KEY-----`), PKCS#1
/// (`-----BEGIN RSA PUBLIC KEY-----`) or an X.509 certificate
/// (`-----BEGIN CERTIFICATE-----`, its key is used; the certificate itself is
/// not validated), `len` bytes at `pem` (no NUL needed, a counted NUL is
/// fine; text before the BEGIN line is ignored, after the END line only
/// whitespace is allowed). `allowed` is a bit set of `jwtmint_allow` values. On
/// success `*out` receives a new verifier, to be freed with
/// `jwtmint_verifier_free`.
///
/// Errors: `NULL_ARGUMENT`, `INVALID_ARGUMENT` (`allowed` is 0 or has unknown
/// bits), `KEY_IS_DER` (DER bytes: use `jwtmint_verifier_new_from_der`),
/// `INVALID_UTF8`, `PUBLIC_KEY_MALFORMED`, `UNSUPPORTED_PEM_LABEL`,
/// `UNSUPPORTED_KEY_TYPE`, `KEY_TOO_SMALL`, `KEY_TOO_LARGE`.
///
/// # Safety
/// `pem` must be NULL or valid for reads of `len` bytes; `out` NULL or valid
/// for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_verifier_new_from_pem(
    pem: *const u8,
    len: usize,
    allowed: u32,
    out: *mut *mut jwtmint_verifier,
) -> jwtmint_result {
    // SAFETY: the caller promises `pem` is NULL or valid for `len` bytes
    // and `out` NULL or valid for a write.
    unsafe {
        new_verifier(
            out,
            allowed,
            || Ok(crate::keys::pem::text(bytes(pem, len)?)?),
            PublicKey::from_pem,
        )
    }
}

/// An HMAC secret (`len` raw bytes, at least 32) as the key of a verifier
/// for HS256/HS384/HS512. Errors: `NULL_ARGUMENT`, `KEY_TOO_SMALL`,
/// `KEY_ALGORITHM_MISMATCH` (an `allowed` bit for a non-HS algorithm),
/// `INVALID_ARGUMENT`.
///
/// # Safety
/// `secret` must be NULL or valid for reads of `len` bytes; `out` NULL or
/// valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_verifier_new_from_hmac_secret(
    secret: *const u8,
    len: usize,
    allowed: u32,
    out: *mut *mut jwtmint_verifier,
) -> jwtmint_result {
    // SAFETY: the caller promises `secret` is NULL or valid for `len` bytes
    // and `out` NULL or valid for a write.
    unsafe {
        new_verifier(
            out,
            allowed,
            || bytes(secret, len),
            PublicKey::from_hmac_secret,
        )
    }
}

/// Parses a DER public key (RSA, EC, Ed25519): SPKI `SubjectPublicKeyInfo`, PKCS#1
/// `RSAPublicKey` or an X.509 certificate (told apart by structure).
/// Otherwise as `jwtmint_verifier_new_from_pem` (no `KEY_IS_DER`, no
/// `INVALID_UTF8`, no `UNSUPPORTED_PEM_LABEL`).
///
/// # Safety
/// `der` must be NULL or valid for reads of `len` bytes; `out` NULL or valid
/// for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_verifier_new_from_der(
    der: *const u8,
    len: usize,
    allowed: u32,
    out: *mut *mut jwtmint_verifier,
) -> jwtmint_result {
    // SAFETY: the caller promises `der` is NULL or valid for `len` bytes
    // and `out` NULL or valid for a write.
    unsafe { new_verifier(out, allowed, || bytes(der, len), PublicKey::from_der) }
}

/// Parses one public JWK (RFC 7517/7518: `RSA` `n`/`e`, `EC` P-256/P-384/P-521
/// `x`/`y`, `OKP` Ed25519 `x` (RFC 8037), or `oct` `k` for an HMAC secret;
/// private members are ignored). Otherwise as
/// `jwtmint_verifier_new_from_pem`, with the errors `INVALID_JSON`,
/// `JSON_TOO_DEEP`, `NOT_JSON_OBJECT`, `DUPLICATE_MEMBER`,
/// `INVALID_MEMBER_TYPE`, `JWK_NOT_FOR_VERIFICATION` (`use` is not `sig`, or
/// `key_ops` lacks `verify`) instead of `UNSUPPORTED_PEM_LABEL`.
///
/// # Safety
/// `jwk` must be NULL or valid for reads of `len` bytes; `out` NULL or valid
/// for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_verifier_new_from_jwk(
    jwk: *const u8,
    len: usize,
    allowed: u32,
    out: *mut *mut jwtmint_verifier,
) -> jwtmint_result {
    // SAFETY: the caller promises `jwk` is NULL or valid for `len` bytes
    // and `out` NULL or valid for a write.
    unsafe { new_verifier(out, allowed, || utf8(jwk, len), PublicKey::from_jwk) }
}

/// Frees a verifier. NULL is a no-op.
///
/// # Safety
/// `verifier` must be NULL or a handle from `jwtmint_verifier_new_from_*`
/// that was not freed yet and that no other thread is still using.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_verifier_free(verifier: *mut jwtmint_verifier) {
    // SAFETY: the caller promises it came from `Box::into_raw` in
    // `new_verifier` and is freed exactly once.
    unsafe { free_handle(verifier) }
}

/// The claim checks of `jwtmint_verify`, after the signature verified.
///
/// Zero-initialised (`jwtmint_validation p = {0};`) it is the safe default
/// policy, the same as passing NULL: `exp` is required and not expired (no
/// leeway); `nbf` and `iat` are checked against `now` whenever present.
/// Accepting tokens without `exp` takes the explicit `allow_missing_exp`.
/// Strings are absent (not checked) when their `ptr` is NULL.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct jwtmint_validation {
    /// Clock skew tolerated on `exp`, `nbf` and `iat`, in seconds (negative is 0).
    pub leeway: i64,
    /// Accept a token without `exp` (by default `exp` must be present:
    /// `MISSING_CLAIM` otherwise). `exp` is still checked when present.
    /// Ignored when `has_max_lifetime` is set (a maximum lifetime needs `exp`).
    pub allow_missing_exp: bool,
    /// `iat` must be present.
    pub require_iat: bool,
    /// `nbf` must be present.
    pub require_nbf: bool,
    /// Whether `max_lifetime` applies (it also requires `exp`).
    pub has_max_lifetime: bool,
    /// Maximum `exp - iat` (or `exp - now` without `iat`), in seconds
    /// (`LIFETIME_TOO_LONG` beyond it).
    pub max_lifetime: i64,
    /// An accepted audience: `aud` (a string, or any element of an array)
    /// must equal it or one of `audiences` (`CLAIM_MISMATCH`; absent `aud` is
    /// `MISSING_CLAIM`).
    pub audience: jwtmint_str,
    /// More accepted audiences, `audience_count` entries (NULL allowed when 0).
    pub audiences: *const jwtmint_str,
    /// Number of entries in `audiences`.
    pub audience_count: usize,
    /// Required `iss` (exact, after JSON unescaping).
    pub issuer: jwtmint_str,
    /// Required `sub` (exact, after JSON unescaping).
    pub subject: jwtmint_str,
}

/// The claims of a verified JWT, as views into the caller's buffer given to
/// `jwtmint_verify` (the decoded header and claims live there): valid as long
/// as that buffer is alive and unchanged.
///
/// String members (`typ`, `kid`, `iss`, `sub`, `jti`) are the **raw** JSON
/// string content between the quotes: escape sequences such as `\/` or
/// `\u00e9` are not decoded (decode them with `jwtmint_json_unescape`). An
/// absent member has a NULL `ptr`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct jwtmint_verified {
    /// The verified algorithm (a `jwtmint_alg` value).
    pub alg: u32,
    /// The decoded JOSE header, a JSON object.
    pub header_json: jwtmint_str,
    /// The decoded claims set, a JSON object (look members up with
    /// `jwtmint_verified_claim`).
    pub claims_json: jwtmint_str,
    /// Header `typ`, raw.
    pub typ: jwtmint_str,
    /// Header `kid`, raw.
    pub kid: jwtmint_str,
    /// `iss`, raw.
    pub iss: jwtmint_str,
    /// `sub`, raw.
    pub sub: jwtmint_str,
    /// `jti`, raw.
    pub jti: jwtmint_str,
    /// `aud` as its raw JSON value, quotes or brackets included
    /// (`"a"` or `["a","b"]`).
    pub aud_json: jwtmint_str,
    /// Whether `exp` is present.
    pub has_exp: bool,
    /// `exp`, NumericDate seconds.
    pub exp: i64,
    /// Whether `nbf` is present.
    pub has_nbf: bool,
    /// `nbf`, NumericDate seconds.
    pub nbf: i64,
    /// Whether `iat` is present.
    pub has_iat: bool,
    /// `iat`, NumericDate seconds.
    pub iat: i64,
}

const ABSENT: jwtmint_str = jwtmint_str {
    ptr: core::ptr::null(),
    len: 0,
};

/// A view of a Rust string.
pub(crate) fn view(s: &str) -> jwtmint_str {
    jwtmint_str {
        ptr: s.as_ptr(),
        len: s.len(),
    }
}

/// A view of an optional raw JSON string.
pub(crate) fn raw_view(s: Option<JsonStr<'_>>) -> jwtmint_str {
    s.map_or(ABSENT, |s| view(s.raw()))
}

/// Verifies the compact JWS `token` (`token_len` bytes) with `verifier`, then
/// checks its claims against `policy` at time `now` (seconds since 1970, e.g.
/// from `jwtmint_now`).
///
/// `policy` NULL means the default policy, as does a zero-initialised
/// `jwtmint_validation`: `exp` required and not expired (no leeway),
/// `nbf`/`iat` checked when present. Accepting a token without `exp` takes
/// `allow_missing_exp = true`.
///
/// The header, claims and signature are Base64Url-decoded into `buf` (`cap`
/// bytes); on success `*out` receives views into `buf` (see
/// `jwtmint_verified`) and `*buf_len` the number of bytes of `buf` reserved
/// for them. If `cap` is too small, returns `BUFFER_TOO_SMALL` with the
/// required capacity (about 3/4 of `token_len`) in `*buf_len` (`buf` may be
/// NULL when `cap` is 0). On failure `*out` and `*buf_len` are untouched, and
/// `buf` is either untouched (argument, shape and size errors) or cleared to
/// zeros (no unverified claims are left in it).
///
/// Order of checks: arguments, token shape (`MALFORMED_TOKEN`), buffer size,
/// Base64Url (`INVALID_BASE64`), header JSON, `alg` (`ALGORITHM_NONE`,
/// `UNSUPPORTED_ALGORITHM`, `ALGORITHM_NOT_ALLOWED`, `CRITICAL_HEADER`),
/// signature (`SIGNATURE_LENGTH_MISMATCH`, `INVALID_SIGNATURE`), claims JSON
/// (`INVALID_JSON`, `INVALID_NUMERIC_DATE`, ...), then the policy
/// (`MISSING_CLAIM`, `TIMESTAMP_IN_MILLISECONDS` for an `exp`, `nbf` or `iat`
/// above 10^11, `EXPIRED`, `NOT_YET_VALID`, `ISSUED_IN_FUTURE`,
/// `LIFETIME_TOO_LONG`, `CLAIM_MISMATCH`). Claims are never parsed before the
/// signature verified.
///
/// Thread-safe: `verifier` and `policy` are only read.
///
/// # Safety
/// `verifier` NULL or live; `token` NULL or valid for `token_len` bytes;
/// `policy` NULL or valid, with every string and array in it NULL or valid
/// for its length; `buf` NULL (with `cap == 0`) or valid for `cap` bytes and
/// not overlapping `token`; `buf_len` and `out` NULL or valid for a write.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn jwtmint_verify(
    verifier: *const jwtmint_verifier,
    token: *const u8,
    token_len: usize,
    policy: *const jwtmint_validation,
    now: i64,
    buf: *mut u8,
    cap: usize,
    buf_len: *mut usize,
    out: *mut jwtmint_verified,
) -> jwtmint_result {
    guard(|| {
        need(buf_len)?;
        need(out)?;
        // SAFETY: the caller promises `verifier` is NULL or live.
        let v = unsafe { reference(verifier) }?;
        // SAFETY: the caller promises `token` is NULL or valid for `token_len` bytes.
        let token = unsafe { bytes(token, token_len) }?;
        // SAFETY: the caller promises `policy` is NULL or valid.
        let policy = unsafe { policy.as_ref() };
        let audiences = match policy {
            // SAFETY: forwarded caller contract on the policy's strings.
            Some(p) => unsafe { jwtmint_str::list(p.audiences, p.audience_count) }?,
            None => Vec::new(),
        };
        let validation = match policy {
            // SAFETY: forwarded caller contract on the policy's strings.
            Some(p) => unsafe { validation(p, &audiences) }?,
            None => Validation::new(),
        };
        parse::split(token)?;
        let needed = parse::buffer_len(token);
        // SAFETY: the caller promises `buf` is NULL or valid for `cap` bytes;
        // `buf_len` is non-NULL and the caller promises it is writable.
        let buf = unsafe { sized_out(buf, cap, needed, buf_len) }?;
        let jwt = match v
            .key
            .verify(token, buf, &validation, crate::time::check_now(now)?)
        {
            Ok(jwt) => jwt,
            Err(e) => {
                // No unverified claims are left behind for a careless caller.
                buf.fill(0);
                return Err(e.into());
            }
        };
        let alg = super::header::alg_code(algorithm_of(&jwt.header.alg)?);
        let c = &jwt.claims;
        let result = jwtmint_verified {
            alg: alg as u32,
            header_json: view(jwt.header.json),
            claims_json: view(c.json),
            typ: raw_view(jwt.header.typ),
            kid: raw_view(jwt.header.kid),
            iss: raw_view(c.iss),
            sub: raw_view(c.sub),
            jti: raw_view(c.jti),
            aud_json: c.aud.map_or(ABSENT, |a| view(a.raw_json())),
            has_exp: c.exp.is_some(),
            exp: c.exp.unwrap_or(0),
            has_nbf: c.nbf.is_some(),
            nbf: c.nbf.unwrap_or(0),
            has_iat: c.iat.is_some(),
            iat: c.iat.unwrap_or(0),
        };
        // SAFETY: both checked non-NULL; the caller promises they are writable.
        unsafe {
            write_out(buf_len, needed);
            write_out(out, result);
        }
        Ok(())
    })
}

/// The core policy for a C policy.
///
/// # Safety
/// Every pointer in `p` must be NULL or valid as documented, for `'a`.
unsafe fn validation<'a>(
    p: &jwtmint_validation,
    audiences: &'a [&'a str],
) -> Result<Validation<'a>, jwtmint_result> {
    let mut v = Validation::new()
        .leeway(p.leeway)
        .allow_missing_exp(p.allow_missing_exp)
        .require_iat(p.require_iat)
        .require_nbf(p.require_nbf)
        .audiences(audiences);
    if p.has_max_lifetime {
        v = v.max_lifetime(p.max_lifetime);
    }
    // SAFETY: forwarded caller contract on `p.audience`.
    if let Some(a) = unsafe { p.audience.optional() }? {
        v = v.audience(a);
    }
    // SAFETY: forwarded caller contract on `p.issuer`.
    if let Some(i) = unsafe { p.issuer.optional() }? {
        v = v.issuer(i);
    }
    // SAFETY: forwarded caller contract on `p.subject`.
    if let Some(s) = unsafe { p.subject.optional() }? {
        v = v.subject(s);
    }
    Ok(v)
}

/// Looks up the member `name` (`name_len` bytes, compared after JSON
/// unescaping) of the verified claims set and writes its raw JSON value
/// (quotes included for a string, e.g. `"x"`, `42`, `{"a":1}`) into `*value`,
/// a view into the same buffer as `verified`. An absent member gives
/// `MISSING_CLAIM`.
///
/// # Safety
/// `verified` NULL or filled by a successful `jwtmint_verify` whose buffer is
/// still alive and unchanged; `name` NULL or valid for `name_len` bytes;
/// `value` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_verified_claim(
    verified: *const jwtmint_verified,
    name: *const u8,
    name_len: usize,
    value: *mut jwtmint_str,
) -> jwtmint_result {
    let claim = || {
        // SAFETY: the caller promises `verified` is NULL or valid.
        let v = unsafe { reference(verified) }?;
        // SAFETY: the caller promises `name` is NULL or valid for `name_len` bytes.
        let name = unsafe { utf8(name, name_len) }?;
        // SAFETY: the caller promises the views of `verified` are still valid.
        let json = unsafe { v.claims_json.required() }?;
        let raw = Members::new(json)
            .get(name)
            .ok_or(jwtmint_result::JWTMINT_RESULT_MISSING_CLAIM)?;
        Ok(view(raw))
    };
    // SAFETY: the caller promises `value` is NULL or valid for a write.
    unsafe { guard_out(value, claim) }
}

/// Decodes the escape sequences of raw JSON string content (`len` bytes at
/// `raw`, the text between the quotes, as found in `jwtmint_verified` and
/// `jwtmint_token_response`) into `buf` (`cap` bytes), e.g. `https:\/\/x` to
/// `https://x`. `*out_len` gets the decoded length (UTF-8, no NUL); if `cap`
/// is too small, returns `BUFFER_TOO_SMALL` with the required length. Input
/// without backslashes is copied unchanged. Invalid escapes (impossible in
/// text jwtmint validated) decode to U+FFFD.
///
/// # Safety
/// `raw` NULL or valid for `len` bytes; `buf` NULL (with `cap == 0`) or valid
/// for `cap` bytes; `out_len` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_json_unescape(
    raw: *const u8,
    len: usize,
    buf: *mut u8,
    cap: usize,
    out_len: *mut usize,
) -> jwtmint_result {
    // SAFETY: forwarded caller contract.
    unsafe {
        guard_len(buf, cap, out_len, |w| {
            let s = JsonStr::from_raw(utf8(raw, len)?);
            Ok(s.unescape_into(w.sized(s.decoded_len())?).map(str::len))
        })
    }
}

/// Compile-time proof of the documented thread-safety of the verifier.
const _: () = {
    const fn send_sync<T: Send + Sync>() {}
    send_sync::<jwtmint_verifier>();
};
