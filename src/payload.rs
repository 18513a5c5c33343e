//! How a payload is shown to a person. Brokers carry arbitrary bytes; text that is not UTF-8
//! would otherwise turn into replacement characters and hide what the device really sent.

/// UTF-8 payloads as they are; anything else as spaced lowercase hex (`de ad be ef`).
pub fn display_payload(bytes: &[u8]) -> String {
    match core::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => {
            let mut out = String::with_capacity(bytes.len() * 3);
            for (i, b) in bytes.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                out.push(char::from_digit(u32::from(b >> 4), 16).unwrap_or('?'));
                out.push(char::from_digit(u32::from(b & 0x0f), 16).unwrap_or('?'));
            }
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::display_payload;

    #[test]
    fn utf8_payload_is_shown_as_text() {
        assert_eq!(display_payload("21.5 °C".as_bytes()), "21.5 °C");
    }

    #[test]
    fn binary_payload_is_shown_as_hex() {
        assert_eq!(display_payload(&[0xde, 0xad, 0x00, 0xff]), "de ad 00 ff");
    }

    #[test]
    fn markup_stays_text() {
        // The string is returned untouched; the view renders it as a text node.
        assert_eq!(display_payload(b"<b>x</b>"), "<b>x</b>");
    }
}
