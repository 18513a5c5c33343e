//! The button widget: one tap publishes one fixed payload (a doorbell, "open the gate", a
//! scene), after a question if the button asks first, and the card says what became of it.

use leptos::prelude::*;
use web_sys::Element;

use super::card::{Attr, CardBuild, Content, Frame, Inputs, Slot, child, keep_painted, on_click};
use super::delivery::{Delivery, delivery_fields};
use super::{Kind, Listen, WidgetCtx, WidgetDraft};
use crate::components::form::*;
use crate::config::{ButtonConfig, DEFAULT_EXPIRY_SECS, Qos};
use crate::format::fill;
use crate::i18n::{CardText, EdText, Lang, tcard};
use crate::payload::{QUOTED_CHARS, excerpt};
use crate::runtime::{Command, CommandFate, OnFate, Sending};

pub fn stub() -> ButtonConfig {
    ButtonConfig {
        topic: String::new(),
        payload: "1".into(),
        label: String::new(),
        qos: Qos::AtLeastOnce,
        retain: false,
        confirm: false,
        expiry_secs: DEFAULT_EXPIRY_SECS,
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

    pub fn build(&self, p: &mut Parser) -> ButtonConfig {
        ButtonConfig {
            topic: self.topic.clone(),
            payload: self.payload.clone(),
            label: self.label.clone(),
            qos: self.delivery.qos,
            retain: self.delivery.retain,
            confirm: self.confirm,
            expiry_secs: self.delivery.expiry_secs(p),
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
    }
    .into_any()
}

/// What became of the last tap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    None,
    Sent,
    /// Not connected: it goes out when the connection is back, within the expiry.
    Waiting,
    Expired,
    /// Not sent (the banner says why).
    NotSent,
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
        // A command that waited for the connection is told its fate later (the card may be
        // gone by then: nothing to update).
        let on_fate: OnFate = Box::new(move |fate| {
            outcome.try_set(match fate {
                CommandFate::Sent => Outcome::Sent,
                CommandFate::Expired => Outcome::Expired,
                CommandFate::Refused(_) => Outcome::NotSent,
            });
        });
        outcome.set(match on_command.run((payload.clone(), on_fate)) {
            Sending::Sent => Outcome::Sent,
            Sending::Waiting => Outcome::Waiting,
            Sending::Refused => Outcome::NotSent,
        });
    };
    Box::new(move |root: &Element| {
        let card = ButtonCard::new(root, &id, &title, expiry_secs, press);
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
    status: Slot,
    status_class: Attr,
    expiry: String,
}

impl ButtonCard {
    fn new(
        root: &Element,
        id: &str,
        title: &str,
        expiry_secs: u32,
        press: impl FnMut() + 'static,
    ) -> Self {
        let frame = Frame::new(root, Kind::Button, id, title);
        let button = child(root, "button", "button-send");
        let _ = button.set_attribute("type", "button");
        let text = Content::of(&button, "");
        on_click(&button, press);
        let status = Slot::new(root, "p", "");
        let _ = status.el.set_attribute("role", "status");
        Self {
            frame,
            text,
            status_class: Attr::new(&status.el, "class"),
            status,
            expiry: expiry_secs.to_string(),
        }
    }

    fn paint(&mut self, label: &str, outcome: Outcome, lang: Lang, offline: bool) {
        self.frame.classes("", offline);
        self.frame.state(match outcome {
            Outcome::None => "idle",
            Outcome::Sent => "sent",
            Outcome::Waiting => "waiting",
            Outcome::Expired => "expired",
            Outcome::NotSent => "not-sent",
        });
        self.text.set(if label.is_empty() {
            tcard(lang, CardText::ButtonSend)
        } else {
            label
        });
        let line = match outcome {
            Outcome::None => None,
            Outcome::Sent => Some((
                "button-status",
                tcard(lang, CardText::ButtonSent).to_owned(),
            )),
            Outcome::Waiting => Some((
                "button-status widget-error",
                fill(tcard(lang, CardText::CommandWaitingFor), &[&self.expiry]),
            )),
            Outcome::Expired => Some((
                "button-status widget-error",
                fill(tcard(lang, CardText::CommandExpired), &[&self.expiry]),
            )),
            Outcome::NotSent => Some((
                "button-status widget-error",
                tcard(lang, CardText::ButtonNotSent).to_owned(),
            )),
        };
        if let Some((class, _)) = &line {
            self.status_class.set(Some(class));
        }
        self.status
            .text(line.as_ref().map(|(_, text)| text.as_str()));
    }
}
