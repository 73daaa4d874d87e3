//! Differential: every algorithm jwtmint mints, with random claims, is
//! verified by PyJWT and pyca/cryptography (tests/py/alg_cross.py); Ed25519
//! and RSA PKCS#1 v1.5 signatures are byte-identical to cryptography's, ES*
//! signatures are exactly `2 × field size` bytes. Peer rule:
//! tests/common/peers.rs.
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

use std::io::Write;

use jwtmint::{Algorithm, Claims, Header, HeaderTemplate, SigningKey};
use serde_json::json;

#[test]
#[cfg_attr(
    target_os = "wasi",
    ignore = "WASI preview 1 has no processes and no temp dir; runs natively and under qemu"
)]
fn pyjwt_and_cryptography_verify_every_algorithm() {
    let Some(mut python) =
        common::peers::python("alg_cross (PyJWT + cryptography)", &["jwt", "cryptography"])
    else {
        return;
    };
    let dir = std::env::temp_dir().join(format!("jwtmint-alg-cross-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let data = common::repo_root().join("tests/data");
    // A random HMAC secret and claims each run.
    let mut secret = [0u8; 64];
    getrandom::fill(&mut secret).unwrap();
    let secret_path = dir.join("hmac.key");
    std::fs::write(&secret_path, secret).unwrap();
    let demo = common::repo_root().join("examples/keys/demo-key.pem");
    let sets: Vec<(std::path::PathBuf, Vec<Algorithm>)> = vec![
        (
            demo,
            vec![
                Algorithm::Rs256,
                Algorithm::Rs384,
                Algorithm::Rs512,
                Algorithm::Ps256,
                Algorithm::Ps384,
                Algorithm::Ps512,
            ],
        ),
        (data.join("ec-p256.pem"), vec![Algorithm::Es256]),
        (data.join("ec-p384.pem"), vec![Algorithm::Es384]),
        (data.join("ec-p521.pem"), vec![Algorithm::Es512]),
        (data.join("ed25519.pem"), vec![Algorithm::EdDsa]),
        (
            secret_path.clone(),
            vec![Algorithm::Hs256, Algorithm::Hs384, Algorithm::Hs512],
        ),
    ];
    let cases = dir.join("cases.jsonl");
    let mut f = std::fs::File::create(&cases).unwrap();
    let mut count = 0;
    for (path, algs) in &sets {
        let bytes = std::fs::read(path).unwrap();
        let key = if *path == secret_path {
            SigningKey::from_hmac_secret(&bytes).unwrap()
        } else {
            SigningKey::from_pem(std::str::from_utf8(&bytes).unwrap()).unwrap()
        };
        for &alg in algs {
            for i in 0..4 {
                let mut r = [0u8; 8];
                getrandom::fill(&mut r).unwrap();
                let sub = format!("user-{}-é\"\\{}", u64::from_le_bytes(r), i);
                let exp = 1_700_000_000 + i64::from(r[0]) * 1000;
                let tpl = HeaderTemplate::new(&Header::new(alg)).unwrap();
                let claims = Claims::new().iss("client").sub(&sub).aud("aud").exp(exp);
                let jwt =
                    jwtmint::mint_string(&mut key.signer(alg).unwrap(), &tpl, &claims).unwrap();
                let line = json!({"jwt": jwt, "alg": alg.as_str(), "key": path,
                    "claims": {"iss": "client", "sub": sub, "aud": "aud", "exp": exp}});
                writeln!(f, "{line}").unwrap();
                count += 1;
            }
        }
    }
    drop(f);
    let script = common::repo_root().join("tests/py/alg_cross.py");
    let out = python.arg(&script).arg(&cases).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "alg_cross.py failed:\n{stdout}\n{stderr}"
    );
    assert_eq!(stdout.trim(), format!("{count} verified"));
    assert_eq!(count, 13 * 4);
    std::fs::remove_dir_all(&dir).ok();
}
