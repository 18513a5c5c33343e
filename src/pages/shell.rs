//! Header (connection status, edit mode, language) and notice banner, retained (see
//! `crate::retained`), and the dashboard tabs.

use std::cell::Cell;
use std::rc::Rc;

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, Node};

use crate::browser::device_online;
use crate::config::{Dashboard, MqttVersion};
use crate::describe::worded;
use crate::format::fill;
use crate::i18n::{EdText, Lang, Text, t, ted};
use crate::mqtt::link::{LinkError, LinkStatus};
use crate::retained::{
    Attr, Content, Slot, child, element, keep_painted, mark, on_click, on_event,
};
use crate::runtime::{active_link_status, use_runtime};
use crate::state::{AppState, Notice, NoticeText, use_app_state};

use super::dashboard::Editing;

/// The header (brand, connection status, edit and language buttons) and the notice banner,
/// built at the start of the app's element as retained parts (`crate::retained`): one render
/// effect each, writing only what changed.
pub fn build_top(app: &Element) {
    let state = use_app_state();
    let header = child(app, "header", "topbar");
    child(&header, "h1", "brand").set_text_content(Some("Tablero"));
    build_status(&header, state);
    let actions = child(&header, "div", "topbar-actions");
    let edit = button(&actions, "edit-toggle", "");
    on_click(&edit, move || state.editing.update(|e| *e = !*e));
    let switch_lang = button(&actions, "switch-lang", "");
    on_click(&switch_lang, move || state.lang.update(|l| *l = l.other()));
    let pressed = Attr::new(&edit, "aria-pressed");
    let words = (Content::of(&edit, ""), Content::of(&switch_lang, ""));
    keep_painted((pressed, words), move |(pressed, (edit, switch_lang))| {
        let lang = state.lang.get();
        let editing = state.editing.get();
        pressed.set(Some(if editing { "true" } else { "false" }));
        edit.set(t(lang, if editing { Text::Done } else { Text::Edit }));
        switch_lang.set(t(lang, Text::SwitchLanguage));
    });
    build_notice(app, state);
}

/// A `<button type="button">` with an id (none if empty), appended to `parent`.
fn button(parent: &Node, id: &str, class: &str) -> Element {
    let el = button_element(id, class);
    let _ = parent.append_child(&el);
    el
}

/// The connection's state in words, why it failed and what to do about it.
fn build_status(header: &Node, state: AppState) {
    let runtime = use_runtime();
    let dialogs = expect_context::<RwSignal<Option<Editing>>>();
    let status = active_link_status();
    let root = child(header, "div", "status");
    root.set_id("status");
    let _ = root.set_attribute("role", "status");
    let _ = child(&root, "span", "status-dot").set_attribute("aria-hidden", "true");
    let text = Content::of(&child(&root, "span", "status-text"), "");
    let detail = Slot::new(&root, "span", "status-detail");
    // "Retry now", or "Use 3.1.1" when the broker does not speak 5.0 (a connection set to
    // 3.1.1 is the one-tap answer, where retrying could not help).
    let retry = Slot::at_end(&root, button_element("", "retry"));
    let older = Rc::new(Cell::new(false));
    {
        let older = Rc::clone(&older);
        on_click(&retry.el, move || {
            if older.get() {
                use_311(state);
            } else {
                runtime.with_value(|rt| rt.retry_all());
            }
        });
    }
    let diagnose = Slot::at_end(&root, button_element("diagnose", "retry"));
    on_click(&diagnose.el, move || dialogs.set(Some(Editing::Doctor)));
    let part = StatusLine {
        key: Attr::new(&root, "data-state"),
        text,
        retry_label: Content::of(&retry.el, ""),
        diagnose_label: Content::of(&diagnose.el, ""),
        detail,
        retry,
        diagnose,
        older,
        failed_on: String::new(),
    };
    keep_painted(part, move |part| {
        let lang = state.lang.get();
        let now = state.now_ms.get();
        state
            .active_dashboard
            .with(|shown| status.with(|s| part.paint(s.as_ref(), lang, now, shown)));
    });
}

/// A detached `<button type="button">`.
fn button_element(id: &str, class: &str) -> Element {
    let el = element("button", class);
    let _ = el.set_attribute("type", "button");
    if !id.is_empty() {
        el.set_id(id);
    }
    el
}

struct StatusLine {
    key: Attr,
    text: Content,
    detail: Slot,
    retry: Slot,
    retry_label: Content,
    diagnose: Slot,
    diagnose_label: Content,
    /// Whether the retry button offers 3.1.1 instead (its click reads it).
    older: Rc<Cell<bool>>,
    /// The dashboard whose link's failure the detail says: another one's attempt clears it.
    failed_on: String,
}

impl StatusLine {
    fn paint(&mut self, status: Option<&LinkStatus>, lang: Lang, now_ms: f64, shown: &str) {
        self.key.set(Some(status.map_or("none", LinkStatus::key)));
        let text = match status {
            None | Some(LinkStatus::Stopped(_)) => t(lang, Text::StatusStopped).to_owned(),
            Some(LinkStatus::Connecting) => t(lang, Text::StatusConnecting).to_owned(),
            Some(LinkStatus::Connected { auto: None }) => t(lang, Text::StatusConnected).to_owned(),
            Some(LinkStatus::Connected { auto: Some(v) }) => fill(
                t(lang, Text::StatusConnectedAuto),
                &[if v.is_v5() { "5.0" } else { "3.1.1" }],
            ),
            Some(LinkStatus::Reconnecting { at_ms, .. }) => {
                let secs = ((at_ms - now_ms) / 1000.0).ceil().max(0.0);
                fill(
                    t(lang, Text::StatusReconnecting),
                    &[&(secs as u64).to_string()],
                )
            }
        };
        self.text.set(&text);
        // The detail, and whether the buttons show ("Use 3.1.1" in place of "Retry now" when
        // the broker does not speak 5.0). With no network at all, that is the news, not what
        // the broker did (or did not) say; reconnecting is automatic when the network is
        // back, so no button. While an attempt after a failure is under way, the last
        // failure's detail and buttons stay: a "Why?" that vanished for each attempt would
        // be gone from under a finger every few seconds. Not when another dashboard is shown:
        // its link's attempt says nothing of the failure of the one before.
        let (detail, older) = match status {
            Some(LinkStatus::Connecting) if self.failed_on == shown => return,
            Some(LinkStatus::Reconnecting { .. } | LinkStatus::Stopped(_)) if !device_online() => {
                (Some(t(lang, Text::DeviceOffline).to_owned()), None)
            }
            Some(LinkStatus::Reconnecting { error, .. }) | Some(LinkStatus::Stopped(error)) => (
                Some(worded(lang, |w| (w.link_error)(error, lang))),
                Some(matches!(error, LinkError::VersionRefused(_))),
            ),
            _ => (None, None),
        };
        self.detail.text(detail.as_deref());
        if let Some(older) = older {
            shown.clone_into(&mut self.failed_on);
            self.older.set(older);
            self.retry_label
                .set(t(lang, if older { Text::UseV311 } else { Text::RetryNow }));
            self.diagnose_label.set(t(lang, Text::Diagnose));
        }
        self.retry.show(older.is_some());
        self.diagnose.show(older.is_some());
    }
}

/// The shown dashboard's connection set to MQTT 3.1.1.
fn use_311(state: AppState) {
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
}

/// The banner: a notice in words, the offer of a new build, or nothing.
fn build_notice(app: &Node, state: AppState) {
    let banner = Slot::new(app, "div", "");
    banner.el.set_id("notice");
    let _ = banner.el.set_attribute("role", "alert");
    let text = Content::of(&child(&banner.el, "span", ""), "");
    // The offer of a new build. The page's loader (index.html) answers a tap on this
    // button: it lets the waiting service worker take over and reloads into it.
    let update = Slot::at_end(&banner.el, button_element("apply-update", ""));
    let dismiss = button(&banner.el, "", "dismiss");
    on_click(&dismiss, move || state.notice.set(None));
    let part = NoticeLine {
        class: Attr::new(&banner.el, "class"),
        update_label: Content::of(&update.el, ""),
        dismiss: Content::of(&dismiss, ""),
        banner,
        text,
        update,
    };
    keep_painted(part, move |part| {
        let lang = state.lang.get();
        state.notice.with(|n| part.paint(n.as_ref(), lang));
    });
}

struct NoticeLine {
    banner: Slot,
    class: Attr,
    text: Content,
    update: Slot,
    update_label: Content,
    dismiss: Content,
}

impl NoticeLine {
    fn paint(&mut self, notice: Option<&Notice>, lang: Lang) {
        let Some(notice) = notice else {
            self.banner.show(false);
            return;
        };
        let (class, text) = match notice {
            Notice::Info(t) => ("notice info", Some(t)),
            Notice::Error(t) => ("notice error", Some(t)),
            Notice::UpdateReady => ("notice info", None),
        };
        self.class.set(Some(class));
        self.text.set(&match text {
            // Said from the first load: a part that could not be fetched (offline) means
            // the problem words probably cannot be either.
            Some(NoticeText::PartNotLoaded) => t(lang, Text::PartNotLoaded).to_owned(),
            Some(text) => worded(lang, |w| (w.notice)(text, lang)),
            None => t(lang, Text::UpdateReady).to_owned(),
        });
        self.update_label.set(t(lang, Text::UpdateApply));
        self.update.show(text.is_none());
        self.dismiss.set(t(lang, Text::Dismiss));
        self.banner.show(true);
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
pub(super) fn add_dashboard() -> Result<AnyView, leptos::wasm_split::SplitLoaderError> {
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

/// The dashboards' tabs, in a `<nav>` at the end of `app`; in edit mode, "+ New dashboard"
/// (a split point's view) after them.
pub fn build_nav(app: &Element) {
    let state = use_app_state();
    let nav = child(app, "nav", "tabs");
    let _ = nav.set_attribute("role", "tablist");
    keep_painted(Attr::new(&nav, "aria-label"), move |label| {
        label.set(Some(t(state.lang.get(), Text::Dashboards)));
    });
    build_tabs(&nav);
    super::part_slot(&nav, move || {
        state
            .editing
            .get()
            .then(|| super::part(super::Part::AddDashboard))
    });
    let explore = child(&nav, "button", "tab explore");
    for (name, value) in [
        ("type", "button"),
        ("role", "tab"),
        ("data-view", "explore"),
    ] {
        let _ = explore.set_attribute(name, value);
    }
    let label = Content::of(&explore, "");
    let selected = Attr::new(&explore, "aria-selected");
    keep_painted((label, selected), move |(label, selected)| {
        label.set(t(state.lang.get(), Text::Explore));
        selected.set(Some(if state.exploring.get() {
            "true"
        } else {
            "false"
        }));
    });
}

/// The dashboards' tabs, retained: rebuilt when a dashboard is added, removed or renamed,
/// their `aria-selected` rewritten when another is shown. One click handler on the bar
/// serves every tab. (Edit mode's "+ New dashboard" follows them, a split point's view.)
fn build_tabs(nav: &Element) {
    let state = use_app_state();
    let end = mark(nav);
    on_event(nav, "click", move |event: web_sys::Event| {
        let tab = event
            .target()
            .and_then(|t| t.dyn_into::<Element>().ok())
            .and_then(|el| el.closest("button[role=tab]").ok().flatten());
        if let Some(tab) = tab {
            // A dashboard's tab shows it; the broker view's tab has no dashboard id.
            let id = tab.get_attribute("data-dashboard-id");
            state.exploring.set(id.is_none());
            if let Some(id) = id {
                state.active_dashboard.set(id);
            }
        }
    });
    let tabs = TabList {
        end,
        shown: Vec::new(),
        tabs: Vec::new(),
    };
    keep_painted(tabs, move |tabs| {
        state.config.with(|c| {
            // The broker view shown, no dashboard's tab is the selected one.
            let active = if state.exploring.get() {
                String::new()
            } else {
                state.active_dashboard.get()
            };
            tabs.paint(&c.dashboards, &active);
        });
    });
}

struct TabList {
    /// The tabs go before this mark (edit mode's button comes after it).
    end: Node,
    /// The (id, name) of each tab, as built.
    shown: Vec<(String, String)>,
    tabs: Vec<(Element, Attr)>,
}

impl TabList {
    fn paint(&mut self, dashboards: &[Dashboard], active: &str) {
        let same = self.shown.len() == dashboards.len()
            && self
                .shown
                .iter()
                .zip(dashboards)
                .all(|((id, name), d)| *id == d.id && *name == d.name);
        if !same {
            for (tab, _) in self.tabs.drain(..) {
                tab.remove();
            }
            self.shown = dashboards
                .iter()
                .map(|d| (d.id.clone(), d.name.clone()))
                .collect();
            let parent = self.end.parent_node();
            for d in dashboards {
                let tab = element("button", "tab");
                for (name, value) in [
                    ("type", "button"),
                    ("role", "tab"),
                    ("data-dashboard-id", &d.id),
                ] {
                    let _ = tab.set_attribute(name, value);
                }
                tab.set_text_content(Some(&d.name));
                if let Some(parent) = &parent {
                    let _ = parent.insert_before(&tab, Some(&self.end));
                }
                let selected = Attr::new(&tab, "aria-selected");
                self.tabs.push((tab, selected));
            }
        }
        for ((id, _), (_, selected)) in self.shown.iter().zip(&mut self.tabs) {
            selected.set(Some(if id == active { "true" } else { "false" }));
        }
    }
}
