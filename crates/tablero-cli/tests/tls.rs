//! The `tablero` binary over TLS against a real mosquitto whose TLS listeners present a
//! certificate from a CA the harness made: trusted with `--cafile`, refused without it, for
//! another name, or on a plaintext port, accepted by `--insecure`.

mod common;

use common::*;
use testkit::{Mosquitto, MosquittoOptions, TlsListeners};

fn tls_broker(server_names: &[&str]) -> Mosquitto {
    Mosquitto::start_with(MosquittoOptions {
        tls: Some(TlsListeners {
            server_names: server_names.iter().map(|n| (*n).to_owned()).collect(),
        }),
        ..Default::default()
    })
}

fn mqtts(b: &Mosquitto, topic: &str) -> String {
    format!("mqtts://127.0.0.1:{}/{topic}", b.mqtts_port.unwrap())
}

fn wss(b: &Mosquitto, topic: &str) -> String {
    format!("wss://127.0.0.1:{}/mqtt/{topic}", b.wss_port.unwrap())
}

fn ca(b: &Mosquitto) -> String {
    b.ca_file().to_str().unwrap().to_owned()
}

/// A payload of several TLS records (16 KiB at most each), in a file (one argument may not
/// hold it).
fn big_payload(fill: char, len: usize) -> (String, std::path::PathBuf) {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let text: String = std::iter::repeat_n(fill, len).collect();
    let path = std::env::temp_dir().join(format!(
        "tablero-tls-{}-{}.txt",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::write(&path, &text).unwrap();
    (text, path)
}

/// The one line a failed command prints, after checking it failed as a connection does.
fn failure(args: &[&str]) -> String {
    let out = run(args);
    assert_eq!(out.code, Some(1), "{args:?}: {:?}", out.stderr);
    assert_eq!(out.stderr.len(), 1, "{args:?}: {:?}", out.stderr);
    let line = out.stderr[0].clone();
    assert!(line.starts_with("tablero: "), "{line}");
    line
}

#[test]
fn pub_sub_over_mqtts_with_the_test_ca() {
    let b = tls_broker(&["localhost", "127.0.0.1"]);
    let ca = ca(&b);
    let port = b.mqtts_port.unwrap().to_string();
    for v in ["mqttv311", "mqttv5"] {
        let topic = unique("mqtts");
        let sub = sub_ready(&[
            "sub",
            "-L",
            &mqtts(&b, &topic),
            "--cafile",
            &ca,
            "-V",
            v,
            "-q",
            "1",
            "-C",
            "2",
        ]);
        // mosquitto_pub's way: -h/-p, and --cafile turns TLS on; by name this time.
        let p = run(&[
            "pub",
            "-h",
            "localhost",
            "-p",
            &port,
            "--cafile",
            &ca,
            "-V",
            v,
            "-q",
            "1",
            "-t",
            &topic,
            "-m",
            "over tls",
        ]);
        assert_eq!(p.code, Some(0), "pub {v}: {}", p.stderr_text());
        // Read by a subscriber that must not leave decrypted bytes behind when the socket
        // runs dry.
        let (big, file) = big_payload('x', 300_000);
        let p = run(&[
            "pub",
            "-L",
            &mqtts(&b, &topic),
            "--cafile",
            &ca,
            "-V",
            v,
            "-q",
            "1",
            "-f",
            file.to_str().unwrap(),
        ]);
        std::fs::remove_file(&file).ok();
        assert_eq!(p.code, Some(0), "pub {v}: {}", p.stderr_text());
        let out = sub.wait();
        assert_eq!(out.code, Some(0), "sub {v}: {}", out.stderr_text());
        assert_eq!(out.stdout, vec!["over tls".to_owned(), big], "{v}");
    }
}

#[test]
fn pub_sub_over_wss_with_the_test_ca() {
    let b = tls_broker(&["localhost", "127.0.0.1"]);
    let ca = ca(&b);
    for v in ["311", "5"] {
        let topic = unique("wss");
        let url = wss(&b, &topic);
        let sub = sub_ready(&[
            "sub", "-L", &url, "--cafile", &ca, "-V", v, "-q", "1", "-C", "2", "-v",
        ]);
        let p = run(&[
            "pub", "-L", &url, "--cafile", &ca, "-V", v, "-q", "1", "-m", "over wss",
        ]);
        assert_eq!(p.code, Some(0), "pub {v}: {}", p.stderr_text());
        // Smaller: mosquitto 2.0.11 sends a large message to a WebSocket client at some
        // 40 kB/s, with or without TLS.
        let (big, file) = big_payload('y', 40_000);
        let p = run(&[
            "pub",
            "-L",
            &url,
            "--cafile",
            &ca,
            "-V",
            v,
            "-q",
            "1",
            "-f",
            file.to_str().unwrap(),
        ]);
        std::fs::remove_file(&file).ok();
        assert_eq!(p.code, Some(0), "pub {v}: {}", p.stderr_text());
        let out = sub.wait();
        assert_eq!(out.code, Some(0), "sub {v}: {}", out.stderr_text());
        assert_eq!(
            out.stdout,
            vec![format!("{topic} over wss"), format!("{topic} {big}")],
            "{v}"
        );
    }
}

/// Thousands of QoS 1 messages both ways through one process, as fast as they go: TLS
/// buffers on both sides of the socket fill and drain while nothing may be lost or stall.
#[test]
fn bench_over_mqtts_and_wss_loses_nothing() {
    let b = Mosquitto::start_with(MosquittoOptions {
        tls: Some(TlsListeners::default()),
        // Unbounded: mosquitto drops QoS 1 messages beyond 1000 queued for a subscriber,
        // which an unthrottled bench reaches.
        extra_config: "max_queued_messages 0\n".to_owned(),
        ..Default::default()
    });
    let ca = ca(&b);
    for url in [
        format!("mqtts://127.0.0.1:{}", b.mqtts_port.unwrap()),
        format!("wss://127.0.0.1:{}/mqtt", b.wss_port.unwrap()),
    ] {
        let out = run(&[
            "bench", "-L", &url, "--cafile", &ca, "-q", "1", "--count", "3000", "--size", "200",
            "--json",
        ]);
        assert_eq!(out.code, Some(0), "{url}: {}", out.stderr_text());
        let r: serde_json::Value = serde_json::from_str(&out.stdout[0]).unwrap();
        assert_eq!(
            (&r["acknowledged"], &r["received"], &r["lost"]),
            (&3000.into(), &3000.into(), &0.into()),
            "{url}: {r}"
        );
    }
}

#[test]
fn an_untrusted_certificate_is_refused_and_cafile_is_suggested() {
    let b = tls_broker(&["localhost", "127.0.0.1"]);
    for args in [
        vec!["sub".to_owned(), "-L".into(), mqtts(&b, "x")],
        vec!["sub".to_owned(), "-L".into(), wss(&b, "x")],
        vec![
            "pub".to_owned(),
            "-L".into(),
            mqtts(&b, "x"),
            "-m".into(),
            "y".into(),
        ],
    ] {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let line = failure(&args);
        assert!(
            line.contains("certificate is not trusted") && line.contains("--cafile FILE"),
            "{line}"
        );
        assert!(line.contains("127.0.0.1"), "names the server: {line}");
    }
    // Another CA's file is no better, and the message says which file was used.
    let other = tls_broker(&["127.0.0.1"]);
    let other_ca = ca(&other);
    let line = failure(&["sub", "-L", &mqtts(&b, "x"), "--cafile", &other_ca]);
    assert!(
        line.contains("not signed by a CA in --cafile") && line.contains(&other_ca),
        "{line}"
    );
}

#[test]
fn insecure_accepts_any_certificate() {
    // Untrusted (no --cafile) and for another name at once.
    let b = tls_broker(&["broker.example"]);
    for url in [mqtts(&b, ""), wss(&b, "")] {
        let topic = unique("insecure");
        let url = format!("{url}{topic}");
        let sub = sub_ready(&["sub", "-L", &url, "--insecure", "-C", "1", "-q", "1"]);
        let p = run(&[
            "pub",
            "-L",
            &url,
            "--insecure",
            "-q",
            "1",
            "-m",
            "unchecked",
        ]);
        assert_eq!(p.code, Some(0), "{url}: {}", p.stderr_text());
        let out = sub.wait();
        assert_eq!(out.code, Some(0), "{url}: {}", out.stderr_text());
        assert_eq!(out.stdout, vec!["unchecked"], "{url}");
    }
}

#[test]
fn a_certificate_for_another_name_is_refused() {
    let b = tls_broker(&["broker.example"]);
    let ca = ca(&b);
    for url in [mqtts(&b, "x"), wss(&b, "x")] {
        let line = failure(&["sub", "-L", &url, "--cafile", &ca]);
        assert!(
            line.contains("certificate is for broker.example, not 127.0.0.1"),
            "{line}"
        );
    }
    let port = b.mqtts_port.unwrap().to_string();
    let line = failure(&[
        "pub",
        "-h",
        "localhost",
        "-p",
        &port,
        "--cafile",
        &ca,
        "-t",
        "x",
        "-m",
        "y",
    ]);
    assert!(
        line.contains("certificate is for broker.example, not localhost"),
        "{line}"
    );
}

#[test]
fn a_plaintext_port_is_named_as_such() {
    let b = Mosquitto::start();
    let tcp = format!("mqtts://127.0.0.1:{}/x", b.tcp_port);
    let ws = format!("wss://127.0.0.1:{}/mqtt/x", b.ws_port.unwrap());
    for url in [tcp, ws] {
        let line = failure(&["sub", "-L", &url, "--insecure"]);
        assert!(
            line.contains("TLS handshake") && line.contains("is this a plaintext port"),
            "{url}: {line}"
        );
    }
}

#[test]
fn tls_flags_that_cannot_apply_are_usage_errors() {
    let b = tls_broker(&["127.0.0.1"]);
    let ca = ca(&b);
    for (args, needle) in [
        (
            vec!["sub", "-t", "x", "--insecure"],
            "--insecure is for TLS",
        ),
        (
            vec!["sub", "-L", "mqtt://127.0.0.1/x", "--cafile", &ca],
            "use mqtts://",
        ),
        (
            vec![
                "pub",
                "-t",
                "x",
                "-m",
                "y",
                "--cafile",
                "/nonexistent/ca.pem",
            ],
            "--cafile /nonexistent/ca.pem: cannot read it",
        ),
    ] {
        let out = run(&args);
        assert_eq!(out.code, Some(2), "{args:?}: {:?}", out.stderr);
        assert_eq!(out.stderr.len(), 1, "{args:?}: {:?}", out.stderr);
        assert!(
            out.stderr[0].contains(needle),
            "{args:?}: {}",
            out.stderr[0]
        );
    }
}
