//! [`Grants`]: which grant a session makes first and how it renews — the
//! configuration for identity providers that are not plain RFC 7523.
//!
//! Each step is a [`GrantSpec`]: a [`GrantKind`] plus extra form fields and
//! headers of its own (`client_id`, an API-key header). A session tries the
//! `renew` steps in order, skipping those that do not apply — a
//! `refresh_token` step needs a stored refresh token the server has not
//! refused; a previous-token step needs the current access token still
//! valid and not refused — and makes the `initial` grant when none applies.
//!
//! ```
//! use jwtmint::profiles::{GrantSpec, Grants};
//! use jwtmint::secret::SECRET_CAPACITY;
//! struct Pw;
//! impl jwtmint::secret::Secret for Pw {
//!     fn reveal(&self, out: &mut [u8]) -> jwtmint::Result<usize> {
//!         out[..2].copy_from_slice(b"pw");
//!         Ok(2)
//!     }
//! }
//! static PW: Pw = Pw;
//! static RENEW: [GrantSpec<'static>; 2] = [GrantSpec::refresh_token(), GrantSpec::previous_token()];
//! let g = Grants::new(GrantSpec::password("alice", &PW).form(&[("client_id", "app")]), &RENEW).unwrap();
//! assert_eq!(g.renew.len(), 2);
//! # let _ = SECRET_CAPACITY;
//! ```

use core::hash::Hasher;

use crate::error::{Error, Result};
use crate::secret::Secret;

use super::rules::field;

/// The default grant type of the previous-token step: RFC 7523's JWT bearer
/// grant, with the previously issued access token as the `assertion`.
pub const PREVIOUS_TOKEN_GRANT_TYPE: &str = crate::form::GRANT_TYPE_JWT_BEARER;

/// Extra form fields or headers, `(name, value)` in order.
pub type Pairs<'a> = &'a [(&'a str, &'a str)];

/// What one grant step sends.
#[derive(Clone, Copy)]
#[non_exhaustive]
pub enum GrantKind<'a> {
    /// RFC 7523 §2.1 with a freshly minted assertion (needs a profile that
    /// mints: not [`Custom`](super::Custom)).
    JwtBearer,
    /// RFC 7523 §2.2: `client_credentials` authenticated by a freshly minted
    /// client assertion (needs a profile that mints).
    ClientAssertion,
    /// RFC 6749 §4.3 resource-owner password credentials:
    /// `grant_type=password&username=…&password=…`. Deprecated by OAuth 2.1
    /// (it hands the user's password to the client); here only for the
    /// identity providers that still require it. The password comes from a
    /// [`Secret`] at each build and is never kept.
    Password {
        /// The resource owner's user name.
        username: &'a str,
        /// Where the password comes from.
        password: &'a (dyn Secret + Sync),
    },
    /// RFC 6749 §6: `grant_type=refresh_token&refresh_token=…` with the
    /// refresh token of the last answer (renewal only).
    RefreshToken,
    /// The identity provider's renewal step: `grant_type=<grant_type>` with
    /// the previously issued, still valid access token as `assertion`
    /// (renewal only).
    PreviousToken {
        /// The `grant_type` value (default [`PREVIOUS_TOKEN_GRANT_TYPE`]).
        grant_type: &'a str,
    },
}

impl GrantKind<'_> {
    /// A short name for logs and errors (`"password"`, `"refresh_token"`, ...).
    pub const fn name(&self) -> &'static str {
        match self {
            GrantKind::JwtBearer => "jwt_bearer",
            GrantKind::ClientAssertion => "client_assertion",
            GrantKind::Password { .. } => "password",
            GrantKind::RefreshToken => "refresh_token",
            GrantKind::PreviousToken { .. } => "previous_token",
        }
    }

    /// Whether the step mints an assertion with the profile's key.
    pub const fn mints(&self) -> bool {
        matches!(self, GrantKind::JwtBearer | GrantKind::ClientAssertion)
    }

    /// Whether the step can only renew (needs an earlier answer).
    pub const fn renews(&self) -> bool {
        matches!(
            self,
            GrantKind::RefreshToken | GrantKind::PreviousToken { .. }
        )
    }
}

impl core::fmt::Debug for GrantKind<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            GrantKind::Password { username, .. } => f
                .debug_struct("Password")
                .field("username", username)
                .field("password", &"<secret>")
                .finish(),
            GrantKind::PreviousToken { grant_type } => f
                .debug_struct("PreviousToken")
                .field("grant_type", grant_type)
                .finish(),
            other => f.write_str(other.name()),
        }
    }
}

/// One grant step: its kind, and the extra form fields (after the grant's
/// own) and headers it sends. `Debug` shows field and header names only
/// (values may be a client secret or an API key).
#[derive(Clone, Copy)]
#[non_exhaustive]
pub struct GrantSpec<'a> {
    /// What it sends.
    pub kind: GrantKind<'a>,
    /// Extra form fields, after the grant's own and the profile's.
    pub form: Pairs<'a>,
    /// Extra headers, after the profile's.
    pub headers: Pairs<'a>,
}

/// `(name, value)` pairs shown as their names.
pub(crate) struct Names<'a>(pub(crate) Pairs<'a>);

impl core::fmt::Debug for Names<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_list()
            .entries(self.0.iter().map(|(k, _)| k))
            .finish()
    }
}

impl core::fmt::Debug for GrantSpec<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("GrantSpec")
            .field("kind", &self.kind)
            .field("form", &Names(self.form))
            .field("headers", &Names(self.headers))
            .finish()
    }
}

impl<'a> GrantSpec<'a> {
    const fn of(kind: GrantKind<'a>) -> Self {
        Self {
            kind,
            form: &[],
            headers: &[],
        }
    }

    /// RFC 7523 §2.1 with a fresh assertion.
    pub const fn jwt_bearer() -> Self {
        Self::of(GrantKind::JwtBearer)
    }

    /// RFC 7523 §2.2 client credentials with a fresh client assertion.
    pub const fn client_assertion() -> Self {
        Self::of(GrantKind::ClientAssertion)
    }

    /// RFC 6749 §4.3 password grant (deprecated by OAuth 2.1; see
    /// [`GrantKind::Password`]).
    pub const fn password(username: &'a str, password: &'a (dyn Secret + Sync)) -> Self {
        Self::of(GrantKind::Password { username, password })
    }

    /// RFC 6749 §6 refresh.
    pub const fn refresh_token() -> Self {
        Self::of(GrantKind::RefreshToken)
    }

    /// The previous access token as `assertion`, with the JWT bearer grant type.
    pub const fn previous_token() -> Self {
        Self::of(GrantKind::PreviousToken {
            grant_type: PREVIOUS_TOKEN_GRANT_TYPE,
        })
    }

    /// The previous access token as `assertion`, with this `grant_type`.
    pub const fn previous_token_as(grant_type: &'a str) -> Self {
        Self::of(GrantKind::PreviousToken { grant_type })
    }

    /// The same step with extra form fields.
    #[must_use]
    pub const fn form(mut self, form: Pairs<'a>) -> Self {
        self.form = form;
        self
    }

    /// The same step with extra headers.
    #[must_use]
    pub const fn headers(mut self, headers: Pairs<'a>) -> Self {
        self.headers = headers;
        self
    }

    fn check(&self) -> Result<()> {
        if let GrantKind::Password { username, .. } = self.kind
            && username.is_empty()
        {
            return Err(Error::InvalidField {
                field: "username",
                reason: "must not be empty",
            });
        }
        if let GrantKind::PreviousToken { grant_type } = self.kind
            && grant_type.is_empty()
        {
            return Err(Error::InvalidField {
                field: "grant_type",
                reason: "must not be empty",
            });
        }
        check_headers(self.headers)?;
        if self.form.iter().any(|(k, _)| k.is_empty()) {
            return Err(Error::InvalidField {
                field: "form",
                reason: "a form field name must not be empty",
            });
        }
        Ok(())
    }

    /// Feeds the step's identity (kind, user name, grant type, fields,
    /// headers — never the password) into `state`.
    pub fn identity(&self, state: &mut dyn Hasher) {
        field(state, self.kind.name().as_bytes());
        match self.kind {
            GrantKind::Password { username, .. } => field(state, username.as_bytes()),
            GrantKind::PreviousToken { grant_type } => field(state, grant_type.as_bytes()),
            _ => {}
        }
        for pairs in [self.form, self.headers] {
            state.write_usize(pairs.len());
            for (k, v) in pairs {
                field(state, k.as_bytes());
                field(state, v.as_bytes());
            }
        }
    }
}

/// Checks header names (RFC 9110 tokens) and values (no control characters).
pub(crate) fn check_headers(headers: Pairs<'_>) -> Result<()> {
    for (k, v) in headers {
        let token = !k.is_empty()
            && k.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
        if !token || v.bytes().any(|b| b.is_ascii_control()) {
            return Err(Error::InvalidField {
                field: "headers",
                reason: "a header name must be an RFC 9110 token and a value must have no control characters",
            });
        }
    }
    Ok(())
}

/// A session's grants: the `initial` one, and the `renew` steps tried in
/// order before it.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub struct Grants<'a> {
    /// The grant that needs nothing from an earlier answer.
    pub initial: GrantSpec<'a>,
    /// Renewal steps (`refresh_token`, previous token), tried in order.
    pub renew: &'a [GrantSpec<'a>],
}

impl<'a> Grants<'a> {
    /// Checks and returns the plan.
    ///
    /// # Errors
    /// `InvalidField { field: "grants" }` when `initial` is a renewal step or
    /// a `renew` step is not one; `InvalidField` for an empty user name or
    /// grant type, a malformed header, an empty form field name.
    pub fn new(initial: GrantSpec<'a>, renew: &'a [GrantSpec<'a>]) -> Result<Self> {
        if initial.kind.renews() {
            return Err(Error::InvalidField {
                field: "grants",
                reason: "the initial grant cannot be refresh_token or previous_token",
            });
        }
        if renew.iter().any(|s| !s.kind.renews()) {
            return Err(Error::InvalidField {
                field: "grants",
                reason: "a renewal step must be refresh_token or previous_token",
            });
        }
        initial.check()?;
        renew.iter().try_for_each(GrantSpec::check)?;
        Ok(Self { initial, renew })
    }

    /// Whether any step mints an assertion (needs a signing profile).
    pub fn mints(&self) -> bool {
        self.initial.kind.mints() || self.renew.iter().any(|s| s.kind.mints())
    }

    /// Feeds the plan's identity into `state`.
    pub fn identity(&self, state: &mut dyn Hasher) {
        self.initial.identity(state);
        state.write_usize(self.renew.len());
        for s in self.renew {
            s.identity(state);
        }
    }
}
