//! The Keycloak profile (`private_key_jwt`, the "Signed JWT" client
//! authenticator): exact header and claims, the token request byte for byte,
//! every rule refused with its exact error, the declaration the C ABI and the
//! CLI derive from, and RS256 / PS256 / ES256 tokens verified by PyJWT +
//! cryptography as Keycloak would (signature, `aud`, `iss`, `sub`, `exp`,
//! `iat`, `jti`), through the peer rule (tests/common/peers.rs).
#![cfg(feature = "std")] // keys and signing need `std` (`alloc` + OS RNG)
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use jwtmint::alg::Algorithm;
use jwtmint::profiles::declare::{Misfit, Value, Values};
use jwtmint::profiles::{Keycloak, Profile, keycloak, mint_profile};
use jwtmint::{Error, SigningKey};
use serde_json::{Value as Json, json};

const NOW: i64 = 1_700_000_000;
const ISSUER: &str = "https://sso.example.com/realms/acme";
const TOKEN_URL: &str = "https://sso.example.com/realms/acme/protocol/openid-connect/token";
const CLIENT: &str = "svc-billing";
const ASSERTION_TYPE: &str = "urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer";

fn demo_key() -> SigningKey {
    SigningKey::from_pem(common::DEMO_KEY).unwrap()
}

fn ec_key() -> SigningKey {
    let pem = std::fs::read_to_string(common::repo_root().join("tests/data/ec-p256.pem")).unwrap();
    SigningKey::from_pem(&pem).unwrap()
}

/// Mints at `now` and returns (token, header, claims).
fn minted(p: &Keycloak, key: &SigningKey, now: i64, jti: Option<&str>) -> (String, Json, Json) {
    let mut out = [0u8; 4096];
    let n = mint_profile(p, key, now, jti, &mut out).unwrap();
    let tok = std::str::from_utf8(&out[..n]).unwrap().to_owned();
    let part = |i: usize| -> Json {
        let seg = tok.split('.').nth(i).unwrap();
        let mut raw = vec![0u8; seg.len()];
        let m = jwtmint::base64url::decode(seg.as_bytes(), &mut raw).unwrap();
        serde_json::from_slice(&raw[..m]).unwrap()
    };
    let (h, c) = (part(0), part(1));
    (tok, h, c)
}

#[test]
fn keycloak_claims_header_and_token_url_exact() {
    // aud = the realm's issuer URL: the token endpoint is derived from it.
    let k = Keycloak::new(ISSUER, CLIENT).unwrap();
    let (_, h, c) = minted(&k, &demo_key(), NOW, Some("id-1"));
    assert_eq!(h, json!({"alg": "RS256", "typ": "JWT"}));
    assert_eq!(
        c,
        json!({"iss": CLIENT, "sub": CLIENT, "aud": ISSUER, "jti": "id-1",
               "iat": NOW, "exp": NOW + 60})
    );
    assert_eq!(k.token_url(), Some(TOKEN_URL));
    assert_eq!(
        k.limits(),
        jwtmint::profiles::Limits::new(60, Some(60)).jti_required()
    );
    // aud = the token endpoint itself, under a legacy /auth prefix.
    let legacy = "https://kc.example.org/auth/realms/ops/protocol/openid-connect/token";
    let k = Keycloak::new(legacy, CLIENT).unwrap();
    let (_, _, c) = minted(&k, &demo_key(), NOW, Some("id-2"));
    assert_eq!(c["aud"], json!(legacy));
    assert_eq!(k.token_url(), Some(legacy));
    // kid and algorithm in the header, in that order.
    let k = Keycloak::new(ISSUER, CLIENT)
        .unwrap()
        .with_key(Algorithm::Ps256, Some("kc-key-1"))
        .unwrap()
        .with_lifetime(30)
        .unwrap();
    let (_, h, c) = minted(&k, &demo_key(), NOW, Some("id-3"));
    assert_eq!(h, json!({"alg": "PS256", "typ": "JWT", "kid": "kc-key-1"}));
    assert_eq!(c["exp"], json!(NOW + 30));
    // No jti given: the mint path draws a UUID v4 (Keycloak: single use).
    let (_, _, c) = minted(&k, &demo_key(), NOW, None);
    assert_eq!(c["jti"].as_str().unwrap().len(), 36);
}

#[test]
fn keycloak_token_request_is_client_credentials_with_the_assertion() {
    let k = Keycloak::new(ISSUER, CLIENT)
        .unwrap()
        .with_scope("openid billing")
        .unwrap();
    let r = k.token_request().unwrap();
    assert_eq!(r.url, TOKEN_URL);
    let mut body = [0u8; 512];
    let n = r.write_body("AAA.BBB.CCC", &mut body).unwrap();
    assert_eq!(n, r.body_len("AAA.BBB.CCC").unwrap());
    assert_eq!(
        std::str::from_utf8(&body[..n]).unwrap(),
        format!(
            "client_assertion_type={ASSERTION_TYPE}&client_assertion=AAA.BBB.CCC&grant_type=client_credentials&scope=openid+billing"
        )
    );
}

#[test]
fn keycloak_refuses_what_keycloak_refuses() {
    let k = Keycloak::new(ISSUER, CLIENT).unwrap();
    assert_eq!(
        k.clone().with_lifetime(61).unwrap_err(),
        Error::LifetimeTooLong {
            lifetime: 61,
            max: 60
        }
    );
    assert_eq!(
        k.clone().with_lifetime(0).unwrap_err(),
        Error::LifetimeNotPositive
    );
    for alg in [
        Algorithm::Rs384,
        Algorithm::Es384,
        Algorithm::Hs256,
        Algorithm::EdDsa,
    ] {
        assert_eq!(
            k.clone().with_key(alg, None).unwrap_err(),
            Error::InvalidField {
                field: "alg",
                reason: "this Keycloak profile signs RS256, ES256 or PS256"
            },
            "{alg:?}"
        );
    }
    assert_eq!(
        k.claims(NOW, None).unwrap_err(),
        Error::InvalidField {
            field: "jti",
            reason: "required by Keycloak (a client assertion is single-use)"
        }
    );
    for bad in [
        "https://sso.example.com",
        "https://sso.example.com/realms",
        "https://sso.example.com/realms/acme/protocol/openid-connect/auth",
        "https://sso.example.com/realms/acme/extra",
        "https://sso.example.com/xrealms/acme",
    ] {
        assert_eq!(
            Keycloak::new(bad, CLIENT).unwrap_err(),
            Error::InvalidAudience {
                reason: "Keycloak's aud is the realm's issuer URL https://{server}/realms/{realm} or its token endpoint .../realms/{realm}/protocol/openid-connect/token"
            },
            "{bad}"
        );
    }
    // The URL rules every profile shares (https, no trailing slash).
    assert_eq!(
        Keycloak::new("https://sso.example.com/realms/acme/", CLIENT).unwrap_err(),
        Error::InvalidAudience {
            reason: "must not end with '/': the provider compares aud exactly"
        }
    );
    assert_eq!(
        Keycloak::new("http://sso.example.com/realms/acme", CLIENT).unwrap_err(),
        Error::InvalidAudience {
            reason: "http:// is only allowed to 127.0.0.1 or localhost"
        }
    );
    // A development server on the loopback: http, token URL derived alike.
    let dev = Keycloak::new("http://localhost:8080/realms/dev", CLIENT).unwrap();
    assert_eq!(
        dev.token_url(),
        Some("http://localhost:8080/realms/dev/protocol/openid-connect/token")
    );
    let (_, _, c) = minted(&dev, &demo_key(), NOW, Some("j"));
    assert_eq!(c["aud"], json!("http://localhost:8080/realms/dev"));
    assert_eq!(
        Keycloak::new(ISSUER, "").unwrap_err(),
        Error::InvalidField {
            field: "client_id",
            reason: "must not be empty"
        }
    );
}

#[test]
fn keycloak_declaration_builds_the_same_profile() {
    let p = jwtmint::profiles::declared("keycloak").unwrap();
    assert_eq!(p.name, keycloak::PROVIDER.name);
    assert_eq!(
        p.algorithms,
        &[Algorithm::Rs256, Algorithm::Es256, Algorithm::Ps256]
    );
    assert_eq!(p.fixed_algorithm(), None);
    assert_eq!(p.lifetime, (60, 60));
    assert_eq!(p.c_options, "jwtmint_keycloak_options");
    let names: Vec<_> = p.options.iter().map(|o| (o.name, o.flag)).collect();
    assert_eq!(
        names,
        [
            ("endpoint", "aud"),
            ("client_id", "client-id"),
            ("alg", "alg"),
            ("kid", "kid"),
            ("scope", "scope"),
            ("lifetime", "lifetime"),
        ]
    );
    let values = [
        Value::Text(ISSUER),
        Value::Text(CLIENT),
        Value::Alg(Algorithm::Es256),
        Value::Text("k1"),
        Value::Absent,
        Value::I64(45),
    ];
    let built = (p.build)(&Values::new(p, &values, None).unwrap()).unwrap();
    let direct = Keycloak::new(ISSUER, CLIENT)
        .unwrap()
        .with_key(Algorithm::Es256, Some("k1"))
        .unwrap()
        .with_lifetime(45)
        .unwrap();
    assert_eq!(built.header().as_bytes(), direct.header().as_bytes());
    assert_eq!(
        built.claims(NOW, Some("j")).unwrap(),
        direct.claims(NOW, Some("j")).unwrap()
    );
    assert_eq!(built.token_url(), Some(TOKEN_URL));
    // A required option absent is named.
    let missing = [Value::Text(ISSUER)];
    assert_eq!(
        Values::new(p, &missing, None).unwrap_err(),
        Misfit::Missing(&p.options[1])
    );
}

#[test]
fn keycloak_tokens_verify_with_pyjwt() {
    let Some(mut python) =
        common::peers::python("keycloak (PyJWT, cryptography)", &["jwt", "cryptography"])
    else {
        return;
    };
    let now = jwtmint::time::now().unwrap();
    let mut cases = vec![];
    for (alg, key, key_file) in [
        (Algorithm::Rs256, demo_key(), "examples/keys/demo-key.pem"),
        (Algorithm::Ps256, demo_key(), "examples/keys/demo-key.pem"),
        (Algorithm::Es256, ec_key(), "tests/data/ec-p256.pem"),
    ] {
        for aud in [ISSUER, TOKEN_URL] {
            let k = Keycloak::new(aud, CLIENT)
                .unwrap()
                .with_key(alg, None)
                .unwrap();
            let (tok, _, _) = minted(&k, &key, now, None);
            cases.push(json!({"jwt": tok, "alg": alg.as_str(), "aud": aud,
                "key": common::repo_root().join(key_file)}));
        }
    }
    const CHECK: &str = r#"
import json, sys, uuid, jwt
from cryptography.hazmat.primitives.serialization import load_pem_private_key
client, cases = sys.argv[1], json.loads(sys.argv[2])
for c in cases:
    with open(c["key"], "rb") as f:
        public = load_pem_private_key(f.read(), None).public_key()
    claims = jwt.decode(c["jwt"], public, algorithms=[c["alg"]], audience=c["aud"],
                        issuer=client, options={"require": ["exp", "iat", "jti", "sub", "aud"]})
    assert jwt.get_unverified_header(c["jwt"])["alg"] == c["alg"]
    assert claims["sub"] == client and claims["aud"] == c["aud"], claims
    assert claims["exp"] - claims["iat"] == 60, claims
    assert uuid.UUID(claims["jti"]).version == 4, claims
print(len(cases), "verified")
"#;
    let out = python
        .args(["-c", CHECK, CLIENT, &serde_json::to_string(&cases).unwrap()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        format!("{} verified", cases.len())
    );
}
