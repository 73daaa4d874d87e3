//! Key formats: encrypted PKCS#8 (PBKDF2 and scrypt, made by openssl),
//! private JWKs (cross-checked byte for byte with pyca/cryptography's
//! PKCS#8), the error for each way a file can be wrong. Fixtures in
//! tests/data/keys/ (README there says how they were made); the live variants
//! regenerate them through the peer rule.
#![cfg(feature = "std")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use base64::Engine;
use jwtmint::keys::formats::PrivateJwk;
use jwtmint::{Error, JsonPart, JwsSigner, SigningKey};

const PASS: &[u8] = b"correct horse battery staple";

fn key_file(name: &str) -> Vec<u8> {
    common::data(&format!("keys/{name}"))
}

fn key_text(name: &str) -> String {
    String::from_utf8(key_file(name)).unwrap()
}

/// RS256 (deterministic) over a fixed input: equal signatures = same key.
fn rs256(key: &SigningKey) -> Vec<u8> {
    let mut signer = key.signer_unblinded(jwtmint::Algorithm::Rs256).unwrap();
    let mut sig = vec![0u8; signer.signature_len()];
    let n = signer.sign(b"eyJhbGciOiJSUzI1NiJ9.e30", &mut sig).unwrap();
    sig.truncate(n);
    sig
}

fn plain() -> SigningKey {
    SigningKey::from_pem(&key_text("rsa2048.pkcs8.pem")).unwrap()
}

#[test]
fn encrypted_pkcs8_pbkdf2_and_scrypt_load_with_the_passphrase() {
    let want = rs256(&plain());
    for name in ["rsa2048.pbkdf2-aes256.pem", "rsa2048.scrypt.pem"] {
        let key = SigningKey::from_pem_with_passphrase(&key_text(name), PASS).unwrap();
        assert_eq!(rs256(&key), want, "{name}");
        // Plain `from_pem` keeps refusing it, with the advice.
        assert_eq!(
            SigningKey::from_pem(&key_text(name)).unwrap_err(),
            Error::EncryptedKey
        );
    }
    let der = key_file("rsa2048.pbkdf2-aes128.der");
    let key = SigningKey::from_der_with_passphrase(&der, PASS).unwrap();
    assert_eq!(rs256(&key), want);
    assert_eq!(SigningKey::from_der(&der).unwrap_err(), Error::EncryptedKey);
}

#[test]
fn wrong_passphrase_is_its_own_error() {
    for name in ["rsa2048.pbkdf2-aes256.pem", "rsa2048.scrypt.pem"] {
        for wrong in [
            &b"correct horse battery stapl"[..],
            b"",
            b"correct horse battery staple\n",
        ] {
            assert_eq!(
                SigningKey::from_pem_with_passphrase(&key_text(name), wrong).unwrap_err(),
                Error::WrongPassphrase,
                "{name} {wrong:?}"
            );
        }
    }
    assert_eq!(
        SigningKey::from_der_with_passphrase(&key_file("rsa2048.pbkdf2-aes128.der"), b"nope")
            .unwrap_err(),
        Error::WrongPassphrase
    );
}

#[test]
fn plain_keys_load_through_the_passphrase_functions() {
    let want = rs256(&plain());
    let key = SigningKey::from_pem_with_passphrase(&key_text("rsa2048.pkcs8.pem"), PASS).unwrap();
    assert_eq!(rs256(&key), want);
    let key = SigningKey::from_pem_with_passphrase(common::DEMO_KEY, b"").unwrap();
    assert_eq!(key.bits(), 2048);
}

#[test]
fn pbes1_and_legacy_pem_are_refused_with_advice() {
    let err = SigningKey::from_pem_with_passphrase(&key_text("rsa2048.pbes1-3des.pem"), PASS)
        .unwrap_err();
    assert!(
        matches!(err, Error::UnsupportedKeyEncryption { .. }),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .contains("openssl pkcs8 -topk8 -v2 aes-256-cbc"),
        "{err}"
    );
    let legacy = common::data("demo-encrypted.pem");
    let legacy = String::from_utf8(legacy).unwrap();
    if legacy.contains("Proc-Type: 4,ENCRYPTED") {
        assert_eq!(
            SigningKey::from_pem_with_passphrase(&legacy, PASS).unwrap_err(),
            Error::EncryptedKey
        );
    }
    let legacy = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,00112233445566778899AABBCCDDEEFF\n\nAAAA\n-----END RSA PRIVATE KEY-----\n";
    assert_eq!(
        SigningKey::from_pem_with_passphrase(legacy, PASS).unwrap_err(),
        Error::EncryptedKey
    );
}

/// Hostile scrypt parameters are refused before any work (no panic, no
/// gigabytes): the openssl fixture with N = 16384 (`02 02 40 00`) patched.
#[test]
fn hostile_scrypt_parameters_are_refused_up_front() {
    let pem = key_text("rsa2048.scrypt.pem");
    let (_, doc) = pkcs8::der::Document::from_pem(&pem).unwrap();
    let der = doc.as_bytes().to_vec();
    let at = der.windows(4).position(|w| w == [2, 2, 0x40, 0]).unwrap();
    for (patch, what) in [
        (vec![2, 2, 0x40, 1], "N not a power of two"),
        (vec![2, 2, 0x40, 0, 2, 1, 0x7f], "r = 127: 266 MB"),
        (vec![2, 2, 0x40, 0, 2, 1, 8, 2, 1, 0x7f], "p = 127"),
    ] {
        let mut bad = der.clone();
        bad[at..at + patch.len()].copy_from_slice(&patch);
        let err = SigningKey::from_der_with_passphrase(&bad, PASS).unwrap_err();
        assert!(
            matches!(err, Error::UnsupportedKeyEncryption { .. }),
            "{what}: {err:?}"
        );
    }
    // Unpatched it loads.
    assert!(SigningKey::from_der_with_passphrase(&der, PASS).is_ok());
}

struct Vector {
    name: String,
    jwk: String,
    pkcs8: Vec<u8>,
    kid: Option<String>,
}

fn vectors(json: &str) -> Vec<Vector> {
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|v| Vector {
            name: v["name"].as_str().unwrap().to_owned(),
            jwk: v["jwk"].to_string(),
            pkcs8: base64::engine::general_purpose::STANDARD
                .decode(v["pkcs8"].as_str().unwrap())
                .unwrap(),
            kid: v["jwk"]["kid"].as_str().map(str::to_owned),
        })
        .collect()
}

/// Every JWK normalises to exactly the PKCS#8 DER cryptography writes for the
/// same key; RSA keys sign identically from both; the `kid` comes through.
fn check_vectors(vectors: &[Vector]) {
    assert!(vectors.len() >= 6);
    for v in vectors {
        let jwk = PrivateJwk::parse(&v.jwk).unwrap_or_else(|e| panic!("{}: {e}", v.name));
        assert_eq!(jwk.pkcs8_der().unwrap(), &v.pkcs8[..], "{}", v.name);
        assert_eq!(jwk.kid(), v.kid.as_deref(), "{}", v.name);
        let from_jwk = SigningKey::from_jwk(&v.jwk);
        let from_der = SigningKey::from_pkcs8_der(&v.pkcs8);
        if v.name.starts_with("rsa") {
            let loaded = from_jwk.unwrap();
            assert_eq!(loaded.kid, v.kid);
            assert_eq!(rs256(&loaded.key), rs256(&from_der.unwrap()), "{}", v.name);
        } else {
            // EC/Ed25519 load exactly as cryptography's DER does (refused by
            // an RSA-only build, loaded once the EC/EdDSA keys are in).
            assert_eq!(
                format!("{:?}", from_jwk.map(|l| l.key)),
                format!("{from_der:?}"),
                "{}",
                v.name
            );
        }
        // Debug never shows key material.
        let d = v.jwk.split("\"d\":\"").nth(1).unwrap();
        assert!(!format!("{jwk:?}").contains(&d[..8]));
    }
}

#[test]
fn jwk_private_keys_match_cryptography_pkcs8_byte_for_byte() {
    check_vectors(&vectors(&key_text("jwk-vectors.json")));
}

#[test]
fn jwk_private_keys_match_cryptography_live() {
    let Some(mut py) =
        common::peers::python("private JWK vs cryptography PKCS#8", &["cryptography"])
    else {
        return;
    };
    let script = common::repo_root().join("tests/py/jwk_private.py");
    let out = py.arg(script).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    check_vectors(&vectors(&String::from_utf8(out.stdout).unwrap()));
}

fn rsa_jwk() -> serde_json::Value {
    let v: serde_json::Value = serde_json::from_str(&key_text("jwk-vectors.json")).unwrap();
    v[0]["jwk"].clone()
}

fn ec_jwk() -> serde_json::Value {
    let v: serde_json::Value = serde_json::from_str(&key_text("jwk-vectors.json")).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == "P-256")
        .unwrap()["jwk"]
        .clone()
}

fn parse(v: &serde_json::Value) -> Result<PrivateJwk, Error> {
    PrivateJwk::parse(&v.to_string())
}

#[test]
fn rsa_jwk_missing_or_inconsistent_members_are_named() {
    for m in ["n", "e", "d", "p", "q", "dp", "dq", "qi"] {
        let mut j = rsa_jwk();
        j.as_object_mut().unwrap().remove(m);
        let err = parse(&j).unwrap_err();
        assert!(
            matches!(err, Error::JwkMember { name, reason: "missing" } if name == m),
            "{m}: {err:?}"
        );
    }
    // Swapped CRT exponents, a wrong coefficient, swapped primes' exponents.
    let mut j = rsa_jwk();
    let (dp, dq) = (j["dp"].clone(), j["dq"].clone());
    j["dp"] = dq;
    j["dq"] = dp;
    assert!(matches!(
        parse(&j),
        Err(Error::JwkMember { name: "dp", .. })
    ));
    let mut j = rsa_jwk();
    j["qi"] = j["dq"].clone();
    assert!(matches!(
        parse(&j),
        Err(Error::JwkMember { name: "qi", .. })
    ));
    // d that does not invert e.
    let mut j = rsa_jwk();
    j["d"] = j["dp"].clone();
    assert!(
        matches!(parse(&j), Err(Error::JwkMember { .. })),
        "{:?}",
        parse(&j)
    );
    let mut j = rsa_jwk();
    j["oth"] = serde_json::json!([]);
    assert!(matches!(
        parse(&j),
        Err(Error::JwkMember { name: "oth", .. })
    ));
    // Escaped Base64Url and a member of the wrong type.
    let mut j = rsa_jwk().to_string();
    j = j.replacen("\"e\":\"AQAB\"", "\"e\":\"AQ\\u0041B\"", 1);
    assert_eq!(PrivateJwk::parse(&j).unwrap_err(), Error::InvalidBase64);
    let mut j = rsa_jwk();
    j["d"] = serde_json::json!(5);
    assert_eq!(
        parse(&j).unwrap_err(),
        Error::InvalidMemberType {
            part: JsonPart::Jwk,
            name: "d"
        }
    );
}

#[test]
fn ec_okp_oct_jwk_checks() {
    let mut j = ec_jwk();
    j["d"] = serde_json::json!("AQAB");
    assert_eq!(
        parse(&j).unwrap_err(),
        Error::JwkMember {
            name: "d",
            reason: "wrong length for the curve"
        }
    );
    for m in ["x", "y", "d", "crv"] {
        let mut j = ec_jwk();
        j.as_object_mut().unwrap().remove(m);
        assert!(
            matches!(parse(&j), Err(Error::JwkMember { name, .. }) if name == m),
            "{m}"
        );
    }
    let mut j = ec_jwk();
    j["crv"] = serde_json::json!("secp256k1");
    assert_eq!(parse(&j).unwrap_err(), Error::UnsupportedKeyType);
    let mut j = ec_jwk();
    j["use"] = serde_json::json!("enc");
    assert!(matches!(
        parse(&j),
        Err(Error::JwkMember { name: "use", .. })
    ));
    let mut j = ec_jwk();
    j["key_ops"] = serde_json::json!(["verify"]);
    assert!(matches!(
        parse(&j),
        Err(Error::JwkMember {
            name: "key_ops",
            ..
        })
    ));
    j["key_ops"] = serde_json::json!(["sign", "verify"]);
    assert!(parse(&j).is_ok());
    let ed448 = r#"{"kty":"OKP","crv":"Ed448","d":"AA","x":"AA"}"#;
    assert_eq!(
        PrivateJwk::parse(ed448).unwrap_err(),
        Error::UnsupportedKeyType
    );
    assert_eq!(
        PrivateJwk::parse(r#"{"kty":"RSA","kty":"EC"}"#).unwrap_err(),
        Error::DuplicateMember {
            part: JsonPart::Jwk,
            offset: 13
        }
    );
    assert_eq!(
        PrivateJwk::parse(r#"{"kid":"x"}"#).unwrap_err(),
        Error::InvalidMemberType {
            part: JsonPart::Jwk,
            name: "kty"
        }
    );
    // oct: the secret is decoded; the kid too (escapes decoded).
    let oct = r#"{"kty":"oct","kid":"h\u00e9","k":"c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTMy"}"#;
    let jwk = PrivateJwk::parse(oct).unwrap();
    assert_eq!(
        jwk.hmac_secret().unwrap(),
        b"secret-secret-secret-secret-32"
    );
    assert_eq!(jwk.kid(), Some("hé"));
    assert!(jwk.pkcs8_der().is_none());
    assert!(!format!("{jwk:?}").contains("c2Vj"));
}

/// openssl writes both schemes with a random passphrase; both load, and the
/// wrong passphrase is `WrongPassphrase`.
#[test]
#[cfg_attr(
    target_os = "wasi",
    ignore = "WASI preview 1 has no processes and no temp dir; runs natively and under qemu"
)]
fn openssl_encrypted_pkcs8_live() {
    let Some(probe) = common::peers::openssl("encrypted PKCS#8 (openssl pkcs8 -topk8)") else {
        return;
    };
    let bin = probe.get_program().to_owned();
    let dir = std::env::temp_dir().join(format!("jwtmint-keyfmt-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let plain = common::repo_root().join("examples/keys/demo-key.pem");
    let want = rs256(&SigningKey::from_pem(common::DEMO_KEY).unwrap());
    let pass = format!("pw-{}-ü", std::process::id());
    for (i, scheme) in [
        &["-v2", "aes-256-cbc"][..],
        &["-scrypt"],
        &["-v2", "aes-128-cbc", "-v2prf", "hmacWithSHA512"],
    ]
    .iter()
    .enumerate()
    {
        let out = dir.join(format!("k{i}.pem"));
        let st = std::process::Command::new(&bin)
            .args(["pkcs8", "-topk8", "-in"])
            .arg(&plain)
            .args(*scheme)
            .args(["-passout", &format!("pass:{pass}"), "-out"])
            .arg(&out)
            .output()
            .unwrap();
        assert!(
            st.status.success(),
            "{}",
            String::from_utf8_lossy(&st.stderr)
        );
        let pem = std::fs::read_to_string(&out).unwrap();
        let key = SigningKey::from_pem_with_passphrase(&pem, pass.as_bytes()).unwrap();
        assert_eq!(rs256(&key), want, "{scheme:?}");
        assert_eq!(
            SigningKey::from_pem_with_passphrase(&pem, b"wrong").unwrap_err(),
            Error::WrongPassphrase
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// PKCS#12 from `openssl pkcs12 -export` (OpenSSL 3 default: PBES2/AES-256,
/// SHA-256 MAC) and `-legacy` (3DES key bag, RC2-40 certificate bag, SHA-1
/// MAC): the key signs like the PEM key, the certificate is the one openssl
/// was given (byte for byte), a wrong passphrase is `WrongPassphrase`.
#[test]
fn pkcs12_key_and_certificate_from_one_file() {
    let want = rs256(&plain());
    let cert_pem = key_text("rsa2048.cert.pem");
    let (_, cert) = pkcs8::der::Document::from_pem(&cert_pem).unwrap();
    let pass = std::str::from_utf8(PASS).unwrap();
    for name in ["rsa2048.aes256.p12", "rsa2048.legacy.p12"] {
        let p12 = key_file(name);
        let loaded = SigningKey::from_pkcs12(&p12, pass).unwrap();
        assert_eq!(rs256(&loaded.key), want, "{name}");
        assert_eq!(
            loaded.certificate_der.as_deref(),
            Some(cert.as_bytes()),
            "{name}"
        );
        assert_eq!(loaded.kid, None);
        let thumbs = jwtmint::CertThumbprints::from_der(loaded.certificate_der.as_ref().unwrap());
        assert_eq!(
            thumbs.unwrap().x5t_s256(),
            jwtmint::CertThumbprints::from_pem(&cert_pem)
                .unwrap()
                .x5t_s256()
        );
        for wrong in [
            "",
            "correct horse battery stapl",
            "Correct horse battery staple",
        ] {
            assert_eq!(
                SigningKey::from_pkcs12(&p12, wrong).unwrap_err(),
                Error::WrongPassphrase,
                "{name} {wrong:?}"
            );
        }
        // Truncated or not PKCS#12 at all.
        assert_eq!(
            SigningKey::from_pkcs12(&p12[..p12.len() - 1], pass).unwrap_err(),
            Error::KeyMalformed
        );
    }
    assert_eq!(
        SigningKey::from_pkcs12(&key_file("rsa2048.pbkdf2-aes128.der"), pass).unwrap_err(),
        Error::KeyMalformed
    );
}

/// openssl writes .p12 files with a random passphrase: default, -legacy, and
/// a key-only file (`-nocerts`); all load.
#[test]
#[cfg_attr(
    target_os = "wasi",
    ignore = "WASI preview 1 has no processes and no temp dir; runs natively and under qemu"
)]
fn openssl_pkcs12_live() {
    let Some(probe) = common::peers::openssl("PKCS#12 (openssl pkcs12 -export)") else {
        return;
    };
    let bin = probe.get_program().to_owned();
    let dir = std::env::temp_dir().join(format!("jwtmint-p12-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let keyp = common::repo_root().join("examples/keys/demo-key.pem");
    let certp = common::repo_root().join("examples/keys/demo-cert.pem");
    let want = rs256(&SigningKey::from_pem(common::DEMO_KEY).unwrap());
    let pass = format!("p12-{}-ü", std::process::id());
    for (i, extra) in [&[][..], &["-legacy"], &["-nocerts"]].iter().enumerate() {
        let out = dir.join(format!("k{i}.p12"));
        let mut cmd = std::process::Command::new(&bin);
        cmd.args(["pkcs12", "-export", "-inkey"]).arg(&keyp);
        if !extra.contains(&"-nocerts") {
            cmd.arg("-in").arg(&certp);
        }
        let st = cmd
            .args(*extra)
            .args(["-passout", &format!("pass:{pass}"), "-out"])
            .arg(&out)
            .output()
            .unwrap();
        assert!(
            st.status.success(),
            "{extra:?}: {}",
            String::from_utf8_lossy(&st.stderr)
        );
        let p12 = std::fs::read(&out).unwrap();
        let loaded = SigningKey::from_pkcs12(&p12, &pass).unwrap();
        assert_eq!(rs256(&loaded.key), want, "{extra:?}");
        assert_eq!(
            loaded.certificate_der.is_some(),
            !extra.contains(&"-nocerts")
        );
        assert_eq!(
            SigningKey::from_pkcs12(&p12, "nope").unwrap_err(),
            Error::WrongPassphrase
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Hostile bytes: every fifth byte of a PKCS#12 file without a MAC (so
/// flips reach the bag parsers and decryption), every third of encrypted
/// PKCS#8 DER and of a private JWK changed; each parse returns (no panic), and whatever
/// still loads is the original key.
#[test]
fn flipped_bytes_never_panic_or_change_the_key() {
    let want = rs256(&plain());
    let pass = std::str::from_utf8(PASS).unwrap();
    let p12 = key_file("rsa2048.nomac.p12");
    assert_eq!(
        rs256(&SigningKey::from_pkcs12(&p12, pass).unwrap().key),
        want
    );
    let (mut ok, mut err) = (0, 0);
    for i in (0..p12.len()).step_by(5) {
        let mut bad = p12.clone();
        bad[i] ^= 0x41;
        match SigningKey::from_pkcs12(&bad, pass) {
            Ok(l) => {
                assert_eq!(rs256(&l.key), want, "byte {i}");
                ok += 1;
            }
            Err(_) => err += 1,
        }
    }
    assert!(err > ok, "{ok} ok, {err} refused");
    let der = key_file("rsa2048.pbkdf2-aes128.der");
    for i in (0..der.len()).step_by(3) {
        let mut bad = der.clone();
        bad[i] ^= 0x41;
        if let Ok(k) = SigningKey::from_der_with_passphrase(&bad, PASS) {
            assert_eq!(rs256(&k), want, "byte {i}");
        }
    }
    // The JWK fixture is another key (from cryptography): its PKCS#8 twin.
    let want = rs256(&SigningKey::from_der(&key_file("rsa2048-jwk.pkcs8.der")).unwrap());
    let jwk = key_text("rsa2048.jwk.json").into_bytes();
    for i in (0..jwk.len()).step_by(3) {
        for b in [b'"', b'A', b'\\', b'{', 0xff] {
            let mut bad = jwk.clone();
            bad[i] = b;
            let Ok(text) = std::str::from_utf8(&bad) else {
                continue;
            };
            if let Ok(l) = SigningKey::from_jwk(text) {
                assert_eq!(rs256(&l.key), want, "byte {i} = {b}");
            }
        }
    }
}
