//! The shown dashboard: its widgets in a grid and, in edit mode, the tools to add, edit,
//! move and remove them, edit its connection, rename or delete it, and export or import the
//! whole configuration.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::app::{Runtime, RuntimeHandle, random_client_id, use_runtime};
use crate::components::connection_editor::{ConnectionEditor, new_connection_stub};
use crate::components::widget_editor::{WidgetEditor, new_widget_stub_in};
use crate::config::{Connection, Dashboard, Widget, WidgetKind};
use crate::i18n::{Text, t};
use crate::live::{Feed, wire_qos};
use crate::pages::shell::problems_text;
use crate::state::{AppState, Notice, use_app_state};
use crate::storage;
use crate::widgets::{Chart, Gauge, Sample, SwitchWidget, ValueCard, fill};

/// What the modal editor is editing.
#[derive(Clone)]
enum Editing {
    /// A widget: `None` index means a new one, appended.
    Widget {
        index: Option<usize>,
        widget: Widget,
    },
    /// A connection; `new` ones are added and bound to the shown dashboard on save.
    Connection { connection: Connection, new: bool },
}

fn active_dashboard(state: AppState) -> Option<Dashboard> {
    let active = state.active_dashboard.get();
    state.config.with(|c| {
        c.dashboards
            .iter()
            .find(|d| d.id == active)
            .or_else(|| c.dashboards.first())
            .cloned()
    })
}

fn apply(state: AppState, change: impl FnOnce(&mut crate::config::Config)) -> bool {
    match state.update_config(change) {
        Ok(()) => true,
        Err(problems) => {
            let lang = state.lang.get_untracked();
            state.notice.set(Some(Notice::Error(fill(
                t(lang, Text::ChangeRejected),
                &problems_text(&problems),
            ))));
            false
        }
    }
}

fn with_dashboard(state: AppState, dashboard: &str, change: impl FnOnce(&mut Dashboard)) -> bool {
    let dashboard = dashboard.to_owned();
    apply(state, move |c| {
        if let Some(d) = c.dashboards.iter_mut().find(|d| d.id == dashboard) {
            change(d);
        }
    })
}

fn new_widget_id(dashboard: &Dashboard, kind: &str) -> String {
    (1..)
        .map(|n| format!("{kind}-{n}"))
        .find(|id| dashboard.widgets.iter().all(|w| &w.id != id))
        .unwrap_or_default()
}

/// One widget, drawn from its configuration and its live feed.
fn widget_view(
    state: AppState,
    handle: RuntimeHandle,
    runtime: &Runtime,
    dashboard: &Dashboard,
    widget: Widget,
) -> AnyView {
    let lang = Signal::from(state.lang);
    let now_ms = Signal::from(state.now_ms);
    let feed = Some(runtime.live.borrow_mut().feed(&dashboard.id, &widget));
    let sample_signal =
        |s: leptos::prelude::ArcRwSignal<Option<Sample>>| -> Signal<Option<Sample>> { s.into() };
    let Widget { id, title, kind } = widget;
    match (kind, feed) {
        (WidgetKind::Gauge(config), Some(Feed::Sample(sample))) => {
            let sample = sample_signal(sample);
            view! { <Gauge id=id title=title config=config sample=sample lang=lang /> }.into_any()
        }
        (WidgetKind::Value(config), Some(Feed::Sample(sample))) => {
            let sample = sample_signal(sample);
            view! {
            <ValueCard id=id title=title config=config sample=sample now_ms=now_ms lang=lang />
            }
            .into_any()
        }
        (WidgetKind::Switch(config), Some(Feed::Sample(sample))) => {
            let sample = sample_signal(sample);
            let connection = dashboard.connection.clone();
            let (topic, qos, retain) = (
                config.command_topic.clone(),
                wire_qos(config.qos),
                config.retain,
            );
            let on_command = Callback::new(move |payload: String| {
                let result = handle.with_value(|rt| {
                    rt.links
                        .borrow()
                        .get(&connection)
                        .map(|(_, link)| link.publish(&topic, payload.into_bytes(), qos, retain))
                        .unwrap_or_else(|| Err("no connection".into()))
                });
                if let Err(why) = result {
                    state.notice.set(Some(Notice::Error(fill(
                        t(state.lang.get_untracked(), Text::PublishFailed),
                        &why,
                    ))));
                }
            });
            view! {
                <SwitchWidget
                    id=id
                    title=title
                    config=config
                    state=sample
                    now_ms=now_ms
                    on_command=on_command
                    lang=lang
                />
            }
            .into_any()
        }
        (WidgetKind::Chart(config), Some(Feed::Chart(histories))) => {
            let series = histories.into_iter().map(Signal::from).collect();
            view! { <Chart id=id title=title config=config series=series now_ms=now_ms lang=lang /> }.into_any()
        }
        _ => ().into_any(),
    }
}

#[component]
fn EditTools(dashboard: String, index: usize, count: usize, widget: Widget) -> impl IntoView {
    let state = use_app_state();
    let editing = expect_context::<RwSignal<Option<Editing>>>();
    let lang = state.lang;
    let swap = {
        let dashboard = dashboard.clone();
        move |to: usize| {
            with_dashboard(state, &dashboard, |d| d.widgets.swap(index, to));
        }
    };
    let swap_up = swap.clone();
    let remove = {
        let dashboard = dashboard.clone();
        move |_| {
            let confirmed = web_sys::window()
                .and_then(|w| {
                    w.confirm_with_message(t(lang.get_untracked(), Text::ConfirmRemoveWidget))
                        .ok()
                })
                .unwrap_or(false);
            if confirmed {
                with_dashboard(state, &dashboard, |d| {
                    d.widgets.remove(index);
                });
            }
        }
    };
    view! {
        <div class="cell-tools">
            <button
                type="button"
                class="move-up"
                disabled={index == 0}
                aria-label=move || t(lang.get(), Text::MoveUp)
                on:click=move |_| swap_up(index.saturating_sub(1))
            >
                "↑"
            </button>
            <button
                type="button"
                class="move-down"
                disabled={index + 1 >= count}
                aria-label=move || t(lang.get(), Text::MoveDown)
                on:click=move |_| swap((index + 1).min(count - 1))
            >
                "↓"
            </button>
            <button
                type="button"
                class="edit-widget"
                on:click=move |_| editing.set(Some(Editing::Widget { index: Some(index), widget: widget.clone() }))
            >
                {move || t(lang.get(), Text::EditWidget)}
            </button>
            <button type="button" class="remove-widget" on:click=remove>
                {move || t(lang.get(), Text::RemoveWidget)}
            </button>
        </div>
    }
}

#[component]
fn Toolbar(dashboard: Dashboard) -> impl IntoView {
    let state = use_app_state();
    let editing = expect_context::<RwSignal<Option<Editing>>>();
    let lang = state.lang;
    let kind = RwSignal::new("gauge".to_string());
    let add_widget = {
        let dashboard = dashboard.clone();
        move |_| {
            let kind = kind.get_untracked();
            let widget = new_widget_stub_in(
                &kind,
                new_widget_id(&dashboard, &kind),
                lang.get_untracked(),
            );
            editing.set(Some(Editing::Widget {
                index: None,
                widget,
            }));
        }
    };
    let edit_connection = {
        let connection = dashboard.connection.clone();
        move |_| {
            let c = state
                .config
                .with_untracked(|c| c.connections.iter().find(|c| c.id == connection).cloned());
            if let Some(connection) = c {
                editing.set(Some(Editing::Connection {
                    connection,
                    new: false,
                }));
            }
        }
    };
    let add_connection = move |_| {
        let id = state.config.with_untracked(|c| {
            (1..)
                .map(|n| format!("connection-{n}"))
                .find(|id| c.connections.iter().all(|x| &x.id != id))
                .unwrap_or_default()
        });
        editing.set(Some(Editing::Connection {
            connection: new_connection_stub(id, random_client_id()),
            new: true,
        }));
    };
    let bind_connection = {
        let id = dashboard.id.clone();
        move |ev: leptos::ev::Event| {
            let connection = event_target_value(&ev);
            with_dashboard(state, &id, |d| d.connection = connection);
        }
    };
    let connection_options = {
        let bound = dashboard.connection.clone();
        move || {
            state.config.with(|c| {
                c.connections
                    .iter()
                    .map(|x| {
                        let selected = x.id == bound;
                        view! { <option value=x.id.clone() selected=selected>{x.name.clone()}</option> }
                    })
                    .collect_view()
            })
        }
    };
    let rename = {
        let id = dashboard.id.clone();
        move |ev: leptos::ev::Event| {
            let name = event_target_value(&ev);
            with_dashboard(state, &id, |d| d.name = name);
        }
    };
    let delete = {
        let id = dashboard.id.clone();
        move |_| {
            let confirmed = web_sys::window()
                .and_then(|w| {
                    w.confirm_with_message(t(lang.get_untracked(), Text::ConfirmDeleteDashboard))
                        .ok()
                })
                .unwrap_or(false);
            if confirmed && apply(state, |c| c.dashboards.retain(|d| d.id != id)) {
                let first = state
                    .config
                    .with_untracked(|c| c.dashboards.first().map(|d| d.id.clone()));
                state.active_dashboard.set(first.unwrap_or_default());
            }
        }
    };
    let export = move |_| {
        if let Err(why) = state.config.with_untracked(storage::export_file) {
            state.notice.set(Some(Notice::Error(why)));
        }
    };
    let import = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        input.set_value("");
        leptos::task::spawn_local(async move {
            let lang = state.lang.get_untracked();
            match storage::import_file(file).await {
                Ok(config) => {
                    let first = config
                        .dashboards
                        .first()
                        .map(|d| d.id.clone())
                        .unwrap_or_default();
                    state.config.set(config);
                    state.active_dashboard.set(first);
                    state
                        .notice
                        .set(Some(Notice::Info(t(lang, Text::Imported).to_owned())));
                }
                Err(e) => state.notice.set(Some(Notice::Error(fill(
                    t(lang, Text::ImportFailed),
                    &e.to_string(),
                )))),
            }
        });
    };
    view! {
        <div class="toolbar">
            <label class="inline">
                <span class="visually-hidden">{move || t(lang.get(), Text::DashboardName)}</span>
                <input id="dashboard-name" type="text" prop:value=dashboard.name.clone() on:change=rename />
            </label>
            <select id="new-widget-type" on:change=move |ev| kind.set(event_target_value(&ev))>
                <option value="gauge">"Gauge"</option>
                <option value="switch">"Switch"</option>
                <option value="chart">"Chart"</option>
                <option value="value">"Value"</option>
            </select>
            <button type="button" id="add-widget" on:click=add_widget>
                {move || format!("+ {}", t(lang.get(), Text::AddWidget))}
            </button>
            <label class="inline">
                <span class="visually-hidden">{move || t(lang.get(), Text::DashboardConnection)}</span>
                <select id="dashboard-connection" on:change=bind_connection>{connection_options}</select>
            </label>
            <button type="button" id="edit-connection" on:click=edit_connection>
                {move || t(lang.get(), Text::ConnectionSettings)}
            </button>
            <button type="button" id="add-connection" on:click=add_connection>
                {move || format!("+ {}", t(lang.get(), Text::AddConnection))}
            </button>
            <button type="button" id="export-config" on:click=export>
                {move || t(lang.get(), Text::ExportConfig)}
            </button>
            <label class="button-like" for="import-file">
                {move || t(lang.get(), Text::ImportConfig)}
            </label>
            <input id="import-file" class="visually-hidden" type="file" accept="application/json,.json" on:change=import />
            <button type="button" id="delete-dashboard" class="danger" on:click=delete>
                {move || t(lang.get(), Text::DeleteDashboard)}
            </button>
        </div>
    }
}

#[component]
fn EditorModal() -> impl IntoView {
    let state = use_app_state();
    let editing = expect_context::<RwSignal<Option<Editing>>>();
    move || {
        let dashboard = active_dashboard(state)?;
        let current = editing.get()?;
        let close = Callback::new(move |_: ()| editing.set(None));
        Some(match current {
            Editing::Widget { index, widget } => {
                let dashboard_id = dashboard.id.clone();
                let on_save = Callback::new(move |w: Widget| {
                    let saved = with_dashboard(state, &dashboard_id, |d| match index {
                        Some(i) if i < d.widgets.len() => d.widgets[i] = w,
                        _ => d.widgets.push(w),
                    });
                    if saved {
                        editing.set(None);
                    }
                });
                view! {
                    <div class="modal" role="dialog" aria-modal="true">
                        <WidgetEditor initial=widget on_save=on_save on_cancel=close />
                    </div>
                }
                .into_any()
            }
            Editing::Connection { connection, new } => {
                let dashboard_id = dashboard.id.clone();
                let on_save = Callback::new(move |(c, password): (Connection, Option<String>)| {
                    let id = c.id.clone();
                    state.session_passwords.update(|p| {
                        p.retain(|(cid, _)| cid != &id);
                        if let Some(pw) = password {
                            p.push((id.clone(), pw));
                        }
                    });
                    let dashboard_id = dashboard_id.clone();
                    if apply(state, move |config| {
                        if new {
                            if let Some(d) =
                                config.dashboards.iter_mut().find(|d| d.id == dashboard_id)
                            {
                                d.connection = c.id.clone();
                            }
                            config.connections.push(c);
                        } else if let Some(slot) =
                            config.connections.iter_mut().find(|x| x.id == c.id)
                        {
                            *slot = c;
                        }
                    }) {
                        editing.set(None);
                    }
                });
                view! {
                    <div class="modal" role="dialog" aria-modal="true">
                        <ConnectionEditor initial=connection on_save=on_save on_cancel=close />
                    </div>
                }
                .into_any()
            }
        })
    }
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    let state = use_app_state();
    let runtime = use_runtime();
    let editing: RwSignal<Option<Editing>> = RwSignal::new(None);
    provide_context(editing);
    // Drag and drop on desktop: the index being dragged.
    let dragging = RwSignal::new(None::<usize>);

    let grid = move || {
        let dashboard = active_dashboard(state)?;
        let count = dashboard.widgets.len();
        let edit = state.editing.get();
        let cells = dashboard
            .widgets
            .iter()
            .cloned()
            .enumerate()
            .map(|(index, widget)| {
                let dashboard_id = dashboard.id.clone();
                let drop_id = dashboard.id.clone();
                let key = widget.id.clone();
                view! {
                    <div
                        class="cell"
                        data-widget-id=key
                        draggable=if edit { "true" } else { "false" }
                        on:dragstart=move |_| dragging.set(Some(index))
                        on:dragover=move |ev| ev.prevent_default()
                        on:drop=move |ev| {
                            ev.prevent_default();
                            if let Some(from) = dragging.get_untracked() && from != index {
                                with_dashboard(state, &drop_id, |d| {
                                    let w = d.widgets.remove(from);
                                    d.widgets.insert(index, w);
                                });
                            }
                            dragging.set(None);
                        }
                    >
                        {runtime.with_value(|rt| widget_view(state, runtime, rt, &dashboard, widget.clone()))}
                        {edit.then(|| view! { <EditTools dashboard=dashboard_id index=index count=count widget=widget /> })}
                    </div>
                }
            })
            .collect_view();
        let empty = (count == 0)
            .then(|| view! { <p class="empty">{move || t(state.lang.get(), Text::NoWidgets)}</p> });
        Some(view! {
            {edit.then(|| view! { <Toolbar dashboard=dashboard.clone() /> })}
            {empty}
            <main class="grid" data-dashboard-id=dashboard.id.clone()>{cells}</main>
        })
    };
    view! {
        {grid}
        <EditorModal />
    }
}
