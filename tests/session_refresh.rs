//! The session core against a real local IdP written with Authlib
//! (tests/py/session_refresh_server.py): an RFC 7523 grant answered with a
//! JWT access token (no `expires_in`: the session schedules by the JWT's
//! `exp`) plus a refresh token; renewals use the refresh token (rotated by
//! the server); a revoked refresh token falls back to a fresh assertion.
//! Real time (4 s tokens, about 6 s per run): the server checks `iat`.
//! Every request body is the session's; the test transport (a plain
//! HTTP/1.0 client) only sends it to 127.0.0.1 after checking the session
//! addressed exactly https://idp.test/token.
#![cfg(feature = "std")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::path::PathBuf;
use std::time::Duration;

use jwtmint::SigningKey;
use jwtmint::profiles::Rfc7523;
use jwtmint::session::{Action, Config, Grant, Outcome, Session};

struct Server(common::py_server::PyServer);

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

impl Server {
    fn start(test: &str) -> Option<Self> {
        let python = common::peers::python(
            &format!("{test} (Authlib refresh-token IdP)"),
            &["authlib", "flask", "werkzeug", "cryptography"],
        )?;
        let args = [
            "--pubkey",
            "examples/keys/demo-key.pub.pem",
            "--client-id",
            "demo-client",
            "--audience",
            "https://idp.test/token",
            "--lifetime",
            "4",
            "--omit-expires-in",
            "--max-seconds",
            "120",
        ]
        .map(std::ffi::OsStr::new);
        Some(Self(common::py_server::PyServer::start(
            python,
            "session_refresh_server.py",
            &args,
        )))
    }

    fn http(&self, method: &str, path: &str, body: &[u8]) -> (u16, Vec<u8>) {
        self.0.http(method, path, body)
    }

    fn counts(&self) -> (u64, u64) {
        let (_, body) = self.http("GET", "/count", b"");
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        (
            v["jwt-bearer"].as_u64().unwrap(),
            v["refresh_token"].as_u64().unwrap(),
        )
    }
}

type Sess<'a> = Session<&'a Rfc7523<'a>, &'a SigningKey>;

/// Polls at the real time (every 50 ms) until the session asks to
/// fetch (every poll before must hand out `token`, unexpired); sends that
/// request and completes it. Returns the outcome, grant and body sent.
fn refresh(
    server: &Server,
    s: &mut Sess<'_>,
    now: &mut i64,
    token: Option<&str>,
) -> (Outcome, Grant, String) {
    for _ in 0..400 {
        let (ticket, grant, body) = match s.poll(*now) {
            Action::Fetch(f) => {
                assert_eq!(f.url, "https://idp.test/token");
                (
                    f.ticket,
                    f.grant,
                    String::from_utf8(f.body.to_vec()).unwrap(),
                )
            }
            Action::Use(c) => {
                assert!(*now < c.expires_at);
                assert_eq!(Some(c.token), token);
                std::thread::sleep(Duration::from_millis(50));
                *now = jwtmint::time::now().unwrap();
                continue;
            }
            other => panic!("{other:?} at {now}"),
        };
        // Still single flight while the request is out.
        assert!(!matches!(s.poll(*now), Action::Fetch(_)));
        let (status, resp) = server.http("POST", "/token", body.as_bytes());
        return (s.complete(*now, ticket, status, &resp), grant, body);
    }
    panic!("no refresh within 20 s");
}

#[test]
fn refresh_token_is_used_and_a_revoked_one_falls_back_to_an_assertion() {
    let Some(server) =
        Server::start("refresh_token_is_used_and_a_revoked_one_falls_back_to_an_assertion")
    else {
        return;
    };
    let key = SigningKey::from_pem(
        &std::fs::read_to_string(root().join("examples/keys/demo-key.pem")).unwrap(),
    )
    .unwrap();
    let profile = Rfc7523::grant("demo-client", "user-1", "https://idp.test/token").unwrap();
    let mut s: Sess<'_> = Session::new(&profile, &key, Config::new());
    let mut now = jwtmint::time::now().unwrap();

    // 1. The assertion grant; the expiry comes from the access token's JWT
    //    `exp` (the server sends no expires_in).
    let (out, grant, body) = refresh(&server, &mut s, &mut now, None);
    assert_eq!(grant, Grant::JwtBearer);
    assert!(body.starts_with(
        "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=eyJ"
    ));
    let Outcome::Stored { expires_at } = out else {
        panic!("{out:?} {:?}", s.failure())
    };
    assert!(
        (now + 3..=now + 5).contains(&expires_at),
        "{expires_at} vs {now}"
    );
    assert_eq!(server.counts(), (1, 0));
    let first = s.credential(now).unwrap().token.to_owned();
    assert_eq!(first.split('.').count(), 3);

    // 2. Due (60 s ahead): the refresh token, not a new assertion.
    let (out, grant, body1) = refresh(&server, &mut s, &mut now, Some(&first));
    // Refresh-ahead 60 s, clamped to half the token's life.
    assert!(expires_at - now <= 2, "{expires_at} {now}");
    assert_eq!(grant, Grant::RefreshToken);
    assert!(
        body1.starts_with("grant_type=refresh_token&refresh_token=rt-"),
        "{body1}"
    );
    assert!(
        matches!(out, Outcome::Stored { .. }),
        "{out:?} {:?}",
        s.failure()
    );
    assert_eq!(server.counts(), (1, 1));
    let second = s.credential(now).unwrap().token.to_owned();
    assert_ne!(second, first);

    // 3. Again, with the rotated refresh token.
    let (out, grant, body2) = refresh(&server, &mut s, &mut now, Some(&second));
    assert_eq!(grant, Grant::RefreshToken);
    assert_ne!(body2, body1, "the rotated refresh token is used");
    assert!(
        matches!(out, Outcome::Stored { .. }),
        "{out:?} {:?}",
        s.failure()
    );
    assert_eq!(server.counts(), (1, 2));
    let third = s.credential(now).unwrap().token.to_owned();

    // 4. Revoked: invalid_grant on the refresh, then at once a fresh assertion.
    assert_eq!(server.http("POST", "/revoke", b"").0, 200);
    let (out, grant, _) = refresh(&server, &mut s, &mut now, Some(&third));
    assert_eq!(grant, Grant::RefreshToken);
    assert_eq!(out, Outcome::Retry { at: now });
    assert_eq!(s.failure().unwrap().code(), "invalid_grant");
    let before = now;
    let (out, grant, _) = refresh(&server, &mut s, &mut now, None);
    assert_eq!(now, before, "no backoff before the fallback");
    assert_eq!(grant, Grant::JwtBearer);
    assert!(
        matches!(out, Outcome::Stored { .. }),
        "{out:?} {:?}",
        s.failure()
    );
    assert_eq!(server.counts(), (2, 3));
    assert!(s.failure().is_none());

    // 5. Plenty of callers afterwards: no further request.
    for _ in 0..1000 {
        assert!(matches!(s.poll(now), Action::Use(_)));
    }
    assert_eq!(server.counts(), (2, 3));
}
