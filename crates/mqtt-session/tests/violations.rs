//! Every protocol violation a broker can commit ends the connection with a named cause, a
//! 5.0 DISCONNECT carrying the matching reason code first, and never a panic.
mod common;

use common::*;
use mqtt_codec_wasm::{
    Auth, BytesMut, Connect, Packet, PacketType, Properties, Property, ProtocolVersion, QoS,
    QosPid, ReasonCode, Subscribe, SubscribeFilter, Unsubscribe,
};
use mqtt_session::{Event, ProtocolViolation, State, SubscriptionOptions};

/// Asserts the connection ended because of `expected`, with DISCONNECT(`reason`) in 5.0,
/// and that the session ignores whatever the broker sends afterwards.
fn assert_violation(
    h: &mut Harness,
    expected: &dyn Fn(&ProtocolViolation) -> bool,
    reason: ReasonCode,
) {
    let ev = h.events();
    let cause = ev
        .iter()
        .find_map(|e| match e {
            Event::ProtocolError { cause } => Some(cause.clone()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no ProtocolError in {ev:?}"));
    assert!(expected(&cause), "unexpected cause {cause:?}");
    assert!(!cause.to_string().is_empty());
    let sent = h.sent();
    let disconnects: Vec<_> = sent
        .iter()
        .filter(|p| matches!(p, Packet::Disconnect(_)))
        .collect();
    if h.version.is_v5() {
        assert_eq!(
            disconnects,
            vec![&disconnect(reason, Properties::default())],
            "{cause:?}"
        );
        assert_eq!(cause.reason_code(), reason);
    } else {
        assert!(
            disconnects.is_empty(),
            "3.1.1 clients do not tell the server why"
        );
    }
    assert!(
        matches!(h.s.state(), State::WaitingToReconnect { .. }),
        "{:?}",
        h.s.state()
    );
    h.send(puback(1));
    h.send(publish("late", b"x", QosPid::AtMostOnce));
    assert!(h.events().is_empty());
    assert!(h.sent().is_empty());
}

#[test]
fn malformed_bytes() {
    let cases: [&[u8]; 4] = [
        &[0x00, 0x00],                         // reserved packet type 0
        &[0x40, 0x02, 0x00, 0x00],             // PUBACK with packet identifier 0
        &[0x36, 0x04, 0x00, 0x01, b'a', 0x00], // PUBLISH with QoS 3
        &[0xD0, 0x01, 0x00],                   // PINGRESP with a body
    ];
    for bytes in cases {
        for mut h in both() {
            h.send_bytes(bytes);
            let reason = match h.events().first() {
                Some(Event::ProtocolError {
                    cause: ProtocolViolation::Malformed(e),
                }) => {
                    let r = e.reason_code();
                    if r.allowed_in(PacketType::Disconnect) && r.is_error() {
                        r
                    } else {
                        ReasonCode::ProtocolError
                    }
                }
                other => panic!("{bytes:?}: {other:?}"),
            };
            // Re-run to check the common assertions with the reason the codec chose.
            let mut h2 = if h.version.is_v5() {
                Harness::v5()
            } else {
                Harness::v311()
            };
            h2.connected();
            h2.send_bytes(bytes);
            assert_violation(
                &mut h2,
                &|c| matches!(c, ProtocolViolation::Malformed(_)),
                reason,
            );
        }
    }
}

#[test]
fn packet_above_our_maximum_packet_size() {
    let mut o = opts(ProtocolVersion::V5);
    o.maximum_packet_size = Some(64);
    let mut h = Harness::new(o);
    h.connected();
    // The declared length alone is enough to refuse it; the body never has to arrive.
    h.send_bytes(&[0x30, 100]);
    assert_violation(
        &mut h,
        &|c| matches!(c, ProtocolViolation::Malformed(e) if e.reason_code() == ReasonCode::PacketTooLarge),
        ReasonCode::PacketTooLarge,
    );
}

/// The same bound, told to nobody: the 5.0 CONNECT carries no property (a 3.1.1-only
/// server probed by "auto" must still read it), and a larger packet is refused all the same.
#[test]
fn packet_above_an_unannounced_limit() {
    let mut o = opts(ProtocolVersion::V5);
    o.unannounced_packet_limit = Some(64);
    let mut h = Harness::new(o);
    let Packet::Connect(c) = h.open() else {
        panic!("CONNECT expected")
    };
    assert!(
        !c.properties
            .0
            .iter()
            .any(|p| matches!(p, mqtt_codec_wasm::Property::MaximumPacketSize(_))),
        "{:?}",
        c.properties
    );
    h.connack(false, Properties::default());
    h.events();
    h.send_bytes(&[0x30, 100]);
    assert_violation(
        &mut h,
        &|c| matches!(c, ProtocolViolation::Malformed(e) if e.reason_code() == ReasonCode::PacketTooLarge),
        ReasonCode::PacketTooLarge,
    );
}

#[test]
fn client_only_packets_from_the_server() {
    let connect = Packet::Connect(Connect {
        version: ProtocolVersion::V5,
        client_id: "x".into(),
        clean_start: true,
        keep_alive: 0,
        username: None,
        password: None,
        will: None,
        properties: Properties::default(),
    });
    let subscribe = Packet::Subscribe(Subscribe {
        pid: pid(1),
        filters: vec![SubscribeFilter {
            filter: "a".into(),
            options: SubscriptionOptions::qos(QoS::AtMostOnce),
        }],
        properties: Properties::default(),
    });
    let unsubscribe = Packet::Unsubscribe(Unsubscribe {
        pid: pid(1),
        filters: vec!["a".into()],
        properties: Properties::default(),
    });
    let auth = Packet::Auth(Auth {
        reason: ReasonCode::ContinueAuthentication,
        properties: Properties::default(),
    });
    for (packet, ty, v5_only) in [
        (connect, PacketType::Connect, false),
        (subscribe, PacketType::Subscribe, false),
        (unsubscribe, PacketType::Unsubscribe, false),
        (Packet::PingReq, PacketType::PingReq, false),
        (auth, PacketType::Auth, true),
    ] {
        for mut h in both() {
            if v5_only && !h.version.is_v5() {
                continue;
            }
            if ty == PacketType::Connect {
                // A CONNECT is encoded at its own version; send the bytes as a v5 server would.
                let mut buf = BytesMut::new();
                mqtt_codec_wasm::encode(&packet, ProtocolVersion::V5, &mut buf).unwrap();
                h.send_bytes(&buf);
            } else {
                h.send(packet.clone());
            }
            assert_violation(
                &mut h,
                &|c| *c == ProtocolViolation::UnexpectedPacket(ty),
                ReasonCode::ProtocolError,
            );
        }
    }
}

#[test]
fn disconnect_from_a_v311_server() {
    let mut h = Harness::v311();
    h.connected();
    h.send_bytes(&[0xE0, 0x00]);
    assert_violation(
        &mut h,
        &|c| *c == ProtocolViolation::UnexpectedPacket(PacketType::Disconnect),
        ReasonCode::ProtocolError,
    );
}

#[test]
fn packet_before_connack() {
    for v in [ProtocolVersion::V5, ProtocolVersion::V3_1_1] {
        let mut h = Harness::new(opts(v));
        h.open();
        h.send(publish("a", b"x", QosPid::AtMostOnce));
        assert_violation(
            &mut h,
            &|c| *c == ProtocolViolation::PacketBeforeConnAck(PacketType::Publish),
            ReasonCode::ProtocolError,
        );
    }
}

#[test]
fn connack_twice() {
    for mut h in both() {
        h.connack(false, Properties::default());
        assert_violation(
            &mut h,
            &|c| *c == ProtocolViolation::DuplicateConnAck,
            ReasonCode::ProtocolError,
        );
    }
}

#[test]
fn session_present_after_clean_start() {
    for v in [ProtocolVersion::V5, ProtocolVersion::V3_1_1] {
        let mut o = opts(v);
        o.clean_start = true;
        let mut h = Harness::new(o);
        h.open();
        h.connack(true, Properties::default());
        assert_violation(
            &mut h,
            &|c| *c == ProtocolViolation::SessionPresentOnCleanStart,
            ReasonCode::ProtocolError,
        );
    }
}

#[test]
fn an_assigned_client_identifier_when_one_was_sent() {
    let mut h = Harness::v5();
    h.open();
    h.connack(
        false,
        Properties::from(vec![Property::AssignedClientIdentifier("stolen".into())]),
    );
    assert_violation(
        &mut h,
        &|c| *c == ProtocolViolation::AssignedClientIdNotAsked,
        ReasonCode::ProtocolError,
    );
    // The identifier we chose stays ours for the next connection.
    h.lose();
    let Packet::Connect(c) = h.open() else {
        panic!("CONNECT expected")
    };
    assert_eq!(c.client_id, "tablero-test");
    // The same identifier echoed back changes nothing: accepted.
    h.connack(
        false,
        Properties::from(vec![Property::AssignedClientIdentifier(
            "tablero-test".into(),
        )]),
    );
    assert!(matches!(h.events()[0], Event::Connected { .. }));
}

#[test]
fn acks_of_the_wrong_kind() {
    // (publish QoS, what the broker sends first, second, offending type)
    let cases: [(QoS, Vec<Packet>, PacketType); 4] = [
        (QoS::ExactlyOnce, vec![puback(1)], PacketType::PubAck),
        (QoS::AtLeastOnce, vec![pubrec(1)], PacketType::PubRec),
        (QoS::AtLeastOnce, vec![pubcomp(1)], PacketType::PubComp),
        (QoS::ExactlyOnce, vec![pubcomp(1)], PacketType::PubComp), // PUBCOMP before PUBREC
    ];
    for (qos, script, ty) in cases {
        for mut h in both() {
            h.publish("a", b"x", qos);
            let _ = h.sent();
            for p in script.clone() {
                h.send(p);
            }
            assert_violation(
                &mut h,
                &|c| *c == ProtocolViolation::UnexpectedAck { packet: ty, pid: 1 },
                ReasonCode::ProtocolError,
            );
            // The publish is not lost: it is resent on the next connection.
            assert_eq!(h.s.inflight_len(), 1);
        }
    }
}

#[test]
fn suback_and_unsuback_count_mismatch() {
    for mut h in both() {
        let so = SubscriptionOptions::qos(QoS::AtMostOnce);
        h.s.subscribe([("a", so), ("b", so)], Properties::default())
            .unwrap();
        let _ = h.sent();
        h.send(suback(1, vec![ReasonCode::Success]));
        assert_violation(
            &mut h,
            &|c| {
                *c == ProtocolViolation::AckCountMismatch {
                    packet: PacketType::SubAck,
                    expected: 2,
                    received: 1,
                }
            },
            ReasonCode::ProtocolError,
        );
    }
    let mut h = Harness::v5();
    h.connected();
    h.s.unsubscribe(["a", "b"], Properties::default()).unwrap();
    let _ = h.sent();
    h.send(unsuback(
        1,
        vec![
            ReasonCode::Success,
            ReasonCode::Success,
            ReasonCode::Success,
        ],
    ));
    assert_violation(
        &mut h,
        &|c| {
            *c == ProtocolViolation::AckCountMismatch {
                packet: PacketType::UnsubAck,
                expected: 2,
                received: 3,
            }
        },
        ReasonCode::ProtocolError,
    );
}

#[test]
fn server_exceeds_our_receive_maximum() {
    let mut o = opts(ProtocolVersion::V5);
    o.receive_maximum = 2;
    let mut h = Harness::new(o);
    h.connected();
    h.send(publish("a", b"1", QosPid::ExactlyOnce(pid(1))));
    h.send(publish("a", b"2", QosPid::ExactlyOnce(pid(2))));
    let _ = h.events();
    let _ = h.sent();
    h.send(publish("a", b"3", QosPid::ExactlyOnce(pid(3))));
    assert_violation(
        &mut h,
        &|c| *c == ProtocolViolation::ReceiveMaximumExceeded { maximum: 2 },
        ReasonCode::ReceiveMaximumExceeded,
    );
}

#[test]
fn empty_topic_without_alias() {
    let mut h = Harness::v5();
    h.connected();
    h.send_bytes(&[0x30, 0x03, 0x00, 0x00, 0x00]); // topic "", no properties
    let ev = h.events();
    assert!(matches!(&ev[..], [Event::ProtocolError { .. }]), "{ev:?}");
    assert!(matches!(h.s.state(), State::WaitingToReconnect { .. }));
}

#[test]
fn topic_alias_zero() {
    let mut o = opts(ProtocolVersion::V5);
    o.topic_alias_maximum = 4;
    let mut h = Harness::new(o);
    h.connected();
    // The codec may refuse alias 0 itself; either way it is a protocol error.
    let mut buf = BytesMut::new();
    let p = publish_props(
        "a",
        b"x",
        QosPid::AtMostOnce,
        props(vec![Property::TopicAlias(0)]),
    );
    if mqtt_codec_wasm::encode(&p, ProtocolVersion::V5, &mut buf).is_err() {
        buf = BytesMut::from(&[0x30u8, 0x07, 0x00, 0x01, b'a', 0x03, 0x23, 0x00, 0x00][..]);
    }
    h.send_bytes(&buf);
    let ev = h.events();
    assert!(matches!(&ev[..], [Event::ProtocolError { .. }]), "{ev:?}");
}

#[test]
fn arbitrary_garbage_never_panics() {
    // A cheap deterministic sweep; the proptest covers random interleavings.
    let mut x = 0x1234_5678_9abc_def0u64;
    for round in 0..2_000 {
        let mut h = if round % 2 == 0 {
            Harness::v5()
        } else {
            Harness::v311()
        };
        h.connected();
        let len = (round % 17) + 1;
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect();
        h.send_bytes(&bytes);
        let _ = h.events();
        let _ = h.s.poll_transmit();
    }
}

#[test]
fn packets_before_a_bad_header_are_acted_on_first() {
    // One chunk: a valid QoS 1 PUBLISH, then a fixed header with reserved packet type 0.
    // The message is delivered and acknowledged before the connection ends, as a broker that
    // sent it before going wrong is owed.
    for mut h in both() {
        let mut chunk = BytesMut::new();
        mqtt_codec_wasm::encode(
            &publish("a/b", b"kept", QosPid::AtLeastOnce(pid(7))),
            h.version,
            &mut chunk,
        )
        .unwrap();
        chunk.extend_from_slice(&[0x00, 0x00]);
        h.send_bytes(&chunk);
        let sent = h.sent();
        assert!(
            sent.contains(&puback(7)),
            "the PUBLISH before the bad header was acknowledged: {sent:?}"
        );
        let events = h.events();
        let delivered = events
            .iter()
            .position(|e| matches!(e, Event::Message(m) if &m.payload[..] == b"kept"));
        let failed = events
            .iter()
            .position(|e| matches!(e, Event::ProtocolError { .. }));
        assert!(
            matches!((delivered, failed), (Some(d), Some(f)) if d < f),
            "delivered, then failed: {events:?}"
        );
        assert!(matches!(h.s.state(), State::WaitingToReconnect { .. }));
    }
}
