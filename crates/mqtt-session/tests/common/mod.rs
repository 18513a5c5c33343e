//! A scripted fake broker on a simulated clock.
//!
//! The broker side is nothing but a `StreamDecoder` over the session's transmits and
//! helpers that encode packets into `handle_bytes`; time only moves when a test moves it,
//! usually straight to `poll_timeout`. So every flow runs in microseconds of real time.
#![allow(dead_code)]

use mqtt_codec_wasm::{
    ConnAck, Disconnect, Packet, Pid, Properties, Property, ProtocolVersion, Publish, PublishAck,
    QoS, QosPid, ReasonCode, StreamDecoder, SubAck, UnsubAck, encode,
};
use mqtt_session::{Event, Millis, Session, SessionOptions, State};

pub use bytes::{Bytes, BytesMut};

pub struct Harness {
    pub s: Session,
    pub now: Millis,
    pub version: ProtocolVersion,
    pub broker: StreamDecoder,
}

/// A connected 5.0 session and a connected 3.1.1 one, for rules both versions share.
pub fn both() -> [Harness; 2] {
    let mut v5 = Harness::v5();
    v5.connected();
    let mut v3 = Harness::v311();
    v3.connected();
    [v5, v3]
}

pub fn pid(v: u16) -> Pid {
    Pid::new(v).expect("nonzero")
}

pub fn opts(version: ProtocolVersion) -> SessionOptions {
    let mut o = SessionOptions::new(version, "tablero-test");
    o.keep_alive = 10;
    // A persistent session, so tests can answer either way with Session Present.
    o.clean_start = false;
    o
}

impl Harness {
    pub fn new(options: SessionOptions) -> Self {
        let version = options.version;
        Self {
            s: Session::new(options).expect("valid options"),
            now: Millis(1_000),
            version,
            broker: StreamDecoder::new(version, u32::MAX),
        }
    }

    pub fn v5() -> Self {
        Self::new(opts(ProtocolVersion::V5))
    }

    pub fn v311() -> Self {
        Self::new(opts(ProtocolVersion::V3_1_1))
    }

    /// A fresh transport: new broker-side decoder, CONNECT queued.
    pub fn open(&mut self) -> Packet {
        self.broker = StreamDecoder::new(self.version, u32::MAX);
        self.s.connect(self.now).expect("connect");
        let sent = self.sent();
        assert_eq!(sent.len(), 1, "exactly one CONNECT: {sent:?}");
        sent.into_iter().next().expect("CONNECT")
    }

    /// Everything the session wants written, decoded as the broker would.
    pub fn sent(&mut self) -> Vec<Packet> {
        let mut out = Vec::new();
        while let Some(bytes) = self.s.poll_transmit() {
            self.broker
                .push(&bytes)
                .expect("session sent a valid fixed header");
            while let Some(p) = self
                .broker
                .next_packet()
                .expect("session sent a valid packet")
            {
                out.push(p);
            }
        }
        out
    }

    pub fn events(&mut self) -> Vec<Event> {
        std::iter::from_fn(|| self.s.poll_event()).collect()
    }

    pub fn send(&mut self, packet: Packet) {
        let mut buf = BytesMut::new();
        encode(&packet, self.version, &mut buf).expect("test packet encodes");
        self.s.handle_bytes(self.now, &buf);
    }

    pub fn send_bytes(&mut self, bytes: &[u8]) {
        self.s.handle_bytes(self.now, bytes);
    }

    pub fn connack(&mut self, session_present: bool, properties: Properties) {
        self.send(connack(ReasonCode::Success, session_present, properties));
    }

    /// Opens a transport and completes the handshake; returns what the session sent after
    /// the CONNACK (resends, restored subscriptions, queued publishes).
    pub fn establish(&mut self, session_present: bool, properties: Properties) -> Vec<Packet> {
        self.open();
        self.connack(session_present, properties);
        assert_eq!(self.s.state(), State::Connected);
        let events = self.events();
        assert!(
            matches!(events.first(), Some(Event::Connected { .. })),
            "expected Connected first: {events:?}"
        );
        self.sent()
    }

    pub fn connected(&mut self) {
        let sent = self.establish(false, Properties::default());
        assert!(
            sent.is_empty(),
            "nothing to send on a fresh session: {sent:?}"
        );
    }

    /// Jumps to the next deadline and fires it.
    pub fn advance(&mut self) -> Millis {
        let t = self.s.poll_timeout().expect("a deadline is armed");
        assert!(
            t >= self.now,
            "deadline {t:?} in the past (now {:?})",
            self.now
        );
        self.now = t;
        self.s.handle_timeout(t);
        t
    }

    pub fn advance_by(&mut self, ms: u64) {
        self.now = self.now.plus_ms(ms);
        self.s.handle_timeout(self.now);
    }

    pub fn lose(&mut self) {
        self.s.handle_connection_lost(self.now);
    }

    pub fn publish(
        &mut self,
        topic: &str,
        payload: &'static [u8],
        qos: QoS,
    ) -> mqtt_session::PublishId {
        self.s
            .publish(
                topic,
                Bytes::from_static(payload),
                qos,
                false,
                Properties::default(),
            )
            .expect("publish accepted")
    }
}

pub fn connack(reason: ReasonCode, session_present: bool, properties: Properties) -> Packet {
    Packet::ConnAck(ConnAck {
        session_present,
        reason,
        properties,
    })
}

fn ack(pid_: u16, reason: ReasonCode) -> PublishAck {
    PublishAck {
        pid: pid(pid_),
        reason,
        properties: Properties::default(),
    }
}

pub fn puback(p: u16) -> Packet {
    Packet::PubAck(ack(p, ReasonCode::Success))
}
pub fn pubrec(p: u16) -> Packet {
    Packet::PubRec(ack(p, ReasonCode::Success))
}
pub fn pubrel(p: u16) -> Packet {
    Packet::PubRel(ack(p, ReasonCode::Success))
}
pub fn pubcomp(p: u16) -> Packet {
    Packet::PubComp(ack(p, ReasonCode::Success))
}
pub fn pubrec_reason(p: u16, reason: ReasonCode) -> Packet {
    Packet::PubRec(ack(p, reason))
}
pub fn puback_reason(p: u16, reason: ReasonCode) -> Packet {
    Packet::PubAck(ack(p, reason))
}

pub fn suback(p: u16, reasons: Vec<ReasonCode>) -> Packet {
    Packet::SubAck(SubAck {
        pid: pid(p),
        reasons,
        properties: Properties::default(),
    })
}

pub fn unsuback(p: u16, reasons: Vec<ReasonCode>) -> Packet {
    Packet::UnsubAck(UnsubAck {
        pid: pid(p),
        reasons,
        properties: Properties::default(),
    })
}

pub fn publish(topic: &str, payload: &'static [u8], qos_pid: QosPid) -> Packet {
    publish_props(topic, payload, qos_pid, Properties::default())
}

pub fn publish_props(
    topic: &str,
    payload: &'static [u8],
    qos_pid: QosPid,
    properties: Properties,
) -> Packet {
    Packet::Publish(Publish {
        dup: false,
        qos_pid,
        retain: false,
        topic: topic.into(),
        payload: Bytes::from_static(payload),
        properties,
    })
}

pub fn disconnect(reason: ReasonCode, properties: Properties) -> Packet {
    Packet::Disconnect(Disconnect { reason, properties })
}

pub fn props(list: Vec<Property>) -> Properties {
    Properties(list)
}

/// The publishes among `packets`, as (pid, dup, topic, payload).
pub fn publishes(packets: &[Packet]) -> Vec<(Option<u16>, bool, String, Bytes)> {
    packets
        .iter()
        .filter_map(|p| match p {
            Packet::Publish(p) => Some((
                p.qos_pid.pid().map(Pid::get),
                p.dup,
                p.topic.clone(),
                p.payload.clone(),
            )),
            _ => None,
        })
        .collect()
}

pub fn qos_of(p: &Packet) -> Option<QoS> {
    match p {
        Packet::Publish(p) => Some(p.qos_pid.qos()),
        _ => None,
    }
}
