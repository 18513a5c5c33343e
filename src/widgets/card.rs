//! The retained widget card: a widget's DOM is built once (see `crate::retained`) into the
//! one `<article>` view every kind shares, and each paint writes only what changed.

use leptos::prelude::*;
use web_sys::Element;

use super::Kind;
use crate::i18n::Lang;
pub use crate::retained::{
    Attr, Content, Slot, child, element, keep_painted, on_click, svg_child, svg_element, text_child,
};

/// What every card is drawn in: `<article class="widget widget-{kind} ..."
/// data-widget-id=...>`, its title, its extra classes (`stale`, `offline`, ...), its
/// `data-state` for styling and tests.
pub struct Frame {
    base: String,
    class: Attr,
    state: Attr,
}

impl Frame {
    /// Fills `root`, the new `<article>` the grid made for the widget.
    pub fn new(root: &Element, kind: Kind, id: &str, title: &str) -> Self {
        let base = format!("widget widget-{}", kind.tag());
        let _ = root.set_attribute("data-widget-id", id);
        let state = Attr::new(root, "data-state");
        child(root, "h3", "widget-title").set_text_content(Some(title));
        Self {
            class: Attr::new(root, "class"),
            base,
            state,
        }
    }

    /// The classes after the base ones (space-separated words, or none), and the dashboard's
    /// connection being lost (`offline`: what is shown is from before).
    pub fn classes(&mut self, extra: &str, offline: bool) {
        let mut class = self.base.clone();
        for word in [extra, if offline { "offline" } else { "" }] {
            if !word.is_empty() {
                class.push(' ');
                class.push_str(word);
            }
        }
        self.class.set(Some(&class));
    }

    pub fn state(&mut self, state: &str) {
        self.state.set(Some(state));
    }
}

/// What cards read besides their feeds: the language, the clock, and whether the
/// dashboard's connection is lost. Each getter tracks what it reads, so a card repaints for
/// what it uses only (a gauge never for the clock).
#[derive(Clone, Copy)]
pub struct Inputs {
    lang: Signal<Lang>,
    now_ms: Signal<f64>,
    offline: Option<Memo<bool>>,
}

impl Inputs {
    pub fn new(cx: &super::WidgetCtx) -> Self {
        Self {
            lang: cx.lang,
            now_ms: cx.now_ms,
            offline: use_context::<crate::runtime::Offline>().map(|o| o.0),
        }
    }

    pub fn lang(&self) -> Lang {
        self.lang.get()
    }

    pub fn now_ms(&self) -> f64 {
        self.now_ms.get()
    }

    pub fn offline(&self) -> bool {
        self.offline.is_some_and(|o| o.get())
    }
}

/// A card's build step: it fills the widget's `<article>` (the grid makes one per widget)
/// and starts the card's paint.
pub type CardBuild = Box<dyn FnOnce(&Element)>;
