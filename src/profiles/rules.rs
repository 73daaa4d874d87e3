//! Field and lifetime rules shared by the profiles.

use crate::error::{Error, Result};

/// Capacity of each text field a profile owns (client ids, user names,
/// e-mail addresses, URLs).
pub const FIELD_CAPACITY: usize = 256;

/// A text field owned by a profile.
pub(crate) type Text = heapless::String<FIELD_CAPACITY>;

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

/// Copies a checked, non-empty `v` into a fixed-capacity string owned by the
/// profile (profiles own their configuration: no lifetimes, no allocation).
pub(crate) fn owned(field: &'static str, v: &str) -> Result<Text> {
    non_empty(field, v)?;
    heapless::String::try_from(v).map_err(|_| Error::InvalidField {
        field,
        reason: "longer than the profile's capacity (FIELD_CAPACITY bytes)",
    })
}

/// Writes one length-prefixed field (so `("ab","c")` and `("a","bc")` differ).
pub(crate) fn field(state: &mut dyn core::hash::Hasher, bytes: &[u8]) {
    state.write_usize(bytes.len());
    state.write(bytes);
}

/// The `jti` a provider requires: `InvalidField { field: "jti" }` naming the
/// provider's rule when none is given (the mint path draws one with `std`).
pub(crate) fn required_jti<'s>(jti: Option<&'s str>, rule: &'static str) -> Result<&'s str> {
    jti.ok_or(Error::InvalidField {
        field: "jti",
        reason: rule,
    })
}

/// Refuses an algorithm the provider does not accept.
pub(crate) fn check_algorithm(
    alg: crate::alg::Algorithm,
    allowed: &[crate::alg::Algorithm],
    rule: &'static str,
) -> Result<()> {
    if allowed.contains(&alg) {
        Ok(())
    } else {
        Err(Error::InvalidField {
            field: "alg",
            reason: rule,
        })
    }
}

/// Refuses a value longer than a provider's documented limit.
pub(crate) fn max_len(field: &'static str, v: &str, max: usize, rule: &'static str) -> Result<()> {
    if v.len() > max {
        return Err(Error::InvalidField {
            field,
            reason: rule,
        });
    }
    Ok(())
}

/// The `with_lifetime` setter of a profile with a `lifetime` field: `1..=`
/// `$max` seconds of `$span` (`exp - now`, ...); `$max_doc` is the maximum as
/// the docs say it.
macro_rules! with_lifetime {
    ($max:expr, $span:literal, $max_doc:literal) => {
        #[doc = concat!("Sets the lifetime (`", $span, "`), 1..=", $max_doc, " seconds.")]
        ///
        /// # Errors
        #[doc = concat!("`LifetimeTooLong` above ", $max_doc, " s, `LifetimeNotPositive` below 1 s.")]
        pub fn with_lifetime(mut self, seconds: i64) -> $crate::error::Result<Self> {
            $crate::profiles::rules::check_lifetime(seconds, $max)?;
            self.lifetime = seconds;
            Ok(self)
        }
    };
}
pub(crate) use with_lifetime;

/// `Profile::name` (`$name`) and `Profile::header` (the `header` field) of a
/// profile that encodes its header once.
macro_rules! name_and_header {
    ($name:literal) => {
        fn name(&self) -> &'static str {
            $name
        }

        fn header(&self) -> &$crate::header::HeaderTemplate {
            &self.header
        }
    };
}
pub(crate) use name_and_header;

/// The `Profile` methods of a profile whose assertion lives for its
/// `lifetime` field, at most `$max` seconds: [`name_and_header!`],
/// `Profile::limits` (`Limits` as the caller imports it: this module is
/// below `profile.rs`) and `Profile::claims` — what `$claims` builds from
/// the profile `$p` at `$now` (an expression; `?` returns its error), with
/// `exp` = now + lifetime and the caller's `jti`.
macro_rules! timed_profile {
    ($name:literal, $max:expr, |$p:ident, $now:ident| $claims:expr) => {
        $crate::profiles::rules::name_and_header!($name);

        fn limits(&self) -> Limits {
            Limits::new(self.lifetime, Some($max))
        }

        fn claims<'s>(
            &'s self,
            $now: i64,
            jti: Option<&'s str>,
        ) -> $crate::error::Result<$crate::claims::Claims<'s>> {
            let $p = self;
            let claims = $claims;
            let exp = $crate::profiles::rules::expiry($now, self.lifetime, $max)?;
            Ok($crate::claims::Claims {
                jti,
                ..claims.exp(exp)
            })
        }
    };
}
pub(crate) use timed_profile;
