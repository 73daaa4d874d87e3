//! Provider profiles through the C ABI: Salesforce JWT bearer flow, Google
//! service accounts, Microsoft Entra client assertions. Each profile gets the
//! provider's `aud`, header, claims and lifetime limit right; the caller gives
//! the few values that differ per application, the key and `now`.

use alloc::boxed::Box;
use alloc::vec::Vec;

use super::claims::jwtmint_str;
use super::key::jwtmint_key;
use super::panic::guard;
use super::result::jwtmint_result;
use super::util::{array, bytes, need, out_buf, reference, utf8, write_out};
use crate::alg::Algorithm;
use crate::profiles::entra::{self, Entra, Thumbprint, UUID_LEN};
use crate::profiles::google::{self, Google, ServiceAccount};
use crate::profiles::salesforce::{self, Login, Salesforce};

/// Runs a buffer-writing operation `f` under the C output contract: a NULL
/// `out` with `cap > 0` is `NULL_ARGUMENT`; a first call with an empty buffer learns the exact length (nothing is written or
/// signed); a too-small `cap` returns `BUFFER_TOO_SMALL` with that length in
/// `*out_len` and `out` untouched; otherwise `f` writes into `out`, and a
/// failure then (signing) clears what was written.
///
/// # Safety
/// `out` must be NULL or valid for writes of `cap` bytes; `out_len` must be
/// non-NULL and valid for a write.
unsafe fn produce<F>(
    mut f: F,
    out: *mut u8,
    cap: usize,
    out_len: *mut usize,
) -> Result<(), jwtmint_result>
where
    F: FnMut(&mut [u8]) -> crate::error::Result<usize>,
{
    // SAFETY: the caller promises `out` is NULL or valid for `cap` bytes.
    let buf = unsafe { out_buf(out, cap) }?;
    let needed = match f(&mut []) {
        Ok(n) => n,
        Err(crate::error::Error::BufferTooSmall { needed }) => needed,
        Err(e) => return Err(e.into()),
    };
    if cap < needed {
        // SAFETY: forwarded caller contract on `out_len`.
        unsafe { write_out(out_len, needed) };
        return Err(jwtmint_result::JWTMINT_RESULT_BUFFER_TOO_SMALL);
    }
    match f(buf) {
        Ok(n) => {
            // SAFETY: forwarded caller contract on `out_len`.
            unsafe { write_out(out_len, n) };
            Ok(())
        }
        Err(e) => {
            if let Some(written) = buf.get_mut(..needed) {
                written.fill(0);
            }
            Err(e.into())
        }
    }
}

/// Copies `src` into `out` (no NUL) under the C output contract.
///
/// # Safety
/// As [`produce`].
unsafe fn copy_out(
    src: &str,
    out: *mut u8,
    cap: usize,
    out_len: *mut usize,
) -> Result<(), jwtmint_result> {
    let f = |buf: &mut [u8]| match buf.get_mut(..src.len()) {
        Some(dst) => {
            dst.copy_from_slice(src.as_bytes());
            Ok(src.len())
        }
        None => Err(crate::error::Error::BufferTooSmall { needed: src.len() }),
    };
    // SAFETY: forwarded caller contract.
    unsafe { produce(f, out, cap, out_len) }
}

/// `lifetime`, or the profile's `default` for 0.
const fn lifetime_or(lifetime: i64, default: i64) -> i64 {
    if lifetime == 0 { default } else { lifetime }
}

/// Writes the RFC 7523 section 2.1 grant body for `assertion`, no parameters.
///
/// # Safety
/// `assertion` NULL or valid for `assertion_len` bytes; `out`/`out_len` as
/// [`produce`], `out_len` unchecked.
unsafe fn grant_body(
    assertion: *const u8,
    assertion_len: usize,
    out: *mut u8,
    cap: usize,
    out_len: *mut usize,
) -> Result<(), jwtmint_result> {
    need(out_len)?;
    // SAFETY: the caller promises `assertion` is NULL or valid for its length.
    let assertion = unsafe { utf8(assertion, assertion_len) }?;
    // SAFETY: forwarded caller contract; `out_len` checked non-NULL.
    unsafe {
        produce(
            |b| crate::form::grant_body(assertion, &[], b),
            out,
            cap,
            out_len,
        )
    }
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

/// The core profile for `o`.
///
/// # Safety
/// The strings in `o` must be NULL or valid for their lengths for `'a`.
unsafe fn salesforce<'a>(o: &jwtmint_salesforce_options) -> Result<Salesforce<'a>, jwtmint_result> {
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

/// Mints a Salesforce JWT bearer assertion (RS256) issued at `now` (seconds
/// since 1970, e.g. from `jwtmint_now`) with `key` into `out`. Length
/// negotiation as in `jwtmint_mint`: with `cap` too small (`out` may be NULL
/// with `cap == 0`) it returns `BUFFER_TOO_SMALL`, writes the required length
/// into `*out_len` and signs nothing.
///
/// Errors: `NULL_ARGUMENT`, `INVALID_ARGUMENT` (unknown `login`, or
/// `custom_url` given without `JWTMINT_SALESFORCE_CUSTOM`), `INVALID_UTF8`,
/// `INVALID_FIELD` (empty consumer key or username), `INVALID_AUDIENCE` (bad
/// custom URL), `LIFETIME_TOO_LONG`, `LIFETIME_NOT_POSITIVE`, the time errors
/// of `jwtmint_mint`, `BUFFER_TOO_SMALL`, `RNG_FAILED`, `SIGNING_FAILED`.
///
/// # Safety
/// `key` NULL or live; `options` NULL or valid with every string NULL or
/// valid for its length; `out` NULL (with `cap == 0`) or valid for writes of
/// `cap` bytes; `out_len` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_salesforce_mint(
    key: *const jwtmint_key,
    options: *const jwtmint_salesforce_options,
    now: i64,
    out: *mut u8,
    cap: usize,
    out_len: *mut usize,
) -> jwtmint_result {
    guard(|| {
        need(out_len)?;
        // SAFETY: the caller promises `key` is NULL or live.
        let k = unsafe { reference(key) }?;
        // SAFETY: the caller promises `options` is NULL or valid.
        let o = unsafe { reference(options) }?;
        // SAFETY: the caller promises the strings in `o` are valid.
        let sf = unsafe { salesforce(o) }?;
        let mut signer = k.signer(Algorithm::Rs256);
        // SAFETY: forwarded caller contract; `out_len` checked non-NULL.
        unsafe { produce(|b| sf.mint(&mut signer, now, b), out, cap, out_len) }
    })
}

/// Writes the token endpoint for `options` (`<login URL>/services/oauth2/token`,
/// no NUL) into `out`. Length negotiation as in `jwtmint_mint`.
///
/// Errors: as `jwtmint_salesforce_mint`, without the key and time errors.
///
/// # Safety
/// As `jwtmint_salesforce_mint`, without `key`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_salesforce_token_url(
    options: *const jwtmint_salesforce_options,
    out: *mut u8,
    cap: usize,
    out_len: *mut usize,
) -> jwtmint_result {
    guard(|| {
        need(out_len)?;
        // SAFETY: the caller promises `options` is NULL or valid.
        let o = unsafe { reference(options) }?;
        // SAFETY: the caller promises the strings in `o` are valid.
        let sf = unsafe { salesforce(o) }?;
        let f = |b: &mut [u8]| sf.token_url(b).map(str::len);
        // SAFETY: forwarded caller contract; `out_len` checked non-NULL.
        unsafe { produce(f, out, cap, out_len) }
    })
}

/// Writes the Salesforce token-request body for `assertion` (the RFC 7523
/// grant `grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=...`,
/// no NUL) into `out`. Length negotiation as in `jwtmint_mint`.
///
/// # Safety
/// `assertion` NULL or valid for `assertion_len` bytes; `out` NULL (with
/// `cap == 0`) or valid for `cap` bytes; `out_len` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_salesforce_form_body(
    assertion: *const u8,
    assertion_len: usize,
    out: *mut u8,
    cap: usize,
    out_len: *mut usize,
) -> jwtmint_result {
    // SAFETY: forwarded caller contract.
    guard(|| unsafe { grant_body(assertion, assertion_len, out, cap, out_len) })
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
    sa: ServiceAccount,
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
        let raw = Box::into_raw(Box::new(jwtmint_google_account { sa }));
        // SAFETY: `out` is non-NULL and the caller promises it is writable.
        unsafe { write_out(out, raw) };
        Ok(())
    })
}

/// Frees a service-account handle (zeroising its key). NULL is a no-op.
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
    // SAFETY: forwarded caller contract; `out_len` checked non-NULL.
    unsafe { copy_out(field(&a.sa), out, cap, out_len) }
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

/// Mints a Google service-account assertion (RS256, signed with the
/// account's own key) issued at `now` into `out`. Length negotiation as in
/// `jwtmint_mint`.
///
/// Errors: `NULL_ARGUMENT`, `INVALID_UTF8`, `INVALID_FIELD` (no scopes, an
/// empty scope or one with a space, joined scopes over 2048 bytes, empty
/// subject), `LIFETIME_TOO_LONG`, `LIFETIME_NOT_POSITIVE`, the time errors of
/// `jwtmint_mint`, `BUFFER_TOO_SMALL`, `RNG_FAILED`, `SIGNING_FAILED`.
///
/// # Safety
/// `account` NULL or live; `options` NULL or valid, `scopes` NULL (with
/// `scope_count == 0`) or valid for `scope_count` strings, every string NULL
/// or valid for its length; `out` NULL (with `cap == 0`) or valid for writes
/// of `cap` bytes; `out_len` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_google_mint(
    account: *const jwtmint_google_account,
    options: *const jwtmint_google_options,
    now: i64,
    out: *mut u8,
    cap: usize,
    out_len: *mut usize,
) -> jwtmint_result {
    guard(|| {
        need(out_len)?;
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
        let mut signer = a.sa.key().rs256();
        // SAFETY: forwarded caller contract; `out_len` checked non-NULL.
        unsafe { produce(|b| g.mint(&mut signer, now, b), out, cap, out_len) }
    })
}

/// Writes the Google token-request body for `assertion` (the RFC 7523 grant,
/// no NUL) into `out`; POST it to the account's `token_uri`. Length
/// negotiation as in `jwtmint_mint`.
///
/// # Safety
/// As `jwtmint_salesforce_form_body`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_google_form_body(
    assertion: *const u8,
    assertion_len: usize,
    out: *mut u8,
    cap: usize,
    out_len: *mut usize,
) -> jwtmint_result {
    // SAFETY: forwarded caller contract.
    guard(|| unsafe { grant_body(assertion, assertion_len, out, cap, out_len) })
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
}

/// The core profile for `o`.
///
/// # Safety
/// The strings in `o` must be NULL or valid for their lengths for `'a`.
unsafe fn entra<'a>(o: &jwtmint_entra_options) -> Result<Entra<'a>, jwtmint_result> {
    // SAFETY: forwarded caller contract on the strings.
    let (tenant, client_id, value, authority) = unsafe {
        (
            o.tenant.required()?,
            o.client_id.required()?,
            o.thumbprint.required()?,
            o.authority.optional()?,
        )
    };
    let thumbprint = match o.thumbprint_kind {
        0 => Thumbprint::Sha256(value),
        1 => Thumbprint::Sha1(value),
        _ => return Err(jwtmint_result::JWTMINT_RESULT_INVALID_ARGUMENT),
    };
    let authority = authority.unwrap_or(entra::AUTHORITY);
    let e = Entra::with_authority(authority, tenant, client_id, thumbprint)?
        .with_lifetime(lifetime_or(o.lifetime, entra::DEFAULT_LIFETIME))?;
    Ok(e)
}

/// Mints an Entra client assertion issued at `now` with `key` into `out`:
/// PS256 for `JWTMINT_THUMBPRINT_SHA256`, RS256 for `JWTMINT_THUMBPRINT_SHA1`.
/// `jti` is the assertion id; absent (NULL `ptr`) draws a random UUID v4 from
/// the operating system's RNG (a new one on every call). Length negotiation
/// as in `jwtmint_mint` (a random `jti` always has 36 characters, so the
/// length is the same on the retry).
///
/// Errors: `NULL_ARGUMENT`, `INVALID_ARGUMENT` (unknown `thumbprint_kind`),
/// `INVALID_UTF8`, `INVALID_FIELD` (bad tenant, client id, thumbprint or
/// empty `jti`), `INVALID_AUDIENCE` (bad authority), `LIFETIME_TOO_LONG`,
/// `LIFETIME_NOT_POSITIVE`, the time errors of `jwtmint_mint`,
/// `BUFFER_TOO_SMALL`, `RNG_FAILED`, `SIGNING_FAILED`.
///
/// # Safety
/// `key` NULL or live; `options` NULL or valid with every string NULL or
/// valid for its length; `jti` NULL or valid for its length; `out` NULL (with
/// `cap == 0`) or valid for writes of `cap` bytes; `out_len` NULL or valid
/// for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_entra_mint(
    key: *const jwtmint_key,
    options: *const jwtmint_entra_options,
    now: i64,
    jti: jwtmint_str,
    out: *mut u8,
    cap: usize,
    out_len: *mut usize,
) -> jwtmint_result {
    guard(|| {
        need(out_len)?;
        // SAFETY: the caller promises `key` is NULL or live.
        let k = unsafe { reference(key) }?;
        // SAFETY: the caller promises `options` is NULL or valid.
        let o = unsafe { reference(options) }?;
        // SAFETY: the caller promises the strings in `o` are valid.
        let e = unsafe { entra(o) }?;
        let mut uuid = [0u8; UUID_LEN];
        // SAFETY: the caller promises `jti` is NULL or valid.
        let jti = match unsafe { jti.optional() }? {
            Some(j) => j,
            None => entra::uuid_v4(&mut getrandom::SysRng, &mut uuid)?,
        };
        let mut signer = k.signer(e.algorithm());
        // SAFETY: forwarded caller contract; `out_len` checked non-NULL.
        unsafe { produce(|b| e.mint(&mut signer, now, jti, b), out, cap, out_len) }
    })
}

/// Writes the Entra token endpoint for `options`
/// (`<authority>/<tenant>/oauth2/v2.0/token`, no NUL) into `out`. Length
/// negotiation as in `jwtmint_mint`.
///
/// # Safety
/// As `jwtmint_entra_mint`, without `key` and `jti`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_entra_token_url(
    options: *const jwtmint_entra_options,
    out: *mut u8,
    cap: usize,
    out_len: *mut usize,
) -> jwtmint_result {
    guard(|| {
        need(out_len)?;
        // SAFETY: the caller promises `options` is NULL or valid.
        let o = unsafe { reference(options) }?;
        // SAFETY: the caller promises the strings in `o` are valid.
        let e = unsafe { entra(o) }?;
        // SAFETY: forwarded caller contract; `out_len` checked non-NULL.
        unsafe { copy_out(e.token_url(), out, cap, out_len) }
    })
}

/// Writes the client-credentials token-request body for `assertion` (no
/// NUL) into `out`: `client_assertion_type` (RFC 7523 section 2.2),
/// `client_assertion`, `client_id`, `scope` (required, e.g.
/// `https://graph.microsoft.com/.default`) and
/// `grant_type=client_credentials`, percent-encoded. Length negotiation as in
/// `jwtmint_mint`.
///
/// # Safety
/// `options` as in `jwtmint_entra_mint`; `assertion` NULL or valid for
/// `assertion_len` bytes; `scope` NULL or valid for its length; `out` NULL
/// (with `cap == 0`) or valid for `cap` bytes; `out_len` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_entra_form_body(
    options: *const jwtmint_entra_options,
    assertion: *const u8,
    assertion_len: usize,
    scope: jwtmint_str,
    out: *mut u8,
    cap: usize,
    out_len: *mut usize,
) -> jwtmint_result {
    guard(|| {
        need(out_len)?;
        // SAFETY: the caller promises `options` is NULL or valid.
        let o = unsafe { reference(options) }?;
        // SAFETY: the caller promises the strings in `o` are valid.
        let e = unsafe { entra(o) }?;
        // SAFETY: the caller promises `assertion` is NULL or valid for its length.
        let assertion = unsafe { utf8(assertion, assertion_len) }?;
        // SAFETY: the caller promises `scope` is NULL or valid.
        let scope = unsafe { scope.required() }?;
        // SAFETY: forwarded caller contract; `out_len` checked non-NULL.
        unsafe { produce(|b| e.form_body(assertion, scope, b), out, cap, out_len) }
    })
}

/// Compile-time proof of the documented thread-safety of the account handle.
const _: () = {
    const fn send_sync<T: Send + Sync>() {}
    send_sync::<jwtmint_google_account>();
};
