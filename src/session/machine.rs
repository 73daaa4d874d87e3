//! [`Session`]: the sans-IO state machine. The caller owns the clock and the
//! HTTP client; the session says what to do next ([`Session::poll`]) and is
//! told what happened ([`Session::complete`], [`Session::fail`]).

use core::ops::Deref;

use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::profiles::{Method, Pairs, Profile};
use crate::signer::JwsKey;
use crate::token_response::TokenResponse;

use super::backoff;
use super::config::Config;
use super::credential::{Credential, Parts, Stored};
use super::failure::{self, Failure, FailureKind, TransportError};
use super::grant::{self, Grant, Inputs, RequestBuf};
use super::identity;
use super::record;
use super::shared::{Phase, Shared, StoreAction, StoreAnswer, StoreOutcome, StorePolicy, Why};
use super::storage::{Inline, Storage};
use super::ticket::{self, Ticket};

/// OAuth error codes that no retry can fix: surfaced, not retried.
const REJECTED: [&str; 5] = [
    "invalid_grant",
    "invalid_client",
    "unauthorized_client",
    "unsupported_grant_type",
    "invalid_scope",
];

/// A token request to send, exactly as given: `method` to `url` with the
/// headers (`Content-Type`, `Authorization` when set, then `headers`) and
/// `body`. Never follow redirects with it. `Debug` redacts the body and
/// the `Authorization` value (they carry the assertion).
#[derive(Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Fetch<'s> {
    /// Pass back to `complete`/`fail`.
    pub ticket: Ticket,
    /// The grant this request makes.
    pub grant: Grant,
    /// The HTTP method.
    pub method: Method,
    /// The token endpoint.
    pub url: &'s str,
    /// `Content-Type` (`None`: no body).
    pub content_type: Option<&'static str>,
    /// `Authorization` header value (`Bearer <jwt>`), for
    /// [`Grant::BearerHeader`].
    pub authorization: Option<&'s str>,
    /// The profile's extra headers (e.g. `Accept`). `Debug` shows their
    /// names only.
    pub headers: Pairs<'s>,
    /// The grant step's own extra headers (from the profile's
    /// [`Grants`](crate::profiles::Grants), e.g. an API key), sent after
    /// `headers`. `Debug` shows their names only.
    pub grant_headers: Pairs<'s>,
    /// The exact body bytes.
    pub body: &'s [u8],
    /// Sent holding the shared store's lock (a session that
    /// [`Session::share`]s its token); a refresh-token grant made without
    /// it is not saved.
    pub locked: bool,
}

impl<'s> Fetch<'s> {
    /// Every header to send, in order: `Content-Type` (when there is a
    /// body), `Authorization` (for [`Grant::BearerHeader`]), the
    /// profile's, then the grant step's (`grant_headers`).
    pub fn all_headers(&self) -> impl Iterator<Item = (&'s str, &'s str)> + 's {
        let fixed = [
            self.content_type.map(|v| ("Content-Type", v)),
            self.authorization.map(|v| ("Authorization", v)),
        ];
        fixed
            .into_iter()
            .flatten()
            .chain(self.headers)
            .chain(self.grant_headers)
    }
}

crate::secret::debug_redacted!(Fetch<'_> {
    ticket,
    grant,
    method,
    url,
    content_type,
    authorization: secret,
    headers,
    grant_headers,
    body: secret,
    locked,
});

/// What the caller should do now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action<'s> {
    /// Send this credential. It is valid at the `now` given to `poll`.
    Use(Credential<'s>),
    /// Send this token request, then call `complete` (any HTTP answer) or
    /// `fail` (no answer) with its ticket.
    Fetch(Fetch<'s>),
    /// Nothing to use yet: another fetch is in flight or the session is
    /// backing off. Poll again at (or, woken by a completion, before) this
    /// time.
    Wait(i64),
    /// The grant was rejected (`invalid_grant`, `invalid_client`, ...) and
    /// there is no valid credential: report this to the caller. The session
    /// tries again at the failure's `retry_at` (`Config::rejected_retry`,
    /// backing off), or at once after [`Session::reset`] or a restored
    /// record.
    Failed(&'s Failure),
    /// A step of the shared-store protocol (only for a session that
    /// [`Session::share`]s its token): do it, then
    /// [`Session::store_answer`]. See [`StoreAction`].
    Store(StoreAction<'s>),
}

/// What a `complete` or `fail` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// A credential was stored, valid until `expires_at`.
    Stored {
        /// Its expiry.
        expires_at: i64,
    },
    /// The attempt failed; the next fetch is allowed at `at`.
    Retry {
        /// The next attempt time.
        at: i64,
    },
    /// The grant was rejected; see [`Session::failure`].
    Rejected,
    /// The ticket was not the fetch in flight: ignored.
    Stale,
}

#[derive(Clone, Copy, Debug)]
struct InFlight {
    ticket: u64,
    started: i64,
    grant: Grant,
    /// The plan step: `None` for the initial grant (or a profile without
    /// a plan), `Some(i)` for `renew[i]`.
    step: Option<usize>,
    /// Sent holding the shared store's lock.
    locked: bool,
}

/// What `poll` decided, before borrowing the answer.
enum Step {
    Use,
    Fetch,
    Wait(i64),
    Failed,
    Store,
}

/// How many invalidated tokens a session remembers (SHA-256 digests).
const REVOKED: usize = 4;

/// A token session: one grant (profile + key), its cached credential, and
/// the fetch schedule. Sans-IO, `no_std`, no allocation: `TOKEN` bytes for
/// the access token (and again for a refresh token), `REQUEST` bytes for
/// the request body (and, on the stack while minting, for the assertion).
///
/// `S` is where those buffers live: [`Inline`] (the default: inside the
/// session, twice `TOKEN` for the stored slot and the scratch slot a new
/// answer is parsed into) or [`Heap`](super::Heap) (feature `alloc`:
/// each value allocated to its length, at most `TOKEN`/`REQUEST` bytes; the
/// scratch slot and the request exist only while a fetch runs; every
/// buffer wiped before it is freed).
///
/// `P` and `K` are anything that dereferences to a [`Profile`] and a
/// [`JwsKey`]: `&Salesforce`, `Arc<dyn Profile + Send + Sync>`, ...
///
/// Not internally synchronized: a multi-threaded caller wraps it in a
/// mutex and holds it only for `poll`/`complete`/`fail` (never across the
/// HTTP request): single flight then holds across threads.
pub struct Session<
    P,
    K,
    const TOKEN: usize = 4096,
    const REQUEST: usize = 4096,
    S: Storage = Inline,
> where
    P: Deref<Target: Profile>,
    K: Deref<Target: JwsKey>,
{
    profile: P,
    key: K,
    config: Config,
    grant: Grant,
    identity: [u8; 32],
    stored: Stored<TOKEN, S>,
    flight: Option<InFlight>,
    next_ticket: u64,
    failures: u32,
    next_attempt: Option<i64>,
    failure: Option<Failure>,
    /// The server refused the previous-token step for the current token.
    previous_refused: bool,
    /// SHA-256 of the last refresh token the server refused: a record
    /// carrying it is not adopted again (no refuse/restore loop).
    refused_refresh: Option<[u8; 32]>,
    request: RequestBuf<REQUEST, S>,
    /// The slot a new credential is written into before it replaces
    /// `stored` (a refused or broken answer leaves `stored` untouched).
    scratch: Stored<TOKEN, S>,
    /// SHA-256 of tokens invalidated by the caller (the API refused them):
    /// never adopted again from a record.
    revoked: [[u8; 32]; REVOKED],
    revoked_next: usize,
    /// Consecutive rejections (the rejected-retry backoff).
    rejections: u32,
    /// The last fetch abandoned after `fetch_timeout`: a late answer to it
    /// is still accepted while no newer fetch was issued.
    abandoned: Option<InFlight>,
    /// The shared-store protocol ([`Session::share`]); `None`: no store.
    shared: Option<Shared>,
}

impl<P, K, const TOKEN: usize, const REQUEST: usize, S: Storage> core::fmt::Debug
    for Session<P, K, TOKEN, REQUEST, S>
where
    P: Deref<Target: Profile>,
    K: Deref<Target: JwsKey>,
{
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Session")
            .field("profile", &self.profile.name())
            .field("grant", &self.grant)
            .field("config", &self.config)
            .field("credential", &self.stored.view())
            .field("has_refresh_token", &self.stored.refresh().is_some())
            .field("in_flight", &self.flight.map(|f| f.ticket))
            .field("failures", &self.failures)
            .field("next_attempt", &self.next_attempt)
            .field("failure", &self.failure)
            .field("store_phase", &self.shared.map(|s| s.phase))
            .finish_non_exhaustive()
    }
}

impl<P, K, const TOKEN: usize, const REQUEST: usize, S: Storage> Session<P, K, TOKEN, REQUEST, S>
where
    P: Deref<Target: Profile>,
    K: Deref<Target: JwsKey>,
{
    /// A session for `profile`'s grant signed with `key`, empty: the first
    /// `poll` fetches (or, for a self-signed profile, mints). A key that
    /// cannot sign for the profile surfaces at the first `poll` as a
    /// `Failed` mint error; [`Session::try_new`] refuses it at once.
    pub fn new(profile: P, key: K, config: Config) -> Self {
        let grant = Grant::of(profile.token_request().as_ref(), profile.grants().as_ref());
        let identity = identity::identity(&*profile, &*key, grant);
        let config = config.normalized();
        let ahead = config.refresh_ahead.saturating_add(backoff::spread(
            config.refresh_ahead,
            config.refresh_spread,
            config.jitter_seed,
        ));
        Self {
            stored: Stored::new(config.session_lifetime, ahead),
            scratch: Stored::new(config.session_lifetime, ahead),
            revoked: [[0; 32]; REVOKED],
            revoked_next: 0,
            rejections: 0,
            abandoned: None,
            shared: None,
            profile,
            key,
            config,
            grant,
            identity,
            flight: None,
            next_ticket: 1,
            failures: 0,
            next_attempt: None,
            failure: None,
            previous_refused: false,
            refused_refresh: None,
            request: RequestBuf::new(),
        }
    }

    /// As [`Session::new`], refusing a key that cannot sign for the
    /// profile's algorithm when the profile's grants mint an assertion.
    ///
    /// # Errors
    /// The key's error for the profile's algorithm, e.g.
    /// `KeyAlgorithmMismatch` (an EC key for an RS256 profile).
    pub fn try_new(profile: P, key: K, config: Config) -> Result<Self> {
        check_key(&*profile, &*key)?;
        Ok(Self::new(profile, key, config))
    }

    /// Shares the token through a store the caller drives: from now on a
    /// due fetch first asks to load the shared record, then to take the
    /// fetch lock and load again, and only then builds (and signs) the
    /// request; a stored answer is saved (fenced by the lock) and the lock
    /// released, all as [`Action::Store`] steps answered with
    /// [`Session::store_answer`]. See [`StoreAction`] for the protocol.
    /// Self-signed profiles never use the store.
    pub fn share(&mut self, policy: StorePolicy) {
        self.shared = Some(Shared::new(policy));
    }

    /// Whether the session shares its token through a store.
    pub const fn shares(&self) -> bool {
        self.shared.is_some()
    }

    /// Whether the session holds the shared store's fetch lock (taken and
    /// not yet saved, released or lost).
    pub fn store_locked(&self) -> bool {
        self.shared.is_some_and(|s| s.locked)
    }

    /// SHA-256 over everything that changes the grant (profile identity,
    /// token request, grant kind, key fingerprint): the key for stores.
    pub const fn identity(&self) -> &[u8; 32] {
        &self.identity
    }

    /// The grant the profile makes ([`Grant::SelfSigned`] when the JWT is
    /// the credential).
    pub const fn grant(&self) -> Grant {
        self.grant
    }

    /// The policy in force (normalized).
    pub const fn config(&self) -> &Config {
        &self.config
    }

    /// The profile.
    pub fn profile(&self) -> &P::Target {
        &self.profile
    }

    /// The last failure, kept until a credential is stored or `reset`.
    pub const fn failure(&self) -> Option<&Failure> {
        self.failure.as_ref()
    }

    /// Whether a refresh token is stored (kept across processes by
    /// `encode_record`/`restore`).
    pub fn has_refresh_token(&self) -> bool {
        self.stored.refresh().is_some()
    }

    /// The grant the next fetch would make at `now` (the first renewal
    /// step that applies, else the initial grant), whatever the backoff.
    /// A caller that restored a record after `poll` built its fetch
    /// compares this with the fetch's grant to know whether to re-poll.
    pub fn next_grant(&self, now: i64) -> Grant {
        if self.grant == Grant::SelfSigned {
            return Grant::SelfSigned;
        }
        self.choose(self.profile.grants().as_ref(), now).0
    }

    /// Whether a fetch is in flight (issued by `poll`, not yet answered or
    /// abandoned).
    pub const fn in_flight(&self) -> bool {
        self.flight.is_some()
    }

    /// The stored credential if it is valid at `now` (even when due for
    /// refresh), without starting anything.
    pub fn credential(&self, now: i64) -> Option<Credential<'_>> {
        if self.stored.valid_at(now) {
            self.stored.view()
        } else {
            None
        }
    }

    /// What to do at `now`: [`Action::Use`] a valid credential that is not
    /// due; [`Action::Fetch`] when one is due and no fetch is in flight or
    /// backing off (self-signed profiles mint here and answer `Use`);
    /// otherwise `Use` the still-valid credential, or [`Action::Wait`], or
    /// [`Action::Failed`] after a rejected grant.
    pub fn poll(&mut self, now: i64) -> Action<'_> {
        match self.step(now) {
            Step::Use => match self.stored.view() {
                Some(c) => Action::Use(c),
                None => Action::Wait(now),
            },
            Step::Fetch => self.fetch_view().map_or(Action::Wait(now), Action::Fetch),
            Step::Wait(at) => Action::Wait(at),
            Step::Failed => self
                .failure
                .as_ref()
                .map_or(Action::Wait(now), Action::Failed),
            Step::Store => self.store_view().map_or(Action::Wait(now), Action::Store),
        }
    }

    fn step(&mut self, now: i64) -> Step {
        self.abandon_stale_flight(now);
        self.abandon_stale_attempt(now);
        let valid = self.stored.valid_at(now);
        if self.issue_store(now) {
            return Step::Store;
        }
        if self.shared.is_some_and(|s| s.phase == Phase::Go) {
            return self.build(now, valid);
        }
        let due = self.stored.due_at(now);
        let keep = |at: i64| if valid { Step::Use } else { Step::Wait(at) };
        if valid && !due {
            return Step::Use;
        }
        if let Some(f) = self.flight {
            return keep(f.started.saturating_add(self.config.fetch_timeout));
        }
        if let Some(s) = self.shared
            && s.busy()
        {
            return keep(s.started.saturating_add(self.config.fetch_timeout));
        }
        if let Some(f) = &self.failure
            && f.is_rejected()
        {
            // Never by itself (`rejected_retry` 0), or not yet: a clock
            // that jumped backwards never stretches the wait past one delay.
            let wait = match f.retry_at {
                None => true,
                Some(at) => {
                    let at = at.min(now.saturating_add(self.config.rejected_retry_max));
                    now < at
                }
            };
            if wait {
                return if valid {
                    Step::Use
                } else if self.check_store(now) {
                    Step::Store
                } else {
                    Step::Failed
                };
            }
        }
        if let Some(at) = self.next_attempt {
            // A clock that jumped backwards never stretches a backoff.
            let at = at.min(now.saturating_add(self.config.backoff_max));
            self.next_attempt = Some(at);
            if now < at {
                return keep(at);
            }
        }
        self.start(now, valid)
    }

    /// A fetch unanswered for `fetch_timeout` is abandoned (its ticket goes
    /// stale) and counts as a failure. A clock that went backwards restarts
    /// the timeout from `now`.
    fn abandon_stale_flight(&mut self, now: i64) {
        let Some(f) = &mut self.flight else { return };
        if now < f.started {
            f.started = now;
        }
        if now >= f.started.saturating_add(self.config.fetch_timeout) {
            self.abandoned = self.flight.take();
            self.request.wipe();
            if let Some(s) = &mut self.shared {
                s.fresh_ticket_if_renewing(&mut self.next_ticket);
                s.started = now;
                s.to(if s.locked { Phase::Unlock } else { Phase::Idle });
            }
            self.record(now, Failure::new(FailureKind::FetchTimedOut, 0, now), false);
        }
    }

    fn start(&mut self, now: i64, valid: bool) -> Step {
        if self.grant != Grant::SelfSigned
            && let Some(s) = &mut self.shared
            && s.phase == Phase::Idle
        {
            // The store first: the request is built only after a miss.
            s.ticket = ticket::take(&mut self.next_ticket);
            s.started = now;
            s.to(Phase::Load(Why::First));
            s.issued = true;
            return Step::Store;
        }
        self.build(now, valid)
    }

    fn build(&mut self, now: i64, valid: bool) -> Step {
        let built = if self.grant == Grant::SelfSigned {
            self.mint_credential(now)
        } else {
            self.build_request(now)
        };
        match built {
            Ok(step) => step,
            Err(e) => {
                if let Some(s) = &mut self.shared
                    && s.phase == Phase::Go
                {
                    s.to(if s.locked { Phase::Unlock } else { Phase::Idle });
                }
                let transient = matches!(e, Error::Rng | Error::Signing);
                let kind = match e {
                    Error::TokenTooLong { .. } => FailureKind::Storage(e),
                    _ => FailureKind::Mint(e),
                };
                self.record(now, Failure::new(kind, 0, now), !transient);
                match (valid, &self.failure) {
                    (true, _) => Step::Use,
                    (false, Some(f)) if f.is_rejected() => Step::Failed,
                    (false, _) => Step::Wait(self.next_attempt.unwrap_or(now)),
                }
            }
        }
    }

    /// Self-signed profiles: mint the JWT and keep it as the credential
    /// until the profile's lifetime is up.
    fn mint_credential(&mut self, now: i64) -> Result<Step> {
        let mut scratch = Zeroizing::new([0u8; TOKEN]);
        let jwt = grant::mint_into(&*self.profile, &*self.key, now, &mut *scratch)?;
        let expires_at = now.saturating_add(self.profile.limits().lifetime);
        self.stored.store(jwt, now, expires_at, &Parts::default())?;
        self.succeeded();
        Ok(Step::Use)
    }

    fn build_request(&mut self, now: i64) -> Result<Step> {
        let request = self.profile.token_request().ok_or(Error::InvalidField {
            field: "token_request",
            reason: "the profile makes no token request",
        })?;
        let plan = self.profile.grants();
        let (grant, step) = self.choose(plan.as_ref(), now);
        let spec = match (&plan, step) {
            (Some(p), Some(i)) => p.renew.get(i),
            (Some(p), None) => Some(p.initial),
            (None, _) => None,
        };
        let inputs = Inputs {
            spec,
            refresh: self.stored.refresh(),
            previous: self
                .stored
                .view()
                .filter(|_| self.stored.valid_at(now))
                .map(|c| c.token),
        };
        let (profile, key) = (&*self.profile, &*self.key);
        self.request.fill(|out| {
            grant::build::<_, _, REQUEST>(profile, key, &request, grant, inputs, now, out)
        })?;
        let ticket = ticket::take(&mut self.next_ticket);
        self.abandoned = None;
        let mut locked = false;
        if let Some(s) = &mut self.shared {
            locked = s.locked;
            s.ticket = ticket;
            s.renewing = false;
            s.renew_at = now.saturating_add((s.policy.lock_ttl / 3).max(1));
            s.to(Phase::Fetching);
        }
        self.flight = Some(InFlight {
            ticket,
            started: now,
            grant,
            step,
            locked,
        });
        Ok(Step::Fetch)
    }

    /// The grant to make at `now` and its plan step. Without a plan: the
    /// refresh token when one is stored, else the profile's grant. With
    /// one: the first renewal step that applies (a stored refresh token; a
    /// valid access token whose previous-token step was not refused), else
    /// the initial grant.
    fn choose(
        &self,
        plan: Option<&crate::profiles::Grants<'_>>,
        now: i64,
    ) -> (Grant, Option<usize>) {
        let Some(plan) = plan else {
            return match self.stored.refresh() {
                Some(_) => (Grant::RefreshToken, None),
                None => (self.grant, None),
            };
        };
        for (i, spec) in plan.renew.iter().enumerate() {
            let g = Grant::of_kind(&spec.kind);
            let applies = match g {
                Grant::RefreshToken => self.stored.refresh().is_some(),
                Grant::PreviousToken => !self.previous_refused && self.stored.valid_at(now),
                _ => false,
            };
            if applies {
                return (g, Some(i));
            }
        }
        (self.grant, None)
    }

    fn fetch_view(&self) -> Option<Fetch<'_>> {
        let f = self.flight?;
        let request = self.profile.token_request()?;
        let grant_headers = self
            .profile
            .grants()
            .map_or(Pairs::EMPTY, |p| match f.step {
                Some(i) => p.renew.get(i).map_or(Pairs::EMPTY, |s| s.headers),
                None => p.initial.headers,
            });
        let (body, authorization) = self.request.parts();
        let authorization = core::str::from_utf8(authorization)
            .ok()
            .filter(|a| !a.is_empty());
        Some(Fetch {
            ticket: Ticket(f.ticket),
            grant: f.grant,
            locked: f.locked,
            method: request.method,
            url: request.url,
            content_type: if body.is_empty() {
                None
            } else {
                request.content_type()
            },
            authorization,
            headers: request.headers,
            grant_headers,
            body,
        })
    }

    /// Takes the fetch in flight if `ticket` is it; with `late`, also the
    /// last abandoned fetch when no newer one was issued since.
    fn land(&mut self, ticket: Ticket, late: bool) -> Option<InFlight> {
        match (self.flight, self.abandoned) {
            (Some(f), _) if f.ticket == ticket.0 => {
                self.flight = None;
                self.abandoned = None;
                self.request.wipe();
                Some(f)
            }
            (None, Some(f)) if late && f.ticket == ticket.0 => {
                self.abandoned = None;
                Some(f)
            }
            _ => None,
        }
    }

    /// Feeds the HTTP answer to the fetch `ticket`, received at `now`: a
    /// 2xx token response is stored; an OAuth error is kept (sanitized) and
    /// either rejected (`invalid_grant`, `invalid_client`,
    /// `unauthorized_client`, `unsupported_grant_type`, `invalid_scope`) or
    /// retried after backoff. A refused renewal (refresh token or previous
    /// token answered with one of those codes, `invalid_token`, or a bare
    /// 400/401/403) is dropped and the next `poll` makes the next step —
    /// in the end the initial grant — at once.
    ///
    /// A success answer is checked whole before it replaces anything: a
    /// token with a character a token may not hold (see
    /// [`TokenResponse::check_token_syntax`]), an answer that is already
    /// expired or does not fit leaves the previous token, refresh token and
    /// extras untouched (a malformed answer is retried with backoff).
    ///
    /// An answer to a fetch abandoned after `fetch_timeout` is still taken
    /// while no newer fetch was issued (it may carry a rotated refresh
    /// token); otherwise it is `Stale`.
    pub fn complete(&mut self, now: i64, ticket: Ticket, status: u16, body: &[u8]) -> Outcome {
        self.complete_with_retry_after(now, ticket, status, body, None)
    }

    /// As [`Session::complete`], with the answer's `Retry-After` (seconds
    /// from `now`; see [`parse_retry_after`](super::parse_retry_after)): on
    /// a failed answer the next attempt waits at least that long, clamped
    /// to `Config::backoff_max`.
    pub fn complete_with_retry_after(
        &mut self,
        now: i64,
        ticket: Ticket,
        status: u16,
        body: &[u8],
        retry_after: Option<i64>,
    ) -> Outcome {
        let Some(flight) = self.land(ticket, true) else {
            return Outcome::Stale;
        };
        let outcome = self.answer(now, flight.grant, status, body);
        let stored = match outcome {
            Outcome::Stored { expires_at } => Some(expires_at),
            _ => None,
        };
        self.after_fetch(now, &flight, stored);
        match (outcome, retry_after) {
            (Outcome::Retry { at }, Some(secs)) if secs > 0 => {
                let secs = secs.min(self.config.backoff_max);
                let at = at.max(now.saturating_add(secs));
                self.next_attempt = Some(at);
                if let Some(f) = &mut self.failure {
                    f.retry_at = Some(at);
                }
                Outcome::Retry { at }
            }
            (o, _) => o,
        }
    }

    fn answer(&mut self, now: i64, grant: Grant, status: u16, body: &[u8]) -> Outcome {
        let ok_status = (200..300).contains(&status);
        let response = match TokenResponse::parse(body) {
            Ok(r) => r,
            Err(e) => {
                let kind = if ok_status {
                    FailureKind::Malformed(e)
                } else {
                    FailureKind::Http
                };
                return self.http_failed(now, grant, Failure::new(kind, status, now));
            }
        };
        if let Some(code) = response.error {
            let mut f = Failure::new(FailureKind::OAuth, status, now);
            failure::sanitize(code, &mut f.code);
            if let Some(d) = response.error_description {
                failure::sanitize(d, &mut f.description);
            }
            let rejected = REJECTED.iter().any(|r| code.eq_str(r));
            if grant.renews() && (rejected || code.eq_str("invalid_token")) {
                return self.renewal_refused(now, grant, f);
            }
            return self.record(now, f, rejected);
        }
        if !ok_status {
            return self.http_failed(now, grant, Failure::new(FailureKind::Http, status, now));
        }
        // `"access_token":""` is a broken response, not a credential.
        if response.access_token.is_some_and(|t| t.raw().is_empty()) {
            let e = Error::MissingClaim {
                claim: "access_token",
            };
            return self.record(
                now,
                Failure::new(FailureKind::Malformed(e), status, now),
                false,
            );
        }
        if let Err(e) = response.check_token_syntax() {
            return self.record(
                now,
                Failure::new(FailureKind::Malformed(e), status, now),
                false,
            );
        }
        // Into the scratch slot; swapped in only when whole and valid.
        let stored = self.scratch.store_response(&response, now).and_then(|exp| {
            if grant == Grant::RefreshToken {
                self.scratch.keep_refresh_of(&self.stored)?;
            }
            Ok(exp)
        });
        match stored {
            Ok(expires_at) if expires_at > now => {
                core::mem::swap(&mut self.stored, &mut self.scratch);
                self.scratch.clear();
                self.succeeded();
                Outcome::Stored { expires_at }
            }
            Ok(_) => {
                self.scratch.clear();
                self.record(
                    now,
                    Failure::new(FailureKind::AlreadyExpired, status, now),
                    false,
                )
            }
            Err(e) => {
                self.scratch.clear();
                self.record(
                    now,
                    Failure::new(FailureKind::Storage(e), status, now),
                    true,
                )
            }
        }
    }

    /// A non-2xx answer without an OAuth error: a renewal step answered
    /// 400/401/403 was refused; anything else backs off.
    fn http_failed(&mut self, now: i64, grant: Grant, f: Failure) -> Outcome {
        if grant.renews() && matches!(f.status(), 400 | 401 | 403) {
            return self.renewal_refused(now, grant, f);
        }
        self.record(now, f, false)
    }

    /// A renewal step was refused (its refresh token revoked or expired, the
    /// previous token no longer accepted): drop it and fall back to the next
    /// step at once, no backoff.
    fn renewal_refused(&mut self, now: i64, grant: Grant, mut f: Failure) -> Outcome {
        if grant == Grant::RefreshToken {
            self.refused_refresh = self
                .stored
                .refresh()
                .map(|rt| identity::digest_chars(rt.chars()));
            self.stored.drop_refresh();
        } else {
            self.previous_refused = true;
        }
        f.retry_at = Some(now);
        self.failure = Some(f);
        self.next_attempt = None;
        Outcome::Retry { at: now }
    }

    /// The fetch `ticket` got no HTTP answer (`kind`) at `now`: backoff.
    pub fn fail(&mut self, now: i64, ticket: Ticket, kind: TransportError) -> Outcome {
        let Some(flight) = self.land(ticket, false) else {
            return Outcome::Stale;
        };
        self.after_fetch(now, &flight, None);
        self.record(
            now,
            Failure::new(FailureKind::Transport(kind), 0, now),
            false,
        )
    }

    /// Gives up the fetch `ticket` without an answer and without counting a
    /// failure: the caller adopted a credential from a shared store
    /// ([`Session::restore`]) instead of sending the request. `false` when
    /// `ticket` is not the fetch in flight.
    pub fn cancel(&mut self, ticket: Ticket) -> bool {
        match self.land(ticket, false) {
            Some(f) => {
                self.after_fetch(f.started, &f, None);
                true
            }
            None => false,
        }
    }

    /// Keeps `f`; schedules the next attempt: the backoff, or for a
    /// `rejected` grant `Config::rejected_retry` backing off to
    /// `rejected_retry_max` (never when `rejected_retry` is 0), jittered.
    fn record(&mut self, now: i64, mut f: Failure, rejected: bool) -> Outcome {
        self.failures = self.failures.saturating_add(1);
        let c = &self.config;
        let at = now.saturating_add(backoff::delay(
            self.failures,
            c.backoff_min,
            c.backoff_max,
            c.jitter_seed,
        ));
        self.next_attempt = Some(at);
        f.rejected = rejected;
        f.retry_at = if rejected {
            self.rejections = self.rejections.saturating_add(1);
            (c.rejected_retry > 0).then(|| {
                now.saturating_add(backoff::delay(
                    self.rejections,
                    c.rejected_retry,
                    c.rejected_retry_max,
                    c.jitter_seed ^ 0xA5A5_A5A5_A5A5_A5A5,
                ))
            })
        } else {
            Some(at)
        };
        self.failure = Some(f);
        if rejected {
            Outcome::Rejected
        } else {
            Outcome::Retry { at }
        }
    }

    fn succeeded(&mut self) {
        self.previous_refused = false;
        self.rejections = 0;
        self.failures = 0;
        self.next_attempt = None;
        self.failure = None;
    }

    /// Clears a rejected grant and the backoff: the next `poll` may fetch
    /// at once (after the caller fixed the configuration, or on an explicit
    /// user retry). The stored credential is kept.
    pub fn reset(&mut self) {
        self.succeeded();
    }

    /// The API refused `token` (answered 401 with it): when it is the
    /// stored access token, forgets it (the next `poll` fetches; a refresh
    /// token is kept) and returns `true`. A 401 for a token already
    /// replaced is a no-op (`false`), so many callers reacting to one wave
    /// of 401s cause one fetch. Either way the token's SHA-256 is
    /// remembered and a record holding it is never adopted again
    /// ([`Session::restore`] answers `TokenRevoked`).
    pub fn invalidate(&mut self, token: &str) -> bool {
        self.remember_revoked(token_digest(token));
        if self.stored.token_text().is_some_and(|t| t == token) {
            self.stored.clear_token();
            return true;
        }
        false
    }

    /// With a shared store ([`Session::share`]): asks, as a store step
    /// before any other, to delete the shared record if it still holds
    /// `token` ([`StoreAction::RemoveIfHolds`], compare-and-delete), so
    /// peers stop adopting a token the API refused. Call it after
    /// [`Session::invalidate`]; a driver that deletes the record itself
    /// (the Rust token sources do, at once) need not. No-op without a
    /// store.
    pub fn forget_in_store(&mut self, token: &str) {
        if let Some(s) = &mut self.shared {
            s.forget = Some(token_digest(token));
        }
    }

    /// Forgets the stored access token whatever it is (remembered as
    /// invalidated like [`Session::invalidate`]); `false` when none was
    /// stored.
    pub fn invalidate_current(&mut self) -> bool {
        let digest = self.stored.token_text().map(token_digest);
        match digest {
            Some(d) => {
                self.remember_revoked(d);
                self.stored.clear_token();
                true
            }
            None => false,
        }
    }

    /// Keeps `digest` among the last `REVOKED` invalidated tokens.
    fn remember_revoked(&mut self, digest: [u8; 32]) {
        if self.revoked.contains(&digest) {
            return;
        }
        if let Some(slot) = self.revoked.get_mut(self.revoked_next % REVOKED) {
            *slot = digest;
        }
        self.revoked_next = (self.revoked_next + 1) % REVOKED;
    }

    /// Whether `token` was invalidated in this session.
    pub fn is_revoked(&self, token: &str) -> bool {
        self.revoked.contains(&token_digest(token))
    }

    /// SHA-256 digests of the tokens invalidated in this session (the last
    /// few), for a store's compare-and-delete.
    pub fn revoked_digests(&self) -> impl Iterator<Item = &[u8; 32]> {
        self.revoked.iter().filter(|d| **d != [0; 32])
    }

    /// Writes the current credential as a record (see `record.rs`: JSON with
    /// the identity, token, type, expiry, stored-at time, extras and refresh
    /// token) into `out`; returns its length.
    ///
    /// # Errors
    /// `MissingClaim { claim: "access_token" }` when no credential is
    /// stored; `BufferTooSmall` with the exact length needed.
    pub fn encode_record(&self, out: &mut [u8]) -> Result<usize> {
        let c = self.stored.view().ok_or(Error::MissingClaim {
            claim: "access_token",
        })?;
        let hex = identity::hex(&self.identity);
        let hex = core::str::from_utf8(&hex).map_err(|_| Error::InvalidUtf8)?;
        record::encode(hex, &c, self.stored.refresh(), out)
    }

    /// Adopts a credential another process stored (`encode_record`) at
    /// `now`, unless the stored one lasts longer; returns the expiry in
    /// force. Clears backoff and a rejected state (someone got a token).
    ///
    /// A record whose access token has expired but that carries a refresh
    /// token gives the session that refresh token only (when the session
    /// holds no valid token of its own): the expired access token is never
    /// kept, and the returned expiry is then at or before `now` — the next
    /// `poll` fetches with the refresh grant.
    ///
    /// # Errors
    /// The record's parse errors (part `SessionRecord`); `ClaimMismatch {
    /// claim: "identity" }` for a record of another grant or key;
    /// `Expired` when it is expired at `now` and has no refresh token (or
    /// the session's own token is still valid, or the server refused that
    /// refresh token already); `TokenTooLong` when it does not fit;
    /// `InvalidTokenSyntax` for a token that could split a header (a store
    /// is untrusted); `TokenRevoked` when it holds a token this session
    /// invalidated ([`Session::invalidate`]). The session is unchanged on
    /// error.
    pub fn restore(&mut self, now: i64, bytes: &[u8]) -> Result<i64> {
        let r = record::decode(bytes)?;
        let hex = identity::hex(&self.identity);
        let hex = core::str::from_utf8(&hex).map_err(|_| Error::InvalidUtf8)?;
        if !r.identity.is_some_and(|id| id.eq_str(hex)) {
            return Err(Error::ClaimMismatch { claim: "identity" });
        }
        // A store is untrusted: the same syntax rule as a token response.
        crate::token_response::check_token_syntax(
            crate::error::JsonPart::SessionRecord,
            [
                ("access_token", r.access_token),
                ("refresh_token", r.parts.refresh_token),
            ],
            r.parts.token_type,
        )?;
        let exp = r.expires_at.unwrap_or(i64::MIN);
        let revoked = r
            .access_token
            .is_some_and(|t| self.revoked.contains(&identity::digest_chars(t.chars())));
        if revoked {
            return Err(Error::TokenRevoked);
        }
        if exp <= now {
            return match r.parts.refresh_token {
                Some(rt)
                    if !self.stored.valid_at(now)
                        && rt.decoded_len() > 0
                        && self.refused_refresh != Some(identity::digest_chars(rt.chars())) =>
                {
                    self.stored.adopt_refresh(rt)?;
                    self.succeeded();
                    Ok(exp)
                }
                _ => Err(Error::Expired { exp, now }),
            };
        }
        if let Some((_, ours)) = self.stored.times()
            && ours >= exp
            && self.stored.valid_at(now)
        {
            return Ok(ours);
        }
        let token = r
            .access_token
            .and_then(|t| t.as_str())
            .ok_or(Error::InvalidMemberType {
                part: crate::error::JsonPart::SessionRecord,
                name: "access_token",
            })?;
        // The record's own `stored_at` (when not in the future): the token
        // is due when it was due for the process that stored it.
        let stored_at = r.stored_at.filter(|&t| t <= now).unwrap_or(now);
        let stored = self.scratch.store(token, stored_at, exp, &r.parts);
        if let Err(e) = stored {
            self.scratch.clear();
            return Err(e);
        }
        core::mem::swap(&mut self.stored, &mut self.scratch);
        self.scratch.clear();
        self.succeeded();
        Ok(exp)
    }

    /// Hands out the store action pending (not yet out), if any: a
    /// step of the attempt, or a lock renewal while the fetch runs.
    fn issue_store(&mut self, now: i64) -> bool {
        let Some(s) = &mut self.shared else {
            return false;
        };
        if s.phase == Phase::Idle
            && let Some(digest) = s.forget.take()
        {
            s.ticket = ticket::take(&mut self.next_ticket);
            s.started = now;
            s.to(Phase::Forget { digest });
            s.issued = true;
            return true;
        }
        match s.phase {
            Phase::Idle | Phase::Go => false,
            Phase::Fetching => {
                let due = s.locked
                    && s.policy.lock_ttl > 0
                    && !s.renewing
                    && self.flight.is_some()
                    && now >= s.renew_at;
                if due {
                    s.renewing = true;
                }
                due
            }
            _ if s.issued => false,
            _ => {
                s.issued = true;
                true
            }
        }
    }

    /// A store action unanswered for `fetch_timeout` is given up: before
    /// the fetch that counts as a failed attempt (backoff); the lock, if
    /// held, lapses by its TTL.
    fn abandon_stale_attempt(&mut self, now: i64) {
        let timeout = self.config.fetch_timeout;
        let Some(s) = &mut self.shared else { return };
        if !s.busy() || !s.issued {
            return;
        }
        if now < s.started {
            s.started = now;
        }
        if now < s.started.saturating_add(timeout) {
            return;
        }
        let before_fetch = matches!(s.phase, Phase::Load(_) | Phase::Lock | Phase::AwaitSave);
        let check = s.phase == Phase::Load(Why::Check);
        s.locked = false;
        s.to(Phase::Idle);
        if before_fetch && !check {
            self.record(now, Failure::new(FailureKind::FetchTimedOut, 0, now), false);
        }
    }

    /// A rejected session with a store looks at it (at most once a second)
    /// before it reports `Failed`.
    fn check_store(&mut self, now: i64) -> bool {
        let Some(s) = &mut self.shared else {
            return false;
        };
        if s.phase != Phase::Idle || s.checked >= now {
            return false;
        }
        s.checked = now;
        s.ticket = ticket::take(&mut self.next_ticket);
        s.started = now;
        s.to(Phase::Load(Why::Check));
        s.issued = true;
        true
    }

    /// After the fetch landed: save a stored answer (a refresh-token grant
    /// only while its lock is held), else release a held lock.
    fn after_fetch(&mut self, now: i64, f: &InFlight, stored: Option<i64>) {
        let keep = if self.stored.refresh().is_some() {
            self.shared.map_or(0, |s| s.policy.keep_refresh)
        } else {
            0
        };
        let Some(s) = &mut self.shared else { return };
        // A late answer after a newer attempt began changes nothing here.
        if !matches!(s.phase, Phase::Fetching | Phase::Idle) {
            return;
        }
        s.ticket = f.ticket;
        s.fresh_ticket_if_renewing(&mut self.next_ticket);
        s.started = now;
        let lockless_refresh = f.grant == Grant::RefreshToken && !s.locked;
        let next = match stored {
            Some(exp) if !lockless_refresh => Phase::Save {
                expires_at: exp.saturating_add(keep),
            },
            _ if s.locked => Phase::Unlock,
            _ => Phase::Idle,
        };
        s.to(next);
    }

    fn store_view(&self) -> Option<StoreAction<'_>> {
        let s = self.shared.as_ref()?;
        let ticket = Ticket(s.ticket);
        Some(match s.phase {
            Phase::Idle | Phase::Go => return None,
            Phase::Load(_) => StoreAction::Load { ticket },
            Phase::Lock => StoreAction::Lock { ticket },
            Phase::AwaitSave => StoreAction::AwaitSave {
                ticket,
                until: s.started.saturating_add(s.policy.lock_wait),
            },
            Phase::Fetching => StoreAction::RenewLock { ticket },
            Phase::Save { expires_at } => StoreAction::Save {
                ticket,
                expires_at,
                locked: s.locked,
            },
            Phase::Resave { expires_at } => StoreAction::Save {
                ticket,
                expires_at,
                locked: false,
            },
            Phase::Unlock => StoreAction::Unlock { ticket },
            Phase::Remove { next, .. } => StoreAction::RemoveIfHolds {
                ticket,
                digest: self.revoked_digests().nth(next)?,
            },
            Phase::Forget { ref digest } => StoreAction::RemoveIfHolds { ticket, digest },
        })
    }

    /// What the driver did with the [`StoreAction`] `ticket` at `now`. A
    /// record is adopted ([`Session::restore`]) when it gives a credential
    /// that is not due (then no request is made) — a due one is taken too
    /// (an expired one for its refresh token only) and the attempt goes on.
    ///
    /// # Errors
    /// Why a record read was not adopted ([`Session::restore`]'s errors:
    /// another grant, corrupt, revoked, expired): the attempt goes on as
    /// after a miss; the session is otherwise unchanged.
    pub fn store_answer(
        &mut self,
        now: i64,
        ticket: Ticket,
        answer: StoreAnswer<'_>,
    ) -> Result<StoreOutcome> {
        let Some(mut s) = self.shared else {
            return Ok(StoreOutcome::Stale);
        };
        if ticket.0 != s.ticket {
            return Ok(StoreOutcome::Stale);
        }
        if s.phase == Phase::Fetching {
            if !s.renewing {
                return Ok(StoreOutcome::Stale);
            }
            s.renewing = false;
            match answer {
                StoreAnswer::Locked => {
                    s.renew_at = now.saturating_add((s.policy.lock_ttl / 3).max(1));
                }
                StoreAnswer::LockLost => s.locked = false,
                _ => s.renew_at = now.saturating_add(1),
            }
            self.shared = Some(s);
            return Ok(StoreOutcome::Continue);
        }
        if !s.issued || !s.busy() {
            return Ok(StoreOutcome::Stale);
        }
        let waited = now >= s.started.saturating_add(s.policy.lock_wait);
        let (next, result) = match (s.phase, answer) {
            (Phase::Load(why), StoreAnswer::Record(r)) => return self.take_record(now, why, r),
            (Phase::AwaitSave, StoreAnswer::Record(r)) => {
                return self.take_record(now, Why::AfterWait, r);
            }
            (Phase::Load(Why::Check), _) => (Phase::Idle, StoreOutcome::Continue),
            (Phase::Load(Why::UnderLock), _) => (Phase::Go, StoreOutcome::Continue),
            (Phase::Load(_) | Phase::AwaitSave, _) if waited => (Phase::Go, StoreOutcome::Continue),
            (Phase::Load(_) | Phase::AwaitSave, _) => (Phase::Lock, StoreOutcome::Continue),
            (Phase::Lock, StoreAnswer::Locked) => {
                s.locked = true;
                (Phase::Load(Why::UnderLock), StoreOutcome::Continue)
            }
            (Phase::Lock, StoreAnswer::Busy) if !waited => {
                (Phase::AwaitSave, StoreOutcome::Continue)
            }
            (Phase::Lock, _) => (Phase::Go, StoreOutcome::Continue),
            (Phase::Forget { .. }, _) => (Phase::Idle, StoreOutcome::Continue),
            (Phase::Save { expires_at }, StoreAnswer::KeptNewer) => {
                s.locked = false;
                let next = if self.revoked_digests().next().is_some() {
                    Phase::Remove {
                        next: 0,
                        expires_at,
                    }
                } else {
                    Phase::Idle
                };
                (next, StoreOutcome::Continue)
            }
            (Phase::Save { .. }, StoreAnswer::Failed) if s.locked => {
                (Phase::Unlock, StoreOutcome::Continue)
            }
            (Phase::Remove { expires_at, .. }, StoreAnswer::Removed(true)) => {
                (Phase::Resave { expires_at }, StoreOutcome::Continue)
            }
            (Phase::Remove { next, expires_at }, StoreAnswer::Removed(false))
                if self.revoked_digests().nth(next + 1).is_some() =>
            {
                let next = Phase::Remove {
                    next: next + 1,
                    expires_at,
                };
                (next, StoreOutcome::Continue)
            }
            _ => {
                s.locked = false;
                (Phase::Idle, StoreOutcome::Continue)
            }
        };
        s.to(next);
        self.shared = Some(s);
        Ok(result)
    }

    /// A record was read (`why`): adopt it when it makes the session fresh.
    fn take_record(&mut self, now: i64, why: Why, record: Option<&[u8]>) -> Result<StoreOutcome> {
        let restored = record.map(|b| self.restore(now, b));
        let ok = matches!(restored, Some(Ok(_)));
        let fresh = ok
            && match why {
                Why::Check => self.stored.valid_at(now),
                _ => self.stored.valid_at(now) && !self.stored.due_at(now),
            };
        let Some(s) = &mut self.shared else {
            return Ok(StoreOutcome::Stale);
        };
        let waited = now >= s.started.saturating_add(s.policy.lock_wait);
        let next = match (why, fresh) {
            (Why::Check, _) | (Why::First | Why::AfterWait, true) => Phase::Idle,
            (Why::UnderLock, true) => Phase::Unlock,
            (Why::UnderLock, false) => Phase::Go,
            (Why::AfterWait, false) if waited => Phase::Go,
            (Why::First | Why::AfterWait, false) => Phase::Lock,
        };
        s.to(next);
        match restored {
            Some(Err(e)) => Err(e),
            _ if fresh => Ok(StoreOutcome::Adopted),
            _ => Ok(StoreOutcome::Continue),
        }
    }
}

/// SHA-256 of a token's bytes: what a session remembers of an invalidated
/// token, and what the std stores' `remove_if_holds` compares.
pub fn token_digest(token: &str) -> [u8; 32] {
    identity::digest_chars(token.chars())
}

/// Whether the session record `record` holds the access token whose
/// SHA-256 is `digest` (a store's compare-and-delete uses this; a record
/// that does not parse holds nothing).
pub fn record_holds(record: &[u8], digest: &[u8; 32]) -> bool {
    record::decode(record)
        .ok()
        .and_then(|r| r.access_token)
        .is_some_and(|t| identity::digest_chars(t.chars()) == *digest)
}

/// Refuses a key that cannot sign for `profile` when its grants mint.
fn check_key<P, K>(profile: &P, key: &K) -> Result<()>
where
    P: Profile + ?Sized,
    K: JwsKey + ?Sized,
{
    let mints = match profile.token_request() {
        None => true,
        Some(_) => profile.grants().is_none_or(|g| g.mints()),
    };
    if mints {
        key.signer(profile.algorithm()).map(|_| ())?;
    }
    Ok(())
}
