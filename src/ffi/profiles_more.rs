//! C constructors for the Snowflake, DocuSign, Apple and Box profiles (not
//! yet declared in `crate::profiles::declare`; the declared ones are
//! generated into `providers.rs`): each builds the library profile from an options struct into the
//! same opaque `jwtmint_profile` handle (src/ffi/profiles.rs), used with
//! `jwtmint_profile_mint`, `jwtmint_profile_token_url`,
//! `jwtmint_profile_token_request_body` and freed with `jwtmint_profile_free`.

use alloc::boxed::Box;

use super::claims::jwtmint_str;
use super::key::jwtmint_key;
use super::panic::guard;
use super::profiles::{OwnKey, jwtmint_profile, lifetime_or, store};
use super::result::jwtmint_result;
use super::util::{array, need, reference};
use crate::profiles::{
    BoxApp, BoxConfig, BoxSubject, DocuSign, DocuSignEnv, Profile, Snowflake, boxcom, docusign,
    snowflake,
};

type Built = Result<Box<dyn Profile + Send + Sync>, jwtmint_result>;

/// The shared body of every constructor: checks `out` and `options`, builds,
/// stores.
///
/// # Safety
/// `options` NULL or valid (with its strings NULL or valid for their
/// lengths, which `make` relies on); `out` NULL or writable.
unsafe fn build<O>(
    options: *const O,
    out: *mut *mut jwtmint_profile,
    make: impl FnOnce(&O) -> Built,
) -> jwtmint_result {
    guard(|| {
        need(out)?;
        // SAFETY: the caller promises `options` is NULL or valid.
        let o = unsafe { reference(options) }?;
        let p = make(o)?;
        // SAFETY: `out` is non-NULL and the caller promises it is writable.
        unsafe { store(p, None, out) };
        Ok(())
    })
}

/// A Snowflake key-pair JWT: RS256, `iss` = `ACCOUNT.USER.SHA256:<fp>` with
/// the fingerprint computed from the key, `sub` = `ACCOUNT.USER` (upper
/// case, region dropped from an account locator), `iat` = now, `exp` = now +
/// lifetime (at most 3600 s). No token request: the JWT is the bearer
/// credential (`jwtmint_profile_token_url` returns `INVALID_ARGUMENT`).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct jwtmint_snowflake_options {
    /// Account identifier: `orgname-accountname` or an account locator
    /// (`xy12345` or `xy12345.us-east-2.aws`). Required.
    pub account: jwtmint_str,
    /// The Snowflake user name (required).
    pub user: jwtmint_str,
    /// Seconds from now to `exp`, 1..=3600; 0 selects the default, 3600.
    pub lifetime: i64,
}

/// Builds a Snowflake profile for `key` (the key the JWTs are then signed
/// with, passed again to `jwtmint_profile_mint`) into `*out`.
///
/// Errors: `NULL_ARGUMENT`, `INVALID_UTF8`, `INVALID_FIELD` (bad account,
/// user with '.'), `LIFETIME_TOO_LONG`, `LIFETIME_NOT_POSITIVE`.
///
/// # Safety
/// `options` NULL or valid with every string NULL or valid for its length;
/// `key` NULL or live; `out` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_snowflake_profile_new(
    options: *const jwtmint_snowflake_options,
    key: *const jwtmint_key,
    out: *mut *mut jwtmint_profile,
) -> jwtmint_result {
    // SAFETY: forwarded caller contract.
    unsafe {
        build(options, out, |o| {
            let key = reference(key)?;
            let (account, user) = (o.account.required()?, o.user.required()?);
            let p = Snowflake::new(account, user, &key.key)?
                .with_lifetime(lifetime_or(o.lifetime, snowflake::MAX_LIFETIME))?;
            Ok(Box::new(p))
        })
    }
}

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

/// A DocuSign JWT grant: RS256, `iss` = integration key, `sub` = user ID,
/// `aud` = the host name, `scope` (must contain `impersonation`), `iat` =
/// now, `exp` = now + lifetime (at most 3600 s); RFC 7523 grant to
/// `https://<aud>/oauth/token`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct jwtmint_docusign_options {
    /// The integration key (required).
    pub integration_key: jwtmint_str,
    /// The impersonated user's ID (required).
    pub user_id: jwtmint_str,
    /// A `jwtmint_docusign_env` value.
    pub environment: u32,
    /// Space-separated scopes; absent for `signature impersonation`.
    pub scope: jwtmint_str,
    /// Seconds from now to `exp`, 1..=3600; 0 selects the default, 3600.
    pub lifetime: i64,
}

/// Builds a DocuSign profile into `*out`.
///
/// Errors: `NULL_ARGUMENT`, `INVALID_ARGUMENT` (unknown environment),
/// `INVALID_UTF8`, `INVALID_FIELD` (empty values, scope without
/// `impersonation`), `LIFETIME_TOO_LONG`, `LIFETIME_NOT_POSITIVE`.
///
/// # Safety
/// `options` NULL or valid with every string NULL or valid for its length;
/// `out` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_docusign_profile_new(
    options: *const jwtmint_docusign_options,
    out: *mut *mut jwtmint_profile,
) -> jwtmint_result {
    // SAFETY: forwarded caller contract.
    unsafe {
        build(options, out, |o| {
            let env = match o.environment {
                0 => DocuSignEnv::Demo,
                1 => DocuSignEnv::Production,
                _ => return Err(jwtmint_result::JWTMINT_RESULT_INVALID_ARGUMENT),
            };
            let (ik, uid) = (o.integration_key.required()?, o.user_id.required()?);
            let mut p = DocuSign::new(ik, uid, env)?
                .with_lifetime(lifetime_or(o.lifetime, docusign::MAX_LIFETIME))?;
            if let Some(s) = o.scope.optional()? {
                p = p.with_scope(s)?;
            }
            Ok(Box::new(p))
        })
    }
}

/// An Apple ES256 token (`jwtmint_apns_profile_new`,
/// `jwtmint_app_store_connect_profile_new`,
/// `jwtmint_sign_in_with_apple_profile_new`), signed with the `.p8` key
/// (EC P-256; an RSA key fails at mint with `KEY_ALGORITHM_MISMATCH`-class
/// errors). None has a token request: the JWT is the credential.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct jwtmint_apple_options {
    /// The 10-character Key ID (`kid`, required).
    pub key_id: jwtmint_str,
    /// `iss`: the 10-character Team ID (APNs, Sign in with Apple) or the
    /// issuer ID UUID (App Store Connect). Required.
    pub issuer: jwtmint_str,
    /// Sign in with Apple: the client ID (`sub`, required there); must be
    /// absent for the others (`INVALID_ARGUMENT`).
    pub client_id: jwtmint_str,
    /// APNs: seconds a token is used before a fresh one (1201..=3600,
    /// default 3000); App Store Connect: `exp - iat` (at most 1200, the
    /// default); Sign in with Apple: `exp - iat` (at most 15777000, the
    /// default). 0 selects the default.
    pub lifetime: i64,
}

/// Which Apple profile to build.
#[cfg(feature = "es256")]
#[derive(Clone, Copy, PartialEq, Eq)]
enum AppleKind {
    Apns,
    AppStoreConnect,
    SignInWithApple,
}

/// # Safety
/// As the three public constructors.
#[cfg(feature = "es256")]
unsafe fn apple(
    options: *const jwtmint_apple_options,
    out: *mut *mut jwtmint_profile,
    kind: AppleKind,
) -> jwtmint_result {
    use crate::profiles::{Apns, AppStoreConnect, SignInWithApple, apple};
    // SAFETY: forwarded caller contract.
    unsafe {
        build(options, out, |o| {
            let (kid, iss) = (o.key_id.required()?, o.issuer.required()?);
            let client_id = o.client_id.optional()?;
            if (kind == AppleKind::SignInWithApple) != client_id.is_some() {
                return Err(if client_id.is_some() {
                    jwtmint_result::JWTMINT_RESULT_INVALID_ARGUMENT
                } else {
                    jwtmint_result::JWTMINT_RESULT_NULL_ARGUMENT
                });
            }
            Ok(match (kind, client_id) {
                (AppleKind::Apns, _) => Box::new(
                    Apns::new(kid, iss)?
                        .with_lifetime(lifetime_or(o.lifetime, apple::APNS_DEFAULT_LIFETIME))?,
                ),
                (AppleKind::AppStoreConnect, _) => Box::new(
                    AppStoreConnect::new(kid, iss)?
                        .with_lifetime(lifetime_or(o.lifetime, apple::ASC_MAX_LIFETIME))?,
                ),
                (AppleKind::SignInWithApple, sub) => Box::new(
                    SignInWithApple::new(kid, iss, sub.unwrap_or_default())?
                        .with_lifetime(lifetime_or(o.lifetime, apple::SIWA_MAX_LIFETIME))?,
                ),
            })
        })
    }
}

/// Builds an APNs provider-token profile (`iss` Team ID and `iat` only)
/// into `*out`.
///
/// Errors: `NULL_ARGUMENT`, `INVALID_ARGUMENT` (`client_id` given),
/// `INVALID_UTF8`, `INVALID_FIELD` (IDs not 10 letters and digits, lifetime
/// at or under 20 minutes), `LIFETIME_TOO_LONG`.
///
/// # Safety
/// `options` NULL or valid with every string NULL or valid for its length;
/// `out` NULL or valid for a write.
#[cfg(feature = "es256")]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_apns_profile_new(
    options: *const jwtmint_apple_options,
    out: *mut *mut jwtmint_profile,
) -> jwtmint_result {
    // SAFETY: forwarded caller contract.
    unsafe { apple(options, out, AppleKind::Apns) }
}

/// Builds an App Store Connect API token profile into `*out`.
///
/// Errors: as `jwtmint_apns_profile_new`; `INVALID_FIELD` for an issuer ID
/// that is not a UUID; `LIFETIME_TOO_LONG` above 1200 s.
///
/// # Safety
/// As `jwtmint_apns_profile_new`.
#[cfg(feature = "es256")]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_app_store_connect_profile_new(
    options: *const jwtmint_apple_options,
    out: *mut *mut jwtmint_profile,
) -> jwtmint_result {
    // SAFETY: forwarded caller contract.
    unsafe { apple(options, out, AppleKind::AppStoreConnect) }
}

/// Builds a Sign in with Apple client-secret profile into `*out`
/// (`client_id` required).
///
/// Errors: as `jwtmint_apns_profile_new`; `LIFETIME_TOO_LONG` above
/// 15777000 s.
///
/// # Safety
/// As `jwtmint_apns_profile_new`.
#[cfg(feature = "es256")]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_sign_in_with_apple_profile_new(
    options: *const jwtmint_apple_options,
    out: *mut *mut jwtmint_profile,
) -> jwtmint_result {
    // SAFETY: forwarded caller contract.
    unsafe { apple(options, out, AppleKind::SignInWithApple) }
}

/// A Box JWT (Box Platform server authentication): RS256 with `kid` = the
/// config's `publicKeyID`, `iss` = `clientID`, `sub` = the enterprise ID or a
/// user ID with `box_sub_type`, `aud` = the Box token URL, a random `jti`,
/// `exp` at most 60 s ahead. The key is the config's passphrase-encrypted
/// private key, decrypted once here: pass NULL as the key to
/// `jwtmint_profile_mint`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct jwtmint_box_options {
    /// The app config JSON as downloaded from the Box developer console
    /// (`boxAppSettings` with `clientID`, `clientSecret`, `appAuth`
    /// `{publicKeyID, privateKey, passphrase}`, and `enterpriseID`). Required.
    pub config_json: *const u8,
    /// Length of `config_json` in bytes.
    pub config_json_len: usize,
    /// A managed or app user ID (`box_sub_type` `user`); absent (NULL
    /// `ptr`) for the enterprise (`box_sub_type` `enterprise`).
    pub user_id: jwtmint_str,
    /// Seconds from now to `exp`, 1..=60; 0 selects the default, 45.
    pub lifetime: i64,
}

/// Builds a Box profile (with its own key, from the config) into `*out`.
///
/// Errors: `NULL_ARGUMENT`, `INVALID_UTF8`, the JSON and key errors of the
/// config (`WRONG_PASSPHRASE` when its passphrase does not open its key),
/// `INVALID_FIELD` (no `enterpriseID` for the enterprise, empty user ID),
/// `LIFETIME_TOO_LONG`, `LIFETIME_NOT_POSITIVE`.
///
/// # Safety
/// `options` NULL or valid with `config_json` valid for `config_json_len`
/// bytes and `user_id` NULL or valid for its length; `out` NULL or valid for
/// a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_box_profile_new(
    options: *const jwtmint_box_options,
    out: *mut *mut jwtmint_profile,
) -> jwtmint_result {
    guard(|| {
        need(out)?;
        // SAFETY: the caller promises `options` is NULL or valid.
        let o = unsafe { reference(options) }?;
        // SAFETY: the caller promises `config_json` is valid for its length.
        let json = unsafe { array(o.config_json, o.config_json_len) }?;
        if json.is_empty() {
            return Err(jwtmint_result::JWTMINT_RESULT_NULL_ARGUMENT);
        }
        let config = alloc::sync::Arc::new(BoxConfig::from_json(json)?);
        // SAFETY: the caller promises `user_id` is NULL or valid.
        let subject = match unsafe { o.user_id.optional() }? {
            Some(id) => BoxSubject::User(id),
            None => BoxSubject::Enterprise,
        };
        let p = BoxApp::new(alloc::sync::Arc::clone(&config), subject)?
            .with_lifetime(lifetime_or(o.lifetime, boxcom::DEFAULT_LIFETIME))?;
        // SAFETY: `out` is non-NULL and the caller promises it is writable.
        unsafe { store(Box::new(p), Some(OwnKey::Box(config)), out) };
        Ok(())
    })
}
