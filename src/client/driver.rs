//! The one orchestration of a token source, shared by the blocking and the
//! async adapter (they differ only in how they send HTTP and how they
//! wait): the session core under a mutex, plus an optional shared
//! [`Store`] that makes one process of a fleet fetch for all.
//!
//! An adapter loops on [`Driver::next`]:
//! - [`Next::Use`]: return the token;
//! - [`Next::Send`]: send the [`Request`] (never following redirects),
//!   then [`Driver::finish`] with the answer, then wake its waiters;
//! - [`Next::Wait`]: sleep until woken or for at most that long;
//! - [`Next::Retry`]: the state changed (a token was adopted from the
//!   store, a fetch was handed to another process): wake the waiters and
//!   call `next` again.
//!
//! With a store (protocol of [`super::store`]): when the session wants a
//! fetch, a record newer than ours is adopted (`Session::restore`);
//! otherwise the store lock decides who fetches. A process that does not get
//! the lock hands its ticket back and keeps using its still-valid token, or
//! waits, checking the store every [`STORE_POLL`], until the record appears
//! or the lock is free (a crashed fetcher's lock expires after its TTL).
//! A store that fails never blocks a fetch: the process then fetches
//! without the lock, and a failed save never loses the token.

#[allow(unused_imports)]
use std::prelude::rust_2024::*;

use core::ops::Deref;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use zeroize::Zeroizing;

use crate::error::Error;
use crate::profiles::Profile;
use crate::session::{
    Action, Credential, Failure, Fetch, Outcome, Session, Ticket, TransportError,
};
use crate::signer::JwsKey;

use super::endpoint::TokenUrl;
use super::error::ClientError;
use super::http::HttpResponse;
use super::store::{LockToken, Store};

/// How often a process waiting for another process's fetch checks the store.
pub const STORE_POLL: Duration = Duration::from_millis(50);

/// A credential handed to callers: cheap to clone (one `Arc`), the token
/// wiped on drop, `Debug` redacted.
#[derive(Clone)]
pub struct Token(Arc<TokenInner>);

struct TokenInner {
    secret: Zeroizing<String>,
    token_type: String,
    expires_at: i64,
    stored_at: i64,
    instance_url: Option<String>,
    id: Option<String>,
    scope: Option<String>,
}

impl Token {
    fn of(c: &Credential<'_>) -> Self {
        Self(Arc::new(TokenInner {
            secret: Zeroizing::new(c.token.to_owned()),
            token_type: c.token_type.to_owned(),
            expires_at: c.expires_at,
            stored_at: c.stored_at,
            instance_url: c.instance_url.map(str::to_owned),
            id: c.id.map(str::to_owned),
            scope: c.scope.map(str::to_owned),
        }))
    }
    /// The bearer secret (`Authorization: <token_type> <secret>`).
    pub fn secret(&self) -> &str {
        &self.0.secret
    }
    /// `token_type` (`Bearer` when the server named none).
    pub fn token_type(&self) -> &str {
        &self.0.token_type
    }
    /// Expiry, seconds since 1970.
    pub fn expires_at(&self) -> i64 {
        self.0.expires_at
    }
    /// When it was stored, seconds since 1970.
    pub fn stored_at(&self) -> i64 {
        self.0.stored_at
    }
    /// Salesforce `instance_url`.
    pub fn instance_url(&self) -> Option<&str> {
        self.0.instance_url.as_deref()
    }
    /// Salesforce `id`.
    pub fn id(&self) -> Option<&str> {
        self.0.id.as_deref()
    }
    /// The granted `scope`.
    pub fn scope(&self) -> Option<&str> {
        self.0.scope.as_deref()
    }
}

impl core::fmt::Debug for Token {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Token")
            .field(
                "secret",
                &format_args!("<redacted, {} bytes>", self.0.secret.len()),
            )
            .field("token_type", &self.0.token_type)
            .field("expires_at", &self.0.expires_at)
            .field("instance_url", &self.0.instance_url)
            .finish_non_exhaustive()
    }
}

/// A token request to send, owned (the session's [`Fetch`] copied out so
/// the session lock is not held during HTTP). `Debug` redacts the body and
/// the `Authorization` value.
pub struct Request {
    ticket: Ticket,
    lock: Option<LockToken>,
    /// The checked token endpoint (https, or http to loopback).
    pub url: TokenUrl,
    /// The HTTP method name (`POST`).
    pub method: &'static str,
    /// `Content-Type` (`None`: no body).
    pub content_type: Option<&'static str>,
    /// The `Authorization` header value, when the grant sends one.
    pub authorization: Option<Zeroizing<String>>,
    /// The profile's extra headers.
    pub headers: Vec<(String, String)>,
    /// The exact body.
    pub body: Zeroizing<Vec<u8>>,
}

impl Request {
    fn of(f: &Fetch<'_>) -> Result<Self, ClientError> {
        Ok(Self {
            ticket: f.ticket,
            lock: None,
            url: TokenUrl::parse(f.url)?,
            method: f.method.as_str(),
            content_type: f.content_type,
            authorization: f.authorization.map(|a| Zeroizing::new(a.to_owned())),
            headers: f
                .headers
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            body: Zeroizing::new(f.body.to_vec()),
        })
    }
}

impl core::fmt::Debug for Request {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Request")
            .field("ticket", &self.ticket)
            .field("url", &self.url)
            .field("method", &self.method)
            .field(
                "body",
                &format_args!("<redacted, {} bytes>", self.body.len()),
            )
            .finish_non_exhaustive()
    }
}

/// What the adapter does next (see the module docs).
#[derive(Debug)]
pub enum Next {
    /// Hand this token to the caller.
    Use(Token),
    /// Send this request, then call [`Driver::finish`] and wake waiters.
    Send(Box<Request>),
    /// Wait until woken, or at most this long, then call `next` again.
    Wait(Duration),
    /// Wake the waiters and call `next` again at once.
    Retry,
}

/// Why no token could be handed out.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SourceError {
    /// The token endpoint rejected the grant (`invalid_grant`,
    /// `invalid_client`, ...): not retried until reset. The failure is
    /// sanitised.
    Rejected(Box<Failure>),
    /// No valid token within the caller's wait limit; the last failure, if
    /// any (server errors, timeouts: the session is backing off).
    Unavailable(Option<Box<Failure>>),
    /// The configuration is refused (e.g. the token URL).
    Client(ClientError),
}

impl core::fmt::Display for SourceError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Rejected(fail) => write!(f, "the token endpoint rejected the grant: {fail}"),
            Self::Unavailable(Some(fail)) => write!(f, "no valid token yet: {fail}"),
            Self::Unavailable(None) => f.write_str("no valid token yet (timed out waiting)"),
            Self::Client(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for SourceError {}

impl From<ClientError> for SourceError {
    fn from(e: ClientError) -> Self {
        Self::Client(e)
    }
}

/// The store shared with other processes, the session's key in it and the
/// fetch-lock TTL.
struct Shared {
    store: Arc<dyn Store>,
    key: String,
    lock_ttl: Duration,
}

struct State<P, K>
where
    P: Deref,
    P::Target: Profile,
    K: Deref,
    K::Target: JwsKey,
{
    session: Session<P, K>,
    /// Another process holds the store lock: check the store again then.
    remote: Option<Instant>,
}

/// The session core + optional shared store, driven by an adapter.
pub struct Driver<P, K>
where
    P: Deref,
    P::Target: Profile,
    K: Deref,
    K::Target: JwsKey,
{
    state: Mutex<State<P, K>>,
    shared: Option<Shared>,
    store_error: Mutex<Option<ClientError>>,
}

impl<P, K> Driver<P, K>
where
    P: Deref,
    P::Target: Profile,
    K: Deref,
    K::Target: JwsKey,
{
    /// A driver over `session` alone (single process).
    pub fn new(session: Session<P, K>) -> Self {
        Self {
            state: Mutex::new(State {
                session,
                remote: None,
            }),
            shared: None,
            store_error: Mutex::new(None),
        }
    }

    /// Shares tokens through `store` (key: the session identity in hex). The
    /// fetch lock lives at most `lock_ttl`: set it above the HTTP request
    /// timeout (a crashed fetcher blocks the fleet this long).
    pub fn with_store(mut self, store: Arc<dyn Store>, lock_ttl: Duration) -> Self {
        let key = hex(self.lock().session.identity());
        self.shared = Some(Shared {
            store,
            key,
            lock_ttl,
        });
        self
    }

    /// The store key of this session (64 hex characters).
    pub fn store_key(&self) -> String {
        hex(self.lock().session.identity())
    }

    /// The last store error (a failed save or unreachable store never
    /// blocks a token; it is kept here for the caller to log).
    pub fn last_store_error(&self) -> Option<ClientError> {
        self.store_error
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The failure the session keeps (for [`SourceError::Unavailable`]).
    pub fn failure(&self) -> Option<Box<Failure>> {
        self.lock().session.failure().cloned().map(Box::new)
    }

    /// Runs `f` on the session (reset, invalidate, ...).
    pub fn with_session<T>(&self, f: impl FnOnce(&mut Session<P, K>) -> T) -> T {
        f(&mut self.lock().session)
    }

    fn lock(&self) -> MutexGuard<'_, State<P, K>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn note(&self, e: ClientError) {
        *self
            .store_error
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(e);
    }

    /// The next step at `now` (seconds since 1970).
    ///
    /// # Errors
    /// [`SourceError::Rejected`] after a rejected grant;
    /// [`SourceError::Client`] for a token URL that is refused.
    pub fn next(&self, now: i64) -> Result<Next, SourceError> {
        let (request, ours) = {
            let mut st = self.lock();
            if let Some(at) = st.remote {
                let valid = st.session.credential(now).map(|c| Token::of(&c));
                let t = Instant::now();
                if t < at {
                    return Ok(valid.map_or(Next::Wait(at - t), Next::Use));
                }
                // This caller checks the store; the others keep waiting.
                st.remote = Some(t + STORE_POLL);
                drop(st);
                return Ok(self.check_remote(now, valid));
            }
            let State { session, .. } = &mut *st;
            match session.poll(now) {
                Action::Use(c) => return Ok(Next::Use(Token::of(&c))),
                Action::Wait(until) => return Ok(Next::Wait(secs(until.saturating_sub(now)))),
                Action::Failed(f) => return Err(SourceError::Rejected(Box::new(f.clone()))),
                Action::Fetch(f) => {
                    let ticket = f.ticket;
                    match Request::of(&f) {
                        Ok(r) => (r, session.credential(now).map(|c| c.expires_at)),
                        Err(e) => {
                            session.fail(now, ticket, TransportError::Other);
                            return Err(e.into());
                        }
                    }
                }
            }
        };
        let Some(shared) = &self.shared else {
            return Ok(Next::Send(Box::new(request)));
        };
        match shared.store.load(&shared.key, now) {
            Ok(Some(rec)) if ours.is_none_or(|o| rec.expires_at > o) => {
                let mut st = self.lock();
                if st.session.restore(now, &rec.record).is_ok() {
                    hand_back(&mut st.session, now, request.ticket);
                    return Ok(Next::Retry);
                }
            }
            Ok(_) => {}
            Err(e) => {
                self.note(e);
                return Ok(Next::Send(Box::new(request)));
            }
        }
        match shared.store.try_lock(&shared.key, shared.lock_ttl) {
            Ok(Some(token)) => Ok(Next::Send(Box::new(Request {
                lock: Some(token),
                ..request
            }))),
            Ok(None) => {
                let mut st = self.lock();
                hand_back(&mut st.session, now, request.ticket);
                st.remote = Some(Instant::now() + STORE_POLL);
                Ok(Next::Retry)
            }
            Err(e) => {
                self.note(e);
                Ok(Next::Send(Box::new(request)))
            }
        }
    }

    /// Another process was fetching: adopt its record, or take the lock
    /// once it is free, or keep using / waiting.
    fn check_remote(&self, now: i64, valid: Option<Token>) -> Next {
        let Some(shared) = &self.shared else {
            self.lock().remote = None;
            return Next::Retry;
        };
        let ours = valid.as_ref().map(Token::expires_at);
        let stop_waiting = |this: &Self| {
            this.lock().remote = None;
            Next::Retry
        };
        match shared.store.load(&shared.key, now) {
            Ok(Some(rec)) if ours.is_none_or(|o| rec.expires_at > o) => {
                let mut st = self.lock();
                if st.session.restore(now, &rec.record).is_ok() {
                    st.remote = None;
                    return Next::Retry;
                }
            }
            Ok(_) => {}
            Err(e) => {
                self.note(e);
                return stop_waiting(self);
            }
        }
        match shared.store.try_lock(&shared.key, shared.lock_ttl) {
            // The lock is free (the fetcher finished or crashed): fetch
            // ourselves. The lock is released again: `next` takes it anew
            // together with a ticket.
            Ok(Some(token)) => {
                if let Err(e) = shared.store.unlock(&shared.key, &token) {
                    self.note(e);
                }
                stop_waiting(self)
            }
            Ok(None) => valid.map_or(Next::Wait(STORE_POLL), Next::Use),
            Err(e) => {
                self.note(e);
                stop_waiting(self)
            }
        }
    }

    /// Feeds the answer to `request` back at `now`: the session stores the
    /// token (then the store gets the record) or backs off; the store lock,
    /// if held, is released.
    pub fn finish(
        &self,
        now: i64,
        request: Box<Request>,
        answer: Result<HttpResponse, ClientError>,
    ) -> Outcome {
        let (outcome, record) = {
            let mut st = self.lock();
            let outcome = match &answer {
                Ok(r) => st.session.complete(now, request.ticket, r.status, &r.body),
                Err(e) => st.session.fail(now, request.ticket, transport_error(e)),
            };
            let record = match outcome {
                Outcome::Stored { expires_at } if self.shared.is_some() => {
                    encode(&st.session).map(|r| (r, expires_at))
                }
                _ => None,
            };
            (outcome, record)
        };
        if let Some(shared) = &self.shared {
            if let Some((record, expires_at)) = record
                && let Err(e) = shared.store.save(&shared.key, &record, expires_at, now)
            {
                self.note(e);
            }
            if let Some(token) = &request.lock
                && let Err(e) = shared.store.unlock(&shared.key, token)
            {
                self.note(e);
            }
        }
        outcome
    }
}

/// Gives the in-process ticket back without counting a failure: the token
/// came from (or is being fetched by) another process.
fn hand_back<P, K>(session: &mut Session<P, K>, now: i64, ticket: Ticket)
where
    P: Deref,
    P::Target: Profile,
    K: Deref,
    K::Target: JwsKey,
{
    if session.fail(now, ticket, TransportError::Other) != Outcome::Stale {
        session.reset();
    }
}

/// The session's record, in a buffer grown to the length it needs.
fn encode<P, K>(session: &Session<P, K>) -> Option<Zeroizing<Vec<u8>>>
where
    P: Deref,
    P::Target: Profile,
    K: Deref,
    K::Target: JwsKey,
{
    let mut buf = Zeroizing::new(vec![0u8; 4096]);
    let n = match session.encode_record(&mut buf) {
        Ok(n) => n,
        Err(Error::BufferTooSmall { needed }) => {
            buf = Zeroizing::new(vec![0u8; needed]);
            session.encode_record(&mut buf).ok()?
        }
        Err(_) => return None,
    };
    buf.truncate(n);
    Some(buf)
}

/// The session's name for a transport failure.
pub fn transport_error(e: &ClientError) -> TransportError {
    match e {
        ClientError::ConnectTimeout { .. } | ClientError::RequestTimeout { .. } => {
            TransportError::Timeout
        }
        ClientError::BodyTooLarge { .. } => TransportError::TooLarge,
        ClientError::Redirect { .. } => TransportError::RedirectRefused,
        ClientError::Connect { .. } => TransportError::Connect,
        _ => TransportError::Other,
    }
}

/// Seconds to wait, at least 10 ms (a wait "until now" is not a busy loop).
fn secs(s: i64) -> Duration {
    Duration::from_secs(u64::try_from(s).unwrap_or(0)).max(Duration::from_millis(10))
}

fn hex(bytes: &[u8; 32]) -> String {
    use core::fmt::Write;
    bytes.iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}
