//! Provider profiles through the C ABI: one opaque `jwtmint_profile` handle
//! per configured profile (Salesforce JWT bearer flow, Google service
//! accounts, Microsoft Entra client assertions), built once from an options
//! struct and then used by any number of threads. Every call goes through the
//! crate's one profile mint path ([`crate::profiles::mint_profile`]'s `prepare`), the
//! same one the Rust API and the CLI use.

use alloc::boxed::Box;
use alloc::sync::Arc;
use alloc::vec::Vec;

use super::claims::jwtmint_str;
use super::key::jwtmint_key;
use super::panic::guard;
use super::result::jwtmint_result;
use super::util::{array, bytes, finish_len, need, out_buf, reference, utf8, write_out};
use crate::error::Error;
use crate::keys::SigningKey;
use crate::profiles::entra::{self, Entra, Thumbprint};
use crate::profiles::google::{self, Google, ServiceAccount};
use crate::profiles::salesforce::{self, Login, Salesforce};
use crate::profiles::{Profile, prepare};

/// `lifetime`, or the profile's `default` for 0.
pub(super) const fn lifetime_or(lifetime: i64, default: i64) -> i64 {
    if lifetime == 0 { default } else { lifetime }
}

/// Writes `needed` bytes with `f` under the C output contract: a too-small
/// `cap` returns `BUFFER_TOO_SMALL` with `needed` in `*out_len` and `out`
/// untouched; a NULL `out` with `cap > 0` is `NULL_ARGUMENT`.
///
/// # Safety
/// `out` NULL or valid for writes of `cap` bytes; `out_len` non-NULL and
/// valid for a write.
unsafe fn write_exact(
    needed: usize,
    f: impl FnOnce(&mut [u8]) -> crate::error::Result<usize>,
    out: *mut u8,
    cap: usize,
    out_len: *mut usize,
) -> Result<(), jwtmint_result> {
    // SAFETY: the caller promises `out` is NULL or valid for `cap` bytes.
    let buf = unsafe { out_buf(out, cap) }?;
    let r = match buf.get_mut(..needed) {
        Some(dst) => f(dst),
        None => Err(Error::BufferTooSmall { needed }),
    };
    // SAFETY: forwarded caller contract on `out_len`.
    unsafe { finish_len(r, out_len) }
}

/// [`write_exact`] of a string's bytes (no NUL).
///
/// # Safety
/// As [`write_exact`].
unsafe fn write_str(
    text: &str,
    out: *mut u8,
    cap: usize,
    out_len: *mut usize,
) -> Result<(), jwtmint_result> {
    let copy = |dst: &mut [u8]| {
        dst.copy_from_slice(text.as_bytes());
        Ok(text.len())
    };
    // SAFETY: forwarded caller contract.
    unsafe { write_exact(text.len(), copy, out, cap, out_len) }
}

// ---------------------------------------------------------------------------
// The profile handle
// ---------------------------------------------------------------------------

/// A configured provider profile (opaque): the provider's header, claims,
/// lifetime limit and token request, checked once when it is built by
/// `jwtmint_salesforce_profile_new`, `jwtmint_google_profile_new` or
/// `jwtmint_entra_profile_new`. The profile decides the signing algorithm.
///
/// Immutable after creation: a `const jwtmint_profile *` may be used by any
/// number of threads at the same time. Free it once with
/// `jwtmint_profile_free`.
pub struct jwtmint_profile {
    profile: Box<dyn Profile + Send + Sync>,
    /// The key that belongs to the profile (Google: the service account's;
    /// Box: the app config's).
    own_key: Option<OwnKey>,
}

/// A profile whose key comes with its configuration file.
pub(crate) enum OwnKey {
    /// A Google service-account JSON key file.
    Google(Arc<ServiceAccount>),
    /// A Box app config (its passphrase-encrypted key, decrypted).
    Box(Arc<crate::profiles::BoxConfig>),
}

impl OwnKey {
    fn key(&self) -> &SigningKey {
        match self {
            OwnKey::Google(sa) => sa.key(),
            OwnKey::Box(config) => config.key(),
        }
    }
}

impl jwtmint_profile {
    /// The configured profile.
    pub(crate) fn profile(&self) -> &(dyn Profile + Send + Sync) {
        &*self.profile
    }

    /// The key to sign with: the caller's, or for a Google or Box profile
    /// (which must get NULL) the key from its configuration file.
    pub(crate) fn signing_key<'a>(
        &'a self,
        key: Option<&'a jwtmint_key>,
    ) -> Result<&'a SigningKey, jwtmint_result> {
        match (&self.own_key, key) {
            (Some(own), None) => Ok(own.key()),
            (None, Some(k)) => Ok(&k.key),
            (Some(_), Some(_)) => Err(jwtmint_result::JWTMINT_RESULT_INVALID_ARGUMENT),
            (None, None) => Err(jwtmint_result::JWTMINT_RESULT_NULL_ARGUMENT),
        }
    }
}

/// Boxes `profile` into `*out`.
///
/// # Safety
/// `out` must be non-NULL and valid for a write.
pub(super) unsafe fn store(
    profile: Box<dyn Profile + Send + Sync>,
    own_key: Option<OwnKey>,
    out: *mut *mut jwtmint_profile,
) {
    let raw = Box::into_raw(Box::new(jwtmint_profile { profile, own_key }));
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
    let _ = guard(|| {
        if !profile.is_null() {
            // SAFETY: the caller promises it came from `Box::into_raw` in
            // `store` and is freed once.
            drop(unsafe { Box::from_raw(profile) });
        }
        Ok(())
    });
}

/// Mints the profile's assertion issued at `now` (seconds since 1970, e.g.
/// from `jwtmint_now`) into `out`. The profile picks the algorithm (e.g.
/// Salesforce and Google RS256; Entra PS256 or RS256 by thumbprint kind;
/// Apple ES256; Okta and Auth0 as configured).
///
/// `key`: the key to sign with, of the type the profile's algorithm needs
/// (`KEY_ALGORITHM_MISMATCH` otherwise); must be NULL for a Google profile, which
/// signs with its service account's own key (`INVALID_ARGUMENT` otherwise),
/// and is required for the others (`NULL_ARGUMENT`). `jti`: the assertion
/// id; absent (NULL `ptr`) writes none, except for profiles that require one
/// (Entra), which then get a random UUID v4 from the OS RNG on every call.
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
    guard(|| {
        need(out_len)?;
        // SAFETY: the caller promises `profile` is NULL or live.
        let p = unsafe { reference(profile) }?;
        // SAFETY: the caller promises `key` is NULL or live.
        let key = unsafe { key.as_ref() };
        let key = p.signing_key(key)?;
        // SAFETY: the caller promises `jti` is NULL or valid.
        let jti = unsafe { jti.optional() }?;
        // SAFETY: the caller promises `out` is NULL or valid for `cap` bytes.
        let buf = unsafe { out_buf(out, cap) }?;
        let r = prepare(&*p.profile, key, now, jti, |signer, header, claims| {
            crate::jws::mint_exact(signer, header, claims, buf)
        });
        // SAFETY: `out_len` checked non-NULL; the caller promises it is writable.
        unsafe { finish_len(r, out_len) }
    })
}

/// Copies the profile's token endpoint (no NUL) into `out`: Salesforce
/// `<login URL>/services/oauth2/token`, Google the key file's `token_uri`,
/// Entra `<authority>/<tenant>/oauth2/v2.0/token`. POST the body from
/// `jwtmint_profile_token_request_body` to it. Length negotiation as in
/// `jwtmint_mint`.
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
    guard(|| {
        need(out_len)?;
        // SAFETY: the caller promises `profile` is NULL or live.
        let p = unsafe { reference(profile) }?;
        let url = p
            .profile
            .token_url()
            .ok_or(jwtmint_result::JWTMINT_RESULT_INVALID_ARGUMENT)?;
        // SAFETY: forwarded caller contract; `out_len` checked non-NULL.
        unsafe { write_str(url, out, cap, out_len) }
    })
}

/// Writes the profile's token-request body for `assertion` (no NUL,
/// `application/x-www-form-urlencoded`) into `out`: the RFC 7523 section 2.1
/// grant `grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=...`
/// for Salesforce and Google; for Entra the client-credentials request
/// `client_assertion_type`, `client_assertion`, `client_id`, `scope` (when
/// configured) and `grant_type=client_credentials`. Length negotiation as in
/// `jwtmint_mint`.
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
    guard(|| {
        need(out_len)?;
        // SAFETY: the caller promises `profile` is NULL or live.
        let p = unsafe { reference(profile) }?;
        // SAFETY: the caller promises `assertion` is NULL or valid for its length.
        let assertion = unsafe { utf8(assertion, assertion_len) }?;
        let request = p
            .profile
            .token_request()
            .ok_or(jwtmint_result::JWTMINT_RESULT_INVALID_ARGUMENT)?;
        let needed = request.body_len(assertion)?;
        let write = |dst: &mut [u8]| request.write_body(assertion, dst);
        // SAFETY: forwarded caller contract; `out_len` checked non-NULL.
        unsafe { write_exact(needed, write, out, cap, out_len) }
    })
}

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

/// A Salesforce OAuth 2.0 JWT bearer flow assertion: header
/// `{"alg":"RS256"}`, `iss` = consumer key, `sub` = username, `aud` = login
/// URL, `exp` = now + lifetime (at most 180 s: Salesforce wants `exp` within
/// 3 minutes).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct jwtmint_salesforce_options {
    /// The connected app's consumer key (`iss`, required).
    pub consumer_key: jwtmint_str,
    /// The Salesforce username (`sub`, required).
    pub username: jwtmint_str,
    /// A `jwtmint_salesforce_login` value.
    pub login: u32,
    /// With `JWTMINT_SALESFORCE_CUSTOM`: a bare https URL such as
    /// `https://acme.my.salesforce.com` (no trailing slash, query or
    /// fragment). Required then (absent gives `NULL_ARGUMENT`); must be absent
    /// with the other logins (`INVALID_ARGUMENT`).
    pub custom_url: jwtmint_str,
    /// Seconds from `now` to `exp`, 1..=180; 0 selects the default, 180.
    pub lifetime: i64,
}

/// The core profile for `o` (it copies the strings).
///
/// # Safety
/// The strings in `o` must be NULL or valid for their lengths.
unsafe fn salesforce(o: &jwtmint_salesforce_options) -> Result<Salesforce, jwtmint_result> {
    // SAFETY: forwarded caller contract on the strings.
    let (consumer_key, username, custom) = unsafe {
        (
            o.consumer_key.required()?,
            o.username.required()?,
            o.custom_url.optional()?,
        )
    };
    let login = match (o.login, custom) {
        (0, None) => Login::Production,
        (1, None) => Login::Sandbox,
        (2, Some(url)) => Login::Custom(url),
        (2, None) => return Err(jwtmint_result::JWTMINT_RESULT_NULL_ARGUMENT),
        _ => return Err(jwtmint_result::JWTMINT_RESULT_INVALID_ARGUMENT),
    };
    let sf = Salesforce::new(consumer_key, username, login)?
        .with_lifetime(lifetime_or(o.lifetime, salesforce::MAX_LIFETIME))?;
    Ok(sf)
}

/// Builds a Salesforce JWT bearer profile (RS256) from `options` into a new
/// handle stored in `*out` (written only on success; the strings are copied,
/// `options` need not outlive the call). Free it with `jwtmint_profile_free`.
///
/// Errors: `NULL_ARGUMENT`, `INVALID_ARGUMENT` (unknown `login`, or
/// `custom_url` given without `JWTMINT_SALESFORCE_CUSTOM`), `INVALID_UTF8`,
/// `INVALID_FIELD` (empty or over-long consumer key or username),
/// `INVALID_AUDIENCE` (bad custom URL), `LIFETIME_TOO_LONG`,
/// `LIFETIME_NOT_POSITIVE`.
///
/// # Safety
/// `options` NULL or valid with every string NULL or valid for its length;
/// `out` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_salesforce_profile_new(
    options: *const jwtmint_salesforce_options,
    out: *mut *mut jwtmint_profile,
) -> jwtmint_result {
    guard(|| {
        need(out)?;
        // SAFETY: the caller promises `options` is NULL or valid.
        let o = unsafe { reference(options) }?;
        // SAFETY: the caller promises the strings in `o` are valid.
        let sf = unsafe { salesforce(o) }?;
        // SAFETY: `out` is non-NULL and the caller promises it is writable.
        unsafe { store(Box::new(sf), None, out) };
        Ok(())
    })
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
        unsafe { store(Box::new(g), Some(OwnKey::Google(Arc::clone(&a.sa))), out) };
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
        unsafe { store(Box::new(e), None, out) };
        Ok(())
    })
}

/// Compile-time proof of the documented thread-safety of the handles.
const _: () = {
    const fn send_sync<T: Send + Sync>() {}
    send_sync::<jwtmint_google_account>();
    send_sync::<jwtmint_profile>();
};
