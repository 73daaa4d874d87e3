//! `TokenSources` holding a real token for each of many subjects without
//! any network, for the subjects bench and the memory test: a per-user
//! HS256 profile (fast to sign, so 10,000 subjects load in a moment), and
//! each subject's record made by a sans-IO session (`poll` → `complete` →
//! `encode_record`) and saved in a `MemoryStore` that its source adopts on
//! its first `get()`.
#![allow(dead_code)]

use std::sync::Arc;

use jwtmint::client::store::{MemoryStore, Store};
use jwtmint::client::subjects::TokenSources;
use jwtmint::profiles::{Grant, Limits, Params, Profile, TokenRequest};
use jwtmint::session::{Action, Config, Session};
use jwtmint::{Algorithm, Claims, Header, HeaderTemplate, SigningKey};

const URL: &str = "https://as.example.com/token";

/// An RFC 7523 grant for one user, owning its `sub`.
pub struct PerUser {
    sub: String,
    header: HeaderTemplate,
}

impl PerUser {
    pub fn new(sub: &str) -> jwtmint::Result<Self> {
        Ok(Self {
            sub: sub.to_owned(),
            header: HeaderTemplate::new(&Header::new(Algorithm::Hs256))?,
        })
    }
}

impl Profile for PerUser {
    fn name(&self) -> &'static str {
        "per-user"
    }
    fn header(&self) -> &HeaderTemplate {
        &self.header
    }
    fn claims<'s>(&'s self, now: i64, jti: Option<&'s str>) -> jwtmint::Result<Claims<'s>> {
        let mut c = Claims::new()
            .iss("bench-client")
            .sub(&self.sub)
            .aud(URL)
            .iat(now)
            .exp(now + 300);
        c.jti = jti;
        Ok(c)
    }
    fn limits(&self) -> Limits {
        Limits::new(300, None)
    }
    fn token_request(&self) -> Option<TokenRequest<'_>> {
        Some(TokenRequest::post(URL, Grant::JwtBearer, Params::new()))
    }
}

pub type Users = TokenSources<Box<PerUser>, Arc<SigningKey>>;

pub fn key() -> Arc<SigningKey> {
    Arc::new(SigningKey::from_hmac_secret(&[7u8; 32]).unwrap())
}

/// A table of `capacity` subjects sharing `store`.
pub fn users(key: &Arc<SigningKey>, capacity: usize, store: &Arc<MemoryStore>) -> Users {
    let store = Arc::clone(store);
    TokenSources::builder(Arc::clone(key), |sub: &str| {
        Ok(Box::new(PerUser::new(sub)?))
    })
    .capacity(capacity)
    .configure(move |b| b.store(store.clone()))
    .build()
}

/// The subject names `0..n` (typical e-mail-sized user names).
pub fn subjects(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("user-{i:05}@example.com")).collect()
}

/// The token the record of `sub` holds (112 bytes, a Salesforce session
/// id's length).
pub fn token_of(sub: &str) -> String {
    format!("00Dxx0000001gPL!AQ4AQ.{:0>90}", sub.replace('@', "-"))
}

/// A record holding a day-long token for `sub` (what a peer would have
/// saved): its source adopts it from the store on its next `get()`, with
/// no request.
pub fn record_for(key: &SigningKey, sub: &str) -> Vec<u8> {
    let now = jwtmint::time::now().unwrap();
    let profile = PerUser::new(sub).unwrap();
    let mut s: Session<_, _> = Session::new(&profile, key, Config::new());
    let Action::Fetch(f) = s.poll(now) else {
        panic!("no fetch")
    };
    let ticket = f.ticket;
    let body = format!(
        r#"{{"access_token":"{}","token_type":"Bearer","expires_in":86400}}"#,
        token_of(sub)
    );
    s.complete(now, ticket, 200, body.as_bytes());
    let mut buf = vec![0u8; 4096];
    let n = s.encode_record(&mut buf).unwrap();
    buf.truncate(n);
    buf
}

/// Saves `record` for `sub` under its source's store key (building and
/// keeping its source).
pub fn save(users: &Users, store: &MemoryStore, sub: &str, record: &[u8]) {
    let now = jwtmint::time::now().unwrap();
    let src = users.source(sub).unwrap();
    store
        .save(src.store_key(), record, now + 86400, now)
        .unwrap();
}
