//! Peer checks: tests that compare jwtmint with an independent implementation
//! run outside Rust (PyJWT, pyca/cryptography, google-auth, Authlib, the
//! openssl CLI). This is the one place that decides whether a peer is there.
//!
//! A missing interpreter, module or tool makes the test print ONE line to
//! stderr (uncaptured, so it shows in a passing `cargo test`),
//! `SKIPPED peer check <name>: <reason>`, and return early, so plain
//! `cargo test` passes on a machine with Rust alone. With
//! `JWTMINT_REQUIRE_PEERS=1` (set by `.ci/run`) a missing peer fails the test.
//!
//! Environment:
//! - `JWTMINT_PYTHON` — the interpreter (default `python3`);
//! - `JWTMINT_OPENSSL` — the openssl CLI (default `openssl`);
//! - `JWTMINT_SKIP_PYTHON=1` — treat Python as missing (the same loud skip;
//!   still a failure under `JWTMINT_REQUIRE_PEERS=1`);
//! - `JWTMINT_REQUIRE_PEERS=1` — a missing peer is a failure.

use std::ffi::OsString;
use std::process::Command;

/// Where the peers are and what to do when one is missing.
#[derive(Clone, Debug)]
pub struct Peers {
    pub python: OsString,
    pub openssl: OsString,
    pub skip_python: bool,
    pub require: bool,
}

fn flag(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| v == "1")
}

impl Peers {
    /// The configuration from the environment (see the module docs).
    pub fn from_env() -> Self {
        Self {
            python: std::env::var_os("JWTMINT_PYTHON").unwrap_or_else(|| "python3".into()),
            openssl: std::env::var_os("JWTMINT_OPENSSL").unwrap_or_else(|| "openssl".into()),
            skip_python: flag("JWTMINT_SKIP_PYTHON"),
            require: flag("JWTMINT_REQUIRE_PEERS"),
        }
    }

    /// A `Command` for the Python interpreter, once it runs and imports every
    /// module of `modules`; `None` (after the loud line) when it cannot.
    ///
    /// # Panics
    /// When the peer is missing and `require` is set.
    pub fn python(&self, name: &str, modules: &[&str]) -> Option<Command> {
        let py = self.python.to_string_lossy().into_owned();
        if self.skip_python {
            return self.missing(name, "JWTMINT_SKIP_PYTHON=1");
        }
        const PROBE: &str = "import importlib, sys\n\
            for m in sys.argv[1:]:\n    \
                try:\n        importlib.import_module(m)\n    \
                except ImportError:\n        print(m)\n        sys.exit(3)\n";
        let out = match Command::new(&self.python)
            .args(["-c", PROBE])
            .args(modules)
            .output()
        {
            Ok(out) => out,
            Err(e) => {
                return self.missing(
                    name,
                    &format!("python interpreter '{py}' not runnable: {e}"),
                );
            }
        };
        match out.status.code() {
            Some(0) => Some(Command::new(&self.python)),
            Some(3) => {
                let m = String::from_utf8_lossy(&out.stdout).trim().to_owned();
                self.missing(name, &format!("python module '{m}' not installed ({py})"))
            }
            _ => self.missing(
                name,
                &format!(
                    "python interpreter '{py}' failed ({}): {}",
                    out.status,
                    String::from_utf8_lossy(&out.stderr).trim()
                ),
            ),
        }
    }

    /// A `Command` for the openssl CLI once `openssl version` runs; `None`
    /// (after the loud line) when it does not.
    ///
    /// # Panics
    /// When the peer is missing and `require` is set.
    pub fn openssl(&self, name: &str) -> Option<Command> {
        let bin = self.openssl.to_string_lossy().into_owned();
        match Command::new(&self.openssl).arg("version").output() {
            Ok(o) if o.status.success() => Some(Command::new(&self.openssl)),
            Ok(o) => self.missing(name, &format!("'{bin} version' failed ({})", o.status)),
            Err(e) => self.missing(name, &format!("openssl CLI '{bin}' not runnable: {e}")),
        }
    }

    /// The one loud line, or the failure under `require`.
    fn missing<T>(&self, name: &str, reason: &str) -> Option<T> {
        assert!(
            !self.require,
            "peer check {name} is required (JWTMINT_REQUIRE_PEERS=1) but unavailable: {reason}"
        );
        // Straight to the process's stderr: libtest captures `eprintln!` of
        // passing tests, and this line must be seen in every run.
        use std::io::Write;
        let _ = writeln!(std::io::stderr(), "SKIPPED peer check {name}: {reason}");
        None
    }
}

/// [`Peers::python`] with the environment's configuration.
pub fn python(name: &str, modules: &[&str]) -> Option<Command> {
    Peers::from_env().python(name, modules)
}

/// [`Peers::openssl`] with the environment's configuration.
pub fn openssl(name: &str) -> Option<Command> {
    Peers::from_env().openssl(name)
}

impl Peers {
    /// A `Command` for `redis-server` (`JWTMINT_REDIS_SERVER`, default
    /// `redis-server`) once `redis-server --version` runs; `None` (after the
    /// loud line) when it does not.
    ///
    /// # Panics
    /// When the peer is missing and `require` is set.
    pub fn redis_server(&self, name: &str) -> Option<Command> {
        let bin = std::env::var_os("JWTMINT_REDIS_SERVER").unwrap_or_else(|| "redis-server".into());
        let shown = bin.to_string_lossy().into_owned();
        match Command::new(&bin).arg("--version").output() {
            Ok(o) if o.status.success() => Some(Command::new(&bin)),
            Ok(o) => self.missing(name, &format!("'{shown} --version' failed ({})", o.status)),
            Err(e) => self.missing(name, &format!("redis-server '{shown}' not runnable: {e}")),
        }
    }
}

/// [`Peers::redis_server`] with the environment's configuration.
pub fn redis_server(name: &str) -> Option<Command> {
    Peers::from_env().redis_server(name)
}
