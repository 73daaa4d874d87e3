//! Cross-verification with independent implementations: PyJWT + pyca/cryptography.
//!
//! Mints RS256 and PS256 assertions for many claim sets (escapes, control
//! characters, non-ASCII, arrays, extra claims) and has Python verify each
//! signature and compare the decoded header and claims with what we meant.
//! Needs `python3 -m pip install pyjwt cryptography` (done by .ci/run); without
//! them the test skips loudly, or fails under `JWTMINT_REQUIRE_PEERS=1`
//! (tests/common/peers.rs).
#![cfg(feature = "std")] // keys and signing need `std` (`alloc` + OS RNG)
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::io::Write;

use jwtmint::{
    Algorithm, Audience, ClaimValue, Claims, Header, HeaderTemplate, RawJson, SigningKey,
};
use serde_json::{Value, json};

/// Strings that stress the escaper.
const NASTY: &[&str] = &[
    "plain",
    "",
    "quote\" backslash\\ slash/",
    "\n\r\t\u{8}\u{c}",
    "\u{0}\u{1}\u{1f}\u{7f}",
    "é ü ß ø 漢字",
    "emoji 😀 G-clef 𝄞",
    "\u{2028}\u{2029} separators",
    "right’quote",
    "<script>&amp;</script>",
    "+/=?#%",
];

fn pick(seed: &mut u64, n: usize) -> usize {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    (*seed % n as u64) as usize
}

#[test]
#[cfg_attr(
    target_os = "wasi",
    ignore = "WASI preview 1 has no processes and no temp dir; runs natively and under qemu"
)]
fn pyjwt_verifies_and_decodes_what_we_mint() {
    let Some(mut python) = common::peers::python("pyjwt_cross (PyJWT)", &["jwt", "cryptography"])
    else {
        return;
    };
    let key = SigningKey::from_pem(common::DEMO_KEY).unwrap();
    let dir = std::env::temp_dir().join(format!("jwtmint-pyjwt-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cases = dir.join("cases.jsonl");
    let mut f = std::fs::File::create(&cases).unwrap();
    let mut seed = 0x1234_5678_9abc_def1u64;
    let mut count = 0;
    for i in 0..120 {
        let alg = if i % 3 == 2 {
            Algorithm::Ps256
        } else {
            Algorithm::Rs256
        };
        let s = |seed: &mut u64| NASTY[pick(seed, NASTY.len())];
        let (iss, sub, jti, scope, kid) = (
            s(&mut seed),
            s(&mut seed),
            s(&mut seed),
            s(&mut seed),
            s(&mut seed),
        );
        let auds = [s(&mut seed), s(&mut seed)];
        let raw_text = format!(
            "{{\"nested\":[1,true,null,{}]}}",
            serde_json::to_string(s(&mut seed)).unwrap()
        );
        let raw = RawJson::new(&raw_text).unwrap();
        let extra_key = format!("x{}{}", i, s(&mut seed));
        let extra_str = s(&mut seed);
        let extra = [
            (extra_key.as_str(), ClaimValue::Str(extra_str)),
            ("n", ClaimValue::Int(-(i as i64) * 1_000_003)),
            ("flag", ClaimValue::Bool(i % 2 == 0)),
            ("raw", ClaimValue::Raw(raw)),
        ];
        let iat = 1_700_000_000 + i as i64;
        let mut claims = Claims::new()
            .iss(iss)
            .sub(sub)
            .exp(iat + 180)
            .iat(iat)
            .nbf(iat)
            .jti(jti)
            .scope(scope);
        claims.aud = Some(if i % 2 == 0 {
            Audience::One(auds[0])
        } else {
            Audience::Many(&auds)
        });
        if i % 4 != 0 {
            claims = claims.extra(&extra);
        }
        let mut header = Header::new(alg);
        if i % 5 != 0 {
            header = header.kid(kid);
        }
        let tpl = HeaderTemplate::new(&header).unwrap();
        let token = jwtmint::mint_string(&mut key.signer(alg).unwrap(), &tpl, &claims).unwrap();

        let mut want = serde_json::Map::new();
        want.insert("iss".into(), json!(iss));
        want.insert("sub".into(), json!(sub));
        want.insert(
            "aud".into(),
            if i % 2 == 0 {
                json!(auds[0])
            } else {
                json!(auds)
            },
        );
        want.insert("exp".into(), json!(iat + 180));
        want.insert("nbf".into(), json!(iat));
        want.insert("iat".into(), json!(iat));
        want.insert("jti".into(), json!(jti));
        want.insert("scope".into(), json!(scope));
        if i % 4 != 0 {
            want.insert(extra_key.clone(), json!(extra_str));
            want.insert("n".into(), json!(-(i as i64) * 1_000_003));
            want.insert("flag".into(), json!(i % 2 == 0));
            want.insert(
                "raw".into(),
                serde_json::from_str::<Value>(&raw_text).unwrap(),
            );
        }
        let mut want_header = json!({"alg": alg.as_str(), "typ": "JWT"});
        if i % 5 != 0 {
            want_header["kid"] = json!(kid);
        }
        let line = json!({"jwt": token, "alg": alg.as_str(), "header": want_header, "claims": Value::Object(want)});
        writeln!(f, "{line}").unwrap();
        count += 1;
    }
    drop(f);
    let pubkey =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/keys/demo-key.pub.pem");
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/py/cross_check.py");
    let out = python
        .arg(&script)
        .arg(&cases)
        .arg(&pubkey)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "PyJWT cross-check failed (pip install pyjwt cryptography?):\n{stdout}\n{stderr}"
    );
    assert_eq!(stdout.trim(), format!("{count} verified"));
    std::fs::remove_dir_all(&dir).ok();
}
