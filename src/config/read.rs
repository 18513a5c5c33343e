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

use crate::json::Json;

use super::model::*;
use super::validate::DEFAULT_EXPIRY_SECS;

/// Where a document stops fitting the model: the path of the field.
#[derive(Debug, Clone, PartialEq)]
pub struct Misfit(pub String);

type R<T> = Result<T, Misfit>;

/// One JSON object being read; `done` refuses the keys nobody asked for.
struct Obj<'a> {
    map: &'a Json,
    at: String,
    seen: Vec<&'a str>,
}

impl<'a> Obj<'a> {
    fn new(value: &'a Json, at: String) -> R<Self> {
        match value {
            Json::Object(_) => Ok(Self {
                map: value,
                at,
                seen: Vec::new(),
            }),
            _ => Err(Misfit(at)),
        }
    }

    fn path(&self, key: &str) -> String {
        if self.at.is_empty() {
            key.to_owned()
        } else {
            format!("{}.{key}", self.at)
        }
    }

    /// The value at `key`, `None` when missing or `null`.
    fn get(&mut self, key: &'static str) -> Option<&'a Json> {
        self.seen.push(key);
        self.map.get(key).filter(|v| !v.is_null())
    }

    fn required(&mut self, key: &'static str) -> R<&'a Json> {
        self.get(key).ok_or_else(|| Misfit(self.path(key)))
    }

    fn misfit(&self, key: &str) -> Misfit {
        Misfit(self.path(key))
    }

    fn string(&mut self, key: &'static str) -> R<String> {
        let v = self.required(key)?;
        v.as_str()
            .map(str::to_owned)
            .ok_or_else(|| self.misfit(key))
    }

    fn opt_string(&mut self, key: &'static str) -> R<Option<String>> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => v
                .as_str()
                .map(|s| Some(s.to_owned()))
                .ok_or_else(|| self.misfit(key)),
        }
    }

    fn string_or_empty(&mut self, key: &'static str) -> R<String> {
        Ok(self.opt_string(key)?.unwrap_or_default())
    }

    fn boolean(&mut self, key: &'static str) -> R<bool> {
        let v = self.required(key)?;
        v.as_bool().ok_or_else(|| self.misfit(key))
    }

    fn bool_or_false(&mut self, key: &'static str) -> R<bool> {
        match self.get(key) {
            None => Ok(false),
            Some(v) => v.as_bool().ok_or_else(|| self.misfit(key)),
        }
    }

    fn opt_f64(&mut self, key: &'static str) -> R<Option<f64>> {
        match self.get(key) {
            None => Ok(None),
            // The number's own text, rounded once.
            Some(v) => v
                .as_number()
                .and_then(crate::format::parse_f64)
                .map(Some)
                .ok_or_else(|| self.misfit(key)),
        }
    }

    fn f64(&mut self, key: &'static str) -> R<f64> {
        self.opt_f64(key)?.ok_or_else(|| self.misfit(key))
    }

    /// A whole number that fits `T`.
    fn opt_whole<T: TryFrom<u64>>(&mut self, key: &'static str) -> R<Option<T>> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => v
                .as_u64()
                .and_then(|n| T::try_from(n).ok())
                .map(Some)
                .ok_or_else(|| self.misfit(key)),
        }
    }

    fn whole<T: TryFrom<u64>>(&mut self, key: &'static str) -> R<T> {
        self.opt_whole(key)?.ok_or_else(|| self.misfit(key))
    }

    /// One of the spellings `choices` gives for an enum.
    fn choice<T: Copy>(&mut self, key: &'static str, choices: &[(&str, T)]) -> R<T> {
        let s = self.string(key)?;
        choices
            .iter()
            .find(|(name, _)| *name == s)
            .map(|(_, v)| *v)
            .ok_or_else(|| self.misfit(key))
    }

    fn qos(&mut self, key: &'static str) -> R<Qos> {
        self.choice(
            key,
            &[
                ("0", Qos::AtMostOnce),
                ("1", Qos::AtLeastOnce),
                ("2", Qos::ExactlyOnce),
            ],
        )
    }

    /// Each element of the array at `key`, read by `read` at `key[i]`.
    fn list<T>(&mut self, key: &'static str, read: impl Fn(&'a Json, String) -> R<T>) -> R<Vec<T>> {
        let v = self.required(key)?;
        let items = v.as_array().ok_or_else(|| self.misfit(key))?;
        let at = self.path(key);
        items
            .iter()
            .enumerate()
            .map(|(i, item)| read(item, format!("{at}[{i}]")))
            .collect()
    }

    fn list_or_empty<T>(
        &mut self,
        key: &'static str,
        read: impl Fn(&'a Json, String) -> R<T>,
    ) -> R<Vec<T>> {
        if self.map.get(key).is_none_or(Json::is_null) {
            self.seen.push(key);
            return Ok(Vec::new());
        }
        self.list(key, read)
    }

    /// Refuses a key that no field read.
    fn done(self) -> R<()> {
        let members = self.map.as_object().unwrap_or_default();
        match members
            .iter()
            .find(|(k, _)| !self.seen.contains(&k.as_str()))
        {
            Some((extra, _)) => Err(self.misfit(extra)),
            None => Ok(()),
        }
    }
}

pub fn config(v: &Json) -> R<Config> {
    let mut o = Obj::new(v, String::new())?;
    let c = Config {
        version: o.whole("version")?,
        connections: o.list("connections", connection)?,
        dashboards: o.list("dashboards", dashboard)?,
    };
    o.done()?;
    Ok(c)
}

fn connection(v: &Json, at: String) -> R<Connection> {
    let mut o = Obj::new(v, at)?;
    let c = Connection {
        id: o.string("id")?,
        name: o.string("name")?,
        preset: o.opt_string("preset")?,
        scheme: o.choice("scheme", &[("ws", Scheme::Ws), ("wss", Scheme::Wss)])?,
        host: o.string("host")?,
        port: o.whole("port")?,
        path: o.string("path")?,
        username: o.opt_string("username")?,
        password: o.opt_string("password")?,
        remember_password: o.bool_or_false("remember_password")?,
        client_id: o.string("client_id")?,
        mqtt_version: o.choice(
            "mqtt_version",
            &[
                ("3.1.1", MqttVersion::V3_1_1),
                ("5.0", MqttVersion::V5),
                ("auto", MqttVersion::Auto),
            ],
        )?,
        keep_alive_secs: o.whole("keep_alive_secs")?,
        clean_start: o.boolean("clean_start")?,
        session_expiry_secs: o.opt_whole("session_expiry_secs")?.unwrap_or(0),
        will: match o.get("will") {
            None => None,
            Some(w) => Some(last_will(w, o.path("will"))?),
        },
    };
    o.done()?;
    Ok(c)
}

fn last_will(v: &Json, at: String) -> R<LastWill> {
    let mut o = Obj::new(v, at)?;
    let w = LastWill {
        topic: o.string("topic")?,
        payload: o.string("payload")?,
        qos: o.qos("qos")?,
        retain: o.boolean("retain")?,
    };
    o.done()?;
    Ok(w)
}

fn dashboard(v: &Json, at: String) -> R<Dashboard> {
    let mut o = Obj::new(v, at)?;
    let d = Dashboard {
        id: o.string("id")?,
        name: o.string("name")?,
        connection: o.string("connection")?,
        widgets: o.list("widgets", widget)?,
    };
    o.done()?;
    Ok(d)
}

/// A widget is stored flat: `id`, `title`, `type` and the kind's own fields side by side.
fn widget(v: &Json, at: String) -> R<Widget> {
    let mut o = Obj::new(v, at)?;
    let id = o.string("id")?;
    let title = o.string("title")?;
    let kind = match o.string("type")?.as_str() {
        "gauge" => WidgetKind::Gauge(gauge(&mut o)?),
        "switch" => WidgetKind::Switch(switch(&mut o)?),
        "chart" => WidgetKind::Chart(chart(&mut o)?),
        "value" => WidgetKind::Value(value(&mut o)?),
        "button" => WidgetKind::Button(button(&mut o)?),
        "led" => WidgetKind::Led(led(&mut o)?),
        "slider" => WidgetKind::Slider(slider(&mut o)?),
        "level" => WidgetKind::Level(LevelConfig {
            gauge: gauge(&mut o)?,
            vertical: o.bool_or_false("vertical")?,
        }),
        "text" => WidgetKind::Text(publish(&mut o)?),
        "color" => WidgetKind::Color(publish(&mut o)?),
        "log" => WidgetKind::Log(LogConfig {
            filter: o.string("filter")?,
            qos: o.qos("qos")?,
            lines: o.whole("lines")?,
            format: o.choice("format", &LogFormat::ALL)?,
        }),
        _ => return Err(o.misfit("type")),
    };
    o.done()?;
    Ok(Widget { id, title, kind })
}

fn binding(v: &Json, at: String) -> R<Binding> {
    let mut o = Obj::new(v, at)?;
    let b = Binding {
        topic: o.string("topic")?,
        json_path: o.opt_string("json_path")?,
        scale: o.opt_f64("scale")?.unwrap_or(1.0),
        offset: o.opt_f64("offset")?.unwrap_or(0.0),
        qos: match o.get("qos") {
            None => Qos::AtMostOnce,
            Some(_) => o.qos("qos")?,
        },
    };
    o.done()?;
    Ok(b)
}

fn band(v: &Json, at: String) -> R<Band> {
    let mut o = Obj::new(v, at)?;
    let b = Band {
        from: o.f64("from")?,
        color: o.string("color")?,
    };
    o.done()?;
    Ok(b)
}

fn gauge(o: &mut Obj) -> R<GaugeConfig> {
    let at = o.path("binding");
    Ok(GaugeConfig {
        binding: binding(o.required("binding")?, at)?,
        min: o.f64("min")?,
        max: o.f64("max")?,
        unit: o.string_or_empty("unit")?,
        decimals: o.opt_whole("decimals")?.unwrap_or(0),
        bands: o.list_or_empty("bands", band)?,
    })
}

fn switch(o: &mut Obj) -> R<SwitchConfig> {
    Ok(SwitchConfig {
        command_topic: o.string("command_topic")?,
        on_payload: o.string("on_payload")?,
        off_payload: o.string("off_payload")?,
        state_topic: o.opt_string("state_topic")?,
        state_on: o.string("state_on")?,
        state_off: o.string("state_off")?,
        json_path: o.opt_string("json_path")?,
        qos: o.qos("qos")?,
        retain: o.bool_or_false("retain")?,
        confirm_timeout_ms: o.whole("confirm_timeout_ms")?,
        expiry_secs: o.opt_whole("expiry_secs")?.unwrap_or(DEFAULT_EXPIRY_SECS),
    })
}

fn button(o: &mut Obj) -> R<ButtonConfig> {
    Ok(ButtonConfig {
        topic: o.string("topic")?,
        payload: o.string("payload")?,
        label: o.string_or_empty("label")?,
        qos: o.qos("qos")?,
        retain: o.bool_or_false("retain")?,
        confirm: o.bool_or_false("confirm")?,
        expiry_secs: o.opt_whole("expiry_secs")?.unwrap_or(DEFAULT_EXPIRY_SECS),
    })
}

fn led(o: &mut Obj) -> R<LedConfig> {
    let at = o.path("binding");
    Ok(LedConfig {
        binding: binding(o.required("binding")?, at)?,
        state_on: o.string("state_on")?,
        state_off: o.string("state_off")?,
        on_color: o.string("on_color")?,
        off_color: o.string("off_color")?,
    })
}

fn publish(o: &mut Obj) -> R<Publish> {
    Ok(Publish {
        topic: o.string("topic")?,
        template: o.string("template")?,
        qos: o.qos("qos")?,
        retain: o.bool_or_false("retain")?,
        expiry_secs: o.opt_whole("expiry_secs")?.unwrap_or(DEFAULT_EXPIRY_SECS),
    })
}

fn slider(o: &mut Obj) -> R<SliderConfig> {
    let at = o.path("state");
    Ok(SliderConfig {
        publish: publish(o)?,
        min: o.f64("min")?,
        max: o.f64("max")?,
        step: o.f64("step")?,
        unit: o.string_or_empty("unit")?,
        throttle_ms: o.whole("throttle_ms")?,
        state: match o.get("state") {
            Some(v) => Some(binding(v, at)?),
            None => None,
        },
    })
}

fn series(v: &Json, at: String) -> R<Series> {
    let mut o = Obj::new(v, at)?;
    let at = o.path("binding");
    let s = Series {
        label: o.string("label")?,
        binding: binding(o.required("binding")?, at)?,
        color: o.string("color")?,
    };
    o.done()?;
    Ok(s)
}

fn chart(o: &mut Obj) -> R<ChartConfig> {
    Ok(ChartConfig {
        series: o.list("series", series)?,
        window_secs: o.whole("window_secs")?,
        max_points: o.whole("max_points")?,
        unit: o.string_or_empty("unit")?,
        min: o.opt_f64("min")?,
        max: o.opt_f64("max")?,
    })
}

fn value(o: &mut Obj) -> R<ValueConfig> {
    let at = o.path("binding");
    Ok(ValueConfig {
        binding: binding(o.required("binding")?, at)?,
        unit: o.string_or_empty("unit")?,
        decimals: o.opt_whole("decimals")?,
        stale_after_secs: o.opt_whole("stale_after_secs")?.unwrap_or(0),
    })
}
