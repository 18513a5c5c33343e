//! The configuration a first visit starts with: the local broker of `make run` and a
//! dashboard bound to the virtual device's topics (`tablero device`, prefix `tablero/demo`),
//! so the widgets move at once; or, on a page served over https from anywhere else (a GitHub
//! Pages site), the same dashboard on a public broker over wss ([`public_demo_config`]).

use super::model::*;
use super::presets::BrokerPreset;
use crate::i18n::Lang;

pub const DEMO_PREFIX: &str = "tablero/demo";

fn binding(prefix: &str, topic: &str) -> Binding {
    Binding {
        topic: format!("{prefix}/{topic}"),
        json_path: None,
        scale: 1.0,
        offset: 0.0,
        qos: Qos::AtMostOnce,
    }
}

/// Where a demo's broker is: `?broker=ws://host:port/path` (or `wss://`) in the page's
/// address, or `make run`'s broker on the page's own host.
#[derive(Debug, Clone, PartialEq)]
pub struct BrokerAddress {
    pub scheme: Scheme,
    pub host: String,
    pub port: u16,
    pub path: String,
}

impl BrokerAddress {
    /// `ws://host:port[/path]` or `wss://host:port[/path]` (an IPv6 host in brackets); the
    /// port is required, as `make run` prints it.
    pub fn parse(url: &str) -> Option<Self> {
        let (scheme, rest) = match url.split_once("://")? {
            ("ws", rest) => (Scheme::Ws, rest),
            ("wss", rest) => (Scheme::Wss, rest),
            _ => return None,
        };
        let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
        let (host, port) = authority.rsplit_once(':')?;
        let host = host.trim_matches(['[', ']']);
        let port = port.parse().ok()?;
        (!host.is_empty()).then(|| Self {
            scheme,
            host: host.to_owned(),
            port,
            path: format!("/{path}"),
        })
    }
}

/// `client_id` is chosen by the caller (random per browser, then kept). Titles are user
/// data once created, so they are written in the language of the first visit.
pub fn demo_config(
    client_id: String,
    host: String,
    ws_port: u16,
    path: String,
    lang: Lang,
) -> Config {
    let address = BrokerAddress {
        scheme: Scheme::Ws,
        host,
        port: ws_port,
        path,
    };
    broker_demo_config(client_id, address, DEMO_PREFIX, lang)
}

/// The demo dashboard on the broker at `address`, its topics under `prefix`.
pub fn broker_demo_config(
    client_id: String,
    address: BrokerAddress,
    prefix: &str,
    lang: Lang,
) -> Config {
    let local = Connection {
        id: "local".into(),
        name: "Local".into(),
        preset: None,
        scheme: address.scheme,
        host: address.host,
        port: address.port,
        path: address.path,
        username: None,
        password: None,
        remember_password: false,
        client_id,
        mqtt_version: MqttVersion::V3_1_1,
        keep_alive_secs: 30,
        clean_start: true,
        session_expiry_secs: 0,
        will: None,
    };
    demo_on(local, prefix, lang)
}

/// The demo on a public broker, for a page served over https from anywhere but `make run`:
/// an https page may open only `wss://`, and no broker listens on the page's own host. Its
/// topics are under `prefix` (random per browser), so strangers' messages on the shared
/// broker never reach it, nor its commands them.
pub fn public_demo_config(
    client_id: String,
    preset: &BrokerPreset,
    prefix: &str,
    lang: Lang,
) -> Config {
    demo_on(public_connection(client_id, preset), prefix, lang)
}

/// The demo's connection to a public preset over wss (its id stays `public` whichever
/// preset it points at, so a fallback to the next preset changes only where it goes).
pub fn public_connection(client_id: String, preset: &BrokerPreset) -> Connection {
    let (username, password) = preset.public_credentials.map_or((None, None), |(u, p)| {
        (Some(u.to_owned()), Some(p.to_owned()))
    });
    Connection {
        id: "public".into(),
        name: preset.host.into(),
        preset: Some(preset.id.into()),
        scheme: Scheme::Wss,
        host: preset.host.into(),
        port: preset.wss_port,
        path: preset.path.into(),
        remember_password: password.is_some(),
        username,
        password,
        client_id,
        mqtt_version: preset.version,
        keep_alive_secs: 30,
        clean_start: true,
        session_expiry_secs: 0,
        will: None,
    }
}

/// The in-page demo device's run: the dashboard it serves and the topic prefix it publishes
/// under. Kept apart from the configuration (the user's), in its own storage key, as two
/// lines.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoRun {
    pub dashboard: String,
    pub prefix: String,
}

impl DemoRun {
    pub fn to_text(&self) -> String {
        format!("{}\n{}", self.dashboard, self.prefix)
    }

    pub fn from_text(text: &str) -> Option<Self> {
        let (dashboard, prefix) = text.split_once('\n')?;
        let valid = !dashboard.is_empty()
            && !prefix.is_empty()
            && !prefix.contains(['+', '#', '\n', '\0'])
            && prefix.len() <= 200;
        valid.then(|| Self {
            dashboard: dashboard.to_owned(),
            prefix: prefix.to_owned(),
        })
    }
}

fn demo_on(connection: Connection, prefix: &str, lang: Lang) -> Config {
    let es = lang == Lang::Es;
    let title = |es_text: &str, en_text: &str| if es { es_text } else { en_text }.to_owned();
    let binding = |topic: &str| binding(prefix, topic);
    Config {
        version: super::CURRENT_VERSION,
        dashboards: vec![Dashboard {
            id: "demo".into(),
            name: "Demo".into(),
            connection: connection.id.clone(),
            widgets: vec![
                Widget {
                    id: "temperature".into(),
                    title: title("Temperatura", "Temperature"),
                    kind: WidgetKind::Gauge(GaugeConfig {
                        binding: binding("temperature"),
                        min: 0.0,
                        max: 40.0,
                        unit: "°C".into(),
                        decimals: 1,
                        bands: vec![
                            Band {
                                from: 0.0,
                                color: "#3b82f6".into(),
                            },
                            Band {
                                from: 18.0,
                                color: "#16a34a".into(),
                            },
                            Band {
                                from: 28.0,
                                color: "#dc2626".into(),
                            },
                        ],
                    }),
                },
                Widget {
                    id: "relay".into(),
                    title: title("Relevador", "Relay"),
                    kind: WidgetKind::Switch(SwitchConfig {
                        command_topic: format!("{prefix}/relay/set"),
                        on_payload: "on".into(),
                        off_payload: "off".into(),
                        state_topic: Some(format!("{prefix}/relay/state")),
                        state_on: "on".into(),
                        state_off: "off".into(),
                        json_path: None,
                        qos: Qos::AtLeastOnce,
                        retain: false,
                        confirm_timeout_ms: 5000,
                        expiry_secs: 10,
                        icon: "bulb".into(),
                        response_topic: None,
                    }),
                },
                Widget {
                    id: "humidity".into(),
                    title: title("Humedad", "Humidity"),
                    kind: WidgetKind::Value(ValueConfig {
                        binding: Binding {
                            json_path: Some("$.humidity".into()),
                            ..binding("sensors")
                        },
                        unit: "%".into(),
                        decimals: Some(0),
                        stale_after_secs: 30,
                        map: Vec::new(),
                        bands: Vec::new(),
                    }),
                },
                Widget {
                    id: "history".into(),
                    title: title("Temperatura y luz", "Temperature and light"),
                    kind: WidgetKind::Chart(ChartConfig {
                        series: vec![
                            Series {
                                label: "°C".into(),
                                binding: binding("temperature"),
                                color: "#dc2626".into(),
                            },
                            Series {
                                label: "lux / 25".into(),
                                binding: Binding {
                                    scale: 1.0 / 25.0,
                                    ..binding("light")
                                },
                                color: "#ca8a04".into(),
                            },
                        ],
                        window_secs: 300,
                        max_points: 2000,
                        unit: String::new(),
                        min: None,
                        max: None,
                    }),
                },
            ],
        }],
        connections: vec![connection],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broker_addresses() {
        assert_eq!(
            BrokerAddress::parse("wss://127.0.0.1:8443/mqtt"),
            Some(BrokerAddress {
                scheme: Scheme::Wss,
                host: "127.0.0.1".into(),
                port: 8443,
                path: "/mqtt".into()
            })
        );
        let v6 = BrokerAddress::parse("ws://[::1]:9001").unwrap();
        assert_eq!(
            (v6.host.as_str(), v6.port, v6.path.as_str()),
            ("::1", 9001, "/")
        );
        for bad in [
            "http://h:1",
            "ws://h",
            "ws://:1",
            "ws://h:99999",
            "wss//h:1",
            "",
        ] {
            assert_eq!(BrokerAddress::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn demo_runs_read_back_and_refuse_junk() {
        let run = DemoRun {
            dashboard: "demo".into(),
            prefix: "tablero/ab12cd".into(),
        };
        assert_eq!(DemoRun::from_text(&run.to_text()), Some(run));
        for bad in ["", "demo", "demo\n", "\nprefix", "demo\na/#", "demo\na/+/b"] {
            assert_eq!(DemoRun::from_text(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn the_demo_config_is_valid() {
        for lang in [Lang::Es, Lang::En] {
            let config = demo_config(
                "tablero-1".into(),
                "localhost".into(),
                9001,
                "/".into(),
                lang,
            );
            assert_eq!(super::super::validate::problems(&config), vec![]);
        }
        let config = demo_config(
            "tablero-1".into(),
            "localhost".into(),
            9001,
            "/".into(),
            Lang::En,
        );
        assert_eq!(super::super::validate::problems(&config), vec![]);
    }

    #[test]
    fn the_public_demo_is_wss_to_a_preset_under_its_own_prefix() {
        for preset in super::super::PRESETS {
            let config = public_demo_config("tablero-1".into(), preset, "tablero/x1y2z3", Lang::Es);
            assert_eq!(
                super::super::validate::problems(&config),
                vec![],
                "{}",
                preset.id
            );
            let c = &config.connections[0];
            assert_eq!(c.scheme, Scheme::Wss, "an https page may open only wss://");
            assert_eq!(
                (c.host.as_str(), c.port, c.path.as_str()),
                (preset.host, preset.wss_port, preset.path)
            );
            assert_eq!(c.preset.as_deref(), Some(preset.id));
            let topics: Vec<String> = config.dashboards[0]
                .widgets
                .iter()
                .flat_map(|w| crate::widgets::listens(&w.kind))
                .map(|l| l.binding.topic)
                .collect();
            assert!(!topics.is_empty());
            for t in topics {
                assert!(t.starts_with("tablero/x1y2z3/"), "{t}");
            }
        }
    }
}
