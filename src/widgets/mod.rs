//! The core widgets: gauge, value card, switch and chart.
//!
//! A widget never sees MQTT. The caller (the dashboard) subscribes, reads each message through
//! the widget's binding into a [`Sample`] (see [`Sample::read`]) and hands the widget signals.
//! Commands go back out through a callback. The pure parts — the switch's state machine, the
//! chart's history buffer, the gauge's geometry, "N s ago" — live in plain functions and types
//! that are tested natively.
//!
//! Every widget renders as `<article class="widget widget-{type}" data-widget-id="{id}">` with
//! its title in an `<h3 class="widget-title">`, and renders everything that came from the broker
//! as text nodes, never as markup.

pub mod chart;
pub mod gauge;
pub mod history;
pub mod switch;
pub mod switch_state;
pub mod value;

pub use chart::Chart;
pub use gauge::Gauge;
pub use history::History;
pub use switch::SwitchWidget;
pub use switch_state::{SwitchState, SwitchStatus};
pub use value::ValueCard;

use crate::i18n::{Lang, Text, t};
use crate::payload::display_payload;
use crate::reading::jsonpath::JsonPath;
use crate::reading::{ReadingError, extract_number, extract_text};

/// One message as a widget sees it, already read through its binding (topic, JSON path, scale).
///
/// `text` is the payload text or the value at the JSON path. A binary (non-UTF-8) payload has
/// `value: Err(ReadingError::Binary)` and `text: Ok(..)` with the payload as spaced hex
/// (`de ad be ef`), so a raw-text widget can still show what the device sent. [`Sample::read`]
/// builds a sample that keeps to this rule.
#[derive(Clone, Debug, PartialEq)]
pub struct Sample {
    pub value: Result<f64, ReadingError>,
    pub text: Result<String, ReadingError>,
    /// When the message arrived, in ms since the epoch (`js_sys::Date::now()`).
    pub at_ms: f64,
    pub retained: bool,
}

impl Sample {
    /// Reads a payload the way every widget expects: `value = number * scale + offset` and
    /// `text` as described on [`Sample`]. Parse the binding's JSON path once, not per message.
    pub fn read(
        payload: &[u8],
        path: Option<&JsonPath>,
        scale: f64,
        offset: f64,
        at_ms: f64,
        retained: bool,
    ) -> Self {
        let text = match extract_text(payload, path) {
            Err(ReadingError::Binary) => Ok(display_payload(payload)),
            other => other,
        };
        Self {
            value: extract_number(payload, path, scale, offset),
            text,
            at_ms,
            retained,
        }
    }
}

/// Fills the one `{}` of a translated template with `arg` (inserted literally, once).
pub fn fill(template: &str, arg: &str) -> String {
    template.replacen("{}", arg, 1)
}

/// Why a payload did not fit, in words for a person.
pub fn describe_error(lang: Lang, err: &ReadingError) -> String {
    match err {
        ReadingError::Binary => t(lang, Text::ReadingBinary).to_owned(),
        ReadingError::NotJson => t(lang, Text::ReadingNotJson).to_owned(),
        ReadingError::PathMissing(path) => fill(t(lang, Text::ReadingNothingAt), path),
        ReadingError::NotANumber(excerpt) => fill(t(lang, Text::ReadingNotANumber), excerpt),
    }
}

/// "updated 12 s ago", in minutes from one minute, hours from one hour, days from one day.
/// A negative age (the clock went back) reads as "just now".
pub fn format_ago(lang: Lang, elapsed_ms: f64) -> String {
    let secs = if elapsed_ms.is_finite() {
        (elapsed_ms / 1000.0).floor().max(0.0)
    } else {
        0.0
    };
    // Truncating floats: whole units, as a person reads a clock.
    let (key, n) = if secs < 1.0 {
        return t(lang, Text::UpdatedJustNow).to_owned();
    } else if secs < 60.0 {
        (Text::UpdatedSecondsAgo, secs)
    } else if secs < 3600.0 {
        (Text::UpdatedMinutesAgo, (secs / 60.0).floor())
    } else if secs < 86_400.0 {
        (Text::UpdatedHoursAgo, (secs / 3600.0).floor())
    } else {
        (Text::UpdatedDaysAgo, (secs / 86_400.0).floor())
    };
    fill(t(lang, key), &format!("{n:.0}"))
}

/// The value a numeric widget shows after `sample`: a good reading replaces it, a bad one
/// keeps the previous good value (shown greyed), no sample at all clears it.
pub fn last_good(prev: Option<f64>, sample: Option<&Sample>) -> Option<f64> {
    match sample {
        None => None,
        Some(Sample { value: Ok(v), .. }) => Some(*v),
        Some(_) => prev,
    }
}

/// `#rgb` or `#rrggbb` (the forms the configuration allows) as red, green, blue.
pub fn parse_hex_color(color: &str) -> Option<(u8, u8, u8)> {
    let hex = color.strip_prefix('#')?;
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let digit = |i: usize| u8::from_str_radix(&hex[i..=i], 16).ok();
    match hex.len() {
        3 => Some((digit(0)? * 17, digit(1)? * 17, digit(2)? * 17)),
        6 => {
            let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
            Some((byte(0)?, byte(2)?, byte(4)?))
        }
        _ => None,
    }
}

/// The colour attribute value to put in markup: the configured colour when it is a valid
/// hex colour, `fallback` otherwise (a colour reaches an attribute, so it is never passed raw).
pub(crate) fn safe_color(color: &str, fallback: &'static str) -> String {
    if parse_hex_color(color).is_some() {
        color.to_owned()
    } else {
        fallback.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_minutes_hours_days_ago() {
        let en = |ms: f64| format_ago(Lang::En, ms);
        assert_eq!(en(0.0), "updated just now");
        assert_eq!(en(999.0), "updated just now");
        assert_eq!(en(-5_000.0), "updated just now", "clock went back");
        assert_eq!(en(f64::NAN), "updated just now");
        assert_eq!(en(1_000.0), "updated 1 s ago");
        assert_eq!(en(12_500.0), "updated 12 s ago");
        assert_eq!(en(59_999.0), "updated 59 s ago");
        assert_eq!(en(60_000.0), "updated 1 min ago");
        assert_eq!(en(3_599_000.0), "updated 59 min ago");
        assert_eq!(en(3_600_000.0), "updated 1 h ago");
        assert_eq!(en(86_399_000.0), "updated 23 h ago");
        assert_eq!(en(86_400_000.0 * 3.5), "updated 3 d ago");
        assert_eq!(format_ago(Lang::Es, 12_000.0), "actualizado hace 12 s");
        assert_eq!(format_ago(Lang::Es, 300_000.0), "actualizado hace 5 min");
        assert_eq!(format_ago(Lang::Es, 0.0), "actualizado ahora mismo");
    }

    #[test]
    fn reading_errors_in_words() {
        let e = |err| describe_error(Lang::En, &err);
        assert_eq!(
            e(ReadingError::NotANumber("hot".into())),
            "not a number: hot"
        );
        assert_eq!(
            e(ReadingError::PathMissing("$.temp".into())),
            "nothing at $.temp"
        );
        assert_eq!(e(ReadingError::NotJson), "not JSON");
        assert_eq!(e(ReadingError::Binary), "binary payload");
        assert_eq!(
            describe_error(Lang::Es, &ReadingError::NotANumber("{}".into())),
            "no es un número: {}",
            "broker text is inserted literally"
        );
    }

    #[test]
    fn sample_reads_binary_as_hex_text() {
        let s = Sample::read(&[0xff, 0xfe], None, 1.0, 0.0, 5.0, true);
        assert_eq!(s.value, Err(ReadingError::Binary));
        assert_eq!(s.text, Ok("ff fe".into()));
        assert!(s.retained);
        let p = JsonPath::parse("$.t").unwrap();
        let s = Sample::read(br#"{"t":"21"}"#, Some(&p), 2.0, 1.0, 0.0, false);
        assert_eq!(s.value, Ok(43.0));
        assert_eq!(s.text, Ok("21".into()));
        let s = Sample::read(b"nope", Some(&p), 1.0, 0.0, 0.0, false);
        assert_eq!(s.value, Err(ReadingError::NotJson));
        assert_eq!(s.text, Err(ReadingError::NotJson));
    }

    #[test]
    fn last_good_value_survives_bad_readings() {
        let ok = |v| Sample {
            value: Ok(v),
            text: Ok(v.to_string()),
            at_ms: 0.0,
            retained: false,
        };
        let bad = Sample {
            value: Err(ReadingError::NotJson),
            text: Err(ReadingError::NotJson),
            at_ms: 0.0,
            retained: false,
        };
        assert_eq!(last_good(None, Some(&ok(1.0))), Some(1.0));
        assert_eq!(last_good(Some(1.0), Some(&bad)), Some(1.0));
        assert_eq!(last_good(None, Some(&bad)), None);
        assert_eq!(last_good(Some(1.0), Some(&ok(2.0))), Some(2.0));
        assert_eq!(last_good(Some(1.0), None), None);
    }

    #[test]
    fn hex_colours() {
        assert_eq!(parse_hex_color("#fff"), Some((255, 255, 255)));
        assert_eq!(parse_hex_color("#0b7a75"), Some((11, 122, 117)));
        assert_eq!(parse_hex_color("#0B7A75"), Some((11, 122, 117)));
        assert_eq!(parse_hex_color("0b7a75"), None);
        assert_eq!(parse_hex_color("#12345"), None);
        assert_eq!(parse_hex_color("#ééé"), None);
        assert_eq!(parse_hex_color("red;x"), None);
        assert_eq!(safe_color("\" onload=\"x", "#888"), "#888");
    }
}
