//! Helpers shared by the browser suites: the harness (a mosquitto, the static server of
//! `dist/`, chromedriver), element reads and actions that find their element again on every
//! try, and waits on the broker's log.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::elements::Element;
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use testkit::mosquitto::require_program;
use testkit::web::{ChromeDriver, StaticServer};
use testkit::{BrokerEvent, Mosquitto, has_subscriber};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn artifacts() -> PathBuf {
    let dir = root().join("test-artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The `tablero` CLI, built by `make test` before this suite (`cargo build -p tablero-cli`).
pub fn tablero_bin() -> PathBuf {
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

/// The demo dashboard's temperature topic: its gauge and its chart read it.
pub const DEMO_TEMPERATURE: &str = "tablero/demo/temperature";

/// A child process killed on drop.
pub struct Proc(pub Child);

impl Proc {
    /// Waits (off the async runtime) for the process to end: its exit status and what it
    /// printed on stdout.
    /// Waits for the process; its exit status, standard output and standard error (where
    /// `-d` prints every packet).
    pub async fn output_and_log(mut self) -> (std::process::ExitStatus, String, String) {
        tokio::task::spawn_blocking(move || {
            let status = self.0.wait().unwrap();
            let (mut out, mut log) = (String::new(), String::new());
            if let Some(mut stdout) = self.0.stdout.take() {
                stdout.read_to_string(&mut out).unwrap();
            }
            if let Some(mut stderr) = self.0.stderr.take() {
                stderr.read_to_string(&mut log).unwrap();
            }
            (status, out, log)
        })
        .await
        .unwrap()
    }

    pub async fn output(mut self) -> (std::process::ExitStatus, String) {
        tokio::task::spawn_blocking(move || {
            let status = self.0.wait().unwrap();
            let mut text = String::new();
            if let Some(mut out) = self.0.stdout.take() {
                out.read_to_string(&mut text).unwrap();
            }
            (status, text)
        })
        .await
        .unwrap()
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub struct Harness {
    pub broker: Mosquitto,
    pub server: StaticServer,
    pub driver: ChromeDriver,
    pub downloads: PathBuf,
}

impl Harness {
    pub fn start() -> Self {
        let downloads = std::env::temp_dir().join(format!(
            "tablero-e2e-dl-{}-{}",
            std::process::id(),
            testkit::free_port()
        ));
        std::fs::create_dir_all(&downloads).unwrap();
        Self {
            broker: Mosquitto::start(),
            // `TABLERO_DIST`: another build than `dist/` (two builds side by side).
            server: StaticServer::start(
                std::env::var_os("TABLERO_DIST")
                    .map(PathBuf::from)
                    .unwrap_or_else(|| root().join("dist")),
            ),
            driver: ChromeDriver::start(),
            downloads,
        }
    }

    pub async fn browser(&self, width: u32, height: u32) -> Client {
        let mut caps = self.driver.capabilities(width, height);
        if let Some(opts) = caps.get_mut("goog:chromeOptions") {
            opts["prefs"] = serde_json::json!({
                "download.default_directory": self.downloads,
                "download.prompt_for_download": false,
            });
        }
        connect(&self.driver, caps).await
    }

    pub fn page_url(&self, lang: &str) -> String {
        self.page_url_at(&self.server.url(), lang)
    }

    /// The app at `base` (another server, a sub-path), pointed at this harness's broker.
    pub fn page_url_at(&self, base: &str, lang: &str) -> String {
        format!(
            "{base}?broker=ws://127.0.0.1:{}&lang={lang}",
            self.broker.ws_port.expect("websockets listener")
        )
    }

    /// A browser on the page, connected to the broker and subscribed to the demo's topics:
    /// a message published once this returns reaches the page.
    pub async fn open(&self, width: u32, height: u32, lang: &str) -> Client {
        let subscribed = subscriptions_to(&self.broker, DEMO_TEMPERATURE);
        let client = self.browser(width, height).await;
        client.goto(&self.page_url(lang)).await.unwrap();
        wait_status(&client, "connected").await;
        wait_for(
            "the page's SUBSCRIBE to the demo's topics",
            Duration::from_secs(15),
            || async {
                let now = subscriptions_to(&self.broker, DEMO_TEMPERATURE);
                if now > subscribed {
                    Ok(Some(()))
                } else {
                    Err(format!("{now} SUBSCRIBEs to {DEMO_TEMPERATURE}"))
                }
            },
        )
        .await;
        client
    }

    pub fn publish(&self, topic: &str, args: &[&str]) {
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

    /// Publishes each line of `lines` as one message, over one connection
    /// (`mosquitto_pub -l`).
    pub fn publish_lines(&self, topic: &str, lines: &str) {
        let file = std::env::temp_dir().join(format!(
            "tablero-e2e-lines-{}-{}",
            std::process::id(),
            testkit::free_port()
        ));
        std::fs::write(&file, lines).unwrap();
        let status = Command::new(require_program("mosquitto_pub"))
            .args(["-h", "127.0.0.1", "-p", &self.broker.tcp_port.to_string()])
            .args(["-t", topic, "-l"])
            .stdin(std::fs::File::open(&file).unwrap())
            .status()
            .expect("run mosquitto_pub");
        let _ = std::fs::remove_file(file);
        assert!(status.success(), "mosquitto_pub failed");
    }

    pub fn tablero(&self, args: &[&str]) -> Proc {
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

/// How long a click, a fill or a select keeps trying: a re-render replaces elements, so each
/// try finds its element again, and a stale or not-yet-present element is one more try.
pub const ACT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a read keeps trying to find and read its element.
pub const READ_TIMEOUT: Duration = Duration::from_secs(10);

/// Polls `read` until it returns Some, or fails with what was last seen.
pub async fn wait_for<T, F, Fut>(what: &str, timeout: Duration, mut read: F) -> T
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

/// One try at finding an element.
pub async fn find(client: &Client, css: &str) -> Result<Element, String> {
    client
        .find(Locator::Css(css))
        .await
        .map_err(|e| format!("{css}: {e}"))
}

/// One try at finding an element and reading its text (for use inside [`wait_for`]).
pub async fn try_text(client: &Client, css: &str) -> Result<String, String> {
    find(client, css)
        .await?
        .text()
        .await
        .map_err(|e| format!("{css}: {e}"))
}

/// One try at finding an element and reading an attribute (for use inside [`wait_for`]).
pub async fn try_attr(client: &Client, css: &str, attr: &str) -> Result<Option<String>, String> {
    find(client, css)
        .await?
        .attr(attr)
        .await
        .map_err(|e| format!("{css}: {e}"))
}

/// One try at finding an element and reading a DOM property (for use inside [`wait_for`]).
pub async fn try_prop(client: &Client, css: &str, prop: &str) -> Result<Option<String>, String> {
    find(client, css)
        .await?
        .prop(prop)
        .await
        .map_err(|e| format!("{css}: {e}"))
}

/// An element's text, read as soon as the element can be found and read: a missing or
/// stale element is retried, and the first text read is returned for the caller to assert.
pub async fn text_of(client: &Client, css: &str) -> String {
    wait_for(&format!("the text of {css}"), READ_TIMEOUT, || async {
        try_text(client, css).await.map(Some)
    })
    .await
}

/// An element's attribute, read as [`text_of`] reads text.
pub async fn attr_of(client: &Client, css: &str, attr: &str) -> Option<String> {
    wait_for(&format!("{css}[{attr}]"), READ_TIMEOUT, || async {
        try_attr(client, css, attr).await.map(Some)
    })
    .await
}

/// An element's DOM property, read as [`text_of`] reads text.
pub async fn prop_of(client: &Client, css: &str, prop: &str) -> Option<String> {
    wait_for(&format!("{css}.{prop}"), READ_TIMEOUT, || async {
        try_prop(client, css, prop).await.map(Some)
    })
    .await
}

/// Clicks an element, finding it again on every try. The element is scrolled to the middle
/// of the viewport first, so that a sticky bar (an editor's Save/Cancel) does not cover it.
pub async fn click(client: &Client, css: &str) {
    wait_for(&format!("a click on {css}"), ACT_TIMEOUT, || async {
        click_once(client, css).await.map(Some)
    })
    .await
}

/// One try at a click on `css`: found, scrolled into the middle of the view, clicked.
async fn click_once(client: &Client, css: &str) -> Result<(), String> {
    let el = find(client, css).await?;
    let arg = serde_json::to_value(&el).map_err(|e| e.to_string())?;
    client
        .execute(
            "arguments[0].scrollIntoView({block: 'center', inline: 'center'})",
            vec![arg],
        )
        .await
        .map_err(|e| format!("{css}: {e}"))?;
    el.click().await.map_err(|e| format!("{css}: {e}"))
}

/// Clicks `css` until `shown` is shown, for a button on a line that lays itself out again
/// while the test runs (the status line between connection attempts: "Connecting…" and
/// "Reconnecting in 6 s" differ in width). The driver checks what is under the button's
/// middle, then sends the tap; a line laid out again between the two takes the tap beside
/// the button, and nothing says so. A person taps again: so does this, and each tap waits a
/// while for its dialog before the next, so one that works is never doubled.
pub async fn click_until_shown(client: &Client, css: &str, shown: &str) {
    wait_for(
        &format!("a click on {css} that shows {shown}"),
        ACT_TIMEOUT,
        || async {
            if visible_count(client, shown).await? == 0 {
                click_once(client, css).await?;
            }
            for _ in 0..40 {
                if visible_count(client, shown).await? > 0 {
                    return Ok(Some(()));
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            Err(format!("{shown} not shown after a click on {css}"))
        },
    )
    .await
}

/// Whether a form control now holds `value`: the read-back that makes `fill` and `select`
/// retry until the page has really taken the input.
pub async fn holds(el: &Element, css: &str, value: &str) -> Result<Option<()>, String> {
    match el.prop("value").await.map_err(|e| format!("{css}: {e}"))? {
        Some(v) if v == value => Ok(Some(())),
        other => Err(format!("{css} holds {other:?}")),
    }
}

/// Replaces an input's text (clear, then type) and reads it back; a try that loses its
/// element or its text to a re-render starts over on the element found again.
pub async fn fill(client: &Client, css: &str, value: &str) {
    wait_for(
        &format!("{css} filled with {value:?}"),
        ACT_TIMEOUT,
        || async {
            let el = find(client, css).await?;
            el.clear().await.map_err(|e| format!("{css}: {e}"))?;
            el.send_keys(value)
                .await
                .map_err(|e| format!("{css}: {e}"))?;
            holds(&el, css, value).await
        },
    )
    .await
}

/// Chooses a select's option by value and reads the choice back, finding the select again
/// on every try.
pub async fn select(client: &Client, css: &str, value: &str) {
    wait_for(&format!("{css} set to {value:?}"), ACT_TIMEOUT, || async {
        let el = find(client, css).await?;
        el.select_by_value(value)
            .await
            .map_err(|e| format!("{css}: {e}"))?;
        holds(&el, css, value).await
    })
    .await
}

/// Hands a file to a file input.
pub async fn upload(client: &Client, css: &str, file: &Path) {
    let path = file.to_str().expect("a UTF-8 temp path");
    wait_for(&format!("{path} given to {css}"), ACT_TIMEOUT, || async {
        find(client, css)
            .await?
            .send_keys(path)
            .await
            .map_err(|e| format!("{css}: {e}"))?;
        Ok(Some(()))
    })
    .await
}

/// How many elements matching `css` have a box on screen (a closed `<dialog>`'s content
/// has none).
pub async fn visible_count(client: &Client, css: &str) -> Result<usize, String> {
    let n = client
        .execute(
            "return [...document.querySelectorAll(arguments[0])]\
               .filter(e => e.getClientRects().length > 0).length",
            vec![css.into()],
        )
        .await
        .map_err(|e| format!("{css}: {e}"))?;
    n.as_u64()
        .map(|n| n as usize)
        .ok_or_else(|| format!("{css}: counted {n}"))
}

/// Waits until an element matching `css` is shown (an editor opened).
pub async fn wait_shown(client: &Client, css: &str) {
    wait_for(&format!("{css} shown"), READ_TIMEOUT, || async {
        match visible_count(client, css).await? {
            0 => Err("none shown".into()),
            _ => Ok(Some(())),
        }
    })
    .await
}

/// Waits until no element matching `css` is shown (an editor closed, whether it left the
/// page or stays in a closed dialog).
pub async fn wait_hidden(client: &Client, css: &str) {
    wait_for(&format!("{css} hidden"), READ_TIMEOUT, || async {
        match visible_count(client, css).await? {
            0 => Ok(Some(())),
            n => Err(format!("{n} shown")),
        }
    })
    .await
}

/// Waits until an element matching `css` is on the page.
pub async fn wait_present(client: &Client, css: &str) {
    wait_for(css, READ_TIMEOUT, || async {
        find(client, css).await.map(|_| Some(()))
    })
    .await
}

/// Waits until no element matches `css` (a failed lookup for another reason is retried).
pub async fn wait_gone(client: &Client, css: &str) {
    wait_for(&format!("no {css}"), READ_TIMEOUT, || async {
        match client.find(Locator::Css(css)).await {
            Ok(_) => Err("still there".into()),
            Err(e) if e.is_no_such_element() => Ok(Some(())),
            Err(e) => Err(e.to_string()),
        }
    })
    .await
}

pub async fn wait_status(client: &Client, state: &str) {
    wait_for(
        &format!("status {state}"),
        Duration::from_secs(30),
        || async {
            match try_attr(client, "#status", "data-state").await? {
                Some(s) if s == state => Ok(Some(())),
                other => Err(format!("status {other:?}")),
            }
        },
    )
    .await
}

pub async fn wait_text(client: &Client, css: &str, expected: &str) {
    wait_for(
        &format!("{css} = {expected:?}"),
        Duration::from_secs(15),
        || async {
            let text = try_text(client, css).await?;
            if text == expected {
                Ok(Some(()))
            } else {
                Err(format!("{text:?}"))
            }
        },
    )
    .await
}

/// Waits until an element's text passes `ok`, and returns that text.
pub async fn wait_text_where(
    client: &Client,
    css: &str,
    what: &str,
    ok: impl Fn(&str) -> bool,
) -> String {
    wait_for(
        &format!("{css}: {what}"),
        Duration::from_secs(15),
        || async {
            let text = try_text(client, css).await?;
            if ok(&text) { Ok(Some(text)) } else { Err(text) }
        },
    )
    .await
}

pub async fn wait_attr(client: &Client, css: &str, attr: &str, expected: &str) {
    wait_for(
        &format!("{css}[{attr}={expected}]"),
        Duration::from_secs(15),
        || async {
            match try_attr(client, css, attr).await? {
                Some(v) if v == expected => Ok(Some(())),
                other => Err(format!("{other:?}")),
            }
        },
    )
    .await
}

/// Runs a script in the page (scripts read the DOM in one go, so they cannot go stale).
pub async fn js(client: &Client, script: &str) -> serde_json::Value {
    client
        .execute(script, vec![])
        .await
        .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
}

/// console.error calls since the page loaded (a panic goes there, through the app's hook).
pub async fn watch_console(client: &Client) {
    js(
        client,
        "if (!window.__errors) {
           window.__errors = [];
           const e = console.error;
           console.error = function (...a) { window.__errors.push(a.join(' ')); e.apply(console, a); };
         }
         return null;",
    )
    .await;
}

pub async fn console_errors(client: &Client) -> Vec<String> {
    let v = js(client, "return window.__errors || [];").await;
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

pub async fn local_storage(client: &Client, key: &str) -> Option<String> {
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

async fn connect(
    driver: &ChromeDriver,
    caps: serde_json::Map<String, serde_json::Value>,
) -> Client {
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&driver.url())
        .await
        .expect("connect to chromedriver")
}

/// A browser of another chromedriver: its own profile, nothing stored (a friend's phone).
pub async fn client_on(driver: &ChromeDriver, width: u32, height: u32) -> Client {
    client_with_args(driver, width, height, &[]).await
}

/// A browser with Chromium flags of the test's own (e.g. to accept a test certificate).
pub async fn client_with_args(
    driver: &ChromeDriver,
    width: u32,
    height: u32,
    args: &[&str],
) -> Client {
    let mut caps = driver.capabilities(width, height);
    if let Some(list) = caps
        .get_mut("goog:chromeOptions")
        .and_then(|o| o.get_mut("args"))
        .and_then(|a| a.as_array_mut())
    {
        list.extend(args.iter().map(|a| serde_json::Value::from(*a)));
    }
    connect(driver, caps).await
}

/// An empty folder of this test's own under the system's temporary directory.
pub fn temp_site(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "tablero-e2e-{tag}-{}-{}",
        std::process::id(),
        testkit::free_port()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A copy of `dist/` in a new temporary site, without the files `leave_out` names (a test
/// can break the site, or update it, without touching `dist/`); the names left out.
pub fn dist_copy(tag: &str, leave_out: impl Fn(&str) -> bool) -> (PathBuf, Vec<String>) {
    let site = temp_site(tag);
    let mut left = Vec::new();
    for entry in std::fs::read_dir(root().join("dist")).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if leave_out(&name) {
            left.push(name);
        } else {
            std::fs::copy(root().join("dist").join(&name), site.join(&name)).unwrap();
        }
    }
    (site, left)
}

/// The page's network off or back on, as Chromium's DevTools emulates it: offline makes
/// `navigator.onLine` false and new connections fail; an open WebSocket is the browser's
/// business (see the lifecycle network test's first 3 s).
pub async fn set_network(h: &Harness, client: &Client, online: bool) {
    cdp(h, client, "Network.enable", serde_json::json!({})).await;
    cdp(
        h,
        client,
        "Network.emulateNetworkConditions",
        serde_json::json!({"offline": !online, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}),
    )
    .await;
}

/// Writes `config` as the stored configuration and loads the page again, to start from it.
pub async fn store_config_and_reload(client: &Client, config: &serde_json::Value) {
    client
        .execute(
            "localStorage.setItem('tablero.config', arguments[0]); return true",
            vec![config.to_string().into()],
        )
        .await
        .unwrap();
    client.refresh().await.unwrap();
}

/// Waits until the stored configuration passes `ok` (it is saved a moment after a change).
pub async fn wait_stored(client: &Client, what: &str, ok: impl Fn(&str) -> bool) -> String {
    wait_for(
        &format!("stored config: {what}"),
        Duration::from_secs(10),
        || async {
            match local_storage(client, "tablero.config").await {
                Some(c) if ok(&c) => Ok(Some(c)),
                other => Err(format!("{other:?}")),
            }
        },
    )
    .await
}

/// Waits until the broker has logged an event that passes `ok`.
pub async fn wait_broker(broker: &Mosquitto, what: &str, ok: impl Fn(&BrokerEvent) -> bool) {
    wait_for(what, Duration::from_secs(15), || async {
        let events = broker.events();
        if events.iter().any(&ok) {
            Ok(Some(()))
        } else {
            Err(requests(&events))
        }
    })
    .await
}

/// Waits until a client connected to the broker holds a subscription to `filter` (its
/// latest connection subscribed, and has neither unsubscribed nor ended since).
pub async fn wait_subscribed(broker: &Mosquitto, filter: &str) {
    wait_for(
        &format!("a subscriber to {filter}"),
        Duration::from_secs(15),
        || async {
            let events = broker.events();
            if has_subscriber(&events, filter) {
                Ok(Some(()))
            } else {
                Err(requests(&events))
            }
        },
    )
    .await
}

pub async fn screenshot(client: &Client, name: &str) {
    let png = client.screenshot().await.unwrap();
    std::fs::write(artifacts().join(name), png).unwrap();
}

/// Presses and releases one key, at whatever element has the focus.
pub async fn press(client: &Client, key: Key) {
    let key = char::from(key);
    let actions = KeyActions::new("keyboard".into())
        .then(KeyAction::Down { value: key })
        .then(KeyAction::Up { value: key });
    client.perform_actions(actions).await.unwrap();
}

/// The ids of the shown dashboard's widgets, in order.
pub async fn widget_ids(client: &Client) -> Vec<String> {
    let ids = js(
        client,
        "return [...document.querySelectorAll('.grid > .cell')].map(c => c.dataset.widgetId)",
    )
    .await;
    serde_json::from_value(ids).expect("a list of ids")
}

/// Turns edit mode on or off (whatever it was) and waits until the page shows it.
pub async fn set_editing(client: &Client, on: bool) {
    let want = if on { "true" } else { "false" };
    if attr_of(client, "#edit-toggle", "aria-pressed")
        .await
        .as_deref()
        != Some(want)
    {
        click(client, "#edit-toggle").await;
    }
    wait_attr(client, "#edit-toggle", "aria-pressed", want).await;
}

/// Waits for the open widget editor to accept its input, saves, and waits for it to close.
pub async fn save_widget_editor(client: &Client) {
    wait_for("save enabled", Duration::from_secs(5), || async {
        match try_attr(client, ".widget-editor .save", "disabled").await? {
            None => Ok(Some(())),
            Some(_) => {
                let errors = try_text(client, ".widget-editor").await.unwrap_or_default();
                Err(format!("save disabled: {errors}"))
            }
        }
    })
    .await;
    click(client, ".widget-editor .save").await;
    wait_hidden(client, ".widget-editor").await;
}

/// Adds a widget through the editor: type, title and topic, plus any extra fields. Leaves
/// edit mode off, and returns the new widget's id.
pub async fn add_widget(
    client: &Client,
    kind: &str,
    title: &str,
    fields: &[(&str, &str)],
) -> String {
    set_editing(client, true).await;
    let before = widget_ids(client).await;
    select(client, "#new-widget-type", kind).await;
    click(client, "#add-widget").await;
    wait_shown(client, ".widget-editor").await;
    assert_eq!(
        prop_of(client, ".widget-editor [name=\"type\"]", "value")
            .await
            .as_deref(),
        Some(kind),
        "the editor opened for the kind chosen in the toolbar"
    );
    fill(client, ".widget-editor [name=\"title\"]", title).await;
    for (name, value) in fields {
        fill(client, &format!(".widget-editor [name=\"{name}\"]"), value).await;
    }
    save_widget_editor(client).await;
    let id = wait_for("the new widget", Duration::from_secs(5), || async {
        let now = widget_ids(client).await;
        let new: Vec<&String> = now.iter().filter(|id| !before.contains(id)).collect();
        match new.as_slice() {
            [id] => Ok(Some((*id).clone())),
            _ => Err(format!("before {before:?}, now {now:?}")),
        }
    })
    .await;
    set_editing(client, false).await;
    id
}

/// Removes a widget in edit mode, accepting the confirmation, and waits until it is gone.
pub async fn remove_widget(client: &Client, id: &str) {
    js(client, "window.confirm = () => true").await;
    click(client, &widget(id, ".remove-widget")).await;
    wait_gone(client, &format!("[data-widget-id=\"{id}\"]")).await;
}

pub fn widget(id: &str, inner: &str) -> String {
    format!("[data-widget-id=\"{id}\"] {inner}")
}

/// How many SUBSCRIBEs to `filter` the broker's log shows.
pub fn subscriptions_to(broker: &Mosquitto, filter: &str) -> usize {
    broker
        .events()
        .iter()
        .filter(|e| matches!(e, BrokerEvent::Subscribe { filter: f, .. } if f == filter))
        .count()
}

/// How many PUBLISH packets mosquitto received on `topic` (from any client), and how many of
/// them were flagged as resends.
pub fn publishes_received(broker: &Mosquitto, topic: &str) -> (usize, usize) {
    let events = broker.events();
    let on_topic = events.iter().filter_map(|e| match e {
        BrokerEvent::Publish { topic: t, dup, .. } if t == topic => Some(*dup),
        _ => None,
    });
    on_topic.fold((0, 0), |(all, dups), dup| {
        (all + 1, dups + usize::from(dup))
    })
}

/// The topics of the PUBLISH packets mosquitto received, in order.
pub fn topics_published(broker: &Mosquitto) -> Vec<String> {
    broker
        .events()
        .into_iter()
        .filter_map(|e| match e {
            BrokerEvent::Publish { topic, .. } => Some(topic),
            _ => None,
        })
        .collect()
}

/// Broker events in short: `CONNECT c`, `SUBSCRIBE f`, `UNSUBSCRIBE f`, `DISCONNECT c`
/// (deliveries left out).
pub fn requests(events: &[BrokerEvent]) -> String {
    let list: Vec<String> = events
        .iter()
        .filter_map(|e| match e {
            BrokerEvent::Connect { client } => Some(format!("CONNECT {client}")),
            BrokerEvent::Subscribe { filter, .. } => Some(format!("SUBSCRIBE {filter}")),
            BrokerEvent::Unsubscribe { filter, .. } => Some(format!("UNSUBSCRIBE {filter}")),
            BrokerEvent::Disconnect { client } => Some(format!("DISCONNECT {client}")),
            BrokerEvent::Deliver { .. } | BrokerEvent::Publish { .. } => None,
        })
        .collect();
    format!("[{}]", list.join(", "))
}

/// Sets the dashboard's connection to `version` through the connection editor.
pub async fn set_connection_version(client: &Client, version: &str) {
    set_editing(client, true).await;
    click(client, "#edit-connection").await;
    wait_shown(client, ".connection-editor").await;
    select(
        client,
        ".connection-editor [name=\"mqtt_version\"]",
        version,
    )
    .await;
    click(client, ".connection-editor .save").await;
    wait_hidden(client, ".connection-editor").await;
    set_editing(client, false).await;
}

/// Waits until the status says connected again after an outage: with full jitter and a 1 s
/// start, a few failed attempts keep the wait under 8 s; 40 s is the bound.
pub async fn wait_connected_again(client: &Client) {
    wait_for("connected again", Duration::from_secs(40), || async {
        match try_attr(client, "#status", "data-state").await? {
            Some(s) if s == "connected" => Ok(Some(())),
            other => Err(format!("{other:?}")),
        }
    })
    .await;
}

/// Waits until every widget on the page is marked as showing data from before the
/// disconnection.
pub async fn wait_all_widgets_offline(client: &Client) {
    let widgets = widget_ids(client).await.len();
    wait_for(
        "every widget marked offline",
        Duration::from_secs(10),
        || async {
            let marked = visible_count(client, ".widget.offline").await?;
            if marked == widgets {
                Ok(Some(()))
            } else {
                Err(format!("{marked} of {widgets}"))
            }
        },
    )
    .await;
}

/// Taps the switch `id` while disconnected and waits for the refusal in words.
pub async fn tap_is_refused_as_not_connected(client: &Client, id: &str) {
    click(client, &widget(id, ".switch-toggle")).await;
    wait_text_where(client, "#notice", "the command refused", |t| {
        t.contains("not connected to the broker; nothing was sent")
    })
    .await;
}

/// Sends a DevTools protocol command to the page through chromedriver
/// (`POST /session/{id}/goog/cdp/execute`) and returns its result.
pub async fn cdp(
    h: &Harness,
    client: &Client,
    cmd: &str,
    params: serde_json::Value,
) -> serde_json::Value {
    let session = client.session_id().await.unwrap().expect("a session id");
    let port = h.driver.port;
    let body = serde_json::json!({"cmd": cmd, "params": params}).to_string();
    let cmd = cmd.to_owned();
    tokio::task::spawn_blocking(move || {
        let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).expect("chromedriver");
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        write!(
            s,
            "POST /session/{session}/goog/cdp/execute HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        // chromedriver keeps the connection open: read the head, then Content-Length bytes.
        let mut buf = Vec::new();
        let mut chunk = [0u8; 4096];
        let (head, body_start) = loop {
            let n = s.read(&mut chunk).unwrap();
            assert!(n > 0, "{cmd}: chromedriver closed the connection");
            buf.extend_from_slice(&chunk[..n]);
            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break (String::from_utf8_lossy(&buf[..i]).into_owned(), i + 4);
            }
        };
        assert!(head.starts_with("HTTP/1.1 200"), "{cmd}: {head}");
        let len: usize = head
            .lines()
            .find_map(|l| {
                let (k, v) = l.split_once(':')?;
                k.eq_ignore_ascii_case("content-length")
                    .then(|| v.trim().parse().ok())?
            })
            .expect("a Content-Length");
        while buf.len() < body_start + len {
            let n = s.read(&mut chunk).unwrap();
            assert!(n > 0, "{cmd}: short body");
            buf.extend_from_slice(&chunk[..n]);
        }
        let rest = String::from_utf8_lossy(&buf[body_start..body_start + len]).into_owned();
        let v: serde_json::Value =
            serde_json::from_str(&rest).unwrap_or_else(|e| panic!("{cmd}: {e}: {rest}"));
        v["value"].clone()
    })
    .await
    .unwrap()
}

/// Chromium's own check before it offers to install the app: no errors.
pub async fn assert_installable(h: &Harness, client: &Client) {
    let errors = cdp(
        h,
        client,
        "Page.getInstallabilityErrors",
        serde_json::json!({}),
    )
    .await;
    assert_eq!(
        errors["installabilityErrors"],
        serde_json::json!([]),
        "Chromium's installability errors"
    );
}

/// The demo's gauge shows a temperature the virtual device makes (19–25 °C).
pub async fn wait_demo_temperature(client: &Client) {
    wait_for("a temperature on the gauge", READ_TIMEOUT, || async {
        let t = try_text(client, &widget("temperature", ".gauge-value")).await?;
        Ok(t.parse::<f64>().ok().filter(|v| (19.0..=25.0).contains(v)))
    })
    .await;
}

/// One tap on the demo's relay, from off, and its confirmation by the device.
pub async fn tap_relay_until_confirmed_on(client: &Client) {
    let toggle = widget("relay", ".switch-toggle");
    wait_attr(client, &toggle, "aria-checked", "false").await;
    click(client, &toggle).await;
    wait_attr(client, &toggle, "aria-checked", "true").await;
}
