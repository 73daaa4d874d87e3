//! Named logins: the `jwtmint` CLI's TOML config file, read from Rust.
//!
//! One file (`--config PATH`, default [`Logins::default_path`]:
//! `$XDG_CONFIG_HOME/jwtmint/config.toml`, else
//! `~/.config/jwtmint/config.toml`) holds named entries, each a provider
//! profile's fields under the CLI's flag names and *references* to secrets:
//!
//! ```toml
//! [login.okta-billing]
//! profile = "okta"
//! aud = "https://acme.okta.com/oauth2/default"
//! client-id = "0oa1billing"
//! key = "keys/okta-billing.pem"        # relative to this file's directory
//! key-passphrase-env = "OKTA_KEY_PASS" # or key-passphrase-file = PATH
//! cache = "~/.cache/jwtmint/okta-billing.json"
//! ```
//!
//! The file is outside input and is treated as such:
//!
//! - it is refused when group or world writable, when owned by someone else
//!   than the current user (or root), when its directory is world writable
//!   without the sticky bit, when it is not a regular file, or when it is
//!   larger than [`MAX_CONFIG_LEN`];
//! - a secret is never a value in it: a field that would hold one (`secret`,
//!   `password`, `passphrase`, `client-secret`, ..., or a `key` holding PEM
//!   or JWK text instead of a path) is refused, naming the field;
//! - every error names the file, the line and the field ([`ConfigError`]),
//!   and never repeats a value.
//!
//! [`TokenSource::from_config`] (or [`Logins::token_source`]) builds a
//! [`TokenSource`] from an entry of a declared provider
//! ([`crate::profiles::DECLARED`]): its options from the entry's fields, the
//! key from the key file, `token-url`, `timeout`, `refresh-skew`,
//! `session-lifetime` and `cache` (sealed with `cache-key-file` /
//! `cache-key-env` when the `seal` feature is on) as the CLI reads them.
//!
//! ```no_run
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use jwtmint::client::TokenSource;
//! let source = TokenSource::from_config("okta-billing")?;
//! let token = source.get()?;
//! println!("Authorization: {} {}", token.token_type, token.access_token());
//! # Ok(()) }
//! ```

#[allow(unused_imports)]
use std::prelude::rust_2024::*;
#[allow(unused_imports)]
use std::{format, vec};

use std::any::Any;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use toml::Spanned;
use toml::de::{DeTable, DeValue};
use zeroize::Zeroizing;

use crate::client::TokenSource;
use crate::client::http::HttpConfig;
use crate::client::redact;
use crate::keys::formats::LoadedKey;
use crate::keys::{CertThumbprints, SigningKey};
use crate::profiles::declare::{Built, KeyUse, Kind, Misfit, Opt, Provider, Value as OptValue};
use crate::session::Config;

/// Largest config file read (a file of a hundred logins is a few KB).
pub const MAX_CONFIG_LEN: usize = 64 * 1024;
/// Longest login name.
pub const MAX_NAME_LEN: usize = 64;
/// Longest string value (a URL, a path, a scope list).
pub const MAX_VALUE_LEN: usize = 4096;
/// Most items in one list field (`scope`, `claim`, ...).
pub const MAX_LIST_LEN: usize = 64;

/// The type of a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    /// A string.
    Text,
    /// An integer.
    Integer,
    /// `true` / `false`.
    Bool,
    /// A string or an array of strings.
    List,
    /// A file path (relative: to the config file's directory; `~/`: home).
    Path,
    /// The name of an environment variable.
    Env,
}

/// The fields every entry may hold beyond the declared providers' options:
/// the CLI's flags of `mint` / `exchange` that describe a login. Absolute
/// times (`iat`, `exp`, `nbf`), `jti` and output choices are not login data.
const FIELDS: &[(&str, Shape)] = &[
    ("profile", Shape::Text),
    // The key and its passphrase: references only.
    ("key", Shape::Path),
    ("key-passphrase-file", Shape::Path),
    ("key-passphrase-env", Shape::Env),
    // Options whose field is not of their kind: `scope` is a list for
    // every provider, the two choices given as booleans.
    ("scope", Shape::List),
    ("legacy-rs256", Shape::Bool),
    ("client-assertion", Shape::Bool),
    // The exchange.
    ("token-url", Shape::Text),
    ("cache", Shape::Path),
    ("cache-key-file", Shape::Path),
    ("cache-key-env", Shape::Env),
    ("refresh-skew", Shape::Integer),
    ("session-lifetime", Shape::Integer),
    ("timeout", Shape::Integer),
    // `--profile custom`.
    ("grant", Shape::Text),
    ("username", Shape::Text),
    ("password-file", Shape::Path),
    ("password-env", Shape::Env),
    ("renew", Shape::List),
    ("renew-grant-type", Shape::Text),
    ("form", Shape::List),
    ("header", Shape::List),
];

/// Words that make a field name (or a `form` / `header` name) a secret
/// value: such a field is refused, never read.
const SECRET_WORDS: &[&str] = &[
    "secret",
    "password",
    "passwd",
    "passphrase",
    "private",
    "token",
    "key",
    "credential",
    "assertion",
    "authorization",
    "cookie",
];

/// The type of field `name`: one of [`FIELDS`], else a declared provider's
/// option by its flag.
fn shape(name: &str) -> Option<Shape> {
    if let Some((_, s)) = FIELDS.iter().find(|(n, _)| *n == name) {
        return Some(*s);
    }
    crate::profiles::DECLARED
        .iter()
        .flat_map(|p| p.options.iter())
        .find(|o| o.flag == name)
        .map(|o| match o.kind {
            _ if OptionFiles::names_a_file(o) => Shape::Path,
            Kind::U64 | Kind::Lifetime => Shape::Integer,
            Kind::List(_) => Shape::List,
            _ => Shape::Text,
        })
}

/// Every field name an entry may hold (the CLI checks each is a flag).
pub fn field_names() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = FIELDS.iter().map(|(n, _)| *n).collect();
    for p in crate::profiles::DECLARED {
        for o in p.options {
            if !names.contains(&o.flag) {
                names.push(o.flag);
            }
        }
    }
    names
}

/// Whether `name` (any case, `_` or `-`) names a secret value.
fn is_secret_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase().replace('_', "-");
    SECRET_WORDS.iter().any(|w| n.contains(w))
}

/// A field's value.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Value {
    /// A string.
    Text(String),
    /// An integer.
    Integer(i64),
    /// A flag.
    Bool(bool),
    /// Strings (a single string is a list of one).
    List(Vec<String>),
    /// A file path, resolved: `~/` against the home directory, a relative
    /// path against the config file's directory.
    Path(PathBuf),
    /// An environment variable's name (its value is read when used).
    Env(String),
}

/// One field of an entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    /// The name (the CLI flag without `--`).
    pub name: String,
    /// The value.
    pub value: Value,
    /// The 1-based line it is on.
    pub line: usize,
}

/// Where an entry's secrets come from (never the secrets themselves).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SecretRefs {
    /// The private key file (`key`).
    pub key: Option<PathBuf>,
    /// The file holding the key's passphrase (`key-passphrase-file`).
    pub key_passphrase_file: Option<PathBuf>,
    /// The environment variable holding it (`key-passphrase-env`).
    pub key_passphrase_env: Option<String>,
    /// `--profile custom`'s password file (`password-file`).
    pub password_file: Option<PathBuf>,
    /// ... or its environment variable (`password-env`).
    pub password_env: Option<String>,
    /// The cache's sealing key file (`cache-key-file`).
    pub cache_key_file: Option<PathBuf>,
    /// ... or its environment variable (`cache-key-env`).
    pub cache_key_env: Option<String>,
}

/// One named login.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Login {
    name: String,
    profile: String,
    line: usize,
    fields: Vec<Field>,
    secrets: SecretRefs,
    file: PathBuf,
}

impl Login {
    /// Its name (`[login.<name>]`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The provider profile (`profile = "..."`, the CLI's `--profile`).
    pub fn profile(&self) -> &str {
        &self.profile
    }

    /// The line of its `[login.<name>]` header.
    pub const fn line(&self) -> usize {
        self.line
    }

    /// Every field but `profile`, secret references included, in name order.
    pub fn fields(&self) -> &[Field] {
        &self.fields
    }

    /// The field `name`, if present.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.fields
            .iter()
            .find(|f| f.name == name)
            .map(|f| &f.value)
    }

    /// Where its secrets come from.
    pub const fn secrets(&self) -> &SecretRefs {
        &self.secrets
    }

    fn error(&self, line: usize, field: &str, reason: impl Into<String>) -> ConfigError {
        ConfigError::Invalid {
            path: self.file.clone(),
            line,
            login: Some(self.name.clone()),
            field: Some(field.to_owned()),
            reason: reason.into(),
        }
    }

    fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    fn text(&self, name: &str) -> Option<&str> {
        match self.get(name) {
            Some(Value::Text(t)) => Some(t),
            _ => None,
        }
    }

    fn integer(&self, name: &str) -> Option<i64> {
        match self.get(name) {
            Some(Value::Integer(i)) => Some(*i),
            _ => None,
        }
    }

    /// The key's passphrase from `key-passphrase-file` or
    /// `key-passphrase-env` (wiped on drop).
    fn passphrase(&self) -> Result<Option<Zeroizing<Vec<u8>>>, ConfigError> {
        let s = &self.secrets;
        if let Some(path) = &s.key_passphrase_file {
            return read_passphrase_file(path).map(Some);
        }
        if let Some(var) = &s.key_passphrase_env {
            return match std::env::var(var) {
                Ok(v) => Ok(Some(Zeroizing::new(v.into_bytes()))),
                Err(_) => Err(self.error(
                    self.field("key-passphrase-env")
                        .map_or(self.line, |f| f.line),
                    "key-passphrase-env",
                    format!("environment variable {var} is not set (or not UTF-8)"),
                )),
            };
        }
        Ok(None)
    }

    /// The signing key from `key` (and its passphrase), with what its
    /// file carried (a PKCS#12 certificate).
    fn loaded_key(&self) -> Result<LoadedKey, ConfigError> {
        let line = self.field("key").map_or(self.line, |f| f.line);
        let path = self
            .secrets
            .key
            .as_ref()
            .ok_or_else(|| self.error(self.line, "key", "required: the private key file"))?;
        let bytes = Zeroizing::new(read_capped(path, "key", 1024 * 1024)?);
        let pass = self.passphrase()?;
        load_key(&bytes, pass.as_deref().map(Vec::as_slice))
            .map_err(|e| self.error(line, "key", format!("{}: {e}", path.display())))
    }

    /// Field `flag` as [`build_provider`] reads it.
    fn raw(&self, flag: &str) -> Option<Raw<'_>> {
        Some(match self.get(flag)? {
            Value::Text(t) => Raw::Text(t),
            Value::Integer(i) => Raw::Integer(*i),
            Value::Bool(b) => Raw::Bool(*b),
            Value::List(l) => Raw::List(l),
            Value::Path(p) => Raw::Path(p),
            Value::Env(_) => return None,
        })
    }

    /// A token source for this entry (see [`TokenSource::from_config`]).
    ///
    /// # Errors
    /// [`ConfigError::Invalid`] naming the field: a profile that is not a
    /// declared provider, a field the profile does not read or a required
    /// one missing, the key file, the passphrase, the profile's own checks;
    /// [`ConfigError::Source`] when the token source refuses its settings
    /// (token URL, key algorithm).
    pub fn token_source(&self) -> Result<LoginSource, ConfigError> {
        let p = crate::profiles::declared(&self.profile).ok_or_else(|| {
            let names: Vec<&str> = crate::profiles::DECLARED.iter().map(|p| p.name).collect();
            self.error(
                self.line,
                "profile",
                format!(
                    "profile {} is not built from a config file in Rust (declared providers: {})",
                    self.profile,
                    names.join(", ")
                ),
            )
        })?;
        // Every field must be read: the provider's options, the key and
        // the exchange settings.
        const SOURCE_FIELDS: &[&str] = &[
            "key",
            "key-passphrase-file",
            "key-passphrase-env",
            "token-url",
            "cache",
            "cache-key-file",
            "cache-key-env",
            "refresh-skew",
            "session-lifetime",
            "timeout",
        ];
        for f in &self.fields {
            if !SOURCE_FIELDS.contains(&f.name.as_str()) && !p.reads(&f.name) {
                return Err(self.error(f.line, &f.name, format!("not used by profile {}", p.name)));
            }
        }
        // A provider whose configuration file holds its key takes none.
        let loaded = match (p.key, self.field("key")) {
            (KeyUse::Own, Some(f)) => {
                return Err(self.error(
                    f.line,
                    "key",
                    format!("not used by profile {}: its file holds the key", p.name),
                ));
            }
            (KeyUse::Own, None) => None,
            _ => Some(self.loaded_key()?),
        };
        let (built, key) = build_provider(p, |flag| self.raw(flag), loaded).map_err(|e| {
            let field = e.field();
            let line = self.field(field).map_or(self.line, |f| f.line);
            self.error(line, field, e.to_string())
        })?;
        self.source(built, key)
    }

    /// The token source over a built profile: the exchange settings.
    fn source(&self, built: Built, key: LoginKey) -> Result<LoginSource, ConfigError> {
        let source_err = |e: &dyn core::fmt::Display| ConfigError::Source {
            login: self.name.clone(),
            reason: redact::sanitize(&e.to_string()),
        };
        let mut http = HttpConfig::default();
        if let Some(t) = self.integer("timeout") {
            let t = u64::try_from(t).unwrap_or(0);
            http = http.with_timeout_secs(t).map_err(|e| {
                self.error(
                    self.field("timeout").map_or(self.line, |f| f.line),
                    "timeout",
                    e.to_string(),
                )
            })?;
        }
        let mut config = Config::new();
        if let Some(s) = self.integer("refresh-skew") {
            config = config.refresh_ahead(s);
        }
        if let Some(s) = self.integer("session-lifetime") {
            config = config.session_lifetime(s);
        }
        let mut b = TokenSource::builder(built, key).config(config).http(http);
        if let Some(url) = self.text("token-url") {
            b = b.token_url(url);
        }
        if let Some(Value::Path(path)) = self.get("cache") {
            b = b.store(self.store(path)?);
        } else if self.secrets.cache_key_file.is_some() || self.secrets.cache_key_env.is_some() {
            return Err(self.error(
                self.line,
                "cache",
                "required by cache-key-file / cache-key-env",
            ));
        }
        b.build().map_err(|e| source_err(&e))
    }

    /// The cache file store, sealed when a cache key is referenced.
    fn store(&self, path: &Path) -> Result<Arc<dyn crate::client::store::Store>, ConfigError> {
        let file = crate::client::file_store::FileStore::new(path);
        let s = &self.secrets;
        if s.cache_key_file.is_none() && s.cache_key_env.is_none() {
            return Ok(Arc::new(file));
        }
        #[cfg(feature = "seal")]
        {
            use crate::client::sealed_store::SealedStore;
            use crate::seal::SealKey;
            let (field, key) = match (&s.cache_key_file, &s.cache_key_env) {
                (Some(f), _) => ("cache-key-file", SealKey::from_file(f)),
                (None, Some(v)) => ("cache-key-env", SealKey::from_env(v)),
                (None, None) => return Ok(Arc::new(file)),
            };
            let line = self.field(field).map_or(self.line, |f| f.line);
            let key = key.map_err(|e| self.error(line, field, e.to_string()))?;
            Ok(Arc::new(SealedStore::new(file, key)))
        }
        #[cfg(not(feature = "seal"))]
        Err(self.error(
            self.line,
            "cache-key-file",
            "sealed caches need the `seal` feature",
        ))
    }
}

/// The token source [`Logins::token_source`] builds: a declared provider's
/// profile and the key, owned.
pub type LoginSource = TokenSource<Built, LoginKey>;

/// The key of a [`LoginSource`]: the login's key file, or the one the
/// provider's own file holds (Google's service account, Box's app config).
pub struct LoginKey(KeyOf);

enum KeyOf {
    File(Box<SigningKey>),
    Own(Box<dyn crate::profiles::declare::OwnKey>),
}

impl core::ops::Deref for LoginKey {
    type Target = SigningKey;

    fn deref(&self) -> &SigningKey {
        match &self.0 {
            KeyOf::File(k) => k,
            KeyOf::Own(own) => own.key(),
        }
    }
}

impl core::fmt::Debug for LoginKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self.0 {
            KeyOf::File(_) => "LoginKey(<key file>)",
            KeyOf::Own(_) => "LoginKey(<the provider's file>)",
        })
    }
}

impl TokenSource<Built, LoginKey> {
    /// The token source of login `name` in the default config file
    /// ([`Logins::default_path`]): `Logins::load()?.token_source(name)`.
    ///
    /// # Errors
    /// Those of [`Logins::load`] and [`Logins::token_source`].
    pub fn from_config(name: &str) -> Result<Self, ConfigError> {
        Logins::load()?.token_source(name)
    }
}

/// A key file's bytes in any supported format: PEM (PKCS#8, PKCS#1, SEC1,
/// encrypted PKCS#8), a private JWK, PKCS#12 (`.p12`/`.pfx`) or DER (plain
/// or encrypted PKCS#8), with what the container carried (a JWK's `kid`, a
/// PKCS#12 certificate). `passphrase` opens encrypted keys.
///
/// # Errors
/// The parsers' errors (`EncryptedKey` when a passphrase is needed and
/// none was given, `WrongPassphrase`, ...); `InvalidUtf8` for a PKCS#12
/// passphrase that is not UTF-8.
pub fn load_key(bytes: &[u8], passphrase: Option<&[u8]>) -> crate::error::Result<LoadedKey> {
    match core::str::from_utf8(bytes) {
        Ok(text) if text.contains("-----BEGIN") => match passphrase {
            Some(p) => SigningKey::from_pem_with_passphrase(text, p),
            None => SigningKey::from_pem(text),
        }
        .map(LoadedKey::from),
        Ok(text) if text.trim_start().starts_with('{') => SigningKey::from_jwk(text.trim()),
        _ if is_pkcs12(bytes) => {
            let p = core::str::from_utf8(passphrase.unwrap_or_default())
                .map_err(|_| crate::error::Error::InvalidUtf8)?;
            SigningKey::from_pkcs12(bytes, p)
        }
        _ => match passphrase {
            Some(p) => SigningKey::from_der_with_passphrase(bytes, p),
            None => SigningKey::from_der(bytes),
        }
        .map(LoadedKey::from),
    }
}

/// A PKCS#12 `PFX` is `SEQUENCE { INTEGER 3, ... }`; a PKCS#8 key starts
/// with version 0 or 1, PKCS#1 with 0.
fn is_pkcs12(der: &[u8]) -> bool {
    let header = match der.get(1) {
        Some(&n) if n < 0x80 => 2,
        Some(&n) => 2 + usize::from(n & 0x7f),
        None => return false,
    };
    der.first() == Some(&0x30) && der.get(header..header + 3) == Some(&[2, 1, 3][..])
}

/// A key passphrase file's contents (at most 64 KiB; one trailing `\n` or
/// `\r\n` removed), wiped on drop.
///
/// # Errors
/// [`ConfigError::Io`] and [`ConfigError::TooLarge`] (`key passphrase file`).
pub fn read_passphrase_file(path: &Path) -> Result<Zeroizing<Vec<u8>>, ConfigError> {
    let mut p = Zeroizing::new(read_capped(path, "key passphrase file", 64 * 1024)?);
    if p.ends_with(b"\n") {
        p.pop();
        if p.ends_with(b"\r") {
            p.pop();
        }
    }
    Ok(p)
}

/// Reads at most `cap` bytes of `path`.
fn read_capped(path: &Path, what: &'static str, cap: usize) -> Result<Vec<u8>, ConfigError> {
    let io = |e: std::io::Error| ConfigError::Io {
        path: path.to_path_buf(),
        what,
        error: e.to_string(),
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let mut buf = Vec::new();
    file.take(u64::try_from(cap).unwrap_or(u64::MAX).saturating_add(1))
        .read_to_end(&mut buf)
        .map_err(io)?;
    if buf.len() > cap {
        buf.fill(0);
        return Err(ConfigError::TooLarge {
            path: path.to_path_buf(),
            what,
            limit: cap,
        });
    }
    Ok(buf)
}

/// Largest file a provider option names (a service account, a Box app
/// config, a certificate: a few KB).
pub const MAX_OPTION_FILE_LEN: usize = 1024 * 1024;

/// What a declared provider's options name rather than hold, read once by
/// [`OptionFiles::read`] — the reading step of [`build_provider`] (the
/// CLI's flags, [`Logins::token_source`]): the files of the [`Kind::Bytes`] options (a
/// configuration holding a key: wiped on drop), the handles the
/// [`Kind::Account`] options' readers made, and the thumbprint a `cert`
/// option takes.
#[derive(Default)]
pub struct OptionFiles {
    files: Vec<(&'static str, Zeroizing<Vec<u8>>)>,
    accounts: Vec<(&'static str, Box<dyn Any + Send + Sync>)>,
}

impl core::fmt::Debug for OptionFiles {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let files: Vec<&str> = self.files.iter().map(|(n, _)| *n).collect();
        let accounts: Vec<&str> = self.accounts.iter().map(|(n, _)| *n).collect();
        f.debug_struct("OptionFiles")
            .field("files", &files)
            .field("accounts", &accounts)
            .finish()
    }
}

/// Why [`OptionFiles::read`] failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum FileError {
    /// A file could not be read (or is larger than [`MAX_OPTION_FILE_LEN`]).
    Io {
        /// The option's flag.
        flag: &'static str,
        /// What the file is (`box config`, `service account`, `certificate`).
        what: String,
        /// The file.
        path: PathBuf,
        /// The OS error or the size limit.
        error: String,
    },
    /// The file's contents are refused (the account reader, the
    /// certificate parser).
    Invalid {
        /// The option's flag.
        flag: &'static str,
        /// What the file is.
        what: &'static str,
        /// The file.
        path: PathBuf,
        /// The parser's error.
        error: crate::error::Error,
    },
    /// A `cert` option with neither a certificate file nor a PKCS#12 key
    /// holding one.
    NoCertificate,
    /// The certificate is not the key's (`CertificateKeyMismatch`).
    CertificateKey(crate::error::Error),
}

impl core::fmt::Display for FileError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Io {
                what, path, error, ..
            } => write!(f, "reading {what} {}: {error}", path.display()),
            Self::Invalid {
                what, path, error, ..
            } => write!(f, "{what} {}: {error}", path.display()),
            Self::NoCertificate => {
                f.write_str("a certificate file is required (or a PKCS#12 key holding it)")
            }
            Self::CertificateKey(e) => core::fmt::Display::fmt(e, f),
        }
    }
}

impl std::error::Error for FileError {}

impl FileError {
    /// The option's flag (`cert` for the certificate's errors).
    pub const fn flag(&self) -> &'static str {
        match self {
            Self::Io { flag, .. } | Self::Invalid { flag, .. } => flag,
            Self::NoCertificate | Self::CertificateKey(_) => "cert",
        }
    }
}

/// Reads at most [`MAX_OPTION_FILE_LEN`] bytes of the file of option `flag`.
fn read_option_file(
    flag: &'static str,
    what: &str,
    path: &Path,
) -> Result<Zeroizing<Vec<u8>>, FileError> {
    read_capped(path, "file", MAX_OPTION_FILE_LEN)
        .map(Zeroizing::new)
        .map_err(|e| FileError::Io {
            flag,
            what: what.to_owned(),
            path: path.to_path_buf(),
            error: match e {
                ConfigError::Io { error, .. } => error,
                ConfigError::TooLarge { limit, .. } => format!("larger than {limit} bytes"),
                e => e.to_string(),
            },
        })
}

/// The thumbprints of the certificate file at `path` (PEM or DER).
///
/// # Errors
/// [`FileError::Io`] and [`FileError::Invalid`] (with `flag` `cert`).
pub fn read_certificate(path: &Path) -> Result<CertThumbprints, FileError> {
    certificate_file(path).map(|(_, t)| t)
}

/// A certificate file's bytes and thumbprints (see [`read_certificate`]).
fn certificate_file(path: &Path) -> Result<(Zeroizing<Vec<u8>>, CertThumbprints), FileError> {
    let bytes = read_option_file("cert", "certificate", path)?;
    let thumbprints = match core::str::from_utf8(&bytes) {
        Ok(text) if text.contains("-----BEGIN") => CertThumbprints::from_pem(text),
        _ => CertThumbprints::from_der(&bytes),
    }
    .map_err(|error| FileError::Invalid {
        flag: "cert",
        what: "certificate",
        path: path.to_path_buf(),
        error,
    })?;
    Ok((bytes, thumbprints))
}

impl OptionFiles {
    /// Reads what `p`'s options name, in option order: the file at
    /// `path(flag)` of each [`Kind::Bytes`] option, the file of each
    /// [`Kind::Account`] option through its reader, and for a `cert`
    /// option the thumbprint (`x5t` when `sha1`, else `x5t#S256`) of the
    /// certificate at `path("cert")`, else of the one a PKCS#12 `key` held,
    /// checked against `key` when given.
    ///
    /// # Errors
    /// The first file that cannot be read or is refused ([`FileError`]).
    pub fn read<'p>(
        p: &Provider,
        path: impl Fn(&str) -> Option<&'p Path>,
        key: Option<&LoadedKey>,
        sha1: bool,
    ) -> Result<Self, FileError> {
        let mut read = Self::default();
        for o in p.options {
            match (o.kind, path(o.flag)) {
                // A certificate given whole (the generic profile's): read
                // as one, checked against the key.
                (Kind::Bytes, Some(path)) if o.flag == "cert" => {
                    let (bytes, thumbprints) = certificate_file(path)?;
                    if let Some(k) = key {
                        thumbprints
                            .check_key(&k.key)
                            .map_err(FileError::CertificateKey)?;
                    }
                    read.files.push((o.flag, bytes));
                }
                (Kind::Bytes, Some(path)) => {
                    let bytes = read_option_file(o.flag, &o.flag.replace('-', " "), path)?;
                    read.files.push((o.flag, bytes));
                }
                (Kind::Account(account), Some(path)) => {
                    let bytes = read_option_file(o.flag, account.what, path)?;
                    let handle = (account.read)(&bytes).map_err(|error| FileError::Invalid {
                        flag: o.flag,
                        what: account.what,
                        path: path.to_path_buf(),
                        error,
                    })?;
                    read.accounts.push((o.flag, handle));
                }
                (Kind::Bytes | Kind::Account(_), None) => {}
                (_, cert) if o.flag == "cert" => {
                    let thumbprints = match (cert, key.and_then(|k| k.certificate_der.as_deref())) {
                        (Some(path), _) => read_certificate(path)?,
                        (None, Some(der)) => {
                            CertThumbprints::from_der(der).map_err(FileError::CertificateKey)?
                        }
                        (None, None) => return Err(FileError::NoCertificate),
                    };
                    if let Some(k) = key {
                        thumbprints
                            .check_key(&k.key)
                            .map_err(FileError::CertificateKey)?;
                    }
                    let t = if sha1 {
                        thumbprints.x5t()
                    } else {
                        thumbprints.x5t_s256()
                    };
                    read.files
                        .push((o.flag, Zeroizing::new(t.as_bytes().to_vec())));
                }
                _ => {}
            }
        }
        Ok(read)
    }

    /// What was read for option `o`: its file's bytes, its account's
    /// handle, the `cert` thumbprint as text; [`OptValue::Absent`] for an
    /// option that names no file.
    pub fn value(&self, o: &Opt) -> OptValue<'_> {
        let file = self.files.iter().find(|(f, _)| *f == o.flag);
        match (o.kind, file) {
            (Kind::Bytes, Some((_, b))) => OptValue::Bytes(b),
            (Kind::Account(_), _) => self
                .accounts
                .iter()
                .find(|(f, _)| *f == o.flag)
                .map_or(OptValue::Absent, |(_, h)| OptValue::Account(&**h)),
            (_, Some((_, b))) => core::str::from_utf8(b).map_or(OptValue::Absent, OptValue::Text),
            _ => OptValue::Absent,
        }
    }

    /// Whether option `o` names a file (read here, not given as a value).
    pub fn names_a_file(o: &Opt) -> bool {
        matches!(o.kind, Kind::Bytes | Kind::Account(_)) || o.flag == "cert"
    }
}

/// A named value as a front end holds it (a CLI flag, a config file
/// field), before [`build_provider`] types it by the option's declaration.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub enum Raw<'a> {
    /// Text: a [`Kind::Text`] value, a [`Kind::Choice`] name, a
    /// [`Kind::U64`] number, a [`Kind::Alg`] name (checked against the
    /// provider's algorithms), or the path of an option naming a file.
    Text(&'a str),
    /// An integer ([`Kind::U64`], [`Kind::Lifetime`]).
    Integer(i64),
    /// A flag: a two-name [`Kind::Choice`] given as off (the first) or on
    /// (`legacy-rs256`, `client-assertion`).
    Bool(bool),
    /// Texts: a [`Kind::List`] option's, or `scope` (joined by spaces, then
    /// split again where the option takes a list).
    List(&'a [String]),
    /// The path of an option naming a file ([`OptionFiles::names_a_file`]).
    Path(&'a Path),
    /// An algorithm already typed (the CLI's `--alg`): the provider's
    /// `build` checks it.
    Alg(crate::alg::Algorithm),
}

/// Why [`build_provider`] made no profile. Its `Display` is the reason,
/// naming no value; [`OptionError::field`] names the option.
#[derive(Debug)]
#[non_exhaustive]
pub enum OptionError {
    /// Text that is none of the option's [`Kind::Choice`] names.
    NotAChoice(&'static Opt),
    /// Text that is not a number ([`Kind::U64`]).
    NotANumber(&'static Opt),
    /// A negative integer for a [`Kind::U64`] option.
    Negative(&'static Opt),
    /// An algorithm name the provider does not sign.
    Algorithm(&'static Provider, &'static Opt),
    /// A value of another type than the option takes.
    WrongType(&'static Opt),
    /// A required option absent, an unused one given
    /// ([`Values::new`](crate::profiles::declare::Values::new)).
    Misfit(&'static Provider, Misfit),
    /// A file an option named could not be read or is refused.
    File(FileError),
    /// The provider's `build` refused the values.
    Build(crate::error::Error),
    /// Neither the provider's file nor the caller brought a key.
    NoKey(&'static Provider),
}

impl OptionError {
    /// The option's flag (config field) at fault: `profile` for the
    /// build's errors, `key` for a missing key.
    pub const fn field(&self) -> &'static str {
        match self {
            Self::NotAChoice(o)
            | Self::NotANumber(o)
            | Self::Negative(o)
            | Self::Algorithm(_, o)
            | Self::WrongType(o)
            | Self::Misfit(_, Misfit::Missing(o) | Misfit::Unexpected(o)) => o.flag,
            Self::File(e) => e.flag(),
            Self::Build(_) => "profile",
            Self::NoKey(_) => "key",
        }
    }
}

impl core::fmt::Display for OptionError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::NotAChoice(o) => match o.kind {
                Kind::Choice(names) => write!(f, "one of {}", names.join(", ")),
                _ => f.write_str(o.doc),
            },
            Self::NotANumber(_) => f.write_str("not a number"),
            Self::Negative(_) => f.write_str("must not be negative"),
            Self::Algorithm(p, _) => {
                let names: Vec<&str> = p.algorithms.iter().map(|a| a.as_str()).collect();
                write!(f, "profile {} signs {}", p.name, names.join(", "))
            }
            Self::WrongType(_) => f.write_str("wrong type for this profile"),
            Self::Misfit(p, Misfit::Missing(_)) => write!(f, "required by profile {}", p.name),
            Self::Misfit(p, Misfit::Unexpected(_)) => write!(f, "not used by profile {}", p.name),
            Self::File(e) => core::fmt::Display::fmt(e, f),
            Self::Build(e) => core::fmt::Display::fmt(e, f),
            Self::NoKey(p) => write!(f, "profile {} brought no key", p.name),
        }
    }
}

impl std::error::Error for OptionError {}

/// Builds declared provider `p` from named values — the one path of the
/// CLI's flags and of [`Logins::token_source`]: `get(flag)` gives each
/// option's value by its flag ([`Raw`]); the files the options name are
/// read ([`OptionFiles::read`], the `sha1` thumbprint when `legacy-rs256`
/// is on); each value is typed by its option (an absent `scope` is the
/// option's [`Opt::cli_default`], an absent `kid` the one `key` carried),
/// checked against the declaration and built. `key` is the caller's key
/// (`None` for [`KeyUse::Own`] providers); the result's key is the one the
/// provider's own file brought, else it.
///
/// # Errors
/// The first value that does not fit, the files, the declaration's checks,
/// the provider's `build`, no key ([`OptionError`]).
pub fn build_provider<'a>(
    p: &'static Provider,
    get: impl Fn(&str) -> Option<Raw<'a>>,
    key: Option<LoadedKey>,
) -> Result<(Built, LoginKey), OptionError> {
    let path = |flag: &str| match get(flag) {
        Some(Raw::Path(path)) => Some(path),
        Some(Raw::Text(t)) => Some(Path::new(t)),
        _ => None,
    };
    let sha1 = matches!(get("legacy-rs256"), Some(Raw::Bool(true)));
    let files = OptionFiles::read(p, path, key.as_ref(), sha1).map_err(OptionError::File)?;
    let scope = match get("scope") {
        Some(Raw::List(l)) => l.join(" "),
        Some(Raw::Text(t)) => t.to_owned(),
        _ => String::new(),
    };
    let raws: Vec<Option<Raw<'a>>> = p.options.iter().map(|o| get(o.flag)).collect();
    let lists: Vec<Vec<&str>> = (p.options.iter().zip(&raws))
        .map(|(o, raw)| match raw {
            _ if o.flag == "scope" => scope.split_whitespace().collect(),
            Some(Raw::List(l)) => l.iter().map(String::as_str).collect(),
            _ => Vec::new(),
        })
        .collect();
    let (key, kid) = match key {
        Some(k) => (Some(k.key), k.kid),
        None => (None, None),
    };
    let kid = kid.as_deref();
    let mut values = Vec::with_capacity(p.options.len());
    for ((o, raw), list) in p.options.iter().zip(&raws).zip(&lists) {
        values.push(match (o.kind, *raw) {
            _ if OptionFiles::names_a_file(o) => files.value(o),
            _ if o.flag == "scope" && scope.is_empty() => {
                o.cli_default.map_or(OptValue::Absent, OptValue::Text)
            }
            (Kind::List(_), _) if o.flag == "scope" => OptValue::List(list),
            _ if o.flag == "scope" => OptValue::Text(&scope),
            (_, None) if o.flag == "kid" => kid.map_or(OptValue::Absent, OptValue::Text),
            (_, None) => OptValue::Absent,
            (Kind::Text, Some(Raw::Text(t))) => OptValue::Text(t),
            (Kind::Choice(names), Some(Raw::Text(t))) => names
                .iter()
                .position(|n| *n == t)
                .map(OptValue::Choice)
                .ok_or(OptionError::NotAChoice(o))?,
            (Kind::Choice(_), Some(Raw::Bool(on))) => OptValue::Choice(usize::from(on)),
            (Kind::U64, Some(Raw::Text(t))) => t
                .parse()
                .map(OptValue::U64)
                .map_err(|_| OptionError::NotANumber(o))?,
            (Kind::U64, Some(Raw::Integer(i))) => u64::try_from(i)
                .map(OptValue::U64)
                .map_err(|_| OptionError::Negative(o))?,
            (Kind::Lifetime, Some(Raw::Integer(i))) => OptValue::I64(i),
            (Kind::Alg, Some(Raw::Alg(a))) => OptValue::Alg(a),
            (Kind::Alg, Some(Raw::Text(t))) => crate::alg::Algorithm::from_name(t)
                .filter(|a| p.algorithms.contains(a))
                .map(OptValue::Alg)
                .ok_or(OptionError::Algorithm(p, o))?,
            (Kind::List(_), Some(Raw::List(_))) => OptValue::List(list),
            _ => return Err(OptionError::WrongType(o)),
        });
    }
    let at_build = key.as_ref().filter(|_| p.key == KeyUse::CallerAtBuild);
    let checked = crate::profiles::declare::Values::new(p, &values, at_build)
        .map_err(|m| OptionError::Misfit(p, m))?;
    let mut built = (p.build)(&checked).map_err(OptionError::Build)?;
    let key = match (built.key.take(), key) {
        (Some(own), _) => LoginKey(KeyOf::Own(own)),
        (None, Some(key)) => LoginKey(KeyOf::File(Box::new(key))),
        (None, None) => return Err(OptionError::NoKey(p)),
    };
    Ok((built, key))
}

/// The named logins of one config file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Logins {
    path: PathBuf,
    logins: Vec<Login>,
}

impl Logins {
    /// The default config file: `$XDG_CONFIG_HOME/jwtmint/config.toml` when
    /// `XDG_CONFIG_HOME` is an absolute path, else
    /// `$HOME/.config/jwtmint/config.toml`.
    ///
    /// # Errors
    /// [`ConfigError::NoConfigDir`] when neither is set.
    pub fn default_path() -> Result<PathBuf, ConfigError> {
        let dir = std::env::var_os("XDG_CONFIG_HOME")
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
            .or_else(|| home().map(|h| h.join(".config")))
            .ok_or(ConfigError::NoConfigDir)?;
        Ok(dir.join("jwtmint").join("config.toml"))
    }

    /// Loads the default config file ([`Self::default_path`]).
    ///
    /// # Errors
    /// Those of [`Self::default_path`] and [`Self::load_from`].
    pub fn load() -> Result<Self, ConfigError> {
        Self::load_from(&Self::default_path()?)
    }

    /// Loads `path`: checks who may write it, reads at most
    /// [`MAX_CONFIG_LEN`] bytes and parses it ([`Self::parse`]).
    ///
    /// # Errors
    /// [`ConfigError::Io`] (missing, unreadable), [`ConfigError::Untrusted`]
    /// (group/world writable, someone else's, not a regular file),
    /// [`ConfigError::TooLarge`], and those of [`Self::parse`].
    pub fn load_from(path: &Path) -> Result<Self, ConfigError> {
        let io = |e: std::io::Error| ConfigError::Io {
            path: path.to_path_buf(),
            what: "config",
            error: e.to_string(),
        };
        let file = open_nonblocking(path).map_err(io)?;
        let meta = file.metadata().map_err(io)?;
        if !meta.is_file() {
            return Err(untrusted(path, "it is not a regular file".into()));
        }
        check_trust(path, &meta)?;
        let mut bytes = Zeroizing::new(Vec::new());
        file.take(MAX_CONFIG_LEN as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(io)?;
        if bytes.len() > MAX_CONFIG_LEN {
            return Err(ConfigError::TooLarge {
                path: path.to_path_buf(),
                what: "config",
                limit: MAX_CONFIG_LEN,
            });
        }
        let text = core::str::from_utf8(&bytes).map_err(|e| {
            let (line, column) = line_col(
                core::str::from_utf8(bytes.get(..e.valid_up_to()).unwrap_or_default())
                    .unwrap_or_default(),
                e.valid_up_to(),
            );
            ConfigError::Syntax {
                path: path.to_path_buf(),
                line,
                column,
                message: "not UTF-8".into(),
            }
        })?;
        Self::parse(text, path)
    }

    /// Parses config text; `path` names it in errors and anchors relative
    /// paths (its directory). No file checks: [`Self::load_from`] does them.
    ///
    /// # Errors
    /// [`ConfigError::TooLarge`]; [`ConfigError::Syntax`] (TOML, with line and
    /// column); [`ConfigError::Invalid`] (line, login, field: an unknown
    /// field, a wrong type, a bad name, a missing `profile`);
    /// [`ConfigError::InlineSecret`].
    pub fn parse(text: &str, path: &Path) -> Result<Self, ConfigError> {
        if text.len() > MAX_CONFIG_LEN {
            return Err(ConfigError::TooLarge {
                path: path.to_path_buf(),
                what: "config",
                limit: MAX_CONFIG_LEN,
            });
        }
        let doc = DeTable::parse(text).map_err(|e| {
            let (line, column) = line_col(text, e.span().map_or(0, |s| s.start));
            ConfigError::Syntax {
                path: path.to_path_buf(),
                line,
                column,
                message: redact::sanitize(e.message().trim()),
            }
        })?;
        let p = Parser {
            text,
            path,
            base: path.parent().unwrap_or(Path::new("")),
        };
        let mut logins = Vec::new();
        for (k, v) in doc.get_ref() {
            if k.get_ref().as_ref() != "login" {
                return Err(p.invalid(
                    k.span().start,
                    None,
                    None,
                    "unknown table: a config file holds [login.<name>] tables".into(),
                ));
            }
            let DeValue::Table(t) = v.get_ref() else {
                return Err(p.invalid(
                    v.span().start,
                    None,
                    Some("login"),
                    "expected tables [login.<name>]".into(),
                ));
            };
            for (name, entry) in t {
                logins.push(p.login(name, entry)?);
            }
        }
        Ok(Self {
            path: path.to_path_buf(),
            logins,
        })
    }

    /// The file read.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Every login, in name order.
    pub fn logins(&self) -> &[Login] {
        &self.logins
    }

    /// The login named `name` (a leading `@` is ignored).
    ///
    /// # Errors
    /// [`ConfigError::NoSuchLogin`] listing the names there are.
    pub fn get(&self, name: &str) -> Result<&Login, ConfigError> {
        let name = name.strip_prefix('@').unwrap_or(name);
        self.logins
            .iter()
            .find(|l| l.name == name)
            .ok_or_else(|| ConfigError::NoSuchLogin {
                path: self.path.clone(),
                name: redact::sanitize(name),
                known: self.logins.iter().map(|l| l.name.clone()).collect(),
            })
    }

    /// The token source of login `name` ([`Login::token_source`]).
    ///
    /// # Errors
    /// [`ConfigError::NoSuchLogin`] and those of [`Login::token_source`].
    pub fn token_source(&self, name: &str) -> Result<LoginSource, ConfigError> {
        self.get(name)?.token_source()
    }
}

/// Parsing state: the text (for line numbers), the file and its directory.
struct Parser<'a> {
    text: &'a str,
    path: &'a Path,
    base: &'a Path,
}

type Entry<'i> = Spanned<DeValue<'i>>;

impl Parser<'_> {
    fn invalid(
        &self,
        at: usize,
        login: Option<&str>,
        field: Option<&str>,
        reason: String,
    ) -> ConfigError {
        ConfigError::Invalid {
            path: self.path.to_path_buf(),
            line: line_col(self.text, at).0,
            login: login.map(str::to_owned),
            field: field.map(redact::sanitize),
            reason,
        }
    }

    fn login(
        &self,
        name: &Spanned<toml::de::DeString<'_>>,
        entry: &Entry<'_>,
    ) -> Result<Login, ConfigError> {
        let at = name.span().start;
        let name = name.get_ref().as_ref();
        let name_ok = !name.is_empty()
            && name.len() <= MAX_NAME_LEN
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
        if !name_ok {
            return Err(self.invalid(
                at,
                None,
                None,
                format!("a login name is 1 to {MAX_NAME_LEN} letters, digits, '-', '_' or '.'"),
            ));
        }
        let DeValue::Table(t) = entry.get_ref() else {
            return Err(self.invalid(at, Some(name), None, "expected a table".into()));
        };
        let mut profile = None;
        let mut fields = Vec::new();
        let mut secrets = SecretRefs::default();
        for (k, v) in t {
            let field = k.get_ref().as_ref();
            let at = k.span().start;
            let Some(shape) = shape(field) else {
                if is_secret_name(field) {
                    return Err(self.inline_secret(at, name, field));
                }
                return Err(self.invalid(at, Some(name), Some(field), "unknown field".into()));
            };
            let value = self.value(name, field, shape, v)?;
            let line = line_col(self.text, at).0;
            match (field, &value) {
                ("profile", Value::Text(t)) => {
                    profile = Some(t.clone());
                    continue;
                }
                ("key", Value::Path(p)) => secrets.key = Some(p.clone()),
                ("key-passphrase-file", Value::Path(p)) => {
                    secrets.key_passphrase_file = Some(p.clone());
                }
                ("key-passphrase-env", Value::Env(e)) => {
                    secrets.key_passphrase_env = Some(e.clone());
                }
                ("password-file", Value::Path(p)) => secrets.password_file = Some(p.clone()),
                ("password-env", Value::Env(e)) => secrets.password_env = Some(e.clone()),
                ("cache-key-file", Value::Path(p)) => secrets.cache_key_file = Some(p.clone()),
                ("cache-key-env", Value::Env(e)) => secrets.cache_key_env = Some(e.clone()),
                _ => {}
            }
            fields.push(Field {
                name: field.to_owned(),
                value,
                line,
            });
        }
        let profile = profile.ok_or_else(|| {
            self.invalid(
                at,
                Some(name),
                Some("profile"),
                "required: the provider profile".into(),
            )
        })?;
        Ok(Login {
            name: name.to_owned(),
            profile,
            line: line_col(self.text, at).0,
            fields,
            secrets,
            file: self.path.to_path_buf(),
        })
    }

    fn inline_secret(&self, at: usize, login: &str, field: &str) -> ConfigError {
        ConfigError::InlineSecret {
            path: self.path.to_path_buf(),
            line: line_col(self.text, at).0,
            login: login.to_owned(),
            field: redact::sanitize(field),
        }
    }

    /// One field's value, checked against its shape. Never echoes it.
    fn value(
        &self,
        login: &str,
        field: &str,
        shape: Shape,
        v: &Entry<'_>,
    ) -> Result<Value, ConfigError> {
        let at = v.span().start;
        let bad = |reason: &str| self.invalid(at, Some(login), Some(field), reason.to_owned());
        let text = |v: &DeValue<'_>| -> Result<String, ConfigError> {
            let DeValue::String(s) = v else {
                return Err(bad("expected a string"));
            };
            if s.len() > MAX_VALUE_LEN {
                return Err(bad(&format!("longer than {MAX_VALUE_LEN} bytes")));
            }
            if s.contains("-----BEGIN") {
                return Err(self.inline_secret(at, login, field));
            }
            if s.chars().any(char::is_control) {
                return Err(bad("holds a control character"));
            }
            Ok(s.to_string())
        };
        Ok(match shape {
            Shape::Text => Value::Text(text(v.get_ref())?),
            Shape::Integer => {
                let DeValue::Integer(i) = v.get_ref() else {
                    return Err(bad("expected an integer"));
                };
                let n = i64::from_str_radix(i.as_str(), i.radix())
                    .map_err(|_| bad("integer out of range"))?;
                Value::Integer(n)
            }
            Shape::Bool => match v.get_ref() {
                DeValue::Boolean(b) => Value::Bool(*b),
                _ => return Err(bad("expected true or false")),
            },
            Shape::List => {
                let items = match v.get_ref() {
                    DeValue::Array(a) => {
                        if a.len() > MAX_LIST_LEN {
                            return Err(bad(&format!("more than {MAX_LIST_LEN} items")));
                        }
                        a.iter()
                            .map(|x| text(x.get_ref()))
                            .collect::<Result<Vec<_>, _>>()?
                    }
                    other => vec![text(other)?],
                };
                if matches!(field, "form" | "header") {
                    for item in &items {
                        let sep = if field == "form" { '=' } else { ':' };
                        let n = item.split(sep).next().unwrap_or_default();
                        if is_secret_name(n) {
                            return Err(self.inline_secret(at, login, field));
                        }
                    }
                }
                Value::List(items)
            }
            Shape::Path => {
                let s = text(v.get_ref())?;
                let looks_inline = s.contains('\n') || s.trim_start().starts_with('{');
                if looks_inline {
                    return Err(self.inline_secret(at, login, field));
                }
                if s.is_empty() {
                    return Err(bad("empty path"));
                }
                Value::Path(self.resolve(&s).ok_or_else(|| bad("`~/` needs HOME"))?)
            }
            Shape::Env => {
                let s = text(v.get_ref())?;
                let ok = s.len() <= 128
                    && s.bytes()
                        .next()
                        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
                    && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
                if !ok {
                    return Err(bad(
                        "expected the NAME of an environment variable (letters, digits, '_'), never its value",
                    ));
                }
                Value::Env(s)
            }
        })
    }

    /// `~/x` against HOME, a relative path against the file's directory.
    fn resolve(&self, s: &str) -> Option<PathBuf> {
        if let Some(rest) = s.strip_prefix("~/") {
            return home().map(|h| h.join(rest));
        }
        let p = Path::new(s);
        Some(if p.is_absolute() {
            p.to_path_buf()
        } else {
            self.base.join(p)
        })
    }
}

/// `$HOME`, when set and absolute.
fn home() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
}

/// 1-based line and column (in characters) of byte `at` of `text`.
fn line_col(text: &str, at: usize) -> (usize, usize) {
    let before = text.get(..at.min(text.len())).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

fn untrusted(path: &Path, reason: String) -> ConfigError {
    ConfigError::Untrusted {
        path: path.to_path_buf(),
        reason,
    }
}

/// Opens for reading without blocking on a FIFO (checked as not a regular
/// file right after).
#[cfg(unix)]
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    let flag = i32::try_from(rustix::fs::OFlags::NONBLOCK.bits()).unwrap_or(0);
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(flag)
        .open(path)
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}

/// Who may change the file: not group or others, owned by the current
/// user or root; its directory not writable by others unless sticky.
#[cfg(unix)]
fn check_trust(path: &Path, meta: &std::fs::Metadata) -> Result<(), ConfigError> {
    use std::os::unix::fs::MetadataExt;
    let mode = meta.mode() & 0o7777;
    if mode & 0o022 != 0 {
        return Err(untrusted(
            path,
            format!(
                "it is writable by {} (mode {:04o}): anyone who can write it chooses your keys and token URLs; run chmod go-w {}",
                if mode & 0o002 != 0 {
                    "others"
                } else {
                    "its group"
                },
                mode & 0o777,
                path.display()
            ),
        ));
    }
    let me = rustix::process::geteuid().as_raw();
    if meta.uid() != me && meta.uid() != 0 {
        return Err(untrusted(
            path,
            format!(
                "it is owned by uid {}, not by the current user (uid {me}) or root",
                meta.uid()
            ),
        ));
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if let Ok(d) = std::fs::metadata(dir) {
        let m = d.mode();
        if m & 0o002 != 0 && m & 0o1000 == 0 {
            return Err(untrusted(
                path,
                format!(
                    "its directory {} is writable by others (mode {:04o}, not sticky): anyone can replace the file",
                    dir.display(),
                    m & 0o7777
                ),
            ));
        }
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_trust(_path: &Path, _meta: &std::fs::Metadata) -> Result<(), ConfigError> {
    Ok(())
}

/// Why a config file or a login could not be used. Messages name the file,
/// the line and the field; they never repeat a value from the file.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigError {
    /// Neither `XDG_CONFIG_HOME` nor `HOME` is set.
    NoConfigDir,
    /// A file could not be opened or read.
    Io {
        /// The file.
        path: PathBuf,
        /// What it is (`config`, `key`, `key passphrase file`).
        what: &'static str,
        /// The OS error.
        error: String,
    },
    /// A file is larger than its limit.
    TooLarge {
        /// The file.
        path: PathBuf,
        /// What it is.
        what: &'static str,
        /// The limit, bytes.
        limit: usize,
    },
    /// The config file may be changed by someone else than its user.
    Untrusted {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// Not TOML (or not UTF-8).
    Syntax {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The parser's message.
        message: String,
    },
    /// A field, a login or a table is wrong.
    Invalid {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// The login.
        login: Option<String>,
        /// The field.
        field: Option<String>,
        /// What is wrong.
        reason: String,
    },
    /// A field would hold a secret value (a config file holds references).
    InlineSecret {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// The login.
        login: String,
        /// The field.
        field: String,
    },
    /// No login has this name.
    NoSuchLogin {
        /// The file.
        path: PathBuf,
        /// The name asked for.
        name: String,
        /// The names there are.
        known: Vec<String>,
    },
    /// The token source refused the login's settings.
    Source {
        /// The login.
        login: String,
        /// Why.
        reason: String,
    },
}

impl core::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::NoConfigDir => f.write_str(
                "no config file: neither XDG_CONFIG_HOME nor HOME is set (give --config PATH)",
            ),
            Self::Io { path, what, error } => {
                write!(f, "reading {what} {}: {error}", path.display())
            }
            Self::TooLarge { path, what, limit } => {
                write!(f, "{what} {}: larger than {limit} bytes", path.display())
            }
            Self::Untrusted { path, reason } => {
                write!(f, "config {}: refused: {reason}", path.display())
            }
            Self::Syntax {
                path,
                line,
                column,
                message,
            } => write!(f, "config {}:{line}:{column}: {message}", path.display()),
            Self::Invalid {
                path,
                line,
                login,
                field,
                reason,
            } => {
                write!(f, "config {}:{line}: ", path.display())?;
                if let Some(l) = login {
                    write!(f, "[login.{l}] ")?;
                }
                if let Some(field) = field {
                    write!(f, "{field}: ")?;
                }
                f.write_str(reason)
            }
            Self::InlineSecret {
                path,
                line,
                login,
                field,
            } => write!(
                f,
                "config {}:{line}: [login.{login}] {field}: a secret value is never stored in the config file; \
                 reference it instead (key = PATH, key-passphrase-file = PATH, key-passphrase-env = VAR, \
                 password-file = PATH, password-env = VAR)",
                path.display()
            ),
            Self::NoSuchLogin { path, name, known } => {
                write!(f, "config {}: no login named {name}", path.display())?;
                if known.is_empty() {
                    f.write_str(" (the file has no [login.<name>] tables)")
                } else {
                    write!(f, " (logins: {})", known.join(", "))
                }
            }
            Self::Source { login, reason } => write!(f, "login {login}: {reason}"),
        }
    }
}

impl std::error::Error for ConfigError {}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]
    use super::*;

    fn parse(text: &str) -> Result<Logins, ConfigError> {
        Logins::parse(text, Path::new("/etc/jw/config.toml"))
    }

    fn err(text: &str) -> String {
        parse(text).unwrap_err().to_string()
    }

    const SAMPLE: &str = "# logins\n[login.sf]\nprofile = \"salesforce\"\nkey = \"keys/sf.pem\"\n\
        iss = \"3MVG9\"\nlifetime = 120\nscope = [\"a\", \"b\"]\n\n[login.kc]\nprofile = \"keycloak\"\n\
        client-id = 'c'\nlegacy-rs256 = false\nform = [\"client_id=x\"]\n";

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 512, ..Default::default() })]
        /// Edits of a valid file (characters replaced, inserted, cut)
        /// parse or fail with a line inside the file; never a panic.
        #[test]
        fn edited_files_never_panic(
            edits in proptest::collection::vec((0usize..400, 0u8..3, proptest::char::any()), 1..8)
        ) {
            let mut text: Vec<char> = SAMPLE.chars().collect();
            for (at, op, c) in edits {
                let at = at % (text.len() + 1);
                match op {
                    0 if at < text.len() => text[at] = c,
                    1 => text.insert(at, c),
                    _ if at < text.len() => { text.remove(at); }
                    _ => {}
                }
            }
            let text: String = text.into_iter().collect();
            let lines = text.matches('\n').count() + 1;
            match parse(&text) {
                Ok(l) => {
                    for login in l.logins() {
                        proptest::prop_assert!((1..=lines).contains(&login.line()));
                        for f in login.fields() {
                            proptest::prop_assert!((1..=lines).contains(&f.line));
                        }
                    }
                }
                Err(ConfigError::Syntax { line, .. } | ConfigError::Invalid { line, .. } | ConfigError::InlineSecret { line, .. }) => {
                    proptest::prop_assert!((1..=lines).contains(&line), "line {line} of {lines}");
                }
                Err(e) => proptest::prop_assert!(false, "unexpected {e}"),
            }
        }
    }

    /// The generic profile from a config file: `client-assertion = true`
    /// is its client assertion (a `sub` is then refused), `claim` its extra
    /// claims (a malformed one refused by the profile), `cert` read whole.
    #[test]
    fn rfc7523_claims_client_assertion_and_cert() {
        let root = env!("CARGO_MANIFEST_DIR");
        let login = |extra: &str| {
            let text = format!(
                "[login.g]\nprofile = \"rfc7523\"\nkey = \"{root}/examples/keys/demo-key.pem\"\n\
                 iss = \"c\"\naud = \"https://as.example.com/token\"\n{extra}"
            );
            parse(&text).unwrap().token_source("g").map(|_| ())
        };
        let cert = format!("cert = \"{root}/examples/keys/demo-cert.pem\"\n");
        login(&format!(
            "client-assertion = true\nclaim = [\"t=a\", \"r:=[1]\"]\n{cert}"
        ))
        .unwrap();
        login("client-assertion = false\nsub = \"u\"\n").unwrap();
        let e = login("client-assertion = true\nsub = \"u\"\n").unwrap_err();
        assert!(
            e.to_string().contains("sub: not used by profile rfc7523"),
            "{e}"
        );
        let e = login("client-assertion = false\n").unwrap_err();
        assert!(
            e.to_string().contains("sub: required by profile rfc7523"),
            "{e}"
        );
        let e = login("sub = \"u\"\nclaim = \"tenant\"\n").unwrap_err();
        assert!(
            e.to_string().contains("expected NAME=VALUE or NAME:=JSON"),
            "{e}"
        );
        let other = format!("sub = \"u\"\ncert = \"{root}/tests/data/other-cert.pem\"\n");
        let e = login(&other).unwrap_err();
        assert!(
            e.to_string().contains("does not belong to the signing key"),
            "{e}"
        );
    }

    /// `build_provider`, the one path of the CLI's flags and of the config
    /// reader: an absent `kid` is the one the key's JWK carried (a given
    /// one wins); values that do not fit are refused naming the option.
    #[test]
    fn build_provider_types_named_values() {
        let root = env!("CARGO_MANIFEST_DIR");
        let jwk = std::fs::read(format!("{root}/tests/data/keys/rsa2048.jwk.json")).unwrap();
        let kc = crate::profiles::declared("keycloak").unwrap();
        let build = |p, get: &dyn Fn(&str) -> Option<Raw<'static>>| {
            build_provider(p, get, Some(load_key(&jwk, None).unwrap()))
        };
        let keycloak = |kid: Option<&'static str>, alg: Option<Raw<'static>>| {
            move |flag: &str| match flag {
                "aud" => Some(Raw::Text("https://sso.example.com/realms/a")),
                "client-id" => Some(Raw::Text("c")),
                "kid" => kid.map(Raw::Text),
                "alg" => alg,
                _ => None,
            }
        };
        for (kid, want) in [(None, "rsa-2048"), (Some("k2"), "k2")] {
            let (built, key) = build(kc, &keycloak(kid, None)).unwrap();
            let jwt =
                crate::profiles::mint_profile_string(&*built, &*key, 1_700_000_000, None).unwrap();
            let seg = jwt.split('.').next().unwrap();
            let mut raw = vec![0u8; seg.len()];
            let n = crate::base64url::decode(seg.as_bytes(), &mut raw).unwrap();
            let header = core::str::from_utf8(&raw[..n]).unwrap();
            assert!(header.contains(&format!("\"kid\":\"{want}\"")), "{header}");
        }
        let github = crate::profiles::declared("github-app").unwrap();
        let app = |id: Raw<'static>| {
            move |flag: &str| match flag {
                "iss" => Some(Raw::Text("1")),
                "installation-id" => Some(id),
                _ => None,
            }
        };
        let fails = |p, get: &dyn Fn(&str) -> Option<Raw<'static>>| {
            let e = build(p, get).unwrap_err();
            (e.field(), e.to_string())
        };
        let hs = Some(Raw::Text("HS256"));
        let cases = [
            (
                fails(github, &app(Raw::Text("x"))),
                ("installation-id", "not a number"),
            ),
            (
                fails(github, &app(Raw::Integer(-1))),
                ("installation-id", "must not be negative"),
            ),
            (
                fails(github, &app(Raw::Bool(true))),
                ("installation-id", "wrong type for this profile"),
            ),
            (
                fails(kc, &keycloak(None, hs)),
                ("alg", "profile keycloak signs RS256, ES256, PS256"),
            ),
            (
                fails(kc, &|_| None),
                ("aud", "required by profile keycloak"),
            ),
        ];
        for (got, (field, reason)) in cases {
            assert_eq!(got, (field, reason.to_owned()));
        }
    }

    #[test]
    fn parses_fields_and_secret_references() {
        let l = parse(
            "# named logins\n[login.sf]\nprofile = \"salesforce\"\nkey = \"keys/sf.pem\"\n\
             key-passphrase-env = \"SF_PASS\"\niss = \"3MVG9\"\nlifetime = 120\nscope = [\"a\", \"b\"]\n\
             legacy-rs256 = true\n",
        )
        .unwrap();
        let sf = l.get("@sf").unwrap();
        assert_eq!(
            (sf.name(), sf.profile(), sf.line()),
            ("sf", "salesforce", 2)
        );
        assert_eq!(
            sf.secrets().key.as_deref(),
            Some(Path::new("/etc/jw/keys/sf.pem"))
        );
        assert_eq!(sf.secrets().key_passphrase_env.as_deref(), Some("SF_PASS"));
        assert_eq!(sf.get("iss"), Some(&Value::Text("3MVG9".into())));
        assert_eq!(sf.get("lifetime"), Some(&Value::Integer(120)));
        assert_eq!(
            sf.get("scope"),
            Some(&Value::List(vec!["a".into(), "b".into()]))
        );
        assert_eq!(sf.get("legacy-rs256"), Some(&Value::Bool(true)));
        let iss = sf.fields().iter().find(|f| f.name == "iss").unwrap();
        assert_eq!(iss.line, 6);
    }

    #[test]
    fn refuses_inline_secrets_naming_the_field() {
        for (text, field) in [
            (
                "[login.a]\nprofile = \"okta\"\nclient-secret = \"s3cr3t\"\n",
                "client-secret",
            ),
            (
                "[login.a]\nprofile = \"okta\"\npassphrase = \"hunter2\"\n",
                "passphrase",
            ),
            (
                "[login.a]\nprofile = \"okta\"\nkey_password = \"x\"\n",
                "key_password",
            ),
            (
                "[login.a]\nprofile = \"okta\"\nkey = \"-----BEGIN PRIVATE KEY-----\\nMII\"\n",
                "key",
            ),
            (
                "[login.a]\nprofile = \"okta\"\nkey = '{\"kty\":\"RSA\"}'\n",
                "key",
            ),
            (
                "[login.a]\nprofile = \"custom\"\nform = [\"client_id=x\", \"client_secret=y\"]\n",
                "form",
            ),
            (
                "[login.a]\nprofile = \"custom\"\nheader = \"X-Api-Key: abc\"\n",
                "header",
            ),
        ] {
            let e = err(text);
            assert_eq!(
                e,
                format!(
                    "config /etc/jw/config.toml:3: [login.a] {field}: a secret value is never stored in the config file; \
                     reference it instead (key = PATH, key-passphrase-file = PATH, key-passphrase-env = VAR, \
                     password-file = PATH, password-env = VAR)"
                ),
                "{text}"
            );
            assert!(!e.contains("s3cr3t") && !e.contains("hunter2") && !e.contains("abc"));
        }
    }

    #[test]
    fn malformed_files_give_line_and_field() {
        let cases: &[(&str, &str)] = &[
            (
                "[login.a]\nprofile = \"x\nkey = 1\n",
                "config /etc/jw/config.toml:2:",
            ),
            (
                "[login.a]\nprofile = \"okta\"\nprofile = \"okta\"\n",
                "config /etc/jw/config.toml:3:",
            ),
            (
                "[login.a]\nprofile = \"okta\"\nlifetime = \"60\"\n",
                "config /etc/jw/config.toml:3: [login.a] lifetime: expected an integer",
            ),
            (
                "[login.a]\nprofile = \"okta\"\nlifetime = 99999999999999999999\n",
                "config /etc/jw/config.toml:3:",
            ),
            (
                "[login.a]\nprofile = \"okta\"\nfrobnicate = 1\n",
                "config /etc/jw/config.toml:3: [login.a] frobnicate: unknown field",
            ),
            (
                "[login.a]\niss = \"x\"\n",
                "config /etc/jw/config.toml:1: [login.a] profile: required: the provider profile",
            ),
            (
                "[logins.a]\nprofile = \"okta\"\n",
                "config /etc/jw/config.toml:1: unknown table: a config file holds [login.<name>] tables",
            ),
            (
                "[login.\"a b\"]\nprofile = \"okta\"\n",
                "config /etc/jw/config.toml:1: a login name is 1 to 64 letters, digits, '-', '_' or '.'",
            ),
            (
                "[login.a]\nprofile = \"okta\"\nkey-passphrase-env = \"hunter 2\"\n",
                "config /etc/jw/config.toml:3: [login.a] key-passphrase-env: expected the NAME of an environment variable (letters, digits, '_'), never its value",
            ),
            (
                "[login.a]\nprofile = \"okta\"\nscope = [1]\n",
                "config /etc/jw/config.toml:3: [login.a] scope: expected a string",
            ),
            (
                "[login.a]\nprofile = \"okta\"\naud = \"x\\u001b[31m\"\n",
                "config /etc/jw/config.toml:3: [login.a] aud: holds a control character",
            ),
            (
                "[login.a]\nprofile = \"okta\"\n[login.a.nested]\nx = 1\n",
                "config /etc/jw/config.toml:3: [login.a] nested: unknown field",
            ),
            (
                "login = 5\n",
                "config /etc/jw/config.toml:1: login: expected tables [login.<name>]",
            ),
        ];
        for (text, want) in cases {
            let e = err(text);
            assert!(e.starts_with(want), "{text:?}: {e}");
        }
        // Deep nesting, huge input: errors, no stack overflow.
        let deep = format!(
            "[login.a]\nprofile = \"okta\"\nscope = {}",
            "[".repeat(20_000)
        );
        assert!(err(&deep).starts_with("config /etc/jw/config.toml:3:"));
        let big = format!("# {}\n", "x".repeat(MAX_CONFIG_LEN));
        assert_eq!(
            err(&big),
            "config /etc/jw/config.toml: larger than 65536 bytes"
        );
        assert_eq!(
            parse("[login.a]\nprofile = \"okta\"\n")
                .unwrap()
                .get("b")
                .unwrap_err()
                .to_string(),
            "config /etc/jw/config.toml: no login named b (logins: a)"
        );
    }
}
