//! End to end: the topic explorer of the broker view (the "Explore" tab) in headless
//! Chromium against a real mosquitto: the tree of what `tablero pub` published (retained
//! messages from before it opened included), the text filter, "make a widget", deleting a
//! retained message, and a filter refused before anything is sent.

mod support;

use std::process::{Command, Stdio};
use std::time::Duration;

use fantoccini::Client;
use support::*;
use testkit::mosquitto::require_program;

/// Publishes with the native CLI, waiting for it to finish.
fn tablero_pub(h: &Harness, topic: &str, args: &[&str]) {
    let status = Command::new(tablero_bin())
        .args(["pub", "-t", topic, "-q", "1"])
        .args(args)
        .args(["-h", "127.0.0.1", "-p", &h.broker.tcp_port.to_string()])
        .status()
        .expect("run tablero pub");
    assert!(status.success(), "tablero pub {topic} failed");
}

/// Opens the broker view and subscribes the filter it offers (the demo's prefix), or
/// `filter` typed in.
async fn open_explorer(h: &Harness, client: &Client, filter: Option<&str>) {
    click(client, "button.tab.explore").await;
    wait_shown(client, "#insight .explorer").await;
    if let Some(f) = filter {
        fill(client, ".explorer input[name=filter]", f).await;
    }
    let wanted = match filter {
        Some(f) => f.to_owned(),
        None => prop_of(client, ".explorer input[name=filter]", "value")
            .await
            .unwrap_or_default(),
    };
    assert_eq!(wanted, filter.unwrap_or("tablero/demo/#"));
    let before = subscriptions_to(&h.broker, &wanted);
    click(client, ".explorer button[name=subscribe]").await;
    wait_for(
        "the explorer's SUBSCRIBE",
        Duration::from_secs(10),
        || async {
            let now = subscriptions_to(&h.broker, &wanted);
            Ok((now > before).then_some(()))
        },
    )
    .await;
}

/// The names of the tree's rows in sight, in order.
async fn row_names(client: &Client) -> Result<Vec<String>, String> {
    let v = js(
        client,
        "return [...document.querySelectorAll('.topic-tree .vlist-row:not([hidden])')]\
         .sort((a, b) => a.dataset.index - b.dataset.index)\
         .map(r => r.querySelector('.tn').textContent)",
    )
    .await;
    Ok(v.as_array()
        .ok_or("no rows")?
        .iter()
        .map(|s| s.as_str().unwrap_or_default().to_owned())
        .collect())
}

async fn wait_rows(client: &Client, what: &str, ok: impl Fn(&[String]) -> bool) -> Vec<String> {
    wait_for(what, Duration::from_secs(10), || async {
        let names = row_names(client).await?;
        if ok(&names) {
            Ok(Some(names))
        } else {
            Err(format!("rows {names:?}"))
        }
    })
    .await
}

/// Taps the row named `name` (found again on every try: rows are pooled and repainted).
async fn tap_row(client: &Client, name: &str) {
    wait_for("the row to tap", Duration::from_secs(10), || async {
        let tapped = js(
            client,
            &format!(
                "const r = [...document.querySelectorAll('.topic-tree .vlist-row:not([hidden])')]\
                 .find(r => r.querySelector('.tn').textContent === {name:?});\
                 if (!r) return false; r.querySelector('.tn').click(); return true;"
            ),
        )
        .await;
        Ok((tapped == serde_json::json!(true)).then_some(()))
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_tree_shows_published_and_retained_topics_and_the_filter_narrows_it() {
    let h = Harness::start();
    // Retained before the page opens: the broker hands them over at SUBSCRIBE.
    tablero_pub(&h, "tablero/demo/explore/boiler", &["-r", "-m", "64.5"]);
    tablero_pub(&h, "tablero/demo/explore/lamp", &["-r", "-m", "on"]);
    let client = h.open(1280, 900, "en").await;
    open_explorer(&h, &client, None).await;
    let rows = wait_rows(&client, "the retained topics in the tree", |r| {
        r.iter().any(|n| n == "boiler") && r.iter().any(|n| n == "lamp")
    })
    .await;
    assert_eq!(&rows[..3], ["tablero", "demo", "explore"], "{rows:?}");
    // Live messages join the tree, and the retained flag shows on the retained ones.
    tablero_pub(&h, "tablero/demo/explore/live/one", &["-m", "hello"]);
    wait_rows(&client, "a live topic in the tree", |r| {
        r.iter().any(|n| n == "live")
    })
    .await;
    let flags = js(
        &client,
        "return [...document.querySelectorAll('.topic-tree .vlist-row:not([hidden])')]\
         .filter(r => r.querySelector('.tn').textContent === 'boiler')\
         .map(r => [r.querySelector('.tv').textContent, r.querySelector('.tf').textContent])",
    )
    .await;
    assert_eq!(flags, serde_json::json!([["64.5", "R"]]));
    // The text filter keeps matching topics and the levels above them.
    fill(&client, ".explorer input[name=narrow]", "lamp").await;
    wait_rows(&client, "only the lamp's branch", |r| {
        r == ["tablero", "demo", "explore", "lamp"]
    })
    .await;
    fill(&client, ".explorer input[name=narrow]", "").await;
    wait_rows(&client, "every row again", |r| {
        r.iter().any(|n| n == "boiler")
    })
    .await;
    // A topic's detail: its payload and figures.
    tap_row(&client, "boiler").await;
    wait_text(
        &client,
        ".topic-detail .topic-name",
        "tablero/demo/explore/boiler",
    )
    .await;
    wait_text(&client, ".topic-detail pre.payload", "64.5").await;
    screenshot(&client, "explorer-desktop-en").await;
    client.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn make_a_widget_from_a_topic_creates_a_working_gauge() {
    let h = Harness::start();
    tablero_pub(&h, "tablero/demo/explore/tank", &["-r", "-m", "340"]);
    let client = h.open(360, 640, "es").await;
    open_explorer(&h, &client, None).await;
    wait_rows(&client, "the tank in the tree", |r| {
        r.iter().any(|n| n == "tank")
    })
    .await;
    tap_row(&client, "tank").await;
    wait_text(
        &client,
        ".topic-detail .topic-name",
        "tablero/demo/explore/tank",
    )
    .await;
    // A number suggests a gauge.
    assert_eq!(
        prop_of(&client, ".topic-detail select[name=kind]", "value")
            .await
            .as_deref(),
        Some("gauge")
    );
    screenshot(&client, "explorer-phone-es").await;
    let before = widget_ids(&client).await;
    click(&client, ".topic-detail button[name=make-widget]").await;
    wait_shown(&client, ".widget-editor").await;
    assert_eq!(
        prop_of(&client, ".widget-editor [name=\"binding.topic\"]", "value")
            .await
            .as_deref(),
        Some("tablero/demo/explore/tank")
    );
    save_widget_editor(&client).await;
    set_editing(&client, false).await;
    let id = wait_for("the new gauge", Duration::from_secs(10), || async {
        let now = widget_ids(&client).await;
        let new: Vec<&String> = now.iter().filter(|id| !before.contains(id)).collect();
        match new.as_slice() {
            [id] => Ok(Some((*id).clone())),
            _ => Err(format!("before {before:?}, now {now:?}")),
        }
    })
    .await;
    assert!(id.starts_with("gauge"), "{id}");
    // The gauge reads its topic: the retained value, then a new one (its range was widened
    // to hold 340, so it is drawn as a number, not as out of range).
    wait_text(&client, &widget(&id, ".gauge-value"), "340").await;
    tablero_pub(&h, "tablero/demo/explore/tank", &["-m", "412"]);
    wait_text(&client, &widget(&id, ".gauge-value"), "412").await;
    client.close().await.unwrap();
}

/// What a fresh subscriber gets as the retained message of `topic` within a second.
fn retained_now(h: &Harness, topic: &str) -> String {
    let out = Command::new(require_program("mosquitto_sub"))
        .args(["-h", "127.0.0.1", "-p", &h.broker.tcp_port.to_string()])
        .args(["-t", topic, "--retained-only", "-W", "1", "-C", "1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .output()
        .expect("run mosquitto_sub");
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_a_retained_message_asks_first_and_removes_it_from_the_broker() {
    let h = Harness::start();
    let topic = "tablero/demo/explore/old-config";
    tablero_pub(&h, topic, &["-r", "-m", "stale"]);
    assert_eq!(retained_now(&h, topic), "stale");
    let client = h.open(1280, 900, "en").await;
    open_explorer(&h, &client, None).await;
    wait_rows(&client, "the retained topic", |r| {
        r.iter().any(|n| n == "old-config")
    })
    .await;
    tap_row(&client, "old-config").await;
    wait_text(&client, ".topic-detail .topic-name", topic).await;
    click(&client, ".topic-detail button[name=delete-retained]").await;
    // Nothing is sent before the confirmation; cancelling sends nothing either.
    wait_shown(&client, ".confirm-delete").await;
    click(&client, ".confirm-delete button[name=cancel-delete]").await;
    wait_gone(&client, ".confirm-delete").await;
    assert_eq!(retained_now(&h, topic), "stale");
    click(&client, ".topic-detail button[name=delete-retained]").await;
    click(&client, ".confirm-delete button[name=confirm-delete]").await;
    wait_text(
        &client,
        ".topic-detail .deleted",
        "Retained message deleted.",
    )
    .await;
    wait_for(
        "the retained message gone",
        Duration::from_secs(10),
        || async {
            let now = retained_now(&h, topic);
            Ok(now.is_empty().then_some(()))
        },
    )
    .await;
    client.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_filter_with_a_misplaced_wildcard_is_refused_before_anything_is_sent() {
    let h = Harness::start();
    let client = h.open(1280, 900, "en").await;
    click(&client, "button.tab.explore").await;
    wait_shown(&client, "#insight .explorer").await;
    fill(&client, ".explorer input[name=filter]", "lab/#/temp").await;
    click(&client, ".explorer button[name=subscribe]").await;
    wait_text_where(&client, ".explorer .problem", "the filter's error", |t| {
        t.starts_with("Not a valid filter:") && t.contains('#')
    })
    .await;
    assert_eq!(subscriptions_to(&h.broker, "lab/#/temp"), 0);
    // Back to the dashboard: its widgets are there as they were.
    click(&client, "button.tab[data-dashboard-id]").await;
    wait_gone(&client, "#insight").await;
    wait_shown(&client, &widget("temperature", ".gauge-value")).await;
    client.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bare_hash_on_a_public_broker_asks_twice() {
    let h = Harness::start();
    let client = h.browser(1280, 900).await;
    // A first visit pointed at a public broker (unreachable here: nothing is sent anyway).
    client
        .goto(&format!(
            "{}?broker=ws://broker.hivemq.com:8000/mqtt&lang=en",
            h.server.url()
        ))
        .await
        .unwrap();
    click(&client, "button.tab.explore").await;
    wait_shown(&client, "#insight .explorer").await;
    fill(&client, ".explorer input[name=filter]", "#").await;
    click(&client, ".explorer button[name=subscribe]").await;
    wait_shown(&client, ".explorer .warning").await;
    wait_text(
        &client,
        ".explorer button[name=subscribe]",
        "Subscribe anyway",
    )
    .await;
    wait_text_where(&client, ".explorer-status", "not subscribed yet", |t| {
        t.starts_with("No subscription of its own")
    })
    .await;
    // The second yes subscribes it.
    click(&client, ".explorer button[name=subscribe]").await;
    wait_text_where(&client, ".explorer-status", "subscribed to #", |t| {
        t.starts_with("Subscribed to # ")
    })
    .await;
    wait_hidden(&client, ".explorer .warning").await;
    // A filter under a prefix of one's own needs no second yes.
    fill(&client, ".explorer input[name=filter]", "my-lab/#").await;
    click(&client, ".explorer button[name=subscribe]").await;
    wait_text_where(&client, ".explorer-status", "subscribed", |t| {
        t.starts_with("Subscribed to my-lab/#")
    })
    .await;
    client.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tapped_json_field_makes_a_widget_that_reads_that_field() {
    let h = Harness::start();
    let topic = "tablero/demo/explore/env";
    tablero_pub(
        &h,
        topic,
        &["-r", "-m", r#"{"temp":21.5,"status":"ok","hum":40}"#],
    );
    let client = h.open(1280, 900, "en").await;
    open_explorer(&h, &client, None).await;
    wait_rows(&client, "the JSON topic", |r| r.iter().any(|n| n == "env")).await;
    tap_row(&client, "env").await;
    wait_text(&client, ".topic-detail .topic-name", topic).await;
    // JSON laid out on demand.
    click(&client, ".topic-detail button[data-format=json]").await;
    wait_text_where(&client, ".topic-detail pre.payload", "laid out", |t| {
        t.contains("\n  \"hum\": 40")
    })
    .await;
    // The whole object suggests a value; its number field, a gauge.
    assert_eq!(
        prop_of(&client, ".topic-detail select[name=kind]", "value")
            .await
            .as_deref(),
        Some("value")
    );
    click(&client, ".topic-detail button[data-path=\"$.hum\"]").await;
    wait_for("a gauge suggested", Duration::from_secs(10), || async {
        let kind = try_prop(&client, ".topic-detail select[name=kind]", "value").await?;
        Ok((kind.as_deref() == Some("gauge")).then_some(()))
    })
    .await;
    click(&client, ".topic-detail button[name=make-widget]").await;
    wait_shown(&client, ".widget-editor").await;
    assert_eq!(
        prop_of(
            &client,
            ".widget-editor [name=\"binding.json_path\"]",
            "value"
        )
        .await
        .as_deref(),
        Some("$.hum")
    );
    save_widget_editor(&client).await;
    set_editing(&client, false).await;
    tablero_pub(&h, topic, &["-m", r#"{"temp":22,"status":"ok","hum":57}"#]);
    wait_text(&client, "[data-widget-id^=\"gauge\"] .gauge-value", "57").await;
    client.close().await.unwrap();
}
