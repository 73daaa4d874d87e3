//! `RedisStore` against a real `redis-server` started by the test (a loud
//! SKIPPED line without one; a failure under JWTMINT_REQUIRE_PEERS=1).
#![cfg(feature = "redis")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
mod redis_util;

use std::time::{Duration, Instant};

use jwtmint::client::redis_store::RedisStore;
use jwtmint::client::store::{LockToken, Store};
use redis_util::RedisServer;

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
            "ACL SETUSER fleet on >pw-Xq7 resetkeys ~billing:jwtmint:* resetchannels -@all +get +set +del +eval"
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
    assert!(s.try_lock(KEY, Duration::from_secs(30)).unwrap().is_some());
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
