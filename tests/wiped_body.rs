//! Issue 21 item 9: a token response body is never freed unwiped. A global
//! allocator scans every block it frees for a marker; the blocking
//! transport reads a 256 KiB body that starts with the marker from a local
//! server (the body grows through several buffers). No freed block may hold
//! the marker. A control run (a plain `Vec` grown the same way, what
//! `read_to_vec` did) shows the detector sees unwiped copies.
#![cfg(feature = "client")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::Arc;

use jwtmint::client::endpoint::TokenUrl;
use jwtmint::client::http::{HttpClient, HttpConfig};

const MARKER: &[u8] = b"ya29.WIPE-ME-7f3c91e2d4";

#[path = "common/scanning_alloc.rs"]
mod scanning_alloc;

#[global_allocator]
static GLOBAL: scanning_alloc::Scanning = scanning_alloc::Scanning;

#[test]
fn a_response_body_is_never_freed_unwiped() {
    // The detector works: a `Vec` grown chunk by chunk frees copies.
    scanning_alloc::start(MARKER);
    {
        let mut v = Vec::new();
        v.extend_from_slice(MARKER);
        for _ in 0..64 {
            v.extend_from_slice(&[b'x'; 4096]);
        }
        std::hint::black_box(&v);
    }
    let found = scanning_alloc::stop();
    assert!(found > 0, "the control run must see unwiped frees");

    let mut body = MARKER.to_vec();
    body.resize(256 * 1024, b'x');
    let response: Arc<Vec<u8>> = Arc::new(
        [
            format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            )
            .into_bytes(),
            body,
        ]
        .concat(),
    );
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let served = Arc::clone(&response);
    let server = std::thread::spawn(move || {
        let (mut conn, _) = listener.accept().unwrap();
        // Read the whole request (headers and the form body) before the
        // answer: closing with unread bytes would reset the connection.
        let mut got = Vec::new();
        let mut buf = [0u8; 4096];
        let _ = conn.set_read_timeout(Some(std::time::Duration::from_secs(5)));
        while !got.ends_with(b"grant_type=x") {
            match conn.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
        }
        conn.write_all(&served).unwrap();
    });
    let url = TokenUrl::parse(&format!("http://127.0.0.1:{port}/token")).unwrap();
    let client = HttpClient::new(HttpConfig::default()).unwrap();
    scanning_alloc::start(MARKER);
    let r = client.post_form(&url, "grant_type=x").unwrap();
    assert_eq!(r.status, 200);
    assert!(r.body.starts_with(MARKER) && r.body.len() == 256 * 1024);
    drop(r);
    drop(client);
    let found = scanning_alloc::stop();
    server.join().unwrap();
    // `response` (the server's copy) is still alive here: not counted.
    assert_eq!(found, 0, "a freed block still held the token");
    drop(response);
}
