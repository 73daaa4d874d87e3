//! The peer-check rule itself (tests/common/peers.rs): a missing Python,
//! Python module or openssl CLI gives one `SKIPPED peer check` line and a
//! passing test, and a failing test under `JWTMINT_REQUIRE_PEERS=1`.
//! The failures are checked in-process on the helper; the skips (whose line
//! goes to the real stderr) and the environment handling end to end, by
//! re-running this test binary with the environment variables set.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::peers::Peers;
use std::process::{Command, Output};

const NO_PYTHON: &str = "/nonexistent/jwtmint-test/python3";
const NO_OPENSSL: &str = "/nonexistent/jwtmint-test/openssl";

fn absent_required() -> Peers {
    Peers {
        python: NO_PYTHON.into(),
        openssl: NO_OPENSSL.into(),
        skip_python: false,
        require: true,
    }
}

fn panic_message(r: std::thread::Result<impl Sized>) -> String {
    match r {
        Ok(_) => panic!("expected a failure"),
        Err(e) => e
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| e.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap(),
    }
}

#[test]
fn missing_peers_fail_under_require() {
    let m = panic_message(std::panic::catch_unwind(|| {
        absent_required().python("selftest", &["json"])
    }));
    assert!(
        m.starts_with("peer check selftest is required (JWTMINT_REQUIRE_PEERS=1) but unavailable: python interpreter '/nonexistent/jwtmint-test/python3' not runnable"),
        "{m}"
    );
    let m = panic_message(std::panic::catch_unwind(|| {
        absent_required().openssl("selftest")
    }));
    assert!(
        m.contains("openssl CLI '/nonexistent/jwtmint-test/openssl' not runnable"),
        "{m}"
    );
    let skip = Peers {
        python: "python3".into(),
        skip_python: true,
        ..absent_required()
    };
    let m = panic_message(std::panic::catch_unwind(|| skip.python("selftest", &[])));
    assert!(m.ends_with("unavailable: JWTMINT_SKIP_PYTHON=1"), "{m}");
}

/// Not a test of its own: run by the tests below in a child process, with the
/// peer configuration in its environment.
#[test]
#[ignore = "child process of peers::env_* tests"]
fn probe() {
    let modules = std::env::var("JWTMINT_TEST_PROBE_MODULES").unwrap_or_default();
    let modules: Vec<&str> = modules.split(',').filter(|m| !m.is_empty()).collect();
    if common::peers::python("probe-python", &modules).is_some() {
        println!("PROBE python available");
    }
    if common::peers::openssl("probe-openssl").is_some() {
        println!("PROBE openssl available");
    }
}

fn run_probe(envs: &[(&str, &str)]) -> (Output, String) {
    let mut c = Command::new(std::env::current_exe().unwrap());
    c.args([
        "--exact",
        "probe",
        "--ignored",
        "--nocapture",
        "--test-threads=1",
    ]);
    for v in [
        "JWTMINT_PYTHON",
        "JWTMINT_OPENSSL",
        "JWTMINT_SKIP_PYTHON",
        "JWTMINT_REQUIRE_PEERS",
        "JWTMINT_TEST_PROBE_MODULES",
    ] {
        c.env_remove(v);
    }
    c.envs(envs.iter().copied());
    let out = c.output().unwrap();
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out, all)
}

fn skipped_lines(all: &str) -> Vec<&str> {
    all.lines()
        .filter(|l| l.starts_with("SKIPPED peer check"))
        .collect()
}

#[test]
fn env_absent_peers_skip_loudly_one_line_each() {
    let (out, all) = run_probe(&[
        ("JWTMINT_PYTHON", NO_PYTHON),
        ("JWTMINT_OPENSSL", NO_OPENSSL),
    ]);
    assert!(out.status.success(), "{all}");
    let lines = skipped_lines(&all);
    assert_eq!(lines.len(), 2, "{all}");
    assert!(
        lines[0].starts_with(&format!(
            "SKIPPED peer check probe-python: python interpreter '{NO_PYTHON}' not runnable: "
        )),
        "{all}"
    );
    assert!(
        lines[1].starts_with(&format!(
            "SKIPPED peer check probe-openssl: openssl CLI '{NO_OPENSSL}' not runnable: "
        )),
        "{all}"
    );
    assert!(!all.contains("PROBE"), "{all}");
}

#[test]
fn env_absent_peer_fails_under_require_peers() {
    let (out, all) = run_probe(&[
        ("JWTMINT_PYTHON", NO_PYTHON),
        ("JWTMINT_REQUIRE_PEERS", "1"),
    ]);
    assert!(!out.status.success(), "{all}");
    assert!(
        all.contains("peer check probe-python is required (JWTMINT_REQUIRE_PEERS=1) but unavailable: python interpreter"),
        "{all}"
    );
    assert!(skipped_lines(&all).is_empty(), "{all}");
}

#[test]
fn env_missing_python_module_is_named() {
    // Needs a working interpreter: itself a peer (skips loudly without one).
    let Some(python) = common::peers::python("peers self-test (module probe)", &[]) else {
        return;
    };
    let py = python.get_program().to_str().unwrap().to_owned();
    let modules = ("JWTMINT_TEST_PROBE_MODULES", "json,jwtmint_no_such_module");
    let (out, all) = run_probe(&[("JWTMINT_PYTHON", &py), modules]);
    assert!(out.status.success(), "{all}");
    assert!(
        all.contains(&format!(
            "SKIPPED peer check probe-python: python module 'jwtmint_no_such_module' not installed ({py})"
        )),
        "{all}"
    );
    let (out, all) = run_probe(&[
        ("JWTMINT_PYTHON", &py),
        modules,
        ("JWTMINT_REQUIRE_PEERS", "1"),
    ]);
    assert!(!out.status.success(), "{all}");
    assert!(
        all.contains("python module 'jwtmint_no_such_module' not installed"),
        "{all}"
    );
    // With only modules that exist, the interpreter is handed out.
    let (out, all) = run_probe(&[
        ("JWTMINT_PYTHON", &py),
        ("JWTMINT_TEST_PROBE_MODULES", "json"),
        ("JWTMINT_REQUIRE_PEERS", "1"),
        ("JWTMINT_OPENSSL", NO_OPENSSL),
    ]);
    assert!(!out.status.success(), "openssl is required here: {all}");
    assert!(all.contains("PROBE python available"), "{all}");
}

#[test]
fn env_skip_python_flag_is_the_same_skip() {
    let (out, all) = run_probe(&[
        ("JWTMINT_SKIP_PYTHON", "1"),
        ("JWTMINT_OPENSSL", NO_OPENSSL),
    ]);
    assert!(out.status.success(), "{all}");
    assert_eq!(
        skipped_lines(&all)[0],
        "SKIPPED peer check probe-python: JWTMINT_SKIP_PYTHON=1",
        "{all}"
    );
    assert!(!all.contains("PROBE python available"), "{all}");
}
