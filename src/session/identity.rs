//! The session identity: SHA-256 over everything that changes the grant —
//! the profile's identity (name, header, claims but times and `jti`, token
//! request), the grant kind and the key's fingerprint. Stores key on it.

use core::hash::Hasher;

use sha2::{Digest, Sha256};

use crate::profiles::Profile;
use crate::signer::JwsKey;

use super::grant::Grant;

/// A SHA-256 context as a [`Hasher`], for [`Profile::identity`].
///
/// Integers are hashed as fixed-width little-endian bytes (`usize` as 8), not
/// the default native-endian `usize`: hosts of different word size or
/// endianness sharing one store (a fleet on Redis) must compute the same
/// identity for the same grant.
struct Sha(Sha256);

impl Hasher for Sha {
    fn finish(&self) -> u64 {
        // Unused: the digest is read with `finalize`.
        0
    }
    fn write(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }
    fn write_u16(&mut self, i: u16) {
        self.write(&i.to_le_bytes());
    }
    fn write_u32(&mut self, i: u32) {
        self.write(&i.to_le_bytes());
    }
    fn write_u64(&mut self, i: u64) {
        self.write(&i.to_le_bytes());
    }
    fn write_usize(&mut self, i: usize) {
        self.write_u64(i as u64);
    }
    fn write_i64(&mut self, i: i64) {
        self.write(&i.to_le_bytes());
    }
}

/// The 32-byte identity of `profile` + `grant` + `key`.
pub(crate) fn identity<P, K>(profile: &P, key: &K, grant: Grant) -> [u8; 32]
where
    P: Profile + ?Sized,
    K: JwsKey + ?Sized,
{
    let mut h = Sha(Sha256::new());
    h.write(b"jwtmint session v1\0");
    profile.identity(&mut h);
    h.write_u8(grant as u8);
    match key.fingerprint() {
        Some(fp) => {
            h.write_u8(1);
            h.write(&fp);
        }
        None => h.write_u8(0),
    }
    h.0.finalize().into()
}

/// Lower-case hex of an identity (64 characters).
pub(crate) fn hex(id: &[u8; 32]) -> [u8; 64] {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = [0u8; 64];
    for (pair, b) in out.chunks_exact_mut(2).zip(id) {
        if let [hi, lo] = pair {
            *hi = HEX.get(usize::from(b >> 4)).copied().unwrap_or(b'0');
            *lo = HEX.get(usize::from(b & 0x0f)).copied().unwrap_or(b'0');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lengths hash as 8 little-endian bytes on every host (32-bit included).
    #[test]
    fn integers_hash_the_same_on_every_word_size() {
        let mut a = Sha(Sha256::new());
        a.write_usize(3);
        a.write_i64(-2);
        let mut b = Sha(Sha256::new());
        b.write(&[3, 0, 0, 0, 0, 0, 0, 0]);
        b.write(&[0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
        assert_eq!(a.0.finalize(), b.0.finalize());
    }
}
