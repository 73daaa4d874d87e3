//! JWT claims set (RFC 7519 §4) for RFC 7523 assertions, borrowed and `Copy`.
//!
//! Members are written in this fixed order: `iss, sub, aud, exp, nbf, iat,
//! jti, scope`, then the extra claims in the caller's order. Absent members are
//! omitted.
//!
//! ```
//! use jwtmint::{Claims, ClaimValue};
//! let extra = [("tenant", ClaimValue::Str("acme")), ("admin", ClaimValue::Bool(false))];
//! let claims = Claims::new()
//!     .iss("3MVG9...consumer-key")
//!     .sub("user@example.com")
//!     .aud("https://login.salesforce.com")
//!     .exp(1_700_000_180)
//!     .extra(&extra);
//! let mut buf = [0u8; 256];
//! let n = claims.write_json(&mut buf).unwrap();
//! assert_eq!(
//!     core::str::from_utf8(&buf[..n]).unwrap(),
//!     r#"{"iss":"3MVG9...consumer-key","sub":"user@example.com","aud":"https://login.salesforce.com","exp":1700000180,"tenant":"acme","admin":false}"#
//! );
//! ```

use crate::error::{Error, Result};
use crate::json::check;
use crate::json::write::{self as json, ObjectWriter};
use crate::sink::{self, Sink};
use crate::time::check_numeric_date;

/// The `aud` claim: one string, or an array of strings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience<'a> {
    /// A single audience, written as a JSON string.
    One(&'a str),
    /// Several audiences, written as a JSON array (must not be empty).
    Many(&'a [&'a str]),
}

/// A JSON value that has been checked by [`RawJson::new`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RawJson<'a>(&'a str);

impl<'a> RawJson<'a> {
    /// Accepts `json` if it is exactly one valid JSON value (strict RFC 8259,
    /// nesting depth ≤ [`check::MAX_DEPTH`]).
    ///
    /// # Errors
    /// `InvalidRawJson` with the offset of the first error.
    pub fn new(json: &'a str) -> Result<Self> {
        check::validate(json)?;
        Ok(Self(json.trim_matches([' ', '\t', '\n', '\r'])))
    }

    /// The validated JSON text.
    pub const fn as_str(&self) -> &'a str {
        self.0
    }
}

/// The value of an extra (caller-defined) claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClaimValue<'a> {
    /// A JSON string (escaped on output).
    Str(&'a str),
    /// A JSON integer.
    Int(i64),
    /// `true` / `false`.
    Bool(bool),
    /// A pre-validated JSON value written verbatim.
    Raw(RawJson<'a>),
}

/// Registered claim names, which extra claims may not repeat.
const REGISTERED: [&str; 8] = ["iss", "sub", "aud", "exp", "nbf", "iat", "jti", "scope"];

/// A JWT claims set for an RFC 7523 assertion. Build with the chained setters
/// or fill the public fields directly.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Claims<'a> {
    /// `iss`: the issuer (client id / consumer key / service-account email).
    pub iss: Option<&'a str>,
    /// `sub`: the subject (user name, client id, delegated user).
    pub sub: Option<&'a str>,
    /// `aud`: the token endpoint or authorization server identifier.
    pub aud: Option<Audience<'a>>,
    /// `exp`: expiry, NumericDate seconds.
    pub exp: Option<i64>,
    /// `nbf`: not-before, NumericDate seconds.
    pub nbf: Option<i64>,
    /// `iat`: issued-at, NumericDate seconds.
    pub iat: Option<i64>,
    /// `jti`: unique assertion id.
    pub jti: Option<&'a str>,
    /// `scope`: space-separated scopes (Google).
    pub scope: Option<&'a str>,
    /// Extra claims, written after the registered ones in this order.
    pub extra: &'a [(&'a str, ClaimValue<'a>)],
}

impl<'a> Claims<'a> {
    /// An empty claims set.
    pub const fn new() -> Self {
        Self {
            iss: None,
            sub: None,
            aud: None,
            exp: None,
            nbf: None,
            iat: None,
            jti: None,
            scope: None,
            extra: &[],
        }
    }

    crate::setters::setters! {
        /// Sets `iss`.
        iss(v: &'a str) => Some;
        /// Sets `sub`.
        sub(v: &'a str) => Some;
    }

    /// Sets `aud` to a single string.
    #[must_use]
    pub const fn aud(mut self, v: &'a str) -> Self {
        self.aud = Some(Audience::One(v));
        self
    }

    /// Sets `aud` to an array of strings.
    #[must_use]
    pub const fn aud_many(mut self, v: &'a [&'a str]) -> Self {
        self.aud = Some(Audience::Many(v));
        self
    }

    crate::setters::setters! {
        /// Sets `exp` (seconds).
        exp(v: i64) => Some;
        /// Sets `nbf` (seconds).
        nbf(v: i64) => Some;
        /// Sets `iat` (seconds).
        iat(v: i64) => Some;
        /// Sets `jti`.
        jti(v: &'a str) => Some;
        /// Sets `scope`.
        scope(v: &'a str) => Some;
        /// Sets the extra claims.
        extra(v: &'a [(&'a str, ClaimValue<'a>)]);
    }

    /// Checks everything that can be wrong before any byte is written:
    /// NumericDates in seconds, `exp` after `iat`, a non-empty `aud` array,
    /// no duplicate claim names.
    ///
    /// # Errors
    /// The first problem found.
    pub fn validate(&self) -> Result<()> {
        for (name, v) in [("exp", self.exp), ("nbf", self.nbf), ("iat", self.iat)] {
            if let Some(v) = v {
                check_numeric_date(name, v)?;
            }
        }
        if let (Some(iat), Some(exp)) = (self.iat, self.exp)
            && exp <= iat
        {
            return Err(Error::ExpiryNotAfterIssuedAt { iat, exp });
        }
        if let Some(Audience::Many(list)) = self.aud
            && list.is_empty()
        {
            return Err(Error::EmptyAudience);
        }
        for (index, (name, _)) in self.extra.iter().enumerate() {
            let clash_registered = REGISTERED.contains(name);
            let clash_extra = self
                .extra
                .iter()
                .take(index)
                .any(|(other, _)| other == name);
            if clash_registered || clash_extra {
                return Err(Error::DuplicateClaim { index });
            }
        }
        Ok(())
    }

    /// Writes the claims JSON into `sink` (no validation: callers validate first).
    pub(crate) fn emit<S: Sink + ?Sized>(&self, sink: &mut S) -> Result<()> {
        let mut obj = ObjectWriter::begin(sink)?;
        if let Some(v) = self.iss {
            obj.str_member(b"\"iss\":", v)?;
        }
        if let Some(v) = self.sub {
            obj.str_member(b"\"sub\":", v)?;
        }
        match self.aud {
            Some(Audience::One(v)) => obj.str_member(b"\"aud\":", v)?,
            Some(Audience::Many(list)) => {
                let s = obj.plain_key(b"\"aud\":")?;
                s.put(b"[")?;
                for (i, v) in list.iter().enumerate() {
                    if i > 0 {
                        s.put(b",")?;
                    }
                    json::string(s, v)?;
                }
                s.put(b"]")?;
            }
            None => {}
        }
        for (key, v) in [
            (&b"\"exp\":"[..], self.exp),
            (b"\"nbf\":", self.nbf),
            (b"\"iat\":", self.iat),
        ] {
            if let Some(v) = v {
                json::int(obj.plain_key(key)?, v)?;
            }
        }
        if let Some(v) = self.jti {
            obj.str_member(b"\"jti\":", v)?;
        }
        if let Some(v) = self.scope {
            obj.str_member(b"\"scope\":", v)?;
        }
        for (name, value) in self.extra {
            let s = obj.key(name)?;
            match *value {
                ClaimValue::Str(v) => json::string(s, v)?,
                ClaimValue::Int(v) => json::int(s, v)?,
                ClaimValue::Bool(v) => s.put(if v { b"true" } else { b"false" })?,
                ClaimValue::Raw(v) => s.put(v.as_str().as_bytes())?,
            }
        }
        obj.end()
    }

    /// Exact JSON length of claims that are already validated, counted
    /// without dynamic dispatch (the C ABI's up-front length check).
    #[cfg(feature = "ffi")]
    pub(crate) fn emitted_len(&self) -> Result<usize> {
        let mut counter = sink::Counter::default();
        self.emit(&mut counter)?;
        Ok(counter.len)
    }

    /// Exact length of [`Claims::write_json`]'s output.
    ///
    /// # Errors
    /// As [`Claims::validate`].
    pub fn json_len(&self) -> Result<usize> {
        self.validate()?;
        sink::measure(|s| self.emit(s))
    }

    /// Validates and writes the claims JSON into `out`, returning its length.
    ///
    /// # Errors
    /// As [`Claims::validate`]; `BufferTooSmall` with the exact length needed.
    pub fn write_json(&self, out: &mut [u8]) -> Result<usize> {
        self.validate()?;
        sink::write_exact(out, |s| self.emit(s))
    }
}
