//! FFI call overhead (feature `ffi`): the same operation through the C ABI
//! (`extern "C"` functions called directly, as a C caller would) and through
//! the Rust API, in the same run. Results: docs/BENCHMARKS.md, "C ABI".
//!
//! - `ffi_mint_rs256_2048/*`: full RS256 mint with the demo key (the real
//!   workload; goal: C ABI within 3 % of Rust).
//! - `ffi_encode_only/*`: the same claims with a no-op signer (a 256-byte
//!   zero "signature"), which isolates the C ABI's own cost: argument checks,
//!   UTF-8 validation, the up-front length computation and catch_unwind.
//!
//! Run: `cargo bench --features ffi --bench ffi`
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs, unsafe_code)]

use std::hint::black_box;
use std::ptr;

use criterion::{Criterion, criterion_group, criterion_main};
use jwtmint::ffi::{
    jwtmint_claims, jwtmint_header, jwtmint_header_new, jwtmint_header_options, jwtmint_key,
    jwtmint_key_new_from_pem, jwtmint_mint_with_header, jwtmint_mint_with_signer, jwtmint_result,
    jwtmint_signer, jwtmint_str,
};
use jwtmint::{Algorithm, Header, HeaderTemplate, JwsSigner, SigningKey};

#[path = "common/mod.rs"]
mod common;

use common::{AUD, DEMO_KEY, EXP, ISS, SUB};

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

fn c_claims() -> jwtmint_claims {
    jwtmint_claims {
        iss: s(ISS),
        sub: s(SUB),
        aud: s(AUD),
        aud_list: ptr::null(),
        aud_count: 0,
        has_exp: true,
        exp: EXP,
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

fn c_handles() -> (*mut jwtmint_key, *mut jwtmint_header) {
    let mut key = ptr::null_mut();
    let mut hdr = ptr::null_mut();
    let opts = jwtmint_header_options {
        alg: 0,
        typ: NONE,
        omit_typ: false,
        kid: NONE,
        x5t: NONE,
        x5t_s256: NONE,
    };
    // SAFETY: valid pointers and lengths, out-pointers to locals.
    unsafe {
        assert_eq!(
            jwtmint_key_new_from_pem(DEMO_KEY.as_ptr(), DEMO_KEY.len(), &mut key),
            jwtmint_result::JWTMINT_RESULT_OK
        );
        assert_eq!(
            jwtmint_header_new(&opts, &mut hdr),
            jwtmint_result::JWTMINT_RESULT_OK
        );
    }
    (key, hdr)
}

fn mint(c: &mut Criterion) {
    let key = SigningKey::from_pem(DEMO_KEY).unwrap();
    let tpl = HeaderTemplate::new(&Header::new(Algorithm::Rs256)).unwrap();
    let claims = common::claims();
    let (ckey, chdr) = c_handles();
    let cclaims = c_claims();
    let mut out = [0u8; 1024];

    // Same bytes both ways (RS256 is deterministic).
    let n = jwtmint::mint(
        &mut key.signer(jwtmint::Algorithm::Rs256).unwrap(),
        &tpl,
        &claims,
        &mut out,
    )
    .unwrap();
    let rust_token = out[..n].to_vec();
    let mut m = 0usize;
    // SAFETY: live handles, valid claims, buffer and out-pointer.
    let rc = unsafe {
        jwtmint_mint_with_header(ckey, chdr, &cclaims, out.as_mut_ptr(), out.len(), &mut m)
    };
    assert_eq!(rc, jwtmint_result::JWTMINT_RESULT_OK);
    assert_eq!(&out[..m], &rust_token[..]);

    let mut g = c.benchmark_group("ffi_mint_rs256_2048");
    g.sample_size(30);
    g.bench_function("rust_api", |b| {
        b.iter(|| {
            jwtmint::mint(
                &mut key.signer(jwtmint::Algorithm::Rs256).unwrap(),
                black_box(&tpl),
                black_box(&claims),
                &mut out,
            )
            .unwrap()
        })
    });
    g.bench_function("c_abi", |b| {
        b.iter(|| {
            let mut n = 0usize;
            // SAFETY: as above.
            let rc = unsafe {
                jwtmint_mint_with_header(
                    black_box(ckey),
                    black_box(chdr),
                    black_box(&cclaims),
                    out.as_mut_ptr(),
                    out.len(),
                    &mut n,
                )
            };
            assert_eq!(rc, jwtmint_result::JWTMINT_RESULT_OK);
            n
        })
    });
    g.finish();
    // SAFETY: handles from c_handles, freed once.
    unsafe {
        jwtmint::ffi::jwtmint_key_free(ckey);
        jwtmint::ffi::jwtmint_header_free(chdr);
    }
}

/// A signer that does no cryptography: isolates encoding + boundary cost.
struct ZeroSigner;

impl JwsSigner for ZeroSigner {
    fn algorithm(&self) -> Algorithm {
        Algorithm::Rs256
    }
    fn signature_len(&self) -> usize {
        256
    }
    fn sign(&mut self, _input: &[u8], sig: &mut [u8]) -> jwtmint::Result<usize> {
        sig[..256].fill(0);
        Ok(256)
    }
}

unsafe extern "C" fn zero_sign(
    _ctx: *mut core::ffi::c_void,
    _input: *const u8,
    _len: usize,
    sig: *mut u8,
    cap: usize,
    sig_len: *mut usize,
) -> core::ffi::c_int {
    // SAFETY: jwtmint passes `cap` writable bytes at `sig` and a valid `sig_len`.
    unsafe {
        ptr::write_bytes(sig, 0, cap);
        *sig_len = cap;
    }
    0
}

fn encode_only(c: &mut Criterion) {
    let tpl = HeaderTemplate::new(&Header::new(Algorithm::Rs256)).unwrap();
    let claims = common::claims();
    let (ckey, chdr) = c_handles();
    let cclaims = c_claims();
    let signer = jwtmint_signer {
        sign: Some(zero_sign),
        ctx: ptr::null_mut(),
        alg: 0,
        signature_len: 256,
    };
    let mut out = [0u8; 1024];

    let mut g = c.benchmark_group("ffi_encode_only");
    g.sample_size(30);
    g.bench_function("rust_api", |b| {
        b.iter(|| {
            jwtmint::mint(
                &mut ZeroSigner,
                black_box(&tpl),
                black_box(&claims),
                &mut out,
            )
            .unwrap()
        })
    });
    g.bench_function("c_abi", |b| {
        b.iter(|| {
            let mut n = 0usize;
            // SAFETY: valid signer, live header, valid claims, buffer, out-pointer.
            let rc = unsafe {
                jwtmint_mint_with_signer(
                    black_box(&signer),
                    black_box(chdr),
                    black_box(&cclaims),
                    out.as_mut_ptr(),
                    out.len(),
                    &mut n,
                )
            };
            assert_eq!(rc, jwtmint_result::JWTMINT_RESULT_OK);
            n
        })
    });
    g.finish();
    // SAFETY: handles from c_handles, freed once.
    unsafe {
        jwtmint::ffi::jwtmint_key_free(ckey);
        jwtmint::ffi::jwtmint_header_free(chdr);
    }
}

criterion_group!(benches, mint, encode_only);
criterion_main!(benches);
