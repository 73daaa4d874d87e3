//! `--profile github-app|snowflake|docusign|okta|auth0`: the flags reach the
//! library profiles, their rules are refused with the library's errors, and
//! `exchange` refuses the profiles that are not a form exchange.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::{Value, json};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jwtmint"))
        .current_dir(root())
        .env_remove("JWTMINT_KEY_FILE")
        .args(args)
        .output()
        .unwrap()
}

fn claims(o: &Output) -> (Value, Value) {
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let tok = String::from_utf8(o.stdout.clone()).unwrap();
    let part = |i: usize| -> Value {
        let seg = tok.trim().split('.').nth(i).unwrap();
        let mut raw = vec![0u8; seg.len()];
        let n = jwtmint::base64url::decode(seg.as_bytes(), &mut raw).unwrap();
        serde_json::from_slice(&raw[..n]).unwrap()
    };
    (part(0), part(1))
}

const KEY: &str = "examples/keys/demo-key.pem";

#[test]
fn new_profiles_mint_with_their_flags() {
    let (_, c) = claims(&run(&[
        "mint",
        "--profile",
        "github-app",
        "--key",
        KEY,
        "--iss",
        "Iv23liX",
        "--installation-id",
        "42",
    ]));
    assert_eq!(c["iss"], json!("Iv23liX"));
    assert_eq!(c["exp"].as_i64().unwrap() - c["iat"].as_i64().unwrap(), 600);

    let (_, c) = claims(&run(&[
        "mint",
        "--profile",
        "snowflake",
        "--key",
        KEY,
        "--account",
        "xy12345.us-east-2.aws",
        "--user",
        "jsmith",
    ]));
    assert_eq!(c["sub"], json!("XY12345.JSMITH"));
    assert_eq!(
        c["iss"],
        json!("XY12345.JSMITH.SHA256:ftMp0SsQARgXaOvg2EQC+6lWgfwfamJ08sgejlTwwV0=")
    );

    let (_, c) = claims(&run(&[
        "mint",
        "--profile",
        "docusign",
        "--key",
        KEY,
        "--iss",
        "ik",
        "--sub",
        "uid",
        "--aud",
        "account-d.docusign.com",
    ]));
    assert_eq!(
        (&c["aud"], &c["scope"]),
        (
            &json!("account-d.docusign.com"),
            &json!("signature impersonation")
        )
    );

    let (h, c) = claims(&run(&[
        "mint",
        "--profile",
        "okta",
        "--key",
        KEY,
        "--aud",
        "https://acme.okta.com/oauth2/v1/token",
        "--client-id",
        "0oa1",
        "--kid",
        "k1",
    ]));
    assert_eq!(h, json!({"alg": "RS256", "typ": "JWT", "kid": "k1"}));
    assert_eq!((&c["iss"], &c["sub"]), (&json!("0oa1"), &json!("0oa1")));
    assert_eq!(c["jti"].as_str().unwrap().len(), 36);

    let (h, c) = claims(&run(&[
        "mint",
        "--profile",
        "auth0",
        "--key",
        KEY,
        "--aud",
        "acme.auth0.com",
        "--client-id",
        "c1",
        "--alg",
        "PS256",
    ]));
    assert_eq!(h["alg"], json!("PS256"));
    assert_eq!(c["aud"], json!("https://acme.auth0.com/"));
}

#[test]
fn new_profiles_refuse_what_the_provider_refuses() {
    for (args, want) in [
        (
            vec![
                "--profile",
                "github-app",
                "--iss",
                "1",
                "--installation-id",
                "1",
                "--lifetime",
                "601",
            ],
            "lifetime 601 s exceeds the allowed maximum of 600 s",
        ),
        (
            vec!["--profile", "github-app", "--iss", "1"],
            "--installation-id is required for --profile github-app",
        ),
        (
            vec![
                "--profile",
                "snowflake",
                "--account",
                "a",
                "--user",
                "u",
                "--lifetime",
                "3601",
            ],
            "lifetime 3601 s exceeds the allowed maximum of 3600 s",
        ),
        (
            vec![
                "--profile",
                "docusign",
                "--iss",
                "i",
                "--sub",
                "s",
                "--aud",
                "https://account-d.docusign.com",
            ],
            "--aud for --profile docusign is the host name",
        ),
        (
            vec![
                "--profile",
                "okta",
                "--aud",
                "https://acme.okta.com/oauth2/v1/token",
                "--client-id",
                "c",
                "--alg",
                "PS256",
            ],
            "Okta's private_key_jwt accepts RS256/RS384/RS512/ES256/ES384/ES512",
        ),
        (
            vec![
                "--profile",
                "auth0",
                "--aud",
                "acme.auth0.com",
                "--client-id",
                "c",
                "--lifetime",
                "301",
            ],
            "lifetime 301 s exceeds the allowed maximum of 300 s",
        ),
    ] {
        let mut full = vec!["mint", "--key", KEY];
        full.extend(&args);
        let o = run(&full);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_ne!(o.status.code(), Some(0), "{args:?}");
        assert!(err.contains(want), "{args:?}: {err}");
    }
    let o = run(&[
        "exchange",
        "--profile",
        "snowflake",
        "--key",
        KEY,
        "--account",
        "a",
        "--user",
        "u",
        "--token-url",
        "https://127.0.0.1:1/x",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not a form exchange"));
}

#[test]
fn apple_profiles_mint_with_the_p8_key() {
    let ec = "tests/data/ec-p256.pem";
    let (h, c) = claims(&run(&[
        "mint",
        "--profile",
        "apns",
        "--key",
        ec,
        "--kid",
        "ABC123DEFG",
        "--iss",
        "DEF123GHIJ",
    ]));
    assert_eq!(h, json!({"alg": "ES256", "kid": "ABC123DEFG"}));
    assert_eq!(c.as_object().unwrap().len(), 2);
    let (h, c) = claims(&run(&[
        "mint",
        "--profile",
        "app-store-connect",
        "--key",
        ec,
        "--kid",
        "2X9R4HXF34",
        "--iss",
        "57246542-96fe-1a63-e053-0824d011072a",
    ]));
    assert_eq!(h["typ"], json!("JWT"));
    assert_eq!(c["aud"], json!("appstoreconnect-v1"));
    let (_, c) = claims(&run(&[
        "mint",
        "--profile",
        "sign-in-with-apple",
        "--key",
        ec,
        "--kid",
        "ABC123DEFG",
        "--iss",
        "DEF123GHIJ",
        "--sub",
        "com.example.web",
    ]));
    assert_eq!(c["aud"], json!("https://appleid.apple.com"));
    // An RSA key and an over-long lifetime are refused.
    let o = run(&[
        "mint",
        "--profile",
        "apns",
        "--key",
        KEY,
        "--kid",
        "ABC123DEFG",
        "--iss",
        "DEF123GHIJ",
    ]);
    assert_ne!(o.status.code(), Some(0));
    let o = run(&[
        "mint",
        "--profile",
        "app-store-connect",
        "--key",
        ec,
        "--kid",
        "2X9R4HXF34",
        "--iss",
        "57246542-96fe-1a63-e053-0824d011072a",
        "--lifetime",
        "1201",
    ]);
    assert!(
        String::from_utf8_lossy(&o.stderr)
            .contains("lifetime 1201 s exceeds the allowed maximum of 1200 s")
    );
}

#[test]
fn box_profile_reads_the_config_json() {
    let (h, c) = claims(&run(&[
        "mint",
        "--profile",
        "box",
        "--box-config",
        "tests/data/box-config.json",
    ]));
    assert_eq!(h["kid"], json!("abcd1234"));
    assert_eq!(
        (&c["sub"], &c["box_sub_type"]),
        (&json!("1234567"), &json!("enterprise"))
    );
    let (_, c) = claims(&run(&[
        "mint",
        "--profile",
        "box",
        "--box-config",
        "tests/data/box-config.json",
        "--sub",
        "42",
    ]));
    assert_eq!(c["box_sub_type"], json!("user"));
    let o = run(&[
        "mint",
        "--profile",
        "box",
        "--box-config",
        "tests/data/box-config.json",
        "--lifetime",
        "61",
    ]);
    assert!(
        String::from_utf8_lossy(&o.stderr)
            .contains("lifetime 61 s exceeds the allowed maximum of 60 s")
    );
    let o = run(&[
        "mint",
        "--profile",
        "box",
        "--box-config",
        "tests/data/box-config.json",
        "--form",
    ]);
    let body = String::from_utf8(o.stdout).unwrap();
    assert!(
        body.contains("&client_id=abc123clientid&client_secret="),
        "{body}"
    );
}
