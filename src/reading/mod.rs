//! From payload bytes to what a widget shows: a number through an optional JSON path and a
//! linear transform, or a clear reason why the payload does not fit. Never a panic: payloads
//! come from anyone who can publish to the topic.

pub mod jsonpath;

use crate::payload::{QUOTED_CHARS, excerpt};
use jsonpath::JsonPath;

/// Why a payload could not be read as the widget expects. Shown inside the widget.
#[derive(Debug, Clone, PartialEq)]
pub enum ReadingError {
    /// The payload is not UTF-8 text (it is shown as hex elsewhere).
    Binary,
    /// A JSON path is configured but the payload is not JSON.
    NotJson,
    /// The JSON has nothing at the path.
    PathMissing(String),
    /// The value (at the path) is not a number; carries a short excerpt of what was there.
    NotANumber(String),
}

/// The text of the payload, or of the value at the path (strings without their quotes).
pub fn extract_text(payload: &[u8], path: Option<&JsonPath>) -> Result<String, ReadingError> {
    let text = core::str::from_utf8(payload).map_err(|_| ReadingError::Binary)?;
    let Some(path) = path else {
        return Ok(text.to_owned());
    };
    let json = crate::json::parse(text).map_err(|_| ReadingError::NotJson)?;
    let value = path
        .find(&json)
        .ok_or_else(|| ReadingError::PathMissing(path.to_string()))?;
    Ok(match value {
        crate::json::Json::String(s) => s.clone(),
        other => other.to_string(),
    })
}

/// The longest number text a widget reads (a float's shortest form is at most 24
/// characters; this leaves room for zeros and exponents written out by hand).
pub const MAX_NUMBER_CHARS: usize = 400;

/// The number in a text [`extract_text`] gave: `value * scale + offset`. Accepts JSON
/// numbers, numeric strings and booleans (1/0), because devices publish all three. Read from
/// the text rather than the payload, so a widget that wants both decodes the payload (and
/// parses its JSON) once.
pub fn number_in(text: &str, scale: f64, offset: f64) -> Result<f64, ReadingError> {
    let trimmed = text.trim();
    let raw = match trimmed {
        "true" => 1.0,
        "false" => 0.0,
        // Longer than any number a device sends: refused before it is scanned and copied
        // into JavaScript (a megabyte of digits cost a gauge and a chart a frame each).
        _ if trimmed.len() > MAX_NUMBER_CHARS => {
            return Err(ReadingError::NotANumber(excerpt(trimmed, QUOTED_CHARS)));
        }
        _ => crate::format::parse_f64(trimmed)
            .ok_or_else(|| ReadingError::NotANumber(excerpt(trimmed, QUOTED_CHARS)))?,
    };
    Ok(raw * scale + offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A payload's number, the way `widgets::Sample::read` reads it.
    fn extract_number(
        payload: &[u8],
        path: Option<&JsonPath>,
        scale: f64,
        offset: f64,
    ) -> Result<f64, ReadingError> {
        number_in(&extract_text(payload, path)?, scale, offset)
    }

    fn path(p: &str) -> JsonPath {
        JsonPath::parse(p).unwrap()
    }

    #[test]
    fn plain_number_payload() {
        assert_eq!(extract_number(b" 21.5\n", None, 1.0, 0.0), Ok(21.5));
    }

    #[test]
    fn a_number_longer_than_any_device_sends_is_refused_unread() {
        let long = format!("21.5{}", "0".repeat(MAX_NUMBER_CHARS - 4));
        assert_eq!(extract_number(long.as_bytes(), None, 1.0, 0.0), Ok(21.5));
        let longer = format!("{long}0");
        assert_eq!(
            extract_number(longer.as_bytes(), None, 1.0, 0.0),
            Err(ReadingError::NotANumber(excerpt(&longer, QUOTED_CHARS)))
        );
    }

    #[test]
    fn scale_and_offset_apply() {
        // A raw ADC reading of 512 on 0..1023 → 0..100 %.
        let v = extract_number(b"512", None, 100.0 / 1023.0, 0.0).unwrap();
        assert!((v - 50.048_875).abs() < 1e-3);
        assert_eq!(
            extract_number(b"300", None, 0.1, -273.15),
            Ok(30.0 - 273.15)
        );
    }

    #[test]
    fn json_path_into_payload() {
        let p = path("$.sensor.temp");
        assert_eq!(
            extract_number(br#"{"sensor":{"temp":23.25}}"#, Some(&p), 1.0, 0.0),
            Ok(23.25)
        );
        let p = path("$.readings[1].v");
        assert_eq!(
            extract_number(br#"{"readings":[{"v":1},{"v":"2.5"}]}"#, Some(&p), 1.0, 0.0),
            Ok(2.5)
        );
    }

    #[test]
    fn booleans_read_as_one_and_zero() {
        let p = path("$.on");
        assert_eq!(
            extract_number(br#"{"on":true}"#, Some(&p), 1.0, 0.0),
            Ok(1.0)
        );
    }

    #[test]
    fn payloads_that_do_not_fit_say_why() {
        let p = path("$.temp");
        assert_eq!(
            extract_number(b"hot", None, 1.0, 0.0),
            Err(ReadingError::NotANumber("hot".into()))
        );
        assert_eq!(
            extract_number(b"21.5", Some(&p), 1.0, 0.0),
            Err(ReadingError::PathMissing("$.temp".into())),
            "a bare number has no keys"
        );
        assert_eq!(
            extract_number(b"{oops", Some(&p), 1.0, 0.0),
            Err(ReadingError::NotJson)
        );
        assert_eq!(
            extract_number(br#"{"hum":3}"#, Some(&p), 1.0, 0.0),
            Err(ReadingError::PathMissing("$.temp".into()))
        );
        assert_eq!(
            extract_number(&[0xff, 0xfe], None, 1.0, 0.0),
            Err(ReadingError::Binary)
        );
        assert_eq!(
            extract_number(b"NaN", None, 1.0, 0.0),
            Err(ReadingError::NotANumber("NaN".into()))
        );
        assert_eq!(
            extract_number(b"inf", None, 1.0, 0.0),
            Err(ReadingError::NotANumber("inf".into()))
        );
        let long = "x".repeat(100);
        assert_eq!(
            extract_number(long.as_bytes(), None, 1.0, 0.0),
            Err(ReadingError::NotANumber(format!("{}…", "x".repeat(24))))
        );
    }

    #[test]
    fn text_at_a_path_has_no_quotes() {
        let p = path("$.state");
        assert_eq!(
            extract_text(br#"{"state":"ON"}"#, Some(&p)),
            Ok("ON".into())
        );
        assert_eq!(extract_text(b"ON", None), Ok("ON".into()));
    }

    #[test]
    fn only_decimal_numbers_are_numbers() {
        for bad in ["0x10", "0b1", "0o7", "inf", "NaN", "1e999", "1_000"] {
            assert!(
                matches!(
                    extract_number(bad.as_bytes(), None, 1.0, 0.0),
                    Err(ReadingError::NotANumber(_))
                ),
                "{bad}"
            );
        }
    }
}
