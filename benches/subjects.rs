//! `TokenSources::get()` (many subjects) on kept, valid tokens for 10,000
//! subjects beside its anchor, a plain `Mutex<HashMap<String, String>>`
//! lookup (lock, hash, clone of the token), in the same run; subjects are
//! visited in a stride so consecutive calls touch different ones.
//!
//! Every subject's token is adopted from a `MemoryStore` without any
//! network (`benches/common/subjects.rs`). The heap per kept subject is
//! measured by `tests/alloc_count_subjects.rs` (a counting allocator would
//! slow the anchor here).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::collections::HashMap;
use std::hint::black_box;
use std::sync::{Arc, Mutex};

use criterion::{Criterion, criterion_group, criterion_main};
use jwtmint::client::store::MemoryStore;

#[path = "common/subjects.rs"]
mod fixture;

const SUBJECTS: usize = 10_000;
/// Coprime with `SUBJECTS`: visits all of them, never two neighbours in a row.
const STRIDE: usize = 7_919;

fn bench(c: &mut Criterion) {
    let key = fixture::key();
    let store = Arc::new(MemoryStore::new());
    let users = fixture::users(&key, SUBJECTS, &store);
    let subjects = fixture::subjects(SUBJECTS);
    for s in &subjects {
        fixture::save(&users, &store, s, &fixture::record_for(&key, s));
        assert_eq!(users.get(s).unwrap().access_token(), fixture::token_of(s));
    }
    assert_eq!((users.len(), users.requests_sent()), (SUBJECTS, 0));
    let anchor: Mutex<HashMap<String, String>> = Mutex::new(
        subjects
            .iter()
            .map(|s| (s.clone(), fixture::token_of(s)))
            .collect(),
    );

    let mut g = c.benchmark_group("subjects_get_10k");
    let mut i = 0;
    g.bench_function("token_sources", |b| {
        b.iter(|| {
            i = (i + STRIDE) % SUBJECTS;
            black_box(users.get(&subjects[i]).unwrap())
        });
    });
    let mut i = 0;
    g.bench_function("mutex_hashmap_anchor", |b| {
        b.iter(|| {
            i = (i + STRIDE) % SUBJECTS;
            black_box(anchor.lock().unwrap().get(&subjects[i]).cloned())
        });
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
