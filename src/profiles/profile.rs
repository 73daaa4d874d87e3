//! The [`Profile`] trait: what a provider profile is, for every caller (the
//! Rust API, the C ABI, the CLI and, next, the session manager).

use core::hash::Hasher;

use crate::alg::Algorithm;
use crate::claims::Claims;
use crate::error::Result;
use crate::header::HeaderTemplate;

use super::grants::Grants;
use super::request::TokenRequest;
use super::rules::field;

/// Whether a profile's assertions carry a `jti`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Jti {
    /// The provider does not use one; a caller-given `jti` is still written.
    Optional,
    /// The provider requires a unique `jti` (Entra, `private_key_jwt`): when
    /// the caller gives none, the mint path draws a random UUID v4 (with `std`)
    /// or fails with `InvalidField { field: "jti" }` (without).
    Required,
}

/// The provider's limits as configured: what the session manager needs to
/// know to re-mint and cache, and what the checks enforce.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Limits {
    /// The configured assertion lifetime (`exp - now`), seconds.
    pub lifetime: i64,
    /// The provider's cap on the lifetime; `None` when it documents none.
    pub max_lifetime: Option<i64>,
    /// Whether a `jti` is required.
    pub jti: Jti,
    /// The shortest time the provider accepts between two fresh tokens
    /// (APNs: 20 minutes); `None` when it documents none. `lifetime` is
    /// chosen inside the window, so a session that re-mints when `lifetime`
    /// is up never mints too often.
    pub min_reuse: Option<i64>,
}

impl Limits {
    /// Limits with the given lifetime and cap, `jti` optional.
    pub const fn new(lifetime: i64, max_lifetime: Option<i64>) -> Self {
        Self {
            lifetime,
            max_lifetime,
            jti: Jti::Optional,
            min_reuse: None,
        }
    }

    /// The same limits with a minimum time between fresh tokens.
    #[must_use]
    pub const fn min_reuse(mut self, seconds: i64) -> Self {
        self.min_reuse = Some(seconds);
        self
    }

    /// The same limits with a required `jti`.
    #[must_use]
    pub const fn jti_required(mut self) -> Self {
        self.jti = Jti::Required;
        self
    }
}

/// A configured provider profile: everything needed to mint an assertion for
/// one provider and application, except the key and the time.
///
/// A profile is built once (its constructor checks every provider rule that
/// does not depend on time), is immutable, and is shared. The one mint path,
/// [`crate::profiles::mint_profile`], asks the key for a signer of
/// [`Profile::algorithm`], so a signer of the wrong algorithm cannot be passed.
///
/// The trait is object safe: the C ABI and the CLI hold a
/// `dyn Profile + Send + Sync`.
pub trait Profile {
    /// A short stable name (`"salesforce"`, `"google"`, `"entra"`, `"rfc7523"`).
    fn name(&self) -> &'static str;

    /// The pre-encoded header; it names the algorithm the profile signs with.
    fn header(&self) -> &HeaderTemplate;

    /// The algorithm the profile signs with (the header's `alg`).
    fn algorithm(&self) -> Algorithm {
        self.header().algorithm()
    }

    /// The claims of an assertion issued at `now` (seconds since 1970), with
    /// `jti` when given. This is the one place each provider's field mapping
    /// (which claim gets which value) is written down. The claims are
    /// validated by the mint path, not here.
    ///
    /// # Errors
    /// `LengthOverflow` when `now + lifetime` overflows; `InvalidField` for a
    /// missing required or empty `jti`.
    fn claims<'s>(&'s self, now: i64, jti: Option<&'s str>) -> Result<Claims<'s>>;

    /// The limits as configured.
    fn limits(&self) -> Limits;

    /// How the assertion is exchanged for an access token; `None` when the
    /// signed JWT is itself the credential (sent as a bearer token, no
    /// exchange).
    fn token_request(&self) -> Option<TokenRequest<'_>>;

    /// The token endpoint (the URL of [`Profile::token_request`]); `None`
    /// when there is no exchange.
    fn token_url(&self) -> Option<&str> {
        self.token_request().map(|r| r.url)
    }

    /// The grants a session makes with this profile; `None` (the default):
    /// the profile's own assertion grant, renewed with a refresh token when
    /// the server returns one. [`Custom`](super::Custom) returns its plan.
    fn grants(&self) -> Option<Grants<'_>> {
        None
    }

    /// Feeds everything that identifies the grant this profile makes (name,
    /// header, claims other than times and `jti`, token request) into
    /// `state`: two profiles with the same identity mint interchangeable
    /// assertions, so a token cache may key on it (together with the key).
    fn identity(&self, state: &mut dyn Hasher) {
        field(state, self.name().as_bytes());
        field(state, self.header().as_bytes());
        // The claims at a fixed time with a placeholder `jti`: times and the
        // assertion id change per mint, not per grant, and are left out.
        if let Ok(c) = self.claims(0, Some("-")) {
            claims_identity(&c, state);
        }
        if let Some(r) = self.token_request() {
            r.identity(state);
        }
        if let Some(g) = self.grants() {
            g.identity(state);
        }
    }
}

/// The grant-identifying members of `c`: everything but `exp`, `nbf`, `iat`, `jti`.
fn claims_identity(c: &Claims<'_>, state: &mut dyn Hasher) {
    use crate::claims::{Audience, ClaimValue};
    for v in [c.iss, c.sub, c.scope] {
        field(state, v.unwrap_or_default().as_bytes());
    }
    match c.aud {
        None => state.write_u8(0),
        Some(Audience::One(a)) => {
            state.write_u8(1);
            field(state, a.as_bytes());
        }
        Some(Audience::Many(list)) => {
            state.write_u8(2);
            state.write_usize(list.len());
            for a in list {
                field(state, a.as_bytes());
            }
        }
    }
    state.write_usize(c.extra.len());
    for (name, value) in c.extra {
        field(state, name.as_bytes());
        match value {
            ClaimValue::Str(s) => {
                state.write_u8(0);
                field(state, s.as_bytes());
            }
            ClaimValue::Int(i) => {
                state.write_u8(1);
                state.write_i64(*i);
            }
            ClaimValue::Bool(b) => {
                state.write_u8(2);
                state.write_u8(u8::from(*b));
            }
            ClaimValue::Raw(r) => {
                state.write_u8(3);
                field(state, r.as_str().as_bytes());
            }
        }
    }
}
