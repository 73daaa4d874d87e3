//! Shared helpers for the integration tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

pub mod authlib;
pub mod custom_idp;
pub mod http;
pub mod peers;
pub mod py_server;

/// The repository root: the library's manifest directory, or its parent when
/// these helpers are compiled into the CLI crate's tests (`cli/`).
pub fn repo_root() -> PathBuf {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    if here.join("tests/data").is_dir() {
        here
    } else {
        here.join("..")
    }
}

/// The vendored published vectors, `tests/data/vectors/` (see its README);
/// `JWTMINT_VECTORS=/path` overrides the directory (same layout).
pub fn vectors() -> PathBuf {
    let p = match std::env::var_os("JWTMINT_VECTORS") {
        Some(p) => PathBuf::from(p),
        None => repo_root().join("tests/data/vectors"),
    };
    assert!(p.is_dir(), "test vectors not found at {}", p.display());
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
    let p = repo_root().join("tests/data").join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

pub const DEMO_KEY: &str = include_str!("../../examples/keys/demo-key.pem");
