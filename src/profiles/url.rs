//! Checks for the https URLs used as `aud` and token endpoints.

use crate::error::{Error, Result};

/// A token endpoint a caller configures (custom profile, generic RFC 7523
/// profile): `https://…`, or `http://` to a loopback host (127.0.0.1, `[::1]`,
/// `localhost`: a local or development IdP; nothing goes over a network in
/// clear). Errors name `field`.
pub(crate) fn check_token_url(url: &str, field: &'static str) -> Result<()> {
    let bad = |reason| Err(Error::InvalidField { field, reason });
    if url.starts_with("https://") && url.len() > "https://".len() {
        return Ok(());
    }
    let Some(rest) = url.strip_prefix("http://") else {
        return bad("must be https:// (or http:// to a loopback host)");
    };
    let authority = rest.split('/').next().unwrap_or_default();
    if authority.contains('@') {
        return bad("must not contain user info");
    }
    let host = match authority.strip_prefix("[::1]") {
        Some(_) => "[::1]",
        None => authority.split(':').next().unwrap_or_default(),
    };
    if matches!(host, "127.0.0.1" | "localhost" | "[::1]") {
        Ok(())
    } else {
        bad("http:// is only allowed to 127.0.0.1, [::1] or localhost")
    }
}

/// Accepts `https://host[:port][/path]` with no userinfo, query, fragment or
/// trailing slash (providers compare `aud` byte for byte).
pub(crate) fn check_https_url(url: &str) -> Result<()> {
    let Some(rest) = url.strip_prefix("https://") else {
        return Err(Error::InvalidAudience {
            reason: "must start with https://",
        });
    };
    check_rest(url, rest)
}

/// [`check_https_url`], or the same shape over `http://` to 127.0.0.1 or
/// `localhost` (a local or development server, e.g. Keycloak on
/// `http://localhost:8080`). Returns what follows the scheme.
pub(crate) fn check_https_or_loopback_url(url: &str) -> Result<&str> {
    let Some(rest) = url.strip_prefix("http://") else {
        check_https_url(url)?;
        return Ok(url.get("https://".len()..).unwrap_or_default());
    };
    check_token_url(url, "aud").map_err(|_| Error::InvalidAudience {
        reason: "http:// is only allowed to 127.0.0.1 or localhost",
    })?;
    check_rest(url, rest)?;
    Ok(rest)
}

/// The shape rules after the scheme.
fn check_rest(url: &str, rest: &str) -> Result<()> {
    let bad = |reason| Err(Error::InvalidAudience { reason });
    if url.ends_with('/') {
        return bad("must not end with '/': the provider compares aud exactly");
    }
    if rest.contains(['?', '#']) {
        return bad("must not contain a query or fragment");
    }
    if rest.contains('@') {
        return bad("must not contain user info");
    }
    let (authority, path) = match rest.find('/') {
        Some(i) => (
            rest.get(..i).unwrap_or_default(),
            rest.get(i..).unwrap_or_default(),
        ),
        None => (rest, ""),
    };
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (authority, None),
    };
    if host.is_empty() {
        return bad("has no host");
    }
    if !host
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
        || host.starts_with(['.', '-'])
        || host.ends_with('.')
        || host.contains("..")
    {
        return bad("host must be a DNS name (letters, digits, '-', '.')");
    }
    if let Some(p) = port
        && (p.is_empty() || p.len() > 5 || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return bad("port must be 1 to 5 digits");
    }
    if !path
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'.' | b'_' | b'~'))
        || path.contains("//")
    {
        return bad("path may only contain letters, digits and / - . _ ~");
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::{check_https_url, check_token_url};

    #[test]
    fn token_urls_https_or_loopback_http() {
        for ok in [
            "https://idp.example.com/token",
            "http://127.0.0.1:8080/token",
            "http://localhost/realms/dev/protocol/openid-connect/token",
            "http://[::1]:9000/t",
        ] {
            assert_eq!(check_token_url(ok, "token_url"), Ok(()), "{ok}");
        }
        for (bad, reason) in [
            (
                "http://idp.example.com/token",
                "http:// is only allowed to 127.0.0.1, [::1] or localhost",
            ),
            (
                "http://127.0.0.1.evil.example/token",
                "http:// is only allowed to 127.0.0.1, [::1] or localhost",
            ),
            (
                "http://localhost:1@evil.example/token",
                "must not contain user info",
            ),
            (
                "ftp://127.0.0.1/token",
                "must be https:// (or http:// to a loopback host)",
            ),
            (
                "https://",
                "must be https:// (or http:// to a loopback host)",
            ),
        ] {
            assert_eq!(
                check_token_url(bad, "token_url"),
                Err(crate::error::Error::InvalidField {
                    field: "token_url",
                    reason
                }),
                "{bad}"
            );
        }
    }

    #[test]
    fn urls() {
        for ok in [
            "https://login.salesforce.com",
            "https://acme.my.salesforce.com",
            "https://site.force.com/customers",
            "https://127.0.0.1:8443",
            "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token",
        ] {
            assert!(check_https_url(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://login.salesforce.com",
            "https://login.salesforce.com/",
            "https://",
            "https://a b.com",
            "https://x.com?q=1",
            "https://x.com#f",
            "https://u@x.com",
            "https://x.com:",
            "https://x.com:123456",
            "https://x..com",
            "https://.x.com",
            "https://x.com//a",
            "login.salesforce.com",
        ] {
            assert!(check_https_url(bad).is_err(), "{bad}");
        }
    }
}
