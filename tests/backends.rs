//! Backend equivalence, in every feature configuration: the backends compiled
//! in are exactly the documented ones, keys and verifiers report the backend
//! they were switched to, every backend's RS256 bytes equal an independent
//! signer's (aws-lc-rs called directly, a dev-dependency in every
//! configuration) for random claim sets, and every backend's PS256 verifies
//! with aws-lc-rs and with every verifying backend.
// Keys and signing need `std` (`alloc` + OS RNG); aws-lc-rs (the reference
// here) is a dev-dependency where the aws-lc backend is built: x86-64, aarch64.
#![cfg(all(feature = "std", any(target_arch = "x86_64", target_arch = "aarch64")))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{self, KeyPair, RsaKeyPair, UnparsedPublicKey};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use jwtmint::{Algorithm, Backend, Claims, Header, HeaderTemplate, SigningKey};

/// The backends this build must have, in `Backend::ALL` order.
#[cfg(feature = "aws-lc")]
const EXPECTED: &[Backend] = &[Backend::RustCrypto, Backend::AwsLc];
#[cfg(not(feature = "aws-lc"))]
const EXPECTED: &[Backend] = &[Backend::RustCrypto];

fn keys(pem: &str) -> Vec<SigningKey> {
    Backend::ALL
        .iter()
        .map(|b| {
            let k = SigningKey::from_pem(pem).unwrap().with_backend(*b).unwrap();
            assert_eq!(k.backend(), *b);
            k
        })
        .collect()
}

/// The same key for aws-lc-rs, parsed by aws-lc-rs from the PKCS#8 PEM.
fn reference(pem: &str) -> RsaKeyPair {
    let body: String = pem
        .lines()
        .skip_while(|l| *l != "-----BEGIN PRIVATE KEY-----")
        .skip(1)
        .take_while(|l| !l.starts_with("-----END"))
        .collect();
    RsaKeyPair::from_pkcs8(&STANDARD.decode(body).unwrap()).unwrap()
}

#[test]
fn backends_compiled_in_are_the_documented_ones() {
    assert_eq!(Backend::ALL, EXPECTED);
    let key = SigningKey::from_pem(common::DEMO_KEY).unwrap();
    assert_eq!(key.backend(), Backend::DEFAULT);
    #[cfg(feature = "aws-lc")]
    assert_eq!(Backend::DEFAULT, Backend::AwsLc);
    #[cfg(not(feature = "aws-lc"))]
    assert_eq!(Backend::DEFAULT, Backend::RustCrypto);
    for b in Backend::ALL {
        let k = SigningKey::from_pem(common::DEMO_KEY).unwrap();
        assert_eq!(k.with_backend(*b).unwrap().backend(), *b);
    }
    // Switching back and forth is reversible.
    let there = key.with_backend(Backend::RustCrypto).unwrap();
    assert_eq!(there.backend(), Backend::RustCrypto);
    let back = there.with_backend(Backend::DEFAULT).unwrap();
    assert_eq!(back.backend(), Backend::DEFAULT);
    // Verifiers likewise.
    let public =
        jwtmint::PublicKey::from_pem(include_str!("../examples/keys/demo-key.pub.pem")).unwrap();
    let vk = jwtmint::VerifyingKey::new(public, Algorithm::Rs256);
    assert_eq!(vk.backend(), Backend::DEFAULT);
    for b in Backend::ALL {
        assert_eq!(vk.clone().with_backend(*b).backend(), *b);
    }
}

#[test]
fn rs256_on_every_backend_equals_aws_lc_rs_directly() {
    let rsa3072 = String::from_utf8(common::data("rsa3072.pem")).unwrap();
    let tpl = HeaderTemplate::new(&Header::new(Algorithm::Rs256)).unwrap();
    let rng = SystemRandom::new();
    let mut seed = 0xdead_beef_u64;
    let mut compared = 0;
    for pem in [common::DEMO_KEY, rsa3072.as_str()] {
        let keys = keys(pem);
        let pair = reference(pem);
        for i in 0..40 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let sub: String = (0..(seed % 200) as usize)
                .map(|k| char::from(b' ' + ((seed >> (k % 50)) % 95) as u8))
                .collect();
            let iss = format!("client-{seed:x}");
            let claims = Claims::new()
                .iss(&iss)
                .sub(&sub)
                .aud("https://as.example.com/token")
                .exp(1_700_000_000 + i);
            // PKCS#1 v1.5 is deterministic: one right answer per input.
            let first = jwtmint::mint_string(
                &mut keys[0].signer(jwtmint::Algorithm::Rs256).unwrap(),
                &tpl,
                &claims,
            )
            .unwrap();
            let (input, _) = first.rsplit_once('.').unwrap();
            let mut sig = vec![0u8; pair.public_modulus_len()];
            pair.sign(
                &signature::RSA_PKCS1_SHA256,
                &rng,
                input.as_bytes(),
                &mut sig,
            )
            .unwrap();
            let want = format!("{input}.{}", URL_SAFE_NO_PAD.encode(&sig));
            for k in &keys {
                let got = jwtmint::mint_string(
                    &mut k.signer(jwtmint::Algorithm::Rs256).unwrap(),
                    &tpl,
                    &claims,
                )
                .unwrap();
                assert_eq!(got, want, "{:?} for {claims:?}", k.backend());
                compared += 1;
            }
            // The unblinded path agrees too.
            assert_eq!(
                jwtmint::mint_string(
                    &mut keys[0].signer_unblinded(jwtmint::Algorithm::Rs256).unwrap(),
                    &tpl,
                    &claims
                )
                .unwrap(),
                want
            );
        }
    }
    assert_eq!(compared, 80 * EXPECTED.len());
}

#[test]
fn ps256_from_every_backend_verifies_with_aws_lc_rs() {
    let tpl = HeaderTemplate::new(&Header::new(Algorithm::Ps256)).unwrap();
    let claims = Claims::new().iss("i").sub("s").aud("a").exp(1_700_000_000);
    let pair = reference(common::DEMO_KEY);
    let public = UnparsedPublicKey::new(
        &signature::RSA_PSS_2048_8192_SHA256,
        pair.public_key().as_ref().to_vec(),
    );
    for key in keys(common::DEMO_KEY) {
        let jwt = jwtmint::mint_string(
            &mut key.signer(jwtmint::Algorithm::Ps256).unwrap(),
            &tpl,
            &claims,
        )
        .unwrap();
        let (input, sig) = jwt.rsplit_once('.').unwrap();
        let sig = URL_SAFE_NO_PAD.decode(sig).unwrap();
        assert_eq!(sig.len(), 256);
        public
            .verify(input.as_bytes(), &sig)
            .unwrap_or_else(|e| panic!("{:?}: {e}", key.backend()));
        // PSS is salted: a second signature over the same input differs.
        let again = jwtmint::mint_string(
            &mut key.signer(jwtmint::Algorithm::Ps256).unwrap(),
            &tpl,
            &claims,
        )
        .unwrap();
        assert_ne!(again, jwt, "{:?}", key.backend());
        let mut bad = sig.clone();
        bad[10] ^= 1;
        assert!(public.verify(input.as_bytes(), &bad).is_err());
    }
}

#[test]
fn every_signing_backend_verifies_on_every_verifying_backend() {
    use jwtmint::{PublicKey, VerifyingKey};
    let claims = Claims::new().iss("i").sub("s").aud("a").exp(1_700_000_000);
    let public = PublicKey::from_pem(include_str!("../examples/keys/demo-key.pub.pem")).unwrap();
    let mut pairs = 0;
    for alg in [
        Algorithm::Rs256,
        Algorithm::Rs384,
        Algorithm::Rs512,
        Algorithm::Ps256,
        Algorithm::Ps384,
        Algorithm::Ps512,
    ] {
        let tpl = HeaderTemplate::new(&Header::new(alg)).unwrap();
        for key in keys(common::DEMO_KEY) {
            let jwt = jwtmint::mint_string(&mut key.signer(alg).unwrap(), &tpl, &claims).unwrap();
            let mut tampered = jwt.clone().into_bytes();
            let i = jwt.find('.').unwrap() + 5;
            tampered[i] = if tampered[i] == b'A' { b'B' } else { b'A' };
            for b in Backend::ALL {
                let vk = VerifyingKey::new(public.clone(), alg).with_backend(*b);
                assert_eq!(vk.backend(), *b);
                let mut buf = vec![0u8; jwtmint::parse::buffer_len(jwt.as_bytes())];
                let v = vk
                    .verify_signature_only(jwt.as_bytes(), &mut buf)
                    .unwrap_or_else(|e| {
                        panic!(
                            "{alg:?} signed by {:?}, verified by {b:?}: {e}",
                            key.backend()
                        )
                    });
                assert!(v.header.alg.eq_str(alg.as_str()));
                let mut buf = vec![0u8; jwtmint::parse::buffer_len(&tampered)];
                assert_eq!(
                    vk.verify_signature_only(&tampered, &mut buf).map(|_| ()),
                    Err(jwtmint::Error::InvalidSignature),
                    "{b:?} on a tampered token"
                );
                pairs += 1;
            }
        }
    }
    assert_eq!(pairs, 6 * EXPECTED.len() * EXPECTED.len());
}
