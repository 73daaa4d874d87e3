//! Key constructors for the key formats of `keys::formats`: encrypted PKCS#8
//! with a passphrase, private JWKs (with their `kid`), PKCS#12 (with its
//! certificate). They make the same `jwtmint_key` handle as
//! `jwtmint_key_new_from_pem`.

use super::key::{jwtmint_key, new_key};
use super::result::jwtmint_result;
use super::util::{array, bytes, copy_to, finish_len, out_buf, utf8};
use crate::keys::SigningKey;
use crate::keys::formats::PrivateJwk;

/// The body of `jwtmint_key_new_from_{pem,der}_with_passphrase`: `load`
/// reads the key from the `len` bytes at `data` and the passphrase.
///
/// # Safety
/// As `jwtmint_key_new_from_pem_with_passphrase`.
unsafe fn with_passphrase(
    data: *const u8,
    len: usize,
    pass: *const u8,
    pass_len: usize,
    out: *mut *mut jwtmint_key,
    load: impl FnOnce(&[u8], &[u8]) -> crate::error::Result<SigningKey>,
) -> jwtmint_result {
    let parse = || {
        // SAFETY: the caller promises `data` is NULL or valid for `len` bytes.
        let b = unsafe { bytes(data, len) }?;
        // SAFETY: the caller promises `pass` is NULL (len 0) or valid.
        let pass = unsafe { array(pass, pass_len) }?;
        Ok(load(b, pass)?)
    };
    // SAFETY: the caller promises `out` is NULL or valid for a write.
    unsafe { new_key(out, parse) }
}

/// Parses a PEM private key that may be encrypted: an `ENCRYPTED PRIVATE
/// KEY` (PKCS#8, PBES2 with PBKDF2 or scrypt and AES, as `openssl pkcs8
/// -topk8 -v2 aes-256-cbc` or `-scrypt` writes) is decrypted with the
/// `pass_len` bytes at `pass` (exactly those bytes: no NUL, no newline); an
/// unencrypted key loads as with `jwtmint_key_new_from_pem`. `pass` may be
/// NULL when `pass_len` is 0. The passphrase is only read, never kept; the
/// decrypted key is zeroised when freed. On success `*out` receives a new key
/// handle, to be freed with `jwtmint_key_free`.
///
/// Errors: as `jwtmint_key_new_from_pem`, plus `WRONG_PASSPHRASE`,
/// `UNSUPPORTED_KEY_ENCRYPTION` (PBES1, a SHA-1 PRF, KDF cost above the
/// caps); a legacy `Proc-Type: 4,ENCRYPTED` PEM stays `ENCRYPTED_KEY`.
///
/// # Safety
/// `pem` NULL or valid for reads of `len` bytes; `pass` NULL (with
/// `pass_len == 0`) or valid for `pass_len` bytes; `out` NULL or valid for a
/// write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_key_new_from_pem_with_passphrase(
    pem: *const u8,
    len: usize,
    pass: *const u8,
    pass_len: usize,
    out: *mut *mut jwtmint_key,
) -> jwtmint_result {
    let load = |b: &[u8], pass: &[u8]| {
        SigningKey::from_pem_with_passphrase(crate::keys::pem::text(b)?, pass)
    };
    // SAFETY: forwarded caller contract.
    unsafe { with_passphrase(pem, len, pass, pass_len, out, load) }
}

/// DER form of `jwtmint_key_new_from_pem_with_passphrase`: an
/// `EncryptedPrivateKeyInfo` is decrypted; PKCS#8 and PKCS#1 load as with
/// `jwtmint_key_new_from_der`.
///
/// # Safety
/// As `jwtmint_key_new_from_pem_with_passphrase`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_key_new_from_der_with_passphrase(
    der: *const u8,
    len: usize,
    pass: *const u8,
    pass_len: usize,
    out: *mut *mut jwtmint_key,
) -> jwtmint_result {
    // SAFETY: forwarded caller contract.
    unsafe {
        with_passphrase(
            der,
            len,
            pass,
            pass_len,
            out,
            SigningKey::from_der_with_passphrase,
        )
    }
}

/// Parses a private JWK (`len` bytes of JSON at `json`, UTF-8): `RSA` with
/// every CRT member (`n e d p q dp dq qi`, checked for consistency), `EC`
/// (`P-256`/`P-384`/`P-521`: `d x y`) and `OKP` `Ed25519` (`d x`) once this
/// build signs with them, `oct` once it has HMAC keys (else
/// `UNSUPPORTED_KEY_TYPE`). On success `*out` receives a new key handle.
///
/// The JWK's `kid` (decoded; empty when absent) is written to `kid_buf`
/// (`kid_cap` bytes, no NUL) with its length in `*kid_len`; pass
/// `kid_len == NULL` to ignore it. If `kid_cap` is too small the function
/// returns `BUFFER_TOO_SMALL` with the length in `*kid_len` and creates no
/// key (retry with a larger buffer); NULL `kid_buf` with `kid_cap == 0` is a
/// preflight, with `kid_cap > 0` `NULL_ARGUMENT`.
///
/// Errors: `NULL_ARGUMENT`, `INVALID_UTF8`, the JSON codes (`INVALID_JSON`,
/// `DUPLICATE_MEMBER`, `NOT_JSON_OBJECT`, `JSON_TOO_DEEP`,
/// `INVALID_MEMBER_TYPE`), `JWK_MEMBER` (a member missing, of the wrong
/// length or inconsistent; `use`/`key_ops` not for signing),
/// `INVALID_BASE64`, `UNSUPPORTED_KEY_TYPE`, `KEY_TOO_SMALL`, `KEY_TOO_LARGE`,
/// `BUFFER_TOO_SMALL` (kid).
///
/// # Safety
/// `json` NULL or valid for `len` bytes; `out` NULL or valid for a write;
/// `kid_buf` NULL (with `kid_cap == 0`) or valid for `kid_cap` bytes;
/// `kid_len` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_key_new_from_jwk(
    json: *const u8,
    len: usize,
    out: *mut *mut jwtmint_key,
    kid_buf: *mut u8,
    kid_cap: usize,
    kid_len: *mut usize,
) -> jwtmint_result {
    // SAFETY: forwarded caller contract (`kid_buf`, `json`, `kid_len`, `out`).
    unsafe {
        new_key(out, || {
            let kid_out = out_buf(kid_buf, kid_cap)?;
            let jwk = PrivateJwk::parse(utf8(json, len)?)?;
            let key = jwk.signing_key()?;
            copy_out(jwk.kid().unwrap_or_default().as_bytes(), kid_out, kid_len)?;
            Ok(key)
        })
    }
}

/// Loads the private key and its certificate from a PKCS#12 file (`.p12`,
/// `.pfx`; `len` bytes of DER at `p12`) protected by the `pass_len` bytes at
/// `pass` (UTF-8). Reads OpenSSL 3's default (PBES2, AES-256-CBC,
/// HMAC-SHA-256 MAC), `openssl pkcs12 -legacy` and Windows exports (3DES
/// key bag, RC2-40 certificate bag, HMAC-SHA-1 MAC). On success `*out`
/// receives a new key handle.
///
/// The certificate whose public key is the key's (DER) is written to
/// `cert_buf` (`cert_cap` bytes) with its length in `*cert_len` (0 when the
/// file has no certificate); pass `cert_len == NULL` to ignore it. Feed it
/// to `jwtmint_cert_thumbprints` for `x5t#S256`. If `cert_cap` is too small
/// the function returns `BUFFER_TOO_SMALL` with the length in `*cert_len`
/// and creates no key; NULL `cert_buf` with `cert_cap == 0` is a preflight.
///
/// Errors: `NULL_ARGUMENT`, `INVALID_UTF8` (passphrase), `WRONG_PASSPHRASE`
/// (MAC or decryption fails), `UNSUPPORTED_KEY_ENCRYPTION`,
/// `KEY_MALFORMED` (not PKCS#12, no key, two keys), `CERTIFICATE_MALFORMED`,
/// `CERTIFICATE_KEY_MISMATCH` (no certificate belongs to the key), the key
/// errors of `jwtmint_key_new_from_der`, `BUFFER_TOO_SMALL` (certificate).
///
/// # Safety
/// `p12` NULL or valid for `len` bytes; `pass` NULL (with `pass_len == 0`)
/// or valid for `pass_len` bytes; `out` NULL or valid for a write;
/// `cert_buf` NULL (with `cert_cap == 0`) or valid for `cert_cap` bytes;
/// `cert_len` NULL or valid for a write.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn jwtmint_key_new_from_pkcs12(
    p12: *const u8,
    len: usize,
    pass: *const u8,
    pass_len: usize,
    out: *mut *mut jwtmint_key,
    cert_buf: *mut u8,
    cert_cap: usize,
    cert_len: *mut usize,
) -> jwtmint_result {
    // SAFETY: forwarded caller contract (`cert_buf`, `p12`, `pass`,
    // `cert_len`, `out`).
    unsafe {
        new_key(out, || {
            let cert_out = out_buf(cert_buf, cert_cap)?;
            let b = bytes(p12, len)?;
            let pass = core::str::from_utf8(array(pass, pass_len)?)
                .map_err(|_| jwtmint_result::JWTMINT_RESULT_INVALID_UTF8)?;
            let loaded = SigningKey::from_pkcs12(b, pass)?;
            let cert = loaded.certificate_der.as_deref().unwrap_or_default();
            copy_out(cert, cert_out, cert_len)?;
            Ok(loaded.key)
        })
    }
}

/// Copies `src` into `dst` under the writer rules when `len` is non-NULL
/// (length in `*len`; `BUFFER_TOO_SMALL` with the needed length).
///
/// # Safety
/// `len` NULL or valid for a write.
unsafe fn copy_out(src: &[u8], dst: &mut [u8], len: *mut usize) -> Result<(), jwtmint_result> {
    if len.is_null() {
        return Ok(());
    }
    // SAFETY: `len` is non-NULL; forwarded caller contract.
    unsafe { finish_len(copy_to(src, dst), len) }
}
