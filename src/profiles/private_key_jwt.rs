//! The `private_key_jwt` client-authentication shape (RFC 7523 §2.2, OIDC
//! Core §9) shared by the Okta and Auth0 profiles: the claims, the header
//! for a provider's accepted algorithms, and the client-credentials token
//! request. Each provider keeps its own `aud` rule, caps and algorithm list.

use crate::alg::Algorithm;
use crate::claims::Claims;
use crate::error::Result;
use crate::header::{Header, HeaderTemplate};

use super::request::{Body, Params, TokenRequest};
use super::rules::{check_algorithm, expiry, non_empty, required_jti};

/// `iss` = `sub` = the client id, `aud`, a required `jti` (missing:
/// `InvalidField { field: "jti" }` naming `jti_rule`), `iat` = now and
/// `exp` = now + `lifetime` (at most `max`).
pub(crate) fn claims<'s>(
    client_id: &'s str,
    aud: &'s str,
    now: i64,
    (lifetime, max): (i64, i64),
    jti: Option<&'s str>,
    jti_rule: &'static str,
) -> Result<Claims<'s>> {
    let jti = required_jti(jti, jti_rule)?;
    Ok(Claims::new()
        .iss(client_id)
        .sub(client_id)
        .aud(aud)
        .jti(jti)
        .iat(now)
        .exp(expiry(now, lifetime, max)?))
}

/// The header for `alg` (one of `allowed`, else `InvalidField { field:
/// "alg" }` naming `alg_rule`) with `kid` when given (non-empty).
pub(crate) fn header(
    alg: Algorithm,
    kid: Option<&str>,
    allowed: &[Algorithm],
    alg_rule: &'static str,
) -> Result<HeaderTemplate> {
    check_algorithm(alg, allowed, alg_rule)?;
    let mut h = Header::new(alg);
    if let Some(k) = kid {
        non_empty("kid", k)?;
        h = h.kid(k);
    }
    HeaderTemplate::new(&h)
}

/// The client-credentials request to `token_url`: the assertion as
/// `client_assertion`, `grant_type=client_credentials`, then `(name, value)`
/// when the value is set (Okta's `scope`, Auth0's API `audience`).
pub(crate) fn token_request<'a>(
    token_url: &'a str,
    (name, value): (&'a str, Option<&'a str>),
) -> TokenRequest<'a> {
    let params = Params::new()
        .push("grant_type", "client_credentials")
        .and_then(|p| p.push_opt(name, value))
        .unwrap_or_default();
    TokenRequest::post(token_url, Body::ClientAssertion, params)
}

/// The options of a `private_key_jwt` provider (the C struct
/// `jwtmint_private_key_jwt_options`), with the provider's doc lines.
#[cfg(feature = "alloc")]
macro_rules! options {
    ($name:ident, $endpoint:literal, $client:literal, $alg:literal, $scope:literal, $lifetime:literal) => {
        pub(crate) const $name: &[Opt] = &[
            Opt::required("endpoint", "aud", Kind::Text, $endpoint),
            Opt::required("client_id", "client-id", Kind::Text, $client),
            Opt::optional("alg", "alg", Kind::Alg, $alg),
            Opt::optional(
                "kid",
                "kid",
                Kind::Text,
                "`kid` header: the key id registered with the client; absent for none",
            ),
            Opt::optional("scope", "scope", Kind::Text, $scope),
            Opt::lifetime($lifetime),
        ];
    };
}

#[cfg(feature = "alloc")]
use super::declare::{Kind, Opt};

#[cfg(feature = "alloc")]
options!(
    OPTIONS_OKTA,
    "the token endpoint `https://{domain}/oauth2[/{id}]/v1/token` (the `aud`)",
    "the client id (`iss` and `sub`)",
    "RS256 (default), RS384, RS512, ES256, ES384 or ES512",
    "the `scope` of the client-credentials request",
    "seconds from now to `exp`, 1..=3600; default 300"
);
#[cfg(feature = "alloc")]
options!(
    OPTIONS_AUTH0,
    "the tenant or custom domain host name `acme.us.auth0.com` (`aud` = `https://{domain}/`)",
    "the client id (`iss` and `sub`, at most 64 characters)",
    "RS256 (default), RS384 or PS256",
    "the API `audience` of the client-credentials request",
    "seconds from now to `exp`, 1..=300; default 60"
);
