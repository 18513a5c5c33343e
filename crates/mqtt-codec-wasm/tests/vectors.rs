//! Byte-level vectors: every packet type in 3.1.1 and 5.0, plus 3.1 CONNECT and CONNACK.
//!
//! Each case is written field by field from the spec and run four ways: decode gives the
//! packet, encode gives the bytes, the packet survives a round trip, and the bytes decode
//! the same through `StreamDecoder` however they are cut.

mod common;

use common::*;
use mqtt_codec_wasm::ProtocolVersion::{self, V3_1, V3_1_1, V5};
use mqtt_codec_wasm::*;

struct Case {
    name: &'static str,
    version: ProtocolVersion,
    bytes: &'static [u8],
    packet: fn() -> Packet,
}

fn connect(version: ProtocolVersion, client_id: &str, keep_alive: u16) -> Connect {
    Connect {
        version,
        client_id: s(client_id),
        clean_start: true,
        keep_alive,
        username: None,
        password: None,
        will: None,
        properties: none(),
    }
}

fn ack(n: u16, reason: ReasonCode, properties: Properties) -> PublishAck {
    PublishAck {
        pid: pid(n),
        reason,
        properties,
    }
}

const CASES: &[Case] = &[
    // ------------------------------------------------------------------ MQTT 3.1
    Case {
        name: "3.1 CONNECT minimal",
        version: V3_1,
        bytes: &[
            0x10, // CONNECT
            0x10, // remaining length 16
            0x00, 0x06, b'M', b'Q', b'I', b's', b'd', b'p', // protocol name "MQIsdp"
            0x03, // protocol level 3
            0x02, // flags: clean session
            0x00, 0x3c, // keep alive 60
            0x00, 0x02, b'c', b'1', // client id "c1"
        ],
        packet: || Packet::Connect(connect(V3_1, "c1", 60)),
    },
    Case {
        name: "3.1 CONNECT with will, user name and password",
        version: V3_1,
        bytes: &[
            0x10, // CONNECT
            0x24, // remaining length 36
            0x00, 0x06, b'M', b'Q', b'I', b's', b'd', b'p', // protocol name "MQIsdp"
            0x03, // protocol level 3
            0xce, // flags: user name, password, will QoS 1, will, clean session
            0x00, 0x0a, // keep alive 10
            0x00, 0x03, b'c', b'i', b'd', // client id "cid"
            0x00, 0x03, b'w', b'/', b't', // will topic "w/t"
            0x00, 0x02, b'b', b'y', // will message "by"
            0x00, 0x04, b'u', b's', b'e', b'r', // user name "user"
            0x00, 0x02, b'p', b'w', // password "pw"
        ],
        packet: || {
            Packet::Connect(Connect {
                username: Some(s("user")),
                password: Some(b(b"pw")),
                will: Some(Will {
                    topic: s("w/t"),
                    payload: b(b"by"),
                    qos: QoS::AtLeastOnce,
                    retain: false,
                    properties: none(),
                }),
                ..connect(V3_1, "cid", 10)
            })
        },
    },
    Case {
        name: "3.1 CONNACK accepted",
        version: V3_1,
        bytes: &[
            0x20, // CONNACK
            0x02, // remaining length 2
            0x00, // reserved (3.1 has no session present flag)
            0x00, // return code 0: accepted
        ],
        packet: || {
            Packet::ConnAck(ConnAck {
                session_present: false,
                reason: ReasonCode::Success,
                properties: none(),
            })
        },
    },
    Case {
        name: "3.1 CONNACK identifier rejected",
        version: V3_1,
        bytes: &[
            0x20, // CONNACK
            0x02, // remaining length 2
            0x00, // reserved
            0x02, // return code 2: identifier rejected -> 0x85
        ],
        packet: || {
            Packet::ConnAck(ConnAck {
                session_present: false,
                reason: ReasonCode::ClientIdentifierNotValid,
                properties: none(),
            })
        },
    },
    // ------------------------------------------------------------------ MQTT 3.1.1
    Case {
        name: "3.1.1 CONNECT minimal",
        version: V3_1_1,
        bytes: &[
            0x10, // CONNECT
            0x0f, // remaining length 15
            0x00, 0x04, b'M', b'Q', b'T', b'T', // protocol name "MQTT"
            0x04, // protocol level 4
            0x02, // flags: clean session
            0x00, 0x3c, // keep alive 60
            0x00, 0x03, b'a', b'b', b'c', // client id "abc"
        ],
        packet: || Packet::Connect(connect(V3_1_1, "abc", 60)),
    },
    Case {
        name: "3.1.1 CONNECT empty client id, retained QoS 2 will, user name, password",
        version: V3_1_1,
        bytes: &[
            0x10, // CONNECT
            0x1e, // remaining length 30
            0x00, 0x04, b'M', b'Q', b'T', b'T', // protocol name "MQTT"
            0x04, // protocol level 4
            0xf6, // flags: user name, password, will retain, will QoS 2, will, clean
            0x00, 0x00, // keep alive off
            0x00, 0x00, // client id "" (server assigns)
            0x00, 0x03, b't', b'/', b'w', // will topic "t/w"
            0x00, 0x03, 0x00, 0xff, 0x10, // will message: 3 binary bytes
            0x00, 0x01, b'u', // user name "u"
            0x00, 0x03, 0x01, 0x02, 0x03, // password: 3 binary bytes
        ],
        packet: || {
            Packet::Connect(Connect {
                username: Some(s("u")),
                password: Some(b(&[1, 2, 3])),
                will: Some(Will {
                    topic: s("t/w"),
                    payload: b(&[0x00, 0xff, 0x10]),
                    qos: QoS::ExactlyOnce,
                    retain: true,
                    properties: none(),
                }),
                ..connect(V3_1_1, "", 0)
            })
        },
    },
    Case {
        name: "3.1.1 CONNACK session present",
        version: V3_1_1,
        bytes: &[
            0x20, // CONNACK
            0x02, // remaining length 2
            0x01, // acknowledge flags: session present
            0x00, // return code 0: accepted
        ],
        packet: || {
            Packet::ConnAck(ConnAck {
                session_present: true,
                reason: ReasonCode::Success,
                properties: none(),
            })
        },
    },
    Case {
        name: "3.1.1 CONNACK not authorized",
        version: V3_1_1,
        bytes: &[
            0x20, // CONNACK
            0x02, // remaining length 2
            0x00, // acknowledge flags: none
            0x05, // return code 5: not authorized -> 0x87
        ],
        packet: || {
            Packet::ConnAck(ConnAck {
                session_present: false,
                reason: ReasonCode::NotAuthorized,
                properties: none(),
            })
        },
    },
    Case {
        name: "3.1.1 PUBLISH QoS 0",
        version: V3_1_1,
        bytes: &[
            0x30, // PUBLISH, QoS 0, no DUP, no retain
            0x0a, // remaining length 10
            0x00, 0x03, b'a', b'/', b'b', // topic "a/b"
            b'h', b'e', b'l', b'l', b'o', // payload "hello"
        ],
        packet: || Packet::Publish(Publish::new("a/b", QosPid::AtMostOnce, &b"hello"[..])),
    },
    Case {
        name: "3.1.1 PUBLISH QoS 1 DUP retain",
        version: V3_1_1,
        bytes: &[
            0x3b, // PUBLISH, DUP, QoS 1, retain
            0x07, // remaining length 7
            0x00, 0x01, b't', // topic "t"
            0x00, 0x0a, // packet identifier 10
            0x01, 0x02, // payload: 2 bytes
        ],
        packet: || {
            Packet::Publish(Publish {
                dup: true,
                retain: true,
                ..Publish::new("t", QosPid::AtLeastOnce(pid(10)), &[1u8, 2][..])
            })
        },
    },
    Case {
        name: "3.1.1 PUBLISH QoS 2 empty payload",
        version: V3_1_1,
        bytes: &[
            0x34, // PUBLISH, QoS 2
            0x07, // remaining length 7
            0x00, 0x03, b'x', b'/', b'y', // topic "x/y"
            0xff, 0xff, // packet identifier 65535
        ],
        packet: || {
            Packet::Publish(Publish::new(
                "x/y",
                QosPid::ExactlyOnce(pid(65535)),
                Bytes::new(),
            ))
        },
    },
    Case {
        name: "3.1.1 PUBACK",
        version: V3_1_1,
        bytes: &[
            0x40, // PUBACK
            0x02, // remaining length 2
            0x00, 0x01, // packet identifier 1
        ],
        packet: || Packet::PubAck(PublishAck::new(pid(1))),
    },
    Case {
        name: "3.1.1 PUBREC",
        version: V3_1_1,
        bytes: &[
            0x50, // PUBREC
            0x02, // remaining length 2
            0x12, 0x34, // packet identifier 0x1234
        ],
        packet: || Packet::PubRec(PublishAck::new(pid(0x1234))),
    },
    Case {
        name: "3.1.1 PUBREL",
        version: V3_1_1,
        bytes: &[
            0x62, // PUBREL, flags 0b0010
            0x02, // remaining length 2
            0x12, 0x34, // packet identifier 0x1234
        ],
        packet: || Packet::PubRel(PublishAck::new(pid(0x1234))),
    },
    Case {
        name: "3.1.1 PUBCOMP",
        version: V3_1_1,
        bytes: &[
            0x70, // PUBCOMP
            0x02, // remaining length 2
            0xff, 0xff, // packet identifier 65535
        ],
        packet: || Packet::PubComp(PublishAck::new(pid(65535))),
    },
    Case {
        name: "3.1.1 SUBSCRIBE two filters",
        version: V3_1_1,
        bytes: &[
            0x82, // SUBSCRIBE, flags 0b0010
            0x0e, // remaining length 14
            0x00, 0x05, // packet identifier 5
            0x00, 0x03, b'a', b'/', b'#', // filter "a/#"
            0x00, // requested QoS 0
            0x00, 0x03, b'+', b'/', b'b', // filter "+/b"
            0x02, // requested QoS 2
        ],
        packet: || {
            Packet::Subscribe(Subscribe {
                pid: pid(5),
                filters: vec![
                    SubscribeFilter {
                        filter: s("a/#"),
                        options: SubscriptionOptions::qos(QoS::AtMostOnce),
                    },
                    SubscribeFilter {
                        filter: s("+/b"),
                        options: SubscriptionOptions::qos(QoS::ExactlyOnce),
                    },
                ],
                properties: none(),
            })
        },
    },
    Case {
        name: "3.1.1 SUBACK every return code",
        version: V3_1_1,
        bytes: &[
            0x90, // SUBACK
            0x06, // remaining length 6
            0x00, 0x05, // packet identifier 5
            0x00, // granted QoS 0
            0x01, // granted QoS 1
            0x02, // granted QoS 2
            0x80, // failure
        ],
        packet: || {
            Packet::SubAck(SubAck {
                pid: pid(5),
                reasons: vec![
                    ReasonCode::GRANTED_QOS_0,
                    ReasonCode::GrantedQoS1,
                    ReasonCode::GrantedQoS2,
                    ReasonCode::UnspecifiedError,
                ],
                properties: none(),
            })
        },
    },
    Case {
        name: "3.1.1 UNSUBSCRIBE two filters",
        version: V3_1_1,
        bytes: &[
            0xa2, // UNSUBSCRIBE, flags 0b0010
            0x0a, // remaining length 10
            0x00, 0x06, // packet identifier 6
            0x00, 0x03, b'a', b'/', b'#', // filter "a/#"
            0x00, 0x01, b'c', // filter "c"
        ],
        packet: || {
            Packet::Unsubscribe(Unsubscribe {
                pid: pid(6),
                filters: vec![s("a/#"), s("c")],
                properties: none(),
            })
        },
    },
    Case {
        name: "3.1.1 UNSUBACK",
        version: V3_1_1,
        bytes: &[
            0xb0, // UNSUBACK
            0x02, // remaining length 2
            0x00, 0x06, // packet identifier 6
        ],
        packet: || {
            Packet::UnsubAck(UnsubAck {
                pid: pid(6),
                reasons: vec![],
                properties: none(),
            })
        },
    },
    Case {
        name: "3.1.1 PINGREQ",
        version: V3_1_1,
        bytes: &[
            0xc0, // PINGREQ
            0x00, // remaining length 0
        ],
        packet: || Packet::PingReq,
    },
    Case {
        name: "3.1.1 PINGRESP",
        version: V3_1_1,
        bytes: &[
            0xd0, // PINGRESP
            0x00, // remaining length 0
        ],
        packet: || Packet::PingResp,
    },
    Case {
        name: "3.1.1 DISCONNECT",
        version: V3_1_1,
        bytes: &[
            0xe0, // DISCONNECT
            0x00, // remaining length 0
        ],
        packet: || Packet::Disconnect(Disconnect::new(ReasonCode::NORMAL_DISCONNECTION)),
    },
    // ------------------------------------------------------------------ MQTT 5.0
    Case {
        name: "5.0 CONNECT minimal",
        version: V5,
        bytes: &[
            0x10, // CONNECT
            0x10, // remaining length 16
            0x00, 0x04, b'M', b'Q', b'T', b'T', // protocol name "MQTT"
            0x05, // protocol level 5
            0x02, // flags: clean start
            0x00, 0x3c, // keep alive 60
            0x00, // property length 0
            0x00, 0x03, b'a', b'b', b'c', // client id "abc"
        ],
        packet: || Packet::Connect(connect(V5, "abc", 60)),
    },
    Case {
        name: "5.0 CONNECT with properties, will properties, user name and password",
        version: V5,
        bytes: &[
            0x10, // CONNECT
            0x7b, // remaining length 123
            0x00, 0x04, b'M', b'Q', b'T', b'T', // protocol name "MQTT"
            0x05, // protocol level 5
            0xee, // flags: user name, password, will retain, will QoS 1, will, clean
            0x00, 0x1e, // keep alive 30
            0x30, // property length 48
            0x11, 0x00, 0x00, 0x0e, 0x10, // session expiry interval 3600
            0x21, 0x00, 0x14, // receive maximum 20
            0x27, 0x00, 0x01, 0x00, 0x00, // maximum packet size 65536
            0x22, 0x00, 0x0a, // topic alias maximum 10
            0x19, 0x01, // request response information 1
            0x17, 0x00, // request problem information 0
            0x26, 0x00, 0x01, b'k', 0x00, 0x01, b'v', // user property k=v
            0x26, 0x00, 0x01, b'k', 0x00, 0x02, b'v', b'2', // user property k=v2
            0x15, 0x00, 0x05, b'S', b'C', b'R', b'A', b'M', // authentication method
            0x16, 0x00, 0x02, 0xde, 0xad, // authentication data
            0x00, 0x02, b'c', b'5', // client id "c5"
            0x25, // will property length 37
            0x18, 0x00, 0x00, 0x00, 0x05, // will delay interval 5
            0x01, 0x01, // payload format indicator: UTF-8
            0x02, 0x00, 0x00, 0x00, 0x3c, // message expiry interval 60
            0x03, 0x00, 0x04, b't', b'e', b'x', b't', // content type "text"
            0x08, 0x00, 0x03, b'r', b'/', b'1', // response topic "r/1"
            0x09, 0x00, 0x02, 0x01, 0x02, // correlation data
            0x26, 0x00, 0x01, b'a', 0x00, 0x01, b'b', // user property a=b
            0x00, 0x03, b'w', b'/', b't', // will topic "w/t"
            0x00, 0x03, b'b', b'y', b'e', // will payload "bye"
            0x00, 0x04, b'u', b's', b'e', b'r', // user name "user"
            0x00, 0x04, b'p', b'a', b's', b's', // password "pass"
        ],
        packet: || {
            Packet::Connect(Connect {
                username: Some(s("user")),
                password: Some(b(b"pass")),
                will: Some(Will {
                    topic: s("w/t"),
                    payload: b(b"bye"),
                    qos: QoS::AtLeastOnce,
                    retain: true,
                    properties: props(vec![
                        Property::WillDelayInterval(5),
                        Property::PayloadFormatIndicator(1),
                        Property::MessageExpiryInterval(60),
                        Property::ContentType(s("text")),
                        Property::ResponseTopic(s("r/1")),
                        Property::CorrelationData(b(&[1, 2])),
                        user("a", "b"),
                    ]),
                }),
                properties: props(vec![
                    Property::SessionExpiryInterval(3600),
                    Property::ReceiveMaximum(20),
                    Property::MaximumPacketSize(65536),
                    Property::TopicAliasMaximum(10),
                    Property::RequestResponseInformation(1),
                    Property::RequestProblemInformation(0),
                    user("k", "v"),
                    user("k", "v2"),
                    Property::AuthenticationMethod(s("SCRAM")),
                    Property::AuthenticationData(b(&[0xde, 0xad])),
                ]),
                ..connect(V5, "c5", 30)
            })
        },
    },
    Case {
        name: "5.0 CONNACK minimal",
        version: V5,
        bytes: &[
            0x20, // CONNACK
            0x03, // remaining length 3
            0x00, // acknowledge flags: none
            0x00, // reason: success
            0x00, // property length 0
        ],
        packet: || {
            Packet::ConnAck(ConnAck {
                session_present: false,
                reason: ReasonCode::Success,
                properties: none(),
            })
        },
    },
    Case {
        name: "5.0 CONNACK not authorized",
        version: V5,
        bytes: &[
            0x20, // CONNACK
            0x03, // remaining length 3
            0x00, // acknowledge flags: none
            0x87, // reason: not authorized
            0x00, // property length 0
        ],
        packet: || {
            Packet::ConnAck(ConnAck {
                session_present: false,
                reason: ReasonCode::NotAuthorized,
                properties: none(),
            })
        },
    },
    Case {
        name: "5.0 CONNACK with every CONNACK property",
        version: V5,
        bytes: &[
            0x20, // CONNACK
            0x4e, // remaining length 78
            0x01, // acknowledge flags: session present
            0x00, // reason: success
            0x4b, // property length 75
            0x11, 0x00, 0x00, 0x00, 0x78, // session expiry interval 120
            0x21, 0x00, 0x0a, // receive maximum 10
            0x24, 0x01, // maximum QoS 1
            0x25, 0x00, // retain available: no
            0x27, 0x00, 0x00, 0x10, 0x00, // maximum packet size 4096
            0x12, 0x00, 0x04, b'a', b'u', b't', b'o', // assigned client id "auto"
            0x22, 0x00, 0x05, // topic alias maximum 5
            0x1f, 0x00, 0x02, b'o', b'k', // reason string "ok"
            0x26, 0x00, 0x01, b'x', 0x00, 0x01, b'y', // user property x=y
            0x28, 0x01, // wildcard subscription available
            0x29, 0x00, // subscription identifiers not available
            0x2a, 0x01, // shared subscription available
            0x13, 0x00, 0x1e, // server keep alive 30
            0x1a, 0x00, 0x04, b'r', b'e', b's', b'p', // response information "resp"
            0x1c, 0x00, 0x05, b'o', b't', b'h', b'e', b'r', // server reference "other"
            0x15, 0x00, 0x05, b'S', b'C', b'R', b'A', b'M', // authentication method
            0x16, 0x00, 0x01, 0x00, // authentication data: one zero byte
        ],
        packet: || {
            Packet::ConnAck(ConnAck {
                session_present: true,
                reason: ReasonCode::Success,
                properties: props(vec![
                    Property::SessionExpiryInterval(120),
                    Property::ReceiveMaximum(10),
                    Property::MaximumQoS(1),
                    Property::RetainAvailable(0),
                    Property::MaximumPacketSize(4096),
                    Property::AssignedClientIdentifier(s("auto")),
                    Property::TopicAliasMaximum(5),
                    Property::ReasonString(s("ok")),
                    user("x", "y"),
                    Property::WildcardSubscriptionAvailable(1),
                    Property::SubscriptionIdentifierAvailable(0),
                    Property::SharedSubscriptionAvailable(1),
                    Property::ServerKeepAlive(30),
                    Property::ResponseInformation(s("resp")),
                    Property::ServerReference(s("other")),
                    Property::AuthenticationMethod(s("SCRAM")),
                    Property::AuthenticationData(b(&[0])),
                ]),
            })
        },
    },
    Case {
        name: "5.0 PUBLISH QoS 0 no properties",
        version: V5,
        bytes: &[
            0x30, // PUBLISH, QoS 0
            0x0b, // remaining length 11
            0x00, 0x03, b'a', b'/', b'b', // topic "a/b"
            0x00, // property length 0
            b'h', b'e', b'l', b'l', b'o', // payload "hello"
        ],
        packet: || Packet::Publish(Publish::new("a/b", QosPid::AtMostOnce, &b"hello"[..])),
    },
    Case {
        name: "5.0 PUBLISH with every PUBLISH property",
        version: V5,
        bytes: &[
            0x32, // PUBLISH, QoS 1
            0x42, // remaining length 66
            0x00, 0x03, b'a', b'/', b'b', // topic "a/b"
            0x00, 0x07, // packet identifier 7
            0x38, // property length 56
            0x01, 0x01, // payload format indicator: UTF-8
            0x02, 0x00, 0x00, 0x01, 0x2c, // message expiry interval 300
            0x23, 0x00, 0x03, // topic alias 3
            0x08, 0x00, 0x05, b'r', b'e', b'p', b'l', b'y', // response topic "reply"
            0x09, 0x00, 0x03, 0x0c, 0x0d, 0x0e, // correlation data
            0x26, 0x00, 0x01, b'a', 0x00, 0x01, b'1', // user property a=1
            0x0b, 0x05, // subscription identifier 5
            0x26, 0x00, 0x01, b'a', 0x00, 0x01,
            b'2', // user property a=2 (same name, order kept)
            0x0b, 0xc8, 0x01, // subscription identifier 200 (two-byte varint)
            0x03, 0x00, 0x0a, b't', b'e', b'x', b't', b'/', b'p', b'l', b'a', b'i',
            b'n', // content type "text/plain"
            b'h', b'i', // payload "hi"
        ],
        packet: || {
            Packet::Publish(Publish {
                properties: props(vec![
                    Property::PayloadFormatIndicator(1),
                    Property::MessageExpiryInterval(300),
                    Property::TopicAlias(3),
                    Property::ResponseTopic(s("reply")),
                    Property::CorrelationData(b(&[0x0c, 0x0d, 0x0e])),
                    user("a", "1"),
                    Property::SubscriptionIdentifier(5),
                    user("a", "2"),
                    Property::SubscriptionIdentifier(200),
                    Property::ContentType(s("text/plain")),
                ]),
                ..Publish::new("a/b", QosPid::AtLeastOnce(pid(7)), &b"hi"[..])
            })
        },
    },
    Case {
        name: "5.0 PUBLISH empty topic with topic alias",
        version: V5,
        bytes: &[
            0x31, // PUBLISH, QoS 0, retain
            0x07, // remaining length 7
            0x00, 0x00, // topic "" (the alias stands for it)
            0x03, // property length 3
            0x23, 0x00, 0x01, // topic alias 1
            b'x', // payload "x"
        ],
        packet: || {
            Packet::Publish(Publish {
                retain: true,
                properties: props(vec![Property::TopicAlias(1)]),
                ..Publish::new("", QosPid::AtMostOnce, &b"x"[..])
            })
        },
    },
    Case {
        name: "5.0 PUBACK short form",
        version: V5,
        bytes: &[
            0x40, // PUBACK
            0x02, // remaining length 2: success, no properties
            0x00, 0x01, // packet identifier 1
        ],
        packet: || Packet::PubAck(PublishAck::new(pid(1))),
    },
    Case {
        name: "5.0 PUBACK reason only",
        version: V5,
        bytes: &[
            0x40, // PUBACK
            0x03, // remaining length 3: reason, no property length
            0x00, 0x02, // packet identifier 2
            0x10, // reason: no matching subscribers
        ],
        packet: || Packet::PubAck(ack(2, ReasonCode::NoMatchingSubscribers, none())),
    },
    Case {
        name: "5.0 PUBACK success with properties",
        version: V5,
        bytes: &[
            0x40, // PUBACK
            0x0b, // remaining length 11
            0x00, 0x03, // packet identifier 3
            0x00, // reason: success (needed because properties follow)
            0x07, // property length 7
            0x26, 0x00, 0x01, b'k', 0x00, 0x01, b'v', // user property k=v
        ],
        packet: || Packet::PubAck(ack(3, ReasonCode::Success, props(vec![user("k", "v")]))),
    },
    Case {
        name: "5.0 PUBREC error with reason string",
        version: V5,
        bytes: &[
            0x50, // PUBREC
            0x0a, // remaining length 10
            0x00, 0x04, // packet identifier 4
            0x80, // reason: unspecified error
            0x06, // property length 6
            0x1f, 0x00, 0x03, b'b', b'a', b'd', // reason string "bad"
        ],
        packet: || {
            Packet::PubRec(ack(
                4,
                ReasonCode::UnspecifiedError,
                props(vec![Property::ReasonString(s("bad"))]),
            ))
        },
    },
    Case {
        name: "5.0 PUBREC short form",
        version: V5,
        bytes: &[
            0x50, // PUBREC
            0x02, // remaining length 2
            0x00, 0x04, // packet identifier 4
        ],
        packet: || Packet::PubRec(PublishAck::new(pid(4))),
    },
    Case {
        name: "5.0 PUBREL short form",
        version: V5,
        bytes: &[
            0x62, // PUBREL, flags 0b0010
            0x02, // remaining length 2
            0x00, 0x05, // packet identifier 5
        ],
        packet: || Packet::PubRel(PublishAck::new(pid(5))),
    },
    Case {
        name: "5.0 PUBREL identifier not found",
        version: V5,
        bytes: &[
            0x62, // PUBREL, flags 0b0010
            0x03, // remaining length 3
            0x00, 0x05, // packet identifier 5
            0x92, // reason: packet identifier not found
        ],
        packet: || Packet::PubRel(ack(5, ReasonCode::PacketIdentifierNotFound, none())),
    },
    Case {
        name: "5.0 PUBCOMP short form",
        version: V5,
        bytes: &[
            0x70, // PUBCOMP
            0x02, // remaining length 2
            0x00, 0x05, // packet identifier 5
        ],
        packet: || Packet::PubComp(PublishAck::new(pid(5))),
    },
    Case {
        name: "5.0 PUBCOMP identifier not found with reason string",
        version: V5,
        bytes: &[
            0x70, // PUBCOMP
            0x09, // remaining length 9
            0x00, 0x05, // packet identifier 5
            0x92, // reason: packet identifier not found
            0x05, // property length 5
            0x1f, 0x00, 0x02, b'n', b'f', // reason string "nf"
        ],
        packet: || {
            Packet::PubComp(ack(
                5,
                ReasonCode::PacketIdentifierNotFound,
                props(vec![Property::ReasonString(s("nf"))]),
            ))
        },
    },
    Case {
        name: "5.0 SUBSCRIBE with every option bit",
        version: V5,
        bytes: &[
            0x82, // SUBSCRIBE, flags 0b0010
            0x1c, // remaining length 28
            0x00, 0x0a, // packet identifier 10
            0x09, // property length 9
            0x0b, 0x2a, // subscription identifier 42
            0x26, 0x00, 0x01, b'k', 0x00, 0x01, b'v', // user property k=v
            0x00, 0x03, b'a', b'/', b'+', // filter "a/+"
            0x2e, // options: retain handling 2, retain as published, no local, QoS 2
            0x00, 0x01, b'#', // filter "#"
            0x11, // options: retain handling 1, QoS 1
            0x00, 0x03, b'c', b'/', b'd', // filter "c/d"
            0x00, // options: all zero
        ],
        packet: || {
            Packet::Subscribe(Subscribe {
                pid: pid(10),
                filters: vec![
                    SubscribeFilter {
                        filter: s("a/+"),
                        options: SubscriptionOptions {
                            qos: QoS::ExactlyOnce,
                            no_local: true,
                            retain_as_published: true,
                            retain_handling: RetainHandling::DoNotSend,
                        },
                    },
                    SubscribeFilter {
                        filter: s("#"),
                        options: SubscriptionOptions {
                            retain_handling: RetainHandling::SendIfNew,
                            ..SubscriptionOptions::qos(QoS::AtLeastOnce)
                        },
                    },
                    SubscribeFilter {
                        filter: s("c/d"),
                        options: SubscriptionOptions::qos(QoS::AtMostOnce),
                    },
                ],
                properties: props(vec![Property::SubscriptionIdentifier(42), user("k", "v")]),
            })
        },
    },
    Case {
        name: "5.0 SUBACK with reason string",
        version: V5,
        bytes: &[
            0x90, // SUBACK
            0x0d, // remaining length 13
            0x00, 0x0a, // packet identifier 10
            0x05, // property length 5
            0x1f, 0x00, 0x02, b'o', b'k', // reason string "ok"
            0x02, // granted QoS 2
            0x01, // granted QoS 1
            0x00, // granted QoS 0
            0xa2, // wildcard subscriptions not supported
            0x8f, // topic filter invalid
        ],
        packet: || {
            Packet::SubAck(SubAck {
                pid: pid(10),
                reasons: vec![
                    ReasonCode::GrantedQoS2,
                    ReasonCode::GrantedQoS1,
                    ReasonCode::GRANTED_QOS_0,
                    ReasonCode::WildcardSubscriptionsNotSupported,
                    ReasonCode::TopicFilterInvalid,
                ],
                properties: props(vec![Property::ReasonString(s("ok"))]),
            })
        },
    },
    Case {
        name: "5.0 UNSUBSCRIBE with user property",
        version: V5,
        bytes: &[
            0xa2, // UNSUBSCRIBE, flags 0b0010
            0x12, // remaining length 18
            0x00, 0x0b, // packet identifier 11
            0x07, // property length 7
            0x26, 0x00, 0x01, b'k', 0x00, 0x01, b'v', // user property k=v
            0x00, 0x03, b'a', b'/', b'+', // filter "a/+"
            0x00, 0x01, b'#', // filter "#"
        ],
        packet: || {
            Packet::Unsubscribe(Unsubscribe {
                pid: pid(11),
                filters: vec![s("a/+"), s("#")],
                properties: props(vec![user("k", "v")]),
            })
        },
    },
    Case {
        name: "5.0 UNSUBACK",
        version: V5,
        bytes: &[
            0xb0, // UNSUBACK
            0x05, // remaining length 5
            0x00, 0x0b, // packet identifier 11
            0x00, // property length 0
            0x00, // success
            0x11, // no subscription existed
        ],
        packet: || {
            Packet::UnsubAck(UnsubAck {
                pid: pid(11),
                reasons: vec![ReasonCode::Success, ReasonCode::NoSubscriptionExisted],
                properties: none(),
            })
        },
    },
    Case {
        name: "5.0 PINGREQ",
        version: V5,
        bytes: &[
            0xc0, // PINGREQ
            0x00, // remaining length 0
        ],
        packet: || Packet::PingReq,
    },
    Case {
        name: "5.0 PINGRESP",
        version: V5,
        bytes: &[
            0xd0, // PINGRESP
            0x00, // remaining length 0
        ],
        packet: || Packet::PingResp,
    },
    Case {
        name: "5.0 DISCONNECT normal, short form",
        version: V5,
        bytes: &[
            0xe0, // DISCONNECT
            0x00, // remaining length 0: normal disconnection, no properties
        ],
        packet: || Packet::Disconnect(Disconnect::new(ReasonCode::NORMAL_DISCONNECTION)),
    },
    Case {
        name: "5.0 DISCONNECT reason only",
        version: V5,
        bytes: &[
            0xe0, // DISCONNECT
            0x01, // remaining length 1: reason, no property length
            0x04, // reason: disconnect with will message
        ],
        packet: || Packet::Disconnect(Disconnect::new(ReasonCode::DisconnectWithWillMessage)),
    },
    Case {
        name: "5.0 DISCONNECT normal with session expiry",
        version: V5,
        bytes: &[
            0xe0, // DISCONNECT
            0x07, // remaining length 7
            0x00, // reason: normal disconnection (needed because properties follow)
            0x05, // property length 5
            0x11, 0x00, 0x00, 0x00, 0x3c, // session expiry interval 60
        ],
        packet: || {
            Packet::Disconnect(Disconnect {
                reason: ReasonCode::Success,
                properties: props(vec![Property::SessionExpiryInterval(60)]),
            })
        },
    },
    Case {
        name: "5.0 DISCONNECT use another server with properties",
        version: V5,
        bytes: &[
            0xe0, // DISCONNECT
            0x16, // remaining length 22
            0x9c, // reason: use another server
            0x14, // property length 20
            0x11, 0x00, 0x00, 0x00, 0x00, // session expiry interval 0
            0x1f, 0x00, 0x04, b'm', b'o', b'v', b'e', // reason string "move"
            0x1c, 0x00, 0x05, b'o', b't', b'h', b'e', b'r', // server reference "other"
        ],
        packet: || {
            Packet::Disconnect(Disconnect {
                reason: ReasonCode::UseAnotherServer,
                properties: props(vec![
                    Property::SessionExpiryInterval(0),
                    Property::ReasonString(s("move")),
                    Property::ServerReference(s("other")),
                ]),
            })
        },
    },
    Case {
        name: "5.0 AUTH success, short form",
        version: V5,
        bytes: &[
            0xf0, // AUTH
            0x00, // remaining length 0: success, no properties
        ],
        packet: || Packet::Auth(Auth::new(ReasonCode::Success)),
    },
    Case {
        name: "5.0 AUTH re-authenticate without properties",
        version: V5,
        bytes: &[
            0xf0, // AUTH
            0x02, // remaining length 2
            0x19, // reason: re-authenticate
            0x00, // property length 0 (AUTH has no one-byte form)
        ],
        packet: || Packet::Auth(Auth::new(ReasonCode::ReAuthenticate)),
    },
    Case {
        name: "5.0 AUTH continue with method and data",
        version: V5,
        bytes: &[
            0xf0, // AUTH
            0x10, // remaining length 16
            0x18, // reason: continue authentication
            0x0e, // property length 14
            0x15, 0x00, 0x05, b'S', b'C', b'R', b'A', b'M', // authentication method
            0x16, 0x00, 0x03, 0x01, 0x02, 0x03, // authentication data
        ],
        packet: || {
            Packet::Auth(Auth {
                reason: ReasonCode::ContinueAuthentication,
                properties: props(vec![
                    Property::AuthenticationMethod(s("SCRAM")),
                    Property::AuthenticationData(b(&[1, 2, 3])),
                ]),
            })
        },
    },
];

#[test]
fn decode_gives_the_packet() {
    for c in CASES {
        let got = decode_one(c.bytes, c.version).unwrap_or_else(|e| panic!("{}: {e}", c.name));
        assert_eq!(got, (c.packet)(), "{}", c.name);
    }
}

#[test]
fn encode_gives_the_bytes() {
    for c in CASES {
        let got = encode_checked(&(c.packet)(), c.version);
        assert_eq!(got, c.bytes, "{}", c.name);
    }
}

#[test]
fn round_trip() {
    for c in CASES {
        let p = (c.packet)();
        let bytes = encode_checked(&p, c.version);
        assert_eq!(decode_one(&bytes, c.version), Ok(p), "{}", c.name);
    }
}

#[test]
fn stream_split_at_every_offset() {
    for c in CASES {
        let want = vec![(c.packet)()];
        for cut in 0..=c.bytes.len() {
            let got = stream_chunks(c.version, c.bytes, &[cut])
                .unwrap_or_else(|e| panic!("{} cut at {cut}: {e}", c.name));
            assert_eq!(got, want, "{} cut at {cut}", c.name);
        }
    }
}

#[test]
fn stream_one_byte_at_a_time() {
    for c in CASES {
        let cuts: Vec<usize> = (1..c.bytes.len()).collect();
        let got = stream_chunks(c.version, c.bytes, &cuts).unwrap();
        assert_eq!(got, vec![(c.packet)()], "{}", c.name);
    }
}

#[test]
fn stream_many_packets_in_one_chunk() {
    for version in [V3_1, V3_1_1, V5] {
        let cases: Vec<&Case> = CASES.iter().filter(|c| c.version == version).collect();
        let all: Vec<u8> = cases.iter().flat_map(|c| c.bytes.iter().copied()).collect();
        let want: Vec<Packet> = cases.iter().map(|c| (c.packet)()).collect();
        assert_eq!(
            stream_chunks(version, &all, &[]).unwrap(),
            want,
            "{version:?}"
        );
        // And in odd-sized chunks that cut packets and headers anywhere.
        for size in [2, 3, 7, 13] {
            let cuts: Vec<usize> = (1..)
                .map(|i| i * size)
                .take_while(|&c| c < all.len())
                .collect();
            assert_eq!(
                stream_chunks(version, &all, &cuts).unwrap(),
                want,
                "{version:?}/{size}"
            );
        }
    }
}

#[test]
fn decode_leaves_the_next_packet_in_the_buffer() {
    let mut buf = BytesMut::new();
    buf.extend_from_slice(&[0xc0, 0x00, 0xd0, 0x00, 0xe0]);
    assert_eq!(decode(&mut buf, V3_1_1, 1024), Ok(Some(Packet::PingReq)));
    assert_eq!(decode(&mut buf, V3_1_1, 1024), Ok(Some(Packet::PingResp)));
    // Incomplete: nothing consumed.
    assert_eq!(decode(&mut buf, V3_1_1, 1024), Ok(None));
    assert_eq!(&buf[..], &[0xe0]);
    assert_eq!(decode_slice(&[0x30, 0x05, 0x00], V3_1_1), Ok(None));
    assert_eq!(decode_slice(&[], V3_1_1), Ok(None));
}

#[test]
fn payload_and_binary_fields_share_the_receive_buffer() {
    let c = CASES
        .iter()
        .find(|c| c.name == "5.0 PUBLISH with every PUBLISH property")
        .unwrap();
    let mut buf = BytesMut::from(c.bytes);
    let range = buf.as_ptr() as usize..buf.as_ptr() as usize + buf.len();
    let Some(Packet::Publish(p)) = decode(&mut buf, V5, 1024).unwrap() else {
        panic!("a publish")
    };
    assert!(
        range.contains(&(p.payload.as_ptr() as usize)),
        "payload copied"
    );
    let data = p.properties.correlation_data().unwrap();
    assert!(
        range.contains(&(data.as_ptr() as usize)),
        "correlation data copied"
    );
}

#[test]
fn connect_decodes_with_its_own_version_whatever_the_parameter() {
    for c in CASES.iter().filter(|c| c.bytes[0] == 0x10) {
        for v in [V3_1, V3_1_1, V5] {
            assert_eq!(
                decode_one(c.bytes, v),
                Ok((c.packet)()),
                "{} as {v:?}",
                c.name
            );
            // Encoding follows the packet's own version field too.
            assert_eq!(
                encode_checked(&(c.packet)(), v),
                c.bytes,
                "{} as {v:?}",
                c.name
            );
        }
    }
}

#[test]
fn typed_property_getters() {
    let connack = CASES
        .iter()
        .find(|c| c.name == "5.0 CONNACK with every CONNACK property")
        .unwrap();
    let Packet::ConnAck(ack) = (connack.packet)() else {
        unreachable!()
    };
    let p = &ack.properties;
    assert_eq!(p.session_expiry_interval(), Some(120));
    assert_eq!(p.receive_maximum(), Some(10));
    assert_eq!(p.maximum_qos(), Some(QoS::AtLeastOnce));
    assert_eq!(p.retain_available(), Some(false));
    assert_eq!(p.maximum_packet_size(), Some(4096));
    assert_eq!(p.assigned_client_identifier(), Some("auto"));
    assert_eq!(p.topic_alias_maximum(), Some(5));
    assert_eq!(p.reason_string(), Some("ok"));
    assert_eq!(p.user_properties().collect::<Vec<_>>(), vec![("x", "y")]);
    assert_eq!(p.wildcard_subscription_available(), Some(true));
    assert_eq!(p.subscription_identifier_available(), Some(false));
    assert_eq!(p.shared_subscription_available(), Some(true));
    assert_eq!(p.server_keep_alive(), Some(30));
    assert_eq!(p.response_information(), Some("resp"));
    assert_eq!(p.server_reference(), Some("other"));
    assert_eq!(p.authentication_method(), Some("SCRAM"));
    assert_eq!(p.authentication_data().map(|d| &d[..]), Some(&[0u8][..]));
    assert_eq!(p.topic_alias(), None);

    let publish = CASES
        .iter()
        .find(|c| c.name == "5.0 PUBLISH with every PUBLISH property")
        .unwrap();
    let Packet::Publish(pb) = (publish.packet)() else {
        unreachable!()
    };
    let p = &pb.properties;
    assert_eq!(
        p.subscription_identifiers().collect::<Vec<_>>(),
        vec![5, 200]
    );
    assert_eq!(
        p.user_properties().collect::<Vec<_>>(),
        vec![("a", "1"), ("a", "2")]
    );
    assert_eq!(p.payload_format_indicator(), Some(1));
    assert_eq!(p.message_expiry_interval(), Some(300));
    assert_eq!(p.topic_alias(), Some(3));
    assert_eq!(p.response_topic(), Some("reply"));
    assert_eq!(p.content_type(), Some("text/plain"));
    assert!(!p.is_empty());
    assert!(none().is_empty());
}
