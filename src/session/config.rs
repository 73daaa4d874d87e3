//! [`Config`]: the session's timing policy (refresh-ahead, backoff, fallback
//! lifetime, fetch timeout, jitter seed). Plain numbers, seconds.

/// How a [`Session`](super::Session) schedules fetches. Every field has a
/// safe default ([`Config::new`]); negative values count as 0 and the
/// backoff bounds are ordered, so no value makes the session hammer the
/// token endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Config {
    /// Refresh this many seconds before expiry (default 60), clamped per
    /// token to half its lifetime so a short-lived token is not refreshed
    /// continuously.
    pub refresh_ahead: i64,
    /// First retry delay after a failure, seconds (default 1, at least 1).
    pub backoff_min: i64,
    /// Largest retry delay, seconds (default 300, at least `backoff_min`).
    pub backoff_max: i64,
    /// Lifetime assumed for a token whose response has no `expires_in` and
    /// which is not a JWT with `exp` (Salesforce). Default 900 s (the
    /// shortest Salesforce session timeout); 0 refuses such responses.
    pub session_lifetime: i64,
    /// A fetch with no `complete`/`fail` after this many seconds is
    /// abandoned (its ticket goes stale) and counts as a failure (default 30).
    pub fetch_timeout: i64,
    /// After a rejected grant (`invalid_grant`, `invalid_client`, ...) the
    /// session reports `Failed` (keeping a still-valid token) and tries
    /// again after this many seconds (default 300), doubling per further
    /// rejection up to [`Config::rejected_retry_max`], jittered: a clock
    /// skew or a consent given later heals by itself. 0: never by itself
    /// (only [`Session::reset`](super::Session::reset) or a restored record).
    pub rejected_retry: i64,
    /// Largest delay between retries of a rejected grant (default 3600).
    pub rejected_retry_max: i64,
    /// Spread of the refresh moment, percent of `refresh_ahead` (default
    /// 50): each session refreshes up to this much *earlier* than
    /// `refresh_ahead` alone says, at an offset drawn from `jitter_seed`, so
    /// processes sharing a token do not all reach for it in the same second.
    /// Needs a non-zero `jitter_seed` (the core has no entropy of its own).
    pub refresh_spread: i64,
    /// Entropy for the retry jitter and the refresh spread (the core has no
    /// RNG). 0 (the default) in the core: a fixed schedule and no refresh
    /// spread. The std layers (`TokenSource`, `AsyncTokenSource`, the C
    /// session) replace 0 by a seed from the OS RNG, so a fleet never acts
    /// in lock step; give a non-zero value for a reproducible schedule.
    pub jitter_seed: u64,
}

impl Config {
    /// The defaults: refresh 60 s ahead (spread up to 50 % earlier with a
    /// seed), backoff 1..300 s, fallback lifetime 900 s, fetch timeout 30 s,
    /// rejected grants retried after 300 s backing off to 3600 s, seed 0.
    pub const fn new() -> Self {
        Self {
            refresh_ahead: 60,
            backoff_min: 1,
            backoff_max: 300,
            session_lifetime: 900,
            fetch_timeout: 30,
            rejected_retry: 300,
            rejected_retry_max: 3600,
            refresh_spread: 50,
            jitter_seed: 0,
        }
    }

    crate::setters::setters! {
        /// Sets [`Config::rejected_retry_max`].
        rejected_retry_max(seconds: i64);
        /// Sets [`Config::refresh_spread`] (percent; 0: none).
        refresh_spread(percent: i64);
        /// Sets [`Config::refresh_ahead`].
        refresh_ahead(seconds: i64);
        /// Sets [`Config::session_lifetime`].
        session_lifetime(seconds: i64);
        /// Sets [`Config::fetch_timeout`].
        fetch_timeout(seconds: i64);
        /// Sets [`Config::rejected_retry`].
        rejected_retry(seconds: i64);
        /// Sets [`Config::jitter_seed`].
        jitter_seed(seed: u64);
    }

    /// This config with `jitter_seed` drawn from the OS RNG when it is 0
    /// (never 0 afterwards; left at 0 only when the OS has no randomness).
    #[cfg(feature = "std")]
    #[must_use]
    pub fn seeded_from_os(mut self) -> Self {
        if self.jitter_seed == 0 {
            let mut b = [0u8; 8];
            if getrandom::fill(&mut b).is_ok() {
                self.jitter_seed = u64::from_le_bytes(b).max(1);
            }
        }
        self
    }

    /// Sets [`Config::backoff_min`] and [`Config::backoff_max`].
    #[must_use]
    pub const fn backoff(mut self, min: i64, max: i64) -> Self {
        self.backoff_min = min;
        self.backoff_max = max;
        self
    }

    /// The same policy with every value in range: negatives as 0, backoff
    /// at least 1 s and ordered, fetch timeout at least 1 s.
    pub(crate) const fn normalized(mut self) -> Self {
        const fn at_least(v: i64, min: i64) -> i64 {
            if v < min { min } else { v }
        }
        self.refresh_ahead = at_least(self.refresh_ahead, 0);
        self.backoff_min = at_least(self.backoff_min, 1);
        self.backoff_max = at_least(self.backoff_max, self.backoff_min);
        self.session_lifetime = at_least(self.session_lifetime, 0);
        self.fetch_timeout = at_least(self.fetch_timeout, 1);
        self.rejected_retry = at_least(self.rejected_retry, 0);
        self.rejected_retry_max = at_least(self.rejected_retry_max, self.rejected_retry);
        self.refresh_spread = at_least(self.refresh_spread, 0);
        if self.refresh_spread > 100 {
            self.refresh_spread = 100;
        }
        self
    }
}

impl Default for Config {
    fn default() -> Self {
        Self::new()
    }
}
