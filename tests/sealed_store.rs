//! `SealedStore` (features `client` + `seal`): the cache file holds no token
//! bytes; a record moved to another identity, tampered with, or sealed
//! under another key is absent, and the session then fetches a fresh token.
#![cfg(all(feature = "client", feature = "seal"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod session_util;

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use jwtmint::client::ClientError;
use jwtmint::client::file_store::{FileStore, RecordFile};
use jwtmint::client::sealed_store::SealedStore;
use jwtmint::client::store::{LockToken, Store, StoredRecord};
use jwtmint::seal::SealKey;
use jwtmint::session::{Action, Config, Session};

use session_util::{FakeKey, S, fetch, grant_profile, unsigned_jwt};

const T0: i64 = 1_700_000_000;

/// A Redis-like in-memory store (values as given, by key).
#[derive(Default)]
struct Memory(Mutex<HashMap<String, Value>>);

/// (record, stored_at, expires_at)
type Value = (Vec<u8>, i64, i64);

impl Store for Memory {
    fn load(&self, key: &str, now: i64) -> Result<Option<StoredRecord>, ClientError> {
        Ok(self
            .0
            .lock()
            .unwrap()
            .get(key)
            .filter(|(_, _, exp)| *exp > now)
            .map(|(v, at, exp)| StoredRecord {
                record: v.clone().into(),
                stored_at: *at,
                expires_at: *exp,
            }))
    }
    fn save(&self, key: &str, record: &[u8], expires_at: i64, now: i64) -> Result<(), ClientError> {
        self.0
            .lock()
            .unwrap()
            .insert(key.to_owned(), (record.to_vec(), now, expires_at));
        Ok(())
    }
    fn try_lock(&self, _: &str, _: Duration) -> Result<Option<LockToken>, ClientError> {
        Ok(Some(LockToken::from_string("t".into())))
    }
    fn unlock(&self, _: &str, _: &LockToken) -> Result<(), ClientError> {
        Ok(())
    }
}

fn key(b: u8) -> SealKey {
    SealKey::from_bytes([b; 32])
}

/// A session holding a JWT access token and a refresh token; its store key
/// and encoded record.
fn record(token: &str) -> (String, Vec<u8>) {
    let p = grant_profile();
    let mut s: S<'_, _> = Session::new(&p, &FakeKey, Config::new());
    let t = fetch(s.poll(T0)).ticket;
    let body =
        format!(r#"{{"access_token":"{token}","refresh_token":"rt-SECRET-9","expires_in":3600}}"#);
    s.complete(T0, t, 200, body.as_bytes());
    let mut buf = vec![0u8; 8192];
    let n = s.encode_record(&mut buf).unwrap();
    (hex::encode(s.identity()), buf[..n].to_vec())
}

#[test]
fn the_cache_file_holds_no_token_bytes_and_round_trips() {
    let token = unsigned_jwt(r#"{"sub":"u","exp":1900000000}"#);
    let (id, rec) = record(&token);
    assert!(String::from_utf8_lossy(&rec).contains(&token));
    let dir = std::env::temp_dir().join(format!("jwtmint-sealed-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
    }
    let path = dir.join("cache.json");
    let store = SealedStore::new(FileStore::new(&path), key(1));
    store.save(&id, &rec, T0 + 3600, T0).unwrap();
    // The file is the file store's JSON with the record in Base64Url:
    // look at the raw bytes and at the decoded record.
    let contains = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).any(|w| w == needle);
    let raw = std::fs::read(&path).unwrap();
    let inner = RecordFile::parse(&raw).unwrap();
    let needles: [&[u8]; 4] = [token.as_bytes(), b"rt-SECRET-9", b"eyJ", b"access_token"];
    for needle in needles {
        assert!(!contains(&raw, needle) && !contains(&inner.record, needle));
    }
    // Control: the same save through the plain file store holds them.
    let plain_path = dir.join("plain.json");
    FileStore::new(&plain_path)
        .save(&id, &rec, T0 + 3600, T0)
        .unwrap();
    let plain = RecordFile::parse(&std::fs::read(&plain_path).unwrap()).unwrap();
    assert!(needles.iter().all(|n| contains(&plain.record, n)));
    let back = store.load(&id, T0 + 1).unwrap().unwrap();
    assert_eq!(&back.record[..], &rec[..]);
    assert_eq!((back.stored_at, back.expires_at), (T0, T0 + 3600));
    // The session adopts it.
    let p = grant_profile();
    let mut s: S<'_, _> = Session::new(&p, &FakeKey, Config::new());
    assert_eq!(s.restore(T0 + 1, &back.record).unwrap(), T0 + 3600);
    assert!(matches!(s.poll(T0 + 2), Action::Use(c) if c.token == token));

    // Another key over the same file: absent, and the session fetches.
    let wrong = SealedStore::new(FileStore::new(&path), key(2));
    assert!(wrong.load(&id, T0 + 1).unwrap().is_none());
    let mut fresh: S<'_, _> = Session::new(&p, &FakeKey, Config::new());
    assert!(matches!(fresh.poll(T0 + 2), Action::Fetch(_)));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn moved_tampered_or_unsealed_records_are_absent() {
    let (id, rec) = record("opaque-access-token-1");
    let other = "0".repeat(64);
    let store = SealedStore::new(Memory::default(), key(1));
    store.save(&id, &rec, T0 + 3600, T0).unwrap();
    let sealed = store.inner().load(&id, T0).unwrap().unwrap();
    assert!(
        !sealed
            .record
            .windows(21)
            .any(|w| w == b"opaque-access-token-1")
    );

    // Copied under another identity (as a Redis value could be).
    store
        .inner()
        .save(&other, &sealed.record, T0 + 3600, T0)
        .unwrap();
    assert!(store.load(&other, T0).unwrap().is_none());
    assert!(store.load(&id, T0).unwrap().is_some());

    // Tampered: one bit anywhere.
    for i in [0, 4, 20, 40, sealed.record.len() - 1] {
        let mut t = sealed.record.to_vec();
        t[i] ^= 0x80;
        store.inner().save(&id, &t, T0 + 3600, T0).unwrap();
        assert!(store.load(&id, T0).unwrap().is_none(), "byte {i}");
    }

    // A plain record someone else wrote: absent, not trusted.
    store.inner().save(&id, &rec, T0 + 3600, T0).unwrap();
    assert!(store.load(&id, T0).unwrap().is_none());

    // Expired in the inner store: absent as before.
    store.save(&id, &rec, T0 + 10, T0).unwrap();
    assert!(store.load(&id, T0 + 11).unwrap().is_none());
    let dbg = format!("{:?}", SealedStore::new(FileStore::new("x"), key(1)));
    assert!(dbg.contains("SealKey(<redacted>)"), "{dbg}");
}
