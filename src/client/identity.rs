//! Store keys: a domain-separated SHA-256 over length-prefixed parts, in
//! lower-case hex (the [`super::store::Store`] key format). The parts are
//! the session core's identity (profile, grant, key fingerprint) and, when
//! a token source overrides it, the token URL.
#[allow(unused_imports)]
use std::prelude::rust_2024::*;
#[allow(unused_imports)]
use std::{format, vec};

use sha2::{Digest, Sha256};

/// SHA-256 over `domain` and every part (each length-prefixed, so parts
/// cannot run into each other), as 64 lower-case hex characters.
pub fn digest_hex(domain: &str, parts: &[&[u8]]) -> String {
    let mut h = Sha256::new();
    h.update(domain.as_bytes());
    h.update([0u8]);
    for p in parts {
        h.update(u64::try_from(p.len()).unwrap_or(u64::MAX).to_be_bytes());
        h.update(p);
    }
    hex(&h.finalize())
}

fn hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(
            HEX.get(usize::from(b >> 4)).copied().unwrap_or(b'0'),
        ));
        s.push(char::from(
            HEX.get(usize::from(b & 15)).copied().unwrap_or(b'0'),
        ));
    }
    s
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn parts_do_not_run_together() {
        assert_ne!(
            digest_hex("d", &[b"ab", b"c"]),
            digest_hex("d", &[b"a", b"bc"])
        );
        assert_ne!(digest_hex("d", &[b"a"]), digest_hex("e", &[b"a"]));
        assert_eq!(digest_hex("d", &[b"a"]).len(), 64);
    }
}
