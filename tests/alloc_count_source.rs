//! `TokenSource::get()` on a valid token allocates nothing (it clones an
//! `Arc`), counted with a counting global allocator. One test in this
//! binary, so no other test thread allocates while it counts.
#![cfg(feature = "client")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use jwtmint::SigningKey;
use jwtmint::profiles::Rfc7523;

#[path = "../benches/common/token_source.rs"]
mod fixture;

struct Counting;
static ALLOCS: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::SeqCst);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new: usize) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::SeqCst);
        unsafe { System.realloc(ptr, layout, new) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

#[test]
fn the_hit_path_allocates_nothing() {
    let key = SigningKey::from_pem(include_str!("../examples/keys/demo-key.pem")).unwrap();
    let profile = Rfc7523::grant("client", "user", "https://as.example.com/token").unwrap();
    let src = fixture::preloaded(&profile, &key, "tok-1");
    let first = src.get().unwrap();
    let before = ALLOCS.load(Ordering::SeqCst);
    for _ in 0..1000 {
        let t = src.get().unwrap();
        assert!(Arc::ptr_eq(&t, &first));
    }
    assert_eq!(
        ALLOCS.load(Ordering::SeqCst) - before,
        0,
        "allocations on the hit path"
    );
}
