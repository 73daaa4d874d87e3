//! `TokenSources` (many subjects) measured with a counting global
//! allocator: the heap each kept subject costs (its `TokenSource`, session
//! and token), that memory staying bounded by the capacity while 3x as
//! many subjects come and go (evicted sources are freed), and a `get()`
//! hit allocating nothing. One test in this binary, so no other test
//! thread allocates while it counts. No network: each subject's token is
//! adopted from a `MemoryStore` (`benches/common/subjects.rs`).
#![cfg(feature = "client")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use jwtmint::client::store::{MemoryStore, Store};

#[path = "common/counting_alloc.rs"]
mod counting_alloc;
#[path = "../benches/common/subjects.rs"]
mod fixture;

use counting_alloc::{count, live};

#[global_allocator]
static GLOBAL: counting_alloc::Counting = counting_alloc::Counting;

const CAPACITY: usize = 64;

#[test]
fn kept_subjects_cost_bounded_memory_and_hits_allocate_nothing() {
    let key = fixture::key();
    let store = Arc::new(MemoryStore::new());
    let users = fixture::users(&key, CAPACITY, &store);
    let subjects = fixture::subjects(3 * CAPACITY);
    let records: Vec<Vec<u8>> = subjects
        .iter()
        .map(|s| fixture::record_for(&key, s))
        .collect();
    // Heap held by the store's copies of the records (not the table's).
    let mut in_store = 0usize;
    let load = |i: usize| {
        let now = jwtmint::time::now().unwrap();
        let src = users.source(&subjects[i]).unwrap();
        let before = live();
        store
            .save(src.store_key(), &records[i], now + 86400, now)
            .unwrap();
        let saved = live() - before;
        drop(src);
        let t = users.get(&subjects[i]).unwrap();
        assert_eq!(t.access_token(), fixture::token_of(&subjects[i]));
        saved
    };

    let base = live();
    for i in 0..CAPACITY {
        in_store += load(i);
    }
    assert_eq!(users.len(), CAPACITY);
    assert_eq!(
        users.requests_sent(),
        0,
        "every token adopted from the store"
    );
    let full = live() - base - in_store;
    let per_subject = full / CAPACITY;
    eprintln!(
        "heap per kept subject: {per_subject} bytes ({CAPACITY} subjects: {full} bytes; the store's records: {} bytes each)",
        in_store / CAPACITY
    );
    // A session sized for the largest token (32 KiB access + refresh
    // token, a scratch slot and a 16 KiB request, inline) cost 160 KB per
    // subject; heap storage sized to the token (~150 B here) and one
    // snapshot copy for a source read by one thread cost ~6 KB.
    assert!(
        per_subject > 0 && per_subject <= 8 * 1024,
        "heap per kept subject: {per_subject} bytes (bound 8 KiB)"
    );

    // Hits on kept subjects allocate nothing.
    let hits = &subjects[..CAPACITY];
    let ((), n, _) = count(|| {
        for _ in 0..5 {
            for s in hits {
                let t = users.get(s).unwrap();
                assert_eq!(t.access_token().len(), 112);
            }
        }
    });
    assert_eq!(n, 0, "allocations on the hit path");

    // Twice as many new subjects again: each evicts one; the table's heap
    // stays at the capacity's (a leak of evicted sources would double it).
    for i in CAPACITY..3 * CAPACITY {
        in_store += load(i);
    }
    assert_eq!(users.len(), CAPACITY);
    assert_eq!(users.evicted(), 2 * CAPACITY as u64);
    let after = live() - base - in_store;
    eprintln!(
        "after {} subjects came and went: {after} bytes",
        3 * CAPACITY
    );
    assert!(
        after <= full + full / 20,
        "table heap grew from {full} to {after} bytes with a bounded capacity"
    );
}
