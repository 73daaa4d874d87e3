//! Provider declarations: each provider states once, as data in its own
//! module (`pub const PROVIDER: Provider`), its options (name, type,
//! required or not, the doc line), its algorithms, its lifetime limits, its
//! grant and the function that builds it from those options. Everything a
//! front end needs is derived from that one declaration:
//!
//! - the C ABI: the `#[repr(C)]` options struct and the
//!   `jwtmint_<name>_profile_new` constructor are generated into
//!   `src/ffi/providers.rs` (checked in, so cbindgen reads them; a unit test
//!   in `src/ffi/declared.rs` fails when the file is stale and rewrites it
//!   with `JWTMINT_REGENERATE=1`);
//! - the CLI: `--profile <name>` with the summary as its help, the flags the
//!   provider reads (and which it does not, refused by name), the required
//!   ones, `--alg` when the provider signs more than one algorithm, and each
//!   flag's help line per provider.
//!
//! [`DECLARED`](super::DECLARED) lists the declared providers. Adding a provider is its
//! module (profile + declaration), one line in [`DECLARED`](super::DECLARED), its tests and
//! its README row.

use alloc::boxed::Box;
use core::any::Any;

use crate::alg::Algorithm;
use crate::error::{Error, Result};
use crate::keys::SigningKey;

use super::profile::Profile;

/// A key that comes with a provider's configuration file (Google's service
/// account, Box's app config): the profile signs with it, front ends pass
/// no key of their own.
pub trait OwnKey: Send + Sync {
    /// The key.
    fn key(&self) -> &SigningKey;
}

/// A built profile, ready for the one mint path, with the key it brought
/// ([`KeyUse::Own`]) if any.
pub struct Built {
    /// The configured profile.
    pub profile: Box<dyn Profile + Send + Sync>,
    /// The key from its configuration file (`None`: the caller's).
    pub key: Option<Box<dyn OwnKey>>,
}

impl core::ops::Deref for Built {
    type Target = dyn Profile + Send + Sync;

    fn deref(&self) -> &Self::Target {
        &*self.profile
    }
}

impl core::fmt::Debug for Built {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Built")
            .field("profile", &self.profile.name())
            .field("own_key", &self.key.is_some())
            .finish()
    }
}

/// The type of one option: how the C struct and the CLI carry it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// UTF-8 text: C `jwtmint_str` (NULL `ptr`: absent), CLI a string.
    Text,
    /// One of the provider's [`Provider::algorithms`]: C `uint32_t` holding
    /// a `jwtmint_alg` (0 = RS256), CLI `--alg`; absent: the first listed.
    Alg,
    /// An unsigned integer: C `uint64_t`, CLI a number.
    U64,
    /// The assertion lifetime in seconds: C `int64_t` (0: the default), CLI
    /// `--lifetime`.
    Lifetime,
    /// One of the listed names: C `uint32_t` index (out of range:
    /// `INVALID_ARGUMENT`), CLI the name itself.
    Choice(&'static [&'static str]),
    /// Bytes of a file (a JSON configuration holding a key): C
    /// `const uint8_t *name` and `size_t name_len`, CLI the file's path
    /// (read, and wiped after the build).
    Bytes,
    /// Texts: C `const jwtmint_str *name` and `size_t <.0>` (the count
    /// field's name), CLI the flag's values (repeated or space-separated).
    List(&'static str),
    /// A key file read once into a handle shared by the profiles built
    /// from it (Google's service account): C a `const <c_type> *name`
    /// parameter before the options (the handle from its own reader), CLI
    /// the file's path, read with [`Account::read`].
    Account(&'static Account),
}

/// A key file read once into a handle (see [`Kind::Account`]). The C ABI
/// of the handle is generated from it: the opaque `<c_type>`, its reader
/// `<c_type>_new_from_<format>`, `<c_type>_free` and one
/// `<c_type>_<suffix>` per [`Account::texts`] entry.
#[derive(Clone, Copy)]
pub struct Account {
    /// The C handle type (`jwtmint_google_account`).
    pub c_type: &'static str,
    /// What the file is called in messages (`service account`).
    pub what: &'static str,
    /// The file's format (`json`): the C reader is
    /// `<c_type>_new_from_<format>`, its bytes parameter `<format>`.
    pub format: &'static str,
    /// What a handle holds, for its C documentation (`A Google service
    /// account loaded from its JSON key file`).
    pub holds: &'static str,
    /// The file the C reader reads (`a Google service-account key file`).
    pub file: &'static str,
    /// The members the reader takes, for the C reader's documentation.
    pub members: &'static str,
    /// The reader's errors besides `NULL_ARGUMENT` (C result names), for
    /// the C reader's documentation.
    pub errors: &'static str,
    /// Reads the file into what the provider's `build` takes back with
    /// [`Values::account`].
    pub read: fn(&[u8]) -> Result<Box<dyn Any + Send + Sync>>,
    /// The text members a C caller reads back from a handle.
    pub texts: &'static [AccountText],
}

/// A text member of a loaded account: `(suffix, doc, get)`. C reads it
/// with `<c_type>_<suffix>` (documented by `doc`, the member and what it
/// is); `get` takes it from what [`Account::read`] made (`None`: another
/// type, which a handle never holds).
pub type AccountText = (
    &'static str,
    &'static str,
    fn(&(dyn Any + Send + Sync)) -> Option<&str>,
);

impl PartialEq for Account {
    fn eq(&self, other: &Self) -> bool {
        self.c_type == other.c_type
    }
}

impl Eq for Account {}

impl core::fmt::Debug for Account {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Account")
            .field("c_type", &self.c_type)
            .finish_non_exhaustive()
    }
}

/// Whether a provider reads an option.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Presence {
    /// Must be given (C: `NULL_ARGUMENT`; CLI: "--flag is required").
    Required,
    /// May be given.
    Optional,
    /// Not read by this provider (a field of a C struct it shares with
    /// others): giving it is refused (C: `INVALID_ARGUMENT`; CLI: "--flag is
    /// not used by --profile ...").
    Unused,
    /// Read only with one choice of another option: required when the
    /// option named `.0` is given as choice `.1`, refused when it is given
    /// as another; optional when that option is absent (the CLI, which
    /// infers the choice: Salesforce's `--aud` URL).
    When(&'static str, usize),
}

/// One option of a provider.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Opt {
    /// The C field name (snake case) and the key [`Values`] reads it by.
    pub name: &'static str,
    /// The CLI flag, without `--`.
    pub flag: &'static str,
    /// Its type.
    pub kind: Kind,
    /// Required, optional or unused.
    pub presence: Presence,
    /// One line of documentation (C field comment, CLI help).
    pub doc: &'static str,
    /// The value the CLI gives when the flag is absent (C: none; Entra's
    /// `scope`, which a command line needs and a C caller states).
    pub cli_default: Option<&'static str>,
    /// For a [`Kind::Choice`]: the C enum naming its values, as
    /// `(enum name, [(variant name, doc line)])` in choice order.
    pub c_enum: Option<CEnum>,
}

/// A C enum naming a choice's values: its name and `(variant, doc)` pairs in
/// choice order (the variant's number is its index).
pub type CEnum = (&'static str, &'static [(&'static str, &'static str)]);

impl Opt {
    const fn new(
        presence: Presence,
        (name, flag): (&'static str, &'static str),
        kind: Kind,
        doc: &'static str,
    ) -> Self {
        Self {
            name,
            flag,
            kind,
            presence,
            doc,
            cli_default: None,
            c_enum: None,
        }
    }

    /// The same choice with a C enum naming its values.
    #[must_use]
    pub const fn c_enum(
        mut self,
        name: &'static str,
        variants: &'static [(&'static str, &'static str)],
    ) -> Self {
        self.c_enum = Some((name, variants));
        self
    }

    /// The same option with a CLI default.
    #[must_use]
    pub const fn cli_default(mut self, value: &'static str) -> Self {
        self.cli_default = Some(value);
        self
    }

    /// A required option: C field `name`, CLI `--flag`.
    pub const fn required(
        name: &'static str,
        flag: &'static str,
        kind: Kind,
        doc: &'static str,
    ) -> Self {
        Self::new(Presence::Required, (name, flag), kind, doc)
    }

    /// An optional option.
    pub const fn optional(
        name: &'static str,
        flag: &'static str,
        kind: Kind,
        doc: &'static str,
    ) -> Self {
        Self::new(Presence::Optional, (name, flag), kind, doc)
    }

    /// A field of a shared C struct that this provider does not read.
    pub const fn unused(
        name: &'static str,
        flag: &'static str,
        kind: Kind,
        doc: &'static str,
    ) -> Self {
        Self::new(Presence::Unused, (name, flag), kind, doc)
    }

    /// An option read only when option `on` is choice `choice` (see
    /// [`Presence::When`]).
    pub const fn when(
        (on, choice): (&'static str, usize),
        name: &'static str,
        flag: &'static str,
        kind: Kind,
        doc: &'static str,
    ) -> Self {
        Self::new(Presence::When(on, choice), (name, flag), kind, doc)
    }

    /// The lifetime option (`lifetime`, `--lifetime`).
    pub const fn lifetime(doc: &'static str) -> Self {
        Self::optional("lifetime", "lifetime", Kind::Lifetime, doc)
    }
}

pub use super::grants::Grant;

/// Where the signing key comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyUse {
    /// The caller's key, given to each mint.
    Caller,
    /// The caller's key, needed already to build the profile (Snowflake's
    /// fingerprint) and given again to each mint.
    CallerAtBuild,
    /// The profile's own key, from its configuration file ([`Built::key`]):
    /// the caller gives none (C: NULL `key` to `jwtmint_profile_mint`).
    Own,
}

/// A provider's declaration.
#[derive(Clone, Copy, Debug)]
pub struct Provider {
    /// The CLI `--profile` value (`github-app`); the C constructor is
    /// `jwtmint_<name with '_' for '-'>_profile_new`.
    pub name: &'static str,
    /// One line: what the provider mints (CLI help, C documentation).
    pub summary: &'static str,
    /// The C options struct (shared by providers with the same options).
    pub c_options: &'static str,
    /// The algorithms it signs, the default first; one entry: fixed.
    pub algorithms: &'static [Algorithm],
    /// The default and the maximum lifetime, seconds.
    pub lifetime: (i64, i64),
    /// The grant its token request makes ([`Grant::JwtBearer`],
    /// [`Grant::ClientAssertion`], [`Grant::BearerHeader`]), or
    /// [`Grant::SelfSigned`] when the JWT is the credential.
    pub grant: Grant,
    /// Where the key comes from.
    pub key: KeyUse,
    /// The options, in C struct order.
    pub options: &'static [Opt],
    /// Builds the profile from checked values.
    pub build: fn(&Values<'_>) -> Result<Built>,
}

fn undeclared(_: &Values<'_>) -> Result<Built> {
    Err(Error::InvalidField {
        field: "provider",
        reason: "declared without a build function",
    })
}

impl Provider {
    /// What most declarations share — RS256 only, the caller's key, the JWT
    /// bearer grant — for `..Provider::RS256` after the fields a provider
    /// sets (name, summary, C struct, lifetimes, options, build).
    pub const RS256: Provider = Provider {
        name: "",
        summary: "",
        c_options: "",
        algorithms: &[Algorithm::Rs256],
        lifetime: (1, 1),
        grant: Grant::JwtBearer,
        key: KeyUse::Caller,
        options: &[],
        build: undeclared,
    };

    /// The algorithm when the provider signs only one.
    pub fn fixed_algorithm(&self) -> Option<Algorithm> {
        match self.algorithms {
            [one] => Some(*one),
            _ => None,
        }
    }

    /// Whether an option of flag `flag` (without `--`) is read: declared
    /// and not [`Presence::Unused`]. What front ends accept: a CLI flag, a
    /// config file field.
    pub fn reads(&self, flag: &str) -> bool {
        self.options
            .iter()
            .any(|o| o.flag == flag && o.presence != Presence::Unused)
    }
}

/// One option's value as a front end read it.
#[derive(Clone, Copy)]
pub enum Value<'a> {
    /// Not given.
    Absent,
    /// Text.
    Text(&'a str),
    /// An algorithm.
    Alg(Algorithm),
    /// An unsigned integer.
    U64(u64),
    /// A signed integer (the lifetime).
    I64(i64),
    /// The index of a [`Kind::Choice`] name.
    Choice(usize),
    /// The bytes of a [`Kind::Bytes`] option.
    Bytes(&'a [u8]),
    /// The texts of a [`Kind::List`] option.
    List(&'a [&'a str]),
    /// What a [`Kind::Account`] option's reader gave.
    Account(&'a (dyn Any + Send + Sync)),
}

impl Value<'_> {
    /// Whether the value is [`Value::Absent`].
    pub const fn is_absent(&self) -> bool {
        matches!(self, Value::Absent)
    }
}

impl core::fmt::Debug for Value<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Value::Absent => f.write_str("Absent"),
            Value::Text(t) => f.debug_tuple("Text").field(t).finish(),
            Value::Alg(a) => f.debug_tuple("Alg").field(a).finish(),
            Value::U64(v) => f.debug_tuple("U64").field(v).finish(),
            Value::I64(v) => f.debug_tuple("I64").field(v).finish(),
            Value::Choice(c) => f.debug_tuple("Choice").field(c).finish(),
            Value::Bytes(b) => write!(f, "Bytes(<{} bytes>)", b.len()),
            Value::List(l) => f.debug_tuple("List").field(l).finish(),
            Value::Account(_) => f.write_str("Account"),
        }
    }
}

/// The values of a provider's options (in [`Provider::options`] order),
/// checked against the declaration: what its `build` reads.
#[derive(Clone, Copy, Debug)]
pub struct Values<'a> {
    provider: &'static Provider,
    values: &'a [Value<'a>],
    key: Option<&'a SigningKey>,
}

/// Why values do not fit a declaration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Misfit {
    /// A required option is absent.
    Missing(&'static Opt),
    /// An unused option is given, or a choice is out of range.
    Unexpected(&'static Opt),
}

impl<'a> Values<'a> {
    /// Checks `values` against `provider`'s options: one per option, the
    /// required ones present, the unused ones absent, choices in range.
    ///
    /// # Errors
    /// The first option that does not fit.
    pub fn new(
        provider: &'static Provider,
        values: &'a [Value<'a>],
        key: Option<&'a SigningKey>,
    ) -> core::result::Result<Self, Misfit> {
        let at = |name: &str| {
            let i = provider.options.iter().position(|o| o.name == name);
            i.and_then(|i| values.get(i)).copied()
        };
        for (i, opt) in provider.options.iter().enumerate() {
            let v = values.get(i).copied().unwrap_or(Value::Absent);
            let presence = match opt.presence {
                Presence::When(on, choice) => match at(on) {
                    Some(Value::Choice(c)) if c == choice => Presence::Required,
                    Some(Value::Choice(_)) => Presence::Unused,
                    _ => Presence::Optional,
                },
                p => p,
            };
            match (presence, v, opt.kind) {
                (Presence::Required, Value::Absent, _) => return Err(Misfit::Missing(opt)),
                (Presence::Unused, v, _) if !v.is_absent() => {
                    return Err(Misfit::Unexpected(opt));
                }
                (_, Value::Choice(c), Kind::Choice(names)) if c >= names.len() => {
                    return Err(Misfit::Unexpected(opt));
                }
                _ => {}
            }
        }
        Ok(Self {
            provider,
            values,
            key,
        })
    }

    fn get(&self, name: &str) -> Value<'a> {
        self.provider
            .options
            .iter()
            .position(|o| o.name == name)
            .and_then(|i| self.values.get(i).copied())
            .unwrap_or(Value::Absent)
    }

    /// A text option, `None` when absent.
    pub fn text(&self, name: &str) -> Option<&'a str> {
        match self.get(name) {
            Value::Text(t) => Some(t),
            _ => None,
        }
    }

    /// A required text option.
    ///
    /// # Errors
    /// `InvalidField` when absent (the front ends check first).
    pub fn required(&self, name: &'static str) -> Result<&'a str> {
        self.text(name).ok_or(Error::InvalidField {
            field: name,
            reason: "required",
        })
    }

    /// The algorithm option, or the provider's default (its first).
    pub fn alg(&self, name: &str) -> Algorithm {
        match self.get(name) {
            Value::Alg(a) => a,
            _ => self
                .provider
                .algorithms
                .first()
                .copied()
                .unwrap_or(Algorithm::Rs256),
        }
    }

    /// An integer option.
    pub fn u64(&self, name: &str) -> Option<u64> {
        match self.get(name) {
            Value::U64(v) => Some(v),
            _ => None,
        }
    }

    /// A list option's texts (`None` when absent).
    pub fn list(&self, name: &str) -> Option<&'a [&'a str]> {
        match self.get(name) {
            Value::List(l) => Some(l),
            _ => None,
        }
    }

    /// An account option's handle as the provider's reader made it.
    ///
    /// # Errors
    /// `InvalidField { field: name }` when absent or of another type.
    pub fn account<T: Any>(&self, name: &'static str) -> Result<&'a T> {
        match self.get(name) {
            Value::Account(a) => a.downcast_ref(),
            _ => None,
        }
        .ok_or(Error::InvalidField {
            field: name,
            reason: "required",
        })
    }

    /// A bytes option, `None` when absent.
    pub fn bytes(&self, name: &str) -> Option<&'a [u8]> {
        match self.get(name) {
            Value::Bytes(b) => Some(b),
            _ => None,
        }
    }

    /// The index of a choice option.
    pub fn choice(&self, name: &str) -> Option<usize> {
        match self.get(name) {
            Value::Choice(c) => Some(c),
            _ => None,
        }
    }

    /// The lifetime when one was given (else the profile keeps its default).
    pub fn lifetime(&self) -> Option<i64> {
        match self.get("lifetime") {
            Value::I64(v) => Some(v),
            _ => None,
        }
    }

    /// The key, for [`KeyUse::CallerAtBuild`] providers.
    ///
    /// # Errors
    /// `InvalidField { field: "key" }` when the front end gave none.
    pub fn key(&self) -> Result<&'a SigningKey> {
        self.key.ok_or(Error::InvalidField {
            field: "key",
            reason: "this provider needs the key to build its profile",
        })
    }
}

impl Values<'_> {
    /// The end of every `build`: the lifetime applied when given (with the
    /// profile's `with_lifetime`), the profile boxed.
    ///
    /// # Errors
    /// Those of `with_lifetime`.
    pub fn finish<P: Profile + Send + Sync + 'static>(
        &self,
        p: P,
        with_lifetime: impl FnOnce(P, i64) -> Result<P>,
    ) -> Result<Built> {
        let profile = Box::new(with_opt(p, self.lifetime(), with_lifetime)?);
        Ok(Built { profile, key: None })
    }

    /// [`Values::finish`] for a profile that brought its own `key`
    /// ([`KeyUse::Own`]).
    ///
    /// # Errors
    /// Those of `with_lifetime`.
    pub fn finish_owning<P: Profile + Send + Sync + 'static>(
        &self,
        p: P,
        with_lifetime: impl FnOnce(P, i64) -> Result<P>,
        key: Box<dyn OwnKey>,
    ) -> Result<Built> {
        let built = self.finish(p, with_lifetime)?;
        Ok(Built {
            key: Some(key),
            ..built
        })
    }
}

/// Applies `with` to `p` when `v` is given.
///
/// # Errors
/// Those of `with`.
pub fn with_opt<P, T>(p: P, v: Option<T>, with: impl FnOnce(P, T) -> Result<P>) -> Result<P> {
    match v {
        Some(v) => with(p, v),
        None => Ok(p),
    }
}
