//! The broker view's publish panel end to end: the release build in headless Chromium
//! against a real mosquitto, with the `tablero` CLI subscribing on the other side (`-d`
//! prints every packet it receives, 5.0 properties included).

mod support;

use std::time::Duration;

use fantoccini::Client;
use support::*;
use testkit::BrokerEvent;

const FORM: &str = ".publish-form";

fn field(name: &str) -> String {
    format!("{FORM} [name=\"{name}\"]")
}

/// The app on the broker, showing the broker view's publish panel.
async fn open_publish(h: &Harness, width: u32, height: u32, lang: &str) -> Client {
    let client = h.open(width, height, lang).await;
    show_publish(&client).await;
    client
}

async fn show_publish(client: &Client) {
    click(client, "button.tab.explore").await;
    click(client, ".insight-tab[data-panel=\"publish\"]").await;
    wait_shown(client, FORM).await;
}

async fn publish(client: &Client, topic: &str, payload: &str) {
    fill(client, &field("topic"), topic).await;
    fill(client, &field("payload"), payload).await;
    click(client, ".publish-send").await;
}

fn connects(h: &Harness) -> usize {
    h.broker
        .events()
        .iter()
        .filter(|e| matches!(e, BrokerEvent::Connect { .. }))
        .count()
}

/// Waits until mosquitto has received `n` PUBLISHes on `topic` (from anyone).
async fn wait_received(h: &Harness, topic: &str, n: usize) {
    wait_for(
        &format!("{n} PUBLISH to {topic} at the broker"),
        Duration::from_secs(10),
        || async {
            match publishes_received(&h.broker, topic).0 {
                got if got >= n => Ok(Some(())),
                got => Err(format!("{got}")),
            }
        },
    )
    .await;
}

/// The topics of the history's rows, newest first.
async fn history(client: &Client) -> Vec<String> {
    let topics = js(
        client,
        "return [...document.querySelectorAll('.publish-history .publish-entry-topic')]\
           .map(e => e.textContent)",
    )
    .await;
    serde_json::from_value(topics).expect("a list of topics")
}

async fn wait_history(client: &Client, expected: &[&str]) {
    wait_for("the history", READ_TIMEOUT, || async {
        let now = history(client).await;
        if now == expected {
            Ok(Some(()))
        } else {
            Err(format!("{now:?}"))
        }
    })
    .await;
}

/// A 5.0 message with every property the panel offers reaches a 5.0 subscriber with all of
/// them: content type, response topic, correlation data, the expiry and user properties in
/// order.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mqtt5_properties_reach_a_subscriber() {
    let h = Harness::start();
    let client = h.open(1280, 900, "en").await;
    let before = connects(&h);
    set_connection_version(&client, "5.0").await;
    wait_for(
        "the 5.0 link's CONNECT",
        Duration::from_secs(15),
        || async { Ok((connects(&h) > before).then_some(())) },
    )
    .await;
    wait_status(&client, "connected").await;
    show_publish(&client).await;

    let sub = h.tablero(&[
        "sub",
        "-V",
        "mqttv5",
        "-t",
        "lab/pub/v5",
        "-q",
        "1",
        "-d",
        "-C",
        "1",
    ]);
    wait_subscribed(&h.broker, "lab/pub/v5").await;
    select(&client, &field("format"), "json").await;
    select(&client, &field("qos"), "1").await;
    fill(&client, &field("content_type"), "application/json").await;
    fill(&client, &field("response_topic"), "lab/pub/reply").await;
    fill(&client, &field("correlation"), "req-42").await;
    fill(&client, &field("expiry"), "300").await;
    for (i, (name, value)) in [("site", "lab"), ("unit", "°C")].into_iter().enumerate() {
        click(&client, ".add-user-property").await;
        fill(&client, &field(&format!("user[{i}].name")), name).await;
        fill(&client, &field(&format!("user[{i}].value")), value).await;
    }
    publish(&client, "lab/pub/v5", "{\"on\": true}").await;
    wait_text(&client, ".publish-outcome", "Published to lab/pub/v5").await;

    let (status, payload, log) = sub.output_and_log().await;
    assert!(status.success(), "{log}");
    assert_eq!(payload.trim(), "{\"on\": true}");
    let line = log
        .lines()
        .find(|l| l.contains("received PUBLISH") && l.contains("lab/pub/v5"))
        .unwrap_or_else(|| panic!("no PUBLISH in {log}"));
    assert!(line.contains("(d0, q1, r0,"), "{line}");
    for property in [
        "ContentType(\"application/json\")",
        "ResponseTopic(\"lab/pub/reply\")",
        "CorrelationData(b\"req-42\")",
        "UserProperty(\"site\", \"lab\"), UserProperty(\"unit\", \"°C\")",
    ] {
        assert!(line.contains(property), "{property} in {line}");
    }
    // The broker passes on what is left of the expiry: at most the 300 s given.
    let expiry: u32 = line
        .split("MessageExpiryInterval(")
        .nth(1)
        .and_then(|rest| rest.split(')').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no expiry in {line}"));
    assert!((290..=300).contains(&expiry), "{line}");
    wait_history(&client, &["lab/pub/v5"]).await;
    screenshot(&client, "insight-publish-desktop-en.png").await;
    js(&client, "window.scrollTo(0, 0); return null").await;
    screenshot(&client, "insight-publish-desktop-en-top.png").await;
    client.close().await.unwrap();
}

/// Invalid JSON, invalid hex and a wildcard in the topic are each explained at their input,
/// and nothing is published; nor while the broker is away. The subscriber's first message
/// is the one valid publish, and the broker received no other.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_explained_and_nothing_is_sent() {
    let mut h = Harness::start();
    let client = open_publish(&h, 1280, 900, "en").await;
    // The harness's connection is 3.1.1: the panel says the properties are not available.
    wait_text(
        &client,
        ".publish-v5-off",
        "Not available: this connection is not using MQTT 5.0.",
    )
    .await;
    assert_eq!(visible_count(&client, &field("content_type")).await, Ok(0));
    let sub = h.tablero(&["sub", "-t", "lab/#", "-v", "-C", "1"]);
    wait_subscribed(&h.broker, "lab/#").await;

    select(&client, &field("format"), "json").await;
    publish(&client, "lab/pub/check", "{\"on\": tru}").await;
    wait_text_where(
        &client,
        &format!("{FORM} .field-error[data-field=\"payload\"]"),
        "the JSON error with its place",
        |t| t.starts_with("Not valid JSON: it breaks at line 1, column "),
    )
    .await;
    wait_text(
        &client,
        ".publish-outcome",
        "Nothing was sent: 1 problem(s) to fix in the form.",
    )
    .await;

    select(&client, &field("format"), "hex").await;
    fill(&client, &field("payload"), "0a 1g").await;
    wait_text(
        &client,
        &format!("{FORM} .field-error[data-field=\"payload\"]"),
        "“g” is not a hex digit (line 1, column 5): use pairs of 0–9 and a–f, spaces between pairs.",
    )
    .await;
    click(&client, ".publish-send").await;
    wait_text(
        &client,
        ".publish-outcome",
        "Nothing was sent: 1 problem(s) to fix in the form.",
    )
    .await;

    fill(&client, &field("payload"), "0a 1b").await;
    fill(&client, &field("topic"), "lab/+/check").await;
    click(&client, ".publish-send").await;
    wait_text(
        &client,
        &format!("{FORM} .field-error[data-field=\"topic\"]"),
        "Not a valid topic: + and # are only allowed in subscription filters",
    )
    .await;
    assert_eq!(
        attr_of(&client, &field("topic"), "aria-invalid")
            .await
            .as_deref(),
        Some("true")
    );
    wait_text(
        &client,
        ".publish-outcome",
        "Nothing was sent: 1 problem(s) to fix in the form.",
    )
    .await;
    assert_eq!(history(&client).await, Vec::<String>::new());
    js(&client, "window.scrollTo(0, 0); return null").await;
    screenshot(&client, "insight-publish-errors-en.png").await;

    // Fixed, it goes, the hex as its bytes; and it is the first message the subscriber sees.
    publish(&client, "lab/pub/check", "66 69\n6e 65").await;
    wait_text(&client, ".publish-outcome", "Published to lab/pub/check").await;
    let (status, out) = sub.output().await;
    assert!(status.success());
    assert_eq!(out.trim(), "lab/pub/check fine");
    wait_received(&h, "lab/pub/check", 1).await;
    assert!(
        topics_published(&h.broker)
            .iter()
            .all(|t| !t.contains('+') && !t.contains('#')),
        "{:?}",
        topics_published(&h.broker)
    );

    // Not connected: said in words, nothing queued for later.
    h.broker.stop();
    wait_status(&client, "reconnecting").await;
    wait_shown(&client, ".publish-offline").await;
    select(&client, &field("format"), "text").await;
    publish(&client, "lab/pub/check", "while away").await;
    wait_text(
        &client,
        ".publish-outcome",
        "Not published: not connected to the broker.",
    )
    .await;
    assert_eq!(history(&client).await, ["lab/pub/check"]);
    h.broker.restart();
    wait_connected_again(&client).await;
    let sub = h.tablero(&["sub", "-t", "lab/pub/after", "-C", "1"]);
    wait_subscribed(&h.broker, "lab/pub/after").await;
    publish(&client, "lab/pub/after", "back").await;
    let (status, out) = sub.output().await;
    assert!(status.success());
    assert_eq!(out.trim(), "back");
    assert_eq!(publishes_received(&h.broker, "lab/pub/check").0, 1);
    client.close().await.unwrap();
}

/// On a phone, in Spanish: a message in the history goes again with one tap (moved to the
/// top, not listed twice), "edit" puts it back in the form, and the history outlives a
/// reload; a broken stored history is no history, not a broken page.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resend_from_history_publishes_again_on_a_phone() {
    let h = Harness::start();
    let client = open_publish(&h, 360, 640, "es").await;
    watch_console(&client).await;
    wait_text(
        &client,
        ".publish-history .hint",
        "Aún no has publicado nada.",
    )
    .await;
    let sub = h.tablero(&["sub", "-t", "lab/pub/again", "-v", "-C", "2"]);
    wait_subscribed(&h.broker, "lab/pub/again").await;

    publish(&client, "lab/pub/again", "ping").await;
    wait_text(&client, ".publish-outcome", "Publicado en lab/pub/again").await;
    publish(&client, "lab/pub/elsewhere", "other").await;
    wait_text(
        &client,
        ".publish-outcome",
        "Publicado en lab/pub/elsewhere",
    )
    .await;
    wait_history(&client, &["lab/pub/elsewhere", "lab/pub/again"]).await;

    click(&client, ".publish-history li:nth-child(2) .resend").await;
    wait_history(&client, &["lab/pub/again", "lab/pub/elsewhere"]).await;
    wait_text(&client, ".publish-outcome", "Publicado en lab/pub/again").await;
    let (status, out) = sub.output().await;
    assert!(status.success());
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        ["lab/pub/again ping", "lab/pub/again ping"]
    );
    let overflow = js(
        &client,
        "return document.documentElement.scrollWidth - window.innerWidth",
    )
    .await;
    assert_eq!(overflow, 0, "nothing wider than the phone");
    screenshot(&client, "insight-publish-phone-es.png").await;
    js(&client, "window.scrollTo(0, 0); return null").await;
    screenshot(&client, "insight-publish-phone-es-top.png").await;

    click(&client, ".publish-history li:nth-child(2) .edit").await;
    assert_eq!(
        prop_of(&client, &field("topic"), "value").await.as_deref(),
        Some("lab/pub/elsewhere")
    );
    assert_eq!(
        prop_of(&client, &field("payload"), "value")
            .await
            .as_deref(),
        Some("other")
    );

    client.refresh().await.unwrap();
    wait_status(&client, "connected").await;
    show_publish(&client).await;
    wait_history(&client, &["lab/pub/again", "lab/pub/elsewhere"]).await;
    let stored = local_storage(&client, "tablero.publish-history")
        .await
        .expect("the history stored");
    assert!(
        stored.starts_with("[{\"topic\":\"lab/pub/again\""),
        "{stored}"
    );

    js(
        &client,
        "localStorage.setItem('tablero.publish-history', '[{\"topic\": 5}, {broken'); return null",
    )
    .await;
    client.refresh().await.unwrap();
    wait_status(&client, "connected").await;
    show_publish(&client).await;
    wait_text(
        &client,
        ".publish-history .hint",
        "Aún no has publicado nada.",
    )
    .await;
    watch_console(&client).await;
    let sub = h.tablero(&["sub", "-t", "lab/pub/again", "-C", "1"]);
    wait_subscribed(&h.broker, "lab/pub/again").await;
    publish(&client, "lab/pub/again", "after").await;
    let (status, out) = sub.output().await;
    assert!(status.success());
    assert_eq!(out.trim(), "after");
    assert_eq!(console_errors(&client).await, Vec::<String>::new());
    client.close().await.unwrap();
}

/// "Retain" is kept by the broker: a subscriber that comes afterwards gets the message,
/// flagged as retained.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retained_publish_reaches_a_later_subscriber() {
    let h = Harness::start();
    let client = open_publish(&h, 1280, 900, "en").await;
    click(&client, &field("retain")).await;
    assert_eq!(
        prop_of(&client, &field("retain"), "checked")
            .await
            .as_deref(),
        Some("true")
    );
    publish(&client, "lab/pub/kept", "42").await;
    wait_text(&client, ".publish-outcome", "Published to lab/pub/kept").await;
    wait_received(&h, "lab/pub/kept", 1).await;
    assert!(
        text_of(
            &client,
            ".publish-history li:first-child .publish-entry-meta"
        )
        .await
        .contains("retained")
    );

    let late = h.tablero(&["sub", "-t", "lab/pub/kept", "-d", "-C", "1"]);
    let (status, out, log) = late.output_and_log().await;
    assert!(status.success(), "{log}");
    assert_eq!(out.trim(), "42");
    assert!(log.contains("received PUBLISH (d0, q0, r1,"), "{log}");
    client.close().await.unwrap();
}
