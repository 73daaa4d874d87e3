//! Behaviour of the public API: round trips, buffer negotiation, and every error case.
#![cfg(feature = "std")] // keys and signing need `std` (`alloc` + OS RNG)
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use jwtmint::{
    Algorithm, Audience, ClaimValue, Claims, Error, Header, HeaderTemplate, JwsSigner, RawJson,
    SigningKey,
};

fn demo_key() -> SigningKey {
    SigningKey::from_pem(common::DEMO_KEY).unwrap()
}

fn b64d(s: &str) -> Vec<u8> {
    let mut out = vec![0u8; jwtmint::base64url::decoded_len_max(s.len())];
    let n = jwtmint::base64url::decode(s.as_bytes(), &mut out).unwrap();
    out.truncate(n);
    out
}

fn salesforce_claims() -> Claims<'static> {
    Claims::new()
        .iss(
            "3MVG9A2kN3Bn17hs8MIaQx1voVGy662rXlC37svtmLmt6wO_iik8Hnk3DlcYjKRvzVNGWLFlGRH1ryHwS217h",
        )
        .sub("integration.user@example.com")
        .aud("https://login.salesforce.com")
        .exp(1_700_000_180)
}

/// Verifies an RS256 assertion with the `rsa` crate's own verifier (independent of our signer).
/// Verifies an RS256 token made with the demo key, with the `rsa` crate.
fn verify_rs256(jwt: &str) {
    use rsa::signature::Verifier;
    let (input, sig) = jwt.rsplit_once('.').unwrap();
    let vk = rsa::pkcs1v15::VerifyingKey::<sha2::Sha256>::new(demo_rsa_public_key());
    let sig = rsa::pkcs1v15::Signature::try_from(b64d(sig).as_slice()).unwrap();
    vk.verify(input.as_bytes(), &sig).unwrap();
}

#[test]
fn mint_round_trip_and_exact_length() {
    let key = demo_key();
    let tpl = HeaderTemplate::new(&Header::new(Algorithm::Rs256).kid("demo")).unwrap();
    let claims = salesforce_claims();
    let need = jwtmint::mint_len(&tpl, &claims, key.signature_len()).unwrap();
    let mut out = vec![0u8; need];
    let n = jwtmint::mint(
        &mut key.signer(jwtmint::Algorithm::Rs256).unwrap(),
        &tpl,
        &claims,
        &mut out,
    )
    .unwrap();
    assert_eq!(n, need);
    let jwt = std::str::from_utf8(&out).unwrap();
    let parts: Vec<&str> = jwt.split('.').collect();
    assert_eq!(parts.len(), 3);
    assert_eq!(
        b64d(parts[0]),
        br#"{"alg":"RS256","typ":"JWT","kid":"demo"}"#
    );
    let mut json = [0u8; 512];
    let m = claims.write_json(&mut json).unwrap();
    assert_eq!(b64d(parts[1]), &json[..m]);
    assert_eq!(b64d(parts[2]).len(), 256);
    verify_rs256(jwt);
    // The signing input alone.
    let mut si = vec![0u8; jwtmint::signing_input_len(&tpl, &claims).unwrap()];
    let k = jwtmint::write_signing_input(&tpl, &claims, &mut si).unwrap();
    assert_eq!(&si[..k], jwt.rsplit_once('.').unwrap().0.as_bytes());
    // Deterministic: RS256 of the same input is the same.
    let again = jwtmint::mint_string(
        &mut key.signer_unblinded(jwtmint::Algorithm::Rs256).unwrap(),
        &tpl,
        &claims,
    )
    .unwrap();
    assert_eq!(again, jwt);
    let hl: heapless::String<1024> = jwtmint::mint_heapless(
        &mut key.signer(jwtmint::Algorithm::Rs256).unwrap(),
        &tpl,
        &claims,
    )
    .unwrap();
    assert_eq!(hl.as_str(), jwt);
}

#[test]
fn ps256_signs_and_verifies() {
    use rsa::signature::Verifier;
    let key = demo_key();
    let tpl = HeaderTemplate::new(&Header::new(Algorithm::Ps256)).unwrap();
    let jwt = jwtmint::mint_string(
        &mut key.signer(jwtmint::Algorithm::Ps256).unwrap(),
        &tpl,
        &salesforce_claims(),
    )
    .unwrap();
    let (input, sig) = jwt.rsplit_once('.').unwrap();
    let vk = rsa::pss::VerifyingKey::<sha2::Sha256>::new(demo_rsa_public_key());
    vk.verify(
        input.as_bytes(),
        &rsa::pss::Signature::try_from(b64d(sig).as_slice()).unwrap(),
    )
    .unwrap();
    // Randomized salt: two signatures differ.
    let jwt2 = jwtmint::mint_string(
        &mut key.signer(jwtmint::Algorithm::Ps256).unwrap(),
        &tpl,
        &salesforce_claims(),
    )
    .unwrap();
    assert_ne!(jwt, jwt2);
}

#[test]
fn buffer_negotiation_every_entry_point() {
    let key = demo_key();
    let tpl = HeaderTemplate::new(&Header::new(Algorithm::Rs256)).unwrap();
    let claims = salesforce_claims();
    let need = jwtmint::mint_len(&tpl, &claims, 256).unwrap();
    // Too small at every interesting boundary: inside header, claims, signature.
    for cap in [0, 1, 10, 37, 100, need - 343, need - 1] {
        let mut out = vec![0u8; cap];
        assert_eq!(
            jwtmint::mint(
                &mut key.signer(jwtmint::Algorithm::Rs256).unwrap(),
                &tpl,
                &claims,
                &mut out
            ),
            Err(Error::BufferTooSmall { needed: need }),
            "cap {cap}"
        );
    }
    // Retry with the reported size succeeds.
    let mut out = vec![0u8; need];
    assert_eq!(
        jwtmint::mint(
            &mut key.signer(jwtmint::Algorithm::Rs256).unwrap(),
            &tpl,
            &claims,
            &mut out
        ),
        Ok(need)
    );

    let si = jwtmint::signing_input_len(&tpl, &claims).unwrap();
    let mut small = vec![0u8; si - 1];
    assert_eq!(
        jwtmint::write_signing_input(&tpl, &claims, &mut small),
        Err(Error::BufferTooSmall { needed: si })
    );

    let cj = claims.json_len().unwrap();
    let mut small = vec![0u8; cj - 1];
    assert_eq!(
        claims.write_json(&mut small),
        Err(Error::BufferTooSmall { needed: cj })
    );

    let h = Header::new(Algorithm::Rs256).kid("k");
    let mut small = [0u8; 5];
    assert_eq!(
        h.write_json(&mut small),
        Err(Error::BufferTooSmall {
            needed: h.json_len().unwrap()
        })
    );
    assert_eq!(
        h.encode(&mut small),
        Err(Error::BufferTooSmall {
            needed: h.encoded_len().unwrap()
        })
    );

    let header = br#"{"alg":"RS256"}"#;
    let raw = jwtmint::sign_raw_len(header.len(), 3, 256).unwrap();
    let mut small = vec![0u8; raw - 1];
    assert_eq!(
        jwtmint::sign_raw(
            &mut key.signer(jwtmint::Algorithm::Rs256).unwrap(),
            header,
            b"abc",
            &mut small
        ),
        Err(Error::BufferTooSmall { needed: raw })
    );

    let mut small = [0u8; 3];
    assert_eq!(
        jwtmint::base64url::encode(b"abcd", &mut small),
        Err(Error::BufferTooSmall { needed: 6 })
    );

    let fl = jwtmint::form::grant_body_len("a.b.c", &[]).unwrap();
    let mut small = vec![0u8; fl - 1];
    assert_eq!(
        jwtmint::form::grant_body("a.b.c", &[], &mut small),
        Err(Error::BufferTooSmall { needed: fl })
    );

    let r: Result<heapless::String<64>, _> = jwtmint::mint_heapless(
        &mut key.signer(jwtmint::Algorithm::Rs256).unwrap(),
        &tpl,
        &claims,
    );
    assert_eq!(r, Err(Error::BufferTooSmall { needed: need }));
}

#[test]
fn large_claims_cross_staging_blocks() {
    // Claims much larger than the 192-byte Base64 staging block, with escapes.
    let key = demo_key();
    let tpl = HeaderTemplate::new(&Header::new(Algorithm::Rs256)).unwrap();
    let long: String = (0..3000)
        .map(|i| char::from(b' ' + (i % 95) as u8))
        .collect::<String>()
        + "\"\\\n\u{1}é😀";
    let claims = Claims::new().sub(&long).exp(100);
    let need = jwtmint::mint_len(&tpl, &claims, 256).unwrap();
    for cap in [need - 1, need - 400, need - 2000] {
        let mut out = vec![0u8; cap];
        assert_eq!(
            jwtmint::mint(
                &mut key.signer(jwtmint::Algorithm::Rs256).unwrap(),
                &tpl,
                &claims,
                &mut out
            ),
            Err(Error::BufferTooSmall { needed: need })
        );
    }
    let jwt = jwtmint::mint_string(
        &mut key.signer(jwtmint::Algorithm::Rs256).unwrap(),
        &tpl,
        &claims,
    )
    .unwrap();
    let seg = jwt.split('.').nth(1).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&b64d(seg)).unwrap();
    assert_eq!(v["sub"].as_str().unwrap(), long);
    verify_rs256(&jwt);
}

#[test]
fn numeric_dates_are_seconds() {
    let ms = 1_700_000_180_000;
    for (claims, claim) in [
        (Claims::new().exp(ms), "exp"),
        (Claims::new().nbf(ms), "nbf"),
        (Claims::new().iat(ms), "iat"),
    ] {
        let e = claims.validate().unwrap_err();
        assert_eq!(e, Error::TimestampInMilliseconds { claim, value: ms });
        assert!(e.to_string().contains("milliseconds"), "{e}");
        assert!(e.to_string().contains(claim));
    }
    let e = Claims::new().exp(-1).validate().unwrap_err();
    assert_eq!(
        e,
        Error::NegativeTimestamp {
            claim: "exp",
            value: -1
        }
    );
    // The boundary: 10^11 is accepted, 10^11 + 1 refused.
    assert!(Claims::new().exp(100_000_000_000).validate().is_ok());
    assert_eq!(
        Claims::new().exp(100_000_000_001).validate(),
        Err(Error::TimestampInMilliseconds {
            claim: "exp",
            value: 100_000_000_001
        })
    );
    assert!(Claims::new().exp(0).validate().is_ok());
    let e = Claims::new().iat(1000).exp(1000).validate().unwrap_err();
    assert_eq!(
        e,
        Error::ExpiryNotAfterIssuedAt {
            iat: 1000,
            exp: 1000
        }
    );
    // The mint refuses before signing and writes nothing meaningful.
    let key = demo_key();
    let tpl = HeaderTemplate::new(&Header::new(Algorithm::Rs256)).unwrap();
    let mut out = [0u8; 1024];
    assert_eq!(
        jwtmint::mint(
            &mut key.signer(jwtmint::Algorithm::Rs256).unwrap(),
            &tpl,
            &Claims::new().exp(ms),
            &mut out
        ),
        Err(Error::TimestampInMilliseconds {
            claim: "exp",
            value: ms
        })
    );
    let now = jwtmint::time::now().unwrap();
    assert!(now > 1_700_000_000 && now < 100_000_000_000);
}

#[test]
fn claim_shape_errors() {
    assert_eq!(
        Claims::new().aud_many(&[]).validate(),
        Err(Error::EmptyAudience)
    );
    let dup_registered = [("sub", ClaimValue::Str("x"))];
    assert_eq!(
        Claims::new().extra(&dup_registered).validate(),
        Err(Error::DuplicateClaim { index: 0 })
    );
    let dup_extra = [
        ("a", ClaimValue::Int(1)),
        ("b", ClaimValue::Int(2)),
        ("a", ClaimValue::Bool(true)),
    ];
    assert_eq!(
        Claims::new().extra(&dup_extra).validate(),
        Err(Error::DuplicateClaim { index: 2 })
    );
    assert!(matches!(
        RawJson::new("{\"a\":}"),
        Err(Error::InvalidRawJson { offset: 5 })
    ));
    assert_eq!(
        RawJson::new("[1,2").err(),
        Some(Error::InvalidRawJson { offset: 3 })
    );

    let key = demo_key();
    let tpl = HeaderTemplate::new(&Header::new(Algorithm::Ps256)).unwrap();
    let mut out = [0u8; 1024];
    assert_eq!(
        jwtmint::mint(
            &mut key.signer(jwtmint::Algorithm::Rs256).unwrap(),
            &tpl,
            &Claims::new(),
            &mut out
        ),
        Err(Error::AlgorithmMismatch {
            header: Algorithm::Ps256,
            signer: Algorithm::Rs256
        })
    );
    let big = "k".repeat(400);
    assert!(matches!(
        HeaderTemplate::new(&Header::new(Algorithm::Rs256).kid(&big)),
        Err(Error::HeaderTooLarge { capacity: 512, .. })
    ));
}

#[test]
fn all_claim_kinds_in_documented_order() {
    let raw = RawJson::new(r#" {"roles":["a","b"],"n":null} "#).unwrap();
    let extra = [
        ("s", ClaimValue::Str("x\"y")),
        ("i", ClaimValue::Int(-5)),
        ("b", ClaimValue::Bool(true)),
        ("r", ClaimValue::Raw(raw)),
        ("ké\n", ClaimValue::Str("")),
    ];
    let claims = Claims {
        iss: Some("i"),
        sub: Some("s"),
        aud: Some(Audience::Many(&["a1", "a2"])),
        exp: Some(30),
        nbf: Some(10),
        iat: Some(20),
        jti: Some("j"),
        scope: Some("openid email"),
        extra: &extra,
    };
    let mut out = [0u8; 512];
    let n = claims.write_json(&mut out).unwrap();
    assert_eq!(
        std::str::from_utf8(&out[..n]).unwrap(),
        r#"{"iss":"i","sub":"s","aud":["a1","a2"],"exp":30,"nbf":10,"iat":20,"jti":"j","scope":"openid email","s":"x\"y","i":-5,"b":true,"r":{"roles":["a","b"],"n":null},"ké\n":""}"#
    );
    let h = Header {
        alg: Algorithm::Ps256,
        typ: None,
        kid: Some("k"),
        x5t: Some("t1"),
        x5t_s256: Some("t2"),
    };
    let n = h.write_json(&mut out).unwrap();
    assert_eq!(
        std::str::from_utf8(&out[..n]).unwrap(),
        r#"{"alg":"PS256","kid":"k","x5t":"t1","x5t#S256":"t2"}"#
    );
}

#[test]
fn key_formats_and_refusals() {
    let pkcs8_pem = demo_key();
    let pkcs1_pem =
        SigningKey::from_pem(std::str::from_utf8(&common::data("demo-pkcs1.pem")).unwrap())
            .unwrap();
    let pkcs8_der = SigningKey::from_pkcs8_der(&common::data("demo-pkcs8.der")).unwrap();
    let pkcs1_der = SigningKey::from_pkcs1_der(&common::data("demo-pkcs1.der")).unwrap();
    let auto8 = SigningKey::from_der(&common::data("demo-pkcs8.der")).unwrap();
    let auto1 = SigningKey::from_der(&common::data("demo-pkcs1.der")).unwrap();
    // All six are the same key: same deterministic RS256 signature.
    let mut sigs = Vec::new();
    for k in [
        &pkcs8_pem, &pkcs1_pem, &pkcs8_der, &pkcs1_der, &auto8, &auto1,
    ] {
        let mut s = vec![0u8; 256];
        k.signer(jwtmint::Algorithm::Rs256)
            .unwrap()
            .sign(b"x", &mut s)
            .unwrap();
        sigs.push(s);
    }
    assert!(sigs.windows(2).all(|w| w[0] == w[1]));
    assert_eq!(
        SigningKey::from_pem(std::str::from_utf8(&common::data("rsa3072.pem")).unwrap())
            .unwrap()
            .bits(),
        3072
    );

    let pem = |n: &str| String::from_utf8(common::data(n)).unwrap();
    let e = SigningKey::from_pem(&pem("rsa1024.pem")).unwrap_err();
    assert_eq!(e, Error::KeyTooSmall { bits: 1024 });
    assert!(
        e.to_string().contains("1024 bits") && e.to_string().contains("2048"),
        "{e}"
    );
    assert_eq!(
        SigningKey::from_pem(&pem("demo-encrypted.pem")).unwrap_err(),
        Error::EncryptedKey
    );
    assert_eq!(
        SigningKey::from_der(&common::data("demo-encrypted.der")).unwrap_err(),
        Error::EncryptedKey
    );
    assert_eq!(
        SigningKey::from_pkcs8_der(&common::data("demo-encrypted.der")).unwrap_err(),
        Error::EncryptedKey
    );
    assert_eq!(
        SigningKey::from_pem(&pem("ec-p256.pem")).unwrap().kind(),
        jwtmint::KeyKind::P256
    );
    for other in ["ed448.pem", "ec-secp256k1.pem"] {
        assert_eq!(
            SigningKey::from_pem(&pem(other)).unwrap_err(),
            Error::UnsupportedKeyType,
            "{other}"
        );
    }
    assert_eq!(
        SigningKey::from_pem("garbage").unwrap_err(),
        Error::KeyMalformed
    );
    assert_eq!(
        SigningKey::from_pem(
            "-----BEGIN PRIVATE KEY-----\nnot base64!\n-----END PRIVATE KEY-----\n"
        )
        .unwrap_err(),
        Error::KeyMalformed
    );
    let cert = "-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n";
    assert_eq!(
        SigningKey::from_pem(cert).unwrap_err(),
        Error::UnsupportedPemLabel
    );
    assert_eq!(SigningKey::from_der(&[]).unwrap_err(), Error::KeyMalformed);
    assert_eq!(
        SigningKey::from_der(&[0x30, 0x03, 0x02, 0x01]).unwrap_err(),
        Error::KeyMalformed
    );
    // Truncations of a valid key never panic and never succeed.
    let der = common::data("demo-pkcs8.der");
    for cut in (0..der.len()).step_by(7) {
        assert_eq!(
            SigningKey::from_der(&der[..cut]).err(),
            Some(Error::KeyMalformed),
            "{cut}"
        );
    }
    // A flipped bit in a prime is caught by key validation.
    let mut bad = common::data("demo-pkcs1.der");
    let mid = bad.len() / 2;
    bad[mid] ^= 0x01;
    assert_eq!(SigningKey::from_der(&bad).err(), Some(Error::KeyMalformed));
}

#[test]
fn no_key_bytes_in_debug_or_errors() {
    let key = demo_key();
    let dbg = format!(
        "{key:?} {:?}",
        key.signer(jwtmint::Algorithm::Rs256).unwrap()
    );
    assert_eq!(
        dbg,
        "SigningKey { bits: 2048, .. } RsaSigner { alg: Rs256, .. }"
    );
    let pem = common::DEMO_KEY;
    let body_line = pem.lines().find(|l| l.len() == 64).unwrap();
    for e in [
        Error::KeyMalformed,
        Error::EncryptedKey,
        Error::KeyTooSmall { bits: 1024 },
    ] {
        assert!(!e.to_string().contains(&body_line[..16]));
    }
}

#[test]
#[cfg_attr(
    target_os = "wasi",
    ignore = "WASI preview 1 has no threads; runs natively and under qemu"
)]
fn signing_key_is_send_sync_and_shared_across_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<SigningKey>();
    assert_send_sync::<HeaderTemplate>();
    let key = std::sync::Arc::new(demo_key());
    let tpl = HeaderTemplate::new(&Header::new(Algorithm::Rs256)).unwrap();
    let handles: Vec<_> = (0..4)
        .map(|t| {
            let key = key.clone();
            std::thread::spawn(move || {
                for i in 0..5 {
                    let sub = format!("user{t}-{i}@example.com");
                    let claims = Claims::new().sub(&sub).exp(1_700_000_000 + i);
                    let jwt = jwtmint::mint_string(
                        &mut key.signer(jwtmint::Algorithm::Rs256).unwrap(),
                        &tpl,
                        &claims,
                    )
                    .unwrap();
                    verify_rs256(&jwt);
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
}

#[test]
fn external_signer_seam() {
    /// A signer that returns a wrong-length signature.
    struct Short;
    impl JwsSigner for Short {
        fn algorithm(&self) -> Algorithm {
            Algorithm::Rs256
        }
        fn signature_len(&self) -> usize {
            256
        }
        fn sign(&mut self, _: &[u8], sig: &mut [u8]) -> jwtmint::Result<usize> {
            sig[0] = 1;
            Ok(10)
        }
    }
    let tpl = HeaderTemplate::new(&Header::new(Algorithm::Rs256)).unwrap();
    let mut out = [0u8; 1024];
    assert_eq!(
        jwtmint::mint(&mut Short, &tpl, &Claims::new(), &mut out),
        Err(Error::SignatureLength {
            expected: 256,
            actual: 10
        })
    );
}

#[test]
fn form_bodies() {
    let mut out = [0u8; 512];
    let n = jwtmint::form::client_assertion_body(
        "h.p.s",
        &[
            ("grant_type", "client_credentials"),
            ("client_id", "a b+c/=&é"),
            ("scope", "https://graph.microsoft.com/.default"),
        ],
        &mut out,
    )
    .unwrap();
    assert_eq!(
        std::str::from_utf8(&out[..n]).unwrap(),
        "client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=h.p.s&grant_type=client_credentials&client_id=a+b%2Bc%2F%3D%26%C3%A9&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default"
    );
    assert_eq!(
        jwtmint::form::client_assertion_body_len(
            "h.p.s",
            &[
                ("grant_type", "client_credentials"),
                ("client_id", "a b+c/=&é"),
                ("scope", "https://graph.microsoft.com/.default")
            ]
        )
        .unwrap(),
        n
    );
    let n = jwtmint::form::write_form(&[("a", "~!'()")], &mut out).unwrap();
    assert_eq!(&out[..n], b"a=%7E%21%27%28%29");
    assert_eq!(jwtmint::form::form_len(&[]).unwrap(), 0);
}

/// The demo key's public half, parsed by the `rsa` crate itself: tests check
/// jwtmint's signatures against it independently of jwtmint's key parsing.
fn demo_rsa_public_key() -> rsa::RsaPublicKey {
    use rsa::pkcs8::DecodePublicKey;
    rsa::RsaPublicKey::from_public_key_pem(include_str!("../examples/keys/demo-key.pub.pem"))
        .unwrap()
}
