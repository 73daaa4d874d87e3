//! Base64Url without padding (RFC 4648 §5, as JWS requires), into caller buffers.
//!
//! A thin, length-checked front over `base64ct`'s constant-time codec.
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

/// Encodes `input` into `out`, returning the number of bytes written.
///
/// # Errors
/// `BufferTooSmall` with the exact length when `out` is too short.
pub fn encode(input: &[u8], out: &mut [u8]) -> Result<usize> {
    let needed = encoded_len(input.len())?;
    let dst = out
        .get_mut(..needed)
        .ok_or(Error::BufferTooSmall { needed })?;
    Base64UrlUnpadded::encode(input, dst)
        .map(str::len)
        .map_err(|_| Error::BufferTooSmall { needed })
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
