//! End to end: the release build of the app (`dist/`, from `make build`) in headless
//! Chromium, against a real mosquitto started per test (and, at the end, aedes, amqtt and
//! rumqttd), with `mosquitto_pub` and the `tablero` CLI (`sub`, `pub`, `device`) on the
//! other side. Every process stops on drop.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use support::*;
use testkit::mosquitto::require_program;
use testkit::web::{ChromeDriver, StaticServer};
use testkit::{Broker, BrokerEvent, Mosquitto, MqttVersion, RunningBroker};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn payload_published_by_mosquitto_pub_appears_in_the_demo_gauge() {
    let h = Harness::start();
    let client = h.open(1280, 900, "en").await;
    assert_eq!(text_of(&client, "#status .status-text").await, "Connected");
    h.publish(DEMO_TEMPERATURE, &["-m", "21.5"]);
    wait_text(&client, &widget("temperature", ".gauge-value"), "21.5").await;
    // QoS 2 goes through the session's PUBREC/PUBREL/PUBCOMP flow in the page.
    h.publish(DEMO_TEMPERATURE, &["-q", "2", "-m", "23.26"]);
    wait_text(&client, &widget("temperature", ".gauge-value"), "23.3").await;
    client.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn broker_text_stays_text_and_a_bad_payload_is_explained_in_the_widget() {
    let h = Harness::start();
    let client = h.open(1280, 900, "en").await;
    let hostile = "<img id=\"pwned\" src=x onerror=\"document.title='pwned'\">";
    h.publish(DEMO_TEMPERATURE, &["-m", hostile]);
    wait_text_where(
        &client,
        &widget("temperature", ".widget-error"),
        "the gauge explains",
        |text| text.contains("not a number") && text.contains("<img"),
    )
    .await;
    assert!(
        client.find(Locator::Css("#pwned")).await.is_err(),
        "a payload became markup"
    );
    assert_ne!(client.title().await.unwrap(), "pwned");
    client.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn widgets_made_in_the_editor_show_values_json_paths_and_hex() {
    let h = Harness::start();
    let client = h.open(1280, 900, "en").await;
    add_widget(&client, "gauge", "Lab", &[("binding.topic", "lab/t")]).await;
    add_widget(
        &client,
        "gauge",
        "Lab JSON",
        &[
            ("binding.topic", "lab/json"),
            ("binding.json_path", "$.sensor.temp"),
        ],
    )
    .await;
    add_widget(&client, "value", "Raw", &[("binding.topic", "lab/raw")]).await;
    // The subscriptions follow the new widgets.
    for filter in ["lab/t", "lab/json", "lab/raw"] {
        wait_subscribed(&h.broker, filter).await;
    }
    h.publish("lab/t", &["-m", "42"]);
    h.publish("lab/json", &["-m", r#"{"sensor":{"temp":23.5}}"#]);
    let bin = std::env::temp_dir().join(format!("tablero-e2e-bin-{}", std::process::id()));
    std::fs::write(&bin, [0xde, 0xad, 0xbe, 0xef, 0x00, 0xff]).unwrap();
    h.publish("lab/raw", &["-f", bin.to_str().unwrap()]);
    let _ = std::fs::remove_file(bin);

    wait_text(&client, &widget("gauge-1", ".gauge-value"), "42.0").await;
    wait_text(&client, &widget("gauge-2", ".gauge-value"), "23.5").await;
    wait_text(
        &client,
        &widget("value-1", ".value-number"),
        "de ad be ef 00 ff",
    )
    .await;

    h.publish("lab/json", &["-m", r#"{"other":1}"#]);
    wait_text_where(
        &client,
        &widget("gauge-2", ".widget-error"),
        "path-missing message",
        |text| text.contains("$.sensor.temp"),
    )
    .await;
    client.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn switch_command_reaches_the_broker_and_the_device_echo_confirms_it() {
    let h = Harness::start();
    let client = h.open(1280, 900, "en").await;
    let sub = h.tablero(&["sub", "-t", "tablero/demo/relay/set", "-C", "1"]);
    wait_subscribed(&h.broker, "tablero/demo/relay/set").await;
    let device = h.tablero(&["device", "--prefix", "tablero/demo", "--interval-ms", "200"]);
    // The device's retained state arrives first: off.
    wait_attr(
        &client,
        &widget("relay", ".switch-toggle"),
        "aria-checked",
        "false",
    )
    .await;
    click(&client, &widget("relay", ".switch-toggle")).await;
    let out = sub.output().await;
    assert!(out.0.success());
    assert_eq!(out.1.trim(), "on", "tablero sub received the command");
    wait_attr(
        &client,
        &widget("relay", ".switch-toggle"),
        "aria-checked",
        "true",
    )
    .await;
    drop(device);
    client.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn switch_without_an_echo_reverts_with_a_message() {
    let h = Harness::start();
    let client = h.open(1280, 900, "en").await;
    click(&client, &widget("relay", ".switch-toggle")).await;
    wait_attr(
        &client,
        &widget("relay", ".switch-toggle"),
        "aria-busy",
        "true",
    )
    .await;
    wait_text_where(
        &client,
        &widget("relay", ".switch-no-answer"),
        "no-answer message",
        |text| !text.is_empty(),
    )
    .await;
    assert_ne!(
        attr_of(&client, &widget("relay", ".switch-toggle"), "aria-checked")
            .await
            .as_deref(),
        Some("true"),
        "the switch went back"
    );
    client.close().await.unwrap();
}

/// A button made in the editor publishes its payload with its QoS and not retained, and says
/// so; one that asks first sends nothing when the question is cancelled, and sends once it
/// is accepted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_button_publishes_its_payload_and_asks_first_when_told_to() {
    let h = Harness::start();
    let client = h.open(1280, 900, "en").await;
    let bell = add_widget(
        &client,
        "button",
        "Bell",
        &[
            ("topic", "lab/bell"),
            ("payload", "ring"),
            ("label", "Ring"),
        ],
    )
    .await;
    assert_eq!(
        text_of(&client, &widget(&bell, ".button-send")).await,
        "Ring"
    );
    let sub = h.tablero(&["sub", "-t", "lab/bell", "-q", "2", "-d", "-C", "1"]);
    wait_subscribed(&h.broker, "lab/bell").await;
    click(&client, &widget(&bell, ".button-send")).await;
    let (status, payload, log) = sub.output_and_log().await;
    assert!(status.success(), "{log}");
    assert_eq!(payload.trim(), "ring", "the payload the broker passed on");
    assert!(
        log.contains("received PUBLISH (d0, q1, r0,"),
        "QoS 1, the button's default: {log}"
    );
    wait_text(&client, &widget(&bell, ".command-status"), "Sent").await;
    let late = h.tablero(&["sub", "-t", "lab/bell", "-C", "1", "-W", "1"]);
    let (status, payload) = late.output().await;
    assert_eq!(status.code(), Some(3), "not retained: {payload:?}");

    // A button that asks first.
    set_editing(&client, true).await;
    let before = widget_ids(&client).await;
    select(&client, "#new-widget-type", "button").await;
    click(&client, "#add-widget").await;
    wait_shown(&client, ".widget-editor").await;
    fill(&client, ".widget-editor [name=\"title\"]", "Gate").await;
    fill(&client, ".widget-editor [name=\"topic\"]", "lab/gate").await;
    fill(&client, ".widget-editor [name=\"payload\"]", "open").await;
    click(&client, ".widget-editor [name=\"confirm\"]").await;
    save_widget_editor(&client).await;
    set_editing(&client, false).await;
    let gate = widget_ids(&client)
        .await
        .into_iter()
        .find(|id| !before.contains(id))
        .expect("the new button");
    let sub = h.tablero(&["sub", "-t", "lab/gate", "-C", "1", "-W", "3"]);
    wait_subscribed(&h.broker, "lab/gate").await;
    js(
        &client,
        "window.asked = []; window.confirm = (q) => { asked.push(q); return false; }; return null",
    )
    .await;
    click(&client, &widget(&gate, ".button-send")).await;
    assert_eq!(
        js(&client, "return asked").await,
        serde_json::json!(["Send “open” to lab/gate?"]),
        "the question names what and where"
    );
    let (status, payload) = sub.output().await;
    assert_eq!(
        status.code(),
        Some(3),
        "cancelled: nothing sent, got {payload:?}"
    );
    assert_eq!(
        visible_count(&client, &widget(&gate, ".command-status")).await,
        Ok(0)
    );

    let sub = h.tablero(&["sub", "-t", "lab/gate", "-C", "1"]);
    wait_subscribed(&h.broker, "lab/gate").await;
    js(&client, "window.confirm = () => true; return null").await;
    click(&client, &widget(&gate, ".button-send")).await;
    let (status, payload) = sub.output().await;
    assert!(status.success());
    assert_eq!(payload.trim(), "open", "accepted: sent once");
    wait_text(&client, &widget(&gate, ".command-status"), "Sent").await;
    client.close().await.unwrap();
}

/// An LED made in the editor reads a Tasmota-style JSON state: on and off light it in their
/// colours and say so, a state it does not know is shown as unknown with what came, and an
/// unreadable payload leaves the light as it was and says why.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_led_shows_a_json_state_in_its_colours() {
    let h = Harness::start();
    let client = h.open(1280, 900, "en").await;
    let topic = "tasmota/plug/stat/RESULT";
    let plug = add_widget(
        &client,
        "led",
        "Plug",
        &[
            ("binding.topic", topic),
            ("binding.json_path", "$.POWER"),
            ("state_on", "ON"),
            ("state_off", "OFF"),
        ],
    )
    .await;
    wait_subscribed(&h.broker, topic).await;
    let card = format!("article[data-widget-id=\"{plug}\"]");
    let (label, lamp) = (widget(&plug, ".led-label"), widget(&plug, ".led-lamp"));
    wait_text(&client, &label, "Unknown state").await;

    h.publish(topic, &["-m", r#"{"POWER":"ON"}"#]);
    wait_attr(&client, &card, "data-state", "on").await;
    assert_eq!(text_of(&client, &label).await, "On");
    assert_eq!(
        attr_of(&client, &lamp, "style").await.as_deref(),
        Some("background-color:#16a34a"),
        "the default colour when on"
    );
    h.publish(topic, &["-m", r#"{"POWER":"OFF"}"#]);
    wait_attr(&client, &card, "data-state", "off").await;
    assert_eq!(text_of(&client, &label).await, "Off");
    assert_eq!(
        attr_of(&client, &lamp, "style").await.as_deref(),
        Some("background-color:#94a3b8"),
        "the default colour when off"
    );
    h.publish(topic, &["-m", r#"{"POWER":"TOGGLE"}"#]);
    wait_attr(&client, &card, "data-state", "unknown").await;
    wait_text_where(&client, &label, "the unknown state with what came", |t| {
        t.starts_with("Unknown state") && t.contains("TOGGLE")
    })
    .await;

    h.publish(topic, &["-m", r#"{"POWER":"ON"}"#]);
    wait_attr(&client, &card, "data-state", "on").await;
    h.publish(topic, &["-m", "not json"]);
    wait_text_where(
        &client,
        &widget(&plug, ".widget-error"),
        "why the payload could not be read",
        |t| t.contains("JSON"),
    )
    .await;
    assert_eq!(
        attr_of(&client, &card, "data-state").await.as_deref(),
        Some("on"),
        "an unreadable payload leaves the light as it was"
    );
    client.close().await.unwrap();
}

/// A slider made in the editor, dragged for 2 s with a move every few milliseconds, sends at
/// most one message per 200 ms while dragging and its final position on release, through
/// its JSON template; with a state topic it says "pending" until the device reports, then
/// shows what the device reports, also when the device changes it by itself.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dragged_slider_sends_at_most_one_message_per_interval_and_its_final_position() {
    let h = Harness::start();
    let client = h.open(1280, 900, "en").await;
    let dimmer = add_widget(
        &client,
        "slider",
        "Dimmer",
        &[
            ("topic", "lab/dimmer/set"),
            ("template", r#"{"brightness":{value}}"#),
            ("state.topic", "lab/dimmer"),
            ("state.json_path", "$.brightness"),
        ],
    )
    .await;
    wait_subscribed(&h.broker, "lab/dimmer").await;
    let sub = h.tablero(&["sub", "-t", "lab/dimmer/set", "-q", "2", "-d", "-W", "6"]);
    wait_subscribed(&h.broker, "lab/dimmer/set").await;
    let input = widget(&dimmer, ".slider-input");
    // A finger's drag: a move every 8 ms for 2 s, from 0 up, released at 73.
    js(
        &client,
        &format!(
            r#"const el = document.querySelector('{input}');
            const t0 = performance.now();
            window.moves = 0; window.dragged = false;
            const move = () => {{
                const t = performance.now() - t0;
                if (t >= 2000) {{
                    el.value = '73';
                    el.dispatchEvent(new Event('input', {{bubbles: true}}));
                    el.dispatchEvent(new Event('change', {{bubbles: true}}));
                    window.dragged = true;
                    return;
                }}
                el.value = String(Math.min(100, Math.round(t / 20)));
                el.dispatchEvent(new Event('input', {{bubbles: true}}));
                window.moves += 1;
                setTimeout(move, 8);
            }};
            move();
            return null;"#
        ),
    )
    .await;
    wait_for("the drag's end", Duration::from_secs(10), || async {
        match js(&client, "return window.dragged").await {
            serde_json::Value::Bool(true) => Ok(Some(())),
            other => Err(format!("{other}")),
        }
    })
    .await;
    let moves = js(&client, "return window.moves").await.as_u64().unwrap();
    assert!(moves > 100, "the drag made {moves} moves");
    let (status, out, log) = sub.output_and_log().await;
    assert!(status.success(), "{log}");
    let payloads: Vec<&str> = out.lines().collect();
    assert!(
        (2..=2000 / 200 + 2).contains(&payloads.len()),
        "{} messages for {moves} moves: {payloads:?}",
        payloads.len()
    );
    assert_eq!(
        payloads.last(),
        Some(&r#"{"brightness":73}"#),
        "the last message is the final position: {payloads:?}"
    );
    eprintln!("{} messages for {moves} moves in 2 s", payloads.len());
    assert!(
        log.contains("received PUBLISH (d0, q1, r0,"),
        "QoS 1, not retained: {log}"
    );
    wait_attr(
        &client,
        &format!("article[data-widget-id=\"{dimmer}\"]"),
        "data-state",
        "pending",
    )
    .await;
    assert_eq!(
        text_of(&client, &widget(&dimmer, ".slider-pending")).await,
        "Pending: the device has not confirmed yet"
    );
    h.publish("lab/dimmer", &["-m", r#"{"brightness":73}"#]);
    wait_attr(
        &client,
        &format!("article[data-widget-id=\"{dimmer}\"]"),
        "data-state",
        "sent",
    )
    .await;
    wait_text(&client, &widget(&dimmer, ".slider-value"), "73 %").await;
    assert_eq!(
        visible_count(&client, &widget(&dimmer, ".slider-pending")).await,
        Ok(0)
    );
    // The device dims itself: the slider follows.
    h.publish("lab/dimmer", &["-m", r#"{"brightness":40}"#]);
    wait_text(&client, &widget(&dimmer, ".slider-value"), "40 %").await;
    assert_eq!(
        prop_of(&client, &input, "value").await.as_deref(),
        Some("40")
    );
    client.close().await.unwrap();
}

/// A text input publishes what was typed on Enter, through its JSON template (a quote typed
/// stays inside the JSON string); a template with a missing closing brace is refused in the
/// editor with a message.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_text_input_publishes_on_enter_through_its_template_and_a_broken_template_is_refused() {
    let h = Harness::start();
    let client = h.open(1280, 900, "en").await;
    let before = widget_ids(&client).await;
    set_editing(&client, true).await;
    select(&client, "#new-widget-type", "text").await;
    click(&client, "#add-widget").await;
    wait_shown(&client, ".widget-editor").await;
    fill(&client, ".widget-editor [name=\"topic\"]", "lab/sign").await;
    fill(
        &client,
        ".widget-editor [name=\"template\"]",
        r#"{"text":"{value"}"#,
    )
    .await;
    let error = wait_text_where(
        &client,
        ".widget-editor .field-error[data-field=\"template\"]",
        "the template's error",
        |t| !t.trim().is_empty() && !t.starts_with('…'),
    )
    .await;
    assert_eq!(
        error,
        "A placeholder is not {value} (a closing brace missing?)."
    );
    fill(
        &client,
        ".widget-editor [name=\"template\"]",
        r#"{"text":"{value}""#,
    )
    .await;
    wait_text_where(
        &client,
        ".widget-editor .field-error[data-field=\"template\"]",
        "the JSON error",
        |t| t.starts_with("It starts as JSON"),
    )
    .await;
    assert!(
        attr_of(&client, ".widget-editor .save", "disabled")
            .await
            .is_some(),
        "a broken template cannot be saved"
    );
    fill(
        &client,
        ".widget-editor [name=\"template\"]",
        r#"{"text":"{value}"}"#,
    )
    .await;
    fill(&client, ".widget-editor [name=\"title\"]", "Sign").await;
    save_widget_editor(&client).await;
    set_editing(&client, false).await;
    let sign = widget_ids(&client)
        .await
        .into_iter()
        .find(|id| !before.contains(id))
        .expect("the text input");
    let sub = h.tablero(&["sub", "-t", "lab/sign", "-q", "2", "-d", "-C", "1"]);
    wait_subscribed(&h.broker, "lab/sign").await;
    let input = widget(&sign, ".text-input");
    fill(&client, &input, r#"say "hola""#).await;
    client
        .find(Locator::Css(&input))
        .await
        .unwrap()
        .send_keys(&char::from(Key::Enter).to_string())
        .await
        .unwrap();
    let (status, payload, log) = sub.output_and_log().await;
    assert!(status.success(), "{log}");
    assert_eq!(payload.trim(), r#"{"text":"say \"hola\""}"#);
    assert!(log.contains("received PUBLISH (d0, q1, r0,"), "{log}");
    wait_text(&client, &widget(&sign, ".command-status"), "Sent").await;
    client.close().await.unwrap();
}

/// A colour picker publishes the colour chosen when the picker closes, as `#rrggbb`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_colour_picker_publishes_the_colour_chosen() {
    let h = Harness::start();
    let client = h.open(1280, 900, "en").await;
    let strip = add_widget(&client, "color", "Strip", &[("topic", "lab/strip")]).await;
    let sub = h.tablero(&["sub", "-t", "lab/strip", "-q", "2", "-d", "-C", "1"]);
    wait_subscribed(&h.broker, "lab/strip").await;
    // What the browser's picker does when it closes on a colour.
    js(
        &client,
        &format!(
            r#"const el = document.querySelector('{}');
            el.value = '#ff8800';
            el.dispatchEvent(new Event('change', {{bubbles: true}}));
            return null;"#,
            widget(&strip, ".color-input")
        ),
    )
    .await;
    let (status, payload, log) = sub.output_and_log().await;
    assert!(status.success(), "{log}");
    assert_eq!(payload.trim(), "#ff8800");
    assert!(log.contains("received PUBLISH (d0, q1, r0,"), "{log}");
    wait_text(&client, &widget(&strip, ".color-hex"), "#ff8800").await;
    wait_text(&client, &widget(&strip, ".command-status"), "Sent").await;
    client.close().await.unwrap();
}

/// A level bar fills in proportion to the reading, upright by default and lying when told,
/// and says the value with its unit; a reading past the maximum fills it and no more.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_level_bar_fills_in_proportion_to_the_reading() {
    let h = Harness::start();
    let client = h.open(1280, 900, "en").await;
    let tank = add_widget(&client, "level", "Tank", &[("binding.topic", "lab/tank")]).await;
    wait_subscribed(&h.broker, "lab/tank").await;
    h.publish("lab/tank", &["-m", "25"]);
    wait_text(&client, &widget(&tank, ".level-value"), "25 %").await;
    assert_eq!(
        attr_of(&client, &widget(&tank, ".level-fill"), "style")
            .await
            .as_deref(),
        Some("height:25.0%")
    );
    assert_eq!(
        attr_of(&client, &widget(&tank, ".level-track"), "aria-valuenow")
            .await
            .as_deref(),
        Some("25")
    );
    h.publish("lab/tank", &["-m", "130"]);
    wait_text(&client, &widget(&tank, ".level-value"), "130 %").await;
    assert_eq!(
        attr_of(&client, &widget(&tank, ".level-fill"), "style")
            .await
            .as_deref(),
        Some("height:100.0%"),
        "past the maximum: full, no more"
    );
    let battery = add_widget(
        &client,
        "level",
        "Battery",
        &[("binding.topic", "lab/battery")],
    )
    .await;
    set_editing(&client, true).await;
    click(&client, &widget(&battery, ".edit-widget")).await;
    wait_shown(&client, ".widget-editor").await;
    click(&client, ".widget-editor [name=\"vertical\"]").await;
    save_widget_editor(&client).await;
    set_editing(&client, false).await;
    wait_subscribed(&h.broker, "lab/battery").await;
    h.publish("lab/battery", &["-m", "60"]);
    wait_text(&client, &widget(&battery, ".level-value"), "60 %").await;
    assert_eq!(
        attr_of(&client, &widget(&battery, ".level-fill"), "style")
            .await
            .as_deref(),
        Some("width:60.0%")
    );
    client.close().await.unwrap();
}

/// A log of `lab/#` shows each message newest first with its topic, a binary payload as hex,
/// and after 10,000 messages holds its 100 newest, the last one on top.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_log_shows_hex_for_binary_and_stays_bounded_after_ten_thousand_messages() {
    let h = Harness::start();
    let client = h.open(1280, 900, "en").await;
    let log = add_widget(&client, "log", "Lab", &[("filter", "lab/#")]).await;
    wait_subscribed(&h.broker, "lab/#").await;
    wait_text(
        &client,
        &widget(&log, ".widget-muted:not(.log-count)"),
        "No message yet.",
    )
    .await;
    let binary = h.downloads.join("binary.bin");
    std::fs::write(&binary, [0xde, 0xad, 0xbe, 0xef, 0x00, 0xff]).unwrap();
    publish_file(h.broker.tcp_port, "lab/raw", &binary);
    wait_text(
        &client,
        &widget(&log, ".log-line:first-child .log-payload"),
        "de ad be ef 00 ff",
    )
    .await;
    assert_eq!(
        attr_of(
            &client,
            &widget(&log, ".log-line:first-child .log-payload"),
            "class"
        )
        .await
        .as_deref(),
        Some("log-payload log-hex")
    );
    assert_eq!(
        text_of(&client, &widget(&log, ".log-line:first-child .log-topic")).await,
        "lab/raw"
    );
    // 10,000 messages in one go, numbered.
    let lines: String = (0..10_000).map(|i| format!("{i}\n")).collect();
    let file = h.downloads.join("lines.txt");
    std::fs::write(&file, lines).unwrap();
    let status = Command::new(require_program("mosquitto_pub"))
        .args(["-h", "127.0.0.1", "-p", &h.broker.tcp_port.to_string()])
        .args(["-t", "lab/counter", "-l"])
        .stdin(std::fs::File::open(&file).unwrap())
        .status()
        .unwrap();
    assert!(status.success());
    wait_text(
        &client,
        &widget(&log, ".log-line:first-child .log-payload"),
        "9999",
    )
    .await;
    wait_text(
        &client,
        &widget(&log, ".log-count"),
        "The last 100 of 10001 messages",
    )
    .await;
    assert_eq!(
        visible_count(&client, &widget(&log, ".log-line")).await,
        Ok(100),
        "bounded"
    );
    assert_eq!(
        text_of(&client, &widget(&log, ".log-line:last-child .log-payload")).await,
        "9900",
        "the oldest kept"
    );
    // A large payload: its first bytes, cut, with its whole size. (64 KiB: mosquitto's
    // WebSocket side takes seconds per 100 KB; a megabyte in a card is the aedes test's.)
    let big = h.downloads.join("big.txt");
    std::fs::write(&big, "x".repeat(1 << 16)).unwrap();
    publish_file(h.broker.tcp_port, "lab/big", &big);
    wait_text(
        &client,
        &widget(&log, ".log-line:first-child .log-topic"),
        "lab/big",
    )
    .await;
    assert_eq!(
        text_of(&client, &widget(&log, ".log-line:first-child .log-size")).await,
        "65536 B"
    );
    let shown = text_of(&client, &widget(&log, ".log-line:first-child .log-payload")).await;
    assert_eq!(shown, format!("{}…", "x".repeat(200)), "an excerpt");
    client.close().await.unwrap();
}

/// On a phone (360×640, Spanish), a switch with the bulb icon toggles with one tap on a
/// target at least 44 px each way, and its icon takes its "on" form.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_icon_switch_on_a_phone_toggles_with_one_tap_on_a_large_target() {
    let h = Harness::start();
    let client = h.open(360, 640, "es").await;
    let before = widget_ids(&client).await;
    set_editing(&client, true).await;
    select(&client, "#new-widget-type", "switch").await;
    click(&client, "#add-widget").await;
    wait_shown(&client, ".widget-editor").await;
    fill(&client, ".widget-editor [name=\"title\"]", "Lámpara").await;
    fill(
        &client,
        ".widget-editor [name=\"command_topic\"]",
        "lab/lamp",
    )
    .await;
    select(&client, ".widget-editor [name=\"icon\"]", "bulb").await;
    save_widget_editor(&client).await;
    set_editing(&client, false).await;
    let lamp = widget_ids(&client)
        .await
        .into_iter()
        .find(|id| !before.contains(id))
        .expect("the new switch");
    let icon = widget(&lamp, ".switch-toggle svg");
    assert_eq!(
        attr_of(&client, &icon, "class").await.as_deref(),
        Some("icon icon-bulb off")
    );
    let toggle = widget(&lamp, ".switch-toggle");
    let size = js(
        &client,
        &format!(
            "const r = document.querySelector('{toggle}').getBoundingClientRect(); \
             return [r.width, r.height, document.documentElement.scrollWidth]"
        ),
    )
    .await;
    let (w, h_px, page) = (
        size[0].as_f64().unwrap(),
        size[1].as_f64().unwrap(),
        size[2].as_f64().unwrap(),
    );
    assert!(w >= 44.0 && h_px >= 44.0, "target {w}×{h_px}");
    assert!(page <= 360.0, "no sideways scroll: {page}");
    let sub = h.tablero(&["sub", "-t", "lab/lamp", "-C", "1"]);
    wait_subscribed(&h.broker, "lab/lamp").await;
    // One tap: WebDriver's click is a pointer press and release at the element's centre.
    client
        .find(Locator::Css(&toggle))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let (status, payload) = sub.output().await;
    assert!(status.success());
    assert_eq!(payload.trim(), "on");
    wait_attr(&client, &icon, "class", "icon icon-bulb on").await;
    screenshot(&client, "icon-switch-phone-es.png").await;
    client.close().await.unwrap();
}

/// A dashboard with every kind (icons on the switch, the button and the LED), fed by the
/// broker, on a phone in Spanish and on a desktop in English: nothing overflows sideways,
/// every card is drawn, no error is logged; the screenshots are kept as artifacts.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_kind_on_one_dashboard_on_a_phone_and_a_desktop_in_both_languages() {
    use serde_json::json;
    let h = Harness::start();
    let binding = |topic: &str| json!({"topic": topic, "scale": 1, "offset": 0, "qos": "0"});
    let publish = |topic: &str, template: &str| json!({"topic": topic, "template": template, "qos": "1", "retain": false, "expiry_secs": 10});
    let with = |mut base: serde_json::Value, more: serde_json::Value| {
        for (k, v) in more.as_object().unwrap() {
            base[k] = v.clone();
        }
        base
    };
    let widgets = vec![
        json!({"id": "temp", "title": "Temperatura", "type": "gauge", "binding": binding("lab/temp"),
               "min": 0, "max": 50, "unit": "°C", "decimals": 1,
               "bands": [{"from": 0, "color": "#3b82f6"}, {"from": 30, "color": "#dc2626"}]}),
        json!({"id": "lamp", "title": "Lámpara", "type": "switch", "command_topic": "lab/lamp/set",
               "on_payload": "on", "off_payload": "off", "state_topic": "lab/lamp",
               "state_on": "on", "state_off": "off", "qos": "1", "retain": false,
               "confirm_timeout_ms": 5000, "icon": "bulb"}),
        json!({"id": "chart", "title": "Historia", "type": "chart",
               "series": [{"label": "T", "color": "#dc2626", "binding": binding("lab/temp")}],
               "window_secs": 300, "max_points": 1000, "unit": "°C"}),
        json!({"id": "hum", "title": "Humedad", "type": "value", "binding": binding("lab/hum"),
               "unit": "%", "decimals": 0, "stale_after_secs": 0}),
        json!({"id": "bell", "title": "Timbre", "type": "button", "topic": "lab/bell", "payload": "ring",
               "label": "", "qos": "1", "retain": false, "confirm": false, "icon": "power"}),
        json!({"id": "fan", "title": "Ventilador", "type": "led", "binding": binding("lab/fan"),
               "state_on": "on", "state_off": "off", "on_color": "#16a34a", "off_color": "#94a3b8",
               "icon": "fan"}),
        with(
            json!({"id": "dimmer", "title": "Regulador", "type": "slider", "min": 0, "max": 100,
               "step": 1, "unit": "%", "throttle_ms": 200, "state": binding("lab/dimmer")}),
            publish("lab/dimmer/set", "{value}"),
        ),
        json!({"id": "tank", "title": "Tinaco", "type": "level", "binding": binding("lab/tank"),
               "min": 0, "max": 100, "unit": "%", "decimals": 0, "vertical": true,
               "bands": [{"from": 0, "color": "#dc2626"}, {"from": 25, "color": "#16a34a"}]}),
        with(
            json!({"id": "sign", "title": "Letrero", "type": "text"}),
            publish("lab/sign", "{value}"),
        ),
        with(
            json!({"id": "strip", "title": "Tira RGB", "type": "color"}),
            publish("lab/strip", "{\"color\":\"{value}\"}"),
        ),
        json!({"id": "log", "title": "Todo", "type": "log", "filter": "lab/#", "qos": "0",
               "lines": 100, "format": "text"}),
    ];
    let config = json!({
        "version": 1,
        "connections": [{"id": "local", "name": "Local", "scheme": "ws", "host": "127.0.0.1",
            "port": h.broker.ws_port.unwrap(), "path": "/", "remember_password": false,
            "client_id": "every-kind", "mqtt_version": "auto", "keep_alive_secs": 30,
            "clean_start": true}],
        "dashboards": [{"id": "lab", "name": "Laboratorio", "connection": "local", "widgets": widgets}]
    });
    for (w, ht, lang) in [(360, 640, "es"), (1280, 900, "en")] {
        let client = h.browser(w, ht).await;
        client.goto(&h.page_url(lang)).await.unwrap();
        store_config_and_reload(&client, &config).await;
        watch_console(&client).await;
        wait_subscribed(&h.broker, "lab/#").await;
        for (topic, payload) in [
            ("lab/temp", "23.5"),
            ("lab/hum", "61"),
            ("lab/lamp", "on"),
            ("lab/fan", "on"),
            ("lab/dimmer", "40"),
            ("lab/tank", "72"),
        ] {
            h.publish(topic, &["-m", payload, "-r"]);
        }
        wait_text(&client, &widget("tank", ".level-value"), "72 %").await;
        wait_text(&client, &widget("dimmer", ".slider-value"), "40 %").await;
        wait_attr(&client, &widget("fan", "svg"), "class", "icon icon-fan on").await;
        let kinds = js(
            &client,
            "return [...document.querySelectorAll('article.widget')].map(a => a.className.split(' ')[1])",
        )
        .await;
        assert_eq!(
            kinds,
            json!([
                "widget-gauge",
                "widget-switch",
                "widget-chart",
                "widget-value",
                "widget-button",
                "widget-led",
                "widget-slider",
                "widget-level",
                "widget-text",
                "widget-color",
                "widget-log"
            ]),
        );
        let wide = js(&client, "return document.documentElement.scrollWidth").await;
        assert!(
            wide.as_f64().unwrap() <= f64::from(w),
            "{lang} at {w}: {wide} px wide"
        );
        for y in [0, 900, 1800, 2700, 3600, 4500, 5400, 6300] {
            js(&client, &format!("window.scrollTo(0, {y}); return null")).await;
            screenshot(&client, &format!("every-kind-{lang}-{w}-{y}.png")).await;
            if w > 1000 {
                break;
            }
        }
        assert_eq!(console_errors(&client).await, Vec::<String>::new());
        client.close().await.unwrap();
    }
}

/// A value card with a named value made in the editor shows that payload as its words in its
/// colour, and a number in the colour of its threshold band; a duplicate value is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_value_card_shows_named_values_and_threshold_colours() {
    let h = Harness::start();
    let client = h.open(1280, 900, "en").await;
    let before = widget_ids(&client).await;
    set_editing(&client, true).await;
    select(&client, "#new-widget-type", "value").await;
    click(&client, "#add-widget").await;
    wait_shown(&client, ".widget-editor").await;
    fill(&client, ".widget-editor [name=\"title\"]", "Door").await;
    fill(
        &client,
        ".widget-editor [name=\"binding.topic\"]",
        "lab/door",
    )
    .await;
    fill(&client, ".widget-editor [name=\"decimals\"]", "0").await;
    for _ in 0..2 {
        click(&client, ".widget-editor .add-map-row").await;
    }
    fill(&client, ".widget-editor [name=\"map[0].when\"]", "1").await;
    fill(&client, ".widget-editor [name=\"map[0].label\"]", "Open").await;
    fill(&client, ".widget-editor [name=\"map[0].color\"]", "#dc2626").await;
    fill(&client, ".widget-editor [name=\"map[1].when\"]", "1").await;
    wait_text_where(
        &client,
        ".widget-editor .field-error[data-field=\"map[1].when\"]",
        "the duplicate's error",
        |t| t.contains("already has another row"),
    )
    .await;
    fill(&client, ".widget-editor [name=\"map[1].when\"]", "0").await;
    fill(&client, ".widget-editor [name=\"map[1].label\"]", "Closed").await;
    click(&client, ".widget-editor .add-band").await;
    fill(&client, ".widget-editor [name=\"bands[0].from\"]", "30").await;
    save_widget_editor(&client).await;
    set_editing(&client, false).await;
    let door = widget_ids(&client)
        .await
        .into_iter()
        .find(|id| !before.contains(id))
        .expect("the new value card");
    wait_subscribed(&h.broker, "lab/door").await;
    h.publish("lab/door", &["-m", "1"]);
    wait_text(&client, &widget(&door, ".value-number"), "Open").await;
    assert_eq!(
        attr_of(&client, &widget(&door, ".value-main"), "style")
            .await
            .as_deref(),
        Some("color:#dc2626")
    );
    h.publish("lab/door", &["-m", "0"]);
    wait_text(&client, &widget(&door, ".value-number"), "Closed").await;
    assert_eq!(
        attr_of(&client, &widget(&door, ".value-main"), "style").await,
        None
    );
    h.publish("lab/door", &["-m", "35"]);
    wait_text(&client, &widget(&door, ".value-number"), "35").await;
    assert_eq!(
        attr_of(&client, &widget(&door, ".value-main"), "style")
            .await
            .as_deref(),
        Some("color:#0b7a75"),
        "the threshold band's colour (the first of the palette)"
    );
    client.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chart_receives_a_thousand_points_and_draws_them() {
    let h = Harness::start();
    let client = h.open(1280, 900, "en").await;
    let lines: String = (0..1000).map(|i| format!("{}\n", 15 + (i % 20))).collect();
    let file = std::env::temp_dir().join(format!("tablero-e2e-lines-{}", std::process::id()));
    std::fs::write(&file, lines).unwrap();
    let status = Command::new(require_program("mosquitto_pub"))
        .args(["-h", "127.0.0.1", "-p", &h.broker.tcp_port.to_string()])
        .args(["-t", DEMO_TEMPERATURE, "-l"])
        .stdin(std::fs::File::open(&file).unwrap())
        .status()
        .unwrap();
    assert!(status.success());
    let _ = std::fs::remove_file(file);
    wait_attr(
        &client,
        &widget("history", ".chart-canvas"),
        "data-points",
        "1000",
    )
    .await;
    // Not blank: the series colour (#dc2626) is on the canvas.
    let red = wait_for("red pixels", Duration::from_secs(10), || async {
        let n = client
            .execute(
                r#"const c = document.querySelector('[data-widget-id="history"] canvas');
                   const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                   let n = 0;
                   for (let i = 0; i < d.length; i += 4) {
                     if (d[i] > 180 && d[i + 1] < 90 && d[i + 2] < 90) n++;
                   }
                   return n;"#,
                vec![],
            )
            .await
            .map_err(|e| e.to_string())?
            .as_i64()
            .unwrap_or(0);
        if n > 30 {
            Ok(Some(n))
        } else {
            Err(format!("{n} red pixels"))
        }
    })
    .await;
    assert!(red > 30);
    screenshot(&client, "chart-1000-points.png").await;
    client.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reload_keeps_everything_but_an_unremembered_password() {
    let h = Harness::start();
    let client = h.open(1280, 900, "en").await;
    let kept = add_widget(&client, "value", "Kept", &[("binding.topic", "lab/kept")]).await;
    assert_eq!(kept, "value-1");
    set_editing(&client, true).await;
    click(&client, "#edit-connection").await;
    fill(&client, ".connection-editor [name=\"username\"]", "ana").await;
    fill(
        &client,
        ".connection-editor [name=\"password\"]",
        "s3cret-pw",
    )
    .await;
    click(&client, ".connection-editor .save").await;
    wait_hidden(&client, ".connection-editor").await;
    set_editing(&client, false).await;
    wait_status(&client, "connected").await;
    // Saved a moment after the change.
    let stored = wait_stored(&client, "the widget and the user name", |c| {
        c.contains("lab/kept") && c.contains("\"ana\"")
    })
    .await;
    assert!(
        !stored.contains("s3cret-pw"),
        "an unremembered password was stored"
    );

    client.refresh().await.unwrap();
    wait_status(&client, "connected").await;
    wait_present(&client, "[data-widget-id=\"value-1\"]").await;
    set_editing(&client, true).await;
    click(&client, "#edit-connection").await;
    assert_eq!(
        prop_of(&client, ".connection-editor [name=\"username\"]", "value")
            .await
            .as_deref(),
        Some("ana")
    );
    assert_eq!(
        prop_of(&client, ".connection-editor [name=\"password\"]", "value")
            .await
            .as_deref(),
        Some("")
    );
    client.close().await.unwrap();
}

/// The downloaded JSON file and its text, once the download is whole: Chrome may show the
/// file under its final name before every byte is written, so a file counts only when its
/// text parses as JSON.
async fn wait_download(dir: &Path) -> (PathBuf, String) {
    wait_for(
        &format!("a whole JSON download in {}", dir.display()),
        Duration::from_secs(15),
        || async {
            let found = std::fs::read_dir(dir)
                .map_err(|e| e.to_string())?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .find(|p| p.extension().is_some_and(|e| e == "json"));
            let Some(path) = found else {
                return Ok(None);
            };
            let text = std::fs::read_to_string(&path).map_err(|e| e.to_string())?;
            match serde_json::from_str::<serde_json::Value>(&text) {
                Ok(_) => Ok(Some((path, text))),
                Err(e) => Err(format!("{} is not whole yet: {e}", path.display())),
            }
        },
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_then_import_round_trips_and_a_broken_file_changes_nothing() {
    let h = Harness::start();
    let client = h.open(1280, 900, "en").await;
    add_widget(
        &client,
        "gauge",
        "Exported",
        &[("binding.topic", "lab/exported")],
    )
    .await;
    wait_stored(&client, "the new widget", |c| c.contains("lab/exported")).await;
    set_editing(&client, true).await;
    click(&client, "#export-config").await;
    let (exported, exported_text) = wait_download(&h.downloads).await;
    assert!(exported_text.contains("lab/exported"), "{exported_text}");

    // Remove the widget, then bring it back by importing the export.
    remove_widget(&client, "gauge-1").await;
    wait_stored(&client, "the widget removed", |c| {
        !c.contains("lab/exported")
    })
    .await;
    upload(&client, "#import-file", &exported).await;
    wait_attr(&client, "#notice", "class", "notice info").await;
    wait_present(&client, "[data-widget-id=\"gauge-1\"]").await;
    let before = wait_stored(&client, "the import", |c| c.contains("lab/exported")).await;

    let broken = h.downloads.join("broken.txt");
    std::fs::write(&broken, BROKEN_CONFIG).unwrap();
    upload(&client, "#import-file", &broken).await;
    wait_attr(&client, "#notice", "class", "notice error").await;
    // The words of problems may still be on their way ("…"): read until they are here.
    wait_text_where(&client, "#notice", "the import refused in words", |t| {
        t.contains("Nothing was imported")
    })
    .await;
    // Nothing to wait for: nothing may change. Give a wrong save time to happen.
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(
        local_storage(&client, "tablero.config").await.as_deref(),
        Some(before.as_str()),
        "a failed import changed the stored config"
    );
    find(&client, "[data-widget-id=\"gauge-1\"]")
        .await
        .expect("still there");
    client.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn broker_restart_shows_reconnecting_then_connected_and_values_flow_again() {
    let mut h = Harness::start();
    let client = h.open(1280, 900, "en").await;
    h.broker.stop();
    wait_status(&client, "reconnecting").await;
    let text = text_of(&client, "#status").await;
    assert!(text.contains("Reconnecting in"), "{text}");
    let subscribed_before = subscriptions_to(&h.broker, DEMO_TEMPERATURE);
    h.broker.restart();
    // Full jitter with a 1 s start: after a few failed attempts the wait stays under 8 s;
    // "Retry now" is what a user would press, but the page must get there alone.
    wait_connected_again(&client).await;
    // The restarted broker forgot the session: the page subscribes again.
    wait_for("a new SUBSCRIBE", Duration::from_secs(15), || async {
        let now = subscriptions_to(&h.broker, DEMO_TEMPERATURE);
        if now > subscribed_before {
            Ok(Some(()))
        } else {
            Err(format!("{now} SUBSCRIBEs to {DEMO_TEMPERATURE}"))
        }
    })
    .await;
    h.publish(DEMO_TEMPERATURE, &["-m", "30.5"]);
    wait_text(&client, &widget("temperature", ".gauge-value"), "30.5").await;
    client.close().await.unwrap();
}

const RELAY_SET: &str = "tablero/demo/relay/set";

/// While the broker is away every widget is marked (its data is from before) and the
/// dashboard says so in words. A QoS 1 command made meanwhile waits visibly, within its
/// expiry, and goes out once when the broker is back; back online, the marks go.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn widgets_are_marked_while_disconnected_and_a_command_waits_for_the_connection() {
    let mut h = Harness::start();
    let client = h.open(1280, 900, "en").await;
    h.publish(DEMO_TEMPERATURE, &["-m", "21.5"]);
    wait_text(&client, &widget("temperature", ".gauge-value"), "21.5").await;
    assert_eq!(visible_count(&client, ".widget.offline").await, Ok(0));
    let checked_before = attr_of(&client, &widget("relay", ".switch-toggle"), "aria-checked").await;

    h.broker.stop();
    wait_status(&client, "reconnecting").await;
    wait_text(
        &client,
        ".offline-data",
        "Not connected: data from before the disconnection",
    )
    .await;
    wait_all_widgets_offline(&client).await;
    // The old value stays readable, marked.
    assert_eq!(
        text_of(&client, &widget("temperature", ".gauge-value")).await,
        "21.5"
    );

    // The demo switch is QoS 1 with a 10 s expiry: the tap waits, and says so.
    click(&client, &widget("relay", ".switch-toggle")).await;
    wait_attr(
        &client,
        &widget("relay", ".widget"),
        "data-state",
        "waiting",
    )
    .await;
    wait_text(
        &client,
        &widget("relay", ".switch-waiting"),
        "Not connected: it goes out when the connection is back, if within 10 s",
    )
    .await;
    wait_text(
        &client,
        &widget("relay", ".switch-label"),
        "Waiting for the connection…",
    )
    .await;
    assert_eq!(
        attr_of(&client, &widget("relay", ".switch-toggle"), "aria-checked").await,
        checked_before,
        "the toggle shows what the device last said, not the tap"
    );
    // A second tap while it waits does not queue a second command.
    click(&client, &widget("relay", ".switch-toggle")).await;

    h.broker.restart();
    wait_connected_again(&client).await;
    wait_gone(&client, ".widget.offline").await;
    wait_gone(&client, ".offline-data").await;
    // Sent once the connection is back: now it waits for the device like any command.
    wait_for(
        "the waiting command received by the broker",
        READ_TIMEOUT,
        || async {
            match publishes_received(&h.broker, RELAY_SET) {
                (0, _) => Err("not yet".to_string()),
                n => Ok(Some(n)),
            }
        },
    )
    .await;
    wait_for(
        "the switch waiting for the device",
        READ_TIMEOUT,
        || async {
            match try_attr(&client, &widget("relay", ".widget"), "data-state").await? {
                Some(s) if s == "pending" || s == "no-answer" => Ok(Some(())),
                other => Err(format!("{other:?}")),
            }
        },
    )
    .await;
    assert_eq!(
        visible_count(&client, &widget("relay", ".switch-waiting")).await,
        Ok(0)
    );
    // Nothing more follows (no second tap, no resend of a command that was never out).
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(publishes_received(&h.broker, RELAY_SET), (1, 0));
    client.close().await.unwrap();
}

/// A command whose expiry passes while the broker is away is dropped in words and never
/// sent later; with an expiry of 0 it is refused at the tap. Both set in the switch's editor.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_command_is_dropped_in_words_and_never_sent_late() {
    let mut h = Harness::start();
    let client = h.open(1280, 900, "en").await;
    wait_status(&client, "connected").await;
    let set_expiry = |secs: &'static str| {
        let client = client.clone();
        async move {
            set_editing(&client, true).await;
            click(&client, &widget("relay", ".edit-widget")).await;
            wait_shown(&client, ".widget-editor").await;
            fill(&client, ".widget-editor [name=\"expiry_secs\"]", secs).await;
            save_widget_editor(&client).await;
            set_editing(&client, false).await;
        }
    };
    set_expiry("1").await;
    let checked_before = attr_of(&client, &widget("relay", ".switch-toggle"), "aria-checked").await;

    h.broker.stop();
    wait_status(&client, "reconnecting").await;
    click(&client, &widget("relay", ".switch-toggle")).await;
    wait_text(
        &client,
        &widget("relay", ".switch-expired"),
        "Not sent: the connection did not come back within 1 s",
    )
    .await;
    assert_eq!(
        attr_of(&client, &widget("relay", ".widget"), "data-state")
            .await
            .as_deref(),
        Some("expired")
    );
    assert_eq!(
        attr_of(&client, &widget("relay", ".switch-toggle"), "aria-checked").await,
        checked_before
    );

    // Expiry 0: never waits; refused at the tap, the switch left as it was.
    set_expiry("0").await;
    tap_is_refused_as_not_connected(&client, "relay").await;
    assert_ne!(
        attr_of(&client, &widget("relay", ".widget"), "data-state")
            .await
            .as_deref(),
        Some("waiting")
    );

    h.broker.restart();
    wait_connected_again(&client).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(
        publishes_received(&h.broker, RELAY_SET),
        (0, 0),
        "neither the expired nor the refused command went out"
    );
    client.close().await.unwrap();
}

/// A command still waiting when its connection's settings change goes with the old link:
/// the banner says it was not sent, the switch shows the device's last word again, and the
/// new link never sends it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_waiting_command_is_refused_in_words_when_its_connection_changes() {
    let mut h = Harness::start();
    let client = h.open(1280, 900, "en").await;
    h.broker.stop();
    wait_status(&client, "reconnecting").await;
    click(&client, &widget("relay", ".switch-toggle")).await;
    wait_attr(
        &client,
        &widget("relay", ".widget"),
        "data-state",
        "waiting",
    )
    .await;
    set_connection_version(&client, "5.0").await;
    wait_text_where(&client, "#notice", "the dropped command in words", |t| {
        t.contains("not connected to the broker; nothing was sent")
    })
    .await;
    assert_eq!(
        visible_count(&client, &widget("relay", ".switch-waiting")).await,
        Ok(0)
    );
    assert_ne!(
        attr_of(&client, &widget("relay", ".widget"), "data-state")
            .await
            .as_deref(),
        Some("waiting")
    );
    h.broker.restart();
    wait_connected_again(&client).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(publishes_received(&h.broker, RELAY_SET), (0, 0));
    client.close().await.unwrap();
}

/// English strings of the dictionary that differ from their Spanish twin, read from the
/// source so the check follows every key added.
fn english_only_strings() -> Vec<String> {
    let src = std::fs::read_to_string(root().join("src/i18n.rs")).unwrap();
    let mut es = std::collections::HashMap::new();
    let mut en = Vec::new();
    for line in src.lines() {
        let line = line.trim();
        for (prefix, is_es) in [("(Es, ", true), ("(En, ", false)] {
            if let Some(rest) = line.strip_prefix(prefix)
                && let Some((key, value)) = rest.split_once(") => \"")
                && let Some(value) = value.strip_suffix("\",")
            {
                if is_es {
                    es.insert(key.to_owned(), value.to_owned());
                } else {
                    en.push((key.to_owned(), value.to_owned()));
                }
            }
        }
    }
    en.into_iter()
        .filter(|(k, v)| es.get(k) != Some(v) && !v.contains('{') && v.len() > 3)
        .map(|(_, v)| v)
        .collect()
}

/// Every text a reader sees: text nodes of rendered elements, placeholders, ARIA labels, and
/// the options of every rendered select (options have no layout box of their own).
async fn visible_texts(client: &Client) -> Vec<String> {
    let v = js(
        client,
        r#"const out = [];
           const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
           while (w.nextNode()) {
             const t = w.currentNode.textContent.trim();
             const el = w.currentNode.parentElement;
             if (t && el && el.offsetParent !== null && !el.closest('.widget-title')) out.push(t);
           }
           document.querySelectorAll('input[placeholder], [aria-label]').forEach(e => {
             if (e.offsetParent !== null) out.push((e.getAttribute('placeholder') || e.getAttribute('aria-label')).trim());
           });
           document.querySelectorAll('select').forEach(s => {
             if (s.offsetParent === null) return;
             for (const o of s.options) {
               const t = o.textContent.trim();
               if (t) out.push(t);
             }
           });
           return out;"#,
    )
    .await;
    v.as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s.as_str().map(str::to_owned))
        .collect()
}

/// The option values of a select.
async fn option_values(client: &Client, css: &str) -> Vec<String> {
    let values = client
        .execute(
            "const s = document.querySelector(arguments[0]); \
             return s ? [...s.options].map(o => o.value) : null;",
            vec![css.into()],
        )
        .await
        .unwrap();
    serde_json::from_value(values.clone())
        .unwrap_or_else(|_| panic!("{css} is not a select: {values}"))
}

/// Something only the widget editor's fields for `kind` show, to know they are rendered.
fn kind_marker(kind: &str) -> Option<&'static str> {
    match kind {
        "gauge" => Some(".widget-editor .add-band"),
        "chart" => Some(".widget-editor .add-series"),
        "switch" => Some(".widget-editor [name=\"command_topic\"]"),
        "value" => Some(".widget-editor [name=\"stale_after_secs\"]"),
        _ => None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spanish_shows_no_english_and_the_switch_changes_every_string() {
    let h = Harness::start();
    let client = h.open(1280, 900, "es").await;
    let english = english_only_strings();
    assert!(english.len() > 100, "the dictionary was read");
    // Every place is checked before the test judges, so one run lists every leak.
    // Each English text, with the places it was seen.
    let mut leaks: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    let mut places = 0;
    let mut check = |texts: Vec<String>, place: &str| {
        places += 1;
        assert!(!texts.is_empty(), "nothing visible ({place})");
        for t in texts.iter().filter(|t| english.contains(t)) {
            leaks.entry(t.clone()).or_default().push(place.to_owned());
        }
    };
    check(visible_texts(&client).await, "use mode");
    set_editing(&client, true).await;
    wait_present(&client, "#add-widget").await;
    check(visible_texts(&client).await, "edit mode");
    let toolbar_kinds = js(
        &client,
        "return [...document.querySelectorAll('#new-widget-type option')].map(o => o.textContent.trim())",
    )
    .await;
    let toolbar_kinds: Vec<String> = serde_json::from_value(toolbar_kinds).unwrap();
    assert!(
        toolbar_kinds.len() >= 4 && toolbar_kinds.iter().all(|t| !t.is_empty()),
        "the toolbar's widget types: {toolbar_kinds:?}"
    );
    check(toolbar_kinds, "the toolbar's widget types");

    // The widget editor, once per kind, with its rows and optional parts shown.
    click(&client, "#add-widget").await;
    wait_shown(&client, ".widget-editor").await;
    let type_select = ".widget-editor [name=\"type\"]";
    let kinds = option_values(&client, type_select).await;
    assert!(kinds.len() >= 4, "widget kinds: {kinds:?}");
    for kind in &kinds {
        select(&client, type_select, kind).await;
        if let Some(marker) = kind_marker(kind) {
            wait_present(&client, marker).await;
        }
        check(
            visible_texts(&client).await,
            &format!("widget editor ({kind})"),
        );
        let extra = match kind.as_str() {
            "gauge" => Some((".widget-editor .add-band", ".widget-editor .band-row")),
            "chart" => Some((
                ".widget-editor .add-series",
                ".widget-editor .series-row + .series-row",
            )),
            "switch" => Some((
                ".widget-editor [name=\"retain\"]",
                ".widget-editor .retain-warning",
            )),
            _ => None,
        };
        if let Some((button, shown)) = extra
            && find(&client, button).await.is_ok()
        {
            click(&client, button).await;
            wait_present(&client, shown).await;
            check(
                visible_texts(&client).await,
                &format!("widget editor ({kind}, with a row)"),
            );
        }
    }
    click(&client, ".widget-editor .cancel").await;
    wait_hidden(&client, ".widget-editor").await;

    // The connection editor, plain, then with every optional section shown.
    click(&client, "#edit-connection").await;
    wait_shown(&client, ".connection-editor").await;
    check(visible_texts(&client).await, "connection editor");
    click(&client, ".connection-editor [name=\"will\"]").await;
    wait_present(&client, ".connection-editor [name=\"will.topic\"]").await;
    select(&client, ".connection-editor [name=\"mqtt_version\"]", "5.0").await;
    wait_present(&client, ".connection-editor [name=\"session_expiry_secs\"]").await;
    click(&client, ".connection-editor [name=\"remember_password\"]").await;
    check(
        visible_texts(&client).await,
        "connection editor (will, MQTT 5.0, remembered password)",
    );
    let public = option_values(&client, ".connection-editor [name=\"preset\"]")
        .await
        .into_iter()
        .find(|p| p != "custom");
    if let Some(public) = public {
        select(&client, ".connection-editor [name=\"preset\"]", &public).await;
        wait_present(&client, ".connection-editor .public-warning").await;
        check(
            visible_texts(&client).await,
            &format!("connection editor (preset {public})"),
        );
    }
    click(&client, ".connection-editor .cancel").await;
    wait_hidden(&client, ".connection-editor").await;
    set_editing(&client, false).await;
    assert!(places >= 8, "only {places} places were checked");
    assert!(
        leaks.is_empty(),
        "English left in Spanish:\n{}",
        leaks
            .iter()
            .map(|(text, seen)| format!("{text:?} in {}", seen.join(", ")))
            .collect::<Vec<_>>()
            .join("\n")
    );

    let spanish = visible_texts(&client).await;
    click(&client, "#switch-lang").await;
    wait_text(&client, "#status .status-text", "Connected").await;
    let english_now = visible_texts(&client).await;
    assert_ne!(spanish, english_now);
    assert_eq!(text_of(&client, "#edit-toggle").await, "Edit");
    client.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn phone_and_desktop_layouts_in_both_languages() {
    let h = Harness::start();
    let device = h.tablero(&["device", "--prefix", "tablero/demo", "--interval-ms", "100"]);
    for (w, hgt, name) in [(360, 640, "phone"), (1280, 900, "desktop")] {
        for lang in ["es", "en"] {
            let client = h.open(w, hgt, lang).await;
            wait_text_where(
                &client,
                &widget("temperature", ".gauge-value"),
                "data",
                |t| t.contains('.'),
            )
            .await;
            // Let the first readings settle the layout (fonts, chart, value widths).
            tokio::time::sleep(Duration::from_millis(1500)).await;
            let inner = js(&client, "return window.innerWidth").await;
            assert_eq!(inner.as_i64(), Some(i64::from(w)));
            let overflow = js(
                &client,
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth",
            )
            .await;
            assert_eq!(
                overflow.as_i64(),
                Some(0),
                "horizontal scroll at {w} px ({lang})"
            );
            if w < 500 {
                // Touch targets: every visible button at least 44 px tall.
                let small = js(
                    &client,
                    r#"return [...document.querySelectorAll('button')]
                         .filter(b => b.offsetParent !== null && b.getBoundingClientRect().height < 44)
                         .map(b => b.textContent.trim() || b.className);"#,
                )
                .await;
                assert_eq!(
                    small.as_array().map(Vec::len),
                    Some(0),
                    "small touch targets: {small}"
                );
            }
            screenshot(&client, &format!("dashboard-{name}-{lang}.png")).await;
            client.close().await.unwrap();
        }
    }
    drop(device);
}

#[test]
fn unreachable_broker_is_explained() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let server = StaticServer::start(root().join("dist"));
        let driver = ChromeDriver::start();
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(driver.capabilities(1280, 900))
            .connect(&driver.url())
            .await
            .unwrap();
        let port = testkit::free_port();
        client
            .goto(&format!(
                "{}?broker=ws://127.0.0.1:{port}&lang=en",
                server.url()
            ))
            .await
            .unwrap();
        wait_status(&client, "reconnecting").await;
        // Each failed attempt renders the detail anew, and the words of problems are a part
        // fetched with the first one ("…" until they arrive): the wait reads it again until
        // it says why.
        let detail = wait_text_where(
            &client,
            "#status .status-detail",
            "the reason in words",
            |d| d.contains("nothing answers"),
        )
        .await;
        assert!(
            detail.contains(&format!("ws://127.0.0.1:{port}/")),
            "{detail}"
        );
        client.close().await.unwrap();
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_dashboards_on_two_brokers_are_live_at_once() {
    let h = Harness::start();
    let second = Mosquitto::start();
    let client = h.open(1280, 900, "en").await;
    set_editing(&client, true).await;
    click(&client, "#add-dashboard").await;
    click(&client, "#add-connection").await;
    wait_shown(&client, ".connection-editor").await;
    select(&client, ".connection-editor [name=\"preset\"]", "custom").await;
    select(&client, ".connection-editor [name=\"scheme\"]", "ws").await;
    fill(&client, ".connection-editor [name=\"name\"]", "Second").await;
    fill(&client, ".connection-editor [name=\"host\"]", "127.0.0.1").await;
    fill(
        &client,
        ".connection-editor [name=\"port\"]",
        &second.ws_port.unwrap().to_string(),
    )
    .await;
    fill(&client, ".connection-editor [name=\"path\"]", "/").await;
    click(&client, ".connection-editor .save").await;
    wait_hidden(&client, ".connection-editor").await;
    set_editing(&client, false).await;
    add_widget(&client, "value", "From B", &[("binding.topic", "b/topic")]).await;
    wait_status(&client, "connected").await;
    // A new connection's version is "auto", and mosquitto speaks 5.0: the status says so.
    wait_text(
        &client,
        "#status .status-text",
        "Connected (MQTT 5.0, auto)",
    )
    .await;
    wait_subscribed(&second, "b/topic").await;
    let status = Command::new(require_program("mosquitto_pub"))
        .args(["-h", "127.0.0.1", "-p", &second.tcp_port.to_string()])
        .args(["-t", "b/topic", "-m", "from-b"])
        .status()
        .unwrap();
    assert!(status.success());
    wait_text(&client, &widget("value-1", ".value-number"), "from-b").await;

    // The first broker's link stayed open: its dashboard has the value already.
    wait_subscribed(&h.broker, DEMO_TEMPERATURE).await;
    h.publish(DEMO_TEMPERATURE, &["-m", "12.5"]);
    wait_broker(
        &h.broker,
        "the first broker sending the value to the page",
        |e| matches!(e, BrokerEvent::Deliver { topic, .. } if topic == DEMO_TEMPERATURE),
    )
    .await;
    click(&client, ".tab[data-dashboard-id=\"demo\"]").await;
    wait_text(&client, &widget("temperature", ".gauge-value"), "12.5").await;
    client.close().await.unwrap();
}

/// The widget ids of a dashboard in a stored configuration.
fn stored_widget_ids(config: &str, dashboard: &str) -> Vec<String> {
    let config: serde_json::Value = serde_json::from_str(config).unwrap_or_default();
    config["dashboards"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| d["id"] == dashboard)
        .flat_map(|d| d["widgets"].as_array().into_iter().flatten())
        .filter_map(|w| w["id"].as_str().map(str::to_owned))
        .collect()
}

/// Waits until the shown widgets are `expected`, in that order.
async fn wait_order(client: &Client, expected: &[&str], what: &str) {
    wait_for(what, Duration::from_secs(10), || async {
        let ids = widget_ids(client).await;
        if ids == expected {
            Ok(Some(()))
        } else {
            Err(format!("{ids:?}"))
        }
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn move_buttons_reorder_widgets_and_the_order_is_kept() {
    let h = Harness::start();
    let client = h.open(1280, 900, "en").await;
    wait_order(
        &client,
        &["temperature", "relay", "humidity", "history"],
        "the demo's order",
    )
    .await;
    set_editing(&client, true).await;
    click(&client, ".cell[data-widget-id=\"humidity\"] .move-up").await;
    wait_order(
        &client,
        &["temperature", "humidity", "relay", "history"],
        "humidity moved up",
    )
    .await;
    click(&client, ".cell[data-widget-id=\"temperature\"] .move-down").await;
    let expected = ["humidity", "temperature", "relay", "history"];
    wait_order(&client, &expected, "temperature moved down").await;
    wait_stored(&client, "the new order", |c| {
        stored_widget_ids(c, "demo") == expected
    })
    .await;
    client.refresh().await.unwrap();
    wait_status(&client, "connected").await;
    assert_eq!(
        widget_ids(&client).await,
        expected,
        "the order survived a reload"
    );
    client.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn editing_widgets_never_reconnects_and_subscriptions_follow() {
    let h = Harness::start();
    let client = h.open(1280, 900, "en").await;
    let start = h.broker.events();
    let page = match start
        .iter()
        .filter_map(|e| match e {
            BrokerEvent::Connect { client } => Some(client.clone()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .as_slice()
    {
        [one] => one.clone(),
        other => panic!("expected the page's CONNECT alone, got {other:?}"),
    };

    // Eight widgets on topics of their own, and one on a topic the demo already uses.
    let mut churn: Vec<(String, String)> = Vec::new();
    for n in 0..8 {
        let topic = format!("e2e/churn/{n}");
        let id = add_widget(
            &client,
            "value",
            &format!("Churn {n}"),
            &[("binding.topic", &topic)],
        )
        .await;
        churn.push((id, topic));
    }
    let shared = add_widget(
        &client,
        "value",
        "Shared",
        &[("binding.topic", DEMO_TEMPERATURE)],
    )
    .await;

    // A new topic for the first widget.
    let (edited, old_topic) = churn[0].clone();
    let new_topic = "e2e/churn/edited";
    set_editing(&client, true).await;
    click(&client, &widget(&edited, ".edit-widget")).await;
    wait_shown(&client, ".widget-editor").await;
    fill(
        &client,
        ".widget-editor [name=\"binding.topic\"]",
        new_topic,
    )
    .await;
    save_widget_editor(&client).await;

    // The widget that shares the demo's topic goes first: the UNSUBSCRIBEs that the two
    // later removals cause then prove that whatever the first one sent has arrived.
    remove_widget(&client, &shared).await;
    let removed = [churn[1].clone(), churn[2].clone()];
    for (id, _) in &removed {
        remove_widget(&client, id).await;
    }
    set_editing(&client, false).await;

    let mut subscribed: Vec<String> = churn.iter().map(|(_, t)| t.clone()).collect();
    subscribed.push(new_topic.to_owned());
    let mut unsubscribed = vec![old_topic.clone()];
    unsubscribed.extend(removed.iter().map(|(_, t)| t.clone()));
    // Until every expected request is in, or a reconnect already decides the test.
    let since = wait_for(
        "the SUBSCRIBEs and UNSUBSCRIBEs the edits call for",
        Duration::from_secs(15),
        || async {
            let since: Vec<BrokerEvent> = h.broker.events().split_off(start.len());
            if since
                .iter()
                .any(|e| matches!(e, BrokerEvent::Connect { .. }))
            {
                return Ok(Some(since));
            }
            let missing: Vec<String> = subscribed
                .iter()
                .filter(|t| {
                    !since
                        .iter()
                        .any(|e| matches!(e, BrokerEvent::Subscribe { filter, .. } if filter == *t))
                })
                .map(|t| format!("SUBSCRIBE {t}"))
                .chain(
                    unsubscribed
                        .iter()
                        .filter(|t| {
                            !since.iter().any(|e| {
                                matches!(e, BrokerEvent::Unsubscribe { filter, .. } if filter == *t)
                            })
                        })
                        .map(|t| format!("UNSUBSCRIBE {t}")),
                )
                .collect();
            if missing.is_empty() {
                Ok(Some(since))
            } else {
                Err(format!(
                    "missing {missing:?}; the broker saw {}",
                    requests(&since)
                ))
            }
        },
    )
    .await;

    let connects = since
        .iter()
        .filter(|e| matches!(e, BrokerEvent::Connect { .. }))
        .count();
    assert_eq!(
        connects,
        0,
        "editing widgets reconnected: the broker saw {}",
        requests(&since)
    );
    let strangers: Vec<&BrokerEvent> = since
        .iter()
        .filter(|e| match e {
            BrokerEvent::Subscribe { client, .. } | BrokerEvent::Unsubscribe { client, .. } => {
                client != &page
            }
            _ => false,
        })
        .collect();
    assert!(
        strangers.is_empty(),
        "requests from another client than the page ({page}): {strangers:?}"
    );
    let mut unsubscribed_now: Vec<&str> = since
        .iter()
        .filter_map(|e| match e {
            BrokerEvent::Unsubscribe { filter, .. } => Some(filter.as_str()),
            _ => None,
        })
        .collect();
    unsubscribed_now.sort_unstable();
    let mut expected: Vec<&str> = unsubscribed.iter().map(String::as_str).collect();
    expected.sort_unstable();
    assert!(
        !unsubscribed_now.contains(&DEMO_TEMPERATURE),
        "{DEMO_TEMPERATURE} was unsubscribed while the demo gauge still uses it: {}",
        requests(&since)
    );
    assert_eq!(
        unsubscribed_now, expected,
        "exactly the topics no widget uses any more are unsubscribed, once each"
    );

    // Values still flow: to a new widget, to the edited one, and to the demo's shared topic.
    let (kept, kept_topic) = &churn[3];
    h.publish(kept_topic, &["-m", "churn-3"]);
    wait_text(&client, &widget(kept, ".value-number"), "churn-3").await;
    h.publish(new_topic, &["-m", "edited-ok"]);
    wait_text(&client, &widget(&edited, ".value-number"), "edited-ok").await;
    h.publish(DEMO_TEMPERATURE, &["-m", "17.5"]);
    wait_text(&client, &widget("temperature", ".gauge-value"), "17.5").await;
    assert_eq!(
        attr_of(&client, "#status", "data-state").await.as_deref(),
        Some("connected")
    );
    client.close().await.unwrap();
}

/// Where the focus is, as seen from the open dialog: `{inside, open, what}`.
async fn focus_in_dialog(client: &Client) -> (bool, bool, String) {
    let v = js(
        client,
        r#"const d = document.querySelector('dialog[open]');
           const a = document.activeElement;
           const what = a ? (a.tagName.toLowerCase() + (a.id ? '#' + a.id : '')
             + (a.className && typeof a.className === 'string' ? '.' + a.className.trim().split(/\s+/).join('.') : '')
             + (a.name ? '[name="' + a.name + '"]' : '')) : 'nothing';
           return { open: !!d, inside: !!(d && a && d.contains(a)), what };"#,
    )
    .await;
    (
        v["inside"].as_bool().unwrap_or(false),
        v["open"].as_bool().unwrap_or(false),
        v["what"].as_str().unwrap_or("?").to_owned(),
    )
}

/// Opens an editor with `opener` and checks it is a modal `<dialog>` that holds the focus,
/// closes on Escape and gives the focus back to `opener`.
async fn check_modal_editor(client: &Client, opener: &str, form: &str) {
    let widgets_before = widget_ids(client).await;
    click(client, opener).await;
    wait_shown(client, form).await;
    let holder = client
        .execute(
            "const f = document.querySelector(arguments[0]); \
             const d = f && f.closest('dialog'); \
             return d ? (d.open ? 'open dialog' : 'closed dialog') \
               : (f ? f.parentElement.tagName.toLowerCase() + '.' + f.parentElement.className : 'none');",
            vec![form.into()],
        )
        .await
        .unwrap();
    assert_eq!(
        holder,
        serde_json::json!("open dialog"),
        "{form} opened by {opener} is inside an open <dialog>"
    );
    wait_present(client, &format!("dialog[open] {form}")).await;
    let modal = js(
        client,
        "const d = document.querySelector('dialog[open]'); return d && d.matches(':modal');",
    )
    .await;
    assert_eq!(
        modal,
        serde_json::json!(true),
        "{form} opened by {opener} is in a modal dialog"
    );
    wait_for(
        &format!("the focus inside the dialog of {form}"),
        Duration::from_secs(5),
        || async {
            match focus_in_dialog(client).await {
                (true, _, _) => Ok(Some(())),
                (false, _, what) => Err(format!("focus on {what}")),
            }
        },
    )
    .await;
    for n in 1..=30 {
        press(client, Key::Tab).await;
        let (inside, open, what) = focus_in_dialog(client).await;
        assert!(open, "Tab {n} closed the dialog of {form}");
        assert!(
            inside,
            "Tab {n} took the focus out of the dialog of {form}, to {what}"
        );
    }
    press(client, Key::Escape).await;
    wait_gone(client, "dialog[open]").await;
    wait_hidden(client, form).await;
    wait_for(
        &format!("the focus back on {opener}"),
        Duration::from_secs(5),
        || async {
            let back = client
                .execute(
                    "const a = document.activeElement; return !!a && a.matches(arguments[0]);",
                    vec![opener.into()],
                )
                .await
                .map_err(|e| e.to_string())?;
            if back == serde_json::json!(true) {
                Ok(Some(()))
            } else {
                Err(format!("focus on {}", focus_in_dialog(client).await.2))
            }
        },
    )
    .await;
    assert_eq!(
        widget_ids(client).await,
        widgets_before,
        "Escape on {form} changed the widgets"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn editor_is_a_modal_dialog_with_focus_escape_and_return() {
    let h = Harness::start();
    let client = h.open(1280, 900, "en").await;
    set_editing(&client, true).await;
    check_modal_editor(&client, "#add-widget", ".widget-editor").await;
    assert_eq!(
        js(&client, "return document.activeElement.id").await,
        serde_json::json!("add-widget")
    );
    check_modal_editor(&client, "#edit-connection", ".connection-editor").await;
    let title = text_of(&client, &widget("temperature", ".widget-title")).await;
    check_modal_editor(
        &client,
        &widget("temperature", ".edit-widget"),
        ".widget-editor",
    )
    .await;
    assert_eq!(
        text_of(&client, &widget("temperature", ".widget-title")).await,
        title,
        "Escape left the edited widget as it was"
    );
    assert_eq!(
        attr_of(&client, "#status", "data-state").await.as_deref(),
        Some("connected"),
        "cancelling the connection editor left the link alone"
    );
    client.close().await.unwrap();
}

async fn document_lang(client: &Client) -> String {
    js(client, "return document.documentElement.lang")
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

async fn wait_document_lang(client: &Client, lang: &str) {
    wait_for(
        &format!("<html lang=\"{lang}\">"),
        Duration::from_secs(10),
        || async {
            let now = document_lang(client).await;
            if now == lang {
                Ok(Some(()))
            } else {
                Err(format!("lang=\"{now}\""))
            }
        },
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn html_lang_follows_the_language() {
    let h = Harness::start();
    let client = h.open(1280, 900, "es").await;
    wait_document_lang(&client, "es").await;
    click(&client, "#switch-lang").await;
    wait_text(&client, "#status .status-text", "Connected").await;
    wait_document_lang(&client, "en").await;
    client.goto(&h.page_url("en")).await.unwrap();
    wait_status(&client, "connected").await;
    wait_document_lang(&client, "en").await;
    client.close().await.unwrap();
}

/// A configuration file cut short, as a failed download leaves it.
const BROKEN_CONFIG: &str = "{\"version\": 1, \"connections\": [";

/// English that parsers, validators and the topic rules produce; none of it may reach a
/// Spanish reader. Matched on whole words, case-insensitively.
const ENGLISH_IMPORT_ERRORS: &[&str] = &[
    "eof",
    "while parsing",
    "not a tablero",
    "expected",
    "at line",
    "column",
    "trailing",
    "invalid type",
    "invalid value",
    "missing field",
    "unknown field",
    "the file",
    "could not",
    "problem",
    "the limit is",
    "made by a newer",
    "schema",
];
const ENGLISH_TOPIC_ERRORS: &[&str] = &[
    "the wildcard",
    "must be",
    "must not",
    "alone",
    "last level",
    "whole level",
    "topic filter",
    "a topic",
    "level of",
];
/// Words that show a message is English (for the English half of the checks).
const ENGLISH_WORDS: &[&str] = &[
    "the", "is", "not", "of", "at", "while", "expected", "line", "column", "file", "end", "an",
    "list", "must", "be", "wildcard", "level", "filter", "topic", "alone", "valid", "only",
];

/// `text` as lower-case words separated by single spaces, with a space at each end, so that
/// ` phrase ` finds whole words only (`column` is not found in `columna`).
fn words(text: &str) -> String {
    let mut out = String::from(" ");
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        out.push_str(&word.to_lowercase());
        out.push(' ');
    }
    out
}

fn phrases_in<'a>(text: &str, phrases: &[&'a str]) -> Vec<&'a str> {
    let text = words(text);
    phrases
        .iter()
        .copied()
        .filter(|p| text.contains(&format!(" {p} ")))
        .collect()
}

/// Imports a broken file and returns the notice; then types a misplaced wildcard into a
/// value widget's topic and returns the error under that field.
async fn import_and_topic_errors(client: &Client, broken: &Path) -> (String, String) {
    set_editing(client, true).await;
    upload(client, "#import-file", broken).await;
    wait_attr(client, "#notice", "class", "notice error").await;
    // "…" until the words of problems are here (a part fetched with the first problem).
    let notice = wait_text_where(client, "#notice", "the refusal in words", |t| {
        !t.starts_with('…')
    })
    .await;

    select(client, "#new-widget-type", "value").await;
    click(client, "#add-widget").await;
    wait_shown(client, ".widget-editor").await;
    fill(
        client,
        ".widget-editor [name=\"binding.topic\"]",
        "casa/#/luz",
    )
    .await;
    let error = wait_text_where(
        client,
        ".widget-editor .field-error[data-field=\"binding.topic\"]",
        "the topic's error",
        |t| !t.trim().is_empty(),
    )
    .await;
    click(client, ".widget-editor .cancel").await;
    wait_hidden(client, ".widget-editor").await;
    set_editing(client, false).await;
    (notice, error)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_are_in_the_readers_language() {
    let h = Harness::start();
    let broken = h.downloads.join("broken.json");
    std::fs::write(&broken, BROKEN_CONFIG).unwrap();

    // All four checks run before the test judges, so one run shows every wrong message.
    let mut wrong: Vec<String> = Vec::new();
    let client = h.open(1280, 900, "es").await;
    let (notice, topic_error) = import_and_topic_errors(&client, &broken).await;
    let english = phrases_in(&notice, ENGLISH_IMPORT_ERRORS);
    if !english.is_empty() {
        wrong.push(format!(
            "English {english:?} in the Spanish import notice: {notice:?}"
        ));
    }
    let english = phrases_in(&topic_error, ENGLISH_TOPIC_ERRORS);
    if !english.is_empty() {
        wrong.push(format!(
            "English {english:?} in the Spanish topic error: {topic_error:?}"
        ));
    }

    client.goto(&h.page_url("en")).await.unwrap();
    wait_status(&client, "connected").await;
    let (notice, topic_error) = import_and_topic_errors(&client, &broken).await;
    let detail = notice.replacen("Nothing was imported", "", 1);
    if !notice.contains("Nothing was imported") || phrases_in(&detail, ENGLISH_WORDS).is_empty() {
        wrong.push(format!(
            "the English import notice does not explain in English: {notice:?}"
        ));
    }
    if phrases_in(&topic_error, ENGLISH_WORDS).is_empty() {
        wrong.push(format!(
            "the English topic error is not English: {topic_error:?}"
        ));
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    client.close().await.unwrap();
}

// ---------------------------------------------------------------------------------------
// Other broker families: the same page against aedes, amqtt and rumqttd (mosquitto is the
// broker of every test above).
// ---------------------------------------------------------------------------------------

/// A `tablero sub` printing one topic, read line by line on a thread. Readiness is its own
/// probe coming back, which works on any broker (the tests above read mosquitto's log).
struct Listener {
    _proc: Proc,
    lines: std::sync::mpsc::Receiver<String>,
    port: u16,
    topic: String,
}

impl Listener {
    fn start(port: u16, topic: &str) -> Self {
        let mut child = Command::new(tablero_bin())
            .args([
                "sub",
                "-h",
                "127.0.0.1",
                "-p",
                &port.to_string(),
                "-t",
                topic,
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start tablero sub");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            use std::io::BufRead;
            for line in std::io::BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
            {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let listener = Self {
            _proc: Proc(child),
            lines,
            port,
            topic: topic.to_owned(),
        };
        listener.wait_ready();
        listener
    }

    fn wait_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            tablero_pub(self.port, &self.topic, &["-m", "probe"]);
            if let Ok(line) = self.lines.recv_timeout(Duration::from_millis(300))
                && line == "probe"
            {
                // Probes still in flight are drained by `expect`.
                return;
            }
        }
        panic!("tablero sub on {} never received its probe", self.topic);
    }

    /// Waits for `expected`, skipping late probes.
    fn expect(&self, expected: &str) {
        let deadline = Instant::now() + Duration::from_secs(15);
        let mut seen = Vec::new();
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(line) if line == expected => return,
                Ok(line) => seen.push(line),
                Err(_) => break,
            }
        }
        panic!("{} never carried {expected:?}; saw {seen:?}", self.topic);
    }
}

fn tablero_pub(port: u16, topic: &str, args: &[&str]) {
    let status = Command::new(tablero_bin())
        .args([
            "pub",
            "-h",
            "127.0.0.1",
            "-p",
            &port.to_string(),
            "-t",
            topic,
        ])
        .args(args)
        .stdout(Stdio::null())
        .status()
        .expect("run tablero pub");
    assert!(status.success(), "tablero pub to {topic}");
}

/// A fresh `broker`, and a page on its first visit pointed at the broker's WebSocket
/// listener (the demo connection, 3.1.1), connected. The harness serves the page and drives
/// the browser (its own mosquitto stays idle).
async fn first_visit_to(broker: Broker) -> (RunningBroker, Harness, Client) {
    let b = broker.start();
    let ws = b.ws_url(MqttVersion::V311).expect("a WebSocket listener");
    let h = Harness::start();
    let client = h.browser(1280, 900).await;
    client
        .goto(&format!("{}?broker={ws}&lang=en", h.server.url()))
        .await
        .unwrap();
    wait_status(&client, "connected").await;
    (b, h, client)
}

/// The demo dashboard on `broker`: the gauge shows a publish, and a tap on the switch
/// reaches the broker.
async fn demo_dashboard_works_with(broker: Broker) {
    let (b, _h, client) = first_visit_to(broker).await;
    let tcp = b.tcp_port(MqttVersion::V311);
    // Retained, so it reaches the page whenever its SUBSCRIBE lands (no broker log to read).
    tablero_pub(tcp, DEMO_TEMPERATURE, &["-r", "-m", "21.5"]);
    wait_text(&client, &widget("temperature", ".gauge-value"), "21.5").await;
    tablero_pub(tcp, DEMO_TEMPERATURE, &["-m", "23.25", "-q", "1"]);
    wait_text(&client, &widget("temperature", ".gauge-value"), "23.3").await;

    let commands = Listener::start(tcp, "tablero/demo/relay/set");
    click(&client, &widget("relay", ".switch-toggle")).await;
    commands.expect("on");
    client.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_dashboard_works_with_aedes() {
    demo_dashboard_works_with(Broker::Aedes).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_dashboard_works_with_amqtt() {
    demo_dashboard_works_with(Broker::Amqtt).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_dashboard_works_with_rumqttd() {
    demo_dashboard_works_with(Broker::Rumqttd).await;
}

/// A broker that speaks only 3.1.1: "auto" falls back and says so (and remembers it apart
/// from the configuration); an exact 5.0 is refused in words, and one tap on "Use 3.1.1"
/// connects.
async fn version_negotiation_with(broker: Broker) {
    let (b, _h, client) = first_visit_to(broker).await;
    let ws = b.ws_url(MqttVersion::V311).expect("a WebSocket listener");

    set_connection_version(&client, "auto").await;
    wait_text(
        &client,
        "#status .status-text",
        "Connected (MQTT 3.1.1, auto)",
    )
    .await;
    let remembered = local_storage(&client, "tablero.mqtt311")
        .await
        .unwrap_or_default();
    assert!(remembered.lines().any(|l| l == ws), "{remembered:?}");

    set_connection_version(&client, "5.0").await;
    let detail = wait_text_where(&client, "#status .status-detail", "names 5.0", |t| {
        t.contains("speak MQTT 5.0")
    })
    .await;
    wait_text(&client, "#status .retry", "Use 3.1.1").await;
    screenshot(&client, &format!("version-refused-{}.png", broker.name())).await;
    click(&client, "#status .retry").await;
    wait_status(&client, "connected").await;
    wait_text(&client, "#status .status-text", "Connected").await;
    let stored = wait_stored(&client, "the connection set to 3.1.1", |c| {
        c.contains("\"mqtt_version\": \"3.1.1\"")
    })
    .await;
    assert!(!stored.contains("\"5.0\""), "{detail}");
    client.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn version_negotiation_with_aedes() {
    version_negotiation_with(Broker::Aedes).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn version_negotiation_with_amqtt() {
    version_negotiation_with(Broker::Amqtt).await;
}

/// rumqttd 0.20.0 sends no CONNACK to a 5.0 CONNECT on its 3.1.1 listener: it resets the
/// WebSocket. The page reads that as the server closing right after CONNECT, which is the
/// sign "auto" falls back on, and an exact 5.0 says "may not speak".
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn version_negotiation_with_rumqttd() {
    version_negotiation_with(Broker::Rumqttd).await;
}

/// Publishes the file's bytes with mosquitto_pub (a megabyte does not fit on a command line).
fn publish_file(port: u16, topic: &str, file: &Path) {
    let status = Command::new(require_program("mosquitto_pub"))
        .args([
            "-V",
            "mqttv311",
            "-h",
            "127.0.0.1",
            "-p",
            &port.to_string(),
            "-t",
            topic,
        ])
        .arg("-f")
        .arg(file)
        .status()
        .expect("run mosquitto_pub");
    assert!(status.success(), "mosquitto_pub failed");
}

async fn page_height(client: &Client) -> i64 {
    js(client, "return document.documentElement.scrollHeight")
        .await
        .as_i64()
        .expect("a height")
}

/// Over aedes: mosquitto 2.0.11's WebSocket path takes seconds per 100 KB (docs/INTEROP.md).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_megabyte_payload_is_shown_bounded_with_all_of_it_on_demand() {
    let (b, _h, client) = first_visit_to(Broker::Aedes).await;
    let tcp = b.tcp_port(MqttVersion::V311);
    let raw = add_widget(&client, "value", "Raw", &[("binding.topic", "lab/raw")]).await;
    set_editing(&client, false).await;
    let dir = std::env::temp_dir().join(format!("tablero-big-{}", testkit::free_port()));
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: &str, text: &str| {
        let file = dir.join(name);
        std::fs::write(&file, text).unwrap();
        file
    };
    // The card's height with a text just over what it shows in place...
    publish_file(tcp, "lab/raw", &write("small", &"a".repeat(300)));
    wait_text_where(
        &client,
        &widget(&raw, ".value-number"),
        "a 300-character text cut",
        |t| t.starts_with("aaa") && t.ends_with('…'),
    )
    .await;
    let bounded = page_height(&client).await;
    // ...is its height with a megabyte: what is shown does not grow with the payload.
    let mega = format!("{}{}", "b".repeat(1 << 20), "END");
    publish_file(tcp, "lab/raw", &write("mega", &mega));
    let shown = wait_text_where(
        &client,
        &widget(&raw, ".value-number"),
        "the megabyte, cut",
        |t| t.starts_with("bbb"),
    )
    .await;
    assert_eq!(
        shown.chars().count(),
        281,
        "280 characters and an ellipsis: {shown:.40}"
    );
    assert_eq!(
        page_height(&client).await,
        bounded,
        "the page grew with the payload"
    );
    // All of it, on demand.
    let full = js(
        &client,
        &format!(
            "return document.querySelector('{}').textContent.length",
            widget(&raw, ".value-full pre")
        ),
    )
    .await;
    assert_eq!(full.as_u64(), Some(mega.len() as u64));
    // A switch's "unknown state" quotes a bounded excerpt of what the state topic said: the
    // same height with a megabyte as with 30 characters.
    publish_file(
        tcp,
        "tablero/demo/relay/state",
        &write("state30", &"c".repeat(30)),
    );
    wait_text_where(
        &client,
        &widget("relay", ".switch-label"),
        "an unknown state",
        |t| t.contains("ccc"),
    )
    .await;
    let with_short_state = page_height(&client).await;
    publish_file(tcp, "tablero/demo/relay/state", &write("state", &mega));
    let label = wait_text_where(
        &client,
        &widget("relay", ".switch-label"),
        "the unknown state",
        |t| t.contains("bbb"),
    )
    .await;
    assert!(label.chars().count() < 60, "label not bounded: {label:.80}");
    assert_eq!(
        page_height(&client).await,
        with_short_state,
        "the page grew with the switch label"
    );
    let _ = std::fs::remove_dir_all(&dir);
    client.close().await.unwrap();
}

/// Served as a GitHub Pages project site serves it (under `/<repo>/`, another page at the
/// root): the app loads every file by a relative URL, connects, fetches its parts on demand
/// from the same sub-path, and its icon is there (no request of the page fails).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_app_works_under_a_sub_path_with_its_icon() {
    let h = Harness::start();
    let site = temp_site("site");
    std::fs::write(site.join("index.html"), "<p>the user's own site</p>").unwrap();
    std::os::unix::fs::symlink(root().join("dist"), site.join("tablero")).unwrap();
    let server = StaticServer::start(&site);
    let client = h.browser(390, 844).await;
    client
        .goto(&h.page_url_at(&format!("{}tablero/", server.url()), "es"))
        .await
        .unwrap();
    wait_status(&client, "connected").await;
    assert_eq!(widget_ids(&client).await.len(), 4, "the demo dashboard");
    // A part loaded on demand comes from the same sub-path: edit mode's toolbar.
    set_editing(&client, true).await;
    wait_shown(&client, "#add-widget").await;
    let icon = js(
        &client,
        "return fetch(document.querySelector('link[rel=icon]').href) \
           .then(r => [r.url, r.status, r.headers.get('content-type') || ''])",
    )
    .await;
    let icon = icon.as_array().unwrap();
    assert!(
        icon[0].as_str().unwrap().ends_with("/tablero/favicon.svg"),
        "{icon:?}"
    );
    assert_eq!(icon[1], 200, "{icon:?}");
    assert!(icon[2].as_str().unwrap().contains("svg"), "{icon:?}");
    let failed = js(
        &client,
        "return performance.getEntriesByType('resource') \
           .filter(e => e.responseStatus >= 400 || !e.name.includes('/tablero/')) \
           .map(e => e.name + ' ' + e.responseStatus)",
    )
    .await;
    assert_eq!(
        failed,
        serde_json::json!([]),
        "requests that failed or left the sub-path"
    );
    // The service worker's scope is the sub-path, and what it keeps is under it.
    let scope = js(
        &client,
        "return navigator.serviceWorker.ready.then(r => r.scope)",
    )
    .await;
    assert!(
        scope.as_str().unwrap().ends_with("/tablero/"),
        "service worker scope {scope}"
    );
    screenshot(&client, "sub-path-es-390").await;
    client.close().await.unwrap();
    let _ = std::fs::remove_dir_all(&site);
}

/// Every cache of the page's origin, by name, with the paths it holds; `None` until a
/// service worker controls the page.
async fn caches_of(client: &Client) -> Option<Vec<(String, Vec<String>)>> {
    let found = js(
        client,
        "if (!navigator.serviceWorker.controller) return null; \
         return caches.keys().then(names => Promise.all(names.map(name => \
           caches.open(name).then(c => c.keys()).then(rs => \
             [name, rs.map(r => new URL(r.url).pathname).sort()]))))",
    )
    .await;
    serde_json::from_value(found).ok()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_app_is_installable_and_opens_again_with_its_server_gone() {
    let mut h = Harness::start();
    let server = StaticServer::start(root().join("dist"));
    let client = h.browser(360, 640).await;
    let url = h.page_url_at(&server.url(), "es");
    client.goto(&url).await.unwrap();
    wait_status(&client, "connected").await;

    // The manifest, and every icon it lists fetched as the browser resolves it.
    let manifest = js(
        &client,
        "const at = document.querySelector('link[rel=manifest]').href; \
         return fetch(at).then(r => r.json()).then(m => Promise.all(m.icons.map(i => \
           fetch(new URL(i.src, at)).then(r => [i.sizes, i.purpose, r.status, \
             r.headers.get('content-type')])))\
           .then(icons => [m.name, m.start_url, m.scope, m.display, icons]))",
    )
    .await;
    assert_eq!(manifest[0], "Tablero", "{manifest}");
    assert_eq!(manifest[1], "./", "start_url, relative: any sub-path");
    assert_eq!(manifest[2], "./", "scope");
    assert_eq!(manifest[3], "standalone");
    let icons = manifest[4].as_array().unwrap();
    let sizes: Vec<&str> = icons.iter().map(|i| i[0].as_str().unwrap()).collect();
    assert_eq!(sizes, ["any", "192x192", "512x512"], "{manifest}");
    for icon in icons {
        assert_eq!(icon[1], "any maskable", "{icon}");
        assert_eq!(icon[2], 200, "{icon}");
        assert!(icon[3].as_str().unwrap().starts_with("image/"), "{icon}");
    }

    // The service worker takes the page and keeps the first load under this build's name.
    let caches = wait_for(
        "a service worker controlling the page, with the app's files kept",
        Duration::from_secs(30),
        || async {
            match caches_of(&client).await {
                Some(c) if c.len() == 1 && c[0].1.len() >= 7 => Ok(Some(c)),
                other => Err(format!("{other:?}")),
            }
        },
    )
    .await;
    let (name, kept) = &caches[0];
    assert!(name.starts_with("tablero-"), "{name}");
    for wanted in [
        ".wasm",
        ".js",
        ".css",
        "manifest.webmanifest",
        "favicon.svg",
    ] {
        assert!(
            kept.iter().any(|p| p.ends_with(wanted)),
            "{wanted} not kept: {kept:?}"
        );
    }
    assert!(kept.contains(&"/".to_owned()), "the page itself: {kept:?}");
    // What Chromium itself checks before it offers to install the app.
    assert_installable(&h, &client).await;

    // The site goes away (a phone out of coverage, a server down): the app opens anyway, and
    // a part loaded on demand that was used once opens too.
    set_editing(&client, true).await;
    wait_shown(&client, "#add-widget").await;
    set_editing(&client, false).await;
    drop(server);
    client.goto(&url).await.unwrap();
    wait_status(&client, "connected").await;
    assert_eq!(
        widget_ids(&client).await.len(),
        4,
        "the dashboard, from the cache"
    );
    set_editing(&client, true).await;
    wait_shown(&client, "#add-widget").await;
    set_editing(&client, false).await;

    // No network at all: the status says so in words, without a "retry" that cannot help,
    // and the app reconnects by itself when the network is back.
    set_network(&h, &client, false).await;
    // Emulation leaves an open WebSocket open (loopback); the broker restarting closes it, as
    // a dead network does once keepalive notices, and every attempt after fails offline.
    h.broker.restart();
    wait_text_where(
        &client,
        "#status .status-detail",
        "Este dispositivo no tiene red",
        |s| s.starts_with("Este dispositivo no tiene red"),
    )
    .await;
    assert!(
        find(&client, "#status .retry").await.is_err(),
        "no retry button while offline"
    );
    screenshot(&client, "offline-es-360").await;
    set_network(&h, &client, true).await;
    wait_status(&client, "connected").await;
    client.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_version_is_offered_and_taken_only_when_the_user_taps_update() {
    let h = Harness::start();
    let (site, _) = dist_copy("update", |_| false);
    let server = StaticServer::start(&site);
    let client = h.browser(1280, 900).await;
    client
        .goto(&h.page_url_at(&server.url(), "en"))
        .await
        .unwrap();
    wait_status(&client, "connected").await;
    let first = wait_for(
        "the first build's service worker in control",
        Duration::from_secs(30),
        || async {
            match caches_of(&client).await {
                Some(c) if c.len() == 1 => Ok(Some(c[0].0.clone())),
                other => Err(format!("{other:?}")),
            }
        },
    )
    .await;
    // A new build is deployed (its service worker names a new cache); the page is in use.
    js(&client, "window.inUse = true; return null").await;
    let worker = std::fs::read_to_string(site.join("sw.js")).unwrap();
    assert_eq!(worker.matches(&first).count(), 1, "sw.js names its cache");
    std::fs::write(
        site.join("sw.js"),
        worker.replace(&first, "tablero-0123456789abcdef"),
    )
    .unwrap();
    js(
        &client,
        "return navigator.serviceWorker.getRegistration().then(r => r.update()).then(() => null)",
    )
    .await;
    wait_for(
        "the new version offered in the banner",
        Duration::from_secs(30),
        || async {
            if let Ok(text) = try_text(&client, "#notice span").await {
                return if text == "A new version of Tablero is ready." {
                    Ok(Some(()))
                } else {
                    Err(text)
                };
            }
            let workers = js(
                &client,
                "return navigator.serviceWorker.getRegistration() \
                   .then(r => ['installing', 'waiting', 'active'].map(k => r[k] && r[k].state))",
            )
            .await;
            Err(format!("no notice; installing, waiting, active: {workers}"))
        },
    )
    .await;
    wait_shown(&client, "#apply-update").await;
    // Offered, not forced: the page was not reloaded, the old build still serves it.
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(js(&client, "return window.inUse === true").await, true);
    assert_eq!(text_of(&client, "#apply-update").await, "Update");
    screenshot(&client, "update-offered-en-1280").await;
    click(&client, "#apply-update").await;
    // The new build takes over, the page reloads into it, and the old build's cache is gone.
    wait_for(
        "the page reloaded under the new service worker",
        Duration::from_secs(30),
        || async {
            let reloaded = js(&client, "return window.inUse === undefined").await == true;
            match caches_of(&client).await {
                Some(c) if reloaded && c.len() == 1 && c[0].0 == "tablero-0123456789abcdef" => {
                    Ok(Some(()))
                }
                other => Err(format!("reloaded {reloaded}, caches {other:?}")),
            }
        },
    )
    .await;
    wait_status(&client, "connected").await;
    client.close().await.unwrap();
    let _ = std::fs::remove_dir_all(&site);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dashboard_shared_by_link_opens_in_a_fresh_browser_without_credentials() {
    let h = Harness::start();
    let client = h.open(1280, 900, "en").await;
    // The sharer renames the dashboard, and the connection has a login and a remembered
    // password.
    set_editing(&client, true).await;
    click(&client, "#dashboard-name").await;
    fill(&client, "#dashboard-name", "Invernadero").await;
    press(&client, Key::Enter).await;
    let stored = wait_stored(&client, "the renamed dashboard", |s| {
        s.contains("Invernadero")
    })
    .await;
    let mut config: serde_json::Value = serde_json::from_str(&stored).unwrap();
    let sharer_client_id = config["connections"][0]["client_id"]
        .as_str()
        .unwrap()
        .to_owned();
    config["connections"][0]["username"] = "alice".into();
    config["connections"][0]["password"] = "s3cret-pw".into();
    config["connections"][0]["remember_password"] = true.into();
    store_config_and_reload(&client, &config).await;
    wait_status(&client, "connected").await;

    set_editing(&client, true).await;
    click(&client, "#share-dashboard").await;
    wait_shown(&client, "#share-link").await;
    let link = prop_of(&client, "#share-link", "value").await.unwrap();
    assert!(link.starts_with(&h.server.url()), "{link}");
    let fragment = &link[link.find('#').expect("a fragment")..];
    // What travels: the dashboard and its broker, never the login, the password or the id.
    let carried = tablero::share::unpack(fragment).unwrap();
    for secret in ["alice", "s3cret-pw", sharer_client_id.as_str()] {
        assert!(!carried.contains(secret), "{secret} in the link: {carried}");
    }
    assert!(carried.contains("Invernadero"));
    let includes = text_of(&client, "#share-includes").await;
    assert!(includes.contains("“Invernadero” (4 widgets)"), "{includes}");
    // A QR code of the link, drawn as one path in a square with its quiet zone.
    let modules: usize = attr_of(&client, "#share-qr", "data-modules")
        .await
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        (21..=177).contains(&modules) && (modules - 17).is_multiple_of(4),
        "{modules}"
    );
    // Scanned from the screen as a phone camera would: the QR code reads as the link.
    let qr = find(&client, "#share-qr")
        .await
        .unwrap()
        .screenshot()
        .await
        .unwrap();
    let shot = artifacts().join("share-qr.png");
    std::fs::write(&shot, qr).unwrap();
    let scanned = Command::new(require_program("zbarimg"))
        .args(["--quiet", "--raw"])
        .arg(&shot)
        .output()
        .expect("zbarimg");
    assert_eq!(
        String::from_utf8_lossy(&scanned.stdout).trim_end(),
        link,
        "the QR code, scanned"
    );
    screenshot(&client, "share-en-1280").await;
    press(&client, Key::Escape).await;
    wait_gone(&client, "#share-link").await;

    // A friend's phone, nothing stored: the link asks before adding anything.
    let driver = ChromeDriver::start();
    let phone = client_on(&driver, 360, 640).await;
    phone.goto(&link).await.unwrap();
    let summary = wait_text_where(&phone, "#share-summary", "what the link holds", |t| {
        t.contains("Invernadero")
    })
    .await;
    assert!(
        summary.contains(&format!(
            "with 4 widgets, connected to ws://127.0.0.1:{}/",
            h.broker.ws_port.unwrap()
        )),
        "{summary}"
    );
    assert_eq!(visible_count(&phone, ".share-widgets li").await, Ok(4));
    assert_eq!(
        js(&phone, "return location.hash").await,
        "",
        "the link left the address bar"
    );
    screenshot(&phone, "share-open-en-360").await;
    click(&phone, "#share-add").await;
    wait_text(&phone, "#notice span", "Dashboard added.").await;
    wait_text(&phone, ".tab[aria-selected=true]", "Invernadero").await;
    wait_status(&phone, "connected").await;
    h.publish(DEMO_TEMPERATURE, &["-m", "22.5"]);
    wait_text(&phone, &widget("temperature", ".gauge-value"), "22.5").await;
    let stored = wait_stored(&phone, "the added dashboard", |s| s.contains("Invernadero")).await;
    let config: serde_json::Value = serde_json::from_str(&stored).unwrap();
    let dashboard = config["dashboards"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "Invernadero")
        .unwrap();
    let connection = config["connections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == dashboard["connection"])
        .unwrap();
    assert_eq!(connection.get("username"), None, "{connection}");
    assert_eq!(connection.get("password"), None, "{connection}");
    let id = connection["client_id"].as_str().unwrap();
    assert!(!id.is_empty() && id != sharer_client_id, "{id}");
    phone.close().await.unwrap();
    client.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_share_links_are_refused_in_words_and_change_nothing() {
    use tablero::share::{FRAGMENT_PREFIX, pack};
    let h = Harness::start();
    let client = h.open(1280, 900, "en").await;
    // Something stored, to see it stay as it is.
    set_editing(&client, true).await;
    fill(&client, "#dashboard-name", "Mine").await;
    press(&client, Key::Enter).await;
    let before = wait_stored(&client, "the renamed dashboard", |s| s.contains("Mine")).await;
    set_editing(&client, false).await;

    let demo = tablero::config::demo_config(
        "id".into(),
        "127.0.0.1".into(),
        h.broker.ws_port.unwrap(),
        "/".into(),
        tablero::i18n::Lang::En,
    );
    let good = tablero::share::link_fragment(&demo, &demo.dashboards[0].id).unwrap();
    let mut two = demo.clone();
    let mut second = two.dashboards[0].clone();
    second.id = "second".into();
    two.dashboards.push(second);
    let broken_rule =
        tablero::config::to_json(&demo).replace("\"command_topic\": \"", "\"command_topic\": \"#/");
    let cases: Vec<(&str, String)> = vec![
        ("cut in half", good[..good.len() / 2 + 1].to_owned()),
        (
            "cut to a length no encoding gives",
            good[..FRAGMENT_PREFIX.len() + 5].to_owned(),
        ),
        (
            "markup",
            format!("{FRAGMENT_PREFIX}<img src=x onerror=alert(1)>"),
        ),
        ("not deflated", format!("{FRAGMENT_PREFIX}AAAAAAAA")),
        (
            "a zip bomb",
            format!("{FRAGMENT_PREFIX}{}", pack(&vec![b' '; 4 << 20])),
        ),
        (
            "too long",
            format!("{FRAGMENT_PREFIX}{}", "A".repeat(20_000)),
        ),
        (
            "not JSON",
            format!("{FRAGMENT_PREFIX}{}", pack(b"{\"version\": 1, \"conn")),
        ),
        (
            "a broken rule",
            format!("{FRAGMENT_PREFIX}{}", pack(broken_rule.as_bytes())),
        ),
        (
            "two dashboards",
            format!(
                "{FRAGMENT_PREFIX}{}",
                pack(tablero::config::to_json(&two).as_bytes())
            ),
        ),
    ];
    for (what, fragment) in cases {
        // The same page with a new fragment: the running app reads it (`hashchange`).
        client
            .goto(&format!("{}{fragment}", h.page_url("en")))
            .await
            .unwrap();
        let seen = js(&client, "return decodeURIComponent(location.hash)").await;
        let seen = match seen.as_str() {
            Some("") | None => fragment.clone(),
            Some(s) => s.to_owned(),
        };
        let why = tablero::share::open(&seen).expect_err(what);
        let expected = format!(
            "This link cannot be opened: {}. Nothing was changed.",
            tablero::describe::share_error_text(&why, tablero::i18n::Lang::En)
        );
        wait_text_where(&client, "#notice span", what, |t| t == expected).await;
        assert_eq!(visible_count(&client, ".share-open").await, Ok(0), "{what}");
        assert_eq!(js(&client, "return location.hash").await, "", "{what}");
        assert_eq!(
            local_storage(&client, "tablero.config").await.as_deref(),
            Some(before.as_str()),
            "{what}: the stored configuration changed"
        );
        click(&client, "#notice .dismiss").await;
        wait_gone(&client, "#notice").await;
    }

    // A readable link with hostile text: shown as text, and Cancel adds nothing.
    let mut hostile = demo.clone();
    hostile.dashboards[0].name = "<img src=x onerror=\"document.title='pwned'\">".into();
    hostile.dashboards[0].widgets[0].title = "<script>document.title='pwned'</script>".into();
    let link = tablero::share::link_fragment(&hostile, &hostile.dashboards[0].id).unwrap();
    client
        .goto(&format!("{}{link}", h.page_url("en")))
        .await
        .unwrap();
    wait_text_where(&client, "#share-summary", "the name as text", |t| {
        t.contains("<img src=x onerror=")
    })
    .await;
    assert_eq!(
        text_of(&client, ".share-widgets li").await,
        "<script>document.title='pwned'</script>"
    );
    click(&client, "#share-cancel").await;
    wait_gone(&client, ".share-open").await;
    assert_ne!(js(&client, "return document.title").await, "pwned");
    assert_eq!(
        local_storage(&client, "tablero.config").await.as_deref(),
        Some(before.as_str()),
        "cancelled: nothing added"
    );
    client.close().await.unwrap();
}
