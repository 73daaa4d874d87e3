//! [`Session`]: the sans-IO state machine. The caller owns the clock and the
//! HTTP client; the session says what to do next ([`Session::poll`]) and is
//! told what happened ([`Session::complete`], [`Session::fail`]).

use core::ops::Deref;

use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::profiles::{Method, Profile};
use crate::signer::JwsKey;
use crate::token_response::TokenResponse;

use super::backoff;
use super::config::Config;
use super::credential::{Credential, Parts, Stored};
use super::failure::{self, Failure, FailureKind, TransportError};
use super::grant::{self, Grant, Inputs, RequestBuf};
use super::identity;
use super::record;

/// OAuth error codes that no retry can fix: surfaced, not retried.
const REJECTED: [&str; 5] = [
    "invalid_grant",
    "invalid_client",
    "unauthorized_client",
    "unsupported_grant_type",
    "invalid_scope",
];

/// Identifies one fetch. `complete`/`fail` with any other ticket (an
/// abandoned or answered fetch) are ignored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Ticket(pub(crate) u64);

impl Ticket {
    /// The ticket number (for the C ABI and logs).
    pub const fn get(self) -> u64 {
        self.0
    }
    /// A ticket from its number (from the C ABI).
    pub const fn from_u64(n: u64) -> Self {
        Self(n)
    }
}

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
    /// The profile's extra headers (e.g. `Accept`).
    pub headers: &'s [(&'s str, &'s str)],
    /// The grant step's own extra headers (from the profile's
    /// [`Grants`](crate::profiles::Grants), e.g. an API key), sent after
    /// `headers`. `Debug` shows their names only.
    pub grant_headers: &'s [(&'s str, &'s str)],
    /// The exact body bytes.
    pub body: &'s [u8],
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
            .chain(self.headers.iter().copied())
            .chain(self.grant_headers.iter().copied())
    }
}

impl core::fmt::Debug for Fetch<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Fetch")
            .field("ticket", &self.ticket)
            .field("grant", &self.grant)
            .field("method", &self.method)
            .field("url", &self.url)
            .field("content_type", &self.content_type)
            .field(
                "authorization",
                &self.authorization.map(|a| Redacted(a.len())),
            )
            .field("headers", &self.headers)
            .field(
                "grant_headers",
                &crate::profiles::PairNames(self.grant_headers),
            )
            .field("body", &Redacted(self.body.len()))
            .finish()
    }
}

struct Redacted(usize);

impl core::fmt::Debug for Redacted {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "<redacted, {} bytes>", self.0)
    }
}

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
    /// does not retry by itself; [`Session::reset`] (or
    /// `Config::rejected_retry`) allows the next attempt.
    Failed(&'s Failure),
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
}

/// What `poll` decided, before borrowing the answer.
enum Step {
    Use,
    Fetch,
    Wait(i64),
    Failed,
}

/// A token session: one grant (profile + key), its cached credential, and
/// the fetch schedule. Sans-IO, `no_std`, no allocation: `TOKEN` bytes for
/// the access token (and again for a refresh token), `REQUEST` bytes for
/// the request body (and, on the stack while minting, for the assertion).
///
/// `P` and `K` are anything that dereferences to a [`Profile`] and a
/// [`JwsKey`]: `&Salesforce`, `Arc<dyn Profile + Send + Sync>`, ...
///
/// Not internally synchronized: a multi-threaded caller wraps it in a
/// mutex and holds it only for `poll`/`complete`/`fail` (never across the
/// HTTP request): single flight then holds across threads.
pub struct Session<P, K, const TOKEN: usize = 4096, const REQUEST: usize = 4096>
where
    P: Deref,
    P::Target: Profile,
    K: Deref,
    K::Target: JwsKey,
{
    profile: P,
    key: K,
    config: Config,
    grant: Grant,
    identity: [u8; 32],
    stored: Stored<TOKEN>,
    flight: Option<InFlight>,
    next_ticket: u64,
    failures: u32,
    next_attempt: Option<i64>,
    failure: Option<Failure>,
    /// The server refused the previous-token step for the current token.
    previous_refused: bool,
    request: RequestBuf<REQUEST>,
}

impl<P, K, const TOKEN: usize, const REQUEST: usize> core::fmt::Debug
    for Session<P, K, TOKEN, REQUEST>
where
    P: Deref,
    P::Target: Profile,
    K: Deref,
    K::Target: JwsKey,
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
            .finish_non_exhaustive()
    }
}

impl<P, K, const TOKEN: usize, const REQUEST: usize> Session<P, K, TOKEN, REQUEST>
where
    P: Deref,
    P::Target: Profile,
    K: Deref,
    K::Target: JwsKey,
{
    /// A session for `profile`'s grant signed with `key`, empty: the first
    /// `poll` fetches (or, for a self-signed profile, mints).
    pub fn new(profile: P, key: K, config: Config) -> Self {
        let grant = Grant::of(profile.token_request().as_ref(), profile.grants().as_ref());
        let identity = identity::identity(&*profile, &*key, grant);
        let config = config.normalized();
        Self {
            stored: Stored::new(config.session_lifetime),
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
            request: RequestBuf::new(),
        }
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
        }
    }

    fn step(&mut self, now: i64) -> Step {
        self.abandon_stale_flight(now);
        let valid = self.stored.valid_at(now);
        let due = self.stored.due_at(now, self.config.refresh_ahead);
        let keep = |at: i64| if valid { Step::Use } else { Step::Wait(at) };
        if valid && !due {
            return Step::Use;
        }
        if let Some(f) = self.flight {
            return keep(f.started.saturating_add(self.config.fetch_timeout));
        }
        if let Some(f) = &self.failure
            && f.is_rejected()
        {
            let retry = self.config.rejected_retry;
            if retry == 0 || now < f.at.saturating_add(retry) || now < f.at {
                return if valid { Step::Use } else { Step::Failed };
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
            self.flight = None;
            self.request.wipe();
            self.record(now, Failure::new(FailureKind::FetchTimedOut, 0, now), false);
        }
    }

    fn start(&mut self, now: i64, valid: bool) -> Step {
        let built = if self.grant == Grant::SelfSigned {
            self.mint_credential(now)
        } else {
            self.build_request(now)
        };
        match built {
            Ok(step) => step,
            Err(e) => {
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
            (Some(p), Some(i)) => p.renew.get(i).copied(),
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
        self.request.wipe();
        self.request.built = grant::build(
            &*self.profile,
            &*self.key,
            &request,
            grant,
            inputs,
            now,
            &mut self.request.bytes,
        )?;
        let ticket = self.next_ticket;
        self.next_ticket = self.next_ticket.wrapping_add(1).max(1);
        self.flight = Some(InFlight {
            ticket,
            started: now,
            grant,
            step,
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
        let grant_headers = self.profile.grants().map_or(&[][..], |p| match f.step {
            Some(i) => p.renew.get(i).map_or(&[][..], |s| s.headers),
            None => p.initial.headers,
        });
        let (body, authorization) = self.request.parts();
        let authorization = core::str::from_utf8(authorization)
            .ok()
            .filter(|a| !a.is_empty());
        Some(Fetch {
            ticket: Ticket(f.ticket),
            grant: f.grant,
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

    /// Takes the fetch in flight if `ticket` is it.
    fn land(&mut self, ticket: Ticket) -> Option<Grant> {
        match self.flight {
            Some(f) if f.ticket == ticket.0 => {
                self.flight = None;
                self.request.wipe();
                Some(f.grant)
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
    pub fn complete(&mut self, now: i64, ticket: Ticket, status: u16, body: &[u8]) -> Outcome {
        let Some(grant) = self.land(ticket) else {
            return Outcome::Stale;
        };
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
        match self
            .stored
            .store_response(&response, now, grant == Grant::RefreshToken)
        {
            Ok(expires_at) if expires_at > now => {
                self.succeeded();
                Outcome::Stored { expires_at }
            }
            Ok(_) => {
                self.stored.clear_token();
                self.record(
                    now,
                    Failure::new(FailureKind::AlreadyExpired, status, now),
                    false,
                )
            }
            Err(e) => self.record(
                now,
                Failure::new(FailureKind::Storage(e), status, now),
                true,
            ),
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
        if self.land(ticket).is_none() {
            return Outcome::Stale;
        }
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
        self.land(ticket).is_some()
    }

    /// Keeps `f`; schedules the next attempt (none when `rejected`).
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
        f.retry_at = (!rejected).then_some(at);
        self.failure = Some(f);
        if rejected {
            Outcome::Rejected
        } else {
            Outcome::Retry { at }
        }
    }

    fn succeeded(&mut self) {
        self.previous_refused = false;
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

    /// Forgets the access token (the API answered 401 with it): the next
    /// `poll` fetches. A refresh token is kept.
    pub fn invalidate(&mut self) {
        self.stored.clear_token();
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
    /// # Errors
    /// The record's parse errors (part `SessionRecord`); `ClaimMismatch {
    /// claim: "identity" }` for a record of another grant or key;
    /// `Expired` when it is expired at `now`; `TokenTooLong` when it does
    /// not fit. The session is unchanged on error.
    pub fn restore(&mut self, now: i64, bytes: &[u8]) -> Result<i64> {
        let r = record::decode(bytes)?;
        let hex = identity::hex(&self.identity);
        let hex = core::str::from_utf8(&hex).map_err(|_| Error::InvalidUtf8)?;
        if !r.identity.is_some_and(|id| id.eq_str(hex)) {
            return Err(Error::ClaimMismatch { claim: "identity" });
        }
        let exp = r.expires_at.unwrap_or(i64::MIN);
        if exp <= now {
            return Err(Error::Expired { exp, now });
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
        self.stored.store(token, now, exp, &r.parts)?;
        self.succeeded();
        Ok(exp)
    }
}
