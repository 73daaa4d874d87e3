//! The opaque private-key handle (RSA, EC, Ed25519, HMAC secret, or the
//! caller's signer callback), a [`JwsKey`] through [`KeyRef`].

use super::callback_key::{CallbackKey, CallbackSigner, jwtmint_signer};
use super::header::alg_from;
use super::panic::{free_handle, guard, guard_new, guard_out};
use super::result::jwtmint_result;
use super::util::{array, bytes, need, out_buf, reference, write_out};
use crate::alg::Algorithm;
use crate::keys::{KeySigner, SigningKey};
use crate::signer::{JwsKey, JwsSigner};

/// A private key — RSA (2048 to 8192 bits), EC P-256/P-384/P-521, Ed25519 —
/// or an HMAC secret, parsed once (opaque); or a caller's signer callback
/// (`jwtmint_key_new_from_signer`: an HSM, TPM, PKCS#11 token or cloud KMS).
/// Its type must match the algorithm it signs with
/// (`KEY_ALGORITHM_MISMATCH` otherwise; a callback key signs its one
/// algorithm, `UNSUPPORTED_ALGORITHM` for another).
///
/// Immutable after creation: one `const jwtmint_key *` may be used by any
/// number of threads at the same time without locking (every signature
/// borrows it read-only; blinding randomness comes from the OS per call).
/// Free it once, with `jwtmint_key_free`, after every user is done. Key
/// material is zeroised when freed.
pub struct jwtmint_key {
    inner: Handle,
}

/// What a key handle holds (boxed already: the handle is one allocation).
#[allow(clippy::large_enum_variant)]
enum Handle {
    /// A key parsed by the library.
    Software(SigningKey),
    /// The caller's signer callback.
    Callback(CallbackKey),
}

/// A borrowed key handle as a [`JwsKey`]: what profiles and sessions sign
/// with, a parsed key or a callback alike.
#[derive(Clone, Copy, Debug)]
pub(crate) enum KeyRef<'a> {
    /// A key parsed by the library (also a Google or Box profile's own).
    Software(&'a SigningKey),
    /// The caller's signer callback.
    Callback(&'a CallbackKey),
}

/// The signer a key handle makes (on the stack per mint, as `KeySigner`).
#[derive(Debug)]
#[allow(clippy::large_enum_variant)]
pub(crate) enum HandleSigner<'k> {
    /// Over a parsed key.
    Software(KeySigner<'k>),
    /// Over the caller's callback.
    Callback(CallbackSigner<'k>),
}

impl JwsSigner for HandleSigner<'_> {
    fn algorithm(&self) -> Algorithm {
        match self {
            Self::Software(s) => s.algorithm(),
            Self::Callback(s) => s.algorithm(),
        }
    }

    fn signature_len(&self) -> usize {
        match self {
            Self::Software(s) => s.signature_len(),
            Self::Callback(s) => s.signature_len(),
        }
    }

    fn sign(&mut self, signing_input: &[u8], signature: &mut [u8]) -> crate::error::Result<usize> {
        match self {
            Self::Software(s) => {
                super::callback_failure::set(false);
                s.sign(signing_input, signature)
            }
            Self::Callback(s) => s.sign(signing_input, signature),
        }
    }
}

impl JwsKey for KeyRef<'_> {
    type Signer<'k>
        = HandleSigner<'k>
    where
        Self: 'k;

    fn signer(&self, alg: Algorithm) -> crate::error::Result<HandleSigner<'_>> {
        match *self {
            Self::Software(k) => k.signer(alg).map(HandleSigner::Software),
            Self::Callback(k) => k.signer(alg).map(HandleSigner::Callback),
        }
    }

    /// A parsed key's fingerprint; a callback key has none (sessions tell
    /// it apart by profile).
    fn fingerprint(&self) -> Option<[u8; 32]> {
        match *self {
            Self::Software(k) => JwsKey::fingerprint(k),
            Self::Callback(_) => None,
        }
    }
}

impl jwtmint_key {
    /// This handle as a [`JwsKey`].
    pub(crate) const fn as_key(&self) -> KeyRef<'_> {
        match &self.inner {
            Handle::Software(k) => KeyRef::Software(k),
            Handle::Callback(k) => KeyRef::Callback(k),
        }
    }

    /// The parsed key, for what needs the key itself (a certificate match,
    /// a public-key fingerprint at profile build): `UNSUPPORTED_KEY_TYPE`
    /// for a callback key.
    pub(crate) const fn software(&self) -> Result<&SigningKey, jwtmint_result> {
        match &self.inner {
            Handle::Software(k) => Ok(k),
            Handle::Callback(_) => Err(jwtmint_result::JWTMINT_RESULT_UNSUPPORTED_KEY_TYPE),
        }
    }

    /// A signer for `alg` over this key (RSA blinded with the OS RNG),
    /// `KEY_ALGORITHM_MISMATCH` when the key's type cannot sign `alg`.
    pub(crate) fn signer(&self, alg: Algorithm) -> crate::error::Result<HandleSigner<'_>> {
        match &self.inner {
            Handle::Software(k) => k.signer(alg).map(HandleSigner::Software),
            Handle::Callback(k) => k.signer(alg).map(HandleSigner::Callback),
        }
    }

    /// Key size in bits (a callback key: 8 x its signature length for
    /// RSA and HMAC, the curve size for ECDSA and EdDSA).
    fn bits(&self) -> usize {
        match &self.inner {
            Handle::Software(k) => k.bits(),
            Handle::Callback(k) => match k.algorithm() {
                Algorithm::Es256 | Algorithm::EdDsa => 256,
                Algorithm::Es384 => 384,
                Algorithm::Es512 => 521,
                _ => k.signature_len().saturating_mul(8),
            },
        }
    }

    /// The (longest) signature length.
    fn signature_len(&self) -> usize {
        match &self.inner {
            Handle::Software(k) => k.signature_len(),
            Handle::Callback(k) => k.signature_len(),
        }
    }
}

/// The body of every software-key constructor: `out` is checked first
/// (`NULL_ARGUMENT`), then `parse` reads and parses the key, which goes
/// into a new handle in `*out` (written only on success).
///
/// # Safety
/// `out` NULL or valid for a write.
pub(crate) unsafe fn new_key<F>(out: *mut *mut jwtmint_key, parse: F) -> jwtmint_result
where
    F: FnOnce() -> Result<SigningKey, jwtmint_result>,
{
    let inner = || {
        Ok(jwtmint_key {
            inner: Handle::Software(parse()?),
        })
    };
    // SAFETY: forwarded caller contract.
    unsafe { guard_new(out, inner) }
}

/// [`new_key`] of the key `parse` reads from the `len` bytes at `data`.
///
/// # Safety
/// `data` NULL or valid for reads of `len` bytes; `out` NULL or valid for a
/// write.
unsafe fn new_key_from(
    data: *const u8,
    len: usize,
    out: *mut *mut jwtmint_key,
    parse: fn(&[u8]) -> crate::error::Result<SigningKey>,
) -> jwtmint_result {
    // SAFETY: forwarded caller contract.
    unsafe { new_key(out, || Ok(parse(bytes(data, len)?)?)) }
}

/// A PEM key: its text, then [`SigningKey::from_pem`].
fn from_pem(b: &[u8]) -> crate::error::Result<SigningKey> {
    SigningKey::from_pem(crate::keys::pem::text(b)?)
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
    // SAFETY: forwarded caller contract.
    unsafe { new_key_from(pem, len, out, from_pem) }
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
    // SAFETY: forwarded caller contract.
    unsafe { new_key_from(secret, len, out, SigningKey::from_hmac_secret) }
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
    // SAFETY: forwarded caller contract.
    unsafe { new_key_from(der, len, out, SigningKey::from_der) }
}

/// A key handle over the caller's signer callback (see `jwtmint_signer`
/// and `jwtmint_sign_fn`): the private key stays in the HSM, TPM, PKCS#11
/// token or cloud KMS, and the handle works wherever a key handle does —
/// `jwtmint_mint`, every profile mint, `jwtmint_session_new`. The struct
/// is copied; `ctx` must stay valid until the handle is freed. The handle
/// signs `signer->alg` only (`UNSUPPORTED_ALGORITHM` for a profile or
/// header of another algorithm). A non-zero return of the callback makes
/// the mint fail with `CALLBACK_FAILED`.
///
/// Like every key handle it may be used from several threads at once; the
/// callback is then called concurrently with the same `ctx`, so it must be
/// safe for that (or the caller keeps the handle to one thread).
///
/// What needs the key itself refuses a callback key with
/// `UNSUPPORTED_KEY_TYPE`: `jwtmint_cert_check_key`, and the profiles that
/// read the public key when they are built (Snowflake's fingerprint).
///
/// Errors: `NULL_ARGUMENT` (NULL `signer`, `signer->sign` or `out`),
/// `INVALID_ARGUMENT` (unknown `alg`), `SIGNATURE_LENGTH`
/// (`signature_len` 0 or above 1024).
///
/// # Safety
/// `signer` NULL or valid, its `sign` a function that is safe to call with
/// its `ctx` as described on `jwtmint_sign_fn`, for as long as the handle
/// lives; `out` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_key_new_from_signer(
    signer: *const jwtmint_signer,
    out: *mut *mut jwtmint_key,
) -> jwtmint_result {
    let make = || {
        // SAFETY: the caller promises `signer` is NULL or valid.
        let key = CallbackKey::new(unsafe { reference(signer) }?)?;
        Ok(jwtmint_key {
            inner: Handle::Callback(key),
        })
    };
    // SAFETY: the caller promises `out` is NULL or valid for a write.
    unsafe { guard_new(out, make) }
}

/// Frees a key handle (zeroising the key). NULL is a no-op.
///
/// # Safety
/// `key` must be NULL or a handle from `jwtmint_key_new_from_*` that was not
/// freed yet and that no other thread is still using.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_key_free(key: *mut jwtmint_key) {
    // SAFETY: forwarded caller contract (a handle from `guard_new`, freed once).
    unsafe { free_handle(key) }
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
    // SAFETY: the caller promises `key` is NULL or live.
    let size = || Ok(unsafe { reference(key) }?.bits());
    // SAFETY: the caller promises `bits` is NULL or valid for a write.
    unsafe { guard_out(bits, size) }
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
    // SAFETY: the caller promises `key` is NULL or live.
    let size = || Ok(unsafe { reference(key) }?.signature_len());
    // SAFETY: the caller promises `len` is NULL or valid for a write.
    unsafe { guard_out(len, size) }
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
