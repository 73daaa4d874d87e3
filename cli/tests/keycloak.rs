//! `--profile keycloak`, a provider the CLI knows only from its declaration
//! (`jwtmint::profiles::keycloak::PROVIDER`): listed with its help line, its
//! flags reach the library profile, its required flags and the flags it does
//! not read are named, its rules are refused with the library's errors.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::{Value, json};

const KEY: &str = "examples/keys/demo-key.pem";
const EC_KEY: &str = "tests/data/ec-p256.pem";
const ISSUER: &str = "https://sso.example.com/realms/acme";

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jwtmint"))
        .current_dir(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".."))
        .env_remove("JWTMINT_KEY_FILE")
        .args(args)
        .output()
        .unwrap()
}

fn ok(o: &Output) -> String {
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    String::from_utf8(o.stdout.clone())
        .unwrap()
        .trim()
        .to_owned()
}

fn part(tok: &str, i: usize) -> Value {
    let seg = tok.split('.').nth(i).unwrap();
    let mut raw = vec![0u8; seg.len()];
    let n = jwtmint::base64url::decode(seg.as_bytes(), &mut raw).unwrap();
    serde_json::from_slice(&raw[..n]).unwrap()
}

fn kc(extra: &[&str]) -> Output {
    let mut args = vec!["mint", "--profile", "keycloak", "--aud", ISSUER];
    args.extend(extra);
    run(&args)
}

#[test]
fn keycloak_mints_with_its_flags() {
    let tok = ok(&kc(&[
        "--key",
        KEY,
        "--client-id",
        "svc-billing",
        "--jti",
        "j1",
    ]));
    assert_eq!(part(&tok, 0), json!({"alg": "RS256", "typ": "JWT"}));
    let c = part(&tok, 1);
    assert_eq!(
        (&c["iss"], &c["sub"], &c["aud"], &c["jti"]),
        (
            &json!("svc-billing"),
            &json!("svc-billing"),
            &json!(ISSUER),
            &json!("j1")
        )
    );
    assert_eq!(c["exp"].as_i64().unwrap() - c["iat"].as_i64().unwrap(), 60);
    let tok = ok(&kc(&[
        "--key",
        EC_KEY,
        "--client-id",
        "svc-billing",
        "--alg",
        "ES256",
        "--kid",
        "kc1",
        "--lifetime",
        "30",
    ]));
    assert_eq!(
        part(&tok, 0),
        json!({"alg": "ES256", "typ": "JWT", "kid": "kc1"})
    );
    let c = part(&tok, 1);
    assert_eq!(c["exp"].as_i64().unwrap() - c["iat"].as_i64().unwrap(), 30);
    // --form: the client-credentials body with the assertion and the scope.
    let body = ok(&kc(&[
        "--key",
        KEY,
        "--client-id",
        "svc-billing",
        "--scope",
        "openid",
        "--form",
    ]));
    assert!(
        body.starts_with(
            "client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=ey"
        ),
        "{body}"
    );
    assert!(
        body.ends_with("&grant_type=client_credentials&scope=openid"),
        "{body}"
    );
}

#[test]
fn keycloak_refusals_name_the_flag_or_the_rule() {
    for (args, want) in [
        (
            vec!["--key", KEY],
            "error: --client-id is required for --profile keycloak",
        ),
        (
            vec!["--key", KEY, "--client-id", "c", "--sub", "u"],
            "error: --sub is not used by --profile keycloak: remove it",
        ),
        (
            vec!["--key", KEY, "--client-id", "c", "--alg", "RS384"],
            "this Keycloak profile signs RS256, ES256 or PS256",
        ),
        (
            vec!["--key", KEY, "--client-id", "c", "--lifetime", "61"],
            "lifetime 61 s exceeds the allowed maximum of 60 s",
        ),
    ] {
        let o = kc(&args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_ne!(o.status.code(), Some(0), "{args:?}");
        assert!(err.contains(want), "{args:?}: {err}");
    }
    let o = run(&[
        "mint",
        "--profile",
        "keycloak",
        "--key",
        KEY,
        "--client-id",
        "c",
        "--aud",
        "https://sso.example.com/oauth2/token",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("Keycloak's aud is the realm's issuer URL")
    );
}

#[test]
fn keycloak_help_comes_from_its_declaration() {
    let help = ok(&run(&["mint", "--help"]));
    for line in [
        "keycloak: ",
        "Keycloak private_key_jwt (aud = realm issuer or token endpoint, jti, exp <= 60 s)",
        "keycloak: the client's signature algorithm: RS256 (default), ES256 or PS256",
        "keycloak: seconds from now to `exp`, 1..=60; default 60",
    ] {
        assert!(help.contains(line), "{line}");
    }
}
