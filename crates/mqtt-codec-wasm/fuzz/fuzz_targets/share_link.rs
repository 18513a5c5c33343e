//! A share link's fragment, as anyone could send it to a user (`#share=...`).
//!
//! Properties: opening never panics and never allocates past its bounds, whatever the text; a
//! refusal is worded in both languages without an unfilled template; an accepted link holds
//! one valid dashboard with its own connection and no username, password or client id; and
//! the link the app would make of it opens to the same thing, so sharing what was received
//! passes it on unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tablero::config::{Config, problems};
use tablero::describe::share_error_text;
use tablero::i18n::Lang;
use tablero::share::{open, pack};

fuzz_target!(|data: &[u8]| {
    // Half the inputs as typed text, half as the JSON a hand-made link would carry, so the
    // fuzzer reaches the configuration reader and not only the base64url and inflate gates.
    let (kind, rest) = data.split_first().unwrap_or((&0, &[]));
    let fragment = if kind & 1 == 0 {
        match std::str::from_utf8(rest) {
            Ok(text) => text.to_owned(),
            Err(_) => return,
        }
    } else {
        pack(rest)
    };
    match open(&fragment) {
        Ok(shared) => {
            let c = &shared.connection;
            assert!(c.username.is_none() && c.password.is_none() && c.client_id.is_empty());
            assert_eq!(shared.dashboard.connection, c.id);
            let config = Config {
                version: tablero::config::CURRENT_VERSION,
                connections: vec![c.clone()],
                dashboards: vec![shared.dashboard.clone()],
            };
            assert!(problems(&config).is_empty(), "accepted an invalid dashboard");
            let again = tablero::share::link_fragment(&config, &shared.dashboard.id)
                .expect("the dashboard is there");
            assert_eq!(open(&again).expect("a link the app made opens"), shared);
        }
        Err(e) => {
            let quotes_braces = format!("{e:?}").contains("{}");
            for lang in [Lang::Es, Lang::En] {
                let words = share_error_text(&e, lang);
                assert!(!words.is_empty(), "{e:?}");
                assert!(quotes_braces || !words.contains("{}"), "{e:?}: {words}");
            }
        }
    }
});
