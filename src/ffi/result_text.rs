//! Result codes as text for C: `jwtmint_result_message`, `jwtmint_result_name`,
//! and the calling thread's last failure, `jwtmint_last_error_detail`.

use core::ffi::c_char;

use super::last_error;
use super::panic::{guard_keeping_detail, guard_value};
use super::result::jwtmint_result;
use super::util::{sized_out, write_out};

use jwtmint_result as R;

/// Writes the human-readable message for `code` (a `jwtmint_result` value),
/// NUL-terminated, into `buf` of `cap` bytes.
///
/// `*len_out` counts the bytes the message occupies **including** its NUL,
/// like every other writer's length: on success the bytes written, on
/// `JWTMINT_RESULT_BUFFER_TOO_SMALL` the capacity needed (the same number),
/// so a preflight with `buf == NULL, cap == 0` gives the size to allocate.
/// `strlen(buf) == *len_out - 1`. A NULL `buf` with `cap > 0` is
/// `JWTMINT_RESULT_NULL_ARGUMENT`. An unknown `code` gives
/// `JWTMINT_RESULT_INVALID_ARGUMENT`. Messages are ASCII. This call never
/// changes what `jwtmint_last_error_detail` reports.
///
/// # Safety
/// `buf` must be NULL or valid for writes of `cap` bytes; `len_out` must be
/// NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_result_message(
    code: i32,
    buf: *mut c_char,
    cap: usize,
    len_out: *mut usize,
) -> jwtmint_result {
    // Describing a failure does not replace the thread's last-error detail.
    guard_keeping_detail(|| {
        if len_out.is_null() {
            return Err(R::JWTMINT_RESULT_NULL_ARGUMENT);
        }
        let r = jwtmint_result::from_code(code).ok_or(R::JWTMINT_RESULT_INVALID_ARGUMENT)?;
        // SAFETY: forwarded caller contract.
        unsafe { write_nul_terminated(r.message().as_bytes(), buf, cap, len_out) }
    })
}

/// Writes `text` and a NUL into `buf` under the one rule of every writer:
/// `*len_out` gets the bytes including the NUL, written (success) or needed
/// (`BUFFER_TOO_SMALL`); NULL with `cap == 0` is a length query, NULL with a
/// non-zero capacity `NULL_ARGUMENT` before any length is decided.
///
/// # Safety
/// `buf` must be NULL or valid for writes of `cap` bytes; `len_out` must be
/// NULL or valid for a write.
pub(crate) unsafe fn write_nul_terminated(
    text: &[u8],
    buf: *mut c_char,
    cap: usize,
    len_out: *mut usize,
) -> Result<(), jwtmint_result> {
    if len_out.is_null() {
        return Err(R::JWTMINT_RESULT_NULL_ARGUMENT);
    }
    let needed = text.len() + 1;
    // SAFETY: the caller promises `buf` is NULL or valid for `cap` bytes;
    // `len_out` is non-NULL and the caller promises it is writable.
    let out = unsafe { sized_out(buf.cast::<u8>(), cap, needed, len_out) }?;
    let (head, rest) = out.split_at_mut(text.len());
    head.copy_from_slice(text);
    if let Some(nul) = rest.first_mut() {
        *nul = 0;
    }
    // SAFETY: `len_out` is non-NULL and the caller promises it is writable.
    unsafe { write_out(len_out, needed) };
    Ok(())
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
        let text = last_error::detail();
        // SAFETY: forwarded caller contract.
        unsafe { write_nul_terminated(text.as_bytes(), buf, cap, len_out) }
    })
}

/// The enumerator name of `code` as a static NUL-terminated string (e.g.
/// `"JWTMINT_RESULT_KEY_TOO_SMALL"`), or `"JWTMINT_RESULT_<unknown>"` for a
/// value that is not a `jwtmint_result`. Never NULL; never free it.
#[unsafe(no_mangle)]
pub extern "C" fn jwtmint_result_name(code: i32) -> *const c_char {
    const UNKNOWN: &str = "JWTMINT_RESULT_<unknown>\0";
    let s = guard_value(UNKNOWN, || {
        jwtmint_result::from_code(code).map_or(UNKNOWN, |r| r.name_nul())
    });
    s.as_ptr().cast::<c_char>()
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn message_negotiation() {
        let mut len = 0usize;
        let mut buf = [0 as c_char; 8];
        // SAFETY: valid buffer and out-pointer.
        let r = unsafe { jwtmint_result_message(0, buf.as_mut_ptr(), buf.len(), &mut len) };
        assert_eq!(r, R::JWTMINT_RESULT_OK);
        assert_eq!(len, "success".len() + 1);
        assert_eq!(buf[len - 1], 0);
        // SAFETY: NULL buffer with capacity 0 is a length query.
        let r = unsafe { jwtmint_result_message(1, core::ptr::null_mut(), 0, &mut len) };
        assert_eq!(r, R::JWTMINT_RESULT_BUFFER_TOO_SMALL);
        assert_eq!(len, R::JWTMINT_RESULT_BUFFER_TOO_SMALL.message().len() + 1);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod detail_tests {
    use super::*;
    use crate::error::{Error, JsonPart};

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
