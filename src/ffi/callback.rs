//! Minting with a caller-supplied signer (HSM, TPM, PKCS#11, cloud KMS).

use core::ffi::{c_int, c_void};

use super::claims::jwtmint_claims;
use super::header::{alg_from, jwtmint_header};
use super::mint::mint_into;
use super::panic::guard;
use super::result::jwtmint_result;
use super::util::{need, reference};
use crate::alg::{Algorithm, MAX_SIGNATURE_LEN};
use crate::error::{Error, Result};
use crate::signer::JwsSigner;

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

/// [`JwsSigner`] over a C callback.
struct CallbackSigner {
    f: unsafe extern "C" fn(*mut c_void, *const u8, usize, *mut u8, usize, *mut usize) -> c_int,
    ctx: *mut c_void,
    alg: Algorithm,
    sig_len: usize,
    callback_failed: bool,
}

impl JwsSigner for CallbackSigner {
    fn algorithm(&self) -> Algorithm {
        self.alg
    }

    fn signature_len(&self) -> usize {
        self.sig_len
    }

    fn sign(&mut self, signing_input: &[u8], signature: &mut [u8]) -> Result<usize> {
        let cap = signature.len();
        let mut written = usize::MAX;
        // SAFETY: the C caller promised `f` is a valid function for `ctx`;
        // the pointers are valid for the lengths passed, for the whole call.
        let rc = unsafe {
            (self.f)(
                self.ctx,
                signing_input.as_ptr(),
                signing_input.len(),
                signature.as_mut_ptr(),
                cap,
                &mut written,
            )
        };
        if rc != 0 {
            self.callback_failed = true;
            return Err(Error::Signing);
        }
        if written != self.sig_len || written > cap {
            return Err(Error::SignatureLength {
                expected: self.sig_len,
                actual: written,
            });
        }
        Ok(written)
    }
}

/// As `jwtmint_mint_with_header`, but the signature comes from `signer`'s
/// callback (see `jwtmint_sign_fn`), so the private key can stay in an HSM,
/// TPM, PKCS#11 token or cloud KMS. Length negotiation as in `jwtmint_mint`
/// (a too-small buffer is reported before the callback is called).
///
/// Errors, besides those of `jwtmint_mint`: `NULL_ARGUMENT` (NULL `sign`),
/// `INVALID_ARGUMENT` (unknown `alg`), `ALGORITHM_MISMATCH` (signer vs
/// template), `SIGNATURE_LENGTH` (`signature_len` is 0 or above 1024, or the
/// callback wrote another length), `CALLBACK_FAILED` (non-zero return).
///
/// # Safety
/// `signer` NULL or valid, its `sign` a function that is safe to call with
/// its `ctx` as described on `jwtmint_sign_fn`; the rest as
/// `jwtmint_mint_with_header`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_mint_with_signer(
    signer: *const jwtmint_signer,
    header: *const jwtmint_header,
    claims: *const jwtmint_claims,
    out: *mut u8,
    cap: usize,
    out_len: *mut usize,
) -> jwtmint_result {
    guard(|| {
        need(out_len)?;
        // SAFETY: the caller promises `signer` is NULL or valid.
        let s = unsafe { reference(signer) }?;
        // SAFETY: the caller promises `header` is NULL or live.
        let h = unsafe { reference(header) }?;
        // SAFETY: the caller promises `claims` is NULL or valid.
        let c = unsafe { reference(claims) }?;
        let f = s.sign.ok_or(jwtmint_result::JWTMINT_RESULT_NULL_ARGUMENT)?;
        let alg = alg_from(s.alg)?;
        if s.signature_len == 0 || s.signature_len > MAX_SIGNATURE_LEN {
            return Err(jwtmint_result::JWTMINT_RESULT_SIGNATURE_LENGTH);
        }
        let mut cb = CallbackSigner {
            f,
            ctx: s.ctx,
            alg,
            sig_len: s.signature_len,
            callback_failed: false,
        };
        // SAFETY: forwarded caller contract; `out_len` checked non-NULL.
        let r = unsafe { mint_into(&mut cb, &h.tpl, c, out, cap, out_len) };
        if cb.callback_failed {
            return Err(jwtmint_result::JWTMINT_RESULT_CALLBACK_FAILED);
        }
        r
    })
}
