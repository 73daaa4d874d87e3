//! The key of a C session (`jwtmint_session_new`): the caller's signing key
//! (or a Google profile's own), or none for a profile whose grants mint
//! nothing (`jwtmint_custom_profile_new`).

use alloc::boxed::Box;

use super::key::{KeyRef, jwtmint_key};
use super::profiles::jwtmint_profile;
use super::result::jwtmint_result;
use crate::alg::Algorithm;
use crate::error::{Error, Result};
use crate::signer::{JwsKey, NoKey};

/// The key a C session signs with: the caller's (a parsed key or a signer
/// callback) or a Google or Box profile's own, or none when the profile
/// mints nothing (a custom endpoint).
pub(crate) enum SessionKey {
    /// Signs with this key (borrowed: it outlives the session).
    Signing(KeyRef<'static>),
    /// Mints nothing.
    None,
}

impl JwsKey for SessionKey {
    type Signer<'k> = <KeyRef<'static> as JwsKey>::Signer<'k>;

    fn signer(&self, alg: Algorithm) -> Result<Self::Signer<'_>> {
        match self {
            Self::Signing(k) => k.signer(alg),
            Self::None => Err(Error::UnsupportedAlgorithm),
        }
    }

    fn fingerprint(&self) -> Option<[u8; 32]> {
        match self {
            Self::Signing(k) => k.fingerprint(),
            Self::None => NoKey.fingerprint(),
        }
    }
}

/// The key for a session of `p` given `key`: a profile whose grants mint
/// nothing takes NULL (`KEY_NOT_USED` for a key); any other profile
/// signs as before (`jwtmint_profile::signing_key`).
pub(crate) fn session_key(
    p: &'static jwtmint_profile,
    key: Option<&'static jwtmint_key>,
) -> core::result::Result<Box<SessionKey>, jwtmint_result> {
    let mints = p.profile().grants().is_none_or(|g| g.mints());
    match (mints, key) {
        (false, None) => Ok(Box::new(SessionKey::None)),
        (false, Some(_)) => Err(jwtmint_result::JWTMINT_RESULT_KEY_NOT_USED),
        (true, k) => p.signing_key(k).map(|k| Box::new(SessionKey::Signing(k))),
    }
}
