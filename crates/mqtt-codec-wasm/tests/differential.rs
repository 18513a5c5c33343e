//! Differential tests against rumqttc's `mqttbytes`, an independent, widely used codec.
//!
//! Two codecs written from the same spec by different people rarely share a
//! misunderstanding, so wherever they disagree one of them is wrong. For every packet type
//! both support, in 3.1.1 (their `v4`) and 5.0, proptest builds a packet in our model and
//! the same packet in theirs (through the `to_v4`/`to_v5` conversions below), then checks
//! both directions: what we encode they decode to the equivalent packet, and what they
//! encode we decode to the equivalent packet.
//!
//! Known mqttbytes quirks, each excluded as narrowly as possible (and pinned by
//! `mqttbytes_quirks_still_hold`, which fails once upstream fixes one, so the exclusion can
//! go):
//! 1. 5.0 DISCONNECT with remaining length 0: `Packet::read` rejects it (`PayloadRequired`)
//!    although it is the normal form [MQTT-3.14.2.1]; decoded with `Disconnect::read`
//!    directly instead.
//! 2. 5.0 DISCONNECT with a reason code but no properties: their encoder writes a
//!    remaining length of 1 followed by two bytes, and their decoder rejects the valid
//!    one-byte form. Generated DISCONNECTs with a non-zero reason always carry properties.
//! 3. 5.0 AUTH: `Packet::read` does not know packet type 15, and `AuthReasonCode` and
//!    `AuthProperties` are private, so an AUTH cannot even be built: AUTH is not compared.
//! 4. User name and password are `String`s with "empty" meaning absent: an empty user name or
//!    password, or a non-UTF-8 password, cannot be expressed. Generated ones are non-empty
//!    UTF-8.
//! 5. MQTT 3.1 (`MQIsdp`) is not supported at all, so it is not compared here.
//! 6. 5.0 PUBLISH: reading a Subscription Identifier advances their property cursor one byte
//!    too far, so a property after it is lost into the payload once the overrun reaches the
//!    end of the list. Generated PUBLISHes put their (at most two) Subscription Identifiers
//!    last, where the overrun is harmless.

use std::fmt::Debug;

use mqtt_codec_wasm as ours;
use ours::{
    Auth, Bytes, BytesMut, ConnAck, Connect, Disconnect, Packet, Pid, Properties, Property,
    ProtocolVersion, Publish, PublishAck, QoS, QosPid, ReasonCode, RetainHandling, SubAck,
    Subscribe, SubscribeFilter, SubscriptionOptions, UnsubAck, Unsubscribe, Will,
};
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use rumqttc::mqttbytes as m4;
use rumqttc::mqttbytes::v4;
use rumqttc::v5::mqttbytes as m5;
use rumqttc::v5::mqttbytes::v5;

// ---------------------------------------------------------------------------------------
// Driving both codecs.

fn encode_ours(packet: &Packet, version: ProtocolVersion) -> Vec<u8> {
    let mut buf = BytesMut::new();
    ours::encode(packet, version, &mut buf).unwrap_or_else(|e| panic!("encode {packet:?}: {e}"));
    buf.to_vec()
}

fn decode_ours(bytes: &[u8], version: ProtocolVersion) -> Packet {
    let (packet, used) = ours::decode_slice(bytes, version)
        .unwrap_or_else(|e| panic!("our decode of {bytes:02x?}: {e}"))
        .unwrap_or_else(|| panic!("our decode wants more than {bytes:02x?}"));
    assert_eq!(used, bytes.len(), "our decode length of {bytes:02x?}");
    packet
}

fn decode_v4(bytes: &[u8]) -> v4::Packet {
    let mut buf = BytesMut::from(bytes);
    let packet = v4::Packet::read(&mut buf, usize::MAX)
        .unwrap_or_else(|e| panic!("mqttbytes v4 decode of {bytes:02x?}: {e}"));
    assert!(buf.is_empty(), "mqttbytes v4 left {buf:02x?}");
    packet
}

fn encode_v4(packet: &v4::Packet) -> Vec<u8> {
    let mut buf = BytesMut::new();
    packet
        .write(&mut buf, usize::MAX)
        .unwrap_or_else(|e| panic!("mqttbytes v4 encode {packet:?}: {e}"));
    buf.to_vec()
}

fn decode_v5(bytes: &[u8]) -> v5::Packet {
    let mut buf = BytesMut::from(bytes);
    let packet = match bytes.first().map(|b| b >> 4) {
        // Quirk 1: the normal DISCONNECT is refused by `Packet::read`.
        Some(14) if bytes.get(1) == Some(&0) => {
            let header = v5::check(buf.iter(), None).expect("frame");
            let frame = buf.split_to(header.frame_length()).freeze();
            v5::Packet::Disconnect(v5::Disconnect::read(header, frame).expect("DISCONNECT"))
        }
        _ => v5::Packet::read(&mut buf, None)
            .unwrap_or_else(|e| panic!("mqttbytes v5 decode of {bytes:02x?}: {e}")),
    };
    assert!(buf.is_empty(), "mqttbytes v5 left {buf:02x?}");
    packet
}

fn encode_v5(packet: &v5::Packet) -> Vec<u8> {
    let mut buf = BytesMut::new();
    packet
        .write(&mut buf, None)
        .unwrap_or_else(|e| panic!("mqttbytes v5 encode {packet:?}: {e}"));
    buf.to_vec()
}

/// Our packet with every property list in a fixed order (stable, so user properties keep
/// theirs): mqttbytes writes properties in its own order, which is as valid as ours.
fn canonical(packet: &Packet) -> Packet {
    fn sort(p: &mut Properties) {
        p.0.sort_by_key(|prop| prop.id() as u8);
    }
    let mut packet = packet.clone();
    match &mut packet {
        Packet::Connect(c) => {
            sort(&mut c.properties);
            if let Some(w) = &mut c.will {
                sort(&mut w.properties);
            }
        }
        Packet::ConnAck(p) => sort(&mut p.properties),
        Packet::Publish(p) => sort(&mut p.properties),
        Packet::PubAck(p) | Packet::PubRec(p) | Packet::PubRel(p) | Packet::PubComp(p) => {
            sort(&mut p.properties)
        }
        Packet::Subscribe(p) => sort(&mut p.properties),
        Packet::SubAck(p) => sort(&mut p.properties),
        Packet::Unsubscribe(p) => sort(&mut p.properties),
        Packet::UnsubAck(p) => sort(&mut p.properties),
        Packet::Disconnect(p) => sort(&mut p.properties),
        Packet::Auth(p) => sort(&mut p.properties),
        Packet::PingReq | Packet::PingResp => {}
    }
    packet
}

/// Both directions for one packet, with the reference model given by `convert`.
fn check_both_ways<T: PartialEq + Debug>(
    ours_packet: &Packet,
    version: ProtocolVersion,
    convert: impl Fn(&Packet) -> T,
    decode_theirs: impl Fn(&[u8]) -> T,
    encode_theirs: impl Fn(&T) -> Vec<u8>,
) -> Result<(), TestCaseError> {
    let theirs_packet = convert(ours_packet);

    // Ours → theirs.
    let ours_bytes = encode_ours(ours_packet, version);
    let decoded = decode_theirs(&ours_bytes);
    prop_assert_eq!(&decoded, &theirs_packet, "our bytes {:02x?}", ours_bytes);

    // Theirs → ours.
    let theirs_bytes = encode_theirs(&theirs_packet);
    let decoded = decode_ours(&theirs_bytes, version);
    prop_assert_eq!(
        canonical(&decoded),
        canonical(ours_packet),
        "their bytes {:02x?}",
        theirs_bytes
    );
    Ok(())
}

fn check_v4(packet: &Packet) -> Result<(), TestCaseError> {
    check_both_ways(packet, ProtocolVersion::V3_1_1, to_v4, decode_v4, encode_v4)
}

fn check_v5(packet: &Packet) -> Result<(), TestCaseError> {
    check_both_ways(packet, ProtocolVersion::V5, to_v5, decode_v5, encode_v5)
}

// ---------------------------------------------------------------------------------------
// Our model → mqttbytes v4 (3.1.1). Panics on anything 3.1.1 cannot carry, so a generator
// mistake shows up as a failure rather than as a silently narrower test.

fn qos4(q: QoS) -> m4::QoS {
    match q {
        QoS::AtMostOnce => m4::QoS::AtMostOnce,
        QoS::AtLeastOnce => m4::QoS::AtLeastOnce,
        QoS::ExactlyOnce => m4::QoS::ExactlyOnce,
    }
}

fn no_props(p: &Properties) {
    assert!(p.is_empty(), "3.1.1 has no properties: {p:?}");
}

fn password_string(p: &Option<Bytes>) -> String {
    p.as_ref()
        .map(|b| String::from_utf8(b.to_vec()).expect("quirk 4: UTF-8 password"))
        .unwrap_or_default()
}

fn to_v4(packet: &Packet) -> v4::Packet {
    match packet {
        Packet::Connect(c) => {
            no_props(&c.properties);
            assert_eq!(c.version, ProtocolVersion::V3_1_1);
            v4::Packet::Connect(v4::Connect {
                protocol: m4::Protocol::V4,
                keep_alive: c.keep_alive,
                client_id: c.client_id.clone(),
                clean_session: c.clean_start,
                last_will: c.will.as_ref().map(|w| {
                    no_props(&w.properties);
                    v4::LastWill {
                        topic: w.topic.clone(),
                        message: w.payload.clone(),
                        qos: qos4(w.qos),
                        retain: w.retain,
                    }
                }),
                login: c.username.as_ref().map(|u| v4::Login {
                    username: u.clone(),
                    password: password_string(&c.password),
                }),
            })
        }
        Packet::ConnAck(a) => {
            no_props(&a.properties);
            let code = match a.reason.to_v3_connack().expect("3.1.1 CONNACK code") {
                0 => v4::ConnectReturnCode::Success,
                1 => v4::ConnectReturnCode::RefusedProtocolVersion,
                2 => v4::ConnectReturnCode::BadClientId,
                3 => v4::ConnectReturnCode::ServiceUnavailable,
                4 => v4::ConnectReturnCode::BadUserNamePassword,
                5 => v4::ConnectReturnCode::NotAuthorized,
                other => unreachable!("{other}"),
            };
            v4::Packet::ConnAck(v4::ConnAck {
                session_present: a.session_present,
                code,
            })
        }
        Packet::Publish(p) => {
            no_props(&p.properties);
            v4::Packet::Publish(v4::Publish {
                dup: p.dup,
                qos: qos4(p.qos_pid.qos()),
                retain: p.retain,
                topic: p.topic.clone(),
                pkid: p.qos_pid.pid().map_or(0, Pid::get),
                payload: p.payload.clone(),
            })
        }
        Packet::PubAck(a) => v4::Packet::PubAck(v4::PubAck { pkid: v4_ack(a) }),
        Packet::PubRec(a) => v4::Packet::PubRec(v4::PubRec { pkid: v4_ack(a) }),
        Packet::PubRel(a) => v4::Packet::PubRel(v4::PubRel { pkid: v4_ack(a) }),
        Packet::PubComp(a) => v4::Packet::PubComp(v4::PubComp { pkid: v4_ack(a) }),
        Packet::Subscribe(s) => {
            no_props(&s.properties);
            v4::Packet::Subscribe(v4::Subscribe {
                pkid: s.pid.get(),
                filters: s
                    .filters
                    .iter()
                    .map(|f| {
                        assert_eq!(f.options, SubscriptionOptions::qos(f.options.qos));
                        v4::SubscribeFilter {
                            path: f.filter.clone(),
                            qos: qos4(f.options.qos),
                        }
                    })
                    .collect(),
            })
        }
        Packet::SubAck(s) => {
            no_props(&s.properties);
            v4::Packet::SubAck(v4::SubAck {
                pkid: s.pid.get(),
                return_codes: s
                    .reasons
                    .iter()
                    .map(|r| match *r as u8 {
                        0 => v4::SubscribeReasonCode::Success(m4::QoS::AtMostOnce),
                        1 => v4::SubscribeReasonCode::Success(m4::QoS::AtLeastOnce),
                        2 => v4::SubscribeReasonCode::Success(m4::QoS::ExactlyOnce),
                        0x80 => v4::SubscribeReasonCode::Failure,
                        other => panic!("not a 3.1.1 SUBACK code: {other:#x}"),
                    })
                    .collect(),
            })
        }
        Packet::Unsubscribe(u) => {
            no_props(&u.properties);
            v4::Packet::Unsubscribe(v4::Unsubscribe {
                pkid: u.pid.get(),
                topics: u.filters.clone(),
            })
        }
        Packet::UnsubAck(u) => {
            no_props(&u.properties);
            assert!(u.reasons.is_empty());
            v4::Packet::UnsubAck(v4::UnsubAck { pkid: u.pid.get() })
        }
        Packet::PingReq => v4::Packet::PingReq,
        Packet::PingResp => v4::Packet::PingResp,
        Packet::Disconnect(d) => {
            no_props(&d.properties);
            assert_eq!(d.reason, ReasonCode::Success);
            v4::Packet::Disconnect
        }
        Packet::Auth(_) => panic!("AUTH does not exist in 3.1.1"),
    }
}

fn v4_ack(a: &PublishAck) -> u16 {
    no_props(&a.properties);
    assert_eq!(a.reason, ReasonCode::Success);
    a.pid.get()
}

// ---------------------------------------------------------------------------------------
// Our model → mqttbytes v5.

fn qos5(q: QoS) -> m5::QoS {
    match q {
        QoS::AtMostOnce => m5::QoS::AtMostOnce,
        QoS::AtLeastOnce => m5::QoS::AtLeastOnce,
        QoS::ExactlyOnce => m5::QoS::ExactlyOnce,
    }
}

/// Sets a single-valued property once; a second occurrence means the generator produced a
/// packet mqttbytes cannot represent.
fn once<T: Debug>(slot: &mut Option<T>, value: T) {
    assert!(slot.is_none(), "duplicate property {value:?}");
    *slot = Some(value);
}

fn unexpected(p: &Property, packet: &str) -> ! {
    panic!("{p:?} is not a {packet} property");
}

/// Reason string and user properties: all the acks and SUBACK/UNSUBACK carry.
fn reason_and_users(props: &Properties, packet: &str) -> (Option<String>, Vec<(String, String)>) {
    let mut reason = None;
    let mut users = Vec::new();
    for p in props.iter() {
        match p {
            Property::ReasonString(s) => once(&mut reason, s.clone()),
            Property::UserProperty(k, v) => users.push((k.clone(), v.clone())),
            other => unexpected(other, packet),
        }
    }
    (reason, users)
}

fn connect_props(props: &Properties) -> Option<v5::ConnectProperties> {
    if props.is_empty() {
        return None;
    }
    let mut out = v5::ConnectProperties::new();
    for p in props.iter() {
        match p {
            Property::SessionExpiryInterval(v) => once(&mut out.session_expiry_interval, *v),
            Property::ReceiveMaximum(v) => once(&mut out.receive_maximum, *v),
            Property::MaximumPacketSize(v) => once(&mut out.max_packet_size, *v),
            Property::TopicAliasMaximum(v) => once(&mut out.topic_alias_max, *v),
            Property::RequestResponseInformation(v) => once(&mut out.request_response_info, *v),
            Property::RequestProblemInformation(v) => once(&mut out.request_problem_info, *v),
            Property::UserProperty(k, v) => out.user_properties.push((k.clone(), v.clone())),
            Property::AuthenticationMethod(v) => once(&mut out.authentication_method, v.clone()),
            Property::AuthenticationData(v) => once(&mut out.authentication_data, v.clone()),
            other => unexpected(other, "CONNECT"),
        }
    }
    Some(out)
}

fn will_props(props: &Properties) -> Option<v5::LastWillProperties> {
    if props.is_empty() {
        return None;
    }
    let mut out = v5::LastWillProperties {
        delay_interval: None,
        payload_format_indicator: None,
        message_expiry_interval: None,
        content_type: None,
        response_topic: None,
        correlation_data: None,
        user_properties: Vec::new(),
    };
    for p in props.iter() {
        match p {
            Property::WillDelayInterval(v) => once(&mut out.delay_interval, *v),
            Property::PayloadFormatIndicator(v) => once(&mut out.payload_format_indicator, *v),
            Property::MessageExpiryInterval(v) => once(&mut out.message_expiry_interval, *v),
            Property::ContentType(v) => once(&mut out.content_type, v.clone()),
            Property::ResponseTopic(v) => once(&mut out.response_topic, v.clone()),
            Property::CorrelationData(v) => once(&mut out.correlation_data, v.clone()),
            Property::UserProperty(k, v) => out.user_properties.push((k.clone(), v.clone())),
            other => unexpected(other, "will"),
        }
    }
    Some(out)
}

fn connack_props(props: &Properties) -> Option<v5::ConnAckProperties> {
    if props.is_empty() {
        return None;
    }
    let mut out = v5::ConnAckProperties {
        session_expiry_interval: None,
        receive_max: None,
        max_qos: None,
        retain_available: None,
        max_packet_size: None,
        assigned_client_identifier: None,
        topic_alias_max: None,
        reason_string: None,
        user_properties: Vec::new(),
        wildcard_subscription_available: None,
        subscription_identifiers_available: None,
        shared_subscription_available: None,
        server_keep_alive: None,
        response_information: None,
        server_reference: None,
        authentication_method: None,
        authentication_data: None,
    };
    for p in props.iter() {
        match p {
            Property::SessionExpiryInterval(v) => once(&mut out.session_expiry_interval, *v),
            Property::ReceiveMaximum(v) => once(&mut out.receive_max, *v),
            Property::MaximumQoS(v) => once(&mut out.max_qos, *v),
            Property::RetainAvailable(v) => once(&mut out.retain_available, *v),
            Property::MaximumPacketSize(v) => once(&mut out.max_packet_size, *v),
            Property::AssignedClientIdentifier(v) => {
                once(&mut out.assigned_client_identifier, v.clone())
            }
            Property::TopicAliasMaximum(v) => once(&mut out.topic_alias_max, *v),
            Property::ReasonString(v) => once(&mut out.reason_string, v.clone()),
            Property::UserProperty(k, v) => out.user_properties.push((k.clone(), v.clone())),
            Property::WildcardSubscriptionAvailable(v) => {
                once(&mut out.wildcard_subscription_available, *v)
            }
            Property::SubscriptionIdentifierAvailable(v) => {
                once(&mut out.subscription_identifiers_available, *v)
            }
            Property::SharedSubscriptionAvailable(v) => {
                once(&mut out.shared_subscription_available, *v)
            }
            Property::ServerKeepAlive(v) => once(&mut out.server_keep_alive, *v),
            Property::ResponseInformation(v) => once(&mut out.response_information, v.clone()),
            Property::ServerReference(v) => once(&mut out.server_reference, v.clone()),
            Property::AuthenticationMethod(v) => once(&mut out.authentication_method, v.clone()),
            Property::AuthenticationData(v) => once(&mut out.authentication_data, v.clone()),
            other => unexpected(other, "CONNACK"),
        }
    }
    Some(out)
}

fn publish_props(props: &Properties) -> Option<v5::PublishProperties> {
    if props.is_empty() {
        return None;
    }
    let mut out = v5::PublishProperties::default();
    for p in props.iter() {
        match p {
            Property::PayloadFormatIndicator(v) => once(&mut out.payload_format_indicator, *v),
            Property::MessageExpiryInterval(v) => once(&mut out.message_expiry_interval, *v),
            Property::TopicAlias(v) => once(&mut out.topic_alias, *v),
            Property::ResponseTopic(v) => once(&mut out.response_topic, v.clone()),
            Property::CorrelationData(v) => once(&mut out.correlation_data, v.clone()),
            Property::UserProperty(k, v) => out.user_properties.push((k.clone(), v.clone())),
            Property::SubscriptionIdentifier(v) => out.subscription_identifiers.push(*v as usize),
            Property::ContentType(v) => once(&mut out.content_type, v.clone()),
            other => unexpected(other, "PUBLISH"),
        }
    }
    Some(out)
}

/// The common shape of the four publish acknowledgements' properties in mqttbytes.
fn ack_props<T>(
    props: &Properties,
    packet: &str,
    make: impl Fn(Option<String>, Vec<(String, String)>) -> T,
) -> Option<T> {
    if props.is_empty() {
        return None;
    }
    let (reason, users) = reason_and_users(props, packet);
    Some(make(reason, users))
}

fn to_v5(packet: &Packet) -> v5::Packet {
    match packet {
        Packet::Connect(c) => {
            assert_eq!(c.version, ProtocolVersion::V5);
            let will = c.will.as_ref().map(|w| v5::LastWill {
                topic: Bytes::from(w.topic.clone()),
                message: w.payload.clone(),
                qos: qos5(w.qos),
                retain: w.retain,
                properties: will_props(&w.properties),
            });
            let login = (c.username.is_some() || c.password.is_some()).then(|| v5::Login {
                username: c.username.clone().unwrap_or_default(),
                password: password_string(&c.password),
            });
            v5::Packet::Connect(
                v5::Connect {
                    keep_alive: c.keep_alive,
                    client_id: c.client_id.clone(),
                    clean_start: c.clean_start,
                    properties: connect_props(&c.properties),
                },
                will,
                login,
            )
        }
        Packet::ConnAck(a) => v5::Packet::ConnAck(v5::ConnAck {
            session_present: a.session_present,
            code: connack_code(a.reason),
            properties: connack_props(&a.properties),
        }),
        Packet::Publish(p) => v5::Packet::Publish(v5::Publish {
            dup: p.dup,
            qos: qos5(p.qos_pid.qos()),
            retain: p.retain,
            topic: Bytes::from(p.topic.clone()),
            pkid: p.qos_pid.pid().map_or(0, Pid::get),
            payload: p.payload.clone(),
            properties: publish_props(&p.properties),
        }),
        Packet::PubAck(a) => v5::Packet::PubAck(v5::PubAck {
            pkid: a.pid.get(),
            reason: match a.reason as u8 {
                0x00 => v5::PubAckReason::Success,
                0x10 => v5::PubAckReason::NoMatchingSubscribers,
                0x80 => v5::PubAckReason::UnspecifiedError,
                0x83 => v5::PubAckReason::ImplementationSpecificError,
                0x87 => v5::PubAckReason::NotAuthorized,
                0x90 => v5::PubAckReason::TopicNameInvalid,
                0x91 => v5::PubAckReason::PacketIdentifierInUse,
                0x97 => v5::PubAckReason::QuotaExceeded,
                0x99 => v5::PubAckReason::PayloadFormatInvalid,
                other => panic!("not a PUBACK reason: {other:#x}"),
            },
            properties: ack_props(&a.properties, "PUBACK", |reason_string, user_properties| {
                v5::PubAckProperties {
                    reason_string,
                    user_properties,
                }
            }),
        }),
        Packet::PubRec(a) => v5::Packet::PubRec(v5::PubRec {
            pkid: a.pid.get(),
            reason: match a.reason as u8 {
                0x00 => v5::PubRecReason::Success,
                0x10 => v5::PubRecReason::NoMatchingSubscribers,
                0x80 => v5::PubRecReason::UnspecifiedError,
                0x83 => v5::PubRecReason::ImplementationSpecificError,
                0x87 => v5::PubRecReason::NotAuthorized,
                0x90 => v5::PubRecReason::TopicNameInvalid,
                0x91 => v5::PubRecReason::PacketIdentifierInUse,
                0x97 => v5::PubRecReason::QuotaExceeded,
                0x99 => v5::PubRecReason::PayloadFormatInvalid,
                other => panic!("not a PUBREC reason: {other:#x}"),
            },
            properties: ack_props(&a.properties, "PUBREC", |reason_string, user_properties| {
                v5::PubRecProperties {
                    reason_string,
                    user_properties,
                }
            }),
        }),
        Packet::PubRel(a) => v5::Packet::PubRel(v5::PubRel {
            pkid: a.pid.get(),
            reason: match a.reason as u8 {
                0x00 => v5::PubRelReason::Success,
                0x92 => v5::PubRelReason::PacketIdentifierNotFound,
                other => panic!("not a PUBREL reason: {other:#x}"),
            },
            properties: ack_props(&a.properties, "PUBREL", |reason_string, user_properties| {
                v5::PubRelProperties {
                    reason_string,
                    user_properties,
                }
            }),
        }),
        Packet::PubComp(a) => v5::Packet::PubComp(v5::PubComp {
            pkid: a.pid.get(),
            reason: match a.reason as u8 {
                0x00 => v5::PubCompReason::Success,
                0x92 => v5::PubCompReason::PacketIdentifierNotFound,
                other => panic!("not a PUBCOMP reason: {other:#x}"),
            },
            properties: ack_props(
                &a.properties,
                "PUBCOMP",
                |reason_string, user_properties| v5::PubCompProperties {
                    reason_string,
                    user_properties,
                },
            ),
        }),
        Packet::Subscribe(s) => {
            let properties = (!s.properties.is_empty()).then(|| {
                let mut out = v5::SubscribeProperties {
                    id: None,
                    user_properties: Vec::new(),
                };
                for p in s.properties.iter() {
                    match p {
                        Property::SubscriptionIdentifier(v) => once(&mut out.id, *v as usize),
                        Property::UserProperty(k, v) => {
                            out.user_properties.push((k.clone(), v.clone()))
                        }
                        other => unexpected(other, "SUBSCRIBE"),
                    }
                }
                out
            });
            v5::Packet::Subscribe(v5::Subscribe {
                pkid: s.pid.get(),
                filters: s
                    .filters
                    .iter()
                    .map(|f| v5::Filter {
                        path: f.filter.clone(),
                        qos: qos5(f.options.qos),
                        nolocal: f.options.no_local,
                        preserve_retain: f.options.retain_as_published,
                        retain_forward_rule: match f.options.retain_handling {
                            RetainHandling::SendAtSubscribe => {
                                v5::RetainForwardRule::OnEverySubscribe
                            }
                            RetainHandling::SendIfNew => v5::RetainForwardRule::OnNewSubscribe,
                            RetainHandling::DoNotSend => v5::RetainForwardRule::Never,
                        },
                    })
                    .collect(),
                properties,
            })
        }
        Packet::SubAck(s) => v5::Packet::SubAck(v5::SubAck {
            pkid: s.pid.get(),
            return_codes: s
                .reasons
                .iter()
                .map(|r| match *r as u8 {
                    0x00 => v5::SubscribeReasonCode::Success(m5::QoS::AtMostOnce),
                    0x01 => v5::SubscribeReasonCode::Success(m5::QoS::AtLeastOnce),
                    0x02 => v5::SubscribeReasonCode::Success(m5::QoS::ExactlyOnce),
                    // Their `Failure` also encodes 0x80 but decodes as `Unspecified`.
                    0x80 => v5::SubscribeReasonCode::Unspecified,
                    0x83 => v5::SubscribeReasonCode::ImplementationSpecific,
                    0x87 => v5::SubscribeReasonCode::NotAuthorized,
                    0x8F => v5::SubscribeReasonCode::TopicFilterInvalid,
                    0x91 => v5::SubscribeReasonCode::PkidInUse,
                    0x97 => v5::SubscribeReasonCode::QuotaExceeded,
                    0x9E => v5::SubscribeReasonCode::SharedSubscriptionsNotSupported,
                    0xA1 => v5::SubscribeReasonCode::SubscriptionIdNotSupported,
                    0xA2 => v5::SubscribeReasonCode::WildcardSubscriptionsNotSupported,
                    other => panic!("not a SUBACK reason: {other:#x}"),
                })
                .collect(),
            properties: ack_props(&s.properties, "SUBACK", |reason_string, user_properties| {
                v5::SubAckProperties {
                    reason_string,
                    user_properties,
                }
            }),
        }),
        Packet::Unsubscribe(u) => v5::Packet::Unsubscribe(v5::Unsubscribe {
            pkid: u.pid.get(),
            filters: u.filters.clone(),
            properties: (!u.properties.is_empty()).then(|| v5::UnsubscribeProperties {
                user_properties: u
                    .properties
                    .iter()
                    .map(|p| match p {
                        Property::UserProperty(k, v) => (k.clone(), v.clone()),
                        other => unexpected(other, "UNSUBSCRIBE"),
                    })
                    .collect(),
            }),
        }),
        Packet::UnsubAck(u) => v5::Packet::UnsubAck(v5::UnsubAck {
            pkid: u.pid.get(),
            reasons: u
                .reasons
                .iter()
                .map(|r| match *r as u8 {
                    0x00 => v5::UnsubAckReason::Success,
                    0x11 => v5::UnsubAckReason::NoSubscriptionExisted,
                    0x80 => v5::UnsubAckReason::UnspecifiedError,
                    0x83 => v5::UnsubAckReason::ImplementationSpecificError,
                    0x87 => v5::UnsubAckReason::NotAuthorized,
                    0x8F => v5::UnsubAckReason::TopicFilterInvalid,
                    0x91 => v5::UnsubAckReason::PacketIdentifierInUse,
                    other => panic!("not an UNSUBACK reason: {other:#x}"),
                })
                .collect(),
            properties: ack_props(
                &u.properties,
                "UNSUBACK",
                |reason_string, user_properties| v5::UnsubAckProperties {
                    reason_string,
                    user_properties,
                },
            ),
        }),
        Packet::PingReq => v5::Packet::PingReq(v5::PingReq),
        Packet::PingResp => v5::Packet::PingResp(v5::PingResp),
        Packet::Disconnect(d) => v5::Packet::Disconnect(v5::Disconnect {
            reason_code: v5::DisconnectReasonCode::try_from(d.reason as u8)
                .expect("DISCONNECT reason"),
            properties: (!d.properties.is_empty()).then(|| {
                let mut out = v5::DisconnectProperties {
                    session_expiry_interval: None,
                    reason_string: None,
                    user_properties: Vec::new(),
                    server_reference: None,
                };
                for p in d.properties.iter() {
                    match p {
                        Property::SessionExpiryInterval(v) => {
                            once(&mut out.session_expiry_interval, *v)
                        }
                        Property::ReasonString(v) => once(&mut out.reason_string, v.clone()),
                        Property::UserProperty(k, v) => {
                            out.user_properties.push((k.clone(), v.clone()))
                        }
                        Property::ServerReference(v) => once(&mut out.server_reference, v.clone()),
                        other => unexpected(other, "DISCONNECT"),
                    }
                }
                out
            }),
        }),
        Packet::Auth(_) => panic!("quirk 3: an AUTH cannot be built in mqttbytes"),
    }
}

fn connack_code(r: ReasonCode) -> v5::ConnectReturnCode {
    use v5::ConnectReturnCode as C;
    match r as u8 {
        0x00 => C::Success,
        0x80 => C::UnspecifiedError,
        0x81 => C::MalformedPacket,
        0x82 => C::ProtocolError,
        0x83 => C::ImplementationSpecificError,
        0x84 => C::UnsupportedProtocolVersion,
        0x85 => C::ClientIdentifierNotValid,
        0x86 => C::BadUserNamePassword,
        0x87 => C::NotAuthorized,
        0x88 => C::ServerUnavailable,
        0x89 => C::ServerBusy,
        0x8A => C::Banned,
        0x8C => C::BadAuthenticationMethod,
        0x90 => C::TopicNameInvalid,
        0x95 => C::PacketTooLarge,
        0x97 => C::QuotaExceeded,
        0x99 => C::PayloadFormatInvalid,
        0x9A => C::RetainNotSupported,
        0x9B => C::QoSNotSupported,
        0x9C => C::UseAnotherServer,
        0x9D => C::ServerMoved,
        0x9F => C::ConnectionRateExceeded,
        other => panic!("not a CONNACK reason: {other:#x}"),
    }
}

// ---------------------------------------------------------------------------------------
// Generators, in our model. Everything generated is valid for its version, so both
// codecs must accept it.

fn rc(code: u8) -> ReasonCode {
    ReasonCode::from_u8(code).expect("known reason code")
}

fn reason_from(codes: &'static [u8]) -> impl Strategy<Value = ReasonCode> {
    proptest::sample::select(codes).prop_map(rc)
}

fn pid() -> impl Strategy<Value = Pid> {
    (1..=u16::MAX).prop_map(|n| Pid::new(n).unwrap())
}

fn qos() -> impl Strategy<Value = QoS> {
    prop_oneof![
        Just(QoS::AtMostOnce),
        Just(QoS::AtLeastOnce),
        Just(QoS::ExactlyOnce)
    ]
}

/// UTF-8 text, including multi-byte characters, without U+0000 or wildcards.
fn text(max: usize) -> impl Strategy<Value = String> {
    proptest::string::string_regex(&format!("[a-zA-Z0-9 ._/é€😀-]{{0,{max}}}")).unwrap()
}

fn nonempty_text(max: usize) -> impl Strategy<Value = String> {
    proptest::string::string_regex(&format!("[a-zA-Z0-9 ._/é€😀-]{{1,{max}}}")).unwrap()
}

fn topic() -> impl Strategy<Value = String> {
    nonempty_text(40)
}

fn filter() -> impl Strategy<Value = String> {
    (
        vec(
            prop_oneof![3 => "[a-z0-9é]{0,8}", 1 => Just("+".to_string())],
            1..5,
        ),
        any::<bool>(),
    )
        .prop_map(|(levels, multi)| {
            let mut f = levels.join("/");
            if multi {
                f.push_str(if f.is_empty() { "#" } else { "/#" });
            }
            if f.is_empty() { "#".into() } else { f }
        })
}

fn bytes_up_to(max: usize) -> impl Strategy<Value = Bytes> {
    vec(any::<u8>(), 0..=max).prop_map(Bytes::from)
}

/// Payloads around each remaining-length boundary (127/128 and 16383/16384 bytes) as well
/// as small ones.
fn payload() -> impl Strategy<Value = Bytes> {
    prop_oneof![
        6 => bytes_up_to(64),
        1 => vec(any::<u8>(), 100..140).prop_map(Bytes::from),
        1 => vec(any::<u8>(), 16_360..16_400).prop_map(Bytes::from),
    ]
}

type PropStrategy = BoxedStrategy<Option<Property>>;

fn maybe<T: Debug + Clone + 'static>(
    value: impl Strategy<Value = T> + 'static,
    make: fn(T) -> Property,
) -> PropStrategy {
    option::of(value.prop_map(make)).boxed()
}

fn user_properties(max: usize) -> impl Strategy<Value = Vec<Property>> {
    vec(
        (text(12), text(12)).prop_map(|(k, v)| Property::UserProperty(k, v)),
        0..=max,
    )
}

/// A property list from optional single properties and repeatable ones, shuffled: the
/// order on the wire is free, and both decoders must accept any.
fn properties(
    singles: Vec<PropStrategy>,
    repeated: BoxedStrategy<Vec<Property>>,
) -> impl Strategy<Value = Properties> {
    (singles, repeated)
        .prop_map(|(singles, repeated)| {
            let mut all: Vec<Property> = singles.into_iter().flatten().collect();
            // Authentication Data without a method is a protocol error [MQTT-3.1.2.11.10].
            if !all
                .iter()
                .any(|p| matches!(p, Property::AuthenticationMethod(_)))
            {
                all.retain(|p| !matches!(p, Property::AuthenticationData(_)));
            }
            all.extend(repeated);
            all
        })
        .prop_shuffle()
        .prop_map(Properties)
}

fn users_only(max: usize) -> impl Strategy<Value = Properties> {
    properties(vec![], user_properties(max).boxed())
}

fn reason_and_user_props() -> impl Strategy<Value = Properties> {
    properties(
        vec![maybe(text(20), Property::ReasonString)],
        user_properties(2).boxed(),
    )
}

fn flag() -> impl Strategy<Value = u8> {
    0..=1u8
}

fn sub_id() -> impl Strategy<Value = u32> {
    prop_oneof![1..=127u32, 128..=16_383u32, 16_384..=268_435_455u32]
}

fn connect_properties() -> impl Strategy<Value = Properties> {
    properties(
        vec![
            maybe(any::<u32>(), Property::SessionExpiryInterval),
            maybe(1..=u16::MAX, Property::ReceiveMaximum),
            maybe(1..=u32::MAX, Property::MaximumPacketSize),
            maybe(any::<u16>(), Property::TopicAliasMaximum),
            maybe(flag(), Property::RequestResponseInformation),
            maybe(flag(), Property::RequestProblemInformation),
            maybe(text(10), Property::AuthenticationMethod),
            maybe(bytes_up_to(10), Property::AuthenticationData),
        ],
        user_properties(3).boxed(),
    )
}

fn will_properties() -> impl Strategy<Value = Properties> {
    properties(
        vec![
            maybe(any::<u32>(), Property::WillDelayInterval),
            maybe(flag(), Property::PayloadFormatIndicator),
            maybe(any::<u32>(), Property::MessageExpiryInterval),
            maybe(text(10), Property::ContentType),
            maybe(topic(), Property::ResponseTopic),
            maybe(bytes_up_to(10), Property::CorrelationData),
        ],
        user_properties(2).boxed(),
    )
}

fn publish_properties() -> impl Strategy<Value = Properties> {
    properties(
        vec![
            maybe(flag(), Property::PayloadFormatIndicator),
            maybe(any::<u32>(), Property::MessageExpiryInterval),
            maybe(1..=u16::MAX, Property::TopicAlias),
            maybe(topic(), Property::ResponseTopic),
            maybe(bytes_up_to(16), Property::CorrelationData),
            maybe(text(16), Property::ContentType),
        ],
        user_properties(3).boxed(),
    )
    .prop_flat_map(|shuffled| {
        (
            Just(shuffled),
            vec(sub_id().prop_map(Property::SubscriptionIdentifier), 0..=2),
        )
    })
    // Quirk 6: Subscription Identifiers last.
    .prop_map(|(mut properties, ids)| {
        properties.0.extend(ids);
        properties
    })
}

fn connack_properties() -> impl Strategy<Value = Properties> {
    properties(
        vec![
            maybe(any::<u32>(), Property::SessionExpiryInterval),
            maybe(1..=u16::MAX, Property::ReceiveMaximum),
            maybe(flag(), Property::MaximumQoS),
            maybe(flag(), Property::RetainAvailable),
            maybe(1..=u32::MAX, Property::MaximumPacketSize),
            maybe(text(23), Property::AssignedClientIdentifier),
            maybe(any::<u16>(), Property::TopicAliasMaximum),
            maybe(text(20), Property::ReasonString),
            maybe(flag(), Property::WildcardSubscriptionAvailable),
            maybe(flag(), Property::SubscriptionIdentifierAvailable),
            maybe(flag(), Property::SharedSubscriptionAvailable),
            maybe(any::<u16>(), Property::ServerKeepAlive),
            maybe(text(10), Property::ResponseInformation),
            maybe(text(10), Property::ServerReference),
            maybe(text(10), Property::AuthenticationMethod),
            maybe(bytes_up_to(10), Property::AuthenticationData),
        ],
        user_properties(2).boxed(),
    )
}

fn disconnect_properties() -> impl Strategy<Value = Properties> {
    properties(
        vec![
            maybe(any::<u32>(), Property::SessionExpiryInterval),
            maybe(text(20), Property::ReasonString),
            maybe(text(10), Property::ServerReference),
        ],
        user_properties(2).boxed(),
    )
}

fn connect(version: ProtocolVersion) -> impl Strategy<Value = Packet> {
    let v5 = version.is_v5();
    let props = move |s: BoxedStrategy<Properties>| {
        if v5 {
            s
        } else {
            Just(Properties::default()).boxed()
        }
    };
    let will = option::of(
        (
            topic(),
            bytes_up_to(40),
            qos(),
            any::<bool>(),
            props(will_properties().boxed()),
        )
            .prop_map(|(topic, payload, qos, retain, properties)| Will {
                topic,
                payload,
                qos,
                retain,
                properties,
            }),
    );
    // Quirk 4: non-empty UTF-8 credentials only; before 5.0 a password needs a user name.
    let credentials = option::of(nonempty_text(12)).prop_flat_map(move |user| {
        let password = if user.is_some() || v5 {
            option::of(nonempty_text(12).prop_map(Bytes::from)).boxed()
        } else {
            Just(None).boxed()
        };
        (Just(user), password)
    });
    (
        "[a-zA-Z0-9-]{0,23}",
        any::<bool>(),
        any::<u16>(),
        credentials,
        will,
        props(connect_properties().boxed()),
    )
        .prop_map(
            move |(client_id, clean, keep_alive, (username, password), will, properties)| {
                Packet::Connect(Connect {
                    version,
                    // An empty client id requires a clean session in 3.1.1 [MQTT-3.1.3-7].
                    clean_start: clean || (client_id.is_empty() && !v5),
                    client_id,
                    keep_alive,
                    username,
                    password,
                    will,
                    properties,
                })
            },
        )
}

fn connack(version: ProtocolVersion) -> BoxedStrategy<Packet> {
    if version.is_v5() {
        (
            any::<bool>(),
            reason_from(&[
                0x00, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8A, 0x8C, 0x90,
                0x95, 0x97, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9F,
            ]),
            connack_properties(),
        )
            .prop_map(|(sp, reason, properties)| {
                Packet::ConnAck(ConnAck {
                    // A refusal never has a session [MQTT-3.2.2-6].
                    session_present: sp && reason == ReasonCode::Success,
                    reason,
                    properties,
                })
            })
            .boxed()
    } else {
        (
            any::<bool>(),
            reason_from(&[0x00, 0x84, 0x85, 0x88, 0x86, 0x87]),
        )
            .prop_map(|(sp, reason)| {
                Packet::ConnAck(ConnAck {
                    session_present: sp && reason == ReasonCode::Success,
                    reason,
                    properties: Properties::default(),
                })
            })
            .boxed()
    }
}

fn publish(version: ProtocolVersion) -> impl Strategy<Value = Packet> {
    let properties = if version.is_v5() {
        publish_properties().boxed()
    } else {
        Just(Properties::default()).boxed()
    };
    (
        qos(),
        pid(),
        any::<bool>(),
        any::<bool>(),
        topic(),
        payload(),
        properties,
    )
        .prop_map(|(qos, pid, dup, retain, topic, payload, properties)| {
            let qos_pid = match qos {
                QoS::AtMostOnce => QosPid::AtMostOnce,
                QoS::AtLeastOnce => QosPid::AtLeastOnce(pid),
                QoS::ExactlyOnce => QosPid::ExactlyOnce(pid),
            };
            Packet::Publish(Publish {
                // DUP must be 0 at QoS 0 [MQTT-3.3.1-2].
                dup: dup && qos != QoS::AtMostOnce,
                qos_pid,
                retain,
                topic,
                payload,
                properties,
            })
        })
}

/// PUBACK, PUBREC, PUBREL or PUBCOMP.
fn publish_ack(version: ProtocolVersion) -> BoxedStrategy<Packet> {
    const PUBACK_CODES: &[u8] = &[0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99];
    const PUBREL_CODES: &[u8] = &[0x00, 0x92];
    type Kind = (fn(PublishAck) -> Packet, &'static [u8]);
    let kinds: [Kind; 4] = [
        (Packet::PubAck, PUBACK_CODES),
        (Packet::PubRec, PUBACK_CODES),
        (Packet::PubRel, PUBREL_CODES),
        (Packet::PubComp, PUBREL_CODES),
    ];
    let v5 = version.is_v5();
    proptest::sample::select(kinds.to_vec())
        .prop_flat_map(move |(make, codes)| {
            let (reason, properties) = if v5 {
                (reason_from(codes).boxed(), reason_and_user_props().boxed())
            } else {
                (
                    Just(ReasonCode::Success).boxed(),
                    Just(Properties::default()).boxed(),
                )
            };
            (pid(), reason, properties).prop_map(move |(pid, reason, properties)| {
                make(PublishAck {
                    pid,
                    reason,
                    properties,
                })
            })
        })
        .boxed()
}

fn subscribe(version: ProtocolVersion) -> impl Strategy<Value = Packet> {
    let v5 = version.is_v5();
    let options = (
        qos(),
        any::<bool>(),
        any::<bool>(),
        prop_oneof![
            Just(RetainHandling::SendAtSubscribe),
            Just(RetainHandling::SendIfNew),
            Just(RetainHandling::DoNotSend)
        ],
    )
        .prop_map(move |(qos, no_local, rap, rh)| {
            if v5 {
                SubscriptionOptions {
                    qos,
                    no_local,
                    retain_as_published: rap,
                    retain_handling: rh,
                }
            } else {
                SubscriptionOptions::qos(qos)
            }
        });
    let properties = if v5 {
        properties(
            vec![maybe(sub_id(), Property::SubscriptionIdentifier)],
            user_properties(2).boxed(),
        )
        .boxed()
    } else {
        Just(Properties::default()).boxed()
    };
    (
        pid(),
        vec(
            (filter(), options).prop_map(|(filter, options)| SubscribeFilter { filter, options }),
            1..12,
        ),
        properties,
    )
        .prop_map(|(pid, filters, properties)| {
            Packet::Subscribe(Subscribe {
                pid,
                filters,
                properties,
            })
        })
}

fn suback(version: ProtocolVersion) -> impl Strategy<Value = Packet> {
    let (codes, properties): (&'static [u8], _) = if version.is_v5() {
        (
            &[
                0x00, 0x01, 0x02, 0x80, 0x83, 0x87, 0x8F, 0x91, 0x97, 0x9E, 0xA1, 0xA2,
            ],
            reason_and_user_props().boxed(),
        )
    } else {
        (
            &[0x00, 0x01, 0x02, 0x80],
            Just(Properties::default()).boxed(),
        )
    };
    (pid(), vec(reason_from(codes), 1..12), properties).prop_map(|(pid, reasons, properties)| {
        Packet::SubAck(SubAck {
            pid,
            reasons,
            properties,
        })
    })
}

fn unsubscribe(version: ProtocolVersion) -> impl Strategy<Value = Packet> {
    let properties = if version.is_v5() {
        users_only(3).boxed()
    } else {
        Just(Properties::default()).boxed()
    };
    (pid(), vec(filter(), 1..12), properties).prop_map(|(pid, filters, properties)| {
        Packet::Unsubscribe(Unsubscribe {
            pid,
            filters,
            properties,
        })
    })
}

fn unsuback(version: ProtocolVersion) -> BoxedStrategy<Packet> {
    if version.is_v5() {
        (
            pid(),
            vec(
                reason_from(&[0x00, 0x11, 0x80, 0x83, 0x87, 0x8F, 0x91]),
                1..12,
            ),
            reason_and_user_props(),
        )
            .prop_map(|(pid, reasons, properties)| {
                Packet::UnsubAck(UnsubAck {
                    pid,
                    reasons,
                    properties,
                })
            })
            .boxed()
    } else {
        pid()
            .prop_map(|pid| {
                Packet::UnsubAck(UnsubAck {
                    pid,
                    reasons: vec![],
                    properties: Properties::default(),
                })
            })
            .boxed()
    }
}

fn disconnect_v5() -> impl Strategy<Value = Packet> {
    (
        reason_from(&[
            0x00, 0x04, 0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8B, 0x8D, 0x8E, 0x8F, 0x90, 0x93,
            0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9E, 0x9F, 0xA0, 0xA1,
            0xA2,
        ]),
        disconnect_properties(),
    )
        .prop_map(|(reason, mut properties)| {
            // Quirk 2: a reason code without properties is mis-encoded by mqttbytes.
            if reason != ReasonCode::Success && properties.is_empty() {
                properties.push(Property::ReasonString("because".into()));
            }
            Packet::Disconnect(Disconnect { reason, properties })
        })
}

// ---------------------------------------------------------------------------------------
// The tests.

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 1000,
        ..ProptestConfig::default()
    }
}

const V4: ProtocolVersion = ProtocolVersion::V3_1_1;
const V5: ProtocolVersion = ProtocolVersion::V5;

proptest! {
    #![proptest_config(config())]

    #[test]
    fn connect_v4(p in connect(V4)) { check_v4(&p)?; }
    #[test]
    fn connect_v5(p in connect(V5)) { check_v5(&p)?; }
    #[test]
    fn connack_v4(p in connack(V4)) { check_v4(&p)?; }
    #[test]
    fn connack_v5(p in connack(V5)) { check_v5(&p)?; }
    #[test]
    fn publish_v4(p in publish(V4)) { check_v4(&p)?; }
    #[test]
    fn publish_v5(p in publish(V5)) { check_v5(&p)?; }
    #[test]
    fn publish_acks_v4(p in publish_ack(V4)) { check_v4(&p)?; }
    #[test]
    fn publish_acks_v5(p in publish_ack(V5)) { check_v5(&p)?; }
    #[test]
    fn subscribe_v4(p in subscribe(V4)) { check_v4(&p)?; }
    #[test]
    fn subscribe_v5(p in subscribe(V5)) { check_v5(&p)?; }
    #[test]
    fn suback_v4(p in suback(V4)) { check_v4(&p)?; }
    #[test]
    fn suback_v5(p in suback(V5)) { check_v5(&p)?; }
    #[test]
    fn unsubscribe_v4(p in unsubscribe(V4)) { check_v4(&p)?; }
    #[test]
    fn unsubscribe_v5(p in unsubscribe(V5)) { check_v5(&p)?; }
    #[test]
    fn unsuback_v4(p in unsuback(V4)) { check_v4(&p)?; }
    #[test]
    fn unsuback_v5(p in unsuback(V5)) { check_v5(&p)?; }
    #[test]
    fn disconnect_v5_(p in disconnect_v5()) { check_v5(&p)?; }
}

/// The bodiless packets, once each.
#[test]
fn ping_and_disconnect() {
    for p in [Packet::PingReq, Packet::PingResp] {
        check_v4(&p).unwrap();
        check_v5(&p).unwrap();
    }
    let normal = Packet::Disconnect(Disconnect {
        reason: ReasonCode::Success,
        properties: Properties::default(),
    });
    check_v4(&normal).unwrap();
    check_v5(&normal).unwrap();
}

/// The exclusions above are only justified while mqttbytes misbehaves; once a quirk is
/// fixed upstream this fails, and the matching exclusion should be removed.
#[test]
fn mqttbytes_quirks_still_hold() {
    // Quirk 1: the normal 5.0 DISCONNECT (remaining length 0) is refused by Packet::read.
    let mut normal = BytesMut::from(&[0xE0, 0x00][..]);
    assert!(v5::Packet::read(&mut normal, None).is_err());

    // Quirk 2: DISCONNECT with a reason code and no properties: a remaining length of 1,
    // but two bytes follow; and the one-byte form we write is refused.
    let reason_only = v5::Packet::Disconnect(v5::Disconnect {
        reason_code: v5::DisconnectReasonCode::ServerBusy,
        properties: None,
    });
    assert_eq!(encode_v5(&reason_only), [0xE0, 0x01, 0x89, 0x00]);
    // The valid one-byte form (property length omitted [MQTT-3.14.2.2.1]) is refused.
    assert!(v5::Packet::read(&mut BytesMut::from(&[0xE0, 0x01, 0x89][..]), None).is_err());
    assert_eq!(
        decode_ours(&[0xE0, 0x01, 0x89], V5),
        Packet::Disconnect(Disconnect {
            reason: rc(0x89),
            properties: Properties::default(),
        })
    );

    // Quirk 3: AUTH is an unknown packet type to Packet::read.
    let auth = encode_ours(
        &Packet::Auth(Auth {
            reason: rc(0x18),
            properties: Properties(vec![Property::AuthenticationMethod("m".into())]),
        }),
        V5,
    );
    assert!(v5::Packet::read(&mut BytesMut::from(&auth[..]), None).is_err());

    // Quirk 6: two Subscription Identifiers, then a Payload Format Indicator that
    // mqttbytes reads as payload.
    let sub_ids_then_pfi = [0x30, 10, 0, 1, b't', 6, 0x0B, 1, 0x0B, 1, 0x01, 0x00];
    let v5::Packet::Publish(theirs) = decode_v5(&sub_ids_then_pfi) else {
        unreachable!()
    };
    assert_eq!(&theirs.payload[..], [0x01, 0x00]);
    let Packet::Publish(ours_publish) = decode_ours(&sub_ids_then_pfi, V5) else {
        unreachable!()
    };
    assert!(ours_publish.payload.is_empty());
    assert_eq!(ours_publish.properties.payload_format_indicator(), Some(0));

    // Quirk 4: an empty user name is dropped on decode.
    let login = v4::Packet::Connect(v4::Connect {
        protocol: m4::Protocol::V4,
        keep_alive: 5,
        client_id: "c".into(),
        clean_session: true,
        last_will: None,
        login: Some(v4::Login {
            username: String::new(),
            password: String::new(),
        }),
    });
    let v4::Packet::Connect(decoded) = decode_v4(&encode_v4(&login)) else {
        unreachable!()
    };
    assert_eq!(decoded.login, None);
}
