//! `Retry-After` (RFC 9110 §10.2.3) on a 429/503 answer: delay-seconds or
//! an HTTP-date, as seconds to wait from `now`.

/// The wait a `Retry-After` header value asks for, in seconds from `now`
/// (seconds since 1970): `delay-seconds` as given, an HTTP-date minus
/// `now` (a date in the past is 0). `None` for anything else. The session
/// clamps it to `Config::backoff_max`.
///
/// ```
/// use jwtmint::session::parse_retry_after;
/// assert_eq!(parse_retry_after(b"120", 1_700_000_000), Some(120));
/// # #[cfg(feature = "std")]
/// assert_eq!(parse_retry_after(b"Tue, 14 Nov 2023 22:15:20 GMT", 1_700_000_000), Some(120));
/// assert_eq!(parse_retry_after(b"soon", 1_700_000_000), None);
/// ```
pub fn parse_retry_after(value: &[u8], now: i64) -> Option<i64> {
    let text = core::str::from_utf8(value).ok()?.trim();
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return Some(text.parse::<i64>().unwrap_or(i64::MAX));
    }
    date(text).map(|at| at.saturating_sub(now).max(0))
}

#[cfg(feature = "std")]
fn date(text: &str) -> Option<i64> {
    let t = httpdate::parse_http_date(text).ok()?;
    let secs = t.duration_since(std::time::UNIX_EPOCH).ok()?.as_secs();
    i64::try_from(secs).ok()
}

#[cfg(not(feature = "std"))]
const fn date(_text: &str) -> Option<i64> {
    None
}
