//! Profiles that own their key: [`KeyedProfile`] and its mint
//! ([`mint_keyed`]), so a profile read from a file that carries the key
//! (a Box `config.json`, a Google service-account file) mints without the
//! caller passing the key again. [`BoxApp`](super::BoxApp) owns its key;
//! [`WithKey`] pairs any profile with its key (a Google profile with its
//! [`ServiceAccount`](super::ServiceAccount), which is a [`JwsKey`] itself).
//!
//! ```
//! # #[cfg(feature = "std")] {
//! use jwtmint::profiles::{Google, ServiceAccount, WithKey, mint_keyed};
//! # let json = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/demo-service-account.json")).unwrap();
//! let sa = ServiceAccount::from_json(&json)?;
//! let google = WithKey::new(Google::new(&sa, &["https://www.googleapis.com/auth/cloud-platform"])?, &sa);
//! let mut out = [0u8; 1200];
//! let n = mint_keyed(&google, 1_700_000_000, None, &mut out)?;
//! # assert!(n > 0);
//! # }
//! # Ok::<(), jwtmint::Error>(())
//! ```

use core::ops::Deref;

use crate::error::Result;
use crate::signer::JwsKey;

use super::mint::{mint_profile, mint_profile_len};
use super::profile::Profile;

/// A [`Profile`] together with the key it signs with.
pub trait KeyedProfile {
    /// The profile (`Self` for a profile that holds its key).
    type Profile: Profile + ?Sized;
    /// The key type.
    type Key: JwsKey + ?Sized;

    /// The profile: what sessions and `mint_profile` take.
    fn profile(&self) -> &Self::Profile;

    /// The key the profile signs with.
    fn key(&self) -> &Self::Key;
}

/// Mints `profile`'s assertion with its own key: [`mint_profile`] with
/// `profile.key()`.
///
/// # Errors
/// As [`mint_profile`].
pub fn mint_keyed<P: KeyedProfile + ?Sized>(
    profile: &P,
    now: i64,
    jti: Option<&str>,
    out: &mut [u8],
) -> Result<usize> {
    mint_profile(profile.profile(), profile.key(), now, jti, out)
}

/// Exact length of [`mint_keyed`]'s output.
///
/// # Errors
/// As [`mint_profile_len`].
pub fn mint_keyed_len<P: KeyedProfile + ?Sized>(
    profile: &P,
    now: i64,
    jti: Option<&str>,
) -> Result<usize> {
    mint_profile_len(profile.profile(), profile.key(), now, jti)
}

/// [`mint_keyed`] into a `String` of exactly the right size.
///
/// # Errors
/// As [`mint_keyed`].
#[cfg(feature = "alloc")]
#[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
pub fn mint_keyed_string<P: KeyedProfile + ?Sized>(
    profile: &P,
    now: i64,
    jti: Option<&str>,
) -> Result<alloc::string::String> {
    super::mint::mint_profile_string(profile.profile(), profile.key(), now, jti)
}

/// A profile paired with its key (`&SigningKey`, `Arc<SigningKey>`,
/// `&ServiceAccount`, any pointer to a [`JwsKey`]).
#[derive(Clone, Debug)]
pub struct WithKey<P, K> {
    profile: P,
    key: K,
}

impl<P, K> WithKey<P, K> {
    /// Pairs `profile` with `key`.
    pub const fn new(profile: P, key: K) -> Self {
        Self { profile, key }
    }

    /// The profile and the key, apart again.
    pub fn into_parts(self) -> (P, K) {
        (self.profile, self.key)
    }
}

impl<P: Profile, K: Deref> KeyedProfile for WithKey<P, K>
where
    K::Target: JwsKey,
{
    type Profile = P;
    type Key = K::Target;

    fn profile(&self) -> &P {
        &self.profile
    }

    fn key(&self) -> &K::Target {
        &self.key
    }
}

/// Box: the profile shares its config, and so its key.
#[cfg(feature = "std")]
impl KeyedProfile for super::boxcom::BoxApp {
    type Profile = Self;
    type Key = crate::keys::SigningKey;

    fn profile(&self) -> &Self {
        self
    }

    fn key(&self) -> &crate::keys::SigningKey {
        super::boxcom::BoxApp::key(self)
    }
}

/// A service account signs with the key from its file.
#[cfg(feature = "alloc")]
impl JwsKey for super::google::ServiceAccount {
    type Signer<'k> = <crate::keys::SigningKey as JwsKey>::Signer<'k>;

    fn signer(&self, alg: crate::alg::Algorithm) -> Result<Self::Signer<'_>> {
        JwsKey::signer(self.key(), alg)
    }

    fn fingerprint(&self) -> Option<[u8; 32]> {
        JwsKey::fingerprint(self.key())
    }
}
