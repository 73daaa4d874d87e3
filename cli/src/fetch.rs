//! One token from the library's token source
//! (`jwtmint::client::TokenSource` over the session core), optionally
//! shared through the cache file (`FileStore`), printed as JSON or as an
//! `Authorization` line: the fetch every `exchange` ends in (the assertion
//! profiles in `exchange.rs`, `--profile custom` in `custom.rs`), with the
//! same hardening Rust services get (checked token URL, no redirects, named
//! timeouts, body cap, redacted server text).

use std::sync::Arc;
use std::time::Duration;

use jwtmint::client::endpoint::TokenUrl;
use jwtmint::client::file_store::FileStore;
use jwtmint::client::http::HttpConfig;
use jwtmint::client::redact;
use jwtmint::client::sealed_store::SealedStore;
use jwtmint::client::{TokenError, TokenSource};
use jwtmint::profiles::Profile as JwtProfile;
use jwtmint::seal::SealKey;
use jwtmint::session::{Config, FailureKind};
use jwtmint::signer::JwsKey;
use serde_json::json;

use crate::args::{ExchangeArgs, Format};
use crate::failure::{CmdResult, Failure};

/// Gets one token for `profile` + `key` from the library's token source
/// (through the cache file with `--cache`) and prints it.
pub fn get_and_print<P, K>(
    a: &ExchangeArgs,
    format: Format,
    profile: &P,
    key: &K,
    checked: &TokenUrl,
    offset: i64,
) -> CmdResult
where
    P: JwtProfile + Sync + ?Sized,
    K: JwsKey + Sync + ?Sized,
{
    let http = HttpConfig::default()
        .with_timeout_secs(a.timeout)
        .map_err(|e| Failure::usage(format!("error: --timeout: {e}")))?;
    let config = Config::new()
        .refresh_ahead(a.refresh_skew)
        .session_lifetime(a.session_lifetime);
    let mut builder = TokenSource::builder(profile, key)
        .config(config)
        .http(http)
        .token_url(checked.as_str())
        .max_wait(Duration::ZERO)
        .clock(move || jwtmint::time::now().unwrap_or(0).saturating_add(offset))
        .on_warning(|e| eprintln!("warning: {e}"));
    if let Some(path) = &a.cache {
        let file = FileStore::new(path);
        let key = match (&a.cache_key_file, &a.cache_key_env) {
            (Some(f), _) => Some(SealKey::from_file(f)),
            (None, Some(v)) => Some(SealKey::from_env(v)),
            (None, None) => None,
        };
        builder = match key {
            None => builder.store(Arc::new(file)),
            Some(Ok(key)) => builder.store(Arc::new(SealedStore::new(file, key))),
            Some(Err(e)) => return Err(Failure::input(format!("error: cache key: {e}"))),
        };
    }
    let source = builder
        .build()
        .map_err(|e| Failure::usage(format!("error: {e}")))?;
    let token = source.get().map_err(|e| failure(checked, e))?;
    // The library hands out only header-safe tokens (RFC 6749 VSCHAR
    // without space, `token_type` an HTTP token); checked again here, where
    // the bytes leave for a header or a shell.
    let safe = token
        .access_token()
        .chars()
        .all(jwtmint::token_response::is_token_char)
        && !token.token_type.is_empty()
        && token
            .token_type
            .chars()
            .all(jwtmint::token_response::is_tchar);
    if !safe {
        return Err(Failure::remote(format!(
            "error: {checked}: the token or its type holds bytes that could split a header; refused"
        )));
    }
    match format {
        Format::Json => {}
        Format::Token => {
            println!("{}", token.access_token());
            return Ok(());
        }
        Format::Header => {
            println!(
                "Authorization: {} {}",
                token.token_type,
                token.access_token()
            );
            return Ok(());
        }
        Format::Env => {
            // Single-quoted for a POSIX shell: `'` as `'\''`.
            println!(
                "export {}='{}'",
                a.env_var,
                token.access_token().replace('\'', "'\\''")
            );
            return Ok(());
        }
    }
    let at = jwtmint::time::now()?.saturating_add(offset);
    println!(
        "{}",
        json!({
            "access_token": token.access_token(),
            "token_type": token.token_type,
            "expires_at": token.expires_at,
            "expires_in": token.expires_at.saturating_sub(at),
            "instance_url": token.instance_url,
            "scope": token.scope,
            "token_url": checked.as_str(),
            "cached": source.requests_sent() == 0,
        })
    );
    Ok(())
}

/// The message and exit code for a failed `get()`.
fn failure(url: &TokenUrl, e: TokenError) -> Failure {
    match e {
        TokenError::Rejected {
            kind: FailureKind::OAuth,
            code,
            description,
            ..
        } => {
            let (code, desc) = (redact::sanitize(&code), redact::sanitize(&description));
            let mut msg = format!("error: {code}: {desc}");
            if let Some(h) = hint(&code, &desc) {
                msg.push_str("\nhint: ");
                msg.push_str(h);
            }
            Failure::remote(msg)
        }
        TokenError::Rejected {
            kind: FailureKind::Mint(_),
            message,
            ..
        } => Failure::input(format!("error: {}", redact::sanitize(&message))),
        TokenError::Rejected { message, .. } => {
            Failure::remote(format!("error: {url}: {}", redact::sanitize(&message)))
        }
        TokenError::Unavailable {
            reason,
            detail: Some(detail),
        } if reason.starts_with("transport error") => {
            Failure::remote(format!("error: POST {url}: {}", redact::sanitize(&detail)))
        }
        TokenError::Unavailable { reason, detail } => {
            let mut msg = format!("error: {url}: {}", redact::sanitize(&reason));
            if let Some(d) = detail {
                msg.push_str(&format!("; the server answered {}", redact::sanitize(&d)));
            }
            Failure::remote(msg)
        }
        other => Failure::remote(format!("error: {}", redact::sanitize(&other.to_string()))),
    }
}

/// Hints for the errors people actually hit.
fn hint(code: &str, desc: &str) -> Option<&'static str> {
    let d = desc.to_ascii_lowercase();
    if code == "invalid_grant" && d.trim().is_empty() {
        Some(
            "the server gave no reason: most often the wrong key, or its public key / certificate is not uploaded to the provider for this client",
        )
    } else if d.contains("user hasn't approved this consumer") || d.contains("user hasn't approved")
    {
        Some(
            "Salesforce: pre-authorize the connected app for the user (Manage Connected Apps > Permitted Users: Admin approved users are pre-authorized, then add the user's profile or permission set)",
        )
    } else if d.contains("audience is invalid") {
        Some(
            "Salesforce: --aud must be https://login.salesforce.com (production), https://test.salesforce.com (sandbox) or your My Domain / Experience Cloud URL, exactly",
        )
    } else if d.contains("invalid_client_id") || d.contains("client identifier invalid") {
        Some("Salesforce: --iss must be the connected app's consumer key")
    } else if d.contains("aadsts700027") {
        Some(
            "Entra: the certificate that signed is not registered on the app, or the thumbprint kind is not accepted: upload this certificate, or try --legacy-rs256 (x5t)",
        )
    } else if d.contains("aadsts7000215") || d.contains("aadsts700016") {
        Some("Entra: check --client-id and --tenant")
    } else if d.contains("invalid jwt signature")
        || d.contains("signature") && code == "invalid_grant"
    {
        Some(
            "the signature did not verify: is the public key / certificate registered with the provider the one for --key?",
        )
    } else if d.contains("expired")
        || d.contains("short-lived")
        || d.contains("iat") && d.contains("exp")
    {
        Some("the assertion's times were refused: check the system clock (NTP) and --lifetime")
    } else if d.contains("aud") {
        Some(
            "the server did not accept `aud`: use the exact token endpoint / issuer URL the server expects",
        )
    } else {
        None
    }
}
