//! X.509 certificate thumbprints (`x5t`, `x5t#S256`) and the certificate /
//! key match check.

use core::ffi::c_char;

use super::key::jwtmint_key;
use super::panic::{guard, guard_out};
use super::result::jwtmint_result;
use super::util::{bytes, reference};
use crate::header::{X5T_LEN, X5T_S256_LEN};
use crate::keys::x509::CertThumbprints;

/// The two certificate thumbprints of the JOSE header, as NUL-terminated
/// Base64Url text of the raw digest (not hex), ready for
/// `jwtmint_header_options.x5t` / `.x5t_s256` and
/// `jwtmint_entra_options.thumbprint`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct jwtmint_thumbprints {
    /// `x5t`: Base64Url(SHA-1(DER)), 27 characters and a NUL.
    pub x5t: [c_char; 28],
    /// `x5t#S256`: Base64Url(SHA-256(DER)), 43 characters and a NUL.
    pub x5t_s256: [c_char; 44],
}

/// Parses a certificate given as DER (it starts with an ASN.1 SEQUENCE byte,
/// 0x30) or as PEM text (`-----BEGIN CERTIFICATE-----`; text before it is
/// ignored).
///
/// # Safety
/// `cert` must be NULL or valid for reads of `len` bytes.
unsafe fn parse(cert: *const u8, len: usize) -> Result<CertThumbprints, jwtmint_result> {
    // SAFETY: forwarded caller contract.
    let b = unsafe { bytes(cert, len) }?;
    let parsed = if b.first() == Some(&0x30) {
        CertThumbprints::from_der(b)
    } else {
        let text =
            core::str::from_utf8(b).map_err(|_| jwtmint_result::JWTMINT_RESULT_INVALID_UTF8)?;
        CertThumbprints::from_pem(text)
    };
    Ok(parsed?)
}

/// Copies `src` into `dst` and NUL-terminates it.
fn fill<const N: usize>(dst: &mut [c_char; N], src: &str) {
    for (d, s) in dst.iter_mut().zip(src.bytes().chain(core::iter::repeat(0))) {
        *d = s as c_char;
    }
}

/// Computes the `x5t` and `x5t#S256` thumbprints of the X.509 certificate
/// `cert` (`len` bytes, PEM or DER, told apart automatically) — the
/// certificate as uploaded to the provider, with an RSA, EC P-256/P-384/P-521
/// or Ed25519 key — into `*out` (written only on success).
///
/// Errors: `NULL_ARGUMENT`, `INVALID_UTF8` (not DER and not text),
/// `CERTIFICATE_MALFORMED`, `UNSUPPORTED_KEY_TYPE` (another key type),
/// `KEY_TOO_SMALL` / `KEY_TOO_LARGE` (RSA outside 2048..=8192 bits).
///
/// # Safety
/// `cert` must be NULL or valid for reads of `len` bytes; `out` NULL or valid
/// for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_cert_thumbprints(
    cert: *const u8,
    len: usize,
    out: *mut jwtmint_thumbprints,
) -> jwtmint_result {
    let thumbprints = || {
        // SAFETY: the caller promises `cert` is NULL or valid for `len` bytes.
        let t = unsafe { parse(cert, len) }?;
        debug_assert_eq!(t.x5t().len(), X5T_LEN);
        debug_assert_eq!(t.x5t_s256().len(), X5T_S256_LEN);
        let mut v = jwtmint_thumbprints {
            x5t: [0; 28],
            x5t_s256: [0; 44],
        };
        fill(&mut v.x5t, t.x5t());
        fill(&mut v.x5t_s256, t.x5t_s256());
        Ok(v)
    };
    // SAFETY: the caller promises `out` is NULL or valid for a write.
    unsafe { guard_out(out, thumbprints) }
}

/// Checks that the certificate `cert` (`len` bytes, PEM or DER) carries the
/// public half of `key` (any key type), so a wrong certificate is caught before the provider
/// answers "invalid signature". Returns `OK` when they match.
///
/// Errors: `NULL_ARGUMENT`, `INVALID_UTF8`, `CERTIFICATE_MALFORMED`,
/// `UNSUPPORTED_KEY_TYPE`, `KEY_TOO_SMALL`, `KEY_TOO_LARGE`,
/// `CERTIFICATE_KEY_MISMATCH`.
///
/// # Safety
/// `cert` must be NULL or valid for reads of `len` bytes; `key` NULL or a
/// live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_cert_check_key(
    cert: *const u8,
    len: usize,
    key: *const jwtmint_key,
) -> jwtmint_result {
    guard(|| {
        // SAFETY: the caller promises `key` is NULL or live.
        let k = unsafe { reference(key) }?;
        // SAFETY: the caller promises `cert` is NULL or valid for `len` bytes.
        let t = unsafe { parse(cert, len) }?;
        Ok(t.check_key(k.software()?)?)
    })
}
