//! The caller-supplied signer (HSM, TPM, PKCS#11, cloud KMS): the C types
//! (`jwtmint_signer`, `jwtmint_sign_fn`) and the callback as a key
//! ([`CallbackKey`], held by a `jwtmint_key` from
//! `jwtmint_key_new_from_signer`) and as a signer.

use core::ffi::{c_int, c_void};

use super::header::alg_from;
use super::result::jwtmint_result;
use crate::alg::{Algorithm, MAX_SIGNATURE_LEN};
use crate::error::{Error, Result};
use crate::signer::{JwsKey, JwsSigner};

/// A signing callback. jwtmint calls it once per mint, synchronously, on the
/// calling thread, with:
/// - `ctx`: the `ctx` of the `jwtmint_signer`, passed through untouched;
/// - `input`, `len`: the complete JWS **signing input**
///   `b64(header).b64(claims)` (ASCII), not a digest: the callback hashes it
///   (with the hash of the algorithm: SHA-256 for RS256/PS256/ES256/HS256,
///   none for EdDSA) or hands it to a device that does;
/// - `sig`, `cap`: where to write the raw signature; `cap` equals the
///   signer's `signature_len`;
/// - `sig_len`: where to store the number of bytes written, which must be
///   exactly `signature_len`.
///
/// Return 0 on success; any other value makes the mint fail with
/// `JWTMINT_RESULT_CALLBACK_FAILED`. A wrong `*sig_len` gives
/// `JWTMINT_RESULT_SIGNATURE_LENGTH`. The pointers are valid only during the
/// call. The callback must not unwind (no C++ exception, no `longjmp`) out
/// of itself; it may call any jwtmint function (e.g. `jwtmint_key_sign`).
pub type jwtmint_sign_fn = Option<
    unsafe extern "C" fn(
        ctx: *mut c_void,
        input: *const u8,
        len: usize,
        sig: *mut u8,
        cap: usize,
        sig_len: *mut usize,
    ) -> c_int,
>;

/// A caller-implemented signer: the library does all encoding, the callback
/// only produces the signature.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct jwtmint_signer {
    /// The callback (required, non-NULL).
    pub sign: jwtmint_sign_fn,
    /// Opaque pointer passed to every `sign` call (may be NULL).
    pub ctx: *mut c_void,
    /// The `jwtmint_alg` the callback signs with; must match the header's.
    pub alg: u32,
    /// Exact signature length in bytes, 1..=1024: the RSA modulus size (256
    /// for RSA-2048), 64 / 96 / 132 for ES256 / ES384 / ES512 (raw `r || s`),
    /// 64 for EdDSA, the hash size for HS*.
    pub signature_len: usize,
}

/// The callback signer as a key (`jwtmint_key_new_from_signer`): the
/// `jwtmint_signer` struct checked once, for its one algorithm.
#[derive(Debug)]
pub(crate) struct CallbackKey {
    f: unsafe extern "C" fn(*mut c_void, *const u8, usize, *mut u8, usize, *mut usize) -> c_int,
    ctx: *mut c_void,
    alg: Algorithm,
    sig_len: usize,
}

// SAFETY: the key only hands `ctx` back to the caller's callback; the C
// contract (`jwtmint_key_new_from_signer`) makes the callback safe to call
// from any thread that uses the handle, concurrently when the handle is
// shared, exactly as a software key is.
unsafe impl Send for CallbackKey {}
// SAFETY: as for `Send`: no interior state, `ctx` is the caller's.
unsafe impl Sync for CallbackKey {}

impl CallbackKey {
    /// Checks `s`: a non-NULL `sign`, a known `alg`, a `signature_len` of
    /// 1..=1024.
    pub(crate) fn new(s: &jwtmint_signer) -> core::result::Result<Self, jwtmint_result> {
        let f = s.sign.ok_or(jwtmint_result::JWTMINT_RESULT_NULL_ARGUMENT)?;
        let alg = alg_from(s.alg)?;
        if s.signature_len == 0 || s.signature_len > MAX_SIGNATURE_LEN {
            return Err(jwtmint_result::JWTMINT_RESULT_SIGNATURE_LENGTH);
        }
        Ok(Self {
            f,
            ctx: s.ctx,
            alg,
            sig_len: s.signature_len,
        })
    }

    /// The one algorithm the callback signs with.
    pub(crate) const fn algorithm(&self) -> Algorithm {
        self.alg
    }

    /// The exact signature length the callback writes.
    pub(crate) const fn signature_len(&self) -> usize {
        self.sig_len
    }
}

impl JwsKey for CallbackKey {
    type Signer<'k> = CallbackSigner<'k>;

    /// `UnsupportedAlgorithm` for any `alg` but the callback's.
    fn signer(&self, alg: Algorithm) -> Result<CallbackSigner<'_>> {
        if alg != self.alg {
            return Err(Error::UnsupportedAlgorithm);
        }
        Ok(CallbackSigner {
            key: self,
            callback_failed: false,
        })
    }
}

/// [`JwsSigner`] over a C callback.
#[derive(Debug)]
pub(crate) struct CallbackSigner<'k> {
    key: &'k CallbackKey,
    callback_failed: bool,
}

impl CallbackSigner<'_> {
    /// Whether this signer's callback returned non-zero.
    pub(crate) const fn failed(&self) -> bool {
        self.callback_failed
    }
}

impl JwsSigner for CallbackSigner<'_> {
    fn algorithm(&self) -> Algorithm {
        self.key.alg
    }

    fn signature_len(&self) -> usize {
        self.key.sig_len
    }

    fn sign(&mut self, signing_input: &[u8], signature: &mut [u8]) -> Result<usize> {
        let cap = signature.len();
        let mut written = usize::MAX;
        super::callback_failure::set(false);
        // SAFETY: the C caller promised `f` is a valid function for `ctx`;
        // the pointers are valid for the lengths passed, for the whole call.
        let rc = unsafe {
            (self.key.f)(
                self.key.ctx,
                signing_input.as_ptr(),
                signing_input.len(),
                signature.as_mut_ptr(),
                cap,
                &mut written,
            )
        };
        if rc != 0 {
            self.callback_failed = true;
            super::callback_failure::set(true);
            return Err(Error::Signing);
        }
        if written != self.key.sig_len || written > cap {
            return Err(Error::SignatureLength {
                expected: self.key.sig_len,
                actual: written,
            });
        }
        Ok(written)
    }
}
