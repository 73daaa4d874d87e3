//! Locating the PEM block in what callers actually pass: the one place that
//! decides what may surround a `-----BEGIN …-----` / `-----END …-----` pair,
//! for private keys, public keys and certificates alike.
//!
//! Accepted around the block (RFC 7468 §2, lax): any text before the BEGIN
//! line (explanatory text, as `openssl x509 -text` writes), and after the END
//! line only whitespace (space, tab, CR, LF, VT, FF) and NUL bytes — a file
//! ending in a blank line, `\r\n`, `echo "$KEY" > file`, a secret store's
//! trailing space, a C string's NUL counted in its length. Anything else after
//! the END line is refused.
//!
//! Also here: recognising a legacy OpenSSL encrypted key
//! (`Proc-Type: 4,ENCRYPTED`) and DER bytes handed to a PEM function.

use crate::error::{Error, Result};

/// The marker every PEM block starts with.
pub(crate) const BEGIN: &str = "-----BEGIN ";

/// The PEM block of `text`: from the first occurrence of `begin` (e.g.
/// [`BEGIN`] or `"-----BEGIN CERTIFICATE-----"`) to the end of the
/// following `-----END …-----` line, with only whitespace and NULs after it.
///
/// # Errors
/// `malformed` when there is no block or anything but whitespace/NUL follows
/// it.
pub(crate) fn block<'a>(text: &'a str, begin: &str, malformed: Error) -> Result<&'a str> {
    const END: &str = "-----END ";
    let start = text.find(begin).ok_or(malformed)?;
    let rest = text.get(start..).ok_or(malformed)?;
    let end_line = rest.find(END).ok_or(malformed)?;
    let after_end = end_line + END.len();
    let close = rest
        .get(after_end..)
        .and_then(|s| s.find("-----"))
        .ok_or(malformed)?;
    let end = after_end + close + "-----".len();
    let tail = rest.get(end..).ok_or(malformed)?;
    if !tail
        .bytes()
        .all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n' | 0x0b | 0x0c | 0))
    {
        return Err(malformed);
    }
    rest.get(..end).ok_or(malformed)
}

/// Whether a PEM block carries RFC 1421 encryption headers (`Proc-Type:
/// 4,ENCRYPTED` / `DEK-Info:`), as `openssl rsa -aes256 -traditional` and
/// OpenSSL 1.x's `openssl genrsa -aes256` write.
pub(crate) fn is_legacy_encrypted(block: &str) -> bool {
    let mut lines = block.lines().skip(1).map(str::trim);
    lines
        .next()
        .is_some_and(|l| l.starts_with("Proc-Type:") && l.contains("ENCRYPTED"))
}

/// Whether `bytes` is one DER SEQUENCE (tag 0x30) whose definite length
/// covers the input exactly (an optional trailing NUL aside) — i.e. a DER key
/// or certificate, not PEM text.
#[cfg(any(feature = "ffi", test))]
pub(crate) fn looks_like_der(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_suffix(&[0]).unwrap_or(bytes);
    let (Some(&0x30), Some(&first)) = (bytes.first(), bytes.get(1)) else {
        return false;
    };
    let (len, header) = if first < 0x80 {
        (usize::from(first), 2)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 {
            return false;
        }
        let Some(len_bytes) = bytes.get(2..2 + n) else {
            return false;
        };
        let len = len_bytes
            .iter()
            .fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
        (len, 2 + n)
    };
    header.checked_add(len) == Some(bytes.len())
}

/// The text of PEM input given as bytes (the C ABI, files read raw).
///
/// # Errors
/// `KeyIsDer` when the bytes are a DER structure (the caller wanted the
/// `_from_der` function), `InvalidUtf8` when they are not text.
#[cfg(any(feature = "ffi", test))]
pub(crate) fn text(bytes: &[u8]) -> Result<&str> {
    if looks_like_der(bytes) {
        return Err(Error::KeyIsDer);
    }
    core::str::from_utf8(bytes).map_err(|_| Error::InvalidUtf8)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const M: Error = Error::KeyMalformed;
    const B: &str = "-----BEGIN X-----\nAAAA\n-----END X-----";

    #[test]
    fn trailing_whitespace_and_nul_accepted() {
        for tail in [
            "",
            "\n",
            "\n\n",
            "\r\n",
            " \n",
            "\t",
            "\0",
            "\n\0",
            "\r\n\r\n \0\0",
        ] {
            let text = alloc::format!("junk before\n{B}{tail}");
            assert_eq!(block(&text, BEGIN, M), Ok(B), "{tail:?}");
        }
    }

    #[test]
    fn trailing_text_refused() {
        for tail in ["x", "\nx", "\n-----BEGIN Y-----", "\0x"] {
            let text = alloc::format!("{B}{tail}");
            assert_eq!(block(&text, BEGIN, M), Err(M), "{tail:?}");
        }
        assert_eq!(block("no pem here", BEGIN, M), Err(M));
        assert_eq!(block("-----BEGIN X-----\nAAAA\n", BEGIN, M), Err(M));
        assert_eq!(block("-----BEGIN X-----\n-----END X", BEGIN, M), Err(M));
    }

    #[test]
    fn der_detection() {
        assert!(looks_like_der(&[0x30, 0x03, 1, 2, 3]));
        assert!(looks_like_der(&[0x30, 0x81, 0x01, 9]));
        assert!(looks_like_der(&[0x30, 0x03, 1, 2, 3, 0]));
        assert!(!looks_like_der(&[0x30, 0x03, 1, 2]));
        assert!(!looks_like_der(b"0\x03abc-----BEGIN"));
        assert!(!looks_like_der(b"-----BEGIN X-----"));
        assert!(!looks_like_der(&[0x30, 0x80]));
        assert!(!looks_like_der(&[0x30, 0x85, 1, 1, 1, 1, 1]));
        assert_eq!(text(&[0x30, 0x01, 0xff]), Err(Error::KeyIsDer));
        assert_eq!(text(&[0xff]), Err(Error::InvalidUtf8));
        assert_eq!(text(b"abc"), Ok("abc"));
    }

    #[test]
    fn legacy_encryption_header() {
        assert!(is_legacy_encrypted(
            "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,00\n\nAAAA\n-----END RSA PRIVATE KEY-----"
        ));
        assert!(is_legacy_encrypted(
            "-----BEGIN RSA PRIVATE KEY-----\r\nProc-Type: 4,ENCRYPTED\r\n"
        ));
        assert!(!is_legacy_encrypted(B));
    }
}
