//! Base64Url without padding (RFC 4648 §5, as JWS requires), into caller buffers.
//!
//! Decoding uses `base64ct`'s strict, constant-time codec. Encoding — which
//! only ever sees public bytes (JOSE header, claims, signature) — uses a
//! table-driven encoder that is about 2× faster than the constant-time one on
//! the hot path; it is checked byte-for-byte against `base64ct` in the tests
//! and the `base64url` fuzz target. Do not use [`encode`] for secrets.
//!
//! ```
//! let mut buf = [0u8; 8];
//! let n = jwtmint::base64url::encode(b"\xfb\xff", &mut buf).unwrap();
//! assert_eq!(&buf[..n], b"-_8");
//! assert_eq!(jwtmint::base64url::encoded_len(2), Ok(3));
//! ```

use base64ct::{Base64UrlUnpadded, Encoding};

use crate::error::{Error, Result};

/// Exact Base64Url (unpadded) length of `raw_len` input bytes.
pub const fn encoded_len(raw_len: usize) -> Result<usize> {
    let full = raw_len / 3;
    let rem = raw_len % 3;
    let Some(base) = full.checked_mul(4) else {
        return Err(Error::LengthOverflow);
    };
    let extra = match rem {
        0 => 0,
        1 => 2,
        _ => 3,
    };
    match base.checked_add(extra) {
        Some(n) => Ok(n),
        None => Err(Error::LengthOverflow),
    }
}

/// The RFC 4648 §5 alphabet.
const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Maps the low six bits of `v` to its Base64Url character.
#[inline(always)]
#[allow(clippy::indexing_slicing, clippy::cast_possible_truncation)]
fn sym(v: u32) -> u8 {
    // `& 63` keeps the index inside the 64-entry table: this cannot panic.
    ALPHABET[(v & 63) as usize]
}

/// [`sym`] for a `u64` lane.
#[inline(always)]
#[allow(clippy::cast_possible_truncation)]
fn sym64(v: u64) -> u8 {
    sym((v & 63) as u32)
}

/// Encodes `input` (public data only: table lookups are variable-time) into
/// `out`, returning the number of bytes written.
///
/// # Errors
/// `BufferTooSmall` with the exact length when `out` is too short.
pub fn encode(input: &[u8], out: &mut [u8]) -> Result<usize> {
    let needed = encoded_len(input.len())?;
    let out = out
        .get_mut(..needed)
        .ok_or(Error::BufferTooSmall { needed })?;
    // Bulk: 6 input bytes -> 8 output bytes per step, reading 8 at a time.
    let mut done_in = 0;
    let mut done_out = 0;
    while let (Some(word), Some(o)) = (
        input.get(done_in..done_in + 8),
        out.get_mut(done_out..done_out + 8),
    ) {
        let mut w = [0u8; 8];
        w.copy_from_slice(word);
        let n = u64::from_be_bytes(w);
        o.copy_from_slice(&[
            sym64(n >> 58),
            sym64(n >> 52),
            sym64(n >> 46),
            sym64(n >> 40),
            sym64(n >> 34),
            sym64(n >> 28),
            sym64(n >> 22),
            sym64(n >> 16),
        ]);
        done_in += 6;
        done_out += 8;
    }
    let input = input.get(done_in..).unwrap_or_default();
    let out = out.get_mut(done_out..).unwrap_or_default();
    let mut src = input.chunks_exact(3);
    let mut dst = out.chunks_exact_mut(4);
    for (i, o) in (&mut src).zip(&mut dst) {
        if let ([a, b, c], [w, x, y, z]) = (i, o) {
            let n = (u32::from(*a) << 16) | (u32::from(*b) << 8) | u32::from(*c);
            *w = sym(n >> 18);
            *x = sym(n >> 12);
            *y = sym(n >> 6);
            *z = sym(n);
        }
    }
    let tail = dst.into_remainder();
    match (src.remainder(), tail) {
        ([a], [w, x, ..]) => {
            let n = u32::from(*a) << 16;
            *w = sym(n >> 18);
            *x = sym(n >> 12);
        }
        ([a, b], [w, x, y, ..]) => {
            let n = (u32::from(*a) << 16) | (u32::from(*b) << 8);
            *w = sym(n >> 18);
            *x = sym(n >> 12);
            *y = sym(n >> 6);
        }
        _ => {}
    }
    Ok(needed)
}

/// Upper bound of the decoded length of `encoded_len` Base64Url characters.
pub const fn decoded_len_max(encoded_len: usize) -> usize {
    (encoded_len / 4) * 3 + (encoded_len % 4) * 3 / 4
}

/// Decodes strict Base64Url (no padding, URL alphabet only, canonical trailing
/// bits, no whitespace) into `out`, returning the decoded length.
///
/// # Errors
/// `BufferTooSmall` when `out` is too short; `InvalidBase64` for anything that is
/// not canonical unpadded Base64Url.
pub fn decode(input: &[u8], out: &mut [u8]) -> Result<usize> {
    let needed = decoded_len_max(input.len());
    if out.len() < needed {
        return Err(Error::BufferTooSmall { needed });
    }
    Base64UrlUnpadded::decode(input, out)
        .map(|s| s.len())
        .map_err(|_| Error::InvalidBase64)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn fast_encoder_matches_base64ct_for_every_length() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut input = [0u8; 700];
        for b in input.iter_mut() {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            *b = (seed >> 24) as u8;
        }
        let mut ours = [0u8; 1000];
        let mut reference = [0u8; 1000];
        for len in 0..=input.len() {
            let n = encode(&input[..len], &mut ours).unwrap();
            let r = Base64UrlUnpadded::encode(&input[..len], &mut reference).unwrap();
            assert_eq!(&ours[..n], r.as_bytes(), "len {len}");
            assert_eq!(encoded_len(len).unwrap(), n);
            // Exact-size output works, one byte less reports the exact need.
            if n > 0 {
                assert_eq!(
                    encode(&input[..len], &mut ours[..n - 1]),
                    Err(Error::BufferTooSmall { needed: n })
                );
            }
        }
    }

    #[test]
    fn length_overflow_is_an_error() {
        assert_eq!(encoded_len(usize::MAX), Err(Error::LengthOverflow));
    }
}
