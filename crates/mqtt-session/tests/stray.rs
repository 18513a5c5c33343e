//! Acknowledgements for packet identifiers with nothing outstanding ("stray acks"). Brokers
//! send them after a session resumes or when a resend races a reconnect; the connection must
//! survive them, or a dashboard reconnects in a loop.
mod common;

use common::*;
use mqtt_codec_wasm::{Packet, PacketType, PublishAck, QoS, ReasonCode};
use mqtt_session::{Event, State};

#[test]
fn stray_acks_are_noted_and_the_connection_stays_up() {
    for (packet, ty) in [
        (puback(5), PacketType::PubAck),
        (pubcomp(5), PacketType::PubComp),
        (suback(5, vec![ReasonCode::Success]), PacketType::SubAck),
        (unsuback(5, vec![ReasonCode::Success]), PacketType::UnsubAck),
    ] {
        for mut h in both() {
            // Something in flight under another identifier, which must be unaffected.
            let id = h.publish("a", b"x", QoS::AtLeastOnce);
            let sent = h.sent();
            let Some(Packet::Publish(p)) = sent.first() else {
                panic!("PUBLISH expected: {sent:?}")
            };
            let pid = p.qos_pid.pid().expect("QoS 1 has an identifier").get();
            assert_ne!(pid, 5);
            let stray = if !h.version.is_v5() && ty == PacketType::UnsubAck {
                unsuback(5, vec![])
            } else {
                packet.clone()
            };
            h.send(stray);
            assert_eq!(
                h.events(),
                vec![Event::StrayAck { packet: ty, pid: 5 }],
                "{ty:?} {:?}",
                h.version
            );
            assert!(h.sent().is_empty(), "nothing to answer to a stray {ty:?}");
            assert_eq!(h.s.state(), State::Connected);

            h.send(puback(pid));
            assert!(
                matches!(
                    h.events().as_slice(),
                    [Event::PublishAcknowledged { id: got, .. }] if *got == id
                ),
                "the real exchange still completes"
            );
        }
    }
}

#[test]
fn a_stray_pubrec_is_answered_with_pubrel_so_the_server_can_finish() {
    for mut h in both() {
        h.send(pubrec(7));
        assert_eq!(
            h.events(),
            vec![Event::StrayAck {
                packet: PacketType::PubRec,
                pid: 7
            }]
        );
        let expected = if h.version.is_v5() {
            ReasonCode::PacketIdentifierNotFound
        } else {
            ReasonCode::Success
        };
        let sent = h.sent();
        assert!(
            matches!(
                sent.as_slice(),
                [Packet::PubRel(PublishAck { pid, reason, .. })]
                    if pid.get() == 7 && *reason == expected
            ),
            "{:?}: {sent:?}",
            h.version
        );
        assert_eq!(h.s.state(), State::Connected);
    }
}
