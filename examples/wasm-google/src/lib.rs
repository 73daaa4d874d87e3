//! A minimal WebAssembly module for edge runtimes (Cloudflare Workers, Spin,
//! a browser, Node): mints a Google service-account assertion with jwtmint's
//! `no_std` core plus `alloc` (RS256 needs a heap), built for
//! `wasm32-unknown-unknown`. No WASI, no wasm-bindgen: the host
//!
//! - writes the service-account key file (JSON) and the scope into memory it
//!   got from [`jwtmint_alloc`],
//! - passes `now` (seconds since 1970: there is no clock in the module),
//! - provides randomness for RSA blinding as the import `env.random_fill`
//!   (in JavaScript, `crypto.getRandomValues`),
//!
//! and calls [`jwtmint_google_mint`]. `run.mjs` is such a host for Node.

use jwtmint::profiles::{Google, Profile, ServiceAccount};

unsafe extern "C" {
    /// Host import: fill `len` bytes at `ptr` with cryptographically secure
    /// random bytes; 0 on success.
    fn random_fill(ptr: *mut u8, len: usize) -> i32;
}

/// The host's CSPRNG as a `rand_core` RNG.
struct HostRng;

impl rand_core::TryRng for HostRng {
    type Error = core::convert::Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        let mut b = [0u8; 4];
        self.try_fill_bytes(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }
    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        let mut b = [0u8; 8];
        self.try_fill_bytes(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        // SAFETY: `dst` is valid for writes of `dst.len()` bytes.
        if unsafe { random_fill(dst.as_mut_ptr(), dst.len()) } != 0 {
            // No randomness, no signature: never sign unblinded.
            std::process::abort();
        }
        Ok(())
    }
}
impl rand_core::TryCryptoRng for HostRng {}

/// Output: the assertion, or the error message.
static mut OUT: [u8; 2048] = [0; 2048];

/// Memory for the host's inputs (`len` bytes, leaked until
/// [`jwtmint_free`]).
#[unsafe(no_mangle)]
pub extern "C" fn jwtmint_alloc(len: usize) -> *mut u8 {
    Box::into_raw(vec![0u8; len].into_boxed_slice()).cast()
}

/// Frees what [`jwtmint_alloc`] returned.
///
/// # Safety
/// `ptr`/`len` from one `jwtmint_alloc` call, freed once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_free(ptr: *mut u8, len: usize) {
    // SAFETY: the caller's contract.
    drop(unsafe { Box::from_raw(core::ptr::slice_from_raw_parts_mut(ptr, len)) });
}

/// The output buffer's address.
#[unsafe(no_mangle)]
pub extern "C" fn jwtmint_out() -> *const u8 {
    (&raw const OUT).cast()
}

/// Mints the assertion for the key file `json` and `scope` at `now` into
/// the output buffer; returns its length, or minus the length of the error
/// message written there instead.
///
/// # Safety
/// `json`/`scope` valid for reads of their lengths.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtmint_google_mint(
    json: *const u8,
    json_len: usize,
    scope: *const u8,
    scope_len: usize,
    now: i64,
) -> i32 {
    // SAFETY: the caller's contract.
    let (json, scope) = unsafe {
        (
            core::slice::from_raw_parts(json, json_len),
            core::slice::from_raw_parts(scope, scope_len),
        )
    };
    // SAFETY: single-threaded module; no other reference to OUT is live.
    let out = unsafe { &mut *(&raw mut OUT) };
    match mint(json, scope, now, out) {
        Ok(n) => n as i32,
        Err(e) => {
            use std::io::Write;
            let mut w = &mut out[..];
            let _ = write!(w, "{e}");
            let n = 2048 - w.len();
            -(n as i32)
        }
    }
}

fn mint(json: &[u8], scope: &[u8], now: i64, out: &mut [u8]) -> jwtmint::Result<usize> {
    let scope = core::str::from_utf8(scope).map_err(|_| jwtmint::Error::InvalidField {
        field: "scope",
        reason: "not UTF-8",
    })?;
    let sa = ServiceAccount::from_json(json)?;
    let google = Google::new(&sa, &[scope])?;
    let claims = google.claims(now, None)?;
    jwtmint::mint(
        &mut sa
            .key()
            .signer_with_rng(jwtmint::Algorithm::Rs256, &mut HostRng)?,
        google.header(),
        &claims,
        out,
    )
}
