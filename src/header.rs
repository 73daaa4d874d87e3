//! JOSE header (RFC 7515 §4.1) and the reusable, pre-encoded header template.
//!
//! Members are written in this fixed order: `alg, typ, kid, x5t, x5t#S256`.
//!
//! ```
//! use jwtmint::{Algorithm, Header, HeaderTemplate};
//! let header = Header::new(Algorithm::Rs256).kid("key-1");
//! let tpl = HeaderTemplate::new(&header).unwrap();
//! // {"alg":"RS256","typ":"JWT","kid":"key-1"}
//! assert_eq!(tpl.as_str(), "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6ImtleS0xIn0");
//! ```

use crate::alg::Algorithm;
use crate::base64url;
use crate::error::{Error, Result};
use crate::json::write::ObjectWriter;
use crate::sink::{self, B64Sink, Sink};

/// A JOSE header for a signed JWT.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header<'a> {
    /// `alg`.
    pub alg: Algorithm,
    /// `typ`; `Some("JWT")` by default, `None` omits it.
    pub typ: Option<&'a str>,
    /// `kid`: key id (Google: the service account's `private_key_id`).
    pub kid: Option<&'a str>,
    /// `x5t`: Base64Url SHA-1 certificate thumbprint.
    pub x5t: Option<&'a str>,
    /// `x5t#S256`: Base64Url SHA-256 certificate thumbprint.
    pub x5t_s256: Option<&'a str>,
}

impl<'a> Header<'a> {
    /// A header with `alg` and `typ: "JWT"`.
    pub const fn new(alg: Algorithm) -> Self {
        Self {
            alg,
            typ: Some("JWT"),
            kid: None,
            x5t: None,
            x5t_s256: None,
        }
    }

    crate::setters::setters! {
        /// Sets `typ` (`None` omits it).
        typ(v: Option<&'a str>);
        /// Sets `kid`.
        kid(v: &'a str) => Some;
        /// Sets `x5t`.
        x5t(v: &'a str) => Some;
        /// Sets `x5t#S256`.
        x5t_s256(v: &'a str) => Some;
    }

    fn emit<S: Sink + ?Sized>(&self, sink: &mut S) -> Result<()> {
        let mut obj = ObjectWriter::begin(sink)?;
        obj.str_member(b"\"alg\":", self.alg.as_str())?;
        let members: [(&[u8], Option<&str>); 4] = [
            (b"\"typ\":", self.typ),
            (b"\"kid\":", self.kid),
            (b"\"x5t\":", self.x5t),
            (b"\"x5t#S256\":", self.x5t_s256),
        ];
        for (key, v) in members {
            if let Some(v) = v {
                obj.str_member(key, v)?;
            }
        }
        obj.end()
    }

    /// Exact length of the header JSON.
    ///
    /// # Errors
    /// `LengthOverflow` only.
    pub fn json_len(&self) -> Result<usize> {
        sink::measure(|s| self.emit(s))
    }

    /// Writes the header JSON into `out`, returning its length.
    ///
    /// # Errors
    /// `BufferTooSmall` with the exact length needed.
    pub fn write_json(&self, out: &mut [u8]) -> Result<usize> {
        sink::write_exact(out, |s| self.emit(s))
    }

    /// Exact length of the Base64Url-encoded header.
    ///
    /// # Errors
    /// `LengthOverflow` only.
    pub fn encoded_len(&self) -> Result<usize> {
        base64url::encoded_len(self.json_len()?)
    }

    /// Writes the Base64Url-encoded header into `out`, returning its length.
    ///
    /// # Errors
    /// `BufferTooSmall` with the exact length needed.
    pub fn encode(&self, out: &mut [u8]) -> Result<usize> {
        let needed = self.encoded_len()?;
        let dst = out
            .get_mut(..needed)
            .ok_or(Error::BufferTooSmall { needed })?;
        let mut sink = B64Sink::new(dst);
        self.emit(&mut sink)?;
        sink.finish()
    }
}

/// Base64Url length of an `x5t` value (SHA-1, 20 bytes).
pub const X5T_LEN: usize = 27;
/// Base64Url length of an `x5t#S256` value (SHA-256, 32 bytes).
pub const X5T_S256_LEN: usize = 43;

/// Capacity of a [`HeaderTemplate`] in Base64Url bytes (a header JSON of up to 384 bytes).
pub const HEADER_TEMPLATE_CAPACITY: usize = 512;

/// A header encoded once, reused for every mint with the same key: a mint then
/// only encodes the claims and signs. Plain data, `Copy`, no allocation.
#[derive(Clone, Copy)]
pub struct HeaderTemplate {
    alg: Algorithm,
    len: usize,
    b64: [u8; HEADER_TEMPLATE_CAPACITY],
}

impl HeaderTemplate {
    /// Encodes `header` into a template.
    ///
    /// # Errors
    /// `HeaderTooLarge` if it does not fit [`HEADER_TEMPLATE_CAPACITY`].
    pub fn new(header: &Header<'_>) -> Result<Self> {
        let mut b64 = [0u8; HEADER_TEMPLATE_CAPACITY];
        let len = header.encode(&mut b64).map_err(|e| match e {
            Error::BufferTooSmall { needed } => Error::HeaderTooLarge {
                needed,
                capacity: HEADER_TEMPLATE_CAPACITY,
            },
            other => other,
        })?;
        Ok(Self {
            alg: header.alg,
            len,
            b64,
        })
    }

    /// The algorithm the header names.
    pub const fn algorithm(&self) -> Algorithm {
        self.alg
    }

    /// The Base64Url header segment.
    pub fn as_bytes(&self) -> &[u8] {
        self.b64.get(..self.len).unwrap_or_default()
    }

    /// The Base64Url header segment as text.
    pub fn as_str(&self) -> &str {
        // Base64Url output is ASCII.
        core::str::from_utf8(self.as_bytes()).unwrap_or_default()
    }
}

impl core::fmt::Debug for HeaderTemplate {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("HeaderTemplate")
            .field("alg", &self.alg)
            .field("b64", &self.as_str())
            .finish()
    }
}
