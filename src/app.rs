//! The app shell: loads the configuration, keeps the runtime (broker links, live routes) in
//! step with it, saves changes, and lays out header, tabs and dashboard.

use gloo_timers::callback::{Interval, Timeout};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

use crate::browser::{page_is_https, query_param, random, set_document_lang};
use crate::config::{
    BrokerAddress, Config, DEMO_PREFIX, DemoRun, PRESETS, Scheme, broker_demo_config,
    first_visit_presets, public_demo_config, random_client_id, random_topic_prefix,
};
use crate::i18n::Lang;
use crate::pages::dashboard::{build_page, provide_dialogs};
use crate::pages::shell::{build_nav, build_top};
use crate::retained::{Attr, child, keep_painted};
use crate::runtime::{Runtime, RuntimeHandle};
use crate::state::{AppState, Notice, NoticeText};
use crate::storage::{self, Loaded};

fn initial_lang() -> Lang {
    query_param("lang")
        .or_else(storage::load_lang)
        .or_else(|| web_sys::window().and_then(|w| w.navigator().language()))
        .map(|tag| Lang::from_tag(&tag))
        .unwrap_or(Lang::Es)
}

/// The first-visit configuration: the demo dashboard, on the broker in
/// `?broker=ws://host:port/path` (or `wss://`) or, without one, on `make run`'s broker on the
/// page's own host, under `make run`'s device prefix.
///
/// On a page served over https (a GitHub Pages site: no broker on its host, and only `wss://`
/// allowed), or with `?device=page`, there is no `tablero device` to show: the demo runs its
/// own device in the page (the returned [`DemoRun`]) under a random topic prefix, on a public
/// broker over wss unless `?broker=` names one.
fn first_visit(lang: Lang) -> (Config, Option<DemoRun>) {
    let broker = query_param("broker").and_then(|url| BrokerAddress::parse(&url));
    let in_page = page_is_https() || query_param("device").as_deref() == Some("page");
    let client_id = random_client_id(random);
    if !in_page {
        let address = broker.unwrap_or_else(|| BrokerAddress {
            scheme: Scheme::Ws,
            host: web_sys::window()
                .and_then(|w| w.location().hostname().ok())
                .filter(|h| !h.is_empty())
                .unwrap_or_else(|| "localhost".into()),
            port: 9001,
            path: "/".into(),
        });
        return (
            broker_demo_config(client_id, address, DEMO_PREFIX, lang),
            None,
        );
    }
    let prefix = random_topic_prefix(random);
    let config = match broker {
        Some(address) => broker_demo_config(client_id, address, &prefix, lang),
        None => {
            let preset = first_visit_presets().next().unwrap_or(&PRESETS[0]);
            public_demo_config(client_id, preset, &prefix, lang)
        }
    };
    let run = config.dashboards.first().map(|d| DemoRun {
        dashboard: d.id.clone(),
        prefix,
    });
    (config, run)
}

/// Starts the app: its state and runtime under one reactive owner that lives as long as the
/// page, and its element at the end of `<body>`.
pub fn start() {
    // The executor that runs effects and futures: the browser's microtask queue.
    let _ = any_spawner::Executor::init_wasm_bindgen();
    let owner = Owner::new();
    owner.with(build_app);
    // The page's one owner: never cleaned up, as the page is never unmounted.
    std::mem::forget(owner);
}

/// The app's state, runtime and hooks, then its element: the header, status line and notice
/// (`shell::build_top`), the tabs, the shown dashboard. Each part is retained (see
/// `crate::retained`): built once with the browser's calls, repainted where its signals
/// change.
fn build_app() {
    let lang = initial_lang();
    let (config, load_problem, demo) = match storage::load_config() {
        Loaded::Config(c) => (c, None, storage::load_demo()),
        Loaded::Nothing => {
            let (c, demo) = first_visit(lang);
            // A demo under a random prefix is kept from the start: a reload must find its
            // dashboard, its device and the retained states on the same topics.
            if demo.is_some() {
                let _ = storage::save_config(&c);
            }
            (c, None, demo)
        }
        Loaded::Unreadable(e) => {
            let (c, demo) = first_visit(lang);
            (c, Some(e), demo)
        }
    };
    let state = AppState::new(config, lang);
    state.demo.set(demo);
    Effect::new(move |_| state.demo.with(|d| storage::save_demo(d.as_ref())));
    provide_context(state);
    if let Some(e) = load_problem {
        state
            .notice
            .set(Some(Notice::Error(NoticeText::StoredConfigUnreadable(e))));
    }
    provide_dialogs();
    let runtime = Runtime::default();
    provide_context::<RuntimeHandle>(StoredValue::new_local(runtime.clone()));

    // Links follow the configuration; a change that leaves a connection as it was only
    // diffs its subscriptions.
    {
        let runtime = runtime.clone();
        Effect::new(move |_| {
            let config = state.config.get();
            state.session_passwords.track();
            if runtime.sync(state, &config) {
                state.links_version.update(|v| *v += 1);
            }
        });
    }

    // Saved, debounced, after every change (not on the first run: nothing changed yet, and
    // an unreadable stored file must not be overwritten before the user acts).
    // Replacing the pending timer cancels it: only the last change of a burst is written.
    let pending_save = StoredValue::new_local(None::<Timeout>);
    Effect::new(move |previous: Option<()>| {
        let config = state.config.get();
        if previous.is_none() {
            return;
        }
        pending_save.set_value(Some(Timeout::new(300, move || {
            if let Err(why) = storage::save_config(&config) {
                state
                    .notice
                    .set(Some(Notice::Error(NoticeText::SaveFailed(why))));
            }
        })));
    });

    Effect::new(move |_| {
        let tag = state.lang.get().tag();
        storage::save_lang(tag);
        set_document_lang(tag);
    });

    // The clock widgets read, once a second, for as long as the app lives. On its beat, the
    // chart points kept across reloads are written behind, every few seconds (and at once
    // when the page is hidden, below).
    let clock = {
        let runtime = runtime.clone();
        let ticks = std::cell::Cell::new(0u32);
        Interval::new(1_000, move || {
            state.now_ms.set(js_sys::Date::now());
            let n = ticks.get().wrapping_add(1);
            ticks.set(n);
            if n.is_multiple_of(crate::keep::WRITE_EVERY_SECS) {
                runtime.keep_history();
            }
        })
    };
    StoredValue::new_local(clock);

    // Back to the foreground, or back online: reconnect now rather than after the backoff.
    let retry = {
        let runtime = runtime.clone();
        move || {
            let visible = web_sys::window()
                .and_then(|w| w.document())
                .is_none_or(|d| d.visibility_state() == web_sys::VisibilityState::Visible);
            if visible {
                runtime.retry_all();
            } else {
                runtime.keep_history();
            }
        }
    };
    let on_online = {
        let retry = retry.clone();
        window_event_listener(leptos::ev::online, move |_| retry())
    };
    // A newer build is installed and waiting (index.html's loader says so): offer it.
    let on_update = window_event_listener(
        leptos::ev::Custom::<web_sys::Event>::new("tablero-update"),
        move |_| state.notice.set(Some(Notice::UpdateReady)),
    );
    // `visibilitychange` fires at the document and bubbles to the window. Hidden, the kept
    // chart points are written: a page being left or reloaded turns hidden before it goes
    // (`pagehide` comes after), and a hidden page may never be shown again.
    let on_visible = window_event_listener(
        leptos::ev::Custom::<web_sys::Event>::new("visibilitychange"),
        move |_| retry(),
    );
    // Resumed from a freeze (a sleeping machine, a background tab the browser froze): the
    // socket may have died meanwhile, whether or not the page is visible yet. `resume` fires
    // at the document and does not bubble.
    let on_resume = {
        let runtime = runtime.clone();
        let callback = Closure::<dyn Fn()>::new(move || runtime.retry_all());
        let document = web_sys::window().and_then(|w| w.document());
        if let Some(d) = &document {
            let _ = d.add_event_listener_with_callback("resume", callback.as_ref().unchecked_ref());
        }
        StoredValue::new_local((document, callback))
    };
    on_cleanup(move || {
        on_online.remove();
        on_update.remove();
        on_visible.remove();
        on_resume.try_with_value(|(document, callback)| {
            if let Some(d) = document {
                let _ = d.remove_event_listener_with_callback(
                    "resume",
                    callback.as_ref().unchecked_ref(),
                );
            }
        });
    });

    let Some(body) = document().body() else {
        return;
    };
    let app = child(&body, "div", "app");
    keep_painted(Attr::new(&app, "class"), move |class| {
        class.set(Some(match (state.exploring.get(), state.editing.get()) {
            (true, _) => "app exploring",
            (_, true) => "app editing",
            _ => "app",
        }));
    });
    build_top(&app);
    build_nav(&app);
    build_page(&app);
}
