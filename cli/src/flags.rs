//! Flags a profile does not use are an error naming the flag, never
//! silently dropped: `--aud` with entra, `--scope`/`--alg PS256`/`--kid`/
//! `--claim` with salesforce, `--sub` with `--client-assertion`, ...
//! A declared provider's flags and required flags come from its
//! declaration; the library types the flags' values
//! ([`jwtmint::config::build_provider`]), this module words its errors.

use jwtmint::config::{FileError, OptionError, Raw};
use jwtmint::profiles::declare::{KeyUse, Misfit, Presence};

use crate::args::{MintArgs, Profile, TYPED_FLAGS};
use crate::failure::Failure;

/// Errors on the first flag given that `a.profile` ignores.
pub fn check(a: &MintArgs) -> Result<(), Failure> {
    let name = a.profile.name();
    // `--key` may come from JWTMINT_KEY_FILE, which is not a flag given for
    // this profile: only a --key that differs from the environment counts.
    let key_flag = a.key.is_some()
        && a.key.as_deref().map(std::ffi::OsStr::new)
            != std::env::var_os("JWTMINT_KEY_FILE").as_deref();
    // Given: `--key` (see above), the explicit times, and every typed flag
    // `raw` has a value for (a switch on, a repeated flag at least once);
    // the declared-only flags given follow. Not checked here: flags every
    // provider reads, and `--alg` (checked against the built profile).
    let given = |flag: &str| match flag {
        "key" => key_flag,
        "iat" => a.iat.is_some(),
        "exp" => a.exp.is_some(),
        "key-passphrase-file" | "lifetime" | "jti" | "alg" => false,
        flag => !matches!(
            raw(a, flag, None),
            None | Some(Raw::Bool(false) | Raw::List([]))
        ),
    };
    let mut flags = TYPED_FLAGS
        .iter()
        .copied()
        .chain(a.declared.values.iter().map(|(f, _)| *f));
    // A declared provider reads `--key` (unless its configuration holds
    // its key), its options', and the explicit times `--iat` (the mint's
    // clock) and `--exp` (`--iat` + the lifetime) where the lifetime has no
    // cap.
    let used = |flag: &str| match (a.profile, flag) {
        (Profile::Custom, _) => false,
        (Profile::Declared(p), "key") => p.key != KeyUse::Own,
        (Profile::Declared(p), "iat" | "exp") => p.lifetime.1 == i64::MAX,
        (Profile::Declared(p), flag) => p.reads(flag),
    };
    if let Some(flag) = flags.find(|f| given(f) && !used(f)) {
        return Err(Failure::usage(format!(
            "error: --{flag} is not used by --profile {name}: remove it (see `jwtmint mint --help`)"
        )));
    }
    Ok(())
}

/// The value of flag `flag` (without `--`) for the library, `lifetime`
/// the one `--lifetime` or `--exp` gave.
pub fn raw<'a>(a: &'a MintArgs, flag: &str, lifetime: Option<i64>) -> Option<Raw<'a>> {
    let text = |v: &'a Option<String>| v.as_deref().map(Raw::Text);
    match flag {
        "iss" => text(&a.iss),
        "sub" => text(&a.sub),
        "aud" => text(&a.aud),
        "kid" => text(&a.kid),
        "scope" => Some(Raw::List(&a.scope)),
        "claim" => Some(Raw::List(&a.claims)),
        "legacy-rs256" => Some(Raw::Bool(a.legacy_rs256)),
        "client-assertion" => Some(Raw::Bool(a.client_assertion)),
        "alg" => a.alg.map(|x| Raw::Alg(x.algorithm())),
        "lifetime" => lifetime.map(Raw::Integer),
        "nbf" => a.nbf.map(Raw::Integer),
        "cert" => a.cert.as_deref().map(Raw::Path),
        flag => a.declared.get(flag).map(Raw::Text),
    }
}

/// Checks one `--claim` as the library reads it.
pub fn claim(c: &str) -> Result<(), Failure> {
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

/// The CLI's message for flags the library could not make a profile of.
pub fn failure(e: OptionError, a: &MintArgs) -> Failure {
    let name = a.profile.name();
    Failure::usage(match e {
        OptionError::File(FileError::NoCertificate) => format!(
            "error: --cert FILE is required for --profile {name} (or a .p12/.pfx --key holding it)"
        ),
        OptionError::File(FileError::CertificateKey(e)) | OptionError::Build(e) => {
            return e.into();
        }
        OptionError::File(e) => return Failure::input(format!("error: {e}")),
        OptionError::NotAChoice(o) => {
            format!("error: --{} for --profile {name} is {}", o.flag, o.doc)
        }
        OptionError::NotANumber(o) => {
            let t = a.declared.get(o.flag).unwrap_or_default();
            format!("error: --{}: {t:?} is not a number", o.flag)
        }
        // The CLI's one integer flag of an unsigned option.
        OptionError::Negative(o) => format!("error: --{}: before 1970", o.flag),
        OptionError::Misfit(_, Misfit::Missing(o)) => {
            format!("error: --{} is required for --profile {name}", o.flag)
        }
        // Read only with another choice of option `on` (the generic --sub,
        // not read with --client-assertion).
        OptionError::Misfit(p, Misfit::Unexpected(o)) => match o.presence {
            Presence::When(on, _) => {
                let on = p
                    .options
                    .iter()
                    .find(|x| x.name == on)
                    .map_or(on, |x| x.flag);
                format!("error: --{} is not used with --{on}: {}", o.flag, o.doc)
            }
            _ => format!("error: --{} is not used by --profile {name}", o.flag),
        },
        OptionError::NoKey(_) => format!("error: --profile {name} brought no key"),
        e => format!("error: --{}: {e}", e.field()),
    })
}
