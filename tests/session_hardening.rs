//! Issue 21: the session survives production. Fault injection against the
//! sans-IO core (fake signer, canned answers) and, with `client`, against
//! `TokenSource` over a scripted HTTP server on 127.0.0.1:
//! - hostile token syntax (CR LF, NUL, space, DEL, non-ASCII in each token
//!   member) is a malformed answer: never stored, never restored, the old
//!   token kept;
//! - `invalidate(token)` sticks (a record holding it is refused; the shared
//!   record is removed only while it holds it) and only drops that token;
//! - a refused refresh answer leaves token, refresh token and extras whole;
//! - a rejection is retried after 300 s backing off to 3600 s, and a
//!   rejected source adopts a peer's record;
//! - refresh spread and OS seeding; `Retry-After`; late answers; bad keys.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[cfg(feature = "client")]
mod common;
#[cfg(feature = "redis")]
mod redis_util;
mod session_util;

use jwtmint::Error;
use jwtmint::error::JsonPart;
use jwtmint::profiles::Rfc7523;
use jwtmint::session::{Action, Config, FailureKind, Grant, Outcome, Session};

use session_util::*;

const T0: i64 = 1_700_000_000;

/// Each hostile value (JSON string contents as sent) for each token member.
const HOSTILE: [&str; 9] = [
    r"x\r\nX-Injected: 1",
    r"x\u000d\u000aX-Injected: 1",
    r"x\u0000y",
    "x y",
    r"x\u007fy",
    r"x\u00e9y",
    "x\u{e9}y",
    r"x\ty",
    r"\u2028",
];

/// A record for session identity `hex` holding `token` (as JSON contents).
fn record(hex: &str, token: &str, token_type: &str, refresh: Option<&str>, exp: i64) -> String {
    let rt = refresh.map_or(String::new(), |r| format!(r#","refresh_token":"{r}""#));
    format!(
        r#"{{"v":1,"identity":"{hex}","access_token":"{token}","token_type":"{token_type}","expires_at":{exp},"stored_at":{T0}{rt}}}"#
    )
}

fn hex(id: &[u8; 32]) -> String {
    id.iter().map(|b| format!("{b:02x}")).collect()
}

/// A session holding "good" (refresh token "rt-good", instance_url), due
/// at `T0 + 3540`.
fn good_session<'a>(p: &'a Rfc7523<'static>) -> S<'a, Rfc7523<'static>> {
    let mut s: S<'_, _> = Session::new(p, &FakeKey, Config::new().jitter_seed(0));
    let t = fetch(s.poll(T0)).ticket;
    let body = r#"{"access_token":"good","refresh_token":"rt-good","instance_url":"https://x.example","token_type":"Bearer","expires_in":3600}"#;
    assert_eq!(
        s.complete(T0, t, 200, body.as_bytes()),
        Outcome::Stored {
            expires_at: T0 + 3600
        }
    );
    s
}

fn assert_still_good(s: &mut S<'_, Rfc7523<'static>>, now: i64) {
    let c = s.credential(now).expect("the old token is kept");
    assert_eq!(
        (c.token, c.instance_url, c.expires_at),
        ("good", Some("https://x.example"), T0 + 3600)
    );
    assert!(s.has_refresh_token(), "the refresh token is kept");
}

#[test]
fn hostile_token_syntax_is_malformed_never_stored_old_token_kept() {
    let p = grant_profile();
    let members = ["access_token", "refresh_token", "id_token", "token_type"];
    for member in members {
        for bad in HOSTILE {
            let mut s = good_session(&p);
            let now = T0 + 3550;
            let f = fetch(s.poll(now));
            assert_eq!(f.grant, Grant::RefreshToken);
            let t = f.ticket;
            let mut fields = vec![
                ("access_token", "fresh".to_owned()),
                ("token_type", "Bearer".to_owned()),
            ];
            match fields.iter_mut().find(|(k, _)| *k == member) {
                Some(slot) => slot.1 = bad.to_owned(),
                None => fields.push((member, bad.to_owned())),
            }
            let body = format!(
                "{{{},\"expires_in\":3600}}",
                fields
                    .iter()
                    .map(|(k, v)| format!("\"{k}\":\"{v}\""))
                    .collect::<Vec<_>>()
                    .join(",")
            );
            let out = s.complete(now, t, 200, body.as_bytes());
            assert!(
                matches!(out, Outcome::Retry { .. }),
                "{member} {bad}: {out:?}"
            );
            let f = s.failure().unwrap();
            assert_eq!(
                f.kind(),
                FailureKind::Malformed(Error::InvalidTokenSyntax {
                    part: JsonPart::TokenResponse,
                    name: member
                }),
                "{member} {bad}"
            );
            assert!(!f.is_rejected());
            assert_still_good(&mut s, now);
            assert_eq!(used(s.poll(now)).token, "good");
        }
    }
    // An empty token_type is not an HTTP token either.
    let mut s = good_session(&p);
    let t = fetch(s.poll(T0 + 3550)).ticket;
    let out = s.complete(
        T0 + 3550,
        t,
        200,
        br#"{"access_token":"fresh","token_type":"","expires_in":60}"#,
    );
    assert!(matches!(out, Outcome::Retry { .. }), "{out:?}");
    assert_still_good(&mut s, T0 + 3550);
}

#[test]
fn hostile_records_are_refused_by_restore_and_change_nothing() {
    let p = grant_profile();
    let mut s = good_session(&p);
    let id = hex(s.identity());
    for bad in HOSTILE {
        let cases = [
            record(&id, bad, "Bearer", None, T0 + 7200),
            record(&id, "fine", bad, None, T0 + 7200),
            record(&id, "fine", "Bearer", Some(bad), T0 + 7200),
        ];
        for (rec, name) in cases
            .iter()
            .zip(["access_token", "token_type", "refresh_token"])
        {
            assert_eq!(
                s.restore(T0 + 10, rec.as_bytes()),
                Err(Error::InvalidTokenSyntax {
                    part: JsonPart::SessionRecord,
                    name
                }),
                "{rec}"
            );
            assert_still_good(&mut s, T0 + 10);
        }
    }
    // A clean record still restores.
    let ok = record(&id, "peer", "Bearer", None, T0 + 7200);
    assert_eq!(s.restore(T0 + 10, ok.as_bytes()), Ok(T0 + 7200));
}

#[test]
fn invalidate_sticks_and_drops_only_that_token() {
    let p = grant_profile();
    let mut s = good_session(&p);
    let mut rec = vec![0u8; 2048];
    let n = s.encode_record(&mut rec).unwrap();
    rec.truncate(n);
    // A 401 for a token already replaced is a no-op.
    assert!(!s.invalidate("older-token"));
    assert_eq!(used(s.poll(T0 + 1)).token, "good");
    // The token that got the 401 goes (the refresh token stays) ...
    assert!(s.invalidate("good"));
    assert!(s.credential(T0 + 1).is_none());
    assert!(s.has_refresh_token());
    // ... and never comes back from a record (a store, a peer), even one
    // that lasts longer.
    assert_eq!(s.restore(T0 + 1, &rec), Err(Error::TokenRevoked));
    let id = hex(s.identity());
    let longer = record(&id, "good", "Bearer", None, T0 + 99_999);
    assert_eq!(
        s.restore(T0 + 1, longer.as_bytes()),
        Err(Error::TokenRevoked)
    );
    assert!(s.credential(T0 + 1).is_none());
    let f = fetch(s.poll(T0 + 1));
    assert_eq!(f.grant, Grant::RefreshToken);
    // The server may hand out a new token; a peer's other token restores.
    let t = f.ticket;
    s.complete(T0 + 2, t, 200, ok_body("next", 3600).as_bytes());
    assert_eq!(used(s.poll(T0 + 3)).token, "next");
    assert!(s.is_revoked("good") && !s.is_revoked("next"));
    assert!(jwtmint::session::record_holds(
        &rec,
        &jwtmint::session::token_digest("good")
    ));
    assert!(!jwtmint::session::record_holds(
        &rec,
        &jwtmint::session::token_digest("next")
    ));
}

#[test]
fn a_refused_refresh_answer_leaves_token_refresh_token_and_extras() {
    let p = grant_profile();
    let now = T0 + 3550;
    // Already expired (expires_in 0), then one that does not fit (1024).
    let big = "a".repeat(2000);
    let bodies = [
        (
            r#"{"access_token":"fresh","expires_in":0}"#.to_owned(),
            FailureKind::AlreadyExpired,
        ),
        (
            format!(r#"{{"access_token":"{big}","expires_in":60}}"#),
            FailureKind::Storage(Error::TokenTooLong {
                len: 2000,
                capacity: 1024,
            }),
        ),
        (
            format!(r#"{{"access_token":"fresh","refresh_token":"{big}","expires_in":60}}"#),
            FailureKind::Storage(Error::TokenTooLong {
                len: 2000,
                capacity: 1024,
            }),
        ),
    ];
    for (body, kind) in bodies {
        let mut s = good_session(&p);
        let t = fetch(s.poll(now)).ticket;
        s.complete(now, t, 200, body.as_bytes());
        assert_eq!(s.failure().unwrap().kind(), kind);
        assert_still_good(&mut s, now);
        assert_eq!(used(s.poll(now)).token, "good");
        // The record still carries the refresh token.
        let mut rec = vec![0u8; 2048];
        let n = s.encode_record(&mut rec).unwrap();
        assert!(core::str::from_utf8(&rec[..n]).unwrap().contains("rt-good"));
    }
}

#[test]
fn a_rejection_is_retried_after_300_s_backing_off_to_an_hour() {
    let p = grant_profile();
    let mut s: S<'_, _> = Session::new(&p, &FakeKey, Config::new().jitter_seed(5));
    let mut now = T0;
    let mut delays = Vec::new();
    for _ in 0..6 {
        let t = fetch(s.poll(now)).ticket;
        assert_eq!(
            s.complete(now, t, 400, br#"{"error":"invalid_grant"}"#),
            Outcome::Rejected
        );
        let f = s.failure().unwrap();
        assert!(f.is_rejected());
        let at = f.retry_at().expect("a rejection is retried");
        assert!(matches!(s.poll(at - 1), Action::Failed(_)));
        delays.push(at - now);
        now = at;
    }
    // base 300, 600, 1200, 2400, 3600, 3600, full jitter in [300, base].
    for (d, base) in delays.iter().zip([300i64, 600, 1200, 2400, 3600, 3600]) {
        assert!((300..=base).contains(d), "{delays:?}");
    }
    assert_eq!(delays[0], 300);
    // A peer's record heals it at once.
    let id = hex(s.identity());
    let rec = record(&id, "peer", "Bearer", None, now + 600);
    assert_eq!(s.restore(now, rec.as_bytes()), Ok(now + 600));
    assert_eq!(used(s.poll(now)).token, "peer");
    assert!(s.failure().is_none());
}

#[test]
fn the_refresh_moment_is_spread_per_seed_over_half_the_window() {
    let p = grant_profile();
    let at = |seed: u64| {
        let mut s: S<'_, _> = Session::new(&p, &FakeKey, Config::new().jitter_seed(seed));
        store(&mut s, T0, "tok", 3600);
        used(s.poll(T0 + 1)).refresh_at
    };
    // Seed 0 (the bare core): exactly refresh_ahead (60 s) before expiry.
    assert_eq!(at(0), T0 + 3540);
    let spread: Vec<i64> = (1..=40).map(at).collect();
    assert!(
        spread.iter().all(|t| (T0 + 3510..=T0 + 3540).contains(t)),
        "{spread:?}"
    );
    let distinct: std::collections::BTreeSet<_> = spread.iter().collect();
    assert!(distinct.len() >= 10, "{distinct:?}");
    // The session fetches at its own moment, not before.
    let mut s: S<'_, _> = Session::new(&p, &FakeKey, Config::new().jitter_seed(3));
    store(&mut s, T0, "tok", 3600);
    let due = used(s.poll(T0 + 1)).refresh_at;
    assert!(matches!(s.poll(due - 1), Action::Use(_)));
    assert!(matches!(s.poll(due), Action::Fetch(_)));
}

#[test]
fn retry_after_is_honoured_and_clamped_to_the_backoff_cap() {
    let p = grant_profile();
    let mut s: S<'_, _> = Session::new(&p, &FakeKey, Config::new().jitter_seed(1));
    let t = fetch(s.poll(T0)).ticket;
    assert_eq!(
        s.complete_with_retry_after(T0, t, 429, b"slow down", Some(120)),
        Outcome::Retry { at: T0 + 120 }
    );
    assert_eq!(s.failure().unwrap().retry_at(), Some(T0 + 120));
    assert_eq!(s.poll(T0 + 119), Action::Wait(T0 + 120));
    let t = fetch(s.poll(T0 + 120)).ticket;
    assert_eq!(
        s.complete_with_retry_after(T0 + 120, t, 503, b"", Some(86_400)),
        Outcome::Retry { at: T0 + 120 + 300 }
    );
    use jwtmint::session::parse_retry_after;
    assert_eq!(parse_retry_after(b" 7 ", T0), Some(7));
    // HTTP-dates need `std` (the `httpdate` crate); the bare core reads
    // delay-seconds only.
    #[cfg(feature = "std")]
    {
        assert_eq!(
            parse_retry_after(b"Tue, 14 Nov 2023 22:13:00 GMT", T0),
            Some(0),
            "a date in the past"
        );
        assert_eq!(
            parse_retry_after(b"Tue, 14 Nov 2023 22:14:20 GMT", T0 - 20),
            Some(80)
        );
    }
    #[cfg(not(feature = "std"))]
    assert_eq!(
        parse_retry_after(b"Tue, 14 Nov 2023 22:13:00 GMT", T0),
        None
    );
    assert_eq!(parse_retry_after(b"-5", T0), None);
    assert_eq!(parse_retry_after(b"", T0), None);
}

#[test]
fn a_late_answer_to_the_latest_fetch_is_taken_until_a_newer_fetch() {
    let p = grant_profile();
    let mut s: S<'_, _> = Session::new(&p, &FakeKey, Config::new().jitter_seed(1));
    let t = fetch(s.poll(T0)).ticket;
    // Abandoned at the fetch timeout (30 s) ...
    assert!(matches!(s.poll(T0 + 30), Action::Wait(_)));
    assert!(!s.in_flight());
    // ... yet its answer (it may carry a rotated refresh token) is taken.
    assert_eq!(
        s.complete(T0 + 31, t, 200, ok_body("late", 600).as_bytes()),
        Outcome::Stored {
            expires_at: T0 + 631
        }
    );
    assert_eq!(used(s.poll(T0 + 32)).token, "late");
    // Once a newer fetch was issued, the abandoned one is stale.
    let mut s: S<'_, _> = Session::new(&p, &FakeKey, Config::new().jitter_seed(1));
    let old = fetch(s.poll(T0)).ticket;
    assert!(matches!(s.poll(T0 + 30), Action::Wait(_)));
    let newer = fetch(s.poll(T0 + 60)).ticket;
    assert_eq!(
        s.complete(T0 + 61, old, 200, ok_body("late", 600).as_bytes()),
        Outcome::Stale
    );
    assert!(s.in_flight());
    s.cancel(newer);
}

#[cfg(feature = "std")]
#[test]
fn a_key_that_cannot_sign_for_the_profile_is_refused_up_front() {
    use jwtmint::profiles::{Login, Salesforce};
    let ec = jwtmint::SigningKey::from_pem(
        &String::from_utf8(
            std::fs::read(
                std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/ec-p256.pem"),
            )
            .unwrap(),
        )
        .unwrap(),
    )
    .unwrap();
    let sf = Salesforce::new("3MVG9...", "user@example.com", Login::Sandbox).unwrap();
    let e = Session::<_, _>::try_new(&sf, &ec, Config::new()).unwrap_err();
    assert!(matches!(e, Error::KeyAlgorithmMismatch { .. }), "{e:?}");
    let rsa = jwtmint::SigningKey::from_pem(include_str!("../examples/keys/demo-key.pem")).unwrap();
    assert!(Session::<_, _>::try_new(&sf, &rsa, Config::new()).is_ok());
}

#[cfg(feature = "client")]
mod source {
    //! `TokenSource` against a scripted token endpoint on 127.0.0.1.
    use std::collections::VecDeque;
    use std::io::Write;
    use std::net::TcpListener;
    use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
    use std::sync::{Arc, Mutex};
    use std::time::{Duration, Instant};

    use jwtmint::SigningKey;
    use jwtmint::client::store::{MemoryStore, Store};
    use jwtmint::client::{ClientError, TokenError, TokenSource};
    use jwtmint::profiles::Rfc7523;
    use jwtmint::session::{Action, Config, Session};

    /// A token endpoint answering each request with the next scripted
    /// response (the last one repeats); `{n}` in it becomes the request
    /// number. Counts requests.
    struct Server {
        url: String,
        count: Arc<AtomicU64>,
    }

    /// A scripted answer: status line, extra headers, body; `{n}` in the
    /// body is replaced (before `Content-Length` is computed).
    #[derive(Clone)]
    struct Reply(u16, String, String);

    fn response(status: u16, headers: &str, body: &str) -> Reply {
        Reply(status, headers.to_owned(), body.to_owned())
    }

    impl Reply {
        fn render(&self, n: u64) -> String {
            let body = self.2.replace("{n}", &n.to_string());
            format!(
                "HTTP/1.1 {} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\n{}\r\n{body}",
                self.0,
                body.len(),
                self.1
            )
        }
    }

    fn ok(token: &str, expires_in: i64) -> Reply {
        let body = format!(
            r#"{{"access_token":"{token}","token_type":"Bearer","expires_in":{expires_in}}}"#
        );
        response(200, "", &body)
    }

    impl Server {
        fn start(script: Vec<Reply>, delay: Duration) -> Self {
            let listener = TcpListener::bind("127.0.0.1:0").unwrap();
            let url = format!(
                "http://127.0.0.1:{}/token",
                listener.local_addr().unwrap().port()
            );
            let count = Arc::new(AtomicU64::new(0));
            let script = Arc::new(Mutex::new(VecDeque::from(script)));
            let c = Arc::clone(&count);
            std::thread::spawn(move || {
                for conn in listener.incoming().take(500) {
                    let Ok(mut conn) = conn else { return };
                    let (c, script) = (Arc::clone(&c), Arc::clone(&script));
                    // Keep-alive: every request on the connection is answered.
                    std::thread::spawn(move || {
                        for _ in 0..100 {
                            if !read_request(&mut conn) {
                                return;
                            }
                            let n = c.fetch_add(1, Ordering::SeqCst) + 1;
                            let next = {
                                let mut s = script.lock().unwrap();
                                if s.len() > 1 {
                                    s.pop_front().unwrap()
                                } else {
                                    s.front().cloned().unwrap()
                                }
                            };
                            let reply = next.render(n);
                            std::thread::sleep(delay);
                            if conn.write_all(reply.as_bytes()).is_err() {
                                return;
                            }
                        }
                    });
                }
            });
            Self { url, count }
        }

        fn count(&self) -> u64 {
            self.count.load(Ordering::SeqCst)
        }
    }

    /// Reads headers and a `Content-Length` body (bounded); `false` when
    /// the peer closed (or stalled 10 s) before a whole request.
    fn read_request(conn: &mut std::net::TcpStream) -> bool {
        let _ = conn.set_read_timeout(Some(Duration::from_secs(10)));
        crate::common::http::read_request(conn).is_some()
    }

    fn key() -> SigningKey {
        SigningKey::from_pem(include_str!("../examples/keys/demo-key.pem")).unwrap()
    }

    fn now() -> i64 {
        jwtmint::time::now().unwrap()
    }

    /// The record a healthy peer of the same grant saves after getting
    /// `token` (valid `life` s) at `t`.
    fn peer_record(p: &Rfc7523<'_>, k: &SigningKey, t: i64, token: &str, life: i64) -> Vec<u8> {
        let mut peer: Session<_, _, 4096, 4096> = Session::new(p, k, Config::new());
        let Action::Fetch(f) = peer.poll(t) else {
            panic!()
        };
        let ticket = f.ticket;
        let body = format!(r#"{{"access_token":"{token}","expires_in":{life}}}"#);
        peer.complete(t, ticket, 200, body.as_bytes());
        let mut rec = vec![0u8; 4096];
        let n = peer.encode_record(&mut rec).unwrap();
        rec.truncate(n);
        rec
    }

    /// `Store::remove_if_holds`: removes only a record holding that token,
    /// only under that key.
    fn remove_if_holds_contract(store: &dyn Store) {
        let p = Rfc7523::grant("c", "u", "http://127.0.0.1:9/token").unwrap();
        let k = key();
        let (key, other) = ("ab".repeat(32), "cd".repeat(32));
        let t = now();
        let digest = jwtmint::session::token_digest;
        store
            .save(&key, &peer_record(&p, &k, t, "tok-a", 600), t + 600, t)
            .unwrap();
        assert!(!store.remove_if_holds(&key, &digest("tok-b")).unwrap());
        assert!(!store.remove_if_holds(&other, &digest("tok-a")).unwrap());
        assert!(store.load(&key, t).unwrap().is_some());
        assert!(store.remove_if_holds(&key, &digest("tok-a")).unwrap());
        assert_eq!(store.load(&key, t).unwrap(), None);
        assert!(!store.remove_if_holds(&key, &digest("tok-a")).unwrap());
        // A peer saved a new token meanwhile: the old 401 removes nothing.
        store
            .save(&key, &peer_record(&p, &k, t, "tok-c", 600), t + 600, t)
            .unwrap();
        assert!(!store.remove_if_holds(&key, &digest("tok-a")).unwrap());
        assert!(store.load(&key, t).unwrap().is_some());
    }

    #[test]
    fn remove_if_holds_in_memory_and_file_stores() {
        remove_if_holds_contract(&MemoryStore::new());
        let dir = std::env::temp_dir().join(format!("jwtmint-rih-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let file = jwtmint::client::file_store::FileStore::new(dir.join("tok.json"));
        remove_if_holds_contract(&file);
        // While a peer holds the fetch lock (it is about to save), the
        // file is left alone.
        let sk = "ab".repeat(32);
        let p = Rfc7523::grant("c", "u", "http://127.0.0.1:9/token").unwrap();
        let t = now();
        file.save(&sk, &peer_record(&p, &key(), t, "tok-d", 600), t + 600, t)
            .unwrap();
        let peer = jwtmint::client::file_store::FileStore::new(dir.join("tok.json"));
        let lock = peer.try_lock(&sk, Duration::from_secs(5)).unwrap().unwrap();
        let d = jwtmint::session::token_digest("tok-d");
        assert!(!file.remove_if_holds(&sk, &d).unwrap());
        peer.unlock(&sk, &lock).unwrap();
        assert!(file.remove_if_holds(&sk, &d).unwrap());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(feature = "redis")]
    #[test]
    fn remove_if_holds_in_redis() {
        let Some(server) = crate::redis_util::RedisServer::start("session_hardening_rih") else {
            return;
        };
        let store = jwtmint::client::redis_store::RedisStore::open(&server.url(), "rih:").unwrap();
        remove_if_holds_contract(&store);
    }

    #[test]
    fn eight_callers_reacting_to_one_wave_of_401s_cause_one_request() {
        let server = Server::start(vec![ok("tok-{n}", 3600)], Duration::ZERO);
        let p = Rfc7523::grant("c", "u", &server.url).unwrap();
        let k = key();
        let src = TokenSource::builder(&p, &k).build().unwrap();
        let first = src.get().unwrap();
        assert_eq!(first.access_token(), "tok-1");
        let barrier = std::sync::Barrier::new(8);
        let after: Vec<String> = std::thread::scope(|s| {
            let hs: Vec<_> = (0..8)
                .map(|_| {
                    s.spawn(|| {
                        let t = src.get().unwrap();
                        barrier.wait();
                        // Every caller got a 401 with the token it held.
                        src.invalidate(t.access_token());
                        src.get().unwrap().access_token().to_owned()
                    })
                })
                .collect();
            hs.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert!(after.iter().all(|t| t == "tok-2"), "{after:?}");
        assert_eq!(server.count(), 2, "one extra request for one wave");
        // A stale 401 (the replaced token) changes nothing.
        assert!(!src.invalidate("tok-1"));
        assert_eq!(src.get().unwrap().access_token(), "tok-2");
        assert_eq!(server.count(), 2);
        let stats = src.stats();
        assert_eq!(
            (
                stats.requests,
                stats.stored,
                stats.invalidated,
                stats.last_error
            ),
            (2, 2, 1, None)
        );
    }

    #[test]
    fn an_invalidated_token_is_removed_from_the_store_and_never_readopted() {
        let server = Server::start(vec![ok("tok-{n}", 3600)], Duration::ZERO);
        let p = Rfc7523::grant("c", "u", &server.url).unwrap();
        let k = key();
        let store = Arc::new(MemoryStore::new());
        let a = TokenSource::builder(&p, &k)
            .store(store.clone())
            .build()
            .unwrap();
        let b = TokenSource::builder(&p, &k)
            .store(store.clone())
            .build()
            .unwrap();
        assert_eq!(a.get().unwrap().access_token(), "tok-1");
        // B adopts A's record: no request.
        assert_eq!(b.get().unwrap().access_token(), "tok-1");
        assert_eq!(server.count(), 1);
        let revoked = store.load(b.store_key(), now()).unwrap().unwrap();
        // The API answers B 401: B drops it and removes the shared record.
        assert!(b.invalidate("tok-1"));
        assert_eq!(store.load(b.store_key(), now()).unwrap(), None);
        // A stale peer writes the revoked record back: B never adopts it.
        store
            .save(b.store_key(), &revoked.record, revoked.expires_at, now())
            .unwrap();
        assert_eq!(b.get().unwrap().access_token(), "tok-2");
        assert_eq!(server.count(), 2);
        // The record now holds tok-2: a stale 401 for tok-1 leaves it.
        assert!(!b.invalidate("tok-1"));
        let held = store.load(b.store_key(), now()).unwrap().unwrap();
        assert!(jwtmint::session::record_holds(
            &held.record,
            &jwtmint::session::token_digest("tok-2")
        ));
    }

    #[test]
    fn a_rejected_source_adopts_a_record_a_healthy_peer_saved() {
        let server = Server::start(
            vec![response(400, "", r#"{"error":"invalid_grant"}"#)],
            Duration::ZERO,
        );
        let p = Rfc7523::grant("c", "u", &server.url).unwrap();
        let k = key();
        let store = Arc::new(MemoryStore::new());
        let clock = Arc::new(AtomicI64::new(now()));
        let c = Arc::clone(&clock);
        let src = TokenSource::builder(&p, &k)
            .store(store.clone())
            .clock(move || c.load(Ordering::SeqCst))
            .max_wait(Duration::ZERO)
            .build()
            .unwrap();
        assert!(matches!(src.get(), Err(TokenError::Rejected { .. })));
        assert_eq!(server.count(), 1);
        // A healthy peer (same grant) saves a token.
        let t = clock.load(Ordering::SeqCst);
        let rec = peer_record(&p, &k, t, "peer", 600);
        store.save(src.store_key(), &rec, t + 600, t).unwrap();
        clock.fetch_add(1, Ordering::SeqCst);
        assert_eq!(src.get().unwrap().access_token(), "peer");
        assert_eq!(server.count(), 1, "no request: the record was adopted");
        let stats = src.stats();
        assert_eq!(
            (
                stats.requests,
                stats.rejected,
                stats.store_hits,
                stats.last_error
            ),
            (1, 1, 1, None)
        );
    }

    #[test]
    fn retry_after_from_the_endpoint_holds_the_next_request() {
        let server = Server::start(
            vec![
                response(429, "Retry-After: 7\r\n", r#"{"error":"slow_down"}"#),
                ok("tok-{n}", 600),
            ],
            Duration::ZERO,
        );
        let p = Rfc7523::grant("c", "u", &server.url).unwrap();
        let k = key();
        let t0 = now();
        let clock = Arc::new(AtomicI64::new(t0));
        let c = Arc::clone(&clock);
        let src = TokenSource::builder(&p, &k)
            .clock(move || c.load(Ordering::SeqCst))
            .max_wait(Duration::ZERO)
            .build()
            .unwrap();
        assert!(matches!(src.get(), Err(TokenError::Unavailable { .. })));
        for dt in [1, 3, 6] {
            clock.store(t0 + dt, Ordering::SeqCst);
            assert!(src.get().is_err(), "{dt}");
            assert_eq!(
                server.count(),
                1,
                "no request {dt} s after a 429 with Retry-After: 7"
            );
        }
        let stats = src.stats();
        assert_eq!((stats.requests, stats.retried_answers), (1, 1));
        assert_eq!(
            stats.last_error.as_deref(),
            Some("token endpoint error `slow_down` (HTTP 429)")
        );
        clock.store(t0 + 7, Ordering::SeqCst);
        assert_eq!(src.get().unwrap().access_token(), "tok-2");
        assert_eq!(src.stats().stored, 1);
    }

    #[test]
    fn a_hostile_token_never_leaves_the_source() {
        let server = Server::start(
            vec![response(
                200,
                "",
                r#"{"access_token":"x\r\nX-Injected: 1","expires_in":600}"#,
            )],
            Duration::ZERO,
        );
        let p = Rfc7523::grant("c", "u", &server.url).unwrap();
        let k = key();
        let src = TokenSource::builder(&p, &k)
            .max_wait(Duration::ZERO)
            .build()
            .unwrap();
        match src.get() {
            Err(TokenError::Unavailable { reason, .. }) => {
                assert!(
                    reason.starts_with("not a token response: `access_token`"),
                    "{reason}"
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn sources_seed_from_the_os_and_refresh_at_different_moments() {
        let p = Rfc7523::grant("c", "u", "http://127.0.0.1:9/token").unwrap();
        let k = key();
        let store = Arc::new(MemoryStore::new());
        let t = now();
        let rec = peer_record(&p, &k, t, "shared", 3600);
        let moments: std::collections::BTreeSet<i64> = (0..8)
            .map(|_| {
                let src = TokenSource::builder(&p, &k)
                    .store(store.clone())
                    .build()
                    .unwrap();
                store.save(src.store_key(), &rec, t + 3600, t).unwrap();
                let tok = src.get().unwrap();
                assert_eq!(tok.access_token(), "shared");
                assert!((t + 3510..=t + 3540).contains(&tok.refresh_at()));
                tok.refresh_at()
            })
            .collect();
        assert!(moments.len() > 1, "every source refreshes at {moments:?}");
    }

    #[test]
    fn a_key_that_cannot_sign_is_refused_by_the_builder() {
        let p = Rfc7523::grant("c", "u", "http://127.0.0.1:9/token").unwrap();
        let ec = SigningKey::from_pem(
            &std::fs::read_to_string(
                std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/ec-p256.pem"),
            )
            .unwrap(),
        )
        .unwrap();
        match TokenSource::builder(&p, &ec).build() {
            Err(ClientError::Key { error }) => {
                assert!(
                    matches!(error, jwtmint::Error::KeyAlgorithmMismatch { .. }),
                    "{error:?}"
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn waiters_give_up_at_max_wait_while_a_dead_endpoint_stalls() {
        assert_eq!(
            jwtmint::client::source::DEFAULT_MAX_WAIT,
            Duration::from_secs(5)
        );
        let server = Server::start(vec![ok("slow", 600)], Duration::from_secs(4));
        let p = Rfc7523::grant("c", "u", &server.url).unwrap();
        let k = key();
        let src = TokenSource::builder(&p, &k)
            .max_wait(Duration::from_millis(800))
            .build()
            .unwrap();
        let times: Vec<(bool, Duration)> = std::thread::scope(|s| {
            let hs: Vec<_> = (0..4)
                .map(|_| {
                    s.spawn(|| {
                        let t = Instant::now();
                        let r = src.get();
                        (r.is_ok(), t.elapsed())
                    })
                })
                .collect();
            hs.into_iter().map(|h| h.join().unwrap()).collect()
        });
        // The one fetcher waits for its answer; the others give up at
        // max_wait instead of waiting for the stalled fetch.
        let quick = times
            .iter()
            .filter(|(ok, d)| !ok && *d < Duration::from_millis(2500))
            .count();
        assert_eq!(quick, 3, "{times:?}");
        assert_eq!(server.count(), 1);
    }
}
