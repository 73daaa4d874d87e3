//! Box JWT authentication (server authentication with a key pair).
//!
//! Rules (Box Developer Documentation, "JWT without SDKs" —
//! <https://developer.box.com/guides/authentication/jwt/without-sdk/>):
//! the app's `config.json` holds `boxAppSettings.clientID`, `clientSecret`,
//! `appAuth.publicKeyID`, `appAuth.privateKey` (a **passphrase-encrypted**
//! PKCS#8 key) and `appAuth.passphrase`, and `enterpriseID`; it is read
//! directly ([`BoxConfig::from_json`]) and the key decrypted with
//! [`SigningKey::from_pem_with_passphrase`]. Header: RS256 (RS384/RS512
//! also documented), `kid` = `publicKeyID`, `typ: JWT`. Claims: `iss` =
//! client ID, `sub` = the enterprise ID or a user ID, `box_sub_type` =
//! `enterprise` / `user`, `aud` = `https://api.box.com/oauth2/token`, `jti`
//! a unique id (16 to 128 characters), `exp` "can not be more than 60
//! seconds in the future" — longer refused, default 45 s. The token request
//! is the RFC 7523 grant **plus `client_id` and `client_secret`** in the
//! form. The client secret is redacted from `Debug`.

use alloc::sync::Arc;

use serde::Deserialize;
use zeroize::{Zeroize, Zeroizing};

use crate::alg::Algorithm;
use crate::claims::{ClaimValue, Claims};
use crate::error::{Error, Result};
use crate::header::{Header, HeaderTemplate};
use crate::keys::SigningKey;

use super::declare::{KeyUse, Kind, Opt, Provider};
use super::google::PRIVATE_KEY_CAPACITY;
use super::grants::Grant;
use super::profile::{Limits, Profile};
use super::request::{Params, TokenRequest};
use super::rules::{FIELD_CAPACITY, Text, expiry, owned, required_jti};

/// Box: `exp` at most 60 s in the future.
pub const MAX_LIFETIME: i64 = 60;
/// Default lifetime: 45 s (clock-skew margin under the cap).
pub const DEFAULT_LIFETIME: i64 = 45;
/// Box's token endpoint, the `aud`.
pub const TOKEN_URL: &str = "https://api.box.com/oauth2/token";
/// Box: the `jti` is 16 to 128 characters.
pub const JTI_LEN: core::ops::RangeInclusive<usize> = 16..=128;

type Field = heapless::String<FIELD_CAPACITY>;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AppAuth {
    #[serde(rename = "publicKeyID")]
    public_key_id: Option<Field>,
    private_key: Option<heapless::String<PRIVATE_KEY_CAPACITY>>,
    passphrase: Option<Field>,
}

#[derive(Deserialize)]
struct AppSettings {
    #[serde(rename = "clientID")]
    client_id: Option<Field>,
    #[serde(rename = "clientSecret")]
    client_secret: Option<Field>,
    #[serde(rename = "appAuth")]
    app_auth: Option<AppAuth>,
}

#[derive(Deserialize)]
struct ConfigFile {
    #[serde(rename = "boxAppSettings")]
    settings: Option<AppSettings>,
    #[serde(rename = "enterpriseID")]
    enterprise_id: Option<Field>,
}

fn missing(field: &'static str) -> Error {
    Error::InvalidField {
        field,
        reason: "missing from the Box config.json",
    }
}

/// A Box app configuration read from its `config.json`: the key decrypted
/// and parsed once. `Debug` shows no secret.
pub struct BoxConfig {
    key: SigningKey,
    client_id: Text,
    client_secret: Zeroizing<Text>,
    public_key_id: Text,
    enterprise_id: Option<Text>,
}

impl core::fmt::Debug for BoxConfig {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("BoxConfig")
            .field("client_id", &self.client_id.as_str())
            .field("client_secret", &"<redacted>")
            .field("public_key_id", &self.public_key_id.as_str())
            .field("key", &self.key)
            .finish_non_exhaustive()
    }
}

impl BoxConfig {
    /// Reads a Box `config.json`; the JSON text holding the key and secrets
    /// is zeroized after use.
    ///
    /// # Errors
    /// `InvalidField { field: "config.json" }` for a syntax error;
    /// `InvalidField` naming a missing member; the key errors of
    /// [`SigningKey::from_pem_with_passphrase`] (`WrongPassphrase`, ...).
    pub fn from_json(json: &[u8]) -> Result<Self> {
        let not_config = Error::InvalidField {
            field: "config.json",
            reason: "not a Box app config JSON",
        };
        // The strict validator first (depth <= 32): serde-json-core skips
        // unknown members by recursing without a limit, so a hostile file
        // nested deeply enough would overflow the stack.
        let text = core::str::from_utf8(json).map_err(|_| not_config)?;
        crate::json::validate_grammar(text).map_err(|_| not_config)?;
        let mut scratch = Zeroizing::new(alloc::vec![0u8; json.len()]);
        let (mut file, _) = serde_json_core::from_slice_escaped::<ConfigFile>(json, &mut scratch)
            .map_err(|_| not_config)?;
        let result = Self::from_file(&file);
        if let Some(a) = file.settings.as_mut().and_then(|s| s.app_auth.as_mut()) {
            if let Some(k) = a.private_key.as_mut() {
                k.zeroize();
            }
            if let Some(p) = a.passphrase.as_mut() {
                p.zeroize();
            }
        }
        if let Some(s) = file
            .settings
            .as_mut()
            .and_then(|s| s.client_secret.as_mut())
        {
            s.zeroize();
        }
        result
    }

    fn from_file(file: &ConfigFile) -> Result<Self> {
        let s = file.settings.as_ref().ok_or(missing("boxAppSettings"))?;
        let auth = s.app_auth.as_ref().ok_or(missing("appAuth"))?;
        let pem = auth.private_key.as_ref().ok_or(missing("privateKey"))?;
        let pass = auth.passphrase.as_deref().unwrap_or_default();
        let key = SigningKey::from_pem_with_passphrase(pem, pass.as_bytes())?;
        let client_id = s.client_id.as_deref().ok_or(missing("clientID"))?;
        let secret = s.client_secret.as_deref().ok_or(missing("clientSecret"))?;
        let kid = auth
            .public_key_id
            .as_deref()
            .ok_or(missing("publicKeyID"))?;
        let enterprise_id = match file.enterprise_id.as_deref() {
            Some(e) if !e.is_empty() && e != "0" => Some(owned("enterpriseID", e)?),
            _ => None,
        };
        Ok(Self {
            key,
            client_id: owned("clientID", client_id)?,
            client_secret: Zeroizing::new(owned("clientSecret", secret)?),
            public_key_id: owned("publicKeyID", kid)?,
            enterprise_id,
        })
    }

    /// The decrypted signing key.
    pub fn key(&self) -> &SigningKey {
        &self.key
    }
}

/// Whose token is requested (`sub` and `box_sub_type`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BoxSubject<'a> {
    /// The app's service account in the config's `enterpriseID`.
    Enterprise,
    /// A managed or app user, by user ID.
    User(&'a str),
}

const ENTERPRISE: &[(&str, ClaimValue<'static>)] =
    &[("box_sub_type", ClaimValue::Str("enterprise"))];
const USER: &[(&str, ClaimValue<'static>)] = &[("box_sub_type", ClaimValue::Str("user"))];

/// A Box JWT profile. Shares its config (and key) by `Arc`.
#[derive(Clone)]
pub struct BoxApp {
    config: Arc<BoxConfig>,
    sub: Text,
    sub_type: &'static [(&'static str, ClaimValue<'static>)],
    header: HeaderTemplate,
    lifetime: i64,
}

impl core::fmt::Debug for BoxApp {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("BoxApp")
            .field("config", &self.config)
            .field("sub", &self.sub.as_str())
            .field("lifetime", &self.lifetime)
            .finish_non_exhaustive()
    }
}

impl BoxApp {
    /// A profile for `subject`, RS256 with `kid` = `publicKeyID`.
    ///
    /// # Errors
    /// `InvalidField { field: "enterpriseID" }` for `Enterprise` when the
    /// config has none; `InvalidField` for an empty user ID.
    pub fn new(config: Arc<BoxConfig>, subject: BoxSubject<'_>) -> Result<Self> {
        let (sub, sub_type) = match subject {
            BoxSubject::Enterprise => (
                config
                    .enterprise_id
                    .clone()
                    .ok_or(missing("enterpriseID"))?,
                ENTERPRISE,
            ),
            BoxSubject::User(id) => (owned("sub", id)?, USER),
        };
        let header =
            HeaderTemplate::new(&Header::new(Algorithm::Rs256).kid(&config.public_key_id))?;
        Ok(Self {
            config,
            sub,
            sub_type,
            header,
            lifetime: DEFAULT_LIFETIME,
        })
    }

    super::rules::with_lifetime!(MAX_LIFETIME, "exp - now", "60");

    /// The key to mint with (the config's).
    pub fn key(&self) -> &SigningKey {
        &self.config.key
    }
}

impl Profile for BoxApp {
    super::rules::name_and_header!("box");

    fn claims<'s>(&'s self, now: i64, jti: Option<&'s str>) -> Result<Claims<'s>> {
        let jti = required_jti(jti, "required by Box (a unique id of 16 to 128 characters)")?;
        if !JTI_LEN.contains(&jti.len()) {
            return Err(Error::InvalidField {
                field: "jti",
                reason: "Box requires a jti of 16 to 128 characters",
            });
        }
        Ok(Claims::new()
            .iss(&self.config.client_id)
            .sub(&self.sub)
            .aud(TOKEN_URL)
            .jti(jti)
            .exp(expiry(now, self.lifetime, MAX_LIFETIME)?)
            .extra(self.sub_type))
    }

    fn limits(&self) -> Limits {
        Limits::new(self.lifetime, Some(MAX_LIFETIME)).jti_required()
    }

    /// The RFC 7523 grant with `client_id` and `client_secret`.
    fn token_request(&self) -> Option<TokenRequest<'_>> {
        let params = Params::new()
            .push("client_id", &self.config.client_id)
            .and_then(|p| p.push("client_secret", &self.config.client_secret))
            .unwrap_or_default();
        Some(TokenRequest::post(TOKEN_URL, Grant::JwtBearer, params))
    }
}

impl super::declare::OwnKey for Arc<BoxConfig> {
    fn key(&self) -> &SigningKey {
        BoxConfig::key(self)
    }
}

/// The Box declaration (C `jwtmint_box_profile_new`, CLI `--profile box`):
/// the config file holds the key, so the caller gives none.
pub const PROVIDER: Provider = Provider {
    name: "box",
    summary: "Box JWT (--box-config config.json with its encrypted key; --sub USER_ID or the enterprise; exp <= 60 s)",
    c_options: "jwtmint_box_options",
    lifetime: (DEFAULT_LIFETIME, MAX_LIFETIME),
    key: KeyUse::Own,
    options: &[
        Opt::required(
            "config_json",
            "box-config",
            Kind::Bytes,
            "the app config JSON as downloaded from the Box developer console (`boxAppSettings` with `clientID`, `clientSecret`, `appAuth` `{publicKeyID, privateKey, passphrase}`, and `enterpriseID`); its passphrase-encrypted key is decrypted once and signs every JWT",
        ),
        Opt::optional(
            "user_id",
            "sub",
            Kind::Text,
            "a managed or app user ID (`box_sub_type` `user`); absent for the enterprise (`box_sub_type` `enterprise`)",
        ),
        Opt::lifetime("seconds from now to `exp`, 1..=60; default 45"),
    ],
    build: |v| {
        let json = v.bytes("config_json").unwrap_or_default();
        let config = Arc::new(BoxConfig::from_json(json)?);
        let subject = v
            .text("user_id")
            .map_or(BoxSubject::Enterprise, BoxSubject::User);
        let p = BoxApp::new(Arc::clone(&config), subject)?;
        v.finish_owning(p, BoxApp::with_lifetime, alloc::boxed::Box::new(config))
    },
    ..Provider::RS256
};
