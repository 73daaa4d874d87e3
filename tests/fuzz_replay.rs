//! Replays every file of every fuzz corpus (`fuzz/corpus/<target>/`) through
//! the same target functions the libFuzzer binaries run, on stable
//! `cargo test`, so a regression shows without cargo-fuzz.
#![cfg(feature = "std")] // keys and signing need `std` (`alloc` + OS RNG)
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "../fuzz/targets/mod.rs"]
mod targets;

#[test]
fn every_corpus_file_replays_cleanly() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus");
    let mut total = 0;
    for (name, target) in targets::TARGETS {
        let dir = root.join(name);
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        assert!(!files.is_empty(), "empty corpus for {name}");
        for f in &files {
            let data = std::fs::read(f).unwrap();
            let r = std::panic::catch_unwind(|| target(&data));
            assert!(r.is_ok(), "{name}: {} fails", f.display());
        }
        total += files.len();
    }
    assert!(total >= 50, "only {total} corpus files");
}
