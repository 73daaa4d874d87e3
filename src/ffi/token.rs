//! OAuth 2.0 token-endpoint responses and the access-token cache.

use alloc::boxed::Box;

use super::claims::jwtmint_str;
use super::panic::{guard, guard_out};
use super::result::jwtmint_result;
use super::util::{bytes, need, out_buf, reference, utf8, write_out};
use super::verify::raw_view;
use crate::cache::{TokenCache, TokenState};
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

/// Capacity of a `jwtmint_token_cache` in bytes (the longest access token it
/// holds; Entra and Google tokens are 1-3 KiB).
const CACHE_CAPACITY: usize = 8192;

/// The state of the cached token (`*state` of `jwtmint_token_cache_get`).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum jwtmint_token_state {
    /// Nothing cached (new, cleared, or a failed store): fetch a token.
    JWTMINT_TOKEN_EMPTY = 0,
    /// A token is cached and fresh: use it.
    JWTMINT_TOKEN_VALID = 1,
    /// The token is still valid but within `refresh_skew` of its expiry (or
    /// the clock went backwards): use it, and refresh soon.
    JWTMINT_TOKEN_REFRESH_AHEAD = 2,
    /// The token is expired: fetch a new one.
    JWTMINT_TOKEN_EXPIRED = 3,
}

/// A one-token access-token cache (opaque), holding tokens of up to 8192
/// bytes inline (one allocation, at creation).
///
/// **Mutable, not internally locked.** `jwtmint_token_cache_store*` and
/// `jwtmint_token_cache_clear` change it: while one of them runs, no other
/// thread may use the same cache. The `const` getters
/// (`jwtmint_token_cache_get`, `jwtmint_token_cache_expires_at`) only read it
/// and may run concurrently with each other (a reader-writer lock fits). A
/// cache may be moved between threads.
pub struct jwtmint_token_cache {
    cache: TokenCache<CACHE_CAPACITY>,
}

/// Creates an empty token cache. `refresh_skew` (seconds, negative is 0):
/// how long before expiry `jwtmint_token_cache_get` starts reporting
/// `JWTMINT_TOKEN_REFRESH_AHEAD`. `session_lifetime` (seconds; 0 or negative
/// for none): the expiry assumed by `jwtmint_token_cache_store_response` when
/// a response has no `expires_in` and the token carries no `exp` (Salesforce
/// sessions). On success `*out` receives the cache, to be freed with
/// `jwtmint_token_cache_free`.
///
/// # Safety
/// `out` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_token_cache_new(
    refresh_skew: i64,
    session_lifetime: i64,
    out: *mut *mut jwtmint_token_cache,
) -> jwtmint_result {
    guard(|| {
        need(out)?;
        let mut cache = Box::new(jwtmint_token_cache {
            cache: TokenCache::new(refresh_skew),
        });
        if session_lifetime > 0 {
            cache.cache = cache.cache.clone().with_session_lifetime(session_lifetime);
        }
        // SAFETY: `out` is non-NULL and the caller promises it is writable.
        unsafe { write_out(out, Box::into_raw(cache)) };
        Ok(())
    })
}

/// Frees a token cache, zeroizing the cached token. NULL is a no-op.
///
/// # Safety
/// `cache` NULL or a handle from `jwtmint_token_cache_new` that was not freed
/// yet and that no other thread is using.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_token_cache_free(cache: *mut jwtmint_token_cache) {
    let _ = guard(|| {
        if !cache.is_null() {
            // SAFETY: the caller promises it came from `Box::into_raw` in
            // `jwtmint_token_cache_new` and is freed exactly once.
            drop(unsafe { Box::from_raw(cache) });
        }
        Ok(())
    });
}

/// Parses a token-endpoint response body and caches its `access_token`
/// (escapes decoded), received at `now`. The expiry is `now + expires_in`;
/// without `expires_in`, the token's own `exp` if it is a JWT; else
/// `now + session_lifetime`. On success `*expires_at` gets that expiry.
///
/// Errors: those of `jwtmint_token_response_parse`; `NOT_A_TOKEN_RESPONSE`
/// for an error response; `TOKEN_TOO_LONG`; `MISSING_CLAIM` when no expiry
/// can be determined. On a parse error the cache is unchanged; on
/// `TOKEN_TOO_LONG` or `MISSING_CLAIM` it is left empty (the old token is
/// gone).
///
/// # Safety
/// `cache` NULL or live and not used by another thread; `body` NULL or valid
/// for `len` bytes; `expires_at` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_token_cache_store_response(
    cache: *mut jwtmint_token_cache,
    body: *const u8,
    len: usize,
    now: i64,
    expires_at: *mut i64,
) -> jwtmint_result {
    guard(|| {
        need(expires_at)?;
        // SAFETY: the caller promises `cache` is NULL or live and unshared.
        let c = unsafe { cache.as_mut() }.ok_or(jwtmint_result::JWTMINT_RESULT_NULL_ARGUMENT)?;
        // SAFETY: the caller promises `body` is NULL or valid for `len` bytes.
        let b = unsafe { bytes(body, len) }?;
        let r = TokenResponse::parse(b)?;
        let exp = c.cache.store_response(&r, crate::time::check_now(now)?)?;
        // SAFETY: `expires_at` is non-NULL and the caller promises it is writable.
        unsafe { write_out(expires_at, exp) };
        Ok(())
    })
}

/// Caches `token` (`len` bytes, UTF-8, stored as given), received at `now`
/// and expiring at `expires_at` (seconds since 1970).
///
/// Errors: `NULL_ARGUMENT`, `INVALID_UTF8` (cache unchanged),
/// `TOKEN_TOO_LONG` (cache left empty).
///
/// # Safety
/// `cache` NULL or live and not used by another thread; `token` NULL or valid
/// for `len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_token_cache_store(
    cache: *mut jwtmint_token_cache,
    token: *const u8,
    len: usize,
    now: i64,
    expires_at: i64,
) -> jwtmint_result {
    guard(|| {
        // SAFETY: the caller promises `cache` is NULL or live and unshared.
        let c = unsafe { cache.as_mut() }.ok_or(jwtmint_result::JWTMINT_RESULT_NULL_ARGUMENT)?;
        // SAFETY: the caller promises `token` is NULL or valid for `len` bytes.
        let t = unsafe { utf8(token, len) }?;
        c.cache.store(t, crate::time::check_now(now)?, expires_at)?;
        Ok(())
    })
}

/// Reads the cache at `now`: `*state` gets a `jwtmint_token_state`. For
/// `JWTMINT_TOKEN_VALID` and `JWTMINT_TOKEN_REFRESH_AHEAD` the token is
/// copied into `buf` (`cap` bytes, no NUL) and `*token_len` gets its length;
/// for `JWTMINT_TOKEN_EMPTY` and `JWTMINT_TOKEN_EXPIRED` `*token_len` is 0
/// and `buf` is untouched. If `cap` is too small for the token, returns
/// `BUFFER_TOO_SMALL` with the token length in `*token_len` (`*state`
/// untouched); `cap >= 8192` always suffices.
///
/// Read-only (see `jwtmint_token_cache` for thread-safety).
///
/// # Safety
/// `cache` NULL or live, not being changed by another thread; `state` and
/// `token_len` NULL or valid for a write; `buf` NULL (with `cap == 0`) or
/// valid for `cap` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_token_cache_get(
    cache: *const jwtmint_token_cache,
    now: i64,
    state: *mut u32,
    buf: *mut u8,
    cap: usize,
    token_len: *mut usize,
) -> jwtmint_result {
    guard(|| {
        need(state)?;
        need(token_len)?;
        // SAFETY: the caller promises `cache` is NULL or live.
        let c = unsafe { reference(cache) }?;
        // NULL with a non-zero capacity is NULL_ARGUMENT whatever the state
        // (the one rule, see ffi/mod.rs). SAFETY: the caller promises `buf`
        // is NULL or valid for `cap` bytes.
        let out = unsafe { out_buf(buf, cap) }?;
        let (st, token) = match c.cache.get(crate::time::check_now(now)?) {
            TokenState::Empty => (jwtmint_token_state::JWTMINT_TOKEN_EMPTY, ""),
            TokenState::Expired => (jwtmint_token_state::JWTMINT_TOKEN_EXPIRED, ""),
            TokenState::Valid(t) => (jwtmint_token_state::JWTMINT_TOKEN_VALID, t),
            TokenState::RefreshAhead(t) => (jwtmint_token_state::JWTMINT_TOKEN_REFRESH_AHEAD, t),
        };
        let t = token.as_bytes();
        if !t.is_empty() {
            if cap < t.len() {
                // SAFETY: `token_len` is non-NULL and the caller promises it is writable.
                unsafe { write_out(token_len, t.len()) };
                return Err(jwtmint_result::JWTMINT_RESULT_BUFFER_TOO_SMALL);
            }
            if let Some(dst) = out.get_mut(..t.len()) {
                dst.copy_from_slice(t);
            }
        }
        // SAFETY: both checked non-NULL; the caller promises they are writable.
        unsafe {
            write_out(state, st as u32);
            write_out(token_len, t.len());
        }
        Ok(())
    })
}

/// Writes the cached token's expiry (seconds since 1970) into `*expires_at`
/// and true into `*has_token`; when the cache is empty, `*has_token` is false
/// and `*expires_at` 0. Read-only.
///
/// # Safety
/// `cache` NULL or live, not being changed by another thread; `has_token`
/// and `expires_at` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_token_cache_expires_at(
    cache: *const jwtmint_token_cache,
    has_token: *mut bool,
    expires_at: *mut i64,
) -> jwtmint_result {
    guard(|| {
        need(has_token)?;
        need(expires_at)?;
        // SAFETY: the caller promises `cache` is NULL or live.
        let c = unsafe { reference(cache) }?;
        let e = c.cache.expires_at();
        // SAFETY: both checked non-NULL; the caller promises they are writable.
        unsafe {
            write_out(has_token, e.is_some());
            write_out(expires_at, e.unwrap_or(0));
        }
        Ok(())
    })
}

/// Empties the cache (after a 401 from the API, or on logout); the token's
/// bytes are overwritten with zeros, as they are by `jwtmint_token_cache_free`.
///
/// # Safety
/// `cache` NULL or live and not used by another thread.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_token_cache_clear(
    cache: *mut jwtmint_token_cache,
) -> jwtmint_result {
    guard(|| {
        // SAFETY: the caller promises `cache` is NULL or live and unshared.
        let c = unsafe { cache.as_mut() }.ok_or(jwtmint_result::JWTMINT_RESULT_NULL_ARGUMENT)?;
        c.cache.clear();
        Ok(())
    })
}

/// The cache may move between threads and be read from several at once.
const _: () = {
    const fn send_sync<T: Send + Sync>() {}
    send_sync::<jwtmint_token_cache>();
};

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// `jwtmint_token_cache_clear` wipes the token's bytes, not just its length.
    #[test]
    fn clear_zeroizes_through_the_c_abi() {
        let secret = b"ya29.secret-bearer-token";
        let mut cache: *mut jwtmint_token_cache = core::ptr::null_mut();
        // SAFETY: valid out pointer; the handle is freed below.
        unsafe {
            assert_eq!(
                jwtmint_token_cache_new(0, 0, &mut cache),
                jwtmint_result::JWTMINT_RESULT_OK
            );
            assert_eq!(
                jwtmint_token_cache_store(cache, secret.as_ptr(), secret.len(), 0, 100),
                jwtmint_result::JWTMINT_RESULT_OK
            );
            assert_eq!((*cache).cache.raw_storage(secret.len()), secret.as_slice());
            assert_eq!(
                jwtmint_token_cache_clear(cache),
                jwtmint_result::JWTMINT_RESULT_OK
            );
            assert_eq!(
                (*cache).cache.raw_storage(secret.len()),
                [0u8; 24].as_slice()
            );
            jwtmint_token_cache_free(cache);
        }
    }
}
