//! Flags a profile does not use are an error naming the flag, never
//! silently dropped: `--aud` with entra, `--scope`/`--alg PS256`/`--kid`/
//! `--claim` with salesforce, `--sub` with `--client-assertion`, ...
//! The table follows what each built-in profile in `jwtmint::profiles` (and
//! `mint::mint`) really reads; a declared provider's flags, required flags
//! and fixed algorithm come from its declaration.

use jwtmint::profiles::declare::{KeyUse, Kind, Opt, Presence, Provider, Value};
use jwtmint::profiles::generic;

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
    let declared_used;
    let used: &[&str] = match a.profile {
        Profile::Declared(p) => {
            declared_used = used_by(p);
            &declared_used
        }
        Profile::Custom => &[],
        // The declared generic profile's flags and the superset's.
        Profile::Generic => {
            declared_used = [used_by(&generic::PROVIDER), GENERIC_SUPERSET.to_vec()].concat();
            &declared_used
        }
    };
    if let Some((flag, _)) = given.iter().find(|(f, on)| *on && !used.contains(f)) {
        return Err(Failure::usage(format!(
            "error: {flag} is not used by --profile {name}: remove it (see `jwtmint mint --help`)"
        )));
    }
    // The profile's fixed algorithm: --alg may repeat it, not change it.
    let fixed = match a.profile {
        Profile::Declared(p) => p.fixed_algorithm().and_then(Alg::from_algorithm),
        Profile::Generic | Profile::Custom => None,
    };
    if let (Some(fixed), Some(alg)) = (fixed, a.alg)
        && alg != fixed
    {
        return Err(Failure::usage(format!(
            "error: --alg is not used by --profile {name}: it always signs {}",
            fixed.algorithm().as_str()
        )));
    }
    if a.profile == Profile::Generic && a.client_assertion && a.sub.is_some() {
        return Err(Failure::usage(
            "error: --sub is not used with --client-assertion: the client assertion's sub is --iss (RFC 7523 §3)",
        ));
    }
    Ok(())
}

/// What `--profile generic` reads beyond the declared generic RFC 7523
/// profile (`rfc7523`, which the CLI offers as `generic`).
const GENERIC_SUPERSET: &[&str] = &[
    "--cert",
    "--iat",
    "--exp",
    "--nbf",
    "--claim",
    "--client-assertion",
];

/// `--flag` as a `'static` string (flags are few and named once).
fn flag_name(flag: &'static str) -> &'static str {
    Box::leak(format!("--{flag}").into_boxed_str())
}

/// The flags a declared provider reads: `--key` (unless its configuration
/// holds its key) and its options'.
fn used_by(p: &Provider) -> Vec<&'static str> {
    let mut used = if p.key == KeyUse::Own {
        vec![]
    } else {
        vec!["--key"]
    };
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
    /// The `--scope` values joined by spaces.
    pub scope: &'s str,
    /// The `--scope` values one by one.
    pub scopes: Vec<&'s str>,
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
        "kid" => text(&a.kid),
        "scope" if scope.is_empty() => o.cli_default.map_or(Value::Absent, Value::Text),
        "scope" if matches!(o.kind, Kind::List(_)) => Value::List(&read.scopes),
        "legacy-rs256" if a.legacy_rs256 => Value::Choice(1),
        "legacy-rs256" => Value::Absent,
        "cert" => read.files.value(o),
        "scope" => Value::Text(scope),
        "alg" => a.alg.map_or(Value::Absent, |x| Value::Alg(x.algorithm())),
        "lifetime" => a.lifetime.map_or(Value::Absent, Value::I64),
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

/// The path an option's flag names (the [`Kind::Bytes`] and
/// [`Kind::Account`] options', `--cert`).
pub fn path<'a>(a: &'a MintArgs, flag: &str) -> Option<&'a std::path::Path> {
    match flag {
        "cert" => a.cert.as_deref(),
        flag => a.declared.get(flag).map(std::path::Path::new),
    }
}

/// The CLI's message for a file an option named that could not be read.
pub fn file_failure(e: jwtmint::config::FileError, p: &Provider) -> Failure {
    use jwtmint::config::FileError;
    match e {
        FileError::NoCertificate => Failure::usage(format!(
            "error: --cert FILE is required for --profile {} (or a .p12/.pfx --key holding it)",
            p.name
        )),
        FileError::CertificateKey(e) => e.into(),
        e => Failure::input(format!("error: {e}")),
    }
}
