//! RFC 7523 token-request bodies, `application/x-www-form-urlencoded`
//! (WHATWG URL §5.2: `*-._` and alphanumerics verbatim, space as `+`, every
//! other byte as `%XX`), written into a caller buffer.
//!
//! ```
//! let mut buf = [0u8; 128];
//! let n = jwtmint::form::grant_body("aaa.bbb.ccc", &[("scope", "api refresh")], &mut buf).unwrap();
//! assert_eq!(
//!     &buf[..n],
//!     b"grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=aaa.bbb.ccc&scope=api+refresh"
//! );
//! ```

use crate::error::{Error, Result};
use crate::sink::{self, Sink};

/// `grant_type` for the JWT bearer authorization grant (RFC 7523 §2.1).
pub const GRANT_TYPE_JWT_BEARER: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";
/// `client_assertion_type` for JWT client authentication (RFC 7523 §2.2).
pub const CLIENT_ASSERTION_TYPE_JWT_BEARER: &str =
    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

const HEX: &[u8; 16] = b"0123456789ABCDEF";

fn component<S: Sink + ?Sized>(sink: &mut S, s: &str) -> Result<()> {
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b.is_ascii_alphanumeric() || matches!(b, b'*' | b'-' | b'.' | b'_') {
            continue;
        }
        sink.put(bytes.get(start..i).unwrap_or_default())?;
        if b == b' ' {
            sink.put(b"+")?;
        } else {
            let hi = HEX.get(usize::from(b >> 4)).copied().unwrap_or(b'0');
            let lo = HEX.get(usize::from(b & 0x0f)).copied().unwrap_or(b'0');
            sink.put(&[b'%', hi, lo])?;
        }
        start = i + 1;
    }
    sink.put(bytes.get(start..).unwrap_or_default())
}

fn emit<'p, S, I>(sink: &mut S, pairs: I) -> Result<()>
where
    S: Sink + ?Sized,
    I: IntoIterator<Item = (&'p str, &'p str)>,
{
    for (i, (k, v)) in pairs.into_iter().enumerate() {
        if i > 0 {
            sink.put(b"&")?;
        }
        component(sink, k)?;
        sink.put(b"=")?;
        component(sink, v)?;
    }
    Ok(())
}

fn write<'p, I>(pairs: I, out: &mut [u8]) -> Result<usize>
where
    I: IntoIterator<Item = (&'p str, &'p str)> + Clone,
{
    sink::write_exact(out, |s| emit(s, pairs.clone()))
}

fn len<'p, I>(pairs: I) -> Result<usize>
where
    I: IntoIterator<Item = (&'p str, &'p str)> + Clone,
{
    sink::measure(|s| emit(s, pairs.clone()))
}

/// An RFC 7523 assertion is a compact JWS (RFC 7515 §7.1): exactly three
/// non-empty Base64Url segments. Anything else (empty, a JSON serialisation,
/// a stray newline or space, `Bearer …`) is refused before a body is built.
fn check_assertion(assertion: &str) -> Result<()> {
    let mut segments = 0usize;
    for seg in assertion.split('.') {
        segments += 1;
        let base64url = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'_';
        if seg.is_empty() || !seg.bytes().all(base64url) {
            return Err(Error::MalformedToken);
        }
    }
    if segments == 3 {
        Ok(())
    } else {
        Err(Error::MalformedToken)
    }
}

/// The first two pairs of an RFC 7523 §2.1 body.
pub(crate) fn grant_prefix(assertion: &str) -> [(&str, &str); 2] {
    [
        ("grant_type", GRANT_TYPE_JWT_BEARER),
        ("assertion", assertion),
    ]
}

/// The first two pairs of an RFC 7523 §2.2 body.
pub(crate) fn client_prefix(assertion: &str) -> [(&str, &str); 2] {
    [
        ("client_assertion_type", CLIENT_ASSERTION_TYPE_JWT_BEARER),
        ("client_assertion", assertion),
    ]
}

/// The pairs of a body: its two RFC 7523 pairs, then `rest`.
fn body_pairs<'p>(
    prefix: [(&'p str, &'p str); 2],
    rest: &'p [(&'p str, &'p str)],
) -> impl Iterator<Item = (&'p str, &'p str)> + Clone {
    prefix.into_iter().chain(rest.iter().copied())
}

/// Writes the pairs of any (cloneable) iterator as a form body into `out`:
/// the session's grants chain their own, the profile's and extra pairs.
///
/// # Errors
/// `BufferTooSmall` with the exact length needed.
pub(crate) fn write_pairs<'p, I>(pairs: I, out: &mut [u8]) -> Result<usize>
where
    I: IntoIterator<Item = (&'p str, &'p str)> + Clone,
{
    write(pairs, out)
}

/// Writes any `k=v&…` form body into `out`, returning its length.
///
/// # Errors
/// `BufferTooSmall` with the exact length needed.
pub fn write_form(params: &[(&str, &str)], out: &mut [u8]) -> Result<usize> {
    write(params.iter().copied(), out)
}

/// Exact length of [`write_form`]'s output.
///
/// # Errors
/// `LengthOverflow` only.
pub fn form_len(params: &[(&str, &str)]) -> Result<usize> {
    len(params.iter().copied())
}

/// The authorization-grant body (RFC 7523 §2.1):
/// `grant_type=urn:…:jwt-bearer&assertion=…`, then `extra` (e.g. `scope`).
///
/// # Errors
/// `MalformedToken` when `assertion` is not a compact JWS (three non-empty
/// Base64Url segments); `BufferTooSmall` with the exact length needed.
pub fn grant_body(assertion: &str, extra: &[(&str, &str)], out: &mut [u8]) -> Result<usize> {
    check_assertion(assertion)?;
    write(body_pairs(grant_prefix(assertion), extra), out)
}

/// Exact length of [`grant_body`]'s output.
///
/// # Errors
/// `MalformedToken` as [`grant_body`]; `LengthOverflow`.
pub fn grant_body_len(assertion: &str, extra: &[(&str, &str)]) -> Result<usize> {
    check_assertion(assertion)?;
    len(body_pairs(grant_prefix(assertion), extra))
}

/// The client-authentication body (RFC 7523 §2.2):
/// `client_assertion_type=urn:…:jwt-bearer&client_assertion=…`, then `params`
/// (`grant_type`, `client_id`, `scope`, … as given).
///
/// # Errors
/// `MalformedToken` as [`grant_body`]; `BufferTooSmall` with the exact
/// length needed.
pub fn client_assertion_body(
    assertion: &str,
    params: &[(&str, &str)],
    out: &mut [u8],
) -> Result<usize> {
    check_assertion(assertion)?;
    write(body_pairs(client_prefix(assertion), params), out)
}

/// Exact length of [`client_assertion_body`]'s output.
///
/// # Errors
/// `MalformedToken` as [`grant_body`]; `LengthOverflow`.
pub fn client_assertion_body_len(assertion: &str, params: &[(&str, &str)]) -> Result<usize> {
    check_assertion(assertion)?;
    len(body_pairs(client_prefix(assertion), params))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn only_compact_assertions_make_a_body() {
        type Body = fn(&str, &[(&str, &str)], &mut [u8]) -> Result<usize>;
        type Len = fn(&str, &[(&str, &str)]) -> Result<usize>;
        let mut out = [0u8; 512];
        for bad in [
            "",
            "a.b",
            "a.b.c.d",
            "a..c",
            ".b.c",
            "a.b.",
            "a.b.c\n",
            " a.b.c",
            "a.b+c.d",
            "Bearer a.b.c",
            "{\"payload\":\"x\"}",
            "a.b=.c",
        ] {
            for (body, len) in [
                (grant_body as Body, grant_body_len as Len),
                (client_assertion_body, client_assertion_body_len),
            ] {
                assert_eq!(
                    body(bad, &[], &mut out),
                    Err(Error::MalformedToken),
                    "{bad:?}"
                );
                assert_eq!(len(bad, &[]), Err(Error::MalformedToken), "{bad:?}");
            }
        }
        let n = grant_body("eyJ-_0.e30.AbC", &[], &mut out).unwrap();
        assert!(out[..n].ends_with(b"&assertion=eyJ-_0.e30.AbC"));
        assert_eq!(grant_body_len("eyJ-_0.e30.AbC", &[]), Ok(n));
    }
}
