//! The sans-IO session core (`jwtmint::session`): exact state-machine
//! expectations with a fake signer (no key needed, so these also run under
//! `--no-default-features`), plus the real-key checks under `std`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod session_util;

use jwtmint::Error;
use jwtmint::profiles::Rfc7523;
use jwtmint::session::{
    Action, Config, FailureKind, Grant, Outcome, Session, Sessions, TransportError,
};

use session_util::*;

const T0: i64 = 1_700_000_000;
const GRANT_PREFIX: &str =
    "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=";

#[test]
fn first_poll_fetches_once_then_uses_the_token() {
    let p = grant_profile();
    let mut s: S<'_, _> = Session::new(&p, &FakeKey, Config::new());
    let f = fetch(s.poll(T0));
    assert_eq!(f.ticket.get(), 1);
    assert_eq!(f.grant, Grant::JwtBearer);
    assert_eq!(f.method.as_str(), "POST");
    assert_eq!(f.url, "https://as.example/token");
    assert_eq!(f.content_type, Some("application/x-www-form-urlencoded"));
    assert_eq!(f.authorization, None);
    assert_eq!(
        f.all_headers().collect::<Vec<_>>(),
        [("Content-Type", "application/x-www-form-urlencoded")]
    );
    let body = core::str::from_utf8(f.body).unwrap();
    assert!(body.starts_with(GRANT_PREFIX), "{body}");
    assert!(body.ends_with("&scope=api"), "{body}");
    let t = f.ticket;
    // Single flight: nobody else fetches while the first one is out.
    assert_eq!(s.poll(T0), Action::Wait(T0 + 30));
    assert_eq!(s.poll(T0 + 5), Action::Wait(T0 + 30));
    assert!(s.in_flight());
    assert_eq!(
        s.complete(T0 + 1, t, 200, ok_body("tok-1", 3600).as_bytes()),
        Outcome::Stored {
            expires_at: T0 + 3601
        }
    );
    let c = used(s.poll(T0 + 2));
    assert_eq!(
        (c.token, c.token_type, c.expires_at, c.stored_at),
        ("tok-1", "Bearer", T0 + 3601, T0 + 1)
    );
    assert!(!s.in_flight());
}

#[test]
fn refresh_ahead_fetches_once_while_others_keep_the_valid_token() {
    let p = grant_profile();
    let mut s: S<'_, _> = Session::new(&p, &FakeKey, Config::new().fetch_timeout(600));
    store(&mut s, T0, "tok-1", 3600);
    // 60 s ahead of T0 + 3600.
    assert_eq!(used(s.poll(T0 + 3539)).token, "tok-1");
    let f = fetch(s.poll(T0 + 3540));
    let t = f.ticket;
    assert_eq!(t.get(), 2);
    // Concurrent callers get the still-valid token, never a second fetch.
    for now in [T0 + 3540, T0 + 3570, T0 + 3599] {
        assert_eq!(used(s.poll(now)).token, "tok-1");
        assert_eq!(s.credential(now).unwrap().token, "tok-1");
    }
    // Never past its expiry.
    assert_eq!(s.poll(T0 + 3600), Action::Wait(T0 + 3540 + 600));
    assert_eq!(s.credential(T0 + 3600), None);
    s.complete(T0 + 3601, t, 200, ok_body("tok-2", 3600).as_bytes());
    assert_eq!(used(s.poll(T0 + 3601)).token, "tok-2");
}

#[test]
fn refresh_ahead_is_clamped_to_half_a_short_lifetime() {
    let p = grant_profile();
    let mut s: S<'_, _> = Session::new(&p, &FakeKey, Config::new());
    store(&mut s, T0, "short", 10);
    assert_eq!(used(s.poll(T0 + 4)).token, "short");
    assert!(matches!(s.poll(T0 + 5), Action::Fetch(_)));
}

#[test]
fn server_error_backs_off_then_succeeds_and_resets() {
    let p = grant_profile();
    let mut s: S<'_, _> = Session::new(&p, &FakeKey, Config::new().jitter_seed(7));
    let t = fetch(s.poll(T0)).ticket;
    assert_eq!(
        s.complete(T0, t, 500, b"<html>oops</html>"),
        Outcome::Retry { at: T0 + 1 }
    );
    let f = s.failure().unwrap();
    assert_eq!(
        (f.kind(), f.status(), f.retry_at()),
        (FailureKind::Http, 500, Some(T0 + 1))
    );
    assert_eq!(
        f.to_string(),
        "token endpoint answered without a token (HTTP 500)"
    );
    assert_eq!(s.poll(T0), Action::Wait(T0 + 1));
    let t = fetch(s.poll(T0 + 1)).ticket;
    assert!(matches!(
        s.complete(T0 + 1, t, 503, br#"{"error":"temporarily_unavailable"}"#),
        Outcome::Retry { .. }
    ));
    let at = s.failure().unwrap().retry_at().unwrap();
    assert!((T0 + 2..=T0 + 3).contains(&at), "{at}");
    let t = fetch(s.poll(at)).ticket;
    assert_eq!(
        s.complete(at, t, 200, ok_body("tok", 60).as_bytes()),
        Outcome::Stored {
            expires_at: at + 60
        }
    );
    assert!(s.failure().is_none());
    // The next failure starts the schedule again at backoff_min.
    let t = fetch(s.poll(at + 30)).ticket;
    assert_eq!(
        s.fail(at + 30, t, TransportError::Connect),
        Outcome::Retry { at: at + 31 }
    );
}

#[test]
fn backoff_schedule_with_a_fixed_seed() {
    let p = grant_profile();
    let mut s: S<'_, _> = Session::new(&p, &FakeKey, Config::new().backoff(2, 100).jitter_seed(42));
    let mut now = T0;
    let mut delays = Vec::new();
    for _ in 0..9 {
        let t = fetch(s.poll(now)).ticket;
        let Outcome::Retry { at } = s.fail(now, t, TransportError::Timeout) else {
            panic!()
        };
        // Polling before `at` never fetches.
        assert_eq!(s.poll(at - 1), Action::Wait(at));
        delays.push(at - now);
        now = at;
    }
    // base 2,4,8,16,32,64,100,100,100 with full jitter: [min, base].
    for (d, base) in delays.iter().zip([2i64, 4, 8, 16, 32, 64, 100, 100, 100]) {
        assert!(*d >= 2 && *d <= base, "{delays:?}");
    }
    assert_eq!(delays, SCHEDULE_SEED_42, "{delays:?}");
    let other: Vec<i64> = {
        let mut s: S<'_, _> =
            Session::new(&p, &FakeKey, Config::new().backoff(2, 100).jitter_seed(43));
        let mut now = T0;
        (0..9)
            .map(|_| {
                let t = fetch(s.poll(now)).ticket;
                let Outcome::Retry { at } = s.fail(now, t, TransportError::Timeout) else {
                    panic!()
                };
                let d = at - now;
                now = at;
                d
            })
            .collect()
    };
    assert_ne!(other, delays, "another seed spreads the fleet");
}

/// Recorded from this implementation (SplitMix64, full jitter); each lies
/// in `[2, base]` for base 2, 4, 8, ..., 64, 100, 100, 100.
const SCHEDULE_SEED_42: [i64; 9] = [2, 2, 5, 12, 27, 32, 43, 12, 82];

#[test]
fn invalid_grant_is_surfaced_to_every_caller_and_not_retried() {
    let p = grant_profile();
    // `rejected_retry(0)`: never by itself (the default retries, see
    // tests/session_hardening.rs).
    let mut s: S<'_, _> = Session::new(&p, &FakeKey, Config::new().rejected_retry(0));
    let t = fetch(s.poll(T0)).ticket;
    let body = "{\"error\":\"invalid_grant\",\"error_description\":\"user hasn't approved \\u001b[31mthis consumer eyJhbGciOiJSUzI1NiJ9.e30.c2ln\\r\\n\"}";
    assert_eq!(s.complete(T0, t, 400, body.as_bytes()), Outcome::Rejected);
    for now in [T0, T0 + 1, T0 + 3600, T0 + 86_400] {
        let Action::Failed(f) = s.poll(now) else {
            panic!("{now}")
        };
        assert_eq!(f.kind(), FailureKind::OAuth);
        assert_eq!(
            (f.code(), f.status(), f.retry_at()),
            ("invalid_grant", 400, None)
        );
        assert_eq!(
            f.description(),
            "user hasn't approved [31mthis consumer <redacted>"
        );
        assert!(f.is_rejected());
    }
    assert_eq!(
        s.failure().unwrap().to_string(),
        "token endpoint error `invalid_grant`: user hasn't approved [31mthis consumer <redacted> (HTTP 400)"
    );
    // An explicit reset allows exactly one new attempt.
    s.reset();
    let t = fetch(s.poll(T0 + 86_400)).ticket;
    assert_eq!(s.poll(T0 + 86_400), Action::Wait(T0 + 86_430));
    assert_eq!(
        s.complete(T0 + 86_400, t, 401, br#"{"error":"invalid_client"}"#),
        Outcome::Rejected
    );
    assert!(matches!(s.poll(T0 + 90_000), Action::Failed(_)));
}

#[test]
fn rejected_retry_policy_tries_again_after_the_delay() {
    let p = grant_profile();
    let mut s: S<'_, _> = Session::new(&p, &FakeKey, Config::new().rejected_retry(600));
    let t = fetch(s.poll(T0)).ticket;
    s.complete(T0, t, 400, br#"{"error":"invalid_grant"}"#);
    assert!(matches!(s.poll(T0 + 599), Action::Failed(_)));
    assert!(matches!(s.poll(T0 + 600), Action::Fetch(_)));
}

#[test]
fn a_rejected_grant_keeps_a_still_valid_token_until_it_expires() {
    let p = grant_profile();
    let mut s: S<'_, _> = Session::new(&p, &FakeKey, Config::new());
    store(&mut s, T0, "tok", 100);
    let t = fetch(s.poll(T0 + 50)).ticket;
    s.complete(T0 + 50, t, 400, br#"{"error":"invalid_grant"}"#);
    assert_eq!(used(s.poll(T0 + 99)).token, "tok");
    assert!(matches!(s.poll(T0 + 100), Action::Failed(_)));
}

#[test]
fn expiry_from_expires_in_then_jwt_exp_then_configured_lifetime() {
    let p = grant_profile();
    let cases: [(&str, Option<i64>); 5] = [
        (
            r#"{"access_token":"a","expires_in":"3600"}"#,
            Some(T0 + 3600),
        ),
        (
            r#"{"access_token":"a","expires_in":3600.0}"#,
            Some(T0 + 3600),
        ),
        (
            r#"{"access_token":"a","expires_in":"120.00"}"#,
            Some(T0 + 120),
        ),
        (r#"{"access_token":"a"}"#, Some(T0 + 7200)),
        (r#"{"access_token":"a","expires_in":0}"#, None),
    ];
    for (body, want) in cases {
        let mut s: S<'_, _> = Session::new(&p, &FakeKey, Config::new().session_lifetime(7200));
        let t = fetch(s.poll(T0)).ticket;
        let got = s.complete(T0, t, 200, body.as_bytes());
        match want {
            Some(exp) => assert_eq!(got, Outcome::Stored { expires_at: exp }, "{body}"),
            None => {
                assert_eq!(got, Outcome::Retry { at: T0 + 1 }, "{body}");
                assert_eq!(s.failure().unwrap().kind(), FailureKind::AlreadyExpired);
            }
        }
    }
    // The access token's own `exp` when it is a JWT and expires_in is absent.
    let jwt = unsigned_jwt(r#"{"sub":"x","exp":1700001234}"#);
    let mut s: S<'_, _> = Session::new(&p, &FakeKey, Config::new().session_lifetime(7200));
    let t = fetch(s.poll(T0)).ticket;
    let body = format!(r#"{{"access_token":"{jwt}","token_type":"Bearer"}}"#);
    assert_eq!(
        s.complete(T0, t, 200, body.as_bytes()),
        Outcome::Stored {
            expires_at: 1_700_001_234
        }
    );
    // No expiry anywhere and no fallback lifetime: refused, not retried.
    let mut s: S<'_, _> = Session::new(&p, &FakeKey, Config::new().session_lifetime(0));
    let t = fetch(s.poll(T0)).ticket;
    assert_eq!(
        s.complete(T0, t, 200, br#"{"access_token":"a"}"#),
        Outcome::Rejected
    );
    assert_eq!(
        s.failure().unwrap().kind(),
        FailureKind::Storage(Error::MissingClaim {
            claim: "expires_in"
        })
    );
}

#[test]
fn salesforce_extras_are_kept() {
    let p = grant_profile();
    let mut s: S<'_, _> = Session::new(&p, &FakeKey, Config::new());
    let t = fetch(s.poll(T0)).ticket;
    let body = br#"{"access_token":"00D!AQ","instance_url":"https:\/\/acme.my.salesforce.com","id":"https://login.salesforce.com/id/00D/005","token_type":"Bearer","scope":"api web","issued_at":"1700000000000","signature":"abc"}"#;
    assert_eq!(
        s.complete(T0, t, 200, body),
        Outcome::Stored {
            expires_at: T0 + 900
        }
    );
    let c = used(s.poll(T0));
    assert_eq!(c.instance_url, Some("https://acme.my.salesforce.com"));
    assert_eq!(c.id, Some("https://login.salesforce.com/id/00D/005"));
    assert_eq!(c.scope, Some("api web"));
}

#[test]
fn clock_going_backwards_refreshes_and_never_serves_an_expired_token() {
    let p = grant_profile();
    let mut s: S<'_, _> = Session::new(&p, &FakeKey, Config::new());
    store(&mut s, T0, "tok", 3600);
    // Before the time it was stored: its remaining life is unknown -> refresh.
    let f = fetch(s.poll(T0 - 500));
    let t = f.ticket;
    // Other callers meanwhile still get it (it is not past its expiry).
    assert_eq!(used(s.poll(T0 - 500)).token, "tok");
    // The fetch timeout restarts from the new clock instead of wedging.
    assert_eq!(used(s.poll(T0 - 600)).token, "tok");
    assert_eq!(
        s.fail(T0 - 600, t, TransportError::Timeout),
        Outcome::Retry { at: T0 - 599 }
    );
    // A backoff scheduled before a jump back is clamped to backoff_max.
    let p2 = grant_profile();
    let mut s2: S<'_, _> = Session::new(&p2, &FakeKey, Config::new().backoff(1, 10));
    let t = fetch(s2.poll(T0)).ticket;
    s2.fail(T0, t, TransportError::Connect);
    assert_eq!(s2.poll(T0 - 10_000), Action::Wait(T0 - 10_000 + 10));
}

#[test]
fn stale_tickets_are_ignored() {
    let p = grant_profile();
    let mut s: S<'_, _> = Session::new(&p, &FakeKey, Config::new().fetch_timeout(10));
    let t1 = fetch(s.poll(T0)).ticket;
    // No answer within the fetch timeout: abandoned, counts as a failure.
    assert_eq!(s.poll(T0 + 10), Action::Wait(T0 + 11));
    assert_eq!(s.failure().unwrap().kind(), FailureKind::FetchTimedOut);
    let t2 = fetch(s.poll(T0 + 11)).ticket;
    assert_ne!(t1, t2);
    assert_eq!(
        s.complete(T0 + 12, t1, 200, ok_body("late", 3600).as_bytes()),
        Outcome::Stale
    );
    assert_eq!(s.fail(T0 + 12, t1, TransportError::Timeout), Outcome::Stale);
    assert!(s.in_flight());
    assert_eq!(s.credential(T0 + 12), None);
    assert_eq!(
        s.complete(T0 + 12, t2, 200, ok_body("fresh", 3600).as_bytes()),
        Outcome::Stored {
            expires_at: T0 + 3612
        }
    );
    // A second answer to the same ticket is stale too.
    assert_eq!(
        s.complete(T0 + 13, t2, 200, ok_body("again", 3600).as_bytes()),
        Outcome::Stale
    );
    assert_eq!(used(s.poll(T0 + 13)).token, "fresh");
}

#[test]
fn refresh_token_is_used_and_a_rejected_one_falls_back_to_an_assertion() {
    let p = grant_profile();
    let mut s: S<'_, _> = Session::new(&p, &FakeKey, Config::new());
    let t = fetch(s.poll(T0)).ticket;
    let jwt = unsigned_jwt(r#"{"sub":"x","exp":1700043200}"#);
    let body =
        format!(r#"{{"access_token":"{jwt}","refresh_token":"rt/1+x","token_type":"Bearer"}}"#);
    assert_eq!(
        s.complete(T0, t, 200, body.as_bytes()),
        Outcome::Stored {
            expires_at: T0 + 43_200
        }
    );
    // Due: refresh with the refresh token (plus the profile's own params).
    let f = fetch(s.poll(T0 + 43_140));
    assert_eq!(f.grant, Grant::RefreshToken);
    assert_eq!(
        f.body,
        b"grant_type=refresh_token&refresh_token=rt%2F1%2Bx&scope=api"
    );
    let t = f.ticket;
    // A refresh answer without a new refresh token keeps the old one.
    assert_eq!(
        s.complete(T0 + 43_140, t, 200, ok_body("tok-2", 3600).as_bytes()),
        Outcome::Stored {
            expires_at: T0 + 46_740
        }
    );
    let f = fetch(s.poll(T0 + 46_680));
    assert_eq!(f.grant, Grant::RefreshToken);
    let t = f.ticket;
    // Revoked: fall back to a fresh assertion at once, no backoff.
    assert_eq!(
        s.complete(
            T0 + 46_680,
            t,
            400,
            br#"{"error":"invalid_grant","error_description":"token revoked"}"#
        ),
        Outcome::Retry { at: T0 + 46_680 }
    );
    let f = fetch(s.poll(T0 + 46_680));
    assert_eq!(f.grant, Grant::JwtBearer);
    assert!(f.body.starts_with(GRANT_PREFIX.as_bytes()));
    // If the assertion is rejected too, that is final.
    let t = f.ticket;
    assert_eq!(
        s.complete(T0 + 46_681, t, 400, br#"{"error":"invalid_grant"}"#),
        Outcome::Rejected
    );
}

#[test]
fn self_signed_profiles_mint_and_re_mint_by_their_lifetime() {
    let p = SelfSigned(
        Rfc7523::grant("app-1", "app-1", "https://api.example")
            .unwrap()
            .with_lifetime(600)
            .unwrap(),
    );
    let mut s: S<'_, _> = Session::new(&p, &FakeKey, Config::new());
    assert_eq!(s.grant(), Grant::SelfSigned);
    let first = used(s.poll(T0)).token.to_owned();
    assert_eq!(first.split('.').count(), 3);
    let c = used(s.poll(T0 + 539));
    assert_eq!((c.token, c.expires_at), (first.as_str(), T0 + 600));
    let c = used(s.poll(T0 + 540));
    assert_ne!(c.token, first);
    assert_eq!((c.stored_at, c.expires_at), (T0 + 540, T0 + 1140));
    assert!(!s.in_flight());
}

#[test]
fn bearer_header_profiles_send_the_jwt_as_authorization() {
    let p = BearerHeaderProfile(grant_profile());
    let mut s: S<'_, _> = Session::new(&p, &FakeKey, Config::new());
    let f = fetch(s.poll(T0));
    assert_eq!(f.grant, Grant::BearerHeader);
    assert_eq!((f.body, f.content_type), (&b""[..], None));
    let auth = f.authorization.unwrap();
    assert!(auth.starts_with("Bearer eyJ"), "{auth}");
    assert_eq!(auth.split('.').count(), 3);
    assert_eq!(f.headers, &[("Accept", "application/vnd.github+json")]);
    let all: Vec<_> = f.all_headers().collect();
    assert_eq!(
        all,
        [
            ("Authorization", auth),
            ("Accept", "application/vnd.github+json")
        ]
    );
}

#[test]
fn transport_failures_back_off() {
    let p = grant_profile();
    for kind in [
        TransportError::Connect,
        TransportError::Timeout,
        TransportError::TooLarge,
        TransportError::RedirectRefused,
        TransportError::Tls,
        TransportError::Protocol,
        TransportError::Other,
    ] {
        let mut s: S<'_, _> = Session::new(&p, &FakeKey, Config::new());
        let t = fetch(s.poll(T0)).ticket;
        assert_eq!(s.fail(T0, t, kind), Outcome::Retry { at: T0 + 1 });
        assert_eq!(s.failure().unwrap().kind(), FailureKind::Transport(kind));
        assert_eq!(s.poll(T0), Action::Wait(T0 + 1));
    }
}

#[test]
fn malformed_success_bodies_back_off_with_the_parse_error() {
    let p = grant_profile();
    let mut s: S<'_, _> = Session::new(&p, &FakeKey, Config::new());
    let t = fetch(s.poll(T0)).ticket;
    assert_eq!(
        s.complete(T0, t, 200, br#"{"token":"x"}"#),
        Outcome::Retry { at: T0 + 1 }
    );
    assert_eq!(
        s.failure().unwrap().kind(),
        FailureKind::Malformed(Error::NotATokenResponse)
    );
}

#[test]
fn records_round_trip_between_sessions_of_the_same_grant_only() {
    let p = grant_profile();
    let mut a: S<'_, _> = Session::new(&p, &FakeKey, Config::new());
    let t = fetch(a.poll(T0)).ticket;
    let body = br#"{"access_token":"tok-\"q\"","refresh_token":"rt-1","instance_url":"https://x.example","expires_in":3600,"scope":"api"}"#;
    a.complete(T0, t, 200, body);
    let mut buf = [0u8; 512];
    let n = a.encode_record(&mut buf).unwrap();
    assert_eq!(
        a.encode_record(&mut buf[..n - 1]),
        Err(Error::BufferTooSmall { needed: n })
    );
    assert_eq!(a.encode_record(&mut buf).unwrap(), n);
    let rec = std::str::from_utf8(&buf[..n]).unwrap();
    let v: serde_json::Value = serde_json::from_str(rec).unwrap();
    assert_eq!(v["v"], 1);
    assert_eq!(v["identity"], hex::encode(a.identity()));
    assert_eq!(v["access_token"], "tok-\"q\"");
    assert_eq!(
        (v["expires_at"].as_i64(), v["stored_at"].as_i64()),
        (Some(T0 + 3600), Some(T0))
    );
    assert_eq!(
        (v["refresh_token"].as_str(), v["scope"].as_str()),
        (Some("rt-1"), Some("api"))
    );
    assert!(v.get("id").is_none());

    // Tokens with quotes are refused by restore (tokens never need escapes).
    let mut b: S<'_, _> = Session::new(&p, &FakeKey, Config::new());
    assert_eq!(b.identity(), a.identity());
    assert!(matches!(
        b.restore(T0 + 10, rec.as_bytes()),
        Err(Error::InvalidMemberType {
            name: "access_token",
            ..
        })
    ));
    let rec = rec.replace(r#"tok-\"q\""#, "tok-1");
    assert_eq!(b.restore(T0 + 10, rec.as_bytes()), Ok(T0 + 3600));
    let c = used(b.poll(T0 + 10));
    // Stored at the record's own time: due when it was due for the writer.
    assert_eq!(
        (c.token, c.instance_url, c.stored_at),
        ("tok-1", Some("https://x.example"), T0)
    );
    // The refresh token came along.
    assert_eq!(fetch(b.poll(T0 + 3540)).grant, Grant::RefreshToken);

    // Another grant's record, an expired record and junk are refused.
    let other = Rfc7523::grant("client-1", "user-2", "https://as.example/token").unwrap();
    let mut o: S<'_, _> = Session::new(&other, &FakeKey, Config::new());
    assert_ne!(o.identity(), a.identity());
    assert_eq!(
        o.restore(T0, rec.as_bytes()),
        Err(Error::ClaimMismatch { claim: "identity" })
    );
    let mut e: S<'_, _> = Session::new(&p, &FakeKey, Config::new());
    let no_refresh = rec.replace(r#","refresh_token":"rt-1""#, "");
    assert_ne!(no_refresh, rec);
    assert_eq!(
        e.restore(T0 + 3600, no_refresh.as_bytes()),
        Err(Error::Expired {
            exp: T0 + 3600,
            now: T0 + 3600
        })
    );
    assert_eq!(e.credential(T0), None);
    for junk in [
        "",
        "{}",
        r#"{"v":2}"#,
        &rec.replace(r#""v":1"#, r#""v":1,"v":1"#),
        &rec.replace(&format!("{}", T0 + 3600), "\"soon\""),
    ] {
        assert!(e.restore(T0, junk.as_bytes()).is_err(), "{junk}");
    }
    assert_eq!(
        e.restore(T0, b"{\"v\":1}"),
        Err(Error::MissingClaim { claim: "identity" })
    );
    // Nothing stored yet: nothing to encode.
    assert_eq!(
        e.encode_record(&mut buf),
        Err(Error::MissingClaim {
            claim: "access_token"
        })
    );
}

/// An expired record that carries a refresh token gives the session that
/// refresh token only: never the expired access token; the next fetch is
/// the refresh grant; once the server refused that refresh token, the same
/// record is not adopted again (no refuse/restore loop).
#[test]
fn an_expired_record_gives_its_refresh_token_only() {
    let p = grant_profile();
    let mut a: S<'_, _> = Session::new(&p, &FakeKey, Config::new());
    let t = fetch(a.poll(T0)).ticket;
    a.complete(
        T0,
        t,
        200,
        br#"{"access_token":"old-at","refresh_token":"rt-9","expires_in":600}"#,
    );
    let mut buf = [0u8; 512];
    let n = a.encode_record(&mut buf).unwrap();
    let rec = &buf[..n];

    let late = T0 + 7200;
    let mut b: S<'_, _> = Session::new(&p, &FakeKey, Config::new());
    assert_eq!(b.next_grant(late), Grant::JwtBearer);
    assert!(!b.has_refresh_token());
    assert_eq!(b.restore(late, rec), Ok(T0 + 600), "an expiry before `now`");
    assert_eq!(b.credential(late), None, "the expired token is not kept");
    assert!(b.has_refresh_token());
    assert_eq!(b.next_grant(late), Grant::RefreshToken);
    let f = fetch(b.poll(late));
    assert_eq!(f.grant, Grant::RefreshToken);
    assert_eq!(
        std::str::from_utf8(f.body).unwrap(),
        "grant_type=refresh_token&refresh_token=rt-9&scope=api"
    );
    let t = f.ticket;
    assert_eq!(
        b.complete(late, t, 400, br#"{"error":"invalid_grant"}"#),
        Outcome::Retry { at: late }
    );
    // The refused refresh token is not taken back from the same record.
    assert_eq!(
        b.restore(late, rec),
        Err(Error::Expired {
            exp: T0 + 600,
            now: late
        })
    );
    assert!(!b.has_refresh_token());
    assert_eq!(fetch(b.poll(late)).grant, Grant::JwtBearer);

    // A session holding a valid token of its own keeps it.
    let mut c: S<'_, _> = Session::new(&p, &FakeKey, Config::new());
    let t = fetch(c.poll(late)).ticket;
    c.complete(late, t, 200, ok_body("mine", 600).as_bytes());
    assert!(c.restore(late + 1, rec).is_err());
    assert_eq!(used(c.poll(late + 1)).token, "mine");
}

#[test]
fn debug_output_never_shows_secrets() {
    let p = grant_profile();
    let mut s: S<'_, _> = Session::new(&p, &FakeKey, Config::new());
    let f = fetch(s.poll(T0));
    let d = format!("{f:?}");
    assert!(!d.contains("eyJ") && d.contains("<redacted,"), "{d}");
    let t = f.ticket;
    s.complete(
        T0,
        t,
        200,
        br#"{"access_token":"SECRET-AT","refresh_token":"SECRET-RT","expires_in":60}"#,
    );
    let polled = format!("{:?}", s.poll(T0));
    let d = format!("{s:?} {polled}");
    assert!(!d.contains("SECRET"), "{d}");
    assert!(d.contains("<redacted, 9 bytes>"), "{d}");
}

#[test]
fn oversized_tokens_are_refused_not_truncated() {
    let p = grant_profile();
    let mut s: Session<&Rfc7523<'_>, &FakeKey, 16, 1024> =
        Session::new(&p, &FakeKey, Config::new());
    let t = fetch(s.poll(T0)).ticket;
    assert_eq!(
        s.complete(T0, t, 200, ok_body("0123456789abcdefX", 60).as_bytes()),
        Outcome::Rejected
    );
    assert_eq!(
        s.failure().unwrap().kind(),
        FailureKind::Storage(Error::TokenTooLong {
            len: 17,
            capacity: 16
        })
    );
    // A request buffer too small for the assertion: refused with the size.
    let mut s: Session<&Rfc7523<'_>, &FakeKey, 64, 64> = Session::new(&p, &FakeKey, Config::new());
    assert!(matches!(s.poll(T0), Action::Failed(_)));
    assert!(matches!(
        s.failure().unwrap().kind(),
        FailureKind::Mint(Error::BufferTooSmall { .. })
    ));
}

#[test]
fn sessions_table_keys_on_identity() {
    let a = grant_profile();
    let a2 = grant_profile();
    let b = Rfc7523::grant("client-1", "user-2", "https://as.example/token").unwrap();
    let mut table: Sessions<&Rfc7523<'_>, &FakeKey, 2, 256, 1024> = Sessions::new();
    let id_a = *table
        .insert(Session::new(&a, &FakeKey, Config::new()))
        .unwrap()
        .identity();
    store(table.get_mut(&id_a).unwrap(), T0, "tok-a", 3600);
    // Same grant: the existing session (and its token) is returned.
    let again = table
        .insert(Session::new(&a2, &FakeKey, Config::new()))
        .unwrap();
    assert_eq!(used(again.poll(T0)).token, "tok-a");
    let id_b = *table
        .insert(Session::new(&b, &FakeKey, Config::new()))
        .unwrap()
        .identity();
    assert_eq!(table.len(), 2);
    assert!(table.remove(&id_b));
    assert!(!table.remove(&id_b));
    assert_eq!(table.len(), 1);
}

#[test]
fn a_full_sessions_table_evicts_the_least_recently_used_idle_session() {
    let [a, b, c, d] = ["user-a", "user-b", "user-c", "user-d"]
        .map(|u| Rfc7523::grant("client-1", u, "https://as.example/token").unwrap());
    let mut table: Sessions<&Rfc7523<'_>, &FakeKey, 2, 256, 1024> = Sessions::new();
    let add = |table: &mut Sessions<_, _, 2, 256, 1024>, p| {
        *table
            .insert(Session::new(p, &FakeKey, Config::new()))
            .unwrap()
            .identity()
    };
    let id_a = add(&mut table, &a);
    store(table.get_mut(&id_a).unwrap(), T0, "tok-a", 3600);
    let id_b = add(&mut table, &b);
    store(table.get_mut(&id_b).unwrap(), T0, "tok-b", 3600);
    // `a` used after `b`: `b` is the least recently used.
    assert_eq!(used(table.get_mut(&id_a).unwrap().poll(T0)).token, "tok-a");
    let id_c = add(&mut table, &c);
    assert_eq!(table.len(), 2);
    assert!(table.get_mut(&id_b).is_none(), "b evicted");
    assert_eq!(used(table.get_mut(&id_a).unwrap().poll(T0)).token, "tok-a");
    // `c` has a fetch in flight: it is never evicted (its answer would be
    // lost), so `a`, though used more recently, goes.
    assert!(matches!(
        table.get_mut(&id_c).unwrap().poll(T0),
        Action::Fetch(_)
    ));
    assert_eq!(used(table.get_mut(&id_a).unwrap().poll(T0)).token, "tok-a");
    let id_d = add(&mut table, &d);
    assert!(table.get_mut(&id_a).is_none(), "a evicted");
    assert!(table.get_mut(&id_c).unwrap().in_flight());
    // Every session in flight: the table refuses and gives the session back.
    assert!(matches!(
        table.get_mut(&id_d).unwrap().poll(T0),
        Action::Fetch(_)
    ));
    let back = table
        .insert(Session::new(&b, &FakeKey, Config::new()))
        .unwrap_err();
    assert_eq!(back.identity(), &id_b);
    assert!(table.get_mut(&id_c).is_some() && table.get_mut(&id_d).is_some());
}

#[cfg(feature = "std")]
mod with_key {
    use super::*;
    use jwtmint::SigningKey;
    use jwtmint::signer::JwsKey;

    fn key(path: &str) -> SigningKey {
        SigningKey::from_pem(&std::fs::read_to_string(path).unwrap()).unwrap()
    }

    #[test]
    fn identity_covers_the_key_fingerprint() {
        let k1 = key("examples/keys/demo-key.pem");
        let fp = k1.fingerprint().unwrap();
        assert_eq!(Some(fp), key("examples/keys/demo-key.pem").fingerprint());
        let p = grant_profile();
        let a: Session<_, _> = Session::new(&p, &k1, Config::new());
        let b: S<'_, _> = Session::new(&p, &FakeKey, Config::new());
        assert_ne!(a.identity(), b.identity());
        // The fingerprint is SHA-256 over the length-prefixed n and e.
        use sha2::Digest;
        let mut h = sha2::Sha256::new();
        h.update(b"jwtmint rsa public key\0");
        let (n, e) = demo_n_e();
        for part in [n, e] {
            h.update((part.len() as u64).to_be_bytes());
            h.update(&part);
        }
        assert_eq!(fp.to_vec(), h.finalize().to_vec());
    }

    /// n and e of the demo key, parsed by the `rsa` crate from the public PEM.
    fn demo_n_e() -> (Vec<u8>, Vec<u8>) {
        use rsa::pkcs8::DecodePublicKey;
        use rsa::traits::PublicKeyParts;
        let pem = std::fs::read_to_string("examples/keys/demo-key.pub.pem").unwrap();
        let k = rsa::RsaPublicKey::from_public_key_pem(&pem).unwrap();
        (k.n_bytes().to_vec(), k.e_bytes().to_vec())
    }

    #[test]
    fn client_assertion_profiles_refresh_with_a_fresh_assertion() {
        let k = key("examples/keys/demo-key.pem");
        let p = Rfc7523::client_assertion("client-1", "https://as.example/token").unwrap();
        let mut s: Session<_, _> = Session::new(&p, &k, Config::new());
        let f = fetch(s.poll(T0));
        assert_eq!(f.grant, Grant::ClientAssertion);
        let body = std::str::from_utf8(f.body).unwrap();
        assert!(body.starts_with("client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=eyJ"), "{body}");
        assert!(
            body.ends_with("&grant_type=client_credentials&client_id=client-1"),
            "{body}"
        );
        let t = f.ticket;
        s.complete(
            T0,
            t,
            200,
            br#"{"access_token":"a","refresh_token":"r","expires_in":600}"#,
        );
        let f = fetch(s.poll(T0 + 540));
        let body = std::str::from_utf8(f.body).unwrap();
        assert_eq!(f.grant, Grant::RefreshToken);
        assert!(body.starts_with("client_assertion_type="), "{body}");
        assert!(
            body.ends_with("&grant_type=refresh_token&refresh_token=r&client_id=client-1"),
            "{body}"
        );
    }
}
