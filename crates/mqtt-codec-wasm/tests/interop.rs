//! Interop against a real mosquitto over native TCP.
//!
//! A codec can agree with itself and still be wrong; these tests make it talk to the broker
//! the app will meet, in every protocol version, through every flow the app uses. Each
//! packet mosquitto sends is kept as its raw bytes and must decode (streaming and one-shot
//! alike) and re-encode to exactly those bytes, so a field the model drops or a flag it
//! reorders fails here even where the broker would not notice.

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::time::{Duration, Instant};

use mqtt_codec_wasm::{
    BytesMut, ConnAck, Connect, Disconnect, Packet, Pid, Properties, Property, ProtocolVersion,
    Publish, PublishAck, QoS, QosPid, ReasonCode, RetainHandling, StreamDecoder, SubAck, Subscribe,
    SubscribeFilter, SubscriptionOptions, UnsubAck, Unsubscribe, Will, decode_slice, encode,
    encoded_len,
};
use testkit::mosquitto::require_program;
use testkit::{Mosquitto, MosquittoOptions};

use ProtocolVersion::{V3_1, V3_1_1, V5};

/// Longest wait for one packet; generous because CI machines are shared.
const RECV_TIMEOUT: Duration = Duration::from_secs(5);
/// How long "the broker sends nothing" is watched for.
const QUIET: Duration = Duration::from_millis(300);
/// What the tests allow the broker to send: well above the largest payload used here.
const MAX_PACKET: u32 = 1 << 20;

// ---------------------------------------------------------------------------------------
// Small constructors, so that expected packets read like the spec.

fn pid(n: u16) -> Pid {
    Pid::new(n).expect("non-zero packet identifier")
}

fn rc(code: u8) -> ReasonCode {
    ReasonCode::from_u8(code).unwrap_or_else(|| panic!("reason code {code:#04x} is known"))
}

const SUCCESS: u8 = 0x00;
const GRANTED_QOS1: u8 = 0x01;
const GRANTED_QOS2: u8 = 0x02;
const NO_MATCHING_SUBSCRIBERS: u8 = 0x10;
const NO_SUBSCRIPTION_EXISTED: u8 = 0x11;
const CLIENT_ID_NOT_VALID: u8 = 0x85;
const MALFORMED_PACKET: u8 = 0x81;
const TOPIC_ALIAS_INVALID: u8 = 0x94;
const DISCONNECT_WITH_WILL: u8 = 0x04;

fn props(list: Vec<Property>) -> Properties {
    Properties(list)
}

fn none() -> Properties {
    Properties::default()
}

fn connect(version: ProtocolVersion, client_id: &str) -> Connect {
    Connect {
        version,
        client_id: client_id.into(),
        clean_start: true,
        keep_alive: 60,
        username: None,
        password: None,
        will: None,
        properties: none(),
    }
}

fn publish(topic: &str, payload: &[u8], qos_pid: QosPid, retain: bool) -> Publish {
    Publish {
        dup: false,
        qos_pid,
        retain,
        topic: topic.into(),
        payload: payload.to_vec().into(),
        properties: none(),
    }
}

fn ack(pid: Pid) -> PublishAck {
    PublishAck {
        pid,
        reason: rc(SUCCESS),
        properties: none(),
    }
}

fn subscribe(pid: Pid, filters: &[(&str, QoS)]) -> Subscribe {
    Subscribe {
        pid,
        filters: filters
            .iter()
            .map(|&(f, q)| SubscribeFilter {
                filter: f.into(),
                options: SubscriptionOptions::qos(q),
            })
            .collect(),
        properties: none(),
    }
}

fn disconnect() -> Packet {
    Packet::Disconnect(Disconnect {
        reason: rc(SUCCESS),
        properties: none(),
    })
}

/// Length of the first whole packet in `buf` from its fixed header, independently of the
/// codec, so the raw bytes of each received packet can be cut out of the stream.
fn frame_len(buf: &[u8]) -> Option<usize> {
    let mut value = 0usize;
    for i in 0..4 {
        let byte = *buf.get(1 + i)?;
        value |= usize::from(byte & 0x7F) << (7 * i);
        if byte & 0x80 == 0 {
            let total = 1 + i + 1 + value;
            return (buf.len() >= total).then_some(total);
        }
    }
    panic!("remaining length longer than 4 bytes: {:02x?}", &buf[..5]);
}

/// What a broker packet must satisfy beyond decoding: the one-shot decoder agrees with the
/// streaming one and re-encoding gives back the very bytes the broker sent.
fn assert_round_trip(packet: &Packet, raw: &[u8], version: ProtocolVersion) {
    let (again, used) = decode_slice(raw, version)
        .unwrap_or_else(|e| panic!("decode_slice failed ({e}) on {raw:02x?}"))
        .unwrap_or_else(|| panic!("decode_slice wants more bytes than {raw:02x?}"));
    assert_eq!(used, raw.len(), "decode_slice length of {raw:02x?}");
    assert_eq!(
        &again, packet,
        "decode_slice vs StreamDecoder on {raw:02x?}"
    );
    let mut out = BytesMut::new();
    let written = encode(packet, version, &mut out)
        .unwrap_or_else(|e| panic!("re-encoding {packet:?} failed: {e}"));
    assert_eq!(&out[..], raw, "re-encoding {packet:?}");
    assert_eq!(written, raw.len());
    assert_eq!(
        encoded_len(packet, version).expect("encoded_len"),
        raw.len()
    );
}

// ---------------------------------------------------------------------------------------
// A bare MQTT client: the codec plus a socket, nothing else, so every byte is the test's.

struct Client {
    stream: TcpStream,
    version: ProtocolVersion,
    decoder: StreamDecoder,
    /// Received bytes not yet attributed to a decoded packet.
    pending: Vec<u8>,
    name: String,
}

impl Client {
    fn open(broker: &Mosquitto, version: ProtocolVersion, name: &str) -> Self {
        let stream = TcpStream::connect(("127.0.0.1", broker.tcp_port))
            .unwrap_or_else(|e| panic!("connect to mosquitto: {e}\n{}", broker.log()));
        stream.set_nodelay(true).unwrap();
        Self {
            stream,
            version,
            decoder: StreamDecoder::new(version, MAX_PACKET),
            pending: Vec::new(),
            name: name.into(),
        }
    }

    /// Opens a connection, sends `connect` and returns the CONNACK.
    fn connect_with(broker: &Mosquitto, connect: Connect) -> (Self, ConnAck) {
        let name = connect.client_id.clone();
        let mut client = Self::open(broker, connect.version, &name);
        client.send(Packet::Connect(connect));
        match client.recv() {
            Packet::ConnAck(ack) => (client, ack),
            other => panic!("expected CONNACK, got {other:?}"),
        }
    }

    /// A clean-session client that was accepted.
    fn connected(broker: &Mosquitto, version: ProtocolVersion, client_id: &str) -> Self {
        let (client, connack) = Self::connect_with(broker, connect(version, client_id));
        assert_eq!(connack.reason, rc(SUCCESS), "CONNACK for {client_id}");
        assert!(!connack.session_present);
        client
    }

    fn send(&mut self, packet: Packet) {
        let mut buf = BytesMut::new();
        let n = encode(&packet, self.version, &mut buf)
            .unwrap_or_else(|e| panic!("encode {packet:?}: {e}"));
        assert_eq!(n, buf.len());
        assert_eq!(encoded_len(&packet, self.version).expect("encoded_len"), n);
        self.stream.write_all(&buf).expect("write to mosquitto");
    }

    /// The next packet, or `None` if none arrives within `timeout`. Panics on EOF.
    fn recv_within(&mut self, timeout: Duration) -> Option<Packet> {
        let deadline = Instant::now() + timeout;
        let mut chunk = [0u8; 4096];
        loop {
            if let Some(packet) = self.decoder.next_packet().expect("decode broker packet") {
                let len = frame_len(&self.pending)
                    .expect("decoder produced a packet before all its bytes arrived");
                let raw: Vec<u8> = self.pending.drain(..len).collect();
                assert_round_trip(&packet, &raw, self.version);
                return Some(packet);
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return None;
            }
            self.stream.set_read_timeout(Some(left)).unwrap();
            match self.stream.read(&mut chunk) {
                Ok(0) => panic!("{}: mosquitto closed the connection", self.name),
                Ok(n) => {
                    self.decoder.push(&chunk[..n]).expect("push");
                    self.pending.extend_from_slice(&chunk[..n]);
                }
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                    return None;
                }
                Err(e) => panic!("{}: read: {e}", self.name),
            }
        }
    }

    fn recv(&mut self) -> Packet {
        let name = self.name.clone();
        self.recv_within(RECV_TIMEOUT)
            .unwrap_or_else(|| panic!("{name}: no packet from mosquitto within {RECV_TIMEOUT:?}"))
    }

    fn recv_publish(&mut self) -> Publish {
        match self.recv() {
            Packet::Publish(p) => p,
            other => panic!("{}: expected PUBLISH, got {other:?}", self.name),
        }
    }

    /// `n` packets, for flows in which the broker's order is not specified.
    fn recv_n(&mut self, n: usize) -> Vec<Packet> {
        (0..n).map(|_| self.recv()).collect()
    }

    fn assert_quiet(&mut self) {
        if let Some(p) = self.recv_within(QUIET) {
            panic!("{}: expected nothing from mosquitto, got {p:?}", self.name);
        }
    }

    /// The broker closes the connection (after a DISCONNECT, a takeover, ...).
    fn assert_closed(&mut self) {
        self.stream.set_read_timeout(Some(RECV_TIMEOUT)).unwrap();
        let mut byte = [0u8; 1];
        match self.stream.read(&mut byte) {
            Ok(0) => {}
            Err(e) if e.kind() == ErrorKind::ConnectionReset => {}
            other => panic!("{}: expected EOF, got {other:?}", self.name),
        }
        assert!(
            self.pending.is_empty(),
            "{}: trailing bytes {:02x?}",
            self.name,
            self.pending
        );
    }

    fn subscribe_ok(&mut self, pid_: u16, filters: &[(&str, QoS)]) {
        self.send(Packet::Subscribe(subscribe(pid(pid_), filters)));
        let reasons = filters.iter().map(|&(_, q)| rc(q as u8)).collect();
        assert_eq!(
            self.recv(),
            Packet::SubAck(SubAck {
                pid: pid(pid_),
                reasons,
                properties: none()
            })
        );
    }
}

/// Splits packets into the one PUBLISH and the rest, for flows where the broker may send a
/// delivery and an acknowledgement in either order.
fn split_publish(packets: Vec<Packet>) -> (Publish, Vec<Packet>) {
    let (publishes, rest): (Vec<_>, Vec<_>) = packets
        .into_iter()
        .partition(|p| matches!(p, Packet::Publish(_)));
    let [Packet::Publish(p)] = <[Packet; 1]>::try_from(publishes)
        .unwrap_or_else(|v| panic!("expected one PUBLISH among {v:?}"))
    else {
        unreachable!()
    };
    (p, rest)
}

fn broker() -> Mosquitto {
    Mosquitto::start_with(MosquittoOptions {
        websockets: false,
        ..Default::default()
    })
}

/// The CONNACK mosquitto 2.0.11 sends a 5.0 client by default: its topic alias limit and
/// its receive maximum (`max_inflight_messages`, 20 by default).
fn default_connack_v5() -> Properties {
    props(vec![
        Property::TopicAliasMaximum(10),
        Property::ReceiveMaximum(20),
    ])
}

fn assert_connack(ack: &ConnAck, version: ProtocolVersion, session_present: bool) {
    let expected = ConnAck {
        session_present,
        reason: rc(SUCCESS),
        properties: if version.is_v5() {
            default_connack_v5()
        } else {
            none()
        },
    };
    assert_eq!(ack, &expected);
}

// ---------------------------------------------------------------------------------------
// Every flow the app uses, in 3.1.1 and 5.0.

fn full_flow(version: ProtocolVersion) {
    let broker = broker();
    let (mut c, connack) = Client::connect_with(&broker, connect(version, "flow"));
    assert_connack(&connack, version, false);

    // SUBSCRIBE/SUBACK with two filters and two granted QoS.
    c.send(Packet::Subscribe(subscribe(
        pid(1),
        &[("flow/#", QoS::ExactlyOnce), ("other/+", QoS::AtLeastOnce)],
    )));
    assert_eq!(
        c.recv(),
        Packet::SubAck(SubAck {
            pid: pid(1),
            reasons: vec![rc(GRANTED_QOS2), rc(GRANTED_QOS1)],
            properties: none(),
        })
    );

    // QoS 0 both ways: no acknowledgements.
    c.send(Packet::Publish(publish(
        "flow/q0",
        b"zero",
        QosPid::AtMostOnce,
        false,
    )));
    assert_eq!(
        c.recv(),
        Packet::Publish(publish("flow/q0", b"zero", QosPid::AtMostOnce, false))
    );

    // QoS 1: PUBLISH → PUBACK, and the delivery ← PUBLISH, acked by the test.
    c.send(Packet::Publish(publish(
        "flow/q1",
        b"one",
        QosPid::AtLeastOnce(pid(10)),
        false,
    )));
    let (delivery, rest) = split_publish(c.recv_n(2));
    assert_eq!(rest, vec![Packet::PubAck(ack(pid(10)))]);
    let QosPid::AtLeastOnce(broker_pid) = delivery.qos_pid else {
        panic!("QoS 1 delivery expected: {delivery:?}")
    };
    assert_eq!(
        delivery,
        publish("flow/q1", b"one", QosPid::AtLeastOnce(broker_pid), false)
    );
    c.send(Packet::PubAck(ack(broker_pid)));

    // QoS 2: PUBLISH → PUBREC, PUBREL → PUBCOMP; the broker releases the message to
    // subscribers on PUBREL, then its own delivery runs PUBREC/PUBREL/PUBCOMP the other way.
    c.send(Packet::Publish(publish(
        "flow/q2",
        b"two",
        QosPid::ExactlyOnce(pid(11)),
        false,
    )));
    assert_eq!(c.recv(), Packet::PubRec(ack(pid(11))));
    c.send(Packet::PubRel(ack(pid(11))));
    let (delivery, rest) = split_publish(c.recv_n(2));
    assert_eq!(rest, vec![Packet::PubComp(ack(pid(11)))]);
    let QosPid::ExactlyOnce(broker_pid) = delivery.qos_pid else {
        panic!("QoS 2 delivery expected: {delivery:?}")
    };
    assert_eq!(
        delivery,
        publish("flow/q2", b"two", QosPid::ExactlyOnce(broker_pid), false)
    );
    c.send(Packet::PubRec(ack(broker_pid)));
    assert_eq!(c.recv(), Packet::PubRel(ack(broker_pid)));
    c.send(Packet::PubComp(ack(broker_pid)));

    // Delivery QoS is the minimum of publish and subscription QoS.
    c.send(Packet::Publish(publish(
        "other/x",
        b"down",
        QosPid::ExactlyOnce(pid(12)),
        false,
    )));
    assert_eq!(c.recv(), Packet::PubRec(ack(pid(12))));
    c.send(Packet::PubRel(ack(pid(12))));
    let (delivery, rest) = split_publish(c.recv_n(2));
    assert_eq!(rest, vec![Packet::PubComp(ack(pid(12)))]);
    let QosPid::AtLeastOnce(broker_pid) = delivery.qos_pid else {
        panic!("downgraded QoS 1 delivery expected: {delivery:?}")
    };
    assert_eq!(
        delivery,
        publish("other/x", b"down", QosPid::AtLeastOnce(broker_pid), false)
    );
    c.send(Packet::PubAck(ack(broker_pid)));

    // Retained: stored by the broker, replayed with the retain flag to a later subscriber.
    c.send(Packet::Publish(publish(
        "keep/r",
        b"kept",
        QosPid::AtLeastOnce(pid(13)),
        true,
    )));
    assert_eq!(c.recv(), puback_no_subscribers(version, pid(13)));
    let mut late = Client::connected(&broker, version, "late");
    late.send(Packet::Subscribe(subscribe(
        pid(2),
        &[("keep/#", QoS::AtLeastOnce)],
    )));
    let (retained, rest) = split_publish(late.recv_n(2));
    assert_eq!(
        rest,
        vec![Packet::SubAck(SubAck {
            pid: pid(2),
            reasons: vec![rc(GRANTED_QOS1)],
            properties: none(),
        })]
    );
    let QosPid::AtLeastOnce(broker_pid) = retained.qos_pid else {
        panic!("QoS 1 retained message expected: {retained:?}")
    };
    assert_eq!(
        retained,
        publish("keep/r", b"kept", QosPid::AtLeastOnce(broker_pid), true)
    );
    late.send(Packet::PubAck(ack(broker_pid)));
    // An empty retained payload clears it: a new subscriber gets nothing.
    late.send(Packet::Publish(publish(
        "keep/r",
        b"",
        QosPid::AtMostOnce,
        true,
    )));
    // The live copy to the existing subscriber is not marked retained [MQTT-3.3.1-9].
    assert_eq!(
        late.recv_publish(),
        publish("keep/r", b"", QosPid::AtMostOnce, false)
    );
    let mut later = Client::connected(&broker, version, "later");
    later.subscribe_ok(3, &[("keep/#", QoS::AtLeastOnce)]);
    later.assert_quiet();

    // UNSUBSCRIBE/UNSUBACK: no more deliveries on that filter.
    c.send(Packet::Unsubscribe(Unsubscribe {
        pid: pid(4),
        filters: vec!["other/+".into(), "never/subscribed".into()],
        properties: none(),
    }));
    let reasons = if version.is_v5() {
        vec![rc(SUCCESS), rc(NO_SUBSCRIPTION_EXISTED)]
    } else {
        vec![]
    };
    assert_eq!(
        c.recv(),
        Packet::UnsubAck(UnsubAck {
            pid: pid(4),
            reasons,
            properties: none(),
        })
    );
    c.send(Packet::Publish(publish(
        "other/y",
        b"gone",
        QosPid::AtMostOnce,
        false,
    )));
    c.assert_quiet();

    // PINGREQ/PINGRESP.
    c.send(Packet::PingReq);
    assert_eq!(c.recv(), Packet::PingResp);

    // DISCONNECT: the broker closes the socket and does not publish a will.
    c.send(disconnect());
    c.assert_closed();
    late.send(disconnect());
    late.assert_closed();
}

/// PUBACK for a message nobody is subscribed to: 5.0 says so with reason 0x10.
fn puback_no_subscribers(version: ProtocolVersion, p: Pid) -> Packet {
    let mut a = ack(p);
    if version.is_v5() {
        a.reason = rc(NO_MATCHING_SUBSCRIBERS);
    }
    Packet::PubAck(a)
}

#[test]
fn flows_v3_1_1() {
    full_flow(V3_1_1);
}

#[test]
fn flows_v5() {
    full_flow(V5);
}

/// MQTT 3.1 ("MQIsdp", level 3): connect, a QoS 1 round trip, ping, disconnect.
#[test]
fn flows_v3_1() {
    let broker = broker();
    let (mut c, connack) = Client::connect_with(&broker, connect(V3_1, "mqisdp-client"));
    assert_connack(&connack, V3_1, false);
    c.subscribe_ok(1, &[("old/#", QoS::AtLeastOnce)]);
    c.send(Packet::Publish(publish(
        "old/t",
        b"3.1",
        QosPid::AtLeastOnce(pid(5)),
        false,
    )));
    let (delivery, rest) = split_publish(c.recv_n(2));
    assert_eq!(rest, vec![Packet::PubAck(ack(pid(5)))]);
    let broker_pid = delivery.qos_pid.pid().expect("QoS 1 delivery");
    assert_eq!(
        delivery,
        publish("old/t", b"3.1", QosPid::AtLeastOnce(broker_pid), false)
    );
    c.send(Packet::PubAck(ack(broker_pid)));
    c.send(Packet::PingReq);
    assert_eq!(c.recv(), Packet::PingResp);
    c.send(disconnect());
    c.assert_closed();
}

/// A 3.x CONNACK refusal code maps onto the matching 5.0 reason (2 → 0x85): an empty client
/// id is refused unless the session is clean [MQTT-3.1.3-8].
#[test]
fn connack_refused_v3_1_1() {
    let broker = broker();
    let mut refused = connect(V3_1_1, "");
    refused.clean_start = false;
    let (mut c, connack) = Client::connect_with(&broker, refused);
    assert_eq!(
        connack,
        ConnAck {
            session_present: false,
            reason: rc(CLIENT_ID_NOT_VALID),
            properties: none(),
        }
    );
    c.assert_closed();
}

/// A session that outlives its connection: session present on reconnect, and the QoS 1
/// message published while the client was away is delivered then.
fn session_present(version: ProtocolVersion) {
    let broker = broker();
    let mut persistent = connect(version, "keeper");
    persistent.clean_start = false;
    if version.is_v5() {
        // In 5.0 the session ends with the connection unless it has an expiry interval.
        persistent.properties = props(vec![Property::SessionExpiryInterval(300)]);
    }
    let (mut c, connack) = Client::connect_with(&broker, persistent.clone());
    assert_connack(&connack, version, false);
    c.subscribe_ok(1, &[("away/#", QoS::AtLeastOnce)]);
    c.send(disconnect());
    c.assert_closed();

    let mut other = Client::connected(&broker, version, "sender");
    other.send(Packet::Publish(publish(
        "away/msg",
        b"while you were out",
        QosPid::AtLeastOnce(pid(1)),
        false,
    )));
    assert_eq!(other.recv(), Packet::PubAck(ack(pid(1))));

    let (mut c, connack) = Client::connect_with(&broker, persistent);
    assert_connack(&connack, version, true);
    let delivery = c.recv_publish();
    let broker_pid = delivery.qos_pid.pid().expect("QoS 1");
    assert_eq!(
        delivery,
        publish(
            "away/msg",
            b"while you were out",
            QosPid::AtLeastOnce(broker_pid),
            false
        )
    );
    c.send(Packet::PubAck(ack(broker_pid)));
    c.send(disconnect());
    c.assert_closed();
}

#[test]
fn session_present_v3_1_1() {
    session_present(V3_1_1);
}

#[test]
fn session_present_v5() {
    session_present(V5);
}

/// A second connection with the same client id takes the session over. mosquitto 2.0.11
/// closes the first without a DISCONNECT even in 5.0 (later versions send reason 0x8E).
fn takeover(version: ProtocolVersion) {
    let broker = broker();
    let mut first = Client::connected(&broker, version, "twin");
    let _second = Client::connected(&broker, version, "twin");
    first.assert_closed();
}

#[test]
fn takeover_v3_1_1() {
    takeover(V3_1_1);
}

#[test]
fn takeover_v5() {
    takeover(V5);
}

/// A will is published when the connection drops without DISCONNECT.
fn will_on_drop(version: ProtocolVersion) {
    let broker = broker();
    let mut watcher = Client::connected(&broker, version, "watcher");
    watcher.subscribe_ok(1, &[("will/#", QoS::AtLeastOnce)]);

    let mut mortal = connect(version, "mortal");
    mortal.will = Some(Will {
        topic: "will/mortal".into(),
        payload: b"offline".to_vec().into(),
        qos: QoS::AtLeastOnce,
        retain: false,
        properties: none(),
    });
    let (c, connack) = Client::connect_with(&broker, mortal);
    assert_eq!(connack.reason, rc(SUCCESS));
    c.stream.shutdown(std::net::Shutdown::Both).unwrap();
    drop(c);

    let will = watcher.recv_publish();
    let broker_pid = will.qos_pid.pid().expect("QoS 1 will");
    assert_eq!(
        will,
        publish(
            "will/mortal",
            b"offline",
            QosPid::AtLeastOnce(broker_pid),
            false
        )
    );
    watcher.send(Packet::PubAck(ack(broker_pid)));
    watcher.send(Packet::PingReq);
    assert_eq!(watcher.recv(), Packet::PingResp);
}

#[test]
fn will_on_drop_v3_1_1() {
    will_on_drop(V3_1_1);
}

#[test]
fn will_on_drop_v5() {
    will_on_drop(V5);
}

/// Payloads longer than one read and than a 2-byte remaining length (≥ 16 KiB).
fn large_payload(version: ProtocolVersion) {
    let broker = broker();
    let mut c = Client::connected(&broker, version, "big");
    c.subscribe_ok(1, &[("big", QoS::AtLeastOnce)]);
    let payload: Vec<u8> = (0..200_000u32).map(|i| (i * 7 % 251) as u8).collect();
    c.send(Packet::Publish(publish(
        "big",
        &payload,
        QosPid::AtLeastOnce(pid(9)),
        false,
    )));
    let (delivery, rest) = split_publish(c.recv_n(2));
    assert_eq!(rest, vec![Packet::PubAck(ack(pid(9)))]);
    let broker_pid = delivery.qos_pid.pid().expect("QoS 1");
    assert_eq!(
        delivery,
        publish("big", &payload, QosPid::AtLeastOnce(broker_pid), false)
    );
    c.send(Packet::PubAck(ack(broker_pid)));
}

#[test]
fn large_payload_v3_1_1() {
    large_payload(V3_1_1);
}

#[test]
fn large_payload_v5() {
    large_payload(V5);
}

// ---------------------------------------------------------------------------------------
// mosquitto_pub as a third party.

fn mosquitto_pub(broker: &Mosquitto, args: &[&str]) {
    let program = require_program("mosquitto_pub");
    let port = broker.tcp_port.to_string();
    let out = Command::new(program)
        .args(["-h", "127.0.0.1", "-p", &port, "-i", "third-party"])
        .args(args)
        .output()
        .expect("run mosquitto_pub");
    assert!(
        out.status.success(),
        "mosquitto_pub {args:?} failed: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        broker.log()
    );
}

fn third_party(version: ProtocolVersion) {
    let broker = broker();
    let v = if version.is_v5() {
        "mqttv5"
    } else {
        "mqttv311"
    };
    // Retained before anyone subscribes, live once someone has.
    mosquitto_pub(
        &broker,
        &[
            "-V",
            v,
            "-q",
            "1",
            "-r",
            "-t",
            "tp/retained",
            "-m",
            "stored",
        ],
    );
    let mut c = Client::connected(&broker, version, "listener");
    c.send(Packet::Subscribe(subscribe(
        pid(1),
        &[("tp/#", QoS::ExactlyOnce)],
    )));
    let (retained, rest) = split_publish(c.recv_n(2));
    assert_eq!(
        rest,
        vec![Packet::SubAck(SubAck {
            pid: pid(1),
            reasons: vec![rc(GRANTED_QOS2)],
            properties: none(),
        })]
    );
    let broker_pid = retained.qos_pid.pid().expect("QoS 1");
    assert_eq!(
        retained,
        publish(
            "tp/retained",
            b"stored",
            QosPid::AtLeastOnce(broker_pid),
            true
        )
    );
    c.send(Packet::PubAck(ack(broker_pid)));

    let mut live_args = vec!["-V", v, "-q", "2", "-t", "tp/live", "-m", "fresh"];
    if version.is_v5() {
        live_args.extend([
            "-D",
            "publish",
            "user-property",
            "from",
            "mosquitto_pub",
            "-D",
            "publish",
            "content-type",
            "text/plain",
        ]);
    }
    mosquitto_pub(&broker, &live_args);
    let live = c.recv_publish();
    let QosPid::ExactlyOnce(broker_pid) = live.qos_pid else {
        panic!("QoS 2 delivery expected: {live:?}")
    };
    let mut expected = publish("tp/live", b"fresh", QosPid::ExactlyOnce(broker_pid), false);
    if version.is_v5() {
        expected.properties = props(vec![
            Property::ContentType("text/plain".into()),
            Property::UserProperty("from".into(), "mosquitto_pub".into()),
        ]);
        assert_same_properties(&live.properties, &expected.properties);
        expected.properties = live.properties.clone();
    }
    assert_eq!(live, expected);
    c.send(Packet::PubRec(ack(broker_pid)));
    assert_eq!(c.recv(), Packet::PubRel(ack(broker_pid)));
    c.send(Packet::PubComp(ack(broker_pid)));
    c.send(disconnect());
    c.assert_closed();
}

#[test]
fn third_party_publisher_v3_1_1() {
    third_party(V3_1_1);
}

#[test]
fn third_party_publisher_v5() {
    third_party(V5);
}

/// Same properties, order aside (the spec fixes no order between different properties;
/// user properties keep their relative order [MQTT-3.3.2-18]).
fn assert_same_properties(actual: &Properties, expected: &Properties) {
    let key = |p: &Property| format!("{p:?}");
    let mut a: Vec<_> = actual.0.iter().map(key).collect();
    let mut e: Vec<_> = expected.0.iter().map(key).collect();
    let users = |v: &Properties| {
        v.0.iter()
            .filter(|p| matches!(p, Property::UserProperty(..)))
            .cloned()
            .collect::<Vec<_>>()
    };
    assert_eq!(users(actual), users(expected), "user property order");
    a.sort();
    e.sort();
    assert_eq!(a, e);
}

// ---------------------------------------------------------------------------------------
// 5.0 properties, reason codes and subscription options.

#[test]
fn v5_properties() {
    let broker = Mosquitto::start_with(MosquittoOptions {
        websockets: false,
        extra_config: "max_inflight_messages 7\nmax_keepalive 120\n".into(),
        ..Default::default()
    });

    // CONNECT with properties; an empty client id gets one assigned in the CONNACK.
    let mut hello = connect(V5, "");
    hello.keep_alive = 600;
    hello.properties = props(vec![
        Property::SessionExpiryInterval(0),
        Property::ReceiveMaximum(50),
        Property::MaximumPacketSize(MAX_PACKET),
        Property::TopicAliasMaximum(5),
        Property::RequestProblemInformation(1),
        Property::UserProperty("app".into(), "tablero".into()),
        Property::UserProperty("app".into(), "again".into()),
    ]);
    let (mut c, connack) = Client::connect_with(&broker, hello);
    assert!(!connack.session_present);
    assert_eq!(connack.reason, rc(SUCCESS));
    let assigned = connack
        .properties
        .0
        .iter()
        .find_map(|p| match p {
            Property::AssignedClientIdentifier(id) => Some(id.clone()),
            _ => None,
        })
        .expect("assigned client identifier");
    assert!(assigned.starts_with("auto-"), "{assigned}");
    assert_same_properties(
        &connack.properties,
        &props(vec![
            Property::AssignedClientIdentifier(assigned.clone()),
            // The keepalive asked for is above max_keepalive: the server imposes its own.
            Property::ServerKeepAlive(120),
            Property::TopicAliasMaximum(10),
            Property::ReceiveMaximum(7),
        ]),
    );

    // SUBSCRIBE with a subscription identifier and a user property.
    c.send(Packet::Subscribe(Subscribe {
        pid: pid(1),
        filters: vec![SubscribeFilter {
            filter: "props/#".into(),
            options: SubscriptionOptions::qos(QoS::AtLeastOnce),
        }],
        properties: props(vec![
            Property::SubscriptionIdentifier(7),
            Property::UserProperty("why".into(), "test".into()),
        ]),
    }));
    assert_eq!(
        c.recv(),
        Packet::SubAck(SubAck {
            pid: pid(1),
            reasons: vec![rc(GRANTED_QOS1)],
            properties: none(),
        })
    );

    // PUBLISH with every application property: forwarded as sent, plus the subscription
    // identifier; the expiry interval counts down.
    let sent = vec![
        Property::PayloadFormatIndicator(1),
        Property::MessageExpiryInterval(3600),
        Property::ContentType("application/json".into()),
        Property::ResponseTopic("props/reply".into()),
        Property::CorrelationData(b"\x00\x01corr".to_vec().into()),
        Property::UserProperty("k".into(), "v1".into()),
        Property::UserProperty("k".into(), "v2".into()),
        Property::UserProperty("z".into(), "last".into()),
    ];
    let mut out = publish(
        "props/a",
        br#"{"t":21.5}"#,
        QosPid::AtLeastOnce(pid(2)),
        false,
    );
    out.properties = props(sent.clone());
    c.send(Packet::Publish(out));
    let (delivery, rest) = split_publish(c.recv_n(2));
    assert_eq!(rest, vec![Packet::PubAck(ack(pid(2)))]);
    let broker_pid = delivery.qos_pid.pid().expect("QoS 1");
    let expiry = delivery.properties.0.iter().find_map(|p| match p {
        Property::MessageExpiryInterval(s) => Some(*s),
        _ => None,
    });
    assert!(
        expiry.is_some_and(|s| (3590..=3600).contains(&s)),
        "{expiry:?}"
    );
    let mut expected_props: Vec<Property> = sent
        .iter()
        .map(|p| match p {
            Property::MessageExpiryInterval(_) => Property::MessageExpiryInterval(expiry.unwrap()),
            other => other.clone(),
        })
        .collect();
    expected_props.push(Property::SubscriptionIdentifier(7));
    assert_same_properties(&delivery.properties, &props(expected_props));
    let mut expected = publish(
        "props/a",
        br#"{"t":21.5}"#,
        QosPid::AtLeastOnce(broker_pid),
        false,
    );
    expected.properties = delivery.properties.clone();
    assert_eq!(delivery, expected);
    // A PUBACK with a reason string and user property is accepted.
    c.send(Packet::PubAck(PublishAck {
        pid: broker_pid,
        reason: rc(SUCCESS),
        properties: props(vec![
            Property::ReasonString("thanks".into()),
            Property::UserProperty("a".into(), "b".into()),
        ]),
    }));

    // Topic alias: set once with the topic, then used with an empty topic.
    for (topic, payload) in [("props/alias", &b"first"[..]), ("", &b"second"[..])] {
        let mut p = publish(topic, payload, QosPid::AtMostOnce, false);
        p.properties = props(vec![Property::TopicAlias(1)]);
        c.send(Packet::Publish(p));
        let got = c.recv_publish();
        let mut expected = publish("props/alias", payload, QosPid::AtMostOnce, false);
        expected.properties = props(vec![Property::SubscriptionIdentifier(7)]);
        assert_eq!(got, expected);
    }

    // QoS 1 and 2 to a topic nobody wants: the acks say so.
    c.send(Packet::Publish(publish(
        "void",
        b"x",
        QosPid::AtLeastOnce(pid(3)),
        false,
    )));
    assert_eq!(c.recv(), puback_no_subscribers(V5, pid(3)));
    c.send(Packet::Publish(publish(
        "void",
        b"x",
        QosPid::ExactlyOnce(pid(4)),
        false,
    )));
    // mosquitto 2.0.11 reports "no matching subscribers" in PUBACK only, not in PUBREC.
    assert_eq!(c.recv(), Packet::PubRec(ack(pid(4))));
    c.send(Packet::PubRel(ack(pid(4))));
    assert_eq!(c.recv(), Packet::PubComp(ack(pid(4))));

    // UNSUBSCRIBE with a user property.
    c.send(Packet::Unsubscribe(Unsubscribe {
        pid: pid(5),
        filters: vec!["props/#".into()],
        properties: props(vec![Property::UserProperty("bye".into(), "now".into())]),
    }));
    assert_eq!(
        c.recv(),
        Packet::UnsubAck(UnsubAck {
            pid: pid(5),
            reasons: vec![rc(SUCCESS)],
            properties: none(),
        })
    );

    // DISCONNECT with a reason string and user property.
    c.send(Packet::Disconnect(Disconnect {
        reason: rc(SUCCESS),
        properties: props(vec![
            Property::ReasonString("done".into()),
            Property::UserProperty("k".into(), "v".into()),
        ]),
    }));
    c.assert_closed();
}

/// A will with properties, triggered by DISCONNECT reason 0x04 rather than a dropped socket.
#[test]
fn v5_will_properties() {
    let broker = broker();
    let mut watcher = Client::connected(&broker, V5, "watcher");
    watcher.subscribe_ok(1, &[("will/#", QoS::ExactlyOnce)]);

    let will_props = vec![
        Property::WillDelayInterval(0),
        Property::PayloadFormatIndicator(1),
        Property::MessageExpiryInterval(600),
        Property::ContentType("text/plain".into()),
        Property::ResponseTopic("will/reply".into()),
        Property::CorrelationData(b"cd".to_vec().into()),
        Property::UserProperty("reason".into(), "test".into()),
    ];
    let mut mortal = connect(V5, "mortal");
    mortal.username = Some("user".into());
    mortal.password = Some(b"pass\x00\xff".to_vec().into());
    mortal.will = Some(Will {
        topic: "will/mortal".into(),
        payload: b"\x00binary\xff".to_vec().into(),
        qos: QoS::ExactlyOnce,
        retain: true,
        properties: props(will_props.clone()),
    });
    let (mut c, connack) = Client::connect_with(&broker, mortal);
    assert_connack(&connack, V5, false);
    c.send(Packet::Disconnect(Disconnect {
        reason: rc(DISCONNECT_WITH_WILL),
        properties: none(),
    }));
    c.assert_closed();

    let will = watcher.recv_publish();
    let QosPid::ExactlyOnce(broker_pid) = will.qos_pid else {
        panic!("QoS 2 will expected: {will:?}")
    };
    // The will delay is for the broker, not forwarded; the rest is, plus nothing else.
    let forwarded: Vec<Property> = will_props
        .into_iter()
        .filter(|p| !matches!(p, Property::WillDelayInterval(_)))
        .map(|p| match p {
            Property::MessageExpiryInterval(_) => will
                .properties
                .0
                .iter()
                .find(|q| matches!(q, Property::MessageExpiryInterval(s) if *s <= 600 && *s > 590))
                .cloned()
                .expect("expiry forwarded"),
            other => other,
        })
        .collect();
    assert_same_properties(&will.properties, &props(forwarded));
    let mut expected = publish(
        "will/mortal",
        b"\x00binary\xff",
        QosPid::ExactlyOnce(broker_pid),
        // Live delivery to an existing subscription: the retain flag is cleared.
        false,
    );
    expected.properties = will.properties.clone();
    assert_eq!(will, expected);
    watcher.send(Packet::PubRec(ack(broker_pid)));
    assert_eq!(watcher.recv(), Packet::PubRel(ack(broker_pid)));
    watcher.send(Packet::PubComp(ack(broker_pid)));
}

/// 5.0 subscription options: no local, retain as published, retain handling.
#[test]
fn v5_subscription_options() {
    let broker = broker();
    let mut c = Client::connected(&broker, V5, "opts");
    c.send(Packet::Publish(publish(
        "ret/x",
        b"old",
        QosPid::AtMostOnce,
        true,
    )));

    let option = |filter: &str, f: fn(&mut SubscriptionOptions)| {
        let mut options = SubscriptionOptions::qos(QoS::AtMostOnce);
        f(&mut options);
        SubscribeFilter {
            filter: filter.into(),
            options,
        }
    };
    c.send(Packet::Subscribe(Subscribe {
        pid: pid(1),
        filters: vec![
            option("own/x", |o| o.no_local = true),
            option("ret/x", |o| {
                o.retain_handling = RetainHandling::DoNotSend;
                o.retain_as_published = true;
            }),
        ],
        properties: none(),
    }));
    assert_eq!(
        c.recv(),
        Packet::SubAck(SubAck {
            pid: pid(1),
            reasons: vec![rc(SUCCESS), rc(SUCCESS)],
            properties: none(),
        })
    );
    // DoNotSend: the retained "old" is not replayed. No local: own message not echoed.
    c.send(Packet::Publish(publish(
        "own/x",
        b"me",
        QosPid::AtMostOnce,
        false,
    )));
    c.assert_quiet();
    // Retain as published: a live retained message keeps its flag.
    c.send(Packet::Publish(publish(
        "ret/x",
        b"new",
        QosPid::AtMostOnce,
        true,
    )));
    assert_eq!(
        c.recv(),
        Packet::Publish(publish("ret/x", b"new", QosPid::AtMostOnce, true))
    );

    // SendIfNew: replayed on the first subscribe, not when re-subscribing.
    let mut d = Client::connected(&broker, V5, "opts2");
    for first in [true, false] {
        d.send(Packet::Subscribe(Subscribe {
            pid: pid(2),
            filters: vec![option("ret/x", |o| {
                o.retain_handling = RetainHandling::SendIfNew
            })],
            properties: none(),
        }));
        let mut got = d.recv_n(if first { 2 } else { 1 });
        assert_eq!(
            got.remove(0),
            Packet::SubAck(SubAck {
                pid: pid(2),
                reasons: vec![rc(SUCCESS)],
                properties: none(),
            })
        );
        if first {
            assert_eq!(
                got.remove(0),
                Packet::Publish(publish("ret/x", b"new", QosPid::AtMostOnce, true))
            );
        }
        d.assert_quiet();
    }
}

/// Server-sent DISCONNECTs (5.0), in mosquitto's short form: reason code, no properties.
#[test]
fn v5_server_disconnect() {
    let broker = broker();
    // A topic alias above the server's Topic Alias Maximum (10).
    let mut c = Client::connected(&broker, V5, "alias");
    let mut p = publish("t", b"x", QosPid::AtMostOnce, false);
    p.properties = props(vec![Property::TopicAlias(50)]);
    c.send(Packet::Publish(p));
    assert_eq!(
        c.recv(),
        Packet::Disconnect(Disconnect {
            reason: rc(TOPIC_ALIAS_INVALID),
            properties: none(),
        })
    );
    c.assert_closed();

    // QoS 3 cannot be expressed in the model, so these bytes are written by hand.
    let mut c = Client::connected(&broker, V5, "qos3");
    c.stream.write_all(&[0x36, 5, 0, 1, b't', 0, b'x']).unwrap();
    assert_eq!(
        c.recv(),
        Packet::Disconnect(Disconnect {
            reason: rc(MALFORMED_PACKET),
            properties: none(),
        })
    );
    c.assert_closed();
}
