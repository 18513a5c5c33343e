//! The frame every widget is drawn in: `<article class="widget widget-{kind}"
//! data-widget-id=...>`, its title, its state for styling and tests, and its error line.

use leptos::prelude::*;

use super::Kind;

#[component]
pub fn WidgetFrame(
    kind: Kind,
    id: String,
    title: String,
    /// A word for styling and tests (`waiting`, `ok`, `pending`, ...), as `data-state`.
    #[prop(optional, into)]
    state: Option<Signal<&'static str>>,
    /// Extra classes (`stale`, `value-error`), space-separated.
    #[prop(optional, into)]
    class: Option<Signal<String>>,
    /// Why the latest message does not fit, in words; shown under the widget.
    #[prop(optional, into)]
    error: Option<Signal<Option<String>>>,
    children: Children,
) -> impl IntoView {
    let base = format!("widget widget-{}", kind.tag());
    let class = move || match class {
        Some(extra) => extra.with(|x| {
            if x.is_empty() {
                base.clone()
            } else {
                format!("{base} {x}")
            }
        }),
        None => base.clone(),
    };
    // While the dashboard's connection is lost, what the widget shows is from before: it is
    // dimmed and marked (the dashboard says why, once, above the grid).
    let offline = use_context::<crate::runtime::Offline>().map(|o| o.0);
    let is_offline = move || offline.is_some_and(|o| o.get());
    let error_line = move || {
        error
            .and_then(|e| e.get())
            .map(|text| view! { <p class="widget-error" role="status">{text}</p> })
    };
    view! {
        <article
            class=class
            class:offline=is_offline
            data-widget-id=id
            data-state=move || state.map(|s| s.get())
        >
            <h3 class="widget-title">{title}</h3>
            {children()}
            {error_line}
        </article>
    }
}
