//! Generic RFC 7523 assertions with every claim explicit.
//!
//! RFC 7523 §3: the JWT MUST contain `iss`, `sub`, `aud` and `exp`; §2.2 client
//! authentication uses `iss` = `sub` = the client id and (in practice) a
//! unique `jti`. Nothing provider-specific is defaulted: `iat` = now, `exp` =
//! now + lifetime (default 300 s, no cap), RS256 unless a header is given,
//! and the token endpoint is `aud` unless set.
//!
//! ```
//! use jwtmint::profiles::{Profile, Rfc7523};
//! let p = Rfc7523::grant("client-1", "user-1", "https://as.example.com/token").unwrap();
//! let c = p.claims(1_700_000_000, None).unwrap();
//! assert_eq!((c.sub, c.exp), (Some("user-1"), Some(1_700_000_300)));
//! let a = Rfc7523::client_assertion("client-1", "https://as.example.com/token").unwrap();
//! let c = a.claims(1_700_000_000, Some("id-1")).unwrap();
//! assert_eq!(c.iss, c.sub);
//! ```

use crate::alg::Algorithm;
use crate::claims::{Audience, ClaimValue, Claims};
use crate::error::{Error, Result};
use crate::header::{Header, HeaderTemplate};

use super::grants::Grant;
use super::profile::{Limits, Profile};
use super::request::{Params, TokenRequest};
use super::rules::non_empty;

/// Default lifetime of a generic assertion: 5 minutes.
pub const DEFAULT_LIFETIME: i64 = 300;

/// Which RFC 7523 use the assertion is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// §2.1 authorization grant.
    Grant,
    /// §2.2 client authentication (`client_credentials`).
    ClientAssertion,
}

/// A generic RFC 7523 profile: every claim explicit, borrowed from the caller.
#[derive(Clone, Copy, Debug)]
pub struct Rfc7523<'a> {
    kind: Kind,
    iss: &'a str,
    sub: &'a str,
    aud: &'a str,
    token_url: &'a str,
    scope: Option<&'a str>,
    not_before: Option<i64>,
    extra: &'a [(&'a str, ClaimValue<'a>)],
    lifetime: i64,
    header: HeaderTemplate,
}

impl<'a> Rfc7523<'a> {
    fn new(kind: Kind, iss: &'a str, sub: &'a str, aud: &'a str) -> Result<Self> {
        non_empty("iss", iss)?;
        non_empty("sub", sub)?;
        non_empty("aud", aud)?;
        Ok(Self {
            kind,
            iss,
            sub,
            aud,
            token_url: aud,
            scope: None,
            not_before: None,
            extra: &[],
            lifetime: DEFAULT_LIFETIME,
            header: HeaderTemplate::new(&Header::new(Algorithm::Rs256))?,
        })
    }

    /// An authorization grant (§2.1): `iss, sub, aud, exp, iat`, posted as
    /// `grant_type=...jwt-bearer&assertion=...`.
    ///
    /// # Errors
    /// `InvalidField` for an empty value.
    pub fn grant(iss: &'a str, sub: &'a str, aud: &'a str) -> Result<Self> {
        Self::new(Kind::Grant, iss, sub, aud)
    }

    /// A client assertion (§2.2): `iss` = `sub` = `client_id`, `aud`, `exp`,
    /// `iat`, a required `jti`; posted as the `client_credentials` grant with
    /// `client_assertion_type`, `client_assertion` and `client_id`.
    ///
    /// # Errors
    /// As [`Rfc7523::grant`].
    pub fn client_assertion(client_id: &'a str, aud: &'a str) -> Result<Self> {
        Self::new(Kind::ClientAssertion, client_id, client_id, aud)
    }

    /// Uses `header` (algorithm, `kid`, thumbprints) instead of `{"alg":"RS256","typ":"JWT"}`.
    ///
    /// # Errors
    /// `HeaderTooLarge`.
    pub fn with_header(mut self, header: &Header<'_>) -> Result<Self> {
        self.header = HeaderTemplate::new(header)?;
        Ok(self)
    }

    /// Sets the lifetime (`exp - now`), at least 1 second (no cap).
    ///
    /// # Errors
    /// `LifetimeNotPositive` below 1.
    pub fn with_lifetime(mut self, seconds: i64) -> Result<Self> {
        super::rules::check_lifetime(seconds, i64::MAX)?;
        self.lifetime = seconds;
        Ok(self)
    }

    /// Writes `nbf` = now + `offset` seconds (0: not before now).
    #[must_use]
    pub const fn with_not_before(mut self, offset: i64) -> Self {
        self.not_before = Some(offset);
        self
    }

    /// Extra claims after the registered ones (checked for duplicates when minting).
    #[must_use]
    pub const fn with_extra(mut self, extra: &'a [(&'a str, ClaimValue<'a>)]) -> Self {
        self.extra = extra;
        self
    }

    /// The `scope` form parameter of the token request.
    ///
    /// # Errors
    /// `InvalidField` for an empty scope.
    pub fn with_scope(mut self, scope: &'a str) -> Result<Self> {
        non_empty("scope", scope)?;
        self.scope = Some(scope);
        Ok(self)
    }

    /// The token endpoint, when it is not `aud`.
    ///
    /// # Errors
    /// `InvalidField` for an empty URL.
    pub fn with_token_url(mut self, url: &'a str) -> Result<Self> {
        non_empty("token_url", url)?;
        self.token_url = url;
        Ok(self)
    }
}

impl Profile for Rfc7523<'_> {
    super::rules::name_and_header!("rfc7523");

    fn claims<'s>(&'s self, now: i64, jti: Option<&'s str>) -> Result<Claims<'s>> {
        self.claims_at(now, jti)
    }

    fn limits(&self) -> Limits {
        let limits = Limits::new(self.lifetime, None);
        match self.kind {
            Kind::Grant => limits,
            Kind::ClientAssertion => limits.jti_required(),
        }
    }

    fn token_request(&self) -> Option<TokenRequest<'_>> {
        Some(self.request())
    }
}

impl<'a> Rfc7523<'a> {
    /// The claims at `now`, borrowing the configuration (`'a`), not `self`.
    fn claims_at<'s>(&self, now: i64, jti: Option<&'s str>) -> Result<Claims<'s>>
    where
        'a: 's,
    {
        let nbf = match self.not_before {
            Some(offset) => Some(now.checked_add(offset).ok_or(Error::LengthOverflow)?),
            None => None,
        };
        let mut claims = Claims::new()
            .iss(self.iss)
            .sub(self.sub)
            .aud(self.aud)
            .iat(now)
            .exp(super::rules::expiry(now, self.lifetime, i64::MAX)?)
            .extra(self.extra);
        claims.nbf = nbf;
        claims.jti = jti;
        Ok(claims)
    }

    /// The token request, borrowing the configuration.
    fn request(&self) -> TokenRequest<'a> {
        let (body, params) = match self.kind {
            Kind::Grant => (
                Grant::JwtBearer,
                Params::new().push_opt("scope", self.scope),
            ),
            Kind::ClientAssertion => (
                Grant::ClientAssertion,
                Params::new()
                    .push("grant_type", "client_credentials")
                    .and_then(|p| p.push_opt("scope", self.scope))
                    .and_then(|p| p.push("client_id", self.iss)),
            ),
        };
        TokenRequest::post(self.token_url, body, params.unwrap_or_default())
    }
}

#[cfg(feature = "alloc")]
impl Rfc7523<'_> {
    /// The same profile owning copies of its strings, shareable by any
    /// number of sources and threads without a `'static` borrow (e.g. for
    /// `AsyncTokenSource`, whose fetch runs on its own task):
    ///
    /// ```
    /// # fn main() -> Result<(), jwtmint::Error> {
    /// use jwtmint::ClaimValue;
    /// use jwtmint::profiles::{Profile, Rfc7523};
    /// let url = format!("https://{}/token", "as.example.com");
    /// let borrowed = Rfc7523::grant("client-1", "user-1", &url)?
    ///     .with_scope("api")?
    ///     .with_not_before(0)
    ///     .with_lifetime(120)?;
    /// let p = borrowed.owned()?;
    /// let (b, o) = (borrowed.claims(1_700_000_000, None)?, p.claims(1_700_000_000, None)?);
    /// assert_eq!((b.iss, b.sub, b.aud, b.iat, b.exp, b.nbf), (o.iss, o.sub, o.aud, o.iat, o.exp, o.nbf));
    /// assert_eq!(borrowed.token_request().unwrap().params, p.token_request().unwrap().params);
    /// drop(url); // `p` owns its strings
    /// assert_eq!(p.token_request().unwrap().url, "https://as.example.com/token");
    /// assert_eq!(o.exp, Some(1_700_000_120));
    /// // Extra claims stay borrowed: refused.
    /// let extra = [("tid", ClaimValue::Str("t1"))];
    /// let with_extra = Rfc7523::grant("c", "u", "https://as.example.com/token")?.with_extra(&extra);
    /// assert!(with_extra.owned().is_err());
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// `InvalidField { field: "extra" }` when the profile has extra claims
    /// (they stay borrowed: give the source an `Arc` of the borrowed profile
    /// instead).
    pub fn owned(&self) -> Result<alloc::sync::Arc<dyn Profile + Send + Sync>> {
        if !self.extra.is_empty() {
            return Err(Error::InvalidField {
                field: "extra",
                reason: "an owned generic profile carries no extra claims",
            });
        }
        Ok(alloc::sync::Arc::new(Owned::of(self)))
    }
}

impl Rfc7523<'_> {
    /// Checks that `claims` carries what RFC 7523 §3 requires: `iss`, `sub`,
    /// `aud` and `exp`, plus everything [`Claims::validate`] checks.
    ///
    /// # Errors
    /// `InvalidField` naming the first missing claim.
    pub fn check(claims: &Claims<'_>) -> Result<()> {
        let missing = |field| {
            Err(Error::InvalidField {
                field,
                reason: "required by RFC 7523 §3",
            })
        };
        if claims.iss.is_none_or(str::is_empty) {
            return missing("iss");
        }
        if claims.sub.is_none_or(str::is_empty) {
            return missing("sub");
        }
        match claims.aud {
            None | Some(Audience::One("")) => return missing("aud"),
            _ => {}
        }
        if claims.exp.is_none() {
            return missing("exp");
        }
        claims.validate()
    }
}

/// A generic profile owning its strings (what a front end builds from its
/// options: the C constructor copies every string).
#[cfg(feature = "alloc")]
#[derive(Clone, Debug)]
struct Owned {
    kind: Kind,
    /// `iss`, `sub`, `aud`, token URL.
    text: [alloc::string::String; 4],
    scope: Option<alloc::string::String>,
    not_before: Option<i64>,
    lifetime: i64,
    header: HeaderTemplate,
}

#[cfg(feature = "alloc")]
impl Owned {
    /// Copies `p`'s strings (not its extra claims).
    fn of(p: &Rfc7523<'_>) -> Self {
        Self {
            kind: p.kind,
            text: [p.iss, p.sub, p.aud, p.token_url].map(alloc::string::String::from),
            scope: p.scope.map(alloc::string::String::from),
            not_before: p.not_before,
            lifetime: p.lifetime,
            header: p.header,
        }
    }

    fn view(&self) -> Rfc7523<'_> {
        let [iss, sub, aud, token_url] = &self.text;
        Rfc7523 {
            kind: self.kind,
            iss,
            sub,
            aud,
            token_url,
            scope: self.scope.as_deref(),
            not_before: self.not_before,
            extra: &[],
            lifetime: self.lifetime,
            header: self.header,
        }
    }

    fn with_lifetime(self, seconds: i64) -> Result<Self> {
        let lifetime = self.view().with_lifetime(seconds)?.lifetime;
        Ok(Self { lifetime, ..self })
    }
}

#[cfg(feature = "alloc")]
impl Profile for Owned {
    super::rules::name_and_header!("rfc7523");

    fn claims<'s>(&'s self, now: i64, jti: Option<&'s str>) -> Result<Claims<'s>> {
        self.view().claims_at(now, jti)
    }

    fn limits(&self) -> Limits {
        self.view().limits()
    }

    fn token_request(&self) -> Option<TokenRequest<'_>> {
        Some(self.view().request())
    }
}

/// The generic RFC 7523 declaration (C `jwtmint_rfc7523_profile_new`; the
/// CLI's `--profile generic` is a superset: any claim, `nbf`, `x5t` from a
/// certificate, HMAC keys).
#[cfg(feature = "alloc")]
pub const PROVIDER: super::declare::Provider = {
    use super::declare::{Grant, KeyUse, Kind as K, Opt, Provider};
    Provider {
        name: "rfc7523",
        summary: "Any RFC 7523 server, every claim explicit",
        c_options: "jwtmint_rfc7523_options",
        algorithms: &Algorithm::ALL,
        lifetime: (DEFAULT_LIFETIME, i64::MAX),
        grant: Grant::JwtBearer,
        key: KeyUse::Caller,
        options: &[
            Opt::optional(
                "kind",
                "kind",
                K::Choice(&["grant", "client-assertion"]),
                "the use: grant (RFC 7523 section 2.1: `iss`, `sub`, `aud`, posted as `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer`) or client-assertion (section 2.2: `iss` = `sub` = the client id, a `jti`, posted with the client-credentials grant and `client_id`)",
            )
            .c_enum(
                "jwtmint_rfc7523_kind",
                &[
                    (
                        "JWTMINT_RFC7523_GRANT",
                        "An authorization grant (RFC 7523 section 2.1): `iss`, `sub`, `aud`, posted as `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer`.",
                    ),
                    (
                        "JWTMINT_RFC7523_CLIENT_ASSERTION",
                        "Client authentication (section 2.2): `iss` = `sub` = the client id, a `jti` (drawn when the mint gets none), posted with the client-credentials grant and `client_id`.",
                    ),
                ],
            ),
            Opt::required(
                "iss",
                "iss",
                K::Text,
                "`iss` (the client id for a client assertion)",
            ),
            Opt::when(
                ("kind", 0),
                "sub",
                "sub",
                K::Text,
                "`sub` of a grant (required there); absent for a client assertion, whose `sub` is `iss`",
            ),
            Opt::required(
                "aud",
                "aud",
                K::Text,
                "`aud`, the authorization server's identifier",
            ),
            Opt::optional(
                "token_url",
                "token-url",
                K::Text,
                "the token endpoint; absent: `aud`. It (or `aud`) must be `https://`, or `http://` to 127.0.0.1, `[::1]` or `localhost`",
            ),
            Opt::optional(
                "scope",
                "scope",
                K::Text,
                "the `scope` of the token request; absent for none",
            ),
            Opt::optional(
                "alg",
                "alg",
                K::Alg,
                "the algorithm (`jwtmint_alg`; default RS256)",
            ),
            Opt::optional("kid", "kid", K::Text, "`kid` header; absent for none"),
            Opt::lifetime("seconds from now to `exp` (no cap); default 300"),
        ],
        build: |v| {
            let aud = v.required("aud")?;
            let token_url = v.text("token_url").unwrap_or(aud);
            super::url::check_token_url(token_url, "token_url")?;
            let iss = v.required("iss")?;
            let view = match v.text("sub") {
                Some(sub) if v.choice("kind") != Some(1) => Rfc7523::grant(iss, sub, aud)?,
                None if v.choice("kind") != Some(0) => Rfc7523::client_assertion(iss, aud)?,
                _ => {
                    return Err(Error::InvalidField {
                        field: "sub",
                        reason: "required by a grant, absent from a client assertion",
                    });
                }
            };
            let mut header = Header::new(v.alg("alg"));
            if let Some(kid) = v.text("kid") {
                header = header.kid(kid);
            }
            let mut view = view.with_header(&header)?.with_token_url(token_url)?;
            if let Some(scope) = v.text("scope") {
                view = view.with_scope(scope)?;
            }
            v.finish(Owned::of(&view), Owned::with_lifetime)
        },
    }
};
