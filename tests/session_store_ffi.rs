//! The C session's store actions (`jwtmint_session_share_store`) called
//! from Rust through the `extern "C"` functions: a plain session never sees
//! one; a sharing session asks to load, lock and load again before its
//! FETCH, hands out the record to save, and a second session adopts that
//! record without a FETCH. Bad arguments are error codes.
#![cfg(feature = "ffi")]
#![allow(clippy::unwrap_used, clippy::indexing_slicing, unsafe_code)]

use std::ptr;

use jwtmint::ffi::*;
use jwtmint::session::token_digest;

const DEMO_KEY: &str = include_str!("../examples/keys/demo-key.pem");
const T0: i64 = 1_700_000_000;
const OK: jwtmint_result = jwtmint_result::JWTMINT_RESULT_OK;

fn s(v: &str) -> jwtmint_str {
    jwtmint_str {
        ptr: v.as_ptr(),
        len: v.len(),
    }
}

fn bytes<'a>(p: *const u8, len: usize) -> &'a [u8] {
    // SAFETY: a pointer and length from the session's action, valid until
    // the next call on it.
    unsafe { std::slice::from_raw_parts(p, len) }
}

struct Handles {
    key: *mut jwtmint_key,
    profile: *mut jwtmint_profile,
}

impl Handles {
    fn new() -> Self {
        let mut key = ptr::null_mut();
        let mut profile = ptr::null_mut();
        // SAFETY: valid inputs and out-pointers.
        unsafe {
            assert_eq!(
                jwtmint_key_new_from_pem(DEMO_KEY.as_ptr(), DEMO_KEY.len(), &mut key),
                OK
            );
            let o = jwtmint_rfc7523_options {
                kind: 0,
                iss: s("demo-client"),
                sub: s("alice"),
                aud: s("https://idp.test"),
                token_url: s("https://idp.test/token"),
                scope: jwtmint_str {
                    ptr: ptr::null(),
                    len: 0,
                },
                alg: 0,
                kid: jwtmint_str {
                    ptr: ptr::null(),
                    len: 0,
                },
                lifetime: 0,
                claims: ptr::null(),
                claims_len: 0,
                cert: ptr::null(),
                cert_len: 0,
                not_before: 0,
            };
            assert_eq!(jwtmint_rfc7523_profile_new(&o, &mut profile), OK);
        }
        Self { key, profile }
    }

    fn session(&self) -> *mut jwtmint_session {
        let mut out = ptr::null_mut();
        // SAFETY: live handles, a valid out-pointer.
        assert_eq!(
            unsafe { jwtmint_session_new(self.profile, self.key, ptr::null(), &mut out) },
            OK
        );
        out
    }
}

impl Drop for Handles {
    fn drop(&mut self) {
        // SAFETY: the handles from `new`, freed once, after their sessions.
        unsafe {
            jwtmint_profile_free(self.profile);
            jwtmint_key_free(self.key);
        }
    }
}

fn poll(sess: *mut jwtmint_session, now: i64) -> jwtmint_session_action {
    let mut a = std::mem::MaybeUninit::<jwtmint_session_action>::uninit();
    // SAFETY: a live session, a writable action.
    assert_eq!(
        unsafe { jwtmint_session_poll(sess, now, a.as_mut_ptr()) },
        OK
    );
    // SAFETY: written on OK.
    unsafe { a.assume_init() }
}

fn result(
    sess: *mut jwtmint_session,
    ticket: u64,
    r: jwtmint_store_result,
) -> jwtmint_store_outcome {
    let mut o = jwtmint_store_outcome::JWTMINT_STORE_STALE;
    // SAFETY: a live session, a writable outcome.
    assert_eq!(
        unsafe { jwtmint_session_store_result(sess, T0, ticket, r as u32, &mut o) },
        OK
    );
    o
}

fn loaded(sess: *mut jwtmint_session, ticket: u64, record: Option<&[u8]>) -> jwtmint_store_outcome {
    let mut o = jwtmint_store_outcome::JWTMINT_STORE_STALE;
    let (p, n) = record.map_or((ptr::null(), 0), |r| (r.as_ptr(), r.len()));
    // SAFETY: a live session, `p` valid for `n` bytes, a writable outcome.
    assert_eq!(
        unsafe { jwtmint_session_store_loaded(sess, T0, ticket, p, n, &mut o) },
        OK
    );
    o
}

#[test]
fn c_sessions_share_a_token_by_answering_store_actions() {
    use jwtmint_action_kind as K;
    use jwtmint_store_outcome as O;
    use jwtmint_store_result as R;
    let h = Handles::new();
    // A session that does not opt in: FETCH at once, as before.
    let plain = h.session();
    assert_eq!(poll(plain, T0).kind, K::JWTMINT_ACTION_FETCH);

    let a = h.session();
    // SAFETY: live sessions throughout; every pointer valid.
    unsafe {
        assert_eq!(
            jwtmint_session_share_store(a, -1, 0, 0),
            jwtmint_result::JWTMINT_RESULT_INVALID_ARGUMENT
        );
        assert_eq!(jwtmint_session_share_store(a, 0, 0, 0), OK);
        assert_eq!(
            jwtmint_session_share_store(ptr::null_mut(), 0, 0, 0),
            jwtmint_result::JWTMINT_RESULT_NULL_ARGUMENT
        );
    }
    let load = poll(a, T0);
    assert_eq!(load.kind, K::JWTMINT_ACTION_STORE_LOAD);
    // Only one step out: a second poll waits.
    assert_eq!(poll(a, T0).kind, K::JWTMINT_ACTION_WAIT);
    assert_eq!(loaded(a, load.ticket + 7, None), O::JWTMINT_STORE_STALE);
    // SAFETY: a live session; NULL record with a length is refused.
    unsafe {
        assert_eq!(
            jwtmint_session_store_loaded(a, T0, load.ticket, ptr::null(), 3, ptr::null_mut()),
            jwtmint_result::JWTMINT_RESULT_NULL_ARGUMENT
        );
        assert_eq!(
            jwtmint_session_store_loaded(a, -5, load.ticket, ptr::null(), 0, ptr::null_mut()),
            jwtmint_result::JWTMINT_RESULT_NEGATIVE_TIMESTAMP
        );
    }
    assert_eq!(loaded(a, load.ticket, None), O::JWTMINT_STORE_CONTINUE);
    let lock = poll(a, T0);
    assert_eq!(lock.kind, K::JWTMINT_ACTION_STORE_LOCK);
    // SAFETY: a live session; 99 is no jwtmint_store_result.
    unsafe {
        assert_eq!(
            jwtmint_session_store_result(a, T0, lock.ticket, 99, ptr::null_mut()),
            jwtmint_result::JWTMINT_RESULT_INVALID_ARGUMENT
        );
    }
    assert_eq!(
        result(a, lock.ticket, R::JWTMINT_STORE_LOCKED),
        O::JWTMINT_STORE_CONTINUE
    );
    let again = poll(a, T0);
    assert_eq!(again.kind, K::JWTMINT_ACTION_STORE_LOAD);
    assert_eq!(loaded(a, again.ticket, None), O::JWTMINT_STORE_CONTINUE);
    let fetch = poll(a, T0);
    assert_eq!(fetch.kind, K::JWTMINT_ACTION_FETCH);
    let body = br#"{"access_token":"shared-tok","token_type":"Bearer","expires_in":600}"#;
    let mut o = std::mem::MaybeUninit::<jwtmint_session_outcome>::uninit();
    // SAFETY: a live session, the body valid, a writable outcome.
    unsafe {
        assert_eq!(
            jwtmint_session_complete(
                a,
                T0,
                fetch.ticket,
                200,
                body.as_ptr(),
                body.len(),
                o.as_mut_ptr()
            ),
            OK
        );
        assert_eq!(
            o.assume_init().kind,
            jwtmint_outcome_kind::JWTMINT_OUTCOME_STORED
        );
    }
    // The save, fenced by the lock: the record in `body`, its expiry in `at`.
    let save = poll(a, T0);
    assert_eq!(save.kind, K::JWTMINT_ACTION_STORE_SAVE);
    assert_eq!(save.at, T0 + 600);
    let record = bytes(save.body, save.body_len).to_vec();
    let mut holds = false;
    let digest = token_digest("shared-tok");
    // SAFETY: the record and digest are valid; `holds` is writable.
    unsafe {
        assert_eq!(
            jwtmint_record_holds(record.as_ptr(), record.len(), digest.as_ptr(), &mut holds),
            OK
        );
    }
    assert!(holds);
    assert_eq!(
        result(a, save.ticket, R::JWTMINT_STORE_SAVED),
        O::JWTMINT_STORE_CONTINUE
    );
    let used = poll(a, T0);
    assert_eq!(used.kind, K::JWTMINT_ACTION_USE);
    assert_eq!(bytes(used.token.ptr, used.token.len), b"shared-tok");

    // Another worker adopts the saved record: no FETCH.
    let b = h.session();
    // SAFETY: a live session.
    assert_eq!(unsafe { jwtmint_session_share_store(b, 5, 9, 0) }, OK);
    let load = poll(b, T0);
    assert_eq!(load.kind, K::JWTMINT_ACTION_STORE_LOAD);
    assert_eq!(
        loaded(b, load.ticket, Some(&record)),
        O::JWTMINT_STORE_ADOPTED
    );
    let used = poll(b, T0);
    assert_eq!(used.kind, K::JWTMINT_ACTION_USE);
    assert_eq!(bytes(used.token.ptr, used.token.len), b"shared-tok");
    let mut stats = std::mem::MaybeUninit::<jwtmint_session_counters>::uninit();
    // SAFETY: a live session, a writable struct.
    let stats = unsafe {
        assert_eq!(jwtmint_session_stats(b, stats.as_mut_ptr()), OK);
        stats.assume_init()
    };
    assert_eq!((stats.fetches, stats.restored), (0, 1));
    // A 401 for that token: B asks to delete the shared record if it still
    // holds it (the digest in `body`), before loading again.
    let mut dropped = false;
    // SAFETY: a live session, the token valid, `dropped` writable.
    unsafe {
        assert_eq!(
            jwtmint_session_invalidate_token(b, b"shared-tok".as_ptr(), 10, &mut dropped),
            OK
        );
    }
    assert!(dropped);
    let remove = poll(b, T0);
    assert_eq!(remove.kind, K::JWTMINT_ACTION_STORE_REMOVE_IF_HOLDS);
    assert_eq!(bytes(remove.body, remove.body_len), &digest[..]);
    assert_eq!(
        result(b, remove.ticket, R::JWTMINT_STORE_REMOVED),
        O::JWTMINT_STORE_CONTINUE
    );
    let load = poll(b, T0);
    assert_eq!(load.kind, K::JWTMINT_ACTION_STORE_LOAD);
    // The revoked record is never adopted again.
    assert_eq!(
        loaded(b, load.ticket, Some(&record)),
        O::JWTMINT_STORE_NOT_ADOPTED
    );
    // SAFETY: the sessions from `session`, freed once.
    unsafe {
        jwtmint_session_free(plain);
        jwtmint_session_free(a);
        jwtmint_session_free(b);
    }
}
