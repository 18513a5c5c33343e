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

/// `client_id` is chosen by the caller (random per browser, then kept). Titles are user
/// data once created, so they are written in the language of the first visit.
pub fn demo_config(
    client_id: String,
    host: String,
    ws_port: u16,
    path: String,
    lang: Lang,
) -> Config {
    let local = Connection {
        id: "local".into(),
        name: "Local".into(),
        preset: None,
        scheme: Scheme::Ws,
        host,
        port: ws_port,
        path,
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
    demo_on(local, DEMO_PREFIX, lang)
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
    let (username, password) = preset.public_credentials.map_or((None, None), |(u, p)| {
        (Some(u.to_owned()), Some(p.to_owned()))
    });
    let public = Connection {
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
    };
    demo_on(public, prefix, lang)
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
