//! The one JWK reader (RFC 7517): validates the object strictly (the crate's
//! JSON validator: duplicates, BOM, depth, escapes) and hands out members as
//! strings or decoded Base64Url bytes. Used by the public-key JWK parser
//! (`keys::public`) and the private-key one (`formats::jwk`).

use alloc::vec;
use alloc::vec::Vec;

use zeroize::Zeroizing;

use crate::error::{Error, JsonPart, Result};
use crate::json::view::{JsonStr, Members, raw_string};

/// A validated JWK object.
#[derive(Clone, Debug)]
pub(crate) struct JwkObject<'a> {
    members: Members<'a>,
    kty: JsonStr<'a>,
}

impl<'a> JwkObject<'a> {
    /// Validates `json` as one JSON object and reads its `kty`.
    ///
    /// # Errors
    /// The JSON errors with `part: Jwk`; `InvalidMemberType { name: "kty" }`
    /// when `kty` is absent or not a string.
    pub(crate) fn parse(json: &'a str) -> Result<Self> {
        crate::json::check::validate_object(json, JsonPart::Jwk)?;
        let members = Members::new(json);
        let kty =
            members
                .clone()
                .get("kty")
                .and_then(raw_string)
                .ok_or(Error::InvalidMemberType {
                    part: JsonPart::Jwk,
                    name: "kty",
                })?;
        Ok(Self { members, kty })
    }

    /// The key type (`RSA`, `EC`, `OKP`, `oct`).
    pub(crate) const fn kty(&self) -> JsonStr<'a> {
        self.kty
    }

    /// The raw JSON text of member `name`, if present.
    pub(crate) fn raw(&self, name: &str) -> Option<&'a str> {
        self.members.clone().get(name)
    }

    /// Member `name` as a string, if present.
    ///
    /// # Errors
    /// `InvalidMemberType` when present but not a string.
    pub(crate) fn string(&self, name: &'static str) -> Result<Option<JsonStr<'a>>> {
        match self.raw(name) {
            None => Ok(None),
            Some(raw) => raw_string(raw).map(Some).ok_or(Error::InvalidMemberType {
                part: JsonPart::Jwk,
                name,
            }),
        }
    }

    /// Member `name` decoded from canonical Base64Url into a zeroizing buffer
    /// (private members are secrets), if present.
    ///
    /// # Errors
    /// `InvalidMemberType` when not a string, `InvalidBase64` when escaped
    /// (Base64Url never needs escapes) or not canonical unpadded Base64Url.
    pub(crate) fn bytes(&self, name: &'static str) -> Result<Option<Zeroizing<Vec<u8>>>> {
        let Some(s) = self.string(name)? else {
            return Ok(None);
        };
        let s = s.as_str().ok_or(Error::InvalidBase64)?;
        let mut out = Zeroizing::new(vec![0u8; crate::base64url::decoded_len_max(s.len())]);
        let n = crate::base64url::decode(s.as_bytes(), &mut out)?;
        out.truncate(n);
        Ok(Some(out))
    }

    /// Member `name` decoded as [`JwkObject::bytes`], required.
    ///
    /// # Errors
    /// As [`JwkObject::bytes`]; `JwkMember { reason: "missing" }` when absent.
    pub(crate) fn required(&self, name: &'static str) -> Result<Zeroizing<Vec<u8>>> {
        self.bytes(name)?.ok_or(Error::JwkMember {
            name,
            reason: "missing",
        })
    }
}
