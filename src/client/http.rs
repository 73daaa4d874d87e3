//! The blocking transport for token requests (ureq 3 + rustls).
//!
//! One POST of a form body to a checked [`TokenUrl`]:
//! - **no redirects**: any 3xx is [`ClientError::Redirect`] naming the
//!   (sanitised) `Location`; the assertion is sent to the URL given, only;
//! - **timeouts named apart**: [`ClientError::ConnectTimeout`] (TCP + TLS
//!   setup) and [`ClientError::RequestTimeout`] (the whole request, body
//!   included); both default to [`DEFAULT_TIMEOUT_SECS`], zero is refused;
//! - **a body cap**: [`DEFAULT_BODY_LIMIT`] bytes, else
//!   [`ClientError::BodyTooLarge`] (a 10 MB answer is never read whole);
//! - errors carry transport text only after [`super::redact::sanitize`].
//!
//! Any other status is returned with its body: deciding what a 4xx/5xx body
//! means is the token-response parser's job.

#[allow(unused_imports)]
use std::prelude::rust_2024::*;
#[allow(unused_imports)]
use std::{format, vec};

use std::io::Read;
use std::time::Duration;

use zeroize::Zeroizing;

use super::endpoint::TokenUrl;
use super::error::ClientError;
use super::redact;

/// Default for both timeouts, in seconds.
pub const DEFAULT_TIMEOUT_SECS: u64 = 30;

/// Default response body cap: 1 MiB (token responses are a few KB; Entra
/// tokens with many groups stay far below).
pub const DEFAULT_BODY_LIMIT: usize = 1024 * 1024;

/// Transport settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HttpConfig {
    /// TCP connect + TLS handshake.
    pub connect_timeout: Duration,
    /// The whole request: connect, send, response headers and body.
    pub request_timeout: Duration,
    /// Largest response body read.
    pub body_limit: usize,
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(DEFAULT_TIMEOUT_SECS),
            request_timeout: Duration::from_secs(DEFAULT_TIMEOUT_SECS),
            body_limit: DEFAULT_BODY_LIMIT,
        }
    }
}

impl HttpConfig {
    /// Both timeouts set to `secs` seconds.
    ///
    /// # Errors
    /// [`ClientError::ZeroTimeout`] for 0.
    pub fn with_timeout_secs(self, secs: u64) -> Result<Self, ClientError> {
        if secs == 0 {
            return Err(ClientError::ZeroTimeout);
        }
        Ok(Self {
            connect_timeout: Duration::from_secs(secs),
            request_timeout: Duration::from_secs(secs),
            ..self
        })
    }
}

/// A response: status, body (at most the cap) and `Retry-After`.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// The HTTP status (never 3xx).
    pub status: u16,
    /// The body (it may hold a token: wiped on drop, and every buffer it
    /// grew through was wiped too).
    pub body: Zeroizing<Vec<u8>>,
    /// The `Retry-After` header as sent (see
    /// [`crate::session::parse_retry_after`]), at most 64 bytes.
    pub retry_after: Option<String>,
}

/// A response body read chunk by chunk into wiped memory: when it grows,
/// the old buffer is zeroized (a plain `Vec` would free copies of the
/// token unwiped). Shared by the blocking and async transports.
pub(crate) struct SecretBody {
    buf: Zeroizing<Vec<u8>>,
    limit: usize,
}

impl SecretBody {
    /// An empty body of at most `limit` bytes.
    pub(crate) fn new(limit: usize) -> Self {
        Self {
            buf: Zeroizing::new(Vec::new()),
            limit,
        }
    }

    /// Appends `chunk`; `Err(())` past the limit.
    pub(crate) fn push(&mut self, chunk: &[u8]) -> Result<(), ()> {
        let len = self.buf.len().checked_add(chunk.len()).ok_or(())?;
        if len > self.limit {
            return Err(());
        }
        if len > self.buf.capacity() {
            let cap = len
                .max(self.buf.capacity().saturating_mul(2))
                .max(1024)
                .min(self.limit);
            let mut grown = Zeroizing::new(Vec::with_capacity(cap));
            grown.extend_from_slice(&self.buf);
            // The old buffer is zeroized as it drops here.
            self.buf = grown;
        }
        self.buf.extend_from_slice(chunk);
        Ok(())
    }

    /// The body.
    pub(crate) fn into_inner(self) -> Zeroizing<Vec<u8>> {
        self.buf
    }
}

/// The `Retry-After` value, when present and short (a longer one is junk).
pub(crate) fn retry_after_header(value: Option<&[u8]>) -> Option<String> {
    let v = value?;
    (v.len() <= 64 && v.iter().all(|b| b.is_ascii_graphic() || *b == b' '))
        .then(|| String::from_utf8_lossy(v).into_owned())
}

impl core::fmt::Debug for HttpResponse {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // The body may hold a bearer token.
        f.debug_struct("HttpResponse")
            .field("status", &self.status)
            .field("body", &format_args!("<{} bytes>", self.body.len()))
            .finish()
    }
}

/// A reusable blocking transport (cheap to clone: ureq agents share a pool).
#[derive(Clone, Debug)]
pub struct HttpClient {
    agent: ureq::Agent,
    config: HttpConfig,
}

impl HttpClient {
    /// A transport with `config`.
    ///
    /// # Errors
    /// [`ClientError::ZeroTimeout`] when a timeout is zero.
    pub fn new(config: HttpConfig) -> Result<Self, ClientError> {
        if config.connect_timeout.is_zero() || config.request_timeout.is_zero() {
            return Err(ClientError::ZeroTimeout);
        }
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_connect(Some(config.connect_timeout))
            .timeout_global(Some(config.request_timeout))
            .user_agent(concat!("jwtmint/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Ok(Self { agent, config })
    }

    /// The settings.
    pub const fn config(&self) -> &HttpConfig {
        &self.config
    }

    /// POSTs `form` (`application/x-www-form-urlencoded`) to `url`.
    ///
    /// # Errors
    /// `Redirect`, `ConnectTimeout`, `RequestTimeout`, `Connect`,
    /// `BodyTooLarge`, `Transport`.
    pub fn post_form(&self, url: &TokenUrl, form: &str) -> Result<HttpResponse, ClientError> {
        self.post(
            url,
            [("Content-Type", "application/x-www-form-urlencoded")],
            form.as_bytes(),
        )
    }

    /// POSTs `body` to `url` with `headers` (and `Accept: application/json`
    /// unless given) — the session core's `Fetch::all_headers`.
    ///
    /// # Errors
    /// As [`HttpClient::post_form`].
    pub fn post<'h>(
        &self,
        url: &TokenUrl,
        headers: impl IntoIterator<Item = (&'h str, &'h str)>,
        body: &[u8],
    ) -> Result<HttpResponse, ClientError> {
        let mut req = self.agent.post(url.as_str());
        let mut accept = false;
        for (k, v) in headers {
            accept |= k.eq_ignore_ascii_case("accept");
            req = req.header(k, v);
        }
        if !accept {
            req = req.header("Accept", "application/json");
        }
        let mut resp = req.send(body).map_err(|e| self.error(e))?;
        let status = resp.status().as_u16();
        refuse_redirect(status, resp.headers().get("location").map(|v| v.as_bytes()))?;
        let retry_after =
            retry_after_header(resp.headers().get("retry-after").map(|v| v.as_bytes()));
        let limit = self.config.body_limit;
        let mut reader = resp
            .body_mut()
            .with_config()
            .limit(u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1))
            .reader();
        let mut body = SecretBody::new(limit);
        let mut chunk = Zeroizing::new([0u8; 8192]);
        loop {
            let n = match reader.read(&mut chunk[..]) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(self.io_error(e)),
            };
            let part = chunk.get(..n).unwrap_or_default();
            body.push(part)
                .map_err(|()| ClientError::BodyTooLarge { limit })?;
        }
        Ok(HttpResponse {
            status,
            body: body.into_inner(),
            retry_after,
        })
    }

    /// An error from reading the body (ureq wraps its own errors in io).
    fn io_error(&self, e: std::io::Error) -> ClientError {
        match e.downcast::<ureq::Error>() {
            Ok(u) => self.error(u),
            Err(io) => self.error(ureq::Error::Io(io)),
        }
    }

    fn error(&self, e: ureq::Error) -> ClientError {
        let millis = |d: Duration| u64::try_from(d.as_millis()).unwrap_or(u64::MAX);
        match e {
            ureq::Error::Timeout(ureq::Timeout::Connect | ureq::Timeout::Resolve) => {
                ClientError::ConnectTimeout {
                    millis: millis(self.config.connect_timeout),
                }
            }
            ureq::Error::Timeout(_) => ClientError::RequestTimeout {
                millis: millis(self.config.request_timeout),
            },
            ureq::Error::BodyExceedsLimit(_) => ClientError::BodyTooLarge {
                limit: self.config.body_limit,
            },
            ureq::Error::Io(io) => ClientError::Connect {
                reason: redact::sanitize(&io.to_string()),
            },
            e @ (ureq::Error::HostNotFound
            | ureq::Error::ConnectionFailed
            | ureq::Error::Tls(_)) => ClientError::Connect {
                reason: redact::sanitize(&e.to_string()),
            },
            other => ClientError::Transport {
                reason: redact::sanitize(&other.to_string()),
            },
        }
    }
}

/// A 3xx answer is [`ClientError::Redirect`] naming its (sanitised)
/// `Location`: token requests are never redirected. Shared with the async
/// transport.
///
/// # Errors
/// `Redirect` for a status in 300..400.
pub(crate) fn refuse_redirect(status: u16, location: Option<&[u8]>) -> Result<(), ClientError> {
    if (300..400).contains(&status) {
        let location = location.map(redact::server_bytes).unwrap_or_default();
        return Err(ClientError::Redirect { status, location });
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_what_timed_out_and_zero_is_refused() {
        let c = HttpClient::new(HttpConfig {
            connect_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_millis(1500),
            body_limit: 10,
        })
        .unwrap();
        let connect = c.error(ureq::Error::Timeout(ureq::Timeout::Connect));
        assert_eq!(connect, ClientError::ConnectTimeout { millis: 5000 });
        assert_eq!(connect.to_string(), "connect timed out after 5 s");
        let whole = c.error(ureq::Error::Timeout(ureq::Timeout::Global));
        assert_eq!(
            whole.to_string(),
            "the request timed out after 1500 ms (connect, send, response and body together)"
        );
        assert_eq!(
            c.error(ureq::Error::BodyExceedsLimit(10)),
            ClientError::BodyTooLarge { limit: 10 }
        );
        assert_eq!(
            HttpConfig::default().with_timeout_secs(0),
            Err(ClientError::ZeroTimeout)
        );
        let zero = HttpConfig {
            connect_timeout: Duration::ZERO,
            ..HttpConfig::default()
        };
        assert_eq!(HttpClient::new(zero).unwrap_err(), ClientError::ZeroTimeout);
    }
}
