//! Keycloak `private_key_jwt` client authentication (the "Signed JWT"
//! client authenticator).
//!
//! Rules (Keycloak Server Administration Guide, "Confidential client
//! credentials" —
//! <https://www.keycloak.org/docs/latest/server_admin/#_client-credentials> —,
//! Securing Applications, "Client authentication with signed JWT" —
//! <https://www.keycloak.org/docs/latest/securing_apps/#_client_authentication_with_signed_jwt> —
//! and Keycloak's `JWTClientValidator`): `iss` = `sub` = the client id;
//! `aud` = the realm's issuer URL `{server}/realms/{realm}` (recommended
//! since Keycloak 26.2) or its token endpoint
//! `{server}/realms/{realm}/protocol/openid-connect/token`, a single value
//! ("Multiple audiences not allowed"); `jti` required and single-use ("Token
//! reuse detected": this profile draws a random UUID v4 per mint); `iat` =
//! now; `exp` at most 60 s after `iat` (Keycloak's default maximum
//! assertion lifetime), default 60 s. The client's "Signature algorithm"
//! setting picks the algorithm: this profile signs RS256 (default), ES256 or
//! PS256. `kid`, when given, must be the id Keycloak knows the key by (its
//! JWKS URL, or `Base64Url(SHA-256(SubjectPublicKeyInfo))` of an uploaded
//! certificate); without one Keycloak uses the client's certificate. A
//! development server on the loopback may be `http://` (Keycloak's own
//! issuer is then `http://localhost:8080/realms/...`). The
//! token request is the client-credentials form with
//! `client_assertion_type`/`client_assertion`, `grant_type` and `scope`.
//!
//! ```
//! # #[cfg(feature = "std")] {
//! use jwtmint::profiles::{Keycloak, Profile};
//! let key = jwtmint::SigningKey::from_pem(include_str!("../../examples/keys/demo-key.pem")).unwrap();
//! let kc = Keycloak::new("https://sso.example.com/realms/acme", "svc-billing").unwrap();
//! assert_eq!(
//!     kc.token_url(),
//!     Some("https://sso.example.com/realms/acme/protocol/openid-connect/token")
//! );
//! let mut out = [0u8; 1200];
//! let n = jwtmint::profiles::mint_profile(&kc, &key, 1_700_000_000, None, &mut out).unwrap();
//! assert!(kc.clone().with_lifetime(61).is_err()); // 60 s at most
//! # }
//! ```

use crate::alg::Algorithm;
use crate::error::{Error, Result};

#[cfg(feature = "alloc")]
use super::declare::{Kind, Opt, Provider};
use super::private_key_jwt::{self, Core, Rules};
use super::rules::owned;
use super::url::check_https_or_loopback_url;

/// Default assertion lifetime: 60 s.
pub const DEFAULT_LIFETIME: i64 = 60;
/// Keycloak's default maximum client-assertion lifetime (`exp - iat`).
pub const MAX_LIFETIME: i64 = 60;
/// The algorithms this profile signs (the client's "Signature algorithm").
pub const ALGORITHMS: &[Algorithm] = &[Algorithm::Rs256, Algorithm::Es256, Algorithm::Ps256];
/// The token endpoint's path under the realm's issuer URL.
pub const TOKEN_PATH: &str = "/protocol/openid-connect/token";

const RULES: Rules = Rules {
    name: "keycloak",
    algorithms: ALGORITHMS,
    alg_rule: "this Keycloak profile signs RS256, ES256 or PS256",
    jti_rule: "required by Keycloak (a client assertion is single-use)",
    lifetime: (DEFAULT_LIFETIME, MAX_LIFETIME),
    extra: "scope",
    max_len: None,
};
const AUD_RULE: &str = "Keycloak's aud is the realm's issuer URL https://{server}/realms/{realm} or its token endpoint .../realms/{realm}/protocol/openid-connect/token";

/// A Keycloak `private_key_jwt` profile. Owns its configuration.
#[derive(Clone, Debug)]
pub struct Keycloak(Core);

impl Keycloak {
    /// A profile for `aud` — the realm's issuer URL
    /// (`https://sso.example.com/realms/acme`, also under a path prefix such
    /// as `/auth`) or its token endpoint — and `client_id`, RS256 without
    /// `kid`. The token endpoint is `aud` itself, or the issuer URL +
    /// [`TOKEN_PATH`]. A development server on the loopback may be `http://`
    /// (`http://localhost:8080/realms/dev`); any other host must be https.
    ///
    /// # Errors
    /// `InvalidAudience` for a URL that is not a bare https URL (or http to
    /// 127.0.0.1 / localhost) naming a realm; `InvalidField` for an empty or over-long client id.
    pub fn new(aud: &str, client_id: &str) -> Result<Self> {
        let path = check_https_or_loopback_url(aud)?
            .split_once('/')
            .map_or("", |(_, path)| path);
        let (issuer_path, is_token_url) = match path.strip_suffix(TOKEN_PATH) {
            Some(p) => (p, true),
            None => (path, false),
        };
        let realm = issuer_path
            .rsplit_once("realms/")
            .filter(|(prefix, _)| prefix.is_empty() || prefix.ends_with('/'))
            .map(|(_, realm)| realm);
        if !realm.is_some_and(|r| !r.is_empty() && !r.contains('/')) {
            return Err(Error::InvalidAudience { reason: AUD_RULE });
        }
        let mut token_url = owned("endpoint", aud)?;
        if !is_token_url {
            token_url
                .push_str(TOKEN_PATH)
                .map_err(|_| Error::InvalidField {
                    field: "endpoint",
                    reason: "longer than the profile's capacity (FIELD_CAPACITY bytes)",
                })?;
        }
        Core::new(&RULES, owned("endpoint", aud)?, token_url, client_id).map(Self)
    }

    private_key_jwt::core_setters!("Keycloak", "60");

    /// Sets the `scope` of the client-credentials request.
    ///
    /// # Errors
    /// `InvalidField` for an empty or over-long scope.
    pub fn with_scope(self, scope: &str) -> Result<Self> {
        self.0.with_extra(scope).map(Self)
    }
}

private_key_jwt::profile_over_core!(Keycloak);

/// The Keycloak declaration (C `jwtmint_keycloak_profile_new`, CLI
/// `--profile keycloak`).
#[cfg(feature = "alloc")]
pub const PROVIDER: Provider = RULES.provider::<Keycloak>(
    "Keycloak private_key_jwt (aud = realm issuer or token endpoint, jti, exp <= 60 s)",
    "jwtmint_keycloak_options",
    &[
        Opt::required(
            "endpoint",
            "aud",
            Kind::Text,
            "the `aud`: the realm's issuer URL `https://{server}/realms/{realm}` (token endpoint: + /protocol/openid-connect/token) or its token endpoint; http:// only to 127.0.0.1 or localhost",
        ),
        Opt::required(
            "client_id",
            "client-id",
            Kind::Text,
            "the client id (`iss` and `sub`)",
        ),
        Opt::optional(
            "alg",
            "alg",
            Kind::Alg,
            "the client's signature algorithm: RS256 (default), ES256 or PS256",
        ),
        Opt::optional(
            "kid",
            "kid",
            Kind::Text,
            "`kid` header: the key's id in the client's JWKS; absent: the client's certificate",
        ),
        Opt::optional(
            "scope",
            "scope",
            Kind::Text,
            "the `scope` of the client-credentials request",
        ),
        Opt::lifetime("seconds from now to `exp`, 1..=60; default 60"),
    ],
);
