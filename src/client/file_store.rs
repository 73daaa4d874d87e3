//! The token cache file: a [`Store`] holding one record in one file.
//!
//! Trust: a file is only read when it is a regular file (not a symlink),
//! owned by the current user and not readable or writable by group or
//! others (mode 0600 or narrower); anything else is
//! [`ClientError::StoreUntrusted`] (callers warn and fetch). Writes are
//! atomic: a temp file (0600, `create_new`) in the same directory, synced,
//! renamed over; on any failure the temp file is removed. A missing parent
//! directory is created with mode 0700.
//!
//! Format (one JSON object, written and read by this module only):
//! `{"jwtmint_record":1,"key":"<hex identity>","stored_at":S,"expires_at":E,"record":"<base64url>"}`.
//!
//! Lock: `<file>.lock`, held with `flock(LOCK_EX | LOCK_NB)` for as long as
//! the holder keeps the [`LockToken`]. A crashed holder's lock is released
//! by the kernel at once (stale locks cannot outlive their process); a live
//! holder is bounded by its own request timeout. The TTL argument is
//! therefore not needed here.

#[allow(unused_imports)]
use std::prelude::rust_2024::*;
#[allow(unused_imports)]
use std::{format, vec};

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use zeroize::Zeroizing;

use super::error::ClientError;
use super::store::{LockToken, Store, StoredRecord};
use crate::error::JsonPart;
use crate::json::check;
use crate::json::view::raw_string;

/// Largest cache file read (a record is a few KB).
pub const MAX_FILE_LEN: usize = 256 * 1024;

/// Format version written in `jwtmint_record`.
const VERSION: i64 = 1;

/// One parsed cache file.
#[derive(Clone, PartialEq, Eq)]
pub struct RecordFile {
    /// The identity the record was stored under.
    pub key: String,
    /// When it was stored (seconds since 1970).
    pub stored_at: i64,
    /// When it expires.
    pub expires_at: i64,
    /// The record bytes (wiped on drop).
    pub record: Zeroizing<Vec<u8>>,
}

crate::secret::debug_redacted!(RecordFile {
    key,
    stored_at,
    expires_at,
    record: secret,
});

impl RecordFile {
    /// Parses a cache file's bytes.
    ///
    /// # Errors
    /// A short reason: not UTF-8, not a JSON object (strict: no duplicate
    /// names), unknown version, a member missing or of the wrong type, a key
    /// that is not lower-case hex, `expires_at` before `stored_at`, a record
    /// that is not Base64Url.
    pub fn parse(bytes: &[u8]) -> Result<Self, &'static str> {
        let text = core::str::from_utf8(bytes).map_err(|_| "not UTF-8")?;
        let mut version = None;
        let (mut key, mut stored_at, mut expires_at, mut record) = (None, None, None, None);
        check::validate_object_with(text, JsonPart::TokenResponse, |k, v| {
            if k.eq_str("jwtmint_record") {
                version = v.parse::<i64>().ok();
            } else if k.eq_str("key") {
                key = raw_string(v).and_then(|s| s.as_str());
            } else if k.eq_str("stored_at") {
                stored_at = v.parse::<i64>().ok();
            } else if k.eq_str("expires_at") {
                expires_at = v.parse::<i64>().ok();
            } else if k.eq_str("record") {
                record = raw_string(v).and_then(|s| s.as_str());
            }
            Ok(())
        })
        .map_err(|_| "not a strict JSON object")?;
        if version != Some(VERSION) {
            return Err("unknown or missing jwtmint_record version");
        }
        let key = key.ok_or("`key` missing or not a plain string")?;
        if key.is_empty()
            || key.len() > 128
            || !key
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            return Err("`key` is not lower-case hex");
        }
        let stored_at = stored_at.ok_or("`stored_at` missing or not an integer")?;
        let expires_at = expires_at.ok_or("`expires_at` missing or not an integer")?;
        if expires_at < stored_at {
            return Err("`expires_at` is before `stored_at`");
        }
        let b64 = record.ok_or("`record` missing or not a plain string")?;
        let mut out = Zeroizing::new(vec![0u8; b64.len() / 4 * 3 + 3]);
        let n = crate::base64url::decode(b64.as_bytes(), &mut out)
            .map_err(|_| "`record` is not Base64Url")?;
        out.truncate(n);
        Ok(Self {
            key: key.to_owned(),
            stored_at,
            expires_at,
            record: out,
        })
    }

    /// The file's bytes (the inverse of [`RecordFile::parse`]).
    pub fn to_bytes(&self) -> Zeroizing<Vec<u8>> {
        let mut b64 = Zeroizing::new(vec![0u8; self.record.len().div_ceil(3) * 4]);
        let n = crate::base64url::encode(&self.record, &mut b64).unwrap_or(0);
        let b64 = b64.get(..n).unwrap_or_default();
        let mut out = Zeroizing::new(Vec::with_capacity(n + self.key.len() + 96));
        out.extend_from_slice(b"{\"jwtmint_record\":1,\"key\":\"");
        // The key is hex (checked by `save`): nothing to escape.
        out.extend_from_slice(self.key.as_bytes());
        out.extend_from_slice(b"\",\"stored_at\":");
        out.extend_from_slice(itoa::Buffer::new().format(self.stored_at).as_bytes());
        out.extend_from_slice(b",\"expires_at\":");
        out.extend_from_slice(itoa::Buffer::new().format(self.expires_at).as_bytes());
        out.extend_from_slice(b",\"record\":\"");
        out.extend_from_slice(b64);
        out.extend_from_slice(b"\"}\n");
        out
    }
}

/// The cache file store. Thread-safe; locks are per [`LockToken`].
#[derive(Debug)]
pub struct FileStore {
    path: PathBuf,
    held: Mutex<HashMap<String, File>>,
}

impl FileStore {
    /// A store in the file `path` (created on first save).
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self {
            path: path.into(),
            held: Mutex::new(HashMap::new()),
        }
    }

    /// The cache file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn lock_path(&self) -> PathBuf {
        let mut p = self.path.clone().into_os_string();
        p.push(".lock");
        PathBuf::from(p)
    }

    fn dir(&self) -> &Path {
        self.path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
    }

    /// Reads the file if it is ours; `Ok(None)` when it does not exist.
    fn read_trusted(&self) -> Result<Option<RecordFile>, ClientError> {
        let path = &self.path;
        let file = match open_nofollow(OpenOptions::new().read(true), path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) if is_symlink(path) => {
                let _ = e;
                return Err(untrusted(path, "it is a symbolic link".into()));
            }
            Err(e) => return Err(ClientError::store_io("read", path, &e)),
        };
        let meta = file
            .metadata()
            .map_err(|e| ClientError::store_io("read", path, &e))?;
        if !meta.is_file() {
            return Err(untrusted(path, "it is not a regular file".into()));
        }
        check_owner_mode(path, &meta)?;
        let mut bytes = Zeroizing::new(Vec::new());
        file.take(u64::try_from(MAX_FILE_LEN).unwrap_or(u64::MAX) + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| ClientError::store_io("read", path, &e))?;
        if bytes.len() > MAX_FILE_LEN {
            return Err(ClientError::StoreCorrupt {
                path: path.clone(),
                reason: "larger than 256 KiB",
            });
        }
        RecordFile::parse(&bytes)
            .map(Some)
            .map_err(|reason| ClientError::StoreCorrupt {
                path: path.clone(),
                reason,
            })
    }

    /// Creates the parent directory (0700) when it is missing.
    fn ensure_dir(&self) -> Result<(), ClientError> {
        let dir = self.dir();
        if dir.is_dir() {
            return Ok(());
        }
        let mut b = std::fs::DirBuilder::new();
        b.recursive(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            b.mode(0o700);
        }
        b.create(dir)
            .map_err(|e| ClientError::store_io("create directory", dir, &e))
    }
}

impl Store for FileStore {
    fn load(&self, key: &str, now: i64) -> Result<Option<StoredRecord>, ClientError> {
        let Some(file) = self.read_trusted()? else {
            return Ok(None);
        };
        // Another identity's record, an expired one, or one stored "in the
        // future" (the clock went backwards): not for us.
        if file.key != key || file.expires_at <= now || file.stored_at > now {
            return Ok(None);
        }
        Ok(Some(StoredRecord {
            record: file.record,
            stored_at: file.stored_at,
            expires_at: file.expires_at,
        }))
    }

    fn save(&self, key: &str, record: &[u8], expires_at: i64, now: i64) -> Result<(), ClientError> {
        let file = RecordFile {
            key: key.to_owned(),
            stored_at: now,
            expires_at,
            record: Zeroizing::new(record.to_vec()),
        };
        // What is written must read back (hex key, expiry after storing).
        let bytes = file.to_bytes();
        RecordFile::parse(&bytes).map_err(|reason| ClientError::StoreCorrupt {
            path: self.path.clone(),
            reason,
        })?;
        self.ensure_dir()?;
        write_atomic(&self.path, self.dir(), &bytes)
    }

    fn try_lock(&self, _key: &str, _ttl: Duration) -> Result<Option<LockToken>, ClientError> {
        self.ensure_dir()?;
        let path = self.lock_path();
        let mut opts = OpenOptions::new();
        opts.read(true).write(true).create(true).truncate(false);
        let file = open_nofollow(&mut opts, &path)
            .map_err(|e| ClientError::store_io("open lock", &path, &e))?;
        if !try_flock(&file).map_err(|e| ClientError::store_io("lock", &path, &e))? {
            return Ok(None);
        }
        let token = LockToken::random()?;
        self.held
            .lock()
            .map_err(|_| poisoned(&path))?
            .insert(token.as_str().to_owned(), file);
        Ok(Some(token))
    }

    /// Under the file's fetch lock (a peer holding it is about to save a
    /// new record: then the file is left alone, `Ok(false)`): read, compare,
    /// unlink.
    fn remove_if_holds(&self, key: &str, token_digest: &[u8; 32]) -> Result<bool, ClientError> {
        let Some(lock) = self.try_lock(key, Duration::from_secs(5))? else {
            return Ok(false);
        };
        let removed = (|| {
            let Some(file) = self.read_trusted()? else {
                return Ok(false);
            };
            if file.key != key || !crate::session::record_holds(&file.record, token_digest) {
                return Ok(false);
            }
            match std::fs::remove_file(&self.path) {
                Ok(()) => Ok(true),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
                Err(e) => Err(ClientError::store_io("remove", &self.path, &e)),
            }
        })();
        self.unlock(key, &lock)?;
        removed
    }

    fn unlock(&self, _key: &str, token: &LockToken) -> Result<(), ClientError> {
        // Dropping the file closes it, which releases the flock.
        let file = self
            .held
            .lock()
            .map_err(|_| poisoned(&self.lock_path()))?
            .remove(token.as_str());
        drop(file);
        Ok(())
    }
}

fn poisoned(path: &Path) -> ClientError {
    ClientError::StoreBackend {
        store: "file",
        reason: format!("lock table for {} poisoned", path.display()),
    }
}

fn untrusted(path: &Path, reason: String) -> ClientError {
    ClientError::StoreUntrusted {
        path: path.to_path_buf(),
        reason,
    }
}

fn is_symlink(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

/// Writes `bytes` to `path` atomically (temp file 0600 + fsync + rename);
/// the temp file never survives a failure.
fn write_atomic(path: &Path, dir: &Path, bytes: &[u8]) -> Result<(), ClientError> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("jwtmint-cache");
    let tag = LockToken::random()?;
    let tmp = dir.join(format!(
        ".{name}.{}.{}.tmp",
        std::process::id(),
        tag.as_str().get(..8).unwrap_or_default()
    ));
    let mut opts = OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts
        .open(&tmp)
        .map_err(|e| ClientError::store_io("create", &tmp, &e))?;
    let written = f
        .write_all(bytes)
        .and_then(|()| f.sync_all())
        .map_err(|e| ClientError::store_io("write", &tmp, &e));
    drop(f);
    let renamed = written.and_then(|()| {
        std::fs::rename(&tmp, path).map_err(|e| ClientError::store_io("rename", path, &e))
    });
    if renamed.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    renamed
}

#[cfg(unix)]
fn open_nofollow(opts: &mut OpenOptions, path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    let flag = i32::try_from(rustix::fs::OFlags::NOFOLLOW.bits()).unwrap_or(0);
    opts.mode(0o600).custom_flags(flag).open(path)
}

#[cfg(not(unix))]
fn open_nofollow(opts: &mut OpenOptions, path: &Path) -> std::io::Result<File> {
    opts.open(path)
}

/// Owner must be the effective user; no group/other permission bits.
#[cfg(unix)]
fn check_owner_mode(path: &Path, meta: &std::fs::Metadata) -> Result<(), ClientError> {
    use std::os::unix::fs::MetadataExt;
    let me = rustix::process::geteuid().as_raw();
    if meta.uid() != me {
        return Err(untrusted(
            path,
            format!(
                "it is owned by uid {}, not by the current user (uid {me})",
                meta.uid()
            ),
        ));
    }
    let mode = meta.mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(untrusted(
            path,
            format!("its mode is {mode:04o}, wider than 0600 (chmod 600 it or delete it)"),
        ));
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_owner_mode(_path: &Path, _meta: &std::fs::Metadata) -> Result<(), ClientError> {
    Ok(())
}

/// `flock(LOCK_EX | LOCK_NB)`: `Ok(false)` when someone else holds it.
#[cfg(unix)]
fn try_flock(file: &File) -> std::io::Result<bool> {
    match rustix::fs::flock(file, rustix::fs::FlockOperation::NonBlockingLockExclusive) {
        Ok(()) => Ok(true),
        Err(rustix::io::Errno::WOULDBLOCK) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(unix))]
fn try_flock(_file: &File) -> std::io::Result<bool> {
    Ok(true)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    /// A fresh directory for one test, removed when the test ends (passed
    /// or failed).
    struct TestDir(PathBuf);

    impl Drop for TestDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    impl core::ops::Deref for TestDir {
        type Target = Path;
        fn deref(&self) -> &Path {
            &self.0
        }
    }

    fn dir(tag: &str) -> TestDir {
        let d = std::env::temp_dir().join(format!("jwtmint-fs-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        TestDir(d)
    }

    #[test]
    fn round_trip_and_identity() {
        let d = dir("rt");
        let s = FileStore::new(d.join("sub/cache.json"));
        assert_eq!(s.load("ab", 100).unwrap(), None);
        s.save("ab", b"\x00secret\xff", 200, 100).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let m = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(m(&d.join("sub")), 0o700);
            assert_eq!(m(s.path()), 0o600);
        }
        let got = s.load("ab", 150).unwrap().unwrap();
        assert_eq!(&got.record[..], b"\x00secret\xff");
        assert_eq!(got.expires_at, 200);
        assert_eq!(s.load("cd", 150).unwrap(), None, "another identity");
        assert_eq!(s.load("ab", 200).unwrap(), None, "expired");
        assert_eq!(s.load("ab", 99).unwrap(), None, "stored in the future");
        assert!(
            std::fs::read_dir(d.join("sub")).unwrap().all(|e| !e
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".tmp"))
        );
    }

    #[cfg(unix)]
    #[test]
    fn wide_mode_and_symlink_are_refused() {
        use std::os::unix::fs::PermissionsExt;
        let d = dir("mode");
        let s = FileStore::new(d.join("c.json"));
        s.save("ab", b"x", 200, 100).unwrap();
        std::fs::set_permissions(s.path(), std::fs::Permissions::from_mode(0o620)).unwrap();
        let e = s.load("ab", 150).unwrap_err();
        assert!(
            e.to_string().contains("its mode is 0620, wider than 0600"),
            "{e}"
        );
        let link = FileStore::new(d.join("link.json"));
        std::os::unix::fs::symlink(s.path(), link.path()).unwrap();
        let e = link.load("ab", 150).unwrap_err();
        assert!(e.to_string().contains("symbolic link"), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn lock_is_exclusive_until_unlocked() {
        let d = dir("lock");
        let a = FileStore::new(d.join("c.json"));
        let b = FileStore::new(d.join("c.json"));
        let t = a.try_lock("ab", Duration::from_secs(5)).unwrap().unwrap();
        assert!(b.try_lock("ab", Duration::from_secs(5)).unwrap().is_none());
        a.unlock("ab", &t).unwrap();
        let t2 = b.try_lock("ab", Duration::from_secs(5)).unwrap().unwrap();
        b.unlock("ab", &t2).unwrap();
    }

    #[test]
    fn parse_refuses_what_we_never_write() {
        for (bad, why) in [
            (&b"\xff"[..], "not UTF-8"),
            (b"{}", "unknown or missing jwtmint_record version"),
            (
                br#"{"jwtmint_record":1,"key":"AB","stored_at":1,"expires_at":2,"record":""}"#,
                "`key` is not lower-case hex",
            ),
            (
                br#"{"jwtmint_record":1,"key":"ab","stored_at":3,"expires_at":2,"record":""}"#,
                "`expires_at` is before `stored_at`",
            ),
            (
                br#"{"jwtmint_record":1,"key":"ab","stored_at":1,"expires_at":2,"record":"!"}"#,
                "`record` is not Base64Url",
            ),
            (
                br#"{"jwtmint_record":1,"jwtmint_record":1}"#,
                "not a strict JSON object",
            ),
        ] {
            assert_eq!(RecordFile::parse(bad).unwrap_err(), why);
        }
    }
}
