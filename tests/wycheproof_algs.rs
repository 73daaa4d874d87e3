//! Wycheproof verify vectors for every algorithm beyond RS256/PS256 (the
//! files listed in tests/data/vectors/wycheproof/README), on every compiled
//! backend, with 0 mismatches:
//! - ECDSA P-256/P-384/P-521 in the P1363 `r || s` form (ES256/384/512);
//! - Ed25519 (EdDSA);
//! - HMAC-SHA256/384/512 (HS256/384/512), full-length tags only;
//! - RSASSA-PSS 2048/3072/4096 with SHA-256/384/512, salt = hash length
//!   (PS256/384/512);
//! - RSASSA-PKCS1-v1_5 with SHA-384/512 (RS384/RS512).
//!
//! Decisions (also in the README there):
//! - `acceptable` cases: every one is **refused** (RSA `MissingNull`; PSS
//!   with the other salt lengths does not occur in the JOSE-parameter files).
//!   The test asserts that each acceptable case is refused, and counts them.
//! - HMAC keys shorter than the hash output are refused by policy (RFC 7518
//!   §3.2) with `HmacKeyTooShort` — counted as "short key", never as a pass;
//!   truncated-tag groups (`tagSize` < digest) are not JOSE and not run.
#![cfg(all(
    feature = "std",
    feature = "es256",
    feature = "es384",
    feature = "es512",
    feature = "eddsa",
    feature = "hmac"
))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use jwtmint::{Algorithm, Backend, Error, PublicKey, VerifyingKey};

fn hex(s: &str) -> Vec<u8> {
    hex::decode(s).unwrap()
}

#[derive(Default, Debug)]
struct Tally {
    valid: usize,
    invalid: usize,
    acceptable_refused: usize,
    short_key: usize,
    mismatches: usize,
}

/// Runs one verify-vector file with `key_of(group)` and `alg`.
fn run_file(
    file: &str,
    alg: Algorithm,
    backend: Backend,
    group_ok: impl Fn(&serde_json::Value) -> bool,
    key_of: impl Fn(&serde_json::Value) -> Result<PublicKey, Error>,
) -> Tally {
    let v = common::json(&format!("wycheproof/testvectors_v1/{file}"));
    let mut t = Tally::default();
    for g in v["testGroups"].as_array().unwrap() {
        if !group_ok(g) {
            continue;
        }
        let key = key_of(g);
        for case in g["tests"].as_array().unwrap() {
            let msg = hex(case["msg"].as_str().unwrap());
            let sig = hex(case
                .get("sig")
                .or_else(|| case.get("tag"))
                .unwrap()
                .as_str()
                .unwrap());
            let got = match &key {
                Ok(k) => {
                    let vk = VerifyingKey::try_new(k.clone(), &[alg])
                        .unwrap()
                        .with_backend(backend);
                    // aws-lc really verifies (no silent fallback to RustCrypto).
                    assert_eq!(vk.backend(), backend, "{file} tcId {}", case["tcId"]);
                    vk.verify_signature(alg, &msg, &sig)
                }
                Err(e) => Err(*e),
            };
            let result = case["result"].as_str().unwrap();
            if let Err(Error::HmacKeyTooShort { .. }) = got {
                t.short_key += 1;
                continue;
            }
            let ok = got.is_ok();
            let expect = match result {
                "valid" => {
                    t.valid += 1;
                    true
                }
                "invalid" => {
                    t.invalid += 1;
                    false
                }
                "acceptable" => {
                    t.acceptable_refused += 1;
                    false // decided: refuse every acceptable case
                }
                r => panic!("result {r}"),
            };
            if ok != expect {
                t.mismatches += 1;
                eprintln!(
                    "{file} {backend:?} tcId {} {} ({result}): got {got:?}",
                    case["tcId"], case["comment"]
                );
            }
        }
    }
    eprintln!("{file} {alg:?} {backend:?}: {t:?}");
    assert_eq!(t.mismatches, 0, "{file} on {backend:?}");
    assert!(t.valid > 0 && t.invalid > 0, "{file}: {t:?}");
    t
}

/// The group's SPKI; its PEM and JWK forms parse to the same key.
fn spki_key(g: &serde_json::Value) -> Result<PublicKey, Error> {
    let k = PublicKey::from_der(&hex(g["publicKeyDer"].as_str().unwrap()))?;
    assert_eq!(
        PublicKey::from_pem(g["publicKeyPem"].as_str().unwrap()).as_ref(),
        Ok(&k)
    );
    if let Some(jwk) = g.get("publicKeyJwk") {
        assert_eq!(PublicKey::from_jwk(&jwk.to_string()).as_ref(), Ok(&k));
    }
    Ok(k)
}

#[test]
fn wycheproof_ecdsa_p1363() {
    for backend in Backend::ALL {
        for (file, alg) in [
            ("ecdsa_secp256r1_sha256_p1363_test.json", Algorithm::Es256),
            ("ecdsa_secp384r1_sha384_p1363_test.json", Algorithm::Es384),
            ("ecdsa_secp521r1_sha512_p1363_test.json", Algorithm::Es512),
        ] {
            run_file(file, alg, *backend, |_| true, spki_key);
        }
    }
}

#[test]
fn wycheproof_ed25519() {
    for backend in Backend::ALL {
        run_file(
            "ed25519_test.json",
            Algorithm::EdDsa,
            *backend,
            |_| true,
            spki_key,
        );
    }
}

#[test]
fn wycheproof_hmac() {
    for backend in Backend::ALL {
        for (file, alg) in [
            ("hmac_sha256_test.json", Algorithm::Hs256),
            ("hmac_sha384_test.json", Algorithm::Hs384),
            ("hmac_sha512_test.json", Algorithm::Hs512),
        ] {
            let full = alg.hash_len() as u64 * 8;
            // One key per test: the group's key is per case here.
            let v = common::json(&format!("wycheproof/testvectors_v1/{file}"));
            let (mut valid, mut invalid, mut short, mut mismatches) = (0, 0, 0, 0);
            for g in v["testGroups"].as_array().unwrap() {
                if g["tagSize"].as_u64() != Some(full) {
                    continue; // truncated MACs are not JOSE
                }
                for case in g["tests"].as_array().unwrap() {
                    let key = hex(case["key"].as_str().unwrap());
                    let msg = hex(case["msg"].as_str().unwrap());
                    let tag = hex(case["tag"].as_str().unwrap());
                    let got = PublicKey::from_hmac_secret(&key).and_then(|k| {
                        let vk = VerifyingKey::try_new(k, &[alg])?.with_backend(*backend);
                        assert_eq!(vk.backend(), *backend);
                        vk.verify_signature(alg, &msg, &tag)
                    });
                    if let Err(Error::HmacKeyTooShort { len, min }) = got {
                        assert!(len < alg.hash_len() && min >= 32);
                        short += 1;
                        continue;
                    }
                    let expect = match case["result"].as_str().unwrap() {
                        "valid" => {
                            valid += 1;
                            true
                        }
                        "invalid" => {
                            invalid += 1;
                            false
                        }
                        r => panic!("result {r}"),
                    };
                    if got.is_ok() != expect {
                        mismatches += 1;
                        eprintln!("{file} tcId {}: got {got:?}", case["tcId"]);
                    }
                }
            }
            eprintln!(
                "{file} {backend:?}: {valid} valid, {invalid} invalid, {short} short keys refused, {mismatches} mismatches"
            );
            assert_eq!(mismatches, 0);
            assert!(valid > 0 && invalid > 0);
        }
    }
}

#[test]
fn wycheproof_rsa_pss() {
    for backend in Backend::ALL {
        for (file, alg) in [
            ("rsa_pss_2048_sha256_mgf1_32_test.json", Algorithm::Ps256),
            ("rsa_pss_3072_sha256_mgf1_32_test.json", Algorithm::Ps256),
            ("rsa_pss_4096_sha256_mgf1_32_test.json", Algorithm::Ps256),
            ("rsa_pss_2048_sha384_mgf1_48_test.json", Algorithm::Ps384),
            ("rsa_pss_4096_sha512_mgf1_64_test.json", Algorithm::Ps512),
        ] {
            let t = run_file(
                file,
                alg,
                *backend,
                |g| {
                    // JOSE fixes MGF1 with the same hash and salt = hash length.
                    g["sLen"].as_u64() == Some(alg.hash_len() as u64) && g["mgfSha"] == g["sha"]
                },
                spki_key,
            );
            assert_eq!(t.short_key, 0);
        }
    }
}

#[test]
fn wycheproof_rsa_pkcs1_sha384_sha512() {
    for backend in Backend::ALL {
        for (file, alg) in [
            ("rsa_signature_2048_sha384_test.json", Algorithm::Rs384),
            ("rsa_signature_3072_sha384_test.json", Algorithm::Rs384),
            ("rsa_signature_2048_sha512_test.json", Algorithm::Rs512),
            ("rsa_signature_4096_sha512_test.json", Algorithm::Rs512),
        ] {
            run_file(file, alg, *backend, |_| true, spki_key);
        }
    }
}
