//! Sealed records (feature `seal`): AES-256-GCM (RustCrypto `aes-gcm`)
//! over a stored session record, with the session identity as associated
//! data — so the file or Redis value holds no token bytes, a record copied
//! under another identity does not open, and a tampered one does not either.
//!
//! Layout: `JMS1` ‖ 12-byte random nonce ‖ 16-byte tag ‖ ciphertext
//! ([`SEAL_OVERHEAD`] bytes more than the record). A store decorator treats
//! a record that does not open as absent (the session fetches again).
//!
//! The key is 32 bytes: a file holding them raw, or as 64 hex characters,
//! or as Base64 (standard or URL-safe, padding optional); or an environment
//! variable holding the text forms. Generate one with
//! `openssl rand -hex 32 > key && chmod 600 key`.
//!
//! ```
//! # #[cfg(feature = "std")] {
//! use jwtmint::seal::SealKey;
//! let key = SealKey::from_text(&"11".repeat(32)).unwrap();
//! let sealed = key.seal(b"identity-1", b"{\"access_token\":\"secret\"}").unwrap();
//! assert!(!sealed.windows(6).any(|w| w == b"secret"));
//! assert_eq!(&key.open(b"identity-1", &sealed).unwrap()[..], b"{\"access_token\":\"secret\"}");
//! assert!(key.open(b"identity-2", &sealed).is_err());
//! # }
//! ```

use aes_gcm::aead::{AeadInOut, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce, Tag};
use zeroize::{Zeroize, Zeroizing};

use crate::error::{Error, Result};

/// The format tag at the start of every sealed record.
pub const SEAL_MAGIC: &[u8; 4] = b"JMS1";
const NONCE: usize = 12;
const TAG: usize = 16;
/// Bytes a sealed record has beyond the record: magic, nonce, tag.
pub const SEAL_OVERHEAD: usize = SEAL_MAGIC.len() + NONCE + TAG;

const NOT_SEALED: Error = Error::InvalidField {
    field: "sealed_record",
    reason: "not a jwtmint sealed record",
};
const DOES_NOT_OPEN: Error = Error::InvalidField {
    field: "sealed_record",
    reason: "does not open with this key and identity (other key, other identity, or altered)",
};
const BAD_KEY: Error = Error::InvalidField {
    field: "seal_key",
    reason: "must be 32 bytes: raw, 64 hex characters, or Base64",
};

/// A 32-byte AES-256-GCM key; zeroized on drop, redacted in `Debug`.
#[derive(Clone)]
pub struct SealKey(Zeroizing<[u8; 32]>);

impl core::fmt::Debug for SealKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("SealKey(<redacted>)")
    }
}

fn hex_val(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

impl SealKey {
    /// A key from its 32 bytes.
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(Zeroizing::new(bytes))
    }

    /// A key from text: 64 hex characters, or Base64 (standard or URL-safe,
    /// padding optional) of 32 bytes; surrounding whitespace ignored.
    ///
    /// # Errors
    /// `InvalidField { field: "seal_key" }` (never with the key in it).
    pub fn from_text(text: &str) -> Result<Self> {
        let t = text.trim_ascii().as_bytes();
        let mut key = Zeroizing::new([0u8; 32]);
        if t.len() == 64 {
            for (dst, pair) in key.iter_mut().zip(t.chunks_exact(2)) {
                let (Some(&h), Some(&l)) = (pair.first(), pair.get(1)) else {
                    return Err(BAD_KEY);
                };
                *dst = hex_val(h)
                    .zip(hex_val(l))
                    .map(|(h, l)| h << 4 | l)
                    .ok_or(BAD_KEY)?;
            }
            return Ok(Self(key));
        }
        let t = t.strip_suffix(b"=").unwrap_or(t);
        let mut norm = Zeroizing::new([0u8; 43]);
        if t.len() != norm.len() {
            return Err(BAD_KEY);
        }
        for (dst, &c) in norm.iter_mut().zip(t) {
            *dst = match c {
                b'+' => b'-',
                b'/' => b'_',
                c => c,
            };
        }
        let n = crate::base64url::decode(&norm[..], &mut key[..]).map_err(|_| BAD_KEY)?;
        if n != 32 {
            return Err(BAD_KEY);
        }
        Ok(Self(key))
    }

    fn cipher(&self) -> Result<Aes256Gcm> {
        Aes256Gcm::new_from_slice(&self.0[..]).map_err(|_| BAD_KEY)
    }

    /// Seals `record` under this key with `aad` (the session identity) and
    /// `nonce` (never reuse one with the same key: [`SealKey::seal`] draws
    /// it at random) into `out`; returns the length, `record.len() +
    /// SEAL_OVERHEAD`.
    ///
    /// # Errors
    /// `BufferTooSmall` with the exact length needed; `LengthOverflow`.
    pub fn seal_with_nonce(
        &self,
        aad: &[u8],
        record: &[u8],
        nonce: [u8; NONCE],
        out: &mut [u8],
    ) -> Result<usize> {
        let needed = record
            .len()
            .checked_add(SEAL_OVERHEAD)
            .ok_or(Error::LengthOverflow)?;
        let out = out
            .get_mut(..needed)
            .ok_or(Error::BufferTooSmall { needed })?;
        let (head, body) = out.split_at_mut(SEAL_OVERHEAD);
        body.copy_from_slice(record);
        let nonce = Nonce::from(nonce);
        let tag = self
            .cipher()?
            .encrypt_inout_detached(&nonce, aad, body.into())
            .map_err(|_| {
                body.zeroize();
                Error::LengthOverflow
            })?;
        let (magic, rest) = head.split_at_mut(SEAL_MAGIC.len());
        let (n, t) = rest.split_at_mut(NONCE);
        magic.copy_from_slice(SEAL_MAGIC);
        n.copy_from_slice(&nonce);
        t.copy_from_slice(&tag);
        Ok(needed)
    }

    /// Opens `sealed` (made with this key and `aad`) into `out`; returns
    /// the record.
    ///
    /// # Errors
    /// `InvalidField { field: "sealed_record" }` when it is not a sealed
    /// record or does not open (another key or identity, or altered — the
    /// caller treats it as absent); `BufferTooSmall` with the length needed.
    pub fn open_into<'o>(&self, aad: &[u8], sealed: &[u8], out: &'o mut [u8]) -> Result<&'o [u8]> {
        let rest = sealed.strip_prefix(&SEAL_MAGIC[..]).ok_or(NOT_SEALED)?;
        if rest.len() < NONCE + TAG {
            return Err(NOT_SEALED);
        }
        let (nonce, rest) = rest.split_at(NONCE);
        let (tag, ct) = rest.split_at(TAG);
        let nonce = Nonce::try_from(nonce).map_err(|_| NOT_SEALED)?;
        let tag = Tag::try_from(tag).map_err(|_| NOT_SEALED)?;
        let dst = out
            .get_mut(..ct.len())
            .ok_or(Error::BufferTooSmall { needed: ct.len() })?;
        dst.copy_from_slice(ct);
        match self
            .cipher()?
            .decrypt_inout_detached(&nonce, aad, (&mut *dst).into(), &tag)
        {
            Ok(()) => Ok(dst),
            Err(_) => {
                dst.zeroize();
                Err(DOES_NOT_OPEN)
            }
        }
    }
}

#[cfg(feature = "std")]
mod std_api {
    use std::vec::Vec;

    use zeroize::Zeroizing;

    use super::{BAD_KEY, NONCE, SEAL_OVERHEAD, SealKey};
    use crate::error::{Error, Result};

    /// Largest key file read (a key is at most a line of text).
    const KEY_FILE_MAX: u64 = 4096;

    impl SealKey {
        /// The key in a file: 32 raw bytes, or a text form
        /// ([`SealKey::from_text`]).
        ///
        /// # Errors
        /// `InvalidField { field: "seal_key" }` when it cannot be read or is
        /// not a key.
        pub fn from_file(path: &std::path::Path) -> Result<Self> {
            use std::io::Read;
            let unreadable = Error::InvalidField {
                field: "seal_key",
                reason: "the key file could not be read",
            };
            let file = std::fs::File::open(path).map_err(|_| unreadable)?;
            let mut buf = Zeroizing::new(Vec::new());
            file.take(KEY_FILE_MAX)
                .read_to_end(&mut buf)
                .map_err(|_| unreadable)?;
            if let Ok(raw) = <[u8; 32]>::try_from(&buf[..]) {
                return Ok(Self::from_bytes(raw));
            }
            let text = core::str::from_utf8(&buf).map_err(|_| BAD_KEY)?;
            Self::from_text(text)
        }

        /// The key in the environment variable `name` (a text form).
        ///
        /// # Errors
        /// `InvalidField { field: "seal_key" }` when unset or not a key.
        pub fn from_env(name: &str) -> Result<Self> {
            let v = Zeroizing::new(std::env::var(name).map_err(|_| Error::InvalidField {
                field: "seal_key",
                reason: "the key environment variable is not set (or not UTF-8)",
            })?);
            Self::from_text(&v)
        }

        /// Seals `record` with a random nonce (see [`SealKey::seal_with_nonce`]).
        ///
        /// # Errors
        /// `Rng` when the OS has no randomness.
        pub fn seal(&self, aad: &[u8], record: &[u8]) -> Result<Vec<u8>> {
            let mut nonce = [0u8; NONCE];
            getrandom::fill(&mut nonce).map_err(|_| Error::Rng)?;
            let len = record
                .len()
                .checked_add(SEAL_OVERHEAD)
                .ok_or(Error::LengthOverflow)?;
            let mut out = std::vec![0u8; len];
            let n = self.seal_with_nonce(aad, record, nonce, &mut out)?;
            out.truncate(n);
            Ok(out)
        }

        /// Opens `sealed` (see [`SealKey::open_into`]) into a new buffer,
        /// wiped on drop.
        ///
        /// # Errors
        /// As [`SealKey::open_into`] (never `BufferTooSmall`).
        pub fn open(&self, aad: &[u8], sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
            let mut out = Zeroizing::new(std::vec![0u8; sealed.len()]);
            let n = self.open_into(aad, sealed, &mut out)?.len();
            out.truncate(n);
            Ok(out)
        }
    }
}
