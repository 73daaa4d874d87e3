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

use super::profile::{Limits, Profile};
use super::request::{Body, Params, TokenRequest};
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
    fn name(&self) -> &'static str {
        "rfc7523"
    }

    fn header(&self) -> &HeaderTemplate {
        &self.header
    }

    fn claims<'s>(&'s self, now: i64, jti: Option<&'s str>) -> Result<Claims<'s>> {
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

    fn limits(&self) -> Limits {
        let limits = Limits::new(self.lifetime, None);
        match self.kind {
            Kind::Grant => limits,
            Kind::ClientAssertion => limits.jti_required(),
        }
    }

    fn token_request(&self) -> Option<TokenRequest<'_>> {
        let (body, params) = match self.kind {
            Kind::Grant => (Body::JwtBearer, Params::new().push_opt("scope", self.scope)),
            Kind::ClientAssertion => (
                Body::ClientAssertion,
                Params::new()
                    .push("grant_type", "client_credentials")
                    .and_then(|p| p.push_opt("scope", self.scope))
                    .and_then(|p| p.push("client_id", self.iss)),
            ),
        };
        Some(TokenRequest::post(
            self.token_url,
            body,
            params.unwrap_or_default(),
        ))
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
