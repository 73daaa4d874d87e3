//! The session core owns the token lifecycle with a shared store (issue 21):
//! the store is asked first, and the request — with its signature — is built
//! only after the store missed and the fetch lock is held. A counting key
//! proves it: a store hit signs nothing, in the core and through
//! `TokenSource`.
#![cfg(feature = "client")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    missing_docs,
    unused_crate_dependencies
)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use jwtmint::client::TokenSource;
use jwtmint::client::store::{MemoryStore, Store};
use jwtmint::profiles::Rfc7523;
use jwtmint::session::{
    Action, Config, Grant, Outcome, Session, StoreAction, StoreAnswer, StoreOutcome, StorePolicy,
    Ticket, token_digest,
};
use jwtmint::{Algorithm, JwsKey, JwsSigner, SigningKey};

/// A key that counts its signatures.
struct Counting {
    key: SigningKey,
    signs: AtomicUsize,
}

struct CountingSigner<'k, S> {
    inner: S,
    signs: &'k AtomicUsize,
}

impl<S: JwsSigner> JwsSigner for CountingSigner<'_, S> {
    fn algorithm(&self) -> Algorithm {
        self.inner.algorithm()
    }
    fn signature_len(&self) -> usize {
        self.inner.signature_len()
    }
    fn sign(&mut self, input: &[u8], out: &mut [u8]) -> jwtmint::Result<usize> {
        self.signs.fetch_add(1, Ordering::SeqCst);
        self.inner.sign(input, out)
    }
}

impl JwsKey for Counting {
    type Signer<'k> = CountingSigner<'k, <SigningKey as JwsKey>::Signer<'k>>;
    fn signer(&self, alg: Algorithm) -> jwtmint::Result<Self::Signer<'_>> {
        Ok(CountingSigner {
            inner: self.key.signer(alg)?,
            signs: &self.signs,
        })
    }
    fn fingerprint(&self) -> Option<[u8; 32]> {
        self.key.fingerprint()
    }
}

fn key() -> SigningKey {
    SigningKey::from_pem(include_str!("../examples/keys/demo-key.pem")).unwrap()
}

fn counting() -> Counting {
    Counting {
        key: key(),
        signs: AtomicUsize::new(0),
    }
}

fn now() -> i64 {
    jwtmint::time::now().unwrap()
}

const URL: &str = "https://idp.test/token";

/// A record for `token` (valid `ttl` seconds from `at`), as a peer that
/// fetched it would save it.
fn record_of(p: &Rfc7523<'_>, k: &Counting, at: i64, token: &str, ttl: i64) -> Vec<u8> {
    let mut s: Session<_, _> = Session::new(p, k, Config::new());
    let Action::Fetch(f) = s.poll(at) else {
        panic!("no fetch")
    };
    let t = f.ticket;
    let body = format!(r#"{{"access_token":"{token}","expires_in":{ttl}}}"#);
    assert!(matches!(
        s.complete(at, t, 200, body.as_bytes()),
        Outcome::Stored { .. }
    ));
    let mut buf = vec![0u8; 8192];
    let n = s.encode_record(&mut buf).unwrap();
    buf.truncate(n);
    buf
}

fn store_action<P, K>(s: &mut Session<P, K>, now: i64) -> (Ticket, String)
where
    P: core::ops::Deref,
    P::Target: jwtmint::profiles::Profile,
    K: core::ops::Deref,
    K::Target: JwsKey,
{
    match s.poll(now) {
        Action::Store(a) => (a.ticket(), format!("{a:?}")),
        other => panic!("expected a store action, got {other:?}"),
    }
}

/// A miss (no record), the lock answered with `lock` (and, when taken, a
/// second miss under it): the fetch's ticket.
fn miss_then_fetch<P, K>(s: &mut Session<P, K>, t: i64, lock: StoreAnswer<'_>) -> Ticket
where
    P: core::ops::Deref,
    P::Target: jwtmint::profiles::Profile,
    K: core::ops::Deref,
    K::Target: JwsKey,
{
    let (ticket, _) = store_action(s, t);
    s.store_answer(t, ticket, StoreAnswer::Record(None))
        .unwrap();
    let (ticket, _) = store_action(s, t);
    s.store_answer(t, ticket, lock).unwrap();
    if lock == StoreAnswer::Locked {
        let (ticket, _) = store_action(s, t);
        s.store_answer(t, ticket, StoreAnswer::Record(None))
            .unwrap();
    }
    match s.poll(t) {
        Action::Fetch(f) => f.ticket,
        other => panic!("no fetch: {other:?}"),
    }
}

#[test]
fn a_store_hit_in_the_core_signs_nothing() {
    let p = Rfc7523::grant("c", "u", URL).unwrap();
    let peer = counting();
    let t = now();
    let record = record_of(&p, &peer, t, "shared-token", 600);
    let k = counting();
    let mut s: Session<_, _> = Session::new(&p, &k, Config::new());
    s.share(StorePolicy::new());
    // Due (empty): the first step is loading the shared record.
    let (ticket, what) = store_action(&mut s, t);
    assert!(what.starts_with("Load"), "{what}");
    // A second caller meanwhile waits: one attempt at a time.
    assert!(matches!(s.poll(t), Action::Wait(_)));
    assert_eq!(
        s.store_answer(t, ticket, StoreAnswer::Record(Some(&record)))
            .unwrap(),
        StoreOutcome::Adopted
    );
    let Action::Use(c) = s.poll(t) else {
        panic!("no credential")
    };
    assert_eq!(c.token, "shared-token");
    assert_eq!(
        k.signs.load(Ordering::SeqCst),
        0,
        "a store hit signs nothing"
    );
    // An answer to nothing outstanding is stale.
    assert_eq!(
        s.store_answer(t, ticket, StoreAnswer::Record(None))
            .unwrap(),
        StoreOutcome::Stale
    );
}

#[test]
fn a_store_miss_locks_loads_again_then_signs_once_and_saves_fenced() {
    let p = Rfc7523::grant("c", "u", URL).unwrap();
    let k = counting();
    let t = now();
    let mut s: Session<_, _> = Session::new(&p, &k, Config::new());
    s.share(StorePolicy::new().keep_refresh(3600));
    let (ticket, what) = store_action(&mut s, t);
    assert!(what.starts_with("Load"), "{what}");
    s.store_answer(t, ticket, StoreAnswer::Record(None))
        .unwrap();
    let (ticket, what) = store_action(&mut s, t);
    assert!(what.starts_with("Lock"), "{what}");
    s.store_answer(t, ticket, StoreAnswer::Locked).unwrap();
    assert!(s.store_locked());
    let (ticket, what) = store_action(&mut s, t);
    assert!(
        what.starts_with("Load"),
        "loads again under the lock: {what}"
    );
    assert_eq!(
        k.signs.load(Ordering::SeqCst),
        0,
        "nothing signed before the lock"
    );
    s.store_answer(t, ticket, StoreAnswer::Record(None))
        .unwrap();
    let Action::Fetch(f) = s.poll(t) else {
        panic!("no fetch")
    };
    assert!(f.locked, "sent holding the lock");
    assert_eq!(f.grant, Grant::JwtBearer);
    let ft = f.ticket;
    assert_eq!(
        k.signs.load(Ordering::SeqCst),
        1,
        "one signature, after the lock"
    );
    let body = br#"{"access_token":"mine","refresh_token":"r1","expires_in":600}"#;
    assert_eq!(
        s.complete(t + 1, ft, 200, body),
        Outcome::Stored {
            expires_at: t + 601
        }
    );
    // The save comes before the token is handed out again; a refresh token
    // keeps the record `keep_refresh` longer.
    let Action::Store(StoreAction::Save {
        ticket,
        expires_at,
        locked,
        ..
    }) = s.poll(t + 1)
    else {
        panic!("no save")
    };
    assert_eq!((expires_at, locked), (t + 601 + 3600, true));
    // The save is out: others use the new token meanwhile.
    assert!(matches!(s.poll(t + 1), Action::Use(c) if c.token == "mine"));
    s.store_answer(t + 1, ticket, StoreAnswer::Saved).unwrap();
    assert!(!s.store_locked());
    assert!(matches!(s.poll(t + 2), Action::Use(c) if c.token == "mine"));
    assert_eq!(k.signs.load(Ordering::SeqCst), 1);
}

#[test]
fn a_held_lock_waits_for_the_peers_save_and_adopts_it() {
    let p = Rfc7523::grant("c", "u", URL).unwrap();
    let k = counting();
    let t = now();
    let record = record_of(&p, &counting(), t, "peer-token", 600);
    let mut s: Session<_, _> = Session::new(&p, &k, Config::new());
    s.share(StorePolicy::new().lock_wait(30));
    let (ticket, _) = store_action(&mut s, t);
    s.store_answer(t, ticket, StoreAnswer::Record(None))
        .unwrap();
    let (ticket, what) = store_action(&mut s, t);
    assert!(what.starts_with("Lock"), "{what}");
    s.store_answer(t, ticket, StoreAnswer::Busy).unwrap();
    let Action::Store(StoreAction::AwaitSave { ticket, until }) = s.poll(t) else {
        panic!("no wait for the peer")
    };
    assert_eq!(until, t + 30);
    assert_eq!(
        s.store_answer(t + 1, ticket, StoreAnswer::Record(Some(&record)))
            .unwrap(),
        StoreOutcome::Adopted
    );
    assert!(matches!(s.poll(t + 1), Action::Use(c) if c.token == "peer-token"));
    assert_eq!(k.signs.load(Ordering::SeqCst), 0);
    assert!(!s.store_locked());
}

#[test]
fn past_the_lock_wait_it_fetches_without_the_lock() {
    let p = Rfc7523::grant("c", "u", URL).unwrap();
    let k = counting();
    let t = now();
    let mut s: Session<_, _> = Session::new(&p, &k, Config::new());
    s.share(StorePolicy::new().lock_wait(5));
    let (ticket, _) = store_action(&mut s, t);
    s.store_answer(t, ticket, StoreAnswer::Record(None))
        .unwrap();
    let (ticket, _) = store_action(&mut s, t);
    s.store_answer(t + 5, ticket, StoreAnswer::Busy).unwrap();
    let Action::Fetch(f) = s.poll(t + 5) else {
        panic!("no fetch")
    };
    assert!(!f.locked);
    let ft = f.ticket;
    // Without the lock, a failed fetch releases nothing: no store action.
    s.complete(t + 5, ft, 503, b"{}");
    assert!(matches!(s.poll(t + 5), Action::Wait(_)));
}

#[test]
fn a_save_refused_for_a_newer_revoked_record_removes_it_and_saves_again() {
    let p = Rfc7523::grant("c", "u", URL).unwrap();
    let k = counting();
    let t = now();
    let revoked = record_of(&p, &counting(), t, "revoked-token", 600);
    let mut s: Session<_, _> = Session::new(&p, &k, Config::new());
    s.share(StorePolicy::new());
    assert!(!s.invalidate("revoked-token"), "not held: only remembered");
    let (ticket, _) = store_action(&mut s, t);
    // The store still holds the revoked token: never adopted.
    assert!(
        s.store_answer(t, ticket, StoreAnswer::Record(Some(&revoked)))
            .is_err()
    );
    let (ticket, _) = store_action(&mut s, t);
    s.store_answer(t, ticket, StoreAnswer::Locked).unwrap();
    let (ticket, _) = store_action(&mut s, t);
    assert!(
        s.store_answer(t, ticket, StoreAnswer::Record(Some(&revoked)))
            .is_err()
    );
    let Action::Fetch(f) = s.poll(t) else {
        panic!("no fetch")
    };
    let ft = f.ticket;
    s.complete(t, ft, 200, br#"{"access_token":"fresh","expires_in":600}"#);
    let (ticket, what) = store_action(&mut s, t);
    assert!(what.starts_with("Save"), "{what}");
    s.store_answer(t, ticket, StoreAnswer::KeptNewer).unwrap();
    let Action::Store(StoreAction::RemoveIfHolds { ticket, digest }) = s.poll(t) else {
        panic!("no compare-and-delete")
    };
    assert_eq!(*digest, token_digest("revoked-token"));
    s.store_answer(t, ticket, StoreAnswer::Removed(true))
        .unwrap();
    let Action::Store(StoreAction::Save { ticket, locked, .. }) = s.poll(t) else {
        panic!("no save in its place")
    };
    assert!(!locked);
    s.store_answer(t, ticket, StoreAnswer::Saved).unwrap();
    assert!(matches!(s.poll(t), Action::Use(c) if c.token == "fresh"));
}

#[test]
fn a_refresh_without_the_lock_is_not_saved_and_a_failed_fetch_unlocks() {
    let p = Rfc7523::grant("c", "u", URL).unwrap();
    let k = counting();
    let t = now();
    let mut s: Session<_, _> = Session::new(&p, &k, Config::new().refresh_ahead(60));
    s.share(StorePolicy::new());
    // First token, with a refresh token, fetched holding the lock.
    let ft = miss_then_fetch(&mut s, t, StoreAnswer::Locked);
    // A 503 while holding the lock: the lock is released, nothing saved.
    s.complete(t, ft, 503, b"{}");
    let Action::Store(StoreAction::Unlock { ticket }) = s.poll(t) else {
        panic!("no unlock")
    };
    s.store_answer(t, ticket, StoreAnswer::Done).unwrap();
    assert!(!s.store_locked());
    // Later: the store is down, the fetch goes on without the lock.
    let t = t + 10;
    let ft = miss_then_fetch(&mut s, t, StoreAnswer::Failed);
    s.complete(
        t,
        ft,
        200,
        br#"{"access_token":"a1","refresh_token":"r1","expires_in":600}"#,
    );
    // An initial grant without the lock is still saved (newer-only).
    let Action::Store(StoreAction::Save { ticket, locked, .. }) = s.poll(t) else {
        panic!("no save")
    };
    assert!(!locked);
    s.store_answer(t, ticket, StoreAnswer::Saved).unwrap();
    // Due: the refresh-token grant, made without the lock, is not saved
    // (only the lock holder may rotate the stored refresh token).
    let t = t + 600 - 30;
    let (ticket, _) = store_action(&mut s, t);
    s.store_answer(t, ticket, StoreAnswer::Record(None))
        .unwrap();
    let (ticket, _) = store_action(&mut s, t);
    s.store_answer(t, ticket, StoreAnswer::GaveUp).unwrap();
    let Action::Fetch(f) = s.poll(t) else {
        panic!("no fetch")
    };
    assert_eq!(f.grant, Grant::RefreshToken);
    let ft = f.ticket;
    s.complete(
        t,
        ft,
        200,
        br#"{"access_token":"a2","refresh_token":"r2","expires_in":600}"#,
    );
    assert!(matches!(s.poll(t), Action::Use(c) if c.token == "a2"));
}

#[test]
fn a_rejected_session_looks_at_the_store_once_a_second() {
    let p = Rfc7523::grant("c", "u", URL).unwrap();
    let k = counting();
    let t = now();
    let mut s: Session<_, _> = Session::new(&p, &k, Config::new());
    s.share(StorePolicy::new());
    let ft = miss_then_fetch(&mut s, t, StoreAnswer::Failed);
    assert_eq!(
        s.complete(t, ft, 400, br#"{"error":"invalid_grant"}"#),
        Outcome::Rejected
    );
    // Rejected: first a look at the store, then `Failed` for this second.
    let (ticket, what) = store_action(&mut s, t);
    assert!(what.starts_with("Load"), "{what}");
    s.store_answer(t, ticket, StoreAnswer::Record(None))
        .unwrap();
    assert!(matches!(s.poll(t), Action::Failed(_)));
    // A second later a healthy peer's record is adopted.
    let record = record_of(&p, &counting(), t + 1, "peer", 600);
    let (ticket, _) = store_action(&mut s, t + 1);
    assert_eq!(
        s.store_answer(t + 1, ticket, StoreAnswer::Record(Some(&record)))
            .unwrap(),
        StoreOutcome::Adopted
    );
    assert!(matches!(s.poll(t + 1), Action::Use(c) if c.token == "peer"));
}

#[test]
fn forget_in_store_asks_to_delete_the_invalidated_tokens_record_first() {
    let p = Rfc7523::grant("c", "u", URL).unwrap();
    let k = counting();
    let t = now();
    let record = record_of(&p, &counting(), t, "peer-token", 600);
    let mut s: Session<_, _> = Session::new(&p, &k, Config::new());
    s.share(StorePolicy::new());
    let (ticket, _) = store_action(&mut s, t);
    s.store_answer(t, ticket, StoreAnswer::Record(Some(&record)))
        .unwrap();
    // The API answers 401 with it: dropped, and the shared record goes
    // before anything else (compare-and-delete on its digest).
    assert!(s.invalidate("peer-token"));
    s.forget_in_store("peer-token");
    let Action::Store(StoreAction::RemoveIfHolds { ticket, digest }) = s.poll(t) else {
        panic!("no compare-and-delete")
    };
    assert_eq!(*digest, token_digest("peer-token"));
    // Out: others wait (no token is valid now).
    assert!(matches!(s.poll(t), Action::Wait(_)));
    s.store_answer(t, ticket, StoreAnswer::Removed(true))
        .unwrap();
    // Then the next attempt, store first; the old record is never adopted.
    let (ticket, what) = store_action(&mut s, t);
    assert!(what.starts_with("Load"), "{what}");
    assert!(
        s.store_answer(t, ticket, StoreAnswer::Record(Some(&record)))
            .is_err()
    );
    assert_eq!(k.signs.load(Ordering::SeqCst), 0);
    // Without a store it is a no-op.
    let mut plain: Session<_, _> = Session::new(&p, &k, Config::new());
    plain.forget_in_store("peer-token");
    assert!(matches!(plain.poll(t), Action::Fetch(_)));
}

#[test]
fn a_plain_session_never_asks_for_the_store() {
    let p = Rfc7523::grant("c", "u", URL).unwrap();
    let k = counting();
    let t = now();
    let mut s: Session<_, _> = Session::new(&p, &k, Config::new());
    assert!(!s.shares());
    assert!(matches!(s.poll(t), Action::Fetch(_)));
    assert_eq!(k.signs.load(Ordering::SeqCst), 1);
}

#[test]
fn a_token_source_store_hit_signs_nothing() {
    // Port 9 (discard) on loopback: any request would fail.
    let p = Rfc7523::grant("c", "u", "http://127.0.0.1:9/token").unwrap();
    let k = Arc::new(counting());
    let t = now();
    let record = record_of(&p, &k, t, "shared", 600);
    assert_eq!(k.signs.load(Ordering::SeqCst), 1, "the peer's fetch");
    k.signs.store(0, Ordering::SeqCst);
    let store = Arc::new(MemoryStore::new());
    let src = TokenSource::builder(&p, Arc::clone(&k))
        .store(store.clone())
        .max_wait(Duration::ZERO)
        .build()
        .unwrap();
    store.save(src.store_key(), &record, t + 600, t).unwrap();
    for _ in 0..3 {
        assert_eq!(src.get().unwrap().access_token(), "shared");
    }
    assert_eq!(src.requests_sent(), 0);
    assert_eq!(src.stats().store_hits, 1);
    assert_eq!(
        k.signs.load(Ordering::SeqCst),
        0,
        "a store hit signs nothing"
    );
    // The counter counts: with an empty store the source signs (and its
    // request fails on the closed port).
    let empty = TokenSource::builder(&p, Arc::clone(&k))
        .store(Arc::new(MemoryStore::new()))
        .max_wait(Duration::ZERO)
        .build()
        .unwrap();
    assert!(empty.get().is_err());
    assert_eq!(empty.requests_sent(), 1);
    assert_eq!(k.signs.load(Ordering::SeqCst), 1);
}

#[test]
fn a_token_source_waits_for_a_peers_lock_and_adopts_its_save() {
    // A peer holds the fetch lock; the source waits (one lock wait) and
    // adopts what the peer saves (one store hit), signing nothing.
    let p = Rfc7523::grant("c", "u", "http://127.0.0.1:9/token").unwrap();
    let k = Arc::new(counting());
    let t = now();
    let record = record_of(&p, &k, t, "from-the-peer", 600);
    k.signs.store(0, Ordering::SeqCst);
    let store = Arc::new(MemoryStore::new());
    let src = TokenSource::builder(&p, Arc::clone(&k))
        .store(store.clone())
        .max_wait(Duration::from_secs(10))
        .build()
        .unwrap();
    let key = src.store_key().to_owned();
    let lock = store
        .try_lock(&key, Duration::from_secs(30))
        .unwrap()
        .expect("the peer takes the lock");
    let peer = {
        let store = store.clone();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(300));
            store.save(&key, &record, t + 600, t).unwrap();
            store.unlock(&key, &lock).unwrap();
        })
    };
    assert_eq!(src.get().unwrap().access_token(), "from-the-peer");
    peer.join().unwrap();
    let stats = src.stats();
    assert_eq!((stats.lock_waits, stats.store_hits), (1, 1), "{stats:?}");
    assert_eq!(stats.requests, 0);
    assert_eq!(k.signs.load(Ordering::SeqCst), 0);
}
