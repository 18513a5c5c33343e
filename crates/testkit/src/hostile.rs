//! A hostile MQTT broker for tests: it sends what a real broker never would.
//!
//! [`FakeBroker`] listens on a free loopback port (plain TCP, or WebSocket with the `mqtt`
//! subprotocol), reads the client's CONNECT, and then plays the current [`Case`]: its
//! [`Step`]s send bytes (in one write or frame, byte by byte, as a text frame, or as an
//! endless body), wait for client packets and acknowledge them. Afterwards it keeps reading
//! until the client goes, and records every packet the client sent, so a test can check
//! the client's answers (a PUBREL for a stray PUBREC, a 5.0 DISCONNECT naming its reason).
//!
//! The bytes are built by hand here, not with the project's codec: the point is to send
//! what the codec would refuse to encode.
//!
//! [`cases`] is the table: every case names its category, its version, the client that
//! meets it (a subscriber or a publisher), and its [`Outcome`] — the client ends the
//! connection with a worded cause, or carries on and delivers what it should.

use std::io::{ErrorKind, Read, Write};
use std::net::{Ipv4Addr, Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use tungstenite::handshake::server::{ErrorResponse, Request, Response};
use tungstenite::{Message, WebSocket};

pub use crate::brokers::MqttVersion;

/// How long the broker keeps a connection after its script, reading what the client sends.
const HOLD: Duration = Duration::from_secs(40);

/// What the broker does, in order, after reading the client's CONNECT.
#[derive(Debug, Clone)]
pub enum Step {
    /// Bytes in one write (TCP) or one binary frame (WebSocket).
    Send(Vec<u8>),
    /// Each byte in its own write or binary frame, flushed one by one.
    Bytewise(Vec<u8>),
    /// A WebSocket text frame (a TCP case sends the bytes as they are).
    Text(String),
    /// Reads client packets until one of this type (the high nibble of its first byte)
    /// arrives; the case fails if none comes within the hold time.
    Await(u8),
    /// Waits for SUBSCRIBE and answers SUBACK granting every filter the QoS asked for.
    Suback,
    /// Waits for a PUBLISH from the client and remembers its packet identifier.
    AwaitPublish,
    /// Sends this acknowledgement (first byte, e.g. 0x40 PUBACK) for the identifier of the
    /// last PUBLISH the client sent.
    AckLast(u8),
    Pause(u64),
    /// Closes the connection (a TCP FIN, or a WebSocket close frame).
    Close,
    /// A fixed header, then zero bytes in 64 KiB writes, up to `total` bytes or until the
    /// client goes: a body that is never going to fit.
    Stream {
        header: Vec<u8>,
        total: usize,
    },
}

/// Which `tablero` command (or app) meets the case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Client {
    /// A subscriber to `tablero/demo/#` at this QoS that exits after `count` messages
    /// (carry-on cases), as the app's demo dashboard subscribes to the same topics.
    Sub { qos: u8, count: usize },
    /// `pub` of one message to `tablero/demo/relay/set` at this QoS (CLI only).
    Pub { qos: u8 },
}

/// What the spec requires of the client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The client ends the connection as a protocol violation, naming it with `words`
    /// (a piece of the CLI's message); a 5.0 client first sends DISCONNECT with `reason`.
    Protocol { words: &'static str, reason: u8 },
    /// CONNACK refused the connection with this code (on the wire; 3.1.1 return codes are
    /// 1 to 5). `permanent`: retrying cannot help, so a reconnecting client stops.
    Refused { code: u8, permanent: bool },
    /// The server's DISCONNECT with this reason code ends the connection.
    ServerDisconnect { code: u8 },
    /// The broker closed the connection in the middle of a packet.
    Closed,
    /// Nothing arrived for 1.5 × keepalive.
    KeepAlive,
    /// No CONNACK within the connect timeout.
    ConnectTimeout,
    /// A WebSocket text frame [MQTT-6.0.0-1].
    TextFrame,
    /// The client carries on: a subscriber delivers these payloads, in this order, each
    /// once; a publisher completes its exchange and exits 0.
    CarryOn { messages: Vec<String> },
}

impl Outcome {
    pub fn carries_on(&self) -> bool {
        matches!(self, Outcome::CarryOn { .. })
    }
}

/// One named hostile case.
#[derive(Debug, Clone)]
pub struct Case {
    pub name: String,
    pub category: &'static str,
    pub version: MqttVersion,
    /// Only meaningful over WebSocket (text frames, frame splitting).
    pub ws_only: bool,
    pub client: Client,
    pub script: Vec<Step>,
    pub outcome: Outcome,
    /// Keepalive the client asks for (seconds), when the case needs a short one.
    pub keep_alive: Option<u16>,
    /// The client's maximum packet size, when the case needs one.
    pub max_packet_size: Option<u32>,
    /// Answer PINGREQ while holding the connection after the script.
    pub answer_pings: bool,
    /// First bytes the client must have sent by the end (e.g. `[0x62, 2, 0x30, 0x39]`:
    /// PUBREL for identifier 12345).
    pub client_sends: Vec<Vec<u8>>,
}

impl Case {
    fn new(
        name: impl Into<String>,
        category: &'static str,
        version: MqttVersion,
        script: Vec<Step>,
        outcome: Outcome,
    ) -> Self {
        let client = match &outcome {
            Outcome::CarryOn { messages } => Client::Sub {
                qos: 2,
                count: messages.len(),
            },
            _ => Client::Sub { qos: 2, count: 1 },
        };
        Self {
            name: name.into(),
            category,
            version,
            ws_only: false,
            client,
            script,
            outcome,
            keep_alive: None,
            max_packet_size: None,
            answer_pings: true,
            client_sends: Vec::new(),
        }
    }

    fn ws_only(mut self) -> Self {
        self.ws_only = true;
        self
    }

    fn client(mut self, client: Client) -> Self {
        self.client = client;
        self
    }

    fn keep_alive(mut self, secs: u16) -> Self {
        self.keep_alive = Some(secs);
        self
    }

    fn max_packet_size(mut self, bytes: u32) -> Self {
        self.max_packet_size = Some(bytes);
        self
    }

    fn no_pings(mut self) -> Self {
        self.answer_pings = false;
        self
    }

    fn expects(mut self, bytes: Vec<u8>) -> Self {
        self.client_sends.push(bytes);
        self
    }

    /// The `-V` value of the CLI.
    pub fn version_flag(&self) -> &'static str {
        self.version.cli_flag()
    }

    /// Whether the browser app can meet this case as it is: the app subscribes (it does not
    /// publish on its own) and has no maximum packet size or keepalive to set per case.
    pub fn for_app(&self) -> bool {
        matches!(self.client, Client::Sub { .. })
            && self.max_packet_size.is_none()
            && self.keep_alive.is_none()
    }
}

// ---------------------------------------------------------------------------------------
// Bytes, by hand
// ---------------------------------------------------------------------------------------

pub fn varint(mut n: usize) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let mut b = (n % 128) as u8;
        n /= 128;
        if n > 0 {
            b |= 0x80;
        }
        out.push(b);
        if n == 0 {
            return out;
        }
    }
}

/// A packet: first byte, remaining length, body.
pub fn packet(first: u8, body: &[u8]) -> Vec<u8> {
    let mut out = vec![first];
    out.extend(varint(body.len()));
    out.extend_from_slice(body);
    out
}

fn string(s: &[u8]) -> Vec<u8> {
    let mut out = (s.len() as u16).to_be_bytes().to_vec();
    out.extend_from_slice(s);
    out
}

/// A 5.0 property list with its length in front.
fn props(list: &[Vec<u8>]) -> Vec<u8> {
    let body: Vec<u8> = list.concat();
    let mut out = varint(body.len());
    out.extend(body);
    out
}

fn p_u8(id: u8, v: u8) -> Vec<u8> {
    vec![id, v]
}

fn p_u16(id: u8, v: u16) -> Vec<u8> {
    let mut out = vec![id];
    out.extend(v.to_be_bytes());
    out
}

fn p_u32(id: u8, v: u32) -> Vec<u8> {
    let mut out = vec![id];
    out.extend(v.to_be_bytes());
    out
}

fn p_str(id: u8, s: &[u8]) -> Vec<u8> {
    let mut out = vec![id];
    out.extend(string(s));
    out
}

fn p_pair(k: &[u8], v: &[u8]) -> Vec<u8> {
    let mut out = vec![0x26];
    out.extend(string(k));
    out.extend(string(v));
    out
}

fn v5(v: MqttVersion) -> bool {
    v == MqttVersion::V5
}

/// CONNACK: session present flag byte, code, and (5.0) properties.
pub fn connack(v: MqttVersion, flags: u8, code: u8, properties: &[Vec<u8>]) -> Vec<u8> {
    let mut body = vec![flags, code];
    if v5(v) {
        body.extend(props(properties));
    }
    packet(0x20, &body)
}

pub fn connack_ok(v: MqttVersion) -> Vec<u8> {
    connack(v, 0, 0, &[])
}

/// PUBLISH with these fixed-header flags (DUP, QoS, RETAIN bits), identifier (QoS > 0),
/// raw topic bytes and (5.0) properties.
pub fn publish(
    v: MqttVersion,
    flags: u8,
    pid: Option<u16>,
    topic: &[u8],
    properties: &[Vec<u8>],
    payload: &[u8],
) -> Vec<u8> {
    let mut body = string(topic);
    if let Some(pid) = pid {
        body.extend(pid.to_be_bytes());
    }
    if v5(v) {
        body.extend(props(properties));
    }
    body.extend_from_slice(payload);
    packet(0x30 | flags, &body)
}

/// A QoS 0 PUBLISH of `payload` to the demo's temperature topic.
pub fn temperature(v: MqttVersion, payload: &str) -> Vec<u8> {
    publish(v, 0, None, TEMPERATURE, &[], payload.as_bytes())
}

/// An acknowledgement (PUBACK, PUBREC, PUBREL, PUBCOMP, UNSUBACK 3.1.1): two bytes of id.
pub fn ack(first: u8, pid: u16) -> Vec<u8> {
    packet(first, &pid.to_be_bytes())
}

fn suback(v: MqttVersion, pid: u16, codes: &[u8]) -> Vec<u8> {
    let mut body = pid.to_be_bytes().to_vec();
    if v5(v) {
        body.push(0);
    }
    body.extend_from_slice(codes);
    packet(0x90, &body)
}

fn unsuback(v: MqttVersion, pid: u16) -> Vec<u8> {
    let mut body = pid.to_be_bytes().to_vec();
    if v5(v) {
        body.extend([0, 0x00]);
    }
    packet(0xB0, &body)
}

pub fn disconnect_v5(code: u8, properties: &[Vec<u8>]) -> Vec<u8> {
    let mut body = vec![code];
    body.extend(props(properties));
    packet(0xE0, &body)
}

/// The demo's temperature topic: the app's gauge reads it; the CLI subscribes to
/// `tablero/demo/#`.
pub const TEMPERATURE: &[u8] = b"tablero/demo/temperature";
/// What a carry-on case's subscriber listens to.
pub const SUB_FILTER: &str = "tablero/demo/#";
/// Where a `pub` case publishes.
pub const PUB_TOPIC: &str = "tablero/demo/relay/set";

// ---------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------

const BOTH: [MqttVersion; 2] = [MqttVersion::V311, MqttVersion::V5];

fn vname(v: MqttVersion) -> &'static str {
    match v {
        MqttVersion::V311 => "311",
        MqttVersion::V5 => "5",
    }
}

/// CONNACK accepted, SUBACK for the subscription, then `then`.
fn after_sub(v: MqttVersion, then: Vec<Step>) -> Vec<Step> {
    let mut s = vec![Step::Send(connack_ok(v)), Step::Suback];
    s.extend(then);
    s
}

/// Connects and subscribes, then nothing hostile: where the browser suite's page rests
/// between cases.
pub fn baseline(v: MqttVersion) -> Case {
    Case::new(
        format!("baseline-v{}", vname(v)),
        "baseline",
        v,
        after_sub(v, vec![]),
        Outcome::CarryOn { messages: vec![] },
    )
}

fn proto(words: &'static str, reason: u8) -> Outcome {
    Outcome::Protocol { words, reason }
}

const MALFORMED: u8 = 0x81;
const PROTOCOL: u8 = 0x82;

/// Every case. Names are unique; each version of a case is its own case.
pub fn cases() -> Vec<Case> {
    let mut c = Vec::new();
    remaining_length(&mut c);
    truncated(&mut c);
    utf8(&mut c);
    wildcards(&mut c);
    qos_and_flags(&mut c);
    forbidden_packets(&mut c);
    connack_cases(&mut c);
    connack_properties(&mut c);
    topic_aliases(&mut c);
    packet_id_zero(&mut c);
    stray_acks(&mut c);
    qos2_duplicates(&mut c);
    framing(&mut c);
    silence(&mut c);
    disconnects(&mut c);
    c
}

fn remaining_length(c: &mut Vec<Case>) {
    for v in BOTH {
        let n = vname(v);
        let cat = "remaining length";
        c.push(Case::new(
            format!("rl-five-bytes-v{n}"),
            cat,
            v,
            after_sub(
                v,
                vec![Step::Send(vec![0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F])],
            ),
            proto("at most 4 bytes", MALFORMED),
        ));
        c.push(Case::new(
            format!("rl-five-bytes-before-connack-v{n}"),
            cat,
            v,
            vec![Step::Send(vec![0x20, 0x80, 0x80, 0x80, 0x80, 0x01])],
            proto("at most 4 bytes", MALFORMED),
        ));
        c.push(Case::new(
            format!("rl-non-minimal-v{n}"),
            cat,
            v,
            after_sub(v, vec![Step::Send(vec![0xD0, 0x80, 0x00])]),
            proto("fewest bytes", MALFORMED),
        ));
        // Declared above the client's maximum packet size, with a body that never ends:
        // refused from the fixed header, before any of it is buffered.
        c.push(
            Case::new(
                format!("rl-over-client-maximum-v{n}"),
                cat,
                v,
                after_sub(
                    v,
                    vec![Step::Stream {
                        header: [vec![0x30], varint(200_000_000)].concat(),
                        total: 256 << 20,
                    }],
                ),
                proto("packet", 0x95),
            )
            .max_packet_size(4096),
        );
        // The largest length MQTT can express, and then the broker goes: a client with no
        // maximum of its own (the CLI) may buffer what came but must end in words, not hang;
        // the app, with its own, refuses it at the header (tests/hostile.rs).
        c.push(Case::new(
            format!("rl-protocol-maximum-then-close-v{n}"),
            cat,
            v,
            after_sub(
                v,
                vec![
                    Step::Send([vec![0x30, 0xFF, 0xFF, 0xFF, 0x7F], vec![0; 1 << 20]].concat()),
                    Step::Close,
                ],
            ),
            Outcome::Closed,
        ));
        c.push(Case::new(
            format!("rl-pingresp-with-body-v{n}"),
            cat,
            v,
            after_sub(v, vec![Step::Send(vec![0xD0, 0x01, 0x00])]),
            proto("remaining length 0 for PINGRESP", MALFORMED),
        ));
        c.push(Case::new(
            format!("rl-puback-one-byte-v{n}"),
            cat,
            v,
            after_sub(v, vec![Step::Send(vec![0x40, 0x01, 0x00])]),
            proto("PUBACK", MALFORMED),
        ));
        c.push(Case::new(
            format!("rl-publish-topic-longer-than-packet-v{n}"),
            cat,
            v,
            after_sub(v, vec![Step::Send(vec![0x30, 0x03, 0x00, 0x09, b'a'])]),
            proto("more bytes in PUBLISH", MALFORMED),
        ));
        c.push(Case::new(
            format!("rl-connack-too-short-v{n}"),
            cat,
            v,
            vec![Step::Send(vec![0x20, 0x01, 0x00])],
            proto("CONNACK", MALFORMED),
        ));
    }
    // 3.1.1 CONNACK is exactly 2 bytes.
    c.push(Case::new(
        "rl-connack-trailing-byte-v311",
        "remaining length",
        MqttVersion::V311,
        vec![Step::Send(vec![0x20, 0x03, 0x00, 0x00, 0x00])],
        proto("CONNACK", MALFORMED),
    ));
}

fn truncated(c: &mut Vec<Case>) {
    for v in BOTH {
        let n = vname(v);
        let cat = "truncated packet";
        let full = temperature(v, "21.5");
        let cuts: [(&str, Vec<Step>); 5] = [
            (
                "connack-first-byte",
                vec![Step::Send(vec![0x20]), Step::Close],
            ),
            (
                "connack-half",
                vec![Step::Send(connack_ok(v)[..3].to_vec()), Step::Close],
            ),
            (
                "publish-header",
                after_sub(v, vec![Step::Send(full[..2].to_vec()), Step::Close]),
            ),
            (
                "publish-topic",
                after_sub(v, vec![Step::Send(full[..8].to_vec()), Step::Close]),
            ),
            (
                "publish-payload",
                after_sub(
                    v,
                    vec![Step::Send(full[..full.len() - 1].to_vec()), Step::Close],
                ),
            ),
        ];
        for (what, script) in cuts {
            c.push(Case::new(
                format!("truncated-{what}-then-close-v{n}"),
                cat,
                v,
                script,
                Outcome::Closed,
            ));
        }
        // Half a packet and then silence: the keepalive rule finds the dead peer.
        c.push(
            Case::new(
                format!("truncated-publish-then-silence-v{n}"),
                cat,
                v,
                after_sub(v, vec![Step::Send(full[..8].to_vec())]),
                Outcome::KeepAlive,
            )
            .keep_alive(1)
            .no_pings(),
        );
    }
}

fn utf8(c: &mut Vec<Case>) {
    let bad: [(&str, &[u8], &str); 8] = [
        ("invalid-byte-ff", b"tablero/\xFF", "UTF-8"),
        ("overlong-nul", b"tablero/\xC0\x80", "UTF-8"),
        ("overlong-slash", b"tablero/\xE0\x80\xAF", "UTF-8"),
        ("surrogate", b"tablero/\xED\xA0\x80", "UTF-8"),
        ("above-u10ffff", b"tablero/\xF4\x90\x80\x80", "UTF-8"),
        ("cut-sequence", b"tablero/\xE2\x82", "UTF-8"),
        ("lone-continuation", b"tablero/\x80", "UTF-8"),
        ("u0000", b"tablero/a\x00b", "U+0000"),
    ];
    for v in BOTH {
        let n = vname(v);
        for (what, topic, words) in bad {
            c.push(Case::new(
                format!("utf8-topic-{what}-v{n}"),
                "UTF-8 and U+0000",
                v,
                after_sub(v, vec![Step::Send(publish(v, 0, None, topic, &[], b"1"))]),
                proto(words, MALFORMED),
            ));
        }
        // A byte order mark is a character like any other [MQTT-1.5.4-3]: kept, delivered.
        c.push(Case::new(
            format!("utf8-topic-bom-is-kept-v{n}"),
            "UTF-8 and U+0000",
            v,
            after_sub(
                v,
                vec![
                    Step::Send(publish(
                        v,
                        0,
                        None,
                        "tablero/demo/\u{FEFF}x".as_bytes(),
                        &[],
                        b"bom",
                    )),
                    Step::Send(temperature(v, "22.5")),
                ],
            ),
            Outcome::CarryOn {
                messages: vec!["bom".into(), "22.5".into()],
            },
        ));
    }
    let v = MqttVersion::V5;
    let prop_cases: [(&str, Vec<Step>, &str); 9] = [
        (
            "connack-reason-string-invalid",
            vec![Step::Send(connack(v, 0, 0, &[p_str(0x1F, b"\xFF\xFE")]))],
            "UTF-8",
        ),
        (
            "connack-reason-string-u0000",
            vec![Step::Send(connack(v, 0, 0, &[p_str(0x1F, b"a\x00")]))],
            "U+0000",
        ),
        (
            "connack-assigned-id-overlong",
            vec![Step::Send(connack(v, 0, 0, &[p_str(0x12, b"\xC1\xBF")]))],
            "UTF-8",
        ),
        (
            "connack-user-property-key-u0000",
            vec![Step::Send(connack(v, 0, 0, &[p_pair(b"k\x00", b"v")]))],
            "U+0000",
        ),
        (
            "publish-user-property-value-invalid",
            after_sub(
                v,
                vec![Step::Send(publish(
                    v,
                    0,
                    None,
                    TEMPERATURE,
                    &[p_pair(b"k", b"\xED\xBF\xBF")],
                    b"1",
                ))],
            ),
            "UTF-8",
        ),
        (
            "publish-content-type-u0000",
            after_sub(
                v,
                vec![Step::Send(publish(
                    v,
                    0,
                    None,
                    TEMPERATURE,
                    &[p_str(0x03, b"text/\x00")],
                    b"1",
                ))],
            ),
            "U+0000",
        ),
        (
            "publish-response-topic-invalid",
            after_sub(
                v,
                vec![Step::Send(publish(
                    v,
                    0,
                    None,
                    TEMPERATURE,
                    &[p_str(0x08, b"r/\xFF")],
                    b"1",
                ))],
            ),
            "UTF-8",
        ),
        (
            "suback-reason-string-invalid",
            vec![
                Step::Send(connack_ok(v)),
                Step::Await(8),
                Step::Send(packet(0x90, &[0, 1, 4, 0x1F, 0, 1, 0xFF, 2])),
            ],
            "UTF-8",
        ),
        (
            "disconnect-reason-string-u0000",
            after_sub(
                v,
                vec![Step::Send(disconnect_v5(0x80, &[p_str(0x1F, b"\x00")]))],
            ),
            "U+0000",
        ),
    ];
    for (what, script, words) in prop_cases {
        c.push(Case::new(
            format!("utf8-property-{what}-v5"),
            "UTF-8 and U+0000",
            v,
            script,
            proto(words, MALFORMED),
        ));
    }
    // A response topic is a topic name: no wildcards.
    c.push(Case::new(
        "wildcard-in-response-topic-v5",
        "wildcards in a PUBLISH topic",
        v,
        after_sub(
            v,
            vec![Step::Send(publish(
                v,
                0,
                None,
                TEMPERATURE,
                &[p_str(0x08, b"r/#")],
                b"1",
            ))],
        ),
        proto("wildcards", 0x90),
    ));
}

fn wildcards(c: &mut Vec<Case>) {
    let topics: [&[u8]; 6] = [
        b"tablero/+",
        b"tablero/#",
        b"#",
        b"+",
        b"tablero/a#",
        b"+/demo",
    ];
    for v in BOTH {
        let n = vname(v);
        for (i, t) in topics.iter().enumerate() {
            c.push(Case::new(
                format!("wildcard-publish-topic-{i}-v{n}"),
                "wildcards in a PUBLISH topic",
                v,
                after_sub(v, vec![Step::Send(publish(v, 0, None, t, &[], b"1"))]),
                proto("wildcards", 0x90),
            ));
        }
        c.push(Case::new(
            format!("empty-publish-topic-v{n}"),
            "wildcards in a PUBLISH topic",
            v,
            after_sub(v, vec![Step::Send(publish(v, 0, None, b"", &[], b"1"))]),
            proto("empty", PROTOCOL),
        ));
    }
}

fn qos_and_flags(c: &mut Vec<Case>) {
    for v in BOTH {
        let n = vname(v);
        c.push(Case::new(
            format!("qos3-publish-v{n}"),
            "QoS 3",
            v,
            after_sub(
                v,
                vec![Step::Send(publish(
                    v,
                    0b0110,
                    Some(7),
                    TEMPERATURE,
                    &[],
                    b"1",
                ))],
            ),
            proto("QoS 3", MALFORMED),
        ));
        c.push(Case::new(
            format!("qos3-publish-with-dup-retain-v{n}"),
            "QoS 3",
            v,
            after_sub(
                v,
                vec![Step::Send(publish(
                    v,
                    0b1111,
                    Some(7),
                    TEMPERATURE,
                    &[],
                    b"1",
                ))],
            ),
            proto("QoS 3", MALFORMED),
        ));
        c.push(Case::new(
            format!("dup-at-qos0-v{n}"),
            "reserved flags",
            v,
            after_sub(
                v,
                vec![Step::Send(publish(v, 0b1000, None, TEMPERATURE, &[], b"1"))],
            ),
            proto("DUP", MALFORMED),
        ));
        // Fixed-header flags other than the ones the packet type requires [MQTT-2.1.3-1].
        let mut flagged: Vec<(&str, Vec<u8>, bool)> = vec![
            ("connack", connack_ok(v), false),
            ("puback", ack(0x40, 1), true),
            ("pubrec", ack(0x50, 1), true),
            ("pubrel", ack(0x62, 1), true),
            ("pubcomp", ack(0x70, 1), true),
            ("suback", suback(v, 1, &[0]), true),
            ("unsuback", unsuback(v, 1), true),
            ("pingresp", vec![0xD0, 0], true),
        ];
        if v5(v) {
            flagged.push(("disconnect", disconnect_v5(0, &[]), true));
        }
        for (name, bytes, after) in flagged {
            let mut bad = bytes.clone();
            // PUBREL's required flags are 0010; any other value is wrong.
            bad[0] ^= if name == "pubrel" { 0b0011 } else { 0b0001 };
            let script = if after {
                after_sub(v, vec![Step::Send(bad)])
            } else {
                vec![Step::Send(bad)]
            };
            c.push(Case::new(
                format!("reserved-flags-{name}-v{n}"),
                "reserved flags",
                v,
                script,
                proto("flag", MALFORMED),
            ));
        }
        c.push(Case::new(
            format!("reserved-packet-type-0-v{n}"),
            "reserved flags",
            v,
            after_sub(v, vec![Step::Send(vec![0x00, 0x00])]),
            proto("reserved", MALFORMED),
        ));
        c.push(Case::new(
            format!("connack-reserved-ack-flags-v{n}"),
            "reserved flags",
            v,
            vec![Step::Send(connack(v, 0b0000_0010, 0, &[]))],
            proto("acknowledge flag", MALFORMED),
        ));
        c.push(Case::new(
            format!("suback-qos3-v{n}"),
            "QoS 3",
            v,
            vec![
                Step::Send(connack_ok(v)),
                Step::Await(8),
                Step::Send(suback(v, 1, &[3])),
            ],
            proto("reason code", MALFORMED),
        ));
    }
    c.push(Case::new(
        "auth-packet-in-311",
        "packets a server must not send",
        MqttVersion::V311,
        after_sub(MqttVersion::V311, vec![Step::Send(vec![0xF0, 0x00])]),
        proto("AUTH", MALFORMED),
    ));
}

fn forbidden_packets(c: &mut Vec<Case>) {
    for v in BOTH {
        let n = vname(v);
        let level = if v5(v) { 5 } else { 4 };
        let mut connect_body = string(b"MQTT");
        connect_body.extend([level, 0x02, 0, 60]);
        if v5(v) {
            connect_body.push(0);
        }
        connect_body.extend(string(b"evil"));
        let mut subscribe_body = vec![0, 9];
        if v5(v) {
            subscribe_body.push(0);
        }
        subscribe_body.extend(string(b"a/b"));
        subscribe_body.push(0);
        let mut unsubscribe_body = vec![0, 9];
        if v5(v) {
            unsubscribe_body.push(0);
        }
        unsubscribe_body.extend(string(b"a/b"));
        let mut list: Vec<(&str, Vec<u8>, &str)> = vec![
            ("connect", packet(0x10, &connect_body), "Connect"),
            ("subscribe", packet(0x82, &subscribe_body), "Subscribe"),
            (
                "unsubscribe",
                packet(0xA2, &unsubscribe_body),
                "Unsubscribe",
            ),
            ("pingreq", vec![0xC0, 0], "PingReq"),
        ];
        if v5(v) {
            list.push(("auth", packet(0xF0, &[0x00, 0x00]), "Auth"));
        } else {
            list.push(("disconnect", vec![0xE0, 0], "Disconnect"));
        }
        for (name, bytes, words) in list {
            c.push(Case::new(
                format!("server-sends-{name}-v{n}"),
                "packets a server must not send",
                v,
                after_sub(v, vec![Step::Send(bytes.clone())]),
                proto(words, PROTOCOL),
            ));
            if name != "disconnect" {
                c.push(Case::new(
                    format!("server-sends-{name}-before-connack-v{n}"),
                    "packets a server must not send",
                    v,
                    vec![Step::Send(bytes)],
                    proto(words, PROTOCOL),
                ));
            }
        }
        c.push(Case::new(
            format!("publish-before-connack-v{n}"),
            "packets a server must not send",
            v,
            vec![Step::Send(temperature(v, "1"))],
            proto("before CONNACK", PROTOCOL),
        ));
        c.push(Case::new(
            format!("suback-before-connack-v{n}"),
            "packets a server must not send",
            v,
            vec![Step::Send(suback(v, 1, &[0]))],
            proto("before CONNACK", PROTOCOL),
        ));
    }
}

fn connack_cases(c: &mut Vec<Case>) {
    for v in BOTH {
        let n = vname(v);
        c.push(Case::new(
            format!("connack-twice-v{n}"),
            "CONNACK twice",
            v,
            vec![Step::Send([connack_ok(v), connack_ok(v)].concat())],
            proto("second CONNACK", PROTOCOL),
        ));
        c.push(Case::new(
            format!("connack-twice-after-suback-v{n}"),
            "CONNACK twice",
            v,
            after_sub(v, vec![Step::Send(connack_ok(v))]),
            proto("second CONNACK", PROTOCOL),
        ));
        c.push(Case::new(
            format!("connack-session-present-on-clean-start-v{n}"),
            "CONNACK twice",
            v,
            vec![Step::Send(connack(v, 1, 0, &[]))],
            proto("session present", PROTOCOL),
        ));
    }
    // 3.1.1 return codes 1-5 [MQTT-3.2.2.3]; 6 and up are reserved.
    for code in 1..=5u8 {
        c.push(Case::new(
            format!("connack-refused-{code}-v311"),
            "CONNACK refusal",
            MqttVersion::V311,
            vec![Step::Send(connack(MqttVersion::V311, 0, code, &[]))],
            Outcome::Refused {
                code,
                permanent: code != 3,
            },
        ));
    }
    c.push(Case::new(
        "connack-reserved-code-6-v311",
        "CONNACK refusal",
        MqttVersion::V311,
        vec![Step::Send(connack(MqttVersion::V311, 0, 6, &[]))],
        proto("reason code", MALFORMED),
    ));
    // Every 5.0 CONNACK refusal code (table 2-6).
    let permanent = [0x84u8, 0x85, 0x86, 0x87, 0x8A, 0x8C];
    for code in [
        0x80u8, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8A, 0x8C, 0x90, 0x95, 0x97,
        0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9F,
    ] {
        let mut properties = vec![p_str(0x1F, b"hostile refusal")];
        if matches!(code, 0x9C | 0x9D) {
            properties.push(p_str(0x1C, b"elsewhere:1883"));
        }
        c.push(Case::new(
            format!("connack-refused-0x{code:02x}-v5"),
            "CONNACK refusal",
            MqttVersion::V5,
            vec![Step::Send(connack(MqttVersion::V5, 0, code, &properties))],
            Outcome::Refused {
                code,
                permanent: permanent.contains(&code),
            },
        ));
    }
    for code in [0x01u8, 0x8E, 0xFF] {
        c.push(Case::new(
            format!("connack-code-0x{code:02x}-not-allowed-v5"),
            "CONNACK refusal",
            MqttVersion::V5,
            vec![Step::Send(connack(MqttVersion::V5, 0, code, &[]))],
            proto("reason code", MALFORMED),
        ));
    }
}

fn connack_properties(c: &mut Vec<Case>) {
    let v = MqttVersion::V5;
    let cat = "CONNACK properties";
    let bad: Vec<(&str, Vec<Vec<u8>>, &'static str, u8)> = vec![
        (
            "maximum-packet-size-0",
            vec![p_u32(0x27, 0)],
            "MaximumPacketSize",
            PROTOCOL,
        ),
        (
            "receive-maximum-0",
            vec![p_u16(0x21, 0)],
            "ReceiveMaximum",
            PROTOCOL,
        ),
        ("maximum-qos-2", vec![p_u8(0x24, 2)], "MaximumQoS", PROTOCOL),
        (
            "retain-available-2",
            vec![p_u8(0x25, 2)],
            "RetainAvailable",
            PROTOCOL,
        ),
        (
            "wildcard-available-2",
            vec![p_u8(0x28, 2)],
            "WildcardSubscriptionAvailable",
            PROTOCOL,
        ),
        (
            "subscription-id-available-7",
            vec![p_u8(0x29, 7)],
            "SubscriptionIdentifierAvailable",
            PROTOCOL,
        ),
        (
            "shared-available-255",
            vec![p_u8(0x2A, 255)],
            "SharedSubscriptionAvailable",
            PROTOCOL,
        ),
        (
            "duplicate-receive-maximum",
            vec![p_u16(0x21, 10), p_u16(0x21, 20)],
            "twice",
            PROTOCOL,
        ),
        (
            "duplicate-maximum-packet-size",
            vec![p_u32(0x27, 1000), p_u32(0x27, 1000)],
            "twice",
            PROTOCOL,
        ),
        (
            "duplicate-topic-alias-maximum",
            vec![p_u16(0x22, 5), p_u16(0x22, 6)],
            "twice",
            PROTOCOL,
        ),
        (
            "duplicate-reason-string",
            vec![p_str(0x1F, b"a"), p_str(0x1F, b"b")],
            "twice",
            PROTOCOL,
        ),
        (
            "duplicate-server-keep-alive",
            vec![p_u16(0x13, 5), p_u16(0x13, 5)],
            "twice",
            PROTOCOL,
        ),
        (
            "duplicate-maximum-qos",
            vec![p_u8(0x24, 0), p_u8(0x24, 1)],
            "twice",
            PROTOCOL,
        ),
        (
            "duplicate-retain-available",
            vec![p_u8(0x25, 0), p_u8(0x25, 0)],
            "twice",
            PROTOCOL,
        ),
        (
            "duplicate-session-expiry",
            vec![p_u32(0x11, 0), p_u32(0x11, 9)],
            "twice",
            PROTOCOL,
        ),
        (
            "duplicate-assigned-client-id",
            vec![p_str(0x12, b"a"), p_str(0x12, b"b")],
            "twice",
            PROTOCOL,
        ),
        (
            "topic-alias-not-allowed",
            vec![p_u16(0x23, 1)],
            "TopicAlias",
            MALFORMED,
        ),
        (
            "subscription-id-not-allowed",
            vec![vec![0x0B, 1]],
            "SubscriptionIdentifier",
            MALFORMED,
        ),
        (
            "will-delay-not-allowed",
            vec![p_u32(0x18, 1)],
            "WillDelayInterval",
            MALFORMED,
        ),
        (
            "payload-format-not-allowed",
            vec![p_u8(0x01, 1)],
            "PayloadFormatIndicator",
            MALFORMED,
        ),
        (
            "unknown-property-0x7f",
            vec![vec![0x7F, 0]],
            "0x7f",
            MALFORMED,
        ),
        (
            "unknown-property-0x00",
            vec![vec![0x00, 0]],
            "0x00",
            MALFORMED,
        ),
    ];
    for (what, properties, words, reason) in bad {
        c.push(Case::new(
            format!("connack-{what}-v5"),
            cat,
            v,
            vec![Step::Send(connack(v, 0, 0, &properties))],
            proto(words, reason),
        ));
    }
    c.push(Case::new(
        "connack-property-length-past-end-v5",
        cat,
        v,
        vec![Step::Send(packet(0x20, &[0, 0, 9, 0x24, 1]))],
        proto("property length", MALFORMED),
    ));
    c.push(Case::new(
        "connack-property-value-cut-v5",
        cat,
        v,
        vec![Step::Send(packet(0x20, &[0, 0, 3, 0x27, 0, 1]))],
        proto("CONNACK", MALFORMED),
    ));
    // The client sent an identifier; the server must not assign another (5.0 section
    // 3.2.2.3.7: it is sent only for a zero-length one).
    c.push(Case::new(
        "connack-assigned-client-id-when-one-was-sent-v5",
        cat,
        v,
        vec![Step::Send(connack(
            v,
            0,
            0,
            &[p_str(0x12, b"stolen-identity")],
        ))],
        proto("assigned", PROTOCOL),
    ));
    // Maximum Packet Size 1: legal, but nothing the client could send fits. A subscriber's
    // SUBSCRIBE is refused in words before it is sent.
    c.push(Case::new(
        "connack-maximum-packet-size-1-v5",
        cat,
        v,
        vec![Step::Send(connack(v, 0, 0, &[p_u32(0x27, 1)]))],
        // Reason 0: not even a DISCONNECT (2 bytes) may be sent to this server.
        proto("accepts at most 1", 0),
    ));
    // The server's Topic Alias Maximum bounds the aliases the client may use towards it, and
    // may be anything (65,535 here, when the client asked for none towards itself): legal,
    // the client carries on.
    c.push(Case::new(
        "connack-topic-alias-maximum-65535-v5",
        cat,
        v,
        vec![
            Step::Send(connack(v, 0, 0, &[p_u16(0x22, 65535)])),
            Step::Suback,
            Step::Send(temperature(v, "23.5")),
        ],
        Outcome::CarryOn {
            messages: vec!["23.5".into()],
        },
    ));
    // Receive maximum 1 with a publisher: legal, the exchange completes.
    c.push(
        Case::new(
            "connack-receive-maximum-1-publisher-v5",
            cat,
            v,
            vec![
                Step::Send(connack(v, 0, 0, &[p_u16(0x21, 1)])),
                Step::AwaitPublish,
                Step::AckLast(0x40),
            ],
            Outcome::CarryOn { messages: vec![] },
        )
        .client(Client::Pub { qos: 1 }),
    );
}

fn topic_aliases(c: &mut Vec<Case>) {
    let v = MqttVersion::V5;
    let cat = "topic alias";
    c.push(Case::new(
        "topic-alias-0-v5",
        cat,
        v,
        after_sub(
            v,
            vec![Step::Send(publish(
                v,
                0,
                None,
                TEMPERATURE,
                &[p_u16(0x23, 0)],
                b"1",
            ))],
        ),
        proto("TopicAlias", PROTOCOL),
    ));
    // The client allows no aliases (Topic Alias Maximum 0 in CONNECT): any alias is above it.
    for alias in [1u16, 2, 65535] {
        c.push(Case::new(
            format!("topic-alias-{alias}-above-maximum-v5"),
            cat,
            v,
            after_sub(
                v,
                vec![Step::Send(publish(
                    v,
                    0,
                    None,
                    TEMPERATURE,
                    &[p_u16(0x23, alias)],
                    b"1",
                ))],
            ),
            proto("topic alias", 0x94),
        ));
    }
    c.push(Case::new(
        "topic-alias-unknown-with-empty-topic-v5",
        cat,
        v,
        after_sub(
            v,
            vec![Step::Send(publish(
                v,
                0,
                None,
                b"",
                &[p_u16(0x23, 3)],
                b"1",
            ))],
        ),
        proto("topic alias", 0x94),
    ));
    c.push(Case::new(
        "topic-alias-twice-in-publish-v5",
        cat,
        v,
        after_sub(
            v,
            vec![Step::Send(publish(
                v,
                0,
                None,
                TEMPERATURE,
                &[p_u16(0x23, 1), p_u16(0x23, 1)],
                b"1",
            ))],
        ),
        proto("twice", PROTOCOL),
    ));
}

fn packet_id_zero(c: &mut Vec<Case>) {
    for v in BOTH {
        let n = vname(v);
        let list: [(&str, Vec<u8>); 8] = [
            (
                "publish-qos1",
                publish(v, 0b0010, Some(0), TEMPERATURE, &[], b"1"),
            ),
            (
                "publish-qos2",
                publish(v, 0b0100, Some(0), TEMPERATURE, &[], b"1"),
            ),
            ("puback", ack(0x40, 0)),
            ("pubrec", ack(0x50, 0)),
            ("pubrel", ack(0x62, 0)),
            ("pubcomp", ack(0x70, 0)),
            ("suback", suback(v, 0, &[0])),
            ("unsuback", unsuback(v, 0)),
        ];
        for (name, bytes) in list {
            c.push(Case::new(
                format!("packet-id-0-{name}-v{n}"),
                "packet id 0",
                v,
                after_sub(v, vec![Step::Send(bytes)]),
                proto("non-zero packet identifier", PROTOCOL),
            ));
        }
    }
}

/// A stray acknowledgement, and the answer the client must send to it, if any.
type StrayAck = (&'static str, Vec<u8>, Option<Vec<u8>>);

fn stray_acks(c: &mut Vec<Case>) {
    for v in BOTH {
        let n = vname(v);
        let cat = "stray acks";
        let pubrel_answer = if v5(v) {
            vec![0x62, 3, 0x30, 0x39, 0x92]
        } else {
            vec![0x62, 2, 0x30, 0x39]
        };
        let pubcomp_answer = if v5(v) {
            vec![0x70, 3, 0x30, 0x39, 0x92]
        } else {
            vec![0x70, 2, 0x30, 0x39]
        };
        let list: [StrayAck; 6] = [
            ("puback", ack(0x40, 12345), None),
            ("pubrec", ack(0x50, 12345), Some(pubrel_answer)),
            ("pubcomp", ack(0x70, 12345), None),
            ("suback", suback(v, 12345, &[0]), None),
            ("unsuback", unsuback(v, 12345), None),
            ("pubrel", ack(0x62, 12345), Some(pubcomp_answer)),
        ];
        for (name, bytes, answer) in list {
            let mut case = Case::new(
                format!("stray-{name}-v{n}"),
                cat,
                v,
                after_sub(
                    v,
                    vec![Step::Send(bytes), Step::Send(temperature(v, "24.5"))],
                ),
                Outcome::CarryOn {
                    messages: vec!["24.5".into()],
                },
            );
            if let Some(a) = answer {
                case = case.expects(a);
            }
            c.push(case);
        }
        // A publisher: a stray acknowledgement under another identifier arrives first; its
        // own exchange still completes.
        let pub1 = vec![
            Step::AwaitPublish,
            Step::Send(ack(0x40, 4242)),
            Step::AckLast(0x40),
        ];
        let pub2 = |stray: Vec<u8>| {
            vec![
                Step::AwaitPublish,
                Step::Send(stray),
                Step::AckLast(0x50),
                Step::Await(6),
                Step::AckLast(0x70),
            ]
        };
        let publishers: [(&str, u8, Vec<Step>); 4] = [
            ("puback-while-publishing-qos1", 1, pub1),
            ("pubrec-while-publishing-qos2", 2, pub2(ack(0x50, 4242))),
            ("pubcomp-while-publishing-qos2", 2, pub2(ack(0x70, 4242))),
            ("puback-while-publishing-qos2", 2, pub2(ack(0x40, 4242))),
        ];
        for (name, qos, steps) in publishers {
            let mut script = vec![Step::Send(connack_ok(v))];
            script.extend(steps);
            c.push(
                Case::new(
                    format!("stray-{name}-v{n}"),
                    cat,
                    v,
                    script,
                    Outcome::CarryOn { messages: vec![] },
                )
                .client(Client::Pub { qos }),
            );
        }
        // Acknowledgements of the wrong kind for an identifier that is in flight are not
        // stray: they break the exchange (5.0 section 4.3).
        c.push(
            Case::new(
                format!("wrong-ack-puback-for-qos2-v{n}"),
                cat,
                v,
                vec![
                    Step::Send(connack_ok(v)),
                    Step::AwaitPublish,
                    Step::AckLast(0x40),
                ],
                proto("does not fit", PROTOCOL),
            )
            .client(Client::Pub { qos: 2 }),
        );
        c.push(
            Case::new(
                format!("wrong-ack-pubcomp-before-pubrec-v{n}"),
                cat,
                v,
                vec![
                    Step::Send(connack_ok(v)),
                    Step::AwaitPublish,
                    Step::AckLast(0x70),
                ],
                proto("does not fit", PROTOCOL),
            )
            .client(Client::Pub { qos: 2 }),
        );
        c.push(
            Case::new(
                format!("wrong-ack-pubrec-for-qos1-v{n}"),
                cat,
                v,
                vec![
                    Step::Send(connack_ok(v)),
                    Step::AwaitPublish,
                    Step::AckLast(0x50),
                ],
                proto("does not fit", PROTOCOL),
            )
            .client(Client::Pub { qos: 1 }),
        );
    }
}

fn qos2_duplicates(c: &mut Vec<Case>) {
    for v in BOTH {
        let n = vname(v);
        let cat = "QoS 2 duplicates";
        let first = publish(v, 0b0100, Some(77), TEMPERATURE, &[], b"25.5");
        let resend = publish(v, 0b1100, Some(77), TEMPERATURE, &[], b"25.5");
        c.push(Case::new(
            format!("qos2-resent-with-dup-delivered-once-v{n}"),
            cat,
            v,
            after_sub(
                v,
                vec![
                    Step::Send(first.clone()),
                    Step::Send(resend.clone()),
                    Step::Send(resend.clone()),
                    Step::Send(ack(0x62, 77)),
                    Step::Send(temperature(v, "26.5")),
                ],
            ),
            Outcome::CarryOn {
                messages: vec!["25.5".into(), "26.5".into()],
            },
        ));
        c.push(Case::new(
            format!("qos2-resent-without-dup-delivered-once-v{n}"),
            cat,
            v,
            after_sub(
                v,
                vec![
                    Step::Send(first.clone()),
                    Step::Send(first.clone()),
                    Step::Send(ack(0x62, 77)),
                    Step::Send(temperature(v, "26.5")),
                ],
            ),
            Outcome::CarryOn {
                messages: vec!["25.5".into(), "26.5".into()],
            },
        ));
        // After PUBREL the identifier is free: the same bytes are a new message.
        c.push(Case::new(
            format!("qos2-identifier-reused-after-pubrel-v{n}"),
            cat,
            v,
            after_sub(
                v,
                vec![
                    Step::Send(first.clone()),
                    Step::Send(ack(0x62, 77)),
                    Step::Send(first.clone()),
                    Step::Send(ack(0x62, 77)),
                ],
            ),
            Outcome::CarryOn {
                messages: vec!["25.5".into(), "25.5".into()],
            },
        ));
    }
}

fn framing(c: &mut Vec<Case>) {
    for v in BOTH {
        let n = vname(v);
        let cat = "framing";
        c.push(
            Case::new(
                format!("ws-text-frame-v{n}"),
                cat,
                v,
                after_sub(v, vec![Step::Text("tablero/demo/temperature 27.5".into())]),
                Outcome::TextFrame,
            )
            .ws_only(),
        );
        c.push(
            Case::new(
                format!("ws-text-frame-before-connack-v{n}"),
                cat,
                v,
                vec![Step::Text("hello".into())],
                Outcome::TextFrame,
            )
            .ws_only(),
        );
        c.push(
            Case::new(
                format!("ws-close-frame-mid-packet-v{n}"),
                cat,
                v,
                after_sub(
                    v,
                    vec![Step::Send(temperature(v, "1")[..5].to_vec()), Step::Close],
                ),
                Outcome::Closed,
            )
            .ws_only(),
        );
        // CONNACK, SUBACK-free publish: split one byte per write or frame.
        c.push(Case::new(
            format!("byte-split-connack-and-publish-v{n}"),
            cat,
            v,
            vec![
                Step::Bytewise(connack_ok(v)),
                Step::Suback,
                Step::Bytewise(publish(v, 0b0010, Some(5), TEMPERATURE, &[], b"28.5")),
            ],
            Outcome::CarryOn {
                messages: vec!["28.5".into()],
            },
        ));
        // A multi-byte remaining length cut between its bytes.
        let long = "x".repeat(300);
        c.push(Case::new(
            format!("byte-split-long-publish-v{n}"),
            cat,
            v,
            after_sub(
                v,
                vec![Step::Bytewise(publish(
                    v,
                    0,
                    None,
                    TEMPERATURE,
                    &[],
                    long.as_bytes(),
                ))],
            ),
            Outcome::CarryOn {
                messages: vec![long.clone()],
            },
        ));
        let many: Vec<u8> = (1..=1000)
            .flat_map(|i| temperature(v, &format!("{i}")))
            .collect();
        c.push(Case::new(
            format!("thousand-publishes-in-one-frame-v{n}"),
            cat,
            v,
            after_sub(v, vec![Step::Send(many)]),
            Outcome::CarryOn {
                messages: (1..=1000).map(|i| i.to_string()).collect(),
            },
        ));
        // CONNACK and a PUBLISH in one frame with the SUBACK: nothing is lost to packing.
        c.push(Case::new(
            format!("connack-suback-publish-packed-v{n}"),
            cat,
            v,
            vec![
                Step::Send(connack_ok(v)),
                Step::Suback,
                Step::Send([temperature(v, "29.5"), temperature(v, "30.5")].concat()),
            ],
            Outcome::CarryOn {
                messages: vec!["29.5".into(), "30.5".into()],
            },
        ));
    }
}

fn silence(c: &mut Vec<Case>) {
    for v in BOTH {
        let n = vname(v);
        c.push(Case::new(
            format!("never-connack-v{n}"),
            "silence",
            v,
            vec![],
            Outcome::ConnectTimeout,
        ));
        c.push(
            Case::new(
                format!("never-pingresp-v{n}"),
                "silence",
                v,
                after_sub(v, vec![Step::Await(0xC)]),
                Outcome::KeepAlive,
            )
            .keep_alive(1)
            .no_pings(),
        );
    }
}

fn disconnects(c: &mut Vec<Case>) {
    let v = MqttVersion::V5;
    // Every code table 2-6 allows a server in DISCONNECT.
    for code in [
        0x00u8, 0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8B, 0x8D, 0x8E, 0x8F, 0x90, 0x93, 0x94, 0x95,
        0x96, 0x97, 0x98, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9E, 0x9F, 0xA0, 0xA1, 0xA2,
    ] {
        let mut properties = vec![p_str(0x1F, b"hostile goodbye")];
        if matches!(code, 0x9C | 0x9D) {
            properties.push(p_str(0x1C, b"elsewhere:1883"));
        }
        c.push(Case::new(
            format!("disconnect-0x{code:02x}-v5"),
            "DISCONNECT reasons",
            v,
            after_sub(v, vec![Step::Send(disconnect_v5(code, &properties))]),
            Outcome::ServerDisconnect { code },
        ));
    }
    c.push(Case::new(
        "disconnect-instead-of-connack-v5",
        "DISCONNECT reasons",
        v,
        vec![Step::Send(disconnect_v5(0x89, &[]))],
        Outcome::ServerDisconnect { code: 0x89 },
    ));
    c.push(Case::new(
        "disconnect-short-form-v5",
        "DISCONNECT reasons",
        v,
        after_sub(v, vec![Step::Send(vec![0xE0, 0x00])]),
        Outcome::ServerDisconnect { code: 0x00 },
    ));
    // 0x04 (Disconnect with Will Message) is a client's code (5.0 section 3.14.2.1); from a
    // server it still ends the connection, reported as what it says.
    c.push(Case::new(
        "disconnect-0x04-clients-code-from-server-v5",
        "DISCONNECT reasons",
        v,
        after_sub(v, vec![Step::Send(disconnect_v5(0x04, &[]))]),
        Outcome::ServerDisconnect { code: 0x04 },
    ));
    for code in [0x01u8, 0x84, 0x91] {
        c.push(Case::new(
            format!("disconnect-code-0x{code:02x}-not-for-servers-v5"),
            "DISCONNECT reasons",
            v,
            after_sub(v, vec![Step::Send(disconnect_v5(code, &[]))]),
            proto("reason code", MALFORMED),
        ));
    }
}

// ---------------------------------------------------------------------------------------
// The broker
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wire {
    Tcp,
    Ws,
}

/// What happened on one connection.
#[derive(Debug, Clone, Default)]
pub struct Served {
    pub case: String,
    /// The client's CONNECT: protocol level and client identifier.
    pub level: u8,
    pub client_id: String,
    /// Every packet the client sent after CONNECT, whole (first byte first).
    pub packets: Vec<Vec<u8>>,
    /// The script ran to its end.
    pub script_done: bool,
    /// The connection is over (the client closed it, or the hold time passed).
    pub finished: bool,
    /// Bytes of the case sent (a [`Step::Stream`] counts what the socket took).
    pub sent: usize,
    /// Why the broker gave up on the script, if it did (a client packet never came).
    pub problem: Option<String>,
}

struct Shared {
    case: Mutex<Option<Case>>,
    /// Sent after a script that ran to its end (the browser suite's marker message).
    epilogue: Mutex<Option<Vec<u8>>>,
    /// Bumped by [`FakeBroker::kick`]: connections from before it close.
    generation: AtomicU64,
    served: Mutex<Vec<Served>>,
    stop: AtomicBool,
}

/// The hostile broker: one listener, one thread per connection, each connection playing the
/// case current when it arrived.
pub struct FakeBroker {
    pub port: u16,
    pub wire: Wire,
    shared: Arc<Shared>,
    accept: Option<JoinHandle<()>>,
}

impl FakeBroker {
    pub fn start(wire: Wire, case: Option<Case>) -> Self {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind a loopback port");
        let port = listener.local_addr().expect("local addr").port();
        let shared = Arc::new(Shared {
            case: Mutex::new(case),
            epilogue: Mutex::new(None),
            generation: AtomicU64::new(0),
            served: Mutex::new(Vec::new()),
            stop: AtomicBool::new(false),
        });
        let s = shared.clone();
        let accept = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if s.stop.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let Some(case) = s.case.lock().unwrap().clone() else {
                    drop(stream);
                    continue;
                };
                let s = s.clone();
                std::thread::spawn(move || serve(stream, wire, case, &s));
            }
        });
        Self {
            port,
            wire,
            shared,
            accept: Some(accept),
        }
    }

    /// The case the next connections get (`None`: they are closed at once).
    pub fn set_case(&self, case: Option<Case>) {
        *self.shared.case.lock().unwrap() = case;
    }

    /// Bytes sent on every later connection whose script ran to its end, right after it.
    pub fn set_epilogue(&self, bytes: Option<Vec<u8>>) {
        *self.shared.epilogue.lock().unwrap() = bytes;
    }

    /// Closes every connection open now (after its script), as a broker going away would.
    pub fn kick(&self) {
        self.shared.generation.fetch_add(1, Ordering::SeqCst);
    }

    /// Every connection so far, in the order they arrived.
    pub fn served(&self) -> Vec<Served> {
        self.shared.served.lock().unwrap().clone()
    }

    pub fn ws_url(&self) -> String {
        format!("ws://127.0.0.1:{}/mqtt", self.port)
    }
}

impl Drop for FakeBroker {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect((Ipv4Addr::LOCALHOST, self.port));
        if let Some(t) = self.accept.take() {
            let _ = t.join();
        }
    }
}

enum Conn {
    Tcp(TcpStream),
    Ws(Box<WebSocket<TcpStream>>),
}

enum Recv {
    Data(Vec<u8>),
    Nothing,
    Closed,
}

impl Conn {
    fn send(&mut self, bytes: &[u8]) -> bool {
        match self {
            Conn::Tcp(s) => s.write_all(bytes).is_ok(),
            Conn::Ws(ws) => ws.send(Message::Binary(bytes.to_vec().into())).is_ok(),
        }
    }

    fn send_text(&mut self, text: &str) -> bool {
        match self {
            Conn::Tcp(s) => s.write_all(text.as_bytes()).is_ok(),
            Conn::Ws(ws) => ws.send(Message::Text(text.into())).is_ok(),
        }
    }

    fn close(&mut self) {
        match self {
            Conn::Tcp(s) => {
                let _ = s.shutdown(Shutdown::Write);
            }
            Conn::Ws(ws) => {
                let _ = ws.close(None);
                let _ = ws.flush();
            }
        }
    }

    fn stream(&self) -> &TcpStream {
        match self {
            Conn::Tcp(s) => s,
            Conn::Ws(ws) => ws.get_ref(),
        }
    }

    /// Up to 100 ms of waiting for client bytes.
    fn recv(&mut self) -> Recv {
        let _ = self
            .stream()
            .set_read_timeout(Some(Duration::from_millis(100)));
        match self {
            Conn::Tcp(s) => {
                let mut buf = [0u8; 16384];
                match s.read(&mut buf) {
                    Ok(0) => Recv::Closed,
                    Ok(n) => Recv::Data(buf[..n].to_vec()),
                    Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                        Recv::Nothing
                    }
                    Err(_) => Recv::Closed,
                }
            }
            Conn::Ws(ws) => match ws.read() {
                Ok(Message::Binary(b)) => Recv::Data(b.to_vec()),
                Ok(Message::Close(_)) => Recv::Closed,
                Ok(_) => Recv::Nothing,
                Err(tungstenite::Error::Io(e))
                    if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) =>
                {
                    Recv::Nothing
                }
                Err(_) => Recv::Closed,
            },
        }
    }
}

/// Client bytes in, whole packets out.
struct Inbox {
    buf: Vec<u8>,
    closed: bool,
}

impl Inbox {
    fn next_packet(&mut self) -> Option<Vec<u8>> {
        let mut len = 0usize;
        let mut i = 1;
        loop {
            let b = *self.buf.get(i)?;
            len |= usize::from(b & 0x7F) << (7 * (i - 1));
            i += 1;
            if b & 0x80 == 0 {
                break;
            }
            if i > 4 {
                return None;
            }
        }
        if self.buf.len() < i + len {
            return None;
        }
        Some(self.buf.drain(..i + len).collect())
    }

    /// The next packet, waiting until `deadline`; answers PINGREQ if asked to.
    fn wait(
        &mut self,
        conn: &mut Conn,
        deadline: Instant,
        record: &mut dyn FnMut(&[u8]),
    ) -> Option<Vec<u8>> {
        loop {
            if let Some(p) = self.next_packet() {
                record(&p);
                return Some(p);
            }
            if self.closed || Instant::now() >= deadline {
                return None;
            }
            match conn.recv() {
                Recv::Data(d) => self.buf.extend(d),
                Recv::Nothing => {}
                Recv::Closed => self.closed = true,
            }
        }
    }
}

fn serve(stream: TcpStream, wire: Wire, case: Case, shared: &Shared) {
    let _ = stream.set_nodelay(true);
    let generation = shared.generation.load(Ordering::SeqCst);
    let index = {
        let mut served = shared.served.lock().unwrap();
        served.push(Served {
            case: case.name.clone(),
            ..Served::default()
        });
        served.len() - 1
    };
    let update = |f: &mut dyn FnMut(&mut Served)| {
        let mut served = shared.served.lock().unwrap();
        f(&mut served[index]);
    };
    let mut conn = match wire {
        Wire::Tcp => Conn::Tcp(stream),
        Wire::Ws => {
            let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
            match tungstenite::accept_hdr(stream, offer_mqtt) {
                Ok(ws) => Conn::Ws(Box::new(ws)),
                Err(e) => {
                    update(&mut |s| {
                        s.problem = Some(format!("WebSocket handshake failed: {e}"));
                        s.finished = true;
                    });
                    return;
                }
            }
        }
    };
    let mut inbox = Inbox {
        buf: Vec::new(),
        closed: false,
    };
    let mut record = |p: &[u8]| {
        let p = p.to_vec();
        update(&mut |s| s.packets.push(p.clone()));
    };
    let hold_until = Instant::now() + HOLD;
    // CONNECT first; it is not recorded with the others.
    let Some(connect) = inbox.wait(&mut conn, hold_until, &mut |_| {}) else {
        update(&mut |s| {
            s.problem = Some("no CONNECT".into());
            s.finished = true;
        });
        return;
    };
    let (level, client_id) = parse_connect(&connect);
    update(&mut |s| {
        s.level = level;
        s.client_id = client_id.clone();
    });
    let v5 = level == 5;
    let mut last_pid = [0u8; 2];
    let mut sent = 0usize;
    let mut ok = true;
    for step in &case.script {
        match step {
            Step::Send(b) => {
                ok = conn.send(b);
                sent += b.len();
            }
            Step::Bytewise(b) => {
                for byte in b {
                    ok = conn.send(&[*byte]);
                    if !ok {
                        break;
                    }
                    sent += 1;
                    // Separate segments, not one coalesced write.
                    std::thread::sleep(Duration::from_millis(2));
                }
            }
            Step::Text(t) => ok = conn.send_text(t),
            Step::Await(kind) => loop {
                match inbox.wait(&mut conn, hold_until, &mut record) {
                    Some(p) if p[0] >> 4 == *kind => break,
                    Some(_) => {}
                    None => {
                        ok = false;
                        update(&mut |s| s.problem = Some(format!("no packet of type {kind}")));
                        break;
                    }
                }
            },
            Step::Suback => loop {
                match inbox.wait(&mut conn, hold_until, &mut record) {
                    Some(p) if p[0] >> 4 == 8 => {
                        let (pid, qos) = parse_subscribe(&p, v5);
                        let mut body = pid.to_vec();
                        if v5 {
                            body.push(0);
                        }
                        body.extend(qos);
                        ok = conn.send(&packet(0x90, &body));
                        break;
                    }
                    Some(_) => {}
                    None => {
                        ok = false;
                        update(&mut |s| s.problem = Some("no SUBSCRIBE".into()));
                        break;
                    }
                }
            },
            Step::AwaitPublish => loop {
                match inbox.wait(&mut conn, hold_until, &mut record) {
                    Some(p) if p[0] >> 4 == 3 => {
                        last_pid = publish_pid(&p);
                        break;
                    }
                    Some(_) => {}
                    None => {
                        ok = false;
                        update(&mut |s| s.problem = Some("no PUBLISH".into()));
                        break;
                    }
                }
            },
            Step::AckLast(first) => ok = conn.send(&packet(*first, &last_pid)),
            Step::Pause(ms) => std::thread::sleep(Duration::from_millis(*ms)),
            Step::Close => conn.close(),
            Step::Stream { header, total } => {
                ok = conn.send(header);
                let chunk = vec![0u8; 64 * 1024];
                let _ = conn
                    .stream()
                    .set_write_timeout(Some(Duration::from_secs(5)));
                while ok && sent < *total {
                    ok = conn.send(&chunk);
                    if ok {
                        sent += chunk.len();
                    }
                }
            }
        }
        if !ok {
            break;
        }
    }
    if ok && let Some(bytes) = shared.epilogue.lock().unwrap().clone() {
        ok = conn.send(&bytes);
    }
    update(&mut |s| {
        s.script_done = ok;
        s.sent = sent;
    });
    // Hold: read what the client still sends until it goes (or the broker is kicked).
    while !inbox.closed
        && Instant::now() < hold_until
        && shared.generation.load(Ordering::SeqCst) == generation
    {
        let slice = Instant::now() + Duration::from_millis(100);
        if let Some(p) = inbox.wait(&mut conn, slice, &mut record)
            && p[0] == 0xC0
            && case.answer_pings
        {
            let _ = conn.send(&[0xD0, 0]);
        }
    }
    conn.close();
    update(&mut |s| s.finished = true);
}

/// Answers the WebSocket upgrade with the `mqtt` subprotocol when the client asks for it (a
/// browser drops a connection whose server does not echo the subprotocol it asked for).
// The signature is tungstenite's callback's; its error type is an HTTP response.
#[allow(clippy::result_large_err)]
pub fn offer_mqtt(req: &Request, mut resp: Response) -> Result<Response, ErrorResponse> {
    let asked = req
        .headers()
        .get("Sec-WebSocket-Protocol")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|p| p.trim() == "mqtt"));
    if asked {
        resp.headers_mut()
            .insert("Sec-WebSocket-Protocol", "mqtt".parse().unwrap());
    }
    Ok(resp)
}

fn parse_connect(p: &[u8]) -> (u8, String) {
    // Fixed header, then protocol name (2 + n), level, flags, keepalive, [properties], id.
    let mut i = 1;
    while p.get(i).is_some_and(|b| b & 0x80 != 0) {
        i += 1;
    }
    i += 1;
    let name_len = usize::from(u16::from_be_bytes([p[i], p[i + 1]]));
    i += 2 + name_len;
    let level = p[i];
    i += 4;
    if level == 5 {
        let (len, n) = read_varint(&p[i..]);
        i += n + len;
    }
    let id_len = usize::from(u16::from_be_bytes([p[i], p[i + 1]]));
    let id = String::from_utf8_lossy(&p[i + 2..i + 2 + id_len]).into_owned();
    (level, id)
}

fn read_varint(b: &[u8]) -> (usize, usize) {
    let mut v = 0usize;
    for (i, byte) in b.iter().enumerate().take(4) {
        v |= usize::from(byte & 0x7F) << (7 * i);
        if byte & 0x80 == 0 {
            return (v, i + 1);
        }
    }
    (v, 4)
}

fn body_start(p: &[u8]) -> usize {
    let mut i = 1;
    while p[i] & 0x80 != 0 {
        i += 1;
    }
    i + 1
}

/// The SUBSCRIBE's identifier and, per filter, the QoS it asked for.
fn parse_subscribe(p: &[u8], v5: bool) -> ([u8; 2], Vec<u8>) {
    let mut i = body_start(p);
    let pid = [p[i], p[i + 1]];
    i += 2;
    if v5 {
        let (len, n) = read_varint(&p[i..]);
        i += n + len;
    }
    let mut qos = Vec::new();
    while i + 2 <= p.len() {
        let len = usize::from(u16::from_be_bytes([p[i], p[i + 1]]));
        i += 2 + len;
        qos.push(p.get(i).map_or(0, |o| o & 0b11));
        i += 1;
    }
    (pid, qos)
}

fn publish_pid(p: &[u8]) -> [u8; 2] {
    let i = body_start(p);
    let topic_len = usize::from(u16::from_be_bytes([p[i], p[i + 1]]));
    let at = i + 2 + topic_len;
    [p[at], p[at + 1]]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_large_named_once_and_covers_every_category() {
        let all = cases();
        assert!(all.len() >= 150, "{} cases", all.len());
        let mut names: Vec<&str> = all.iter().map(|c| c.name.as_str()).collect();
        names.sort_unstable();
        let before = names.len();
        names.dedup();
        assert_eq!(names.len(), before, "case names must be unique");
        for cat in [
            "remaining length",
            "truncated packet",
            "UTF-8 and U+0000",
            "wildcards in a PUBLISH topic",
            "QoS 3",
            "reserved flags",
            "packets a server must not send",
            "CONNACK twice",
            "CONNACK refusal",
            "CONNACK properties",
            "topic alias",
            "packet id 0",
            "stray acks",
            "QoS 2 duplicates",
            "framing",
            "silence",
            "DISCONNECT reasons",
        ] {
            assert!(all.iter().any(|c| c.category == cat), "no case for {cat}");
        }
    }

    #[test]
    fn varints_are_minimal() {
        assert_eq!(varint(0), [0]);
        assert_eq!(varint(127), [0x7F]);
        assert_eq!(varint(128), [0x80, 0x01]);
        assert_eq!(varint(268_435_455), [0xFF, 0xFF, 0xFF, 0x7F]);
    }
}
