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
}
