//! Firmware example: parse a PKCS#8 DER key once, mint one RS256-2048
//! assertion into a stack buffer. Built for `thumbv7em-none-eabihf`.
//!
//! Default build: the footprint figure (`size.sh`). Feature `qemu`: the same
//! program plus a report over semihosting (the token, instructions per mint,
//! stack and heap high-water) and a semihosting `exit` with a status; run by
//! `run-qemu.sh` on QEMU's `netduinoplus2` (see `qemu.rs`).
#![no_std]
#![no_main]

use core::mem::MaybeUninit;

use cortex_m_rt::entry;
use jwtmint::{Algorithm, Claims, Header, HeaderTemplate, SigningKey};
#[cfg(not(feature = "qemu"))]
use panic_halt as _;

#[cfg(feature = "qemu")]
mod qemu;

/// The heap: `embedded-alloc`'s linked-list allocator; with `qemu`, wrapped
/// to record its high-water mark.
#[cfg(not(feature = "qemu"))]
#[global_allocator]
static HEAP: embedded_alloc::LlffHeap = embedded_alloc::LlffHeap::empty();
#[cfg(feature = "qemu")]
use qemu::HEAP;

/// Heap size for the RSA arithmetic (the high-water mark is measured on target
/// by `run-qemu.sh`, see docs/BENCHMARKS.md).
const HEAP_SIZE: usize = 16 * 1024;

/// DEMO key (public, from examples/keys): a device would read its own from secure storage.
static KEY_DER: &[u8] = include_bytes!("../../../tests/data/demo-pkcs8.der");

/// Stand-in for the MCU's hardware TRNG (replace with the real peripheral).
struct Trng(u32);

impl rand_core::TryRng for Trng {
    type Error = core::convert::Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 17;
        self.0 ^= self.0 << 5;
        Ok(self.0)
    }
    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        Ok((u64::from(self.try_next_u32()?) << 32) | u64::from(self.try_next_u32()?))
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        for chunk in dst.chunks_mut(4) {
            let v = self.try_next_u32()?.to_le_bytes();
            chunk.copy_from_slice(&v[..chunk.len()]);
        }
        Ok(())
    }
}
impl rand_core::TryCryptoRng for Trng {}

#[entry]
fn main() -> ! {
    {
        static mut HEAP_MEM: [MaybeUninit<u8>; HEAP_SIZE] = [MaybeUninit::uninit(); HEAP_SIZE];
        // SAFETY: called once, before any allocation; HEAP_MEM is used only here.
        unsafe { HEAP.init(&raw mut HEAP_MEM as usize, HEAP_SIZE) }
    }
    #[cfg(feature = "qemu")]
    qemu::start();
    let mut rng = Trng(0x1234_5678);
    let mut out = [0u8; 1024];
    // Feature `test-bad-key` (run-qemu.sh's error-path check): a truncated key.
    #[cfg(feature = "test-bad-key")]
    let key_der = &KEY_DER[..KEY_DER.len() - 1];
    #[cfg(not(feature = "test-bad-key"))]
    let key_der = KEY_DER;
    let result = SigningKey::from_pkcs8_der(key_der).and_then(|key| {
        #[cfg(feature = "qemu")]
        qemu::parsed();
        let header = HeaderTemplate::new(&Header::new(Algorithm::Rs256))?;
        let claims = Claims::new()
            .iss("device-42")
            .sub("device-42")
            .aud("https://login.example.com/oauth2/token")
            .iat(1_700_000_000)
            .exp(1_700_000_300);
        jwtmint::mint(
            &mut key.rs256_with_rng(&mut rng),
            &header,
            &claims,
            &mut out,
        )
    });
    #[cfg(feature = "qemu")]
    qemu::finish(result.map(|len| &out[..len]));
    #[cfg(not(feature = "qemu"))]
    match result {
        // A device would now send the assertion; this example only measures.
        Ok(_len) => loop {
            cortex_m::asm::wfi();
        },
        Err(_) => loop {
            cortex_m::asm::bkpt();
        },
    }
}
