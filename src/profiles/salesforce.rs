//! Salesforce OAuth 2.0 JWT bearer flow.
//!
//! Rules (Salesforce Help, "OAuth 2.0 JWT Bearer Flow for Server-to-Server
//! Integration"): header `{"alg":"RS256"}`; `iss` = the connected app's
//! consumer key; `sub` = the username; `aud` = `https://login.salesforce.com`,
//! `https://test.salesforce.com`, or the Experience Cloud site / My Domain URL;
//! `exp` "within 3 minutes" — so `exp` ≤ now + 180 s, and longer is refused.
//! The token endpoint is `<aud>/services/oauth2/token`; the body is the
//! RFC 7523 §2.1 grant.
//!
//! ```
//! # #[cfg(feature = "std")] {
//! use jwtmint::profiles::{Login, Profile, Salesforce};
//! let key = jwtmint::SigningKey::from_pem(include_str!("../../examples/keys/demo-key.pem")).unwrap();
//! let sf = Salesforce::new("3MVG9...consumer-key", "user@example.com", Login::Sandbox).unwrap();
//! let mut out = [0u8; 1024];
//! let n = jwtmint::profiles::mint_profile(&sf, &key, 1_700_000_000, None, &mut out).unwrap();
//! assert_eq!(sf.token_url(), Some("https://test.salesforce.com/services/oauth2/token"));
//! assert!(sf.clone().with_lifetime(600).is_err()); // Salesforce allows 3 minutes at most
//! # }
//! ```

use crate::alg::Algorithm;
use crate::claims::Claims;
use crate::error::{Error, Result};
use crate::header::{Header, HeaderTemplate};

#[cfg(feature = "alloc")]
use super::declare::{Kind, Opt, Provider};
use super::grants::Grant;
use super::profile::{Limits, Profile};
use super::request::{Params, TokenRequest};
use super::rules::{Text, owned};
use super::url::check_https_url;

/// Salesforce's limit on the assertion lifetime: 3 minutes.
pub const MAX_LIFETIME: i64 = 180;
/// Production login host.
pub const PRODUCTION: &str = "https://login.salesforce.com";
/// Sandbox login host.
pub const SANDBOX: &str = "https://test.salesforce.com";
/// Path of the token endpoint below the login URL.
pub const TOKEN_PATH: &str = "/services/oauth2/token";

/// Which Salesforce login server is the audience.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Login<'a> {
    /// `https://login.salesforce.com`.
    Production,
    /// `https://test.salesforce.com`.
    Sandbox,
    /// A My Domain or Experience Cloud URL, e.g. `https://acme.my.salesforce.com`
    /// or `https://site.force.com/customers` (https, no trailing slash).
    Custom(&'a str),
}

/// A Salesforce JWT bearer assertion profile (RS256). Owns its configuration.
#[derive(Clone, Debug)]
pub struct Salesforce {
    consumer_key: Text,
    username: Text,
    audience: Text,
    token_url: heapless::String<{ super::rules::FIELD_CAPACITY + TOKEN_PATH.len() }>,
    lifetime: i64,
    header: HeaderTemplate,
}

impl Salesforce {
    /// A profile with the maximum lifetime (180 s).
    ///
    /// # Errors
    /// `InvalidField` for an empty or over-long consumer key or username;
    /// `InvalidAudience` for a custom URL that is not a bare https URL.
    pub fn new(consumer_key: &str, username: &str, login: Login<'_>) -> Result<Self> {
        let consumer_key = owned("consumer_key", consumer_key)?;
        let username = owned("username", username)?;
        let audience = match login {
            Login::Production => PRODUCTION,
            Login::Sandbox => SANDBOX,
            Login::Custom(url) => {
                check_https_url(url)?;
                url
            }
        };
        let too_long = |_| Error::InvalidAudience {
            reason: "login URL longer than 256 bytes",
        };
        let audience = Text::try_from(audience).map_err(too_long)?;
        let mut token_url = heapless::String::new();
        token_url.push_str(&audience).map_err(too_long)?;
        token_url.push_str(TOKEN_PATH).map_err(too_long)?;
        // Salesforce documents exactly {"alg":"RS256"}.
        let header = HeaderTemplate::new(&Header::new(Algorithm::Rs256).typ(None))?;
        Ok(Self {
            consumer_key,
            username,
            audience,
            token_url,
            lifetime: MAX_LIFETIME,
            header,
        })
    }

    super::rules::with_lifetime!(MAX_LIFETIME, "exp - now", "180");

    /// The `aud` value (the login URL).
    pub fn audience(&self) -> &str {
        &self.audience
    }
}

impl Profile for Salesforce {
    super::rules::timed_profile!("salesforce", MAX_LIFETIME, |p, now| Claims::new()
        .iss(&p.consumer_key)
        .sub(&p.username)
        .aud(&p.audience));

    fn token_request(&self) -> Option<TokenRequest<'_>> {
        Some(TokenRequest::post(
            &self.token_url,
            Grant::JwtBearer,
            Params::new(),
        ))
    }
}

impl<'a> Login<'a> {
    /// The login for an `aud` URL: the production and sandbox URLs name
    /// their login, any other is a custom one.
    pub fn from_url(url: &'a str) -> Self {
        match url {
            PRODUCTION => Login::Production,
            SANDBOX => Login::Sandbox,
            custom => Login::Custom(custom),
        }
    }
}

/// The Salesforce declaration (C `jwtmint_salesforce_profile_new`, CLI
/// `--profile salesforce`). The CLI gives the login as one `--aud` URL;
/// C as the `login` choice (`jwtmint_salesforce_login`) plus `custom_url`.
#[cfg(feature = "alloc")]
pub const PROVIDER: Provider = Provider {
    name: "salesforce",
    summary: "Salesforce JWT bearer flow (aud login/test/My Domain, exp <= 3 min)",
    c_options: "jwtmint_salesforce_options",
    lifetime: (MAX_LIFETIME, MAX_LIFETIME),
    options: &[
        Opt::required(
            "consumer_key",
            "iss",
            Kind::Text,
            "the connected app's consumer key (`iss`)",
        ),
        Opt::required(
            "username",
            "sub",
            Kind::Text,
            "the Salesforce username (`sub`)",
        ),
        Opt::optional(
            "login",
            "login",
            Kind::Choice(&["production", "sandbox", "custom"]),
            "the login server (`aud`): production (`https://login.salesforce.com`), sandbox (`https://test.salesforce.com`) or custom (`custom_url`; the CLI infers it from --aud)",
        )
        .c_enum(
            "jwtmint_salesforce_login",
            &[
                ("JWTMINT_SALESFORCE_PRODUCTION", "`https://login.salesforce.com`."),
                ("JWTMINT_SALESFORCE_SANDBOX", "`https://test.salesforce.com`."),
                (
                    "JWTMINT_SALESFORCE_CUSTOM",
                    "A My Domain or Experience Cloud URL given in `custom_url`.",
                ),
            ],
        ),
        Opt::when(
            ("login", 2),
            "custom_url",
            "aud",
            Kind::Text,
            "the login URL (`aud`): a bare https URL such as `https://acme.my.salesforce.com` (no trailing slash, query or fragment); required with the custom login, absent with the others",
        ),
        Opt::lifetime("seconds from now to `exp`, 1..=180; default 180"),
    ],
    build: |v| {
        let login = match (v.choice("login"), v.text("custom_url")) {
            (Some(0), _) => Login::Production,
            (Some(1), _) => Login::Sandbox,
            (_, url) => Login::from_url(url.unwrap_or(PRODUCTION)),
        };
        let p = Salesforce::new(v.required("consumer_key")?, v.required("username")?, login)?;
        v.finish(p, Salesforce::with_lifetime)
    },
    ..Provider::RS256
};
