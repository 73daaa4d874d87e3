//! Provider profiles: name the provider and the library gets `aud`, lifetimes,
//! headers and the request body right. Each profile encodes its header once,
//! mints into a caller buffer like [`crate::mint`] (no allocation on the
//! encode path), and exposes its token endpoint and form body.
//!
//! Rules and their sources are in each module's docs (see also
//! `../shared/vectors/providers/` in the repository's test material).

pub mod entra;
pub mod generic;
#[cfg(feature = "alloc")]
pub mod google;
pub mod salesforce;
mod url;

pub use entra::{Entra, Thumbprint};
pub use generic::Rfc7523;
#[cfg(feature = "alloc")]
pub use google::{Google, ServiceAccount};
pub use salesforce::{Login, Salesforce};

use crate::error::{Error, Result};

/// `now + lifetime`, refusing non-positive lifetimes, lifetimes above `max`,
/// and overflow.
pub(crate) fn expiry(now: i64, lifetime: i64, max: i64) -> Result<i64> {
    check_lifetime(lifetime, max)?;
    now.checked_add(lifetime).ok_or(Error::LengthOverflow)
}

pub(crate) fn check_lifetime(lifetime: i64, max: i64) -> Result<()> {
    if lifetime < 1 {
        return Err(Error::LifetimeNotPositive);
    }
    if lifetime > max {
        return Err(Error::LifetimeTooLong { lifetime, max });
    }
    Ok(())
}

pub(crate) fn non_empty(field: &'static str, v: &str) -> Result<()> {
    if v.is_empty() {
        return Err(Error::InvalidField {
            field,
            reason: "must not be empty",
        });
    }
    if v.trim() != v {
        return Err(Error::InvalidField {
            field,
            reason: "has leading or trailing whitespace",
        });
    }
    Ok(())
}
