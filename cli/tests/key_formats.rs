//! `--key` sniffs the key format (PEM, encrypted PKCS#8, DER, private JWK)
//! and `--key-passphrase-file` / `JWTMINT_KEY_PASSPHRASE` open encrypted
//! keys; RS256 is deterministic, so every form of one key signs identically.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "../../tests/common/mod.rs"]
mod common;

use std::path::PathBuf;
use std::process::{Command, Output};

const PASS: &str = "correct horse battery staple";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn sign(key: &str, extra: &[&str], env_pass: Option<&str>) -> Output {
    let v = common::vectors().join("rfc7515_a2");
    let mut c = Command::new(env!("CARGO_BIN_EXE_jwtmint"));
    c.current_dir(root())
        .env_remove("JWTMINT_KEY_FILE")
        .env_remove("JWTMINT_KEY_PASSPHRASE");
    if let Some(p) = env_pass {
        c.env("JWTMINT_KEY_PASSPHRASE", p);
    }
    c.args(["sign", "--key", key, "--header"])
        .arg(v.join("protected_header.bin"))
        .arg("--payload")
        .arg(v.join("payload.bin"))
        .args(extra)
        .output()
        .unwrap()
}

fn ok(o: &Output) -> String {
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn pass_file(name: &str, content: &str) -> PathBuf {
    let p = std::env::temp_dir().join(format!("jwtmint-cli-pass-{}-{name}", std::process::id()));
    std::fs::write(&p, content).unwrap();
    p
}

#[test]
fn encrypted_keys_open_with_a_passphrase_file_or_the_environment() {
    let want = ok(&sign("tests/data/keys/rsa2048.pkcs8.pem", &[], None));
    let file = pass_file("lf", &format!("{PASS}\n"));
    let crlf = pass_file("crlf", &format!("{PASS}\r\n"));
    for key in [
        "tests/data/keys/rsa2048.pbkdf2-aes256.pem",
        "tests/data/keys/rsa2048.scrypt.pem",
        "tests/data/keys/rsa2048.pbkdf2-aes128.der",
    ] {
        for f in [&file, &crlf] {
            let o = sign(key, &["--key-passphrase-file", f.to_str().unwrap()], None);
            assert_eq!(ok(&o), want, "{key}");
        }
        assert_eq!(ok(&sign(key, &[], Some(PASS))), want, "{key}");
        // Without a passphrase: exit 2 and how to give one.
        let o = sign(key, &[], None);
        assert_eq!(o.status.code(), Some(2));
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.contains("--key-passphrase-file FILE or the JWTMINT_KEY_PASSPHRASE"),
            "{err}"
        );
        // Wrong passphrase: its own message, the passphrase never echoed.
        let o = sign(key, &[], Some("hunter2-wrong"));
        assert_eq!(o.status.code(), Some(2));
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("wrong passphrase"), "{err}");
        assert!(!err.contains("hunter2"), "{err}");
    }
    // The flag wins over the environment.
    let o = sign(
        "tests/data/keys/rsa2048.scrypt.pem",
        &["--key-passphrase-file", file.to_str().unwrap()],
        Some("wrong"),
    );
    assert_eq!(ok(&o), want);
    std::fs::remove_file(file).unwrap();
    std::fs::remove_file(crlf).unwrap();
}

#[test]
fn a_private_jwk_is_a_key_file() {
    let jwk = ok(&sign("tests/data/keys/rsa2048.jwk.json", &[], None));
    let der = ok(&sign("tests/data/keys/rsa2048-jwk.pkcs8.der", &[], None));
    assert_eq!(jwk, der);
    let o = sign("tests/data/keys/p256.jwk.json", &[], None);
    // EC keys sign RS256 never: refused (type, or algorithm once EC keys load).
    assert_eq!(
        o.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
}

#[test]
fn pkcs12_key_and_its_certificate() {
    let want = ok(&sign("tests/data/keys/rsa2048.pkcs8.pem", &[], None));
    let file = pass_file("p12", &format!("{PASS}\n"));
    for p12 in [
        "tests/data/keys/rsa2048.aes256.p12",
        "tests/data/keys/rsa2048.legacy.p12",
    ] {
        let o = sign(
            p12,
            &["--key-passphrase-file", file.to_str().unwrap()],
            None,
        );
        assert_eq!(ok(&o), want, "{p12}");
        let o = sign(p12, &[], None);
        assert_eq!(o.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&o.stderr).contains("JWTMINT_KEY_PASSPHRASE"));
    }
    // Entra: x5t#S256 from the .p12's own certificate equals --cert's.
    let entra = |key: &str, extra: &[&str]| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_jwtmint"));
        c.current_dir(root())
            .env_remove("JWTMINT_KEY_FILE")
            .env("JWTMINT_KEY_PASSPHRASE", PASS)
            .args(["mint", "--profile", "entra", "--key", key])
            .args([
                "--tenant",
                "contoso.onmicrosoft.com",
                "--client-id",
                "97e0a5b7-d745-40b6-94fe-5f77d35c6e05",
            ])
            .args(extra);
        let token = ok(&c.output().unwrap());
        token.split('.').next().unwrap().to_owned()
    };
    let from_p12 = entra("tests/data/keys/rsa2048.aes256.p12", &[]);
    let from_cert = entra(
        "tests/data/keys/rsa2048.pkcs8.pem",
        &["--cert", "tests/data/keys/rsa2048.cert.pem"],
    );
    assert_eq!(from_p12, from_cert);
    assert!(from_p12.len() > 40);
    std::fs::remove_file(file).unwrap();
}

#[test]
fn generic_mint_takes_the_kid_of_a_jwk() {
    let o = Command::new(env!("CARGO_BIN_EXE_jwtmint"))
        .current_dir(root())
        .env_remove("JWTMINT_KEY_FILE")
        .args([
            "mint",
            "--profile",
            "generic",
            "--key",
            "tests/data/keys/rsa2048.jwk.json",
        ])
        .args([
            "--iss",
            "c",
            "--sub",
            "s",
            "--aud",
            "https://as.example.com/token",
        ])
        .output()
        .unwrap();
    let token = ok(&o);
    let header = token.split('.').next().unwrap();
    let mut buf = [0u8; 256];
    let n = jwtmint::base64url::decode(header.as_bytes(), &mut buf).unwrap();
    let header = std::str::from_utf8(&buf[..n]).unwrap();
    assert!(header.contains(r#""kid":"rsa-2048""#), "{header}");
}
