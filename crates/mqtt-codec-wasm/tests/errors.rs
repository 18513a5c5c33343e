//! One test case per error the spec demands: the exact variant, its spec reference and the
//! reason code a 5.0 peer would send; then encode errors and the stream decoder's defences.

mod common;

use common::*;
use mqtt_codec_wasm::ProtocolVersion::{self, V3_1, V3_1_1, V5};
use mqtt_codec_wasm::*;

use DecodeError as E;
use PacketType as T;
use ReasonCode as R;

struct Bad {
    name: &'static str,
    version: ProtocolVersion,
    bytes: &'static [u8],
    error: DecodeError,
    spec: &'static str,
    reason: ReasonCode,
}

const fn ctx(t: PacketType) -> PropertyContext {
    PropertyContext::Packet(t)
}

const BAD: &[Bad] = &[
    Bad {
        name: "remaining length in 5 bytes",
        version: V3_1_1,
        bytes: &[0x30, 0xff, 0xff, 0xff, 0xff, 0x01],
        error: E::VarintTooLong,
        spec: "MQTT-1.5.5-1",
        reason: R::MalformedPacket,
    },
    Bad {
        name: "non-minimal remaining length",
        version: V5,
        bytes: &[0xc0, 0x80, 0x00],
        error: E::NonMinimalVarint,
        spec: "MQTT-1.5.5-1",
        reason: R::MalformedPacket,
    },
    Bad {
        name: "packet type 0",
        version: V3_1_1,
        bytes: &[0x00, 0x00],
        error: E::ReservedPacketType { first_byte: 0x00 },
        spec: "MQTT-2.1.2",
        reason: R::MalformedPacket,
    },
    Bad {
        name: "PUBREL flags 0",
        version: V3_1_1,
        bytes: &[0x60, 0x02, 0x00, 0x01],
        error: E::InvalidHeaderFlags {
            packet_type: T::PubRel,
            flags: 0,
        },
        spec: "MQTT-2.1.3-1",
        reason: R::MalformedPacket,
    },
    Bad {
        name: "SUBSCRIBE flags 0",
        version: V5,
        bytes: &[0x80, 0x06, 0x00, 0x01, 0x00, 0x01, b'a', 0x00],
        error: E::InvalidHeaderFlags {
            packet_type: T::Subscribe,
            flags: 0,
        },
        spec: "MQTT-2.1.3-1",
        reason: R::MalformedPacket,
    },
    Bad {
        name: "UNSUBSCRIBE flags 0b0011",
        version: V3_1_1,
        bytes: &[0xa3, 0x05, 0x00, 0x01, 0x00, 0x01, b'a'],
        error: E::InvalidHeaderFlags {
            packet_type: T::Unsubscribe,
            flags: 3,
        },
        spec: "MQTT-2.1.3-1",
        reason: R::MalformedPacket,
    },
    Bad {
        name: "PUBACK flags 0b0010",
        version: V3_1_1,
        bytes: &[0x42, 0x02, 0x00, 0x01],
        error: E::InvalidHeaderFlags {
            packet_type: T::PubAck,
            flags: 2,
        },
        spec: "MQTT-2.1.3-1",
        reason: R::MalformedPacket,
    },
    Bad {
        name: "PUBLISH QoS 3",
        version: V3_1_1,
        bytes: &[0x36, 0x05, 0x00, 0x01, b't', 0x00, 0x01],
        error: E::InvalidQoS {
            packet_type: T::Publish,
            byte: 0x36,
        },
        spec: "MQTT-3.3.1-4",
        reason: R::MalformedPacket,
    },
    Bad {
        name: "PUBLISH DUP at QoS 0",
        version: V5,
        bytes: &[0x38, 0x04, 0x00, 0x01, b't', 0x00],
        error: E::DupAtQoS0 { first_byte: 0x38 },
        spec: "MQTT-3.3.1-2",
        reason: R::MalformedPacket,
    },
    Bad {
        name: "PUBACK packet identifier 0",
        version: V3_1_1,
        bytes: &[0x40, 0x02, 0x00, 0x00],
        error: E::ZeroPacketId {
            packet_type: T::PubAck,
        },
        spec: "MQTT-2.2.1-3",
        reason: R::ProtocolError,
    },
    Bad {
        name: "PUBLISH QoS 1 packet identifier 0",
        version: V5,
        bytes: &[0x32, 0x06, 0x00, 0x01, b't', 0x00, 0x00, 0x00],
        error: E::ZeroPacketId {
            packet_type: T::Publish,
        },
        spec: "MQTT-2.2.1-3",
        reason: R::ProtocolError,
    },
    Bad {
        name: "SUBSCRIBE packet identifier 0",
        version: V3_1_1,
        bytes: &[0x82, 0x06, 0x00, 0x00, 0x00, 0x01, b'a', 0x00],
        error: E::ZeroPacketId {
            packet_type: T::Subscribe,
        },
        spec: "MQTT-2.2.1-3",
        reason: R::ProtocolError,
    },
    Bad {
        name: "overlong UTF-8 in a topic",
        version: V3_1_1,
        bytes: &[0x30, 0x05, 0x00, 0x03, b'a', 0xc0, 0x80],
        error: E::InvalidUtf8 {
            packet_type: T::Publish,
        },
        spec: "MQTT-1.5.4-1",
        reason: R::MalformedPacket,
    },
    Bad {
        name: "UTF-16 surrogate in a client id",
        version: V3_1_1,
        bytes: &[
            0x10, 0x0f, 0x00, 0x04, b'M', b'Q', b'T', b'T', 0x04, 0x02, 0x00, 0x00, 0x00, 0x03,
            0xed, 0xa0, 0x80,
        ],
        error: E::InvalidUtf8 {
            packet_type: T::Connect,
        },
        spec: "MQTT-1.5.4-1",
        reason: R::MalformedPacket,
    },
    Bad {
        name: "U+0000 in a topic",
        version: V3_1_1,
        bytes: &[0x30, 0x04, 0x00, 0x02, b'a', 0x00],
        error: E::NullCharacter {
            packet_type: T::Publish,
        },
        spec: "MQTT-1.5.4-2",
        reason: R::MalformedPacket,
    },
    Bad {
        name: "U+0000 in a user property",
        version: V5,
        bytes: &[
            0x40, 0x0b, 0x00, 0x01, 0x00, 0x07, 0x26, 0x00, 0x01, b'k', 0x00, 0x01, 0x00,
        ],
        error: E::NullCharacter {
            packet_type: T::PubAck,
        },
        spec: "MQTT-1.5.4-2",
        reason: R::MalformedPacket,
    },
    Bad {
        name: "wildcard + in a topic name",
        version: V3_1_1,
        bytes: &[0x30, 0x05, 0x00, 0x03, b'a', b'/', b'+'],
        error: E::InvalidTopicName {
            packet_type: T::Publish,
        },
        spec: "MQTT-3.3.2-2",
        reason: R::TopicNameInvalid,
    },
    Bad {
        name: "wildcard # in a topic name",
        version: V5,
        bytes: &[0x30, 0x04, 0x00, 0x01, b'#', 0x00],
        error: E::InvalidTopicName {
            packet_type: T::Publish,
        },
        spec: "MQTT-3.3.2-2",
        reason: R::TopicNameInvalid,
    },
    Bad {
        name: "wildcard in a will topic",
        version: V3_1_1,
        bytes: &[
            0x10, 0x12, 0x00, 0x04, b'M', b'Q', b'T', b'T', 0x04, 0x06, 0x00, 0x00, 0x00, 0x01,
            b'c', 0x00, 0x01, b'#', 0x00, 0x00,
        ],
        error: E::InvalidTopicName {
            packet_type: T::Connect,
        },
        spec: "MQTT-3.3.2-2",
        reason: R::TopicNameInvalid,
    },
    Bad {
        name: "empty topic before 5.0",
        version: V3_1_1,
        bytes: &[0x30, 0x03, 0x00, 0x00, b'x'],
        error: E::EmptyTopicName {
            packet_type: T::Publish,
        },
        spec: "MQTT-4.7.3-1",
        reason: R::ProtocolError,
    },
    Bad {
        name: "empty topic without topic alias in 5.0",
        version: V5,
        bytes: &[0x30, 0x04, 0x00, 0x00, 0x00, b'x'],
        error: E::EmptyTopicName {
            packet_type: T::Publish,
        },
        spec: "MQTT-4.7.3-1",
        reason: R::ProtocolError,
    },
    Bad {
        name: "protocol name MQTT with level 3",
        version: V3_1_1,
        bytes: &[
            0x10, 0x0d, 0x00, 0x04, b'M', b'Q', b'T', b'T', 0x03, 0x02, 0x00, 0x00, 0x00, 0x01,
            b'c',
        ],
        error: E::UnsupportedProtocolLevel { level: 3 },
        spec: "MQTT-3.1.2-2",
        reason: R::UnsupportedProtocolVersion,
    },
    Bad {
        name: "protocol name MQIsdp with level 4",
        version: V3_1_1,
        bytes: &[
            0x10, 0x0f, 0x00, 0x06, b'M', b'Q', b'I', b's', b'd', b'p', 0x04, 0x02, 0x00, 0x00,
            0x00, 0x01, b'c',
        ],
        error: E::UnsupportedProtocolLevel { level: 4 },
        spec: "MQTT-3.1.2-2",
        reason: R::UnsupportedProtocolVersion,
    },
    Bad {
        name: "protocol level 6",
        version: V5,
        bytes: &[
            0x10, 0x0d, 0x00, 0x04, b'M', b'Q', b'T', b'T', 0x06, 0x02, 0x00, 0x00, 0x00, 0x01,
            b'c',
        ],
        error: E::UnsupportedProtocolLevel { level: 6 },
        spec: "MQTT-3.1.2-2",
        reason: R::UnsupportedProtocolVersion,
    },
    Bad {
        name: "protocol name MQTX",
        version: V3_1_1,
        bytes: &[
            0x10, 0x0d, 0x00, 0x04, b'M', b'Q', b'T', b'X', 0x04, 0x02, 0x00, 0x00, 0x00, 0x01,
            b'c',
        ],
        error: E::InvalidProtocolName { len: 4 },
        spec: "MQTT-3.1.2-1",
        reason: R::UnsupportedProtocolVersion,
    },
    Bad {
        name: "CONNECT reserved flag",
        version: V3_1_1,
        bytes: &[
            0x10, 0x0d, 0x00, 0x04, b'M', b'Q', b'T', b'T', 0x04, 0x03, 0x00, 0x00, 0x00, 0x01,
            b'c',
        ],
        error: E::ConnectReservedFlag { flags: 0x03 },
        spec: "MQTT-3.1.2-3",
        reason: R::MalformedPacket,
    },
    Bad {
        name: "will QoS without will flag",
        version: V3_1_1,
        bytes: &[
            0x10, 0x0d, 0x00, 0x04, b'M', b'Q', b'T', b'T', 0x04, 0x0a, 0x00, 0x00, 0x00, 0x01,
            b'c',
        ],
        error: E::WillFlagsWithoutWill { flags: 0x0a },
        spec: "MQTT-3.1.2-11",
        reason: R::MalformedPacket,
    },
    Bad {
        name: "will retain without will flag",
        version: V5,
        bytes: &[
            0x10, 0x0e, 0x00, 0x04, b'M', b'Q', b'T', b'T', 0x05, 0x22, 0x00, 0x00, 0x00, 0x00,
            0x01, b'c',
        ],
        error: E::WillFlagsWithoutWill { flags: 0x22 },
        spec: "MQTT-3.1.2-13",
        reason: R::MalformedPacket,
    },
    Bad {
        name: "will QoS 3",
        version: V3_1_1,
        bytes: &[
            0x10, 0x12, 0x00, 0x04, b'M', b'Q', b'T', b'T', 0x04, 0x1e, 0x00, 0x00, 0x00, 0x01,
            b'c', 0x00, 0x01, b'w', 0x00, 0x00,
        ],
        error: E::InvalidQoS {
            packet_type: T::Connect,
            byte: 0x1e,
        },
        spec: "MQTT-3.1.2-12",
        reason: R::MalformedPacket,
    },
    Bad {
        name: "password without user name before 5.0",
        version: V3_1_1,
        bytes: &[
            0x10, 0x10, 0x00, 0x04, b'M', b'Q', b'T', b'T', 0x04, 0x42, 0x00, 0x00, 0x00, 0x01,
            b'c', 0x00, 0x01, b'p',
        ],
        error: E::PasswordWithoutUsername { flags: 0x42 },
        spec: "MQTT-3.1.2-22",
        reason: R::MalformedPacket,
    },
    Bad {
        name: "3.1 client id of 24 bytes",
        version: V3_1,
        bytes: &[
            0x10, 0x26, 0x00, 0x06, b'M', b'Q', b'I', b's', b'd', b'p', 0x03, 0x02, 0x00, 0x00,
            0x00, 0x18, b'a', b'b', b'c', b'd', b'e', b'f', b'g', b'h', b'i', b'j', b'k', b'l',
            b'm', b'n', b'o', b'p', b'q', b'r', b's', b't', b'u', b'v', b'w', b'x',
        ],
        error: E::ClientIdLength { len: 24 },
        spec: "MQTT-3.1.3-5",
        reason: R::ClientIdentifierNotValid,
    },
    Bad {
        name: "3.1 empty client id",
        version: V3_1,
        bytes: &[
            0x10, 0x0e, 0x00, 0x06, b'M', b'Q', b'I', b's', b'd', b'p', 0x03, 0x02, 0x00, 0x00,
            0x00, 0x00,
        ],
        error: E::ClientIdLength { len: 0 },
        spec: "MQTT-3.1.3-5",
        reason: R::ClientIdentifierNotValid,
    },
    Bad {
        name: "CONNACK reserved acknowledge flags (3.1.1)",
        version: V3_1_1,
        bytes: &[0x20, 0x02, 0x02, 0x00],
        error: E::ConnAckReservedFlags { flags: 0x02 },
        spec: "MQTT-3.2.2-1",
        reason: R::MalformedPacket,
    },
    Bad {
        name: "CONNACK session present in 3.1",
        version: V3_1,
        bytes: &[0x20, 0x02, 0x01, 0x00],
        error: E::ConnAckReservedFlags { flags: 0x01 },
        spec: "MQTT-3.2.2-1",
        reason: R::MalformedPacket,
    },
    Bad {
        name: "CONNACK reserved acknowledge flags (5.0)",
        version: V5,
        bytes: &[0x20, 0x03, 0x80, 0x00, 0x00],
        error: E::ConnAckReservedFlags { flags: 0x80 },
        spec: "MQTT-3.2.2-1",
        reason: R::MalformedPacket,
    },
    Bad {
        name: "3.1.1 CONNACK refusing a 5.0 CONNECT",
        version: V5,
        bytes: &[0x20, 0x02, 0x00, 0x01],
        error: E::OlderVersionConnAck { return_code: 1 },
        spec: "MQTT-3.1.2-2",
        reason: R::MalformedPacket,
    },
    Bad {
        name: "two-byte CONNACK with a code no 3.1.1 server sends (5.0)",
        version: V5,
        bytes: &[0x20, 0x02, 0x00, 0x86],
        error: E::InvalidReasonCode {
            packet_type: PacketType::ConnAck,
            code: 0x86,
        },
        spec: "MQTT-2.4",
        reason: R::MalformedPacket,
    },
    Bad {
        name: "CONNACK return code 6 (3.1.1)",
        version: V3_1_1,
        bytes: &[0x20, 0x02, 0x00, 0x06],
        error: E::InvalidReasonCode {
            packet_type: T::ConnAck,
            code: 6,
        },
        spec: "MQTT-2.4",
        reason: R::MalformedPacket,
    },
    Bad {
        name: "SUBSCRIBE without filters (3.1.1)",
        version: V3_1_1,
        bytes: &[0x82, 0x02, 0x00, 0x01],
        error: E::NoTopicFilters {
            packet_type: T::Subscribe,
        },
        spec: "MQTT-3.8.3-3",
        reason: R::MalformedPacket,
    },
    Bad {
        name: "SUBSCRIBE without filters (5.0)",
        version: V5,
        bytes: &[0x82, 0x03, 0x00, 0x01, 0x00],
        error: E::NoTopicFilters {
            packet_type: T::Subscribe,
        },
        spec: "MQTT-3.8.3-3",
        reason: R::MalformedPacket,
    },
    Bad {
        name: "SUBSCRIBE reserved option bits (5.0)",
        version: V5,
        bytes: &[0x82, 0x07, 0x00, 0x01, 0x00, 0x00, 0x01, b'a', 0x40],
        error: E::SubscriptionOptionsReserved { options: 0x40 },
        spec: "MQTT-3.8.3-5",
        reason: R::MalformedPacket,
    },
    Bad {
        name: "SUBSCRIBE upper six option bits (3.1.1)",
        version: V3_1_1,
        bytes: &[0x82, 0x06, 0x00, 0x01, 0x00, 0x01, b'a', 0x04],
        error: E::SubscriptionOptionsReserved { options: 0x04 },
        spec: "MQTT-3.8.3-5",
        reason: R::MalformedPacket,
    },
    Bad {
        name: "SUBSCRIBE retain handling 3",
        version: V5,
        bytes: &[0x82, 0x07, 0x00, 0x01, 0x00, 0x00, 0x01, b'a', 0x30],
        error: E::InvalidRetainHandling { options: 0x30 },
        spec: "MQTT-3.8.3.1",
        reason: R::ProtocolError,
    },
    Bad {
        name: "SUBSCRIBE QoS 3",
        version: V3_1_1,
        bytes: &[0x82, 0x06, 0x00, 0x01, 0x00, 0x01, b'a', 0x03],
        error: E::InvalidQoS {
            packet_type: T::Subscribe,
            byte: 0x03,
        },
        spec: "MQTT-3.8.3-5",
        reason: R::MalformedPacket,
    },
    Bad {
        name: "SUBSCRIBE empty filter",
        version: V3_1_1,
        bytes: &[0x82, 0x05, 0x00, 0x01, 0x00, 0x00, 0x00],
        error: E::EmptyTopicFilter {
            packet_type: T::Subscribe,
        },
        spec: "MQTT-4.7.3-1",
        reason: R::TopicFilterInvalid,
    },
    Bad {
        name: "UNSUBSCRIBE without filters",
        version: V3_1_1,
        bytes: &[0xa2, 0x02, 0x00, 0x01],
        error: E::NoTopicFilters {
            packet_type: T::Unsubscribe,
        },
        spec: "MQTT-3.10.3-2",
        reason: R::MalformedPacket,
    },
    Bad {
        name: "SUBACK without return codes",
        version: V3_1_1,
        bytes: &[0x90, 0x02, 0x00, 0x01],
        error: E::NoReasonCodes {
            packet_type: T::SubAck,
        },
        spec: "MQTT-3.9.3-1",
        reason: R::MalformedPacket,
    },
    Bad {
        name: "UNSUBACK without reason codes (5.0)",
        version: V5,
        bytes: &[0xb0, 0x03, 0x00, 0x01, 0x00],
        error: E::NoReasonCodes {
            packet_type: T::UnsubAck,
        },
        spec: "MQTT-3.11.3-1",
        reason: R::MalformedPacket,
    },
    Bad {
        name: "SUBACK return code 3 (3.1.1)",
        version: V3_1_1,
        bytes: &[0x90, 0x03, 0x00, 0x01, 0x03],
        error: E::InvalidReasonCode {
            packet_type: T::SubAck,
            code: 3,
        },
        spec: "MQTT-3.9.3-2",
        reason: R::MalformedPacket,
    },
    Bad {
        name: "SUBACK 5.0 code 0x87 is fine but 0x81 is not allowed",
        version: V5,
        bytes: &[0x90, 0x05, 0x00, 0x01, 0x00, 0x87, 0x81],
        error: E::InvalidReasonCode {
            packet_type: T::SubAck,
            code: 0x81,
        },
        spec: "MQTT-3.9.3-2",
        reason: R::MalformedPacket,
    },
    Bad {
        name: "PUBACK reason not allowed in PUBACK",
        version: V5,
        bytes: &[0x40, 0x03, 0x00, 0x01, 0x92],
        error: E::InvalidReasonCode {
            packet_type: T::PubAck,
            code: 0x92,
        },
        spec: "MQTT-2.4",
        reason: R::MalformedPacket,
    },
    Bad {
        name: "unknown reason code",
        version: V5,
        bytes: &[0xe0, 0x01, 0x03],
        error: E::InvalidReasonCode {
            packet_type: T::Disconnect,
            code: 0x03,
        },
        spec: "MQTT-2.4",
        reason: R::MalformedPacket,
    },
    Bad {
        name: "AUTH reason not allowed in AUTH",
        version: V5,
        bytes: &[0xf0, 0x02, 0x80, 0x00],
        error: E::InvalidReasonCode {
            packet_type: T::Auth,
            code: 0x80,
        },
        spec: "MQTT-2.4",
        reason: R::MalformedPacket,
    },
    Bad {
        name: "AUTH before 5.0",
        version: V3_1_1,
        bytes: &[0xf0, 0x00],
        error: E::AuthBeforeV5,
        spec: "MQTT-2.1.2",
        reason: R::MalformedPacket,
    },
    Bad {
        name: "AUTH with reason and no property length",
        version: V5,
        bytes: &[0xf0, 0x01, 0x18],
        error: E::Truncated {
            packet_type: T::Auth,
            needed: 1,
            remaining: 0,
        },
        spec: "MQTT-2.1.4",
        reason: R::MalformedPacket,
    },
    Bad {
        name: "string running past the remaining length",
        version: V3_1_1,
        bytes: &[0x30, 0x03, 0x00, 0x05, b'a'],
        error: E::Truncated {
            packet_type: T::Publish,
            needed: 5,
            remaining: 1,
        },
        spec: "MQTT-2.1.4",
        reason: R::MalformedPacket,
    },
    Bad {
        name: "CONNECT cut inside the flags",
        version: V3_1_1,
        bytes: &[0x10, 0x07, 0x00, 0x04, b'M', b'Q', b'T', b'T', 0x04],
        error: E::Truncated {
            packet_type: T::Connect,
            needed: 1,
            remaining: 0,
        },
        spec: "MQTT-2.1.4",
        reason: R::MalformedPacket,
    },
    Bad {
        name: "property length running past the remaining length",
        version: V5,
        bytes: &[0x30, 0x06, 0x00, 0x01, b't', 0x05, 0x01, 0x01],
        error: E::PropertyLength {
            packet_type: T::Publish,
            declared: 5,
            actual: 2,
        },
        spec: "MQTT-2.2.2.2",
        reason: R::MalformedPacket,
    },
    Bad {
        name: "property running past the property length",
        version: V5,
        bytes: &[
            0x30, 0x0a, 0x00, 0x01, b't', 0x02, 0x02, 0x00, 0x00, 0x00, 0x3c, b'x',
        ],
        error: E::PropertyLength {
            packet_type: T::Publish,
            declared: 2,
            actual: 5,
        },
        spec: "MQTT-2.2.2.2",
        reason: R::MalformedPacket,
    },
    Bad {
        name: "trailing bytes after CONNACK properties",
        version: V5,
        bytes: &[0x20, 0x04, 0x00, 0x00, 0x00, 0xff],
        error: E::TrailingBytes {
            packet_type: T::ConnAck,
            declared: 4,
            used: 3,
        },
        spec: "MQTT-2.1.4",
        reason: R::MalformedPacket,
    },
    Bad {
        name: "trailing bytes after CONNECT password",
        version: V3_1_1,
        bytes: &[
            0x10, 0x0e, 0x00, 0x04, b'M', b'Q', b'T', b'T', 0x04, 0x02, 0x00, 0x00, 0x00, 0x01,
            b'c', 0x00,
        ],
        error: E::TrailingBytes {
            packet_type: T::Connect,
            declared: 14,
            used: 13,
        },
        spec: "MQTT-2.1.4",
        reason: R::MalformedPacket,
    },
    Bad {
        name: "3.1.1 PUBACK with a reason code",
        version: V3_1_1,
        bytes: &[0x40, 0x03, 0x00, 0x01, 0x10],
        error: E::UnexpectedRemainingLength {
            packet_type: T::PubAck,
            expected: 2,
            found: 3,
        },
        spec: "MQTT-2.1.4",
        reason: R::MalformedPacket,
    },
    Bad {
        name: "PINGREQ with a body",
        version: V3_1_1,
        bytes: &[0xc0, 0x01, 0x00],
        error: E::UnexpectedRemainingLength {
            packet_type: T::PingReq,
            expected: 0,
            found: 1,
        },
        spec: "MQTT-2.1.4",
        reason: R::MalformedPacket,
    },
    Bad {
        name: "PINGRESP with a body",
        version: V5,
        bytes: &[0xd0, 0x01, 0x00],
        error: E::UnexpectedRemainingLength {
            packet_type: T::PingResp,
            expected: 0,
            found: 1,
        },
        spec: "MQTT-2.1.4",
        reason: R::MalformedPacket,
    },
    Bad {
        name: "3.1.1 DISCONNECT with a body",
        version: V3_1_1,
        bytes: &[0xe0, 0x01, 0x00],
        error: E::UnexpectedRemainingLength {
            packet_type: T::Disconnect,
            expected: 0,
            found: 1,
        },
        spec: "MQTT-2.1.4",
        reason: R::MalformedPacket,
    },
    Bad {
        name: "unknown property identifier",
        version: V5,
        bytes: &[0x30, 0x06, 0x00, 0x01, b't', 0x02, 0x05, 0x00],
        error: E::UnknownProperty {
            context: ctx(T::Publish),
            id: 0x05,
        },
        spec: "MQTT-2.2.2.2",
        reason: R::MalformedPacket,
    },
    Bad {
        name: "topic alias in CONNACK",
        version: V5,
        bytes: &[0x20, 0x06, 0x00, 0x00, 0x03, 0x23, 0x00, 0x01],
        error: E::PropertyNotAllowed {
            context: ctx(T::ConnAck),
            id: PropertyId::TopicAlias,
        },
        spec: "MQTT-2.2.2.2",
        reason: R::MalformedPacket,
    },
    Bad {
        name: "will delay interval among CONNECT properties",
        version: V5,
        bytes: &[
            0x10, 0x13, 0x00, 0x04, b'M', b'Q', b'T', b'T', 0x05, 0x02, 0x00, 0x00, 0x05, 0x18,
            0x00, 0x00, 0x00, 0x01, 0x00, 0x01, b'c',
        ],
        error: E::PropertyNotAllowed {
            context: ctx(T::Connect),
            id: PropertyId::WillDelayInterval,
        },
        spec: "MQTT-2.2.2.2",
        reason: R::MalformedPacket,
    },
    Bad {
        name: "session expiry among will properties",
        version: V5,
        bytes: &[
            0x10, 0x19, 0x00, 0x04, b'M', b'Q', b'T', b'T', 0x05, 0x06, 0x00, 0x00, 0x00, 0x00,
            0x01, b'c', 0x05, 0x11, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, b'w', 0x00, 0x00,
        ],
        error: E::PropertyNotAllowed {
            context: PropertyContext::Will,
            id: PropertyId::SessionExpiryInterval,
        },
        spec: "MQTT-2.2.2.2",
        reason: R::MalformedPacket,
    },
    Bad {
        name: "reason string twice",
        version: V5,
        bytes: &[
            0x40, 0x0c, 0x00, 0x01, 0x00, 0x08, 0x1f, 0x00, 0x01, b'a', 0x1f, 0x00, 0x01, b'b',
        ],
        error: E::DuplicateProperty {
            context: ctx(T::PubAck),
            id: PropertyId::ReasonString,
        },
        spec: "MQTT-2.2.2.2",
        reason: R::ProtocolError,
    },
    Bad {
        name: "subscription identifier twice in SUBSCRIBE",
        version: V5,
        bytes: &[
            0x82, 0x0b, 0x00, 0x01, 0x04, 0x0b, 0x01, 0x0b, 0x02, 0x00, 0x01, b'a', 0x00,
        ],
        error: E::DuplicateProperty {
            context: ctx(T::Subscribe),
            id: PropertyId::SubscriptionIdentifier,
        },
        spec: "MQTT-2.2.2.2",
        reason: R::ProtocolError,
    },
    Bad {
        name: "payload format indicator 2",
        version: V5,
        bytes: &[0x30, 0x06, 0x00, 0x01, b't', 0x02, 0x01, 0x02],
        error: E::InvalidPropertyValue {
            id: PropertyId::PayloadFormatIndicator,
            value: 2,
        },
        spec: "MQTT-2.2.2.2",
        reason: R::ProtocolError,
    },
    Bad {
        name: "topic alias 0",
        version: V5,
        bytes: &[0x30, 0x07, 0x00, 0x01, b't', 0x03, 0x23, 0x00, 0x00],
        error: E::InvalidPropertyValue {
            id: PropertyId::TopicAlias,
            value: 0,
        },
        spec: "MQTT-2.2.2.2",
        reason: R::ProtocolError,
    },
    Bad {
        name: "subscription identifier 0",
        version: V5,
        bytes: &[
            0x82, 0x09, 0x00, 0x01, 0x02, 0x0b, 0x00, 0x00, 0x01, b'a', 0x00,
        ],
        error: E::InvalidPropertyValue {
            id: PropertyId::SubscriptionIdentifier,
            value: 0,
        },
        spec: "MQTT-2.2.2.2",
        reason: R::ProtocolError,
    },
    Bad {
        name: "maximum QoS 2",
        version: V5,
        bytes: &[0x20, 0x05, 0x00, 0x00, 0x02, 0x24, 0x02],
        error: E::InvalidPropertyValue {
            id: PropertyId::MaximumQoS,
            value: 2,
        },
        spec: "MQTT-2.2.2.2",
        reason: R::ProtocolError,
    },
    Bad {
        name: "receive maximum 0",
        version: V5,
        bytes: &[0x20, 0x06, 0x00, 0x00, 0x03, 0x21, 0x00, 0x00],
        error: E::InvalidPropertyValue {
            id: PropertyId::ReceiveMaximum,
            value: 0,
        },
        spec: "MQTT-2.2.2.2",
        reason: R::ProtocolError,
    },
    Bad {
        name: "maximum packet size 0",
        version: V5,
        bytes: &[0x20, 0x08, 0x00, 0x00, 0x05, 0x27, 0x00, 0x00, 0x00, 0x00],
        error: E::InvalidPropertyValue {
            id: PropertyId::MaximumPacketSize,
            value: 0,
        },
        spec: "MQTT-2.2.2.2",
        reason: R::ProtocolError,
    },
    Bad {
        name: "retain available 2",
        version: V5,
        bytes: &[0x20, 0x05, 0x00, 0x00, 0x02, 0x25, 0x02],
        error: E::InvalidPropertyValue {
            id: PropertyId::RetainAvailable,
            value: 2,
        },
        spec: "MQTT-2.2.2.2",
        reason: R::ProtocolError,
    },
    Bad {
        name: "request problem information 2",
        version: V5,
        bytes: &[
            0x10, 0x10, 0x00, 0x04, b'M', b'Q', b'T', b'T', 0x05, 0x02, 0x00, 0x00, 0x02, 0x17,
            0x02, 0x00, 0x01, b'c',
        ],
        error: E::InvalidPropertyValue {
            id: PropertyId::RequestProblemInformation,
            value: 2,
        },
        spec: "MQTT-2.2.2.2",
        reason: R::ProtocolError,
    },
];

#[test]
fn each_error_kind() {
    for c in BAD {
        let got = decode_slice(c.bytes, c.version);
        assert_eq!(got, Err(c.error), "{}", c.name);
        assert_eq!(c.error.spec_ref(), c.spec, "{}", c.name);
        assert_eq!(c.error.reason_code(), c.reason, "{}", c.name);
        let mut buf = BytesMut::from(c.bytes);
        assert_eq!(
            decode(&mut buf, c.version, u32::MAX),
            Err(c.error),
            "{}",
            c.name
        );
        // The message names what was expected and the spec statement.
        let msg = c.error.to_string();
        assert!(msg.starts_with("expected "), "{}: {msg}", c.name);
        assert!(msg.ends_with(&format!("[{}]", c.spec)), "{}: {msg}", c.name);
    }
}

#[test]
fn each_error_kind_streamed_poisons_the_decoder() {
    for c in BAD {
        let mut d = StreamDecoder::new(c.version, u32::MAX);
        let mut first = None;
        for byte in c.bytes {
            if let Err(e) = d.push(&[*byte]) {
                first = Some(e);
                break;
            }
        }
        let first = first.unwrap_or_else(|| d.next_packet().unwrap_err());
        assert_eq!(first, c.error, "{}", c.name);
        assert_eq!(d.buffered_len(), 0, "{}: buffer dropped", c.name);
        assert_eq!(d.next_packet(), Err(c.error), "{}: poisoned", c.name);
        assert_eq!(d.push(&[0xc0, 0x00]), Err(c.error), "{}: poisoned", c.name);
        assert_eq!(d.buffered_len(), 0);
    }
}

#[test]
fn packet_too_large() {
    // PUBLISH of 12 bytes in all, against limits of 11 and 12.
    let bytes = [
        0x30, 0x0a, 0x00, 0x03, b'a', b'/', b'b', b'h', b'e', b'l', b'l', b'o',
    ];
    let mut buf = BytesMut::from(&bytes[..]);
    let e = decode(&mut buf, V3_1_1, 11).unwrap_err();
    assert_eq!(e, E::PacketTooLarge { size: 12, max: 11 });
    assert_eq!(e.reason_code(), R::PacketTooLarge);
    assert_eq!(e.spec_ref(), "MQTT-3.1.2-24");
    let mut buf = BytesMut::from(&bytes[..]);
    assert!(decode(&mut buf, V3_1_1, 12).unwrap().is_some());
    // Checked from the fixed header alone, before the body arrives.
    let mut buf = BytesMut::from(&bytes[..2]);
    assert_eq!(decode(&mut buf, V3_1_1, 11), Err(e));
}

#[test]
fn password_without_user_name_is_fine_in_5_0() {
    let bytes = [
        0x10, 0x11, 0x00, 0x04, b'M', b'Q', b'T', b'T', 0x05, 0x42, 0x00, 0x00, 0x00, 0x00, 0x01,
        b'c', 0x00, 0x01, b'p',
    ];
    let Packet::Connect(c) = decode_one(&bytes, V5).unwrap() else {
        panic!()
    };
    assert_eq!((c.username, c.password), (None, Some(b(b"p"))));
}

#[test]
fn oversized_length_rejected_by_push_within_five_bytes() {
    let max = 1024;
    // Announces 268,435,455 bytes; each byte pushed alone.
    let header = [0x30, 0xff, 0xff, 0xff, 0x7f];
    let mut d = StreamDecoder::new(V5, max);
    let mut rejected_at = None;
    for (i, byte) in header.iter().enumerate() {
        match d.push(&[*byte]) {
            Ok(()) => assert!(d.buffered_len() <= 4),
            Err(e) => {
                assert_eq!(
                    e,
                    E::PacketTooLarge {
                        size: 268_435_460,
                        max
                    }
                );
                rejected_at = Some(i + 1);
                break;
            }
        }
    }
    assert!(rejected_at.is_some_and(|n| n <= 5));
    assert_eq!(d.buffered_len(), 0);
    // The body that follows is not buffered.
    assert!(d.push(&[0u8; 4096]).is_err());
    assert_eq!(d.buffered_len(), 0);
}

#[test]
fn oversized_packet_behind_complete_ones_is_rejected_by_push() {
    // A valid PINGREQ, then a header declaring 2000 bytes, in one chunk: push fails even
    // though next_packet was never called, and buffers nothing of the oversized packet; the
    // PINGREQ that came first is still delivered, then the error, in stream order.
    let mut d = StreamDecoder::new(V3_1_1, 1024);
    assert_eq!(
        d.push(&[0xc0, 0x00, 0x30, 0xd0, 0x0f]),
        Err(E::PacketTooLarge {
            size: 2003,
            max: 1024
        })
    );
    assert_eq!(d.buffered_len(), 2, "only the PINGREQ is kept");
    assert!(d.push(&[0u8; 4096]).is_err(), "nothing more is buffered");
    assert_eq!(d.buffered_len(), 2);
    assert_eq!(d.next_packet(), Ok(Some(Packet::PingReq)));
    assert_eq!(
        d.next_packet(),
        Err(E::PacketTooLarge {
            size: 2003,
            max: 1024
        })
    );
    assert_eq!(d.buffered_len(), 0);
    // The same across pushes: the second header is scanned while the first body is pending.
    let mut d = StreamDecoder::new(V3_1_1, 1024);
    d.push(&[0x30, 0x05, 0x00, 0x01, b't']).unwrap();
    d.push(&[b'x', b'y', 0x30]).unwrap();
    assert!(d.push(&[0xd0]).is_ok(), "length not complete yet");
    assert!(d.push(&[0x0f]).is_err());
}

#[test]
fn a_body_within_the_limit_is_buffered_up_to_the_limit() {
    let max = 300;
    let mut d = StreamDecoder::new(V3_1_1, max);
    // remaining length 297 -> 300 bytes in all
    d.push(&[0x30, 0xa9, 0x02, 0x00, 0x01, b't']).unwrap();
    for _ in 0..294 {
        assert_eq!(d.next_packet(), Ok(None));
        d.push(b"x").unwrap();
        assert!(d.buffered_len() <= max as usize);
    }
    let Some(Packet::Publish(p)) = d.next_packet().unwrap() else {
        panic!()
    };
    assert_eq!(p.payload.len(), 294);
    assert_eq!(d.buffered_len(), 0);
}

#[test]
fn server_learns_the_version_from_connect() {
    // A 5.0 CONNECT and an AUTH in one chunk, to a decoder that assumed 3.1.1.
    let connect = Packet::Connect(Connect {
        version: V5,
        client_id: s("c"),
        clean_start: true,
        keep_alive: 0,
        username: None,
        password: None,
        will: None,
        properties: none(),
    });
    let mut bytes = encode_checked(&connect, V5);
    bytes.extend([0xf0, 0x00]);
    let mut d = StreamDecoder::new(V3_1_1, 1024);
    d.push(&bytes).unwrap();
    let Some(Packet::Connect(c)) = d.next_packet().unwrap() else {
        panic!()
    };
    d.set_version(c.version);
    assert_eq!(d.version(), V5);
    assert_eq!(
        d.next_packet(),
        Ok(Some(Packet::Auth(Auth::new(R::Success))))
    );
    // Without set_version the AUTH is refused.
    let mut d = StreamDecoder::new(V3_1_1, 1024);
    d.push(&bytes).unwrap();
    assert!(d.next_packet().unwrap().is_some());
    assert_eq!(d.next_packet(), Err(E::AuthBeforeV5));
}

// ---------------------------------------------------------------------- encode errors

fn enc(p: &Packet, v: ProtocolVersion) -> Result<usize, EncodeError> {
    let mut out = BytesMut::new();
    let r = encode(p, v, &mut out);
    assert_eq!(r.is_err(), out.is_empty(), "writes all or nothing");
    assert_eq!(encoded_len(p, v), r);
    r
}

fn publish(topic: &str) -> Publish {
    Publish::new(topic, QosPid::AtMostOnce, Bytes::new())
}

fn connect(v: ProtocolVersion) -> Connect {
    Connect {
        version: v,
        client_id: s("c"),
        clean_start: true,
        keep_alive: 0,
        username: None,
        password: None,
        will: None,
        properties: none(),
    }
}

#[test]
fn encode_errors() {
    use EncodeError as X;
    let pc = |t| PropertyContext::Packet(t);
    let cases: Vec<(&str, Packet, ProtocolVersion, EncodeError)> = vec![
        (
            "DUP at QoS 0",
            Packet::Publish(Publish {
                dup: true,
                ..publish("t")
            }),
            V3_1_1,
            X::DupAtQoS0,
        ),
        (
            "empty topic before 5.0",
            Packet::Publish(publish("")),
            V3_1_1,
            X::EmptyTopicName {
                packet_type: T::Publish,
            },
        ),
        (
            "empty topic without alias",
            Packet::Publish(publish("")),
            V5,
            X::EmptyTopicName {
                packet_type: T::Publish,
            },
        ),
        (
            "topic too long",
            Packet::Publish(publish(&"a".repeat(65_536))),
            V3_1_1,
            X::FieldTooLong {
                packet_type: T::Publish,
                len: 65_536,
            },
        ),
        (
            "properties before 5.0",
            Packet::Publish(Publish {
                properties: props(vec![Property::TopicAlias(1)]),
                ..publish("t")
            }),
            V3_1_1,
            X::PropertiesBeforeV5 {
                packet_type: T::Publish,
            },
        ),
        (
            "property not allowed",
            Packet::Publish(Publish {
                properties: props(vec![Property::ReasonString(s("x"))]),
                ..publish("t")
            }),
            V5,
            X::PropertyNotAllowed {
                context: pc(T::Publish),
                id: PropertyId::ReasonString,
            },
        ),
        (
            "duplicate property",
            Packet::Publish(Publish {
                properties: props(vec![Property::TopicAlias(1), Property::TopicAlias(2)]),
                ..publish("t")
            }),
            V5,
            X::DuplicateProperty {
                context: pc(T::Publish),
                id: PropertyId::TopicAlias,
            },
        ),
        (
            "invalid property value",
            Packet::Publish(Publish {
                properties: props(vec![Property::SubscriptionIdentifier(268_435_456)]),
                ..publish("t")
            }),
            V5,
            X::InvalidPropertyValue {
                id: PropertyId::SubscriptionIdentifier,
                value: 268_435_456,
            },
        ),
        (
            "AUTH before 5.0",
            Packet::Auth(Auth::new(R::Success)),
            V3_1_1,
            X::AuthBeforeV5,
        ),
        (
            "CONNACK code without a 3.1.1 equivalent",
            Packet::ConnAck(ConnAck {
                session_present: false,
                reason: R::Banned,
                properties: none(),
            }),
            V3_1_1,
            X::ReasonCodeNotAllowed {
                packet_type: T::ConnAck,
                code: R::Banned,
            },
        ),
        (
            "3.1 CONNACK with session present",
            Packet::ConnAck(ConnAck {
                session_present: true,
                reason: R::Success,
                properties: none(),
            }),
            V3_1,
            X::SessionPresentV31,
        ),
        (
            "3.1.1 PUBACK with a reason",
            Packet::PubAck(PublishAck {
                reason: R::NoMatchingSubscribers,
                ..PublishAck::new(pid(1))
            }),
            V3_1_1,
            X::ReasonCodeNotAllowed {
                packet_type: T::PubAck,
                code: R::NoMatchingSubscribers,
            },
        ),
        (
            "5.0 PUBREL with a PUBACK-only reason",
            Packet::PubRel(PublishAck {
                reason: R::NoMatchingSubscribers,
                ..PublishAck::new(pid(1))
            }),
            V5,
            X::ReasonCodeNotAllowed {
                packet_type: T::PubRel,
                code: R::NoMatchingSubscribers,
            },
        ),
        (
            "3.1.1 SUBACK with a 5.0-only code",
            Packet::SubAck(SubAck {
                pid: pid(1),
                reasons: vec![R::NotAuthorized],
                properties: none(),
            }),
            V3_1_1,
            X::ReasonCodeNotAllowed {
                packet_type: T::SubAck,
                code: R::NotAuthorized,
            },
        ),
        (
            "SUBACK without codes",
            Packet::SubAck(SubAck {
                pid: pid(1),
                reasons: vec![],
                properties: none(),
            }),
            V5,
            X::NoReasonCodes {
                packet_type: T::SubAck,
            },
        ),
        (
            "3.1.1 DISCONNECT with a reason",
            Packet::Disconnect(Disconnect::new(R::DisconnectWithWillMessage)),
            V3_1_1,
            X::ReasonCodeNotAllowed {
                packet_type: T::Disconnect,
                code: R::DisconnectWithWillMessage,
            },
        ),
        (
            "SUBSCRIBE without filters",
            Packet::Subscribe(Subscribe {
                pid: pid(1),
                filters: vec![],
                properties: none(),
            }),
            V3_1_1,
            X::NoTopicFilters {
                packet_type: T::Subscribe,
            },
        ),
        (
            "UNSUBSCRIBE without filters",
            Packet::Unsubscribe(Unsubscribe {
                pid: pid(1),
                filters: vec![],
                properties: none(),
            }),
            V5,
            X::NoTopicFilters {
                packet_type: T::Unsubscribe,
            },
        ),
        (
            "UNSUBSCRIBE empty filter",
            Packet::Unsubscribe(Unsubscribe {
                pid: pid(1),
                filters: vec![s("")],
                properties: none(),
            }),
            V5,
            X::EmptyTopicFilter {
                packet_type: T::Unsubscribe,
            },
        ),
        (
            "3.1.1 SUBSCRIBE with no local",
            Packet::Subscribe(Subscribe {
                pid: pid(1),
                filters: vec![SubscribeFilter {
                    filter: s("a"),
                    options: SubscriptionOptions {
                        no_local: true,
                        ..SubscriptionOptions::qos(QoS::AtMostOnce)
                    },
                }],
                properties: none(),
            }),
            V3_1_1,
            X::SubscriptionOptionsBeforeV5,
        ),
        (
            "3.1 client id too long",
            Packet::Connect(Connect {
                client_id: "x".repeat(24),
                ..connect(V3_1)
            }),
            V3_1,
            X::ClientIdLength { len: 24 },
        ),
        (
            "password without user name before 5.0",
            Packet::Connect(Connect {
                password: Some(b(b"p")),
                ..connect(V3_1_1)
            }),
            V5, // the packet's own version wins
            X::PasswordWithoutUsername,
        ),
        (
            "will property in CONNECT properties",
            Packet::Connect(Connect {
                properties: props(vec![Property::WillDelayInterval(1)]),
                ..connect(V5)
            }),
            V5,
            X::PropertyNotAllowed {
                context: pc(T::Connect),
                id: PropertyId::WillDelayInterval,
            },
        ),
        (
            "will properties before 5.0",
            Packet::Connect(Connect {
                will: Some(Will {
                    topic: s("w"),
                    payload: Bytes::new(),
                    qos: QoS::AtMostOnce,
                    retain: false,
                    properties: props(vec![Property::WillDelayInterval(1)]),
                }),
                ..connect(V3_1_1)
            }),
            V3_1_1,
            X::PropertiesBeforeV5 {
                packet_type: T::Connect,
            },
        ),
        (
            "receive maximum 0",
            Packet::ConnAck(ConnAck {
                session_present: false,
                reason: R::Success,
                properties: props(vec![Property::ReceiveMaximum(0)]),
            }),
            V5,
            X::InvalidPropertyValue {
                id: PropertyId::ReceiveMaximum,
                value: 0,
            },
        ),
        (
            "3.1.1 UNSUBACK with reason codes",
            Packet::UnsubAck(UnsubAck {
                pid: pid(1),
                reasons: vec![R::Success],
                properties: none(),
            }),
            V3_1_1,
            X::ReasonCodeNotAllowed {
                packet_type: T::UnsubAck,
                code: R::Success,
            },
        ),
    ];
    for (name, p, v, want) in cases {
        assert_eq!(enc(&p, v), Err(want), "{name}");
        let msg = want.to_string();
        assert!(
            msg.ends_with(&format!("[{}]", want.spec_ref())),
            "{name}: {msg}"
        );
    }
}

/// Encoding does not scan string contents (see `EncodeError`): such a packet encodes, and
/// the receiving side refuses it.
#[test]
fn encode_leaves_string_contents_to_the_caller() {
    for (topic, error) in [
        (
            "a/#",
            E::InvalidTopicName {
                packet_type: T::Publish,
            },
        ),
        (
            "a\0",
            E::NullCharacter {
                packet_type: T::Publish,
            },
        ),
    ] {
        let bytes = encode_checked(&Packet::Publish(publish(topic)), V3_1_1);
        assert_eq!(decode_slice(&bytes, V3_1_1), Err(error));
        assert!(mqtt_codec_wasm::topic::validate_topic_name(topic).is_err());
    }
}

#[test]
fn reason_code_table() {
    // Every code round-trips through its byte; nothing else is a code.
    let mut known = 0;
    for byte in 0..=255u8 {
        if let Some(r) = ReasonCode::from_u8(byte) {
            known += 1;
            assert_eq!(r as u8, byte);
            assert_eq!(r.is_error(), byte >= 0x80);
        }
    }
    assert_eq!(known, 43);
    // Spot checks of table 2-6.
    assert!(R::Success.allowed_in(T::Disconnect));
    assert!(!R::Success.allowed_in(T::Publish));
    assert!(R::PacketIdentifierNotFound.allowed_in(T::PubRel));
    assert!(!R::PacketIdentifierNotFound.allowed_in(T::PubAck));
    assert!(R::NoMatchingSubscribers.allowed_in(T::PubRec));
    assert!(!R::NoMatchingSubscribers.allowed_in(T::PubComp));
    assert!(R::ContinueAuthentication.allowed_in(T::Auth));
    assert!(R::ServerMoved.allowed_in(T::ConnAck));
    assert!(!R::ServerShuttingDown.allowed_in(T::ConnAck));
    assert!(R::WildcardSubscriptionsNotSupported.allowed_in(T::SubAck));
    // 3.1.1 CONNACK return codes.
    for (code, r) in [
        (0, R::Success),
        (1, R::UnsupportedProtocolVersion),
        (2, R::ClientIdentifierNotValid),
        (3, R::ServerUnavailable),
        (4, R::BadUserNameOrPassword),
        (5, R::NotAuthorized),
    ] {
        assert_eq!(ReasonCode::from_v3_connack(code), Some(r));
        assert_eq!(r.to_v3_connack(), Some(code));
    }
    assert_eq!(ReasonCode::from_v3_connack(6), None);
    assert_eq!(R::Banned.to_v3_connack(), None);
}

#[test]
fn a_clients_decoder_refuses_unread_what_only_clients_send() {
    let subscribe = Packet::Subscribe(Subscribe {
        pid: pid(1),
        properties: none(),
        filters: vec![SubscribeFilter {
            filter: s("a/#"),
            options: SubscriptionOptions::qos(QoS::AtMostOnce),
        }],
    });
    let unsubscribe = Packet::Unsubscribe(Unsubscribe {
        pid: pid(2),
        properties: none(),
        filters: vec![s("a/#")],
    });
    for (packet, t) in [
        (subscribe, T::Subscribe),
        (unsubscribe, T::Unsubscribe),
        (Packet::PingReq, T::PingReq),
    ] {
        let bytes = encode_checked(&packet, V5);
        // What a server reads...
        let mut server = StreamDecoder::new(V5, u32::MAX);
        server.push(&bytes).unwrap();
        assert_eq!(server.next_packet(), Ok(Some(packet.clone())));
        // ...a client refuses, whole, with its spec reference and reason code.
        let mut client = StreamDecoder::client(V5, u32::MAX);
        client.push(&bytes).unwrap();
        let e = E::ClientPacketFromServer { packet_type: t };
        assert_eq!(client.next_packet(), Err(e));
        assert_eq!(client.buffered_len(), 0);
        assert_eq!(e.spec_ref(), "MQTT-2.1.2");
        assert_eq!(e.reason_code(), R::ProtocolError);
        assert!(e.to_string().contains("only a client sends"), "{e}");
    }
    // A CONNECT, even one that would not decode: never read.
    let mut client = StreamDecoder::client(V5, u32::MAX);
    client.push(&[0x10, 0x02, 0xff, 0xff]).unwrap();
    assert_eq!(
        client.next_packet(),
        Err(E::ClientPacketFromServer {
            packet_type: T::Connect
        })
    );
    // What a server sends a client, it reads as any decoder does.
    let mut client = StreamDecoder::client(V5, u32::MAX);
    client.push(&[0xd0, 0x00]).unwrap();
    assert_eq!(client.next_packet(), Ok(Some(Packet::PingResp)));
}

#[test]
fn a_clients_encoder_refuses_what_only_servers_send() {
    let suback = Packet::SubAck(SubAck {
        pid: pid(1),
        properties: none(),
        reasons: vec![R::GrantedQoS1],
    });
    let connack = Packet::ConnAck(ConnAck {
        session_present: false,
        reason: R::Success,
        properties: none(),
    });
    let unsuback = Packet::UnsubAck(UnsubAck {
        pid: pid(2),
        reasons: vec![R::Success],
        properties: none(),
    });
    for (packet, t) in [
        (connack, T::ConnAck),
        (suback, T::SubAck),
        (unsuback, T::UnsubAck),
        (Packet::PingResp, T::PingResp),
    ] {
        let mut out = BytesMut::new();
        assert!(
            encode(&packet, V5, &mut out).is_ok(),
            "a server's encoder writes it"
        );
        let mut out = BytesMut::new();
        let e = EncodeError::ServerPacketFromClient { packet_type: t };
        assert_eq!(encode_to_server(&packet, V5, &mut out), Err(e));
        assert!(out.is_empty(), "nothing written");
        assert_eq!(e.spec_ref(), "MQTT-2.1.2");
        assert!(e.to_string().contains("only servers send"), "{e}");
    }
    // What a client sends, it writes as `encode` does.
    let mut a = BytesMut::new();
    let mut b = BytesMut::new();
    encode(&Packet::PingReq, V3_1_1, &mut a).unwrap();
    encode_to_server(&Packet::PingReq, V3_1_1, &mut b).unwrap();
    assert_eq!(a, b);
}
