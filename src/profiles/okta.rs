//! Okta `private_key_jwt` client authentication.
//!
//! Rules (developer.okta.com, "Client authentication methods" —
//! <https://developer.okta.com/docs/api/openapi/okta-oauth/guides/client-auth/> —
//! and "Implement OAuth for Okta with a service app: Create and sign the JWT" —
//! <https://developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/create-sign-jwt/>):
//! `iss` = `sub` = the client id; `aud` = the full URL of the token endpoint
//! (`https://{yourOktaDomain}/oauth2/v1/token` for the org authorization
//! server, `https://{yourOktaDomain}/oauth2/{authServerId}/v1/token` for a
//! custom one); `exp` "a maximum of only an hour in the future" — longer is
//! refused, default 5 minutes; `jti` prevents replay (Okta lists it as
//! optional; this profile always sends one, random UUID v4 by default);
//! `iat` = now. Okta accepts RSA and EC keys (RS256/384/512, ES256/384/512);
//! PS256 is refused. The token request is the client-credentials form with
//! `client_assertion_type`/`client_assertion`, `grant_type` and `scope`.
//!
//! ```
//! # #[cfg(feature = "std")] {
//! use jwtmint::profiles::{Okta, Profile};
//! let key = jwtmint::SigningKey::from_pem(include_str!("../../examples/keys/demo-key.pem")).unwrap();
//! let okta = Okta::new("https://acme.okta.com/oauth2/v1/token", "0oar95zt9zIpYuz6A0h7").unwrap();
//! let mut out = [0u8; 1200];
//! let n = jwtmint::profiles::mint_profile(&okta, &key, 1_700_000_000, None, &mut out).unwrap();
//! assert!(okta.clone().with_lifetime(3601).is_err()); // Okta: one hour at most
//! # }
//! ```

use crate::alg::Algorithm;
use crate::claims::Claims;
use crate::error::{Error, Result};
use crate::header::{Header, HeaderTemplate};

use super::private_key_jwt;
use super::profile::{Limits, Profile};
use super::request::TokenRequest;
use super::rules::{Text, check_lifetime, owned};
use super::url::check_https_url;

/// Default assertion lifetime: 5 minutes.
pub const DEFAULT_LIFETIME: i64 = 300;
/// Okta: `exp` "a maximum of only an hour in the future".
pub const MAX_LIFETIME: i64 = 3600;
/// The algorithms Okta accepts for `private_key_jwt`.
pub const ALGORITHMS: &[Algorithm] = &[
    Algorithm::Rs256,
    Algorithm::Rs384,
    Algorithm::Rs512,
    Algorithm::Es256,
    Algorithm::Es384,
    Algorithm::Es512,
];

const JTI_RULE: &str = "required by this Okta profile (Okta rejects a replayed jti)";
const ALG_RULE: &str =
    "Okta's private_key_jwt accepts RS256/RS384/RS512/ES256/ES384/ES512, not this algorithm";

/// An Okta `private_key_jwt` profile. Owns its configuration.
#[derive(Clone, Debug)]
pub struct Okta {
    client_id: Text,
    token_url: Text,
    scope: Option<Text>,
    header: HeaderTemplate,
    lifetime: i64,
}

impl Okta {
    /// A profile for `token_url` (the `aud`, which must end in `/v1/token`)
    /// and `client_id`, RS256 without `kid`.
    ///
    /// # Errors
    /// `InvalidAudience` for a token URL that is not a bare https URL ending
    /// in `/v1/token`; `InvalidField` for an empty or over-long client id.
    pub fn new(token_url: &str, client_id: &str) -> Result<Self> {
        check_https_url(token_url)?;
        let path_ok = token_url
            .strip_prefix("https://")
            .and_then(|rest| rest.split_once('/'))
            .is_some_and(|(_, path)| {
                path == "oauth2/v1/token"
                    || path
                        .strip_prefix("oauth2/")
                        .and_then(|p| p.strip_suffix("/v1/token"))
                        .is_some_and(|id| !id.is_empty() && !id.contains('/'))
            });
        if !path_ok {
            return Err(Error::InvalidAudience {
                reason: "Okta's aud is the token endpoint: https://{domain}/oauth2/v1/token or https://{domain}/oauth2/{authServerId}/v1/token",
            });
        }
        Ok(Self {
            client_id: owned("client_id", client_id)?,
            token_url: owned("token_url", token_url)?,
            scope: None,
            header: HeaderTemplate::new(&Header::new(Algorithm::Rs256))?,
            lifetime: DEFAULT_LIFETIME,
        })
    }

    /// Signs with `alg` and names the key with `kid` (the key id registered
    /// in the app's JWKS) when given.
    ///
    /// # Errors
    /// `InvalidField { field: "alg" }` for an algorithm Okta refuses.
    pub fn with_key(mut self, alg: Algorithm, kid: Option<&str>) -> Result<Self> {
        self.header = private_key_jwt::header(alg, kid, ALGORITHMS, ALG_RULE)?;
        Ok(self)
    }

    /// Sets the lifetime, 1..=3600 seconds.
    ///
    /// # Errors
    /// `LifetimeTooLong` above one hour, `LifetimeNotPositive` below 1 s.
    pub fn with_lifetime(mut self, seconds: i64) -> Result<Self> {
        check_lifetime(seconds, MAX_LIFETIME)?;
        self.lifetime = seconds;
        Ok(self)
    }

    /// Sets the `scope` of the client-credentials request.
    ///
    /// # Errors
    /// `InvalidField` for an empty or over-long scope.
    pub fn with_scope(mut self, scope: &str) -> Result<Self> {
        self.scope = Some(owned("scope", scope)?);
        Ok(self)
    }
}

impl Profile for Okta {
    fn name(&self) -> &'static str {
        "okta"
    }

    fn header(&self) -> &HeaderTemplate {
        &self.header
    }

    fn claims<'s>(&'s self, now: i64, jti: Option<&'s str>) -> Result<Claims<'s>> {
        private_key_jwt::claims(
            &self.client_id,
            &self.token_url,
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
            ("scope", self.scope.as_deref()),
        ))
    }
}
