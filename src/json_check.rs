//! Strict RFC 8259 validator for one JSON value, without allocation.
//!
//! Used to accept caller-supplied raw JSON claim values. Stricter than
//! `serde-json-core`, whose `ignored_any` skips scalars without checking them:
//! this one checks the full grammar, rejects lone or reversed UTF-16 surrogate
//! escapes and raw control characters, and bounds nesting depth.

use crate::error::{Error, Result};

/// Maximum nesting depth of arrays and objects.
pub const MAX_DEPTH: usize = 32;

/// Checks that `s` is exactly one JSON value, optionally surrounded by whitespace.
///
/// # Errors
/// `InvalidRawJson { offset }` at the first byte that breaks the grammar.
pub fn validate(s: &str) -> Result<()> {
    let mut p = Parser {
        b: s.as_bytes(),
        i: 0,
    };
    p.ws();
    p.value(0)?;
    p.ws();
    if p.i != p.b.len() {
        return Err(p.err());
    }
    Ok(())
}

struct Parser<'a> {
    b: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn err(&self) -> Error {
        Error::InvalidRawJson { offset: self.i }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn bump(&mut self) -> Option<u8> {
        let c = self.peek()?;
        self.i += 1;
        Some(c)
    }

    fn eat(&mut self, c: u8) -> Result<()> {
        if self.peek() == Some(c) {
            self.i += 1;
            Ok(())
        } else {
            Err(self.err())
        }
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    fn value(&mut self, depth: usize) -> Result<()> {
        match self.peek() {
            Some(b'{') => self.object(depth + 1),
            Some(b'[') => self.array(depth + 1),
            Some(b'"') => self.string(),
            Some(b't') => self.literal(b"true"),
            Some(b'f') => self.literal(b"false"),
            Some(b'n') => self.literal(b"null"),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => Err(self.err()),
        }
    }

    fn literal(&mut self, lit: &[u8]) -> Result<()> {
        let end = self.i + lit.len();
        if self.b.get(self.i..end) == Some(lit) {
            self.i = end;
            Ok(())
        } else {
            Err(self.err())
        }
    }

    fn digits(&mut self) -> Result<()> {
        if !matches!(self.peek(), Some(b'0'..=b'9')) {
            return Err(self.err());
        }
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.i += 1;
        }
        Ok(())
    }

    fn number(&mut self) -> Result<()> {
        let start = self.i;
        self.number_grammar()?;
        // RFC 8259 §6: interoperable numbers fit an IEEE 754 double. `1e400`
        // is grammatical but parsers such as serde_json refuse it, so a token
        // carrying it would be rejected downstream (found by fuzzing).
        let text = self
            .b
            .get(start..self.i)
            .and_then(|t| core::str::from_utf8(t).ok());
        match text.map(str::parse::<f64>) {
            Some(Ok(v)) if v.is_finite() => Ok(()),
            _ => Err(Error::InvalidRawJson { offset: start }),
        }
    }

    fn number_grammar(&mut self) -> Result<()> {
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        match self.peek() {
            Some(b'0') => self.i += 1,
            Some(b'1'..=b'9') => self.digits()?,
            _ => return Err(self.err()),
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            self.digits()?;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.i += 1;
            }
            self.digits()?;
        }
        Ok(())
    }

    fn hex4(&mut self) -> Result<u16> {
        let mut v: u16 = 0;
        for _ in 0..4 {
            let c = self.bump().ok_or_else(|| self.err())?;
            let d = match c {
                b'0'..=b'9' => c - b'0',
                b'a'..=b'f' => c - b'a' + 10,
                b'A'..=b'F' => c - b'A' + 10,
                _ => return Err(Error::InvalidRawJson { offset: self.i - 1 }),
            };
            v = (v << 4) | u16::from(d);
        }
        Ok(v)
    }

    fn string(&mut self) -> Result<()> {
        self.eat(b'"')?;
        loop {
            match self.bump() {
                None => return Err(self.err()),
                Some(b'"') => return Ok(()),
                Some(0x00..=0x1f) => return Err(Error::InvalidRawJson { offset: self.i - 1 }),
                Some(b'\\') => match self.bump() {
                    Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => {}
                    Some(b'u') => {
                        let start = self.i - 2;
                        let u = self.hex4()?;
                        if (0xDC00..0xE000).contains(&u) {
                            return Err(Error::InvalidRawJson { offset: start });
                        }
                        if (0xD800..0xDC00).contains(&u) {
                            // A high surrogate must be followed by an escaped low one.
                            if self.b.get(self.i..self.i + 2) != Some(b"\\u") {
                                return Err(Error::InvalidRawJson { offset: start });
                            }
                            self.i += 2;
                            let lo = self.hex4()?;
                            if !(0xDC00..0xE000).contains(&lo) {
                                return Err(Error::InvalidRawJson { offset: start });
                            }
                        }
                    }
                    _ => {
                        return Err(Error::InvalidRawJson {
                            offset: self.i.saturating_sub(1),
                        });
                    }
                },
                Some(_) => {}
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<()> {
        if depth > MAX_DEPTH {
            return Err(self.err());
        }
        self.eat(b'[')?;
        self.ws();
        if self.peek() == Some(b']') {
            self.i += 1;
            return Ok(());
        }
        loop {
            self.ws();
            self.value(depth)?;
            self.ws();
            match self.bump() {
                Some(b',') => {}
                Some(b']') => return Ok(()),
                _ => {
                    return Err(Error::InvalidRawJson {
                        offset: self.i.saturating_sub(1),
                    });
                }
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<()> {
        if depth > MAX_DEPTH {
            return Err(self.err());
        }
        self.eat(b'{')?;
        self.ws();
        if self.peek() == Some(b'}') {
            self.i += 1;
            return Ok(());
        }
        loop {
            self.ws();
            self.string()?;
            self.ws();
            self.eat(b':')?;
            self.ws();
            self.value(depth)?;
            self.ws();
            match self.bump() {
                Some(b',') => {}
                Some(b'}') => return Ok(()),
                _ => {
                    return Err(Error::InvalidRawJson {
                        offset: self.i.saturating_sub(1),
                    });
                }
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::validate;

    #[test]
    fn accepts() {
        for s in [
            "0",
            "-0",
            "1.5e-3",
            "true",
            "null",
            "\"\"",
            "\"\\ud83d\\ude00\"",
            "[]",
            "{}",
            " [1, {\"a\": [null, false]}] ",
            "\"é/\\/\"",
            "-12E+4",
        ] {
            assert_eq!(validate(s), Ok(()), "{s}");
        }
    }

    #[test]
    fn refuses() {
        for s in [
            "",
            " ",
            "01",
            "1.",
            ".5",
            "+1",
            "1e",
            "tru",
            "nul",
            "\"abc",
            "\"\\x\"",
            "\"\\ud800\"",
            "\"\\udc00\\ud800\"",
            "\"\\ud800\\u0041\"",
            "[1,]",
            "{\"a\":1,}",
            "{a:1}",
            "{'a':1}",
            "[1 2]",
            "1 2",
            "{}{}",
            "\"\u{1}\"",
            "NaN",
            "[",
            "{\"a\"}",
            "\"\\u12g4\"",
        ] {
            assert!(validate(s).is_err(), "{s:?}");
        }
        let deep = "[".repeat(33) + &"]".repeat(33);
        assert!(validate(&deep).is_err());
        let ok = "[".repeat(32) + &"]".repeat(32);
        assert!(validate(&ok).is_ok());
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod range_tests {
    use super::validate;

    /// Fuzz finding: `1e961` is grammatical JSON but not a finite double;
    /// serde_json (and so most verifiers) refuse it, so we do too.
    #[test]
    fn numbers_must_fit_a_double() {
        for bad in ["1e961", "-1e400", "[1E+99999]", "{\"a\":1e309}"] {
            assert!(validate(bad).is_err(), "{bad}");
        }
        for ok in [
            "1e308",
            "-1.7976931348623157e308",
            "1e-400",
            "123456789012345678901234567890",
        ] {
            assert!(validate(ok).is_ok(), "{ok}");
        }
    }
}
