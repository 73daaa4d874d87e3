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

use super::grants::Grant;
use super::grants::{Grants, Pairs};
use super::profile::{Limits, Profile};
use super::request::{Params, TokenRequest};

/// A profile-less endpoint: a token URL, common headers, and the grants.
/// `Debug` shows header names only.
#[derive(Clone, Copy)]
pub struct Custom<'a> {
    url: &'a str,
    headers: Pairs<'a>,
    grants: Grants<'a>,
    header: HeaderTemplate,
}

impl core::fmt::Debug for Custom<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Custom")
            .field("url", &self.url)
            .field("headers", &super::grants::Names(self.headers))
            .field("grants", &self.grants)
            .finish_non_exhaustive()
    }
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
            headers: &[],
            grants,
            header: HeaderTemplate::new(&Header::new(Algorithm::Rs256))?,
        })
    }

    /// The same endpoint with headers sent with every grant.
    ///
    /// # Errors
    /// `InvalidField { field: "headers" }` for a malformed header.
    pub fn with_headers(mut self, headers: Pairs<'a>) -> Result<Self> {
        super::grants::check_headers(headers)?;
        self.headers = headers;
        Ok(self)
    }
}

impl Profile for Custom<'_> {
    super::rules::name_and_header!("custom");

    fn claims<'s>(&'s self, _now: i64, _jti: Option<&'s str>) -> Result<Claims<'s>> {
        Err(Error::InvalidField {
            field: "grants",
            reason: "a custom endpoint mints no assertion",
        })
    }

    fn limits(&self) -> Limits {
        Limits::new(0, None)
    }

    fn token_request(&self) -> Option<TokenRequest<'_>> {
        Some(
            TokenRequest::post(self.url, Grant::JwtBearer, Params::new())
                .with_headers(self.headers),
        )
    }

    fn grants(&self) -> Option<Grants<'_>> {
        Some(self.grants)
    }
}
