//! The boundary guard: no panic ever unwinds into C.

use std::panic::{AssertUnwindSafe, catch_unwind};

use alloc::boxed::Box;

use super::last_error;
use super::result::jwtmint_result;
use super::util::{Writer, need, write_out};

/// Runs `f`, turning `Ok(())` into `JWTMINT_RESULT_OK`, `Err(code)` into
/// `code`, and a panic into `JWTMINT_RESULT_INTERNAL_PANIC`. A failure
/// records the thread's last-error detail (`last_error.rs`); a success leaves
/// it.
///
/// `AssertUnwindSafe` is sound here: after a panic nothing observes the
/// closure's captures again except through the returned error code, and the
/// only shared state behind C handles is immutable.
pub(crate) fn guard<F>(f: F) -> jwtmint_result
where
    F: FnOnce() -> Result<(), jwtmint_result>,
{
    last_error::begin();
    let code = guard_keeping_detail(f);
    if code != jwtmint_result::JWTMINT_RESULT_OK {
        last_error::settle(code);
    }
    code
}

/// [`guard`] for an export whose result is one value written to `*out`:
/// `out` is checked non-NULL before `f` runs (`NULL_ARGUMENT`) and written
/// only when `f` succeeds.
///
/// # Safety
/// `out` must be NULL or valid (aligned, writable) for a write of `T`.
pub(crate) unsafe fn guard_out<T, F>(out: *mut T, f: F) -> jwtmint_result
where
    F: FnOnce() -> Result<T, jwtmint_result>,
{
    guard(|| {
        need(out)?;
        let v = f()?;
        // SAFETY: checked non-NULL; the caller promises it is writable.
        unsafe { write_out(out, v) };
        Ok(())
    })
}

/// [`guard`] for an export that writes into the caller's buffer (`out`,
/// `cap` bytes) and its length into `*out_len`: `out_len` is checked
/// non-NULL first (`NULL_ARGUMENT`); `f` reads the inputs, then takes the
/// buffer ([`Writer::buf`] / [`Writer::sized`]) and gives the core
/// writer's result, mapped by [`Writer::finish`] (`BUFFER_TOO_SMALL` with
/// the length needed in `*out_len`).
///
/// # Safety
/// `out` NULL or valid for writes of `cap` bytes, aliasing no input;
/// `out_len` NULL or valid for a write.
pub(crate) unsafe fn guard_len<F>(
    out: *mut u8,
    cap: usize,
    out_len: *mut usize,
    f: F,
) -> jwtmint_result
where
    F: FnOnce(&Writer) -> Result<crate::error::Result<usize>, jwtmint_result>,
{
    let w = Writer::new(out, cap, out_len);
    guard(|| {
        w.check()?;
        let r = f(&w)?;
        // SAFETY: `out_len` checked non-NULL; the caller promises it is writable.
        unsafe { w.finish(r) }
    })
}

/// [`guard_out`] for a constructor: what `f` makes is boxed into a new
/// handle stored in `*out` (freed by [`free_handle`]).
///
/// # Safety
/// `out` must be NULL or valid for a write.
pub(crate) unsafe fn guard_new<T, F>(out: *mut *mut T, f: F) -> jwtmint_result
where
    F: FnOnce() -> Result<T, jwtmint_result>,
{
    // SAFETY: forwarded caller contract.
    unsafe { guard_out(out, || f().map(|v| Box::into_raw(Box::new(v)))) }
}

/// The body of the `*_free` exports: drops a handle made by
/// `Box::into_raw`, under the guard (a panicking destructor stays on this
/// side). NULL is a no-op.
///
/// # Safety
/// `handle` must be NULL or a pointer from `Box::into_raw` of a `T` that was
/// not freed yet and that no other thread is still using.
pub(crate) unsafe fn free_handle<T>(handle: *mut T) {
    let _ = guard(|| {
        if !handle.is_null() {
            // SAFETY: the caller promises it came from `Box::into_raw` and
            // is freed exactly once.
            drop(unsafe { Box::from_raw(handle) });
        }
        Ok(())
    });
}

/// [`guard`] for the exports that describe failures (`jwtmint_result_message`,
/// `jwtmint_last_error_detail`): their own failures (a length query answers
/// `BUFFER_TOO_SMALL`) must not replace the detail being read.
pub(crate) fn guard_keeping_detail<F>(f: F) -> jwtmint_result
where
    F: FnOnce() -> Result<(), jwtmint_result>,
{
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(())) => jwtmint_result::JWTMINT_RESULT_OK,
        Ok(Err(code)) => code,
        Err(_) => jwtmint_result::JWTMINT_RESULT_INTERNAL_PANIC,
    }
}

/// Like [`guard`] for exports that return a plain value: a panic yields `fallback`.
pub(crate) fn guard_value<T, F: FnOnce() -> T>(fallback: T, f: F) -> T {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or(fallback)
}

/// Testing hook (feature `ffi-testing` only, never in the public header):
/// panics inside the guard so C tests can see `JWTMINT_RESULT_INTERNAL_PANIC`.
/// cbindgen:ignore
#[cfg(feature = "ffi-testing")]
#[unsafe(no_mangle)]
#[allow(clippy::panic)]
pub extern "C" fn jwtmint_testing_panic() -> jwtmint_result {
    guard(|| panic!("jwtmint_testing_panic: deliberate panic for the C ABI tests"))
}
