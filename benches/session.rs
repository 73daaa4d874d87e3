//! `TokenSource::get()` on a valid token (the hit path) beside its anchor, a
//! plain `Mutex<Option<String>>` read (lock + clone of the token), in the
//! same run; then 16 threads calling each at once.
//!
//! The source holds a real credential without any network
//! (`benches/common/token_source.rs`).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::hint::black_box;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use jwtmint::SigningKey;
use jwtmint::profiles::Rfc7523;

#[path = "common/token_source.rs"]
mod fixture;

const URL: &str = "https://as.example.com/token";
const TOKEN: &str = "ya29.c.b0AXv0zTOQ6b2Z4aXN0ZW50LWJlbmNoLXRva2VuLW9mLXR5cGljYWwtbGVuZ3RoLWZvci1nb29nbGUtYWNjZXNzLXRva2Vucw";

fn bench(c: &mut Criterion) {
    let key = SigningKey::from_pem(include_str!("../examples/keys/demo-key.pem")).unwrap();
    let profile = Rfc7523::grant("client", "user", URL).unwrap();
    let src = fixture::preloaded(&profile, &key, TOKEN);
    let anchor = Mutex::new(Some(TOKEN.to_owned()));

    let mut g = c.benchmark_group("get_hit");
    g.bench_function("token_source", |b| {
        b.iter(|| black_box(src.get().unwrap()));
    });
    g.bench_function("mutex_option_string_anchor", |b| {
        b.iter(|| black_box(anchor.lock().unwrap().clone()));
    });
    g.finish();

    // 16 threads at once: time per round of 16 concurrent calls.
    let mut g = c.benchmark_group("get_hit_16_threads");
    g.bench_function("token_source", |b| {
        b.iter_custom(|iters| {
            parallel(16, iters, || {
                black_box(src.get().unwrap());
            })
        });
    });
    g.bench_function("mutex_option_string_anchor", |b| {
        b.iter_custom(|iters| {
            parallel(16, iters, || {
                black_box(anchor.lock().unwrap().clone());
            })
        });
    });
    g.finish();
}

/// Runs `f` `iters` times on each of `threads` threads; the wall time.
fn parallel(threads: usize, iters: u64, f: impl Fn() + Sync) -> Duration {
    let start = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                for _ in 0..iters {
                    f();
                }
            });
        }
    });
    start.elapsed()
}

criterion_group!(benches, bench);
criterion_main!(benches);
