//! `tablero bench`: how fast, how lossy and how late, through a real broker.
//!
//! Every payload starts with a 24-byte header — magic `TBv1`, a run id, a sequence number
//! and the send time in Unix microseconds — padded to `--size`. The sequence number finds
//! losses and duplicates; the wall-clock send time gives end-to-end latency even when the
//! publisher and the subscriber are different processes on the same host (`--mode pub`
//! here, `--mode sub` there). In `both` mode the two connections are two threads of this
//! process, each with its own driver and session, exactly as two separate clients would be.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use mqtt_session::{Bytes, Event, Properties, QoS, SubscriptionOptions};

use crate::args::{Arg, CONN_HELP, ConnArgs, Parser, canonical, parse_qos, usage};
use crate::common::{EXIT_USAGE, Fail, connect, fatal, seed_from_environment, session_options};
use crate::driver::Driver;

pub const HELP: &str = "\
Usage: tablero bench [options]
Publish and/or subscribe at a given rate and size, then report the publish rate, the
receive rate, loss and end-to-end latency percentiles.

Options:
  --mode MODE         pub, sub or both (default both: two connections in this process)
  -t TOPIC            topic (default tablero/bench/PID)
  -q QOS              QoS of publishes and of the subscription: 0, 1 or 2 (default 0)
  --rate N            messages per second, 0 = as fast as possible (default 0)
  --size BYTES        payload size, at least 24 (default 64)
  --count N           stop publishing after N messages (sub mode: after N received)
  --duration SECONDS  stop publishing after this long (default 10 if no --count;
                      sub mode: this long after subscribing)
  --inflight N        unacknowledged QoS 1/2 publishes allowed at once (default 256)
  --json              print one JSON line instead of the summary
  --help              this text

";

const MAGIC: &[u8; 4] = b"TBv1";
pub const HEADER: usize = 24;
/// Queued-but-unwritten bytes at which a QoS 0 publisher waits for the socket.
const MAX_BACKLOG: usize = 1 << 20;
/// Publishes per loop turn before reading acknowledgements again.
const BATCH: u64 = 512;
/// How long the subscriber waits for stragglers after the publisher finished.
const GRACE: Duration = Duration::from_secs(2);
/// Sequence numbers above this are not tracked (a foreign payload could claim any).
const MAX_TRACKED_SEQ: u64 = 1 << 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Pub,
    Sub,
    Both,
}

#[derive(Debug, Clone)]
pub struct BenchConfig {
    pub conn: ConnArgs,
    pub topic: String,
    pub qos: QoS,
    pub rate: u64,
    pub size: usize,
    pub count: Option<u64>,
    pub duration: Option<Duration>,
    pub mode: Mode,
    pub window: usize,
    pub json: bool,
}

fn parse(mut p: Parser) -> Result<Option<BenchConfig>, Fail> {
    let mut c = BenchConfig {
        conn: ConnArgs::default(),
        topic: format!("tablero/bench/{}", std::process::id()),
        qos: QoS::AtMostOnce,
        rate: 0,
        size: 64,
        count: None,
        duration: None,
        mode: Mode::Both,
        window: 256,
        json: false,
    };
    let mut topic = None;
    while let Some(arg) = p.next()? {
        if c.conn.take(&arg, &mut p)? {
            continue;
        }
        match (canonical(&arg), &arg) {
            (Some('t'), _) => topic = Some(p.value(&arg)?),
            (Some('q'), _) => c.qos = parse_qos(&arg, &p.value(&arg)?)?,
            (Some('C'), _) => {
                let n: u64 = p.parsed(&arg, "a count")?;
                if n == 0 {
                    return Err(usage("--count must be at least 1").into());
                }
                c.count = Some(n);
            }
            (_, Arg::Long(l)) => match l.as_str() {
                "rate" => c.rate = p.parsed(&arg, "messages per second")?,
                "size" => {
                    c.size = p.parsed(&arg, "a number of bytes")?;
                    if c.size < HEADER {
                        return Err(usage(format!(
                            "--size must be at least {HEADER} (the timestamp header)"
                        ))
                        .into());
                    }
                }
                "duration" => {
                    let s: f64 = p.parsed(&arg, "a number of seconds")?;
                    if !(s > 0.0 && s.is_finite()) {
                        return Err(usage("--duration must be positive").into());
                    }
                    c.duration = Some(Duration::from_secs_f64(s));
                }
                "inflight" => {
                    c.window = p.parsed(&arg, "a count")?;
                    if c.window == 0 {
                        return Err(usage("--inflight must be at least 1").into());
                    }
                }
                "mode" => {
                    let v = p.value(&arg)?;
                    c.mode = match v.as_str() {
                        "pub" => Mode::Pub,
                        "sub" => Mode::Sub,
                        "both" => Mode::Both,
                        _ => {
                            return Err(usage(format!("--mode {v:?}: use pub, sub or both")).into());
                        }
                    };
                }
                "json" => c.json = true,
                "help" => return Ok(None),
                _ => return Err(usage(format!("bench: unknown option {arg}")).into()),
            },
            _ => return Err(usage(format!("bench: unknown option {arg}")).into()),
        }
    }
    c.conn.finish()?;
    if let Some(t) = topic.or(c.conn.url_topic.take()) {
        c.topic = t;
    }
    if c.topic.contains(['+', '#']) {
        return Err(usage("bench: the topic must not contain wildcards").into());
    }
    if c.count.is_none() && c.duration.is_none() {
        c.duration = Some(Duration::from_secs(10));
    }
    if c.conn.client_id.is_some() && c.mode == Mode::Both {
        return Err(usage(
            "bench: -i names one client, but --mode both opens two; give --mode pub or sub",
        )
        .into());
    }
    Ok(Some(c))
}

pub fn run(p: Parser) -> Result<i32, Fail> {
    let Some(cfg) = parse(p)? else {
        print!("{HELP}{CONN_HELP}");
        return Ok(0);
    };
    let report = run_bench(&cfg)?;
    if cfg.json {
        println!("{}", report.json());
    } else {
        print!("{}", report.summary());
    }
    Ok(0)
}

/// What the publisher did.
#[derive(Debug, Clone, Default)]
pub struct PubStats {
    pub sent: u64,
    pub acknowledged: u64,
    pub refused: u64,
    /// From the first publish to the last acknowledgement (QoS 1/2) or the last byte
    /// written (QoS 0).
    pub elapsed: Duration,
}

/// What the subscriber saw.
#[derive(Debug, Clone, Default)]
pub struct SubStats {
    pub received: u64,
    pub duplicates: u64,
    pub foreign: u64,
    /// The highest sequence number seen, plus one: the sent count a lone subscriber infers.
    pub seq_end: u64,
    pub latencies_us: Vec<u32>,
    /// From the publisher's first publish (or the first message, alone) to the last one.
    pub elapsed: Duration,
}

#[derive(Debug, Clone)]
pub struct Report {
    pub endpoint: String,
    pub topic: String,
    pub mode: Mode,
    pub qos: QoS,
    pub size: usize,
    pub rate: u64,
    pub publisher: Option<PubStats>,
    pub subscriber: Option<SubStats>,
}

struct Shared {
    run_id: u32,
    start: Mutex<Option<Instant>>,
    done: AtomicBool,
    sent: AtomicU64,
}

/// Runs the benchmark as configured (the soak test calls this in-process).
pub fn run_bench(cfg: &BenchConfig) -> Result<Report, Fail> {
    let shared = Arc::new(Shared {
        run_id: seed_from_environment() as u32,
        start: Mutex::new(None),
        done: AtomicBool::new(false),
        sent: AtomicU64::new(0),
    });
    let mut publisher = None;
    let mut subscriber = None;
    match cfg.mode {
        Mode::Pub => publisher = Some(run_publisher(cfg, &shared)?),
        Mode::Sub => subscriber = Some(run_subscriber(cfg, &shared, None)?),
        Mode::Both => {
            let (ready_tx, ready_rx) = mpsc::channel();
            let sub_cfg = cfg.clone();
            let sub_shared = Arc::clone(&shared);
            let handle =
                std::thread::spawn(move || run_subscriber(&sub_cfg, &sub_shared, Some(ready_tx)));
            match ready_rx.recv() {
                Ok(()) => {}
                // The subscriber failed before subscribing: its error says why.
                Err(_) => {
                    return Err(handle
                        .join()
                        .unwrap_or_else(|_| Err(Fail::conn("the subscriber thread panicked")))
                        .err()
                        .unwrap_or_else(|| Fail::conn("the subscriber stopped early")));
                }
            }
            let pub_result = run_publisher(cfg, &shared);
            shared.done.store(true, Ordering::SeqCst);
            let sub_result = handle
                .join()
                .unwrap_or_else(|_| Err(Fail::conn("the subscriber thread panicked")));
            publisher = Some(pub_result?);
            subscriber = Some(sub_result?);
        }
    }
    Ok(Report {
        endpoint: cfg.conn.endpoint().to_string(),
        topic: cfg.topic.clone(),
        mode: cfg.mode,
        qos: cfg.qos,
        size: cfg.size,
        rate: cfg.rate,
        publisher,
        subscriber,
    })
}

fn unix_micros() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_micros() as u64)
}

fn payload(template: &mut [u8], run_id: u32, seq: u64) -> Bytes {
    template[4..8].copy_from_slice(&run_id.to_le_bytes());
    template[8..16].copy_from_slice(&seq.to_le_bytes());
    template[16..24].copy_from_slice(&unix_micros().to_le_bytes());
    Bytes::copy_from_slice(template)
}

fn wait_err(e: std::io::Error) -> Fail {
    Fail::conn(format!("waiting for the broker failed: {e}"))
}

fn run_publisher(cfg: &BenchConfig, shared: &Shared) -> Result<PubStats, Fail> {
    let mut driver = connect(&cfg.conn, session_options(&cfg.conn, "bench-pub"))?;
    wait_connected(&mut driver)?;
    let mut template = vec![b'.'; cfg.size];
    template[..4].copy_from_slice(MAGIC);
    let limit = cfg.count.unwrap_or(u64::MAX);
    let start = Instant::now();
    *shared.start.lock().unwrap_or_else(|e| e.into_inner()) = Some(start);
    let end = cfg.duration.map(|d| start + d);
    let mut stats = PubStats::default();
    let mut finished_at = start;
    let qos0 = cfg.qos == QoS::AtMostOnce;
    loop {
        while let Some(event) = driver.poll_event() {
            match event {
                Event::PublishAcknowledged { reason, .. } => {
                    stats.acknowledged += 1;
                    if reason.is_error() {
                        if stats.refused == 0 {
                            eprintln!(
                                "tablero: bench: the broker refused a publish: {} (0x{:02X})",
                                reason.description(),
                                reason.as_u8()
                            );
                        }
                        stats.refused += 1;
                    }
                    finished_at = Instant::now();
                }
                Event::PublishFailed { error, .. } => {
                    return Err(Fail::conn(format!("bench: publish failed: {error}")));
                }
                other => {
                    if let Some(fail) = fatal(&other, &driver) {
                        return Err(fail);
                    }
                }
            }
        }
        if !driver.is_open() {
            return Err(Fail::conn("bench: the publisher's connection closed"));
        }
        let now = Instant::now();
        let sending = stats.sent < limit && end.is_none_or(|e| now < e);
        if !sending {
            let settled = if qos0 {
                driver.backlog() == 0
            } else {
                stats.acknowledged >= stats.sent
            };
            if settled {
                if qos0 {
                    finished_at = Instant::now();
                }
                break;
            }
        }
        let window_open = |d: &Driver| {
            d.backlog() < MAX_BACKLOG
                && (qos0 || d.session().inflight_len() + d.session().queued_len() < cfg.window)
        };
        let mut batch = 0;
        if sending {
            while batch < BATCH && stats.sent < limit && window_open(&driver) {
                if cfg.rate > 0 && start + rate_offset(stats.sent, cfg.rate) > now {
                    break;
                }
                let body = payload(&mut template, shared.run_id, stats.sent);
                driver
                    .session_mut()
                    .publish(
                        cfg.topic.clone(),
                        body,
                        cfg.qos,
                        false,
                        Properties::default(),
                    )
                    .map_err(|e| Fail {
                        code: EXIT_USAGE,
                        message: format!("bench: cannot publish: {e}"),
                    })?;
                stats.sent += 1;
                batch += 1;
            }
        }
        let deadline = if !sending {
            None
        } else if cfg.rate > 0 {
            Some(start + rate_offset(stats.sent, cfg.rate))
        } else if window_open(&driver) {
            Some(now)
        } else {
            None
        };
        let deadline = match (deadline, end.filter(|_| sending)) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        driver.turn(deadline, None).map_err(wait_err)?;
    }
    stats.elapsed = finished_at.saturating_duration_since(start);
    shared.sent.store(stats.sent, Ordering::SeqCst);
    driver.disconnect();
    Ok(stats)
}

fn rate_offset(seq: u64, rate: u64) -> Duration {
    Duration::from_nanos(
        (u128::from(seq) * 1_000_000_000 / u128::from(rate)).min(u128::from(u64::MAX)) as u64,
    )
}

fn wait_connected(driver: &mut Driver) -> Result<(), Fail> {
    loop {
        while let Some(event) = driver.poll_event() {
            if let Event::Connected { .. } = event {
                return Ok(());
            }
            if let Some(fail) = fatal(&event, driver) {
                return Err(fail);
            }
        }
        if !driver.is_open() {
            return Err(Fail::conn("the connection closed before CONNACK"));
        }
        driver.turn(None, None).map_err(wait_err)?;
    }
}

fn run_subscriber(
    cfg: &BenchConfig,
    shared: &Shared,
    ready: Option<mpsc::Sender<()>>,
) -> Result<SubStats, Fail> {
    let mut driver = connect(&cfg.conn, session_options(&cfg.conn, "bench-sub"))?;
    wait_connected(&mut driver)?;
    driver
        .session_mut()
        .subscribe(
            [(cfg.topic.clone(), SubscriptionOptions::qos(cfg.qos))],
            Properties::default(),
        )
        .map_err(|e| Fail {
            code: EXIT_USAGE,
            message: format!("bench: cannot subscribe: {e}"),
        })?;
    let alone = ready.is_none();
    let mut ready = ready;
    let mut stats = SubStats::default();
    let mut seen: Vec<u64> = Vec::new();
    let mut run_id: Option<u32> = (!alone).then_some(shared.run_id);
    let mut subscribed_at: Option<Instant> = None;
    let mut first_rx: Option<Instant> = None;
    let mut last_rx: Option<Instant> = None;
    let mut done_at: Option<Instant> = None;
    loop {
        while let Some(event) = driver.poll_event() {
            match event {
                Event::Subscribed { results, .. } => {
                    if let Some((_, reason)) = results.iter().find(|(_, r)| r.is_error()) {
                        return Err(Fail::conn(format!(
                            "bench: subscription to {:?} refused: {} (SUBACK 0x{:02X})",
                            cfg.topic,
                            reason.description(),
                            reason.as_u8()
                        )));
                    }
                    subscribed_at = Some(Instant::now());
                    if let Some(tx) = ready.take() {
                        let _ = tx.send(());
                    }
                }
                Event::Message(m) => {
                    let now_us = unix_micros();
                    let p = &m.payload;
                    if p.len() < HEADER || &p[..4] != MAGIC {
                        stats.foreign += 1;
                        continue;
                    }
                    let id = u32::from_le_bytes([p[4], p[5], p[6], p[7]]);
                    if *run_id.get_or_insert(id) != id {
                        stats.foreign += 1;
                        continue;
                    }
                    let seq = u64::from_le_bytes(p[8..16].try_into().unwrap_or([0; 8]));
                    let sent_us = u64::from_le_bytes(p[16..24].try_into().unwrap_or([0; 8]));
                    if seq >= MAX_TRACKED_SEQ {
                        stats.foreign += 1;
                        continue;
                    }
                    let (word, bit) = ((seq / 64) as usize, seq % 64);
                    if seen.len() <= word {
                        seen.resize(word + 1, 0);
                    }
                    if seen[word] & (1 << bit) != 0 {
                        stats.duplicates += 1;
                        continue;
                    }
                    seen[word] |= 1 << bit;
                    stats.received += 1;
                    stats.seq_end = stats.seq_end.max(seq + 1);
                    stats
                        .latencies_us
                        .push(u32::try_from(now_us.saturating_sub(sent_us)).unwrap_or(u32::MAX));
                    let now = Instant::now();
                    first_rx.get_or_insert(now);
                    last_rx = Some(now);
                }
                other => {
                    if let Some(fail) = fatal(&other, &driver) {
                        return Err(fail);
                    }
                }
            }
        }
        let now = Instant::now();
        let finished = if alone {
            cfg.count.is_some_and(|c| stats.received >= c)
                || subscribed_at
                    .zip(cfg.duration)
                    .is_some_and(|(s, d)| now >= s + d)
        } else if shared.done.load(Ordering::SeqCst) {
            let done = *done_at.get_or_insert(now);
            stats.received >= shared.sent.load(Ordering::SeqCst)
                || now >= last_rx.unwrap_or(done).max(done) + GRACE
        } else {
            false
        };
        if finished {
            break;
        }
        if !driver.is_open() {
            return Err(Fail::conn("bench: the subscriber's connection closed"));
        }
        driver
            .turn(Some(now + Duration::from_millis(50)), None)
            .map_err(wait_err)?;
    }
    let origin = if alone {
        first_rx
    } else {
        *shared.start.lock().unwrap_or_else(|e| e.into_inner())
    };
    stats.elapsed = match (origin, last_rx) {
        (Some(a), Some(b)) => b.saturating_duration_since(a),
        _ => Duration::ZERO,
    };
    driver.disconnect();
    Ok(stats)
}

/// The value at quantile `q` of sorted samples (nearest rank).
pub fn percentile(sorted: &[u32], q: f64) -> u32 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn rate_of(n: u64, d: Duration) -> f64 {
    let s = d.as_secs_f64();
    if s > 0.0 { n as f64 / s } else { 0.0 }
}

struct Derived {
    sent: Option<u64>,
    lost: Option<u64>,
    loss_pct: Option<f64>,
    lat: Option<[f64; 4]>,
}

impl Report {
    fn derived(&self) -> Derived {
        let sent = match (&self.publisher, &self.subscriber) {
            (Some(p), _) => Some(p.sent),
            (None, Some(s)) => Some(s.seq_end),
            _ => None,
        };
        let (lost, loss_pct) = match (&self.subscriber, sent) {
            (Some(s), Some(sent)) => {
                let lost = sent.saturating_sub(s.received);
                let pct = if sent == 0 {
                    0.0
                } else {
                    100.0 * lost as f64 / sent as f64
                };
                (Some(lost), Some(pct))
            }
            _ => (None, None),
        };
        let lat = self
            .subscriber
            .as_ref()
            .filter(|s| !s.latencies_us.is_empty())
            .map(|s| {
                let mut v = s.latencies_us.clone();
                v.sort_unstable();
                let ms = |us: u32| f64::from(us) / 1000.0;
                [
                    ms(percentile(&v, 0.50)),
                    ms(percentile(&v, 0.90)),
                    ms(percentile(&v, 0.99)),
                    ms(*v.last().unwrap_or(&0)),
                ]
            });
        Derived {
            sent,
            lost,
            loss_pct,
            lat,
        }
    }

    pub fn lost(&self) -> Option<u64> {
        self.derived().lost
    }

    pub fn summary(&self) -> String {
        let d = self.derived();
        let mode = match self.mode {
            Mode::Pub => "pub",
            Mode::Sub => "sub",
            Mode::Both => "both",
        };
        let rate = if self.rate == 0 {
            "max".to_owned()
        } else {
            format!("{}/s", self.rate)
        };
        let mut s = format!(
            "tablero bench: {} topic {}, mode {mode}, QoS {}, {} B payloads, rate {rate}\n",
            self.endpoint, self.topic, self.qos as u8, self.size
        );
        if let Some(p) = &self.publisher {
            s.push_str(&format!(
                "  published  {:>9} in {:>8.3} s = {:>9.0} msg/s{}\n",
                p.sent,
                p.elapsed.as_secs_f64(),
                rate_of(p.sent, p.elapsed),
                if p.refused > 0 {
                    format!(" ({} refused)", p.refused)
                } else {
                    String::new()
                }
            ));
        }
        if let Some(r) = &self.subscriber {
            s.push_str(&format!(
                "  received   {:>9} in {:>8.3} s = {:>9.0} msg/s\n",
                r.received,
                r.elapsed.as_secs_f64(),
                rate_of(r.received, r.elapsed)
            ));
            if let (Some(lost), Some(pct)) = (d.lost, d.loss_pct) {
                s.push_str(&format!(
                    "  lost       {lost:>9} ({pct:.2} %), duplicates {}\n",
                    r.duplicates
                ));
                if lost > 0 && self.qos != QoS::AtMostOnce {
                    // QoS 1/2 loss on a healthy connection is the broker's queue policy, not
                    // the network: say where to look.
                    s.push_str(
                        "  note       a broker drops QoS 1/2 messages for a subscriber that falls \
                         behind once its queue is full (mosquitto: max_queued_messages, default 1000)\n",
                    );
                }
            }
            if let Some([p50, p90, p99, max]) = d.lat {
                s.push_str(&format!(
                    "  latency    p50 {p50:.3} ms, p90 {p90:.3} ms, p99 {p99:.3} ms, max {max:.3} ms\n"
                ));
            }
        }
        s
    }

    pub fn json(&self) -> String {
        let d = self.derived();
        let mode = match self.mode {
            Mode::Pub => "pub",
            Mode::Sub => "sub",
            Mode::Both => "both",
        };
        let num = |v: Option<f64>| v.map_or("null".to_owned(), |v| format!("{v:.3}"));
        let int = |v: Option<u64>| v.map_or("null".to_owned(), |v| v.to_string());
        let p = self.publisher.as_ref();
        let r = self.subscriber.as_ref();
        let lat = d.lat.map_or("null".to_owned(), |[a, b, c, m]| {
            format!("{{\"p50\":{a:.3},\"p90\":{b:.3},\"p99\":{c:.3},\"max\":{m:.3}}}")
        });
        format!(
            "{{\"endpoint\":{},\"topic\":{},\"mode\":\"{mode}\",\"qos\":{},\"size\":{},\"rate_target\":{},\
             \"sent\":{},\"acknowledged\":{},\"refused\":{},\"pub_seconds\":{},\"pub_rate\":{},\
             \"received\":{},\"duplicates\":{},\"recv_seconds\":{},\"recv_rate\":{},\
             \"lost\":{},\"loss_pct\":{},\"latency_ms\":{lat}}}",
            json_str(&self.endpoint),
            json_str(&self.topic),
            self.qos as u8,
            self.size,
            self.rate,
            int(d.sent),
            int(p.map(|p| p.acknowledged)),
            int(p.map(|p| p.refused)),
            num(p.map(|p| p.elapsed.as_secs_f64())),
            num(p.map(|p| rate_of(p.sent, p.elapsed))),
            int(r.map(|r| r.received)),
            int(r.map(|r| r.duplicates)),
            num(r.map(|r| r.elapsed.as_secs_f64())),
            num(r.map(|r| rate_of(r.received, r.elapsed))),
            int(d.lost),
            num(d.loss_pct),
        )
    }
}

fn json_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_by_nearest_rank() {
        let v: Vec<u32> = (1..=100).collect();
        assert_eq!(percentile(&v, 0.5), 50);
        assert_eq!(percentile(&v, 0.9), 90);
        assert_eq!(percentile(&v, 0.99), 99);
        assert_eq!(percentile(&[7], 0.99), 7);
        assert_eq!(percentile(&[], 0.5), 0);
    }

    #[test]
    fn payload_header() {
        let mut t = vec![b'.'; 30];
        t[..4].copy_from_slice(MAGIC);
        let p = payload(&mut t, 0xAABBCCDD, 70_000);
        assert_eq!(p.len(), 30);
        assert_eq!(&p[..4], MAGIC);
        assert_eq!(u32::from_le_bytes(p[4..8].try_into().unwrap()), 0xAABBCCDD);
        assert_eq!(u64::from_le_bytes(p[8..16].try_into().unwrap()), 70_000);
        assert!(u64::from_le_bytes(p[16..24].try_into().unwrap()) > 1_600_000_000_000_000);
    }

    #[test]
    fn json_escapes() {
        assert_eq!(json_str("a\"b\\c\n"), r#""a\"b\\c\u000a""#);
    }

    #[test]
    fn rate_schedule() {
        assert_eq!(rate_offset(0, 100), Duration::ZERO);
        assert_eq!(rate_offset(50, 100), Duration::from_millis(500));
    }
}
