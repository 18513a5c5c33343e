//! Topic aliases, the offline queue, server DISCONNECT, subscriptions and their restoration.
mod common;

use common::*;
use mqtt_codec_wasm::{Packet, Property, ProtocolVersion, QoS, QosPid, ReasonCode, RetainHandling};
use mqtt_session::{
    Error, Event, Message, Properties, ProtocolViolation, QueueLimits, State, SubscriptionOptions,
};

fn alias_of(p: &Packet) -> (String, Option<u16>) {
    let Packet::Publish(p) = p else {
        panic!("PUBLISH expected: {p:?}")
    };
    let alias = p.properties.0.iter().find_map(|x| match x {
        Property::TopicAlias(a) => Some(*a),
        _ => None,
    });
    (p.topic.clone(), alias)
}

#[test]
fn outgoing_topic_aliases_first_come_first_served() {
    let mut h = Harness::v5();
    h.establish(false, props(vec![Property::TopicAliasMaximum(2)]));
    for t in ["t/a", "t/a", "t/b", "t/c", "t/a", "t/b"] {
        h.publish(t, b"x", QoS::AtMostOnce);
    }
    let got: Vec<_> = h.sent().iter().map(alias_of).collect();
    assert_eq!(
        got,
        vec![
            ("t/a".into(), Some(1)),
            ("".into(), Some(1)),
            ("t/b".into(), Some(2)),
            ("t/c".into(), None),
            ("".into(), Some(1)),
            ("".into(), Some(2)),
        ]
    );
    // Aliases die with the connection: the next one defines them again.
    h.lose();
    let _ = h.events();
    h.establish(true, props(vec![Property::TopicAliasMaximum(2)]));
    h.publish("t/a", b"x", QoS::AtLeastOnce);
    assert_eq!(alias_of(&h.sent()[0]), ("t/a".into(), Some(1)));
}

#[test]
fn resent_publish_redefines_its_alias_on_the_new_connection() {
    let mut h = Harness::v5();
    h.establish(false, props(vec![Property::TopicAliasMaximum(2)]));
    h.publish("t/a", b"x", QoS::AtMostOnce);
    h.publish("t/a", b"y", QoS::AtLeastOnce);
    assert_eq!(alias_of(&h.sent()[1]), ("".into(), Some(1)));
    h.lose();
    let _ = h.events();
    let again = h.establish(true, props(vec![Property::TopicAliasMaximum(2)]));
    assert_eq!(alias_of(&again[0]), ("t/a".into(), Some(1)));
}

#[test]
fn no_outgoing_aliases_without_server_permission() {
    let mut h = Harness::v5();
    h.connected();
    h.publish("t/a", b"x", QoS::AtMostOnce);
    h.publish("t/a", b"x", QoS::AtMostOnce);
    let got: Vec<_> = h.sent().iter().map(alias_of).collect();
    assert_eq!(got, vec![("t/a".into(), None), ("t/a".into(), None)]);
    assert_eq!(
        h.s.publish(
            "t",
            Bytes::new(),
            QoS::AtMostOnce,
            false,
            props(vec![Property::TopicAlias(1)])
        ),
        Err(Error::ForbiddenProperty(
            mqtt_codec_wasm::PropertyId::TopicAlias
        ))
    );
}

fn alias_harness() -> Harness {
    let mut o = opts(ProtocolVersion::V5);
    o.topic_alias_maximum = 4;
    let mut h = Harness::new(o);
    h.connected();
    h
}

fn message(ev: Vec<Event>) -> Message {
    match &ev[..] {
        [Event::Message(m)] => m.clone(),
        other => panic!("one message expected: {other:?}"),
    }
}

#[test]
fn incoming_topic_aliases_resolved() {
    let mut h = alias_harness();
    h.send(publish_props(
        "x/y",
        b"1",
        QosPid::AtMostOnce,
        props(vec![Property::TopicAlias(1)]),
    ));
    assert_eq!(message(h.events()).topic, "x/y");
    h.send(publish_props(
        "",
        b"2",
        QosPid::AtMostOnce,
        props(vec![Property::TopicAlias(1)]),
    ));
    let m = message(h.events());
    assert_eq!(m.topic, "x/y");
    assert!(
        m.properties.0.is_empty(),
        "the alias is not the application's business"
    );
    // Remapped.
    h.send(publish_props(
        "z",
        b"3",
        QosPid::AtMostOnce,
        props(vec![Property::TopicAlias(1)]),
    ));
    let _ = h.events();
    h.send(publish_props(
        "",
        b"4",
        QosPid::AtLeastOnce(pid(3)),
        props(vec![Property::TopicAlias(1)]),
    ));
    assert_eq!(message(h.events()).topic, "z");
    assert_eq!(h.sent(), vec![puback(3)]);
}

#[test]
fn incoming_alias_above_our_maximum_is_a_protocol_error() {
    let mut h = alias_harness();
    h.send(publish_props(
        "x",
        b"1",
        QosPid::AtMostOnce,
        props(vec![Property::TopicAlias(5)]),
    ));
    assert_eq!(
        h.events(),
        vec![Event::ProtocolError {
            cause: ProtocolViolation::TopicAliasInvalid {
                alias: 5,
                maximum: 4
            }
        }]
    );
    assert_eq!(
        h.sent(),
        vec![disconnect(
            ReasonCode::TopicAliasInvalid,
            Properties::default()
        )]
    );
}

#[test]
fn incoming_alias_without_our_permission_is_a_protocol_error() {
    let mut h = Harness::v5(); // topic alias maximum 0
    h.connected();
    h.send(publish_props(
        "x",
        b"1",
        QosPid::AtMostOnce,
        props(vec![Property::TopicAlias(1)]),
    ));
    assert!(matches!(
        &h.events()[..],
        [Event::ProtocolError {
            cause: ProtocolViolation::TopicAliasInvalid {
                alias: 1,
                maximum: 0
            }
        }]
    ));
}

#[test]
fn unknown_incoming_alias_is_a_protocol_error_and_aliases_reset_per_connection() {
    let mut h = alias_harness();
    h.send(publish_props(
        "",
        b"1",
        QosPid::AtMostOnce,
        props(vec![Property::TopicAlias(2)]),
    ));
    assert_eq!(
        h.events(),
        vec![Event::ProtocolError {
            cause: ProtocolViolation::UnknownTopicAlias(2)
        }]
    );
    assert_eq!(
        h.sent(),
        vec![disconnect(ReasonCode::ProtocolError, Properties::default())]
    );

    let mut h = alias_harness();
    h.send(publish_props(
        "x",
        b"1",
        QosPid::AtMostOnce,
        props(vec![Property::TopicAlias(1)]),
    ));
    let _ = h.events();
    h.lose();
    let _ = h.events();
    h.establish(true, Properties::default());
    h.send(publish_props(
        "",
        b"1",
        QosPid::AtMostOnce,
        props(vec![Property::TopicAlias(1)]),
    ));
    assert_eq!(
        h.events(),
        vec![Event::ProtocolError {
            cause: ProtocolViolation::UnknownTopicAlias(1)
        }]
    );
}

fn queue_harness() -> Harness {
    let mut o = opts(ProtocolVersion::V5);
    o.offline_queue = QueueLimits {
        max_messages: 3,
        max_bytes: 100,
    };
    Harness::new(o)
}

#[test]
fn offline_queue_fills_overflows_and_flushes_in_order() {
    let mut h = queue_harness();
    let a = h.publish("q/a", b"1", QoS::AtLeastOnce);
    let b = h.publish("q/b", b"2", QoS::AtMostOnce);
    let c = h.publish("q/c", b"3", QoS::ExactlyOnce);
    assert_eq!(h.s.queued_len(), 3);
    assert_eq!(h.s.queued_bytes(), 12);
    let err = h.s.publish(
        "q/d",
        Bytes::from_static(b"4"),
        QoS::AtLeastOnce,
        false,
        Properties::default(),
    );
    assert_eq!(
        err,
        Err(Error::OfflineQueueFull {
            topic: "q/d".into(),
            size: 4
        })
    );
    assert_eq!(
        h.events(),
        vec![Event::OfflineQueueOverflow {
            topic: "q/d".into(),
            size: 4
        }]
    );
    assert_eq!(h.s.queued_len(), 3, "the overflow changed nothing");
    assert!(h.s.is_pending(a) && h.s.is_pending(b) && h.s.is_pending(c));

    let sent = h.establish(false, Properties::default());
    let got: Vec<_> = publishes(&sent).into_iter().map(|p| (p.0, p.2)).collect();
    assert_eq!(
        got,
        vec![
            (Some(1), "q/a".into()),
            (None, "q/b".into()),
            (Some(2), "q/c".into())
        ]
    );
    assert_eq!(h.s.queued_len(), 0);
    assert_eq!(h.s.queued_bytes(), 0);
    assert!(!h.s.is_pending(b), "QoS 0 is done once written");
    assert!(h.s.is_pending(a) && h.s.is_pending(c));
}

#[test]
fn offline_queue_byte_limit() {
    let mut h = queue_harness();
    h.s.publish(
        "big",
        Bytes::from(vec![0u8; 90]),
        QoS::AtMostOnce,
        false,
        Properties::default(),
    )
    .unwrap();
    let err = h.s.publish(
        "big",
        Bytes::from(vec![0u8; 10]),
        QoS::AtMostOnce,
        false,
        Properties::default(),
    );
    assert_eq!(
        err,
        Err(Error::OfflineQueueFull {
            topic: "big".into(),
            size: 13
        })
    );
    assert_eq!(h.events().len(), 1);
}

#[test]
fn publishes_while_connecting_wait_for_connack() {
    let mut h = queue_harness();
    h.open();
    h.publish("q", b"1", QoS::AtLeastOnce);
    assert!(h.sent().is_empty(), "nothing before CONNACK");
    h.connack(false, Properties::default());
    assert_eq!(publishes(&h.sent()).len(), 1);
}

#[test]
fn queue_counts_publishes_held_back_by_receive_maximum() {
    let mut h = queue_harness();
    h.establish(false, props(vec![Property::ReceiveMaximum(1)]));
    h.publish("q", b"1", QoS::AtLeastOnce); // sent
    for _ in 0..3 {
        h.publish("q", b"1", QoS::AtLeastOnce); // waiting
    }
    assert!(matches!(
        h.s.publish(
            "q",
            Bytes::from_static(b"1"),
            QoS::AtLeastOnce,
            false,
            Properties::default()
        ),
        Err(Error::OfflineQueueFull { .. })
    ));
}

#[test]
fn server_disconnect_use_another_server() {
    for reason in [ReasonCode::UseAnotherServer, ReasonCode::ServerMoved] {
        let mut h = Harness::v5();
        h.connected();
        h.send(disconnect(
            reason,
            props(vec![
                Property::ServerReference("mqtt2.example:8884".into()),
                Property::ReasonString("maintenance".into()),
            ]),
        ));
        assert_eq!(
            h.events(),
            vec![Event::Disconnected {
                reason,
                reason_string: Some("maintenance".into()),
                server_reference: Some("mqtt2.example:8884".into()),
            }]
        );
        assert!(matches!(h.s.state(), State::WaitingToReconnect { .. }));
        assert!(h.sent().is_empty(), "no DISCONNECT answers a DISCONNECT");
    }
}

#[test]
fn subscribe_with_v5_options_and_per_filter_results() {
    let mut h = Harness::v5();
    h.connected();
    let opts_a = SubscriptionOptions {
        qos: QoS::ExactlyOnce,
        no_local: true,
        retain_as_published: true,
        retain_handling: RetainHandling::DoNotSend,
    };
    let opts_b = SubscriptionOptions::qos(QoS::AtLeastOnce);
    let id =
        h.s.subscribe(
            [("a/#", opts_a), ("b/+", opts_b)],
            props(vec![Property::SubscriptionIdentifier(42)]),
        )
        .unwrap();
    let sent = h.sent();
    let [Packet::Subscribe(s)] = &sent[..] else {
        panic!("{sent:?}")
    };
    assert_eq!(s.filters[0].options, opts_a);
    assert_eq!(s.filters[1].filter, "b/+");
    assert_eq!(s.properties.0, vec![Property::SubscriptionIdentifier(42)]);
    h.send(suback(
        s.pid.get(),
        vec![ReasonCode::GrantedQoS2, ReasonCode::NotAuthorized],
    ));
    assert_eq!(
        h.events(),
        vec![Event::Subscribed {
            id,
            restored: false,
            results: vec![
                ("a/#".into(), ReasonCode::GrantedQoS2),
                ("b/+".into(), ReasonCode::NotAuthorized)
            ],
            reason_string: None,
        }]
    );
    let subs: Vec<_> = h.s.subscriptions().map(|(f, _)| f.to_string()).collect();
    assert_eq!(subs, ["a/#"], "refused filters are not remembered");
    // Subscription identifiers come back on messages.
    h.send(publish_props(
        "a/1",
        b"x",
        QosPid::AtMostOnce,
        props(vec![Property::SubscriptionIdentifier(42)]),
    ));
    let m = message(h.events());
    assert_eq!(m.subscription_ids, vec![42]);
    assert!(m.properties.0.is_empty());
}

#[test]
fn v311_subscribe_and_unsubscribe() {
    let mut h = Harness::v311();
    h.connected();
    let so = SubscriptionOptions::qos(QoS::AtLeastOnce);
    h.s.subscribe(
        [("a", so), ("b", so)],
        props(vec![Property::SubscriptionIdentifier(1)]),
    )
    .unwrap();
    let sent = h.sent();
    let [Packet::Subscribe(s)] = &sent[..] else {
        panic!()
    };
    assert!(s.properties.0.is_empty(), "3.1.1 has no properties");
    // 0x80 failure code from raw bytes: type 9, length 4, pid, granted 1, failure.
    h.send_bytes(&[0x90, 0x04, 0x00, s.pid.get() as u8, 0x01, 0x80]);
    let ev = h.events();
    assert!(matches!(&ev[..], [Event::Subscribed { results, .. }]
        if results == &vec![("a".to_string(), ReasonCode::GrantedQoS1), ("b".to_string(), ReasonCode::UnspecifiedError)]));
    let uid = h.s.unsubscribe(["a"], Properties::default()).unwrap();
    let sent = h.sent();
    let [Packet::Unsubscribe(u)] = &sent[..] else {
        panic!()
    };
    h.send(unsuback(u.pid.get(), vec![]));
    assert_eq!(
        h.events(),
        vec![Event::Unsubscribed {
            id: uid,
            results: vec![("a".into(), ReasonCode::Success)],
            reason_string: None
        }]
    );
    assert_eq!(h.s.subscriptions().count(), 0);
}

#[test]
fn subscriptions_restored_when_the_session_is_lost() {
    let mut h = Harness::v5();
    h.connected();
    let q1 = SubscriptionOptions::qos(QoS::AtLeastOnce);
    let q2 = SubscriptionOptions {
        no_local: true,
        ..SubscriptionOptions::qos(QoS::ExactlyOnce)
    };
    h.s.subscribe(
        [("a", q1), ("b", q1)],
        props(vec![Property::SubscriptionIdentifier(7)]),
    )
    .unwrap();
    h.s.subscribe([("c", q2)], Properties::default()).unwrap();
    h.send(suback(
        1,
        vec![ReasonCode::GrantedQoS1, ReasonCode::GrantedQoS1],
    ));
    h.send(suback(2, vec![ReasonCode::GrantedQoS2]));
    h.s.unsubscribe(["b"], Properties::default()).unwrap();
    h.send(unsuback(3, vec![ReasonCode::Success]));
    let _ = h.sent();
    let _ = h.events();

    // Session present: nothing to restore.
    h.lose();
    let _ = h.events();
    assert!(h.establish(true, Properties::default()).is_empty());

    // Session lost: one SUBSCRIBE per distinct property set, options kept.
    h.lose();
    let _ = h.events();
    let sent = h.establish(false, Properties::default());
    let subs: Vec<_> = sent
        .iter()
        .map(|p| match p {
            Packet::Subscribe(s) => (
                s.pid.get(),
                s.filters
                    .iter()
                    .map(|f| (f.filter.clone(), f.options))
                    .collect::<Vec<_>>(),
                s.properties.0.clone(),
            ),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(subs.len(), 2);
    assert_eq!(subs[0].1, vec![("a".to_string(), q1)]);
    assert_eq!(subs[0].2, vec![Property::SubscriptionIdentifier(7)]);
    assert_eq!(subs[1].1, vec![("c".to_string(), q2)]);
    h.send(suback(subs[0].0, vec![ReasonCode::GrantedQoS1]));
    h.send(suback(subs[1].0, vec![ReasonCode::NotAuthorized]));
    let ev = h.events();
    assert!(matches!(&ev[0], Event::Subscribed { restored: true, .. }));
    let left: Vec<_> = h.s.subscriptions().map(|(f, _)| f.to_string()).collect();
    assert_eq!(left, ["a"], "a refused restoration is forgotten");
}

#[test]
fn subscribe_while_offline_and_unanswered_subscribe_are_sent_on_connect() {
    let mut h = Harness::v5();
    let so = SubscriptionOptions::qos(QoS::AtMostOnce);
    let id = h.s.subscribe([("a", so)], Properties::default()).unwrap();
    let sent = h.establish(true, Properties::default());
    assert!(matches!(&sent[..], [Packet::Subscribe(s)] if s.filters[0].filter == "a"));
    // Lost before SUBACK: sent again.
    h.lose();
    let _ = h.events();
    let sent = h.establish(true, Properties::default());
    let [Packet::Subscribe(s)] = &sent[..] else {
        panic!("{sent:?}")
    };
    h.send(suback(s.pid.get(), vec![ReasonCode::Success]));
    assert!(matches!(&h.events()[..], [Event::Subscribed { id: i, .. }] if *i == id));
}

#[test]
fn unsubscribe_before_suback_is_not_undone_by_the_suback() {
    let mut h = Harness::v5();
    h.connected();
    let so = SubscriptionOptions::qos(QoS::AtMostOnce);
    h.s.subscribe([("a", so)], Properties::default()).unwrap();
    h.s.unsubscribe(["a"], Properties::default()).unwrap();
    h.send(suback(1, vec![ReasonCode::Success]));
    h.send(unsuback(2, vec![ReasonCode::Success]));
    assert_eq!(h.s.subscriptions().count(), 0);
}

#[test]
fn command_argument_errors() {
    let mut h = Harness::v5();
    h.connected();
    let so = SubscriptionOptions::qos(QoS::AtMostOnce);
    assert!(matches!(
        h.s.publish(
            "a/+",
            Bytes::new(),
            QoS::AtMostOnce,
            false,
            Properties::default()
        ),
        Err(Error::InvalidTopic(_))
    ));
    assert!(matches!(
        h.s.subscribe([("a/#/b", so)], Properties::default()),
        Err(Error::InvalidFilter(_))
    ));
    assert_eq!(
        h.s.subscribe(Vec::<(String, _)>::new(), Properties::default()),
        Err(Error::NoFilters)
    );
    assert_eq!(
        h.s.unsubscribe(Vec::<String>::new(), Properties::default()),
        Err(Error::NoFilters)
    );
    assert_eq!(
        h.s.subscribe(
            [("a", so)],
            props(vec![Property::SubscriptionIdentifier(0)])
        ),
        Err(Error::InvalidSubscriptionIdentifier(0))
    );
    assert!(h.sent().is_empty());
    assert_eq!(h.s.pending_requests(), 0);
}
