//! Field and lifetime rules shared by the profiles.

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
