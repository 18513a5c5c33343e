//! Reconnect backoff: exponential, full jitter, capped, reset after a stable connection.
mod common;

use common::*;
use core::time::Duration;
use mqtt_session::{BackoffConfig, Event, Millis, ReconnectPolicy, State, XorShift64};

fn ms(d: Duration) -> u64 {
    d.as_millis() as u64
}

#[test]
fn ceilings_double_from_one_second_to_sixty() {
    let mut p = ReconnectPolicy::new(BackoffConfig::default(), 7);
    let mut ceilings = Vec::new();
    for _ in 0..9 {
        ceilings.push(ms(p.ceiling()));
        let wait = p.connection_lost(Millis(0));
        assert!(ms(wait) <= *ceilings.last().unwrap());
    }
    assert_eq!(
        ceilings,
        [
            1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000
        ]
    );
    // Thousands of failures later, still capped and no overflow.
    for _ in 0..10_000 {
        assert!(ms(p.connection_lost(Millis(0))) <= 60_000);
    }
}

#[test]
fn full_jitter_spreads_waits_over_the_whole_range() {
    let mut rng_seed = 1u64;
    let mut waits = Vec::new();
    for _ in 0..2_000 {
        let mut p = ReconnectPolicy::new(BackoffConfig::default(), rng_seed);
        for _ in 0..6 {
            p.connection_lost(Millis(0));
        }
        // Seventh failure: ceiling 60 s.
        waits.push(ms(p.connection_lost(Millis(0))));
        rng_seed = rng_seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
    }
    let below_quarter = waits.iter().filter(|w| **w < 15_000).count();
    let above_three_quarters = waits.iter().filter(|w| **w > 45_000).count();
    assert!(
        below_quarter > 300 && above_three_quarters > 300,
        "{below_quarter} {above_three_quarters}"
    );
}

#[test]
fn stable_connection_resets_the_curve() {
    let mut p = ReconnectPolicy::new(BackoffConfig::default(), 3);
    for _ in 0..5 {
        p.connection_lost(Millis(0));
    }
    assert_eq!(ms(p.ceiling()), 32_000);
    // Up for 19.999 s: not stable, the curve continues.
    p.connected(Millis(100_000));
    p.connection_lost(Millis(119_999));
    assert_eq!(ms(p.ceiling()), 60_000);
    // Up for 20 s: stable, the next wait is at most 1 s.
    p.connected(Millis(200_000));
    let wait = p.connection_lost(Millis(220_000));
    assert!(ms(wait) <= 1_000);
    assert_eq!(p.attempts(), 1);
}

#[test]
fn retry_now_starts_over() {
    let mut p = ReconnectPolicy::new(BackoffConfig::default(), 3);
    for _ in 0..5 {
        p.connection_lost(Millis(0));
    }
    p.retry_now();
    assert_eq!(p.attempts(), 0);
    assert_eq!(ms(p.ceiling()), 1_000);
}

#[test]
fn seeded_and_deterministic() {
    let run = |seed| {
        let mut p = ReconnectPolicy::new(BackoffConfig::default(), seed);
        (0..8)
            .map(|_| p.connection_lost(Millis(0)))
            .collect::<Vec<_>>()
    };
    assert_eq!(run(42), run(42));
    assert_ne!(run(42), run(43));
    // Seed zero still produces numbers (xorshift's zero state is a fixed point).
    let mut r = XorShift64::new(0);
    assert_ne!(r.next_u64(), 0);
}

#[test]
fn session_backs_off_across_failed_attempts_and_resets_after_stability() {
    let mut h = Harness::v5();
    let mut ceilings = Vec::new();
    for _ in 0..7 {
        h.open();
        let before = h.now;
        h.lose(); // the attempt failed
        let State::WaitingToReconnect { until } = h.s.state() else {
            panic!()
        };
        ceilings.push(until.since(before));
        assert_eq!(
            h.events(),
            vec![Event::ConnectionLost {
                cause: mqtt_session::ConnectionLostCause::Transport
            }]
        );
        h.advance();
        assert_eq!(h.events(), vec![Event::ReconnectDue]);
    }
    for (i, wait) in ceilings.iter().enumerate() {
        assert!(*wait <= (1_000u64 << i).min(60_000), "attempt {i}: {wait}");
    }
    // A connection that stays up 20 s resets the curve.
    h.connected();
    for _ in 0..4 {
        h.advance(); // ping
        let _ = h.sent();
        h.send(mqtt_codec_wasm::Packet::PingResp);
        h.now = h.now.plus_ms(1_000);
    }
    h.now = h.now.plus_ms(20_000);
    h.lose();
    let State::WaitingToReconnect { until } = h.s.state() else {
        panic!()
    };
    assert!(until.since(h.now) <= 1_000);
}
