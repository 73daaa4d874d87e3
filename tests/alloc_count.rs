//! Proves the encode path performs zero heap allocations, with a counting
//! global allocator. One test in this binary, so no other test thread allocates
//! while it counts.
#![cfg(feature = "std")] // keys and signing need `std` (`alloc` + OS RNG)
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
#[path = "common/counting_alloc.rs"]
mod counting_alloc;

use counting_alloc::{count, peak};

use jwtmint::{
    Algorithm, Audience, ClaimValue, Claims, Header, HeaderTemplate, JwsSigner, RawJson,
};

#[global_allocator]
static GLOBAL: counting_alloc::Counting = counting_alloc::Counting;

/// A signer that allocates nothing (as an HSM callback or a no_std signer would).
struct FixedSigner;
impl JwsSigner for FixedSigner {
    fn algorithm(&self) -> Algorithm {
        Algorithm::Rs256
    }
    fn signature_len(&self) -> usize {
        256
    }
    fn sign(&mut self, input: &[u8], sig: &mut [u8]) -> jwtmint::Result<usize> {
        for (i, b) in sig.iter_mut().enumerate() {
            *b = input[i % input.len()];
        }
        Ok(256)
    }
}

/// A key for the profile path: makes a [`FixedSigner`]-like signer for any algorithm.
struct FixedKey;
struct AnyFixed(Algorithm);
impl JwsSigner for AnyFixed {
    fn algorithm(&self) -> Algorithm {
        self.0
    }
    fn signature_len(&self) -> usize {
        256
    }
    fn sign(&mut self, input: &[u8], sig: &mut [u8]) -> jwtmint::Result<usize> {
        FixedSigner.sign(input, sig)
    }
}
impl jwtmint::JwsKey for FixedKey {
    type Signer<'k> = AnyFixed;
    fn signer(&self, alg: Algorithm) -> jwtmint::Result<AnyFixed> {
        Ok(AnyFixed(alg))
    }
}

#[test]
fn encode_path_allocates_nothing() {
    let key = jwtmint::SigningKey::from_pem(common::DEMO_KEY).unwrap();
    let raw = RawJson::new(r#"{"roles":["admin"]}"#).unwrap();
    let extra = [
        ("tenant", ClaimValue::Str("ac\"me\n")),
        ("n", ClaimValue::Int(7)),
        ("r", ClaimValue::Raw(raw)),
    ];
    let claims = Claims {
        iss: Some(
            "3MVG9A2kN3Bn17hs8MIaQx1voVGy662rXlC37svtmLmt6wO_iik8Hnk3DlcYjKRvzVNGWLFlGRH1ryHwS217h",
        ),
        sub: Some("integration.user@example.com"),
        aud: Some(Audience::Many(&["https://login.salesforce.com", "é"])),
        exp: Some(1_700_000_180),
        iat: Some(1_700_000_000),
        extra: &extra,
        ..Claims::new()
    };
    let mut out = [0u8; 2048];

    let (tpl, n, _) =
        count(|| HeaderTemplate::new(&Header::new(Algorithm::Rs256).kid("k1")).unwrap());
    assert_eq!(n, 0, "header template");
    let (_, n, _) = count(|| claims.validate().unwrap());
    assert_eq!(n, 0, "validate");
    let (len, n, _) = count(|| jwtmint::signing_input_len(&tpl, &claims).unwrap());
    assert_eq!(n, 0, "signing_input_len");
    let (w, n, _) = count(|| jwtmint::write_signing_input(&tpl, &claims, &mut out).unwrap());
    assert_eq!((n, w), (0, len), "signing input");
    let (w, n, _) = count(|| jwtmint::mint(&mut FixedSigner, &tpl, &claims, &mut out).unwrap());
    assert_eq!(
        n, 0,
        "mint with a non-allocating signer (encode + assembly)"
    );
    assert_eq!(w, jwtmint::mint_len(&tpl, &claims, 256).unwrap());
    // The minted assertion, before `out` is reused (form bodies take only a compact JWS).
    let assertion = std::str::from_utf8(&out[..w]).unwrap().to_owned();
    let (_, n, _) =
        count(|| jwtmint::mint(&mut FixedSigner, &tpl, &claims, &mut out[..100]).unwrap_err());
    assert_eq!(n, 0, "buffer-too-small path");
    let (_, n, _) = count(|| {
        jwtmint::sign_raw(
            &mut FixedSigner,
            b"{\"alg\":\"RS256\"}",
            b"payload",
            &mut out,
        )
        .unwrap()
    });
    assert_eq!(n, 0, "sign_raw");
    let mut body = [0u8; 2048];
    let (_, n, _) =
        count(|| jwtmint::form::grant_body(&assertion, &[("scope", "a b")], &mut body).unwrap());
    assert_eq!(n, 0, "form body");
    let (_, n, _) =
        count(|| jwtmint::mint_heapless::<1024, _>(&mut FixedSigner, &tpl, &claims).unwrap());
    assert_eq!(n, 0, "heapless wrapper");
    let (_, n, _) = count(|| RawJson::new(r#"[{"a":[1,2,{"b":null}]}]"#).unwrap());
    assert_eq!(n, 0, "raw JSON validation");

    // Provider profiles: construction and the encode path allocate nothing either.
    let (sf, n, _) = count(|| {
        jwtmint::profiles::Salesforce::new(
            "ck",
            "u@example.com",
            jwtmint::profiles::Login::Production,
        )
        .unwrap()
    });
    assert_eq!(n, 0, "salesforce profile");
    let (_, n, _) = count(|| {
        jwtmint::profiles::mint_profile(&sf, &FixedKey, 1_700_000_000, None, &mut out).unwrap()
    });
    assert_eq!(n, 0, "salesforce mint");
    let thumb = "A1bC2dE3fH4iJ5kL6mN7oP8qR9sT0uV1wX2yZ3a4b5c";
    let (entra, n, _) = count(|| {
        jwtmint::profiles::Entra::new(
            "contoso.onmicrosoft.com",
            "cid",
            jwtmint::profiles::Thumbprint::Sha256(thumb),
        )
        .unwrap()
    });
    assert_eq!(n, 0, "entra profile");
    let (_, n, _) = count(|| {
        jwtmint::profiles::mint_profile(&entra, &FixedKey, 1_700_000_000, Some("jti-1"), &mut out)
            .unwrap()
    });
    assert_eq!(n, 0, "entra mint");

    // For the record (docs/BENCHMARKS.md): what the RSA backend itself allocates.
    let (_, n, bytes) = count(|| {
        jwtmint::mint(
            &mut key.signer(jwtmint::Algorithm::Rs256).unwrap(),
            &tpl,
            &claims,
            &mut out,
        )
        .unwrap()
    });
    println!("rs256 mint (rsa backend, blinded): {n} allocations, {bytes} bytes");
    assert!(
        n > 0,
        "the rsa backend is expected to allocate; update docs if this changes"
    );
    let (_, n, bytes) = count(|| jwtmint::SigningKey::from_pem(common::DEMO_KEY).unwrap());
    println!("key parse (PKCS#8 PEM): {n} allocations, {bytes} bytes");

    // Heap high-water marks of the firmware path (examples/firmware): DER key
    // parse, then one blinded RS256-2048 mint. Budget: 16 KiB for the mint.
    let der = common::data("demo-pkcs8.der");
    let (key, parse_peak) = peak(|| jwtmint::SigningKey::from_pkcs8_der(&der).unwrap());
    let mut rng = getrandom::SysRng;
    let (_, mint_peak) = peak(|| {
        jwtmint::mint(
            &mut key
                .signer_with_rng(jwtmint::Algorithm::Rs256, &mut rng)
                .unwrap(),
            &tpl,
            &claims,
            &mut out,
        )
        .unwrap()
    });
    println!(
        "heap high-water: DER key parse {parse_peak} bytes, RS256-2048 mint {mint_peak} bytes"
    );
    assert!(mint_peak > 0 && parse_peak > 0);
}
