//! 100,000 QoS 1 messages through a real mosquitto, publisher and subscriber in this process
//! on the same driver the binary uses: nothing lost, and packet identifiers wrap past 65535
//! on the way out (watched on the publisher's session) and on the way in (the broker's
//! identifiers towards the subscriber wrap as well, and every one must be acknowledged).

use std::sync::mpsc;
use std::time::{Duration, Instant};

use mqtt_session::{Event, Properties, ProtocolVersion, QoS, SessionOptions, SubscriptionOptions};
use tablero_cli::args::Endpoint;
use tablero_cli::driver::Driver;
use testkit::{Mosquitto, MosquittoOptions};

const N: u64 = 100_000;
const WINDOW: usize = 256;
const LIMIT: Duration = Duration::from_secs(50);

fn driver(port: u16, version: ProtocolVersion, id: &str) -> Driver {
    let endpoint = Endpoint::Tcp {
        host: "127.0.0.1".to_owned(),
        port,
        tls: None,
    };
    let mut options = SessionOptions::new(version, id);
    options.auto_reconnect = false;
    let mut d = Driver::new(endpoint, options).expect("valid options");
    d.open().expect("broker reachable");
    d
}

fn turn(d: &mut Driver, deadline: Option<Instant>) {
    d.turn(deadline, None).expect("poll works");
    assert!(
        d.is_open(),
        "connection ended: {:?}",
        d.last_transport_error()
    );
}

/// Follows the packet identifiers of in-flight publishes in send order. Every publish is
/// in flight for at least one loop turn (its PUBACK can only arrive in a later read), so
/// scanning after each publish batch and each turn sees every identifier.
#[derive(Default)]
struct PidWatch {
    last_id: Option<mqtt_session::PublishId>,
    last_pid: u16,
    max: u16,
    wraps: u32,
}

impl PidWatch {
    fn scan(&mut self, d: &Driver) {
        for (id, pid, _, _) in d.session().inflight() {
            if self.last_id.is_some_and(|last| id <= last) {
                continue;
            }
            self.last_id = Some(id);
            let pid = pid.get();
            if pid < self.last_pid {
                self.wraps += 1;
            }
            self.last_pid = pid;
            self.max = self.max.max(pid);
        }
    }
}

fn soak(version: ProtocolVersion) {
    // The broker's default queue (1000 messages) drops QoS 1 messages when a subscriber falls
    // behind; this test is about the client, so the broker may queue without bound.
    let broker = Mosquitto::start_with(MosquittoOptions {
        websockets: false,
        extra_config: "max_queued_messages 0\n".to_owned(),
        ..Default::default()
    });
    let port = broker.tcp_port;
    let topic = format!("soak/{}/{version:?}", std::process::id());
    let started = Instant::now();

    let (ready_tx, ready_rx) = mpsc::channel();
    let sub_topic = topic.clone();
    let subscriber = std::thread::spawn(move || {
        let mut d = driver(port, version, &format!("soak-sub-{}", std::process::id()));
        let mut seen = vec![false; N as usize];
        let (mut unique, mut duplicates) = (0u64, 0u64);
        let deadline = Instant::now() + LIMIT;
        loop {
            while let Some(event) = d.poll_event() {
                match event {
                    Event::Connected { .. } => {
                        d.session_mut()
                            .subscribe(
                                [(
                                    sub_topic.clone(),
                                    SubscriptionOptions::qos(QoS::AtLeastOnce),
                                )],
                                Properties::default(),
                            )
                            .unwrap();
                    }
                    Event::Subscribed { .. } => ready_tx.send(()).unwrap(),
                    Event::Message(m) => {
                        let seq = u64::from_le_bytes(m.payload[..8].try_into().unwrap());
                        if std::mem::replace(&mut seen[seq as usize], true) {
                            duplicates += 1;
                        } else {
                            unique += 1;
                        }
                    }
                    other => panic!("subscriber: unexpected {other:?}"),
                }
            }
            if unique >= N || Instant::now() >= deadline {
                break;
            }
            turn(&mut d, Some(deadline));
        }
        d.disconnect();
        (unique, duplicates)
    });
    ready_rx
        .recv_timeout(Duration::from_secs(20))
        .expect("subscribed");

    let mut d = driver(port, version, &format!("soak-pub-{}", std::process::id()));
    let deadline = Instant::now() + LIMIT;
    let (mut sent, mut acked) = (0u64, 0u64);
    let mut pids = PidWatch::default();
    let mut connected = false;
    loop {
        assert!(
            Instant::now() < deadline,
            "publisher stuck: sent {sent}, acked {acked}"
        );
        while let Some(event) = d.poll_event() {
            match event {
                Event::Connected { .. } => connected = true,
                Event::PublishAcknowledged { reason, .. } => {
                    assert!(!reason.is_error(), "refused: {reason:?}");
                    acked += 1;
                }
                other => panic!("publisher: unexpected {other:?}"),
            }
        }
        if acked >= N {
            break;
        }
        let s = d.session();
        let open = connected && s.inflight_len() + s.queued_len() < WINDOW;
        if open {
            let mut batch = 0;
            while sent < N && batch < 512 {
                let s = d.session();
                if s.inflight_len() + s.queued_len() >= WINDOW {
                    break;
                }
                let mut payload = sent.to_le_bytes().to_vec();
                payload.resize(32, b'.');
                d.session_mut()
                    .publish(
                        topic.clone(),
                        payload,
                        QoS::AtLeastOnce,
                        false,
                        Properties::default(),
                    )
                    .unwrap();
                sent += 1;
                batch += 1;
            }
        }
        pids.scan(&d);
        let wake = (sent < N && open).then(Instant::now);
        turn(&mut d, wake.or(Some(deadline)));
        pids.scan(&d);
    }
    d.disconnect();
    let (unique, duplicates) = subscriber.join().expect("subscriber thread");
    let took = started.elapsed();
    eprintln!(
        "soak {version:?}: {N} QoS 1 messages in {took:?}, {duplicates} duplicates, {} wraps",
        pids.wraps
    );
    assert_eq!(unique, N, "every message arrived");
    assert_eq!(pids.max, u16::MAX, "identifiers reached 65535");
    assert!(pids.wraps >= 1, "identifiers wrapped past 65535");
    assert!(took < LIMIT, "{took:?}");
}

#[test]
fn soak_100k_qos1_v311_no_loss_and_packet_ids_wrap() {
    soak(ProtocolVersion::V3_1_1);
}

#[test]
fn soak_100k_qos1_v5_no_loss_and_packet_ids_wrap() {
    soak(ProtocolVersion::V5);
}
