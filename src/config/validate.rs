//! The rules a configuration must keep, checked on every way in. Each problem names the
//! field it is about (`dashboards[0].widgets[2].binding.topic`) so the editor can show it
//! beside the input and an import can say exactly what is wrong.

use core::fmt;

use mqtt_codec_wasm::topic::{TopicError, validate_topic_filter, validate_topic_name};

use super::model::*;
use crate::reading::jsonpath::{JsonPath, JsonPathError};
use crate::template::TemplateError;

/// Limits that keep a hostile file from freezing the page.
pub const MAX_DASHBOARDS: usize = 50;
pub const MAX_WIDGETS: usize = 200;
pub const MAX_CONNECTIONS: usize = 20;
pub const MAX_SERIES: usize = 8;
pub const MAX_BANDS: usize = 8;
pub const MAX_MAP_ROWS: usize = 16;
pub const MAX_UNIT_CHARS: usize = 16;
/// Inclusive ranges of whole-number fields, shared with the editors' messages.
pub const DECIMALS: (u64, u64) = (0, 6);
pub const CONFIRM_TIMEOUT_MS: (u64, u64) = (500, 60_000);
pub const EXPIRY_SECS: (u64, u64) = (0, 3_600);
/// A command's expiry when a configuration does not say (older files, new widgets): long
/// enough for a phone's blip in coverage, short enough that a lamp does not switch on
/// minutes after the tap.
pub const DEFAULT_EXPIRY_SECS: u32 = 10;
pub const WINDOW_SECS: (u64, u64) = (60, 86_400);
/// How many messages a log keeps.
pub const LOG_LINES: (u64, u64) = (10, 1_000);
/// A slider's messages while dragging: at most one per this many ms (0: on release only).
pub const THROTTLE_MS: (u64, u64) = (0, 10_000);
pub const MAX_POINTS: (u64, u64) = (10, 100_000);
pub const MAX_NAME_CHARS: usize = 80;
pub const MAX_PAYLOAD_CHARS: usize = 1024;
/// A connection's limits: a DNS name's length, and the free text that goes into the URL or
/// the CONNECT packet (a password over 65,535 bytes cannot be encoded at all).
pub const MAX_HOST_BYTES: usize = 253;
pub const MAX_PATH_CHARS: usize = 1024;
pub const MAX_LOGIN_CHARS: usize = 256;
pub const MAX_PASSWORD_CHARS: usize = 4096;

#[derive(Debug, Clone, PartialEq)]
pub enum FieldError {
    Empty,
    TooLong {
        max: usize,
    },
    BadId,
    DuplicateId(String),
    UnknownConnection(String),
    TopicName(TopicError),
    TopicFilter(TopicError),
    JsonPath(JsonPathError),
    OutOfRange {
        min: f64,
        max: f64,
    },
    MinNotBelowMax,
    NotFinite,
    BadColor,
    TooMany {
        max: usize,
    },
    BadHost,
    BadPath,
    Template(TemplateError),
    UnknownIcon(String),
    /// A value → label row for a value another row already maps.
    DuplicateValue(String),
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("must not be empty"),
            Self::TooLong { max } => write!(f, "longer than {max} characters"),
            Self::BadId => f.write_str("ids use letters, digits, '-' and '_' only"),
            Self::DuplicateId(id) => write!(f, "id {id:?} is used twice"),
            Self::UnknownConnection(id) => write!(f, "no connection has id {id:?}"),
            Self::TopicName(why) => write!(f, "not a valid topic: {why}"),
            Self::TopicFilter(why) => write!(f, "not a valid topic filter: {why}"),
            Self::JsonPath(why) => write!(f, "not a valid JSON path: {why}"),
            Self::OutOfRange { min, max } => write!(f, "must be between {min} and {max}"),
            Self::MinNotBelowMax => f.write_str("minimum must be below maximum"),
            Self::NotFinite => f.write_str("must be a finite number"),
            Self::BadColor => f.write_str("colours are #rgb or #rrggbb"),
            Self::TooMany { max } => write!(f, "more than {max} entries"),
            Self::BadHost => f.write_str("a host name or address, without scheme, port or path"),
            Self::BadPath => f.write_str("a path starting with '/'"),
            Self::Template(why) => write!(f, "not a usable template: {why}"),
            Self::UnknownIcon(name) => write!(f, "no icon is called {name:?}"),
            Self::DuplicateValue(v) => write!(f, "{v:?} is mapped twice"),
        }
    }
}

/// `#rgb` or `#rrggbb`: the only colours the configuration allows, because a colour reaches a
/// style attribute.
pub fn is_hex_color(color: &str) -> bool {
    color
        .strip_prefix('#')
        .is_some_and(|hex| matches!(hex.len(), 3 | 6) && hex.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// A host that the browser's URL parser keeps as typed, so that `ws://HOST:PORT/PATH` is a
/// URL `new WebSocket` accepts and that goes to that host: a DNS name (labels of ASCII
/// letters, digits, '-' and '_'; an internationalized name in its `xn--` form), an IPv4
/// address (a dotted quad: the URL parser reads a name ending in a number as one) or an
/// IPv6 address (hex groups, bare or in brackets). Anything else is refused: a scheme
/// (`javascript:`), '@' (the socket would go to the host after it), a port, a path,
/// '%'-escapes, spaces, invisible and bidirectional controls. Written by hand: the standard
/// library's address parsers and Unicode tables cost ≈3 KB more gzip of the first load.
pub fn is_host(host: &str) -> bool {
    if host.is_empty() || host.len() > MAX_HOST_BYTES {
        return false;
    }
    let v6 = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    if v6.contains(':') {
        // Groups of 1 to 4 hex digits: eight, or fewer around one "::".
        let groups = v6.split(':').count();
        let empty = v6.split(':').filter(|g| g.is_empty()).count();
        let hex = v6
            .split(':')
            .all(|g| g.len() <= 4 && g.bytes().all(|b| b.is_ascii_hexdigit()));
        let elided = usize::from(v6.starts_with("::")) + usize::from(v6.ends_with("::"));
        return hex
            && if empty == 0 {
                groups == 8
            } else {
                empty == 1 + elided && v6.contains("::") && groups - empty <= 7
            };
    }
    let name = host.strip_suffix('.').unwrap_or(host);
    let last = name.rsplit('.').next().unwrap_or(name);
    if last.bytes().all(|b| b.is_ascii_digit()) || last.starts_with("0x") || last.starts_with("0X")
    {
        return name.split('.').count() == 4
            && name.split('.').all(|n| {
                (1..=3).contains(&n.len())
                    && n.bytes().all(|b| b.is_ascii_digit())
                    && (n.len() == 1 || !n.starts_with('0'))
                    && n.bytes().fold(0, |v, b| v * 10 + u32::from(b - b'0')) <= 255
            });
    }
    name.split('.').all(|label| {
        !label.is_empty()
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    })
}

/// A WebSocket path: '/' first, no whitespace and no '#' (a fragment, which `new WebSocket`
/// refuses).
pub fn is_ws_path(path: &str) -> bool {
    path.starts_with('/') && !path.chars().any(|c| c.is_whitespace() || c == '#')
}

/// One rule broken at one place.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub field: String,
    pub error: FieldError,
}

/// Why a configuration was not accepted. Typed, so the view can say it in the reader's
/// language (see `describe`); the English `Display` is for logs and native tests.
#[derive(Debug, Clone, PartialEq)]
pub enum ConfigError {
    /// Not JSON at all (or cut short), at this line and column.
    NotJson {
        line: usize,
        column: usize,
    },
    /// JSON, but not the shape of a configuration (unknown field, wrong type, ...) at this
    /// field path (`dashboards[0].widgets[2].type`).
    NotTablero {
        at: String,
    },
    /// No schema `version` number, or version 0.
    NoVersion,
    /// The file could not be read as text.
    Unreadable,
    TooLarge {
        bytes: usize,
        max: usize,
    },
    /// Made by a newer version of the app: refusing beats silently dropping what we don't know.
    NewerVersion {
        found: u32,
        supported: u32,
    },
    Invalid(Vec<Problem>),
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotJson { line, column } => write!(f, "not JSON (line {line}, column {column})"),
            Self::NotTablero { at } => write!(f, "not a Tablero configuration (at {at})"),
            Self::NoVersion => f.write_str("no schema `version` number"),
            Self::Unreadable => f.write_str("the file could not be read as text"),
            Self::TooLarge { bytes, max } => write!(f, "file of {bytes} bytes; the limit is {max}"),
            Self::NewerVersion { found, supported } => write!(
                f,
                "made by a newer Tablero (schema {found}; this one reads up to {supported})"
            ),
            Self::Invalid(problems) => {
                write!(f, "{} problem(s): ", problems.len())?;
                for (i, p) in problems.iter().take(5).enumerate() {
                    if i > 0 {
                        f.write_str("; ")?;
                    }
                    write!(f, "{}: {}", p.field, p.error)?;
                }
                Ok(())
            }
        }
    }
}

/// The rules' walk over a configuration. `at` is the path of the item being checked
/// (`dashboards[0].widgets[2]`), joined to a field's name only when that field fails: the
/// rules name their fields as plain strings, which costs the first load far less than a
/// formatted path per field.
#[derive(Default)]
struct Checker {
    problems: Vec<Problem>,
    at: String,
}

impl Checker {
    fn fail(&mut self, field: &str, error: FieldError) {
        let field = if self.at.is_empty() {
            field.to_owned()
        } else {
            format!("{}.{field}", self.at)
        };
        self.problems.push(Problem { field, error });
    }

    /// Checks the item `part` of the current one (`binding`, `bands[2]`) with `check`.
    fn within(&mut self, part: &str, check: &mut dyn FnMut(&mut Self)) {
        let len = self.at.len();
        if len > 0 {
            self.at.push('.');
        }
        self.at.push_str(part);
        check(self);
        self.at.truncate(len);
    }

    fn name(&mut self, field: &str, value: &str) {
        if value.trim().is_empty() {
            self.fail(field, FieldError::Empty);
        } else if value.chars().count() > MAX_NAME_CHARS {
            self.fail(
                field,
                FieldError::TooLong {
                    max: MAX_NAME_CHARS,
                },
            );
        }
    }

    fn text(&mut self, field: &str, value: &str, max: usize) {
        if value.chars().count() > max {
            self.fail(field, FieldError::TooLong { max });
        }
    }

    /// `seen` holds the ids met so far among the item's siblings: a short list (bounded by
    /// the `MAX_*` counts) where a hash set would add its own code to the first load.
    fn id(&mut self, field: &str, value: &str, seen: &mut Vec<String>) {
        let ok = !value.is_empty()
            && value.len() <= 64
            && value
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !ok {
            self.fail(field, FieldError::BadId);
        } else if seen.iter().any(|s| s == value) {
            self.fail(field, FieldError::DuplicateId(value.to_owned()));
        } else {
            seen.push(value.to_owned());
        }
    }

    fn topic_name(&mut self, field: &str, topic: &str) {
        if let Err(e) = validate_topic_name(topic) {
            self.fail(field, FieldError::TopicName(e));
        }
    }

    fn topic_filter(&mut self, field: &str, filter: &str) {
        if let Err(e) = validate_topic_filter(filter) {
            self.fail(field, FieldError::TopicFilter(e));
        }
    }

    fn json_path(&mut self, field: &str, path: Option<&str>) {
        if let Some(Err(e)) = path.map(JsonPath::parse) {
            self.fail(field, FieldError::JsonPath(e));
        }
    }

    fn finite(&mut self, field: &str, value: f64) -> bool {
        let ok = value.is_finite();
        if !ok {
            self.fail(field, FieldError::NotFinite);
        }
        ok
    }

    fn whole_range(&mut self, field: &str, value: u64, (min, max): (u64, u64)) {
        if !(min..=max).contains(&value) {
            self.fail(
                field,
                FieldError::OutOfRange {
                    min: min as f64,
                    max: max as f64,
                },
            );
        }
    }

    fn template(&mut self, field: &str, template: &str) {
        self.text(field, template, MAX_PAYLOAD_CHARS);
        if let Err(e) = crate::template::check(template) {
            self.fail(field, FieldError::Template(e));
        }
    }

    /// Empty (none) or one of the icons the cards draw.
    fn icon(&mut self, icon: &str) {
        if !icon.is_empty() && !crate::widgets::icons::NAMES.contains(&icon) {
            self.fail("icon", FieldError::UnknownIcon(icon.to_owned()));
        }
    }

    /// What a switch and a button end with: the expiry, the icon, and the response topic
    /// (MQTT 5) if there is one, a topic name as it goes in the property [MQTT-3.3.2-14].
    fn tail(&mut self, expiry_secs: u32, icon: &str, response_topic: &Option<String>) {
        self.whole_range("expiry_secs", expiry_secs.into(), EXPIRY_SECS);
        self.icon(icon);
        if let Some(topic) = response_topic {
            self.topic_name("response_topic", topic);
        }
    }

    fn color(&mut self, field: &str, color: &str) {
        if !is_hex_color(color) {
            self.fail(field, FieldError::BadColor);
        }
    }

    fn count(&mut self, field: &str, len: usize, max: usize) {
        if len > max {
            self.fail(field, FieldError::TooMany { max });
        }
    }

    fn binding(&mut self, part: &str, b: &Binding) {
        self.within(part, &mut |c| {
            // A widget subscribes to its topic, so a filter is allowed (a chart of `room/+/temp`).
            c.topic_filter("topic", &b.topic);
            c.json_path("json_path", b.json_path.as_deref());
            c.finite("scale", b.scale);
            c.finite("offset", b.offset);
        });
    }

    fn connection(&mut self, c: &Connection) {
        self.name("name", &c.name);
        if !is_host(&c.host) {
            self.fail("host", FieldError::BadHost);
        }
        if c.port == 0 {
            self.fail(
                "port",
                FieldError::OutOfRange {
                    min: 1.0,
                    max: 65535.0,
                },
            );
        }
        if !is_ws_path(&c.path) {
            self.fail("path", FieldError::BadPath);
        }
        self.text("path", &c.path, MAX_PATH_CHARS);
        self.text("client_id", &c.client_id, MAX_LOGIN_CHARS);
        if let Some(user) = &c.username {
            self.text("username", user, MAX_LOGIN_CHARS);
        }
        if let Some(password) = &c.password {
            self.text("password", password, MAX_PASSWORD_CHARS);
        }
        if let Some(will) = &c.will {
            self.topic_name("will.topic", &will.topic);
            self.text("will.payload", &will.payload, MAX_PAYLOAD_CHARS);
        }
    }

    /// Both finite and `min` below `max`.
    fn min_max(&mut self, min: f64, max: f64) -> bool {
        let finite = self.finite("min", min) & self.finite("max", max);
        if finite && min >= max {
            self.fail("max", FieldError::MinNotBelowMax);
        }
        finite && min < max
    }

    fn gauge(&mut self, g: &GaugeConfig) {
        self.binding("binding", &g.binding);
        self.min_max(g.min, g.max);
        self.whole_range("decimals", g.decimals.into(), DECIMALS);
        self.text("unit", &g.unit, MAX_UNIT_CHARS);
        self.bands(&g.bands);
    }

    fn bands(&mut self, bands: &[Band]) {
        self.count("bands", bands.len(), MAX_BANDS);
        for (i, band) in bands.iter().enumerate() {
            self.within(&format!("bands[{i}]"), &mut |c| {
                c.finite("from", band.from);
                c.color("color", &band.color);
            });
        }
    }

    /// Value → label and colour rows: each `when` once, a colour when one is given.
    fn map(&mut self, map: &[ValueMap]) {
        self.count("map", map.len(), MAX_MAP_ROWS);
        for (i, row) in map.iter().enumerate() {
            let twice = map[..i].iter().any(|r| r.when == row.when);
            self.within(&format!("map[{i}]"), &mut |c| {
                c.text("when", &row.when, MAX_PAYLOAD_CHARS);
                if twice {
                    c.fail("when", FieldError::DuplicateValue(row.when.clone()));
                }
                c.text("label", &row.label, MAX_NAME_CHARS);
                if !row.color.is_empty() {
                    c.color("color", &row.color);
                }
            });
        }
    }

    /// Published: a topic name, not a filter [MQTT-3.3.2-2].
    fn publish(&mut self, p: &Publish) {
        self.topic_name("topic", &p.topic);
        self.template("template", &p.template);
        self.whole_range("expiry_secs", p.expiry_secs.into(), EXPIRY_SECS);
    }

    fn widget(&mut self, w: &Widget) {
        self.name("title", &w.title);
        match &w.kind {
            WidgetKind::Gauge(g) => self.gauge(g),
            WidgetKind::Switch(s) => {
                // Commands are published: a name, not a filter [MQTT-3.3.2-2].
                self.topic_name("command_topic", &s.command_topic);
                if let Some(state) = &s.state_topic {
                    self.topic_filter("state_topic", state);
                }
                self.json_path("json_path", s.json_path.as_deref());
                for (field, value) in [
                    ("on_payload", &s.on_payload),
                    ("off_payload", &s.off_payload),
                    ("state_on", &s.state_on),
                    ("state_off", &s.state_off),
                ] {
                    self.text(field, value, MAX_PAYLOAD_CHARS);
                }
                self.whole_range(
                    "confirm_timeout_ms",
                    s.confirm_timeout_ms.into(),
                    CONFIRM_TIMEOUT_MS,
                );
                self.tail(s.expiry_secs, &s.icon, &s.response_topic);
            }
            WidgetKind::Chart(c) => {
                if c.series.is_empty() {
                    self.fail("series", FieldError::Empty);
                }
                self.count("series", c.series.len(), MAX_SERIES);
                for (i, s) in c.series.iter().enumerate() {
                    self.within(&format!("series[{i}]"), &mut |c| {
                        c.text("label", &s.label, MAX_NAME_CHARS);
                        c.binding("binding", &s.binding);
                        c.color("color", &s.color);
                    });
                }
                self.whole_range("window_secs", c.window_secs.into(), WINDOW_SECS);
                self.whole_range("max_points", c.max_points.into(), MAX_POINTS);
                self.text("unit", &c.unit, MAX_UNIT_CHARS);
                if let (Some(min), Some(max)) = (c.min, c.max) {
                    self.min_max(min, max);
                }
            }
            WidgetKind::Value(v) => {
                self.binding("binding", &v.binding);
                self.text("unit", &v.unit, MAX_UNIT_CHARS);
                if let Some(d) = v.decimals {
                    self.whole_range("decimals", d.into(), DECIMALS);
                }
                self.map(&v.map);
                self.bands(&v.bands);
            }
            WidgetKind::Button(b) => {
                // Published: a name, not a filter [MQTT-3.3.2-2].
                self.topic_name("topic", &b.topic);
                self.text("payload", &b.payload, MAX_PAYLOAD_CHARS);
                self.text("label", &b.label, MAX_NAME_CHARS);
                self.tail(b.expiry_secs, &b.icon, &b.response_topic);
            }
            WidgetKind::Led(l) => {
                self.binding("binding", &l.binding);
                self.text("state_on", &l.state_on, MAX_PAYLOAD_CHARS);
                self.text("state_off", &l.state_off, MAX_PAYLOAD_CHARS);
                self.color("on_color", &l.on_color);
                self.color("off_color", &l.off_color);
                self.icon(&l.icon);
                self.map(&l.map);
            }
            WidgetKind::Slider(s) => {
                self.publish(&s.publish);
                if self.min_max(s.min, s.max)
                    && self.finite("step", s.step)
                    && !(s.step > 0.0 && s.step <= s.max - s.min)
                {
                    self.fail(
                        "step",
                        FieldError::OutOfRange {
                            min: 0.0,
                            max: s.max - s.min,
                        },
                    );
                }
                self.text("unit", &s.unit, MAX_UNIT_CHARS);
                self.whole_range("throttle_ms", s.throttle_ms.into(), THROTTLE_MS);
                if let Some(state) = &s.state {
                    self.binding("state", state);
                }
            }
            WidgetKind::Level(l) => self.gauge(&l.gauge),
            WidgetKind::Text(p) | WidgetKind::Color(p) => self.publish(p),
            WidgetKind::Log(l) => {
                self.topic_filter("filter", &l.filter);
                self.whole_range("lines", l.lines.into(), LOG_LINES);
            }
        }
    }
}

/// The problems of one widget, with field paths relative to it (`binding.topic`), for the
/// editor to show beside each input. The same rules as [`problems`], not a second copy.
pub fn widget_problems(widget: &Widget) -> Vec<Problem> {
    let mut c = Checker::default();
    c.id("id", &widget.id, &mut Vec::new());
    c.widget(widget);
    c.problems
}

/// The problems of one connection, with field paths relative to it (`host`, `port`, ...).
pub fn connection_problems(connection: &Connection) -> Vec<Problem> {
    let mut c = Checker::default();
    c.id("id", &connection.id, &mut Vec::new());
    c.connection(connection);
    c.problems
}

/// Every problem of a configuration, in document order; empty when it is valid.
pub fn problems(config: &Config) -> Vec<Problem> {
    let mut c = Checker::default();
    c.count("connections", config.connections.len(), MAX_CONNECTIONS);
    c.count("dashboards", config.dashboards.len(), MAX_DASHBOARDS);
    let mut connection_ids = Vec::new();
    for (i, conn) in config.connections.iter().enumerate() {
        c.within(&format!("connections[{i}]"), &mut |c| {
            c.id("id", &conn.id, &mut connection_ids);
            c.connection(conn);
        });
    }
    let mut dashboard_ids = Vec::new();
    for (i, dash) in config.dashboards.iter().enumerate() {
        c.within(&format!("dashboards[{i}]"), &mut |c| {
            c.id("id", &dash.id, &mut dashboard_ids);
            c.name("name", &dash.name);
            if !connection_ids.contains(&dash.connection) {
                c.fail(
                    "connection",
                    FieldError::UnknownConnection(dash.connection.clone()),
                );
            }
            c.count("widgets", dash.widgets.len(), MAX_WIDGETS);
            let mut widget_ids = Vec::new();
            for (j, w) in dash.widgets.iter().enumerate() {
                c.within(&format!("widgets[{j}]"), &mut |c| {
                    c.id("id", &w.id, &mut widget_ids);
                    c.widget(w);
                });
            }
        });
    }
    c.problems
}
