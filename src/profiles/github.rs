//! GitHub App JWTs, exchanged for an installation access token.
//!
//! Rules (docs.github.com, "Generating a JSON Web Token (JWT) for a GitHub
//! App" —
//! <https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/generating-a-json-web-token-jwt-for-a-github-app>
//! — and "Generating an installation access token for a GitHub App"):
//! `alg` RS256 ("must be signed using the RS256 algorithm"); `iss` = the
//! app's client ID (recommended) or app ID; `iat` "60 seconds in the past"
//! against clock drift; `exp` "no more than 10 minutes into the future" —
//! `exp` ≤ now + 600 s, longer refused, default 540 s. No `aud`, `sub` or
//! `jti`. The JWT is sent as `Authorization: Bearer <jwt>` in a `POST
//! /app/installations/{installation_id}/access_tokens` (no form body), with
//! `Accept: application/vnd.github+json` and `X-GitHub-Api-Version`.
//!
//! ```
//! # #[cfg(feature = "std")] {
//! use jwtmint::profiles::{GitHubApp, Profile};
//! let key = jwtmint::SigningKey::from_pem(include_str!("../../examples/keys/demo-key.pem")).unwrap();
//! let app = GitHubApp::new("Iv23liABCDEF12345678", 4242).unwrap();
//! assert_eq!(app.token_url(), Some("https://api.github.com/app/installations/4242/access_tokens"));
//! let c = app.claims(1_700_000_000, None).unwrap();
//! assert_eq!((c.iat, c.exp), (Some(1_699_999_940), Some(1_700_000_540)));
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
use super::rules::{FIELD_CAPACITY, Text, owned};
use super::url::check_https_url;

/// Default lifetime (`exp - now`): 9 minutes.
pub const DEFAULT_LIFETIME: i64 = 540;
/// GitHub: `exp` "no more than 10 minutes into the future".
pub const MAX_LIFETIME: i64 = 600;
/// GitHub: set `iat` "60 seconds in the past" against clock drift.
pub const BACKDATE: i64 = 60;
/// The REST API root for github.com.
pub const API: &str = "https://api.github.com";
/// The headers GitHub documents for the installation-token request.
pub const HEADERS: &[(&str, &str)] = &[
    ("Accept", "application/vnd.github+json"),
    ("X-GitHub-Api-Version", "2022-11-28"),
];

/// A GitHub App profile (RS256). Owns its configuration.
#[derive(Clone, Debug)]
pub struct GitHubApp {
    issuer: Text,
    token_url: heapless::String<{ FIELD_CAPACITY + 64 }>,
    header: HeaderTemplate,
    lifetime: i64,
}

impl GitHubApp {
    /// A profile for github.com: `issuer` is the app's client ID (or numeric
    /// app ID), `installation` the installation whose token is requested.
    ///
    /// # Errors
    /// `InvalidField` for an empty, over-long or non-alphanumeric issuer, or
    /// installation 0.
    pub fn new(issuer: &str, installation: u64) -> Result<Self> {
        Self::with_api(API, issuer, installation)
    }

    /// A profile for GitHub Enterprise Server (`api` = `https://HOST/api/v3`).
    ///
    /// # Errors
    /// As [`GitHubApp::new`]; `InvalidAudience` for a bad API URL.
    pub fn with_api(api: &str, issuer: &str, installation: u64) -> Result<Self> {
        check_https_url(api)?;
        if !issuer.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(Error::InvalidField {
                field: "iss",
                reason: "GitHub's iss is the app's client ID or numeric app ID (letters and digits)",
            });
        }
        if installation == 0 {
            return Err(Error::InvalidField {
                field: "installation_id",
                reason: "must be a GitHub installation id (not 0)",
            });
        }
        let mut digits = itoa::Buffer::new();
        let mut token_url = heapless::String::new();
        for part in [
            api,
            "/app/installations/",
            digits.format(installation),
            "/access_tokens",
        ] {
            token_url
                .push_str(part)
                .map_err(|_| Error::InvalidAudience {
                    reason: "API URL longer than 256 bytes",
                })?;
        }
        Ok(Self {
            issuer: owned("iss", issuer)?,
            token_url,
            // GitHub: "must be signed using the RS256 algorithm".
            header: HeaderTemplate::new(&Header::new(Algorithm::Rs256))?,
            lifetime: DEFAULT_LIFETIME,
        })
    }

    super::rules::with_lifetime!(MAX_LIFETIME, "exp - now", "600");
}

impl Profile for GitHubApp {
    super::rules::timed_profile!("github-app", MAX_LIFETIME, |p, now| Claims::new()
        .iss(&p.issuer)
        .iat(now.checked_sub(BACKDATE).ok_or(Error::LengthOverflow)?));

    fn token_request(&self) -> Option<TokenRequest<'_>> {
        Some(
            TokenRequest::post(&self.token_url, Grant::BearerHeader, Params::new())
                .with_headers(HEADERS),
        )
    }
}

/// The GitHub App declaration (C `jwtmint_github_app_profile_new`, CLI
/// `--profile github-app`).
#[cfg(feature = "alloc")]
pub const PROVIDER: Provider = Provider {
    name: "github-app",
    summary: "GitHub App JWT (RS256, iat - 60 s, exp <= 10 min; mint only: the JWT is a bearer header)",
    c_options: "jwtmint_github_app_options",
    lifetime: (DEFAULT_LIFETIME, MAX_LIFETIME),
    grant: Grant::BearerHeader,
    options: &[
        Opt::required(
            "issuer",
            "iss",
            Kind::Text,
            "the app's client ID (recommended) or numeric app ID (`iss`)",
        ),
        Opt::required(
            "installation_id",
            "installation-id",
            Kind::U64,
            "the installation whose access token is requested (not 0)",
        ),
        Opt::optional(
            "api_url",
            "api-url",
            Kind::Text,
            "REST API root for GitHub Enterprise Server (`https://HOST/api/v3`); absent for `https://api.github.com`",
        ),
        Opt::lifetime("seconds from now to `exp`, 1..=600; default 540"),
    ],
    build: |v| {
        let id = v.u64("installation_id").unwrap_or(0);
        let p = GitHubApp::with_api(v.text("api_url").unwrap_or(API), v.required("issuer")?, id)?;
        v.finish(p, GitHubApp::with_lifetime)
    },
    ..Provider::RS256
};
