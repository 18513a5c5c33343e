//! Packets to bytes.
//!
//! Encoding runs in two passes over the packet: the first validates it and computes every
//! length (remaining length, property lengths), the second writes with `put_*` calls into
//! space reserved once. No intermediate buffer is built, so the cost is one reservation and
//! the copies of the fields themselves.
//!
//! What is validated, and why string contents are not, is on [`EncodeError`].
//!
//! The version parameter decides the wire format of every packet except CONNECT, whose own
//! `version` field wins: a CONNECT states its protocol level on the wire, and a client that
//! builds a 3.1.1 CONNECT must get 3.1.1 bytes whatever its session currently assumes.

use bytes::{BufMut, BytesMut};

use crate::error::EncodeError;
use crate::packet::*;
use crate::properties::{Properties, Property, PropertyContext, PropertyId};
use crate::reason::ReasonCode;
use crate::varint;

type Result<T> = core::result::Result<T, EncodeError>;

/// Lengths computed by the validating pass, reused by the writing pass.
#[derive(Clone, Copy)]
struct Plan {
    remaining: usize,
    /// Length of the packet's property list (without its own length prefix).
    props: usize,
    /// Length of the will property list (CONNECT only).
    will_props: usize,
}

impl Plan {
    fn total(&self) -> usize {
        1 + varint::len(self.remaining as u32) + self.remaining
    }
}

/// The number of bytes [`encode`] would write, after the same validation.
pub fn encoded_len(packet: &Packet, version: ProtocolVersion) -> Result<usize> {
    Ok(plan::<false>(packet, version)?.total())
}

/// Appends `packet` to `out` and returns the number of bytes written. Nothing is written if
/// the packet is invalid for `version` (for CONNECT, for its own `version` field).
#[inline]
pub fn encode(packet: &Packet, version: ProtocolVersion, out: &mut BytesMut) -> Result<usize> {
    match packet {
        Packet::Publish(p) => encode_publish(p, version.is_v5(), out),
        _ => encode_other::<false>(packet, version, out),
    }
}

/// [`encode`] as a client sends to its server: a packet only servers send (CONNACK,
/// SUBACK, UNSUBACK, PINGRESP) is [`EncodeError::ServerPacketFromClient`], and a client's
/// build carries no code to write them.
#[inline]
pub fn encode_to_server(
    packet: &Packet,
    version: ProtocolVersion,
    out: &mut BytesMut,
) -> Result<usize> {
    match packet {
        Packet::Publish(p) => encode_publish(p, version.is_v5(), out),
        _ => encode_other::<true>(packet, version, out),
    }
}

/// Every packet but PUBLISH, kept out of line so that the PUBLISH path stays small.
#[inline(never)]
fn encode_other<const TO_SERVER: bool>(
    packet: &Packet,
    version: ProtocolVersion,
    out: &mut BytesMut,
) -> Result<usize> {
    let plan = plan::<TO_SERVER>(packet, version)?;
    let total = plan.total();
    out.reserve(total);
    let before = out.len();
    write::<TO_SERVER>(packet, version, &plan, out);
    debug_assert_eq!(out.len() - before, total);
    Ok(total)
}

// ---------------------------------------------------------------- validation and lengths

/// A length for an error report, saturated to fit the error's `u32`.
#[inline]
fn sat(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[inline]
fn str_len(s: &str, t: PacketType) -> Result<usize> {
    if s.len() > 65_535 {
        return Err(EncodeError::FieldTooLong {
            packet_type: t,
            len: sat(s.len()),
        });
    }
    Ok(2 + s.len())
}

#[inline]
fn bin_len(b: &[u8], t: PacketType) -> Result<usize> {
    if b.len() > 65_535 {
        return Err(EncodeError::FieldTooLong {
            packet_type: t,
            len: sat(b.len()),
        });
    }
    Ok(2 + b.len())
}

#[inline]
fn topic_name_len(s: &str, t: PacketType, allow_empty: bool) -> Result<usize> {
    if s.is_empty() {
        if allow_empty {
            return Ok(2);
        }
        return Err(EncodeError::EmptyTopicName { packet_type: t });
    }
    if s.len() > 65_535 {
        return Err(EncodeError::FieldTooLong {
            packet_type: t,
            len: sat(s.len()),
        });
    }
    Ok(2 + s.len())
}

fn topic_filter_len(s: &str, t: PacketType) -> Result<usize> {
    if s.is_empty() {
        return Err(EncodeError::EmptyTopicFilter { packet_type: t });
    }
    if s.len() > 65_535 {
        return Err(EncodeError::FieldTooLong {
            packet_type: t,
            len: sat(s.len()),
        });
    }
    Ok(2 + s.len())
}

/// Validates a property list for `ctx` the way decoding does (table 2-4, repetition, value
/// ranges), and returns its length. One `match` per property does all three, since the
/// jump on the variant is the expensive part.
fn props_len(props: &Properties, ctx: PropertyContext, t: PacketType) -> Result<usize> {
    use PropertyId as I;
    let allowed = ctx.allowed_mask();
    let repeatable = ctx.repeatable_mask();
    let mut seen: u64 = 0;
    let mut len = 0;
    let flag = |v: u8| if v > 1 { Some(u32::from(v)) } else { None };
    for p in props {
        // (identifier, value length, offending value)
        let (id, n, bad) = match p {
            Property::PayloadFormatIndicator(v) => (I::PayloadFormatIndicator, 1, flag(*v)),
            Property::RequestProblemInformation(v) => (I::RequestProblemInformation, 1, flag(*v)),
            Property::RequestResponseInformation(v) => (I::RequestResponseInformation, 1, flag(*v)),
            Property::MaximumQoS(v) => (I::MaximumQoS, 1, flag(*v)),
            Property::RetainAvailable(v) => (I::RetainAvailable, 1, flag(*v)),
            Property::WildcardSubscriptionAvailable(v) => {
                (I::WildcardSubscriptionAvailable, 1, flag(*v))
            }
            Property::SubscriptionIdentifierAvailable(v) => {
                (I::SubscriptionIdentifierAvailable, 1, flag(*v))
            }
            Property::SharedSubscriptionAvailable(v) => {
                (I::SharedSubscriptionAvailable, 1, flag(*v))
            }
            Property::ServerKeepAlive(_) => (I::ServerKeepAlive, 2, None),
            Property::TopicAliasMaximum(_) => (I::TopicAliasMaximum, 2, None),
            Property::ReceiveMaximum(v) => (I::ReceiveMaximum, 2, (*v == 0).then_some(0)),
            Property::TopicAlias(v) => (I::TopicAlias, 2, (*v == 0).then_some(0)),
            Property::MessageExpiryInterval(_) => (I::MessageExpiryInterval, 4, None),
            Property::SessionExpiryInterval(_) => (I::SessionExpiryInterval, 4, None),
            Property::WillDelayInterval(_) => (I::WillDelayInterval, 4, None),
            Property::MaximumPacketSize(v) => (I::MaximumPacketSize, 4, (*v == 0).then_some(0)),
            Property::SubscriptionIdentifier(v) => {
                if *v == 0 || *v > varint::MAX {
                    (I::SubscriptionIdentifier, 0, Some(*v))
                } else {
                    (I::SubscriptionIdentifier, varint::len(*v), None)
                }
            }
            Property::ResponseTopic(s) => (I::ResponseTopic, topic_name_len(s, t, false)?, None),
            Property::ContentType(s) => (I::ContentType, str_len(s, t)?, None),
            Property::AssignedClientIdentifier(s) => {
                (I::AssignedClientIdentifier, str_len(s, t)?, None)
            }
            Property::AuthenticationMethod(s) => (I::AuthenticationMethod, str_len(s, t)?, None),
            Property::ResponseInformation(s) => (I::ResponseInformation, str_len(s, t)?, None),
            Property::ServerReference(s) => (I::ServerReference, str_len(s, t)?, None),
            Property::ReasonString(s) => (I::ReasonString, str_len(s, t)?, None),
            Property::CorrelationData(b) => (I::CorrelationData, bin_len(b, t)?, None),
            Property::AuthenticationData(b) => (I::AuthenticationData, bin_len(b, t)?, None),
            Property::UserProperty(k, v) => {
                (I::UserProperty, str_len(k, t)? + str_len(v, t)?, None)
            }
        };
        let bit = 1u64 << (id as u8);
        if allowed & bit == 0 {
            return Err(EncodeError::PropertyNotAllowed { context: ctx, id });
        }
        if seen & bit & !repeatable != 0 {
            return Err(EncodeError::DuplicateProperty { context: ctx, id });
        }
        seen |= bit;
        if let Some(value) = bad {
            return Err(EncodeError::InvalidPropertyValue { id, value });
        }
        len += 1 + n;
    }
    Ok(len)
}

/// A property list with its length prefix: `(bytes on the wire, list length)`. Before 5.0
/// there is no list, and a non-empty one cannot be sent.
#[inline]
fn props_block(
    props: &Properties,
    ctx: PropertyContext,
    t: PacketType,
    v5: bool,
) -> Result<(usize, usize)> {
    if !v5 {
        if !props.is_empty() {
            return Err(EncodeError::PropertiesBeforeV5 { packet_type: t });
        }
        return Ok((0, 0));
    }
    if props.is_empty() {
        return Ok((1, 0));
    }
    let n = props_len(props, ctx, t)?;
    if n > varint::MAX as usize {
        return Err(EncodeError::PacketTooLarge { remaining: sat(n) });
    }
    Ok((varint::len(n as u32) + n, n))
}

#[inline]
fn check_reason(code: ReasonCode, t: PacketType) -> Result<()> {
    if code.allowed_in(t) {
        Ok(())
    } else {
        Err(EncodeError::ReasonCodeNotAllowed {
            packet_type: t,
            code,
        })
    }
}

/// 5.0 acknowledgements whose reason and properties may be left out: the shortest form the
/// spec allows is used. Returns `(bytes after the fixed part, property list length)`.
#[inline]
fn optional_tail(
    reason: ReasonCode,
    props: &Properties,
    t: PacketType,
    one_byte_form: bool,
) -> Result<(usize, usize)> {
    check_reason(reason, t)?;
    if props.is_empty() {
        if reason == ReasonCode::Success {
            return Ok((0, 0));
        }
        return Ok((if one_byte_form { 1 } else { 2 }, 0));
    }
    let (block, n) = props_block(props, PropertyContext::Packet(t), t, true)?;
    Ok((1 + block, n))
}

/// Validates a PUBLISH and returns its remaining length and property list length.
#[inline]
fn publish_plan(p: &Publish, v5: bool) -> Result<(usize, usize)> {
    let t = PacketType::Publish;
    if p.dup && p.qos_pid == QosPid::AtMostOnce {
        return Err(EncodeError::DupAtQoS0);
    }
    let (block, n) = props_block(&p.properties, PropertyContext::Packet(t), t, v5)?;
    // An empty topic is allowed only with a Topic Alias (5.0 3.3.2.3.4); the property list
    // is searched only in that rare case.
    let topic = if p.topic.is_empty() && v5 && p.properties.topic_alias().is_some() {
        2
    } else {
        topic_name_len(&p.topic, t, false)?
    };
    let pid = if p.qos_pid.pid().is_some() { 2 } else { 0 };
    let remaining = topic + pid + block + p.payload.len();
    if remaining > varint::MAX as usize {
        return Err(EncodeError::PacketTooLarge {
            remaining: sat(remaining),
        });
    }
    Ok((remaining, n))
}

/// PUBLISH is nearly all of the traffic, so it gets a path of its own, without the dispatch
/// over packet types. Fixed-size `put_*` calls compile to plain stores once space is
/// reserved, where a variable-length `put_slice` would cost a `memcpy` call.
/// Inlined into the caller so the result never makes a round trip through memory.
#[inline(always)]
fn encode_publish(p: &Publish, v5: bool, out: &mut BytesMut) -> Result<usize> {
    let (remaining, props) = publish_plan(p, v5)?;
    let total = 1 + varint::len(remaining as u32) + remaining;
    out.reserve(total);
    out.put_u8(0x30 | (u8::from(p.dup) << 3) | ((p.qos_pid.qos() as u8) << 1) | u8::from(p.retain));
    varint::put(out, remaining as u32);
    put_str(out, &p.topic);
    if let Some(pid) = p.qos_pid.pid() {
        out.put_u16(pid.get());
    }
    if v5 {
        put_props(out, &p.properties, props);
    }
    out.put_slice(&p.payload);
    Ok(total)
}

/// Whether only a server sends `packet`.
fn server_only(packet: &Packet) -> bool {
    matches!(
        packet,
        Packet::ConnAck(_) | Packet::SubAck(_) | Packet::UnsubAck(_) | Packet::PingResp
    )
}

fn plan<const TO_SERVER: bool>(packet: &Packet, version: ProtocolVersion) -> Result<Plan> {
    let v5 = version.is_v5();
    let t = packet.packet_type();
    if TO_SERVER && server_only(packet) {
        return Err(EncodeError::ServerPacketFromClient { packet_type: t });
    }
    let mut props = 0;
    let mut will_props = 0;
    let remaining = match packet {
        Packet::Publish(p) => {
            let (remaining, n) = publish_plan(p, v5)?;
            props = n;
            remaining
        }
        Packet::PubAck(a) | Packet::PubRec(a) | Packet::PubRel(a) | Packet::PubComp(a) => {
            if !v5 {
                if a.reason != ReasonCode::Success {
                    return Err(EncodeError::ReasonCodeNotAllowed {
                        packet_type: t,
                        code: a.reason,
                    });
                }
                props_block(&a.properties, PropertyContext::Packet(t), t, false)?;
                2
            } else {
                // 3.4.2.1 / 3.4.2.2.1: reason only if not Success or with properties.
                let (tail, n) = optional_tail(a.reason, &a.properties, t, true)?;
                props = n;
                2 + tail
            }
        }
        Packet::Connect(c) => {
            let cv = c.version;
            let cv5 = cv.is_v5();
            let (block, n) = props_block(&c.properties, PropertyContext::Packet(t), t, cv5)?;
            props = n;
            if cv == ProtocolVersion::V3_1 && !(1..=23).contains(&c.client_id.len()) {
                return Err(EncodeError::ClientIdLength {
                    len: sat(c.client_id.len()),
                });
            }
            if !cv5 && c.password.is_some() && c.username.is_none() {
                return Err(EncodeError::PasswordWithoutUsername);
            }
            let mut len = 2 + cv.protocol_name().len() + 1 + 1 + 2 + block;
            len += str_len(&c.client_id, t)?;
            if let Some(w) = &c.will {
                let (wblock, wn) = props_block(&w.properties, PropertyContext::Will, t, cv5)?;
                will_props = wn;
                len += wblock + topic_name_len(&w.topic, t, false)? + bin_len(&w.payload, t)?;
            }
            if let Some(u) = &c.username {
                len += str_len(u, t)?;
            }
            if let Some(pw) = &c.password {
                len += bin_len(pw, t)?;
            }
            len
        }
        Packet::ConnAck(c) => {
            if !v5 {
                if c.reason.to_v3_connack().is_none() {
                    return Err(EncodeError::ReasonCodeNotAllowed {
                        packet_type: t,
                        code: c.reason,
                    });
                }
                if version == ProtocolVersion::V3_1 && c.session_present {
                    return Err(EncodeError::SessionPresentV31);
                }
                props_block(&c.properties, PropertyContext::Packet(t), t, false)?;
                2
            } else {
                check_reason(c.reason, t)?;
                let (block, n) = props_block(&c.properties, PropertyContext::Packet(t), t, true)?;
                props = n;
                2 + block
            }
        }
        Packet::Subscribe(s) => {
            if s.filters.is_empty() {
                return Err(EncodeError::NoTopicFilters { packet_type: t });
            }
            let (block, n) = props_block(&s.properties, PropertyContext::Packet(t), t, v5)?;
            props = n;
            let mut len = 2 + block;
            for f in &s.filters {
                if !v5 && f.options != SubscriptionOptions::qos(f.options.qos) {
                    return Err(EncodeError::SubscriptionOptionsBeforeV5);
                }
                len += topic_filter_len(&f.filter, t)? + 1;
            }
            len
        }
        Packet::SubAck(s) => {
            if s.reasons.is_empty() {
                return Err(EncodeError::NoReasonCodes { packet_type: t });
            }
            for &r in &s.reasons {
                let ok = if v5 {
                    r.allowed_in(t)
                } else {
                    r.is_v3_suback()
                };
                if !ok {
                    return Err(EncodeError::ReasonCodeNotAllowed {
                        packet_type: t,
                        code: r,
                    });
                }
            }
            let (block, n) = props_block(&s.properties, PropertyContext::Packet(t), t, v5)?;
            props = n;
            2 + block + s.reasons.len()
        }
        Packet::Unsubscribe(u) => {
            if u.filters.is_empty() {
                return Err(EncodeError::NoTopicFilters { packet_type: t });
            }
            let (block, n) = props_block(&u.properties, PropertyContext::Packet(t), t, v5)?;
            props = n;
            let mut len = 2 + block;
            for f in &u.filters {
                len += topic_filter_len(f, t)?;
            }
            len
        }
        Packet::UnsubAck(u) => {
            if !v5 {
                // 3.1.1 UNSUBACK is just the packet identifier.
                if let Some(&code) = u.reasons.first() {
                    return Err(EncodeError::ReasonCodeNotAllowed {
                        packet_type: t,
                        code,
                    });
                }
                props_block(&u.properties, PropertyContext::Packet(t), t, false)?;
                2
            } else {
                if u.reasons.is_empty() {
                    return Err(EncodeError::NoReasonCodes { packet_type: t });
                }
                for &r in &u.reasons {
                    check_reason(r, t)?;
                }
                let (block, n) = props_block(&u.properties, PropertyContext::Packet(t), t, true)?;
                props = n;
                2 + block + u.reasons.len()
            }
        }
        Packet::PingReq | Packet::PingResp => 0,
        Packet::Disconnect(d) => {
            if !v5 {
                if d.reason != ReasonCode::Success {
                    return Err(EncodeError::ReasonCodeNotAllowed {
                        packet_type: t,
                        code: d.reason,
                    });
                }
                props_block(&d.properties, PropertyContext::Packet(t), t, false)?;
                0
            } else {
                let (tail, n) = optional_tail(d.reason, &d.properties, t, true)?;
                props = n;
                tail
            }
        }
        Packet::Auth(a) => {
            if !v5 {
                return Err(EncodeError::AuthBeforeV5);
            }
            // 3.15.2.1: only "Success, no properties" may drop both; otherwise the
            // property length is always present.
            let (tail, n) = optional_tail(a.reason, &a.properties, t, false)?;
            props = n;
            tail
        }
    };
    if remaining > varint::MAX as usize {
        return Err(EncodeError::PacketTooLarge {
            remaining: sat(remaining),
        });
    }
    Ok(Plan {
        remaining,
        props,
        will_props,
    })
}

// ---------------------------------------------------------------- writing

#[inline]
fn put_str(out: &mut BytesMut, s: &str) {
    out.put_u16(s.len() as u16);
    out.put_slice(s.as_bytes());
}

#[inline]
fn put_bin(out: &mut BytesMut, b: &[u8]) {
    out.put_u16(b.len() as u16);
    out.put_slice(b);
}

fn put_props(out: &mut BytesMut, props: &Properties, len: usize) {
    use PropertyId as I;
    #[inline(always)]
    fn id(out: &mut BytesMut, id: PropertyId) {
        out.put_u8(id as u8);
    }
    varint::put(out, len as u32);
    for p in props {
        match p {
            Property::PayloadFormatIndicator(v) => {
                id(out, I::PayloadFormatIndicator);
                out.put_u8(*v);
            }
            Property::RequestProblemInformation(v) => {
                id(out, I::RequestProblemInformation);
                out.put_u8(*v);
            }
            Property::RequestResponseInformation(v) => {
                id(out, I::RequestResponseInformation);
                out.put_u8(*v);
            }
            Property::MaximumQoS(v) => {
                id(out, I::MaximumQoS);
                out.put_u8(*v);
            }
            Property::RetainAvailable(v) => {
                id(out, I::RetainAvailable);
                out.put_u8(*v);
            }
            Property::WildcardSubscriptionAvailable(v) => {
                id(out, I::WildcardSubscriptionAvailable);
                out.put_u8(*v);
            }
            Property::SubscriptionIdentifierAvailable(v) => {
                id(out, I::SubscriptionIdentifierAvailable);
                out.put_u8(*v);
            }
            Property::SharedSubscriptionAvailable(v) => {
                id(out, I::SharedSubscriptionAvailable);
                out.put_u8(*v);
            }
            Property::ServerKeepAlive(v) => {
                id(out, I::ServerKeepAlive);
                out.put_u16(*v);
            }
            Property::ReceiveMaximum(v) => {
                id(out, I::ReceiveMaximum);
                out.put_u16(*v);
            }
            Property::TopicAliasMaximum(v) => {
                id(out, I::TopicAliasMaximum);
                out.put_u16(*v);
            }
            Property::TopicAlias(v) => {
                id(out, I::TopicAlias);
                out.put_u16(*v);
            }
            Property::MessageExpiryInterval(v) => {
                id(out, I::MessageExpiryInterval);
                out.put_u32(*v);
            }
            Property::SessionExpiryInterval(v) => {
                id(out, I::SessionExpiryInterval);
                out.put_u32(*v);
            }
            Property::WillDelayInterval(v) => {
                id(out, I::WillDelayInterval);
                out.put_u32(*v);
            }
            Property::MaximumPacketSize(v) => {
                id(out, I::MaximumPacketSize);
                out.put_u32(*v);
            }
            Property::SubscriptionIdentifier(v) => {
                id(out, I::SubscriptionIdentifier);
                varint::put(out, *v);
            }
            Property::ContentType(s) => {
                id(out, I::ContentType);
                put_str(out, s);
            }
            Property::ResponseTopic(s) => {
                id(out, I::ResponseTopic);
                put_str(out, s);
            }
            Property::AssignedClientIdentifier(s) => {
                id(out, I::AssignedClientIdentifier);
                put_str(out, s);
            }
            Property::AuthenticationMethod(s) => {
                id(out, I::AuthenticationMethod);
                put_str(out, s);
            }
            Property::ResponseInformation(s) => {
                id(out, I::ResponseInformation);
                put_str(out, s);
            }
            Property::ServerReference(s) => {
                id(out, I::ServerReference);
                put_str(out, s);
            }
            Property::ReasonString(s) => {
                id(out, I::ReasonString);
                put_str(out, s);
            }
            Property::CorrelationData(b) => {
                id(out, I::CorrelationData);
                put_bin(out, b);
            }
            Property::AuthenticationData(b) => {
                id(out, I::AuthenticationData);
                put_bin(out, b);
            }
            Property::UserProperty(k, v) => {
                id(out, I::UserProperty);
                put_str(out, k);
                put_str(out, v);
            }
        }
    }
}

/// The reason and properties of a 5.0 acknowledgement, in the form `plan` measured.
#[inline]
fn put_optional_tail(
    out: &mut BytesMut,
    reason: ReasonCode,
    props: &Properties,
    len: usize,
    one_byte_form: bool,
) {
    if props.is_empty() {
        if reason == ReasonCode::Success {
            return;
        }
        out.put_u8(reason as u8);
        if !one_byte_form {
            out.put_u8(0);
        }
        return;
    }
    out.put_u8(reason as u8);
    put_props(out, props, len);
}

fn write<const TO_SERVER: bool>(
    packet: &Packet,
    version: ProtocolVersion,
    plan: &Plan,
    out: &mut BytesMut,
) {
    // `plan` refused it: said again so that a client's build leaves these arms out.
    if TO_SERVER && server_only(packet) {
        return;
    }
    let v5 = version.is_v5();
    let first = match packet {
        Packet::Publish(p) => {
            0x30 | (u8::from(p.dup) << 3) | ((p.qos_pid.qos() as u8) << 1) | u8::from(p.retain)
        }
        Packet::PubRel(_) | Packet::Subscribe(_) | Packet::Unsubscribe(_) => {
            ((packet.packet_type() as u8) << 4) | 0b0010
        }
        _ => (packet.packet_type() as u8) << 4,
    };
    out.put_u8(first);
    varint::put(out, plan.remaining as u32);
    match packet {
        Packet::Publish(p) => {
            put_str(out, &p.topic);
            if let Some(pid) = p.qos_pid.pid() {
                out.put_u16(pid.get());
            }
            if v5 {
                put_props(out, &p.properties, plan.props);
            }
            out.put_slice(&p.payload);
        }
        Packet::PubAck(a) | Packet::PubRec(a) | Packet::PubRel(a) | Packet::PubComp(a) => {
            out.put_u16(a.pid.get());
            if v5 {
                put_optional_tail(out, a.reason, &a.properties, plan.props, true);
            }
        }
        Packet::Connect(c) => {
            let cv5 = c.version.is_v5();
            put_str(out, c.version.protocol_name());
            out.put_u8(c.version.level());
            let mut flags = u8::from(c.clean_start) << 1;
            if let Some(w) = &c.will {
                flags |= 0x04 | ((w.qos as u8) << 3) | (u8::from(w.retain) << 5);
            }
            if c.password.is_some() {
                flags |= 0x40;
            }
            if c.username.is_some() {
                flags |= 0x80;
            }
            out.put_u8(flags);
            out.put_u16(c.keep_alive);
            if cv5 {
                put_props(out, &c.properties, plan.props);
            }
            put_str(out, &c.client_id);
            if let Some(w) = &c.will {
                if cv5 {
                    put_props(out, &w.properties, plan.will_props);
                }
                put_str(out, &w.topic);
                put_bin(out, &w.payload);
            }
            if let Some(u) = &c.username {
                put_str(out, u);
            }
            if let Some(pw) = &c.password {
                put_bin(out, pw);
            }
        }
        Packet::ConnAck(c) => {
            out.put_u8(u8::from(c.session_present));
            if v5 {
                out.put_u8(c.reason as u8);
                put_props(out, &c.properties, plan.props);
            } else {
                out.put_u8(c.reason.to_v3_connack().unwrap_or(0));
            }
        }
        Packet::Subscribe(s) => {
            out.put_u16(s.pid.get());
            if v5 {
                put_props(out, &s.properties, plan.props);
            }
            for f in &s.filters {
                put_str(out, &f.filter);
                let o = f.options;
                out.put_u8(
                    o.qos as u8
                        | (u8::from(o.no_local) << 2)
                        | (u8::from(o.retain_as_published) << 3)
                        | ((o.retain_handling as u8) << 4),
                );
            }
        }
        Packet::SubAck(s) => {
            out.put_u16(s.pid.get());
            if v5 {
                put_props(out, &s.properties, plan.props);
            }
            for &r in &s.reasons {
                out.put_u8(r as u8);
            }
        }
        Packet::Unsubscribe(u) => {
            out.put_u16(u.pid.get());
            if v5 {
                put_props(out, &u.properties, plan.props);
            }
            for f in &u.filters {
                put_str(out, f);
            }
        }
        Packet::UnsubAck(u) => {
            out.put_u16(u.pid.get());
            if v5 {
                put_props(out, &u.properties, plan.props);
                for &r in &u.reasons {
                    out.put_u8(r as u8);
                }
            }
        }
        Packet::PingReq | Packet::PingResp => {}
        Packet::Disconnect(d) => {
            if v5 {
                put_optional_tail(out, d.reason, &d.properties, plan.props, true);
            }
        }
        Packet::Auth(a) => put_optional_tail(out, a.reason, &a.properties, plan.props, false),
    }
}
