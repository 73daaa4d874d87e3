//! OAuth 2.0 token-endpoint responses. (Tokens are kept by the session,
//! `jwtmint_session_*`, and for many subjects `jwtmint_sessions_*`.)

use super::claims::jwtmint_str;
use super::panic::guard_out;
use super::result::jwtmint_result;
use super::util::bytes;
use super::verify::raw_view;
use crate::token_response::TokenResponse;

/// A parsed token-endpoint response (RFC 6749 section 5.1 / 5.2, with the
/// Salesforce, Google and Microsoft Entra extensions), as views into the
/// response body given to `jwtmint_token_response_parse`: valid as long as
/// that body is alive and unchanged.
///
/// Strings are the **raw** JSON string content between the quotes: escape
/// sequences (`\/`, `\u00e9`, ...) are not decoded; decode them with
/// `jwtmint_json_unescape` (an access token rarely has any, but `\/` is legal
/// JSON). An absent or `null` member has a NULL `ptr`. Numbers sent as JSON
/// strings (`"3599"`, as Entra does) are accepted.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct jwtmint_token_response {
    /// `access_token`.
    pub access_token: jwtmint_str,
    /// `token_type` (usually `Bearer`).
    pub token_type: jwtmint_str,
    /// Whether `expires_in` is present.
    pub has_expires_in: bool,
    /// `expires_in`: lifetime in seconds from now.
    pub expires_in: u64,
    /// Whether `ext_expires_in` (Entra) is present.
    pub has_ext_expires_in: bool,
    /// `ext_expires_in` (Entra), seconds.
    pub ext_expires_in: u64,
    /// `refresh_token`.
    pub refresh_token: jwtmint_str,
    /// `scope`.
    pub scope: jwtmint_str,
    /// `id_token` (Google, OpenID Connect).
    pub id_token: jwtmint_str,
    /// `instance_url` (Salesforce): the API base URL.
    pub instance_url: jwtmint_str,
    /// `id` (Salesforce identity URL).
    pub id: jwtmint_str,
    /// Whether `issued_at` (Salesforce) is present.
    pub has_issued_at_ms: bool,
    /// `issued_at` (Salesforce): milliseconds since 1970.
    pub issued_at_ms: u64,
    /// `signature` (Salesforce).
    pub signature: jwtmint_str,
    /// `error` (RFC 6749 section 5.2), e.g. `invalid_grant`.
    pub error: jwtmint_str,
    /// `error_description`.
    pub error_description: jwtmint_str,
    /// `error_uri`.
    pub error_uri: jwtmint_str,
    /// Whether this is an error response (`error` is present).
    pub is_error: bool,
}

/// Parses a token-endpoint response body (`len` bytes of JSON at `body`),
/// success or error, into `*out` (views into `body`, see
/// `jwtmint_token_response`). Unknown members are ignored.
///
/// Errors: `NULL_ARGUMENT`, `INVALID_UTF8`, `INVALID_JSON`, `JSON_TOO_DEEP`,
/// `NOT_JSON_OBJECT`, `DUPLICATE_MEMBER`, `INVALID_MEMBER_TYPE` (e.g.
/// `expires_in` not a non-negative integer), `NOT_A_TOKEN_RESPONSE` (neither
/// `access_token` nor `error`). An error response parses with `OK` and
/// `is_error` set.
///
/// # Safety
/// `body` NULL or valid for `len` bytes; `out` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_token_response_parse(
    body: *const u8,
    len: usize,
    out: *mut jwtmint_token_response,
) -> jwtmint_result {
    let parse = || {
        // SAFETY: the caller promises `body` is NULL or valid for `len` bytes.
        let b = unsafe { bytes(body, len) }?;
        let r = TokenResponse::parse(b)?;
        Ok(jwtmint_token_response {
            access_token: raw_view(r.access_token),
            token_type: raw_view(r.token_type),
            has_expires_in: r.expires_in.is_some(),
            expires_in: r.expires_in.unwrap_or(0),
            has_ext_expires_in: r.ext_expires_in.is_some(),
            ext_expires_in: r.ext_expires_in.unwrap_or(0),
            refresh_token: raw_view(r.refresh_token),
            scope: raw_view(r.scope),
            id_token: raw_view(r.id_token),
            instance_url: raw_view(r.instance_url),
            id: raw_view(r.id),
            has_issued_at_ms: r.issued_at_ms.is_some(),
            issued_at_ms: r.issued_at_ms.unwrap_or(0),
            signature: raw_view(r.signature),
            error: raw_view(r.error),
            error_description: raw_view(r.error_description),
            error_uri: raw_view(r.error_uri),
            is_error: r.is_error(),
        })
    };
    // SAFETY: the caller promises `out` is NULL or valid for a write.
    unsafe { guard_out(out, parse) }
}
