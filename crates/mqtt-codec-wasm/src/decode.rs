//! Bytes to packets.
//!
//! Parsing works on one frozen [`Bytes`] per packet with a cursor, so binary fields and the
//! PUBLISH payload are `slice`s of it (a reference count, no copy), and every string is
//! copied exactly once, into its `String`, after validation.

use alloc::string::String;
use alloc::vec::Vec;
use bytes::{Bytes, BytesMut};

use crate::error::{DecodeError, required_flags};
use crate::packet::*;
use crate::properties::{Properties, Property, PropertyContext, PropertyId};
use crate::reason::ReasonCode;
use crate::topic::{self, TopicError};
use crate::varint::{self, VarintError};

/// The largest packet any peer can declare: a four-byte remaining length of 268,435,455
/// plus the five-byte fixed header.
pub(crate) const MAX_PACKET: u32 = varint::MAX + 5;

type Result<T> = core::result::Result<T, DecodeError>;

/// A parsed fixed header.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FixedHeader {
    pub first: u8,
    pub packet_type: PacketType,
    pub remaining: u32,
    pub header_len: usize,
}

impl FixedHeader {
    pub(crate) const fn total(&self) -> usize {
        self.header_len + self.remaining as usize
    }
}

/// Checks the first byte. `version` is `None` while scanning ahead in a stream whose version
/// may still change (a server learns it from CONNECT): type 15 is then let through and
/// checked by the full decode, which knows the version.
#[inline]
pub(crate) fn check_first_byte(b: u8, version: Option<ProtocolVersion>) -> Result<PacketType> {
    let Some(t) = PacketType::from_u8(b >> 4) else {
        return Err(DecodeError::ReservedPacketType { first_byte: b });
    };
    let flags = b & 0x0f;
    if t == PacketType::Publish {
        // QoS 3 is malformed [MQTT-3.3.1-4]; DUP must be 0 at QoS 0 [MQTT-3.3.1-2].
        let qos = (flags >> 1) & 3;
        if qos == 3 {
            return Err(DecodeError::InvalidQoS {
                packet_type: t,
                byte: b,
            });
        }
        if qos == 0 && flags & 0b1000 != 0 {
            return Err(DecodeError::DupAtQoS0 { first_byte: b });
        }
        return Ok(t);
    }
    if t == PacketType::Auth {
        match version {
            // Type 15 is reserved before 5.0, whatever its flags.
            Some(v) if !v.is_v5() => return Err(DecodeError::AuthBeforeV5),
            // Which error applies depends on the version: leave it to the full decode.
            None => return Ok(t),
            Some(_) => {}
        }
    }
    if flags != required_flags(t) {
        return Err(DecodeError::InvalidHeaderFlags {
            packet_type: t,
            flags,
        });
    }
    Ok(t)
}

/// Parses the fixed header at the front of `buf`; `Ok(None)` if more bytes are needed.
///
/// The size limit is enforced here, as soon as the length is readable, so that nobody
/// waits for (or buffers) the body of a packet that will be refused anyway.
#[inline]
pub(crate) fn parse_header(
    buf: &[u8],
    version: Option<ProtocolVersion>,
    max_packet_size: u32,
) -> Result<Option<FixedHeader>> {
    let Some(&first) = buf.first() else {
        return Ok(None);
    };
    let packet_type = check_first_byte(first, version)?;
    let (remaining, n) = match varint::read(&buf[1..]) {
        Ok(v) => v,
        Err(VarintError::Incomplete) => return Ok(None),
        Err(VarintError::TooLong) => return Err(DecodeError::VarintTooLong),
        Err(VarintError::NonMinimal) => return Err(DecodeError::NonMinimalVarint),
    };
    let header_len = 1 + n;
    let size = remaining + header_len as u32;
    if size > max_packet_size {
        return Err(DecodeError::PacketTooLarge {
            size,
            max: max_packet_size,
        });
    }
    Ok(Some(FixedHeader {
        first,
        packet_type,
        remaining,
        header_len,
    }))
}

/// Decodes the packet at the front of `buf`, removing its bytes.
///
/// `Ok(None)` means the packet is not complete yet and nothing was consumed; a packet
/// may span any number of reads [MQTT-6.0.0-2]. `max_packet_size` bounds the whole packet,
/// fixed header included (as 5.0's Maximum Packet Size does, 3.1.2.11.4), and is checked as
/// soon as the fixed header is readable. For CONNECT, `version` is ignored: the packet
/// states its own. On error, the bytes of a complete packet have been consumed; the
/// connection is unusable either way (5.0 section 4.13).
pub fn decode(
    buf: &mut BytesMut,
    version: ProtocolVersion,
    max_packet_size: u32,
) -> Result<Option<Packet>> {
    decode_as::<false>(buf, version, max_packet_size)
}

/// [`decode`]; with `FROM_SERVER`, as a client reads what its server sends: a packet only
/// clients send is [`DecodeError::ClientPacketFromServer`] (its bytes consumed), not decoded.
pub(crate) fn decode_as<const FROM_SERVER: bool>(
    buf: &mut BytesMut,
    version: ProtocolVersion,
    max_packet_size: u32,
) -> Result<Option<Packet>> {
    let Some(h) = parse_header(buf, Some(version), max_packet_size)? else {
        return Ok(None);
    };
    if buf.len() < h.total() {
        return Ok(None);
    }
    let bytes = buf.split_to(h.total()).freeze();
    decode_body::<FROM_SERVER>(&bytes, &h, version).map(Some)
}

/// [`decode`] for a borrowed slice, with no size limit beyond the protocol's. The packet's
/// bytes are copied once so that payloads can still be [`Bytes`]. Returns the packet and
/// the number of bytes it took.
pub fn decode_slice(bytes: &[u8], version: ProtocolVersion) -> Result<Option<(Packet, usize)>> {
    let Some(h) = parse_header(bytes, Some(version), MAX_PACKET)? else {
        return Ok(None);
    };
    let total = h.total();
    if bytes.len() < total {
        return Ok(None);
    }
    let owned = Bytes::copy_from_slice(&bytes[..total]);
    decode_body::<false>(&owned, &h, version).map(|p| Some((p, total)))
}

pub(crate) enum TopicProblem {
    Null,
    Invalid,
}

/// A non-empty topic name: no U+0000 [MQTT-1.5.4-2], no wildcards [MQTT-3.3.2-2]. The
/// topic module owns the rules; only the U+0000 case is reported apart, as the string rule
/// it also is.
#[inline]
pub(crate) fn check_topic_name(s: &str) -> core::result::Result<(), TopicProblem> {
    topic::validate_topic_name(s).map_err(|e| match e {
        TopicError::NullCharacter => TopicProblem::Null,
        _ => TopicProblem::Invalid,
    })
}

/// A non-empty topic filter.
#[inline]
pub(crate) fn check_topic_filter(s: &str) -> core::result::Result<(), TopicProblem> {
    topic::validate_topic_filter(s).map_err(|e| match e {
        TopicError::NullCharacter => TopicProblem::Null,
        _ => TopicProblem::Invalid,
    })
}

/// Whether `b` holds a zero byte. Blocks of 16 are tested without a branch per byte, which
/// the compiler vectorises; strings here are short, where a `memchr` call costs more than
/// the scan.
#[inline]
fn has_nul(b: &[u8]) -> bool {
    let mut blocks = b.chunks_exact(16);
    for block in &mut blocks {
        if block.iter().fold(false, |acc, &x| acc | (x == 0)) {
            return true;
        }
    }
    blocks
        .remainder()
        .iter()
        .fold(false, |acc, &x| acc | (x == 0))
}

/// A cursor over one packet's bytes, bounded by the remaining length.
struct Reader<'a> {
    bytes: &'a Bytes,
    data: &'a [u8],
    start: usize,
    pos: usize,
    end: usize,
    t: PacketType,
}

impl<'a> Reader<'a> {
    #[inline]
    fn left(&self) -> usize {
        self.end - self.pos
    }

    #[cold]
    fn short(&self, needed: usize) -> DecodeError {
        DecodeError::Truncated {
            packet_type: self.t,
            needed: needed as u32,
            remaining: self.left() as u32,
        }
    }

    #[inline]
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        if n > self.left() {
            return Err(self.short(n));
        }
        let s = &self.data[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    #[inline]
    fn u8(&mut self) -> Result<u8> {
        if self.pos >= self.end {
            return Err(self.short(1));
        }
        let b = self.data[self.pos];
        self.pos += 1;
        Ok(b)
    }

    /// The next `N` bytes as an array, so that integers are read with one load.
    #[inline]
    fn array<const N: usize>(&mut self) -> Result<[u8; N]> {
        match self.data[self.pos..self.end].first_chunk::<N>() {
            Some(a) => {
                self.pos += N;
                Ok(*a)
            }
            None => Err(self.short(N)),
        }
    }

    #[inline]
    fn u16(&mut self) -> Result<u16> {
        self.array().map(u16::from_be_bytes)
    }

    #[inline]
    fn u32(&mut self) -> Result<u32> {
        self.array().map(u32::from_be_bytes)
    }

    #[inline]
    fn varint(&mut self) -> Result<u32> {
        match varint::read(&self.data[self.pos..self.end]) {
            Ok((v, n)) => {
                self.pos += n;
                Ok(v)
            }
            Err(VarintError::Incomplete) => Err(self.short(self.left() + 1)),
            Err(VarintError::TooLong) => Err(DecodeError::VarintTooLong),
            Err(VarintError::NonMinimal) => Err(DecodeError::NonMinimalVarint),
        }
    }

    #[inline]
    fn pid(&mut self) -> Result<Pid> {
        Pid::new(self.u16()?).ok_or(DecodeError::ZeroPacketId {
            packet_type: self.t,
        })
    }

    /// A UTF-8 string as a borrowed `&str`, well-formed [MQTT-1.5.4-1] (`from_utf8` rejects
    /// surrogates and overlong forms) but not yet checked for U+0000.
    #[inline]
    fn str(&mut self) -> Result<&'a str> {
        let n = self.u16()? as usize;
        let raw = self.take(n)?;
        core::str::from_utf8(raw).map_err(|_| DecodeError::InvalidUtf8 {
            packet_type: self.t,
        })
    }

    /// A UTF-8 string without U+0000 [MQTT-1.5.4-2], copied once.
    #[inline]
    fn string(&mut self) -> Result<String> {
        let s = self.str()?;
        if has_nul(s.as_bytes()) {
            return Err(DecodeError::NullCharacter {
                packet_type: self.t,
            });
        }
        Ok(String::from(s))
    }

    /// Binary data (5.0 section 1.5.6): a slice of the packet, not a copy.
    #[inline]
    fn binary(&mut self) -> Result<Bytes> {
        let n = self.u16()? as usize;
        if n > self.left() {
            return Err(self.short(n));
        }
        let b = self.bytes.slice(self.pos..self.pos + n);
        self.pos += n;
        Ok(b)
    }

    #[inline]
    fn topic_name(&mut self, allow_empty: bool) -> Result<String> {
        let s = self.str()?;
        if s.is_empty() {
            if allow_empty {
                return Ok(String::new());
            }
            return Err(DecodeError::EmptyTopicName {
                packet_type: self.t,
            });
        }
        check_topic_name(s).map_err(|p| match p {
            TopicProblem::Null => DecodeError::NullCharacter {
                packet_type: self.t,
            },
            TopicProblem::Invalid => DecodeError::InvalidTopicName {
                packet_type: self.t,
            },
        })?;
        Ok(String::from(s))
    }

    fn topic_filter(&mut self) -> Result<String> {
        let s = self.str()?;
        if s.is_empty() {
            return Err(DecodeError::EmptyTopicFilter {
                packet_type: self.t,
            });
        }
        check_topic_filter(s).map_err(|p| match p {
            TopicProblem::Null => DecodeError::NullCharacter {
                packet_type: self.t,
            },
            TopicProblem::Invalid => DecodeError::InvalidTopicFilter {
                packet_type: self.t,
            },
        })?;
        Ok(String::from(s))
    }

    /// A reason code that table 2-6 allows in this packet type.
    #[inline]
    fn reason(&mut self) -> Result<ReasonCode> {
        let code = self.u8()?;
        match ReasonCode::from_u8(code) {
            Some(r) if r.allowed_in(self.t) => Ok(r),
            _ => Err(DecodeError::InvalidReasonCode {
                packet_type: self.t,
                code,
            }),
        }
    }

    /// Checks that the fields used the whole remaining length.
    #[inline]
    fn finish(&self) -> Result<()> {
        if self.pos != self.end {
            return Err(DecodeError::TrailingBytes {
                packet_type: self.t,
                declared: (self.end - self.start) as u32,
                used: (self.pos - self.start) as u32,
            });
        }
        Ok(())
    }

    /// Requires the remaining length that the packet type prescribes.
    #[inline]
    fn exact(&self, expected: u32) -> Result<()> {
        let found = (self.end - self.start) as u32;
        if found != expected {
            return Err(DecodeError::UnexpectedRemainingLength {
                packet_type: self.t,
                expected,
                found,
            });
        }
        Ok(())
    }

    /// A property length followed by that many bytes of properties (5.0 section 2.2.2).
    fn properties(&mut self, ctx: PropertyContext) -> Result<Properties> {
        let len = self.varint()? as usize;
        if len == 0 {
            return Ok(Properties::new());
        }
        if len > self.left() {
            return Err(DecodeError::PropertyLength {
                packet_type: self.t,
                declared: len as u32,
                actual: self.left() as u32,
            });
        }
        let outer_end = self.end;
        self.end = self.pos + len;
        let list = self.property_list(ctx, len);
        self.end = outer_end;
        list.map_err(|e| match e {
            // A value running past the property length: the length disagrees with the bytes.
            DecodeError::Truncated {
                needed, remaining, ..
            } => DecodeError::PropertyLength {
                packet_type: self.t,
                declared: len as u32,
                actual: (len as u32 - remaining).saturating_add(needed),
            },
            e => e,
        })
    }

    fn property_list(&mut self, ctx: PropertyContext, len: usize) -> Result<Properties> {
        // Identifiers are below 64, so one bit each tracks admission (table 2-4),
        // repetition and what was seen; a property costs three ANDs, not three lookups.
        let allowed = ctx.allowed_mask();
        let repeatable = ctx.repeatable_mask();
        let mut seen: u64 = 0;
        // Properties average well over 8 bytes: one allocation for the common lists.
        let mut list = Vec::with_capacity((len / 8).clamp(1, 16));
        while self.pos < self.end {
            let raw = self.u8()?;
            let bit = 1u64.checked_shl(u32::from(raw)).unwrap_or(0);
            if allowed & bit == 0 {
                return Err(match PropertyId::from_u8(raw) {
                    None => DecodeError::UnknownProperty {
                        context: ctx,
                        id: raw,
                    },
                    Some(id) => DecodeError::PropertyNotAllowed { context: ctx, id },
                });
            }
            if seen & bit & !repeatable != 0
                && let Some(id) = PropertyId::from_u8(raw)
            {
                return Err(DecodeError::DuplicateProperty { context: ctx, id });
            }
            seen |= bit;
            list.push(self.property_value(raw, ctx)?);
        }
        Ok(Properties(list))
    }

    /// A one-byte property that is 0 or 1.
    #[inline]
    fn flag(&mut self, id: PropertyId) -> Result<u8> {
        let v = self.u8()?;
        if v > 1 {
            return Err(DecodeError::InvalidPropertyValue {
                id,
                value: u32::from(v),
            });
        }
        Ok(v)
    }

    /// A two-byte property for which 0 is a Protocol Error.
    #[inline]
    fn nonzero_u16(&mut self, id: PropertyId) -> Result<u16> {
        let v = self.u16()?;
        if v == 0 {
            return Err(DecodeError::InvalidPropertyValue { id, value: 0 });
        }
        Ok(v)
    }

    /// Reads the value of property `raw` (already admitted for the context) and checks
    /// the range section 3 gives it: flags are 0 or 1; Receive Maximum, Maximum Packet
    /// Size, Topic Alias and Subscription Identifier are never 0.
    fn property_value(&mut self, raw: u8, ctx: PropertyContext) -> Result<Property> {
        use PropertyId as I;
        Ok(match raw {
            0x01 => Property::PayloadFormatIndicator(self.flag(I::PayloadFormatIndicator)?),
            0x02 => Property::MessageExpiryInterval(self.u32()?),
            0x03 => Property::ContentType(self.string()?),
            // A response topic is a topic name [MQTT-3.3.2-14].
            0x08 => Property::ResponseTopic(self.topic_name(false)?),
            0x09 => Property::CorrelationData(self.binary()?),
            0x0B => {
                let v = self.varint()?;
                if v == 0 {
                    return Err(DecodeError::InvalidPropertyValue {
                        id: I::SubscriptionIdentifier,
                        value: 0,
                    });
                }
                Property::SubscriptionIdentifier(v)
            }
            0x11 => Property::SessionExpiryInterval(self.u32()?),
            0x12 => Property::AssignedClientIdentifier(self.string()?),
            0x13 => Property::ServerKeepAlive(self.u16()?),
            0x15 => Property::AuthenticationMethod(self.string()?),
            0x16 => Property::AuthenticationData(self.binary()?),
            0x17 => Property::RequestProblemInformation(self.flag(I::RequestProblemInformation)?),
            0x18 => Property::WillDelayInterval(self.u32()?),
            0x19 => Property::RequestResponseInformation(self.flag(I::RequestResponseInformation)?),
            0x1A => Property::ResponseInformation(self.string()?),
            0x1C => Property::ServerReference(self.string()?),
            0x1F => Property::ReasonString(self.string()?),
            0x21 => Property::ReceiveMaximum(self.nonzero_u16(I::ReceiveMaximum)?),
            0x22 => Property::TopicAliasMaximum(self.u16()?),
            0x23 => Property::TopicAlias(self.nonzero_u16(I::TopicAlias)?),
            0x24 => Property::MaximumQoS(self.flag(I::MaximumQoS)?),
            0x25 => Property::RetainAvailable(self.flag(I::RetainAvailable)?),
            0x26 => {
                let k = self.string()?;
                let v = self.string()?;
                Property::UserProperty(k, v)
            }
            0x27 => {
                let v = self.u32()?;
                if v == 0 {
                    return Err(DecodeError::InvalidPropertyValue {
                        id: I::MaximumPacketSize,
                        value: 0,
                    });
                }
                Property::MaximumPacketSize(v)
            }
            0x28 => Property::WildcardSubscriptionAvailable(
                self.flag(I::WildcardSubscriptionAvailable)?,
            ),
            0x29 => Property::SubscriptionIdentifierAvailable(
                self.flag(I::SubscriptionIdentifierAvailable)?,
            ),
            0x2A => {
                Property::SharedSubscriptionAvailable(self.flag(I::SharedSubscriptionAvailable)?)
            }
            // Unreachable: the caller admitted only known identifiers.
            _ => {
                return Err(DecodeError::UnknownProperty {
                    context: ctx,
                    id: raw,
                });
            }
        })
    }

    #[inline]
    fn properties_if(&mut self, v5: bool) -> Result<Properties> {
        if v5 {
            self.properties(PropertyContext::Packet(self.t))
        } else {
            Ok(Properties::new())
        }
    }
}

/// Decodes the body of a complete packet whose fixed header is `h`. `FROM_SERVER`: the
/// reader is a client, and the packets only clients send are refused unread (the code that
/// reads them is then not in a client's build at all).
pub(crate) fn decode_body<const FROM_SERVER: bool>(
    bytes: &Bytes,
    h: &FixedHeader,
    version: ProtocolVersion,
) -> Result<Packet> {
    if FROM_SERVER
        && matches!(
            h.packet_type,
            PacketType::Connect
                | PacketType::Subscribe
                | PacketType::Unsubscribe
                | PacketType::PingReq
        )
    {
        return Err(DecodeError::ClientPacketFromServer {
            packet_type: h.packet_type,
        });
    }
    let mut r = Reader {
        bytes,
        data: bytes,
        start: h.header_len,
        pos: h.header_len,
        end: h.total(),
        t: h.packet_type,
    };
    let v5 = version.is_v5();
    Ok(match h.packet_type {
        PacketType::Publish => Packet::Publish(publish(&mut r, h.first, v5)?),
        PacketType::PubAck => Packet::PubAck(publish_ack(&mut r, v5)?),
        PacketType::PubRec => Packet::PubRec(publish_ack(&mut r, v5)?),
        PacketType::PubRel => Packet::PubRel(publish_ack(&mut r, v5)?),
        PacketType::PubComp => Packet::PubComp(publish_ack(&mut r, v5)?),
        PacketType::Connect => Packet::Connect(connect(&mut r)?),
        PacketType::ConnAck => Packet::ConnAck(connack(&mut r, version)?),
        PacketType::Subscribe => Packet::Subscribe(subscribe(&mut r, v5)?),
        PacketType::SubAck => Packet::SubAck(suback(&mut r, v5)?),
        PacketType::Unsubscribe => Packet::Unsubscribe(unsubscribe(&mut r, v5)?),
        PacketType::UnsubAck => Packet::UnsubAck(unsuback(&mut r, v5)?),
        PacketType::PingReq => {
            r.exact(0)?;
            Packet::PingReq
        }
        PacketType::PingResp => {
            r.exact(0)?;
            Packet::PingResp
        }
        PacketType::Disconnect => Packet::Disconnect(disconnect(&mut r, v5)?),
        PacketType::Auth => Packet::Auth(auth(&mut r)?),
    })
}

fn publish(r: &mut Reader<'_>, first: u8, v5: bool) -> Result<Publish> {
    // An empty topic name is allowed only in 5.0, and only with a Topic Alias, which the
    // properties after it must show [MQTT-3.3.2-1], 3.3.2.3.4.
    let topic = r.topic_name(v5)?;
    let qos_pid = match (first >> 1) & 3 {
        0 => QosPid::AtMostOnce,
        1 => QosPid::AtLeastOnce(r.pid()?),
        _ => QosPid::ExactlyOnce(r.pid()?),
    };
    let properties = r.properties_if(v5)?;
    if topic.is_empty() && properties.topic_alias().is_none() {
        return Err(DecodeError::EmptyTopicName {
            packet_type: PacketType::Publish,
        });
    }
    let payload = r.bytes.slice(r.pos..r.end);
    Ok(Publish {
        dup: first & 0b1000 != 0,
        qos_pid,
        retain: first & 1 != 0,
        topic,
        payload,
        properties,
    })
}

fn publish_ack(r: &mut Reader<'_>, v5: bool) -> Result<PublishAck> {
    if !v5 {
        r.exact(2)?;
        return Ok(PublishAck::new(r.pid()?));
    }
    let pid = r.pid()?;
    // 5.0 3.4.2.1: "If the Remaining Length is 2, then there is no Reason Code and the value
    // of 0x00 (Success) is used"; 3.4.2.2.1: below 4 there is no Property Length.
    if r.left() == 0 {
        return Ok(PublishAck::new(pid));
    }
    let reason = r.reason()?;
    let properties = if r.left() == 0 {
        Properties::new()
    } else {
        r.properties(PropertyContext::Packet(r.t))?
    };
    r.finish()?;
    Ok(PublishAck {
        pid,
        reason,
        properties,
    })
}

fn connect(r: &mut Reader<'_>) -> Result<Connect> {
    let name_len = r.u16()?;
    let name = r.take(name_len as usize)?;
    let level = r.u8()?;
    let version = match (name, level) {
        (b"MQTT", 4) => ProtocolVersion::V3_1_1,
        (b"MQTT", 5) => ProtocolVersion::V5,
        (b"MQIsdp", 3) => ProtocolVersion::V3_1,
        (b"MQTT" | b"MQIsdp", level) => {
            return Err(DecodeError::UnsupportedProtocolLevel { level });
        }
        _ => return Err(DecodeError::InvalidProtocolName { len: name_len }),
    };
    let v5 = version.is_v5();
    let flags = r.u8()?;
    if flags & 0x01 != 0 {
        return Err(DecodeError::ConnectReservedFlag { flags });
    }
    let will_flag = flags & 0x04 != 0;
    let will_qos = (flags >> 3) & 3;
    let will_retain = flags & 0x20 != 0;
    if !will_flag && (will_qos != 0 || will_retain) {
        return Err(DecodeError::WillFlagsWithoutWill { flags });
    }
    if will_qos == 3 {
        return Err(DecodeError::InvalidQoS {
            packet_type: PacketType::Connect,
            byte: flags,
        });
    }
    let has_password = flags & 0x40 != 0;
    let has_username = flags & 0x80 != 0;
    if !v5 && has_password && !has_username {
        return Err(DecodeError::PasswordWithoutUsername { flags });
    }
    let keep_alive = r.u16()?;
    let properties = r.properties_if(v5)?;
    let client_id = r.string()?;
    // 3.1 (section 3.1, "Client Identifier"): 1 to 23 characters.
    if version == ProtocolVersion::V3_1 && !(1..=23).contains(&client_id.len()) {
        return Err(DecodeError::ClientIdLength {
            len: client_id.len() as u16,
        });
    }
    let will = if will_flag {
        // In 5.0 the will properties come first in the payload (3.1.3.2).
        let properties = if v5 {
            r.properties(PropertyContext::Will)?
        } else {
            Properties::new()
        };
        let topic = r.topic_name(false)?;
        let payload = r.binary()?;
        Some(Will {
            topic,
            payload,
            qos: QoS::from_u8(will_qos).unwrap_or(QoS::AtMostOnce),
            retain: will_retain,
            properties,
        })
    } else {
        None
    };
    let username = if has_username {
        Some(r.string()?)
    } else {
        None
    };
    let password = if has_password {
        Some(r.binary()?)
    } else {
        None
    };
    r.finish()?;
    Ok(Connect {
        version,
        client_id,
        clean_start: flags & 0x02 != 0,
        keep_alive,
        username,
        password,
        will,
        properties,
    })
}

fn connack(r: &mut Reader<'_>, version: ProtocolVersion) -> Result<ConnAck> {
    if !version.is_v5() {
        r.exact(2)?;
        let flags = r.u8()?;
        // 3.1 has no flags: the byte is reserved. 3.1.1 uses bit 0 [MQTT-3.2.2-1].
        let reserved = if version == ProtocolVersion::V3_1 {
            0xff
        } else {
            0xfe
        };
        if flags & reserved != 0 {
            return Err(DecodeError::ConnAckReservedFlags { flags });
        }
        let code = r.u8()?;
        let reason = ReasonCode::from_v3_connack(code).ok_or(DecodeError::InvalidReasonCode {
            packet_type: PacketType::ConnAck,
            code,
        })?;
        return Ok(ConnAck {
            session_present: flags & 1 != 0,
            reason,
            properties: Properties::new(),
        });
    }
    if r.left() == 2 {
        // No property length: a 3.1.1 server's answer (its return codes are 0 to 5).
        let flags = r.u8()?;
        let return_code = r.u8()?;
        if flags & 0xfe == 0 && return_code <= 5 {
            return Err(DecodeError::OlderVersionConnAck { return_code });
        }
        return Err(DecodeError::InvalidReasonCode {
            packet_type: PacketType::ConnAck,
            code: return_code,
        });
    }
    let flags = r.u8()?;
    if flags & 0xfe != 0 {
        return Err(DecodeError::ConnAckReservedFlags { flags });
    }
    let reason = r.reason()?;
    let properties = r.properties(PropertyContext::Packet(PacketType::ConnAck))?;
    r.finish()?;
    Ok(ConnAck {
        session_present: flags & 1 != 0,
        reason,
        properties,
    })
}

fn subscribe(r: &mut Reader<'_>, v5: bool) -> Result<Subscribe> {
    let pid = r.pid()?;
    let properties = r.properties_if(v5)?;
    if r.left() == 0 {
        return Err(DecodeError::NoTopicFilters {
            packet_type: PacketType::Subscribe,
        });
    }
    let mut filters = Vec::with_capacity(count_entries(r, 1));
    while r.left() > 0 {
        let filter = r.topic_filter()?;
        let options = subscription_options(r.u8()?, v5)?;
        filters.push(SubscribeFilter { filter, options });
    }
    Ok(Subscribe {
        pid,
        filters,
        properties,
    })
}

/// How many length-prefixed strings, each followed by `trailer` bytes, the rest of the
/// packet holds, found by hopping over the length prefixes: the filter list is then
/// allocated once instead of growing (and copying) three times for ten filters. Only a
/// capacity: the real parse checks everything, and stops at the first empty string as the
/// parse would, so a malformed packet cannot make the list larger than its filters.
fn count_entries(r: &Reader<'_>, trailer: usize) -> usize {
    let mut n = 0;
    let mut at = r.pos;
    while let Some(&[hi, lo]) = r.data[at..r.end].first_chunk::<2>() {
        let len = usize::from(u16::from_be_bytes([hi, lo]));
        if len == 0 {
            break;
        }
        at += 2 + len + trailer;
        n += 1;
        if at >= r.end {
            break;
        }
    }
    n
}

/// The options byte: only QoS before 5.0 (upper six bits reserved, 3.1.1 [MQTT-3-8.3-4]),
/// and in 5.0 QoS, No Local, Retain As Published and Retain Handling with bits 7-6
/// reserved [MQTT-3.8.3-5].
fn subscription_options(options: u8, v5: bool) -> Result<SubscriptionOptions> {
    let reserved = if v5 { 0xc0 } else { 0xfc };
    if options & reserved != 0 {
        return Err(DecodeError::SubscriptionOptionsReserved { options });
    }
    let retain_handling = match (options >> 4) & 3 {
        0 => RetainHandling::SendAtSubscribe,
        1 => RetainHandling::SendIfNew,
        2 => RetainHandling::DoNotSend,
        _ => return Err(DecodeError::InvalidRetainHandling { options }),
    };
    let Some(qos) = QoS::from_u8(options & 3) else {
        return Err(DecodeError::InvalidQoS {
            packet_type: PacketType::Subscribe,
            byte: options,
        });
    };
    Ok(SubscriptionOptions {
        qos,
        no_local: options & 0x04 != 0,
        retain_as_published: options & 0x08 != 0,
        retain_handling,
    })
}

fn suback(r: &mut Reader<'_>, v5: bool) -> Result<SubAck> {
    let pid = r.pid()?;
    let properties = r.properties_if(v5)?;
    if r.left() == 0 {
        return Err(DecodeError::NoReasonCodes {
            packet_type: PacketType::SubAck,
        });
    }
    let mut reasons = Vec::with_capacity(r.left());
    while r.left() > 0 {
        let reason = if v5 {
            r.reason()?
        } else {
            let code = r.u8()?;
            match ReasonCode::from_u8(code) {
                Some(rc) if rc.is_v3_suback() => rc,
                _ => {
                    return Err(DecodeError::InvalidReasonCode {
                        packet_type: PacketType::SubAck,
                        code,
                    });
                }
            }
        };
        reasons.push(reason);
    }
    Ok(SubAck {
        pid,
        reasons,
        properties,
    })
}

fn unsubscribe(r: &mut Reader<'_>, v5: bool) -> Result<Unsubscribe> {
    let pid = r.pid()?;
    let properties = r.properties_if(v5)?;
    if r.left() == 0 {
        return Err(DecodeError::NoTopicFilters {
            packet_type: PacketType::Unsubscribe,
        });
    }
    let mut filters = Vec::with_capacity(count_entries(r, 0));
    while r.left() > 0 {
        filters.push(r.topic_filter()?);
    }
    Ok(Unsubscribe {
        pid,
        filters,
        properties,
    })
}

fn unsuback(r: &mut Reader<'_>, v5: bool) -> Result<UnsubAck> {
    if !v5 {
        r.exact(2)?;
        return Ok(UnsubAck {
            pid: r.pid()?,
            reasons: Vec::new(),
            properties: Properties::new(),
        });
    }
    let pid = r.pid()?;
    let properties = r.properties(PropertyContext::Packet(PacketType::UnsubAck))?;
    if r.left() == 0 {
        return Err(DecodeError::NoReasonCodes {
            packet_type: PacketType::UnsubAck,
        });
    }
    let mut reasons = Vec::with_capacity(r.left());
    while r.left() > 0 {
        reasons.push(r.reason()?);
    }
    Ok(UnsubAck {
        pid,
        reasons,
        properties,
    })
}

fn disconnect(r: &mut Reader<'_>, v5: bool) -> Result<Disconnect> {
    if !v5 {
        r.exact(0)?;
        return Ok(Disconnect::new(ReasonCode::Success));
    }
    // 3.14.2.1: "If the Remaining Length is less than 1 the value of 0x00 (Normal
    // disconnection) is used"; 3.14.2.2.1: below 2 there is no Property Length.
    if r.left() == 0 {
        return Ok(Disconnect::new(ReasonCode::Success));
    }
    let reason = r.reason()?;
    let properties = if r.left() == 0 {
        Properties::new()
    } else {
        r.properties(PropertyContext::Packet(PacketType::Disconnect))?
    };
    r.finish()?;
    Ok(Disconnect { reason, properties })
}

fn auth(r: &mut Reader<'_>) -> Result<Auth> {
    // 3.15.2.1: reason and property length may be omitted together (remaining length 0)
    // only; unlike DISCONNECT there is no one-byte form.
    if r.left() == 0 {
        return Ok(Auth::new(ReasonCode::Success));
    }
    let reason = r.reason()?;
    let properties = r.properties(PropertyContext::Packet(PacketType::Auth))?;
    r.finish()?;
    Ok(Auth { reason, properties })
}

#[cfg(test)]
mod tests {
    use super::has_nul;

    /// Every length up to 40 (whole 16-byte blocks and the rest), with a zero at each
    /// position or none.
    #[test]
    fn has_nul_finds_every_zero() {
        for len in 0..=40 {
            for filler in [1u8, 0x80, 0xff, b'a'] {
                let mut b = alloc::vec![filler; len];
                assert!(!has_nul(&b), "{b:?}");
                for i in 0..len {
                    b[i] = 0;
                    assert!(has_nul(&b), "{b:?}");
                    b[i] = filler;
                }
            }
        }
    }
}
