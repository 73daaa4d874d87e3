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
        let want = jwtmint::mint_string(
            &mut rkey.signer(jwtmint::Algorithm::Rs256).unwrap(),
            &tpl,
            &rc,
        )
        .unwrap();
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
    use jwtmint::profiles::{
        Entra, Google, Login, Profile, Salesforce, ServiceAccount, Thumbprint, mint_profile,
    };

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
        let mut sfp = ptr::null_mut();
        assert_eq!(jwtmint_salesforce_profile_new(&so, &mut sfp), OK);
        let got = negotiate(|o, c, l| jwtmint_profile_mint(sfp, key, now, NONE, o, c, l));
        let sf = Salesforce::new("ck", "user@example.com", Login::Sandbox).unwrap();
        let mut buf = [0u8; 1024];
        let n = mint_profile(&sf, &rkey, now, None, &mut buf).unwrap();
        assert_eq!(got.as_bytes(), &buf[..n]);
        let url = negotiate(|o, c, l| jwtmint_profile_token_url(sfp, o, c, l));
        assert_eq!(url, "https://test.salesforce.com/services/oauth2/token");
        // A Salesforce profile needs a key.
        let mut n = 0usize;
        assert_eq!(
            jwtmint_profile_mint(
                sfp,
                ptr::null(),
                now,
                NONE,
                buf.as_mut_ptr(),
                buf.len(),
                &mut n
            ),
            jwtmint_result::JWTMINT_RESULT_NULL_ARGUMENT
        );
        jwtmint_profile_free(sfp);

        // Google: the profile signs with the account's own key.
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
        let mut gp = ptr::null_mut();
        assert_eq!(jwtmint_google_profile_new(acct, &go, &mut gp), OK);
        let sa = ServiceAccount::from_json(SA_JSON.as_bytes()).unwrap();
        let email = negotiate(|o, c, l| jwtmint_google_account_client_email(acct, o, c, l));
        assert_eq!(email, sa.client_email());
        let uri = negotiate(|o, c, l| jwtmint_google_account_token_uri(acct, o, c, l));
        assert_eq!(uri, sa.token_uri());
        // The profile keeps the key alive after the account handle is freed.
        jwtmint_google_account_free(acct);
        let got = negotiate(|o, c, l| jwtmint_profile_mint(gp, ptr::null(), now, NONE, o, c, l));
        let rs = ["https://www.googleapis.com/auth/cloud-platform"];
        let g = Google::new(&sa, &rs)
            .unwrap()
            .with_subject("admin@example.com")
            .unwrap();
        n = mint_profile(&g, sa.key(), now, None, &mut buf).unwrap();
        assert_eq!(got.as_bytes(), &buf[..n]);
        assert_eq!(
            negotiate(|o, c, l| jwtmint_profile_token_url(gp, o, c, l)),
            sa.token_uri()
        );
        // Another key than the account's is refused.
        assert_eq!(
            jwtmint_profile_mint(gp, key, now, NONE, buf.as_mut_ptr(), buf.len(), &mut n),
            jwtmint_result::JWTMINT_RESULT_INVALID_ARGUMENT
        );
        jwtmint_profile_free(gp);

        // Entra, legacy RS256 + x5t with a fixed jti (deterministic).
        let eo = jwtmint_entra_options {
            tenant: s("contoso.onmicrosoft.com"),
            client_id: s("app"),
            thumbprint_kind: jwtmint_thumbprint_kind::JWTMINT_THUMBPRINT_SHA1 as u32,
            thumbprint: s(tp.x5t()),
            authority: NONE,
            lifetime: 0,
            scope: s("api://x/.default"),
        };
        let mut ep = ptr::null_mut();
        assert_eq!(jwtmint_entra_profile_new(&eo, &mut ep), OK);
        let got = negotiate(|o, c, l| jwtmint_profile_mint(ep, key, now, s("jti-1"), o, c, l));
        let e = Entra::new("contoso.onmicrosoft.com", "app", Thumbprint::Sha1(tp.x5t()))
            .unwrap()
            .with_scope("api://x/.default")
            .unwrap();
        let n = mint_profile(&e, &rkey, now, Some("jti-1"), &mut buf).unwrap();
        assert_eq!(got.as_bytes(), &buf[..n]);
        let body = negotiate(|o, c, l| {
            jwtmint_profile_token_request_body(ep, got.as_ptr(), got.len(), o, c, l)
        });
        let mut rbody = vec![0u8; 4096];
        let n = e
            .token_request()
            .unwrap()
            .write_body(&got, &mut rbody)
            .unwrap();
        assert_eq!(body.as_bytes(), &rbody[..n]);
        assert_eq!(
            Some(negotiate(|o, c, l| jwtmint_profile_token_url(ep, o, c, l)).as_str()),
            e.token_url()
        );
        jwtmint_profile_free(ep);

        // Profile errors have their own codes, found when the profile is built.
        let long = jwtmint_entra_options {
            lifetime: 601,
            ..eo
        };
        let mut ep = ptr::null_mut();
        assert_eq!(
            jwtmint_entra_profile_new(&long, &mut ep),
            jwtmint_result::JWTMINT_RESULT_LIFETIME_TOO_LONG
        );
        assert!(ep.is_null());
        jwtmint_key_free(key);
    }
}

const DEMO_PUB: &str = include_str!("../examples/keys/demo-key.pub.pem");

#[test]
fn verify_through_the_c_abi_matches_the_rust_api() {
    let rkey = jwtmint::SigningKey::from_pem(DEMO_KEY).unwrap();
    let tpl =
        jwtmint::HeaderTemplate::new(&jwtmint::Header::new(jwtmint::Algorithm::Ps256)).unwrap();
    let rc = jwtmint::Claims::new()
        .iss("client")
        .aud("https://login.salesforce.com")
        .iat(1_700_000_000)
        .exp(1_700_000_180);
    let token = jwtmint::mint_string(
        &mut rkey.signer(jwtmint::Algorithm::Ps256).unwrap(),
        &tpl,
        &rc,
    )
    .unwrap();
    let mut v = ptr::null_mut();
    let allow = jwtmint_allow::JWTMINT_ALLOW_PS256 as u32;
    // SAFETY: valid pointers and lengths throughout; the verifier is freed once.
    unsafe {
        assert_eq!(
            jwtmint_verifier_new_from_pem(DEMO_PUB.as_ptr(), DEMO_PUB.len(), allow, &mut v),
            OK
        );
        let mut need = 0usize;
        let mut out = std::mem::MaybeUninit::<jwtmint_verified>::uninit();
        assert_eq!(
            jwtmint_verify(
                v,
                token.as_ptr(),
                token.len(),
                ptr::null(),
                1_700_000_001,
                ptr::null_mut(),
                0,
                &mut need,
                out.as_mut_ptr()
            ),
            jwtmint_result::JWTMINT_RESULT_BUFFER_TOO_SMALL
        );
        assert_eq!(need, jwtmint::parse::buffer_len(token.as_bytes()));
        let mut buf = vec![0u8; need];
        let mut got = 0usize;
        let policy = jwtmint_validation {
            leeway: 0,
            allow_missing_exp: false,
            require_iat: true,
            require_nbf: false,
            has_max_lifetime: true,
            max_lifetime: 180,
            audience: s("https://login.salesforce.com"),
            audiences: ptr::null(),
            audience_count: 0,
            issuer: s("client"),
            subject: NONE,
        };
        assert_eq!(
            jwtmint_verify(
                v,
                token.as_ptr(),
                token.len(),
                &policy,
                1_700_000_001,
                buf.as_mut_ptr(),
                buf.len(),
                &mut got,
                out.as_mut_ptr()
            ),
            OK
        );
        let out = out.assume_init();
        assert_eq!(out.alg, jwtmint_alg::JWTMINT_ALG_PS256 as u32);
        assert_eq!((out.has_exp, out.exp), (true, 1_700_000_180));
        let view = |v: jwtmint_str| std::slice::from_raw_parts(v.ptr, v.len);
        assert_eq!(view(out.iss), b"client");
        assert_eq!(view(out.aud_json), b"\"https://login.salesforce.com\"");
        let mut val = NONE;
        assert_eq!(
            jwtmint_verified_claim(&out, b"iat".as_ptr(), 3, &mut val),
            OK
        );
        assert_eq!(view(val), b"1700000000");

        let mut out2 = std::mem::MaybeUninit::<jwtmint_verified>::uninit();
        assert_eq!(
            jwtmint_verify(
                v,
                token.as_ptr(),
                token.len(),
                &policy,
                1_700_000_180,
                buf.as_mut_ptr(),
                buf.len(),
                &mut got,
                out2.as_mut_ptr()
            ),
            jwtmint_result::JWTMINT_RESULT_EXPIRED
        );
        jwtmint_verifier_free(v);
    }
}

#[test]
fn token_response_through_the_c_abi() {
    let body = br#"{"access_token":"ya29.x","expires_in":3599,"token_type":"Bearer"}"#;
    // SAFETY: valid pointers and lengths.
    unsafe {
        let mut r = std::mem::MaybeUninit::<jwtmint_token_response>::uninit();
        assert_eq!(
            jwtmint_token_response_parse(body.as_ptr(), body.len(), r.as_mut_ptr()),
            OK
        );
        let r = r.assume_init();
        assert!(r.has_expires_in && r.expires_in == 3599 && !r.is_error);
    }
}

/// `jwtmint_sessions`: a subject's session is found until a full table
/// evicts it (the least recently used one), which frees it and its profile.
/// (tests/c/test_sessions.c drives it from C under valgrind and ASan.)
#[test]
fn sessions_table_through_the_c_abi() {
    let key_pem = DEMO_KEY.as_bytes();
    // SAFETY: valid pointers and lengths throughout; every handle is freed
    // once (sessions and profiles by the table).
    unsafe {
        let mut key = ptr::null_mut();
        assert_eq!(
            jwtmint_key_new_from_pem(key_pem.as_ptr(), key_pem.len(), &mut key),
            OK
        );
        let mut t = ptr::null_mut();
        assert_eq!(
            jwtmint_sessions_new(0, &mut t),
            jwtmint_result::JWTMINT_RESULT_INVALID_ARGUMENT
        );
        assert_eq!(jwtmint_sessions_new(2, &mut t), OK);
        let add = |user: &str| {
            let so = jwtmint_salesforce_options {
                consumer_key: s("ck"),
                username: s(user),
                login: jwtmint_salesforce_login::JWTMINT_SALESFORCE_PRODUCTION as u32,
                custom_url: NONE,
                lifetime: 0,
            };
            let mut p = ptr::null_mut();
            assert_eq!(jwtmint_salesforce_profile_new(&so, &mut p), OK);
            let mut sess = ptr::null_mut();
            assert_eq!(jwtmint_session_new(p, key, ptr::null(), &mut sess), OK);
            let mut got = ptr::null_mut();
            assert_eq!(
                jwtmint_sessions_insert(t, user.as_ptr(), user.len(), p, sess, &mut got),
                OK
            );
            assert_eq!(got, sess);
            sess
        };
        let find = |user: &str| {
            let mut got = ptr::NonNull::<jwtmint_session>::dangling().as_ptr();
            assert_eq!(
                jwtmint_sessions_get(t, user.as_ptr(), user.len(), &mut got),
                OK
            );
            got
        };
        let a = add("a@example.com");
        add("b@example.com");
        assert_eq!(find("a@example.com"), a); // b is now the LRU
        add("c@example.com");
        assert!(find("b@example.com").is_null());
        assert_eq!(find("a@example.com"), a);
        let mut c = jwtmint_sessions_counters::default();
        assert_eq!(jwtmint_sessions_stats(t, &mut c), OK);
        assert_eq!((c.len, c.capacity, c.evicted), (2, 2, 1));
        jwtmint_sessions_free(t);
        jwtmint_key_free(key);
    }
}

#[test]
fn reverse_path_codes_start_at_40() {
    use jwtmint_result as R;
    let codes = [
        (R::JWTMINT_RESULT_MALFORMED_TOKEN, 40),
        (R::JWTMINT_RESULT_ALGORITHM_NONE, 48),
        (R::JWTMINT_RESULT_INVALID_SIGNATURE, 53),
        (R::JWTMINT_RESULT_EXPIRED, 56),
        (R::JWTMINT_RESULT_JWK_NOT_FOR_VERIFICATION, 63),
        (R::JWTMINT_RESULT_WRONG_PASSPHRASE, 64),
        (R::JWTMINT_RESULT_JWK_MEMBER, 66),
        (R::JWTMINT_RESULT_KEY_NOT_USED, 80),
        (R::JWTMINT_RESULT_GRANT_KIND, 81),
        (R::JWTMINT_RESULT_INVALID_TOKEN_SYNTAX, 82),
        (R::JWTMINT_RESULT_TOKEN_REVOKED, 83),
    ];
    for (r, v) in codes {
        assert_eq!(r as i32, v);
        // SAFETY: jwtmint_result_name returns a static NUL-terminated string.
        let name = unsafe { std::ffi::CStr::from_ptr(jwtmint_result_name(v)) };
        assert_eq!(name.to_str().unwrap(), format!("{r:?}"));
    }
    for v in (36..40).chain([67, 79, 84]) {
        // SAFETY: as above.
        let name = unsafe { std::ffi::CStr::from_ptr(jwtmint_result_name(v)) };
        assert_eq!(name.to_str().unwrap(), "JWTMINT_RESULT_<unknown>");
    }
}

/// Claims whose JSON is larger than the stack buffer the C mint stages them
/// in (512 bytes) take the measuring path: same bytes as the Rust API, exact
/// length on a too-small buffer, buffer untouched.
#[test]
fn large_claims_through_the_c_abi() {
    let long = "u".repeat(3000);
    let mut c = claims(1_700_000_180);
    c.sub = s(&long);
    let rkey = jwtmint::SigningKey::from_pem(DEMO_KEY).unwrap();
    let tpl =
        jwtmint::HeaderTemplate::new(&jwtmint::Header::new(jwtmint::Algorithm::Rs256)).unwrap();
    let rc = jwtmint::Claims::new()
        .iss("client")
        .sub(&long)
        .aud("https://login.salesforce.com")
        .exp(1_700_000_180);
    let want = jwtmint::mint_string(
        &mut rkey.signer(jwtmint::Algorithm::Rs256).unwrap(),
        &tpl,
        &rc,
    )
    .unwrap();
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
    // SAFETY: valid pointers and lengths throughout; handles freed once.
    unsafe {
        assert_eq!(
            jwtmint_key_new_from_pem(DEMO_KEY.as_ptr(), DEMO_KEY.len(), &mut key),
            OK
        );
        assert_eq!(jwtmint_header_new(&opts, &mut hdr), OK);
        let mut small = vec![0xAAu8; want.len() - 1];
        let mut n = 0usize;
        assert_eq!(
            jwtmint_mint_with_header(key, hdr, &c, small.as_mut_ptr(), small.len(), &mut n),
            jwtmint_result::JWTMINT_RESULT_BUFFER_TOO_SMALL
        );
        assert_eq!(n, want.len());
        assert!(small.iter().all(|b| *b == 0xAA));
        let got = negotiate(|o, cap, l| jwtmint_mint_with_header(key, hdr, &c, o, cap, l));
        assert_eq!(got, want);
        jwtmint_header_free(hdr);
        jwtmint_key_free(key);
    }
}
