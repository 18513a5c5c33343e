//! The app's shared state: a `Copy` struct of signals provided as context, so any component
//! can read or change it without props threading through every layer.
//!
//! The configuration changes only through [`AppState::update_config`], which validates the
//! result and refuses a change that breaks a rule — the one validated path to storage.

use leptos::prelude::*;

use crate::config::{Config, ConfigError, DemoRun, Problem, problems};
use crate::i18n::Lang;
use crate::mqtt::link::PublishError;
use crate::storage::StorageError;

/// A message shown in the banner until dismissed or replaced. It stays typed until the
/// banner words it in the reader's language (`describe::notice_text`), so switching the
/// language rewords a notice already on screen.
#[derive(Debug, Clone, PartialEq)]
pub enum Notice {
    Info(NoticeText),
    Error(NoticeText),
    /// A newer build of the app is installed and waiting (its service worker): the banner
    /// offers it with a button; it never takes over by itself mid-use.
    UpdateReady,
}

#[derive(Debug, Clone, PartialEq)]
pub enum NoticeText {
    Imported,
    ImportFailed(ConfigError),
    StoredConfigUnreadable(ConfigError),
    SaveFailed(StorageError),
    ExportFailed(StorageError),
    PublishFailed(PublishError),
    ChangeRejected(Vec<Problem>),
    /// A part of the app loaded on demand (an editor) could not be fetched.
    PartNotLoaded,
    /// The demo's public broker did not answer: it now uses the next one (hosts).
    DemoBrokerSwitched {
        from: String,
        to: String,
    },
    /// "Make it mine": the demo device stopped; the dashboard stays, its topics under `prefix`.
    DemoKept {
        prefix: String,
    },
    /// A share link's dashboard was added.
    ShareAdded,
    /// A share link that cannot be opened; nothing was changed.
    ShareRefused(crate::share::ShareError),
}

#[derive(Clone, Copy)]
pub struct AppState {
    pub config: RwSignal<Config>,
    pub lang: RwSignal<Lang>,
    /// Edit mode shows move/edit/remove controls; use mode shows none, so a tap on a switch
    /// never moves anything.
    pub editing: RwSignal<bool>,
    /// The id of the dashboard shown.
    pub active_dashboard: RwSignal<String>,
    pub notice: RwSignal<Option<Notice>>,
    /// Wall-clock milliseconds, ticking once a second, for "updated N s ago" and timeouts.
    pub now_ms: RwSignal<f64>,
    /// Passwords the user did not ask to remember: in memory for this tab only, by
    /// connection id.
    pub session_passwords: RwSignal<Vec<(String, String)>>,
    /// Bumped whenever broker links are opened or closed, so views that look a link up
    /// (its status) look again.
    pub links_version: RwSignal<u64>,
    /// The in-page demo device, while it runs (a first visit over https starts it).
    pub demo: RwSignal<Option<DemoRun>>,
    /// The broker view (topic explorer, message log, publish panel) is shown instead of the
    /// dashboard.
    pub exploring: RwSignal<bool>,
}

impl AppState {
    pub fn new(config: Config, lang: Lang) -> Self {
        let active = config
            .dashboards
            .first()
            .map(|d| d.id.clone())
            .unwrap_or_default();
        Self {
            config: RwSignal::new(config),
            lang: RwSignal::new(lang),
            editing: RwSignal::new(false),
            active_dashboard: RwSignal::new(active),
            notice: RwSignal::new(None),
            now_ms: RwSignal::new(js_sys::Date::now()),
            session_passwords: RwSignal::new(Vec::new()),
            links_version: RwSignal::new(0),
            demo: RwSignal::new(None),
            exploring: RwSignal::new(false),
        }
    }

    /// Applies `change` to a copy of the configuration and keeps it only if the result is
    /// valid; otherwise the configuration is left exactly as it was.
    pub fn update_config(&self, change: impl FnOnce(&mut Config)) -> Result<(), Vec<Problem>> {
        let mut candidate = self.config.get_untracked();
        change(&mut candidate);
        let found = problems(&candidate);
        if found.is_empty() {
            self.config.set(candidate);
            Ok(())
        } else {
            Err(found)
        }
    }

    /// The password to use for a connection: the remembered one, or this tab's.
    pub fn password_for(&self, connection_id: &str) -> Option<String> {
        let remembered = self.config.with_untracked(|c| {
            c.connections
                .iter()
                .find(|c| c.id == connection_id)
                .and_then(|c| c.password.clone())
        });
        remembered.or_else(|| {
            self.session_passwords.with_untracked(|p| {
                p.iter()
                    .find(|(id, _)| id == connection_id)
                    .map(|(_, pw)| pw.clone())
            })
        })
    }
}

pub fn use_app_state() -> AppState {
    expect_context::<AppState>()
}
