//! A GitHub Pages-like first visit ([Reach], issue 11), as a student on a phone makes it:
//! the release `dist/` under a sub-path (`/tablero/`) served over **https**, mosquitto with a
//! **wss** listener, both with certificates of the harness's own CAs (Chromium is told to
//! accept them with `--ignore-certificate-errors`, the one flag a real Pages site would not
//! need). The first visit is pointed at that broker with `?broker=wss://…`, standing in for
//! the public broker a real first visit picks.
//!
//! From opening the page: the in-page demo device runs, the gauge moves, one tap on the relay
//! is confirmed (taps and seconds printed); Chromium reports no installability errors and the
//! service worker takes the page; with the network off, a reload shows the dashboard from
//! the cache and says the device is offline; back online, it connects again.

mod support;

use std::time::{Duration, Instant};

use support::*;
use testkit::web::{ChromeDriver, StaticServer};
use testkit::{Mosquitto, MosquittoOptions, TlsListeners};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pages_like_first_visit_over_https_and_wss_runs_the_demo_installs_and_opens_offline() {
    let site = temp_site("pages");
    // The account's own page at the root; the app is a project site under its name.
    std::fs::write(
        site.join("index.html"),
        "<!doctype html><title>user</title>",
    )
    .unwrap();
    let app = site.join("tablero");
    std::fs::create_dir_all(&app).unwrap();
    for entry in std::fs::read_dir(root().join("dist")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), app.join(entry.file_name())).unwrap();
    }
    let mut h = Harness {
        broker: Mosquitto::start_with(MosquittoOptions {
            tls: Some(TlsListeners::default()),
            ..Default::default()
        }),
        server: StaticServer::start_https(&site),
        driver: ChromeDriver::start(),
        downloads: temp_site("pages-downloads"),
    };
    let wss = h.broker.wss_port.expect("a wss listener");
    let url = format!(
        "{}tablero/?broker=wss://127.0.0.1:{wss}/&lang=es",
        h.server.url()
    );
    assert!(url.starts_with("https://"), "{url}");
    let client = client_with_args(&h.driver, 360, 640, &["--ignore-certificate-errors"]).await;

    // Opening the page to the relay confirmed: the demo device comes with the page.
    let opened = Instant::now();
    client.goto(&url).await.unwrap();
    wait_status(&client, "connected").await;
    wait_attr(&client, "#demo-bar .demo-device", "data-state", "connected").await;
    wait_demo_temperature(&client).await;
    tap_relay_until_confirmed_on(&client).await;
    let confirmed = opened.elapsed();
    println!(
        "Pages-like first visit on a phone (360x640, https + wss): 1 tap, {:.1} s from opening the page to the relay confirmed on",
        confirmed.as_secs_f64()
    );
    assert!(confirmed < Duration::from_secs(30), "{confirmed:?}");
    let scheme = js(&client, "return location.protocol + ' ' + isSecureContext").await;
    assert_eq!(scheme, "https: true");
    screenshot(&client, "pages-https-es-360.png").await;

    // Installable from the sub-path, and the service worker keeps the app.
    assert_installable(&h, &client).await;
    let scope = wait_for(
        "a service worker controlling the page",
        Duration::from_secs(30),
        || async {
            let s = js(
                &client,
                "return navigator.serviceWorker.controller \
                   ? navigator.serviceWorker.getRegistration().then(r => r.scope) : null",
            )
            .await;
            Ok(s.as_str().map(str::to_owned))
        },
    )
    .await;
    assert!(scope.ends_with("/tablero/"), "{scope}");

    // No network: a reload shows the dashboard from the cache and says why nothing moves.
    set_network(&h, &client, false).await;
    h.broker.restart();
    client.refresh().await.unwrap();
    wait_text_where(
        &client,
        "#status .status-detail",
        "Este dispositivo no tiene red",
        |s| s.starts_with("Este dispositivo no tiene red"),
    )
    .await;
    assert_eq!(
        widget_ids(&client).await.len(),
        4,
        "the dashboard, from the cache"
    );
    screenshot(&client, "pages-offline-es-360.png").await;
    set_network(&h, &client, true).await;
    wait_status(&client, "connected").await;
    wait_attr(&client, "#demo-bar .demo-device", "data-state", "connected").await;
    client.close().await.unwrap();
}
