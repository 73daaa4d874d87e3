//! Sealed session records (`jwtmint::seal`, feature `seal`): AES-256-GCM
//! bytes checked against pyca/cryptography's AESGCM, no token bytes at rest,
//! identity binding, tamper and wrong-key refusal, key formats.
#![cfg(all(feature = "std", feature = "seal"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use jwtmint::Error;
use jwtmint::seal::{SEAL_OVERHEAD, SealKey};

const KEY_HEX: &str = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
const NONCE: [u8; 12] = [7; 12];
const RECORD: &[u8] = br#"{"identity":"ab","access_token":"eyJhbGciOiJIUzI1NiJ9.TOKENBYTES.sig","refresh_token":"rt-SECRET-42"}"#;

fn key() -> SealKey {
    SealKey::from_text(KEY_HEX).unwrap()
}

const DOES_NOT_OPEN: Error = Error::InvalidField {
    field: "sealed_record",
    reason: "does not open with this key and identity (other key, other identity, or altered)",
};

#[test]
fn sealed_bytes_match_pyca_cryptography_aesgcm() {
    let mut out = vec![0u8; RECORD.len() + SEAL_OVERHEAD];
    let n = key()
        .seal_with_nonce(b"identity-1", RECORD, NONCE, &mut out)
        .unwrap();
    assert_eq!(n, RECORD.len() + 32);
    assert_eq!(&out[..4], b"JMS1");
    assert_eq!(&out[4..16], &NONCE);
    let Some(mut py) = common::peers::python("seal vs pyca/cryptography AESGCM", &["cryptography"])
    else {
        return;
    };
    // cryptography returns ciphertext || tag; ours is tag || ciphertext.
    let script = "import sys\nfrom cryptography.hazmat.primitives.ciphers.aead import AESGCM\n\
        k, n, a, m = (bytes.fromhex(x) for x in sys.argv[1:5])\n\
        print(AESGCM(k).encrypt(n, m, a).hex())\n";
    let o = py
        .args(["-c", script, KEY_HEX])
        .arg(hex::encode(NONCE))
        .arg(hex::encode(b"identity-1"))
        .arg(hex::encode(RECORD))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let theirs = hex::decode(String::from_utf8(o.stdout).unwrap().trim()).unwrap();
    let (ct, tag) = theirs.split_at(RECORD.len());
    assert_eq!(&out[16..32], tag);
    assert_eq!(&out[32..n], ct);
}

#[test]
fn no_token_bytes_at_rest_and_round_trip() {
    let k = key();
    let sealed = k.seal(b"identity-1", RECORD).unwrap();
    for needle in [&b"TOKENBYTES"[..], b"rt-SECRET-42", b"access_token", b"eyJ"] {
        assert!(!sealed.windows(needle.len()).any(|w| w == needle));
    }
    assert_eq!(&k.open(b"identity-1", &sealed).unwrap()[..], RECORD);
    // Fresh nonce each time.
    assert_ne!(sealed, k.seal(b"identity-1", RECORD).unwrap());
}

#[test]
fn other_identity_tampering_and_wrong_key_do_not_open() {
    let k = key();
    let sealed = k.seal(b"identity-1", RECORD).unwrap();
    assert_eq!(k.open(b"identity-2", &sealed).unwrap_err(), DOES_NOT_OPEN);
    assert_eq!(k.open(b"", &sealed).unwrap_err(), DOES_NOT_OPEN);
    // Every single-bit change after the magic is refused.
    for i in 4..sealed.len() {
        let mut t = sealed.clone();
        t[i] ^= 0x01;
        assert_eq!(
            k.open(b"identity-1", &t).unwrap_err(),
            DOES_NOT_OPEN,
            "byte {i}"
        );
    }
    let other = SealKey::from_bytes([9; 32]);
    assert_eq!(
        other.open(b"identity-1", &sealed).unwrap_err(),
        DOES_NOT_OPEN
    );
    let not_sealed = Error::InvalidField {
        field: "sealed_record",
        reason: "not a jwtmint sealed record",
    };
    assert_eq!(k.open(b"identity-1", RECORD).unwrap_err(), not_sealed);
    assert_eq!(
        k.open(b"identity-1", &sealed[..31]).unwrap_err(),
        not_sealed
    );
    let mut small = [0u8; 8];
    assert_eq!(
        k.open_into(b"identity-1", &sealed, &mut small).unwrap_err(),
        Error::BufferTooSmall {
            needed: RECORD.len()
        }
    );
    assert_eq!(
        k.seal_with_nonce(b"x", RECORD, NONCE, &mut small)
            .unwrap_err(),
        Error::BufferTooSmall {
            needed: RECORD.len() + SEAL_OVERHEAD
        }
    );
}

#[test]
fn key_formats() {
    use base64::Engine;
    let raw: Vec<u8> = (0u8..32).collect();
    let sealed = key().seal(b"i", b"m").unwrap();
    let opens = |k: SealKey| k.open(b"i", &sealed).is_ok();
    let std64 = base64::engine::general_purpose::STANDARD.encode(&raw);
    let url64 = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&raw);
    assert!(opens(
        SealKey::from_text(&format!("  {KEY_HEX}\n")).unwrap()
    ));
    assert!(opens(SealKey::from_text(&KEY_HEX.to_uppercase()).unwrap()));
    assert!(opens(SealKey::from_text(&std64).unwrap()));
    assert!(opens(SealKey::from_text(&url64).unwrap()));
    let bad = Error::InvalidField {
        field: "seal_key",
        reason: "must be 32 bytes: raw, 64 hex characters, or Base64",
    };
    for t in [
        "",
        "00",
        &KEY_HEX[..62],
        &format!("{}zz", &KEY_HEX[..62]),
        &std64[..40],
    ] {
        assert_eq!(SealKey::from_text(t).unwrap_err(), bad, "{t:?}");
    }
    let dir = std::env::temp_dir().join(format!("jwtmint-seal-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("key");
    std::fs::write(&f, &raw).unwrap();
    assert!(opens(SealKey::from_file(&f).unwrap()));
    std::fs::write(&f, format!("{KEY_HEX}\n")).unwrap();
    assert!(opens(SealKey::from_file(&f).unwrap()));
    assert!(SealKey::from_file(&dir.join("absent")).is_err());
    std::fs::remove_dir_all(&dir).unwrap();
    let var = format!("JWTMINT_TEST_SEAL_{}", std::process::id());
    assert!(SealKey::from_env(&var).is_err());
    // SAFETY: single-threaded use of a variable only this test reads.
    unsafe { std::env::set_var(&var, KEY_HEX) };
    assert!(opens(SealKey::from_env(&var).unwrap()));
    assert_eq!(format!("{:?}", key()), "SealKey(<redacted>)");
}
