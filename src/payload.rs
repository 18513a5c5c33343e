//! How a payload is shown to a person. Brokers carry arbitrary bytes; text that is not UTF-8
//! would otherwise turn into replacement characters and hide what the device really sent.

/// How many characters of a payload a widget shows in place: the rest is on demand (a
/// payload can be megabytes; laid out in a card it blocked the page for seconds).
pub const SHOWN_CHARS: usize = 280;
/// How many characters of an unreadable payload an error line or a label quotes.
pub const QUOTED_CHARS: usize = 24;

/// The byte offset where `text` is cut to show `max_chars` characters, if it is longer.
/// Walks at most `max_chars` characters, whatever the length of the text.
pub fn cut_at(text: &str, max_chars: usize) -> Option<usize> {
    text.char_indices().nth(max_chars).map(|(at, _)| at)
}

/// `text` as shown in a bounded place: at most `max_chars` characters, and `…` when cut.
pub fn excerpt(text: &str, max_chars: usize) -> String {
    match cut_at(text, max_chars) {
        Some(at) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

/// UTF-8 payloads as they are; anything else as spaced lowercase hex (`de ad be ef`).
pub fn display_payload(bytes: &[u8]) -> String {
    match core::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => hex(bytes),
    }
}

/// Spaced lowercase hex (`de ad be ef`).
pub fn hex(bytes: &[u8]) -> String {
    // Filled in place from a table: a megabyte is 3 MB of hex, and a `char` pushed per
    // digit made building it a third of the frame it cost (paint benchmark).
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = vec![b' '; (bytes.len() * 3).saturating_sub(1)];
    for (i, b) in bytes.iter().enumerate() {
        out[3 * i] = DIGITS[usize::from(b >> 4)];
        out[3 * i + 1] = DIGITS[usize::from(b & 0x0f)];
    }
    String::from_utf8(out).unwrap_or_default()
}

/// Base64 (RFC 4648) in `alphabet`, with `=` padding or without: the standard alphabet for
/// the broker view's payloads, the URL-safe one for share links.
pub fn base64_with(bytes: &[u8], alphabet: &[u8; 64], pad: bool) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(char::from(alphabet[(n >> (18 - 6 * i) & 63) as usize]));
        }
        if pad {
            out.extend(std::iter::repeat_n('=', 3 - chunk.len()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_are_bounded_in_characters_not_bytes() {
        assert_eq!(excerpt("short", 24), "short");
        assert_eq!(excerpt("ñandú", 3), "ñan…");
        assert_eq!(cut_at("abc", 3), None);
        assert_eq!(cut_at("abcd", 3), Some(3));
        let huge = "é".repeat(1_000_000);
        let shown = excerpt(&huge, SHOWN_CHARS);
        assert_eq!(shown.chars().count(), SHOWN_CHARS + 1);
        assert!(shown.ends_with('…'));
    }

    #[test]
    fn utf8_payload_is_shown_as_text() {
        assert_eq!(display_payload("21.5 °C".as_bytes()), "21.5 °C");
    }

    #[test]
    fn binary_payload_is_shown_as_hex() {
        assert_eq!(display_payload(&[0xde, 0xad, 0x00, 0xff]), "de ad 00 ff");
        assert_eq!(display_payload(&[0x80]), "80");
        let mega = vec![0xffu8; 1 << 20];
        let hex = display_payload(&mega);
        assert_eq!(hex.len(), 3 * (1 << 20) - 1);
        assert!(hex.starts_with("ff ff ") && hex.ends_with(" ff"));
    }

    #[test]
    fn markup_stays_text() {
        // The string is returned untouched; the view renders it as a text node.
        assert_eq!(display_payload(b"<b>x</b>"), "<b>x</b>");
    }
}
