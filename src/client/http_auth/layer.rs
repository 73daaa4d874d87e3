//! [`HttpAuth`] as a `tower::Layer` (feature `tower`): the token from an
//! [`AsyncTokenSource`] on every request of a
//! `tower::Service<http::Request<B>>` client —
//! hyper-util's `Client`, axum/`tower` stacks, tonic channels — and on a
//! 401 one retry with a new token (see [`super`] for the rules).
//!
//! The request body type must be `Clone` (`http_body_util::Full<Bytes>`,
//! `String`, `Vec<u8>`, `Bytes`, a tonic body built from bytes...): the
//! request is cloned before it is sent so that the retry carries the same
//! bytes. A streaming body cannot be replayed; buffer it first, or use a
//! stack without this layer for it.
//!
//! ```no_run
//! # async fn demo(
//! #     tokens: jwtmint::client::async_source::AsyncTokenSource<
//! #         std::sync::Arc<jwtmint::profiles::Rfc7523<'static>>,
//! #         std::sync::Arc<jwtmint::SigningKey>,
//! #     >,
//! #     client: impl tower::Service<
//! #         http::Request<String>,
//! #         Response = http::Response<()>,
//! #         Error = std::io::Error,
//! #         Future: Send,
//! #     > + Clone + Send + 'static,
//! # ) -> Result<(), Box<dyn std::error::Error>> {
//! use jwtmint::client::http_auth::HttpAuth;
//! use tower::{Layer, Service};
//! let mut api = HttpAuth::new(tokens).layer(client);
//! std::future::poll_fn(|cx| api.poll_ready(cx)).await?;
//! let resp = api
//!     .call(http::Request::post("https://api.example/v1/items").body(r#"{"n":1}"#.to_owned())?)
//!     .await?;
//! # drop(resp); Ok(()) }
//! ```

#[allow(unused_imports)]
use std::prelude::rust_2024::*;

use core::future::Future;
use core::ops::Deref;
use core::pin::Pin;
use core::task::{Context, Poll};

use http::{Request, Response, StatusCode, header::AUTHORIZATION};
use tower::{Layer, Service};

use super::super::async_source::AsyncTokenSource;
use super::{AuthError, HttpAuth, after_401, authorization};
use crate::profiles::Profile;
use crate::signer::JwsKey;

impl<S, T: Clone> Layer<S> for HttpAuth<T> {
    type Service = AuthService<S, T>;

    fn layer(&self, inner: S) -> Self::Service {
        AuthService {
            inner,
            source: self.source.clone(),
        }
    }
}

/// `inner` with `Authorization: <token_type> <token>` on every request and
/// one retry after a 401 ([`HttpAuth`] as a `Layer`; `T` is its
/// [`AsyncTokenSource`]).
#[derive(Clone, Debug)]
pub struct AuthService<S, T> {
    inner: S,
    source: T,
}

/// What an [`AuthService`] call can fail with.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// No request was sent: no token, or one that is not a header value.
    Auth(AuthError),
    /// The wrapped service failed.
    Service(E),
}

impl<E: core::fmt::Display> core::fmt::Display for Error<E> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Auth(e) => e.fmt(f),
            Self::Service(e) => e.fmt(f),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Auth(e) => Some(e),
            Self::Service(e) => Some(e),
        }
    }
}

impl<E> From<AuthError> for Error<E> {
    fn from(e: AuthError) -> Self {
        Self::Auth(e)
    }
}

/// The boxed future of an [`AuthService`] call.
pub type ResponseFuture<T, E> = Pin<Box<dyn Future<Output = Result<T, Error<E>>> + Send>>;

impl<S, P, K, B, RB> Service<Request<B>> for AuthService<S, AsyncTokenSource<P, K>>
where
    S: Service<Request<B>, Response = Response<RB>> + Clone + Send + 'static,
    S::Future: Send,
    S::Error: Send,
    B: Clone + Send + 'static,
    RB: Send + 'static,
    P: Deref + Send + Sync + 'static,
    P::Target: Profile,
    K: Deref + Send + Sync + 'static,
    K::Target: JwsKey,
{
    type Response = Response<RB>;
    type Error = Error<S::Error>;
    type Future = ResponseFuture<Response<RB>, S::Error>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx).map_err(Error::Service)
    }

    fn call(&mut self, mut req: Request<B>) -> Self::Future {
        // The service made ready by `poll_ready` sends the first attempt;
        // `self` keeps a fresh clone (the usual tower pattern).
        let fresh = self.inner.clone();
        let mut inner = core::mem::replace(&mut self.inner, fresh);
        let source = self.source.clone();
        Box::pin(async move {
            let (token, value) = authorization(&source).await?;
            let mut replay = req.clone();
            req.headers_mut().insert(AUTHORIZATION, value);
            let resp = inner.call(req).await.map_err(Error::Service)?;
            if resp.status() != StatusCode::UNAUTHORIZED {
                return Ok(resp);
            }
            let Some(value) = after_401(&source, &token).await? else {
                return Ok(resp);
            };
            drop(resp);
            replay.headers_mut().insert(AUTHORIZATION, value);
            core::future::poll_fn(|cx| inner.poll_ready(cx))
                .await
                .map_err(Error::Service)?;
            inner.call(replay).await.map_err(Error::Service)
        })
    }
}
