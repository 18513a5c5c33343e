use super::*;

fn connection() -> Connection {
    Connection {
        id: "local".into(),
        name: "Local broker".into(),
        preset: None,
        scheme: Scheme::Ws,
        host: "127.0.0.1".into(),
        port: 9001,
        path: "/".into(),
        username: None,
        password: None,
        remember_password: false,
        client_id: "tablero-123".into(),
        mqtt_version: MqttVersion::V3_1_1,
        keep_alive_secs: 30,
        clean_start: true,
        session_expiry_secs: 0,
        will: None,
    }
}

fn binding(topic: &str) -> Binding {
    Binding {
        topic: topic.into(),
        json_path: None,
        scale: 1.0,
        offset: 0.0,
        qos: Qos::AtMostOnce,
    }
}

fn sample() -> Config {
    Config {
        version: CURRENT_VERSION,
        connections: vec![connection()],
        dashboards: vec![Dashboard {
            id: "home".into(),
            name: "Casa".into(),
            connection: "local".into(),
            widgets: vec![
                Widget {
                    id: "t".into(),
                    title: "Temperatura".into(),
                    kind: WidgetKind::Gauge(GaugeConfig {
                        binding: Binding {
                            json_path: Some("$.temperature".into()),
                            ..binding("tablero/demo/sensors")
                        },
                        min: -10.0,
                        max: 50.0,
                        unit: "°C".into(),
                        decimals: 1,
                        bands: vec![Band {
                            from: 30.0,
                            color: "#d33".into(),
                        }],
                    }),
                },
                Widget {
                    id: "lamp".into(),
                    title: "Lámpara".into(),
                    kind: WidgetKind::Switch(SwitchConfig {
                        command_topic: "tablero/demo/relay/set".into(),
                        on_payload: "on".into(),
                        off_payload: "off".into(),
                        state_topic: Some("tablero/demo/relay/state".into()),
                        state_on: "on".into(),
                        state_off: "off".into(),
                        json_path: None,
                        qos: Qos::AtLeastOnce,
                        retain: false,
                        confirm_timeout_ms: 5000,
                        expiry_secs: 10,
                        icon: "fan".into(),
                        response_topic: Some("tablero/demo/relay/reply".into()),
                    }),
                },
                Widget {
                    id: "chart".into(),
                    title: "Historia".into(),
                    kind: WidgetKind::Chart(ChartConfig {
                        series: vec![Series {
                            label: "T".into(),
                            binding: binding("tablero/demo/temperature"),
                            color: "#0b7a75".into(),
                        }],
                        window_secs: 600,
                        max_points: 2000,
                        unit: "°C".into(),
                        min: None,
                        max: None,
                    }),
                },
                Widget {
                    id: "hum".into(),
                    title: "Humedad".into(),
                    kind: WidgetKind::Value(ValueConfig {
                        binding: binding("tablero/demo/humidity"),
                        unit: "%".into(),
                        decimals: Some(0),
                        stale_after_secs: 30,
                        map: vec![ValueMap {
                            when: "0".into(),
                            label: "Cerrada".into(),
                            color: String::new(),
                        }],
                        bands: vec![Band {
                            from: 30.0,
                            color: "#f59e0b".into(),
                        }],
                    }),
                },
                Widget {
                    id: "bell".into(),
                    title: "Timbre".into(),
                    kind: WidgetKind::Button(ButtonConfig {
                        topic: "tablero/demo/bell".into(),
                        payload: "ring".into(),
                        label: "Tocar".into(),
                        qos: Qos::AtLeastOnce,
                        retain: false,
                        confirm: true,
                        expiry_secs: 10,
                        icon: String::new(),
                        response_topic: Some("tablero/demo/bell/done".into()),
                    }),
                },
                Widget {
                    id: "plug".into(),
                    title: "Enchufe".into(),
                    kind: WidgetKind::Led(LedConfig {
                        binding: Binding {
                            json_path: Some("$.POWER".into()),
                            ..binding("tasmota/plug/stat/RESULT")
                        },
                        state_on: "ON".into(),
                        state_off: "OFF".into(),
                        on_color: "#16a34a".into(),
                        off_color: "#475569".into(),
                        icon: "plug".into(),
                        map: vec![ValueMap {
                            when: "FAULT".into(),
                            label: "Falla".into(),
                            color: "#dc2626".into(),
                        }],
                    }),
                },
                Widget {
                    id: "dimmer".into(),
                    title: "Regulador".into(),
                    kind: WidgetKind::Slider(SliderConfig {
                        publish: publish("zigbee2mqtt/lamp/set", r#"{"brightness":{value}}"#),
                        min: 0.0,
                        max: 254.0,
                        step: 2.0,
                        unit: String::new(),
                        throttle_ms: 250,
                        state: Some(Binding {
                            json_path: Some("$.brightness".into()),
                            ..binding("zigbee2mqtt/lamp")
                        }),
                    }),
                },
                Widget {
                    id: "tank".into(),
                    title: "Tinaco".into(),
                    kind: WidgetKind::Level(LevelConfig {
                        gauge: GaugeConfig {
                            binding: binding("casa/tinaco/nivel"),
                            min: 0.0,
                            max: 100.0,
                            unit: "%".into(),
                            decimals: 0,
                            bands: vec![Band {
                                from: 0.0,
                                color: "#dc2626".into(),
                            }],
                        },
                        vertical: true,
                    }),
                },
                Widget {
                    id: "sign".into(),
                    title: "Letrero".into(),
                    kind: WidgetKind::Text(publish("casa/letrero", "{value}")),
                },
                Widget {
                    id: "strip".into(),
                    title: "Tira RGB".into(),
                    kind: WidgetKind::Color(publish("casa/tira/set", r#"{"color":"{value}"}"#)),
                },
                Widget {
                    id: "log".into(),
                    title: "Todo".into(),
                    kind: WidgetKind::Log(LogConfig {
                        filter: "casa/#".into(),
                        qos: Qos::AtLeastOnce,
                        lines: 200,
                        format: LogFormat::Hex,
                    }),
                },
            ],
        }],
    }
}

fn publish(topic: &str, template: &str) -> Publish {
    Publish {
        topic: topic.into(),
        template: template.into(),
        qos: Qos::AtLeastOnce,
        retain: false,
        expiry_secs: 10,
    }
}

fn fields(err: ConfigError) -> Vec<(String, FieldError)> {
    match err {
        ConfigError::Invalid(p) => p.into_iter().map(|p| (p.field, p.error)).collect(),
        other => panic!("expected Invalid, got {other:?}"),
    }
}

#[test]
fn a_valid_config_round_trips_through_json() {
    let config = sample();
    let text = to_json(&config);
    assert_eq!(parse(&text), Ok(config));
}

/// Found by the `config_import` fuzzer: a number written with more digits than an f64
/// holds was read, written back in its shortest form, and read again as a neighbouring
/// float, so the first save changed the user's configuration. Reading must round to the
/// nearest float, as writing assumes.
#[test]
fn long_numbers_read_the_same_after_a_save() {
    let mut config = sample();
    let text = to_json(&config).replacen(
        "\"from\": 30,",
        "\"from\": 28.02222222222222222222222222222222222222222,",
        1,
    );
    assert_ne!(text, to_json(&config), "the sample has a band from 30");
    config = parse(&text).expect("valid");
    let saved = to_json(&config);
    assert_eq!(parse(&saved), Ok(config.clone()));
    assert_eq!(to_json(&parse(&saved).unwrap()), saved);
}

#[test]
fn every_mqtt_version_round_trips_under_its_own_name() {
    for (version, name) in [
        (MqttVersion::V3_1_1, "\"3.1.1\""),
        (MqttVersion::V5, "\"5.0\""),
        (MqttVersion::Auto, "\"auto\""),
    ] {
        let mut config = sample();
        config.connections[0].mqtt_version = version;
        let text = to_json(&config);
        assert!(
            text.contains(&format!("\"mqtt_version\": {name}")),
            "{text}"
        );
        assert_eq!(parse(&text), Ok(config));
    }
}

#[test]
fn widgets_are_tagged_by_type() {
    let text = to_json(&sample());
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let types: Vec<&str> = doc["dashboards"][0]["widgets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        types,
        [
            "gauge", "switch", "chart", "value", "button", "led", "slider", "level", "text",
            "color", "log"
        ]
    );
}

#[test]
fn broken_json_is_a_syntax_error_with_a_position() {
    let err = parse("{\"version\": 1,\n \"connections\": [").unwrap_err();
    match err {
        ConfigError::NotJson { line, .. } => assert_eq!(line, 2),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_newer_schema_is_refused_not_guessed() {
    let mut doc: serde_json::Value = serde_json::from_str(&to_json(&sample())).unwrap();
    doc["version"] = 99.into();
    assert_eq!(
        parse(&doc.to_string()),
        Err(ConfigError::NewerVersion {
            found: 99,
            supported: CURRENT_VERSION
        })
    );
}

#[test]
fn missing_or_zero_version_is_refused() {
    assert_eq!(parse("{}"), Err(ConfigError::NoVersion));
    assert_eq!(
        parse(r#"{"version":0,"connections":[],"dashboards":[]}"#),
        Err(ConfigError::NoVersion)
    );
}

#[test]
fn unknown_fields_and_widget_types_are_refused() {
    let mut doc: serde_json::Value = serde_json::from_str(&to_json(&sample())).unwrap();
    doc["dashboards"][0]["widgets"][0]["type"] = "flamethrower".into();
    assert_eq!(
        parse(&doc.to_string()),
        Err(ConfigError::NotTablero {
            at: "dashboards[0].widgets[0].type".into()
        })
    );

    let mut doc: serde_json::Value = serde_json::from_str(&to_json(&sample())).unwrap();
    doc["dashboards"][0]["widgets"][0]["onerror"] = "alert(1)".into();
    assert_eq!(
        parse(&doc.to_string()),
        Err(ConfigError::NotTablero {
            at: "dashboards[0].widgets[0].onerror".into()
        })
    );

    let mut doc: serde_json::Value = serde_json::from_str(&to_json(&sample())).unwrap();
    doc["extra"] = 1.into();
    assert_eq!(
        parse(&doc.to_string()),
        Err(ConfigError::NotTablero { at: "extra".into() })
    );
}

#[test]
fn hostile_sizes_are_refused_before_parsing() {
    let huge = format!(
        "{{\"version\":1,\"pad\":\"{}\"}}",
        "x".repeat(MAX_CONFIG_BYTES)
    );
    assert!(matches!(parse(&huge), Err(ConfigError::TooLarge { .. })));
    // Deep nesting hits the parser's recursion limit instead of the stack.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(matches!(
        parse(&deep[..MAX_CONFIG_BYTES.min(deep.len())]),
        Err(ConfigError::NotJson { .. } | ConfigError::NotTablero { .. })
    ));
}

#[test]
fn topics_follow_the_codec_rules() {
    let mut config = sample();
    if let WidgetKind::Switch(s) = &mut config.dashboards[0].widgets[1].kind {
        s.command_topic = "tablero/+/set".into();
    }
    if let WidgetKind::Gauge(g) = &mut config.dashboards[0].widgets[0].kind {
        g.binding.topic = "a/#/b".into();
    }
    let found = fields(parse(&to_json(&config)).unwrap_err());
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[0].0, "dashboards[0].widgets[0].binding.topic");
    assert!(matches!(found[0].1, FieldError::TopicFilter(_)));
    assert_eq!(found[1].0, "dashboards[0].widgets[1].command_topic");
    assert!(matches!(found[1].1, FieldError::TopicName(_)));
}

#[test]
fn numbers_ranges_colors_and_paths_are_checked() {
    let mut config = sample();
    if let WidgetKind::Gauge(g) = &mut config.dashboards[0].widgets[0].kind {
        g.min = 10.0;
        g.max = 10.0;
        g.decimals = 9;
        g.bands[0].color = "red; background:url(x)".into();
        g.binding.json_path = Some("temperature".into());
    }
    if let WidgetKind::Switch(s) = &mut config.dashboards[0].widgets[1].kind {
        s.expiry_secs = 3_601;
    }
    if let WidgetKind::Chart(c) = &mut config.dashboards[0].widgets[2].kind {
        c.window_secs = 5;
    }
    let found: Vec<String> = fields(parse(&to_json(&config)).unwrap_err())
        .into_iter()
        .map(|(f, _)| f)
        .collect();
    assert_eq!(
        found,
        [
            "dashboards[0].widgets[0].binding.json_path",
            "dashboards[0].widgets[0].max",
            "dashboards[0].widgets[0].decimals",
            "dashboards[0].widgets[0].bands[0].color",
            "dashboards[0].widgets[1].expiry_secs",
            "dashboards[0].widgets[2].window_secs",
        ]
    );
}

#[test]
fn ids_are_unique_and_dashboards_name_a_real_connection() {
    let mut config = sample();
    config.dashboards[0].widgets[1].id = "t".into();
    config.dashboards[0].connection = "nowhere".into();
    let found = fields(parse(&to_json(&config)).unwrap_err());
    assert_eq!(
        found,
        [
            (
                "dashboards[0].connection".to_string(),
                FieldError::UnknownConnection("nowhere".into())
            ),
            (
                "dashboards[0].widgets[1].id".to_string(),
                FieldError::DuplicateId("t".into())
            ),
        ]
    );
}

#[test]
fn connection_fields_are_checked() {
    let mut config = sample();
    config.connections[0].host = "ws://broker.example:9001".into();
    config.connections[0].path = "mqtt".into();
    config.connections[0].port = 0;
    let found: Vec<String> = fields(parse(&to_json(&config)).unwrap_err())
        .into_iter()
        .map(|(f, _)| f)
        .collect();
    assert_eq!(
        found,
        [
            "connections[0].host",
            "connections[0].port",
            "connections[0].path"
        ]
    );
}

#[test]
fn hosts_and_paths_are_what_the_url_keeps() {
    for good in [
        "127.0.0.1",
        "localhost",
        "broker.hivemq.com",
        "my_broker-1.local.",
        "xn--bcher-kva.example",
        "10.0.0.255",
        "::1",
        "[::1]",
        "fe80::1:2",
        "[2001:db8::1]",
        "1:2:3:4:5:6:7:8",
    ] {
        assert!(is_host(good), "{good:?}");
    }
    let long = format!("{}.example", "a".repeat(MAX_HOST_BYTES));
    for bad in [
        "",
        "javascript:window.__pwned=1",
        "ws://x",
        "user@evil.example",
        "a@127.0.0.1",
        "host:9001",
        "host/path",
        "a b",
        "%3Cscript%3E",
        "{value}",
        "${x}",
        "<b>",
        "a..b",
        "\u{202e}abc",
        "zero\u{200b}width",
        "before\0after",
        "256.0.0.1",
        "1.2.3",
        "09.1.1.1",
        "0x7f.1",
        "bücher.example",
        "[::1",
        ":::",
        "1:::2",
        ":1::2",
        ":1:2:3:4:5:6:7",
        "::1::",
        "1:2:3:4:5:6:7",
        "1:2:3:4::5:6:7:8",
        "12345::1",
        long.as_str(),
    ] {
        assert!(!is_host(bad), "{bad:?}");
    }
    assert!(is_ws_path("/") && is_ws_path("/mqtt?x=1") && is_ws_path("/<b>\0"));
    for bad in ["", "mqtt", "/a b", "/a#b", "/a\u{2028}"] {
        assert!(!is_ws_path(bad), "{bad:?}");
    }
    let mut c = connection();
    c.path = format!("/{}", "a".repeat(MAX_PATH_CHARS));
    c.password = Some("p".repeat(MAX_PASSWORD_CHARS + 1));
    let fields: Vec<String> = connection_problems(&c)
        .into_iter()
        .map(|p| p.field)
        .collect();
    assert_eq!(fields, ["path", "password"]);
}

#[test]
fn connection_url_brackets_ipv6_and_adds_the_slash() {
    let mut c = connection();
    assert_eq!(c.url(), "ws://127.0.0.1:9001/");
    c.host = "::1".into();
    c.path = "mqtt".into();
    c.scheme = Scheme::Wss;
    assert_eq!(c.url(), "wss://[::1]:9001/mqtt");
}

#[test]
fn presets_match_the_course_notes() {
    let hive = BrokerPreset::by_id("hivemq").unwrap();
    assert_eq!(
        (hive.ws_port, hive.wss_port, hive.path),
        (8000, 8884, "/mqtt")
    );
    let mosq = BrokerPreset::by_id("mosquitto").unwrap();
    assert_eq!((mosq.ws_port, mosq.wss_port), (8080, 8081));
    // Every public broker listed takes unencrypted MQTT over TCP on the standard port.
    assert!(PRESETS.iter().all(|p| p.tcp_port == 1883));
    // shiftr.io documents a subset of 3.1.1 and nothing newer; the others speak 5.0 too.
    let versions: Vec<_> = PRESETS.iter().map(|p| (p.id, p.version)).collect();
    assert_eq!(
        versions,
        [
            ("mosquitto", MqttVersion::Auto),
            ("hivemq", MqttVersion::Auto),
            ("eclipse", MqttVersion::Auto),
            ("shiftr", MqttVersion::V3_1_1),
        ]
    );
}

#[test]
fn one_widget_is_checked_by_the_same_rules_with_relative_fields() {
    let mut w = sample().dashboards[0].widgets[0].clone();
    if let WidgetKind::Gauge(g) = &mut w.kind {
        g.binding.topic = String::new();
        g.min = 5.0;
        g.max = 1.0;
    }
    let fields: Vec<String> = widget_problems(&w).into_iter().map(|p| p.field).collect();
    assert_eq!(fields, ["binding.topic", "max"]);
    let mut c = connection();
    c.host = String::new();
    let fields: Vec<String> = connection_problems(&c)
        .into_iter()
        .map(|p| p.field)
        .collect();
    assert_eq!(fields, ["host"]);
}

#[test]
fn the_reader_follows_the_models_defaults_and_refusals() {
    let mut doc: serde_json::Value = serde_json::from_str(&to_json(&sample())).unwrap();
    // Optional and defaulted fields may be missing, and an optional one may be null.
    let conn = doc["connections"][0].as_object_mut().unwrap();
    conn.remove("session_expiry_secs");
    conn.remove("remember_password");
    conn.insert("username".into(), serde_json::Value::Null);
    let parsed = parse(&doc.to_string()).unwrap();
    assert_eq!(parsed.connections[0].session_expiry_secs, 0);
    assert!(!parsed.connections[0].remember_password);
    assert_eq!(parsed.connections[0].username, None);
    // A switch from before command expiries gets the default one.
    let mut d = doc.clone();
    d["dashboards"][0]["widgets"][1]
        .as_object_mut()
        .unwrap()
        .remove("expiry_secs")
        .expect("written");
    match &parse(&d.to_string()).unwrap().dashboards[0].widgets[1].kind {
        WidgetKind::Switch(s) => assert_eq!(s.expiry_secs, super::DEFAULT_EXPIRY_SECS),
        other => panic!("{other:?}"),
    }

    // Integers must be whole and in range; each refusal names its field.
    for (field, bad) in [
        ("port", serde_json::json!(70000)),
        ("port", serde_json::json!(1.5)),
        ("keep_alive_secs", serde_json::json!(-1)),
        ("clean_start", serde_json::json!("yes")),
        ("scheme", serde_json::json!("http")),
    ] {
        let mut d = doc.clone();
        d["connections"][0][field] = bad;
        assert_eq!(
            parse(&d.to_string()),
            Err(ConfigError::NotTablero {
                at: format!("connections[0].{field}")
            })
        );
    }
    let mut d = doc.clone();
    d["connections"][0].as_object_mut().unwrap().remove("host");
    assert_eq!(
        parse(&d.to_string()),
        Err(ConfigError::NotTablero {
            at: "connections[0].host".into()
        })
    );
    let mut d = doc.clone();
    d["dashboards"] = serde_json::json!({});
    assert_eq!(
        parse(&d.to_string()),
        Err(ConfigError::NotTablero {
            at: "dashboards".into()
        })
    );
}

/// Hostile files a user might be handed: each is refused with a typed error (worded by
/// `describe`), never a panic and never a half-read configuration.
#[test]
fn hostile_files_are_refused_in_words() {
    use crate::describe::config_error_text;
    use crate::i18n::Lang;
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let sample_text = to_json(&sample());
    let absurd = sample_text.replacen("\"max\": 50,", "\"max\": 1e999,", 1);
    let negative = sample_text.replacen("\"max_points\": 2000", "\"max_points\": -5", 1);
    let duplicated = sample_text.replacen("\"id\": \"hum\"", "\"id\": \"t\"", 1);
    let cases: [(&str, &str); 6] = [
        ("10,000-deep nesting", &deep),
        ("invalid JSON", "{\"version\": 1,"),
        ("a number beyond f64", &absurd),
        ("a negative size", &negative),
        ("duplicated widget ids", &duplicated),
        ("NaN is not JSON", "{\"version\": NaN}"),
    ];
    for (what, text) in cases {
        assert_ne!(text, sample_text, "{what}: the case must change the sample");
        let err = parse(text).expect_err(what);
        for lang in [Lang::Es, Lang::En] {
            let words = config_error_text(&err, lang);
            assert!(
                !words.is_empty() && !words.contains("{}"),
                "{what}: {words}"
            );
        }
    }
}

/// Written by hand (`write`): every string survives, quotes, backslashes and control
/// characters included, and the text is JSON any reader takes.
#[test]
fn strings_are_escaped_as_json_requires() {
    let mut config = sample();
    let hostile = "a\"b\\c\nd\te\u{1}f\u{1f}g\u{7f}h</script>ñ€😀\r";
    config.dashboards[0].name = hostile.into();
    config.connections[0].name = "\u{0}".into();
    let text = to_json(&config);
    let back: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(back["dashboards"][0]["name"], hostile);
    assert!(text.contains("\\u0001") && text.contains("\\u001f") && text.contains("\\u0000"));
    assert_eq!(parse(&text), Ok(config));
}

/// A switch's or a button's response topic (MQTT 5 request/response) is optional: written
/// only when set, read back as it was, missing in older files, and a topic name (a
/// wildcard is refused under its own field path).
#[test]
fn a_response_topic_round_trips_is_left_out_when_unset_and_is_a_topic_name() {
    let config = sample();
    let text = to_json(&config);
    assert!(text.contains("\"response_topic\": \"tablero/demo/relay/reply\""));
    assert!(text.contains("\"response_topic\": \"tablero/demo/bell/done\""));
    assert_eq!(parse(&text), Ok(config.clone()));

    let mut unset = config.clone();
    let at = |c: &Config, kind: &str| {
        c.dashboards[0]
            .widgets
            .iter()
            .position(|w| crate::widgets::Kind::of(&w.kind).tag() == kind)
            .unwrap()
    };
    let (switch, button) = (at(&config, "switch"), at(&config, "button"));
    for w in &mut unset.dashboards[0].widgets {
        match &mut w.kind {
            WidgetKind::Switch(s) => s.response_topic = None,
            WidgetKind::Button(b) => b.response_topic = None,
            _ => {}
        }
    }
    let text = to_json(&unset);
    assert!(!text.contains("response_topic"), "written only when set");
    assert_eq!(parse(&text), Ok(unset));

    let mut bad = config;
    if let WidgetKind::Switch(s) = &mut bad.dashboards[0].widgets[switch].kind {
        s.response_topic = Some("lamp/+/reply".into());
    }
    if let WidgetKind::Button(b) = &mut bad.dashboards[0].widgets[button].kind {
        b.response_topic = Some("bell/#".into());
    }
    let found = fields(parse(&to_json(&bad)).unwrap_err());
    assert_eq!(
        found.iter().map(|(f, _)| f.as_str()).collect::<Vec<_>>(),
        [
            format!("dashboards[0].widgets[{switch}].response_topic"),
            format!("dashboards[0].widgets[{button}].response_topic"),
        ]
    );
    assert!(
        found
            .iter()
            .all(|(_, e)| matches!(e, FieldError::TopicName(_)))
    );
}
