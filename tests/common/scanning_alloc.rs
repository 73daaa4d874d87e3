//! The scanning global allocator the `wiped_*` test binaries share: while
//! a scan runs, every block freed is searched for a marker (a secret a
//! test planted), and the blocks still holding it are counted.
//!
//! Included with `#[path = "common/scanning_alloc.rs"] mod scanning_alloc;`;
//! each binary declares its own
//! `#[global_allocator] static GLOBAL: scanning_alloc::Scanning = scanning_alloc::Scanning;`.
//! Scans are process-wide: keep one test per binary.
#![allow(dead_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicUsize, Ordering};

/// Forwards to [`System`]; while scanning, counts freed blocks holding the marker.
pub struct Scanning;

static SCAN: AtomicBool = AtomicBool::new(false);
static FOUND: AtomicUsize = AtomicUsize::new(0);
static MARKER: AtomicPtr<u8> = AtomicPtr::new(std::ptr::null_mut());
static MARKER_LEN: AtomicUsize = AtomicUsize::new(0);

/// Starts counting freed blocks that hold `marker` (the count starts at 0).
pub fn start(marker: &'static [u8]) {
    MARKER.store(marker.as_ptr().cast_mut(), Ordering::SeqCst);
    MARKER_LEN.store(marker.len(), Ordering::SeqCst);
    FOUND.store(0, Ordering::SeqCst);
    SCAN.store(true, Ordering::SeqCst);
}

/// Stops the scan; returns how many freed blocks held the marker.
pub fn stop() -> usize {
    SCAN.store(false, Ordering::SeqCst);
    FOUND.load(Ordering::SeqCst)
}

// SAFETY: forwards to `System`; only reads the block being freed, before
// freeing it, and the `'static` marker.
unsafe impl GlobalAlloc for Scanning {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        let len = MARKER_LEN.load(Ordering::SeqCst);
        if SCAN.load(Ordering::SeqCst) && len > 0 && layout.size() >= len {
            // SAFETY: the marker is a live `'static` slice of `len` bytes
            // (set by `start`); the block is live and `layout.size()` bytes
            // long until it is freed below.
            let (marker, block) = unsafe {
                (
                    std::slice::from_raw_parts(MARKER.load(Ordering::SeqCst), len),
                    std::slice::from_raw_parts(ptr, layout.size()),
                )
            };
            if block.windows(len).any(|w| w == marker) {
                FOUND.fetch_add(1, Ordering::SeqCst);
            }
        }
        // SAFETY: forwarded.
        unsafe { System.dealloc(ptr, layout) }
    }
}
