//! The key seam (issue 22): every key type is a `JwsKey` a profile mints
//! with, each assertion verified with the public key; one way to get a
//! signer (`signer`, `signer_with_rng`, `signer_unblinded`) with the key
//! type checked when the signer is built; one fingerprint per key whatever
//! type holds it; profiles that own their key mint without it.
#![cfg(all(
    feature = "std",
    feature = "es256",
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

use std::sync::Arc;

use jwtmint::alg::KeyKind;
use jwtmint::keys::RustCryptoSigner;
use jwtmint::profiles::{
    BoxApp, BoxConfig, BoxSubject, Google, KeyedProfile, Profile, Rfc7523, ServiceAccount, WithKey,
    mint_keyed, mint_keyed_len, mint_keyed_string, mint_profile_string,
};
use jwtmint::{
    Algorithm, EcdsaKey, Ed25519Key, Error, Header, HmacKey, JwsKey, JwsSigner, PublicKey,
    SigningKey, VerifyingKey,
};

const NOW: i64 = 1_700_000_000;
const SECRET: [u8; 64] = [0x5a; 64];

fn pem(name: &str) -> String {
    String::from_utf8(common::data(name)).unwrap()
}

fn der(name: &str) -> Vec<u8> {
    let body: String = pem(name)
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    base64::Engine::decode(&base64::engine::general_purpose::STANDARD, body).unwrap()
}

/// A generic RFC 7523 profile signing with `alg`.
fn profile(alg: Algorithm) -> Rfc7523<'static> {
    Rfc7523::grant("client", "client", "https://idp.example.com/token")
        .unwrap()
        .with_header(&Header::new(alg))
        .unwrap()
}

/// Mints `alg`'s profile with `key` and verifies the token with `public`.
fn mint_and_verify<K: JwsKey + ?Sized>(key: &K, alg: Algorithm, public: &SigningKey) -> String {
    let p = profile(alg);
    let token = mint_profile_string(&p, key, NOW, None).unwrap();
    let vk = VerifyingKey::try_new(PublicKey::from(public), &[alg]).unwrap();
    let mut buf = vec![0u8; jwtmint::parse::buffer_len(token.as_bytes())];
    vk.verify_signature_only(token.as_bytes(), &mut buf)
        .unwrap_or_else(|e| panic!("{alg:?}: {e}"));
    token
}

#[test]
fn every_key_type_is_a_jws_key_for_profiles() {
    // EcdsaKey, Ed25519Key, HmacKey without a SigningKey around them.
    let ec = EcdsaKey::from_pkcs8_der(&der("ec-p256.pem")).unwrap();
    let ec_sk = SigningKey::from_pem(&pem("ec-p256.pem")).unwrap();
    mint_and_verify(&ec, Algorithm::Es256, &ec_sk);
    let ed = Ed25519Key::from_pkcs8_der(&der("ed25519.pem")).unwrap();
    let ed_sk = SigningKey::from_pem(&pem("ed25519.pem")).unwrap();
    // Ed25519 is deterministic: the same token through either type.
    assert_eq!(
        mint_and_verify(&ed, Algorithm::EdDsa, &ed_sk),
        mint_and_verify(&ed_sk, Algorithm::EdDsa, &ed_sk)
    );
    let hmac_sk = SigningKey::from_hmac_secret(&SECRET).unwrap();
    for alg in [Algorithm::Hs256, Algorithm::Hs384, Algorithm::Hs512] {
        let hk = HmacKey::new(alg, &SECRET).unwrap();
        assert_eq!(
            mint_and_verify(&hk, alg, &hmac_sk),
            mint_and_verify(&hmac_sk, alg, &hmac_sk)
        );
    }
    // A RustCrypto signer (here ed25519-dalek's own key) for its one algorithm.
    let seed = [7u8; 32];
    let ours = Ed25519Key::from_seed(&seed);
    let ours_sk = SigningKey::try_from(ours.clone()).unwrap();
    let rc = RustCryptoSigner::new(
        Algorithm::EdDsa,
        ed25519_dalek::SigningKey::from_bytes(&seed),
    )
    .unwrap();
    assert_eq!(
        mint_and_verify(&rc, Algorithm::EdDsa, &ours_sk),
        mint_and_verify(&ours, Algorithm::EdDsa, &ours_sk)
    );
    assert_eq!(
        JwsKey::signer(&rc, Algorithm::Es256).unwrap_err(),
        Error::UnsupportedAlgorithm
    );

    // RSA: the OS-blinded default, a lent RNG, and the unblinded key all
    // make the same (deterministic PKCS#1 v1.5) RS256 token; PS256 verifies.
    let rsa = SigningKey::from_pem(&pem("demo-pkcs1.pem")).unwrap();
    let by_os = mint_and_verify(&rsa, Algorithm::Rs256, &rsa);
    assert_eq!(
        mint_and_verify(&rsa.with_rng(getrandom::SysRng), Algorithm::Rs256, &rsa),
        by_os
    );
    assert_eq!(
        mint_and_verify(&rsa.unblinded(), Algorithm::Rs256, &rsa),
        by_os
    );
    mint_and_verify(&rsa.with_rng(getrandom::SysRng), Algorithm::Ps256, &rsa);
    // The unblinded key cannot salt PSS: refused when the signer is built.
    assert_eq!(
        mint_profile_string(&profile(Algorithm::Ps256), &rsa.unblinded(), NOW, None).unwrap_err(),
        Error::Rng
    );
}

#[test]
fn one_way_to_get_a_signer_checks_the_key_type() {
    let ec = EcdsaKey::from_pkcs8_der(&der("ec-p256.pem")).unwrap();
    let mismatch = |key, alg| Error::KeyAlgorithmMismatch { key, alg };
    assert_eq!(
        ec.signer(Algorithm::Rs256).unwrap_err(),
        mismatch(KeyKind::P256, Algorithm::Rs256)
    );
    assert_eq!(
        ec.signer(Algorithm::Es384).unwrap_err(),
        mismatch(KeyKind::P256, Algorithm::Es384)
    );
    let mut rng = getrandom::SysRng;
    assert_eq!(
        ec.signer_with_rng(Algorithm::Es256, &mut rng)
            .unwrap()
            .algorithm(),
        Algorithm::Es256
    );
    let ed = Ed25519Key::from_pkcs8_der(&der("ed25519.pem")).unwrap();
    assert_eq!(
        ed.signer(Algorithm::Es256).unwrap_err(),
        mismatch(KeyKind::Ed25519, Algorithm::Es256)
    );
    // An HmacKey is bound to one HS*.
    let hk = HmacKey::new(Algorithm::Hs256, &SECRET).unwrap();
    assert_eq!(hk.signer(Algorithm::Hs256).unwrap().signature_len(), 32);
    assert_eq!(
        hk.signer(Algorithm::Hs384).unwrap_err(),
        mismatch(KeyKind::Hmac, Algorithm::Hs384)
    );
    let rsa = SigningKey::from_pem(&pem("demo-pkcs1.pem")).unwrap();
    assert_eq!(
        rsa.signer_with_rng(Algorithm::Es256, &mut rng).unwrap_err(),
        mismatch(KeyKind::Rsa, Algorithm::Es256)
    );
    assert_eq!(
        rsa.signer_unblinded(Algorithm::Ps256).unwrap_err(),
        Error::Rng
    );
    assert_eq!(
        rsa.signer_unblinded(Algorithm::Es256).unwrap_err(),
        mismatch(KeyKind::Rsa, Algorithm::Es256)
    );
    assert_eq!(
        rsa.unblinded()
            .signer(Algorithm::Rs384)
            .unwrap()
            .signature_len(),
        256
    );
    assert_eq!(
        rsa.with_rng(getrandom::SysRng)
            .signer(Algorithm::Hs256)
            .unwrap_err(),
        mismatch(KeyKind::Rsa, Algorithm::Hs256)
    );
}

#[test]
fn a_key_has_one_fingerprint_whatever_type_holds_it() {
    let ec = EcdsaKey::from_pkcs8_der(&der("ec-p256.pem")).unwrap();
    let ec_sk = SigningKey::from_pem(&pem("ec-p256.pem")).unwrap();
    assert_eq!(JwsKey::fingerprint(&ec), JwsKey::fingerprint(&ec_sk));
    let ed = Ed25519Key::from_pkcs8_der(&der("ed25519.pem")).unwrap();
    let ed_sk = SigningKey::from_pem(&pem("ed25519.pem")).unwrap();
    assert_eq!(JwsKey::fingerprint(&ed), JwsKey::fingerprint(&ed_sk));
    let hk = HmacKey::new(Algorithm::Hs512, &SECRET).unwrap();
    let h_sk = SigningKey::from_hmac_secret(&SECRET).unwrap();
    assert_eq!(JwsKey::fingerprint(&hk), JwsKey::fingerprint(&h_sk));
    let rsa = SigningKey::from_pem(&pem("demo-pkcs1.pem")).unwrap();
    let fp = JwsKey::fingerprint(&rsa);
    assert!(fp.is_some());
    assert_eq!(JwsKey::fingerprint(&rsa.unblinded()), fp);
    assert_eq!(JwsKey::fingerprint(&rsa.with_rng(getrandom::SysRng)), fp);
    // Different keys, different fingerprints.
    let all = [
        JwsKey::fingerprint(&ec),
        JwsKey::fingerprint(&ed),
        JwsKey::fingerprint(&hk),
        fp,
    ];
    for (i, a) in all.iter().enumerate() {
        for b in &all[i + 1..] {
            assert_ne!(a, b);
        }
    }
}

#[test]
fn profiles_that_own_their_key_mint_without_it() {
    // Google: the profile paired with its service account (a JwsKey).
    let sa = ServiceAccount::from_json(&common::data("demo-service-account.json")).unwrap();
    let google = Google::new(&sa, &["https://www.googleapis.com/auth/cloud-platform"]).unwrap();
    let want = mint_profile_string(&google, sa.key(), NOW, None).unwrap();
    let keyed = WithKey::new(google.clone(), &sa);
    assert_eq!(mint_keyed_string(&keyed, NOW, None).unwrap(), want);
    assert_eq!(mint_keyed_len(&keyed, NOW, None).unwrap(), want.len());
    assert_eq!(keyed.profile().token_url(), google.token_url());
    assert_eq!(JwsKey::fingerprint(&sa), JwsKey::fingerprint(sa.key()));
    let mut out = vec![0u8; want.len() - 1];
    assert_eq!(
        mint_keyed(&keyed, NOW, None, &mut out).unwrap_err(),
        Error::BufferTooSmall { needed: want.len() }
    );

    // Box: the profile shares its config, and so its key.
    let config = Arc::new(BoxConfig::from_json(&common::data("box-config.json")).unwrap());
    let app = BoxApp::new(config.clone(), BoxSubject::Enterprise).unwrap();
    let jti = Some("0123456789abcdef0123");
    let want = mint_profile_string(&app, config.key(), NOW, jti).unwrap();
    assert_eq!(mint_keyed_string(&app, NOW, jti).unwrap(), want);
    let mut out = vec![0u8; want.len()];
    assert_eq!(mint_keyed(&app, NOW, jti, &mut out).unwrap(), want.len());
    assert_eq!(String::from_utf8(out).unwrap(), want);
    assert_eq!(
        JwsKey::fingerprint(KeyedProfile::key(&app)),
        JwsKey::fingerprint(config.key())
    );
    // A drawn jti (Box requires one) still verifies with the config's key.
    let token = mint_keyed_string(&app, NOW, None).unwrap();
    let vk = VerifyingKey::new(PublicKey::from(config.key()), Algorithm::Rs256);
    let mut buf = vec![0u8; jwtmint::parse::buffer_len(token.as_bytes())];
    vk.verify_signature_only(token.as_bytes(), &mut buf)
        .unwrap();

    // Any profile with any key.
    let rsa = SigningKey::from_pem(&pem("demo-pkcs1.pem")).unwrap();
    let p = WithKey::new(profile(Algorithm::Rs256), &rsa);
    let mut out = [0u8; 1024];
    let n = mint_keyed(&p, NOW, None, &mut out).unwrap();
    assert_eq!(
        &out[..n],
        mint_profile_string(p.profile(), &rsa, NOW, None)
            .unwrap()
            .as_bytes()
    );
}
