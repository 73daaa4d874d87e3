//! The workload every bench shares, so ratios across bench files compare the
//! same thing: the demo key and Salesforce-shaped claims (85-character
//! consumer key, e-mail subject, login.salesforce.com, 10-digit `exp`).
#![allow(dead_code)]

use jwtmint::Claims;

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
