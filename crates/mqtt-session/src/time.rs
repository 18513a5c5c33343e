//! The session's notion of time.

use core::ops::Add;
use core::time::Duration;

/// A point in time, in milliseconds since an origin the driver chooses.
///
/// The session only ever compares and adds these, so the origin does not matter: a browser
/// can pass `performance.now()`, a native driver the milliseconds since it started, and a
/// test a counter it moves by hand. Milliseconds are fine enough for MQTT, whose timers are
/// in seconds, and a `u64` of them outlasts any connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Millis(pub u64);

impl Millis {
    pub const ZERO: Self = Self(0);

    /// Milliseconds from `earlier` to `self`, zero if `earlier` is later: a driver clock that
    /// steps backwards must not make a deadline look infinitely far away.
    pub const fn since(self, earlier: Millis) -> u64 {
        self.0.saturating_sub(earlier.0)
    }

    pub const fn plus_ms(self, ms: u64) -> Self {
        Self(self.0.saturating_add(ms))
    }
}

impl Add<Duration> for Millis {
    type Output = Millis;
    fn add(self, rhs: Duration) -> Millis {
        self.plus_ms(duration_ms(rhs))
    }
}

/// Whole milliseconds of a duration, saturating rather than wrapping.
pub(crate) fn duration_ms(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}
