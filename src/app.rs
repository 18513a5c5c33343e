//! The app shell: loads the configuration, keeps one broker link per connection in use,
//! routes messages to widgets, saves changes, and lays out header, tabs and dashboard.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use leptos::prelude::*;
use mqtt_session::{ProtocolVersion, SessionOptions};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

use crate::config::{Config, Connection, MqttVersion, demo_config};
use crate::i18n::{Lang, Text, t};
use crate::live::Live;
use crate::mqtt::link::{BrokerLink, LinkSettings};
use crate::pages::dashboard::DashboardPage;
use crate::pages::shell::{Header, NoticeBanner, Tabs};
use crate::state::{AppState, Notice};
use crate::storage::{self, Loaded};

/// Links by connection id, each with the settings it was opened with.
pub type Links = Rc<RefCell<HashMap<String, (LinkSettings, BrokerLink)>>>;

/// Shared, non-`Send` runtime objects, provided as context (as a [`RuntimeHandle`]) next to
/// [`AppState`].
#[derive(Clone)]
pub struct Runtime {
    pub live: Rc<RefCell<Live>>,
    pub links: Links,
}

/// Leptos contexts and view closures must be `Send`; a local `StoredValue` is, while the
/// `Rc`s it holds stay on the one browser thread.
pub type RuntimeHandle = StoredValue<Runtime, LocalStorage>;

pub fn use_runtime() -> RuntimeHandle {
    expect_context::<RuntimeHandle>()
}

/// `?name=value` from the page URL.
pub fn query_param(name: &str) -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    web_sys::UrlSearchParams::new_with_str(&search)
        .ok()?
        .get(name)
        .filter(|v| !v.is_empty())
}

fn initial_lang() -> Lang {
    query_param("lang")
        .or_else(storage::load_lang)
        .or_else(|| web_sys::window().and_then(|w| w.navigator().language()))
        .map(|tag| Lang::from_tag(&tag))
        .unwrap_or(Lang::Es)
}

pub fn random_client_id() -> String {
    let n = (js_sys::Math::random() * 1e9) as u64;
    format!("tablero-{n:09}")
}

/// The first-visit configuration points at the broker in `?broker=ws://host:port`, or at
/// `make run`'s broker on the page's own host.
fn first_visit_config(lang: Lang) -> Config {
    let (host, port) = query_param("broker")
        .and_then(|url| {
            let rest = url.strip_prefix("ws://")?;
            let authority = rest.split('/').next()?;
            let (host, port) = authority.rsplit_once(':')?;
            Some((host.trim_matches(['[', ']']).to_owned(), port.parse().ok()?))
        })
        .unwrap_or_else(|| {
            let host = web_sys::window()
                .and_then(|w| w.location().hostname().ok())
                .filter(|h| !h.is_empty())
                .unwrap_or_else(|| "localhost".into());
            (host, 9001)
        });
    demo_config(random_client_id(), host, port, lang)
}

fn session_options(c: &Connection, password: Option<String>) -> SessionOptions {
    let version = match c.mqtt_version {
        MqttVersion::V3_1_1 => ProtocolVersion::V3_1_1,
        MqttVersion::V5 => ProtocolVersion::V5,
    };
    let mut o = SessionOptions::new(version, c.client_id.clone());
    o.keep_alive = c.keep_alive_secs;
    o.clean_start = c.clean_start;
    o.session_expiry_interval = c.session_expiry_secs;
    o.username = c.username.clone();
    o.password = password.map(|p| p.into_bytes().into());
    o.will = c.will.as_ref().map(|w| mqtt_session::LastWill {
        topic: w.topic.clone(),
        payload: w.payload.clone().into_bytes().into(),
        qos: crate::live::wire_qos(w.qos),
        retain: w.retain,
        delay_interval: 0,
        properties: Default::default(),
    });
    o.connect_timeout = core::time::Duration::from_secs(10);
    o.rng_seed = (js_sys::Math::random() * 9e15) as u64 | 1;
    o
}

/// Opens, keeps or closes links so that exactly the connections some dashboard uses are
/// open, each subscribed to the filters its widgets need.
fn sync_links(state: AppState, runtime: &Runtime, config: &Config) {
    runtime.live.borrow_mut().sync(config);
    let mut links = runtime.links.borrow_mut();
    let used: Vec<&Connection> = config
        .connections
        .iter()
        .filter(|c| config.dashboards.iter().any(|d| d.connection == c.id))
        .collect();
    let before = links.len();
    links.retain(|id, _| used.iter().any(|c| &c.id == id));
    let mut changed = links.len() != before;
    for c in used {
        let settings = LinkSettings {
            url: c.url(),
            options: session_options(c, state.password_for(&c.id)),
        };
        let keep = links.get(&c.id).is_some_and(|(s, _)| *s == settings);
        if !keep {
            changed = true;
            links.remove(&c.id);
            let live = runtime.live.clone();
            let id = c.id.clone();
            let link = BrokerLink::open(settings.clone(), move |m| {
                live.borrow()
                    .deliver(&id, &m.topic, &m.payload, m.retain, js_sys::Date::now());
            });
            links.insert(c.id.clone(), (settings, link));
        }
        if let Some((_, link)) = links.get(&c.id) {
            link.set_filters(runtime.live.borrow().filters(&c.id));
        }
    }
    drop(links);
    if changed {
        state.links_version.update(|v| *v += 1);
    }
}

/// Calls `f` on every browser event `name` of `target` for the page's lifetime.
fn listen(target: &web_sys::EventTarget, name: &str, f: impl FnMut() + 'static) {
    let closure = Closure::<dyn FnMut()>::new(f);
    let _ = target.add_event_listener_with_callback(name, closure.as_ref().unchecked_ref());
    closure.forget();
}

#[component]
pub fn App() -> impl IntoView {
    let lang = initial_lang();
    let (config, load_problem) = match storage::load_config() {
        Loaded::Config(c) => (c, None),
        Loaded::Nothing => (first_visit_config(lang), None),
        Loaded::Unreadable(e) => (first_visit_config(lang), Some(e)),
    };
    let state = AppState::new(config, lang);
    provide_context(state);
    if let Some(e) = load_problem {
        state.notice.set(Some(Notice::Error(crate::widgets::fill(
            t(state.lang.get_untracked(), Text::StoredConfigUnreadable),
            &e.to_string(),
        ))));
    }
    let runtime = Runtime {
        live: Rc::new(RefCell::new(Live::default())),
        links: Rc::new(RefCell::new(HashMap::new())),
    };
    provide_context::<RuntimeHandle>(StoredValue::new_local(runtime.clone()));

    // Links follow the configuration.
    {
        let runtime = runtime.clone();
        Effect::new(move |_| {
            let config = state.config.get();
            state.session_passwords.track();
            sync_links(state, &runtime, &config);
        });
    }

    // Saved, debounced, after every change (not on the first run: nothing changed yet, and
    // an unreadable stored file must not be overwritten before the user acts).
    let save_generation = StoredValue::new(0u64);
    Effect::new(move |previous: Option<()>| {
        let config = state.config.get();
        if previous.is_none() {
            return;
        }
        save_generation.update_value(|g| *g += 1);
        let generation = save_generation.get_value();
        set_timeout(
            move || {
                if save_generation.get_value() != generation {
                    return;
                }
                if let Err(why) = storage::save_config(&config) {
                    state.notice.set(Some(Notice::Error(crate::widgets::fill(
                        t(state.lang.get_untracked(), Text::SaveFailed),
                        &why,
                    ))));
                }
            },
            core::time::Duration::from_millis(300),
        );
    });

    Effect::new(move |_| storage::save_lang(state.lang.get().tag()));

    // The clock widgets read, once a second.
    let _ = set_interval_with_handle(
        move || state.now_ms.set(js_sys::Date::now()),
        core::time::Duration::from_secs(1),
    );

    // Back to the foreground, or back online: reconnect now rather than after the backoff.
    if let Some(window) = web_sys::window() {
        let links = runtime.links.clone();
        let retry = move || {
            let visible = web_sys::window()
                .and_then(|w| w.document())
                .is_none_or(|d| d.visibility_state() == web_sys::VisibilityState::Visible);
            if visible {
                for (_, link) in links.borrow().values() {
                    link.retry_now();
                }
            }
        };
        listen(&window, "online", retry.clone());
        if let Some(document) = window.document() {
            listen(&document, "visibilitychange", retry);
        }
    }

    view! {
        <div class="app" lang=move || state.lang.get().tag() class:editing=move || state.editing.get()>
            <Header />
            <NoticeBanner />
            <Tabs />
            <DashboardPage />
        </div>
    }
}
