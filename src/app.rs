//! The walking-skeleton page: a broker URL and a topic, the connection state, and the last
//! message on that topic, always rendered as text.

use leptos::prelude::*;

use crate::i18n::{Lang, Text, t};
use crate::mqtt::ClientOptions;
use crate::mqtt::browser::{BrowserConnection, ConnectionEvent};
use crate::mqtt::client::ClientEvent;
use crate::payload::display_payload;
use mqtt_codec_wasm::ProtocolVersion;

/// Where the page connects when the URL does not say: the broker `make run` starts.
const DEFAULT_BROKER: &str = "ws://localhost:9001";
const DEFAULT_TOPIC: &str = "tablero/demo/#";

#[derive(Debug, Clone, PartialEq, Eq)]
enum Status {
    Idle,
    Connecting,
    Connected,
    Subscribed,
    Refused(String),
    Closed(u16),
    Failed(String),
}

impl Status {
    /// A stable machine-readable state for tests and styling (`data-state`).
    fn key(&self) -> &'static str {
        match self {
            Self::Idle => "idle",
            Self::Connecting => "connecting",
            Self::Connected => "connected",
            Self::Subscribed => "subscribed",
            Self::Refused(_) => "refused",
            Self::Closed(_) => "closed",
            Self::Failed(_) => "failed",
        }
    }

    fn describe(&self, lang: Lang) -> String {
        match self {
            Self::Idle => t(lang, Text::Idle).into(),
            Self::Connecting => t(lang, Text::Connecting).into(),
            Self::Connected => t(lang, Text::Connected).into(),
            Self::Subscribed => t(lang, Text::Subscribed).into(),
            Self::Refused(why) => format!("{}: {why}", t(lang, Text::Refused)),
            Self::Closed(code) => format!("{} ({code})", t(lang, Text::Closed)),
            Self::Failed(why) => format!("{}: {why}", t(lang, Text::Failed)),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct LastMessage {
    topic: String,
    text: String,
    retained: bool,
}

/// `?broker=ws://...&topic=...` lets a link (and the tests) choose the broker and topic.
fn query_param(name: &str) -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    web_sys::UrlSearchParams::new_with_str(&search)
        .ok()?
        .get(name)
        .filter(|v| !v.is_empty())
}

fn browser_lang() -> Lang {
    query_param("lang")
        .or_else(|| web_sys::window().and_then(|w| w.navigator().language()))
        .map(|tag| Lang::from_tag(&tag))
        .unwrap_or(Lang::En)
}

fn random_client_id() -> String {
    let n = (js_sys::Math::random() * 1e9) as u64;
    format!("tablero-{n:09}")
}

#[component]
pub fn App() -> impl IntoView {
    let lang = RwSignal::new(browser_lang());
    let broker = RwSignal::new(query_param("broker").unwrap_or_else(|| DEFAULT_BROKER.into()));
    let topic = RwSignal::new(query_param("topic").unwrap_or_else(|| DEFAULT_TOPIC.into()));
    let status = RwSignal::new(Status::Idle);
    let last = RwSignal::new(None::<LastMessage>);
    let connection = StoredValue::new_local(None::<BrowserConnection>);

    let connect = move || {
        // Dropping the old connection closes its socket and releases its callbacks.
        connection.set_value(None);
        last.set(None);
        status.set(Status::Connecting);
        let options = ClientOptions {
            version: ProtocolVersion::V3_1_1,
            client_id: random_client_id(),
            keep_alive_secs: 30,
            filter: topic.get_untracked(),
        };
        let on_event = move |event: ConnectionEvent| match event {
            ConnectionEvent::Opened => {}
            ConnectionEvent::Client(ClientEvent::Connected) => status.set(Status::Connected),
            ConnectionEvent::Client(ClientEvent::Subscribed { granted: Ok(_) }) => {
                status.set(Status::Subscribed)
            }
            ConnectionEvent::Client(ClientEvent::Subscribed { granted: Err(code) }) => {
                status.set(Status::Failed(format!("SUBACK {code:?}")))
            }
            ConnectionEvent::Client(ClientEvent::Message {
                topic,
                payload,
                retained,
            }) => last.set(Some(LastMessage {
                topic,
                text: display_payload(&payload),
                retained,
            })),
            ConnectionEvent::Client(ClientEvent::Refused(code)) => {
                status.set(Status::Refused(format!("{code:?}")))
            }
            ConnectionEvent::Client(ClientEvent::ProtocolError(why)) => {
                status.set(Status::Failed(why))
            }
            ConnectionEvent::Closed { code, .. } => status.update(|s| {
                // Keep the more specific reason if one was already given.
                if !matches!(s, Status::Refused(_) | Status::Failed(_)) {
                    *s = Status::Closed(code);
                }
            }),
        };
        match BrowserConnection::open(&broker.get_untracked(), options, on_event) {
            Ok(conn) => connection.set_value(Some(conn)),
            Err(why) => status.set(Status::Failed(why)),
        }
    };

    // Connect at once: the first thing a user should see is data moving.
    connect();

    view! {
        <main class="skeleton" lang=move || lang.get().tag()>
            <header>
                <h1>"Tablero"</h1>
                <p class="tagline">{move || t(lang.get(), Text::Tagline)}</p>
                <button
                    id="switch-lang"
                    type="button"
                    on:click=move |_| lang.update(|l| *l = l.other())
                >
                    {move || t(lang.get(), Text::SwitchLanguage)}
                </button>
            </header>
            <form
                id="connection"
                on:submit=move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    connect();
                }
            >
                <label>
                    <span>{move || t(lang.get(), Text::BrokerUrl)}</span>
                    <input id="broker-url" type="url" bind:value=broker />
                </label>
                <label>
                    <span>{move || t(lang.get(), Text::Topic)}</span>
                    <input id="topic" type="text" bind:value=topic />
                </label>
                <button id="connect" type="submit">{move || t(lang.get(), Text::Connect)}</button>
            </form>
            <p id="status" role="status" data-state=move || status.with(|s| s.key())>
                {move || status.with(|s| s.describe(lang.get()))}
            </p>
            <section id="last-message" aria-live="polite">
                <h2>{move || t(lang.get(), Text::LastMessage)}</h2>
                {move || match last.get() {
                    None => {
                        view! { <p class="empty">{t(lang.get(), Text::NoMessageYet)}</p> }
                            .into_any()
                    }
                    Some(msg) => {
                        view! {
                            <p>
                                <code id="last-topic">{msg.topic}</code>
                                {msg
                                    .retained
                                    .then(|| {
                                        view! {
                                            <span class="badge">{t(lang.get(), Text::Retained)}</span>
                                        }
                                    })}
                            </p>
                            <pre id="last-payload">{msg.text}</pre>
                        }
                            .into_any()
                    }
                }}
            </section>
        </main>
    }
}
