//! Derives the C result-code tables from the one list, the `jwtmint_result`
//! enum in `src/ffi/result.rs`, which cbindgen reads as it is (so no macro
//! expansion, nightly or checked-in generated file is needed).
//!
//! Writes `$OUT_DIR/result_codes.rs` with `ALL` (every code in source
//! order), `name_nul` (the enumerator's name with a NUL) and `message` (the
//! first paragraph of the enumerator's `///` comment, lines joined by one
//! space, without its final full stop). The enum's body must contain only `///` lines, `//` lines, blank
//! lines and `NAME = NUMBER,` lines: anything else fails the build, so the
//! tables cannot silently miss a code (and the matches they generate are
//! exhaustive, so they cannot name one that does not exist).

use std::fmt::Write as _;
use std::path::Path;

const SOURCE: &str = "src/ffi/result.rs";
const OPEN: &str = "pub enum jwtmint_result {";

/// One enumerator: its name and message.
struct Code {
    name: String,
    message: String,
}

fn parse(text: &str) -> Result<Vec<Code>, String> {
    let body = text
        .split_once(OPEN)
        .ok_or_else(|| format!("{SOURCE}: `{OPEN}` not found"))?
        .1;
    let mut codes = Vec::new();
    let mut doc: Vec<&str> = Vec::new();
    for (i, raw) in body.lines().enumerate() {
        let line = raw.trim();
        if line == "}" {
            return Ok(codes);
        }
        if let Some(d) = line.strip_prefix("///") {
            doc.push(d.trim());
            continue;
        }
        if line.is_empty() || line.starts_with("//") {
            continue;
        }
        if let Some((name, _value)) = line.trim_end_matches(',').split_once(" = ") {
            let message = doc
                .iter()
                .take_while(|d| !d.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" ");
            // strerror style: no final full stop (messages are embedded in
            // sentences such as "mint failed: %s").
            let message = message.strip_suffix('.').unwrap_or(&message).to_owned();
            if message.is_empty() || !message.is_ascii() || message.len() > 255 {
                return Err(format!(
                    "{SOURCE}: {name}: the first comment paragraph (the message) must be 1..=255 ASCII bytes"
                ));
            }
            codes.push(Code {
                name: name.to_owned(),
                message,
            });
            doc.clear();
        } else {
            return Err(format!(
                "{SOURCE}: unexpected line {} of the enum: {raw:?}",
                i + 1
            ));
        }
    }
    Err(format!("{SOURCE}: the enum is not closed"))
}

fn render(codes: &[Code]) -> String {
    let mut all = String::new();
    let mut names = String::new();
    let mut messages = String::new();
    for c in codes {
        let _ = writeln!(all, "    R::{},", c.name);
        let _ = writeln!(names, "            R::{0} => \"{0}\\0\",", c.name);
        let _ = writeln!(messages, "            R::{} => {:?},", c.name, c.message);
    }
    format!(
        "/// Every code, in source (= increasing numeric) order. Values have gaps,
/// so look codes up with [`jwtmint_result::from_code`], not by index.
pub(crate) const ALL: &[jwtmint_result] = &[
{all}];

impl jwtmint_result {{
    /// The enumerator's name, e.g. `\"JWTMINT_RESULT_OK\"`, NUL-terminated.
    pub(crate) const fn name_nul(self) -> &'static str {{
        match self {{
{names}        }}
    }}

    /// The code's message: the first paragraph of its comment, without a NUL.
    pub const fn message(self) -> &'static str {{
        match self {{
{messages}        }}
    }}
}}
"
    )
}

/// Generates the tables; panics (failing the build) on a malformed enum.
pub fn generate(manifest: &Path, out_dir: &Path) {
    println!("cargo:rerun-if-changed={SOURCE}");
    let text =
        std::fs::read_to_string(manifest.join(SOURCE)).unwrap_or_else(|e| panic!("{SOURCE}: {e}"));
    let codes = parse(&text).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(out_dir.join("result_codes.rs"), render(&codes))
        .unwrap_or_else(|e| panic!("result_codes.rs: {e}"));
}
