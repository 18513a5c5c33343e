//! The widget kinds and their registry.
//!
//! A kind is one unit: one module (`gauge`, `switch`, `chart`, `value`, `button`, `led`,
//! `slider`, `level`, `text`, `color`, `log`) owns its configuration type (re-exported from
//! `config`), its first-use defaults (`stub`), its editor as data (a `Draft`, the fields with
//! their labels and rules, `FIELDS`), the topics it listens to (`listens`) and publishes to,
//! and its view: a retained card (`card`), behind the cards' split point (`view`), so the
//! first load carries no card. The text input and the colour picker, which only publish a
//! chosen value, take their defaults, fields and editor from `delivery` directly. This file
//! maps [`Kind`]s to those with exhaustive `match`es and no wildcard arm, so adding a kind is
//! one new module plus one variant here, and the compiler names every place that must handle
//! it (see ARCHITECTURE.md, "Adding a widget kind").
//!
//! A widget never sees MQTT. `live` reads each message through the widget's bindings into a
//! [`Sample`] (see [`Sample::read`]) and hands the widget signals; commands go out through
//! one runtime call (`runtime::command`). Everything that came from the broker is rendered as
//! text nodes, never as markup.

pub mod binding;
pub mod button;
pub mod card;
pub mod chart;
pub mod color;
pub mod csv;
pub mod delivery;
pub mod gauge;
pub mod history;
pub mod icon_view;
pub mod icons;
pub mod led;
pub mod level;
pub mod log;
pub mod slider;
pub mod switch;
pub mod switch_state;
pub mod text;
pub mod value;
pub mod value_map;

pub use history::History;
pub use switch_state::{SwitchState, SwitchStatus};

use leptos::prelude::*;
use leptos::wasm_split::SplitLoaderError;

use crate::components::form::{FormCtx, FormProblem, Parser};
use crate::config::{Binding, LevelConfig, ValueConfig, Widget, WidgetKind, widget_problems};
use crate::i18n::{CardText, EdText, Lang, tcard, ted};
use crate::live::Feed;
use crate::payload::display_payload;
use crate::reading::jsonpath::JsonPath;
use crate::reading::{ReadingError, extract_text, number_in};
use crate::runtime::RuntimeHandle;
use crate::state::AppState;

/// Every widget kind. The order is the order of the "add widget" list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Gauge,
    Switch,
    Chart,
    Value,
    Button,
    Led,
    Slider,
    Level,
    Text,
    Color,
    Log,
}

impl Kind {
    pub const ALL: [Kind; 11] = [
        Self::Gauge,
        Self::Switch,
        Self::Chart,
        Self::Value,
        Self::Button,
        Self::Led,
        Self::Slider,
        Self::Level,
        Self::Text,
        Self::Color,
        Self::Log,
    ];

    /// The `type` tag of the stored configuration.
    pub fn tag(self) -> &'static str {
        match self {
            Self::Gauge => "gauge",
            Self::Switch => "switch",
            Self::Chart => "chart",
            Self::Value => "value",
            Self::Button => "button",
            Self::Led => "led",
            Self::Slider => "slider",
            Self::Level => "level",
            Self::Text => "text",
            Self::Color => "color",
            Self::Log => "log",
        }
    }

    pub fn parse(tag: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.tag() == tag)
    }

    pub fn of(kind: &WidgetKind) -> Self {
        match kind {
            WidgetKind::Gauge(_) => Self::Gauge,
            WidgetKind::Switch(_) => Self::Switch,
            WidgetKind::Chart(_) => Self::Chart,
            WidgetKind::Value(_) => Self::Value,
            WidgetKind::Button(_) => Self::Button,
            WidgetKind::Led(_) => Self::Led,
            WidgetKind::Slider(_) => Self::Slider,
            WidgetKind::Level(_) => Self::Level,
            WidgetKind::Text(_) => Self::Text,
            WidgetKind::Color(_) => Self::Color,
            WidgetKind::Log(_) => Self::Log,
        }
    }

    /// The kind's name in the dictionary (the add list, the editor's type select, new titles).
    pub fn label(self) -> EdText {
        match self {
            Self::Gauge => EdText::EdKindGauge,
            Self::Switch => EdText::EdKindSwitch,
            Self::Chart => EdText::EdKindChart,
            Self::Value => EdText::EdKindValue,
            Self::Button => EdText::EdKindButton,
            Self::Led => EdText::EdKindLed,
            Self::Slider => EdText::EdKindSlider,
            Self::Level => EdText::EdKindLevel,
            Self::Text => EdText::EdKindText,
            Self::Color => EdText::EdKindColor,
            Self::Log => EdText::EdKindLog,
        }
    }

    /// First-use defaults, with an empty topic to fill in.
    pub fn stub(self) -> WidgetKind {
        match self {
            Self::Gauge => WidgetKind::Gauge(gauge::stub()),
            Self::Switch => WidgetKind::Switch(switch::stub()),
            Self::Chart => WidgetKind::Chart(chart::stub()),
            Self::Value => WidgetKind::Value(value::stub()),
            Self::Button => WidgetKind::Button(button::stub()),
            Self::Led => WidgetKind::Led(led::stub()),
            Self::Slider => WidgetKind::Slider(slider::stub()),
            Self::Level => WidgetKind::Level(level::stub()),
            Self::Text => WidgetKind::Text(delivery::new_publish()),
            Self::Color => WidgetKind::Color(delivery::new_publish()),
            Self::Log => WidgetKind::Log(log::stub()),
        }
    }

    /// The fields the kind's editor has an input (or a list) for, in the configuration's
    /// field paths with row indices left out (`series[].color`): its own, and the groups of
    /// fields it shares with other kinds.
    fn fields(self) -> &'static [&'static [&'static str]] {
        use binding::BINDING_FIELDS as BINDING;
        use delivery::PUBLISH_FIELDS as PUBLISH;
        use gauge::BAND_FIELDS as BANDS;
        use value_map::MAP_FIELDS as MAP;
        match self {
            Self::Gauge => &[BINDING, gauge::FIELDS, BANDS],
            Self::Switch => &[switch::FIELDS],
            Self::Chart => &[chart::FIELDS],
            Self::Value => &[BINDING, value::FIELDS, MAP, BANDS],
            Self::Button => &[button::FIELDS],
            Self::Led => &[BINDING, led::FIELDS, MAP],
            Self::Slider => &[PUBLISH, slider::FIELDS],
            Self::Level => &[BINDING, gauge::FIELDS, BANDS, &["vertical"]],
            Self::Text | Self::Color => &[PUBLISH],
            Self::Log => &[log::FIELDS],
        }
    }

    /// The kind's own fields in the editor.
    pub fn editor(self, ctx: FormCtx, draft: RwSignal<WidgetDraft>) -> AnyView {
        match self {
            Self::Gauge => gauge::editor(ctx, draft),
            Self::Switch => switch::editor(ctx, draft),
            Self::Chart => chart::editor(ctx, draft),
            Self::Value => value::editor(ctx, draft),
            Self::Button => button::editor(ctx, draft),
            Self::Led => led::editor(ctx, draft),
            Self::Slider => slider::editor(ctx, draft),
            Self::Level => level::editor(ctx, draft),
            Self::Text | Self::Color => delivery::publish_fields(ctx, draft).into_any(),
            Self::Log => log::editor(ctx, draft),
        }
    }
}

/// A widget to start an "add" from, titled with the kind's name in `lang`.
pub fn new_widget(kind: Kind, id: String, lang: Lang) -> Widget {
    Widget {
        id,
        title: ted(lang, kind.label()).to_owned(),
        kind: kind.stub(),
    }
}

/// One topic a widget listens to, read through a binding; `series` says which of a chart's
/// histories it feeds.
pub struct Listen {
    pub binding: Binding,
    pub series: usize,
}

/// The topics a widget listens to through a binding (a switch: its state topic, if any;
/// a command widget's response topic is apart: [`response_topic`]).
pub fn listens(kind: &WidgetKind) -> Vec<Listen> {
    match kind {
        WidgetKind::Gauge(c) => gauge::listens(c),
        WidgetKind::Switch(c) => switch::listens(c),
        WidgetKind::Chart(c) => chart::listens(c),
        WidgetKind::Value(c) => value::listens(c),
        WidgetKind::Button(c) => button::listens(c),
        WidgetKind::Led(c) => led::listens(c),
        WidgetKind::Slider(c) => slider::listens(c),
        WidgetKind::Level(c) => level::listens(c),
        // They only publish.
        WidgetKind::Text(_) | WidgetKind::Color(_) => Vec::new(),
        WidgetKind::Log(c) => log::listens(c),
    }
}

/// A command widget's response topic (MQTT 5 request/response), if it has one, with the
/// QoS it is subscribed at: `live` hands the answers there to the widget's feed as their
/// correlation data ([`Feed::replies`]), read by no binding.
pub fn response_topic(kind: &WidgetKind) -> Option<(&String, crate::config::Qos)> {
    match kind {
        WidgetKind::Switch(c) => c.response_topic.as_ref().map(|t| (t, c.qos)),
        WidgetKind::Button(c) => c.response_topic.as_ref().map(|t| (t, c.qos)),
        WidgetKind::Gauge(_)
        | WidgetKind::Chart(_)
        | WidgetKind::Value(_)
        | WidgetKind::Led(_)
        | WidgetKind::Slider(_)
        | WidgetKind::Level(_)
        | WidgetKind::Text(_)
        | WidgetKind::Color(_)
        | WidgetKind::Log(_) => None,
    }
}

/// Every topic a widget reads or writes (the connection doctor looks for a prefix of the
/// user's own in them).
pub fn topics(kind: &WidgetKind) -> Vec<&str> {
    match kind {
        WidgetKind::Gauge(c) => vec![c.binding.topic.as_str()],
        WidgetKind::Switch(c) => [
            Some(&c.command_topic),
            c.state_topic.as_ref(),
            c.response_topic.as_ref(),
        ]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect(),
        WidgetKind::Chart(c) => c.series.iter().map(|s| s.binding.topic.as_str()).collect(),
        WidgetKind::Value(c) => vec![c.binding.topic.as_str()],
        WidgetKind::Button(c) => [Some(&c.topic), c.response_topic.as_ref()]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect(),
        WidgetKind::Led(c) => vec![c.binding.topic.as_str()],
        WidgetKind::Slider(c) => [Some(&c.publish.topic), c.state.as_ref().map(|b| &b.topic)]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect(),
        WidgetKind::Level(c) => vec![c.gauge.binding.topic.as_str()],
        WidgetKind::Text(c) | WidgetKind::Color(c) => vec![c.topic.as_str()],
        WidgetKind::Log(c) => vec![c.filter.as_str()],
    }
}

/// The signals a widget of this kind reads.
pub fn new_feed(kind: &WidgetKind) -> Feed {
    match kind {
        WidgetKind::Chart(c) => chart::new_feed(c),
        WidgetKind::Log(c) => log::new_feed(c),
        WidgetKind::Switch(_) | WidgetKind::Button(_) => Feed::command(),
        WidgetKind::Gauge(_)
        | WidgetKind::Value(_)
        | WidgetKind::Led(_)
        | WidgetKind::Slider(_)
        | WidgetKind::Level(_)
        | WidgetKind::Text(_)
        | WidgetKind::Color(_) => Feed::sample(),
    }
}

/// What a widget's view needs besides its configuration and feed.
#[derive(Clone, Copy)]
pub struct WidgetCtx {
    pub state: AppState,
    pub runtime: RuntimeHandle,
    pub lang: Signal<Lang>,
    pub now_ms: Signal<f64>,
}

/// One widget's card, drawn from its configuration and its live feed. `connection` is the id
/// of the dashboard's connection, which command widgets publish through.
///
/// The cards of every kind are one split point: the first load carries no card, and a
/// dashboard fetches them once, with its first widget. One split point for all kinds, not
/// one each, because each costs the first load its stub and the loader its entry (four cost
/// 1,512 B more than one), and the kinds share most of what they use, which a split point per
/// kind cut into more, smaller chunks (a first visit with the four kinds fetched 20 more
/// files and 8 KB more).
#[leptos::wasm_split::wasm_split(cards, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn view(
    widget: Widget,
    feed: Feed,
    connection: String,
    cx: WidgetCtx,
) -> Result<card::CardBuild, SplitLoaderError> {
    let Widget { id, title, kind } = widget;
    Ok(match kind {
        WidgetKind::Gauge(c) => gauge::view(id, title, c, &feed, cx),
        WidgetKind::Switch(c) => switch::view(id, title, c, &feed, connection, cx),
        WidgetKind::Chart(c) => chart::view(id, title, c, &feed, cx),
        WidgetKind::Value(c) => value::view(id, title, c, &feed, cx),
        WidgetKind::Button(c) => button::view(id, title, c, &feed, connection, cx),
        WidgetKind::Led(c) => led::view(id, title, c, &feed, cx),
        WidgetKind::Slider(c) => slider::view(id, title, c, &feed, connection, cx),
        WidgetKind::Level(c) => level::view(id, title, c, &feed, cx),
        WidgetKind::Text(c) => text::view(id, title, c, connection, cx),
        WidgetKind::Color(c) => color::view(id, title, c, connection, cx),
        WidgetKind::Log(c) => log::view(id, title, c, &feed, cx),
    })
}

/// Every input of the widget editor as typed, for every kind at once, so that changing the
/// type back and forth loses nothing and an unreadable number stays on screen with its
/// problem under it.
#[derive(Debug, Clone, PartialEq)]
pub struct WidgetDraft {
    pub id: String,
    pub kind: Kind,
    pub title: String,
    pub gauge: gauge::Draft,
    pub switch: switch::Draft,
    pub chart: chart::Draft,
    pub value: value::Draft,
    pub button: button::Draft,
    pub led: led::Draft,
    pub slider: slider::Draft,
    /// The topic, template and delivery of the slider, the text input and the colour picker.
    pub publish: delivery::PublishDraft,
    /// The level bar's direction (the rest of it is the gauge's draft).
    pub level_vertical: bool,
    pub log: log::Draft,
    /// The icon of the switch, the button or the LED.
    pub icon: String,
    /// The value → label and colour rows of the value card or the LED.
    pub map: value_map::MapDraft,
}

impl WidgetDraft {
    /// Every kind starts from its defaults, then the widget's own kind from the widget.
    pub fn new(widget: &Widget) -> Self {
        let mut d = Self {
            id: widget.id.clone(),
            kind: Kind::of(&widget.kind),
            title: widget.title.clone(),
            gauge: gauge::Draft::new(&gauge::stub()),
            switch: switch::Draft::new(&switch::stub()),
            chart: chart::Draft::new(&chart::stub()),
            value: value::Draft::new(&value::stub()),
            button: button::Draft::new(&button::stub()),
            led: led::Draft::new(&led::stub()),
            slider: slider::Draft::new(&slider::stub()),
            publish: delivery::PublishDraft::new(&delivery::new_publish()),
            level_vertical: level::stub().vertical,
            log: log::Draft::new(&log::stub()),
            icon: String::new(),
            map: value_map::MapDraft::default(),
        };
        match &widget.kind {
            WidgetKind::Gauge(c) => d.gauge = gauge::Draft::new(c),
            WidgetKind::Switch(c) => {
                d.switch = switch::Draft::new(c);
                d.icon = c.icon.clone();
            }
            WidgetKind::Chart(c) => d.chart = chart::Draft::new(c),
            WidgetKind::Value(c) => {
                d.value = value::Draft::new(c);
                d.map = value_map::MapDraft::new(&c.map);
                d.gauge.set_bands(&c.bands);
            }
            WidgetKind::Button(c) => {
                d.button = button::Draft::new(c);
                d.icon = c.icon.clone();
            }
            WidgetKind::Led(c) => {
                d.led = led::Draft::new(c);
                d.icon = c.icon.clone();
                d.map = value_map::MapDraft::new(&c.map);
            }
            WidgetKind::Slider(c) => {
                d.slider = slider::Draft::new(c);
                d.publish = delivery::PublishDraft::new(&c.publish);
            }
            WidgetKind::Level(c) => {
                d.gauge = gauge::Draft::new(&c.gauge);
                d.level_vertical = c.vertical;
            }
            WidgetKind::Text(c) | WidgetKind::Color(c) => {
                d.publish = delivery::PublishDraft::new(c)
            }
            WidgetKind::Log(c) => d.log = log::Draft::new(c),
        }
        d
    }

    /// The topic the widget is about (a switch: its command topic; a chart: its first series').
    pub fn topic(&self) -> String {
        match self.kind {
            Kind::Gauge => self.gauge.binding.topic.clone(),
            Kind::Switch => self.switch.command_topic.clone(),
            Kind::Chart => self.chart.topic(),
            Kind::Value => self.value.binding.topic.clone(),
            Kind::Button => self.button.topic.clone(),
            Kind::Led => self.led.binding.topic.clone(),
            Kind::Slider | Kind::Text | Kind::Color => self.publish.topic.clone(),
            Kind::Level => self.gauge.binding.topic.clone(),
            Kind::Log => self.log.filter.clone(),
        }
    }

    fn set_topic(&mut self, topic: String) {
        match self.kind {
            Kind::Gauge => self.gauge.binding.topic = topic,
            Kind::Switch => self.switch.command_topic = topic,
            Kind::Chart => self.chart.set_topic(topic),
            Kind::Value => self.value.binding.topic = topic,
            Kind::Button => self.button.topic = topic,
            Kind::Led => self.led.binding.topic = topic,
            Kind::Slider | Kind::Text | Kind::Color => self.publish.topic = topic,
            Kind::Level => self.gauge.binding.topic = topic,
            Kind::Log => self.log.filter = topic,
        }
    }

    /// Changes the type, keeping the title and the topic.
    pub fn set_kind(&mut self, kind: Kind) {
        if kind != self.kind {
            let topic = self.topic();
            self.kind = kind;
            self.set_topic(topic);
        }
    }

    /// The candidate widget, and every problem that keeps it from being saved.
    pub fn build(&self) -> (Widget, Vec<FormProblem>) {
        let mut p = Parser::default();
        let kind = match self.kind {
            Kind::Gauge => WidgetKind::Gauge(self.gauge.build(&mut p)),
            Kind::Switch => WidgetKind::Switch(self.switch.build(&self.icon, &mut p)),
            Kind::Chart => WidgetKind::Chart(self.chart.build(&mut p)),
            Kind::Value => WidgetKind::Value(ValueConfig {
                map: self.map.build(),
                bands: self.gauge.bands(&mut p),
                ..self.value.build(&mut p)
            }),
            Kind::Button => WidgetKind::Button(self.button.build(&self.icon, &mut p)),
            Kind::Led => WidgetKind::Led(self.led.build(&self.icon, self.map.build(), &mut p)),
            Kind::Slider => WidgetKind::Slider(self.slider.build(&self.publish, &mut p)),
            Kind::Level => WidgetKind::Level(LevelConfig {
                gauge: self.gauge.build(&mut p),
                vertical: self.level_vertical,
            }),
            Kind::Text => WidgetKind::Text(self.publish.build(&mut p)),
            Kind::Color => WidgetKind::Color(self.publish.build(&mut p)),
            Kind::Log => WidgetKind::Log(self.log.build(&mut p)),
        };
        let widget = Widget {
            id: self.id.clone(),
            title: self.title.clone(),
            kind,
        };
        let problems = p.finish(widget_problems(&widget));
        (widget, problems)
    }
}

/// Whether the editor shows an input (or a list) for `field` when editing a `kind`; problems
/// about other fields (a bad id given by the caller) are listed above the buttons.
pub fn has_input(kind: Kind, field: &str) -> bool {
    // `series[3].binding.topic` → `series[].binding.topic`
    let mut general = String::with_capacity(field.len());
    let mut in_index = false;
    for c in field.chars() {
        match c {
            '[' => {
                in_index = true;
                general.push(c);
            }
            ']' => {
                in_index = false;
                general.push(c);
            }
            _ if in_index => {}
            _ => general.push(c),
        }
    }
    general == "title"
        || general == "type"
        || kind
            .fields()
            .iter()
            .any(|group| group.contains(&general.as_str()))
}

/// Colours given to new bands and series, in turn.
pub const PALETTE: [&str; 8] = [
    "#0b7a75", "#3b82f6", "#dc2626", "#f59e0b", "#7c3aed", "#16a34a", "#db2777", "#475569",
];

/// One message as a widget sees it, already read through its binding (topic, JSON path, scale).
///
/// `text` is the payload text or the value at the JSON path. A binary (non-UTF-8) payload has
/// `value: Err(ReadingError::Binary)` and `text: Ok(..)` with the payload as spaced hex
/// (`de ad be ef`), so a raw-text widget can still show what the device sent. [`Sample::read`]
/// builds a sample that keeps to this rule.
#[derive(Clone, Debug, PartialEq)]
pub struct Sample {
    pub value: Result<f64, ReadingError>,
    pub text: Result<String, ReadingError>,
    /// When the message arrived, in ms since the epoch (`js_sys::Date::now()`).
    pub at_ms: f64,
    pub retained: bool,
}

impl Sample {
    /// Reads a payload the way every widget expects: `value = number * scale + offset` and
    /// `text` as described on [`Sample`]. Parse the binding's JSON path once, not per message.
    pub fn read(
        payload: &[u8],
        path: Option<&JsonPath>,
        scale: f64,
        offset: f64,
        at_ms: f64,
        retained: bool,
    ) -> Self {
        let text = extract_text(payload, path);
        let value = match &text {
            Ok(text) => number_in(text, scale, offset),
            Err(e) => Err(e.clone()),
        };
        let text = match text {
            Err(ReadingError::Binary) => Ok(display_payload(payload)),
            other => other,
        };
        Self {
            value,
            text,
            at_ms,
            retained,
        }
    }
}

/// "updated 12 s ago", in minutes from one minute, hours from one hour, days from one day.
/// A negative age (the clock went back) reads as "just now".
pub fn format_ago(lang: Lang, elapsed_ms: f64) -> String {
    let secs = if elapsed_ms.is_finite() {
        (elapsed_ms / 1000.0).floor().max(0.0)
    } else {
        0.0
    };
    // Truncating floats: whole units, as a person reads a clock.
    let (key, n) = if secs < 1.0 {
        return tcard(lang, CardText::UpdatedJustNow).to_owned();
    } else if secs < 60.0 {
        (CardText::UpdatedSecondsAgo, secs)
    } else if secs < 3600.0 {
        (CardText::UpdatedMinutesAgo, (secs / 60.0).floor())
    } else if secs < 86_400.0 {
        (CardText::UpdatedHoursAgo, (secs / 3600.0).floor())
    } else {
        (CardText::UpdatedDaysAgo, (secs / 86_400.0).floor())
    };
    crate::format::fill(tcard(lang, key), &[&(n as u64).to_string()])
}

/// The value a numeric widget shows after `sample`: a good reading replaces it, a bad one
/// keeps the previous good value (shown greyed), no sample at all clears it.
pub fn last_good(prev: Option<f64>, sample: Option<&Sample>) -> Option<f64> {
    match sample {
        None => None,
        Some(Sample { value: Ok(v), .. }) => Some(*v),
        Some(_) => prev,
    }
}

/// `#rgb` or `#rrggbb` (the forms the configuration allows) as red, green, blue.
pub fn parse_hex_color(color: &str) -> Option<(u8, u8, u8)> {
    if !crate::config::is_hex_color(color) {
        return None;
    }
    let hex = &color[1..];
    let digit = |i: usize| u8::from_str_radix(&hex[i..=i], 16).ok();
    match hex.len() {
        3 => Some((digit(0)? * 17, digit(1)? * 17, digit(2)? * 17)),
        6 => {
            let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
            Some((byte(0)?, byte(2)?, byte(4)?))
        }
        _ => None,
    }
}

/// The colour attribute value to put in markup: the configured colour when it is a valid
/// hex colour, `fallback` otherwise (a colour reaches an attribute, so it is never passed raw).
pub(crate) fn safe_color(color: &str, fallback: &'static str) -> String {
    if parse_hex_color(color).is_some() {
        color.to_owned()
    } else {
        fallback.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_minutes_hours_days_ago() {
        let en = |ms: f64| format_ago(Lang::En, ms);
        assert_eq!(en(0.0), "updated just now");
        assert_eq!(en(999.0), "updated just now");
        assert_eq!(en(-5_000.0), "updated just now", "clock went back");
        assert_eq!(en(f64::NAN), "updated just now");
        assert_eq!(en(1_000.0), "updated 1 s ago");
        assert_eq!(en(12_500.0), "updated 12 s ago");
        assert_eq!(en(59_999.0), "updated 59 s ago");
        assert_eq!(en(60_000.0), "updated 1 min ago");
        assert_eq!(en(3_599_000.0), "updated 59 min ago");
        assert_eq!(en(3_600_000.0), "updated 1 h ago");
        assert_eq!(en(86_399_000.0), "updated 23 h ago");
        assert_eq!(en(86_400_000.0 * 3.5), "updated 3 d ago");
        assert_eq!(format_ago(Lang::Es, 12_000.0), "actualizado hace 12 s");
        assert_eq!(format_ago(Lang::Es, 300_000.0), "actualizado hace 5 min");
        assert_eq!(format_ago(Lang::Es, 0.0), "actualizado ahora mismo");
    }

    #[test]
    fn sample_reads_binary_as_hex_text() {
        let s = Sample::read(&[0xff, 0xfe], None, 1.0, 0.0, 5.0, true);
        assert_eq!(s.value, Err(ReadingError::Binary));
        assert_eq!(s.text, Ok("ff fe".into()));
        assert!(s.retained);
        let p = JsonPath::parse("$.t").unwrap();
        let s = Sample::read(br#"{"t":"21"}"#, Some(&p), 2.0, 1.0, 0.0, false);
        assert_eq!(s.value, Ok(43.0));
        assert_eq!(s.text, Ok("21".into()));
        let s = Sample::read(b"nope", Some(&p), 1.0, 0.0, 0.0, false);
        assert_eq!(s.value, Err(ReadingError::NotJson));
        assert_eq!(s.text, Err(ReadingError::NotJson));
    }

    #[test]
    fn last_good_value_survives_bad_readings() {
        let ok = |v| Sample {
            value: Ok(v),
            text: Ok(v.to_string()),
            at_ms: 0.0,
            retained: false,
        };
        let bad = Sample {
            value: Err(ReadingError::NotJson),
            text: Err(ReadingError::NotJson),
            at_ms: 0.0,
            retained: false,
        };
        assert_eq!(last_good(None, Some(&ok(1.0))), Some(1.0));
        assert_eq!(last_good(Some(1.0), Some(&bad)), Some(1.0));
        assert_eq!(last_good(None, Some(&bad)), None);
        assert_eq!(last_good(Some(1.0), Some(&ok(2.0))), Some(2.0));
        assert_eq!(last_good(Some(1.0), None), None);
    }

    #[test]
    fn hex_colours() {
        assert_eq!(parse_hex_color("#fff"), Some((255, 255, 255)));
        assert_eq!(parse_hex_color("#0b7a75"), Some((11, 122, 117)));
        assert_eq!(parse_hex_color("#0B7A75"), Some((11, 122, 117)));
        assert_eq!(parse_hex_color("0b7a75"), None);
        assert_eq!(parse_hex_color("#12345"), None);
        assert_eq!(parse_hex_color("#ééé"), None);
        assert_eq!(parse_hex_color("red;x"), None);
        assert_eq!(safe_color("\" onload=\"x", "#888"), "#888");
    }
}
