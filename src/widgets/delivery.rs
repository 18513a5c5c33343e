//! How a command widget's messages go out: QoS, the retain flag and the expiry. One draft
//! and one group of editor fields that every command widget shares (the switch, the button,
//! and through [`PublishDraft`] the slider, the text input and the colour picker), so each
//! kind writes only its own fields.

use leptos::prelude::*;

use super::WidgetDraft;
use crate::components::form::*;
use crate::config::{DEFAULT_EXPIRY_SECS, EXPIRY_SECS, Publish, Qos};
use crate::format::fill;
use crate::i18n::EdText;
use crate::i18n::{CardText, Lang, tcard};
use crate::retained::{Attr, Slot};
use crate::runtime::{Command, CommandFate, OnFate, Sending};

/// QoS, retain and expiry as typed.
#[derive(Debug, Clone, PartialEq)]
pub struct Delivery {
    pub qos: Qos,
    pub retain: bool,
    pub expiry: String,
}

impl Delivery {
    pub fn new(qos: Qos, retain: bool, expiry_secs: u32) -> Self {
        Self {
            qos,
            retain,
            expiry: expiry_secs.to_string(),
        }
    }

    /// The expiry in seconds (`expiry_secs`), or its problem.
    pub fn expiry_secs(&self, p: &mut Parser) -> u32 {
        p.whole(
            "expiry_secs",
            &self.expiry,
            DEFAULT_EXPIRY_SECS,
            EXPIRY_SECS,
        )
    }
}

/// QoS, retain (with its warning while it is on) and expiry, for the kind's [`Delivery`]
/// that `get` and `get_mut` reach in the draft. Their field paths are `qos`, `retain` and
/// `expiry_secs`, which the kind's `FIELDS` lists.
pub fn delivery_fields(
    ctx: FormCtx,
    draft: RwSignal<WidgetDraft>,
    get: fn(&WidgetDraft) -> &Delivery,
    get_mut: fn(&mut WidgetDraft) -> &mut Delivery,
) -> impl IntoView {
    let retain = Memo::new(move |_| draft.with(|d| get(d).retain));
    let expiry = Bind {
        value: Signal::derive(move || draft.with(|d| get(d).expiry.clone())),
        set: Callback::new(move |v| draft.update(|d| get_mut(d).expiry = v)),
    };
    view! {
        <QosField ctx field="qos" value=Signal::derive(move || draft.with(|d| get(d).qos))
            set=Callback::new(move |q| draft.update(|d| get_mut(d).qos = q)) />
        <CheckField ctx field="retain" label=EdText::EdRetain checked=Signal::from(retain)
            set=Callback::new(move |v| draft.update(|d| get_mut(d).retain = v)) />
        {move || retain.get().then(|| view! {
            <p class="warning retain-warning" role="alert">{ctx.t(EdText::EdRetainWarning)}</p>
        })}
        <TextField ctx field=fixed("expiry_secs") label=EdText::EdExpiry hint=EdText::EdExpiryHint
            kind=InputKind::Whole bind=expiry />
    }
}

/// A [`Publish`] as typed. One in the editor's draft serves the slider, the text input and
/// the colour picker, so changing between them keeps the topic and the template.
#[derive(Debug, Clone, PartialEq)]
pub struct PublishDraft {
    pub topic: String,
    pub template: String,
    pub delivery: Delivery,
}

impl PublishDraft {
    pub fn new(p: &Publish) -> Self {
        Self {
            topic: p.topic.clone(),
            template: p.template.clone(),
            delivery: Delivery::new(p.qos, p.retain, p.expiry_secs),
        }
    }

    pub fn build(&self, p: &mut Parser) -> Publish {
        Publish {
            topic: self.topic.clone(),
            template: self.template.clone(),
            qos: self.delivery.qos,
            retain: self.delivery.retain,
            expiry_secs: self.delivery.expiry_secs(p),
        }
    }
}

/// A new [`Publish`]: QoS 1 (a chosen value should arrive), not retained, `{value}`.
pub fn new_publish() -> Publish {
    Publish {
        topic: String::new(),
        template: crate::template::PLACEHOLDER.to_owned(),
        qos: Qos::AtLeastOnce,
        retain: false,
        expiry_secs: DEFAULT_EXPIRY_SECS,
    }
}

/// The field paths [`publish_fields`] has inputs for (all the text input's and the colour
/// picker's: their registry arms use these, [`new_publish`] and [`publish_fields`] directly).
pub const PUBLISH_FIELDS: &[&str] = &["topic", "template", "qos", "retain", "expiry_secs"];

/// Topic, template and delivery for the draft's [`PublishDraft`].
pub fn publish_fields(ctx: FormCtx, draft: RwSignal<WidgetDraft>) -> impl IntoView {
    view! {
        <TextField ctx field=fixed("topic") label=EdText::EdCommandTopic hint=EdText::EdCommandTopicHint
            kind=InputKind::Topic bind=bind(draft, |d| &d.publish.topic, |d| &mut d.publish.topic) />
        <TextField ctx field=fixed("template") label=EdText::EdTemplate hint=EdText::EdTemplateHint
            bind=bind(draft, |d| &d.publish.template, |d| &mut d.publish.template) />
        {delivery_fields(ctx, draft, |d| &d.publish.delivery, |d| &mut d.publish.delivery)}
    }
}

/// The card's side: a callback that publishes a chosen value through the template and says
/// what became of it (`Sending`; a value that waited for the connection is told its fate
/// through `on_fate`).
pub fn publisher(
    cx: &super::WidgetCtx,
    connection: String,
    publish: &Publish,
) -> impl Fn(&str, OnFate) -> Sending + Clone + 'static {
    let command = crate::runtime::command(
        cx.state,
        cx.runtime,
        connection,
        Command::new(
            publish.topic.clone(),
            publish.qos,
            publish.retain,
            publish.expiry_secs,
        ),
    );
    let template = publish.template.clone();
    move |value: &str, on_fate: OnFate| {
        command.run((
            crate::template::fill(&template, value),
            Default::default(),
            on_fate,
        ))
    }
}

/// What became of the last value or tap a command widget sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    None,
    Sent,
    /// Not connected: it goes out when the connection is back, within the expiry.
    Waiting,
    Expired,
    /// Not sent (the banner says why).
    NotSent,
    /// Sent, asking for an answer (MQTT 5 request/response), and the device answered.
    Done,
    /// Sent, asking for an answer, and none came in time.
    NoAnswer,
}

impl Outcome {
    /// Keeps `outcome` told of a command that waited (the card may be gone by then).
    pub fn on_fate(outcome: RwSignal<Outcome>) -> OnFate {
        Box::new(move |fate| {
            outcome.try_set(match fate {
                CommandFate::Sent => Self::Sent,
                CommandFate::Expired => Self::Expired,
                CommandFate::Refused(_) => Self::NotSent,
            });
        })
    }

    pub fn at_once(sending: Sending) -> Self {
        match sending {
            Sending::Sent => Self::Sent,
            Sending::Waiting => Self::Waiting,
            Sending::Refused => Self::NotSent,
        }
    }

    /// The card's `data-state`.
    pub fn state(self) -> &'static str {
        match self {
            Self::None => "idle",
            Self::Sent => "sent",
            Self::Waiting => "waiting",
            Self::Expired => "expired",
            Self::NotSent => "not-sent",
            Self::Done => "done",
            Self::NoAnswer => "no-answer",
        }
    }

    /// The line under the control: its class and words (none before the first command).
    pub fn line(self, lang: Lang, expiry: &str) -> Option<(&'static str, String)> {
        let problem = |key| {
            Some((
                "command-status widget-error",
                fill(tcard(lang, key), &[expiry]),
            ))
        };
        match self {
            Self::None => None,
            Self::Sent => Some((
                "command-status",
                tcard(lang, CardText::CommandSent).to_owned(),
            )),
            Self::Waiting => problem(CardText::CommandWaitingFor),
            Self::Expired => problem(CardText::CommandExpired),
            Self::NotSent => Some((
                "command-status widget-error",
                tcard(lang, CardText::CommandNotSent).to_owned(),
            )),
            Self::Done => Some((
                "command-status",
                tcard(lang, CardText::CommandDone).to_owned(),
            )),
            Self::NoAnswer => Some((
                "command-status widget-error",
                tcard(lang, CardText::SwitchNoAnswer).to_owned(),
            )),
        }
    }
}

/// The line under a command widget's control, written only when it changes.
pub struct OutcomeLine {
    line: Slot,
    class: Attr,
    expiry: String,
}

impl OutcomeLine {
    pub fn new(root: &web_sys::Element, expiry_secs: u32) -> Self {
        let line = Slot::new(root, "p", "");
        let _ = line.el.set_attribute("role", "status");
        Self {
            class: Attr::new(&line.el, "class"),
            line,
            expiry: expiry_secs.to_string(),
        }
    }

    pub fn paint(&mut self, outcome: Outcome, lang: Lang) {
        let line = outcome.line(lang, &self.expiry);
        if let Some((class, _)) = &line {
            self.class.set(Some(class));
        }
        self.line.text(line.as_ref().map(|(_, text)| text.as_str()));
    }
}
