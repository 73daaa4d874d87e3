//! The session identity: SHA-256 over everything that changes the grant —
//! the profile's identity (name, header, claims but times and `jti`, token
//! request), the grant kind and the key's fingerprint. Stores key on it.

use core::hash::Hasher;

use sha2::{Digest, Sha256};

use crate::profiles::Profile;
use crate::signer::JwsKey;

use super::grant::Grant;

/// A SHA-256 context as a [`Hasher`], for [`Profile::identity`].
struct Sha(Sha256);

impl Hasher for Sha {
    fn finish(&self) -> u64 {
        // Unused: the digest is read with `finalize`.
        0
    }
    fn write(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
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
