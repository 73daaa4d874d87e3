//! Feature `tracing`: a token source reports each fetch (grant, outcome,
//! HTTP status, latency, error code) and each store step (hit, miss) as
//! events, and no field ever carries a secret: a capturing subscriber sees
//! every span and event of a fetch, a refusal and a store hit, and neither
//! the access token, nor the signed assertion, nor the server's body text
//! appears in what it captured.
#![cfg(feature = "tracing")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    missing_docs,
    unused_crate_dependencies
)]

mod common;

use std::fmt::Write as _;
use std::io::Write;
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use jwtmint::SigningKey;
use jwtmint::client::TokenSource;
use jwtmint::client::store::MemoryStore;
use jwtmint::profiles::Rfc7523;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// Every span and event as text: `name field=value ...`.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<String>>>);

struct Fields(String);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn core::fmt::Debug) {
        let _ = write!(self.0, " {}={value:?}", field.name());
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut f = Fields(format!("span {}", span.metadata().name()));
        span.record(&mut f);
        self.0.lock().unwrap().push(f.0);
        Id::from_u64(1)
    }
    fn record(&self, _: &Id, values: &Record<'_>) {
        let mut f = Fields("record".into());
        values.record(&mut f);
        self.0.lock().unwrap().push(f.0);
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut f = Fields(format!("event {}", event.metadata().target()));
        event.record(&mut f);
        self.0.lock().unwrap().push(f.0);
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

const TOKEN: &str = "SECRET-ACCESS-TOKEN-4f1c9e";

/// A token endpoint on 127.0.0.1 answering the given (status, body) pairs
/// in turn; it keeps every request it received.
fn server(answers: Vec<(u16, String)>) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/token", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    std::thread::spawn(move || {
        for (status, body) in answers {
            let Ok((mut c, _)) = listener.accept() else {
                return;
            };
            c.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
            // Headers, then Content-Length bytes of body.
            let req = common::http::read_request(&mut c).unwrap_or_default();
            log.lock()
                .unwrap()
                .push(String::from_utf8_lossy(&req).to_string());
            let reason = if status == 200 { "OK" } else { "Bad Request" };
            let _ = write!(
                c,
                "HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    (url, seen)
}

#[test]
fn fetches_and_store_steps_are_traced_without_secrets() {
    let refusal =
        format!(r#"{{"error":"invalid_grant","error_description":"token {TOKEN} is not valid"}}"#);
    let ok = format!(r#"{{"access_token":"{TOKEN}","token_type":"Bearer","expires_in":600}}"#);
    let (url, requests) = server(vec![(400, refusal), (200, ok)]);
    let key = SigningKey::from_pem(include_str!("../examples/keys/demo-key.pem")).unwrap();
    let p = Rfc7523::grant("demo-client", "alice", &url).unwrap();
    let store = Arc::new(MemoryStore::new());
    let capture = Capture::default();
    tracing::subscriber::with_default(capture.clone(), || {
        let src = TokenSource::builder(&p, &key)
            .store(store.clone())
            .max_wait(Duration::ZERO)
            .build()
            .unwrap();
        // Refused, then (after a reset) a token.
        assert!(src.get().is_err());
        src.reset();
        assert_eq!(src.get().unwrap().access_token(), TOKEN);
        // A second process finds it in the store: a hit, no request.
        let peer = TokenSource::builder(&p, &key)
            .store(store.clone())
            .build()
            .unwrap();
        assert_eq!(peer.get().unwrap().access_token(), TOKEN);
        assert_eq!(peer.requests_sent(), 0);
    });
    let lines = capture.0.lock().unwrap().clone();
    let all = lines.join("\n");
    // What was reported.
    assert!(
        lines.iter().any(|l| l.starts_with("span jwtmint.fetch")),
        "{all}"
    );
    let landed: Vec<&String> = lines
        .iter()
        .filter(|l| l.contains("token fetch landed"))
        .collect();
    assert_eq!(landed.len(), 2, "{all}");
    assert!(
        landed[0].contains("outcome=Rejected")
            && landed[0].contains("status=400")
            && landed[0].contains("error=\"invalid_grant\"")
            && landed[0].contains("latency_ms="),
        "{}",
        landed[0]
    );
    assert!(
        landed[1].contains("outcome=Stored") && landed[1].contains("status=200"),
        "{}",
        landed[1]
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("step=\"load\"") && l.contains("store_hit=true")),
        "{all}"
    );
    assert!(
        lines.iter().any(|l| l.contains("miss (no record)")),
        "{all}"
    );
    // What never is: the token, the assertion sent, the server's text.
    let sent = requests.lock().unwrap().clone();
    assert_eq!(sent.len(), 2);
    for req in &sent {
        let body = req.split("\r\n\r\n").nth(1).unwrap();
        let assertion = body
            .split('&')
            .find_map(|kv| kv.strip_prefix("assertion="))
            .unwrap();
        assert!(assertion.len() > 100, "{body}");
        // Any third of the JWT (header, claims, signature).
        for part in assertion.split('.') {
            assert!(!all.contains(part), "assertion part traced: {part}");
        }
    }
    assert!(!all.contains(TOKEN), "the token was traced:\n{all}");
    assert!(!all.contains("is not valid"), "server text traced:\n{all}");
}
