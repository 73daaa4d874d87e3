//! HMAC keys for HS256 / HS384 / HS512 (RFC 7518 §3.2), with no allocator:
//! `client_secret_jwt` (RFC 7523 §2.2, OIDC Core §9).
//!
//! Secrets shorter than the hash output are refused. The key schedule runs
//! once, at construction; the keyed state is cloned per MAC and zeroized on
//! drop. Verification compares MACs in constant time (`hmac`'s
//! `verify_slice`, built on `subtle`). `Debug` is redacted.

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Sha256, Sha384, Sha512};

use crate::alg::{Algorithm, KeyKind};
use crate::error::{Error, Result};
use crate::signer::{JwsKey, JwsSigner, put_signature};

/// An HMAC secret bound to one of HS256, HS384, HS512.
#[derive(Clone)]
pub struct HmacKey {
    state: State,
    /// [`fingerprint`] of the secret, taken at construction (the keyed
    /// state cannot give the secret back).
    fingerprint: [u8; 32],
}

/// SHA-256 over the secret, domain-separated: what
/// [`JwsKey::fingerprint`] returns for an HMAC key (the secret is at
/// least 32 random bytes, so the digest reveals nothing usable).
pub(crate) fn fingerprint(secret: &[u8]) -> [u8; 32] {
    super::fingerprint::of(b"jwtmint hmac secret\0", &[secret])
}

#[derive(Clone)]
enum State {
    S256(Hmac<Sha256>),
    S384(Hmac<Sha384>),
    S512(Hmac<Sha512>),
}

debug_public!(HmacKey, "alg" => Self::algorithm);

impl HmacKey {
    /// A key for `alg` from the raw secret bytes.
    ///
    /// # Errors
    /// `KeyAlgorithmMismatch` (not an HS* `alg`), `HmacKeyTooShort` (secret
    /// shorter than the hash output).
    pub fn new(alg: Algorithm, secret: &[u8]) -> Result<Self> {
        super::kind::check(KeyKind::Hmac, alg)?;
        let min = alg.hash_len();
        if secret.len() < min {
            return Err(Error::HmacKeyTooShort {
                len: secret.len(),
                min,
            });
        }
        let bad = |_| Error::KeyMalformed;
        let state = match alg {
            Algorithm::Hs256 => State::S256(Hmac::new_from_slice(secret).map_err(bad)?),
            Algorithm::Hs384 => State::S384(Hmac::new_from_slice(secret).map_err(bad)?),
            _ => State::S512(Hmac::new_from_slice(secret).map_err(bad)?),
        };
        Ok(Self {
            state,
            fingerprint: fingerprint(secret),
        })
    }

    /// The algorithm this key makes MACs with.
    pub const fn algorithm(&self) -> Algorithm {
        match self.state {
            State::S256(_) => Algorithm::Hs256,
            State::S384(_) => Algorithm::Hs384,
            State::S512(_) => Algorithm::Hs512,
        }
    }

    /// Computes the MAC of `input` into `out`; returns its length.
    ///
    /// # Errors
    /// `SignatureLength` when `out` is shorter than the MAC.
    pub fn mac(&self, input: &[u8], out: &mut [u8]) -> Result<usize> {
        fn run<M: Mac + Clone>(m: &M, input: &[u8], out: &mut [u8]) -> Result<usize> {
            let mut m = m.clone();
            m.update(input);
            put_signature(&m.finalize().into_bytes(), out)
        }
        match &self.state {
            State::S256(m) => run(m, input, out),
            State::S384(m) => run(m, input, out),
            State::S512(m) => run(m, input, out),
        }
    }

    /// Checks `tag` against the MAC of `input`, in constant time.
    ///
    /// # Errors
    /// `SignatureLengthMismatch` (wrong length), `InvalidSignature`.
    pub fn verify(&self, input: &[u8], tag: &[u8]) -> Result<()> {
        fn run<M: Mac + Clone>(m: &M, input: &[u8], tag: &[u8]) -> bool {
            let mut m = m.clone();
            m.update(input);
            m.verify_slice(tag).is_ok()
        }
        let expected = self.algorithm().hash_len();
        if tag.len() != expected {
            return Err(Error::SignatureLengthMismatch {
                expected,
                actual: tag.len(),
            });
        }
        let ok = match &self.state {
            State::S256(m) => run(m, input, tag),
            State::S384(m) => run(m, input, tag),
            State::S512(m) => run(m, input, tag),
        };
        if ok {
            Ok(())
        } else {
            Err(Error::InvalidSignature)
        }
    }

    /// The signer for `alg`, which must be this key's.
    ///
    /// # Errors
    /// `KeyAlgorithmMismatch` (another HS* is `KeyAlgorithmMismatch` too:
    /// the key is bound to one).
    pub fn signer(&self, alg: Algorithm) -> Result<HmacSigner<'_>> {
        super::kind::check(KeyKind::Hmac, alg)?;
        if alg != self.algorithm() {
            return Err(Error::KeyAlgorithmMismatch {
                key: KeyKind::Hmac,
                alg,
            });
        }
        Ok(HmacSigner(self))
    }
}

/// An `HmacKey` is a [`JwsKey`] (for its one algorithm) with or without
/// `std`.
impl JwsKey for HmacKey {
    type Signer<'k> = HmacSigner<'k>;

    fn signer(&self, alg: Algorithm) -> Result<Self::Signer<'_>> {
        HmacKey::signer(self, alg)
    }

    fn fingerprint(&self) -> Option<[u8; 32]> {
        Some(self.fingerprint)
    }
}

/// The [`JwsSigner`] over a borrowed [`HmacKey`].
#[derive(Debug)]
pub struct HmacSigner<'a>(&'a HmacKey);

impl JwsSigner for HmacSigner<'_> {
    fn algorithm(&self) -> Algorithm {
        self.0.algorithm()
    }

    fn signature_len(&self) -> usize {
        self.0.algorithm().hash_len()
    }

    fn sign(&mut self, signing_input: &[u8], signature: &mut [u8]) -> Result<usize> {
        self.0.mac(signing_input, signature)
    }
}
