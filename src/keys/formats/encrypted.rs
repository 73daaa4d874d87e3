//! Encrypted PKCS#8 (`ENCRYPTED PRIVATE KEY`, RFC 5958/8018): PBES2 with
//! PBKDF2 (HMAC-SHA-224/256/384/512) or scrypt, and AES-128/192/256-CBC (or
//! GCM), through `pkcs8`'s `encryption` feature. Decrypts into a zeroizing
//! buffer, then loads the PKCS#8 DER with [`SigningKey::from_pkcs8_der`].
//!
//! A wrong passphrase is [`Error::WrongPassphrase`], not `KeyMalformed`.
//! KDF costs are capped before any work is done, so a hostile file cannot
//! make loading take minutes or gigabytes: PBKDF2 at most
//! [`MAX_PBKDF2_ITERATIONS`], scrypt at most [`MAX_SCRYPT_MEMORY`] bytes.

use alloc::vec::Vec;

use der::Decode;
use pkcs8::pkcs5::{self, EncryptionScheme, pbes2};
use pkcs8::{EncryptedPrivateKeyInfoRef, PrivateKeyInfoRef};
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::keys::SigningKey;

/// Largest accepted PBKDF2 iteration count (OpenSSL writes 2048, OWASP
/// recommends 600 000 for HMAC-SHA-256).
pub const MAX_PBKDF2_ITERATIONS: u32 = 10_000_000;
/// Largest accepted scrypt memory, `128 * r * N` bytes (OpenSSL's default
/// N = 16384, r = 8 uses 16 MiB; OpenSSL itself stops at 32 MiB by default).
pub const MAX_SCRYPT_MEMORY: u64 = 64 * 1024 * 1024;
/// Largest accepted scrypt parallelisation `p`.
const MAX_SCRYPT_P: u16 = 16;

/// The KDF iteration cap of fuzzing builds (`cfg(fuzzing)`, set by
/// cargo-fuzz for every crate): OpenSSL's default count, so the fixtures
/// used as seeds still decrypt, while a mutated count costs at most this.
pub(crate) const FUZZING_KDF_ITERATIONS: u32 = 2048;
/// The PBKDF2 cap in force: [`MAX_PBKDF2_ITERATIONS`], or
/// [`FUZZING_KDF_ITERATIONS`] in fuzzing builds.
const PBKDF2_CAP: u32 = if cfg!(fuzzing) {
    FUZZING_KDF_ITERATIONS
} else {
    MAX_PBKDF2_ITERATIONS
};
/// The scrypt memory cap in force: [`MAX_SCRYPT_MEMORY`], or 1 MiB in
/// fuzzing builds.
const SCRYPT_MEMORY_CAP: u64 = if cfg!(fuzzing) {
    1024 * 1024
} else {
    MAX_SCRYPT_MEMORY
};

const LABEL: &str = "ENCRYPTED PRIVATE KEY";

impl SigningKey {
    /// Parses a PEM private key that may be encrypted: an `ENCRYPTED PRIVATE
    /// KEY` is decrypted with `passphrase` (PBES2: PBKDF2 or scrypt, AES);
    /// an unencrypted key is loaded as by [`SigningKey::from_pem`] (the
    /// passphrase is then unused). Legacy OpenSSL `Proc-Type: 4,ENCRYPTED`
    /// PEM is refused with `EncryptedKey`, whose message says how to convert.
    ///
    /// The passphrase is the exact bytes (no trailing newline is stripped
    /// here: the CLI strips one line ending from a passphrase file).
    ///
    /// # Errors
    /// `WrongPassphrase`, `UnsupportedKeyEncryption` (PBES1, SHA-1 PRF,
    /// KDF cost above the caps), `KeyMalformed`, and what
    /// [`SigningKey::from_pem`] returns.
    pub fn from_pem_with_passphrase(pem: &str, passphrase: &[u8]) -> Result<Self> {
        let block = crate::keys::pem::block(pem, crate::keys::pem::BEGIN, Error::KeyMalformed)?;
        if !block.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----") {
            return Self::from_pem(pem);
        }
        let (label, doc) = der::Document::from_pem(block).map_err(|_| Error::KeyMalformed)?;
        if label != LABEL {
            return Err(Error::KeyMalformed);
        }
        Self::from_pkcs8_der(&decrypt(doc.as_bytes(), passphrase)?)
    }

    /// DER form of [`SigningKey::from_pem_with_passphrase`]: an
    /// `EncryptedPrivateKeyInfo` is decrypted, anything else is loaded as by
    /// [`SigningKey::from_der`].
    ///
    /// # Errors
    /// As [`SigningKey::from_pem_with_passphrase`].
    pub fn from_der_with_passphrase(der: &[u8], passphrase: &[u8]) -> Result<Self> {
        if !is_encrypted_shape(der) {
            return Self::from_der(der);
        }
        Self::from_pkcs8_der(&decrypt(der, passphrase)?)
    }
}

/// Decrypts a DER `EncryptedPrivateKeyInfo` into PKCS#8 `PrivateKeyInfo` DER.
///
/// # Errors
/// As [`SigningKey::from_pem_with_passphrase`].
pub(crate) fn decrypt(der: &[u8], passphrase: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    let info = EncryptedPrivateKeyInfoRef::from_der(der).map_err(|_| {
        if is_encrypted_shape(der) {
            // PKCS#12-style PBE OIDs (`-v1 PBE-SHA1-3DES`) that PBES2 parsing refuses.
            PBES1
        } else {
            Error::KeyMalformed
        }
    })?;
    let plain = decrypt_with(
        &info.encryption_algorithm,
        info.encrypted_data.as_bytes(),
        passphrase,
    )?;
    // CBC padding checks out for ~1 in 256 wrong passphrases; the plaintext
    // then is noise, not a PrivateKeyInfo.
    PrivateKeyInfoRef::from_der(&plain).map_err(|_| Error::WrongPassphrase)?;
    Ok(plain)
}

/// Decrypts `ciphertext` under `scheme` (PBES2 only, costs capped) into a
/// zeroizing buffer. Shared with PKCS#12, whose shrouded key bags use the
/// same schemes.
///
/// # Errors
/// `WrongPassphrase` (bad padding or tag), `UnsupportedKeyEncryption`,
/// `KeyMalformed` (invalid parameters).
pub(crate) fn decrypt_with(
    scheme: &EncryptionScheme,
    ciphertext: &[u8],
    passphrase: &[u8],
) -> Result<Zeroizing<Vec<u8>>> {
    check_cost(scheme)?;
    let mut buf = Zeroizing::new(ciphertext.to_vec());
    let len = scheme
        .decrypt_in_place(passphrase, &mut buf)
        .map_err(|e| match e {
            pkcs5::Error::DecryptFailed => Error::WrongPassphrase,
            pkcs5::Error::UnsupportedAlgorithm { .. } | pkcs5::Error::NoPbes1CryptSupport => {
                Error::UnsupportedKeyEncryption {
                    reason: "unsupported PBE scheme, PRF or cipher (PBES2 with PBKDF2-HMAC-SHA-2 or scrypt and AES is supported)",
                }
            }
            _ => Error::KeyMalformed,
        })?
        .len();
    buf.truncate(len);
    Ok(buf)
}

const PBES1: Error = Error::UnsupportedKeyEncryption {
    reason: "PBES1 or PKCS#12 PBE (legacy); re-encrypt with: openssl pkcs8 -topk8 -v2 aes-256-cbc -in key.pem -out key.p8.pem",
};

/// Whether `der` is shaped like an `EncryptedPrivateKeyInfo`,
/// `SEQUENCE { AlgorithmIdentifier, OCTET STRING }`, whatever the scheme.
fn is_encrypted_shape(der: &[u8]) -> bool {
    use der::Reader;
    let Ok(mut r) = der::SliceReader::new(der) else {
        return false;
    };
    r.sequence(|r| {
        spki::AlgorithmIdentifierRef::decode(r)?;
        <&der::asn1::OctetStringRef>::decode(r)?;
        Ok::<_, der::Error>(())
    })
    .is_ok()
        && r.is_finished()
}

/// Refuses PBES1 and KDF parameters beyond the caps, before any work.
fn check_cost(scheme: &EncryptionScheme) -> Result<()> {
    let EncryptionScheme::Pbes2(params) = scheme else {
        return Err(PBES1);
    };
    match &params.kdf {
        pbes2::Kdf::Pbkdf2(p) => {
            if p.iteration_count == 0 || p.iteration_count > PBKDF2_CAP {
                return Err(Error::UnsupportedKeyEncryption {
                    reason: "PBKDF2 iteration count is 0 or above 10 000 000",
                });
            }
        }
        pbes2::Kdf::Scrypt(s) => {
            let n = s.cost_parameter;
            let (r, p) = (u64::from(s.block_size), s.parallelization);
            let memory = n.checked_mul(r).and_then(|m| m.checked_mul(128));
            if n < 2
                || !n.is_power_of_two()
                || r == 0
                || p == 0
                || p > MAX_SCRYPT_P
                || memory.is_none_or(|m| m > SCRYPT_MEMORY_CAP)
            {
                return Err(Error::UnsupportedKeyEncryption {
                    reason: "scrypt parameters invalid, p above 16, or above 64 MiB of memory",
                });
            }
        }
        _ => {
            return Err(Error::UnsupportedKeyEncryption {
                reason: "unknown key-derivation function",
            });
        }
    }
    Ok(())
}
