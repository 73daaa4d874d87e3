//! The token inside an HTTP client's pipeline (features
//! `reqwest-middleware` and `tower`): every request gets
//! `Authorization: <token_type> <token>` from an [`AsyncTokenSource`], and
//! a `401 Unauthorized` answer drops that token and retries the request
//! once with a new one — the glue a service would otherwise write around
//! every API call (Azure's `BearerTokenPolicy` does the same in its
//! pipeline).
//!
//! [`HttpAuth`] over an `AsyncTokenSource` is both:
//! - with feature `reqwest-middleware`, a `reqwest_middleware::Middleware`
//!   for a `ClientWithMiddleware` ([`middleware`]);
//! - with feature `tower`, a `tower::Layer` for any
//!   `tower::Service<http::Request<B>>` client (hyper-util's client, axum,
//!   tonic channels) whose body `B` is `Clone` ([`layer`]).
//!
//! The rules, the same in both:
//! - the header value is built with `http::HeaderValue::from_str` and
//!   marked sensitive; a token (or `token_type`) holding bytes a header
//!   cannot carry (control characters, DEL) is [`AuthError::InvalidHeader`]
//!   and the request is not sent — never a header split by a hostile token
//!   endpoint;
//! - on a 401 the token that got it is dropped from the source
//!   ([`TokenSource::invalidate`](super::TokenSource::invalidate)), a token
//!   is asked for again, and the request is sent once more with it — only
//!   when its body can be replayed (reqwest: `Request::try_clone()` is
//!   `Some`; tower: always, `B: Clone`). A streaming reqwest body gets the
//!   first 401 back as is (the token is still dropped, so the next request
//!   uses a new one);
//! - never a second retry: the second answer, 401 or not, is returned;
//!   when the source gives no new token, its error is returned
//!   ([`AuthError::Token`]);
//! - never the same token twice: when the source hands back the token the
//!   API just refused (another process re-published it), the first 401 is
//!   returned instead of resending it.
//!
//! A 401 is the only status acted on: a 403 means the token was accepted
//! but lacks a permission, which a new token does not change.
//!
//! (README's "The token in your HTTP client" snippet is this doctest.)
//!
//! ```no_run
//! # #[cfg(feature = "reqwest-middleware")]
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use std::sync::Arc;
//! use jwtmint::SigningKey;
//! use jwtmint::client::{TokenSource, async_source::AsyncTokenSource, http_auth::HttpAuth};
//! use jwtmint::profiles::{Login, Salesforce};
//! let key = Arc::new(SigningKey::from_pem(&std::fs::read_to_string("key.pem")?)?);
//! let sf = Arc::new(Salesforce::new("3MVG9...", "integration@example.com", Login::Production)?);
//! let tokens = AsyncTokenSource::new(TokenSource::builder(sf, key))?;
//! let api = reqwest_middleware::ClientBuilder::new(reqwest::Client::new())
//!     .with(HttpAuth::new(tokens))
//!     .build();
//! // Authorization added; a 401 drops the token and retries once.
//! let resp = api
//!     .post("https://example.my.salesforce.com/services/data/v62.0/sobjects/Account")
//!     .header("Content-Type", "application/json")
//!     .body(r#"{"Name":"Acme"}"#)
//!     .send()
//!     .await?;
//! # drop(resp); Ok(()) }
//! ```

#[allow(unused_imports)]
use std::prelude::rust_2024::*;

use core::ops::Deref;
use std::sync::Arc;

use http::HeaderValue;
use zeroize::Zeroizing;

use super::async_source::AsyncTokenSource;
use super::source::TokenError;
use super::token::Token;
use crate::profiles::Profile;
use crate::signer::JwsKey;

#[cfg(feature = "tower")]
#[cfg_attr(docsrs, doc(cfg(feature = "tower")))]
pub mod layer;
#[cfg(feature = "reqwest-middleware")]
#[cfg_attr(docsrs, doc(cfg(feature = "reqwest-middleware")))]
pub mod middleware;

/// `Authorization` from `source` on every request, one retry after a 401
/// (the module's rules). `T` is an [`AsyncTokenSource`]; a clone shares its
/// token. A reqwest-middleware `Middleware` (feature
/// `reqwest-middleware`) and a tower `Layer` (feature `tower`).
#[derive(Clone, Debug)]
pub struct HttpAuth<T> {
    source: T,
}

impl<P, K> HttpAuth<AsyncTokenSource<P, K>>
where
    P: Deref,
    P::Target: Profile,
    K: Deref,
    K::Target: JwsKey,
{
    /// Over `source` (its clones share the token).
    pub const fn new(source: AsyncTokenSource<P, K>) -> Self {
        Self { source }
    }
}

/// Why a request was not sent.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthError {
    /// The token source gave no token.
    Token(TokenError),
    /// `<token_type> <token>` holds bytes a header value cannot carry
    /// (control characters, DEL): the request was not sent. The value is
    /// not repeated here (it is a secret).
    InvalidHeader {
        /// Length of `<token_type> <token>` in bytes.
        len: usize,
    },
}

impl core::fmt::Display for AuthError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Token(e) => e.fmt(f),
            Self::InvalidHeader { len } => write!(
                f,
                "the token endpoint issued a token that is not a valid header value \
                 ({len} bytes with a control character or DEL); request not sent"
            ),
        }
    }
}

impl std::error::Error for AuthError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Token(e) => Some(e),
            Self::InvalidHeader { .. } => None,
        }
    }
}

impl From<TokenError> for AuthError {
    fn from(e: TokenError) -> Self {
        Self::Token(e)
    }
}

/// A valid token and its `Authorization` value (sensitive).
pub(crate) async fn authorization<P, K>(
    source: &AsyncTokenSource<P, K>,
) -> Result<(Arc<Token>, HeaderValue), AuthError>
where
    P: Deref + Send + Sync + 'static,
    P::Target: Profile,
    K: Deref + Send + Sync + 'static,
    K::Target: JwsKey,
{
    let token = source.get().await?;
    let value = header_value(&token).ok_or(AuthError::InvalidHeader {
        len: token.token_type.len() + 1 + token.access_token().len(),
    })?;
    Ok((token, value))
}

/// `<token_type> <token>` as a sensitive header value (the text it is
/// built from is wiped); `None` when it is not a valid header value.
fn header_value(token: &Token) -> Option<HeaderValue> {
    let mut text = Zeroizing::new(String::with_capacity(
        token.token_type.len() + 1 + token.access_token().len(),
    ));
    text.push_str(&token.token_type);
    text.push(' ');
    text.push_str(token.access_token());
    let mut value = HeaderValue::from_str(&text).ok()?;
    value.set_sensitive(true);
    Some(value)
}

/// After a 401: drops `rejected` from the source, then asks for a token
/// again. `None` when the source hands back the refused token (it must not
/// be sent again).
pub(crate) async fn after_401<P, K>(
    source: &AsyncTokenSource<P, K>,
    rejected: &Token,
) -> Result<Option<HeaderValue>, AuthError>
where
    P: Deref + Send + Sync + 'static,
    P::Target: Profile,
    K: Deref + Send + Sync + 'static,
    K::Target: JwsKey,
{
    drop_rejected(source, rejected).await;
    let (fresh, value) = authorization(source).await?;
    Ok((fresh.access_token() != rejected.access_token()).then_some(value))
}

/// The one call site that tells the source a token was refused: drops
/// only that token (a 401 for a token already replaced is a no-op) and
/// removes the shared record if it still holds it. The store call blocks,
/// so it runs on tokio's blocking pool.
pub(crate) async fn drop_rejected<P, K>(source: &AsyncTokenSource<P, K>, rejected: &Token)
where
    P: Deref + Send + Sync + 'static,
    P::Target: Profile,
    K: Deref + Send + Sync + 'static,
    K::Target: JwsKey,
{
    let inner = source.source().clone();
    let token = zeroize::Zeroizing::new(rejected.access_token().to_owned());
    let _ = tokio::task::spawn_blocking(move || inner.invalidate(&token)).await;
}
