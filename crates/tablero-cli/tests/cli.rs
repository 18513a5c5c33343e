//! The `tablero` binary against a real mosquitto: pub/sub, retained, wills, exits, interop
//! with mosquitto's own clients, the virtual device, the bench, and failures in words.

mod common;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::{Duration, Instant};

use common::*;
use testkit::mosquitto::require_program;
use testkit::{Mosquitto, MosquittoOptions, free_port};

const VERSIONS: [&str; 2] = ["mqttv311", "mqttv5"];

fn tcp(b: &Mosquitto) -> String {
    b.tcp_port.to_string()
}

#[test]
fn pub_sub_over_tcp_every_qos_and_version() {
    let b = Mosquitto::start();
    let port = tcp(&b);
    for v in VERSIONS {
        for q in ["0", "1", "2"] {
            let topic = unique("tcp");
            let sub = sub_ready(&[
                "sub", "-p", &port, "-V", v, "-q", q, "-t", &topic, "-C", "1",
            ]);
            let msg = format!("hello {v} q{q}");
            let p = run(&[
                "pub", "-p", &port, "-V", v, "-q", q, "-t", &topic, "-m", &msg,
            ]);
            assert_eq!(p.code, Some(0), "pub {v} q{q}: {}", p.stderr_text());
            let out = sub.wait();
            assert_eq!(out.code, Some(0), "sub {v} q{q}: {}", out.stderr_text());
            assert_eq!(out.stdout, vec![msg]);
        }
    }
}

#[test]
fn pub_sub_over_websockets_every_qos_and_version() {
    let b = Mosquitto::start();
    let ws = b.ws_port.expect("websockets listener");
    for v in ["311", "5"] {
        for q in ["0", "1", "2"] {
            let topic = unique("ws");
            let url = format!("ws://127.0.0.1:{ws}/mqtt/{topic}");
            let sub = sub_ready(&["sub", "-L", &url, "-V", v, "-q", q, "-C", "1", "-v"]);
            let p = run(&["pub", "-L", &url, "-V", v, "-q", q, "-m", "over ws"]);
            assert_eq!(p.code, Some(0), "pub ws {v} q{q}: {}", p.stderr_text());
            let out = sub.wait();
            assert_eq!(out.code, Some(0), "{}", out.stderr_text());
            assert_eq!(out.stdout, vec![format!("{topic} over ws")]);
        }
    }
}

#[test]
fn websocket_and_tcp_clients_meet() {
    let b = Mosquitto::start();
    let topic = unique("mixed");
    let url = format!("ws://127.0.0.1:{}/mqtt", b.ws_port.unwrap());
    let sub = sub_ready(&["sub", "-L", &url, "-t", &topic, "-C", "1", "-q", "1"]);
    let p = run(&[
        "pub",
        "-p",
        &tcp(&b),
        "-t",
        &topic,
        "-m",
        "tcp to ws",
        "-q",
        "1",
    ]);
    assert_eq!(p.code, Some(0));
    assert_eq!(sub.wait().stdout, vec!["tcp to ws"]);
}

#[test]
fn verbose_multiple_topics_wildcards_and_count() {
    let b = Mosquitto::start();
    let port = tcp(&b);
    let base = unique("multi");
    let (a, c) = (format!("{base}/a"), format!("{base}/x/c"));
    let sub = sub_ready(&[
        "sub",
        "-p",
        &port,
        "-t",
        &a,
        "-t",
        &format!("{base}/+/c"),
        "-v",
        "-C",
        "3",
    ]);
    for (t, m) in [
        (&a, "1"),
        (&c, "2"),
        (&format!("{base}/ignored"), "no"),
        (&a, "3"),
    ] {
        assert_eq!(
            run(&["pub", "-p", &port, "-t", t, "-m", m, "-q", "1"]).code,
            Some(0)
        );
    }
    let out = sub.wait();
    assert_eq!(out.code, Some(0));
    assert_eq!(
        out.stdout,
        vec![format!("{a} 1"), format!("{c} 2"), format!("{a} 3")]
    );
}

#[test]
fn retained_messages_and_clearing_them() {
    let b = Mosquitto::start();
    let port = tcp(&b);
    let topic = unique("retained");
    let p = run(&[
        "pub", "-p", &port, "-t", &topic, "-m", "kept", "-r", "-q", "1",
    ]);
    assert_eq!(p.code, Some(0), "{}", p.stderr_text());
    // A late subscriber gets it at once.
    let out = run(&["sub", "-p", &port, "-t", &topic, "-C", "1", "-W", "10"]);
    assert_eq!((out.code, out.stdout), (Some(0), vec!["kept".to_owned()]));
    // -R skips it: the timeout passes with nothing printed.
    let out = run(&["sub", "-p", &port, "-t", &topic, "-R", "-W", "1"]);
    assert_eq!((out.code, out.stdout.len()), (Some(0), 0));
    // A retained null message clears it.
    assert_eq!(
        run(&["pub", "-p", &port, "-t", &topic, "-n", "-r"]).code,
        Some(0)
    );
    let out = run(&["sub", "-p", &port, "-t", &topic, "-W", "1"]);
    assert!(out.stdout.is_empty(), "{:?}", out.stdout);
}

#[test]
fn will_is_published_when_a_subscriber_is_killed() {
    let b = Mosquitto::start();
    let port = tcp(&b);
    let will = unique("will");
    for v in VERSIONS {
        let watcher = sub_ready(&["sub", "-p", &port, "-t", &will, "-C", "1", "-q", "1"]);
        let mut victim = sub_ready(&[
            "sub",
            "-p",
            &port,
            "-V",
            v,
            "-t",
            &unique("any"),
            "--will-topic",
            &will,
            "--will-payload",
            "gone",
            "--will-qos",
            "1",
        ]);
        victim.kill();
        let out = watcher.wait();
        assert_eq!(out.stdout, vec!["gone"], "{v}");
    }
}

#[test]
fn no_will_after_a_clean_exit() {
    let b = Mosquitto::start();
    let port = tcp(&b);
    let will = unique("nowill");
    let mut watcher = sub_ready(&["sub", "-p", &port, "-t", &will]);
    let topic = unique("t");
    let sub = sub_ready(&[
        "sub",
        "-p",
        &port,
        "-t",
        &topic,
        "-C",
        "1",
        "--will-topic",
        &will,
    ]);
    assert_eq!(
        run(&["pub", "-p", &port, "-t", &topic, "-m", "x"]).code,
        Some(0)
    );
    assert_eq!(sub.wait().code, Some(0));
    assert_eq!(
        watcher.line(Duration::from_millis(500)),
        None,
        "a DISCONNECT discards the will"
    );
}

#[test]
fn count_and_timeout_end_a_subscription() {
    let b = Mosquitto::start();
    let port = tcp(&b);
    let topic = unique("w");
    let t0 = Instant::now();
    let out = run(&["sub", "-p", &port, "-t", &topic, "-W", "1"]);
    assert_eq!(out.code, Some(0), "-W alone is a planned end");
    let took = t0.elapsed();
    assert!(
        took >= Duration::from_millis(900) && took < Duration::from_secs(8),
        "{took:?}"
    );
    let out = run(&["sub", "-p", &port, "-t", &topic, "-W", "1", "-C", "2"]);
    assert_eq!(out.code, Some(3), "-C not reached before -W");
    let sub = sub_ready(&["sub", "-p", &port, "-t", &topic, "-C", "2"]);
    for m in ["a", "b", "c"] {
        run(&["pub", "-p", &port, "-t", &topic, "-m", m, "-q", "1"]);
    }
    let out = sub.wait();
    assert_eq!(
        (out.code, out.stdout),
        (Some(0), vec!["a".to_owned(), "b".to_owned()])
    );
}

#[test]
fn interop_with_mosquitto_clients_both_ways() {
    let b = Mosquitto::start();
    let port = tcp(&b);
    let mosq_sub = require_program("mosquitto_sub");
    let mosq_pub = require_program("mosquitto_pub");
    let (ms, mp) = (mosq_sub.to_str().unwrap(), mosq_pub.to_str().unwrap());
    for v in ["mqttv311", "mqttv5"] {
        for q in ["0", "1", "2"] {
            // tablero pub -> mosquitto_sub. mosquitto_sub has no readiness signal, so the
            // message is retained: it arrives whether or not the subscription came first.
            let topic = unique("to-mosq");
            let watcher = spawn_program(
                ms,
                &["-p", &port, "-V", v, "-q", q, "-t", &topic, "-C", "1", "-v"],
            );
            let p = run(&[
                "pub",
                "-p",
                &port,
                "-V",
                v,
                "-q",
                q,
                "-t",
                &topic,
                "-m",
                "from tablero",
                "-r",
            ]);
            assert_eq!(p.code, Some(0), "{}", p.stderr_text());
            let out = watcher.wait();
            assert_eq!(
                out.stdout,
                vec![format!("{topic} from tablero")],
                "{v} q{q}"
            );

            // mosquitto_pub -> tablero sub.
            let topic = unique("from-mosq");
            let sub = sub_ready(&[
                "sub", "-p", &port, "-V", v, "-q", q, "-t", &topic, "-C", "1",
            ]);
            let p = run_program(
                mp,
                &[
                    "-p",
                    &port,
                    "-V",
                    v,
                    "-q",
                    q,
                    "-t",
                    &topic,
                    "-m",
                    "from mosquitto",
                ],
            );
            assert_eq!(p.code, Some(0), "{}", p.stderr_text());
            assert_eq!(sub.wait().stdout, vec!["from mosquitto"], "{v} q{q}");
        }
    }
}

#[test]
fn pub_reads_files_and_standard_input() {
    let b = Mosquitto::start();
    let port = tcp(&b);
    let topic = unique("stdin");
    let sub = sub_ready(&["sub", "-p", &port, "-t", &topic, "-C", "5", "-q", "1"]);

    let file = std::env::temp_dir().join(format!("tablero-pub-{}.txt", std::process::id()));
    std::fs::write(&file, "from a file").unwrap();
    let p = run(&[
        "pub",
        "-p",
        &port,
        "-t",
        &topic,
        "-f",
        file.to_str().unwrap(),
        "-q",
        "1",
    ]);
    std::fs::remove_file(&file).ok();
    assert_eq!(p.code, Some(0), "{}", p.stderr_text());

    let mut s = spawn_with_stdin(
        TABLERO,
        &["pub", "-p", &port, "-t", &topic, "-s", "-q", "1"],
        std::process::Stdio::piped(),
    );
    s.child
        .stdin
        .take()
        .unwrap()
        .write_all(b"whole input")
        .unwrap();
    assert_eq!(s.wait().code, Some(0));

    let mut l = spawn_with_stdin(
        TABLERO,
        &["pub", "-p", &port, "-t", &topic, "-l", "-q", "1"],
        std::process::Stdio::piped(),
    );
    l.child
        .stdin
        .take()
        .unwrap()
        .write_all(b"line 1\nline 2\nline 3")
        .unwrap();
    let out = l.wait();
    assert_eq!(out.code, Some(0), "{}", out.stderr_text());

    let out = sub.wait();
    assert_eq!(
        out.stdout,
        vec!["from a file", "whole input", "line 1", "line 2", "line 3"]
    );
}

#[test]
fn persistent_session_receives_what_was_sent_while_offline() {
    let b = Mosquitto::start();
    let port = tcp(&b);
    let topic = unique("persist");
    let id = format!("persist-{}", std::process::id());
    for v in VERSIONS {
        // Subscribe once with a persistent session, then leave.
        let first = sub_ready(&[
            "sub", "-p", &port, "-V", v, "-c", "-i", &id, "-q", "1", "-t", &topic, "-W", "1",
        ]);
        assert_eq!(first.wait().code, Some(0));
        let p = run(&[
            "pub",
            "-p",
            &port,
            "-q",
            "1",
            "-t",
            &topic,
            "-m",
            &format!("while away {v}"),
        ]);
        assert_eq!(p.code, Some(0));
        let out = run(&[
            "sub", "-p", &port, "-V", v, "-c", "-i", &id, "-q", "1", "-t", &topic, "-C", "1", "-W",
            "10",
        ]);
        assert_eq!(
            out.stdout,
            vec![format!("while away {v}")],
            "{}",
            out.stderr_text()
        );
    }
}

// ---------------------------------------------------------------------------------------
// The virtual device
// ---------------------------------------------------------------------------------------

#[test]
fn device_announces_publishes_obeys_and_leaves_a_will() {
    let b = Mosquitto::start();
    let port = tcp(&b);
    let prefix = unique("device");
    let mut device = spawn(&[
        "device",
        "-p",
        &port,
        "--prefix",
        &prefix,
        "--interval-ms",
        "100",
        "--seed",
        "42",
    ]);
    device.wait_stderr("connected to");
    let mut watch = sub_ready(&[
        "sub",
        "-p",
        &port,
        "-t",
        &format!("{prefix}/#"),
        "-v",
        "-q",
        "1",
    ]);

    // Retained status and states are there for a late subscriber.
    watch.line_where(|l| l == format!("{prefix}/status online"));
    watch.line_where(|l| l == format!("{prefix}/relay/state off"));

    // Telemetry: plain numbers in range, and the JSON document.
    let t = watch.line_where(|l| l.starts_with(&format!("{prefix}/temperature ")));
    let t: f64 = t.rsplit(' ').next().unwrap().parse().unwrap();
    assert!((19.0..=25.0).contains(&t), "{t}");
    let h = watch.line_where(|l| l.starts_with(&format!("{prefix}/humidity ")));
    let h: f64 = h.rsplit(' ').next().unwrap().parse().unwrap();
    assert!((40.0..=60.0).contains(&h), "{h}");
    let j = watch.line_where(|l| l.starts_with(&format!("{prefix}/sensors ")));
    let doc: serde_json::Value = serde_json::from_str(j.split_once(' ').unwrap().1).unwrap();
    assert!(
        doc["temperature"].is_f64() && doc["humidity"].is_f64() && doc["light"].is_u64(),
        "{doc}"
    );
    assert!(doc["light"].as_u64().unwrap() <= 1000);

    // Commands are obeyed and echoed.
    for (name, cmd, state) in [
        ("relay", "on", "on"),
        ("fan", "ON", "on"),
        ("dimmer", "42", "42"),
        ("relay", "off", "off"),
    ] {
        let p = run(&[
            "pub",
            "-p",
            &port,
            "-t",
            &format!("{prefix}/{name}/set"),
            "-m",
            cmd,
        ]);
        assert_eq!(p.code, Some(0));
        watch.line_where(|l| l == format!("{prefix}/{name}/state {state}"));
    }
    // Invalid commands are ignored with a log line.
    run(&[
        "pub",
        "-p",
        &port,
        "-t",
        &format!("{prefix}/dimmer/set"),
        "-m",
        "200",
    ]);
    device.wait_stderr("ignoring command");
    run(&[
        "pub",
        "-p",
        &port,
        "-t",
        &format!("{prefix}/toaster/set"),
        "-m",
        "on",
    ]);
    device.wait_stderr("no actuator");
    // The echoed state is retained.
    let late = run(&[
        "sub",
        "-p",
        &port,
        "-t",
        &format!("{prefix}/dimmer/state"),
        "-C",
        "1",
        "-W",
        "10",
    ]);
    assert_eq!(late.stdout, vec!["42"]);

    device.kill();
    watch.line_where(|l| l == format!("{prefix}/status offline"));
}

#[test]
fn device_comes_back_after_the_broker_restarts() {
    let mut b = Mosquitto::start_with(MosquittoOptions {
        websockets: false,
        ..Default::default()
    });
    let port = tcp(&b);
    let prefix = unique("phoenix");
    let mut device = spawn(&[
        "device",
        "-p",
        &port,
        "--prefix",
        &prefix,
        "--interval-ms",
        "100",
    ]);
    device.wait_stderr("connected to");
    b.stop();
    device.wait_stderr("connection lost");
    b.restart();
    device.wait_stderr("connected to");
    let out = run(&[
        "sub",
        "-p",
        &port,
        "-t",
        &format!("{prefix}/status"),
        "-C",
        "1",
        "-W",
        "10",
    ]);
    assert_eq!(out.stdout, vec!["online"], "{}", device.stderr_so_far());
    // And the restored subscription still carries commands.
    let mut watch = sub_ready(&[
        "sub",
        "-p",
        &port,
        "-t",
        &format!("{prefix}/led/state"),
        "-q",
        "1",
    ]);
    watch.line_where(|l| l == "off");
    run(&[
        "pub",
        "-p",
        &port,
        "-t",
        &format!("{prefix}/led/set"),
        "-m",
        "on",
    ]);
    watch.line_where(|l| l == "on");
}

#[test]
fn device_over_websockets() {
    let b = Mosquitto::start();
    let prefix = unique("wsdev");
    let url = format!("ws://127.0.0.1:{}/mqtt/{prefix}", b.ws_port.unwrap());
    let mut device = spawn(&["device", "-L", &url, "--interval-ms", "100", "-V", "5"]);
    device.wait_stderr("connected to");
    let out = run(&[
        "sub",
        "-p",
        &tcp(&b),
        "-t",
        &format!("{prefix}/light"),
        "-C",
        "2",
        "-W",
        "10",
    ]);
    assert_eq!(out.stdout.len(), 2, "{}", device.stderr_so_far());
    for l in out.stdout {
        assert!(l.parse::<u32>().unwrap() <= 1000);
    }
}

// ---------------------------------------------------------------------------------------
// The bench
// ---------------------------------------------------------------------------------------

#[test]
fn bench_reports_no_loss_for_a_short_qos1_run() {
    let b = Mosquitto::start();
    let out = run(&[
        "bench",
        "-p",
        &tcp(&b),
        "-q",
        "1",
        "--count",
        "3000",
        "--rate",
        "3000",
        "--size",
        "100",
        "--json",
    ]);
    assert_eq!(out.code, Some(0), "{}", out.stderr_text());
    let r: serde_json::Value = serde_json::from_str(&out.stdout[0]).unwrap();
    assert_eq!(r["sent"], 3000);
    assert_eq!(r["acknowledged"], 3000);
    assert_eq!(r["received"], 3000);
    assert_eq!(r["lost"], 0);
    assert_eq!(r["loss_pct"], 0.0);
    let lat = &r["latency_ms"];
    let (p50, p99, max) = (
        lat["p50"].as_f64().unwrap(),
        lat["p99"].as_f64().unwrap(),
        lat["max"].as_f64().unwrap(),
    );
    assert!(p50 <= p99 && p99 <= max && p50 > 0.0, "{lat}");
    let rate = r["pub_rate"].as_f64().unwrap();
    assert!(
        rate > 1000.0 && rate < 3300.0,
        "rate limit honoured: {rate}"
    );
}

#[test]
fn bench_summary_and_separate_pub_and_sub_processes() {
    let b = Mosquitto::start();
    let port = tcp(&b);
    let topic = unique("bench");
    let mut sub = spawn(&[
        "bench",
        "--mode",
        "sub",
        "-p",
        &port,
        "-t",
        &topic,
        "-q",
        "1",
        "--count",
        "500",
        "--duration",
        "15",
        "-d",
    ]);
    sub.wait_stderr("received SUBACK");
    let p = run(&[
        "bench", "--mode", "pub", "-p", &port, "-t", &topic, "-q", "1", "--count", "500",
    ]);
    assert_eq!(p.code, Some(0), "{}", p.stderr_text());
    assert!(
        p.stdout
            .iter()
            .any(|l| l.contains("published") && l.contains("500")),
        "{:?}",
        p.stdout
    );
    let out = sub.wait();
    assert_eq!(out.code, Some(0), "{}", out.stderr_text());
    let text = out.stdout.join("\n");
    let lost = out
        .stdout
        .iter()
        .find(|l| l.trim_start().starts_with("lost"))
        .expect("a lost line");
    assert_eq!(lost.split_whitespace().nth(1), Some("0"), "{text}");
    assert!(text.contains("received"), "{text}");
    assert!(text.contains("p50") && text.contains("p99"), "{text}");
}

// ---------------------------------------------------------------------------------------
// Failures: one line on stderr, distinct exit codes
// ---------------------------------------------------------------------------------------

fn one_error_line(out: &Output) -> &str {
    let first = out.stderr.first().map(String::as_str).unwrap_or("");
    assert!(first.starts_with("tablero: "), "{:?}", out.stderr);
    first
}

#[test]
fn nothing_listening_is_a_connection_error() {
    let port = free_port().to_string();
    for cmd in [
        vec!["sub", "-h", "127.0.0.1", "-p", &port, "-t", "x"],
        vec!["pub", "-h", "127.0.0.1", "-p", &port, "-t", "x", "-m", "y"],
        vec!["bench", "-h", "127.0.0.1", "-p", &port, "--count", "1"],
    ] {
        let out = run(&cmd);
        assert_eq!(out.code, Some(1), "{cmd:?}");
        let line = one_error_line(&out);
        assert!(line.contains("connection refused"), "{line}");
        assert_eq!(out.stderr.len(), 1, "{:?}", out.stderr);
    }
    let out = run(&["sub", "-L", &format!("ws://127.0.0.1:{port}/mqtt/x")]);
    assert_eq!(out.code, Some(1));
    assert!(one_error_line(&out).contains("connection refused"));
}

#[test]
fn bad_flags_are_usage_errors() {
    for args in [
        vec!["sub"],
        vec!["sub", "-t"],
        vec!["sub", "-t", "a", "-q", "3"],
        vec!["sub", "-t", "a", "-V", "mqttv6"],
        vec!["sub", "-t", "a", "--bogus"],
        vec!["sub", "-t", "a", "-c"],
        vec!["sub", "-t", "a", "-C", "0"],
        vec!["pub", "-t", "a"],
        vec!["pub", "-t", "a", "-m", "x", "-n"],
        vec!["pub", "-m", "x"],
        vec!["pub", "-t", "a", "-m", "x", "-p", "seventy"],
        vec!["pub", "-t", "a", "-m", "x", "--insecure"],
        vec!["device", "--prefix", "a/#"],
        vec!["bench", "--size", "3"],
        vec!["bench", "--mode", "sideways"],
        vec!["frobnicate"],
        vec![],
    ] {
        let out = run(&args);
        assert_eq!(out.code, Some(2), "{args:?}: {:?}", out.stderr);
        one_error_line(&out);
        assert_eq!(out.stderr.len(), 1, "{args:?}: {:?}", out.stderr);
    }
    // A topic the protocol forbids is caught before anything is sent.
    let b = Mosquitto::start();
    let out = run(&["pub", "-p", &tcp(&b), "-t", "a/+/b", "-m", "x"]);
    assert_eq!(out.code, Some(2), "{:?}", out.stderr);
    assert!(
        one_error_line(&out).contains("invalid topic"),
        "{:?}",
        out.stderr
    );
}

#[test]
fn help_is_printed() {
    for args in [
        vec!["--help"],
        vec!["sub", "--help"],
        vec!["pub", "--help"],
        vec!["device", "--help"],
        vec!["bench", "--help"],
    ] {
        let out = run(&args);
        assert_eq!(out.code, Some(0));
        assert!(
            out.stdout.iter().any(|l| l.starts_with("Usage: tablero")),
            "{args:?}"
        );
    }
    let out = run(&["sub", "--help"]);
    let text = out.stdout.join("\n");
    for flag in [
        "-t TOPIC",
        "-C COUNT",
        "-W SECONDS",
        "-L URL",
        "--will-topic",
        "-V VERSION",
    ] {
        assert!(text.contains(flag), "{flag} missing from sub --help");
    }
}

#[test]
fn a_broker_that_refuses_is_explained_in_words() {
    let b = Mosquitto::start_with(MosquittoOptions {
        websockets: false,
        extra_config: "allow_anonymous false\n".to_owned(),
        ..Default::default()
    });
    let port = tcp(&b);
    for (v, code) in [("mqttv311", "0x05"), ("mqttv5", "0x87")] {
        let out = run(&["sub", "-p", &port, "-V", v, "-t", "x"]);
        assert_eq!(out.code, Some(1), "{v}: {:?}", out.stderr);
        let line = one_error_line(&out);
        assert_eq!(
            line,
            format!("tablero: connection refused: not authorized (CONNACK {code})")
        );
    }
    let out = run(&[
        "pub", "-p", &port, "-u", "who", "-P", "nope", "-t", "x", "-m", "y",
    ]);
    assert_eq!(out.code, Some(1));
    assert!(
        one_error_line(&out).contains("connection refused"),
        "{:?}",
        out.stderr
    );
}

/// A fake broker that answers CONNECT with `reply`, to see how garbage is reported.
fn fake_broker(reply: &'static [u8]) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        if let Ok((mut s, _)) = listener.accept() {
            let mut buf = [0u8; 256];
            let _ = s.read(&mut buf);
            let _ = s.write_all(reply);
            std::thread::sleep(Duration::from_secs(3));
        }
    });
    port
}

#[test]
fn malformed_packets_are_protocol_errors() {
    // CONNACK with remaining length 3 (3.1.1 says 2), then a reserved packet type 0.
    for reply in [&[0x20u8, 0x03, 0x00, 0x00, 0x00][..], &[0x00u8, 0x00][..]] {
        let port = fake_broker(reply).to_string();
        let out = run(&["sub", "-h", "127.0.0.1", "-p", &port, "-t", "x"]);
        assert_eq!(out.code, Some(1), "{:?}", out.stderr);
        let line = one_error_line(&out);
        assert!(
            line.contains("protocol error") && line.contains("malformed"),
            "{line}"
        );
    }
    // Something that is not an MQTT broker at all and never answers.
    let port = fake_broker(b"").to_string();
    let out = run(&["pub", "-h", "127.0.0.1", "-p", &port, "-t", "x", "-m", "y"]);
    assert_eq!(out.code, Some(1));
    let line = one_error_line(&out);
    assert!(
        line.contains("connection lost") || line.contains("CONNACK"),
        "{line}"
    );
}
