//! A small wasm-bindgen API, so that the codec can be measured against JavaScript MQTT
//! codecs in the same browser page.
//!
//! Decoded packets cross into JavaScript as plain objects, not as handles to Rust values:
//! that is what JavaScript codecs hand their callers, so a benchmark that includes the
//! conversion compares like with like. The object keys are created once per thread and
//! reused, because allocating the same JavaScript strings for every packet would measure
//! the string table rather than the codec.
//!
//! The objects of the frequent packets (PUBLISH, PUBACK, PUBREC, PUBREL, PUBCOMP, PINGRESP) are
//! built by small JavaScript functions (`inline_js`) from one call each, as object literals:
//! setting each field through `Reflect.set` cost a wasm-to-JS call per field and was most of
//! the time of a push.
//!
//! Object shapes (fields in `[]` are present only when the packet carries them):
//!
//! - `{type: "connect", protocolVersion, clientId, clean, keepalive, [username], [password],
//!   [will: {topic, payload, qos, retain, [properties]}], [properties]}`
//! - `{type: "connack", sessionPresent, reasonCode, [returnCode], [properties]}`;
//!   `reasonCode` is always the 5.0 code, `returnCode` the 3.1/3.1.1 one.
//! - `{type: "publish", topic, payload, qos, retain, dup, [pid], [properties]}`
//! - `{type: "puback" | "pubrec" | "pubrel" | "pubcomp", pid, reasonCode, [properties]}`
//! - `{type: "subscribe", pid, subscriptions: [{topic, qos, nl, rap, rh}], [properties]}`
//! - `{type: "suback" | "unsuback", pid, reasonCodes: [...], [properties]}`
//! - `{type: "unsubscribe", pid, unsubscriptions: [...], [properties]}`
//! - `{type: "pingreq"}`, `{type: "pingresp"}`
//! - `{type: "disconnect" | "auth", reasonCode, [properties]}`
//!
//! Payloads and binary properties are copied out of wasm memory (a view into it would be
//! invalidated by the next memory growth). The payloads of the PUBLISH packets one `push`
//! returns share one copy: each is a `Uint8Array` view of its own bytes in one `ArrayBuffer`
//! (as mqtt-packet's payloads are views of the received chunk), so a push makes one
//! allocation for its payloads instead of one per packet. `properties` is an array of `[name, value]`
//! pairs in wire order rather than an object, because user properties and subscription
//! identifiers may repeat; a user property's value is `[key, value]`.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use bytes::{Bytes, BytesMut};
use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;

use crate::{
    Connect, DecodeError, Disconnect, Packet, Pid, Properties, Property, ProtocolVersion, Publish,
    QoS, QosPid, ReasonCode, StreamDecoder, Subscribe, SubscribeFilter, SubscriptionOptions,
    encode,
};

/// Interned JavaScript strings, one field per key or `type` value.
macro_rules! js_strings {
    ($($field:ident = $text:literal,)*) => {
        struct JsStrings {
            $($field: JsValue,)*
        }

        impl JsStrings {
            fn new() -> Self {
                Self { $($field: JsValue::from_str($text),)* }
            }
        }
    };
}

js_strings! {
    // property names
    payload_format_indicator = "payloadFormatIndicator",
    message_expiry_interval = "messageExpiryInterval",
    content_type = "contentType",
    response_topic = "responseTopic",
    correlation_data = "correlationData",
    subscription_identifier = "subscriptionIdentifier",
    session_expiry_interval = "sessionExpiryInterval",
    assigned_client_identifier = "assignedClientIdentifier",
    server_keep_alive = "serverKeepAlive",
    authentication_method = "authenticationMethod",
    authentication_data = "authenticationData",
    request_problem_information = "requestProblemInformation",
    will_delay_interval = "willDelayInterval",
    request_response_information = "requestResponseInformation",
    response_information = "responseInformation",
    server_reference = "serverReference",
    reason_string = "reasonString",
    receive_maximum = "receiveMaximum",
    topic_alias_maximum = "topicAliasMaximum",
    topic_alias = "topicAlias",
    maximum_qos = "maximumQoS",
    retain_available = "retainAvailable",
    user_property = "userProperty",
    maximum_packet_size = "maximumPacketSize",
    wildcard_subscription_available = "wildcardSubscriptionAvailable",
    subscription_identifier_available = "subscriptionIdentifierAvailable",
    shared_subscription_available = "sharedSubscriptionAvailable",
    // keys
    type_ = "type",
    protocol_version = "protocolVersion",
    client_id = "clientId",
    clean = "clean",
    keepalive = "keepalive",
    username = "username",
    password = "password",
    will = "will",
    topic = "topic",
    payload = "payload",
    qos = "qos",
    retain = "retain",
    pid = "pid",
    properties = "properties",
    session_present = "sessionPresent",
    reason_code = "reasonCode",
    return_code = "returnCode",
    reason_codes = "reasonCodes",
    subscriptions = "subscriptions",
    unsubscriptions = "unsubscriptions",
    nl = "nl",
    rap = "rap",
    rh = "rh",
    spec_ref = "specRef",
    // packet types
    connect = "connect",
    connack = "connack",
    publish = "publish",
    puback = "puback",
    pubrec = "pubrec",
    pubrel = "pubrel",
    pubcomp = "pubcomp",
    subscribe = "subscribe",
    suback = "suback",
    unsubscribe = "unsubscribe",
    unsuback = "unsuback",
    pingreq = "pingreq",
    pingresp = "pingresp",
    disconnect = "disconnect",
    auth = "auth",
}

std::thread_local! {
    static STRINGS: JsStrings = JsStrings::new();
}

// One call per packet instead of one per field; `undefined` properties and a zero `pid` are
// left out, as the shapes above say. `payloads` is the push's shared copy of its payloads.
#[wasm_bindgen(inline_js = r#"
export function publish(topic, payloads, start, end, qos, retain, dup, pid, properties) {
  const o = { type: 'publish', topic, payload: payloads.subarray(start, end), qos, retain, dup }
  if (pid !== 0) o.pid = pid
  if (properties !== undefined) o.properties = properties
  return o
}
export function ack(type, pid, reasonCode, properties) {
  const o = { type, pid, reasonCode }
  if (properties !== undefined) o.properties = properties
  return o
}
export function pingresp() { return { type: 'pingresp' } }
export function pair(a, b) { return [a, b] }
"#)]
extern "C" {
    #[wasm_bindgen(js_name = publish)]
    #[allow(clippy::too_many_arguments)]
    fn js_publish(
        topic: &str,
        payloads: &Uint8Array,
        start: u32,
        end: u32,
        qos: u8,
        retain: bool,
        dup: bool,
        pid: u16,
        properties: &JsValue,
    ) -> Object;
    #[wasm_bindgen(js_name = ack)]
    fn js_ack(type_: &JsValue, pid: u16, reason_code: u8, properties: &JsValue) -> Object;
    #[wasm_bindgen(js_name = pingresp)]
    fn js_pingresp() -> Object;
    /// `[a, b]`: an array literal, several times faster than `Array.of` (`Array::of2`).
    #[wasm_bindgen(js_name = pair)]
    fn js_pair(a: &JsValue, b: &JsValue) -> JsValue;
}

/// A streaming decoder for the browser: feed it WebSocket frames of any size, get back the
/// packets they completed.
#[wasm_bindgen]
pub struct JsStreamDecoder {
    inner: StreamDecoder,
    /// The packets of one push, decoded before any is converted (their payloads are copied
    /// out together); kept between pushes for its allocation.
    packets: Vec<Packet>,
    /// The payloads of one push, end to end; kept between pushes for its allocation.
    payloads: Vec<u8>,
}

#[wasm_bindgen]
impl JsStreamDecoder {
    /// `version` is the CONNECT protocol level: 3 (3.1), 4 (3.1.1) or 5 (5.0).
    #[wasm_bindgen(constructor)]
    pub fn new(version: u8, max_packet_size: u32) -> Result<JsStreamDecoder, JsError> {
        Ok(Self {
            inner: StreamDecoder::new(protocol_version(version)?, max_packet_size),
            packets: Vec::new(),
            payloads: Vec::new(),
        })
    }

    /// Appends `chunk` and returns every packet completed so far, oldest first (possibly
    /// none). A malformed stream throws an `Error` whose message is the decoder's reason,
    /// with `specRef` (the broken statement) and `reasonCode` (what to send in a 5.0
    /// DISCONNECT) attached.
    pub fn push(&mut self, chunk: &[u8]) -> Result<Array, JsValue> {
        self.inner.push(chunk).map_err(decode_error)?;
        let version = self.inner.version();
        self.packets.clear();
        self.payloads.clear();
        while let Some(packet) = self.inner.next_packet().map_err(decode_error)? {
            if let Packet::Publish(p) = &packet {
                self.payloads.extend_from_slice(&p.payload);
            }
            self.packets.push(packet);
        }
        let out: Array = Array::new();
        if self.packets.is_empty() {
            return Ok(out);
        }
        // One copy out of wasm memory for every payload of this push.
        let payloads = Uint8Array::from(self.payloads.as_slice());
        let mut at = 0u32;
        STRINGS.with(|s| {
            for packet in &self.packets {
                let obj = packet_to_js(s, packet, version, &payloads, &mut at)?;
                out.push(&obj);
            }
            Ok::<_, JsValue>(())
        })?;
        self.packets.clear();
        Ok(out)
    }
}

/// Encodes a PUBLISH without properties. `pid` is ignored at QoS 0 and must be non-zero
/// at QoS 1 and 2.
#[wasm_bindgen]
pub fn encode_publish(
    version: u8,
    topic: &str,
    payload: &[u8],
    qos: u8,
    retain: bool,
    pid: u16,
) -> Result<Vec<u8>, JsError> {
    let qos_pid = match qos_from(qos)? {
        QoS::AtMostOnce => QosPid::AtMostOnce,
        QoS::AtLeastOnce => QosPid::AtLeastOnce(pid_from(pid)?),
        QoS::ExactlyOnce => QosPid::ExactlyOnce(pid_from(pid)?),
    };
    let packet = Packet::Publish(Publish {
        dup: false,
        qos_pid,
        retain,
        topic: topic.to_string(),
        payload: Bytes::copy_from_slice(payload),
        properties: Properties::default(),
    });
    encode_to_vec(&packet, protocol_version(version)?)
}

/// Encodes a CONNECT without a will or properties.
#[wasm_bindgen]
pub fn encode_connect(
    version: u8,
    client_id: &str,
    keep_alive: u16,
    clean_start: bool,
    username: Option<String>,
    password: Option<Vec<u8>>,
) -> Result<Vec<u8>, JsError> {
    let version = protocol_version(version)?;
    let packet = Packet::Connect(Connect {
        version,
        client_id: client_id.to_string(),
        clean_start,
        keep_alive,
        username,
        password: password.map(Bytes::from),
        will: None,
        properties: Properties::default(),
    });
    encode_to_vec(&packet, version)
}

/// Encodes a SUBSCRIBE asking for the same QoS on every filter, with default options.
#[wasm_bindgen]
pub fn encode_subscribe(
    version: u8,
    pid: u16,
    filters: Vec<String>,
    qos: u8,
) -> Result<Vec<u8>, JsError> {
    let options = SubscriptionOptions::qos(qos_from(qos)?);
    let packet = Packet::Subscribe(Subscribe {
        pid: pid_from(pid)?,
        filters: filters
            .into_iter()
            .map(|filter| SubscribeFilter { filter, options })
            .collect(),
        properties: Properties::default(),
    });
    encode_to_vec(&packet, protocol_version(version)?)
}

/// Encodes a PINGREQ; its two bytes are the same in every version.
#[wasm_bindgen]
pub fn encode_pingreq() -> Result<Vec<u8>, JsError> {
    encode_to_vec(&Packet::PingReq, ProtocolVersion::V3_1_1)
}

/// Encodes a normal DISCONNECT (reason 0x00, no properties).
#[wasm_bindgen]
pub fn encode_disconnect(version: u8) -> Result<Vec<u8>, JsError> {
    let packet = Packet::Disconnect(Disconnect {
        reason: ReasonCode::NORMAL_DISCONNECTION,
        properties: Properties::default(),
    });
    encode_to_vec(&packet, protocol_version(version)?)
}

fn encode_to_vec(packet: &Packet, version: ProtocolVersion) -> Result<Vec<u8>, JsError> {
    let mut buf = BytesMut::new();
    encode(packet, version, &mut buf).map_err(|e| JsError::new(&e.to_string()))?;
    Ok(Vec::from(buf))
}

fn protocol_version(level: u8) -> Result<ProtocolVersion, JsError> {
    match level {
        3 => Ok(ProtocolVersion::V3_1),
        4 => Ok(ProtocolVersion::V3_1_1),
        5 => Ok(ProtocolVersion::V5),
        _ => Err(JsError::new(&alloc::format!(
            "the protocol version must be 3 (3.1), 4 (3.1.1) or 5 (5.0), not {level}"
        ))),
    }
}

fn qos_from(qos: u8) -> Result<QoS, JsError> {
    QoS::from_u8(qos)
        .ok_or_else(|| JsError::new(&alloc::format!("QoS must be 0, 1 or 2, not {qos}")))
}

fn pid_from(pid: u16) -> Result<Pid, JsError> {
    Pid::new(pid).ok_or_else(|| JsError::new("a packet identifier must be non-zero"))
}

fn decode_error(e: DecodeError) -> JsValue {
    let error = js_sys::Error::new(&e.to_string());
    // Setting a property on a fresh Error cannot fail; if it somehow did, the message
    // alone still says what went wrong.
    STRINGS.with(|s| {
        let _ = Reflect::set(&error, &s.spec_ref, &JsValue::from_str(e.spec_ref()));
        let _ = Reflect::set(
            &error,
            &s.reason_code,
            &JsValue::from(e.reason_code().as_u8()),
        );
    });
    error.into()
}

fn set(obj: &Object, key: &JsValue, value: impl Into<JsValue>) -> Result<(), JsValue> {
    Reflect::set(obj, key, &value.into()).map(drop)
}

fn bytes(b: &[u8]) -> Uint8Array {
    Uint8Array::from(b)
}

/// `payloads` holds the payloads of the packets being converted, end to end; `at` is where
/// this packet's would start.
fn packet_to_js(
    s: &JsStrings,
    packet: &Packet,
    version: ProtocolVersion,
    payloads: &Uint8Array,
    at: &mut u32,
) -> Result<Object, JsValue> {
    // The frequent packets, one call each.
    match packet {
        Packet::Publish(p) => {
            let start = *at;
            // A payload's length fits the 268,435,455 bytes of a packet.
            *at += p.payload.len() as u32;
            return Ok(js_publish(
                &p.topic,
                payloads,
                start,
                *at,
                p.qos_pid.qos() as u8,
                p.retain,
                p.dup,
                p.qos_pid.pid().map_or(0, Pid::get),
                &properties_to_js(s, &p.properties),
            ));
        }
        Packet::PubAck(a) | Packet::PubRec(a) | Packet::PubRel(a) | Packet::PubComp(a) => {
            return Ok(js_ack(
                packet_type(s, packet),
                a.pid.get(),
                a.reason.as_u8(),
                &properties_to_js(s, &a.properties),
            ));
        }
        Packet::PingResp => return Ok(js_pingresp()),
        _ => {}
    }
    let obj = Object::new();
    // `type` first, so that every object of one type gets the same hidden class.
    Reflect::set(&obj, &s.type_, packet_type(s, packet))?;
    let properties = match packet {
        Packet::Connect(c) => {
            set(&obj, &s.protocol_version, c.version.level())?;
            set(&obj, &s.client_id, c.client_id.as_str())?;
            set(&obj, &s.clean, c.clean_start)?;
            set(&obj, &s.keepalive, c.keep_alive)?;
            if let Some(username) = &c.username {
                set(&obj, &s.username, username.as_str())?;
            }
            if let Some(password) = &c.password {
                set(&obj, &s.password, bytes(password))?;
            }
            if let Some(will) = &c.will {
                let w = Object::new();
                set(&w, &s.topic, will.topic.as_str())?;
                set(&w, &s.payload, bytes(&will.payload))?;
                set(&w, &s.qos, will.qos as u8)?;
                set(&w, &s.retain, will.retain)?;
                set_properties(s, &w, &will.properties)?;
                set(&obj, &s.will, w)?;
            }
            &c.properties
        }
        Packet::ConnAck(c) => {
            set(&obj, &s.session_present, c.session_present)?;
            set(&obj, &s.reason_code, c.reason.as_u8())?;
            if !version.is_v5()
                && let Some(code) = c.reason.to_v3_connack()
            {
                set(&obj, &s.return_code, code)?;
            }
            &c.properties
        }
        // Built above.
        Packet::Publish(_)
        | Packet::PubAck(_)
        | Packet::PubRec(_)
        | Packet::PubRel(_)
        | Packet::PubComp(_)
        | Packet::PingResp => unreachable!(),
        Packet::Subscribe(sub) => {
            set(&obj, &s.pid, sub.pid.get())?;
            let list: Array = Array::new();
            for f in &sub.filters {
                let o = Object::new();
                set(&o, &s.topic, f.filter.as_str())?;
                set(&o, &s.qos, f.options.qos as u8)?;
                set(&o, &s.nl, f.options.no_local)?;
                set(&o, &s.rap, f.options.retain_as_published)?;
                set(&o, &s.rh, f.options.retain_handling as u8)?;
                list.push(&o);
            }
            set(&obj, &s.subscriptions, list)?;
            &sub.properties
        }
        Packet::SubAck(a) => {
            set(&obj, &s.pid, a.pid.get())?;
            set(&obj, &s.reason_codes, reason_codes(&a.reasons))?;
            &a.properties
        }
        Packet::Unsubscribe(u) => {
            set(&obj, &s.pid, u.pid.get())?;
            let list: Array = u.filters.iter().map(|f| JsValue::from_str(f)).collect();
            set(&obj, &s.unsubscriptions, list)?;
            &u.properties
        }
        Packet::UnsubAck(a) => {
            set(&obj, &s.pid, a.pid.get())?;
            set(&obj, &s.reason_codes, reason_codes(&a.reasons))?;
            &a.properties
        }
        Packet::PingReq => &EMPTY,
        Packet::Disconnect(d) => {
            set(&obj, &s.reason_code, d.reason.as_u8())?;
            &d.properties
        }
        Packet::Auth(a) => {
            set(&obj, &s.reason_code, a.reason.as_u8())?;
            &a.properties
        }
    };
    set_properties(s, &obj, properties)?;
    Ok(obj)
}

fn packet_type<'s>(s: &'s JsStrings, packet: &Packet) -> &'s JsValue {
    match packet {
        Packet::Connect(_) => &s.connect,
        Packet::ConnAck(_) => &s.connack,
        Packet::Publish(_) => &s.publish,
        Packet::PubAck(_) => &s.puback,
        Packet::PubRec(_) => &s.pubrec,
        Packet::PubRel(_) => &s.pubrel,
        Packet::PubComp(_) => &s.pubcomp,
        Packet::Subscribe(_) => &s.subscribe,
        Packet::SubAck(_) => &s.suback,
        Packet::Unsubscribe(_) => &s.unsubscribe,
        Packet::UnsubAck(_) => &s.unsuback,
        Packet::PingReq => &s.pingreq,
        Packet::PingResp => &s.pingresp,
        Packet::Disconnect(_) => &s.disconnect,
        Packet::Auth(_) => &s.auth,
    }
}

static EMPTY: Properties = Properties(Vec::new());

fn reason_codes(reasons: &[ReasonCode]) -> Array {
    reasons.iter().map(|r| JsValue::from(r.as_u8())).collect()
}

/// Sets `properties` only when there are any, so 3.1.1 packets look like 3.1.1 packets.
fn set_properties(s: &JsStrings, obj: &Object, properties: &Properties) -> Result<(), JsValue> {
    if properties.0.is_empty() {
        return Ok(());
    }
    set(obj, &s.properties, properties_to_js(s, properties))
}

/// The `[name, value]` pairs, or `undefined` when there are none.
fn properties_to_js(s: &JsStrings, properties: &Properties) -> JsValue {
    if properties.0.is_empty() {
        return JsValue::UNDEFINED;
    }
    let list: Array = Array::new();
    for p in &properties.0 {
        let (name, value) = property_to_js(s, p);
        list.push(&js_pair(name, &value));
    }
    list.into()
}

fn property_to_js<'s>(s: &'s JsStrings, p: &Property) -> (&'s JsValue, JsValue) {
    use Property as P;
    match p {
        P::PayloadFormatIndicator(v) => (&s.payload_format_indicator, (*v).into()),
        P::MessageExpiryInterval(v) => (&s.message_expiry_interval, (*v).into()),
        P::ContentType(v) => (&s.content_type, v.as_str().into()),
        P::ResponseTopic(v) => (&s.response_topic, v.as_str().into()),
        P::CorrelationData(v) => (&s.correlation_data, bytes(v).into()),
        P::SubscriptionIdentifier(v) => (&s.subscription_identifier, (*v).into()),
        P::SessionExpiryInterval(v) => (&s.session_expiry_interval, (*v).into()),
        P::AssignedClientIdentifier(v) => (&s.assigned_client_identifier, v.as_str().into()),
        P::ServerKeepAlive(v) => (&s.server_keep_alive, (*v).into()),
        P::AuthenticationMethod(v) => (&s.authentication_method, v.as_str().into()),
        P::AuthenticationData(v) => (&s.authentication_data, bytes(v).into()),
        P::RequestProblemInformation(v) => (&s.request_problem_information, (*v).into()),
        P::WillDelayInterval(v) => (&s.will_delay_interval, (*v).into()),
        P::RequestResponseInformation(v) => (&s.request_response_information, (*v).into()),
        P::ResponseInformation(v) => (&s.response_information, v.as_str().into()),
        P::ServerReference(v) => (&s.server_reference, v.as_str().into()),
        P::ReasonString(v) => (&s.reason_string, v.as_str().into()),
        P::ReceiveMaximum(v) => (&s.receive_maximum, (*v).into()),
        P::TopicAliasMaximum(v) => (&s.topic_alias_maximum, (*v).into()),
        P::TopicAlias(v) => (&s.topic_alias, (*v).into()),
        P::MaximumQoS(v) => (&s.maximum_qos, (*v).into()),
        P::RetainAvailable(v) => (&s.retain_available, (*v).into()),
        P::UserProperty(k, v) => (
            &s.user_property,
            js_pair(&JsValue::from_str(k), &JsValue::from_str(v)),
        ),
        P::MaximumPacketSize(v) => (&s.maximum_packet_size, (*v).into()),
        P::WildcardSubscriptionAvailable(v) => (&s.wildcard_subscription_available, (*v).into()),
        P::SubscriptionIdentifierAvailable(v) => {
            (&s.subscription_identifier_available, (*v).into())
        }
        P::SharedSubscriptionAvailable(v) => (&s.shared_subscription_available, (*v).into()),
    }
}
