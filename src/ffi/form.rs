//! RFC 7523 token-request bodies (`application/x-www-form-urlencoded`).

use alloc::vec::Vec;

use super::claims::jwtmint_str;
use super::panic::guard_len;
use super::result::jwtmint_result;
use super::util::{Writer, array, utf8};
use crate::form;

/// One extra `name=value` form parameter (both required, UTF-8; they are
/// percent-encoded on output).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct jwtmint_form_param {
    /// Parameter name, e.g. `scope`.
    pub name: jwtmint_str,
    /// Parameter value.
    pub value: jwtmint_str,
}

type BodyLen = fn(&str, &[(&str, &str)]) -> crate::error::Result<usize>;
type BodyWrite = fn(&str, &[(&str, &str)], &mut [u8]) -> crate::error::Result<usize>;

/// One kind of body: its exact length and its writer (`crate::form`).
struct Body {
    len: BodyLen,
    write: BodyWrite,
}

const GRANT: Body = Body {
    len: form::grant_body_len,
    write: form::grant_body,
};

const CLIENT_ASSERTION: Body = Body {
    len: form::client_assertion_body_len,
    write: form::client_assertion_body,
};

/// The body of both exports: checks every argument, then writes `kind`'s
/// body under the writer rules.
///
/// # Safety
/// As the exported body functions.
unsafe fn body(
    kind: &Body,
    assertion: *const u8,
    assertion_len: usize,
    params: *const jwtmint_form_param,
    params_count: usize,
    out: &Writer,
) -> Result<crate::error::Result<usize>, jwtmint_result> {
    // SAFETY: the caller promises `assertion` is NULL or valid for its length.
    let assertion = unsafe { utf8(assertion, assertion_len) }?;
    // SAFETY: the caller promises `params` is NULL (count 0) or valid.
    let raw = unsafe { array(params, params_count) }?;
    let mut pairs = Vec::with_capacity(raw.len());
    for p in raw {
        // SAFETY: forwarded caller contract on the parameter strings.
        let name = unsafe { p.name.required() }?;
        // SAFETY: forwarded caller contract on the parameter strings.
        let value = unsafe { p.value.required() }?;
        pairs.push((name, value));
    }
    // SAFETY: forwarded caller contract on the output arguments.
    let buf = unsafe { out.sized((kind.len)(assertion, &pairs)?) }?;
    Ok((kind.write)(assertion, &pairs, buf))
}

/// Writes the RFC 7523 section 2.1 authorization-grant body
/// `grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=<assertion>`
/// followed by `&name=value` for each of `params` (e.g. `scope`), into
/// `out` (no NUL). Length negotiation as in `jwtmint_mint`.
///
/// # Safety
/// `assertion` NULL or valid for `assertion_len` bytes; `params` NULL (with
/// `params_count == 0`) or valid for `params_count` entries whose strings are
/// valid; `out` NULL (with `cap == 0`) or valid for `cap` bytes; `out_len`
/// NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_form_grant_body(
    assertion: *const u8,
    assertion_len: usize,
    params: *const jwtmint_form_param,
    params_count: usize,
    out: *mut u8,
    cap: usize,
    out_len: *mut usize,
) -> jwtmint_result {
    // SAFETY: forwarded caller contract.
    unsafe {
        guard_len(out, cap, out_len, |w| {
            body(&GRANT, assertion, assertion_len, params, params_count, w)
        })
    }
}

/// Writes the RFC 7523 section 2.2 client-authentication body
/// `client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=<assertion>`
/// followed by `&name=value` for each of `params` (`grant_type`,
/// `client_id`, `scope`, ... as given), into `out` (no NUL). Length
/// negotiation as in `jwtmint_mint`.
///
/// # Safety
/// As `jwtmint_form_grant_body`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_form_client_assertion_body(
    assertion: *const u8,
    assertion_len: usize,
    params: *const jwtmint_form_param,
    params_count: usize,
    out: *mut u8,
    cap: usize,
    out_len: *mut usize,
) -> jwtmint_result {
    // SAFETY: forwarded caller contract.
    unsafe {
        guard_len(out, cap, out_len, |w| {
            let kind = &CLIENT_ASSERTION;
            body(kind, assertion, assertion_len, params, params_count, w)
        })
    }
}
