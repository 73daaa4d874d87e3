//! Generic RFC 7523 assertions with every claim explicit.
//!
//! RFC 7523 §3: the JWT MUST contain `iss`, `sub`, `aud` and `exp`; §2.2 client
//! authentication uses `iss` = `sub` = the client id. Nothing is defaulted.
//!
//! ```
//! use jwtmint::profiles::Rfc7523;
//! let c = Rfc7523::grant("client-1", "user-1", "https://as.example.com/token", 1_700_000_000, 1_700_000_300).unwrap();
//! assert_eq!(c.sub, Some("user-1"));
//! let a = Rfc7523::client_assertion("client-1", "https://as.example.com/token", "id-1", 1_700_000_000, 1_700_000_300).unwrap();
//! assert_eq!(a.iss, a.sub);
//! ```

use crate::claims::{Audience, Claims};
use crate::error::{Error, Result};

use super::rules::non_empty;

/// Builders for the two RFC 7523 uses.
#[derive(Clone, Copy, Debug)]
pub struct Rfc7523;

impl Rfc7523 {
    /// Authorization-grant claims (§2.1): `iss, sub, aud, exp, iat`.
    ///
    /// # Errors
    /// `InvalidField` for an empty value; time errors from [`Claims::validate`].
    pub fn grant<'a>(
        iss: &'a str,
        sub: &'a str,
        aud: &'a str,
        iat: i64,
        exp: i64,
    ) -> Result<Claims<'a>> {
        non_empty("iss", iss)?;
        non_empty("sub", sub)?;
        non_empty("aud", aud)?;
        let c = Claims::new().iss(iss).sub(sub).aud(aud).iat(iat).exp(exp);
        c.validate()?;
        Ok(c)
    }

    /// Client-authentication claims (§2.2): `iss` = `sub` = `client_id`,
    /// `aud`, `jti`, `iat`, `exp`.
    ///
    /// # Errors
    /// As [`Rfc7523::grant`].
    pub fn client_assertion<'a>(
        client_id: &'a str,
        aud: &'a str,
        jti: &'a str,
        iat: i64,
        exp: i64,
    ) -> Result<Claims<'a>> {
        non_empty("jti", jti)?;
        let c = Self::grant(client_id, client_id, aud, iat, exp)?.jti(jti);
        Ok(c)
    }

    /// Checks that `claims` carries what RFC 7523 §3 requires: `iss`, `sub`,
    /// `aud` and `exp`, plus everything [`Claims::validate`] checks.
    ///
    /// # Errors
    /// `InvalidField` naming the first missing claim.
    pub fn check(claims: &Claims<'_>) -> Result<()> {
        let missing = |field| {
            Err(Error::InvalidField {
                field,
                reason: "required by RFC 7523 §3",
            })
        };
        if claims.iss.is_none_or(str::is_empty) {
            return missing("iss");
        }
        if claims.sub.is_none_or(str::is_empty) {
            return missing("sub");
        }
        match claims.aud {
            None | Some(Audience::One("")) => return missing("aud"),
            _ => {}
        }
        if claims.exp.is_none() {
            return missing("exp");
        }
        claims.validate()
    }
}
