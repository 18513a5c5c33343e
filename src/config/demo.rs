//! The configuration a first visit starts with: the local broker of `make run` and a
//! dashboard bound to the virtual device's topics (`tablero device`, prefix `tablero/demo`),
//! so the widgets move at once.

use super::model::*;
use crate::i18n::Lang;

pub const DEMO_PREFIX: &str = "tablero/demo";

fn binding(topic: &str) -> Binding {
    Binding {
        topic: format!("{DEMO_PREFIX}/{topic}"),
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
    let es = lang == Lang::Es;
    let title = |es_text: &str, en_text: &str| if es { es_text } else { en_text }.to_owned();
    Config {
        version: super::CURRENT_VERSION,
        connections: vec![Connection {
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
        }],
        dashboards: vec![Dashboard {
            id: "demo".into(),
            name: "Demo".into(),
            connection: "local".into(),
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
                        command_topic: format!("{DEMO_PREFIX}/relay/set"),
                        on_payload: "on".into(),
                        off_payload: "off".into(),
                        state_topic: Some(format!("{DEMO_PREFIX}/relay/state")),
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
}
