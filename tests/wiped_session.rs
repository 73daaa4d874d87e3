//! A session with heap storage (`session::Heap`, what the token sources
//! use) never frees a token, refresh token or request unwiped, and a
//! refused answer leaves the stored credential as it was. A global
//! allocator scans every block it frees for a marker every token here
//! carries; the session stores, rotates, refuses, invalidates and is
//! dropped. A control run (a plain `String` dropped) shows the detector
//! sees unwiped frees. The answer bodies are `'static` (never freed).
#![cfg(feature = "std")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use jwtmint::SigningKey;
use jwtmint::profiles::Rfc7523;
use jwtmint::session::{Action, Config, Grant, Heap, Outcome, Session};

const MARKER: &[u8] = b"WIPE-ME-5c1d";

#[path = "common/scanning_alloc.rs"]
mod scanning_alloc;

#[global_allocator]
static GLOBAL: scanning_alloc::Scanning = scanning_alloc::Scanning;

const A: &str = "WIPE-ME-5c1d.access-A";
const B: &str = "WIPE-ME-5c1d.access-B";
const FIRST: &[u8] = br#"{"access_token":"WIPE-ME-5c1d.access-A","refresh_token":"WIPE-ME-5c1d.refresh-R","instance_url":"https://x.example.com","expires_in":600}"#;
/// Already expired: parsed into the scratch slot, then refused.
const EXPIRED: &[u8] = br#"{"access_token":"WIPE-ME-5c1d.access-C","refresh_token":"WIPE-ME-5c1d.refresh-S","expires_in":0}"#;
/// No refresh token: the stored one is kept (copied into the new slot).
const SECOND: &[u8] = br#"{"access_token":"WIPE-ME-5c1d.access-B","expires_in":600}"#;

type Heaped<'a> = Session<&'a Rfc7523<'a>, &'a SigningKey, 32768, 16384, Heap>;

/// Polls from `now` on until the session asks for a fetch; returns its
/// ticket, time and whether its body holds the marker (a refresh token).
fn next_fetch(s: &mut Heaped<'_>, mut now: i64) -> (jwtmint::session::Ticket, i64, bool) {
    for _ in 0..1000 {
        match s.poll(now) {
            Action::Fetch(f) => {
                let holds = f.body.windows(MARKER.len()).any(|w| w == MARKER);
                assert_eq!(holds, f.grant == Grant::RefreshToken);
                return (f.ticket, now, holds);
            }
            _ => now += 1,
        }
    }
    panic!("no fetch");
}

#[test]
fn a_heap_session_frees_nothing_unwiped_and_keeps_its_token_on_a_refused_answer() {
    // The detector works: a token in a plain `String`, dropped.
    scanning_alloc::start(MARKER);
    drop(std::hint::black_box(String::from(A)));
    let found = scanning_alloc::stop();
    assert_eq!(found, 1, "the control run");

    let key = SigningKey::from_pem(include_str!("../examples/keys/demo-key.pem")).unwrap();
    let p = Rfc7523::grant("c", "u", "https://as.example.com/token").unwrap();
    let now = 1_700_000_000;
    scanning_alloc::start(MARKER);
    let mut s: Heaped<'_> = Session::new(&p, &key, Config::new());
    let (t, at, _) = next_fetch(&mut s, now);
    assert_eq!(
        s.complete(at, t, 200, FIRST),
        Outcome::Stored {
            expires_at: at + 600
        }
    );
    let Action::Use(c) = s.poll(at + 1) else {
        panic!("no token")
    };
    assert_eq!(c.token, A);

    // Due: a refresh-token request (its body holds the refresh token).
    let (t, due, refresh) = next_fetch(&mut s, at + 1);
    assert!(
        refresh,
        "the refresh grant's body carries the refresh token"
    );
    assert!(due < at + 600);
    // An already-expired answer: refused, the stored token untouched.
    assert!(matches!(
        s.complete(due, t, 200, EXPIRED),
        Outcome::Retry { .. }
    ));
    assert_eq!(s.credential(due).unwrap().token, A);
    assert_eq!(
        s.credential(due).unwrap().instance_url,
        Some("https://x.example.com")
    );
    assert!(s.has_refresh_token());

    // The retry (still the refresh grant) stores B, keeping the refresh token.
    let (t, again, refresh) = next_fetch(&mut s, due);
    assert!(refresh);
    assert!(matches!(
        s.complete(again, t, 200, SECOND),
        Outcome::Stored { .. }
    ));
    assert_eq!(s.credential(again).unwrap().token, B);
    assert!(s.has_refresh_token());
    let mut record = vec![0u8; 4096];
    let n = s.encode_record(&mut record).unwrap();
    assert!(record[..n].windows(MARKER.len()).any(|w| w == MARKER));
    // The record is the caller's buffer: wipe it as a store would.
    record.iter_mut().for_each(|b| *b = 0);
    drop(record);

    assert!(s.invalidate(B));
    assert!(s.credential(again).is_none());
    drop(s);
    let found = scanning_alloc::stop();
    assert_eq!(
        found, 0,
        "a freed block still held a token, refresh token or request"
    );
}
