//! Criterion benchmarks, each jwtmint operation beside its anchor in the same run.
//! `benches/report.sh` runs them and writes ratios into docs/BENCHMARKS.md.
//!
//! - `encode/*`: header + Salesforce-like claims → signing input.
//!   Anchor: the naive way, `serde_json` + `base64` + `format!`.
//! - `mint_rs256_2048/*`: full mint. Anchors: raw `rsa` signing (SHA-256 +
//!   blinded PKCS#1 v1.5) of the same signing input, and `jsonwebtoken` 11
//!   `encode` (rust_crypto backend, key built once outside the loop).
//! - `mint_es256` / `mint_eddsa` / `mint_hs256`: full mint with the
//!   pure-Rust signers (ES256 RFC 6979 deterministic). Anchor: `jsonwebtoken`
//!   11 `encode` with the same algorithm (rust_crypto backend, key built once).
//! - `key_parse/*`: PKCS#8 PEM, PKCS#8 DER, PKCS#1 PEM.
//! - `form_body/*`: RFC 7523 grant body.
//! - `verify/*`: parse + verify of a Salesforce-sized RS256 token. Anchor: raw
//!   `rsa` PKCS#1 v1.5 verify (SHA-256 + public-key op) of the same signing
//!   input and signature.
//! - `parse/*`: token-endpoint response parse (borrowed, no allocation).
//!   Anchor: `serde_json` into an owned struct with `String` fields.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::hint::black_box;

use base64::Engine;
use criterion::{Criterion, criterion_group, criterion_main};
use jwtmint::{Algorithm, Header, HeaderTemplate, SigningKey};
use rsa::traits::SignatureScheme;
use sha2::Digest;

#[path = "common/mod.rs"]
mod common;

use common::{AUD, DEMO_KEY, EXP, ISS, NaiveClaims, SUB, claims, demo_rsa_key, naive_claims};

#[derive(serde::Serialize)]
struct NaiveHeader<'a> {
    alg: &'a str,
    typ: &'a str,
}

/// What people write by hand: serialize to Vec, base64 to String, format!.
fn naive_signing_input(iss: &str, sub: &str, aud: &str, exp: i64) -> String {
    let e = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let h = serde_json::to_vec(&NaiveHeader {
        alg: "RS256",
        typ: "JWT",
    })
    .unwrap();
    let c = serde_json::to_vec(&NaiveClaims { iss, sub, aud, exp }).unwrap();
    format!("{}.{}", e.encode(h), e.encode(c))
}

fn encode(c: &mut Criterion) {
    assert!(
        assert_same_input(),
        "jwtmint and the naive encoder must produce the same bytes"
    );
    let tpl = HeaderTemplate::new(&Header::new(Algorithm::Rs256)).unwrap();
    let claims = claims();
    let mut out = [0u8; 512];
    let mut g = c.benchmark_group("encode");
    g.bench_function("jwtmint", |b| {
        b.iter(|| {
            jwtmint::write_signing_input(black_box(&tpl), black_box(&claims), &mut out).unwrap()
        })
    });
    g.bench_function("jwtmint_with_header", |b| {
        b.iter(|| {
            let tpl = HeaderTemplate::new(black_box(&Header::new(Algorithm::Rs256))).unwrap();
            jwtmint::write_signing_input(&tpl, black_box(&claims), &mut out).unwrap()
        })
    });
    g.bench_function("claims_json_only", |b| {
        b.iter(|| black_box(&claims).write_json(&mut out).unwrap())
    });
    g.bench_function("naive_serde_json_base64", |b| {
        b.iter(|| {
            naive_signing_input(
                black_box(ISS),
                black_box(SUB),
                black_box(AUD),
                black_box(EXP),
            )
        })
    });
    g.finish();
}

/// Both sides of the `encode` comparison produce the same bytes.
fn assert_same_input() -> bool {
    let tpl = HeaderTemplate::new(&Header::new(Algorithm::Rs256)).unwrap();
    let mut out = [0u8; 512];
    let n = jwtmint::write_signing_input(&tpl, &claims(), &mut out).unwrap();
    out[..n] == *naive_signing_input(ISS, SUB, AUD, EXP).as_bytes()
}

fn mint(c: &mut Criterion) {
    let key = SigningKey::from_pem(DEMO_KEY).unwrap();
    let tpl = HeaderTemplate::new(&Header::new(Algorithm::Rs256)).unwrap();
    let claims = claims();
    let mut out = [0u8; 1024];
    let n = jwtmint::write_signing_input(&tpl, &claims, &mut out).unwrap();
    let input = out[..n].to_vec();
    let rsa_key = demo_rsa_key();

    let mut g = c.benchmark_group("mint_rs256_2048");
    g.sample_size(30);
    g.bench_function("jwtmint", |b| {
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
    // jsonwebtoken 11 (rust_crypto backend = rsa 0.9), key built once outside the loop.
    // Both of its backends are compiled for the benches: pick one per process.
    let _ = jsonwebtoken::crypto::rust_crypto::DEFAULT_PROVIDER.install_default();
    let jwt_key = jsonwebtoken::EncodingKey::from_rsa_pem(DEMO_KEY.as_bytes()).unwrap();
    let jwt_header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
    let naive_claims = naive_claims();
    g.bench_function("jsonwebtoken_rust_crypto", |b| {
        b.iter(|| {
            jsonwebtoken::encode(black_box(&jwt_header), black_box(&naive_claims), &jwt_key)
                .unwrap()
        })
    });
    g.bench_function("raw_rsa_sign", |b| {
        b.iter(|| {
            let digest = sha2::Sha256::digest(black_box(&input));
            rsa::Pkcs1v15Sign::new::<sha2::Sha256>()
                .sign(Some(&mut getrandom::SysRng), &rsa_key, &digest)
                .unwrap()
        })
    });
    g.finish();

    let mut g = c.benchmark_group("mint_ps256_2048");
    g.sample_size(30);
    let ps_tpl = HeaderTemplate::new(&Header::new(Algorithm::Ps256)).unwrap();
    g.bench_function("jwtmint", |b| {
        b.iter(|| {
            jwtmint::mint(
                &mut key.signer(jwtmint::Algorithm::Ps256).unwrap(),
                black_box(&ps_tpl),
                black_box(&claims),
                &mut out,
            )
            .unwrap()
        })
    });
    g.finish();

    // Larger keys, pure-Rust backend: RS256 and PS256 (the aws-lc rows are in benches/awslc.rs).
    let ps_tpl = HeaderTemplate::new(&Header::new(Algorithm::Ps256)).unwrap();
    for bits in [3072, 4096] {
        let pem = std::fs::read_to_string(format!(
            "{}/tests/data/rsa{bits}.pem",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let key = SigningKey::from_pem(&pem)
            .unwrap()
            .with_backend(jwtmint::Backend::RustCrypto)
            .unwrap();
        let mut g = c.benchmark_group(format!("mint_rsa_backend_{bits}"));
        g.sample_size(10);
        g.bench_function("rs256", |b| {
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
        g.bench_function("ps256", |b| {
            b.iter(|| {
                jwtmint::mint(
                    &mut key.signer(jwtmint::Algorithm::Ps256).unwrap(),
                    black_box(&ps_tpl),
                    black_box(&claims),
                    &mut out,
                )
                .unwrap()
            })
        });
        g.finish();
    }
}

fn key_parse(c: &mut Criterion) {
    let pkcs8_der = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/demo-pkcs8.der"
    ))
    .unwrap();
    let pkcs1_pem = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/demo-pkcs1.pem"
    ))
    .unwrap();
    let mut g = c.benchmark_group("key_parse");
    g.sample_size(30);
    g.bench_function("pkcs8_pem", |b| {
        b.iter(|| SigningKey::from_pem(black_box(DEMO_KEY)).unwrap())
    });
    g.bench_function("pkcs8_der", |b| {
        b.iter(|| SigningKey::from_der(black_box(&pkcs8_der)).unwrap())
    });
    g.bench_function("pkcs1_pem", |b| {
        b.iter(|| SigningKey::from_pem(black_box(&pkcs1_pem)).unwrap())
    });
    g.finish();
}

fn form_body(c: &mut Criterion) {
    let key = SigningKey::from_pem(DEMO_KEY).unwrap();
    let tpl = HeaderTemplate::new(&Header::new(Algorithm::Rs256)).unwrap();
    let jwt = jwtmint::mint_string(
        &mut key.signer(jwtmint::Algorithm::Rs256).unwrap(),
        &tpl,
        &claims(),
    )
    .unwrap();
    let mut out = [0u8; 2048];
    let mut g = c.benchmark_group("form_body");
    g.bench_function("jwtmint", |b| {
        b.iter(|| jwtmint::form::grant_body(black_box(&jwt), &[], &mut out).unwrap())
    });
    g.finish();
}

/// A Salesforce-style assertion signed with the demo key, and its pieces.
fn salesforce_token() -> (String, Vec<u8>, Vec<u8>) {
    let key = SigningKey::from_pem(DEMO_KEY).unwrap();
    let tpl = HeaderTemplate::new(&Header::new(Algorithm::Rs256)).unwrap();
    let token = jwtmint::mint_string(
        &mut key.signer(jwtmint::Algorithm::Rs256).unwrap(),
        &tpl,
        &claims(),
    )
    .unwrap();
    let (input, sig) = token.rsplit_once('.').unwrap();
    let sig = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(sig)
        .unwrap();
    (token.clone(), input.as_bytes().to_vec(), sig)
}

fn verify(c: &mut Criterion) {
    let key = SigningKey::from_pem(DEMO_KEY).unwrap();
    let vk = jwtmint::VerifyingKey::new(jwtmint::PublicKey::from(&key), Algorithm::Rs256);
    let rsa_pub = demo_rsa_key().to_public_key();
    let (token, input, sig) = salesforce_token();
    let mut buf = [0u8; 1024];
    let policy = jwtmint::validate::Validation::new();
    let mut g = c.benchmark_group("verify");
    g.bench_function("jwtmint", |b| {
        b.iter(|| {
            // The safe path: signature, then `exp` (required) at a `now` before it.
            let jwt = vk
                .verify(black_box(token.as_bytes()), &mut buf, &policy, EXP - 60)
                .unwrap();
            jwt.claims.exp
        })
    });
    g.bench_function("raw_rsa_verify", |b| {
        b.iter(|| {
            let digest = sha2::Sha256::digest(black_box(&input));
            rsa_pub
                .verify(
                    rsa::Pkcs1v15Sign::new::<sha2::Sha256>(),
                    &digest,
                    black_box(&sig),
                )
                .unwrap()
        })
    });
    // Same, with the verifying key built once (as jwtmint's VerifyingKey does).
    let rsa_vk = rsa::pkcs1v15::VerifyingKey::<sha2::Sha256>::new(rsa_pub.clone());
    g.bench_function("raw_rsa_verifying_key", |b| {
        b.iter(|| {
            use rsa::signature::Verifier;
            let s = rsa::pkcs1v15::Signature::try_from(black_box(sig.as_slice())).unwrap();
            rsa_vk.verify(black_box(&input), &s).unwrap()
        })
    });
    g.bench_function("parse_only", |b| {
        b.iter(|| {
            jwtmint::parse::parse_jwt(black_box(token.as_bytes()), &mut buf)
                .unwrap()
                .claims
                .exp
        })
    });
    g.finish();
}

const SF_RESPONSE: &[u8] = br#"{"access_token":"00Dxx0000001gPL!AR8AQJXg5oj8jXSgxJfA0lBog.39AsX.LVpxezPwuX5VAIrrbbHMuol7GQxnMeYMN7cj8EoWr78nt1u44zU31IbYNNJguseu","scope":"web openid api id","instance_url":"https://yourInstance.salesforce.com","id":"https://yourInstance.salesforce.com/id/00Dxx0000001gPLEAY/005xx000001SwiUAAS","token_type":"Bearer","issued_at":"1700000000123","signature":"Ww4Ls3TxFCf2+ZL9d0Ke6QLRmjt8Gw5FkW6R/j+NmWg="}"#;

/// What people write with serde_json: an owned struct.
#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct OwnedTokenResponse {
    access_token: Option<String>,
    token_type: Option<String>,
    expires_in: Option<u64>,
    refresh_token: Option<String>,
    scope: Option<String>,
    instance_url: Option<String>,
    id: Option<String>,
    issued_at: Option<String>,
    signature: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

fn parse(c: &mut Criterion) {
    let mut g = c.benchmark_group("parse");
    g.bench_function("jwtmint_token_response", |b| {
        b.iter(|| jwtmint::TokenResponse::parse(black_box(SF_RESPONSE)).unwrap())
    });
    g.bench_function("serde_json_owned", |b| {
        b.iter(|| serde_json::from_slice::<OwnedTokenResponse>(black_box(SF_RESPONSE)).unwrap())
    });
    g.finish();
}

/// ES256, EdDSA and HS256 mint beside jsonwebtoken's `encode` for the same
/// algorithm (rust_crypto provider), pure-Rust backend on both sides.
fn mint_algs(c: &mut Criterion) {
    let _ = jsonwebtoken::crypto::rust_crypto::DEFAULT_PROVIDER.install_default();
    common::mint_algs(
        c,
        jwtmint::Backend::RustCrypto,
        "",
        "jsonwebtoken_rust_crypto",
    );
}

criterion_group!(
    benches, encode, mint, mint_algs, key_parse, form_body, verify, parse
);
criterion_main!(benches);
