//! Flags a profile does not use are an error naming the flag, never
//! silently dropped: `--aud` with entra, `--scope`/`--alg PS256`/`--kid`/
//! `--claim` with salesforce, `--sub` with `--client-assertion`, ...
//! The table follows what each profile in `jwtmint::profiles` (and
//! `mint::mint`) really reads.

use crate::args::{Alg, MintArgs, Profile};
use crate::failure::Failure;

/// Errors on the first flag given that `a.profile` ignores.
pub fn check(a: &MintArgs) -> Result<(), Failure> {
    let name = match a.profile {
        Profile::Salesforce => "salesforce",
        Profile::Google => "google",
        Profile::Entra => "entra",
        Profile::Generic => "generic",
        Profile::Custom => "custom",
        Profile::GithubApp => "github-app",
        Profile::Snowflake => "snowflake",
        Profile::Docusign => "docusign",
        Profile::Okta => "okta",
        Profile::Auth0 => "auth0",
        Profile::Apns => "apns",
        Profile::AppStoreConnect => "app-store-connect",
        Profile::SignInWithApple => "sign-in-with-apple",
        Profile::Box => "box",
    };
    // `--key` may come from JWTMINT_KEY_FILE, which is not a flag given for
    // this profile: only a --key that differs from the environment counts.
    let key_flag = a.key.is_some()
        && a.key.as_deref().map(std::ffi::OsStr::new)
            != std::env::var_os("JWTMINT_KEY_FILE").as_deref();
    let given: [(&str, bool); 20] = [
        ("--key", key_flag),
        ("--service-account", a.service_account.is_some()),
        ("--cert", a.cert.is_some()),
        ("--iss", a.iss.is_some()),
        ("--sub", a.sub.is_some()),
        ("--aud", a.aud.is_some()),
        ("--scope", !a.scope.is_empty()),
        ("--tenant", a.tenant.is_some()),
        ("--client-id", a.client_id.is_some()),
        ("--legacy-rs256", a.legacy_rs256),
        ("--kid", a.kid.is_some()),
        ("--iat", a.iat.is_some()),
        ("--exp", a.exp.is_some()),
        ("--nbf", a.nbf.is_some()),
        ("--claim", !a.claims.is_empty()),
        ("--client-assertion", a.client_assertion),
        ("--installation-id", a.installation_id.is_some()),
        ("--account", a.account.is_some()),
        ("--user", a.user.is_some()),
        ("--box-config", a.box_config.is_some()),
    ];
    let used: &[&str] = match a.profile {
        Profile::Custom => &[],
        Profile::GithubApp => &["--key", "--iss", "--installation-id"],
        Profile::Snowflake => &["--key", "--account", "--user"],
        Profile::Docusign => &["--key", "--iss", "--sub", "--aud", "--scope"],
        Profile::Okta | Profile::Auth0 => &["--key", "--aud", "--client-id", "--kid", "--scope"],
        Profile::Apns | Profile::AppStoreConnect => &["--key", "--kid", "--iss"],
        Profile::SignInWithApple => &["--key", "--kid", "--iss", "--sub"],
        Profile::Box => &["--box-config", "--sub"],
        Profile::Salesforce => &["--key", "--iss", "--sub", "--aud"],
        Profile::Google => &["--service-account", "--sub", "--scope"],
        Profile::Entra => &[
            "--key",
            "--cert",
            "--tenant",
            "--client-id",
            "--legacy-rs256",
            "--scope",
        ],
        Profile::Generic => &[
            "--key",
            "--cert",
            "--iss",
            "--sub",
            "--aud",
            "--scope",
            "--kid",
            "--iat",
            "--exp",
            "--nbf",
            "--claim",
            "--client-assertion",
        ],
    };
    if let Some((flag, _)) = given.iter().find(|(f, on)| *on && !used.contains(f)) {
        return Err(Failure::usage(format!(
            "error: {flag} is not used by --profile {name}: remove it (see `jwtmint mint --help`)"
        )));
    }
    // The profile's fixed algorithm: --alg may repeat it, not change it.
    let fixed = match a.profile {
        Profile::Salesforce
        | Profile::Google
        | Profile::GithubApp
        | Profile::Snowflake
        | Profile::Docusign
        | Profile::Box => Some(Alg::Rs256),
        Profile::Entra if a.legacy_rs256 => Some(Alg::Rs256),
        Profile::Entra => Some(Alg::Ps256),
        Profile::Apns | Profile::AppStoreConnect | Profile::SignInWithApple => Some(Alg::Es256),
        Profile::Generic | Profile::Custom | Profile::Okta | Profile::Auth0 => None,
    };
    if let (Some(fixed), Some(alg)) = (fixed, a.alg)
        && alg != fixed
    {
        let hint = if a.profile == Profile::Entra {
            " (--legacy-rs256 selects RS256)"
        } else {
            ""
        };
        return Err(Failure::usage(format!(
            "error: --alg is not used by --profile {name}: it always signs {}{hint}",
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
