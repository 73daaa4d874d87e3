//! The boundary guard: no panic ever unwinds into C.

use std::panic::{AssertUnwindSafe, catch_unwind};

use alloc::boxed::Box;

use super::last_error;
use super::result::jwtmint_result;
use super::util::{need, write_out};

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
