//! Pages and the shell around them.

pub mod dashboard;
pub mod demo;
pub mod doctor;
pub mod firmware;
pub mod share;
pub mod shell;

use leptos::prelude::*;
use leptos::wasm_split::SplitLoaderError;

use crate::state::{AppState, Notice, NoticeText};

/// A part once its module is here; if it could not be fetched, nothing, a notice, and back
/// to use mode (whose parts are all in the first load).
pub fn loaded_part(part: Result<AnyView, SplitLoaderError>, state: AppState) -> AnyView {
    part.unwrap_or_else(|_| {
        state.editing.set(false);
        state
            .notice
            .set(Some(Notice::Error(NoticeText::PartNotLoaded)));
        ().into_any()
    })
}
