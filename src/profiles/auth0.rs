//! Auth0 `private_key_jwt` client authentication.
//!
//! Rules (auth0.com docs, "Authenticate with Private Key JWT" —
//! <https://auth0.com/docs/get-started/authentication-and-authorization-flow/authenticate-with-private-key-jwt> —
//! and "Configure Private Key JWT Authentication" —
//! <https://auth0.com/docs/get-started/applications/configure-private-key-jwt>):
//! `iss` = `sub` = the client id; `aud` = the URL of the tenant or custom
//! domain **with the trailing slash** (`https://{yourTenant}.auth0.com/`);
//! `jti` unique (a UUID is recommended); `iat`, `exp` with "a maximum of 5
//! minutes for the lifetime" — longer is refused, default 60 s; `iss`, `sub`
//! and `jti` at most 64 characters; `kid` optional; the credential's
//! algorithm is RS256, RS384 or PS256 (others refused).
//! The token request goes to `https://{domain}/oauth/token` with
//! `grant_type=client_credentials` and the API `audience`.
//!
//! ```
//! # #[cfg(feature = "std")] {
//! use jwtmint::profiles::{Auth0, Profile};
//! let key = jwtmint::SigningKey::from_pem(include_str!("../../examples/keys/demo-key.pem")).unwrap();
//! let a = Auth0::new("acme.us.auth0.com", "sNrxXa8bLJOdtvZ3lGHZ2ThUQwHtUBqG").unwrap();
//! assert_eq!(a.audience(), "https://acme.us.auth0.com/");
//! assert_eq!(a.token_url(), Some("https://acme.us.auth0.com/oauth/token"));
//! let mut out = [0u8; 1200];
//! jwtmint::profiles::mint_profile(&a, &key, 1_700_000_000, None, &mut out).unwrap();
//! assert!(a.clone().with_lifetime(301).is_err()); // Auth0: 5 minutes at most
//! # }
//! ```

use crate::alg::Algorithm;
use crate::claims::Claims;
use crate::error::{Error, Result};
use crate::header::{Header, HeaderTemplate};

use super::private_key_jwt;
use super::profile::{Limits, Profile};
use super::request::TokenRequest;
use super::rules::{Text, check_lifetime, max_len, owned};
use super::url::check_https_url;

/// Default assertion lifetime: 60 s (Auth0 recommends the shortest possible).
pub const DEFAULT_LIFETIME: i64 = 60;
/// Auth0: "a maximum of 5 minutes for the lifetime of a token".
pub const MAX_LIFETIME: i64 = 300;
/// Auth0's limit on `iss`, `sub` and `jti`.
pub const MAX_CLAIM_LEN: usize = 64;
/// The credential algorithms Auth0 accepts.
pub const ALGORITHMS: &[Algorithm] = &[Algorithm::Rs256, Algorithm::Rs384, Algorithm::Ps256];

const JTI_RULE: &str = "required by Auth0 (a unique id, UUID recommended)";
const LEN_RULE: &str = "Auth0 allows at most 64 characters";
const ALG_RULE: &str = "Auth0 credentials use RS256, RS384 or PS256";

/// An Auth0 `private_key_jwt` profile. Owns its configuration.
#[derive(Clone, Debug)]
pub struct Auth0 {
    client_id: Text,
    audience: Text,
    token_url: Text,
    api_audience: Option<Text>,
    header: HeaderTemplate,
    lifetime: i64,
}

impl Auth0 {
    /// A profile for the tenant or custom `domain` (a host name such as
    /// `acme.us.auth0.com`) and `client_id`, RS256 without `kid`.
    ///
    /// # Errors
    /// `InvalidAudience` for a domain that is not a host name;
    /// `InvalidField` for an empty client id or one over 64 characters.
    pub fn new(domain: &str, client_id: &str) -> Result<Self> {
        let too_long = |_| Error::InvalidAudience {
            reason: "domain longer than 256 bytes",
        };
        let mut token_url = Text::new();
        for part in ["https://", domain, "/oauth/token"] {
            token_url.push_str(part).map_err(too_long)?;
        }
        let host = token_url.get(..8 + domain.len()).unwrap_or_default();
        if domain.contains(['/', ':']) {
            return Err(Error::InvalidAudience {
                reason: "Auth0 domain must be a host name such as acme.us.auth0.com (no scheme, port or path)",
            });
        }
        check_https_url(host)?;
        let mut audience = Text::new();
        for part in [host, "/"] {
            audience.push_str(part).map_err(too_long)?;
        }
        max_len("client_id", client_id, MAX_CLAIM_LEN, LEN_RULE)?;
        Ok(Self {
            client_id: owned("client_id", client_id)?,
            audience,
            token_url,
            api_audience: None,
            header: HeaderTemplate::new(&Header::new(Algorithm::Rs256))?,
            lifetime: DEFAULT_LIFETIME,
        })
    }

    /// Signs with `alg` and names the credential with `kid` when given.
    ///
    /// # Errors
    /// `InvalidField { field: "alg" }` for an algorithm Auth0 refuses.
    pub fn with_key(mut self, alg: Algorithm, kid: Option<&str>) -> Result<Self> {
        self.header = private_key_jwt::header(alg, kid, ALGORITHMS, ALG_RULE)?;
        Ok(self)
    }

    /// Sets the lifetime, 1..=300 seconds.
    ///
    /// # Errors
    /// `LifetimeTooLong` above 5 minutes, `LifetimeNotPositive` below 1 s.
    pub fn with_lifetime(mut self, seconds: i64) -> Result<Self> {
        check_lifetime(seconds, MAX_LIFETIME)?;
        self.lifetime = seconds;
        Ok(self)
    }

    /// Sets the API identifier sent as `audience` in the token request.
    ///
    /// # Errors
    /// `InvalidField` for an empty or over-long value.
    pub fn with_api_audience(mut self, audience: &str) -> Result<Self> {
        self.api_audience = Some(owned("audience", audience)?);
        Ok(self)
    }

    /// The `aud` value: the tenant URL with its trailing slash.
    pub fn audience(&self) -> &str {
        &self.audience
    }
}

impl Profile for Auth0 {
    fn name(&self) -> &'static str {
        "auth0"
    }

    fn header(&self) -> &HeaderTemplate {
        &self.header
    }

    fn claims<'s>(&'s self, now: i64, jti: Option<&'s str>) -> Result<Claims<'s>> {
        if let Some(j) = jti {
            max_len("jti", j, MAX_CLAIM_LEN, LEN_RULE)?;
        }
        private_key_jwt::claims(
            &self.client_id,
            &self.audience,
            now,
            (self.lifetime, MAX_LIFETIME),
            jti,
            JTI_RULE,
        )
    }

    fn limits(&self) -> Limits {
        Limits::new(self.lifetime, Some(MAX_LIFETIME)).jti_required()
    }

    fn token_request(&self) -> Option<TokenRequest<'_>> {
        Some(private_key_jwt::token_request(
            &self.token_url,
            ("audience", self.api_audience.as_deref()),
        ))
    }
}
