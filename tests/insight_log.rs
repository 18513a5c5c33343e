//! End to end: the broker view's message log (Explore → Messages) in headless Chromium,
//! against a real mosquitto: binary payloads in hex, the ring's bound under 10,000 messages,
//! a 5.0 message's properties in the detail, the JSON-lines export, pause, filter and clear.
//! Every message goes to one of the demo's own topics: the widgets subscribe them, so they
//! reach the page (and its log) without the explorer's subscription.

mod support;

use std::path::{Path, PathBuf};
use std::time::Duration;

use fantoccini::Client;
use support::*;

/// The demo's humidity topic (its value widget reads `$.humidity`).
const SENSORS: &str = "tablero/demo/sensors";
/// The newest row's cells.
const TOP: &str = ".msg-list .vlist-row[data-index=\"0\"]:not([hidden])";

fn top(cell: &str) -> String {
    format!("{TOP} {cell}")
}

/// The page on the log panel of the broker view.
async fn open_log(h: &Harness, width: u32, height: u32, lang: &str) -> Client {
    let client = h.open(width, height, lang).await;
    show_log(&client).await;
    client
}

async fn show_log(client: &Client) {
    click(client, "button.tab.explore").await;
    click(client, ".insight-tab[data-panel=\"log\"]").await;
    wait_shown(client, ".msg-list").await;
}

/// A temporary file of this test's own holding `bytes`.
fn temp_file(tag: &str, bytes: &[u8]) -> PathBuf {
    let file = std::env::temp_dir().join(format!(
        "tablero-e2e-log-{tag}-{}-{}",
        std::process::id(),
        testkit::free_port()
    ));
    std::fs::write(&file, bytes).unwrap();
    file
}

/// Waits for a whole file ending in `.jsonl` in `dir`: its text.
async fn wait_jsonl(dir: &Path) -> String {
    wait_for(
        &format!("a .jsonl download in {}", dir.display()),
        Duration::from_secs(15),
        || async {
            let found = std::fs::read_dir(dir)
                .map_err(|e| e.to_string())?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .find(|p| p.extension().is_some_and(|e| e == "jsonl"));
            let Some(path) = found else {
                return Ok(None);
            };
            let text = std::fs::read_to_string(&path).map_err(|e| e.to_string())?;
            if text.ends_with('\n') {
                Ok(Some(text))
            } else {
                Err(format!("{} is not whole yet", path.display()))
            }
        },
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_binary_payload_shows_as_hex_in_the_row_and_the_detail() {
    let h = Harness::start();
    let client = open_log(&h, 1280, 900, "en").await;
    watch_console(&client).await;
    wait_text(&client, ".msg-count", "0 messages (max 5,000)").await;
    select(&client, "[name=\"msg-format\"]", "hex").await;
    let bin = temp_file("bin", &[0xde, 0xad, 0xbe, 0xef, 0x00, 0xff]);
    h.publish(SENSORS, &["-f", bin.to_str().unwrap()]);
    let _ = std::fs::remove_file(bin);
    wait_text(&client, &top(".msg-payload"), "de ad be ef 00 ff").await;
    assert_eq!(text_of(&client, &top(".msg-topic")).await, SENSORS);
    assert_eq!(text_of(&client, &top(".msg-size")).await, "6 B");
    assert_eq!(text_of(&client, &top(".msg-qos")).await, "0");
    wait_text(&client, ".msg-count", "1 message (max 5,000)").await;

    click(&client, TOP).await;
    wait_text(&client, ".msg-detail pre.payload", "de ad be ef 00 ff").await;
    assert_eq!(
        attr_of(&client, TOP, "aria-selected").await.as_deref(),
        Some("true")
    );
    select(&client, "[name=\"msg-format\"]", "base64").await;
    wait_text(&client, ".msg-detail pre.payload", "3q2+7wD/").await;
    wait_text(&client, &top(".msg-payload"), "3q2+7wD/").await;
    // Text of a payload that is no UTF-8 falls back to hex.
    select(&client, "[name=\"msg-format\"]", "text").await;
    wait_text(&client, ".msg-detail pre.payload", "de ad be ef 00 ff").await;
    click(&client, ".msg-detail-close").await;
    wait_gone(&client, ".msg-detail").await;
    assert_eq!(console_errors(&client).await, Vec::<String>::new());
    client.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_ten_thousand_messages_the_log_keeps_its_bound_of_five_thousand() {
    let h = Harness::start();
    let client = open_log(&h, 1280, 900, "en").await;
    watch_console(&client).await;
    let lines: String = (0..10_000).map(|i| format!("m{i}\n")).collect();
    h.publish_lines(SENSORS, &lines);
    wait_for(
        "the last message on top",
        Duration::from_secs(60),
        || async {
            match try_text(&client, &top(".msg-payload")).await? {
                t if t == "m9999" => Ok(Some(())),
                t => Err(t),
            }
        },
    )
    .await;
    wait_text(&client, ".msg-count", "5,000 messages (max 5,000)").await;
    // The oldest kept is the 5,000th from the end: scrolled to the bottom, the last row.
    js(
        &client,
        "const l = document.querySelector('.msg-list'); l.scrollTop = l.scrollHeight; return null;",
    )
    .await;
    wait_text(
        &client,
        ".msg-list .vlist-row[data-index=\"4999\"]:not([hidden]) .msg-payload",
        "m5000",
    )
    .await;
    // A smaller ring drops the oldest at once.
    select(&client, "[name=\"msg-max\"]", "1000").await;
    wait_text(&client, ".msg-count", "1,000 messages (max 1,000)").await;
    assert_eq!(console_errors(&client).await, Vec::<String>::new());
    client.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_5_0_message_shows_its_properties_in_the_detail() {
    let h = Harness::start();
    let client = h.open(1280, 900, "en").await;
    // The demo's connection speaks 3.1.1, which has no properties: switch it to 5.0 and wait
    // for the page to subscribe again.
    let subscribed = subscriptions_to(&h.broker, DEMO_TEMPERATURE);
    set_connection_version(&client, "5.0").await;
    wait_for("a 5.0 SUBSCRIBE", Duration::from_secs(20), || async {
        let now = subscriptions_to(&h.broker, DEMO_TEMPERATURE);
        if now > subscribed {
            Ok(Some(()))
        } else {
            Err(format!("{now} SUBSCRIBEs"))
        }
    })
    .await;
    wait_status(&client, "connected").await;
    show_log(&client).await;
    h.publish(
        SENSORS,
        &[
            "-V",
            "mqttv5",
            "-q",
            "1",
            "-m",
            r#"{"humidity":40}"#,
            "-D",
            "publish",
            "content-type",
            "application/json",
            "-D",
            "publish",
            "user-property",
            "room",
            "kitchen <b>",
            "-D",
            "publish",
            "response-topic",
            "reply/here",
            "-D",
            "publish",
            "correlation-data",
            "ab",
            "-D",
            "publish",
            "payload-format-indicator",
            "1",
        ],
    );
    wait_text(&client, &top(".msg-payload"), r#"{"humidity":40}"#).await;
    click(&client, TOP).await;
    wait_shown(&client, ".msg-detail").await;
    let meta = text_of(&client, ".msg-detail .msg-meta").await;
    for part in [
        "Content type\napplication/json",
        "Response topic\nreply/here",
        "Correlation data\n61 62",
        "Payload format\nUTF-8 text",
        // Delivered at the subscription's QoS (the widget's 0), whatever it was sent at.
        "QoS\n0",
        "Size\n15 bytes",
    ] {
        assert!(meta.contains(part), "{part:?} not in {meta:?}");
    }
    assert_eq!(
        text_of(&client, ".msg-user-properties li").await,
        "room = kitchen <b>"
    );
    assert_eq!(text_of(&client, ".msg-detail-topic").await, SENSORS);
    select(&client, "[name=\"msg-format\"]", "json").await;
    wait_text(
        &client,
        ".msg-detail pre.payload",
        "{\n  \"humidity\": 40\n}",
    )
    .await;
    client.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_writes_one_json_line_per_message_oldest_first() {
    let h = Harness::start();
    let client = open_log(&h, 1280, 900, "en").await;
    h.publish(SENSORS, &["-m", "say \"hi\"\tthen\nbye"]);
    let bin = temp_file("bin", &[0xde, 0xad, 0xbe, 0xef, 0x00, 0xff]);
    h.publish(DEMO_TEMPERATURE, &["-f", bin.to_str().unwrap()]);
    let _ = std::fs::remove_file(bin);
    wait_text(&client, ".msg-count", "2 messages (max 5,000)").await;
    click(&client, ".msg-export").await;
    let text = wait_jsonl(&h.downloads).await;
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert_eq!(lines[0]["topic"], SENSORS);
    assert_eq!(lines[0]["payload"], "say \"hi\"\tthen\nbye");
    assert_eq!(lines[0]["qos"], 0);
    assert_eq!(lines[0]["retain"], false);
    assert_eq!(lines[0]["size"], 17);
    assert_eq!(lines[1]["topic"], DEMO_TEMPERATURE);
    assert_eq!(lines[1]["payload_base64"], "3q2+7wD/");
    assert!(lines[1].get("payload").is_none());
    let time = lines[0]["time"].as_str().unwrap();
    assert!(
        time.len() == 24 && time.ends_with('Z') && time.as_bytes()[10] == b'T',
        "{time}"
    );
    client.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pause_skips_filters_narrow_and_clear_empties() {
    let h = Harness::start();
    let client = open_log(&h, 1280, 900, "en").await;
    h.publish(
        SENSORS,
        &["-m", "{\"humidity\":41,\"note\":\"Window open\"}"],
    );
    h.publish(DEMO_TEMPERATURE, &["-m", "21.5"]);
    wait_text(&client, ".msg-count", "2 messages (max 5,000)").await;

    fill(&client, "[name=\"msg-topic\"]", "temp").await;
    wait_text(
        &client,
        ".msg-count",
        "2 messages (max 5,000) · 1 matches the filter",
    )
    .await;
    assert_eq!(text_of(&client, &top(".msg-topic")).await, DEMO_TEMPERATURE);
    fill(&client, "[name=\"msg-topic\"]", "tablero/+/sensors").await;
    wait_text(&client, &top(".msg-topic"), SENSORS).await;
    fill(&client, "[name=\"msg-topic\"]", "tablero/#/x").await;
    wait_shown(&client, ".msg-invalid").await;
    wait_text(
        &client,
        ".msg-count",
        "2 messages (max 5,000) · 0 match the filter",
    )
    .await;
    fill(&client, "[name=\"msg-topic\"]", "").await;
    fill(&client, "[name=\"msg-text\"]", "window").await;
    wait_hidden(&client, ".msg-invalid").await;
    wait_text(
        &client,
        ".msg-count",
        "2 messages (max 5,000) · 1 matches the filter",
    )
    .await;
    assert_eq!(text_of(&client, &top(".msg-topic")).await, SENSORS);
    fill(&client, "[name=\"msg-text\"]", "").await;
    wait_text(&client, ".msg-count", "2 messages (max 5,000)").await;

    click(&client, ".msg-pause").await;
    wait_attr(&client, ".msg-pause", "aria-pressed", "true").await;
    h.publish(DEMO_TEMPERATURE, &["-m", "22"]);
    wait_text(
        &client,
        ".msg-count",
        "2 messages (max 5,000) · paused, 1 skipped",
    )
    .await;
    assert_eq!(text_of(&client, &top(".msg-payload")).await, "21.5");
    click(&client, ".msg-pause").await;
    wait_text(&client, ".msg-count", "2 messages (max 5,000)").await;
    h.publish(DEMO_TEMPERATURE, &["-m", "23"]);
    wait_text(&client, &top(".msg-payload"), "23").await;
    wait_text(&client, ".msg-count", "3 messages (max 5,000)").await;

    click(&client, ".msg-clear").await;
    wait_text(&client, ".msg-count", "0 messages (max 5,000)").await;
    wait_hidden(&client, TOP).await;
    client.close().await.unwrap();
}

/// The log with a few messages and one opened, on a phone in Spanish and a desktop in
/// English (test-artifacts/insight-log-*-{list,detail}.png), and a payload that is markup stays text.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn screenshots_on_a_phone_and_a_desktop() {
    let h = Harness::start();
    for (w, ht, lang, name) in [
        (360, 640, "es", "insight-log-es-360"),
        (1280, 900, "en", "insight-log-en-1280"),
    ] {
        let client = open_log(&h, w, ht, lang).await;
        select(&client, "[name=\"msg-format\"]", "json").await;
        let hostile = "<img id=\"pwned\" src=x onerror=\"document.title='pwned'\">";
        h.publish(SENSORS, &["-m", hostile]);
        h.publish(
            SENSORS,
            &["-m", "{\"humidity\":43,\"battery\":3.71,\"rssi\":-67}"],
        );
        h.publish_lines(DEMO_TEMPERATURE, "21.4\n21.5\n21.7\n");
        wait_text(&client, &top(".msg-payload"), "21.7").await;
        let row = |i: usize| format!(".msg-list .vlist-row[data-index=\"{i}\"]:not([hidden])");
        assert_eq!(
            text_of(&client, &format!("{} .msg-payload", row(4))).await,
            hostile
        );
        screenshot(&client, &format!("{name}-list.png")).await;
        click(&client, &row(3)).await;
        wait_text_where(&client, ".msg-detail pre.payload", "the JSON", |t| {
            t.contains("\"rssi\": -67")
        })
        .await;
        assert_eq!(visible_count(&client, "#pwned").await, Ok(0));
        screenshot(&client, &format!("{name}-detail.png")).await;
        client.close().await.unwrap();
    }
}
