//! The C ABI (feature `ffi`): `extern "C"` functions, `#[repr(C)]` types and
//! opaque handles, exported for `libjwtmint.a` / `libjwtmint.so` and described
//! by the generated header `include/jwtmint.h` (cbindgen, `cbindgen.toml`).
//!
//! Conventions, for every exported function:
//! - It returns a [`jwtmint_result`]; `JWTMINT_RESULT_OK` (0) is success.
//! - No panic crosses the boundary: every body runs under
//!   `std::panic::catch_unwind`, a panic becomes `JWTMINT_RESULT_INTERNAL_PANIC`.
//! - A required pointer that is NULL gives `JWTMINT_RESULT_NULL_ARGUMENT`.
//! - Strings are `(pointer, length)` pairs ([`jwtmint_str`]), not
//!   NUL-terminated, and must be valid UTF-8 (`JWTMINT_RESULT_INVALID_UTF8`).
//! - Output parameters are written only on success, with one exception: when
//!   an output buffer is too small the function returns
//!   `JWTMINT_RESULT_BUFFER_TOO_SMALL` and writes the **required length** into
//!   `*out_len`, so the caller can retry with a buffer of that size.
//! - NULL output buffers, one rule for every writer (`util::out_buf`, called
//!   before any length is decided): NULL with capacity 0 is a length query;
//!   NULL with a non-zero capacity is `JWTMINT_RESULT_NULL_ARGUMENT`.
//! - A length out-parameter is the bytes written on success and the bytes
//!   needed on `BUFFER_TOO_SMALL` — the same number; `jwtmint_result_message`
//!   and `jwtmint_last_error_detail` are the writers of a NUL and count it.
//! - A negative `now` is refused (`JWTMINT_RESULT_NEGATIVE_TIMESTAMP`).
//! - A failing call leaves its detail (which field, which byte offset: the
//!   text of the Rust error) for `jwtmint_last_error_detail` on the calling
//!   thread; a successful call leaves the previous detail in place.
//! - On failure an output buffer holds no partial token: it is untouched when
//!   the error is found before writing (arguments, claims, size), and cleared
//!   to zeros when signing fails after the signing input was written.
//!   `jwtmint_verify` likewise clears its buffer when verification or
//!   validation fails after decoding.
//! - Result codes are stable; 36..=39 are reserved, the reverse path
//!   (verification, token responses, cache) uses 40 and up, key formats
//!   (passphrases, private JWKs) 64..=79, session grants 80 and up. The one
//!   list of codes (names, numbers, messages) is the `jwtmint_result` enum.
//!
//! The core crate never imports this module.
#![allow(unsafe_code)]
#![allow(non_camel_case_types)]
#![deny(clippy::undocumented_unsafe_blocks)]

mod callback;
mod callback_failure;
mod callback_key;
mod cert;
mod claims;
mod declared;
mod form;
mod header;
mod key;
mod key_formats;
mod last_error;
mod mint;
mod panic;
mod profiles;
// Generated from the provider declarations (declared.rs); not formatted by hand.
#[rustfmt::skip]
mod providers;
mod result;
mod result_text;
mod session;
mod session_grants;
mod session_key;
mod sessions;
mod token;
mod util;
mod verify;

pub use callback::jwtmint_mint_with_signer;
pub use callback_key::{jwtmint_sign_fn, jwtmint_signer};
pub use cert::{jwtmint_cert_check_key, jwtmint_cert_thumbprints, jwtmint_thumbprints};
pub use claims::{jwtmint_claim_kind, jwtmint_claims, jwtmint_extra_claim, jwtmint_str};
pub use form::{jwtmint_form_client_assertion_body, jwtmint_form_grant_body, jwtmint_form_param};
pub use header::{
    jwtmint_alg, jwtmint_header, jwtmint_header_encoded, jwtmint_header_free, jwtmint_header_new,
    jwtmint_header_options,
};
pub use key::{
    jwtmint_key, jwtmint_key_bits, jwtmint_key_free, jwtmint_key_new_from_der,
    jwtmint_key_new_from_pem, jwtmint_key_new_from_signer, jwtmint_key_sign,
    jwtmint_key_signature_len,
};
pub use key_formats::{
    jwtmint_key_new_from_der_with_passphrase, jwtmint_key_new_from_jwk,
    jwtmint_key_new_from_pem_with_passphrase, jwtmint_key_new_from_pkcs12,
};
pub use mint::{
    jwtmint_base64url_decode, jwtmint_base64url_encode, jwtmint_mint, jwtmint_mint_len,
    jwtmint_mint_with_header, jwtmint_now, jwtmint_sign_raw, jwtmint_sign_raw_len, jwtmint_version,
};
#[cfg(feature = "ffi-testing")]
pub use panic::jwtmint_testing_panic;
pub use profiles::{
    jwtmint_profile, jwtmint_profile_free, jwtmint_profile_mint,
    jwtmint_profile_token_request_body, jwtmint_profile_token_url,
};
pub use providers::*;
pub use result::jwtmint_result;
pub use result_text::{jwtmint_last_error_detail, jwtmint_result_message, jwtmint_result_name};
pub use session::{
    jwtmint_action_kind, jwtmint_header_pair, jwtmint_outcome_kind, jwtmint_session,
    jwtmint_session_action, jwtmint_session_complete, jwtmint_session_encode_record,
    jwtmint_session_fail, jwtmint_session_free, jwtmint_session_invalidate, jwtmint_session_new,
    jwtmint_session_options, jwtmint_session_outcome, jwtmint_session_poll, jwtmint_session_reset,
    jwtmint_session_restore, jwtmint_transport_error,
};
pub use session::{
    jwtmint_record_holds, jwtmint_session_counters, jwtmint_session_invalidate_token,
    jwtmint_session_share_store, jwtmint_session_stats, jwtmint_session_store_loaded,
    jwtmint_session_store_result, jwtmint_store_outcome, jwtmint_store_result,
};
pub use session_grants::{
    jwtmint_custom_options, jwtmint_custom_profile_new, jwtmint_grant_spec, jwtmint_password_fn,
};
pub use sessions::{
    jwtmint_sessions, jwtmint_sessions_counters, jwtmint_sessions_free, jwtmint_sessions_get,
    jwtmint_sessions_insert, jwtmint_sessions_new, jwtmint_sessions_remove, jwtmint_sessions_stats,
};
pub use token::{jwtmint_token_response, jwtmint_token_response_parse};
pub use verify::{
    jwtmint_allow, jwtmint_json_unescape, jwtmint_validation, jwtmint_verified,
    jwtmint_verified_claim, jwtmint_verifier, jwtmint_verifier_free, jwtmint_verifier_new_from_der,
    jwtmint_verifier_new_from_jwk, jwtmint_verifier_new_from_pem, jwtmint_verify,
};
