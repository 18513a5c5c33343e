//! The button widget: one tap publishes one fixed payload (a doorbell, "open the gate", a
//! scene), after a question if the button asks first, and the card says what became of it:
//! with a response topic on an MQTT 5 connection, "done" when the device answers the tap
//! (its correlation id matched here, in the card) and "no answer" when it does not in time.

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
use crate::live::Feed;
use crate::payload::{QUOTED_CHARS, excerpt};
use crate::runtime::{Command, CommandFate, OnFate, Sending, correlation_id};
use mqtt_session::Properties;

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
        response_topic: None,
    }
}

/// A button reads no binding: it publishes, and hears only the answers on its response
/// topic, if it has one (`widgets::response_topic`).
pub fn listens(_: &ButtonConfig) -> Vec<Listen> {
    Vec::new()
}

/// How long a tap that asked for an answer waits for it before saying there was none.
pub const ANSWER_TIMEOUT_MS: u32 = 5_000;

/// The button's inputs as typed.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub topic: String,
    pub payload: String,
    pub label: String,
    pub confirm: bool,
    pub delivery: Delivery,
    pub response_topic: String,
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
    "response_topic",
];

impl Draft {
    pub fn new(b: &ButtonConfig) -> Self {
        Self {
            topic: b.topic.clone(),
            payload: b.payload.clone(),
            label: b.label.clone(),
            confirm: b.confirm,
            delivery: Delivery::new(b.qos, b.retain, b.expiry_secs),
            response_topic: b.response_topic.clone().unwrap_or_default(),
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
            response_topic: super::binding::optional(&self.response_topic),
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
        <TextField ctx field=fixed("response_topic") label=EdText::EdResponseTopic hint=EdText::EdButtonResponseTopicHint
            kind=InputKind::Topic bind=bind(draft, |d| &d.button.response_topic, |d| &mut d.button.response_topic) />
        {delivery_fields(ctx, draft, |d| &d.button.delivery, |d| &mut d.button.delivery)}
        {icon_field(ctx, draft)}
    }
    .into_any()
}

pub fn view(
    id: String,
    title: String,
    config: ButtonConfig,
    feed: &Feed,
    connection: String,
    cx: WidgetCtx,
) -> CardBuild {
    let speaks_v5 = {
        let (runtime, connection) = (cx.runtime, connection.clone());
        move || runtime.with_value(|rt| rt.speaks_v5(&connection))
    };
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
        response_topic,
        ..
    } = config;
    // The correlation id the last tap asked the device to answer with, until it answers or
    // the wait is over; and the timer of that wait (replaced or dropped: cancelled).
    let asked = StoredValue::new_local(None::<String>);
    let timer = StoredValue::new_local(None::<gloo_timers::callback::Timeout>);
    let wait_for_answer = move || {
        if asked.try_with_value(Option::is_some) == Some(true) {
            timer.set_value(Some(gloo_timers::callback::Timeout::new(
                ANSWER_TIMEOUT_MS,
                move || {
                    if asked.try_update_value(Option::take).flatten().is_some() {
                        outcome.try_set(Outcome::NoAnswer);
                    }
                },
            )));
        }
    };
    // Each answer that came: the one with the asked id says the tap was done.
    if let Some(replies) = feed.replies() {
        let mut seen = replies.with_untracked(|r| r.seen);
        Effect::new(move |_| {
            replies.with(|r| {
                let new = (r.seen - std::mem::replace(&mut seen, r.seen)) as usize;
                let answered = r.newest_first().take(new).any(|line| {
                    asked.with_value(|a| a.as_deref().map(str::as_bytes) == Some(&line.payload[..]))
                });
                if answered {
                    asked.set_value(None);
                    timer.set_value(None);
                    outcome.set(Outcome::Done);
                }
            })
        });
    }
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
        // A request (MQTT 5 only: over 3.1.1 the tap is only sent, as without it).
        let request = response_topic
            .as_deref()
            .filter(|_| speaks_v5())
            .map(|topic| (topic, correlation_id(crate::browser::random)));
        asked.set_value(request.as_ref().map(|(_, id)| id.clone()));
        timer.set_value(None);
        let properties = request.map_or_else(Properties::default, |(topic, id)| {
            crate::runtime::request(topic, &id)
        });
        let told = Outcome::on_fate(outcome);
        let speaks_v5 = speaks_v5.clone();
        let on_fate: OnFate = Box::new(move |fate| {
            if matches!(fate, CommandFate::Sent) {
                // Connected as 3.1.1 meanwhile: it went without its request.
                if !speaks_v5() {
                    asked.set_value(None);
                }
                wait_for_answer();
            }
            told(fate);
        });
        let sending = on_command.run((payload.clone(), properties, on_fate));
        if matches!(sending, Sending::Sent) {
            wait_for_answer();
        }
        outcome.set(Outcome::at_once(sending));
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
