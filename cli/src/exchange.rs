//! `jwtmint exchange`: mint, POST, parse the token response, cache.

use std::io::Write;
use std::path::Path;
use std::time::Duration;

use jwtmint::cache::{TokenCache, TokenState};
use jwtmint::token_response::TokenResponse;
use serde_json::{Value, json};

use crate::args::ExchangeArgs;
use crate::{CmdResult, Failure, mint};

/// Longest access token the cache keeps (Entra tokens run to ~3 KB).
const TOKEN_CAPACITY: usize = 8192;

pub fn run(a: &ExchangeArgs) -> CmdResult {
    let now = jwtmint::time::now()?;
    if let Some(path) = &a.cache
        && let Some(hit) = cached(path, a, now)?
    {
        println!("{hit}");
        return Ok(());
    }
    let minted = mint::mint(&a.mint, now)?;
    if !minted.form_exchange {
        return Err(Failure::usage(
            "error: this profile's JWT is the credential or a bearer header, not a form exchange: use `jwtmint mint`",
        ));
    }
    let url = a.token_url.clone().or(minted.token_url).ok_or_else(|| {
        Failure::usage("error: --token-url URL is required for --profile generic")
    })?;
    check_url(&url)?;
    let (status, body) = post(&url, &minted.body, a.timeout)?;
    let response = TokenResponse::parse(&body).map_err(|e| {
        Failure::remote(format!(
            "error: {url} answered HTTP {status} with a body that is not an OAuth token response ({e}): {}",
            String::from_utf8_lossy(&body).chars().take(300).collect::<String>()
        ))
    })?;
    if response.is_error() {
        let code = text(response.error).unwrap_or_else(|| "unknown_error".into());
        let desc = text(response.error_description).unwrap_or_default();
        let mut msg = format!("error: {code}: {desc}");
        if let Some(h) = hint(&code, &desc) {
            msg.push_str("\nhint: ");
            msg.push_str(h);
        }
        return Err(Failure::remote(msg));
    }
    if !(200..300).contains(&status) {
        return Err(Failure::remote(format!(
            "error: {url} answered HTTP {status} with an access token"
        )));
    }
    let mut cache =
        TokenCache::<TOKEN_CAPACITY>::new(a.refresh_skew).with_session_lifetime(a.session_lifetime);
    let expires_at = cache
        .store_response(&response, now)
        .map_err(|e| Failure::remote(format!("error: token response: {e}")))?;
    let token = text(response.access_token).unwrap_or_default();
    let out = json!({
        "access_token": token,
        "token_type": text(response.token_type),
        "expires_at": expires_at,
        "expires_in": expires_at - now,
        "instance_url": text(response.instance_url),
        "scope": text(response.scope),
        "token_url": url,
        "cached": false,
    });
    if let Some(path) = &a.cache {
        write_cache(path, a, &out, now)?;
    }
    println!("{out}");
    Ok(())
}

fn text(s: Option<jwtmint::JsonStr<'_>>) -> Option<String> {
    s.map(|s| s.chars().collect())
}

/// `http://` only to loopback hosts; everything else must be `https://`.
fn check_url(url: &str) -> CmdResult {
    if url.starts_with("https://") {
        return Ok(());
    }
    if let Some(rest) = url.strip_prefix("http://") {
        let authority = rest.split('/').next().unwrap_or_default();
        let host = if let Some(v6) = authority.strip_prefix('[') {
            v6.split(']').next().unwrap_or_default()
        } else {
            authority.rsplit_once(':').map_or(authority, |(h, _)| h)
        };
        let loopback = host == "localhost"
            || host
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback());
        if loopback {
            return Ok(());
        }
        return Err(Failure::usage(format!(
            "error: {url}: plain http:// is only allowed for loopback addresses; use https://"
        )));
    }
    Err(Failure::usage(format!(
        "error: {url}: the token URL must start with https://"
    )))
}

fn post(url: &str, body: &str, timeout: u64) -> Result<(u16, Vec<u8>), Failure> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(timeout)))
        .user_agent(concat!("jwtmint/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let mut resp = agent
        .post(url)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Accept", "application/json")
        .send(body)
        .map_err(|e| Failure::remote(format!("error: POST {url}: {e}")))?;
    let status = resp.status().as_u16();
    let bytes = resp
        .body_mut()
        .with_config()
        .limit(1024 * 1024)
        .read_to_vec()
        .map_err(|e| Failure::remote(format!("error: reading the response of {url}: {e}")))?;
    Ok((status, bytes))
}

/// Hints for the errors people actually hit.
fn hint(code: &str, desc: &str) -> Option<&'static str> {
    let d = desc.to_ascii_lowercase();
    if d.contains("user hasn't approved this consumer") || d.contains("user hasn't approved") {
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

/// The cache file: the token, its expiry, and what it was minted for.
fn cache_identity(a: &ExchangeArgs) -> Value {
    json!({
        "profile": format!("{:?}", a.mint.profile),
        "iss": a.mint.iss, "sub": a.mint.sub, "aud": a.mint.aud,
        "client_id": a.mint.client_id, "tenant": a.mint.tenant,
        "scope": a.mint.scope, "token_url": a.token_url,
        "service_account": a.mint.service_account,
    })
}

fn cached(path: &Path, a: &ExchangeArgs, now: i64) -> Result<Option<Value>, Failure> {
    let Ok(bytes) = std::fs::read(path) else {
        return Ok(None);
    };
    let Ok(v) = serde_json::from_slice::<Value>(&bytes) else {
        eprintln!("warning: ignoring unreadable cache file {}", path.display());
        return Ok(None);
    };
    if v.get("for") != Some(&cache_identity(a)) {
        return Ok(None);
    }
    let (Some(token), Some(stored_at), Some(expires_at)) = (
        v.pointer("/token/access_token").and_then(Value::as_str),
        v.get("stored_at").and_then(Value::as_i64),
        v.pointer("/token/expires_at").and_then(Value::as_i64),
    ) else {
        return Ok(None);
    };
    let mut cache = TokenCache::<TOKEN_CAPACITY>::new(a.refresh_skew);
    if cache.store(token, stored_at, expires_at).is_err() {
        return Ok(None);
    }
    match cache.get(now) {
        TokenState::Valid(_) => {
            let mut out = v.get("token").cloned().unwrap_or_default();
            out["expires_in"] = json!(expires_at - now);
            out["cached"] = json!(true);
            Ok(Some(out))
        }
        _ => Ok(None),
    }
}

/// Writes the cache atomically (temp file in the same directory, mode 0600, rename).
fn write_cache(path: &Path, a: &ExchangeArgs, token: &Value, now: i64) -> CmdResult {
    let record = json!({ "for": cache_identity(a), "stored_at": now, "token": token });
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let fail =
        |e: std::io::Error| Failure::input(format!("error: writing cache {}: {e}", path.display()));
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        path.file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("jwtmint-cache"),
        std::process::id()
    ));
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let _ = std::fs::remove_file(&tmp);
    let mut f = opts.open(&tmp).map_err(fail)?;
    f.write_all(record.to_string().as_bytes())
        .and_then(|()| f.sync_all())
        .map_err(fail)?;
    drop(f);
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        fail(e)
    })
}
