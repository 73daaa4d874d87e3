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

const DEMO_CERT: &str = include_str!("../examples/keys/demo-cert.pem");
const SA_JSON: &str = include_str!("data/demo-service-account.json");

/// Calls a buffer-writing export twice: a length query, then an exact buffer.
fn negotiate(mut f: impl FnMut(*mut u8, usize, *mut usize) -> jwtmint_result) -> String {
    let mut need = 0usize;
    assert_eq!(
        f(ptr::null_mut(), 0, &mut need),
        jwtmint_result::JWTMINT_RESULT_BUFFER_TOO_SMALL
    );
    let mut out = vec![0u8; need];
    let mut n = 0usize;
    assert_eq!(f(out.as_mut_ptr(), out.len(), &mut n), OK);
    assert_eq!(n, need);
    String::from_utf8(out).unwrap()
}

fn c_text(v: &[core::ffi::c_char]) -> String {
    v.iter()
        .take_while(|c| **c != 0)
        .map(|c| *c as u8 as char)
        .collect()
}

#[test]
fn profiles_through_the_c_abi_match_the_rust_api() {
    use jwtmint::cert::CertThumbprints;
    use jwtmint::profiles::{Entra, Google, Login, Salesforce, ServiceAccount, Thumbprint};

    let rkey = jwtmint::SigningKey::from_pem(DEMO_KEY).unwrap();
    let tp = CertThumbprints::from_pem(DEMO_CERT).unwrap();
    let now = 1_700_000_000;
    let mut key = ptr::null_mut();
    // SAFETY: valid pointers and lengths throughout; handles freed once.
    unsafe {
        assert_eq!(
            jwtmint_key_new_from_pem(DEMO_KEY.as_ptr(), DEMO_KEY.len(), &mut key),
            OK
        );

        // Certificate thumbprints and key check.
        let mut ct = core::mem::zeroed::<jwtmint_thumbprints>();
        assert_eq!(
            jwtmint_cert_thumbprints(DEMO_CERT.as_ptr(), DEMO_CERT.len(), &mut ct),
            OK
        );
        assert_eq!(c_text(&ct.x5t), tp.x5t());
        assert_eq!(c_text(&ct.x5t_s256), tp.x5t_s256());
        assert_eq!(
            jwtmint_cert_check_key(DEMO_CERT.as_ptr(), DEMO_CERT.len(), key),
            OK
        );

        // Salesforce (RS256 is deterministic: byte-identical).
        let so = jwtmint_salesforce_options {
            consumer_key: s("ck"),
            username: s("user@example.com"),
            login: jwtmint_salesforce_login::JWTMINT_SALESFORCE_SANDBOX as u32,
            custom_url: NONE,
            lifetime: 0,
        };
        let got = negotiate(|o, c, l| jwtmint_salesforce_mint(key, &so, now, o, c, l));
        let sf = Salesforce::new("ck", "user@example.com", Login::Sandbox).unwrap();
        let mut buf = [0u8; 1024];
        let n = sf.mint(&mut rkey.rs256(), now, &mut buf).unwrap();
        assert_eq!(got.as_bytes(), &buf[..n]);
        let url = negotiate(|o, c, l| jwtmint_salesforce_token_url(&so, o, c, l));
        assert_eq!(url, "https://test.salesforce.com/services/oauth2/token");

        // Google.
        let mut acct = ptr::null_mut();
        assert_eq!(
            jwtmint_google_account_new_from_json(SA_JSON.as_ptr(), SA_JSON.len(), &mut acct),
            OK
        );
        let scopes = [s("https://www.googleapis.com/auth/cloud-platform")];
        let go = jwtmint_google_options {
            scopes: scopes.as_ptr(),
            scope_count: 1,
            subject: s("admin@example.com"),
            lifetime: 0,
        };
        let got = negotiate(|o, c, l| jwtmint_google_mint(acct, &go, now, o, c, l));
        let sa = ServiceAccount::from_json(SA_JSON.as_bytes()).unwrap();
        let rs = ["https://www.googleapis.com/auth/cloud-platform"];
        let g = Google::new(&sa, &rs)
            .unwrap()
            .with_subject("admin@example.com")
            .unwrap();
        let n = g.mint(&mut sa.key().rs256(), now, &mut buf).unwrap();
        assert_eq!(got.as_bytes(), &buf[..n]);
        let email = negotiate(|o, c, l| jwtmint_google_account_client_email(acct, o, c, l));
        assert_eq!(email, sa.client_email());
        let uri = negotiate(|o, c, l| jwtmint_google_account_token_uri(acct, o, c, l));
        assert_eq!(uri, sa.token_uri());
        jwtmint_google_account_free(acct);

        // Entra, legacy RS256 + x5t with a fixed jti (deterministic).
        let eo = jwtmint_entra_options {
            tenant: s("contoso.onmicrosoft.com"),
            client_id: s("app"),
            thumbprint_kind: jwtmint_thumbprint_kind::JWTMINT_THUMBPRINT_SHA1 as u32,
            thumbprint: s(tp.x5t()),
            authority: NONE,
            lifetime: 0,
        };
        let got = negotiate(|o, c, l| jwtmint_entra_mint(key, &eo, now, s("jti-1"), o, c, l));
        let e = Entra::new("contoso.onmicrosoft.com", "app", Thumbprint::Sha1(tp.x5t())).unwrap();
        let n = e.mint(&mut rkey.rs256(), now, "jti-1", &mut buf).unwrap();
        assert_eq!(got.as_bytes(), &buf[..n]);
        let body = negotiate(|o, c, l| {
            jwtmint_entra_form_body(&eo, got.as_ptr(), got.len(), s("api://x/.default"), o, c, l)
        });
        let mut rbody = vec![0u8; 4096];
        let n = e.form_body(&got, "api://x/.default", &mut rbody).unwrap();
        assert_eq!(body.as_bytes(), &rbody[..n]);
        assert_eq!(
            negotiate(|o, c, l| jwtmint_entra_token_url(&eo, o, c, l)),
            e.token_url()
        );

        // Profile errors have their own codes.
        let long = jwtmint_entra_options {
            lifetime: 601,
            ..eo
        };
        let mut n = 0usize;
        assert_eq!(
            jwtmint_entra_mint(key, &long, now, NONE, buf.as_mut_ptr(), buf.len(), &mut n),
            jwtmint_result::JWTMINT_RESULT_LIFETIME_TOO_LONG
        );
        jwtmint_key_free(key);
    }
}
