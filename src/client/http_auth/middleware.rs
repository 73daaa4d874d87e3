//! [`HttpAuth`] as a `reqwest_middleware::Middleware` (feature
//! `reqwest-middleware`): the token from an [`AsyncTokenSource`] on every
//! request of a `ClientWithMiddleware`; a 401 drops it and retries once
//! when `Request::try_clone()` can replay the body, else returns the 401 as
//! is (see [`super`] for the rules). An error of the token source reaches
//! the caller as `reqwest_middleware::Error::Middleware` wrapping an
//! [`AuthError`](super::AuthError).
//!
//! ```no_run
//! # async fn demo(
//! #     tokens: jwtmint::client::async_source::AsyncTokenSource<
//! #         std::sync::Arc<jwtmint::profiles::Rfc7523<'static>>,
//! #         std::sync::Arc<jwtmint::SigningKey>,
//! #     >,
//! # ) -> Result<(), Box<dyn std::error::Error>> {
//! use jwtmint::client::http_auth::HttpAuth;
//! let api = reqwest_middleware::ClientBuilder::new(reqwest::Client::new())
//!     .with(HttpAuth::new(tokens))
//!     .build();
//! let resp = api.get("https://api.example/v1/me").send().await?;
//! # drop(resp); Ok(()) }
//! ```

#[allow(unused_imports)]
use std::prelude::rust_2024::*;

use core::ops::Deref;

use http::{Extensions, StatusCode, header::AUTHORIZATION};
use reqwest::{Request, Response};
use reqwest_middleware::{Middleware, Next};

use super::super::async_source::AsyncTokenSource;
use super::{HttpAuth, after_401, authorization, drop_rejected};
use crate::profiles::Profile;
use crate::signer::JwsKey;

#[async_trait::async_trait]
impl<P, K> Middleware for HttpAuth<AsyncTokenSource<P, K>>
where
    P: Deref + Send + Sync + 'static,
    P::Target: Profile,
    K: Deref + Send + Sync + 'static,
    K::Target: JwsKey,
{
    async fn handle(
        &self,
        mut req: Request,
        extensions: &mut Extensions,
        next: Next<'_>,
    ) -> reqwest_middleware::Result<Response> {
        let (token, value) = authorization(&self.source)
            .await
            .map_err(reqwest_middleware::Error::middleware)?;
        let replay = req.try_clone();
        req.headers_mut().insert(AUTHORIZATION, value);
        let resp = next.clone().run(req, extensions).await?;
        if resp.status() != StatusCode::UNAUTHORIZED {
            return Ok(resp);
        }
        let Some(mut replay) = replay else {
            // A streaming body cannot be sent again: the 401 as is.
            drop_rejected(&self.source, &token).await;
            return Ok(resp);
        };
        let Some(value) = after_401(&self.source, &token)
            .await
            .map_err(reqwest_middleware::Error::middleware)?
        else {
            return Ok(resp);
        };
        drop(resp);
        replay.headers_mut().insert(AUTHORIZATION, value);
        next.run(replay, extensions).await
    }
}
