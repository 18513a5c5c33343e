//! The publish panel. (Placeholder: being written.)

use leptos::prelude::*;

use super::Insight;

pub fn view(_ins: Insight) -> impl IntoView {}
