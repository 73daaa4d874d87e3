//! The aws-lc backend (feature `aws-lc`) beside its anchors, same run:
//! - `awslc_mint_rs256_{2048,3072,4096}`: jwtmint mint vs raw `aws-lc-rs`
//!   sign of the same signing input (goal: overhead ≤ 2 %);
//! - `awslc_mint_rs256_2048/jsonwebtoken_aws_lc`: `jsonwebtoken` 11 `encode`
//!   with its aws_lc_rs provider, key built once outside the loop (goal:
//!   jwtmint ≥ 2.5× faster);
//! - `awslc_key_parse`: PKCS#8 PEM into an aws-lc key (parse once!).
//!
//! `benches/report.sh` also runs `openssl speed` for the sign/s comparison.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::hint::black_box;

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::RSA_PKCS1_SHA256;
use criterion::{Criterion, criterion_group, criterion_main};
use jwtmint::{Algorithm, Backend, Header, HeaderTemplate, SigningKey};

#[path = "common/mod.rs"]
mod common;

use common::DEMO_KEY;

fn pem(bits: usize) -> String {
    match bits {
        2048 => DEMO_KEY.to_owned(),
        _ => std::fs::read_to_string(format!(
            "{}/tests/data/rsa{bits}.pem",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap(),
    }
}

fn mint(c: &mut Criterion) {
    let _ = jsonwebtoken::crypto::aws_lc::DEFAULT_PROVIDER.install_default();
    let tpl = HeaderTemplate::new(&Header::new(Algorithm::Rs256)).unwrap();
    let claims = common::claims();
    for bits in [2048, 3072, 4096] {
        let pem = pem(bits);
        let key = SigningKey::from_pem(&pem)
            .unwrap()
            .with_backend(Backend::AwsLc)
            .unwrap();
        assert_eq!(key.backend(), Backend::AwsLc);
        let mut out = [0u8; 2048];
        let n = jwtmint::write_signing_input(&tpl, &claims, &mut out).unwrap();
        let input = out[..n].to_vec();
        let der = {
            let (_, doc) =
                pkcs8::SecretDocument::from_pem(pem.trim_start_matches(|c: char| c != '-'))
                    .unwrap();
            doc.as_bytes().to_vec()
        };
        let pair = aws_lc_rs::rsa::KeyPair::from_pkcs8(&der).unwrap();
        let rng = SystemRandom::new();
        let mut sig = vec![0u8; pair.public_modulus_len()];

        let mut g = c.benchmark_group(format!("awslc_mint_rs256_{bits}"));
        g.sample_size(if bits == 2048 { 60 } else { 20 });
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
        let ps_tpl = HeaderTemplate::new(&Header::new(Algorithm::Ps256)).unwrap();
        g.bench_function("jwtmint_ps256", |b| {
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
        g.bench_function("raw_aws_lc_sign", |b| {
            b.iter(|| {
                pair.sign(&RSA_PKCS1_SHA256, &rng, black_box(&input), &mut sig)
                    .unwrap()
            })
        });
        if bits == 2048 {
            let jwt_key = jsonwebtoken::EncodingKey::from_rsa_pem(pem.as_bytes()).unwrap();
            let jwt_header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
            let naive = common::naive_claims();
            g.bench_function("jsonwebtoken_aws_lc", |b| {
                b.iter(|| {
                    jsonwebtoken::encode(black_box(&jwt_header), black_box(&naive), &jwt_key)
                        .unwrap()
                })
            });
        }
        g.finish();
    }
}

fn key_parse(c: &mut Criterion) {
    let mut g = c.benchmark_group("awslc_key_parse");
    g.sample_size(30);
    g.bench_function("pkcs8_pem_to_awslc", |b| {
        b.iter(|| {
            SigningKey::from_pem(black_box(DEMO_KEY))
                .unwrap()
                .with_backend(Backend::AwsLc)
                .unwrap()
        })
    });
    g.finish();
}

/// ES256, EdDSA and HS256 mint through aws-lc, beside jsonwebtoken's
/// `encode` on its aws_lc_rs provider and raw aws-lc-rs signing of the same
/// signing input. `openssl speed ecdsap256 ed25519` is the throughput anchor
/// (benches/report.sh).
fn mint_algs(c: &mut Criterion) {
    let _ = jsonwebtoken::crypto::aws_lc::DEFAULT_PROVIDER.install_default();
    common::mint_algs(c, Backend::AwsLc, "awslc_", "jsonwebtoken_aws_lc");
}

criterion_group!(benches, mint, mint_algs, key_parse);
criterion_main!(benches);
