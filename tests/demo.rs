//! The in-page demo device ([Reach], issue 11): a first visit that is not `make run`'s (a
//! page over https; here `?device=page`, with `?broker=` pointing at this harness's
//! mosquitto) runs a virtual device inside the page, so the demo dashboard's gauge moves and
//! its switch confirms with nothing installed; "Make it mine" and "Stop demo" end it.
//!
//! Real parts: the release build, headless Chromium, mosquitto; what the broker saw is read
//! with `tablero sub`.

mod support;

use std::time::{Duration, Instant};

use fantoccini::Client;
use support::*;

/// The page for a first visit whose demo runs its device in the page.
fn first_visit_url(h: &Harness, lang: &str) -> String {
    format!("{}&device=page", h.page_url(lang))
}

/// The random topic prefix the demo chose (kept beside the configuration while it runs).
async fn demo_prefix(client: &Client) -> String {
    wait_for("the demo's stored prefix", READ_TIMEOUT, || async {
        let v = js(
            client,
            "return (localStorage.getItem('tablero.demo-device') || '').split('\\n')[1] || null",
        )
        .await;
        Ok(v.as_str().map(str::to_owned))
    })
    .await
}

/// What `tablero sub -t topic -C 1 -W secs` printed (retained messages included), if it got
/// a message. Started at once, awaited later: a command can be made while it listens.
fn one_message(
    h: &Harness,
    topic: &str,
    secs: u32,
) -> impl std::future::Future<Output = Option<String>> + use<> {
    let sub = h.tablero(&["sub", "-t", topic, "-C", "1", "-W", &secs.to_string()]);
    async move {
        let (status, text) = sub.output().await;
        status.success().then(|| text.trim().to_owned())
    }
}

async fn wait_device_connected(client: &Client) {
    wait_attr(client, "#demo-bar .demo-device", "data-state", "connected").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_first_visit_runs_the_demo_device_in_the_page_and_its_switch_confirms() {
    let h = Harness::start();
    let client = h.browser(360, 640).await;
    let opened = Instant::now();
    client.goto(&first_visit_url(&h, "es")).await.unwrap();
    wait_status(&client, "connected").await;
    wait_device_connected(&client).await;
    let prefix = demo_prefix(&client).await;
    assert!(prefix.starts_with("tablero/"), "{prefix}");
    assert_ne!(prefix, "tablero/demo", "a random prefix, not make run's");
    let lead = text_of(&client, "#demo-bar .demo-lead").await;
    assert!(lead.contains(&prefix), "{lead}");

    // The device's telemetry moves the gauge: a temperature it makes (19–25 °C).
    wait_demo_temperature(&client).await;

    // One tap on the relay: the command reaches the broker and the device confirms it.
    let topic = format!("{prefix}/relay/set");
    let command = one_message(&h, &topic, 20);
    wait_subscribed(&h.broker, &topic).await;
    tap_relay_until_confirmed_on(&client).await;
    assert_eq!(command.await.as_deref(), Some("on"), "the page's command");
    wait_attr(
        &client,
        &widget("relay", ".widget-switch"),
        "data-state",
        "on",
    )
    .await;
    let confirmed = opened.elapsed();
    println!(
        "first visit to the relay confirmed on: 1 tap, {:.1} s from opening the page",
        confirmed.as_secs_f64()
    );
    assert!(confirmed < Duration::from_secs(30), "{confirmed:?}");
    assert_eq!(
        one_message(&h, &format!("{prefix}/relay/state"), 5)
            .await
            .as_deref(),
        Some("on"),
        "the device's retained echo"
    );
    assert_eq!(
        one_message(&h, &format!("{prefix}/status"), 5)
            .await
            .as_deref(),
        Some("online")
    );
    screenshot(&client, "demo-device-es-360.png").await;

    // A reload keeps the demo running: the bar and its device come back on the same topics.
    // The device restarted with the page, as a real one restarts with its power, and says
    // so: its relay is off again.
    client.refresh().await.unwrap();
    wait_device_connected(&client).await;
    assert_eq!(demo_prefix(&client).await, prefix);
    wait_attr(
        &client,
        &widget("relay", ".switch-toggle"),
        "aria-checked",
        "false",
    )
    .await;

    // "Make it mine": the device stops (and says so), the dashboard stays, and says where
    // a real device should publish.
    click(&client, "#keep-demo").await;
    wait_gone(&client, "#demo-bar").await;
    // ... and opens the code for a real device that takes the virtual one's place: the
    // dashboard's own topics, in both languages a board speaks, ready to copy.
    let sketch = wait_for("the Arduino sketch", READ_TIMEOUT, || async {
        let code = try_text(&client, "#firmware-code").await?;
        Ok(code.contains("PubSubClient").then_some(code))
    })
    .await;
    for topic in ["relay/set", "relay/state", "status", "temperature"] {
        assert!(
            sketch.contains(&format!("\"{prefix}/{topic}\"")),
            "{topic} in the sketch"
        );
    }
    assert!(
        !sketch.contains("tablero/demo/"),
        "the demo's own prefix, not make run's"
    );
    click(&client, "#firmware-micropython").await;
    let script = wait_for("the MicroPython script", READ_TIMEOUT, || async {
        let code = try_text(&client, "#firmware-code").await?;
        Ok(code.contains("umqtt").then_some(code))
    })
    .await;
    assert!(
        script.contains(&format!("b\"{prefix}/relay/set\"")),
        "{script}"
    );
    let origin = h.server.url();
    cdp(
        &h,
        &client,
        "Browser.grantPermissions",
        serde_json::json!({
            "origin": origin.trim_end_matches('/'),
            "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"],
        }),
    )
    .await;
    click(&client, "#copy-firmware").await;
    wait_text(&client, "#copy-firmware", "Copiado").await;
    let copied = js(&client, "return navigator.clipboard.readText()").await;
    // The page's text as WebDriver reads it loses the script's last newline.
    assert_eq!(
        copied.as_str().map(str::trim_end),
        Some(script.as_str()),
        "the clipboard holds the script"
    );
    screenshot(&client, "demo-firmware-es-360.png").await;
    click(&client, "#firmware-close").await;
    wait_gone(&client, "#firmware-code").await;
    wait_text_where(&client, ".notice", "the notice naming the prefix", |t| {
        t.contains(&prefix)
    })
    .await;
    assert_eq!(
        one_message(&h, &format!("{prefix}/status"), 5)
            .await
            .as_deref(),
        Some("offline")
    );
    assert_eq!(widget_ids(&client).await.len(), 4, "the dashboard stays");
    let kept = js(
        &client,
        "return localStorage.getItem('tablero.demo-device')",
    )
    .await;
    assert!(kept.is_null(), "{kept}");
    client.refresh().await.unwrap();
    wait_status(&client, "connected").await;
    assert_eq!(widget_ids(&client).await.len(), 4);
    assert_eq!(
        visible_count(&client, "#demo-bar").await,
        Ok(0),
        "no demo after it was made the user's"
    );
    client.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stopping_the_demo_stops_its_device_and_keeps_the_dashboard() {
    let h = Harness::start();
    let client = h.browser(1280, 800).await;
    client.goto(&first_visit_url(&h, "en")).await.unwrap();
    wait_device_connected(&client).await;
    let prefix = demo_prefix(&client).await;
    assert_eq!(
        text_of(&client, "#stop-demo").await,
        "Stop demo",
        "the bar is in the page's language"
    );
    screenshot(&client, "demo-device-en-1280.png").await;
    assert!(
        one_message(&h, &format!("{prefix}/temperature"), 5)
            .await
            .is_some(),
        "telemetry while it runs"
    );
    click(&client, "#stop-demo").await;
    wait_gone(&client, "#demo-bar").await;
    assert_eq!(
        one_message(&h, &format!("{prefix}/status"), 5)
            .await
            .as_deref(),
        Some("offline"),
        "a stopped device says so"
    );
    // `-R`: only new messages; none come once the device is gone.
    let sub = h.tablero(&[
        "sub",
        "-t",
        &format!("{prefix}/temperature"),
        "-R",
        "-C",
        "1",
        "-W",
        "3",
    ]);
    let (status, _) = sub.output().await;
    assert_eq!(status.code(), Some(3), "no telemetry after stopping");
    assert_eq!(widget_ids(&client).await.len(), 4, "the dashboard stays");
    client.close().await.unwrap();
}
