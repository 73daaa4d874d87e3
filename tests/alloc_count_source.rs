//! `TokenSource::get()` on a valid token allocates nothing (it clones an
//! `Arc`), counted with a counting global allocator. One test in this
//! binary, so no other test thread allocates while it counts.
#![cfg(feature = "client")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use jwtmint::SigningKey;
use jwtmint::profiles::Rfc7523;

#[path = "common/counting_alloc.rs"]
mod counting_alloc;
#[path = "../benches/common/token_source.rs"]
mod fixture;

use counting_alloc::count;

#[global_allocator]
static GLOBAL: counting_alloc::Counting = counting_alloc::Counting;

#[test]
fn the_hit_path_allocates_nothing() {
    let key = SigningKey::from_pem(include_str!("../examples/keys/demo-key.pem")).unwrap();
    let profile = Rfc7523::grant("client", "user", "https://as.example.com/token").unwrap();
    let src = fixture::preloaded(&profile, &key, "tok-1");
    let first = src.get().unwrap();
    let ((), n, _) = count(|| {
        for _ in 0..1000 {
            let t = src.get().unwrap();
            assert!(Arc::ptr_eq(&t, &first));
        }
    });
    assert_eq!(n, 0, "allocations on the hit path");
}
