//! A caller-supplied signer (HSM, TPM, PKCS#11, cloud KMS): minting with
//! it directly (`jwtmint_mint_with_signer`), or as a key handle
//! (`jwtmint_key_new_from_signer`, ffi/key.rs) wherever a key is taken.

use super::callback_key::{CallbackKey, jwtmint_signer};
use super::claims::jwtmint_claims;
use super::header::jwtmint_header;
use super::mint::mint_into;
use super::panic::guard_len;
use super::result::jwtmint_result;
use super::util::reference;
use crate::signer::JwsKey;

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
    // SAFETY: forwarded caller contract.
    unsafe {
        guard_len(out, cap, out_len, |w| {
            let (s, h, c) = (reference(signer)?, reference(header)?, reference(claims)?);
            let key = CallbackKey::new(s)?;
            let mut cb = key.signer(key.algorithm())?;
            let r = mint_into(&mut cb, &h.tpl, c, w)?;
            if cb.failed() {
                return Err(jwtmint_result::JWTMINT_RESULT_CALLBACK_FAILED);
            }
            Ok(r)
        })
    }
}
