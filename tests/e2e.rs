//! End to end: the release build of the app in headless Chromium, a real mosquitto, and
//! `mosquitto_pub` on the other side. Needs `dist/` from `make build` (the Makefile's `test`
//! target builds it first).

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use testkit::mosquitto::require_program;
use testkit::web::{ChromeDriver, StaticServer};
use testkit::Mosquitto;

fn dist_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("dist")
}

/// One browser session against a fresh broker and server; everything stops on drop.
struct Harness {
    broker: Mosquitto,
    server: StaticServer,
    driver: ChromeDriver,
}

impl Harness {
    fn start() -> Self {
        Self {
            broker: Mosquitto::start(),
            server: StaticServer::start(dist_dir()),
            driver: ChromeDriver::start(),
        }
    }

    async fn browser(&self, width: u32, height: u32) -> Client {
        ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(self.driver.capabilities(width, height))
            .connect(&self.driver.url())
            .await
            .expect("connect to chromedriver")
    }

    fn page_url(&self, topic: &str, lang: &str) -> String {
        format!(
            "{}?broker=ws://127.0.0.1:{}&topic={}&lang={lang}",
            self.server.url(),
            self.broker.ws_port.expect("websockets listener"),
            topic.replace('#', "%23").replace('/', "%2F"),
        )
    }

    fn publish(&self, topic: &str, args: &[&str]) {
        let status = Command::new(require_program("mosquitto_pub"))
            .args(["-h", "127.0.0.1", "-p", &self.broker.tcp_port.to_string(), "-t", topic])
            .args(args)
            .status()
            .expect("run mosquitto_pub");
        assert!(status.success(), "mosquitto_pub failed");
    }
}

/// Polls `read` until it returns Some, or fails with what was last seen.
async fn wait_for<T, F, Fut>(what: &str, timeout: Duration, mut read: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<Option<T>, String>>,
{
    let deadline = Instant::now() + timeout;
    let mut last = String::from("nothing");
    loop {
        match read().await {
            Ok(Some(v)) => return v,
            Ok(None) => {}
            Err(e) => last = e,
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}; last seen: {last}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn text_of(client: &Client, css: &str) -> Result<String, String> {
    let el = client.find(Locator::Css(css)).await.map_err(|e| e.to_string())?;
    el.text().await.map_err(|e| e.to_string())
}

async fn attr_of(client: &Client, css: &str, attr: &str) -> Result<Option<String>, String> {
    let el = client.find(Locator::Css(css)).await.map_err(|e| e.to_string())?;
    el.attr(attr).await.map_err(|e| e.to_string())
}

async fn wait_subscribed(client: &Client) {
    wait_for("the page to connect and subscribe", Duration::from_secs(30), || async {
        match attr_of(client, "#status", "data-state").await? {
            Some(s) if s == "subscribed" => Ok(Some(())),
            other => Err(format!("status {other:?}")),
        }
    })
    .await
}

async fn wait_payload(client: &Client, expected: &str) {
    wait_for(&format!("payload {expected:?}"), Duration::from_secs(15), || async {
        let text = text_of(client, "#last-payload").await?;
        if text == expected { Ok(Some(())) } else { Err(format!("payload {text:?}")) }
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn payload_published_by_mosquitto_pub_appears_in_the_page() {
    let h = Harness::start();
    let client = h.browser(1280, 800).await;
    client.goto(&h.page_url("tablero/e2e/#", "en")).await.unwrap();
    wait_subscribed(&client).await;
    assert_eq!(text_of(&client, "#status").await.unwrap(), "Connected and subscribed");

    h.publish("tablero/e2e/temperature", &["-m", "21.5"]);
    wait_payload(&client, "21.5").await;
    assert_eq!(text_of(&client, "#last-topic").await.unwrap(), "tablero/e2e/temperature");

    // QoS 2 goes through the full PUBREC/PUBREL/PUBCOMP flow on the page's side.
    h.publish("tablero/e2e/humidity", &["-q", "2", "-m", "48 %"]);
    wait_payload(&client, "48 %").await;

    client.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn broker_text_is_rendered_as_text_and_binary_as_hex() {
    let h = Harness::start();
    let client = h.browser(1280, 800).await;
    client.goto(&h.page_url("tablero/e2e/#", "en")).await.unwrap();
    wait_subscribed(&client).await;

    let hostile = "<img id=\"pwned\" src=x onerror=\"document.title='pwned'\">";
    h.publish("tablero/e2e/hostile", &["-m", hostile]);
    wait_payload(&client, hostile).await;
    assert!(
        client.find(Locator::Css("#pwned")).await.is_err(),
        "a payload became markup"
    );
    assert_ne!(client.title().await.unwrap(), "pwned");

    let file = std::env::temp_dir().join(format!("tablero-e2e-bin-{}", std::process::id()));
    std::fs::write(&file, [0xde, 0xad, 0xbe, 0xef, 0x00, 0xff]).unwrap();
    h.publish("tablero/e2e/binary", &["-f", file.to_str().unwrap()]);
    wait_payload(&client, "de ad be ef 00 ff").await;
    let _ = std::fs::remove_file(file);

    client.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retained_message_is_shown_on_arrival_and_spanish_is_available() {
    let h = Harness::start();
    h.publish("tablero/e2e/lamp", &["-r", "-m", "on"]);
    let client = h.browser(360, 640).await;
    client.goto(&h.page_url("tablero/e2e/#", "es")).await.unwrap();
    wait_subscribed(&client).await;
    assert_eq!(text_of(&client, "#status").await.unwrap(), "Conectado y suscrito");
    wait_payload(&client, "on").await;
    assert_eq!(text_of(&client, "#last-message .badge").await.unwrap(), "retenido");
    save_screenshot(&client, "skeleton-phone-es.png").await;

    // Switching language changes the visible strings.
    client.find(Locator::Css("#switch-lang")).await.unwrap().click().await.unwrap();
    wait_for("English status", Duration::from_secs(5), || async {
        let s = text_of(&client, "#status").await?;
        if s == "Connected and subscribed" { Ok(Some(())) } else { Err(s) }
    })
    .await;

    // At phone width nothing scrolls sideways.
    let width = client.execute("return window.innerWidth", vec![]).await.unwrap();
    assert_eq!(width.as_i64(), Some(360), "the viewport is a phone's");
    let overflow = client
        .execute(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(overflow.as_i64(), Some(0), "horizontal scroll at 360 px");
    save_screenshot(&client, "skeleton-phone-en.png").await;
    client.close().await.unwrap();
}

async fn save_screenshot(client: &Client, name: &str) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("test-artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    let png = client.screenshot().await.unwrap();
    std::fs::write(dir.join(name), png).unwrap();
}

#[test]
fn refused_connection_is_reported() {
    // A port with nothing listening: the page must say the connection closed, not hang.
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let server = StaticServer::start(dist_dir());
        let driver = ChromeDriver::start();
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(driver.capabilities(800, 600))
            .connect(&driver.url())
            .await
            .unwrap();
        let port = testkit::free_port();
        client
            .goto(&format!("{}?broker=ws://127.0.0.1:{port}&lang=en", server.url()))
            .await
            .unwrap();
        wait_for("closed status", Duration::from_secs(15), || async {
            match attr_of(&client, "#status", "data-state").await? {
                Some(s) if s == "closed" => Ok(Some(())),
                other => Err(format!("{other:?}")),
            }
        })
        .await;
        client.close().await.unwrap();
    });
}
