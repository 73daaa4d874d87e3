//! `AsyncTokenSource` (feature `client-async`): many tokio tasks calling
//! `get().await` against the local Authlib RFC 7523 server with a short
//! token lifetime cause one exchange per window (single flight across
//! tasks); with feature `redis`, two sources sharing a Redis store (two
//! "processes" in one) still cause one per window. The transport refuses
//! redirects, caps the body and times out (a local hostile server).
#![cfg(feature = "client-async")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
mod redis_util;

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::authlib::Rfc7523Server;
use jwtmint::SigningKey;
use jwtmint::client::async_source::AsyncTokenSource;
use jwtmint::client::http::HttpConfig;
use jwtmint::client::source::TokenSourceBuilder;
use jwtmint::client::{TokenError, TokenSource};
use jwtmint::profiles::Rfc7523;
use jwtmint::session::Config;

const LIFETIME: u32 = 6;
const REFRESH_AHEAD: i64 = 2;
const WINDOW: i64 = LIFETIME as i64 - REFRESH_AHEAD;
const TASKS: usize = 64;

/// The generic profile owning its URL (`Rfc7523::owned`): no `'static` borrow.
type Profile = Arc<dyn jwtmint::profiles::Profile + Send + Sync>;
type Src = AsyncTokenSource<Profile, Arc<SigningKey>>;

fn now() -> i64 {
    jwtmint::time::now().unwrap()
}

fn builder(token_url: &str, timeout: u64) -> TokenSourceBuilder<Profile, Arc<SigningKey>> {
    let profile = Rfc7523::grant("demo-client", "alice", token_url)
        .unwrap()
        .owned()
        .unwrap();
    let pem =
        std::fs::read_to_string(common::repo_root().join("examples/keys/demo-key.pem")).unwrap();
    let key = Arc::new(SigningKey::from_pem(&pem).unwrap());
    TokenSource::builder(profile, key)
        .config(Config::new().refresh_ahead(REFRESH_AHEAD).backoff(1, 2))
        .http(HttpConfig::default().with_timeout_secs(timeout).unwrap())
}

/// `TASKS` tasks spread over `sources` call `get()` every 5 ms for
/// `seconds`; returns (distinct tokens by expiry, calls). Panics on an
/// error or an expired token.
async fn hammer(sources: &[Src], seconds: u64) -> (BTreeSet<(String, i64)>, u64) {
    let until = Instant::now() + Duration::from_secs(seconds);
    let seen = Arc::new(Mutex::new(BTreeSet::new()));
    let tasks: Vec<_> = (0..TASKS)
        .map(|i| {
            let src = sources[i % sources.len()].clone();
            let seen = Arc::clone(&seen);
            tokio::spawn(async move {
                let mut calls = 0u64;
                while Instant::now() < until {
                    let t = src.get().await.unwrap();
                    assert!(t.expires_at > now(), "expired token handed out");
                    seen.lock()
                        .unwrap()
                        .insert((t.access_token().to_owned(), t.expires_at));
                    calls += 1;
                    tokio::time::sleep(Duration::from_millis(5)).await;
                }
                calls
            })
        })
        .collect();
    let mut calls = 0;
    for t in tasks {
        calls += t.await.unwrap();
    }
    let seen = seen.lock().unwrap().clone();
    (seen, calls)
}

fn assert_one_per_window(tokens: &BTreeSet<(String, i64)>, exchanges: u64, elapsed: i64) -> u64 {
    let expiries: Vec<i64> = tokens.iter().map(|(_, e)| *e).collect();
    redis_util::assert_one_exchange_per_window(
        &expiries,
        exchanges,
        i64::from(LIFETIME),
        WINDOW,
        elapsed,
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn many_tasks_make_one_exchange_per_window() {
    let Some(auth) = Rfc7523Server::start("async_one_exchange_per_window", LIFETIME) else {
        return;
    };
    let src = Src::new(builder(&auth.url(), 5)).unwrap();
    let started = now();
    let (tokens, calls) = hammer(&[src], 14).await;
    let exchanges = auth.count();
    let windows = assert_one_per_window(&tokens, exchanges, now() - started);
    let _ = writeln!(
        std::io::stderr(),
        "FLEET async: exchanges={exchanges} windows={windows} tasks={TASKS} get_calls={calls}"
    );
}

#[cfg(feature = "redis")]
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_sources_sharing_redis_make_one_exchange_per_window() {
    use jwtmint::client::redis_store::RedisStore;
    let Some(redis) = redis_util::RedisServer::start("async_redis_one_per_window") else {
        return;
    };
    let Some(auth) = Rfc7523Server::start("async_redis_one_per_window", LIFETIME) else {
        return;
    };
    let sources: Vec<Src> = (0..2)
        .map(|_| {
            let store = Arc::new(RedisStore::open(&redis.url(), "async:").unwrap());
            Src::new(
                builder(&auth.url(), 3)
                    .store(store)
                    .lock_wait(Duration::from_secs(4)),
            )
            .unwrap()
        })
        .collect();
    let started = now();
    let (tokens, calls) = hammer(&sources, 14).await;
    let exchanges = auth.count();
    let windows = assert_one_per_window(&tokens, exchanges, now() - started);
    assert_eq!(
        sources[0].source().requests_sent() + sources[1].source().requests_sent(),
        exchanges
    );
    let _ = writeln!(
        std::io::stderr(),
        "FLEET async+redis: exchanges={exchanges} windows={windows} sources=2 tasks={TASKS} get_calls={calls}"
    );
}

/// The async fetcher renews its store lock while the request runs: with
/// the endpoint stalled 2 s and a 400 ms lock TTL, a second source sharing
/// Redis waits for the first one's token instead of taking the lapsed lock
/// and exchanging again.
#[cfg(feature = "redis")]
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_async_fetch_slower_than_the_lock_ttl_keeps_the_lock() {
    use jwtmint::client::redis_store::RedisStore;
    let Some(redis) = redis_util::RedisServer::start("async_lock_renewal") else {
        return;
    };
    let Some(auth) = Rfc7523Server::start("async_lock_renewal", 600) else {
        return;
    };
    redis_util::stall_next(auth.port, 2);
    let sources: Vec<Src> = (0..2)
        .map(|_| {
            let store = Arc::new(RedisStore::open(&redis.url(), "renew:").unwrap());
            Src::new(
                builder(&auth.url(), 5)
                    .store(store)
                    .lock_wait(Duration::from_millis(400)),
            )
            .unwrap()
        })
        .collect();
    let first = {
        let s = sources[0].clone();
        tokio::spawn(async move { s.get().await.unwrap() })
    };
    // The second asks once the first holds the lock (mid-stall).
    tokio::time::sleep(Duration::from_millis(700)).await;
    let second = sources[1].get().await.unwrap();
    let first = first.await.unwrap();
    assert_eq!(second.access_token(), first.access_token());
    assert_eq!(auth.count(), 1, "one exchange");
    assert_eq!(sources[1].source().requests_sent(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_caller_does_not_strand_the_fetch() {
    let Some(auth) = Rfc7523Server::start("async_cancelled_caller", 600) else {
        return;
    };
    redis_util::stall_next(auth.port, 2);
    let src = Src::new(builder(&auth.url(), 5)).unwrap();
    // The caller gives up while the (stalled) fetch is in flight...
    let gave_up = tokio::time::timeout(Duration::from_millis(300), src.get()).await;
    assert!(gave_up.is_err(), "the stalled fetch answered early");
    // ... the fetch goes on: the next caller gets its token, no second request.
    let t = Instant::now();
    let token = src.get().await.unwrap();
    assert!(t.elapsed() < Duration::from_secs(4), "{:?}", t.elapsed());
    assert!(token.expires_at > now() + 500);
    assert_eq!(auth.count(), 1);
    assert_eq!(src.source().requests_sent(), 1);
}

/// A one-shot HTTP server answering every connection with `response`
/// (after `delay`); returns its token URL.
fn hostile(response: Vec<u8>, delay: Duration) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!(
        "http://127.0.0.1:{}/token",
        listener.local_addr().unwrap().port()
    );
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { return };
            let response = response.clone();
            std::thread::spawn(move || {
                let mut buf = [0u8; 8192];
                let _ = conn.set_read_timeout(Some(Duration::from_millis(200)));
                let _ = conn.read(&mut buf);
                std::thread::sleep(delay);
                let _ = conn.write_all(&response);
            });
        }
    });
    url
}

async fn failure_of(url: &str, timeout: u64) -> (String, String, Duration) {
    let src = Src::new(builder(url, timeout).max_wait(Duration::from_millis(1500))).unwrap();
    let t = Instant::now();
    let Err(TokenError::Unavailable {
        reason,
        detail: Some(detail),
    }) = src.get().await
    else {
        panic!("no transport failure for {url}");
    };
    (reason, detail, t.elapsed())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_transport_refuses_redirects_caps_the_body_and_times_out() {
    let redirect = hostile(
        b"HTTP/1.1 307 Temporary Redirect\r\nLocation: http://127.0.0.1:9/steal\r\nContent-Length: 0\r\n\r\n".to_vec(),
        Duration::ZERO,
    );
    let (reason, detail, _) = failure_of(&redirect, 5).await;
    assert_eq!(reason, "transport error: RedirectRefused");
    assert!(
        detail.starts_with(
            "the token endpoint answered HTTP 307 redirecting to http://127.0.0.1:9/steal: not followed"
        ),
        "{detail}"
    );

    let too_large = "the response body is larger than 1048576 bytes";
    let mut big =
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2000000\r\n\r\n"
            .to_vec();
    big.extend(std::iter::repeat_n(b' ', 2_000_000));
    let big = hostile(big, Duration::ZERO);
    let (reason, detail, _) = failure_of(&big, 5).await;
    assert_eq!(
        (reason.as_str(), detail.as_str()),
        ("transport error: TooLarge", too_large)
    );

    // No Content-Length: the cap applies while the body streams in.
    let mut streamed =
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n".to_vec();
    streamed.extend(std::iter::repeat_n(b' ', 1_100_000));
    let streamed = hostile(streamed, Duration::ZERO);
    let (reason, detail, _) = failure_of(&streamed, 5).await;
    assert_eq!(
        (reason.as_str(), detail.as_str()),
        ("transport error: TooLarge", too_large)
    );

    let stall = hostile(b"HTTP/1.1 200 OK\r\n\r\n".to_vec(), Duration::from_secs(5));
    let (reason, detail, took) = failure_of(&stall, 1).await;
    assert_eq!(reason, "transport error: Timeout");
    assert_eq!(
        detail,
        "the request timed out after 1 s (connect, send, response and body together)"
    );
    assert!(took < Duration::from_secs(3), "{took:?}");
}
