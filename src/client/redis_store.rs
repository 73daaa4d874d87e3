//! A Redis [`Store`] (feature `redis`): one token shared by a fleet of
//! processes or hosts, so that N replicas logging in as the same
//! integration user cause one exchange per token lifetime, not N.
//!
//! Keys, for a session identity `<hex>` (64 lower-case hex characters) and
//! the configured prefix (e.g. `"billing:"`, may be empty):
//! - `<prefix>jwtmint:token:<hex>` — the record: `stored_at` and
//!   `expires_at` (8 bytes each, big-endian `i64`) followed by the session
//!   core's encoded credential
//!   (`Session::encode_record`), written with `SET … PX <expires_at - now>`
//!   so Redis drops it when the token expires;
//! - `<prefix>jwtmint:lock:<hex>` — the fetch lock:
//!   `SET … <random owner token> NX PX <ttl>` (a new 128-bit token per
//!   acquisition). Exactly one process holds it and fetches; the others
//!   read the token it saves. Its holder renews it while the fetch runs
//!   (`renew_lock`: an owner-checked `PEXPIRE` in Lua); it is released by a
//!   Lua compare-and-delete, and a crashed fetcher's lock simply expires
//!   after its TTL;
//! - `<prefix>jwtmint:saved:<hex>` — a pub/sub channel: a save or a lock
//!   release publishes on it, so waiting processes wake at once (one
//!   subscriber connection per store, on a background thread) instead of
//!   polling; they still poll at a bounded interval when no message comes.
//!
//! Saves are one Lua script (`SAVE`): the record is written only when the
//! stored one is older (`stored_at`, then `expires_at`, from the 16-byte
//! headers; a header claiming a `stored_at` more than a minute in the
//! future is not trusted) and, for a fenced save, only while the lock still
//! holds the saver's token; the same script releases that lock and
//! publishes. A process whose lock expired therefore never overwrites the
//! rotated refresh token a newer holder saved.
//!
//! # Security: tokens at rest are bearer secrets
//! Anyone who can `GET` these keys can act as the integration user until
//! the token expires. Expectations:
//! - a **dedicated ACL user** limited to the prefix, with only the commands
//!   used here, e.g.
//!   `ACL SETUSER jwtmint on >PASSWORD resetkeys ~billing:jwtmint:* resetchannels &billing:jwtmint:* -@all +get +set +del +eval +pexpire +publish +subscribe`
//!   (the Lua scripts run `GET`, `SET`, `DEL`, `PEXPIRE` and `PUBLISH`;
//!   tests/redis_store.rs checks that this is all the store needs);
//! - **TLS** (`rediss://`) for anything not on this host: [`RedisStore::open`]
//!   refuses plain `redis://` to a host that is not loopback
//!   ([`RedisStore::open_plaintext_unsafe`] says what it does);
//! - no persistence you would not put a password in (RDB/AOF files hold the
//!   tokens), and no replica or backup readable by others.
//!
//! Error messages name the operation and Redis's error kind; they never
//! contain a record, a lock token or the password from the URL.

#[allow(unused_imports)]
use std::format;
#[allow(unused_imports)]
use std::prelude::rust_2024::*;

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use zeroize::Zeroizing;

use super::endpoint;
use super::error::ClientError;
use super::redact;
use super::store::{FUTURE_SKEW, LockToken, SaveOutcome, SaveRequest, Store, StoredRecord};

/// Connect, read and write timeout of Redis calls (a store that does not
/// answer must not hang token callers).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(2);

/// Compare-and-delete: release the lock only while it is still ours, and
/// tell the waiters (ARGV[2] is the channel). `PUBLISH` runs under `pcall`
/// in both scripts: a user without channel rights (the ACL before wake-ups
/// existed) still saves and unlocks; its waiters poll.
const UNLOCK: &str = "if redis.call('GET', KEYS[1]) == ARGV[1] then \
redis.call('DEL', KEYS[1]) redis.pcall('PUBLISH', ARGV[2], 'u') return 1 else return 0 end";

/// Owner-checked renewal: `PEXPIRE` only while the lock is still ours.
const RENEW: &str = "if redis.call('GET', KEYS[1]) == ARGV[1] then \
return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end";

/// The conditional save. KEYS: record, lock. ARGV: value, PX ms,
/// stored_at, expires_at, now, fence token ('' for none), channel, skew.
/// Returns 1 saved, 0 kept the newer stored record, -1 the fence lock was
/// not ours (nothing written, nothing released). Same rule as
/// `store::replaces`.
const SAVE: &str = "local fenced = ARGV[6] ~= '' \
if fenced and redis.call('GET', KEYS[2]) ~= ARGV[6] then return -1 end \
local result = 1 \
local old = redis.call('GET', KEYS[1]) \
if old and string.len(old) >= 16 then \
  local os, oe = struct.unpack('>i8i8', old) \
  local ns, ne, now = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]) \
  if os <= now + tonumber(ARGV[8]) and (os > ns or (os == ns and oe >= ne)) then result = 0 end \
end \
if result == 1 and tonumber(ARGV[2]) > 0 then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) end \
if fenced then redis.call('DEL', KEYS[2]) end \
if result == 1 or fenced then redis.pcall('PUBLISH', ARGV[7], 's') end \
return result";

/// Compare-and-delete of the record: only while it is exactly the value
/// read (and checked) before.
const REMOVE_IF: &str = "if redis.call('GET', KEYS[1]) == ARGV[1] then \
return redis.call('DEL', KEYS[1]) else return 0 end";

/// How long the wake-up listener blocks in one read before it looks for
/// new channels to subscribe (and for its store being dropped).
const LISTEN_TICK: Duration = Duration::from_millis(200);

/// Bytes of the `stored_at` + `expires_at` header in front of a record.
const HEADER: usize = 16;

/// A token store in Redis (see the module docs for keys and ACLs).
/// Thread-safe: one connection behind a mutex, reopened after an error.
pub struct RedisStore {
    client: redis::Client,
    prefix: String,
    /// The URL's password (raw and percent-decoded), scrubbed from errors.
    secrets: Vec<Zeroizing<String>>,
    timeout: Duration,
    conn: Mutex<Option<redis::Connection>>,
    wake: Arc<Wakeups>,
}

/// Save announcements received by the listener thread, per channel.
#[derive(Default)]
struct Wakeups {
    state: Mutex<WakeState>,
    changed: Condvar,
}

#[derive(Default)]
struct WakeState {
    /// Messages seen per channel (the marks `save_mark` hands out).
    seen: HashMap<String, u64>,
    /// Channels to subscribe (all of them again after a reconnect).
    wanted: HashSet<String>,
    /// Channels the listener's connection is subscribed to now.
    subscribed: HashSet<String>,
    started: bool,
    /// Redis refused the subscription: the listener is gone for good.
    refused: bool,
    /// The store was dropped: the listener exits.
    closed: bool,
}

impl Wakeups {
    fn state(&self) -> MutexGuard<'_, WakeState> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Waits on the condvar until `done` holds or `until`; whether it held.
    fn wait_until<'a>(
        &self,
        mut st: MutexGuard<'a, WakeState>,
        until: Instant,
        done: impl Fn(&WakeState) -> bool,
    ) -> (MutexGuard<'a, WakeState>, bool) {
        loop {
            if done(&st) {
                return (st, true);
            }
            let left = until.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return (st, false);
            }
            st = match self.changed.wait_timeout(st, left) {
                Ok((g, _)) => g,
                Err(p) => p.into_inner().0,
            };
        }
    }
}

impl Drop for RedisStore {
    fn drop(&mut self) {
        self.wake.state().closed = true;
    }
}

impl core::fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("RedisStore")
            .field("prefix", &self.prefix)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl RedisStore {
    /// A store at `url` (`rediss://` for TLS, `redis://` for a loopback
    /// host, `redis+unix://` / `unix://` for a socket) whose keys all start
    /// with `prefix`. Nothing is sent until the first call.
    ///
    /// # Errors
    /// `StoreBackend` for a URL that does not parse, or plain `redis://` to
    /// a host that is not loopback (tokens would cross the network in clear).
    pub fn open(url: &str, prefix: &str) -> Result<Self, ClientError> {
        Self::open_checked(url, prefix, false)
    }

    /// [`RedisStore::open`] that also accepts plain `redis://` to remote
    /// hosts: bearer tokens then cross the network unencrypted. Only for a
    /// network you trust completely.
    ///
    /// # Errors
    /// `StoreBackend` for a URL that does not parse.
    pub fn open_plaintext_unsafe(url: &str, prefix: &str) -> Result<Self, ClientError> {
        Self::open_checked(url, prefix, true)
    }

    fn open_checked(url: &str, prefix: &str, plaintext: bool) -> Result<Self, ClientError> {
        let parsed =
            url::Url::parse(url).map_err(|e| backend(format!("the URL does not parse: {e}")))?;
        let mut secrets = Vec::new();
        if let Some(p) = parsed.password() {
            secrets.push(Zeroizing::new(p.to_owned()));
            if let Ok(decoded) = percent_decode(p) {
                secrets.push(Zeroizing::new(decoded));
            }
        }
        match parsed.scheme() {
            "rediss" | "redis+unix" | "unix" => {}
            "redis" => {
                // `redis:` is not a special scheme: its host stays opaque
                // text until parsed as a host here (IP literals included).
                let local = parsed
                    .host_str()
                    .and_then(|h| url::Host::parse(h).ok())
                    .is_some_and(|h| match &h {
                        url::Host::Domain(d) => endpoint::is_loopback(&url::Host::Domain(d)),
                        url::Host::Ipv4(ip) => endpoint::is_loopback(&url::Host::Ipv4(*ip)),
                        url::Host::Ipv6(ip) => endpoint::is_loopback(&url::Host::Ipv6(*ip)),
                    });
                if !local && !plaintext {
                    return Err(backend(
                        "plain redis:// is only allowed to loopback hosts: use rediss:// (TLS), \
                         tokens in Redis are bearer secrets"
                            .into(),
                    ));
                }
            }
            other => {
                return Err(backend(format!(
                    "unsupported URL scheme `{}` (redis, rediss, redis+unix, unix)",
                    redact::sanitize(other)
                )));
            }
        }
        let client = redis::Client::open(url).map_err(|e| scrubbed("open", &e, &secrets))?;
        Ok(Self {
            client,
            prefix: prefix.to_owned(),
            secrets,
            timeout: DEFAULT_TIMEOUT,
            conn: Mutex::new(None),
            wake: Arc::new(Wakeups::default()),
        })
    }

    /// Sets the connect/read/write timeout (default [`DEFAULT_TIMEOUT`]).
    ///
    /// # Errors
    /// [`ClientError::ZeroTimeout`] for zero.
    pub fn with_timeout(mut self, timeout: Duration) -> Result<Self, ClientError> {
        if timeout.is_zero() {
            return Err(ClientError::ZeroTimeout);
        }
        self.timeout = timeout;
        Ok(self)
    }

    /// The key of the record for `key` (`<prefix>jwtmint:token:<key>`).
    pub fn token_key(&self, key: &str) -> String {
        format!("{}jwtmint:token:{key}", self.prefix)
    }

    /// The key of the fetch lock for `key` (`<prefix>jwtmint:lock:<key>`).
    pub fn lock_key(&self, key: &str) -> String {
        format!("{}jwtmint:lock:{key}", self.prefix)
    }

    /// The pub/sub channel announcing saves for `key`
    /// (`<prefix>jwtmint:saved:<key>`).
    pub fn channel(&self, key: &str) -> String {
        format!("{}jwtmint:saved:{key}", self.prefix)
    }

    /// Starts the listener thread once; `false` when it cannot run.
    fn start_listener(&self, st: &mut WakeState) -> bool {
        if st.started {
            return true;
        }
        let (client, wake, timeout) = (self.client.clone(), Arc::clone(&self.wake), self.timeout);
        let spawned = std::thread::Builder::new()
            .name("jwtmint-redis-wake".into())
            .spawn(move || listen(&client, &wake, timeout));
        st.started = spawned.is_ok();
        st.started
    }

    /// Runs `f` on the connection (opened on first use); a failed call
    /// drops the connection so the next one reconnects.
    fn with<T>(
        &self,
        op: &'static str,
        f: impl FnOnce(&mut redis::Connection) -> redis::RedisResult<T>,
    ) -> Result<T, ClientError> {
        let mut guard = self
            .conn
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if guard.is_none() {
            let c = self
                .client
                .get_connection_with_timeout(self.timeout)
                .map_err(|e| scrubbed("connect", &e, &self.secrets))?;
            c.set_read_timeout(Some(self.timeout))
                .and_then(|()| c.set_write_timeout(Some(self.timeout)))
                .map_err(|e| scrubbed("connect", &e, &self.secrets))?;
            *guard = Some(c);
        }
        let Some(conn) = guard.as_mut() else {
            return Err(backend(format!("{op}: no connection")));
        };
        f(conn).map_err(|e| {
            *guard = None;
            scrubbed(op, &e, &self.secrets)
        })
    }
}

impl Store for RedisStore {
    fn load(&self, key: &str, now: i64) -> Result<Option<StoredRecord>, ClientError> {
        let k = self.token_key(key);
        let value: Option<Vec<u8>> = self.with("GET", |c| redis::cmd("GET").arg(&k).query(c))?;
        let Some(value) = value.map(Zeroizing::new) else {
            return Ok(None);
        };
        let (Some(head), Some(record)) = (value.get(..HEADER), value.get(HEADER..)) else {
            return Err(backend(format!(
                "{k} holds a value jwtmint did not write (too short)"
            )));
        };
        let time = |at: usize| {
            let mut b = [0u8; 8];
            if let Some(src) = head.get(at..at + 8) {
                b.copy_from_slice(src);
            }
            i64::from_be_bytes(b)
        };
        let (stored_at, expires_at) = (time(0), time(8));
        if expires_at <= now {
            return Ok(None);
        }
        Ok(Some(StoredRecord {
            record: Zeroizing::new(record.to_vec()),
            stored_at,
            expires_at,
        }))
    }

    fn save(&self, key: &str, record: &[u8], expires_at: i64, now: i64) -> Result<(), ClientError> {
        self.save_and_unlock(SaveRequest {
            key,
            record,
            expires_at,
            now,
            lock: None,
        })
        .map(|_| ())
    }

    fn try_lock(&self, key: &str, ttl: Duration) -> Result<Option<LockToken>, ClientError> {
        let token = LockToken::random()?;
        let ms = u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX).max(1);
        let k = self.lock_key(key);
        let taken: Option<String> = self.with("SET NX", |c| {
            redis::cmd("SET")
                .arg(&k)
                .arg(token.as_str())
                .arg("NX")
                .arg("PX")
                .arg(ms)
                .query(c)
        })?;
        Ok(taken.map(|_| token))
    }

    fn unlock(&self, key: &str, token: &LockToken) -> Result<(), ClientError> {
        let (k, channel) = (self.lock_key(key), self.channel(key));
        self.with("unlock", |c| {
            eval(UNLOCK, 1)
                .arg(&k)
                .arg(token.as_str())
                .arg(&channel)
                .query::<i64>(c)
        })
        .map(|_| ())
    }

    fn renew_lock(&self, key: &str, token: &LockToken, ttl: Duration) -> Result<bool, ClientError> {
        let ms = u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX).max(1);
        let k = self.lock_key(key);
        let renewed: i64 = self.with("renew lock", |c| {
            eval(RENEW, 1).arg(&k).arg(token.as_str()).arg(ms).query(c)
        })?;
        Ok(renewed == 1)
    }

    fn save_and_unlock(&self, save: SaveRequest<'_>) -> Result<SaveOutcome, ClientError> {
        // Non-positive: nothing is written (already expired), the lock is
        // still released.
        let ttl_ms = save
            .expires_at
            .saturating_sub(save.now)
            .saturating_mul(1000)
            .max(0);
        let mut value = Zeroizing::new(Vec::with_capacity(HEADER + save.record.len()));
        value.extend_from_slice(&save.now.to_be_bytes());
        value.extend_from_slice(&save.expires_at.to_be_bytes());
        value.extend_from_slice(save.record);
        let (k, l, channel) = (
            self.token_key(save.key),
            self.lock_key(save.key),
            self.channel(save.key),
        );
        let fence = save.lock.map_or("", LockToken::as_str);
        let result: i64 = self.with("save", |c| {
            eval(SAVE, 2)
                .arg(&k)
                .arg(&l)
                .arg(value.as_slice())
                .arg(ttl_ms)
                .arg(save.now)
                .arg(save.expires_at)
                .arg(save.now)
                .arg(fence)
                .arg(&channel)
                .arg(FUTURE_SKEW)
                .query(c)
        })?;
        Ok(match result {
            1 => SaveOutcome::Saved,
            0 => SaveOutcome::KeptNewer,
            _ => SaveOutcome::LockLost,
        })
    }

    fn save_mark(&self, key: &str) -> u64 {
        let channel = self.channel(key);
        let mut st = self.wake.state();
        // The first time only: afterwards (listener reconnecting, or not
        // allowed to subscribe) waiters fall back to polling at once.
        if st.wanted.insert(channel.clone()) && self.start_listener(&mut st) {
            // Wait (briefly) for the subscription, so that a save right
            // after this mark is announced to us.
            let until = Instant::now() + self.timeout.min(Duration::from_secs(1));
            let ready = |s: &WakeState| s.refused || s.subscribed.contains(&channel);
            st = self.wake.wait_until(st, until, ready).0;
        }
        st.seen.get(&channel).copied().unwrap_or(0)
    }

    fn wait_for_save(&self, key: &str, mark: u64, timeout: Duration) -> bool {
        let channel = self.channel(key);
        let st = self.wake.state();
        let seen = |s: &WakeState| s.seen.get(&channel).copied().unwrap_or(0) > mark;
        self.wake.wait_until(st, Instant::now() + timeout, seen).1
    }

    /// GET, compare the record's token digest here, then delete only if
    /// the value is still byte-for-byte what was read (one Lua step), so a
    /// record saved meanwhile survives.
    fn remove_if_holds(&self, key: &str, token_digest: &[u8; 32]) -> Result<bool, ClientError> {
        let k = self.token_key(key);
        let value: Option<Vec<u8>> = self.with("GET", |c| redis::cmd("GET").arg(&k).query(c))?;
        let Some(value) = value.map(Zeroizing::new) else {
            return Ok(false);
        };
        let holds = value
            .get(HEADER..)
            .is_some_and(|record| crate::session::record_holds(record, token_digest));
        if !holds {
            return Ok(false);
        }
        // Deleted only if nobody saved since the read above.
        let deleted: i64 = self.with("remove", |c| {
            eval(REMOVE_IF, 1).arg(&k).arg(value.as_slice()).query(c)
        })?;
        Ok(deleted == 1)
    }
}

/// The wake-up listener: one subscriber connection (reopened after an
/// error, with a doubling pause up to 30 s), subscribing to the channels
/// `save_mark` asked for, counting the messages per channel and waking the
/// waiters. Exits when the store is dropped, or for good when Redis refuses
/// the subscription itself (an ACL without `+subscribe`): waiters then
/// poll at the fallback interval.
fn listen(client: &redis::Client, wake: &Wakeups, timeout: Duration) {
    let mut pause = Duration::from_secs(1);
    loop {
        if wake.state().closed {
            return;
        }
        if let Ok(mut conn) = client.get_connection_with_timeout(timeout) {
            // Subscribe again to everything after a reconnect.
            wake.state().subscribed.clear();
            match listen_on(&mut conn, wake) {
                Err(e) if !e.is_io_error() => {
                    wake.state().refused = true;
                    wake.changed.notify_all();
                    return;
                }
                _ => pause = Duration::from_secs(1),
            }
        }
        if wake.state().closed {
            return;
        }
        // Meanwhile waiters poll.
        std::thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_secs(30));
    }
}

fn listen_on(conn: &mut redis::Connection, wake: &Wakeups) -> redis::RedisResult<()> {
    let mut ps = conn.as_pubsub();
    ps.set_read_timeout(Some(LISTEN_TICK))?;
    loop {
        let todo: Vec<String> = {
            let st = wake.state();
            if st.closed {
                return Ok(());
            }
            st.wanted
                .iter()
                .filter(|c| !st.subscribed.contains(*c))
                .cloned()
                .collect()
        };
        for channel in todo {
            ps.subscribe(&channel)?;
            wake.state().subscribed.insert(channel);
            wake.changed.notify_all();
        }
        match ps.get_message() {
            Ok(msg) => {
                let channel = msg.get_channel_name().to_owned();
                let mut st = wake.state();
                let n = st.seen.entry(channel).or_insert(0);
                *n = n.wrapping_add(1);
                drop(st);
                wake.changed.notify_all();
            }
            Err(e) if e.is_timeout() => {}
            Err(e) => return Err(e),
        }
    }
}

/// `EVAL <script> <keys>` (keys and arguments appended by the caller).
fn eval(script: &str, keys: usize) -> redis::Cmd {
    let mut cmd = redis::cmd("EVAL");
    cmd.arg(script).arg(keys);
    cmd
}

fn backend(reason: String) -> ClientError {
    ClientError::StoreBackend {
        store: "redis",
        reason,
    }
}

/// `op: <kind>: <detail>`, with the URL's password removed, sanitised.
fn scrubbed(op: &str, e: &redis::RedisError, secrets: &[Zeroizing<String>]) -> ClientError {
    let mut text = e.to_string();
    for s in secrets.iter().filter(|s| !s.is_empty()) {
        text = text.replace(s.as_str(), redact::REDACTED);
    }
    backend(format!("{op}: {}", redact::sanitize(&text)))
}

/// `%XX` decoding of a URL's password (the form the server sees).
fn percent_decode(text: &str) -> Result<String, ()> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = bytes.get(i + 1..i + 3).ok_or(())?;
            let hex = core::str::from_utf8(hex).map_err(|_| ())?;
            out.push(u8::from_str_radix(hex, 16).map_err(|_| ())?);
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| ())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn plain_redis_only_to_loopback() {
        assert!(RedisStore::open("redis://127.0.0.1:6379", "p:").is_ok());
        assert!(RedisStore::open("redis://localhost", "").is_ok());
        assert!(RedisStore::open("redis://[::1]:6379", "").is_ok());
        assert!(RedisStore::open("redis://127.0.0.1.example.com", "").is_err());
        assert!(RedisStore::open("rediss://cache.example.com", "").is_ok());
        let e = RedisStore::open("redis://cache.example.com:6379", "").unwrap_err();
        assert!(e.to_string().contains("use rediss://"), "{e}");
        assert!(RedisStore::open_plaintext_unsafe("redis://cache.example.com", "").is_ok());
        let e = RedisStore::open("http://127.0.0.1", "").unwrap_err();
        assert!(
            e.to_string().contains("unsupported URL scheme `http`"),
            "{e}"
        );
    }

    #[test]
    fn keys_carry_the_prefix() {
        let s = RedisStore::open("redis://127.0.0.1", "billing:").unwrap();
        assert_eq!(s.token_key("ab"), "billing:jwtmint:token:ab");
        assert_eq!(s.lock_key("ab"), "billing:jwtmint:lock:ab");
    }

    #[test]
    fn the_password_never_shows() {
        // Nothing listens on port 1: the connect error must not name the password.
        let s = RedisStore::open("redis://:s3cr%21t@127.0.0.1:1", "")
            .unwrap()
            .with_timeout(Duration::from_millis(300))
            .unwrap();
        let e = s.load("ab", 0).unwrap_err();
        let text = format!("{e} {e:?} {s:?}");
        assert!(!text.contains("s3cr"), "{text}");
        assert!(text.starts_with("redis store: connect"), "{text}");
        assert_eq!(percent_decode("s3cr%21t").unwrap(), "s3cr!t");
        assert!(percent_decode("%2").is_err());
    }
}
