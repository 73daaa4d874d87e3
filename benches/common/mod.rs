//! The workload every bench shares, so ratios across bench files compare the
//! same thing: the demo key and Salesforce-shaped claims (85-character
//! consumer key, e-mail subject, login.salesforce.com, 10-digit `exp`).
#![allow(dead_code)]

use std::hint::black_box;

use criterion::Criterion;
use jwtmint::{Algorithm, Backend, Claims, Header, HeaderTemplate, SigningKey};

/// The bundled DEMO key (public; RSA-2048, PKCS#8 PEM).
pub const DEMO_KEY: &str = include_str!("../../examples/keys/demo-key.pem");
/// An EC P-256 key (PKCS#8 PEM, as Apple `.p8` keys are) for ES256.
pub const EC_P256_KEY: &str = include_str!("../../tests/data/ec-p256.pem");
/// An Ed25519 key (PKCS#8 PEM, RFC 8410) for EdDSA.
pub const ED25519_KEY: &str = include_str!("../../tests/data/ed25519.pem");
/// The DEMO key parsed by the `rsa` crate itself, for the raw-`rsa` baselines
/// (jwtmint keeps `rsa`'s types out of its public API).
pub fn demo_rsa_key() -> rsa::RsaPrivateKey {
    use rsa::pkcs8::DecodePrivateKey;
    let pem = &DEMO_KEY[DEMO_KEY.find("-----BEGIN").unwrap()..];
    rsa::RsaPrivateKey::from_pkcs8_pem(pem).unwrap()
}

/// `iss`: a Salesforce consumer key.
pub const ISS: &str =
    "3MVG9A2kN3Bn17hs8MIaQx1voVGy662rXlC37svtmLmt6wO_iik8Hnk3DlcYjKRvzVNGWLFlGRH1ryHwS217h";
/// `sub`: the Salesforce user name.
pub const SUB: &str = "integration.user@example.com";
/// `aud`: the production login server.
pub const AUD: &str = "https://login.salesforce.com";
/// `exp`: seconds.
pub const EXP: i64 = 1_700_000_180;

/// The claims above as a jwtmint claims set.
pub fn claims() -> Claims<'static> {
    Claims::new().iss(ISS).sub(SUB).aud(AUD).exp(EXP)
}

/// The same claims for the serde-based anchors (naive encoder, jsonwebtoken).
#[derive(serde::Serialize)]
pub struct NaiveClaims<'a> {
    pub iss: &'a str,
    pub sub: &'a str,
    pub aud: &'a str,
    pub exp: i64,
}

/// [`NaiveClaims`] holding the claims above.
pub fn naive_claims() -> NaiveClaims<'static> {
    NaiveClaims {
        iss: ISS,
        sub: SUB,
        aud: AUD,
        exp: EXP,
    }
}

/// ES256, EdDSA and HS256 mint on `backend` beside jsonwebtoken's `encode`
/// for the same key (the caller installs jsonwebtoken's provider), one
/// criterion group per algorithm, `{prefix}mint_es256` etc., with the
/// functions `jwtmint` and `jwt_label`.
pub fn mint_algs(c: &mut Criterion, backend: Backend, prefix: &str, jwt_label: &str) {
    let claims = claims();
    let naive = naive_claims();
    let secret = [0x5au8; 32];
    let cases = [
        (
            "mint_es256",
            Algorithm::Es256,
            SigningKey::from_pem(EC_P256_KEY).unwrap(),
            jsonwebtoken::EncodingKey::from_ec_pem(EC_P256_KEY.as_bytes()).unwrap(),
            jsonwebtoken::Algorithm::ES256,
        ),
        (
            "mint_eddsa",
            Algorithm::EdDsa,
            SigningKey::from_pem(ED25519_KEY).unwrap(),
            jsonwebtoken::EncodingKey::from_ed_pem(ED25519_KEY.as_bytes()).unwrap(),
            jsonwebtoken::Algorithm::EdDSA,
        ),
        (
            "mint_hs256",
            Algorithm::Hs256,
            SigningKey::from_hmac_secret(&secret).unwrap(),
            jsonwebtoken::EncodingKey::from_secret(&secret),
            jsonwebtoken::Algorithm::HS256,
        ),
    ];
    for (group, alg, key, jwt_key, jwt_alg) in cases {
        let key = key.with_backend(backend).unwrap();
        assert_eq!(key.backend(), backend);
        let tpl = HeaderTemplate::new(&Header::new(alg)).unwrap();
        let jwt_header = jsonwebtoken::Header::new(jwt_alg);
        let mut out = [0u8; 1024];
        let mut g = c.benchmark_group(format!("{prefix}{group}"));
        g.bench_function("jwtmint", |b| {
            let mut signer = key.signer(alg).unwrap();
            b.iter(|| {
                jwtmint::mint(&mut signer, black_box(&tpl), black_box(&claims), &mut out).unwrap()
            })
        });
        g.bench_function(jwt_label, |b| {
            b.iter(|| {
                jsonwebtoken::encode(black_box(&jwt_header), black_box(&naive), &jwt_key).unwrap()
            })
        });
        g.finish();
    }
}
