//! Reason codes (5.0 section 2.4, table 2-6).
//!
//! One enum serves every version: 3.1/3.1.1 CONNACK return codes and SUBACK return codes are
//! mapped onto their 5.0 equivalents, so code above the codec handles one set of outcomes.

use crate::packet::PacketType;

/// A one-byte reason code. Values below 0x80 report success, 0x80 and above report failure
/// (5.0 section 2.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum ReasonCode {
    /// Also "Normal disconnection" (DISCONNECT) and "Granted QoS 0" (SUBACK).
    Success = 0x00,
    GrantedQoS1 = 0x01,
    GrantedQoS2 = 0x02,
    DisconnectWithWillMessage = 0x04,
    NoMatchingSubscribers = 0x10,
    NoSubscriptionExisted = 0x11,
    ContinueAuthentication = 0x18,
    ReAuthenticate = 0x19,
    UnspecifiedError = 0x80,
    MalformedPacket = 0x81,
    ProtocolError = 0x82,
    ImplementationSpecificError = 0x83,
    UnsupportedProtocolVersion = 0x84,
    ClientIdentifierNotValid = 0x85,
    BadUserNameOrPassword = 0x86,
    NotAuthorized = 0x87,
    ServerUnavailable = 0x88,
    ServerBusy = 0x89,
    Banned = 0x8A,
    ServerShuttingDown = 0x8B,
    BadAuthenticationMethod = 0x8C,
    KeepAliveTimeout = 0x8D,
    SessionTakenOver = 0x8E,
    TopicFilterInvalid = 0x8F,
    TopicNameInvalid = 0x90,
    PacketIdentifierInUse = 0x91,
    PacketIdentifierNotFound = 0x92,
    ReceiveMaximumExceeded = 0x93,
    TopicAliasInvalid = 0x94,
    PacketTooLarge = 0x95,
    MessageRateTooHigh = 0x96,
    QuotaExceeded = 0x97,
    AdministrativeAction = 0x98,
    PayloadFormatInvalid = 0x99,
    RetainNotSupported = 0x9A,
    QoSNotSupported = 0x9B,
    UseAnotherServer = 0x9C,
    ServerMoved = 0x9D,
    SharedSubscriptionsNotSupported = 0x9E,
    ConnectionRateExceeded = 0x9F,
    MaximumConnectTime = 0xA0,
    SubscriptionIdentifiersNotSupported = 0xA1,
    WildcardSubscriptionsNotSupported = 0xA2,
}

impl ReasonCode {
    /// The name table 2-6 gives 0x00 in DISCONNECT.
    pub const NORMAL_DISCONNECTION: Self = Self::Success;
    /// The name table 2-6 gives 0x00 in SUBACK.
    pub const GRANTED_QOS_0: Self = Self::Success;

    pub const fn from_u8(v: u8) -> Option<Self> {
        use ReasonCode::*;
        Some(match v {
            0x00 => Success,
            0x01 => GrantedQoS1,
            0x02 => GrantedQoS2,
            0x04 => DisconnectWithWillMessage,
            0x10 => NoMatchingSubscribers,
            0x11 => NoSubscriptionExisted,
            0x18 => ContinueAuthentication,
            0x19 => ReAuthenticate,
            0x80 => UnspecifiedError,
            0x81 => MalformedPacket,
            0x82 => ProtocolError,
            0x83 => ImplementationSpecificError,
            0x84 => UnsupportedProtocolVersion,
            0x85 => ClientIdentifierNotValid,
            0x86 => BadUserNameOrPassword,
            0x87 => NotAuthorized,
            0x88 => ServerUnavailable,
            0x89 => ServerBusy,
            0x8A => Banned,
            0x8B => ServerShuttingDown,
            0x8C => BadAuthenticationMethod,
            0x8D => KeepAliveTimeout,
            0x8E => SessionTakenOver,
            0x8F => TopicFilterInvalid,
            0x90 => TopicNameInvalid,
            0x91 => PacketIdentifierInUse,
            0x92 => PacketIdentifierNotFound,
            0x93 => ReceiveMaximumExceeded,
            0x94 => TopicAliasInvalid,
            0x95 => PacketTooLarge,
            0x96 => MessageRateTooHigh,
            0x97 => QuotaExceeded,
            0x98 => AdministrativeAction,
            0x99 => PayloadFormatInvalid,
            0x9A => RetainNotSupported,
            0x9B => QoSNotSupported,
            0x9C => UseAnotherServer,
            0x9D => ServerMoved,
            0x9E => SharedSubscriptionsNotSupported,
            0x9F => ConnectionRateExceeded,
            0xA0 => MaximumConnectTime,
            0xA1 => SubscriptionIdentifiersNotSupported,
            0xA2 => WildcardSubscriptionsNotSupported,
            _ => return None,
        })
    }

    pub const fn as_u8(self) -> u8 {
        self as u8
    }

    /// The code in lower-case English, usable as a sentence fragment ("connection refused:
    /// not authorized"). It lives here so that there is one wording: the CLI prints it as
    /// is, and the web app, which translates codes itself, takes it as the English source.
    /// `Success` stands for three names in table 2-6 and reads "success", the general one,
    /// not "normal disconnection" (DISCONNECT) or "granted QoS 0" (SUBACK).
    pub const fn description(self) -> &'static str {
        use ReasonCode::*;
        match self {
            Success => "success",
            GrantedQoS1 => "granted QoS 1",
            GrantedQoS2 => "granted QoS 2",
            DisconnectWithWillMessage => "disconnect with will message",
            NoMatchingSubscribers => "no matching subscribers",
            NoSubscriptionExisted => "no subscription existed",
            ContinueAuthentication => "continue authentication",
            ReAuthenticate => "re-authenticate",
            UnspecifiedError => "unspecified error",
            MalformedPacket => "malformed packet",
            ProtocolError => "protocol error",
            ImplementationSpecificError => "implementation specific error",
            UnsupportedProtocolVersion => "unsupported protocol version",
            ClientIdentifierNotValid => "client identifier not valid",
            BadUserNameOrPassword => "bad user name or password",
            NotAuthorized => "not authorized",
            ServerUnavailable => "server unavailable",
            ServerBusy => "server busy",
            Banned => "banned",
            ServerShuttingDown => "server shutting down",
            BadAuthenticationMethod => "bad authentication method",
            // One word, not the spec's "Keep Alive", to match the CLI's `--keepalive` flag and
            // its own message for a keepalive the client saw expire.
            KeepAliveTimeout => "keepalive timeout",
            // The name alone does not tell a user that a second client with their id is the
            // cause, which is the usual one.
            SessionTakenOver => "session taken over (another client connected with the same id)",
            TopicFilterInvalid => "topic filter invalid",
            TopicNameInvalid => "topic name invalid",
            PacketIdentifierInUse => "packet identifier in use",
            PacketIdentifierNotFound => "packet identifier not found",
            ReceiveMaximumExceeded => "receive maximum exceeded",
            TopicAliasInvalid => "topic alias invalid",
            PacketTooLarge => "packet too large",
            MessageRateTooHigh => "message rate too high",
            QuotaExceeded => "quota exceeded",
            AdministrativeAction => "administrative action",
            PayloadFormatInvalid => "payload format invalid",
            RetainNotSupported => "retain not supported",
            QoSNotSupported => "QoS not supported",
            UseAnotherServer => "use another server",
            ServerMoved => "server moved",
            SharedSubscriptionsNotSupported => "shared subscriptions not supported",
            ConnectionRateExceeded => "connection rate exceeded",
            MaximumConnectTime => "maximum connect time",
            SubscriptionIdentifiersNotSupported => "subscription identifiers not supported",
            WildcardSubscriptionsNotSupported => "wildcard subscriptions not supported",
        }
    }

    /// "Reason Code values of 0x80 or greater indicate failure" (5.0 section 2.4).
    pub const fn is_error(self) -> bool {
        self as u8 >= 0x80
    }

    /// Whether 5.0 table 2-6 lists this code for `packet`. PINGREQ, PINGRESP, CONNECT,
    /// PUBLISH, SUBSCRIBE and UNSUBSCRIBE carry no reason code, so nothing is allowed there.
    pub const fn allowed_in(self, packet: PacketType) -> bool {
        use PacketType as P;
        use ReasonCode::*;
        match self {
            Success => matches!(
                packet,
                P::ConnAck
                    | P::PubAck
                    | P::PubRec
                    | P::PubRel
                    | P::PubComp
                    | P::SubAck
                    | P::UnsubAck
                    | P::Disconnect
                    | P::Auth
            ),
            GrantedQoS1 | GrantedQoS2 => matches!(packet, P::SubAck),
            DisconnectWithWillMessage => matches!(packet, P::Disconnect),
            NoMatchingSubscribers => matches!(packet, P::PubAck | P::PubRec),
            NoSubscriptionExisted => matches!(packet, P::UnsubAck),
            ContinueAuthentication | ReAuthenticate => matches!(packet, P::Auth),
            UnspecifiedError | ImplementationSpecificError | NotAuthorized => matches!(
                packet,
                P::ConnAck | P::PubAck | P::PubRec | P::SubAck | P::UnsubAck | P::Disconnect
            ),
            MalformedPacket
            | ProtocolError
            | ServerBusy
            | BadAuthenticationMethod
            | PacketTooLarge
            | RetainNotSupported
            | QoSNotSupported
            | UseAnotherServer
            | ServerMoved
            | ConnectionRateExceeded => {
                matches!(packet, P::ConnAck | P::Disconnect)
            }
            UnsupportedProtocolVersion
            | ClientIdentifierNotValid
            | BadUserNameOrPassword
            | ServerUnavailable
            | Banned => matches!(packet, P::ConnAck),
            ServerShuttingDown
            | KeepAliveTimeout
            | SessionTakenOver
            | ReceiveMaximumExceeded
            | TopicAliasInvalid
            | MessageRateTooHigh
            | AdministrativeAction
            | MaximumConnectTime => matches!(packet, P::Disconnect),
            TopicFilterInvalid => matches!(packet, P::SubAck | P::UnsubAck | P::Disconnect),
            TopicNameInvalid | PayloadFormatInvalid => {
                matches!(packet, P::ConnAck | P::PubAck | P::PubRec | P::Disconnect)
            }
            PacketIdentifierInUse => {
                matches!(packet, P::PubAck | P::PubRec | P::SubAck | P::UnsubAck)
            }
            PacketIdentifierNotFound => matches!(packet, P::PubRel | P::PubComp),
            QuotaExceeded => matches!(
                packet,
                P::ConnAck | P::PubAck | P::PubRec | P::SubAck | P::Disconnect
            ),
            SharedSubscriptionsNotSupported
            | SubscriptionIdentifiersNotSupported
            | WildcardSubscriptionsNotSupported => matches!(packet, P::SubAck | P::Disconnect),
        }
    }

    /// The 5.0 code for a 3.1/3.1.1 CONNACK return code (3.1.1 table 3.1), so that one
    /// model serves both: 1 → 0x84, 2 → 0x85, 3 → 0x88, 4 → 0x86, 5 → 0x87.
    pub const fn from_v3_connack(code: u8) -> Option<Self> {
        Some(match code {
            0 => Self::Success,
            1 => Self::UnsupportedProtocolVersion,
            2 => Self::ClientIdentifierNotValid,
            3 => Self::ServerUnavailable,
            4 => Self::BadUserNameOrPassword,
            5 => Self::NotAuthorized,
            _ => return None,
        })
    }

    /// The 3.1/3.1.1 CONNACK return code for this code, if it has one.
    pub const fn to_v3_connack(self) -> Option<u8> {
        Some(match self {
            Self::Success => 0,
            Self::UnsupportedProtocolVersion => 1,
            Self::ClientIdentifierNotValid => 2,
            Self::ServerUnavailable => 3,
            Self::BadUserNameOrPassword => 4,
            Self::NotAuthorized => 5,
            _ => return None,
        })
    }

    /// 3.1.1 SUBACK return codes are 0, 1, 2 and 0x80 only [MQTT-3.9.3-2]; their bytes are
    /// the same as the 5.0 codes they map to.
    pub const fn is_v3_suback(self) -> bool {
        matches!(
            self,
            Self::Success | Self::GrantedQoS1 | Self::GrantedQoS2 | Self::UnspecifiedError
        )
    }
}

impl From<ReasonCode> for u8 {
    fn from(code: ReasonCode) -> u8 {
        code as u8
    }
}

#[cfg(test)]
mod tests {
    use super::ReasonCode;

    #[test]
    fn descriptions_are_the_spec_names_in_lower_case() {
        for (code, words) in [
            (0x00, "success"),
            (0x01, "granted QoS 1"),
            (0x04, "disconnect with will message"),
            (0x86, "bad user name or password"),
            (0x87, "not authorized"),
            (0x8C, "bad authentication method"),
            (0x92, "packet identifier not found"),
            (0x97, "quota exceeded"),
            (0x9C, "use another server"),
        ] {
            assert_eq!(ReasonCode::from_u8(code).unwrap().description(), words);
        }
        assert_eq!(ReasonCode::NORMAL_DISCONNECTION.description(), "success");
    }

    #[test]
    fn every_code_has_a_description() {
        let mut known = 0;
        for v in 0..=255 {
            if let Some(code) = ReasonCode::from_u8(v) {
                let words = code.description();
                assert!(!words.is_empty(), "0x{v:02X}");
                assert_eq!(words.trim(), words, "0x{v:02X}");
                known += 1;
            }
        }
        assert_eq!(known, 43);
    }
}
