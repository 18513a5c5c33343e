//! The browser app against the hostile broker (`testkit::hostile`): one page, the fake
//! broker serving one case at a time on one WebSocket URL, the app sent to each case by the
//! `online` event (which makes it reconnect at once) or, after a refusal that stops it for
//! good, by a reload. For every case the app can meet (it subscribes to the demo's topics;
//! it does not publish on its own and has no per-case keepalive or packet size limit):
//! the status line names the cause and shows the state the reconnect policy calls for,
//! or (carry-on cases) the connection stays up and a later message reaches the gauge; the
//! page never panics (console.error is watched) and answers a script within a bound.
//!
//! `make test` runs every app case of every category (the file takes about two minutes);
//! the summary prints passed / total.

mod support;

use std::time::{Duration, Instant};

use fantoccini::Client;
use support::*;
use testkit::hostile::{
    Case, FakeBroker, MqttVersion, Outcome, Served, Wire, baseline, cases, temperature,
};
use testkit::web::{ChromeDriver, StaticServer};

/// What the page shows: `data-state` of the status, its whole text, the gauge's value.
async fn page(client: &Client) -> (String, String, String) {
    let v = js(
        client,
        "const s = document.getElementById('status');
         const g = document.querySelector('[data-widget-id=\"temperature\"] .gauge-value');
         return [s ? s.dataset.state : '', s ? s.textContent : '', g ? g.textContent : ''];",
    )
    .await;
    let at = |i: usize| v[i].as_str().unwrap_or("").to_owned();
    (at(0), at(1), at(2))
}

/// From now on, every state and text the status line shows is logged in the page (a reload
/// ends the log): a state the reconnect policy holds for a moment only (`reconnecting`
/// between a connect timeout and the next attempt, 1-2 s) is then seen however slow the
/// machine is, instead of only when a poll happens to land in it.
async fn watch_status(client: &Client) {
    js(
        client,
        "window.statusLog = [];
         if (!window.statusWatch) {
           const note = () => {
             const s = document.getElementById('status');
             if (s) window.statusLog.push([s.dataset.state, s.textContent]);
           };
           window.statusWatch = new MutationObserver(note);
           window.statusWatch.observe(document.documentElement,
             { subtree: true, childList: true, characterData: true, attributes: true });
           note();
         }
         return null;",
    )
    .await;
}

/// Whether the status showed `state` with every one of `words` since [`watch_status`].
async fn status_was_shown(client: &Client, state: &str, words: &[String]) -> bool {
    client
        .execute(
            "const [state, words] = arguments;
             return window.statusLog.some(([s, t]) => s === state && words.every(w => t.includes(w)));",
            vec![state.into(), words.into()],
        )
        .await
        .map(|v| v.as_bool() == Some(true))
        .unwrap_or(false)
}

fn v5_code_of_v311(code: u8) -> u8 {
    match code {
        1 => 0x84,
        2 => 0x85,
        3 => 0x88,
        4 => 0x86,
        5 => 0x87,
        other => other,
    }
}

/// Words the status must hold, and the state the policy calls for.
fn expected(case: &Case) -> (Vec<String>, &'static str) {
    let v311 = case.version == MqttVersion::V311;
    // Legal, but nothing fits: the dashboard's SUBSCRIBE is not sent, the page says why and
    // stops (retrying cannot change the broker's setting).
    if case.name == "connack-maximum-packet-size-1-v5" {
        return (vec!["accepts packets of at most 1 bytes".into()], "stopped");
    }
    // The page has a maximum of its own (`runtime::MAX_INCOMING_PACKET`, 16 MiB, unlike the
    // CLI): a PUBLISH declaring MQTT's largest length is refused at its header, before a byte
    // of it is kept, instead of being buffered until the broker goes.
    if case.name.starts_with("rl-protocol-maximum-then-close-") {
        return (
            vec!["The broker broke the protocol".into(), "(0x95)".into()],
            "reconnecting",
        );
    }
    match &case.outcome {
        Outcome::Protocol { reason, .. } => (
            vec![
                "The broker broke the protocol".into(),
                format!("(0x{reason:02X})"),
            ],
            "reconnecting",
        ),
        Outcome::Refused { code, permanent } => {
            let code = if v311 { v5_code_of_v311(*code) } else { *code };
            (
                vec![
                    "The broker refused the connection".into(),
                    format!("(0x{code:02X})"),
                ],
                if *permanent {
                    "stopped"
                } else {
                    "reconnecting"
                },
            )
        }
        Outcome::ServerDisconnect { code } => (
            vec![
                "The broker ended the connection".into(),
                format!("(0x{code:02X})"),
            ],
            "reconnecting",
        ),
        Outcome::Closed => (
            vec!["The broker closed the connection".into()],
            "reconnecting",
        ),
        Outcome::KeepAlive => (vec!["stopped answering".into()], "reconnecting"),
        Outcome::ConnectTimeout => (vec!["No MQTT answer".into()], "reconnecting"),
        Outcome::TextFrame => (vec!["sent text over the WebSocket".into()], "reconnecting"),
        Outcome::CarryOn { .. } => (vec![], "connected"),
    }
}

/// The connection of `case` that arrived after `since` connections, once it is over (or,
/// for a carry-on case, once its script and the marker went out).
async fn served_case(
    broker: &FakeBroker,
    since: usize,
    case: &Case,
    timeout: Duration,
) -> Option<Served> {
    let deadline = Instant::now() + timeout;
    loop {
        let found = broker
            .served()
            .into_iter()
            .skip(since)
            .find(|s| s.case == case.name);
        if let Some(s) = &found
            && (s.finished || (case.outcome.carries_on() && s.script_done))
        {
            return found;
        }
        if Instant::now() > deadline {
            return found;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

struct App {
    client: Client,
    url: String,
}

impl App {
    async fn reload(&self) {
        self.client.goto(&self.url).await.unwrap();
        watch_console(&self.client).await;
    }
}

/// Sends the page to `case` and checks what it shows. `marker` is the gauge value the
/// carry-on check waits for.
async fn play(app: &App, broker: &FakeBroker, case: &Case, marker: &str) -> Result<String, String> {
    let client = &app.client;
    let since = broker.served().len();
    broker.set_case(Some(case.clone()));
    // The marker follows a carry-on case only: after any other script it would be a packet
    // of its own (before CONNACK, say) and change the case.
    broker.set_epilogue(
        case.outcome
            .carries_on()
            .then(|| temperature(case.version, marker)),
    );
    let (state, _, _) = page(client).await;
    if state == "stopped" {
        // A refusal retrying cannot fix stops the link; only a new page (or new settings)
        // starts another.
        app.reload().await;
    } else {
        // End the previous connection, wait for the page to see it, then have it reconnect
        // at once, as the network coming back would.
        broker.kick();
        let deadline = Instant::now() + Duration::from_secs(5);
        while page(client).await.0 == "connected" && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        js(
            client,
            "window.dispatchEvent(new Event('online')); return null;",
        )
        .await;
    }
    watch_status(client).await;
    let timeout = match case.outcome {
        Outcome::ConnectTimeout => Duration::from_secs(15),
        _ => Duration::from_secs(6),
    };
    let Some(served) = served_case(broker, since, case, timeout).await else {
        return Err("the page never connected for this case".into());
    };
    let (words, want_state) = expected(case);
    let deadline = Instant::now() + Duration::from_secs(5);
    let (mut state, mut text, mut gauge, mut shown);
    loop {
        (state, text, gauge) = page(client).await;
        shown = if case.outcome.carries_on() {
            state == "connected" && gauge == marker
        } else {
            (state == want_state && words.iter().all(|w| text.contains(w.as_str())))
                || status_was_shown(client, want_state, &words).await
        };
        if shown || Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
    let mut problems = Vec::new();
    if case.outcome.carries_on() {
        if state != "connected" || gauge != marker {
            problems.push(format!(
                "state {state:?}, gauge {gauge:?} (marker {marker}); status {text:?}"
            ));
        }
        if !served.script_done {
            problems.push(format!(
                "script not played to its end: {:?}",
                served.problem
            ));
        }
    } else if !shown {
        if state != want_state {
            problems.push(format!("state {state:?}, expected {want_state}"));
        }
        for w in &words {
            if !text.contains(w.as_str()) {
                problems.push(format!("status {text:?} lacks {w:?}"));
            }
        }
        if problems.is_empty() {
            problems.push(format!(
                "the status never showed {want_state} with {words:?} (it shows {state} {text:?})"
            ));
        }
    }
    // The broker reads the page's answers after its script: give them a moment to land.
    let deadline = Instant::now() + Duration::from_secs(2);
    let mut served = served;
    while !case
        .client_sends
        .iter()
        .all(|want| served.packets.iter().any(|p| p.starts_with(want)))
        && Instant::now() < deadline
    {
        tokio::time::sleep(Duration::from_millis(20)).await;
        if let Some(s) = broker
            .served()
            .into_iter()
            .skip(since)
            .find(|s| s.case == case.name)
        {
            served = s;
        }
    }
    for want in &case.client_sends {
        if !served.packets.iter().any(|p| p.starts_with(want)) {
            problems.push(format!("the page never sent {want:02X?}"));
        }
    }
    // Responsive: a script round trip stays short.
    let t = Instant::now();
    js(client, "return document.querySelectorAll('*').length;").await;
    if t.elapsed() > Duration::from_secs(1) {
        problems.push(format!("a script took {:?}", t.elapsed()));
    }
    let errors = console_errors(client).await;
    if let Some(e) = errors.iter().find(|e| e.contains("panicked")) {
        problems.push(format!("panic: {e}"));
    }
    if problems.is_empty() {
        Ok(text.trim().to_owned())
    } else {
        Err(problems.join("; "))
    }
}

/// Cases the app is known to fail, with why; the suite checks they still fail (so a fix is
/// noticed and the entry removed) and counts them as failed in the summary.
const KNOWN_FAILURES: [(&str, &str); 0] = [];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_hostile_case_against_the_app() {
    let started = Instant::now();
    let broker = FakeBroker::start(Wire::Ws, Some(baseline(MqttVersion::V311)));
    let server = StaticServer::start(root().join("dist"));
    let driver = ChromeDriver::start();
    let caps = driver.capabilities(1280, 900);
    let client =
        fantoccini::ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&driver.url())
            .await
            .expect("connect to chromedriver");
    let url = format!(
        "{}?broker=ws://127.0.0.1:{}/mqtt&lang=en",
        server.url(),
        broker.port
    );
    client.goto(&url).await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while page(&client).await.0 != "connected" {
        assert!(
            Instant::now() < deadline,
            "the page did not connect: {:?}; broker saw {:?}",
            page(&client).await,
            broker.served()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let app = App { client, url };
    watch_console(&app.client).await;

    let all: Vec<Case> = cases().into_iter().filter(Case::for_app).collect();
    let mut results: Vec<(Case, Result<String, String>)> = Vec::new();
    for version in [MqttVersion::V311, MqttVersion::V5] {
        if version == MqttVersion::V5 {
            // The demo connection speaks 3.1.1; the rest of the cases need 5.0.
            broker.set_case(Some(baseline(MqttVersion::V5)));
            // The last 3.1.1 marker would be a malformed packet to a 5.0 client.
            broker.set_epilogue(None);
            broker.kick();
            if page(&app.client).await.0 == "stopped" {
                app.reload().await;
            }
            set_connection_version(&app.client, "5.0").await;
            let deadline = Instant::now() + Duration::from_secs(30);
            while page(&app.client).await.0 != "connected" {
                assert!(
                    Instant::now() < deadline,
                    "the page did not connect with 5.0: {:?}; broker saw {:?}",
                    page(&app.client).await,
                    broker.served().last()
                );
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
        for case in all.iter().filter(|c| c.version == version) {
            let marker = format!("{}.5", results.len());
            let outcome = play(&app, &broker, case, &marker).await;
            results.push((case.clone(), outcome));
        }
    }
    // Still alive at the end: a click changes the page.
    set_editing(&app.client, true).await;
    set_editing(&app.client, false).await;

    let passed = results.iter().filter(|(_, r)| r.is_ok()).count();
    println!(
        "hostile app (WebSocket): {passed}/{} cases passed",
        results.len()
    );
    let mut failures = Vec::new();
    for (case, r) in &results {
        let known = KNOWN_FAILURES.iter().find(|(n, _)| *n == case.name);
        match (r, known) {
            (Ok(text), None) => println!("  ok   {} [{}] {text}", case.name, case.category),
            (Err(why), Some((_, bug))) => {
                println!(
                    "  FAIL {} [{}] (known: {bug}) {why}",
                    case.name, case.category
                )
            }
            (Ok(_), Some(_)) => failures.push(format!(
                "{}: passes now; remove it from KNOWN_FAILURES",
                case.name
            )),
            (Err(why), None) => {
                println!("  FAIL {} [{}] {why}", case.name, case.category);
                failures.push(format!("{}: {why}", case.name));
            }
        }
    }
    println!("{:.1} s", started.elapsed().as_secs_f64());
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        results.len(),
        failures.join("\n")
    );
}
