//! [`Failure`]: why the last attempt failed, kept for every caller to read —
//! sanitized (no control characters, nothing that looks like a secret).

use heapless::String;

use crate::error::Error;
use crate::json::JsonStr;

/// Capacity of [`Failure::code`].
pub const CODE_CAPACITY: usize = 64;
/// Capacity of [`Failure::description`] (longer descriptions are cut).
pub const DESCRIPTION_CAPACITY: usize = 256;

/// A transport error the caller's HTTP stack reports through
/// [`Session::fail`](super::Session::fail).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum TransportError {
    /// DNS or TCP connect failed.
    Connect = 1,
    /// The request or response timed out.
    Timeout = 2,
    /// The response was larger than the caller accepts.
    TooLarge = 3,
    /// The endpoint redirected; the assertion is never re-sent elsewhere.
    RedirectRefused = 4,
    /// TLS handshake or certificate failure.
    Tls = 5,
    /// Malformed HTTP.
    Protocol = 6,
    /// Anything else.
    Other = 7,
}

/// What kind of failure a [`Failure`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum FailureKind {
    /// The caller's transport failed ([`Session::fail`](super::Session::fail)).
    Transport(TransportError),
    /// No `complete`/`fail` arrived within `Config::fetch_timeout`.
    FetchTimedOut,
    /// The endpoint answered with an RFC 6749 §5.2 error (`code`,
    /// `description`).
    OAuth,
    /// A non-2xx status without an OAuth error body.
    Http,
    /// A 2xx response that is not a token response (the parse error).
    Malformed(Error),
    /// The endpoint returned a token that is already expired.
    AlreadyExpired,
    /// The credential does not fit the session's capacities, or has no
    /// expiry and `Config::session_lifetime` is 0.
    Storage(Error),
    /// Minting the assertion or writing the request body failed.
    Mint(Error),
}

/// The last failure. A rejected grant is retried after
/// `Config::rejected_retry` (backing off), so `retry_at` is set for it too;
/// `None` only when the session will not retry by itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    pub(crate) kind: FailureKind,
    pub(crate) status: u16,
    pub(crate) at: i64,
    pub(crate) retry_at: Option<i64>,
    pub(crate) rejected: bool,
    pub(crate) code: String<CODE_CAPACITY>,
    pub(crate) description: String<DESCRIPTION_CAPACITY>,
}

impl Failure {
    pub(crate) fn new(kind: FailureKind, status: u16, at: i64) -> Self {
        Self {
            kind,
            status,
            at,
            retry_at: None,
            rejected: false,
            code: String::new(),
            description: String::new(),
        }
    }

    /// The kind.
    pub const fn kind(&self) -> FailureKind {
        self.kind
    }
    /// The HTTP status (0 when there was no response).
    pub const fn status(&self) -> u16 {
        self.status
    }
    /// When it happened (the caller's `now`).
    pub const fn at(&self) -> i64 {
        self.at
    }
    /// When the session fetches again; `None` = not by itself (a rejected
    /// grant with `Config::rejected_retry` 0).
    pub const fn retry_at(&self) -> Option<i64> {
        self.retry_at
    }
    /// Whether the grant was rejected (`invalid_grant`, `invalid_client`,
    /// ..., or it cannot be made): `poll` reports `Failed` until `retry_at`.
    pub const fn is_rejected(&self) -> bool {
        self.rejected
    }
    /// The OAuth `error` code, sanitized (empty when none).
    pub fn code(&self) -> &str {
        &self.code
    }
    /// The `error_description`, sanitized: control characters removed,
    /// secret-looking words replaced by `<redacted>`, cut to
    /// [`DESCRIPTION_CAPACITY`] bytes.
    pub fn description(&self) -> &str {
        &self.description
    }
}

impl core::fmt::Display for Failure {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self.kind {
            FailureKind::Transport(t) => write!(f, "transport error: {t:?}")?,
            FailureKind::FetchTimedOut => f.write_str("token request got no answer in time")?,
            FailureKind::OAuth => {
                write!(f, "token endpoint error `{}`", self.code)?;
                if !self.description.is_empty() {
                    write!(f, ": {}", self.description)?;
                }
            }
            FailureKind::Http => f.write_str("token endpoint answered without a token")?,
            FailureKind::Malformed(e) => write!(f, "not a token response: {e}")?,
            FailureKind::AlreadyExpired => {
                f.write_str("token endpoint returned an expired token")?
            }
            FailureKind::Storage(e) => write!(f, "cannot keep the token: {e}")?,
            FailureKind::Mint(e) => write!(f, "cannot build the token request: {e}")?,
        }
        if self.status != 0 {
            write!(f, " (HTTP {})", self.status)?;
        }
        Ok(())
    }
}

/// Unicode controls that reorder or hide text (bidi overrides and isolates).
const fn hides_text(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
}

/// Whether a word of an error message looks like a credential: a JWT
/// (`eyJ`...), or a long run of token characters mixing letters and digits.
fn looks_secret(word: &str) -> bool {
    if word.len() >= 16 && word.contains("eyJ") {
        return true;
    }
    if is_uuid(word.trim_end_matches(['.', ','])) {
        // Trace and correlation ids (Entra's AADSTS messages): not secrets,
        // and what a support ticket needs.
        return false;
    }
    let tokenish = word.bytes().all(|b| {
        b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'+' | b'/' | b'=')
    });
    tokenish
        && word.len() >= 24
        && word.bytes().any(|b| b.is_ascii_digit())
        && word.bytes().any(|b| b.is_ascii_alphabetic())
}

/// `8-4-4-4-12` hex digits.
fn is_uuid(w: &str) -> bool {
    let groups = [8usize, 4, 4, 4, 12];
    let mut parts = w.split('-');
    groups.iter().all(|&n| {
        parts
            .next()
            .is_some_and(|p| p.len() == n && p.bytes().all(|b| b.is_ascii_hexdigit()))
    }) && parts.next().is_none()
}

/// Copies the decoded `src` into `out`: control and text-hiding characters
/// dropped (whitespace controls become one space), secret-looking words
/// replaced by `<redacted>`, stopping at whatever fits.
pub(crate) fn sanitize<const N: usize>(src: JsonStr<'_>, out: &mut String<N>) {
    out.clear();
    let mut word: String<DESCRIPTION_CAPACITY> = String::new();
    let mut overlong = false;
    let flush =
        |word: &mut String<DESCRIPTION_CAPACITY>, overlong: &mut bool, out: &mut String<N>| {
            if !word.is_empty() || *overlong {
                let w: &str = if *overlong || looks_secret(word) {
                    "<redacted>"
                } else {
                    word
                };
                let _ = out.push_str(w);
            }
            word.clear();
            *overlong = false;
        };
    for c in src.chars() {
        if c.is_whitespace() {
            flush(&mut word, &mut overlong, out);
            if !out.is_empty() && !out.ends_with(' ') {
                let _ = out.push(' ');
            }
        } else if c.is_control() || hides_text(c) {
            continue;
        } else if word.push(c).is_err() {
            overlong = true;
        }
    }
    flush(&mut word, &mut overlong, out);
    while out.ends_with(' ') {
        out.pop();
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn clean(raw: &str) -> String<64> {
        let mut s = String::new();
        sanitize(JsonStr::from_raw(raw), &mut s);
        s
    }

    #[test]
    fn strips_controls_and_redacts_secrets() {
        assert_eq!(clean(r"bad\u001b[31m red\u001b[0m"), "bad[31m red[0m");
        assert_eq!(clean("a\\nb\\tc"), "a b c");
        assert_eq!(
            clean("token eyJhbGciOiJSUzI1NiJ9.e30.sig refused"),
            "token <redacted> refused"
        );
        assert_eq!(
            clean("refresh 5Aep861TSESvWeHfb.PWkzCLzq1aR3bt0 gone"),
            "refresh <redacted> gone"
        );
        assert_eq!(
            clean("user integration@example.com unknown"),
            "user integration@example.com unknown"
        );
        assert_eq!(clean("\u{202E}evil"), "evil");
        assert_eq!(
            clean("AADSTS700027: Trace ID: 0f3c4f0e-3c84-4d6c-a6c4-5b2e1e0a1200."),
            "AADSTS700027: Trace ID: 0f3c4f0e-3c84-4d6c-a6c4-5b2e1e0a1200."
        );
        // Cut, never split inside a char.
        let long = "word ".repeat(40);
        assert!(clean(&long).len() <= 64);
    }
}
