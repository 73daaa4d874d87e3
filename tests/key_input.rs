//! Key and certificate input as real files look (issue 12, items 9 and 10):
//! PEM followed by whitespace or a NUL, legacy encrypted PEM, DER given to a
//! PEM function, and the advice printed for encrypted keys.
#![cfg(feature = "std")] // keys and signing need `std` (`alloc` + OS RNG)
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;

mod common;

use jwtmint::{Error, PublicKey, SigningKey, cert::CertThumbprints};

const KEY: &str = include_str!("../examples/keys/demo-key.pem");
const PKCS1: &str = include_str!("data/demo-pkcs1.pem");
const PUB: &str = include_str!("../examples/keys/demo-key.pub.pem");
const CERT: &str = include_str!("../examples/keys/demo-cert.pem");

/// What secret stores, `echo "$KEY" > file` and C strings append.
const TAILS: &[&str] = &[
    "",
    "\n",
    "\n\n",
    "\r\n",
    " \n",
    "\t\n",
    "\0",
    "\n\0",
    "\r\n\r\n  \n",
];

/// The PEM block without any trailing line break.
fn bare(pem: &str) -> &str {
    pem.trim_end()
}

#[test]
fn private_keys_accept_trailing_whitespace_and_nul() {
    for pem in [KEY, PKCS1] {
        for tail in TAILS {
            let text = format!("{}{tail}", bare(pem));
            let key = SigningKey::from_pem(&text).unwrap_or_else(|e| panic!("{tail:?}: {e}"));
            assert_eq!(key.bits(), 2048);
            // Leading whitespace and text before BEGIN, as before.
            let text = format!("  \r\nBag Attributes: x\n{}{tail}", bare(pem));
            assert!(SigningKey::from_pem(&text).is_ok(), "{tail:?}");
        }
    }
}

#[test]
fn public_keys_and_certificates_accept_trailing_whitespace_and_nul() {
    for tail in TAILS {
        let pk = format!("{}{tail}", bare(PUB));
        assert_eq!(PublicKey::from_pem(&pk).unwrap().bits(), 2048, "{tail:?}");
        let cert = format!("{}{tail}", bare(CERT));
        assert_eq!(PublicKey::from_pem(&cert).unwrap().bits(), 2048, "{tail:?}");
        assert!(CertThumbprints::from_pem(&cert).is_ok(), "{tail:?}");
    }
}

#[test]
fn text_after_the_end_line_is_still_refused() {
    let tail = "\ntrailing text\n";
    assert_eq!(
        SigningKey::from_pem(&format!("{}{tail}", bare(KEY))).unwrap_err(),
        Error::KeyMalformed
    );
    assert_eq!(
        PublicKey::from_pem(&format!("{}{tail}", bare(PUB))).unwrap_err(),
        Error::PublicKeyMalformed
    );
    assert_eq!(
        CertThumbprints::from_pem(&format!("{}{tail}", bare(CERT))).unwrap_err(),
        Error::CertificateMalformed
    );
}

/// A legacy OpenSSL encrypted key (`openssl rsa -aes256 -traditional`), kept
/// verbatim so the test does not need openssl.
const LEGACY_ENCRYPTED_HEAD: &str = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,8A2F6C3D1E0B4A5968D7C2B1A0F9E8D7\n\n";

#[test]
fn legacy_encrypted_pem_is_an_encrypted_key() {
    // Any body: the headers alone say what it is.
    let body = PKCS1
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect::<Vec<_>>()
        .join("\n");
    let pem = format!("{LEGACY_ENCRYPTED_HEAD}{body}\n-----END RSA PRIVATE KEY-----\n");
    assert_eq!(SigningKey::from_pem(&pem).unwrap_err(), Error::EncryptedKey);
    let pem = pem.replace('\n', "\r\n");
    assert_eq!(SigningKey::from_pem(&pem).unwrap_err(), Error::EncryptedKey);
}

#[test]
fn encrypted_key_advice_is_the_working_command() {
    let msg = Error::EncryptedKey.to_string();
    assert!(
        msg.ends_with("openssl pkcs8 -topk8 -nocrypt -in key.pem -out key.unencrypted.pem"),
        "{msg}"
    );
}

/// The command the advice prints, with `-passin` added, run against both
/// kinds of encrypted key openssl writes.
#[test]
#[cfg_attr(
    target_os = "wasi",
    ignore = "WASI preview 1 has no processes and no temp dir; runs natively and under qemu"
)]
fn encrypted_key_advice_really_converts_keys() {
    // A missing openssl skips loudly, or fails under JWTMINT_REQUIRE_PEERS=1.
    let Some(probe) = common::peers::openssl("encrypted-key advice (openssl pkcs8 -topk8)") else {
        return;
    };
    let bin = probe.get_program().to_owned();
    let msg = Error::EncryptedKey.to_string();
    let cmd = &msg[msg.find("openssl pkcs8").unwrap()..];
    let dir = std::env::temp_dir().join(format!("jwtmint-advice-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let plain = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/keys/demo-key.pem");
    let openssl = |args: &[&str]| {
        let out = Command::new(&bin)
            .args(args)
            .current_dir(&dir)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let plain = plain.to_str().unwrap();
    // PKCS#8 `ENCRYPTED PRIVATE KEY` (what `openssl genpkey -aes256` writes).
    let pkcs8 = [
        "pkey", "-in", plain, "-aes256", "-passout", "pass:pw", "-out",
    ];
    // Legacy `Proc-Type: 4,ENCRYPTED` (`openssl rsa -aes256`, OpenSSL 1.x default).
    let legacy = [
        "rsa",
        "-in",
        plain,
        "-aes256",
        "-traditional",
        "-passout",
        "pass:pw",
        "-out",
    ];
    for (make, marker) in [
        (&pkcs8[..], "BEGIN ENCRYPTED PRIVATE KEY"),
        (&legacy[..], "Proc-Type: 4,ENCRYPTED"),
    ] {
        let _ = std::fs::remove_file(dir.join("key.unencrypted.pem"));
        openssl(&[make, &["key.pem"]].concat());
        let encrypted = std::fs::read_to_string(dir.join("key.pem")).unwrap();
        assert!(encrypted.contains(marker), "{encrypted}");
        assert_eq!(
            SigningKey::from_pem(&encrypted).unwrap_err(),
            Error::EncryptedKey
        );
        let mut args: Vec<&str> = cmd.split(' ').skip(1).collect();
        args.extend(["-passin", "pass:pw"]);
        openssl(&args);
        let converted = std::fs::read_to_string(dir.join("key.unencrypted.pem")).unwrap();
        let key = SigningKey::from_pem(&converted).unwrap();
        assert_eq!(key.bits(), 2048);
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
