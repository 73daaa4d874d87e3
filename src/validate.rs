//! Claim validation with an explicit policy. No clock inside: the caller
//! passes `now` (seconds since 1970). All arithmetic saturates.
//!
//! Rules (RFC 7519 §4.1): `exp` — valid while `now < exp + leeway`; `nbf` —
//! valid once `now >= nbf - leeway`; `iat` — refused if `iat > now + leeway`.
//! The maximum lifetime is `exp - iat` (or `exp - now` without `iat`).
//! A NumericDate above [`MAX_NUMERIC_DATE`](crate::time::MAX_NUMERIC_DATE)
//! (10^11: milliseconds, not seconds) is refused with
//! `TimestampInMilliseconds`, as when minting.
//!
//! ```
//! use jwtmint::validate::Validation;
//! let claims = jwtmint::parse::parse_claims(br#"{"aud":["x","api"],"exp":110,"iat":100}"#).unwrap();
//! let policy = Validation::new().audience("api").max_lifetime(60);
//! assert_eq!(policy.validate(&claims, 105), Ok(()));
//! assert!(policy.validate(&claims, 110).is_err());
//! assert_eq!(policy.leeway(5).validate(&claims, 110), Ok(()));
//! ```

use crate::error::{Error, Result};
use crate::parse::JwtClaims;

/// What a token's claims must satisfy. `Copy`; build once, use many times.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Validation<'p> {
    leeway: i64,
    require_exp: bool,
    require_iat: bool,
    require_nbf: bool,
    audiences: &'p [&'p str],
    audience: Option<&'p str>,
    issuer: Option<&'p str>,
    subject: Option<&'p str>,
    max_lifetime: Option<i64>,
}

impl Default for Validation<'_> {
    fn default() -> Self {
        Self::new()
    }
}

impl<'p> Validation<'p> {
    /// Leeway 0, `exp` required, nothing else checked.
    pub const fn new() -> Self {
        Self {
            leeway: 0,
            require_exp: true,
            require_iat: false,
            require_nbf: false,
            audiences: &[],
            audience: None,
            issuer: None,
            subject: None,
            max_lifetime: None,
        }
    }

    /// Clock-skew leeway in seconds (negative values count as 0).
    #[must_use]
    pub const fn leeway(mut self, seconds: i64) -> Self {
        self.leeway = if seconds < 0 { 0 } else { seconds };
        self
    }

    /// Accept a token without `exp` (by default `exp` is required: a token
    /// that never expires is refused). The unsafe choice, named as such; the
    /// C ABI's `jwtmint_validation.allow_missing_exp` is the same switch.
    #[must_use]
    pub const fn allow_missing_exp(mut self, allow: bool) -> Self {
        self.require_exp = !allow;
        self
    }

    crate::setters::setters! {
        /// Whether `iat` must be present (default false).
        require_iat(yes: bool);
        /// Whether `nbf` must be present (default false).
        require_nbf(yes: bool);
        /// `aud` must be (or contain) `aud`.
        audience(aud: &'p str) => Some;
        /// `aud` must be (or contain) one of `auds`.
        audiences(auds: &'p [&'p str]);
        /// `iss` must equal `iss`.
        issuer(iss: &'p str) => Some;
        /// `sub` must equal `sub`.
        subject(sub: &'p str) => Some;
    }

    /// `exp − iat` (or `exp − now`) must not exceed `seconds`; implies `exp` required.
    #[must_use]
    pub const fn max_lifetime(mut self, seconds: i64) -> Self {
        self.max_lifetime = Some(seconds);
        self.require_exp = true;
        self
    }

    /// Checks `claims` at `now`.
    ///
    /// # Errors
    /// `MissingClaim`, `TimestampInMilliseconds`, `Expired`, `NotYetValid`,
    /// `IssuedInFuture`, `LifetimeTooLong`, `ClaimMismatch`.
    pub fn validate(&self, claims: &JwtClaims<'_>, now: i64) -> Result<()> {
        let need = |present: bool, yes: bool, claim| {
            if yes && !present {
                Err(Error::MissingClaim { claim })
            } else {
                Ok(())
            }
        };
        need(claims.exp.is_some(), self.require_exp, "exp")?;
        need(claims.iat.is_some(), self.require_iat, "iat")?;
        need(claims.nbf.is_some(), self.require_nbf, "nbf")?;
        for (claim, value) in [
            ("exp", claims.exp),
            ("nbf", claims.nbf),
            ("iat", claims.iat),
        ] {
            if let Some(v) = value {
                // Parsing already refused negative values; this is the
                // milliseconds check minting applies.
                crate::time::check_numeric_date(claim, v)?;
            }
        }
        if let Some(exp) = claims.exp
            && now >= exp.saturating_add(self.leeway)
        {
            return Err(Error::Expired { exp, now });
        }
        if let Some(nbf) = claims.nbf
            && now < nbf.saturating_sub(self.leeway)
        {
            return Err(Error::NotYetValid { nbf, now });
        }
        if let Some(iat) = claims.iat
            && iat > now.saturating_add(self.leeway)
        {
            return Err(Error::IssuedInFuture { iat, now });
        }
        if let (Some(max), Some(exp)) = (self.max_lifetime, claims.exp) {
            let lifetime = exp.saturating_sub(claims.iat.unwrap_or(now));
            if lifetime > max {
                return Err(Error::LifetimeTooLong { lifetime, max });
            }
        }
        if self.audience.is_some() || !self.audiences.is_empty() {
            let aud = claims.aud.ok_or(Error::MissingClaim { claim: "aud" })?;
            let ok = self.audience.is_some_and(|a| aud.contains(a))
                || self.audiences.iter().any(|a| aud.contains(a));
            if !ok {
                return Err(Error::ClaimMismatch { claim: "aud" });
            }
        }
        for (want, got, claim) in [
            (self.issuer, claims.iss, "iss"),
            (self.subject, claims.sub, "sub"),
        ] {
            if let Some(want) = want {
                let got = got.ok_or(Error::MissingClaim { claim })?;
                if !got.eq_str(want) {
                    return Err(Error::ClaimMismatch { claim });
                }
            }
        }
        Ok(())
    }
}
