//! The publish panel: any message, to any topic, through the watched connection.
//!
//! The form is a [`Draft`] of what was typed; [`build`] turns it into what goes on the wire,
//! or into every problem that keeps it from going, checked against what the broker allows
//! ([`Target`]) so that nothing half-valid ever reaches the session. Both are pure and
//! tested natively; the view only binds them. The last [`HISTORY_LEN`] messages sent are
//! kept as drafts (what was typed, not the bytes: "edit" gives back the form as it was, and a
//! resend is built again against the broker it now goes to).

use leptos::prelude::*;
use mqtt_codec_wasm::topic::{TopicError, validate_topic_name};
use mqtt_session::{Bytes, Properties, Property, QoS};

use super::Insight;
use crate::config::MqttVersion;
use crate::format::fill;
use crate::i18n::Lang;
use crate::json::{Json, JsonError};
use crate::mqtt::link::{LinkStatus, PublishError};
use crate::runtime::use_runtime;
use crate::state::use_app_state;

/// How many messages the history keeps.
pub const HISTORY_LEN: usize = 20;
/// Longer payloads stay in this visit's history but are not written to storage: twenty of
/// them could fill the origin's few megabytes, which the configuration needs.
const KEPT_PAYLOAD: usize = 16 * 1024;
/// The largest packet MQTT can frame (a remaining length of 268,435,455): the bound when
/// the broker names none.
const MQTT_MAX_PACKET: u32 = 1 + 4 + 268_435_455;
/// An MQTT string or binary field holds at most this many bytes.
const MQTT_MAX_STRING: usize = 65_535;

/// How the payload's text is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Sent as typed (UTF-8).
    #[default]
    Text,
    /// Sent as typed, once it reads as JSON.
    Json,
    /// Pairs of hex digits, the bytes sent.
    Hex,
}

impl Format {
    const ALL: [Format; 3] = [Format::Text, Format::Json, Format::Hex];

    fn tag(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Json => "json",
            Self::Hex => "hex",
        }
    }

    fn from_tag(tag: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.tag() == tag)
    }
}

/// The form as typed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Draft {
    pub topic: String,
    pub payload: String,
    pub format: Format,
    pub qos: u8,
    pub retain: bool,
    pub content_type: String,
    pub response_topic: String,
    /// Sent as the UTF-8 bytes of the text.
    pub correlation: String,
    /// Seconds, as typed; empty: the message never expires.
    pub expiry: String,
    /// User properties (name, value), in the order sent.
    pub user: Vec<(String, String)>,
}

/// What the broker allows the message, as far as it is known before sending.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target {
    pub v5: bool,
    pub max_packet: Option<u32>,
    pub max_qos: u8,
    pub retain: bool,
}

impl Target {
    /// 5.0 only when it is sure: configured so, or "auto" connected in 5.0. Limits only from
    /// a connection (before its CONNACK the session allows everything).
    pub fn of(
        configured: Option<MqttVersion>,
        connected: Option<(mqtt_session::ServerLimits, mqtt_session::ProtocolVersion)>,
    ) -> Self {
        Self {
            v5: match configured {
                Some(MqttVersion::V5) => true,
                Some(MqttVersion::Auto) => connected.is_some_and(|(_, v)| v.is_v5()),
                _ => false,
            },
            max_packet: connected.and_then(|(l, _)| l.maximum_packet_size),
            max_qos: connected.map_or(2, |(l, _)| l.maximum_qos as u8),
            retain: connected.is_none_or(|(l, _)| l.retain_available),
        }
    }
}

/// A message ready for [`crate::runtime::Runtime::publish_message`].
#[derive(Debug, Clone, PartialEq)]
pub struct Outgoing {
    pub topic: String,
    pub payload: Vec<u8>,
    pub qos: QoS,
    pub retain: bool,
    pub properties: Properties,
}

/// The input a problem is shown under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Topic,
    Payload,
    Qos,
    Retain,
    ContentType,
    ResponseTopic,
    Correlation,
    Expiry,
    /// The user property row at this index.
    User(usize),
}

impl Field {
    fn tag(self) -> &'static str {
        match self {
            Self::Topic => "topic",
            Self::Payload => "payload",
            Self::Qos => "qos",
            Self::Retain => "retain",
            Self::ContentType => "content_type",
            Self::ResponseTopic => "response_topic",
            Self::Correlation => "correlation",
            Self::Expiry => "expiry",
            Self::User(_) => "user",
        }
    }
}

/// Where hex stops being pairs of digits: 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HexError {
    pub line: usize,
    pub column: usize,
    /// The character that is no hex digit; `None`: a digit without its pair.
    pub found: Option<char>,
}

/// Why a draft cannot be sent.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    Topic(TopicError),
    Json(JsonError),
    Hex(HexError),
    /// Longer than MQTT allows a string (65,535 bytes), or holding the null character.
    BadString,
    Expiry,
    /// A user property with a value and no name.
    NoName,
    TooLarge {
        size: usize,
        maximum: u32,
    },
    Qos {
        maximum: u8,
    },
    Retain,
}

/// Bytes from pairs of hex digits; whitespace may stand between pairs, not inside one.
pub fn parse_hex(text: &str) -> Result<Vec<u8>, HexError> {
    let mut out = Vec::with_capacity(text.len() / 2);
    let (mut line, mut column) = (1, 0);
    let mut high: Option<(u8, usize, usize)> = None;
    let lone = |(_, line, column): (u8, usize, usize)| HexError {
        line,
        column,
        found: None,
    };
    for c in text.chars() {
        column += 1;
        if let Some(v) = c.to_digit(16) {
            match high.take() {
                None => high = Some((v as u8, line, column)),
                Some((h, ..)) => out.push(h << 4 | v as u8),
            }
        } else if c.is_whitespace() {
            if let Some(h) = high {
                return Err(lone(h));
            }
            if c == '\n' {
                line += 1;
                column = 0;
            }
        } else {
            return Err(HexError {
                line,
                column,
                found: Some(c),
            });
        }
    }
    high.map_or(Ok(out), |h| Err(lone(h)))
}

/// An optional whole number of seconds, 1 to `u32::MAX` (0 would expire on arrival).
fn parse_expiry(text: &str) -> Result<Option<u32>, ()> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    match text.parse::<u32>() {
        Ok(s) if s > 0 && text.bytes().all(|b| b.is_ascii_digit()) => Ok(Some(s)),
        _ => Err(()),
    }
}

fn mqtt_string(s: &str) -> bool {
    s.len() <= MQTT_MAX_STRING && !s.contains('\0')
}

fn varint_len(n: usize) -> usize {
    match n {
        0..=127 => 1,
        128..=16_383 => 2,
        16_384..=2_097_151 => 3,
        _ => 4,
    }
}

/// The size of the PUBLISH the session will write (the packet identifier counted at any
/// QoS, as the session counts it against the broker's maximum), with 5.0 `properties`.
pub fn packet_size(topic: &str, payload: usize, properties: Option<&Properties>) -> usize {
    let properties = properties.map_or(0, |p| {
        let n: usize = p
            .iter()
            .map(|p| {
                1 + match p {
                    Property::ContentType(s) | Property::ResponseTopic(s) => 2 + s.len(),
                    Property::CorrelationData(b) => 2 + b.len(),
                    Property::UserProperty(k, v) => 4 + k.len() + v.len(),
                    // The expiry, and anything else the panel never sends: at most four.
                    _ => 4,
                }
            })
            .sum();
        varint_len(n) + n
    });
    let body = 2 + topic.len() + 2 + properties + payload;
    1 + varint_len(body) + body
}

/// The message a draft makes for `target`, or every problem in it. The 5.0 fields are
/// ignored when the target is not 5.0 (they stay in the form, hidden).
pub fn build(d: &Draft, target: Target) -> Result<Outgoing, Vec<(Field, Problem)>> {
    let mut problems = Vec::new();
    let mut fail = |field, problem| problems.push((field, problem));
    if let Err(e) = validate_topic_name(&d.topic) {
        fail(Field::Topic, Problem::Topic(e));
    }
    let payload = match d.format {
        Format::Text => Ok(d.payload.as_bytes().to_vec()),
        Format::Json => crate::json::parse(&d.payload)
            .map(|_| d.payload.as_bytes().to_vec())
            .map_err(Problem::Json),
        Format::Hex => parse_hex(&d.payload).map_err(Problem::Hex),
    }
    .unwrap_or_else(|p| {
        fail(Field::Payload, p);
        Vec::new()
    });
    let qos = QoS::from_u8(d.qos).unwrap_or(QoS::AtMostOnce);
    if d.qos > target.max_qos {
        fail(
            Field::Qos,
            Problem::Qos {
                maximum: target.max_qos,
            },
        );
    }
    if d.retain && !target.retain {
        fail(Field::Retain, Problem::Retain);
    }
    let mut properties = Properties::new();
    if target.v5 {
        if !d.content_type.is_empty() {
            if mqtt_string(&d.content_type) {
                properties.push(Property::ContentType(d.content_type.clone()));
            } else {
                fail(Field::ContentType, Problem::BadString);
            }
        }
        if !d.response_topic.is_empty() {
            match validate_topic_name(&d.response_topic) {
                Ok(()) => properties.push(Property::ResponseTopic(d.response_topic.clone())),
                Err(e) => fail(Field::ResponseTopic, Problem::Topic(e)),
            }
        }
        if !d.correlation.is_empty() {
            if d.correlation.len() <= MQTT_MAX_STRING {
                let bytes = Bytes::from(d.correlation.clone().into_bytes());
                properties.push(Property::CorrelationData(bytes));
            } else {
                fail(Field::Correlation, Problem::BadString);
            }
        }
        match parse_expiry(&d.expiry) {
            Ok(Some(s)) => properties.push(Property::MessageExpiryInterval(s)),
            Ok(None) => {}
            Err(()) => fail(Field::Expiry, Problem::Expiry),
        }
        for (i, (name, value)) in d.user.iter().enumerate() {
            if name.is_empty() && value.is_empty() {
                continue;
            }
            if name.is_empty() {
                fail(Field::User(i), Problem::NoName);
            } else if !mqtt_string(name) || !mqtt_string(value) {
                fail(Field::User(i), Problem::BadString);
            } else {
                properties.push(Property::UserProperty(name.clone(), value.clone()));
            }
        }
    }
    if problems.is_empty() {
        let size = packet_size(&d.topic, payload.len(), target.v5.then_some(&properties));
        let maximum = target.max_packet.unwrap_or(MQTT_MAX_PACKET);
        if size > maximum as usize {
            problems.push((Field::Payload, Problem::TooLarge { size, maximum }));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Outgoing {
        topic: d.topic.clone(),
        payload,
        qos,
        retain: d.retain,
        properties,
    })
}

/// The draft as it was sent: without the 5.0 fields a 3.1.1 connection did not send, and
/// without empty user property rows, so that the same message sent twice compares equal.
pub fn as_sent(d: &Draft, v5: bool) -> Draft {
    let mut d = d.clone();
    if v5 {
        d.user.retain(|(n, v)| !(n.is_empty() && v.is_empty()));
        d.expiry = d.expiry.trim().to_owned();
    } else {
        let Draft {
            content_type,
            response_topic,
            correlation,
            expiry,
            user,
            ..
        } = &mut d;
        for s in [content_type, response_topic, correlation, expiry] {
            s.clear();
        }
        user.clear();
    }
    d
}

/// Puts `sent` at the top of the history: the same message again moves up instead of
/// being listed twice, and the oldest beyond [`HISTORY_LEN`] goes.
pub fn remember(history: &mut Vec<Draft>, sent: Draft) {
    history.retain(|d| *d != sent);
    history.insert(0, sent);
    history.truncate(HISTORY_LEN);
}

/// The history as stored: a JSON array of drafts, newest first.
pub fn history_to_json(history: &[Draft]) -> String {
    use crate::config::json_string;
    let mut out = String::from("[");
    for d in history.iter().filter(|d| d.payload.len() <= KEPT_PAYLOAD) {
        if out.len() > 1 {
            out.push(',');
        }
        for (i, (key, value)) in [
            ("topic", &d.topic),
            ("payload", &d.payload),
            ("content_type", &d.content_type),
            ("response_topic", &d.response_topic),
            ("correlation", &d.correlation),
            ("expiry", &d.expiry),
        ]
        .into_iter()
        .enumerate()
        {
            out.push(if i == 0 { '{' } else { ',' });
            json_string(&mut out, key);
            out.push(':');
            json_string(&mut out, value);
        }
        out.push_str(&format!(
            ",\"format\":\"{}\",\"qos\":{},\"retain\":{},\"user\":[",
            d.format.tag(),
            d.qos,
            d.retain
        ));
        for (i, (name, value)) in d.user.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push('[');
            json_string(&mut out, name);
            out.push(',');
            json_string(&mut out, value);
            out.push(']');
        }
        out.push_str("]}");
    }
    out.push(']');
    out
}

/// The stored history; anything that is not one (another app's value, a hand edit, a
/// newer shape) is no history, and an entry that does not read is left out.
pub fn history_from_json(text: &str) -> Vec<Draft> {
    let Ok(Json::Array(items)) = crate::json::parse(text) else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(draft_from_json)
        .take(HISTORY_LEN)
        .collect()
}

fn draft_from_json(v: &Json) -> Option<Draft> {
    let text = |key: &str| match v.get(key) {
        None => Some(String::new()),
        Some(j) => j.as_str().map(str::to_owned),
    };
    let user = match v.get("user") {
        None => Vec::new(),
        Some(u) => u
            .as_array()?
            .iter()
            .map(|pair| match pair.as_array()? {
                [name, value] => Some((name.as_str()?.to_owned(), value.as_str()?.to_owned())),
                _ => None,
            })
            .collect::<Option<_>>()?,
    };
    Some(Draft {
        topic: v.get("topic")?.as_str()?.to_owned(),
        payload: text("payload")?,
        format: match v.get("format") {
            None => Format::Text,
            Some(f) => Format::from_tag(f.as_str()?)?,
        },
        qos: match v.get("qos") {
            None => 0,
            Some(q) => u8::try_from(q.as_u64()?).ok().filter(|q| *q <= 2)?,
        },
        retain: match v.get("retain") {
            None => false,
            Some(r) => r.as_bool()?,
        },
        content_type: text("content_type")?,
        response_topic: text("response_topic")?,
        correlation: text("correlation")?,
        expiry: text("expiry")?,
        user,
    })
}

fn load_history() -> Vec<Draft> {
    crate::storage::load_publish_history()
        .map(|text| history_from_json(&text))
        .unwrap_or_default()
}

/// Written on every publish; storage full or blocked leaves this visit's history as it is.
fn save_history(history: &[Draft]) {
    crate::storage::save_publish_history(&history_to_json(history));
}

/// What became of the last publish asked for.
#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Sent(String),
    Refused(PublishError),
    /// The form has this many problems; nothing was sent.
    Invalid(usize),
    /// A message of the history no longer fits (another broker's limits).
    Unusable(Problem),
}

/// The link of the watched connection as the panel needs it.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Link {
    connected: bool,
    target: Target,
}

fn problem_text(p: &Problem, lang: Lang) -> String {
    let w = words(lang);
    let n = |v: usize| v.to_string();
    match p {
        Problem::Topic(TopicError::Empty) => w.topic_empty.to_owned(),
        Problem::Topic(e) => fill(w.topic_bad, &[crate::describe::topic_error_text(*e, lang)]),
        Problem::Json(e) => fill(w.json_bad, &[&n(e.line), &n(e.column)]),
        Problem::Hex(HexError {
            line,
            column,
            found: Some(c),
        }) => fill(w.hex_bad, &[&c.to_string(), &n(*line), &n(*column)]),
        Problem::Hex(HexError { line, column, .. }) => fill(w.hex_lone, &[&n(*line), &n(*column)]),
        Problem::BadString => w.bad_string.to_owned(),
        Problem::Expiry => w.expiry_bad.to_owned(),
        Problem::NoName => w.no_name.to_owned(),
        Problem::TooLarge { size, maximum } => {
            fill(w.too_large, &[&n(*size), &maximum.to_string()])
        }
        Problem::Qos { maximum } => fill(w.qos_max, &[&maximum.to_string()]),
        Problem::Retain => w.retain_off.to_owned(),
    }
}

fn outcome_text(o: &Outcome, lang: Lang) -> String {
    let w = words(lang);
    match o {
        Outcome::Sent(topic) => fill(w.published, &[topic]),
        Outcome::Refused(PublishError::NoConnection | PublishError::NotConnected) => {
            w.not_connected.to_owned()
        }
        Outcome::Refused(e) => fill(
            w.not_published,
            &[&crate::describe::publish_error_text(e, lang)],
        ),
        Outcome::Invalid(n) => fill(w.fix, &[&n.to_string()]),
        Outcome::Unusable(p) => fill(w.not_published, &[&problem_text(p, lang)]),
    }
}

/// What the form's inputs share.
#[derive(Clone, Copy)]
struct Form {
    lang: Signal<Lang>,
    draft: RwSignal<Draft>,
    problems: Memo<Vec<(Field, Problem)>>,
}

type Pick = fn(&Words) -> &'static str;

impl Form {
    fn word(self, pick: Pick) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
        move || pick(&words(self.lang.get()))
    }

    fn invalid(self, field: Field) -> impl Fn() -> Option<&'static str> + Send + Sync + 'static {
        move || {
            self.problems
                .with(|ps| ps.iter().any(|(f, _)| *f == field))
                .then_some("true")
        }
    }

    fn errors(self, field: Field) -> impl IntoView {
        let messages = move || {
            let lang = self.lang.get();
            self.problems.with(|ps| {
                ps.iter()
                    .filter(|(f, _)| *f == field)
                    .map(|(_, p)| {
                        view! {
                            <p class="field-error" data-field=field.tag()>
                                {problem_text(p, lang)}
                            </p>
                        }
                    })
                    .collect_view()
            })
        };
        view! { <div class="field-errors" aria-live="polite">{messages}</div> }
    }

    /// A labelled one-line input bound to one text of the draft.
    fn text(
        self,
        field: Field,
        label: Pick,
        get: fn(&Draft) -> &String,
        set: fn(&mut Draft) -> &mut String,
        node: NodeRef<leptos::html::Input>,
    ) -> impl IntoView {
        let id = format!("pub-{}", field.tag());
        view! {
            <div class="field">
                <label for=id.clone()>{self.word(label)}</label>
                <input
                    id=id
                    name=field.tag()
                    type="text"
                    autocomplete="off"
                    spellcheck="false"
                    autocapitalize="off"
                    node_ref=node
                    prop:value=move || self.draft.with(|d| get(d).clone())
                    aria-invalid=self.invalid(field)
                    on:input=move |ev| self.draft.update(|d| *set(d) = event_target_value(&ev))
                />
                {self.errors(field)}
            </div>
        }
    }
}

pub fn view(ins: Insight) -> impl IntoView {
    let state = use_app_state();
    let runtime = use_runtime();
    let lang = ins.lang;
    let connection = ins.connection;
    let draft = RwSignal::new(Draft::default());
    let history = RwSignal::new(load_history());
    // Problems are shown from the first press of Publish on, then follow the typing.
    let tried = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Outcome>);
    let link = Memo::new(move |_| {
        state.links_version.track();
        let id = connection.get();
        let configured = state.config.with(|c| {
            c.connections
                .iter()
                .find(|x| x.id == id)
                .map(|x| x.mqtt_version)
        });
        let (status, limits) = runtime.with_value(|rt| (rt.status(&id), rt.limits(&id)));
        let connected = matches!(status, Some(LinkStatus::Connected { .. }));
        Link {
            connected,
            target: Target::of(configured, limits.filter(|_| connected)),
        }
    });
    let problems = Memo::new(move |_| {
        if !tried.get() {
            return Vec::new();
        }
        let target = link.with(|l| l.target);
        draft.with(|d| build(d, target).err().unwrap_or_default())
    });
    // A message about the last press is about what the form held then.
    Effect::new(move |_| {
        draft.track();
        outcome.set(None);
    });
    let form = Form {
        lang,
        draft,
        problems,
    };
    let w = move |pick: Pick| form.word(pick);

    let send = Callback::new(move |(d, from_form): (Draft, bool)| {
        let target = link.with_untracked(|l| l.target);
        let out = match build(&d, target) {
            Ok(out) => out,
            Err(ps) if from_form => return outcome.set(Some(Outcome::Invalid(ps.len()))),
            Err(mut ps) => return outcome.set(Some(Outcome::Unusable(ps.swap_remove(0).1))),
        };
        let id = connection.get_untracked();
        let Outgoing {
            topic,
            payload,
            qos,
            retain,
            properties,
        } = out;
        let sent = runtime
            .with_value(|rt| rt.publish_message(&id, &topic, payload, qos, retain, properties));
        outcome.set(Some(match sent {
            Ok(()) => {
                history.update(|h| remember(h, as_sent(&d, target.v5)));
                history.with_untracked(|h| save_history(h));
                Outcome::Sent(topic)
            }
            Err(e) => Outcome::Refused(e),
        }));
    });
    let topic_ref = NodeRef::<leptos::html::Input>::new();

    let format_select = move || {
        Format::ALL
            .into_iter()
            .map(|f| {
                let label = move || match f {
                    Format::Text => words(lang.get()).text,
                    Format::Json => "JSON",
                    Format::Hex => "Hex",
                };
                view! {
                    <option value=f.tag() prop:selected=move || draft.with(|d| d.format == f)>
                        {label}
                    </option>
                }
            })
            .collect_view()
    };
    let qos_options = move || {
        [w(|w| w.qos0), w(|w| w.qos1), w(|w| w.qos2)]
            .into_iter()
            .enumerate()
            .map(|(q, label)| {
                view! {
                    <option value=q.to_string() prop:selected=move || draft.with(|d| usize::from(d.qos) == q)>
                        {label}
                    </option>
                }
            })
            .collect_view()
    };
    let user_row = move |i: usize| {
        let get = move |pick: fn(&(String, String)) -> &String| {
            move || draft.with(|d| d.user.get(i).map(|u| pick(u).clone()).unwrap_or_default())
        };
        let set = move |first: bool| {
            move |ev: web_sys::Event| {
                let v = event_target_value(&ev);
                draft.update(|d| {
                    if let Some(u) = d.user.get_mut(i) {
                        *(if first { &mut u.0 } else { &mut u.1 }) = v;
                    }
                })
            }
        };
        let numbered =
            move |pick: Pick| move || fill(pick(&words(lang.get())), &[&(i + 1).to_string()]);
        view! {
            <div class="publish-user" data-row=i>
                <input
                    name=format!("user[{i}].name")
                    type="text"
                    autocomplete="off"
                    spellcheck="false"
                    autocapitalize="off"
                    placeholder=w(|w| w.name)
                    aria-label=numbered(|w| w.name_n)
                    aria-invalid=form.invalid(Field::User(i))
                    prop:value=get(|u| &u.0)
                    on:input=set(true)
                />
                <input
                    name=format!("user[{i}].value")
                    type="text"
                    autocomplete="off"
                    spellcheck="false"
                    autocapitalize="off"
                    placeholder=w(|w| w.value)
                    aria-label=numbered(|w| w.value_n)
                    prop:value=get(|u| &u.1)
                    on:input=set(false)
                />
                <button
                    type="button"
                    class="remove"
                    aria-label=numbered(|w| w.remove_n)
                    title=numbered(|w| w.remove_n)
                    on:click=move |_| {
                        draft
                            .update(|d| {
                                if i < d.user.len() {
                                    d.user.remove(i);
                                }
                            })
                    }
                >
                    "✕"
                </button>
                {form.errors(Field::User(i))}
            </div>
        }
    };
    let v5_fields = move || {
        if !link.with(|l| l.target.v5) {
            return view! { <p class="hint publish-v5-off">{w(|w| w.v5_off)}</p> }.into_any();
        }
        view! {
            {form.text(Field::ContentType, |w| w.content_type, |d| &d.content_type, |d| &mut d.content_type, NodeRef::new())}
            {form.text(Field::ResponseTopic, |w| w.response_topic, |d| &d.response_topic, |d| &mut d.response_topic, NodeRef::new())}
            {form.text(Field::Correlation, |w| w.correlation, |d| &d.correlation, |d| &mut d.correlation, NodeRef::new())}
            <div class="field">
                <label for="pub-expiry">{w(|w| w.expiry)}</label>
                <p class="hint" id="pub-expiry-hint">{w(|w| w.expiry_hint)}</p>
                <input
                    id="pub-expiry"
                    name="expiry"
                    type="text"
                    inputmode="numeric"
                    autocomplete="off"
                    aria-describedby="pub-expiry-hint"
                    aria-invalid=form.invalid(Field::Expiry)
                    prop:value=move || draft.with(|d| d.expiry.clone())
                    on:input=move |ev| draft.update(|d| d.expiry = event_target_value(&ev))
                />
                {form.errors(Field::Expiry)}
            </div>
            <fieldset class="rows publish-user-properties">
                <legend>{w(|w| w.user)}</legend>
                <For each=move || 0..draft.with(|d| d.user.len()) key=|i| *i children=user_row />
                <button
                    type="button"
                    class="add add-user-property"
                    on:click=move |_| draft.update(|d| d.user.push(Default::default()))
                >
                    {w(|w| w.add)}
                </button>
            </fieldset>
        }
        .into_any()
    };

    let entry = move |i: usize, d: &Draft| {
        let mut meta = format!("QoS {}", d.qos);
        if d.format != Format::Text {
            meta.push_str(" · ");
            meta.push_str(if d.format == Format::Json {
                "JSON"
            } else {
                "Hex"
            });
        }
        let retain = d.retain;
        let pick = move || history.with_untracked(|h| h.get(i).cloned());
        let topic = d.topic.clone();
        let labelled = move |pick: Pick| {
            let topic = topic.clone();
            move || format!("{}: {}", pick(&words(lang.get())), topic)
        };
        view! {
            <li class="publish-entry">
                <div class="publish-entry-text">
                    <span class="publish-entry-topic">{d.topic.clone()}</span>
                    <span class="publish-entry-payload">
                        {crate::payload::excerpt(&d.payload, 120)}
                    </span>
                    <span class="publish-entry-meta">
                        {meta}
                        {move || retain.then(|| format!(" · {}", words(lang.get()).retained))}
                    </span>
                </div>
                <div class="publish-entry-actions">
                    <button
                        type="button"
                        class="resend"
                        aria-label=labelled(|w| w.resend)
                        on:click=move |_| {
                            if let Some(d) = pick() {
                                send.run((d, false));
                            }
                        }
                    >
                        {w(|w| w.resend)}
                    </button>
                    <button
                        type="button"
                        class="edit"
                        aria-label=labelled(|w| w.edit)
                        on:click=move |_| {
                            if let Some(d) = pick() {
                                tried.set(false);
                                draft.set(d);
                                if let Some(el) = topic_ref.get_untracked() {
                                    let _ = el.focus();
                                }
                            }
                        }
                    >
                        {w(|w| w.edit)}
                    </button>
                </div>
            </li>
        }
    };

    view! {
        <div class="publish">
            <form
                class="editor publish-form"
                novalidate
                on:submit=move |ev| {
                    ev.prevent_default();
                    tried.set(true);
                    send.run((draft.get_untracked(), true));
                }
            >
                {move || {
                    (!link.with(|l| l.connected))
                        .then(|| view! { <p class="publish-offline">{w(|w| w.offline)}</p> })
                }}
                {form.text(Field::Topic, |w| w.topic, |d| &d.topic, |d| &mut d.topic, topic_ref)}
                <div class="field publish-payload">
                    <div class="publish-payload-head">
                        <label for="pub-payload">{w(|w| w.payload)}</label>
                        <select
                            name="format"
                            aria-label=w(|w| w.format)
                            on:change=move |ev| {
                                let f = Format::from_tag(&event_target_value(&ev))
                                    .unwrap_or_default();
                                draft.update(|d| d.format = f);
                            }
                        >
                            {format_select}
                        </select>
                    </div>
                    <textarea
                        id="pub-payload"
                        name="payload"
                        rows="5"
                        spellcheck="false"
                        autocapitalize="off"
                        aria-invalid=form.invalid(Field::Payload)
                        prop:value=move || draft.with(|d| d.payload.clone())
                        on:input=move |ev| draft.update(|d| d.payload = event_target_value(&ev))
                    ></textarea>
                    {form.errors(Field::Payload)}
                </div>
                <div class="pair">
                    <div class="field">
                        <label for="pub-qos">"QoS"</label>
                        <select
                            id="pub-qos"
                            name="qos"
                            aria-invalid=form.invalid(Field::Qos)
                            on:change=move |ev| {
                                let q = event_target_value(&ev).parse().unwrap_or(0);
                                draft.update(|d| d.qos = q);
                            }
                        >
                            {qos_options}
                        </select>
                        {form.errors(Field::Qos)}
                    </div>
                    <div class="field field-check">
                        <input
                            type="checkbox"
                            id="pub-retain"
                            name="retain"
                            prop:checked=move || draft.with(|d| d.retain)
                            on:change=move |ev| draft.update(|d| d.retain = event_target_checked(&ev))
                        />
                        <label for="pub-retain">{w(|w| w.retain)}</label>
                        {form.errors(Field::Retain)}
                    </div>
                </div>
                <fieldset class="publish-v5">
                    <legend>{w(|w| w.v5)}</legend>
                    {v5_fields}
                </fieldset>
                <div class="publish-actions">
                    <button type="submit" class="publish-send">{w(|w| w.publish)}</button>
                </div>
            </form>
            <section class="publish-history" aria-labelledby="pub-history-title">
                <h3 id="pub-history-title">{w(|w| w.history)}</h3>
                {move || {
                    history
                        .with(|h| {
                            if h.is_empty() {
                                return view! { <p class="hint">{w(|w| w.history_empty)}</p> }
                                    .into_any();
                            }
                            let rows = h.iter().enumerate().map(|(i, d)| entry(i, d)).collect_view();
                            view! { <ol>{rows}</ol> }.into_any()
                        })
                }}
            </section>
            <p class="publish-outcome" role="status" aria-live="polite">
                {move || {
                    outcome
                        .with(|o| {
                            o.as_ref()
                                .map(|o| {
                                    let ok = if matches!(o, Outcome::Sent(_)) { "true" } else { "false" };
                                    view! {
                                        <span data-ok=ok>
                                            {outcome_text(o, lang.get())}
                                        </span>
                                    }
                                })
                        })
                }}
            </p>
        </div>
    }
}

/// The panel's own words (with it in the broker view's chunk).
struct Words {
    offline: &'static str,
    topic: &'static str,
    payload: &'static str,
    format: &'static str,
    text: &'static str,
    qos0: &'static str,
    qos1: &'static str,
    qos2: &'static str,
    retain: &'static str,
    retained: &'static str,
    v5: &'static str,
    v5_off: &'static str,
    content_type: &'static str,
    response_topic: &'static str,
    correlation: &'static str,
    expiry: &'static str,
    expiry_hint: &'static str,
    user: &'static str,
    name: &'static str,
    value: &'static str,
    name_n: &'static str,
    value_n: &'static str,
    remove_n: &'static str,
    add: &'static str,
    publish: &'static str,
    published: &'static str,
    not_published: &'static str,
    not_connected: &'static str,
    fix: &'static str,
    history: &'static str,
    history_empty: &'static str,
    resend: &'static str,
    edit: &'static str,
    topic_empty: &'static str,
    topic_bad: &'static str,
    json_bad: &'static str,
    hex_bad: &'static str,
    hex_lone: &'static str,
    bad_string: &'static str,
    expiry_bad: &'static str,
    no_name: &'static str,
    too_large: &'static str,
    qos_max: &'static str,
    retain_off: &'static str,
}

fn words(lang: Lang) -> Words {
    match lang {
        Lang::Es => Words {
            offline: "Sin conexión con el broker: no se puede publicar hasta que vuelva.",
            topic: "Tópico",
            payload: "Mensaje",
            format: "Formato del mensaje",
            text: "Texto",
            qos0: "0 — como mucho una vez",
            qos1: "1 — al menos una vez",
            qos2: "2 — exactamente una vez",
            retain: "Retener (el broker lo guarda para quien se suscriba después)",
            retained: "retenido",
            v5: "Propiedades MQTT 5.0",
            v5_off: "No disponibles: esta conexión no usa MQTT 5.0.",
            content_type: "Tipo de contenido",
            response_topic: "Tópico de respuesta",
            correlation: "Datos de correlación",
            expiry: "Caducidad del mensaje (segundos)",
            expiry_hint: "Vacío: no caduca.",
            user: "Propiedades de usuario",
            name: "Nombre",
            value: "Valor",
            name_n: "Nombre de la propiedad {}",
            value_n: "Valor de la propiedad {}",
            remove_n: "Quitar la propiedad {}",
            add: "Añadir propiedad",
            publish: "Publicar",
            published: "Publicado en {}",
            not_published: "No se publicó: {}",
            not_connected: "No se publicó: no hay conexión con el broker.",
            fix: "No se envió nada: hay {} problema(s) que corregir en el formulario.",
            history: "Últimos publicados",
            history_empty: "Aún no has publicado nada.",
            resend: "Reenviar",
            edit: "Editar",
            topic_empty: "Escribe un tópico.",
            topic_bad: "No es un tópico válido: {}",
            json_bad: "No es JSON válido: falla en la línea {}, columna {}.",
            hex_bad: "«{}» no es un dígito hexadecimal (línea {}, columna {}): usa pares de 0–9 y a–f, con espacios entre pares.",
            hex_lone: "Dígito hexadecimal suelto en la línea {}, columna {}: van de dos en dos (0a ff).",
            bad_string: "Demasiado largo (más de 65535 bytes) o con el carácter nulo.",
            expiry_bad: "Escribe un número entero de segundos de 1 a 4294967295, o déjalo vacío.",
            no_name: "A la propiedad le falta el nombre.",
            too_large: "El mensaje ocuparía {} bytes y el broker acepta como mucho {}.",
            qos_max: "El broker acepta QoS {} como máximo.",
            retain_off: "El broker no admite mensajes retenidos.",
        },
        Lang::En => Words {
            offline: "Not connected to the broker: nothing can be published until it is back.",
            topic: "Topic",
            payload: "Payload",
            format: "Payload format",
            text: "Text",
            qos0: "0 — at most once",
            qos1: "1 — at least once",
            qos2: "2 — exactly once",
            retain: "Retain (the broker keeps it for later subscribers)",
            retained: "retained",
            v5: "MQTT 5.0 properties",
            v5_off: "Not available: this connection is not using MQTT 5.0.",
            content_type: "Content type",
            response_topic: "Response topic",
            correlation: "Correlation data",
            expiry: "Message expiry (seconds)",
            expiry_hint: "Empty: never expires.",
            user: "User properties",
            name: "Name",
            value: "Value",
            name_n: "Name of property {}",
            value_n: "Value of property {}",
            remove_n: "Remove property {}",
            add: "Add property",
            publish: "Publish",
            published: "Published to {}",
            not_published: "Not published: {}",
            not_connected: "Not published: not connected to the broker.",
            fix: "Nothing was sent: {} problem(s) to fix in the form.",
            history: "Recently published",
            history_empty: "Nothing published yet.",
            resend: "Resend",
            edit: "Edit",
            topic_empty: "Enter a topic.",
            topic_bad: "Not a valid topic: {}",
            json_bad: "Not valid JSON: it breaks at line {}, column {}.",
            hex_bad: "“{}” is not a hex digit (line {}, column {}): use pairs of 0–9 and a–f, spaces between pairs.",
            hex_lone: "A lone hex digit at line {}, column {}: digits go in pairs (0a ff).",
            bad_string: "Too long (over 65535 bytes) or holds the null character.",
            expiry_bad: "Enter a whole number of seconds from 1 to 4294967295, or leave it empty.",
            no_name: "The property needs a name.",
            too_large: "The message would be {} bytes and the broker accepts at most {}.",
            qos_max: "The broker accepts at most QoS {}.",
            retain_off: "The broker does not keep retained messages.",
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mqtt_session::{ProtocolVersion, ServerLimits};

    const OPEN: Target = Target {
        v5: true,
        max_packet: None,
        max_qos: 2,
        retain: true,
    };

    fn draft(topic: &str, payload: &str, format: Format) -> Draft {
        Draft {
            topic: topic.into(),
            payload: payload.into(),
            format,
            ..Draft::default()
        }
    }

    fn problems(d: &Draft, t: Target) -> Vec<(Field, Problem)> {
        build(d, t).expect_err("problems")
    }

    #[test]
    fn text_and_json_go_as_typed() {
        let out = build(&draft("a/b", "21.5 °C", Format::Text), OPEN).unwrap();
        assert_eq!(out.payload, "21.5 °C".as_bytes());
        assert_eq!(
            (out.topic.as_str(), out.qos, out.retain),
            ("a/b", QoS::AtMostOnce, false)
        );
        assert!(out.properties.is_empty());
        let json = "{\n  \"on\": true\n}";
        let out = build(&draft("a", json, Format::Json), OPEN).unwrap();
        assert_eq!(out.payload, json.as_bytes());
    }

    #[test]
    fn invalid_json_names_line_and_column() {
        let d = draft("a", "{\n  \"on\": tru\n}", Format::Json);
        let ps = problems(&d, OPEN);
        assert_eq!(
            ps,
            [(
                Field::Payload,
                Problem::Json(JsonError { line: 2, column: 9 })
            )]
        );
        assert_eq!(
            problem_text(&ps[0].1, Lang::En),
            "Not valid JSON: it breaks at line 2, column 9."
        );
        assert!(
            problems(&draft("a", "", Format::Json), OPEN)[0].1
                == Problem::Json(JsonError { line: 1, column: 1 })
        );
    }

    #[test]
    fn hex_is_pairs_with_spaces_between() {
        assert_eq!(parse_hex("de ad\nBE EF"), Ok(vec![0xde, 0xad, 0xbe, 0xef]));
        assert_eq!(parse_hex("00ff10"), Ok(vec![0, 255, 16]));
        assert_eq!(parse_hex("  "), Ok(vec![]));
        let bad = |line, column, found| HexError {
            line,
            column,
            found,
        };
        assert_eq!(parse_hex("0a 1g"), Err(bad(1, 5, Some('g'))));
        assert_eq!(parse_hex("0a\n0x10"), Err(bad(2, 2, Some('x'))));
        assert_eq!(parse_hex("0a b 1c"), Err(bad(1, 4, None)));
        assert_eq!(parse_hex("0a1"), Err(bad(1, 3, None)));
        let ps = problems(&draft("a", "zz", Format::Hex), OPEN);
        assert_eq!(
            problem_text(&ps[0].1, Lang::En),
            "“z” is not a hex digit (line 1, column 1): use pairs of 0–9 and a–f, spaces between pairs."
        );
        assert_eq!(
            build(&draft("a", "01 02", Format::Hex), OPEN)
                .unwrap()
                .payload,
            [1, 2]
        );
    }

    #[test]
    fn a_topic_must_be_a_name_not_a_filter() {
        for (topic, e) in [
            ("", TopicError::Empty),
            ("home/+/t", TopicError::WildcardInTopicName),
            ("home/#", TopicError::WildcardInTopicName),
        ] {
            assert_eq!(
                problems(&draft(topic, "x", Format::Text), OPEN),
                [(Field::Topic, Problem::Topic(e))],
                "{topic:?}"
            );
        }
        assert_eq!(
            problem_text(&Problem::Topic(TopicError::Empty), Lang::Es),
            "Escribe un tópico."
        );
        // Every problem at once, each at its input.
        let mut d = draft("a/#", "{", Format::Json);
        d.response_topic = "r/+".into();
        let fields: Vec<Field> = problems(&d, OPEN).into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, [Field::Topic, Field::Payload, Field::ResponseTopic]);
    }

    #[test]
    fn v5_properties_are_built_from_the_fields() {
        let d = Draft {
            content_type: "application/json".into(),
            response_topic: "reply/here".into(),
            correlation: "req-42".into(),
            expiry: " 300 ".into(),
            user: vec![
                ("site".into(), "lab".into()),
                (String::new(), String::new()),
                ("site".into(), "two".into()),
            ],
            ..draft("a", "{}", Format::Json)
        };
        let out = build(&d, OPEN).unwrap();
        assert_eq!(
            out.properties.0,
            [
                Property::ContentType("application/json".into()),
                Property::ResponseTopic("reply/here".into()),
                Property::CorrelationData(Bytes::from_static(b"req-42")),
                Property::MessageExpiryInterval(300),
                Property::UserProperty("site".into(), "lab".into()),
                Property::UserProperty("site".into(), "two".into()),
            ]
        );
        // On 3.1.1 they are not sent, nor checked.
        let v311 = Target { v5: false, ..OPEN };
        let broken = Draft {
            response_topic: "#".into(),
            ..d.clone()
        };
        assert!(build(&broken, v311).unwrap().properties.is_empty());
        assert_eq!(as_sent(&d, false), draft("a", "{}", Format::Json));
        assert_eq!(as_sent(&d, true).user.len(), 2);
    }

    #[test]
    fn bad_v5_fields_are_named() {
        let d = Draft {
            response_topic: "a/+".into(),
            expiry: "0".into(),
            user: vec![(String::new(), "v".into()), ("k".into(), "nul\0".into())],
            content_type: "x".repeat(70_000),
            ..draft("a", "", Format::Text)
        };
        assert_eq!(
            problems(&d, OPEN),
            [
                (Field::ContentType, Problem::BadString),
                (
                    Field::ResponseTopic,
                    Problem::Topic(TopicError::WildcardInTopicName)
                ),
                (Field::Expiry, Problem::Expiry),
                (Field::User(0), Problem::NoName),
                (Field::User(1), Problem::BadString),
            ]
        );
        for bad in ["-1", "1.5", "4294967296", "+5", "x"] {
            assert_eq!(parse_expiry(bad), Err(()), "{bad:?}");
        }
        assert_eq!(parse_expiry("4294967295"), Ok(Some(u32::MAX)));
        assert_eq!(parse_expiry(""), Ok(None));
    }

    #[test]
    fn the_size_is_the_sessions_and_too_large_is_said_with_both_numbers() {
        use mqtt_codec_wasm::{Packet, Pid, Publish, QosPid, encoded_len};
        let props = Properties::new()
            .with(Property::ContentType("text/plain".into()))
            .with(Property::MessageExpiryInterval(60))
            .with(Property::UserProperty("k".into(), "v".repeat(200)));
        for (payload, props, version) in [
            (10, Some(&props), ProtocolVersion::V5),
            (100_000, Some(&props), ProtocolVersion::V5),
            (0, None, ProtocolVersion::V3_1_1),
            (300, None, ProtocolVersion::V3_1_1),
        ] {
            let packet = Packet::Publish(Publish {
                dup: false,
                qos_pid: QosPid::AtLeastOnce(Pid::new(1).unwrap()),
                retain: false,
                topic: "sensors/a".into(),
                payload: vec![0; payload].into(),
                properties: props.cloned().unwrap_or_default(),
            });
            assert_eq!(
                packet_size("sensors/a", payload, props),
                encoded_len(&packet, version).unwrap(),
                "{payload} bytes, {version:?}"
            );
        }
        let small = Target {
            max_packet: Some(18),
            ..OPEN
        };
        assert!(build(&draft("t", "0123456789", Format::Text), small).is_ok());
        let ps = problems(&draft("t", "0123456789a", Format::Text), small);
        assert_eq!(
            ps,
            [(
                Field::Payload,
                Problem::TooLarge {
                    size: 19,
                    maximum: 18
                }
            )]
        );
        assert_eq!(
            problem_text(&ps[0].1, Lang::En),
            "The message would be 19 bytes and the broker accepts at most 18."
        );
    }

    #[test]
    fn the_brokers_limits_and_version_decide() {
        let limits = ServerLimits {
            receive_maximum: 10,
            maximum_packet_size: Some(1000),
            topic_alias_maximum: 0,
            maximum_qos: QoS::AtLeastOnce,
            retain_available: false,
            wildcard_subscription_available: true,
            shared_subscription_available: true,
            subscription_identifiers_available: true,
            keep_alive: 30,
        };
        let t = Target::of(Some(MqttVersion::Auto), Some((limits, ProtocolVersion::V5)));
        assert_eq!(
            t,
            Target {
                v5: true,
                max_packet: Some(1000),
                max_qos: 1,
                retain: false
            }
        );
        assert!(
            !Target::of(
                Some(MqttVersion::Auto),
                Some((limits, ProtocolVersion::V3_1_1))
            )
            .v5
        );
        assert!(!Target::of(Some(MqttVersion::Auto), None).v5);
        assert!(Target::of(Some(MqttVersion::V5), None).v5);
        assert!(!Target::of(Some(MqttVersion::V3_1_1), None).v5);
        let d = Draft {
            qos: 2,
            retain: true,
            ..draft("a", "x", Format::Text)
        };
        assert_eq!(
            problems(&d, t),
            [
                (Field::Qos, Problem::Qos { maximum: 1 }),
                (Field::Retain, Problem::Retain)
            ]
        );
    }

    #[test]
    fn history_is_bounded_newest_first_without_duplicates() {
        let mut h = Vec::new();
        for i in 0..25 {
            remember(&mut h, draft(&format!("t/{i}"), "x", Format::Text));
        }
        assert_eq!(h.len(), HISTORY_LEN);
        assert_eq!(h[0].topic, "t/24");
        assert_eq!(h[19].topic, "t/5");
        remember(&mut h, draft("t/10", "x", Format::Text));
        assert_eq!(h.len(), HISTORY_LEN);
        assert_eq!(h[0].topic, "t/10");
        assert_eq!(h.iter().filter(|d| d.topic == "t/10").count(), 1);
        // Another payload to the same topic is another message.
        remember(&mut h, draft("t/10", "y", Format::Text));
        assert_eq!(h.iter().filter(|d| d.topic == "t/10").count(), 2);
    }

    #[test]
    fn history_round_trips_through_its_json() {
        let full = Draft {
            qos: 2,
            retain: true,
            content_type: "text/plain".into(),
            response_topic: "r".into(),
            correlation: "c\"\\\n".into(),
            expiry: "60".into(),
            user: vec![("k".into(), "v".into()), ("ñ".into(), "\u{1}".into())],
            ..draft("a/b", "line\n\"two\"", Format::Json)
        };
        let h = vec![full, draft("c", "0a ff", Format::Hex), Draft::default()];
        let text = history_to_json(&h);
        assert_eq!(history_from_json(&text), h);
        assert_eq!(history_to_json(&[]), "[]");
        // A payload too large to store stays out of storage only.
        let big = draft("big", &"x".repeat(KEPT_PAYLOAD + 1), Format::Text);
        assert_eq!(
            history_from_json(&history_to_json(&[big, h[1].clone()])),
            [h[1].clone()]
        );
    }

    #[test]
    fn a_broken_stored_history_is_no_history() {
        for garbage in [
            "",
            "null",
            "{}",
            "[",
            "not json",
            "\"[]\"",
            "[1, \"a\", null, []]",
            "[{\"payload\": \"no topic\"}]",
            "[{\"topic\": 5}]",
            "[{\"topic\": \"a\", \"qos\": 3}]",
            "[{\"topic\": \"a\", \"qos\": -1}]",
            "[{\"topic\": \"a\", \"format\": \"base64\"}]",
            "[{\"topic\": \"a\", \"user\": [[\"k\"]]}]",
            "[{\"topic\": \"a\", \"retain\": \"yes\"}]",
        ] {
            assert_eq!(history_from_json(garbage), [], "{garbage:?}");
        }
        // The readable entries of a partly broken one stay; extra keys are ignored.
        let mixed = "[{\"topic\": \"ok\", \"extra\": 1}, 7, {\"topic\": \"also\", \"qos\": 1}]";
        let topics: Vec<String> = history_from_json(mixed)
            .into_iter()
            .map(|d| d.topic)
            .collect();
        assert_eq!(topics, ["ok", "also"]);
        let many = format!("[{}]", vec!["{\"topic\":\"t\"}"; 50].join(","));
        assert_eq!(history_from_json(&many).len(), HISTORY_LEN);
    }

    #[test]
    fn both_languages_say_every_outcome() {
        for lang in [Lang::Es, Lang::En] {
            for o in [
                Outcome::Sent("a/b".into()),
                Outcome::Refused(PublishError::NotConnected),
                Outcome::Invalid(2),
                Outcome::Unusable(Problem::Retain),
            ] {
                let text = outcome_text(&o, lang);
                assert!(!text.contains("{}"), "{text}");
            }
        }
        assert_eq!(
            outcome_text(&Outcome::Sent("a/b".into()), Lang::En),
            "Published to a/b"
        );
    }
}
