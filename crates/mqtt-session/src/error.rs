//! Errors of commands: the caller asked for something the session cannot do.
//!
//! Split from [`crate::ProtocolViolation`] by who is at fault: these are the application's
//! (or its configuration's) mistakes, returned synchronously and changing nothing, while
//! violations are the broker's and end the connection.

use alloc::string::String;
use core::fmt;

use mqtt_codec_wasm::topic::TopicError;
use mqtt_codec_wasm::{EncodeError, PropertyId, QoS};

/// Why [`crate::SessionOptions`] were refused. A type, not a message: a program that never
/// prints one (the browser app words errors itself) carries none of the texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptionsError {
    /// MQTT 3.1 client identifiers are 1 to 23 characters.
    V31ClientId,
    /// [MQTT-3.1.3-7]: a zero-length identifier requires clean session before 5.0.
    EmptyClientIdNeedsCleanStart,
    /// [MQTT-3.1.2-22]: before 5.0 a password needs a username.
    PasswordWithoutUsername,
    /// 5.0 section 3.1.2.11.3.
    ReceiveMaximumZero,
    /// 5.0 section 3.1.2.11.4.
    MaximumPacketSizeZero,
    OfflineQueueZero,
}

impl OptionsError {
    pub fn description(self) -> &'static str {
        match self {
            Self::V31ClientId => "MQTT 3.1 requires a client identifier of 1 to 23 characters",
            Self::EmptyClientIdNeedsCleanStart => {
                "an empty client identifier requires clean start before MQTT 5.0 [MQTT-3.1.3-7]"
            }
            Self::PasswordWithoutUsername => {
                "a password requires a username before MQTT 5.0 [MQTT-3.1.2-22]"
            }
            Self::ReceiveMaximumZero => {
                "receive maximum must be at least 1 (5.0 section 3.1.2.11.3)"
            }
            Self::MaximumPacketSizeZero => {
                "maximum packet size must be at least 1 (5.0 section 3.1.2.11.4)"
            }
            Self::OfflineQueueZero => "the offline queue must hold at least one message",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    InvalidOptions(OptionsError),
    InvalidTopic(TopicError),
    InvalidFilter(TopicError),
    /// SUBSCRIBE and UNSUBSCRIBE need at least one filter [MQTT-3.8.3-3] [MQTT-3.10.3-2].
    NoFilters,
    /// The packet would exceed the server's Maximum Packet Size [MQTT-3.1.2-24].
    PacketTooLarge {
        size: usize,
        maximum: u32,
    },
    /// The server's CONNACK capped QoS below the one asked for [MQTT-3.2.2-11].
    QoSNotSupported {
        requested: QoS,
        maximum: QoS,
    },
    /// The server's CONNACK said Retain Available = 0 [MQTT-3.2.2-14].
    RetainNotSupported,
    WildcardSubscriptionsNotSupported,
    SharedSubscriptionsNotSupported,
    SubscriptionIdentifiersNotSupported,
    /// A property the session manages itself (topic alias) or a client must not send
    /// (subscription identifier in PUBLISH, [MQTT-3.3.4-6]).
    ForbiddenProperty(PropertyId),
    /// Subscription identifiers run from 1 to 268,435,455 (5.0 section 3.8.2.1.2).
    InvalidSubscriptionIdentifier(u32),
    /// The offline queue is full; the publish was not accepted (and an
    /// [`crate::Event::OfflineQueueOverflow`] says the same to whoever watches events).
    OfflineQueueFull {
        topic: String,
        size: usize,
    },
    /// All 65,535 packet identifiers are in use by unacknowledged packets.
    PacketIdsExhausted,
    /// The codec refused to encode the packet.
    Encode(EncodeError),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidOptions(why) => {
                write!(f, "invalid session options: {}", why.description())
            }
            Self::InvalidTopic(e) => write!(f, "invalid topic name: {e}"),
            Self::InvalidFilter(e) => write!(f, "invalid topic filter: {e}"),
            Self::NoFilters => f.write_str("at least one topic filter is required"),
            Self::PacketTooLarge { size, maximum } => write!(
                f,
                "the packet is {size} bytes but the server accepts at most {maximum}"
            ),
            Self::QoSNotSupported { requested, maximum } => write!(
                f,
                "QoS {} requested but the server supports at most QoS {}",
                *requested as u8, *maximum as u8
            ),
            Self::RetainNotSupported => {
                f.write_str("the server does not support retained messages")
            }
            Self::WildcardSubscriptionsNotSupported => {
                f.write_str("the server does not support wildcard subscriptions")
            }
            Self::SharedSubscriptionsNotSupported => {
                f.write_str("the server does not support shared subscriptions")
            }
            Self::SubscriptionIdentifiersNotSupported => {
                f.write_str("the server does not support subscription identifiers")
            }
            Self::ForbiddenProperty(id) => {
                write!(
                    f,
                    "property {id:?} is managed by the session or forbidden here"
                )
            }
            Self::InvalidSubscriptionIdentifier(v) => {
                write!(f, "subscription identifier {v} is outside 1..=268435455")
            }
            Self::OfflineQueueFull { topic, size } => write!(
                f,
                "the offline queue is full: publish to {topic:?} ({size} bytes) not accepted"
            ),
            Self::PacketIdsExhausted => f.write_str("all packet identifiers are in use"),
            Self::Encode(e) => write!(f, "cannot encode the packet: {e:?}"),
        }
    }
}

impl core::error::Error for Error {}
