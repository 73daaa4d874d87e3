//! [`SealedStore`] (features `client` + `seal`): any [`Store`] with its
//! records sealed at rest — AES-256-GCM under a [`SealKey`] with the store
//! key (the session identity, hex) as associated data. The file or Redis
//! value holds no token bytes; a record copied under another identity, or
//! altered, or sealed under another key does not open and is **absent**
//! (`Ok(None)`: the caller fetches a fresh token), never an error that
//! stops the caller. Locks pass through unchanged.

#[allow(unused_imports)]
use std::prelude::rust_2024::*;

use std::time::Duration;

use crate::seal::SealKey;

use super::error::ClientError;
use super::store::{LockToken, SaveOutcome, SaveRequest, Store, StoredRecord};

/// A store whose records are sealed with `key`. `Debug` redacts the key.
#[derive(Debug)]
pub struct SealedStore<S> {
    inner: S,
    key: SealKey,
}

impl<S: Store> SealedStore<S> {
    /// Seals every record `inner` keeps with `key`.
    pub const fn new(inner: S, key: SealKey) -> Self {
        Self { inner, key }
    }

    /// The wrapped store.
    pub const fn inner(&self) -> &S {
        &self.inner
    }
}

impl<S: Store> SealedStore<S> {
    fn seal(&self, key: &str, record: &[u8]) -> Result<zeroize::Zeroizing<Vec<u8>>, ClientError> {
        self.key
            .seal(key.as_bytes(), record)
            .map(zeroize::Zeroizing::new)
            .map_err(|e| ClientError::StoreBackend {
                store: "seal",
                reason: e.to_string(),
            })
    }
}

impl<S: Store> Store for SealedStore<S> {
    fn load(&self, key: &str, now: i64) -> Result<Option<StoredRecord>, ClientError> {
        let Some(sealed) = self.inner.load(key, now)? else {
            return Ok(None);
        };
        // Another identity, another key, tampered, or not sealed: absent.
        Ok(self
            .key
            .open(key.as_bytes(), &sealed.record)
            .ok()
            .map(|record| StoredRecord {
                record,
                stored_at: sealed.stored_at,
                expires_at: sealed.expires_at,
            }))
    }

    fn save(&self, key: &str, record: &[u8], expires_at: i64, now: i64) -> Result<(), ClientError> {
        let sealed = self.seal(key, record)?;
        self.inner.save(key, &sealed, expires_at, now)
    }

    fn try_lock(&self, key: &str, ttl: Duration) -> Result<Option<LockToken>, ClientError> {
        self.inner.try_lock(key, ttl)
    }

    fn unlock(&self, key: &str, token: &LockToken) -> Result<(), ClientError> {
        self.inner.unlock(key, token)
    }

    // The fleet protocol is the inner store's: fencing, renewal and
    // wake-ups must survive sealing.
    fn renew_lock(&self, key: &str, token: &LockToken, ttl: Duration) -> Result<bool, ClientError> {
        self.inner.renew_lock(key, token, ttl)
    }

    fn save_and_unlock(&self, save: SaveRequest<'_>) -> Result<SaveOutcome, ClientError> {
        let sealed = match self.seal(save.key, save.record) {
            Ok(s) => s,
            Err(e) => {
                if let Some(lock) = save.lock {
                    self.inner.unlock(save.key, lock)?;
                }
                return Err(e);
            }
        };
        self.inner.save_and_unlock(SaveRequest {
            record: &sealed,
            ..save
        })
    }

    fn save_mark(&self, key: &str) -> u64 {
        self.inner.save_mark(key)
    }

    fn wait_for_save(&self, key: &str, mark: u64, timeout: Duration) -> bool {
        self.inner.wait_for_save(key, mark, timeout)
    }
}
