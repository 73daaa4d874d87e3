//! Zero-copy views of JSON that has already been validated by
//! [`super::check`]: borrowed strings with their escapes intact
//! ([`JsonStr`]) and an iterator over the members of an object ([`Members`]).
//!
//! ## Escaped strings
//! Borrowed string fields never hide escapes. A [`JsonStr`] is the raw text
//! between the quotes, exactly as in the input: `"https:\/\/x"` is held as
//! `https:\/\/x`. [`JsonStr::as_str`] returns it only when it contains no
//! escape; [`JsonStr::chars`], [`JsonStr::eq_str`] and
//! [`JsonStr::unescape_into`] decode escapes (including UTF-16 surrogate pairs)
//! without allocating. Comparisons in claim validation always use the decoded
//! value, so `"aud":"https:\/\/login.salesforce.com"` matches
//! `https://login.salesforce.com`.
//!
//! ```
//! use jwtmint::parse::{JsonStr, Members};
//! let obj = r#"{"aud":"https:\/\/x","n":1}"#;
//! let (k, v) = Members::new(obj).next().unwrap();
//! assert_eq!(k.as_str(), Some("aud"));
//! assert_eq!(v, r#""https:\/\/x""#);
//! let s = JsonStr::from_raw(&v[1..v.len() - 1]);
//! assert!(s.is_escaped() && s.as_str().is_none() && s.eq_str("https://x"));
//! ```

use core::fmt;

use crate::error::{Error, Result};

/// A JSON string from validated input, borrowed with its escapes intact.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct JsonStr<'a>(&'a str);

impl<'a> JsonStr<'a> {
    /// Wraps the raw text between the quotes of a validated JSON string.
    pub const fn from_raw(raw: &'a str) -> Self {
        Self(raw)
    }

    /// The raw text between the quotes, escapes intact.
    pub const fn raw(&self) -> &'a str {
        self.0
    }

    /// Whether the raw text contains any escape sequence.
    pub fn is_escaped(&self) -> bool {
        self.0.as_bytes().contains(&b'\\')
    }

    /// The value as a borrowed `&str` when it has no escapes, else `None`
    /// (use [`JsonStr::unescape_into`] or [`JsonStr::chars`]).
    pub fn as_str(&self) -> Option<&'a str> {
        if self.is_escaped() {
            None
        } else {
            Some(self.0)
        }
    }

    /// The decoded characters.
    pub fn chars(&self) -> Unescape<'a> {
        Unescape { rest: self.0 }
    }

    /// Decoded length in UTF-8 bytes.
    pub fn decoded_len(&self) -> usize {
        self.chars().map(char::len_utf8).sum()
    }

    /// Whether the decoded value equals `s`.
    pub fn eq_str(&self, s: &str) -> bool {
        match self.as_str() {
            Some(plain) => plain == s,
            None => self.chars().eq(s.chars()),
        }
    }

    /// Whether two JSON strings decode to the same value.
    pub fn eq_json(&self, other: &JsonStr<'_>) -> bool {
        if self.0 == other.0 {
            return true;
        }
        if !self.is_escaped() && !other.is_escaped() {
            return false;
        }
        self.chars().eq(other.chars())
    }

    /// Decodes into `out` and returns the decoded string.
    ///
    /// # Errors
    /// `BufferTooSmall` with the exact decoded length.
    pub fn unescape_into<'b>(&self, out: &'b mut [u8]) -> Result<&'b str> {
        let needed = self.decoded_len();
        let out = out
            .get_mut(..needed)
            .ok_or(Error::BufferTooSmall { needed })?;
        let mut at = 0;
        for c in self.chars() {
            let n = c.len_utf8();
            if let Some(dst) = out.get_mut(at..at + n) {
                c.encode_utf8(dst);
            }
            at += n;
        }
        core::str::from_utf8(out).map_err(|_| Error::InvalidUtf8)
    }
}

impl fmt::Debug for JsonStr<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "JsonStr({:?})", self.0)
    }
}

impl fmt::Display for JsonStr<'_> {
    /// Writes the decoded value.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use fmt::Write;
        for c in self.chars() {
            f.write_char(c)?;
        }
        Ok(())
    }
}

impl<'de: 'a, 'a> serde::Deserialize<'de> for JsonStr<'a> {
    /// Borrows the raw string through `serde-json-core`'s `EscapedStr`, so
    /// escaped strings are accepted (not refused, not copied).
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> core::result::Result<Self, D::Error> {
        serde_json_core::str::EscapedStr::deserialize(d).map(|e| JsonStr(e.0))
    }
}

/// Iterator over the decoded characters of a [`JsonStr`]. Invalid escapes
/// (impossible after validation) decode to U+FFFD.
#[derive(Clone, Debug)]
pub struct Unescape<'a> {
    rest: &'a str,
}

fn hex4(s: &str) -> Option<u32> {
    let h = s.get(..4)?;
    if !h.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u32::from_str_radix(h, 16).ok()
}

impl Iterator for Unescape<'_> {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        let mut it = self.rest.chars();
        let c = it.next()?;
        if c != '\\' {
            self.rest = it.as_str();
            return Some(c);
        }
        let after = it.as_str();
        let (out, rest) = match after.as_bytes().first() {
            Some(b'"') => ('"', after.get(1..)),
            Some(b'\\') => ('\\', after.get(1..)),
            Some(b'/') => ('/', after.get(1..)),
            Some(b'b') => ('\u{8}', after.get(1..)),
            Some(b'f') => ('\u{c}', after.get(1..)),
            Some(b'n') => ('\n', after.get(1..)),
            Some(b'r') => ('\r', after.get(1..)),
            Some(b't') => ('\t', after.get(1..)),
            Some(b'u') => {
                let tail = after.get(1..).unwrap_or_default();
                match hex4(tail) {
                    Some(hi @ 0xD800..=0xDBFF) => {
                        let lo = tail
                            .get(4..)
                            .and_then(|t| t.strip_prefix("\\u"))
                            .and_then(hex4);
                        match lo {
                            Some(lo @ 0xDC00..=0xDFFF) => {
                                let cp = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                                (char::from_u32(cp).unwrap_or('\u{FFFD}'), tail.get(10..))
                            }
                            _ => ('\u{FFFD}', tail.get(4..)),
                        }
                    }
                    Some(cp) => (char::from_u32(cp).unwrap_or('\u{FFFD}'), tail.get(4..)),
                    None => ('\u{FFFD}', tail.get(tail.len().min(4)..)),
                }
            }
            _ => ('\u{FFFD}', after.get(after.len().min(1)..)),
        };
        self.rest = rest.unwrap_or_default();
        Some(out)
    }
}

/// Iterator over the top-level members `(name, raw value)` of a JSON object
/// that has been validated (e.g. by [`super::check::validate_object`]).
/// Each raw value is the exact JSON text of the value, borrowed from the input.
/// On input that is not valid JSON it stops early; it never panics.
#[derive(Clone, Debug)]
pub struct Members<'a> {
    s: &'a str,
    i: usize,
}

impl<'a> Members<'a> {
    /// Members of the object `obj` (leading whitespace allowed).
    pub fn new(obj: &'a str) -> Self {
        let i = obj
            .bytes()
            .position(|b| b == b'{')
            .map_or(obj.len(), |p| p + 1);
        Self { s: obj, i }
    }

    /// Members of the object starting at byte `start` (a `{`) of `s`, where `s`
    /// may end in the middle of the object.
    pub(crate) fn from_partial(s: &'a str, start: usize) -> Self {
        Self { s, i: start + 1 }
    }

    /// The raw value of the first member named `name` (compared after unescaping).
    pub fn get(mut self, name: &str) -> Option<&'a str> {
        self.find(|(k, _)| k.eq_str(name)).map(|(_, v)| v)
    }

    fn peek(&self) -> Option<u8> {
        self.s.as_bytes().get(self.i).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    fn skip_string(&mut self) {
        // At the opening quote.
        self.i += 1;
        while let Some(b) = self.peek() {
            self.i += if b == b'\\' { 2 } else { 1 };
            if b == b'"' {
                return;
            }
        }
    }

    fn skip_value(&mut self) {
        match self.peek() {
            Some(b'"') => self.skip_string(),
            Some(b'{' | b'[') => {
                let mut depth = 0usize;
                while let Some(b) = self.peek() {
                    match b {
                        b'"' => {
                            self.skip_string();
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth = depth.saturating_sub(1);
                            if depth == 0 {
                                self.i += 1;
                                return;
                            }
                        }
                        _ => {}
                    }
                    self.i += 1;
                }
            }
            _ => {
                while let Some(b) = self.peek() {
                    if matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r') {
                        return;
                    }
                    self.i += 1;
                }
            }
        }
    }

    /// Steps over white space and the comma before the next member or
    /// element.
    fn skip_separator(&mut self) {
        self.ws();
        if self.peek() == Some(b',') {
            self.i += 1;
            self.ws();
        }
    }

    /// Ends the iteration: nothing more is read.
    fn finish<T>(&mut self) -> Option<T> {
        self.i = self.s.len();
        None
    }

    /// The raw value at the cursor, or the end when there is none.
    fn take_value(&mut self) -> Option<&'a str> {
        let v0 = self.i;
        self.skip_value();
        let value = self.s.get(v0..self.i)?;
        if value.is_empty() {
            return self.finish();
        }
        Some(value)
    }
}

impl<'a> Iterator for Members<'a> {
    type Item = (JsonStr<'a>, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        self.skip_separator();
        if self.peek() != Some(b'"') {
            return self.finish();
        }
        let k0 = self.i;
        self.skip_string();
        let key = self.s.get(k0 + 1..self.i.saturating_sub(1))?;
        self.ws();
        if self.peek() != Some(b':') {
            return self.finish();
        }
        self.i += 1;
        self.ws();
        let value = self.take_value()?;
        Some((JsonStr(key), value))
    }
}

/// The content of a raw JSON string value (`"..."`), or `None` if `raw` is not a string.
pub fn raw_string(raw: &str) -> Option<JsonStr<'_>> {
    raw.strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .map(JsonStr)
}

/// Iterator over the raw elements of a validated JSON array `[...]`.
#[derive(Clone, Debug)]
pub struct Elements<'a> {
    inner: Members<'a>,
}

impl<'a> Elements<'a> {
    /// Elements of the validated array `arr` (`None` if it is not an array).
    pub fn new(arr: &'a str) -> Option<Self> {
        let t = arr.trim_start_matches([' ', '\t', '\n', '\r']);
        if !t.starts_with('[') {
            return None;
        }
        Some(Self {
            inner: Members { s: t, i: 1 },
        })
    }
}

impl<'a> Iterator for Elements<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let m = &mut self.inner;
        m.skip_separator();
        if matches!(m.peek(), None | Some(b']')) {
            return m.finish();
        }
        m.take_value()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use std::string::String;

    #[test]
    fn unescapes() {
        let s = JsonStr::from_raw(r#"a\/b\u0000c\ud834\udd1e\n\"\\"#);
        let d: String = s.chars().collect();
        assert_eq!(d, "a/b\0c\u{1D11E}\n\"\\");
        let mut buf = [0u8; 32];
        assert_eq!(s.unescape_into(&mut buf).unwrap(), d);
        assert_eq!(
            s.unescape_into(&mut buf[..3]),
            Err(Error::BufferTooSmall { needed: d.len() })
        );
        assert!(JsonStr::from_raw(r"\u0061").eq_json(&JsonStr::from_raw("a")));
    }

    #[test]
    fn members_and_elements() {
        let o = r#" { "a" : [1, {"x":"]"}] , "b":"\"}", "c" : -1.5e3 ,"d":{}} "#;
        let m: std::vec::Vec<_> = Members::new(o).map(|(k, v)| (k.raw(), v)).collect();
        assert_eq!(
            m,
            [
                ("a", r#"[1, {"x":"]"}]"#),
                ("b", r#""\"}""#),
                ("c", "-1.5e3"),
                ("d", "{}")
            ]
        );
        let e: std::vec::Vec<_> = Elements::new(m[0].1).unwrap().collect();
        assert_eq!(e, ["1", r#"{"x":"]"}"#]);
        assert_eq!(Elements::new("[]").unwrap().count(), 0);
        assert_eq!(Members::new("{}").count(), 0);
        assert_eq!(Members::new(o).get("c"), Some("-1.5e3"));
    }
}
