//! "Make a widget from this topic": the kind a payload suggests and the widget prefilled
//! for the editor. A number makes a gauge, a word of a pair (`on`/`off`, `true`/`false`,
//! `1`/`0`, any case) a switch, anything else a value; a JSON payload offers its fields, and
//! the one tapped is read through its JSON path.

use crate::config::{Widget, WidgetKind};
use crate::i18n::Lang;
use crate::json::{Json, parse};
use crate::reading::jsonpath::JsonPath;
use crate::reading::{extract_text, number_in};
use crate::widgets::{Kind, new_widget};

/// The kinds offered for a topic, in the order of the picker.
pub const OFFERED: [Kind; 5] = [
    Kind::Gauge,
    Kind::Chart,
    Kind::Switch,
    Kind::Led,
    Kind::Value,
];

/// The most fields of a JSON payload offered to tap (a payload can hold thousands).
const MAX_FIELDS: usize = 40;

/// A field of a JSON payload that a widget can read: its path and its value as text.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub path: String,
    pub value: String,
}

/// The scalar fields of a JSON object or array payload, depth first, at most [`MAX_FIELDS`];
/// keys that need quoting are written `$['a b']`. Nothing for a payload that is no JSON
/// container.
pub fn fields(payload: &[u8]) -> Vec<Field> {
    let Some(json) = core::str::from_utf8(payload)
        .ok()
        .and_then(|t| parse(t).ok())
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if matches!(json, Json::Object(_) | Json::Array(_)) {
        walk(&json, &mut "$".to_owned(), &mut out);
    }
    out
}

fn walk(v: &Json, path: &mut String, out: &mut Vec<Field>) {
    if out.len() >= MAX_FIELDS {
        return;
    }
    let at = path.len();
    match v {
        Json::Object(members) => {
            for (k, item) in members {
                if k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') && !k.is_empty() {
                    path.push('.');
                    path.push_str(k);
                } else if !k.contains('\'') {
                    path.push_str("['");
                    path.push_str(k);
                    path.push_str("']");
                } else {
                    continue;
                }
                walk(item, path, out);
                path.truncate(at);
            }
        }
        Json::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push_str(&format!("[{i}]"));
                walk(item, path, out);
                path.truncate(at);
            }
        }
        Json::String(s) => out.push(Field {
            path: path.clone(),
            value: s.clone(),
        }),
        other => out.push(Field {
            path: path.clone(),
            value: other.to_string(),
        }),
    }
}

/// The two words of an on/off pair `text` is one of, as written, with its partner in the
/// same case (`ON` → `ON`/`OFF`).
fn on_off(text: &str) -> Option<(String, String)> {
    const PAIRS: [(&str, &str); 4] = [
        ("on", "off"),
        ("true", "false"),
        ("1", "0"),
        ("open", "closed"),
    ];
    let t = text.trim();
    let lower = t.to_lowercase();
    let upper = t.chars().any(|c| c.is_uppercase());
    PAIRS
        .iter()
        .find(|(on, off)| lower == *on || lower == *off)
        .map(|(on, off)| {
            let case = |w: &str| {
                if upper {
                    w.to_uppercase()
                } else {
                    w.to_owned()
                }
            };
            (case(on), case(off))
        })
}

/// The kind the payload (read through `path`) suggests.
pub fn suggest(payload: &[u8], path: Option<&str>) -> Kind {
    let path = path.and_then(|p| JsonPath::parse(p).ok());
    let Ok(text) = extract_text(payload, path.as_ref()) else {
        return Kind::Value;
    };
    if on_off(&text).is_some() {
        Kind::Switch
    } else if number_in(&text, 1.0, 0.0).is_ok() {
        Kind::Gauge
    } else {
        Kind::Value
    }
}

/// A widget of `kind` reading `topic` (through `path`), prefilled from the payload seen:
/// titled by the topic's last level; a gauge's range widened to hold the value; a switch
/// or LED with the payload's on/off words (a switch commands the same topic it reads, as
/// simple devices do: the editor shows both to change).
pub fn widget_for(
    kind: Kind,
    topic: &str,
    payload: &[u8],
    path: Option<&str>,
    id: String,
    lang: Lang,
) -> Widget {
    let mut w = new_widget(kind, id, lang);
    let last = topic.rsplit('/').next().unwrap_or(topic);
    w.title = match path {
        Some(p) => format!("{last} {}", p.trim_start_matches("$.")),
        None => last.to_owned(),
    };
    let json_path = path.map(str::to_owned);
    let parsed = json_path.as_deref().and_then(|p| JsonPath::parse(p).ok());
    let text = extract_text(payload, parsed.as_ref()).ok();
    let number = text.as_deref().and_then(|t| number_in(t, 1.0, 0.0).ok());
    let pair = text.as_deref().and_then(on_off);
    let bind = |b: &mut crate::config::Binding| {
        b.topic = topic.to_owned();
        b.json_path = json_path.clone();
    };
    match &mut w.kind {
        WidgetKind::Gauge(c) => {
            bind(&mut c.binding);
            // As many decimals as the device writes (`340` → 0, `21.50` → 2), at most 3.
            if let Some(t) = text.as_deref().filter(|_| number.is_some()) {
                let t = t.trim();
                c.decimals = t
                    .split_once('.')
                    .map_or(0, |(_, f)| {
                        f.chars().take_while(char::is_ascii_digit).count()
                    })
                    .min(3) as u8;
            }
            if let Some(v) = number.filter(|v| v.is_finite()) {
                if v < c.min {
                    c.min = -nice_above(-v);
                }
                if v > c.max {
                    c.max = nice_above(v);
                }
            }
        }
        WidgetKind::Chart(c) => {
            if let Some(s) = c.series.first_mut() {
                bind(&mut s.binding);
                s.label = last.to_owned();
            }
        }
        WidgetKind::Value(c) => bind(&mut c.binding),
        WidgetKind::Led(c) => {
            bind(&mut c.binding);
            if let Some((on, off)) = pair {
                c.state_on = on;
                c.state_off = off;
            }
        }
        WidgetKind::Switch(c) => {
            c.command_topic = topic.to_owned();
            c.state_topic = Some(topic.to_owned());
            c.json_path = json_path.clone();
            if let Some((on, off)) = pair {
                c.on_payload.clone_from(&on);
                c.off_payload.clone_from(&off);
                c.state_on = on;
                c.state_off = off;
            }
        }
        _ => {}
    }
    w
}

/// The first of 1, 2, 5 × 10ⁿ at or above `v` (> 0): a gauge's end that holds `v`.
fn nice_above(v: f64) -> f64 {
    let mut step = 1.0;
    while step < v && step < 1e15 {
        step *= 10.0;
    }
    [step / 5.0, step / 2.0, step]
        .into_iter()
        .find(|s| *s >= v)
        .unwrap_or(step)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_suggests_a_gauge_a_pair_word_a_switch_the_rest_a_value() {
        assert_eq!(suggest(b"21.5", None), Kind::Gauge);
        assert_eq!(suggest(b"OFF", None), Kind::Switch);
        assert_eq!(suggest(b"true", None), Kind::Switch);
        assert_eq!(suggest(b"hello", None), Kind::Value);
        assert_eq!(suggest(&[0xff, 0xfe], None), Kind::Value);
        assert_eq!(suggest(br#"{"t":3,"s":"on"}"#, Some("$.t")), Kind::Gauge);
        assert_eq!(suggest(br#"{"t":3,"s":"on"}"#, Some("$.s")), Kind::Switch);
        assert_eq!(suggest(br#"{"t":3}"#, None), Kind::Value);
    }

    #[test]
    fn fields_are_paths_that_read_back_their_values() {
        let payload = br#"{"temp":21.5,"a b":{"x":[1,"two"]},"ok":true,"it's":1}"#;
        let f = fields(payload);
        let paths: Vec<&str> = f.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["$.temp", "$['a b'].x[0]", "$['a b'].x[1]", "$.ok"]);
        for field in &f {
            let path = JsonPath::parse(&field.path).unwrap();
            assert_eq!(extract_text(payload, Some(&path)).unwrap(), field.value);
        }
        assert!(fields(b"42").is_empty());
        assert!(fields(b"not json").is_empty());
    }

    #[test]
    fn a_made_gauge_reads_the_topic_and_holds_the_value() {
        let w = widget_for(
            Kind::Gauge,
            "lab/boiler/temp",
            b"340",
            None,
            "g".into(),
            Lang::En,
        );
        let WidgetKind::Gauge(c) = &w.kind else {
            panic!()
        };
        assert_eq!(c.binding.topic, "lab/boiler/temp");
        assert_eq!((c.max, c.decimals), (500.0, 0));
        assert_eq!(w.title, "temp");
        let w = widget_for(
            Kind::Gauge,
            "x",
            br#"{"t":-7}"#,
            Some("$.t"),
            "g".into(),
            Lang::En,
        );
        let WidgetKind::Gauge(c) = &w.kind else {
            panic!()
        };
        assert_eq!(
            (c.min, c.binding.json_path.as_deref()),
            (-10.0, Some("$.t"))
        );
        assert!(crate::config::widget_problems(&w).is_empty());
    }

    #[test]
    fn a_made_switch_takes_the_payloads_words_in_their_case() {
        let w = widget_for(Kind::Switch, "home/lamp", b"ON", None, "s".into(), Lang::Es);
        let WidgetKind::Switch(c) = &w.kind else {
            panic!()
        };
        assert_eq!(
            (c.on_payload.as_str(), c.off_payload.as_str()),
            ("ON", "OFF")
        );
        assert_eq!(c.state_topic.as_deref(), Some("home/lamp"));
        assert_eq!(c.command_topic, "home/lamp");
    }
}
