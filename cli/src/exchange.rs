//! `jwtmint exchange`: mints with the profile's flags and gets one token
//! through `fetch` (the library's token source); `--profile custom` goes to
//! `custom`, which ends in the same fetch.

use jwtmint::client::endpoint::TokenUrl;

use crate::args::{ExchangeArgs, Format, Profile};
use crate::failure::{CmdResult, Failure};
use crate::{fetch, mint};

/// `exchange` (printing `default` unless --format says otherwise) and
/// `token`.
pub fn run(a: &ExchangeArgs, default: Format) -> CmdResult {
    crate::input::set_passphrase_env(a.mint.key_passphrase_env.as_deref());
    let format = match (a.format, a.print_authorization) {
        (Some(f), _) => f,
        (None, true) => Format::Header,
        (None, false) => default,
    };
    if a.mint.jti.is_some() {
        return Err(Failure::usage(
            "error: --jti is not used by exchange: every exchange mints a fresh assertion with its own jti",
        ));
    }
    if a.mint.profile == Profile::Custom {
        return crate::custom::run(a, format);
    }
    crate::custom::refuse_custom_flags(a)?;
    let now = jwtmint::time::now()?;
    // `--iat` (generic) moves the clock the exchange mints with.
    let offset = a.mint.iat.map_or(0, |iat| iat.saturating_sub(now));
    let given = a
        .token_url
        .as_deref()
        .map(TokenUrl::parse)
        .transpose()
        .map_err(|e| Failure::usage(format!("error: --token-url: {e}")))?;
    let given_url = given.as_ref().map(TokenUrl::as_str);
    mint::build(
        &a.mint,
        now,
        given_url,
        &mut |profile, key, _, _, known_url| {
            // Only form exchanges are sent: a JWT that is itself the credential
            // or a bearer header (snowflake, github-app) is never posted as a form.
            if profile
                .token_request()
                .is_none_or(|r| r.content_type().is_none())
            {
                return Err(Failure::usage(
                    "error: this profile's JWT is the credential or a bearer header, not a form exchange: use `jwtmint mint`",
                ));
            }
            let checked = match (&given, known_url) {
                (Some(u), _) => u.clone(),
                (None, true) => profile
                    .token_request()
                    .map(|r| TokenUrl::parse(r.url))
                    .ok_or_else(|| Failure::usage("error: this profile has no token request"))?
                    .map_err(|e| Failure::usage(format!("error: --token-url: {e}")))?,
                (None, false) => {
                    return Err(Failure::usage(
                        "error: --token-url URL is required for --profile generic",
                    ));
                }
            };
            fetch::get_and_print(a, format, profile, key, &checked, offset)
        },
    )
}
