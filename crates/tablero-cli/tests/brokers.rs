//! The broker matrix: the `tablero` CLI against mosquitto, aedes, amqtt and rumqttd, for
//! each MQTT version and transport each broker speaks (see `testkit::brokers`).
//!
//! One test per broker × version × transport × case, so `cargo test` output is the matrix
//! (docs/INTEROP.md). Each test starts its own broker; a failing test prints that broker's
//! log. Where a broker departs from the spec, the test asserts what the broker does, says
//! so in a comment citing broker, version and spec statement, and docs/INTEROP.md lists it.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::process::{Command, Stdio};
use std::sync::mpsc::channel;
use std::time::{Duration, Instant};

use common::*;
use testkit::{Broker, BrokerOptions, MqttVersion, RunningBroker, Transport};

#[derive(Debug, Clone, Copy)]
struct Combo {
    broker: Broker,
    version: MqttVersion,
    transport: Transport,
    /// Clients give this username, and the broker is told to refuse anonymous ones (only
    /// amqtt needs it: see [`testkit::BrokerOptions::allow_anonymous`]).
    username: Option<&'static str>,
}

/// A started broker and how to reach it for one combination.
struct Ctx {
    c: Combo,
    b: RunningBroker,
}

impl Ctx {
    /// Runs `case` against a fresh broker; if it panics, the broker's log is printed first.
    fn with(c: Combo, case: impl FnOnce(&Ctx)) {
        let ctx = Ctx {
            c,
            b: c.broker.start_with(BrokerOptions {
                allow_anonymous: c.username.is_none(),
            }),
        };
        if let Err(panic) = catch_unwind(AssertUnwindSafe(|| case(&ctx))) {
            eprintln!(
                "--- {} (MQTT {}, {}) log ---\n{}",
                c.broker,
                c.version,
                c.transport,
                ctx.b.log()
            );
            resume_unwind(panic);
        }
    }

    /// `tablero CMD` with the connection flags of this combination, then `rest`.
    fn args(&self, cmd: &str, rest: &[&str]) -> Vec<String> {
        let mut a = vec![
            cmd.to_owned(),
            "-V".into(),
            self.c.version.cli_flag().into(),
        ];
        match self.c.transport {
            Transport::Tcp => {
                let port = self.b.tcp_port(self.c.version).to_string();
                a.extend(["-h".into(), "127.0.0.1".into(), "-p".into(), port]);
            }
            Transport::Ws => {
                let url = self
                    .b
                    .ws_url(self.c.version)
                    .expect("a ws combination has a ws listener");
                a.extend(["-L".into(), url]);
            }
        }
        if let Some(user) = self.c.username {
            a.extend(["-u".into(), user.into()]);
        }
        a.extend(rest.iter().map(|s| (*s).to_owned()));
        a
    }

    fn sub_ready(&self, rest: &[&str]) -> Running {
        sub_ready(&strs(&self.args("sub", rest)))
    }

    fn run(&self, cmd: &str, rest: &[&str]) -> Output {
        run(&strs(&self.args(cmd, rest)))
    }

    /// `tablero pub`, which must succeed.
    fn publish(&self, rest: &[&str]) -> Output {
        let out = self.run("pub", rest);
        assert_eq!(out.code, Some(0), "pub {rest:?}: {}", out.stderr_text());
        out
    }
}

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

/// The `-d` lines for packets received (or sent) of one type, e.g. `("received", "PUBLISH")`.
fn packets<'a>(stderr: &'a [String], verb: &str, packet: &str) -> Vec<&'a str> {
    let prefix = format!("tablero: debug: {verb} {packet}");
    stderr
        .iter()
        .map(String::as_str)
        .filter(|l| l.starts_with(&prefix))
        .collect()
}

/// A client id no other test uses (brokers share nothing between tests, but the ids also
/// show up in logs).
fn unique_id(name: &str) -> String {
    unique(name).replace('/', "-")
}

// ---------------------------------------------------------------------------------------
// The cases
// ---------------------------------------------------------------------------------------

/// QoS 0, 1 and 2 through the broker; the subscriber gets each at the QoS it asked for.
fn qos(ctx: &Ctx) {
    for q in ["0", "1", "2"] {
        let topic = unique("qos");
        let sub = ctx.sub_ready(&["-q", q, "-t", &topic, "-C", "1"]);
        let msg = format!("hello q{q}");
        ctx.publish(&["-q", q, "-t", &topic, "-m", &msg]);
        let out = sub.wait();
        assert_eq!(out.code, Some(0), "sub q{q}: {}", out.stderr_text());
        assert_eq!(out.stdout, vec![msg]);
        let got = packets(&out.stderr, "received", "PUBLISH");
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(
            got[0].contains(&format!(", q{q}, r0,")),
            "delivered at the QoS of both sides: {got:?}"
        );
    }
}

/// A retained message reaches a later subscriber with the retain flag set, and a retained
/// empty message clears it (3.3.1.3).
fn retained(ctx: &Ctx) {
    let topic = unique("retained");
    ctx.publish(&["-q", "1", "-r", "-t", &topic, "-m", "kept"]);
    let out = ctx.run(
        "sub",
        &["-t", &topic, "-q", "1", "-C", "1", "-W", "10", "-d"],
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr_text());
    assert_eq!(out.stdout, vec!["kept"]);
    let got = packets(&out.stderr, "received", "PUBLISH");
    assert!(got[0].contains(", r1,"), "retain flag set: {got:?}");

    ctx.publish(&["-q", "1", "-r", "-n", "-t", &topic]);
    let out = ctx.run("sub", &["-t", &topic, "-W", "1"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr_text());
    assert!(out.stdout.is_empty(), "cleared: {:?}", out.stdout);
}

/// The will is published when the connection that holds it ends without DISCONNECT
/// (SIGKILL: the kernel closes the socket).
fn will(ctx: &Ctx) {
    let will = unique("will");
    let watcher = ctx.sub_ready(&["-t", &will, "-q", "1", "-C", "1"]);
    let mut victim = ctx.sub_ready(&[
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
    assert_eq!(out.code, Some(0), "{}", out.stderr_text());
    assert_eq!(out.stdout, vec!["gone"]);
}

/// `-c -i ID`: a QoS 1 message published while the subscriber is away is delivered when it
/// comes back (3.1.2.4: the session holds QoS 1 and 2 messages pending transmission), with
/// RETAIN 0 (3.3.1-9: it matches an established subscription), and CONNACK says the session
/// was present.
fn persistent_session(ctx: &Ctx) {
    let topic = unique("persist");
    let id = unique_id("persist");
    let first = ctx.sub_ready(&["-c", "-i", &id, "-q", "1", "-t", &topic, "-W", "1"]);
    let out = first.wait();
    assert_eq!(out.code, Some(0), "{}", out.stderr_text());
    ctx.publish(&["-q", "1", "-t", &topic, "-m", "while away"]);

    if ctx.c.broker == Broker::Amqtt && ctx.c.username.is_none() {
        // Deviation, amqtt 0.12.1 with `allow_anonymous: true`: every client counts as
        // anonymous, and amqtt queues nothing for an anonymous client that is away (its
        // broadcast skips "anonymous" sessions) and drops the session within a second of
        // the disconnect. The QoS 1 message is lost, against 3.1.2.4. The same case with a
        // username and anonymous clients refused is `amqtt_311_*_named`.
        let out = ctx.run(
            "sub",
            &["-c", "-i", &id, "-q", "1", "-t", &topic, "-W", "2"],
        );
        assert_eq!(out.code, Some(0), "{}", out.stderr_text());
        assert!(out.stdout.is_empty(), "amqtt lost it: {:?}", out.stdout);
        return;
    }

    let out = ctx.run(
        "sub",
        &[
            "-c", "-i", &id, "-q", "1", "-t", &topic, "-C", "1", "-W", "10", "-d",
        ],
    );
    assert_eq!(out.stdout, vec!["while away"], "{}", out.stderr_text());
    let connack = packets(&out.stderr, "received", "CONNACK");
    assert!(connack[0].contains("(sp1,"), "session present: {connack:?}");
    let got = packets(&out.stderr, "received", "PUBLISH");
    // Deviation, amqtt 0.12.1: a message queued for an absent session is delivered with
    // RETAIN 1, against 3.3.1-9 (`tablero sub -R` would skip it as retained).
    let retain = if ctx.c.broker == Broker::Amqtt { 1 } else { 0 };
    assert!(got[0].contains(&format!(", q1, r{retain},")), "{got:?}");
}

/// `+` and `#`, including `#` matching its parent level (4.7.1.2). Messages from different
/// publishers have no order between them (4.6), so they are compared as sets.
fn wildcards(ctx: &Ctx) {
    let base = unique("wild");
    let plus = ctx.sub_ready(&["-t", &format!("{base}/+/x"), "-q", "1", "-v", "-C", "2"]);
    let hash = ctx.sub_ready(&["-t", &format!("{base}/#"), "-q", "1", "-v", "-C", "4"]);
    let sent = [
        (format!("{base}/a/x"), "1"),
        (format!("{base}/b/y"), "2"),
        (base.clone(), "3"),
        (format!("{base}/c/x"), "4"),
        // Matched by neither: `+` is one level, and `#` is below `base` only.
        (format!("{base}/a/x/deeper"), "5"),
        (format!("{base}x"), "6"),
    ];
    for (t, m) in &sent {
        ctx.publish(&["-q", "1", "-t", t, "-m", m]);
    }
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    let out = plus.wait();
    assert_eq!(
        sorted(out.stdout),
        vec![format!("{base}/a/x 1"), format!("{base}/c/x 4")]
    );
    let out = hash.wait();
    assert_eq!(
        sorted(out.stdout),
        vec![
            format!("{base} 3"),
            format!("{base}/a/x 1"),
            format!("{base}/b/y 2"),
            format!("{base}/c/x 4"),
        ]
    );
}

/// 256 KiB of every byte value through `pub -f`, compared byte for byte.
fn large_payload(ctx: &Ctx) {
    let topic = unique("large");
    let payload = pseudo_random(256 * 1024);
    let file = std::env::temp_dir().join(format!("{}.bin", unique_id("tablero-large")));
    std::fs::write(&file, &payload).unwrap();

    // The payload is binary, so stdout is read whole rather than as lines.
    let args = ctx.args("sub", &["-t", &topic, "-q", "1", "-C", "1", "-N", "-d"]);
    let mut sub = Command::new(TABLERO)
        .args(&args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run tablero sub");
    let (subacked, subacked_rx) = channel();
    let stderr = sub.stderr.take().unwrap();
    let err_thread = std::thread::spawn(move || {
        let mut lines = Vec::new();
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if line.contains("received SUBACK") {
                let _ = subacked.send(());
            }
            lines.push(line);
        }
        lines
    });
    let mut stdout = sub.stdout.take().unwrap();
    let out_thread = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = stdout.read_to_end(&mut bytes);
        bytes
    });
    let ready = subacked_rx.recv_timeout(T);
    if ready.is_err() {
        let _ = sub.kill();
    }
    let pubbed = ready.is_ok().then(|| {
        ctx.run(
            "pub",
            &["-t", &topic, "-q", "1", "-f", file.to_str().unwrap()],
        )
    });
    let deadline = Instant::now() + T;
    while matches!(sub.try_wait(), Ok(None)) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    let _ = sub.kill();
    let status = sub.wait().unwrap();
    std::fs::remove_file(&file).ok();
    let got = out_thread.join().unwrap();
    let err = err_thread.join().unwrap().join("\n");
    let pubbed = pubbed.unwrap_or_else(|| panic!("no SUBACK:\n{err}"));
    assert_eq!(pubbed.code, Some(0), "pub: {}", pubbed.stderr_text());
    assert_eq!(status.code(), Some(0), "sub:\n{err}");
    assert_eq!(got.len(), payload.len(), "sub:\n{err}");
    assert!(got == payload, "the payload arrived changed");
}

/// Deterministic bytes covering every value (xorshift), so a failure can be replayed.
fn pseudo_random(len: usize) -> Vec<u8> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

/// 5.0: user properties reach the subscriber unaltered and in order (3.3.2.3.7).
fn user_properties(ctx: &Ctx) {
    let topic = unique("props");
    let sub = ctx.sub_ready(&["-t", &topic, "-q", "1", "-C", "1"]);
    ctx.publish(&[
        "-q",
        "1",
        "-t",
        &topic,
        "-m",
        "with properties",
        "-D",
        "PUBLISH",
        "user-property",
        "k1",
        "v1",
        "-D",
        "PUBLISH",
        "user-property",
        "k1",
        "v2",
        "-D",
        "PUBLISH",
        "user-property",
        "clé",
        "välue ✓",
    ]);
    let out = sub.wait();
    assert_eq!(out.stdout, vec!["with properties"], "{}", out.stderr_text());
    let got = packets(&out.stderr, "received", "PUBLISH");
    assert!(
        got[0].contains(
            r#"UserProperty("k1", "v1"), UserProperty("k1", "v2"), UserProperty("clé", "välue ✓")"#
        ),
        "{got:?}"
    );
}

/// 5.0: the message expiry interval is forwarded minus the time the message waited
/// (3.3.2.3.3), and an expired retained message is no longer delivered (3.3.2.3.3: the
/// server MUST delete a copy whose interval has passed).
fn message_expiry(ctx: &Ctx) {
    let (kept, expiring) = (unique("expiry"), unique("expiry"));
    let expiry = |secs: &'static str| ["-D", "PUBLISH", "message-expiry-interval", secs];
    let mut a = vec!["-q", "1", "-r", "-t", &kept, "-m", "kept"];
    a.extend(expiry("60"));
    ctx.publish(&a);
    let mut a = vec!["-q", "1", "-r", "-t", &expiring, "-m", "gone soon"];
    a.extend(expiry("1"));
    ctx.publish(&a);
    let published = Instant::now();

    let out = ctx.run(
        "sub",
        &["-t", &kept, "-q", "1", "-C", "1", "-W", "10", "-d"],
    );
    assert_eq!(out.stdout, vec!["kept"], "{}", out.stderr_text());
    let got = packets(&out.stderr, "received", "PUBLISH");
    let interval = got[0]
        .split("MessageExpiryInterval(")
        .nth(1)
        .and_then(|rest| rest.split(')').next())
        .and_then(|n| n.parse::<u32>().ok())
        .unwrap_or_else(|| panic!("no message expiry interval forwarded: {got:?}"));
    assert!(
        (50..=60).contains(&interval),
        "the interval counts down from 60: {interval}"
    );

    // The wait is the case itself: a whole second must pass for the message to expire.
    let expired_at = published + Duration::from_millis(2100);
    std::thread::sleep(expired_at.saturating_duration_since(Instant::now()));
    let out = ctx.run("sub", &["-t", &expiring, "-q", "1", "-W", "1"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr_text());
    assert!(out.stdout.is_empty(), "expired: {:?}", out.stdout);
}

/// 5.0: topic aliases. Tablero aliases its publishes up to the broker's Topic Alias
/// Maximum (3.2.2.3.8) and the subscriber still sees full topics; Tablero announces no
/// Topic Alias Maximum of its own, so the broker must not alias towards it (3.1.2.11.5).
fn topic_alias(ctx: &Ctx) {
    let topic = unique("alias");
    let sub = ctx.sub_ready(&["-t", &topic, "-q", "1", "-v", "-C", "3"]);
    let mut publisher = spawn_with_stdin(
        TABLERO,
        &strs(&ctx.args("pub", &["-t", &topic, "-q", "1", "-l", "-d"])),
        Stdio::piped(),
    );
    publisher
        .child
        .stdin
        .take()
        .unwrap()
        .write_all(b"a\nb\nc\n")
        .unwrap();
    let p = publisher.wait();
    assert_eq!(p.code, Some(0), "{}", p.stderr_text());
    let out = sub.wait();
    assert_eq!(
        out.stdout,
        ["a", "b", "c"].map(|m| format!("{topic} {m}")),
        "{}",
        out.stderr_text()
    );
    assert!(
        packets(&out.stderr, "received", "PUBLISH")
            .iter()
            .all(|l| !l.contains("TopicAlias(")),
        "no alias towards a client that allowed none: {}",
        out.stderr_text()
    );

    let connack = packets(&p.stderr, "received", "CONNACK");
    let maximum = connack[0]
        .split("TopicAliasMaximum(")
        .nth(1)
        .and_then(|rest| rest.split(')').next())
        .map_or(0, |n| n.parse::<u16>().unwrap());
    let sent = packets(&p.stderr, "sending", "PUBLISH");
    assert_eq!(sent.len(), 3, "{sent:?}");
    if maximum == 0 {
        assert!(sent.iter().all(|l| !l.contains("TopicAlias(")), "{sent:?}");
    } else {
        assert!(
            sent[0].contains(&format!("{topic:?}")) && sent[0].contains("TopicAlias(1)"),
            "the first PUBLISH sets the alias: {sent:?}"
        );
        for l in &sent[1..] {
            assert!(
                l.contains(r#", "", "#) && l.contains("TopicAlias(1)"),
                "later ones use it alone: {sent:?}"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------
// Version negotiation
// ---------------------------------------------------------------------------------------

/// A 3.1.1-only broker meeting `-V mqttv5`: named for what it is, with the flag that helps.
/// aedes and amqtt answer CONNACK 0x01 in the 3.1.1 layout [MQTT-3.1.2-2]; rumqttd 0.20.0
/// closes the connection without a CONNACK (its log: `InvalidProtocolLevel(5)`), which is
/// only a sign, so the words are "may not".
fn refuses_v5_in_words(ctx: &Ctx) {
    let out = ctx.run("sub", &["-V", "mqttv5", "-t", "x", "-W", "10"]);
    assert_eq!(out.code, Some(1), "{}", out.stderr_text());
    let err = out.stderr_text();
    let verdict = if ctx.c.broker == Broker::Rumqttd {
        "this broker may not speak MQTT 5.0"
    } else {
        "this broker does not speak MQTT 5.0: it answered with an MQTT 3.1.1 CONNACK (return code 0x01)"
    };
    assert!(err.contains(verdict), "{err}");
    assert!(err.contains("use 3.1.1 (-V mqttv311)"), "{err}");
    assert!(!err.contains("malformed"), "{err}");
}

/// `-V auto` against a 3.1.1-only broker: one refused 5.0 CONNECT, then 3.1.1, said on
/// stderr, and the message goes through.
fn auto_falls_back_to_311(ctx: &Ctx) {
    let topic = unique("auto");
    let sub = ctx.sub_ready(&["-q", "1", "-t", &topic, "-C", "1"]);
    let out = ctx.run(
        "pub",
        &[
            "-V", "auto", "-d", "-q", "1", "-t", &topic, "-m", "via auto",
        ],
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr_text());
    assert!(
        out.stderr_text()
            .contains("does not speak MQTT 5.0; connecting again with MQTT 3.1.1"),
        "{}",
        out.stderr_text()
    );
    let connects = packets(&out.stderr, "sending", "CONNECT");
    assert_eq!(connects.len(), 2, "{connects:?}");
    assert!(
        connects[0].contains("(p5,") && connects[1].contains("(p4,"),
        "{connects:?}"
    );
    let got = sub.wait();
    assert_eq!(
        got.stdout,
        vec!["via auto".to_owned()],
        "{}",
        got.stderr_text()
    );
}

/// `-V auto` against a broker that speaks 5.0 uses it, with no second CONNECT.
fn auto_keeps_v5(ctx: &Ctx) {
    let topic = unique("auto5");
    let out = ctx.run("pub", &["-V", "auto", "-d", "-t", &topic, "-m", "x"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr_text());
    let connects = packets(&out.stderr, "sending", "CONNECT");
    assert_eq!(connects.len(), 1, "{connects:?}");
    assert!(connects[0].contains("(p5,"), "{connects:?}");
    assert!(!out.stderr_text().contains("connecting again"));
}

// ---------------------------------------------------------------------------------------
// The matrix
// ---------------------------------------------------------------------------------------

/// The optional `user "NAME"` of a matrix row.
const fn username(given: &[&'static str]) -> Option<&'static str> {
    match given {
        [name] => Some(name),
        _ => None,
    }
}

/// One module per broker × version × transport, one test per case in it.
macro_rules! matrix {
    ($($name:ident: $broker:ident $version:ident $transport:ident $(user $user:literal)?
        [$($case:ident),* $(,)?];)*) => {
        $(
            mod $name {
                use super::*;
                const C: Combo = Combo {
                    broker: Broker::$broker,
                    version: MqttVersion::$version,
                    transport: Transport::$transport,
                    username: username(&[$($user)?]),
                };
                $(
                    #[test]
                    fn $case() {
                        Ctx::with(C, super::$case);
                    }
                )*
            }
        )*
        /// Every combination tested, to check it against what the brokers speak.
        const MATRIX: &[Combo] = &[$(Combo {
            broker: Broker::$broker,
            version: MqttVersion::$version,
            transport: Transport::$transport,
            username: username(&[$($user)?]),
        }),*];
    };
}

matrix! {
    mosquitto_311_tcp: Mosquitto V311 Tcp [qos, retained, will, persistent_session, wildcards, large_payload];
    mosquitto_311_ws: Mosquitto V311 Ws [qos, retained, will, persistent_session, wildcards, large_payload];
    mosquitto_5_tcp: Mosquitto V5 Tcp [qos, retained, will, persistent_session, wildcards, large_payload,
        user_properties, message_expiry, topic_alias,
        auto_keeps_v5];
    mosquitto_5_ws: Mosquitto V5 Ws [qos, retained, will, persistent_session, wildcards, large_payload,
        user_properties, message_expiry, topic_alias,
        auto_keeps_v5];
    aedes_311_tcp: Aedes V311 Tcp [qos, retained, will, persistent_session, wildcards, large_payload,
        refuses_v5_in_words, auto_falls_back_to_311];
    aedes_311_ws: Aedes V311 Ws [qos, retained, will, persistent_session, wildcards, large_payload,
        refuses_v5_in_words, auto_falls_back_to_311];
    amqtt_311_tcp: Amqtt V311 Tcp [qos, retained, will, persistent_session, wildcards, large_payload,
        refuses_v5_in_words, auto_falls_back_to_311];
    amqtt_311_ws: Amqtt V311 Ws [qos, retained, will, persistent_session, wildcards, large_payload,
        refuses_v5_in_words, auto_falls_back_to_311];
    amqtt_311_tcp_named: Amqtt V311 Tcp user "tablero" [persistent_session];
    amqtt_311_ws_named: Amqtt V311 Ws user "tablero" [persistent_session];
    rumqttd_311_tcp: Rumqttd V311 Tcp [qos, retained, will, persistent_session, wildcards, large_payload,
        refuses_v5_in_words, auto_falls_back_to_311];
    rumqttd_311_ws: Rumqttd V311 Ws [qos, retained, will, persistent_session, wildcards, large_payload,
        refuses_v5_in_words, auto_falls_back_to_311];
    rumqttd_5_tcp: Rumqttd V5 Tcp [qos, retained, will, persistent_session, wildcards, large_payload,
        user_properties, message_expiry, topic_alias,
        auto_keeps_v5];
}

#[test]
fn the_matrix_covers_every_version_and_transport_of_every_broker() {
    let mut expected = Vec::new();
    for b in Broker::ALL {
        for &v in b.versions() {
            for &t in b.transports(v) {
                expected.push((b, v, t));
            }
        }
    }
    let tested: Vec<_> = MATRIX
        .iter()
        .filter(|c| c.username.is_none())
        .map(|c| (c.broker, c.version, c.transport))
        .collect();
    assert_eq!(tested, expected);
}
