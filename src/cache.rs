//! The session's access-token slot (crate-internal; the public caching
//! layers are the session, `session::Session` / `session::Sessions`, the
//! Rust sources in `client`, and the C session and `jwtmint_sessions`). No
//! allocation (`heapless`), no clock: the caller passes `now` (seconds since
//! 1970).
//!
//! Expiry comes, in this order, from the response's `expires_in`, from the
//! `exp` of the access token itself when it is a JWT (parsed **without**
//! verification — it is only used to schedule a refresh), or from a
//! configured session lifetime (Salesforce returns no expiry; its session
//! timeout is an org setting). All arithmetic saturates.
//!
//! [`TokenCache::get`] says:
//! - [`TokenState::Empty`]: nothing stored — fetch a token;
//! - [`TokenState::Valid`]: use it;
//! - [`TokenState::RefreshAhead`]: still valid, but within `refresh_skew`
//!   seconds of expiry — use it and refresh now. Also returned when the
//!   clock has gone **backwards** past the time the token was stored: its
//!   remaining lifetime can no longer be trusted;
//! - [`TokenState::Expired`]: at or past expiry — do not send it.

use heapless::String;

use crate::error::{Error, Result};
use crate::session::storage::Text;
use crate::token_response::TokenResponse;

/// What [`TokenCache::get`] found. `Debug` shows the token's length, never
/// the token.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum TokenState<'c> {
    /// No token stored.
    Empty,
    /// The token is valid and not yet due for refresh.
    Valid(&'c str),
    /// The token is still valid but should be refreshed now (within the
    /// skew of expiry, or the clock went backwards).
    RefreshAhead(&'c str),
    /// The token has expired.
    Expired,
}

impl core::fmt::Debug for TokenState<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            TokenState::Empty => f.write_str("Empty"),
            TokenState::Valid(t) => write!(f, "Valid(<redacted, {} bytes>)", t.len()),
            TokenState::RefreshAhead(t) => {
                write!(f, "RefreshAhead(<redacted, {} bytes>)", t.len())
            }
            TokenState::Expired => f.write_str("Expired"),
        }
    }
}

/// Access token + expiry, in at most `N` bytes of storage `X` (inline by
/// default; see [`Storage`](crate::session::Storage)).
///
/// The token is a bearer secret: `Debug` redacts it, and its whole storage
/// is zeroized when it is replaced, cleared or dropped.
pub struct TokenCache<const N: usize, X: Text = String<N>> {
    token: X,
    stored_at: i64,
    expires_at: i64,
    refresh_skew: i64,
    session_lifetime: Option<i64>,
}

impl<const N: usize, X: Text> core::fmt::Debug for TokenCache<N, X> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("TokenCache")
            .field("token_len", &self.token.as_str().len())
            .field("stored_at", &self.stored_at)
            .field("expires_at", &self.expires_at)
            .field("refresh_skew", &self.refresh_skew)
            .field("session_lifetime", &self.session_lifetime)
            .finish()
    }
}

impl<const N: usize, X: Text> Drop for TokenCache<N, X> {
    fn drop(&mut self) {
        self.token.wipe();
    }
}

impl<const N: usize, X: Text> Default for TokenCache<N, X> {
    fn default() -> Self {
        Self::new(0)
    }
}

impl<const N: usize, X: Text> TokenCache<N, X> {
    /// An empty cache that reports `RefreshAhead` `refresh_skew` seconds
    /// before expiry (negative values count as 0).
    pub fn new(refresh_skew: i64) -> Self {
        Self {
            token: X::default(),
            stored_at: 0,
            expires_at: 0,
            refresh_skew: if refresh_skew < 0 { 0 } else { refresh_skew },
            session_lifetime: None,
        }
    }

    /// Lifetime to assume when a response carries no expiry and the token is
    /// not a JWT (Salesforce: the org's session timeout, e.g. 2 h = 7200).
    #[must_use]
    pub fn with_session_lifetime(mut self, seconds: i64) -> Self {
        self.session_lifetime = Some(seconds);
        self
    }

    /// Stores `token`, valid until `expires_at`, obtained at `now`.
    ///
    /// # Errors
    /// `TokenTooLong` when the token does not fit `N` bytes (the cache is
    /// left empty).
    pub fn store(&mut self, token: &str, now: i64, expires_at: i64) -> Result<()> {
        self.token
            .set(token.len(), token.chars())
            .map_err(|_| Error::TokenTooLong {
                len: token.len(),
                capacity: N.min(X::CAPACITY),
            })?;
        self.stored_at = now;
        self.expires_at = expires_at;
        Ok(())
    }

    /// Stores the access token of a success response received at `now` and
    /// returns the expiry it computed (see the module docs for the order).
    ///
    /// # Errors
    /// `NotATokenResponse` for an error response; `MissingClaim { claim:
    /// "expires_in" }` when no expiry can be found; `TokenTooLong`.
    pub fn store_response(&mut self, response: &TokenResponse<'_>, now: i64) -> Result<i64> {
        let token = response.access_token.ok_or(Error::NotATokenResponse)?;
        // Decode escapes (`\/` is legal JSON) straight into the cache.
        let len = token.decoded_len();
        self.token
            .set(len, token.chars())
            .map_err(|_| Error::TokenTooLong {
                len,
                capacity: N.min(X::CAPACITY),
            })?;
        let expires_at = if let Some(secs) = response.expires_in {
            now.saturating_add(i64::try_from(secs).unwrap_or(i64::MAX))
        } else if let Some(exp) = jwt_exp::<N>(self.token.as_str()) {
            exp
        } else if let Some(life) = self.session_lifetime {
            now.saturating_add(life)
        } else {
            self.token.wipe();
            return Err(Error::MissingClaim {
                claim: "expires_in",
            });
        };
        self.stored_at = now;
        self.expires_at = expires_at;
        Ok(expires_at)
    }

    /// The token's state at `now`.
    pub fn get(&self, now: i64) -> TokenState<'_> {
        let token = self.token.as_str();
        if token.is_empty() {
            return TokenState::Empty;
        }
        if now >= self.expires_at {
            return TokenState::Expired;
        }
        if now < self.stored_at || now >= self.expires_at.saturating_sub(self.refresh_skew) {
            return TokenState::RefreshAhead(token);
        }
        TokenState::Valid(token)
    }

    /// The computed expiry, if a token is stored.
    pub fn expires_at(&self) -> Option<i64> {
        (!self.token.as_str().is_empty()).then_some(self.expires_at)
    }

    /// When the stored token was stored (the `now` given then), if one is.
    pub fn stored_at(&self) -> Option<i64> {
        (!self.token.as_str().is_empty()).then_some(self.stored_at)
    }

    /// Forgets the token (e.g. after a 401), zeroizing its storage.
    pub fn clear(&mut self) {
        self.token.wipe();
    }
}

#[cfg(all(test, feature = "alloc"))]
impl<const N: usize> TokenCache<N, String<N>> {
    /// Test-only: the first `len` (at most `N`) bytes of the token storage,
    /// whatever `len()` says, to see that wiped bytes are zero.
    /// `len` bytes must have been written by an earlier store.
    #[allow(unsafe_code)]
    pub(crate) fn raw_storage(&self, len: usize) -> alloc::vec::Vec<u8> {
        let len = len.min(N);
        // SAFETY: the storage is `N` inline bytes of `self`, alive; the first
        // `len` were initialised by an earlier store (and stay initialised:
        // zeroize writes zeros).
        unsafe { core::slice::from_raw_parts(self.token.as_ptr(), len) }.to_vec()
    }
}

/// `exp` of a JWT access token, read without verification. The decoded copy
/// (the token's claims and signature) is zeroized before returning.
fn jwt_exp<const N: usize>(token: &str) -> Option<i64> {
    let mut buf = zeroize::Zeroizing::new([0u8; N]);
    crate::parse::parse_jwt(token.as_bytes(), &mut *buf)
        .ok()
        .and_then(|jwt| jwt.claims.exp)
}

#[cfg(all(test, feature = "alloc"))]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
// Test-only: reading the token storage behind `len()` is the only way to
// see that the bytes were wiped.
#[allow(unsafe_code)]
mod tests {
    use super::*;

    const SECRET: &str = "ya29.secret-bearer-token";

    fn storage<const N: usize>(c: &TokenCache<N>, len: usize) -> alloc::vec::Vec<u8> {
        c.raw_storage(len)
    }

    #[test]
    fn debug_redacts_the_token() {
        let mut c: TokenCache<64> = TokenCache::new(0);
        c.store(SECRET, 0, 100).unwrap();
        let d = alloc::format!("{c:?}");
        assert!(!d.contains("secret"), "{d}");
        assert!(d.contains("token_len: 24"), "{d}");
        let s = alloc::format!("{:?}", c.get(1));
        assert_eq!(s, "Valid(<redacted, 24 bytes>)");
        let s = alloc::format!("{:?}", c.get(100));
        assert_eq!(s, "Expired");
    }

    #[test]
    fn clear_and_replace_zeroize_the_storage() {
        let mut c: TokenCache<64> = TokenCache::new(0);
        c.store(SECRET, 0, 100).unwrap();
        c.clear();
        assert_eq!(c.get(1), TokenState::Empty);
        assert_eq!(storage(&c, SECRET.len()), [0u8; SECRET.len()]);
        // A shorter token leaves no tail of the longer one.
        c.store(SECRET, 0, 100).unwrap();
        c.store("ab", 0, 100).unwrap();
        let s = storage(&c, SECRET.len());
        assert_eq!(&s[..2], b"ab");
        assert!(s[2..].iter().all(|&b| b == 0), "{s:?}");
        // A failed store (too long) leaves nothing either.
        c.store(SECRET, 0, 100).unwrap();
        assert!(c.store(&"x".repeat(65), 0, 100).is_err());
        assert!(storage(&c, SECRET.len()).iter().all(|&b| b == 0));
    }

    #[test]
    fn drop_zeroizes_the_storage() {
        let mut slot = core::mem::ManuallyDrop::new(TokenCache::<64>::new(0));
        slot.store(SECRET, 0, 100).unwrap();
        let p = slot.token.as_ptr();
        // SAFETY: dropped once, never used again; the bytes stay readable
        // because `slot` itself (its stack memory) is still alive.
        unsafe { core::mem::ManuallyDrop::drop(&mut slot) };
        // SAFETY: `p` points into `slot`'s inline storage, still allocated.
        let after = unsafe { core::slice::from_raw_parts(p, SECRET.len()) };
        assert!(after.iter().all(|&b| b == 0), "{after:?}");
    }

    fn resp(body: &str) -> TokenResponse<'_> {
        TokenResponse::parse(body.as_bytes()).unwrap()
    }

    #[test]
    fn states_and_skew_edges() {
        let mut c: TokenCache<64> = TokenCache::new(60);
        assert_eq!(c.get(0), TokenState::Empty);
        assert_eq!(c.expires_at(), None);
        assert_eq!(
            c.store_response(&resp(r#"{"access_token":"tok","expires_in":3600}"#), 1000),
            Ok(4600)
        );
        assert_eq!(c.get(1000), TokenState::Valid("tok"));
        assert_eq!(c.get(4539), TokenState::Valid("tok"));
        assert_eq!(c.get(4540), TokenState::RefreshAhead("tok")); // exactly skew before expiry
        assert_eq!(c.get(4599), TokenState::RefreshAhead("tok"));
        assert_eq!(c.get(4600), TokenState::Expired); // at exp: expired
        assert_eq!(c.get(i64::MAX), TokenState::Expired);
        // Skew larger than the lifetime: refresh-ahead from the start.
        let mut c: TokenCache<64> = TokenCache::new(10_000);
        c.store_response(&resp(r#"{"access_token":"t","expires_in":60}"#), 0)
            .unwrap();
        assert_eq!(c.get(0), TokenState::RefreshAhead("t"));
        // expires_in 0: expired immediately.
        c.store_response(&resp(r#"{"access_token":"t","expires_in":0}"#), 5)
            .unwrap();
        assert_eq!(c.get(5), TokenState::Expired);
        // Negative skew counts as 0.
        let mut c: TokenCache<64> = TokenCache::new(-5);
        c.store("t", 0, 10).unwrap();
        assert_eq!(c.get(9), TokenState::Valid("t"));
        c.clear();
        assert_eq!(c.get(9), TokenState::Empty);
    }

    #[test]
    fn overflow_saturates() {
        let mut c: TokenCache<64> = TokenCache::new(i64::MAX);
        // expires_in beyond i64 and now near i64::MAX: saturate, never wrap.
        let body = alloc::format!(r#"{{"access_token":"t","expires_in":{}}}"#, u64::MAX);
        assert_eq!(c.store_response(&resp(&body), i64::MAX - 5), Ok(i64::MAX));
        assert_eq!(c.get(i64::MAX - 5), TokenState::RefreshAhead("t"));
        assert_eq!(c.get(i64::MAX), TokenState::Expired);
        let mut c: TokenCache<64> = TokenCache::new(30).with_session_lifetime(i64::MAX);
        assert_eq!(
            c.store_response(&resp(r#"{"access_token":"t"}"#), 100),
            Ok(i64::MAX)
        );
        assert_eq!(c.get(i64::MIN), TokenState::RefreshAhead("t")); // clock far in the past
        let mut c: TokenCache<64> = TokenCache::new(30);
        c.store("t", i64::MIN, i64::MIN + 10).unwrap();
        assert_eq!(c.get(i64::MIN), TokenState::RefreshAhead("t"));
    }

    #[test]
    fn clock_going_backwards() {
        let mut c: TokenCache<64> = TokenCache::new(60);
        c.store_response(&resp(r#"{"access_token":"t","expires_in":3600}"#), 10_000)
            .unwrap();
        assert_eq!(c.get(10_001), TokenState::Valid("t"));
        // The clock steps back before the time we stored the token: its
        // remaining lifetime can't be trusted any more -> use it, but refresh.
        assert_eq!(c.get(9_999), TokenState::RefreshAhead("t"));
        assert_eq!(c.get(0), TokenState::RefreshAhead("t"));
        // A refresh at the earlier clock re-anchors.
        c.store_response(&resp(r#"{"access_token":"u","expires_in":3600}"#), 5_000)
            .unwrap();
        assert_eq!(c.get(5_000), TokenState::Valid("u"));
    }

    #[test]
    fn expiry_sources() {
        // 1. JWT access token without expires_in: its exp (read unverified).
        let jwt = "eyJhbGciOiJSUzI1NiJ9.eyJleHAiOjIwMDB9.c2ln"; // {"exp":2000}
        let body = alloc::format!(r#"{{"access_token":"{jwt}","token_type":"Bearer"}}"#);
        let mut c: TokenCache<256> = TokenCache::new(0);
        assert_eq!(c.store_response(&resp(&body), 1000), Ok(2000));
        assert_eq!(c.get(1999), TokenState::Valid(jwt));
        // expires_in wins over the JWT's exp.
        let body = alloc::format!(r#"{{"access_token":"{jwt}","expires_in":10}}"#);
        assert_eq!(c.store_response(&resp(&body), 1000), Ok(1010));
        // 2. Salesforce: opaque token, no expiry -> session lifetime.
        let sf = r#"{"access_token":"00Dxx0000001gPL!AR8AQJXg5oj8jXSgxJfA0lBog.39AsX.LVpxezPwuX5VAIrrbbHMuol7GQxnMeYMN7cj8EoWr78nt1u44zU31IbYNNJguseu","scope":"web openid api id","instance_url":"https://yourInstance.salesforce.com","id":"https://login.salesforce.com/id/00Dxx0000001gPLEAY/005xx000001SwiUAAS","token_type":"Bearer"}"#;
        let mut c: TokenCache<256> = TokenCache::new(300).with_session_lifetime(7200);
        assert_eq!(
            c.store_response(&resp(sf), 1_700_000_000),
            Ok(1_700_007_200)
        );
        assert!(matches!(c.get(1_700_000_001), TokenState::Valid(t) if t.starts_with("00Dxx")));
        assert!(matches!(c.get(1_700_006_900), TokenState::RefreshAhead(_)));
        // 3. Nothing: refused, cache stays empty.
        let mut c: TokenCache<256> = TokenCache::new(0);
        assert_eq!(
            c.store_response(&resp(sf), 0),
            Err(Error::MissingClaim {
                claim: "expires_in"
            })
        );
        assert_eq!(c.get(0), TokenState::Empty);
        // Error responses are not stored.
        let e = resp(r#"{"error":"invalid_grant"}"#);
        assert_eq!(c.store_response(&e, 0), Err(Error::NotATokenResponse));
        // Escaped access token is stored decoded.
        let mut c: TokenCache<16> = TokenCache::new(0);
        c.store_response(&resp(r#"{"access_token":"a\/b","expires_in":5}"#), 0)
            .unwrap();
        assert_eq!(c.get(0), TokenState::Valid("a/b"));
        // Too long for the capacity.
        let long = alloc::format!(r#"{{"access_token":"{}","expires_in":5}}"#, "x".repeat(17));
        assert_eq!(
            c.store_response(&resp(&long), 0),
            Err(Error::TokenTooLong {
                len: 17,
                capacity: 16
            })
        );
        assert_eq!(c.get(0), TokenState::Empty);
        assert_eq!(
            c.store(&"y".repeat(17), 0, 5),
            Err(Error::TokenTooLong {
                len: 17,
                capacity: 16
            })
        );
    }
}
