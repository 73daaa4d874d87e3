//! Minimal JSON writer for JOSE headers and JWT claims (RFC 8259).
//!
//! Strings are escaped per RFC 8259 §7: `"` and `\` are backslash-escaped,
//! control characters U+0000..U+001F become `\b \f \n \r \t` or `\u00XX`, and
//! everything else (including all non-ASCII UTF-8 and `/`) passes through
//! verbatim. Numbers are integers only.

use crate::error::Result;
use crate::sink::Sink;

/// Lower-case hex digit for a nibble (`n` < 16).
const fn hex_digit(n: u8) -> u8 {
    if n < 10 { b'0' + n } else { b'a' + (n - 10) }
}

/// Writes `s` as a JSON string literal, quotes included.
pub(crate) fn string<S: Sink + ?Sized>(sink: &mut S, s: &str) -> Result<()> {
    sink.put(b"\"")?;
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let short: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            0x00..=0x1f => b"",
            _ => continue,
        };
        if let Some(run) = bytes.get(start..i) {
            sink.put(run)?;
        }
        if short.is_empty() {
            let esc = [
                b'\\',
                b'u',
                b'0',
                b'0',
                hex_digit(b >> 4),
                hex_digit(b & 0x0f),
            ];
            sink.put(&esc)?;
        } else {
            sink.put(short)?;
        }
        start = i + 1;
    }
    if let Some(run) = bytes.get(start..) {
        sink.put(run)?;
    }
    sink.put(b"\"")
}

/// Writes a signed integer in decimal.
pub(crate) fn int<S: Sink + ?Sized>(sink: &mut S, v: i64) -> Result<()> {
    let mut buf = [0u8; 20];
    let mut pos = buf.len();
    let mut n = v.unsigned_abs();
    loop {
        pos -= 1;
        // `n % 10` < 10, so the cast is exact.
        #[allow(clippy::cast_possible_truncation)]
        let digit = (n % 10) as u8;
        if let Some(slot) = buf.get_mut(pos) {
            *slot = b'0' + digit;
        }
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if v < 0 {
        sink.put(b"-")?;
    }
    sink.put(buf.get(pos..).unwrap_or_default())
}

/// Incremental writer for one JSON object: `{"k":v,...}`.
pub(crate) struct ObjectWriter<'s, S: Sink + ?Sized> {
    sink: &'s mut S,
    first: bool,
}

impl<'s, S: Sink + ?Sized> ObjectWriter<'s, S> {
    pub(crate) fn begin(sink: &'s mut S) -> Result<Self> {
        sink.put(b"{")?;
        Ok(Self { sink, first: true })
    }

    /// Writes the separator and `"name":`. `name` is escaped.
    pub(crate) fn key(&mut self, name: &str) -> Result<&mut S> {
        if !self.first {
            self.sink.put(b",")?;
        }
        self.first = false;
        string(self.sink, name)?;
        self.sink.put(b":")?;
        Ok(self.sink)
    }

    /// Writes `"name":` for a name known to need no escaping (registered names).
    pub(crate) fn plain_key(&mut self, quoted_with_colon: &[u8]) -> Result<&mut S> {
        if !self.first {
            self.sink.put(b",")?;
        }
        self.first = false;
        self.sink.put(quoted_with_colon)?;
        Ok(self.sink)
    }

    pub(crate) fn str_member(&mut self, quoted_with_colon: &[u8], v: &str) -> Result<()> {
        let sink = self.plain_key(quoted_with_colon)?;
        string(sink, v)
    }

    pub(crate) fn end(self) -> Result<()> {
        self.sink.put(b"}")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::sink::SliceSink;

    fn esc(s: &str) -> heapless::String<128> {
        let mut buf = [0u8; 128];
        let mut sink = SliceSink::new(&mut buf);
        string(&mut sink, s).unwrap();
        let n = sink.position();
        heapless::String::try_from(core::str::from_utf8(&buf[..n]).unwrap()).unwrap()
    }

    #[test]
    fn escapes() {
        assert_eq!(esc("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(esc("\n\r\t\u{8}\u{c}"), r#""\n\r\t\b\f""#);
        assert_eq!(esc("\u{0}\u{1f}\u{7f}"), "\"\\u0000\\u001f\u{7f}\"");
        assert_eq!(esc("/é\u{2028}😀"), "\"/é\u{2028}😀\"");
    }

    #[test]
    fn ints() {
        for v in [0i64, 7, -7, 1_700_000_000, i64::MAX, i64::MIN] {
            let mut buf = [0u8; 32];
            let mut sink = SliceSink::new(&mut buf);
            int(&mut sink, v).unwrap();
            let n = sink.position();
            assert_eq!(
                core::str::from_utf8(&buf[..n])
                    .unwrap()
                    .parse::<i64>()
                    .unwrap(),
                v
            );
        }
    }
}
