//! Grant configuration through the C ABI (issue 17): a custom token endpoint
//! that logs in with the resource-owner password grant (RFC 6749 §4.3) and
//! renews with the refresh token and/or the previously issued token — the
//! same [`Grants`] / [`Custom`] configuration as the Rust API and the CLI,
//! driven through the `jwtmint_session_*` functions. The session of such a
//! profile takes no key (`super::session_key`).
//!
//! The password never crosses the ABI as a string argument: the caller
//! gives a callback that writes it into a buffer the library lends for one
//! request build and wipes at once.
//!
//! Written by hand, not declared (`crate::profiles::declare`): the options
//! are nested (grant steps with their own pairs, a callback); they are
//! copied straight into the library's owned form,
//! [`OwnedCustom`](crate::profiles::OwnedCustom).

use alloc::boxed::Box;
use alloc::vec::Vec;
use core::ffi::{c_int, c_void};

use super::claims::jwtmint_str;
use super::panic::guard;
use super::profiles::{self, jwtmint_profile};
use super::result::jwtmint_result;
use super::session::jwtmint_header_pair;
use super::util::{array, need, reference};
use crate::error::{Error, Result};
use crate::profiles::{Grant, OwnedCustom, OwnedGrantSpec};
use crate::secret::Secret;

// ---------------------------------------------------------------------------
// C types
// ---------------------------------------------------------------------------

/// A password callback: writes the password (UTF-8, no NUL needed) into
/// `buf` (`cap` bytes, 1024) and its length into `*len`; returns 0, or
/// non-zero when the password is unavailable (the session then reports a
/// `FAILED` action and does not retry until `jwtmint_session_reset`).
///
/// Called synchronously from `jwtmint_session_poll`, on the polling thread,
/// each time a password login is built; `buf` is wiped right after the
/// request body is encoded (the body itself is wiped when the fetch is
/// answered). `ctx` is passed through untouched. Must not unwind.
pub type jwtmint_password_fn = Option<
    unsafe extern "C" fn(ctx: *mut c_void, buf: *mut u8, cap: usize, len: *mut usize) -> c_int,
>;

/// One grant step. **Zero-initialise it**, then set `kind` and the fields
/// that apply. Every string is copied by `jwtmint_custom_profile_new`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct jwtmint_grant_spec {
    /// A `jwtmint_grant_kind` value: PASSWORD (an initial grant),
    /// REFRESH_TOKEN or PREVIOUS_TOKEN (renewal steps).
    pub kind: u32,
    /// PASSWORD: the resource owner's user name (required).
    pub username: jwtmint_str,
    /// PASSWORD: the password callback (required).
    pub password: jwtmint_password_fn,
    /// PASSWORD: passed to `password`; must stay valid (and the callback
    /// callable from any thread that polls) until the profile is freed.
    pub password_ctx: *mut c_void,
    /// PREVIOUS_TOKEN: the `grant_type` to send (NULL: the RFC 7523 JWT
    /// bearer URN).
    pub grant_type: jwtmint_str,
    /// Extra form fields sent with this step, after the grant's own
    /// (`client_id`, ...). `name` / `value` of each pair.
    pub form: *const jwtmint_header_pair,
    /// Number of `form` pairs.
    pub form_len: usize,
    /// Extra headers sent with this step (an API key, ...).
    pub headers: *const jwtmint_header_pair,
    /// Number of `headers`.
    pub headers_len: usize,
}

/// Options of `jwtmint_custom_profile_new`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct jwtmint_custom_options {
    /// The initial grant (required): PASSWORD.
    pub initial: *const jwtmint_grant_spec,
    /// Renewal steps, tried in order before the initial grant: a
    /// REFRESH_TOKEN step applies while a refresh token the server has not
    /// refused is stored; a PREVIOUS_TOKEN step while the current access
    /// token is valid and was not refused. NULL with `renew_len == 0`: none.
    pub renew: *const jwtmint_grant_spec,
    /// Number of `renew` steps.
    pub renew_len: usize,
    /// Headers sent with every grant (NULL with `headers_len == 0`: none).
    pub headers: *const jwtmint_header_pair,
    /// Number of `headers`.
    pub headers_len: usize,
}

// ---------------------------------------------------------------------------
// The owned profile
// ---------------------------------------------------------------------------

/// The password callback as a [`Secret`].
struct CallbackSecret {
    f: unsafe extern "C" fn(*mut c_void, *mut u8, usize, *mut usize) -> c_int,
    ctx: *mut c_void,
}

// SAFETY: the C caller promises (documented on `password_ctx`) that the
// callback may be called with `ctx` from any thread that polls a session
// of this profile, until the profile is freed.
unsafe impl Send for CallbackSecret {}
// SAFETY: as above; the struct itself is never mutated.
unsafe impl Sync for CallbackSecret {}

const UNAVAILABLE: Error = Error::InvalidField {
    field: "password",
    reason: "the password callback failed",
};

impl Secret for CallbackSecret {
    fn reveal(&self, out: &mut [u8]) -> Result<usize> {
        let mut len = usize::MAX;
        // SAFETY: the C caller promised `f` is valid for `ctx`; `out` is
        // valid for `out.len()` bytes and `len` for a write during the call.
        let rc = unsafe { (self.f)(self.ctx, out.as_mut_ptr(), out.len(), &raw mut len) };
        if rc != 0 {
            return Err(UNAVAILABLE);
        }
        if len > out.len() {
            return Err(Error::LengthOverflow);
        }
        Ok(len)
    }
}

/// C pairs (`name`, `value` required UTF-8), borrowed for the call.
///
/// # Safety
/// `p` NULL or valid for `n` pairs whose strings are valid for the call.
unsafe fn pairs<'p>(
    p: *const jwtmint_header_pair,
    n: usize,
) -> core::result::Result<Vec<(&'p str, &'p str)>, jwtmint_result> {
    // SAFETY: forwarded caller contract.
    let raw = unsafe { array(p, n) }?;
    raw.iter()
        // SAFETY: forwarded caller contract on each string.
        .map(|pair| unsafe { Ok((pair.name.required()?, pair.value.required()?)) })
        .collect()
}

/// One C grant step, copied.
///
/// # Safety
/// `g`'s pointers valid as documented on `jwtmint_grant_spec`.
unsafe fn spec(g: &jwtmint_grant_spec) -> core::result::Result<OwnedGrantSpec, jwtmint_result> {
    let spec = match Grant::from_u32(g.kind) {
        Some(Grant::Password) => {
            // SAFETY: forwarded caller contract.
            let username = unsafe { g.username.required() }?;
            let f = g
                .password
                .ok_or(jwtmint_result::JWTMINT_RESULT_NULL_ARGUMENT)?;
            let ctx = g.password_ctx;
            OwnedGrantSpec::password(username, Box::new(CallbackSecret { f, ctx }))
        }
        Some(Grant::RefreshToken) => OwnedGrantSpec::refresh_token(),
        // SAFETY: forwarded caller contract.
        Some(Grant::PreviousToken) => match unsafe { g.grant_type.optional() }? {
            Some(t) => OwnedGrantSpec::previous_token_as(t),
            None => OwnedGrantSpec::previous_token(),
        },
        _ => return Err(jwtmint_result::JWTMINT_RESULT_GRANT_KIND),
    };
    // SAFETY: forwarded caller contract.
    let (form, headers) = unsafe { (pairs(g.form, g.form_len)?, pairs(g.headers, g.headers_len)?) };
    Ok(spec.form(form).headers(headers))
}

/// Builds the owned profile (all strings copied).
///
/// # Safety
/// As `jwtmint_custom_profile_new`.
unsafe fn build(
    token_url: jwtmint_str,
    o: &jwtmint_custom_options,
) -> core::result::Result<OwnedCustom, jwtmint_result> {
    // SAFETY: forwarded caller contract.
    let url = unsafe { token_url.required() }?;
    // SAFETY: forwarded caller contract.
    let initial = unsafe { spec(reference(o.initial)?) }?;
    // SAFETY: forwarded caller contract.
    let renew = unsafe { array(o.renew, o.renew_len) }?
        .iter()
        // SAFETY: forwarded caller contract.
        .map(|g| unsafe { spec(g) })
        .collect::<core::result::Result<Vec<_>, _>>()?;
    // SAFETY: forwarded caller contract.
    let headers = unsafe { pairs(o.headers, o.headers_len) }?;
    let grant_kind = |e| match e {
        Error::InvalidField {
            field: "grants", ..
        } => jwtmint_result::JWTMINT_RESULT_GRANT_KIND,
        e => jwtmint_result::from_error(&e),
    };
    Ok(OwnedCustom::new(url, initial, renew)
        .map_err(grant_kind)?
        .with_headers(headers)?)
}

/// Creates a profile for a custom token endpoint at `token_url` making the
/// grants in `options`: the initial PASSWORD grant, renewed by the
/// `renew` steps in order. Every string is copied; the password callback
/// and its `ctx` are kept (see `jwtmint_grant_spec`). Use it with
/// `jwtmint_session_new(profile, NULL, ...)` (it signs nothing) and free it
/// with `jwtmint_profile_free` after its sessions. Thread-safe; the profile
/// may be shared by sessions on any threads (the callback is then called
/// from those threads).
///
/// `token_url` must be `https://`, or `http://` to 127.0.0.1, `[::1]` or
/// `localhost` (a password never goes over a network in clear).
///
/// Errors: `NULL_ARGUMENT` (a required pointer or string, the password
/// callback), `INVALID_UTF8`, `GRANT_KIND` (an unknown kind, or a kind in
/// the wrong place: the initial grant must be PASSWORD, a renewal step
/// REFRESH_TOKEN or PREVIOUS_TOKEN), `INVALID_FIELD` (token URL, empty user
/// name or grant type, a header name that is not an RFC 9110 token or a
/// value with control characters, an empty form field name).
///
/// # Safety
/// `token_url` and every string, array and struct reachable from `options`
/// valid for the call; `out` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_custom_profile_new(
    token_url: jwtmint_str,
    options: *const jwtmint_custom_options,
    out: *mut *mut jwtmint_profile,
) -> jwtmint_result {
    guard(|| {
        need(out)?;
        // SAFETY: the caller promises `options` is NULL or valid.
        let o = unsafe { reference(options) }?;
        // SAFETY: forwarded caller contract.
        let owned = unsafe { build(token_url, o) }?;
        // SAFETY: `out` checked non-NULL; the caller promises it is writable.
        unsafe {
            profiles::store(
                crate::profiles::declare::Built {
                    profile: Box::new(owned),
                    key: None,
                },
                out,
            );
        };
        Ok(())
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::super::verify::view as s;
    use super::*;
    use crate::profiles::Profile;
    use alloc::string::String;

    unsafe extern "C" fn pw(_: *mut c_void, buf: *mut u8, cap: usize, len: *mut usize) -> c_int {
        let p = b"pw";
        if cap < p.len() {
            return 1;
        }
        // SAFETY: the library lends `cap` bytes and `len`.
        unsafe {
            core::ptr::copy_nonoverlapping(p.as_ptr(), buf, p.len());
            *len = p.len();
        }
        0
    }

    fn spec(kind: u32) -> jwtmint_grant_spec {
        jwtmint_grant_spec {
            kind,
            username: s("alice"),
            password: Some(pw),
            password_ctx: core::ptr::null_mut(),
            grant_type: jwtmint_str {
                ptr: core::ptr::null(),
                len: 0,
            },
            form: core::ptr::null(),
            form_len: 0,
            headers: core::ptr::null(),
            headers_len: 0,
        }
    }

    #[test]
    fn copies_everything_and_refuses_misplaced_kinds() {
        let form = [jwtmint_header_pair {
            name: s("client_id"),
            value: s("app"),
        }];
        let (pw, rt, prev) = (
            Grant::Password as u32,
            Grant::RefreshToken as u32,
            Grant::PreviousToken as u32,
        );
        let mut initial = spec(pw);
        initial.form = form.as_ptr();
        initial.form_len = 1;
        let renew = [spec(rt), spec(prev)];
        let o = jwtmint_custom_options {
            initial: &raw const initial,
            renew: renew.as_ptr(),
            renew_len: 2,
            headers: core::ptr::null(),
            headers_len: 0,
        };
        let url = String::from("https://idp.example/token");
        // SAFETY: all valid for the call.
        let p = unsafe { build(s(&url), &o) }.unwrap();
        drop(url);
        assert_eq!(p.token_url(), Some("https://idp.example/token"));
        let g = p.grants().unwrap();
        assert_eq!(g.renew.len(), 2);
        assert_eq!(g.initial.form, &[("client_id", "app")]);
        assert_eq!(g.initial.kind, Grant::Password);
        let (username, Some(password)) = (g.initial.username, g.initial.password) else {
            panic!("no password source")
        };
        let mut buf = [0u8; 8];
        assert_eq!((username, password.reveal(&mut buf)), ("alice", Ok(2)));
        assert_eq!(&buf[..2], b"pw");

        // A renewal step as the initial grant, an unknown kind, an assertion
        // grant (a custom profile mints nothing), a password renewal.
        for (i, r) in [(rt, rt), (9, rt), (Grant::JwtBearer as u32, rt), (pw, pw)] {
            let first = spec(i);
            let bad = [spec(r)];
            let o = jwtmint_custom_options {
                initial: &raw const first,
                renew: bad.as_ptr(),
                ..o
            };
            let o = jwtmint_custom_options { renew_len: 1, ..o };
            // SAFETY: as above.
            let e = unsafe { build(s("https://idp.example/token"), &o) }.err();
            assert_eq!(
                e,
                Some(jwtmint_result::JWTMINT_RESULT_GRANT_KIND),
                "{i} {r}"
            );
        }
    }
}
