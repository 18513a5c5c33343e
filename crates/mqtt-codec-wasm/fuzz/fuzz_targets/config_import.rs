//! A configuration file or stored text, as a user or an attacker could hand it to the app
//! (import, local storage, a share link all go through `config::parse`).
//!
//! Properties: parsing never panics, whatever the bytes (text only: the app reads files as
//! UTF-8 and refuses anything else before this point); a refusal is worded in both languages
//! without an unfilled template (text quoted from the file is never taken for one:
//! `format::fill` scans only its template); an accepted configuration is valid and survives being
//! written and read again unchanged, so what the app stores is what it accepted.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tablero::config::{parse, problems, to_json};
use tablero::describe::config_error_text;
use tablero::i18n::Lang;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match parse(text) {
        Ok(config) => {
            assert!(problems(&config).is_empty(), "accepted an invalid configuration");
            let again = parse(&to_json(&config)).expect("what was accepted reads back");
            assert_eq!(again, config);
        }
        Err(e) => {
            // A field path quoted from the file may hold "{}" itself; only when it does not
            // is a "{}" in the sentence an unfilled template.
            let quotes_braces = format!("{e:?}").contains("{}");
            for lang in [Lang::Es, Lang::En] {
                let words = config_error_text(&e, lang);
                assert!(!words.is_empty(), "{e:?}");
                assert!(quotes_braces || !words.contains("{}"), "{e:?}: {words}");
            }
        }
    }
});
