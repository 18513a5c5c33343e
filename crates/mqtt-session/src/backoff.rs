//! Reconnect backoff: exponential with full jitter.
//!
//! Kept apart from the session so a driver can use the same policy for things the session
//! does not see (a WebSocket that never opens, a DNS failure), and so it can be tested alone.

use core::time::Duration;

use crate::time::{Millis, duration_ms};

/// A small seedable PRNG (Marsaglia's xorshift64).
///
/// Jitter only has to spread clients apart, not resist prediction, so a few shifts suffice;
/// taking the seed from the driver keeps the session deterministic under test and free of
/// any global RNG or entropy source.
#[derive(Debug, Clone)]
pub struct XorShift64(u64);

impl XorShift64 {
    /// A zero state would stay zero forever, so zero is replaced by a fixed odd constant.
    pub const fn new(seed: u64) -> Self {
        Self(if seed == 0 {
            0x9E37_79B9_7F4A_7C15
        } else {
            seed
        })
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
}

/// The shape of the backoff curve.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BackoffConfig {
    /// The ceiling of the first wait.
    pub initial: Duration,
    /// No wait is longer than this, however many attempts failed.
    pub maximum: Duration,
    /// A connection that lived this long proves the broker reachable again, so the next loss
    /// starts the curve from the beginning instead of punishing the client for old failures.
    pub stable_after: Duration,
}

impl Default for BackoffConfig {
    fn default() -> Self {
        Self {
            initial: Duration::from_secs(1),
            maximum: Duration::from_secs(60),
            stable_after: Duration::from_secs(20),
        }
    }
}

/// Exponential backoff with "full jitter": wait a uniformly random time in
/// `[0, min(maximum, initial × 2^attempt)]`.
///
/// Full jitter (rather than a fixed interval, MQTT.js's choice) keeps a thousand dashboards
/// that lost their broker at the same moment from reconnecting in lockstep and knocking it
/// over again.
#[derive(Debug, Clone)]
pub struct ReconnectPolicy {
    config: BackoffConfig,
    attempt: u32,
    connected_at: Option<Millis>,
    rng: XorShift64,
}

impl ReconnectPolicy {
    pub fn new(config: BackoffConfig, seed: u64) -> Self {
        Self {
            config,
            attempt: 0,
            connected_at: None,
            rng: XorShift64::new(seed),
        }
    }

    pub fn config(&self) -> BackoffConfig {
        self.config
    }

    /// Failed attempts since the curve last started over.
    pub fn attempts(&self) -> u32 {
        self.attempt
    }

    /// Records that a connection was established; stability is judged when it ends.
    pub fn connected(&mut self, now: Millis) {
        self.connected_at = Some(now);
    }

    /// The ceiling of the next wait, before jitter.
    pub fn ceiling(&self) -> Duration {
        let initial = duration_ms(self.config.initial);
        let max = duration_ms(self.config.maximum);
        let factor = 1u64.checked_shl(self.attempt.min(63)).unwrap_or(u64::MAX);
        Duration::from_millis(initial.saturating_mul(factor).min(max))
    }

    /// Records a lost connection (or a failed attempt) and returns how long to wait before
    /// the next attempt.
    pub fn connection_lost(&mut self, now: Millis) -> Duration {
        if let Some(at) = self.connected_at.take()
            && now.since(at) >= duration_ms(self.config.stable_after)
        {
            self.attempt = 0;
        }
        let ceiling = duration_ms(self.ceiling());
        self.attempt = self.attempt.saturating_add(1);
        let wait = match ceiling.checked_add(1) {
            Some(span) => self.rng.next_u64() % span,
            None => self.rng.next_u64(),
        };
        Duration::from_millis(wait)
    }

    /// Starts the curve over, for when the driver learns the world changed (the page became
    /// visible, the network came back): old failures then say nothing about the next attempt.
    pub fn retry_now(&mut self) {
        self.attempt = 0;
    }
}
