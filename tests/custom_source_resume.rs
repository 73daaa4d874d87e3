//! Renewal across processes: a `TokenSource` for the `Custom` password IdP
//! of issue 17 (tests/py/custom_idp.py, Authlib, 4 s JWTs) that finds a
//! record left in the shared cache file by an earlier process renews with
//! the record's refresh token — whether that record's access token is only
//! due or already expired — instead of logging in with the password again.
//! Each "process" is a fresh `TokenSource` over the same file, with its own
//! clock (moved forward to the due second; real time, after a sleep, for
//! the expired cases: the IdP's JWTs carry real `exp` times). The IdP's `/received` shows
//! the password was sent exactly once; an expired stored token is never
//! handed out.
#![cfg(feature = "client")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::custom_idp::{CustomIdp, alice_custom};

use jwtmint::client::TokenSource;
use jwtmint::client::file_store::FileStore;
use jwtmint::signer::NoKey;

const PASSWORD: &str = "resume p@ss";
const API_KEY: &str = "k-resume";

/// Sleeps until the real clock is past `exp`; returns the time then.
fn after(exp: i64) -> i64 {
    loop {
        let now = jwtmint::time::now().unwrap();
        if now > exp {
            return now;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_later_process_renews_with_the_stored_refresh_token() {
    let Some(idp) = CustomIdp::start(
        "a_later_process_renews_with_the_stored_refresh_token",
        PASSWORD,
        API_KEY,
        10800,
    ) else {
        return;
    };
    alice_custom!(idp, API_KEY => _password, custom);
    let cache = idp.dir.join("cache.json");
    let start = jwtmint::time::now().unwrap();
    // One "process": a new source over the cache file, at `now`.
    let run = |now: i64| {
        let warnings = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
        let w = Arc::clone(&warnings);
        let source = TokenSource::builder(&custom, &NoKey)
            .store(Arc::new(FileStore::new(&cache)))
            .clock(move || now)
            .max_wait(Duration::ZERO)
            .on_warning(move |e| w.lock().unwrap().push(e.to_string()))
            .build()
            .unwrap();
        let t = source.get().unwrap();
        assert!(now < t.expires_at, "never an expired token");
        let warnings = warnings.lock().unwrap().clone();
        (
            t.access_token().to_owned(),
            t.expires_at,
            source.requests_sent(),
            warnings,
        )
    };

    // 1. First run: password login, record saved.
    let (t1, exp1, sent, warn) = run(start);
    assert_eq!((sent, warn), (1, vec![]));
    assert_eq!(idp.counts(), (1, 0, 0));
    assert!((start + 3..=start + 5).contains(&exp1), "{exp1} vs {start}");

    // 2. A run while the stored token is valid and not due: no request.
    let (t, _, sent, _) = run(start);
    assert_eq!((t.as_str(), sent), (t1.as_str(), 0));

    // 3. A run when it is due (last second of its life): the refresh token.
    let (t2, exp2, sent, warn) = run(exp1 - 1);
    assert_eq!((sent, warn), (1, vec![]));
    assert_ne!(t2, t1);
    assert_eq!(idp.counts(), (1, 1, 0), "renewed with the refresh token");

    // 4. A run after it expired: the record's refresh token still renews
    //    (the expired access token is never handed out).
    let now = after(exp2);
    let (t3, exp3, sent, warn) = run(now);
    assert_eq!(sent, 1);
    assert!(warn.is_empty(), "{warn:?}");
    assert!(t3 != t1 && t3 != t2);
    assert_eq!(
        idp.counts(),
        (1, 2, 0),
        "renewed with the rotated refresh token"
    );

    // The password went to the IdP exactly once.
    let received = idp.json("/received");
    assert_eq!(received, serde_json::json!([PASSWORD]));

    // 5. The refresh token revoked: the next late run falls back to the
    //    password (the record's refresh token is refused, dropped).
    let (s, _) = idp.server.request("POST", "/revoke-refresh", &[], b"");
    assert_eq!(s, 200);
    let (t4, _, sent, _) = run(after(exp3));
    assert_eq!(sent, 2, "the refused refresh token, then the password");
    assert!(t4 != t3);
    assert_eq!(idp.counts(), (2, 3, 0));
}
