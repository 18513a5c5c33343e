//! The connection doctor's dialog, opened by the status line's "Why?": the findings of
//! [`crate::doctor`] for the shown dashboard's connection and what its status says, each
//! cause with its fix, and a one-tap fix where one is simple (wss on the
//! preset's port, the path that answers). A split point (`Editing::Doctor` in the dashboard
//! page's dialog host): the first load carries only the button; this, the probes and the
//! doctor's words are a chunk.

use leptos::prelude::*;
use leptos::wasm_split::SplitLoaderError;

use crate::browser::{device_online, page_host, page_is_https, random};
use crate::components::Modal;
use crate::config::{Connection, Scheme, random_topic_prefix};
use crate::describe::finding_text;
use crate::doctor::{self, Facts, Finding, Page, Probes, connection_topics, probe};
use crate::format::fill;
use crate::i18n::{DocText, Text, tdoc, word};
use crate::mqtt::link::{LinkError, LinkStatus};
use crate::runtime::active_link_status;
use crate::state::{Notice, NoticeText, use_app_state};

/// What the doctor looked at when a check started.
#[derive(Clone, PartialEq)]
struct Snapshot {
    connection: Connection,
    topics: Vec<String>,
    error: Option<LinkError>,
    online: bool,
}

/// A one-tap fix for a finding, where one is simple.
#[derive(Clone, Copy)]
enum Action {
    /// The connection over wss on the preset's port.
    UseWss(u16),
    /// The connection on the path that answers.
    UsePath,
}

#[leptos::wasm_split::wasm_split(doctor_dialog, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn doctor_dialog(connection: String, close: Callback<()>) -> Result<AnyView, SplitLoaderError> {
    let state = use_app_state();
    let lang = state.lang;
    let status = active_link_status();
    let page = StoredValue::new(Page {
        https: page_is_https(),
        host: page_host(),
    });
    let suggestion = StoredValue::new(random_topic_prefix(random));
    let snapshot = RwSignal::new(None::<Snapshot>);
    let probes = RwSignal::new(None::<Probes>);
    let checking = RwSignal::new(false);
    // Each check has a number; a slower, older one's answer is dropped.
    let run = StoredValue::new(0u32);

    let take_snapshot = move || {
        state.config.with_untracked(|c| {
            c.connections
                .iter()
                .find(|x| x.id == connection)
                .map(|found| Snapshot {
                    connection: found.clone(),
                    topics: connection_topics(c, &connection),
                    // What the status line says now; none while the link is trying again
                    // (the probes still tell what answers).
                    error: match status.get_untracked() {
                        Some(
                            LinkStatus::Reconnecting { error, .. } | LinkStatus::Stopped(error),
                        ) => Some(error),
                        _ => None,
                    },
                    online: device_online(),
                })
        })
    };
    let facts = move |s: &Snapshot, seen: Option<&Probes>, f: &mut dyn FnMut(&Facts)| {
        page.with_value(|page| {
            suggestion.with_value(|prefix| {
                f(&Facts {
                    connection: &s.connection,
                    page,
                    error: s.error.as_ref(),
                    online: s.online,
                    topics: &s.topics,
                    suggested_prefix: prefix,
                    probes: seen,
                })
            })
        })
    };
    let check = move || {
        let Some(s) = take_snapshot() else {
            close.run(());
            return;
        };
        let mut plan = None;
        facts(&s, None, &mut |f| plan = doctor::plan(f));
        let id = run.get_value().wrapping_add(1);
        run.set_value(id);
        snapshot.set(Some(s));
        probes.set(None);
        checking.set(plan.is_some());
        if let Some(plan) = plan {
            probe::run(
                plan,
                Box::new(move |seen| {
                    if run.try_get_value() == Some(id) {
                        probes.try_set(Some(seen));
                        checking.try_set(false);
                    }
                }),
            );
        }
    };
    check();

    let findings = Memo::new(move |_| {
        snapshot.with(|s| {
            let mut found = Vec::new();
            if let Some(s) = s {
                probes.with(|seen| facts(s, seen.as_ref(), &mut |f| found = doctor::diagnose(f)));
            }
            found
        })
    });

    // A fix changes the connection through the one validated path; the link then reopens
    // with it and the dialog closes on the new attempt.
    let fix = move |action: Action, path: String| {
        let Some(id) = snapshot.with_untracked(|s| s.as_ref().map(|s| s.connection.id.clone()))
        else {
            return;
        };
        let result = state.update_config(|c| {
            if let Some(conn) = c.connections.iter_mut().find(|x| x.id == id) {
                match action {
                    Action::UseWss(port) => {
                        conn.scheme = Scheme::Wss;
                        conn.port = port;
                    }
                    Action::UsePath => conn.path = path,
                }
            }
        });
        match result {
            Ok(()) => close.run(()),
            Err(problems) => state
                .notice
                .set(Some(Notice::Error(NoticeText::ChangeRejected(problems)))),
        }
    };

    let item = move |finding: Finding| {
        let lang = lang.get();
        let (cause, fix_text) = finding_text(&finding, lang);
        let (action, path) = match &finding {
            Finding::MixedContent {
                wss_port: Some(port),
            } => (Some(Action::UseWss(*port)), String::new()),
            Finding::WrongPath { path, .. } => (Some(Action::UsePath), path.clone()),
            _ => (None, String::new()),
        };
        let button = action.map(|action| {
            let label = match action {
                Action::UseWss(port) => fill(tdoc(lang, DocText::UseWss), &[&port.to_string()]),
                Action::UsePath => fill(tdoc(lang, DocText::UsePath), &[&path]),
            };
            view! {
                <button type="button" class="doctor-fix" on:click=move |_| fix(action, path.clone())>
                    {label}
                </button>
            }
        });
        // Over TLS, the address to open to accept a certificate, as a link.
        let open = match &finding {
            Finding::Tls { url } => Some(view! {
                <a href=url.clone() target="_blank" rel="noopener noreferrer">{url.clone()}</a>
            }),
            _ => None,
        };
        view! {
            <li class="finding" data-cause=finding.key()>
                <p class="cause">{cause}</p>
                <p class="fix">{fix_text}</p>
                {open}
                {button}
            </li>
        }
    };
    let url = move || snapshot.with(|s| s.as_ref().map(|s| s.connection.url()));
    Ok(view! {
        <Modal label=Signal::derive(move || tdoc(lang.get(), DocText::Title).to_owned()) on_cancel=close>
            <div class="editor doctor" data-checking=move || checking.get().to_string()>
                <h2>{move || tdoc(lang.get(), DocText::Title)}</h2>
                <p class="doctor-url">{url}</p>
                <ul class="findings">
                    {move || findings.get().into_iter().map(item).collect_view()}
                </ul>
                {move || {
                    if checking.get() {
                        Some(view! { <p class="doctor-checking" role="status">{tdoc(lang.get(), DocText::Checking)}</p> })
                    } else if findings.with(Vec::is_empty) {
                        Some(view! { <p class="doctor-none" role="status">{tdoc(lang.get(), DocText::NothingFound)}</p> })
                    } else {
                        None
                    }
                }}
                <div class="actions">
                    <button type="button" id="doctor-again" class="cancel" on:click=move |_| check()>
                        {move || tdoc(lang.get(), DocText::CheckAgain)}
                    </button>
                    <button type="button" id="doctor-close" on:click=move |_| close.run(())>
                        {word(lang.into(), Text::Dismiss)}
                    </button>
                </div>
            </div>
        </Modal>
    }
    .into_any())
}
