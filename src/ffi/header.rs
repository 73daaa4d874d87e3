//! Header options, algorithms, and the opaque reusable header template.

use super::claims::jwtmint_str;
use super::panic::{free_handle, guard_len, guard_new};
use super::result::jwtmint_result;
use super::util::{copy_to, reference};
use crate::alg::Algorithm;
use crate::header::{Header, HeaderTemplate};

/// JWS signature algorithms (the `alg` fields and arguments, passed as
/// `uint32_t`).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum jwtmint_alg {
    /// RSASSA-PKCS1-v1_5 with SHA-256 (deterministic).
    JWTMINT_ALG_RS256 = 0,
    /// RSASSA-PSS with SHA-256, MGF1-SHA-256, 32-byte salt (randomised).
    JWTMINT_ALG_PS256 = 1,
    /// RSASSA-PKCS1-v1_5 with SHA-384.
    JWTMINT_ALG_RS384 = 2,
    /// RSASSA-PKCS1-v1_5 with SHA-512.
    JWTMINT_ALG_RS512 = 3,
    /// RSASSA-PSS with SHA-384, 48-byte salt.
    JWTMINT_ALG_PS384 = 4,
    /// RSASSA-PSS with SHA-512, 64-byte salt.
    JWTMINT_ALG_PS512 = 5,
    /// ECDSA P-256 / SHA-256, 64-byte `r || s` (RFC 6979 nonces).
    JWTMINT_ALG_ES256 = 6,
    /// ECDSA P-384 / SHA-384, 96-byte `r || s`.
    JWTMINT_ALG_ES384 = 7,
    /// ECDSA P-521 / SHA-512, 132-byte `r || s`.
    JWTMINT_ALG_ES512 = 8,
    /// EdDSA with Ed25519 (RFC 8037), 64 bytes.
    JWTMINT_ALG_EDDSA = 9,
    /// HMAC SHA-256 (key: a secret of at least 32 bytes).
    JWTMINT_ALG_HS256 = 10,
    /// HMAC SHA-384 (key: a secret of at least 48 bytes).
    JWTMINT_ALG_HS384 = 11,
    /// HMAC SHA-512 (key: a secret of at least 64 bytes).
    JWTMINT_ALG_HS512 = 12,
}

/// The C codes in `Algorithm::ALL` order.
const CODES: [jwtmint_alg; 13] = [
    jwtmint_alg::JWTMINT_ALG_RS256,
    jwtmint_alg::JWTMINT_ALG_RS384,
    jwtmint_alg::JWTMINT_ALG_RS512,
    jwtmint_alg::JWTMINT_ALG_PS256,
    jwtmint_alg::JWTMINT_ALG_PS384,
    jwtmint_alg::JWTMINT_ALG_PS512,
    jwtmint_alg::JWTMINT_ALG_ES256,
    jwtmint_alg::JWTMINT_ALG_ES384,
    jwtmint_alg::JWTMINT_ALG_ES512,
    jwtmint_alg::JWTMINT_ALG_EDDSA,
    jwtmint_alg::JWTMINT_ALG_HS256,
    jwtmint_alg::JWTMINT_ALG_HS384,
    jwtmint_alg::JWTMINT_ALG_HS512,
];

/// The algorithm for a C `alg` value; unknown values are `INVALID_ARGUMENT`.
pub(crate) fn alg_from(v: u32) -> Result<Algorithm, jwtmint_result> {
    CODES
        .iter()
        .zip(Algorithm::ALL)
        .find(|(c, _)| **c as u32 == v)
        .map(|(_, a)| a)
        .ok_or(jwtmint_result::JWTMINT_RESULT_INVALID_ARGUMENT)
}

/// The C code of `alg`.
pub(crate) fn alg_code(alg: Algorithm) -> jwtmint_alg {
    CODES
        .iter()
        .zip(Algorithm::ALL)
        .find(|(_, a)| *a == alg)
        .map_or(jwtmint_alg::JWTMINT_ALG_RS256, |(c, _)| *c)
}

/// The JOSE header of the assertion. Zero-initialised it is
/// `{"alg":"RS256","typ":"JWT"}`. Members are written in the order
/// `alg, typ, kid, x5t, x5t#S256`; absent strings (NULL `ptr`) are omitted.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct jwtmint_header_options {
    /// A `jwtmint_alg` value.
    pub alg: u32,
    /// `typ`; absent means the default `"JWT"` (see `omit_typ`).
    pub typ: jwtmint_str,
    /// If true, no `typ` member is written at all (`typ` must then be absent).
    pub omit_typ: bool,
    /// `kid`: key id (Google: the service account's `private_key_id`).
    pub kid: jwtmint_str,
    /// `x5t`: Base64Url SHA-1 certificate thumbprint (Microsoft Entra).
    pub x5t: jwtmint_str,
    /// `x5t#S256`: Base64Url SHA-256 certificate thumbprint.
    pub x5t_s256: jwtmint_str,
}

/// Builds the pre-encoded template for `o`.
///
/// # Safety
/// The strings in `o` must be NULL or valid for their lengths.
pub(crate) unsafe fn template_from(
    o: &jwtmint_header_options,
) -> Result<HeaderTemplate, jwtmint_result> {
    let alg = alg_from(o.alg)?;
    // SAFETY: forwarded caller contract on `o.typ`.
    let typ = unsafe { o.typ.optional() }?;
    let typ = match (o.omit_typ, typ) {
        (true, Some(_)) => return Err(jwtmint_result::JWTMINT_RESULT_INVALID_ARGUMENT),
        (true, None) => None,
        (false, None) => Some("JWT"),
        (false, Some(t)) => Some(t),
    };
    let header = Header {
        alg,
        typ,
        // SAFETY: forwarded caller contract on `o.kid`.
        kid: unsafe { o.kid.optional() }?,
        // SAFETY: forwarded caller contract on `o.x5t`.
        x5t: unsafe { o.x5t.optional() }?,
        // SAFETY: forwarded caller contract on `o.x5t_s256`.
        x5t_s256: unsafe { o.x5t_s256.optional() }?,
    };
    Ok(HeaderTemplate::new(&header)?)
}

/// A header encoded once (opaque). Create it with `jwtmint_header_new`, reuse
/// it for every mint with the same key, free it with `jwtmint_header_free`.
/// Immutable after creation: a `const jwtmint_header *` may be used from any
/// number of threads at once.
pub struct jwtmint_header {
    pub(crate) tpl: HeaderTemplate,
}

/// Encodes the header described by `options` once, into a new template
/// stored in `*out` (written only on success).
///
/// Errors: `NULL_ARGUMENT`, `INVALID_ARGUMENT` (unknown `alg`, or `typ` given
/// with `omit_typ`), `INVALID_UTF8`, `HEADER_TOO_LARGE`.
///
/// # Safety
/// `options` must be NULL or point to a valid `jwtmint_header_options` whose
/// strings are NULL or valid for their lengths; `out` must be NULL or valid
/// for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_header_new(
    options: *const jwtmint_header_options,
    out: *mut *mut jwtmint_header,
) -> jwtmint_result {
    let new = || {
        // SAFETY: the caller promises `options` is NULL or valid.
        let o = unsafe { reference(options) }?;
        // SAFETY: the caller promises the strings in `o` are valid.
        let tpl = unsafe { template_from(o) }?;
        Ok(jwtmint_header { tpl })
    };
    // SAFETY: the caller promises `out` is NULL or valid for a write.
    unsafe { guard_new(out, new) }
}

/// Frees a template from `jwtmint_header_new`. NULL is a no-op.
///
/// # Safety
/// `header` must be NULL or a pointer returned by `jwtmint_header_new` that
/// was not freed yet and is not in use by another thread.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_header_free(header: *mut jwtmint_header) {
    // SAFETY: the caller promises it came from `Box::into_raw` in
    // `jwtmint_header_new` and is freed once.
    unsafe { free_handle(header) }
}

/// Copies the template's Base64Url header segment (no NUL) into `buf`.
/// `*out_len` gets its length; if `cap` is too small, returns
/// `BUFFER_TOO_SMALL` with the required length in `*out_len`.
///
/// # Safety
/// `header` must be NULL or a live template; `buf` NULL (with `cap == 0`) or
/// valid for `cap` bytes; `out_len` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_header_encoded(
    header: *const jwtmint_header,
    buf: *mut u8,
    cap: usize,
    out_len: *mut usize,
) -> jwtmint_result {
    // SAFETY: forwarded caller contract.
    unsafe {
        guard_len(buf, cap, out_len, |w| {
            Ok(copy_to(reference(header)?.tpl.as_bytes(), w.buf()?))
        })
    }
}
