//! [`SigningKey`] as a [`JwsKey`]: the profile names the algorithm, the key
//! makes the signer ([`SigningKey::signer`], checked against the key type).

use super::key_signer::KeySigner;
use super::signing::SigningKey;
use crate::alg::Algorithm;
use crate::error::Result;
use crate::signer::JwsKey;

impl JwsKey for SigningKey {
    type Signer<'k> = KeySigner<'k>;

    fn signer(&self, alg: Algorithm) -> Result<Self::Signer<'_>> {
        SigningKey::signer(self, alg)
    }

    /// SHA-256 over the public key, domain-separated by type: RSA's
    /// length-prefixed big-endian modulus and exponent, the uncompressed EC
    /// point, the Ed25519 public key; for an HMAC secret, the secret itself
    /// (at least 32 random bytes, so the digest reveals nothing usable).
    fn fingerprint(&self) -> Option<[u8; 32]> {
        use super::signing::Inner;
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        let part = |h: &mut Sha256, bytes: &[u8]| {
            h.update(u64::try_from(bytes.len()).unwrap_or(u64::MAX).to_be_bytes());
            h.update(bytes);
        };
        match self.inner() {
            Inner::Rsa { key, .. } => {
                use rsa::traits::PublicKeyParts;
                h.update(b"jwtmint rsa public key\0");
                part(&mut h, &key.n_bytes());
                part(&mut h, &key.e_bytes());
            }
            #[cfg(feature = "ecdsa")]
            Inner::Ec(k) => {
                let mut point = [0u8; 1 + 2 * 66];
                let n = k.public_point(&mut point).ok()?;
                h.update(b"jwtmint ec public key\0");
                part(&mut h, point.get(..n)?);
            }
            #[cfg(feature = "eddsa")]
            Inner::Ed25519(k) => {
                h.update(b"jwtmint ed25519 public key\0");
                part(&mut h, &k.public_key());
            }
            #[cfg(feature = "hmac")]
            Inner::Hmac(secret) => {
                h.update(b"jwtmint hmac secret\0");
                part(&mut h, secret);
            }
        }
        Some(h.finalize().into())
    }
}
