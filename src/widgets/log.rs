//! The log: the last messages of a topic filter (wildcards allowed), newest first, each with
//! its time and topic, its payload as text, compact JSON or hex. What a student looks at
//! first when a device "does nothing": does it publish at all, where, and what.
//!
//! The messages are a bounded ring (`lines`, 10 to 1,000) kept by `live`; the card draws it
//! at most once per animation frame, so a flood of messages costs one paint per frame, not
//! one per message, and a paint writes only the lines that came since the last one (the
//! oldest rows move to the top and take them), not the whole list. Under a flood (more new
//! lines a frame than anyone reads) it is drawn ten times a second.

use std::collections::VecDeque;

use leptos::prelude::*;
use web_sys::Element;

use super::card::{CardBuild, Content, Frame, Inputs, Slot, child, keep_painted};
use super::{Kind, Listen, WidgetCtx, WidgetDraft};
use crate::components::form::*;
use crate::config::{Binding, LOG_LINES, LogConfig, LogFormat, Qos};
use crate::i18n::{CardText, EdText, Lang, tcard};
use crate::live::Feed;
use crate::payload::{excerpt, hex};

/// How much of a payload a log line keeps: a line shows an excerpt, and a thousand lines of
/// megabyte payloads must not hold a gigabyte.
pub const KEPT_BYTES: usize = 1024;
/// How many characters of a payload a line shows.
const SHOWN: usize = 200;

/// One message as the log keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct LogLine {
    pub at_ms: f64,
    pub topic: String,
    /// Its first [`KEPT_BYTES`] bytes.
    pub payload: Vec<u8>,
    /// Its whole size, in bytes.
    pub size: usize,
    pub retained: bool,
}

/// The last messages, oldest first, at most `cap`; `seen` counts every message since the
/// feed was made, so a paint knows whether anything came.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LogLines {
    lines: VecDeque<LogLine>,
    cap: usize,
    pub seen: u64,
}

impl LogLines {
    pub fn new(cap: usize) -> Self {
        Self {
            lines: VecDeque::with_capacity(cap.min(64)),
            cap: cap.max(1),
            seen: 0,
        }
    }

    pub fn push(&mut self, topic: &str, payload: &[u8], at_ms: f64, retained: bool) {
        let kept = &payload[..payload.len().min(KEPT_BYTES)];
        // A full ring reuses its oldest line's buffers: no allocation per message.
        let oldest = if self.lines.len() >= self.cap {
            self.lines.pop_front()
        } else {
            None
        };
        let line = match oldest {
            Some(mut line) => {
                topic.clone_into(&mut line.topic);
                line.payload.clear();
                line.payload.extend_from_slice(kept);
                line.at_ms = at_ms;
                line.size = payload.len();
                line.retained = retained;
                line
            }
            None => LogLine {
                at_ms,
                topic: topic.to_owned(),
                payload: kept.to_vec(),
                size: payload.len(),
                retained,
            },
        };
        self.lines.push_back(line);
        self.seen += 1;
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Newest first.
    pub fn newest_first(&self) -> impl DoubleEndedIterator<Item = &LogLine> + ExactSizeIterator {
        self.lines.iter().rev()
    }
}

pub fn stub() -> LogConfig {
    LogConfig {
        filter: String::new(),
        qos: Qos::AtMostOnce,
        lines: 100,
        format: LogFormat::Text,
    }
}

pub fn listens(c: &LogConfig) -> Vec<Listen> {
    vec![Listen {
        binding: Binding {
            topic: c.filter.clone(),
            qos: c.qos,
            ..super::binding::empty_binding()
        },
        series: 0,
    }]
}

pub fn new_feed(c: &LogConfig) -> Feed {
    Feed::Log(ArcRwSignal::new(LogLines::new(c.lines as usize)))
}

/// A payload as a log line shows it: a payload that is not UTF-8 is hex whatever the format
/// (`true`: it was shown as hex).
fn shown(payload: &[u8], format: LogFormat) -> (String, bool) {
    match (format, core::str::from_utf8(payload)) {
        (LogFormat::Hex, _) | (_, Err(_)) => (hex(payload), true),
        (LogFormat::Json, Ok(text)) => match crate::json::parse(text) {
            Ok(json) => (json.to_string(), false),
            Err(_) => (text.to_owned(), false),
        },
        (LogFormat::Text, Ok(text)) => (text.to_owned(), false),
    }
}

/// The log's inputs as typed.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub filter: String,
    pub qos: Qos,
    pub lines: String,
    pub format: String,
}

pub const FIELDS: &[&str] = &["filter", "qos", "lines", "format"];

impl Draft {
    pub fn new(c: &LogConfig) -> Self {
        Self {
            filter: c.filter.clone(),
            qos: c.qos,
            lines: c.lines.to_string(),
            format: c.format.tag().to_owned(),
        }
    }

    pub fn build(&self, p: &mut Parser) -> LogConfig {
        LogConfig {
            filter: self.filter.clone(),
            qos: self.qos,
            lines: p.whole("lines", &self.lines, 100, LOG_LINES),
            format: LogFormat::ALL
                .iter()
                .find(|(tag, _)| *tag == self.format)
                .map_or(LogFormat::Text, |(_, f)| *f),
        }
    }
}

pub fn editor(ctx: FormCtx, draft: RwSignal<WidgetDraft>) -> AnyView {
    let formats = vec![
        ("text".to_owned(), OptionLabel::T(EdText::EdLogText)),
        ("json".to_owned(), OptionLabel::T(EdText::EdLogJson)),
        ("hex".to_owned(), OptionLabel::T(EdText::EdLogHex)),
    ];
    view! {
        <TextField ctx field=fixed("filter") label=EdText::EdLogFilter hint=EdText::EdLogFilterHint
            kind=InputKind::Topic bind=bind(draft, |d| &d.log.filter, |d| &mut d.log.filter) />
        <QosField ctx field="qos" value=Signal::derive(move || draft.with(|d| d.log.qos))
            set=Callback::new(move |q| draft.update(|d| d.log.qos = q)) />
        <TextField ctx field=fixed("lines") label=EdText::EdLogLines kind=InputKind::Whole
            bind=bind(draft, |d| &d.log.lines, |d| &mut d.log.lines) />
        <SelectField ctx field="format" label=EdText::EdLogFormat options=formats
            value=Signal::derive(move || draft.with(|d| d.log.format.clone()))
            set=Callback::new(move |f| draft.update(|d| d.log.format = f)) />
    }
    .into_any()
}

pub fn view(id: String, title: String, config: LogConfig, feed: &Feed, cx: WidgetCtx) -> CardBuild {
    let lines = match feed {
        Feed::Log(l) => l.clone(),
        Feed::Sample(_) | Feed::Chart(_) | Feed::Command(..) => ArcRwSignal::new(LogLines::new(1)),
    };
    let inputs = Inputs::new(&cx);
    let format = config.format;
    Box::new(move |root: &Element| {
        let card = LogCard::new(root, &id, &title);
        // A paint put off under a flood is woken by this timer (`armed` until it fires), so
        // the last lines are drawn even when the flood stops.
        let woken = RwSignal::new(0u32);
        let armed = StoredValue::new(false);
        let timer = StoredValue::new_local(None::<gloo_timers::callback::Timeout>);
        // Painted when its lines are told, which is once per animation frame at most
        // (`crate::live`), however many messages came.
        keep_painted(card, move |card| {
            woken.track();
            let lang = inputs.lang();
            lines.with(|lines| {
                let now = monotonic_ms();
                let wait = card.put_off(lines, lang, now);
                if wait > 0.0 {
                    if !armed.get_value() {
                        armed.set_value(true);
                        let wake = move || {
                            armed.try_set_value(false);
                            woken.try_update(|w| *w = w.wrapping_add(1));
                        };
                        let ms = wait as u32 + 1;
                        timer.set_value(Some(gloo_timers::callback::Timeout::new(ms, wake)));
                    }
                    return;
                }
                armed.set_value(false);
                timer.set_value(None);
                card.paint(lines, format, lang, inputs.offline(), now);
            });
        });
    })
}

/// Milliseconds on a clock that never steps back (a wall clock set back would put paints
/// off for as long).
fn monotonic_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or_else(js_sys::Date::now, |p| p.now())
}

/// A paint that would write more lines than this is a flood: nobody reads that many new lines
/// a frame, and writing them every frame took the frames of every other card on the page.
const FLOOD_LINES: usize = 24;
/// Under a flood the log is drawn this often (ms), not every frame.
const FLOOD_PAINT_MS: f64 = 100.0;

/// One drawn line: time, topic and size on top, the payload under them.
struct Row {
    el: Element,
    time: Content,
    topic: Content,
    size: Content,
    payload: Content,
    payload_class: super::card::Attr,
}

impl Row {
    fn new(list: &Element) -> Self {
        let el = super::card::element("li", "log-line");
        let head = child(&el, "div", "log-head");
        let body = child(&el, "div", "log-payload");
        Self {
            time: Content::of(&child(&head, "time", "log-time"), ""),
            topic: Content::of(&child(&head, "span", "log-topic"), ""),
            size: Content::of(&child(&head, "span", "log-size"), ""),
            payload_class: super::card::Attr::new(&body, "class"),
            payload: Content::of(&body, ""),
            el: {
                let _ = list.append_child(&el);
                el
            },
        }
    }

    fn write(&mut self, line: &LogLine, format: LogFormat, lang: Lang, offset: f64) {
        let (text, is_hex) = shown(&line.payload, format);
        let cut = line.size > line.payload.len();
        self.time
            .set(&super::chart::format_clock(line.at_ms, offset, true));
        self.topic.set(&line.topic);
        self.size.set(&if line.retained {
            format!("{} B · {}", line.size, tcard(lang, CardText::LogRetained))
        } else {
            format!("{} B", line.size)
        });
        self.payload_class.set(Some(if is_hex {
            "log-payload log-hex"
        } else {
            "log-payload"
        }));
        let mut text = excerpt(&text, SHOWN);
        if cut && !text.ends_with('…') {
            text.push('…');
        }
        self.payload.set(&text);
    }
}

/// The log's DOM: the list, its rows newest first as drawn (made as they are first needed,
/// then reused: the ring only grows, up to its cap, while a card lives), and a line while
/// nothing has come.
struct LogCard {
    frame: Frame,
    list: Element,
    rows: VecDeque<Row>,
    /// The lines' `seen`, the language and the time at the last paint: the lines since then
    /// are the ones to write (all of them when the language changed: a line's words follow
    /// it).
    painted: u64,
    lang: Option<Lang>,
    painted_at: f64,
    empty: Slot,
    count: Content,
}

impl LogCard {
    fn new(root: &Element, id: &str, title: &str) -> Self {
        let frame = Frame::new(root, Kind::Log, id, title);
        let count = Content::of(&child(root, "p", "log-count widget-muted"), "");
        let empty = Slot::new(root, "p", "widget-muted");
        let list = child(root, "ol", "log-lines");
        Self {
            frame,
            list,
            rows: VecDeque::new(),
            painted: 0,
            lang: None,
            painted_at: f64::NEG_INFINITY,
            empty,
            count,
        }
    }

    /// How many of `lines` a paint now would write.
    fn fresh(&self, lines: &LogLines, lang: Lang) -> usize {
        if self.lang == Some(lang) {
            lines
                .seen
                .saturating_sub(self.painted)
                .min(lines.len() as u64) as usize
        } else {
            lines.len()
        }
    }

    /// How long (ms) to put off a paint at `now`: under a flood, until `FLOOD_PAINT_MS` after
    /// the last one; else not at all.
    fn put_off(&self, lines: &LogLines, lang: Lang, now: f64) -> f64 {
        if self.fresh(lines, lang) <= FLOOD_LINES {
            return 0.0;
        }
        (self.painted_at + FLOOD_PAINT_MS - now).clamp(0.0, FLOOD_PAINT_MS)
    }

    fn paint(&mut self, lines: &LogLines, format: LogFormat, lang: Lang, offline: bool, now: f64) {
        self.frame.classes("", offline);
        self.frame
            .state(if lines.is_empty() { "waiting" } else { "ok" });
        self.empty
            .text(lines.is_empty().then(|| tcard(lang, CardText::LogEmpty)));
        self.count.set(&if lines.is_empty() {
            String::new()
        } else {
            crate::format::fill(
                tcard(lang, CardText::LogCount),
                &[&lines.len().to_string(), &lines.seen.to_string()],
            )
        });
        let fresh = self.fresh(lines, lang);
        self.painted = lines.seen;
        self.lang = Some(lang);
        self.painted_at = now;
        while self.rows.len() > lines.len() {
            if let Some(row) = self.rows.pop_back() {
                row.el.remove();
            }
        }
        let offset = js_sys::Date::new_0().get_timezone_offset();
        // The fresh lines, oldest first, each put on top: a new row while the list is short
        // of lines, else the bottom row, moved up.
        for line in lines.newest_first().take(fresh).rev() {
            let reused = if self.rows.len() < lines.len() {
                None
            } else {
                self.rows.pop_back()
            };
            let mut row = reused.unwrap_or_else(|| Row::new(&self.list));
            let _ = self
                .list
                .insert_before(&row.el, self.list.first_child().as_ref());
            row.write(line, format, lang, offset);
            self.rows.push_front(row);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ring_keeps_the_last_messages_newest_first() {
        let mut l = LogLines::new(3);
        for i in 0..10_000u32 {
            l.push("a/b", i.to_string().as_bytes(), f64::from(i), false);
        }
        assert_eq!(l.len(), 3);
        assert_eq!(l.seen, 10_000);
        let newest: Vec<&[u8]> = l.newest_first().map(|m| m.payload.as_slice()).collect();
        assert_eq!(newest, [&b"9999"[..], b"9998", b"9997"]);
    }

    #[test]
    fn a_full_ring_reuses_its_oldest_line_and_keeps_nothing_of_it() {
        let mut l = LogLines::new(2);
        l.push("a/long/topic/name", &[0xde; 2000], 1.0, true);
        l.push("b", b"two", 2.0, false);
        l.push("c", b"3", 3.0, false);
        let newest = l.newest_first().next().unwrap();
        assert_eq!(
            newest,
            &LogLine {
                at_ms: 3.0,
                topic: "c".into(),
                payload: b"3".to_vec(),
                size: 1,
                retained: false,
            }
        );
        assert_eq!(l.newest_first().nth(1).map(|m| m.topic.as_str()), Some("b"));
    }

    #[test]
    fn a_huge_payload_is_kept_in_part_with_its_size() {
        let mut l = LogLines::new(10);
        l.push("big", &vec![b'x'; 1_000_000], 0.0, true);
        let line = l.newest_first().next().unwrap();
        assert_eq!(line.payload.len(), KEPT_BYTES);
        assert_eq!(line.size, 1_000_000);
    }

    #[test]
    fn binary_is_hex_whatever_the_format_and_json_is_compacted() {
        assert_eq!(
            shown(&[0xde, 0xad, 0xbe, 0xef], LogFormat::Text),
            ("de ad be ef".into(), true)
        );
        assert_eq!(shown(b"on", LogFormat::Hex), ("6f 6e".into(), true));
        assert_eq!(
            shown(b"{ \"a\" : 1 }", LogFormat::Json),
            (r#"{"a":1}"#.into(), false)
        );
        assert_eq!(
            shown(b"not json", LogFormat::Json),
            ("not json".into(), false)
        );
        assert_eq!(
            shown("22 °C".as_bytes(), LogFormat::Text),
            ("22 °C".into(), false)
        );
    }
}
