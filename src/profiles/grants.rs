//! [`Grants`]: which grant a session makes first and how it renews — the
//! configuration for identity providers that are not plain RFC 7523.
//!
//! Each step is a [`GrantSpec`]: a [`Grant`] plus extra form fields and
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
#[cfg(feature = "alloc")]
use alloc::{boxed::Box, string::String, vec::Vec};

use super::rules::field;

/// The default grant type of the previous-token step: RFC 7523's JWT bearer
/// grant, with the previously issued access token as the `assertion`.
pub const PREVIOUS_TOKEN_GRANT_TYPE: &str = crate::form::GRANT_TYPE_JWT_BEARER;

/// Extra form fields or headers, `(name, value)` in order: a view of
/// borrowed pairs ([`Pairs::new`]) or, with `alloc`, of owned ones
/// ([`Pairs::owned`]). `Debug` shows the names only (a value may be a client
/// secret or an API key).
#[derive(Clone, Copy)]
pub struct Pairs<'a>(PairSlice<'a>);

#[derive(Clone, Copy)]
enum PairSlice<'a> {
    Borrowed(&'a [(&'a str, &'a str)]),
    #[cfg(feature = "alloc")]
    Owned(&'a [(String, String)]),
}

impl<'a> Pairs<'a> {
    /// No pairs.
    pub const EMPTY: Self = Self::new(&[]);

    /// A view of `pairs`.
    pub const fn new(pairs: &'a [(&'a str, &'a str)]) -> Self {
        Self(PairSlice::Borrowed(pairs))
    }

    /// A view of owned `pairs`.
    #[cfg(feature = "alloc")]
    pub const fn owned(pairs: &'a [(String, String)]) -> Self {
        Self(PairSlice::Owned(pairs))
    }

    /// The number of pairs.
    pub const fn len(&self) -> usize {
        match self.0 {
            PairSlice::Borrowed(p) => p.len(),
            #[cfg(feature = "alloc")]
            PairSlice::Owned(p) => p.len(),
        }
    }

    /// Whether there are none.
    pub const fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The pair at `i`.
    pub fn get(&self, i: usize) -> Option<(&'a str, &'a str)> {
        match self.0 {
            PairSlice::Borrowed(p) => p.get(i).copied(),
            #[cfg(feature = "alloc")]
            PairSlice::Owned(p) => p.get(i).map(|(k, v)| (k.as_str(), v.as_str())),
        }
    }

    /// The pairs in order.
    pub const fn iter(&self) -> PairsIter<'a> {
        PairsIter {
            pairs: *self,
            next: 0,
        }
    }
}

/// The pairs of a [`Pairs`], in order.
#[derive(Clone)]
pub struct PairsIter<'a> {
    pairs: Pairs<'a>,
    next: usize,
}

impl<'a> Iterator for PairsIter<'a> {
    type Item = (&'a str, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        let pair = self.pairs.get(self.next)?;
        self.next += 1;
        Some(pair)
    }
}

impl<'a> IntoIterator for Pairs<'a> {
    type Item = (&'a str, &'a str);
    type IntoIter = PairsIter<'a>;

    fn into_iter(self) -> PairsIter<'a> {
        self.iter()
    }
}

impl Default for Pairs<'_> {
    fn default() -> Self {
        Self::EMPTY
    }
}

impl<'a> From<&'a [(&'a str, &'a str)]> for Pairs<'a> {
    fn from(pairs: &'a [(&'a str, &'a str)]) -> Self {
        Self::new(pairs)
    }
}

impl core::fmt::Debug for Pairs<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_list().entries(self.iter().map(|(k, _)| k)).finish()
    }
}

impl PartialEq for Pairs<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.iter().eq(other.iter())
    }
}

impl Eq for Pairs<'_> {}

impl PartialEq<[(&str, &str)]> for Pairs<'_> {
    fn eq(&self, other: &[(&str, &str)]) -> bool {
        self.iter().eq(other.iter().copied())
    }
}

impl<const N: usize> PartialEq<&[(&str, &str); N]> for Pairs<'_> {
    fn eq(&self, other: &&[(&str, &str); N]) -> bool {
        *self == other[..]
    }
}

impl core::hash::Hash for Pairs<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_usize(self.len());
        self.iter().for_each(|p| p.hash(state));
    }
}

/// The one grant model: what a token request (or a session's grant step)
/// makes. A profile's token request (`TokenRequest::body`) names the grant
/// its assertion makes (`JwtBearer`, `ClientAssertion`, `BearerHeader`); a
/// [`GrantSpec`] names a step of a session's plan; the session reports the
/// grant of each fetch; C's `jwtmint_grant_kind` is this enum, generated.
/// The discriminants are stable (they are hashed into session identities).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Grant {
    /// RFC 7523 §2.1: `grant_type=…jwt-bearer&assertion=<jwt>` with a
    /// freshly minted assertion.
    JwtBearer = 1,
    /// RFC 7523 §2.2: client credentials authenticated by a freshly minted
    /// client assertion.
    ClientAssertion = 2,
    /// The JWT sent as `Authorization: Bearer <jwt>`, no body (GitHub App
    /// installation tokens).
    BearerHeader = 3,
    /// RFC 6749 §6: `grant_type=refresh_token` with the stored refresh token
    /// (plus a fresh client assertion for §2.2 profiles; renewal only).
    RefreshToken = 4,
    /// No exchange: the signed JWT is the credential (the profile's
    /// `token_request()` is `None`).
    SelfSigned = 5,
    /// RFC 6749 §4.3 resource-owner password credentials:
    /// `grant_type=password&username=…&password=…`. Deprecated by OAuth 2.1
    /// (it hands the user's password to the client); here only for the
    /// identity providers that still require it. The password comes from a
    /// [`Secret`] at each build and is never kept.
    Password = 6,
    /// The identity provider's renewal step: `grant_type=<grant_type>` with
    /// the previously issued, still valid access token as `assertion`
    /// (renewal only).
    PreviousToken = 7,
}

impl Grant {
    /// Every grant, in discriminant order.
    pub const ALL: [Grant; 7] = [
        Grant::JwtBearer,
        Grant::ClientAssertion,
        Grant::BearerHeader,
        Grant::RefreshToken,
        Grant::SelfSigned,
        Grant::Password,
        Grant::PreviousToken,
    ];

    /// A short name for logs and errors (`"password"`, `"refresh_token"`, ...).
    pub const fn name(self) -> &'static str {
        match self {
            Grant::JwtBearer => "jwt_bearer",
            Grant::ClientAssertion => "client_assertion",
            Grant::BearerHeader => "bearer_header",
            Grant::RefreshToken => "refresh_token",
            Grant::SelfSigned => "self_signed",
            Grant::Password => "password",
            Grant::PreviousToken => "previous_token",
        }
    }

    /// One line on what the grant sends (C's `jwtmint_grant_kind` docs).
    pub const fn summary(self) -> &'static str {
        match self {
            Grant::JwtBearer => {
                "RFC 7523 section 2.1: `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer` with a freshly minted assertion"
            }
            Grant::ClientAssertion => {
                "RFC 7523 section 2.2: the client-credentials grant authenticated by a freshly minted client assertion"
            }
            Grant::BearerHeader => {
                "the JWT sent as `Authorization: Bearer`, no body (GitHub App installation tokens)"
            }
            Grant::RefreshToken => {
                "RFC 6749 section 6 `grant_type=refresh_token` with the last refresh token (renewal only)"
            }
            Grant::SelfSigned => "no exchange: the signed JWT is the credential",
            Grant::Password => {
                "RFC 6749 section 4.3 `grant_type=password` (initial grant only). Deprecated by OAuth 2.1; for identity providers that still require it"
            }
            Grant::PreviousToken => {
                "the previously issued, still valid access token as `assertion` (renewal only)"
            }
        }
    }

    /// The grant with discriminant `v` (C's `jwtmint_grant_kind`).
    pub fn from_u32(v: u32) -> Option<Self> {
        Self::ALL.into_iter().find(|g| *g as u32 == v)
    }

    /// Whether the step mints an assertion with the profile's key.
    pub const fn mints(self) -> bool {
        matches!(
            self,
            Grant::JwtBearer | Grant::ClientAssertion | Grant::BearerHeader | Grant::SelfSigned
        )
    }

    /// Whether the grant renews an earlier answer (a refused renewal falls
    /// back to the next step instead of failing the session).
    pub const fn renews(self) -> bool {
        matches!(self, Grant::RefreshToken | Grant::PreviousToken)
    }

    /// The grant a plan step makes (its [`GrantSpec::kind`]; the session
    /// core's name for it).
    pub(crate) const fn of_kind(kind: &Grant) -> Self {
        *kind
    }
}

/// One grant step: its [`Grant`], what that grant reads (the password
/// grant's user name and password source, the previous-token step's
/// `grant_type`), and the extra form fields (after the grant's own) and
/// headers it sends. `Debug` shows field and header names only (values may
/// be a client secret or an API key) and never the password.
#[derive(Clone, Copy)]
#[non_exhaustive]
pub struct GrantSpec<'a> {
    /// What it sends.
    pub kind: Grant,
    /// [`Grant::Password`]: the resource owner's user name (else empty).
    pub username: &'a str,
    /// [`Grant::Password`]: where the password comes from.
    pub password: Option<&'a (dyn Secret + Sync)>,
    /// [`Grant::PreviousToken`]: the `grant_type` value (default
    /// [`PREVIOUS_TOKEN_GRANT_TYPE`]; else empty).
    pub grant_type: &'a str,
    /// Extra form fields, after the grant's own and the profile's.
    pub form: Pairs<'a>,
    /// Extra headers, after the profile's.
    pub headers: Pairs<'a>,
}

impl core::fmt::Debug for GrantSpec<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("GrantSpec")
            .field("kind", &self.kind)
            .field("username", &self.username)
            .field("password", &self.password.map(|_| "<secret>"))
            .field("grant_type", &self.grant_type)
            .field("form", &self.form)
            .field("headers", &self.headers)
            .finish()
    }
}

impl<'a> GrantSpec<'a> {
    const fn of(kind: Grant) -> Self {
        Self {
            kind,
            username: "",
            password: None,
            grant_type: "",
            form: Pairs::EMPTY,
            headers: Pairs::EMPTY,
        }
    }

    /// RFC 7523 §2.1 with a fresh assertion.
    pub const fn jwt_bearer() -> Self {
        Self::of(Grant::JwtBearer)
    }

    /// RFC 7523 §2.2 client credentials with a fresh client assertion.
    pub const fn client_assertion() -> Self {
        Self::of(Grant::ClientAssertion)
    }

    /// RFC 6749 §4.3 password grant (deprecated by OAuth 2.1; see
    /// [`Grant::Password`]).
    pub const fn password(username: &'a str, password: &'a (dyn Secret + Sync)) -> Self {
        let mut s = Self::of(Grant::Password);
        s.username = username;
        s.password = Some(password);
        s
    }

    /// RFC 6749 §6 refresh.
    pub const fn refresh_token() -> Self {
        Self::of(Grant::RefreshToken)
    }

    /// The previous access token as `assertion`, with the JWT bearer grant type.
    pub const fn previous_token() -> Self {
        Self::previous_token_as(PREVIOUS_TOKEN_GRANT_TYPE)
    }

    /// The previous access token as `assertion`, with this `grant_type`.
    pub const fn previous_token_as(grant_type: &'a str) -> Self {
        let mut s = Self::of(Grant::PreviousToken);
        s.grant_type = grant_type;
        s
    }

    /// The same step with extra form fields.
    #[must_use]
    pub const fn form(mut self, form: &'a [(&'a str, &'a str)]) -> Self {
        self.form = Pairs::new(form);
        self
    }

    /// The same step with extra headers.
    #[must_use]
    pub const fn headers(mut self, headers: &'a [(&'a str, &'a str)]) -> Self {
        self.headers = Pairs::new(headers);
        self
    }

    fn check(&self) -> Result<()> {
        if self.kind == Grant::Password && (self.username.is_empty() || self.password.is_none()) {
            return Err(Error::InvalidField {
                field: "username",
                reason: "must not be empty",
            });
        }
        if self.kind == Grant::PreviousToken && self.grant_type.is_empty() {
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
            Grant::Password => field(state, self.username.as_bytes()),
            Grant::PreviousToken => field(state, self.grant_type.as_bytes()),
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
    pub renew: Steps<'a>,
}

/// A plan's renewal steps: a view of borrowed [`GrantSpec`]s or, with
/// `alloc`, of [`OwnedGrantSpec`]s.
#[derive(Clone, Copy)]
pub struct Steps<'a>(StepSlice<'a>);

#[derive(Clone, Copy)]
enum StepSlice<'a> {
    Borrowed(&'a [GrantSpec<'a>]),
    #[cfg(feature = "alloc")]
    Owned(&'a [OwnedGrantSpec]),
}

impl<'a> Steps<'a> {
    /// The number of steps.
    pub const fn len(&self) -> usize {
        match self.0 {
            StepSlice::Borrowed(s) => s.len(),
            #[cfg(feature = "alloc")]
            StepSlice::Owned(s) => s.len(),
        }
    }

    /// Whether there are none.
    pub const fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The step at `i`.
    pub fn get(&self, i: usize) -> Option<GrantSpec<'a>> {
        match self.0 {
            StepSlice::Borrowed(s) => s.get(i).copied(),
            #[cfg(feature = "alloc")]
            StepSlice::Owned(s) => s.get(i).map(OwnedGrantSpec::view),
        }
    }

    /// The steps in order.
    pub fn iter(&self) -> impl Iterator<Item = GrantSpec<'a>> + Clone + use<'a> {
        let steps = *self;
        (0..steps.len()).filter_map(move |i| steps.get(i))
    }
}

#[cfg(feature = "alloc")]
impl<'a> Steps<'a> {
    /// A view of owned steps (unchecked: [`Grants::owned`] checks them).
    pub(crate) const fn owned(steps: &'a [OwnedGrantSpec]) -> Self {
        Self(StepSlice::Owned(steps))
    }
}

impl core::fmt::Debug for Steps<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<'a> Grants<'a> {
    /// Checks and returns the plan.
    ///
    /// # Errors
    /// `InvalidField { field: "grants" }` when `initial` is a renewal step or
    /// a `renew` step is not one; `InvalidField` for an empty user name or
    /// grant type, a malformed header, an empty form field name.
    pub fn new(initial: GrantSpec<'a>, renew: &'a [GrantSpec<'a>]) -> Result<Self> {
        Self::checked(initial, Steps(StepSlice::Borrowed(renew)))
    }

    /// Checks and returns the plan of owned steps.
    ///
    /// # Errors
    /// As [`Grants::new`].
    #[cfg(feature = "alloc")]
    pub fn owned(initial: &'a OwnedGrantSpec, renew: &'a [OwnedGrantSpec]) -> Result<Self> {
        Self::checked(initial.view(), Steps::owned(renew))
    }

    fn checked(initial: GrantSpec<'a>, renew: Steps<'a>) -> Result<Self> {
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
        renew.iter().try_for_each(|s| s.check())?;
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
        for s in self.renew.iter() {
            s.identity(state);
        }
    }
}

/// A [`GrantSpec`] owning copies of its texts and pairs (wiped on drop: a
/// form or header value may be an API key) and its password source — what
/// a front end builds from its options (the C constructor, the CLI) for an
/// [`OwnedCustom`](super::OwnedCustom). [`OwnedGrantSpec::view`] lends it
/// as a [`GrantSpec`]; `Debug` is the view's.
#[cfg(feature = "alloc")]
pub struct OwnedGrantSpec {
    kind: Grant,
    username: zeroize::Zeroizing<String>,
    password: Option<Box<dyn Secret + Send + Sync>>,
    grant_type: zeroize::Zeroizing<String>,
    form: OwnedPairs,
    headers: OwnedPairs,
}

/// Copied `(name, value)` pairs, wiped on drop.
#[cfg(feature = "alloc")]
pub(crate) type OwnedPairs = zeroize::Zeroizing<Vec<(String, String)>>;

/// Copies `pairs` (wiped on drop).
#[cfg(feature = "alloc")]
pub(crate) fn copy_pairs<'p>(pairs: impl IntoIterator<Item = (&'p str, &'p str)>) -> OwnedPairs {
    zeroize::Zeroizing::new(
        pairs
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect(),
    )
}

#[cfg(feature = "alloc")]
impl OwnedGrantSpec {
    /// Copies `spec`'s texts and pairs, not its password source.
    fn copy(spec: GrantSpec<'_>) -> Self {
        Self {
            kind: spec.kind,
            username: zeroize::Zeroizing::new(spec.username.into()),
            password: None,
            grant_type: zeroize::Zeroizing::new(spec.grant_type.into()),
            form: copy_pairs(spec.form),
            headers: copy_pairs(spec.headers),
        }
    }

    /// [`GrantSpec::password`] with a copy of `username`, keeping
    /// `password` (deprecated by OAuth 2.1; see [`Grant::Password`]).
    pub fn password(username: &str, password: Box<dyn Secret + Send + Sync>) -> Self {
        let mut s = Self::copy(GrantSpec::of(Grant::Password));
        s.username = zeroize::Zeroizing::new(username.into());
        s.password = Some(password);
        s
    }

    /// [`GrantSpec::refresh_token`].
    pub fn refresh_token() -> Self {
        Self::copy(GrantSpec::refresh_token())
    }

    /// [`GrantSpec::previous_token`].
    pub fn previous_token() -> Self {
        Self::copy(GrantSpec::previous_token())
    }

    /// [`GrantSpec::previous_token_as`] with a copy of `grant_type`.
    pub fn previous_token_as(grant_type: &str) -> Self {
        Self::copy(GrantSpec::previous_token_as(grant_type))
    }

    /// The same step with copies of extra form fields.
    #[must_use]
    pub fn form<'p>(mut self, form: impl IntoIterator<Item = (&'p str, &'p str)>) -> Self {
        self.form = copy_pairs(form);
        self
    }

    /// The same step with copies of extra headers.
    #[must_use]
    pub fn headers<'p>(mut self, headers: impl IntoIterator<Item = (&'p str, &'p str)>) -> Self {
        self.headers = copy_pairs(headers);
        self
    }

    /// The step as a [`GrantSpec`] borrowing it.
    pub fn view(&self) -> GrantSpec<'_> {
        GrantSpec {
            kind: self.kind,
            username: &self.username,
            password: match &self.password {
                Some(p) => Some(&**p),
                None => None,
            },
            grant_type: &self.grant_type,
            form: Pairs::owned(&self.form),
            headers: Pairs::owned(&self.headers),
        }
    }
}

#[cfg(feature = "alloc")]
impl core::fmt::Debug for OwnedGrantSpec {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        self.view().fmt(f)
    }
}
