//! Chart history that survives a reload, and a chart's points as CSV: the release build in
//! headless Chromium against a real mosquitto (loopback only). The demo dashboard's chart
//! (`history`) has two series: `°C` (the temperature topic) and `lux / 25` (the light topic,
//! scaled by 1/25).
//!
//! The page keeps the points in IndexedDB (database `tablero`, store `series`, one
//! `Float64Array` of `t, v` pairs per series); the tests read and spoil it with scripts.

mod support;

use std::path::{Path, PathBuf};
use std::time::Duration;

use fantoccini::Client;
use serde_json::{Value, json};
use support::*;

const LIGHT: &str = "tablero/demo/light";
const CHART: &str = "[data-widget-id=\"history\"] .chart-canvas";
const CSV_BUTTON: &str = "[data-widget-id=\"history\"] button.chart-csv";
/// The record keys of the demo chart's two series (`keep::series_key`).
const KEY_TEMPERATURE: &str = r#"["demo","history",0,"tablero/demo/temperature",null]"#;
const KEY_LIGHT: &str = r#"["demo","history",1,"tablero/demo/light",null]"#;

/// The stored records as `{key: [t, v, ...] or a description}`, or `null` while the page
/// has not made its store. Never makes the database itself (an upgrade is aborted), so the
/// page's own first open still creates the store.
const READ_RECORDS: &str = r#"
const done = arguments[arguments.length - 1];
const req = indexedDB.open('tablero');
req.onupgradeneeded = () => req.transaction.abort();
req.onerror = () => done(null);
req.onsuccess = () => {
  const db = req.result;
  if (!db.objectStoreNames.contains('series')) { db.close(); done(null); return; }
  const store = db.transaction('series').objectStore('series');
  const keys = store.getAllKeys();
  const values = store.getAll();
  values.onsuccess = () => {
    const out = {};
    keys.result.forEach((k, i) => {
      const v = values.result[i];
      out[String(k)] = v instanceof Float64Array ? Array.from(v, x => Number.isFinite(x) ? x : String(x)) : typeof v;
    });
    db.close();
    done(out);
  };
};
"#;

async fn records(client: &Client) -> Value {
    client
        .execute_async(READ_RECORDS, vec![])
        .await
        .unwrap_or_else(|e| panic!("reading IndexedDB: {e}"))
}

/// Waits until the store holds `key` with `points` points.
async fn wait_kept(client: &Client, key: &str, points: usize) -> Vec<f64> {
    wait_for(
        &format!("{points} points kept under {key}"),
        Duration::from_secs(20),
        || async {
            let all = records(client).await;
            match all.get(key).and_then(Value::as_array) {
                Some(values) if values.len() == 2 * points => {
                    Ok(Some(values.iter().map(|v| v.as_f64().unwrap()).collect()))
                }
                _ => Err(all.to_string()),
            }
        },
    )
    .await
}

/// A page on the broker, waiting for the SUBSCRIBE that follows a (re)load.
async fn reload_and_wait_subscribed(h: &Harness, client: &Client) {
    let subscribed = subscriptions_to(&h.broker, DEMO_TEMPERATURE);
    client.refresh().await.unwrap();
    wait_status(client, "connected").await;
    wait_for(
        "the SUBSCRIBE after the reload",
        Duration::from_secs(15),
        || async {
            let now = subscriptions_to(&h.broker, DEMO_TEMPERATURE);
            Ok((now > subscribed).then_some(()))
        },
    )
    .await;
}

/// A screenshot with the demo chart (and its CSV button) in view.
async fn chart_screenshot(client: &Client, name: &str) {
    js(
        client,
        "document.querySelector('[data-widget-id=\"history\"]').scrollIntoView({ block: 'end' }); \
         return null;",
    )
    .await;
    screenshot(client, name).await;
}

/// The first whole `.csv` file in `dir`: its path and text.
async fn wait_csv(dir: &Path) -> (PathBuf, String) {
    wait_for(
        &format!("a CSV download in {}", dir.display()),
        Duration::from_secs(15),
        || async {
            let found = std::fs::read_dir(dir)
                .map_err(|e| e.to_string())?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .find(|p| p.extension().is_some_and(|e| e == "csv"));
            let Some(path) = found else { return Ok(None) };
            let text = std::fs::read_to_string(&path).map_err(|e| e.to_string())?;
            // Whole when it ends with a line end (Chromium writes a .crdownload first).
            Ok(text.ends_with("\r\n").then_some((path, text)))
        },
    )
    .await
}

fn is_iso_utc(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 24
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
        && b[16] == b':'
        && b[19] == b'.'
        && b[23] == b'Z'
        && s.chars()
            .enumerate()
            .all(|(i, c)| [4, 7, 10, 13, 16, 19, 23].contains(&i) || c.is_ascii_digit())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chart_history_survives_a_reload_and_exports_as_csv() {
    let h = Harness::start();
    let client = h.open(1280, 800, "en").await;
    let temperatures = ["20.5", "21", "-3.25", "22.125", "19", "0.1"];
    h.publish_lines(DEMO_TEMPERATURE, &(temperatures.join("\n") + "\n"));
    h.publish_lines(LIGHT, "500\n1000\n");
    wait_attr(&client, CHART, "data-points", "8").await;

    // Written behind (every few seconds), whole: times and values as they came.
    let kept = wait_kept(&client, KEY_TEMPERATURE, 6).await;
    let values: Vec<f64> = kept.chunks(2).map(|p| p[1]).collect();
    assert_eq!(values, [20.5, 21.0, -3.25, 22.125, 19.0, 0.1]);
    assert!(
        kept.chunks(2).all(|p| p[0] > 1.6e12),
        "times are epoch ms: {kept:?}"
    );
    wait_kept(&client, KEY_LIGHT, 2).await;

    // Reloaded, the chart has its 8 points again, with no message published since.
    reload_and_wait_subscribed(&h, &client).await;
    wait_attr(&client, CHART, "data-points", "8").await;
    wait_gone(&client, "[data-widget-id=\"history\"] .chart-empty").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        attr_of(&client, CHART, "data-points").await.as_deref(),
        Some("8"),
        "nothing was published: the points are the restored ones"
    );

    // Live points go after the restored ones.
    h.publish(DEMO_TEMPERATURE, &["-m", "30.5"]);
    wait_attr(&client, CHART, "data-points", "9").await;
    chart_screenshot(&client, "history-restored-1280-en.png").await;

    // The CSV has every point, in time order, the series by their labels.
    click(&client, CSV_BUTTON).await;
    let (path, csv) = wait_csv(&h.downloads).await;
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.starts_with("Temperature and light-") && name.ends_with(".csv"),
        "{name}"
    );
    let mut lines = csv.split("\r\n");
    assert_eq!(lines.next(), Some("time,series,value"));
    let rows: Vec<Vec<&str>> = lines
        .filter(|l| !l.is_empty())
        .map(|l| l.split(',').collect())
        .collect();
    assert_eq!(rows.len(), 9, "{csv}");
    assert!(
        rows.iter().all(|r| r.len() == 3 && is_iso_utc(r[0])),
        "{csv}"
    );
    assert!(
        rows.windows(2).all(|w| w[0][0] <= w[1][0]),
        "time order: {csv}"
    );
    let of = |label: &str| -> Vec<&str> {
        rows.iter()
            .filter(|r| r[1] == label)
            .map(|r| r[2])
            .collect()
    };
    assert_eq!(
        of("°C"),
        ["20.5", "21", "-3.25", "22.125", "19", "0.1", "30.5"]
    );
    assert_eq!(of("lux / 25"), ["20", "40"]);

    // A point that came just before the page was left is written as it goes (hidden).
    h.publish(DEMO_TEMPERATURE, &["-m", "31"]);
    wait_attr(&client, CHART, "data-points", "10").await;
    reload_and_wait_subscribed(&h, &client).await;
    wait_attr(&client, CHART, "data-points", "10").await;
    client.close().await.unwrap();
}

/// Records no page of ours wrote: a string and odd-length numbers where the chart's series
/// are, an object, a huge array and a number key beside them.
const SPOIL: &str = r#"
const [temperature, light, done] = arguments;
const req = indexedDB.open('tablero');
req.onsuccess = () => {
  const db = req.result;
  const tx = db.transaction('series', 'readwrite');
  const store = tx.objectStore('series');
  store.put('garbage', temperature);
  store.put(new Float64Array([1, NaN, 3]), light);
  store.put({ points: [[1, 2]] }, 'foreign');
  store.put(new Float64Array(1000000).fill(1e308), 'huge');
  store.put(new Float64Array([NaN, Infinity]), 42);
  tx.oncomplete = () => { db.close(); done(true); };
  tx.onerror = () => { db.close(); done(String(tx.error)); };
};
req.onerror = () => done(String(req.error));
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_garbage_record_does_not_break_the_page() {
    let h = Harness::start();
    let client = h.open(360, 640, "es").await;
    wait_for("the page's store", Duration::from_secs(15), || async {
        Ok(records(&client).await.is_object().then_some(()))
    })
    .await;
    let spoiled = client
        .execute_async(SPOIL, vec![json!(KEY_TEMPERATURE), json!(KEY_LIGHT)])
        .await
        .unwrap();
    assert_eq!(spoiled, json!(true));

    reload_and_wait_subscribed(&h, &client).await;
    watch_console(&client).await;
    // Nothing of it was taken for points, and nothing is said about it.
    wait_present(&client, "[data-widget-id=\"history\"] .chart-empty").await;
    assert_eq!(
        attr_of(&client, CHART, "data-points").await.as_deref(),
        Some("0")
    );
    h.publish(DEMO_TEMPERATURE, &["-m", "18.5"]);
    wait_attr(&client, CHART, "data-points", "1").await;
    assert!(
        find(&client, "#notice").await.is_err(),
        "a notice: {:?}",
        try_text(&client, "#notice").await
    );

    // The chart's records are replaced by its points; the foreign ones with string keys go.
    wait_kept(&client, KEY_TEMPERATURE, 1).await;
    let all = wait_for(
        "the foreign records dropped",
        Duration::from_secs(20),
        || async {
            let all = records(&client).await;
            let gone = all.get("foreign").is_none() && all.get("huge").is_none();
            Ok(gone.then_some(all))
        },
    )
    .await;
    // The light series got no point: its broken record stays, ignored, until it does.
    assert_eq!(all[KEY_LIGHT], json!([1, "NaN", 3]), "{all}");
    assert!(
        console_errors(&client).await.is_empty(),
        "{:?}",
        console_errors(&client).await
    );
    chart_screenshot(&client, "history-garbage-360-es.png").await;
    client.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_indexeddb_charts_work_as_before() {
    let h = Harness::start();
    let client = h.browser(1280, 800).await;
    // As in a browser that refuses storage to the page.
    cdp(&h, &client, "Page.enable", json!({})).await;
    cdp(
        &h,
        &client,
        "Page.addScriptToEvaluateOnNewDocument",
        json!({ "source": "Object.defineProperty(window, 'indexedDB', { get() { \
            throw new DOMException('refused', 'SecurityError'); } });" }),
    )
    .await;
    let subscribed = subscriptions_to(&h.broker, DEMO_TEMPERATURE);
    client.goto(&h.page_url("en")).await.unwrap();
    wait_status(&client, "connected").await;
    wait_for("the SUBSCRIBE", Duration::from_secs(15), || async {
        Ok((subscriptions_to(&h.broker, DEMO_TEMPERATURE) > subscribed).then_some(()))
    })
    .await;
    watch_console(&client).await;
    h.publish_lines(DEMO_TEMPERATURE, "1\n2\n3\n");
    wait_attr(&client, CHART, "data-points", "3").await;
    // The beat that writes comes and goes.
    tokio::time::sleep(Duration::from_secs(6)).await;
    h.publish(DEMO_TEMPERATURE, &["-m", "4"]);
    wait_attr(&client, CHART, "data-points", "4").await;
    assert!(find(&client, "#notice").await.is_err(), "a notice");
    assert!(
        console_errors(&client).await.is_empty(),
        "{:?}",
        console_errors(&client).await
    );
    // The CSV still works: it reads memory, not storage.
    click(&client, CSV_BUTTON).await;
    let (_, csv) = wait_csv(&h.downloads).await;
    assert_eq!(csv.lines().count(), 5, "{csv}");
    client.close().await.unwrap();
}
