//! Decode and encode errors.
//!
//! Both are small `Copy` enums: an error must cost nothing to return, store (a poisoned
//! [`StreamDecoder`](crate::StreamDecoder) hands it out again) or send across the wasm
//! boundary. Each variant carries what the reader needs to see what was expected and what
//! was found, and maps to the spec statement that makes it an error ([`DecodeError::spec_ref`])
//! and to the reason code a 5.0 peer would put in its DISCONNECT or CONNACK
//! ([`DecodeError::reason_code`]).
//!
//! Spec references use the 5.0 numbering, except for rules that exist only in 3.1.1
//! (password without user name, [MQTT-3.1.2-22]). Where the spec states a rule without a
//! numbered statement, the reference is the section (e.g. `MQTT-2.1.4`).

use core::fmt;

use crate::packet::PacketType;
use crate::properties::{PropertyContext, PropertyId};
use crate::reason::ReasonCode;

/// Why bytes are not a valid MQTT packet. Any of these ends the connection: after one
/// malformed packet the receiver cannot know where the next one starts (5.0 section 4.13).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecodeError {
    /// A Variable Byte Integer whose fourth byte still has the continuation bit set.
    VarintTooLong,
    /// A Variable Byte Integer longer than its value needs, e.g. `0x80 0x00`.
    NonMinimalVarint,
    /// The declared packet size (fixed header included) is above the limit.
    PacketTooLarge {
        size: u32,
        max: u32,
    },
    /// Packet type 0 is reserved.
    ReservedPacketType {
        first_byte: u8,
    },
    /// Packet type 15 (AUTH) is reserved before 5.0.
    AuthBeforeV5,
    /// A packet only a client sends (CONNECT, SUBSCRIBE, UNSUBSCRIBE, PINGREQ), received
    /// by a client ([`StreamDecoder::client`](crate::StreamDecoder::client)): not decoded
    /// at all, so a client carries no code to read them.
    ClientPacketFromServer {
        packet_type: PacketType,
    },
    /// The four flag bits of the fixed header are not what the packet type requires.
    InvalidHeaderFlags {
        packet_type: PacketType,
        flags: u8,
    },
    /// A QoS field holds 3 (PUBLISH fixed header, will QoS, subscription options).
    InvalidQoS {
        packet_type: PacketType,
        byte: u8,
    },
    /// A QoS 0 PUBLISH has the DUP flag set.
    DupAtQoS0 {
        first_byte: u8,
    },
    ZeroPacketId {
        packet_type: PacketType,
    },
    InvalidUtf8 {
        packet_type: PacketType,
    },
    NullCharacter {
        packet_type: PacketType,
    },
    /// A topic name (PUBLISH or will) with a wildcard or otherwise invalid.
    InvalidTopicName {
        packet_type: PacketType,
    },
    /// An empty topic name where one is required.
    EmptyTopicName {
        packet_type: PacketType,
    },
    EmptyTopicFilter {
        packet_type: PacketType,
    },
    InvalidTopicFilter {
        packet_type: PacketType,
    },
    /// The CONNECT protocol name is neither "MQTT" nor "MQIsdp"; `len` is its length.
    InvalidProtocolName {
        len: u16,
    },
    /// The protocol level does not go with the protocol name (3 with "MQIsdp", 4 or 5
    /// with "MQTT").
    UnsupportedProtocolLevel {
        level: u8,
    },
    /// Bit 0 of the CONNECT flags is set.
    ConnectReservedFlag {
        flags: u8,
    },
    /// Will QoS or Will Retain set while the Will Flag is 0.
    WillFlagsWithoutWill {
        flags: u8,
    },
    /// Password flag without user name flag (before 5.0).
    PasswordWithoutUsername {
        flags: u8,
    },
    /// A 3.1 client identifier must be 1 to 23 bytes.
    ClientIdLength {
        len: u16,
    },
    /// Bits 7-1 of the CONNACK acknowledge flags (all of the byte in 3.1) are not 0.
    ConnAckReservedFlags {
        flags: u8,
    },
    /// A CONNACK in the 3.1.1 layout (remaining length 2: flags, return code) answering a
    /// 5.0 CONNECT. A 5.0 CONNACK always carries a property length, so this is a server of
    /// an older version; return code 1 is its "unacceptable protocol level" [MQTT-3.1.2-2].
    /// Named apart so a client can say "this broker does not speak 5.0" (and try 3.1.1)
    /// instead of "malformed packet".
    OlderVersionConnAck {
        return_code: u8,
    },
    /// A reason code unknown, or not allowed in this packet type (5.0 table 2-6, or the
    /// 3.1.1 CONNACK/SUBACK return codes).
    InvalidReasonCode {
        packet_type: PacketType,
        code: u8,
    },
    /// SUBSCRIBE or UNSUBSCRIBE without a topic filter.
    NoTopicFilters {
        packet_type: PacketType,
    },
    /// SUBACK (or 5.0 UNSUBACK) without a reason code.
    NoReasonCodes {
        packet_type: PacketType,
    },
    /// Reserved bits of a subscription options byte are set.
    SubscriptionOptionsReserved {
        options: u8,
    },
    /// Retain Handling 3.
    InvalidRetainHandling {
        options: u8,
    },
    /// A packet whose remaining length is fixed by its type has another one.
    UnexpectedRemainingLength {
        packet_type: PacketType,
        expected: u32,
        found: u32,
    },
    /// A field needs more bytes than the remaining length leaves.
    Truncated {
        packet_type: PacketType,
        needed: u32,
        remaining: u32,
    },
    /// Bytes left over after the last field.
    TrailingBytes {
        packet_type: PacketType,
        declared: u32,
        used: u32,
    },
    UnknownProperty {
        context: PropertyContext,
        id: u8,
    },
    PropertyNotAllowed {
        context: PropertyContext,
        id: PropertyId,
    },
    DuplicateProperty {
        context: PropertyContext,
        id: PropertyId,
    },
    InvalidPropertyValue {
        id: PropertyId,
        value: u32,
    },
    /// The property length disagrees with the bytes: it runs past the remaining length
    /// (`actual` = bytes left in the packet), or the properties need more bytes than it
    /// declares (`actual` = bytes they would need).
    PropertyLength {
        packet_type: PacketType,
        declared: u32,
        actual: u32,
    },
}

fn name(t: PacketType) -> &'static str {
    match t {
        PacketType::Connect => "CONNECT",
        PacketType::ConnAck => "CONNACK",
        PacketType::Publish => "PUBLISH",
        PacketType::PubAck => "PUBACK",
        PacketType::PubRec => "PUBREC",
        PacketType::PubRel => "PUBREL",
        PacketType::PubComp => "PUBCOMP",
        PacketType::Subscribe => "SUBSCRIBE",
        PacketType::SubAck => "SUBACK",
        PacketType::Unsubscribe => "UNSUBSCRIBE",
        PacketType::UnsubAck => "UNSUBACK",
        PacketType::PingReq => "PINGREQ",
        PacketType::PingResp => "PINGRESP",
        PacketType::Disconnect => "DISCONNECT",
        PacketType::Auth => "AUTH",
    }
}

struct Ctx(PropertyContext);

impl fmt::Display for Ctx {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            PropertyContext::Packet(t) => f.write_str(name(t)),
            PropertyContext::Will => f.write_str("will properties"),
        }
    }
}

/// The flag bits [MQTT-2.1.3-1] requires for each packet type (PUBLISH flags are data).
pub(crate) const fn required_flags(t: PacketType) -> u8 {
    match t {
        PacketType::PubRel | PacketType::Subscribe | PacketType::Unsubscribe => 0b0010,
        _ => 0,
    }
}

impl DecodeError {
    /// The spec statement this error breaks (5.0 numbering unless the rule is 3.1.1-only).
    pub fn spec_ref(&self) -> &'static str {
        use DecodeError::*;
        match self {
            VarintTooLong | NonMinimalVarint => "MQTT-1.5.5-1",
            PacketTooLarge { .. } => "MQTT-3.1.2-24",
            ReservedPacketType { .. } | AuthBeforeV5 => "MQTT-2.1.2",
            // "Direction of flow: Client to Server" (2.1.2); a client that receives one
            // closes the connection (4.13).
            ClientPacketFromServer { .. } => "MQTT-2.1.2",
            InvalidHeaderFlags { .. } => "MQTT-2.1.3-1",
            InvalidQoS { packet_type, .. } => match packet_type {
                PacketType::Connect => "MQTT-3.1.2-12",
                PacketType::Subscribe => "MQTT-3.8.3-5",
                _ => "MQTT-3.3.1-4",
            },
            DupAtQoS0 { .. } => "MQTT-3.3.1-2",
            ZeroPacketId { .. } => "MQTT-2.2.1-3",
            InvalidUtf8 { .. } => "MQTT-1.5.4-1",
            NullCharacter { .. } => "MQTT-1.5.4-2",
            InvalidTopicName { .. } => "MQTT-3.3.2-2",
            EmptyTopicName { .. } | EmptyTopicFilter { .. } => "MQTT-4.7.3-1",
            InvalidTopicFilter { .. } => "MQTT-4.7.1",
            InvalidProtocolName { .. } => "MQTT-3.1.2-1",
            UnsupportedProtocolLevel { .. } => "MQTT-3.1.2-2",
            ConnectReservedFlag { .. } => "MQTT-3.1.2-3",
            WillFlagsWithoutWill { flags } => {
                if flags & 0x18 != 0 {
                    "MQTT-3.1.2-11"
                } else {
                    "MQTT-3.1.2-13"
                }
            }
            PasswordWithoutUsername { .. } => "MQTT-3.1.2-22",
            ClientIdLength { .. } => "MQTT-3.1.3-5",
            ConnAckReservedFlags { .. } => "MQTT-3.2.2-1",
            OlderVersionConnAck { .. } => "MQTT-3.1.2-2",
            InvalidReasonCode { packet_type, .. } => match packet_type {
                PacketType::SubAck => "MQTT-3.9.3-2",
                _ => "MQTT-2.4",
            },
            NoTopicFilters { packet_type } => match packet_type {
                PacketType::Unsubscribe => "MQTT-3.10.3-2",
                _ => "MQTT-3.8.3-3",
            },
            NoReasonCodes { packet_type } => match packet_type {
                PacketType::UnsubAck => "MQTT-3.11.3-1",
                _ => "MQTT-3.9.3-1",
            },
            SubscriptionOptionsReserved { .. } => "MQTT-3.8.3-5",
            InvalidRetainHandling { .. } => "MQTT-3.8.3.1",
            UnexpectedRemainingLength { .. } | Truncated { .. } | TrailingBytes { .. } => {
                "MQTT-2.1.4"
            }
            UnknownProperty { .. }
            | PropertyNotAllowed { .. }
            | DuplicateProperty { .. }
            | InvalidPropertyValue { .. }
            | PropertyLength { .. } => "MQTT-2.2.2.2",
        }
    }

    /// The reason code a 5.0 receiver sends (DISCONNECT, or CONNACK for CONNECT errors) for
    /// this error. 5.0 section 4.13 splits errors into Malformed Packet (the bytes cannot be
    /// parsed as the spec describes) and Protocol Error (they parse, but break a rule).
    pub fn reason_code(&self) -> ReasonCode {
        use DecodeError::*;
        match self {
            PacketTooLarge { .. } => ReasonCode::PacketTooLarge,
            InvalidProtocolName { .. } | UnsupportedProtocolLevel { .. } => {
                ReasonCode::UnsupportedProtocolVersion
            }
            ClientIdLength { .. } => ReasonCode::ClientIdentifierNotValid,
            InvalidTopicName { .. } => ReasonCode::TopicNameInvalid,
            EmptyTopicFilter { .. } | InvalidTopicFilter { .. } => ReasonCode::TopicFilterInvalid,
            ZeroPacketId { .. }
            | EmptyTopicName { .. }
            | DuplicateProperty { .. }
            | InvalidPropertyValue { .. }
            | InvalidRetainHandling { .. }
            | ClientPacketFromServer { .. } => ReasonCode::ProtocolError,
            _ => ReasonCode::MalformedPacket,
        }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use DecodeError::*;
        match *self {
            VarintTooLong => write!(
                f,
                "expected a variable byte integer of at most 4 bytes, found a continuation bit on the 4th byte"
            ),
            NonMinimalVarint => write!(
                f,
                "expected a variable byte integer in the fewest bytes, found a longer encoding"
            ),
            PacketTooLarge { size, max } => write!(
                f,
                "expected a packet of at most {max} bytes, found a declared size of {size} bytes"
            ),
            ReservedPacketType { first_byte } => write!(
                f,
                "expected a packet type 1 to 15, found reserved type 0 (first byte {first_byte:#04x})"
            ),
            AuthBeforeV5 => write!(
                f,
                "expected a packet type 1 to 14 before MQTT 5.0, found type 15 (AUTH), which is reserved"
            ),
            ClientPacketFromServer { packet_type } => write!(
                f,
                "expected a packet a server sends, found {}, which only a client sends",
                name(packet_type)
            ),
            InvalidHeaderFlags { packet_type, flags } => write!(
                f,
                "expected fixed header flags {:#06b} for {}, found {flags:#06b}",
                required_flags(packet_type),
                name(packet_type)
            ),
            InvalidQoS { packet_type, byte } => write!(
                f,
                "expected QoS 0, 1 or 2 in {}, found QoS 3 (byte {byte:#04x})",
                name(packet_type)
            ),
            DupAtQoS0 { first_byte } => write!(
                f,
                "expected DUP 0 in a QoS 0 PUBLISH, found DUP 1 (first byte {first_byte:#04x})"
            ),
            ZeroPacketId { packet_type } => write!(
                f,
                "expected a non-zero packet identifier in {}, found 0",
                name(packet_type)
            ),
            InvalidUtf8 { packet_type } => write!(
                f,
                "expected well-formed UTF-8 in a {} string, found invalid bytes",
                name(packet_type)
            ),
            NullCharacter { packet_type } => write!(
                f,
                "expected a {} string without U+0000, found U+0000",
                name(packet_type)
            ),
            InvalidTopicName { packet_type } => write!(
                f,
                "expected a topic name without wildcards in {}, found an invalid topic name",
                name(packet_type)
            ),
            EmptyTopicName { packet_type } => write!(
                f,
                "expected a topic name of at least one character in {}, found an empty one",
                name(packet_type)
            ),
            EmptyTopicFilter { packet_type } => write!(
                f,
                "expected a topic filter of at least one character in {}, found an empty one",
                name(packet_type)
            ),
            InvalidTopicFilter { packet_type } => write!(
                f,
                "expected a valid topic filter in {}, found an invalid one",
                name(packet_type)
            ),
            InvalidProtocolName { len } => write!(
                f,
                "expected protocol name \"MQTT\" or \"MQIsdp\" in CONNECT, found another name of {len} bytes"
            ),
            UnsupportedProtocolLevel { level } => write!(
                f,
                "expected protocol level 3 with \"MQIsdp\" or 4/5 with \"MQTT\", found level {level}"
            ),
            ConnectReservedFlag { flags } => write!(
                f,
                "expected CONNECT flags bit 0 to be 0, found flags {flags:#010b}"
            ),
            WillFlagsWithoutWill { flags } => write!(
                f,
                "expected will QoS and will retain 0 when the will flag is 0, found flags {flags:#010b}"
            ),
            PasswordWithoutUsername { flags } => write!(
                f,
                "expected the password flag only with the user name flag, found flags {flags:#010b}"
            ),
            ClientIdLength { len } => write!(
                f,
                "expected an MQTT 3.1 client identifier of 1 to 23 bytes, found {len} bytes"
            ),
            OlderVersionConnAck { return_code } => write!(
                f,
                "expected an MQTT 5.0 CONNACK, found a 3.1.1 one with return code {return_code:#04x}: the server does not speak 5.0"
            ),
            ConnAckReservedFlags { flags } => write!(
                f,
                "expected reserved CONNACK acknowledge flag bits to be 0, found {flags:#010b}"
            ),
            InvalidReasonCode { packet_type, code } => write!(
                f,
                "expected a reason code allowed in {}, found {code:#04x}",
                name(packet_type)
            ),
            NoTopicFilters { packet_type } => write!(
                f,
                "expected at least one topic filter in {}, found none",
                name(packet_type)
            ),
            NoReasonCodes { packet_type } => write!(
                f,
                "expected at least one reason code in {}, found none",
                name(packet_type)
            ),
            SubscriptionOptionsReserved { options } => write!(
                f,
                "expected reserved subscription option bits to be 0, found {options:#010b}"
            ),
            InvalidRetainHandling { options } => write!(
                f,
                "expected retain handling 0, 1 or 2, found 3 (options {options:#010b})"
            ),
            UnexpectedRemainingLength {
                packet_type,
                expected,
                found,
            } => write!(
                f,
                "expected remaining length {expected} for {}, found {found}",
                name(packet_type)
            ),
            Truncated {
                packet_type,
                needed,
                remaining,
            } => write!(
                f,
                "expected {needed} more bytes in {} for the next field, found only {remaining} left in the remaining length",
                name(packet_type)
            ),
            TrailingBytes {
                packet_type,
                declared,
                used,
            } => write!(
                f,
                "expected {} to end after {used} bytes, found a remaining length of {declared}",
                name(packet_type)
            ),
            UnknownProperty { context, id } => write!(
                f,
                "expected a known property identifier in {}, found {id:#04x}",
                Ctx(context)
            ),
            PropertyNotAllowed { context, id } => write!(
                f,
                "expected only properties table 2-4 allows in {}, found {id:?} ({:#04x})",
                Ctx(context),
                id as u8
            ),
            DuplicateProperty { context, id } => write!(
                f,
                "expected {id:?} at most once in {}, found it twice",
                Ctx(context)
            ),
            InvalidPropertyValue { id, value } => {
                write!(f, "expected a valid value for {id:?}, found {value}")
            }
            PropertyLength {
                packet_type,
                declared,
                actual,
            } => write!(
                f,
                "expected the {} property length {declared} to match the bytes, found {actual}",
                name(packet_type)
            ),
        }?;
        write!(f, " [{}]", self.spec_ref())
    }
}

/// Why a packet cannot be encoded.
///
/// Encoding refuses what would make the bytes malformed or break a rule of the packet's
/// structure: lengths, flags, packet identifiers, reason codes and features per version,
/// properties (table 2-4, repetition, value ranges), empty topics and lists. It does not
/// scan the contents of strings (U+0000, wildcards in topic names, filter syntax): that
/// scan would cost more than the rest of encoding a PUBLISH, and the strings usually come
/// from the application, which checks user input once with [`crate::topic`] rather than
/// on every send. Decoding checks everything.
///
/// Kept to 8 bytes so that `Result<usize, EncodeError>` comes back in two registers: the
/// encoder's result is on the hot path of every send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EncodeError {
    /// The remaining length would exceed 268,435,455 (four-byte Variable Byte Integer);
    /// `remaining` saturates at `u32::MAX`.
    PacketTooLarge {
        remaining: u32,
    },
    /// A string or binary field longer than 65,535 bytes (5.0 sections 1.5.4, 1.5.6);
    /// `len` saturates at `u32::MAX`.
    FieldTooLong {
        packet_type: PacketType,
        len: u32,
    },
    EmptyTopicName {
        packet_type: PacketType,
    },
    EmptyTopicFilter {
        packet_type: PacketType,
    },
    /// AUTH exists only in 5.0.
    AuthBeforeV5,
    /// A packet only a server sends (CONNACK, SUBACK, UNSUBACK, PINGRESP), given to a
    /// client's encoder ([`encode_to_server`](crate::encode_to_server)).
    ServerPacketFromClient {
        packet_type: PacketType,
    },
    /// Properties (or a will's properties) given for a version before 5.0.
    PropertiesBeforeV5 {
        packet_type: PacketType,
    },
    /// No Local, Retain As Published or Retain Handling given for a version before 5.0.
    SubscriptionOptionsBeforeV5,
    /// Session present in 3.1, which has no such flag.
    SessionPresentV31,
    DupAtQoS0,
    /// The reason code is not allowed in this packet type, or has no equivalent in the
    /// version (3.1.1 CONNACK and SUBACK codes; other 3.1.1 packets carry none).
    ReasonCodeNotAllowed {
        packet_type: PacketType,
        code: ReasonCode,
    },
    NoTopicFilters {
        packet_type: PacketType,
    },
    NoReasonCodes {
        packet_type: PacketType,
    },
    /// A 3.1 client identifier must be 1 to 23 bytes (`len` saturates at `u32::MAX`).
    ClientIdLength {
        len: u32,
    },
    /// Before 5.0 a password requires a user name [MQTT-3.1.2-22].
    PasswordWithoutUsername,
    PropertyNotAllowed {
        context: PropertyContext,
        id: PropertyId,
    },
    DuplicateProperty {
        context: PropertyContext,
        id: PropertyId,
    },
    InvalidPropertyValue {
        id: PropertyId,
        value: u32,
    },
}

impl EncodeError {
    /// The spec statement the packet would break (5.0 numbering).
    pub fn spec_ref(&self) -> &'static str {
        use EncodeError::*;
        match self {
            PacketTooLarge { .. } => "MQTT-1.5.5",
            FieldTooLong { .. } => "MQTT-1.5.4",
            EmptyTopicName { .. } | EmptyTopicFilter { .. } => "MQTT-4.7.3-1",
            AuthBeforeV5 | ServerPacketFromClient { .. } => "MQTT-2.1.2",
            PropertiesBeforeV5 { .. } => "MQTT-2.2.2",
            SubscriptionOptionsBeforeV5 => "MQTT-3.8.3.1",
            SessionPresentV31 => "MQTT-3.2.2.1",
            DupAtQoS0 => "MQTT-3.3.1-2",
            ReasonCodeNotAllowed { .. } => "MQTT-2.4",
            NoTopicFilters { packet_type } => match packet_type {
                PacketType::Unsubscribe => "MQTT-3.10.3-2",
                _ => "MQTT-3.8.3-3",
            },
            NoReasonCodes { packet_type } => match packet_type {
                PacketType::UnsubAck => "MQTT-3.11.3-1",
                _ => "MQTT-3.9.3-1",
            },
            ClientIdLength { .. } => "MQTT-3.1.3-5",
            PasswordWithoutUsername => "MQTT-3.1.2-22",
            PropertyNotAllowed { .. } | DuplicateProperty { .. } | InvalidPropertyValue { .. } => {
                "MQTT-2.2.2.2"
            }
        }
    }
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use EncodeError::*;
        match *self {
            PacketTooLarge { remaining } => write!(
                f,
                "cannot encode: remaining length must be at most 268435455, found {remaining}"
            ),
            FieldTooLong { packet_type, len } => write!(
                f,
                "cannot encode {}: a string or binary field must be at most 65535 bytes, found {len}",
                name(packet_type)
            ),
            EmptyTopicName { packet_type } => write!(
                f,
                "cannot encode {}: the topic name must not be empty (5.0 allows it only with a Topic Alias)",
                name(packet_type)
            ),
            EmptyTopicFilter { packet_type } => write!(
                f,
                "cannot encode {}: a topic filter must not be empty",
                name(packet_type)
            ),
            AuthBeforeV5 => write!(f, "cannot encode AUTH before MQTT 5.0"),
            ServerPacketFromClient { packet_type } => {
                write!(
                    f,
                    "cannot send {} as a client: only servers send it",
                    name(packet_type)
                )
            }
            PropertiesBeforeV5 { packet_type } => write!(
                f,
                "cannot encode {}: properties need MQTT 5.0, found a non-empty list",
                name(packet_type)
            ),
            SubscriptionOptionsBeforeV5 => write!(
                f,
                "cannot encode SUBSCRIBE: no local, retain as published and retain handling need MQTT 5.0"
            ),
            SessionPresentV31 => write!(
                f,
                "cannot encode CONNACK: MQTT 3.1 has no session present flag"
            ),
            DupAtQoS0 => write!(f, "cannot encode PUBLISH: DUP must be 0 at QoS 0"),
            ReasonCodeNotAllowed { packet_type, code } => write!(
                f,
                "cannot encode {}: reason code {:#04x} ({code:?}) is not allowed there in this version",
                name(packet_type),
                code as u8
            ),
            NoTopicFilters { packet_type } => write!(
                f,
                "cannot encode {}: at least one topic filter is required",
                name(packet_type)
            ),
            NoReasonCodes { packet_type } => write!(
                f,
                "cannot encode {}: at least one reason code is required",
                name(packet_type)
            ),
            ClientIdLength { len } => write!(
                f,
                "cannot encode CONNECT: an MQTT 3.1 client identifier must be 1 to 23 bytes, found {len}"
            ),
            PasswordWithoutUsername => write!(
                f,
                "cannot encode CONNECT: before MQTT 5.0 a password requires a user name"
            ),
            PropertyNotAllowed { context, id } => write!(
                f,
                "cannot encode: {id:?} is not allowed in {}",
                Ctx(context)
            ),
            DuplicateProperty { context, id } => write!(
                f,
                "cannot encode: {id:?} may appear only once in {}",
                Ctx(context)
            ),
            InvalidPropertyValue { id, value } => {
                write!(f, "cannot encode: {value} is not a valid value for {id:?}")
            }
        }?;
        write!(f, " [{}]", self.spec_ref())
    }
}

impl core::error::Error for DecodeError {}
impl core::error::Error for EncodeError {}
