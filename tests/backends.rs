//! Backend equivalence: every compiled backend signs identical RS256 bytes for
//! random claim sets, and PS256 from each verifies with the other's verifier.
//! (With `--features aws-lc` this compares aws-lc-rs with the `rsa` crate.)
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use jwtmint::{Algorithm, Backend, Claims, Header, HeaderTemplate, SigningKey};

fn keys(pem: &str) -> Vec<SigningKey> {
    Backend::ALL
        .iter()
        .map(|b| SigningKey::from_pem(pem).unwrap().with_backend(*b).unwrap())
        .collect()
}

#[test]
fn default_backend_is_documented_choice() {
    let key = SigningKey::from_pem(common::DEMO_KEY).unwrap();
    assert_eq!(key.backend(), Backend::DEFAULT);
    #[cfg(feature = "aws-lc")]
    assert_eq!(Backend::DEFAULT, Backend::AwsLc);
    #[cfg(not(feature = "aws-lc"))]
    assert_eq!(Backend::DEFAULT, Backend::RustCrypto);
    let switched = key.with_backend(Backend::RustCrypto).unwrap();
    assert_eq!(switched.backend(), Backend::RustCrypto);
}

#[test]
fn rs256_identical_on_every_backend() {
    let rsa3072 = String::from_utf8(common::data("rsa3072.pem")).unwrap();
    let tpl = HeaderTemplate::new(&Header::new(Algorithm::Rs256)).unwrap();
    let mut seed = 0xdead_beef_u64;
    let mut compared = 0;
    for pem in [common::DEMO_KEY, rsa3072.as_str()] {
        let keys = keys(pem);
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
            let tokens: Vec<String> = keys
                .iter()
                .map(|k| jwtmint::mint_string(&mut k.rs256(), &tpl, &claims).unwrap())
                .collect();
            assert!(
                tokens.windows(2).all(|w| w[0] == w[1]),
                "backends differ for {claims:?}"
            );
            // The unblinded path agrees too.
            assert_eq!(
                jwtmint::mint_string(&mut keys[0].rs256_unblinded(), &tpl, &claims).unwrap(),
                tokens[0]
            );
            compared += 1;
        }
    }
    assert_eq!(compared, 80);
}

#[test]
fn ps256_from_every_backend_verifies() {
    use rsa::signature::Verifier;
    let tpl = HeaderTemplate::new(&Header::new(Algorithm::Ps256)).unwrap();
    let claims = Claims::new().iss("i").sub("s").aud("a").exp(1_700_000_000);
    for key in keys(common::DEMO_KEY) {
        let jwt = jwtmint::mint_string(&mut key.ps256(), &tpl, &claims).unwrap();
        let (input, sig) = jwt.rsplit_once('.').unwrap();
        let mut raw = vec![0u8; 256];
        let n = jwtmint::base64url::decode(sig.as_bytes(), &mut raw).unwrap();
        let vk = rsa::pss::VerifyingKey::<sha2::Sha256>::new(common::demo_rsa_public_key());
        vk.verify(
            input.as_bytes(),
            &rsa::pss::Signature::try_from(&raw[..n]).unwrap(),
        )
        .unwrap_or_else(|e| panic!("{:?}: {e}", key.backend()));
    }
}

#[test]
fn every_signing_backend_verifies_on_every_verifying_backend() {
    use jwtmint::{PublicKey, VerifyingKey};
    let claims = Claims::new().iss("i").sub("s").aud("a").exp(1_700_000_000);
    let public = PublicKey::from_pem(include_str!("../examples/keys/demo-key.pub.pem")).unwrap();
    for alg in [Algorithm::Rs256, Algorithm::Ps256] {
        let tpl = HeaderTemplate::new(&Header::new(alg)).unwrap();
        for key in keys(common::DEMO_KEY) {
            let jwt = match alg {
                Algorithm::Rs256 => jwtmint::mint_string(&mut key.rs256(), &tpl, &claims),
                Algorithm::Ps256 => jwtmint::mint_string(&mut key.ps256(), &tpl, &claims),
            }
            .unwrap();
            let mut tampered = jwt.clone().into_bytes();
            let i = jwt.find('.').unwrap() + 5;
            tampered[i] = if tampered[i] == b'A' { b'B' } else { b'A' };
            for b in Backend::ALL {
                let vk = VerifyingKey::new(public.clone(), alg).with_backend(*b);
                let mut buf = vec![0u8; jwtmint::parse::buffer_len(jwt.as_bytes())];
                vk.verify_signature_only(jwt.as_bytes(), &mut buf)
                    .unwrap_or_else(|e| {
                        panic!(
                            "{alg:?} signed by {:?}, verified by {b:?}: {e}",
                            key.backend()
                        )
                    });
                let mut buf = vec![0u8; jwtmint::parse::buffer_len(&tampered)];
                assert!(
                    vk.verify_signature_only(&tampered, &mut buf).is_err(),
                    "{b:?} accepted a tampered token"
                );
            }
        }
    }
}
