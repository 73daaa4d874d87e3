//! `RedisStore` against a real `redis-server` started by the test (a loud
//! SKIPPED line without one; a failure under JWTMINT_REQUIRE_PEERS=1).
#![cfg(feature = "redis")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
mod redis_util;

use std::time::{Duration, Instant};

use jwtmint::client::redis_store::RedisStore;
use jwtmint::client::store::{LockToken, SaveOutcome, SaveRequest, Store};
use redis_util::RedisServer;
use sha2::{Digest, Sha256};

const KEY: &str = "5a1e0c6f2b9d4e8a7c3b1f0e9d8c7b6a5f4e3d2c1b0a99887766554433221100";

fn now() -> i64 {
    jwtmint::time::now().unwrap()
}

fn store(server: &RedisServer, prefix: &str) -> RedisStore {
    RedisStore::open(&server.url(), prefix).unwrap()
}

#[test]
fn record_round_trip_with_ttl() {
    let Some(server) = RedisServer::start("redis_record_round_trip") else {
        return;
    };
    let s = store(&server, "app1:");
    let t = now();
    assert_eq!(s.load(KEY, t).unwrap(), None);
    let record = br#"{"v":1,"access_token":"secret"}"#;
    s.save(KEY, record, t + 30, t).unwrap();
    let got = s.load(KEY, t).unwrap().unwrap();
    assert_eq!(got.record.as_slice(), record);
    assert_eq!((got.stored_at, got.expires_at), (t, t + 30));
    // Stored under the prefixed key with a PX TTL of expires_at - now.
    let k = format!("app1:jwtmint:token:{KEY}");
    let pttl: i64 = server
        .command(&format!("PTTL {k}"))
        .trim_start_matches(':')
        .parse()
        .unwrap();
    assert!((28_000..=30_000).contains(&pttl), "{pttl}");
    // Another prefix is another namespace.
    assert_eq!(store(&server, "app2:").load(KEY, t).unwrap(), None);
    // Expired by our clock: not handed out even while Redis still has it.
    assert_eq!(s.load(KEY, t + 30).unwrap(), None);
    // An already-expired save writes nothing.
    s.save("00", record, t, t).unwrap();
    assert_eq!(server.command("EXISTS app1:jwtmint:token:00"), ":0");
    // A value jwtmint did not write is an error without its bytes.
    assert_eq!(server.command("SET app1:jwtmint:token:01 abc"), "+OK");
    let e = s.load("01", t).unwrap_err();
    assert_eq!(
        e.to_string(),
        "redis store: app1:jwtmint:token:01 holds a value jwtmint did not write (too short)"
    );
}

#[test]
fn record_expires_in_redis() {
    let Some(server) = RedisServer::start("redis_record_expires") else {
        return;
    };
    let s = store(&server, "");
    let t = now();
    s.save(KEY, b"r", t + 1, t).unwrap();
    assert!(s.load(KEY, t).unwrap().is_some());
    std::thread::sleep(Duration::from_millis(1100));
    assert_eq!(server.command(&format!("EXISTS jwtmint:token:{KEY}")), ":0");
    assert_eq!(s.load(KEY, t).unwrap(), None);
}

#[test]
fn lock_is_exclusive_and_only_the_owner_unlocks() {
    let Some(server) = RedisServer::start("redis_lock_exclusive") else {
        return;
    };
    let a = store(&server, "p:");
    let b = store(&server, "p:");
    let ttl = Duration::from_secs(30);
    let held = a.try_lock(KEY, ttl).unwrap().expect("free lock taken");
    assert_eq!(b.try_lock(KEY, ttl).unwrap(), None);
    assert_eq!(a.try_lock(KEY, ttl).unwrap(), None, "not re-entrant");
    // The stored value is the owner's token, with a PX TTL.
    assert_eq!(server.command(&format!("GET p:jwtmint:lock:{KEY}")), "$32");
    // A stranger's token does not release it.
    b.unlock(KEY, &LockToken::from_string("0".repeat(32)))
        .unwrap();
    assert_eq!(b.try_lock(KEY, ttl).unwrap(), None);
    // Another key is another lock.
    assert!(b.try_lock("other", ttl).unwrap().is_some());
    // The owner releases it; then someone else can take it.
    a.unlock(KEY, &held).unwrap();
    let next = b.try_lock(KEY, ttl).unwrap().expect("released lock taken");
    // A late unlock by the previous owner leaves the new owner's lock.
    a.unlock(KEY, &held).unwrap();
    assert_eq!(a.try_lock(KEY, ttl).unwrap(), None);
    b.unlock(KEY, &next).unwrap();
    assert!(a.try_lock(KEY, ttl).unwrap().is_some());
}

#[test]
fn a_crashed_holders_lock_expires_after_its_ttl() {
    let Some(server) = RedisServer::start("redis_lock_expiry") else {
        return;
    };
    let crashed = store(&server, "");
    let other = store(&server, "");
    let t = Instant::now();
    let _never_unlocked = crashed
        .try_lock(KEY, Duration::from_millis(400))
        .unwrap()
        .unwrap();
    assert_eq!(other.try_lock(KEY, Duration::from_secs(5)).unwrap(), None);
    let taken = loop {
        if let Some(l) = other.try_lock(KEY, Duration::from_secs(5)).unwrap() {
            break l;
        }
        assert!(t.elapsed() < Duration::from_secs(3), "lock never expired");
        std::thread::sleep(Duration::from_millis(20));
    };
    let waited = t.elapsed();
    assert!(waited >= Duration::from_millis(380), "{waited:?}");
    other.unlock(KEY, &taken).unwrap();
}

#[test]
fn a_store_that_went_away_is_an_error_then_reconnects() {
    let Some(server) = RedisServer::start("redis_reconnect") else {
        return;
    };
    let s = RedisStore::open(&server.url(), "")
        .unwrap()
        .with_timeout(Duration::from_millis(500))
        .unwrap();
    let t = now();
    s.save(KEY, b"r1", t + 60, t).unwrap();
    // Drop every client connection: the next call fails, the one after
    // reconnects.
    assert_eq!(server.command("CLIENT KILL TYPE normal"), ":1");
    let first = s.load(KEY, t);
    let second = s.load(KEY, t).unwrap().unwrap();
    assert_eq!(second.record.as_slice(), b"r1");
    if let Err(e) = first {
        assert!(e.to_string().starts_with("redis store: GET: "), "{e}");
    }
    // A password never shows in errors (ACL user with a wrong password).
    let bad = RedisStore::open(
        &format!("redis://u:hunter2pw@127.0.0.1:{}", server.port),
        "",
    )
    .unwrap();
    let e = bad.load(KEY, t).unwrap_err();
    let text = format!("{e} {e:?} {bad:?}");
    assert!(!text.contains("hunter2pw"), "{text}");
    assert!(text.starts_with("redis store: connect: "), "{text}");
}

#[test]
fn a_prefix_limited_acl_user_is_all_the_store_needs() {
    let Some(server) = RedisServer::start("redis_acl_user") else {
        return;
    };
    assert_eq!(
        server.command(
            "ACL SETUSER fleet on >pw-Xq7 resetkeys ~billing:jwtmint:* resetchannels &billing:jwtmint:* -@all +get +set +del +eval +pexpire +publish +subscribe"
        ),
        "+OK"
    );
    let url = format!("redis://fleet:pw-Xq7@127.0.0.1:{}", server.port);
    let s = RedisStore::open(&url, "billing:").unwrap();
    let t = now();
    s.save(KEY, b"rec", t + 60, t).unwrap();
    assert_eq!(s.load(KEY, t).unwrap().unwrap().record.as_slice(), b"rec");
    let lock = s.try_lock(KEY, Duration::from_secs(30)).unwrap().unwrap();
    assert_eq!(s.try_lock(KEY, Duration::from_secs(30)).unwrap(), None);
    s.unlock(KEY, &lock).unwrap();
    let lock = s.try_lock(KEY, Duration::from_secs(30)).unwrap().unwrap();
    // Renewal, the wake-up subscription, the fenced save (which publishes)
    // and the compare-and-delete all run under these rights.
    assert!(s.renew_lock(KEY, &lock, Duration::from_secs(30)).unwrap());
    let mark = s.save_mark(KEY);
    let rec = record("tok-acl", t);
    assert_eq!(
        s.save_and_unlock(SaveRequest {
            key: KEY,
            record: &rec,
            expires_at: t + 60,
            now: t + 1,
            lock: Some(&lock)
        })
        .unwrap(),
        SaveOutcome::Saved
    );
    assert!(s.wait_for_save(KEY, mark, Duration::from_secs(10)));
    assert!(s.remove_if_holds(KEY, &digest("tok-acl")).unwrap());
    // Outside its prefix the user can do nothing: the ACL does the limiting.
    let other = RedisStore::open(&url, "payroll:").unwrap();
    let e = other.load(KEY, t).unwrap_err();
    assert!(e.to_string().starts_with("redis store: GET: "), "{e}");
    assert!(!format!("{e:?}").contains("pw-Xq7"));
}

#[test]
fn tls_to_a_plain_server_fails_cleanly_without_the_password() {
    let Some(server) = RedisServer::start("redis_tls_refused") else {
        return;
    };
    let url = format!("rediss://u:tls-pw-9@127.0.0.1:{}", server.port);
    let s = RedisStore::open(&url, "")
        .unwrap()
        .with_timeout(Duration::from_secs(2))
        .unwrap();
    let e = s.load(KEY, now()).unwrap_err();
    let text = format!("{e} {e:?}");
    assert!(text.starts_with("redis store: connect: "), "{text}");
    assert!(!text.contains("tls-pw-9"), "{text}");
}

/// A session record (the core's format) holding access token `token`.
fn record(token: &str, t: i64) -> Vec<u8> {
    format!(
        r#"{{"v":1,"identity":"{KEY}","access_token":"{token}","token_type":"Bearer","expires_at":{},"stored_at":{t}}}"#,
        t + 60
    )
    .into_bytes()
}

fn digest(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

fn stored(s: &RedisStore, t: i64) -> Vec<u8> {
    s.load(KEY, t).unwrap().unwrap().record.to_vec()
}

/// Saves are conditional (issue 21 §6): never last-writer-wins.
#[test]
fn a_save_never_replaces_a_newer_record() {
    let Some(server) = RedisServer::start("redis_save_newer_only") else {
        return;
    };
    let s = store(&server, "");
    let t = now();
    s.save(KEY, b"new", t + 60, t).unwrap();
    // Saved earlier (a slow process landing late): kept out.
    assert_eq!(
        s.save_and_unlock(SaveRequest {
            key: KEY,
            record: b"older",
            expires_at: t + 90,
            now: t - 5,
            lock: None
        })
        .unwrap(),
        SaveOutcome::KeptNewer
    );
    s.save(KEY, b"older", t + 90, t - 5).unwrap();
    assert_eq!(stored(&s, t), b"new");
    // The same second: only a later expiry replaces it.
    s.save(KEY, b"same", t + 60, t).unwrap();
    assert_eq!(stored(&s, t), b"new");
    s.save(KEY, b"later-expiry", t + 61, t).unwrap();
    assert_eq!(stored(&s, t), b"later-expiry");
    // Saved later: replaces, whatever the expiry.
    assert_eq!(
        s.save_and_unlock(SaveRequest {
            key: KEY,
            record: b"newest",
            expires_at: t + 30,
            now: t + 1,
            lock: None
        })
        .unwrap(),
        SaveOutcome::Saved
    );
    assert_eq!(stored(&s, t + 1), b"newest");
    // A planted record claiming to be saved in the far future does not pin
    // the key; nor does a value jwtmint did not write.
    let k = format!("jwtmint:token:{KEY}");
    let mut planted = (t + 100_000).to_be_bytes().to_vec();
    planted.extend_from_slice(&(t + 200_000).to_be_bytes());
    planted.extend_from_slice(b"planted");
    redis_util::set_raw(&server, &k, &planted);
    s.save(KEY, b"ours", t + 60, t + 2).unwrap();
    assert_eq!(stored(&s, t + 2), b"ours");
    assert_eq!(server.command(&format!("SET {k} short")), "+OK");
    s.save(KEY, b"ours-again", t + 60, t + 3).unwrap();
    assert_eq!(stored(&s, t + 3), b"ours-again");
}

/// Fencing: a save passing the fetch lock writes only while that lock is
/// still held with its token, and then releases it.
#[test]
fn a_fenced_save_is_discarded_once_the_lock_was_lost() {
    let Some(server) = RedisServer::start("redis_fenced_save") else {
        return;
    };
    let (a, b) = (store(&server, "f:"), store(&server, "f:"));
    let t = now();
    let lock_key = format!("f:jwtmint:lock:{KEY}");
    let slow = a
        .try_lock(KEY, Duration::from_millis(200))
        .unwrap()
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    // a's lock expired; b took over and saved its rotated refresh token.
    let fast = b.try_lock(KEY, Duration::from_secs(30)).unwrap().unwrap();
    assert_eq!(
        b.save_and_unlock(SaveRequest {
            key: KEY,
            record: b"b-rotated",
            expires_at: t + 60,
            now: t,
            lock: Some(&fast)
        })
        .unwrap(),
        SaveOutcome::Saved
    );
    assert_eq!(server.command(&format!("EXISTS {lock_key}")), ":0");
    // a lands later (a newer clock even): discarded, nothing released.
    let again = b.try_lock(KEY, Duration::from_secs(30)).unwrap().unwrap();
    assert_eq!(
        a.save_and_unlock(SaveRequest {
            key: KEY,
            record: b"a-stale",
            expires_at: t + 90,
            now: t + 5,
            lock: Some(&slow)
        })
        .unwrap(),
        SaveOutcome::LockLost
    );
    assert_eq!(stored(&a, t), b"b-rotated");
    assert_eq!(b.try_lock(KEY, Duration::from_secs(30)).unwrap(), None);
    b.unlock(KEY, &again).unwrap();
    // A held lock whose store has a newer record: kept, lock released.
    let l = a.try_lock(KEY, Duration::from_secs(30)).unwrap().unwrap();
    assert_eq!(
        a.save_and_unlock(SaveRequest {
            key: KEY,
            record: b"older",
            expires_at: t + 60,
            now: t - 1,
            lock: Some(&l)
        })
        .unwrap(),
        SaveOutcome::KeptNewer
    );
    assert_eq!(server.command(&format!("EXISTS {lock_key}")), ":0");
    assert_eq!(stored(&a, t), b"b-rotated");
}

#[test]
fn renewal_extends_only_the_owners_live_lock() {
    let Some(server) = RedisServer::start("redis_lock_renewal") else {
        return;
    };
    let s = store(&server, "");
    let pttl = || -> i64 {
        server
            .command(&format!("PTTL jwtmint:lock:{KEY}"))
            .trim_start_matches(':')
            .parse()
            .unwrap()
    };
    let lock = s
        .try_lock(KEY, Duration::from_millis(500))
        .unwrap()
        .unwrap();
    assert!(pttl() <= 500);
    assert!(s.renew_lock(KEY, &lock, Duration::from_secs(30)).unwrap());
    assert!(pttl() > 20_000, "{}", pttl());
    // A stranger's token renews nothing.
    let stranger = LockToken::from_string("0".repeat(32));
    assert!(
        !s.renew_lock(KEY, &stranger, Duration::from_secs(60))
            .unwrap()
    );
    assert!(pttl() <= 30_000);
    // Once expired (and taken by another), the old owner's renewal fails.
    assert!(
        s.renew_lock(KEY, &lock, Duration::from_millis(100))
            .unwrap()
    );
    std::thread::sleep(Duration::from_millis(200));
    assert!(!s.renew_lock(KEY, &lock, Duration::from_secs(30)).unwrap());
    let other = s.try_lock(KEY, Duration::from_secs(30)).unwrap().unwrap();
    assert!(!s.renew_lock(KEY, &lock, Duration::from_secs(30)).unwrap());
    assert!(s.renew_lock(KEY, &other, Duration::from_secs(30)).unwrap());
}

/// Waiters are woken by the holder's save or release (pub/sub), not by
/// polling: the default `wait_for_save` never reports a save.
#[test]
fn a_waiter_is_woken_by_another_processes_save_and_unlock() {
    let Some(server) = RedisServer::start("redis_wakeups") else {
        return;
    };
    let (waiter, holder) = (store(&server, "w:"), store(&server, "w:"));
    let t = now();
    // Nothing announced: the wait times out.
    let mark = waiter.save_mark(KEY);
    assert!(!waiter.wait_for_save(KEY, mark, Duration::from_millis(300)));
    // A save from another connection wakes it.
    let lock = holder
        .try_lock(KEY, Duration::from_secs(30))
        .unwrap()
        .unwrap();
    let mark = waiter.save_mark(KEY);
    let saver = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(200));
        holder
            .save_and_unlock(SaveRequest {
                key: KEY,
                record: b"rec",
                expires_at: t + 60,
                now: t,
                lock: Some(&lock),
            })
            .unwrap();
        holder
    });
    assert!(waiter.wait_for_save(KEY, mark, Duration::from_secs(20)));
    assert_eq!(stored(&waiter, t), b"rec");
    let holder = saver.join().unwrap();
    // A release without a save (a failed fetch) wakes it too.
    let mark = waiter.save_mark(KEY);
    let lock = holder
        .try_lock(KEY, Duration::from_secs(30))
        .unwrap()
        .unwrap();
    holder.unlock(KEY, &lock).unwrap();
    assert!(waiter.wait_for_save(KEY, mark, Duration::from_secs(20)));
    // Another key's save does not.
    let mark = waiter.save_mark(KEY);
    holder.save("other", b"x", t + 60, t).unwrap();
    assert!(!waiter.wait_for_save(KEY, mark, Duration::from_millis(300)));
}

/// `invalidate`'s store side: delete the shared record only while it still
/// holds the invalidated token.
#[test]
fn remove_if_holds_deletes_only_the_invalidated_token() {
    let Some(server) = RedisServer::start("redis_remove_if_holds") else {
        return;
    };
    let s = store(&server, "");
    let t = now();
    assert!(!s.remove_if_holds(KEY, &digest("tok-A")).unwrap(), "absent");
    s.save(KEY, &record("tok-B", t), t + 60, t).unwrap();
    // A peer already replaced the revoked token: its record stays.
    assert!(!s.remove_if_holds(KEY, &digest("tok-A")).unwrap());
    assert_eq!(stored(&s, t), record("tok-B", t));
    assert!(s.remove_if_holds(KEY, &digest("tok-B")).unwrap());
    assert_eq!(s.load(KEY, t).unwrap(), None);
    // Not a record: nothing to compare, nothing deleted.
    s.save(KEY, b"opaque", t + 60, t).unwrap();
    assert!(!s.remove_if_holds(KEY, &digest("opaque")).unwrap());
    assert_eq!(stored(&s, t), b"opaque");
}

/// An ACL user without the wake-up rights (the ACL this store needed before
/// wake-ups: no channels, no `SUBSCRIBE`/`PUBLISH`/`PEXPIRE`) still saves,
/// locks and unlocks; waiters are not woken and poll instead.
#[test]
fn without_channel_rights_saves_work_and_waiters_poll() {
    let Some(server) = RedisServer::start("redis_acl_no_channels") else {
        return;
    };
    assert_eq!(
        server.command(
            "ACL SETUSER old on >pw-Q2 resetkeys ~jwtmint:* resetchannels -@all +get +set +del +eval"
        ),
        "+OK"
    );
    let url = format!("redis://old:pw-Q2@127.0.0.1:{}", server.port);
    let s = RedisStore::open(&url, "").unwrap();
    let t = now();
    let t0 = Instant::now();
    let mark = s.save_mark(KEY);
    assert!(t0.elapsed() < Duration::from_secs(3), "{:?}", t0.elapsed());
    let lock = s.try_lock(KEY, Duration::from_secs(30)).unwrap().unwrap();
    assert_eq!(
        s.save_and_unlock(SaveRequest {
            key: KEY,
            record: b"rec",
            expires_at: t + 60,
            now: t,
            lock: Some(&lock)
        })
        .unwrap(),
        SaveOutcome::Saved
    );
    assert_eq!(stored(&s, t), b"rec");
    assert!(!s.wait_for_save(KEY, mark, Duration::from_millis(300)));
    let lock = s.try_lock(KEY, Duration::from_secs(30)).unwrap().unwrap();
    s.unlock(KEY, &lock).unwrap();
    // Renewal needs `+pexpire`: a precise error, not a silent success.
    let lock = s.try_lock(KEY, Duration::from_secs(30)).unwrap().unwrap();
    let e = s
        .renew_lock(KEY, &lock, Duration::from_secs(30))
        .unwrap_err();
    assert!(
        e.to_string().starts_with("redis store: renew lock: "),
        "{e}"
    );
}
