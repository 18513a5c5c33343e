//! The app's JSON reader (`tablero::json`), which reads every payload at a JSON path and every
//! configuration file and share link, against serde_json as the reference.
//!
//! Properties: never panics (nesting is bounded, so no stack overflow either); a text is JSON
//! for one exactly when it is for the other; an accepted text gives the same tree (numbers
//! compared as their text, as `arbitrary_precision` keeps them; a duplicate key's last value
//! wins in both); what the reader prints (`Display`) reads back as the same tree.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tablero::json::{Json, parse};

fn to_serde(v: &Json) -> serde_json::Value {
    use serde_json::Value as V;
    match v {
        Json::Null => V::Null,
        Json::Bool(b) => V::Bool(*b),
        Json::Number(n) => serde_json::from_str(n).expect("a number the reader accepted"),
        Json::String(s) => V::String(s.clone()),
        Json::Array(items) => V::Array(items.iter().map(to_serde).collect()),
        Json::Object(members) => V::Object(
            members
                .iter()
                .map(|(k, v)| (k.clone(), to_serde(v)))
                .collect(),
        ),
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let ours = parse(text);
    let theirs: Result<serde_json::Value, _> = serde_json::from_str(text);
    match (&ours, &theirs) {
        (Ok(a), Ok(b)) => {
            assert_eq!(&to_serde(a), b, "the trees differ");
            let printed = a.to_string();
            assert_eq!(parse(&printed).as_ref(), Ok(a), "printed: {printed}");
        }
        (Err(_), Err(_)) => {}
        _ => panic!("ours {ours:?}, serde_json {theirs:?}"),
    }
});
