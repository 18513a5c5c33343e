//! End to end: the release build of the app (`dist/`, from `make build`) in headless
//! Chromium, against a real mosquitto started per test, with `mosquitto_pub` and the
//! `tablero` CLI (`sub`, `device`) on the other side. Every process stops on drop.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use testkit::Mosquitto;
use testkit::mosquitto::require_program;
use testkit::web::{ChromeDriver, StaticServer};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn artifacts() -> PathBuf {
    let dir = root().join("test-artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The `tablero` CLI, built by `make test` before this suite (`cargo build -p tablero-cli`).
fn tablero_bin() -> PathBuf {
    let bin = std::env::var_os("TABLERO_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target/debug/tablero"));
    assert!(
        bin.is_file(),
        "{} missing: run `cargo build -p tablero-cli`",
        bin.display()
    );
    bin
}

/// A child process killed on drop.
struct Proc(Child);

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

struct Harness {
    broker: Mosquitto,
    server: StaticServer,
    driver: ChromeDriver,
    downloads: PathBuf,
}

impl Harness {
    fn start() -> Self {
        let downloads = std::env::temp_dir().join(format!(
            "tablero-e2e-dl-{}-{}",
            std::process::id(),
            testkit::free_port()
        ));
        std::fs::create_dir_all(&downloads).unwrap();
        Self {
            broker: Mosquitto::start(),
            server: StaticServer::start(root().join("dist")),
            driver: ChromeDriver::start(),
            downloads,
        }
    }

    async fn browser(&self, width: u32, height: u32) -> Client {
        let mut caps = self.driver.capabilities(width, height);
        if let Some(opts) = caps.get_mut("goog:chromeOptions") {
            opts["prefs"] = serde_json::json!({
                "download.default_directory": self.downloads,
                "download.prompt_for_download": false,
            });
        }
        ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&self.driver.url())
            .await
            .expect("connect to chromedriver")
    }

    fn page_url(&self, lang: &str) -> String {
        format!(
            "{}?broker=ws://127.0.0.1:{}&lang={lang}",
            self.server.url(),
            self.broker.ws_port.expect("websockets listener")
        )
    }

    /// A browser on the page, connected to the broker.
    async fn open(&self, width: u32, height: u32, lang: &str) -> Client {
        let client = self.browser(width, height).await;
        client.goto(&self.page_url(lang)).await.unwrap();
        wait_status(&client, "connected").await;
        client
    }

    fn publish(&self, topic: &str, args: &[&str]) {
        let status = Command::new(require_program("mosquitto_pub"))
            .args([
                "-h",
                "127.0.0.1",
                "-p",
                &self.broker.tcp_port.to_string(),
                "-t",
                topic,
            ])
            .args(args)
            .status()
            .expect("run mosquitto_pub");
        assert!(status.success(), "mosquitto_pub failed");
    }

    fn tablero(&self, args: &[&str]) -> Proc {
        Proc(
            Command::new(tablero_bin())
                .args(args)
                .args(["-h", "127.0.0.1", "-p", &self.broker.tcp_port.to_string()])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("start tablero"),
        )
    }
}

impl Drop for Harness {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.downloads);
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
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {what}; last seen: {last}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn find(client: &Client, css: &str) -> Result<Element, String> {
    client
        .find(Locator::Css(css))
        .await
        .map_err(|e| format!("{css}: {e}"))
}

async fn text_of(client: &Client, css: &str) -> Result<String, String> {
    find(client, css)
        .await?
        .text()
        .await
        .map_err(|e| e.to_string())
}

async fn attr_of(client: &Client, css: &str, attr: &str) -> Result<Option<String>, String> {
    find(client, css)
        .await?
        .attr(attr)
        .await
        .map_err(|e| e.to_string())
}

async fn click(client: &Client, css: &str) {
    find(client, css).await.unwrap().click().await.unwrap();
}

async fn wait_status(client: &Client, state: &str) {
    wait_for(
        &format!("status {state}"),
        Duration::from_secs(30),
        || async {
            match attr_of(client, "#status", "data-state").await? {
                Some(s) if s == state => Ok(Some(())),
                other => Err(format!("status {other:?}")),
            }
        },
    )
    .await
}

async fn wait_text(client: &Client, css: &str, expected: &str) {
    wait_for(
        &format!("{css} = {expected:?}"),
        Duration::from_secs(15),
        || async {
            let text = text_of(client, css).await?;
            if text == expected {
                Ok(Some(()))
            } else {
                Err(format!("{text:?}"))
            }
        },
    )
    .await
}

async fn wait_attr(client: &Client, css: &str, attr: &str, expected: &str) {
    wait_for(
        &format!("{css}[{attr}={expected}]"),
        Duration::from_secs(15),
        || async {
            match attr_of(client, css, attr).await? {
                Some(v) if v == expected => Ok(Some(())),
                other => Err(format!("{other:?}")),
            }
        },
    )
    .await
}

/// Replaces an input's text (select all, then type).
async fn fill(client: &Client, css: &str, value: &str) {
    let el = find(client, css).await.unwrap();
    el.clear().await.unwrap();
    el.send_keys(value).await.unwrap();
}

async fn local_storage(client: &Client, key: &str) -> Option<String> {
    client
        .execute(
            "return localStorage.getItem(arguments[0])",
            vec![key.into()],
        )
        .await
        .unwrap()
        .as_str()
        .map(str::to_owned)
}

async fn screenshot(client: &Client, name: &str) {
    let png = client.screenshot().await.unwrap();
    std::fs::write(artifacts().join(name), png).unwrap();
}

/// Adds a widget through the editor: type, title and topic, plus any extra fields.
async fn add_widget(client: &Client, kind: &str, title: &str, fields: &[(&str, &str)]) {
    if attr_of(client, "#edit-toggle", "aria-pressed")
        .await
        .unwrap()
        .as_deref()
        != Some("true")
    {
        click(client, "#edit-toggle").await;
    }
    find(client, "#new-widget-type")
        .await
        .unwrap()
        .select_by_value(kind)
        .await
        .unwrap();
    click(client, "#add-widget").await;
    find(client, ".widget-editor").await.unwrap();
    fill(client, ".widget-editor [name=\"title\"]", title).await;
    for (name, value) in fields {
        fill(client, &format!(".widget-editor [name=\"{name}\"]"), value).await;
    }
    wait_for("save enabled", Duration::from_secs(5), || async {
        let save = find(client, ".widget-editor .save").await?;
        match save.attr("disabled").await.map_err(|e| e.to_string())? {
            None => Ok(Some(())),
            Some(_) => {
                let errors = text_of(client, ".widget-editor").await.unwrap_or_default();
                Err(format!("save disabled: {errors}"))
            }
        }
    })
    .await;
    click(client, ".widget-editor .save").await;
    wait_for("editor closed", Duration::from_secs(5), || async {
        match client.find(Locator::Css(".widget-editor")).await {
            Ok(_) => Err("still open".into()),
            Err(_) => Ok(Some(())),
        }
    })
    .await;
    click(client, "#edit-toggle").await;
}

fn widget(id: &str, inner: &str) -> String {
    format!("[data-widget-id=\"{id}\"] {inner}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn payload_published_by_mosquitto_pub_appears_in_the_demo_gauge() {
    let h = Harness::start();
    let client = h.open(1280, 900, "en").await;
    assert_eq!(
        text_of(&client, "#status .status-text").await.unwrap(),
        "Connected"
    );
    h.publish("tablero/demo/temperature", &["-m", "21.5"]);
    wait_text(&client, &widget("temperature", ".gauge-value"), "21.5").await;
    // QoS 2 goes through the session's PUBREC/PUBREL/PUBCOMP flow in the page.
    h.publish("tablero/demo/temperature", &["-q", "2", "-m", "23.26"]);
    wait_text(&client, &widget("temperature", ".gauge-value"), "23.3").await;
    client.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn broker_text_stays_text_and_a_bad_payload_is_explained_in_the_widget() {
    let h = Harness::start();
    let client = h.open(1280, 900, "en").await;
    let hostile = "<img id=\"pwned\" src=x onerror=\"document.title='pwned'\">";
    h.publish("tablero/demo/temperature", &["-m", hostile]);
    wait_for("the gauge to explain", Duration::from_secs(15), || async {
        let text = text_of(&client, &widget("temperature", ".widget-error")).await?;
        if text.contains("not a number") && text.contains("<img") {
            Ok(Some(()))
        } else {
            Err(text)
        }
    })
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
    tokio::time::sleep(Duration::from_millis(500)).await;
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
    wait_for("path-missing message", Duration::from_secs(10), || async {
        let text = text_of(&client, &widget("gauge-2", ".widget-error")).await?;
        if text.contains("$.sensor.temp") {
            Ok(Some(()))
        } else {
            Err(text)
        }
    })
    .await;
    client.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn switch_command_reaches_the_broker_and_the_device_echo_confirms_it() {
    let h = Harness::start();
    let client = h.open(1280, 900, "en").await;
    let mut sub = h.tablero(&["sub", "-t", "tablero/demo/relay/set", "-C", "1"]);
    tokio::time::sleep(Duration::from_millis(500)).await;
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
    let out = tokio::task::spawn_blocking(move || {
        let status = sub.0.wait().unwrap();
        let mut text = String::new();
        use std::io::Read;
        sub.0
            .stdout
            .take()
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        (status, text)
    })
    .await
    .unwrap();
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
    wait_for("no-answer message", Duration::from_secs(15), || async {
        let text = text_of(&client, &widget("relay", ".switch-no-answer")).await?;
        if text.is_empty() {
            Err("empty".into())
        } else {
            Ok(Some(text))
        }
    })
    .await;
    assert_ne!(
        attr_of(&client, &widget("relay", ".switch-toggle"), "aria-checked")
            .await
            .unwrap()
            .as_deref(),
        Some("true"),
        "the switch went back"
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
        .args(["-t", "tablero/demo/temperature", "-l"])
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
    add_widget(&client, "value", "Kept", &[("binding.topic", "lab/kept")]).await;
    click(&client, "#edit-toggle").await;
    click(&client, "#edit-connection").await;
    fill(&client, ".connection-editor [name=\"username\"]", "ana").await;
    fill(
        &client,
        ".connection-editor [name=\"password\"]",
        "s3cret-pw",
    )
    .await;
    click(&client, ".connection-editor .save").await;
    click(&client, "#edit-toggle").await;
    wait_status(&client, "connected").await;
    // Past the save debounce.
    tokio::time::sleep(Duration::from_millis(800)).await;
    let stored = local_storage(&client, "tablero.config")
        .await
        .expect("saved");
    assert!(stored.contains("lab/kept"));
    assert!(stored.contains("\"ana\""));
    assert!(
        !stored.contains("s3cret-pw"),
        "an unremembered password was stored"
    );

    client.refresh().await.unwrap();
    wait_status(&client, "connected").await;
    find(&client, "[data-widget-id=\"value-1\"]")
        .await
        .expect("the widget survived");
    click(&client, "#edit-toggle").await;
    click(&client, "#edit-connection").await;
    let user = find(&client, ".connection-editor [name=\"username\"]")
        .await
        .unwrap();
    assert_eq!(user.prop("value").await.unwrap().as_deref(), Some("ana"));
    let pw = find(&client, ".connection-editor [name=\"password\"]")
        .await
        .unwrap();
    assert_eq!(pw.prop("value").await.unwrap().as_deref(), Some(""));
    client.close().await.unwrap();
}

async fn wait_download(dir: &Path) -> PathBuf {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let found = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .find(|p| p.extension().is_some_and(|e| e == "json"));
        if let Some(p) = found {
            return p;
        }
        assert!(
            Instant::now() < deadline,
            "no download in {}",
            dir.display()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
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
    tokio::time::sleep(Duration::from_millis(800)).await;
    click(&client, "#edit-toggle").await;
    click(&client, "#export-config").await;
    let exported = wait_download(&h.downloads).await;
    let exported_text = std::fs::read_to_string(&exported).unwrap();
    assert!(exported_text.contains("lab/exported"));

    // Remove the widget, then bring it back by importing the export.
    client
        .execute("window.confirm = () => true", vec![])
        .await
        .unwrap();
    click(&client, ".cell[data-widget-id=\"gauge-1\"] .remove-widget").await;
    wait_for("widget removed", Duration::from_secs(5), || async {
        match client
            .find(Locator::Css("[data-widget-id=\"gauge-1\"]"))
            .await
        {
            Ok(_) => Err("still there".into()),
            Err(_) => Ok(Some(())),
        }
    })
    .await;
    find(&client, "#import-file")
        .await
        .unwrap()
        .send_keys(exported.to_str().unwrap())
        .await
        .unwrap();
    wait_attr(&client, "#notice", "class", "notice info").await;
    find(&client, "[data-widget-id=\"gauge-1\"]")
        .await
        .expect("the import restored it");
    tokio::time::sleep(Duration::from_millis(800)).await;
    let before = local_storage(&client, "tablero.config").await;

    let broken = h.downloads.join("broken.txt");
    std::fs::write(&broken, "{\"version\": 1, \"connections\": [").unwrap();
    find(&client, "#import-file")
        .await
        .unwrap()
        .send_keys(broken.to_str().unwrap())
        .await
        .unwrap();
    wait_attr(&client, "#notice", "class", "notice error").await;
    let message = text_of(&client, "#notice").await.unwrap();
    assert!(message.contains("Nothing was imported"), "{message}");
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(
        local_storage(&client, "tablero.config").await,
        before,
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
    let text = text_of(&client, "#status").await.unwrap();
    assert!(text.contains("Reconnecting in"), "{text}");
    h.broker.restart();
    // Full jitter with a 1 s start: after a few failed attempts the wait stays under 8 s;
    // "Retry now" is what a user would press, but the page must get there alone.
    wait_for("connected again", Duration::from_secs(40), || async {
        match attr_of(&client, "#status", "data-state").await? {
            Some(s) if s == "connected" => Ok(Some(())),
            other => Err(format!("{other:?}")),
        }
    })
    .await;
    h.publish("tablero/demo/temperature", &["-m", "30.5"]);
    wait_text(&client, &widget("temperature", ".gauge-value"), "30.5").await;
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

async fn visible_texts(client: &Client) -> Vec<String> {
    let v = client
        .execute(
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
               return out;"#,
            vec![],
        )
        .await
        .unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s.as_str().map(str::to_owned))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spanish_shows_no_english_and_the_switch_changes_every_string() {
    let h = Harness::start();
    let client = h.open(1280, 900, "es").await;
    let english = english_only_strings();
    assert!(english.len() > 100, "the dictionary was read");
    let check = |texts: Vec<String>, place: &str| {
        let leaks: Vec<&String> = texts.iter().filter(|t| english.contains(t)).collect();
        assert!(
            leaks.is_empty(),
            "English left in Spanish ({place}): {leaks:?}"
        );
    };
    check(visible_texts(&client).await, "use mode");
    click(&client, "#edit-toggle").await;
    check(visible_texts(&client).await, "edit mode");
    click(&client, "#add-widget").await;
    find(&client, ".widget-editor").await.unwrap();
    check(visible_texts(&client).await, "widget editor");
    click(&client, ".widget-editor .cancel").await;
    click(&client, "#edit-connection").await;
    find(&client, ".connection-editor").await.unwrap();
    check(visible_texts(&client).await, "connection editor");
    click(&client, ".connection-editor .cancel").await;
    click(&client, "#edit-toggle").await;

    let spanish = visible_texts(&client).await;
    click(&client, "#switch-lang").await;
    wait_text(&client, "#status .status-text", "Connected").await;
    let english_now = visible_texts(&client).await;
    assert_ne!(spanish, english_now);
    assert_eq!(text_of(&client, "#edit-toggle").await.unwrap(), "Edit");
    client.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn phone_and_desktop_layouts_in_both_languages() {
    let h = Harness::start();
    let device = h.tablero(&["device", "--prefix", "tablero/demo", "--interval-ms", "100"]);
    for (w, hgt, name) in [(360, 640, "phone"), (1280, 900, "desktop")] {
        for lang in ["es", "en"] {
            let client = h.open(w, hgt, lang).await;
            wait_for("data", Duration::from_secs(10), || async {
                let t = text_of(&client, &widget("temperature", ".gauge-value")).await?;
                if t.contains('.') {
                    Ok(Some(()))
                } else {
                    Err(t)
                }
            })
            .await;
            tokio::time::sleep(Duration::from_millis(1500)).await;
            let inner = client
                .execute("return window.innerWidth", vec![])
                .await
                .unwrap();
            assert_eq!(inner.as_i64(), Some(i64::from(w)));
            let overflow = client
                .execute(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth",
                    vec![],
                )
                .await
                .unwrap();
            assert_eq!(
                overflow.as_i64(),
                Some(0),
                "horizontal scroll at {w} px ({lang})"
            );
            if w < 500 {
                // Touch targets: every visible button at least 44 px tall.
                let small = client
                    .execute(
                        r#"return [...document.querySelectorAll('button')]
                             .filter(b => b.offsetParent !== null && b.getBoundingClientRect().height < 44)
                             .map(b => b.textContent.trim() || b.className);"#,
                        vec![],
                    )
                    .await
                    .unwrap();
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
        let detail = text_of(&client, "#status .status-detail").await.unwrap();
        assert!(
            detail.contains(&format!("ws://127.0.0.1:{port}/")),
            "{detail}"
        );
        assert!(detail.contains("nothing answers"), "{detail}");
        client.close().await.unwrap();
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_dashboards_on_two_brokers_are_live_at_once() {
    let h = Harness::start();
    let second = Mosquitto::start();
    let client = h.open(1280, 900, "en").await;
    click(&client, "#edit-toggle").await;
    click(&client, "#add-dashboard").await;
    click(&client, "#add-connection").await;
    find(&client, ".connection-editor").await.unwrap();
    find(&client, ".connection-editor [name=\"preset\"]")
        .await
        .unwrap()
        .select_by_value("custom")
        .await
        .unwrap();
    find(&client, ".connection-editor [name=\"scheme\"]")
        .await
        .unwrap()
        .select_by_value("ws")
        .await
        .unwrap();
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
    click(&client, "#edit-toggle").await;
    add_widget(&client, "value", "From B", &[("binding.topic", "b/topic")]).await;
    wait_status(&client, "connected").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let status = Command::new(require_program("mosquitto_pub"))
        .args(["-h", "127.0.0.1", "-p", &second.tcp_port.to_string()])
        .args(["-t", "b/topic", "-m", "from-b"])
        .status()
        .unwrap();
    assert!(status.success());
    wait_text(&client, &widget("value-1", ".value-number"), "from-b").await;

    // The first broker's link stayed open: its dashboard has the value already.
    h.publish("tablero/demo/temperature", &["-m", "12.5"]);
    tokio::time::sleep(Duration::from_millis(500)).await;
    click(&client, ".tab[data-dashboard-id=\"demo\"]").await;
    wait_text(&client, &widget("temperature", ".gauge-value"), "12.5").await;
    client.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn move_buttons_reorder_widgets_and_the_order_is_kept() {
    let h = Harness::start();
    let client = h.open(1280, 900, "en").await;
    let order = || async {
        client
            .execute(
                "return [...document.querySelectorAll('.grid > .cell')].map(c => c.dataset.widgetId)",
                vec![],
            )
            .await
            .unwrap()
    };
    assert_eq!(
        order().await,
        serde_json::json!(["temperature", "relay", "humidity", "history"])
    );
    click(&client, "#edit-toggle").await;
    click(&client, ".cell[data-widget-id=\"humidity\"] .move-up").await;
    click(&client, ".cell[data-widget-id=\"temperature\"] .move-down").await;
    let expected = serde_json::json!(["humidity", "temperature", "relay", "history"]);
    assert_eq!(order().await, expected);
    tokio::time::sleep(Duration::from_millis(800)).await;
    client.refresh().await.unwrap();
    wait_status(&client, "connected").await;
    assert_eq!(order().await, expected, "the order survived a reload");
    client.close().await.unwrap();
}
