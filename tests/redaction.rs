//! Secrets never reach `Debug` output (issue 12, item 8).
#![allow(clippy::unwrap_used)]

use jwtmint::cache::TokenCache;
use jwtmint::token_response::TokenResponse;

const BODY: &[u8] = br#"{"access_token":"AT-secret-1","refresh_token":"RT-secret-2","id_token":"IT-secret-3","token_type":"Bearer","expires_in":3600}"#;

fn assert_no_secret(debug: &str) {
    assert!(!debug.contains("secret"), "{debug}");
}

#[test]
fn token_cache_debug_is_redacted() {
    let mut cache: TokenCache<256> = TokenCache::new(60);
    let r = TokenResponse::parse(BODY).unwrap();
    cache.store_response(&r, 1000).unwrap();
    let d = format!("{cache:?}");
    assert_no_secret(&d);
    assert!(d.contains("token_len: 11"), "{d}");
    assert_eq!(
        format!("{:?}", cache.get(1000)),
        "Valid(<redacted, 11 bytes>)"
    );
    assert_eq!(
        format!("{:?}", cache.get(4550)),
        "RefreshAhead(<redacted, 11 bytes>)"
    );
}

#[test]
fn token_response_debug_is_redacted() {
    let r = TokenResponse::parse(BODY).unwrap();
    let d = format!("{r:?}");
    assert_no_secret(&d);
    assert!(
        d.contains("access_token: Some(<redacted, 11 bytes>)"),
        "{d}"
    );
    assert!(d.contains("Bearer"), "{d}");
}

#[cfg(feature = "alloc")]
#[test]
fn key_debug_shows_only_the_size() {
    use jwtmint::{PublicKey, SigningKey};
    let sk = SigningKey::from_pem(include_str!("../examples/keys/demo-key.pem")).unwrap();
    assert_eq!(format!("{sk:?}"), "SigningKey { bits: 2048, .. }");
    assert_eq!(
        format!("{:?}", PublicKey::from(&sk)),
        "PublicKey { bits: 2048, .. }"
    );
}
