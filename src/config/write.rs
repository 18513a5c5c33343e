//! Writing a configuration as pretty JSON, by hand: the mirror of `read`.
//!
//! Written straight into one `String`, fields in the order given, instead of building a
//! `serde_json::Value` tree for serde_json's pretty printer: the tree, the printer and the
//! float formatter `Value::from(f64)` needs cost ≈2.5 KB gzip of the first load. Floats are
//! written as `format::shortest` (the text that reads back as the same number).
//! `config::tests` checks that every shape written reads back equal, strings with quotes,
//! backslashes and control characters included.

use super::model::*;
use crate::format::shortest;

/// A JSON value that is not an object or a list.
enum Scalar<'a> {
    Str(&'a str),
    Bool(bool),
    Int(u64),
    Num(f64),
}

impl<'a> From<&'a str> for Scalar<'a> {
    fn from(s: &'a str) -> Self {
        Self::Str(s)
    }
}

impl From<bool> for Scalar<'_> {
    fn from(b: bool) -> Self {
        Self::Bool(b)
    }
}

impl From<f64> for Scalar<'_> {
    fn from(n: f64) -> Self {
        Self::Num(n)
    }
}

macro_rules! whole {
    ($($t:ty),*) => {$(
        impl From<$t> for Scalar<'_> {
            fn from(n: $t) -> Self {
                Self::Int(n.into())
            }
        }
    )*};
}
whole!(u8, u16, u32, u64);

/// A JSON string: `"` and `\` escaped, control characters as escapes (what JSON requires).
pub fn string(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c < ' ' => {
                let b = c as usize;
                out.push_str("\\u00");
                out.push(char::from(HEX[b >> 4]));
                out.push(char::from(HEX[b & 15]));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn scalar(out: &mut String, v: Scalar) {
    match v {
        Scalar::Str(s) => string(out, s),
        Scalar::Bool(b) => out.push_str(if b { "true" } else { "false" }),
        Scalar::Int(n) => out.push_str(&n.to_string()),
        // Validation refuses non-finite numbers; were one here, `null` keeps the JSON valid.
        Scalar::Num(n) if n.is_finite() => out.push_str(&shortest(n)),
        Scalar::Num(_) => out.push_str("null"),
    }
}

fn indent(out: &mut String, level: usize) {
    for _ in 0..level {
        out.push_str("  ");
    }
}

/// One JSON object being written at nesting `level`, fields in the order they are added.
struct Obj<'a> {
    out: &'a mut String,
    level: usize,
    empty: bool,
}

impl<'a> Obj<'a> {
    fn open(out: &'a mut String, level: usize) -> Self {
        out.push('{');
        Self {
            out,
            level,
            empty: true,
        }
    }

    fn close(self) {
        if !self.empty {
            self.out.push('\n');
            indent(self.out, self.level);
        }
        self.out.push('}');
    }

    fn key(&mut self, key: &str) {
        self.out.push_str(if self.empty { "\n" } else { ",\n" });
        self.empty = false;
        indent(self.out, self.level + 1);
        string(self.out, key);
        self.out.push_str(": ");
    }

    fn put<'v>(mut self, key: &str, value: impl Into<Scalar<'v>>) -> Self {
        self.key(key);
        scalar(self.out, value.into());
        self
    }

    /// Leaves the field out when there is nothing, as the reader expects.
    fn put_some<'v, T: Into<Scalar<'v>>>(self, key: &str, value: Option<T>) -> Self {
        match value {
            Some(v) => self.put(key, v),
            None => self,
        }
    }

    /// What a switch and a button end with: the expiry, the icon and the response topic
    /// (these two left out when there is none).
    fn tail(self, expiry_secs: u32, icon: &str, response_topic: &Option<String>) -> Self {
        self.put("expiry_secs", expiry_secs)
            .put_some("icon", some_text(icon))
            .put_some("response_topic", response_topic.as_deref())
    }

    fn obj(mut self, key: &str, write: impl for<'b> FnOnce(Obj<'b>) -> Obj<'b>) -> Self {
        self.key(key);
        write(Obj::open(self.out, self.level + 1)).close();
        self
    }

    /// Leaves the object out when there is none.
    fn obj_some<T>(
        self,
        key: &str,
        value: Option<&T>,
        write: impl for<'b> FnOnce(Obj<'b>, &T) -> Obj<'b>,
    ) -> Self {
        match value {
            Some(v) => self.obj(key, |o| write(o, v)),
            None => self,
        }
    }

    /// A list of objects.
    fn list<T>(
        mut self,
        key: &str,
        items: &[T],
        write: impl for<'b> Fn(Obj<'b>, &T) -> Obj<'b>,
    ) -> Self {
        self.key(key);
        if items.is_empty() {
            self.out.push_str("[]");
            return self;
        }
        self.out.push('[');
        for (i, item) in items.iter().enumerate() {
            self.out.push_str(if i == 0 { "\n" } else { ",\n" });
            indent(self.out, self.level + 2);
            write(Obj::open(self.out, self.level + 2), item).close();
        }
        self.out.push('\n');
        indent(self.out, self.level + 1);
        self.out.push(']');
        self
    }
}

fn qos(q: Qos) -> &'static str {
    match q {
        Qos::AtMostOnce => "0",
        Qos::AtLeastOnce => "1",
        Qos::ExactlyOnce => "2",
    }
}

/// The configuration as pretty JSON (two-space indent).
pub fn config(c: &Config) -> String {
    let mut out = String::new();
    Obj::open(&mut out, 0)
        .put("version", c.version)
        .list("connections", &c.connections, connection)
        .list("dashboards", &c.dashboards, dashboard)
        .close();
    out
}

fn connection<'a>(o: Obj<'a>, c: &Connection) -> Obj<'a> {
    o.put("id", c.id.as_str())
        .put("name", c.name.as_str())
        .put_some("preset", c.preset.as_deref())
        .put(
            "scheme",
            match c.scheme {
                Scheme::Ws => "ws",
                Scheme::Wss => "wss",
            },
        )
        .put("host", c.host.as_str())
        .put("port", c.port)
        .put("path", c.path.as_str())
        .put_some("username", c.username.as_deref())
        .put_some("password", c.password.as_deref())
        .put("remember_password", c.remember_password)
        .put("client_id", c.client_id.as_str())
        .put(
            "mqtt_version",
            match c.mqtt_version {
                MqttVersion::V3_1_1 => "3.1.1",
                MqttVersion::V5 => "5.0",
                MqttVersion::Auto => "auto",
            },
        )
        .put("keep_alive_secs", c.keep_alive_secs)
        .put("clean_start", c.clean_start)
        .put("session_expiry_secs", c.session_expiry_secs)
        .obj_some("will", c.will.as_ref(), last_will)
}

fn last_will<'a>(o: Obj<'a>, w: &LastWill) -> Obj<'a> {
    o.put("topic", w.topic.as_str())
        .put("payload", w.payload.as_str())
        .put("qos", qos(w.qos))
        .put("retain", w.retain)
}

fn dashboard<'a>(o: Obj<'a>, d: &Dashboard) -> Obj<'a> {
    o.put("id", d.id.as_str())
        .put("name", d.name.as_str())
        .put("connection", d.connection.as_str())
        .list("widgets", &d.widgets, widget)
}

fn widget<'a>(o: Obj<'a>, w: &Widget) -> Obj<'a> {
    kind(
        o.put("id", w.id.as_str()).put("title", w.title.as_str()),
        &w.kind,
    )
}

/// A kind's fields as JSON text: what two kinds' configurations are compared by (see
/// `WidgetKind`'s `PartialEq`).
pub fn kind_json(k: &WidgetKind) -> String {
    let mut out = String::new();
    kind(Obj::open(&mut out, 0), k).close();
    out
}

fn kind<'a>(o: Obj<'a>, k: &WidgetKind) -> Obj<'a> {
    match k {
        WidgetKind::Gauge(g) => gauge(o.put("type", "gauge"), g),
        WidgetKind::Switch(s) => o
            .put("type", "switch")
            .put("command_topic", s.command_topic.as_str())
            .put("on_payload", s.on_payload.as_str())
            .put("off_payload", s.off_payload.as_str())
            .put_some("state_topic", s.state_topic.as_deref())
            .put("state_on", s.state_on.as_str())
            .put("state_off", s.state_off.as_str())
            .put_some("json_path", s.json_path.as_deref())
            .put("qos", qos(s.qos))
            .put("retain", s.retain)
            .put("confirm_timeout_ms", s.confirm_timeout_ms)
            .tail(s.expiry_secs, &s.icon, &s.response_topic),
        WidgetKind::Chart(c) => o
            .put("type", "chart")
            .list("series", &c.series, series)
            .put("window_secs", c.window_secs)
            .put("max_points", c.max_points)
            .put("unit", c.unit.as_str())
            .put_some("min", c.min)
            .put_some("max", c.max),
        WidgetKind::Value(v) => o
            .put("type", "value")
            .obj("binding", |o| binding(o, &v.binding))
            .put("unit", v.unit.as_str())
            .put_some("decimals", v.decimals)
            .put("stale_after_secs", v.stale_after_secs)
            .list("map", &v.map, value_map)
            .list("bands", &v.bands, band),
        WidgetKind::Button(b) => o
            .put("type", "button")
            .put("topic", b.topic.as_str())
            .put("payload", b.payload.as_str())
            .put("label", b.label.as_str())
            .put("qos", qos(b.qos))
            .put("retain", b.retain)
            .put("confirm", b.confirm)
            .tail(b.expiry_secs, &b.icon, &b.response_topic),
        WidgetKind::Led(l) => o
            .put("type", "led")
            .obj("binding", |o| binding(o, &l.binding))
            .put("state_on", l.state_on.as_str())
            .put("state_off", l.state_off.as_str())
            .put("on_color", l.on_color.as_str())
            .put("off_color", l.off_color.as_str())
            .put_some("icon", some_text(&l.icon))
            .list("map", &l.map, value_map),
        WidgetKind::Slider(s) => publish(o.put("type", "slider"), &s.publish)
            .put("min", s.min)
            .put("max", s.max)
            .put("step", s.step)
            .put("unit", s.unit.as_str())
            .put("throttle_ms", s.throttle_ms)
            .obj_some("state", s.state.as_ref(), binding),
        WidgetKind::Level(l) => gauge(o.put("type", "level"), &l.gauge).put("vertical", l.vertical),
        WidgetKind::Text(p) => publish(o.put("type", "text"), p),
        WidgetKind::Color(p) => publish(o.put("type", "color"), p),
        WidgetKind::Log(l) => o
            .put("type", "log")
            .put("filter", l.filter.as_str())
            .put("qos", qos(l.qos))
            .put("lines", l.lines)
            .put("format", l.format.tag()),
    }
}

/// An empty text is left out (an optional field the reader reads as empty).
fn some_text(text: &str) -> Option<&str> {
    (!text.is_empty()).then_some(text)
}

fn gauge<'a>(o: Obj<'a>, g: &GaugeConfig) -> Obj<'a> {
    o.obj("binding", |o| binding(o, &g.binding))
        .put("min", g.min)
        .put("max", g.max)
        .put("unit", g.unit.as_str())
        .put("decimals", g.decimals)
        .list("bands", &g.bands, band)
}

fn publish<'a>(o: Obj<'a>, p: &Publish) -> Obj<'a> {
    o.put("topic", p.topic.as_str())
        .put("template", p.template.as_str())
        .put("qos", qos(p.qos))
        .put("retain", p.retain)
        .put("expiry_secs", p.expiry_secs)
}

fn binding<'a>(o: Obj<'a>, b: &Binding) -> Obj<'a> {
    o.put("topic", b.topic.as_str())
        .put_some("json_path", b.json_path.as_deref())
        .put("scale", b.scale)
        .put("offset", b.offset)
        .put("qos", qos(b.qos))
}

fn value_map<'a>(o: Obj<'a>, m: &ValueMap) -> Obj<'a> {
    o.put("when", m.when.as_str())
        .put("label", m.label.as_str())
        .put("color", m.color.as_str())
}

fn band<'a>(o: Obj<'a>, b: &Band) -> Obj<'a> {
    o.put("from", b.from).put("color", b.color.as_str())
}

fn series<'a>(o: Obj<'a>, s: &Series) -> Obj<'a> {
    o.put("label", s.label.as_str())
        .obj("binding", |o| binding(o, &s.binding))
        .put("color", s.color.as_str())
}
