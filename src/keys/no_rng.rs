//! [`NoRng`]: the RNG type of signers that never draw randomness (a leaf).

use rand_core::{TryCryptoRng, TryRng};

/// Type marker for the explicitly unblinded signer. It is never asked for
/// randomness; if it were, every call fails rather than returning zeros.
#[derive(Debug, Clone, Copy)]
pub struct NoRng;

/// The error [`NoRng`] returns: there is no randomness here.
#[derive(Debug, Clone, Copy)]
pub struct NoRandomness;

impl core::fmt::Display for NoRandomness {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("no RNG available")
    }
}

impl core::error::Error for NoRandomness {}

impl TryRng for NoRng {
    type Error = NoRandomness;
    fn try_next_u32(&mut self) -> core::result::Result<u32, Self::Error> {
        Err(NoRandomness)
    }
    fn try_next_u64(&mut self) -> core::result::Result<u64, Self::Error> {
        Err(NoRandomness)
    }
    fn try_fill_bytes(&mut self, _dst: &mut [u8]) -> core::result::Result<(), Self::Error> {
        Err(NoRandomness)
    }
}

impl TryCryptoRng for NoRng {}
