//! MQTT 5.0 properties (section 2.2.2.2).
//!
//! Properties are kept as a list in wire order rather than as one field per property, so that
//! a packet decodes and re-encodes to the same bytes whatever order the peer chose, and user
//! properties keep their order. Typed getters spare callers a search through the list.

use alloc::string::String;
use alloc::vec::Vec;
use bytes::Bytes;

use crate::packet::{PacketType, QoS};

/// A property's identifier byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PropertyId {
    PayloadFormatIndicator = 0x01,
    MessageExpiryInterval = 0x02,
    ContentType = 0x03,
    ResponseTopic = 0x08,
    CorrelationData = 0x09,
    SubscriptionIdentifier = 0x0B,
    SessionExpiryInterval = 0x11,
    AssignedClientIdentifier = 0x12,
    ServerKeepAlive = 0x13,
    AuthenticationMethod = 0x15,
    AuthenticationData = 0x16,
    RequestProblemInformation = 0x17,
    WillDelayInterval = 0x18,
    RequestResponseInformation = 0x19,
    ResponseInformation = 0x1A,
    ServerReference = 0x1C,
    ReasonString = 0x1F,
    ReceiveMaximum = 0x21,
    TopicAliasMaximum = 0x22,
    TopicAlias = 0x23,
    MaximumQoS = 0x24,
    RetainAvailable = 0x25,
    UserProperty = 0x26,
    MaximumPacketSize = 0x27,
    WildcardSubscriptionAvailable = 0x28,
    SubscriptionIdentifierAvailable = 0x29,
    SharedSubscriptionAvailable = 0x2A,
}

/// One property with its value, typed as the spec's table 2-4 gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Property {
    PayloadFormatIndicator(u8),
    MessageExpiryInterval(u32),
    ContentType(String),
    ResponseTopic(String),
    CorrelationData(Bytes),
    /// Variable byte integer, 1 ..= 268_435_455; repeatable in a server's PUBLISH.
    SubscriptionIdentifier(u32),
    SessionExpiryInterval(u32),
    AssignedClientIdentifier(String),
    ServerKeepAlive(u16),
    AuthenticationMethod(String),
    AuthenticationData(Bytes),
    RequestProblemInformation(u8),
    WillDelayInterval(u32),
    RequestResponseInformation(u8),
    ResponseInformation(String),
    ServerReference(String),
    ReasonString(String),
    ReceiveMaximum(u16),
    TopicAliasMaximum(u16),
    TopicAlias(u16),
    MaximumQoS(u8),
    RetainAvailable(u8),
    /// Repeatable; order is kept.
    UserProperty(String, String),
    MaximumPacketSize(u32),
    WildcardSubscriptionAvailable(u8),
    SubscriptionIdentifierAvailable(u8),
    SharedSubscriptionAvailable(u8),
}

/// The properties of one packet (or of a will), in wire order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Properties(pub Vec<Property>);

/// Where a property list sits: in a packet's variable header, or in the will properties of
/// CONNECT, which table 2-4 lists as a place of its own ("Will Properties").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PropertyContext {
    Packet(PacketType),
    Will,
}

impl From<PacketType> for PropertyContext {
    fn from(t: PacketType) -> Self {
        Self::Packet(t)
    }
}

/// Every property identifier, in numeric order.
const ALL_IDS: [PropertyId; 27] = {
    let mut all = [PropertyId::PayloadFormatIndicator; 27];
    let mut n = 0;
    let mut b = 0u8;
    while b < 64 {
        if let Some(id) = PropertyId::from_u8(b) {
            all[n] = id;
            n += 1;
        }
        b += 1;
    }
    all
};

const fn mask_for(ctx: PropertyContext) -> u64 {
    let mut m = 0u64;
    let mut i = 0;
    while i < ALL_IDS.len() {
        if ALL_IDS[i].allowed_in(ctx) {
            m |= 1 << (ALL_IDS[i] as u8);
        }
        i += 1;
    }
    m
}

/// Table 2-4 as bitmasks (bit n set: identifier n allowed), index 0 for will properties
/// and the packet type number otherwise, so that a property's admission is one AND.
const MASKS: [u64; 16] = {
    let mut t = [0u64; 16];
    t[0] = mask_for(PropertyContext::Will);
    let mut k = 1;
    while k < 16 {
        if let Some(pt) = PacketType::from_u8(k as u8) {
            t[k] = mask_for(PropertyContext::Packet(pt));
        }
        k += 1;
    }
    t
};

impl PropertyContext {
    /// Bit n set: identifier n may appear in this context.
    #[inline]
    pub(crate) const fn allowed_mask(self) -> u64 {
        match self {
            Self::Will => MASKS[0],
            Self::Packet(t) => MASKS[t as usize],
        }
    }

    /// Bit n set: identifier n may appear more than once in this context.
    #[inline]
    pub(crate) const fn repeatable_mask(self) -> u64 {
        let user = 1u64 << (PropertyId::UserProperty as u8);
        match self {
            Self::Packet(PacketType::Publish) => {
                user | 1u64 << (PropertyId::SubscriptionIdentifier as u8)
            }
            _ => user,
        }
    }
}

impl PropertyId {
    pub const fn from_u8(v: u8) -> Option<Self> {
        use PropertyId::*;
        Some(match v {
            0x01 => PayloadFormatIndicator,
            0x02 => MessageExpiryInterval,
            0x03 => ContentType,
            0x08 => ResponseTopic,
            0x09 => CorrelationData,
            0x0B => SubscriptionIdentifier,
            0x11 => SessionExpiryInterval,
            0x12 => AssignedClientIdentifier,
            0x13 => ServerKeepAlive,
            0x15 => AuthenticationMethod,
            0x16 => AuthenticationData,
            0x17 => RequestProblemInformation,
            0x18 => WillDelayInterval,
            0x19 => RequestResponseInformation,
            0x1A => ResponseInformation,
            0x1C => ServerReference,
            0x1F => ReasonString,
            0x21 => ReceiveMaximum,
            0x22 => TopicAliasMaximum,
            0x23 => TopicAlias,
            0x24 => MaximumQoS,
            0x25 => RetainAvailable,
            0x26 => UserProperty,
            0x27 => MaximumPacketSize,
            0x28 => WildcardSubscriptionAvailable,
            0x29 => SubscriptionIdentifierAvailable,
            0x2A => SharedSubscriptionAvailable,
            _ => return None,
        })
    }

    pub const fn as_u8(self) -> u8 {
        self as u8
    }

    /// Whether table 2-4 lists this property for `ctx`. A receiver that finds a property
    /// outside its row cannot give it a meaning, so decoding treats it as malformed.
    pub const fn allowed_in(self, ctx: PropertyContext) -> bool {
        use PacketType as P;
        use PropertyContext::{Packet, Will};
        use PropertyId::*;
        match self {
            PayloadFormatIndicator
            | MessageExpiryInterval
            | ContentType
            | ResponseTopic
            | CorrelationData => matches!(ctx, Packet(P::Publish) | Will),
            SubscriptionIdentifier => matches!(ctx, Packet(P::Publish | P::Subscribe)),
            SessionExpiryInterval => {
                matches!(ctx, Packet(P::Connect | P::ConnAck | P::Disconnect))
            }
            AssignedClientIdentifier
            | ServerKeepAlive
            | ResponseInformation
            | MaximumQoS
            | RetainAvailable
            | WildcardSubscriptionAvailable
            | SubscriptionIdentifierAvailable
            | SharedSubscriptionAvailable => matches!(ctx, Packet(P::ConnAck)),
            AuthenticationMethod | AuthenticationData => {
                matches!(ctx, Packet(P::Connect | P::ConnAck | P::Auth))
            }
            RequestProblemInformation | RequestResponseInformation => {
                matches!(ctx, Packet(P::Connect))
            }
            WillDelayInterval => matches!(ctx, Will),
            ServerReference => matches!(ctx, Packet(P::ConnAck | P::Disconnect)),
            ReasonString => matches!(
                ctx,
                Packet(
                    P::ConnAck
                        | P::PubAck
                        | P::PubRec
                        | P::PubRel
                        | P::PubComp
                        | P::SubAck
                        | P::UnsubAck
                        | P::Disconnect
                        | P::Auth
                )
            ),
            ReceiveMaximum | TopicAliasMaximum | MaximumPacketSize => {
                matches!(ctx, Packet(P::Connect | P::ConnAck))
            }
            TopicAlias => matches!(ctx, Packet(P::Publish)),
            UserProperty => !matches!(ctx, Packet(P::PingReq | P::PingResp)),
        }
    }

    /// Each property description in 5.0 section 3 says "It is a Protocol Error to include
    /// X more than once", except for User Property, and Subscription Identifier in PUBLISH
    /// (one per matching subscription, section 3.3.2.3.8).
    pub const fn repeatable_in(self, ctx: PropertyContext) -> bool {
        match self {
            Self::UserProperty => true,
            Self::SubscriptionIdentifier => {
                matches!(ctx, PropertyContext::Packet(PacketType::Publish))
            }
            _ => false,
        }
    }
}

impl Property {
    pub const fn id(&self) -> PropertyId {
        use Property as V;
        use PropertyId as I;
        match self {
            V::PayloadFormatIndicator(_) => I::PayloadFormatIndicator,
            V::MessageExpiryInterval(_) => I::MessageExpiryInterval,
            V::ContentType(_) => I::ContentType,
            V::ResponseTopic(_) => I::ResponseTopic,
            V::CorrelationData(_) => I::CorrelationData,
            V::SubscriptionIdentifier(_) => I::SubscriptionIdentifier,
            V::SessionExpiryInterval(_) => I::SessionExpiryInterval,
            V::AssignedClientIdentifier(_) => I::AssignedClientIdentifier,
            V::ServerKeepAlive(_) => I::ServerKeepAlive,
            V::AuthenticationMethod(_) => I::AuthenticationMethod,
            V::AuthenticationData(_) => I::AuthenticationData,
            V::RequestProblemInformation(_) => I::RequestProblemInformation,
            V::WillDelayInterval(_) => I::WillDelayInterval,
            V::RequestResponseInformation(_) => I::RequestResponseInformation,
            V::ResponseInformation(_) => I::ResponseInformation,
            V::ServerReference(_) => I::ServerReference,
            V::ReasonString(_) => I::ReasonString,
            V::ReceiveMaximum(_) => I::ReceiveMaximum,
            V::TopicAliasMaximum(_) => I::TopicAliasMaximum,
            V::TopicAlias(_) => I::TopicAlias,
            V::MaximumQoS(_) => I::MaximumQoS,
            V::RetainAvailable(_) => I::RetainAvailable,
            V::UserProperty(..) => I::UserProperty,
            V::MaximumPacketSize(_) => I::MaximumPacketSize,
            V::WildcardSubscriptionAvailable(_) => I::WildcardSubscriptionAvailable,
            V::SubscriptionIdentifierAvailable(_) => I::SubscriptionIdentifierAvailable,
            V::SharedSubscriptionAvailable(_) => I::SharedSubscriptionAvailable,
        }
    }
}

macro_rules! getter {
    ($(#[$m:meta])* $name:ident, $variant:ident, $ty:ty) => {
        $(#[$m])*
        pub fn $name(&self) -> Option<$ty> {
            self.0.iter().find_map(|p| match p {
                Property::$variant(v) => Some(*v),
                _ => None,
            })
        }
    };
}

macro_rules! str_getter {
    ($name:ident, $variant:ident) => {
        pub fn $name(&self) -> Option<&str> {
            self.0.iter().find_map(|p| match p {
                Property::$variant(v) => Some(v.as_str()),
                _ => None,
            })
        }
    };
}

macro_rules! flag_getter {
    ($name:ident, $variant:ident) => {
        /// The flag as a bool; any value but 0 reads as true (decoding rejects values > 1).
        pub fn $name(&self) -> Option<bool> {
            self.0.iter().find_map(|p| match p {
                Property::$variant(v) => Some(*v != 0),
                _ => None,
            })
        }
    };
}

impl Properties {
    pub const fn new() -> Self {
        Self(Vec::new())
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn push(&mut self, p: Property) {
        self.0.push(p);
    }
    /// Builder form of [`Properties::push`].
    #[must_use]
    pub fn with(mut self, p: Property) -> Self {
        self.0.push(p);
        self
    }
    pub fn iter(&self) -> core::slice::Iter<'_, Property> {
        self.0.iter()
    }
    /// The first property with this identifier.
    pub fn get(&self, id: PropertyId) -> Option<&Property> {
        self.0.iter().find(|p| p.id() == id)
    }

    getter!(
        /// 0: unspecified bytes, 1: UTF-8 (3.3.2.3.2).
        payload_format_indicator,
        PayloadFormatIndicator,
        u8
    );
    getter!(message_expiry_interval, MessageExpiryInterval, u32);
    str_getter!(content_type, ContentType);
    str_getter!(response_topic, ResponseTopic);
    pub fn correlation_data(&self) -> Option<&Bytes> {
        self.0.iter().find_map(|p| match p {
            Property::CorrelationData(v) => Some(v),
            _ => None,
        })
    }
    /// Every Subscription Identifier, in wire order: a server sends one per matching
    /// subscription (3.3.2.3.8).
    pub fn subscription_identifiers(&self) -> impl Iterator<Item = u32> + '_ {
        self.0.iter().filter_map(|p| match p {
            Property::SubscriptionIdentifier(v) => Some(*v),
            _ => None,
        })
    }
    getter!(subscription_identifier, SubscriptionIdentifier, u32);
    getter!(session_expiry_interval, SessionExpiryInterval, u32);
    str_getter!(assigned_client_identifier, AssignedClientIdentifier);
    getter!(server_keep_alive, ServerKeepAlive, u16);
    str_getter!(authentication_method, AuthenticationMethod);
    pub fn authentication_data(&self) -> Option<&Bytes> {
        self.0.iter().find_map(|p| match p {
            Property::AuthenticationData(v) => Some(v),
            _ => None,
        })
    }
    flag_getter!(request_problem_information, RequestProblemInformation);
    getter!(will_delay_interval, WillDelayInterval, u32);
    flag_getter!(request_response_information, RequestResponseInformation);
    str_getter!(response_information, ResponseInformation);
    str_getter!(server_reference, ServerReference);
    str_getter!(reason_string, ReasonString);
    getter!(receive_maximum, ReceiveMaximum, u16);
    getter!(topic_alias_maximum, TopicAliasMaximum, u16);
    getter!(topic_alias, TopicAlias, u16);
    /// Absent means QoS 2 is supported (3.2.2.3.4).
    pub fn maximum_qos(&self) -> Option<QoS> {
        self.0.iter().find_map(|p| match p {
            Property::MaximumQoS(v) => QoS::from_u8(*v),
            _ => None,
        })
    }
    flag_getter!(retain_available, RetainAvailable);
    getter!(maximum_packet_size, MaximumPacketSize, u32);
    flag_getter!(
        wildcard_subscription_available,
        WildcardSubscriptionAvailable
    );
    flag_getter!(
        subscription_identifier_available,
        SubscriptionIdentifierAvailable
    );
    flag_getter!(shared_subscription_available, SharedSubscriptionAvailable);
    /// Every User Property as (name, value), in wire order, which 3.3.2.3.7 requires a
    /// server to keep when forwarding.
    pub fn user_properties(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        self.0.iter().filter_map(|p| match p {
            Property::UserProperty(k, v) => Some((k.as_str(), v.as_str())),
            _ => None,
        })
    }
}

impl From<Vec<Property>> for Properties {
    fn from(v: Vec<Property>) -> Self {
        Self(v)
    }
}

impl FromIterator<Property> for Properties {
    fn from_iter<I: IntoIterator<Item = Property>>(iter: I) -> Self {
        Self(iter.into_iter().collect())
    }
}

impl<'a> IntoIterator for &'a Properties {
    type Item = &'a Property;
    type IntoIter = core::slice::Iter<'a, Property>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}
