//! `jwtmint::client::subjects::TokenSources` (one token source per subject,
//! bounded) against a token endpoint started by the test on 127.0.0.1: it
//! reads each JWT bearer request's assertion, counts exchanges per `sub`,
//! answers a token naming that `sub`, and stalls the subject `slow`.
//! - N subjects make N exchanges; getting them again makes none;
//! - a full table evicts its least recently used subject (preferring one
//!   no caller is using), and a token handed out before stays intact;
//! - concurrent `get()`s for one subject make one exchange;
//! - a subject whose endpoint stalls holds up no other subject, even in
//!   the same partition;
//! - a subject the profile refuses is an error and nothing is kept;
//! - two tables sharing a store (two processes) exchange once per subject,
//!   each subject under its own key.
#![cfg(feature = "client")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::collections::HashMap;
use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine;
use jwtmint::SigningKey;
use jwtmint::client::store::MemoryStore;
use jwtmint::client::subjects::{SubjectError, TokenSources};
use jwtmint::profiles::{Login, Salesforce};

const CONSUMER_KEY: &str = "3MVG9-test-consumer";
/// The subject whose exchanges the server holds for `Server::stall`.
const SLOW: &str = "slow";

/// The token endpoint: exchanges per `sub`, in order of arrival.
struct Server {
    url: String,
    per_sub: Arc<Mutex<HashMap<String, u64>>>,
}

impl Server {
    fn start(stall: Duration) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!(
            "http://127.0.0.1:{}/services/oauth2/token",
            listener.local_addr().unwrap().port()
        );
        let per_sub = Arc::new(Mutex::new(HashMap::new()));
        let counts = Arc::clone(&per_sub);
        std::thread::spawn(move || {
            for conn in listener.incoming().take(2000) {
                let Ok(conn) = conn else { return };
                let counts = Arc::clone(&counts);
                std::thread::spawn(move || serve(conn, &counts, stall));
            }
        });
        Self { url, per_sub }
    }

    fn count(&self, sub: &str) -> u64 {
        self.per_sub.lock().unwrap().get(sub).copied().unwrap_or(0)
    }

    fn total(&self) -> u64 {
        self.per_sub.lock().unwrap().values().sum()
    }
}

/// Answers every request on one (keep-alive) connection.
fn serve(mut conn: TcpStream, counts: &Mutex<HashMap<String, u64>>, stall: Duration) {
    for _ in 0..1000 {
        let Some(body) = read_request(&mut conn) else {
            return;
        };
        let sub = assertion_sub(&body);
        let n = {
            let mut c = counts.lock().unwrap();
            let n = c.entry(sub.clone()).or_insert(0);
            *n += 1;
            *n
        };
        if sub == SLOW {
            std::thread::sleep(stall);
        }
        let json = format!(
            r#"{{"access_token":"tok-{sub}-{n}","token_type":"Bearer","expires_in":3600,"instance_url":"https://x.my.salesforce.com"}}"#
        );
        let reply = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{json}",
            json.len()
        );
        if conn.write_all(reply.as_bytes()).is_err() {
            return;
        }
    }
}

/// The body of one request (bounded).
fn read_request(conn: &mut TcpStream) -> Option<Vec<u8>> {
    conn.set_read_timeout(Some(Duration::from_secs(20))).ok()?;
    let request = common::http::read_request(conn)?;
    Some(common::http::body(&request).to_vec())
}

/// The `sub` of the JWT bearer grant's assertion, checking the grant and
/// the other claims the Salesforce profile sets.
fn assertion_sub(body: &[u8]) -> String {
    let body = std::str::from_utf8(body).unwrap();
    let form: HashMap<&str, &str> = body.split('&').filter_map(|p| p.split_once('=')).collect();
    assert_eq!(
        form["grant_type"],
        "urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer"
    );
    let payload = form["assertion"].split('.').nth(1).unwrap();
    let claims: serde_json::Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .unwrap(),
    )
    .unwrap();
    assert_eq!(claims["iss"], CONSUMER_KEY);
    assert_eq!(claims["aud"], "https://login.salesforce.com");
    claims["sub"].as_str().unwrap().to_owned()
}

type Users = TokenSources<Box<Salesforce>, Arc<SigningKey>>;

fn users(server: &Server, capacity: usize, partitions: usize) -> Users {
    users_with(server, capacity, partitions, None)
}

fn users_with(
    server: &Server,
    capacity: usize,
    partitions: usize,
    store: Option<Arc<MemoryStore>>,
) -> Users {
    let key =
        Arc::new(SigningKey::from_pem(include_str!("../examples/keys/demo-key.pem")).unwrap());
    let url = server.url.clone();
    TokenSources::builder(key, |sub: &str| {
        Ok(Box::new(Salesforce::new(
            CONSUMER_KEY,
            sub,
            Login::Production,
        )?))
    })
    .capacity(capacity)
    .partitions(partitions)
    .configure(move |b| {
        let b = b.token_url(url.clone());
        match &store {
            Some(s) => b.store(s.clone()),
            None => b,
        }
    })
    .build()
}

#[test]
fn n_subjects_make_n_exchanges_and_getting_them_again_makes_none() {
    let server = Server::start(Duration::ZERO);
    let users = users(&server, 1000, 16);
    let subjects: Vec<String> = (0..40).map(|i| format!("user-{i}@example.com")).collect();
    for s in &subjects {
        let t = users.get(s).unwrap();
        assert_eq!(t.access_token(), format!("tok-{s}-1"));
        assert_eq!(
            t.instance_url.as_deref(),
            Some("https://x.my.salesforce.com")
        );
    }
    assert_eq!(server.total(), 40);
    assert_eq!(users.len(), 40);
    assert_eq!(users.requests_sent(), 40);
    for _ in 0..3 {
        for s in &subjects {
            assert_eq!(users.get(s).unwrap().access_token(), format!("tok-{s}-1"));
        }
    }
    assert_eq!(server.total(), 40, "hits made no exchange");
    for s in &subjects {
        assert_eq!(server.count(s), 1, "{s}");
    }
    assert_eq!(users.evicted(), 0);
    // A 401 for one subject's token renews that subject only.
    assert!(users.invalidate(&subjects[3], &format!("tok-{}-1", subjects[3])));
    assert_eq!(
        users.get(&subjects[3]).unwrap().access_token(),
        format!("tok-{}-2", subjects[3])
    );
    assert_eq!(server.total(), 41);
    assert!(!users.invalidate("never-seen", "tok"));
}

#[test]
fn a_full_table_evicts_the_least_recently_used_subject() {
    let server = Server::start(Duration::ZERO);
    let users = users(&server, 2, 16);
    assert_eq!(users.capacity(), 2, "a small table is one partition");
    let a1 = users.get("a").unwrap();
    users.get("b").unwrap();
    users.get("a").unwrap(); // `a` is now more recent than `b`
    users.get("c").unwrap(); // evicts `b`
    assert_eq!((users.len(), users.evicted()), (2, 1));
    assert_eq!(
        (server.count("a"), server.count("b"), server.count("c")),
        (1, 1, 1)
    );
    // `a` and `c` are still kept: no exchange.
    assert_eq!(users.get("a").unwrap().access_token(), "tok-a-1");
    assert_eq!(users.get("c").unwrap().access_token(), "tok-c-1");
    assert_eq!(server.total(), 3);
    // `b` was evicted: a new exchange (which evicts `a`, now the LRU).
    assert_eq!(users.get("b").unwrap().access_token(), "tok-b-2");
    assert_eq!(server.count("b"), 2);
    assert_eq!(users.evicted(), 2);
    // A token handed out before its subject was evicted is the caller's,
    // intact.
    assert_eq!(a1.access_token(), "tok-a-1");

    // A subject in use (its source held, as during a `get()`) is kept over
    // an idle one even when it is the least recently used.
    let held = users.source("c").unwrap(); // c: LRU after the next get
    users.get("b").unwrap();
    users.get("d").unwrap(); // full: evicts idle `b`, not held `c`
    assert_eq!(users.evicted(), 3);
    assert_eq!(held.get().unwrap().access_token(), "tok-c-1");
    assert_eq!(users.get("c").unwrap().access_token(), "tok-c-1");
    assert_eq!(server.count("c"), 1);
    assert!(users.remove("c"));
    assert!(!users.remove("c"));
    assert_eq!(users.len(), 1);
}

#[test]
fn concurrent_gets_for_one_subject_make_one_exchange() {
    let server = Server::start(Duration::from_millis(400));
    let users = users(&server, 1000, 16);
    let tokens: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..16)
            .map(|_| s.spawn(|| users.get(SLOW).unwrap().access_token().to_owned()))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert!(tokens.iter().all(|t| t == "tok-slow-1"), "{tokens:?}");
    assert_eq!(server.count(SLOW), 1);
    assert_eq!(users.len(), 1);
}

#[test]
fn a_stalled_subject_does_not_hold_up_another_in_its_partition() {
    let stall = Duration::from_secs(3);
    let server = Server::start(stall);
    // One partition: every subject shares the slow one's lock.
    let users = users(&server, 100, 1);
    std::thread::scope(|s| {
        let slow = s.spawn(|| users.get(SLOW).unwrap());
        // Wait until the slow subject's request is at the server (held).
        let until = Instant::now() + Duration::from_secs(10);
        while server.count(SLOW) == 0 {
            assert!(Instant::now() < until, "the slow request never came");
            std::thread::sleep(Duration::from_millis(5));
        }
        let start = Instant::now();
        for i in 0..5 {
            let sub = format!("fast-{i}");
            assert_eq!(
                users.get(&sub).unwrap().access_token(),
                format!("tok-{sub}-1")
            );
        }
        let took = start.elapsed();
        // The five other subjects were served while the slow one's
        // exchange was still held at the server.
        assert!(
            !slow.is_finished(),
            "fast subjects waited for the slow one ({took:?})"
        );
        assert!(took < stall, "{took:?}");
        eprintln!("5 other subjects served in {took:?} while one subject stalled {stall:?}");
        assert_eq!(slow.join().unwrap().access_token(), "tok-slow-1");
    });
    assert_eq!(server.total(), 6);
}

#[test]
fn a_subject_the_profile_refuses_is_an_error_and_not_kept() {
    let server = Server::start(Duration::ZERO);
    let users = users(&server, 10, 1);
    match users.get("") {
        Err(SubjectError::Profile(jwtmint::Error::InvalidField { field, .. })) => {
            assert_eq!(field, "username");
        }
        r => panic!("{r:?}"),
    }
    // Over the Salesforce user name capacity, and over the table's own cap
    // (the factory never sees that one).
    for (len, field) in [(300, "username"), (100_000, "subject")] {
        match users.get(&"x".repeat(len)) {
            Err(SubjectError::Profile(jwtmint::Error::InvalidField { field: f, .. })) => {
                assert_eq!(f, field);
            }
            r => panic!("{len}: {r:?}"),
        }
    }
    assert!(users.is_empty());
    assert_eq!(server.total(), 0);
    // Debug names no subject.
    users.get("carol@example.com").unwrap();
    let d = format!("{users:?}");
    assert!(!d.contains("carol"), "{d}");
}

#[test]
fn two_tables_sharing_a_store_exchange_once_per_subject() {
    let server = Server::start(Duration::ZERO);
    let store = Arc::new(MemoryStore::new());
    let a = users_with(&server, 10, 1, Some(store.clone()));
    let b = users_with(&server, 10, 1, Some(store));
    for sub in ["alice", "bob", "carol"] {
        assert_eq!(a.get(sub).unwrap().access_token(), format!("tok-{sub}-1"));
        // The other "process" adopts the record saved under this subject's
        // key (never another subject's token).
        assert_eq!(b.get(sub).unwrap().access_token(), format!("tok-{sub}-1"));
    }
    assert_eq!((a.requests_sent(), b.requests_sent()), (3, 0));
    for sub in ["alice", "bob", "carol"] {
        assert_eq!(server.count(sub), 1, "{sub}");
    }
    let keys: std::collections::HashSet<String> = ["alice", "bob", "carol"]
        .iter()
        .map(|s| a.source(s).unwrap().store_key().to_owned())
        .collect();
    assert_eq!(keys.len(), 3, "one store key per subject");
}
