//! The non-standard identity provider of issue 17 (`tests/py/custom_idp.py`,
//! Authlib: password, refresh token, previous-token renewal, an API) on
//! 127.0.0.1 with its password in a private temporary file; killed and
//! cleaned up on drop. Used by tests/custom_idp.rs and cli/tests/custom.rs.

use std::ffi::OsStr;
use std::path::PathBuf;

use super::py_server::PyServer;

/// The running IdP.
pub struct CustomIdp {
    pub server: PyServer,
    /// A 0700 temporary directory holding `password`.
    pub dir: PathBuf,
}

impl Drop for CustomIdp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl CustomIdp {
    /// Starts it for user `alice` with `password`, requiring `X-Api-Key:
    /// api_key`, its 12 h tokens divided by `scale`, no `expires_in`.
    /// `None` (after the peer helper's loud line) without Python + Authlib.
    pub fn start(test: &str, password: &str, api_key: &str, scale: u32) -> Option<Self> {
        let python = super::peers::python(
            &format!("{test} (Authlib password/refresh/previous-token IdP)"),
            &["authlib", "flask", "werkzeug"],
        )?;
        let dir =
            std::env::temp_dir().join(format!("jwtmint-custom-idp-{}-{test}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
        }
        let pw = dir.join("password");
        std::fs::write(&pw, format!("{password}\n")).unwrap();
        let scale = scale.to_string();
        let args = [
            OsStr::new("--password-file"),
            pw.as_os_str(),
            OsStr::new("--api-key"),
            OsStr::new(api_key),
            OsStr::new("--scale"),
            OsStr::new(&scale),
            OsStr::new("--omit-expires-in"),
            OsStr::new("--max-seconds"),
            OsStr::new("120"),
        ];
        let server = PyServer::start(python, "custom_idp.py", &args);
        Some(Self { server, dir })
    }

    /// The password file.
    pub fn password_file(&self) -> PathBuf {
        self.dir.join("password")
    }

    /// Its token endpoint.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/token", self.server.port)
    }

    /// GET `path` as JSON.
    pub fn json(&self, path: &str) -> serde_json::Value {
        let (status, body) = self.server.request("GET", path, &[], b"");
        assert_eq!(status, 200);
        serde_json::from_slice(&body).unwrap()
    }

    /// The supplier's API status for `token` (302: accepted, 401: refused).
    pub fn api(&self, token: &str) -> u16 {
        let auth = format!("Bearer {token}");
        self.server
            .request("GET", "/api", &[("Authorization", &auth)], b"")
            .0
    }

    /// (password, refresh_token, previous_token) requests so far.
    pub fn counts(&self) -> (u64, u64, u64) {
        let v = self.json("/count");
        let n = |k: &str| v[k].as_u64().unwrap();
        (n("password"), n("refresh_token"), n("previous_token"))
    }
}

/// `alice_custom!(idp, API_KEY => password, custom)` declares, in the
/// caller's scope, `password` (the IdP's password file as a `SecretFile`) and
/// `custom` (a `Custom` profile for the IdP's URL: password login as
/// `alice`, renewal with the refresh token then the previous token, each
/// with `client_id=app` and `X-Api-Key: API_KEY`). A macro because the
/// profile borrows its grant lists from the caller's scope.
#[allow(unused_macros)]
macro_rules! alice_custom {
    ($idp:expr, $api_key:expr => $password:ident, $custom:ident) => {
        let $password = jwtmint::secret::SecretFile($idp.password_file());
        let api_key = [("X-Api-Key", $api_key)];
        let client_id = [("client_id", "app")];
        let renew = [
            jwtmint::profiles::GrantSpec::refresh_token()
                .form(&client_id)
                .headers(&api_key),
            jwtmint::profiles::GrantSpec::previous_token()
                .form(&client_id)
                .headers(&api_key),
        ];
        let grants = jwtmint::profiles::Grants::new(
            jwtmint::profiles::GrantSpec::password("alice", &$password)
                .form(&client_id)
                .headers(&api_key),
            &renew,
        )
        .unwrap();
        let url = $idp.url();
        let $custom = jwtmint::profiles::Custom::new(&url, grants).unwrap();
    };
}
#[allow(unused_imports)]
pub(crate) use alice_custom;
