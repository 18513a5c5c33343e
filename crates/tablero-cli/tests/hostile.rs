//! The `tablero` binary against a hostile broker (`testkit::hostile`): every case over TCP,
//! and over WebSocket the WebSocket-only cases, every carry-on case and every fourth of the
//! others. For each: the outcome the spec requires (exit code and a worded stderr line, or
//! the messages delivered), no panic, a bounded time, a bounded peak RSS, and the CLI's
//! reconnect policy (`sub` and `pub` do not reconnect: exactly one connection).
//!
//! Cases run on a pool of threads; the summary (passed / total per transport) is printed
//! whatever happens, then the test fails with every failing case listed.

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use testkit::hostile::{Case, Client, FakeBroker, Outcome, PUB_TOPIC, SUB_FILTER, Wire, cases};

const TABLERO: &str = env!("CARGO_BIN_EXE_tablero");
const THREADS: usize = 12;
/// Peak resident memory allowed to the CLI in any case (a debug build idles at a few MiB).
const RSS_LIMIT_KIB: u64 = 16 * 1024;

struct Run {
    code: Option<i32>,
    stdout: Vec<String>,
    stderr: String,
    elapsed: Duration,
    peak_kib: u64,
}

fn args(case: &Case, broker: &FakeBroker) -> Vec<String> {
    let mut a: Vec<String> = Vec::new();
    match case.client {
        Client::Sub { qos, count } => {
            a.extend(["sub".into(), "-t".into(), SUB_FILTER.into()]);
            a.extend(["-q".into(), qos.to_string(), "-C".into(), count.to_string()]);
        }
        Client::Pub { qos } => {
            a.extend(["pub".into(), "-t".into(), PUB_TOPIC.into(), "-m".into()]);
            a.extend(["on".into(), "-q".into(), qos.to_string()]);
        }
    }
    match broker.wire {
        Wire::Tcp => a.extend([
            "-h".into(),
            "127.0.0.1".into(),
            "-p".into(),
            broker.port.to_string(),
        ]),
        Wire::Ws => a.extend(["-L".into(), broker.ws_url()]),
    }
    a.extend(["-V".into(), case.version_flag().into()]);
    if let Some(k) = case.keep_alive {
        a.extend(["-k".into(), k.to_string()]);
    }
    if let Some(m) = case.max_packet_size {
        a.extend(["--max-packet-size".into(), m.to_string()]);
    }
    a
}

fn vm_hwm_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn is_tablero(pid: u32) -> bool {
    std::fs::read_link(format!("/proc/{pid}/exe"))
        .is_ok_and(|exe| exe == std::path::Path::new(TABLERO))
}

fn run(args: &[String], limit: Duration) -> Run {
    let start = Instant::now();
    let mut child = Command::new(TABLERO)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run tablero");
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out_t = std::thread::spawn(move || {
        BufReader::new(&mut out)
            .lines()
            .map_while(Result::ok)
            .collect::<Vec<_>>()
    });
    let err_t = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err.read_to_string(&mut s);
        s
    });
    let pid = child.id();
    let mut peak = 0;
    let code = loop {
        // Before exec the child is a copy of this test: only samples of the tablero image
        // count (a case that ends within one interval may have none).
        if is_tablero(pid)
            && let Some(kib) = vm_hwm_kib(pid)
        {
            peak = peak.max(kib);
        }
        if let Some(status) = child.try_wait().unwrap() {
            break status.code();
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    Run {
        code,
        stdout: out_t.join().unwrap(),
        stderr: err_t.join().unwrap(),
        elapsed: start.elapsed(),
        peak_kib: peak,
    }
}

/// The words the CLI's stderr must hold for an ending outcome.
fn cli_words(outcome: &Outcome) -> Vec<String> {
    match outcome {
        Outcome::Protocol { words, .. } => vec![(*words).to_owned()],
        Outcome::Refused { code, .. } => vec![
            "connection refused".into(),
            format!("(CONNACK 0x{code:02X})"),
        ],
        Outcome::ServerDisconnect { code } => vec![
            "disconnected by the broker".into(),
            format!("(DISCONNECT 0x{code:02X})"),
        ],
        Outcome::Closed => vec!["connection lost".into(), "closed".into()],
        Outcome::KeepAlive => vec!["stopped answering (keepalive timeout)".into()],
        Outcome::ConnectTimeout => vec!["timed out waiting for CONNACK".into()],
        Outcome::TextFrame => vec!["WebSocket text frame".into()],
        Outcome::CarryOn { .. } => vec![],
    }
}

fn check(case: &Case, wire: Wire) -> Result<String, String> {
    let broker = FakeBroker::start(wire, Some(case.clone()));
    let limit = match case.outcome {
        Outcome::ConnectTimeout => Duration::from_secs(14),
        _ => Duration::from_secs(8),
    };
    let r = run(&args(case, &broker), limit);
    // Let the broker's connection thread see the close.
    let deadline = Instant::now() + Duration::from_secs(3);
    while !broker.served().iter().all(|s| s.finished) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    let served = broker.served();
    let mut problems = Vec::new();
    let Some(code) = r.code else {
        return Err(format!(
            "did not exit within {limit:?}; stderr: {}",
            r.stderr.trim()
        ));
    };
    if r.stderr.contains("panicked") {
        problems.push("panicked".to_owned());
    }
    if r.peak_kib > RSS_LIMIT_KIB {
        problems.push(format!("peak RSS {} KiB", r.peak_kib));
    }
    // sub and pub do not reconnect: one connection, whatever happened on it.
    if served.len() != 1 {
        problems.push(format!("{} connections, expected 1", served.len()));
    }
    let conn = served.first().cloned().unwrap_or_default();
    match &case.outcome {
        Outcome::CarryOn { messages } => {
            if code != 0 {
                problems.push(format!("exit {code}"));
            }
            if matches!(case.client, Client::Sub { .. }) && &r.stdout != messages {
                let shown: Vec<&String> = r.stdout.iter().take(5).collect();
                problems.push(format!(
                    "{} messages {:?}..., expected {}",
                    r.stdout.len(),
                    shown,
                    messages.len()
                ));
            }
            if !conn.script_done {
                problems.push(format!("script not played to its end: {:?}", conn.problem));
            }
        }
        outcome => {
            if code != 1 {
                problems.push(format!("exit {code}, expected 1"));
            }
            let line = r
                .stderr
                .lines()
                .find(|l| l.starts_with("tablero: ") && !l.contains("debug"))
                .unwrap_or("");
            for w in cli_words(outcome) {
                if !line.contains(&w) {
                    problems.push(format!("stderr line {line:?} lacks {w:?}"));
                }
            }
            if !r.stdout.is_empty() {
                problems.push(format!("printed {:?}", r.stdout));
            }
            // A 5.0 client says why before it closes (5.0 section 4.13).
            if let Outcome::Protocol { reason, .. } = outcome
                && case.version_flag() == "mqttv5"
                && *reason != 0
            {
                let said = conn
                    .packets
                    .iter()
                    .any(|p| p[0] == 0xE0 && p.get(2) == Some(reason));
                if !said {
                    problems.push(format!("no DISCONNECT 0x{reason:02X} from the client"));
                }
            }
        }
    }
    for want in &case.client_sends {
        if !conn.packets.iter().any(|p| p.starts_with(want)) {
            problems.push(format!("the client never sent {want:02X?}"));
        }
    }
    if case.max_packet_size.is_some() && r.peak_kib == 0 {
        problems.push("no RSS sample of the oversized-packet case".to_owned());
    }
    if case.max_packet_size.is_some() && conn.sent > 64 << 20 {
        problems.push(format!(
            "the client took {} bytes of an oversized packet",
            conn.sent
        ));
    }
    if problems.is_empty() {
        Ok(format!(
            "{:>6} ms {:>6} KiB  {}",
            r.elapsed.as_millis(),
            r.peak_kib,
            r.stderr.lines().next().unwrap_or("(no stderr)")
        ))
    } else {
        Err(format!(
            "{}; stderr: {}",
            problems.join("; "),
            r.stderr.trim()
        ))
    }
}

/// Which cases also run over WebSocket.
fn over_ws(i: usize, case: &Case) -> bool {
    case.ws_only || case.outcome.carries_on() || i.is_multiple_of(4)
}

#[test]
fn every_hostile_case_against_the_cli() {
    let all = cases();
    let mut jobs: Vec<(Case, Wire)> = Vec::new();
    for (i, case) in all.iter().enumerate() {
        if !case.ws_only {
            jobs.push((case.clone(), Wire::Tcp));
        }
        if over_ws(i, case) {
            jobs.push((case.clone(), Wire::Ws));
        }
    }
    // The slow ones (timeouts) first, so they overlap with everything else.
    jobs.sort_by_key(|(c, _)| !matches!(c.outcome, Outcome::ConnectTimeout | Outcome::KeepAlive));
    let started = Instant::now();
    let queue = Arc::new(Mutex::new(jobs.clone()));
    let results = Arc::new(Mutex::new(Vec::new()));
    let workers: Vec<_> = (0..THREADS)
        .map(|_| {
            let queue = queue.clone();
            let results = results.clone();
            std::thread::spawn(move || {
                loop {
                    let Some((case, wire)) = queue.lock().unwrap().pop() else {
                        return;
                    };
                    let outcome = check(&case, wire);
                    results.lock().unwrap().push((case, wire, outcome));
                }
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    let results = results.lock().unwrap();
    let mut failures = Vec::new();
    for wire in [Wire::Tcp, Wire::Ws] {
        let of: Vec<_> = results.iter().filter(|(_, w, _)| *w == wire).collect();
        let passed = of.iter().filter(|(_, _, o)| o.is_ok()).count();
        println!("hostile CLI {wire:?}: {passed}/{} cases passed", of.len());
    }
    let mut sorted: Vec<_> = results.iter().collect();
    sorted.sort_by(|a, b| a.0.name.cmp(&b.0.name));
    for (case, wire, outcome) in sorted {
        match outcome {
            Ok(detail) => println!("  ok   {wire:?} {} [{}] {detail}", case.name, case.category),
            Err(why) => {
                println!("  FAIL {wire:?} {} [{}] {why}", case.name, case.category);
                failures.push(format!("{wire:?} {}: {why}", case.name));
            }
        }
    }
    let sampled: Vec<u64> = results
        .iter()
        .filter_map(|(_, _, o)| o.as_ref().ok())
        .filter_map(|d| d.split_whitespace().nth(2)?.parse().ok())
        .filter(|k| *k > 0)
        .collect();
    println!(
        "peak RSS sampled in {} runs, largest {} KiB (limit {RSS_LIMIT_KIB} KiB)",
        sampled.len(),
        sampled.iter().max().copied().unwrap_or(0)
    );
    println!(
        "{} distinct cases, {} runs, {:.1} s",
        all.len(),
        results.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(
        failures.is_empty(),
        "{} of {} runs failed:\n{}",
        failures.len(),
        results.len(),
        failures.join("\n")
    );
}
