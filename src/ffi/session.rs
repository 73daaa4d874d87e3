//! The sans-IO session ([`crate::session::Session`]) through the C ABI, for
//! gateways that own their event loop (NGINX, Envoy, HAProxy modules): the
//! library says what to send, the caller sends it and feeds the answer back.

use alloc::boxed::Box;
use alloc::vec::Vec;

use super::claims::jwtmint_str;
use super::key::jwtmint_key;
use super::panic::{free_handle, guard, guard_len, guard_new};
use super::profiles::jwtmint_profile;
use super::result::jwtmint_result;
use super::session_key::{SessionKey, session_key};
use super::util::{bytes, need, reference, utf8, write_opt, write_out};
use crate::profiles::Profile;
use crate::session::{
    Action, Config, Heap, Outcome, Session, StoreAction, StoreAnswer, StoreOutcome, StorePolicy,
    Ticket, TransportError,
};

/// Bytes for the access token, the refresh token and the request body.
const CAPACITY: usize = 8192;

type Core =
    Session<&'static (dyn Profile + Send + Sync), Box<SessionKey>, CAPACITY, CAPACITY, Heap>;

/// A token session (opaque): one profile + key, its cached access token and
/// its fetch schedule, holding tokens and request bodies of up to 8192 bytes
/// each in heap buffers sized to what they hold (the scratch answer and the
/// request only while a fetch runs; every buffer wiped before it is freed).
///
/// **Not thread-safe.** Every call on one session must be serialized by the
/// caller (one session per event loop / worker, or a mutex around each
/// call; never hold the mutex across the HTTP request). The profile and key
/// it was created from are borrowed and must outlive it. Different sessions
/// may be used by different threads at the same time.
pub struct jwtmint_session {
    core: Core,
    /// The headers of the last `FETCH` action (point into `core`).
    headers: Vec<jwtmint_header_pair>,
    /// Counters for `jwtmint_session_stats`.
    stats: jwtmint_session_counters,
    /// The record of the last `STORE_SAVE*` action (wiped at the next call).
    record: zeroize::Zeroizing<Vec<u8>>,
    /// The digest of the last `STORE_REMOVE_IF_HOLDS` action.
    digest: [u8; 32],
    /// The ticket of the last `STORE_LOCK` action (0: none or answered):
    /// its `BUSY` answer counts a lock wait.
    lock_ticket: u64,
}

impl jwtmint_session {
    /// Whether a fetch it handed out awaits its answer (`jwtmint_sessions`
    /// evicts such a session last).
    pub(crate) const fn in_flight(&self) -> bool {
        self.core.in_flight()
    }
}

/// What a session did since it was created (`jwtmint_session_stats`).
/// Counters only, never a secret.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct jwtmint_session_counters {
    /// `FETCH` actions handed out (token requests to send).
    pub fetches: u64,
    /// Answers stored as the new token (`STORED`).
    pub stored: u64,
    /// Failed attempts to be retried (`RETRY`: transport failures, 5xx,
    /// 429, malformed or hostile tokens, already expired, a refused renewal).
    pub retries: u64,
    /// Of `retries`, those without an HTTP answer (`jwtmint_session_fail`).
    pub transport_failures: u64,
    /// Rejected grants (`REJECTED`).
    pub rejected: u64,
    /// Completions for a ticket no longer in flight (`STALE`).
    pub stale: u64,
    /// Records adopted by `jwtmint_session_restore` or from the shared
    /// store (`jwtmint_session_store_loaded` answering `ADOPTED`).
    pub restored: u64,
    /// Tokens dropped by `jwtmint_session_invalidate{,_token}`.
    pub invalidated: u64,
    /// HTTP status of the last failed answer (0: none or no answer).
    pub last_http_status: u16,
    /// Of `restored`, the records adopted from the shared store
    /// (`jwtmint_session_store_loaded` answering `ADOPTED`): fetches saved.
    pub store_hits: u64,
    /// `STORE_LOCK` actions answered `BUSY`: another process held the
    /// fetch lock, so the session waited for its save (`STORE_AWAIT_SAVE`)
    /// or, past `lock_wait`, fetched without the lock.
    pub lock_waits: u64,
}

impl jwtmint_session_counters {
    fn count(&mut self, o: Outcome, status: u16) {
        match o {
            Outcome::Stored { .. } => self.stored += 1,
            Outcome::Retry { .. } => self.retries += 1,
            Outcome::Rejected => self.rejected += 1,
            Outcome::Stale => self.stale += 1,
        }
        if matches!(o, Outcome::Retry { .. } | Outcome::Rejected) {
            self.last_http_status = status;
        }
    }
}

/// Options of `jwtmint_session_new`. **Zero-initialised is the safe
/// default** for every field: 0 means the default given below.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct jwtmint_session_options {
    /// Refresh this many seconds before expiry (0: 60; -1: not ahead). Clamped
    /// per token to half its lifetime.
    pub refresh_ahead: i64,
    /// First retry delay after a failure, seconds (0: 1).
    pub backoff_min: i64,
    /// Largest retry delay, seconds (0: 300).
    pub backoff_max: i64,
    /// Lifetime assumed for a token whose response has no expiry and that
    /// is not a JWT with `exp` (Salesforce), seconds (0: 900; -1: refuse such
    /// responses).
    pub session_lifetime: i64,
    /// A fetch with no `complete`/`fail` after this many seconds is
    /// abandoned and counts as a failure (0: 30).
    pub fetch_timeout: i64,
    /// After a rejected grant (`invalid_grant`, `invalid_client`, ...), try
    /// again after this many seconds, doubling per further rejection up to
    /// `rejected_retry_max`, jittered (0: 300; -1: never by itself, call
    /// `jwtmint_session_reset`).
    pub rejected_retry: i64,
    /// Entropy for the retry jitter and the refresh spread (0: a seed from
    /// the OS RNG, different per session; give a value for a reproducible
    /// schedule).
    pub jitter_seed: u64,
    /// Largest delay between retries of a rejected grant, seconds (0: 3600).
    pub rejected_retry_max: i64,
    /// Each session refreshes up to this percentage of `refresh_ahead`
    /// earlier, at an offset drawn from the seed, so processes sharing a
    /// token do not refresh in the same second (0: 50; -1: no spread).
    pub refresh_spread: i64,
}

impl jwtmint_session_options {
    fn config(&self) -> Config {
        // 0: the core's default (`Config::new`, the one place of them);
        // -1: 0.
        let d = Config::new();
        let pick = |v: i64, default: i64| match v {
            0 => default,
            -1 => 0,
            v => v,
        };
        d.refresh_ahead(pick(self.refresh_ahead, d.refresh_ahead))
            .backoff(
                pick(self.backoff_min, d.backoff_min),
                pick(self.backoff_max, d.backoff_max),
            )
            .session_lifetime(pick(self.session_lifetime, d.session_lifetime))
            .fetch_timeout(pick(self.fetch_timeout, d.fetch_timeout))
            .rejected_retry(pick(self.rejected_retry, d.rejected_retry))
            .rejected_retry_max(pick(self.rejected_retry_max, d.rejected_retry_max))
            .refresh_spread(pick(self.refresh_spread, d.refresh_spread))
            .jitter_seed(self.jitter_seed)
            .seeded_from_os()
    }
}

/// One HTTP request header (name, value), pointing into the session.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct jwtmint_header_pair {
    /// Header name.
    pub name: jwtmint_str,
    /// Header value.
    pub value: jwtmint_str,
}

/// What to do next (`kind` of `jwtmint_session_action`).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum jwtmint_action_kind {
    /// Send `token` (`Authorization: <token_type> <token>`); valid until
    /// `at`, due for refresh from `refresh_at` (arm a timer for it).
    JWTMINT_ACTION_USE = 1,
    /// Send the request (`method`, `url`, `headers`, `body`) exactly as
    /// given, without following redirects, then call
    /// `jwtmint_session_complete` (any HTTP answer) or `jwtmint_session_fail`
    /// (none) with `ticket`.
    JWTMINT_ACTION_FETCH = 2,
    /// Nothing to use yet (another fetch is in flight, or backing off):
    /// poll again at `at` (or after the in-flight fetch completes).
    JWTMINT_ACTION_WAIT = 3,
    /// The grant was rejected and no valid token is left: report
    /// `error_code` / `error_description` / `http_status`. Retried by itself
    /// after `rejected_retry` (backing off), at once after
    /// `jwtmint_session_reset` or a restored record.
    JWTMINT_ACTION_FAILED = 4,
    /// (Only after `jwtmint_session_share_store`.) Read the shared record,
    /// then `jwtmint_session_store_loaded` with `ticket` (NULL: none).
    JWTMINT_ACTION_STORE_LOAD = 5,
    /// Try to take the fetch lock without blocking, then
    /// `jwtmint_session_store_result` with `LOCKED`, `BUSY` or `FAILED`.
    JWTMINT_ACTION_STORE_LOCK = 6,
    /// Another process holds the lock: wait until it saves (or a short
    /// interval, never past `at`), read the record, then
    /// `jwtmint_session_store_loaded`.
    JWTMINT_ACTION_STORE_AWAIT_SAVE = 7,
    /// Extend the lock held while the fetch runs (`lock_ttl` given to
    /// `jwtmint_session_share_store`), then `jwtmint_session_store_result`
    /// with `LOCKED`, `LOCK_LOST` or `FAILED`.
    JWTMINT_ACTION_STORE_RENEW_LOCK = 8,
    /// Save the record (`body`, `body_len`; it holds bearer secrets) with
    /// expiry `at`, only while the lock is still held and only over an
    /// older record, then release the lock;
    /// `jwtmint_session_store_result` with `SAVED`, `KEPT_NEWER`,
    /// `LOCK_LOST` or `FAILED`.
    JWTMINT_ACTION_STORE_SAVE = 9,
    /// As `STORE_SAVE` without a lock (none is held): only over an older
    /// record.
    JWTMINT_ACTION_STORE_SAVE_UNLOCKED = 10,
    /// Release the lock without saving, then `jwtmint_session_store_result`
    /// with `DONE`.
    JWTMINT_ACTION_STORE_UNLOCK = 11,
    /// Delete the shared record only if it holds the token whose SHA-256 is
    /// the 32 bytes at `body` (`jwtmint_record_holds`; after
    /// `jwtmint_session_invalidate_token`, or when a save kept a newer
    /// record holding a token this session invalidated), then
    /// `jwtmint_session_store_result` with `REMOVED` or `NOT_REMOVED`.
    JWTMINT_ACTION_STORE_REMOVE_IF_HOLDS = 12,
}

/// What the caller did with a store action
/// (`jwtmint_session_store_result`).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum jwtmint_store_result {
    /// `STORE_LOCK`: taken; `STORE_RENEW_LOCK`: still held.
    JWTMINT_STORE_LOCKED = 1,
    /// `STORE_LOCK`: another process holds it.
    JWTMINT_STORE_BUSY = 2,
    /// `STORE_LOCK`: not taken, and waiting longer is not worth it.
    JWTMINT_STORE_GAVE_UP = 3,
    /// `STORE_SAVE*`: written (the lock released).
    JWTMINT_STORE_SAVED = 4,
    /// `STORE_SAVE*`: the store holds a newer record; kept.
    JWTMINT_STORE_KEPT_NEWER = 5,
    /// `STORE_SAVE` / `STORE_RENEW_LOCK`: the lock is no longer ours.
    JWTMINT_STORE_LOCK_LOST = 6,
    /// `STORE_REMOVE_IF_HOLDS`: deleted.
    JWTMINT_STORE_REMOVED = 7,
    /// `STORE_REMOVE_IF_HOLDS`: it held another token; kept.
    JWTMINT_STORE_NOT_REMOVED = 8,
    /// `STORE_UNLOCK`: done.
    JWTMINT_STORE_DONE = 9,
    /// Any store action: the store failed (the session goes on without it).
    JWTMINT_STORE_FAILED = 10,
}

/// What a store answer did (`*out` of `jwtmint_session_store_loaded` /
/// `jwtmint_session_store_result`).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum jwtmint_store_outcome {
    /// The record gave a token that is not due: no request is made.
    JWTMINT_STORE_ADOPTED = 1,
    /// The protocol goes on: poll for the next step.
    JWTMINT_STORE_CONTINUE = 2,
    /// The record was read but not adopted (another grant, corrupt,
    /// revoked, expired, a token that could split a header); the protocol
    /// goes on as after a miss.
    JWTMINT_STORE_NOT_ADOPTED = 3,
    /// The ticket was not the store action out: ignored.
    JWTMINT_STORE_STALE = 4,
}

/// The answer of `jwtmint_session_poll`. Every pointer points into the
/// session and stays valid until the next call on that session (or its
/// free). Fields that do not apply to `kind` are zero / NULL.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct jwtmint_session_action {
    /// What to do.
    pub kind: jwtmint_action_kind,
    /// USE: the token's expiry; WAIT: when to poll again; FAILED: when it
    /// was rejected. Seconds since 1970.
    pub at: i64,
    /// FETCH: pass to `jwtmint_session_complete` / `jwtmint_session_fail`.
    pub ticket: u64,
    /// FETCH: `POST`.
    pub method: jwtmint_str,
    /// FETCH: the token endpoint.
    pub url: jwtmint_str,
    /// FETCH: every header to send (`Content-Type`, `Authorization` when
    /// the JWT goes in a bearer header, then the profile's).
    pub headers: *const jwtmint_header_pair,
    /// FETCH: number of `headers`.
    pub headers_len: usize,
    /// FETCH: the exact body (may be empty).
    pub body: *const u8,
    /// FETCH: body length.
    pub body_len: usize,
    /// USE: the access token (or self-signed JWT). A bearer secret.
    pub token: jwtmint_str,
    /// USE: `token_type` (`Bearer` when the response named none).
    pub token_type: jwtmint_str,
    /// USE: Salesforce `instance_url` (NULL when absent).
    pub instance_url: jwtmint_str,
    /// USE: Salesforce `id` (NULL when absent).
    pub id: jwtmint_str,
    /// USE: granted `scope` (NULL when absent).
    pub scope: jwtmint_str,
    /// FAILED: the OAuth `error` code.
    pub error_code: jwtmint_str,
    /// FAILED: `error_description`, with control characters removed and
    /// secret-looking words replaced by `<redacted>`.
    pub error_description: jwtmint_str,
    /// FAILED: the HTTP status.
    pub http_status: u16,
    /// USE: when the token is due for refresh (before `at`: refresh-ahead
    /// with this session's spread, clamped to half the token's lifetime).
    /// Seconds since 1970. New, at the end of the struct (rebuild C
    /// callers against this header).
    pub refresh_at: i64,
}

/// What `jwtmint_session_complete` / `jwtmint_session_fail` did.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum jwtmint_outcome_kind {
    /// A token was stored, valid until `at`.
    JWTMINT_OUTCOME_STORED = 1,
    /// The attempt failed; the next fetch is allowed at `at`.
    JWTMINT_OUTCOME_RETRY = 2,
    /// The grant was rejected (see the next `FAILED` action).
    JWTMINT_OUTCOME_REJECTED = 3,
    /// The ticket was not the fetch in flight (answered, or abandoned
    /// after `fetch_timeout`): ignored.
    JWTMINT_OUTCOME_STALE = 4,
}

/// The outcome of a completion.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct jwtmint_session_outcome {
    /// What happened.
    pub kind: jwtmint_outcome_kind,
    /// STORED: expiry; RETRY: next attempt time; otherwise 0.
    pub at: i64,
}

/// A transport failure (`kind` argument of `jwtmint_session_fail`).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum jwtmint_transport_error {
    /// DNS or TCP connect failed.
    JWTMINT_TRANSPORT_CONNECT = 1,
    /// The request or response timed out.
    JWTMINT_TRANSPORT_TIMEOUT = 2,
    /// The response was larger than the caller accepts.
    JWTMINT_TRANSPORT_TOO_LARGE = 3,
    /// The endpoint redirected (never follow: the assertion stays where it was addressed).
    JWTMINT_TRANSPORT_REDIRECT_REFUSED = 4,
    /// TLS failure.
    JWTMINT_TRANSPORT_TLS = 5,
    /// Malformed HTTP.
    JWTMINT_TRANSPORT_PROTOCOL = 6,
    /// Anything else.
    JWTMINT_TRANSPORT_OTHER = 7,
}

fn transport_from(v: u32) -> Result<TransportError, jwtmint_result> {
    Ok(match v {
        1 => TransportError::Connect,
        2 => TransportError::Timeout,
        3 => TransportError::TooLarge,
        4 => TransportError::RedirectRefused,
        5 => TransportError::Tls,
        6 => TransportError::Protocol,
        7 => TransportError::Other,
        _ => return Err(jwtmint_result::JWTMINT_RESULT_INVALID_ARGUMENT),
    })
}

const ABSENT: jwtmint_str = jwtmint_str {
    ptr: core::ptr::null(),
    len: 0,
};

fn text(v: &str) -> jwtmint_str {
    jwtmint_str {
        ptr: v.as_ptr(),
        len: v.len(),
    }
}

fn opt(v: Option<&str>) -> jwtmint_str {
    v.map_or(ABSENT, text)
}

impl jwtmint_session_action {
    const fn empty(kind: jwtmint_action_kind) -> Self {
        Self {
            kind,
            at: 0,
            ticket: 0,
            method: ABSENT,
            url: ABSENT,
            headers: core::ptr::null(),
            headers_len: 0,
            body: core::ptr::null(),
            body_len: 0,
            token: ABSENT,
            token_type: ABSENT,
            instance_url: ABSENT,
            id: ABSENT,
            scope: ABSENT,
            error_code: ABSENT,
            error_description: ABSENT,
            http_status: 0,
            refresh_at: 0,
        }
    }
}

fn outcome(o: Outcome) -> jwtmint_session_outcome {
    use jwtmint_outcome_kind as K;
    let (kind, at) = match o {
        Outcome::Stored { expires_at } => (K::JWTMINT_OUTCOME_STORED, expires_at),
        Outcome::Retry { at } => (K::JWTMINT_OUTCOME_RETRY, at),
        Outcome::Rejected => (K::JWTMINT_OUTCOME_REJECTED, 0),
        Outcome::Stale => (K::JWTMINT_OUTCOME_STALE, 0),
    };
    jwtmint_session_outcome { kind, at }
}

/// A mutable session from the caller's pointer.
///
/// # Safety
/// `p` NULL or a live session not used by another thread meanwhile.
unsafe fn session<'a>(p: *mut jwtmint_session) -> Result<&'a mut jwtmint_session, jwtmint_result> {
    // SAFETY: forwarded caller contract.
    unsafe { p.as_mut() }.ok_or(jwtmint_result::JWTMINT_RESULT_NULL_ARGUMENT)
}

/// [`guard`] for a call on one session: `s` is checked (`NULL_ARGUMENT`),
/// then `f` runs on it.
///
/// # Safety
/// As [`session`].
unsafe fn on_session<F>(s: *mut jwtmint_session, f: F) -> jwtmint_result
where
    F: FnOnce(&mut jwtmint_session) -> Result<(), jwtmint_result>,
{
    // SAFETY: forwarded caller contract.
    guard(|| f(unsafe { session(s) }?))
}

/// [`on_session`] for a call at `now`, which is checked first
/// ([`session_now`]): an error code, and the session is left unchanged.
///
/// # Safety
/// As [`session`].
unsafe fn at_session<F>(s: *mut jwtmint_session, now: i64, f: F) -> jwtmint_result
where
    F: FnOnce(&mut jwtmint_session, i64) -> Result<(), jwtmint_result>,
{
    guard(|| {
        let now = session_now(now)?;
        // SAFETY: forwarded caller contract.
        f(unsafe { session(s) }?, now)
    })
}

/// Creates a session for `profile`'s grant signed with `key` (NULL for a
/// Google profile, which signs with its service account's key, and for a
/// `jwtmint_custom_profile_new` profile, which signs nothing). `options`
/// may be NULL (all defaults). On success `*out` receives the session, to
/// be freed with `jwtmint_session_free`. `profile` and `key` must stay
/// alive (not freed) until then. Thread-safe (touches no shared state).
///
/// Errors: `NULL_ARGUMENT`, `INVALID_ARGUMENT` (a key given for a Google
/// profile), `KEY_NOT_USED` (a key given for a profile that signs nothing),
/// `KEY_ALGORITHM_MISMATCH` (the key cannot sign for the profile's
/// algorithm, e.g. an EC key for the RS256 Salesforce profile).
///
/// # Safety
/// `profile` NULL or live, `key` NULL or live, both outliving the session;
/// `options` NULL or valid; `out` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_session_new(
    profile: *const jwtmint_profile,
    key: *const jwtmint_key,
    options: *const jwtmint_session_options,
    out: *mut *mut jwtmint_session,
) -> jwtmint_result {
    // SAFETY: the caller promises `profile` and `key` are NULL or live and
    // outlive the session (documented: the 'static borrows are never used
    // after `jwtmint_session_free`), `options` NULL or valid, `out` NULL or
    // valid for a write.
    unsafe {
        guard_new(out, || {
            let p: &'static jwtmint_profile = reference(profile)?;
            let key = session_key(p, key.as_ref())?;
            let options = options.as_ref().copied().unwrap_or_default();
            Ok(jwtmint_session {
                core: Session::try_new(p.profile(), key, options.config())?,
                headers: Vec::new(),
                stats: jwtmint_session_counters::default(),
                record: zeroize::Zeroizing::new(Vec::new()),
                digest: [0; 32],
                lock_ticket: 0,
            })
        })
    }
}

/// Frees a session (NULL is a no-op), zeroizing its tokens. Not
/// thread-safe with other calls on the same session.
///
/// # Safety
/// `s` NULL or a session from `jwtmint_session_new`, not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_session_free(s: *mut jwtmint_session) {
    // SAFETY: the caller gives back a pointer from `jwtmint_session_new`, once.
    unsafe { free_handle(s) }
}

/// What to do at `now` (seconds since 1970, e.g. `jwtmint_now`): writes
/// `*action` (see `jwtmint_action_kind`). Exactly one caller gets `FETCH`
/// for one refresh; while it is in flight others get `USE` (the still-valid
/// token) or `WAIT`. A self-signed profile mints here and answers `USE`.
/// Not thread-safe: serialize calls on one session.
///
/// Errors: `NULL_ARGUMENT`; `NEGATIVE_TIMESTAMP` / `TIMESTAMP_IN_MILLISECONDS`
/// for a `now` below 0 or above 10^11 (milliseconds?): the session is left
/// unchanged, as for every call taking `now`.
///
/// # Safety
/// `s` NULL or live (and not used concurrently); `action` NULL or valid for
/// a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_session_poll(
    s: *mut jwtmint_session,
    now: i64,
    action: *mut jwtmint_session_action,
) -> jwtmint_result {
    use jwtmint_action_kind as K;
    guard(|| {
        need(action)?;
        let now = session_now(now)?;
        // SAFETY: forwarded caller contract.
        let jwtmint_session {
            core,
            headers,
            stats,
            record,
            digest,
            lock_ticket,
        } = unsafe { session(s) }?;
        headers.clear();
        wipe(record);
        let mut save = None;
        let a = match core.poll(now) {
            Action::Use(c) => jwtmint_session_action {
                at: c.expires_at,
                refresh_at: c.refresh_at,
                token: text(c.token),
                token_type: text(c.token_type),
                instance_url: opt(c.instance_url),
                id: opt(c.id),
                scope: opt(c.scope),
                ..jwtmint_session_action::empty(K::JWTMINT_ACTION_USE)
            },
            Action::Fetch(f) => {
                stats.fetches += 1;
                headers.extend(f.all_headers().map(|(n, v)| jwtmint_header_pair {
                    name: text(n),
                    value: text(v),
                }));
                jwtmint_session_action {
                    ticket: f.ticket.get(),
                    method: text(f.method.as_str()),
                    url: text(f.url),
                    headers: headers.as_ptr(),
                    headers_len: headers.len(),
                    body: f.body.as_ptr(),
                    body_len: f.body.len(),
                    ..jwtmint_session_action::empty(K::JWTMINT_ACTION_FETCH)
                }
            }
            Action::Wait(at) => jwtmint_session_action {
                at,
                ..jwtmint_session_action::empty(K::JWTMINT_ACTION_WAIT)
            },
            Action::Failed(f) => jwtmint_session_action {
                at: f.at(),
                error_code: text(f.code()),
                error_description: text(f.description()),
                http_status: f.status(),
                ..jwtmint_session_action::empty(K::JWTMINT_ACTION_FAILED)
            },
            Action::Store(StoreAction::Save {
                ticket,
                expires_at,
                locked,
            }) => {
                save = Some(ticket);
                jwtmint_session_action {
                    ticket: ticket.get(),
                    at: expires_at,
                    ..jwtmint_session_action::empty(if locked {
                        K::JWTMINT_ACTION_STORE_SAVE
                    } else {
                        K::JWTMINT_ACTION_STORE_SAVE_UNLOCKED
                    })
                }
            }
            Action::Store(st) => store_action(st, digest),
        };
        let a = match save {
            None => a,
            Some(ticket) => match encode(core, record) {
                Some(()) => jwtmint_session_action {
                    body: record.as_ptr(),
                    body_len: record.len(),
                    ..a
                },
                None => {
                    // Nothing to save after all: the lock (if held) is
                    // released at the next poll.
                    let _ = core.store_answer(now, ticket, StoreAnswer::Failed);
                    jwtmint_session_action {
                        at: now,
                        ..jwtmint_session_action::empty(K::JWTMINT_ACTION_WAIT)
                    }
                }
            },
        };
        if a.kind == K::JWTMINT_ACTION_STORE_LOCK {
            *lock_ticket = a.ticket;
        }
        // SAFETY: `action` checked non-NULL; the caller promises it is writable.
        unsafe { write_out(action, a) };
        Ok(())
    })
}

/// Feeds the HTTP answer (`status`, `len` bytes of `body`; NULL allowed
/// when `len == 0`) to the fetch `ticket`, received at `now`. `*out`
/// (may be NULL) gets the outcome; a stale ticket changes nothing. An
/// answer to the latest fetch is taken even after `fetch_timeout` while no
/// newer fetch was issued. A token with a character a token may not hold
/// (control characters, spaces, non-ASCII), an already-expired or too
/// large answer leaves the previous token untouched (`RETRY`). Not
/// thread-safe: serialize calls on one session.
///
/// Errors: `NULL_ARGUMENT`; `NEGATIVE_TIMESTAMP` / `TIMESTAMP_IN_MILLISECONDS`.
///
/// # Safety
/// `s` NULL or live; `body` NULL or valid for `len` bytes; `out` NULL or
/// valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_session_complete(
    s: *mut jwtmint_session,
    now: i64,
    ticket: u64,
    status: u16,
    body: *const u8,
    len: usize,
    out: *mut jwtmint_session_outcome,
) -> jwtmint_result {
    // SAFETY: forwarded caller contract.
    unsafe { jwtmint_session_complete_retry_after(s, now, ticket, status, body, len, -1, out) }
}

/// As `jwtmint_session_complete`, with the answer's `Retry-After` in
/// seconds from `now` (`retry_after` < 0: none; parse the header with
/// `jwtmint_parse_retry_after`): a failed answer (429, 503, ...) then waits
/// at least that long before the next fetch, clamped to `backoff_max`.
///
/// Errors: as `jwtmint_session_complete`.
///
/// # Safety
/// As `jwtmint_session_complete`.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn jwtmint_session_complete_retry_after(
    s: *mut jwtmint_session,
    now: i64,
    ticket: u64,
    status: u16,
    body: *const u8,
    len: usize,
    retry_after: i64,
    out: *mut jwtmint_session_outcome,
) -> jwtmint_result {
    // SAFETY: the caller promises `s` is NULL or live, `body` NULL or valid
    // for `len` bytes, `out` NULL or writable.
    unsafe {
        at_session(s, now, |sess, now| {
            let body: &[u8] = if len == 0 { &[] } else { bytes(body, len)? };
            let o = sess.core.complete_with_retry_after(
                now,
                Ticket::from_u64(ticket),
                status,
                body,
                (retry_after >= 0).then_some(retry_after),
            );
            sess.stats.count(o, status);
            sess.headers.clear();
            write_opt(out, outcome(o));
            Ok(())
        })
    }
}

/// The fetch `ticket` got no HTTP answer: `kind` is a
/// `jwtmint_transport_error` value. `*out` (may be NULL) gets the outcome.
/// Not thread-safe: serialize calls on one session.
///
/// Errors: `NULL_ARGUMENT`, `INVALID_ARGUMENT` (unknown `kind`);
/// `NEGATIVE_TIMESTAMP` / `TIMESTAMP_IN_MILLISECONDS`.
///
/// # Safety
/// `s` NULL or live; `out` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_session_fail(
    s: *mut jwtmint_session,
    now: i64,
    ticket: u64,
    kind: u32,
    out: *mut jwtmint_session_outcome,
) -> jwtmint_result {
    // SAFETY: the caller promises `s` is NULL or live, `out` NULL or writable.
    unsafe {
        at_session(s, now, |sess, now| {
            let kind = transport_from(kind)?;
            let o = sess.core.fail(now, Ticket::from_u64(ticket), kind);
            sess.stats.count(o, 0);
            if matches!(o, Outcome::Retry { .. }) {
                sess.stats.transport_failures += 1;
            }
            sess.headers.clear();
            write_opt(out, outcome(o));
            Ok(())
        })
    }
}

/// Clears a rejected grant and the backoff: the next poll may fetch at
/// once. Not thread-safe: serialize calls on one session.
///
/// # Safety
/// `s` NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_session_reset(s: *mut jwtmint_session) -> jwtmint_result {
    // SAFETY: forwarded caller contract.
    unsafe {
        on_session(s, |sess| {
            sess.core.reset();
            Ok(())
        })
    }
}

/// Forgets the current access token whatever it is (prefer
/// `jwtmint_session_invalidate_token`, which ignores a 401 for a token
/// already replaced): the next poll fetches, and a record holding that
/// token is never restored again. Not thread-safe: serialize calls on one
/// session.
///
/// # Safety
/// `s` NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_session_invalidate(s: *mut jwtmint_session) -> jwtmint_result {
    // SAFETY: forwarded caller contract.
    unsafe {
        on_session(s, |sess| {
            if sess.core.invalidate_current() {
                sess.stats.invalidated += 1;
            }
            Ok(())
        })
    }
}

/// The API answered 401 with `token` (`len` bytes, as `USE` gave it): drops
/// it when it is still the current token (`*dropped` = 1; a 401 for a
/// token already replaced is a no-op, `*dropped` = 0, so a wave of 401s
/// causes one fetch). Either way a record holding that token is never
/// restored again (`jwtmint_session_restore` answers `TOKEN_REVOKED`), and
/// a session sharing a store (`jwtmint_session_share_store`) asks next
/// (`STORE_REMOVE_IF_HOLDS`) to delete the shared record if it still holds
/// that token.
/// `dropped` may be NULL. Not thread-safe: serialize calls on one session.
///
/// Errors: `NULL_ARGUMENT`, `INVALID_UTF8`.
///
/// # Safety
/// `s` NULL or live; `token` NULL or valid for `len` bytes; `dropped`
/// NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_session_invalidate_token(
    s: *mut jwtmint_session,
    token: *const u8,
    len: usize,
    dropped: *mut bool,
) -> jwtmint_result {
    // SAFETY: the caller promises `s` is NULL or live, `token` NULL or
    // valid for `len` bytes, `dropped` NULL or writable.
    unsafe {
        on_session(s, |sess| {
            let t = utf8(token, len)?;
            let d = sess.core.invalidate(t);
            // Sharing a store: the next store step deletes the record if it
            // still holds that token (peers stop adopting it).
            sess.core.forget_in_store(t);
            sess.stats.invalidated += u64::from(d);
            write_opt(dropped, d);
            Ok(())
        })
    }
}

/// Parses a `Retry-After` header value (`len` bytes: delay-seconds or an
/// HTTP-date) received at `now` into `*seconds` to wait (a date in the
/// past gives 0), for `jwtmint_session_complete_retry_after`.
///
/// Errors: `NULL_ARGUMENT`, `INVALID_ARGUMENT` (not a Retry-After value),
/// `NEGATIVE_TIMESTAMP` / `TIMESTAMP_IN_MILLISECONDS`.
///
/// # Safety
/// `value` NULL or valid for `len` bytes; `seconds` NULL or valid for a
/// write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_parse_retry_after(
    value: *const u8,
    len: usize,
    now: i64,
    seconds: *mut i64,
) -> jwtmint_result {
    guard(|| {
        need(seconds)?;
        let now = session_now(now)?;
        // SAFETY: the caller promises `value` is NULL or valid for `len` bytes.
        let v = unsafe { bytes(value, len) }?;
        let secs = crate::session::parse_retry_after(v, now)
            .ok_or(jwtmint_result::JWTMINT_RESULT_INVALID_ARGUMENT)?;
        // SAFETY: `seconds` checked non-NULL.
        unsafe { write_out(seconds, secs) };
        Ok(())
    })
}

/// Writes what the session did since it was created into `*out`
/// (`jwtmint_session_counters`: fetches, outcomes by kind, restores and
/// store hits, lock waits, invalidations, the last failed HTTP status).
/// Not thread-safe: serialize calls on one session.
///
/// Errors: `NULL_ARGUMENT`.
///
/// # Safety
/// `s` NULL or live; `out` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_session_stats(
    s: *mut jwtmint_session,
    out: *mut jwtmint_session_counters,
) -> jwtmint_result {
    // SAFETY: the caller promises `s` is NULL or live, `out` NULL or writable.
    unsafe {
        on_session(s, |sess| {
            need(out)?;
            write_out(out, sess.stats);
            Ok(())
        })
    }
}

/// A session call's `now`: seconds since 1970, not negative, not
/// milliseconds (above 10^11). An error code, never a session state.
fn session_now(now: i64) -> Result<i64, jwtmint_result> {
    crate::time::check_numeric_date("now", now).map_err(jwtmint_result::from)
}

/// Writes the current token as a JSON record (to share it with other
/// processes through a store the caller keeps private: it holds bearer
/// secrets) into `out`. Length negotiation as in `jwtmint_mint`. Not
/// thread-safe: serialize calls on one session.
///
/// Errors: `NULL_ARGUMENT`, `MISSING_CLAIM` (no token yet),
/// `BUFFER_TOO_SMALL`.
///
/// # Safety
/// `s` NULL or live; `out` NULL (with `cap == 0`) or valid for `cap` bytes;
/// `out_len` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_session_encode_record(
    s: *mut jwtmint_session,
    out: *mut u8,
    cap: usize,
    out_len: *mut usize,
) -> jwtmint_result {
    // SAFETY: forwarded caller contract.
    unsafe {
        guard_len(out, cap, out_len, |w| {
            Ok(session(s)?.core.encode_record(w.buf()?))
        })
    }
}

/// Adopts a record written by `jwtmint_session_encode_record` (another
/// process, same profile and key) at `now`; `*expires_at` (may be NULL)
/// gets the expiry in force. Not thread-safe: serialize calls on one
/// session.
///
/// Errors: `NULL_ARGUMENT`, `CLAIM_MISMATCH` (another grant's record),
/// `EXPIRED`, the JSON errors (`INVALID_JSON`, `INVALID_MEMBER_TYPE`,
/// `DUPLICATE_MEMBER`, `MISSING_CLAIM`, ...), `TOKEN_TOO_LONG`,
/// `INVALID_TOKEN_SYNTAX` (a token that could split a header: a store is
/// untrusted), `TOKEN_REVOKED` (a token this session invalidated),
/// `NEGATIVE_TIMESTAMP` / `TIMESTAMP_IN_MILLISECONDS`. The session is
/// unchanged on error.
///
/// # Safety
/// `s` NULL or live; `record` NULL or valid for `len` bytes; `expires_at`
/// NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_session_restore(
    s: *mut jwtmint_session,
    now: i64,
    record: *const u8,
    len: usize,
    expires_at: *mut i64,
) -> jwtmint_result {
    // SAFETY: the caller promises `s` is NULL or live, `record` NULL or
    // valid for `len` bytes, `expires_at` NULL or writable.
    unsafe {
        at_session(s, now, |sess, now| {
            let exp = sess.core.restore(now, bytes(record, len)?)?;
            sess.stats.restored += 1;
            write_opt(expires_at, exp);
            Ok(())
        })
    }
}

/// A store action (other than a save) as the C action.
fn store_action(a: StoreAction<'_>, digest: &mut [u8; 32]) -> jwtmint_session_action {
    use jwtmint_action_kind as K;
    let (kind, at) = match a {
        StoreAction::Lock { .. } => (K::JWTMINT_ACTION_STORE_LOCK, 0),
        StoreAction::AwaitSave { until, .. } => (K::JWTMINT_ACTION_STORE_AWAIT_SAVE, until),
        StoreAction::RenewLock { .. } => (K::JWTMINT_ACTION_STORE_RENEW_LOCK, 0),
        StoreAction::Save { expires_at, .. } => (K::JWTMINT_ACTION_STORE_SAVE_UNLOCKED, expires_at),
        StoreAction::Unlock { .. } => (K::JWTMINT_ACTION_STORE_UNLOCK, 0),
        StoreAction::RemoveIfHolds { digest: d, .. } => {
            *digest = *d;
            (K::JWTMINT_ACTION_STORE_REMOVE_IF_HOLDS, 0)
        }
        _ => (K::JWTMINT_ACTION_STORE_LOAD, 0),
    };
    let mut out = jwtmint_session_action {
        ticket: a.ticket().get(),
        at,
        ..jwtmint_session_action::empty(kind)
    };
    if kind == K::JWTMINT_ACTION_STORE_REMOVE_IF_HOLDS {
        out.body = digest.as_ptr();
        out.body_len = digest.len();
    }
    out
}

/// Encodes the session's record into `record` (sized to it).
fn encode(core: &Core, record: &mut zeroize::Zeroizing<Vec<u8>>) -> Option<()> {
    record.resize(4 * CAPACITY, 0);
    let n = core.encode_record(record).ok()?;
    record.truncate(n);
    Some(())
}

/// Zeroes and empties a record buffer.
fn wipe(record: &mut zeroize::Zeroizing<Vec<u8>>) {
    zeroize::Zeroize::zeroize(&mut **record);
}

/// Shares the session's token through a store the caller keeps (a file, a
/// shared-memory segment, Redis, ...): from now on a due fetch first hands
/// out `STORE_LOAD`, then `STORE_LOCK` and `STORE_LOAD` again, and only
/// then builds (and signs) the `FETCH`; a stored answer is followed by
/// `STORE_SAVE` (fenced by the lock) or `STORE_UNLOCK`. Answer each with
/// `jwtmint_session_store_loaded` / `jwtmint_session_store_result` and its
/// `ticket`. A session that never calls this never sees a store action.
///
/// `lock_wait`: seconds to wait for another process's lock before fetching
/// without it (0: 30). `lock_ttl`: the lock's TTL in seconds; while a fetch
/// holding it runs, `STORE_RENEW_LOCK` comes every third of it (0: never;
/// a lock that cannot expire while its holder lives, like `flock`, needs
/// none). `keep_refresh`: a record with a refresh token is kept this long
/// past the token's expiry (0: not past it). Not thread-safe: serialize
/// calls on one session.
///
/// Errors: `NULL_ARGUMENT`, `INVALID_ARGUMENT` (a negative value).
///
/// # Safety
/// `s` NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_session_share_store(
    s: *mut jwtmint_session,
    lock_wait: i64,
    lock_ttl: i64,
    keep_refresh: i64,
) -> jwtmint_result {
    // SAFETY: forwarded caller contract.
    unsafe {
        on_session(s, |sess| {
            if lock_wait < 0 || lock_ttl < 0 || keep_refresh < 0 {
                return Err(jwtmint_result::JWTMINT_RESULT_INVALID_ARGUMENT);
            }
            let wait = if lock_wait == 0 { 30 } else { lock_wait };
            sess.core.share(
                StorePolicy::new()
                    .lock_wait(wait)
                    .lock_ttl(lock_ttl)
                    .keep_refresh(keep_refresh),
            );
            Ok(())
        })
    }
}

/// Answers `STORE_LOAD` / `STORE_AWAIT_SAVE` `ticket` at `now` with the
/// record read (`record` NULL with `len` 0: there is none). `*out` (may be
/// NULL) says whether it was adopted. Not thread-safe: serialize calls on
/// one session.
///
/// Errors: `NULL_ARGUMENT` (`record` NULL with `len` > 0),
/// `NEGATIVE_TIMESTAMP` / `TIMESTAMP_IN_MILLISECONDS`.
///
/// # Safety
/// `s` NULL or live; `record` NULL or valid for `len` bytes; `out` NULL or
/// valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_session_store_loaded(
    s: *mut jwtmint_session,
    now: i64,
    ticket: u64,
    record: *const u8,
    len: usize,
    out: *mut jwtmint_store_outcome,
) -> jwtmint_result {
    // SAFETY: the caller promises `s` is NULL or live, `record` NULL or
    // valid for `len` bytes, `out` NULL or writable.
    unsafe {
        at_session(s, now, |sess, now| {
            let rec = if record.is_null() && len == 0 {
                None
            } else {
                Some(bytes(record, len)?)
            };
            store_outcome(sess, now, ticket, StoreAnswer::Record(rec), out);
            Ok(())
        })
    }
}

/// Answers any other store action `ticket` at `now` with `result` (a
/// `jwtmint_store_result` value). `*out` (may be NULL) gets what it did.
/// Not thread-safe: serialize calls on one session.
///
/// Errors: `NULL_ARGUMENT`, `INVALID_ARGUMENT` (unknown `result`),
/// `NEGATIVE_TIMESTAMP` / `TIMESTAMP_IN_MILLISECONDS`.
///
/// # Safety
/// `s` NULL or live; `out` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_session_store_result(
    s: *mut jwtmint_session,
    now: i64,
    ticket: u64,
    result: u32,
    out: *mut jwtmint_store_outcome,
) -> jwtmint_result {
    guard(|| {
        let now = session_now(now)?;
        let answer = store_answer_from(result)?;
        // SAFETY: forwarded caller contract.
        let sess = unsafe { session(s) }?;
        // SAFETY: forwarded caller contract on `out`.
        unsafe { store_outcome(sess, now, ticket, answer, out) };
        Ok(())
    })
}

fn store_answer_from(v: u32) -> Result<StoreAnswer<'static>, jwtmint_result> {
    use jwtmint_store_result as R;
    const ALL: [(jwtmint_store_result, StoreAnswer<'static>); 10] = [
        (R::JWTMINT_STORE_LOCKED, StoreAnswer::Locked),
        (R::JWTMINT_STORE_BUSY, StoreAnswer::Busy),
        (R::JWTMINT_STORE_GAVE_UP, StoreAnswer::GaveUp),
        (R::JWTMINT_STORE_SAVED, StoreAnswer::Saved),
        (R::JWTMINT_STORE_KEPT_NEWER, StoreAnswer::KeptNewer),
        (R::JWTMINT_STORE_LOCK_LOST, StoreAnswer::LockLost),
        (R::JWTMINT_STORE_REMOVED, StoreAnswer::Removed(true)),
        (R::JWTMINT_STORE_NOT_REMOVED, StoreAnswer::Removed(false)),
        (R::JWTMINT_STORE_DONE, StoreAnswer::Done),
        (R::JWTMINT_STORE_FAILED, StoreAnswer::Failed),
    ];
    ALL.iter()
        .find(|(r, _)| *r as u32 == v)
        .map(|(_, a)| *a)
        .ok_or(jwtmint_result::JWTMINT_RESULT_INVALID_ARGUMENT)
}

/// Feeds a store answer to the session, counts it and writes what it did
/// into `*out` (when not NULL).
///
/// # Safety
/// `out` NULL or valid for a write.
unsafe fn store_outcome(
    sess: &mut jwtmint_session,
    now: i64,
    ticket: u64,
    answer: StoreAnswer<'_>,
    out: *mut jwtmint_store_outcome,
) {
    use jwtmint_store_outcome as O;
    wipe(&mut sess.record);
    let busy = matches!(answer, StoreAnswer::Busy) && ticket == sess.lock_ticket;
    let o = match sess
        .core
        .store_answer(now, Ticket::from_u64(ticket), answer)
    {
        Ok(StoreOutcome::Adopted) => {
            sess.stats.restored += 1;
            sess.stats.store_hits += 1;
            O::JWTMINT_STORE_ADOPTED
        }
        Ok(StoreOutcome::Stale) => O::JWTMINT_STORE_STALE,
        Ok(_) => O::JWTMINT_STORE_CONTINUE,
        Err(_) => O::JWTMINT_STORE_NOT_ADOPTED,
    };
    if o != O::JWTMINT_STORE_STALE && ticket == sess.lock_ticket {
        sess.lock_ticket = 0;
        sess.stats.lock_waits += u64::from(busy);
    }
    // SAFETY: the caller promises `out` is NULL or writable.
    unsafe { write_opt(out, o) };
}

/// Whether the session record `record` (`len` bytes) holds the access token
/// whose SHA-256 is the 32 bytes at `digest` (for `STORE_REMOVE_IF_HOLDS`;
/// a record that does not parse holds nothing): `*holds`.
///
/// Errors: `NULL_ARGUMENT`.
///
/// # Safety
/// `record` NULL or valid for `len` bytes; `digest` NULL or valid for 32
/// bytes; `holds` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_record_holds(
    record: *const u8,
    len: usize,
    digest: *const u8,
    holds: *mut bool,
) -> jwtmint_result {
    guard(|| {
        need(holds)?;
        // SAFETY: the caller promises `record` is NULL or valid for `len` bytes.
        let rec = unsafe { bytes(record, len) }?;
        // SAFETY: the caller promises `digest` is NULL or valid for 32 bytes.
        let d = unsafe { bytes(digest, 32) }?;
        let d: &[u8; 32] = d
            .try_into()
            .map_err(|_| jwtmint_result::JWTMINT_RESULT_INVALID_ARGUMENT)?;
        let h = crate::session::record_holds(rec, d);
        // SAFETY: `holds` checked non-NULL.
        unsafe { write_out(holds, h) };
        Ok(())
    })
}
