//! Token-endpoint responses (RFC 6749 §5.1 success, §5.2 error) parsed into
//! one borrowed struct, without allocation and with no feature enabled.
//!
//! Covers the members Salesforce (`access_token`, `instance_url`, `id`,
//! `token_type`, `scope`, `issued_at` — a *string* of milliseconds —,
//! `signature`), Google (`access_token`, `expires_in`, `token_type`; Google
//! clients also tolerate `expires_in` as a string, so this does too),
//! Microsoft Entra / generic RFC 6749 (`expires_in`, `ext_expires_in`,
//! `refresh_token`, `scope`, `id_token`) and errors (`error`,
//! `error_description`, `error_uri`) send. Unknown members are ignored (but
//! still checked by the strict JSON validator); duplicate names are refused.
//! `null` counts as absent.
//!
//! Parsing is a single pass of the strict validator
//! ([`check::validate_object_with`]) that also picks the members out —
//! no `serde` pass, so unknown members are skipped exactly once and checked.
//!
//! ```
//! use jwtmint::token_response::TokenResponse;
//! let body = br#"{"token_type":"Bearer","expires_in":3599,"access_token":"eyJ0eX..."}"#;
//! let r = TokenResponse::parse(body).unwrap();
//! assert_eq!(r.expires_in, Some(3599));
//! assert_eq!(r.access_token.unwrap().as_str(), Some("eyJ0eX..."));
//! assert!(!r.is_error());
//!
//! let err = TokenResponse::parse(br#"{"error":"invalid_grant","error_description":"audience is invalid"}"#).unwrap();
//! assert!(err.is_error());
//! assert!(err.error.unwrap().eq_str("invalid_grant"));
//! ```

use crate::error::{Error, JsonPart, Result};
use crate::json::check;
use crate::json::view::{JsonStr, Members, raw_string};

/// A parsed token-endpoint response, success or error. Every field borrows
/// from the body. `Debug` redacts the bearer secrets (`access_token`,
/// `refresh_token`, `id_token`, and the whole body).
#[derive(Clone, Copy, Default, PartialEq, Eq)]
pub struct TokenResponse<'a> {
    /// `access_token`.
    pub access_token: Option<JsonStr<'a>>,
    /// `token_type` (usually `Bearer`).
    pub token_type: Option<JsonStr<'a>>,
    /// `expires_in` in seconds (JSON number, digit string, or integral
    /// float such as `3600.0`).
    pub expires_in: Option<u64>,
    /// `ext_expires_in` in seconds (Entra).
    pub ext_expires_in: Option<u64>,
    /// `refresh_token`.
    pub refresh_token: Option<JsonStr<'a>>,
    /// `scope`.
    pub scope: Option<JsonStr<'a>>,
    /// `id_token` (OpenID Connect).
    pub id_token: Option<JsonStr<'a>>,
    /// Salesforce `instance_url`.
    pub instance_url: Option<JsonStr<'a>>,
    /// Salesforce `id` (identity URL).
    pub id: Option<JsonStr<'a>>,
    /// Salesforce `issued_at`: milliseconds since 1970 (sent as a string).
    pub issued_at_ms: Option<u64>,
    /// Salesforce `signature`.
    pub signature: Option<JsonStr<'a>>,
    /// RFC 6749 §5.2 `error` code.
    pub error: Option<JsonStr<'a>>,
    /// `error_description`.
    pub error_description: Option<JsonStr<'a>>,
    /// `error_uri`.
    pub error_uri: Option<JsonStr<'a>>,
    /// The whole body.
    pub json: &'a str,
}

crate::secret::debug_redacted!(TokenResponse<'_> {
    access_token: secret,
    token_type,
    expires_in,
    ext_expires_in,
    refresh_token: secret,
    scope,
    id_token: secret,
    instance_url,
    id,
    issued_at_ms,
    signature,
    error,
    error_description,
    error_uri,
    ..
});

/// Member names this module reads.
const KNOWN: [&str; 14] = [
    "expires_in",
    "ext_expires_in",
    "issued_at",
    "access_token",
    "token_type",
    "refresh_token",
    "scope",
    "id_token",
    "instance_url",
    "id",
    "signature",
    "error",
    "error_description",
    "error_uri",
];

/// A non-negative integer given as a JSON number or a string of digits;
/// an integral float (`3600.0`) counts as that integer.
fn seconds(raw: &str, name: &'static str) -> Result<Option<u64>> {
    if raw == "null" {
        return Ok(None);
    }
    let wrong = Error::InvalidMemberType {
        part: JsonPart::TokenResponse,
        name,
    };
    let digits = match raw_string(raw) {
        Some(s) => s.as_str().ok_or(wrong)?,
        None => raw,
    };
    // An integral float (`3600.0`, some IdPs) is the same number of seconds.
    let digits = match digits.split_once('.') {
        Some((int, frac)) if !frac.is_empty() && frac.bytes().all(|b| b == b'0') => int,
        Some(_) => return Err(wrong),
        None => digits,
    };
    if digits.is_empty() {
        return Err(wrong);
    }
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(wrong);
    }
    if digits.len() <= 19 {
        // 19 digits always fit in u64.
        return Ok(Some(digits.bytes().fold(0u64, |n, b| {
            n.wrapping_mul(10).wrapping_add(u64::from(b - b'0'))
        })));
    }
    digits.parse::<u64>().map(Some).map_err(|_| wrong)
}

/// RFC 6749 Appendix A `VSCHAR` without the space: what a bearer token
/// (and a refresh or ID token) may hold.
pub const fn is_token_char(c: char) -> bool {
    matches!(c, '\u{21}'..='\u{7E}')
}

/// RFC 7230 `tchar`: what an HTTP token (`token_type`) may hold.
pub const fn is_tchar(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(
            c,
            '!' | '#'
                | '$'
                | '%'
                | '&'
                | '\''
                | '*'
                | '+'
                | '-'
                | '.'
                | '^'
                | '_'
                | '`'
                | '|'
                | '~'
        )
}

/// The one syntax check for tokens (token responses and session records):
/// each of `tokens` (decoded) non-empty-or-absent VSCHAR minus space,
/// `token_type` a non-empty HTTP token.
///
/// # Errors
/// `InvalidTokenSyntax { part, name }` for the first offending member.
pub(crate) fn check_token_syntax<const N: usize>(
    part: JsonPart,
    tokens: [(&'static str, Option<JsonStr<'_>>); N],
    token_type: Option<JsonStr<'_>>,
) -> Result<()> {
    for (name, value) in tokens {
        if value.is_some_and(|v| !v.chars().all(is_token_char)) {
            return Err(Error::InvalidTokenSyntax { part, name });
        }
    }
    if token_type.is_some_and(|t| t.raw().is_empty() || !t.chars().all(is_tchar)) {
        return Err(Error::InvalidTokenSyntax {
            part,
            name: "token_type",
        });
    }
    Ok(())
}

impl<'a> TokenResponse<'a> {
    /// Parses a token-endpoint response body.
    ///
    /// # Errors
    /// `InvalidUtf8`; `InvalidJson`, `JsonTooDeep`, `NotJsonObject`,
    /// `DuplicateMember` (part `TokenResponse`); `InvalidMemberType` for a
    /// known member of the wrong type; `NotATokenResponse` when neither
    /// `access_token` nor `error` is present.
    pub fn parse(body: &'a [u8]) -> Result<Self> {
        let json = core::str::from_utf8(body).map_err(|_| Error::InvalidUtf8)?;
        let mut r = TokenResponse {
            json,
            ..Self::default()
        };
        // One pass: strict validation (grammar, depth, unique names) and
        // member extraction together.
        check::validate_object_with(json, JsonPart::TokenResponse, |k, v| r.member(k, v))?;
        if r.access_token.is_none() && r.error.is_none() {
            return Err(Error::NotATokenResponse);
        }
        Ok(r)
    }

    fn member(&mut self, k: JsonStr<'a>, v: &'a str) -> Result<()> {
        let name = match k.as_str() {
            Some(plain) => plain,
            // An escaped name: find the known name it decodes to, if any.
            None => match KNOWN.iter().find(|n| k.eq_str(n)) {
                Some(n) => n,
                None => return Ok(()),
            },
        };
        let string = |name: &'static str| -> Result<Option<JsonStr<'a>>> {
            if v == "null" {
                return Ok(None);
            }
            raw_string(v).map(Some).ok_or(Error::InvalidMemberType {
                part: JsonPart::TokenResponse,
                name,
            })
        };
        match name {
            "access_token" => self.access_token = string("access_token")?,
            "token_type" => self.token_type = string("token_type")?,
            "refresh_token" => self.refresh_token = string("refresh_token")?,
            "scope" => self.scope = string("scope")?,
            "id_token" => self.id_token = string("id_token")?,
            "instance_url" => self.instance_url = string("instance_url")?,
            "id" => self.id = string("id")?,
            "signature" => self.signature = string("signature")?,
            "error" => self.error = string("error")?,
            "error_description" => self.error_description = string("error_description")?,
            "error_uri" => self.error_uri = string("error_uri")?,
            "expires_in" => self.expires_in = seconds(v, "expires_in")?,
            "ext_expires_in" => self.ext_expires_in = seconds(v, "ext_expires_in")?,
            "issued_at" => self.issued_at_ms = seconds(v, "issued_at")?,
            _ => {}
        }
        Ok(())
    }

    /// Checks the tokens' syntax: `access_token`, `refresh_token` and
    /// `id_token` (decoded) must be printable ASCII without spaces (RFC 6749
    /// Appendix A VSCHAR minus space: 0x21-0x7E), `token_type` an HTTP token
    /// (RFC 7230 `tchar`). A value with CR, LF, NUL, a space, DEL or any
    /// non-ASCII character could split or smuggle an HTTP header where a
    /// gateway writes `Authorization: <token_type> <token>`.
    ///
    /// # Errors
    /// `InvalidTokenSyntax` naming the first offending member.
    pub fn check_token_syntax(&self) -> Result<()> {
        check_token_syntax(
            JsonPart::TokenResponse,
            [
                ("access_token", self.access_token),
                ("refresh_token", self.refresh_token),
                ("id_token", self.id_token),
            ],
            self.token_type,
        )
    }

    /// Whether this is an RFC 6749 §5.2 error response.
    pub const fn is_error(&self) -> bool {
        self.error.is_some()
    }

    /// Raw JSON of any member, known or not (e.g. Entra's `error_codes`).
    pub fn get(&self, name: &str) -> Option<&'a str> {
        Members::new(self.json).get(name)
    }
}
