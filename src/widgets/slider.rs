//! The slider: a dimmer, a fan's speed, a set point. It publishes its position through the
//! template on release, and while dragging at most once per `throttle_ms`, so a device
//! follows the finger without the broker taking a message per pixel. With a state topic it
//! shows the value the device reports, and "pending" from a move until a report arrives.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement};

use super::binding::{empty_binding, optional};
use super::card::{CardBuild, Content, Frame, Inputs, Slot, child, keep_painted};
use super::delivery::{Outcome, OutcomeLine, new_publish, publish_fields, publisher};
use super::{Kind, Listen, Sample, WidgetCtx, WidgetDraft, last_good};
use crate::components::form::*;
use crate::config::{Binding, SliderConfig};
use crate::format::shortest;
use crate::i18n::{CardText, EdText, Lang, tcard};
use crate::live::Feed;
use crate::retained::on_event;

/// A dimmer's defaults: 0 to 100 %, whole steps, a message at most every 200 ms while dragging.
pub fn stub() -> SliderConfig {
    SliderConfig {
        publish: new_publish(),
        min: 0.0,
        max: 100.0,
        step: 1.0,
        unit: "%".into(),
        throttle_ms: 200,
        state: None,
    }
}

pub fn listens(c: &SliderConfig) -> Vec<Listen> {
    c.state
        .iter()
        .map(|binding| Listen {
            binding: binding.clone(),
            series: 0,
        })
        .collect()
}

/// Whether a move made at `now_ms` while dragging goes out now: the first at once, then at
/// most one per `every_ms`; with 0, none until release.
fn due(last_sent_ms: Option<f64>, now_ms: f64, every_ms: u32) -> bool {
    every_ms > 0 && last_sent_ms.is_none_or(|t| now_ms - t >= f64::from(every_ms))
}

/// The slider's inputs as typed (its topic, template and delivery are the draft's
/// `publish`, shared with the text input and the colour picker).
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub min: String,
    pub max: String,
    pub step: String,
    pub unit: String,
    pub throttle: String,
    pub state_topic: String,
    pub state_path: String,
}

/// Its own fields (topic, template and delivery are the shared `PUBLISH_FIELDS`).
pub const FIELDS: &[&str] = &[
    "min",
    "max",
    "step",
    "unit",
    "throttle_ms",
    "state.topic",
    "state.json_path",
];

impl Draft {
    pub fn new(c: &SliderConfig) -> Self {
        let state = c.state.as_ref();
        Self {
            min: shortest(c.min),
            max: shortest(c.max),
            step: shortest(c.step),
            unit: c.unit.clone(),
            throttle: c.throttle_ms.to_string(),
            state_topic: state.map(|b| b.topic.clone()).unwrap_or_default(),
            state_path: state.and_then(|b| b.json_path.clone()).unwrap_or_default(),
        }
    }

    pub fn build(&self, publish: &super::delivery::PublishDraft, p: &mut Parser) -> SliderConfig {
        SliderConfig {
            publish: publish.build(p),
            min: p.number("min", &self.min, 0.0),
            max: p.number("max", &self.max, 100.0),
            step: p.number("step", &self.step, 1.0),
            unit: self.unit.clone(),
            throttle_ms: p.whole(
                "throttle_ms",
                &self.throttle,
                200,
                crate::config::THROTTLE_MS,
            ),
            state: optional(&self.state_topic).map(|topic| Binding {
                topic,
                json_path: optional(&self.state_path),
                ..empty_binding()
            }),
        }
    }
}

pub fn editor(ctx: FormCtx, draft: RwSignal<WidgetDraft>) -> AnyView {
    view! {
        {publish_fields(ctx, draft)}
        <div class="pair">
            <TextField ctx field=fixed("min") label=EdText::EdMin kind=InputKind::Decimal
                bind=bind(draft, |d| &d.slider.min, |d| &mut d.slider.min) />
            <TextField ctx field=fixed("max") label=EdText::EdMax kind=InputKind::Decimal
                bind=bind(draft, |d| &d.slider.max, |d| &mut d.slider.max) />
        </div>
        <div class="pair">
            <TextField ctx field=fixed("step") label=EdText::EdStep kind=InputKind::Decimal
                bind=bind(draft, |d| &d.slider.step, |d| &mut d.slider.step) />
            <TextField ctx field=fixed("unit") label=EdText::EdUnit
                bind=bind(draft, |d| &d.slider.unit, |d| &mut d.slider.unit) />
        </div>
        <TextField ctx field=fixed("throttle_ms") label=EdText::EdThrottle hint=EdText::EdThrottleHint
            kind=InputKind::Whole bind=bind(draft, |d| &d.slider.throttle, |d| &mut d.slider.throttle) />
        <TextField ctx field=fixed("state.topic") label=EdText::EdStateTopic hint=EdText::EdStateTopicHint
            kind=InputKind::Topic bind=bind(draft, |d| &d.slider.state_topic, |d| &mut d.slider.state_topic) />
        <TextField ctx field=fixed("state.json_path") label=EdText::EdJsonPath hint=EdText::EdJsonPathHint
            bind=bind(draft, |d| &d.slider.state_path, |d| &mut d.slider.state_path) />
    }
    .into_any()
}

/// What the card knows between paints.
#[derive(Clone, Copy, Default)]
struct Moves {
    /// The position the user chose last (the input's text is what is published).
    chosen: Option<f64>,
    /// When the last value went out, and which.
    sent_at_ms: Option<f64>,
    sent: Option<f64>,
    dragging: bool,
}

/// "pending" when the slider reports its state and none has arrived since the last move went
/// out.
fn pending(moves: &Moves, has_state: bool, report: Option<&Sample>) -> bool {
    match (has_state, moves.sent_at_ms) {
        (true, Some(sent)) => report.is_none_or(|s| s.at_ms < sent),
        _ => false,
    }
}

pub fn view(
    id: String,
    title: String,
    config: SliderConfig,
    feed: &Feed,
    connection: String,
    cx: WidgetCtx,
) -> CardBuild {
    let send = publisher(&cx, connection, &config.publish);
    let inputs = Inputs::new(&cx);
    let report = feed.sample_signal();
    let has_state = config.state.is_some();
    let moves = RwSignal::new(Moves::default());
    let outcome = RwSignal::new(Outcome::None);
    let confirmed = Memo::new(move |prev: Option<&Option<f64>>| {
        report.with(|s| last_good(prev.copied().flatten(), s.as_ref()))
    });
    let SliderConfig {
        min,
        max,
        step,
        unit,
        throttle_ms,
        publish,
        ..
    } = config;
    // A move: goes out when it is due (dragging) or at release if it is not what went last.
    let on_move = move |text: String, released: bool| {
        let Some(value) = crate::format::parse_f64(&text) else {
            return;
        };
        let now = js_sys::Date::now();
        let m = moves.get_untracked();
        let go = if released {
            m.sent != Some(value)
        } else {
            due(m.sent_at_ms, now, throttle_ms)
        };
        moves.update(|m| {
            m.chosen = Some(value);
            m.dragging = !released;
            if go {
                m.sent = Some(value);
                m.sent_at_ms = Some(now);
            }
        });
        if go {
            outcome.set(Outcome::at_once(send(&text, Outcome::on_fate(outcome))));
        }
    };
    Box::new(move |root: &Element| {
        let card = SliderCard::new(
            root,
            &id,
            &title,
            (min, max, step),
            publish.expiry_secs,
            on_move,
        );
        keep_painted(card, move |card| {
            let m = moves.get();
            let waiting = report.with(|r| pending(&m, has_state, r.as_ref()));
            // Dragging, or no report yet: the finger's position; else the device's.
            let shown = if m.dragging || !has_state || waiting {
                m.chosen.or(confirmed.get())
            } else {
                confirmed.get().or(m.chosen)
            };
            card.paint(
                shown,
                &unit,
                m.dragging,
                waiting,
                outcome.get(),
                inputs.lang(),
                inputs.offline(),
            );
        });
    })
}

/// The slider's DOM: the range input, the value beside it, and the line under them.
struct SliderCard {
    frame: Frame,
    input: HtmlInputElement,
    value: Content,
    status: OutcomeLine,
    pending: Slot,
}

impl SliderCard {
    fn new(
        root: &Element,
        id: &str,
        title: &str,
        (min, max, step): (f64, f64, f64),
        expiry_secs: u32,
        on_move: impl Fn(String, bool) + Clone + 'static,
    ) -> Self {
        let frame = Frame::new(root, Kind::Slider, id, title);
        let row = child(root, "div", "slider-row");
        let input: HtmlInputElement = child(&row, "input", "slider-input").unchecked_into();
        input.set_type("range");
        input.set_min(&shortest(min));
        input.set_max(&shortest(max));
        input.set_step(&shortest(step));
        let _ = input.set_attribute("aria-label", title);
        let value = Content::of(&child(&row, "output", "slider-value"), "");
        let pending = Slot::new(root, "p", "slider-pending");
        for (event, released) in [("input", false), ("change", true)] {
            let (el, on_move) = (input.clone(), on_move.clone());
            on_event(&input, event, move |_| on_move(el.value(), released));
        }
        Self {
            frame,
            input,
            value,
            status: OutcomeLine::new(root, expiry_secs),
            pending,
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn paint(
        &mut self,
        shown: Option<f64>,
        unit: &str,
        dragging: bool,
        waiting: bool,
        outcome: Outcome,
        lang: Lang,
        offline: bool,
    ) {
        self.frame
            .classes(if waiting { "pending" } else { "" }, offline);
        self.frame
            .state(if waiting { "pending" } else { outcome.state() });
        let text = shown.map(shortest);
        // The finger owns the input while it drags; otherwise it shows what is known.
        if let (Some(text), false) = (&text, dragging)
            && self.input.value() != *text
        {
            self.input.set_value(text);
        }
        let shown = match text {
            Some(t) if unit.is_empty() => t,
            Some(t) => format!("{t} {unit}"),
            None => "—".to_owned(),
        };
        self.value.set(&shown);
        self.pending
            .text(waiting.then(|| tcard(lang, CardText::SliderPending)));
        self.status.paint(outcome, lang);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dragging_sends_the_first_move_then_one_per_interval() {
        assert!(due(None, 1_000.0, 200), "the first move goes at once");
        assert!(!due(Some(1_000.0), 1_150.0, 200));
        assert!(due(Some(1_000.0), 1_200.0, 200));
        assert!(!due(None, 1_000.0, 0), "0: nothing until release");
        // A 2 s drag with a move every 16 ms sends at most 2000/200 + 1 while dragging.
        let mut last = None;
        let mut sent = 0;
        for i in 0..125 {
            let now = f64::from(i) * 16.0;
            if due(last, now, 200) {
                last = Some(now);
                sent += 1;
            }
        }
        assert!(sent <= 11, "{sent}");
    }

    #[test]
    fn pending_from_a_move_until_a_report_after_it() {
        let report = |at_ms| Sample {
            value: Ok(1.0),
            text: Ok("1".into()),
            at_ms,
            retained: false,
        };
        let moved = Moves {
            sent_at_ms: Some(100.0),
            ..Moves::default()
        };
        assert!(!pending(&Moves::default(), true, None), "nothing sent yet");
        assert!(pending(&moved, true, None));
        assert!(
            pending(&moved, true, Some(&report(50.0))),
            "a report from before"
        );
        assert!(!pending(&moved, true, Some(&report(150.0))));
        assert!(
            !pending(&moved, false, None),
            "no state topic: never pending"
        );
    }
}
