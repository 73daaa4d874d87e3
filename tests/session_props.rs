//! Property test of the session state machine: arbitrary interleavings of
//! `poll`, `complete`, `fail`, `reset`, `invalidate`, `restore` and clock
//! jumps (both ways) never hand out an expired credential or one with a
//! character a token may not hold, never have two fetches in flight, only
//! the newest ticket (or the latest abandoned one while no newer fetch was
//! issued) is accepted, and an invalidated token never comes back from a
//! record.
//!
//! The second property drives a session that shares its token through a
//! model store (`Session::share`) over the full action set, store actions
//! included, answered in any order, late, stale or failing, with peers
//! saving and invalidated tokens: besides the above, no request is built
//! before the store was read in that attempt, no request while the store
//! holds a fresh token the session may adopt, only one store step is out
//! at a time, a fenced save or an unlock only while the lock is held, a
//! refresh-token grant's save only under the lock, and a revoked token is
//! never handed out.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

mod session_util;

use jwtmint::session::{
    Action, Config, Grant, Outcome, Session, StoreAction, StoreAnswer, StoreOutcome, StorePolicy,
    Ticket, TransportError,
};
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

/// What the model store's peer does between steps.
#[derive(Clone, Debug)]
enum StoreOp {
    Poll,
    /// Answer the store step out (if any) with the `n`-th possible answer;
    /// `stale`: with a wrong ticket first.
    Answer {
        n: u8,
        stale: bool,
    },
    Complete {
        older: bool,
        reply: Reply,
    },
    Fail {
        older: bool,
    },
    Advance(i64),
    /// A peer saves a token valid `ttl` seconds (`revoked`: the token this
    /// session invalidated last, written back by a stale peer).
    PeerSaves {
        ttl: i64,
        revoked: bool,
    },
    /// The store is emptied (TTL, another process removed it).
    Clear,
    Invalidate,
}

fn store_op() -> impl Strategy<Value = StoreOp> {
    prop_oneof![
        4 => Just(StoreOp::Poll),
        5 => (any::<u8>(), proptest::bool::weighted(0.1))
            .prop_map(|(n, stale)| StoreOp::Answer { n, stale }),
        3 => (any::<bool>(), reply()).prop_map(|(older, reply)| StoreOp::Complete { older, reply }),
        1 => any::<bool>().prop_map(|older| StoreOp::Fail { older }),
        3 => (-30i64..2000).prop_map(StoreOp::Advance),
        1 => (-10i64..900, proptest::bool::weighted(0.3))
            .prop_map(|(ttl, revoked)| StoreOp::PeerSaves { ttl, revoked }),
        1 => Just(StoreOp::Clear),
        1 => Just(StoreOp::Invalidate),
    ]
}

/// The model store: one record (token, expiry) and the lock.
#[derive(Default)]
struct Model {
    record: Option<(String, i64)>,
    /// The session holds the lock (granted by an answer `Locked`).
    held: bool,
}

fn record_bytes(id: &str, token: &str, exp: i64, at: i64) -> String {
    format!(
        r#"{{"v":1,"identity":"{id}","access_token":"{token}","token_type":"Bearer","expires_at":{exp},"stored_at":{at}}}"#
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn a_shared_session_reads_the_store_before_it_signs(
        ops in proptest::collection::vec(store_op(), 1..160),
        seed in any::<u64>(),
        lock_wait in 0i64..60,
    ) {
        let p = grant_profile();
        let config = Config::new()
            .jitter_seed(seed)
            .fetch_timeout(FETCH_TIMEOUT)
            .backoff(1, 120);
        let mut s: S<'_, _> = Session::new(&p, &FakeKey, config);
        s.share(StorePolicy::new().lock_wait(lock_wait).lock_ttl(9).keep_refresh(100));
        let id: String = s.identity().iter().map(|b| format!("{b:02x}")).collect();
        let mut now = T0;
        let mut model = Model::default();
        let mut peer = 0u32;
        // The store step out: its ticket and what it asks.
        let mut out: Option<(Ticket, StoreAction<'static>, i64)> = None;
        // Fetches issued: (ticket, at, grant, locked).
        let mut issued: Vec<(Ticket, i64, Grant, bool)> = Vec::new();
        let mut answered: Vec<Ticket> = Vec::new();
        // The store was read (a miss) since the last fetch.
        let mut read_since_fetch = false;
        let mut revoked: Vec<String> = Vec::new();
        // When the session's current attempt began (its store steps share
        // one `fetch_timeout`, counted from there).
        let mut chain_at: Option<i64> = None;
        // A `RenewLock` handed out and not answered yet.
        let mut renewal: Option<Ticket> = None;
        for op in ops {
            match op {
                StoreOp::Poll => {
                    match s.poll(now) {
                        Action::Use(c) => {
                            prop_assert!(now < c.expires_at, "expired credential at {now}: {c:?}");
                            prop_assert!(!revoked.iter().any(|r| r == c.token), "revoked token handed out");
                        }
                        Action::Fetch(f) => {
                            prop_assert!(read_since_fetch, "a request built before the store was read");
                            prop_assert!(out.is_none_or(|(_, _, at)| now >= at + FETCH_TIMEOUT),
                                "a fetch while a store step is out");
                            prop_assert_eq!(f.locked, model.held, "the fetch's lock flag");
                            for (t, at, _, _) in &issued {
                                prop_assert!(answered.contains(t) || now >= at + FETCH_TIMEOUT || now < *at,
                                    "second fetch in flight at {}", now);
                            }
                            issued.push((f.ticket, now, f.grant, f.locked));
                            read_since_fetch = false;
                            chain_at = None;
                            prop_assert!(!matches!(s.poll(now), Action::Fetch(_)));
                        }
                        Action::Wait(at) => prop_assert!(at >= now || s.in_flight() || out.is_some()),
                        Action::Failed(f) => prop_assert!(f.is_rejected()),
                        Action::Store(a) => {
                            let a: StoreAction<'static> = match a {
                                StoreAction::RemoveIfHolds { ticket, .. } => StoreAction::Unlock { ticket },
                                StoreAction::Load { ticket } => StoreAction::Load { ticket },
                                StoreAction::Lock { ticket } => StoreAction::Lock { ticket },
                                StoreAction::AwaitSave { ticket, until } => StoreAction::AwaitSave { ticket, until },
                                StoreAction::RenewLock { ticket } => StoreAction::RenewLock { ticket },
                                StoreAction::Save { ticket, expires_at, locked } =>
                                    StoreAction::Save { ticket, expires_at, locked },
                                StoreAction::Unlock { ticket } => StoreAction::Unlock { ticket },
                                _ => unreachable!(),
                            };
                            // The fetch a renewal rode along has ended: the
                            // renewal is over. One still unanswered is
                            // dropped: the next step has a fresh ticket, so
                            // its late answer is stale.
                            if let Some((rt, StoreAction::RenewLock { .. }, _)) = out
                                && !matches!(a, StoreAction::RenewLock { .. })
                                && !s.in_flight()
                            {
                                if renewal.take() == Some(rt) {
                                    prop_assert_ne!(rt, a.ticket(), "a step shares the ticket of a renewal still out");
                                    prop_assert_eq!(s.store_answer(now, rt, StoreAnswer::Locked), Ok(StoreOutcome::Stale));
                                    prop_assert_eq!(s.store_answer(now, rt, StoreAnswer::LockLost), Ok(StoreOutcome::Stale));
                                }
                                out = None;
                            }
                            // One store step at a time (a lock renewal rides
                            // along a fetch in flight).
                            if !matches!(a, StoreAction::RenewLock { .. }) {
                                prop_assert!(out.is_none_or(|(_, _, at)| now >= at + FETCH_TIMEOUT),
                                    "two store steps out at {}: {:?}", now, a);
                            } else {
                                prop_assert!(model.held && s.in_flight());
                                renewal = Some(a.ticket());
                            }
                            if let StoreAction::Save { locked, .. } = a {
                                prop_assert!(!locked || model.held, "a fenced save without the lock");
                                let last = issued.last().map(|f| (f.2, f.3));
                                if let Some((Grant::RefreshToken, fetched_locked)) = last {
                                    prop_assert!(fetched_locked, "a refresh saved without the lock");
                                }
                            }
                            if matches!(a, StoreAction::Unlock { .. }) && out.is_none() {
                                // (An abandoned attempt releases a lock it held.)
                                prop_assert!(model.held || s.store_locked() == model.held);
                            }
                            let at = if matches!(a, StoreAction::RenewLock { .. }) {
                                now
                            } else {
                                *chain_at.get_or_insert(now)
                            };
                            out = Some((a.ticket(), a, at));
                        }
                    }
                }
                StoreOp::Answer { n, stale } => {
                    let Some((ticket, a, _)) = out else { continue };
                    if stale {
                        let wrong = Ticket::from_u64(ticket.get().wrapping_add(1000));
                        prop_assert_eq!(s.store_answer(now, wrong, StoreAnswer::Done).unwrap(), StoreOutcome::Stale);
                    }
                    let rec = model.record.as_ref().map(|(t, e)| record_bytes(&id, t, *e, now.min(*e)));
                    let answer = match a {
                        StoreAction::Load { .. } | StoreAction::AwaitSave { .. } => match n % 4 {
                            0 => StoreAnswer::Failed,
                            1 => StoreAnswer::Record(Some(b"{garbage")),
                            _ => StoreAnswer::Record(rec.as_deref().map(str::as_bytes)),
                        },
                        StoreAction::Lock { .. } => [StoreAnswer::Locked, StoreAnswer::Busy,
                            StoreAnswer::GaveUp, StoreAnswer::Failed][usize::from(n % 4)],
                        StoreAction::RenewLock { .. } => [StoreAnswer::Locked, StoreAnswer::LockLost,
                            StoreAnswer::Failed][usize::from(n % 3)],
                        StoreAction::Save { .. } => [StoreAnswer::Saved, StoreAnswer::KeptNewer,
                            StoreAnswer::LockLost, StoreAnswer::Failed][usize::from(n % 4)],
                        // Unlock (and RemoveIfHolds, modelled as one).
                        _ => [StoreAnswer::Done, StoreAnswer::Removed(n % 2 == 0),
                            StoreAnswer::Failed][usize::from(n % 3)],
                    };
                    let is_load = matches!(a, StoreAction::Load { .. } | StoreAction::AwaitSave { .. });
                    // A fresh record of a token not invalidated here.
                    let fresh = is_load && n % 4 >= 2
                        && model.record.as_ref().is_some_and(|(t, e)| *e > now + 400 && !s.is_revoked(t));
                    let r = s.store_answer(now, ticket, answer);
                    if matches!(a, StoreAction::RenewLock { .. }) {
                        renewal = None;
                    }
                    if fresh && r != Ok(StoreOutcome::Stale) {
                        // Adopted, never fetched over.
                        prop_assert_eq!(r, Ok(StoreOutcome::Adopted));
                    }
                    if !matches!(a, StoreAction::RenewLock { .. }) {
                        out = None;
                    }
                    match r {
                        Ok(StoreOutcome::Stale) => {}
                        Ok(StoreOutcome::Adopted) => {
                            prop_assert!(is_load);
                            let c = s.credential(now).unwrap();
                            prop_assert!(!revoked.iter().any(|t| t == c.token), "revoked token adopted");
                        }
                        _ if is_load => read_since_fetch = true,
                        _ => {}
                    }
                    if let (StoreAction::Save { .. }, StoreAnswer::Saved) = (a, answer)
                        && let Some(c) = s.credential(now)
                    {
                        model.record = Some((c.token.to_owned(), c.expires_at));
                    }
                    model.held = s.store_locked();
                    if let StoreAction::Lock { .. } = a {
                        // A stale answer (its attempt was given up) takes nothing.
                        let taken = matches!(r, Ok(o) if o != StoreOutcome::Stale);
                        prop_assert_eq!(model.held, answer == StoreAnswer::Locked && taken);
                    }
                }
                StoreOp::Complete { older, reply } => {
                    let Some(i) = pick(&issued, older) else { continue };
                    let (status, b) = body(now, &reply);
                    let out2 = s.complete(now, issued[i].0, status, b.as_bytes());
                    if out2 != Outcome::Stale {
                        answered.push(issued[i].0);
                        // The steps after a fetch count from its end, unless
                        // a newer attempt's steps began (a late answer).
                        chain_at.get_or_insert(now);
                    }
                    if let Outcome::Stored { expires_at } = out2 {
                        prop_assert!(expires_at > now);
                        // The server may issue the same text again (this
                        // model's server always says "tok"): that one is
                        // the server's, not a revoked one from the store.
                        let t = s.credential(now).unwrap().token.to_owned();
                        revoked.retain(|r| *r != t);
                    }
                    model.held = s.store_locked();
                }
                StoreOp::Fail { older } => {
                    let Some(i) = pick(&issued, older) else { continue };
                    if s.fail(now, issued[i].0, TransportError::Timeout) != Outcome::Stale {
                        answered.push(issued[i].0);
                        // The steps after a fetch count from its end, unless
                        // a newer attempt's steps began (a late answer).
                        chain_at.get_or_insert(now);
                    }
                    model.held = s.store_locked();
                }
                StoreOp::Advance(dt) => now += dt,
                StoreOp::PeerSaves { ttl, revoked: stale } => {
                    let token = match (stale, revoked.last()) {
                        (true, Some(t)) => t.clone(),
                        _ => {
                            peer += 1;
                            format!("peer{peer}")
                        }
                    };
                    model.record = Some((token, now + ttl));
                }
                StoreOp::Clear => model.record = None,
                StoreOp::Invalidate => {
                    if let Some(t) = s.credential(now).map(|c| c.token.to_owned()) {
                        prop_assert!(s.invalidate(&t));
                        s.forget_in_store(&t);
                        revoked.push(t);
                    }
                }
            }
            if let Some(c) = s.credential(now) {
                prop_assert!(now < c.expires_at);
            }
            // An abandoned attempt (fetch_timeout) lets go of its step.
            if out.is_some_and(|(_, _, at)| now >= at + FETCH_TIMEOUT || now < at) {
                out = None;
                chain_at = None;
                model.held = s.store_locked();
            }
        }
    }
}
