//! [`AsyncTokenSource`] (feature `client-async`): `get().await` for tokio
//! services. A thin adapter over [`TokenSource`]: the same session core and
//! the same steps (`step`: poll the session, which drives the store
//! protocol as well as the fetch; `run_store`: one store step; `finish`:
//! land the answer) — only the sending and the waiting differ:
//! - **sending** with reqwest (rustls) under the rules of [`super::http`]:
//!   no redirects (a 3xx is [`ClientError::Redirect`]), connect and
//!   whole-request timeouts named apart, the response body capped while it
//!   streams in;
//! - **waiting** on a [`tokio::sync::Notify`] woken by every landed fetch:
//!   single flight across tasks — one task's `get` starts the fetch (as its
//!   own tokio task, so a cancelled caller never strands it), every other
//!   `get` uses the still-valid token or waits for that fetch;
//! - store calls (blocking, e.g. Redis) run on tokio's blocking pool, never
//!   on a runtime worker; the fetch lock is renewed by the same renewal
//!   thread as the blocking source's ([`super::fleet`]). The hit path is the blocking source's: a snapshot
//!   read and an `Arc` clone.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use std::sync::Arc;
//! use jwtmint::SigningKey;
//! use jwtmint::client::TokenSource;
//! use jwtmint::client::async_source::AsyncTokenSource;
//! use jwtmint::profiles::{Login, Salesforce};
//! let key = Arc::new(SigningKey::from_pem(&std::fs::read_to_string("key.pem")?)?);
//! let sf = Arc::new(Salesforce::new("3MVG9...", "integration@example.com", Login::Production)?);
//! let source = AsyncTokenSource::new(TokenSource::builder(sf, key))?;
//! // Clone `source` into every task: one fetch per token lifetime for all.
//! let token = source.get().await?;
//! println!("Authorization: Bearer {}", token.access_token());
//! # Ok(()) }
//! ```

#[allow(unused_imports)]
use std::prelude::rust_2024::*;

use core::ops::Deref;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::Notify;

use crate::profiles::Profile;
use crate::signer::JwsKey;

use super::endpoint::TokenUrl;
use super::error::ClientError;
use super::http::{self, HttpConfig, HttpResponse, SecretBody};
use super::redact;
use super::source::{Done, Pending, Step, TokenError, TokenSource, TokenSourceBuilder};
use super::token::Token;

/// What an [`AsyncTokenSource`] shares between its clones.
struct AsyncInner<P, K>
where
    P: Deref<Target: Profile>,
    K: Deref<Target: JwsKey>,
{
    source: TokenSource<P, K>,
    changed: Arc<Notify>,
    http: reqwest::Client,
    config: HttpConfig,
}

shared_handle! {
    /// A token source for tokio: cheap to clone (an `Arc`), `Send + Sync`.
    AsyncTokenSource(AsyncInner), debug |this| {
        "source": this.inner.source,
    }
}

impl<P, K> AsyncTokenSource<P, K>
where
    P: Deref<Target: Profile> + Send + Sync + 'static,
    K: Deref<Target: JwsKey> + Send + Sync + 'static,
{
    /// The async source configured by `builder`
    /// ([`TokenSource::builder`]: config, timeouts, store, clock, waits).
    /// The fetch runs on its own task, so the profile and key are owned
    /// (`'static`): a provider profile owning its strings in an `Arc`, or
    /// a borrowed generic profile made owning with
    /// [`Rfc7523::owned`](crate::profiles::Rfc7523::owned) — no leaked
    /// borrow needed.
    ///
    /// # Errors
    /// As [`TokenSourceBuilder::build`]; `Transport` when the TLS client
    /// cannot be built.
    pub fn new(builder: TokenSourceBuilder<P, K>) -> Result<Self, ClientError> {
        let config = builder.http_config();
        let changed = Arc::new(Notify::new());
        let wake = Arc::clone(&changed);
        let source = builder
            .waker(Arc::new(move || wake.notify_waiters()))
            .build()?;
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(config.connect_timeout)
            .timeout(config.request_timeout)
            .user_agent(concat!("jwtmint/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ClientError::Transport {
                reason: redact::sanitize(&error_chain(&e)),
            })?;
        Ok(Self {
            inner: Arc::new(AsyncInner {
                source,
                changed,
                http,
                config,
            }),
        })
    }

    /// The blocking source underneath (same session and store):
    /// `invalidate`, `reset`, `store_key`, `requests_sent`.
    pub fn source(&self) -> &TokenSource<P, K> {
        &self.inner.source
    }

    /// A valid credential: the cached one, or after the one fetch in flight.
    ///
    /// # Errors
    /// As [`TokenSource::get`].
    pub async fn get(&self) -> Result<Arc<Token>, TokenError> {
        if let Some(t) = self.inner.source.cached() {
            return Ok(t);
        }
        let deadline = Instant::now() + self.inner.source.max_wait();
        loop {
            let changed = self.inner.changed.notified();
            tokio::pin!(changed);
            changed.as_mut().enable();
            let step = {
                let mut st = self.inner.source.lock();
                self.inner.source.step(&mut st, deadline)
            };
            match step {
                Step::Token(t) => return Ok(t),
                Step::Error(e) => return Err(e),
                Step::Store(job) => {
                    // Store calls block: on the blocking pool, in their own
                    // task, so a dropped caller never strands the step.
                    let source = self.inner.source.clone();
                    let _ = tokio::task::spawn_blocking(move || source.run_store(job)).await;
                }
                Step::Wait(nap) => {
                    let _ = tokio::time::timeout(nap, changed).await;
                }
                Step::Fetch(pending) => {
                    // Its own task: a caller dropped mid-fetch never strands
                    // the session's ticket or the store lock.
                    let this = self.clone();
                    let _ = tokio::spawn(async move { this.fetch(pending).await }).await;
                }
            }
        }
    }

    /// Send (renewing a held store lock meanwhile), then `finish` (land,
    /// wake); the session asks for the save as its next store step.
    async fn fetch(self, pending: Pending) {
        // Renewed from its own thread while the request runs; stopped
        // (joined, at most one store call) before the save.
        let renewal = self.inner.source.renewal(pending.lock.as_ref());
        let done = match self.inner.source.target() {
            Err(e) => Done::Failed(e),
            Ok(url) => match self.send(url, &pending).await {
                Ok(r) => Done::Answered(r),
                Err(e) => Done::Failed(e),
            },
        };
        if renewal.is_some() {
            let _ = tokio::task::spawn_blocking(move || drop(renewal)).await;
        }
        self.inner.source.finish(&pending, done);
    }

    async fn send(&self, url: &TokenUrl, p: &Pending) -> Result<HttpResponse, ClientError> {
        let mut req = self.inner.http.post(url.as_str());
        let mut accept = false;
        for (k, v) in &p.headers {
            accept |= k.eq_ignore_ascii_case("accept");
            req = req.header(k.as_str(), v.as_str());
        }
        if !accept {
            req = req.header("Accept", "application/json");
        }
        // The body holds the assertion: reqwest gets `Bytes` owning a wiped
        // copy, zeroized when reqwest drops it.
        let body = bytes::Bytes::from_owner(WipedBody(p.body.clone()));
        let mut resp = req.body(body).send().await.map_err(|e| self.error(&e))?;
        let status = resp.status().as_u16();
        http::refuse_redirect(status, resp.headers().get("location").map(|v| v.as_bytes()))?;
        let retry_after =
            http::retry_after_header(resp.headers().get("retry-after").map(|v| v.as_bytes()));
        let limit = self.inner.config.body_limit;
        let too_large = ClientError::BodyTooLarge { limit };
        if resp
            .content_length()
            .is_some_and(|n| n > u64::try_from(limit).unwrap_or(u64::MAX))
        {
            return Err(too_large);
        }
        let mut body = SecretBody::new(limit);
        while let Some(chunk) = resp.chunk().await.map_err(|e| self.error(&e))? {
            body.push(&chunk).map_err(|()| too_large.clone())?;
        }
        Ok(HttpResponse {
            status,
            body: body.into_inner(),
            retry_after,
        })
    }

    fn error(&self, e: &reqwest::Error) -> ClientError {
        let millis = |d: Duration| u64::try_from(d.as_millis()).unwrap_or(u64::MAX);
        if e.is_timeout() && e.is_connect() {
            ClientError::ConnectTimeout {
                millis: millis(self.inner.config.connect_timeout),
            }
        } else if e.is_timeout() {
            ClientError::RequestTimeout {
                millis: millis(self.inner.config.request_timeout),
            }
        } else if e.is_connect() {
            ClientError::Connect {
                reason: redact::sanitize(&error_chain(e)),
            }
        } else {
            ClientError::Transport {
                reason: redact::sanitize(&error_chain(e)),
            }
        }
    }
}

/// A request body that is zeroized when reqwest is done with it.
struct WipedBody(zeroize::Zeroizing<Vec<u8>>);

impl AsRef<[u8]> for WipedBody {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

/// The error and its sources, `: `-joined (reqwest's own text is terse).
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}
