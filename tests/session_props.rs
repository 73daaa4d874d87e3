//! Property test of the session state machine: arbitrary interleavings of
//! `poll`, `complete`, `fail`, `reset`, `invalidate`, `restore` and clock
//! jumps (both ways) never hand out an expired credential or one with a
//! character a token may not hold, never have two fetches in flight, only
//! the newest ticket (or the latest abandoned one while no newer fetch was
//! issued) is accepted, and an invalidated token never comes back from a
//! record.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

mod session_util;

use jwtmint::session::{Action, Config, Outcome, Session, TransportError};
use proptest::prelude::*;

use session_util::*;

const T0: i64 = 1_700_000_000;
const FETCH_TIMEOUT: i64 = 30;

#[derive(Clone, Debug)]
enum Reply {
    Ok(i64),
    OkRefresh(i64),
    NoExpiry,
    JwtExp(i64),
    InvalidGrant,
    ServerError,
    Garbage,
    /// A 200 whose token could split a header.
    Hostile,
}

#[derive(Clone, Debug)]
enum Op {
    Poll,
    Complete {
        older: bool,
        reply: Reply,
    },
    Fail {
        older: bool,
    },
    Advance(i64),
    /// Jump to the last stored expiry + offset (the boundary cases).
    ToExpiry(i64),
    Reset,
    Invalidate,
    /// A peer's record holding `tok` (or a hostile token), valid 600 s.
    Restore {
        hostile: bool,
    },
}

fn reply() -> impl Strategy<Value = Reply> {
    prop_oneof![
        (0i64..5000).prop_map(Reply::Ok),
        (1i64..5000).prop_map(Reply::OkRefresh),
        Just(Reply::NoExpiry),
        (-100i64..5000).prop_map(Reply::JwtExp),
        Just(Reply::InvalidGrant),
        Just(Reply::ServerError),
        Just(Reply::Garbage),
        Just(Reply::Hostile),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => Just(Op::Poll),
        3 => (any::<bool>(), reply()).prop_map(|(older, reply)| Op::Complete { older, reply }),
        1 => any::<bool>().prop_map(|older| Op::Fail { older }),
        3 => (-300i64..4000).prop_map(Op::Advance),
        2 => (-61i64..=1).prop_map(Op::ToExpiry),
        1 => Just(Op::Reset),
        1 => Just(Op::Invalidate),
        1 => any::<bool>().prop_map(|hostile| Op::Restore { hostile }),
    ]
}

fn body(now: i64, r: &Reply) -> (u16, String) {
    match r {
        Reply::Ok(e) => (200, ok_body("tok", *e)),
        Reply::OkRefresh(e) => (
            200,
            format!(r#"{{"access_token":"tok","refresh_token":"rt","expires_in":{e}}}"#),
        ),
        Reply::NoExpiry => (200, r#"{"access_token":"tok"}"#.into()),
        Reply::JwtExp(d) => {
            let jwt = unsigned_jwt(&format!(r#"{{"exp":{}}}"#, now + d));
            (200, format!(r#"{{"access_token":"{jwt}"}}"#))
        }
        Reply::InvalidGrant => (400, r#"{"error":"invalid_grant"}"#.into()),
        Reply::ServerError => (500, "oops".into()),
        Reply::Garbage => (200, "{".into()),
        Reply::Hostile => (
            200,
            r#"{"access_token":"tok\r\nX-Injected: 1","expires_in":600}"#.into(),
        ),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn never_expired_never_two_fetches(
        ops in proptest::collection::vec(op(), 1..120),
        seed in any::<u64>(),
        lifetime in 0i64..3000,
    ) {
        let p = grant_profile();
        let config = Config::new()
            .jitter_seed(seed)
            .session_lifetime(lifetime)
            .fetch_timeout(FETCH_TIMEOUT)
            .backoff(1, 120);
        let mut s: S<'_, _> = Session::new(&p, &FakeKey, config);
        let mut now = T0;
        // Every ticket issued, with the time it was issued and whether it
        // was answered.
        // (ticket, issued at, closed: answered or abandoned, answered).
        let mut issued: Vec<(jwtmint::session::Ticket, i64, bool, bool)> = Vec::new();
        let mut last_exp = now;
        for op in ops {
            match op {
                Op::Poll => {
                    let before = s.in_flight();
                    match s.poll(now) {
                        Action::Use(c) => {
                            prop_assert!(now < c.expires_at, "expired credential at {now}: {c:?}");
                            prop_assert!(c.token.bytes().all(|b| (0x21..=0x7e).contains(&b)));
                            prop_assert!(c.refresh_at <= c.expires_at && c.refresh_at >= c.stored_at, "{c:?}");
                        }
                        Action::Fetch(f) => {
                            // A new fetch only when every earlier one was
                            // answered or abandoned after the fetch timeout.
                            for (_, at, closed, _) in &issued {
                                prop_assert!(*closed || now >= at + FETCH_TIMEOUT || now < *at,
                                    "second fetch in flight at {now} (before: {before})");
                            }
                            issued.push((f.ticket, now, false, false));
                            // An immediate concurrent poll never fetches too.
                            prop_assert!(!matches!(s.poll(now), Action::Fetch(_)));
                        }
                        Action::Wait(at) => prop_assert!(at >= now || s.in_flight()),
                        Action::Failed(f) => prop_assert!(f.is_rejected()),
                        Action::Store(a) => prop_assert!(false, "no store configured: {a:?}"),
                    }
                    // Nothing in flight: every fetch is closed (answered or
                    // abandoned). Only the latest abandoned one may still
                    // be answered, while no newer fetch was issued.
                    if !s.in_flight() {
                        let n = issued.len();
                        for (i, t) in issued.iter_mut().enumerate() {
                            t.2 = true;
                            if i + 1 < n {
                                t.3 = true;
                            }
                        }
                    }
                }
                Op::Complete { older, reply } => {
                    let Some(i) = pick(&issued, older) else { continue };
                    let (status, b) = body(now, &reply);
                    let latest = i + 1 == issued.len();
                    let was_live = !issued[i].3 && latest;
                    let out = s.complete(now, issued[i].0, status, b.as_bytes());
                    prop_assert_eq!(out == Outcome::Stale, !was_live, "{:?}", out);
                    if let Outcome::Stored { expires_at } = out {
                        prop_assert!(expires_at > now);
                        last_exp = expires_at;
                    }
                    issued[i].2 = true;
                    issued[i].3 = true;
                }
                Op::Fail { older } => {
                    let Some(i) = pick(&issued, older) else { continue };
                    let latest = i + 1 == issued.len();
                    let was_live = !issued[i].2 && latest && s.in_flight();
                    let out = s.fail(now, issued[i].0, TransportError::Timeout);
                    prop_assert_eq!(out == Outcome::Stale, !was_live);
                    if out != Outcome::Stale {
                        issued[i].2 = true;
                        issued[i].3 = true;
                    }
                }
                Op::Advance(dt) => now += dt,
                Op::ToExpiry(dt) => now = last_exp + dt,
                Op::Reset => s.reset(),
                Op::Restore { hostile } => {
                    let id: String = s.identity().iter().map(|b| format!("{b:02x}")).collect();
                    let token = if hostile { r"tok\u000d\u000a" } else { "tok" };
                    let rec = format!(
                        r#"{{"v":1,"identity":"{id}","access_token":"{token}","token_type":"Bearer","expires_at":{},"stored_at":{now}}}"#,
                        now + 600
                    );
                    let r = s.restore(now, rec.as_bytes());
                    if hostile {
                        prop_assert!(matches!(r, Err(jwtmint::Error::InvalidTokenSyntax { .. })), "{r:?}");
                    } else if s.is_revoked("tok") {
                        prop_assert_eq!(r, Err(jwtmint::Error::TokenRevoked));
                    }
                }
                Op::Invalidate => {
                    let held = s.credential(now).map(|c| c.token.to_owned());
                    match held {
                        // Only the token that got the 401 goes; it never
                        // comes back from a record.
                        Some(t) => {
                            prop_assert!(s.invalidate(&t));
                            prop_assert!(s.credential(now).is_none());
                            prop_assert!(s.is_revoked(&t));
                        }
                        None => prop_assert!(!s.invalidate("not-held")),
                    }
                }
            }
            if let Some(c) = s.credential(now) {
                prop_assert!(now < c.expires_at);
            }
        }
    }
}

fn pick<T>(issued: &[T], older: bool) -> Option<usize> {
    match (issued.len(), older) {
        (0, _) => None,
        (1, _) | (_, false) => Some(issued.len() - 1),
        (n, true) => Some(n - 2),
    }
}
