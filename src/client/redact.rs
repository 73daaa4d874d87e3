//! The one sanitiser for text a server (or a file we did not write) sent,
//! applied before any of it reaches a message, a log or a terminal:
//! 1. control characters are dropped (C0 incl. ESC, DEL, C1) and so are the
//!    bidirectional overrides/isolates that reorder what a terminal shows;
//! 2. bearer secrets are replaced by `<redacted>`: the values of
//!    `access_token`, `refresh_token`, `id_token`, `assertion` (and
//!    `client_assertion`), quoted JSON or form-encoded, any JWT-shaped
//!    `eyJ….…` run, and the word after `Bearer `;
//! 3. the result is cut to [`MAX_CHARS`] characters, after redaction, so a
//!    secret is never cut in half and half shown.

#[allow(unused_imports)]
use std::prelude::rust_2024::*;
#[allow(unused_imports)]
use std::{format, vec};

/// Names whose values are secrets, matched ASCII case-insensitively.
const SECRET_NAMES: [&str; 4] = ["access_token", "refresh_token", "id_token", "assertion"];

/// Longest sanitised text, in characters.
pub const MAX_CHARS: usize = 512;

/// What a secret is replaced by.
pub const REDACTED: &str = "<redacted>";

/// Sanitises server text given as bytes (invalid UTF-8 becomes U+FFFD).
pub fn server_bytes(bytes: &[u8]) -> String {
    sanitize(&String::from_utf8_lossy(bytes))
}

/// Sanitises `text`: controls stripped, secrets redacted, length bounded.
pub fn sanitize(text: &str) -> String {
    let visible: String = text.chars().filter(|&c| !is_hidden(c)).collect();
    let redacted = redact_jwts(&redact_bearer(&redact_named(&visible)));
    let total = redacted.chars().count();
    if total <= MAX_CHARS {
        return redacted;
    }
    let mut out: String = redacted.chars().take(MAX_CHARS).collect();
    out.push_str(&format!("… ({} more characters)", total - MAX_CHARS));
    out
}

/// Control and bidi-formatting characters.
fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// A copy of a text with ranges replaced by [`REDACTED`], built front to back.
struct Redacted<'a> {
    text: &'a str,
    out: String,
    /// Bytes of `text` accounted for in `out`.
    copied: usize,
}

impl<'a> Redacted<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            text,
            out: String::with_capacity(text.len()),
            copied: 0,
        }
    }

    /// Copies the text up to `start`, then [`REDACTED`] for `start..end`.
    fn cut(&mut self, start: usize, end: usize) {
        self.out
            .push_str(self.text.get(self.copied..start).unwrap_or_default());
        self.out.push_str(REDACTED);
        self.copied = end;
    }

    /// The result: the rest of the text copied.
    fn finish(mut self) -> String {
        self.out
            .push_str(self.text.get(self.copied..).unwrap_or_default());
        self.out
    }
}

/// Replaces the value after each secret name (`name":"v"`, `name = v`, ...).
fn redact_named(s: &str) -> String {
    let lower = s.to_ascii_lowercase();
    let b = s.as_bytes();
    let mut out = Redacted::new(s);
    let mut i = 0;
    while i < b.len() {
        let Some(name) = SECRET_NAMES
            .iter()
            .find(|n| lower.get(i..).is_some_and(|rest| rest.starts_with(*n)))
        else {
            i += 1;
            continue;
        };
        let mut j = i + name.len();
        // `"` closing a JSON name, then blanks, then `:` or `=`, then blanks.
        if b.get(j) == Some(&b'"') {
            j += 1;
        }
        j = skip_blanks(b, j);
        if !matches!(b.get(j), Some(b':' | b'=')) {
            i += name.len();
            continue;
        }
        j = skip_blanks(b, j + 1);
        let (start, end) = if b.get(j) == Some(&b'"') {
            (j + 1, quoted_end(b, j + 1))
        } else {
            (j, bare_end(b, j))
        };
        if end > start {
            out.cut(start, end);
        }
        i = end.max(i + 1);
    }
    out.finish()
}

/// Replaces the token after `Bearer ` (case-insensitive).
fn redact_bearer(s: &str) -> String {
    let lower = s.to_ascii_lowercase();
    let b = s.as_bytes();
    let mut out = Redacted::new(s);
    let mut from = 0;
    while let Some(k) = lower.get(from..).and_then(|r| r.find("bearer ")) {
        let start = skip_blanks(b, from + k + "bearer ".len());
        let end = bare_end(b, start);
        if end > start {
            out.cut(start, end);
        }
        from = end.max(from + k + 1);
    }
    out.finish()
}

/// Replaces JWT/JWS-shaped runs: `eyJ` + Base64Url + at least one `.`.
fn redact_jwts(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Redacted::new(s);
    let mut from = 0;
    while let Some(k) = s.get(from..).and_then(|r| r.find("eyJ")) {
        let start = from + k;
        let mut end = start;
        let mut dots = 0;
        while let Some(&c) = b.get(end) {
            if c == b'.' {
                dots += 1;
            } else if !(c.is_ascii_alphanumeric() || c == b'-' || c == b'_') {
                break;
            }
            end += 1;
        }
        if dots >= 1 {
            out.cut(start, end);
        }
        from = end.max(start + 1);
    }
    out.finish()
}

fn skip_blanks(b: &[u8], mut i: usize) -> usize {
    while matches!(b.get(i), Some(b' ' | b'\t')) {
        i += 1;
    }
    i
}

/// End of a JSON string body starting at `i` (index of the closing quote,
/// or the end of the text).
fn quoted_end(b: &[u8], mut i: usize) -> usize {
    while let Some(&c) = b.get(i) {
        match c {
            b'\\' => i += 2,
            b'"' => return i,
            _ => i += 1,
        }
    }
    b.len()
}

/// End of an unquoted value (form value, header token).
fn bare_end(b: &[u8], mut i: usize) -> usize {
    while let Some(&c) = b.get(i) {
        if matches!(
            c,
            b'&' | b',' | b'}' | b']' | b' ' | b';' | b'"' | b'\'' | b'<'
        ) {
            break;
        }
        i += 1;
    }
    i.min(b.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_redacted_everywhere() {
        assert_eq!(
            sanitize(r#"{"access_token":"SECRET1","expires_in":3600.5,"scope":["a"]}"#),
            r#"{"access_token":"<redacted>","expires_in":3600.5,"scope":["a"]}"#
        );
        assert_eq!(
            sanitize(r#"{ "Refresh_Token" : "a\"b" , "id_token":"x"}"#),
            r#"{ "Refresh_Token" : "<redacted>" , "id_token":"<redacted>"}"#
        );
        assert_eq!(
            sanitize("grant_type=x&assertion=abc.def.ghi&client_assertion=q"),
            "grant_type=x&assertion=<redacted>&client_assertion=<redacted>"
        );
        assert_eq!(
            sanitize("bad token eyJhbGciOi.eyJzdWIi.c2ln here"),
            "bad token <redacted> here"
        );
        assert_eq!(
            sanitize("Authorization: Bearer abc123"),
            "Authorization: Bearer <redacted>"
        );
        // An unterminated value is redacted to the end.
        assert_eq!(
            sanitize(r#"{"access_token":"SECR"#),
            r#"{"access_token":"<redacted>"#
        );
        // A name without a value is left alone.
        assert_eq!(sanitize("no access_token here"), "no access_token here");
    }

    #[test]
    fn controls_are_stripped_and_length_bounded() {
        assert_eq!(
            sanitize("a\x1b[31mred\x1b[0m\r\n\u{9b}b\u{202e}c"),
            "a[31mred[0mbc"
        );
        let long = "x".repeat(MAX_CHARS + 10);
        assert_eq!(
            sanitize(&long),
            format!("{}… (10 more characters)", "x".repeat(MAX_CHARS))
        );
        // Redaction happens before the cut: no half secret.
        let s = format!(
            "{}\"access_token\":\"{}\"",
            "y".repeat(MAX_CHARS - 20),
            "S".repeat(100)
        );
        assert!(!sanitize(&s).contains('S'));
        assert_eq!(server_bytes(b"\xff\x07ok"), "\u{fffd}ok");
    }
}
