//! The `private_key_jwt` client-authentication shape (RFC 7523 §2.2, OIDC
//! Core §9) shared by the Okta, Auth0 and Keycloak profiles: one configured
//! [`Core`] (client id, `aud`, token URL, header, lifetime, one extra request
//! field) with the provider's fixed [`Rules`], the claims, the header for a
//! provider's accepted algorithms, and the client-credentials token request.
//! Each provider keeps its own `aud` rule (its constructor), caps and
//! algorithm list.

use crate::alg::Algorithm;
use crate::claims::Claims;
use crate::error::Result;
use crate::header::{Header, HeaderTemplate};

use super::grants::Grant;
use super::profile::Limits;
use super::request::{Params, TokenRequest};
use super::rules::{
    Text, check_algorithm, check_lifetime, expiry, max_len, non_empty, owned, required_jti,
};

/// A provider's fixed `private_key_jwt` rules.
#[derive(Debug)]
pub(crate) struct Rules {
    /// `Profile::name`.
    pub name: &'static str,
    /// The algorithms the provider accepts.
    pub algorithms: &'static [Algorithm],
    /// The `InvalidField { field: "alg" }` reason.
    pub alg_rule: &'static str,
    /// The `InvalidField { field: "jti" }` reason.
    pub jti_rule: &'static str,
    /// The default and maximum lifetime.
    pub lifetime: (i64, i64),
    /// The extra client-credentials field (`scope`, Auth0's `audience`).
    pub extra: &'static str,
    /// A length limit on the client id and `jti` with its reason (Auth0).
    pub max_len: Option<(usize, &'static str)>,
}

/// A configured `private_key_jwt` profile; the providers wrap it.
#[derive(Clone, Debug)]
pub(crate) struct Core {
    rules: &'static Rules,
    client_id: Text,
    aud: Text,
    token_url: Text,
    extra: Option<Text>,
    header: HeaderTemplate,
    lifetime: i64,
}

impl Core {
    /// `aud` and `token_url` checked by the provider; RS256 without `kid`.
    pub(crate) fn new(
        rules: &'static Rules,
        aud: Text,
        token_url: Text,
        client_id: &str,
    ) -> Result<Self> {
        if let Some((max, rule)) = rules.max_len {
            max_len("client_id", client_id, max, rule)?;
        }
        Ok(Self {
            rules,
            client_id: owned("client_id", client_id)?,
            aud,
            token_url,
            extra: None,
            header: HeaderTemplate::new(&Header::new(Algorithm::Rs256))?,
            lifetime: rules.lifetime.0,
        })
    }

    pub(crate) fn with_key(mut self, alg: Algorithm, kid: Option<&str>) -> Result<Self> {
        self.header = header(alg, kid, self.rules.algorithms, self.rules.alg_rule)?;
        Ok(self)
    }

    pub(crate) fn with_lifetime(mut self, seconds: i64) -> Result<Self> {
        check_lifetime(seconds, self.rules.lifetime.1)?;
        self.lifetime = seconds;
        Ok(self)
    }

    /// Sets the extra request field ([`Rules::extra`]).
    pub(crate) fn with_extra(mut self, value: &str) -> Result<Self> {
        self.extra = Some(owned(self.rules.extra, value)?);
        Ok(self)
    }

    /// The `aud`.
    pub(crate) fn aud(&self) -> &str {
        &self.aud
    }

    pub(crate) fn name(&self) -> &'static str {
        self.rules.name
    }

    pub(crate) fn header(&self) -> &HeaderTemplate {
        &self.header
    }

    pub(crate) fn claims<'s>(&'s self, now: i64, jti: Option<&'s str>) -> Result<Claims<'s>> {
        if let (Some(j), Some((max, rule))) = (jti, self.rules.max_len) {
            max_len("jti", j, max, rule)?;
        }
        let max = self.rules.lifetime.1;
        claims(
            &self.client_id,
            &self.aud,
            now,
            (self.lifetime, max),
            jti,
            self.rules.jti_rule,
        )
    }

    pub(crate) fn limits(&self) -> Limits {
        Limits::new(self.lifetime, Some(self.rules.lifetime.1)).jti_required()
    }

    pub(crate) fn token_request(&self) -> TokenRequest<'_> {
        token_request(&self.token_url, (self.rules.extra, self.extra.as_deref()))
    }
}

/// A provider that is a [`Core`] and nothing more (`struct $t(Core)`).
#[cfg(feature = "alloc")]
pub(crate) trait OverCore: Sized {
    /// The provider's `new(endpoint, client_id)`.
    fn configured(endpoint: &str, client_id: &str) -> Result<Self>;
    /// The provider from its core.
    fn wrap(core: Core) -> Self;
    /// The core back.
    fn core(self) -> Core;
}

#[cfg(feature = "alloc")]
impl Rules {
    /// The declaration of provider `P` over [`Core`] with these rules: their
    /// name, algorithms and lifetimes, a `client_assertion` with the caller's
    /// key, built by [`build`].
    pub(crate) const fn provider<P>(
        self,
        summary: &'static str,
        c_options: &'static str,
        options: &'static [Opt],
    ) -> super::declare::Provider
    where
        P: OverCore + super::profile::Profile + Send + Sync + 'static,
    {
        super::declare::Provider {
            name: self.name,
            summary,
            c_options,
            algorithms: self.algorithms,
            lifetime: self.lifetime,
            grant: Grant::ClientAssertion,
            key: super::declare::KeyUse::Caller,
            options,
            build: build::<P>,
        }
    }
}

/// The declaration's `build` of every provider over [`Core`]:
/// `new(endpoint, client_id)`, then `alg` and `kid`, the `scope` option as
/// the provider's extra field (`scope`; Auth0's `audience`), the lifetime.
///
/// # Errors
/// `new`'s; the setters' (`InvalidField`, `LifetimeTooLong`, ...).
#[cfg(feature = "alloc")]
fn build<P>(v: &super::declare::Values<'_>) -> Result<super::declare::Built>
where
    P: OverCore + super::profile::Profile + Send + Sync + 'static,
{
    let core = P::configured(v.required("endpoint")?, v.required("client_id")?)?
        .core()
        .with_key(v.alg("alg"), v.text("kid"))?;
    let core = super::declare::with_opt(core, v.text("scope"), Core::with_extra)?;
    v.finish(P::wrap(core), |p, seconds| {
        p.core().with_lifetime(seconds).map(P::wrap)
    })
}

/// `impl Profile for $t` over its `Core` field `.0` (and [`OverCore`]).
macro_rules! profile_over_core {
    ($t:ty) => {
        #[cfg(feature = "alloc")]
        impl super::private_key_jwt::OverCore for $t {
            fn configured(endpoint: &str, client_id: &str) -> crate::error::Result<Self> {
                Self::new(endpoint, client_id)
            }
            fn wrap(core: super::private_key_jwt::Core) -> Self {
                Self(core)
            }
            fn core(self) -> super::private_key_jwt::Core {
                self.0
            }
        }

        impl super::profile::Profile for $t {
            fn name(&self) -> &'static str {
                self.0.name()
            }
            fn header(&self) -> &crate::header::HeaderTemplate {
                self.0.header()
            }
            fn claims<'s>(
                &'s self,
                now: i64,
                jti: Option<&'s str>,
            ) -> crate::error::Result<crate::claims::Claims<'s>> {
                self.0.claims(now, jti)
            }
            fn limits(&self) -> super::profile::Limits {
                self.0.limits()
            }
            fn token_request(&self) -> Option<super::request::TokenRequest<'_>> {
                Some(self.0.token_request())
            }
        }
    };
}
pub(crate) use profile_over_core;

/// The `with_key` and `with_lifetime` setters of a provider wrapping a
/// [`Core`] (`$who` in the docs; `$max_doc` its longest lifetime, seconds).
macro_rules! core_setters {
    ($who:literal, $max_doc:literal) => {
        /// Signs with `alg` and names the key with `kid` (its id in the
        /// client's key set) when given.
        ///
        /// # Errors
        #[doc = concat!("`InvalidField { field: \"alg\" }` for an algorithm ", $who, " refuses.")]
        pub fn with_key(
            self,
            alg: crate::alg::Algorithm,
            kid: Option<&str>,
        ) -> crate::error::Result<Self> {
            self.0.with_key(alg, kid).map(Self)
        }

        #[doc = concat!("Sets the lifetime, 1..=", $max_doc, " seconds.")]
        ///
        /// # Errors
        #[doc = concat!("`LifetimeTooLong` above ", $max_doc, " s, `LifetimeNotPositive` below 1 s.")]
        pub fn with_lifetime(self, seconds: i64) -> crate::error::Result<Self> {
            self.0.with_lifetime(seconds).map(Self)
        }
    };
}
pub(crate) use core_setters;

/// `iss` = `sub` = the client id, `aud`, a required `jti` (missing:
/// `InvalidField { field: "jti" }` naming `jti_rule`), `iat` = now and
/// `exp` = now + `lifetime` (at most `max`).
fn claims<'s>(
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
fn header(
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
fn token_request<'a>(
    token_url: &'a str,
    (name, value): (&'a str, Option<&'a str>),
) -> TokenRequest<'a> {
    let params = Params::new()
        .push("grant_type", "client_credentials")
        .and_then(|p| p.push_opt(name, value))
        .unwrap_or_default();
    TokenRequest::post(token_url, Grant::ClientAssertion, params)
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
