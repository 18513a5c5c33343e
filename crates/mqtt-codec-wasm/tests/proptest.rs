//! Property tests: every valid packet of every type, in 3.1, 3.1.1 and 5.0, survives
//! encode -> decode unchanged, `encoded_len` agrees with the bytes, and the stream decoder
//! gives the same packets however the bytes are cut.

mod common;

use common::*;
use mqtt_codec_wasm::ProtocolVersion::{self, V3_1, V3_1_1, V5};
use mqtt_codec_wasm::*;
use proptest::prelude::*;
use proptest::sample::{Index, select};

const ALL_IDS: [u8; 27] = [
    0x01, 0x02, 0x03, 0x08, 0x09, 0x0B, 0x11, 0x12, 0x13, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1A, 0x1C,
    0x1F, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2A,
];

fn text() -> impl Strategy<Value = String> {
    "[^\u{0}]{0,12}"
}

fn level() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9 _$-]{1,6}|\u{e9}t\u{e9}|\u{1f600}"
}

fn topic() -> impl Strategy<Value = String> {
    prop::collection::vec(level(), 1..4).prop_map(|l| l.join("/"))
}

fn filter() -> impl Strategy<Value = String> {
    let lvl = prop_oneof![3 => level(), 1 => Just(s("+"))];
    (prop::collection::vec(lvl, 1..4), any::<bool>()).prop_map(|(l, multi)| {
        let mut f = l.join("/");
        if multi {
            f.push_str("/#");
        }
        f
    })
}

fn bytes(max: usize) -> impl Strategy<Value = Bytes> {
    prop::collection::vec(any::<u8>(), 0..max).prop_map(Bytes::from)
}

fn qos() -> impl Strategy<Value = QoS> {
    select(vec![QoS::AtMostOnce, QoS::AtLeastOnce, QoS::ExactlyOnce])
}

fn pid() -> impl Strategy<Value = Pid> {
    (1u16..).prop_map(|n| Pid::new(n).unwrap())
}

fn property(id: PropertyId) -> BoxedStrategy<Property> {
    use PropertyId as I;
    let flag = || 0u8..=1;
    match id {
        I::PayloadFormatIndicator => flag().prop_map(Property::PayloadFormatIndicator).boxed(),
        I::MessageExpiryInterval => any::<u32>()
            .prop_map(Property::MessageExpiryInterval)
            .boxed(),
        I::ContentType => text().prop_map(Property::ContentType).boxed(),
        I::ResponseTopic => topic().prop_map(Property::ResponseTopic).boxed(),
        I::CorrelationData => bytes(16).prop_map(Property::CorrelationData).boxed(),
        I::SubscriptionIdentifier => (1u32..=268_435_455)
            .prop_map(Property::SubscriptionIdentifier)
            .boxed(),
        I::SessionExpiryInterval => any::<u32>()
            .prop_map(Property::SessionExpiryInterval)
            .boxed(),
        I::AssignedClientIdentifier => text().prop_map(Property::AssignedClientIdentifier).boxed(),
        I::ServerKeepAlive => any::<u16>().prop_map(Property::ServerKeepAlive).boxed(),
        I::AuthenticationMethod => text().prop_map(Property::AuthenticationMethod).boxed(),
        I::AuthenticationData => bytes(16).prop_map(Property::AuthenticationData).boxed(),
        I::RequestProblemInformation => {
            flag().prop_map(Property::RequestProblemInformation).boxed()
        }
        I::WillDelayInterval => any::<u32>().prop_map(Property::WillDelayInterval).boxed(),
        I::RequestResponseInformation => flag()
            .prop_map(Property::RequestResponseInformation)
            .boxed(),
        I::ResponseInformation => text().prop_map(Property::ResponseInformation).boxed(),
        I::ServerReference => text().prop_map(Property::ServerReference).boxed(),
        I::ReasonString => text().prop_map(Property::ReasonString).boxed(),
        I::ReceiveMaximum => (1u16..).prop_map(Property::ReceiveMaximum).boxed(),
        I::TopicAliasMaximum => any::<u16>().prop_map(Property::TopicAliasMaximum).boxed(),
        I::TopicAlias => (1u16..).prop_map(Property::TopicAlias).boxed(),
        I::MaximumQoS => flag().prop_map(Property::MaximumQoS).boxed(),
        I::RetainAvailable => flag().prop_map(Property::RetainAvailable).boxed(),
        I::UserProperty => (text(), text())
            .prop_map(|(k, v)| Property::UserProperty(k, v))
            .boxed(),
        I::MaximumPacketSize => (1u32..).prop_map(Property::MaximumPacketSize).boxed(),
        I::WildcardSubscriptionAvailable => flag()
            .prop_map(Property::WildcardSubscriptionAvailable)
            .boxed(),
        I::SubscriptionIdentifierAvailable => flag()
            .prop_map(Property::SubscriptionIdentifierAvailable)
            .boxed(),
        I::SharedSubscriptionAvailable => flag()
            .prop_map(Property::SharedSubscriptionAvailable)
            .boxed(),
    }
}

/// Any valid property list for `ctx`, in any order; empty before 5.0.
fn properties(ctx: PropertyContext, v: ProtocolVersion) -> BoxedStrategy<Properties> {
    if !v.is_v5() {
        return Just(Properties::default()).boxed();
    }
    let mut once = Vec::new();
    let mut many = Vec::new();
    for id in ALL_IDS.map(|b| PropertyId::from_u8(b).unwrap()) {
        if !id.allowed_in(ctx) {
            continue;
        }
        if id.repeatable_in(ctx) {
            many.push(prop::collection::vec(property(id), 0..3).boxed());
        } else {
            once.push(prop::option::of(property(id)).boxed());
        }
    }
    (once, many)
        .prop_map(|(once, many)| {
            once.into_iter()
                .flatten()
                .chain(many.into_iter().flatten())
                .collect::<Vec<_>>()
        })
        .prop_shuffle()
        .prop_map(Properties)
        .boxed()
}

fn reasons_for(t: PacketType) -> Vec<ReasonCode> {
    (0..=255u8)
        .filter_map(ReasonCode::from_u8)
        .filter(|r| r.allowed_in(t))
        .collect()
}

fn pc(t: PacketType) -> PropertyContext {
    PropertyContext::Packet(t)
}

fn connect(v: ProtocolVersion) -> impl Strategy<Value = Packet> {
    let client_id = if v == V3_1 {
        "[a-zA-Z0-9]{1,23}".boxed()
    } else {
        text().boxed()
    };
    let will = prop::option::of(
        (
            topic(),
            bytes(32),
            qos(),
            any::<bool>(),
            properties(PropertyContext::Will, v),
        )
            .prop_map(|(topic, payload, qos, retain, properties)| Will {
                topic,
                payload,
                qos,
                retain,
                properties,
            }),
    );
    (
        client_id,
        any::<bool>(),
        any::<u16>(),
        prop::option::of(text()),
        prop::option::of(bytes(16)),
        will,
        properties(pc(PacketType::Connect), v),
    )
        .prop_map(
            move |(client_id, clean_start, keep_alive, username, password, will, properties)| {
                // Before 5.0 a password needs a user name [MQTT-3.1.2-22].
                let password = if v.is_v5() || username.is_some() {
                    password
                } else {
                    None
                };
                Packet::Connect(Connect {
                    version: v,
                    client_id,
                    clean_start,
                    keep_alive,
                    username,
                    password,
                    will,
                    properties,
                })
            },
        )
}

fn connack(v: ProtocolVersion) -> impl Strategy<Value = Packet> {
    let reasons = if v.is_v5() {
        reasons_for(PacketType::ConnAck)
    } else {
        (0..=5).filter_map(ReasonCode::from_v3_connack).collect()
    };
    (
        any::<bool>(),
        select(reasons),
        properties(pc(PacketType::ConnAck), v),
    )
        .prop_map(move |(sp, reason, properties)| {
            Packet::ConnAck(ConnAck {
                session_present: sp && v != V3_1,
                reason,
                properties,
            })
        })
}

fn publish(v: ProtocolVersion) -> impl Strategy<Value = Packet> {
    let qos_pid = prop_oneof![
        Just(QosPid::AtMostOnce),
        pid().prop_map(QosPid::AtLeastOnce),
        pid().prop_map(QosPid::ExactlyOnce),
    ];
    (
        any::<bool>(),
        qos_pid,
        any::<bool>(),
        topic(),
        any::<bool>(),
        bytes(64),
        properties(pc(PacketType::Publish), v),
    )
        .prop_map(
            |(dup, qos_pid, retain, topic, drop_topic, payload, properties)| {
                // An empty topic is valid with a Topic Alias (5.0).
                let topic = if drop_topic && properties.topic_alias().is_some() {
                    String::new()
                } else {
                    topic
                };
                Packet::Publish(Publish {
                    dup: dup && qos_pid != QosPid::AtMostOnce,
                    qos_pid,
                    retain,
                    topic,
                    payload,
                    properties,
                })
            },
        )
}

fn publish_ack(v: ProtocolVersion, t: PacketType) -> impl Strategy<Value = Packet> {
    let (reasons, props) = if v.is_v5() {
        (reasons_for(t), properties(pc(t), v))
    } else {
        (vec![ReasonCode::Success], properties(pc(t), v))
    };
    (pid(), select(reasons), props).prop_map(move |(pid, reason, properties)| {
        let a = PublishAck {
            pid,
            reason,
            properties,
        };
        match t {
            PacketType::PubAck => Packet::PubAck(a),
            PacketType::PubRec => Packet::PubRec(a),
            PacketType::PubRel => Packet::PubRel(a),
            _ => Packet::PubComp(a),
        }
    })
}

fn subscribe(v: ProtocolVersion) -> impl Strategy<Value = Packet> {
    let rh = select(vec![
        RetainHandling::SendAtSubscribe,
        RetainHandling::SendIfNew,
        RetainHandling::DoNotSend,
    ]);
    let options = (qos(), any::<bool>(), any::<bool>(), rh).prop_map(move |(q, nl, rap, rh)| {
        if v.is_v5() {
            SubscriptionOptions {
                qos: q,
                no_local: nl,
                retain_as_published: rap,
                retain_handling: rh,
            }
        } else {
            SubscriptionOptions::qos(q)
        }
    });
    let filters = prop::collection::vec(
        (filter(), options).prop_map(|(filter, options)| SubscribeFilter { filter, options }),
        1..4,
    );
    (pid(), filters, properties(pc(PacketType::Subscribe), v)).prop_map(
        |(pid, filters, properties)| {
            Packet::Subscribe(Subscribe {
                pid,
                filters,
                properties,
            })
        },
    )
}

fn suback(v: ProtocolVersion) -> impl Strategy<Value = Packet> {
    let reasons = if v.is_v5() {
        reasons_for(PacketType::SubAck)
    } else {
        vec![
            ReasonCode::Success,
            ReasonCode::GrantedQoS1,
            ReasonCode::GrantedQoS2,
            ReasonCode::UnspecifiedError,
        ]
    };
    (
        pid(),
        prop::collection::vec(select(reasons), 1..5),
        properties(pc(PacketType::SubAck), v),
    )
        .prop_map(|(pid, reasons, properties)| {
            Packet::SubAck(SubAck {
                pid,
                reasons,
                properties,
            })
        })
}

fn unsubscribe(v: ProtocolVersion) -> impl Strategy<Value = Packet> {
    (
        pid(),
        prop::collection::vec(filter(), 1..4),
        properties(pc(PacketType::Unsubscribe), v),
    )
        .prop_map(|(pid, filters, properties)| {
            Packet::Unsubscribe(Unsubscribe {
                pid,
                filters,
                properties,
            })
        })
}

fn unsuback(v: ProtocolVersion) -> impl Strategy<Value = Packet> {
    let reasons = if v.is_v5() {
        prop::collection::vec(select(reasons_for(PacketType::UnsubAck)), 1..5).boxed()
    } else {
        Just(vec![]).boxed()
    };
    (pid(), reasons, properties(pc(PacketType::UnsubAck), v)).prop_map(
        |(pid, reasons, properties)| {
            Packet::UnsubAck(UnsubAck {
                pid,
                reasons,
                properties,
            })
        },
    )
}

fn disconnect(v: ProtocolVersion) -> impl Strategy<Value = Packet> {
    let reasons = if v.is_v5() {
        reasons_for(PacketType::Disconnect)
    } else {
        vec![ReasonCode::Success]
    };
    (select(reasons), properties(pc(PacketType::Disconnect), v))
        .prop_map(|(reason, properties)| Packet::Disconnect(Disconnect { reason, properties }))
}

fn auth() -> impl Strategy<Value = Packet> {
    (
        select(reasons_for(PacketType::Auth)),
        properties(pc(PacketType::Auth), V5),
    )
        .prop_map(|(reason, properties)| Packet::Auth(Auth { reason, properties }))
}

fn packet(v: ProtocolVersion) -> BoxedStrategy<Packet> {
    let mut all = vec![
        connect(v).boxed(),
        connack(v).boxed(),
        publish(v).boxed(),
        publish_ack(v, PacketType::PubAck).boxed(),
        publish_ack(v, PacketType::PubRec).boxed(),
        publish_ack(v, PacketType::PubRel).boxed(),
        publish_ack(v, PacketType::PubComp).boxed(),
        subscribe(v).boxed(),
        suback(v).boxed(),
        unsubscribe(v).boxed(),
        unsuback(v).boxed(),
        Just(Packet::PingReq).boxed(),
        Just(Packet::PingResp).boxed(),
        disconnect(v).boxed(),
    ];
    if v.is_v5() {
        all.push(auth().boxed());
    }
    proptest::strategy::Union::new(all).boxed()
}

fn version_and_packet() -> impl Strategy<Value = (ProtocolVersion, Packet)> {
    select(vec![V3_1, V3_1_1, V5]).prop_flat_map(|v| (Just(v), packet(v)))
}

fn version_and_packets() -> impl Strategy<Value = (ProtocolVersion, Vec<Packet>)> {
    select(vec![V3_1, V3_1_1, V5])
        .prop_flat_map(|v| (Just(v), prop::collection::vec(packet(v), 1..8)))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn encode_then_decode((v, p) in version_and_packet()) {
        let bytes = encode_checked(&p, v);
        prop_assert_eq!(decode_one(&bytes, v), Ok(p));
    }

    #[test]
    fn streamed_with_random_cuts(
        (v, p) in version_and_packet(),
        cuts in prop::collection::vec(any::<Index>(), 0..4),
    ) {
        let bytes = encode_checked(&p, v);
        let mut cuts: Vec<usize> = cuts.iter().map(|i| i.index(bytes.len() + 1)).collect();
        cuts.sort_unstable();
        prop_assert_eq!(stream_chunks(v, &bytes, &cuts), Ok(vec![p]));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn many_packets_streamed_with_random_cuts(
        (v, ps) in version_and_packets(),
        cuts in prop::collection::vec(any::<Index>(), 0..12),
    ) {
        let bytes: Vec<u8> = ps.iter().flat_map(|p| encode_checked(p, v)).collect();
        let mut cuts: Vec<usize> = cuts.iter().map(|i| i.index(bytes.len() + 1)).collect();
        cuts.sort_unstable();
        prop_assert_eq!(stream_chunks(v, &bytes, &cuts), Ok(ps));
    }

    /// Arbitrary bytes never panic, and whatever decodes re-encodes to bytes that decode
    /// to the same packet.
    #[test]
    fn arbitrary_bytes_never_panic(
        v in select(vec![V3_1, V3_1_1, V5]),
        bytes in prop::collection::vec(any::<u8>(), 0..64),
    ) {
        if let Ok(Some((p, n))) = decode_slice(&bytes, v) {
            prop_assert!(n <= bytes.len());
            let version = match &p { Packet::Connect(c) => c.version, _ => v };
            let again = encode_checked(&p, version);
            prop_assert_eq!(decode_one(&again, version), Ok(p));
        }
    }
}
