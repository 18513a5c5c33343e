//! MQTT 5 request/response from the widgets: a switch or a button with a response topic
//! publishes each command with a Response Topic and a fresh Correlation Data, subscribes to
//! the response topic, and takes the device's answer with the same Correlation Data as the
//! command's confirmation; an answer with another id is not for it. Over 3.1.1 the command
//! goes without them and the widget behaves as one without a response topic.
//!
//! The device is a small MQTT 5 responder in this file, driven by the workspace's own
//! `mqtt-session` over TCP: it records each command's payload and properties and answers
//! with the command's Correlation Data, another one, or not at all.

mod support;

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use mqtt_session::{
    Event, Millis, Properties, Property, ProtocolVersion, QoS, Session, SessionOptions,
    SubscriptionOptions,
};
use support::*;

/// How the responder answers a command.
#[derive(Clone, Copy, PartialEq)]
enum Answer {
    /// On the command's Response Topic, with its Correlation Data.
    Same,
    /// On the command's Response Topic, with another Correlation Data.
    Other,
}

/// A command as the responder received it.
#[derive(Clone, Debug)]
struct Seen {
    payload: String,
    response_topic: Option<String>,
    correlation: Option<Vec<u8>>,
}

/// An MQTT 5 device on its own thread: subscribed to `filter`, answering each command as
/// `answer` says. Stops on drop.
struct Responder {
    seen: Arc<Mutex<Vec<Seen>>>,
    answer: Arc<Mutex<Answer>>,
    subscribed: Arc<AtomicBool>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Responder {
    fn start(port: u16, filter: &str) -> Self {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let answer = Arc::new(Mutex::new(Answer::Same));
        let subscribed = Arc::new(AtomicBool::new(false));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (seen, answer, subscribed, stop) = (
                seen.clone(),
                answer.clone(),
                subscribed.clone(),
                stop.clone(),
            );
            let filter = filter.to_owned();
            std::thread::spawn(move || {
                respond(port, &filter, &seen, &answer, &subscribed, &stop);
            })
        };
        let r = Self {
            seen,
            answer,
            subscribed,
            stop,
            thread: Some(thread),
        };
        let since = Instant::now();
        while !r.subscribed.load(Ordering::SeqCst) {
            assert!(
                since.elapsed() < Duration::from_secs(10),
                "the responder's SUBACK"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        r
    }

    fn answer(&self, answer: Answer) {
        *self.answer.lock().unwrap() = answer;
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    /// Waits until `n` commands have come, and returns them.
    async fn wait_seen(&self, n: usize) -> Vec<Seen> {
        wait_for(
            &format!("{n} command(s) at the responder"),
            Duration::from_secs(10),
            || async {
                let seen = self.seen();
                if seen.len() >= n {
                    Ok(Some(seen))
                } else {
                    Err(format!("{seen:?}"))
                }
            },
        )
        .await
    }
}

impl Drop for Responder {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// The responder's loop: bytes in and out of one session over a blocking socket with a
/// short read timeout, its timers, and its events.
fn respond(
    port: u16,
    filter: &str,
    seen: &Mutex<Vec<Seen>>,
    answer: &Mutex<Answer>,
    subscribed: &AtomicBool,
    stop: &AtomicBool,
) {
    let origin = Instant::now();
    let now = || Millis(origin.elapsed().as_millis() as u64);
    let mut socket = TcpStream::connect(("127.0.0.1", port)).expect("the broker's TCP port");
    socket
        .set_read_timeout(Some(Duration::from_millis(20)))
        .unwrap();
    socket.set_nodelay(true).unwrap();
    let mut options = SessionOptions::new(ProtocolVersion::V5, "request-response-device");
    options.keep_alive = 30;
    let mut session = Session::new(options).unwrap();
    session.connect(now()).unwrap();
    let mut buf = vec![0u8; 64 * 1024];
    while !stop.load(Ordering::SeqCst) {
        while let Some(bytes) = session.poll_transmit() {
            socket.write_all(&bytes).unwrap();
        }
        match socket.read(&mut buf) {
            Ok(0) => panic!("the broker closed the responder's connection"),
            Ok(n) => session.handle_bytes(now(), &buf[..n]),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(e) => panic!("the responder's socket: {e}"),
        }
        if session.poll_timeout().is_some_and(|at| at <= now()) {
            session.handle_timeout(now());
        }
        while let Some(event) = session.poll_event() {
            match event {
                Event::Connected { .. } => {
                    session
                        .subscribe(
                            vec![(filter, SubscriptionOptions::qos(QoS::AtLeastOnce))],
                            Properties::default(),
                        )
                        .unwrap();
                }
                Event::Subscribed { .. } => subscribed.store(true, Ordering::SeqCst),
                Event::Message(m) => {
                    let mut got = Seen {
                        payload: String::from_utf8_lossy(&m.payload).into_owned(),
                        response_topic: None,
                        correlation: None,
                    };
                    for p in &m.properties.0 {
                        match p {
                            Property::ResponseTopic(t) => got.response_topic = Some(t.clone()),
                            Property::CorrelationData(c) => got.correlation = Some(c.to_vec()),
                            _ => {}
                        }
                    }
                    seen.lock().unwrap().push(got.clone());
                    if let (Some(topic), Some(id)) = (got.response_topic, got.correlation) {
                        let id = match *answer.lock().unwrap() {
                            Answer::Same => id,
                            Answer::Other => b"not-your-command".to_vec(),
                        };
                        session
                            .publish(
                                topic,
                                b"done".to_vec(),
                                QoS::AtLeastOnce,
                                false,
                                Properties(vec![Property::CorrelationData(id.into())]),
                            )
                            .unwrap();
                    }
                }
                _ => {}
            }
        }
    }
    session.disconnect(now(), mqtt_session::ReasonCode::Success);
    if let Some(bytes) = session.poll_transmit() {
        let _ = socket.write_all(&bytes);
    }
}

/// A command's Correlation Data as the page makes it: 16 hex digits.
fn is_an_id(correlation: &Option<Vec<u8>>) -> bool {
    correlation
        .as_ref()
        .is_some_and(|c| c.len() == 16 && c.iter().all(u8::is_ascii_hexdigit))
}

/// The page on a 5.0 connection; the responder on `filter`.
async fn on_v5(h: &Harness, filter: &str) -> (fantoccini::Client, Responder) {
    let client = h.open(1280, 900, "en").await;
    set_connection_version(&client, "5.0").await;
    wait_status(&client, "connected").await;
    let responder = Responder::start(h.broker.tcp_port, filter);
    (client, responder)
}

/// A switch with a response topic (and no state topic) is pending until the device answers
/// with the command's Correlation Data, then confirmed; an answer with another id leaves it
/// pending, then "the device did not answer" once its timeout passes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_switch_is_confirmed_by_the_answer_with_its_correlation_data_only() {
    let h = Harness::start();
    let (client, responder) = on_v5(&h, "lab/lamp/set").await;
    let lamp = add_widget(
        &client,
        "switch",
        "Lamp",
        &[
            ("command_topic", "lab/lamp/set"),
            ("response_topic", "lab/lamp/reply"),
        ],
    )
    .await;
    wait_subscribed(&h.broker, "lab/lamp/reply").await;
    let toggle = widget(&lamp, ".switch-toggle");
    let card = widget(&lamp, ".widget");

    click(&client, &toggle).await;
    wait_attr(&client, &card, "data-state", "on").await;
    wait_attr(&client, &toggle, "aria-checked", "true").await;
    let first = responder.wait_seen(1).await;
    assert_eq!(first[0].payload, "on");
    assert_eq!(first[0].response_topic.as_deref(), Some("lab/lamp/reply"));
    assert!(is_an_id(&first[0].correlation), "{first:?}");

    // An answer with another id is not this command's: pending, then no answer.
    responder.answer(Answer::Other);
    click(&client, &toggle).await;
    let second = responder.wait_seen(2).await;
    assert_eq!(second[1].payload, "off");
    assert!(is_an_id(&second[1].correlation), "{second:?}");
    assert_ne!(
        second[1].correlation, second[0].correlation,
        "a fresh id each command"
    );
    // The wrong answer has come and gone (the responder answers at once): still pending.
    tokio::time::sleep(Duration::from_millis(1000)).await;
    assert_eq!(
        attr_of(&client, &card, "data-state").await.as_deref(),
        Some("pending")
    );
    assert_eq!(
        attr_of(&client, &toggle, "aria-busy").await.as_deref(),
        Some("true")
    );
    wait_attr(&client, &card, "data-state", "no-answer").await;
    wait_text(
        &client,
        &widget(&lamp, ".switch-no-answer"),
        "The device did not answer",
    )
    .await;
    assert_eq!(
        attr_of(&client, &toggle, "aria-checked").await.as_deref(),
        Some("true"),
        "back to the last confirmed state"
    );
    client.close().await.unwrap();
}

/// A button with a response topic says "Done" when the device answers the tap with its
/// Correlation Data, and that the device did not answer when only another id comes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_button_says_done_on_its_answer_and_no_answer_without_it() {
    let h = Harness::start();
    let (client, responder) = on_v5(&h, "lab/gate").await;
    let gate = add_widget(
        &client,
        "button",
        "Gate",
        &[
            ("topic", "lab/gate"),
            ("payload", "open"),
            ("response_topic", "lab/gate/done"),
        ],
    )
    .await;
    wait_subscribed(&h.broker, "lab/gate/done").await;
    let send = widget(&gate, ".button-send");
    let status = widget(&gate, ".command-status");

    click(&client, &send).await;
    wait_text(&client, &status, "Done").await;
    wait_attr(&client, &widget(&gate, ".widget"), "data-state", "done").await;
    let seen = responder.wait_seen(1).await;
    assert_eq!(seen[0].payload, "open");
    assert_eq!(seen[0].response_topic.as_deref(), Some("lab/gate/done"));
    assert!(is_an_id(&seen[0].correlation), "{seen:?}");

    responder.answer(Answer::Other);
    click(&client, &send).await;
    wait_text(&client, &status, "Sent").await;
    responder.wait_seen(2).await;
    wait_text(&client, &status, "The device did not answer").await;
    client.close().await.unwrap();
}

/// Over 3.1.1 there are no properties: the command goes without a Response Topic or
/// Correlation Data, and a switch without a state topic flips at once, as one without a
/// response topic.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_3_1_1_the_command_goes_without_them_and_the_switch_falls_back() {
    let h = Harness::start();
    let client = h.open(1280, 900, "en").await;
    set_connection_version(&client, "3.1.1").await;
    wait_status(&client, "connected").await;
    let responder = Responder::start(h.broker.tcp_port, "lab/fan/set");
    let fan = add_widget(
        &client,
        "switch",
        "Fan",
        &[
            ("command_topic", "lab/fan/set"),
            ("response_topic", "lab/fan/reply"),
        ],
    )
    .await;
    wait_subscribed(&h.broker, "lab/fan/reply").await;
    click(&client, &widget(&fan, ".switch-toggle")).await;
    wait_attr(&client, &widget(&fan, ".widget"), "data-state", "on").await;
    let seen = responder.wait_seen(1).await;
    assert_eq!(seen[0].payload, "on");
    assert_eq!(seen[0].response_topic, None, "{seen:?}");
    assert_eq!(seen[0].correlation, None, "{seen:?}");
    client.close().await.unwrap();
}
