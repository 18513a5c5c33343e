//! The message log: every message of the watched connection in a bounded ring, newest first,
//! filtered by topic and payload text, one message opened in a detail, exported as JSON lines.
//!
//! Entries are numbered in arrival order (`seq`), so the rows shown are a list of numbers
//! ([`Matches`]) that a paint brings up to date with only what came and what left since the
//! last one; a filter's change matches the whole ring once. A paint writes only the pooled
//! rows whose message, format or selection changed.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use leptos::prelude::*;
use mqtt_session::Property;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Element;

use super::payload::{Shown, base64, show};
use super::{Insight, Panel, ROW_PX, Seen, VirtualList, set_text};
use crate::config::json_string;
use crate::i18n::Lang;
use crate::payload::hex;
use crate::retained::{child, on_event};
use crate::widgets::csv::iso_utc;

/// The ring sizes offered.
pub const CAPS: [usize; 3] = [1_000, 5_000, 20_000];
pub const DEFAULT_CAP: usize = 5_000;
/// Payload bytes kept at most, whatever the count: 20,000 megabyte payloads must not hold
/// 20 GB in a tab.
const MAX_BYTES: usize = 64 << 20;
/// Characters of a payload a row shows (more would not fit on any screen).
const ROW_CHARS: usize = 200;
/// Characters of a payload the detail shows.
const DETAIL_CHARS: usize = 64 * 1024;

/// The last messages, oldest first, at most `cap`.
pub struct Log {
    ring: VecDeque<Seen>,
    cap: usize,
    bytes: usize,
    /// The number of `ring[0]`.
    first: u64,
    paused: bool,
    skipped: u64,
}

impl Default for Log {
    fn default() -> Self {
        Self {
            ring: VecDeque::new(),
            cap: DEFAULT_CAP,
            bytes: 0,
            first: 0,
            paused: false,
            skipped: 0,
        }
    }
}

impl Log {
    pub fn push(&mut self, seen: Seen) {
        if self.paused {
            self.skipped += 1;
            return;
        }
        self.bytes += seen.payload.len();
        self.ring.push_back(seen);
        self.trim();
    }

    pub fn clear(&mut self) {
        self.first += self.ring.len() as u64;
        self.ring.clear();
        self.bytes = 0;
        self.skipped = 0;
    }

    pub fn set_cap(&mut self, cap: usize) {
        self.cap = cap.max(1);
        self.trim();
        self.ring.shrink_to(self.cap);
    }

    /// While paused, messages are counted, not kept; resuming forgets the count.
    pub fn set_paused(&mut self, paused: bool) {
        self.paused = paused;
        self.skipped = 0;
    }

    fn trim(&mut self) {
        while self.ring.len() > self.cap || (self.bytes > MAX_BYTES && self.ring.len() > 1) {
            if let Some(old) = self.ring.pop_front() {
                self.bytes -= old.payload.len();
                self.first += 1;
            }
        }
    }

    pub fn len(&self) -> usize {
        self.ring.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ring.is_empty()
    }

    pub fn cap(&self) -> usize {
        self.cap
    }

    pub fn skipped(&self) -> u64 {
        self.skipped
    }

    /// One past the newest message's number.
    fn end(&self) -> u64 {
        self.first + self.ring.len() as u64
    }

    fn get(&self, seq: u64) -> Option<&Seen> {
        let at = usize::try_from(seq.checked_sub(self.first)?).ok()?;
        self.ring.get(at)
    }
}

/// What the topic field asks for.
#[derive(Debug, Clone, PartialEq, Default)]
enum TopicFilter {
    #[default]
    Any,
    /// An MQTT filter (it has `+` or `#`).
    Mqtt(String),
    /// A part of the topic, ASCII case ignored (lowercased).
    Part(String),
    /// A filter with a misplaced wildcard: nothing matches.
    Invalid,
}

/// The log's filter: a topic (an MQTT filter or a part of it) and a text in the payload.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Filter {
    topic: TopicFilter,
    /// Lowercased (ASCII); empty: any payload.
    text: Vec<u8>,
}

impl Filter {
    pub fn new(topic: &str, text: &str) -> Self {
        let topic = if topic.is_empty() {
            TopicFilter::Any
        } else if !topic.contains(['+', '#']) {
            TopicFilter::Part(topic.to_ascii_lowercase())
        } else if mqtt_codec_wasm::topic::validate_topic_filter(topic).is_ok() {
            TopicFilter::Mqtt(topic.to_owned())
        } else {
            TopicFilter::Invalid
        };
        Self {
            topic,
            text: text.to_ascii_lowercase().into_bytes(),
        }
    }

    pub fn is_any(&self) -> bool {
        self.topic == TopicFilter::Any && self.text.is_empty()
    }

    pub fn is_invalid(&self) -> bool {
        self.topic == TopicFilter::Invalid
    }

    pub fn matches(&self, s: &Seen) -> bool {
        let topic = match &self.topic {
            TopicFilter::Any => true,
            TopicFilter::Mqtt(f) => mqtt_codec_wasm::topic::matches_filter(f, &s.topic),
            TopicFilter::Part(p) => contains(s.topic.as_bytes(), p.as_bytes()),
            TopicFilter::Invalid => false,
        };
        topic && contains(&s.payload, &self.text)
    }
}

/// Whether `hay` holds `needle` (lowercase), ASCII case ignored. The payload's bytes are
/// searched as they are: a UTF-8 needle matches only where its bytes are.
fn contains(hay: &[u8], needle: &[u8]) -> bool {
    let Some((first, rest)) = needle.split_first() else {
        return true;
    };
    hay.windows(needle.len())
        .any(|w| w[0].to_ascii_lowercase() == *first && w[1..].eq_ignore_ascii_case(rest))
}

/// The numbers of the messages the filter lets through, oldest first.
#[derive(Default)]
struct Matches {
    seqs: VecDeque<u64>,
    /// Up to where the ring was matched; `None`: from scratch at the next update.
    upto: Option<u64>,
}

impl Matches {
    fn reset(&mut self) {
        self.seqs.clear();
        self.upto = None;
    }

    /// Drops what left the ring and matches what came: how many rows came on top, or `None`
    /// when matched from scratch.
    fn update(&mut self, log: &Log, filter: &Filter) -> Option<usize> {
        while self.seqs.front().is_some_and(|s| *s < log.first) {
            self.seqs.pop_front();
        }
        let before = self.seqs.len();
        for seq in self.upto.unwrap_or(0).max(log.first)..log.end() {
            if log.get(seq).is_some_and(|s| filter.matches(s)) {
                self.seqs.push_back(seq);
            }
        }
        let fresh = self.upto.is_none();
        self.upto = Some(log.end());
        (!fresh).then(|| self.seqs.len() - before)
    }

    fn len(&self) -> usize {
        self.seqs.len()
    }

    /// The message of row `row` (row 0 is the newest).
    fn at_row(&self, row: usize) -> Option<u64> {
        let i = self.seqs.len().checked_sub(row + 1)?;
        self.seqs.get(i).copied()
    }

    fn row_of(&self, seq: u64) -> Option<usize> {
        let i = self.seqs.binary_search(&seq).ok()?;
        Some(self.seqs.len() - 1 - i)
    }
}

/// One message as a line of JSON (with its `\n`): ISO 8601 UTC time, topic, QoS, retain,
/// size, the payload as text (or base64 when it is not UTF-8) and the 5.0 properties.
pub fn json_line(out: &mut String, s: &Seen) {
    out.push_str("{\"time\":");
    json_string(out, &iso_utc(s.at_ms));
    out.push_str(",\"topic\":");
    json_string(out, &s.topic);
    out.push_str(&format!(
        ",\"qos\":{},\"retain\":{},\"size\":{}",
        s.qos,
        s.retain,
        s.payload.len()
    ));
    match core::str::from_utf8(&s.payload) {
        Ok(text) => {
            out.push_str(",\"payload\":");
            json_string(out, text);
        }
        Err(_) => {
            out.push_str(",\"payload_base64\":\"");
            out.push_str(&base64(&s.payload));
            out.push('"');
        }
    }
    let mut opened = false;
    let mut key = |out: &mut String, name: &str| {
        out.push_str(if opened { ",\"" } else { ",\"properties\":{\"" });
        opened = true;
        out.push_str(name);
        out.push_str("\":");
    };
    let mut users = Vec::new();
    for p in &s.properties.0 {
        match p {
            Property::ContentType(t) => {
                key(out, "content_type");
                json_string(out, t);
            }
            Property::ResponseTopic(t) => {
                key(out, "response_topic");
                json_string(out, t);
            }
            Property::CorrelationData(b) => {
                key(out, "correlation_data");
                json_string(out, &base64(b));
            }
            Property::MessageExpiryInterval(n) => {
                key(out, "message_expiry");
                out.push_str(&n.to_string());
            }
            Property::PayloadFormatIndicator(n) => {
                key(out, "payload_format");
                out.push_str(&n.to_string());
            }
            Property::UserProperty(k, v) => users.push((k, v)),
            _ => {}
        }
    }
    if !users.is_empty() {
        key(out, "user_properties");
        out.push('[');
        for (i, (k, v)) in users.into_iter().enumerate() {
            out.push_str(if i == 0 { "[" } else { ",[" });
            json_string(out, k);
            out.push(',');
            json_string(out, v);
            out.push(']');
        }
        out.push(']');
    }
    if opened {
        out.push('}');
    }
    out.push_str("}\n");
}

/// `5,000`.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "5,000 messages (max 5,000)", with how many the filter lets through and how many a
/// pause skipped when they apply.
fn count_line(lang: Lang, log: &Log, shown: Option<usize>) -> String {
    let (n, cap) = (log.len(), grouped(log.cap() as u64));
    let mut line = match (lang, n) {
        (Lang::En, 1) => format!("1 message (max {cap})"),
        (Lang::En, _) => format!("{} messages (max {cap})", grouped(n as u64)),
        (Lang::Es, 1) => format!("1 mensaje (máx. {cap})"),
        (Lang::Es, _) => format!("{} mensajes (máx. {cap})", grouped(n as u64)),
    };
    if let Some(shown) = shown {
        line.push_str(&match (lang, shown) {
            (Lang::En, 1) => " · 1 matches the filter".to_owned(),
            (Lang::En, _) => format!(" · {} match the filter", grouped(shown as u64)),
            (Lang::Es, 1) => " · 1 pasa el filtro".to_owned(),
            (Lang::Es, _) => format!(" · {} pasan el filtro", grouped(shown as u64)),
        });
    }
    if log.paused {
        let skipped = grouped(log.skipped);
        line.push_str(&match lang {
            Lang::En => format!(" · paused, {skipped} skipped"),
            Lang::Es => format!(" · en pausa, {skipped} sin guardar"),
        });
    }
    line
}

/// What the view's parts share besides the ring.
#[derive(Default)]
struct State {
    matches: Matches,
    filter: Filter,
    shown: Option<Shown>,
    selected: Option<u64>,
    /// A row was tapped: the next paint (once the detail is drawn) scrolls the page to it.
    reveal: bool,
}

const CELLS: &[&str] = &[
    "msg-time",
    "msg-topic",
    "msg-qos",
    "msg-retain",
    "msg-size",
    "msg-payload",
];

pub fn view(ins: Insight) -> impl IntoView {
    let lang = ins.lang;
    let state = Rc::new(RefCell::new(State::default()));
    let topic = RwSignal::new(String::new());
    let text = RwSignal::new(String::new());
    let format = RwSignal::new(Shown::Text);
    let paused = RwSignal::new(false);
    let invalid = RwSignal::new(false);
    let export_failed = RwSignal::new(false);
    let detail = RwSignal::new(None::<Seen>);
    let host = NodeRef::<leptos::html::Div>::new();
    let count = NodeRef::<leptos::html::P>::new();
    let detail_box = NodeRef::<leptos::html::Div>::new();

    {
        let (state, frame) = (state.clone(), ins.frame.clone());
        Effect::new(move || {
            let filter = Filter::new(&topic.get(), &text.get());
            invalid.set(filter.is_invalid());
            let mut st = state.borrow_mut();
            if st.filter != filter {
                st.filter = filter;
                st.matches.reset();
            }
            st.shown = Some(format.get());
            lang.track();
            frame.ask();
        });
    }
    {
        // A taller list needs more rows. The listener holds only the trigger: Leptos leaves
        // its closure to the JavaScript collector, which must not keep the ring alive.
        let resized = Trigger::new();
        let handle = window_event_listener(leptos::ev::resize, move |_| resized.notify());
        on_cleanup(move || handle.remove());
        let (panel, frame) = (ins.panel, ins.frame.clone());
        Effect::new(move || {
            resized.track();
            if panel.get() == Panel::Log {
                frame.ask();
            }
        });
    }

    {
        let (ins, state) = (ins.clone(), state.clone());
        host.on_load(move |host| {
            let Some(count) = count.get_untracked() else {
                return;
            };
            let count: Element = count.into();
            let fill = {
                let (log, state) = (ins.log.clone(), state.clone());
                move |row: usize, el: &Element, cells: &[Element]| {
                    fill_row(&log.borrow(), &state.borrow(), row, el, cells)
                }
            };
            let list = VirtualList::new(&host, "msg-list", CELLS, fill);
            let scroller = list.element();
            let _ = scroller.set_attribute("role", "listbox");
            let painter = {
                let (log, state, list) = (ins.log.clone(), state.clone(), list.clone());
                let (panel, lang) = (ins.panel, ins.lang);
                move || {
                    if panel.try_get_untracked() != Some(Panel::Log) {
                        return;
                    }
                    let log = log.borrow();
                    let (came, len, filtered) = {
                        let mut st = state.borrow_mut();
                        let st = &mut *st;
                        (
                            st.matches.update(&log, &st.filter),
                            st.matches.len(),
                            !st.filter.is_any(),
                        )
                    };
                    let lang = lang.try_get_untracked().unwrap_or(Lang::En);
                    set_text(&count, &count_line(lang, &log, filtered.then_some(len)));
                    drop(log);
                    // A reader scrolled down keeps the rows read in place as new ones come on
                    // top; a new filter starts at the top.
                    let scroller = list.element();
                    let top = super::scroll_top(&scroller);
                    let want = match came {
                        None => Some(0.0),
                        Some(n) if n > 0 && top > 0.0 => Some(top + n as f64 * ROW_PX),
                        _ => None,
                    };
                    if let Some(want) = want {
                        super::set_scroll_top(&scroller, want);
                    }
                    list.paint(len);
                    if want.is_some_and(|w| super::scroll_top(&scroller) != w) {
                        super::set_scroll_top(&scroller, want.unwrap_or(0.0));
                        list.paint(len);
                    }
                    if std::mem::take(&mut state.borrow_mut().reveal)
                        && let Some(Some(el)) = detail_box.try_get_untracked()
                    {
                        scroll_into_view(&el);
                    }
                }
            };
            ins.frame.on_paint(painter);

            let choose = {
                let (log, state, list, frame) = (
                    ins.log.clone(),
                    state.clone(),
                    list.clone(),
                    ins.frame.clone(),
                );
                move |row: usize, reveal: bool| {
                    let Some(seq) = state.borrow().matches.at_row(row) else {
                        return;
                    };
                    let seen = log.borrow().get(seq).cloned();
                    {
                        let mut st = state.borrow_mut();
                        st.selected = Some(seq);
                        st.reveal = reveal;
                    }
                    detail.set(seen);
                    list.reveal(row);
                    frame.ask();
                }
            };
            {
                let choose = choose.clone();
                on_event(&scroller, "click", move |ev| {
                    let row = ev
                        .target()
                        .and_then(|t| t.dyn_into::<Element>().ok())
                        .and_then(|t| t.closest(".vlist-row").ok().flatten())
                        .and_then(|r| r.get_attribute("data-index"))
                        .and_then(|i| i.parse().ok());
                    if let Some(row) = row {
                        choose(row, true);
                    }
                });
            }
            let state = state.clone();
            on_event(&scroller, "keydown", move |ev| {
                let Some(key) = ev.dyn_ref::<web_sys::KeyboardEvent>().map(|k| k.key()) else {
                    return;
                };
                let (now, len) = {
                    let st = state.borrow();
                    let now = st.selected.and_then(|s| st.matches.row_of(s));
                    (now, st.matches.len())
                };
                let next = match (key.as_str(), now) {
                    ("ArrowDown", None) => 0,
                    ("ArrowDown", Some(r)) => r + 1,
                    ("ArrowUp", Some(r)) => r.saturating_sub(1),
                    ("Home", _) => 0,
                    ("End", _) => len.saturating_sub(1),
                    _ => return,
                };
                ev.prevent_default();
                if next < len {
                    choose(next, false);
                }
            });
        });
    }

    // Stored: the detail's view is a reactive closure, which must be `Send`.
    let close: StoredValue<Rc<dyn Fn()>, LocalStorage> = {
        let (state, frame) = (state.clone(), ins.frame.clone());
        StoredValue::new_local(Rc::new(move || {
            state.borrow_mut().selected = None;
            detail.set(None);
            frame.ask();
        }))
    };
    let on_cap = {
        let (log, frame) = (ins.log.clone(), ins.frame.clone());
        move |ev: leptos::ev::Event| {
            let cap = event_target_value(&ev).parse().unwrap_or(DEFAULT_CAP);
            log.borrow_mut().set_cap(cap);
            frame.ask();
        }
    };
    let on_pause = {
        let (log, frame) = (ins.log.clone(), ins.frame.clone());
        move |_: leptos::ev::MouseEvent| {
            let now = !paused.get_untracked();
            paused.set(now);
            log.borrow_mut().set_paused(now);
            frame.ask();
        }
    };
    let on_clear = {
        let log = ins.log.clone();
        move |_: leptos::ev::MouseEvent| {
            log.borrow_mut().clear();
            close.get_value()();
        }
    };
    let on_export = {
        let (log, state) = (ins.log.clone(), state.clone());
        move |_: leptos::ev::MouseEvent| {
            let mut out = String::new();
            {
                let (log, st) = (log.borrow(), state.borrow());
                for s in st.matches.seqs.iter().filter_map(|seq| log.get(*seq)) {
                    json_line(&mut out, s);
                }
            }
            let stamp = iso_utc(js_sys::Date::now());
            let name = format!("messages-{}Z.jsonl", stamp[..19].replace(':', "-"));
            let failed = crate::storage::download(&name, "application/x-ndjson", &out).is_err();
            export_failed.set(failed);
        }
    };

    let w = move || words(lang.get());
    let detail_view = move || {
        detail.with(|d| {
            d.as_ref()
                .map(|s| detail_of(s, format.get(), lang.get(), close))
        })
    };
    view! {
        <div class="msgs">
            <div class="msg-bar">
                <label class="msg-filter">
                    <span>{move || w().topic}</span>
                    <input
                        type="search"
                        name="msg-topic"
                        autocomplete="off"
                        spellcheck="false"
                        placeholder=move || w().topic_hint
                        aria-invalid=move || if invalid.get() { "true" } else { "false" }
                        prop:value=topic
                        on:input=move |ev| topic.set(event_target_value(&ev))
                        on:change=move |ev| topic.set(event_target_value(&ev))
                    />
                </label>
                <label class="msg-filter">
                    <span>{move || w().text}</span>
                    <input
                        type="search"
                        name="msg-text"
                        autocomplete="off"
                        spellcheck="false"
                        placeholder=move || w().text_hint
                        prop:value=text
                        on:input=move |ev| text.set(event_target_value(&ev))
                        on:change=move |ev| text.set(event_target_value(&ev))
                    />
                </label>
                <label class="msg-choice">
                    <span>{move || w().format}</span>
                    <select
                        name="msg-format"
                        on:change=move |ev| format.set(Shown::from_tag(&event_target_value(&ev)))
                    >
                        {Shown::ALL
                            .into_iter()
                            .map(|s| {
                                view! {
                                    <option value=s.tag() selected=s == Shown::Text>
                                        {move || format_name(s, lang.get())}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
                <label class="msg-choice">
                    <span>{move || w().keep}</span>
                    <select name="msg-max" on:change=on_cap>
                        {CAPS
                            .into_iter()
                            .map(|c| {
                                view! {
                                    <option value=c.to_string() selected=c == DEFAULT_CAP>
                                        {grouped(c as u64)}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
                <div class="msg-actions">
                    <button
                        type="button"
                        class="msg-pause"
                        aria-pressed=move || if paused.get() { "true" } else { "false" }
                        on:click=on_pause
                    >
                        {move || if paused.get() { w().resume } else { w().pause }}
                    </button>
                    <button type="button" class="msg-clear" on:click=on_clear>
                        {move || w().clear}
                    </button>
                    <button
                        type="button"
                        class="msg-export"
                        title=move || w().export_hint
                        on:click=on_export
                    >
                        {move || w().export}
                    </button>
                </div>
            </div>
            <p class="problem msg-invalid" hidden=move || !invalid.get()>
                {move || w().invalid}
            </p>
            <p class="problem msg-export-failed" hidden=move || !export_failed.get()>
                {move || w().export_failed}
            </p>
            <p class="msg-count" node_ref=count></p>
            <div class="msg-head vlist-row" aria-hidden="true">
                <span class="msg-time">{move || w().time}</span>
                <span class="msg-topic">{move || w().topic}</span>
                <span class="msg-qos">"QoS"</span>
                <span class="msg-retain" title=move || w().retained>
                    "R"
                </span>
                <span class="msg-size">{move || w().size}</span>
                <span class="msg-payload">{move || w().payload}</span>
            </div>
            <div class="msg-body" node_ref=host></div>
            <div class="msg-detail-box" node_ref=detail_box>
                {detail_view}
            </div>
        </div>
    }
}

/// Writes the message of `row` into a pooled row, unless the row shows it already.
fn fill_row(log: &Log, st: &State, row: usize, el: &Element, cells: &[Element]) {
    let Some(seq) = st.matches.at_row(row) else {
        return;
    };
    let shown = st.shown.unwrap_or(Shown::Text);
    let selected = st.selected == Some(seq);
    let key = format!("{seq}{}{}", shown.tag(), if selected { "*" } else { "" });
    if el.get_attribute("data-key").as_deref() == Some(key.as_str()) {
        return;
    }
    let Some(s) = log.get(seq) else {
        return;
    };
    // The topic in an isolate of its own: the cell is right-to-left, so that a topic too
    // long is cut at its start (its end tells topics apart), and the isolate keeps a leading
    // `/` where it is.
    let topic = cells[1]
        .first_child()
        .and_then(|n| n.dyn_into::<Element>().ok())
        .unwrap_or_else(|| child(&cells[1], "bdi", ""));
    set_text(&topic, &s.topic);
    let texts = [
        clock(s.at_ms, false),
        s.qos.to_string(),
        if s.retain { "R" } else { "" }.to_owned(),
        format!("{} B", grouped(s.payload.len() as u64)),
        show(&s.payload, shown, ROW_CHARS),
    ];
    for (i, text) in [0, 2, 3, 4, 5].into_iter().zip(&texts) {
        set_text(&cells[i], text);
    }
    let _ = el.set_attribute("data-key", &key);
    let _ = el.set_attribute("role", "option");
    let _ = el.set_attribute("aria-selected", if selected { "true" } else { "false" });
}

/// The local time of `at_ms`: `12:34:56.789`, or with the date before it. Worked out from
/// the time zone's offset at that moment (the one `Date` call the first load's glue already
/// has: each other getter would add its own).
fn clock(at_ms: f64, with_date: bool) -> String {
    let offset_min = js_sys::Date::new(&JsValue::from_f64(at_ms)).get_timezone_offset();
    local_clock(at_ms - offset_min * 60_000.0, with_date)
}

/// `clock` of a time already shifted to the local zone (pure, tested natively).
fn local_clock(local_ms: f64, with_date: bool) -> String {
    let ms = local_ms.floor() as i64;
    let day = ms.div_euclid(86_400_000);
    let of_day = ms.rem_euclid(86_400_000);
    let time = format!(
        "{:02}:{:02}:{:02}.{:03}",
        of_day / 3_600_000,
        of_day / 60_000 % 60,
        of_day / 1000 % 60,
        of_day % 1000
    );
    if !with_date {
        return time;
    }
    let (y, m, d) = crate::widgets::csv::civil(day);
    format!("{y:04}-{m:02}-{d:02} {time}")
}

/// Scrolls the page only as far as needed to show `el` (`block: "nearest"`, which
/// `scrollIntoView(bool)` cannot say).
fn scroll_into_view(el: &Element) {
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"block".into(), &"nearest".into());
    if let Ok(f) = js_sys::Reflect::get(el, &"scrollIntoView".into())
        && let Some(f) = f.dyn_ref::<js_sys::Function>()
    {
        let _ = f.call1(el, &options);
    }
}

fn detail_of(
    s: &Seen,
    shown: Shown,
    lang: Lang,
    close: StoredValue<Rc<dyn Fn()>, LocalStorage>,
) -> impl IntoView + use<> {
    let w = words(lang);
    let mut meta: Vec<(&'static str, String)> = vec![
        (w.time, clock(s.at_ms, true)),
        ("QoS", s.qos.to_string()),
        (w.retained, if s.retain { w.yes } else { w.no }.to_owned()),
        (
            w.size,
            format!("{} {}", grouped(s.payload.len() as u64), w.bytes),
        ),
    ];
    let mut users = Vec::new();
    for p in &s.properties.0 {
        match p {
            Property::ContentType(t) => meta.push((w.content_type, t.clone())),
            Property::ResponseTopic(t) => meta.push((w.response_topic, t.clone())),
            Property::CorrelationData(b) => meta.push((w.correlation, hex(b))),
            Property::MessageExpiryInterval(n) => meta.push((w.expiry, format!("{n} s"))),
            Property::PayloadFormatIndicator(n) => meta.push((
                w.payload_format,
                if *n == 1 { w.utf8 } else { w.unspecified }.to_owned(),
            )),
            Property::SubscriptionIdentifier(n) => meta.push((w.subscription_id, n.to_string())),
            Property::UserProperty(k, v) => users.push((k.clone(), v.clone())),
            _ => {}
        }
    }
    let users = (!users.is_empty()).then(|| {
        view! {
            <h4>{w.user_properties}</h4>
            <ul class="msg-user-properties">
                {users
                    .into_iter()
                    .map(|(k, v)| {
                        view! {
                            <li>
                                <span class="msg-key">{k}</span>
                                " = "
                                <span class="msg-value">{v}</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
    });
    view! {
        <section class="msg-detail" aria-label=w.detail>
            <div class="msg-detail-head">
                <h3 class="msg-detail-topic">{s.topic.clone()}</h3>
                <button
                    type="button"
                    class="msg-detail-close"
                    aria-label=w.close
                    title=w.close
                    on:click=move |_| close.get_value()()
                >
                    "×"
                </button>
            </div>
            <dl class="msg-meta">
                {meta
                    .into_iter()
                    .map(|(k, v)| {
                        view! {
                            <div>
                                <dt>{k}</dt>
                                <dd>{v}</dd>
                            </div>
                        }
                    })
                    .collect_view()}
            </dl>
            {users}
            <pre class="payload">{show(&s.payload, shown, DETAIL_CHARS)}</pre>
        </section>
    }
}

fn format_name(s: Shown, lang: Lang) -> &'static str {
    match (s, lang) {
        (Shown::Text, Lang::En) => "Text",
        (Shown::Text, Lang::Es) => "Texto",
        (Shown::Json, _) => "JSON",
        (Shown::Hex, _) => "Hex",
        (Shown::Base64, _) => "Base64",
    }
}

/// The log's own words (with it in its chunk, not in the first load).
struct Words {
    topic: &'static str,
    topic_hint: &'static str,
    text: &'static str,
    text_hint: &'static str,
    invalid: &'static str,
    format: &'static str,
    keep: &'static str,
    pause: &'static str,
    resume: &'static str,
    clear: &'static str,
    export: &'static str,
    export_hint: &'static str,
    export_failed: &'static str,
    time: &'static str,
    retained: &'static str,
    size: &'static str,
    payload: &'static str,
    detail: &'static str,
    close: &'static str,
    yes: &'static str,
    no: &'static str,
    bytes: &'static str,
    content_type: &'static str,
    response_topic: &'static str,
    correlation: &'static str,
    expiry: &'static str,
    payload_format: &'static str,
    utf8: &'static str,
    unspecified: &'static str,
    subscription_id: &'static str,
    user_properties: &'static str,
}

fn words(lang: Lang) -> Words {
    match lang {
        Lang::Es => Words {
            topic: "Tema",
            topic_hint: "parte del tema, o filtro a/+/#",
            text: "Contenido",
            text_hint: "texto que incluye",
            invalid: "Filtro no válido: + y # ocupan un nivel entero, y # va al final.",
            format: "Formato",
            keep: "Guardar",
            pause: "Pausar",
            resume: "Reanudar",
            clear: "Vaciar",
            export: "Exportar",
            export_hint: "Los mensajes mostrados, del más antiguo al más nuevo, como líneas JSON (.jsonl)",
            export_failed: "No se pudo guardar el archivo.",
            time: "Hora",
            retained: "Retenido",
            size: "Tamaño",
            payload: "Contenido",
            detail: "Mensaje",
            close: "Cerrar",
            yes: "sí",
            no: "no",
            bytes: "bytes",
            content_type: "Tipo de contenido",
            response_topic: "Tema de respuesta",
            correlation: "Datos de correlación",
            expiry: "Caduca en",
            payload_format: "Formato del contenido",
            utf8: "texto UTF-8",
            unspecified: "bytes sin especificar",
            subscription_id: "Id. de suscripción",
            user_properties: "Propiedades de usuario",
        },
        Lang::En => Words {
            topic: "Topic",
            topic_hint: "part of the topic, or filter a/+/#",
            text: "Payload",
            text_hint: "text it contains",
            invalid: "Not a valid filter: + and # take a whole level, and # comes last.",
            format: "Format",
            keep: "Keep",
            pause: "Pause",
            resume: "Resume",
            clear: "Clear",
            export: "Export",
            export_hint: "The messages shown, oldest first, as JSON lines (.jsonl)",
            export_failed: "The file could not be saved.",
            time: "Time",
            retained: "Retained",
            size: "Size",
            payload: "Payload",
            detail: "Message",
            close: "Close",
            yes: "yes",
            no: "no",
            bytes: "bytes",
            content_type: "Content type",
            response_topic: "Response topic",
            correlation: "Correlation data",
            expiry: "Expires in",
            payload_format: "Payload format",
            utf8: "UTF-8 text",
            unspecified: "unspecified bytes",
            subscription_id: "Subscription id",
            user_properties: "User properties",
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::{Json, parse};
    use mqtt_session::{Bytes, Properties};

    fn seen(topic: &str, payload: &[u8]) -> Seen {
        Seen {
            at_ms: 1_700_000_000_123.0,
            topic: topic.into(),
            payload: Bytes::copy_from_slice(payload),
            qos: 1,
            retain: false,
            properties: Properties::default(),
        }
    }

    fn topics(log: &Log, m: &Matches) -> Vec<String> {
        m.seqs
            .iter()
            .map(|s| log.get(*s).unwrap().topic.clone())
            .collect()
    }

    #[test]
    fn the_ring_keeps_the_newest_up_to_its_bound() {
        let mut log = Log::default();
        for i in 0..12_000 {
            log.push(seen(&format!("t/{i}"), b"x"));
        }
        assert_eq!(log.len(), DEFAULT_CAP);
        assert_eq!(log.get(log.first).unwrap().topic, "t/7000");
        assert_eq!(log.get(log.end() - 1).unwrap().topic, "t/11999");
        log.set_cap(1_000);
        assert_eq!(log.len(), 1_000);
        assert_eq!(log.get(log.first).unwrap().topic, "t/11000");
        log.clear();
        assert!(log.is_empty());
        assert_eq!(log.first, 12_000, "numbers go on after a clear");
    }

    #[test]
    fn payload_bytes_are_bounded_too() {
        let mut log = Log::default();
        let big = vec![0u8; 1 << 20];
        for _ in 0..100 {
            log.push(seen("big", &big));
        }
        assert_eq!(log.len(), 64);
        assert!(log.bytes <= MAX_BYTES);
    }

    #[test]
    fn a_pause_counts_instead_of_keeping_and_resuming_forgets_the_count() {
        let mut log = Log::default();
        log.push(seen("a", b"1"));
        log.set_paused(true);
        log.push(seen("b", b"2"));
        log.push(seen("c", b"3"));
        assert_eq!((log.len(), log.skipped()), (1, 2));
        assert_eq!(
            count_line(Lang::En, &log, None),
            "1 message (max 5,000) · paused, 2 skipped"
        );
        log.set_paused(false);
        log.push(seen("d", b"4"));
        assert_eq!((log.len(), log.skipped()), (2, 0));
        assert_eq!(
            count_line(Lang::Es, &log, Some(1)),
            "2 mensajes (máx. 5,000) · 1 pasa el filtro"
        );
    }

    #[test]
    fn topic_filters_are_mqtt_filters_with_wildcards_else_parts_and_text_is_searched() {
        let s = seen("home/Kitchen/temp", br#"{"alarm":"Smoke"}"#);
        let yes = |t: &str, x: &str| Filter::new(t, x).matches(&s);
        assert!(yes("", ""));
        assert!(yes("home/+/temp", ""));
        assert!(yes("home/#", ""));
        assert!(!yes("home/+", ""));
        assert!(!yes("kitchen/#", ""));
        assert!(yes("kitchen", ""), "a part, case ignored");
        assert!(!yes("garage", ""));
        assert!(yes("", "smoke"));
        assert!(yes("home/#", "\"alarm\""));
        assert!(!yes("home/#", "fire"));
        assert!(Filter::new("home/#/x", "").is_invalid());
        assert!(!yes("home/#/x", ""));
        assert!(!yes("ho+", ""));
        assert!(Filter::new("", "").is_any());
        assert!(contains(&[0xff, b'a', b'B'], b"ab"));
        assert!(!contains(b"a", b"ab"));
    }

    #[test]
    fn matches_follow_the_ring_and_a_reset_matches_again() {
        let mut log = Log::default();
        log.set_cap(3);
        let mut m = Matches::default();
        let f = Filter::new("a/#", "");
        assert_eq!(m.update(&log, &f), None);
        for t in ["a/1", "b/1", "a/2"] {
            log.push(seen(t, b""));
        }
        assert_eq!(m.update(&log, &f), Some(2));
        assert_eq!(topics(&log, &m), ["a/1", "a/2"]);
        assert_eq!(m.at_row(0).and_then(|s| log.get(s)).unwrap().topic, "a/2");
        log.push(seen("a/3", b""));
        log.push(seen("c/1", b""));
        assert_eq!(m.update(&log, &f), Some(1));
        assert_eq!(topics(&log, &m), ["a/2", "a/3"]);
        assert_eq!(m.row_of(m.seqs[0]), Some(1));
        m.reset();
        assert_eq!(m.update(&log, &Filter::default()), None);
        assert_eq!(topics(&log, &m), ["a/2", "a/3", "c/1"]);
        log.clear();
        assert_eq!(m.update(&log, &Filter::default()), Some(0));
        assert_eq!(m.len(), 0);
    }

    fn line_of(s: &Seen) -> Json {
        let mut out = String::new();
        json_line(&mut out, s);
        assert!(
            out.ends_with('\n') && out.matches('\n').count() == 1,
            "{out}"
        );
        parse(out.trim_end()).unwrap_or_else(|e| panic!("{e:?}: {out}"))
    }

    #[test]
    fn json_lines_escape_text_and_carry_binary_as_base64() {
        let mut s = seen(
            "a\"b\\c\nd",
            "quote \" nl \n tab \t bell \u{7} ñ".as_bytes(),
        );
        s.retain = true;
        let j = line_of(&s);
        assert_eq!(
            j.get("time").unwrap().as_str(),
            Some("2023-11-14T22:13:20.123Z")
        );
        assert_eq!(j.get("topic").unwrap().as_str(), Some("a\"b\\c\nd"));
        assert_eq!(j.get("qos"), Some(&Json::Number("1".into())));
        assert_eq!(j.get("retain"), Some(&Json::Bool(true)));
        assert_eq!(
            j.get("payload").unwrap().as_str(),
            Some("quote \" nl \n tab \t bell \u{7} ñ")
        );
        assert_eq!(j.get("properties"), None);

        let j = line_of(&seen("bin", &[0xde, 0xad, 0xbe, 0xef, 0, 0xff]));
        assert_eq!(j.get("payload"), None);
        assert_eq!(j.get("payload_base64").unwrap().as_str(), Some("3q2+7wD/"));
        assert_eq!(j.get("size"), Some(&Json::Number("6".into())));
    }

    #[test]
    fn json_lines_carry_the_5_0_properties() {
        let mut s = seen("t", b"{}");
        s.properties = Properties(vec![
            Property::ContentType("application/json".into()),
            Property::UserProperty("k".into(), "v \"1\"".into()),
            Property::ResponseTopic("reply/to".into()),
            Property::CorrelationData(Bytes::from_static(b"\x01\x02")),
            Property::MessageExpiryInterval(60),
            Property::UserProperty("k".into(), "again".into()),
        ]);
        let j = line_of(&s);
        let p = j.get("properties").unwrap();
        assert_eq!(
            p.get("content_type").unwrap().as_str(),
            Some("application/json")
        );
        assert_eq!(p.get("response_topic").unwrap().as_str(), Some("reply/to"));
        assert_eq!(p.get("correlation_data").unwrap().as_str(), Some("AQI="));
        assert_eq!(p.get("message_expiry"), Some(&Json::Number("60".into())));
        let users: Vec<Vec<&str>> = p
            .get("user_properties")
            .unwrap()
            .as_array()
            .unwrap()
            .iter()
            .map(|kv| {
                kv.as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x.as_str().unwrap())
                    .collect()
            })
            .collect();
        assert_eq!(users, [["k", "v \"1\""], ["k", "again"]]);
    }

    #[test]
    fn local_clock_reads_the_calendar() {
        // 2026-12-03 09:41:07.250 UTC.
        let t = 1_796_290_867_250.0;
        assert_eq!(local_clock(t, false), "09:41:07.250");
        assert_eq!(local_clock(t, true), "2026-12-03 09:41:07.250");
        assert_eq!(
            local_clock(951_782_400_000.0, true),
            "2000-02-29 00:00:00.000"
        );
        assert_eq!(local_clock(-1.0, true), "1969-12-31 23:59:59.999");
    }

    #[test]
    fn counts_are_grouped_by_thousands() {
        for (n, s) in [
            (0, "0"),
            (999, "999"),
            (1_000, "1,000"),
            (20_000, "20,000"),
            (1_234_567, "1,234,567"),
        ] {
            assert_eq!(grouped(n), s);
        }
    }
}
