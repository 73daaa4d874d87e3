//! `jwtmint::client::TokenSource` against the Authlib RFC 7523 server
//! (tests/py/rfc7523_server.py, tokens valid 4 s, request counter):
//! - 8 threads x many `get()` over several refresh windows: one exchange
//!   per window (the counter equals the distinct tokens handed out, and
//!   consecutive tokens are one window apart), never an expired token;
//! - two sources sharing one cache file (two "processes"): still one
//!   exchange per window for both;
//! - a rejected grant reaches every waiting caller once, one request;
//! - a store that cannot be written never loses the token.
//!
//! Without Python + Authlib the tests skip loudly (tests/common/peers.rs).
#![cfg(feature = "client")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::authlib::Rfc7523Server;
use jwtmint::SigningKey;
use jwtmint::client::file_store::FileStore;
use jwtmint::client::{SourceWarning, TokenError, TokenSource};
use jwtmint::profiles::Rfc7523;

const LIFETIME: u32 = 4;

fn profile(url: &str) -> Rfc7523<'_> {
    Rfc7523::grant("demo-client", "alice", url)
        .unwrap()
        .with_token_url(url)
        .unwrap()
}

fn key() -> SigningKey {
    SigningKey::from_pem(common::DEMO_KEY).unwrap()
}

fn now() -> i64 {
    jwtmint::time::now().unwrap()
}

/// Runs `threads` threads per source, each calling `get()` every 3 ms for
/// `run`; returns every token seen: text -> (stored_at, expires_at).
fn hammer<P, K>(
    sources: &[TokenSource<P, K>],
    threads: usize,
    run: Duration,
) -> (BTreeMap<String, (i64, i64)>, u64)
where
    P: core::ops::Deref + Send + Sync,
    P::Target: jwtmint::profiles::Profile,
    K: core::ops::Deref + Send + Sync,
    K::Target: jwtmint::JwsKey,
{
    let seen = Mutex::new(BTreeMap::new());
    let calls = std::sync::atomic::AtomicU64::new(0);
    let end = Instant::now() + run;
    std::thread::scope(|s| {
        for src in sources {
            for _ in 0..threads {
                s.spawn(|| {
                    while Instant::now() < end {
                        let t = src.get().unwrap();
                        let at = now();
                        assert!(at < t.expires_at, "expired token handed out");
                        calls.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        seen.lock()
                            .unwrap()
                            .entry(t.access_token().to_owned())
                            .or_insert((t.stored_at, t.expires_at));
                        std::thread::sleep(Duration::from_millis(3));
                    }
                });
            }
        }
    });
    (seen.into_inner().unwrap(), calls.into_inner())
}

/// One exchange per window: every request's token was handed out, and
/// consecutive tokens were fetched half a lifetime apart (the refresh rule
/// min(refresh_ahead, lifetime / 2)), never sooner.
fn one_per_window(seen: &BTreeMap<String, (i64, i64)>, exchanges: u64, run: Duration) {
    assert_eq!(
        exchanges,
        seen.len() as u64,
        "every exchange's token is used: no wasted exchange"
    );
    let mut stored: Vec<i64> = seen.values().map(|v| v.0).collect();
    stored.sort_unstable();
    let half = i64::from(LIFETIME) / 2;
    for w in stored.windows(2) {
        let gap = w[1] - w[0];
        assert!(
            (half..=half + 1).contains(&gap),
            "tokens stored {gap} s apart (window {half} s): {stored:?}"
        );
    }
    // The run touches ceil(run / window) windows (a fetch opens each).
    let windows = run.as_secs().div_ceil(half as u64);
    eprintln!("{exchanges} exchanges, {windows} windows of {half} s, stored at {stored:?}");
    assert!(
        (windows - 1..=windows + 1).contains(&exchanges),
        "{exchanges} exchanges for {windows} windows"
    );
}

#[test]
fn eight_threads_make_one_exchange_per_window() {
    let Some(server) = Rfc7523Server::start("eight_threads_make_one_exchange_per_window", LIFETIME)
    else {
        return;
    };
    let url = server.url();
    let p = profile(&url);
    let k = key();
    let src = TokenSource::builder(&p, &k).build().unwrap();
    let run = Duration::from_secs(9);
    let (seen, calls) = hammer(std::slice::from_ref(&src), 8, run);
    assert!(calls > 8 * 1000, "{calls} calls");
    eprintln!("8 threads: {calls} get() calls");
    one_per_window(&seen, server.count(), run);
    assert_eq!(src.requests_sent(), server.count());
}

#[test]
fn two_sources_sharing_a_cache_file_make_one_exchange_per_window() {
    let Some(server) = Rfc7523Server::start(
        "two_sources_sharing_a_cache_file_make_one_exchange_per_window",
        LIFETIME,
    ) else {
        return;
    };
    let dir = std::env::temp_dir().join(format!("jwtmint-ts-share-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let url = server.url();
    let p = profile(&url);
    let k = key();
    // Two sources with their own store objects: the only thing they share
    // is the file (and its lock), as two processes would.
    let sources: Vec<_> = (0..2)
        .map(|_| {
            TokenSource::builder(&p, &k)
                .store(Arc::new(FileStore::new(dir.join("tok.json"))))
                .build()
                .unwrap()
        })
        .collect();
    let run = Duration::from_secs(7);
    let (seen, _) = hammer(&sources, 4, run);
    one_per_window(&seen, server.count(), run);
    assert_eq!(
        sources[0].requests_sent() + sources[1].requests_sent(),
        server.count()
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_rejected_grant_reaches_every_caller_once_and_a_failed_save_keeps_the_token() {
    let Some(server) = Rfc7523Server::start("a_rejected_grant_reaches_every_caller", 3600) else {
        return;
    };
    let url = server.url();
    let p = profile(&url);
    // The wrong key: invalid_grant.
    let wrong =
        SigningKey::from_pem(&String::from_utf8(common::data("rsa3072.pem")).unwrap()).unwrap();
    let src = TokenSource::builder(&p, &wrong).build().unwrap();
    let errors: Vec<TokenError> = std::thread::scope(|s| {
        let hs: Vec<_> = (0..8).map(|_| s.spawn(|| src.get().unwrap_err())).collect();
        hs.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for e in &errors {
        match e {
            TokenError::Rejected { code, status, .. } => {
                assert_eq!((code.as_str(), *status), ("invalid_grant", 400), "{e}");
            }
            other => panic!("{other}"),
        }
    }
    // Asked again: the same error, no new request (not retried in a loop).
    assert!(matches!(src.get(), Err(TokenError::Rejected { .. })));
    assert_eq!(server.count(), 1);

    // A store that cannot be written (its path is a directory): the token
    // is returned, the warning says it was not cached.
    let dir = std::env::temp_dir().join(format!("jwtmint-ts-nosave-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("tok.json")).unwrap();
    let warnings = Arc::new(Mutex::new(Vec::new()));
    let w = Arc::clone(&warnings);
    let k = key();
    let src = TokenSource::builder(&p, &k)
        .store(Arc::new(FileStore::new(dir.join("tok.json"))))
        .on_warning(move |e: &SourceWarning| w.lock().unwrap().push(e.to_string()))
        .build()
        .unwrap();
    let t = src.get().unwrap();
    assert!(t.access_token().len() >= 20);
    assert_eq!(server.count(), 2);
    let warnings = warnings.lock().unwrap();
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("the token was not cached: rename")),
        "{warnings:?}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
