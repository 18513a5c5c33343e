//! Retained DOM: a part of the page built once with the browser's own calls, then written
//! only where something changed since the last paint.
//!
//! Why not `view!` for the first screen: every view tree and every reactive closure in it is
//! compiled code of its own (its build, rebuild and effect functions), which made the first
//! screen's views most of the first load. Here a part is built by plain functions, one
//! render effect repaints it, and the writes are the handful of helpers below, which skip a
//! class, a text or an attribute set to what it already is (so a message that changes
//! nothing visible writes nothing). The widgets (`widgets::card`), the header, the notice,
//! the tabs and the dashboard's grid are drawn this way; the editors and dialogs, which are
//! chunks loaded on demand, keep `view!`.
//!
//! Everything from outside (titles, payloads, error quotes) goes in as text
//! (`textContent`, attribute values), never as markup.

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, UnwrapThrowExt};
use web_sys::{Element, Node};

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
    /// The text of `el` (its only child, a text node), `text` to start. A change writes the
    /// text node's data: setting the element's text would replace the node, and the browser
    /// would then build the new node's style and layout objects on every change.
    pub fn of(el: &Element, text: &str) -> Self {
        el.set_text_content(None);
        text_child(el, text)
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
        let mark = mark(parent);
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

/// Paints `card` now and again whenever a signal its `paint` reads changes; the card lives
/// as long as the owner the effect is made in (a widget's place in the grid, the app).
pub fn keep_painted<C: 'static>(mut card: C, mut paint: impl FnMut(&mut C) + 'static) {
    StoredValue::new_local(RenderEffect::new(move |_: Option<()>| paint(&mut card)));
}

/// Calls `f` on every click of `el`, for as long as the current owner lives (the handler is
/// kept with it and dropped with it, as the element goes).
pub fn on_click(el: &Element, mut f: impl FnMut() + 'static) {
    on_event(el, "click", move |_| f());
}

/// Calls `f` with every `kind` event at `el`, for as long as the current owner lives.
pub fn on_event(el: &Element, kind: &str, f: impl FnMut(web_sys::Event) + 'static) {
    let handler = Closure::<dyn FnMut(web_sys::Event)>::new(f);
    let _ = el.add_event_listener_with_callback(kind, handler.as_ref().unchecked_ref());
    StoredValue::new_local(handler);
}

/// An empty text node appended to `parent`: a place to insert before.
pub fn mark(parent: &Node) -> Node {
    let node: Node = document().create_text_node("").into();
    let _ = parent.append_child(&node);
    node
}
