//! [`Custom`]: a token endpoint and its [`Grants`], no assertion — for
//! identity providers that log in with a password and renew with a refresh
//! token or the previously issued JWT. Use it with a session and
//! [`NoKey`](crate::signer::NoKey): nothing is signed.
//!
//! The token URL must be `https://`, or `http://` to a loopback host
//! (`127.0.0.1`, `[::1]`, `localhost`) for local test servers: a password
//! is never sent in clear over a network.
//!
//! ```
//! use jwtmint::profiles::{Custom, GrantSpec, Grants, Profile};
//! use jwtmint::secret::Secret;
//! struct Pw;
//! impl Secret for Pw {
//!     fn reveal(&self, out: &mut [u8]) -> jwtmint::Result<usize> {
//!         out[..2].copy_from_slice(b"pw");
//!         Ok(2)
//!     }
//! }
//! static PW: Pw = Pw;
//! static RENEW: [GrantSpec<'static>; 2] = [GrantSpec::refresh_token(), GrantSpec::previous_token()];
//! let grants = Grants::new(GrantSpec::password("alice", &PW), &RENEW).unwrap();
//! let idp = Custom::new("https://idp.example.com/oauth/token", grants).unwrap();
//! assert_eq!(idp.token_url(), Some("https://idp.example.com/oauth/token"));
//! ```

use crate::alg::Algorithm;
use crate::claims::Claims;
use crate::error::{Error, Result};
use crate::header::{Header, HeaderTemplate};

use super::grants::{Grant, Grants, Pairs};
#[cfg(feature = "alloc")]
use super::grants::{OwnedGrantSpec, OwnedPairs, copy_pairs};
use super::profile::{Limits, Profile};
use super::request::{Params, TokenRequest};

/// A profile-less endpoint: a token URL, common headers, and the grants.
/// `Debug` shows header names only.
#[derive(Clone, Copy, Debug)]
pub struct Custom<'a> {
    url: &'a str,
    headers: Pairs<'a>,
    grants: Grants<'a>,
    header: HeaderTemplate,
}

impl<'a> Custom<'a> {
    /// An endpoint at `token_url` making `grants`.
    ///
    /// # Errors
    /// `InvalidField { field: "token_url" }` (see the module docs);
    /// `InvalidField { field: "grants" }` when a step mints an assertion (a
    /// custom endpoint has no claims: use a provider profile for those).
    pub fn new(token_url: &'a str, grants: Grants<'a>) -> Result<Self> {
        super::url::check_token_url(token_url, "token_url")?;
        if grants.mints() {
            return Err(Error::InvalidField {
                field: "grants",
                reason: "a custom endpoint mints no assertion: use a provider profile for jwt_bearer or client_assertion",
            });
        }
        Ok(Self {
            url: token_url,
            headers: Pairs::EMPTY,
            grants,
            header: header()?,
        })
    }

    /// The same endpoint with headers sent with every grant.
    ///
    /// # Errors
    /// `InvalidField { field: "headers" }` for a malformed header.
    pub fn with_headers(mut self, headers: &'a [(&'a str, &'a str)]) -> Result<Self> {
        self.headers = Pairs::new(headers);
        super::grants::check_headers(self.headers)?;
        Ok(self)
    }

    /// The token request (common headers, no assertion: each grant step
    /// writes its own body).
    fn request(&self) -> TokenRequest<'a> {
        let mut r = TokenRequest::post(self.url, Grant::JwtBearer, Params::new());
        r.headers = self.headers;
        r
    }
}

/// The header template of a custom endpoint (it signs nothing).
fn header() -> Result<HeaderTemplate> {
    HeaderTemplate::new(&Header::new(Algorithm::Rs256))
}

const NO_CLAIMS: Error = Error::InvalidField {
    field: "grants",
    reason: "a custom endpoint mints no assertion",
};

impl Profile for Custom<'_> {
    super::rules::name_and_header!("custom");

    fn claims<'s>(&'s self, _now: i64, _jti: Option<&'s str>) -> Result<Claims<'s>> {
        Err(NO_CLAIMS)
    }

    fn limits(&self) -> Limits {
        Limits::new(0, None)
    }

    fn token_request(&self) -> Option<TokenRequest<'_>> {
        Some(self.request())
    }

    fn grants(&self) -> Option<Grants<'_>> {
        Some(self.grants)
    }
}

/// A [`Custom`] endpoint owning copies of its URL, headers and grant steps
/// (texts wiped on drop) and its password source: what a front end builds
/// from its options (the C constructor copies every string; the CLI), with
/// nothing left borrowed. [`OwnedCustom::view`] lends it as a [`Custom`];
/// it is the same profile (same requests, same identity). `Debug` is the
/// view's (header and form field names, never their values or the
/// password).
///
/// ```
/// use jwtmint::profiles::{OwnedCustom, OwnedGrantSpec, Profile};
/// use jwtmint::secret::SecretEnv;
/// let url = format!("https://{}/oauth/token", "idp.example.com");
/// let password = Box::new(SecretEnv("IDP_PASSWORD".into()));
/// let initial = OwnedGrantSpec::password("alice", password).form([("client_id", "app")]);
/// let renew = vec![OwnedGrantSpec::refresh_token(), OwnedGrantSpec::previous_token()];
/// let idp = OwnedCustom::new(&url, initial, renew)?.with_headers([("X-Api-Key", "k")])?;
/// drop(url); // `idp` owns its strings
/// assert_eq!(idp.token_url(), Some("https://idp.example.com/oauth/token"));
/// assert_eq!(idp.grants().unwrap().renew.len(), 2);
/// # Ok::<(), jwtmint::Error>(())
/// ```
#[cfg(feature = "alloc")]
pub struct OwnedCustom {
    url: zeroize::Zeroizing<alloc::string::String>,
    headers: OwnedPairs,
    initial: OwnedGrantSpec,
    renew: alloc::vec::Vec<OwnedGrantSpec>,
    header: HeaderTemplate,
}

#[cfg(feature = "alloc")]
impl OwnedCustom {
    /// An endpoint at a copy of `token_url` making `initial`, renewed by
    /// `renew` in order.
    ///
    /// # Errors
    /// As [`Grants::new`], then as [`Custom::new`].
    pub fn new(
        token_url: &str,
        initial: OwnedGrantSpec,
        renew: alloc::vec::Vec<OwnedGrantSpec>,
    ) -> Result<Self> {
        Custom::new(token_url, Grants::owned(&initial, &renew)?)?;
        Ok(Self {
            url: zeroize::Zeroizing::new(token_url.into()),
            headers: OwnedPairs::default(),
            initial,
            renew,
            header: header()?,
        })
    }

    /// The same endpoint with copies of headers sent with every grant.
    ///
    /// # Errors
    /// As [`Custom::with_headers`].
    pub fn with_headers<'p>(
        mut self,
        headers: impl IntoIterator<Item = (&'p str, &'p str)>,
    ) -> Result<Self> {
        self.headers = copy_pairs(headers);
        super::grants::check_headers(Pairs::owned(&self.headers))?;
        Ok(self)
    }

    /// The endpoint as a [`Custom`] borrowing it.
    pub fn view(&self) -> Custom<'_> {
        Custom {
            url: &self.url,
            headers: Pairs::owned(&self.headers),
            grants: Grants {
                initial: self.initial.view(),
                renew: super::grants::Steps::owned(&self.renew),
            },
            header: self.header,
        }
    }
}

#[cfg(feature = "alloc")]
impl core::fmt::Debug for OwnedCustom {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        self.view().fmt(f)
    }
}

#[cfg(feature = "alloc")]
impl Profile for OwnedCustom {
    super::rules::name_and_header!("custom");

    fn claims<'s>(&'s self, _now: i64, _jti: Option<&'s str>) -> Result<Claims<'s>> {
        Err(NO_CLAIMS)
    }

    fn limits(&self) -> Limits {
        self.view().limits()
    }

    fn token_request(&self) -> Option<TokenRequest<'_>> {
        Some(self.view().request())
    }

    fn grants(&self) -> Option<Grants<'_>> {
        Some(self.view().grants)
    }
}
