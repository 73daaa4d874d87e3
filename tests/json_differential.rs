//! Deterministic mutation test of the strict JSON layer against serde_json,
//! and of the parsers for panics: 100k mutated inputs from the fuzz seeds and
//! JSON documents (header, claims, token responses).
//!
//! Checked for every mutant: no panic in `parse_jwt` / `parse_claims` /
//! `parse_header` / `TokenResponse::parse`; `parse::validate_json` accepts
//! exactly what serde_json accepts (except numbers beyond f64, which are valid
//! grammar, and lone surrogate escapes, which serde_json accepts); an object
//! accepted by `validate_object` has as many members as serde_json's map
//! (i.e. no duplicate slipped through).
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
        if ours {
            valid += 1;
            if let Err(e) = &theirs {
                assert!(
                    e.to_string().contains("number out of range"),
                    "we accept, serde_json refuses ({e}): {t:?}"
                );
            }
        } else if theirs.is_ok() {
            assert!(t.contains("\\u"), "we refuse, serde_json accepts: {t:?}");
        }
        if jwtmint::parse::validate_json_object(t, jwtmint::JsonPart::Claims).is_ok() {
            objects += 1;
            if let Ok(serde_json::Value::Object(m)) = &theirs {
                let n = jwtmint::parse::Members::new(t).count();
                assert_eq!(n, m.len(), "members vs map (duplicate?): {t:?}");
            }
        }
    }
    eprintln!("{valid} mutants were valid JSON, {objects} valid unique objects");
    assert!(valid > 1000 && objects > 1000);
}
