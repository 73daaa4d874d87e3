//! Firmware example: parse a PKCS#8 DER key once, mint one assertion into a
//! stack buffer. Built for `thumbv7em-none-eabihf`. One image per build,
//! chosen by feature:
//!
//! - `rs256` (default): RS256-2048, blinded; the RSA arithmetic needs a heap,
//!   so this image links `embedded-alloc` as the global allocator.
//! - `es256`: an APNs provider token (ES256, RFC 6979 nonces, header `kid`,
//!   `iss` = Team ID, `iat`), shaped as `jwtmint::profiles::Apns` does.
//! - `eddsa`: an Ed25519 assertion with Salesforce's claim set (`iss`
//!   consumer key, `sub` username, `aud` login.salesforce.com, `exp` 180 s).
//!
//! The `es256` and `eddsa` images have no `#[global_allocator]`: if anything
//! in the graph allocated, they would not link.
//!
//! Default build: the footprint figure (`size.sh`). Feature `qemu`: the same
//! program plus a report over semihosting (the token, instructions per mint,
//! stack and heap high-water) and a semihosting `exit` with a status; run by
//! `run-qemu.sh` on QEMU's `netduinoplus2` (see `qemu.rs`).
#![no_std]
#![no_main]

#[cfg(not(any(
    all(feature = "rs256", not(feature = "es256"), not(feature = "eddsa")),
    all(feature = "es256", not(feature = "rs256"), not(feature = "eddsa")),
    all(feature = "eddsa", not(feature = "rs256"), not(feature = "es256")),
)))]
compile_error!("enable exactly one image feature: rs256 (default), es256 or eddsa");

use cortex_m_rt::entry;
use jwtmint::Result;
#[cfg(not(feature = "qemu"))]
use panic_halt as _;

#[cfg(feature = "qemu")]
mod qemu;

/// The output buffer: an RS256-2048 token is about 600 bytes, ES256 and
/// EdDSA tokens about 250.
#[cfg(feature = "rs256")]
const OUT_LEN: usize = 1024;
#[cfg(not(feature = "rs256"))]
const OUT_LEN: usize = 512;

/// Feature `test-bad-key` (run-qemu.sh's error-path check): a truncated key.
fn key_der(der: &'static [u8]) -> &'static [u8] {
    if cfg!(feature = "test-bad-key") {
        der.get(..der.len().saturating_sub(1)).unwrap_or_default()
    } else {
        der
    }
}

#[cfg(feature = "rs256")]
mod image {
    use core::mem::MaybeUninit;

    use jwtmint::{Algorithm, Claims, Header, HeaderTemplate, SigningKey};

    /// The heap: `embedded-alloc`'s linked-list allocator; with `qemu`,
    /// wrapped to record its high-water mark.
    #[cfg(not(feature = "qemu"))]
    #[global_allocator]
    static HEAP: embedded_alloc::LlffHeap = embedded_alloc::LlffHeap::empty();
    #[cfg(feature = "qemu")]
    use crate::qemu::HEAP;

    /// Heap size for the RSA arithmetic (the high-water mark is measured on
    /// target by `run-qemu.sh`, see docs/BENCHMARKS.md).
    const HEAP_SIZE: usize = 16 * 1024;

    /// DEMO key (public, from examples/keys): a device would read its own
    /// from secure storage.
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

    pub fn init() {
        static mut HEAP_MEM: [MaybeUninit<u8>; HEAP_SIZE] = [MaybeUninit::uninit(); HEAP_SIZE];
        // SAFETY: called once, before any allocation; HEAP_MEM is used only here.
        unsafe { HEAP.init(&raw mut HEAP_MEM as usize, HEAP_SIZE) }
    }

    pub fn mint(out: &mut [u8]) -> jwtmint::Result<usize> {
        let key = SigningKey::from_pkcs8_der(super::key_der(KEY_DER))?;
        #[cfg(feature = "qemu")]
        crate::qemu::parsed();
        let mut rng = Trng(0x1234_5678);
        let header = HeaderTemplate::new(&Header::new(Algorithm::Rs256))?;
        let claims = Claims::new()
            .iss("device-42")
            .sub("device-42")
            .aud("https://login.example.com/oauth2/token")
            .iat(1_700_000_000)
            .exp(1_700_000_300);
        jwtmint::mint(
            &mut key.signer_with_rng(Algorithm::Rs256, &mut rng)?,
            &header,
            &claims,
            out,
        )
    }
}

#[cfg(feature = "es256")]
mod image {
    use jwtmint::{Algorithm, Claims, EcdsaKey, Header, HeaderTemplate, Result};

    /// DEMO P-256 key (tests/data/ec-p256.pem as PKCS#8 DER, an Apple
    /// `.p8`-style key): a device would read its own from secure storage.
    static KEY_DER: &[u8] = include_bytes!("../../../tests/data/ec-p256.der");

    pub fn init() {}

    /// Key parse and signing in frames of their own (`inline(never)`): with
    /// LTO everything otherwise lands in one frame, the parser's temporaries
    /// beside the signer's.
    #[inline(never)]
    pub fn mint(out: &mut [u8]) -> Result<usize> {
        let key = parse()?;
        #[cfg(feature = "qemu")]
        crate::qemu::parsed();
        sign(&key, out)
    }

    #[inline(never)]
    fn parse() -> Result<EcdsaKey> {
        EcdsaKey::from_pkcs8_der(super::key_der(KEY_DER))
    }

    /// The APNs provider token as `jwtmint::profiles::Apns` shapes it
    /// (header `alg` ES256 + `kid` = Key ID, no `typ`; claims `iss` = Team
    /// ID, `iat`), written out: the profile object (its header template and
    /// IDs, about 0.8 KB, and 3 KB of temporaries while it is built) would
    /// otherwise sit on the stack under the signer's.
    #[inline(never)]
    fn sign(key: &EcdsaKey, out: &mut [u8]) -> Result<usize> {
        let header =
            HeaderTemplate::new(&Header::new(Algorithm::Es256).kid("ABC123DEFG").typ(None))?;
        let claims = Claims::new().iss("DEF123GHIJ").iat(1_700_000_000);
        jwtmint::mint(&mut key.signer(Algorithm::Es256)?, &header, &claims, out)
    }
}

#[cfg(feature = "eddsa")]
mod image {
    use jwtmint::{Algorithm, Claims, Ed25519Key, Header, HeaderTemplate, Result};

    /// DEMO Ed25519 key (tests/data/ed25519.pem as PKCS#8 DER).
    static KEY_DER: &[u8] = include_bytes!("../../../tests/data/ed25519.der");

    pub fn init() {}

    /// Key parse and signing in frames of their own (`inline(never)`): with
    /// LTO everything otherwise lands in `main`'s frame, the parser's
    /// temporaries beside the signer's tables.
    #[inline(never)]
    pub fn mint(out: &mut [u8]) -> Result<usize> {
        let key = parse()?;
        #[cfg(feature = "qemu")]
        crate::qemu::parsed();
        sign(&key, out)
    }

    #[inline(never)]
    fn parse() -> Result<Ed25519Key> {
        Ed25519Key::from_pkcs8_der(super::key_der(KEY_DER))
    }

    #[inline(never)]
    fn sign(key: &Ed25519Key, out: &mut [u8]) -> Result<usize> {
        let header = HeaderTemplate::new(&Header::new(Algorithm::EdDsa))?;
        let claims = Claims::new()
            .iss("3MVG9device42consumerkey")
            .sub("device-42@example.com")
            .aud("https://login.salesforce.com")
            .exp(1_700_000_180);
        jwtmint::mint(&mut key.signer(Algorithm::EdDsa)?, &header, &claims, out)
    }
}

#[entry]
fn main() -> ! {
    image::init();
    #[cfg(feature = "qemu")]
    qemu::start();
    let mut out = [0u8; OUT_LEN];
    let result: Result<usize> = image::mint(&mut out);
    #[cfg(feature = "qemu")]
    qemu::finish(result.map(|len| out.get(..len).unwrap_or_default()));
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
