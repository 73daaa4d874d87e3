//! Configurable grants in the session core (`jwtmint::profiles::Grants`,
//! `Custom`): exact request bytes for the password, refresh-token and
//! previous-token steps, the renewal order and its fallbacks, expiry from
//! the issued JWT's `exp`, and the password never leaving the request body.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod session_util;

use std::cell::Cell;

use jwtmint::Error;
use jwtmint::profiles::{Custom, GrantSpec, Grants, Profile};
#[cfg(feature = "alloc")]
use jwtmint::profiles::{OwnedCustom, OwnedGrantSpec};
use jwtmint::secret::Secret;
use jwtmint::session::{Action, Config, Grant, Outcome, Session};
use jwtmint::signer::NoKey;

use session_util::{fetch, unsigned_jwt, used};

const T0: i64 = 1_700_000_000;
const PASSWORD: &str = "s3cr&t p@ss=wörd";
const PASSWORD_FORM: &str = "s3cr%26t+p%40ss%3Dw%C3%B6rd";

/// A password source that counts how often it was asked.
struct Pw(Cell<u32>);
// The session only needs `Sync` to share a profile across threads; these
// tests are single-threaded.
unsafe impl Sync for Pw {}

impl Secret for Pw {
    fn reveal(&self, out: &mut [u8]) -> jwtmint::Result<usize> {
        self.0.set(self.0.get() + 1);
        out[..PASSWORD.len()].copy_from_slice(PASSWORD.as_bytes());
        Ok(PASSWORD.len())
    }
}

type S<'a> = Session<&'a Custom<'a>, &'a NoKey, 2048, 2048>;

fn body(f: &jwtmint::session::Fetch<'_>) -> String {
    String::from_utf8(f.body.to_vec()).unwrap()
}

fn jwt(sub: &str, exp: i64) -> String {
    unsigned_jwt(&format!(r#"{{"sub":"{sub}","exp":{exp}}}"#))
}

/// An answer without `expires_in`: the JWT's own `exp` counts.
fn answer(token: &str, refresh: Option<&str>) -> String {
    match refresh {
        Some(r) => {
            format!(r#"{{"access_token":"{token}","token_type":"Bearer","refresh_token":"{r}"}}"#)
        }
        None => format!(r#"{{"access_token":"{token}","token_type":"Bearer"}}"#),
    }
}

/// The renewal steps of the full plan: the refresh token with its own form
/// field, then the previous token with its own grant type and header.
static RENEW: [GrantSpec<'static>; 2] = [
    GrantSpec::refresh_token().form(&[("client_id", "app")]),
    GrantSpec::previous_token_as("urn:idp:renew").headers(&[("X-Renew", "1")]),
];

/// The full plan's endpoint: a password login with a form field and an API
/// key header, renewed by [`RENEW`], a common `Accept` header.
fn full_plan(pw: &Pw) -> Custom<'_> {
    let initial = GrantSpec::password("alice", pw)
        .form(&[("client_id", "app")])
        .headers(&[("X-Api-Key", "k-123")]);
    Custom::new(
        "http://127.0.0.1:9/token",
        Grants::new(initial, &RENEW).unwrap(),
    )
    .unwrap()
    .with_headers(&[("Accept", "application/json")])
    .unwrap()
}

#[test]
fn password_refresh_previous_token_then_password_again() {
    let pw = Pw(Cell::new(0));
    let idp = full_plan(&pw);
    let grants = idp.grants().unwrap();
    let mut s: S<'_> = Session::new(&idp, &NoKey, Config::new().refresh_ahead(60));
    assert_eq!(s.grant(), Grant::Password);

    // 1. Password: exact body, both header lists.
    let f = fetch(s.poll(T0));
    assert_eq!(f.grant, Grant::Password);
    assert_eq!(f.url, "http://127.0.0.1:9/token");
    assert_eq!(f.content_type, Some("application/x-www-form-urlencoded"));
    assert_eq!(
        body(&f),
        format!("grant_type=password&username=alice&password={PASSWORD_FORM}&client_id=app")
    );
    assert_eq!(f.headers, &[("Accept", "application/json")]);
    assert_eq!(f.grant_headers, &[("X-Api-Key", "k-123")]);
    assert_eq!(
        f.all_headers().collect::<Vec<_>>(),
        [
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Accept", "application/json"),
            ("X-Api-Key", "k-123")
        ]
    );
    let dbg = format!("{f:?}");
    assert!(!dbg.contains("k-123") && !dbg.contains("p@ss"), "{dbg}");
    assert!(dbg.contains("X-Api-Key"), "{dbg}");
    for dbg in [format!("{idp:?}"), format!("{grants:?}")] {
        assert!(!dbg.contains("k-123") && !dbg.contains("\"app\""), "{dbg}");
        assert!(
            dbg.contains("X-Api-Key") && dbg.contains("client_id"),
            "{dbg}"
        );
    }
    assert_eq!(pw.0.get(), 1);
    let t = f.ticket;
    // 12 h JWT, no expires_in: expiry from `exp`.
    let a1 = jwt("alice", T0 + 43_200);
    assert_eq!(
        s.complete(T0 + 1, t, 200, answer(&a1, Some("rt-1")).as_bytes()),
        Outcome::Stored {
            expires_at: T0 + 43_200
        }
    );
    assert_eq!(used(s.poll(T0 + 43_139)).token, a1);

    // 2. Due (60 s ahead): the refresh token, with its own extra field.
    let f = fetch(s.poll(T0 + 43_140));
    assert_eq!(f.grant, Grant::RefreshToken);
    assert_eq!(
        body(&f),
        "grant_type=refresh_token&refresh_token=rt-1&client_id=app"
    );
    assert!(f.grant_headers.is_empty());
    let t = f.ticket;
    // While it is out, callers use the still-valid token.
    assert_eq!(used(s.poll(T0 + 43_141)).token, a1);
    let a2 = jwt("alice2", T0 + 86_400);
    assert_eq!(
        s.complete(T0 + 43_141, t, 200, answer(&a2, None).as_bytes()),
        Outcome::Stored {
            expires_at: T0 + 86_400
        }
    );

    // 3. Refresh token revoked: fall back at once to the previous token.
    let f = fetch(s.poll(T0 + 86_340));
    assert_eq!(f.grant, Grant::RefreshToken);
    assert_eq!(
        body(&f),
        "grant_type=refresh_token&refresh_token=rt-1&client_id=app"
    );
    let t = f.ticket;
    assert_eq!(
        s.complete(T0 + 86_341, t, 400, br#"{"error":"invalid_grant"}"#),
        Outcome::Retry { at: T0 + 86_341 }
    );
    let f = fetch(s.poll(T0 + 86_341));
    assert_eq!(f.grant, Grant::PreviousToken);
    assert_eq!(
        body(&f),
        format!("grant_type=urn%3Aidp%3Arenew&assertion={a2}")
    );
    assert_eq!(f.grant_headers, &[("X-Renew", "1")]);
    let t = f.ticket;
    let a3 = jwt("alice3", T0 + 130_000);
    assert_eq!(
        s.complete(T0 + 86_342, t, 200, answer(&a3, None).as_bytes()),
        Outcome::Stored {
            expires_at: T0 + 130_000
        }
    );
    assert_eq!(pw.0.get(), 1, "no password while renewal works");

    // 4. Previous token refused (a 401 without an OAuth body): password.
    let f = fetch(s.poll(T0 + 129_950));
    assert_eq!(f.grant, Grant::PreviousToken);
    let t = f.ticket;
    assert_eq!(
        s.complete(T0 + 129_951, t, 401, b"nope"),
        Outcome::Retry { at: T0 + 129_951 }
    );
    let f = fetch(s.poll(T0 + 129_951));
    assert_eq!(f.grant, Grant::Password);
    assert_eq!(pw.0.get(), 2);
    let t = f.ticket;
    let a4 = jwt("alice4", T0 + 173_000);
    s.complete(T0 + 129_952, t, 200, answer(&a4, Some("rt-2")).as_bytes());
    // A new token: the previous-token step applies again (after refresh).
    let f = fetch(s.poll(T0 + 172_990));
    assert_eq!(f.grant, Grant::RefreshToken);
    assert!(body(&f).contains("refresh_token=rt-2"));

    // The password is nowhere but in the password request's body.
    let mut rec = [0u8; 4096];
    let n = s.encode_record(&mut rec).unwrap();
    let rec = String::from_utf8_lossy(&rec[..n]).into_owned();
    for text in [
        format!("{s:?}"),
        format!("{idp:?}"),
        format!("{grants:?}"),
        format!("{:?}", s.failure()),
        rec,
    ] {
        assert!(
            !text.contains("p@ss") && !text.contains(PASSWORD_FORM),
            "{text}"
        );
    }
}

#[test]
fn an_expired_previous_token_is_never_presented() {
    let pw = Pw(Cell::new(0));
    let renew = [GrantSpec::previous_token()];
    let grants = Grants::new(GrantSpec::password("bob", &pw), &renew).unwrap();
    let idp = Custom::new("https://idp.example/token", grants).unwrap();
    let mut s: S<'_> = Session::new(&idp, &NoKey, Config::new());
    let t = fetch(s.poll(T0)).ticket;
    let a1 = jwt("bob", T0 + 100);
    s.complete(T0, t, 200, answer(&a1, None).as_bytes());
    // Valid and due: previous token (default grant type).
    let f = fetch(s.poll(T0 + 60));
    assert_eq!(f.grant, Grant::PreviousToken);
    assert_eq!(
        body(&f),
        format!("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion={a1}")
    );
    // The answer never comes; after the fetch timeout the token is expired:
    // the next attempt is the password, and nothing expired is used.
    let t = f.ticket;
    assert_eq!(
        s.fail(T0 + 61, t, jwtmint::session::TransportError::Timeout),
        Outcome::Retry { at: T0 + 62 }
    );
    assert!(matches!(s.poll(T0 + 100), Action::Fetch(f) if f.grant == Grant::Password));
    assert!(s.credential(T0 + 100).is_none());
}

#[test]
fn a_rejected_password_is_surfaced_not_retried() {
    let pw = Pw(Cell::new(0));
    let grants = Grants::new(GrantSpec::password("carol", &pw), &[]).unwrap();
    let idp = Custom::new("https://idp.example/token", grants).unwrap();
    let mut s: S<'_> = Session::new(&idp, &NoKey, Config::new());
    let t = fetch(s.poll(T0)).ticket;
    assert_eq!(
        s.complete(
            T0,
            t,
            400,
            br#"{"error":"invalid_grant","error_description":"bad password"}"#
        ),
        Outcome::Rejected
    );
    assert!(matches!(s.poll(T0 + 1), Action::Failed(_)));
    assert_eq!(pw.0.get(), 1);
}

#[test]
fn an_unavailable_password_is_a_clear_failure() {
    struct Missing;
    impl Secret for Missing {
        fn reveal(&self, _: &mut [u8]) -> jwtmint::Result<usize> {
            Err(Error::InvalidField {
                field: "password",
                reason: "the password file could not be read",
            })
        }
    }
    static MISSING: Missing = Missing;
    let grants = Grants::new(GrantSpec::password("dave", &MISSING), &[]).unwrap();
    let idp = Custom::new("https://idp.example/token", grants).unwrap();
    let mut s: S<'_> = Session::new(&idp, &NoKey, Config::new());
    let Action::Failed(f) = s.poll(T0) else {
        panic!("expected Failed")
    };
    assert_eq!(
        f.to_string(),
        "cannot build the token request: invalid `password`: the password file could not be read"
    );
    assert!(!s.in_flight());
}

#[test]
fn identity_covers_the_plan_but_not_the_password() {
    struct Other;
    unsafe impl Sync for Other {}
    impl Secret for Other {
        fn reveal(&self, out: &mut [u8]) -> jwtmint::Result<usize> {
            out[0] = b'x';
            Ok(1)
        }
    }
    let pw = Pw(Cell::new(0));
    let id = |initial: GrantSpec<'_>, renew: &[GrantSpec<'_>]| {
        let g = Grants::new(initial, renew).unwrap();
        let c = Custom::new("https://idp.example/token", g).unwrap();
        *S::new(&c, &NoKey, Config::new()).identity()
    };
    let base = id(GrantSpec::password("a", &pw), &[]);
    assert_eq!(base, id(GrantSpec::password("a", &Other), &[]));
    assert_ne!(base, id(GrantSpec::password("b", &pw), &[]));
    assert_ne!(
        base,
        id(GrantSpec::password("a", &pw), &[GrantSpec::refresh_token()])
    );
    assert_ne!(
        base,
        id(
            GrantSpec::password("a", &pw).form(&[("client_id", "x")]),
            &[]
        )
    );
}

/// What a session of `idp` sends over a password login, a refresh, a
/// refused refresh and the previous-token step: `(grant, url, body,
/// headers)` of each fetch, and the session's identity.
#[cfg(feature = "alloc")]
fn transcript<P: Profile>(idp: &P) -> (Vec<String>, String) {
    let mut s: Session<&P, &NoKey, 2048, 2048> =
        Session::new(idp, &NoKey, Config::new().refresh_ahead(60));
    let id = format!("{:?}", *s.identity());
    let mut sent = Vec::new();
    let a1 = jwt("alice", T0 + 43_200);
    let steps: [(i64, u16, String); 3] = [
        (T0, 200, answer(&a1, Some("rt-1"))),
        (T0 + 43_140, 400, r#"{"error":"invalid_grant"}"#.into()),
        (T0 + 43_140, 200, answer(&jwt("alice2", T0 + 86_400), None)),
    ];
    for (now, status, reply) in steps {
        let f = fetch(s.poll(now));
        let headers: Vec<_> = f.all_headers().collect();
        sent.push(format!("{:?} {} {} {headers:?}", f.grant, f.url, body(&f)));
        let t = f.ticket;
        s.complete(now, t, status, reply.as_bytes());
    }
    (sent, id)
}

#[cfg(feature = "alloc")]
#[test]
fn owned_custom_is_the_borrowed_profile() {
    let pw = Pw(Cell::new(0));
    let borrowed = full_plan(&pw);
    let url = "http://127.0.0.1:9/token";
    let accept = [("Accept", "application/json")];

    let text = |s: &str| s.to_owned();
    let (url_copy, key, grant_type) = (text(url), text("k-123"), text("urn:idp:renew"));
    let owned = OwnedCustom::new(
        &url_copy,
        OwnedGrantSpec::password("alice", Box::new(Pw(Cell::new(0))))
            .form([("client_id", "app")])
            .headers([("X-Api-Key", key.as_str())]),
        vec![
            OwnedGrantSpec::refresh_token().form([("client_id", "app")]),
            OwnedGrantSpec::previous_token_as(&grant_type).headers([("X-Renew", "1")]),
        ],
    )
    .unwrap()
    .with_headers(accept)
    .unwrap();
    drop((url_copy, key, grant_type)); // copied

    let (sent, id) = transcript(&owned);
    assert_eq!(
        (&sent, &id),
        (&transcript(&borrowed).0, &transcript(&borrowed).1)
    );
    assert_eq!(sent.len(), 3);
    assert!(sent[0].starts_with(&format!(
        "Password {url} grant_type=password&username=alice&password={PASSWORD_FORM}&client_id=app"
    )), "{sent:?}");
    assert!(sent[0].ends_with(r#"("Accept", "application/json"), ("X-Api-Key", "k-123")]"#));
    assert!(sent[2].starts_with("PreviousToken "), "{sent:?}");
    assert!(sent[2].ends_with(r#"("Accept", "application/json"), ("X-Renew", "1")]"#));
    // The same Debug as the borrowed view: names, never values.
    let dbg = format!("{owned:?}");
    assert_eq!(dbg, format!("{borrowed:?}"));
    assert!(!dbg.contains("k-123") && !dbg.contains("\"app\""), "{dbg}");
    // The owned checks are the borrowed ones.
    let bad = OwnedCustom::new(url, OwnedGrantSpec::refresh_token(), Vec::new());
    assert_eq!(
        bad.unwrap_err(),
        Grants::new(GrantSpec::refresh_token(), &[]).unwrap_err()
    );
    let bad = OwnedCustom::new(
        url,
        OwnedGrantSpec::password("a", Box::new(Pw(Cell::new(0)))),
        Vec::new(),
    )
    .unwrap()
    .with_headers([("X-Key", "a\r\nInjected: 1")]);
    assert_eq!(
        bad.unwrap_err(),
        Custom::new(
            url,
            Grants::new(GrantSpec::password("a", &pw), &[]).unwrap()
        )
        .unwrap()
        .with_headers(&[("X-Key", "a\r\nInjected: 1")])
        .unwrap_err()
    );
}

#[test]
fn invalid_configurations_are_refused() {
    let pw = Pw(Cell::new(0));
    let g = Grants::new(GrantSpec::password("a", &pw), &[]).unwrap();
    assert_eq!(
        Custom::new("http://idp.example/token", g).unwrap_err(),
        Error::InvalidField {
            field: "token_url",
            reason: "http:// is only allowed to 127.0.0.1, [::1] or localhost"
        }
    );
    assert!(Custom::new("http://localhost:8080/token", g).is_ok());
    assert!(Custom::new("http://[::1]:8080/token", g).is_ok());
    assert!(Custom::new("ftp://x", g).is_err());
    assert_eq!(
        Grants::new(GrantSpec::refresh_token(), &[]).unwrap_err(),
        Error::InvalidField {
            field: "grants",
            reason: "the initial grant cannot be refresh_token or previous_token"
        }
    );
    let renew = [GrantSpec::password("a", &pw)];
    assert!(Grants::new(GrantSpec::password("a", &pw), &renew).is_err());
    assert_eq!(
        Grants::new(GrantSpec::password("", &pw), &[]).unwrap_err(),
        Error::InvalidField {
            field: "username",
            reason: "must not be empty"
        }
    );
    let bad = Grants::new(
        GrantSpec::password("a", &pw).headers(&[("X-Key", "a\r\nInjected: 1")]),
        &[],
    );
    assert!(matches!(
        bad,
        Err(Error::InvalidField {
            field: "headers",
            ..
        })
    ));
    let mints = Grants::new(GrantSpec::jwt_bearer(), &[]).unwrap();
    assert!(matches!(
        Custom::new("https://idp.example/token", mints),
        Err(Error::InvalidField {
            field: "grants",
            ..
        })
    ));
    assert!(
        Custom::new("https://idp.example/token", g)
            .unwrap()
            .claims(T0, None)
            .is_err()
    );
}

/// A provider profile with a plan: the JWT bearer grant with extra fields,
/// renewed with the previous token.
#[test]
fn a_signing_profile_with_grants_adds_fields_to_its_assertion_grant() {
    use jwtmint::profiles::{Limits, Rfc7523, TokenRequest};
    use jwtmint::{Claims, HeaderTemplate};
    struct Planned<'a>(Rfc7523<'a>, Grants<'a>);
    impl Profile for Planned<'_> {
        fn name(&self) -> &'static str {
            "planned"
        }
        fn header(&self) -> &HeaderTemplate {
            self.0.header()
        }
        fn claims<'s>(&'s self, now: i64, jti: Option<&'s str>) -> jwtmint::Result<Claims<'s>> {
            self.0.claims(now, jti)
        }
        fn limits(&self) -> Limits {
            self.0.limits()
        }
        fn token_request(&self) -> Option<TokenRequest<'_>> {
            self.0.token_request()
        }
        fn grants(&self) -> Option<Grants<'_>> {
            Some(self.1)
        }
    }
    let renew = [GrantSpec::previous_token()];
    let p = Planned(
        session_util::grant_profile(),
        Grants::new(GrantSpec::jwt_bearer().form(&[("client_id", "c")]), &renew).unwrap(),
    );
    let key = session_util::FakeKey;
    let mut s: Session<&Planned<'_>, &session_util::FakeKey, 2048, 2048> =
        Session::new(&p, &key, Config::new());
    let f = fetch(s.poll(T0));
    assert_eq!(f.grant, Grant::JwtBearer);
    let b = body(&f);
    assert!(
        b.starts_with(
            "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=ey"
        ),
        "{b}"
    );
    assert!(b.ends_with("&scope=api&client_id=c"), "{b}");
}

#[cfg(feature = "std")]
mod sources {
    use jwtmint::Error;
    use jwtmint::secret::{SECRET_CAPACITY, Secret, SecretEnv, SecretFile, SecretFn};

    fn reveal(s: &dyn Secret) -> Result<String, Error> {
        let mut out = [0u8; SECRET_CAPACITY];
        let n = s.reveal(&mut out)?;
        Ok(String::from_utf8(out[..n].to_vec()).unwrap())
    }

    #[test]
    #[cfg_attr(
        target_os = "wasi",
        ignore = "WASI preview 1 has no processes and no temp dir; runs natively and under qemu"
    )]
    fn file_env_and_closure_sources() {
        let dir = std::env::temp_dir().join(format!("jwtmint-secret-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let f = dir.join("pw");
        std::fs::write(&f, "hunter2\r\n").unwrap();
        assert_eq!(reveal(&SecretFile(f.clone())).unwrap(), "hunter2");
        std::fs::write(&f, "a\n\n").unwrap();
        assert_eq!(reveal(&SecretFile(f.clone())).unwrap(), "a\n");
        std::fs::write(&f, vec![b'x'; SECRET_CAPACITY + 1]).unwrap();
        assert_eq!(
            reveal(&SecretFile(f.clone())).unwrap_err(),
            Error::InvalidField {
                field: "password",
                reason: "the password file is larger than SECRET_CAPACITY"
            }
        );
        let missing = SecretFile(dir.join("absent"));
        let e = reveal(&missing).unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid `password`: the password file could not be read"
        );
        // A buffer too small says how much is needed.
        std::fs::write(&f, "hunter2").unwrap();
        let mut small = [0u8; 3];
        assert_eq!(
            SecretFile(f.clone()).reveal(&mut small).unwrap_err(),
            Error::BufferTooSmall { needed: 7 }
        );
        std::fs::remove_dir_all(&dir).unwrap();

        let var = format!("JWTMINT_TEST_PW_{}", std::process::id());
        assert!(reveal(&SecretEnv(var.clone())).is_err());
        // SAFETY: single-threaded use of a variable only this test reads.
        unsafe { std::env::set_var(&var, "from-env") };
        assert_eq!(reveal(&SecretEnv(var.clone())).unwrap(), "from-env");
        assert!(!format!("{:?}", SecretEnv(var)).contains("from-env"));

        let c = SecretFn(|out: &mut [u8]| {
            out[..3].copy_from_slice(b"abc");
            Ok(3)
        });
        assert_eq!(reveal(&c).unwrap(), "abc");
        assert_eq!(format!("{c:?}"), "SecretFn(<closure>)");
        let liar = SecretFn(|out: &mut [u8]| Ok(out.len() + 1));
        assert_eq!(reveal(&liar).unwrap_err(), Error::LengthOverflow);
    }
}

/// Property: with a password + refresh + previous-token plan, arbitrary
/// answers and clock moves never hand out an expired token, never present
/// an expired (or refused-then-unchanged) previous token, and never have
/// two fetches in flight.
mod props {
    use super::*;
    use proptest::prelude::*;

    #[derive(Clone, Debug)]
    enum Reply {
        /// A JWT valid for this long (no expires_in), with a refresh token?
        Jwt(i64, bool),
        InvalidGrant,
        Bare401,
        ServerError,
    }

    #[derive(Clone, Debug)]
    enum Op {
        Poll,
        Answer(Reply),
        Advance(i64),
        /// Jump to this many seconds before the current token's expiry.
        NearExpiry(i64),
    }

    fn op() -> impl Strategy<Value = Op> {
        let reply = prop_oneof![
            4 => (1i64..3000, proptest::bool::weighted(0.25)).prop_map(|(l, r)| Reply::Jwt(l, r)),
            1 => Just(Reply::InvalidGrant),
            1 => Just(Reply::Bare401),
            1 => Just(Reply::ServerError),
        ];
        prop_oneof![
            4 => Just(Op::Poll),
            3 => reply.prop_map(Op::Answer),
            2 => (-100i64..1500).prop_map(Op::Advance),
            2 => (0i64..30).prop_map(Op::NearExpiry),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        #[test]
        fn plan_sessions_never_use_or_present_expired_tokens(
            ops in proptest::collection::vec(op(), 1..100),
        ) {
            let pw = Pw(Cell::new(0));
            let renew = [GrantSpec::refresh_token(), GrantSpec::previous_token()];
            let grants = Grants::new(GrantSpec::password("p", &pw), &renew).unwrap();
            let idp = Custom::new("https://idp.example/token", grants).unwrap();
            let mut s: S<'_> = Session::new(&idp, &NoKey, Config::new().backoff(1, 60));
            let mut now = T0;
            let mut pending: Option<jwtmint::session::Ticket> = None;
            let mut serial = 0;
            for op in ops {
                match op {
                    Op::Poll => {
                        let fetched = match s.poll(now) {
                            Action::Use(c) => {
                                prop_assert!(now < c.expires_at);
                                None
                            }
                            Action::Fetch(f) => Some((f.ticket, f.grant, body(&f))),
                            Action::Wait(_) | Action::Failed(_) | Action::Store(_) => None,
                        };
                        let Some((ticket, grant, b)) = fetched else { continue };
                        if grant == Grant::PreviousToken {
                            let presented = b.rsplit("assertion=").next().unwrap();
                            let c = s.credential(now);
                            prop_assert!(c.is_some_and(|c| c.token == presented && now < c.expires_at));
                        }
                        pending = Some(ticket);
                        prop_assert!(!matches!(s.poll(now), Action::Fetch(_)));
                    }
                    Op::Answer(r) => {
                        let Some(t) = pending.take() else { continue };
                        serial += 1;
                        let (status, b) = match r {
                            Reply::Jwt(life, rt) => {
                                let tok = jwt(&format!("u{serial}"), now + life);
                                (200, answer(&tok, rt.then_some("rt")))
                            }
                            Reply::InvalidGrant => (400, r#"{"error":"invalid_grant"}"#.to_owned()),
                            Reply::Bare401 => (401, "no".to_owned()),
                            Reply::ServerError => (500, "oops".to_owned()),
                        };
                        s.complete(now, t, status, b.as_bytes());
                    }
                    Op::Advance(d) => now += d,
                    Op::NearExpiry(d) => {
                        if let Some(c) = s.credential(now) {
                            now = c.expires_at - d;
                        }
                    }
                }
            }
        }
    }
}
