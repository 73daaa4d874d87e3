//! [`SigningKey`] as a [`JwsKey`]: the profile names the algorithm, the key
//! makes the signer (blinded with the OS RNG).

use super::rsa_signer::RsaSigner;
use super::signing::SigningKey;
use crate::alg::Algorithm;
use crate::error::Result;
use crate::signer::JwsKey;

impl JwsKey for SigningKey {
    type Signer<'k> = RsaSigner<'k, getrandom::SysRng>;

    fn signer(&self, alg: Algorithm) -> Result<Self::Signer<'_>> {
        Ok(match alg {
            Algorithm::Rs256 => self.rs256(),
            Algorithm::Ps256 => self.ps256(),
        })
    }

    /// SHA-256 over the length-prefixed big-endian modulus and exponent.
    fn fingerprint(&self) -> Option<[u8; 32]> {
        use rsa::traits::PublicKeyParts;
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        h.update(b"jwtmint rsa public key\0");
        for part in [self.as_rsa().n_bytes(), self.as_rsa().e_bytes()] {
            h.update(u64::try_from(part.len()).unwrap_or(u64::MAX).to_be_bytes());
            h.update(&part);
        }
        Some(h.finalize().into())
    }
}
