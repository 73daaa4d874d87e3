//! A fleet shares one token through Redis (issue 13 §4, issue 21 §5/§6):
//! processes (this test binary re-run as children) x threads calling
//! `get()` against real local token servers with short token lifetimes.
//! - 8 processes against a rotating-refresh-token server (single-use
//!   refresh tokens, reuse revokes the family, as Okta/Auth0 do) over 10
//!   windows: one exchange per window, 0 reuse detections, no warning; the
//!   same with the token endpoint answering in 1.5x the lock TTL (the lock
//!   is renewed while the fetch runs, so nobody else fetches);
//! - 32 processes against the Authlib RFC 7523 server: one exchange per
//!   window, and Redis commands per process per window from
//!   `INFO commandstats` (printed; docs/BENCHMARKS.md);
//! - when the fetching process is killed (-9) mid-fetch, another takes
//!   over after the lock TTL and no caller ever gets an expired token.
//!
//! Peers: `redis-server`, Python with Authlib (tests/common/peers.rs: a loud
//! SKIPPED line without them; a failure under JWTMINT_REQUIRE_PEERS=1).
//! The fleet tests run one at a time (`SERIAL`): their timing assertions
//! need the machine's cores.
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
use jwtmint::client::store::{LockToken, SaveOutcome, SaveRequest, Store, StoredRecord};
use jwtmint::profiles::Rfc7523;
use jwtmint::session::Config;
use redis_util::RedisServer;
use sha2::{Digest, Sha256};

/// One fleet test at a time (each spawns up to 32 processes).
static SERIAL: Mutex<()> = Mutex::new(());

/// The generic profile owning its URL (`Rfc7523::owned`): no `'static` borrow.
type Profile = Arc<dyn jwtmint::profiles::Profile + Send + Sync>;
type Key = Arc<SigningKey>;

fn now() -> i64 {
    jwtmint::time::now().unwrap()
}

/// What every child of one fleet runs with.
#[derive(Clone, Copy)]
struct Setup {
    processes: usize,
    threads: usize,
    refresh_ahead: i64,
    /// Connect and request timeout, seconds.
    http_timeout: u64,
    /// The store lock TTL in ms (0: the default, derived from the timeouts).
    lock_ttl_ms: u64,
    seconds: u64,
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
    fn renew_lock(&self, key: &str, token: &LockToken, ttl: Duration) -> Result<bool, ClientError> {
        self.inner.renew_lock(key, token, ttl)
    }
    fn save_and_unlock(&self, save: SaveRequest<'_>) -> Result<SaveOutcome, ClientError> {
        self.inner.save_and_unlock(save)
    }
    fn save_mark(&self, key: &str) -> u64 {
        self.inner.save_mark(key)
    }
    fn wait_for_save(&self, key: &str, mark: u64, timeout: Duration) -> bool {
        self.inner.wait_for_save(key, mark, timeout)
    }
}

fn source(
    redis_url: &str,
    token_url: &str,
    lock_log: &Path,
    setup: &Setup,
    warnings: Arc<Mutex<Vec<String>>>,
) -> TokenSource<Profile, Key> {
    let profile = Rfc7523::grant("demo-client", "alice", token_url)
        .unwrap()
        .owned()
        .unwrap();
    let pem =
        std::fs::read_to_string(common::repo_root().join("examples/keys/demo-key.pem")).unwrap();
    let key = Arc::new(SigningKey::from_pem(&pem).unwrap());
    let config = Config::new()
        .refresh_ahead(setup.refresh_ahead)
        .backoff(1, 2)
        .jitter_seed(u64::from(std::process::id()));
    let store = Logged {
        inner: RedisStore::open(redis_url, "fleet-test:").unwrap(),
        log: lock_log.to_owned(),
    };
    let mut b = TokenSource::builder(profile, key)
        .config(config)
        .http(
            HttpConfig::default()
                .with_timeout_secs(setup.http_timeout)
                .unwrap(),
        )
        .store(Arc::new(store))
        .on_warning(move |w| warnings.lock().unwrap().push(w.to_string()));
    if setup.lock_ttl_ms > 0 {
        b = b.lock_wait(Duration::from_millis(setup.lock_ttl_ms));
    }
    b.build().unwrap()
}

/// Child mode: `threads` threads call `get()` every 5 ms for the given
/// seconds and write to the out file: `token <sha256 prefix> <expires_at>`
/// for each distinct token, `calls <n>`, `sent <requests>`,
/// `warn <warning>`, and `BAD ...` for an error or an expired token.
#[test]
fn fleet_child() {
    let Ok(spec) = std::env::var("JWTMINT_FLEET_CHILD") else {
        return; // Only run as a child of the tests below.
    };
    let parts: Vec<&str> = spec.split('|').collect();
    let [
        redis_url,
        token_url,
        out,
        lock_log,
        threads,
        ahead,
        timeout,
        ttl,
        seconds,
    ] = parts[..]
    else {
        panic!("bad JWTMINT_FLEET_CHILD {spec}");
    };
    let setup = Setup {
        processes: 1,
        threads: threads.parse().unwrap(),
        refresh_ahead: ahead.parse().unwrap(),
        http_timeout: timeout.parse().unwrap(),
        lock_ttl_ms: ttl.parse().unwrap(),
        seconds: seconds.parse().unwrap(),
    };
    let warnings = Arc::new(Mutex::new(Vec::new()));
    let src = Arc::new(source(
        redis_url,
        token_url,
        Path::new(lock_log),
        &setup,
        Arc::clone(&warnings),
    ));
    let until = Instant::now() + Duration::from_secs(setup.seconds);
    // The parent ends the run early by creating `<out>.stop`.
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    {
        let (stop, path) = (Arc::clone(&stop), PathBuf::from(format!("{out}.stop")));
        std::thread::spawn(move || {
            while !path.exists() {
                std::thread::sleep(Duration::from_millis(50));
            }
            stop.store(true, std::sync::atomic::Ordering::Relaxed);
        });
    }
    let lines = Arc::new(Mutex::new(Vec::<String>::new()));
    let seen = Arc::new(Mutex::new(BTreeMap::<String, i64>::new()));
    let calls: Vec<_> = (0..setup.threads)
        .map(|_| {
            let (src, lines, seen) = (Arc::clone(&src), Arc::clone(&lines), Arc::clone(&seen));
            let stop = Arc::clone(&stop);
            std::thread::spawn(move || {
                let mut n = 0u64;
                while Instant::now() < until && !stop.load(std::sync::atomic::Ordering::Relaxed) {
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
    let mut text = format!("calls {total}\nsent {}\n", src.requests_sent());
    for (h, exp) in seen.lock().unwrap().iter() {
        text.push_str(&format!("token {h} {exp}\n"));
    }
    for w in warnings.lock().unwrap().iter() {
        text.push_str(&format!("warn {w}\n"));
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
    fn spawn(tag: &str, redis: &RedisServer, token_url: &str, setup: &Setup) -> Self {
        let dir = redis_util::scratch(tag);
        let lock_log = dir.join("locks.log");
        let children = (0..setup.processes)
            .map(|i| {
                let out = dir.join(format!("child{i}.txt"));
                let spec = format!(
                    "{}|{token_url}|{}|{}|{}|{}|{}|{}|{}",
                    redis.url(),
                    out.display(),
                    lock_log.display(),
                    setup.threads,
                    setup.refresh_ahead,
                    setup.http_timeout,
                    setup.lock_ttl_ms,
                    setup.seconds,
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

    /// Lets the fleet run until `exchanges()` reaches `windows + 1` (so
    /// `windows` whole windows passed) or `max`, then stops the children.
    fn run_windows(&self, exchanges: impl Fn() -> u64, windows: u64, max: Duration) {
        let t = Instant::now();
        while exchanges() <= windows && t.elapsed() < max {
            std::thread::sleep(Duration::from_millis(100));
        }
        for (_, out) in &self.children {
            std::fs::write(format!("{}.stop", out.display()), b"").unwrap();
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

/// What the fleet's children reported together.
#[derive(Default)]
struct Merged {
    /// Distinct tokens (hash -> expires_at).
    tokens: BTreeMap<String, i64>,
    calls: u64,
    /// Token requests the children sent.
    sent: u64,
    warnings: Vec<String>,
    bad: Vec<String>,
}

fn merge(reports: &[String]) -> Merged {
    let mut m = Merged::default();
    for r in reports {
        for line in r.lines() {
            let w: Vec<&str> = line.split(' ').collect();
            match w[..] {
                ["calls", n] => m.calls += n.parse::<u64>().unwrap(),
                ["sent", n] => m.sent += n.parse::<u64>().unwrap(),
                ["token", h, e] => {
                    let v: i64 = e.parse().unwrap();
                    // The same token has the same expiry in every process.
                    assert_eq!(*m.tokens.entry(h.to_owned()).or_insert(v), v, "{h}");
                }
                ["warn", ..] => m.warnings.push(line.to_owned()),
                _ => m.bad.push(line.to_owned()),
            }
        }
    }
    m
}

/// The rotating-refresh-token IdP (tests/py/session_refresh_server.py with
/// `--family-revoke`): an RFC 7523 grant answered with an access token and
/// a single-use refresh token; presenting a rotated refresh token is a
/// reuse detection that revokes the family.
struct RotatingServer {
    server: common::py_server::PyServer,
}

/// The rotating server's counters.
#[derive(Debug)]
struct Counts {
    jwt_bearer: u64,
    refresh: u64,
    issued: u64,
    reuse: u64,
}

impl RotatingServer {
    fn start(test: &str, lifetime: u32, delay: f64) -> Option<Self> {
        let python = common::peers::python(
            &format!("{test} (Authlib rotating refresh-token IdP)"),
            &["authlib", "flask", "werkzeug", "cryptography"],
        )?;
        let (lifetime, delay) = (lifetime.to_string(), delay.to_string());
        let args = [
            "--pubkey",
            "examples/keys/demo-key.pub.pem",
            "--client-id",
            "demo-client",
            "--audience",
            "http://127.0.0.1:{port}/token",
            "--lifetime",
            &lifetime,
            "--family-revoke",
            "--delay",
            &delay,
            "--max-seconds",
            "120",
        ]
        .map(std::ffi::OsStr::new);
        Some(Self {
            server: common::py_server::PyServer::start(python, "session_refresh_server.py", &args),
        })
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}/token", self.server.port)
    }

    fn counts(&self) -> Counts {
        let (_, body) = self.server.request("GET", "/count", &[], b"");
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        let n = |k: &str| v[k].as_u64().unwrap();
        Counts {
            jwt_bearer: n("jwt-bearer"),
            refresh: n("refresh_token"),
            issued: n("issued"),
            reuse: n("reuse"),
        }
    }
}

/// Exchanges were one per window: every issued token was handed out
/// (distinct tokens == issued), and consecutive issues are at least a
/// refresh window apart (two exchanges in one window would be ~0 s apart;
/// the clock has 1 s resolution). Returns the issue times.
fn assert_spaced(m: &Merged, issued: u64, lifetime: i64, window: i64) -> Vec<i64> {
    assert_eq!(issued, m.tokens.len() as u64, "every exchange was used");
    let mut at: Vec<i64> = m.tokens.values().map(|e| e - lifetime).collect();
    at.sort_unstable();
    for w in at.windows(2) {
        assert!(
            w[1] - w[0] >= window - 1,
            "two exchanges in one window: {at:?}"
        );
    }
    at
}

/// 8 processes x 4 threads, rotating single-use refresh tokens, 4 s
/// tokens refreshed 1 s ahead (or 2 s with a slow endpoint), 10 windows.
fn rotating_fleet(tag: &str, delay: f64, lock_ttl_ms: u64, seconds: u64) {
    const LIFETIME: u32 = 4;
    let _serial = SERIAL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let Some(redis) = RedisServer::start(tag) else {
        return;
    };
    let Some(auth) = RotatingServer::start(tag, LIFETIME, delay) else {
        return;
    };
    let setup = Setup {
        processes: 8,
        threads: 4,
        refresh_ahead: if delay > 0.0 { 2 } else { 1 },
        http_timeout: 5,
        lock_ttl_ms,
        seconds,
    };
    assert_eq!(redis.command("CONFIG RESETSTAT"), "+OK");
    let started = Instant::now();
    let mut fleet = Fleet::spawn(tag, &redis, &auth.url(), &setup);
    fleet.run_windows(
        || auth.counts().issued,
        10,
        Duration::from_secs(setup.seconds),
    );
    let m = merge(&fleet.reports(None));
    let elapsed = started.elapsed();
    let per = commands_per_process_per_window(&redis, setup.processes, auth.counts().issued);
    let c = auth.counts();
    assert!(m.bad.is_empty(), "{:#?}", m.bad);
    assert_eq!(c.reuse, 0, "refresh-token reuse detected: {c:?}");
    // Every request succeeded (no refused refresh) and came from the fleet.
    assert_eq!(c.jwt_bearer + c.refresh, c.issued, "{c:?}");
    assert_eq!(m.sent, c.issued, "{c:?}");
    assert_eq!(c.jwt_bearer, 1, "one login, then only refreshes: {c:?}");
    // No lock lost, no fetch without the lock, no unsaved token.
    assert!(m.warnings.is_empty(), "{:#?}", m.warnings);
    let window = i64::from(LIFETIME) - setup.refresh_ahead;
    let at = assert_spaced(&m, c.issued, i64::from(LIFETIME), window);
    assert!(c.issued > 10, "10 whole windows: {at:?}");
    // Waiters sleep until the holder's save is announced: polling the store
    // every 25 ms through a 1.5 s fetch would cost each waiter ~120
    // commands a window. (The holder's renewals count here too.)
    assert!(
        per <= 16.0,
        "{per:.2} Redis commands per process per window"
    );
    let _ = writeln!(
        std::io::stderr(),
        "FLEET rotating{}: exchanges={} (1 login + {} refreshes) windows={} reuse=0 \
         processes={} threads={} get_calls={} lock_ttl={} ms endpoint_delay={delay} s \
         redis_commands_per_process_per_window={per:.2} wall={:.1} s",
        if delay > 0.0 { " slow" } else { "" },
        c.issued,
        c.refresh,
        at.len(),
        setup.processes,
        setup.threads,
        m.calls,
        lock_ttl_ms,
        elapsed.as_secs_f64()
    );
}

#[test]
fn eight_processes_rotating_refresh_tokens_one_exchange_per_window_no_reuse() {
    if std::env::var_os("JWTMINT_FLEET_CHILD").is_some() {
        return;
    }
    // Windows of 3 s: a login at ~0 s, then refreshes at 3, 6, ... 30 s
    // (the run ends at the 11th exchange, at most 50 s).
    rotating_fleet("fleet_rotating", 0.0, 0, 50);
}

#[test]
fn a_token_endpoint_slower_than_the_lock_ttl_still_gets_one_exchange_per_window() {
    if std::env::var_os("JWTMINT_FLEET_CHILD").is_some() {
        return;
    }
    // The endpoint answers in 1.5 s, 1.5x the 1 s lock TTL: without renewal
    // a second process would take the expired lock and present the same
    // refresh token again (a reuse detection). Windows of ~3.5 s.
    rotating_fleet("fleet_rotating_slow", 1.5, 1000, 55);
}

/// Sums `cmdstat_<name>:calls=<n>` lines of `INFO commandstats`.
fn command_stats(redis: &RedisServer) -> BTreeMap<String, u64> {
    redis_util::info(redis, "commandstats")
        .lines()
        .filter_map(|l| {
            let (name, rest) = l.strip_prefix("cmdstat_")?.split_once(':')?;
            let calls = rest.strip_prefix("calls=")?.split(',').next()?;
            Some((name.to_owned(), calls.parse().ok()?))
        })
        .collect()
}

/// Every command the children sent since `CONFIG RESETSTAT` (commands run
/// inside Lua scripts count too; not `INFO`, nor the reset itself), per
/// process and per whole window: the run stops right after the exchange
/// that opens window `exchanges`, whose first commands are charged to the
/// windows before — an upper bound.
fn commands_per_process_per_window(redis: &RedisServer, processes: usize, exchanges: u64) -> f64 {
    let total: u64 = command_stats(redis)
        .iter()
        .filter(|(k, _)| !matches!(k.as_str(), "info" | "config|resetstat"))
        .map(|(_, v)| v)
        .sum();
    total as f64 / processes as f64 / exchanges.saturating_sub(1).max(1) as f64
}

#[test]
fn thirty_two_processes_one_exchange_per_window_and_few_redis_commands() {
    if std::env::var_os("JWTMINT_FLEET_CHILD").is_some() {
        return;
    }
    const LIFETIME: u32 = 4;
    let _serial = SERIAL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let Some(redis) = RedisServer::start("fleet_thirty_two") else {
        return;
    };
    let Some(auth) = Rfc7523Server::start("fleet_thirty_two", LIFETIME) else {
        return;
    };
    let setup = Setup {
        processes: 32,
        threads: 2,
        refresh_ahead: 1,
        http_timeout: 5,
        lock_ttl_ms: 0,
        seconds: 50,
    };
    assert_eq!(redis.command("CONFIG RESETSTAT"), "+OK");
    let started = Instant::now();
    let mut fleet = Fleet::spawn("fleet-32", &redis, &auth.url(), &setup);
    fleet.run_windows(|| auth.count(), 10, Duration::from_secs(setup.seconds));
    let m = merge(&fleet.reports(None));
    let elapsed = started.elapsed();
    let exchanges = auth.count();
    let stats = command_stats(&redis);
    let per = commands_per_process_per_window(&redis, setup.processes, exchanges);
    assert!(m.bad.is_empty(), "{:#?}", m.bad);
    assert!(m.warnings.is_empty(), "{:#?}", m.warnings);
    assert_eq!(m.sent, exchanges);
    let window = i64::from(LIFETIME) - setup.refresh_ahead;
    let at = assert_spaced(&m, exchanges, i64::from(LIFETIME), window);
    assert!(exchanges > 10, "10 whole windows: {at:?}");
    let total: u64 = stats.values().sum();
    let _ = writeln!(
        std::io::stderr(),
        "FLEET 32 processes: exchanges={exchanges} windows={} get_calls={} redis_commands={total} \
         per_process_per_window={per:.2} wall={:.1} s by_command={stats:?}",
        at.len(),
        m.calls,
        elapsed.as_secs_f64()
    );
    assert!(
        per <= 4.0,
        "{per:.2} Redis commands per process per window: {stats:?}"
    );
}

#[test]
fn when_the_fetcher_is_killed_another_takes_over_after_the_lock_ttl() {
    if std::env::var_os("JWTMINT_FLEET_CHILD").is_some() {
        return;
    }
    /// Token lifetime given by the server, refresh-ahead: one window = 4 s.
    const LIFETIME: u32 = 6;
    /// The store lock TTL, shorter than the HTTP timeout (3 s): the dead
    /// fetcher's lock is no longer renewed, so it lapses after this.
    const LOCK_TTL: Duration = Duration::from_secs(2);
    let _serial = SERIAL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let Some(redis) = RedisServer::start("fleet_fetcher_killed") else {
        return;
    };
    let Some(auth) = Rfc7523Server::start("fleet_fetcher_killed", LIFETIME) else {
        return;
    };
    let setup = Setup {
        processes: 4,
        threads: 4,
        refresh_ahead: 2,
        http_timeout: 3,
        lock_ttl_ms: u64::try_from(LOCK_TTL.as_millis()).unwrap(),
        seconds: 16,
    };
    let started = Instant::now();
    let mut fleet = Fleet::spawn("fleet-killed", &redis, &auth.url(), &setup);
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
    victim.0.kill().unwrap(); // SIGKILL: no unlock, no cleanup, no renewal.
    let reports = fleet.reports(Some(pid));
    assert_eq!(reports.len(), setup.processes - 1);
    let m = merge(&reports);
    // No caller ever got an expired token, nor an error; nobody fetched
    // without the lock.
    assert!(m.bad.is_empty(), "{:#?}", m.bad);
    assert!(m.warnings.is_empty(), "{:#?}", m.warnings);
    // Someone else fetched after the kill, once the dead fetcher's lock had
    // expired (renewed up to the kill: LOCK_TTL later, within the clock's
    // 1 s resolution and the waiters' 1 s fallback poll).
    let takeover = m
        .tokens
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
         exchanges={} get_calls={} wall={:.1} s",
        takeover - killed_at,
        ttl,
        auth.count(),
        m.calls,
        started.elapsed().as_secs_f64()
    );
}

/// A store whose renewals do nothing (a holder stalled past its lock TTL,
/// e.g. a long GC pause or a partition): the lock lapses mid-fetch.
struct NoRenewal(RedisStore);

impl Store for NoRenewal {
    fn load(&self, key: &str, now: i64) -> Result<Option<StoredRecord>, ClientError> {
        self.0.load(key, now)
    }
    fn save(&self, key: &str, record: &[u8], exp: i64, now: i64) -> Result<(), ClientError> {
        self.0.save(key, record, exp, now)
    }
    fn try_lock(&self, key: &str, ttl: Duration) -> Result<Option<LockToken>, ClientError> {
        self.0.try_lock(key, ttl)
    }
    fn unlock(&self, key: &str, token: &LockToken) -> Result<(), ClientError> {
        self.0.unlock(key, token)
    }
    fn save_and_unlock(&self, save: SaveRequest<'_>) -> Result<SaveOutcome, ClientError> {
        self.0.save_and_unlock(save)
    }
}

/// Fencing end to end: the fetcher's lock lapses while the (slow) endpoint
/// answers and another holder saves meanwhile; the fetcher's save is
/// discarded (the other holder's record stays, `LockLost` is reported) and
/// its caller still gets the token the server issued.
#[test]
fn a_fetcher_that_lost_its_lock_keeps_its_token_but_does_not_save_it() {
    if std::env::var_os("JWTMINT_FLEET_CHILD").is_some() {
        return;
    }
    let _serial = SERIAL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let Some(redis) = RedisServer::start("fleet_lock_lost") else {
        return;
    };
    let Some(auth) = RotatingServer::start("fleet_lock_lost", 60, 1.0) else {
        return;
    };
    let profile = Rfc7523::grant("demo-client", "alice", &auth.url())
        .unwrap()
        .owned()
        .unwrap();
    let pem =
        std::fs::read_to_string(common::repo_root().join("examples/keys/demo-key.pem")).unwrap();
    let key = Arc::new(SigningKey::from_pem(&pem).unwrap());
    let warnings = Arc::new(Mutex::new(Vec::<String>::new()));
    let w = Arc::clone(&warnings);
    let src = TokenSource::builder(profile, key)
        .store(Arc::new(NoRenewal(
            RedisStore::open(&redis.url(), "lost:").unwrap(),
        )))
        .lock_wait(Duration::from_millis(300))
        .on_warning(move |x| w.lock().unwrap().push(x.to_string()))
        .build()
        .unwrap();
    let store_key = src.store_key().to_owned();
    // The other holder: once the source holds the lock, takes it as soon
    // as it lapses, and saves.
    let other = RedisStore::open(&redis.url(), "lost:").unwrap();
    let lock_key = format!("lost:jwtmint:lock:{store_key}");
    let redis_port = redis.port;
    let thief = std::thread::spawn(move || {
        let t = Instant::now();
        let exists = || {
            let mut s = std::net::TcpStream::connect(("127.0.0.1", redis_port)).unwrap();
            write!(s, "EXISTS {lock_key}\r\n").unwrap();
            let mut reply = [0u8; 4];
            std::io::Read::read(&mut s, &mut reply).unwrap();
            reply.starts_with(b":1")
        };
        while !exists() {
            assert!(
                t.elapsed() < Duration::from_secs(20),
                "the source never locked"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
        let t = Instant::now();
        loop {
            if let Some(l) = other.try_lock(&store_key, Duration::from_secs(30)).unwrap() {
                let at = now();
                let saved = other
                    .save_and_unlock(SaveRequest {
                        key: &store_key,
                        record: b"the-other-holder",
                        expires_at: at + 60,
                        now: at,
                        lock: Some(&l),
                    })
                    .unwrap();
                return (saved, t.elapsed());
            }
            assert!(t.elapsed() < Duration::from_secs(5));
            std::thread::sleep(Duration::from_millis(20));
        }
    });
    let token = src.get().unwrap();
    let (saved, after) = thief.join().unwrap();
    assert_eq!(saved, jwtmint::client::store::SaveOutcome::Saved);
    assert!(
        after < Duration::from_secs(1),
        "took the lapsed lock at {after:?}"
    );
    // The server's token is handed out...
    assert!(!token.access_token().is_empty());
    assert_eq!(auth.counts().issued, 1);
    // ...but not saved over the other holder's record.
    let stored = RedisStore::open(&redis.url(), "lost:")
        .unwrap()
        .load(src.store_key(), now())
        .unwrap()
        .unwrap();
    assert_eq!(stored.record.as_slice(), b"the-other-holder");
    assert_eq!(
        *warnings.lock().unwrap(),
        ["the store lock was lost during the fetch; the token is used but not saved"]
    );
}
