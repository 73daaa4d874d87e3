//! Issue 17 end to end: the session core with a `Custom` endpoint against a
//! real local identity provider written with Authlib
//! (tests/py/custom_idp.py) that logs in with a password, issues 12-hour
//! JWT access tokens (divided by `--scale`: 4 s here, no `expires_in`, so
//! the session schedules by the JWT's `exp`) plus refresh tokens, and
//! renews with the refresh token or with its own previously issued JWT.
//! The session logs in with the password (from a file), renews with the
//! refresh token, falls back to the previous token when the refresh token
//! is revoked, and to the password when both are refused; every token it
//! hands out is accepted by the IdP's API (which refuses expired ones).
#![cfg(feature = "std")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::time::Duration;

use common::custom_idp::{CustomIdp, alice_custom};

use jwtmint::profiles::Custom;
use jwtmint::session::{Action, Config, Grant, Outcome, Session};
use jwtmint::signer::NoKey;

const PASSWORD: &str = "p@ss w&rd=ö%";
const API_KEY: &str = "k-0123456789";

type Sess<'a> = Session<&'a Custom<'a>, &'a NoKey>;

/// Polls at the real time (every 50 ms) until the session asks to fetch;
/// every `Use` before must be `token`, unexpired and accepted by the API.
/// Sends the request exactly as given and completes it.
fn next_fetch(idp: &CustomIdp, s: &mut Sess<'_>, token: Option<&str>) -> (Outcome, Grant, String) {
    for _ in 0..400 {
        let now = jwtmint::time::now().unwrap();
        let (ticket, grant, body, headers) = match s.poll(now) {
            Action::Fetch(f) => {
                assert_eq!(f.url, idp.url(), "never sent anywhere else");
                assert_eq!(f.content_type, Some("application/x-www-form-urlencoded"));
                let headers: Vec<(String, String)> = f
                    .all_headers()
                    .map(|(k, v)| (k.to_owned(), v.to_owned()))
                    .collect();
                (
                    f.ticket,
                    f.grant,
                    String::from_utf8(f.body.to_vec()).unwrap(),
                    headers,
                )
            }
            Action::Use(c) => {
                assert!(now < c.expires_at);
                assert_eq!(Some(c.token), token);
                assert_eq!(
                    idp.api(c.token),
                    302,
                    "the API accepts every token handed out"
                );
                std::thread::sleep(Duration::from_millis(50));
                continue;
            }
            other => panic!("{other:?} at {now}"),
        };
        let headers: Vec<(&str, &str)> = headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let (status, resp) = idp
            .server
            .request("POST", "/token", &headers, body.as_bytes());
        let now = jwtmint::time::now().unwrap();
        return (s.complete(now, ticket, status, &resp), grant, body);
    }
    panic!("no fetch within 20 s");
}

fn stored(out: Outcome, s: &Sess<'_>) -> String {
    assert!(
        matches!(out, Outcome::Stored { .. }),
        "{out:?} {:?}",
        s.failure()
    );
    let now = jwtmint::time::now().unwrap();
    s.credential(now).unwrap().token.to_owned()
}

#[test]
fn password_then_refresh_then_previous_token_then_password() {
    let Some(idp) = CustomIdp::start(
        "password_then_refresh_then_previous_token_then_password",
        PASSWORD,
        API_KEY,
        10800,
    ) else {
        return;
    };
    alice_custom!(idp, API_KEY => password, custom);
    let mut s: Sess<'_> = Session::new(&custom, &NoKey, Config::new());

    // 1. Password login; expiry from the JWT's `exp` (4 s).
    let start = jwtmint::time::now().unwrap();
    let (out, grant, body) = next_fetch(&idp, &mut s, None);
    assert_eq!(grant, Grant::Password);
    assert_eq!(
        body,
        "grant_type=password&username=alice&password=p%40ss+w%26rd%3D%C3%B6%25&client_id=app"
    );
    let Outcome::Stored { expires_at } = out else {
        panic!("{out:?} {:?}", s.failure())
    };
    assert!(
        (start + 3..=start + 5).contains(&expires_at),
        "{expires_at} vs {start}"
    );
    let t1 = stored(out, &s);
    assert_eq!(idp.counts(), (1, 0, 0));

    // 2. Due (refresh-ahead clamped to half the life): the refresh token.
    let (out, grant, body) = next_fetch(&idp, &mut s, Some(&t1));
    assert_eq!(grant, Grant::RefreshToken);
    assert!(
        body.starts_with("grant_type=refresh_token&refresh_token=rt-"),
        "{body}"
    );
    assert!(body.ends_with("&client_id=app"), "{body}");
    let t2 = stored(out, &s);
    assert_ne!(t2, t1);
    assert_eq!(idp.counts(), (1, 1, 0));

    // 3. Refresh token revoked: refused, then at once the previous token.
    assert_eq!(
        idp.server.request("POST", "/revoke-refresh", &[], b"").0,
        200
    );
    let (out, grant, _) = next_fetch(&idp, &mut s, Some(&t2));
    assert_eq!(grant, Grant::RefreshToken);
    assert!(matches!(out, Outcome::Retry { .. }), "{out:?}");
    assert_eq!(s.failure().unwrap().code(), "invalid_grant");
    let (out, grant, body) = next_fetch(&idp, &mut s, Some(&t2));
    assert_eq!(grant, Grant::PreviousToken);
    assert_eq!(
        body,
        format!(
            "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion={t2}&client_id=app"
        )
    );
    let t3 = stored(out, &s);
    assert_eq!(idp.counts(), (1, 2, 1));

    // 4. Both refused: refresh (new one, revoked), previous token, password.
    assert_eq!(
        idp.server.request("POST", "/revoke-refresh", &[], b"").0,
        200
    );
    assert_eq!(
        idp.server.request("POST", "/refuse-previous", &[], b"").0,
        200
    );
    let (out, grant, _) = next_fetch(&idp, &mut s, Some(&t3));
    assert_eq!(
        (grant, matches!(out, Outcome::Retry { .. })),
        (Grant::RefreshToken, true)
    );
    let (out, grant, _) = next_fetch(&idp, &mut s, Some(&t3));
    assert_eq!(
        (grant, matches!(out, Outcome::Retry { .. })),
        (Grant::PreviousToken, true)
    );
    let (out, grant, _) = next_fetch(&idp, &mut s, Some(&t3));
    assert_eq!(grant, Grant::Password);
    let t4 = stored(out, &s);
    assert_eq!(idp.counts(), (2, 3, 2));
    let now = jwtmint::time::now().unwrap();
    assert_eq!(idp.api(&t4), 302);
    for _ in 0..1000 {
        assert!(matches!(s.poll(now), Action::Use(_)));
    }
    assert_eq!(idp.counts(), (2, 3, 2));

    // The IdP got exactly the password, twice; no Debug string, failure or
    // record carries it.
    assert_eq!(
        idp.json("/received"),
        serde_json::json!([PASSWORD, PASSWORD])
    );
    let mut rec = vec![0u8; 16384];
    let n = s.encode_record(&mut rec).unwrap();
    for text in [
        format!("{s:?}"),
        format!("{custom:?}"),
        format!("{password:?}"),
        format!("{:?}", s.failure()),
        String::from_utf8_lossy(&rec[..n]).into_owned(),
    ] {
        assert!(!text.contains("p@ss") && !text.contains("p%40ss"), "{text}");
    }
}
