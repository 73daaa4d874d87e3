//! Named logins: `jwtmint mint|exchange|token @NAME` reads `[login.NAME]`
//! from the config file (`jwtmint::config`, which checks the file's owner
//! and mode, its size, its syntax and that it holds no secret values) and
//! turns each of its fields into the flag of the same name, placed before
//! the command line's own flags. A flag given on the command line wins: the
//! entry's field of that flag is left out (a list field, `scope`, `claim`,
//! ..., as a whole). Fields the command has no flag for (`token-url` with
//! `mint`) are left out too: one entry serves every command.

use std::ffi::OsString;

use clap::ValueEnum;
use clap::parser::ValueSource;
use jwtmint::config::{Login, Logins, Value};

use crate::args::Profile;
use crate::failure::Failure;

/// The login in use, for the note after a failure.
pub struct Used {
    /// `@NAME`.
    pub name: String,
    /// The config file.
    pub path: std::path::PathBuf,
}

/// The flags of `sub` that are not login data (`mint --form` prints the
/// request body; `exchange --form` is a form field, which is).
fn skipped(sub: &str, flag: &str) -> bool {
    sub == "mint" && flag == "form"
}

/// `argv` with the fields of the login named in `m` (the matches of
/// subcommand `sub` of `cmd`) inserted after the subcommand.
///
/// # Errors
/// The config file's errors (exit 2), an unknown `profile`.
pub fn expand(
    argv: &[OsString],
    cmd: &clap::Command,
    sub: &str,
    m: &clap::ArgMatches,
) -> Result<Option<(Vec<OsString>, Used)>, Failure> {
    let Some(name) = m.get_one::<String>("named_login") else {
        // JWTMINT_CONFIG alone is fine; --config without a login is a slip.
        if m.value_source("config") == Some(ValueSource::CommandLine) {
            return Err(Failure::usage(
                "error: --config names the file of named logins: give the login as @NAME",
            ));
        }
        return Ok(None);
    };
    let path = match m.get_one::<std::path::PathBuf>("config") {
        Some(p) => p.clone(),
        None => Logins::default_path().map_err(|e| Failure::input(format!("error: {e}")))?,
    };
    let logins = Logins::load_from(&path).map_err(|e| Failure::input(format!("error: {e}")))?;
    let login = logins
        .get(name)
        .map_err(|e| Failure::input(format!("error: {e}")))?;
    check_profile(&path, login)?;
    let sc = cmd
        .find_subcommand(sub)
        .ok_or_else(|| Failure::usage(format!("error: {sub} takes no named login")))?;
    let given = |flag: &str| {
        sc.get_arguments()
            .find(|a| a.get_long() == Some(flag))
            .map(|a| m.value_source(a.get_id().as_str()) == Some(ValueSource::CommandLine))
    };
    let mut flags: Vec<OsString> = Vec::new();
    let mut push = |flag: &str, value: Option<OsString>| {
        let mut f = OsString::from(format!("--{flag}"));
        if let Some(v) = value {
            // `--flag=value`: a value starting with `-` stays a value.
            f.push("=");
            f.push(v);
        }
        flags.push(f);
    };
    if given("profile") == Some(false) {
        push("profile", Some(login.profile().into()));
    }
    for f in login.fields() {
        if skipped(sub, &f.name) || given(&f.name) != Some(false) {
            continue;
        }
        match &f.value {
            Value::Text(t) | Value::Env(t) => push(&f.name, Some(t.into())),
            Value::Integer(i) => push(&f.name, Some(i.to_string().into())),
            Value::Bool(true) => push(&f.name, None),
            Value::Path(p) => push(&f.name, Some(p.as_os_str().to_owned())),
            Value::List(items) => {
                for item in items {
                    push(&f.name, Some(item.into()));
                }
            }
            _ => {}
        }
    }
    // After the subcommand (argv[0] is the program).
    let at = argv
        .iter()
        .skip(1)
        .position(|a| a == sub)
        .map_or(argv.len(), |i| i + 2);
    let mut out = argv.to_vec();
    out.splice(at..at, flags);
    Ok(Some((
        out,
        Used {
            name: format!("@{}", login.name()),
            path,
        },
    )))
}

/// The entry's `profile` must be one `--profile` knows.
fn check_profile(path: &std::path::Path, login: &Login) -> Result<(), Failure> {
    if Profile::from_str(login.profile(), false).is_ok() {
        return Ok(());
    }
    Err(Failure::input(format!(
        "error: config {}:{}: [login.{}] profile: unknown profile {:?} (see `jwtmint mint --help`)",
        path.display(),
        login.line(),
        login.name(),
        jwtmint::client::redact::sanitize(login.profile())
    )))
}
