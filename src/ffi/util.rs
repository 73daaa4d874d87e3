//! Pointer and buffer helpers shared by the exports.

use core::ptr;

use super::result::jwtmint_result;

/// A required, non-NULL byte range.
///
/// # Safety
/// `p` must be NULL or valid for reads of `len` bytes for `'a`.
pub(crate) unsafe fn bytes<'a>(p: *const u8, len: usize) -> Result<&'a [u8], jwtmint_result> {
    if p.is_null() {
        return Err(jwtmint_result::JWTMINT_RESULT_NULL_ARGUMENT);
    }
    // SAFETY: non-NULL, and the caller promises `len` readable bytes for 'a.
    Ok(unsafe { core::slice::from_raw_parts(p, len) })
}

/// A required byte range that must be UTF-8.
///
/// # Safety
/// As [`bytes`].
pub(crate) unsafe fn utf8<'a>(p: *const u8, len: usize) -> Result<&'a str, jwtmint_result> {
    // SAFETY: forwarded caller contract.
    let b = unsafe { bytes(p, len) }?;
    if b.is_ascii() {
        // Fast path for the common case (the C encode path is benchmarked
        // against the Rust API). SAFETY: ASCII is valid UTF-8.
        return Ok(unsafe { core::str::from_utf8_unchecked(b) });
    }
    core::str::from_utf8(b).map_err(|_| jwtmint_result::JWTMINT_RESULT_INVALID_UTF8)
}

/// An output buffer: NULL is allowed only with `cap == 0` (a length query).
///
/// # Safety
/// `p` must be NULL or valid for writes of `cap` bytes for `'a`, and not alias
/// any input.
pub(crate) unsafe fn out_buf<'a>(p: *mut u8, cap: usize) -> Result<&'a mut [u8], jwtmint_result> {
    if p.is_null() {
        return if cap == 0 {
            Ok(&mut [])
        } else {
            Err(jwtmint_result::JWTMINT_RESULT_NULL_ARGUMENT)
        };
    }
    // SAFETY: non-NULL, and the caller promises `cap` writable bytes for 'a.
    Ok(unsafe { core::slice::from_raw_parts_mut(p, cap) })
}

/// A required reference to a caller struct.
///
/// # Safety
/// `p` must be NULL or point to a valid, initialized `T` for `'a`.
pub(crate) unsafe fn reference<'a, T>(p: *const T) -> Result<&'a T, jwtmint_result> {
    // SAFETY: the caller promises `p` is NULL or valid for 'a.
    unsafe { p.as_ref() }.ok_or(jwtmint_result::JWTMINT_RESULT_NULL_ARGUMENT)
}

/// A required array of `n` caller structs (NULL allowed when `n == 0`).
///
/// # Safety
/// `p` must be NULL or valid for reads of `n` initialized `T` for `'a`.
pub(crate) unsafe fn array<'a, T>(p: *const T, n: usize) -> Result<&'a [T], jwtmint_result> {
    if p.is_null() {
        return if n == 0 {
            Ok(&[])
        } else {
            Err(jwtmint_result::JWTMINT_RESULT_NULL_ARGUMENT)
        };
    }
    // SAFETY: non-NULL, and the caller promises `n` valid elements for 'a.
    Ok(unsafe { core::slice::from_raw_parts(p, n) })
}

/// Checks that an out-pointer is non-NULL before any work is done.
pub(crate) fn need<T>(p: *mut T) -> Result<(), jwtmint_result> {
    if p.is_null() {
        Err(jwtmint_result::JWTMINT_RESULT_NULL_ARGUMENT)
    } else {
        Ok(())
    }
}

/// Writes `v` through an out-pointer that was checked non-NULL.
///
/// # Safety
/// `p` must be non-NULL, aligned and valid for a write of `T`.
pub(crate) unsafe fn write_out<T>(p: *mut T, v: T) {
    // SAFETY: forwarded caller contract; `ptr::write` does not drop the old value.
    unsafe { ptr::write(p, v) }
}

/// Writes `v` through an optional out-pointer: NULL means the caller does
/// not want the value (`*out (may be NULL)` in the docs).
///
/// # Safety
/// `p` must be NULL or aligned and valid for a write of `T`.
pub(crate) unsafe fn write_opt<T>(p: *mut T, v: T) {
    if !p.is_null() {
        // SAFETY: non-NULL; forwarded caller contract.
        unsafe { write_out(p, v) }
    }
}

/// The output buffer of a writer whose output takes `needed` bytes, under the
/// one rule (see `mod.rs`): NULL with a non-zero capacity is `NULL_ARGUMENT`
/// before any length answer; a capacity below `needed` writes `needed` into
/// `*out_len` and is `BUFFER_TOO_SMALL`.
///
/// # Safety
/// As [`out_buf`]; `out_len` must be non-NULL and valid for a write.
pub(crate) unsafe fn sized_out<'a>(
    p: *mut u8,
    cap: usize,
    needed: usize,
    out_len: *mut usize,
) -> Result<&'a mut [u8], jwtmint_result> {
    // SAFETY: forwarded caller contract.
    let buf = unsafe { out_buf(p, cap) }?;
    if buf.len() < needed {
        // SAFETY: forwarded caller contract.
        unsafe { write_out(out_len, needed) };
        return Err(jwtmint_result::JWTMINT_RESULT_BUFFER_TOO_SMALL);
    }
    Ok(buf)
}

/// The output arguments of a writer export, kept together: the caller's
/// buffer (`buf`, `cap` bytes) and the length out-parameter `len`, under the
/// one rule of `mod.rs`.
#[derive(Clone, Copy)]
pub(crate) struct Writer {
    pub(crate) buf: *mut u8,
    pub(crate) cap: usize,
    pub(crate) len: *mut usize,
}

impl Writer {
    /// The three arguments as given (nothing is checked or read yet).
    pub(crate) const fn new(buf: *mut u8, cap: usize, len: *mut usize) -> Self {
        Self { buf, cap, len }
    }

    /// `NULL_ARGUMENT` for a NULL `len`: every writer checks it first.
    pub(crate) fn check(&self) -> Result<(), jwtmint_result> {
        need(self.len)
    }

    /// The buffer, NULL allowed only with `cap == 0` (see [`out_buf`]).
    ///
    /// # Safety
    /// `buf` must be NULL or valid for writes of `cap` bytes for `'a`, and
    /// not alias any input.
    pub(crate) unsafe fn buf<'a>(&self) -> Result<&'a mut [u8], jwtmint_result> {
        // SAFETY: forwarded caller contract.
        unsafe { out_buf(self.buf, self.cap) }
    }

    /// The buffer for an output of `needed` bytes (see [`sized_out`]).
    ///
    /// # Safety
    /// As [`Writer::buf`]; `len` checked non-NULL and valid for a write.
    pub(crate) unsafe fn sized<'a>(&self, needed: usize) -> Result<&'a mut [u8], jwtmint_result> {
        // SAFETY: forwarded caller contract.
        unsafe { sized_out(self.buf, self.cap, needed, self.len) }
    }

    /// The C result of a core writer: its length, or the length needed
    /// (see [`finish_len`]).
    ///
    /// # Safety
    /// `len` checked non-NULL and valid for a write.
    pub(crate) unsafe fn finish(
        &self,
        r: crate::error::Result<usize>,
    ) -> Result<(), jwtmint_result> {
        // SAFETY: forwarded caller contract.
        unsafe { finish_len(r, self.len) }
    }
}

/// Copies `src` to the start of `dst`: its length, or `BufferTooSmall` with
/// the length needed (for [`finish_len`]).
pub(crate) fn copy_to(src: &[u8], dst: &mut [u8]) -> crate::error::Result<usize> {
    let d = dst
        .get_mut(..src.len())
        .ok_or(crate::error::Error::BufferTooSmall { needed: src.len() })?;
    d.copy_from_slice(src);
    Ok(src.len())
}

/// Maps a core result of a buffer-writing call to the C contract: on
/// `BufferTooSmall` the required length goes to `*out_len`; on success the
/// written length does.
///
/// # Safety
/// `out_len` must be non-NULL and valid for a write.
pub(crate) unsafe fn finish_len(
    r: crate::error::Result<usize>,
    out_len: *mut usize,
) -> Result<(), jwtmint_result> {
    match r {
        Ok(n) => {
            // SAFETY: forwarded caller contract.
            unsafe { write_out(out_len, n) };
            Ok(())
        }
        Err(e) => {
            if let crate::error::Error::BufferTooSmall { needed } = e {
                // SAFETY: forwarded caller contract.
                unsafe { write_out(out_len, needed) };
            }
            Err(e.into())
        }
    }
}
