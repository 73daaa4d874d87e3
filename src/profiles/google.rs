//! Google service accounts (OAuth 2.0 for server-to-server applications).
//!
//! Rules (developers.google.com, "Using OAuth 2.0 for Server to Server
//! Applications", and google-auth-library-python's `service_account.py`):
//! header `{"alg":"RS256","typ":"JWT","kid":<private_key_id>}`; `iss` = the
//! service account's `client_email`; `scope` = space-delimited scopes; `aud` =
//! the key file's `token_uri` (`https://oauth2.googleapis.com/token`); `iat` =
//! now; `exp` ≤ `iat` + 3600 (default 3600, longer refused); optional `sub`
//! for domain-wide delegation. The body is the RFC 7523 §2.1 grant.
//!
//! ```
//! # #[cfg(feature = "std")] {
//! use jwtmint::profiles::{Google, Profile, ServiceAccount};
//! # let json = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/demo-service-account.json")).unwrap();
//! let sa = ServiceAccount::from_json(&json).unwrap(); // parse once
//! let scopes = ["https://www.googleapis.com/auth/devstorage.read_only"];
//! let google = Google::new(&sa, &scopes).unwrap();
//! let mut out = [0u8; 1200];
//! let n = jwtmint::profiles::mint_profile(&google, sa.key(), 1_700_000_000, None, &mut out).unwrap();
//! assert_eq!(google.token_url(), Some(sa.token_uri()));
//! # }
//! ```

use serde::Deserialize;
use zeroize::{Zeroize, Zeroizing};

use crate::alg::Algorithm;
use crate::claims::Claims;
use crate::error::{Error, Result};
use crate::header::{Header, HeaderTemplate};
use crate::keys::SigningKey;

use super::declare::{KeyUse, Kind, Opt, Provider, with_opt};
use super::grants::Grant;
use super::profile::{Limits, Profile};
use super::request::{Params, TokenRequest};
pub use super::rules::FIELD_CAPACITY;
use super::rules::{Text, non_empty, owned};
use super::url::check_https_url;

/// Google's limit on `exp - iat`: one hour.
pub const MAX_LIFETIME: i64 = 3600;
/// Current token endpoint.
pub const TOKEN_URI: &str = "https://oauth2.googleapis.com/token";
/// Capacity of the joined `scope` claim.
pub const SCOPE_CAPACITY: usize = 2048;
/// Largest `private_key` PEM accepted (RSA-4096 PKCS#8 is about 3.3 KB).
pub const PRIVATE_KEY_CAPACITY: usize = 8192;

/// The members of a service-account key file that matter here; others are ignored.
#[derive(Deserialize)]
struct KeyFile {
    #[serde(rename = "type")]
    kind: Option<heapless::String<FIELD_CAPACITY>>,
    private_key: Option<heapless::String<PRIVATE_KEY_CAPACITY>>,
    private_key_id: Option<heapless::String<FIELD_CAPACITY>>,
    client_email: Option<heapless::String<FIELD_CAPACITY>>,
    token_uri: Option<heapless::String<FIELD_CAPACITY>>,
}

/// A service account loaded from its JSON key file: the key is parsed once.
pub struct ServiceAccount {
    key: SigningKey,
    client_email: heapless::String<FIELD_CAPACITY>,
    private_key_id: heapless::String<FIELD_CAPACITY>,
    token_uri: heapless::String<FIELD_CAPACITY>,
    header: HeaderTemplate,
}

impl core::fmt::Debug for ServiceAccount {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ServiceAccount")
            .field("client_email", &self.client_email.as_str())
            .field("private_key_id", &self.private_key_id.as_str())
            .field("token_uri", &self.token_uri.as_str())
            .field("key", &self.key)
            .finish()
    }
}

impl ServiceAccount {
    /// Reads a Google service-account key file (`type`, `private_key`,
    /// `private_key_id`, `client_email`, `token_uri`). The private key may be
    /// PKCS#8 or PKCS#1 PEM. The JSON text holding the key is zeroized after use.
    ///
    /// # Errors
    /// `ServiceAccountJson { field }` naming what is missing or malformed; key
    /// errors from [`SigningKey::from_pem`]; `InvalidAudience` for a bad `token_uri`.
    pub fn from_json(json: &[u8]) -> Result<Self> {
        // The strict validator first (depth <= 32): serde-json-core skips
        // unknown members by recursing without a limit, so a hostile file
        // nested deeply enough would overflow the stack.
        let malformed = Error::ServiceAccountJson { field: "json" };
        let text = core::str::from_utf8(json).map_err(|_| malformed)?;
        crate::json::validate_grammar(text).map_err(|_| malformed)?;
        let mut scratch = Zeroizing::new(alloc::vec![0u8; json.len()]);
        let (mut file, _) = serde_json_core::from_slice_escaped::<KeyFile>(json, &mut scratch)
            .map_err(|_| Error::ServiceAccountJson { field: "json" })?;
        let result = Self::from_key_file(&file);
        if let Some(pk) = file.private_key.as_mut() {
            pk.zeroize();
        }
        result
    }

    fn from_key_file(file: &KeyFile) -> Result<Self> {
        if let Some(kind) = &file.kind
            && kind != "service_account"
        {
            return Err(Error::ServiceAccountJson { field: "type" });
        }
        let pem = file.private_key.as_ref().ok_or(Error::ServiceAccountJson {
            field: "private_key",
        })?;
        let client_email = file.client_email.clone().ok_or(Error::ServiceAccountJson {
            field: "client_email",
        })?;
        non_empty("client_email", &client_email)?;
        let token_uri = match &file.token_uri {
            Some(t) => t.clone(),
            None => heapless::String::<FIELD_CAPACITY>::try_from(TOKEN_URI)
                .map_err(|_| Error::ServiceAccountJson { field: "token_uri" })?,
        };
        check_https_url(&token_uri)?;
        let private_key_id = file.private_key_id.clone().unwrap_or_default();
        let key = SigningKey::from_pem(pem)?;
        let mut header = Header::new(Algorithm::Rs256);
        if !private_key_id.is_empty() {
            header = header.kid(&private_key_id);
        }
        let header = HeaderTemplate::new(&header)?;
        Ok(Self {
            key,
            client_email,
            private_key_id,
            token_uri,
            header,
        })
    }

    /// The signing key: pass it to [`crate::profiles::mint_profile`] with a [`Google`] profile.
    pub const fn key(&self) -> &SigningKey {
        &self.key
    }

    /// `client_email`, the `iss` of every assertion.
    pub fn client_email(&self) -> &str {
        &self.client_email
    }

    /// `private_key_id`, the header's `kid` (empty if the file had none).
    pub fn private_key_id(&self) -> &str {
        &self.private_key_id
    }

    /// `token_uri`, the `aud` and the token endpoint.
    pub fn token_uri(&self) -> &str {
        &self.token_uri
    }
}

/// A Google service-account assertion profile (RS256, `kid` from the key
/// file). It copies what it needs from the [`ServiceAccount`] and owns it;
/// sign with the account's key (`sa.key()`).
#[derive(Clone, Debug)]
pub struct Google {
    client_email: Text,
    token_uri: Text,
    header: HeaderTemplate,
    scope: heapless::String<SCOPE_CAPACITY>,
    subject: Option<Text>,
    lifetime: i64,
}

impl Google {
    /// A profile for `scopes` (joined with spaces), lifetime one hour.
    ///
    /// # Errors
    /// `InvalidField` when there are no scopes, a scope is empty or contains a
    /// space, or the joined scopes exceed [`SCOPE_CAPACITY`].
    pub fn new(sa: &ServiceAccount, scopes: &[&str]) -> Result<Self> {
        if scopes.is_empty() {
            return Err(Error::InvalidField {
                field: "scope",
                reason: "at least one scope is required",
            });
        }
        let mut scope = heapless::String::new();
        let too_long = |_| Error::InvalidField {
            field: "scope",
            reason: "joined scopes exceed 2048 bytes",
        };
        for (i, s) in scopes.iter().enumerate() {
            if s.is_empty() || s.contains(char::is_whitespace) {
                return Err(Error::InvalidField {
                    field: "scope",
                    reason: "scopes must be non-empty and contain no spaces",
                });
            }
            if i > 0 {
                scope.push(' ').map_err(too_long)?;
            }
            scope.push_str(s).map_err(too_long)?;
        }
        Ok(Self {
            client_email: sa.client_email.clone(),
            token_uri: sa.token_uri.clone(),
            header: sa.header,
            scope,
            subject: None,
            lifetime: MAX_LIFETIME,
        })
    }

    /// Sets `sub`: the user to impersonate with domain-wide delegation.
    ///
    /// # Errors
    /// `InvalidField` for an empty subject.
    pub fn with_subject(mut self, email: &str) -> Result<Self> {
        self.subject = Some(owned("sub", email)?);
        Ok(self)
    }

    super::rules::with_lifetime!(MAX_LIFETIME, "exp - iat", "3600");
}

impl Profile for Google {
    super::rules::timed_profile!("google", MAX_LIFETIME, |p, now| Claims {
        sub: p.subject.as_deref(),
        ..Claims::new()
            .iss(&p.client_email)
            .scope(&p.scope)
            .aud(&p.token_uri)
            .iat(now)
    });

    fn token_request(&self) -> Option<TokenRequest<'_>> {
        Some(TokenRequest::post(
            &self.token_uri,
            Grant::JwtBearer,
            Params::new(),
        ))
    }
}

impl super::declare::OwnKey for alloc::sync::Arc<ServiceAccount> {
    fn key(&self) -> &SigningKey {
        ServiceAccount::key(self)
    }
}

/// The [`ServiceAccount`] a handle holds.
fn loaded(a: &(dyn core::any::Any + Send + Sync)) -> Option<&ServiceAccount> {
    a.downcast_ref::<alloc::sync::Arc<ServiceAccount>>()
        .map(|sa| &**sa)
}

/// The service-account key file as a declared [`Kind::Account`]:
/// read once, shared (`Arc`) by the profiles built from it; C reads it with
/// `jwtmint_google_account_new_from_json`.
pub const ACCOUNT: super::declare::Account = super::declare::Account {
    c_type: "jwtmint_google_account",
    what: "service account",
    format: "json",
    holds: "A Google service account loaded from its JSON key file",
    file: "a Google service-account key file",
    members: "`type`, `private_key` (PKCS#8 or PKCS#1 PEM), `private_key_id`, `client_email`, `token_uri`",
    errors: "`SERVICE_ACCOUNT_JSON` (syntax, missing `private_key` / `client_email`, `type` not `service_account`), `INVALID_FIELD` (empty `client_email`), `INVALID_AUDIENCE` (bad `token_uri`), and the key errors of `jwtmint_key_new_from_pem`",
    read: |json| {
        let sa = alloc::sync::Arc::new(ServiceAccount::from_json(json)?);
        Ok(alloc::boxed::Box::new(sa))
    },
    texts: &[
        (
            "client_email",
            "`client_email` (the `iss` of its assertions)",
            |a| Some(loaded(a)?.client_email()),
        ),
        (
            "token_uri",
            "`token_uri` (the `aud` of its assertions and the URL to POST the form body to)",
            |a| Some(loaded(a)?.token_uri()),
        ),
        (
            "private_key_id",
            "`private_key_id` (the header's `kid`; empty if the key file had none)",
            |a| Some(loaded(a)?.private_key_id()),
        ),
    ],
};

/// The Google declaration (C `jwtmint_google_profile_new`, which takes the
/// `jwtmint_google_account` from `jwtmint_google_account_new_from_json`;
/// CLI `--profile google --service-account FILE`). The profile signs with
/// the account's own key.
pub const PROVIDER: Provider = Provider {
    name: "google",
    summary: "Google service account (key file, scopes, exp <= 1 h)",
    c_options: "jwtmint_google_options",
    lifetime: (MAX_LIFETIME, MAX_LIFETIME),
    key: KeyUse::Own,
    options: &[
        Opt::required(
            "account",
            "service-account",
            Kind::Account(&ACCOUNT),
            "the service account: its JSON key file (`type` `service_account`, `private_key`, `private_key_id`, `client_email`, `token_uri`)",
        ),
        Opt::optional(
            "scopes",
            "scope",
            Kind::List("scope_count"),
            "the OAuth scopes (at least one; each non-empty, without spaces)",
        ),
        Opt::optional(
            "subject",
            "sub",
            Kind::Text,
            "`sub`: the user to impersonate with domain-wide delegation; absent for none",
        ),
        Opt::lifetime("seconds from `iat` to `exp`, 1..=3600; default 3600"),
    ],
    build: |v| {
        let sa: &alloc::sync::Arc<ServiceAccount> = v.account("account")?;
        let scopes = v.list("scopes").unwrap_or_default();
        let p = with_opt(
            Google::new(sa, scopes)?,
            v.text("subject"),
            Google::with_subject,
        )?;
        let key = alloc::boxed::Box::new(alloc::sync::Arc::clone(sa));
        v.finish_owning(p, Google::with_lifetime, key)
    },
    ..Provider::RS256
};
