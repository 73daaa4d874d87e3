//! The token request a profile makes: method, URL, headers and body kind, as
//! plain borrowed data. Nothing here does I/O: the CLI, the C caller or the
//! session manager sends it.

use core::hash::Hasher;

use crate::error::{Error, Result};

use super::grants::{Grant, Grants, Pairs};
use super::rules::field;

/// Most form parameters a profile adds after the assertion.
pub const MAX_PARAMS: usize = 4;

/// The HTTP method of a token request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    /// `POST` (every token endpoint so far).
    Post,
}

impl Method {
    /// The method name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Post => "POST",
        }
    }
}

/// A token request's grant that carries no assertion.
const NO_ASSERTION: Error = Error::InvalidField {
    field: "grant",
    reason: "a token request's grant is jwt_bearer, client_assertion or bearer_header",
};

/// Up to [`MAX_PARAMS`] form parameters, in order. `Debug` shows the
/// names only: a value may be a secret (Box's `client_secret`).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Params<'a> {
    items: [(&'a str, &'a str); MAX_PARAMS],
    len: usize,
}

impl<'a> Params<'a> {
    /// No parameters.
    pub const fn new() -> Self {
        Self {
            items: [("", ""); MAX_PARAMS],
            len: 0,
        }
    }

    /// Appends `name=value`.
    ///
    /// # Errors
    /// `InvalidField { field: "params" }` beyond [`MAX_PARAMS`].
    pub fn push(mut self, name: &'a str, value: &'a str) -> Result<Self> {
        let slot = self.items.get_mut(self.len).ok_or(Error::InvalidField {
            field: "params",
            reason: "more form parameters than MAX_PARAMS",
        })?;
        *slot = (name, value);
        self.len += 1;
        Ok(self)
    }

    /// Appends `name=value` when `value` is given.
    ///
    /// # Errors
    /// As [`Params::push`].
    pub fn push_opt(self, name: &'a str, value: Option<&'a str>) -> Result<Self> {
        match value {
            Some(v) => self.push(name, v),
            None => Ok(self),
        }
    }

    /// The parameters.
    pub fn as_slice(&self) -> &[(&'a str, &'a str)] {
        self.items.get(..self.len).unwrap_or_default()
    }
}

impl core::fmt::Debug for Params<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_list()
            .entries(self.as_slice().iter().map(|(k, _)| k))
            .finish()
    }
}

impl Default for Params<'_> {
    fn default() -> Self {
        Self::new()
    }
}

/// A token request: send it, with the minted assertion, to get an access token.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct TokenRequest<'a> {
    /// The HTTP method.
    pub method: Method,
    /// The token endpoint.
    pub url: &'a str,
    /// Extra request headers (e.g. GitHub's `Accept`), besides
    /// [`TokenRequest::content_type`] and the bearer `Authorization`.
    pub headers: Pairs<'a>,
    /// The grant the assertion makes, which says where it goes:
    /// [`Grant::JwtBearer`] (RFC 7523 §2.1 form: `grant_type=…jwt-bearer&assertion=<jwt>`
    /// then the parameters), [`Grant::ClientAssertion`] (§2.2 form:
    /// `client_assertion_type=…&client_assertion=<jwt>` then the parameters,
    /// which carry the `grant_type`) or [`Grant::BearerHeader`] (no body:
    /// `Authorization: Bearer <jwt>`).
    pub body: Grant,
    /// Form parameters after the assertion (unused with [`Grant::BearerHeader`]).
    pub params: Params<'a>,
}

impl<'a> TokenRequest<'a> {
    /// A `POST` of `body` with `params` to `url`, no extra headers.
    pub const fn post(url: &'a str, body: Grant, params: Params<'a>) -> Self {
        Self {
            method: Method::Post,
            url,
            headers: Pairs::EMPTY,
            body,
            params,
        }
    }

    /// The same request with extra headers.
    #[must_use]
    pub const fn with_headers(mut self, headers: &'a [(&'a str, &'a str)]) -> Self {
        self.headers = Pairs::new(headers);
        self
    }

    /// The `Content-Type` of the body; `None` when there is no body.
    pub const fn content_type(&self) -> Option<&'static str> {
        match self.body {
            Grant::BearerHeader => None,
            _ => Some("application/x-www-form-urlencoded"),
        }
    }

    /// Exact length of [`TokenRequest::write_body`]'s output.
    ///
    /// # Errors
    /// `LengthOverflow`; `InvalidField { field: "grant" }` for a grant that
    /// sends no assertion (a session's renewal steps).
    pub fn body_len(&self, assertion: &str) -> Result<usize> {
        let params = self.params.as_slice();
        match self.body {
            Grant::JwtBearer => crate::form::grant_body_len(assertion, params),
            Grant::ClientAssertion => crate::form::client_assertion_body_len(assertion, params),
            Grant::BearerHeader => Ok(0),
            _ => Err(NO_ASSERTION),
        }
    }

    /// Writes the request body for `assertion` into `out` (nothing for
    /// [`Grant::BearerHeader`]); returns its length.
    ///
    /// # Errors
    /// `BufferTooSmall` with the exact length needed; as
    /// [`TokenRequest::body_len`].
    pub fn write_body(&self, assertion: &str, out: &mut [u8]) -> Result<usize> {
        let params = self.params.as_slice();
        match self.body {
            Grant::JwtBearer => crate::form::grant_body(assertion, params, out),
            Grant::ClientAssertion => crate::form::client_assertion_body(assertion, params, out),
            Grant::BearerHeader => Ok(0),
            _ => Err(NO_ASSERTION),
        }
    }

    /// Feeds the request's identity (method, URL, headers, body kind,
    /// parameters) into `state`.
    pub fn identity(&self, state: &mut dyn Hasher) {
        field(state, self.method.as_str().as_bytes());
        field(state, self.url.as_bytes());
        state.write_usize(self.headers.len());
        for (k, v) in self.headers {
            field(state, k.as_bytes());
            field(state, v.as_bytes());
        }
        // The tag the request's body kind always had (0, 1, 2 for the JWT
        // bearer, client assertion and bearer header): identities, and the
        // session records keyed on them, stay valid.
        state.write_u8((self.body as u8).wrapping_sub(1));
        let params = self.params.as_slice();
        state.write_usize(params.len());
        for (k, v) in params {
            field(state, k.as_bytes());
            field(state, v.as_bytes());
        }
    }
}

impl Grant {
    /// The grant a profile makes first: its plan's initial grant, else the
    /// one its assertion makes (none: [`Grant::SelfSigned`]).
    pub fn of(request: Option<&TokenRequest<'_>>, grants: Option<&Grants<'_>>) -> Self {
        match (request, grants) {
            (Some(_), Some(g)) => g.initial.kind,
            (Some(r), None) => r.body,
            (None, _) => Grant::SelfSigned,
        }
    }
}
