//! The shown dashboard: its widgets in a grid and, in edit mode, the tools to add, edit,
//! move and remove them, edit its connection, rename or delete it, and export or import the
//! whole configuration.

use std::cell::Cell;
use std::future::Future;
use std::rc::Rc;

use leptos::prelude::*;
use leptos::wasm_split::SplitLoaderError;
use wasm_bindgen::JsCast;
use web_sys::Element;

use crate::browser::{confirm, random};
use crate::components::{ConnectionEditor, Modal, WidgetEditor, new_connection_stub};
use crate::config::{Connection, Dashboard, Widget, random_client_id};
use crate::i18n::{EdText, Text, ed_word, t, ted};
use crate::retained::{Slot, child, keep_painted, on_event};
use crate::runtime::use_runtime;
use crate::state::{AppState, Notice, NoticeText, use_app_state};
use crate::storage;
use crate::widgets::{self, Kind, WidgetCtx, new_widget};

use super::{Part, doctor, firmware, mount_part, part, part_slot, share, when_loaded};

/// What the modal editor is editing (or which other dialog is open).
#[derive(Clone)]
pub enum Editing {
    /// A widget: `None` index means a new one, appended.
    Widget {
        index: Option<usize>,
        widget: Widget,
    },
    /// A connection; `new` ones are added and bound to the shown dashboard on save.
    Connection { connection: Connection, new: bool },
    /// The shown dashboard's share link and QR code.
    Share,
    /// A share link opened (this URL fragment): what it holds, and the question.
    OpenShare(String),
    /// The shown dashboard's firmware snippets.
    Firmware,
    /// The connection doctor, for the shown dashboard's connection (the status line's
    /// "Why?").
    Doctor,
}

/// The one dialog host's state, provided for the whole app: the header's status line opens
/// the doctor through it. A share link the page was opened with asks its question first.
pub fn provide_dialogs() {
    provide_context(RwSignal::new(
        crate::browser::share_fragment().map(Editing::OpenShare),
    ));
}

/// What opens "Code for your device" for the shown dashboard ("Make it mine" of the demo);
/// taken where the dialog host's context is (anywhere in the app), called later from a
/// handler.
pub fn firmware_opener() -> impl Fn() + Copy {
    let editing = use_context::<RwSignal<Option<Editing>>>();
    move || {
        if let Some(editing) = editing {
            editing.set(Some(Editing::Firmware));
        }
    }
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
            state
                .notice
                .set(Some(Notice::Error(NoticeText::ChangeRejected(problems))));
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
            if confirm(ted(lang.get_untracked(), EdText::ConfirmRemoveWidget)) {
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
                aria-label=ed_word(lang.into(), EdText::MoveUp)
                on:click=move |_| swap_up(index.saturating_sub(1))
            >
                "↑"
            </button>
            <button
                type="button"
                class="move-down"
                disabled={index + 1 >= count}
                aria-label=ed_word(lang.into(), EdText::MoveDown)
                on:click=move |_| swap((index + 1).min(count - 1))
            >
                "↓"
            </button>
            <button
                type="button"
                class="edit-widget"
                on:click=move |_| editing.set(Some(Editing::Widget { index: Some(index), widget: widget.clone() }))
            >
                {ed_word(lang.into(), EdText::EditWidget)}
            </button>
            <button type="button" class="remove-widget" on:click=remove>
                {ed_word(lang.into(), EdText::RemoveWidget)}
            </button>
        </div>
    }
}

#[component]
fn Toolbar(dashboard: Dashboard) -> impl IntoView {
    let state = use_app_state();
    let editing = expect_context::<RwSignal<Option<Editing>>>();
    let lang = state.lang;
    let kind = RwSignal::new(Kind::ALL[0]);
    let add_widget = {
        let dashboard = dashboard.clone();
        move |_| {
            let kind = kind.get_untracked();
            let widget = new_widget(
                kind,
                new_widget_id(&dashboard, kind.tag()),
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
            connection: new_connection_stub(id, random_client_id(random)),
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
            if confirm(ted(lang.get_untracked(), EdText::ConfirmDeleteDashboard))
                && apply(state, |c| c.dashboards.retain(|d| d.id != id))
            {
                let first = state
                    .config
                    .with_untracked(|c| c.dashboards.first().map(|d| d.id.clone()));
                state.active_dashboard.set(first.unwrap_or_default());
            }
        }
    };
    let export = move |_| {
        if let Err(why) = state.config.with_untracked(storage::export_file) {
            state
                .notice
                .set(Some(Notice::Error(NoticeText::ExportFailed(why))));
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
            match storage::import_file(file).await {
                Ok(config) => {
                    let first = config
                        .dashboards
                        .first()
                        .map(|d| d.id.clone())
                        .unwrap_or_default();
                    state.config.set(config);
                    state.active_dashboard.set(first);
                    state.notice.set(Some(Notice::Info(NoticeText::Imported)));
                }
                Err(e) => state
                    .notice
                    .set(Some(Notice::Error(NoticeText::ImportFailed(e)))),
            }
        });
    };
    view! {
        <div class="toolbar">
            <label class="inline">
                <span class="visually-hidden">{ed_word(lang.into(), EdText::DashboardName)}</span>
                <input id="dashboard-name" type="text" prop:value=dashboard.name.clone() on:change=rename />
            </label>
            <label class="inline">
                <span class="visually-hidden">{ed_word(lang.into(), EdText::EdWidgetType)}</span>
                <select
                    id="new-widget-type"
                    on:change=move |ev| {
                        if let Some(k) = Kind::parse(&event_target_value(&ev)) {
                            kind.set(k);
                        }
                    }
                >
                    {Kind::ALL
                        .into_iter()
                        .map(|k| {
                            view! {
                                <option value=k.tag() selected=move || kind.get() == k>
                                    {ed_word(lang.into(), k.label())}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <button type="button" id="add-widget" on:click=add_widget>
                {move || format!("+ {}", ted(lang.get(), EdText::AddWidget))}
            </button>
            <label class="inline">
                <span class="visually-hidden">{ed_word(lang.into(), EdText::DashboardConnection)}</span>
                <select id="dashboard-connection" on:change=bind_connection>{connection_options}</select>
            </label>
            <button type="button" id="edit-connection" on:click=edit_connection>
                {ed_word(lang.into(), EdText::ConnectionSettings)}
            </button>
            <button type="button" id="add-connection" on:click=add_connection>
                {move || format!("+ {}", ted(lang.get(), EdText::AddConnection))}
            </button>
            <button
                type="button"
                id="share-dashboard"
                on:click=move |_| editing.set(Some(Editing::Share))
            >
                {ed_word(lang.into(), EdText::Share)}
            </button>
            <button
                type="button"
                id="firmware-code-open"
                on:click=move |_| editing.set(Some(Editing::Firmware))
            >
                {ed_word(lang.into(), EdText::Firmware)}
            </button>
            <button type="button" id="export-config" on:click=export>
                {ed_word(lang.into(), EdText::ExportConfig)}
            </button>
            <label class="button-like" for="import-file">
                {ed_word(lang.into(), EdText::ImportConfig)}
            </label>
            <input id="import-file" class="visually-hidden" type="file" accept="application/json,.json" on:change=import />
            <button type="button" id="delete-dashboard" class="danger" on:click=delete>
                {ed_word(lang.into(), EdText::DeleteDashboard)}
            </button>
        </div>
    }
}

// The editors are not part of the first load: each dialog is a split point, a module of
// its own fetched the first time it opens (scripts/build_web.py builds them). Fallible, so a
// failed fetch (offline, a server that lost the file) is a notice and the page lives on; the
// next try fetches again.

#[leptos::wasm_split::wasm_split(widget_dialog, wasm_split_path = ::leptos::wasm_split, fallible)]
fn widget_dialog(
    widget: Widget,
    index: Option<usize>,
    dashboard: String,
    close: Callback<()>,
) -> Result<AnyView, SplitLoaderError> {
    let state = use_app_state();
    let editing = expect_context::<RwSignal<Option<Editing>>>();
    let on_save = Callback::new(move |w: Widget| {
        let saved = with_dashboard(state, &dashboard, |d| match index {
            Some(i) if i < d.widgets.len() => d.widgets[i] = w,
            _ => d.widgets.push(w),
        });
        if saved {
            editing.set(None);
        }
    });
    Ok(view! {
        <Modal
            label=Signal::derive(move || ted(state.lang.get(), EdText::EdDialogWidget).to_owned())
            on_cancel=close
        >
            <WidgetEditor initial=widget on_save=on_save on_cancel=close />
        </Modal>
    }
    .into_any())
}

#[leptos::wasm_split::wasm_split(connection_dialog, wasm_split_path = ::leptos::wasm_split, fallible)]
fn connection_dialog(
    connection: Connection,
    new: bool,
    dashboard: String,
    close: Callback<()>,
) -> Result<AnyView, SplitLoaderError> {
    let state = use_app_state();
    let editing = expect_context::<RwSignal<Option<Editing>>>();
    let on_save = Callback::new(move |(c, password): (Connection, Option<String>)| {
        let id = c.id.clone();
        state.session_passwords.update(|p| {
            p.retain(|(cid, _)| cid != &id);
            if let Some(pw) = password {
                p.push((id.clone(), pw));
            }
        });
        let dashboard = dashboard.clone();
        if apply(state, move |config| {
            if new {
                if let Some(d) = config.dashboards.iter_mut().find(|d| d.id == dashboard) {
                    d.connection = c.id.clone();
                }
                config.connections.push(c);
            } else if let Some(slot) = config.connections.iter_mut().find(|x| x.id == c.id) {
                *slot = c;
            }
        }) {
            editing.set(None);
        }
    });
    Ok(view! {
        <Modal
            label=Signal::derive(move || ted(state.lang.get(), EdText::EdDialogConnection).to_owned())
            on_cancel=close
        >
            <ConnectionEditor initial=connection on_save=on_save on_cancel=close />
        </Modal>
    }
    .into_any())
}

// Edit mode's controls (the toolbar, each widget's move/edit/remove) are split points too:
// use mode, the first screen, never needs them.

#[leptos::wasm_split::wasm_split(toolbar, wasm_split_path = ::leptos::wasm_split, fallible)]
pub(super) fn toolbar(dashboard: Dashboard) -> Result<AnyView, SplitLoaderError> {
    Ok(view! { <Toolbar dashboard /> }.into_any())
}

#[leptos::wasm_split::wasm_split(edit_tools, wasm_split_path = ::leptos::wasm_split, fallible)]
pub(super) fn edit_tools(
    dashboard: String,
    index: usize,
    count: usize,
    widget: Widget,
) -> Result<AnyView, SplitLoaderError> {
    Ok(view! { <EditTools dashboard index count widget /> }.into_any())
}

/// The dialog host: the dialog `editing` names, for the shown dashboard, at the end of
/// `app` once its module is here (a fetch that failed closes it). A share link put in the
/// address bar of the running app opens its question.
fn build_dialogs(app: &Element, state: AppState) {
    let editing = expect_context::<RwSignal<Option<Editing>>>();
    let on_hash = window_event_listener(
        leptos::ev::Custom::<web_sys::Event>::new("hashchange"),
        move |_| {
            if let Some(f) = crate::browser::share_fragment() {
                editing.set(Some(Editing::OpenShare(f)));
            }
        },
    );
    on_cleanup(move || on_hash.remove());
    part_slot(app, move || {
        let dashboard = active_dashboard(state)?;
        let editing = editing.get()?;
        Some(super::part(super::Part::Dialog { editing, dashboard }))
    });
}

/// The dialog `editing` names, for `dashboard`; closing (or a fetch that failed) empties the
/// dialog host.
pub(super) async fn dialog(
    editing: Editing,
    dashboard: Dashboard,
) -> Result<AnyView, SplitLoaderError> {
    let host = expect_context::<RwSignal<Option<Editing>>>();
    let close = Callback::new(move |_: ()| host.set(None));
    let dialog = match editing {
        Editing::Widget { index, widget } => {
            widget_dialog(widget, index, dashboard.id, close).await
        }
        Editing::Connection { connection, new } => {
            connection_dialog(connection, new, dashboard.id, close).await
        }
        Editing::Share => share::share_dialog(dashboard.id, close).await,
        Editing::OpenShare(fragment) => share::share_open(fragment, close).await,
        Editing::Firmware => firmware::firmware_dialog(dashboard.id, close).await,
        Editing::Doctor => doctor::doctor_dialog(dashboard.connection, close).await,
    };
    if dialog.is_err() {
        host.set(None);
    }
    dialog
}

/// The shown dashboard, after the tabs in `app`: the demo bar while the demo runs, the line
/// that says its data is old while its broker is out of reach, edit mode's toolbar, the line
/// for a dashboard with no widgets, the grid, and the dialog host. Retained (see
/// `crate::retained`); the demo bar, the toolbar and the dialogs are split points' views.
pub fn build_page(app: &Element) {
    let state = use_app_state();
    let offline = crate::runtime::offline_memo(crate::runtime::active_link_status());
    provide_context(offline);
    part_slot(app, move || {
        state.demo.get().map(|run| part(Part::DemoBar(run)))
    });
    let offline_line = Slot::new(app, "p", "offline-data");
    let _ = offline_line.el.set_attribute("role", "status");
    keep_painted(offline_line, move |line| {
        let lang = state.lang.get();
        line.text(offline.0.get().then(|| t(lang, Text::OfflineData)));
    });
    part_slot(app, move || {
        let dashboard = active_dashboard(state)?;
        state.editing.get().then(|| part(Part::Toolbar(dashboard)))
    });
    keep_painted(Slot::new(app, "p", "empty"), move |line| {
        let empty = active_dashboard(state).is_some_and(|d| d.widgets.is_empty());
        line.text(empty.then(|| t(state.lang.get(), Text::NoWidgets)));
    });
    build_grid(&child(app, "main", "grid"));
    // The broker view, in place of the dashboard (hidden by the app's class) while shown.
    part_slot(app, move || {
        state.exploring.get().then(|| part(Part::Insight))
    });
    build_dialogs(app, state);
}

/// Builds a card into its `<article>` once the cards' module is here (at once after the
/// first), under the grid run that asked for it: a card whose grid was rebuilt meanwhile is
/// not built at all. If the module could not be fetched, the cell stays empty and a notice
/// says so; the next rebuild (another tab, edit mode, a change) tries again.
fn mount_card(
    article: &Element,
    card: impl Future<Output = Result<widgets::card::CardBuild, SplitLoaderError>> + 'static,
) {
    let state = use_app_state();
    let article = article.clone();
    when_loaded(card, move |card| match card {
        Ok(build) => build(&article),
        Err(_) => state
            .notice
            .set(Some(Notice::Error(NoticeText::PartNotLoaded))),
    });
}

/// The shown dashboard's widgets, one cell each, retained (see `crate::retained`): rebuilt
/// when the configuration or edit mode changes (a card keeps its data in its feed, so a
/// rebuilt card shows what it showed). In edit mode each cell gets its tools (a split point's
/// view) and can be dragged onto another to move the widget there.
fn build_grid(grid: &Element) {
    let state = use_app_state();
    let runtime = use_runtime();
    let cx = WidgetCtx {
        state,
        runtime,
        lang: state.lang.into(),
        now_ms: state.now_ms.into(),
    };
    // Drag and drop on desktop: the index being dragged.
    let dragging = Rc::new(Cell::new(None::<usize>));
    let grid = grid.clone();
    // Each run is a new grid: what the last one made (cards, handlers, tools) is cleaned up
    // with the run, as the effect's owner is.
    keep_painted((), move |()| {
        grid.set_text_content(None);
        let Some(dashboard) = active_dashboard(state) else {
            let _ = grid.remove_attribute("data-dashboard-id");
            return;
        };
        let edit = state.editing.get();
        let _ = grid.set_attribute("data-dashboard-id", &dashboard.id);
        let count = dashboard.widgets.len();
        for (index, widget) in dashboard.widgets.iter().enumerate() {
            let cell = child(&grid, "div", "cell");
            let _ = cell.set_attribute("data-widget-id", &widget.id);
            let _ = cell.set_attribute("draggable", if edit { "true" } else { "false" });
            {
                let dragging = Rc::clone(&dragging);
                on_event(&cell, "dragstart", move |_| dragging.set(Some(index)));
            }
            on_event(&cell, "dragover", |ev| ev.prevent_default());
            {
                let dragging = Rc::clone(&dragging);
                let dashboard = dashboard.id.clone();
                on_event(&cell, "drop", move |ev| {
                    ev.prevent_default();
                    if let Some(from) = dragging.take()
                        && from != index
                    {
                        with_dashboard(state, &dashboard, |d| {
                            let w = d.widgets.remove(from);
                            d.widgets.insert(index, w);
                        });
                    }
                });
            }
            let feed = runtime.with_value(|rt| rt.live.borrow_mut().feed(&dashboard.id, widget));
            mount_card(
                &child(&cell, "article", ""),
                widgets::view(widget.clone(), feed, dashboard.connection.clone(), cx),
            );
            if edit {
                mount_part(
                    &cell,
                    None,
                    part(Part::EditTools {
                        dashboard: dashboard.id.clone(),
                        index,
                        count,
                        widget: widget.clone(),
                    }),
                );
            }
        }
    });
}
