//! Pages and the shell around them.

pub mod dashboard;
pub mod demo;
pub mod doctor;
pub mod firmware;
pub mod share;
pub mod shell;

use std::future::Future;

use leptos::prelude::*;
use leptos::tachys::view::any_view::AnyViewState;
use leptos::tachys::view::{Mountable, Render};
use leptos::wasm_split::SplitLoaderError;
use web_sys::{Element, Node};

use crate::retained::{keep_painted, mark};
use crate::state::{AppState, Notice, NoticeText, use_app_state};

/// The parts shown at a place of the page, each a split point's view. One future type for
/// all of them: `part_slot`'s and `mount_part`'s loading code is compiled once for it, where
/// each split point's own future would be its own copy (≈400 B of the first load each).
pub enum Part {
    DemoBar(crate::config::DemoRun),
    Toolbar(crate::config::Dashboard),
    AddDashboard,
    EditTools {
        dashboard: String,
        index: usize,
        count: usize,
        widget: crate::config::Widget,
    },
    /// The broker view (topic explorer, message log, publish panel).
    Insight,
    Dialog {
        editing: dashboard::Editing,
        dashboard: crate::config::Dashboard,
    },
}

pub async fn part(part: Part) -> Result<AnyView, SplitLoaderError> {
    match part {
        Part::DemoBar(run) => demo::demo_bar(run).await,
        Part::Toolbar(d) => dashboard::toolbar(d).await,
        Part::AddDashboard => shell::add_dashboard().await,
        Part::EditTools {
            dashboard,
            index,
            count,
            widget,
        } => dashboard::edit_tools(dashboard, index, count, widget).await,
        Part::Insight => crate::insight::insight_view().await,
        Part::Dialog { editing, dashboard } => dashboard::dialog(editing, dashboard).await,
    }
}

/// A part once its module is here; if it could not be fetched, nothing, a notice, and edit
/// mode left (most parts are edit mode's; use mode's screen is all in the first load, and the
/// few parts it opens, a dialog or the demo bar, are tried again when asked for again).
pub fn loaded_part(part: Result<AnyView, SplitLoaderError>, state: AppState) -> AnyView {
    part.unwrap_or_else(|_| {
        state.editing.set(false);
        state
            .notice
            .set(Some(Notice::Error(NoticeText::PartNotLoaded)));
        ().into_any()
    })
}

/// Mounts a split point's view into `parent`, before `before` (at the end with `None`), once
/// its module is here (a failed fetch is a notice, as for any part). The split point's code
/// and its view run under the current owner, and the view is in the page for as long as that
/// owner lives: when it is cleaned up (its cell is rebuilt, its slot's effect runs again), the
/// view is taken out, and a module that arrives after that is not mounted at all.
pub fn mount_part(
    parent: &Element,
    before: Option<Node>,
    part: impl Future<Output = Result<AnyView, SplitLoaderError>> + 'static,
) {
    let state = use_app_state();
    let parent = parent.clone();
    when_loaded(part, move |part| {
        let mut view = loaded_part(part, state).build();
        view.mount(&parent, before.as_ref());
        StoredValue::new_local(Mounted(view));
    });
}

/// Runs `then` with what a split point returned, under the current owner, once its module is
/// here (or could not be fetched), unless that owner was cleaned up meanwhile: a part asked
/// for by a view that is gone is not used at all.
pub fn when_loaded<T: 'static>(
    part: impl Future<Output = Result<T, SplitLoaderError>> + 'static,
    then: impl FnOnce(Result<T, SplitLoaderError>) + 'static,
) {
    let here = StoredValue::new_local(());
    leptos::task::spawn_local_scoped(async move {
        let part = part.await;
        if !here.is_disposed() {
            then(part);
        }
    });
}

/// A mounted part, taken out of the page when its owner lets it go.
struct Mounted(AnyViewState);

impl Drop for Mounted {
    fn drop(&mut self) {
        self.0.unmount();
    }
}

/// A place at the end of `parent` (as it is now) that shows the split point's view `part`
/// returns, or nothing: `part` runs again when a signal it reads changes, and each run's
/// view replaces the last one's.
pub fn part_slot<F>(parent: &Element, mut part: impl FnMut() -> Option<F> + 'static)
where
    F: Future<Output = Result<AnyView, SplitLoaderError>> + 'static,
{
    let place = mark(parent);
    let parent = parent.clone();
    keep_painted((), move |()| {
        if let Some(view) = part() {
            mount_part(&parent, Some(place.clone()), view);
        }
    });
}
