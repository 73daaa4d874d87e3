//! `client::http_auth` (features `reqwest-middleware`, `tower`) against a
//! local server started by each test on 127.0.0.1 (std threads, below):
//! `POST /token` issues `tok-1`, `tok-2`, ... (an RFC 7523 grant form is
//! required), every other path is the API, which answers 200 for an issued
//! token that is not revoked and 401 otherwise, and records every request
//! it saw (its `Authorization` and the exact body bytes).
//!
//! Asserted for the reqwest middleware and for the tower layer (over
//! hyper-util's client): a 401 drops the token and the request is sent
//! exactly once more, with the new token and the same bytes; the revoked
//! token is never sent again; a second 401 is returned, not retried (the
//! API saw exactly 2 requests); a streaming reqwest body gets the 401 as
//! is (1 request); the header is marked sensitive; a token that is not a
//! valid header value is never sent; a refused grant is the caller's error
//! (before the first attempt: nothing sent; after a 401: no retry). Fleet:
//! two sources sharing a cache file.
#![cfg(any(feature = "reqwest-middleware", feature = "tower"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use jwtmint::SigningKey;
use jwtmint::client::TokenSource;
use jwtmint::client::async_source::AsyncTokenSource;
use jwtmint::client::source::TokenSourceBuilder;
use jwtmint::profiles::Rfc7523;

/// The generic profile owning its URL (`Rfc7523::owned`): no `'static` borrow.
type Profile = Arc<dyn jwtmint::profiles::Profile + Send + Sync>;
type Src = AsyncTokenSource<Profile, Arc<SigningKey>>;

const DEMO_KEY: &str = include_str!("../examples/keys/demo-key.pem");

/// What the API saw.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Seen {
    path: String,
    authorization: Option<String>,
    body: Vec<u8>,
    status: u16,
}

#[derive(Default)]
struct State {
    /// Tokens issued by `/token`, in order.
    issued: Vec<String>,
    /// The JSON string literal (escaped) of the next token to issue.
    next_token_json: Option<String>,
    revoked: BTreeSet<String>,
    reject_all: bool,
    /// `/token` answers `invalid_grant` after this many tokens.
    grants_left: Option<usize>,
    seen: Vec<Seen>,
}

/// The token endpoint and the API on one local port.
struct Server {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    stop: Arc<AtomicBool>,
    accept: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let state = Arc::new(Mutex::new(State::default()));
        let stop = Arc::new(AtomicBool::new(false));
        let (st, sp) = (Arc::clone(&state), Arc::clone(&stop));
        let accept = std::thread::spawn(move || {
            for conn in listener.incoming() {
                if sp.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(conn) = conn else { continue };
                let st = Arc::clone(&st);
                std::thread::spawn(move || serve(conn, &st));
            }
        });
        Self {
            addr,
            state,
            stop,
            accept: Some(accept),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn revoke(&self, token: &str) {
        self.state.lock().unwrap().revoked.insert(token.to_owned());
    }

    fn reject_all(&self) {
        self.state.lock().unwrap().reject_all = true;
    }

    fn refuse_grants_after(&self, n: usize) {
        self.state.lock().unwrap().grants_left = Some(n);
    }

    fn issue_next(&self, json_literal: &str) {
        self.state.lock().unwrap().next_token_json = Some(json_literal.to_owned());
    }

    fn issued(&self) -> Vec<String> {
        self.state.lock().unwrap().issued.clone()
    }

    fn seen(&self) -> Vec<Seen> {
        self.state.lock().unwrap().seen.clone()
    }

    /// A token source for this server's `/token` (no store).
    fn builder(&self) -> TokenSourceBuilder<Profile, Arc<SigningKey>> {
        let profile = Rfc7523::grant("demo-client", "alice", &self.url("/token"))
            .unwrap()
            .owned()
            .unwrap();
        let key = Arc::new(SigningKey::from_pem(DEMO_KEY).unwrap());
        TokenSource::builder(profile, key).max_wait(Duration::from_secs(10))
    }

    fn source(&self) -> Src {
        Src::new(self.builder()).unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr);
        if let Some(t) = self.accept.take() {
            let _ = t.join();
        }
    }
}

fn serve(mut conn: TcpStream, state: &Mutex<State>) {
    conn.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let Some((method, path, headers, body)) = read_request(&mut conn) else {
        return;
    };
    let header = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    };
    let mut st = state.lock().unwrap();
    let (status, extra, reply) = if path == "/token" {
        let form = String::from_utf8_lossy(&body);
        assert_eq!(method, "POST");
        assert!(
            form.contains("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer")
                && form.contains("assertion=ey"),
            "not an RFC 7523 grant: {form}"
        );
        let n = st.issued.len() + 1;
        if st.grants_left.is_some_and(|left| n > left) {
            let json = r#"{"error":"invalid_grant","error_description":"user deactivated"}"#;
            drop(st);
            return respond(
                &mut conn,
                400,
                "Content-Type: application/json\r\n",
                json.as_bytes(),
            );
        }
        let literal = st
            .next_token_json
            .take()
            .unwrap_or_else(|| format!("tok-{n}"));
        let token: String = serde_json::from_str(&format!("\"{literal}\"")).unwrap();
        st.issued.push(token);
        let json =
            format!(r#"{{"access_token":"{literal}","token_type":"Bearer","expires_in":3600}}"#);
        (200, "Content-Type: application/json\r\n", json.into_bytes())
    } else {
        let auth = header("authorization");
        let ok = !st.reject_all
            && auth.as_deref().is_some_and(|a| {
                a.strip_prefix("Bearer ")
                    .is_some_and(|t| st.issued.iter().any(|i| i == t) && !st.revoked.contains(t))
            });
        let status = if ok { 200 } else { 401 };
        st.seen.push(Seen {
            path: path.clone(),
            authorization: auth,
            body: body.clone(),
            status,
        });
        if ok {
            let reply = format!("ok {} bytes", body.len());
            (200, "", reply.into_bytes())
        } else {
            (
                401,
                "WWW-Authenticate: Bearer error=\"invalid_token\"\r\n",
                b"revoked".to_vec(),
            )
        }
    };
    drop(st);
    respond(&mut conn, status, extra, &reply);
}

fn respond(conn: &mut TcpStream, status: u16, extra: &str, body: &[u8]) {
    let head = format!(
        "HTTP/1.1 {status} X\r\n{extra}Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = conn.write_all(head.as_bytes());
    let _ = conn.write_all(body);
}

/// `e` is the token source's `invalid_grant` (HTTP 400).
fn assert_invalid_grant(e: &jwtmint::client::http_auth::AuthError) {
    use jwtmint::client::TokenError;
    use jwtmint::client::http_auth::AuthError;
    match e {
        AuthError::Token(TokenError::Rejected { code, status, .. }) => {
            assert_eq!((code.as_str(), *status), ("invalid_grant", 400), "{e}");
        }
        other => panic!("{other:?}"),
    }
}

type Request = (String, String, Vec<(String, String)>, Vec<u8>);

/// One HTTP/1.1 request: Content-Length or chunked body (bounded).
fn read_request(conn: &mut TcpStream) -> Option<Request> {
    const LIMIT: usize = 1 << 20;
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = conn.read(&mut chunk).ok()?;
        if n == 0 || buf.len() > LIMIT {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8(buf[..head_end].to_vec()).ok()?;
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let (method, path) = (first.next()?.to_owned(), first.next()?.to_owned());
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let get = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    };
    let chunked = get("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked"));
    let length: usize = get("content-length").map_or(Some(0), |v| v.parse().ok())?;
    let mut rest = buf[head_end..].to_vec();
    loop {
        if chunked {
            if let Some(body) = dechunk(&rest) {
                return Some((method, path, headers, body));
            }
        } else if rest.len() >= length {
            rest.truncate(length);
            return Some((method, path, headers, rest));
        }
        let n = conn.read(&mut chunk).ok()?;
        if n == 0 || rest.len() > LIMIT {
            return None;
        }
        rest.extend_from_slice(&chunk[..n]);
    }
}

/// The decoded chunked body, or `None` while incomplete.
fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let line_end = data.windows(2).position(|w| w == b"\r\n")?;
        let size_text = std::str::from_utf8(&data[..line_end]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        data = &data[line_end + 2..];
        if size == 0 {
            return data.starts_with(b"\r\n").then_some(body);
        }
        if data.len() < size + 2 {
            return None;
        }
        body.extend_from_slice(&data[..size]);
        data = &data[size + 2..];
    }
}

/// Every byte value, and bytes that look like HTTP framing.
fn payload() -> Vec<u8> {
    let mut b: Vec<u8> = (0..=255u8).cycle().take(3 * 256).collect();
    b.extend_from_slice(b"\r\n0\r\n\r\nHTTP/1.1 200 OK\r\n\r\n");
    b
}

fn bearer(t: &str) -> Option<String> {
    Some(format!("Bearer {t}"))
}

/// `/items` with `tok-1`; after the revocation `/items` refused with
/// `tok-1` and exactly one retry with `tok-2` and the same bytes; `/after`
/// with `tok-2` (the revoked token never again); every `Authorization`
/// value was marked sensitive.
fn assert_retried_once_with_a_new_token(
    server: &Server,
    body: &[u8],
    sensitive: &Mutex<Vec<bool>>,
) {
    let seen: Vec<_> = server
        .seen()
        .into_iter()
        .map(|s| (s.path, s.authorization, s.status, s.body))
        .collect();
    assert_eq!(
        seen,
        [
            ("/items".into(), bearer("tok-1"), 200, body.to_vec()),
            ("/items".into(), bearer("tok-1"), 401, body.to_vec()),
            ("/items".into(), bearer("tok-2"), 200, body.to_vec()),
            ("/after".into(), bearer("tok-2"), 200, Vec::new()),
        ]
    );
    assert_eq!(server.issued(), ["tok-1", "tok-2"]);
    assert_eq!(*sensitive.lock().unwrap(), [true; 4]);
}

/// The API refused `tok-1` and then `tok-2` for the same bytes, and saw
/// nothing else: one retry, no second.
fn assert_one_retry_refused(server: &Server, body: &[u8]) {
    let seen = server.seen();
    assert_eq!(seen.len(), 2, "exactly one retry: {seen:?}");
    assert_eq!(
        seen.iter()
            .map(|s| (s.authorization.clone(), s.status))
            .collect::<Vec<_>>(),
        [(bearer("tok-1"), 401), (bearer("tok-2"), 401)]
    );
    assert!(seen.iter().all(|s| s.body == body));
    assert_eq!(server.issued(), ["tok-1", "tok-2"]);
}

#[cfg(feature = "reqwest-middleware")]
mod reqwest_mw {
    use super::*;
    use http::Extensions;
    use jwtmint::client::http_auth::AuthError;
    use jwtmint::client::http_auth::HttpAuth;
    use reqwest_middleware::{ClientBuilder, ClientWithMiddleware, Middleware, Next};

    /// Records whether the `Authorization` value reaching it is sensitive.
    struct Sensitive(Arc<Mutex<Vec<bool>>>);

    #[async_trait::async_trait]
    impl Middleware for Sensitive {
        async fn handle(
            &self,
            req: reqwest::Request,
            ext: &mut Extensions,
            next: Next<'_>,
        ) -> reqwest_middleware::Result<reqwest::Response> {
            let s = req
                .headers()
                .get(http::header::AUTHORIZATION)
                .is_some_and(http::HeaderValue::is_sensitive);
            self.0.lock().unwrap().push(s);
            next.run(req, ext).await
        }
    }

    fn client(src: &Src) -> ClientWithMiddleware {
        ClientBuilder::new(reqwest::Client::new())
            .with(HttpAuth::new(src.clone()))
            .build()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn reqwest_a_401_drops_the_token_and_retries_once_with_the_same_bytes() {
        let server = Server::start();
        let src = server.source();
        let sensitive = Arc::new(Mutex::new(Vec::new()));
        let api = ClientBuilder::new(reqwest::Client::new())
            .with(HttpAuth::new(src.clone()))
            .with(Sensitive(Arc::clone(&sensitive)))
            .build();
        let body = payload();

        let r = api
            .post(server.url("/items"))
            .body(body.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        server.revoke("tok-1");
        let r = api
            .post(server.url("/items"))
            .body(body.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(r.text().await.unwrap(), format!("ok {} bytes", body.len()));
        let r = api.get(server.url("/after")).send().await.unwrap();
        assert_eq!(r.status(), 200);

        assert_retried_once_with_a_new_token(&server, &body, &sensitive);
        assert_eq!(src.source().requests_sent(), 2);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn reqwest_a_second_401_is_returned_not_retried() {
        let server = Server::start();
        server.reject_all();
        let src = server.source();
        let body = payload();
        let r = client(&src)
            .put(server.url("/items/7"))
            .body(body.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401);
        assert_eq!(
            r.headers()["www-authenticate"],
            "Bearer error=\"invalid_token\""
        );
        assert_eq!(r.text().await.unwrap(), "revoked");
        assert_one_retry_refused(&server, &body);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn reqwest_a_streaming_body_gets_the_401_as_is() {
        let server = Server::start();
        let src = server.source();
        let api = client(&src);
        assert_eq!(
            api.get(server.url("/warm")).send().await.unwrap().status(),
            200
        );
        server.revoke("tok-1");
        // `Body::wrap`: a streaming body, `try_clone()` is `None`.
        let streamed = reqwest::Body::wrap(String::from("streamed once"));
        let r = api
            .post(server.url("/upload"))
            .body(streamed)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401);
        let seen = server.seen();
        assert_eq!(seen.len(), 2, "not retried: {seen:?}");
        assert_eq!(
            (seen[1].authorization.clone(), seen[1].status),
            (bearer("tok-1"), 401)
        );
        assert_eq!(seen[1].body, b"streamed once");
        assert_eq!(server.issued(), ["tok-1"], "no token fetched for a retry");
        // The refused token was still dropped: the next request gets a new one.
        assert_eq!(
            api.get(server.url("/next")).send().await.unwrap().status(),
            200
        );
        assert_eq!(server.seen()[2].authorization, bearer("tok-2"));
        assert_eq!(server.issued(), ["tok-1", "tok-2"]);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn reqwest_no_token_means_no_request_and_the_source_error() {
        let server = Server::start();
        server.refuse_grants_after(0);
        let src = server.source();
        let e = client(&src)
            .post(server.url("/items"))
            .body("x")
            .send()
            .await
            .unwrap_err();
        let reqwest_middleware::Error::Middleware(e) = e else {
            panic!("{e:?}")
        };
        assert_invalid_grant(e.downcast_ref::<AuthError>().unwrap());
        assert!(server.seen().is_empty(), "nothing reached the API");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn reqwest_a_token_that_is_not_a_header_value_is_never_sent() {
        let server = Server::start();
        // A hostile token endpoint: CR LF and a second header in the token.
        server.issue_next(r"tok\r\nX-Injected: 1");
        let src = server.source();
        let resp = client(&src).get(server.url("/items")).send().await.unwrap();
        // The source refuses that answer itself (issue 21: a token is
        // printable ASCII without spaces), asks again and gets a good one (tok-2):
        // only that one ever reached the API.
        assert_eq!(resp.status(), 200);
        let seen = server.seen();
        assert_eq!(seen.len(), 1);
        assert_eq!(seen[0].authorization, bearer("tok-2"));
        assert_eq!(src.source().stats().requests, 2);
    }
}

/// Two sources with their own `FileStore` on one file (two processes of
/// a fleet), each under an `HttpAuth` reqwest client: `/a1` (source 0)
/// fetches `tok-1`, `/b1` (source 1) adopts it from the file; `tok-1` is
/// revoked; then `/a2`, `/b2`, `/a3`, `/b3`. Returns the clients' statuses
/// and what the API saw: (path, token, status).
#[cfg(feature = "reqwest-middleware")]
async fn fleet_after_a_revocation(name: &str) -> (Server, Vec<u16>, Vec<(String, String, u16)>) {
    use jwtmint::client::file_store::FileStore;
    use jwtmint::client::http_auth::HttpAuth;
    let server = Server::start();
    let dir = std::env::temp_dir().join(format!("jwtmint-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let apis: Vec<_> = (0..2)
        .map(|_| {
            let store = Arc::new(FileStore::new(dir.join("tok.json")));
            let src = Src::new(server.builder().store(store)).unwrap();
            reqwest_middleware::ClientBuilder::new(reqwest::Client::new())
                .with(HttpAuth::new(src))
                .build()
        })
        .collect();
    let mut statuses = Vec::new();
    for (i, path) in ["/a1", "/b1", "/a2", "/b2", "/a3", "/b3"]
        .iter()
        .enumerate()
    {
        if i == 2 {
            assert_eq!(server.issued(), ["tok-1"], "source 1 adopted tok-1");
            server.revoke("tok-1");
        }
        let r = apis[i % 2].get(server.url(path)).send().await.unwrap();
        statuses.push(r.status().as_u16());
    }
    std::fs::remove_dir_all(&dir).unwrap();
    let seen = server
        .seen()
        .into_iter()
        .map(|s| (s.path, s.authorization.unwrap_or_default(), s.status))
        .collect();
    (server, statuses, seen)
}

/// Whatever the shared file hands back after a 401, the middleware never
/// sends the refused token again for the same request: at most two
/// attempts per request, never with the same token.
#[cfg(feature = "reqwest-middleware")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fleet_a_retry_never_resends_the_refused_token() {
    let (_server, _, seen) = fleet_after_a_revocation("http-auth-resend").await;
    for path in ["/a1", "/b1", "/a2", "/b2", "/a3", "/b3"] {
        let tokens: Vec<&str> = seen
            .iter()
            .filter(|s| s.0 == path)
            .map(|s| s.1.as_str())
            .collect();
        assert!(
            (1..=2).contains(&tokens.len()) && tokens.first() != tokens.get(1),
            "{path}: {tokens:?}"
        );
    }
}

/// The fleet recovers: each source sends the revoked token at most once
/// (the request it learns of the revocation with) and retries with
/// `tok-2`; the second source adopts `tok-2` from the file instead of
/// fetching a third token.
#[cfg(feature = "reqwest-middleware")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fleet_a_revoked_token_is_not_reused_through_a_shared_file() {
    let (server, statuses, seen) = fleet_after_a_revocation("http-auth-fleet").await;
    assert_eq!(statuses, [200; 6]);
    let row = |p: &str, t: &str, s: u16| (p.to_owned(), format!("Bearer {t}"), s);
    assert_eq!(
        seen,
        [
            row("/a1", "tok-1", 200),
            row("/b1", "tok-1", 200),
            row("/a2", "tok-1", 401),
            row("/a2", "tok-2", 200),
            row("/b2", "tok-1", 401),
            row("/b2", "tok-2", 200),
            row("/a3", "tok-2", 200),
            row("/b3", "tok-2", 200),
        ]
    );
    assert_eq!(
        server.issued(),
        ["tok-1", "tok-2"],
        "one new token for both"
    );
}

#[cfg(feature = "tower")]
mod tower_layer {
    use super::*;
    use bytes::Bytes;
    use http_body_util::{BodyExt, Full};
    use hyper_util::client::legacy::Client;
    use hyper_util::rt::TokioExecutor;
    use jwtmint::client::http_auth::HttpAuth;
    use jwtmint::client::http_auth::layer::Error;
    use tower::{Layer, Service, ServiceBuilder, ServiceExt};

    /// hyper-util's client under the layer, with a check in between that
    /// the `Authorization` value it passes on is sensitive.
    async fn send(
        src: &Src,
        sensitive: &Arc<Mutex<Vec<bool>>>,
        req: http::Request<Full<Bytes>>,
    ) -> (u16, Vec<u8>) {
        let hyper = Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
        let seen = Arc::clone(sensitive);
        let mut svc = ServiceBuilder::new()
            .layer(HttpAuth::new(src.clone()))
            .map_request(move |r: http::Request<Full<Bytes>>| {
                let s = r
                    .headers()
                    .get(http::header::AUTHORIZATION)
                    .is_some_and(http::HeaderValue::is_sensitive);
                seen.lock().unwrap().push(s);
                r
            })
            .service(hyper);
        let resp = svc.ready().await.unwrap().call(req).await.unwrap();
        let status = resp.status().as_u16();
        let body = resp.into_body().collect().await.unwrap().to_bytes();
        (status, body.to_vec())
    }

    fn post(url: String, body: &[u8]) -> http::Request<Full<Bytes>> {
        http::Request::post(url)
            .body(Full::new(Bytes::copy_from_slice(body)))
            .unwrap()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn tower_a_401_drops_the_token_and_retries_once_with_the_same_bytes() {
        let server = Server::start();
        let src = server.source();
        let sensitive = Arc::new(Mutex::new(Vec::new()));
        let body = payload();
        let (s, _) = send(&src, &sensitive, post(server.url("/items"), &body)).await;
        assert_eq!(s, 200);
        server.revoke("tok-1");
        let (s, reply) = send(&src, &sensitive, post(server.url("/items"), &body)).await;
        assert_eq!(s, 200);
        assert_eq!(reply, format!("ok {} bytes", body.len()).into_bytes());
        let (s, _) = send(&src, &sensitive, post(server.url("/after"), b"")).await;
        assert_eq!(s, 200);
        assert_retried_once_with_a_new_token(&server, &body, &sensitive);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn tower_a_second_401_is_returned_not_retried() {
        let server = Server::start();
        server.reject_all();
        let src = server.source();
        let sensitive = Arc::new(Mutex::new(Vec::new()));
        let body = payload();
        let (s, reply) = send(&src, &sensitive, post(server.url("/items"), &body)).await;
        assert_eq!((s, reply.as_slice()), (401, &b"revoked"[..]));
        assert_one_retry_refused(&server, &body);
    }

    /// The layer straight over hyper-util's client: a POST that must fail.
    async fn failed_call(server: &Server) -> Error<hyper_util::client::legacy::Error> {
        let hyper = Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
        let mut svc = HttpAuth::new(server.source()).layer(hyper);
        svc.ready()
            .await
            .unwrap()
            .call(post(server.url("/items"), b"x"))
            .await
            .unwrap_err()
    }

    /// After the 401 the token endpoint refuses the grant: the source's
    /// error, and the API saw the one refused request only.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn tower_no_new_token_after_a_401_returns_the_source_error() {
        let server = Server::start();
        server.reject_all();
        server.refuse_grants_after(1);
        let e = failed_call(&server).await;
        let Error::Auth(e) = e else { panic!("{e:?}") };
        assert_invalid_grant(&e);
        let seen = server.seen();
        assert_eq!(
            seen.iter()
                .map(|s| (s.authorization.clone(), s.status))
                .collect::<Vec<_>>(),
            [(bearer("tok-1"), 401)]
        );
        assert_eq!(server.issued(), ["tok-1"]);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn tower_a_token_that_is_not_a_header_value_is_never_sent() {
        let server = Server::start();
        server.issue_next(r"tok\u007fdel");
        let hyper = Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
        let mut svc = HttpAuth::new(server.source()).layer(hyper);
        let resp = svc
            .ready()
            .await
            .unwrap()
            .call(post(server.url("/items"), b"x"))
            .await
            .unwrap();
        // Refused by the source (DEL in a token), fetched again: the API
        // only ever saw the good token.
        assert_eq!(resp.status(), 200);
        let seen = server.seen();
        assert_eq!(seen.len(), 1);
        assert_eq!(seen[0].authorization, bearer("tok-2"));
    }
}
