//! Compact JWS/JWT parsing without allocation: [`split`] the token into its
//! three segments (borrowed, nothing copied), decode the header, payload and
//! signature with the strict Base64Url decoder into one caller buffer, and
//! parse header and claims into borrowed views.
//!
//! Every JSON document is read once, by the strict validator behind
//! [`validate_json_object_with`] (RFC 8259 grammar, depth ≤
//! [`MAX_JSON_DEPTH`], object only, unique top-level names); its member
//! callback checks the registered members and fills the borrowed structs in
//! the same pass (member names are compared after unescaping).
//! Refused: BOM, invalid UTF-8 (including overlong forms), lone or reversed
//! surrogate escapes, raw control characters, trailing data, duplicate names,
//! NumericDates that are not non-negative integers fitting `i64` (fractions,
//! exponents, negative, too large — stricter than RFC 7519, which allows
//! fractions; no provider issues them).
//!
//! String fields are [`JsonStr`]: raw and borrowed, escapes intact; see
//! [`JsonStr`] for how escapes are handled.
//!
//! Parsing does **not** verify anything: use `VerifyingKey` (module `keys`,
//! feature `alloc`) for tokens you are going to trust.
//!
//! ```
//! let token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSIsImV4cCI6MTcwMDAwMDE4MH0.AAAA";
//! let mut buf = [0u8; 256];
//! let jwt = jwtmint::parse::parse_jwt(token.as_bytes(), &mut buf).unwrap();
//! assert_eq!(jwt.header.alg.as_str(), Some("RS256"));
//! assert_eq!(jwt.claims.exp, Some(1_700_000_180));
//! assert!(jwt.claims.sub.unwrap().eq_str("alice"));
//! ```

use crate::base64url;
use crate::error::{Error, JsonPart, Result};
use crate::json::check;
pub use crate::json::{
    Elements, JsonStr, MAX_DEPTH as MAX_JSON_DEPTH, Members, Unescape, raw_string,
    validate as validate_json, validate_object as validate_json_object,
    validate_object_with as validate_json_object_with,
};

/// The three segments of a compact JWS, borrowed from the token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Segments<'a> {
    /// Base64Url JOSE header.
    pub header: &'a [u8],
    /// Base64Url payload.
    pub payload: &'a [u8],
    /// Base64Url signature.
    pub signature: &'a [u8],
    /// `header.payload`: the bytes the signature covers.
    pub signing_input: &'a [u8],
}

/// Splits a compact JWS into exactly three segments. The header must be
/// non-empty; the payload may be empty (RFC 7515 allows it; a JWT claims set
/// cannot be); the signature segment may be empty here (an unsecured JWS) and
/// is refused by verification. No whitespace trimming: a trailing
/// newline is part of the last segment and fails Base64Url decoding.
///
/// # Errors
/// `MalformedToken`.
pub fn split(token: &[u8]) -> Result<Segments<'_>> {
    let mut dots = token
        .iter()
        .enumerate()
        .filter(|&(_, b)| *b == b'.')
        .map(|(i, _)| i);
    let (Some(d1), Some(d2), None) = (dots.next(), dots.next(), dots.next()) else {
        return Err(Error::MalformedToken);
    };
    let (Some(header), Some(payload), Some(signature), Some(signing_input)) = (
        token.get(..d1),
        token.get(d1 + 1..d2),
        token.get(d2 + 1..),
        token.get(..d2),
    ) else {
        return Err(Error::MalformedToken);
    };
    if header.is_empty() {
        return Err(Error::MalformedToken);
    }
    Ok(Segments {
        header,
        payload,
        signature,
        signing_input,
    })
}

/// Size of the caller buffer that [`parse_jws`] / [`parse_jwt`] need for
/// `token` (decoded header + payload + signature, upper bound).
pub fn buffer_len(token: &[u8]) -> usize {
    let d = |s: &[u8]| base64url::decoded_len_max(s.len());
    match split(token) {
        Ok(s) => d(s.header) + d(s.payload) + d(s.signature),
        Err(_) => base64url::decoded_len_max(token.len()),
    }
}

/// A parsed JOSE header (registered members jwtmint reads).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JoseHeader<'a> {
    /// `alg` (required).
    pub alg: JsonStr<'a>,
    /// `typ`.
    pub typ: Option<JsonStr<'a>>,
    /// `cty`.
    pub cty: Option<JsonStr<'a>>,
    /// `kid`.
    pub kid: Option<JsonStr<'a>>,
    /// Whether a `crit` member is present (verification refuses it).
    pub has_crit: bool,
    /// The whole decoded header JSON.
    pub json: &'a str,
}

impl<'a> JoseHeader<'a> {
    /// Iterator over all members `(name, raw JSON value)`.
    pub fn members(&self) -> Members<'a> {
        Members::new(self.json)
    }
}

/// The `aud` claim as it appears in the token: one string or an array of
/// strings (every element checked to be a string), borrowed raw.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AudienceRef<'a> {
    raw: &'a str,
}

impl<'a> AudienceRef<'a> {
    /// The raw JSON text of `aud`: `"x"` (with its quotes) or `["x","y"]`.
    pub const fn raw_json(&self) -> &'a str {
        self.raw
    }

    /// The audience when `aud` is a single string, `None` for an array.
    pub fn as_single(&self) -> Option<JsonStr<'a>> {
        raw_string(self.raw)
    }

    /// Iterator over every audience.
    pub fn iter(&self) -> impl Iterator<Item = JsonStr<'a>> + 'a {
        let one = raw_string(self.raw);
        let many = if one.is_some() {
            None
        } else {
            Elements::new(self.raw)
        };
        one.into_iter()
            .chain(many.into_iter().flatten().filter_map(raw_string))
    }

    /// Whether `aud` is or contains `expected` (compared after unescaping).
    pub fn contains(&self, expected: &str) -> bool {
        self.iter().any(|a| a.eq_str(expected))
    }
}

/// A parsed JWT claims set: registered claims plus access to every member.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct JwtClaims<'a> {
    /// `iss`.
    pub iss: Option<JsonStr<'a>>,
    /// `sub`.
    pub sub: Option<JsonStr<'a>>,
    /// `aud`.
    pub aud: Option<AudienceRef<'a>>,
    /// `exp` (seconds).
    pub exp: Option<i64>,
    /// `nbf` (seconds).
    pub nbf: Option<i64>,
    /// `iat` (seconds).
    pub iat: Option<i64>,
    /// `jti`.
    pub jti: Option<JsonStr<'a>>,
    /// The whole decoded claims JSON.
    pub json: &'a str,
}

impl<'a> JwtClaims<'a> {
    /// Iterator over all members `(name, raw JSON value)`, registered or not.
    pub fn members(&self) -> Members<'a> {
        Members::new(self.json)
    }

    /// Raw JSON text of member `name` (e.g. `"\"acme\""`, `"42"`, `"[1,2]"`).
    pub fn get(&self, name: &str) -> Option<&'a str> {
        self.members().get(name)
    }

    /// Member `name` if it is a JSON string.
    pub fn get_str(&self, name: &str) -> Option<JsonStr<'a>> {
        self.get(name).and_then(raw_string)
    }
}

/// A parsed (unverified) JWS: header, raw payload, decoded signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Jws<'a> {
    /// The JOSE header.
    pub header: JoseHeader<'a>,
    /// The decoded payload bytes.
    pub payload: &'a [u8],
    /// The decoded signature bytes.
    pub signature: &'a [u8],
    /// `header.payload` as in the token: the signed bytes.
    pub signing_input: &'a [u8],
}

/// A parsed (unverified) JWT: a [`Jws`] whose payload is a claims set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Jwt<'a> {
    /// The JOSE header.
    pub header: JoseHeader<'a>,
    /// The claims.
    pub claims: JwtClaims<'a>,
    /// The decoded signature bytes.
    pub signature: &'a [u8],
    /// `header.payload` as in the token: the signed bytes.
    pub signing_input: &'a [u8],
}

fn decode_into<'b>(seg: &[u8], buf: &'b mut [u8]) -> Result<(&'b mut [u8], &'b mut [u8])> {
    let max = base64url::decoded_len_max(seg.len());
    if buf.len() < max {
        return Err(Error::BufferTooSmall { needed: max });
    }
    let (head, rest) = buf.split_at_mut(max);
    let n = base64url::decode(seg, head)?;
    let (used, _) = head.split_at_mut(n);
    Ok((used, rest))
}

fn utf8(bytes: &[u8]) -> Result<&str> {
    core::str::from_utf8(bytes).map_err(|_| Error::InvalidUtf8)
}

/// Parses a decoded JOSE header.
///
/// # Errors
/// JSON errors (see the module docs), `MissingAlgorithm`,
/// `InvalidMemberType { name: "alg" | "typ" | "cty" | "kid" }`.
pub fn parse_header(json: &[u8]) -> Result<JoseHeader<'_>> {
    let json = utf8(json)?;
    let (mut alg, mut typ, mut cty, mut kid) = (None, None, None, None);
    let mut has_crit = false;
    // One pass: strict validation, the type checks of registered members and
    // the fields themselves (member names compared after unescaping).
    check::validate_object_with(json, JsonPart::Header, |k, v| {
        let string = |name| string_member(v, JsonPart::Header, name).map(Some);
        match registered(k, &["alg", "typ", "cty", "kid", "crit"]) {
            Some(n @ "alg") => alg = string(n)?,
            Some(n @ "typ") => typ = string(n)?,
            Some(n @ "cty") => cty = string(n)?,
            Some(n @ "kid") => kid = string(n)?,
            Some(_) => has_crit = true,
            None => {}
        }
        Ok(())
    })?;
    Ok(JoseHeader {
        alg: alg.ok_or(Error::MissingAlgorithm)?,
        typ,
        cty,
        kid,
        has_crit,
        json,
    })
}

/// Which of `names` the member name `k` is, compared after unescaping.
fn registered(k: JsonStr<'_>, names: &[&'static str]) -> Option<&'static str> {
    match k.as_str() {
        Some(plain) => names.iter().copied().find(|n| *n == plain),
        None => names.iter().copied().find(|n| k.eq_str(n)),
    }
}

/// A registered member that must be a JSON string.
fn string_member<'a>(raw: &'a str, part: JsonPart, name: &'static str) -> Result<JsonStr<'a>> {
    raw_string(raw).ok_or(Error::InvalidMemberType { part, name })
}

/// Checks the raw text of a NumericDate: a non-negative integer fitting `i64`.
fn numeric_date(raw: &str, claim: &'static str) -> Result<i64> {
    let bad = |reason| Error::InvalidNumericDate { claim, reason };
    let b = raw.as_bytes();
    match b.first() {
        Some(b'-') => return Err(bad("negative")),
        Some(b'0'..=b'9') => {}
        _ => return Err(bad("not a number")),
    }
    if b.contains(&b'.') {
        return Err(bad("fraction"));
    }
    if b.iter().any(|c| matches!(c, b'e' | b'E')) {
        return Err(bad("exponent"));
    }
    let mut v: i64 = 0;
    for &c in b {
        let d = i64::from(c.wrapping_sub(b'0'));
        v = v
            .checked_mul(10)
            .and_then(|v| v.checked_add(d))
            .ok_or(bad("out of range"))?;
    }
    Ok(v)
}

/// Parses a decoded JWT claims set.
///
/// # Errors
/// JSON errors (see the module docs), `InvalidNumericDate`,
/// `InvalidMemberType { name: "iss" | "sub" | "jti" | "aud" }`.
pub fn parse_claims(json: &[u8]) -> Result<JwtClaims<'_>> {
    let json = utf8(json)?;
    let mut c = JwtClaims {
        json,
        ..JwtClaims::default()
    };
    // One pass: strict validation, the checks of registered claims and the
    // fields themselves (member names compared after unescaping).
    check::validate_object_with(json, JsonPart::Claims, |k, v| {
        let date = |name| numeric_date(v, name).map(Some);
        let string = |name| string_member(v, JsonPart::Claims, name).map(Some);
        match registered(k, &["exp", "nbf", "iat", "iss", "sub", "jti", "aud"]) {
            Some(n @ "exp") => c.exp = date(n)?,
            Some(n @ "nbf") => c.nbf = date(n)?,
            Some(n @ "iat") => c.iat = date(n)?,
            Some(n @ "iss") => c.iss = string(n)?,
            Some(n @ "sub") => c.sub = string(n)?,
            Some(n @ "jti") => c.jti = string(n)?,
            Some(n) => c.aud = Some(audience(v, n)?),
            None => {}
        }
        Ok(())
    })?;
    Ok(c)
}

/// `aud`: one string or an array of strings.
fn audience<'a>(raw: &'a str, name: &'static str) -> Result<AudienceRef<'a>> {
    let strings = raw_string(raw).is_some()
        || Elements::new(raw).is_some_and(|mut e| e.all(|x| x.starts_with('"')));
    if !strings {
        return Err(Error::InvalidMemberType {
            part: JsonPart::Claims,
            name,
        });
    }
    Ok(AudienceRef { raw })
}

/// Parses a compact JWS whose payload may be anything (not verified).
/// `buf` must hold [`buffer_len`] bytes.
///
/// # Errors
/// `MalformedToken`, `InvalidBase64`, `BufferTooSmall`, header errors.
pub fn parse_jws<'a>(token: &'a [u8], buf: &'a mut [u8]) -> Result<Jws<'a>> {
    let seg = split(token)?;
    let (h, rest) = decode_into(seg.header, buf)?;
    let (p, rest) = decode_into(seg.payload, rest)?;
    let (s, _) = decode_into(seg.signature, rest)?;
    let header = parse_header(h)?;
    Ok(Jws {
        header,
        payload: p,
        signature: s,
        signing_input: seg.signing_input,
    })
}

/// Parses a compact JWT (not verified): [`parse_jws`] plus the claims set.
///
/// # Errors
/// As [`parse_jws`], plus claims errors.
pub fn parse_jwt<'a>(token: &'a [u8], buf: &'a mut [u8]) -> Result<Jwt<'a>> {
    let jws = parse_jws(token, buf)?;
    jwt_from_jws(jws)
}

/// Parses the payload of a JWS as a claims set.
///
/// # Errors
/// Claims errors.
pub fn jwt_from_jws(jws: Jws<'_>) -> Result<Jwt<'_>> {
    Ok(Jwt {
        header: jws.header,
        claims: parse_claims(jws.payload)?,
        signature: jws.signature,
        signing_input: jws.signing_input,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn numeric_dates() {
        assert_eq!(numeric_date("0", "exp"), Ok(0));
        assert_eq!(numeric_date("9223372036854775807", "exp"), Ok(i64::MAX));
        for (raw, reason) in [
            ("9223372036854775808", "out of range"),
            ("18446744073709551616", "out of range"),
            ("-1", "negative"),
            ("1.5", "fraction"),
            ("1e3", "exponent"),
            ("1E400", "exponent"),
            ("\"1\"", "not a number"),
            ("null", "not a number"),
        ] {
            assert_eq!(
                numeric_date(raw, "exp"),
                Err(Error::InvalidNumericDate {
                    claim: "exp",
                    reason
                }),
                "{raw}"
            );
        }
    }

    #[test]
    fn claims() {
        let c =
            parse_claims(br#"{"aud":["a","b\/c"],"exp":5,"x":{"y":[1]},"sub":"\u0041"}"#).unwrap();
        assert!(c.aud.unwrap().contains("b/c"));
        assert!(!c.aud.unwrap().contains("c"));
        assert_eq!(c.exp, Some(5));
        assert_eq!(c.get("x"), Some(r#"{"y":[1]}"#));
        assert!(c.sub.unwrap().eq_str("A"));
        assert_eq!(c.sub.unwrap().as_str(), None);
        assert_eq!(
            parse_claims(br#"{"exp":1,"\u0065xp":2}"#),
            Err(Error::DuplicateMember {
                part: JsonPart::Claims,
                offset: 9
            })
        );
        assert_eq!(
            parse_claims(br#"{"aud":1}"#),
            Err(Error::InvalidMemberType {
                part: JsonPart::Claims,
                name: "aud"
            })
        );
        assert_eq!(
            parse_claims(b"[]"),
            Err(Error::NotJsonObject {
                part: JsonPart::Claims
            })
        );
        assert_eq!(
            parse_claims(b"\xef\xbb\xbf{}"),
            Err(Error::InvalidJson {
                part: JsonPart::Claims,
                offset: 0
            })
        );
        assert_eq!(
            parse_claims(b"{\"a\":\"\xc3\x28\"}"),
            Err(Error::InvalidUtf8)
        );
    }

    #[test]
    fn escaped_member_names_are_the_registered_members() {
        // Names are compared after unescaping, in the same pass that checks
        // them: `"\u0065xp"` is `exp` (before the one-pass parser it was
        // checked as `exp` but not read, so `exp` came out absent).
        let c = parse_claims(br#"{"\u0065xp":5,"s\u0075b":"a","\u0061ud":["x"]}"#).unwrap();
        assert_eq!(c.exp, Some(5));
        assert!(c.sub.unwrap().eq_str("a"));
        assert_eq!(c.aud.unwrap().raw_json(), r#"["x"]"#);
        assert_eq!(c.aud.unwrap().as_single(), None);
        assert_eq!(
            parse_claims(br#"{"\u0065xp":5.5}"#),
            Err(Error::InvalidNumericDate {
                claim: "exp",
                reason: "fraction"
            })
        );
        let h = parse_header(br#"{"\u0061lg":"RS256","k\u0069d":"k"}"#).unwrap();
        assert!(h.alg.eq_str("RS256"));
        assert!(h.kid.unwrap().eq_str("k"));
        assert_eq!(
            parse_header(br#"{"\u0061lg":1}"#),
            Err(Error::InvalidMemberType {
                part: JsonPart::Header,
                name: "alg"
            })
        );
        assert_eq!(
            parse_header(br#"{"typ":"JWT"}"#),
            Err(Error::MissingAlgorithm)
        );
    }

    #[test]
    fn split_shapes() {
        assert!(split(b"a.b.c").is_ok());
        assert!(split(b"a.b.").is_ok());
        assert!(split(b"a..c").is_ok());
        for t in [&b""[..], b"..", b"a.b", b"a.b.c.d", b".b.c"] {
            assert_eq!(split(t), Err(Error::MalformedToken), "{t:?}");
        }
    }
}
