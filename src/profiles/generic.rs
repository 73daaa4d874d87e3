//! Generic RFC 7523 assertions with every claim explicit.
//!
//! RFC 7523 §3: the JWT MUST contain `iss`, `sub`, `aud` and `exp`; §2.2 client
//! authentication uses `iss` = `sub` = the client id and (in practice) a
//! unique `jti`. Nothing provider-specific is defaulted: `iat` = now, `exp` =
//! now + lifetime (default 300 s, no cap), RS256 unless a header is given,
//! and the token endpoint is `aud` unless set.
//!
//! ```
//! use jwtmint::profiles::{Profile, Rfc7523};
//! let p = Rfc7523::grant("client-1", "user-1", "https://as.example.com/token").unwrap();
//! let c = p.claims(1_700_000_000, None).unwrap();
//! assert_eq!((c.sub, c.exp), (Some("user-1"), Some(1_700_000_300)));
//! let a = Rfc7523::client_assertion("client-1", "https://as.example.com/token").unwrap();
//! let c = a.claims(1_700_000_000, Some("id-1")).unwrap();
//! assert_eq!(c.iss, c.sub);
//! ```

use crate::alg::Algorithm;
use crate::claims::{Audience, ClaimValue, Claims, RawJson};
use crate::error::{Error, Result};
use crate::header::{Header, HeaderTemplate};

use super::grants::Grant;
use super::profile::{Limits, Profile};
use super::request::{Params, TokenRequest};
use super::rules::non_empty;

/// Default lifetime of a generic assertion: 5 minutes.
pub const DEFAULT_LIFETIME: i64 = 300;

/// When the assertion becomes valid (`nbf`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum NotBefore {
    /// `now` + this offset, seconds.
    After(i64),
    /// This NumericDate.
    At(i64),
}

/// Which RFC 7523 use the assertion is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// §2.1 authorization grant.
    Grant,
    /// §2.2 client authentication (`client_credentials`).
    ClientAssertion,
}

/// A generic RFC 7523 profile: every claim explicit, borrowed from the caller.
#[derive(Clone, Copy, Debug)]
pub struct Rfc7523<'a> {
    kind: Kind,
    iss: &'a str,
    sub: &'a str,
    aud: &'a str,
    token_url: &'a str,
    scope: Option<&'a str>,
    not_before: Option<NotBefore>,
    extra: &'a [(&'a str, ClaimValue<'a>)],
    lifetime: i64,
    header: HeaderTemplate,
}

impl<'a> Rfc7523<'a> {
    fn new(kind: Kind, iss: &'a str, sub: &'a str, aud: &'a str) -> Result<Self> {
        non_empty("iss", iss)?;
        non_empty("sub", sub)?;
        non_empty("aud", aud)?;
        Ok(Self {
            kind,
            iss,
            sub,
            aud,
            token_url: aud,
            scope: None,
            not_before: None,
            extra: &[],
            lifetime: DEFAULT_LIFETIME,
            header: HeaderTemplate::new(&Header::new(Algorithm::Rs256))?,
        })
    }

    /// An authorization grant (§2.1): `iss, sub, aud, exp, iat`, posted as
    /// `grant_type=...jwt-bearer&assertion=...`.
    ///
    /// # Errors
    /// `InvalidField` for an empty value.
    pub fn grant(iss: &'a str, sub: &'a str, aud: &'a str) -> Result<Self> {
        Self::new(Kind::Grant, iss, sub, aud)
    }

    /// A client assertion (§2.2): `iss` = `sub` = `client_id`, `aud`, `exp`,
    /// `iat`, a required `jti`; posted as the `client_credentials` grant with
    /// `client_assertion_type`, `client_assertion` and `client_id`.
    ///
    /// # Errors
    /// As [`Rfc7523::grant`].
    pub fn client_assertion(client_id: &'a str, aud: &'a str) -> Result<Self> {
        Self::new(Kind::ClientAssertion, client_id, client_id, aud)
    }

    /// Uses `header` (algorithm, `kid`, thumbprints) instead of `{"alg":"RS256","typ":"JWT"}`.
    ///
    /// # Errors
    /// `HeaderTooLarge`.
    pub fn with_header(mut self, header: &Header<'_>) -> Result<Self> {
        self.header = HeaderTemplate::new(header)?;
        Ok(self)
    }

    /// Sets the lifetime (`exp - now`), at least 1 second (no cap).
    ///
    /// # Errors
    /// `LifetimeNotPositive` below 1.
    pub fn with_lifetime(mut self, seconds: i64) -> Result<Self> {
        super::rules::check_lifetime(seconds, i64::MAX)?;
        self.lifetime = seconds;
        Ok(self)
    }

    /// Writes `nbf` = now + `offset` seconds (0: not before now).
    #[must_use]
    pub const fn with_not_before(mut self, offset: i64) -> Self {
        self.not_before = Some(NotBefore::After(offset));
        self
    }

    /// Writes `nbf` = `nbf` (a NumericDate, whenever the assertion is minted).
    #[must_use]
    pub const fn with_not_before_at(mut self, nbf: i64) -> Self {
        self.not_before = Some(NotBefore::At(nbf));
        self
    }

    /// Extra claims after the registered ones (checked for duplicates when minting).
    #[must_use]
    pub const fn with_extra(mut self, extra: &'a [(&'a str, ClaimValue<'a>)]) -> Self {
        self.extra = extra;
        self
    }

    /// The `scope` form parameter of the token request.
    ///
    /// # Errors
    /// `InvalidField` for an empty scope.
    pub fn with_scope(mut self, scope: &'a str) -> Result<Self> {
        non_empty("scope", scope)?;
        self.scope = Some(scope);
        Ok(self)
    }

    /// The token endpoint, when it is not `aud`.
    ///
    /// # Errors
    /// `InvalidField` for an empty URL.
    pub fn with_token_url(mut self, url: &'a str) -> Result<Self> {
        non_empty("token_url", url)?;
        self.token_url = url;
        Ok(self)
    }
}

impl Profile for Rfc7523<'_> {
    super::rules::name_and_header!("rfc7523");

    fn claims<'s>(&'s self, now: i64, jti: Option<&'s str>) -> Result<Claims<'s>> {
        self.claims_at(now, jti)
    }

    fn limits(&self) -> Limits {
        let limits = Limits::new(self.lifetime, None);
        match self.kind {
            Kind::Grant => limits,
            Kind::ClientAssertion => limits.jti_required(),
        }
    }

    fn token_request(&self) -> Option<TokenRequest<'_>> {
        Some(self.request())
    }
}

impl<'a> Rfc7523<'a> {
    /// The claims at `now`, borrowing the configuration (`'a`), not `self`.
    fn claims_at<'s>(&self, now: i64, jti: Option<&'s str>) -> Result<Claims<'s>>
    where
        'a: 's,
    {
        let nbf = match self.not_before {
            Some(NotBefore::After(offset)) => {
                Some(now.checked_add(offset).ok_or(Error::LengthOverflow)?)
            }
            Some(NotBefore::At(nbf)) => Some(nbf),
            None => None,
        };
        let mut claims = Claims::new()
            .iss(self.iss)
            .sub(self.sub)
            .aud(self.aud)
            .iat(now)
            .exp(super::rules::expiry(now, self.lifetime, i64::MAX)?)
            .extra(self.extra);
        claims.nbf = nbf;
        claims.jti = jti;
        Ok(claims)
    }

    /// The token request, borrowing the configuration.
    fn request(&self) -> TokenRequest<'a> {
        let (body, params) = match self.kind {
            Kind::Grant => (
                Grant::JwtBearer,
                Params::new().push_opt("scope", self.scope),
            ),
            Kind::ClientAssertion => (
                Grant::ClientAssertion,
                Params::new()
                    .push("grant_type", "client_credentials")
                    .and_then(|p| p.push_opt("scope", self.scope))
                    .and_then(|p| p.push("client_id", self.iss)),
            ),
        };
        TokenRequest::post(self.token_url, body, params.unwrap_or_default())
    }
}

#[cfg(feature = "alloc")]
impl Rfc7523<'_> {
    /// The same profile owning copies of its strings and extra claims,
    /// shareable by any number of sources and threads without a `'static`
    /// borrow (e.g. for `AsyncTokenSource`, whose fetch runs on its own task):
    ///
    /// ```
    /// # fn main() -> Result<(), jwtmint::Error> {
    /// use jwtmint::ClaimValue;
    /// use jwtmint::profiles::{Profile, Rfc7523};
    /// let url = format!("https://{}/token", "as.example.com");
    /// let borrowed = Rfc7523::grant("client-1", "user-1", &url)?
    ///     .with_scope("api")?
    ///     .with_not_before(0)
    ///     .with_lifetime(120)?;
    /// let p = borrowed.owned()?;
    /// let (b, o) = (borrowed.claims(1_700_000_000, None)?, p.claims(1_700_000_000, None)?);
    /// assert_eq!((b.iss, b.sub, b.aud, b.iat, b.exp, b.nbf), (o.iss, o.sub, o.aud, o.iat, o.exp, o.nbf));
    /// assert_eq!(borrowed.token_request().unwrap().params, p.token_request().unwrap().params);
    /// drop(url); // `p` owns its strings
    /// assert_eq!(p.token_request().unwrap().url, "https://as.example.com/token");
    /// assert_eq!(o.exp, Some(1_700_000_120));
    /// // Extra claims are copied too.
    /// let tenant = String::from("t1");
    /// let extra = [("tid", ClaimValue::Str(&tenant))];
    /// let with_extra = Rfc7523::grant("c", "u", "https://as.example.com/token")?.with_extra(&extra);
    /// let owned = with_extra.owned()?;
    /// drop(tenant);
    /// assert_eq!(owned.claims(0, None)?.extra, [("tid", ClaimValue::Str("t1"))]);
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// `InvalidRawJson` never in practice (a raw claim's copy is checked again).
    pub fn owned(&self) -> Result<alloc::sync::Arc<dyn Profile + Send + Sync>> {
        Ok(alloc::sync::Arc::new(Owned::of(self)?))
    }
}

/// One extra claim written `NAME=VALUE` (a JSON string) or `NAME:=JSON` (a
/// raw JSON value): the CLI's `--claim`, the declaration's `claims`.
///
/// ```
/// use jwtmint::ClaimValue;
/// use jwtmint::profiles::generic::parse_claim;
/// assert_eq!(parse_claim("tenant=acme").unwrap(), ("tenant", ClaimValue::Str("acme")));
/// let (name, roles) = parse_claim("roles:=[\"x\"]").unwrap();
/// assert!(name == "roles" && matches!(roles, ClaimValue::Raw(r) if r.as_str() == "[\"x\"]"));
/// assert!(parse_claim("tenant").is_err() && parse_claim("n:=[").is_err());
/// ```
///
/// # Errors
/// `InvalidField { field: "claims" }` without `=`; `InvalidRawJson` for a
/// `:=` value that is not one JSON value.
pub fn parse_claim(text: &str) -> Result<(&str, ClaimValue<'_>)> {
    if let Some((name, json)) = text.split_once(":=") {
        return Ok((name, ClaimValue::Raw(RawJson::new(json)?)));
    }
    match text.split_once('=') {
        Some((name, value)) => Ok((name, ClaimValue::Str(value))),
        None => Err(Error::InvalidField {
            field: "claims",
            reason: "expected NAME=VALUE or NAME:=JSON",
        }),
    }
}

impl Rfc7523<'_> {
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

/// A generic profile owning its strings and extra claims (what a front end
/// builds from its options: the C constructor copies every string).
#[cfg(feature = "alloc")]
#[derive(Debug)]
struct Owned {
    kind: Kind,
    /// `iss`, `sub`, `aud`, token URL.
    text: [alloc::string::String; 4],
    scope: Option<alloc::string::String>,
    not_before: Option<NotBefore>,
    extra: Extra,
    lifetime: i64,
    header: HeaderTemplate,
}

#[cfg(feature = "alloc")]
impl Owned {
    /// Copies `p`'s strings and extra claims.
    fn of(p: &Rfc7523<'_>) -> Result<Self> {
        Ok(Self {
            kind: p.kind,
            text: [p.iss, p.sub, p.aud, p.token_url].map(alloc::string::String::from),
            scope: p.scope.map(alloc::string::String::from),
            not_before: p.not_before,
            extra: Extra::copy(p.extra)?,
            lifetime: p.lifetime,
            header: p.header,
        })
    }

    fn view(&self) -> Rfc7523<'_> {
        let [iss, sub, aud, token_url] = &self.text;
        Rfc7523 {
            kind: self.kind,
            iss,
            sub,
            aud,
            token_url,
            scope: self.scope.as_deref(),
            not_before: self.not_before,
            extra: self.extra.claims(),
            lifetime: self.lifetime,
            header: self.header,
        }
    }

    fn with_lifetime(self, seconds: i64) -> Result<Self> {
        let lifetime = self.view().with_lifetime(seconds)?.lifetime;
        Ok(Self { lifetime, ..self })
    }
}

/// Extra claims owning their text: `pairs` lends the strings of `_text`,
/// which sit on the heap (each its own `String` buffer), are never changed,
/// and are dropped after `pairs` (declared after it). The `'static` in
/// `pairs` never leaves the struct: [`Extra::claims`] lends them for the
/// life of `&self` only.
#[cfg(feature = "alloc")]
struct Extra {
    pairs: alloc::vec::Vec<(&'static str, ClaimValue<'static>)>,
    _text: alloc::vec::Vec<alloc::string::String>,
}

#[cfg(feature = "alloc")]
impl Extra {
    /// Copies `claims` (a raw JSON value is checked again on its copy).
    fn copy(claims: &[(&str, ClaimValue<'_>)]) -> Result<Self> {
        let mut text = alloc::vec::Vec::with_capacity(claims.len() * 2);
        let mut keep = |s: &str| -> &'static str {
            let b = alloc::string::String::from(s);
            // SAFETY: the bytes live in `b`'s heap buffer, which moves into
            // `text` unchanged (moving a `String` does not move its buffer;
            // a `String`, unlike a `Box`, asserts no uniqueness when moved)
            // and is freed only when the `Extra` drops, after `pairs`; the
            // reference is lent out only as long as `&Extra` (`claims`).
            #[allow(unsafe_code)]
            let lent = unsafe { &*core::ptr::from_ref::<str>(b.as_str()) };
            text.push(b);
            lent
        };
        let mut pairs = alloc::vec::Vec::with_capacity(claims.len());
        for (name, value) in claims {
            let value = match *value {
                ClaimValue::Str(v) => ClaimValue::Str(keep(v)),
                ClaimValue::Raw(v) => ClaimValue::Raw(RawJson::new(keep(v.as_str()))?),
                ClaimValue::Int(i) => ClaimValue::Int(i),
                ClaimValue::Bool(b) => ClaimValue::Bool(b),
            };
            pairs.push((keep(name), value));
        }
        Ok(Self { pairs, _text: text })
    }

    /// The claims, lent for as long as `self`.
    fn claims(&self) -> &[(&str, ClaimValue<'_>)] {
        &self.pairs
    }
}

#[cfg(feature = "alloc")]
impl core::fmt::Debug for Extra {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_list().entries(self.claims()).finish()
    }
}

#[cfg(feature = "alloc")]
impl Profile for Owned {
    super::rules::name_and_header!("rfc7523");

    fn claims<'s>(&'s self, now: i64, jti: Option<&'s str>) -> Result<Claims<'s>> {
        self.view().claims_at(now, jti)
    }

    fn limits(&self) -> Limits {
        self.view().limits()
    }

    fn token_request(&self) -> Option<TokenRequest<'_>> {
        Some(self.view().request())
    }
}

/// The generic RFC 7523 declaration (C `jwtmint_rfc7523_profile_new`, CLI
/// `--profile generic`).
#[cfg(feature = "alloc")]
pub const PROVIDER: super::declare::Provider = {
    use super::declare::{Grant, KeyUse, Kind as K, Opt, Provider};
    Provider {
        name: "rfc7523",
        summary: "Any RFC 7523 server, every claim explicit",
        c_options: "jwtmint_rfc7523_options",
        algorithms: &Algorithm::ALL,
        lifetime: (DEFAULT_LIFETIME, i64::MAX),
        grant: Grant::JwtBearer,
        key: KeyUse::Caller,
        options: &[
            Opt::optional(
                "kind",
                "client-assertion",
                K::Choice(&["grant", "client-assertion"]),
                "the use: grant (RFC 7523 section 2.1: `iss`, `sub`, `aud`, posted as `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer`) or client-assertion (section 2.2: `iss` = `sub` = the client id, a `jti`, posted with the client-credentials grant and `client_id`)",
            )
            .c_enum(
                "jwtmint_rfc7523_kind",
                &[
                    (
                        "JWTMINT_RFC7523_GRANT",
                        "An authorization grant (RFC 7523 section 2.1): `iss`, `sub`, `aud`, posted as `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer`.",
                    ),
                    (
                        "JWTMINT_RFC7523_CLIENT_ASSERTION",
                        "Client authentication (section 2.2): `iss` = `sub` = the client id, a `jti` (drawn when the mint gets none), posted with the client-credentials grant and `client_id`.",
                    ),
                ],
            ),
            Opt::required(
                "iss",
                "iss",
                K::Text,
                "`iss` (the client id for a client assertion)",
            ),
            Opt::when(
                ("kind", 0),
                "sub",
                "sub",
                K::Text,
                "`sub` of a grant (required there); absent for a client assertion, whose `sub` is `iss`",
            ),
            Opt::required(
                "aud",
                "aud",
                K::Text,
                "`aud`, the authorization server's identifier",
            ),
            Opt::optional(
                "token_url",
                "token-url",
                K::Text,
                "the token endpoint; absent: `aud`. It (or `aud`) must be `https://`, or `http://` to 127.0.0.1, `[::1]` or `localhost`",
            ),
            Opt::optional(
                "scope",
                "scope",
                K::Text,
                "the `scope` of the token request; absent for none",
            ),
            Opt::optional(
                "alg",
                "alg",
                K::Alg,
                "the algorithm (`jwtmint_alg`; default RS256)",
            ),
            Opt::optional("kid", "kid", K::Text, "`kid` header; absent for none"),
            Opt::lifetime("seconds from now to `exp` (no cap); default 300"),
            Opt::optional(
                "claims",
                "claim",
                K::List("claims_len"),
                "extra claims after the registered ones, each `NAME=VALUE` (a JSON string) or `NAME:=JSON` (a raw JSON value)",
            ),
            Opt::optional(
                "cert",
                "cert",
                K::Bytes,
                "the certificate (PEM or DER) whose `x5t` and `x5t#S256` go in the header; absent for none",
            ),
            Opt::optional(
                "not_before",
                "nbf",
                K::U64,
                "`nbf`, a NumericDate (seconds since 1970); 0 for none",
            ),
        ],
        build: |v| {
            let aud = v.required("aud")?;
            let token_url = v.text("token_url").unwrap_or(aud);
            // `aud` stands in for the token URL when it is a URL; an `aud`
            // that is no URL at all (a name, a URN) reaches no endpoint.
            match v.text("token_url") {
                Some(url) => super::url::check_token_url(url, "token_url")?,
                None if aud.contains("://") => super::url::check_token_url(aud, "aud")?,
                None => {}
            }
            let iss = v.required("iss")?;
            let view = match v.text("sub") {
                Some(sub) if v.choice("kind") != Some(1) => Rfc7523::grant(iss, sub, aud)?,
                None if v.choice("kind") != Some(0) => Rfc7523::client_assertion(iss, aud)?,
                _ => {
                    return Err(Error::InvalidField {
                        field: "sub",
                        reason: "required by a grant, absent from a client assertion",
                    });
                }
            };
            let mut header = Header::new(v.alg("alg"));
            if let Some(kid) = v.text("kid") {
                header = header.kid(kid);
            }
            let thumbprints = v.bytes("cert").map(cert_thumbprints).transpose()?;
            if let Some(t) = &thumbprints {
                header = header.x5t(t.x5t()).x5t_s256(t.x5t_s256());
            }
            let mut view = view.with_header(&header)?.with_token_url(token_url)?;
            if let Some(scope) = v.text("scope") {
                view = view.with_scope(scope)?;
            }
            if let Some(nbf) = v.u64("not_before").filter(|n| *n != 0) {
                view = view.with_not_before_at(i64::try_from(nbf).map_err(|_| {
                    Error::InvalidField {
                        field: "not_before",
                        reason: "beyond the NumericDate range",
                    }
                })?);
            }
            let extra = v.list("claims").unwrap_or_default();
            let extra = extra
                .iter()
                .map(|c| parse_claim(c))
                .collect::<Result<alloc::vec::Vec<_>>>()?;
            v.finish(Owned::of(&view.with_extra(&extra))?, Owned::with_lifetime)
        },
    }
};

/// The thumbprints of a certificate given as PEM or DER.
#[cfg(feature = "alloc")]
fn cert_thumbprints(cert: &[u8]) -> Result<crate::keys::CertThumbprints> {
    match core::str::from_utf8(cert) {
        Ok(pem) if pem.contains("-----BEGIN") => crate::keys::CertThumbprints::from_pem(pem),
        _ => crate::keys::CertThumbprints::from_der(cert),
    }
}

#[cfg(all(test, feature = "alloc"))]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::super::declare::{Value, Values};
    use super::*;

    /// Builds the declared profile: a grant with `aud`, `claims`, the demo
    /// certificate, `nbf` 1699999990.
    fn build(aud: &str, claims: &[&str]) -> Result<super::super::declare::Built> {
        let mut values = [Value::Absent; 12];
        values[1] = Value::Text("client");
        values[2] = Value::Text("user");
        values[3] = Value::Text(aud);
        values[7] = Value::Text("k1");
        values[9] = Value::List(claims);
        values[10] = Value::Bytes(include_bytes!("../../examples/keys/demo-cert.pem"));
        values[11] = Value::U64(1_699_999_990);
        (PROVIDER.build)(&Values::new(&PROVIDER, &values, None).unwrap())
    }

    /// The declaration's new options: extra claims copied from texts that
    /// are gone before the mint, the certificate's thumbprints (openssl's
    /// SHA-1 / SHA-256 of the DER, Base64Url) in the header, an absolute
    /// `nbf`; bad claims refused with the precise error.
    #[test]
    fn declared_claims_cert_and_nbf() {
        let built = {
            let claims = [
                alloc::string::String::from("tenant=acme"),
                alloc::string::String::from("roles:=[\"a\", 1]"),
            ];
            let texts: alloc::vec::Vec<&str> = claims.iter().map(|c| c.as_str()).collect();
            build("urn:example:as", &texts).unwrap()
        };
        let c = built.claims(1_700_000_000, None).unwrap();
        assert_eq!(c.nbf, Some(1_699_999_990));
        assert_eq!(c.exp, Some(1_700_000_300));
        let mut json = [0u8; 512];
        let n = c.write_json(&mut json).unwrap();
        assert_eq!(
            core::str::from_utf8(&json[..n]).unwrap(),
            r#"{"iss":"client","sub":"user","aud":"urn:example:as","exp":1700000300,"nbf":1699999990,"iat":1700000000,"tenant":"acme","roles":["a", 1]}"#
        );
        let mut header = [0u8; 256];
        let n = crate::base64url::decode(built.header().as_bytes(), &mut header).unwrap();
        assert_eq!(
            &header[..n],
            br#"{"alg":"RS256","typ":"JWT","kid":"k1","x5t":"U8eVXOR9UENR_GwKQs0aws-pZLM","x5t#S256":"YmZmJVHnzPqC-uwG36mB_ytG0dPVENEcIHZp3fIKw_s"}"#
        );
        // An `aud` that is no URL is no token URL to check; an http one to
        // a remote host is (named as the `aud` standing in for it).
        assert!(matches!(
            build("http://as.example.com/token", &[]),
            Err(Error::InvalidField {
                field: "aud",
                reason: "http:// is only allowed to 127.0.0.1, [::1] or localhost",
            })
        ));
        let syntax = Error::InvalidField {
            field: "claims",
            reason: "expected NAME=VALUE or NAME:=JSON",
        };
        for (bad, want) in [
            ("tenant", syntax),
            ("r:=[1", Error::InvalidRawJson { offset: 1 }),
        ] {
            assert_eq!(build("urn:example:as", &[bad]).err(), Some(want), "{bad}");
        }
    }
}
