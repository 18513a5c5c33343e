//! The text input: what was typed, published through the template on Enter or Send (a
//! message for a display, a command line for a device).

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement};

use super::card::{CardBuild, Content, Frame, Inputs, child, keep_painted};
use super::delivery::{Outcome, OutcomeLine, publisher};
use super::{Kind, WidgetCtx};
use crate::config::{MAX_PAYLOAD_CHARS, Publish};
use crate::i18n::{CardText, Lang, tcard};
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
    let expiry_secs = config.expiry_secs;
    Box::new(move |root: &Element| {
        let frame = Frame::new(root, Kind::Text, id.as_str(), &title);
        // A form, so Enter sends as the Send button does, on every keyboard.
        let form = child(root, "form", "text-row");
        let input: HtmlInputElement = child(&form, "input", "text-input").unchecked_into();
        input.set_type("text");
        input.set_max_length(MAX_PAYLOAD_CHARS as i32);
        let _ = input.set_attribute("aria-label", &title);
        let _ = input.set_attribute("enterkeyhint", "send");
        let button = child(&form, "button", "text-send");
        let _ = button.set_attribute("type", "submit");
        let label = Content::of(&button, "");
        on_event(&form, "submit", move |event| {
            event.prevent_default();
            outcome.set(Outcome::at_once(send(
                &input.value(),
                Outcome::on_fate(outcome),
            )));
        });
        let card = TextCard {
            frame,
            label,
            status: OutcomeLine::new(root, expiry_secs),
        };
        keep_painted(card, move |card| {
            card.paint(outcome.get(), inputs.lang(), inputs.offline());
        });
    })
}

struct TextCard {
    frame: Frame,
    label: Content,
    status: OutcomeLine,
}

impl TextCard {
    fn paint(&mut self, outcome: Outcome, lang: Lang, offline: bool) {
        self.frame.classes("", offline);
        self.frame.state(outcome.state());
        self.label.set(tcard(lang, CardText::ButtonSend));
        self.status.paint(outcome, lang);
    }
}
