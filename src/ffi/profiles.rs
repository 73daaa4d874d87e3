//! The profile handle of the C ABI: one opaque `jwtmint_profile` per
//! configured profile, built once by a `jwtmint_<provider>_profile_new`
//! constructor (generated from the declarations in `providers.rs`, or the
//! custom grant profile's in `session_grants.rs`) and then used by any number of
//! threads: mint, token URL, token-request body, free. Every mint goes
//! through the crate's one profile mint path ([`crate::profiles::mint_profile`]'s
//! `prepare`), the same one the Rust API and the CLI use.

use alloc::boxed::Box;

use super::claims::jwtmint_str;
use super::key::{KeyRef, jwtmint_key};
use super::panic::{free_handle, guard_len};
use super::result::jwtmint_result;
use super::util::{copy_to, reference, utf8, write_out};
use crate::error::Error;
use crate::profiles::declare::{Built, OwnKey};
use crate::profiles::{Profile, prepare};

// ---------------------------------------------------------------------------
// The profile handle
// ---------------------------------------------------------------------------

/// A configured provider profile (opaque): the provider's header, claims,
/// lifetime limit and token request, checked once when it is built by a
/// `jwtmint_<provider>_profile_new` constructor. The profile decides the
/// signing algorithm.
///
/// Every declared constructor builds the profile from its `options` into a
/// new handle stored in `*out` (written only on success; the strings are
/// copied, `options` need not outlive the call); use it with
/// `jwtmint_profile_mint` and free it with `jwtmint_profile_free`. Errors:
/// `NULL_ARGUMENT` (`options`, `out`, a required option), `INVALID_ARGUMENT`
/// (an unknown `jwtmint_alg` or choice, an option this provider does not
/// use), `INVALID_UTF8`, and the provider's rules: `INVALID_FIELD`,
/// `INVALID_AUDIENCE`, `LIFETIME_TOO_LONG`, `LIFETIME_NOT_POSITIVE`. Safety:
/// `options` NULL or valid with every string NULL or valid for its length;
/// `out` NULL or valid for a write.
///
/// Immutable after creation: a `const jwtmint_profile *` may be used by any
/// number of threads at the same time. Free it once with
/// `jwtmint_profile_free`.
pub struct jwtmint_profile {
    profile: Box<dyn Profile + Send + Sync>,
    /// The key its configuration holds (`KeyUse::Own`), if any.
    own_key: Option<Box<dyn OwnKey>>,
}

impl jwtmint_profile {
    /// The configured profile.
    pub(crate) fn profile(&self) -> &(dyn Profile + Send + Sync) {
        &*self.profile
    }

    /// The key to sign with: the caller's, or (the caller passing NULL) the
    /// one its configuration holds.
    pub(crate) fn signing_key<'a>(
        &'a self,
        key: Option<&'a jwtmint_key>,
    ) -> Result<KeyRef<'a>, jwtmint_result> {
        match (&self.own_key, key) {
            (Some(own), None) => Ok(KeyRef::Software(own.key())),
            (None, Some(k)) => Ok(k.as_key()),
            (Some(_), Some(_)) => Err(jwtmint_result::JWTMINT_RESULT_INVALID_ARGUMENT),
            (None, None) => Err(jwtmint_result::JWTMINT_RESULT_NULL_ARGUMENT),
        }
    }
}

/// Boxes `profile` into `*out`.
///
/// # Safety
/// `out` must be non-NULL and valid for a write.
pub(super) unsafe fn store(built: Built, out: *mut *mut jwtmint_profile) {
    let raw = Box::into_raw(Box::new(jwtmint_profile {
        profile: built.profile,
        own_key: built.key,
    }));
    // SAFETY: forwarded contract: `out` is non-NULL and writable.
    unsafe { write_out(out, raw) };
}

/// Frees a profile handle. NULL is a no-op.
///
/// # Safety
/// `profile` must be NULL or a handle from one of the `jwtmint_*_profile_new`
/// functions that was not freed yet and that no other thread is still using.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_profile_free(profile: *mut jwtmint_profile) {
    // SAFETY: forwarded caller contract (a handle from `store`, freed once).
    unsafe { free_handle(profile) }
}

/// Mints the profile's assertion issued at `now` (seconds since 1970, e.g.
/// from `jwtmint_now`) into `out`. The profile picks the algorithm (its
/// constructor's documentation says which).
///
/// `key`: the key to sign with, of the type the profile's algorithm needs
/// (`KEY_ALGORITHM_MISMATCH` otherwise); NULL for a profile whose
/// configuration holds its key, as its constructor says (`INVALID_ARGUMENT`
/// otherwise), required for the others (`NULL_ARGUMENT`). `jti`: the
/// assertion id; absent (NULL `ptr`) writes none, except for profiles whose
/// provider requires one, which then get a random UUID v4 from the OS RNG
/// on every call.
///
/// Length negotiation as in `jwtmint_mint`: with `cap` too small (`out` may
/// be NULL with `cap == 0`) it returns `BUFFER_TOO_SMALL`, writes the required
/// length into `*out_len`, leaves `out` untouched and signs nothing (a random
/// `jti` always has 36 characters, so the length holds on the retry).
///
/// Errors: `NULL_ARGUMENT`, `INVALID_ARGUMENT`, `INVALID_UTF8`,
/// `INVALID_FIELD` (empty `jti`), `LENGTH_OVERFLOW`, the time errors of
/// `jwtmint_mint` (e.g. `TIMESTAMP_IN_MILLISECONDS` for a `now` in
/// milliseconds), `BUFFER_TOO_SMALL`, `RNG_FAILED`, `SIGNING_FAILED`.
///
/// # Safety
/// `profile` NULL or live; `key` NULL or live; `jti` NULL or valid for its
/// length; `out` NULL (with `cap == 0`) or valid for writes of `cap` bytes;
/// `out_len` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_profile_mint(
    profile: *const jwtmint_profile,
    key: *const jwtmint_key,
    now: i64,
    jti: jwtmint_str,
    out: *mut u8,
    cap: usize,
    out_len: *mut usize,
) -> jwtmint_result {
    // SAFETY: forwarded caller contract.
    unsafe {
        guard_len(out, cap, out_len, |w| {
            let p = reference(profile)?;
            let key = p.signing_key(key.as_ref())?;
            let jti = jti.optional()?;
            let buf = w.buf()?;
            Ok(prepare(
                &*p.profile,
                &key,
                now,
                jti,
                |signer, header, claims| crate::jws::mint_exact(signer, header, claims, buf),
            ))
        })
    }
}

/// Copies the profile's token endpoint (no NUL) into `out`, as its
/// constructor derives it; POST the body from
/// `jwtmint_profile_token_request_body` to it. `INVALID_ARGUMENT` for a
/// profile with no token request. Length negotiation as in `jwtmint_mint`.
///
/// # Safety
/// `profile` NULL or live; `out` NULL (with `cap == 0`) or valid for `cap`
/// bytes; `out_len` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_profile_token_url(
    profile: *const jwtmint_profile,
    out: *mut u8,
    cap: usize,
    out_len: *mut usize,
) -> jwtmint_result {
    // SAFETY: forwarded caller contract.
    unsafe {
        guard_len(out, cap, out_len, |w| {
            let url = reference(profile)?.profile.token_url();
            let url = url.ok_or(jwtmint_result::JWTMINT_RESULT_INVALID_ARGUMENT)?;
            Ok(copy_to(url.as_bytes(), w.buf()?))
        })
    }
}

/// Writes the profile's token-request body for `assertion` (no NUL,
/// `application/x-www-form-urlencoded`) into `out`: the grant its
/// constructor names — the RFC 7523 section 2.1 JWT bearer grant
/// (`grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=...`)
/// or the section 2.2 client-credentials request (`client_assertion_type`,
/// `client_assertion`, `grant_type=client_credentials`), each with the
/// profile's own parameters. `INVALID_ARGUMENT` for a profile with no token
/// request. Length negotiation as in `jwtmint_mint`.
///
/// # Safety
/// `profile` NULL or live; `assertion` NULL or valid for `assertion_len`
/// bytes; `out` NULL (with `cap == 0`) or valid for `cap` bytes; `out_len`
/// NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_profile_token_request_body(
    profile: *const jwtmint_profile,
    assertion: *const u8,
    assertion_len: usize,
    out: *mut u8,
    cap: usize,
    out_len: *mut usize,
) -> jwtmint_result {
    // SAFETY: forwarded caller contract.
    unsafe {
        guard_len(out, cap, out_len, |w| {
            let p = reference(profile)?;
            let assertion = utf8(assertion, assertion_len)?;
            let request = p.profile.token_request();
            let request = request.ok_or(jwtmint_result::JWTMINT_RESULT_INVALID_ARGUMENT)?;
            let needed = request.body_len(assertion)?;
            Ok(match w.buf()?.get_mut(..needed) {
                Some(dst) => request.write_body(assertion, dst),
                None => Err(Error::BufferTooSmall { needed }),
            })
        })
    }
}

/// Compile-time proof of the documented thread-safety of the handles.
const _: () = {
    const fn send_sync<T: Send + Sync>() {}
    send_sync::<jwtmint_profile>();
};
