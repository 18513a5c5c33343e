//! A payload as the broker view shows it: text, JSON laid out, hex or base64, always bounded
//! (a payload can be megabytes; the screen shows at most `max_chars` of it).

use crate::json::{Json, parse};
use crate::payload::{excerpt, hex};

/// How a payload is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    /// UTF-8 as it is; anything else as hex.
    Text,
    /// JSON laid out with indentation; a payload that is no JSON as text.
    Json,
    Hex,
    Base64,
}

impl Shown {
    pub const ALL: [Shown; 4] = [Shown::Text, Shown::Json, Shown::Hex, Shown::Base64];

    pub fn tag(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Json => "json",
            Self::Hex => "hex",
            Self::Base64 => "base64",
        }
    }

    pub fn from_tag(tag: &str) -> Self {
        Self::ALL
            .into_iter()
            .find(|s| s.tag() == tag)
            .unwrap_or(Self::Text)
    }
}

/// At most this many bytes of a payload are formatted (hex triples them): what is beyond
/// could not be shown anyway.
const FORMATTED_BYTES: usize = 64 * 1024;

/// `payload` shown as `how`, cut at `max_chars` characters (with `…`).
pub fn show(payload: &[u8], how: Shown, max_chars: usize) -> String {
    // Hex and base64 take at least a character a byte: `max_chars` bytes are enough.
    let head = &payload[..payload.len().min(FORMATTED_BYTES).min(max_chars + 1)];
    let text = match how {
        Shown::Text => match core::str::from_utf8(payload) {
            Ok(t) => return excerpt(t, max_chars),
            Err(_) => hex(head),
        },
        Shown::Json => match core::str::from_utf8(payload).ok().map(parse) {
            Some(Ok(json)) => {
                let mut out = String::new();
                pretty(&mut out, &json, 0, max_chars);
                out
            }
            _ => return show(payload, Shown::Text, max_chars),
        },
        Shown::Hex => hex(head),
        Shown::Base64 => base64(head),
    };
    let cut = payload.len() > head.len();
    match (excerpt(&text, max_chars), cut) {
        (t, true) if !t.ends_with('…') => t + "…",
        (t, _) => t,
    }
}

/// Standard base64 with padding (RFC 4648 section 4).
pub fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    crate::payload::base64_with(bytes, ABC, true)
}

/// JSON laid out two spaces an indent, stopping once `budget` characters are written.
fn pretty(out: &mut String, v: &Json, level: usize, budget: usize) {
    if out.len() > budget {
        return;
    }
    let indent = |out: &mut String, level: usize| {
        out.push('\n');
        out.extend(std::iter::repeat_n("  ", level));
    };
    match v {
        Json::Null => out.push_str("null"),
        Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Json::Number(n) => out.push_str(n),
        Json::String(s) => crate::config::json_string(out, s),
        Json::Array(items) if items.is_empty() => out.push_str("[]"),
        Json::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                indent(out, level + 1);
                pretty(out, item, level + 1, budget);
            }
            indent(out, level);
            out.push(']');
        }
        Json::Object(members) if members.is_empty() => out.push_str("{}"),
        Json::Object(members) => {
            out.push('{');
            for (i, (k, item)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                indent(out, level + 1);
                crate::config::json_string(out, k);
                out.push_str(": ");
                pretty(out, item, level + 1, budget);
            }
            indent(out, level);
            out.push('}');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc4648_vectors() {
        for (raw, enc) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(raw.as_bytes()), enc);
        }
    }

    #[test]
    fn binary_text_is_shown_as_hex() {
        assert_eq!(
            show(&[0xde, 0xad, 0xbe, 0xef], Shown::Text, 100),
            "de ad be ef"
        );
    }

    #[test]
    fn json_is_laid_out_and_non_json_falls_back_to_text() {
        assert_eq!(
            show(br#"{"a":[1,true],"b":{}}"#, Shown::Json, 1000),
            "{\n  \"a\": [\n    1,\n    true\n  ],\n  \"b\": {}\n}"
        );
        assert_eq!(show(b"21.5 C", Shown::Json, 100), "21.5 C");
    }

    #[test]
    fn a_megabyte_is_cut_to_the_bound() {
        let big = vec![b'x'; 1 << 20];
        for how in Shown::ALL {
            let shown = show(&big, how, 500);
            assert!(shown.chars().count() <= 501, "{how:?}");
            assert!(shown.ends_with('…'), "{how:?}");
        }
    }
}
