//! The key fingerprint every [`JwsKey`](crate::signer::JwsKey) of this
//! crate returns: SHA-256 over a type label and length-prefixed parts (a
//! leaf).

use sha2::{Digest, Sha256};

/// SHA-256 over `label`, then each part as its 8-byte big-endian length and
/// its bytes.
pub(crate) fn of(label: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(label);
    for part in parts {
        h.update(u64::try_from(part.len()).unwrap_or(u64::MAX).to_be_bytes());
        h.update(part);
    }
    h.finalize().into()
}
