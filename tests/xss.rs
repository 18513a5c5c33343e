//! XSS and hostile input ([Hardening], issue 12): every string of the committed corpus
//! (`tests/data/hostile-strings.txt`) goes everywhere the app shows text from a broker, the
//! user or a file, and nothing runs. Before the page loads, a DevTools script installs the
//! canary (`window.__pwned`: every payload that would run sets it) and a
//! `securitypolicyviolation` listener that records every Content-Security-Policy report into
//! `window.__csp`; both must stay empty. A deliberately unsafe page proves that the canary
//! and the reports are live, so "nothing fired" in the app means something.
//!
//! Real parts: the release build (`dist/`), headless Chromium, mosquitto (aedes for the
//! megabyte strings: mosquitto 2.0.11's WebSocket path takes seconds per 100 KB).

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::Client;
use serde_json::{Value, json};
use support::*;
use tablero::config;
use testkit::mosquitto::require_program;
use testkit::web::StaticServer;
use testkit::{Broker, MqttVersion};

/// What the app shows of a payload in place, and quotes in an error line or a label
/// (`src/payload.rs`).
const SHOWN_CHARS: usize = 280;
const QUOTED_CHARS: usize = 24;
/// The configuration's limits (`src/config/validate.rs`): a string longer than its place
/// allows goes there cut to the limit (the whole string is refused; see `long_strings_*`).
const MAX_NAME_CHARS: usize = 80;
const MAX_UNIT_CHARS: usize = 16;
const MAX_PAYLOAD_CHARS: usize = 1024;
/// Strings per imported configuration: one connection per string, and the app allows 20.
const BATCH: usize = 20;

// ---- the corpus ---------------------------------------------------------------------------

fn unescape(line: &str, at: usize) -> String {
    let mut out = String::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some('0') => out.push('\0'),
            Some('s') => out.push(' '),
            Some('#') => out.push('#'),
            Some('\\') => out.push('\\'),
            Some('u') => {
                assert_eq!(chars.next(), Some('{'), "line {at}: \\u{{...}}");
                let hex: String = chars.by_ref().take_while(|&c| c != '}').collect();
                let code = u32::from_str_radix(&hex, 16)
                    .unwrap_or_else(|_| panic!("line {at}: bad \\u{{{hex}}}"));
                out.push(char::from_u32(code).expect("a Unicode scalar value"));
            }
            other => panic!("line {at}: unknown escape \\{other:?}"),
        }
    }
    out
}

/// The corpus, in file order: `(line number, string)`.
fn corpus() -> Vec<(usize, String)> {
    let text = std::fs::read_to_string(root().join("tests/data/hostile-strings.txt")).unwrap();
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let at = i + 1;
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(rest) = line.strip_prefix("!repeat ") {
            let (n, unit) = rest.split_once(' ').expect("!repeat N TEXT");
            let n: usize = n.parse().expect("!repeat N");
            let unit = unescape(unit, at);
            let mut s = unit.repeat(n / unit.len() + 1);
            let mut cut = n;
            while !s.is_char_boundary(cut) {
                cut -= 1;
            }
            s.truncate(cut);
            out.push((at, s));
        } else {
            out.push((at, unescape(line, at)));
        }
    }
    let mut seen = std::collections::HashSet::new();
    for (at, s) in &out {
        assert!(
            seen.insert(s.clone()),
            "line {at} repeats an earlier string"
        );
    }
    out
}

/// The strings short enough to type, publish over mosquitto and put in a configuration.
fn short_strings() -> Vec<String> {
    corpus()
        .into_iter()
        .map(|(_, s)| s)
        .filter(|s| s.len() <= MAX_PAYLOAD_CHARS)
        .collect()
}

fn long_strings() -> Vec<String> {
    corpus()
        .into_iter()
        .map(|(_, s)| s)
        .filter(|s| s.len() > MAX_PAYLOAD_CHARS)
        .collect()
}

fn cut(s: &str, max_chars: usize) -> String {
    s.chars().take(max_chars).collect()
}

fn excerpt(s: &str, max_chars: usize) -> String {
    if s.chars().count() > max_chars {
        format!("{}…", cut(s, max_chars))
    } else {
        s.to_owned()
    }
}

#[test]
fn the_corpus_covers_every_category_and_each_payload_aims_at_the_canary() {
    let all = corpus();
    assert!(all.len() >= 70, "{} strings", all.len());
    let has = |needle: &str| all.iter().any(|(_, s)| s.contains(needle));
    for needle in [
        "<script>",
        "onerror=",
        "onload=",
        "javascript:",
        "<svg",
        "<math",
        "srcdoc",
        "{{",
        "${",
        "{value}",
        "\">",
        "<style>",
        "\u{202E}",
        "\u{200B}",
        "\0",
        "\n",
    ] {
        assert!(has(needle), "no string with {needle:?}");
    }
    assert!(
        all.iter().any(|(_, s)| s.len() == 1 << 20),
        "a 1 MiB string"
    );
    // A string that would run script aims at the canary (srcdoc frames through `parent`).
    for (at, s) in &all {
        let lower = s.to_ascii_lowercase();
        if lower.contains("<script>") || lower.contains("onerror=") || lower.contains("onload=") {
            assert!(
                s.contains("__pwned"),
                "line {at} does not aim at the canary"
            );
        }
    }
}

// ---- the page-side watch ------------------------------------------------------------------

/// Runs in every document before its own scripts (DevTools
/// `Page.addScriptToEvaluateOnNewDocument`): the canary records who set it, and every CSP
/// report is kept.
const WATCH: &str = r#"
(() => {
  if (window.top !== window) return;
  window.__csp = [];
  let pwned;
  Object.defineProperty(window, '__pwned', {
    configurable: false,
    get() { return pwned; },
    set(v) { pwned = v; window.__pwnedAt = String(new Error().stack); },
  });
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__csp.push({
      directive: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample,
      source: e.sourceFile, line: e.lineNumber, disposition: e.disposition,
    });
  }, true);
})();
"#;

async fn install_watch(h: &Harness, client: &Client) {
    cdp(h, client, "Page.enable", json!({})).await;
    cdp(
        h,
        client,
        "Page.addScriptToEvaluateOnNewDocument",
        json!({ "source": WATCH }),
    )
    .await;
}

/// `(canary, CSP reports)` as the page has them now.
async fn watch_state(client: &Client) -> (Value, Vec<Value>) {
    let v = js(
        client,
        "return [window.__pwned === undefined ? null : String(window.__pwned), \
                 window.__pwnedAt || null, window.__csp === undefined ? null : window.__csp]",
    )
    .await;
    let csp = v[2]
        .as_array()
        .expect("window.__csp: the watch is installed")
        .clone();
    (json!([v[0], v[1]]), csp)
}

async fn assert_clean(client: &Client, when: &str) {
    let (canary, csp) = watch_state(client).await;
    assert_eq!(canary, json!([null, null]), "the canary fired {when}");
    assert!(csp.is_empty(), "CSP reports {when}: {csp:#?}");
}

/// The page answers a script (its title) within a second.
async fn assert_answers(client: &Client) {
    let start = Instant::now();
    let title = js(client, "return document.title").await;
    let took = start.elapsed();
    assert!(
        took < Duration::from_secs(1),
        "a script round trip took {took:?}"
    );
    assert!(
        title.as_str().is_some_and(|t| !t.is_empty()),
        "title {title}"
    );
}

/// The page still answers a script within a second and a click within the act timeout.
async fn assert_responsive(client: &Client) {
    assert_answers(client).await;
    set_editing(client, true).await;
    set_editing(client, false).await;
}

// ---- the unsafe page ----------------------------------------------------------------------

/// The app's CSP, as the build shipped it in `dist/index.html`.
fn shipped_csp() -> String {
    let page = std::fs::read_to_string(root().join("dist/index.html")).expect("dist/index.html");
    let start = page
        .find(r#"<meta http-equiv="Content-Security-Policy" content=""#)
        .expect("dist/index.html has a CSP meta");
    let rest = &page[start..];
    let tag = &rest[..rest.find('>').unwrap() + 1];
    assert!(
        !tag.contains("@SCRIPT_HASH@"),
        "the build did not fill the script hash"
    );
    tag.to_owned()
}

fn unsafe_page(csp: &str) -> String {
    format!(
        "<!doctype html><html><head><meta charset=utf-8>{csp}<title>unsafe</title></head>\
         <body><div id=sink></div><script src=unsafe.js></script></body></html>"
    )
}

/// A page that does what the app never does: one corpus string into `innerHTML`. Without
/// a CSP the canary fires; under the app's CSP the same page is blocked and reported. The
/// page's own code is a same-origin file, which the app's CSP allows ('self').
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unsafe_page_fires_the_canary_and_the_apps_csp_blocks_and_reports_it() {
    let payload = corpus()
        .into_iter()
        .map(|(_, s)| s)
        .find(|s| s == "<img src=x onerror=window.__pwned=1>")
        .expect("the corpus has the img onerror payload");
    let dir = std::env::temp_dir().join(format!("tablero-xss-unsafe-{}", testkit::free_port()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("index.html"), unsafe_page("")).unwrap();
    std::fs::write(dir.join("csp.html"), unsafe_page(&shipped_csp())).unwrap();
    std::fs::write(
        dir.join("unsafe.js"),
        format!(
            "document.getElementById('sink').innerHTML = {};",
            serde_json::to_string(&payload).unwrap()
        ),
    )
    .unwrap();
    let server = StaticServer::start(&dir);
    let h = Harness::start();
    let client = h.browser(800, 600).await;
    install_watch(&h, &client).await;

    client.goto(&server.url()).await.unwrap();
    let fired = wait_for(
        "the canary on the page without a CSP",
        READ_TIMEOUT,
        || async {
            let (canary, _) = watch_state(&client).await;
            Ok((!canary[0].is_null()).then_some(canary))
        },
    )
    .await;
    assert_eq!(fired[0], "1");
    let (_, csp) = watch_state(&client).await;
    assert!(csp.is_empty(), "no CSP, no reports: {csp:?}");

    client
        .goto(&format!("{}csp.html", server.url()))
        .await
        .unwrap();
    let reports = wait_for("a CSP report under the app's CSP", READ_TIMEOUT, || async {
        let (_, csp) = watch_state(&client).await;
        let handler = csp.iter().any(|r| r["directive"] == "script-src-attr");
        Ok(handler.then_some(csp))
    })
    .await;
    // The handler would have run by now (the report is sent as it is refused).
    let (canary, _) = watch_state(&client).await;
    assert_eq!(canary, json!([null, null]), "the CSP let the handler run");
    assert!(
        reports
            .iter()
            .all(|r| r["disposition"] == "enforce" && r["source"].is_string()),
        "{reports:#?}"
    );
    eprintln!(
        "unsafe page: canary fired without the CSP; {} report(s) with it: {:?}",
        reports.len(),
        reports
            .iter()
            .map(|r| r["directive"].as_str().unwrap_or("?"))
            .collect::<Vec<_>>()
    );
    client.close().await.unwrap();
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}

// ---- configurations made of the corpus ----------------------------------------------------

fn binding(topic: &str) -> Value {
    json!({"topic": topic, "scale": 1, "offset": 0, "qos": "0"})
}

/// Four widgets per string: value card, gauge, switch and chart, each titled with the
/// string, with its unit, legend labels, on/off payloads and state words made of it too.
fn widgets_for(g: usize, s: &str) -> Vec<Value> {
    let title = cut(s, MAX_NAME_CHARS);
    let unit = cut(s, MAX_UNIT_CHARS);
    let word = cut(s, MAX_PAYLOAD_CHARS);
    vec![
        json!({"id": format!("v{g}"), "title": title, "type": "value",
               "binding": binding(&format!("xss/v/{g}")), "unit": unit,
               "stale_after_secs": 0}),
        json!({"id": format!("g{g}"), "title": title, "type": "gauge",
               "binding": binding(&format!("xss/g/{g}")), "min": 0, "max": 100,
               "unit": unit, "decimals": 1, "bands": []}),
        json!({"id": format!("s{g}"), "title": title, "type": "switch",
               "command_topic": format!("xss/cmd/{g}"), "on_payload": word, "off_payload": word,
               "state_topic": format!("xss/s/{g}"), "state_on": word,
               "state_off": cut(&format!("(off) {s}"), MAX_PAYLOAD_CHARS), "qos": "0",
               "retain": false,
               "confirm_timeout_ms": 60000}),
        json!({"id": format!("c{g}"), "title": title, "type": "chart",
               "series": [
                   {"label": title, "color": "#dc2626", "binding": binding(&format!("xss/c/{g}"))},
                   {"label": cut(&format!("2 {s}"), MAX_NAME_CHARS), "color": "#2563eb",
                    "binding": binding(&format!("xss/c/{g}"))}
               ],
               "window_secs": 3600, "max_points": 1000, "unit": unit}),
    ]
}

fn connection(id: &str, name: &str, ws_port: u16) -> Value {
    json!({
        "id": id, "name": name, "scheme": "ws", "host": "127.0.0.1", "port": ws_port,
        "path": "/", "remember_password": false, "client_id": format!("xss-{id}"),
        "mqtt_version": "auto", "keep_alive_secs": 30, "clean_start": true,
        "session_expiry_secs": 0
    })
}

/// One imported configuration for strings `first..first + strings.len()`: every string
/// names a connection and a dashboard, and has its four widgets on the first dashboard
/// (every dashboard uses the first connection, so the page opens one link). `extra`
/// widgets go on the first dashboard too.
fn batch_config(first: usize, strings: &[String], ws_port: u16, extra: Vec<Value>) -> Value {
    let connections: Vec<Value> = strings
        .iter()
        .enumerate()
        .map(|(i, s)| connection(&format!("k{}", first + i), &cut(s, MAX_NAME_CHARS), ws_port))
        .collect();
    let mut widgets: Vec<Value> = strings
        .iter()
        .enumerate()
        .flat_map(|(i, s)| widgets_for(first + i, s))
        .collect();
    widgets.extend(extra);
    let dashboards: Vec<Value> = strings
        .iter()
        .enumerate()
        .map(|(i, s)| {
            json!({"id": format!("d{}", first + i), "name": cut(s, MAX_NAME_CHARS),
                   "connection": format!("k{first}"),
                   "widgets": if i == 0 { widgets.clone() } else { vec![] }})
        })
        .collect();
    json!({"version": 1, "connections": connections, "dashboards": dashboards})
}

/// What switch `g`'s state topic gets: the string halfway round the corpus (each string
/// once), never one of the switch's own words (a switch matches them ignoring ASCII case,
/// and the corpus has `<script>` and `<SCRIPT>`), so the label quotes it as unknown.
fn state_for(strings: &[String], g: usize) -> &String {
    let next = &strings[(g + strings.len() / 2) % strings.len()];
    let own = &strings[g];
    for word in [own.clone(), format!("(off) {own}")] {
        assert!(
            !next.trim().eq_ignore_ascii_case(word.trim()),
            "{next:?} would be a state word of switch {g}"
        );
    }
    next
}

// ---- publishing ---------------------------------------------------------------------------

/// One message per file (`mosquitto_pub -f`: any bytes, NUL and line breaks included), all
/// publishers started at once and then waited for. Returns each one's success.
fn publish_all(port: u16, dir: &Path, messages: &[(String, String)], retain: bool) -> Vec<bool> {
    let children: Vec<Option<Child>> = messages
        .iter()
        .enumerate()
        .map(|(i, (topic, payload))| {
            // An argument cannot carry NUL (nor may a topic name [MQTT-4.7.3-2]).
            if topic.contains('\0') {
                return None;
            }
            let file = dir.join(format!("m{i}"));
            std::fs::write(&file, payload).unwrap();
            Command::new(require_program("mosquitto_pub"))
                .args(["-h", "127.0.0.1", "-p", &port.to_string(), "-q", "1"])
                .arg("-t")
                .arg(topic)
                .arg("-f")
                .arg(&file)
                .args(retain.then_some("-r"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .ok()
        })
        .collect();
    children
        .into_iter()
        .map(|c| c.is_some_and(|mut c| c.wait().unwrap().success()))
        .collect()
}

/// `mosquitto_sub` printing each message as `topic hex-payload`: a witness of what the
/// page published, byte for byte.
struct Witness {
    _child: Proc,
    out: PathBuf,
}

impl Witness {
    fn start(port: u16, filter: &str, out: PathBuf) -> Self {
        let file = std::fs::File::create(&out).unwrap();
        let child = Command::new(require_program("mosquitto_sub"))
            .args(["-h", "127.0.0.1", "-p", &port.to_string(), "-q", "1"])
            .args(["-t", filter, "-F", "%t %x"])
            .stdout(file)
            .stderr(Stdio::null())
            .spawn()
            .expect("run mosquitto_sub");
        Self {
            _child: Proc(child),
            out,
        }
    }

    /// Every message so far, by topic (the last one per topic).
    fn messages(&self) -> BTreeMap<String, Vec<u8>> {
        let text = std::fs::read_to_string(&self.out).unwrap_or_default();
        text.lines()
            .filter_map(|l| {
                let (topic, hex) = l.rsplit_once(' ')?;
                let bytes = (0..hex.len())
                    .step_by(2)
                    .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).ok())
                    .collect::<Option<Vec<u8>>>()?;
                Some((topic.to_owned(), bytes))
            })
            .collect()
    }
}

// ---- what the page shows ------------------------------------------------------------------

/// `textContent` of `inner` in each widget, by widget id.
async fn texts(client: &Client, inner: &str) -> BTreeMap<String, String> {
    let v = js(
        client,
        &format!(
            "const out = {{}}; for (const w of document.querySelectorAll('[data-widget-id]')) {{ \
               const e = w.querySelector({}); if (e) out[w.dataset.widgetId] = e.textContent; }} \
             return out;",
            serde_json::to_string(inner).unwrap()
        ),
    )
    .await;
    serde_json::from_value(v).unwrap()
}

async fn all_texts(client: &Client, css: &str) -> Vec<String> {
    let v = js(
        client,
        &format!(
            "return [...document.querySelectorAll({})].map(e => e.textContent)",
            serde_json::to_string(css).unwrap()
        ),
    )
    .await;
    serde_json::from_value(v).unwrap()
}

/// Waits until `inner` of every widget in `expected` reads as expected.
async fn wait_widget_texts(
    client: &Client,
    what: &str,
    inner: &str,
    expected: &BTreeMap<String, String>,
    matches: fn(&str, &str) -> bool,
) {
    wait_for(what, Duration::from_secs(30), || async {
        let now = texts(client, inner).await;
        let wrong: Vec<String> = expected
            .iter()
            .filter(|(id, want)| !now.get(*id).is_some_and(|got| matches(got, want)))
            .map(|(id, want)| format!("{id}: want {want:?}, got {:?}", now.get(id)))
            .collect();
        if wrong.is_empty() {
            Ok(Some(()))
        } else {
            Err(format!("{} wrong, first: {}", wrong.len(), wrong[0]))
        }
    })
    .await
}

fn equal(got: &str, want: &str) -> bool {
    got == want
}

fn contains(got: &str, want: &str) -> bool {
    got.contains(want)
}

/// Sets a form control's value as typing does (an `input` event, then `change`): any
/// character, NUL included, which WebDriver's key input cannot send.
async fn type_into(client: &Client, css: &str, value: &str) {
    wait_present(client, css).await;
    let got = client
        .execute(
            "const e = document.querySelector(arguments[0]); e.focus(); e.value = arguments[1]; \
             e.dispatchEvent(new Event('input', {bubbles: true})); \
             e.dispatchEvent(new Event('change', {bubbles: true})); return e.value;",
            vec![css.into(), value.into()],
        )
        .await
        .unwrap();
    assert_eq!(
        got.as_str(),
        Some(as_typed(value).as_str()),
        "{css} took the value"
    );
}

/// A text input drops line breaks from its value (HTML's value sanitization).
fn as_typed(value: &str) -> String {
    value.chars().filter(|c| *c != '\n' && *c != '\r').collect()
}

/// Imports `file` in edit mode and waits for this import's notice (`notice info` or
/// `notice error`), an earlier notice dismissed first; returns its text.
async fn import(client: &Client, file: &Path, class: &str) -> String {
    set_editing(client, true).await;
    if find(client, "#notice").await.is_ok() {
        click(client, "#notice .dismiss").await;
        wait_gone(client, "#notice").await;
    }
    upload(client, "#import-file", file).await;
    wait_for(&format!("the import: {class}"), READ_TIMEOUT, || async {
        let got = try_attr(client, "#notice", "class").await?;
        // textContent, not the rendered text (which drops zero-width characters).
        let text = try_prop(client, "#notice", "textContent")
            .await?
            .unwrap_or_default();
        if got.as_deref() == Some(class) {
            Ok(Some(text))
        } else {
            Err(format!("{got:?}: {text:.300}"))
        }
    })
    .await
}

// ---- the suite ----------------------------------------------------------------------------

/// Every short string (≤ 1 KiB) in every place: published as payloads on the topics a value
/// card, a gauge, a switch's state and a chart read, and as topic names; in an imported
/// configuration as widget titles, units, chart legend labels, switch on/off payloads and
/// state words, dashboard names and connection names; typed into the editors; quoted in a
/// refused import's error. The page stays clean, shows the strings as text and stays
/// responsive.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_strings_stay_text_everywhere() {
    let strings = short_strings();
    let n = strings.len();
    let h = Harness::start();
    let ws_port = h.broker.ws_port.unwrap();
    let tcp = h.broker.tcp_port;
    let dir = std::env::temp_dir().join(format!("tablero-xss-{}", testkit::free_port()));
    std::fs::create_dir_all(&dir).unwrap();
    let witness = Witness::start(tcp, "xss/cmd/#", dir.join("witness"));
    let client = h.browser(1280, 900).await;
    install_watch(&h, &client).await;
    client.goto(&h.page_url("en")).await.unwrap();
    wait_status(&client, "connected").await;
    assert_clean(&client, "on the first load").await;
    let started = Instant::now();
    let mut places = BTreeMap::<&str, usize>::new();

    // Topic names: a chart on `xss/t/#` counts what arrives (data-points). A string the
    // broker or mosquitto_pub refuses as a topic name (a wildcard, NUL) is not sent.
    let topics_chart = json!({"id": "topics", "title": "topics", "type": "chart",
        "series": [{"label": "t", "color": "#dc2626", "binding": binding("xss/t/#")}],
        "window_secs": 86400, "max_points": 100000, "unit": ""});

    for (b, chunk) in strings.chunks(BATCH).enumerate() {
        let first = b * BATCH;
        let extra = if b == 0 {
            vec![topics_chart.clone()]
        } else {
            vec![]
        };
        let config = batch_config(first, chunk, ws_port, extra);
        let file = dir.join(format!("batch-{b}.json"));
        std::fs::write(&file, serde_json::to_string_pretty(&config).unwrap()).unwrap();
        import(&client, &file, "notice info").await;
        *places.entry("imported configuration files").or_default() += 1;
        // Connection names are the options of the dashboard's connection select.
        let names: Vec<String> = chunk.iter().map(|s| cut(s, MAX_NAME_CHARS)).collect();
        wait_for("connection names as options", READ_TIMEOUT, || async {
            let options = all_texts(&client, "#dashboard-connection option").await;
            if options == names {
                Ok(Some(()))
            } else {
                Err(format!("{options:?}"))
            }
        })
        .await;
        set_editing(&client, false).await;
        let last = first + chunk.len() - 1;
        for filter in ["v", "g", "s", "c"] {
            wait_subscribed(&h.broker, &format!("xss/{filter}/{last}")).await;
        }
        if b == 0 {
            wait_subscribed(&h.broker, "xss/t/#").await;
        }

        // Titles, tabs, units and legend labels, as text.
        let mut titles = BTreeMap::new();
        for (i, s) in chunk.iter().enumerate() {
            for k in ["v", "g", "s", "c"] {
                titles.insert(format!("{k}{}", first + i), cut(s, MAX_NAME_CHARS));
            }
        }
        wait_widget_texts(&client, "titles", ".widget-title", &titles, equal).await;
        assert_eq!(
            all_texts(&client, ".tabs [role=tab][data-dashboard-id]").await,
            names,
            "tab names"
        );
        let units: BTreeMap<String, String> = chunk
            .iter()
            .enumerate()
            .map(|(i, s)| (format!("g{}", first + i), cut(s, MAX_UNIT_CHARS)))
            .collect();
        let legends: BTreeMap<String, String> = chunk
            .iter()
            .enumerate()
            .map(|(i, s)| (format!("c{}", first + i), cut(s, MAX_NAME_CHARS)))
            .collect();
        wait_widget_texts(
            &client,
            "legend labels",
            ".chart-legend li",
            &legends,
            equal,
        )
        .await;

        // Payloads: each string on its value card, gauge and chart; its neighbour on the
        // switch's state topic (its own string is the switch's "on" word).
        let mut messages = Vec::new();
        for (i, s) in chunk.iter().enumerate() {
            let g = first + i;
            let next = state_for(&strings, g);
            messages.push((format!("xss/v/{g}"), s.clone()));
            messages.push((format!("xss/g/{g}"), s.clone()));
            messages.push((format!("xss/c/{g}"), s.clone()));
            messages.push((format!("xss/s/{g}"), next.clone()));
        }
        let sent = publish_all(tcp, &dir, &messages, false);
        assert!(sent.iter().all(|ok| *ok), "mosquitto_pub refused a payload");
        let raw: BTreeMap<String, String> = chunk
            .iter()
            .enumerate()
            .map(|(i, s)| (format!("v{}", first + i), excerpt(s, SHOWN_CHARS)))
            .collect();
        wait_widget_texts(&client, "value cards", ".value-number", &raw, equal).await;
        // A gauge shows its unit (a raw-text value card shows none; a chart's is drawn).
        wait_widget_texts(&client, "gauge units", ".gauge-unit", &units, equal).await;
        let quoted: BTreeMap<String, String> = chunk
            .iter()
            .enumerate()
            .map(|(i, s)| (format!("g{}", first + i), excerpt(s.trim(), QUOTED_CHARS)))
            .collect();
        wait_widget_texts(
            &client,
            "gauges explain",
            ".widget-error",
            &quoted,
            contains,
        )
        .await;
        let states: BTreeMap<String, String> = chunk
            .iter()
            .enumerate()
            .map(|(i, _)| {
                let next = state_for(&strings, first + i);
                (
                    format!("s{}", first + i),
                    excerpt(next.trim(), QUOTED_CHARS),
                )
            })
            .collect();
        wait_widget_texts(&client, "switch labels", ".switch-label", &states, contains).await;

        // The switches' on payloads, byte for byte at the broker.
        js(
            &client,
            "document.querySelectorAll('.switch-toggle').forEach(b => b.click()); return 1",
        )
        .await;
        wait_for(
            "every switch's payload",
            Duration::from_secs(15),
            || async {
                let got = witness.messages();
                let wrong: Vec<usize> = (first..=last)
                    .filter(|g| {
                        got.get(&format!("xss/cmd/{g}")).map(Vec::as_slice)
                            != Some(strings[*g].as_bytes())
                    })
                    .collect();
                if wrong.is_empty() {
                    Ok(Some(()))
                } else {
                    Err(format!("wrong or missing: {wrong:?}"))
                }
            },
        )
        .await;
        assert_clean(&client, &format!("after batch {b}")).await;
        eprintln!(
            "batch {b}: {} strings, {:?} so far",
            chunk.len(),
            started.elapsed()
        );
    }
    places.insert("value card raw text", n);
    places.insert("gauge payload", n);
    places.insert("chart payload", n);
    places.insert("switch state payload", n);
    places.insert("widget titles (4 kinds)", n);
    places.insert("units (gauge shown; value card and chart stored)", n);
    places.insert("chart legend labels", n);
    places.insert("switch on/off payloads", n);
    places.insert("switch state words", n);
    places.insert("dashboard names", n);
    places.insert("connection names", n);

    // Topic names, on the first batch's chart (re-imported: the last import replaced it).
    let config = batch_config(0, &strings[..BATCH], ws_port, vec![topics_chart]);
    let file = dir.join("topics.json");
    std::fs::write(&file, config.to_string()).unwrap();
    import(&client, &file, "notice info").await;
    set_editing(&client, false).await;
    wait_subscribed(&h.broker, "xss/t/#").await;
    let topics: Vec<(String, String)> = strings
        .iter()
        .map(|s| (format!("xss/t/{s}"), "1".to_owned()))
        .collect();
    let sent = publish_all(tcp, &dir, &topics, false);
    let accepted = sent.iter().filter(|ok| **ok).count();
    wait_attr(
        &client,
        &widget("topics", ".chart-canvas"),
        "data-points",
        &accepted.to_string(),
    )
    .await;
    places.insert("topic names", accepted);
    eprintln!(
        "topic names: {accepted} of {n} accepted by mosquitto_pub (the rest hold a wildcard \
         or NUL)"
    );

    // Typed into the widget editor, every third string (each takes a dialog): a value
    // card's title and unit, and every ninth as the dashboard's name. (Values set as typing
    // does: see type_into.) Then the typed titles, as text.
    set_editing(&client, true).await;
    let mut typed = 0;
    let mut renamed = None;
    for (i, s) in strings.iter().enumerate().step_by(3) {
        select(&client, "#new-widget-type", "value").await;
        click(&client, "#add-widget").await;
        wait_shown(&client, ".widget-editor").await;
        type_into(
            &client,
            ".widget-editor [name=\"title\"]",
            &cut(s, MAX_NAME_CHARS),
        )
        .await;
        type_into(
            &client,
            ".widget-editor [name=\"unit\"]",
            &cut(s, MAX_UNIT_CHARS),
        )
        .await;
        type_into(
            &client,
            ".widget-editor [name=\"binding.topic\"]",
            &format!("xss/e/{i}"),
        )
        .await;
        save_widget_editor(&client).await;
        typed += 1;
        if i % 9 == 0 {
            type_into(&client, "#dashboard-name", &cut(s, MAX_NAME_CHARS)).await;
            renamed = Some(as_typed(&cut(s, MAX_NAME_CHARS)));
        }
    }
    set_editing(&client, false).await;
    let shown = all_texts(&client, ".widget-title").await;
    for s in strings.iter().step_by(3) {
        let title = as_typed(&cut(s, MAX_NAME_CHARS));
        assert!(shown.contains(&title), "typed title {title:?} not shown");
    }
    let renamed = renamed.unwrap();
    wait_for("the typed dashboard name", READ_TIMEOUT, || async {
        let tabs = all_texts(&client, ".tabs [role=tab][data-dashboard-id]").await;
        Ok(tabs.contains(&renamed).then_some(()))
    })
    .await;
    places.insert(
        "typed into the widget editor (title, unit; every 3rd)",
        typed,
    );
    assert_clean(&client, "after typing into the editors").await;

    // A refused import quotes what it refuses: an unknown connection, by its id.
    let mut quoted_refusals = 0;
    for (i, s) in strings.iter().enumerate().step_by(7) {
        let config = json!({"version": 1,
            "connections": [connection("k", "k", ws_port)],
            "dashboards": [{"id": "d", "name": "d", "connection": s, "widgets": []}]});
        let file = dir.join(format!("refused-{i}.json"));
        std::fs::write(&file, config.to_string()).unwrap();
        let notice = import(&client, &file, "notice error").await;
        assert!(
            notice.contains(s.as_str()),
            "the refusal quotes {s:?}: {notice:?}"
        );
        quoted_refusals += 1;
    }
    places.insert(
        "quoted in a refused import's error (every 7th)",
        quoted_refusals,
    );
    assert_clean(&client, "after the refused imports").await;
    assert_responsive(&client).await;
    assert_clean(&client, "at the end").await;
    eprintln!("{n} strings; places: {places:#?}; {:?}", started.elapsed());
    client.close().await.unwrap();
    drop(witness);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The very long strings (100 KB and 1 MiB) as payloads on a value card, a gauge, a chart
/// and a switch's state, over aedes (mosquitto 2.0.11's WebSocket path takes seconds per
/// 100 KB); as a title, a field name and a whole file in refused imports. Shown bounded,
/// refused in words, nothing runs, and the page height does not grow.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn megabyte_strings_are_shown_bounded_and_refused_in_files() {
    let longs = long_strings();
    assert_eq!(longs.len(), 2, "the corpus's long strings");
    let b = Broker::Aedes.start();
    let ws = b.ws_url(MqttVersion::V311).expect("a WebSocket listener");
    let tcp = b.tcp_port(MqttVersion::V311);
    let rest = ws.strip_prefix("ws://127.0.0.1:").expect("a loopback URL");
    let (port, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let port: u16 = port.parse().unwrap();
    let h = Harness::start();
    let dir = std::env::temp_dir().join(format!("tablero-xss-big-{}", testkit::free_port()));
    std::fs::create_dir_all(&dir).unwrap();
    let client = h.browser(1280, 900).await;
    install_watch(&h, &client).await;
    client
        .goto(&format!("{}?broker={ws}&lang=en", h.server.url()))
        .await
        .unwrap();
    wait_status(&client, "connected").await;

    let mut config = batch_config(0, &longs, port, vec![]);
    for c in config["connections"].as_array_mut().unwrap() {
        c["path"] = json!(if path.is_empty() { "/" } else { path });
        c["mqtt_version"] = json!("3.1.1");
    }
    let file = dir.join("long.json");
    std::fs::write(&file, config.to_string()).unwrap();
    import(&client, &file, "notice info").await;
    set_editing(&client, false).await;
    wait_status(&client, "connected").await;
    let height = js(&client, "return document.documentElement.scrollHeight").await;

    // Retained: they reach the page whenever its SUBSCRIBEs land (aedes has no log to read).
    let mut messages = Vec::new();
    for (g, s) in longs.iter().enumerate() {
        let next = &longs[(g + 1) % longs.len()];
        for k in ["v", "g", "c"] {
            messages.push((format!("xss/{k}/{g}"), s.clone()));
        }
        messages.push((format!("xss/s/{g}"), next.clone()));
    }
    let sent = publish_all(tcp, &dir, &messages, true);
    assert!(sent.iter().all(|ok| *ok), "a long payload was refused");
    let shown: BTreeMap<String, String> = longs
        .iter()
        .enumerate()
        .map(|(g, s)| (format!("v{g}"), excerpt(s, SHOWN_CHARS)))
        .collect();
    wait_widget_texts(&client, "value cards", ".value-number", &shown, equal).await;
    let full = texts(&client, ".value-full pre").await;
    for (g, s) in longs.iter().enumerate() {
        assert_eq!(full.get(&format!("v{g}")).map(String::len), Some(s.len()));
    }
    let quoted: BTreeMap<String, String> = longs
        .iter()
        .enumerate()
        .map(|(g, s)| (format!("g{g}"), excerpt(s, QUOTED_CHARS)))
        .collect();
    wait_widget_texts(
        &client,
        "gauges explain",
        ".widget-error",
        &quoted,
        contains,
    )
    .await;
    let states: BTreeMap<String, String> = longs
        .iter()
        .enumerate()
        .map(|(g, _)| {
            (
                format!("s{g}"),
                excerpt(&longs[(g + 1) % longs.len()], QUOTED_CHARS),
            )
        })
        .collect();
    wait_widget_texts(&client, "switch labels", ".switch-label", &states, contains).await;
    // Bounded: eight cards (the e2e suite compares heights exactly; here the cards go from
    // "waiting" to a value, a details and an error line, so only a bound is asserted).
    let now = js(&client, "return document.documentElement.scrollHeight").await;
    assert!(
        now.as_i64().unwrap() < 2 * height.as_i64().unwrap(),
        "the page grew with the long payloads: {height} px, then {now} px"
    );
    assert_clean(&client, "after the long payloads").await;

    // Refused imports: a 100 KB title, a 100 KB field name, a file over 1 MiB.
    let long = &longs[0];
    let huge = &longs[1];
    let mut title = batch_config(0, &longs[..1], port, vec![]);
    title["dashboards"][0]["widgets"][0]["title"] = json!(long);
    let mut key = batch_config(0, &longs[..1], port, vec![]);
    key["dashboards"][0]["widgets"][0][long.as_str()] = json!(1);
    let mut conn = batch_config(0, &longs[..1], port, vec![]);
    conn["dashboards"][0]["connection"] = json!(long);
    let mut whole = batch_config(0, &longs[..1], port, vec![]);
    whole["dashboards"][0]["widgets"][0]["title"] = json!(huge);
    for (name, config) in [
        ("title", title),
        ("key", key),
        ("connection", conn),
        ("whole", whole),
    ] {
        let file = dir.join(format!("refused-{name}.json"));
        std::fs::write(&file, config.to_string()).unwrap();
        let notice = import(&client, &file, "notice error").await;
        assert!(
            notice.chars().count() < 2000,
            "{name}: the refusal is not bounded: {} characters: {notice:.200}",
            notice.chars().count()
        );
        set_editing(&client, false).await;
    }
    assert_responsive(&client).await;
    assert_clean(&client, "at the end").await;
    client.close().await.unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}

// ---- the connection editor ----------------------------------------------------------------

/// Runs in every document before its own scripts, next to [`WATCH`]: every WebSocket the
/// page makes, with the URL it was given, whether the constructor threw, and the host of
/// each one that opened (`window.__sockets`).
const SOCKETS: &str = r#"
(() => {
  if (window.top !== window) return;
  window.__sockets = [];
  window.WebSocket = new Proxy(window.WebSocket, {
    construct(target, args) {
      const seen = { url: String(args[0]).slice(0, 300), threw: null, opened: null };
      window.__sockets.push(seen);
      try {
        const ws = Reflect.construct(target, args);
        ws.addEventListener('open', () => { seen.opened = new URL(ws.url).hostname; });
        return ws;
      } catch (e) {
        seen.threw = String(e).slice(0, 300);
        throw e;
      }
    },
  });
})();
"#;

/// The connection editor's text inputs and what each holds before a string is typed: the
/// imported connection's values (`editor_connection`). Typed in this order: the name last,
/// because a name equal to the host follows the host (`ConnectionDraft::set_host`).
const CONNECTION_FIELDS: [(&str, &str); 8] = [
    ("host", "127.0.0.1"),
    ("path", "/"),
    ("client_id", "xss-base"),
    ("username", "xss-user"),
    ("password", ""),
    ("will.topic", "xss/will"),
    ("will.payload", "bye"),
    ("name", "xss-base"),
];

/// `s` as the UI bounds it in `field`: cut to the field's limit (`config::validate`).
fn bound_for(field: &str, s: &str) -> String {
    let bytes = |max: usize| {
        let mut cut_at = s.len().min(max);
        while !s.is_char_boundary(cut_at) {
            cut_at -= 1;
        }
        s[..cut_at].to_owned()
    };
    match field {
        "name" => cut(s, MAX_NAME_CHARS),
        "host" => bytes(config::MAX_HOST_BYTES),
        "path" => cut(s, config::MAX_PATH_CHARS),
        "client_id" | "username" => cut(s, config::MAX_LOGIN_CHARS),
        "password" => cut(s, config::MAX_PASSWORD_CHARS),
        // A topic name's limit [MQTT-1.5.4-1].
        "will.topic" => bytes(65_535),
        "will.payload" => cut(s, MAX_PAYLOAD_CHARS),
        other => panic!("no limit for {other}"),
    }
}

fn editor_connection(ws_port: u16) -> Value {
    let mut c = connection("k", "xss-base", ws_port);
    c["client_id"] = json!("xss-base");
    c["username"] = json!("xss-user");
    c["will"] = json!({"topic": "xss/will", "payload": "bye", "qos": "0", "retain": false});
    c
}

/// Opens the connection editor from the toolbar: a click that lands on a toolbar being
/// re-rendered (the connection just saved) is tried again until the editor is shown.
/// Opens the connection editor from the edit toolbar. The click is the button's own `click()`,
/// not a pointer at its coordinates: at this width the toolbar wraps again after each save
/// (the connection's name changes its select's width), and a pointer click that raced the
/// re-render once landed on "add widget", which moved under it.
async fn open_connection_editor(client: &Client) {
    wait_for("the connection editor opened", READ_TIMEOUT, || async {
        if visible_count(client, ".connection-editor").await? > 0 {
            return Ok(Some(()));
        }
        let clicked = js(
            client,
            "const b = document.querySelector('#edit-connection'); \
             if (!b || document.querySelector('dialog[open]')) return false; \
             b.click(); return true;",
        )
        .await;
        Err(format!("clicked: {clicked}, not shown yet"))
    })
    .await
}

fn connection_input(field: &str) -> String {
    format!(".connection-editor [name=\"{field}\"]")
}

/// The connection editor's problems as shown, by field (each `.field-error`'s text), once
/// the form is consistent: Save disabled exactly when there are problems, and the summary
/// counting them in the page's language (Spanish).
async fn connection_editor_errors(client: &Client) -> BTreeMap<String, Vec<String>> {
    wait_for("the connection editor's problems", READ_TIMEOUT, || async {
        let v = js(
            client,
            "const f = document.querySelector('.connection-editor'); \
             if (!f) return null; \
             const errors = [...f.querySelectorAll('.field-error')] \
               .map(e => [e.dataset.field, e.textContent]); \
             const summary = f.querySelector('.form-summary p'); \
             return {errors, summary: summary ? summary.textContent : null, \
                     disabled: f.querySelector('.save').disabled, \
                     lang: document.documentElement.lang};",
        )
        .await;
        if v.is_null() {
            return Err("no connection editor".into());
        }
        let errors: Vec<(String, String)> =
            serde_json::from_value(v["errors"].clone()).map_err(|e| e.to_string())?;
        let n = errors.len();
        let want_summary = (n > 0).then(|| format!("Corrige {n} problema(s) para poder guardar."));
        if v["lang"] != "es"
            || v["disabled"].as_bool() != Some(n > 0)
            || v["summary"].as_str().map(str::to_owned) != want_summary
        {
            return Err(format!("not consistent yet: {v}"));
        }
        let mut by_field = BTreeMap::<String, Vec<String>>::new();
        for (field, text) in errors {
            by_field.entry(field).or_default().push(text);
        }
        Ok(Some(by_field))
    })
    .await
}

/// Every text input of the open connection editor, by name.
async fn connection_editor_values(client: &Client) -> BTreeMap<String, String> {
    wait_for("the connection editor's values", READ_TIMEOUT, || async {
        let v = js(
            client,
            "const f = document.querySelector('.connection-editor'); \
             if (!f) return null; const out = {}; \
             for (const e of f.querySelectorAll('input[type=text], input[type=password]')) \
               out[e.name] = e.value; \
             return out;",
        )
        .await;
        if v.is_null() {
            return Err("no connection editor".into());
        }
        serde_json::from_value(v)
            .map(Some)
            .map_err(|e| e.to_string())
    })
    .await
}

/// What the page shows of its layout: elements wider than the viewport, the document's
/// width and height, the status line's text and height.
async fn layout(client: &Client) -> Value {
    js(
        client,
        "const vw = document.documentElement.clientWidth; \
         const wide = [...document.querySelectorAll('body *')] \
           .filter(e => e.getBoundingClientRect().width > vw + 1) \
           .slice(0, 5).map(e => `${e.tagName}.${e.className} ${e.getBoundingClientRect().width}`); \
         const s = document.getElementById('status'); \
         return {vw, vh: window.innerHeight, wide, \
                 width: document.documentElement.scrollWidth, \
                 height: document.documentElement.scrollHeight, \
                 status: s ? s.textContent : '', \
                 status_height: s ? s.getBoundingClientRect().height : 0};",
    )
    .await
}

async fn assert_bounded(client: &Client, height: i64, when: &str) {
    let l = layout(client).await;
    let (vw, vh) = (l["vw"].as_i64().unwrap(), l["vh"].as_i64().unwrap());
    assert!(
        l["wide"].as_array().is_some_and(Vec::is_empty) && l["width"].as_i64() <= Some(vw),
        "wider than the viewport {when}: {l}"
    );
    assert!(
        l["height"].as_i64().unwrap() < 2 * height,
        "the page grew {when}: {height} px, then {l}"
    );
    let status = l["status"].as_str().unwrap_or_default();
    assert!(!status.trim().is_empty(), "no status text {when}");
    assert!(
        l["status_height"].as_f64().unwrap() < vh as f64 / 2.0,
        "the status line is not bounded {when}: {l}"
    );
}

/// Waits until the link of the saved connection has settled: connected, or failed with a
/// reason in words.
async fn wait_settled(client: &Client) -> String {
    wait_for("the link settled", Duration::from_secs(30), || async {
        let v = js(
            client,
            "const s = document.getElementById('status'); if (!s) return null; \
             const d = s.querySelector('.status-detail'); \
             return [s.dataset.state, s.textContent, d ? d.textContent : ''];",
        )
        .await;
        let state = v[0].as_str().unwrap_or_default();
        let detail = v[2].as_str().unwrap_or_default().trim();
        match state {
            "connected" => Ok(Some(state.to_owned())),
            "reconnecting" | "stopped" if !detail.is_empty() => {
                Ok(Some(format!("{state}: {detail}")))
            }
            _ => Err(format!("{v}")),
        }
    })
    .await
}

/// The sockets the page made since the `from`th: none may have been refused by the
/// constructor (an accepted setting that makes no URL), and every one that opened went to
/// the harness's loopback broker.
async fn assert_sockets_loopback(client: &Client, from: usize, when: &str) -> usize {
    let v = js(client, "return window.__sockets").await;
    let all = v
        .as_array()
        .expect("window.__sockets: the socket watch is installed");
    for s in &all[from.min(all.len())..] {
        assert!(s["threw"].is_null(), "new WebSocket threw {when}: {s}");
        assert!(
            s["opened"].is_null() || s["opened"] == "127.0.0.1",
            "a socket opened off loopback {when}: {s}"
        );
    }
    all.len()
}

/// Every string of the corpus typed into each text field of the connection editor (host,
/// path, client id, user name, password, will topic and payload, name), bounded to the
/// field's limit, and saved. Each is either refused in words beside its input (Save stays
/// disabled, the stored configuration stays byte for byte) or kept and shown back as typed;
/// the path is tried a second time after a '/'. The link that results opens only to the
/// loopback broker (or fails in words), nothing runs, nothing panics, the layout holds.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_strings_typed_into_the_connection_editor() {
    let strings: Vec<String> = corpus().into_iter().map(|(_, s)| s).collect();
    let h = Harness::start();
    let ws_port = h.broker.ws_port.unwrap();
    let dir = std::env::temp_dir().join(format!("tablero-xss-conn-{}", testkit::free_port()));
    std::fs::create_dir_all(&dir).unwrap();
    let client = h.browser(390, 844).await;
    install_watch(&h, &client).await;
    cdp(
        &h,
        &client,
        "Page.addScriptToEvaluateOnNewDocument",
        json!({ "source": SOCKETS }),
    )
    .await;
    client.goto(&h.page_url("es")).await.unwrap();
    wait_status(&client, "connected").await;
    watch_console(&client).await;
    let config = json!({"version": 1, "connections": [editor_connection(ws_port)],
        "dashboards": [{"id": "d", "name": "d", "connection": "k", "widgets": []}]});
    let file = dir.join("connection.json");
    std::fs::write(&file, config.to_string()).unwrap();
    import(&client, &file, "notice info").await;
    click(&client, "#notice .dismiss").await;
    wait_stored(&client, "the imported connection", |c| {
        c.contains("xss-user")
    })
    .await;
    wait_status(&client, "connected").await;
    open_connection_editor(&client).await;
    let height = layout(&client).await["height"].as_i64().unwrap();
    assert_bounded(&client, height, "before typing").await;
    let mut sockets = assert_sockets_loopback(&client, 0, "before typing").await;
    let started = Instant::now();
    // (refused, accepted) by field; "path (after '/')" is the second try at the path.
    let mut tally = BTreeMap::<String, (usize, usize)>::new();
    let mut outcomes = BTreeMap::<String, usize>::new();

    for (i, s) in strings.iter().enumerate() {
        let at = format!("string {i} ({:?})", excerpt(s, 40));
        let before = local_storage(&client, "tablero.config")
            .await
            .expect("a stored configuration");

        // Round 1: the string in every field, then Save.
        let typed: BTreeMap<&str, String> = CONNECTION_FIELDS
            .iter()
            .map(|(f, _)| (*f, bound_for(f, s)))
            .collect();
        for (field, _) in CONNECTION_FIELDS {
            type_into(&client, &connection_input(field), &typed[field]).await;
        }
        let errors = connection_editor_errors(&client).await;
        click(&client, ".connection-editor .save").await;
        let mut fin: BTreeMap<&str, String> = BTreeMap::new();
        for (field, base) in CONNECTION_FIELDS {
            let refused = errors.contains_key(field);
            if refused {
                let texts = &errors[field];
                assert!(
                    texts.iter().all(|t| !t.trim().is_empty()),
                    "{at}: an empty error for {field}: {texts:?}"
                );
                tally.entry(field.to_owned()).or_default().0 += 1;
                fin.insert(field, base.to_owned());
            } else {
                tally.entry(field.to_owned()).or_default().1 += 1;
                fin.insert(field, as_typed(&typed[field]));
            }
        }
        assert!(
            errors.keys().all(|f| typed.contains_key(f.as_str())),
            "{at}: problems for fields not typed: {errors:?}"
        );
        if errors.is_empty() {
            // All of it accepted: saved and closed; open it again for round 2.
            wait_hidden(&client, ".connection-editor").await;
            open_connection_editor(&client).await;
        } else {
            wait_shown(&client, ".connection-editor").await;
            assert_eq!(
                local_storage(&client, "tablero.config").await.as_deref(),
                Some(before.as_str()),
                "{at}: a refused save changed the stored configuration"
            );
        }

        // Round 2: refused fields back as they were, the path after a '/', the name again
        // (it followed the host if it equalled it), Save.
        let path = bound_for("path", &format!("/{s}"));
        fin.insert("path", as_typed(&path));
        for (field, _) in CONNECTION_FIELDS {
            if field == "path" {
                type_into(&client, &connection_input(field), &path).await;
            } else if field == "name" || errors.contains_key(field) {
                type_into(&client, &connection_input(field), &fin[field]).await;
            }
        }
        let errors = connection_editor_errors(&client).await;
        assert!(
            errors.keys().all(|f| f == "path"),
            "{at}: problems beyond the path: {errors:?}"
        );
        if let Some(texts) = errors.get("path") {
            assert!(
                texts.iter().all(|t| !t.trim().is_empty()),
                "{at}: an empty error for the path: {texts:?}"
            );
            tally.entry("path (after '/')".into()).or_default().0 += 1;
            let before = local_storage(&client, "tablero.config").await;
            click(&client, ".connection-editor .save").await;
            wait_shown(&client, ".connection-editor").await;
            assert_eq!(
                local_storage(&client, "tablero.config").await,
                before,
                "{at}: a refused path changed the stored configuration"
            );
            fin.insert("path", "/".into());
            type_into(&client, &connection_input("path"), "/").await;
            let errors = connection_editor_errors(&client).await;
            assert!(errors.is_empty(), "{at}: {errors:?}");
        } else {
            tally.entry("path (after '/')".into()).or_default().1 += 1;
        }
        click(&client, ".connection-editor .save").await;
        wait_hidden(&client, ".connection-editor").await;

        // Stored as typed (the password is not: "remember" is off).
        let want = fin.clone();
        wait_stored(&client, &format!("{at} saved"), |c| {
            let v: Value = serde_json::from_str(c).unwrap_or_default();
            let k = &v["connections"][0];
            let stored = |field: &str| match field {
                "will.topic" => k["will"]["topic"].clone(),
                "will.payload" => k["will"]["payload"].clone(),
                "password" => k["password"].clone(),
                f => k[f].clone(),
            };
            want.iter().all(|(f, w)| match *f {
                "password" => stored(f).is_null(),
                "username" if w.is_empty() => stored(f).is_null(),
                _ => stored(f) == json!(w),
            })
        })
        .await;

        // Shown back as typed: the connection select, and the editor opened again.
        wait_for(
            "the connection's name as the option",
            READ_TIMEOUT,
            || async {
                let options = all_texts(&client, "#dashboard-connection option").await;
                if options == [fin["name"].clone()] {
                    Ok(Some(()))
                } else {
                    Err(format!("{options:?}"))
                }
            },
        )
        .await;
        let outcome = wait_settled(&client).await;
        let kind = outcome.split(':').next().unwrap_or_default().to_owned();
        *outcomes.entry(kind).or_default() += 1;
        sockets = assert_sockets_loopback(&client, sockets, &format!("after {at}")).await;
        open_connection_editor(&client).await;
        let shown = connection_editor_values(&client).await;
        for (field, want) in &fin {
            assert_eq!(
                shown.get(*field),
                Some(want),
                "{at}: {field} shown back after saving"
            );
        }

        assert_bounded(&client, height, &format!("after {at}")).await;
        assert_clean(&client, &format!("after {at}")).await;
        assert_answers(&client).await;
        let errors = console_errors(&client).await;
        assert!(
            !errors.iter().any(|e| e.contains("panicked")),
            "{at}: a panic: {errors:?}"
        );
    }
    let tries: usize = tally.values().map(|(r, a)| r + a).sum();
    let refused: usize = tally.values().map(|(r, _)| r).sum();
    eprintln!(
        "connection editor: {} strings × {} fields = {tries} tries, {refused} refused, {} \
         accepted; by field (refused, accepted): {tally:#?}; links: {outcomes:?}; {:?}",
        strings.len(),
        tally.len(),
        tries - refused,
        started.elapsed()
    );
    assert_eq!(tries, strings.len() * (CONNECTION_FIELDS.len() + 1));
    click(&client, ".connection-editor .cancel").await;
    wait_hidden(&client, ".connection-editor").await;
    assert_responsive(&client).await;
    assert_clean(&client, "at the end").await;
    client.close().await.unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}

/// The kinds of [Widgets] with the corpus in every place they show text: a button's label,
/// the words of a value card's and an LED's named values, a slider's and a level bar's unit,
/// and in a log the topic and payload of each message as it came. Each shows exactly its
/// string as text (cut as the configuration cuts it), and nothing runs.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_strings_in_the_new_kinds_stay_text() {
    let strings: Vec<String> = short_strings().into_iter().take(BATCH).collect();
    let h = Harness::start();
    let ws_port = h.broker.ws_port.unwrap();
    let dir = std::env::temp_dir().join(format!("tablero-xss-kinds-{}", testkit::free_port()));
    std::fs::create_dir_all(&dir).unwrap();
    let client = h.browser(1280, 900).await;
    install_watch(&h, &client).await;
    client.goto(&h.page_url("en")).await.unwrap();
    wait_status(&client, "connected").await;
    let publish = |topic: String| {
        json!({"topic": topic, "template": "{value}", "qos": "0", "retain": false,
               "expiry_secs": 0})
    };
    let with = |mut base: Value, more: Value| {
        for (k, v) in more.as_object().unwrap() {
            base[k] = v.clone();
        }
        base
    };
    let mut widgets = vec![json!({"id": "log", "title": "log", "type": "log",
        "filter": "xss/log/#", "qos": "0", "lines": 1000, "format": "text"})];
    for (i, s) in strings.iter().enumerate() {
        let name = cut(s, MAX_NAME_CHARS);
        let unit = cut(s, MAX_UNIT_CHARS);
        let map = json!([{"when": "m", "label": name, "color": ""}]);
        widgets.extend([
            json!({"id": format!("b{i}"), "title": name, "type": "button",
                   "topic": format!("xss/cmd/{i}"), "payload": cut(s, MAX_PAYLOAD_CHARS),
                   "label": name, "qos": "0", "retain": false, "confirm": false}),
            json!({"id": format!("l{i}"), "title": name, "type": "led",
                   "binding": binding(&format!("xss/m/{i}")), "state_on": "on",
                   "state_off": "off", "on_color": "#16a34a", "off_color": "#94a3b8",
                   "map": map}),
            json!({"id": format!("v{i}"), "title": name, "type": "value",
                   "binding": binding(&format!("xss/m/{i}")), "unit": unit,
                   "stale_after_secs": 0, "map": map}),
            with(
                json!({"id": format!("s{i}"), "title": name, "type": "slider", "min": 0,
                        "max": 10, "step": 1, "unit": unit, "throttle_ms": 0}),
                publish(format!("xss/cmd/{i}")),
            ),
            json!({"id": format!("t{i}"), "title": name, "type": "level",
                   "binding": binding(&format!("xss/n/{i}")), "min": 0, "max": 10,
                   "unit": unit, "decimals": 0, "vertical": false}),
        ]);
    }
    let config = json!({"version": 1,
        "connections": [connection("k", "k", ws_port)],
        "dashboards": [{"id": "d", "name": "d", "connection": "k", "widgets": widgets}]});
    let file = dir.join("kinds.json");
    std::fs::write(&file, serde_json::to_string_pretty(&config).unwrap()).unwrap();
    import(&client, &file, "notice info").await;
    set_editing(&client, false).await;
    wait_subscribed(&h.broker, "xss/log/#").await;
    wait_subscribed(&h.broker, &format!("xss/m/{}", strings.len() - 1)).await;
    // What maps, the numbers, and the corpus as payloads on the log's topics.
    let mut messages = Vec::new();
    for (i, s) in strings.iter().enumerate() {
        messages.push((format!("xss/m/{i}"), "m".to_owned()));
        messages.push((format!("xss/n/{i}"), "7".to_owned()));
        messages.push((format!("xss/log/{i}"), s.clone()));
    }
    publish_all(h.broker.tcp_port, &dir, &messages, false);
    let last = strings.len() - 1;
    wait_attr(
        &client,
        &widget(&format!("t{last}"), ".level-fill"),
        "style",
        "width:70.0%",
    )
    .await;
    for (i, s) in strings.iter().enumerate() {
        let name = cut(s, MAX_NAME_CHARS);
        let text = |css: String| {
            let client = &client;
            async move {
                try_prop(client, &css, "textContent")
                    .await
                    .ok()
                    .flatten()
                    .unwrap_or_default()
            }
        };
        // An empty label or word falls back to "Send" or to the value as it came.
        let or = |fallback: &str| {
            if name.is_empty() {
                fallback.to_owned()
            } else {
                name.clone()
            }
        };
        assert_eq!(
            text(widget(&format!("b{i}"), ".button-text")).await,
            or("Send"),
            "button label {i}"
        );
        wait_for(&format!("named values {i}"), READ_TIMEOUT, || async {
            let led = text(widget(&format!("l{i}"), ".led-label")).await;
            let value = text(widget(&format!("v{i}"), ".value-number")).await;
            if led == or("m") && value == or("m") {
                Ok(Some(()))
            } else {
                Err(format!("{led:?} {value:?}"))
            }
        })
        .await;
        // Units after a number: the level bar's reading, and a slider moved (a move while
        // dragging, which with `throttle_ms: 0` publishes nothing until release).
        let unit = cut(s, MAX_UNIT_CHARS);
        let with_unit = |n: &str| {
            if unit.is_empty() {
                n.to_owned()
            } else {
                format!("{n} {unit}")
            }
        };
        assert_eq!(
            text(widget(&format!("t{i}"), ".level-value")).await,
            with_unit("7"),
            "level bar unit {i}"
        );
        assert_eq!(
            text(widget(&format!("s{i}"), ".slider-value")).await,
            "—",
            "a slider with nothing chosen yet"
        );
        js(
            &client,
            &format!(
                "const el = document.querySelector('[data-widget-id=\"s{i}\"] .slider-input'); \
                 el.value = '3'; el.dispatchEvent(new Event('input', {{bubbles: true}})); return null"
            ),
        )
        .await;
        wait_for(&format!("slider unit {i}"), READ_TIMEOUT, || async {
            let shown = text(widget(&format!("s{i}"), ".slider-value")).await;
            if shown == with_unit("3") {
                Ok(Some(()))
            } else {
                Err(format!("{shown:?}"))
            }
        })
        .await;
    }
    // The log: every payload and topic as text, newest first.
    wait_for("the log's lines", READ_TIMEOUT, || async {
        let n = js(
            &client,
            "return document.querySelectorAll('[data-widget-id=\"log\"] .log-line').length",
        )
        .await;
        if n.as_u64() == Some(strings.len() as u64) {
            Ok(Some(()))
        } else {
            Err(format!("{n}"))
        }
    })
    .await;
    let lines = js(
        &client,
        "return [...document.querySelectorAll('[data-widget-id=\"log\"] .log-line')]\
         .map(l => [l.querySelector('.log-topic').textContent, l.querySelector('.log-payload').textContent])",
    )
    .await;
    let mut seen: Vec<(String, String)> = lines
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l[0].as_str().unwrap().to_owned(),
                l[1].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    seen.sort();
    let mut expected: Vec<(String, String)> = strings
        .iter()
        .enumerate()
        .map(|(i, s)| (format!("xss/log/{i}"), excerpt(s, 200)))
        .collect();
    expected.sort();
    assert_eq!(seen, expected);
    assert_clean(&client, "after the new kinds showed the corpus").await;
    assert_answers(&client).await;
    client.close().await.unwrap();
}
