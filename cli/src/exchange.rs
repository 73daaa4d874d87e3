//! `jwtmint exchange`: mint, POST, parse the token response, cache.
//!
//! Everything that touches the network or the cache file is library code
//! (`jwtmint::client`): the checked token URL, the no-redirect transport,
//! the redaction of server text, the hardened cache file and its lock.

use std::path::Path;
use std::time::{Duration, Instant};

use jwtmint::client::ClientError;
use jwtmint::client::endpoint::TokenUrl;
use jwtmint::client::file_store::FileStore;
use jwtmint::client::http::{HttpClient, HttpConfig};
use jwtmint::client::identity;
use jwtmint::client::redact;
use jwtmint::client::store::Store;
use jwtmint::token_response::TokenResponse;
use serde_json::{Value, json};

use crate::args::ExchangeArgs;
use crate::mint::Minted;
use crate::{CmdResult, Failure, mint};

pub fn run(a: &ExchangeArgs) -> CmdResult {
    if a.mint.form {
        return Err(Failure::usage(
            "error: --form is not used by exchange (it is a `jwtmint mint` flag)",
        ));
    }
    let config = HttpConfig::default()
        .with_timeout_secs(a.timeout)
        .map_err(|e| Failure::usage(format!("error: --timeout: {e}")))?;
    let http = HttpClient::new(config).map_err(|e| Failure::usage(format!("error: {e}")))?;
    // Minting first means every flag is checked and the key loads before a
    // cached token is handed out: a token is only returned to a caller who
    // could mint its assertion.
    let minted = mint::mint(&a.mint, jwtmint::time::now()?)?;
    let url_text = a
        .token_url
        .clone()
        .or_else(|| minted.token_url.clone())
        .ok_or_else(|| {
            Failure::usage("error: --token-url URL is required for --profile generic")
        })?;
    let url = TokenUrl::parse(&url_text)
        .map_err(|e| Failure::usage(format!("error: --token-url: {e}")))?;
    let out = match &a.cache {
        None => fetch(&http, &url, &minted, a)?,
        Some(path) => through_cache(path, &http, &url, &minted, a)?,
    };
    println!("{out}");
    Ok(())
}

/// POSTs the minted body and turns the response into the output object.
fn fetch(
    http: &HttpClient,
    url: &TokenUrl,
    minted: &Minted,
    a: &ExchangeArgs,
) -> Result<Value, Failure> {
    let resp = http
        .post_form(url, &minted.body)
        .map_err(|e| Failure::remote(format!("error: POST {url}: {e}")))?;
    let now = jwtmint::time::now()?;
    let status = resp.status;
    let response = TokenResponse::parse(&resp.body).map_err(|e| {
        Failure::remote(format!(
            "error: {url} answered HTTP {status} with a body that is not an OAuth token response ({e}): {}",
            redact::server_bytes(&resp.body)
        ))
    })?;
    if response.is_error() {
        let code =
            text(response.error).map_or_else(|| "unknown_error".into(), |c| redact::sanitize(&c));
        let desc = text(response.error_description)
            .map(|d| redact::sanitize(&d))
            .unwrap_or_default();
        let mut msg = format!("error: {code}: {desc}");
        if let Some(h) = hint(&code, &desc) {
            msg.push_str("\nhint: ");
            msg.push_str(h);
        }
        return Err(Failure::remote(msg));
    }
    if !(200..300).contains(&status) {
        return Err(Failure::remote(format!(
            "error: {url} answered HTTP {status} with an access token: refused"
        )));
    }
    let token = text(response.access_token).unwrap_or_default();
    if token.is_empty() {
        return Err(Failure::remote(format!(
            "error: {url} answered with an empty access_token"
        )));
    }
    let expires_at = expiry(&response, &token, now, a.session_lifetime);
    Ok(json!({
        "access_token": token,
        "token_type": text(response.token_type),
        "expires_at": expires_at,
        "expires_in": expires_at.saturating_sub(now),
        "instance_url": text(response.instance_url),
        "scope": text(response.scope),
        "token_url": url.as_str(),
        "cached": false,
    }))
}

/// Expiry: `expires_in`, else the access token's own `exp` when it is a
/// JWT (unverified: only for scheduling), else the session lifetime —
/// the order of `jwtmint::cache::TokenCache`, without its fixed capacity.
fn expiry(r: &TokenResponse<'_>, token: &str, now: i64, session_lifetime: i64) -> i64 {
    if let Some(secs) = r.expires_in {
        return now.saturating_add(i64::try_from(secs).unwrap_or(i64::MAX));
    }
    let mut buf = vec![0u8; token.len()];
    jwtmint::parse::parse_jwt(token.as_bytes(), &mut buf)
        .ok()
        .and_then(|jwt| jwt.claims.exp)
        .unwrap_or_else(|| now.saturating_add(session_lifetime))
}

fn text(s: Option<jwtmint::JsonStr<'_>>) -> Option<String> {
    s.map(|s| s.chars().collect())
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

/// The cache identity: everything that changes the assertion or the grant —
/// the token URL, the assertion's header and claims without the per-mint
/// values (`iat`, `exp`, `nbf`, `jti`), the form body without the
/// assertion (grant type, scope, client id), and the key's fingerprint.
fn cache_key(url: &TokenUrl, minted: &Minted) -> Result<String, Failure> {
    let mut parts = minted.assertion.split('.');
    let mut json_part = |what: &str| -> Result<Value, Failure> {
        let b64 = parts.next().unwrap_or_default();
        let mut buf = vec![0u8; b64.len()];
        let n = jwtmint::base64url::decode(b64.as_bytes(), &mut buf)?;
        serde_json::from_slice(buf.get(..n).unwrap_or_default())
            .map_err(|e| Failure::input(format!("error: minted {what} is not JSON: {e}")))
    };
    let header = json_part("header")?;
    let mut claims = json_part("claims")?;
    if let Some(m) = claims.as_object_mut() {
        for per_mint in ["iat", "exp", "nbf", "jti"] {
            m.remove(per_mint);
        }
    }
    let form: Vec<&str> = minted
        .body
        .split('&')
        .filter(|p| !p.starts_with("assertion=") && !p.starts_with("client_assertion="))
        .collect();
    // serde_json maps are sorted: the text is canonical.
    Ok(identity::digest_hex(
        "jwtmint cli cache v2",
        &[
            url.as_str().as_bytes(),
            header.to_string().as_bytes(),
            claims.to_string().as_bytes(),
            form.join("&").as_bytes(),
            minted.key_fingerprint.as_bytes(),
        ],
    ))
}

/// `--cache FILE`: a valid stored token, else one fetch across every
/// process with the same file (the others wait on the lock and read it).
fn through_cache(
    path: &Path,
    http: &HttpClient,
    url: &TokenUrl,
    minted: &Minted,
    a: &ExchangeArgs,
) -> Result<Value, Failure> {
    let store = FileStore::new(path);
    let key = cache_key(url, minted)?;
    let config = http.config();
    let wait_until =
        Instant::now() + config.connect_timeout + config.request_timeout + Duration::from_secs(5);
    let mut warned = false;
    let mut warn = |e: &ClientError| {
        if !warned {
            eprintln!("warning: {e}; fetching a new token");
            warned = true;
        }
    };
    loop {
        match cached(&store, &key, a.refresh_skew) {
            Ok(Some(hit)) => return Ok(hit),
            Ok(None) => {}
            Err(e) => warn(&e),
        }
        match store.try_lock(&key, config.request_timeout) {
            Ok(Some(lock)) => {
                // Someone may have stored it between our read and the lock.
                if let Ok(Some(hit)) = cached(&store, &key, a.refresh_skew) {
                    let _ = store.unlock(&key, &lock);
                    return Ok(hit);
                }
                let r = fetch(http, url, minted, a).map(|t| save(&store, &key, t));
                let _ = store.unlock(&key, &lock);
                return r;
            }
            Ok(None) if Instant::now() < wait_until => {
                std::thread::sleep(Duration::from_millis(50));
            }
            Ok(None) => {
                eprintln!(
                    "warning: {} is still locked by another jwtmint; fetching without it",
                    path.display()
                );
                return fetch(http, url, minted, a).map(|t| save(&store, &key, t));
            }
            Err(e) => {
                eprintln!("warning: {e}; fetching without the cache lock");
                return fetch(http, url, minted, a).map(|t| save(&store, &key, t));
            }
        }
    }
}

/// A stored token still outside the refresh-ahead window, as output.
fn cached(store: &FileStore, key: &str, skew: i64) -> Result<Option<Value>, ClientError> {
    let now = jwtmint::time::now().unwrap_or(i64::MAX);
    let Some(stored) = store.load(key, now)? else {
        return Ok(None);
    };
    let Ok(mut token) = serde_json::from_slice::<Value>(&stored.record) else {
        return Ok(None);
    };
    // Never later than the response said when it was stored.
    let expires_at = token
        .get("expires_at")
        .and_then(Value::as_i64)
        .map_or(stored.expires_at, |e| e.min(stored.expires_at));
    let usable = token
        .get("access_token")
        .and_then(Value::as_str)
        .is_some_and(|t| !t.is_empty());
    if !usable || now >= expires_at.saturating_sub(skew.max(0)) {
        return Ok(None);
    }
    token["expires_at"] = json!(expires_at);
    token["expires_in"] = json!(expires_at - now);
    token["cached"] = json!(true);
    Ok(Some(token))
}

/// Stores the fetched token; when that fails the token is still returned
/// (the server issued it: losing it would cost a login), with a warning.
fn save(store: &FileStore, key: &str, token: Value) -> Value {
    let now = jwtmint::time::now().unwrap_or(0);
    let expires_at = token
        .get("expires_at")
        .and_then(Value::as_i64)
        .unwrap_or(now);
    let mut record = token.clone();
    if let Some(m) = record.as_object_mut() {
        m.remove("expires_in");
        m.remove("cached");
    }
    if let Err(e) = store.save(key, record.to_string().as_bytes(), expires_at, now) {
        eprintln!("warning: the token was not cached: {e}");
    }
    token
}
