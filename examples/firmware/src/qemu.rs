//! Feature `qemu`: measure the run on target and report it over semihosting.
//!
//! Machine: QEMU `netduinoplus2` (STM32F405, Cortex-M4F, 1 MiB flash at
//! 0x0800_0000, 128 KiB SRAM at 0x2000_0000): the STM32F4 class `memory.x`
//! describes and the class of the published Cortex-M4 @ 168 MHz figures. Its
//! TIM2 model counts QEMU virtual time at 1 GHz (one tick per ns); with
//! `-icount shift=0` QEMU advances virtual time by exactly 1 ns per guest
//! instruction, so TIM2 counts executed instructions, deterministically
//! (`start` checks this against a loop of known length). QEMU 7.2 does not
//! model the DWT cycle counter (CYCCNT stays 0 with DEMCR.TRCENA and
//! CYCCNTENA set); SysTick (not used) counts a modelled clock below 1 GHz,
//! so it would resolve only several instructions per tick.
//!
//! Semihosting needs `-semihosting-config enable=on,target=native`: without
//! it QEMU treats the semihosting `bkpt 0xab` as an ordinary breakpoint, which
//! on M-profile with no debugger escalates to a HardFault — a silent hang.
//!
//! Output, one `key=value` per line, parsed by `run-qemu.sh`:
//! `calibration` (instructions counted for a 2,000,000-instruction loop),
//! `instructions_parse`, `instructions` (one mint), `stack`, `heap` (bytes,
//! high-water), then `token`; exit status 0. On failure, `error=<message>`
//! (the mint's error, a panic, a HardFault) and a non-zero exit status.

#[cfg(feature = "rs256")]
use core::alloc::{GlobalAlloc, Layout};
use core::fmt::Display;
use core::panic::PanicInfo;
use core::ptr::{read_volatile, write_volatile};
#[cfg(feature = "rs256")]
use core::sync::atomic::AtomicUsize;
use core::sync::atomic::{AtomicU32, Ordering};

use cortex_m_rt::{ExceptionFrame, exception};
use cortex_m_semihosting::{debug, hprintln};
#[cfg(feature = "rs256")]
use embedded_alloc::LlffHeap;

/// The global allocator (the `rs256` image only): `embedded-alloc`'s heap plus its high-water mark
/// (the allocator's own `used()` count, so block rounding is included).
#[cfg(feature = "rs256")]
pub struct Tracked {
    heap: LlffHeap,
    peak: AtomicUsize,
}

#[cfg(feature = "rs256")]
impl Tracked {
    /// # Safety
    /// As `LlffHeap::init`: once, before the first allocation.
    pub unsafe fn init(&self, start: usize, size: usize) {
        // SAFETY: forwarded caller contract.
        unsafe { self.heap.init(start, size) }
    }
}

// SAFETY: delegates to the `embedded-alloc` heap; only records a maximum.
#[cfg(feature = "rs256")]
unsafe impl GlobalAlloc for Tracked {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded caller contract.
        let p = unsafe { self.heap.alloc(layout) };
        self.peak.fetch_max(self.heap.used(), Ordering::Relaxed);
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded caller contract.
        unsafe { self.heap.dealloc(ptr, layout) }
    }
}

#[cfg(feature = "rs256")]
#[global_allocator]
pub static HEAP: Tracked = Tracked {
    heap: LlffHeap::empty(),
    peak: AtomicUsize::new(0),
};

const RCC_APB1ENR: *mut u32 = 0x4002_3840 as *mut u32;
const TIM2: usize = 0x4000_0000;
const TIM2_CR1: *mut u32 = TIM2 as *mut u32;
const TIM2_EGR: *mut u32 = (TIM2 + 0x14) as *mut u32;
const TIM2_CNT: *mut u32 = (TIM2 + 0x24) as *mut u32;
const TIM2_PSC: *mut u32 = (TIM2 + 0x28) as *mut u32;
const TIM2_ARR: *mut u32 = (TIM2 + 0x2C) as *mut u32;

fn now() -> u32 {
    // SAFETY: reading TIM2_CNT (STM32F4 MMIO) has no side effect.
    unsafe { read_volatile(TIM2_CNT) }
}

/// Instruction count at the start and after the key parse.
static T0: AtomicU32 = AtomicU32::new(0);
static T1: AtomicU32 = AtomicU32::new(0);

/// 2 * `n` instructions (`subs` + `bne` per iteration).
#[inline(never)]
fn spin(n: u32) {
    // SAFETY: register-only loop.
    unsafe {
        core::arch::asm!("1:", "subs {0}, #1", "bne 1b", inout(reg) n => _, options(nomem, nostack));
    }
}

/// Starts the counters (TIM2 free-running 32-bit, prescaler 1) and checks
/// that TIM2 counts instructions.
pub fn start() {
    // SAFETY: STM32F4 register addresses; nothing else uses RCC or TIM2.
    unsafe {
        write_volatile(RCC_APB1ENR, read_volatile(RCC_APB1ENR) | 1);
        write_volatile(TIM2_PSC, 0);
        write_volatile(TIM2_ARR, u32::MAX);
        write_volatile(TIM2_EGR, 1);
        write_volatile(TIM2_CR1, 1);
    }
    let a = now();
    let b = now();
    spin(1_000_000);
    let c = now();
    let overhead = b.wrapping_sub(a);
    hprintln!("calibration={}", c.wrapping_sub(b).wrapping_sub(overhead));
    if cfg!(feature = "test-panic") {
        panic!("feature test-panic");
    }
    T0.store(now(), Ordering::Relaxed);
}

/// Marks the end of the key parse.
pub fn parsed() {
    T1.store(now(), Ordering::Relaxed);
}

/// Stack high-water: cortex-m-rt (`paint-stack`) fills `_stack_end.._stack_start`
/// with `0xCCCC_CCCC` at reset; the lowest overwritten word marks the depth.
fn stack_high_water() -> usize {
    unsafe extern "C" {
        static _stack_end: u32;
        static _stack_start: u32;
    }
    let end = &raw const _stack_end as usize;
    let start = &raw const _stack_start as usize;
    let mut p = end;
    // SAFETY: `end..start` is the RAM region the stack lives in, word-aligned.
    while p < start && unsafe { read_volatile(p as *const u32) } == cortex_m_rt::STACK_PAINT_VALUE {
        p += 4;
    }
    start - p
}

/// Reports the measurements and the token (or the error) and exits.
pub fn finish<E: Display>(result: Result<&[u8], E>) -> ! {
    let t2 = now();
    let stack = stack_high_water();
    // The ES256 and EdDSA images link no allocator at all: 0 by construction
    // (run-qemu.sh also checks that their ELF has no allocator symbol).
    #[cfg(feature = "rs256")]
    let heap = HEAP.peak.load(Ordering::Relaxed);
    #[cfg(not(feature = "rs256"))]
    let heap = 0usize;
    match result.map(core::str::from_utf8) {
        Ok(Ok(token)) => {
            let (t0, t1) = (T0.load(Ordering::Relaxed), T1.load(Ordering::Relaxed));
            hprintln!("instructions_parse={}", t1.wrapping_sub(t0));
            hprintln!("instructions={}", t2.wrapping_sub(t1));
            hprintln!("stack={}", stack);
            hprintln!("heap={}", heap);
            hprintln!("token={}", token);
            exit(debug::EXIT_SUCCESS)
        }
        Ok(Err(_)) => hprintln!("error=token is not UTF-8"),
        Err(e) => hprintln!("error={}", e),
    }
    exit(debug::EXIT_FAILURE)
}

/// Semihosting `exit`: QEMU ends with status 0 (success) or 1.
fn exit(status: debug::ExitStatus) -> ! {
    debug::exit(status);
    // Not reached under QEMU; a debugger that ignores the request parks here.
    loop {
        cortex_m::asm::wfi();
    }
}

#[panic_handler]
fn panic(info: &PanicInfo) -> ! {
    hprintln!("error=panic: {}", info);
    exit(debug::EXIT_FAILURE)
}

#[exception]
unsafe fn HardFault(frame: &ExceptionFrame) -> ! {
    hprintln!("error=HardFault at pc={:#010x}", frame.pc());
    exit(debug::EXIT_FAILURE)
}
