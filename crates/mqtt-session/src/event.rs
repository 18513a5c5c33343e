//! What the session tells its driver.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use mqtt_codec_wasm::topic::TopicError;
use mqtt_codec_wasm::{
    Bytes, DecodeError, PacketType, Properties, ProtocolVersion, QoS, ReasonCode,
};

use crate::error::Error;
use crate::session::ServerLimits;

/// Names one publish for its whole life.
///
/// Not the packet identifier: a publish waiting in the offline queue has none yet, and
/// identifiers are reused once acknowledged, so they cannot name a publish to the
/// application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PublishId(pub u64);

/// Names one `subscribe` call (or one automatic resubscription).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SubscribeId(pub u64);

/// Names one `unsubscribe` call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnsubscribeId(pub u64);

/// An application message from the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// Always the full topic: aliases are resolved before the application sees it.
    pub topic: String,
    pub payload: Bytes,
    pub qos: QoS,
    pub retain: bool,
    pub dup: bool,
    /// The PUBLISH properties without the topic alias (a connection detail) and without
    /// subscription identifiers (given apart, below).
    pub properties: Properties,
    /// Which of our subscriptions matched (5.0), so the application can route without
    /// matching topics again.
    pub subscription_ids: Vec<u32>,
}

/// Why a connection ended without a packet saying so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnectionLostCause {
    /// The driver reported the transport closed or failed.
    Transport,
    /// Nothing arrived within 1.5 × keepalive (the tolerance 5.0 section 3.1.2.10 grants
    /// the server, applied to it in turn).
    KeepAliveTimeout,
    /// No CONNACK within the configured connect timeout.
    ConnectTimeout,
}

/// What showed that a server does not speak the protocol version we asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VersionRefusal {
    /// A CONNACK in the 3.1.1 layout with this return code (1: unacceptable protocol
    /// level, what a 3.1.1 server must answer to a 5.0 CONNECT [MQTT-3.1.2-2]).
    OlderConnAck { return_code: u8 },
    /// A 5.0 CONNACK with reason 0x84, Unsupported Protocol Version (reported this way only
    /// when falling back; otherwise it is an [`Event::ConnectionRefused`] with its reason
    /// string).
    UnsupportedProtocolVersion,
    /// The server closed the connection right after our CONNECT, without a byte: what
    /// some 3.1.1 servers do with a protocol level they do not know. Only a sign (a server
    /// may close for other reasons), so it is reported only before the first connection
    /// this session ever made.
    ClosedAfterConnect,
}

/// A broker broke the protocol. Each variant names the rule; the connection ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProtocolViolation {
    /// The codec rejected the bytes.
    Malformed(DecodeError),
    /// A packet only a client sends (CONNECT, SUBSCRIBE, UNSUBSCRIBE, PINGREQ), or AUTH when
    /// we asked for no enhanced authentication (5.0 section 4.12).
    UnexpectedPacket(PacketType),
    /// The first packet from the server must be CONNACK [MQTT-3.2.0-1].
    PacketBeforeConnAck(PacketType),
    /// At most one CONNACK per connection [MQTT-3.2.0-2].
    DuplicateConnAck,
    /// Session Present = 1 answering Clean Start = 1 [MQTT-3.2.2-2] (3.1.1: [MQTT-3.2.2-1]).
    SessionPresentOnCleanStart,
    /// A CONNACK assigned another client identifier although CONNECT carried one: the
    /// server assigns one only for a zero-length identifier (5.0 section 3.2.2.3.7), and
    /// adopting it would change who this client is on every later connection.
    AssignedClientIdNotAsked,
    /// An acknowledgement of the wrong kind for the packet under that identifier: PUBACK for
    /// QoS 2, PUBREC for QoS 1, PUBCOMP before PUBREC (5.0 section 4.3).
    UnexpectedAck { packet: PacketType, pid: u16 },
    /// SUBACK/UNSUBACK must carry one reason code per filter, in order [MQTT-3.8.4-6]
    /// [MQTT-3.11.3-1].
    AckCountMismatch {
        packet: PacketType,
        expected: usize,
        received: usize,
    },
    /// Topic alias 0 or above our Topic Alias Maximum (5.0 section 3.3.2.3.4).
    TopicAliasInvalid { alias: u16, maximum: u16 },
    /// An empty topic with an alias never defined on this connection (5.0 section
    /// 3.3.2.3.4).
    UnknownTopicAlias(u16),
    /// An empty topic without an alias, or a topic name that is not valid.
    InvalidTopic(TopicError),
    /// More unacknowledged QoS 2 publishes than our Receive Maximum [MQTT-3.3.4-9].
    ReceiveMaximumExceeded { maximum: u16 },
}

impl ProtocolViolation {
    /// The reason code of the DISCONNECT a 5.0 client sends before closing.
    pub fn reason_code(&self) -> ReasonCode {
        let code = match self {
            Self::Malformed(e) => e.reason_code(),
            Self::TopicAliasInvalid { .. } => ReasonCode::TopicAliasInvalid,
            Self::InvalidTopic(_) => ReasonCode::TopicNameInvalid,
            Self::ReceiveMaximumExceeded { .. } => ReasonCode::ReceiveMaximumExceeded,
            _ => ReasonCode::ProtocolError,
        };
        if code.is_error() && code.allowed_in(PacketType::Disconnect) {
            code
        } else {
            ReasonCode::ProtocolError
        }
    }
}

impl fmt::Display for ProtocolViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Malformed(e) => write!(f, "malformed packet from the server: {e}"),
            Self::UnexpectedPacket(t) => write!(f, "the server sent {t:?}, which it must not"),
            Self::PacketBeforeConnAck(t) => {
                write!(f, "the server sent {t:?} before CONNACK [MQTT-3.2.0-1]")
            }
            Self::DuplicateConnAck => f.write_str("the server sent a second CONNACK [MQTT-3.2.0-2]"),
            Self::SessionPresentOnCleanStart => {
                f.write_str("the server reported a session present although we asked for a clean start [MQTT-3.2.2-2]")
            }
            Self::AssignedClientIdNotAsked => f.write_str(
                "the server assigned a client identifier although we sent one (5.0 section 3.2.2.3.7)",
            ),
            Self::UnexpectedAck { packet, pid } => write!(
                f,
                "{packet:?} does not fit the state of packet identifier {pid} (5.0 section 4.3)"
            ),
            Self::AckCountMismatch {
                packet,
                expected,
                received,
            } => write!(
                f,
                "{packet:?} carries {received} reason codes for {expected} topic filters [MQTT-3.8.4-6]"
            ),
            Self::TopicAliasInvalid { alias, maximum } => write!(
                f,
                "topic alias {alias} is outside 1..={maximum} (5.0 section 3.3.2.3.4)"
            ),
            Self::UnknownTopicAlias(alias) => write!(
                f,
                "topic alias {alias} was used before being defined (5.0 section 3.3.2.3.4)"
            ),
            Self::InvalidTopic(e) => write!(f, "invalid topic in PUBLISH: {e}"),
            Self::ReceiveMaximumExceeded { maximum } => write!(
                f,
                "the server exceeded our receive maximum of {maximum} [MQTT-3.3.4-9]"
            ),
        }
    }
}

/// Everything the application hears from the session, in the order it happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// CONNACK accepted the connection.
    Connected {
        session_present: bool,
        /// Set when we sent an empty client identifier (5.0).
        assigned_client_id: Option<String>,
        /// The keepalive in force: ours, or the server's override.
        keep_alive: u16,
        limits: ServerLimits,
        reason_string: Option<String>,
    },
    /// CONNACK refused the connection; the connection is over.
    ConnectionRefused {
        reason: ReasonCode,
        reason_string: Option<String>,
        server_reference: Option<String>,
    },
    /// The server does not speak `version` (5.0). With `fall_back_to_v311` the session has
    /// switched to 3.1.1 (`retry_with`) and [`Event::ReconnectDue`] follows at once;
    /// otherwise the session stops, except after [`VersionRefusal::ClosedAfterConnect`],
    /// which is only a sign and is retried as a lost connection would be.
    VersionRefused {
        version: ProtocolVersion,
        sign: VersionRefusal,
        retry_with: Option<ProtocolVersion>,
    },
    Message(Message),
    /// The end of a QoS 1 (PUBACK) or QoS 2 (PUBCOMP, or PUBREC with an error) exchange.
    /// `reason.is_error()` means the server refused the message (5.0). When the server lost
    /// the session after PUBREC, the PUBREC is the acknowledgement: the server had taken the
    /// message over.
    PublishAcknowledged {
        id: PublishId,
        qos: QoS,
        reason: ReasonCode,
        reason_string: Option<String>,
    },
    /// A queued publish became unsendable after a reconnect (the new server's limits
    /// forbid it); it is given back rather than dropped silently.
    PublishFailed {
        id: PublishId,
        error: Error,
    },
    /// A SUBSCRIBE made before the connection was accepted could not be sent: the server's
    /// limits (its Maximum Packet Size) rule it out. It is dropped, not retried.
    SubscribeFailed {
        id: SubscribeId,
        error: Error,
    },
    /// SUBACK: one result per filter, in order. `restored` marks the session's own
    /// resubscription after the server lost the session.
    Subscribed {
        id: SubscribeId,
        restored: bool,
        results: Vec<(String, ReasonCode)>,
        reason_string: Option<String>,
    },
    /// UNSUBACK: one result per filter (all `Success` before 5.0, which has no codes).
    Unsubscribed {
        id: UnsubscribeId,
        results: Vec<(String, ReasonCode)>,
        reason_string: Option<String>,
    },
    /// The server sent DISCONNECT. With `UseAnotherServer` or `ServerMoved`,
    /// `server_reference` says where to go.
    Disconnected {
        reason: ReasonCode,
        reason_string: Option<String>,
        server_reference: Option<String>,
    },
    ConnectionLost {
        cause: ConnectionLostCause,
    },
    ProtocolError {
        cause: ProtocolViolation,
    },
    /// A publish was refused because the queue is full (its `publish` call returned
    /// [`Error::OfflineQueueFull`]).
    OfflineQueueOverflow {
        topic: String,
        size: usize,
    },
    /// An acknowledgement (PUBACK, PUBREC, PUBCOMP, SUBACK, UNSUBACK) for a packet
    /// identifier with nothing outstanding: ignored, the connection stays up (a PUBREC is
    /// answered with PUBREL, reason Packet Identifier Not Found in 5.0). For logs.
    StrayAck {
        packet: PacketType,
        pid: u16,
    },
    /// The reconnect wait is over: open a transport and call `connect`.
    ReconnectDue,
}
