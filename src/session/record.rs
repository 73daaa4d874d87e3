//! The session record: the current credential as one JSON object, written
//! with the crate's JSON writer and read back through its strict validator,
//! so a file or Redis store (std layer) can share a token between processes.
//!
//! ```text
//! {"v":1,"identity":"<64 hex>","access_token":"…","token_type":"Bearer",
//!  "expires_at":1700003600,"stored_at":1700000000,"instance_url":"…",
//!  "id":"…","scope":"…","refresh_token":"…"}
//! ```
//! Optional members are left out when absent. The record holds bearer
//! secrets: stores must keep it private (file mode 0600, Redis ACLs).

use crate::error::{Error, JsonPart, Result};
use crate::json::check;
use crate::json::view::{JsonStr, raw_string};
use crate::json::write::{ObjectWriter, int};
use crate::sink::{self, Sink};

use super::credential::{Credential, Parts};

/// The record format version.
const VERSION: i64 = 1;

/// A decoded record, borrowing the bytes it was read from.
#[derive(Clone, Copy, Default)]
pub(crate) struct Record<'a> {
    pub(crate) identity: Option<JsonStr<'a>>,
    pub(crate) access_token: Option<JsonStr<'a>>,
    pub(crate) expires_at: Option<i64>,
    pub(crate) stored_at: Option<i64>,
    pub(crate) parts: Parts<'a>,
}

fn emit(
    s: &mut dyn Sink,
    identity_hex: &str,
    c: &Credential<'_>,
    refresh: Option<&str>,
) -> Result<()> {
    let mut w = ObjectWriter::begin(s)?;
    int(w.plain_key(b"\"v\":")?, VERSION)?;
    w.str_member(b"\"identity\":", identity_hex)?;
    w.str_member(b"\"access_token\":", c.token)?;
    w.str_member(b"\"token_type\":", c.token_type)?;
    int(w.plain_key(b"\"expires_at\":")?, c.expires_at)?;
    int(w.plain_key(b"\"stored_at\":")?, c.stored_at)?;
    let optional: [(&[u8], Option<&str>); 4] = [
        (b"\"instance_url\":", c.instance_url),
        (b"\"id\":", c.id),
        (b"\"scope\":", c.scope),
        (b"\"refresh_token\":", refresh),
    ];
    for (key, value) in optional {
        if let Some(v) = value {
            w.str_member(key, v)?;
        }
    }
    w.end()
}

/// Writes the record into `out`; returns its length.
///
/// # Errors
/// `BufferTooSmall` with the exact length needed.
pub(crate) fn encode(
    identity_hex: &str,
    c: &Credential<'_>,
    refresh: Option<&str>,
    out: &mut [u8],
) -> Result<usize> {
    sink::write_exact(out, |s| emit(s, identity_hex, c, refresh))
}

fn wrong(name: &'static str) -> Error {
    Error::InvalidMemberType {
        part: JsonPart::SessionRecord,
        name,
    }
}

fn string<'a>(v: &'a str, name: &'static str) -> Result<Option<JsonStr<'a>>> {
    raw_string(v).map(Some).ok_or(wrong(name))
}

fn integer(v: &str, name: &'static str) -> Result<Option<i64>> {
    v.parse::<i64>().map(Some).map_err(|_| wrong(name))
}

/// Reads a record: strict JSON, version 1, every known member of the right
/// type, `identity`, `access_token`, `expires_at` and `stored_at` present.
///
/// # Errors
/// `InvalidUtf8`; the validator's errors (part `SessionRecord`);
/// `InvalidMemberType`; `MissingClaim` for a required member.
pub(crate) fn decode(bytes: &[u8]) -> Result<Record<'_>> {
    let json = core::str::from_utf8(bytes).map_err(|_| Error::InvalidUtf8)?;
    let mut r = Record::default();
    let mut version = None;
    check::validate_object_with(json, JsonPart::SessionRecord, |k, v| {
        let Some(name) = k.as_str() else {
            return Err(wrong("member name"));
        };
        match name {
            "v" => version = integer(v, "v")?,
            "identity" => r.identity = string(v, "identity")?,
            "access_token" => r.access_token = string(v, "access_token")?,
            "token_type" => r.parts.token_type = string(v, "token_type")?,
            "expires_at" => r.expires_at = integer(v, "expires_at")?,
            "stored_at" => r.stored_at = integer(v, "stored_at")?,
            "instance_url" => r.parts.instance_url = string(v, "instance_url")?,
            "id" => r.parts.id = string(v, "id")?,
            "scope" => r.parts.scope = string(v, "scope")?,
            "refresh_token" => r.parts.refresh_token = string(v, "refresh_token")?,
            _ => {}
        }
        Ok(())
    })?;
    if version != Some(VERSION) {
        return Err(wrong("v"));
    }
    let required: [(&'static str, bool); 4] = [
        ("identity", r.identity.is_some()),
        ("access_token", r.access_token.is_some()),
        ("expires_at", r.expires_at.is_some()),
        ("stored_at", r.stored_at.is_some()),
    ];
    if let Some((claim, _)) = required.iter().find(|(_, present)| !present) {
        return Err(Error::MissingClaim { claim });
    }
    Ok(r)
}
