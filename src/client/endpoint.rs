//! The token URL: parsed once with WHATWG rules (the `url` crate), then
//! checked on the parsed parts — never on the string — so
//! `http://127.0.0.1:x@evil/` or `http://[::1]@192.0.2.2/` cannot pass as
//! loopback. The checked [`TokenUrl`] is the only thing the transport sends
//! to, and its normalised serialisation is what the transport is given.

#[allow(unused_imports)]
use std::prelude::rust_2024::*;
#[allow(unused_imports)]
use std::{format, vec};

use std::net::{Ipv4Addr, Ipv6Addr};

use url::{Host, Url};

use super::error::ClientError;
use super::redact;

/// A token endpoint URL that passed [`TokenUrl::parse`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenUrl(Url);

impl TokenUrl {
    /// Parses and checks `text`: `https://` anywhere, `http://` only when the
    /// parsed host is loopback (127.0.0.0/8, `::1`, `localhost`), and never
    /// a user name or password.
    ///
    /// # Errors
    /// `UrlInvalid`, `UrlUserinfo`, `UrlScheme`, `UrlNotLoopback`.
    pub fn parse(text: &str) -> Result<Self, ClientError> {
        let url = Url::parse(text).map_err(|e| ClientError::UrlInvalid {
            reason: e.to_string(),
        })?;
        if !url.username().is_empty() || url.password().is_some() {
            return Err(ClientError::UrlUserinfo);
        }
        match url.scheme() {
            "https" => {}
            "http" if url.host().is_some_and(|h| is_loopback(&h)) => {}
            "http" => {
                return Err(ClientError::UrlNotLoopback {
                    host: redact::sanitize(url.host_str().unwrap_or_default()),
                });
            }
            other => {
                return Err(ClientError::UrlScheme {
                    scheme: redact::sanitize(other),
                });
            }
        }
        if url.host().is_none() {
            return Err(ClientError::UrlInvalid {
                reason: "no host".into(),
            });
        }
        Ok(Self(url))
    }

    /// The normalised URL text (what is sent to).
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    /// The parsed URL.
    pub const fn url(&self) -> &Url {
        &self.0
    }
}

impl core::fmt::Display for TokenUrl {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.0.as_str())
    }
}

/// 127.0.0.0/8, `::1` (and `::ffff:127.x`), or the name `localhost`.
pub(crate) fn is_loopback(host: &Host<&str>) -> bool {
    match host {
        Host::Domain(d) => d.eq_ignore_ascii_case("localhost"),
        Host::Ipv4(ip) => is_v4_loopback(*ip),
        Host::Ipv6(ip) => {
            *ip == Ipv6Addr::LOCALHOST || ip.to_ipv4_mapped().is_some_and(is_v4_loopback)
        }
    }
}

const fn is_v4_loopback(ip: Ipv4Addr) -> bool {
    ip.octets()[0] == 127
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn userinfo_never_passes_as_loopback() {
        for bad in [
            "http://[::1]@192.0.2.2:18090/x",
            "http://127.0.0.1:x@192.0.2.2/",
            "http://localhost:@192.0.2.2/",
            "https://user:pw@example.com/token",
            "https://user@example.com/token",
        ] {
            assert_eq!(TokenUrl::parse(bad), Err(ClientError::UrlUserinfo), "{bad}");
        }
    }

    #[test]
    fn loopback_from_the_parsed_host() {
        for ok in [
            "http://127.0.0.1:8080/token",
            "http://127.9.9.9/token",
            "http://[::1]:9/t",
            "http://LOCALHOST/t",
            "http://0x7f.1/t",
            "https://example.com/token",
            "https://example.com\\token",
        ] {
            assert!(TokenUrl::parse(ok).is_ok(), "{ok}");
        }
        for (bad, host) in [
            ("http://192.0.2.2/t", "192.0.2.2"),
            ("http://localhost.evil.com/t", "localhost.evil.com"),
            ("http://127.0.0.1.evil.com/t", "127.0.0.1.evil.com"),
            ("http://[::2]/t", "[::2]"),
        ] {
            assert_eq!(
                TokenUrl::parse(bad),
                Err(ClientError::UrlNotLoopback { host: host.into() }),
                "{bad}"
            );
        }
        assert_eq!(
            TokenUrl::parse("ftp://127.0.0.1/t"),
            Err(ClientError::UrlScheme {
                scheme: "ftp".into()
            })
        );
        assert!(matches!(
            TokenUrl::parse("not a url"),
            Err(ClientError::UrlInvalid { .. })
        ));
        // The backslash is normalised: what is sent is the parsed URL.
        assert_eq!(
            TokenUrl::parse("https://example.com\\token")
                .unwrap()
                .as_str(),
            "https://example.com/token"
        );
    }
}
