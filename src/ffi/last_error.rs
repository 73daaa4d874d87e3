//! The detail of the last failure on this thread, for C: which field, which
//! byte offset (the text of the Rust [`Error`]), like libcurl's error buffer
//! and rustls-ffi's last-error text. Read with `jwtmint_last_error_detail`.
//!
//! Two thread-local slots, both `Copy` values (no allocation on any path):
//! - `PENDING`: the last core [`Error`] turned into a code
//!   ([`jwtmint_result::from_error`], the one conversion point every export
//!   goes through), cleared when an export starts (`begin`);
//! - `LAST`: set when an export fails (`settle`, called by the boundary
//!   guard): the pending error when it gave the returned code, else the code
//!   alone (its message is then the detail). A successful call leaves it as it
//!   was, like `errno`.
//!
//! No secret can reach the detail: [`Error`] holds only static text, numbers
//! and algorithm names — never key bytes, tokens or passphrases.

use core::cell::Cell;
use core::ffi::c_char;

use super::panic::guard_keeping_detail;
use super::result::jwtmint_result;
use super::result_text::write_nul_terminated;
use crate::error::Error;

/// What the last failing call on this thread left.
#[derive(Clone, Copy)]
enum Last {
    /// No call on this thread has failed yet.
    Nothing,
    /// A failure without more detail than its code.
    Code(jwtmint_result),
    /// A failure with the core error that caused it.
    Error(Error),
}

std::thread_local! {
    static PENDING: Cell<Option<Error>> = const { Cell::new(None) };
    static LAST: Cell<Last> = const { Cell::new(Last::Nothing) };
}

/// Remembers `e` as the cause of the code being returned (called by
/// [`jwtmint_result::from_error`]).
pub(crate) fn note(e: &Error) {
    // `try_with`: a call during thread teardown simply records nothing.
    let _ = PENDING.try_with(|p| p.set(Some(*e)));
}

/// An export starts: forget causes noted by earlier calls.
pub(crate) fn begin() {
    let _ = PENDING.try_with(|p| p.set(None));
}

/// An export fails with `code`: record its detail.
pub(crate) fn settle(code: jwtmint_result) {
    let pending = PENDING.try_with(Cell::take).ok().flatten();
    let last = match pending {
        Some(e) if jwtmint_result::from_error_quiet(&e) == code => Last::Error(e),
        _ => Last::Code(code),
    };
    let _ = LAST.try_with(|l| l.set(last));
}

/// The detail text of the last failure on this thread ("" when none).
fn detail() -> std::string::String {
    match LAST.try_with(Cell::get).unwrap_or(Last::Nothing) {
        Last::Nothing => std::string::String::new(),
        Last::Code(code) => code.message().into(),
        Last::Error(e) => std::format!("{e}"),
    }
}

/// Writes the detail of the last failed jwtmint call **on the calling
/// thread**, NUL-terminated UTF-8, into `buf` of `cap` bytes: the text of the
/// underlying error, naming the field, member or byte offset where there is
/// one (e.g. "JWK member `d`: missing", "JWK is not valid JSON (at byte 12)");
/// the code's message when the failure has no more detail; "" when no call on
/// this thread has failed.
///
/// Each failing call overwrites it; a successful call leaves it unchanged
/// (like `errno`), so read it right after the failure. This function itself
/// never changes it. It never contains key material, tokens or passphrases.
///
/// `*len_out` counts the bytes **including** the NUL, as for
/// `jwtmint_result_message`: the bytes written on success, the capacity
/// needed on `JWTMINT_RESULT_BUFFER_TOO_SMALL`; `buf == NULL, cap == 0` is a
/// length query; NULL with `cap > 0` is `JWTMINT_RESULT_NULL_ARGUMENT`.
///
/// # Safety
/// `buf` must be NULL or valid for writes of `cap` bytes; `len_out` must be
/// NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_last_error_detail(
    buf: *mut c_char,
    cap: usize,
    len_out: *mut usize,
) -> jwtmint_result {
    // Not `guard`: reading the detail (even a length query) must not replace it.
    guard_keeping_detail(|| {
        let text = detail();
        // SAFETY: forwarded caller contract.
        unsafe { write_nul_terminated(text.as_bytes(), buf, cap, len_out) }
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::error::JsonPart;
    use jwtmint_result as R;

    fn read() -> std::string::String {
        let mut len = 0usize;
        let mut buf = [0 as c_char; 256];
        // SAFETY: valid buffer and out-pointer.
        let r = unsafe { jwtmint_last_error_detail(buf.as_mut_ptr(), buf.len(), &mut len) };
        assert_eq!(r, R::JWTMINT_RESULT_OK);
        let bytes: std::vec::Vec<u8> = buf[..len - 1].iter().map(|&c| c as u8).collect();
        assert_eq!(buf[len - 1], 0);
        std::string::String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn failing_calls_overwrite_successes_keep_reads_do_not_touch() {
        std::thread::spawn(|| {
            assert_eq!(read(), "");
            let e = Error::InvalidJson {
                part: JsonPart::Jwk,
                offset: 7,
            };
            let r = super::super::panic::guard(|| Err(e.into()));
            assert_eq!(r, R::JWTMINT_RESULT_INVALID_JSON);
            assert_eq!(read(), "JWK is not valid JSON (at byte 7)");
            assert_eq!(
                read(),
                "JWK is not valid JSON (at byte 7)",
                "reading keeps it"
            );
            // Success leaves it.
            assert_eq!(super::super::panic::guard(|| Ok(())), R::JWTMINT_RESULT_OK);
            assert_eq!(read(), "JWK is not valid JSON (at byte 7)");
            // A code without a core error: the code's message.
            let r = super::super::panic::guard(|| Err(R::JWTMINT_RESULT_NULL_ARGUMENT));
            assert_eq!(r, R::JWTMINT_RESULT_NULL_ARGUMENT);
            assert_eq!(read(), R::JWTMINT_RESULT_NULL_ARGUMENT.message());
            // A core error noted, but another code returned: not its detail.
            let r = super::super::panic::guard(|| {
                let _ = jwtmint_result::from(Error::InvalidBase64);
                Err(R::JWTMINT_RESULT_INVALID_FIELD)
            });
            assert_eq!(r, R::JWTMINT_RESULT_INVALID_FIELD);
            assert_eq!(read(), R::JWTMINT_RESULT_INVALID_FIELD.message());
            // A cause noted by an earlier call does not leak into a later one.
            let _ = jwtmint_result::from(Error::InvalidBase64);
            let r = super::super::panic::guard(|| Err(R::JWTMINT_RESULT_INVALID_BASE64));
            assert_eq!(r, R::JWTMINT_RESULT_INVALID_BASE64);
            assert_eq!(read(), R::JWTMINT_RESULT_INVALID_BASE64.message());
        })
        .join()
        .unwrap();
    }

    #[test]
    fn length_query_and_null_rule() {
        std::thread::spawn(|| {
            let e = Error::JwkMember {
                name: "d",
                reason: "missing",
            };
            let _ = super::super::panic::guard(|| Err(e.into()));
            let want = "JWK member `d`: missing".len() + 1;
            let mut len = 0usize;
            // SAFETY: NULL with capacity 0 is a length query.
            let r = unsafe { jwtmint_last_error_detail(core::ptr::null_mut(), 0, &mut len) };
            assert_eq!((r, len), (R::JWTMINT_RESULT_BUFFER_TOO_SMALL, want));
            // SAFETY: NULL with a capacity is refused before anything else.
            let r = unsafe { jwtmint_last_error_detail(core::ptr::null_mut(), 4, &mut len) };
            assert_eq!(r, R::JWTMINT_RESULT_NULL_ARGUMENT);
            let mut small = [0 as c_char; 4];
            // SAFETY: valid buffer.
            let r = unsafe { jwtmint_last_error_detail(small.as_mut_ptr(), 4, &mut len) };
            assert_eq!((r, len), (R::JWTMINT_RESULT_BUFFER_TOO_SMALL, want));
            assert_eq!(read(), "JWK member `d`: missing", "failed reads keep it");
        })
        .join()
        .unwrap();
    }
}
