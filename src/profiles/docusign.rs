//! DocuSign JWT Grant (RFC 7523 §2.1 with impersonation).
//!
//! Rules (DocuSign Developer Center, "JSON Web Token (JWT) Grant" /
//! "How to get an access token with JWT Grant authentication" —
//! <https://developers.docusign.com/platform/auth/jwt/jwt-get-token/> —
//! and "Service Integration Authentication",
//! <https://docs.docusign.com/esign/guide/authentication/oa2_jwt.html>):
//! header `{"alg":"RS256","typ":"JWT"}`; `iss` = the integration key;
//! `sub` = the impersonated user's ID (GUID); `aud` = the authentication
//! server's **host name** — `account-d.docusign.com` (developer/demo) or
//! `account.docusign.com` (production), no scheme; `iat` = now; `exp` at most
//! one hour after `iat` — longer refused, default one hour; `scope` =
//! `signature impersonation` (impersonation is required for the JWT grant;
//! more scopes may be added). The grant is posted to `https://<aud>/oauth/token`.
//!
//! ```
//! # #[cfg(feature = "std")] {
//! use jwtmint::profiles::{DocuSign, DocuSignEnv, Profile};
//! let d = DocuSign::new("4f2ad6e3-0000-4000-8000-1234567890ab",
//!     "9c1a5a10-0000-4000-8000-1234567890ab", DocuSignEnv::Demo).unwrap();
//! assert_eq!(d.token_url(), Some("https://account-d.docusign.com/oauth/token"));
//! assert!(d.with_scope("signature").is_err()); // impersonation is required
//! # }
//! ```

use crate::alg::Algorithm;
use crate::claims::Claims;
use crate::error::{Error, Result};
use crate::header::{Header, HeaderTemplate};

#[cfg(feature = "alloc")]
use super::declare::{Kind, Opt, Provider, with_opt};
use super::grants::Grant;
use super::profile::{Limits, Profile};
use super::request::{Params, TokenRequest};
use super::rules::{Text, owned};

/// DocuSign: `exp` at most one hour after `iat`.
pub const MAX_LIFETIME: i64 = 3600;
/// The scope DocuSign documents for the JWT grant.
pub const DEFAULT_SCOPE: &str = "signature impersonation";
/// Developer (demo) authentication server host.
pub const DEMO: &str = "account-d.docusign.com";
/// Production authentication server host.
pub const PRODUCTION: &str = "account.docusign.com";

/// Which DocuSign authentication server is the audience.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocuSignEnv {
    /// `account-d.docusign.com` (developer account).
    Demo,
    /// `account.docusign.com`.
    Production,
}

/// A DocuSign JWT Grant profile (RS256). Owns its configuration.
#[derive(Clone, Debug)]
pub struct DocuSign {
    integration_key: Text,
    user_id: Text,
    audience: &'static str,
    token_url: &'static str,
    scope: Text,
    header: HeaderTemplate,
    lifetime: i64,
}

impl DocuSign {
    /// A profile with scope `signature impersonation` and a one-hour lifetime.
    ///
    /// # Errors
    /// `InvalidField` for an empty or over-long integration key or user ID.
    pub fn new(integration_key: &str, user_id: &str, env: DocuSignEnv) -> Result<Self> {
        let (audience, token_url) = match env {
            DocuSignEnv::Demo => (DEMO, "https://account-d.docusign.com/oauth/token"),
            DocuSignEnv::Production => (PRODUCTION, "https://account.docusign.com/oauth/token"),
        };
        Ok(Self {
            integration_key: owned("integration_key", integration_key)?,
            user_id: owned("user_id", user_id)?,
            audience,
            token_url,
            scope: owned("scope", DEFAULT_SCOPE)?,
            header: HeaderTemplate::new(&Header::new(Algorithm::Rs256))?,
            lifetime: MAX_LIFETIME,
        })
    }

    /// Sets the space-separated `scope`; it must contain `impersonation`.
    ///
    /// # Errors
    /// `InvalidField { field: "scope" }` without `impersonation`, or empty.
    pub fn with_scope(mut self, scope: &str) -> Result<Self> {
        if !scope.split(' ').any(|s| s == "impersonation") {
            return Err(Error::InvalidField {
                field: "scope",
                reason: "DocuSign's JWT grant needs the impersonation scope (e.g. \"signature impersonation\")",
            });
        }
        self.scope = owned("scope", scope)?;
        Ok(self)
    }

    super::rules::with_lifetime!(MAX_LIFETIME, "exp - iat", "3600");

    /// The `aud` value: a host name, not a URL.
    pub fn audience(&self) -> &str {
        self.audience
    }
}

impl Profile for DocuSign {
    super::rules::timed_profile!("docusign", MAX_LIFETIME, |p, now| Claims::new()
        .iss(&p.integration_key)
        .sub(&p.user_id)
        .aud(p.audience)
        .iat(now)
        .scope(&p.scope));

    fn token_request(&self) -> Option<TokenRequest<'_>> {
        Some(TokenRequest::post(
            self.token_url,
            Grant::JwtBearer,
            Params::new(),
        ))
    }
}

/// The DocuSign declaration (C `jwtmint_docusign_profile_new`, CLI
/// `--profile docusign`).
#[cfg(feature = "alloc")]
pub const PROVIDER: Provider = Provider {
    name: "docusign",
    summary: "DocuSign JWT grant (aud account-d/account.docusign.com, scope signature impersonation, exp <= 1 h)",
    c_options: "jwtmint_docusign_options",
    lifetime: (MAX_LIFETIME, MAX_LIFETIME),
    options: &[
        Opt::required(
            "integration_key",
            "iss",
            Kind::Text,
            "the integration key (`iss`)",
        ),
        Opt::required(
            "user_id",
            "sub",
            Kind::Text,
            "the impersonated user's ID (`sub`)",
        ),
        Opt::required(
            "environment",
            "aud",
            Kind::Choice(&[DEMO, PRODUCTION]),
            "the host name account-d.docusign.com (demo) or account.docusign.com (production)",
        )
        .c_enum(
            "jwtmint_docusign_env",
            &[
                (
                    "JWTMINT_DOCUSIGN_DEMO",
                    "`account-d.docusign.com` (developer account).",
                ),
                ("JWTMINT_DOCUSIGN_PRODUCTION", "`account.docusign.com`."),
            ],
        ),
        Opt::optional(
            "scope",
            "scope",
            Kind::Text,
            "space-separated scopes (must contain `impersonation`); absent for `signature impersonation`",
        ),
        Opt::lifetime("seconds from now to `exp`, 1..=3600; default 3600"),
    ],
    build: |v| {
        let env = match v.choice("environment") {
            Some(1) => DocuSignEnv::Production,
            _ => DocuSignEnv::Demo,
        };
        let p = DocuSign::new(v.required("integration_key")?, v.required("user_id")?, env)?;
        let p = with_opt(p, v.text("scope"), DocuSign::with_scope)?;
        v.finish(p, DocuSign::with_lifetime)
    },
    ..Provider::RS256
};
