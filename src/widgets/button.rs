//! The button widget: one tap publishes one fixed payload (a doorbell, "open the gate", a
//! scene), after a question if the button asks first, and the card says what became of it.

use leptos::prelude::*;
use web_sys::Element;

use super::card::{CardBuild, Content, Frame, Inputs, child, keep_painted, on_click};
use super::delivery::{Delivery, Outcome, OutcomeLine, delivery_fields};
use super::icon_view::{IconView, icon_field};
use super::{Kind, Listen, WidgetCtx, WidgetDraft};
use crate::components::form::*;
use crate::config::{ButtonConfig, DEFAULT_EXPIRY_SECS, Qos};
use crate::format::fill;
use crate::i18n::{CardText, EdText, Lang, tcard};
use crate::payload::{QUOTED_CHARS, excerpt};
use crate::runtime::Command;

pub fn stub() -> ButtonConfig {
    ButtonConfig {
        topic: String::new(),
        payload: "1".into(),
        label: String::new(),
        qos: Qos::AtLeastOnce,
        retain: false,
        confirm: false,
        expiry_secs: DEFAULT_EXPIRY_SECS,
        icon: String::new(),
    }
}

/// A button listens to nothing: it only publishes.
pub fn listens(_: &ButtonConfig) -> Vec<Listen> {
    Vec::new()
}

/// The button's inputs as typed.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub topic: String,
    pub payload: String,
    pub label: String,
    pub confirm: bool,
    pub delivery: Delivery,
}

pub const FIELDS: &[&str] = &[
    "topic",
    "payload",
    "label",
    "qos",
    "retain",
    "confirm",
    "expiry_secs",
    "icon",
];

impl Draft {
    pub fn new(b: &ButtonConfig) -> Self {
        Self {
            topic: b.topic.clone(),
            payload: b.payload.clone(),
            label: b.label.clone(),
            confirm: b.confirm,
            delivery: Delivery::new(b.qos, b.retain, b.expiry_secs),
        }
    }

    pub fn build(&self, icon: &str, p: &mut Parser) -> ButtonConfig {
        ButtonConfig {
            topic: self.topic.clone(),
            payload: self.payload.clone(),
            label: self.label.clone(),
            qos: self.delivery.qos,
            retain: self.delivery.retain,
            confirm: self.confirm,
            expiry_secs: self.delivery.expiry_secs(p),
            icon: icon.to_owned(),
        }
    }
}

pub fn editor(ctx: FormCtx, draft: RwSignal<WidgetDraft>) -> AnyView {
    let confirm = Memo::new(move |_| draft.with(|d| d.button.confirm));
    view! {
        <TextField ctx field=fixed("topic") label=EdText::EdCommandTopic hint=EdText::EdCommandTopicHint
            kind=InputKind::Topic bind=bind(draft, |d| &d.button.topic, |d| &mut d.button.topic) />
        <TextField ctx field=fixed("payload") label=EdText::EdPayload
            bind=bind(draft, |d| &d.button.payload, |d| &mut d.button.payload) />
        <TextField ctx field=fixed("label") label=EdText::EdButtonLabel hint=EdText::EdButtonLabelHint
            bind=bind(draft, |d| &d.button.label, |d| &mut d.button.label) />
        <CheckField ctx field="confirm" label=EdText::EdConfirmFirst checked=Signal::from(confirm)
            set=Callback::new(move |v| draft.update(|d| d.button.confirm = v)) />
        {delivery_fields(ctx, draft, |d| &d.button.delivery, |d| &mut d.button.delivery)}
        {icon_field(ctx, draft)}
    }
    .into_any()
}

pub fn view(
    id: String,
    title: String,
    config: ButtonConfig,
    connection: String,
    cx: WidgetCtx,
) -> CardBuild {
    let on_command = crate::runtime::command(
        cx.state,
        cx.runtime,
        connection,
        Command::new(
            config.topic.clone(),
            config.qos,
            config.retain,
            config.expiry_secs,
        ),
    );
    let inputs = Inputs::new(&cx);
    let outcome = RwSignal::new(Outcome::None);
    let ButtonConfig {
        topic,
        payload,
        label,
        confirm,
        expiry_secs,
        icon,
        ..
    } = config;
    let press = move || {
        if confirm {
            let question = fill(
                tcard(inputs.lang(), CardText::ButtonConfirm),
                &[&excerpt(&payload, QUOTED_CHARS), &topic],
            );
            if !crate::browser::confirm(&question) {
                return;
            }
        }
        outcome.set(Outcome::at_once(
            on_command.run((payload.clone(), Outcome::on_fate(outcome))),
        ));
    };
    Box::new(move |root: &Element| {
        let card = ButtonCard::new(root, &id, &title, &icon, expiry_secs, press);
        keep_painted(card, move |card| {
            card.paint(&label, outcome.get(), inputs.lang(), inputs.offline());
        });
    })
}

/// The button's DOM: the button (its text the configured label, or "Send") and a line under
/// it saying what became of the last tap.
struct ButtonCard {
    frame: Frame,
    text: Content,
    status: OutcomeLine,
}

impl ButtonCard {
    fn new(
        root: &Element,
        id: &str,
        title: &str,
        icon: &str,
        expiry_secs: u32,
        press: impl FnMut() + 'static,
    ) -> Self {
        let frame = Frame::new(root, Kind::Button, id, title);
        let button = child(root, "button", "button-send");
        let _ = button.set_attribute("type", "button");
        // A button's icon shows its "on" form: what a press does.
        if let Some(mut icon) = IconView::new(&button, icon) {
            icon.show(true);
        }
        let text = Content::of(&child(&button, "span", "button-text"), "");
        on_click(&button, press);
        Self {
            frame,
            text,
            status: OutcomeLine::new(root, expiry_secs),
        }
    }

    fn paint(&mut self, label: &str, outcome: Outcome, lang: Lang, offline: bool) {
        self.frame.classes("", offline);
        self.frame.state(outcome.state());
        self.text.set(if label.is_empty() {
            tcard(lang, CardText::ButtonSend)
        } else {
            label
        });
        self.status.paint(outcome, lang);
    }
}
