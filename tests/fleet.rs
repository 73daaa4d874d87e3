//! A fleet shares one token through Redis (issue 13 §4): 4 processes (this
//! test binary re-run as children) x 4 threads calling `get()` against the
//! local Authlib RFC 7523 server with a short token lifetime cause one
//! exchange per lifetime window for the whole fleet; and when the fetching
//! process is killed (-9) mid-fetch, another takes over after the lock TTL
//! and no caller ever gets an expired token.
//!
//! Peers: `redis-server`, Python with Authlib (tests/common/peers.rs: a loud
//! SKIPPED line without them; a failure under JWTMINT_REQUIRE_PEERS=1).
//!
//! The children are `jwtmint::client::TokenSource`s over `RedisStore`.
#![cfg(feature = "redis")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
mod redis_util;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::authlib::Rfc7523Server;
use jwtmint::SigningKey;
use jwtmint::client::ClientError;
use jwtmint::client::TokenSource;
use jwtmint::client::http::HttpConfig;
use jwtmint::client::redis_store::RedisStore;
use jwtmint::client::store::{LockToken, Store, StoredRecord};
use jwtmint::profiles::Rfc7523;
use jwtmint::session::Config;
use redis_util::RedisServer;
use sha2::{Digest, Sha256};

/// Token lifetime given by the server, refresh-ahead: one window = 4 s.
const LIFETIME: u32 = 6;
const REFRESH_AHEAD: i64 = 2;
const WINDOW: i64 = LIFETIME as i64 - REFRESH_AHEAD;
const PROCESSES: usize = 4;
const THREADS: usize = 4;
/// HTTP timeout of a fetch, and the store lock TTL (`lock_wait`) above it.
const HTTP_TIMEOUT: u64 = 3;
const LOCK_TTL: Duration = Duration::from_secs(4);

type Profile = Arc<Rfc7523<'static>>;
type Key = Arc<SigningKey>;

fn now() -> i64 {
    jwtmint::time::now().unwrap()
}

/// The store, logging `LOCK <pid>` to a shared file each time this process
/// takes the fetch lock (so the parent knows whom to kill).
struct Logged {
    inner: RedisStore,
    log: PathBuf,
}

impl Store for Logged {
    fn load(&self, key: &str, now: i64) -> Result<Option<StoredRecord>, ClientError> {
        self.inner.load(key, now)
    }
    fn save(&self, key: &str, record: &[u8], exp: i64, now: i64) -> Result<(), ClientError> {
        self.inner.save(key, record, exp, now)
    }
    fn try_lock(&self, key: &str, ttl: Duration) -> Result<Option<LockToken>, ClientError> {
        let got = self.inner.try_lock(key, ttl)?;
        if got.is_some() {
            let mut f = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&self.log)
                .unwrap();
            writeln!(f, "LOCK {}", std::process::id()).unwrap();
        }
        Ok(got)
    }
    fn unlock(&self, key: &str, token: &LockToken) -> Result<(), ClientError> {
        self.inner.unlock(key, token)
    }
}

fn source(redis_url: &str, token_url: &str, lock_log: &Path) -> TokenSource<Profile, Key> {
    let url: &'static str = Box::leak(token_url.to_owned().into_boxed_str());
    let profile = Arc::new(Rfc7523::grant("demo-client", "alice", url).unwrap());
    let pem =
        std::fs::read_to_string(common::repo_root().join("examples/keys/demo-key.pem")).unwrap();
    let key = Arc::new(SigningKey::from_pem(&pem).unwrap());
    let config = Config::new()
        .refresh_ahead(REFRESH_AHEAD)
        .backoff(1, 2)
        .jitter_seed(u64::from(std::process::id()));
    let store = Logged {
        inner: RedisStore::open(redis_url, "fleet-test:").unwrap(),
        log: lock_log.to_owned(),
    };
    TokenSource::builder(profile, key)
        .config(config)
        .http(
            HttpConfig::default()
                .with_timeout_secs(HTTP_TIMEOUT)
                .unwrap(),
        )
        .store(Arc::new(store))
        .lock_wait(LOCK_TTL)
        .build()
        .unwrap()
}

/// Child mode: `THREADS` threads call `get()` every 5 ms for the given
/// seconds and write one line per call outcome class to the out file:
/// `token <sha256 prefix> <expires_at>` for each distinct token,
/// `calls <n>`, and `BAD ...` for an error or an expired token.
#[test]
fn fleet_child() {
    let Ok(spec) = std::env::var("JWTMINT_FLEET_CHILD") else {
        return; // Only run as a child of the tests below.
    };
    let parts: Vec<&str> = spec.split('|').collect();
    let [redis_url, token_url, seconds, out, lock_log] = parts[..] else {
        panic!("bad JWTMINT_FLEET_CHILD {spec}");
    };
    let src = Arc::new(source(redis_url, token_url, Path::new(lock_log)));
    let until = Instant::now() + Duration::from_secs(seconds.parse().unwrap());
    let lines = Arc::new(Mutex::new(Vec::<String>::new()));
    let seen = Arc::new(Mutex::new(BTreeMap::<String, i64>::new()));
    let calls: Vec<_> = (0..THREADS)
        .map(|_| {
            let (src, lines, seen) = (Arc::clone(&src), Arc::clone(&lines), Arc::clone(&seen));
            std::thread::spawn(move || {
                let mut n = 0u64;
                while Instant::now() < until {
                    n += 1;
                    match src.get() {
                        Ok(t) => {
                            let at = now();
                            if t.expires_at <= at || t.access_token().is_empty() {
                                lines.lock().unwrap().push(format!(
                                    "BAD expired token: expires_at {} at {at}",
                                    t.expires_at
                                ));
                            }
                            let h = hex::encode(&Sha256::digest(t.access_token().as_bytes())[..8]);
                            seen.lock().unwrap().insert(h, t.expires_at);
                        }
                        Err(e) => lines.lock().unwrap().push(format!("BAD get failed: {e}")),
                    }
                    std::thread::sleep(Duration::from_millis(5));
                }
                n
            })
        })
        .collect();
    let total: u64 = calls.into_iter().map(|h| h.join().unwrap()).sum();
    let mut text = format!("calls {total}\n");
    for (h, exp) in seen.lock().unwrap().iter() {
        text.push_str(&format!("token {h} {exp}\n"));
    }
    for l in lines.lock().unwrap().iter() {
        text.push_str(l);
        text.push('\n');
    }
    std::fs::write(out, text).unwrap();
}

struct Fleet {
    children: Vec<(Child, PathBuf)>,
    lock_log: PathBuf,
    dir: PathBuf,
}

impl Fleet {
    fn spawn(tag: &str, redis: &RedisServer, auth: &Rfc7523Server, seconds: u64) -> Self {
        let dir = redis_util::scratch(tag);
        let lock_log = dir.join("locks.log");
        let children = (0..PROCESSES)
            .map(|i| {
                let out = dir.join(format!("child{i}.txt"));
                let spec = format!(
                    "{}|{}|{seconds}|{}|{}",
                    redis.url(),
                    auth.url(),
                    out.display(),
                    lock_log.display()
                );
                let child = Command::new(std::env::current_exe().unwrap())
                    .args(["fleet_child", "--exact", "--nocapture", "--test-threads=1"])
                    .env("JWTMINT_FLEET_CHILD", spec)
                    .stdout(std::process::Stdio::null())
                    .spawn()
                    .unwrap();
                (child, out)
            })
            .collect();
        Self {
            children,
            lock_log,
            dir,
        }
    }

    /// Waits for the children; the reports of those that exited 0.
    fn reports(&mut self, killed: Option<u32>) -> Vec<String> {
        let mut reports = Vec::new();
        for (child, out) in &mut self.children {
            let pid = child.id();
            let status = child.wait().unwrap();
            if Some(pid) == killed {
                continue;
            }
            assert!(status.success(), "child {pid} failed: {status}");
            reports.push(std::fs::read_to_string(&*out).unwrap());
        }
        reports
    }
}

impl Drop for Fleet {
    fn drop(&mut self) {
        for (child, _) in &mut self.children {
            let _ = child.kill();
            let _ = child.wait();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Distinct tokens of the fleet (hash -> expires_at), calls, and every BAD
/// line.
fn merge(reports: &[String]) -> (BTreeMap<String, i64>, u64, Vec<String>) {
    let mut tokens = BTreeMap::new();
    let mut calls = 0;
    let mut bad = Vec::new();
    for r in reports {
        for line in r.lines() {
            let w: Vec<&str> = line.split(' ').collect();
            match w[..] {
                ["calls", n] => calls += n.parse::<u64>().unwrap(),
                ["token", h, e] => {
                    let v: i64 = e.parse().unwrap();
                    // The same token has the same expiry in every process.
                    assert_eq!(*tokens.entry(h.to_owned()).or_insert(v), v, "{h}");
                }
                _ => bad.push(line.to_owned()),
            }
        }
    }
    (tokens, calls, bad)
}

#[test]
fn a_fleet_of_processes_makes_one_exchange_per_window() {
    if std::env::var_os("JWTMINT_FLEET_CHILD").is_some() {
        return;
    }
    let Some(redis) = RedisServer::start("fleet_one_exchange_per_window") else {
        return;
    };
    let Some(auth) = Rfc7523Server::start("fleet_one_exchange_per_window", LIFETIME) else {
        return;
    };
    let seconds = 16;
    let started = now();
    let mut fleet = Fleet::spawn("fleet-windows", &redis, &auth, seconds);
    let reports = fleet.reports(None);
    let elapsed = now() - started;
    let (tokens, calls, bad) = merge(&reports);
    assert!(bad.is_empty(), "{bad:#?}");
    let exchanges = auth.count();
    let expiries: Vec<i64> = tokens.values().copied().collect();
    let windows = redis_util::assert_one_exchange_per_window(
        &expiries,
        exchanges,
        i64::from(LIFETIME),
        WINDOW,
        elapsed,
    );
    let _ = writeln!(
        std::io::stderr(),
        "FLEET exchanges={exchanges} windows={windows} (window {WINDOW} s of a {LIFETIME} s token, \
         {elapsed} s) processes={PROCESSES} threads={THREADS} get_calls={calls} \
         without_sharing_would_be={}",
        windows * PROCESSES as u64
    );
}

#[test]
fn when_the_fetcher_is_killed_another_takes_over_after_the_lock_ttl() {
    if std::env::var_os("JWTMINT_FLEET_CHILD").is_some() {
        return;
    }
    let Some(redis) = RedisServer::start("fleet_fetcher_killed") else {
        return;
    };
    let Some(auth) = Rfc7523Server::start("fleet_fetcher_killed", LIFETIME) else {
        return;
    };
    let mut fleet = Fleet::spawn("fleet-killed", &redis, &auth, 18);
    // Wait for the first token, then make the next fetch stall.
    let t = Instant::now();
    while auth.count() == 0 {
        assert!(t.elapsed() < Duration::from_secs(20), "no first exchange");
        std::thread::sleep(Duration::from_millis(50));
    }
    redis_util::stall_next(auth.port, 30);
    let stalled_from = auth.count();
    while auth.count() == stalled_from {
        assert!(t.elapsed() < Duration::from_secs(30), "no refresh came");
        std::thread::sleep(Duration::from_millis(20));
    }
    // The fetcher is the last process that took the lock.
    let log = std::fs::read_to_string(&fleet.lock_log).unwrap();
    let pid: u32 = log
        .lines()
        .last()
        .unwrap()
        .strip_prefix("LOCK ")
        .unwrap()
        .parse()
        .unwrap();
    let killed_at = now();
    let victim = fleet
        .children
        .iter_mut()
        .find(|(c, _)| c.id() == pid)
        .expect("the lock holder is one of the fleet");
    victim.0.kill().unwrap(); // SIGKILL: no unlock, no cleanup.
    let reports = fleet.reports(Some(pid));
    assert_eq!(reports.len(), PROCESSES - 1);
    let (tokens, calls, bad) = merge(&reports);
    // No caller ever got an expired token, nor an error.
    assert!(bad.is_empty(), "{bad:#?}");
    // Someone else fetched after the kill, once the dead fetcher's lock had
    // expired (it was taken just before the stall: LOCK_TTL later, within
    // the clock's 1 s resolution).
    let takeover = tokens
        .values()
        .map(|e| e - i64::from(LIFETIME))
        .filter(|&s| s >= killed_at)
        .min()
        .expect("a token fetched after the kill");
    let ttl = LOCK_TTL.as_secs() as i64;
    assert!(
        takeover - killed_at >= ttl - 2 && takeover - killed_at <= ttl + 2,
        "takeover {} s after the kill",
        takeover - killed_at
    );
    let _ = writeln!(
        std::io::stderr(),
        "FLEET killed fetcher {pid}: takeover {} s after the kill (lock TTL {} s), \
         exchanges={} get_calls={calls}",
        takeover - killed_at,
        ttl,
        auth.count()
    );
}
