//! Shared token stores: where a fetched credential is kept so that other
//! processes (or hosts) use it instead of exchanging their own assertion,
//! and the lock that makes exactly one of them fetch.
//!
//! A store keeps opaque **records** (the session core's encoded credential
//! bytes — one codec, in the core; a store never parses them) under a
//! **key**: the session identity as 64 lower-case hex characters (SHA-256
//! over everything that changes the grant). Implementations: the cache file
//! ([`super::file_store::FileStore`]); Redis (feature `redis`).
//!
//! Protocol used by the token source (and the CLI):
//! 1. `load(key, now)` — a record that has not expired: use it.
//! 2. else `try_lock(key, ttl)` — `Some(lock)`: this caller fetches, then
//!    `save(key, record, expires_at, now)` and `unlock(key, lock)`.
//!    `None`: another process fetches; poll `load` until the record
//!    appears, or `try_lock` again (a crashed fetcher's lock expires after
//!    its TTL, so someone else takes over).
//! 3. A failed `save` never loses the token: the caller uses it and warns.
//! 4. When the API refuses a token (401) the source calls
//!    `remove_if_holds(key, sha256(token))`: the shared record goes only if
//!    it still holds that very token (a peer may have saved a new one).
//!
//! Fleet protocol (issue 21 §6; provided methods, so a store without the
//! need keeps the defaults):
//! - `renew_lock` extends a held lock while the fetch runs (owner-checked);
//! - `save_and_unlock` saves only over an older record and, given the
//!   fetch lock, only while that lock is still held (fencing), then
//!   releases it; a lost lock means the save is discarded (the caller
//!   still uses its token);
//! - `save_mark` / `wait_for_save` let a waiter sleep until the holder
//!   saves instead of polling;
//! - `remove_if_holds` deletes the record only while it still holds a
//!   given token (`invalidate`).
//!
//! A store that wraps another (a decorator) must forward these methods
//! too: the defaults would silently drop the inner store's fencing and
//! wake-ups (`SealedStore` forwards them).

#[allow(unused_imports)]
use std::prelude::rust_2024::*;
#[allow(unused_imports)]
use std::{format, vec};

use std::time::Duration;

use zeroize::Zeroizing;

use super::error::ClientError;

/// A record read back from a store.
#[derive(Clone, PartialEq, Eq)]
pub struct StoredRecord {
    /// The record bytes exactly as saved (wiped on drop).
    pub record: Zeroizing<Vec<u8>>,
    /// When it was saved (the `now` given to `save`).
    pub stored_at: i64,
    /// Expiry given to `save` (seconds since 1970).
    pub expires_at: i64,
}

impl StoredRecord {
    /// Whether a token source should adopt this record at `now` rather than
    /// fetch: stored in the past and not yet within `refresh_ahead` seconds
    /// of expiry (clamped to half its lifetime, the session core's rule).
    pub fn is_fresh(&self, now: i64, refresh_ahead: i64) -> bool {
        let half = self.expires_at.saturating_sub(self.stored_at) / 2;
        let ahead = refresh_ahead.min(half).max(0);
        now >= self.stored_at && now < self.expires_at.saturating_sub(ahead)
    }
}

crate::secret::debug_redacted!(StoredRecord {
    record: secret,
    stored_at,
    expires_at,
});

/// Proof of holding a store lock: a random value only the holder knows, so
/// an unlock after the TTL never releases a lock someone else took since.
#[derive(Clone, PartialEq, Eq)]
pub struct LockToken(String);

impl LockToken {
    /// A fresh random token (128 bits, hex).
    ///
    /// # Errors
    /// `StoreBackend` when the OS RNG fails.
    pub fn random() -> Result<Self, ClientError> {
        let mut b = [0u8; 16];
        getrandom::fill(&mut b).map_err(|e| ClientError::StoreBackend {
            store: "lock",
            reason: format!("no randomness for a lock token: {e}"),
        })?;
        Ok(Self(b.iter().map(|x| format!("{x:02x}")).collect()))
    }

    /// A token with a given value (stores that read one back).
    pub const fn from_string(value: String) -> Self {
        Self(value)
    }

    /// The token's text (stored beside the lock).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl core::fmt::Debug for LockToken {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("LockToken(..)")
    }
}

/// A shared token store. Every method is blocking and thread-safe; errors
/// are precise [`ClientError`]s (`StoreIo`, `StoreUntrusted`,
/// `StoreCorrupt`, `StoreBackend`) that never contain record bytes.
pub trait Store: Send + Sync {
    /// The record stored under `key`, when there is one whose `expires_at`
    /// is after `now`. A record for another key, or expired, is `Ok(None)`.
    ///
    /// # Errors
    /// When the store cannot be read or holds something it did not write.
    fn load(&self, key: &str, now: i64) -> Result<Option<StoredRecord>, ClientError>;

    /// Stores `record` under `key` until `expires_at` (the store keeps it at
    /// most `expires_at - now` seconds; it may drop it earlier).
    ///
    /// # Errors
    /// When the record cannot be written; the previous record (if any) is
    /// left whole, never half-written.
    fn save(&self, key: &str, record: &[u8], expires_at: i64, now: i64) -> Result<(), ClientError>;

    /// Takes the fetch lock for `key` for at most `ttl`: `Some(token)` when
    /// taken, `None` when another holder has it (and its TTL has not run out).
    ///
    /// # Errors
    /// When the store cannot be reached.
    fn try_lock(&self, key: &str, ttl: Duration) -> Result<Option<LockToken>, ClientError>;

    /// Releases the lock taken with `token`; a lock that expired and was
    /// taken by someone else is left alone (`Ok`).
    ///
    /// # Errors
    /// When the store cannot be reached.
    fn unlock(&self, key: &str, token: &LockToken) -> Result<(), ClientError>;

    /// Extends the lock taken with `token` to `ttl` from now, only while it
    /// is still held with that token: `Ok(false)` when it was lost (expired,
    /// taken by someone else). Default: `Ok(true)`, for stores whose locks
    /// never expire while their holder lives (the file store's `flock`).
    ///
    /// # Errors
    /// When the store cannot be reached.
    fn renew_lock(&self, key: &str, token: &LockToken, ttl: Duration) -> Result<bool, ClientError> {
        let _ = (key, token, ttl);
        Ok(true)
    }

    /// Saves `record` (as [`Store::save`]) unless the store holds a newer
    /// one, and, with `lock`, only while that lock is still held (fencing);
    /// then releases `lock` when it was held. Stores with expiring locks
    /// must do the check and the write in one atomic step. Default: `save`
    /// then `unlock` (right for locks that cannot expire under a live
    /// holder and a single writer at a time).
    ///
    /// # Errors
    /// When the store cannot be reached or written; the lock may then still
    /// be held until its TTL.
    fn save_and_unlock(&self, save: SaveRequest<'_>) -> Result<SaveOutcome, ClientError> {
        let saved = self.save(save.key, save.record, save.expires_at, save.now);
        if let Some(lock) = save.lock {
            self.unlock(save.key, lock)?;
        }
        saved.map(|()| SaveOutcome::Saved)
    }

    /// A mark of the saves to `key` announced so far, to wait from with
    /// [`Store::wait_for_save`]. Take it before the check that decides to
    /// wait, so a save in between is not missed. Default: 0.
    fn save_mark(&self, key: &str) -> u64 {
        let _ = key;
        0
    }

    /// Blocks until a save (or lock release) to `key` after `mark` was
    /// announced, or at most `timeout`; `true` when woken by one. The
    /// default has no notifications: it sleeps `min(timeout, 25 ms)` and
    /// returns `false` (the caller polls).
    fn wait_for_save(&self, key: &str, mark: u64, timeout: Duration) -> bool {
        let _ = (key, mark);
        std::thread::sleep(timeout.min(Duration::from_millis(25)));
        false
    }

    /// Compare-and-delete after a 401: removes the record under `key` **only
    /// if** it still holds the access token whose SHA-256 is `token_digest`
    /// (decide with [`crate::session::record_holds`] on the record bytes).
    /// Returns whether a record was removed.
    ///
    /// Contract: the check and the delete are one atomic step with respect
    /// to `save` — a record another process saved after the check (a new
    /// token) is never removed; when that cannot be guaranteed (a peer
    /// holds the fetch lock and is about to save), leave the record and
    /// return `Ok(false)`. Records of other keys are never touched. The
    /// default keeps the record (`Ok(false)`): a session never adopts an
    /// invalidated token again anyway, this only spares peers one 401.
    ///
    /// # Errors
    /// When the store cannot be reached.
    fn remove_if_holds(&self, key: &str, token_digest: &[u8; 32]) -> Result<bool, ClientError> {
        let _ = (key, token_digest);
        Ok(false)
    }
}

/// What [`Store::save_and_unlock`] is asked to do: save `record` under
/// `key` (as [`Store::save`]: until `expires_at`, stored at `now`), fenced
/// by and then releasing `lock` when one is held. Named fields, so the two
/// times cannot be swapped unnoticed. No `Debug`: it carries bearer secrets.
#[derive(Clone, Copy)]
pub struct SaveRequest<'a> {
    /// The store key (the session identity).
    pub key: &'a str,
    /// The record bytes exactly as the session encoded them.
    pub record: &'a [u8],
    /// The record's expiry (seconds since 1970).
    pub expires_at: i64,
    /// The time of the save (the record's `stored_at`).
    pub now: i64,
    /// The fetch lock this caller holds, if any.
    pub lock: Option<&'a LockToken>,
}

/// What [`Store::save_and_unlock`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SaveOutcome {
    /// The record was written.
    Saved,
    /// The store holds a newer record: it was kept, ours discarded.
    KeptNewer,
    /// The fetch lock was no longer ours (expired, taken over): nothing
    /// written, so a rotated refresh token a newer holder saved is never
    /// overwritten. The caller still uses the token it got.
    LockLost,
}

/// Whether a record saved at `stored_at` until `expires_at` replaces `old`
/// (saved at `old_stored`, until `old_expires`) at `now`: it was saved
/// later, or in the same second with a later expiry. A record claiming to
/// be saved more than [`FUTURE_SKEW`] seconds after `now` (not something a
/// sane peer wrote) is replaced, so a planted record cannot pin the key.
/// The Redis store runs the same rule in Lua.
pub fn replaces(
    stored_at: i64,
    expires_at: i64,
    old_stored: i64,
    old_expires: i64,
    now: i64,
) -> bool {
    old_stored > now.saturating_add(FUTURE_SKEW)
        || (stored_at, expires_at) > (old_stored, old_expires)
}

/// How far in the future a stored record's `stored_at` may be (clock skew
/// between hosts) before [`replaces`] treats it as untrustworthy.
pub const FUTURE_SKEW: i64 = 60;

/// An in-process [`Store`]: records and TTL locks in memory. Shares one
/// token between token sources of one process (and serves tests and
/// benches); nothing survives the process.
#[derive(Default)]
pub struct MemoryStore {
    records: std::sync::Mutex<std::collections::HashMap<String, StoredRecord>>,
    locks: std::sync::Mutex<std::collections::HashMap<String, (String, std::time::Instant)>>,
}

impl core::fmt::Debug for MemoryStore {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("MemoryStore").finish_non_exhaustive()
    }
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }
}

fn poisoned() -> ClientError {
    ClientError::StoreBackend {
        store: "memory",
        reason: "lock poisoned".into(),
    }
}

impl Store for MemoryStore {
    fn load(&self, key: &str, now: i64) -> Result<Option<StoredRecord>, ClientError> {
        let records = self.records.lock().map_err(|_| poisoned())?;
        Ok(records
            .get(key)
            .filter(|r| r.expires_at > now && r.stored_at <= now)
            .cloned())
    }

    fn save(&self, key: &str, record: &[u8], expires_at: i64, now: i64) -> Result<(), ClientError> {
        self.records.lock().map_err(|_| poisoned())?.insert(
            key.to_owned(),
            StoredRecord {
                record: Zeroizing::new(record.to_vec()),
                stored_at: now,
                expires_at,
            },
        );
        Ok(())
    }

    fn try_lock(&self, key: &str, ttl: Duration) -> Result<Option<LockToken>, ClientError> {
        let mut locks = self.locks.lock().map_err(|_| poisoned())?;
        let now = std::time::Instant::now();
        if locks.get(key).is_some_and(|(_, until)| *until > now) {
            return Ok(None);
        }
        let token = LockToken::random()?;
        locks.insert(key.to_owned(), (token.as_str().to_owned(), now + ttl));
        Ok(Some(token))
    }

    fn unlock(&self, key: &str, token: &LockToken) -> Result<(), ClientError> {
        let mut locks = self.locks.lock().map_err(|_| poisoned())?;
        if locks.get(key).is_some_and(|(t, _)| t == token.as_str()) {
            locks.remove(key);
        }
        Ok(())
    }

    fn renew_lock(&self, key: &str, token: &LockToken, ttl: Duration) -> Result<bool, ClientError> {
        let mut locks = self.locks.lock().map_err(|_| poisoned())?;
        let now = std::time::Instant::now();
        match locks.get_mut(key) {
            Some((t, until)) if t == token.as_str() && *until > now => {
                *until = now + ttl;
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    fn save_and_unlock(&self, save: SaveRequest<'_>) -> Result<SaveOutcome, ClientError> {
        // Lock order: locks, then records (as nowhere else takes both).
        let mut locks = self.locks.lock().map_err(|_| poisoned())?;
        if let Some(lock) = save.lock {
            let held = locks
                .get(save.key)
                .is_some_and(|(t, until)| t == lock.as_str() && *until > std::time::Instant::now());
            if !held {
                return Ok(SaveOutcome::LockLost);
            }
        }
        let mut records = self.records.lock().map_err(|_| poisoned())?;
        let mut outcome = SaveOutcome::Saved;
        if records.get(save.key).is_some_and(|o| {
            !replaces(
                save.now,
                save.expires_at,
                o.stored_at,
                o.expires_at,
                save.now,
            )
        }) {
            outcome = SaveOutcome::KeptNewer;
        } else {
            records.insert(
                save.key.to_owned(),
                StoredRecord {
                    record: Zeroizing::new(save.record.to_vec()),
                    stored_at: save.now,
                    expires_at: save.expires_at,
                },
            );
        }
        // Released after the write: a waiter never sees neither.
        if save.lock.is_some() {
            locks.remove(save.key);
        }
        Ok(outcome)
    }
    fn remove_if_holds(&self, key: &str, token_digest: &[u8; 32]) -> Result<bool, ClientError> {
        let mut records = self.records.lock().map_err(|_| poisoned())?;
        let holds = records
            .get(key)
            .is_some_and(|r| crate::session::record_holds(&r.record, token_digest));
        if holds {
            records.remove(key);
        }
        Ok(holds)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn memory_saves_are_newer_only_and_fenced() {
        let s = MemoryStore::new();
        let ttl = Duration::from_secs(30);
        s.save("k", b"new", 160, 100).unwrap();
        // Older (saved before): kept out, with or without the default path.
        assert_eq!(
            s.save_and_unlock(SaveRequest {
                key: "k",
                record: b"old",
                expires_at: 200,
                now: 99,
                lock: None,
            })
            .unwrap(),
            SaveOutcome::KeptNewer
        );
        assert_eq!(s.load("k", 100).unwrap().unwrap().record.as_slice(), b"new");
        // Fenced: a lock that is not ours writes nothing and stays taken.
        let held = s.try_lock("k", ttl).unwrap().unwrap();
        let stranger = LockToken::from_string("x".into());
        assert_eq!(
            s.save_and_unlock(SaveRequest {
                key: "k",
                record: b"late",
                expires_at: 200,
                now: 101,
                lock: Some(&stranger),
            })
            .unwrap(),
            SaveOutcome::LockLost
        );
        assert!(!s.renew_lock("k", &stranger, ttl).unwrap());
        assert!(s.renew_lock("k", &held, ttl).unwrap());
        assert_eq!(s.try_lock("k", ttl).unwrap(), None);
        // Ours: written and released.
        assert_eq!(
            s.save_and_unlock(SaveRequest {
                key: "k",
                record: b"ours",
                expires_at: 200,
                now: 101,
                lock: Some(&held),
            })
            .unwrap(),
            SaveOutcome::Saved
        );
        assert_eq!(
            s.load("k", 101).unwrap().unwrap().record.as_slice(),
            b"ours"
        );
        assert!(s.try_lock("k", ttl).unwrap().is_some());
        // The rule itself: later save, or same second with later expiry; a
        // record claiming a far-future save is not trusted.
        assert!(replaces(101, 150, 100, 200, 101));
        assert!(replaces(100, 201, 100, 200, 101));
        assert!(!replaces(100, 200, 100, 200, 101));
        assert!(!replaces(99, 300, 100, 200, 101));
        assert!(replaces(99, 300, 101 + FUTURE_SKEW + 1, 200, 101));
    }
}
