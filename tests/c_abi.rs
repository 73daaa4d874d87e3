//! The C ABI called from Rust through its `extern "C"` functions (feature
//! `ffi`). The full C test suite (C99 compiler, threads, valgrind, ASan) is
//! `tests/c/run.sh`, run by `.ci/run`; this is the quick in-`cargo test` check.
#![cfg(feature = "ffi")]
#![allow(clippy::unwrap_used, clippy::indexing_slicing, unsafe_code)]

use std::ptr;

use jwtmint::ffi::*;

const DEMO_KEY: &str = include_str!("../examples/keys/demo-key.pem");

fn s(v: &str) -> jwtmint_str {
    jwtmint_str {
        ptr: v.as_ptr(),
        len: v.len(),
    }
}

const NONE: jwtmint_str = jwtmint_str {
    ptr: ptr::null(),
    len: 0,
};

fn claims(exp: i64) -> jwtmint_claims {
    jwtmint_claims {
        iss: s("client"),
        sub: s("user@example.com"),
        aud: s("https://login.salesforce.com"),
        aud_list: ptr::null(),
        aud_count: 0,
        has_exp: true,
        exp,
        has_nbf: false,
        nbf: 0,
        has_iat: false,
        iat: 0,
        jti: NONE,
        scope: NONE,
        extra: ptr::null(),
        extra_count: 0,
    }
}

const OK: jwtmint_result = jwtmint_result::JWTMINT_RESULT_OK;

#[test]
fn mint_through_the_c_abi_matches_the_rust_api() {
    let mut key = ptr::null_mut();
    let mut hdr = ptr::null_mut();
    let opts = jwtmint_header_options {
        alg: jwtmint_alg::JWTMINT_ALG_RS256 as u32,
        typ: NONE,
        omit_typ: false,
        kid: NONE,
        x5t: NONE,
        x5t_s256: NONE,
    };
    let c = claims(1_700_000_180);
    // SAFETY: valid pointers and lengths throughout; handles freed once.
    unsafe {
        assert_eq!(
            jwtmint_key_new_from_pem(DEMO_KEY.as_ptr(), DEMO_KEY.len(), &mut key),
            OK
        );
        assert_eq!(jwtmint_header_new(&opts, &mut hdr), OK);

        // Negotiation: length query, then exact buffer.
        let mut need = 0usize;
        assert_eq!(
            jwtmint_mint_with_header(key, hdr, &c, ptr::null_mut(), 0, &mut need),
            jwtmint_result::JWTMINT_RESULT_BUFFER_TOO_SMALL
        );
        let mut out = vec![0u8; need];
        let mut n = 0usize;
        assert_eq!(
            jwtmint_mint_with_header(key, hdr, &c, out.as_mut_ptr(), out.len(), &mut n),
            OK
        );
        assert_eq!(n, need);

        let rkey = jwtmint::SigningKey::from_pem(DEMO_KEY).unwrap();
        let tpl =
            jwtmint::HeaderTemplate::new(&jwtmint::Header::new(jwtmint::Algorithm::Rs256)).unwrap();
        let rc = jwtmint::Claims::new()
            .iss("client")
            .sub("user@example.com")
            .aud("https://login.salesforce.com")
            .exp(1_700_000_180);
        let want = jwtmint::mint_string(&mut rkey.rs256(), &tpl, &rc).unwrap();
        assert_eq!(std::str::from_utf8(&out).unwrap(), want);

        // Claim error: out_len untouched.
        let bad = claims(1_700_000_180_000);
        let mut sentinel = 7usize;
        assert_eq!(
            jwtmint_mint_with_header(key, hdr, &bad, out.as_mut_ptr(), out.len(), &mut sentinel),
            jwtmint_result::JWTMINT_RESULT_TIMESTAMP_IN_MILLISECONDS
        );
        assert_eq!(sentinel, 7);

        // NULL arguments.
        assert_eq!(
            jwtmint_mint_with_header(ptr::null(), hdr, &c, out.as_mut_ptr(), out.len(), &mut n),
            jwtmint_result::JWTMINT_RESULT_NULL_ARGUMENT
        );
        assert_eq!(
            jwtmint_key_new_from_pem(ptr::null(), 3, &mut key),
            jwtmint_result::JWTMINT_RESULT_NULL_ARGUMENT
        );

        jwtmint_header_free(hdr);
        jwtmint_key_free(key);
        jwtmint_key_free(ptr::null_mut());
    }
}

#[cfg(feature = "ffi-testing")]
#[test]
fn a_panic_never_crosses_the_boundary() {
    assert_eq!(
        jwtmint_testing_panic(),
        jwtmint_result::JWTMINT_RESULT_INTERNAL_PANIC
    );
}
