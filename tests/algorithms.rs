//! Every algorithm end to end: key sniffing, sign → verify on every backend,
//! and every key-type/algorithm cross pair refused with an exact error (at
//! signer build, at verifier build, and for a token of another algorithm).
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

use jwtmint::{
    Algorithm, Backend, Claims, Error, Header, HeaderTemplate, JwsSigner, KeyKind, PublicKey,
    SigningKey, VerifyingKey,
};

fn text(name: &str) -> String {
    String::from_utf8(common::data(name)).unwrap()
}

const SECRET: [u8; 64] = [0x42; 64];

/// One signing key per key kind, and the algorithms it signs.
fn keys() -> Vec<(SigningKey, Vec<Algorithm>)> {
    use Algorithm::*;
    vec![
        (
            SigningKey::from_pem(common::DEMO_KEY).unwrap(),
            vec![Rs256, Rs384, Rs512, Ps256, Ps384, Ps512],
        ),
        (
            SigningKey::from_pem(&text("ec-p256.pem")).unwrap(),
            vec![Es256],
        ),
        (
            SigningKey::from_pem(&text("ec-p384.pem")).unwrap(),
            vec![Es384],
        ),
        (
            SigningKey::from_pem(&text("ec-p521.pem")).unwrap(),
            vec![Es512],
        ),
        (
            SigningKey::from_pem(&text("ed25519.pem")).unwrap(),
            vec![EdDsa],
        ),
        (
            SigningKey::from_hmac_secret(&SECRET).unwrap(),
            vec![Hs256, Hs384, Hs512],
        ),
    ]
}

fn mint(key: &SigningKey, alg: Algorithm) -> String {
    let tpl = HeaderTemplate::new(&Header::new(alg)).unwrap();
    let claims = Claims::new().iss("i").sub("s").aud("a").exp(2_000_000_000);
    let mut s = key.signer(alg).unwrap();
    assert_eq!(s.algorithm(), alg);
    let jwt = jwtmint::mint_string(&mut s, &tpl, &claims).unwrap();
    assert_eq!(
        jwt.len(),
        jwtmint::mint_len(&tpl, &claims, key.signature_len_for(alg).unwrap()).unwrap()
    );
    jwt
}

#[test]
fn key_types_are_sniffed() {
    let kinds: Vec<KeyKind> = keys().iter().map(|(k, _)| k.kind()).collect();
    assert_eq!(
        kinds,
        [
            KeyKind::Rsa,
            KeyKind::P256,
            KeyKind::P384,
            KeyKind::P521,
            KeyKind::Ed25519,
            KeyKind::Hmac
        ]
    );
    // From a raw scalar / seed (what a JWK's `d` holds).
    let ec =
        SigningKey::try_from(jwtmint::EcdsaKey::from_scalar(Algorithm::Es384, &[9; 48]).unwrap())
            .unwrap();
    assert_eq!(ec.kind(), KeyKind::P384);
    assert_eq!(
        jwtmint::EcdsaKey::from_scalar(Algorithm::Es384, &[9; 32]).unwrap_err(),
        Error::KeyMalformed
    );
    let ed = SigningKey::try_from(jwtmint::Ed25519Key::from_seed(&[9; 32])).unwrap();
    assert_eq!(ed.kind(), KeyKind::Ed25519);
    // SEC1 `EC PRIVATE KEY`, with OpenSSL's `EC PARAMETERS` block before it.
    let sec1 = SigningKey::from_pem(&text("ec-p256-sec1.pem")).unwrap();
    assert_eq!(sec1.kind(), KeyKind::P256);
    assert_eq!(sec1.signature_len(), 64);
    // Debug never shows key material.
    assert_eq!(format!("{sec1:?}"), "SigningKey { bits: 256, .. }");
    for other in ["ed448.pem", "ec-secp256k1.pem"] {
        assert_eq!(
            SigningKey::from_pem(&text(other)).unwrap_err(),
            Error::UnsupportedKeyType
        );
    }
    assert_eq!(
        SigningKey::from_hmac_secret(&[1; 31]).unwrap_err(),
        Error::HmacKeyTooShort { len: 31, min: 32 }
    );
    // HS512 needs 64 bytes: refused when the signer is built.
    let short = SigningKey::from_hmac_secret(&[1; 32]).unwrap();
    assert!(short.signer(Algorithm::Hs256).is_ok());
    assert_eq!(
        short.signer(Algorithm::Hs512).unwrap_err(),
        Error::HmacKeyTooShort { len: 32, min: 64 }
    );
    // Public keys: SPKI for EC/Ed25519.
    for (name, kind) in [
        ("ec-p256.pub.pem", KeyKind::P256),
        ("ec-p384.pub.pem", KeyKind::P384),
        ("ec-p521.pub.pem", KeyKind::P521),
        ("ed25519.pub.pem", KeyKind::Ed25519),
    ] {
        assert_eq!(PublicKey::from_pem(&text(name)).unwrap().kind(), kind);
    }
}

#[test]
fn every_algorithm_round_trips_on_every_backend() {
    let mut n = 0;
    for (key, algs) in keys() {
        for backend in Backend::ALL {
            let key = SigningKey::from_pkcs8_or_same(&key)
                .with_backend(*backend)
                .unwrap();
            let public = PublicKey::from(&key);
            for &alg in &algs {
                let jwt = mint(&key, alg);
                let sig = jwt.rsplit('.').next().unwrap();
                let sig =
                    base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, sig)
                        .unwrap();
                assert_eq!(sig.len(), key.signature_len_for(alg).unwrap(), "{alg:?}");
                for vb in Backend::ALL {
                    let vk = VerifyingKey::try_new(public.clone(), &[alg])
                        .unwrap()
                        .with_backend(*vb);
                    let mut buf = vec![0u8; jwtmint::parse::buffer_len(jwt.as_bytes())];
                    vk.verify_signature_only(jwt.as_bytes(), &mut buf)
                        .unwrap_or_else(|e| panic!("{alg:?} {backend:?}->{vb:?}: {e}"));
                    let mut bad = jwt.clone().into_bytes();
                    let i = jwt.find('.').unwrap() + 3;
                    bad[i] = if bad[i] == b'A' { b'B' } else { b'A' };
                    assert_eq!(
                        vk.verify_signature_only(&bad, &mut buf).map(|_| ()),
                        Err(Error::InvalidSignature),
                        "{alg:?} tampered"
                    );
                    n += 1;
                }
            }
        }
    }
    assert_eq!(n, 13 * Backend::ALL.len() * Backend::ALL.len());
}

/// Helper so the loop above can re-home one key on each backend.
trait Rehome {
    fn from_pkcs8_or_same(k: &SigningKey) -> SigningKey;
}
impl Rehome for SigningKey {
    fn from_pkcs8_or_same(k: &SigningKey) -> SigningKey {
        match k.kind() {
            KeyKind::Hmac => SigningKey::from_hmac_secret(&SECRET).unwrap(),
            KeyKind::Rsa => SigningKey::from_pem(common::DEMO_KEY).unwrap(),
            KeyKind::P256 => SigningKey::from_pem(&text("ec-p256.pem")).unwrap(),
            KeyKind::P384 => SigningKey::from_pem(&text("ec-p384.pem")).unwrap(),
            KeyKind::P521 => SigningKey::from_pem(&text("ec-p521.pem")).unwrap(),
            _ => SigningKey::from_pem(&text("ed25519.pem")).unwrap(),
        }
    }
}

/// Every (key, algorithm) pair whose types disagree: refused when the signer
/// is built and when the verifier is built, and a token of algorithm A is
/// refused by a verifier pinned to B (any B ≠ A, any key type) — so no
/// RS/PS/ES/EdDSA/HS confusion.
#[test]
fn every_cross_pair_is_refused() {
    let keys = keys();
    let tokens: Vec<(Algorithm, String)> = keys
        .iter()
        .flat_map(|(k, algs)| algs.iter().map(move |&a| (a, mint(k, a))))
        .collect();
    assert_eq!(tokens.len(), 13);
    let (mut sign_refused, mut verify_refused, mut token_refused) = (0, 0, 0);
    for (key, algs) in &keys {
        let public = PublicKey::from(key);
        for alg in Algorithm::ALL {
            if algs.contains(&alg) {
                continue;
            }
            let want = Error::KeyAlgorithmMismatch {
                key: key.kind(),
                alg,
            };
            if alg.key_kind() != key.kind() {
                assert_eq!(key.signer(alg).unwrap_err(), want);
                assert_eq!(
                    VerifyingKey::try_new(public.clone(), &[alg]).unwrap_err(),
                    want
                );
                sign_refused += 1;
                verify_refused += 1;
            }
        }
        for &pinned in algs {
            let vk = VerifyingKey::try_new(public.clone(), &[pinned]).unwrap();
            for (alg, jwt) in &tokens {
                if *alg == pinned {
                    continue;
                }
                let mut buf = vec![0u8; jwtmint::parse::buffer_len(jwt.as_bytes())];
                assert_eq!(
                    vk.verify_signature_only(jwt.as_bytes(), &mut buf)
                        .map(|_| ()),
                    Err(Error::AlgorithmNotAllowed { alg: *alg }),
                    "{alg:?} token, verifier pinned to {pinned:?}"
                );
                token_refused += 1;
            }
        }
    }
    // 13 algorithms, per key kind: 13 - own algorithms.
    assert_eq!(sign_refused, 6 * 13 - 13);
    assert_eq!(verify_refused, sign_refused);
    assert_eq!(token_refused, 13 * 12);
    // `new` with a mismatched key verifies nothing.
    let ec = PublicKey::from(&keys[1].0);
    let vk = VerifyingKey::new(ec, Algorithm::Hs256);
    assert!(!vk.allows(Algorithm::Hs256));
    // The message names both sides.
    assert_eq!(
        Error::KeyAlgorithmMismatch {
            key: KeyKind::P256,
            alg: Algorithm::Rs256
        }
        .to_string(),
        "RS256 cannot be used with a EC P-256 key (it needs a RSA key)"
    );
}

/// ES256 in pure Rust is deterministic (RFC 6979) by default: the same input
/// gives the same signature; a hedged signer with an RNG gives different,
/// valid ones. (aws-lc draws ECDSA nonces from its own RNG.)
#[test]
fn ecdsa_deterministic_by_default_hedged_on_request() {
    let key = SigningKey::from_pem(&text("ec-p256.pem"))
        .unwrap()
        .with_backend(Backend::RustCrypto)
        .unwrap();
    assert_eq!(mint(&key, Algorithm::Es256), mint(&key, Algorithm::Es256));
    let der = {
        let t = text("ec-p256.pem");
        let body: String = t.lines().filter(|l| !l.starts_with("-----")).collect();
        base64::Engine::decode(&base64::engine::general_purpose::STANDARD, body).unwrap()
    };
    let ec = jwtmint::EcdsaKey::from_pkcs8_der(&der).unwrap();
    let tpl = HeaderTemplate::new(&Header::new(Algorithm::Es256)).unwrap();
    let claims = Claims::new().sub("s").exp(2_000_000_000);
    let mut rng = getrandom::SysRng;
    let a = jwtmint::mint_string(
        &mut ec.signer_with_rng(Algorithm::Es256, &mut rng).unwrap(),
        &tpl,
        &claims,
    )
    .unwrap();
    let b = jwtmint::mint_string(
        &mut ec.signer_with_rng(Algorithm::Es256, &mut rng).unwrap(),
        &tpl,
        &claims,
    )
    .unwrap();
    assert_ne!(a, b);
    let vk = VerifyingKey::try_new(PublicKey::from(&key), &[Algorithm::Es256]).unwrap();
    for t in [a, b] {
        let mut buf = vec![0u8; jwtmint::parse::buffer_len(t.as_bytes())];
        vk.verify_signature_only(t.as_bytes(), &mut buf).unwrap();
    }
}

/// `RustCryptoSigner`: a RustCrypto key through the `signature` traits signs
/// exactly as jwtmint's own signer (Ed25519 is deterministic), a
/// `RandomizedSigner` with an RNG verifies, `Keypair` is forwarded, and a
/// signature of the wrong length for the algorithm is refused.
#[test]
fn rustcrypto_signer_adapter() {
    use jwtmint::keys::RustCryptoSigner;
    use signature::Keypair;
    let tpl = HeaderTemplate::new(&Header::new(Algorithm::EdDsa)).unwrap();
    let claims = Claims::new().sub("s").exp(2_000_000_000);
    let seed = [7u8; 32];
    let ours = jwtmint::Ed25519Key::from_seed(&seed);
    let theirs = ed25519_dalek::SigningKey::from_bytes(&seed);
    let mut adapter = RustCryptoSigner::new(Algorithm::EdDsa, theirs.clone()).unwrap();
    assert_eq!(adapter.verifying_key(), theirs.verifying_key());
    assert_eq!(
        jwtmint::mint_string(&mut adapter, &tpl, &claims).unwrap(),
        jwtmint::mint_string(&mut ours.signer(Algorithm::EdDsa).unwrap(), &tpl, &claims).unwrap()
    );
    // Hedged ECDSA through RandomizedSigner, verified by jwtmint.
    let p256 = p256::ecdsa::SigningKey::from_slice(&[3u8; 32]).unwrap();
    let mut point = [0u8; 65];
    let n = jwtmint::EcdsaKey::from_scalar(Algorithm::Es256, &[3u8; 32])
        .unwrap()
        .public_point(&mut point)
        .unwrap();
    assert_eq!(n, 65);
    let public = PublicKey::from_sec1_point(KeyKind::P256, &point).unwrap();
    let mut rng = getrandom::SysRng;
    let mut hedged = RustCryptoSigner::<_, p256::ecdsa::Signature>::new(Algorithm::Es256, p256)
        .unwrap()
        .with_rng(&mut rng);
    let es_tpl = HeaderTemplate::new(&Header::new(Algorithm::Es256)).unwrap();
    let jwt = jwtmint::mint_string(&mut hedged, &es_tpl, &claims).unwrap();
    let vk = VerifyingKey::try_new(public, &[Algorithm::Es256]).unwrap();
    let mut buf = vec![0u8; jwtmint::parse::buffer_len(jwt.as_bytes())];
    vk.verify_signature_only(jwt.as_bytes(), &mut buf).unwrap();
    // A 64-byte Ed25519 signature announced as ES384 (96 bytes): refused.
    assert_eq!(
        RustCryptoSigner::<_, ed25519_dalek::Signature>::with_len(Algorithm::Es384, 64, theirs)
            .unwrap_err(),
        Error::SignatureLength {
            expected: 96,
            actual: 64
        }
    );
    // RSA needs the modulus length.
    assert!(
        RustCryptoSigner::<_, ed25519_dalek::Signature>::new(
            Algorithm::Rs256,
            ed25519_dalek::SigningKey::from_bytes(&seed)
        )
        .is_err()
    );
}

/// No Debug output of a key, public key or signer shows key material.
#[test]
fn debug_is_redacted_for_every_key_type() {
    let secret = b"super-secret-client-secret-0123456789abcdef-XYZ!";
    let hmac = SigningKey::from_hmac_secret(secret).unwrap();
    let public = PublicKey::from_hmac_secret(secret).unwrap();
    let mut shown = vec![
        format!("{hmac:?}"),
        format!("{public:?}"),
        format!("{:?}", hmac.signer(Algorithm::Hs256).unwrap()),
        format!(
            "{:?}",
            VerifyingKey::try_new(public.clone(), &[Algorithm::Hs256]).unwrap()
        ),
    ];
    for (key, algs) in keys() {
        shown.push(format!("{key:?}"));
        shown.push(format!("{:?}", key.signer(algs[0]).unwrap()));
        shown.push(format!("{:?}", PublicKey::from(&key)));
    }
    for s in &shown {
        assert!(!s.contains("super") && !s.contains("0x"), "{s}");
        assert!(s.len() < 200, "{s}");
    }
    assert_eq!(format!("{hmac:?}"), "SigningKey { bits: 384, .. }");
}
