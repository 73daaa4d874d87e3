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
use crate::error::{Error, Result};

use super::private_key_jwt::{self, Core, Rules};
use super::rules::owned;
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

const RULES: Rules = Rules {
    name: "okta",
    algorithms: ALGORITHMS,
    alg_rule: "Okta's private_key_jwt accepts RS256/RS384/RS512/ES256/ES384/ES512, not this algorithm",
    jti_rule: "required by this Okta profile (Okta rejects a replayed jti)",
    lifetime: (DEFAULT_LIFETIME, MAX_LIFETIME),
    extra: "scope",
    max_len: None,
};

/// An Okta `private_key_jwt` profile. Owns its configuration.
#[derive(Clone, Debug)]
pub struct Okta(Core);

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
        let url = owned("token_url", token_url)?;
        Core::new(&RULES, url.clone(), url, client_id).map(Self)
    }

    private_key_jwt::core_setters!("Okta", "3600");

    /// Sets the `scope` of the client-credentials request.
    ///
    /// # Errors
    /// `InvalidField` for an empty or over-long scope.
    pub fn with_scope(self, scope: &str) -> Result<Self> {
        self.0.with_extra(scope).map(Self)
    }
}

private_key_jwt::profile_over_core!(Okta);

/// The Okta declaration (C `jwtmint_okta_profile_new`, CLI `--profile okta`).
#[cfg(feature = "alloc")]
pub const PROVIDER: super::declare::Provider = RULES.provider::<Okta>(
    "Okta private_key_jwt (aud = token endpoint, jti, exp <= 1 h)",
    "jwtmint_private_key_jwt_options",
    private_key_jwt::OPTIONS_OKTA,
);
