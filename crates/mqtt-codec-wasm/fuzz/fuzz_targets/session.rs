//! The session driven by a fuzzed script: transports opened, lost and closed by the server,
//! time passing, commands from the application, and bytes from the "broker" — arbitrary
//! bytes, or well-formed packets the fuzzer would rarely build by itself (CONNACK, PUBLISH,
//! acknowledgements for identifiers that may or may not be in flight).
//!
//! Input layout: byte 0 picks the version (3.1.1 or 5.0) and whether "auto" fallback is on;
//! then one operation per byte, some followed by their operands.
//!
//! Properties: nothing panics; time never runs backwards through `poll_timeout` (a deadline
//! the driver is told to wait for is never before `now` by more than the step that passed);
//! memory stays bounded: in-flight publishes by the server's receive maximum and the packet
//! identifier space, the offline queue by its limits, incoming QoS 2 state by our receive
//! maximum (5.0) or the identifier space; every event is drained.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mqtt_codec_wasm::{
    BytesMut, ConnAck, Packet, Pid, Properties, ProtocolVersion, Publish, PublishAck, QoS,
    QosPid, ReasonCode, SubAck, UnsubAck, encode,
};
use mqtt_session::{Bytes, Millis, QueueLimits, Session, SessionOptions, SubscriptionOptions};

const TOPICS: [&str; 4] = ["a", "a/b", "dev/+/t", "#"];

struct Script<'a> {
    data: &'a [u8],
    pos: usize,
}

impl Script<'_> {
    fn byte(&mut self) -> Option<u8> {
        let b = *self.data.get(self.pos)?;
        self.pos += 1;
        Some(b)
    }
    fn u16(&mut self) -> u16 {
        let hi = self.byte().unwrap_or(0);
        let lo = self.byte().unwrap_or(0);
        u16::from_be_bytes([hi, lo])
    }
    fn bytes(&mut self, n: usize) -> &[u8] {
        let end = (self.pos + n).min(self.data.len());
        let out = &self.data[self.pos..end];
        self.pos = end;
        out
    }
}

fn qos(b: u8) -> QoS {
    QoS::from_u8(b % 3).unwrap_or(QoS::AtMostOnce)
}

fn pid(v: u16) -> Pid {
    Pid::new(v.max(1)).unwrap_or_else(|| unreachable!())
}

fn ack(p: u16, reason: u8) -> PublishAck {
    PublishAck {
        pid: pid(p),
        reason: ReasonCode::from_u8(reason).unwrap_or(ReasonCode::Success),
        properties: Properties::default(),
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&head, rest)) = data.split_first() else {
        return;
    };
    let version = if head & 1 == 0 {
        ProtocolVersion::V3_1_1
    } else {
        ProtocolVersion::V5
    };
    let mut o = SessionOptions::new(version, "fuzz");
    o.fall_back_to_v311 = head & 2 != 0 && version.is_v5();
    o.keep_alive = u16::from(head >> 4);
    o.receive_maximum = 8;
    o.offline_queue = QueueLimits {
        max_messages: 16,
        max_bytes: 4096,
    };
    o.maximum_packet_size = Some(8192);
    o.topic_alias_maximum = 4;
    let Ok(mut s) = Session::new(o) else { return };
    let mut now = Millis(1_000);
    let mut script = Script { data: rest, pos: 0 };
    let mut wire = version;
    while let Some(op) = script.byte() {
        match op % 16 {
            0 => {
                wire = s.options().version;
                let _ = s.connect(now);
            }
            1 => {
                let n = usize::from(script.byte().unwrap_or(0));
                let chunk = script.bytes(n).to_vec();
                s.handle_bytes(now, &chunk);
            }
            2 => {
                let step = u64::from(script.u16());
                now = now.plus_ms(step);
                s.handle_timeout(now);
            }
            3 => s.handle_connection_lost(now),
            4 => s.handle_closed_by_server(now),
            5 => {
                let t = TOPICS[usize::from(script.byte().unwrap_or(0)) % TOPICS.len()];
                let q = qos(script.byte().unwrap_or(0));
                let _ = s.subscribe(
                    vec![(t.to_owned(), SubscriptionOptions::qos(q))],
                    Properties::default(),
                );
            }
            6 => {
                let q = qos(script.byte().unwrap_or(0));
                let n = usize::from(script.byte().unwrap_or(0));
                let payload = Bytes::copy_from_slice(script.bytes(n));
                let _ = s.publish("a/b", payload, q, false, Properties::default());
            }
            7 => {
                let t = TOPICS[usize::from(script.byte().unwrap_or(0)) % TOPICS.len()];
                let _ = s.unsubscribe(vec![t.to_owned()], Properties::default());
            }
            8 => s.disconnect(now, ReasonCode::Success),
            9 => s.retry_now(now),
            // Well-formed packets from the broker, in the version on the wire.
            10..=15 => {
                let a = script.u16();
                let b = script.byte().unwrap_or(0);
                let packet = match op % 16 {
                    10 => Packet::ConnAck(ConnAck {
                        session_present: b & 1 != 0 && b & 2 != 0,
                        reason: if b & 0x80 != 0 {
                            ReasonCode::from_u8(b).unwrap_or(ReasonCode::Success)
                        } else {
                            ReasonCode::Success
                        },
                        properties: Properties::default(),
                    }),
                    11 => Packet::Publish(Publish {
                        dup: b & 4 != 0,
                        qos_pid: match b % 3 {
                            0 => QosPid::AtMostOnce,
                            1 => QosPid::AtLeastOnce(pid(a)),
                            _ => QosPid::ExactlyOnce(pid(a)),
                        },
                        retain: b & 8 != 0,
                        topic: TOPICS[usize::from(b >> 4) % 2].into(),
                        payload: Bytes::from_static(b"x"),
                        properties: Properties::default(),
                    }),
                    12 => Packet::PubAck(ack(a, b)),
                    13 => match b % 3 {
                        0 => Packet::PubRec(ack(a, b)),
                        1 => Packet::PubRel(ack(a, 0)),
                        _ => Packet::PubComp(ack(a, 0)),
                    },
                    14 => Packet::SubAck(SubAck {
                        pid: pid(a),
                        reasons: vec![ReasonCode::from_u8(b % 3).unwrap_or(ReasonCode::Success)],
                        properties: Properties::default(),
                    }),
                    _ => Packet::UnsubAck(UnsubAck {
                        pid: pid(a),
                        reasons: if wire.is_v5() {
                            vec![ReasonCode::Success]
                        } else {
                            Vec::new()
                        },
                        properties: Properties::default(),
                    }),
                };
                let mut buf = BytesMut::new();
                if encode(&packet, wire, &mut buf).is_ok() {
                    s.handle_bytes(now, &buf);
                }
            }
            _ => unreachable!(),
        }
        while s.poll_transmit().is_some() {}
        while s.poll_event().is_some() {}
        // Bounded state, whatever the broker did.
        assert!(s.inflight_len() <= usize::from(u16::MAX), "in flight {}", s.inflight_len());
        assert!(s.queued_len() <= 16 && s.queued_bytes() <= 4096);
        assert!(s.incoming_qos2_len() <= usize::from(u16::MAX));
        if let Some(deadline) = s.poll_timeout() {
            // A deadline may be due already (the driver fires it at once), never absurd.
            assert!(deadline.0 < now.0 + 86_400_000 * 2, "{deadline:?} at {now:?}");
        }
    }
});
