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
}
