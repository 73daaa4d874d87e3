//! The store-lock rules of a fleet (issue 21 §6), kept apart from the
//! token source's threading: how long the fetch lock lives, its renewal
//! while a fetch runs, and how a waiter sleeps until the holder saves.
//!
//! - **TTL**: [`lock_ttl`] covers a whole fetch — connect, request and the
//!   store calls around it ([`STORE_MARGIN`]) — unless configured.
//! - **Renewal**: `Renewal` is a thread started when the fetch request
//!   is sent and stopped (joined) before the save: every third of the TTL it
//!   extends the lock with `Store::renew_lock` (owner-checked), so a slow
//!   endpoint never lets a second process fetch. A thread rather than
//!   renewals between steps because the one long step is the HTTP request
//!   itself; it is one short-lived thread per fetch (once per token
//!   lifetime), the same for the blocking and the async source.
//! - **Fencing** is the store's: the save passes the lock, and a lock that
//!   is no longer ours means the record is not written
//!   (`SaveOutcome::LockLost`).
//! - **Waiting**: `wait_turn` blocks on the store's save announcements
//!   (`Store::wait_for_save`: Redis pub/sub), bounded by [`FALLBACK_POLL`].

#[allow(unused_imports)]
use std::prelude::rust_2024::*;

use std::sync::Arc;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::error::ClientError;
use super::http::HttpConfig;
use super::store::{LockToken, Store};

/// Time allowed for the store calls made under the lock (the load after
/// taking it, the save), on top of the transport's timeouts.
pub const STORE_MARGIN: Duration = Duration::from_secs(5);

/// The longest a waiter sleeps without an announcement before it looks at
/// the store again (a lost message, a holder that died, a store without
/// notifications).
pub const FALLBACK_POLL: Duration = Duration::from_secs(1);

/// The default fetch-lock TTL: connect + request timeouts + [`STORE_MARGIN`].
pub fn lock_ttl(http: &HttpConfig) -> Duration {
    http.connect_timeout
        .saturating_add(http.request_timeout)
        .saturating_add(STORE_MARGIN)
}

/// What a renewal found.
pub(crate) enum RenewProblem {
    /// The lock is no longer ours (expired, taken over): the save will be
    /// refused; the token is still used.
    Lost,
    /// The store could not be reached (the next renewal tries again).
    Failed(ClientError),
}

/// A running renewal of a held lock; stopped and joined on drop.
pub(crate) struct Renewal {
    stop: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Renewal {
    /// Renews `lock` on `key` every `ttl / 3` until dropped; `report` is
    /// told of a lost lock (then the renewal ends) or a failed call.
    pub(crate) fn start(
        store: Arc<dyn Store>,
        key: String,
        lock: LockToken,
        ttl: Duration,
        report: impl Fn(RenewProblem) + Send + 'static,
    ) -> Self {
        let (stop, stopped) = mpsc::channel::<()>();
        let every = (ttl / 3).max(Duration::from_millis(10));
        let thread = std::thread::Builder::new()
            .name("jwtmint-lock-renew".into())
            .spawn(move || {
                loop {
                    match stopped.recv_timeout(every) {
                        Err(RecvTimeoutError::Timeout) => {}
                        _ => return,
                    }
                    match store.renew_lock(&key, &lock, ttl) {
                        Ok(true) => {}
                        Ok(false) => {
                            report(RenewProblem::Lost);
                            return;
                        }
                        Err(e) => report(RenewProblem::Failed(e)),
                    }
                }
            })
            .ok();
        Self {
            stop: Some(stop),
            thread,
        }
    }
}

impl Drop for Renewal {
    fn drop(&mut self) {
        // Closing the channel stops it; joining makes sure no renewal runs
        // after the lock is released by the save.
        drop(self.stop.take());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Sleeps until the store announces a save to `key` after `mark`, or
/// [`FALLBACK_POLL`], never past `until`; `true` when woken by a save.
pub(crate) fn wait_turn(store: &dyn Store, key: &str, mark: u64, until: Instant) -> bool {
    let left = until.saturating_duration_since(Instant::now());
    store.wait_for_save(key, mark, left.min(FALLBACK_POLL))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::client::store::MemoryStore;
    use std::sync::Mutex;

    #[test]
    fn a_renewal_keeps_the_lock_until_dropped_and_reports_a_loss() {
        let store = Arc::new(MemoryStore::new());
        let ttl = Duration::from_millis(150);
        let lock = store.try_lock("k", ttl).unwrap().unwrap();
        let problems = Arc::new(Mutex::new(0u32));
        let p = Arc::clone(&problems);
        let renewal = Renewal::start(store.clone(), "k".into(), lock.clone(), ttl, move |_| {
            *p.lock().unwrap() += 1;
        });
        // Three TTLs later the lock is still ours.
        std::thread::sleep(ttl * 3);
        assert_eq!(store.try_lock("k", ttl).unwrap(), None);
        drop(renewal);
        // Stopped: it lapses after one TTL.
        std::thread::sleep(ttl * 2);
        let other = store.try_lock("k", ttl).unwrap().unwrap();
        assert_eq!(*problems.lock().unwrap(), 0);
        // A renewal of a lock someone else holds reports the loss once.
        let p = Arc::clone(&problems);
        let lost = Renewal::start(store.clone(), "k".into(), lock, ttl, move |x| {
            assert!(matches!(x, RenewProblem::Lost));
            *p.lock().unwrap() += 1;
        });
        std::thread::sleep(ttl);
        drop(lost);
        assert_eq!(*problems.lock().unwrap(), 1);
        store.unlock("k", &other).unwrap();
    }

    #[test]
    fn the_default_ttl_covers_a_whole_fetch() {
        let http = HttpConfig::default().with_timeout_secs(7).unwrap();
        assert_eq!(lock_ttl(&http), Duration::from_secs(7 + 7) + STORE_MARGIN);
    }
}
