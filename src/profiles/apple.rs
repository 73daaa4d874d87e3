//! Apple: APNs provider tokens, App Store Connect API tokens and the Sign in
//! with Apple client secret — three ES256 JWTs signed with a `.p8` key (EC
//! P-256), each the credential itself (no exchange: `token_request()` is
//! `None`).
//!
//! Shared rules: header `alg` ES256 with `kid` = the 10-character Key ID;
//! the Team ID is 10 characters. An RSA or other key fails at mint with the
//! key's algorithm error (the profile names ES256, the key makes the signer).
//!
//! - **APNs** (developer.apple.com, "Establishing a token-based connection
//!   to APNs" —
//!   <https://developer.apple.com/documentation/usernotifications/establishing-a-token-based-connection-to-apns>):
//!   claims `iss` = Team ID and `iat` only (no `exp`); APNs rejects a token
//!   whose `iat` is more than one hour old (`ExpiredProviderToken`) and one
//!   refreshed more often than every 20 minutes
//!   (`TooManyProviderTokenUpdates`). `Limits`: `lifetime` 50 min by default
//!   (20 min < lifetime ≤ 60 min), `min_reuse` 20 min, `max_lifetime` 1 h.
//! - **App Store Connect** ("Generating Tokens for API Requests" —
//!   <https://developer.apple.com/documentation/appstoreconnectapi/generating-tokens-for-api-requests>):
//!   header also `typ: JWT`; `iss` = issuer ID, `iat`, `exp` — "tokens that
//!   expire more than 20 minutes into the future are not valid" (default and
//!   cap 20 min), `aud` = `appstoreconnect-v1`.
//! - **Sign in with Apple** ("Creating a client secret" —
//!   <https://developer.apple.com/documentation/accountorganizationaldatasharing/creating-a-client-secret>):
//!   `iss` = Team ID, `iat`, `exp` "not greater than 15777000 (6 months in
//!   seconds)" after `iat`, `aud` = `https://appleid.apple.com`, `sub` = the
//!   client ID (Services ID or App ID). The JWT is the `client_secret` of the
//!   authorization-code request, not an RFC 7523 assertion.
//!
//! ```
//! # #[cfg(feature = "es256")] {
//! use jwtmint::profiles::{Apns, Profile};
//! let apns = Apns::new("ABC123DEFG", "DEF123GHIJ").unwrap();
//! let c = apns.claims(1_700_000_000, None).unwrap();
//! assert_eq!((c.iss, c.iat, c.exp), (Some("DEF123GHIJ"), Some(1_700_000_000), None));
//! assert_eq!(apns.limits().min_reuse, Some(1200));
//! assert!(Apns::new("ABC123", "DEF123GHIJ").is_err()); // Key ID is 10 characters
//! # }
//! ```

use crate::alg::Algorithm;
use crate::claims::Claims;
use crate::error::{Error, Result};
use crate::header::{Header, HeaderTemplate};

use super::profile::{Limits, Profile};
use super::request::TokenRequest;
use super::rules::{Text, owned};

/// Length of Apple's Key ID and Team ID.
pub const ID_LEN: usize = 10;
/// APNs: a token older than one hour is rejected.
pub const APNS_MAX_AGE: i64 = 3600;
/// APNs: no fresh token more often than every 20 minutes.
pub const APNS_MIN_REFRESH: i64 = 1200;
/// APNs default re-mint interval: 50 minutes (inside 20..60 minutes).
pub const APNS_DEFAULT_LIFETIME: i64 = 3000;
/// App Store Connect: `exp` at most 20 minutes ahead.
pub const ASC_MAX_LIFETIME: i64 = 1200;
/// App Store Connect's `aud`.
pub const ASC_AUDIENCE: &str = "appstoreconnect-v1";
/// Sign in with Apple: `exp` at most 15777000 s (6 months) after `iat`.
pub const SIWA_MAX_LIFETIME: i64 = 15_777_000;
/// Sign in with Apple's `aud`.
pub const SIWA_AUDIENCE: &str = "https://appleid.apple.com";

/// Checks a 10-character Apple identifier (Key ID, Team ID).
fn apple_id(field: &'static str, v: &str) -> Result<Text> {
    if v.len() != ID_LEN || !v.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(Error::InvalidField {
            field,
            reason: "Apple Key IDs and Team IDs are 10 letters and digits",
        });
    }
    owned(field, v)
}

/// The ES256 header with `kid` (and `typ: JWT` when `typ`).
fn es256_header(kid: &str, typ: bool) -> Result<HeaderTemplate> {
    let kid = apple_id("kid", kid)?;
    let h = Header::new(Algorithm::Es256).kid(&kid);
    HeaderTemplate::new(&if typ { h } else { h.typ(None) })
}

fn no_jti(jti: Option<&str>, who: &'static str) -> Result<()> {
    match jti {
        None => Ok(()),
        Some(_) => Err(Error::InvalidField {
            field: "jti",
            reason: who,
        }),
    }
}

/// An APNs provider-token profile (ES256). Owns its configuration.
#[derive(Clone, Debug)]
pub struct Apns {
    team_id: Text,
    header: HeaderTemplate,
    lifetime: i64,
}

impl Apns {
    /// A profile for the `.p8` key `key_id` of team `team_id`.
    ///
    /// # Errors
    /// `InvalidField` for a Key ID or Team ID that is not 10 letters and digits.
    pub fn new(key_id: &str, team_id: &str) -> Result<Self> {
        Ok(Self {
            team_id: apple_id("iss", team_id)?,
            header: es256_header(key_id, false)?,
            lifetime: APNS_DEFAULT_LIFETIME,
        })
    }

    /// Sets how long a token is used before a fresh one is minted: more than
    /// 20 minutes, at most 60.
    ///
    /// # Errors
    /// `LifetimeTooLong` above one hour; `InvalidField { field: "lifetime" }`
    /// at or below 20 minutes.
    pub fn with_lifetime(mut self, seconds: i64) -> Result<Self> {
        super::rules::check_lifetime(seconds, APNS_MAX_AGE)?;
        if seconds <= APNS_MIN_REFRESH {
            return Err(Error::InvalidField {
                field: "lifetime",
                reason: "APNs refuses provider tokens refreshed more often than every 20 minutes",
            });
        }
        self.lifetime = seconds;
        Ok(self)
    }
}

impl Profile for Apns {
    super::rules::name_and_header!("apns");

    /// `iss` and `iat` only.
    fn claims<'s>(&'s self, now: i64, jti: Option<&'s str>) -> Result<Claims<'s>> {
        no_jti(jti, "APNs provider tokens carry only iss and iat")?;
        Ok(Claims::new().iss(&self.team_id).iat(now))
    }

    fn limits(&self) -> Limits {
        Limits::new(self.lifetime, Some(APNS_MAX_AGE)).min_reuse(APNS_MIN_REFRESH)
    }

    /// `None`: the token is sent as `authorization: bearer <jwt>`.
    fn token_request(&self) -> Option<TokenRequest<'_>> {
        None
    }
}

/// An App Store Connect API (team key) profile (ES256). Owns its configuration.
#[derive(Clone, Debug)]
pub struct AppStoreConnect {
    issuer_id: Text,
    header: HeaderTemplate,
    lifetime: i64,
}

impl AppStoreConnect {
    /// A profile for API key `key_id` of issuer `issuer_id` (a UUID).
    ///
    /// # Errors
    /// `InvalidField` for a bad Key ID or an issuer ID that is not a UUID.
    pub fn new(key_id: &str, issuer_id: &str) -> Result<Self> {
        let uuid = issuer_id.len() == 36
            && issuer_id.bytes().enumerate().all(|(i, b)| match i {
                8 | 13 | 18 | 23 => b == b'-',
                _ => b.is_ascii_hexdigit(),
            });
        if !uuid {
            return Err(Error::InvalidField {
                field: "iss",
                reason: "the App Store Connect issuer ID is a UUID (Users and Access > Integrations)",
            });
        }
        Ok(Self {
            issuer_id: owned("iss", issuer_id)?,
            header: es256_header(key_id, true)?,
            lifetime: ASC_MAX_LIFETIME,
        })
    }

    super::rules::with_lifetime!(ASC_MAX_LIFETIME, "exp - iat", "1200");
}

impl Profile for AppStoreConnect {
    super::rules::timed_profile!("app-store-connect", ASC_MAX_LIFETIME, |p, now| {
        Claims::new().iss(&p.issuer_id).iat(now).aud(ASC_AUDIENCE)
    });

    /// `None`: the token is the bearer credential of API requests.
    fn token_request(&self) -> Option<TokenRequest<'_>> {
        None
    }
}

/// A Sign in with Apple client-secret profile (ES256). Owns its configuration.
#[derive(Clone, Debug)]
pub struct SignInWithApple {
    team_id: Text,
    client_id: Text,
    header: HeaderTemplate,
    lifetime: i64,
}

impl SignInWithApple {
    /// A profile for key `key_id` of team `team_id` and the Services ID or
    /// App ID `client_id`; lifetime defaults to the 6-month maximum.
    ///
    /// # Errors
    /// `InvalidField` for bad IDs or an empty client ID.
    pub fn new(key_id: &str, team_id: &str, client_id: &str) -> Result<Self> {
        Ok(Self {
            team_id: apple_id("iss", team_id)?,
            client_id: owned("sub", client_id)?,
            header: es256_header(key_id, false)?,
            lifetime: SIWA_MAX_LIFETIME,
        })
    }

    super::rules::with_lifetime!(SIWA_MAX_LIFETIME, "exp - iat", "15777000");
}

impl Profile for SignInWithApple {
    super::rules::timed_profile!("sign-in-with-apple", SIWA_MAX_LIFETIME, |p, now| {
        Claims::new()
            .iss(&p.team_id)
            .iat(now)
            .aud(SIWA_AUDIENCE)
            .sub(&p.client_id)
    });

    /// `None`: the JWT is the `client_secret` of Apple's token request.
    fn token_request(&self) -> Option<TokenRequest<'_>> {
        None
    }
}

#[cfg(feature = "alloc")]
use super::declare::{Grant, KeyUse, Kind, Opt, Provider};

/// The options of the three Apple tokens (the C struct
/// `jwtmint_apple_options`); `client_id` is Sign in with Apple's only.
#[cfg(feature = "alloc")]
macro_rules! apple_options {
    ($issuer:literal, $client_id:ident, $lifetime:literal) => {
        &[
            Opt::required(
                "key_id",
                "kid",
                Kind::Text,
                "the 10-character Key ID of the .p8 key (`kid`)",
            ),
            Opt::required("issuer", "iss", Kind::Text, $issuer),
            Opt::$client_id(
                "client_id",
                "sub",
                Kind::Text,
                "the Services ID / client ID (`sub`)",
            ),
            Opt::lifetime($lifetime),
        ]
    };
}

/// What the three Apple declarations share: ES256 with the caller's .p8
/// key, one C options struct, no token request (the JWT is the credential).
#[cfg(feature = "alloc")]
const APPLE: Provider = Provider {
    c_options: "jwtmint_apple_options",
    algorithms: &[Algorithm::Es256],
    grant: Grant::SelfSigned,
    key: KeyUse::Caller,
    ..Provider::RS256
};

/// The APNs declaration (C `jwtmint_apns_profile_new`, CLI `--profile apns`).
#[cfg(feature = "alloc")]
pub const APNS_PROVIDER: Provider = Provider {
    name: "apns",
    summary: "APNs provider token (ES256 .p8 key, --kid KEY_ID, --iss TEAM_ID; iat only; mint only)",
    lifetime: (APNS_DEFAULT_LIFETIME, APNS_MAX_AGE),
    options: apple_options!(
        "the 10-character Team ID (`iss`)",
        unused,
        "seconds a token is used before a fresh one, 1201..=3600; default 3000"
    ),
    build: |v| {
        let p = Apns::new(v.required("key_id")?, v.required("issuer")?)?;
        v.finish(p, Apns::with_lifetime)
    },
    ..APPLE
};

/// The App Store Connect declaration (C
/// `jwtmint_app_store_connect_profile_new`, CLI `--profile app-store-connect`).
#[cfg(feature = "alloc")]
pub const ASC_PROVIDER: Provider = Provider {
    name: "app-store-connect",
    summary: "App Store Connect API token (ES256, --kid, --iss ISSUER_ID, aud appstoreconnect-v1, exp <= 20 min)",
    lifetime: (ASC_MAX_LIFETIME, ASC_MAX_LIFETIME),
    options: apple_options!(
        "the issuer ID, a UUID (`iss`)",
        unused,
        "seconds from now to `exp`, 1..=1200; default 1200"
    ),
    build: |v| {
        let p = AppStoreConnect::new(v.required("key_id")?, v.required("issuer")?)?;
        v.finish(p, AppStoreConnect::with_lifetime)
    },
    ..APPLE
};

/// The Sign in with Apple declaration (C
/// `jwtmint_sign_in_with_apple_profile_new`, CLI `--profile sign-in-with-apple`).
#[cfg(feature = "alloc")]
pub const SIWA_PROVIDER: Provider = Provider {
    name: "sign-in-with-apple",
    summary: "Sign in with Apple client secret (ES256, --kid, --iss TEAM_ID, --sub CLIENT_ID, exp <= 6 months)",
    lifetime: (SIWA_MAX_LIFETIME, SIWA_MAX_LIFETIME),
    options: apple_options!(
        "the 10-character Team ID (`iss`)",
        required,
        "seconds from now to `exp`, 1..=15777000; default 15777000"
    ),
    build: |v| {
        let p = SignInWithApple::new(
            v.required("key_id")?,
            v.required("issuer")?,
            v.required("client_id")?,
        )?;
        v.finish(p, SignInWithApple::with_lifetime)
    },
    ..APPLE
};
