//! [`TokenSource`]: a thread-safe "give me a valid access token" over the
//! sans-IO session core, the blocking transport ([`super::http`]) and an
//! optional shared [`Store`].
//!
//! - **Hit path**: the last credential is kept as an `Arc<Token>` snapshot
//!   behind an `RwLock` that only a completed fetch writes (for a pointer
//!   swap): a `get()` on a token that is not due reads the clock, takes the
//!   read lock and clones the `Arc` — no lock a fetch holds, no allocation.
//! - **Single flight across threads**: the session sits in a `Mutex` held
//!   only for `poll`/`complete`/`fail`, never across IO. The caller that
//!   `poll` hands the `Fetch` does the IO; the others get the still-valid
//!   token or wait on a `Condvar` for that fetch.
//! - **Single flight across processes** (with a store): the fetcher first
//!   loads the store (adopting a fresh record cancels its own request),
//!   else takes the store lock, loads again, fetches, saves, unlocks; a
//!   caller that finds the lock held polls the store for the record. A
//!   failed save never loses the token: the warning hook is told and the
//!   token is returned.
//! - The session core does refresh-ahead, backoff, rejected grants,
//!   refresh tokens; this file adds no policy of its own.
#[allow(unused_imports)]
use std::prelude::rust_2024::*;
#[allow(unused_imports)]
use std::{format, vec};

use std::sync::{Arc, Condvar, Mutex, MutexGuard, RwLock};
use std::time::{Duration, Instant};

use core::ops::Deref;

use zeroize::Zeroizing;

use super::endpoint::TokenUrl;
use super::error::ClientError;
use super::http::{HttpClient, HttpConfig, HttpResponse};
use super::identity;
use super::redact;
use super::store::{LockToken, Store, StoredRecord};
use super::token::Token;
use crate::error::Error;
use crate::profiles::Profile;
use crate::session::{Action, Config, FailureKind, Outcome, Session, Ticket, TransportError};
use crate::signer::JwsKey;

/// Access-token capacity of a token source's session (Entra tokens with
/// many groups run past 8 KiB).
pub const MAX_TOKEN: usize = 32 * 1024;
/// Request-body capacity (assertion + form parameters).
pub const MAX_REQUEST: usize = 16 * 1024;

/// The session type a [`TokenSource`] drives.
pub type SourceSession<P, K> = Session<P, K, MAX_TOKEN, MAX_REQUEST>;

/// Something that went wrong without stopping a `get()`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SourceWarning {
    /// The store could not be read (or held something untrusted): fetched.
    StoreUnreadable(ClientError),
    /// A stored record could not be adopted (another grant, corrupt): fetched.
    RecordNotUsed(String),
    /// The fetched token could not be saved; it is returned anyway.
    NotSaved(ClientError),
    /// The store lock could not be taken or released: fetched without it.
    Lock(ClientError),
    /// Another process held the store lock past the wait: fetched anyway.
    LockHeld,
}

impl core::fmt::Display for SourceWarning {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::StoreUnreadable(e) => write!(f, "{e}; fetching a new token"),
            Self::RecordNotUsed(why) => {
                write!(f, "stored token not used ({why}); fetching a new token")
            }
            Self::NotSaved(e) => write!(f, "the token was not cached: {e}"),
            Self::Lock(e) => write!(f, "{e}; going on without the store lock"),
            Self::LockHeld => {
                f.write_str("another process still holds the store lock; fetching without it")
            }
        }
    }
}

/// A warning hook (default: none).
pub type WarnHook = Arc<dyn Fn(&SourceWarning) + Send + Sync>;

/// A clock: seconds since 1970.
pub type Clock = Arc<dyn Fn() -> i64 + Send + Sync>;

/// Why `get()` returned no token.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TokenError {
    /// The grant was refused (`invalid_grant`, `invalid_client`, ...) or
    /// cannot be made (mint/storage error): retrying will not help until
    /// the configuration changes ([`TokenSource::reset`]).
    Rejected {
        /// What kind of failure.
        kind: FailureKind,
        /// The OAuth `error` code (empty when not an OAuth error).
        code: String,
        /// The OAuth `error_description` (sanitised; may be empty).
        description: String,
        /// HTTP status (0 without an answer).
        status: u16,
        /// The whole message (sanitised).
        message: String,
    },
    /// No valid token within the wait (`TokenSourceBuilder::max_wait`):
    /// the last failure, and what the transport or server said about it.
    Unavailable {
        /// The session's last failure (sanitised), or why there was none.
        reason: String,
        /// Transport error or the (redacted) response body, when known.
        detail: Option<String>,
    },
}

impl core::fmt::Display for TokenError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Rejected { message, .. } => write!(f, "token request rejected: {message}"),
            Self::Unavailable {
                reason,
                detail: Some(d),
            } => write!(f, "no token: {reason}: {d}"),
            Self::Unavailable {
                reason,
                detail: None,
            } => write!(f, "no token: {reason}"),
        }
    }
}

impl std::error::Error for TokenError {}

struct State<P, K>
where
    P: Deref,
    P::Target: Profile,
    K: Deref,
    K::Target: JwsKey,
{
    session: SourceSession<P, K>,
    /// What the last failed fetch's transport or body said (sanitised).
    detail: Option<String>,
}

struct Inner<P, K>
where
    P: Deref,
    P::Target: Profile,
    K: Deref,
    K::Target: JwsKey,
{
    state: Mutex<State<P, K>>,
    changed: Condvar,
    snapshot: RwLock<Option<Arc<Token>>>,
    http: HttpClient,
    url: Option<TokenUrl>,
    store: Option<Arc<dyn Store>>,
    store_key: String,
    warn: WarnHook,
    clock: Clock,
    refresh_ahead: i64,
    max_wait: Duration,
    lock_wait: Duration,
    sent: core::sync::atomic::AtomicU64,
}

/// A thread-safe token source: `get()` returns a valid credential,
/// fetching it once for every thread (and, with a store, every process).
/// Cheap to clone (an `Arc`); `Send + Sync` when the profile and key are.
pub struct TokenSource<P, K>
where
    P: Deref,
    P::Target: Profile,
    K: Deref,
    K::Target: JwsKey,
{
    inner: Arc<Inner<P, K>>,
}

impl<P, K> Clone for TokenSource<P, K>
where
    P: Deref,
    P::Target: Profile,
    K: Deref,
    K::Target: JwsKey,
{
    fn clone(&self) -> Self {
        Self {
            inner: Arc::clone(&self.inner),
        }
    }
}

impl<P, K> core::fmt::Debug for TokenSource<P, K>
where
    P: Deref,
    P::Target: Profile,
    K: Deref,
    K::Target: JwsKey,
{
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("TokenSource")
            .field("url", &self.inner.url)
            .field("store", &self.inner.store.is_some())
            .field("store_key", &self.inner.store_key)
            .finish_non_exhaustive()
    }
}

/// Builds a [`TokenSource`].
pub struct TokenSourceBuilder<P, K> {
    profile: P,
    key: K,
    config: Config,
    http: HttpConfig,
    url: Option<String>,
    store: Option<Arc<dyn Store>>,
    warn: WarnHook,
    clock: Clock,
    max_wait: Duration,
    lock_wait: Duration,
}

impl<P, K> TokenSourceBuilder<P, K>
where
    P: Deref,
    P::Target: Profile,
    K: Deref,
    K::Target: JwsKey,
{
    /// The session policy (refresh-ahead, backoff, fallback lifetime, ...).
    /// Its `fetch_timeout` is raised to cover the transport's timeouts and
    /// the store-lock wait, so an answer is never dropped as stale.
    #[must_use]
    pub const fn config(mut self, config: Config) -> Self {
        self.config = config;
        self
    }

    /// Transport timeouts and body cap.
    #[must_use]
    pub const fn http(mut self, http: HttpConfig) -> Self {
        self.http = http;
        self
    }

    /// Send token requests here instead of the profile's URL (part of the
    /// store identity).
    #[must_use]
    pub fn token_url(mut self, url: impl Into<String>) -> Self {
        self.url = Some(url.into());
        self
    }

    /// Share tokens (and the fetch) through `store`.
    #[must_use]
    pub fn store(mut self, store: Arc<dyn Store>) -> Self {
        self.store = Some(store);
        self
    }

    /// Called with store failures that do not stop `get()` (default: none).
    #[must_use]
    pub fn on_warning(mut self, warn: impl Fn(&SourceWarning) + Send + Sync + 'static) -> Self {
        self.warn = Arc::new(warn);
        self
    }

    /// The clock (default: the system clock).
    #[must_use]
    pub fn clock(mut self, clock: impl Fn() -> i64 + Send + Sync + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// How long one `get()` waits for a token through failures and backoff
    /// before returning [`TokenError::Unavailable`] (default 60 s; zero:
    /// one attempt).
    #[must_use]
    pub const fn max_wait(mut self, wait: Duration) -> Self {
        self.max_wait = wait;
        self
    }

    /// How long a fetcher waits for another process's store lock before
    /// fetching anyway (default: the request timeout).
    #[must_use]
    pub const fn lock_wait(mut self, wait: Duration) -> Self {
        self.lock_wait = wait;
        self
    }

    /// The source.
    ///
    /// # Errors
    /// `ZeroTimeout`; the token URL's errors (`UrlUserinfo`,
    /// `UrlNotLoopback`, ...) for the override or the profile's URL.
    pub fn build(self) -> Result<TokenSource<P, K>, ClientError> {
        let http = HttpClient::new(self.http)?;
        let profile_url = self.profile.token_request().map(|r| r.url);
        let url = match (&self.url, profile_url) {
            (Some(u), _) => Some(TokenUrl::parse(u)?),
            (None, Some(u)) => Some(TokenUrl::parse(u)?),
            (None, None) => None,
        };
        let secs = |d: Duration| i64::try_from(d.as_secs()).unwrap_or(i64::MAX);
        let needed = secs(self.http.connect_timeout)
            .saturating_add(secs(self.http.request_timeout))
            .saturating_add(secs(self.lock_wait))
            .saturating_add(5);
        let mut config = self.config;
        config.fetch_timeout = config.fetch_timeout.max(needed);
        let session = SourceSession::new(self.profile, self.key, config);
        let refresh_ahead = session.config().refresh_ahead;
        let id = session.identity();
        let store_key = match &self.url {
            None => identity::digest_hex("jwtmint token source", &[id]),
            Some(u) => identity::digest_hex("jwtmint token source", &[id, u.as_bytes()]),
        };
        Ok(TokenSource {
            inner: Arc::new(Inner {
                state: Mutex::new(State {
                    session,
                    detail: None,
                }),
                changed: Condvar::new(),
                snapshot: RwLock::new(None),
                http,
                url,
                store: self.store,
                store_key,
                warn: self.warn,
                clock: self.clock,
                refresh_ahead,
                max_wait: self.max_wait,
                lock_wait: self.lock_wait,
                sent: core::sync::atomic::AtomicU64::new(0),
            }),
        })
    }
}

/// A fetch copied out of the session (the lock is not held during IO).
struct Pending {
    ticket: Ticket,
    headers: Vec<(String, String)>,
    body: Zeroizing<Vec<u8>>,
}

/// What the fetcher did outside the lock.
enum Done {
    /// A fresh record from the store was adopted; the request was not sent.
    Adopted,
    /// The endpoint answered (any status).
    Answered(HttpResponse, Option<LockToken>),
    /// No answer.
    Failed(ClientError, Option<LockToken>),
}

fn system_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

fn transport_kind(e: &ClientError) -> TransportError {
    match e {
        ClientError::Redirect { .. } => TransportError::RedirectRefused,
        ClientError::ConnectTimeout { .. } | ClientError::RequestTimeout { .. } => {
            TransportError::Timeout
        }
        ClientError::Connect { .. } => TransportError::Connect,
        ClientError::BodyTooLarge { .. } => TransportError::TooLarge,
        _ => TransportError::Other,
    }
}

impl<P, K> TokenSource<P, K>
where
    P: Deref,
    P::Target: Profile,
    K: Deref,
    K::Target: JwsKey,
{
    /// A builder for `profile`'s grant signed with `key`.
    pub fn builder(profile: P, key: K) -> TokenSourceBuilder<P, K> {
        let http = HttpConfig::default();
        TokenSourceBuilder {
            profile,
            key,
            config: Config::new(),
            http,
            url: None,
            store: None,
            warn: Arc::new(|_| {}),
            clock: Arc::new(system_now),
            max_wait: Duration::from_secs(60),
            lock_wait: http.request_timeout,
        }
    }

    /// The key a store keeps this source's records under (hex).
    pub fn store_key(&self) -> &str {
        &self.inner.store_key
    }

    /// A valid credential. Blocks only when none is valid: the one caller
    /// that must fetch does the IO, the others wait for it.
    ///
    /// # Errors
    /// [`TokenError::Rejected`] for a refused grant (reported to every
    /// waiting caller, not retried); [`TokenError::Unavailable`] when no
    /// token came within the configured wait.
    pub fn get(&self) -> Result<Arc<Token>, TokenError> {
        let now = (self.inner.clock)();
        if let Ok(snap) = self.inner.snapshot.read()
            && let Some(t) = snap.as_ref()
            && t.fresh_at(now)
        {
            return Ok(Arc::clone(t));
        }
        self.slow()
    }

    /// Forgets the token (the API answered 401 with it): the next `get()`
    /// fetches.
    pub fn invalidate(&self) {
        if let Ok(mut s) = self.inner.snapshot.write() {
            *s = None;
        }
        self.lock().session.invalidate();
    }

    /// Clears a rejected grant and the backoff (after fixing the cause).
    pub fn reset(&self) {
        self.lock().session.reset();
    }

    fn lock(&self) -> MutexGuard<'_, State<P, K>> {
        // A panic while holding the lock leaves a consistent session (every
        // mutation is a single call): keep going.
        self.inner
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn publish(&self, t: &Arc<Token>) {
        if let Ok(mut s) = self.inner.snapshot.write() {
            *s = Some(Arc::clone(t));
        }
    }

    fn slow(&self) -> Result<Arc<Token>, TokenError> {
        let deadline = Instant::now() + self.inner.max_wait;
        let mut st = self.lock();
        loop {
            let now = (self.inner.clock)();
            let pending = match st.session.poll(now) {
                Action::Use(c) => {
                    let current = self.inner.snapshot.read().ok().and_then(|s| s.clone());
                    if let Some(t) = current.filter(|t| t.same_as(&c)) {
                        return Ok(t);
                    }
                    let t = Arc::new(Token::from_credential(&c, self.inner.refresh_ahead));
                    self.publish(&t);
                    return Ok(t);
                }
                Action::Failed(f) => {
                    return Err(TokenError::Rejected {
                        kind: f.kind(),
                        code: f.code().to_owned(),
                        description: f.description().to_owned(),
                        status: f.status(),
                        message: f.to_string(),
                    });
                }
                Action::Wait(until) => {
                    let left = deadline.saturating_duration_since(Instant::now());
                    if left.is_zero() && !st.session.in_flight() {
                        return Err(self.unavailable(&st));
                    }
                    let secs = u64::try_from(until.saturating_sub(now)).unwrap_or(0);
                    // Poll at least every second (a store or clock may change),
                    // and never sleep past the deadline unless a fetch runs.
                    let mut nap =
                        Duration::from_secs(secs.clamp(0, 1)).max(Duration::from_millis(10));
                    if !st.session.in_flight() {
                        nap = nap.min(left.max(Duration::from_millis(1)));
                    }
                    st = match self.inner.changed.wait_timeout(st, nap) {
                        Ok((g, _)) => g,
                        Err(p) => p.into_inner().0,
                    };
                    continue;
                }
                Action::Fetch(f) => Pending {
                    ticket: f.ticket,
                    headers: f
                        .all_headers()
                        .map(|(k, v)| (k.to_owned(), v.to_owned()))
                        .collect(),
                    body: Zeroizing::new(f.body.to_vec()),
                },
            };
            drop(st);
            let done = self.fetch(&pending);
            st = self.lock();
            let to_save = self.land(&mut st, &pending, done);
            self.inner.changed.notify_all();
            if let Some((record, lock, expires_at)) = to_save {
                // Store IO without the session lock; the token is already
                // usable by every thread.
                drop(st);
                self.save(&record, expires_at, lock);
                st = self.lock();
            }
        }
    }

    fn unavailable(&self, st: &State<P, K>) -> TokenError {
        TokenError::Unavailable {
            reason: st
                .session
                .failure()
                .map_or_else(|| "no token yet".to_owned(), ToString::to_string),
            detail: st.detail.clone(),
        }
    }

    /// Applies what the fetcher did; returns a record to save (and the
    /// store lock to release afterwards).
    fn land(
        &self,
        st: &mut State<P, K>,
        p: &Pending,
        done: Done,
    ) -> Option<(Zeroizing<Vec<u8>>, Option<LockToken>, i64)> {
        let now = (self.inner.clock)();
        let (outcome, lock) = match done {
            Done::Adopted => return None,
            Done::Answered(resp, lock) => {
                let outcome = st.session.complete(now, p.ticket, resp.status, &resp.body);
                st.detail = match outcome {
                    Outcome::Stored { .. } => None,
                    _ => Some(format!(
                        "HTTP {}: {}",
                        resp.status,
                        redact::server_bytes(&resp.body)
                    )),
                };
                (outcome, lock)
            }
            Done::Failed(e, lock) => {
                let outcome = st.session.fail(now, p.ticket, transport_kind(&e));
                st.detail = Some(e.to_string());
                (outcome, lock)
            }
        };
        let record = match outcome {
            Outcome::Stored { expires_at } if self.inner.store.is_some() => {
                encode(&st.session).map(|r| (r, expires_at))
            }
            _ => None,
        };
        match record {
            Some((r, expires_at)) => Some((r, lock, expires_at)),
            None => {
                self.unlock(lock);
                None
            }
        }
    }

    /// The IO of one fetch: the store protocol, then the HTTP request.
    fn fetch(&self, p: &Pending) -> Done {
        let Some(store) = &self.inner.store else {
            return self.send(p, None);
        };
        let key = self.inner.store_key.as_str();
        let mut warned = false;
        if self.adopt_from_store(store.as_ref(), p, &mut warned) {
            return Done::Adopted;
        }
        let until = Instant::now() + self.inner.lock_wait;
        loop {
            match store.try_lock(key, self.inner.lock_wait) {
                Ok(Some(lock)) => {
                    // Someone may have saved between our load and the lock.
                    if self.adopt_from_store(store.as_ref(), p, &mut warned) {
                        self.unlock(Some(lock));
                        return Done::Adopted;
                    }
                    return self.send(p, Some(lock));
                }
                Ok(None) if Instant::now() < until => {
                    std::thread::sleep(Duration::from_millis(25));
                    if self.adopt_from_store(store.as_ref(), p, &mut warned) {
                        return Done::Adopted;
                    }
                }
                Ok(None) => {
                    (self.inner.warn)(&SourceWarning::LockHeld);
                    return self.send(p, None);
                }
                Err(e) => {
                    (self.inner.warn)(&SourceWarning::Lock(e));
                    return self.send(p, None);
                }
            }
        }
    }

    /// Loads the store; a fresh record is restored into the session and our
    /// fetch cancelled. A due record is restored too (others may use it
    /// while we fetch) but the fetch goes on. Warns once per fetch.
    fn adopt_from_store(&self, store: &dyn Store, p: &Pending, warned: &mut bool) -> bool {
        let now = (self.inner.clock)();
        let rec: StoredRecord = match store.load(&self.inner.store_key, now) {
            Ok(Some(r)) => r,
            Ok(None) => return false,
            Err(e) => {
                if !core::mem::replace(warned, true) {
                    (self.inner.warn)(&SourceWarning::StoreUnreadable(e));
                }
                return false;
            }
        };
        let fresh = rec.is_fresh(now, self.inner.refresh_ahead);
        let mut st = self.lock();
        match st.session.restore(now, &rec.record) {
            // Adopt only when the session, too, now holds a token that is
            // not due (it may have kept an older copy of the same token):
            // else cancelling would make the next poll fetch again at once.
            Ok(_) if fresh && self.session_fresh(&st.session, now) => {
                st.session.cancel(p.ticket);
                st.detail = None;
                self.inner.changed.notify_all();
                true
            }
            Ok(_) => false,
            Err(e) => {
                if !core::mem::replace(warned, true) {
                    (self.inner.warn)(&SourceWarning::RecordNotUsed(e.to_string()));
                }
                false
            }
        }
    }

    fn session_fresh(&self, s: &SourceSession<P, K>, now: i64) -> bool {
        s.credential(now)
            .is_some_and(|c| Token::from_credential(&c, self.inner.refresh_ahead).fresh_at(now))
    }

    /// How many token requests this source (and its clones) has sent.
    pub fn requests_sent(&self) -> u64 {
        self.inner.sent.load(core::sync::atomic::Ordering::Relaxed)
    }

    fn send(&self, p: &Pending, lock: Option<LockToken>) -> Done {
        let Some(url) = &self.inner.url else {
            return Done::Failed(
                ClientError::UrlInvalid {
                    reason: "the profile has no token endpoint".into(),
                },
                lock,
            );
        };
        self.inner
            .sent
            .fetch_add(1, core::sync::atomic::Ordering::Relaxed);
        let headers = p.headers.iter().map(|(k, v)| (k.as_str(), v.as_str()));
        match self.inner.http.post(url, headers, &p.body) {
            Ok(r) => Done::Answered(r, lock),
            Err(e) => Done::Failed(e, lock),
        }
    }

    fn save(&self, record: &[u8], expires_at: i64, lock: Option<LockToken>) {
        if let Some(store) = &self.inner.store {
            let now = (self.inner.clock)();
            if let Err(e) = store.save(&self.inner.store_key, record, expires_at, now) {
                (self.inner.warn)(&SourceWarning::NotSaved(e));
            }
        }
        self.unlock(lock);
    }

    fn unlock(&self, lock: Option<LockToken>) {
        if let (Some(store), Some(lock)) = (&self.inner.store, lock)
            && let Err(e) = store.unlock(&self.inner.store_key, &lock)
        {
            (self.inner.warn)(&SourceWarning::Lock(e));
        }
    }
}

/// The session's record, in a buffer sized to it.
fn encode<P, K>(s: &SourceSession<P, K>) -> Option<Zeroizing<Vec<u8>>>
where
    P: Deref,
    P::Target: Profile,
    K: Deref,
    K::Target: JwsKey,
{
    let mut buf = Zeroizing::new(vec![0u8; 4096]);
    let n = match s.encode_record(&mut buf) {
        Ok(n) => n,
        Err(Error::BufferTooSmall { needed, .. }) => {
            buf = Zeroizing::new(vec![0u8; needed]);
            s.encode_record(&mut buf).ok()?
        }
        Err(_) => return None,
    };
    buf.truncate(n);
    Some(buf)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::client::store::MemoryStore;
    use crate::keys::SigningKey;
    use crate::profiles::Rfc7523;

    /// A source whose store already holds a fresh record adopts it: no
    /// request, and the cancelled ticket leaves nothing in flight.
    #[test]
    fn a_fresh_stored_record_is_adopted_without_a_request() {
        let key = SigningKey::from_pem(include_str!("../../examples/keys/demo-key.pem")).unwrap();
        // Port 9 (discard) on loopback: any request would fail.
        let url = "http://127.0.0.1:9/token";
        let p = Rfc7523::grant("c", "u", url).unwrap();
        let now = system_now();
        let mut s: SourceSession<_, _> = Session::new(&p, &key, Config::new());
        let Action::Fetch(f) = s.poll(now) else {
            std::panic!("no fetch")
        };
        let t = f.ticket;
        s.complete(
            now,
            t,
            200,
            br#"{"access_token":"shared","expires_in":600}"#,
        );
        let record = encode(&s).unwrap();
        let store = Arc::new(MemoryStore::new());
        let src = TokenSource::builder(&p, &key)
            .store(store.clone())
            .max_wait(Duration::ZERO)
            .build()
            .unwrap();
        store
            .save(src.store_key(), &record, now + 600, now)
            .unwrap();
        assert_eq!(src.get().unwrap().access_token(), "shared");
        assert_eq!(src.requests_sent(), 0);
        assert!(
            !src.lock().session.in_flight(),
            "the adopted fetch was cancelled"
        );
        // A record stored under another key is not used: a request is made
        // (and fails here, with the transport's error as detail).
        let other = TokenSource::builder(&p, &key)
            .token_url("http://127.0.0.1:9/other")
            .store(store)
            .max_wait(Duration::ZERO)
            .build()
            .unwrap();
        match other.get() {
            Err(TokenError::Unavailable {
                detail: Some(d), ..
            }) => {
                assert!(d.starts_with("connection failed"), "{d}");
            }
            r => std::panic!("{r:?}"),
        }
        assert_eq!(other.requests_sent(), 1);
    }
}
