//! The detail of the last failure on this thread, for C: which field, which
//! byte offset (the text of the Rust [`Error`]), like libcurl's error buffer
//! and rustls-ffi's last-error text. Read with `jwtmint_last_error_detail`.
//!
//! Two thread-local slots, both `Copy` values (no allocation on any path):
//! - `PENDING`: the last core [`Error`] turned into a code
//!   ([`jwtmint_result::from_error`], defined here: the one conversion point
//!   every export goes through), cleared when an export starts (`begin`);
//! - `LAST`: set when an export fails (`settle`, called by the boundary
//!   guard): the pending error when it gave the returned code, else the code
//!   alone (its message is then the detail). A successful call leaves it as it
//!   was, like `errno`.
//!
//! No secret can reach the detail: [`Error`] holds only static text, numbers
//! and algorithm names — never key bytes, tokens or passphrases.

use core::cell::Cell;

use super::result::jwtmint_result;
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

impl jwtmint_result {
    /// The code for a core error (see `from_error_quiet` in `result.rs` for
    /// the mapping), remembering `e` as the detail of the failure being
    /// returned (read by C with `jwtmint_last_error_detail`): every export
    /// converts core errors here.
    pub fn from_error(e: &Error) -> Self {
        // `try_with`: a call during thread teardown simply records nothing.
        let _ = PENDING.try_with(|p| p.set(Some(*e)));
        Self::from_error_quiet(e)
    }
}

impl From<Error> for jwtmint_result {
    fn from(e: Error) -> Self {
        Self::from_error(&e)
    }
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
pub(crate) fn detail() -> std::string::String {
    match LAST.try_with(Cell::get).unwrap_or(Last::Nothing) {
        Last::Nothing => std::string::String::new(),
        Last::Code(code) => code.message().into(),
        Last::Error(e) => std::format!("{e}"),
    }
}
