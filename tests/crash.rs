//! Broker crashes and freezes ([Hardening], issue 12): mosquitto with persistence is killed
//! with SIGKILL and restarted after a random 0.1–5 s, again and again, while the page and a
//! `tablero device` exchange QoS 1 and QoS 2 commands and telemetry and a publisher sends
//! numbered QoS 1 and QoS 2 messages to charts on the page; and mosquitto is frozen with
//! SIGSTOP, then thawed.
//!
//! `make test` runs 5 cycles and a 20 s freeze; `make soak` 100 cycles and a 90 s freeze
//! (`TABLERO_SOAK_CYCLES`, `TABLERO_SOAK_STOP_SECS`; `TABLERO_SOAK_SEED` repeats a run).
//! Figures go to stdout (`--nocapture`) and into docs/RELIABILITY.md by hand.

#[path = "support/reconnect.rs"]
mod reconnect;
mod support;

use std::fs::File;
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use mqtt_session::XorShift64;
use reconnect::*;
use support::*;
use testkit::mosquitto::require_program;
use testkit::{BrokerEvent, Mosquitto, MosquittoOptions};

const APP_ID: &str = "soak-app";
const DEVICE_ID: &str = "soak-device";
const WITNESS_ID: &str = "soak-witness";
/// Numbered messages per stream (QoS 1 and QoS 2) per burst; three bursts per cycle.
const BURST: u64 = 10;
/// A browser timer fires a little after its deadline, and the status is drawn after that.
const TIMER_SLACK_MS: f64 = 250.0;

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// mosquitto with persistence, saving its database after every change (subscription,
/// retained or queued message) rather than every 30 min: with SIGKILL, what was not saved
/// is lost by the broker, and this suite measures the app, not mosquitto's save interval.
fn persistent_broker() -> Mosquitto {
    Mosquitto::start_with(MosquittoOptions {
        persistence: true,
        extra_config: "autosave_interval 1\nautosave_on_changes true\n".into(),
        ..Default::default()
    })
}

fn crash_config(ws_port: u16, keep_alive: u16) -> serde_json::Value {
    config(
        connection(ws_port, APP_ID, keep_alive),
        vec![
            switch("relay", "relay", "2"),
            switch("led", "led", "1"),
            counter_chart("q2", "soak/q2", "2"),
            counter_chart("q1", "soak/q1", "1"),
            value("temperature", DEMO_TEMPERATURE),
        ],
    )
}

/// Publishes `from..from+n` on `topic` at `qos` with one mosquitto_pub (`-l`, one line a
/// message): it exits 0 once the broker acknowledged every one.
fn publish_numbered(broker: &Mosquitto, topic: &str, qos: u8, from: u64, n: u64) {
    let mut child = Command::new(require_program("mosquitto_pub"))
        .args(["-h", "127.0.0.1", "-p", &broker.tcp_port.to_string()])
        .args(["-t", topic, "-q", &qos.to_string(), "-l"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("mosquitto_pub");
    let lines: String = (from..from + n).map(|i| format!("{i}\n")).collect();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(lines.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "mosquitto_pub: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A `tablero sub` with a persistent session on `soak/#`, appending to `file`: the
/// broker's side of the story (it exits when the broker dies; started again each cycle).
fn witness(broker: &Mosquitto, file: &std::path::Path) -> Proc {
    let out = File::options()
        .create(true)
        .append(true)
        .open(file)
        .unwrap();
    Proc(
        Command::new(tablero_bin())
            .args([
                "sub", "-c", "-i", WITNESS_ID, "-q", "2", "-t", "soak/#", "-v",
            ])
            .args(["-h", "127.0.0.1", "-p", &broker.tcp_port.to_string()])
            .stdout(out)
            .stderr(Stdio::null())
            .spawn()
            .expect("tablero sub"),
    )
}

fn connects_of(broker: &Mosquitto, client: &str) -> usize {
    broker
        .events()
        .iter()
        .filter(|e| matches!(e, BrokerEvent::Connect { client: c } if c == client))
        .count()
}

async fn wait_witness_subscribed(broker: &Mosquitto, before: usize) {
    wait_for(
        "the witness connected and subscribed",
        Duration::from_secs(15),
        || async {
            let n = connects_of(broker, WITNESS_ID);
            if n > before && broker.has_subscriber("soak/#") {
                Ok(Some(()))
            } else {
                Err(format!("{n} CONNECTs of the witness"))
            }
        },
    )
    .await;
}

async fn points(client: &fantoccini::Client, chart: &str) -> u64 {
    attr_of(client, &widget(chart, ".chart-canvas"), "data-points")
        .await
        .and_then(|p| p.parse().ok())
        .unwrap_or(0)
}

/// Waits (up to `timeout`) for a chart to count `expected` points and returns its count.
async fn settle(client: &fantoccini::Client, chart: &str, expected: u64, timeout: Duration) -> u64 {
    let deadline = Instant::now() + timeout;
    loop {
        let n = points(client, chart).await;
        if n >= expected || Instant::now() > deadline {
            // A duplicate would arrive with its original: look once more a moment later.
            tokio::time::sleep(Duration::from_millis(300)).await;
            return points(client, chart).await;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Toggles a switch and waits for the device's echo to confirm it.
async fn toggle(client: &fantoccini::Client, id: &str) {
    let sel = widget(id, ".switch-toggle");
    let was = attr_of(client, &sel, "aria-checked").await;
    let want = if was.as_deref() == Some("true") {
        "false"
    } else {
        "true"
    };
    click(client, &sel).await;
    wait_attr(client, &sel, "aria-checked", want).await;
    wait_for(
        &format!("{id} confirmed"),
        Duration::from_secs(15),
        || async {
            match try_attr(client, &sel, "aria-busy").await? {
                Some(b) if b == "true" => Err("pending".into()),
                _ => Ok(Some(())),
            }
        },
    )
    .await;
}

fn device_commands(log: &std::path::Path, name: &str) -> usize {
    std::fs::read_to_string(log)
        .unwrap_or_default()
        .lines()
        .filter(|l| l.starts_with(&format!("tablero device: {name} -> ")))
        .count()
}

/// Unique and total messages of `topic` the witness printed.
fn witnessed(file: &std::path::Path, topic: &str) -> (usize, usize) {
    let text = std::fs::read_to_string(file).unwrap_or_default();
    let all: Vec<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix(topic)?.strip_prefix(' '))
        .collect();
    let unique: std::collections::BTreeSet<&str> = all.iter().copied().collect();
    (unique.len(), all.len())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_nine_cycles_lose_nothing_duplicate_nothing_and_reconnect_within_the_backoff() {
    let cycles = env_u64("TABLERO_SOAK_CYCLES", 5);
    let seed = env_u64("TABLERO_SOAK_SEED", epoch_ms() as u64);
    println!("crash soak: {cycles} cycles, seed {seed} (TABLERO_SOAK_SEED={seed} repeats it)");
    let mut rng = XorShift64::new(seed);

    let mut h = Harness::start();
    h.broker = persistent_broker();
    let dir = std::env::temp_dir().join(format!("tablero-soak-{}-{}", std::process::id(), seed));
    std::fs::create_dir_all(&dir).unwrap();
    let device_log = dir.join("device.log");
    let witness_file = dir.join("witness.txt");

    let client = open_with(&h, &crash_config(h.broker.ws_port.unwrap(), 30)).await;
    wait_status(&client, "connected").await;
    wait_subscribed(&h.broker, "soak/q2").await;
    let spawn_device = |broker: &Mosquitto| {
        Proc(
            Command::new(tablero_bin())
                .args(["device", "--prefix", "tablero/demo", "--interval-ms", "500"])
                .args(["-i", DEVICE_ID, "-h", "127.0.0.1"])
                .args(["-p", &broker.tcp_port.to_string()])
                .stdout(Stdio::null())
                .stderr(
                    File::options()
                        .create(true)
                        .append(true)
                        .open(&device_log)
                        .unwrap(),
                )
                .spawn()
                .expect("tablero device"),
        )
    };
    let _device = spawn_device(&h.broker);
    wait_subscribed(&h.broker, "tablero/demo/+/set").await;
    let mut w = witness(&h.broker, &witness_file);
    wait_witness_subscribed(&h.broker, 0).await;

    let (mut sent_q1, mut sent_q2) = (0u64, 0u64);
    let (mut clicks_relay, mut clicks_led) = (0usize, 0usize);
    let mut reconnect_ms = Vec::new();
    let mut handshake_ms = Vec::new();
    let mut rows = Vec::new();
    let mut failures = Vec::new();
    for cycle in 1..=cycles {
        // Commands, QoS 2 (relay) and QoS 1 (led), each confirmed by the device's echo.
        toggle(&client, "relay").await;
        clicks_relay += 1;
        toggle(&client, "led").await;
        clicks_led += 1;
        // A first burst while all is well.
        publish_numbered(&h.broker, "soak/q2", 2, sent_q2, BURST);
        publish_numbered(&h.broker, "soak/q1", 1, sent_q1, BURST);
        sent_q2 += BURST;
        sent_q1 += BURST;
        // The connection must live 20 s, or the backoff does not start over (by design).
        let log = status_log(&client).await;
        let up_since = log
            .iter()
            .rev()
            .find(|s| s.state == "connected")
            .map(|s| s.t)
            .unwrap();
        let left = up_since + STABLE_AFTER_MS + 500.0 - epoch_ms();
        if left > 0.0 {
            tokio::time::sleep(Duration::from_millis(left as u64)).await;
        }
        // A second burst, then SIGKILL at once: some of it is still on its way to the page.
        publish_numbered(&h.broker, "soak/q2", 2, sent_q2, BURST);
        publish_numbered(&h.broker, "soak/q1", 1, sent_q1, BURST);
        sent_q2 += BURST;
        sent_q1 += BURST;
        h.broker.kill();
        let killed = epoch_ms();
        let down_ms = 100 + rng.next_u64() % 4901;
        tokio::time::sleep(Duration::from_millis(down_ms)).await;
        let device_connects = connects_of(&h.broker, DEVICE_ID);
        let witness_connects = connects_of(&h.broker, WITNESS_ID);
        h.broker.restart();
        let back = epoch_ms();
        drop(w);
        w = witness(&h.broker, &witness_file);
        // A third burst at once, while the page is most likely still waiting out its
        // backoff: kept in its persistent session by the broker.
        publish_numbered(&h.broker, "soak/q2", 2, sent_q2, BURST);
        publish_numbered(&h.broker, "soak/q1", 1, sent_q1, BURST);
        sent_q2 += BURST;
        sent_q1 += BURST;
        let connected =
            wait_state_since(&client, "connected", killed, Duration::from_secs(90)).await;
        let log = status_log(&client).await;
        let ws = waits(&log, &[]);
        let last = ws
            .iter()
            .rev()
            .find(|w| w.end.is_some_and(|e| e <= connected))
            .cloned()
            .expect("a wait before the reconnection");
        let attempt = log
            .iter()
            .rev()
            .find(|s| s.state == "connecting" && s.t <= connected)
            .map(|s| s.t)
            .unwrap();
        let rt = (connected - back).max(0.0);
        reconnect_ms.push(rt);
        handshake_ms.push(connected - attempt);
        if rt > last.ceiling_ms + 1000.0 {
            failures.push(format!(
                "cycle {cycle}: reconnected {rt:.0} ms after the broker was back; \
                 the backoff step in force was {:.0} ms",
                last.ceiling_ms
            ));
        }
        // Everything so far has reached the page, once.
        let got_q2 = settle(&client, "q2", sent_q2, Duration::from_secs(20)).await;
        let got_q1 = settle(&client, "q1", sent_q1, Duration::from_secs(20)).await;
        rows.push(format!(
            "cycle {cycle:3}: down {down_ms:4} ms, step in force {:5.0} ms (drawn wait {:5.0} ms), \
             reconnected {rt:5.0} ms after the broker was back (handshake {:3.0} ms); \
             q2 {got_q2}/{sent_q2}, q1 {got_q1}/{sent_q1}",
            last.ceiling_ms,
            last.end.unwrap() - last.start,
            connected - attempt,
        ));
        println!("{}", rows.last().unwrap());
        if got_q2 != sent_q2 || got_q1 < sent_q1 {
            failures.push(format!(
                "cycle {cycle}: QoS 2 {got_q2} of {sent_q2}, QoS 1 {got_q1} of {sent_q1}"
            ));
            break;
        }
        // The device and the witness are back before the next round of commands.
        wait_for("the device back", Duration::from_secs(40), || async {
            if connects_of(&h.broker, DEVICE_ID) > device_connects
                && h.broker.has_subscriber("tablero/demo/+/set")
            {
                Ok(Some(()))
            } else {
                Err("not yet".into())
            }
        })
        .await;
        wait_witness_subscribed(&h.broker, witness_connects).await;
    }
    // Telemetry (QoS 0) still flows.
    let before = text_of(&client, &widget("temperature", ".value-number")).await;
    wait_text_where(
        &client,
        &widget("temperature", ".value-number"),
        "a new reading",
        |t| !t.is_empty() && t != before,
    )
    .await;
    drop(w);

    let got_q2 = points(&client, "q2").await;
    let got_q1 = points(&client, "q1").await;
    let (w2_unique, w2_all) = witnessed(&witness_file, "soak/q2");
    let (w1_unique, w1_all) = witnessed(&witness_file, "soak/q1");
    let relay = device_commands(&device_log, "relay");
    let led = device_commands(&device_log, "led");
    println!(
        "--- crash soak summary (seed {seed}, {} cycles) ---",
        rows.len()
    );
    println!(
        "QoS 2: published {sent_q2}, page received {got_q2} (lost {}, duplicates {}); \
         witness: {w2_unique} unique of {w2_all}",
        sent_q2.saturating_sub(got_q2),
        got_q2.saturating_sub(sent_q2)
    );
    println!(
        "QoS 1: published {sent_q1}, page received {got_q1} (lost {}, extra {}); \
         witness: {w1_unique} unique of {w1_all}",
        sent_q1.saturating_sub(got_q1),
        got_q1.saturating_sub(sent_q1)
    );
    println!(
        "commands: relay (QoS 2) {clicks_relay} clicked, {relay} reached the device; \
         led (QoS 1) {clicks_led} clicked, {led} reached the device"
    );
    println!(
        "reconnect after the broker was back: median {:.0} ms, p99 {:.0} ms, max {:.0} ms; \
         handshake (attempt to connected) median {:.0} ms, p99 {:.0} ms",
        percentile(&reconnect_ms, 50.0),
        percentile(&reconnect_ms, 99.0),
        percentile(&reconnect_ms, 100.0),
        percentile(&handshake_ms, 50.0),
        percentile(&handshake_ms, 99.0),
    );
    let _ = std::fs::remove_dir_all(&dir);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(got_q2, sent_q2, "QoS 2: nothing lost, nothing twice");
    assert!(got_q1 >= sent_q1, "QoS 1: nothing lost");
    assert_eq!(
        relay, clicks_relay,
        "every QoS 2 command reached the device"
    );
    assert!(led >= clicks_led, "every QoS 1 command reached the device");
    // Widgets marked while disconnected and commands waiting for the connection are checked
    // by e2e `widgets_are_marked_while_disconnected_and_a_command_waits_for_the_connection`
    // and the lifecycle suite's network outage.
    client.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigstop_is_seen_within_one_and_a_half_keepalives_and_sigcont_reconnects() {
    let stop_secs = env_u64("TABLERO_SOAK_STOP_SECS", 20);
    const KEEP_ALIVE: u16 = 10;
    let h = Harness::start();
    let client = open_with(&h, &crash_config(h.broker.ws_port.unwrap(), KEEP_ALIVE)).await;
    wait_status(&client, "connected").await;
    let _device = h.tablero(&["device", "--prefix", "tablero/demo", "--interval-ms", "500"]);
    wait_subscribed(&h.broker, "tablero/demo/+/set").await;
    let _ = text_of(&client, &widget("temperature", ".value-number")).await;

    let pid = h.broker.pid().expect("a running broker");
    let signal = |sig: &str| {
        let status = Command::new("kill")
            .args([sig, &pid.to_string()])
            .status()
            .unwrap();
        assert!(status.success(), "kill {sig} {pid}");
    };
    signal("-STOP");
    let stopped = epoch_ms();
    println!("mosquitto (pid {pid}) stopped for {stop_secs} s; keepalive {KEEP_ALIVE} s");
    let dead = wait_state_since(&client, "reconnecting", stopped, Duration::from_secs(40)).await;
    let seen_ms = dead - stopped;
    let left = stopped + stop_secs as f64 * 1000.0 - epoch_ms();
    if left > 0.0 {
        tokio::time::sleep(Duration::from_millis(left as u64)).await;
    }
    // Stamped before the signal: the attempt in progress (accepted by the frozen broker's
    // kernel) can complete within the `kill` command's own run time.
    let thawed = epoch_ms();
    signal("-CONT");
    let connected = wait_state_since(&client, "connected", thawed, Duration::from_secs(90)).await;
    let log = status_log(&client).await;
    let ws = waits(&log, &[]);
    let in_force = ws
        .iter()
        .rev()
        .find(|w| w.start <= thawed)
        .cloned()
        .expect("a wait during the freeze");
    let last = ws
        .iter()
        .rev()
        .find(|w| w.end.is_some_and(|e| e <= connected))
        .cloned()
        .unwrap();
    let rt = connected - thawed;
    println!(
        "SIGSTOP {stop_secs} s, keepalive {KEEP_ALIVE} s: dead connection seen {seen_ms:.0} ms \
         after SIGSTOP (limit {} ms); reconnected {rt:.0} ms after SIGCONT; {} waits during the \
         freeze, step in force at SIGCONT {:.0} ms, last wait's step {:.0} ms",
        KEEP_ALIVE as u32 * 1500,
        ws.iter().filter(|w| w.start >= stopped).count(),
        in_force.ceiling_ms,
        last.ceiling_ms,
    );
    // The session's deadline is 1.5 × keepalive after the last packet received, which came
    // before SIGSTOP; the slack is the page's timer firing and the status being drawn.
    assert!(
        seen_ms <= KEEP_ALIVE as f64 * 1500.0 + TIMER_SLACK_MS,
        "the dead connection was seen {seen_ms:.0} ms after SIGSTOP"
    );
    // A connection attempt made during the freeze waits on a socket the frozen broker
    // accepted but never answers, until the session's 10 s connect timeout.
    assert!(
        rt <= in_force.ceiling_ms.max(last.ceiling_ms) + 1000.0,
        "reconnected {rt:.0} ms after SIGCONT; log {log:?}"
    );
    // Values flow again.
    h.publish("soak/q2", &["-q", "2", "-m", "1"]);
    wait_attr(&client, &widget("q2", ".chart-canvas"), "data-points", "1").await;
    client.close().await.unwrap();
}
