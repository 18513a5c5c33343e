//! The shape of a stored configuration (schema version [`super::CURRENT_VERSION`]). Plain
//! data: `read` and `write` turn it from and into JSON by hand (see there for why), with the
//! field names and spellings written in their code.

#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Schema version, so that an old file can be migrated and a newer one refused.
    pub version: u32,
    pub connections: Vec<Connection>,
    pub dashboards: Vec<Dashboard>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            version: super::CURRENT_VERSION,
            connections: Vec::new(),
            dashboards: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    Ws,
    Wss,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MqttVersion {
    V3_1_1,
    V5,
    /// 5.0 first, 3.1.1 if the broker turns out not to speak 5.0 (the default for new
    /// connections: a user should not need to know which version their broker speaks).
    Auto,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Qos {
    AtMostOnce,
    AtLeastOnce,
    ExactlyOnce,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Connection {
    pub id: String,
    pub name: String,
    /// The preset this was made from (its id), kept so the UI can offer the preset's wss port.
    pub preset: Option<String>,
    pub scheme: Scheme,
    pub host: String,
    pub port: u16,
    pub path: String,
    pub username: Option<String>,
    /// Present only when the user asked to remember it; never in a share link.
    pub password: Option<String>,
    pub remember_password: bool,
    pub client_id: String,
    pub mqtt_version: MqttVersion,
    pub keep_alive_secs: u16,
    pub clean_start: bool,
    /// Seconds (5.0); 0 ends the session with the connection.
    pub session_expiry_secs: u32,
    pub will: Option<LastWill>,
}

impl Connection {
    pub fn url(&self) -> String {
        let scheme = match self.scheme {
            Scheme::Ws => "ws",
            Scheme::Wss => "wss",
        };
        let host = if self.host.contains(':') && !self.host.starts_with('[') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        let path = if self.path.starts_with('/') {
            self.path.clone()
        } else {
            format!("/{}", self.path)
        };
        format!("{scheme}://{host}:{}{path}", self.port)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct LastWill {
    pub topic: String,
    pub payload: String,
    pub qos: Qos,
    pub retain: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Dashboard {
    pub id: String,
    pub name: String,
    /// The connection whose broker this dashboard's widgets talk to.
    pub connection: String,
    pub widgets: Vec<Widget>,
}

/// Stored flat: `{"id", "title", "type", ...the kind's own fields}`, in the manner of dashboard
/// cards, so a file stays readable and an unknown type is a clear error rather than a silent
/// default. Written by `config::write`, read by `config::read`, which refuses unknown fields
/// and types.
#[derive(Debug, Clone, PartialEq)]
pub struct Widget {
    pub id: String,
    pub title: String,
    pub kind: WidgetKind,
}

/// Tagged by a `type` string (see [`Widget`]).
#[derive(Debug, Clone)]
pub enum WidgetKind {
    Gauge(GaugeConfig),
    Switch(SwitchConfig),
    Chart(ChartConfig),
    Value(ValueConfig),
    Button(ButtonConfig),
    Led(LedConfig),
    Slider(SliderConfig),
    Level(LevelConfig),
    /// A text input: what was typed, published through the template on Enter or Send.
    Text(Publish),
    /// A colour picker: the colour chosen (`#rrggbb`), published through the template on release.
    Color(Publish),
    Log(LogConfig),
}

/// Two kinds are equal when they are written the same: one comparison for every kind, which
/// the writer already is, where a derived one is code of its own per kind in the first load
/// (floats compare as written: configurations hold no NaN, validation refuses it).
impl PartialEq for WidgetKind {
    fn eq(&self, other: &Self) -> bool {
        super::write::kind_json(self) == super::write::kind_json(other)
    }
}

/// Where a widget's number comes from: a topic, an optional JSON path into the payload, and
/// a linear transform (`value * scale + offset`) for sensors that report raw units.
#[derive(Debug, Clone, PartialEq)]
pub struct Binding {
    pub topic: String,
    pub json_path: Option<String>,
    pub scale: f64,
    pub offset: f64,
    pub qos: Qos,
}

/// A colour band of a gauge: from `from` upwards (to the next band) the arc takes `color`.
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    pub from: f64,
    /// A CSS colour of the form `#rgb` or `#rrggbb` (validated: it reaches a style attribute).
    pub color: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct GaugeConfig {
    pub binding: Binding,
    pub min: f64,
    pub max: f64,
    pub unit: String,
    pub decimals: u8,
    pub bands: Vec<Band>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SwitchConfig {
    pub command_topic: String,
    pub on_payload: String,
    pub off_payload: String,
    /// Without a state topic the switch is optimistic.
    pub state_topic: Option<String>,
    pub state_on: String,
    pub state_off: String,
    pub json_path: Option<String>,
    pub qos: Qos,
    /// Commands are not retained by default: a retained "on" would switch a device back on
    /// every time it reconnects.
    pub retain: bool,
    /// How long to show "pending" before reverting and saying the device did not answer.
    pub confirm_timeout_ms: u32,
    /// How long a command stays worth sending. Made while disconnected (QoS ≥ 1), it waits
    /// for the connection at most this long, visibly, and is dropped in words after; over
    /// MQTT 5 it is also the message's expiry, so the broker does not hand it to a device
    /// that comes back later. 0: never wait, never expire.
    pub expiry_secs: u32,
    /// An icon drawn in its on or off form (`widgets::icons::NAMES`); empty: none.
    pub icon: String,
    /// MQTT 5 request/response: each command carries this Response Topic and a fresh
    /// Correlation Data, and the device's answer there with the same Correlation Data
    /// confirms it (as a state report would). A topic name; subscribed. Ignored over 3.1.1,
    /// which has no properties.
    pub response_topic: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub label: String,
    pub binding: Binding,
    pub color: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ChartConfig {
    pub series: Vec<Series>,
    /// Seconds shown, 60 (1 min) to 86_400 (24 h).
    pub window_secs: u32,
    /// Points kept per series; older ones are dropped, and drawing decimates to the width.
    pub max_points: u32,
    pub unit: String,
    pub min: Option<f64>,
    pub max: Option<f64>,
}

/// A button: one tap publishes one fixed payload (a bell, "open the gate", a scene).
#[derive(Debug, Clone, PartialEq)]
pub struct ButtonConfig {
    pub topic: String,
    pub payload: String,
    /// The button's text; empty: "Send" in the reader's language.
    pub label: String,
    pub qos: Qos,
    /// Not retained by default, for the same reason as a switch's commands.
    pub retain: bool,
    /// Ask before sending (a dangerous action: a gate, a heater).
    pub confirm: bool,
    /// As a switch's: how long a tap made while disconnected waits, and the message's expiry.
    pub expiry_secs: u32,
    /// As a switch's (a button shows its "on" form).
    pub icon: String,
    /// As a switch's: an answer there with the tap's Correlation Data says it was done.
    pub response_topic: Option<String>,
}

/// An indicator: a topic's state (read through the binding's JSON path, matched as text) as
/// a light in its "on" or "off" colour; anything else is an unknown state.
#[derive(Debug, Clone, PartialEq)]
pub struct LedConfig {
    pub binding: Binding,
    pub state_on: String,
    pub state_off: String,
    /// CSS colours of the form `#rgb` or `#rrggbb` (validated: they reach a style attribute).
    pub on_color: String,
    pub off_color: String,
    /// As a switch's, drawn in the state's colour in place of the round light.
    pub icon: String,
    /// Other states than on and off, each its label and colour (`"alarm"` → red).
    pub map: Vec<ValueMap>,
}

/// What a widget publishes when its user chooses a value (a slider's position, typed text,
/// a colour), and how: one shape, read, written and checked once for every such kind.
#[derive(Debug, Clone, PartialEq)]
pub struct Publish {
    /// A topic name (published: no wildcards).
    pub topic: String,
    /// The payload, with `{value}` where the chosen value goes (`crate::template`).
    pub template: String,
    pub qos: Qos,
    /// Not retained by default, for the same reason as a switch's commands.
    pub retain: bool,
    /// As a switch's: how long a value chosen while disconnected waits, and its expiry.
    pub expiry_secs: u32,
}

/// A slider (a dimmer, a fan's speed, a set point).
#[derive(Debug, Clone, PartialEq)]
pub struct SliderConfig {
    pub publish: Publish,
    pub min: f64,
    pub max: f64,
    /// Above 0 and at most `max - min`.
    pub step: f64,
    pub unit: String,
    /// While dragging, at most one message per this many milliseconds; 0: only on release.
    pub throttle_ms: u32,
    /// Where the device reports the value it took: the slider shows it, and "pending" from a
    /// move until it arrives. Without it the slider shows its own position.
    pub state: Option<Binding>,
}

/// A log: the last messages of a topic filter, newest first, with time and topic.
#[derive(Debug, Clone, PartialEq)]
pub struct LogConfig {
    /// A filter: wildcards allowed (`casa/#`).
    pub filter: String,
    pub qos: Qos,
    /// How many messages are kept and shown (the oldest go first).
    pub lines: u32,
    pub format: LogFormat,
}

/// How a log shows payloads. A payload that is not text is shown as hex whatever the choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    /// Compact JSON when the payload is JSON, as text otherwise.
    Json,
    Hex,
}

impl LogFormat {
    pub const ALL: [(&str, LogFormat); 3] = [
        ("text", Self::Text),
        ("json", Self::Json),
        ("hex", Self::Hex),
    ];

    pub fn tag(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Json => "json",
            Self::Hex => "hex",
        }
    }
}

/// A level bar (a tank, a battery): a gauge's reading and bands drawn as a bar.
#[derive(Debug, Clone, PartialEq)]
pub struct LevelConfig {
    pub gauge: GaugeConfig,
    /// Upright (a tank) rather than lying (a progress bar).
    pub vertical: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ValueConfig {
    pub binding: Binding,
    pub unit: String,
    /// `None` shows the payload as text instead of as a number.
    pub decimals: Option<u8>,
    /// After this many seconds without a message the value is marked stale; 0 never.
    pub stale_after_secs: u32,
    /// Payloads shown as words, in a colour of their own (`1` → "Open", red).
    pub map: Vec<ValueMap>,
    /// Threshold colours for a number, as a gauge's bands.
    pub bands: Vec<Band>,
}

/// A payload shown otherwise: the text `when` (exactly, after the JSON path) is shown as
/// `label` (empty: as it came) in `color` (empty: the card's colour; else `#rgb`/`#rrggbb`).
#[derive(Debug, Clone, PartialEq)]
pub struct ValueMap {
    pub when: String,
    pub label: String,
    pub color: String,
}
