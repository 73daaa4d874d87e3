//! GENERATED from the provider declarations (`PROVIDER` in each module of
//! src/profiles, listed in `crate::profiles::DECLARED`) by the test in
//! src/ffi/declared.rs; do not edit. Regenerate with
//! `JWTMINT_REGENERATE=1 cargo test --features ffi --lib ffi::declared`.

use super::claims::jwtmint_str;
use super::declared::{AccountHandle, Fields, Loaded, NO_KEY, account_handle, account_new, account_text, alg, bytes, choice, construct, handle, lifetime, list, reader, text, uint};
use super::key::jwtmint_key;
use super::panic::free_handle;
use super::profiles::jwtmint_profile;
use super::result::jwtmint_result;

/// The one grant model (`jwtmint::profiles::Grant`): what a grant step sends
/// (`kind` of `jwtmint_grant_spec`, where PASSWORD is an initial grant and
/// REFRESH_TOKEN / PREVIOUS_TOKEN renewal steps).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum jwtmint_grant_kind {
    /// RFC 7523 section 2.1:
    /// `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer` with a freshly
    /// minted assertion.
    JWTMINT_GRANT_JWT_BEARER = 1,
    /// RFC 7523 section 2.2: the client-credentials grant authenticated by a
    /// freshly minted client assertion.
    JWTMINT_GRANT_CLIENT_ASSERTION = 2,
    /// The JWT sent as `Authorization: Bearer`, no body (GitHub App
    /// installation tokens).
    JWTMINT_GRANT_BEARER_HEADER = 3,
    /// RFC 6749 section 6 `grant_type=refresh_token` with the last refresh
    /// token (renewal only).
    JWTMINT_GRANT_REFRESH_TOKEN = 4,
    /// No exchange: the signed JWT is the credential.
    JWTMINT_GRANT_SELF_SIGNED = 5,
    /// RFC 6749 section 4.3 `grant_type=password` (initial grant only).
    /// Deprecated by OAuth 2.1; for identity providers that still require it.
    JWTMINT_GRANT_PASSWORD = 6,
    /// The previously issued, still valid access token as `assertion` (renewal
    /// only).
    JWTMINT_GRANT_PREVIOUS_TOKEN = 7,
}

/// The login server (`aud`): production (`https://login.salesforce.com`),
/// sandbox (`https://test.salesforce.com`) or custom (`custom_url`; the CLI
/// infers it from --aud) (the `login` field of `jwtmint_salesforce_options`,
/// passed as `uint32_t`).
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

/// Options of `jwtmint_salesforce_profile_new`. Zero-initialise it: an absent
/// string has a NULL `ptr`; 0 selects a lifetime's default.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct jwtmint_salesforce_options {
    /// The connected app's consumer key (`iss`). Required.
    pub consumer_key: jwtmint_str,
    /// The Salesforce username (`sub`). Required.
    pub username: jwtmint_str,
    /// The login server (`aud`): production (`https://login.salesforce.com`),
    /// sandbox (`https://test.salesforce.com`) or custom (`custom_url`; the CLI
    /// infers it from --aud): 0 = production, 1 = sandbox, 2 = custom.
    pub login: u32,
    /// The login URL (`aud`): a bare https URL such as
    /// `https://acme.my.salesforce.com` (no trailing slash, query or fragment);
    /// required with the custom login, absent with the others.
    pub custom_url: jwtmint_str,
    /// Seconds from now to `exp`, 1..=180; default 180.
    pub lifetime: i64,
}

reader!(read_salesforce(o: jwtmint_salesforce_options) [
    text(o.consumer_key), text(o.username), choice(o.login), text(o.custom_url),
    lifetime(o.lifetime),
]);

/// Salesforce JWT bearer flow (aud login/test/My Domain, exp <= 3 min).
///
/// Signs RS256. Lifetime: default 180 s, at most 180 s. The token request is
/// the RFC 7523 JWT bearer grant.
///
/// Built, and failing, as every declared constructor (`jwtmint_profile`);
/// required: `consumer_key`, `username`.
///
/// # Safety
/// As every declared constructor.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_salesforce_profile_new(
    options: *const jwtmint_salesforce_options,
    out: *mut *mut jwtmint_profile,
) -> jwtmint_result {
    // SAFETY: forwarded caller contract.
    unsafe { construct("salesforce", options, NO_KEY, out, |o| read_salesforce(o)) }
}

/// The thumbprint's kind, which picks the algorithm: sha256 (`x5t#S256` with
/// PS256, Microsoft's current guidance) or sha1 (`x5t` with RS256, the legacy
/// form ADFS needs) (the `thumbprint_kind` field of `jwtmint_entra_options`,
/// passed as `uint32_t`).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum jwtmint_thumbprint_kind {
    /// `x5t#S256` (43 Base64Url characters) with PS256: Microsoft's current
    /// guidance.
    JWTMINT_THUMBPRINT_SHA256 = 0,
    /// `x5t` (27 Base64Url characters) with RS256: the legacy form (ADFS).
    JWTMINT_THUMBPRINT_SHA1 = 1,
}

/// Options of `jwtmint_entra_profile_new`. Zero-initialise it: an absent string
/// has a NULL `ptr`; 0 selects a lifetime's default.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct jwtmint_entra_options {
    /// Tenant id (GUID) or domain, e.g. `contoso.onmicrosoft.com` (not `common`
    /// / `organizations` / `consumers`). Required.
    pub tenant: jwtmint_str,
    /// Application (client) id (`iss` and `sub`). Required.
    pub client_id: jwtmint_str,
    /// The thumbprint's kind, which picks the algorithm: sha256 (`x5t#S256`
    /// with PS256, Microsoft's current guidance) or sha1 (`x5t` with RS256, the
    /// legacy form ADFS needs): 0 = sha256, 1 = sha1.
    pub thumbprint_kind: u32,
    /// The certificate thumbprint of that kind, Base64Url (from
    /// `jwtmint_cert_thumbprints`; not the hex shown in the portal). Required.
    pub thumbprint: jwtmint_str,
    /// Authority URL, e.g. `https://login.microsoftonline.us`; absent for the
    /// global cloud `https://login.microsoftonline.com`.
    pub authority: jwtmint_str,
    /// Seconds from `nbf` to `exp`, 1..=600; default 300.
    pub lifetime: i64,
    /// The `scope` of the client-credentials token request, e.g.
    /// `https://graph.microsoft.com/.default`; absent leaves it out of the body
    /// (Entra then refuses the request; the CLI sends that one).
    pub scope: jwtmint_str,
}

reader!(read_entra(o: jwtmint_entra_options) [
    text(o.tenant), text(o.client_id), choice(o.thumbprint_kind), text(o.thumbprint),
    text(o.authority), lifetime(o.lifetime), text(o.scope),
]);

/// Microsoft Entra client assertion (PS256 + x5t#S256, exp <= 10 min).
///
/// Signs PS256, RS256 (`alg`; default PS256). Lifetime: default 300 s, at most
/// 600 s. The token request is the client-credentials grant with the JWT as
/// `client_assertion` (RFC 7523 section 2.2).
///
/// Built, and failing, as every declared constructor (`jwtmint_profile`);
/// required: `tenant`, `client_id`, `thumbprint`.
///
/// # Safety
/// As every declared constructor.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_entra_profile_new(
    options: *const jwtmint_entra_options,
    out: *mut *mut jwtmint_profile,
) -> jwtmint_result {
    // SAFETY: forwarded caller contract.
    unsafe { construct("entra", options, NO_KEY, out, |o| read_entra(o)) }
}

/// The use: grant (RFC 7523 section 2.1: `iss`, `sub`, `aud`, posted as
/// `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer`) or
/// client-assertion (section 2.2: `iss` = `sub` = the client id, a `jti`,
/// posted with the client-credentials grant and `client_id`) (the `kind` field
/// of `jwtmint_rfc7523_options`, passed as `uint32_t`).
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

/// Options of `jwtmint_rfc7523_profile_new`. Zero-initialise it: an absent
/// string has a NULL `ptr`; 0 selects a lifetime's default.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct jwtmint_rfc7523_options {
    /// The use: grant (RFC 7523 section 2.1: `iss`, `sub`, `aud`, posted as
    /// `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer`) or
    /// client-assertion (section 2.2: `iss` = `sub` = the client id, a `jti`,
    /// posted with the client-credentials grant and `client_id`): 0 = grant, 1
    /// = client-assertion.
    pub kind: u32,
    /// `iss` (the client id for a client assertion). Required.
    pub iss: jwtmint_str,
    /// `sub` of a grant (required there); absent for a client assertion, whose
    /// `sub` is `iss`.
    pub sub: jwtmint_str,
    /// `aud`, the authorization server's identifier. Required.
    pub aud: jwtmint_str,
    /// The token endpoint; absent: `aud`. It (or `aud`) must be `https://`, or
    /// `http://` to 127.0.0.1, `[::1]` or `localhost`.
    pub token_url: jwtmint_str,
    /// The `scope` of the token request; absent for none.
    pub scope: jwtmint_str,
    /// The algorithm (`jwtmint_alg`; default RS256).
    pub alg: u32,
    /// `kid` header; absent for none.
    pub kid: jwtmint_str,
    /// Seconds from now to `exp` (no cap); default 300.
    pub lifetime: i64,
    /// Extra claims after the registered ones, each `NAME=VALUE` (a JSON
    /// string) or `NAME:=JSON` (a raw JSON value).
    pub claims: *const jwtmint_str,
    /// Number of entries in `claims`.
    pub claims_len: usize,
    /// The certificate (PEM or DER) whose `x5t` and `x5t#S256` go in the
    /// header; absent for none.
    pub cert: *const u8,
    /// Length of `cert` in bytes.
    pub cert_len: usize,
    /// `nbf`, a NumericDate (seconds since 1970); 0 for none.
    pub not_before: u64,
}

reader!(read_rfc7523(o: jwtmint_rfc7523_options) [
    choice(o.kind), text(o.iss), text(o.sub), text(o.aud), text(o.token_url), text(o.scope),
    alg(o.alg), text(o.kid), lifetime(o.lifetime), list(o.claims, o.claims_len),
    bytes(o.cert, o.cert_len), uint(o.not_before),
]);

/// Any RFC 7523 server, every claim explicit.
///
/// Signs RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA,
/// HS256, HS384, HS512 (`alg`; default RS256). Lifetime: default 300 s, at most
/// 9223372036854775807 s. The token request is the RFC 7523 JWT bearer grant.
///
/// Built, and failing, as every declared constructor (`jwtmint_profile`);
/// required: `iss`, `aud`.
///
/// # Safety
/// As every declared constructor.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_rfc7523_profile_new(
    options: *const jwtmint_rfc7523_options,
    out: *mut *mut jwtmint_profile,
) -> jwtmint_result {
    // SAFETY: forwarded caller contract.
    unsafe { construct("rfc7523", options, NO_KEY, out, |o| read_rfc7523(o)) }
}

/// Options of `jwtmint_google_profile_new`. Zero-initialise it: an absent
/// string has a NULL `ptr`; 0 selects a lifetime's default.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct jwtmint_google_options {
    /// The OAuth scopes (at least one; each non-empty, without spaces).
    pub scopes: *const jwtmint_str,
    /// Number of entries in `scopes`.
    pub scope_count: usize,
    /// `sub`: the user to impersonate with domain-wide delegation; absent for
    /// none.
    pub subject: jwtmint_str,
    /// Seconds from `iat` to `exp`, 1..=3600; default 3600.
    pub lifetime: i64,
}

reader!(read_google(o: jwtmint_google_options, account: jwtmint_google_account) [
    handle(account), list(o.scopes, o.scope_count), text(o.subject), lifetime(o.lifetime),
]);

/// Google service account (key file, scopes, exp <= 1 h).
///
/// Signs RS256. Lifetime: default 3600 s, at most 3600 s. The token request is
/// the RFC 7523 JWT bearer grant. The profile signs with the key its
/// configuration holds: pass NULL as the key to `jwtmint_profile_mint`.
///
/// Built, and failing, as every declared constructor (`jwtmint_profile`);
/// required: `account`.
///
/// # Safety
/// As every declared constructor. `account` NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_google_profile_new(
    account: *const jwtmint_google_account,
    options: *const jwtmint_google_options,
    out: *mut *mut jwtmint_profile,
) -> jwtmint_result {
    // SAFETY: forwarded caller contract.
    unsafe { construct("google", options, NO_KEY, out, |o| read_google(o, account)) }
}

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
    /// absent for `https://api.github.com`.
    pub api_url: jwtmint_str,
    /// Seconds from now to `exp`, 1..=600; default 540.
    pub lifetime: i64,
}

reader!(read_github_app(o: jwtmint_github_app_options) [
    text(o.issuer), uint(o.installation_id), text(o.api_url), lifetime(o.lifetime),
]);

/// GitHub App JWT (RS256, iat - 60 s, exp <= 10 min; mint only: the JWT is a
/// bearer header).
///
/// Signs RS256. Lifetime: default 540 s, at most 600 s. The token request sends
/// the JWT as `Authorization: Bearer` with no body
/// (`jwtmint_profile_token_request_body` writes 0 bytes).
///
/// Built, and failing, as every declared constructor (`jwtmint_profile`);
/// required: `issuer`.
///
/// # Safety
/// As every declared constructor.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_github_app_profile_new(
    options: *const jwtmint_github_app_options,
    out: *mut *mut jwtmint_profile,
) -> jwtmint_result {
    // SAFETY: forwarded caller contract.
    unsafe { construct("github-app", options, NO_KEY, out, |o| read_github_app(o)) }
}

/// Options of `jwtmint_snowflake_profile_new`. Zero-initialise it: an absent
/// string has a NULL `ptr`; 0 selects a lifetime's default.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct jwtmint_snowflake_options {
    /// Account identifier: `orgname-accountname` or an account locator
    /// (`xy12345` or `xy12345.us-east-2.aws`). Required.
    pub account: jwtmint_str,
    /// The Snowflake user name. Required.
    pub user: jwtmint_str,
    /// Seconds from now to `exp`, 1..=3600; default 3600.
    pub lifetime: i64,
}

reader!(read_snowflake(o: jwtmint_snowflake_options) [
    text(o.account), text(o.user), lifetime(o.lifetime),
]);

/// Snowflake key-pair JWT (iss ACCOUNT.USER.SHA256:<fp from --key>, exp <= 1 h;
/// mint only).
///
/// Signs RS256. Lifetime: default 3600 s, at most 3600 s. No token request: the
/// JWT is the credential (`jwtmint_profile_token_url` returns
/// `INVALID_ARGUMENT`). `key` is the key the JWTs are signed with, needed to
/// build the profile and passed again to `jwtmint_profile_mint`.
///
/// Built, and failing, as every declared constructor (`jwtmint_profile`);
/// required: `account`, `user`.
///
/// # Safety
/// As every declared constructor. `key` NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_snowflake_profile_new(
    options: *const jwtmint_snowflake_options,
    key: *const jwtmint_key,
    out: *mut *mut jwtmint_profile,
) -> jwtmint_result {
    // SAFETY: forwarded caller contract.
    unsafe { construct("snowflake", options, key, out, |o| read_snowflake(o)) }
}

/// The host name account-d.docusign.com (demo) or account.docusign.com
/// (production) (the `environment` field of `jwtmint_docusign_options`, passed
/// as `uint32_t`).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum jwtmint_docusign_env {
    /// `account-d.docusign.com` (developer account).
    JWTMINT_DOCUSIGN_DEMO = 0,
    /// `account.docusign.com`.
    JWTMINT_DOCUSIGN_PRODUCTION = 1,
}

/// Options of `jwtmint_docusign_profile_new`. Zero-initialise it: an absent
/// string has a NULL `ptr`; 0 selects a lifetime's default.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct jwtmint_docusign_options {
    /// The integration key (`iss`). Required.
    pub integration_key: jwtmint_str,
    /// The impersonated user's ID (`sub`). Required.
    pub user_id: jwtmint_str,
    /// The host name account-d.docusign.com (demo) or account.docusign.com
    /// (production): 0 = account-d.docusign.com, 1 = account.docusign.com.
    /// Required.
    pub environment: u32,
    /// Space-separated scopes (must contain `impersonation`); absent for
    /// `signature impersonation`.
    pub scope: jwtmint_str,
    /// Seconds from now to `exp`, 1..=3600; default 3600.
    pub lifetime: i64,
}

reader!(read_docusign(o: jwtmint_docusign_options) [
    text(o.integration_key), text(o.user_id), choice(o.environment), text(o.scope),
    lifetime(o.lifetime),
]);

/// DocuSign JWT grant (aud account-d/account.docusign.com, scope signature
/// impersonation, exp <= 1 h).
///
/// Signs RS256. Lifetime: default 3600 s, at most 3600 s. The token request is
/// the RFC 7523 JWT bearer grant.
///
/// Built, and failing, as every declared constructor (`jwtmint_profile`);
/// required: `integration_key`, `user_id`.
///
/// # Safety
/// As every declared constructor.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_docusign_profile_new(
    options: *const jwtmint_docusign_options,
    out: *mut *mut jwtmint_profile,
) -> jwtmint_result {
    // SAFETY: forwarded caller contract.
    unsafe { construct("docusign", options, NO_KEY, out, |o| read_docusign(o)) }
}

/// Options of `jwtmint_okta_profile_new`, `jwtmint_auth0_profile_new`.
/// Zero-initialise it: an absent string has a NULL `ptr`; 0 selects a
/// lifetime's default.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct jwtmint_private_key_jwt_options {
    /// okta: The token endpoint `https://{domain}/oauth2[/{id}]/v1/token` (the
    /// `aud`). Required. auth0: The tenant or custom domain host name
    /// `acme.us.auth0.com` (`aud` = `https://{domain}/`). Required.
    pub endpoint: jwtmint_str,
    /// okta: The client id (`iss` and `sub`). Required. auth0: The client id
    /// (`iss` and `sub`, at most 64 characters). Required.
    pub client_id: jwtmint_str,
    /// okta: RS256 (default), RS384, RS512, ES256, ES384 or ES512. auth0: RS256
    /// (default), RS384 or PS256.
    pub alg: u32,
    /// `kid` header: the key id registered with the client; absent for none.
    pub kid: jwtmint_str,
    /// okta: The `scope` of the client-credentials request. auth0: The API
    /// `audience` of the client-credentials request.
    pub scope: jwtmint_str,
    /// okta: Seconds from now to `exp`, 1..=3600; default 300. auth0: Seconds
    /// from now to `exp`, 1..=300; default 60.
    pub lifetime: i64,
}

reader!(read_private_key_jwt(o: jwtmint_private_key_jwt_options) [
    text(o.endpoint), text(o.client_id), alg(o.alg), text(o.kid), text(o.scope),
    lifetime(o.lifetime),
]);

/// Okta private_key_jwt (aud = token endpoint, jti, exp <= 1 h).
///
/// Signs RS256, RS384, RS512, ES256, ES384, ES512 (`alg`; default RS256).
/// Lifetime: default 300 s, at most 3600 s. The token request is the
/// client-credentials grant with the JWT as `client_assertion` (RFC 7523
/// section 2.2).
///
/// Built, and failing, as every declared constructor (`jwtmint_profile`);
/// required: `endpoint`, `client_id`.
///
/// # Safety
/// As every declared constructor.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_okta_profile_new(
    options: *const jwtmint_private_key_jwt_options,
    out: *mut *mut jwtmint_profile,
) -> jwtmint_result {
    // SAFETY: forwarded caller contract.
    unsafe { construct("okta", options, NO_KEY, out, |o| read_private_key_jwt(o)) }
}

/// Auth0 private_key_jwt (aud = https://DOMAIN/, jti, exp <= 5 min).
///
/// Signs RS256, RS384, PS256 (`alg`; default RS256). Lifetime: default 60 s, at
/// most 300 s. The token request is the client-credentials grant with the JWT
/// as `client_assertion` (RFC 7523 section 2.2).
///
/// Built, and failing, as every declared constructor (`jwtmint_profile`);
/// required: `endpoint`, `client_id`.
///
/// # Safety
/// As every declared constructor.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_auth0_profile_new(
    options: *const jwtmint_private_key_jwt_options,
    out: *mut *mut jwtmint_profile,
) -> jwtmint_result {
    // SAFETY: forwarded caller contract.
    unsafe { construct("auth0", options, NO_KEY, out, |o| read_private_key_jwt(o)) }
}

/// Options of `jwtmint_keycloak_profile_new`. Zero-initialise it: an absent
/// string has a NULL `ptr`; 0 selects a lifetime's default.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct jwtmint_keycloak_options {
    /// The `aud`: the realm's issuer URL `https://{server}/realms/{realm}`
    /// (token endpoint: + /protocol/openid-connect/token) or its token
    /// endpoint; http:// only to 127.0.0.1 or localhost. Required.
    pub endpoint: jwtmint_str,
    /// The client id (`iss` and `sub`). Required.
    pub client_id: jwtmint_str,
    /// The client's signature algorithm: RS256 (default), ES256 or PS256.
    pub alg: u32,
    /// `kid` header: the key's id in the client's JWKS; absent: the client's
    /// certificate.
    pub kid: jwtmint_str,
    /// The `scope` of the client-credentials request.
    pub scope: jwtmint_str,
    /// Seconds from now to `exp`, 1..=60; default 60.
    pub lifetime: i64,
}

reader!(read_keycloak(o: jwtmint_keycloak_options) [
    text(o.endpoint), text(o.client_id), alg(o.alg), text(o.kid), text(o.scope),
    lifetime(o.lifetime),
]);

/// Keycloak private_key_jwt (aud = realm issuer or token endpoint, jti, exp <=
/// 60 s).
///
/// Signs RS256, ES256, PS256 (`alg`; default RS256). Lifetime: default 60 s, at
/// most 60 s. The token request is the client-credentials grant with the JWT as
/// `client_assertion` (RFC 7523 section 2.2).
///
/// Built, and failing, as every declared constructor (`jwtmint_profile`);
/// required: `endpoint`, `client_id`.
///
/// # Safety
/// As every declared constructor.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_keycloak_profile_new(
    options: *const jwtmint_keycloak_options,
    out: *mut *mut jwtmint_profile,
) -> jwtmint_result {
    // SAFETY: forwarded caller contract.
    unsafe { construct("keycloak", options, NO_KEY, out, |o| read_keycloak(o)) }
}

/// Options of `jwtmint_apns_profile_new`,
/// `jwtmint_app_store_connect_profile_new`,
/// `jwtmint_sign_in_with_apple_profile_new`. Zero-initialise it: an absent
/// string has a NULL `ptr`; 0 selects a lifetime's default.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct jwtmint_apple_options {
    /// The 10-character Key ID of the .p8 key (`kid`). Required.
    pub key_id: jwtmint_str,
    /// apns: The 10-character Team ID (`iss`). Required. app-store-connect: The
    /// issuer ID, a UUID (`iss`). Required. sign-in-with-apple: The
    /// 10-character Team ID (`iss`). Required.
    pub issuer: jwtmint_str,
    /// apns: Not used: must be absent. app-store-connect: Not used: must be
    /// absent. sign-in-with-apple: The Services ID / client ID (`sub`).
    /// Required.
    pub client_id: jwtmint_str,
    /// apns: Seconds a token is used before a fresh one, 1201..=3600; default
    /// 3000. app-store-connect: Seconds from now to `exp`, 1..=1200; default
    /// 1200. sign-in-with-apple: Seconds from now to `exp`, 1..=15777000;
    /// default 15777000.
    pub lifetime: i64,
}

reader!(read_apple(o: jwtmint_apple_options) [
    text(o.key_id), text(o.issuer), text(o.client_id), lifetime(o.lifetime),
]);

/// APNs provider token (ES256 .p8 key, --kid KEY_ID, --iss TEAM_ID; iat only;
/// mint only).
///
/// Signs ES256. Lifetime: default 3000 s, at most 3600 s. No token request: the
/// JWT is the credential (`jwtmint_profile_token_url` returns
/// `INVALID_ARGUMENT`).
///
/// Built, and failing, as every declared constructor (`jwtmint_profile`);
/// required: `key_id`, `issuer`.
///
/// # Safety
/// As every declared constructor.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_apns_profile_new(
    options: *const jwtmint_apple_options,
    out: *mut *mut jwtmint_profile,
) -> jwtmint_result {
    // SAFETY: forwarded caller contract.
    unsafe { construct("apns", options, NO_KEY, out, |o| read_apple(o)) }
}

/// App Store Connect API token (ES256, --kid, --iss ISSUER_ID, aud
/// appstoreconnect-v1, exp <= 20 min).
///
/// Signs ES256. Lifetime: default 1200 s, at most 1200 s. No token request: the
/// JWT is the credential (`jwtmint_profile_token_url` returns
/// `INVALID_ARGUMENT`).
///
/// Built, and failing, as every declared constructor (`jwtmint_profile`);
/// required: `key_id`, `issuer`.
///
/// # Safety
/// As every declared constructor.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_app_store_connect_profile_new(
    options: *const jwtmint_apple_options,
    out: *mut *mut jwtmint_profile,
) -> jwtmint_result {
    // SAFETY: forwarded caller contract.
    unsafe { construct("app-store-connect", options, NO_KEY, out, |o| read_apple(o)) }
}

/// Sign in with Apple client secret (ES256, --kid, --iss TEAM_ID, --sub
/// CLIENT_ID, exp <= 6 months).
///
/// Signs ES256. Lifetime: default 15777000 s, at most 15777000 s. No token
/// request: the JWT is the credential (`jwtmint_profile_token_url` returns
/// `INVALID_ARGUMENT`).
///
/// Built, and failing, as every declared constructor (`jwtmint_profile`);
/// required: `key_id`, `issuer`, `client_id`.
///
/// # Safety
/// As every declared constructor.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_sign_in_with_apple_profile_new(
    options: *const jwtmint_apple_options,
    out: *mut *mut jwtmint_profile,
) -> jwtmint_result {
    // SAFETY: forwarded caller contract.
    unsafe { construct("sign-in-with-apple", options, NO_KEY, out, |o| read_apple(o)) }
}

/// Options of `jwtmint_box_profile_new`. Zero-initialise it: an absent string
/// has a NULL `ptr`; 0 selects a lifetime's default.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct jwtmint_box_options {
    /// The app config JSON as downloaded from the Box developer console
    /// (`boxAppSettings` with `clientID`, `clientSecret`, `appAuth`
    /// `{publicKeyID, privateKey, passphrase}`, and `enterpriseID`); its
    /// passphrase-encrypted key is decrypted once and signs every JWT.
    /// Required.
    pub config_json: *const u8,
    /// Length of `config_json` in bytes.
    pub config_json_len: usize,
    /// A managed or app user ID (`box_sub_type` `user`); absent for the
    /// enterprise (`box_sub_type` `enterprise`).
    pub user_id: jwtmint_str,
    /// Seconds from now to `exp`, 1..=60; default 45.
    pub lifetime: i64,
}

reader!(read_box(o: jwtmint_box_options) [
    bytes(o.config_json, o.config_json_len), text(o.user_id), lifetime(o.lifetime),
]);

/// Box JWT (--box-config config.json with its encrypted key; --sub USER_ID or
/// the enterprise; exp <= 60 s).
///
/// Signs RS256. Lifetime: default 45 s, at most 60 s. The token request is the
/// RFC 7523 JWT bearer grant. The profile signs with the key its configuration
/// holds: pass NULL as the key to `jwtmint_profile_mint`.
///
/// Built, and failing, as every declared constructor (`jwtmint_profile`);
/// required: `config_json`.
///
/// # Safety
/// As every declared constructor.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_box_profile_new(
    options: *const jwtmint_box_options,
    out: *mut *mut jwtmint_profile,
) -> jwtmint_result {
    // SAFETY: forwarded caller contract.
    unsafe { construct("box", options, NO_KEY, out, |o| read_box(o)) }
}

/// A Google service account loaded from its JSON key file (opaque): the private
/// key is parsed once and owned by the handle. Immutable after creation: a
/// `const jwtmint_google_account *` may be shared by any number of threads.
/// Free it with `jwtmint_google_account_free` (the key is zeroised).
pub struct jwtmint_google_account(Loaded);

account_handle!(jwtmint_google_account);

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
    // SAFETY: forwarded caller contract.
    unsafe { account_new(json, len, out) }
}

/// Frees a service account handle. NULL is a no-op. Profiles made from it keep
/// their own reference to the key, which is zeroised when the last of them is
/// freed.
///
/// # Safety
/// `account` must be NULL or a handle from
/// `jwtmint_google_account_new_from_json` that was not freed yet and that no
/// other thread is still using.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_google_account_free(account: *mut jwtmint_google_account) {
    // SAFETY: forwarded caller contract.
    unsafe { free_handle(account) }
}

/// Copies the service account's `client_email` (the `iss` of its assertions)
/// into `out` (no NUL). Length negotiation as in `jwtmint_mint`.
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
    unsafe { account_text(account, "client_email", out, cap, out_len) }
}

/// Copies the service account's `token_uri` (the `aud` of its assertions and
/// the URL to POST the form body to) into `out` (no NUL). Length negotiation as
/// in `jwtmint_mint`.
///
/// # Safety
/// `account` NULL or live; `out` NULL (with `cap == 0`) or valid for `cap`
/// bytes; `out_len` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_google_account_token_uri(
    account: *const jwtmint_google_account,
    out: *mut u8,
    cap: usize,
    out_len: *mut usize,
) -> jwtmint_result {
    // SAFETY: forwarded caller contract.
    unsafe { account_text(account, "token_uri", out, cap, out_len) }
}

/// Copies the service account's `private_key_id` (the header's `kid`; empty if
/// the key file had none) into `out` (no NUL). Length negotiation as in
/// `jwtmint_mint`.
///
/// # Safety
/// `account` NULL or live; `out` NULL (with `cap == 0`) or valid for `cap`
/// bytes; `out_len` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_google_account_private_key_id(
    account: *const jwtmint_google_account,
    out: *mut u8,
    cap: usize,
    out_len: *mut usize,
) -> jwtmint_result {
    // SAFETY: forwarded caller contract.
    unsafe { account_text(account, "private_key_id", out, cap, out_len) }
}
