//! Compact JWS assembly: `b64(header) . b64(claims) . b64(signature)`, written
//! into a caller buffer.
//!
//! The encode path (header template + claims → signing input → assembly)
//! performs no heap allocation; the signer is the only thing that may.
//! On error the contents of `out` are unspecified; nothing else is changed.

use crate::alg::MAX_SIGNATURE_LEN;
use crate::base64url;
use crate::claims::Claims;
use crate::error::{Error, Result};
use crate::header::HeaderTemplate;
use crate::signer::JwsSigner;
use crate::sink::{B64Sink, Sink, SliceSink};

/// Exact length of the signing input `b64(header).b64(claims)`.
///
/// # Errors
/// As [`Claims::validate`].
pub fn signing_input_len(header: &HeaderTemplate, claims: &Claims<'_>) -> Result<usize> {
    let claims_b64 = base64url::encoded_len(claims.json_len()?)?;
    header
        .as_bytes()
        .len()
        .checked_add(1)
        .and_then(|n| n.checked_add(claims_b64))
        .ok_or(Error::LengthOverflow)
}

/// Writes the signing input `b64(header).b64(claims)` into `out`, returning its length.
///
/// # Errors
/// As [`Claims::validate`]; `BufferTooSmall` with the exact length needed.
pub fn write_signing_input(
    header: &HeaderTemplate,
    claims: &Claims<'_>,
    out: &mut [u8],
) -> Result<usize> {
    claims.validate()?;
    encode_signing_input(header, claims, out).map_err(|e| match e {
        Error::BufferTooSmall { .. } => match signing_input_len(header, claims) {
            Ok(needed) => Error::BufferTooSmall { needed },
            Err(e) => e,
        },
        e => e,
    })
}

/// The zero-allocation hot path; claims are already validated.
fn encode_signing_input(
    header: &HeaderTemplate,
    claims: &Claims<'_>,
    out: &mut [u8],
) -> Result<usize> {
    let mut head = SliceSink::new(out);
    head.put(header.as_bytes())?;
    head.put(b".")?;
    let start = head.position();
    let rest = out
        .get_mut(start..)
        .ok_or(Error::BufferTooSmall { needed: 0 })?;
    let mut sink = B64Sink::new(rest);
    claims.emit(&mut sink)?;
    let n = sink.finish()?;
    start.checked_add(n).ok_or(Error::LengthOverflow)
}

/// Length of `.` + Base64Url(signature).
fn signature_segment_len(signature_len: usize) -> Result<usize> {
    base64url::encoded_len(signature_len)?
        .checked_add(1)
        .ok_or(Error::LengthOverflow)
}

/// Exact length of the compact assertion [`mint`] writes.
///
/// # Errors
/// As [`Claims::validate`].
pub fn mint_len(
    header: &HeaderTemplate,
    claims: &Claims<'_>,
    signature_len: usize,
) -> Result<usize> {
    signing_input_len(header, claims)?
        .checked_add(signature_segment_len(signature_len)?)
        .ok_or(Error::LengthOverflow)
}

/// Mints a compact JWT: encodes `claims` after the pre-encoded `header`, signs
/// with `signer`, and writes the assertion into `out`. Returns its length.
///
/// ```
/// # #[cfg(feature = "std")] {
/// use jwtmint::{Algorithm, Claims, Header, HeaderTemplate, SigningKey};
/// let key = SigningKey::from_pem(include_str!("../examples/keys/demo-key.pem")).unwrap();
/// let header = HeaderTemplate::new(&Header::new(Algorithm::Rs256)).unwrap();
/// let claims = Claims::new().iss("client").sub("user@example.com")
///     .aud("https://login.salesforce.com").exp(1_700_000_180);
/// let mut out = [0u8; 1024];
/// let n = jwtmint::mint(&mut key.signer(jwtmint::Algorithm::Rs256).unwrap(), &header, &claims, &mut out).unwrap();
/// assert_eq!(n, jwtmint::mint_len(&header, &claims, key.signature_len()).unwrap());
/// # }
/// ```
///
/// # Errors
/// `AlgorithmMismatch` when the header's `alg` is not the signer's; claim
/// errors from [`Claims::validate`]; `BufferTooSmall` with the exact length
/// needed (checked before signing); the signer's own errors.
pub fn mint<S: JwsSigner + ?Sized>(
    signer: &mut S,
    header: &HeaderTemplate,
    claims: &Claims<'_>,
    out: &mut [u8],
) -> Result<usize> {
    same_algorithm(header, signer)?;
    claims.validate()?;
    let sig_len = signer.signature_len();
    let input_len = match encode_signing_input(header, claims, out) {
        Ok(n) => n,
        Err(Error::BufferTooSmall { .. }) => {
            return Err(Error::BufferTooSmall {
                needed: mint_len(header, claims, sig_len)?,
            });
        }
        Err(e) => return Err(e),
    };
    append_signature(signer, out, input_len)
}

/// `AlgorithmMismatch` unless the header's `alg` is the signer's.
fn same_algorithm<S: JwsSigner + ?Sized>(header: &HeaderTemplate, signer: &S) -> Result<()> {
    if header.algorithm() == signer.algorithm() {
        Ok(())
    } else {
        Err(Error::AlgorithmMismatch {
            header: header.algorithm(),
            signer: signer.algorithm(),
        })
    }
}

/// The C ABI's mint: as [`mint`], but the exact length is known before a
/// byte of `out` is written, so a too-small `out` is left untouched (the
/// error carries the length), and a failure after writing (signing) clears
/// what was written. The claims are validated once and measured once.
#[cfg(feature = "ffi")]
pub(crate) fn mint_exact<S: JwsSigner + ?Sized>(
    signer: &mut S,
    header: &HeaderTemplate,
    claims: &Claims<'_>,
    out: &mut [u8],
) -> Result<usize> {
    same_algorithm(header, signer)?;
    claims.validate()?;
    // The claims JSON goes to a stack buffer first: its exact length is then
    // known without a measuring pass, and it is Base64Url-encoded in bulk.
    // Claims larger than the buffer take the measuring path.
    let mut json = [0u8; EXACT_SCRATCH];
    let mut scratch = SliceSink::new(&mut json);
    let staged = match claims.emit(&mut scratch) {
        Ok(()) => Some(scratch.position()),
        Err(Error::BufferTooSmall { .. }) => None,
        Err(e) => return Err(e),
    };
    let json_len = match staged {
        Some(n) => n,
        None => claims.emitted_len()?,
    };
    let claims_b64 = base64url::encoded_len(json_len)?;
    let signature = signature_segment_len(signer.signature_len())?;
    let head = header.as_bytes();
    let needed = head
        .len()
        .checked_add(1)
        .and_then(|n| n.checked_add(claims_b64))
        .and_then(|n| n.checked_add(signature))
        .ok_or(Error::LengthOverflow)?;
    let out = out
        .get_mut(..needed)
        .ok_or(Error::BufferTooSmall { needed })?;
    let input = match staged {
        Some(n) => {
            let mut sink = SliceSink::new(out);
            sink.put(head)?;
            sink.put(b".")?;
            let start = sink.position();
            let rest = out.get_mut(start..).ok_or(Error::LengthOverflow)?;
            base64url::encode(json.get(..n).unwrap_or_default(), rest)
                .and_then(|m| start.checked_add(m).ok_or(Error::LengthOverflow))
        }
        None => encode_signing_input(header, claims, out),
    };
    let r = input.and_then(|input_len| append_signature(signer, out, input_len));
    if r.is_err() {
        out.fill(0);
    }
    r
}

/// Size of the stack buffer [`mint_exact`] stages the claims JSON in (typical
/// RFC 7523 claims are 150-400 bytes of JSON).
#[cfg(feature = "ffi")]
const EXACT_SCRATCH: usize = 512;

/// Signs `out[..input_len]` and appends `.` + Base64Url(signature).
fn append_signature<S: JwsSigner + ?Sized>(
    signer: &mut S,
    out: &mut [u8],
    input_len: usize,
) -> Result<usize> {
    let sig_len = signer.signature_len();
    if sig_len > MAX_SIGNATURE_LEN {
        return Err(Error::SignatureLength {
            expected: MAX_SIGNATURE_LEN,
            actual: sig_len,
        });
    }
    let total = input_len
        .checked_add(signature_segment_len(sig_len)?)
        .ok_or(Error::LengthOverflow)?;
    if out.len() < total {
        return Err(Error::BufferTooSmall { needed: total });
    }
    let (input, tail) = out.split_at_mut(input_len);
    let mut sig = [0u8; MAX_SIGNATURE_LEN];
    let sig_buf = sig.get_mut(..sig_len).ok_or(Error::LengthOverflow)?;
    let written = signer.sign(input, sig_buf)?;
    if written != sig_len {
        return Err(Error::SignatureLength {
            expected: sig_len,
            actual: written,
        });
    }
    let (dot, b64) = tail
        .split_first_mut()
        .ok_or(Error::BufferTooSmall { needed: total })?;
    *dot = b'.';
    let n = base64url::encode(sig_buf, b64)?;
    input_len.checked_add(1 + n).ok_or(Error::LengthOverflow)
}

/// Exact length of [`sign_raw`]'s output.
///
/// # Errors
/// `LengthOverflow` only.
pub fn sign_raw_len(header_len: usize, payload_len: usize, signature_len: usize) -> Result<usize> {
    base64url::encoded_len(header_len)?
        .checked_add(1)
        .and_then(|n| n.checked_add(base64url::encoded_len(payload_len).ok()?))
        .and_then(|n| n.checked_add(signature_segment_len(signature_len).ok()?))
        .ok_or(Error::LengthOverflow)
}

/// Signs caller-given protected-header and payload bytes verbatim (no JSON
/// re-encoding) and writes the compact JWS into `out`. This is how RFC 7515
/// A.2, whose header and payload contain CRLF and spaces, is reproduced.
///
/// The header's `alg` is not inspected: the caller is responsible for it
/// matching the signer.
///
/// # Errors
/// `BufferTooSmall` with the exact length needed (checked before signing);
/// the signer's own errors.
pub fn sign_raw<S: JwsSigner + ?Sized>(
    signer: &mut S,
    protected_header: &[u8],
    payload: &[u8],
    out: &mut [u8],
) -> Result<usize> {
    let needed = sign_raw_len(
        protected_header.len(),
        payload.len(),
        signer.signature_len(),
    )?;
    if out.len() < needed {
        return Err(Error::BufferTooSmall { needed });
    }
    let h = base64url::encode(protected_header, out)?;
    let rest = out.get_mut(h..).ok_or(Error::BufferTooSmall { needed })?;
    let (dot, rest) = rest
        .split_first_mut()
        .ok_or(Error::BufferTooSmall { needed })?;
    *dot = b'.';
    let p = base64url::encode(payload, rest)?;
    append_signature(signer, out, h + 1 + p)
}

/// [`mint`] into a fixed-capacity `heapless::String<N>`.
///
/// # Errors
/// As [`mint`]; `BufferTooSmall` when `N` is too small.
pub fn mint_heapless<const N: usize, S: JwsSigner + ?Sized>(
    signer: &mut S,
    header: &HeaderTemplate,
    claims: &Claims<'_>,
) -> Result<heapless::String<N>> {
    let mut buf = [0u8; N];
    let n = mint(signer, header, claims, &mut buf)?;
    to_heapless(buf.get(..n).unwrap_or_default())
}

fn to_heapless<const N: usize>(bytes: &[u8]) -> Result<heapless::String<N>> {
    let s = core::str::from_utf8(bytes).map_err(|_| Error::InvalidUtf8)?;
    heapless::String::try_from(s).map_err(|_| Error::BufferTooSmall {
        needed: bytes.len(),
    })
}

/// [`mint`] into a `String` of exactly the right size.
///
/// # Errors
/// As [`mint`].
#[cfg(feature = "alloc")]
#[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
pub fn mint_string<S: JwsSigner + ?Sized>(
    signer: &mut S,
    header: &HeaderTemplate,
    claims: &Claims<'_>,
) -> Result<alloc::string::String> {
    let len = mint_len(header, claims, signer.signature_len())?;
    let mut buf = alloc::vec![0u8; len];
    let n = mint(signer, header, claims, &mut buf)?;
    buf.truncate(n);
    alloc::string::String::from_utf8(buf).map_err(|_| Error::InvalidUtf8)
}
