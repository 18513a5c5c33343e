//! Header (connection status, edit mode, language), notice banner and dashboard tabs.

use leptos::prelude::*;

use crate::browser::device_online;
use crate::config::{Dashboard, MqttVersion};
use crate::describe::{link_error_text, notice_text};
use crate::format::fill;
use crate::i18n::{EdText, Text, t, ted, word};
use crate::mqtt::link::{LinkError, LinkStatus};
use crate::runtime::{active_link_status, use_runtime};
use crate::state::{Notice, NoticeText, use_app_state};

use super::dashboard::Editing;

#[component]
pub fn ConnectionStatus() -> impl IntoView {
    let state = use_app_state();
    let runtime = use_runtime();
    let dialogs = expect_context::<RwSignal<Option<Editing>>>();
    let status = active_link_status();
    let text = move || {
        let lang = state.lang.get();
        match status.get() {
            None => t(lang, Text::StatusStopped).to_owned(),
            Some(LinkStatus::Connecting) => t(lang, Text::StatusConnecting).to_owned(),
            Some(LinkStatus::Connected { auto: None }) => t(lang, Text::StatusConnected).to_owned(),
            Some(LinkStatus::Connected { auto: Some(v) }) => fill(
                t(lang, Text::StatusConnectedAuto),
                &[if v.is_v5() { "5.0" } else { "3.1.1" }],
            ),
            Some(LinkStatus::Reconnecting { at_ms, .. }) => {
                let secs = ((at_ms - state.now_ms.get()) / 1000.0).ceil().max(0.0);
                fill(
                    t(lang, Text::StatusReconnecting),
                    &[&(secs as u64).to_string()],
                )
            }
            Some(LinkStatus::Stopped(_)) => t(lang, Text::StatusStopped).to_owned(),
        }
    };
    // With no network at all, that is the news, not what the broker did (or did not) say;
    // reconnecting is automatic when the network is back, so no button. Read when the status
    // changes: losing the network closes the socket, and every attempt after changes it again.
    let detail = move || match status.get() {
        Some(LinkStatus::Reconnecting { .. } | LinkStatus::Stopped(_)) if !device_online() => {
            Some((t(state.lang.get(), Text::DeviceOffline).to_owned(), None))
        }
        Some(LinkStatus::Reconnecting { error, .. }) | Some(LinkStatus::Stopped(error)) => Some((
            link_error_text(&error, state.lang.get()),
            Some(matches!(error, LinkError::VersionRefused(_))),
        )),
        _ => None,
    };
    // The one-tap answer to "this broker does not speak 5.0" is the connection set to
    // 3.1.1, in place of "retry now", which could not help.
    let use_311 = move || {
        let result = state.update_config(|c| {
            let active = state.active_dashboard.get_untracked();
            let used = c
                .dashboards
                .iter()
                .find(|d| d.id == active)
                .map(|d| d.connection.clone());
            if let Some(conn) = c
                .connections
                .iter_mut()
                .find(|c| Some(&c.id) == used.as_ref())
            {
                conn.mqtt_version = MqttVersion::V3_1_1;
            }
        });
        if let Err(problems) = result {
            state
                .notice
                .set(Some(Notice::Error(NoticeText::ChangeRejected(problems))));
        }
    };
    view! {
        <div
            id="status"
            class="status"
            role="status"
            data-state=move || status.get().map_or("none", |s| s.key())
        >
            <span class="status-dot" aria-hidden="true"></span>
            <span class="status-text">{text}</span>
            {move || {
                detail()
                    .map(|(d, older)| {
                        // "Retry now" (or "Use 3.1.1"), and the doctor's "Why?".
                        let action = older.map(|older| {
                            let label = if older { Text::UseV311 } else { Text::RetryNow };
                            view! {
                            <button
                                type="button"
                                class="retry"
                                on:click=move |_| {
                                    if older {
                                        use_311()
                                    } else {
                                        runtime.with_value(|rt| rt.retry_all())
                                    }
                                }
                            >
                                {word(state.lang.into(), label)}
                            </button>
                            <button
                                type="button"
                                id="diagnose"
                                class="retry"
                                on:click=move |_| dialogs.set(Some(Editing::Doctor))
                            >
                                {word(state.lang.into(), Text::Diagnose)}
                            </button>
                            }
                        });
                        view! {
                            <span class="status-detail">{d}</span>
                            {action}
                        }
                    })
            }}
        </div>
    }
}

#[component]
pub fn Header() -> impl IntoView {
    let state = use_app_state();
    view! {
        <header class="topbar">
            <h1 class="brand">"Tablero"</h1>
            <ConnectionStatus />
            <div class="topbar-actions">
                <button
                    id="edit-toggle"
                    type="button"
                    aria-pressed=move || state.editing.get().to_string()
                    on:click=move |_| state.editing.update(|e| *e = !*e)
                >
                    {move || {
                        t(state.lang.get(), if state.editing.get() { Text::Done } else { Text::Edit })
                    }}
                </button>
                <button
                    id="switch-lang"
                    type="button"
                    on:click=move |_| state.lang.update(|l| *l = l.other())
                >
                    {word(state.lang.into(), Text::SwitchLanguage)}
                </button>
            </div>
        </header>
    }
}

#[component]
pub fn NoticeBanner() -> impl IntoView {
    let state = use_app_state();
    move || {
        state.notice.get().map(|notice| {
            let (class, text) = match notice {
                Notice::Info(t) => ("notice info", Some(t)),
                Notice::Error(t) => ("notice error", Some(t)),
                Notice::UpdateReady => ("notice info", None),
            };
            // The offer of a new build. The page's loader (index.html) answers a tap on this
            // button: it lets the waiting service worker take over and reloads into it.
            let update = text.is_none().then(|| {
                view! {
                    <button type="button" id="apply-update">
                        {word(state.lang.into(), Text::UpdateApply)}
                    </button>
                }
            });
            let text = move || match &text {
                Some(text) => notice_text(text, state.lang.get()),
                None => t(state.lang.get(), Text::UpdateReady).to_owned(),
            };
            view! {
                <div id="notice" class=class role="alert">
                    <span>{text}</span>
                    {update}
                    <button type="button" class="dismiss" on:click=move |_| state.notice.set(None)>
                        {word(state.lang.into(), Text::Dismiss)}
                    </button>
                </div>
            }
        })
    }
}

fn new_dashboard_id(existing: &[Dashboard]) -> String {
    (1..)
        .map(|n| format!("dashboard-{n}"))
        .find(|id| existing.iter().all(|d| &d.id != id))
        .unwrap_or_default()
}

/// Edit mode's "+ New dashboard": a split point, like the rest of edit mode's controls
/// (use mode never needs it).
#[leptos::wasm_split::wasm_split(add_dashboard, wasm_split_path = ::leptos::wasm_split, fallible)]
fn add_dashboard() -> Result<AnyView, leptos::wasm_split::SplitLoaderError> {
    let state = use_app_state();
    let add = move |_| {
        let lang = state.lang.get_untracked();
        let mut new_id = String::new();
        let result = state.update_config(|c| {
            new_id = new_dashboard_id(&c.dashboards);
            let connection = c
                .dashboards
                .iter()
                .find(|d| d.id == state.active_dashboard.get_untracked())
                .map(|d| d.connection.clone())
                .or_else(|| c.connections.first().map(|c| c.id.clone()))
                .unwrap_or_default();
            c.dashboards.push(Dashboard {
                id: new_id.clone(),
                name: format!("{} {}", t(lang, Text::Dashboards), c.dashboards.len() + 1),
                connection,
                widgets: Vec::new(),
            });
        });
        match result {
            Ok(()) => state.active_dashboard.set(new_id),
            Err(problems) => state
                .notice
                .set(Some(Notice::Error(NoticeText::ChangeRejected(problems)))),
        }
    };
    Ok(view! {
        <button type="button" id="add-dashboard" class="tab add" on:click=add>
            {move || format!("+ {}", ted(state.lang.get(), EdText::AddDashboard))}
        </button>
    }
    .into_any())
}

#[component]
pub fn Tabs() -> impl IntoView {
    let state = use_app_state();
    view! {
        <nav class="tabs" role="tablist" aria-label=word(state.lang.into(), Text::Dashboards)>
            <For
                each=move || state.config.with(|c| c.dashboards.iter().map(|d| (d.id.clone(), d.name.clone())).collect::<Vec<_>>())
                key=|(id, name)| (id.clone(), name.clone())
                children=move |(id, name)| {
                    let selected = {
                        let id = id.clone();
                        move || state.active_dashboard.get() == id
                    };
                    let id_click = id.clone();
                    view! {
                        <button
                            type="button"
                            role="tab"
                            class="tab"
                            data-dashboard-id=id
                            aria-selected=move || selected().to_string()
                            on:click=move |_| state.active_dashboard.set(id_click.clone())
                        >
                            {name}
                        </button>
                    }
                }
            />
            <Show when=move || state.editing.get()>
                {Suspend::new(async move { super::loaded_part(add_dashboard().await, state) })}
            </Show>
        </nav>
    }
}
