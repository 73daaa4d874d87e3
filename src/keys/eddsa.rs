//! Ed25519 keys and signers for EdDSA (RFC 8037), pure Rust
//! (`ed25519-dalek`), with no allocator. Ed25519 is deterministic: signing
//! needs no RNG. Key material is zeroized on drop; `Debug` is redacted.

use super::oid;
use crate::alg::{Algorithm, KeyKind};
use crate::error::{Error, Result};
use crate::signer::{JwsKey, JwsSigner, put_signature};

/// An Ed25519 private key, parsed once.
#[derive(Clone)]
pub struct Ed25519Key(ed25519_dalek::SigningKey);

debug_public!(Ed25519Key);

impl Ed25519Key {
    /// Parses a PKCS#8 `PrivateKeyInfo` (DER, RFC 8410; v1 or v2 with the
    /// public key, which must match). No allocation.
    ///
    /// # Errors
    /// `KeyMalformed`, `UnsupportedKeyType` (not Ed25519).
    pub fn from_pkcs8_der(der: &[u8]) -> Result<Self> {
        use der::Decode;
        use ed25519_dalek::pkcs8::DecodePrivateKey;
        let info = pkcs8::PrivateKeyInfoRef::from_der(der).map_err(|_| Error::KeyMalformed)?;
        if info.algorithm.oid != oid::ED25519 {
            return Err(Error::UnsupportedKeyType);
        }
        ed25519_dalek::SigningKey::from_pkcs8_der(der)
            .map(Self)
            .map_err(|_| Error::KeyMalformed)
    }

    /// A key from its 32-byte seed (RFC 8032 §5.1.5).
    pub fn from_seed(seed: &[u8; 32]) -> Self {
        Self(ed25519_dalek::SigningKey::from_bytes(seed))
    }

    /// The 32-byte public key.
    pub fn public_key(&self) -> [u8; 32] {
        self.0.verifying_key().to_bytes()
    }

    /// The public half.
    pub fn verifying_key(&self) -> ed25519_dalek::VerifyingKey {
        self.0.verifying_key()
    }

    /// The 32-byte seed, for handing the key to another backend.
    #[cfg(feature = "aws-lc")]
    pub(crate) fn seed(&self) -> zeroize::Zeroizing<[u8; 32]> {
        zeroize::Zeroizing::new(self.0.to_bytes())
    }

    /// The EdDSA signer (deterministic) for `alg`, refusing anything but
    /// EdDSA.
    ///
    /// # Errors
    /// `KeyAlgorithmMismatch`.
    pub fn signer(&self, alg: Algorithm) -> Result<Ed25519Signer<'_>> {
        super::kind::check(KeyKind::Ed25519, alg)?;
        Ok(Ed25519Signer(self))
    }

    /// SHA-256 over the public key, domain-separated (the value
    /// [`JwsKey::fingerprint`] returns, also for a
    /// [`SigningKey`](crate::SigningKey) holding this key).
    pub fn fingerprint(&self) -> [u8; 32] {
        super::fingerprint::of(b"jwtmint ed25519 public key\0", &[&self.public_key()])
    }
}

/// An `Ed25519Key` is a [`JwsKey`] with or without `std`.
impl JwsKey for Ed25519Key {
    type Signer<'k> = Ed25519Signer<'k>;

    fn signer(&self, alg: Algorithm) -> Result<Self::Signer<'_>> {
        Ed25519Key::signer(self, alg)
    }

    fn fingerprint(&self) -> Option<[u8; 32]> {
        Some(Ed25519Key::fingerprint(self))
    }
}

/// The [`JwsSigner`] over a borrowed [`Ed25519Key`].
#[derive(Debug)]
pub struct Ed25519Signer<'a>(&'a Ed25519Key);

impl JwsSigner for Ed25519Signer<'_> {
    fn algorithm(&self) -> Algorithm {
        Algorithm::EdDsa
    }

    fn signature_len(&self) -> usize {
        64
    }

    fn sign(&mut self, signing_input: &[u8], signature: &mut [u8]) -> Result<usize> {
        use signature::Signer;
        let sig = self
            .0
            .0
            .try_sign(signing_input)
            .map_err(|_| Error::Signing)?
            .to_bytes();
        put_signature(&sig, signature)
    }
}
