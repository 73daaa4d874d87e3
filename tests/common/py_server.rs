//! A local Python server started by a test (tests/py/*_server.py,
//! tests/py/custom_idp.py): spawned through the peer rule, its port read
//! from its first stdout line `PORT <n>`, killed when dropped; plus a plain
//! HTTP/1.0 client for talking to it (the test transport).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A running local server.
pub struct PyServer {
    child: Child,
    pub port: u16,
}

impl Drop for PyServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl PyServer {
    /// Runs `python` (from `peers::python`) on `tests/py/<script>` with
    /// `args`, from the repository root, and waits (at most 20 s) for its
    /// port; a server that does not start fails the test with its stderr.
    pub fn start(mut python: Command, script: &str, args: &[&std::ffi::OsStr]) -> Self {
        let root = super::repo_root();
        let mut child = python
            .arg(root.join("tests/py").join(script))
            .args(args)
            .current_dir(&root)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = out.read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = rx.recv_timeout(Duration::from_secs(20)).unwrap_or_default();
        let Some(port) = line
            .strip_prefix("PORT ")
            .and_then(|p| p.trim().parse().ok())
        else {
            let _ = child.kill();
            let mut err = String::new();
            let _ = child.stderr.take().unwrap().read_to_string(&mut err);
            panic!("{script} did not start (pip install authlib flask?): {line}\n{err}");
        };
        // Drain the server's log so that a full pipe never blocks it.
        if let Some(mut err) = child.stderr.take() {
            std::thread::spawn(move || std::io::copy(&mut err, &mut std::io::sink()));
        }
        Self { child, port }
    }

    /// One HTTP/1.0 request with `headers`; (status, body).
    pub fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> (u16, Vec<u8>) {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let mut head = format!("{method} {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n");
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
        s.write_all(head.as_bytes()).unwrap();
        s.write_all(body).unwrap();
        let mut resp = Vec::new();
        s.read_to_end(&mut resp).unwrap();
        let split = resp.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
        let head = std::str::from_utf8(&resp[..split]).unwrap();
        let status = head.split(' ').nth(1).unwrap().parse().unwrap();
        (status, resp[split + 4..].to_vec())
    }

    /// A form POST / plain GET (the session tests' shorthand).
    pub fn http(&self, method: &str, path: &str, body: &[u8]) -> (u16, Vec<u8>) {
        let form = [("Content-Type", "application/x-www-form-urlencoded")];
        self.request(method, path, &form, body)
    }
}
