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

/// True if any of the 8 bytes in `x` is `"`, `\` or below 0x20 (SWAR test,
/// shared with the validator).
#[inline(always)]
const fn needs_escape(x: u64) -> bool {
    super::check::special_mask(x) != 0
}

/// The escape for one byte, or `None` when it passes through verbatim.
#[inline]
fn escape(b: u8) -> Option<([u8; 6], usize)> {
    let short = match b {
        b'"' => b'"',
        b'\\' => b'\\',
        b'\n' => b'n',
        b'\r' => b'r',
        b'\t' => b't',
        0x08 => b'b',
        0x0c => b'f',
        0x00..=0x1f => 0,
        _ => return None,
    };
    Some(if short == 0 {
        (
            [
                b'\\',
                b'u',
                b'0',
                b'0',
                hex_digit(b >> 4),
                hex_digit(b & 0x0f),
            ],
            6,
        )
    } else {
        ([b'\\', short, 0, 0, 0, 0], 2)
    })
}

/// Writes `s` as a JSON string literal, quotes included.
pub(crate) fn string<S: Sink + ?Sized>(sink: &mut S, s: &str) -> Result<()> {
    sink.put(b"\"")?;
    let bytes = s.as_bytes();
    let mut start = 0; // first byte not yet written
    let mut i = 0;
    while i < bytes.len() {
        // Skip 8 clean bytes at a time (SWAR); check the rest byte by byte.
        if let Some(word) = bytes
            .get(i..i + 8)
            .and_then(|w| <[u8; 8]>::try_from(w).ok())
            && !needs_escape(u64::from_le_bytes(word))
        {
            i += 8;
            continue;
        }
        let end = (i + 8).min(bytes.len());
        while i < end {
            let b = bytes.get(i).copied().unwrap_or(0);
            if let Some((esc, len)) = escape(b) {
                sink.put(bytes.get(start..i).unwrap_or_default())?;
                sink.put(esc.get(..len).unwrap_or_default())?;
                start = i + 1;
            }
            i += 1;
        }
    }
    sink.put(bytes.get(start..).unwrap_or_default())?;
    sink.put(b"\"")
}

/// Writes a signed integer in decimal (via `itoa`).
pub(crate) fn int<S: Sink + ?Sized>(sink: &mut S, v: i64) -> Result<()> {
    sink.put(itoa::Buffer::new().format(v).as_bytes())
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
    fn every_ascii_byte_at_every_word_offset_matches_serde_json() {
        // Each byte 0..128 placed at offsets 0..17, so it lands in the SWAR
        // word path, the byte path and the tail; compared with serde_json.
        for b in 0u8..128 {
            for off in 0..17 {
                let mut s = std::string::String::new();
                for _ in 0..off {
                    s.push('a');
                }
                s.push(char::from(b));
                s.push_str("é-tail");
                let mut buf = [0u8; 128];
                let mut sink = SliceSink::new(&mut buf);
                string(&mut sink, &s).unwrap();
                let n = sink.position();
                let back: std::string::String = serde_json::from_slice(&buf[..n]).unwrap();
                assert_eq!(back, s, "byte {b:#x} at {off}");
                let serde = serde_json::to_string(&s).unwrap();
                assert_eq!(
                    core::str::from_utf8(&buf[..n]).unwrap(),
                    serde,
                    "byte {b:#x} at {off}"
                );
            }
        }
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
