//! The colour picker: the colour chosen (`#rrggbb`), published through the template when the
//! picker closes (`{value}`, or JSON such as `{"color":"{value}"}`), for an RGB strip.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement};

use super::card::{CardBuild, Content, Frame, Inputs, child, keep_painted};
use super::delivery::{Outcome, OutcomeLine, publisher};
use super::{Kind, WidgetCtx};
use crate::config::Publish;
use crate::retained::on_event;

pub fn view(
    id: String,
    title: String,
    config: Publish,
    connection: String,
    cx: WidgetCtx,
) -> CardBuild {
    let send = publisher(&cx, connection, &config);
    let inputs = Inputs::new(&cx);
    let outcome = RwSignal::new(Outcome::None);
    let chosen = RwSignal::new(None::<String>);
    let expiry_secs = config.expiry_secs;
    Box::new(move |root: &Element| {
        let mut frame = Frame::new(root, Kind::Color, id.as_str(), &title);
        let row = child(root, "div", "color-row");
        let input: HtmlInputElement = child(&row, "input", "color-input").unchecked_into();
        input.set_type("color");
        let _ = input.set_attribute("aria-label", &title);
        let mut hex = Content::of(&child(&row, "span", "color-hex"), "");
        // `change`: when the picker closes on a colour, not for every colour passed over.
        let el = input.clone();
        on_event(&input, "change", move |_| {
            let value = el.value();
            outcome.set(Outcome::at_once(send(&value, Outcome::on_fate(outcome))));
            chosen.set(Some(value));
        });
        let mut status = OutcomeLine::new(root, expiry_secs);
        keep_painted((), move |_| {
            let (lang, outcome) = (inputs.lang(), outcome.get());
            frame.classes("", inputs.offline());
            frame.state(outcome.state());
            chosen.with(|c| hex.set(c.as_deref().unwrap_or("")));
            status.paint(outcome, lang);
        });
    })
}
