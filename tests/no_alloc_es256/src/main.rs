//! ES256 with no allocator: parses a PKCS#8 P-256 key (an Apple `.p8`-style
//! key) and mints one assertion with RFC 6979 nonces — no heap, no RNG.
//! There is no `#[global_allocator]` here: if anything in the graph needed
//! `alloc`, this binary would not link. Built (not run) by .ci/run.
#![no_std]
#![no_main]

use cortex_m_rt::entry;
use jwtmint::{Algorithm, Claims, EcdsaKey, Header, HeaderTemplate};
use panic_halt as _;

static KEY: &[u8] = include_bytes!("../../data/ec-p256.der");

fn mint(out: &mut [u8]) -> Result<usize, jwtmint::Error> {
    let key = EcdsaKey::from_pkcs8_der(KEY)?;
    let header = HeaderTemplate::new(&Header::new(Algorithm::Es256))?;
    let claims = Claims::new()
        .iss("device-42")
        .sub("device-42")
        .aud("https://login.example.com/oauth2/token")
        .iat(1_700_000_000)
        .exp(1_700_000_300);
    jwtmint::mint(&mut key.signer(Algorithm::Es256)?, &header, &claims, out)
}

#[entry]
fn main() -> ! {
    let mut out = [0u8; 512];
    let n = mint(&mut out);
    let _ = core::hint::black_box((&out, n));
    loop {
        cortex_m::asm::wfi();
    }
}
