//! GENERATED from the provider declarations (`PROVIDER` in each module of
//! src/profiles, listed in `crate::profiles::DECLARED`) by the test in
//! src/ffi/declared.rs; do not edit. Regenerate with
//! `JWTMINT_REGENERATE=1 cargo test --features ffi --lib ffi::declared`.

use super::claims::jwtmint_str;
use super::declared::{alg, construct, lifetime, text, uint};
use super::profiles::jwtmint_profile;
use super::result::jwtmint_result;

/// Options of `jwtmint_github_app_profile_new`. Zero-initialise it: an absent
/// string has a NULL `ptr`; 0 selects a lifetime's default.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct jwtmint_github_app_options {
    /// The app's client ID (recommended) or numeric app ID (`iss`). Required.
    pub issuer: jwtmint_str,
    /// The installation whose access token is requested (not 0). Required.
    pub installation_id: u64,
    /// REST API root for GitHub Enterprise Server (`https://HOST/api/v3`);
    /// absent for https://api.github.com.
    pub api_url: jwtmint_str,
    /// Seconds from now to `exp`, 1..=600; default 540.
    pub lifetime: i64,
}

/// GitHub App JWT (RS256, iat - 60 s, exp <= 10 min; mint only: the JWT is a
/// bearer header).
///
/// Builds the profile from `options` into a new handle stored in `*out`
/// (written only on success; the strings are copied, `options` need not outlive
/// the call); use it with `jwtmint_profile_mint` and free it with
/// `jwtmint_profile_free`. Signs RS256. Lifetime: default 540 s, at most 600 s.
/// The token request sends the JWT as `Authorization: Bearer` with no body
/// (`jwtmint_profile_token_request_body` writes 0 bytes).
///
/// Errors: `NULL_ARGUMENT` (`options`, `out`, `issuer`), `INVALID_ARGUMENT` (an
/// unknown `jwtmint_alg` or choice, an option this provider does not use),
/// `INVALID_UTF8`, and the provider's rules: `INVALID_FIELD`,
/// `INVALID_AUDIENCE`, `LIFETIME_TOO_LONG`, `LIFETIME_NOT_POSITIVE`.
///
/// # Safety
/// `options` NULL or valid with every string NULL or valid for its length;
/// `out` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_github_app_profile_new(
    options: *const jwtmint_github_app_options,
    out: *mut *mut jwtmint_profile,
) -> jwtmint_result {
    // SAFETY: forwarded caller contract.
    unsafe {
        construct("github-app", options, core::ptr::null(), out, |o| {
            Ok([
                text(o.issuer)?,
                uint(o.installation_id),
                text(o.api_url)?,
                lifetime(o.lifetime),
            ])
        })
    }
}

/// Options of `jwtmint_okta_profile_new`, `jwtmint_auth0_profile_new`.
/// Zero-initialise it: an absent string has a NULL `ptr`; 0 selects a
/// lifetime's default.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct jwtmint_private_key_jwt_options {
    /// okta: The token endpoint `https://{domain}/oauth2[/{id}]/v1/token` (the
    /// `aud`). Required.; auth0: The tenant or custom domain host name
    /// `acme.us.auth0.com` (`aud` = `https://{domain}/`). Required.
    pub endpoint: jwtmint_str,
    /// okta: The client id (`iss` and `sub`). Required.; auth0: The client id
    /// (`iss` and `sub`, at most 64 characters). Required.
    pub client_id: jwtmint_str,
    /// okta: RS256 (default), RS384, RS512, ES256, ES384 or ES512.; auth0:
    /// RS256 (default), RS384 or PS256.
    pub alg: u32,
    /// `kid` header: the key id registered with the client; absent for none.
    pub kid: jwtmint_str,
    /// okta: The `scope` of the client-credentials request.; auth0: The API
    /// `audience` of the client-credentials request.
    pub scope: jwtmint_str,
    /// okta: Seconds from now to `exp`, 1..=3600; default 300.; auth0: Seconds
    /// from now to `exp`, 1..=300; default 60.
    pub lifetime: i64,
}

/// Okta private_key_jwt (aud = token endpoint, jti, exp <= 1 h).
///
/// Builds the profile from `options` into a new handle stored in `*out`
/// (written only on success; the strings are copied, `options` need not outlive
/// the call); use it with `jwtmint_profile_mint` and free it with
/// `jwtmint_profile_free`. Signs RS256, RS384, RS512, ES256, ES384, ES512
/// (`alg`; default RS256). Lifetime: default 300 s, at most 3600 s. The token
/// request is the client-credentials grant with the JWT as `client_assertion`
/// (RFC 7523 section 2.2).
///
/// Errors: `NULL_ARGUMENT` (`options`, `out`, `endpoint`, `client_id`),
/// `INVALID_ARGUMENT` (an unknown `jwtmint_alg` or choice, an option this
/// provider does not use), `INVALID_UTF8`, and the provider's rules:
/// `INVALID_FIELD`, `INVALID_AUDIENCE`, `LIFETIME_TOO_LONG`,
/// `LIFETIME_NOT_POSITIVE`.
///
/// # Safety
/// `options` NULL or valid with every string NULL or valid for its length;
/// `out` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_okta_profile_new(
    options: *const jwtmint_private_key_jwt_options,
    out: *mut *mut jwtmint_profile,
) -> jwtmint_result {
    // SAFETY: forwarded caller contract.
    unsafe {
        construct("okta", options, core::ptr::null(), out, |o| {
            Ok([
                text(o.endpoint)?,
                text(o.client_id)?,
                alg(o.alg)?,
                text(o.kid)?,
                text(o.scope)?,
                lifetime(o.lifetime),
            ])
        })
    }
}

/// Auth0 private_key_jwt (aud = https://DOMAIN/, jti, exp <= 5 min).
///
/// Builds the profile from `options` into a new handle stored in `*out`
/// (written only on success; the strings are copied, `options` need not outlive
/// the call); use it with `jwtmint_profile_mint` and free it with
/// `jwtmint_profile_free`. Signs RS256, RS384, PS256 (`alg`; default RS256).
/// Lifetime: default 60 s, at most 300 s. The token request is the
/// client-credentials grant with the JWT as `client_assertion` (RFC 7523
/// section 2.2).
///
/// Errors: `NULL_ARGUMENT` (`options`, `out`, `endpoint`, `client_id`),
/// `INVALID_ARGUMENT` (an unknown `jwtmint_alg` or choice, an option this
/// provider does not use), `INVALID_UTF8`, and the provider's rules:
/// `INVALID_FIELD`, `INVALID_AUDIENCE`, `LIFETIME_TOO_LONG`,
/// `LIFETIME_NOT_POSITIVE`.
///
/// # Safety
/// `options` NULL or valid with every string NULL or valid for its length;
/// `out` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_auth0_profile_new(
    options: *const jwtmint_private_key_jwt_options,
    out: *mut *mut jwtmint_profile,
) -> jwtmint_result {
    // SAFETY: forwarded caller contract.
    unsafe {
        construct("auth0", options, core::ptr::null(), out, |o| {
            Ok([
                text(o.endpoint)?,
                text(o.client_id)?,
                alg(o.alg)?,
                text(o.kid)?,
                text(o.scope)?,
                lifetime(o.lifetime),
            ])
        })
    }
}
