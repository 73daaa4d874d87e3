//! NumericDate (RFC 7519 §2): whole seconds since 1970-01-01T00:00:00Z.
//!
//! The core has no clock: callers pass `now`. With `std`, [`now`] reads the
//! system clock.

use crate::error::{Error, Result};

/// Largest accepted NumericDate: 10^11 seconds (year 5138). Anything larger is
/// almost certainly milliseconds (`Date.now()`, `System.currentTimeMillis()`).
pub const MAX_NUMERIC_DATE: i64 = 100_000_000_000;

/// Checks that `value` is a plausible NumericDate in seconds.
///
/// ```
/// use jwtmint::{time::check_numeric_date, Error};
/// assert!(check_numeric_date("exp", 1_700_000_180).is_ok());
/// assert_eq!(
///     check_numeric_date("exp", 1_700_000_180_000),
///     Err(Error::TimestampInMilliseconds { claim: "exp", value: 1_700_000_180_000 })
/// );
/// ```
///
/// # Errors
/// `NegativeTimestamp` below 0, `TimestampInMilliseconds` above [`MAX_NUMERIC_DATE`].
pub const fn check_numeric_date(claim: &'static str, value: i64) -> Result<i64> {
    if value < 0 {
        Err(Error::NegativeTimestamp { claim, value })
    } else if value > MAX_NUMERIC_DATE {
        Err(Error::TimestampInMilliseconds { claim, value })
    } else {
        Ok(value)
    }
}

/// A caller's `now` (seconds since 1970): refused when negative, the one
/// check every entry point that takes a `now` makes (profile mints, the C
/// ABI's verify and token cache).
///
/// # Errors
/// `NegativeTimestamp { claim: "now", .. }`.
pub const fn check_now(now: i64) -> Result<i64> {
    if now < 0 {
        return Err(Error::NegativeTimestamp {
            claim: "now",
            value: now,
        });
    }
    Ok(now)
}

/// Current time as a NumericDate (seconds since the Unix epoch).
///
/// Not on `wasm32-unknown-unknown`: that target has no clock (std's
/// `SystemTime::now` panics there), so the host passes `now` (in a
/// JavaScript host, `Math.floor(Date.now() / 1000)`), as without `std`.
///
/// # Errors
/// `ClockBeforeEpoch` when the system clock reads before 1970.
#[cfg(all(
    feature = "std",
    not(all(target_family = "wasm", any(target_os = "unknown", target_os = "none")))
))]
#[cfg_attr(docsrs, doc(cfg(feature = "std")))]
pub fn now() -> Result<i64> {
    let d = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|_| Error::ClockBeforeEpoch)?;
    i64::try_from(d.as_secs()).map_err(|_| Error::LengthOverflow)
}
