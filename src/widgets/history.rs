//! A chart series' recent points: bounded memory, time always moving forward, and a
//! min/max-per-bucket decimation so that a one-sample spike still shows when thousands of
//! points are drawn into a few hundred pixels.

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

/// A point: time in ms since the epoch, value.
pub type Point = (f64, f64);

/// The smallest cap: a line needs two points.
const MIN_CAP: usize = 2;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct History {
    cap: usize,
    points: VecDeque<Point>,
    /// Counts changes, so a writer can tell what changed since it last wrote (the series
    /// kept across reloads are written only then) without comparing points.
    #[serde(skip)]
    changes: u32,
}

impl History {
    /// A history that keeps at most `max_points` points (at least 2), dropping the oldest.
    pub fn new(max_points: usize) -> Self {
        let cap = max_points.max(MIN_CAP);
        Self {
            cap,
            points: VecDeque::with_capacity(cap.min(1024)),
            changes: 0,
        }
    }

    /// Changes so far (wrapping): equal numbers mean the same points.
    pub fn changes(&self) -> u32 {
        self.changes
    }

    pub fn cap(&self) -> usize {
        self.cap
    }

    /// A new cap (at least 2); when smaller, the oldest points beyond it go.
    pub fn set_cap(&mut self, max_points: usize) {
        self.cap = max_points.max(MIN_CAP);
        if self.points.len() > self.cap {
            while self.points.len() > self.cap {
                self.points.pop_front();
            }
            self.changes = self.changes.wrapping_add(1);
        }
    }

    pub fn len(&self) -> usize {
        self.points.len()
    }

    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    pub fn clear(&mut self) {
        self.points.clear();
        self.changes = self.changes.wrapping_add(1);
    }

    pub fn last(&self) -> Option<Point> {
        self.points.back().copied()
    }

    /// All points, oldest first.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = Point> + ExactSizeIterator + '_ {
        self.points.iter().copied()
    }

    /// Adds a point. Non-finite times or values are ignored; a time earlier than the last
    /// point's (the clock was set back) is moved up to it, so the points stay in time order.
    pub fn push(&mut self, t_ms: f64, v: f64) {
        if !t_ms.is_finite() || !v.is_finite() {
            return;
        }
        let t = match self.points.back() {
            Some(&(last, _)) if t_ms < last => last,
            _ => t_ms,
        };
        if self.points.len() >= self.cap {
            self.points.pop_front();
        }
        self.points.push_back((t, v));
        self.changes = self.changes.wrapping_add(1);
    }

    /// Puts `older` points (oldest first: a previous visit's, read back from storage) before
    /// the ones already here, which may have arrived while storage was being read. Kept to the
    /// rules of [`push`](Self::push): non-finite points are skipped, a time earlier than the
    /// one before is moved up to it, and an older point later than the first one already here
    /// is dropped, so time still only moves forward. The cap keeps the newest.
    pub fn restore_older(&mut self, older: impl IntoIterator<Item = Point>) {
        let first_here = self.points.front().map(|p| p.0);
        let mut restored = History::new(self.cap);
        for (t, v) in older {
            if first_here.is_none_or(|first| t <= first) {
                restored.push(t, v);
            }
        }
        if restored.is_empty() {
            return;
        }
        for (t, v) in self.iter() {
            restored.push(t, v);
        }
        self.points = restored.points;
        self.changes = self.changes.wrapping_add(1);
    }

    /// The points from `now_ms - window_ms` on, oldest first.
    pub fn points_in_window(&self, now_ms: f64, window_ms: f64) -> Window<'_> {
        let start = now_ms - window_ms;
        let first = self.points.partition_point(|&(t, _)| t < start);
        Window {
            points: self.points.range(first..),
        }
    }
}

/// The points of a [`History`] inside a time window.
#[derive(Debug, Clone)]
pub struct Window<'a> {
    points: std::collections::vec_deque::Iter<'a, Point>,
}

impl Iterator for Window<'_> {
    type Item = Point;
    fn next(&mut self) -> Option<Point> {
        self.points.next().copied()
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.points.size_hint()
    }
}

impl DoubleEndedIterator for Window<'_> {
    fn next_back(&mut self) -> Option<Point> {
        self.points.next_back().copied()
    }
}

impl ExactSizeIterator for Window<'_> {}

impl Window<'_> {
    /// At most about `2 * to_buckets + 1` points that draw like all of them: the window's time
    /// span is cut into `to_buckets` equal buckets and each keeps its lowest and highest point
    /// (in time order), plus the last point so the line reaches the newest value. Windows
    /// that are already small enough come back whole.
    pub fn decimate(self, to_buckets: usize) -> Vec<Point> {
        let len = self.len();
        let buckets = to_buckets.max(1);
        if len <= 2 * buckets {
            return self.collect();
        }
        let (Some((t0, _)), Some(last)) = (self.clone().next(), self.clone().next_back()) else {
            return Vec::new();
        };
        let span = last.0 - t0;
        let mut out = Vec::with_capacity(2 * buckets + 1);
        // The current bucket's index, lowest and highest point.
        let mut current: Option<(usize, Point, Point)> = None;
        let flush = |out: &mut Vec<Point>, (_, lo, hi): (usize, Point, Point)| {
            let (a, b) = if lo.0 <= hi.0 { (lo, hi) } else { (hi, lo) };
            out.push(a);
            if b != a {
                out.push(b);
            }
        };
        for p in self {
            let bucket = if span > 0.0 {
                // Truncation is the bucketing; the clamp keeps the last point in range.
                (((p.0 - t0) / span * buckets as f64) as usize).min(buckets - 1)
            } else {
                0
            };
            match &mut current {
                Some((b, lo, hi)) if *b == bucket => {
                    if p.1 < lo.1 {
                        *lo = p;
                    }
                    if p.1 > hi.1 {
                        *hi = p;
                    }
                }
                _ => {
                    if let Some(done) = current.take() {
                        flush(&mut out, done);
                    }
                    current = Some((bucket, p, p));
                }
            }
        }
        if let Some(done) = current {
            flush(&mut out, done);
        }
        if out.last() != Some(&last) {
            out.push(last);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filled(n: usize, cap: usize) -> History {
        let mut h = History::new(cap);
        for i in 0..n {
            h.push(i as f64 * 1000.0, i as f64);
        }
        h
    }

    #[test]
    fn cap_keeps_memory_bounded_and_drops_the_oldest() {
        let h = filled(25, 10);
        assert_eq!(h.len(), 10);
        assert_eq!(h.cap(), 10);
        assert_eq!(h.iter().next(), Some((15_000.0, 15.0)));
        assert_eq!(h.last(), Some((24_000.0, 24.0)));
        assert_eq!(History::new(0).cap(), 2, "a line needs two points");
        let mut h = filled(25, 10);
        h.set_cap(4);
        assert_eq!(
            h.iter().collect::<Vec<_>>(),
            vec![
                (21_000.0, 21.0),
                (22_000.0, 22.0),
                (23_000.0, 23.0),
                (24_000.0, 24.0)
            ]
        );
        h.set_cap(100);
        h.push(25_000.0, 25.0);
        assert_eq!(h.len(), 5);
        let h = filled(100_000, 500);
        assert_eq!(h.len(), 500);
        assert!(h.points.capacity() < 2 * 1024);
    }

    #[test]
    fn window_cuts_old_points() {
        let h = filled(10, 100); // t = 0 s ..= 9 s
        let w: Vec<_> = h.points_in_window(9_000.0, 3_000.0).collect();
        assert_eq!(
            w,
            vec![
                (6_000.0, 6.0),
                (7_000.0, 7.0),
                (8_000.0, 8.0),
                (9_000.0, 9.0)
            ]
        );
        assert_eq!(h.points_in_window(100_000.0, 3_000.0).count(), 0);
        assert_eq!(h.points_in_window(9_000.0, 1e9).len(), 10);
        assert_eq!(History::new(5).points_in_window(0.0, 1.0).count(), 0);
    }

    #[test]
    fn time_never_goes_back_and_non_finite_is_ignored() {
        let mut h = History::new(10);
        h.push(5_000.0, 1.0);
        h.push(4_000.0, 2.0); // clock set back
        h.push(6_000.0, 3.0);
        h.push(f64::NAN, 4.0);
        h.push(7_000.0, f64::INFINITY);
        h.push(7_000.0, f64::NAN);
        let pts: Vec<_> = h.iter().collect();
        assert_eq!(pts, vec![(5_000.0, 1.0), (5_000.0, 2.0), (6_000.0, 3.0)]);
        assert!(pts.windows(2).all(|w| w[0].0 <= w[1].0));
    }

    #[test]
    fn restored_points_go_first_and_keep_the_rules() {
        let mut h = History::new(4);
        h.push(10_000.0, 10.0); // a live point that came before storage answered
        let before = h.changes();
        h.restore_older([
            (1_000.0, 1.0),
            (f64::NAN, 2.0),
            (3_000.0, f64::INFINITY),
            (2_000.0, 3.0),
            (1_500.0, 4.0),  // out of order: moved up, as `push` does
            (20_000.0, 5.0), // later than the live point: dropped
        ]);
        assert_ne!(h.changes(), before);
        let pts: Vec<_> = h.iter().collect();
        assert_eq!(
            pts,
            vec![
                (1_000.0, 1.0),
                (2_000.0, 3.0),
                (2_000.0, 4.0),
                (10_000.0, 10.0)
            ]
        );
        // The cap keeps the newest: the live point stays.
        h.restore_older([(0.0, 0.0)]);
        assert_eq!(h.len(), 4);
        assert_eq!(h.iter().next(), Some((1_000.0, 1.0)));
        // Into an empty history, and nothing to restore changes nothing.
        let mut e = History::new(10);
        e.restore_older([(5.0, 1.0), (6.0, 2.0)]);
        assert_eq!(e.len(), 2);
        let c = e.changes();
        e.restore_older([]);
        e.restore_older([(f64::NAN, 1.0)]);
        assert_eq!(e.changes(), c);
        e.push(7.0, 3.0);
        assert_eq!(e.last(), Some((7.0, 3.0)));
    }

    #[test]
    fn small_windows_are_not_decimated() {
        let h = filled(10, 100);
        assert_eq!(h.points_in_window(9_000.0, 1e9).decimate(5).len(), 10);
        assert_eq!(h.points_in_window(9_000.0, 1e9).decimate(100).len(), 10);
        assert!(
            History::new(5)
                .points_in_window(0.0, 1.0)
                .decimate(3)
                .is_empty()
        );
    }

    #[test]
    fn decimation_keeps_min_and_max_of_each_bucket() {
        let mut h = History::new(10_000);
        // 10 000 points, a gentle wave, with two one-sample spikes.
        for i in 0..10_000 {
            let v = match i {
                1234 => 1_000.0,
                8765 => -1_000.0,
                _ => (i as f64 / 500.0).sin(),
            };
            h.push(f64::from(i), v);
        }
        let buckets = 100;
        let d = h.points_in_window(9_999.0, 1e9).decimate(buckets);
        assert!(d.len() <= 2 * buckets + 1, "{}", d.len());
        assert!(d.contains(&(1234.0, 1_000.0)), "the high spike survives");
        assert!(d.contains(&(8765.0, -1_000.0)), "the low spike survives");
        assert_eq!(d.first(), Some(&(0.0, 0.0)));
        assert_eq!(d.last(), Some(&(9999.0, (9999.0f64 / 500.0).sin())));
        assert!(d.windows(2).all(|w| w[0].0 < w[1].0), "time order kept");
        // Each bucket's extremes are in the output.
        let all: Vec<_> = h.iter().collect();
        let span = 9_999.0;
        for b in 0..buckets {
            let in_bucket: Vec<_> = all
                .iter()
                .filter(|p| ((p.0 / span * buckets as f64) as usize).min(buckets - 1) == b)
                .collect();
            let lo = in_bucket.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
            let hi = in_bucket
                .iter()
                .map(|p| p.1)
                .fold(f64::NEG_INFINITY, f64::max);
            assert!(d.iter().any(|p| p.1 == lo), "bucket {b} min");
            assert!(d.iter().any(|p| p.1 == hi), "bucket {b} max");
        }
    }

    #[test]
    fn decimation_of_equal_times_and_constant_values() {
        let mut h = History::new(1000);
        for i in 0..500 {
            h.push(42.0, f64::from(i % 7));
        }
        let d = h.points_in_window(42.0, 10.0).decimate(10);
        assert_eq!(d.len(), 3, "one bucket: min, max and the last point: {d:?}");
        let mut h = History::new(1000);
        for i in 0..500 {
            h.push(f64::from(i), 3.0);
        }
        let d = h.points_in_window(500.0, 1e9).decimate(10);
        assert!(d.len() <= 21);
        assert!(d.iter().all(|p| p.1 == 3.0));
        assert_eq!(d.last(), Some(&(499.0, 3.0)));
    }
}
