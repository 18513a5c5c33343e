//! The switch widget: a large toggle over [`SwitchState`]. It publishes through a callback
//! and learns the device's state from the state-topic samples it is given, and, with a
//! response topic on an MQTT 5 connection, from the device's answer to each command (its
//! correlation id matched here, in the card: `live` only hands the answers over).

use crate::payload::{QUOTED_CHARS, excerpt};
use leptos::prelude::*;
use web_sys::Element;

use super::binding::optional;
use super::card::{Attr, CardBuild, Content, Frame, Inputs, Slot, child, keep_painted, on_click};
use super::delivery::{Delivery, delivery_fields};
use super::icon_view::{IconView, icon_field};
use super::switch_state::{SwitchState, SwitchStatus};
use super::{Kind, Listen, Sample, WidgetCtx, WidgetDraft};
use crate::components::form::*;
use crate::config::{Binding, CONFIRM_TIMEOUT_MS, DEFAULT_EXPIRY_SECS, Qos, SwitchConfig};
use crate::describe::worded;
use crate::format::fill;
use crate::i18n::{CardText, EdText, Lang, tcard};
use crate::live::Feed;
use crate::reading::ReadingError;
use crate::runtime::{Command, CommandFate, OnFate, Sending, correlation_id};
use crate::widgets::log::LogLines;
use mqtt_session::Properties;

pub fn stub() -> SwitchConfig {
    SwitchConfig {
        command_topic: String::new(),
        on_payload: "on".into(),
        off_payload: "off".into(),
        state_topic: None,
        state_on: "on".into(),
        state_off: "off".into(),
        json_path: None,
        qos: Qos::AtLeastOnce,
        retain: false,
        confirm_timeout_ms: 5_000,
        expiry_secs: DEFAULT_EXPIRY_SECS,
        icon: String::new(),
        response_topic: None,
    }
}

/// The state topic, read through the switch's JSON path; nothing without one (optimistic).
/// (Its response topic is not read through a binding: `widgets::response_topic`.)
pub fn listens(c: &SwitchConfig) -> Vec<Listen> {
    c.state_topic
        .iter()
        .map(|topic| Listen {
            binding: Binding {
                topic: topic.clone(),
                json_path: c.json_path.clone(),
                scale: 1.0,
                offset: 0.0,
                qos: c.qos,
            },
            series: 0,
        })
        .collect()
}

pub fn view(
    id: String,
    title: String,
    config: SwitchConfig,
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
            config.command_topic.clone(),
            config.qos,
            config.retain,
            config.expiry_secs,
        ),
    );
    switch_card(
        id,
        title,
        config,
        feed.sample_signal(),
        feed.replies(),
        Inputs::new(&cx),
        on_command,
        speaks_v5,
    )
}

/// The switch's inputs as typed.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub command_topic: String,
    pub on_payload: String,
    pub off_payload: String,
    pub state_topic: String,
    pub state_on: String,
    pub state_off: String,
    pub json_path: String,
    pub delivery: Delivery,
    pub confirm_timeout: String,
    pub response_topic: String,
}

pub const FIELDS: &[&str] = &[
    "command_topic",
    "on_payload",
    "off_payload",
    "state_topic",
    "state_on",
    "state_off",
    "json_path",
    "qos",
    "retain",
    "confirm_timeout_ms",
    "expiry_secs",
    "icon",
    "response_topic",
];

impl Draft {
    pub fn new(s: &SwitchConfig) -> Self {
        Self {
            command_topic: s.command_topic.clone(),
            on_payload: s.on_payload.clone(),
            off_payload: s.off_payload.clone(),
            state_topic: s.state_topic.clone().unwrap_or_default(),
            state_on: s.state_on.clone(),
            state_off: s.state_off.clone(),
            json_path: s.json_path.clone().unwrap_or_default(),
            delivery: Delivery::new(s.qos, s.retain, s.expiry_secs),
            confirm_timeout: s.confirm_timeout_ms.to_string(),
            response_topic: s.response_topic.clone().unwrap_or_default(),
        }
    }

    pub fn build(&self, icon: &str, p: &mut Parser) -> SwitchConfig {
        SwitchConfig {
            command_topic: self.command_topic.clone(),
            on_payload: self.on_payload.clone(),
            off_payload: self.off_payload.clone(),
            state_topic: (!self.state_topic.trim().is_empty()).then(|| self.state_topic.clone()),
            state_on: self.state_on.clone(),
            state_off: self.state_off.clone(),
            json_path: optional(&self.json_path),
            qos: self.delivery.qos,
            retain: self.delivery.retain,
            confirm_timeout_ms: p.whole(
                "confirm_timeout_ms",
                &self.confirm_timeout,
                5_000,
                CONFIRM_TIMEOUT_MS,
            ),
            expiry_secs: self.delivery.expiry_secs(p),
            icon: icon.to_owned(),
            response_topic: optional(&self.response_topic),
        }
    }
}

pub fn editor(ctx: FormCtx, draft: RwSignal<WidgetDraft>) -> AnyView {
    view! {
        <TextField ctx field=fixed("command_topic") label=EdText::EdCommandTopic hint=EdText::EdCommandTopicHint
            kind=InputKind::Topic bind=bind(draft, |d| &d.switch.command_topic, |d| &mut d.switch.command_topic) />
        <div class="pair">
            <TextField ctx field=fixed("on_payload") label=EdText::EdOnPayload
                bind=bind(draft, |d| &d.switch.on_payload, |d| &mut d.switch.on_payload) />
            <TextField ctx field=fixed("off_payload") label=EdText::EdOffPayload
                bind=bind(draft, |d| &d.switch.off_payload, |d| &mut d.switch.off_payload) />
        </div>
        <TextField ctx field=fixed("state_topic") label=EdText::EdStateTopic hint=EdText::EdStateTopicHint
            kind=InputKind::Topic bind=bind(draft, |d| &d.switch.state_topic, |d| &mut d.switch.state_topic) />
        <div class="pair">
            <TextField ctx field=fixed("state_on") label=EdText::EdStateOn
                bind=bind(draft, |d| &d.switch.state_on, |d| &mut d.switch.state_on) />
            <TextField ctx field=fixed("state_off") label=EdText::EdStateOff
                bind=bind(draft, |d| &d.switch.state_off, |d| &mut d.switch.state_off) />
        </div>
        <TextField ctx field=fixed("json_path") label=EdText::EdJsonPath hint=EdText::EdStateJsonPathHint
            bind=bind(draft, |d| &d.switch.json_path, |d| &mut d.switch.json_path) />
        <TextField ctx field=fixed("response_topic") label=EdText::EdResponseTopic hint=EdText::EdSwitchResponseTopicHint
            kind=InputKind::Topic bind=bind(draft, |d| &d.switch.response_topic, |d| &mut d.switch.response_topic) />
        <TextField ctx field=fixed("confirm_timeout_ms") label=EdText::EdConfirmTimeout hint=EdText::EdConfirmTimeoutHint
            kind=InputKind::Whole bind=bind(draft, |d| &d.switch.confirm_timeout, |d| &mut d.switch.confirm_timeout) />
        {delivery_fields(ctx, draft, |d| &d.switch.delivery, |d| &mut d.switch.delivery)}
        {icon_field(ctx, draft)}
    }
    .into_any()
}

/// The page's wall clock. The switch stamps presses with it and arms its own timer, so a
/// pending command times out on time however slowly the caller's `now_ms` ticks.
fn wall_clock_ms() -> f64 {
    js_sys::Date::now()
}

/// The switch: its state machine fed by the state topic, the answers on its response topic
/// and the clock, a press handed to `on_command` (which publishes `config.command_topic` with
/// the switch's QoS, retain and expiry, and a request's properties when it asks for an
/// answer), and its retained card.
#[allow(clippy::too_many_arguments)]
fn switch_card(
    id: String,
    title: String,
    config: SwitchConfig,
    // The latest message on the state topic, read through the switch's JSON path (its
    // `text` is matched against `state_on`/`state_off`). Always `None` without a state topic.
    state: Signal<Option<Sample>>,
    // The correlation data of the answers on the response topic.
    replies: Option<ArcRwSignal<LogLines>>,
    inputs: Inputs,
    on_command: Callback<(String, Properties, OnFate), Sending>,
    // Whether the connection speaks MQTT 5.0 now (a request's properties go only there).
    speaks_v5: impl Fn() -> bool + Clone + 'static,
) -> CardBuild {
    let machine = RwSignal::new(SwitchState::new(&config));

    // Each answer that came goes through the state machine once (it matches the id).
    if let Some(replies) = replies {
        let mut seen = replies.with_untracked(|r| r.seen);
        Effect::new(move |_| {
            replies.with(|r| {
                let new = (r.seen - std::mem::replace(&mut seen, r.seen)) as usize;
                for line in r.newest_first().take(new) {
                    machine.update(|m| m.answer(&line.payload));
                }
            })
        });
    }

    // Each new state message goes through the state machine once.
    Effect::new(move |_| {
        state.with(|s| {
            if let Some(s) = s {
                machine.update(|m| match &s.text {
                    Ok(text) => m.observe(text, s.at_ms),
                    Err(_) => m.observe_unreadable(),
                });
            }
        })
    });
    // The caller's clock: time out a pending command (never early: it lags the wall clock).
    Effect::new(move |_| {
        let now = inputs.now_ms();
        let due = machine.with_untracked(|m| m.deadline_ms().is_some_and(|d| now >= d));
        if due {
            machine.update(|m| m.tick(now));
        }
    });

    let timer = StoredValue::new_local(None::<gloo_timers::callback::Timeout>);
    let arm_timeout = move |now: f64| {
        if let Some(deadline) = machine.with_untracked(SwitchState::deadline_ms) {
            // Whole ms, a little late rather than early. Replacing the stored timer cancels
            // the previous one, and so does the widget going away.
            let wait = (deadline - now).max(0.0) as u32 + 20;
            timer.set_value(Some(gloo_timers::callback::Timeout::new(wait, move || {
                machine.try_update(|m| m.tick(wall_clock_ms()));
            })));
        }
    };
    let response_topic = config.response_topic.clone();
    let press = move || {
        let now = wall_clock_ms();
        let was = machine.with_untracked(SwitchState::is_on);
        // A request (MQTT 5 only: over 3.1.1 the switch behaves as one without it).
        let request = response_topic
            .as_deref()
            .filter(|_| speaks_v5())
            .map(|topic| (topic, correlation_id(crate::browser::random)));
        let asked = request.as_ref().map(|(_, id)| id.clone());
        let Some(payload) = machine.try_update(|m| m.press_asking(now, asked)).flatten() else {
            return;
        };
        let properties = request.map_or_else(Properties::default, |(topic, id)| {
            crate::runtime::request(topic, &id)
        });
        // What becomes of a command that has to wait for the connection (the widget may be
        // gone by then: nothing to update). It may have connected as 3.1.1 meanwhile ("auto"
        // found an older broker): then it went without its request.
        let speaks_v5 = speaks_v5.clone();
        let on_fate: OnFate = Box::new(move |fate| {
            let now = wall_clock_ms();
            let v5 = matches!(fate, CommandFate::Sent) && speaks_v5();
            let updated = machine.try_update(|m| match fate {
                CommandFate::Sent => {
                    if !v5 {
                        m.unasked();
                    }
                    m.sent(now)
                }
                CommandFate::Expired => m.expired(),
                CommandFate::Refused(_) => m.not_sent(m.is_on()),
            });
            if updated.is_some() {
                arm_timeout(now);
            }
        });
        match on_command.run((payload, properties, on_fate)) {
            Sending::Sent => arm_timeout(now),
            Sending::Waiting => machine.update(|m| m.wait(was)),
            Sending::Refused => machine.update(|m| m.not_sent(was)),
        }
    };

    let view_state = Memo::new(move |_| {
        machine.with(|m| (m.status(), m.is_on(), m.unknown_text().map(str::to_owned)))
    });
    Box::new(move |root: &Element| {
        let card = SwitchCard::new(root, &id, &title, &config, press);
        keep_painted(card, move |card| {
            let (lang, offline) = (inputs.lang(), inputs.offline());
            view_state.with(|(status, on, unknown)| {
                state.with(|s| {
                    let unreadable = s.as_ref().and_then(|s| s.text.as_ref().err());
                    card.paint(status, *on, unknown.as_deref(), unreadable, lang, offline);
                })
            });
        });
    })
}

/// The switch's DOM: a toggle button (its label says the state, or what is pending) and a
/// line under it about a command that waits, expired or got no answer, or an unreadable
/// state message.
struct SwitchCard {
    frame: Frame,
    checked: Attr,
    busy: Attr,
    target: Attr,
    label: Content,
    message: Slot,
    message_class: Attr,
    message_role: Attr,
    expiry: String,
    icon: Option<IconView>,
}

impl SwitchCard {
    fn new(
        root: &Element,
        id: &str,
        title: &str,
        config: &SwitchConfig,
        press: impl FnMut() + 'static,
    ) -> Self {
        let frame = Frame::new(root, Kind::Switch, id, title);
        let button = child(root, "button", "switch-toggle");
        for (name, value) in [
            ("type", "button"),
            ("role", "switch"),
            ("aria-label", title),
        ] {
            let _ = button.set_attribute(name, value);
        }
        let icon = IconView::new(&button, &config.icon);
        let track = child(&button, "span", "switch-track");
        let _ = track.set_attribute("aria-hidden", "true");
        child(&track, "span", "switch-thumb");
        let label = Content::of(&child(&button, "span", "switch-label"), "");
        on_click(&button, press);
        let message = Slot::new(root, "p", "");
        Self {
            frame,
            checked: Attr::new(&button, "aria-checked"),
            busy: Attr::new(&button, "aria-busy"),
            target: Attr::new(&button, "data-target"),
            label,
            message_class: Attr::new(&message.el, "class"),
            message_role: Attr::new(&message.el, "role"),
            message,
            expiry: config.expiry_secs.to_string(),
            icon,
        }
    }

    fn paint(
        &mut self,
        status: &SwitchStatus,
        on: Option<bool>,
        unknown: Option<&str>,
        unreadable: Option<&ReadingError>,
        lang: Lang,
        offline: bool,
    ) {
        self.frame.classes("", offline);
        self.frame.state(match status {
            SwitchStatus::Unknown => "unknown",
            SwitchStatus::On => "on",
            SwitchStatus::Off => "off",
            SwitchStatus::Pending { .. } => "pending",
            SwitchStatus::NoAnswer { .. } => "no-answer",
            SwitchStatus::Waiting { .. } => "waiting",
            SwitchStatus::Expired { .. } => "expired",
        });
        self.checked
            .set(Some(if on == Some(true) { "true" } else { "false" }));
        if let Some(icon) = &mut self.icon {
            icon.show(on == Some(true));
        }
        let target = match status {
            SwitchStatus::Pending { target, .. } | SwitchStatus::Waiting { target } => {
                Some(*target)
            }
            _ => None,
        };
        self.busy.set(target.map(|_| "true"));
        self.target
            .set(target.map(|on| if on { "on" } else { "off" }));
        let label = match (status, on) {
            (SwitchStatus::Pending { target: true, .. }, _) => {
                tcard(lang, CardText::SwitchTurningOn).to_owned()
            }
            (SwitchStatus::Pending { target: false, .. }, _) => {
                tcard(lang, CardText::SwitchTurningOff).to_owned()
            }
            (SwitchStatus::Waiting { .. }, _) => tcard(lang, CardText::CommandWaiting).to_owned(),
            (_, Some(true)) => tcard(lang, CardText::StateOn).to_owned(),
            (_, Some(false)) => tcard(lang, CardText::StateOff).to_owned(),
            (_, None) => match unknown {
                Some(text) => fill(
                    tcard(lang, CardText::StateUnknownWith),
                    &[&excerpt(text, QUOTED_CHARS)],
                ),
                None => tcard(lang, CardText::StateUnknown).to_owned(),
            },
        };
        self.label.set(&label);
        let message = match status {
            SwitchStatus::Waiting { .. } => Some((
                "widget-error switch-waiting",
                "status",
                fill(tcard(lang, CardText::CommandWaitingFor), &[&self.expiry]),
            )),
            SwitchStatus::Expired { .. } => Some((
                "widget-error switch-expired",
                "status",
                fill(tcard(lang, CardText::CommandExpired), &[&self.expiry]),
            )),
            SwitchStatus::NoAnswer { .. } => Some((
                "widget-error switch-no-answer",
                "alert",
                tcard(
                    lang,
                    if offline {
                        CardText::SwitchLostConnection
                    } else {
                        CardText::SwitchNoAnswer
                    },
                )
                .to_owned(),
            )),
            _ => unreadable.map(|err| {
                (
                    "widget-error",
                    "status",
                    worded(lang, |w| (w.reading_error)(err, lang)),
                )
            }),
        };
        if let Some((class, role, _)) = &message {
            self.message_class.set(Some(class));
            self.message_role.set(Some(role));
        }
        self.message
            .text(message.as_ref().map(|(_, _, line)| line.as_str()));
    }
}
