//! The C constructors written by hand: the providers whose C inputs differ
//! in kind from their CLI inputs, so they are not declared in
//! `crate::profiles::declare` (whose constructors are generated into
//! `providers.rs`): Salesforce (a login enum plus a custom URL; the CLI has
//! one `--aud` URL), Google (an account handle and a scope array), Entra (a
//! thumbprint and its kind; the CLI reads a certificate), Box (the config
//! bytes; the profile owns its key). Each builds the library profile into
//! the one `jwtmint_profile` handle (`profiles.rs`).

use alloc::boxed::Box;
use alloc::sync::Arc;
use alloc::vec::Vec;

use super::claims::jwtmint_str;
use super::panic::guard;
use super::profiles::{jwtmint_profile, lifetime_or, store, write_str};
use super::result::jwtmint_result;
use super::util::{array, bytes, need, reference, write_out};
use crate::profiles::declare::Built;
use crate::profiles::entra::{self, Entra, Thumbprint};
use crate::profiles::google::{self, Google, ServiceAccount};

// ---------------------------------------------------------------------------
// Salesforce
// ---------------------------------------------------------------------------

/// The Salesforce login server that is the assertion's `aud` (the
/// `login` field of `jwtmint_salesforce_options`, passed as `uint32_t`).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum jwtmint_salesforce_login {
    /// `https://login.salesforce.com`.
    JWTMINT_SALESFORCE_PRODUCTION = 0,
    /// `https://test.salesforce.com`.
    JWTMINT_SALESFORCE_SANDBOX = 1,
    /// A My Domain or Experience Cloud URL given in `custom_url`.
    JWTMINT_SALESFORCE_CUSTOM = 2,
}

// ---------------------------------------------------------------------------
// Google
// ---------------------------------------------------------------------------

/// A Google service account loaded from its JSON key file (opaque): the
/// private key is parsed once and owned by the handle. Immutable after
/// creation: a `const jwtmint_google_account *` may be shared by any number
/// of threads. Free it with `jwtmint_google_account_free` (the key is
/// zeroised).
pub struct jwtmint_google_account {
    sa: Arc<ServiceAccount>,
}

/// A Google service-account assertion: header
/// `{"alg":"RS256","typ":"JWT","kid":<private_key_id>}`, `iss` =
/// `client_email`, `scope` = the scopes joined by spaces, `aud` = `token_uri`,
/// `iat` = now, `exp` = now + lifetime (at most 3600 s), optional `sub`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct jwtmint_google_options {
    /// The OAuth scopes (at least one; each non-empty, without spaces).
    pub scopes: *const jwtmint_str,
    /// Number of entries in `scopes`.
    pub scope_count: usize,
    /// `sub`: the user to impersonate with domain-wide delegation; absent
    /// (NULL `ptr`) for none.
    pub subject: jwtmint_str,
    /// Seconds from `iat` to `exp`, 1..=3600; 0 selects the default, 3600.
    pub lifetime: i64,
}

/// Reads a Google service-account key file (`json`, `len` bytes; members
/// `type`, `private_key` (PKCS#8 or PKCS#1 PEM), `private_key_id`,
/// `client_email`, `token_uri`) into a new handle stored in `*out` (written
/// only on success), to be freed with `jwtmint_google_account_free`.
///
/// Errors: `NULL_ARGUMENT`, `SERVICE_ACCOUNT_JSON` (syntax, missing
/// `private_key` / `client_email`, `type` not `service_account`),
/// `INVALID_FIELD` (empty `client_email`), `INVALID_AUDIENCE` (bad
/// `token_uri`), and the key errors of `jwtmint_key_new_from_pem`.
///
/// # Safety
/// `json` must be NULL or valid for reads of `len` bytes; `out` NULL or valid
/// for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_google_account_new_from_json(
    json: *const u8,
    len: usize,
    out: *mut *mut jwtmint_google_account,
) -> jwtmint_result {
    guard(|| {
        need(out)?;
        // SAFETY: the caller promises `json` is NULL or valid for `len` bytes.
        let b = unsafe { bytes(json, len) }?;
        let sa = ServiceAccount::from_json(b)?;
        let raw = Box::into_raw(Box::new(jwtmint_google_account { sa: Arc::new(sa) }));
        // SAFETY: `out` is non-NULL and the caller promises it is writable.
        unsafe { write_out(out, raw) };
        Ok(())
    })
}

/// Frees a service-account handle. NULL is a no-op. Profiles made from it
/// keep their own reference to the key, which is zeroised when the last of
/// them is freed.
///
/// # Safety
/// `account` must be NULL or a handle from
/// `jwtmint_google_account_new_from_json` that was not freed yet and that no
/// other thread is still using.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_google_account_free(account: *mut jwtmint_google_account) {
    let _ = guard(|| {
        if !account.is_null() {
            // SAFETY: the caller promises it came from `Box::into_raw` in
            // `jwtmint_google_account_new_from_json` and is freed once.
            drop(unsafe { Box::from_raw(account) });
        }
        Ok(())
    });
}

/// Reads one text member of a live account into `out`.
///
/// # Safety
/// As `jwtmint_google_account_client_email`.
unsafe fn account_field(
    account: *const jwtmint_google_account,
    field: fn(&ServiceAccount) -> &str,
    out: *mut u8,
    cap: usize,
    out_len: *mut usize,
) -> Result<(), jwtmint_result> {
    need(out_len)?;
    // SAFETY: the caller promises `account` is NULL or live.
    let a = unsafe { reference(account) }?;
    let text = field(&a.sa);
    // SAFETY: forwarded caller contract; `out_len` checked non-NULL.
    unsafe { write_str(text, out, cap, out_len) }
}

/// Copies the account's `client_email` (the `iss` of its assertions; no NUL)
/// into `out`. Length negotiation as in `jwtmint_mint`.
///
/// # Safety
/// `account` NULL or live; `out` NULL (with `cap == 0`) or valid for `cap`
/// bytes; `out_len` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_google_account_client_email(
    account: *const jwtmint_google_account,
    out: *mut u8,
    cap: usize,
    out_len: *mut usize,
) -> jwtmint_result {
    // SAFETY: forwarded caller contract.
    guard(|| unsafe { account_field(account, ServiceAccount::client_email, out, cap, out_len) })
}

/// Copies the account's `token_uri` (the `aud` of its assertions and the URL
/// to POST the form body to; no NUL) into `out`. Length negotiation as in
/// `jwtmint_mint`.
///
/// # Safety
/// As `jwtmint_google_account_client_email`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_google_account_token_uri(
    account: *const jwtmint_google_account,
    out: *mut u8,
    cap: usize,
    out_len: *mut usize,
) -> jwtmint_result {
    // SAFETY: forwarded caller contract.
    guard(|| unsafe { account_field(account, ServiceAccount::token_uri, out, cap, out_len) })
}

/// Copies the account's `private_key_id` (the header's `kid`; empty if the
/// key file had none; no NUL) into `out`. Length negotiation as in
/// `jwtmint_mint`.
///
/// # Safety
/// As `jwtmint_google_account_client_email`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_google_account_private_key_id(
    account: *const jwtmint_google_account,
    out: *mut u8,
    cap: usize,
    out_len: *mut usize,
) -> jwtmint_result {
    // SAFETY: forwarded caller contract.
    guard(|| unsafe { account_field(account, ServiceAccount::private_key_id, out, cap, out_len) })
}

/// Builds a Google service-account profile (RS256, `kid` = the key file's
/// `private_key_id`) for `account` and `options` into a new handle stored in
/// `*out` (written only on success; the scopes and subject are copied). The
/// profile holds its own reference to the account's key: mint with a NULL
/// `key`. Free it with `jwtmint_profile_free` (the account handle may be
/// freed before or after).
///
/// Errors: `NULL_ARGUMENT`, `INVALID_UTF8`, `INVALID_FIELD` (no scopes, an
/// empty scope or one with a space, joined scopes over 2048 bytes, empty
/// subject), `LIFETIME_TOO_LONG`, `LIFETIME_NOT_POSITIVE`.
///
/// # Safety
/// `account` NULL or live; `options` NULL or valid, `scopes` NULL (with
/// `scope_count == 0`) or valid for `scope_count` strings, every string NULL
/// or valid for its length; `out` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_google_profile_new(
    account: *const jwtmint_google_account,
    options: *const jwtmint_google_options,
    out: *mut *mut jwtmint_profile,
) -> jwtmint_result {
    guard(|| {
        need(out)?;
        // SAFETY: the caller promises `account` is NULL or live.
        let a = unsafe { reference(account) }?;
        // SAFETY: the caller promises `options` is NULL or valid.
        let o = unsafe { reference(options) }?;
        // SAFETY: the caller promises `scopes` is NULL (count 0) or valid.
        let raw = unsafe { array(o.scopes, o.scope_count) }?;
        let mut scopes = Vec::with_capacity(raw.len());
        for s in raw {
            // SAFETY: the caller promises every scope string is valid.
            scopes.push(unsafe { s.required() }?);
        }
        // SAFETY: the caller promises `subject` is NULL or valid.
        let subject = unsafe { o.subject.optional() }?;
        let mut g = Google::new(&a.sa, &scopes)?
            .with_lifetime(lifetime_or(o.lifetime, google::MAX_LIFETIME))?;
        if let Some(sub) = subject {
            g = g.with_subject(sub)?;
        }
        // SAFETY: `out` is non-NULL and the caller promises it is writable.
        unsafe {
            store(
                Built {
                    profile: Box::new(g),
                    key: Some(Box::new(Arc::clone(&a.sa))),
                },
                out,
            );
        };
        Ok(())
    })
}

// ---------------------------------------------------------------------------
// Microsoft Entra
// ---------------------------------------------------------------------------

/// Which certificate thumbprint goes into the Entra header; it picks the
/// algorithm (the `thumbprint_kind` field of `jwtmint_entra_options`, passed
/// as `uint32_t`).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum jwtmint_thumbprint_kind {
    /// `x5t#S256` (43 Base64Url characters) with PS256: Microsoft's current
    /// guidance.
    JWTMINT_THUMBPRINT_SHA256 = 0,
    /// `x5t` (27 Base64Url characters) with RS256: the legacy form (ADFS).
    JWTMINT_THUMBPRINT_SHA1 = 1,
}

/// A Microsoft Entra ID client assertion (certificate credential for the
/// client-credentials grant): `aud` = `<authority>/<tenant>/oauth2/v2.0/token`,
/// `iss` = `sub` = client id, `jti`, `nbf` = `iat` = now, `exp` = now +
/// lifetime (at most 600 s).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct jwtmint_entra_options {
    /// Tenant id (GUID) or domain, e.g. `contoso.onmicrosoft.com` (required;
    /// not `common` / `organizations` / `consumers`).
    pub tenant: jwtmint_str,
    /// Application (client) id (`iss` and `sub`, required).
    pub client_id: jwtmint_str,
    /// A `jwtmint_thumbprint_kind` value.
    pub thumbprint_kind: u32,
    /// The thumbprint of that kind, Base64Url (from `jwtmint_cert_thumbprints`;
    /// not the hex shown in the portal). Required.
    pub thumbprint: jwtmint_str,
    /// Authority URL, e.g. `https://login.microsoftonline.us`; absent (NULL
    /// `ptr`) for the global cloud `https://login.microsoftonline.com`.
    pub authority: jwtmint_str,
    /// Seconds from `nbf` to `exp`, 1..=600; 0 selects the default, 300.
    pub lifetime: i64,
    /// The `scope` of the client-credentials token request, e.g.
    /// `https://graph.microsoft.com/.default`; absent (NULL `ptr`) leaves it
    /// out of the body (Entra then refuses the request).
    pub scope: jwtmint_str,
}

/// The core profile for `o` (it copies the strings).
///
/// # Safety
/// The strings in `o` must be NULL or valid for their lengths.
unsafe fn entra(o: &jwtmint_entra_options) -> Result<Entra, jwtmint_result> {
    // SAFETY: forwarded caller contract on the strings.
    let (tenant, client_id, value, authority, scope) = unsafe {
        (
            o.tenant.required()?,
            o.client_id.required()?,
            o.thumbprint.required()?,
            o.authority.optional()?,
            o.scope.optional()?,
        )
    };
    let thumbprint = match o.thumbprint_kind {
        0 => Thumbprint::Sha256(value),
        1 => Thumbprint::Sha1(value),
        _ => return Err(jwtmint_result::JWTMINT_RESULT_INVALID_ARGUMENT),
    };
    let authority = authority.unwrap_or(entra::AUTHORITY);
    let mut e = Entra::with_authority(authority, tenant, client_id, thumbprint)?
        .with_lifetime(lifetime_or(o.lifetime, entra::DEFAULT_LIFETIME))?;
    if let Some(scope) = scope {
        e = e.with_scope(scope)?;
    }
    Ok(e)
}

/// Builds a Microsoft Entra client-assertion profile from `options` into a
/// new handle stored in `*out` (written only on success; the strings are
/// copied). It signs PS256 for `JWTMINT_THUMBPRINT_SHA256` and RS256 for
/// `JWTMINT_THUMBPRINT_SHA1`, and requires a `jti` (drawn at random when the
/// mint gets none). Free it with `jwtmint_profile_free`.
///
/// Errors: `NULL_ARGUMENT`, `INVALID_ARGUMENT` (unknown `thumbprint_kind`),
/// `INVALID_UTF8`, `INVALID_FIELD` (bad tenant, client id, thumbprint or
/// empty scope), `INVALID_AUDIENCE` (bad authority), `LIFETIME_TOO_LONG`,
/// `LIFETIME_NOT_POSITIVE`.
///
/// # Safety
/// `options` NULL or valid with every string NULL or valid for its length;
/// `out` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_entra_profile_new(
    options: *const jwtmint_entra_options,
    out: *mut *mut jwtmint_profile,
) -> jwtmint_result {
    guard(|| {
        need(out)?;
        // SAFETY: the caller promises `options` is NULL or valid.
        let o = unsafe { reference(options) }?;
        // SAFETY: the caller promises the strings in `o` are valid.
        let e = unsafe { entra(o) }?;
        // SAFETY: `out` is non-NULL and the caller promises it is writable.
        unsafe {
            store(
                Built {
                    profile: Box::new(e),
                    key: None,
                },
                out,
            )
        };
        Ok(())
    })
}

// ---------------------------------------------------------------------------
// DocuSign's environment (the `environment` choice of the declared
// `jwtmint_docusign_options`, named for C)
// ---------------------------------------------------------------------------

/// DocuSign's authentication server (the `environment` field of
/// `jwtmint_docusign_options`, passed as `uint32_t`).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum jwtmint_docusign_env {
    /// `account-d.docusign.com` (developer account).
    JWTMINT_DOCUSIGN_DEMO = 0,
    /// `account.docusign.com`.
    JWTMINT_DOCUSIGN_PRODUCTION = 1,
}

/// Compile-time proof of the documented thread-safety of the account handle.
const _: () = {
    const fn send_sync<T: Send + Sync>() {}
    send_sync::<jwtmint_google_account>();
};

// ---------------------------------------------------------------------------
// The generic RFC 7523 profile
// ---------------------------------------------------------------------------

/// The kind of a generic RFC 7523 assertion (the `kind` field of
/// `jwtmint_rfc7523_options`, passed as `uint32_t`).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum jwtmint_rfc7523_kind {
    /// An authorization grant (RFC 7523 section 2.1): `iss`, `sub`, `aud`,
    /// posted as `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer`.
    JWTMINT_RFC7523_GRANT = 0,
    /// Client authentication (section 2.2): `iss` = `sub` = the client id, a
    /// `jti` (drawn when the mint gets none), posted with the
    /// client-credentials grant and `client_id`.
    JWTMINT_RFC7523_CLIENT_ASSERTION = 1,
}

/// A generic RFC 7523 assertion for any token endpoint: every claim given.
/// Zero-initialise it: an absent string has a NULL `ptr`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct jwtmint_rfc7523_options {
    /// A `jwtmint_rfc7523_kind` value.
    pub kind: u32,
    /// `iss` (the client id for a client assertion). Required.
    pub iss: jwtmint_str,
    /// `sub` of a grant (required there); must be absent for a client
    /// assertion (`INVALID_ARGUMENT`), whose `sub` is `iss`.
    pub sub: jwtmint_str,
    /// `aud`, the authorization server's identifier. Required.
    pub aud: jwtmint_str,
    /// The token endpoint; absent: `aud`. It (or `aud`) must be `https://`,
    /// or `http://` to 127.0.0.1, `[::1]` or `localhost` (`INVALID_FIELD`
    /// otherwise).
    pub token_url: jwtmint_str,
    /// The `scope` of the token request; absent for none.
    pub scope: jwtmint_str,
    /// A `jwtmint_alg` value (0 = RS256).
    pub alg: u32,
    /// `kid` header; absent for none.
    pub kid: jwtmint_str,
    /// Seconds from now to `exp` (no cap); 0 selects the default, 300.
    pub lifetime: i64,
}

/// Builds a generic RFC 7523 profile from `options` into a new handle in
/// `*out` (written only on success; every string is copied). Free it with
/// `jwtmint_profile_free`.
///
/// Errors: `NULL_ARGUMENT` (`options`, `out`, `iss`, `aud`, `sub` of a
/// grant), `INVALID_ARGUMENT` (unknown `kind` or `alg`, `sub` with a client
/// assertion), `INVALID_UTF8`, `INVALID_FIELD` (an empty value, a token URL
/// that is neither https nor http to a loopback host), `HEADER_TOO_LARGE`,
/// `LIFETIME_NOT_POSITIVE`.
///
/// # Safety
/// `options` NULL or valid with every string NULL or valid for its length;
/// `out` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_rfc7523_profile_new(
    options: *const jwtmint_rfc7523_options,
    out: *mut *mut jwtmint_profile,
) -> jwtmint_result {
    use super::session_grants::{Arena, OwningProfile};
    use crate::profiles::Rfc7523;
    guard(|| {
        need(out)?;
        // SAFETY: the caller promises `options` is NULL or valid.
        let o = unsafe { reference(options) }?;
        // SAFETY: the caller promises every string in `o` is NULL or valid.
        let (iss, sub, aud, token_url, scope, kid) = unsafe {
            (
                o.iss.required()?,
                o.sub.optional()?,
                o.aud.required()?,
                o.token_url.optional()?,
                o.scope.optional()?,
                o.kid.optional()?,
            )
        };
        let alg = super::header::alg_from(o.alg)?;
        let mut arena = Arena::default();
        let (iss, aud) = (arena.text(iss), arena.text(aud));
        let url = arena.text(token_url.unwrap_or(aud));
        crate::profiles::check_token_url(url, "token_url")?;
        let mut p = match (o.kind, sub) {
            (0, Some(sub)) => Rfc7523::grant(iss, arena.text(sub), aud)?,
            (0, None) => return Err(jwtmint_result::JWTMINT_RESULT_NULL_ARGUMENT),
            (1, None) => Rfc7523::client_assertion(iss, aud)?,
            _ => return Err(jwtmint_result::JWTMINT_RESULT_INVALID_ARGUMENT),
        };
        let mut header = crate::header::Header::new(alg);
        if let Some(kid) = kid {
            header = header.kid(kid);
        }
        p = p.with_header(&header)?.with_token_url(url)?;
        p = p.with_lifetime(lifetime_or(
            o.lifetime,
            crate::profiles::generic::DEFAULT_LIFETIME,
        ))?;
        if let Some(scope) = scope {
            p = p.with_scope(arena.text(scope))?;
        }
        let owned = OwningProfile {
            profile: p,
            _arena: arena,
        };
        // SAFETY: `out` is non-NULL and the caller promises it is writable.
        unsafe {
            store(
                Built {
                    profile: Box::new(owned),
                    key: None,
                },
                out,
            )
        };
        Ok(())
    })
}
