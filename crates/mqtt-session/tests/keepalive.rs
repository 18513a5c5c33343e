//! Keepalive pings and dead-connection detection within 1.5 × keepalive.
mod common;

use common::*;
use mqtt_codec_wasm::{Packet, ProtocolVersion, QoS, QosPid};
use mqtt_session::{ConnectionLostCause, Event, State};

const KA: u64 = 10_000;

#[test]
fn ping_after_a_keepalive_of_silence_and_pong_rearms() {
    let mut h = Harness::v5();
    h.connected();
    let t0 = h.now;
    assert_eq!(h.advance(), t0.plus_ms(KA));
    assert_eq!(h.sent(), vec![Packet::PingReq]);
    // Waiting for the answer: only the dead-connection deadline is armed.
    assert_eq!(h.s.poll_timeout(), Some(t0.plus_ms(KA * 3 / 2)));
    h.now = h.now.plus_ms(300);
    h.send(Packet::PingResp);
    assert!(h.events().is_empty());
    assert_eq!(h.s.poll_timeout(), Some(t0.plus_ms(2 * KA)));
    h.advance();
    assert_eq!(h.sent(), vec![Packet::PingReq]);
}

#[test]
fn dead_connection_detected_at_one_and_a_half_keepalive() {
    let mut h = Harness::v311();
    h.connected();
    let last_heard = h.now;
    h.advance();
    assert_eq!(h.sent(), vec![Packet::PingReq]);
    let detected = h.advance();
    assert_eq!(
        h.events(),
        vec![Event::ConnectionLost {
            cause: ConnectionLostCause::KeepAliveTimeout
        }]
    );
    assert_eq!(detected.since(last_heard), KA * 3 / 2);
    assert!(matches!(h.s.state(), State::WaitingToReconnect { .. }));
}

/// Whatever the traffic pattern before the connection silently dies, death is detected at
/// most 1.5 × keepalive after the last byte arrived.
#[test]
fn detection_bound_holds_for_any_death_time() {
    for death_ms in [0u64, 1, 999, 4_321, 9_999, 10_000, 10_001, 14_999, 27_500] {
        for pattern in 0..3 {
            let mut h = Harness::v5();
            h.connected();
            let start = h.now;
            let mut last_heard = h.now;
            // Traffic until death, every 700 ms: 0 = we publish QoS 0, 1 = server publishes,
            // 2 = both idle (pings answered).
            loop {
                let next = h.now.plus_ms(700);
                let deadline = h.s.poll_timeout().unwrap();
                let step = next.min(deadline);
                if step.since(start) >= death_ms {
                    break;
                }
                h.now = step;
                h.s.handle_timeout(step);
                match pattern {
                    0 if step == next => {
                        h.publish("t", b"x", QoS::AtMostOnce);
                    }
                    1 if step == next => {
                        h.send(publish("t", b"x", QosPid::AtMostOnce));
                        last_heard = h.now;
                    }
                    _ => {}
                }
                if h.sent().contains(&Packet::PingReq) {
                    h.send(Packet::PingResp);
                    last_heard = h.now;
                }
                assert_eq!(h.s.state(), State::Connected, "alive while answered");
            }
            // Dead: nothing arrives any more; we keep publishing in pattern 0.
            let detected = loop {
                let t = h.advance();
                if pattern == 0 {
                    h.publish("t", b"x", QoS::AtMostOnce);
                }
                let _ = h.sent();
                if h.s.state() != State::Connected {
                    break t;
                }
            };
            assert!(
                detected.since(last_heard) <= KA * 3 / 2,
                "pattern {pattern} death {death_ms}: detected {} ms after last heard",
                detected.since(last_heard)
            );
            assert!(h.events().contains(&Event::ConnectionLost {
                cause: ConnectionLostCause::KeepAliveTimeout
            }));
        }
    }
}

#[test]
fn publisher_that_hears_nothing_still_pings() {
    let mut h = Harness::v5();
    h.connected();
    let t0 = h.now;
    for _ in 0..9 {
        h.advance_by(1_000);
        h.publish("t", b"x", QoS::AtMostOnce);
        assert!(!h.sent().contains(&Packet::PingReq));
    }
    // Sent something a second ago, but heard nothing for a keepalive: ping.
    assert_eq!(h.s.poll_timeout(), Some(t0.plus_ms(KA)));
    h.advance();
    assert_eq!(h.sent(), vec![Packet::PingReq]);
}

#[test]
fn any_packet_answers_a_ping() {
    let mut h = Harness::v5();
    h.connected();
    h.advance();
    assert_eq!(h.sent(), vec![Packet::PingReq]);
    h.now = h.now.plus_ms(100);
    h.send(publish("t", b"x", QosPid::AtMostOnce));
    let _ = h.events();
    // Not dead at the old deadline.
    h.advance_by(KA / 2);
    assert_eq!(h.s.state(), State::Connected);
}

#[test]
fn keepalive_zero_arms_no_timer() {
    let mut o = opts(ProtocolVersion::V5);
    o.keep_alive = 0;
    let mut h = Harness::new(o);
    h.connected();
    assert_eq!(h.s.poll_timeout(), None);
}

#[test]
fn server_keep_alive_zero_turns_pings_off() {
    let mut h = Harness::v5();
    h.open();
    h.connack(
        false,
        props(vec![mqtt_codec_wasm::Property::ServerKeepAlive(0)]),
    );
    assert_eq!(h.s.poll_timeout(), None);
}
