//! CONNECT contents, CONNACK handling, refusals, connect timeout.
mod common;

use common::*;
use mqtt_codec_wasm::{Packet, PacketType, Property, ProtocolVersion, QoS, ReasonCode};
use mqtt_session::{
    ConnectionLostCause, Error, Event, LastWill, Millis, Properties, RETRY_FRESH_MS,
    SessionOptions, State,
};

#[test]
fn connect_carries_v5_options() {
    let mut o = opts(ProtocolVersion::V5);
    o.clean_start = false;
    o.session_expiry_interval = 3600;
    o.receive_maximum = 20;
    o.maximum_packet_size = Some(4096);
    o.topic_alias_maximum = 8;
    o.request_problem_information = false;
    o.user_properties = vec![("app".into(), "tablero".into())];
    o.username = Some("u".into());
    o.password = Some(Bytes::from_static(b"p"));
    o.will = Some(LastWill {
        topic: "status/tablero".into(),
        payload: Bytes::from_static(b"offline"),
        qos: QoS::AtLeastOnce,
        retain: true,
        delay_interval: 5,
        properties: props(vec![Property::ContentType("text/plain".into())]),
    });
    let mut h = Harness::new(o);
    let Packet::Connect(c) = h.open() else {
        panic!("CONNECT expected")
    };
    assert_eq!(c.client_id, "tablero-test");
    assert!(!c.clean_start);
    assert_eq!(c.keep_alive, 10);
    assert_eq!(c.username.as_deref(), Some("u"));
    assert_eq!(c.password.as_deref(), Some(&b"p"[..]));
    let p = &c.properties.0;
    assert!(p.contains(&Property::SessionExpiryInterval(3600)));
    assert!(p.contains(&Property::ReceiveMaximum(20)));
    assert!(p.contains(&Property::MaximumPacketSize(4096)));
    assert!(p.contains(&Property::TopicAliasMaximum(8)));
    assert!(p.contains(&Property::RequestProblemInformation(0)));
    assert!(p.contains(&Property::UserProperty("app".into(), "tablero".into())));
    let will = c.will.expect("will");
    assert_eq!(will.topic, "status/tablero");
    assert!(will.retain);
    assert!(will.properties.0.contains(&Property::WillDelayInterval(5)));
    assert!(
        will.properties
            .0
            .contains(&Property::ContentType("text/plain".into()))
    );
    assert_eq!(h.s.state(), State::Connecting);
}

#[test]
fn connect_v311_has_no_properties() {
    let mut o = opts(ProtocolVersion::V3_1_1);
    o.session_expiry_interval = 3600;
    o.receive_maximum = 20;
    let mut h = Harness::new(o);
    let Packet::Connect(c) = h.open() else {
        panic!()
    };
    assert!(c.properties.0.is_empty());
    assert_eq!(c.version, ProtocolVersion::V3_1_1);
}

#[test]
fn invalid_options_are_rejected_up_front() {
    let mut o = opts(ProtocolVersion::V3_1_1);
    o.password = Some(Bytes::from_static(b"p"));
    assert!(matches!(
        mqtt_session::Session::new(o),
        Err(Error::InvalidOptions(_))
    ));
    let mut o = opts(ProtocolVersion::V3_1_1);
    o.client_id.clear();
    o.clean_start = false;
    assert!(matches!(
        mqtt_session::Session::new(o),
        Err(Error::InvalidOptions(_))
    ));
    let mut o = opts(ProtocolVersion::V5);
    o.receive_maximum = 0;
    assert!(mqtt_session::Session::new(o).is_err());
    let mut o = opts(ProtocolVersion::V5);
    o.will = Some(LastWill {
        topic: "bad/#".into(),
        payload: Bytes::new(),
        qos: QoS::AtMostOnce,
        retain: false,
        delay_interval: 0,
        properties: Properties::default(),
    });
    assert!(matches!(
        mqtt_session::Session::new(o),
        Err(Error::InvalidTopic(_))
    ));
}

#[test]
fn connack_limits_are_applied() {
    let mut h = Harness::v5();
    h.open();
    h.connack(
        false,
        props(vec![
            Property::ReceiveMaximum(3),
            Property::MaximumPacketSize(200),
            Property::TopicAliasMaximum(4),
            Property::MaximumQoS(1),
            Property::RetainAvailable(0),
            Property::WildcardSubscriptionAvailable(0),
            Property::SharedSubscriptionAvailable(0),
            Property::SubscriptionIdentifierAvailable(0),
            Property::ServerKeepAlive(30),
            Property::ReasonString("welcome".into()),
        ]),
    );
    let ev = h.events();
    let Some(Event::Connected {
        keep_alive,
        limits,
        reason_string,
        session_present,
        ..
    }) = ev.first()
    else {
        panic!("{ev:?}")
    };
    assert!(!session_present);
    assert_eq!(*keep_alive, 30);
    assert_eq!(reason_string.as_deref(), Some("welcome"));
    assert_eq!(limits.receive_maximum, 3);
    assert_eq!(h.s.limits().maximum_packet_size, Some(200));
    assert_eq!(h.s.keep_alive(), 30);
    assert_eq!(h.s.send_quota(), 3);

    let big = Bytes::from(vec![0u8; 300]);
    assert!(matches!(
        h.s.publish("t", big, QoS::AtMostOnce, false, Properties::default()),
        Err(Error::PacketTooLarge { maximum: 200, .. })
    ));
    assert!(matches!(
        h.s.publish(
            "t",
            Bytes::new(),
            QoS::ExactlyOnce,
            false,
            Properties::default()
        ),
        Err(Error::QoSNotSupported { .. })
    ));
    assert_eq!(
        h.s.publish(
            "t",
            Bytes::new(),
            QoS::AtMostOnce,
            true,
            Properties::default()
        ),
        Err(Error::RetainNotSupported)
    );
    let so = mqtt_session::SubscriptionOptions::qos(QoS::AtMostOnce);
    assert_eq!(
        h.s.subscribe([("a/+", so)], Properties::default()),
        Err(Error::WildcardSubscriptionsNotSupported)
    );
    assert_eq!(
        h.s.subscribe([("$share/g/a", so)], Properties::default()),
        Err(Error::SharedSubscriptionsNotSupported)
    );
    assert_eq!(
        h.s.subscribe(
            [("a", so)],
            props(vec![Property::SubscriptionIdentifier(1)])
        ),
        Err(Error::SubscriptionIdentifiersNotSupported)
    );
    assert!(h.sent().is_empty(), "nothing refused was sent");
    // The server's keep alive governs the ping: 30 s, not our 10 s.
    assert_eq!(h.s.poll_timeout(), Some(h.now.plus_ms(30_000)));
}

#[test]
fn assigned_client_identifier_is_used_for_reconnects() {
    let mut o = opts(ProtocolVersion::V5);
    o.client_id.clear();
    let mut h = Harness::new(o);
    let Packet::Connect(c) = h.open() else {
        panic!()
    };
    assert_eq!(c.client_id, "");
    h.connack(
        false,
        props(vec![Property::AssignedClientIdentifier("auto-42".into())]),
    );
    let ev = h.events();
    assert!(
        matches!(&ev[0], Event::Connected { assigned_client_id: Some(id), .. } if id == "auto-42")
    );
    assert_eq!(h.s.client_id(), "auto-42");
    h.lose();
    let Packet::Connect(c) = h.open() else {
        panic!()
    };
    assert_eq!(c.client_id, "auto-42");
}

/// Every reason code 5.0 table 2-6 allows in CONNACK that reports a failure.
fn v5_refusal_codes() -> Vec<ReasonCode> {
    (0x80..=0xFFu8)
        .filter_map(ReasonCode::from_u8)
        .filter(|c| c.allowed_in(PacketType::ConnAck))
        .collect()
}

#[test]
fn connect_refused_with_each_v5_reason_code() {
    let codes = v5_refusal_codes();
    // 5.0 section 3.2.2.2: 0x80-0x8A, 0x8C, 0x90, 0x95, 0x97, 0x99-0x9D, 0x9F.
    let bytes: Vec<u8> = codes.iter().map(|c| c.as_u8()).collect();
    assert_eq!(
        bytes,
        [
            0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8A, 0x8C, 0x90, 0x95,
            0x97, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9F
        ]
    );
    for code in codes {
        let mut h = Harness::v5();
        h.open();
        h.send(connack(
            code,
            false,
            props(vec![
                Property::ReasonString(format!("no: {code:?}")),
                Property::ServerReference("other:1883".into()),
            ]),
        ));
        let ev = h.events();
        assert_eq!(
            ev,
            vec![Event::ConnectionRefused {
                reason: code,
                reason_string: Some(format!("no: {code:?}")),
                server_reference: Some("other:1883".into()),
            }],
            "{code:?}"
        );
        let permanent = matches!(
            code,
            ReasonCode::UnsupportedProtocolVersion
                | ReasonCode::ClientIdentifierNotValid
                | ReasonCode::BadUserNameOrPassword
                | ReasonCode::NotAuthorized
                | ReasonCode::Banned
                | ReasonCode::BadAuthenticationMethod
        );
        if permanent {
            assert_eq!(h.s.state(), State::Disconnected, "{code:?}");
            assert_eq!(h.s.poll_timeout(), None);
        } else {
            assert!(
                matches!(h.s.state(), State::WaitingToReconnect { .. }),
                "{code:?}"
            );
        }
        // The connection is over: later bytes are ignored, nothing is sent.
        h.send(puback(1));
        assert!(h.events().is_empty());
        assert!(h.sent().is_empty());
    }
}

#[test]
fn connect_refused_with_each_v311_return_code() {
    let expected = [
        (1u8, ReasonCode::UnsupportedProtocolVersion),
        (2, ReasonCode::ClientIdentifierNotValid),
        (3, ReasonCode::ServerUnavailable),
        (4, ReasonCode::BadUserNameOrPassword),
        (5, ReasonCode::NotAuthorized),
    ];
    for (code, reason) in expected {
        let mut h = Harness::v311();
        h.open();
        // Raw bytes, as a 3.1.1 broker writes them: type 2, length 2, flags, return code.
        h.send_bytes(&[0x20, 0x02, 0x00, code]);
        assert_eq!(
            h.events(),
            vec![Event::ConnectionRefused {
                reason,
                reason_string: None,
                server_reference: None
            }],
            "return code {code}"
        );
        assert_ne!(h.s.state(), State::Connected);
    }
}

#[test]
fn v311_connack_accepted_from_raw_bytes() {
    let mut h = Harness::v311();
    h.open();
    h.send_bytes(&[0x20, 0x02, 0x00, 0x00]);
    assert!(matches!(
        h.events()[0],
        Event::Connected {
            session_present: false,
            ..
        }
    ));
    assert_eq!(h.s.state(), State::Connected);
}

#[test]
fn connack_split_across_reads() {
    let mut h = Harness::v311();
    h.open();
    for b in [0x20u8, 0x02, 0x00, 0x00] {
        assert_eq!(h.s.state(), State::Connecting);
        h.send_bytes(&[b]);
    }
    assert_eq!(h.s.state(), State::Connected);
}

#[test]
fn connect_timeout_ends_the_attempt() {
    let mut o = opts(ProtocolVersion::V5);
    o.connect_timeout = core::time::Duration::from_secs(5);
    let mut h = Harness::new(o);
    h.open();
    assert_eq!(h.s.poll_timeout(), Some(h.now.plus_ms(5_000)));
    h.advance();
    assert_eq!(
        h.events(),
        vec![Event::ConnectionLost {
            cause: ConnectionLostCause::ConnectTimeout
        }]
    );
    let State::WaitingToReconnect { until } = h.s.state() else {
        panic!()
    };
    // First wait: full jitter under the 1 s ceiling.
    assert!(until.since(h.now) <= 1_000);
    h.advance();
    assert_eq!(h.events(), vec![Event::ReconnectDue]);
    assert_eq!(h.s.poll_timeout(), None, "signalled once, then quiet");
    h.open();
    h.connack(false, Properties::default());
    assert_eq!(h.s.state(), State::Connected);
}

#[test]
fn disconnect_by_user_sends_disconnect_and_stops() {
    let mut h = Harness::v5();
    h.connected();
    h.s.disconnect(h.now, ReasonCode::DisconnectWithWillMessage);
    let sent = h.sent();
    assert!(
        matches!(&sent[..], [Packet::Disconnect(d)] if d.reason == ReasonCode::DisconnectWithWillMessage)
    );
    assert_eq!(h.s.state(), State::Disconnected);
    assert_eq!(h.s.poll_timeout(), None);
    assert!(h.events().is_empty());
}

#[test]
fn no_reconnect_when_turned_off() {
    let mut o = opts(ProtocolVersion::V5);
    o.auto_reconnect = false;
    let mut h = Harness::new(o);
    h.connected();
    h.lose();
    assert_eq!(h.s.state(), State::Disconnected);
    assert_eq!(h.s.poll_timeout(), None);
}

#[test]
fn retry_now_cuts_the_wait_short() {
    let mut h = Harness::v5();
    h.connected();
    h.lose();
    assert!(matches!(h.s.state(), State::WaitingToReconnect { .. }));
    let _ = h.events();
    h.now = h.now.plus_ms(1);
    h.s.retry_now(h.now);
    assert_eq!(h.events(), vec![Event::ReconnectDue]);
    assert_eq!(h.s.state(), State::WaitingToReconnect { until: h.now });
}

/// A page resumed from a freeze calls retry-now while the session still thinks it is
/// connected, and learns a moment later that the broker dropped the socket meanwhile: that
/// loss is retried at once, not after a backoff wait. A later loss waits again.
#[test]
fn a_loss_right_after_retry_now_while_connected_reconnects_at_once() {
    let mut h = Harness::v5();
    h.connected();
    h.s.retry_now(h.now);
    assert!(
        h.events().is_empty(),
        "nothing to cut short while connected"
    );
    h.now = h.now.plus_ms(RETRY_FRESH_MS - 1);
    h.lose();
    assert_eq!(h.s.state(), State::WaitingToReconnect { until: h.now });
    assert_eq!(h.s.poll_timeout(), Some(h.now));
    h.s.handle_timeout(h.now);
    assert!(h.events().contains(&Event::ReconnectDue));

    // Connected again, then lost with no retry-now: the backoff applies (and the window of
    // the earlier retry-now was used up).
    let mut h = Harness::v5();
    h.connected();
    h.s.retry_now(h.now);
    h.now = h.now.plus_ms(RETRY_FRESH_MS + 1);
    h.lose();
    let mut waits = 0;
    for _ in 0..20 {
        let _ = h.events();
        h.connected();
        h.lose();
        let State::WaitingToReconnect { until } = h.s.state() else {
            panic!("{:?}", h.s.state())
        };
        waits += u64::from(until > h.now);
    }
    assert!(waits > 0, "later losses wait out the backoff");
}

#[test]
fn session_never_reads_a_clock() {
    // The same script at two different origins produces the same deadlines, shifted.
    let deadlines = |origin: u64| {
        let mut h = Harness::v5();
        h.now = Millis(origin);
        h.connected();
        let a = h.s.poll_timeout().unwrap().since(Millis(origin));
        h.lose();
        let State::WaitingToReconnect { until } = h.s.state() else {
            panic!()
        };
        (a, until.since(Millis(origin)))
    };
    assert_eq!(deadlines(0), deadlines(1 << 40));
}

#[test]
fn options_default_is_sane() {
    let o = SessionOptions::new(ProtocolVersion::V5, "x");
    assert_eq!(o.receive_maximum, u16::MAX);
    assert!(o.auto_reconnect);
}

/// A SUBSCRIBE made before CONNACK that the server's Maximum Packet Size rules out is not
/// sent [MQTT-3.1.2-24]: it fails with an event, and not even a DISCONNECT (2 bytes) goes to
/// a server that accepts 1 byte.
#[test]
fn a_subscribe_larger_than_the_servers_maximum_fails_instead_of_being_sent() {
    let mut h = Harness::v5();
    let id =
        h.s.subscribe(
            vec![(
                "sensors/temperature",
                mqtt_session::SubscriptionOptions::qos(QoS::AtLeastOnce),
            )],
            Properties::default(),
        )
        .expect("subscribe before connecting");
    h.open();
    h.connack(false, props(vec![Property::MaximumPacketSize(1)]));
    assert_eq!(
        h.sent(),
        Vec::<Packet>::new(),
        "nothing may be sent to this server"
    );
    let ev = h.events();
    assert!(
        ev.iter().any(|e| matches!(
            e,
            Event::SubscribeFailed { id: failed, error: Error::PacketTooLarge { maximum: 1, .. } }
                if *failed == id
        )),
        "{ev:?}"
    );
    h.s.disconnect(h.now, ReasonCode::Success);
    assert_eq!(
        h.sent(),
        Vec::<Packet>::new(),
        "no DISCONNECT over the maximum"
    );
    assert_eq!(h.s.state(), State::Disconnected);
}
