//! The connection doctor in the browser: the release build of the app (`dist/`) in headless
//! Chromium, its "Why?" button on a failed connection, and what the doctor finds by probing
//! servers on loopback only — a port where nothing listens, a reverse proxy in front of a
//! real mosquitto that passes only `/mqtt`, a plain web server, and the app served over
//! https (a test certificate the browser is told to accept) with a `ws://` broker.
//!
//! The doctor's second public host ("no internet" or "that broker is down") is asked only
//! when the configured host is itself a public preset and nothing answered there: these
//! tests never configure one that could be reached (the preset in the mixed-content test
//! is never connected to: an https page stops at `ws://` before any socket, and the
//! browser's resolver is told to resolve no name), so nothing leaves the machine.

mod support;

use fantoccini::Client;
use support::*;
use tablero::config::{Scheme, demo_config, to_json};
use tablero::i18n::Lang;
use testkit::web::{ChromeDriver, PathProxy, StaticServer};

/// Opens the doctor from the status line and waits until its probes are done. The tap comes
/// once the status line says why in words, as a reader's would (until the words arrive the
/// detail is "…"), and is made again if the line moved under it (`click_until_shown`).
async fn open_doctor(client: &Client) {
    wait_text_where(
        client,
        "#status .status-detail",
        "the reason in words",
        |t| !t.is_empty() && t != "…",
    )
    .await;
    click_until_shown(client, "#diagnose", ".doctor").await;
    wait_attr(client, ".doctor", "data-checking", "false").await;
}

/// The `data-cause` of every finding shown, in order.
async fn causes(client: &Client) -> Vec<String> {
    let v = js(
        client,
        "return [...document.querySelectorAll('.doctor li.finding')].map(li => li.dataset.cause)",
    )
    .await;
    serde_json::from_value(v).expect("a list of causes")
}

/// The text of the finding with this cause.
async fn finding(client: &Client, cause: &str) -> String {
    text_of(
        client,
        &format!(".doctor li.finding[data-cause=\"{cause}\"]"),
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_port_is_named_in_the_readers_language() {
    let server = StaticServer::start(root().join("dist"));
    let driver = ChromeDriver::start();
    let client = client_on(&driver, 360, 640).await;
    let port = testkit::free_port();
    client
        .goto(&format!(
            "{}?broker=ws://127.0.0.1:{port}&lang=es",
            server.url()
        ))
        .await
        .unwrap();
    wait_status(&client, "reconnecting").await;
    open_doctor(&client).await;
    assert_eq!(causes(&client).await, ["refused"]);
    let text = finding(&client, "refused").await;
    assert!(
        text.contains(&format!(
            "Nada responde en 127.0.0.1:{port}: la conexión fue rechazada."
        )),
        "{text}"
    );
    assert!(
        text.contains("Comprueba que el broker esté en marcha"),
        "{text}"
    );
    assert_eq!(
        text_of(&client, ".doctor h2").await,
        "Diagnóstico de la conexión"
    );
    screenshot(&client, "doctor-refused-es-360").await;
    // The same finding follows the language.
    click(&client, "#doctor-close").await;
    wait_hidden(&client, ".doctor").await;
    click(&client, "#switch-lang").await;
    open_doctor(&client).await;
    let text = finding(&client, "refused").await;
    assert!(
        text.contains(&format!(
            "Nothing answers at 127.0.0.1:{port}: the connection was refused."
        )),
        "{text}"
    );
    client.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_path_is_found_and_fixed_in_one_tap() {
    let h = Harness::start();
    // A reverse proxy that serves the broker on /mqtt only; the connection asks for "/".
    let proxy = PathProxy::start("/mqtt", h.broker.ws_port.expect("websockets listener"));
    let client = h.browser(1280, 900).await;
    client
        .goto(&format!(
            "{}?broker=ws://127.0.0.1:{}/&lang=en",
            h.server.url(),
            proxy.port
        ))
        .await
        .unwrap();
    wait_status(&client, "reconnecting").await;
    open_doctor(&client).await;
    assert_eq!(causes(&client).await, ["wrong-path"]);
    let text = finding(&client, "wrong-path").await;
    assert!(
        text.contains(&format!(
            "No WebSocket opens at ws://127.0.0.1:{}/, but one does at the path /mqtt.",
            proxy.port
        )),
        "{text}"
    );
    assert!(
        text.contains("Use the path /mqtt in the connection."),
        "{text}"
    );
    screenshot(&client, "doctor-wrong-path-en-1280").await;
    // The fix: the connection on /mqtt, connected through the proxy to mosquitto.
    assert_eq!(
        text_of(&client, ".doctor li.finding .doctor-fix").await,
        "Use the path /mqtt"
    );
    click(&client, ".doctor li.finding .doctor-fix").await;
    wait_hidden(&client, ".doctor").await;
    wait_stored(&client, "the path /mqtt", |s| {
        s.contains(r#""path": "/mqtt""#)
    })
    .await;
    wait_status(&client, "connected").await;
    wait_subscribed(&h.broker, DEMO_TEMPERATURE).await;
    h.publish(DEMO_TEMPERATURE, &["-m", "23.4"]);
    wait_text(&client, &widget("temperature", ".gauge-value"), "23.4").await;
    client.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_web_server_that_does_not_speak_mqtt_is_told_from_nothing_answering() {
    let server = StaticServer::start(root().join("dist"));
    // Another plain web server (it answers every request, upgrades none) as the "broker".
    let web = StaticServer::start(root().join("dist"));
    let driver = ChromeDriver::start();
    let client = client_on(&driver, 1280, 900).await;
    client
        .goto(&format!(
            "{}?broker=ws://127.0.0.1:{}/mqtt&lang=en",
            server.url(),
            web.port
        ))
        .await
        .unwrap();
    wait_status(&client, "reconnecting").await;
    open_doctor(&client).await;
    assert_eq!(causes(&client).await, ["web-server-not-mqtt"]);
    let text = finding(&client, "web-server-not-mqtt").await;
    assert!(
        text.contains(&format!("A web server answers at 127.0.0.1:{}", web.port)),
        "{text}"
    );
    client.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mixed_content_is_named_with_the_presets_wss_port() {
    let server = StaticServer::start_https(root().join("dist"));
    let driver = ChromeDriver::start();
    // The test's certificate accepted; no name resolves, so whatever the page did, nothing
    // would leave the machine.
    let client = client_with_args(
        &driver,
        1280,
        900,
        &[
            "--ignore-certificate-errors",
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        ],
    )
    .await;
    // A broker of one's own over ws:// from a page served over https.
    let port = testkit::free_port();
    client
        .goto(&format!(
            "{}?broker=ws://127.0.0.1:{port}&lang=en",
            server.url()
        ))
        .await
        .unwrap();
    assert_eq!(js(&client, "return location.protocol").await, "https:");
    wait_status(&client, "stopped").await;
    // The status line says so too (and keeps saying it once the widgets' subscriptions
    // reach the link).
    wait_text_where(&client, "#status .status-detail", "mixed content", |t| {
        t.starts_with("This page is served over https: the browser only allows wss://.")
    })
    .await;
    open_doctor(&client).await;
    assert_eq!(causes(&client).await, ["mixed-content"]);
    let text = finding(&client, "mixed-content").await;
    assert!(text.contains("opened over https"), "{text}");
    assert!(
        text.contains("Use wss:// and your broker's TLS WebSocket port"),
        "{text}"
    );
    assert_eq!(visible_count(&client, ".doctor .doctor-fix").await, Ok(0));
    click(&client, "#doctor-close").await;
    wait_hidden(&client, ".doctor").await;

    // The demo on HiveMQ's public broker over ws://: the doctor names its wss port, offers
    // it in one tap (not tapped: it would leave the machine), and warns that the demo's
    // topics, with no prefix of one's own, are anyone's.
    let mut config = demo_config(
        "tablero-doctor".into(),
        "broker.hivemq.com".into(),
        8000,
        "/mqtt".into(),
        Lang::En,
    );
    config.connections[0].preset = Some("hivemq".into());
    config.connections[0].scheme = Scheme::Ws;
    let config: serde_json::Value = serde_json::from_str(&to_json(&config)).unwrap();
    store_config_and_reload(&client, &config).await;
    wait_status(&client, "stopped").await;
    wait_text_where(&client, "#status .status-detail", "mixed content", |t| {
        t.starts_with("This page is served over https")
    })
    .await;
    open_doctor(&client).await;
    assert_eq!(causes(&client).await, ["mixed-content", "public-no-prefix"]);
    let text = finding(&client, "mixed-content").await;
    assert!(text.contains("Use wss:// on port 8884."), "{text}");
    assert_eq!(
        text_of(
            &client,
            ".doctor li.finding[data-cause=\"mixed-content\"] .doctor-fix"
        )
        .await,
        "Use wss on port 8884"
    );
    let text = finding(&client, "public-no-prefix").await;
    assert!(
        text.contains("broker.hivemq.com is a public broker and the topic “tablero/demo/"),
        "{text}"
    );
    assert!(text.contains("switch your lamp"), "{text}");
    screenshot(&client, "doctor-mixed-content-en-1280").await;
    client.close().await.unwrap();
}
