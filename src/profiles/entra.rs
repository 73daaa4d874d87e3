//! Microsoft Entra ID (identity platform) client assertions — certificate
//! credentials for the client-credentials grant.
//!
//! Rules (learn.microsoft.com, "Microsoft identity platform certificate
//! credentials", 2025 revision): header `alg` PS256 with `x5t#S256` (SHA-256
//! certificate thumbprint) — the legacy form RS256 + `x5t` (SHA-1) is still
//! accepted by Entra and required by ADFS; `aud` = the tenant's token endpoint
//! `https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token`; `iss` =
//! `sub` = the application (client) id; `jti` unique; `nbf`/`iat` = now;
//! `exp` "5-10 minutes after nbf at most" — default 5 minutes, longer than 10
//! refused.
//!
//! ```
//! # #[cfg(feature = "std")] {
//! use jwtmint::profiles::{Entra, Profile, Thumbprint};
//! let key = jwtmint::SigningKey::from_pem(include_str!("../../examples/keys/demo-key.pem")).unwrap();
//! let x5t_s256 = "A1bC2dE3fH4iJ5kL6mN7oP8qR9sT0uV1wX2yZ3a4b5c"; // from CertThumbprints
//! let entra = Entra::new("contoso.onmicrosoft.com", "97e0a5b7-d745-40b6-94fe-5f77d35c6e05",
//!                        Thumbprint::Sha256(x5t_s256)).unwrap();
//! let mut out = [0u8; 1200];
//! // A random UUID v4 `jti` is drawn when none is given.
//! let n = jwtmint::profiles::mint_profile(&entra, &key, 1_700_000_000, None, &mut out).unwrap();
//! assert_eq!(entra.token_url(), Some("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token"));
//! # }
//! ```

use crate::alg::Algorithm;
use crate::claims::Claims;
use crate::error::{Error, Result};
use crate::header::{Header, HeaderTemplate};

#[cfg(feature = "alloc")]
use super::declare::{KeyUse, Kind, Opt, Provider};
use super::grants::Grant;
use super::profile::{Limits, Profile};
use super::request::{Params, TokenRequest};
use super::rules::{Text, expiry, non_empty, owned};
use super::url::check_https_url;

/// Default assertion lifetime: 5 minutes.
pub const DEFAULT_LIFETIME: i64 = 300;
/// Longest lifetime accepted: 10 minutes (Microsoft: "5-10 minutes after nbf at most").
pub const MAX_LIFETIME: i64 = 600;
/// The global-cloud authority.
pub const AUTHORITY: &str = "https://login.microsoftonline.com";
/// Capacity for the token-endpoint URL.
pub const AUDIENCE_CAPACITY: usize = 256;

/// The certificate thumbprint to put in the header; it picks the algorithm.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Thumbprint<'a> {
    /// `x5t#S256` (43 Base64Url chars) with PS256 — Microsoft's current guidance.
    Sha256(&'a str),
    /// `x5t` (27 Base64Url chars) with RS256 — the legacy form (ADFS).
    Sha1(&'a str),
}

/// An Entra client-assertion profile. Owns its configuration.
#[derive(Clone, Debug)]
pub struct Entra {
    client_id: Text,
    audience: heapless::String<AUDIENCE_CAPACITY>,
    scope: Option<Text>,
    header: HeaderTemplate,
    lifetime: i64,
}

fn check_thumbprint(v: &str, len: usize) -> Result<()> {
    let ok = v.len() == len
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(Error::InvalidField {
            field: "thumbprint",
            reason: "must be the Base64Url digest of the certificate (x5t: 27 chars, x5t#S256: 43 chars), not hex",
        })
    }
}

fn check_tenant(tenant: &str) -> Result<()> {
    non_empty("tenant", tenant)?;
    if matches!(tenant, "common" | "organizations" | "consumers") {
        return Err(Error::InvalidField {
            field: "tenant",
            reason: "client credentials need a specific tenant id or domain, not common/organizations/consumers",
        });
    }
    if !tenant
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
    {
        return Err(Error::InvalidField {
            field: "tenant",
            reason: "must be a tenant GUID or a domain name",
        });
    }
    Ok(())
}

impl Entra {
    /// A profile for the global cloud (`login.microsoftonline.com`).
    ///
    /// # Errors
    /// `InvalidField` for a bad tenant, client id or thumbprint.
    pub fn new(tenant: &str, client_id: &str, thumbprint: Thumbprint<'_>) -> Result<Self> {
        Self::with_authority(AUTHORITY, tenant, client_id, thumbprint)
    }

    /// A profile for another authority (e.g. `https://login.microsoftonline.us`).
    ///
    /// # Errors
    /// As [`Entra::new`]; `InvalidAudience` for a bad authority URL.
    pub fn with_authority(
        authority: &str,
        tenant: &str,
        client_id: &str,
        thumbprint: Thumbprint<'_>,
    ) -> Result<Self> {
        check_https_url(authority)?;
        check_tenant(tenant)?;
        let client_id = owned("client_id", client_id)?;
        let header = match thumbprint {
            Thumbprint::Sha256(t) => {
                check_thumbprint(t, crate::header::X5T_S256_LEN)?;
                Header::new(Algorithm::Ps256).x5t_s256(t)
            }
            Thumbprint::Sha1(t) => {
                check_thumbprint(t, crate::header::X5T_LEN)?;
                Header::new(Algorithm::Rs256).x5t(t)
            }
        };
        let mut audience = heapless::String::new();
        for part in [authority, "/", tenant, "/oauth2/v2.0/token"] {
            audience
                .push_str(part)
                .map_err(|_| Error::InvalidAudience {
                    reason: "token endpoint longer than 256 bytes",
                })?;
        }
        Ok(Self {
            client_id,
            audience,
            scope: None,
            header: HeaderTemplate::new(&header)?,
            lifetime: DEFAULT_LIFETIME,
        })
    }

    super::rules::with_lifetime!(MAX_LIFETIME, "exp - nbf", "600");

    /// Sets the `scope` of the client-credentials request (e.g.
    /// `https://graph.microsoft.com/.default`); Entra requires one for the
    /// token request (the assertion itself carries none).
    ///
    /// # Errors
    /// `InvalidField` for an empty or over-long scope.
    pub fn with_scope(mut self, scope: &str) -> Result<Self> {
        self.scope = Some(owned("scope", scope)?);
        Ok(self)
    }

    /// The `aud` value, which is also the token endpoint.
    pub fn audience(&self) -> &str {
        &self.audience
    }
}

impl Profile for Entra {
    fn name(&self) -> &'static str {
        "entra"
    }

    /// PS256 with `x5t#S256` for [`Thumbprint::Sha256`], RS256 with `x5t`
    /// for [`Thumbprint::Sha1`].
    fn header(&self) -> &HeaderTemplate {
        &self.header
    }

    fn claims<'s>(&'s self, now: i64, jti: Option<&'s str>) -> Result<Claims<'s>> {
        let jti = jti.ok_or(Error::InvalidField {
            field: "jti",
            reason: "required by Entra",
        })?;
        Ok(Claims::new()
            .iss(&self.client_id)
            .sub(&self.client_id)
            .aud(&self.audience)
            .jti(jti)
            .nbf(now)
            .iat(now)
            .exp(expiry(now, self.lifetime, MAX_LIFETIME)?))
    }

    fn limits(&self) -> Limits {
        Limits::new(self.lifetime, Some(MAX_LIFETIME)).jti_required()
    }

    /// The client-credentials request: `client_assertion_type`,
    /// `client_assertion`, `client_id`, `scope` (when set) and
    /// `grant_type=client_credentials`.
    fn token_request(&self) -> Option<TokenRequest<'_>> {
        let params = Params::new()
            .push("client_id", &self.client_id)
            .and_then(|p| p.push_opt("scope", self.scope.as_deref()))
            .and_then(|p| p.push("grant_type", "client_credentials"))
            .unwrap_or_default();
        Some(TokenRequest::post(
            &self.audience,
            Grant::ClientAssertion,
            params,
        ))
    }
}

/// The Entra declaration (C `jwtmint_entra_profile_new`, CLI `--profile
/// entra`, where `--cert` (or the certificate of a .p12 `--key`) gives the
/// thumbprint and `--legacy-rs256` its kind).
#[cfg(feature = "alloc")]
pub const PROVIDER: Provider = Provider {
    name: "entra",
    summary: "Microsoft Entra client assertion (PS256 + x5t#S256, exp <= 10 min)",
    c_options: "jwtmint_entra_options",
    algorithms: &[Algorithm::Ps256, Algorithm::Rs256],
    lifetime: (DEFAULT_LIFETIME, MAX_LIFETIME),
    grant: Grant::ClientAssertion,
    key: KeyUse::Caller,
    options: &[
        Opt::required(
            "tenant",
            "tenant",
            Kind::Text,
            "tenant id (GUID) or domain, e.g. `contoso.onmicrosoft.com` (not `common` / `organizations` / `consumers`)",
        ),
        Opt::required(
            "client_id",
            "client-id",
            Kind::Text,
            "application (client) id (`iss` and `sub`)",
        ),
        Opt::optional(
            "thumbprint_kind",
            "legacy-rs256",
            Kind::Choice(&["sha256", "sha1"]),
            "the thumbprint's kind, which picks the algorithm: sha256 (`x5t#S256` with PS256, Microsoft's current guidance) or sha1 (`x5t` with RS256, the legacy form ADFS needs)",
        )
        .c_enum(
            "jwtmint_thumbprint_kind",
            &[
                (
                    "JWTMINT_THUMBPRINT_SHA256",
                    "`x5t#S256` (43 Base64Url characters) with PS256: Microsoft's current guidance.",
                ),
                (
                    "JWTMINT_THUMBPRINT_SHA1",
                    "`x5t` (27 Base64Url characters) with RS256: the legacy form (ADFS).",
                ),
            ],
        ),
        Opt::required(
            "thumbprint",
            "cert",
            Kind::Text,
            "the certificate thumbprint of that kind, Base64Url (from `jwtmint_cert_thumbprints`; not the hex shown in the portal)",
        ),
        Opt::optional(
            "authority",
            "authority",
            Kind::Text,
            "authority URL, e.g. `https://login.microsoftonline.us`; absent for the global cloud `https://login.microsoftonline.com`",
        ),
        Opt::lifetime("seconds from `nbf` to `exp`, 1..=600; default 300"),
        Opt::optional(
            "scope",
            "scope",
            Kind::Text,
            "the `scope` of the client-credentials token request, e.g. `https://graph.microsoft.com/.default`; absent leaves it out of the body (Entra then refuses the request; the CLI sends that one)",
        )
        .cli_default("https://graph.microsoft.com/.default"),
    ],
    build: |v| {
        let t = v.required("thumbprint")?;
        let thumbprint = match v.choice("thumbprint_kind") {
            Some(1) => Thumbprint::Sha1(t),
            _ => Thumbprint::Sha256(t),
        };
        let authority = v.text("authority").unwrap_or(AUTHORITY);
        let p = Entra::with_authority(
            authority,
            v.required("tenant")?,
            v.required("client_id")?,
            thumbprint,
        )?;
        let p = super::declare::with_opt(p, v.text("scope"), Entra::with_scope)?;
        v.finish(p, Entra::with_lifetime)
    },
};
