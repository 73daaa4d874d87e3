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
use crate::error::{Error, Result};

use super::private_key_jwt::{self, Core, Rules};
use super::rules::Text;
use super::url::check_https_url;

/// Default assertion lifetime: 60 s (Auth0 recommends the shortest possible).
pub const DEFAULT_LIFETIME: i64 = 60;
/// Auth0: "a maximum of 5 minutes for the lifetime of a token".
pub const MAX_LIFETIME: i64 = 300;
/// Auth0's limit on `iss`, `sub` and `jti`.
pub const MAX_CLAIM_LEN: usize = 64;
/// The credential algorithms Auth0 accepts.
pub const ALGORITHMS: &[Algorithm] = &[Algorithm::Rs256, Algorithm::Rs384, Algorithm::Ps256];

const RULES: Rules = Rules {
    name: "auth0",
    algorithms: ALGORITHMS,
    alg_rule: "Auth0 credentials use RS256, RS384 or PS256",
    jti_rule: "required by Auth0 (a unique id, UUID recommended)",
    lifetime: (DEFAULT_LIFETIME, MAX_LIFETIME),
    extra: "audience",
    max_len: Some((MAX_CLAIM_LEN, "Auth0 allows at most 64 characters")),
};

/// An Auth0 `private_key_jwt` profile. Owns its configuration.
#[derive(Clone, Debug)]
pub struct Auth0(Core);

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
        Core::new(&RULES, audience, token_url, client_id).map(Self)
    }

    private_key_jwt::core_setters!("Auth0", "300");

    /// Sets the API identifier sent as `audience` in the token request.
    ///
    /// # Errors
    /// `InvalidField` for an empty or over-long value.
    pub fn with_api_audience(self, audience: &str) -> Result<Self> {
        self.0.with_extra(audience).map(Self)
    }

    /// The `aud` value: the tenant URL with its trailing slash.
    pub fn audience(&self) -> &str {
        self.0.aud()
    }
}

private_key_jwt::profile_over_core!(Auth0);

/// The Auth0 declaration (C `jwtmint_auth0_profile_new`, CLI `--profile auth0`).
#[cfg(feature = "alloc")]
pub const PROVIDER: super::declare::Provider = RULES.provider::<Auth0>(
    "Auth0 private_key_jwt (aud = https://DOMAIN/, jti, exp <= 5 min)",
    "jwtmint_private_key_jwt_options",
    // The `scope` option is Auth0's `audience` (the API), its extra field.
    private_key_jwt::OPTIONS_AUTH0,
);
