//! The claims set as C structs, and its conversion to [`crate::Claims`].

use alloc::vec::Vec;

use super::result::jwtmint_result;
use super::util::{array, utf8};
use crate::claims::{Audience, ClaimValue, Claims, RawJson};

/// A string passed by pointer and length (not NUL-terminated), UTF-8.
///
/// `ptr == NULL` means **absent** (for optional fields; `len` is then
/// ignored). A non-NULL `ptr` with `len == 0` is the empty string.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct jwtmint_str {
    /// First byte, or NULL for "absent".
    pub ptr: *const u8,
    /// Length in bytes.
    pub len: usize,
}

impl jwtmint_str {
    /// `None` for NULL, else the checked UTF-8 text.
    ///
    /// # Safety
    /// `ptr` must be NULL or valid for reads of `len` bytes for `'a`.
    pub(crate) unsafe fn optional<'a>(&self) -> Result<Option<&'a str>, jwtmint_result> {
        if self.ptr.is_null() {
            return Ok(None);
        }
        // SAFETY: forwarded caller contract.
        unsafe { self.required() }.map(Some)
    }

    /// The checked UTF-8 text; NULL gives `JWTMINT_RESULT_NULL_ARGUMENT`.
    ///
    /// # Safety
    /// As [`jwtmint_str::optional`].
    pub(crate) unsafe fn required<'a>(&self) -> Result<&'a str, jwtmint_result> {
        // SAFETY: forwarded caller contract.
        unsafe { utf8(self.ptr, self.len) }
    }

    /// The checked UTF-8 texts of a required array of `n` strings at `p`
    /// (NULL allowed when `n == 0`); a NULL string in it is
    /// `JWTMINT_RESULT_NULL_ARGUMENT`.
    ///
    /// # Safety
    /// `p` must be NULL or valid for reads of `n` strings, each valid as in
    /// [`jwtmint_str::optional`], for `'a`.
    pub(crate) unsafe fn list<'a>(
        p: *const Self,
        n: usize,
    ) -> Result<Vec<&'a str>, jwtmint_result> {
        // SAFETY: forwarded caller contract.
        let list = unsafe { array(p, n) }?;
        let mut v = Vec::with_capacity(list.len());
        for s in list {
            // SAFETY: forwarded caller contract.
            v.push(unsafe { s.required() }?);
        }
        Ok(v)
    }
}

/// The kind of an extra claim's value (the `kind` field of
/// `jwtmint_extra_claim`).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum jwtmint_claim_kind {
    /// `string_value` as a JSON string (escaped on output).
    JWTMINT_CLAIM_STRING = 0,
    /// `int_value` as a JSON integer.
    JWTMINT_CLAIM_INT = 1,
    /// `bool_value` as `true` / `false`.
    JWTMINT_CLAIM_BOOL = 2,
    /// `string_value` as raw JSON, written verbatim after validation
    /// (`JWTMINT_RESULT_INVALID_RAW_JSON` if it is not one valid JSON value).
    JWTMINT_CLAIM_RAW_JSON = 3,
}

/// One extra (caller-defined) claim. Only the value field that `kind` names
/// is read.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct jwtmint_extra_claim {
    /// Claim name (required, non-NULL). Must not repeat a registered claim
    /// (`iss sub aud exp nbf iat jti scope`) or another extra claim.
    pub name: jwtmint_str,
    /// A `jwtmint_claim_kind` value; anything else gives
    /// `JWTMINT_RESULT_INVALID_ARGUMENT`.
    pub kind: u32,
    /// Value for `JWTMINT_CLAIM_STRING` and `JWTMINT_CLAIM_RAW_JSON` (required for those).
    pub string_value: jwtmint_str,
    /// Value for `JWTMINT_CLAIM_INT`.
    pub int_value: i64,
    /// Value for `JWTMINT_CLAIM_BOOL`.
    pub bool_value: bool,
}

/// The JWT claims set of an RFC 7523 assertion.
///
/// Zero-initialise it (`jwtmint_claims c = {0};` in C, `{}` in C++): every
/// field is then absent. Strings are absent when their `ptr` is NULL; the
/// NumericDates `exp`, `nbf`, `iat` (whole **seconds** since 1970) are present
/// only when their `has_*` flag is true. Members are written in the order
/// `iss, sub, aud, exp, nbf, iat, jti, scope`, then the extra claims.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct jwtmint_claims {
    /// `iss`: issuer (client id, consumer key, service-account email).
    pub iss: jwtmint_str,
    /// `sub`: subject.
    pub sub: jwtmint_str,
    /// `aud` as a single JSON string. Leave absent when using `aud_list`.
    pub aud: jwtmint_str,
    /// `aud` as a JSON array of `aud_count` strings, used when non-NULL
    /// (`aud_count == 0` gives `JWTMINT_RESULT_EMPTY_AUDIENCE`). Setting both
    /// `aud` and `aud_list` gives `JWTMINT_RESULT_INVALID_ARGUMENT`.
    pub aud_list: *const jwtmint_str,
    /// Number of entries in `aud_list`.
    pub aud_count: usize,
    /// Whether `exp` is present.
    pub has_exp: bool,
    /// `exp`: expiry, NumericDate seconds.
    pub exp: i64,
    /// Whether `nbf` is present.
    pub has_nbf: bool,
    /// `nbf`: not-before, NumericDate seconds.
    pub nbf: i64,
    /// Whether `iat` is present.
    pub has_iat: bool,
    /// `iat`: issued-at, NumericDate seconds.
    pub iat: i64,
    /// `jti`: unique assertion id.
    pub jti: jwtmint_str,
    /// `scope`: space-separated scopes (Google).
    pub scope: jwtmint_str,
    /// Extra claims, `extra_count` entries (NULL allowed when 0).
    pub extra: *const jwtmint_extra_claim,
    /// Number of entries in `extra`.
    pub extra_count: usize,
}

/// A `jwtmint_claims` checked and borrowed as Rust values.
pub(crate) struct ParsedClaims<'a> {
    base: Claims<'a>,
    aud_list: Option<Vec<&'a str>>,
    extra: Vec<(&'a str, ClaimValue<'a>)>,
}

impl<'a> ParsedClaims<'a> {
    /// Checks pointers, UTF-8 and enum values. Heap use only for an `aud`
    /// list or extra claims.
    ///
    /// # Safety
    /// Every pointer in `c` must be NULL or valid as documented on
    /// `jwtmint_claims`, for `'a`.
    pub(crate) unsafe fn new(c: &jwtmint_claims) -> Result<Self, jwtmint_result> {
        let flag = |has: bool, v: i64| has.then_some(v);
        let base = Claims {
            // SAFETY: forwarded caller contract on `c.iss`.
            iss: unsafe { c.iss.optional() }?,
            // SAFETY: forwarded caller contract on `c.sub`.
            sub: unsafe { c.sub.optional() }?,
            // SAFETY: forwarded caller contract on `c.aud`.
            aud: unsafe { c.aud.optional() }?.map(Audience::One),
            exp: flag(c.has_exp, c.exp),
            nbf: flag(c.has_nbf, c.nbf),
            iat: flag(c.has_iat, c.iat),
            // SAFETY: forwarded caller contract on `c.jti`.
            jti: unsafe { c.jti.optional() }?,
            // SAFETY: forwarded caller contract on `c.scope`.
            scope: unsafe { c.scope.optional() }?,
            extra: &[],
        };
        let aud_list = if c.aud_list.is_null() {
            None
        } else {
            if base.aud.is_some() {
                return Err(jwtmint_result::JWTMINT_RESULT_INVALID_ARGUMENT);
            }
            // SAFETY: non-NULL; the caller promises `aud_count` valid entries.
            Some(unsafe { jwtmint_str::list(c.aud_list, c.aud_count) }?)
        };
        // SAFETY: the caller promises `extra_count` valid entries (or NULL with 0).
        let extra_in = unsafe { array(c.extra, c.extra_count) }?;
        let mut extra = Vec::with_capacity(extra_in.len());
        for e in extra_in {
            // SAFETY: forwarded caller contract.
            let name = unsafe { e.name.required() }?;
            let value = match e.kind {
                // SAFETY: forwarded caller contract.
                0 => ClaimValue::Str(unsafe { e.string_value.required() }?),
                1 => ClaimValue::Int(e.int_value),
                2 => ClaimValue::Bool(e.bool_value),
                3 => {
                    // SAFETY: forwarded caller contract.
                    let s = unsafe { e.string_value.required() }?;
                    ClaimValue::Raw(RawJson::new(s)?)
                }
                _ => return Err(jwtmint_result::JWTMINT_RESULT_INVALID_ARGUMENT),
            };
            extra.push((name, value));
        }
        Ok(Self {
            base,
            aud_list,
            extra,
        })
    }

    /// The core claims set, borrowing this value.
    pub(crate) fn claims(&self) -> Claims<'_> {
        let mut c = self.base;
        if let Some(list) = &self.aud_list {
            c.aud = Some(Audience::Many(list));
        }
        c.extra = &self.extra;
        c
    }
}
