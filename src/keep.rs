//! Chart history that survives a reload: each chart series' points are kept in the browser
//! (`storage::idb`), put back before the live ones when the page loads, and dropped when the
//! series is gone.
//!
//! A stored series is known by its dashboard, widget and position **and** by its topic and
//! JSON path, so a series pointed at another topic never shows the points of the one it
//! replaced. Writes are behind: a message only changes memory; what changed is written every
//! [`WRITE_EVERY_SECS`] and when the page is hidden or left, in one transaction. Each series
//! keeps at most its own cap and never more than [`MAX_STORED_POINTS`].
//!
//! A stored record is outside input: one that is not pairs of numbers, is too long, or holds
//! non-finite numbers is skipped (wholly, or those points), never trusted.

use std::cell::RefCell;
use std::rc::Rc;

use leptos::prelude::*;

use crate::config::{Binding, json_string};
use crate::live::Live;
use crate::storage::idb::{self, Record, SeriesDb};
use crate::widgets::History;
use crate::widgets::history::Point;

/// The most points kept per series across reloads, whatever the chart's own cap (2,000
/// points are 32 KB of record: a dashboard of charts stays well inside any browser's quota).
pub const MAX_STORED_POINTS: usize = 2_000;

/// How often what changed is written, in seconds.
pub const WRITE_EVERY_SECS: u32 = 5;

/// A series' record key: its place and what it reads, as a JSON list, so no id, topic or
/// path can be mistaken for another's (`["demo","history",0,"tablero/demo/temperature",null]`).
pub fn series_key(dashboard: &str, widget: &str, index: usize, binding: &Binding) -> String {
    let mut key = String::from("[");
    json_string(&mut key, dashboard);
    key.push(',');
    json_string(&mut key, widget);
    key.push(',');
    key.push_str(&index.to_string());
    key.push(',');
    json_string(&mut key, &binding.topic);
    key.push(',');
    match &binding.json_path {
        Some(path) => json_string(&mut key, path),
        None => key.push_str("null"),
    }
    key.push(']');
    key
}

/// What is written of a history: its newest points (at most [`MAX_STORED_POINTS`]), as
/// `t, v` pairs, oldest first.
pub fn record_of(history: &History) -> Vec<f64> {
    let skip = history.len().saturating_sub(MAX_STORED_POINTS);
    history
        .iter()
        .skip(skip)
        .flat_map(|(t, v)| [t, v])
        .collect()
}

/// The points of a stored record, or `None` when it is no record of ours (odd length, too
/// long). Non-finite points are left out.
pub fn points_of(values: &[f64]) -> Option<Vec<Point>> {
    if !values.len().is_multiple_of(2) || values.len() > 2 * MAX_STORED_POINTS {
        return None;
    }
    Some(
        values
            .chunks_exact(2)
            .map(|p| (p[0], p[1]))
            .filter(|(t, v)| t.is_finite() && v.is_finite())
            .collect(),
    )
}

/// What to write and delete now: every series whose history changed since it was last
/// written, and every stored key no series has any more. A series is `(key,
/// History::changes, its record when asked)`, so unchanged ones are not copied. `written`
/// (each key's `changes` when last written or restored) is brought up to date; lists, not
/// maps: a page has tens of series, and each map type costs the first load its own code.
pub fn plan<R: FnOnce() -> Vec<f64>>(
    series: impl IntoIterator<Item = (String, u32, R)>,
    written: &mut Vec<(String, u32)>,
) -> (Vec<(String, Vec<f64>)>, Vec<String>) {
    let mut puts = Vec::new();
    let mut now = Vec::new();
    for (key, changes, record) in series {
        let was = written.iter().position(|(k, _)| *k == key);
        // A series never written and still empty has nothing to keep.
        if was.map_or(0, |i| written[i].1) != changes {
            puts.push((key.clone(), record()));
        }
        if let Some(i) = was {
            written.swap_remove(i);
        }
        if was.is_some() || changes != 0 {
            now.push((key, changes));
        }
    }
    // What is left was stored for series that are gone.
    let deletes = written.drain(..).map(|(k, _)| k).collect();
    *written = now;
    (puts, deletes)
}

/// The page's side of the kept series, owned by the runtime.
///
/// Only this handle is in the first load: opening, restoring and writing are behind a split
/// point ([`keep`]), fetched while the first screen is already up (restoring waits for
/// storage anyway). Once storage has answered, that part leaves a writer here, so a write is
/// a plain call: a page turning hidden may be on its way out, with no time for a task. If
/// the part cannot be fetched, charts live in memory only, as before.
#[derive(Clone, Default)]
pub struct Keeper(Rc<RefCell<Kept>>);

#[derive(Default)]
struct Kept {
    started: bool,
    write: Option<Rc<dyn Fn()>>,
}

impl Keeper {
    /// Once, after the first `Live::sync` (so every chart of every dashboard has its feed):
    /// opens storage, puts each stored series back into its chart, and drops the records of
    /// series that no longer exist.
    pub fn start(&self, live: &Rc<RefCell<Live>>) {
        if std::mem::replace(&mut self.0.borrow_mut().started, true) {
            return;
        }
        let (keeper, live) = (self.clone(), Rc::clone(live));
        leptos::task::spawn_local(async move {
            // Not fetched (offline on a first visit): nothing is kept, and nothing is wrong.
            let _ = keep(keeper, live).await;
        });
    }

    /// Writes what changed since the last write, now (nothing before storage has answered).
    pub fn flush(&self) {
        let write = self.0.borrow().write.clone();
        if let Some(write) = write {
            write();
        }
    }
}

#[leptos::wasm_split::wasm_split(keep_history, wasm_split_path = ::leptos::wasm_split, fallible)]
fn keep(
    keeper: Keeper,
    live: Rc<RefCell<Live>>,
) -> Result<(), leptos::wasm_split::SplitLoaderError> {
    idb::open(2 * MAX_STORED_POINTS, move |db, records| {
        // Each stored series' `History::changes` when it was last written or restored.
        let mut written = Vec::new();
        restore(&live.borrow(), &mut written, records);
        let written = RefCell::new(written);
        let writer: Rc<dyn Fn()> =
            Rc::new(move || write(&live.borrow(), &db, &mut written.borrow_mut()));
        writer();
        keeper.0.borrow_mut().write = Some(writer);
    });
    Ok(())
}

fn write(live: &Live, db: &SeriesDb, written: &mut Vec<(String, u32)>) {
    let series = live.chart_series().into_iter().map(|(key, h)| {
        let changes = h.with_untracked(History::changes);
        (key, changes, move || h.with_untracked(record_of))
    });
    let (puts, deletes) = plan(series, written);
    if !puts.is_empty() || !deletes.is_empty() {
        db.write(&puts, &deletes);
    }
}

fn restore(live: &Live, written: &mut Vec<(String, u32)>, mut records: Vec<Record>) {
    for (key, history) in live.chart_series() {
        let Some(at) = records.iter().position(|(k, _)| *k == key) else {
            continue;
        };
        let (key, values) = records.swap_remove(at);
        let points = values.as_deref().and_then(points_of).unwrap_or_default();
        let was_empty = history.with_untracked(History::is_empty);
        history.update(|h| h.restore_older(points));
        // Nothing new to write unless live points came first (then both are written); a
        // broken record is rewritten with whatever the series gets.
        let changes = if was_empty {
            history.with_untracked(History::changes)
        } else {
            0
        };
        written.push((key, changes));
    }
    // Records of series that are gone: deleted by the first write.
    written.extend(records.into_iter().map(|(k, _)| (k, u32::MAX)));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Qos;

    fn binding(topic: &str, path: Option<&str>) -> Binding {
        Binding {
            topic: topic.into(),
            json_path: path.map(Into::into),
            scale: 1.0,
            offset: 0.0,
            qos: Qos::AtMostOnce,
        }
    }

    #[test]
    fn keys_tell_place_topic_and_path_apart() {
        let b = binding("tablero/demo/temperature", None);
        assert_eq!(
            series_key("demo", "history", 0, &b),
            r#"["demo","history",0,"tablero/demo/temperature",null]"#
        );
        let keys = [
            series_key("demo", "history", 1, &b),
            series_key("demo", "history2", 0, &b),
            series_key("demo2", "history", 0, &b),
            series_key("demo", "history", 0, &binding("tablero/demo/light", None)),
            series_key(
                "demo",
                "history",
                0,
                &binding("tablero/demo/temperature", Some("$.t")),
            ),
            // Separators inside ids cannot forge another key.
            series_key("demo\",\"history", "0", 0, &b),
        ];
        for (i, k) in keys.iter().enumerate() {
            assert_ne!(k, &series_key("demo", "history", 0, &b), "{i}");
            for other in &keys[i + 1..] {
                assert_ne!(k, other);
            }
        }
    }

    #[test]
    fn records_hold_the_newest_points_and_read_back() {
        let mut h = History::new(5_000);
        for i in 0..3_000 {
            h.push(f64::from(i), f64::from(i) / 10.0);
        }
        let record = record_of(&h);
        assert_eq!(record.len(), 2 * MAX_STORED_POINTS);
        let points = points_of(&record).unwrap();
        assert_eq!(points.first(), Some(&(1_000.0, 100.0)));
        assert_eq!(points.last(), Some(&(2_999.0, 299.9)));
        assert_eq!(points_of(&record_of(&History::new(10))), Some(vec![]));
    }

    #[test]
    fn broken_records_are_skipped() {
        assert_eq!(points_of(&[1.0, 2.0, 3.0]), None, "not pairs");
        assert_eq!(
            points_of(&vec![1.0; 2 * MAX_STORED_POINTS + 2]),
            None,
            "too long"
        );
        assert_eq!(
            points_of(&[1.0, f64::NAN, f64::INFINITY, 2.0, 3.0, 4.0, 5.0, -1e308]),
            Some(vec![(3.0, 4.0), (5.0, -1e308)])
        );
    }

    fn plan_of(
        series: Vec<(&str, u32, Vec<f64>)>,
        written: &mut Vec<(String, u32)>,
    ) -> (Vec<(String, Vec<f64>)>, Vec<String>) {
        let series = series
            .into_iter()
            .map(|(k, c, r)| (k.to_owned(), c, move || r));
        plan(series, written)
    }

    #[test]
    fn only_changes_are_written_and_gone_series_are_deleted() {
        // "a" restored (at 3), "old" stored for a series that is gone; "b" never had a
        // point, "c" has new points.
        let mut written = vec![("old".to_owned(), u32::MAX), ("a".to_owned(), 3)];
        let (puts, deletes) = plan_of(
            vec![
                ("a", 3, vec![1.0, 2.0]),
                ("b", 0, vec![]),
                ("c", 2, vec![5.0, 6.0]),
            ],
            &mut written,
        );
        assert_eq!(puts, vec![("c".to_owned(), vec![5.0, 6.0])]);
        assert_eq!(deletes, vec!["old".to_owned()]);
        // Nothing changed: nothing to do.
        let (puts, deletes) = plan_of(
            vec![("a", 3, vec![]), ("b", 0, vec![]), ("c", 2, vec![])],
            &mut written,
        );
        assert!(puts.is_empty() && deletes.is_empty());
        // "b" and "c" are removed from the dashboard: the record of "c" goes; "b" had none.
        let (puts, deletes) = plan_of(vec![("a", 4, vec![])], &mut written);
        assert_eq!(puts.len(), 1);
        assert_eq!(deletes, vec!["c".to_owned()]);
        assert_eq!(written, vec![("a".to_owned(), 4)]);
    }
}
