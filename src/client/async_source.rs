//! [`AsyncTokenSource`] (feature `client-async`): `get().await` for tokio
//! services. A thin adapter over [`super::driver::Driver`] — the same
//! session core and store protocol as the blocking source — that sends
//! with reqwest (rustls) and waits on a [`tokio::sync::Notify`]:
//! - **single flight across tasks**: one task's `get` starts the fetch (as
//!   its own tokio task, so a cancelled caller never strands it); every
//!   other `get` uses the still-valid token or waits for that fetch;
//! - **the transport of [`super::http`]**: no redirects (a 3xx is
//!   [`ClientError::Redirect`]), connect and whole-request timeouts named
//!   apart, the response body capped while it streams in;
//! - store calls (blocking, e.g. Redis) run on tokio's blocking pool, never
//!   on a runtime worker.

#[allow(unused_imports)]
use std::prelude::rust_2024::*;

use core::ops::Deref;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::Notify;

use crate::profiles::Profile;
use crate::session::{Outcome, Session};
use crate::signer::JwsKey;

use super::driver::{Driver, Next, Request, SourceError, Token};
use super::error::ClientError;
use super::http::{HttpConfig, HttpResponse};
use super::redact;
use super::store::Store;

/// Longest a `get` waits for a token by default (a fetch in flight, the
/// backoff after errors, another process's fetch).
pub const DEFAULT_MAX_WAIT: Duration = Duration::from_secs(60);

/// A token source for tokio: cheap to clone (one `Arc`), `Send + Sync`.
pub struct AsyncTokenSource<P, K>
where
    P: Deref + Send + Sync + 'static,
    P::Target: Profile,
    K: Deref + Send + Sync + 'static,
    K::Target: JwsKey,
{
    inner: Arc<Inner<P, K>>,
}

impl<P, K> Clone for AsyncTokenSource<P, K>
where
    P: Deref + Send + Sync + 'static,
    P::Target: Profile,
    K: Deref + Send + Sync + 'static,
    K::Target: JwsKey,
{
    fn clone(&self) -> Self {
        Self {
            inner: Arc::clone(&self.inner),
        }
    }
}

struct Inner<P, K>
where
    P: Deref,
    P::Target: Profile,
    K: Deref,
    K::Target: JwsKey,
{
    driver: Driver<P, K>,
    http: reqwest::Client,
    config: HttpConfig,
    changed: Notify,
    max_wait: Duration,
    shared: bool,
}

impl<P, K> AsyncTokenSource<P, K>
where
    P: Deref + Send + Sync + 'static,
    P::Target: Profile,
    K: Deref + Send + Sync + 'static,
    K::Target: JwsKey,
{
    /// A source over `session`, sending with `config`.
    ///
    /// # Errors
    /// [`ClientError::ZeroTimeout`]; `Transport` when the TLS client cannot
    /// be built.
    pub fn new(session: Session<P, K>, config: HttpConfig) -> Result<Self, ClientError> {
        Self::build(Driver::new(session), config, false)
    }

    /// A source that shares its token through `store` with other processes
    /// (see [`Driver::with_store`] for `lock_ttl`).
    ///
    /// # Errors
    /// As [`AsyncTokenSource::new`].
    pub fn with_store(
        session: Session<P, K>,
        config: HttpConfig,
        store: Arc<dyn Store>,
        lock_ttl: Duration,
    ) -> Result<Self, ClientError> {
        Self::build(
            Driver::new(session).with_store(store, lock_ttl),
            config,
            true,
        )
    }

    fn build(driver: Driver<P, K>, config: HttpConfig, shared: bool) -> Result<Self, ClientError> {
        if config.connect_timeout.is_zero() || config.request_timeout.is_zero() {
            return Err(ClientError::ZeroTimeout);
        }
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(config.connect_timeout)
            .timeout(config.request_timeout)
            .user_agent(concat!("jwtmint/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ClientError::Transport {
                reason: redact::sanitize(&e.to_string()),
            })?;
        Ok(Self {
            inner: Arc::new(Inner {
                driver,
                http,
                config,
                changed: Notify::new(),
                max_wait: DEFAULT_MAX_WAIT,
                shared,
            }),
        })
    }

    /// Sets how long `get` waits at most (default [`DEFAULT_MAX_WAIT`]).
    /// Call before cloning.
    #[must_use]
    pub fn max_wait(mut self, max_wait: Duration) -> Self {
        if let Some(inner) = Arc::get_mut(&mut self.inner) {
            inner.max_wait = max_wait;
        }
        self
    }

    /// The driver (session access, last store error).
    pub fn driver(&self) -> &Driver<P, K> {
        &self.inner.driver
    }

    /// A valid token: the cached one, or after the one fetch in flight.
    ///
    /// # Errors
    /// [`SourceError::Rejected`] when the endpoint rejected the grant;
    /// [`SourceError::Unavailable`] when no token came within the wait limit.
    pub async fn get(&self) -> Result<Token, SourceError> {
        let deadline = Instant::now() + self.inner.max_wait;
        loop {
            let changed = self.inner.changed.notified();
            tokio::pin!(changed);
            changed.as_mut().enable();
            match self.next().await? {
                Next::Use(token) => return Ok(token),
                Next::Retry => self.inner.changed.notify_waiters(),
                Next::Send(request) => {
                    let inner = Arc::clone(&self.inner);
                    // Its own task: a caller dropped mid-fetch never
                    // strands the ticket or the store lock.
                    let fetch = tokio::spawn(async move { inner.fetch(request).await });
                    let _ = fetch.await;
                }
                Next::Wait(d) => {
                    let left = deadline.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        return Err(SourceError::Unavailable(self.inner.driver.failure()));
                    }
                    let _ = tokio::time::timeout(d.min(left), changed).await;
                }
            }
        }
    }

    async fn next(&self) -> Result<Next, SourceError> {
        let now = now()?;
        if !self.inner.shared {
            return self.inner.driver.next(now);
        }
        let inner = Arc::clone(&self.inner);
        tokio::task::spawn_blocking(move || inner.driver.next(now))
            .await
            .map_err(|e| SourceError::Client(joined(&e)))?
    }
}

impl<P, K> Inner<P, K>
where
    P: Deref + Send + Sync + 'static,
    P::Target: Profile,
    K: Deref + Send + Sync + 'static,
    K::Target: JwsKey,
{
    /// Sends `request`, feeds the answer back, wakes every waiter.
    async fn fetch(self: Arc<Self>, request: Box<Request>) -> Outcome {
        let answer = self.send(&request).await;
        let now = now().unwrap_or(0);
        let outcome = if self.shared {
            let this = Arc::clone(&self);
            tokio::task::spawn_blocking(move || this.driver.finish(now, request, answer))
                .await
                .unwrap_or(Outcome::Stale)
        } else {
            self.driver.finish(now, request, answer)
        };
        self.changed.notify_waiters();
        outcome
    }

    async fn send(&self, r: &Request) -> Result<HttpResponse, ClientError> {
        let method = reqwest::Method::from_bytes(r.method.as_bytes()).map_err(|_| {
            ClientError::Transport {
                reason: format!("unsupported method {}", r.method),
            }
        })?;
        let mut req = self.http.request(method, r.url.as_str());
        if let Some(ct) = r.content_type {
            req = req.header("Content-Type", ct);
        }
        if let Some(a) = &r.authorization {
            req = req.header("Authorization", a.as_str());
        }
        for (k, v) in &r.headers {
            req = req.header(k.as_str(), v.as_str());
        }
        if r.content_type.is_some() {
            req = req.body(r.body.to_vec());
        }
        let mut resp = req.send().await.map_err(|e| self.error(&e))?;
        let status = resp.status().as_u16();
        if (300..400).contains(&status) {
            let location = resp
                .headers()
                .get("location")
                .map(|v| redact::server_bytes(v.as_bytes()))
                .unwrap_or_default();
            return Err(ClientError::Redirect { status, location });
        }
        let limit = self.config.body_limit;
        let too_large = ClientError::BodyTooLarge { limit };
        if resp
            .content_length()
            .is_some_and(|n| n > u64::try_from(limit).unwrap_or(u64::MAX))
        {
            return Err(too_large);
        }
        let mut body = Vec::new();
        while let Some(chunk) = resp.chunk().await.map_err(|e| self.error(&e))? {
            if body.len().saturating_add(chunk.len()) > limit {
                return Err(too_large);
            }
            body.extend_from_slice(&chunk);
        }
        Ok(HttpResponse { status, body })
    }

    fn error(&self, e: &reqwest::Error) -> ClientError {
        let millis = |d: Duration| u64::try_from(d.as_millis()).unwrap_or(u64::MAX);
        let reason = redact::sanitize(&error_chain(e));
        if e.is_timeout() && e.is_connect() {
            ClientError::ConnectTimeout {
                millis: millis(self.config.connect_timeout),
            }
        } else if e.is_timeout() {
            ClientError::RequestTimeout {
                millis: millis(self.config.request_timeout),
            }
        } else if e.is_connect() {
            ClientError::Connect { reason }
        } else {
            ClientError::Transport { reason }
        }
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

fn joined(e: &tokio::task::JoinError) -> ClientError {
    ClientError::Transport {
        reason: format!("token source task failed: {e}"),
    }
}

fn now() -> Result<i64, SourceError> {
    crate::time::now().map_err(|_| {
        SourceError::Client(ClientError::Transport {
            reason: "the system clock is before 1970".into(),
        })
    })
}
