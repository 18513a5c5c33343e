//! Writing a configuration as JSON, by hand: the mirror of `read`.
//!
//! Built as a `serde_json::Value` tree (keys in insertion order) and printed by serde_json,
//! instead of serde's derived writers, which compiled one serializer per struct plus the
//! `flatten` and tagged-enum machinery for widgets. `config::tests` checks that every shape
//! written reads back equal.

use serde_json::{Map, Value};

use super::model::*;

/// One JSON object being built, fields in the order they are added.
#[derive(Default)]
struct Obj(Map<String, Value>);

impl Obj {
    fn put(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.0.insert(key.to_owned(), value.into());
        self
    }

    /// Leaves the field out when there is nothing, as the reader expects.
    fn put_some(self, key: &str, value: Option<impl Into<Value>>) -> Self {
        match value {
            Some(v) => self.put(key, v),
            None => self,
        }
    }

    fn done(self) -> Value {
        Value::Object(self.0)
    }
}

fn qos(q: Qos) -> &'static str {
    match q {
        Qos::AtMostOnce => "0",
        Qos::AtLeastOnce => "1",
        Qos::ExactlyOnce => "2",
    }
}

pub fn config(c: &Config) -> Value {
    Obj::default()
        .put("version", c.version)
        .put(
            "connections",
            c.connections.iter().map(connection).collect::<Vec<_>>(),
        )
        .put(
            "dashboards",
            c.dashboards.iter().map(dashboard).collect::<Vec<_>>(),
        )
        .done()
}

fn connection(c: &Connection) -> Value {
    Obj::default()
        .put("id", c.id.as_str())
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
        .put_some("will", c.will.as_ref().map(last_will))
        .done()
}

fn last_will(w: &LastWill) -> Value {
    Obj::default()
        .put("topic", w.topic.as_str())
        .put("payload", w.payload.as_str())
        .put("qos", qos(w.qos))
        .put("retain", w.retain)
        .done()
}

fn dashboard(d: &Dashboard) -> Value {
    Obj::default()
        .put("id", d.id.as_str())
        .put("name", d.name.as_str())
        .put("connection", d.connection.as_str())
        .put("widgets", d.widgets.iter().map(widget).collect::<Vec<_>>())
        .done()
}

fn widget(w: &Widget) -> Value {
    let o = Obj::default()
        .put("id", w.id.as_str())
        .put("title", w.title.as_str());
    match &w.kind {
        WidgetKind::Gauge(g) => o
            .put("type", "gauge")
            .put("binding", binding(&g.binding))
            .put("min", g.min)
            .put("max", g.max)
            .put("unit", g.unit.as_str())
            .put("decimals", g.decimals)
            .put("bands", g.bands.iter().map(band).collect::<Vec<_>>()),
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
            .put("expiry_secs", s.expiry_secs),
        WidgetKind::Chart(c) => o
            .put("type", "chart")
            .put("series", c.series.iter().map(series).collect::<Vec<_>>())
            .put("window_secs", c.window_secs)
            .put("max_points", c.max_points)
            .put("unit", c.unit.as_str())
            .put_some("min", c.min)
            .put_some("max", c.max),
        WidgetKind::Value(v) => o
            .put("type", "value")
            .put("binding", binding(&v.binding))
            .put("unit", v.unit.as_str())
            .put_some("decimals", v.decimals)
            .put("stale_after_secs", v.stale_after_secs),
    }
    .done()
}

fn binding(b: &Binding) -> Value {
    Obj::default()
        .put("topic", b.topic.as_str())
        .put_some("json_path", b.json_path.as_deref())
        .put("scale", b.scale)
        .put("offset", b.offset)
        .put("qos", qos(b.qos))
        .done()
}

fn band(b: &Band) -> Value {
    Obj::default()
        .put("from", b.from)
        .put("color", b.color.as_str())
        .done()
}

fn series(s: &Series) -> Value {
    Obj::default()
        .put("label", s.label.as_str())
        .put("binding", binding(&s.binding))
        .put("color", s.color.as_str())
        .done()
}
