//! The packet model shared by every protocol version.
//!
//! Types rule out states the spec forbids wherever that is cheap: a packet identifier is
//! never zero ([`Pid`]), a QoS 0 publish carries no identifier ([`QosPid`]).

use alloc::string::String;
use alloc::vec::Vec;
use bytes::Bytes;
use core::num::NonZeroU16;

use crate::properties::Properties;
use crate::reason::ReasonCode;

/// The protocol level byte of CONNECT: 3 (`MQIsdp`), 4 and 5 (`MQTT`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProtocolVersion {
    V3_1,
    V3_1_1,
    V5,
}

impl ProtocolVersion {
    pub const fn level(self) -> u8 {
        match self {
            Self::V3_1 => 3,
            Self::V3_1_1 => 4,
            Self::V5 => 5,
        }
    }
    pub const fn protocol_name(self) -> &'static str {
        match self {
            Self::V3_1 => "MQIsdp",
            _ => "MQTT",
        }
    }
    pub const fn is_v5(self) -> bool {
        matches!(self, Self::V5)
    }
}

/// A packet identifier; zero is not a valid identifier [MQTT-2.2.1-3].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Pid(NonZeroU16);

impl Pid {
    pub const fn new(value: u16) -> Option<Self> {
        match NonZeroU16::new(value) {
            Some(v) => Some(Self(v)),
            None => None,
        }
    }
    pub const fn get(self) -> u16 {
        self.0.get()
    }
    /// The identifier after this one, wrapping from 65535 to 1 (0 is skipped).
    pub const fn next(self) -> Self {
        match NonZeroU16::new(self.0.get().wrapping_add(1)) {
            Some(v) => Self(v),
            None => Self(NonZeroU16::MIN),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum QoS {
    AtMostOnce = 0,
    AtLeastOnce = 1,
    ExactlyOnce = 2,
}

impl QoS {
    pub const fn from_u8(v: u8) -> Option<Self> {
        match v {
            0 => Some(Self::AtMostOnce),
            1 => Some(Self::AtLeastOnce),
            2 => Some(Self::ExactlyOnce),
            _ => None,
        }
    }
}

/// QoS of a PUBLISH together with its packet identifier, which exists only for QoS 1 and 2
/// [MQTT-2.2.1-2].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QosPid {
    AtMostOnce,
    AtLeastOnce(Pid),
    ExactlyOnce(Pid),
}

impl QosPid {
    pub const fn qos(self) -> QoS {
        match self {
            Self::AtMostOnce => QoS::AtMostOnce,
            Self::AtLeastOnce(_) => QoS::AtLeastOnce,
            Self::ExactlyOnce(_) => QoS::ExactlyOnce,
        }
    }
    pub const fn pid(self) -> Option<Pid> {
        match self {
            Self::AtMostOnce => None,
            Self::AtLeastOnce(p) | Self::ExactlyOnce(p) => Some(p),
        }
    }
}

/// The 4-bit control packet type of the fixed header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PacketType {
    Connect = 1,
    ConnAck = 2,
    Publish = 3,
    PubAck = 4,
    PubRec = 5,
    PubRel = 6,
    PubComp = 7,
    Subscribe = 8,
    SubAck = 9,
    Unsubscribe = 10,
    UnsubAck = 11,
    PingReq = 12,
    PingResp = 13,
    Disconnect = 14,
    /// MQTT 5.0 only.
    Auth = 15,
}

impl PacketType {
    /// The packet type for the high nibble of a first byte; 0 is reserved.
    pub const fn from_u8(v: u8) -> Option<Self> {
        Some(match v {
            1 => Self::Connect,
            2 => Self::ConnAck,
            3 => Self::Publish,
            4 => Self::PubAck,
            5 => Self::PubRec,
            6 => Self::PubRel,
            7 => Self::PubComp,
            8 => Self::Subscribe,
            9 => Self::SubAck,
            10 => Self::Unsubscribe,
            11 => Self::UnsubAck,
            12 => Self::PingReq,
            13 => Self::PingResp,
            14 => Self::Disconnect,
            15 => Self::Auth,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Packet {
    Connect(Connect),
    ConnAck(ConnAck),
    Publish(Publish),
    PubAck(PublishAck),
    PubRec(PublishAck),
    PubRel(PublishAck),
    PubComp(PublishAck),
    Subscribe(Subscribe),
    SubAck(SubAck),
    Unsubscribe(Unsubscribe),
    UnsubAck(UnsubAck),
    PingReq,
    PingResp,
    Disconnect(Disconnect),
    Auth(Auth),
}

impl Packet {
    pub const fn packet_type(&self) -> PacketType {
        match self {
            Self::Connect(_) => PacketType::Connect,
            Self::ConnAck(_) => PacketType::ConnAck,
            Self::Publish(_) => PacketType::Publish,
            Self::PubAck(_) => PacketType::PubAck,
            Self::PubRec(_) => PacketType::PubRec,
            Self::PubRel(_) => PacketType::PubRel,
            Self::PubComp(_) => PacketType::PubComp,
            Self::Subscribe(_) => PacketType::Subscribe,
            Self::SubAck(_) => PacketType::SubAck,
            Self::Unsubscribe(_) => PacketType::Unsubscribe,
            Self::UnsubAck(_) => PacketType::UnsubAck,
            Self::PingReq => PacketType::PingReq,
            Self::PingResp => PacketType::PingResp,
            Self::Disconnect(_) => PacketType::Disconnect,
            Self::Auth(_) => PacketType::Auth,
        }
    }
}

/// CONNECT. Decoding reads the protocol level from the packet itself (a server cannot know
/// the version before it), so `version` is data here, not a parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connect {
    pub version: ProtocolVersion,
    /// May be empty in 3.1.1 and 5.0 (server-assigned); 3.1 requires 1 to 23 characters.
    pub client_id: String,
    /// "Clean session" before 5.0.
    pub clean_start: bool,
    /// Seconds; 0 turns keepalive off.
    pub keep_alive: u16,
    pub username: Option<String>,
    /// Before 5.0 a password requires a username [MQTT-3.1.2-22].
    pub password: Option<Bytes>,
    pub will: Option<Will>,
    pub properties: Properties,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Will {
    pub topic: String,
    pub payload: Bytes,
    pub qos: QoS,
    pub retain: bool,
    /// Will properties (5.0): delay interval, payload format, expiry, content type, ...
    pub properties: Properties,
}

/// CONNACK. Version 3 return codes are carried as the matching 5.0 reason codes
/// (1 → 0x84, 2 → 0x85, 3 → 0x88, 4 → 0x86, 5 → 0x87), so one model serves both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnAck {
    /// Always false in 3.1, which has no such flag.
    pub session_present: bool,
    pub reason: ReasonCode,
    pub properties: Properties,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publish {
    /// Must be false at QoS 0 [MQTT-3.3.1-2].
    pub dup: bool,
    pub qos_pid: QosPid,
    pub retain: bool,
    /// May be empty only in 5.0 with a Topic Alias property [MQTT-3.3.2-8].
    pub topic: String,
    /// Shares the receive buffer: decoding does not copy it.
    pub payload: Bytes,
    pub properties: Properties,
}

/// PUBACK, PUBREC, PUBREL and PUBCOMP share one shape. Before 5.0 only `pid` is on the
/// wire; `reason` is then `Success` and `properties` empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishAck {
    pub pid: Pid,
    pub reason: ReasonCode,
    pub properties: Properties,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RetainHandling {
    /// Send retained messages at the time of the subscribe.
    SendAtSubscribe = 0,
    /// Send retained messages only if the subscription did not exist.
    SendIfNew = 1,
    DoNotSend = 2,
}

/// The subscription options byte. Before 5.0 only `qos` is on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SubscriptionOptions {
    pub qos: QoS,
    pub no_local: bool,
    pub retain_as_published: bool,
    pub retain_handling: RetainHandling,
}

impl SubscriptionOptions {
    pub const fn qos(qos: QoS) -> Self {
        Self {
            qos,
            no_local: false,
            retain_as_published: false,
            retain_handling: RetainHandling::SendAtSubscribe,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubscribeFilter {
    pub filter: String,
    pub options: SubscriptionOptions,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscribe {
    pub pid: Pid,
    /// At least one [MQTT-3.8.3-3].
    pub filters: Vec<SubscribeFilter>,
    pub properties: Properties,
}

/// SUBACK: one reason code per filter, in order. Before 5.0 the allowed codes are
/// GrantedQoS0/1/2 and 0x80 (`UnspecifiedError`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubAck {
    pub pid: Pid,
    pub reasons: Vec<ReasonCode>,
    pub properties: Properties,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsubscribe {
    pub pid: Pid,
    /// At least one [MQTT-3.10.3-2].
    pub filters: Vec<String>,
    pub properties: Properties,
}

/// UNSUBACK: before 5.0 there is no payload and `reasons` is empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnsubAck {
    pub pid: Pid,
    pub reasons: Vec<ReasonCode>,
    pub properties: Properties,
}

/// DISCONNECT. Before 5.0 it has no body: `reason` is `Success` (normal disconnection).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disconnect {
    pub reason: ReasonCode,
    pub properties: Properties,
}

/// AUTH (5.0 only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Auth {
    pub reason: ReasonCode,
    pub properties: Properties,
}

impl Publish {
    /// A publish without DUP, retain or properties.
    pub fn new(topic: impl Into<String>, qos_pid: QosPid, payload: impl Into<Bytes>) -> Self {
        Self {
            dup: false,
            qos_pid,
            retain: false,
            topic: topic.into(),
            payload: payload.into(),
            properties: Properties::new(),
        }
    }
}

impl PublishAck {
    /// The plain acknowledgement: the only form before 5.0, and the two-byte form in 5.0.
    pub const fn new(pid: Pid) -> Self {
        Self {
            pid,
            reason: ReasonCode::Success,
            properties: Properties::new(),
        }
    }
}

impl Disconnect {
    pub const fn new(reason: ReasonCode) -> Self {
        Self {
            reason,
            properties: Properties::new(),
        }
    }
}

impl Auth {
    pub const fn new(reason: ReasonCode) -> Self {
        Self {
            reason,
            properties: Properties::new(),
        }
    }
}
