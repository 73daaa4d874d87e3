//! Minting into caller buffers, raw JWS signing, lengths, Base64Url, clock.

use alloc::borrow::Cow;
use core::ffi::c_char;

use super::claims::{ParsedClaims, jwtmint_claims};
use super::header::{alg_from, jwtmint_header, jwtmint_header_options, template_from};
use super::key::jwtmint_key;
use super::panic::{guard_len, guard_out, guard_value};
use super::result::jwtmint_result;
use super::util::{Writer, array, reference};
use crate::header::HeaderTemplate;
use crate::signer::JwsSigner;

/// The shared mint path: everything is checked and the exact length computed
/// before a byte of `out` is written; a too-small buffer reports the required
/// length; a signing failure clears what was written. The claims are
/// validated and measured once ([`crate::jws::mint_exact`]).
///
/// # Safety
/// `claims`' pointers as documented on `jwtmint_claims`; `out`'s buffer as
/// documented on `jwtmint_mint`.
pub(crate) unsafe fn mint_into<S: JwsSigner + ?Sized>(
    signer: &mut S,
    tpl: &HeaderTemplate,
    claims: &jwtmint_claims,
    out: &Writer,
) -> Result<crate::error::Result<usize>, jwtmint_result> {
    // SAFETY: forwarded caller contract on the claims' pointers.
    let parsed = unsafe { ParsedClaims::new(claims) }?;
    // SAFETY: forwarded caller contract on the buffer.
    let buf = unsafe { out.buf() }?;
    Ok(crate::jws::mint_exact(signer, tpl, &parsed.claims(), buf))
}

/// The body of `jwtmint_mint` and `jwtmint_mint_with_header` (under
/// `guard_len`): the pointers are checked, then `tpl` gives the template of
/// `header`, and `key` signs with its algorithm.
///
/// # Safety
/// As `jwtmint_mint`, with `header` NULL or valid for what `tpl` reads.
unsafe fn mint_with_key<H>(
    key: *const jwtmint_key,
    header: *const H,
    claims: *const jwtmint_claims,
    out: &Writer,
    tpl: impl FnOnce(&H) -> Result<Cow<'_, HeaderTemplate>, jwtmint_result>,
) -> Result<crate::error::Result<usize>, jwtmint_result> {
    // SAFETY: forwarded caller contract.
    let (k, h, c) = unsafe { (reference(key)?, reference(header)?, reference(claims)?) };
    let tpl = tpl(h)?;
    let mut signer = k.signer(tpl.algorithm())?;
    // SAFETY: forwarded caller contract.
    unsafe { mint_into(&mut signer, &tpl, c, out) }
}

/// Mints a signed compact JWT (RFC 7523 assertion) with `key`, encoding the
/// header from `header` on every call (prefer `jwtmint_mint_with_header` with
/// a template made once). The assertion (ASCII, no NUL) goes to `out`
/// (`cap` bytes) and its length to `*out_len`.
///
/// If `cap` is too small, returns `BUFFER_TOO_SMALL`, leaves `out` untouched
/// and writes the **required length** into `*out_len`: retry with a buffer of
/// that size (`out` may be NULL when `cap` is 0, a pure length query that
/// does not sign). Otherwise outputs are written only on success.
///
/// Errors: `NULL_ARGUMENT`, `INVALID_ARGUMENT`, `INVALID_UTF8`,
/// `HEADER_TOO_LARGE`, the claim errors (`TIMESTAMP_IN_MILLISECONDS`,
/// `NEGATIVE_TIMESTAMP`, `EXPIRY_NOT_AFTER_ISSUED_AT`, `EMPTY_AUDIENCE`,
/// `DUPLICATE_CLAIM`, `INVALID_RAW_JSON`), `BUFFER_TOO_SMALL`, `RNG_FAILED`,
/// `SIGNING_FAILED`.
///
/// # Safety
/// `key` NULL or live; `header` and `claims` NULL or valid, with every string
/// and array in them NULL or valid for its length; `out` NULL (with
/// `cap == 0`) or valid for writes of `cap` bytes, not overlapping any input;
/// `out_len` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_mint(
    key: *const jwtmint_key,
    header: *const jwtmint_header_options,
    claims: *const jwtmint_claims,
    out: *mut u8,
    cap: usize,
    out_len: *mut usize,
) -> jwtmint_result {
    // SAFETY: forwarded caller contract (the header's strings included).
    unsafe {
        guard_len(out, cap, out_len, |w| {
            mint_with_key(key, header, claims, w, |h| {
                Ok(Cow::Owned(template_from(h)?))
            })
        })
    }
}

/// As `jwtmint_mint`, with a header template from `jwtmint_header_new`
/// (the fast path: only the claims are encoded per call). The key signs with
/// the template's algorithm.
///
/// # Safety
/// As `jwtmint_mint`; `header` NULL or a live template.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_mint_with_header(
    key: *const jwtmint_key,
    header: *const jwtmint_header,
    claims: *const jwtmint_claims,
    out: *mut u8,
    cap: usize,
    out_len: *mut usize,
) -> jwtmint_result {
    // SAFETY: forwarded caller contract.
    unsafe {
        guard_len(out, cap, out_len, |w| {
            mint_with_key(key, header, claims, w, |h| Ok(Cow::Borrowed(&h.tpl)))
        })
    }
}

/// Writes into `*out_len` the exact length of the assertion that
/// `jwtmint_mint_with_header` (or `jwtmint_mint_with_signer`) writes for
/// `header` and `claims` with a signature of `signature_len` bytes (e.g.
/// from `jwtmint_key_signature_len`). Validates the claims as minting does.
///
/// # Safety
/// `header` NULL or a live template; `claims` as in `jwtmint_mint`;
/// `out_len` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_mint_len(
    header: *const jwtmint_header,
    claims: *const jwtmint_claims,
    signature_len: usize,
    out_len: *mut usize,
) -> jwtmint_result {
    let len = || {
        // SAFETY: the caller promises `header` is NULL or live.
        let h = unsafe { reference(header) }?;
        // SAFETY: the caller promises `claims` is NULL or valid.
        let c = unsafe { reference(claims) }?;
        // SAFETY: forwarded caller contract on the claims' pointers.
        let parsed = unsafe { ParsedClaims::new(c) }?;
        let claims = parsed.claims();
        claims.validate()?;
        Ok(crate::jws::mint_len(&h.tpl, &claims, signature_len)?)
    };
    // SAFETY: the caller promises `out_len` is NULL or valid for a write.
    unsafe { guard_out(out_len, len) }
}

/// Signs caller-given JWS protected-header bytes and payload bytes verbatim
/// (no JSON re-encoding: this reproduces RFC 7515 A.2 byte for byte) with
/// `key` and `alg` (a `jwtmint_alg`), writing the compact JWS
/// `b64(header).b64(payload).b64(signature)` into `out`. The header's `alg`
/// member is not inspected. Length negotiation as in `jwtmint_mint`.
///
/// # Safety
/// `key` NULL or live; `protected_header` / `payload` NULL (with length 0)
/// or valid for their lengths; `out` NULL (with `cap == 0`) or valid for
/// `cap` bytes, not overlapping the inputs; `out_len` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_sign_raw(
    key: *const jwtmint_key,
    alg: u32,
    protected_header: *const u8,
    protected_header_len: usize,
    payload: *const u8,
    payload_len: usize,
    out: *mut u8,
    cap: usize,
    out_len: *mut usize,
) -> jwtmint_result {
    // SAFETY: forwarded caller contract.
    unsafe {
        guard_len(out, cap, out_len, |w| {
            let k = reference(key)?;
            let alg = alg_from(alg)?;
            let hdr = array(protected_header, protected_header_len)?;
            let pl = array(payload, payload_len)?;
            let mut signer = k.signer(alg)?;
            let needed = crate::jws::sign_raw_len(hdr.len(), pl.len(), signer.signature_len())?;
            let buf = w.sized(needed)?;
            let r = crate::jws::sign_raw(&mut signer, hdr, pl, buf);
            if r.is_err()
                && let Some(written) = buf.get_mut(..needed)
            {
                written.fill(0);
            }
            Ok(r)
        })
    }
}

/// Writes into `*out_len` the exact length of `jwtmint_sign_raw`'s output for
/// a header of `protected_header_len` bytes, a payload of `payload_len` bytes
/// and a signature of `signature_len` bytes. `LENGTH_OVERFLOW` if it does not
/// fit `size_t`.
///
/// # Safety
/// `out_len` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_sign_raw_len(
    protected_header_len: usize,
    payload_len: usize,
    signature_len: usize,
    out_len: *mut usize,
) -> jwtmint_result {
    // SAFETY: the caller promises `out_len` is NULL or valid for a write.
    unsafe {
        guard_out(out_len, || {
            Ok(crate::jws::sign_raw_len(
                protected_header_len,
                payload_len,
                signature_len,
            )?)
        })
    }
}

/// Encodes `len` bytes at `input` as unpadded Base64Url (no NUL) into `out`.
/// Length negotiation as in `jwtmint_mint` (the required length is exact).
///
/// # Safety
/// `input` NULL (with `len == 0`) or valid for `len` bytes; `out` NULL (with
/// `cap == 0`) or valid for `cap` bytes; `out_len` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_base64url_encode(
    input: *const u8,
    len: usize,
    out: *mut u8,
    cap: usize,
    out_len: *mut usize,
) -> jwtmint_result {
    // SAFETY: forwarded caller contract.
    unsafe {
        guard_len(out, cap, out_len, |w| {
            Ok(crate::base64url::encode(array(input, len)?, w.buf()?))
        })
    }
}

/// Decodes strict unpadded Base64Url (URL alphabet, canonical trailing bits,
/// no whitespace) into `out`. `INVALID_BASE64` for anything else. If `cap` is
/// too small, `*out_len` gets the required capacity, an upper bound
/// (`len / 4 * 3 + len % 4 * 3 / 4`) that is exact for canonical input.
///
/// # Safety
/// As `jwtmint_base64url_encode`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_base64url_decode(
    input: *const u8,
    len: usize,
    out: *mut u8,
    cap: usize,
    out_len: *mut usize,
) -> jwtmint_result {
    // SAFETY: forwarded caller contract.
    unsafe {
        guard_len(out, cap, out_len, |w| {
            Ok(crate::base64url::decode(array(input, len)?, w.buf()?))
        })
    }
}

/// Writes the current time as a NumericDate (whole seconds since 1970) into
/// `*now`, for `iat` / `exp`. `CLOCK_BEFORE_EPOCH` if the clock is before 1970.
///
/// # Safety
/// `now` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_now(now: *mut i64) -> jwtmint_result {
    // SAFETY: the caller promises `now` is NULL or valid for a write.
    unsafe { guard_out(now, || Ok(crate::time::now()?)) }
}

/// The library version, e.g. `"0.1.0"`, as a static NUL-terminated string.
/// Never NULL; never free it.
#[unsafe(no_mangle)]
pub extern "C" fn jwtmint_version() -> *const c_char {
    const V: &str = concat!(env!("CARGO_PKG_VERSION"), "\0");
    guard_value(V.as_ptr(), || V.as_ptr()).cast::<c_char>()
}
