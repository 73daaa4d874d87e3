//! [`TokenSource`]: a thread-safe "give me a valid access token" over the
//! sans-IO session core, the blocking transport ([`super::http`]) and an
//! optional shared [`Store`].
//!
//! - **Hit path**: the last credential is kept as `Arc<Token>` snapshots
//!   (one copy per shard, see `Shard`) behind `RwLock`s that only a
//!   completed fetch writes (for a pointer swap): a `get()` on a token that
//!   is not due takes its shard's read lock, reads the clock and clones the
//!   `Arc` — no lock a fetch holds, no allocation. With the system clock
//!   the hit path reads the coarse wall clock (Linux
//!   `CLOCK_REALTIME_COARSE`, a few ns, at most a tick behind) and serves a
//!   snapshot only until [`HIT_MARGIN_NS`] before its refresh moment, so
//!   the lag never hands out a due (let alone expired) token; past that,
//!   the session decides with the precise clock.
//! - **Single flight across threads**: the session sits in a `Mutex` held
//!   only for `poll`/`complete`/`fail`, never across IO. The caller that
//!   `poll` hands the `Fetch` does the IO; the others get the still-valid
//!   token or wait on a `Condvar` for that fetch.
//! - **Single flight across processes** (with a store): the session core
//!   drives the store protocol ([`Session::share`]): its `poll` asks this
//!   driver to load the record (a fresh one is adopted: no request, no
//!   signature), else to take the store lock and load again, and only then
//!   builds and signs the request; afterwards it asks to save fenced by the
//!   lock and unlock. This file only does each step's IO: it renews the
//!   lock from a thread while the request runs ([`super::fleet`]), and a
//!   caller that finds the lock held sleeps until the holder's save is
//!   announced (a bounded poll without one). A failed or refused save
//!   never loses the token: the warning hook is told and the token is
//!   returned.
//! - The session core does refresh-ahead, backoff, rejected grants,
//!   refresh tokens; this file adds no policy of its own.
//!
//! ```no_run
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use std::sync::Arc;
//! use jwtmint::SigningKey;
//! use jwtmint::client::{TokenSource, file_store::FileStore};
//! use jwtmint::profiles::{Login, Salesforce};
//! let key = SigningKey::from_pem(&std::fs::read_to_string("key.pem")?)?;
//! let sf = Salesforce::new("3MVG9...", "integration@example.com", Login::Production)?;
//! let source = TokenSource::builder(&sf, &key)
//!     .store(Arc::new(FileStore::new("/var/cache/app/sf-token.json")))
//!     .on_warning(|w| eprintln!("warning: {w}"))
//!     .build()?;
//! // Share `source` (a cheap clone) with every thread; each call is a hit
//! // until the token is due, then exactly one caller fetches.
//! let token = source.get()?;
//! println!("Authorization: Bearer {}", token.access_token());
//! # Ok(()) }
//! ```
#[allow(unused_imports)]
use std::prelude::rust_2024::*;
#[allow(unused_imports)]
use std::{format, vec};

use core::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, RwLock};
use std::time::{Duration, Instant};

use core::ops::Deref;

use zeroize::Zeroizing;

use super::endpoint::TokenUrl;
use super::error::ClientError;
use super::fleet;
use super::http::{HttpClient, HttpConfig, HttpResponse};
use super::identity;
use super::redact;
use super::store::{LockToken, SaveOutcome, SaveRequest, Store, StoredRecord};
use super::token::Token;
use crate::error::Error;
use crate::profiles::Profile;
use crate::session::{
    Action, Config, FailureKind, Grant, Heap, Outcome, Session, StoreAction, StoreAnswer,
    StoreOutcome, StorePolicy, Ticket, TransportError,
};
use crate::signer::JwsKey;

/// A `tracing` event under the target `jwtmint::source` (feature
/// `tracing`; nothing otherwise). Fields are kinds, numbers and sanitised
/// OAuth codes: never a token, an assertion, a record or a body.
#[cfg(feature = "tracing")]
macro_rules! event {
    ($level:ident, $($rest:tt)*) => {
        tracing::$level!(target: "jwtmint::source", $($rest)*)
    };
}

/// Access-token capacity of a token source's session (Entra tokens with
/// many groups run past 8 KiB).
pub const MAX_TOKEN: usize = 32 * 1024;
/// Request-body capacity (assertion + form parameters).
pub const MAX_REQUEST: usize = 16 * 1024;

/// Default of [`TokenSourceBuilder::max_wait`]: 5 s.
pub const DEFAULT_MAX_WAIT: Duration = Duration::from_secs(5);

/// Default of [`TokenSourceBuilder::keep_refresh_token`]: 7 days.
pub const DEFAULT_KEEP_REFRESH: Duration = Duration::from_secs(7 * 24 * 3600);

/// The session type a [`TokenSource`] drives: heap buffers sized to the
/// token it holds (at most [`MAX_TOKEN`]), so a source costs a few KiB,
/// not the largest token twice over.
pub type SourceSession<P, K> = Session<P, K, MAX_TOKEN, MAX_REQUEST, Heap>;

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
    /// The store lock expired or was taken over while this process
    /// fetched: its token is used but not saved (fencing).
    LockLost,
    /// A refresh-token grant made without the store lock: its token is
    /// used but not saved (only the lock holder may rotate the stored
    /// refresh token).
    NotSavedWithoutLock,
    /// The invalidated token's shared record could not be removed (peers
    /// may still adopt it until it expires; this source never does).
    NotRemoved(ClientError),
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
            Self::LockLost => f.write_str(
                "the store lock was lost during the fetch; the token is used but not saved",
            ),
            Self::NotSavedWithoutLock => {
                f.write_str("a refresh made without the store lock is not saved; the token is used")
            }
            Self::NotRemoved(e) => write!(f, "the refused token's record was not removed: {e}"),
        }
    }
}

/// What a token source did since it was built (all its clones together):
/// [`TokenSource::stats`]. Counters only, never a secret.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SourceStats {
    /// Token requests sent.
    pub requests: u64,
    /// Answers stored as the new token.
    pub stored: u64,
    /// Fetches that got no HTTP answer (connect, timeout, TLS, body too
    /// large, redirect refused).
    pub transport_failures: u64,
    /// Answers without a usable token, retried with backoff (5xx, 429,
    /// malformed or hostile tokens, already expired, a refused renewal).
    pub retried_answers: u64,
    /// Rejected grants (`invalid_grant`, `invalid_client`, ...).
    pub rejected: u64,
    /// Records adopted from the store instead of a request.
    pub store_hits: u64,
    /// Fetches that found the store's fetch lock held by another process
    /// and waited for its save (one per wait, however many times the lock
    /// was tried meanwhile; C's `lock_waits` counts each `BUSY` answer).
    pub lock_waits: u64,
    /// Tokens dropped by [`TokenSource::invalidate`].
    pub invalidated: u64,
    /// The last failure (sanitised), `None` once a token was stored.
    pub last_error: Option<String>,
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

pub(crate) struct State<P, K>
where
    P: Deref<Target: Profile>,
    K: Deref<Target: JwsKey>,
{
    session: SourceSession<P, K>,
    /// What the last failed fetch's transport or body said (sanitised).
    detail: Option<String>,
    /// The store lock this source holds (the session knows that it is
    /// held; the token proving it lives here).
    lock: Option<LockToken>,
    /// The store's save mark taken before the last lock attempt: a save
    /// after it wakes a waiter.
    mark: u64,
    /// When this process stops waiting for another's lock.
    lock_until: Option<Instant>,
    /// A store warning was given in this attempt (warn once per fetch).
    warned: bool,
}

struct Inner<P, K>
where
    P: Deref<Target: Profile>,
    K: Deref<Target: JwsKey>,
{
    state: Mutex<State<P, K>>,
    changed: Condvar,
    /// The hit-path snapshot, one copy per shard (see [`Shard`]).
    shards: [Shard; SHARDS],
    http: HttpClient,
    url: Option<TokenUrl>,
    store: Option<Arc<dyn Store>>,
    store_key: String,
    warn: WarnHook,
    clock: Clock,
    /// `clock` is the system clock: the hit path reads it coarsely.
    system_clock: bool,
    max_wait: Duration,
    lock_wait: Duration,
    sent: core::sync::atomic::AtomicU64,
    /// Counters for [`TokenSource::stats`] (`requests` is `sent`).
    stats: Mutex<SourceStats>,
    /// Extra wake-up for adapters that do not wait on `changed` (async).
    waker: Option<Waker>,
}

/// Snapshot shards: each holds its own `Arc<Token>` (a separate copy), on
/// its own cache line, and each thread reads one, so concurrent hits do not
/// all bump the same reference count and reader count. A shard gets copies
/// only once a thread reading it asked for a token (`used`): a source used
/// by one thread (most of a many-subjects table) holds one copy, not 16.
const SHARDS: usize = 16;

#[repr(align(128))]
struct Shard(RwLock<Option<Arc<Token>>>, AtomicBool);

static NEXT_SHARD: core::sync::atomic::AtomicUsize = core::sync::atomic::AtomicUsize::new(0);

std::thread_local! {
    /// The shard this thread reads (round-robin by first use; an index,
    /// not a token: nothing secret lives in thread-local storage).
    static SHARD_OF_THREAD: usize =
        NEXT_SHARD.fetch_add(1, core::sync::atomic::Ordering::Relaxed) % SHARDS;
}

/// Called whenever the session changed (a fetch landed, a record was adopted).
pub(crate) type Waker = Arc<dyn Fn() + Send + Sync>;

shared_handle! {
    /// A thread-safe token source: `get()` returns a valid credential,
    /// fetching it once for every thread (and, with a store, every process).
    /// Cheap to clone (an `Arc`); `Send + Sync` when the profile and key are.
    TokenSource(Inner), debug |this| {
        "url": this.inner.url,
        "store": this.inner.store.is_some(),
        "store_key": this.inner.store_key,
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
    system_clock: bool,
    max_wait: Duration,
    lock_wait: Option<Duration>,
    keep_refresh_token: Duration,
    waker: Option<Waker>,
}

impl<P, K> TokenSourceBuilder<P, K>
where
    P: Deref<Target: Profile>,
    K: Deref<Target: JwsKey>,
{
    crate::setters::setters! {
        /// The session policy (refresh-ahead, backoff, fallback lifetime, ...).
        /// Its `fetch_timeout` is raised to cover the transport's timeouts and
        /// the store-lock wait, so an answer is never dropped as stale.
        config(config: Config);
        /// Transport timeouts and body cap.
        http(http: HttpConfig);
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
        self.system_clock = false;
        self
    }

    crate::setters::setters! {
        /// How long one `get()` waits for a token through failures and backoff
        /// before returning [`TokenError::Unavailable`] (default
        /// [`DEFAULT_MAX_WAIT`], 5 s: a dead token endpoint does not block
        /// every caller for long; zero: one attempt). A fetch already sent
        /// runs on to its own timeout and lands for the next caller.
        max_wait(wait: Duration);
        /// The store lock's TTL (default [`fleet::lock_ttl`]: connect +
        /// request timeouts + a store margin): a crashed fetcher blocks the
        /// others this long. The holder renews it every third of it while its
        /// fetch runs, so a slow endpoint does not let a second process in. A
        /// fetcher waits for another process's lock this long plus one fetch
        /// before fetching without it.
        lock_wait(wait: Duration) => Some;
        /// How long a store keeps a record past its access token's expiry when
        /// it carries a refresh token (default 7 days; zero: not past it), so a
        /// later process or CLI run renews with that refresh token instead of
        /// the initial grant. The stored access token is never used once
        /// expired; a refresh token the server no longer accepts falls back to
        /// the next grant.
        keep_refresh_token(keep: Duration);
    }

    /// Also calls `waker` whenever waiters should re-check (the async
    /// adapter's `Notify`).
    #[must_use]
    #[cfg(feature = "client-async")]
    pub(crate) fn waker(mut self, waker: Waker) -> Self {
        self.waker = Some(waker);
        self
    }

    /// The transport settings (the async adapter builds its client from them).
    #[cfg(feature = "client-async")]
    pub(crate) const fn http_config(&self) -> HttpConfig {
        self.http
    }

    /// The source. A `jitter_seed` of 0 (the default) is replaced by one
    /// from the OS RNG: retries and the refresh moment are spread per
    /// process.
    ///
    /// # Errors
    /// `ZeroTimeout`; the token URL's errors (`UrlUserinfo`,
    /// `UrlNotLoopback`, ...) for the override or the profile's URL;
    /// [`ClientError::Key`] (e.g. `KeyAlgorithmMismatch`) for a key that
    /// cannot sign for the profile.
    pub fn build(self) -> Result<TokenSource<P, K>, ClientError> {
        let http = HttpClient::new(self.http)?;
        let profile_url = self.profile.token_request().map(|r| r.url);
        let url = match (&self.url, profile_url) {
            (Some(u), _) => Some(TokenUrl::parse(u)?),
            (None, Some(u)) => Some(TokenUrl::parse(u)?),
            (None, None) => None,
        };
        let secs = |d: Duration| i64::try_from(d.as_secs()).unwrap_or(i64::MAX);
        let lock_wait = self
            .lock_wait
            .unwrap_or_else(|| fleet::lock_ttl(&self.http));
        // Waiting for another process's lock (`lock_wait` + a fetch), then
        // our own fetch.
        let needed = secs(self.http.connect_timeout)
            .saturating_mul(2)
            .saturating_add(secs(self.http.request_timeout).saturating_mul(2))
            .saturating_add(secs(lock_wait))
            .saturating_add(5);
        let mut config = self.config.seeded_from_os();
        config.fetch_timeout = config.fetch_timeout.max(needed);
        let mut session = SourceSession::try_new(self.profile, self.key, config)
            .map_err(|error| ClientError::Key { error })?;
        if self.store.is_some() {
            // The core drives the store protocol; this driver renews the
            // lock from a thread while its (blocking) request runs, and
            // bounds the wait for another's lock by the clock of `Instant`.
            let wait = self
                .lock_wait
                .unwrap_or_else(|| fleet::lock_ttl(&self.http))
                .saturating_add(self.http.connect_timeout)
                .saturating_add(self.http.request_timeout);
            session.share(
                StorePolicy::new()
                    .lock_wait(secs(wait).saturating_add(1))
                    .keep_refresh(secs(self.keep_refresh_token)),
            );
        }
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
                    lock: None,
                    mark: 0,
                    lock_until: None,
                    warned: false,
                }),
                changed: Condvar::new(),
                shards: core::array::from_fn(|_| Shard(RwLock::new(None), AtomicBool::new(false))),
                http,
                url,
                store: self.store,
                store_key,
                warn: self.warn,
                clock: self.clock,
                system_clock: self.system_clock,
                max_wait: self.max_wait,
                lock_wait,
                sent: core::sync::atomic::AtomicU64::new(0),
                stats: Mutex::new(SourceStats::default()),
                waker: self.waker,
            }),
        })
    }
}

/// A fetch copied out of the session (the lock is not held during IO).
pub(crate) struct Pending {
    ticket: Ticket,
    /// When the fetch was handed out (its latency).
    #[cfg(feature = "tracing")]
    started: Instant,
    /// The grant the request makes.
    grant: Grant,
    /// The store lock the fetch holds (renewed while it runs).
    pub(crate) lock: Option<LockToken>,
    /// Header values may carry the assertion (`Authorization`): wiped.
    pub(crate) headers: Vec<(String, Zeroizing<String>)>,
    pub(crate) body: Zeroizing<Vec<u8>>,
}

/// What the fetcher did outside the lock.
pub(crate) enum Done {
    /// The endpoint answered (any status).
    Answered(HttpResponse),
    /// No answer.
    Failed(ClientError),
}

/// A store action copied out of the session (the store IO runs without
/// the session lock), with what this driver needs to do it.
pub(crate) struct StoreJob {
    ticket: Ticket,
    op: StoreOp,
}

enum StoreOp {
    Load,
    Lock,
    AwaitSave {
        mark: u64,
        until: Instant,
    },
    Renew(Option<LockToken>),
    Save {
        /// `None`: the record could not be encoded.
        record: Option<Zeroizing<Vec<u8>>>,
        expires_at: i64,
        lock: Option<LockToken>,
    },
    Unlock(Option<LockToken>),
    Remove([u8; 32]),
}

/// A store action without its borrow of the session.
struct Owned {
    /// The action, any digest replaced by a static zero digest.
    action: StoreAction<'static>,
    digest: [u8; 32],
}

static NO_DIGEST: [u8; 32] = [0; 32];

impl From<StoreAction<'_>> for Owned {
    fn from(a: StoreAction<'_>) -> Self {
        match a {
            StoreAction::RemoveIfHolds { ticket, digest } => Self {
                action: StoreAction::RemoveIfHolds {
                    ticket,
                    digest: &NO_DIGEST,
                },
                digest: *digest,
            },
            StoreAction::Load { ticket } => Self::plain(StoreAction::Load { ticket }),
            StoreAction::Lock { ticket } => Self::plain(StoreAction::Lock { ticket }),
            StoreAction::AwaitSave { ticket, until } => {
                Self::plain(StoreAction::AwaitSave { ticket, until })
            }
            StoreAction::RenewLock { ticket } => Self::plain(StoreAction::RenewLock { ticket }),
            StoreAction::Save {
                ticket,
                expires_at,
                locked,
            } => Self::plain(StoreAction::Save {
                ticket,
                expires_at,
                locked,
            }),
            StoreAction::Unlock { ticket } => Self::plain(StoreAction::Unlock { ticket }),
        }
    }
}

impl Owned {
    const fn plain(action: StoreAction<'static>) -> Self {
        Self {
            action,
            digest: [0; 32],
        }
    }
}

/// A store answer with its record owned.
enum Answered {
    Record(Option<Zeroizing<Vec<u8>>>),
    Locked(LockToken, u64),
    Busy(u64),
    Other(StoreAnswer<'static>),
}

/// What a `get()` does next (shared by the blocking and async adapters).
pub(crate) enum Step {
    /// Hand out this token.
    Token(Arc<Token>),
    /// Give up with this error.
    Error(TokenError),
    /// Wait for a wake-up, at most this long, then step again.
    Wait(Duration),
    /// Do this store step ([`TokenSource::run_store`]), then step again.
    Store(StoreJob),
    /// This caller fetches: send, `finish`.
    Fetch(Pending),
}

/// How long before a snapshot's refresh moment the hit path stops serving
/// it with the system clock (50 ms: many ticks of the coarse clock's lag);
/// `get()` then asks the session, which reads the precise clock.
pub const HIT_MARGIN_NS: i64 = 50_000_000;

/// Whether `t` is fresh by the coarse system clock: stored in the past and
/// more than [`HIT_MARGIN_NS`] before its refresh moment.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn fresh_by_system_clock(t: &Token) -> bool {
    let now = rustix::time::clock_gettime(rustix::time::ClockId::RealtimeCoarse);
    fresh_at_ns(t, now.tv_sec, now.tv_nsec)
}

/// Whether `t` is fresh by the system clock (precise where no coarse clock
/// is read).
#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn fresh_by_system_clock(t: &Token) -> bool {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let sec = i64::try_from(now.as_secs()).unwrap_or(i64::MAX);
    fresh_at_ns(t, sec, i64::from(now.subsec_nanos()))
}

/// Whether `t` is fresh at `sec` seconds and `nsec` nanoseconds: `sec` at
/// or after its `stored_at`, and at least [`HIT_MARGIN_NS`] before its
/// refresh moment.
fn fresh_at_ns(t: &Token, sec: i64, nsec: i64) -> bool {
    let due = t.refresh_at();
    sec >= t.stored_at
        && (sec < due.saturating_sub(1)
            || (sec == due.saturating_sub(1) && nsec < 1_000_000_000 - HIT_MARGIN_NS))
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
    P: Deref<Target: Profile>,
    K: Deref<Target: JwsKey>,
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
            system_clock: true,
            max_wait: DEFAULT_MAX_WAIT,
            lock_wait: None,
            keep_refresh_token: DEFAULT_KEEP_REFRESH,
            waker: None,
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
        if let Some(t) = self.cached() {
            return Ok(t);
        }
        self.slow()
    }

    /// The hit path: the snapshot, when it is not due.
    pub(crate) fn cached(&self) -> Option<Arc<Token>> {
        let snap = self.shard().0.read().ok()?;
        let t = snap.as_ref()?;
        let fresh = if self.inner.system_clock {
            fresh_by_system_clock(t)
        } else {
            t.fresh_at((self.inner.clock)())
        };
        fresh.then(|| Arc::clone(t))
    }

    /// This thread's snapshot shard.
    fn shard(&self) -> &Shard {
        let i = SHARD_OF_THREAD.try_with(|i| *i).unwrap_or(0);
        let [first, ..] = &self.inner.shards;
        self.inner.shards.get(i % SHARDS).unwrap_or(first)
    }

    /// The most a `get()` waits.
    #[cfg(feature = "client-async")]
    pub(crate) fn max_wait(&self) -> Duration {
        self.inner.max_wait
    }

    fn wake(&self) {
        self.inner.changed.notify_all();
        if let Some(w) = &self.inner.waker {
            w();
        }
    }

    /// The API answered 401 with `token`: drops that token (only that one:
    /// a 401 for a token already replaced is a no-op, so many callers
    /// reacting to one wave of 401s cause one fetch), never adopts it again
    /// from the store, and removes the shared record if it still holds it
    /// ([`Store::remove_if_holds`]). Returns whether the current token was
    /// dropped.
    pub fn invalidate(&self, token: &str) -> bool {
        let dropped = {
            // Under the session lock: a concurrent `get()` publishes only
            // under it, so it cannot put the revoked token back.
            let mut st = self.lock();
            for shard in &self.inner.shards {
                if let Ok(mut s) = shard.0.write()
                    && s.as_ref().is_some_and(|t| t.access_token() == token)
                {
                    *s = None;
                }
            }
            st.session.invalidate(token)
        };
        if dropped {
            self.count(|s| s.invalidated += 1);
        }
        if let Some(store) = &self.inner.store {
            let digest = crate::session::token_digest(token);
            if let Err(e) = store.remove_if_holds(&self.inner.store_key, &digest) {
                (self.inner.warn)(&SourceWarning::NotRemoved(e));
            }
        }
        dropped
    }

    /// Clears a rejected grant and the backoff (after fixing the cause).
    pub fn reset(&self) {
        self.lock().session.reset();
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, State<P, K>> {
        // A panic while holding the lock leaves a consistent session (every
        // mutation is a single call): keep going.
        self.inner
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Writes a copy of `t` into every shard a thread reads (this thread's
    /// included; under the session lock) that does not hold it yet;
    /// returns this thread's.
    fn publish(&self, t: &Token) -> Arc<Token> {
        self.shard().1.store(true, Ordering::Relaxed);
        for shard in &self.inner.shards {
            if !shard.1.load(Ordering::Relaxed) {
                continue;
            }
            if let Ok(mut s) = shard.0.write() {
                let holds = s.as_ref().is_some_and(|h| {
                    h.expires_at == t.expires_at
                        && h.stored_at == t.stored_at
                        && h.access_token() == t.access_token()
                });
                if !holds {
                    *s = Some(Arc::new(t.clone()));
                }
            }
        }
        self.shard()
            .0
            .read()
            .ok()
            .and_then(|s| s.clone())
            .unwrap_or_else(|| Arc::new(t.clone()))
    }

    fn slow(&self) -> Result<Arc<Token>, TokenError> {
        let deadline = Instant::now() + self.inner.max_wait;
        let mut st = self.lock();
        loop {
            match self.step(&mut st, deadline) {
                Step::Token(t) => return Ok(t),
                Step::Error(e) => return Err(e),
                Step::Store(job) => {
                    drop(st);
                    self.run_store(job);
                    st = self.lock();
                }
                Step::Wait(nap) => {
                    st = match self.inner.changed.wait_timeout(st, nap) {
                        Ok((g, _)) => g,
                        Err(p) => p.into_inner().0,
                    };
                }
                Step::Fetch(pending) => {
                    drop(st);
                    let done = {
                        #[cfg(feature = "tracing")]
                        let _span = tracing::info_span!(target: "jwtmint::source", "jwtmint.fetch", grant = ?pending.grant)
                            .entered();
                        let _renewal = self.renewal(pending.lock.as_ref());
                        self.send(&pending)
                    };
                    self.finish(&pending, done);
                    st = self.lock();
                }
            }
        }
    }

    /// One step of `get()` under the session lock: poll the session.
    pub(crate) fn step(&self, st: &mut State<P, K>, deadline: Instant) -> Step {
        let now = (self.inner.clock)();
        match st.session.poll(now) {
            Action::Use(c) => {
                let current = self.shard().0.read().ok().and_then(|s| s.clone());
                if let Some(t) = current.filter(|t| t.same_as(&c)) {
                    return Step::Token(t);
                }
                let t = Token::from_credential(&c);
                Step::Token(self.publish(&t))
            }
            Action::Failed(f) => Step::Error(TokenError::Rejected {
                kind: f.kind(),
                code: f.code().to_owned(),
                description: f.description().to_owned(),
                status: f.status(),
                message: f.to_string(),
            }),
            Action::Store(a) => {
                let a = Owned::from(a);
                Step::Store(self.store_job(st, a))
            }
            Action::Wait(until) => {
                // Past the wait, give up even while another caller's fetch
                // runs (a stalled endpoint holds only its fetcher, up to the
                // transport timeouts); the fetch still lands for later calls.
                let left = deadline.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    return Step::Error(self.unavailable(st));
                }
                let secs = u64::try_from(until.saturating_sub(now)).unwrap_or(0);
                // Poll at least every second (a store or clock may change),
                // and never sleep past the deadline.
                let nap = Duration::from_secs(secs.clamp(0, 1))
                    .max(Duration::from_millis(10))
                    .min(left.max(Duration::from_millis(1)));
                Step::Wait(nap)
            }
            Action::Fetch(f) => Step::Fetch(Pending {
                ticket: f.ticket,
                #[cfg(feature = "tracing")]
                started: Instant::now(),
                grant: f.grant,
                lock: if f.locked { st.lock.clone() } else { None },
                headers: f
                    .all_headers()
                    .map(|(k, v)| (k.to_owned(), Zeroizing::new(v.to_owned())))
                    .collect(),
                body: Zeroizing::new(f.body.to_vec()),
            }),
        }
    }

    /// Lands what the fetcher did and wakes the waiters; the session then
    /// asks for the save (or the unlock) as its next store step.
    pub(crate) fn finish(&self, pending: &Pending, done: Done) {
        let mut st = self.lock();
        self.land(&mut st, pending, done);
        st.warned = false;
        st.lock_until = None;
        self.wake();
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

    /// Applies what the fetcher did (counters, detail, warnings).
    fn land(&self, st: &mut State<P, K>, p: &Pending, done: Done) {
        let now = (self.inner.clock)();
        let (outcome, status) = match done {
            Done::Answered(resp) => {
                let retry_after = resp
                    .retry_after
                    .as_deref()
                    .and_then(|v| crate::session::parse_retry_after(v.as_bytes(), now));
                let outcome = st.session.complete_with_retry_after(
                    now,
                    p.ticket,
                    resp.status,
                    &resp.body,
                    retry_after,
                );
                st.detail = match outcome {
                    Outcome::Stored { .. } => None,
                    _ => Some(format!(
                        "HTTP {}: {}",
                        resp.status,
                        redact::server_bytes(&resp.body)
                    )),
                };
                (outcome, resp.status)
            }
            Done::Failed(e) => {
                let outcome = st.session.fail(now, p.ticket, transport_kind(&e));
                st.detail = Some(e.to_string());
                if outcome != Outcome::Stale {
                    self.count(|s| s.transport_failures += 1);
                }
                (outcome, 0)
            }
        };
        let _ = status;
        let failure = st.session.failure();
        let transport = failure.is_some_and(|f| matches!(f.kind(), FailureKind::Transport(_)));
        let last = failure.map(ToString::to_string);
        self.count(|s| {
            match outcome {
                Outcome::Stored { .. } => s.stored += 1,
                Outcome::Retry { .. } if !transport => s.retried_answers += 1,
                Outcome::Rejected => s.rejected += 1,
                _ => {}
            }
            if outcome != Outcome::Stale {
                s.last_error = last;
            }
        });
        #[cfg(feature = "tracing")]
        {
            let latency_ms = u64::try_from(p.started.elapsed().as_millis()).unwrap_or(u64::MAX);
            let error = st.session.failure().map(|f| f.code().to_owned());
            event!(
                info,
                grant = ?p.grant,
                outcome = ?outcome,
                status,
                latency_ms,
                locked = p.lock.is_some(),
                error = error.as_deref().unwrap_or(""),
                "token fetch landed"
            );
        }
        // The session does not save a refresh made without the lock (only
        // the lock holder may rotate the stored refresh token): say so.
        if matches!(outcome, Outcome::Stored { .. })
            && self.inner.store.is_some()
            && p.grant == Grant::RefreshToken
            && p.lock.is_none()
        {
            (self.inner.warn)(&SourceWarning::NotSavedWithoutLock);
        }
    }

    /// Copies the session's store action out (under the session lock).
    fn store_job(&self, st: &mut State<P, K>, a: Owned) -> StoreJob {
        let op = match a.action {
            StoreAction::Lock { .. } => StoreOp::Lock,
            StoreAction::AwaitSave { .. } => StoreOp::AwaitSave {
                mark: st.mark,
                until: *st.lock_until.get_or_insert_with(|| self.lock_deadline()),
            },
            StoreAction::RenewLock { .. } => StoreOp::Renew(st.lock.clone()),
            StoreAction::Save {
                expires_at, locked, ..
            } => StoreOp::Save {
                record: encode(&st.session),
                expires_at,
                lock: if locked { st.lock.clone() } else { None },
            },
            StoreAction::Unlock { .. } => StoreOp::Unlock(st.lock.clone()),
            StoreAction::RemoveIfHolds { .. } => StoreOp::Remove(a.digest),
            _ => StoreOp::Load,
        };
        StoreJob {
            ticket: a.action.ticket(),
            op,
        }
    }

    /// When a fetcher stops waiting for another process's lock: the lock
    /// lives `lock_wait` (renewed while its holder fetches); wait a fetch
    /// longer, so that when its holder died, one waiter takes it over and
    /// the others adopt its record, instead of all fetching without it.
    fn lock_deadline(&self) -> Instant {
        let http = self.inner.http.config();
        Instant::now() + self.inner.lock_wait + http.connect_timeout + http.request_timeout
    }

    /// Does a store step (without the session lock) and answers the
    /// session with it (under the lock). Store failures are warnings: the
    /// session goes on without the store.
    pub(crate) fn run_store(&self, job: StoreJob) {
        let answered = self.store_io(&job);
        let now = (self.inner.clock)();
        let mut st = self.lock();
        let answer = match &answered {
            Answered::Record(r) => StoreAnswer::Record(r.as_deref().map(|v| v.as_slice())),
            Answered::Locked(lock, mark) => {
                st.lock = Some(lock.clone());
                st.mark = *mark;
                st.lock_until = None;
                StoreAnswer::Locked
            }
            Answered::Busy(mark) => {
                st.mark = *mark;
                if st.lock_until.is_none() {
                    self.count(|s| s.lock_waits += 1);
                }
                let until = *st.lock_until.get_or_insert_with(|| self.lock_deadline());
                if Instant::now() < until {
                    StoreAnswer::Busy
                } else {
                    st.lock_until = None;
                    (self.inner.warn)(&SourceWarning::LockHeld);
                    StoreAnswer::GaveUp
                }
            }
            Answered::Other(a) => *a,
        };
        let result = st.session.store_answer(now, job.ticket, answer);
        #[cfg(feature = "tracing")]
        {
            let step = match &job.op {
                StoreOp::Load => "load",
                StoreOp::AwaitSave { .. } => "await_save",
                StoreOp::Lock => "lock",
                StoreOp::Renew(_) => "renew_lock",
                StoreOp::Save { .. } => "save",
                StoreOp::Unlock(_) => "unlock",
                StoreOp::Remove(_) => "remove_if_holds",
            };
            let hit = matches!(result, Ok(StoreOutcome::Adopted));
            let answer_kind = match answer {
                StoreAnswer::Record(Some(_)) if hit => "hit",
                StoreAnswer::Record(Some(_)) => "miss (record not fresh or not used)",
                StoreAnswer::Record(None) => "miss (no record)",
                StoreAnswer::Busy => "lock held by another process: waiting",
                StoreAnswer::GaveUp => "lock wait over: fetching without it",
                StoreAnswer::Locked => "locked",
                StoreAnswer::Saved => "saved",
                StoreAnswer::KeptNewer => "kept newer",
                StoreAnswer::LockLost => "lock lost",
                StoreAnswer::Removed(true) => "removed",
                StoreAnswer::Removed(false) => "not removed",
                StoreAnswer::Done => "done",
                _ => "failed",
            };
            event!(
                debug,
                step,
                result = answer_kind,
                store_hit = hit,
                "store step"
            );
        }
        match result {
            Ok(StoreOutcome::Adopted) => {
                st.detail = None;
                st.warned = false;
                st.lock_until = None;
                self.count(|s| {
                    s.store_hits += 1;
                    s.last_error = None;
                });
            }
            Ok(_) => {}
            Err(e) => {
                if !core::mem::replace(&mut st.warned, true) {
                    (self.inner.warn)(&SourceWarning::RecordNotUsed(e.to_string()));
                }
            }
        }
        if !st.session.store_locked() {
            st.lock = None;
        }
        self.wake();
    }

    /// The store IO of one step.
    fn store_io(&self, job: &StoreJob) -> Answered {
        let failed = Answered::Other(StoreAnswer::Failed);
        let Some(store) = &self.inner.store else {
            return failed;
        };
        let store = store.as_ref();
        let key = self.inner.store_key.as_str();
        let now = (self.inner.clock)();
        match &job.op {
            StoreOp::Load => self.load(store, now),
            StoreOp::AwaitSave { mark, until } => {
                fleet::wait_turn(store, key, *mark, *until);
                self.load(store, (self.inner.clock)())
            }
            StoreOp::Lock => {
                // Taken before the lock attempt: a save after it wakes us.
                let mark = store.save_mark(key);
                match store.try_lock(key, self.inner.lock_wait) {
                    Ok(Some(lock)) => Answered::Locked(lock, mark),
                    Ok(None) => Answered::Busy(mark),
                    Err(e) => {
                        (self.inner.warn)(&SourceWarning::Lock(e));
                        failed
                    }
                }
            }
            StoreOp::Renew(lock) => {
                let Some(lock) = lock else { return failed };
                match store.renew_lock(key, lock, self.inner.lock_wait) {
                    Ok(true) => Answered::Other(StoreAnswer::Locked),
                    Ok(false) => {
                        (self.inner.warn)(&SourceWarning::LockLost);
                        Answered::Other(StoreAnswer::LockLost)
                    }
                    Err(e) => {
                        (self.inner.warn)(&SourceWarning::Lock(e));
                        failed
                    }
                }
            }
            StoreOp::Save {
                record,
                expires_at,
                lock,
            } => {
                let Some(record) = record else { return failed };
                let save = SaveRequest {
                    key,
                    record,
                    expires_at: *expires_at,
                    now,
                    lock: lock.as_ref(),
                };
                match store.save_and_unlock(save) {
                    Ok(SaveOutcome::LockLost) => {
                        (self.inner.warn)(&SourceWarning::LockLost);
                        Answered::Other(StoreAnswer::LockLost)
                    }
                    Ok(SaveOutcome::KeptNewer) => Answered::Other(StoreAnswer::KeptNewer),
                    Ok(_) => Answered::Other(StoreAnswer::Saved),
                    Err(e) => {
                        (self.inner.warn)(&SourceWarning::NotSaved(e));
                        failed
                    }
                }
            }
            StoreOp::Unlock(lock) => {
                if let Some(lock) = lock
                    && let Err(e) = store.unlock(key, lock)
                {
                    (self.inner.warn)(&SourceWarning::Lock(e));
                }
                Answered::Other(StoreAnswer::Done)
            }
            StoreOp::Remove(digest) => match store.remove_if_holds(key, digest) {
                Ok(removed) => Answered::Other(StoreAnswer::Removed(removed)),
                Err(e) => {
                    (self.inner.warn)(&SourceWarning::NotRemoved(e));
                    failed
                }
            },
        }
    }

    /// Reads the shared record (a failure warns once per attempt).
    fn load(&self, store: &dyn Store, now: i64) -> Answered {
        match store.load(&self.inner.store_key, now) {
            Ok(r) => Answered::Record(r.map(|r: StoredRecord| r.record)),
            Err(e) => {
                let mut st = self.lock();
                if !core::mem::replace(&mut st.warned, true) {
                    (self.inner.warn)(&SourceWarning::StoreUnreadable(e));
                }
                Answered::Other(StoreAnswer::Failed)
            }
        }
    }

    /// Whether another handle (a clone) of this source exists.
    pub(crate) fn is_shared(&self) -> bool {
        Arc::strong_count(&self.inner) > 1
    }

    /// How many token requests this source (and its clones) has sent.
    pub fn requests_sent(&self) -> u64 {
        self.inner.sent.load(core::sync::atomic::Ordering::Relaxed)
    }

    /// A snapshot of what this source (and its clones) did: requests,
    /// outcomes by kind, store hits, invalidations, the last error.
    pub fn stats(&self) -> SourceStats {
        let mut s = self
            .inner
            .stats
            .lock()
            .map_or_else(|p| p.into_inner().clone(), |s| s.clone());
        s.requests = self.requests_sent();
        s
    }

    /// Updates the counters.
    fn count(&self, f: impl FnOnce(&mut SourceStats)) {
        let mut s = self
            .inner
            .stats
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        f(&mut s);
    }

    /// The token URL for one request (counted in `requests_sent`).
    pub(crate) fn target(&self) -> Result<&TokenUrl, ClientError> {
        let url = self
            .inner
            .url
            .as_ref()
            .ok_or_else(|| ClientError::UrlInvalid {
                reason: "the profile has no token endpoint".into(),
            })?;
        self.inner
            .sent
            .fetch_add(1, core::sync::atomic::Ordering::Relaxed);
        Ok(url)
    }

    fn send(&self, p: &Pending) -> Done {
        let url = match self.target() {
            Ok(url) => url,
            Err(e) => return Done::Failed(e),
        };
        let headers = p.headers.iter().map(|(k, v)| (k.as_str(), v.as_str()));
        match self.inner.http.post(url, headers, &p.body) {
            Ok(r) => Done::Answered(r),
            Err(e) => Done::Failed(e),
        }
    }

    /// Renews the store lock while the fetch runs (see [`fleet`]).
    pub(crate) fn renewal(&self, lock: Option<&LockToken>) -> Option<fleet::Renewal> {
        let (Some(store), Some(lock)) = (&self.inner.store, lock) else {
            return None;
        };
        let warn = Arc::clone(&self.inner.warn);
        Some(fleet::Renewal::start(
            Arc::clone(store),
            self.inner.store_key.clone(),
            lock.clone(),
            self.inner.lock_wait,
            move |problem| match problem {
                fleet::RenewProblem::Lost => warn(&SourceWarning::LockLost),
                fleet::RenewProblem::Failed(e) => warn(&SourceWarning::Lock(e)),
            },
        ))
    }
}

/// The session's record, in a buffer sized to it.
fn encode<P, K>(s: &SourceSession<P, K>) -> Option<Zeroizing<Vec<u8>>>
where
    P: Deref<Target: Profile>,
    K: Deref<Target: JwsKey>,
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

#[cfg(test)]
mod hit_clock {
    use super::*;
    use crate::session::Credential;

    fn token(stored_at: i64, refresh_at: i64) -> Token {
        Token::from_credential(&Credential {
            token: "t",
            token_type: "Bearer",
            expires_at: refresh_at + 60,
            refresh_at,
            stored_at,
            instance_url: None,
            id: None,
            scope: None,
        })
    }

    /// The hit path serves a snapshot from its `stored_at` until
    /// `HIT_MARGIN_NS` before its refresh moment, never at or after it.
    #[test]
    fn the_hit_path_stops_a_margin_before_the_refresh_moment() {
        let t = token(100, 1000);
        assert!(fresh_at_ns(&t, 100, 0));
        assert!(!fresh_at_ns(&t, 99, 999_999_999), "stored in the future");
        assert!(fresh_at_ns(&t, 998, 999_999_999));
        assert!(fresh_at_ns(&t, 999, 1_000_000_000 - HIT_MARGIN_NS - 1));
        assert!(!fresh_at_ns(&t, 999, 1_000_000_000 - HIT_MARGIN_NS));
        assert!(!fresh_at_ns(&t, 1000, 0));
        assert!(!fresh_at_ns(&t, i64::MAX, 0));
        let now = system_now();
        assert!(fresh_by_system_clock(&token(now - 1, now + 3600)));
        assert!(!fresh_by_system_clock(&token(now - 1, now)));
        assert!(!fresh_by_system_clock(&token(now + 5, now + 3600)));
    }
}
