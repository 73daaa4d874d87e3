//! `--key` sniffs the key format (PEM, encrypted PKCS#8, DER, private JWK)
//! and `--key-passphrase-file` / `JWTMINT_KEY_PASSPHRASE` open encrypted
//! keys; RS256 is deterministic, so every form of one key signs identically.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

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
