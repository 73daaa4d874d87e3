//! Flags a profile does not use are an error naming the flag, never
//! silently dropped: `--aud` with entra, `--scope`/`--alg PS256`/`--kid`/
//! `--claim` with salesforce, `--sub` with `--client-assertion`, ...
//! A declared provider's flags, required flags and fixed algorithm come
//! from its declaration.

use jwtmint::profiles::declare::{KeyUse, Kind, Opt, Presence, Provider, Value};

use crate::args::{Alg, MintArgs, Profile};
use crate::failure::Failure;

/// Errors on the first flag given that `a.profile` ignores.
pub fn check(a: &MintArgs) -> Result<(), Failure> {
    let name = a.profile.name();
    // `--key` may come from JWTMINT_KEY_FILE, which is not a flag given for
    // this profile: only a --key that differs from the environment counts.
    let key_flag = a.key.is_some()
        && a.key.as_deref().map(std::ffi::OsStr::new)
            != std::env::var_os("JWTMINT_KEY_FILE").as_deref();
    let mut given: Vec<(&str, bool)> = vec![
        ("--key", key_flag),
        ("--cert", a.cert.is_some()),
        ("--iss", a.iss.is_some()),
        ("--sub", a.sub.is_some()),
        ("--aud", a.aud.is_some()),
        ("--scope", !a.scope.is_empty()),
        ("--legacy-rs256", a.legacy_rs256),
        ("--kid", a.kid.is_some()),
        ("--iat", a.iat.is_some()),
        ("--exp", a.exp.is_some()),
        ("--nbf", a.nbf.is_some()),
        ("--claim", !a.claims.is_empty()),
        ("--client-assertion", a.client_assertion),
    ];
    given.extend(a.declared.values.iter().map(|(f, _)| (flag_name(f), true)));
    let used = match a.profile {
        Profile::Declared(p) => used_by(p),
        Profile::Custom => vec![],
    };
    if let Some((flag, _)) = given.iter().find(|(f, on)| *on && !used.contains(f)) {
        return Err(Failure::usage(format!(
            "error: {flag} is not used by --profile {name}: remove it (see `jwtmint mint --help`)"
        )));
    }
    // The profile's fixed algorithm: --alg may repeat it, not change it.
    let fixed = match a.profile {
        Profile::Declared(p) => p.fixed_algorithm().and_then(Alg::from_algorithm),
        Profile::Custom => None,
    };
    if let (Some(fixed), Some(alg)) = (fixed, a.alg)
        && alg != fixed
    {
        return Err(Failure::usage(format!(
            "error: --alg is not used by --profile {name}: it always signs {}",
            fixed.algorithm().as_str()
        )));
    }
    Ok(())
}

/// `--flag` as a `'static` string (flags are few and named once).
fn flag_name(flag: &'static str) -> &'static str {
    Box::leak(format!("--{flag}").into_boxed_str())
}

/// The flags a declared provider reads: `--key` (unless its configuration
/// holds its key), its options', and the explicit times `--iat` (the mint's
/// clock) and `--exp` (`--iat` + the lifetime) where the lifetime has no cap.
fn used_by(p: &Provider) -> Vec<&'static str> {
    let mut used = if p.key == KeyUse::Own {
        vec![]
    } else {
        vec!["--key"]
    };
    if p.lifetime.1 == i64::MAX {
        used.extend(["--iat", "--exp"]);
    }
    used.extend(
        p.options
            .iter()
            .filter(|o| o.presence != Presence::Unused && o.kind != Kind::Lifetime)
            .map(|o| flag_name(o.flag)),
    );
    used
}

/// What the flags name rather than hold, read before the options' values.
pub struct Read<'s> {
    /// The mint's clock: `--iat`, else now.
    pub iat: i64,
    /// The `--scope` values joined by spaces.
    pub scope: &'s str,
    /// The `--scope` values one by one.
    pub scopes: Vec<&'s str>,
    /// The `--claim` values.
    pub claims: Vec<&'s str>,
    /// The `kid` the key file carried (a JWK's), the default of `--kid`.
    pub kid: Option<String>,
    /// The files the options named, read by the library
    /// ([`jwtmint::config::OptionFiles::read`]).
    pub files: jwtmint::config::OptionFiles,
}

/// The value of option `o` of declared provider `p` from the flags and what
/// they named (`read`).
pub fn value<'a>(
    a: &'a MintArgs,
    p: &Provider,
    o: &Opt,
    read: &'a Read<'a>,
) -> Result<Value<'a>, Failure> {
    let scope = read.scope;
    let text = |v: &'a Option<String>| v.as_deref().map_or(Value::Absent, Value::Text);
    let v = match o.flag {
        "iss" => text(&a.iss),
        "sub" => text(&a.sub),
        "aud" => text(&a.aud),
        "kid" => a
            .kid
            .as_deref()
            .or(read.kid.as_deref())
            .map_or(Value::Absent, Value::Text),
        "scope" if scope.is_empty() => o.cli_default.map_or(Value::Absent, Value::Text),
        "scope" if matches!(o.kind, Kind::List(_)) => Value::List(&read.scopes),
        "legacy-rs256" => Value::Choice(usize::from(a.legacy_rs256)),
        "client-assertion" => Value::Choice(usize::from(a.client_assertion)),
        "scope" => Value::Text(scope),
        "alg" => a.alg.map_or(Value::Absent, |x| Value::Alg(x.algorithm())),
        // An explicit --exp is --iat + the lifetime.
        "lifetime" => match a.exp.map(|exp| (exp, exp.saturating_sub(read.iat))) {
            Some((exp, l)) if l < 1 => {
                return Err(jwtmint::Error::ExpiryNotAfterIssuedAt { iat: read.iat, exp }.into());
            }
            Some((_, l)) => Value::I64(l),
            None => a.lifetime.map_or(Value::Absent, Value::I64),
        },
        "nbf" => match a.nbf.map(u64::try_from) {
            Some(nbf) => Value::U64(nbf.map_err(|_| Failure::usage("error: --nbf: before 1970"))?),
            None => Value::Absent,
        },
        "claim" => {
            for c in &read.claims {
                claim(c)?;
            }
            Value::List(&read.claims)
        }
        _ if jwtmint::config::OptionFiles::names_a_file(o) => read.files.value(o),
        flag => a.declared.get(flag).map_or(Value::Absent, Value::Text),
    };
    match (o.kind, v) {
        (Kind::Choice(names), Value::Text(t)) => names
            .iter()
            .position(|n| *n == t)
            .map(Value::Choice)
            .ok_or_else(|| {
                Failure::usage(format!(
                    "error: --{} for --profile {} is {}",
                    o.flag, p.name, o.doc
                ))
            }),
        (Kind::U64, Value::Text(t)) => t
            .parse()
            .map(Value::U64)
            .map_err(|_| Failure::usage(format!("error: --{}: {t:?} is not a number", o.flag))),
        _ => Ok(v),
    }
}

/// Checks one `--claim` as the library reads it.
fn claim(c: &str) -> Result<(), Failure> {
    match jwtmint::profiles::generic::parse_claim(c) {
        Ok(_) => Ok(()),
        Err(jwtmint::Error::InvalidField { .. }) => Err(Failure::usage(format!(
            "error: --claim {c}: expected NAME=VALUE or NAME:=JSON"
        ))),
        Err(e) => {
            let name = c.split_once(":=").map_or(c, |(name, _)| name);
            Err(Failure::input(format!("error: --claim {name}: {e}")))
        }
    }
}

/// The path an option's flag names (the [`Kind::Bytes`] and
/// [`Kind::Account`] options', `--cert`).
pub fn path<'a>(a: &'a MintArgs, flag: &str) -> Option<&'a std::path::Path> {
    match flag {
        "cert" => a.cert.as_deref(),
        flag => a.declared.get(flag).map(std::path::Path::new),
    }
}

/// The CLI's message for a file an option named that could not be read.
pub fn file_failure(e: jwtmint::config::FileError, profile: &str) -> Failure {
    use jwtmint::config::FileError;
    match e {
        FileError::NoCertificate => Failure::usage(format!(
            "error: --cert FILE is required for --profile {profile} (or a .p12/.pfx --key holding it)"
        )),
        FileError::CertificateKey(e) => e.into(),
        e => Failure::input(format!("error: {e}")),
    }
}
