//! The one provider whose C constructor is written by hand: Google, whose C
//! inputs are a service-account handle (read once by
//! `jwtmint_google_account_new_from_json`, with accessors for its
//! `client_email`, `token_uri` and `private_key_id`) and a scope array.
//! Every other provider is declared in `crate::profiles::declare` and its
//! constructor, options struct and choice enums are generated into
//! `providers.rs`. The profile is stored in the one `jwtmint_profile` handle
//! (`profiles.rs`).

use alloc::sync::Arc;

use super::panic::{free_handle, guard_len, guard_new};
use super::result::jwtmint_result;
use super::util::{bytes, copy_to, reference};
use crate::profiles::google::ServiceAccount;

// ---------------------------------------------------------------------------
// Google
// ---------------------------------------------------------------------------

/// A Google service account loaded from its JSON key file (opaque): the
/// private key is parsed once and owned by the handle. Immutable after
/// creation: a `const jwtmint_google_account *` may be shared by any number
/// of threads. Free it with `jwtmint_google_account_free` (the key is
/// zeroised).
pub struct jwtmint_google_account {
    sa: Arc<ServiceAccount>,
}

/// Reads a Google service-account key file (`json`, `len` bytes; members
/// `type`, `private_key` (PKCS#8 or PKCS#1 PEM), `private_key_id`,
/// `client_email`, `token_uri`) into a new handle stored in `*out` (written
/// only on success), to be freed with `jwtmint_google_account_free`.
///
/// Errors: `NULL_ARGUMENT`, `SERVICE_ACCOUNT_JSON` (syntax, missing
/// `private_key` / `client_email`, `type` not `service_account`),
/// `INVALID_FIELD` (empty `client_email`), `INVALID_AUDIENCE` (bad
/// `token_uri`), and the key errors of `jwtmint_key_new_from_pem`.
///
/// # Safety
/// `json` must be NULL or valid for reads of `len` bytes; `out` NULL or valid
/// for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_google_account_new_from_json(
    json: *const u8,
    len: usize,
    out: *mut *mut jwtmint_google_account,
) -> jwtmint_result {
    // SAFETY: the caller promises `out` NULL or valid for a write.
    unsafe {
        guard_new(out, || {
            // SAFETY: the caller promises `json` is NULL or valid for `len` bytes.
            let sa = ServiceAccount::from_json(bytes(json, len)?)?;
            Ok(jwtmint_google_account { sa: Arc::new(sa) })
        })
    }
}

/// Frees a service-account handle. NULL is a no-op. Profiles made from it
/// keep their own reference to the key, which is zeroised when the last of
/// them is freed.
///
/// # Safety
/// `account` must be NULL or a handle from
/// `jwtmint_google_account_new_from_json` that was not freed yet and that no
/// other thread is still using.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_google_account_free(account: *mut jwtmint_google_account) {
    // SAFETY: forwarded caller contract (a handle from `guard_new`, freed once).
    unsafe { free_handle(account) }
}

/// Reads one text member of a live account into `out`.
///
/// # Safety
/// As `jwtmint_google_account_client_email`.
unsafe fn account_field(
    account: *const jwtmint_google_account,
    field: fn(&ServiceAccount) -> &str,
    out: *mut u8,
    cap: usize,
    out_len: *mut usize,
) -> jwtmint_result {
    // SAFETY: forwarded caller contract.
    unsafe {
        guard_len(out, cap, out_len, |w| {
            Ok(copy_to(field(&reference(account)?.sa).as_bytes(), w.buf()?))
        })
    }
}

/// Copies the account's `client_email` (the `iss` of its assertions; no NUL)
/// into `out`. Length negotiation as in `jwtmint_mint`.
///
/// # Safety
/// `account` NULL or live; `out` NULL (with `cap == 0`) or valid for `cap`
/// bytes; `out_len` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_google_account_client_email(
    account: *const jwtmint_google_account,
    out: *mut u8,
    cap: usize,
    out_len: *mut usize,
) -> jwtmint_result {
    // SAFETY: forwarded caller contract.
    unsafe { account_field(account, ServiceAccount::client_email, out, cap, out_len) }
}

/// Copies the account's `token_uri` (the `aud` of its assertions and the URL
/// to POST the form body to; no NUL) into `out`. Length negotiation as in
/// `jwtmint_mint`.
///
/// # Safety
/// As `jwtmint_google_account_client_email`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_google_account_token_uri(
    account: *const jwtmint_google_account,
    out: *mut u8,
    cap: usize,
    out_len: *mut usize,
) -> jwtmint_result {
    // SAFETY: forwarded caller contract.
    unsafe { account_field(account, ServiceAccount::token_uri, out, cap, out_len) }
}

/// Copies the account's `private_key_id` (the header's `kid`; empty if the
/// key file had none; no NUL) into `out`. Length negotiation as in
/// `jwtmint_mint`.
///
/// # Safety
/// As `jwtmint_google_account_client_email`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_google_account_private_key_id(
    account: *const jwtmint_google_account,
    out: *mut u8,
    cap: usize,
    out_len: *mut usize,
) -> jwtmint_result {
    // SAFETY: forwarded caller contract.
    unsafe { account_field(account, ServiceAccount::private_key_id, out, cap, out_len) }
}

impl super::declared::AccountHandle for jwtmint_google_account {
    fn loaded(&self) -> &(dyn core::any::Any + Send + Sync) {
        &self.sa
    }
}

/// Compile-time proof of the documented thread-safety of the account handle.
const _: () = {
    const fn send_sync<T: Send + Sync>() {}
    send_sync::<jwtmint_google_account>();
};
