//! Shared helpers for the integration tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

/// `../shared/vectors` beside the repository (override with `JWTMINT_VECTORS`).
pub fn vectors() -> PathBuf {
    if let Ok(p) = std::env::var("JWTMINT_VECTORS") {
        return PathBuf::from(p);
    }
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/vectors");
    assert!(
        p.is_dir(),
        "test vectors not found at {}; set JWTMINT_VECTORS",
        p.display()
    );
    p
}

pub fn read(rel: &str) -> Vec<u8> {
    let p = vectors().join(rel);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

pub fn read_str(rel: &str) -> String {
    String::from_utf8(read(rel)).unwrap()
}

pub fn json(rel: &str) -> serde_json::Value {
    serde_json::from_slice(&read(rel)).unwrap()
}

pub fn data(name: &str) -> Vec<u8> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

pub const DEMO_KEY: &str = include_str!("../../examples/keys/demo-key.pem");

/// The demo key's public half, parsed by the `rsa` crate itself: tests check
/// jwtmint's signatures against it independently of jwtmint's key parsing.
#[cfg(feature = "alloc")]
pub fn demo_rsa_public_key() -> rsa::RsaPublicKey {
    use rsa::pkcs8::DecodePublicKey;
    rsa::RsaPublicKey::from_public_key_pem(include_str!("../../examples/keys/demo-key.pub.pem"))
        .unwrap()
}
