//! Reading a configuration out of parsed JSON, by hand.
//!
//! serde's derived readers compile a visitor per struct (and per input type), which cost
//! ≈25 KB gzip of the first load; the page already parses JSON into a [`Json`] tree for
//! payloads, so walking that tree costs a few hundred bytes per struct instead. The rules
//! are serde's as the model declares them: unknown fields are refused, `Option`s and
//! defaulted fields may be missing (or `null` for an `Option`), integers must be whole and in
//! range. A document that does not fit says where, as a field path
//! (`dashboards[0].widgets[2].type`), which beats a line and column for a person.
//!
//! Writing is `config::write`'s, by hand too; what is written and what is read are tested
//! against each other (`config::tests`: every shape round-trips).
//!
//! A field that does not fit is noted (the first one is the error) and read as its type's
//! empty value, and reading goes on: no `?` after each field, because every early return
//! dropped the fields read so far, and those drop ladders were most of the reader's code
//! (each kind's fields cost the first load a few bytes each instead).

use crate::json::Json;

use super::model::*;
use super::validate::DEFAULT_EXPIRY_SECS;

/// Where a document stops fitting the model: the path of the field.
#[derive(Debug, Clone, PartialEq)]
pub struct Misfit(pub String);

type R<T> = Result<T, Misfit>;

static NOTHING: Json = Json::Null;

/// One JSON object being read; `finish` refuses the keys nobody asked for and says the first
/// field that did not fit, if one did not.
struct Obj<'a> {
    map: &'a Json,
    at: String,
    seen: Vec<&'a str>,
    misfit: Option<String>,
}

impl<'a> Obj<'a> {
    fn new(value: &'a Json, at: String) -> Self {
        let misfit = (!matches!(value, Json::Object(_))).then(|| at.clone());
        Self {
            map: value,
            at,
            seen: Vec::new(),
            misfit,
        }
    }

    fn path(&self, key: &str) -> String {
        if self.at.is_empty() {
            key.to_owned()
        } else {
            format!("{}.{key}", self.at)
        }
    }

    /// Notes that `key` does not fit, unless something before it did not.
    fn fail(&mut self, key: &str) {
        if self.misfit.is_none() {
            self.misfit = Some(self.path(key));
        }
    }

    /// The value at `key`, `None` when missing or `null`.
    fn get(&mut self, key: &'static str) -> Option<&'a Json> {
        self.seen.push(key);
        self.map.get(key).filter(|v| !v.is_null())
    }

    /// The value at `key` if it is there and `read` takes it; a value `read` refuses is noted.
    /// `T::default()` when it is not (noted too unless `optional`).
    fn value<T: Default>(
        &mut self,
        key: &'static str,
        optional: bool,
        read: impl FnOnce(&'a Json) -> Option<T>,
    ) -> Option<T> {
        match self.get(key) {
            None => {
                if !optional {
                    self.fail(key);
                }
                None
            }
            Some(v) => {
                let t = read(v);
                if t.is_none() {
                    self.fail(key);
                }
                t
            }
        }
    }

    fn string(&mut self, key: &'static str) -> String {
        self.value(key, false, |v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    }

    fn opt_string(&mut self, key: &'static str) -> Option<String> {
        self.value(key, true, |v| v.as_str().map(str::to_owned))
    }

    fn string_or_empty(&mut self, key: &'static str) -> String {
        self.opt_string(key).unwrap_or_default()
    }

    fn boolean(&mut self, key: &'static str) -> bool {
        self.value(key, false, Json::as_bool).unwrap_or_default()
    }

    fn bool_or_false(&mut self, key: &'static str) -> bool {
        self.value(key, true, Json::as_bool).unwrap_or_default()
    }

    fn opt_f64(&mut self, key: &'static str) -> Option<f64> {
        // The number's own text, rounded once.
        self.value(key, true, |v| {
            v.as_number().and_then(crate::format::parse_f64)
        })
    }

    fn f64(&mut self, key: &'static str) -> f64 {
        self.value(key, false, |v| {
            v.as_number().and_then(crate::format::parse_f64)
        })
        .unwrap_or_default()
    }

    /// A whole number that fits `T`.
    fn opt_whole<T: TryFrom<u64> + Default>(&mut self, key: &'static str) -> Option<T> {
        self.value(key, true, |v| v.as_u64().and_then(|n| T::try_from(n).ok()))
    }

    fn whole<T: TryFrom<u64> + Default>(&mut self, key: &'static str) -> T {
        self.value(key, false, |v| v.as_u64().and_then(|n| T::try_from(n).ok()))
            .unwrap_or_default()
    }

    /// One of the spellings `choices` gives for an enum (the first choice when it does not
    /// fit: noted).
    fn choice<T: Copy>(&mut self, key: &'static str, choices: &[(&str, T)]) -> T {
        let s = self.string(key);
        match choices.iter().find(|(name, _)| *name == s) {
            Some((_, v)) => *v,
            None => {
                self.fail(key);
                choices[0].1
            }
        }
    }

    fn qos(&mut self, key: &'static str) -> Qos {
        self.choice(
            key,
            &[
                ("0", Qos::AtMostOnce),
                ("1", Qos::AtLeastOnce),
                ("2", Qos::ExactlyOnce),
            ],
        )
    }

    /// Reads the object `v` (at `at`) with `read`; what did not fit in it is noted here.
    fn nested<T>(&mut self, v: &'a Json, at: String, read: fn(&mut Obj<'a>) -> T) -> T {
        let mut o = Obj::new(v, at);
        let t = read(&mut o);
        if let Err(Misfit(at)) = o.finish()
            && self.misfit.is_none()
        {
            self.misfit = Some(at);
        }
        t
    }

    /// The object at `key`, read by `read` (missing: noted, and read from nothing).
    fn object<T>(&mut self, key: &'static str, read: fn(&mut Obj<'a>) -> T) -> T {
        let v = self.get(key).unwrap_or(&NOTHING);
        let at = self.path(key);
        self.nested(v, at, read)
    }

    /// The object at `key` if there is one.
    fn opt_object<T>(&mut self, key: &'static str, read: fn(&mut Obj<'a>) -> T) -> Option<T> {
        let v = self.get(key)?;
        let at = self.path(key);
        Some(self.nested(v, at, read))
    }

    /// Each element of the array at `key`, read by `read` at `key[i]`; missing is noted
    /// unless `optional`.
    fn list<T>(
        &mut self,
        key: &'static str,
        optional: bool,
        read: fn(&mut Obj<'a>) -> T,
    ) -> Vec<T> {
        let items = self
            .value(key, optional, |v| v.as_array())
            .unwrap_or_default();
        let at = self.path(key);
        items
            .iter()
            .enumerate()
            .map(|(i, item)| self.nested(item, format!("{at}[{i}]"), read))
            .collect()
    }

    /// The first field that did not fit, or the first key no field read.
    fn finish(mut self) -> R<()> {
        if self.misfit.is_none() {
            let members = self.map.as_object().unwrap_or_default();
            if let Some((extra, _)) = members
                .iter()
                .find(|(k, _)| !self.seen.contains(&k.as_str()))
            {
                self.misfit = Some(self.path(extra));
            }
        }
        match self.misfit {
            Some(at) => Err(Misfit(at)),
            None => Ok(()),
        }
    }
}

pub fn config(v: &Json) -> R<Config> {
    let mut o = Obj::new(v, String::new());
    let c = Config {
        version: o.whole("version"),
        connections: o.list("connections", false, connection),
        dashboards: o.list("dashboards", false, dashboard),
    };
    o.finish()?;
    Ok(c)
}

fn connection(o: &mut Obj) -> Connection {
    Connection {
        id: o.string("id"),
        name: o.string("name"),
        preset: o.opt_string("preset"),
        scheme: o.choice("scheme", &[("ws", Scheme::Ws), ("wss", Scheme::Wss)]),
        host: o.string("host"),
        port: o.whole("port"),
        path: o.string("path"),
        username: o.opt_string("username"),
        password: o.opt_string("password"),
        remember_password: o.bool_or_false("remember_password"),
        client_id: o.string("client_id"),
        mqtt_version: o.choice(
            "mqtt_version",
            &[
                ("3.1.1", MqttVersion::V3_1_1),
                ("5.0", MqttVersion::V5),
                ("auto", MqttVersion::Auto),
            ],
        ),
        keep_alive_secs: o.whole("keep_alive_secs"),
        clean_start: o.boolean("clean_start"),
        session_expiry_secs: o.opt_whole("session_expiry_secs").unwrap_or(0),
        will: o.opt_object("will", last_will),
    }
}

fn last_will(o: &mut Obj) -> LastWill {
    LastWill {
        topic: o.string("topic"),
        payload: o.string("payload"),
        qos: o.qos("qos"),
        retain: o.boolean("retain"),
    }
}

fn dashboard(o: &mut Obj) -> Dashboard {
    Dashboard {
        id: o.string("id"),
        name: o.string("name"),
        connection: o.string("connection"),
        widgets: o.list("widgets", false, widget),
    }
}

/// A widget is stored flat: `id`, `title`, `type` and the kind's own fields side by side.
fn widget(o: &mut Obj) -> Widget {
    let id = o.string("id");
    let title = o.string("title");
    let kind = match o.string("type").as_str() {
        "gauge" => WidgetKind::Gauge(gauge(o)),
        "switch" => WidgetKind::Switch(switch(o)),
        "chart" => WidgetKind::Chart(chart(o)),
        "value" => WidgetKind::Value(value(o)),
        "button" => WidgetKind::Button(button(o)),
        "led" => WidgetKind::Led(led(o)),
        "slider" => WidgetKind::Slider(slider(o)),
        "level" => WidgetKind::Level(LevelConfig {
            gauge: gauge(o),
            vertical: o.bool_or_false("vertical"),
        }),
        "text" => WidgetKind::Text(publish(o)),
        "color" => WidgetKind::Color(publish(o)),
        "log" => WidgetKind::Log(LogConfig {
            filter: o.string("filter"),
            qos: o.qos("qos"),
            lines: o.whole("lines"),
            format: o.choice("format", &LogFormat::ALL),
        }),
        _ => {
            // Nothing else of this object is read: its type is the error.
            o.fail("type");
            WidgetKind::Text(publish(o))
        }
    };
    Widget { id, title, kind }
}

fn binding(o: &mut Obj) -> Binding {
    Binding {
        topic: o.string("topic"),
        json_path: o.opt_string("json_path"),
        scale: o.opt_f64("scale").unwrap_or(1.0),
        offset: o.opt_f64("offset").unwrap_or(0.0),
        qos: match o.get("qos") {
            None => Qos::AtMostOnce,
            Some(_) => o.qos("qos"),
        },
    }
}

fn band(o: &mut Obj) -> Band {
    Band {
        from: o.f64("from"),
        color: o.string("color"),
    }
}

fn gauge(o: &mut Obj) -> GaugeConfig {
    GaugeConfig {
        binding: o.object("binding", binding),
        min: o.f64("min"),
        max: o.f64("max"),
        unit: o.string_or_empty("unit"),
        decimals: o.opt_whole("decimals").unwrap_or(0),
        bands: o.list("bands", true, band),
    }
}

fn switch(o: &mut Obj) -> SwitchConfig {
    SwitchConfig {
        command_topic: o.string("command_topic"),
        on_payload: o.string("on_payload"),
        off_payload: o.string("off_payload"),
        state_topic: o.opt_string("state_topic"),
        state_on: o.string("state_on"),
        state_off: o.string("state_off"),
        json_path: o.opt_string("json_path"),
        qos: o.qos("qos"),
        retain: o.bool_or_false("retain"),
        confirm_timeout_ms: o.whole("confirm_timeout_ms"),
        expiry_secs: o.opt_whole("expiry_secs").unwrap_or(DEFAULT_EXPIRY_SECS),
        icon: o.string_or_empty("icon"),
        response_topic: o.opt_string("response_topic"),
    }
}

fn button(o: &mut Obj) -> ButtonConfig {
    ButtonConfig {
        topic: o.string("topic"),
        payload: o.string("payload"),
        label: o.string_or_empty("label"),
        qos: o.qos("qos"),
        retain: o.bool_or_false("retain"),
        confirm: o.bool_or_false("confirm"),
        expiry_secs: o.opt_whole("expiry_secs").unwrap_or(DEFAULT_EXPIRY_SECS),
        icon: o.string_or_empty("icon"),
        response_topic: o.opt_string("response_topic"),
    }
}

fn led(o: &mut Obj) -> LedConfig {
    LedConfig {
        binding: o.object("binding", binding),
        state_on: o.string("state_on"),
        state_off: o.string("state_off"),
        on_color: o.string("on_color"),
        off_color: o.string("off_color"),
        icon: o.string_or_empty("icon"),
        map: o.list("map", true, value_map),
    }
}

fn publish(o: &mut Obj) -> Publish {
    Publish {
        topic: o.string("topic"),
        template: o.string("template"),
        qos: o.qos("qos"),
        retain: o.bool_or_false("retain"),
        expiry_secs: o.opt_whole("expiry_secs").unwrap_or(DEFAULT_EXPIRY_SECS),
    }
}

fn slider(o: &mut Obj) -> SliderConfig {
    SliderConfig {
        publish: publish(o),
        min: o.f64("min"),
        max: o.f64("max"),
        step: o.f64("step"),
        unit: o.string_or_empty("unit"),
        throttle_ms: o.whole("throttle_ms"),
        state: o.opt_object("state", binding),
    }
}

fn series(o: &mut Obj) -> Series {
    Series {
        label: o.string("label"),
        binding: o.object("binding", binding),
        color: o.string("color"),
    }
}

fn chart(o: &mut Obj) -> ChartConfig {
    ChartConfig {
        series: o.list("series", false, series),
        window_secs: o.whole("window_secs"),
        max_points: o.whole("max_points"),
        unit: o.string_or_empty("unit"),
        min: o.opt_f64("min"),
        max: o.opt_f64("max"),
    }
}

fn value(o: &mut Obj) -> ValueConfig {
    ValueConfig {
        binding: o.object("binding", binding),
        unit: o.string_or_empty("unit"),
        decimals: o.opt_whole("decimals"),
        stale_after_secs: o.opt_whole("stale_after_secs").unwrap_or(0),
        map: o.list("map", true, value_map),
        bands: o.list("bands", true, band),
    }
}

fn value_map(o: &mut Obj) -> ValueMap {
    ValueMap {
        when: o.string("when"),
        label: o.string_or_empty("label"),
        color: o.string_or_empty("color"),
    }
}
