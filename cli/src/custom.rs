//! `jwtmint exchange --profile custom`: a non-standard identity provider —
//! password login, renewal with the refresh token and/or the previously
//! issued JWT — configured from flags into the library's
//! `jwtmint::profiles::Custom` and run through the same token source as
//! every other profile. The password comes from a file or an environment
//! variable, never from the command line.

use jwtmint::client::endpoint::TokenUrl;
use jwtmint::profiles::{OwnedCustom, OwnedGrantSpec};
use jwtmint::secret::{Secret, SecretEnv, SecretFile};
use jwtmint::signer::NoKey;

use crate::args::{ExchangeArgs, Format, GrantArg, RenewArg};
use crate::failure::{CmdResult, Failure};

/// The flags only `--profile custom` reads, and whether each was given.
fn custom_flags(a: &ExchangeArgs) -> [(&'static str, bool); 8] {
    [
        ("--grant", a.grant.is_some()),
        ("--username", a.username.is_some()),
        ("--password-file", a.password_file.is_some()),
        ("--password-env", a.password_env.is_some()),
        ("--renew", !a.renew.is_empty()),
        ("--renew-grant-type", a.renew_grant_type.is_some()),
        ("--form", !a.form.is_empty()),
        ("--header", !a.headers.is_empty()),
    ]
}

/// Errors on a `--profile custom` flag given to another profile.
pub fn refuse_custom_flags(a: &ExchangeArgs) -> CmdResult {
    match custom_flags(a).iter().find(|(_, on)| *on) {
        Some((flag, _)) => Err(Failure::usage(format!(
            "error: {flag} is only used with --profile custom"
        ))),
        None => Ok(()),
    }
}

/// `name<sep>value` pairs from repeated flags.
fn pairs<'v>(
    values: &'v [String],
    sep: char,
    flag: &str,
) -> Result<Vec<(&'v str, &'v str)>, Failure> {
    values
        .iter()
        .map(|v| {
            let (k, val) = v.split_once(sep).ok_or_else(|| {
                Failure::usage(format!("error: {flag} takes NAME{sep}VALUE, got {v:?}"))
            })?;
            Ok((k.trim(), val.trim_start()))
        })
        .collect()
}

pub fn run(a: &ExchangeArgs, format: Format) -> CmdResult {
    crate::flags::check(&a.mint)?;
    let url = a
        .token_url
        .as_deref()
        .ok_or_else(|| Failure::usage("error: --token-url URL is required for --profile custom"))?;
    let checked =
        TokenUrl::parse(url).map_err(|e| Failure::usage(format!("error: --token-url: {e}")))?;
    let Some(GrantArg::Password) = a.grant else {
        return Err(Failure::usage(
            "error: --grant password is required for --profile custom",
        ));
    };
    let username = a
        .username
        .as_deref()
        .ok_or_else(|| Failure::usage("error: --username is required for --grant password"))?;
    let password: Box<dyn Secret + Send + Sync> = match (&a.password_file, &a.password_env) {
        (Some(f), None) => Box::new(SecretFile(f.clone())),
        (None, Some(v)) => Box::new(SecretEnv(v.clone())),
        (None, None) => {
            return Err(Failure::usage(
                "error: --password-file FILE or --password-env VAR is required for --grant password (a password is never a command-line value)",
            ));
        }
        (Some(_), Some(_)) => {
            return Err(Failure::usage(
                "error: give one of --password-file and --password-env",
            ));
        }
    };
    let form = pairs(&a.form, '=', "--form")?;
    let headers = pairs(&a.headers, ':', "--header")?;
    let renew = a
        .renew
        .iter()
        .map(|r| match (r, a.renew_grant_type.as_deref()) {
            (RenewArg::Refresh, _) => OwnedGrantSpec::refresh_token(),
            (RenewArg::PreviousToken, None) => OwnedGrantSpec::previous_token(),
            (RenewArg::PreviousToken, Some(g)) => OwnedGrantSpec::previous_token_as(g),
        })
        .map(|s| s.form(form.iter().copied()))
        .collect();
    if a.renew_grant_type.is_some() && !a.renew.contains(&RenewArg::PreviousToken) {
        return Err(Failure::usage(
            "error: --renew-grant-type needs --renew previous-token",
        ));
    }
    let initial = OwnedGrantSpec::password(username, password).form(form.iter().copied());
    let custom = OwnedCustom::new(checked.as_str(), initial, renew)
        .and_then(|c| c.with_headers(headers))
        .map_err(|e| Failure::usage(format!("error: {e}")))?;
    crate::fetch::get_and_print(a, format, &custom, &NoKey, &checked, 0)
}
