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
use crate::json_check;
use crate::json_view::{JsonStr, Members, raw_string};

/// A parsed token-endpoint response, success or error. Every field borrows
/// from the body.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TokenResponse<'a> {
    /// `access_token`.
    pub access_token: Option<JsonStr<'a>>,
    /// `token_type` (usually `Bearer`).
    pub token_type: Option<JsonStr<'a>>,
    /// `expires_in` in seconds (JSON number or digit string).
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

#[derive(serde::Deserialize)]
struct Serde<'a> {
    #[serde(borrow, default)]
    access_token: Option<JsonStr<'a>>,
    #[serde(borrow, default)]
    token_type: Option<JsonStr<'a>>,
    #[serde(borrow, default)]
    refresh_token: Option<JsonStr<'a>>,
    #[serde(borrow, default)]
    scope: Option<JsonStr<'a>>,
    #[serde(borrow, default)]
    id_token: Option<JsonStr<'a>>,
    #[serde(borrow, default)]
    instance_url: Option<JsonStr<'a>>,
    #[serde(borrow, default)]
    id: Option<JsonStr<'a>>,
    #[serde(borrow, default)]
    signature: Option<JsonStr<'a>>,
    #[serde(borrow, default)]
    error: Option<JsonStr<'a>>,
    #[serde(borrow, default)]
    error_description: Option<JsonStr<'a>>,
    #[serde(borrow, default)]
    error_uri: Option<JsonStr<'a>>,
}

const STRING_MEMBERS: [&str; 11] = [
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

/// A non-negative integer given as a JSON number or a string of digits.
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
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(wrong);
    }
    digits.parse::<u64>().map(Some).map_err(|_| wrong)
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
        json_check::validate_object(json, JsonPart::TokenResponse)?;
        let mut r = TokenResponse {
            json,
            ..Self::default()
        };
        for (k, v) in Members::new(json) {
            for name in STRING_MEMBERS {
                if k.eq_str(name) && !(v.starts_with('"') || v == "null") {
                    return Err(Error::InvalidMemberType {
                        part: JsonPart::TokenResponse,
                        name,
                    });
                }
            }
            if k.eq_str("expires_in") {
                r.expires_in = seconds(v, "expires_in")?;
            } else if k.eq_str("ext_expires_in") {
                r.ext_expires_in = seconds(v, "ext_expires_in")?;
            } else if k.eq_str("issued_at") {
                r.issued_at_ms = seconds(v, "issued_at")?;
            }
        }
        let (s, _) =
            serde_json_core::from_str::<Serde<'_>>(json).map_err(|_| Error::InvalidJson {
                part: JsonPart::TokenResponse,
                offset: 0,
            })?;
        r.access_token = s.access_token;
        r.token_type = s.token_type;
        r.refresh_token = s.refresh_token;
        r.scope = s.scope;
        r.id_token = s.id_token;
        r.instance_url = s.instance_url;
        r.id = s.id;
        r.signature = s.signature;
        r.error = s.error;
        r.error_description = s.error_description;
        r.error_uri = s.error_uri;
        if r.access_token.is_none() && r.error.is_none() {
            return Err(Error::NotATokenResponse);
        }
        Ok(r)
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
