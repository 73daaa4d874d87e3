//! Proves ES256, ES384, EdDSA and HS256/384/512 mint with zero heap
//! allocations, with a counting global allocator: the no-allocator signer
//! types (`EcdsaKey`, `Ed25519Key`, `HmacKey`; these run under
//! `--no-default-features` too) and, with `std`, `SigningKey::signer`. One
//! test in this binary, so no other test thread allocates while it counts.
#![cfg(all(
    feature = "es256",
    feature = "es384",
    feature = "eddsa",
    feature = "hmac"
))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "common/counting_alloc.rs"]
mod counting_alloc;

use counting_alloc::count;
use jwtmint::{
    Algorithm, Claims, EcdsaKey, Ed25519Key, Header, HeaderTemplate, HmacKey, JwsSigner,
};

#[global_allocator]
static GLOBAL: counting_alloc::Counting = counting_alloc::Counting;

fn pem_der(name: &str) -> Vec<u8> {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data")
            .join(name),
    )
    .unwrap();
    let body: String = text.lines().filter(|l| !l.starts_with("-----")).collect();
    base64::Engine::decode(&base64::engine::general_purpose::STANDARD, body).unwrap()
}

/// Mints once to warm up, then counts allocations of a second mint.
fn allocations(signer: &mut dyn JwsSigner, claims: &Claims<'_>) -> (usize, usize) {
    let tpl = HeaderTemplate::new(&Header::new(signer.algorithm())).unwrap();
    let mut out = [0u8; 1024];
    jwtmint::mint(signer, &tpl, claims, &mut out).unwrap();
    let (n, allocs, bytes) = count(|| jwtmint::mint(signer, &tpl, claims, &mut out).unwrap());
    assert!(n > 0);
    (allocs, bytes)
}

#[test]
fn es_eddsa_hs_mint_without_heap() {
    let claims = Claims::new()
        .iss("client")
        .sub("user@example.com")
        .aud("https://login.example.com/token")
        .exp(1_700_000_180)
        .iat(1_700_000_000)
        .jti("7c3a");
    let p256 = EcdsaKey::from_pkcs8_der(&pem_der("ec-p256.pem")).unwrap();
    let p384 = EcdsaKey::from_pkcs8_der(&pem_der("ec-p384.pem")).unwrap();
    let ed = Ed25519Key::from_pkcs8_der(&pem_der("ed25519.pem")).unwrap();
    let secret = [0x5au8; 64];
    let hs = [Algorithm::Hs256, Algorithm::Hs384, Algorithm::Hs512]
        .map(|a| HmacKey::new(a, &secret).unwrap());
    let mut signers: Vec<(&str, Box<dyn JwsSigner + '_>)> = vec![
        ("ES256", Box::new(p256.signer(Algorithm::Es256).unwrap())),
        ("ES384", Box::new(p384.signer(Algorithm::Es384).unwrap())),
        ("EdDSA", Box::new(ed.signer(Algorithm::EdDsa).unwrap())),
    ];
    for k in &hs {
        signers.push(("HS*", Box::new(k.signer(k.algorithm()).unwrap())));
    }
    for (name, s) in &mut signers {
        let (allocs, bytes) = allocations(s.as_mut(), &claims);
        assert_eq!((allocs, bytes), (0, 0), "{name} mint allocated");
    }
    // The allocator-backed key types make the same no-heap signers.
    #[cfg(feature = "std")]
    for (alg, file) in [
        (Algorithm::Es256, "ec-p256.pem"),
        (Algorithm::EdDsa, "ed25519.pem"),
    ] {
        let text = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/data")
                .join(file),
        )
        .unwrap();
        let key = jwtmint::SigningKey::from_pem(&text)
            .unwrap()
            .with_backend(jwtmint::Backend::RustCrypto)
            .unwrap();
        let mut s = key.signer(alg).unwrap();
        assert_eq!(
            allocations(&mut s, &claims),
            (0, 0),
            "{alg:?} via SigningKey"
        );
    }
    #[cfg(feature = "std")]
    {
        let key = jwtmint::SigningKey::from_hmac_secret(&secret)
            .unwrap()
            .with_backend(jwtmint::Backend::RustCrypto)
            .unwrap();
        let mut s = key.signer(Algorithm::Hs256).unwrap();
        assert_eq!(allocations(&mut s, &claims), (0, 0), "HS256 via SigningKey");
    }
}
