//! The retained widget card: a widget's DOM is built once with the browser's own calls, and
//! each paint writes only what changed since the last one.
//!
//! Why not `view!`: every view tree and every reactive closure in it is its own compiled
//! code (its build, rebuild and effect functions), and the four kinds' views were ~40 KB
//! gzip of the first load. Here one view type serves every kind (an `<article>` filled by
//! the [`mount`] directive), each kind has one render effect, and the DOM writes are the
//! handful of helpers below — which also means a message that changes nothing visible
//! writes nothing (a class, a text, an attribute set to what it already is is skipped).
//!
//! Everything from outside (titles, payloads, error quotes) goes in as text
//! (`textContent`, attribute values), never as markup.

use std::cell::Cell;
use std::rc::Rc;

use leptos::prelude::*;
use wasm_bindgen::UnwrapThrowExt;
use web_sys::{Element, Node};

use super::Kind;
use crate::i18n::Lang;

/// A new element of `tag` with `class`, appended to `parent`.
pub fn child(parent: &Node, tag: &str, class: &str) -> Element {
    let el = element(tag, class);
    let _ = parent.append_child(&el);
    el
}

/// A new (detached) element of `tag` with `class`; an empty `class` sets none.
pub fn element(tag: &str, class: &str) -> Element {
    let el = document().create_element(tag).unwrap_throw();
    if !class.is_empty() {
        el.set_class_name(class);
    }
    el
}

/// A new (detached) SVG element of `tag` with its attributes.
pub fn svg_element(tag: &str, attrs: &[(&str, &str)]) -> Element {
    let el = document()
        .create_element_ns(Some("http://www.w3.org/2000/svg"), tag)
        .unwrap_throw();
    for (name, value) in attrs {
        let _ = el.set_attribute(name, value);
    }
    el
}

/// A new SVG element of `tag`, appended to `parent`, with its attributes.
pub fn svg_child(parent: &Node, tag: &str, attrs: &[(&str, &str)]) -> Element {
    let el = svg_element(tag, attrs);
    let _ = parent.append_child(&el);
    el
}

/// A text node appended to `parent`, holding `text`.
pub fn text_child(parent: &Node, text: &str) -> Content {
    let node = document().create_text_node(text);
    let _ = parent.append_child(&node);
    Content {
        node: node.into(),
        shown: text.to_owned(),
    }
}

/// A node's text, written only when it changes.
pub struct Content {
    node: Node,
    shown: String,
}

impl Content {
    /// The text of `el` (its only child), `text` to start.
    pub fn of(el: &Element, text: &str) -> Self {
        el.set_text_content(Some(text));
        Self {
            node: el.clone().into(),
            shown: text.to_owned(),
        }
    }

    pub fn set(&mut self, text: &str) {
        if self.shown != text {
            self.node.set_text_content(Some(text));
            text.clone_into(&mut self.shown);
        }
    }
}

/// An attribute, written (or removed, with `None`) only when it changes.
pub struct Attr {
    el: Element,
    name: &'static str,
    shown: Option<String>,
}

impl Attr {
    pub fn new(el: &Element, name: &'static str) -> Self {
        Self {
            el: el.clone(),
            name,
            shown: None,
        }
    }

    pub fn set(&mut self, value: Option<&str>) {
        if self.shown.as_deref() == value {
            return;
        }
        match value {
            Some(v) => {
                let _ = self.el.set_attribute(self.name, v);
            }
            None => {
                let _ = self.el.remove_attribute(self.name);
            }
        }
        self.shown = value.map(str::to_owned);
    }
}

/// An element that is in the DOM or not, always at the same place among its siblings (just
/// before an empty text node that marks the place).
pub struct Slot {
    pub el: Element,
    mark: Node,
    on: bool,
    text: String,
}

impl Slot {
    /// `el` (detached), to be shown at the end of `parent` as it is now.
    pub fn at_end(parent: &Node, el: Element) -> Self {
        let mark = text_child(parent, "").node;
        Self {
            el,
            mark,
            on: false,
            text: String::new(),
        }
    }

    /// A new `tag.class` slot at the end of `parent`, hidden.
    pub fn new(parent: &Node, tag: &str, class: &str) -> Self {
        Self::at_end(parent, element(tag, class))
    }

    pub fn show(&mut self, on: bool) {
        if on == self.on {
            return;
        }
        if on {
            if let Some(parent) = self.mark.parent_node() {
                let _ = parent.insert_before(&self.el, Some(&self.mark));
            }
        } else {
            self.el.remove();
        }
        self.on = on;
    }

    /// Shown with `text`, or hidden with `None`.
    pub fn text(&mut self, text: Option<&str>) {
        if let Some(text) = text
            && text != self.text
        {
            self.el.set_text_content(Some(text));
            text.clone_into(&mut self.text);
        }
        self.show(text.is_some());
    }
}

/// What every card is drawn in: `<article class="widget widget-{kind} ..."
/// data-widget-id=...>`, its title, its extra classes (`stale`, `offline`, ...), its
/// `data-state` for styling and tests.
pub struct Frame {
    pub root: Element,
    base: String,
    class: Attr,
    state: Attr,
}

impl Frame {
    /// Fills `root` (emptied first: a re-rendered grid hands the same element back).
    pub fn new(root: &Element, kind: Kind, id: &str, title: &str) -> Self {
        root.set_text_content(None);
        let base = format!("widget widget-{}", kind.tag());
        let _ = root.set_attribute("data-widget-id", id);
        let mut state = Attr::new(root, "data-state");
        state.shown = Some(String::new());
        state.set(None);
        child(root, "h3", "widget-title").set_text_content(Some(title));
        Self {
            root: root.clone(),
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

/// What fills a card's `<article>` once it exists.
type BuildStep = Box<dyn FnOnce(&Element)>;

/// A card's build step, handed to [`mount`] through the view (a directive's parameter must be
/// `Clone`; the step runs once).
#[derive(Clone)]
pub struct Build(Rc<Cell<Option<BuildStep>>>);

impl Build {
    pub fn new(build: impl FnOnce(&Element) + 'static) -> Self {
        Self(Rc::new(Cell::new(Some(Box::new(build)))))
    }
}

/// The directive that builds a card into its `<article>` as the view is built (so the card
/// is whole before the first paint).
pub fn mount(el: Element, build: Build) {
    if let Some(build) = build.0.take() {
        build(&el);
    }
}

/// The one view of every widget: an `<article>` the card's build step fills.
pub fn card_view(build: impl FnOnce(&Element) + 'static) -> AnyView {
    view! { <article use:mount=Build::new(build)></article> }.into_any()
}

/// Paints `card` now and again whenever a signal its `paint` reads changes; the card lives
/// as long as the widget's place in the grid (the owner the effect is made in).
pub fn keep_painted<C: 'static>(mut card: C, mut paint: impl FnMut(&mut C) + 'static) {
    StoredValue::new_local(RenderEffect::new(move |_: Option<()>| paint(&mut card)));
}
