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
    /// session stays failed until [`Session::reset`](super::Session::reset);
    /// with a value > 0 it tries once more after that many seconds (default 0:
    /// never by itself).
    pub rejected_retry: i64,
    /// Entropy for the backoff jitter (the core has no RNG): give each
    /// process a different value so a fleet does not retry in lock step.
    pub jitter_seed: u64,
}

impl Config {
    /// The defaults: refresh 60 s ahead, backoff 1..300 s, fallback lifetime
    /// 900 s, fetch timeout 30 s, rejected grants stay failed, seed 0.
    pub const fn new() -> Self {
        Self {
            refresh_ahead: 60,
            backoff_min: 1,
            backoff_max: 300,
            session_lifetime: 900,
            fetch_timeout: 30,
            rejected_retry: 0,
            jitter_seed: 0,
        }
    }

    /// Sets [`Config::refresh_ahead`].
    #[must_use]
    pub const fn refresh_ahead(mut self, seconds: i64) -> Self {
        self.refresh_ahead = seconds;
        self
    }

    /// Sets [`Config::backoff_min`] and [`Config::backoff_max`].
    #[must_use]
    pub const fn backoff(mut self, min: i64, max: i64) -> Self {
        self.backoff_min = min;
        self.backoff_max = max;
        self
    }

    /// Sets [`Config::session_lifetime`].
    #[must_use]
    pub const fn session_lifetime(mut self, seconds: i64) -> Self {
        self.session_lifetime = seconds;
        self
    }

    /// Sets [`Config::fetch_timeout`].
    #[must_use]
    pub const fn fetch_timeout(mut self, seconds: i64) -> Self {
        self.fetch_timeout = seconds;
        self
    }

    /// Sets [`Config::rejected_retry`].
    #[must_use]
    pub const fn rejected_retry(mut self, seconds: i64) -> Self {
        self.rejected_retry = seconds;
        self
    }

    /// Sets [`Config::jitter_seed`].
    #[must_use]
    pub const fn jitter_seed(mut self, seed: u64) -> Self {
        self.jitter_seed = seed;
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
        self
    }
}

impl Default for Config {
    fn default() -> Self {
        Self::new()
    }
}
