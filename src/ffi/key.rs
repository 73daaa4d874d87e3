//! The opaque private-key handle (RSA, EC, Ed25519, HMAC secret).

use alloc::boxed::Box;

use super::header::alg_from;
use super::panic::guard;
use super::result::jwtmint_result;
use super::util::{array, bytes, need, out_buf, reference, write_out};
use crate::alg::Algorithm;
use crate::keys::SigningKey;
use crate::signer::JwsSigner;

/// A private key — RSA (2048 to 8192 bits), EC P-256/P-384/P-521, Ed25519 —
/// or an HMAC secret, parsed once (opaque). Its type must match the
/// algorithm it signs with (`KEY_ALGORITHM_MISMATCH` otherwise).
///
/// Immutable after creation: one `const jwtmint_key *` may be used by any
/// number of threads at the same time without locking (every signature
/// borrows it read-only; blinding randomness comes from the OS per call).
/// Free it once, with `jwtmint_key_free`, after every user is done. Key
/// material is zeroised when freed.
pub struct jwtmint_key {
    pub(crate) key: SigningKey,
}

impl jwtmint_key {
    /// A signer for `alg` over this key (RSA blinded with the OS RNG),
    /// `KEY_ALGORITHM_MISMATCH` when the key's type cannot sign `alg`.
    pub(crate) fn signer(
        &self,
        alg: Algorithm,
    ) -> crate::error::Result<crate::keys::KeySigner<'_>> {
        self.key.signer(alg)
    }
}

/// Boxes a parsed key into `*out`.
///
/// # Safety
/// `out` must be non-NULL and valid for a write.
pub(crate) unsafe fn store(
    parsed: crate::error::Result<SigningKey>,
    out: *mut *mut jwtmint_key,
) -> Result<(), jwtmint_result> {
    let key = parsed?;
    let raw = Box::into_raw(Box::new(jwtmint_key { key }));
    // SAFETY: forwarded contract: `out` is non-NULL and writable.
    unsafe { write_out(out, raw) };
    Ok(())
}

/// Parses a PEM private key: PKCS#8 (`-----BEGIN PRIVATE KEY-----`: RSA, EC
/// P-256/P-384/P-521, Ed25519), PKCS#1 (`-----BEGIN RSA PRIVATE KEY-----`)
/// or SEC1 (`-----BEGIN EC PRIVATE KEY-----`), `len` bytes at `pem` (no NUL needed,
/// a counted NUL is fine; text before the BEGIN line is ignored, after the
/// END line only whitespace is allowed). On success `*out` receives a new
/// key handle, to be freed with `jwtmint_key_free`.
///
/// Errors: `NULL_ARGUMENT`, `KEY_IS_DER` (DER bytes: use
/// `jwtmint_key_new_from_der`), `INVALID_UTF8`, `KEY_MALFORMED`,
/// `UNSUPPORTED_PEM_LABEL`, `ENCRYPTED_KEY` (PKCS#8 or legacy
/// `Proc-Type: 4,ENCRYPTED`), `UNSUPPORTED_KEY_TYPE`, `KEY_TOO_SMALL`,
/// `KEY_TOO_LARGE`.
///
/// # Safety
/// `pem` must be NULL or valid for reads of `len` bytes; `out` NULL or valid
/// for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_key_new_from_pem(
    pem: *const u8,
    len: usize,
    out: *mut *mut jwtmint_key,
) -> jwtmint_result {
    guard(|| {
        need(out)?;
        // SAFETY: the caller promises `pem` is NULL or valid for `len` bytes.
        let b = unsafe { bytes(pem, len) }?;
        let text = crate::keys::pem::text(b)?;
        // SAFETY: `out` checked non-NULL; the caller promises it is writable.
        unsafe { store(SigningKey::from_pem(text), out) }
    })
}

/// An HMAC secret (`len` raw bytes, at least 32; HS384/HS512 need 48/64)
/// as a key for HS256/HS384/HS512 (`client_secret_jwt`). On success `*out`
/// receives a new key handle, to be freed with `jwtmint_key_free`.
///
/// Errors: `NULL_ARGUMENT`, `KEY_TOO_SMALL`.
///
/// # Safety
/// `secret` must be NULL or valid for reads of `len` bytes; `out` NULL or
/// valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_key_new_from_hmac_secret(
    secret: *const u8,
    len: usize,
    out: *mut *mut jwtmint_key,
) -> jwtmint_result {
    guard(|| {
        need(out)?;
        // SAFETY: the caller promises `secret` is NULL or valid for `len` bytes.
        let b = unsafe { bytes(secret, len) }?;
        // SAFETY: `out` checked non-NULL; the caller promises it is writable.
        unsafe { store(SigningKey::from_hmac_secret(b), out) }
    })
}

/// Parses a DER private key, PKCS#8 `PrivateKeyInfo` (RSA, EC, Ed25519),
/// SEC1 `ECPrivateKey` or PKCS#1
/// `RSAPrivateKey` (told apart by structure). On success `*out` receives a
/// new key handle, to be freed with `jwtmint_key_free`.
///
/// Errors: as `jwtmint_key_new_from_pem`, without `KEY_IS_DER`,
/// `INVALID_UTF8` and `UNSUPPORTED_PEM_LABEL`.
///
/// # Safety
/// `der` must be NULL or valid for reads of `len` bytes; `out` NULL or valid
/// for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_key_new_from_der(
    der: *const u8,
    len: usize,
    out: *mut *mut jwtmint_key,
) -> jwtmint_result {
    guard(|| {
        need(out)?;
        // SAFETY: the caller promises `der` is NULL or valid for `len` bytes.
        let b = unsafe { bytes(der, len) }?;
        // SAFETY: `out` checked non-NULL; the caller promises it is writable.
        unsafe { store(SigningKey::from_der(b), out) }
    })
}

/// Frees a key handle (zeroising the key). NULL is a no-op.
///
/// # Safety
/// `key` must be NULL or a handle from `jwtmint_key_new_from_*` that was not
/// freed yet and that no other thread is still using.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_key_free(key: *mut jwtmint_key) {
    let _ = guard(|| {
        if !key.is_null() {
            // SAFETY: the caller promises it came from `Box::into_raw` in
            // `store` and is freed exactly once.
            drop(unsafe { Box::from_raw(key) });
        }
        Ok(())
    });
}

/// Writes the key size in bits into `*bits`: the RSA modulus size
/// (2048..=8192), 256 / 384 / 521 for EC P-256 / P-384 / P-521, 256 for
/// Ed25519, 8 x the secret's length for HMAC.
///
/// # Safety
/// `key` must be NULL or a live handle; `bits` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_key_bits(
    key: *const jwtmint_key,
    bits: *mut usize,
) -> jwtmint_result {
    guard(|| {
        need(bits)?;
        // SAFETY: the caller promises `key` is NULL or live.
        let k = unsafe { reference(key) }?;
        // SAFETY: `bits` is non-NULL and the caller promises it is writable.
        unsafe { write_out(bits, k.key.bits()) };
        Ok(())
    })
}

/// Writes the signature length in bytes into `*len`: the modulus size for
/// RSA (256 for RSA-2048), 64 / 96 / 132 for P-256 / P-384 / P-521, 64 for
/// Ed25519, 64 for an HMAC key (the longest, HS512; HS256 / HS384 write
/// 32 / 48 bytes, reported by `jwtmint_key_sign`'s `*sig_len`).
///
/// # Safety
/// `key` must be NULL or a live handle; `len` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_key_signature_len(
    key: *const jwtmint_key,
    len: *mut usize,
) -> jwtmint_result {
    guard(|| {
        need(len)?;
        // SAFETY: the caller promises `key` is NULL or live.
        let k = unsafe { reference(key) }?;
        // SAFETY: `len` is non-NULL and the caller promises it is writable.
        unsafe { write_out(len, k.key.signature_len()) };
        Ok(())
    })
}

/// Signs `input` (`len` bytes, typically a JWS signing input
/// `b64(header).b64(payload)`; it is hashed here with `alg`'s hash) with `alg`
/// (a `jwtmint_alg`), writing the raw signature (`jwtmint_key_signature_len`
/// bytes) into `sig`. `*sig_len` gets its length; if `cap` is too small,
/// returns `BUFFER_TOO_SMALL` with the required length in `*sig_len`.
///
/// This is the building block for a signer callback backed by a jwtmint key.
///
/// # Safety
/// `key` must be NULL or a live handle; `input` NULL (with `len == 0`) or
/// valid for `len` bytes; `sig` NULL (with `cap == 0`) or valid for `cap`
/// bytes; `sig_len` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_key_sign(
    key: *const jwtmint_key,
    alg: u32,
    input: *const u8,
    len: usize,
    sig: *mut u8,
    cap: usize,
    sig_len: *mut usize,
) -> jwtmint_result {
    guard(|| {
        need(sig_len)?;
        // SAFETY: the caller promises `key` is NULL or live.
        let k = unsafe { reference(key) }?;
        let alg = alg_from(alg)?;
        // SAFETY: the caller promises `input` is NULL (len 0) or valid for `len` bytes.
        let input = unsafe { array(input, len) }?;
        let mut signer = k.signer(alg)?;
        let needed = signer.signature_len();
        // NULL with a non-zero capacity is NULL_ARGUMENT before any length
        // answer (the one rule, see ffi/mod.rs); NULL with 0 is a preflight.
        // SAFETY: the caller promises `sig` is NULL or valid for `cap` bytes.
        let out = unsafe { out_buf(sig, cap) }?;
        if cap < needed {
            // SAFETY: `sig_len` is non-NULL and the caller promises it is writable.
            unsafe { write_out(sig_len, needed) };
            return Err(jwtmint_result::JWTMINT_RESULT_BUFFER_TOO_SMALL);
        }
        let n = signer.sign(input, out)?;
        // SAFETY: `sig_len` is non-NULL and the caller promises it is writable.
        unsafe { write_out(sig_len, n) };
        Ok(())
    })
}

/// Compile-time proof of the documented thread-safety: both handles are
/// `Send + Sync`, so a `const` pointer to one may be used from many threads.
const _: () = {
    const fn send_sync<T: Send + Sync>() {}
    send_sync::<jwtmint_key>();
    send_sync::<super::header::jwtmint_header>();
};
