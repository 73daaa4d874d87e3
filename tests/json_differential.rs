//! Deterministic mutation test of the strict JSON layer against serde_json,
//! and of the parsers for panics: 100k mutated inputs from the fuzz seeds and
//! JSON documents (header, claims, token responses).
//!
//! Checked for every mutant: no panic in `parse_jwt` / `parse_claims` /
//! `parse_header` / `TokenResponse::parse`; `parse::validate_json` accepts
//! exactly what serde_json accepts, with two documented exceptions checked
//! precisely: numbers beyond f64 (valid grammar; serde_json refuses them) and
//! lone or reversed UTF-16 surrogate escapes (not Unicode; we refuse them,
//! serde_json accepts them); for every document both accept, the value read
//! through `jwtmint::parse` (strings decoded, `\u` escapes included) equals
//! serde_json's; an object accepted by `validate_json_object` has as many members
//! as serde_json's map (i.e. no duplicate slipped through).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

const JSON_SEEDS: [&[u8]; 5] = [
    br#"{"iss":"joe","exp":1300819380,"http://example.com/is_root":true}"#,
    br#"{"aud":["a","b\/c"],"sub":"\ud834\udd1e","nbf":0,"iat":12,"k":{"a":[1,2.5e3,-0]},"jti":"x"}"#,
    br#"{"alg":"RS256","typ":"JWT","kid":"k\u0031","crit":["x"]}"#,
    br#"{"error":"invalid_grant","error_description":"bad","error_codes":[70011],"issued_at":"1700000000123"}"#,
    br#"{"access_token":"eyJhbGciOiJSUzI1NiJ9.eyJleHAiOjIwMDB9.c2ln","expires_in":"12","scope":"a\/b","x":[{"y":null}]}"#,
];

#[test]
fn mutants_agree_with_serde_json_and_never_panic() {
    let mut seeds: Vec<Vec<u8>> = Vec::new();
    for e in common::json("fuzz_seeds/INDEX.json").as_array().unwrap() {
        seeds.push(common::read(&format!(
            "fuzz_seeds/{}",
            e["file"].as_str().unwrap()
        )));
    }
    for j in JSON_SEEDS {
        for _ in 0..8 {
            seeds.push(j.to_vec());
        }
    }
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut rnd = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let alphabet =
        b"{}[]\":,\\u0123456789abcdefABCDEF-_.=+/ \n\x00\xc3\xa9\xef\xbb\xbfeyJtruenullfalse";
    let mut buf = vec![0u8; 64 * 1024];
    let (mut valid, mut objects) = (0, 0);
    let (mut compared, mut escaped, mut compared_escaped, mut lone) = (0, 0, 0, 0);
    for _ in 0..100_000 {
        let mut d = seeds[(rnd() as usize) % seeds.len()].clone();
        for _ in 0..(1 + rnd() % 3) {
            if d.is_empty() {
                d.push(b'{');
            }
            let p = (rnd() as usize) % d.len();
            match rnd() % 5 {
                0 | 4 => d[p] = alphabet[(rnd() as usize) % alphabet.len()],
                1 => d.insert(p, alphabet[(rnd() as usize) % alphabet.len()]),
                2 => {
                    d.remove(p);
                }
                _ => {
                    if rnd() % 4 == 0 {
                        d.truncate(p);
                    }
                }
            }
        }
        let _ = jwtmint::parse::parse_jwt(&d, &mut buf);
        let _ = jwtmint::parse::parse_claims(&d);
        let _ = jwtmint::parse::parse_header(&d);
        let _ = jwtmint::TokenResponse::parse(&d);
        let Ok(t) = std::str::from_utf8(&d) else {
            continue;
        };
        let ours = jwtmint::parse::validate_json(t).is_ok();
        let theirs = serde_json::from_str::<serde_json::Value>(t);
        if t.contains("\\u") {
            escaped += 1;
        }
        if ours {
            valid += 1;
            match &theirs {
                Err(e) => assert!(
                    e.to_string().contains("number out of range"),
                    "we accept, serde_json refuses ({e}): {t:?}"
                ),
                Ok(v) => {
                    assert_eq!(&view_value(t), v, "decoded values differ: {t:?}");
                    compared += 1;
                    if t.contains("\\u") {
                        compared_escaped += 1;
                    }
                }
            }
        } else if theirs.is_ok() {
            assert!(
                has_lone_surrogate_escape(t),
                "we refuse, serde_json accepts: {t:?}"
            );
            lone += 1;
        }
        if jwtmint::parse::validate_json_object(t, jwtmint::JsonPart::Claims).is_ok() {
            objects += 1;
            if let Ok(serde_json::Value::Object(m)) = &theirs {
                let n = jwtmint::parse::Members::new(t).count();
                assert_eq!(n, m.len(), "members vs map (duplicate?): {t:?}");
            }
        }
    }
    eprintln!(
        "{valid} mutants were valid JSON ({compared} compared by value, \
         {compared_escaped} of them with \\u escapes; {escaped} mutants had \\u), \
         {objects} valid unique objects, {lone} refused for a lone surrogate only"
    );
    assert!(valid > 1000 && objects > 1000 && compared > 1000);
    assert!(compared_escaped > 100, "{compared_escaped}");
}

/// The value of validated JSON `t` read through jwtmint's views: objects
/// with `Members` (a later duplicate replaces an earlier one, as in
/// serde_json), arrays with `Elements`, strings decoded by `JsonStr::chars`.
/// Numbers are read by serde_json from their raw text (their grammar is
/// checked by the differential above).
fn view_value(t: &str) -> serde_json::Value {
    use jwtmint::parse::{Elements, Members, raw_string};
    use serde_json::Value;
    let t = t.trim_matches([' ', '\t', '\n', '\r']);
    match t.as_bytes().first() {
        Some(b'{') => Value::Object(
            Members::new(t)
                .map(|(k, v)| (k.chars().collect::<String>(), view_value(v)))
                .collect(),
        ),
        Some(b'[') => Value::Array(Elements::new(t).unwrap().map(view_value).collect()),
        Some(b'"') => Value::String(raw_string(t).unwrap().chars().collect()),
        _ => serde_json::from_str(t).unwrap_or_else(|e| panic!("{t:?}: {e}")),
    }
}

/// Whether `t` has a `\uXXXX` escape of a UTF-16 surrogate that is not the
/// high half of a high-low pair or the low half after its high half.
fn has_lone_surrogate_escape(t: &str) -> bool {
    let b = t.as_bytes();
    let hex = |i: usize| {
        b.get(i..i + 4)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u32::from_str_radix(h, 16).ok())
    };
    let mut i = 0;
    let mut pending_high = false;
    while i < b.len() {
        if b[i] != b'\\' {
            if pending_high {
                return true;
            }
            i += 1;
            continue;
        }
        match (b.get(i + 1), hex(i + 2)) {
            (Some(b'u'), Some(cp)) => {
                match cp {
                    0xD800..=0xDBFF if pending_high => return true,
                    0xD800..=0xDBFF => pending_high = true,
                    0xDC00..=0xDFFF if pending_high => pending_high = false,
                    0xDC00..=0xDFFF => return true,
                    _ if pending_high => return true,
                    _ => {}
                }
                i += 6;
            }
            _ => {
                if pending_high {
                    return true;
                }
                i += 2;
            }
        }
    }
    pending_high
}

#[test]
fn surrogate_escapes_decode_like_serde_json_or_are_refused() {
    // (JSON text, has a lone/reversed surrogate escape)
    let cases = [
        (r#""\ud834\udd1e""#, false),
        (r#""\uD834\uDD1E tail""#, false),
        (r#"{"k\u0031":"\u00e9\u0000"}"#, false),
        (r#""\\ud834""#, false), // an escaped backslash, then text
        (r#""\ud834""#, true),
        (r#""\udd1e""#, true),
        (r#""\udd1e\ud834""#, true),
        (r#""\ud834x""#, true),
        (r#""\ud834\u0041""#, true),
        (r#""\ud834\ud834\udd1e""#, true),
    ];
    // Where the lone ones are refused: at the offending escape.
    let offsets = [1, 1, 1, 1, 1, 1];
    let mut refused = offsets.iter();
    for (t, lone) in cases {
        assert_eq!(has_lone_surrogate_escape(t), lone, "{t}");
        let ours = jwtmint::parse::validate_json(t);
        let theirs = serde_json::from_str::<serde_json::Value>(t);
        if lone {
            let offset = *refused.next().unwrap();
            assert_eq!(ours, Err(jwtmint::Error::InvalidRawJson { offset }), "{t}");
        } else {
            assert_eq!(ours, Ok(()), "{t}");
            assert_eq!(view_value(t), theirs.unwrap(), "{t}");
        }
    }
}
