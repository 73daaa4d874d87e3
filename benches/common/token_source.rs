//! A `TokenSource` holding a real credential without any network, for the
//! session bench and the allocation test: one canned exchange through a
//! sans-IO session (`poll` → `complete` → `encode_record`), saved in a
//! `MemoryStore` that the source adopts on its first `get()`.

use std::sync::Arc;

use jwtmint::SigningKey;
use jwtmint::client::TokenSource;
use jwtmint::client::store::{MemoryStore, Store};
use jwtmint::profiles::Rfc7523;
use jwtmint::session::{Action, Config, Session};

/// A source for `profile` + `key` whose store holds `token`, valid a day.
pub fn preloaded<'a>(
    profile: &'a Rfc7523<'a>,
    key: &'a SigningKey,
    token: &str,
) -> TokenSource<&'a Rfc7523<'a>, &'a SigningKey> {
    let now = jwtmint::time::now().unwrap();
    let mut s: Session<_, _> = Session::new(profile, key, Config::new());
    let Action::Fetch(f) = s.poll(now) else {
        panic!("no fetch")
    };
    let ticket = f.ticket;
    let body = format!(r#"{{"access_token":"{token}","token_type":"Bearer","expires_in":86400}}"#);
    s.complete(now, ticket, 200, body.as_bytes());
    let mut buf = vec![0u8; 4096];
    let n = s.encode_record(&mut buf).unwrap();
    let store = Arc::new(MemoryStore::new());
    let src = TokenSource::builder(profile, key)
        .store(store.clone())
        .build()
        .unwrap();
    store
        .save(src.store_key(), &buf[..n], now + 86400, now)
        .unwrap();
    assert_eq!(src.get().unwrap().access_token(), token);
    assert_eq!(src.requests_sent(), 0);
    src
}
