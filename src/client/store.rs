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

impl core::fmt::Debug for StoredRecord {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("StoredRecord")
            .field(
                "record",
                &format_args!("<redacted, {} bytes>", self.record.len()),
            )
            .field("stored_at", &self.stored_at)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

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
