//! The C side of the provider declarations (`crate::profiles::declare`):
//! the one constructor body every generated `jwtmint_<name>_profile_new`
//! (in `providers.rs`) calls, the conversions of C fields into declared
//! values (one `reader!` line per options struct), the bodies of the
//! generated account-handle functions (`account_new`, `account_text`), and
//! — under `cfg(test)` — the generator of `providers.rs`.
//!
//! `providers.rs` is generated and checked in because cbindgen reads
//! source, not expanded macros (`[parse.expand]` needs a nightly compiler
//! and the whole crate, which cbindgen cannot parse): the unit test
//! `providers_rs_is_generated` fails when it differs from what the
//! declarations give, and rewrites it with `JWTMINT_REGENERATE=1`:
//!
//! ```text
//! JWTMINT_REGENERATE=1 cargo test --features ffi --lib ffi::declared
//! scripts/gen-header.sh
//! ```

use alloc::boxed::Box;
use core::any::Any;

use super::claims::jwtmint_str;
use super::header::alg_from;
use super::key::jwtmint_key;
use super::panic::{guard, guard_len, guard_new};
use super::profiles::{jwtmint_profile, store};
use super::result::jwtmint_result;
use super::util::{array, copy_to, need, reference};

use crate::profiles::declare::{Account, KeyUse, Kind, Misfit, Value, Values};

/// A text field: absent for a NULL `ptr`.
///
/// # Safety
/// `s` NULL or valid for its length.
pub(super) unsafe fn text<'a>(s: jwtmint_str) -> Result<Arg<'a>, jwtmint_result> {
    // SAFETY: forwarded caller contract.
    Ok(Arg::V(match unsafe { s.optional() }? {
        Some(t) => Value::Text(t),
        None => Value::Absent,
    }))
}

/// A `jwtmint_alg` field (unknown: `INVALID_ARGUMENT`).
pub(super) fn alg(v: u32) -> Result<Arg<'static>, jwtmint_result> {
    alg_from(v).map(|a| Arg::V(Value::Alg(a)))
}

/// An integer field (always given: 0 is a value the provider judges).
pub(super) fn uint(v: u64) -> Result<Arg<'static>, jwtmint_result> {
    Ok(Arg::V(Value::U64(v)))
}

/// A lifetime field: 0 selects the provider's default.
pub(super) fn lifetime(v: i64) -> Result<Arg<'static>, jwtmint_result> {
    Ok(Arg::V(if v == 0 { Value::Absent } else { Value::I64(v) }))
}

/// A bytes field (`ptr`, `len`): absent for a NULL `ptr` or a 0 `len`.
///
/// # Safety
/// `ptr` NULL or valid for reads of `len` bytes.
pub(super) unsafe fn bytes<'a>(ptr: *const u8, len: usize) -> Result<Arg<'a>, jwtmint_result> {
    // SAFETY: forwarded caller contract.
    let b: &'a [u8] = unsafe { array(ptr, len) }?;
    Ok(Arg::V(if b.is_empty() {
        Value::Absent
    } else {
        Value::Bytes(b)
    }))
}

/// One field as read: a value, or the texts of a list (kept by
/// [`construct`] while the profile is built, lent as a [`Value::List`]).
pub(super) enum Arg<'a> {
    /// A value.
    V(Value<'a>),
    /// A list's texts.
    L(alloc::vec::Vec<&'a str>),
}

/// A list field (`ptr`, `count` entries): every entry required UTF-8;
/// NULL with 0 is the empty list.
///
/// # Safety
/// `ptr` NULL (with `count == 0`) or valid for `count` strings, each valid
/// for its length.
pub(super) unsafe fn list<'a>(
    ptr: *const jwtmint_str,
    count: usize,
) -> Result<Arg<'a>, jwtmint_result> {
    // SAFETY: forwarded caller contract.
    let raw: &'a [jwtmint_str] = unsafe { array(ptr, count) }?;
    // SAFETY: forwarded caller contract.
    let texts = raw.iter().map(|s| unsafe { s.required() });
    Ok(Arg::L(texts.collect::<Result<_, _>>()?))
}

/// What a key file's reader made ([`Account::read`]): the content of
/// every generated account handle.
pub(super) type Loaded = Box<dyn Any + Send + Sync>;

/// A handle a key file was read into (`Kind::Account`): the generated
/// opaque `<c_type>(Loaded)`, its impl made by [`account_handle!`]. `Send +
/// Sync` is the compile-time proof of the documented thread safety.
pub(super) trait AccountHandle: Send + Sync {
    /// Its C type, the [`Account::c_type`] of its declaration.
    const C_TYPE: &'static str;
    /// A handle holding what the reader made.
    fn new(loaded: Loaded) -> Self;
    /// The reader's value.
    fn loaded(&self) -> &(dyn Any + Send + Sync);
}

/// The [`AccountHandle`] impl of a generated account handle.
macro_rules! account_handle {
    ($handle:ident) => {
        impl AccountHandle for $handle {
            const C_TYPE: &'static str = stringify!($handle);
            fn new(loaded: Loaded) -> Self {
                Self(loaded)
            }
            fn loaded(&self) -> &(dyn core::any::Any + Send + Sync) {
                &*self.0
            }
        }
    };
}
pub(super) use account_handle;

/// The declaration of the account handle `H`.
fn account<H: AccountHandle>() -> Result<&'static Account, jwtmint_result> {
    let mut accounts = crate::profiles::DECLARED.iter().flat_map(|p| p.options);
    accounts
        .find_map(|o| match o.kind {
            Kind::Account(a) if a.c_type == H::C_TYPE => Some(a),
            _ => None,
        })
        .ok_or(jwtmint_result::JWTMINT_RESULT_INTERNAL_PANIC)
}

/// The body of every generated `<c_type>_new_from_<format>`: reads the
/// file (`data`, `len` bytes; NULL: `NULL_ARGUMENT`) with the account's
/// reader into a new handle stored in `*out` (written only on success).
///
/// # Safety
/// `data` NULL or valid for reads of `len` bytes; `out` NULL or writable.
pub(super) unsafe fn account_new<H: AccountHandle>(
    data: *const u8,
    len: usize,
    out: *mut *mut H,
) -> jwtmint_result {
    // SAFETY: the caller promises `out` NULL or valid for a write.
    unsafe {
        guard_new(out, || {
            let read = account::<H>()?.read;
            // SAFETY: the caller promises `data` is NULL or valid for `len` bytes.
            Ok(H::new(read(super::util::bytes(data, len)?)?))
        })
    }
}

/// The body of every generated `<c_type>_<suffix>`: copies the text
/// member `suffix` of a live handle into `out` (length negotiation as in
/// `jwtmint_mint`).
///
/// # Safety
/// `handle` NULL or live; `out` NULL (with `cap == 0`) or valid for `cap`
/// bytes; `out_len` NULL or writable.
pub(super) unsafe fn account_text<H: AccountHandle>(
    handle: *const H,
    suffix: &str,
    out: *mut u8,
    cap: usize,
    out_len: *mut usize,
) -> jwtmint_result {
    let internal = jwtmint_result::JWTMINT_RESULT_INTERNAL_PANIC;
    // SAFETY: forwarded caller contract.
    unsafe {
        guard_len(out, cap, out_len, |w| {
            let mut texts = account::<H>()?.texts.iter();
            let (.., get) = texts.find(|t| t.0 == suffix).ok_or(internal)?;
            let text = get(reference(handle)?.loaded()).ok_or(internal)?;
            Ok(copy_to(text.as_bytes(), w.buf()?))
        })
    }
}

/// An account parameter: absent for NULL.
///
/// # Safety
/// `h` NULL or a live handle.
pub(super) unsafe fn handle<'a, H: AccountHandle + 'a>(
    h: *const H,
) -> Result<Arg<'a>, jwtmint_result> {
    // SAFETY: forwarded caller contract.
    Ok(Arg::V(match unsafe { h.as_ref() } {
        Some(h) => Value::Account(h.loaded()),
        None => Value::Absent,
    }))
}

/// A choice index (checked against the declaration).
pub(super) fn choice(v: u32) -> Result<Arg<'static>, jwtmint_result> {
    Ok(Arg::V(Value::Choice(
        usize::try_from(v).unwrap_or(usize::MAX),
    )))
}

/// The reader of a generated options struct: `reader!(read_x(o:
/// jwtmint_x_options, account: jwtmint_y_account) [text(o.iss),
/// list(o.scopes, o.scope_count), handle(account), ...])` is the function
/// `read_x` giving [`construct`] the fields, in declaration order, each
/// read by the field reader named (`text`, `alg`, `uint`, `lifetime`,
/// `choice`, `bytes`, `list`, `handle`).
macro_rules! reader {
    ($name:ident($o:ident: $options:ty $(, $param:ident: $handle:ty)*)
        [$($read:ident($($arg:expr),+)),+ $(,)?]) => {
        /// Reads its options struct (and the account parameters) for `construct`.
        ///
        /// # Safety
        /// The strings of `o` NULL or valid for their lengths; handles NULL or live.
        unsafe fn $name<'a>(
            $o: &'a $options
            $(, $param: *const $handle)*
        ) -> Fields<'a, { [$(stringify!($read)),+].len() }> {
            // SAFETY: forwarded caller contract.
            unsafe { Ok([$($read($($arg),+)?),+]) }
        }
    };
}
pub(super) use reader;

/// What a generated reader gives [`construct`]: the `N` fields of an
/// options struct, in declaration order.
pub(super) type Fields<'a, const N: usize> = Result<[Arg<'a>; N], jwtmint_result>;

/// The key argument of a constructor that takes none.
pub(super) const NO_KEY: *const jwtmint_key = core::ptr::null();

/// The body of every declared constructor: checks `out` and `options`,
/// reads the fields with `read`, checks them against the declaration of
/// `name` (required absent: `NULL_ARGUMENT`; an unused field given or a
/// choice out of range: `INVALID_ARGUMENT`), builds and stores the profile.
///
/// # Safety
/// `options` NULL or valid (its strings NULL or valid for their lengths,
/// which `read` relies on); `key` NULL or live; `out` NULL or writable.
pub(super) unsafe fn construct<O, const N: usize>(
    name: &str,
    options: *const O,
    key: *const jwtmint_key,
    out: *mut *mut jwtmint_profile,
    read: impl FnOnce(&O) -> Result<[Arg<'_>; N], jwtmint_result>,
) -> jwtmint_result {
    guard(|| {
        need(out)?;
        let provider =
            crate::profiles::declared(name).ok_or(jwtmint_result::JWTMINT_RESULT_INTERNAL_PANIC)?;
        // SAFETY: the caller promises `options` is NULL or valid.
        let o = unsafe { reference(options) }?;
        let args = read(o)?;
        let values: [Value<'_>; N] = core::array::from_fn(|i| match args.get(i) {
            Some(Arg::V(v)) => *v,
            Some(Arg::L(l)) => Value::List(l),
            None => Value::Absent,
        });
        let key = match provider.key {
            KeyUse::Caller | KeyUse::Own => None,
            // SAFETY: the caller promises `key` is NULL or live.
            KeyUse::CallerAtBuild => Some(unsafe { reference(key) }?.software()?),
        };
        let v = Values::new(provider, &values, key).map_err(|m| match m {
            Misfit::Missing(_) => jwtmint_result::JWTMINT_RESULT_NULL_ARGUMENT,
            Misfit::Unexpected(_) => jwtmint_result::JWTMINT_RESULT_INVALID_ARGUMENT,
        })?;
        let built = (provider.build)(&v)?;
        // SAFETY: `out` is non-NULL and the caller promises it is writable.
        unsafe { store(built, out) };
        Ok(())
    })
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::expect_used,
    clippy::indexing_slicing
)]
mod generate {
    use alloc::format;
    use alloc::string::String;
    use alloc::vec;
    use alloc::vec::Vec;
    use core::fmt::Write;

    use crate::profiles::DECLARED;
    use crate::profiles::declare::{Account, Grant, KeyUse, Kind, Presence, Provider};

    /// `text` as `///` lines of at most 80 columns at `indent`.
    fn doc(out: &mut String, indent: &str, text: &str) {
        let width = 80 - indent.len() - 4;
        for para in text.split('\n') {
            let mut line = String::new();
            for word in para.split(' ') {
                if !line.is_empty() && line.len() + 1 + word.len() > width {
                    writeln!(out, "{indent}/// {line}").unwrap();
                    line.clear();
                }
                if !line.is_empty() {
                    line.push(' ');
                }
                line.push_str(word);
            }
            if line.is_empty() {
                writeln!(out, "{indent}///").unwrap();
            } else {
                writeln!(out, "{indent}/// {line}").unwrap();
            }
        }
    }

    /// `text` with a capital first letter and a final period.
    fn sentence(text: &str) -> String {
        let mut s = String::new();
        let mut chars = text.chars();
        if let Some(c) = chars.next() {
            s.extend(c.to_uppercase());
        }
        s.extend(chars);
        if !s.ends_with('.') {
            s.push('.');
        }
        s
    }

    fn c_fn(p: &Provider) -> String {
        format!("jwtmint_{}_profile_new", p.name.replace('-', "_"))
    }

    fn c_type(k: Kind) -> &'static str {
        match k {
            Kind::Text => "jwtmint_str",
            Kind::Alg | Kind::Choice(_) => "u32",
            Kind::U64 => "u64",
            Kind::Lifetime => "i64",
            Kind::Bytes => "*const u8",
            Kind::List(_) => "*const jwtmint_str",
            Kind::Account(a) => a.c_type,
        }
    }

    fn read(k: Kind, field: &str) -> String {
        match k {
            Kind::Text => format!("text(o.{field})"),
            Kind::Alg => format!("alg(o.{field})"),
            Kind::U64 => format!("uint(o.{field})"),
            Kind::Lifetime => format!("lifetime(o.{field})"),
            Kind::Choice(_) => format!("choice(o.{field})"),
            Kind::Bytes => format!("bytes(o.{field}, o.{field}_len)"),
            Kind::List(count) => format!("list(o.{field}, o.{count})"),
            Kind::Account(_) => format!("handle({field})"),
        }
    }

    /// A function's signature: on one line when it fits in 100 columns,
    /// else one parameter a line (as rustfmt lays it out).
    fn signature(out: &mut String, head: &str, params: &[String], tail: &str) {
        let one = format!("{head}({}){tail} {{", params.join(", "));
        if one.len() <= 100 {
            writeln!(out, "{one}").unwrap();
        } else {
            writeln!(out, "{head}(").unwrap();
            for param in params {
                writeln!(out, "    {param},").unwrap();
            }
            writeln!(out, "){tail} {{").unwrap();
        }
    }

    /// An exported function: `doc`, its signature, and `body`, one
    /// forwarding call.
    fn export(out: &mut String, text: &str, name: &str, params: &[String], body: &str) {
        doc(out, "", text);
        out.push_str("#[unsafe(no_mangle)]\n");
        let tail = if name.ends_with("_free") {
            ""
        } else {
            " -> jwtmint_result"
        };
        signature(
            out,
            &format!("pub unsafe extern \"C\" fn {name}"),
            params,
            tail,
        );
        out.push_str("    // SAFETY: forwarded caller contract.\n");
        if body.len() + 13 <= 100 {
            writeln!(out, "    unsafe {{ {body} }}\n}}\n").unwrap();
        } else {
            writeln!(out, "    unsafe {{\n        {body}\n    }}\n}}\n").unwrap();
        }
    }

    /// The C ABI of an account handle: the opaque type, its reader, its
    /// free and its text accessors, each a call of the hand-written body
    /// in this module.
    fn account(out: &mut String, a: &Account) {
        let (t, f) = (a.c_type, a.format);
        doc(
            out,
            "",
            &format!(
                "{} (opaque): the private key is parsed once and owned by the handle. Immutable after creation: a `const {t} *` may be shared by any number of threads. Free it with `{t}_free` (the key is zeroised).",
                a.holds
            ),
        );
        writeln!(out, "pub struct {t}(Loaded);\n\naccount_handle!({t});\n").unwrap();
        let new = format!("{t}_new_from_{f}");
        export(
            out,
            &format!(
                "Reads {} (`{f}`, `len` bytes; members {}) into a new handle stored in `*out` (written only on success), to be freed with `{t}_free`.\n\nErrors: `NULL_ARGUMENT`, {}.\n\n# Safety\n`{f}` must be NULL or valid for reads of `len` bytes; `out` NULL or valid for a write.",
                a.file, a.members, a.errors
            ),
            &new,
            &[
                format!("{f}: *const u8"),
                String::from("len: usize"),
                format!("out: *mut *mut {t}"),
            ],
            &format!("account_new({f}, len, out)"),
        );
        export(
            out,
            &format!(
                "Frees a {} handle. NULL is a no-op. Profiles made from it keep their own reference to the key, which is zeroised when the last of them is freed.\n\n# Safety\n`account` must be NULL or a handle from `{new}` that was not freed yet and that no other thread is still using.",
                a.what
            ),
            &format!("{t}_free"),
            &[format!("account: *mut {t}")],
            "free_handle(account)",
        );
        for (suffix, text, _) in a.texts {
            export(
                out,
                &format!(
                    "Copies the {}'s {text} into `out` (no NUL). Length negotiation as in `jwtmint_mint`.\n\n# Safety\n`account` NULL or live; `out` NULL (with `cap == 0`) or valid for `cap` bytes; `out_len` NULL or writable.",
                    a.what
                ),
                &format!("{t}_{suffix}"),
                &[
                    format!("account: *const {t}"),
                    String::from("out: *mut u8"),
                    String::from("cap: usize"),
                    String::from("out_len: *mut usize"),
                ],
                &format!("account_text(account, {suffix:?}, out, cap, out_len)"),
            );
        }
    }

    fn algs(p: &Provider) -> String {
        let names: Vec<&str> = p.algorithms.iter().map(|a| a.as_str()).collect();
        match names.as_slice() {
            [one] => format!("Signs {one}."),
            [first, ..] => format!("Signs {} (`alg`; default {first}).", names.join(", ")),
            [] => String::new(),
        }
    }

    fn grant(g: Grant) -> &'static str {
        match g {
            Grant::JwtBearer => "The token request is the RFC 7523 JWT bearer grant.",
            Grant::ClientAssertion => {
                "The token request is the client-credentials grant with the JWT as `client_assertion` (RFC 7523 section 2.2)."
            }
            Grant::BearerHeader => {
                "The token request sends the JWT as `Authorization: Bearer` with no body (`jwtmint_profile_token_request_body` writes 0 bytes)."
            }
            _ => {
                "No token request: the JWT is the credential (`jwtmint_profile_token_url` returns `INVALID_ARGUMENT`)."
            }
        }
    }

    /// C's `jwtmint_grant_kind`: `crate::profiles::Grant`, variant for
    /// variant, same numbers.
    fn grant_kind(out: &mut String) {
        doc(
            out,
            "",
            "The one grant model (`jwtmint::profiles::Grant`): what a grant step sends (`kind` of `jwtmint_grant_spec`, where PASSWORD is an initial grant and REFRESH_TOKEN / PREVIOUS_TOKEN renewal steps).",
        );
        out.push_str("#[repr(C)]\n#[derive(Clone, Copy, Debug, PartialEq, Eq)]\npub enum jwtmint_grant_kind {\n");
        for g in Grant::ALL {
            doc(out, "    ", &sentence(g.summary()));
            writeln!(
                out,
                "    JWTMINT_GRANT_{} = {},",
                g.name().to_uppercase(),
                g as u8
            )
            .unwrap();
        }
        out.push_str("}\n\n");
    }

    /// The C enums of `p`'s choices (each named once).
    fn enums(out: &mut String, p: &Provider, done: &mut Vec<&'static str>) {
        for o in p.options {
            let Some((name, variants)) = o.c_enum else {
                continue;
            };
            if done.contains(&name) {
                continue;
            }
            done.push(name);
            doc(
                out,
                "",
                &format!(
                    "{} (the `{}` field of `{}`, passed as `uint32_t`).",
                    sentence(o.doc).trim_end_matches('.'),
                    o.name,
                    p.c_options
                ),
            );
            writeln!(
                out,
                "#[repr(C)]\n#[derive(Clone, Copy, Debug, PartialEq, Eq)]\npub enum {name} {{"
            )
            .unwrap();
            for (i, (variant, text)) in variants.iter().enumerate() {
                doc(out, "    ", text);
                writeln!(out, "    {variant} = {i},").unwrap();
            }
            out.push_str("}\n\n");
        }
    }

    fn structure(out: &mut String, name: &str, users: &[&Provider]) {
        let first = users[0];
        for p in users {
            let names = |q: &Provider| {
                q.options
                    .iter()
                    .map(|o| (o.name, o.kind))
                    .collect::<Vec<_>>()
            };
            assert_eq!(
                names(p),
                names(first),
                "{} and {} share {name}",
                p.name,
                first.name
            );
        }
        let fns: Vec<String> = users.iter().map(|p| format!("`{}`", c_fn(p))).collect();
        doc(
            out,
            "",
            &format!(
                "Options of {}. Zero-initialise it: an absent string has a NULL `ptr`; 0 selects a lifetime's default.",
                fns.join(", ")
            ),
        );
        out.push_str("#[repr(C)]\n#[derive(Clone, Copy, Debug)]\npub struct ");
        out.push_str(name);
        out.push_str(" {\n");
        for (i, o) in first.options.iter().enumerate() {
            if matches!(o.kind, Kind::Account(_)) {
                continue; // a constructor parameter
            }
            let lines: Vec<String> = users
                .iter()
                .map(|p| {
                    let opt = &p.options[i];
                    let mut line = sentence(opt.doc);
                    if let Kind::Choice(names) = opt.kind {
                        let list: Vec<String> = names
                            .iter()
                            .enumerate()
                            .map(|(i, n)| format!("{i} = {n}"))
                            .collect();
                        line = format!("{}: {}.", &line[..line.len() - 1], list.join(", "));
                    }
                    match opt.presence {
                        Presence::Required => line.push_str(" Required."),
                        Presence::Optional | Presence::When(..) => {}
                        Presence::Unused => line = String::from("Not used: must be absent."),
                    }
                    line
                })
                .collect();
            let text = if lines.iter().all(|l| *l == lines[0]) {
                lines[0].clone()
            } else {
                let per: Vec<String> = users
                    .iter()
                    .zip(&lines)
                    .map(|(p, l)| format!("{}: {l}", p.name))
                    .collect();
                per.join(" ")
            };
            doc(out, "    ", &text);
            writeln!(out, "    pub {}: {},", o.name, c_type(o.kind)).unwrap();
            if o.kind == Kind::Bytes {
                doc(out, "    ", &format!("Length of `{}` in bytes.", o.name));
                writeln!(out, "    pub {}_len: usize,", o.name).unwrap();
            }
            if let Kind::List(count) = o.kind {
                doc(out, "    ", &format!("Number of entries in `{}`.", o.name));
                writeln!(out, "    pub {count}: usize,").unwrap();
            }
        }
        out.push_str("}\n\n");
    }

    /// The `Kind::Account` options of `p`: `(parameter, C handle type)`.
    fn accounts(p: &Provider) -> Vec<(&'static str, &'static str)> {
        p.options
            .iter()
            .filter_map(|o| match o.kind {
                Kind::Account(a) => Some((o.name, a.c_type)),
                _ => None,
            })
            .collect()
    }

    /// The name of the function that reads the options struct `c_options`.
    fn reader(c_options: &str) -> String {
        let short = c_options.trim_start_matches("jwtmint_");
        format!("read_{}", short.trim_end_matches("_options"))
    }

    /// The reader of `p`'s options struct (shared by every constructor
    /// taking it): one `reader!` naming each field's reader.
    fn read_fn(out: &mut String, p: &Provider) {
        let mut params = vec![format!("o: {}", p.c_options)];
        for (param, c_type) in accounts(p) {
            params.push(format!("{param}: {c_type}"));
        }
        let head = format!("reader!({}({}) [", reader(p.c_options), params.join(", "));
        let reads: Vec<String> = p.options.iter().map(|o| read(o.kind, o.name)).collect();
        let one = format!("{head}{}]);", reads.join(", "));
        if one.len() <= 100 {
            writeln!(out, "{one}\n").unwrap();
            return;
        }
        writeln!(out, "{head}").unwrap();
        let mut line = String::from("   ");
        for r in reads {
            if line.len() + 1 + r.len() + 1 > 100 {
                writeln!(out, "{line}").unwrap();
                line = String::from("   ");
            }
            line.push(' ');
            line.push_str(&r);
            line.push(',');
        }
        writeln!(out, "{line}\n]);\n").unwrap();
    }

    fn constructor(out: &mut String, p: &Provider) {
        let (default, max) = p.lifetime;
        let required: Vec<String> = p
            .options
            .iter()
            .filter(|o| {
                o.presence == Presence::Required
                    && matches!(o.kind, Kind::Text | Kind::Bytes | Kind::Account(_))
            })
            .map(|o| format!("`{}`", o.name))
            .collect();
        let mut text = format!(
            "{}.\n\n{} Lifetime: default {default} s, at most {max} s. {}",
            p.summary,
            algs(p),
            grant(p.grant)
        );
        match p.key {
            KeyUse::CallerAtBuild => text.push_str(" `key` is the key the JWTs are signed with, needed to build the profile and passed again to `jwtmint_profile_mint`."),
            KeyUse::Own => text.push_str(" The profile signs with the key its configuration holds: pass NULL as the key to `jwtmint_profile_mint`."),
            KeyUse::Caller => {}
        }
        let extra: String = if p.key == KeyUse::CallerAtBuild {
            String::from(" `key` NULL or live.")
        } else {
            accounts(p)
                .iter()
                .map(|(n, _)| format!(" `{n}` NULL or live."))
                .collect()
        };
        text.push_str(&format!(
            "\n\nBuilt, and failing, as every declared constructor (`jwtmint_profile`){}.\n\n# Safety\nAs every declared constructor.{extra}",
            if required.is_empty() { String::new() } else { format!("; required: {}", required.join(", ")) },
        ));
        let mut params = Vec::new();
        let mut args = String::from("o");
        for (name, c_type) in accounts(p) {
            params.push(format!("{name}: *const {c_type}"));
            args.push_str(", ");
            args.push_str(name);
        }
        params.push(format!("options: *const {}", p.c_options));
        let key = if p.key == KeyUse::CallerAtBuild {
            params.push(String::from("key: *const jwtmint_key"));
            "key"
        } else {
            "NO_KEY"
        };
        params.push(String::from("out: *mut *mut jwtmint_profile"));
        let name = format!("{:?}", p.name);
        let read = reader(p.c_options);
        let call = format!("construct({name}, options, {key}, out, |o| {read}({args}))");
        export(out, &text, &c_fn(p), &params, &call);
    }

    pub(super) fn render() -> String {
        let mut out = String::from(
            "//! GENERATED from the provider declarations (`PROVIDER` in each module of\n\
             //! src/profiles, listed in `crate::profiles::DECLARED`) by the test in\n\
             //! src/ffi/declared.rs; do not edit. Regenerate with\n\
             //! `JWTMINT_REGENERATE=1 cargo test --features ffi --lib ffi::declared`.\n\n",
        );
        let mut kinds = Vec::new();
        let mut handles: Vec<&Account> = Vec::new();
        for p in DECLARED {
            for o in p.options {
                kinds.push(match o.kind {
                    Kind::Text => "text",
                    Kind::Alg => "alg",
                    Kind::U64 => "uint",
                    Kind::Lifetime => "lifetime",
                    Kind::Choice(_) => "choice",
                    Kind::Bytes => "bytes",
                    Kind::List(_) => "list",
                    Kind::Account(a) => {
                        if !handles.contains(&a) {
                            handles.push(a);
                        }
                        "handle"
                    }
                });
            }
        }
        kinds.extend(["construct", "Fields", "NO_KEY", "reader"]);
        if !handles.is_empty() {
            kinds.extend([
                "AccountHandle",
                "Loaded",
                "account_handle",
                "account_new",
                "account_text",
            ]);
        }
        kinds.sort_unstable();
        kinds.dedup();
        out.push_str("use super::claims::jwtmint_str;\n");
        writeln!(out, "use super::declared::{{{}}};", kinds.join(", ")).unwrap();
        if DECLARED.iter().any(|p| p.key == KeyUse::CallerAtBuild) {
            out.push_str("use super::key::jwtmint_key;\n");
        }
        if !handles.is_empty() {
            out.push_str("use super::panic::free_handle;\n");
        }
        out.push_str(
            "use super::profiles::jwtmint_profile;\nuse super::result::jwtmint_result;\n\n",
        );
        grant_kind(&mut out);
        let mut done: Vec<&str> = Vec::new();
        let mut named: Vec<&'static str> = Vec::new();
        for p in DECLARED {
            enums(&mut out, p, &mut named);
            if !done.contains(&p.c_options) {
                done.push(p.c_options);
                let users: Vec<&Provider> = DECLARED
                    .iter()
                    .copied()
                    .filter(|q| q.c_options == p.c_options)
                    .collect();
                structure(&mut out, p.c_options, &users);
                read_fn(&mut out, p);
            }
            constructor(&mut out, p);
        }
        for a in handles {
            account(&mut out, a);
        }
        while out.ends_with("\n\n") {
            out.pop();
        }
        out
    }

    #[test]
    fn providers_rs_is_generated() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/ffi/providers.rs");
        let want = render();
        let have = std::fs::read_to_string(path).unwrap_or_default();
        if have != want {
            if std::env::var_os("JWTMINT_REGENERATE").is_some() {
                std::fs::write(path, &want).unwrap();
            } else {
                panic!(
                    "src/ffi/providers.rs is stale: run JWTMINT_REGENERATE=1 cargo test --features ffi --lib ffi::declared, then scripts/gen-header.sh"
                );
            }
        }
    }
}
