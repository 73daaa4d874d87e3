//! The stored credential: the access token (in a [`TokenCache`], which
//! computes expiry and zeroizes) plus the extras callers need and the
//! refresh token. [`Credential`] is the borrowed view handed out by `poll`.

use crate::cache::TokenCache;
use crate::error::{Error, Result};
use crate::json::JsonStr;
use crate::token_response::TokenResponse;

use super::storage::{Storage, Text};

/// Capacity of `token_type`.
pub const TOKEN_TYPE_CAPACITY: usize = 32;
/// Capacity of each extra (`instance_url`, `id`, `scope`).
pub const EXTRA_CAPACITY: usize = 512;

/// A credential to use: the access token (or the self-signed JWT) and what
/// came with it. `Debug` redacts the token.
#[derive(Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Credential<'s> {
    /// The bearer secret to send (`Authorization: <token_type> <token>`).
    pub token: &'s str,
    /// `token_type` (`Bearer` when the response named none).
    pub token_type: &'s str,
    /// When it expires (seconds since 1970).
    pub expires_at: i64,
    /// From when it is due for refresh: `expires_at` minus the session's
    /// refresh-ahead (with its per-process spread, clamped to half the
    /// token's lifetime). Arm a timer for this moment.
    pub refresh_at: i64,
    /// When it was stored (the caller's `now` then).
    pub stored_at: i64,
    /// Salesforce `instance_url` (the API base URL).
    pub instance_url: Option<&'s str>,
    /// Salesforce `id` (identity URL).
    pub id: Option<&'s str>,
    /// The granted `scope`.
    pub scope: Option<&'s str>,
}

crate::secret::debug_redacted!(Credential<'_> {
    token: secret,
    token_type,
    expires_at,
    refresh_at,
    stored_at,
    instance_url,
    id,
    scope,
});

/// The extras of a credential to store (from a record, or none for a
/// self-minted JWT), as validated JSON strings.
#[derive(Clone, Copy, Default)]
pub(crate) struct Parts<'a> {
    pub(crate) token_type: Option<JsonStr<'a>>,
    pub(crate) instance_url: Option<JsonStr<'a>>,
    pub(crate) id: Option<JsonStr<'a>>,
    pub(crate) scope: Option<JsonStr<'a>>,
    pub(crate) refresh_token: Option<JsonStr<'a>>,
}

/// Owned credential storage, at most `T` bytes each for the access and
/// refresh tokens, in buffers of `S` (inline or heap). Zeroized on replace
/// and drop; `Debug` is on the session.
pub(crate) struct Stored<const T: usize, S: Storage> {
    pub(crate) token: TokenCache<T, S::Text<T>>,
    token_type: S::Text<TOKEN_TYPE_CAPACITY>,
    instance_url: S::Text<EXTRA_CAPACITY>,
    id: S::Text<EXTRA_CAPACITY>,
    scope: S::Text<EXTRA_CAPACITY>,
    refresh: S::Text<T>,
    /// Refresh this many seconds before expiry (with the spread), clamped
    /// per token to half its lifetime.
    ahead: i64,
}

impl<const T: usize, S: Storage> Drop for Stored<T, S> {
    fn drop(&mut self) {
        self.refresh.wipe();
    }
}

/// Decodes `src` into `dst` (wiped first); `TokenTooLong` when it does not fit.
fn copy_json<X: Text>(src: JsonStr<'_>, dst: &mut X) -> Result<()> {
    let len = src.decoded_len();
    dst.set(len, src.chars()).map_err(|_| Error::TokenTooLong {
        len,
        capacity: X::CAPACITY,
    })
}

fn copy_opt<X: Text>(src: Option<JsonStr<'_>>, dst: &mut X) -> Result<()> {
    match src {
        Some(s) => copy_json(s, dst),
        None => {
            dst.wipe();
            Ok(())
        }
    }
}

fn opt(s: &str) -> Option<&str> {
    (!s.is_empty()).then_some(s)
}

impl<const T: usize, S: Storage> Stored<T, S> {
    pub(crate) fn new(session_lifetime: i64, ahead: i64) -> Self {
        let cache = TokenCache::new(0);
        Self {
            token: if session_lifetime > 0 {
                cache.with_session_lifetime(session_lifetime)
            } else {
                cache
            },
            token_type: Default::default(),
            instance_url: Default::default(),
            id: Default::default(),
            scope: Default::default(),
            refresh: Default::default(),
            ahead,
        }
    }

    /// Stores a success response received at `now` (into an empty scratch
    /// slot: the session swaps it in only when it is whole and valid);
    /// returns the expiry. The refresh token is the response's (none when
    /// it has none: see [`Stored::keep_refresh_of`]). Cleared on error.
    pub(crate) fn store_response(&mut self, r: &TokenResponse<'_>, now: i64) -> Result<i64> {
        let result = self.store_response_inner(r, now);
        if result.is_err() {
            self.clear();
        }
        result
    }

    fn store_response_inner(&mut self, r: &TokenResponse<'_>, now: i64) -> Result<i64> {
        let expires_at = self.token.store_response(r, now)?;
        let refresh = Some(r.refresh_token);
        self.store_parts(
            &Parts {
                token_type: r.token_type,
                instance_url: r.instance_url,
                id: r.id,
                scope: r.scope,
                refresh_token: None,
            },
            refresh,
        )?;
        Ok(expires_at)
    }

    /// Copies the extras; `refresh: None` leaves the refresh token as it is.
    fn store_parts(&mut self, p: &Parts<'_>, refresh: Option<Option<JsonStr<'_>>>) -> Result<()> {
        copy_opt(p.token_type, &mut self.token_type)?;
        copy_opt(p.instance_url, &mut self.instance_url)?;
        copy_opt(p.id, &mut self.id)?;
        copy_opt(p.scope, &mut self.scope)?;
        if let Some(rt) = refresh {
            copy_opt(rt, &mut self.refresh)?;
        }
        Ok(())
    }

    /// Stores a token with a known expiry (a self-minted JWT, or a record):
    /// `token` must be plain text (tokens never need JSON escapes).
    pub(crate) fn store(
        &mut self,
        token: &str,
        now: i64,
        expires_at: i64,
        parts: &Parts<'_>,
    ) -> Result<()> {
        let result = self
            .token
            .store(token, now, expires_at)
            .and_then(|()| self.store_parts(parts, Some(parts.refresh_token)));
        if result.is_err() {
            self.clear();
        }
        result
    }

    /// Keeps `old`'s refresh token when this slot got none (a refresh
    /// grant's answer without a new refresh token, RFC 6749 §6).
    pub(crate) fn keep_refresh_of(&mut self, old: &Self) -> Result<()> {
        let old = old.refresh.as_str();
        if self.refresh.as_str().is_empty() && !old.is_empty() {
            self.refresh
                .set(old.len(), old.chars())
                .map_err(|_| Error::TokenTooLong {
                    len: old.len(),
                    capacity: T,
                })?;
        }
        Ok(())
    }

    /// The stored access token's text (empty when none).
    pub(crate) fn token_text(&self) -> Option<&str> {
        let (stored_at, _) = self.times()?;
        match self.token.get(stored_at) {
            crate::cache::TokenState::Valid(t) | crate::cache::TokenState::RefreshAhead(t) => {
                Some(t)
            }
            _ => None,
        }
    }

    /// Forgets the access token (keeps the refresh token).
    pub(crate) fn clear_token(&mut self) {
        self.token.clear();
    }

    /// Forgets everything.
    pub(crate) fn clear(&mut self) {
        self.token.clear();
        self.refresh.wipe();
        self.token_type.wipe();
        self.instance_url.wipe();
        self.id.wipe();
        self.scope.wipe();
    }

    /// Keeps only `refresh` (from a record whose access token expired):
    /// the access token and extras are forgotten.
    pub(crate) fn adopt_refresh(&mut self, refresh: JsonStr<'_>) -> Result<()> {
        let len = refresh.decoded_len();
        if len > T {
            return Err(Error::TokenTooLong { len, capacity: T });
        }
        self.clear();
        copy_json(refresh, &mut self.refresh)
    }

    /// Forgets the refresh token (rejected).
    pub(crate) fn drop_refresh(&mut self) {
        self.refresh.wipe();
    }

    /// The refresh token, if any.
    pub(crate) fn refresh(&self) -> Option<&str> {
        opt(self.refresh.as_str())
    }

    /// `(stored_at, expires_at)` when a token is stored.
    pub(crate) fn times(&self) -> Option<(i64, i64)> {
        Some((self.token.stored_at()?, self.token.expires_at()?))
    }

    /// Whether a token is stored and `now` is before its expiry.
    pub(crate) fn valid_at(&self, now: i64) -> bool {
        self.times().is_some_and(|(_, exp)| now < exp)
    }

    /// When the token `(stored, exp)` is due: `ahead` seconds before
    /// expiry, clamped to half its lifetime.
    fn refresh_at(&self, stored: i64, exp: i64) -> i64 {
        let half = exp.saturating_sub(stored) / 2;
        exp.saturating_sub(self.ahead.min(half).max(0))
    }

    /// Whether the token should be replaced at `now`: none, expired, at or
    /// past its refresh moment, or stored in the future (the clock went
    /// backwards).
    pub(crate) fn due_at(&self, now: i64) -> bool {
        let Some((stored, exp)) = self.times() else {
            return true;
        };
        now < stored || now >= self.refresh_at(stored, exp)
    }

    /// The credential, whatever its time (the caller checks validity).
    pub(crate) fn view(&self) -> Option<Credential<'_>> {
        let (stored_at, expires_at) = self.times()?;
        let token = match self.token.get(stored_at) {
            crate::cache::TokenState::Valid(t) | crate::cache::TokenState::RefreshAhead(t) => t,
            _ => return None,
        };
        Some(Credential {
            token,
            token_type: opt(self.token_type.as_str()).unwrap_or("Bearer"),
            expires_at,
            refresh_at: self.refresh_at(stored_at, expires_at),
            stored_at,
            instance_url: opt(self.instance_url.as_str()),
            id: opt(self.id.as_str()),
            scope: opt(self.scope.as_str()),
        })
    }
}
