//! QoS 1 and 2 in both directions, interrupted at every step and resumed with the session
//! present and not present; identifiers; receive maximum.
mod common;

use common::*;
use mqtt_codec_wasm::{Packet, Property, ProtocolVersion, QoS, QosPid, ReasonCode};
use mqtt_session::{Event, OutgoingStage, Properties, PublishId, State};

const VERSIONS: [ProtocolVersion; 2] = [ProtocolVersion::V5, ProtocolVersion::V3_1_1];

fn harness(version: ProtocolVersion) -> Harness {
    let mut o = opts(version);
    o.clean_start = false;
    Harness::new(o)
}

fn acked(ev: &[Event]) -> Vec<(PublishId, QoS, ReasonCode)> {
    ev.iter()
        .filter_map(|e| match e {
            Event::PublishAcknowledged {
                id, qos, reason, ..
            } => Some((*id, *qos, *reason)),
            _ => None,
        })
        .collect()
}

/// Reconnects after a lost transport; returns what was sent after the CONNACK.
fn resume(h: &mut Harness, session_present: bool) -> Vec<Packet> {
    h.lose();
    let _ = h.events();
    h.establish(session_present, Properties::default())
}

#[test]
fn qos1_outgoing_happy_path() {
    for v in VERSIONS {
        let mut h = harness(v);
        h.connected();
        let id = h.publish("a/b", b"1", QoS::AtLeastOnce);
        let sent = h.sent();
        assert_eq!(
            publishes(&sent),
            vec![(Some(1), false, "a/b".into(), Bytes::from_static(b"1"))]
        );
        assert_eq!(h.s.inflight_len(), 1);
        h.send(puback(1));
        assert_eq!(
            acked(&h.events()),
            vec![(id, QoS::AtLeastOnce, ReasonCode::Success)]
        );
        assert_eq!(h.s.inflight_len(), 0);
    }
}

#[test]
fn qos1_outgoing_interrupted_before_puback() {
    for v in VERSIONS {
        for present in [true, false] {
            let mut h = harness(v);
            h.connected();
            let id = h.publish("a/b", b"1", QoS::AtLeastOnce);
            let _ = h.sent();
            let again = resume(&mut h, present);
            // Same identifier; DUP only when the server may have seen it [MQTT-3.3.1-1].
            assert_eq!(
                publishes(&again),
                vec![(Some(1), present, "a/b".into(), Bytes::from_static(b"1"))],
                "{v:?} present={present}"
            );
            h.send(puback(1));
            assert_eq!(
                acked(&h.events()),
                vec![(id, QoS::AtLeastOnce, ReasonCode::Success)]
            );
            assert_eq!(h.s.inflight_len(), 0);
        }
    }
}

#[test]
fn qos2_outgoing_happy_path() {
    for v in VERSIONS {
        let mut h = harness(v);
        h.connected();
        let id = h.publish("a/b", b"2", QoS::ExactlyOnce);
        assert_eq!(publishes(&h.sent()).len(), 1);
        h.send(pubrec(1));
        assert_eq!(h.sent(), vec![pubrel(1)]);
        assert!(h.events().is_empty(), "not done at PUBREC");
        h.send(pubcomp(1));
        assert_eq!(
            acked(&h.events()),
            vec![(id, QoS::ExactlyOnce, ReasonCode::Success)]
        );
        assert_eq!(h.s.inflight_len(), 0);
    }
}

#[test]
fn qos2_outgoing_interrupted_before_pubrec() {
    for v in VERSIONS {
        for present in [true, false] {
            let mut h = harness(v);
            h.connected();
            let id = h.publish("a/b", b"2", QoS::ExactlyOnce);
            let _ = h.sent();
            let again = resume(&mut h, present);
            assert_eq!(
                publishes(&again),
                vec![(Some(1), present, "a/b".into(), Bytes::from_static(b"2"))]
            );
            h.send(pubrec(1));
            assert_eq!(h.sent(), vec![pubrel(1)]);
            h.send(pubcomp(1));
            assert_eq!(
                acked(&h.events()),
                vec![(id, QoS::ExactlyOnce, ReasonCode::Success)]
            );
        }
    }
}

#[test]
fn qos2_outgoing_interrupted_before_pubcomp_session_present_resends_pubrel() {
    for v in VERSIONS {
        let mut h = harness(v);
        h.connected();
        let id = h.publish("a/b", b"2", QoS::ExactlyOnce);
        let _ = h.sent();
        h.send(pubrec(1));
        assert_eq!(h.sent(), vec![pubrel(1)]);
        let again = resume(&mut h, true);
        assert_eq!(again, vec![pubrel(1)], "PUBREL resent, PUBLISH not");
        h.send(pubcomp(1));
        assert_eq!(
            acked(&h.events()),
            vec![(id, QoS::ExactlyOnce, ReasonCode::Success)]
        );
    }
}

#[test]
fn qos2_outgoing_interrupted_before_pubcomp_session_lost_counts_pubrec_as_delivery() {
    for v in VERSIONS {
        let mut h = harness(v);
        h.connected();
        let id = h.publish("a/b", b"2", QoS::ExactlyOnce);
        let _ = h.sent();
        h.send(pubrec(1));
        let _ = h.sent();
        h.lose();
        let _ = h.events();
        h.open();
        h.connack(false, Properties::default());
        let ev = h.events();
        assert!(matches!(
            ev[0],
            Event::Connected {
                session_present: false,
                ..
            }
        ));
        // The server took the message over at PUBREC; resending it would duplicate it.
        assert_eq!(
            acked(&ev),
            vec![(id, QoS::ExactlyOnce, ReasonCode::Success)]
        );
        assert!(h.sent().is_empty());
        assert_eq!(h.s.inflight_len(), 0);
    }
}

#[test]
fn qos2_outgoing_interrupted_after_pubcomp_resends_nothing() {
    for present in [true, false] {
        let mut h = harness(ProtocolVersion::V5);
        h.connected();
        h.publish("a/b", b"2", QoS::ExactlyOnce);
        let _ = h.sent();
        h.send(pubrec(1));
        h.send(pubcomp(1));
        let _ = h.sent();
        let _ = h.events();
        assert!(resume(&mut h, present).is_empty());
    }
}

#[test]
fn resend_keeps_original_order_with_mixed_stages() {
    for v in VERSIONS {
        let mut h = harness(v);
        h.connected();
        h.publish("m/1", b"1", QoS::AtLeastOnce); // pid 1, unacked
        h.publish("m/2", b"2", QoS::ExactlyOnce); // pid 2, will be at PUBREL
        h.publish("m/3", b"3", QoS::ExactlyOnce); // pid 3, unacked
        h.publish("m/4", b"4", QoS::AtLeastOnce); // pid 4, acked
        h.publish("m/5", b"5", QoS::AtLeastOnce); // pid 5, unacked
        let _ = h.sent();
        h.send(pubrec(2));
        h.send(puback(4));
        let _ = h.sent();
        let _ = h.events();
        h.lose();
        let _ = h.events();
        // Published while offline: goes after the resends.
        h.publish("m/6", b"6", QoS::AtLeastOnce);
        let again = h.establish(true, Properties::default());
        let summary: Vec<String> = again
            .iter()
            .map(|p| match p {
                Packet::Publish(p) => {
                    format!("PUBLISH {} dup={}", p.qos_pid.pid().unwrap().get(), p.dup)
                }
                Packet::PubRel(a) => format!("PUBREL {}", a.pid.get()),
                other => format!("{other:?}"),
            })
            .collect();
        assert_eq!(
            summary,
            [
                "PUBLISH 1 dup=true",
                "PUBREL 2",
                "PUBLISH 3 dup=true",
                "PUBLISH 5 dup=true",
                "PUBLISH 6 dup=false"
            ],
            "{v:?}"
        );
        // Session not present on the next reconnect: same order, as new messages.
        let _ = h.events();
        let again = resume(&mut h, false);
        let pubs = publishes(&again);
        let order: Vec<(u16, bool)> = pubs.iter().map(|(p, d, ..)| (p.unwrap(), *d)).collect();
        assert_eq!(order, [(1, false), (3, false), (5, false), (6, false)]);
    }
}

#[test]
fn qos1_incoming_delivered_and_acknowledged() {
    for v in VERSIONS {
        let mut h = harness(v);
        h.connected();
        h.send(publish("in/1", b"x", QosPid::AtLeastOnce(pid(7))));
        let ev = h.events();
        assert!(
            matches!(&ev[..], [Event::Message(m)] if m.topic == "in/1" && m.qos == QoS::AtLeastOnce)
        );
        assert_eq!(h.sent(), vec![puback(7)]);
    }
}

#[test]
fn qos1_incoming_interrupted_before_puback_is_redelivered() {
    // At least once: the server resends with DUP and we deliver again.
    for present in [true, false] {
        let mut h = harness(ProtocolVersion::V5);
        h.connected();
        h.send(publish("in/1", b"x", QosPid::AtLeastOnce(pid(7))));
        let _ = h.events();
        h.lose(); // PUBACK never written
        let _ = h.events();
        h.establish(present, Properties::default());
        let mut p = publish("in/1", b"x", QosPid::AtLeastOnce(pid(7)));
        if let Packet::Publish(p) = &mut p {
            p.dup = true;
        }
        h.send(p);
        let ev = h.events();
        assert!(matches!(&ev[..], [Event::Message(m)] if m.dup));
        assert_eq!(h.sent(), vec![puback(7)]);
    }
}

fn messages(ev: &[Event]) -> Vec<Bytes> {
    ev.iter()
        .filter_map(|e| match e {
            Event::Message(m) => Some(m.payload.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn qos2_incoming_delivered_once_despite_resends() {
    for v in VERSIONS {
        let mut h = harness(v);
        h.connected();
        h.send(publish("in/2", b"once", QosPid::ExactlyOnce(pid(9))));
        assert_eq!(messages(&h.events()), vec![Bytes::from_static(b"once")]);
        assert_eq!(h.sent(), vec![pubrec(9)]);
        // Same connection duplicate (e.g. a broker retry): acknowledged, not delivered.
        h.send(publish("in/2", b"once", QosPid::ExactlyOnce(pid(9))));
        assert!(messages(&h.events()).is_empty());
        assert_eq!(h.sent(), vec![pubrec(9)]);
        assert_eq!(h.s.incoming_qos2_len(), 1);
        h.send(pubrel(9));
        assert_eq!(h.sent(), vec![pubcomp(9)]);
        assert_eq!(h.s.incoming_qos2_len(), 0);
        // After PUBCOMP the identifier names a new message [MQTT-4.3.3-12].
        h.send(publish("in/2", b"next", QosPid::ExactlyOnce(pid(9))));
        assert_eq!(messages(&h.events()), vec![Bytes::from_static(b"next")]);
    }
}

#[test]
fn qos2_incoming_interrupted_before_pubrec_with_session_present() {
    for v in VERSIONS {
        let mut h = harness(v);
        h.connected();
        h.send(publish("in/2", b"once", QosPid::ExactlyOnce(pid(9))));
        assert_eq!(messages(&h.events()).len(), 1);
        h.lose(); // PUBREC lost
        let _ = h.events();
        h.establish(true, Properties::default());
        let mut p = publish("in/2", b"once", QosPid::ExactlyOnce(pid(9)));
        if let Packet::Publish(p) = &mut p {
            p.dup = true;
        }
        h.send(p);
        assert!(
            messages(&h.events()).is_empty(),
            "{v:?}: not delivered twice"
        );
        assert_eq!(h.sent(), vec![pubrec(9)]);
        h.send(pubrel(9));
        assert_eq!(h.sent(), vec![pubcomp(9)]);
    }
}

#[test]
fn qos2_incoming_interrupted_before_pubcomp_with_session_present() {
    let mut h = harness(ProtocolVersion::V5);
    h.connected();
    h.send(publish("in/2", b"once", QosPid::ExactlyOnce(pid(9))));
    h.send(pubrel(9));
    assert_eq!(h.sent(), vec![pubrec(9), pubcomp(9)]);
    h.lose(); // PUBCOMP lost
    let _ = h.events();
    h.establish(true, Properties::default());
    // [MQTT-4.3.3-11]: a PUBREL is always answered with PUBCOMP; 5.0 says the identifier is
    // unknown rather than failing the connection.
    h.send(pubrel(9));
    assert_eq!(
        h.sent(),
        vec![pubcomp_reason(9, ReasonCode::PacketIdentifierNotFound)]
    );
    assert_eq!(h.s.state(), State::Connected);
    assert!(messages(&h.events()).is_empty());
}

#[test]
fn pubrel_for_unknown_id_in_v311_gets_plain_pubcomp() {
    let mut h = harness(ProtocolVersion::V3_1_1);
    h.connected();
    h.send(pubrel(33));
    assert_eq!(h.sent(), vec![pubcomp(33)]);
    assert_eq!(h.s.state(), State::Connected);
}

#[test]
fn qos2_incoming_with_session_lost_is_a_new_message() {
    let mut h = harness(ProtocolVersion::V5);
    h.connected();
    h.send(publish("in/2", b"first", QosPid::ExactlyOnce(pid(9))));
    let _ = h.events();
    h.lose();
    let _ = h.events();
    h.establish(false, Properties::default());
    assert_eq!(h.s.incoming_qos2_len(), 0);
    h.send(publish("in/2", b"second", QosPid::ExactlyOnce(pid(9))));
    assert_eq!(messages(&h.events()), vec![Bytes::from_static(b"second")]);
}

#[test]
fn error_reason_codes_end_the_exchange() {
    let mut h = harness(ProtocolVersion::V5);
    h.connected();
    let a = h.publish("a", b"1", QoS::AtLeastOnce);
    let b = h.publish("b", b"2", QoS::ExactlyOnce);
    let _ = h.sent();
    h.send(puback_reason(1, ReasonCode::NotAuthorized));
    h.send(pubrec_reason(2, ReasonCode::QuotaExceeded));
    assert!(h.sent().is_empty(), "no PUBREL after a failed PUBREC");
    assert_eq!(
        acked(&h.events()),
        vec![
            (a, QoS::AtLeastOnce, ReasonCode::NotAuthorized),
            (b, QoS::ExactlyOnce, ReasonCode::QuotaExceeded)
        ]
    );
    assert_eq!(h.s.inflight_len(), 0);
}

#[test]
fn receive_maximum_back_pressure_keeps_order() {
    let mut h = harness(ProtocolVersion::V5);
    h.open();
    h.connack(false, props(vec![Property::ReceiveMaximum(2)]));
    let _ = h.events();
    let ids: Vec<PublishId> = (0..5)
        .map(|i| {
            let payload: &'static [u8] = [b"0", b"1", b"2", b"3", b"4"][i];
            h.publish("q", payload, QoS::AtLeastOnce)
        })
        .collect();
    // QoS 0 behind them waits too: order is kept.
    h.publish("q", b"zero", QoS::AtMostOnce);
    let first: Vec<u16> = publishes(&h.sent()).iter().map(|p| p.0.unwrap()).collect();
    assert_eq!(first, [1, 2]);
    assert_eq!(h.s.send_quota(), 0);
    assert_eq!(h.s.queued_len(), 4);
    h.send(puback(1));
    let next: Vec<u16> = publishes(&h.sent()).iter().map(|p| p.0.unwrap()).collect();
    assert_eq!(next, [3]);
    h.send(puback(2));
    h.send(puback(3));
    let rest = publishes(&h.sent());
    assert_eq!(rest.len(), 3, "{rest:?}");
    assert_eq!(rest[0].3, Bytes::from_static(b"3"));
    assert_eq!(rest[1].3, Bytes::from_static(b"4"));
    assert_eq!(
        rest[2],
        (None, false, "q".into(), Bytes::from_static(b"zero"))
    );
    h.send(puback(4));
    h.send(puback(5));
    let done: Vec<PublishId> = acked(&h.events()).iter().map(|a| a.0).collect();
    assert_eq!(done, ids);
}

#[test]
fn smaller_receive_maximum_after_reconnect_limits_resends() {
    let mut h = harness(ProtocolVersion::V5);
    h.connected();
    for _ in 0..3 {
        h.publish("q", b"x", QoS::AtLeastOnce);
    }
    let _ = h.sent();
    h.lose();
    let _ = h.events();
    let again = h.establish(true, props(vec![Property::ReceiveMaximum(1)]));
    assert_eq!(
        publishes(&again)
            .iter()
            .map(|p| p.0.unwrap())
            .collect::<Vec<_>>(),
        [1]
    );
    h.send(puback(1));
    assert_eq!(
        publishes(&h.sent())
            .iter()
            .map(|p| (p.0.unwrap(), p.1))
            .collect::<Vec<_>>(),
        [(2, true)]
    );
}

#[test]
fn packet_ids_wrap_past_65535_skipping_ids_in_use() {
    let mut h = harness(ProtocolVersion::V5);
    h.connected();
    // Ids 1..=3 stay in flight for the whole test.
    for _ in 0..3 {
        h.publish("hold", b"x", QoS::AtLeastOnce);
    }
    let _ = h.sent();
    // Churn through the rest of the space.
    for expected in 4..=u16::MAX {
        h.publish("churn", b"x", QoS::AtLeastOnce);
        let sent = h.sent();
        assert_eq!(publishes(&sent)[0].0, Some(expected));
        h.send(puback(expected));
    }
    let _ = h.events();
    // Wrapped: 0 is skipped, 1..=3 are in use.
    h.publish("wrap", b"x", QoS::AtLeastOnce);
    assert_eq!(publishes(&h.sent())[0].0, Some(4));
    let pids: Vec<u16> = h.s.inflight().map(|(_, p, _, _)| p.get()).collect();
    assert_eq!(pids, [1, 2, 3, 4]);
    // Subscribe shares the identifier space.
    let so = mqtt_session::SubscriptionOptions::qos(QoS::AtMostOnce);
    h.s.subscribe([("s", so)], Properties::default()).unwrap();
    assert!(matches!(&h.sent()[..], [Packet::Subscribe(s)] if s.pid.get() == 5));
}

#[test]
fn inflight_reports_stage() {
    let mut h = harness(ProtocolVersion::V5);
    h.connected();
    h.publish("a", b"x", QoS::ExactlyOnce);
    h.send(pubrec(1));
    let v: Vec<_> = h.s.inflight().map(|(_, p, q, s)| (p.get(), q, s)).collect();
    assert_eq!(v, [(1, QoS::ExactlyOnce, OutgoingStage::AwaitingComp)]);
}

fn pubcomp_reason(p: u16, reason: ReasonCode) -> Packet {
    Packet::PubComp(mqtt_codec_wasm::PublishAck {
        pid: pid(p),
        reason,
        properties: Properties::default(),
    })
}

/// The design choice for a broker that restored an older snapshot: a QoS 2 PUBLISH with
/// DUP = 0 under an identifier still awaiting PUBREL is taken as the same message, not a new
/// one. 5.0 section 4.3.3 (3.1.1 likewise) says that until PUBREL the receiver acknowledges
/// *any* PUBLISH with that identifier with PUBREC and must not deliver it again; DUP does not
/// change that (a receiver "cannot assume it has seen an earlier copy" from DUP = 1, and a
/// resend with DUP = 0 is not a promise either). Exactly once wins over at least once: a
/// broker that reuses an identifier it still has in flight has broken its own state, and the
/// only way to deliver "both" would be to deliver the retry of a delivered message twice.
#[test]
fn qos2_publish_without_dup_under_a_pending_identifier_is_the_same_message() {
    for v in VERSIONS {
        let mut h = harness(v);
        h.connected();
        h.send(publish("in/2", b"before", QosPid::ExactlyOnce(pid(9))));
        assert_eq!(messages(&h.events()), vec![Bytes::from_static(b"before")]);
        h.lose(); // PUBREC lost; the broker restarts from a snapshot that predates it
        let _ = h.events();
        h.establish(true, Properties::default());
        let _ = h.sent();
        h.send(publish("in/2", b"after", QosPid::ExactlyOnce(pid(9))));
        assert!(
            messages(&h.events()).is_empty(),
            "{v:?}: not delivered while the identifier awaits PUBREL"
        );
        assert_eq!(h.sent(), vec![pubrec(9)]);
        h.send(pubrel(9));
        assert_eq!(h.sent(), vec![pubcomp(9)]);
        h.send(publish("in/2", b"next", QosPid::ExactlyOnce(pid(9))));
        assert_eq!(messages(&h.events()), vec![Bytes::from_static(b"next")]);
    }
}
