//! Firmware footprint example: parse a PKCS#8 DER key once, mint one RS256-2048
//! assertion into a static buffer. Built for `thumbv7em-none-eabihf` by CI;
//! `.text + .rodata` is reported in docs/BENCHMARKS.md.
#![no_std]
#![no_main]

use core::mem::MaybeUninit;

use cortex_m_rt::entry;
use embedded_alloc::LlffHeap as Heap;
use jwtmint::{Algorithm, Claims, Header, HeaderTemplate, SigningKey};
use panic_halt as _;

#[global_allocator]
static HEAP: Heap = Heap::empty();

/// Heap size for the RSA arithmetic: the host test of the same path measures
/// the high-water mark (see docs/BENCHMARKS.md).
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
    let mut rng = Trng(0x1234_5678);
    let result = SigningKey::from_pkcs8_der(KEY_DER).and_then(|key| {
        let header = HeaderTemplate::new(&Header::new(Algorithm::Rs256))?;
        let claims = Claims::new()
            .iss("device-42")
            .sub("device-42")
            .aud("https://login.example.com/oauth2/token")
            .iat(1_700_000_000)
            .exp(1_700_000_300);
        let mut out = [0u8; 1024];
        jwtmint::mint(
            &mut key.rs256_with_rng(&mut rng),
            &header,
            &claims,
            &mut out,
        )
    });
    match result {
        Ok(_len) => loop {
            cortex_m::asm::wfi();
        },
        Err(_) => loop {
            cortex_m::asm::bkpt();
        },
    }
}
