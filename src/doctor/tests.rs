use super::*;
use crate::config::{BrokerPreset, MqttVersion, demo_config, public_demo_config};
use crate::i18n::Lang;

fn connection(scheme: Scheme, host: &str, port: u16, path: &str) -> Connection {
    Connection {
        id: "c".into(),
        name: host.into(),
        preset: None,
        scheme,
        host: host.into(),
        port,
        path: path.into(),
        username: None,
        password: None,
        remember_password: false,
        client_id: "tablero-test".into(),
        mqtt_version: MqttVersion::Auto,
        keep_alive_secs: 30,
        clean_start: true,
        session_expiry_secs: 0,
        will: None,
    }
}

fn hivemq(scheme: Scheme) -> Connection {
    let p = BrokerPreset::by_id("hivemq").unwrap();
    Connection {
        preset: Some("hivemq".into()),
        ..connection(
            scheme,
            p.host,
            match scheme {
                Scheme::Ws => p.ws_port,
                Scheme::Wss => p.wss_port,
            },
            p.path,
        )
    }
}

fn local_page() -> Page {
    Page {
        https: false,
        host: "127.0.0.1".into(),
    }
}

fn pages_site() -> Page {
    Page {
        https: true,
        host: "someone.github.io".into(),
    }
}

fn unreachable(c: &Connection) -> LinkError {
    LinkError::Unreachable { url: c.url() }
}

/// The findings for a connection, a page and an error, with the given probes.
fn findings(
    c: &Connection,
    page: &Page,
    error: Option<&LinkError>,
    probes: Option<&Probes>,
) -> Vec<Finding> {
    diagnose(&Facts {
        connection: c,
        page,
        error,
        online: true,
        topics: &[],
        suggested_prefix: "tablero/k3j9x2",
        probes,
    })
}

fn keys(found: &[Finding]) -> Vec<&'static str> {
    found.iter().map(Finding::key).collect()
}

fn probes(sockets: &[(&str, Reach)], web: Reach) -> Probes {
    Probes {
        sockets: sockets.iter().map(|(p, r)| (p.to_string(), *r)).collect(),
        web,
        other_public: None,
    }
}

#[test]
fn mixed_content_names_the_presets_wss_port() {
    let c = hivemq(Scheme::Ws);
    let found = findings(&c, &pages_site(), Some(&LinkError::MixedContent), None);
    assert_eq!(
        found,
        [Finding::MixedContent {
            wss_port: Some(8884)
        }]
    );
    // Mosquitto's preset: its own wss port; found by the host when the preset id is gone.
    let mut c = connection(Scheme::Ws, "test.mosquitto.org", 8080, "/");
    assert_eq!(
        findings(&c, &pages_site(), Some(&LinkError::MixedContent), None),
        [Finding::MixedContent {
            wss_port: Some(8081)
        }]
    );
    // A custom broker: no port to name.
    c.host = "broker.example.com".into();
    assert_eq!(
        findings(&c, &pages_site(), Some(&LinkError::MixedContent), None),
        [Finding::MixedContent { wss_port: None }]
    );
}

#[test]
fn mixed_content_is_named_whatever_the_link_said_and_nothing_is_probed() {
    let c = hivemq(Scheme::Ws);
    let error = unreachable(&c);
    let facts = Facts {
        connection: &c,
        page: &pages_site(),
        error: Some(&error),
        online: true,
        topics: &[],
        suggested_prefix: "",
        probes: None,
    };
    assert_eq!(keys(&diagnose(&facts)), ["mixed-content"]);
    assert_eq!(plan(&facts), None, "ws:// from https is blocked: no probe");
    // Over http, ws is fine.
    let found = findings(&c, &local_page(), Some(&error), None);
    assert!(!keys(&found).contains(&"mixed-content"), "{found:?}");
}

#[test]
fn no_network_comes_first_and_alone() {
    let c = connection(Scheme::Ws, "127.0.0.1", 9001, "/");
    let error = unreachable(&c);
    let facts = Facts {
        connection: &c,
        page: &local_page(),
        error: Some(&error),
        online: false,
        topics: &[],
        suggested_prefix: "",
        probes: None,
    };
    assert_eq!(diagnose(&facts), [Finding::NoNetwork]);
    assert_eq!(plan(&facts), None);
}

#[test]
fn the_plan_probes_the_configured_path_then_the_common_ones_at_the_same_port() {
    let c = connection(Scheme::Ws, "127.0.0.1", 9001, "/ws");
    let error = unreachable(&c);
    let facts = Facts {
        connection: &c,
        page: &local_page(),
        error: Some(&error),
        online: true,
        topics: &[],
        suggested_prefix: "",
        probes: None,
    };
    let plan = plan(&facts).unwrap();
    assert_eq!(
        plan.sockets,
        [
            ("/ws".to_string(), "ws://127.0.0.1:9001/ws".to_string()),
            ("/mqtt".into(), "ws://127.0.0.1:9001/mqtt".into()),
            ("/".into(), "ws://127.0.0.1:9001/".into()),
        ]
    );
    assert_eq!(plan.web, "http://127.0.0.1:9001/");
    assert_eq!(plan.other_public, None, "a host that is no preset");
    // The configured path is not tried twice; wss asks https; IPv6 in brackets.
    let c = connection(Scheme::Wss, "::1", 8884, "/mqtt");
    let plan = super::plan(&Facts {
        connection: &c,
        ..facts
    })
    .unwrap();
    let paths: Vec<&str> = plan.sockets.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(paths, ["/mqtt", "/"]);
    assert_eq!(plan.sockets[0].1, "wss://[::1]:8884/mqtt");
    assert_eq!(plan.web, "https://[::1]:8884/");
}

#[test]
fn only_a_public_preset_may_lead_to_another_public_host() {
    let c = hivemq(Scheme::Wss);
    let error = unreachable(&c);
    let facts = Facts {
        connection: &c,
        page: &pages_site(),
        error: Some(&error),
        online: true,
        topics: &[],
        suggested_prefix: "",
        probes: None,
    };
    let plan = plan(&facts).unwrap();
    let other = plan.other_public.clone().unwrap();
    assert!(other.starts_with("https://"), "{other}");
    assert!(!other.contains("hivemq"), "another broker: {other}");
    assert!(
        PRESETS
            .iter()
            .any(|p| other == format!("https://{}:{}/", p.host, p.wss_port))
    );
    // Asked only when nothing answered at the configured host.
    let sockets = vec![("/mqtt".to_string(), Reach::Fails)];
    assert!(wants_other_public(&plan, &sockets, Reach::Fails));
    assert!(!wants_other_public(&plan, &sockets, Reach::Answers));
    let opened = vec![("/mqtt".to_string(), Reach::Answers)];
    assert!(!wants_other_public(&plan, &opened, Reach::Fails));
}

#[test]
fn a_refused_port_is_named_with_its_address() {
    let c = connection(Scheme::Ws, "127.0.0.1", 45123, "/");
    let error = unreachable(&c);
    let seen = probes(
        &[("/", Reach::Fails), ("/mqtt", Reach::Fails)],
        Reach::Fails,
    );
    assert_eq!(
        findings(&c, &local_page(), Some(&error), Some(&seen)),
        [Finding::NothingAnswers {
            address: "127.0.0.1:45123".into(),
            silent: false,
        }]
    );
    // Before the probes are in, nothing is claimed.
    assert_eq!(findings(&c, &local_page(), Some(&error), None), []);
    // Everything silent: a timeout, not a refusal.
    let silent = probes(
        &[("/", Reach::Silent), ("/mqtt", Reach::Silent)],
        Reach::Silent,
    );
    assert_eq!(
        keys(&findings(&c, &local_page(), Some(&error), Some(&silent))),
        ["timeout"]
    );
}

#[test]
fn with_the_link_trying_again_the_probes_alone_tell() {
    // The dialog opened while an attempt was under way: no error to go by.
    let c = connection(Scheme::Ws, "127.0.0.1", 45123, "/");
    assert_eq!(findings(&c, &local_page(), None, None), []);
    let refused = probes(
        &[("/", Reach::Fails), ("/mqtt", Reach::Fails)],
        Reach::Fails,
    );
    assert_eq!(
        keys(&findings(&c, &local_page(), None, Some(&refused))),
        ["refused"]
    );
    let opens = probes(
        &[("/", Reach::Answers), ("/mqtt", Reach::Answers)],
        Reach::Answers,
    );
    assert_eq!(
        keys(&findings(&c, &local_page(), None, Some(&opens))),
        ["answers-now"]
    );
}

#[test]
fn a_wrong_path_names_the_path_that_answers() {
    let c = connection(Scheme::Ws, "127.0.0.1", 45123, "/");
    let error = unreachable(&c);
    let seen = probes(
        &[("/", Reach::Fails), ("/mqtt", Reach::Answers)],
        Reach::Answers,
    );
    assert_eq!(
        findings(&c, &local_page(), Some(&error), Some(&seen)),
        [Finding::WrongPath {
            url: "ws://127.0.0.1:45123/".into(),
            path: "/mqtt".into(),
        }]
    );
}

#[test]
fn a_web_server_that_does_not_speak_mqtt_is_told_from_nothing_answering() {
    let c = connection(Scheme::Ws, "127.0.0.1", 8080, "/mqtt");
    let error = unreachable(&c);
    let seen = probes(
        &[("/mqtt", Reach::Fails), ("/", Reach::Fails)],
        Reach::Answers,
    );
    assert_eq!(
        findings(&c, &local_page(), Some(&error), Some(&seen)),
        [Finding::NotMqtt {
            address: "127.0.0.1:8080".into()
        }]
    );
}

#[test]
fn a_socket_that_opens_now_or_opens_without_mqtt() {
    let c = connection(Scheme::Ws, "127.0.0.1", 9001, "/");
    let seen = probes(
        &[("/", Reach::Answers), ("/mqtt", Reach::Answers)],
        Reach::Answers,
    );
    let error = unreachable(&c);
    assert_eq!(
        keys(&findings(&c, &local_page(), Some(&error), Some(&seen))),
        ["answers-now"]
    );
    assert_eq!(
        findings(
            &c,
            &local_page(),
            Some(&LinkError::ConnectTimeout),
            Some(&seen)
        ),
        [Finding::NoMqttAnswer {
            url: "ws://127.0.0.1:9001/".into()
        }]
    );
}

#[test]
fn tls_is_suspected_over_wss_to_a_broker_of_ones_own() {
    let c = connection(Scheme::Wss, "192.168.1.20", 8884, "/mqtt");
    let error = unreachable(&c);
    let seen = probes(
        &[("/mqtt", Reach::Fails), ("/", Reach::Fails)],
        Reach::Fails,
    );
    let page = Page {
        https: false,
        host: "192.168.1.5".into(),
    };
    assert_eq!(
        findings(&c, &page, Some(&error), Some(&seen)),
        [
            Finding::NothingAnswers {
                address: "192.168.1.20:8884".into(),
                silent: false
            },
            Finding::Tls {
                url: "https://192.168.1.20:8884/".into()
            }
        ]
    );
}

#[test]
fn a_public_broker_down_is_told_from_no_internet() {
    let c = hivemq(Scheme::Wss);
    let error = unreachable(&c);
    let mut seen = probes(
        &[("/mqtt", Reach::Fails), ("/", Reach::Fails)],
        Reach::Fails,
    );
    seen.other_public = Some(Reach::Answers);
    let found = findings(&c, &pages_site(), Some(&error), Some(&seen));
    assert_eq!(
        keys(&found),
        ["refused", "broker-down"],
        "no TLS note for a preset"
    );
    assert!(found.contains(&Finding::BrokerDown {
        host: "broker.hivemq.com".into()
    }));
    seen.other_public = Some(Reach::Silent);
    assert_eq!(
        keys(&findings(&c, &pages_site(), Some(&error), Some(&seen))),
        ["refused", "no-internet"]
    );
}

#[test]
fn local_addresses_from_a_public_page_get_the_local_network_note() {
    for host in [
        "127.0.0.1",
        "127.8.9.10",
        "10.0.0.7",
        "192.168.1.20",
        "172.16.0.1",
        "172.31.255.254",
        "169.254.3.4",
        "localhost",
        "LOCALHOST",
        "raspberrypi.local",
        "pi.home.arpa",
        "mosquitto",
        "::1",
        "[::1]",
        "fd12:3456::1",
        "fe80::1",
    ] {
        assert!(is_local_host(host), "{host}");
        let c = connection(Scheme::Wss, host, 8884, "/mqtt");
        let error = unreachable(&c);
        let found = findings(&c, &pages_site(), Some(&error), None);
        assert_eq!(
            found.first(),
            Some(&Finding::LocalNetwork { host: host.into() }),
            "{host}"
        );
    }
    for host in [
        "172.15.0.1",
        "172.32.0.1",
        "8.8.8.8",
        "broker.hivemq.com",
        "2001:db8::1",
        "11.0.0.1",
    ] {
        assert!(!is_local_host(host), "{host}");
    }
    // A page on the local network itself (make run, a Raspberry Pi) is asked nothing.
    let c = connection(Scheme::Ws, "192.168.1.20", 9001, "/");
    let error = unreachable(&c);
    for page_host in ["127.0.0.1", "localhost", "192.168.1.5", "tablero.local"] {
        let page = Page {
            https: false,
            host: page_host.into(),
        };
        let found = findings(&c, &page, Some(&error), None);
        assert!(!keys(&found).contains(&"local-network"), "{page_host}");
    }
    // Nor a public broker.
    let c = hivemq(Scheme::Wss);
    let error = unreachable(&c);
    let found = findings(&c, &pages_site(), Some(&error), None);
    assert!(!keys(&found).contains(&"local-network"), "{found:?}");
}

#[test]
fn close_codes_are_grouped_by_what_to_do() {
    let c = connection(Scheme::Ws, "127.0.0.1", 9001, "/");
    for (code, kind) in [
        (1000, CloseKind::Normal),
        (1005, CloseKind::Normal),
        (1001, CloseKind::GoingAway),
        (1012, CloseKind::GoingAway),
        (1013, CloseKind::GoingAway),
        (1002, CloseKind::Protocol),
        (1003, CloseKind::Protocol),
        (1007, CloseKind::Protocol),
        (1010, CloseKind::Protocol),
        (1006, CloseKind::Abnormal),
        (1008, CloseKind::Policy),
        (1009, CloseKind::TooBig),
        (1011, CloseKind::ServerError),
        (1014, CloseKind::BadGateway),
        (1015, CloseKind::Tls),
        (4000, CloseKind::Other),
        (3000, CloseKind::Other),
    ] {
        assert_eq!(close_kind(code), kind, "{code}");
        assert_eq!(
            findings(&c, &local_page(), Some(&LinkError::Closed { code }), None),
            [Finding::Closed { code }]
        );
    }
    // A closed socket opened: nothing to probe.
    let error = LinkError::Closed { code: 1006 };
    let facts = Facts {
        connection: &c,
        page: &local_page(),
        error: Some(&error),
        online: true,
        topics: &[],
        suggested_prefix: "",
        probes: None,
    };
    assert_eq!(plan(&facts), None);
}

#[test]
fn connack_refusals_carry_their_reason_and_a_fix() {
    let c = connection(Scheme::Ws, "127.0.0.1", 9001, "/");
    let error = LinkError::Refused {
        reason: ReasonCode::NotAuthorized,
        detail: Some("acl".into()),
    };
    assert_eq!(
        findings(&c, &local_page(), Some(&error), None),
        [Finding::Refused {
            reason: ReasonCode::NotAuthorized,
            detail: Some("acl".into())
        }]
    );
    use ReasonCode as R;
    for (reason, fix) in [
        (R::BadUserNameOrPassword, ReasonFix::Credentials),
        (R::BadAuthenticationMethod, ReasonFix::Credentials),
        (R::NotAuthorized, ReasonFix::NotAuthorized),
        (R::ClientIdentifierNotValid, ReasonFix::ClientId),
        (R::UnsupportedProtocolVersion, ReasonFix::Version),
        (R::ServerUnavailable, ReasonFix::Later),
        (R::ServerBusy, ReasonFix::Later),
        (R::QuotaExceeded, ReasonFix::Later),
        (R::ConnectionRateExceeded, ReasonFix::Later),
        (R::Banned, ReasonFix::Banned),
        (R::UseAnotherServer, ReasonFix::OtherServer),
        (R::ServerMoved, ReasonFix::OtherServer),
        (R::UnspecifiedError, ReasonFix::BrokerLog),
        (R::ImplementationSpecificError, ReasonFix::BrokerLog),
    ] {
        assert_eq!(reason_fix(reason), fix, "{reason:?}");
    }
    // 3.1.1 return codes 1 to 5 arrive as their 5.0 codes, each with its own fix.
    let fixes: Vec<ReasonFix> = (1..=5)
        .map(|rc| reason_fix(ReasonCode::from_v3_connack(rc).unwrap()))
        .collect();
    assert_eq!(
        fixes,
        [
            ReasonFix::Version,
            ReasonFix::ClientId,
            ReasonFix::Later,
            ReasonFix::Credentials,
            ReasonFix::NotAuthorized
        ]
    );
}

#[test]
fn every_other_link_error_has_a_finding_of_its_own() {
    let c = connection(Scheme::Ws, "127.0.0.1", 9001, "/");
    for (error, finding) in [
        (LinkError::KeepAliveTimeout, Finding::KeepAlive),
        (LinkError::TextFrame, Finding::TextFrame),
        (LinkError::InvalidSettings, Finding::InvalidSettings),
        (
            LinkError::BadUrl("x".into()),
            Finding::BadUrl { why: "x".into() },
        ),
        (
            LinkError::Protocol(ReasonCode::ProtocolError),
            Finding::Protocol {
                reason: ReasonCode::ProtocolError,
            },
        ),
        (
            LinkError::ServerDisconnect {
                reason: ReasonCode::SessionTakenOver,
                detail: None,
            },
            Finding::Disconnected {
                reason: ReasonCode::SessionTakenOver,
                detail: None,
            },
        ),
        (
            LinkError::VersionRefused(VersionRefusal::ClosedAfterConnect),
            Finding::NoV5 { maybe: true },
        ),
        (
            LinkError::VersionRefused(VersionRefusal::OlderConnAck { return_code: 1 }),
            Finding::NoV5 { maybe: false },
        ),
        (
            LinkError::BrokerLimit {
                size: 300,
                maximum: 128,
            },
            Finding::BrokerLimit {
                size: 300,
                maximum: 128,
            },
        ),
    ] {
        assert_eq!(findings(&c, &local_page(), Some(&error), None), [finding]);
    }
    assert_eq!(
        reason_fix(ReasonCode::SessionTakenOver),
        ReasonFix::TakenOver
    );
}

#[test]
fn personal_prefixes_are_told_from_guessable_topics() {
    for topic in [
        "tablero/k3j9x2/relay/set",
        "tablero/abcdef/temperature",
        "casa-7f3k9q/luz",
        "a1b2c3d4/sensors/#",
        "home/esp32-4f9a1c/lamp",
    ] {
        assert!(has_personal_prefix(topic), "{topic}");
    }
    for topic in [
        "tablero/demo/relay/set",
        "casa/sala/luz",
        "home/esp32/lamp",
        "sensor12",
        "#",
        "+/temperature",
        "tablero/k3j9x2",
        "livingroom/lamp",
        "",
    ] {
        assert!(!has_personal_prefix(topic), "{topic}");
    }
}

/// Every topic a configuration's connection uses, as the dialog collects them.
fn topics_of(config: &crate::config::Config, connection: &str) -> Vec<String> {
    connection_topics(config, connection)
}

#[test]
fn a_public_broker_without_a_prefix_is_anyone_can_switch_your_lamp() {
    let preset = BrokerPreset::by_id("hivemq").unwrap();
    // The demo's topics on a public broker: no prefix of one's own.
    let mut config = demo_config(
        "id".into(),
        preset.host.into(),
        8000,
        "/mqtt".into(),
        Lang::En,
    );
    let topics = topics_of(&config, "local");
    assert!(
        topics.contains(&"tablero/demo/relay/set".to_string()),
        "{topics:?}"
    );
    let c = config.connections[0].clone();
    let found = diagnose(&Facts {
        connection: &c,
        page: &local_page(),
        error: None,
        online: true,
        topics: &topics,
        suggested_prefix: "tablero/k3j9x2",
        probes: None,
    });
    assert_eq!(found.len(), 1, "{found:?}");
    let Finding::PublicNoPrefix {
        host,
        topic,
        suggestion,
    } = &found[0]
    else {
        panic!("{found:?}")
    };
    assert_eq!(host, "broker.hivemq.com");
    assert!(topic.starts_with("tablero/demo/"), "{topic}");
    assert_eq!(suggestion, "tablero/k3j9x2");
    // The same with a failure: the warning comes after the cause.
    let error = unreachable(&c);
    let found = diagnose(&Facts {
        connection: &c,
        page: &local_page(),
        error: Some(&error),
        online: true,
        topics: &topics,
        suggested_prefix: "tablero/k3j9x2",
        probes: Some(&probes(&[("/mqtt", Reach::Fails)], Reach::Fails)),
    });
    assert_eq!(keys(&found).last(), Some(&"public-no-prefix"));
    // A broker of one's own: no warning, whatever the topics.
    config.connections[0].host = "127.0.0.1".into();
    let c = config.connections[0].clone();
    assert_eq!(
        findings(&c, &local_page(), None, None),
        [],
        "nothing to say about a healthy local connection"
    );
    // The public demo (a random prefix of its own) is not warned about.
    let public = public_demo_config("id".into(), preset, "tablero/q8z2m1", Lang::Es);
    let topics = topics_of(&public, "public");
    assert!(!topics.is_empty());
    let found = diagnose(&Facts {
        connection: &public.connections[0],
        page: &pages_site(),
        error: None,
        online: true,
        topics: &topics,
        suggested_prefix: "tablero/k3j9x2",
        probes: None,
    });
    assert_eq!(found, []);
}

#[test]
fn the_last_will_topic_counts_too() {
    let preset = BrokerPreset::by_id("mosquitto").unwrap();
    let mut config = public_demo_config("id".into(), preset, "tablero/q8z2m1", Lang::Es);
    config.connections[0].will = Some(crate::config::LastWill {
        topic: "casa/estado".into(),
        payload: "offline".into(),
        qos: crate::config::Qos::AtLeastOnce,
        retain: true,
    });
    let topics = topics_of(&config, "public");
    assert!(topics.contains(&"casa/estado".to_string()), "{topics:?}");
    let found = diagnose(&Facts {
        connection: &config.connections[0],
        page: &pages_site(),
        error: None,
        online: true,
        topics: &topics,
        suggested_prefix: "tablero/k3j9x2",
        probes: None,
    });
    assert_eq!(keys(&found), ["public-no-prefix"]);
}

#[test]
fn every_finding_has_a_distinct_key() {
    let all = [
        Finding::NoNetwork,
        Finding::MixedContent { wss_port: None },
        Finding::LocalNetwork { host: "h".into() },
        Finding::AnswersNow { url: "u".into() },
        Finding::WrongPath {
            url: "u".into(),
            path: "/".into(),
        },
        Finding::NotMqtt {
            address: "a".into(),
        },
        Finding::NothingAnswers {
            address: "a".into(),
            silent: false,
        },
        Finding::NothingAnswers {
            address: "a".into(),
            silent: true,
        },
        Finding::Tls { url: "u".into() },
        Finding::BrokerDown { host: "h".into() },
        Finding::NoInternet,
        Finding::Closed { code: 1006 },
        Finding::Refused {
            reason: ReasonCode::NotAuthorized,
            detail: None,
        },
        Finding::NoMqttAnswer { url: "u".into() },
        Finding::Disconnected {
            reason: ReasonCode::SessionTakenOver,
            detail: None,
        },
        Finding::Protocol {
            reason: ReasonCode::ProtocolError,
        },
        Finding::KeepAlive,
        Finding::TextFrame,
        Finding::NoV5 { maybe: false },
        Finding::BrokerLimit {
            size: 1,
            maximum: 1,
        },
        Finding::BadUrl { why: "x".into() },
        Finding::InvalidSettings,
        Finding::PublicNoPrefix {
            host: "h".into(),
            topic: "t".into(),
            suggestion: "s".into(),
        },
    ];
    let mut keys: Vec<&str> = all.iter().map(Finding::key).collect();
    keys.sort_unstable();
    keys.dedup();
    assert_eq!(keys.len(), all.len());
}
