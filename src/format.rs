//! Numbers and templates as a person reads them: the one home for turning values into text
//! and typed text into numbers.
//!
//! In the browser, float parsing and formatting go through JavaScript's `Number` (a few
//! hundred bytes of glue) instead of Rust's `core::fmt` float code and `str::parse::<f64>`
//! (≈24 KB gzip of the first load). Natively (tests) the Rust code stands in; both sides
//! agree on every case the tests pin down.

use crate::i18n::Lang;

/// Fills each `{}` of a translated template with the next argument, inserted literally (a
/// `{}` inside an argument is never filled again).
pub fn fill(template: &str, args: &[&str]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    let mut args = args.iter();
    while let Some(at) = rest.find("{}") {
        out.push_str(&rest[..at]);
        out.push_str(args.next().copied().unwrap_or(""));
        rest = &rest[at + 2..];
    }
    out.push_str(rest);
    out
}

/// The shortest text that reads back as `value` (`21.5`, `0.1`, `100`).
pub fn shortest(value: f64) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        js_sys::Number::from(value)
            .to_string_with_radix(10)
            .map(String::from)
            .unwrap_or_default()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        value.to_string()
    }
}

/// A number as people write it in each language: `21,5` in Spanish, `21.5` in English.
pub fn localized(value: f64, lang: Lang) -> String {
    let text = shortest(value);
    match lang {
        Lang::Es => text.replace('.', ","),
        Lang::En => text,
    }
}

/// Fixed decimals, for a widget's value: `-0` is shown as `0`.
pub fn fixed(value: f64, decimals: u8) -> String {
    #[cfg(target_arch = "wasm32")]
    let s = {
        let digits = u8::min(decimals, 20);
        js_sys::Number::from(value)
            .to_fixed(digits)
            .map(String::from)
            .unwrap_or_default()
    };
    #[cfg(not(target_arch = "wasm32"))]
    let s = format!("{:.*}", usize::from(decimals), value);
    if s.trim_start_matches('-')
        .chars()
        .all(|c| c == '0' || c == '.')
    {
        s.trim_start_matches('-').to_owned()
    } else {
        s
    }
}

/// A decimal number (`21.5`, `-3`, `1e3`, `.5`), strictly: the whole text must be the number,
/// written in decimal. `inf` and `NaN` are refused, and so are `0x10`, `0b1` and `0o7` (which
/// JavaScript's `Number` would take), so both sides accept the same texts.
pub fn parse_f64(text: &str) -> Option<f64> {
    if text.is_empty()
        || !text
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'))
    {
        return None;
    }
    #[cfg(target_arch = "wasm32")]
    {
        let v = js_sys::Number::from(wasm_bindgen::JsValue::from_str(text)).value_of();
        v.is_finite().then_some(v)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        text.parse::<f64>().ok().filter(|v| v.is_finite())
    }
}

/// A number typed into a form or sent by a device: digits, one `.`, a sign, an exponent.
/// Hex (`0x10`), `Infinity`, `NaN` and thousands separators are refused.
pub fn parse_plain_number(text: &str) -> Option<f64> {
    let text = text.trim();
    if !text.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    parse_f64(text)
}

/// `Math.sin`, `Math.cos`, `Math.log10` and `Math.pow` in the browser, where Rust's own
/// (libm) would add their tables and range reduction to the first load; the same functions
/// natively.
pub mod math {
    #[cfg(target_arch = "wasm32")]
    pub use js_sys::Math::{cos, log10, pow, sin};

    #[cfg(not(target_arch = "wasm32"))]
    pub fn sin(x: f64) -> f64 {
        x.sin()
    }
    #[cfg(not(target_arch = "wasm32"))]
    pub fn cos(x: f64) -> f64 {
        x.cos()
    }
    #[cfg(not(target_arch = "wasm32"))]
    pub fn log10(x: f64) -> f64 {
        x.log10()
    }
    #[cfg(not(target_arch = "wasm32"))]
    pub fn pow(base: f64, exponent: f64) -> f64 {
        base.powf(exponent)
    }
}

/// Fixed-point text with two decimals from integer arithmetic, for SVG coordinates: no float
/// formatting code for a drawing that needs none.
pub fn coord(value: f64) -> String {
    let hundredths = (value * 100.0).round() as i64;
    let sign = if hundredths < 0 { "-" } else { "" };
    let abs = hundredths.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_fill_in_order() {
        assert_eq!(fill("a {} b {} c", &["1", "2"]), "a 1 b 2 c");
        assert_eq!(fill("no holes", &["1"]), "no holes");
        assert_eq!(fill("{}{}", &["x"]), "x");
        assert_eq!(
            fill("<{}>", &["{}"]),
            "<{}>",
            "arguments are inserted literally"
        );
        // A "{}" that came in with an argument (a field path quoted from a hostile file)
        // never takes the next argument.
        assert_eq!(fill("{} en {}", &["{}", "x"]), "{} en x");
    }

    #[test]
    fn numbers_in_each_language() {
        assert_eq!(localized(21.5, Lang::Es), "21,5");
        assert_eq!(localized(21.5, Lang::En), "21.5");
        assert_eq!(localized(100.0, Lang::Es), "100");
    }

    #[test]
    fn fixed_decimals_hide_negative_zero() {
        assert_eq!(fixed(21.46, 1), "21.5");
        assert_eq!(fixed(-0.04, 1), "0.0");
        assert_eq!(fixed(3.0, 0), "3");
        assert_eq!(fixed(-2.5, 2), "-2.50");
    }

    #[test]
    fn plain_numbers_only() {
        assert_eq!(parse_plain_number(" 21.5\n"), Some(21.5));
        assert_eq!(parse_plain_number("-3"), Some(-3.0));
        assert_eq!(parse_plain_number("1e3"), Some(1000.0));
        for bad in ["", "abc", "0x10", "NaN", "inf", "1e999", "-", "1,5", "1 2"] {
            assert_eq!(parse_plain_number(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn coordinates_have_two_decimals() {
        assert_eq!(coord(21.456), "21.46");
        assert_eq!(coord(-0.5), "-0.50");
        assert_eq!(coord(-0.004), "0.00");
        assert_eq!(coord(100.0), "100.00");
    }
}
