//! Result codes as text for C: `jwtmint_result_message`, `jwtmint_result_name`.

use core::ffi::c_char;

use super::panic::{guard_keeping_detail, guard_value};
use super::result::jwtmint_result;
use super::util::{out_buf, write_out};

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
    // NULL with a non-zero capacity is NULL_ARGUMENT before any length
    // answer (the one rule, see ffi/mod.rs); NULL with 0 is a preflight.
    // SAFETY: the caller promises `buf` is NULL or valid for `cap` bytes.
    let out = unsafe { out_buf(buf.cast::<u8>(), cap) }?;
    if cap < needed {
        // SAFETY: `len_out` is non-NULL and the caller promises it is writable.
        unsafe { write_out(len_out, needed) };
        return Err(R::JWTMINT_RESULT_BUFFER_TOO_SMALL);
    }
    let (head, rest) = out.split_at_mut(text.len());
    head.copy_from_slice(text);
    if let Some(nul) = rest.first_mut() {
        *nul = 0;
    }
    // SAFETY: `len_out` is non-NULL and the caller promises it is writable.
    unsafe { write_out(len_out, needed) };
    Ok(())
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
