//! Secrets never reach `Debug` output (issue 12, item 8).
#![allow(clippy::unwrap_used, clippy::panic)]

use jwtmint::token_response::TokenResponse;

const BODY: &[u8] = br#"{"access_token":"AT-secret-1","refresh_token":"RT-secret-2","id_token":"IT-secret-3","token_type":"Bearer","expires_in":3600}"#;

fn assert_no_secret(debug: &str) {
    assert!(!debug.contains("secret"), "{debug}");
}

/// The session keeps the token (and refresh and id tokens): its `Debug`
/// and the `Use` action's show lengths only.
#[cfg(feature = "alloc")]
#[test]
fn session_debug_is_redacted() {
    use jwtmint::profiles::Rfc7523;
    use jwtmint::session::{Action, Config, Session};
    let key = jwtmint::SigningKey::from_pem(include_str!("../examples/keys/demo-key.pem")).unwrap();
    let p = Rfc7523::grant("client", "user", "https://as.example/token").unwrap();
    let mut s: Session<_, _> = Session::new(&p, &key, Config::new());
    let Action::Fetch(f) = s.poll(1000) else {
        panic!("no fetch")
    };
    let ticket = f.ticket;
    s.complete(1000, ticket, 200, BODY);
    assert!(s.has_refresh_token());
    let d = format!("{s:?}");
    assert_no_secret(&d);
    assert!(d.contains("11 bytes"), "{d}");
    let a = s.poll(1000);
    assert!(matches!(a, Action::Use(_)), "{a:?}");
    let d = format!("{a:?}");
    assert_no_secret(&d);
    assert!(d.contains("11 bytes"), "{d}");
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

/// A stored record (what a shared store holds: the token inside) shows its
/// length and times only.
#[cfg(feature = "client")]
#[test]
fn stored_record_debug_shows_only_the_length() {
    use jwtmint::client::store::StoredRecord;
    let r = StoredRecord {
        record: zeroize::Zeroizing::new(b"AT-secret-1".to_vec()),
        stored_at: 100,
        expires_at: 3700,
    };
    assert_eq!(
        format!("{r:?}"),
        "StoredRecord { record: <redacted, 11 bytes>, stored_at: 100, expires_at: 3700 }"
    );
}
