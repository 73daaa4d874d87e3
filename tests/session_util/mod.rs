//! Shared by tests/session.rs and tests/session_props.rs: a fake signer (no
//! key, so the state machine is tested without RSA and without `std`), test
//! profiles for the self-signed and bearer-header shapes, and helpers.
#![allow(dead_code, clippy::unwrap_used, clippy::panic)]

use jwtmint::profiles::{Grant, Limits, Params, Profile, Rfc7523, TokenRequest};
use jwtmint::session::{Action, Config, Credential, Fetch, Outcome, Session};
use jwtmint::signer::{JwsKey, JwsSigner};
use jwtmint::{Algorithm, Claims, HeaderTemplate, Result};

/// Signs with 32 bytes of 0x5a: enough for the session, which never checks.
pub struct FakeKey;
pub struct FakeSigner(Algorithm);

impl JwsSigner for FakeSigner {
    fn algorithm(&self) -> Algorithm {
        self.0
    }
    fn signature_len(&self) -> usize {
        32
    }
    fn sign(&mut self, _: &[u8], signature: &mut [u8]) -> Result<usize> {
        signature[..32].fill(0x5a);
        Ok(32)
    }
}

impl JwsKey for FakeKey {
    type Signer<'k> = FakeSigner;
    fn signer(&self, alg: Algorithm) -> Result<FakeSigner> {
        Ok(FakeSigner(alg))
    }
}

/// The session type of the fake-key tests.
pub type S<'a, P> = Session<&'a P, &'a FakeKey, 1024, 1024>;

pub fn grant_profile() -> Rfc7523<'static> {
    Rfc7523::grant("client-1", "user-1", "https://as.example/token")
        .unwrap()
        .with_scope("api")
        .unwrap()
}

/// A profile whose signed JWT is the credential (no token request).
pub struct SelfSigned<'a>(pub Rfc7523<'a>);

impl Profile for SelfSigned<'_> {
    fn name(&self) -> &'static str {
        "test-self-signed"
    }
    fn header(&self) -> &HeaderTemplate {
        self.0.header()
    }
    fn claims<'s>(&'s self, now: i64, jti: Option<&'s str>) -> Result<Claims<'s>> {
        self.0.claims(now, jti)
    }
    fn limits(&self) -> Limits {
        self.0.limits()
    }
    fn token_request(&self) -> Option<TokenRequest<'_>> {
        None
    }
}

/// A GitHub-App-like profile: the JWT goes in `Authorization: Bearer`.
pub struct BearerHeaderProfile<'a>(pub Rfc7523<'a>);

impl Profile for BearerHeaderProfile<'_> {
    fn name(&self) -> &'static str {
        "test-bearer-header"
    }
    fn header(&self) -> &HeaderTemplate {
        self.0.header()
    }
    fn claims<'s>(&'s self, now: i64, jti: Option<&'s str>) -> Result<Claims<'s>> {
        self.0.claims(now, jti)
    }
    fn limits(&self) -> Limits {
        self.0.limits()
    }
    fn token_request(&self) -> Option<TokenRequest<'_>> {
        Some(
            TokenRequest::post(
                "https://api.example/app/installations/1/access_tokens",
                Grant::BearerHeader,
                Params::new(),
            )
            .with_headers(&[("Accept", "application/vnd.github+json")]),
        )
    }
}

pub fn fetch(a: Action<'_>) -> Fetch<'_> {
    match a {
        Action::Fetch(f) => f,
        other => panic!("expected Fetch, got {other:?}"),
    }
}

pub fn used(a: Action<'_>) -> Credential<'_> {
    match a {
        Action::Use(c) => c,
        other => panic!("expected Use, got {other:?}"),
    }
}

pub fn ok_body(token: &str, expires_in: i64) -> String {
    format!(r#"{{"access_token":"{token}","token_type":"Bearer","expires_in":{expires_in}}}"#)
}

/// Fetches and stores `token` (valid `life` seconds) at `now`.
pub fn store<P: Profile, const T: usize, const R: usize>(
    s: &mut Session<&P, &FakeKey, T, R>,
    now: i64,
    token: &str,
    life: i64,
) {
    let t = fetch(s.poll(now)).ticket;
    assert_eq!(
        s.complete(now, t, 200, ok_body(token, life).as_bytes()),
        Outcome::Stored {
            expires_at: now + life
        }
    );
}

/// `b64(header).b64(claims).c2ln` — a JWT-shaped access token.
pub fn unsigned_jwt(claims: &str) -> String {
    use base64::Engine;
    let e = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    format!("{}.{}.c2ln", e(r#"{"alg":"RS256","typ":"JWT"}"#), e(claims))
}

pub fn config() -> Config {
    Config::new()
}
