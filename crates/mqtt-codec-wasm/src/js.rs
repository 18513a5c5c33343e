//! A small wasm-bindgen API, so that the codec can be measured against JavaScript MQTT
//! codecs in the same browser page.
//!
//! Decoded packets cross into JavaScript as plain objects, not as handles to Rust values:
//! that is what JavaScript codecs hand their callers, so a benchmark that includes the
//! conversion compares like with like. The object keys are created once per thread and
//! reused, because allocating the same JavaScript strings for every packet would measure
//! the string table rather than the codec.
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
//! Payloads and binary properties are `Uint8Array` copies: a view into wasm memory would be
//! invalidated by the next memory growth. `properties` is an array of `[name, value]`
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
    dup = "dup",
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

/// A streaming decoder for the browser: feed it WebSocket frames of any size, get back the
/// packets they completed.
#[wasm_bindgen]
pub struct JsStreamDecoder {
    inner: StreamDecoder,
}

#[wasm_bindgen]
impl JsStreamDecoder {
    /// `version` is the CONNECT protocol level: 3 (3.1), 4 (3.1.1) or 5 (5.0).
    #[wasm_bindgen(constructor)]
    pub fn new(version: u8, max_packet_size: u32) -> Result<JsStreamDecoder, JsError> {
        Ok(Self {
            inner: StreamDecoder::new(protocol_version(version)?, max_packet_size),
        })
    }

    /// Appends `chunk` and returns every packet completed so far, oldest first (possibly
    /// none). A malformed stream throws an `Error` whose message is the decoder's reason,
    /// with `specRef` (the broken statement) and `reasonCode` (what to send in a 5.0
    /// DISCONNECT) attached.
    pub fn push(&mut self, chunk: &[u8]) -> Result<Array, JsValue> {
        self.inner.push(chunk).map_err(decode_error)?;
        let version = self.inner.version();
        let packets: Array = Array::new();
        STRINGS.with(|s| {
            while let Some(packet) = self.inner.next_packet().map_err(decode_error)? {
                let obj = packet_to_js(s, &packet, version)?;
                packets.push(&obj);
            }
            Ok::<_, JsValue>(())
        })?;
        Ok(packets)
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

fn packet_to_js(
    s: &JsStrings,
    packet: &Packet,
    version: ProtocolVersion,
) -> Result<Object, JsValue> {
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
        Packet::Publish(p) => {
            set(&obj, &s.topic, p.topic.as_str())?;
            set(&obj, &s.payload, bytes(&p.payload))?;
            set(&obj, &s.qos, p.qos_pid.qos() as u8)?;
            set(&obj, &s.retain, p.retain)?;
            set(&obj, &s.dup, p.dup)?;
            if let Some(pid) = p.qos_pid.pid() {
                set(&obj, &s.pid, pid.get())?;
            }
            &p.properties
        }
        Packet::PubAck(a) | Packet::PubRec(a) | Packet::PubRel(a) | Packet::PubComp(a) => {
            set(&obj, &s.pid, a.pid.get())?;
            set(&obj, &s.reason_code, a.reason.as_u8())?;
            &a.properties
        }
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
        Packet::PingResp => &EMPTY,
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
    let list: Array = Array::new();
    for p in &properties.0 {
        let (name, value) = property_to_js(p);
        list.push(&Array::of2(&JsValue::from_str(name), &value));
    }
    set(obj, &s.properties, list)
}

fn property_to_js(p: &Property) -> (&'static str, JsValue) {
    use Property as P;
    match p {
        P::PayloadFormatIndicator(v) => ("payloadFormatIndicator", (*v).into()),
        P::MessageExpiryInterval(v) => ("messageExpiryInterval", (*v).into()),
        P::ContentType(v) => ("contentType", v.as_str().into()),
        P::ResponseTopic(v) => ("responseTopic", v.as_str().into()),
        P::CorrelationData(v) => ("correlationData", bytes(v).into()),
        P::SubscriptionIdentifier(v) => ("subscriptionIdentifier", (*v).into()),
        P::SessionExpiryInterval(v) => ("sessionExpiryInterval", (*v).into()),
        P::AssignedClientIdentifier(v) => ("assignedClientIdentifier", v.as_str().into()),
        P::ServerKeepAlive(v) => ("serverKeepAlive", (*v).into()),
        P::AuthenticationMethod(v) => ("authenticationMethod", v.as_str().into()),
        P::AuthenticationData(v) => ("authenticationData", bytes(v).into()),
        P::RequestProblemInformation(v) => ("requestProblemInformation", (*v).into()),
        P::WillDelayInterval(v) => ("willDelayInterval", (*v).into()),
        P::RequestResponseInformation(v) => ("requestResponseInformation", (*v).into()),
        P::ResponseInformation(v) => ("responseInformation", v.as_str().into()),
        P::ServerReference(v) => ("serverReference", v.as_str().into()),
        P::ReasonString(v) => ("reasonString", v.as_str().into()),
        P::ReceiveMaximum(v) => ("receiveMaximum", (*v).into()),
        P::TopicAliasMaximum(v) => ("topicAliasMaximum", (*v).into()),
        P::TopicAlias(v) => ("topicAlias", (*v).into()),
        P::MaximumQoS(v) => ("maximumQoS", (*v).into()),
        P::RetainAvailable(v) => ("retainAvailable", (*v).into()),
        P::UserProperty(k, v) => (
            "userProperty",
            Array::of2(&JsValue::from_str(k), &JsValue::from_str(v)).into(),
        ),
        P::MaximumPacketSize(v) => ("maximumPacketSize", (*v).into()),
        P::WildcardSubscriptionAvailable(v) => ("wildcardSubscriptionAvailable", (*v).into()),
        P::SubscriptionIdentifierAvailable(v) => ("subscriptionIdentifierAvailable", (*v).into()),
        P::SharedSubscriptionAvailable(v) => ("sharedSubscriptionAvailable", (*v).into()),
    }
}
