//! Many subjects through the C ABI: `jwtmint_sessions`, a bounded table of
//! sessions keyed by subject (a user a gateway logs in as, a tenant), for
//! gateways that run the sans-IO session loop for thousands of logins.
//!
//! The gateway builds a subject's profile and session as for one login
//! (`jwtmint_*_profile_new`, `jwtmint_session_new`) and hands both to the
//! table, which owns them from then on; it looks the subject up before every
//! poll and again when an answer comes back (the session may have been
//! evicted meanwhile: the answer is then dropped). Full, the table evicts
//! its least recently used session, preferring one with no fetch in flight,
//! and frees it (tokens zeroized) and its profile. The same rule as the
//! Rust tables (`crate::session::Sessions`, `client::subjects`).

use alloc::boxed::Box;
use alloc::vec::Vec;
use core::ptr::NonNull;
use std::collections::HashMap;

use super::panic::{free_handle, guard, guard_new};
use super::profiles::jwtmint_profile;
use super::result::jwtmint_result;
use super::session::jwtmint_session;
use super::util::{bytes, need, write_opt, write_out};
use crate::session::lru_victim;

/// Longest subject, bytes (user names and tenant ids are far shorter).
const MAX_SUBJECT: usize = 4096;

/// A kept subject: its session and (when the table owns it) its profile.
struct Entry {
    /// From `jwtmint_session_new` (`Box::into_raw`), owned by the table.
    session: NonNull<jwtmint_session>,
    /// From a `jwtmint_*_profile_new` (`Box::into_raw`), owned by the
    /// table; `None` when the caller keeps the profile alive.
    profile: Option<NonNull<jwtmint_profile>>,
    /// The table's tick when it was last inserted or looked up.
    used: u64,
}

impl Drop for Entry {
    fn drop(&mut self) {
        // SAFETY: both pointers came from `Box::into_raw` and were handed
        // over by `jwtmint_sessions_insert`; each entry frees them once.
        // The session borrows the profile: it goes first.
        drop(unsafe { Box::from_raw(self.session.as_ptr()) });
        if let Some(p) = self.profile {
            // SAFETY: as above; nothing borrows it any more.
            drop(unsafe { Box::from_raw(p.as_ptr()) });
        }
    }
}

/// A bounded table of sessions keyed by subject (opaque). **Not
/// thread-safe**: serialize every call on one table and on the sessions it
/// hands out (one table per event loop / worker; none of these calls
/// blocks on IO, so a mutex around each call is held for microseconds).
pub struct jwtmint_sessions {
    map: HashMap<Box<[u8]>, Entry>,
    capacity: usize,
    tick: u64,
    evicted: u64,
    evicted_in_flight: u64,
}

impl jwtmint_sessions {
    /// Marks `e` as just used; its session.
    fn touch(tick: &mut u64, e: &mut Entry) -> *mut jwtmint_session {
        *tick = tick.wrapping_add(1);
        e.used = *tick;
        e.session.as_ptr()
    }

    /// Evicts the least recently used entry, preferring one with no fetch
    /// in flight.
    fn evict(&mut self) {
        let victim = lru_victim(self.map.iter().map(|(k, e)| {
            // SAFETY: the table owns the session; no call runs concurrently
            // (documented), so nothing mutates it while it is read.
            let busy = unsafe { e.session.as_ref() }.in_flight();
            (k, e.used, busy)
        }))
        .cloned();
        if let Some(k) = victim
            && let Some(e) = self.map.remove(&k)
        {
            self.evicted += 1;
            // SAFETY: as above.
            if unsafe { e.session.as_ref() }.in_flight() {
                self.evicted_in_flight += 1;
            }
        }
    }
}

/// The table behind `t`.
///
/// # Safety
/// `t` NULL or live and not used concurrently.
unsafe fn table<'a>(t: *mut jwtmint_sessions) -> Result<&'a mut jwtmint_sessions, jwtmint_result> {
    // SAFETY: forwarded caller contract.
    unsafe { t.as_mut() }.ok_or(jwtmint_result::JWTMINT_RESULT_NULL_ARGUMENT)
}

/// The subject bytes (any bytes, 1 to 4096 of them).
///
/// # Safety
/// `p` NULL or valid for reads of `len` bytes.
unsafe fn subject<'a>(p: *const u8, len: usize) -> Result<&'a [u8], jwtmint_result> {
    // SAFETY: forwarded caller contract.
    let s = unsafe { bytes(p, len) }?;
    if s.is_empty() || s.len() > MAX_SUBJECT {
        return Err(jwtmint_result::JWTMINT_RESULT_INVALID_ARGUMENT);
    }
    Ok(s)
}

/// What a table holds and did (`jwtmint_sessions_stats`).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct jwtmint_sessions_counters {
    /// Subjects kept now.
    pub len: usize,
    /// The most subjects kept (`jwtmint_sessions_new`).
    pub capacity: usize,
    /// Subjects evicted to make room so far.
    pub evicted: u64,
    /// Of `evicted`, those whose fetch was still in flight (every session
    /// was fetching: the capacity is below the concurrent fetches).
    pub evicted_in_flight: u64,
}

/// Creates an empty table keeping at most `capacity` subjects; `*out`
/// receives it, to be freed with `jwtmint_sessions_free`. Thread-safe
/// (touches no shared state).
///
/// Errors: `NULL_ARGUMENT`, `INVALID_ARGUMENT` (`capacity` 0).
///
/// # Safety
/// `out` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_sessions_new(
    capacity: usize,
    out: *mut *mut jwtmint_sessions,
) -> jwtmint_result {
    // SAFETY: the caller promises `out` is NULL or valid for a write.
    unsafe {
        guard_new(out, || {
            if capacity == 0 {
                return Err(jwtmint_result::JWTMINT_RESULT_INVALID_ARGUMENT);
            }
            Ok(jwtmint_sessions {
                map: HashMap::new(),
                capacity,
                tick: 0,
                evicted: 0,
                evicted_in_flight: 0,
            })
        })
    }
}

/// Frees a table (NULL is a no-op): every session it holds (zeroizing its
/// tokens), then the profiles it owns. Sessions it handed out are invalid
/// afterwards.
///
/// # Safety
/// `t` NULL or a table from `jwtmint_sessions_new`, not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_sessions_free(t: *mut jwtmint_sessions) {
    // SAFETY: the caller gives back a pointer from `jwtmint_sessions_new`, once.
    unsafe { free_handle(t) }
}

/// Looks `subject` (`subject_len` bytes) up: `*out` receives its session,
/// marked as just used, or NULL when the table does not keep it (never
/// inserted, evicted or removed). The session is borrowed from the table:
/// valid until the next `jwtmint_sessions_insert`, `_remove` or `_free` on
/// it, so look the subject up again after any of those (and before
/// completing a fetch: a NULL then means the answer is to be dropped).
///
/// Errors: `NULL_ARGUMENT`, `INVALID_ARGUMENT` (an empty subject or one
/// over 4096 bytes).
///
/// # Safety
/// `t` NULL or live (not used concurrently); `subject` NULL or valid for
/// `subject_len` bytes; `out` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_sessions_get(
    t: *mut jwtmint_sessions,
    subject: *const u8,
    subject_len: usize,
    out: *mut *mut jwtmint_session,
) -> jwtmint_result {
    guard(|| {
        need(out)?;
        // SAFETY: forwarded caller contracts.
        let (t, sub) = unsafe { (table(t)?, self::subject(subject, subject_len)?) };
        let found = match t.map.get_mut(sub) {
            Some(e) => jwtmint_sessions::touch(&mut t.tick, e),
            None => core::ptr::null_mut(),
        };
        // SAFETY: `out` checked non-NULL; the caller promises it is writable.
        unsafe { write_out(out, found) };
        Ok(())
    })
}

/// Adds `subject`'s `session` (from `jwtmint_session_new`) and the
/// `profile` it was created from; on success the table owns both and
/// `*out` (NULL allowed) receives the session, borrowed as from
/// `jwtmint_sessions_get`. `profile` may be NULL when the caller keeps it
/// alive until the table is freed (a profile shared by several subjects'
/// sessions, a key-less one). When the table is full, its least recently
/// used session with no fetch in flight (else the least recently used one)
/// is freed with its profile first.
///
/// On an error nothing is taken: the caller still owns `session` and
/// `profile`.
///
/// Errors: `NULL_ARGUMENT` (`t`, `subject` or `session`),
/// `INVALID_ARGUMENT` (an empty subject or one over 4096 bytes, or a
/// subject the table keeps already: look it up instead).
///
/// # Safety
/// `t` NULL or live (not used concurrently); `subject` NULL or valid for
/// `subject_len` bytes; `session` NULL or a live session from
/// `jwtmint_session_new` not owned by any table, created from `profile`
/// when `profile` is not NULL; `profile` NULL or a live profile from a
/// `jwtmint_*_profile_new` not freed by the caller afterwards; `out` NULL
/// or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_sessions_insert(
    t: *mut jwtmint_sessions,
    subject: *const u8,
    subject_len: usize,
    profile: *mut jwtmint_profile,
    session: *mut jwtmint_session,
    out: *mut *mut jwtmint_session,
) -> jwtmint_result {
    guard(|| {
        // SAFETY: forwarded caller contracts.
        let (t, sub) = unsafe { (table(t)?, self::subject(subject, subject_len)?) };
        let session = NonNull::new(session).ok_or(jwtmint_result::JWTMINT_RESULT_NULL_ARGUMENT)?;
        if t.map.contains_key(sub) {
            return Err(jwtmint_result::JWTMINT_RESULT_INVALID_ARGUMENT);
        }
        // The key is copied before anything is taken: an allocation
        // failure aborts, but no error path below hands ownership back.
        let key: Box<[u8]> = Vec::from(sub).into_boxed_slice();
        if t.map.len() >= t.capacity {
            t.evict();
        }
        t.tick = t.tick.wrapping_add(1);
        let entry = Entry {
            session,
            profile: NonNull::new(profile),
            used: t.tick,
        };
        t.map.insert(key, entry);
        // SAFETY: the caller promises `out` is NULL or writable.
        unsafe { write_opt(out, session.as_ptr()) };
        Ok(())
    })
}

/// Removes `subject`, freeing its session (tokens zeroized) and the
/// profile the table owns; `*removed` (NULL allowed) says whether it was
/// kept. Its borrowed session is invalid afterwards.
///
/// Errors: `NULL_ARGUMENT`, `INVALID_ARGUMENT` (an empty subject or one
/// over 4096 bytes).
///
/// # Safety
/// `t` NULL or live (not used concurrently); `subject` NULL or valid for
/// `subject_len` bytes; `removed` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_sessions_remove(
    t: *mut jwtmint_sessions,
    subject: *const u8,
    subject_len: usize,
    removed: *mut bool,
) -> jwtmint_result {
    guard(|| {
        // SAFETY: forwarded caller contracts.
        let (t, sub) = unsafe { (table(t)?, self::subject(subject, subject_len)?) };
        let was = t.map.remove(sub).is_some();
        // SAFETY: the caller promises `removed` is NULL or writable.
        unsafe { write_opt(removed, was) };
        Ok(())
    })
}

/// Writes what the table holds and did into `*out`.
///
/// Errors: `NULL_ARGUMENT`.
///
/// # Safety
/// `t` NULL or live (not used concurrently); `out` NULL or valid for a
/// write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_sessions_stats(
    t: *const jwtmint_sessions,
    out: *mut jwtmint_sessions_counters,
) -> jwtmint_result {
    guard(|| {
        need(out)?;
        // SAFETY: forwarded caller contract.
        let t = unsafe { t.as_ref() }.ok_or(jwtmint_result::JWTMINT_RESULT_NULL_ARGUMENT)?;
        let c = jwtmint_sessions_counters {
            len: t.map.len(),
            capacity: t.capacity,
            evicted: t.evicted,
            evicted_in_flight: t.evicted_in_flight,
        };
        // SAFETY: `out` checked non-NULL; the caller promises it is writable.
        unsafe { write_out(out, c) };
        Ok(())
    })
}
