//! A modal dialog on the native `<dialog>` element: `showModal` makes the page behind it
//! inert and moves focus in; Escape cancels; Tab cycles inside; when the dialog goes away,
//! focus returns to the element that opened it.

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

thread_local! {
    /// The element that had focus when the open dialog opened (one modal at a time). Kept
    /// here, not in the component: its stored values are gone by the time its cleanups run.
    static OPENER: std::cell::RefCell<Option<web_sys::HtmlElement>> = const { std::cell::RefCell::new(None) };
    /// The open dialog, to close before focus goes back: while it is modal, the rest of the
    /// page is inert and cannot take focus.
    static OPEN: std::cell::RefCell<Option<web_sys::HtmlDialogElement>> = const { std::cell::RefCell::new(None) };
}

/// What can take focus inside the dialog, in tab order.
const FOCUSABLE: &str = "button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), a[href], [tabindex]:not([tabindex=\"-1\"])";

fn focusables(dialog: &web_sys::HtmlDialogElement) -> Vec<web_sys::HtmlElement> {
    let Ok(list) = dialog.query_selector_all(FOCUSABLE) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
        .filter(|e| e.offset_parent().is_some())
        .collect()
}

#[component]
pub fn Modal(
    /// The dialog's accessible name.
    #[prop(into)]
    label: Signal<String>,
    /// Escape (the dialog's `cancel` event): the caller closes it, nothing saved.
    on_cancel: Callback<()>,
    children: Children,
) -> impl IntoView {
    let dialog = NodeRef::<html::Dialog>::new();
    // Whoever had focus before (the button that opened the dialog) gets it back.
    let opener = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element())
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    OPENER.with(|o| *o.borrow_mut() = opener);
    Effect::new(move |_| {
        if let Some(d) = dialog.get()
            && !d.open()
        {
            let _ = d.show_modal();
            OPEN.with(|o| *o.borrow_mut() = Some(d.clone()));
            if let Some(first) = focusables(&d).into_iter().next() {
                let _ = first.focus();
            }
        }
    });
    on_cleanup(|| {
        if let Some(d) = OPEN.with(|o| o.borrow_mut().take()) {
            d.close();
        }
        if let Some(el) = OPENER.with(|o| o.borrow_mut().take())
            && el.is_connected()
        {
            let _ = el.focus();
        }
    });
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() != "Tab" {
            return;
        }
        let Some(d) = dialog.get_untracked() else {
            return;
        };
        let items = focusables(&d);
        let (Some(first), Some(last)) = (items.first(), items.last()) else {
            return;
        };
        let active = d
            .owner_document()
            .and_then(|doc| doc.active_element())
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        let at = |el: &web_sys::HtmlElement| active.as_ref() == Some(el);
        let inside = active
            .as_ref()
            .is_some_and(|a| d.contains(Some(a.unchecked_ref())));
        if ev.shift_key() && (at(first) || !inside) {
            ev.prevent_default();
            let _ = last.focus();
        } else if !ev.shift_key() && (at(last) || !inside) {
            ev.prevent_default();
            let _ = first.focus();
        }
    };
    view! {
        <dialog
            class="modal"
            node_ref=dialog
            aria-label=move || label.get()
            on:cancel=move |ev: leptos::ev::Event| {
                ev.prevent_default();
                on_cancel.run(());
            }
            on:keydown=on_keydown
        >
            {children()}
        </dialog>
    }
}
