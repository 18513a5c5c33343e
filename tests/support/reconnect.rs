//! What the reconnect suites (`crash.rs`, `lifecycle.rs`) share: a stored configuration
//! written before the app starts, a page-side log of the connection status with timestamps,
//! the reconnect backoff replayed from that log (DevTools commands, `cdp`, are in `support`).
#![allow(dead_code)]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use fantoccini::Client;
use serde_json::{Value, json};

use crate::support::*;

/// Milliseconds since the Unix epoch on this machine's clock: the same clock as the page's
/// `Date.now()`, so test-side and page-side moments compare.
pub fn epoch_ms() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs_f64()
        * 1000.0
}

/// The connection the suites use: the demo's broker, a persistent MQTT 5.0 session (so
/// QoS 1/2 messages published while the page is away are kept for it) and `keep_alive` s.
pub fn connection(ws_port: u16, client_id: &str, keep_alive: u16) -> Value {
    json!({
        "id": "local", "name": "Local", "scheme": "ws", "host": "127.0.0.1",
        "port": ws_port, "path": "/", "remember_password": false, "client_id": client_id,
        "mqtt_version": "5.0", "keep_alive_secs": keep_alive, "clean_start": false,
        "session_expiry_secs": 3600
    })
}

pub fn switch(id: &str, name: &str, qos: &str) -> Value {
    json!({
        "id": id, "title": id, "type": "switch",
        "command_topic": format!("tablero/demo/{name}/set"),
        "on_payload": "on", "off_payload": "off",
        "state_topic": format!("tablero/demo/{name}/state"),
        "state_on": "on", "state_off": "off", "qos": qos, "retain": false,
        "confirm_timeout_ms": 10000
    })
}

/// A chart that keeps every point of a day (its `data-points` counts deliveries).
pub fn counter_chart(id: &str, topic: &str, qos: &str) -> Value {
    json!({
        "id": id, "title": id, "type": "chart",
        "series": [{"label": topic, "color": "#dc2626",
                    "binding": {"topic": topic, "scale": 1, "offset": 0, "qos": qos}}],
        "window_secs": 86400, "max_points": 100000, "unit": ""
    })
}

pub fn value(id: &str, topic: &str) -> Value {
    json!({
        "id": id, "title": id, "type": "value",
        "binding": {"topic": topic, "scale": 1, "offset": 0, "qos": "0"},
        "unit": "", "stale_after_secs": 30
    })
}

pub fn config(connection: Value, widgets: Vec<Value>) -> Value {
    json!({
        "version": 1,
        "connections": [connection],
        "dashboards": [{"id": "demo", "name": "Demo", "connection": "local", "widgets": widgets}]
    })
}

/// Opens the page with `config` as the stored configuration (written on a first load, then
/// the page is loaded again to start from it), and installs the status log.
pub async fn open_with(h: &Harness, config: &Value) -> Client {
    let client = h.browser(1280, 900).await;
    client.goto(&h.page_url("en")).await.unwrap();
    wait_present(&client, "#status").await;
    store_config_and_reload(&client, config).await;
    wait_present(&client, "#status").await;
    install_status_log(&client).await;
    client
}

/// Records every change of `#status`'s `data-state` in the page, with `Date.now()`: each
/// mutation record carries the value it replaced, so a batch of records loses no step.
/// Also records the `online`, `offline`, `visibilitychange`, `freeze` and `resume` events.
pub async fn install_status_log(client: &Client) {
    js(
        client,
        r#"
        if (window.__status) return true;
        window.__status = [];
        window.__events = [];
        const first = document.querySelector('#status');
        window.__status.push({t: Date.now(), state: first ? first.dataset.state : 'none'});
        const push = (state) => {
          const last = window.__status[window.__status.length - 1];
          if (last.state !== state) window.__status.push({t: Date.now(), state});
        };
        new MutationObserver((records) => {
          const t = Date.now();
          const mine = records.filter(r => r.target.id === 'status');
          mine.forEach((r, i) => {
            const next = i + 1 < mine.length ? mine[i + 1].oldValue : r.target.dataset.state;
            const last = window.__status[window.__status.length - 1];
            if (next !== null && last.state !== next) window.__status.push({t, state: next});
          });
          const s = document.querySelector('#status');
          if (s) push(s.dataset.state);
        }).observe(document.documentElement,
                   {attributes: true, attributeOldValue: true, attributeFilter: ['data-state'],
                    subtree: true, childList: true});
        for (const e of ['online', 'offline']) {
          window.addEventListener(e, () => window.__events.push({t: Date.now(), e}));
        }
        for (const e of ['visibilitychange', 'freeze', 'resume']) {
          document.addEventListener(e, () =>
            window.__events.push({t: Date.now(), e: e + ':' + document.visibilityState}));
        }
        return true;
        "#,
    )
    .await;
}

/// One change of the connection status, as the page saw it.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub t: f64,
    pub state: String,
}

pub async fn status_log(client: &Client) -> Vec<Step> {
    let v = js(client, "return window.__status").await;
    v.as_array()
        .expect("the status log (install_status_log)")
        .iter()
        .map(|s| Step {
            t: s["t"].as_f64().unwrap(),
            state: s["state"].as_str().unwrap_or("none").to_owned(),
        })
        .collect()
}

/// The page-side events recorded since `install_status_log`: (`Date.now()`, name).
pub async fn page_events(client: &Client) -> Vec<(f64, String)> {
    let v = js(client, "return window.__events").await;
    v.as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["t"].as_f64().unwrap(),
                e["e"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// Waits until the page logged `state` at or after `since` (epoch ms) and returns when.
pub async fn wait_state_since(client: &Client, state: &str, since: f64, timeout: Duration) -> f64 {
    wait_for(
        &format!("status {state} after {since}"),
        timeout,
        || async {
            let v = client
                .execute("return window.__status", vec![])
                .await
                .map_err(|e| e.to_string())?;
            let log: Vec<(f64, String)> = v
                .as_array()
                .ok_or("no status log")?
                .iter()
                .map(|s| {
                    (
                        s["t"].as_f64().unwrap_or(0.0),
                        s["state"].as_str().unwrap_or("").to_owned(),
                    )
                })
                .collect();
            match log.iter().find(|(t, s)| *t >= since && s == state) {
                Some((t, _)) => Ok(Some(*t)),
                None => Err(format!(
                    "{:?}",
                    log.iter().rev().take(4).collect::<Vec<_>>()
                )),
            }
        },
    )
    .await
}

/// The app's reconnect backoff (`mqtt-session`'s `BackoffConfig::default()`, which the app
/// does not change): full jitter, the n-th wait drawn from [0, min(60 s, 1 s × 2^n)], n
/// counting losses since the last connection that lived 20 s (or since retry-now).
pub const BACKOFF_INITIAL_MS: f64 = 1000.0;
pub const BACKOFF_MAX_MS: f64 = 60_000.0;
pub const STABLE_AFTER_MS: f64 = 20_000.0;

/// One wait between attempts, replayed from the status log: when it began (a transition
/// into `reconnecting`), the ceiling it was drawn under, and when it ended (the next
/// `connecting`), if it has.
#[derive(Debug, Clone)]
pub struct Wait {
    pub start: f64,
    pub ceiling_ms: f64,
    pub end: Option<f64>,
}

/// Replays the session's backoff over the status log. `resets` are moments the app called
/// retry-now (which starts the curve over).
pub fn waits(log: &[Step], resets: &[f64]) -> Vec<Wait> {
    let mut attempt = 0u32;
    let mut connected_at: Option<f64> = None;
    let mut out: Vec<Wait> = Vec::new();
    let mut prev = "none";
    let mut reset_i = 0;
    for s in log {
        while reset_i < resets.len() && resets[reset_i] <= s.t {
            attempt = 0;
            reset_i += 1;
        }
        match s.state.as_str() {
            "connected" => connected_at = Some(s.t),
            "reconnecting" if prev != "reconnecting" => {
                if let Some(at) = connected_at.take()
                    && s.t - at >= STABLE_AFTER_MS
                {
                    attempt = 0;
                }
                let ceiling =
                    (BACKOFF_INITIAL_MS * 2f64.powi(attempt.min(16) as i32)).min(BACKOFF_MAX_MS);
                attempt += 1;
                out.push(Wait {
                    start: s.t,
                    ceiling_ms: ceiling,
                    end: None,
                });
            }
            "connecting" => {
                if let Some(w) = out.last_mut()
                    && w.end.is_none()
                {
                    w.end = Some(s.t);
                }
            }
            _ => {}
        }
        prev = s.state.as_str();
    }
    out
}

/// The `p`-th percentile (0..=100) of `xs` by nearest rank.
pub fn percentile(xs: &[f64], p: f64) -> f64 {
    let mut v = xs.to_vec();
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    if v.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * v.len() as f64).ceil().max(1.0) as usize;
    v[rank.min(v.len()) - 1]
}
