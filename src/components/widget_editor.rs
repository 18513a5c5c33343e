//! The form that adds or edits one widget.
//!
//! The form edits a [`WidgetDraft`]: every input's text as typed, for every kind at once, so
//! that switching the type back and forth loses nothing and an unreadable number stays on
//! screen with its problem under it. On every change the draft builds its candidate
//! [`Widget`] and runs the configuration's own rules ([`widget_problems`]); Save is enabled
//! only when there is no problem, and saves exactly that candidate.

use std::sync::Arc;

use leptos::prelude::*;

use super::form::*;
use crate::config::{
    Band, Binding, ChartConfig, GaugeConfig, Qos, Series, SwitchConfig, ValueConfig, Widget,
    WidgetKind, widget_problems,
};
use crate::i18n::{Lang, Text, t};

/// The configuration's limits on list lengths (see `config::validate`): the add buttons stop
/// there instead of offering a row that cannot be saved.
const MAX_BANDS: usize = 8;
const MAX_SERIES: usize = 8;

/// Colours given to new bands and series, in turn.
const PALETTE: [&str; 8] = [
    "#0b7a75", "#3b82f6", "#dc2626", "#f59e0b", "#7c3aed", "#16a34a", "#db2777", "#475569",
];

/// The chart time windows offered, in seconds.
pub const WINDOWS: [u32; 6] = [60, 300, 900, 3_600, 21_600, 86_400];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KindTag {
    Gauge,
    Switch,
    Chart,
    Value,
}

impl KindTag {
    pub const ALL: [KindTag; 4] = [Self::Gauge, Self::Switch, Self::Chart, Self::Value];

    /// The `type` tag of the stored configuration.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Gauge => "gauge",
            Self::Switch => "switch",
            Self::Chart => "chart",
            Self::Value => "value",
        }
    }

    pub fn parse(tag: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == tag)
    }

    pub fn of(kind: &WidgetKind) -> Self {
        match kind {
            WidgetKind::Gauge(_) => Self::Gauge,
            WidgetKind::Switch(_) => Self::Switch,
            WidgetKind::Chart(_) => Self::Chart,
            WidgetKind::Value(_) => Self::Value,
        }
    }

    fn label(self) -> Text {
        match self {
            Self::Gauge => Text::EdKindGauge,
            Self::Switch => Text::EdKindSwitch,
            Self::Chart => Text::EdKindChart,
            Self::Value => Text::EdKindValue,
        }
    }
}

fn empty_binding() -> Binding {
    Binding {
        topic: String::new(),
        json_path: None,
        scale: 1.0,
        offset: 0.0,
        qos: Qos::AtMostOnce,
    }
}

/// A widget to start an "add" from: sensible defaults and an empty topic (to be filled in).
/// The title is the kind's Spanish name; see [`new_widget_stub_in`] for another language.
/// An unknown `kind` gives a gauge.
pub fn new_widget_stub(kind: &str, id: String) -> Widget {
    new_widget_stub_in(kind, id, Lang::Es)
}

/// [`new_widget_stub`] with the title in `lang`.
pub fn new_widget_stub_in(kind: &str, id: String, lang: Lang) -> Widget {
    let tag = KindTag::parse(kind).unwrap_or(KindTag::Gauge);
    let kind = match tag {
        KindTag::Gauge => WidgetKind::Gauge(GaugeConfig {
            binding: empty_binding(),
            min: 0.0,
            max: 100.0,
            unit: String::new(),
            decimals: 1,
            bands: Vec::new(),
        }),
        KindTag::Switch => WidgetKind::Switch(SwitchConfig {
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
        }),
        KindTag::Chart => WidgetKind::Chart(ChartConfig {
            series: vec![Series {
                label: String::new(),
                binding: empty_binding(),
                color: PALETTE[0].into(),
            }],
            window_secs: 300,
            max_points: 2_000,
            unit: String::new(),
            min: None,
            max: None,
        }),
        KindTag::Value => WidgetKind::Value(ValueConfig {
            binding: empty_binding(),
            unit: String::new(),
            decimals: None,
            stale_after_secs: 0,
        }),
    };
    Widget {
        id,
        title: t(lang, tag.label()).to_owned(),
        kind,
    }
}

/// A [`Binding`] as typed.
#[derive(Debug, Clone, PartialEq)]
pub struct BindingDraft {
    pub topic: String,
    pub json_path: String,
    pub scale: String,
    pub offset: String,
    pub qos: Qos,
}

impl BindingDraft {
    pub fn new(b: &Binding) -> Self {
        Self {
            topic: b.topic.clone(),
            json_path: b.json_path.clone().unwrap_or_default(),
            scale: b.scale.to_string(),
            offset: b.offset.to_string(),
            qos: b.qos,
        }
    }

    fn build(&self, at: &str, p: &mut Parser) -> Binding {
        Binding {
            topic: self.topic.clone(),
            json_path: optional(&self.json_path),
            scale: p.number(&format!("{at}.scale"), &self.scale, 1.0),
            offset: p.number(&format!("{at}.offset"), &self.offset, 0.0),
            qos: self.qos,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct BandDraft {
    /// Stable while the row lives, for the list's keys; not its position.
    pub key: u32,
    pub from: String,
    pub color: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SeriesDraft {
    pub key: u32,
    pub label: String,
    pub binding: BindingDraft,
    pub color: String,
}

/// Which binding of the draft an input edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BindingAt {
    /// The gauge's or value's.
    Main,
    /// A chart series', by row key.
    Series(u32),
}

/// Every input of the form as typed, for all kinds at once.
#[derive(Debug, Clone, PartialEq)]
pub struct WidgetDraft {
    pub id: String,
    pub kind: KindTag,
    pub title: String,
    /// Gauge and value.
    pub binding: BindingDraft,
    /// Gauge, value and chart.
    pub unit: String,
    pub gauge_decimals: String,
    pub min: String,
    pub max: String,
    pub bands: Vec<BandDraft>,
    /// Empty: the value shows the payload as text.
    pub value_decimals: String,
    pub stale_after: String,
    pub command_topic: String,
    pub on_payload: String,
    pub off_payload: String,
    pub state_topic: String,
    pub state_on: String,
    pub state_off: String,
    pub switch_json_path: String,
    pub switch_qos: Qos,
    pub retain: bool,
    pub confirm_timeout: String,
    pub series: Vec<SeriesDraft>,
    pub window_secs: u32,
    pub max_points: String,
    /// Empty: automatic.
    pub chart_min: String,
    pub chart_max: String,
    next_key: u32,
}

fn optional(text: &str) -> Option<String> {
    (!text.trim().is_empty()).then(|| text.trim().to_owned())
}

impl WidgetDraft {
    pub fn new(widget: &Widget) -> Self {
        let mut d = Self {
            id: widget.id.clone(),
            kind: KindTag::of(&widget.kind),
            title: widget.title.clone(),
            binding: BindingDraft::new(&empty_binding()),
            unit: String::new(),
            gauge_decimals: String::new(),
            min: String::new(),
            max: String::new(),
            bands: Vec::new(),
            value_decimals: String::new(),
            stale_after: String::new(),
            command_topic: String::new(),
            on_payload: String::new(),
            off_payload: String::new(),
            state_topic: String::new(),
            state_on: String::new(),
            state_off: String::new(),
            switch_json_path: String::new(),
            switch_qos: Qos::AtMostOnce,
            retain: false,
            confirm_timeout: String::new(),
            series: Vec::new(),
            window_secs: 300,
            max_points: String::new(),
            chart_min: String::new(),
            chart_max: String::new(),
            next_key: 0,
        };
        // Every kind's defaults first, then the widget's own: a type change finds sensible
        // values waiting.
        for tag in ["value", "switch", "chart", "gauge"] {
            d.overlay(&new_widget_stub(tag, String::new()).kind);
        }
        d.overlay(&widget.kind);
        d
    }

    fn key(&mut self) -> u32 {
        self.next_key += 1;
        self.next_key
    }

    fn overlay(&mut self, kind: &WidgetKind) {
        match kind {
            WidgetKind::Gauge(g) => {
                self.binding = BindingDraft::new(&g.binding);
                self.unit = g.unit.clone();
                self.gauge_decimals = g.decimals.to_string();
                self.min = g.min.to_string();
                self.max = g.max.to_string();
                self.bands = Vec::new();
                for b in &g.bands {
                    let key = self.key();
                    self.bands.push(BandDraft {
                        key,
                        from: b.from.to_string(),
                        color: b.color.clone(),
                    });
                }
            }
            WidgetKind::Switch(s) => {
                self.command_topic = s.command_topic.clone();
                self.on_payload = s.on_payload.clone();
                self.off_payload = s.off_payload.clone();
                self.state_topic = s.state_topic.clone().unwrap_or_default();
                self.state_on = s.state_on.clone();
                self.state_off = s.state_off.clone();
                self.switch_json_path = s.json_path.clone().unwrap_or_default();
                self.switch_qos = s.qos;
                self.retain = s.retain;
                self.confirm_timeout = s.confirm_timeout_ms.to_string();
            }
            WidgetKind::Chart(c) => {
                self.series = Vec::new();
                for s in &c.series {
                    let key = self.key();
                    self.series.push(SeriesDraft {
                        key,
                        label: s.label.clone(),
                        binding: BindingDraft::new(&s.binding),
                        color: s.color.clone(),
                    });
                }
                self.window_secs = c.window_secs;
                self.max_points = c.max_points.to_string();
                self.unit = c.unit.clone();
                self.chart_min = c.min.map(|v| v.to_string()).unwrap_or_default();
                self.chart_max = c.max.map(|v| v.to_string()).unwrap_or_default();
            }
            WidgetKind::Value(v) => {
                self.binding = BindingDraft::new(&v.binding);
                self.unit = v.unit.clone();
                self.value_decimals = v.decimals.map(|d| d.to_string()).unwrap_or_default();
                self.stale_after = v.stale_after_secs.to_string();
            }
        }
    }

    /// The topic the widget listens to (a switch: its command topic).
    pub fn topic(&self) -> String {
        match self.kind {
            KindTag::Gauge | KindTag::Value => self.binding.topic.clone(),
            KindTag::Switch => self.command_topic.clone(),
            KindTag::Chart => self
                .series
                .first()
                .map(|s| s.binding.topic.clone())
                .unwrap_or_default(),
        }
    }

    fn set_topic(&mut self, topic: String) {
        match self.kind {
            KindTag::Gauge | KindTag::Value => self.binding.topic = topic,
            KindTag::Switch => self.command_topic = topic,
            KindTag::Chart => {
                if self.series.is_empty() {
                    self.add_series();
                }
                self.series[0].binding.topic = topic;
            }
        }
    }

    /// Changes the type, keeping the title and the topic.
    pub fn set_kind(&mut self, kind: KindTag) {
        if kind != self.kind {
            let topic = self.topic();
            self.kind = kind;
            self.set_topic(topic);
        }
    }

    pub fn binding(&self, at: BindingAt) -> Option<&BindingDraft> {
        match at {
            BindingAt::Main => Some(&self.binding),
            BindingAt::Series(key) => self
                .series
                .iter()
                .find(|s| s.key == key)
                .map(|s| &s.binding),
        }
    }

    pub fn binding_mut(&mut self, at: BindingAt) -> Option<&mut BindingDraft> {
        match at {
            BindingAt::Main => Some(&mut self.binding),
            BindingAt::Series(key) => self
                .series
                .iter_mut()
                .find(|s| s.key == key)
                .map(|s| &mut s.binding),
        }
    }

    /// The field path of a binding: `binding`, or `series[i].binding` by the row's position now.
    pub fn binding_path(&self, at: BindingAt) -> String {
        match at {
            BindingAt::Main => "binding".into(),
            BindingAt::Series(key) => format!("{}.binding", self.series_path(key)),
        }
    }

    pub fn band_path(&self, key: u32) -> String {
        let i = self.bands.iter().position(|b| b.key == key).unwrap_or(0);
        format!("bands[{i}]")
    }

    pub fn series_path(&self, key: u32) -> String {
        let i = self.series.iter().position(|s| s.key == key).unwrap_or(0);
        format!("series[{i}]")
    }

    pub fn add_band(&mut self) {
        let from = self
            .bands
            .last()
            .and_then(|b| parse_number(&b.from))
            .map(|v| (v + 10.0).to_string())
            .unwrap_or_else(|| self.min.clone());
        let color = PALETTE[self.bands.len() % PALETTE.len()].to_owned();
        let key = self.key();
        self.bands.push(BandDraft { key, from, color });
    }

    pub fn add_series(&mut self) {
        let color = PALETTE[self.series.len() % PALETTE.len()].to_owned();
        let key = self.key();
        self.series.push(SeriesDraft {
            key,
            label: String::new(),
            binding: BindingDraft::new(&empty_binding()),
            color,
        });
    }

    /// The candidate widget, and every problem that keeps it from being saved.
    pub fn build(&self) -> (Widget, Vec<FormProblem>) {
        let mut p = Parser::default();
        let kind = match self.kind {
            KindTag::Gauge => WidgetKind::Gauge(GaugeConfig {
                binding: self.binding.build("binding", &mut p),
                min: p.number("min", &self.min, 0.0),
                max: p.number("max", &self.max, 100.0),
                unit: self.unit.clone(),
                decimals: p.whole("decimals", &self.gauge_decimals, 0, (0, 6)),
                bands: self
                    .bands
                    .iter()
                    .enumerate()
                    .map(|(i, b)| Band {
                        from: p.number(&format!("bands[{i}].from"), &b.from, 0.0),
                        color: b.color.clone(),
                    })
                    .collect(),
            }),
            KindTag::Switch => WidgetKind::Switch(SwitchConfig {
                command_topic: self.command_topic.clone(),
                on_payload: self.on_payload.clone(),
                off_payload: self.off_payload.clone(),
                state_topic: (!self.state_topic.trim().is_empty())
                    .then(|| self.state_topic.clone()),
                state_on: self.state_on.clone(),
                state_off: self.state_off.clone(),
                json_path: optional(&self.switch_json_path),
                qos: self.switch_qos,
                retain: self.retain,
                confirm_timeout_ms: p.whole(
                    "confirm_timeout_ms",
                    &self.confirm_timeout,
                    5_000,
                    (500, 60_000),
                ),
            }),
            KindTag::Chart => WidgetKind::Chart(ChartConfig {
                series: self
                    .series
                    .iter()
                    .enumerate()
                    .map(|(i, s)| Series {
                        label: s.label.clone(),
                        binding: s.binding.build(&format!("series[{i}].binding"), &mut p),
                        color: s.color.clone(),
                    })
                    .collect(),
                window_secs: self.window_secs,
                max_points: p.whole("max_points", &self.max_points, 2_000, (10, 100_000)),
                unit: self.unit.clone(),
                min: p.optional_number("min", &self.chart_min),
                max: p.optional_number("max", &self.chart_max),
            }),
            KindTag::Value => WidgetKind::Value(ValueConfig {
                binding: self.binding.build("binding", &mut p),
                unit: self.unit.clone(),
                decimals: p.optional_whole("decimals", &self.value_decimals, (0, 6)),
                stale_after_secs: p.whole(
                    "stale_after_secs",
                    &self.stale_after,
                    0,
                    (0, u64::from(u32::MAX)),
                ),
            }),
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

/// Whether the form shows an input (or a list) for `field` when editing a `kind`; problems
/// about other fields (a bad id given by the caller) are listed above the buttons.
pub fn widget_field_has_input(kind: KindTag, field: &str) -> bool {
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
    let fields: &[&str] = match kind {
        KindTag::Gauge => &[
            "binding.topic",
            "binding.json_path",
            "binding.scale",
            "binding.offset",
            "binding.qos",
            "unit",
            "decimals",
            "min",
            "max",
            "bands",
            "bands[].from",
            "bands[].color",
        ],
        KindTag::Switch => &[
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
        ],
        KindTag::Chart => &[
            "series",
            "series[].label",
            "series[].binding.topic",
            "series[].binding.json_path",
            "series[].binding.scale",
            "series[].color",
            "window_secs",
            "max_points",
            "unit",
            "min",
            "max",
        ],
        KindTag::Value => &[
            "binding.topic",
            "binding.json_path",
            "binding.scale",
            "binding.offset",
            "binding.qos",
            "unit",
            "decimals",
            "stale_after_secs",
        ],
    };
    general == "title" || general == "type" || fields.contains(&general.as_str())
}

/// `60` → `1 min`, `3600` → `1 h`: the same in Spanish and English.
pub fn window_label(secs: u32) -> String {
    if secs >= 3_600 && secs.is_multiple_of(3_600) {
        format!("{} h", secs / 3_600)
    } else if secs >= 60 && secs.is_multiple_of(60) {
        format!("{} min", secs / 60)
    } else {
        format!("{secs} s")
    }
}

/// A colour as `<input type="color">` needs it (`#rrggbb`); `#abc` becomes `#aabbcc`.
pub fn color_for_input(color: &str) -> String {
    let hex = color.strip_prefix('#').unwrap_or("");
    if hex.len() == 3 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        hex.to_ascii_lowercase()
            .chars()
            .fold(String::from("#"), |mut s, c| {
                s.push(c);
                s.push(c);
                s
            })
    } else if hex.len() == 6 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        color.to_ascii_lowercase()
    } else {
        "#000000".into()
    }
}

// ---------------------------------------------------------------------------------------
// Views.

type Draft = RwSignal<WidgetDraft>;

/// A field path that follows the draft (rows renumber when one is removed).
fn path(draft: Draft, f: impl Fn(&WidgetDraft) -> String + Send + Sync + 'static) -> FieldName {
    Arc::new(move || draft.with(|d| f(d)))
}

/// A text input bound to one `String` of the draft.
// A field's whole description in one call reads better at the many call sites than a struct.
#[allow(clippy::too_many_arguments)]
fn draft_input(
    ctx: FormCtx,
    draft: Draft,
    field: FieldName,
    label: Text,
    hint: Option<Text>,
    kind: InputKind,
    get: impl Fn(&WidgetDraft) -> String + Send + Sync + 'static,
    set: impl Fn(&mut WidgetDraft, String) + Send + Sync + 'static,
) -> impl IntoView {
    input_field(
        ctx,
        field,
        label,
        hint,
        kind,
        move || draft.with(|d| get(d)),
        move |v| draft.update(|d| set(d, v)),
    )
}

fn binding_fields(ctx: FormCtx, draft: Draft, at: BindingAt, full: bool) -> impl IntoView {
    let leaf =
        move |name: &'static str| path(draft, move |d| format!("{}.{name}", d.binding_path(at)));
    let get = move |f: fn(&BindingDraft) -> &String| {
        move |d: &WidgetDraft| d.binding(at).map(|b| f(b).clone()).unwrap_or_default()
    };
    let set = move |f: fn(&mut BindingDraft) -> &mut String| {
        move |d: &mut WidgetDraft, v: String| {
            if let Some(b) = d.binding_mut(at) {
                *f(b) = v;
            }
        }
    };
    let topic = draft_input(
        ctx,
        draft,
        leaf("topic"),
        Text::Topic,
        Some(Text::EdTopicHint),
        InputKind::Text,
        get(|b| &b.topic),
        set(|b| &mut b.topic),
    );
    let json_path = draft_input(
        ctx,
        draft,
        leaf("json_path"),
        Text::EdJsonPath,
        Some(Text::EdJsonPathHint),
        InputKind::Text,
        get(|b| &b.json_path),
        set(|b| &mut b.json_path),
    );
    let scale = draft_input(
        ctx,
        draft,
        leaf("scale"),
        Text::EdScale,
        None,
        InputKind::Decimal,
        get(|b| &b.scale),
        set(|b| &mut b.scale),
    );
    let extra = full.then(|| {
        let offset = draft_input(
            ctx,
            draft,
            leaf("offset"),
            Text::EdOffset,
            None,
            InputKind::Decimal,
            get(|b| &b.offset),
            set(|b| &mut b.offset),
        );
        let qos = qos_field(
            ctx,
            "binding.qos",
            move || draft.with(|d| d.binding(at).map(|b| b.qos).unwrap_or(Qos::AtMostOnce)),
            move |q| {
                draft.update(|d| {
                    if let Some(b) = d.binding_mut(at) {
                        b.qos = q;
                    }
                })
            },
        );
        view! {
            {offset}
            <p class="hint">{ctx.t(Text::EdTransformHint)}</p>
            {qos}
        }
    });
    view! {
        {topic}
        {json_path}
        <div class="pair">{scale}{extra}</div>
    }
}

fn unit_field(ctx: FormCtx, draft: Draft) -> impl IntoView {
    draft_input(
        ctx,
        draft,
        fixed("unit"),
        Text::EdUnit,
        None,
        InputKind::Text,
        |d| d.unit.clone(),
        |d, v| d.unit = v,
    )
}

fn band_row(ctx: FormCtx, draft: Draft, key: u32) -> impl IntoView {
    let band = move |d: &WidgetDraft| d.bands.iter().find(|b| b.key == key).cloned();
    let number = move || {
        let i = draft.with(|d| d.bands.iter().position(|b| b.key == key).unwrap_or(0));
        fill(t(ctx.lang.get(), Text::EdBandN), &[&(i + 1).to_string()])
    };
    let from = draft_input(
        ctx,
        draft,
        path(draft, move |d| format!("{}.from", d.band_path(key))),
        Text::EdBandFrom,
        None,
        InputKind::Decimal,
        move |d| band(d).map(|b| b.from).unwrap_or_default(),
        move |d, v| {
            if let Some(b) = d.bands.iter_mut().find(|b| b.key == key) {
                b.from = v;
            }
        },
    );
    let color = draft_input(
        ctx,
        draft,
        path(draft, move |d| format!("{}.color", d.band_path(key))),
        Text::EdColor,
        None,
        InputKind::Color,
        move |d| {
            band(d)
                .map(|b| color_for_input(&b.color))
                .unwrap_or_default()
        },
        move |d, v| {
            if let Some(b) = d.bands.iter_mut().find(|b| b.key == key) {
                b.color = v;
            }
        },
    );
    view! {
        <fieldset class="row band-row">
            <legend>{number}</legend>
            <div class="pair">{from}{color}</div>
            <button
                type="button"
                class="remove"
                on:click=move |_| draft.update(|d| d.bands.retain(|b| b.key != key))
            >
                {ctx.t(Text::EdRemove)}
            </button>
        </fieldset>
    }
}

fn series_row(ctx: FormCtx, draft: Draft, key: u32) -> impl IntoView {
    let series = move |d: &WidgetDraft| d.series.iter().find(|s| s.key == key).cloned();
    let number = move || {
        let i = draft.with(|d| d.series.iter().position(|s| s.key == key).unwrap_or(0));
        fill(t(ctx.lang.get(), Text::EdSeriesN), &[&(i + 1).to_string()])
    };
    let label = draft_input(
        ctx,
        draft,
        path(draft, move |d| format!("{}.label", d.series_path(key))),
        Text::EdSeriesLabel,
        None,
        InputKind::Text,
        move |d| series(d).map(|s| s.label).unwrap_or_default(),
        move |d, v| {
            if let Some(s) = d.series.iter_mut().find(|s| s.key == key) {
                s.label = v;
            }
        },
    );
    let color = draft_input(
        ctx,
        draft,
        path(draft, move |d| format!("{}.color", d.series_path(key))),
        Text::EdColor,
        None,
        InputKind::Color,
        move |d| {
            series(d)
                .map(|s| color_for_input(&s.color))
                .unwrap_or_default()
        },
        move |d, v| {
            if let Some(s) = d.series.iter_mut().find(|s| s.key == key) {
                s.color = v;
            }
        },
    );
    view! {
        <fieldset class="row series-row">
            <legend>{number}</legend>
            {label}
            {binding_fields(ctx, draft, BindingAt::Series(key), false)}
            {color}
            <button
                type="button"
                class="remove"
                disabled=move || draft.with(|d| d.series.len() <= 1)
                on:click=move |_| draft.update(|d| d.series.retain(|s| s.key != key))
            >
                {ctx.t(Text::EdRemove)}
            </button>
        </fieldset>
    }
}

fn gauge_fields(ctx: FormCtx, draft: Draft) -> impl IntoView {
    let band_keys =
        Memo::new(move |_| draft.with(|d| d.bands.iter().map(|b| b.key).collect::<Vec<_>>()));
    view! {
        {binding_fields(ctx, draft, BindingAt::Main, true)}
        {unit_field(ctx, draft)}
        <div class="pair">
            {draft_input(ctx, draft, fixed("min"), Text::EdMin, None, InputKind::Decimal,
                |d| d.min.clone(), |d, v| d.min = v)}
            {draft_input(ctx, draft, fixed("max"), Text::EdMax, None, InputKind::Decimal,
                |d| d.max.clone(), |d, v| d.max = v)}
        </div>
        {draft_input(ctx, draft, fixed("decimals"), Text::EdDecimals, None, InputKind::Whole,
            |d| d.gauge_decimals.clone(), |d, v| d.gauge_decimals = v)}
        <fieldset class="rows bands">
            <legend>{ctx.t(Text::EdBands)}</legend>
            <p class="hint">{ctx.t(Text::EdBandsHint)}</p>
            <For
                each=move || band_keys.get()
                key=|k| *k
                children=move |key| band_row(ctx, draft, key)
            />
            {field_errors(ctx, fixed("bands"))}
            <button
                type="button"
                class="add add-band"
                disabled=move || band_keys.with(|k| k.len() >= MAX_BANDS)
                on:click=move |_| draft.update(WidgetDraft::add_band)
            >
                {ctx.t(Text::EdAddBand)}
            </button>
        </fieldset>
    }
}

fn switch_fields(ctx: FormCtx, draft: Draft) -> impl IntoView {
    let retain = Memo::new(move |_| draft.with(|d| d.retain));
    view! {
        {draft_input(ctx, draft, fixed("command_topic"), Text::EdCommandTopic,
            Some(Text::EdCommandTopicHint), InputKind::Text,
            |d| d.command_topic.clone(), |d, v| d.command_topic = v)}
        <div class="pair">
            {draft_input(ctx, draft, fixed("on_payload"), Text::EdOnPayload, None, InputKind::Text,
                |d| d.on_payload.clone(), |d, v| d.on_payload = v)}
            {draft_input(ctx, draft, fixed("off_payload"), Text::EdOffPayload, None, InputKind::Text,
                |d| d.off_payload.clone(), |d, v| d.off_payload = v)}
        </div>
        {draft_input(ctx, draft, fixed("state_topic"), Text::EdStateTopic,
            Some(Text::EdStateTopicHint), InputKind::Text,
            |d| d.state_topic.clone(), |d, v| d.state_topic = v)}
        <div class="pair">
            {draft_input(ctx, draft, fixed("state_on"), Text::EdStateOn, None, InputKind::Text,
                |d| d.state_on.clone(), |d, v| d.state_on = v)}
            {draft_input(ctx, draft, fixed("state_off"), Text::EdStateOff, None, InputKind::Text,
                |d| d.state_off.clone(), |d, v| d.state_off = v)}
        </div>
        {draft_input(ctx, draft, fixed("json_path"), Text::EdJsonPath,
            Some(Text::EdStateJsonPathHint), InputKind::Text,
            |d| d.switch_json_path.clone(), |d, v| d.switch_json_path = v)}
        {qos_field(ctx, "qos", move || draft.with(|d| d.switch_qos),
            move |q| draft.update(|d| d.switch_qos = q))}
        {checkbox_field(ctx, "retain", Text::EdRetain, move || retain.get(),
            move |v| draft.update(|d| d.retain = v))}
        {move || retain.get().then(|| view! {
            <p class="warning retain-warning" role="alert">{ctx.t(Text::EdRetainWarning)}</p>
        })}
        {draft_input(ctx, draft, fixed("confirm_timeout_ms"), Text::EdConfirmTimeout,
            Some(Text::EdConfirmTimeoutHint), InputKind::Whole,
            |d| d.confirm_timeout.clone(), |d, v| d.confirm_timeout = v)}
    }
}

fn chart_fields(ctx: FormCtx, draft: Draft) -> impl IntoView {
    let series_keys =
        Memo::new(move |_| draft.with(|d| d.series.iter().map(|s| s.key).collect::<Vec<_>>()));
    // The current window is offered even when it is not one of the usual ones.
    let mut windows = WINDOWS.to_vec();
    let current = draft.with_untracked(|d| d.window_secs);
    if !windows.contains(&current) {
        windows.push(current);
        windows.sort_unstable();
    }
    let window_options = windows
        .into_iter()
        .map(|s| (s.to_string(), OptionLabel::Lit(window_label(s))))
        .collect();
    view! {
        <fieldset class="rows series">
            <legend>{ctx.t(Text::EdSeries)}</legend>
            <For
                each=move || series_keys.get()
                key=|k| *k
                children=move |key| series_row(ctx, draft, key)
            />
            {field_errors(ctx, fixed("series"))}
            <button
                type="button"
                class="add add-series"
                disabled=move || series_keys.with(|k| k.len() >= MAX_SERIES)
                on:click=move |_| draft.update(WidgetDraft::add_series)
            >
                {ctx.t(Text::EdAddSeries)}
            </button>
        </fieldset>
        {select_field(ctx, "window_secs", Text::EdWindow, window_options,
            move || draft.with(|d| d.window_secs.to_string()),
            move |v| {
                if let Ok(secs) = v.parse() {
                    draft.update(|d| d.window_secs = secs);
                }
            })}
        {draft_input(ctx, draft, fixed("max_points"), Text::EdMaxPoints,
            Some(Text::EdMaxPointsHint), InputKind::Whole,
            |d| d.max_points.clone(), |d, v| d.max_points = v)}
        {unit_field(ctx, draft)}
        <p class="hint">{ctx.t(Text::EdChartRangeHint)}</p>
        <div class="pair">
            {draft_input(ctx, draft, fixed("min"), Text::EdMin, None, InputKind::Decimal,
                |d| d.chart_min.clone(), |d, v| d.chart_min = v)}
            {draft_input(ctx, draft, fixed("max"), Text::EdMax, None, InputKind::Decimal,
                |d| d.chart_max.clone(), |d, v| d.chart_max = v)}
        </div>
    }
}

fn value_fields(ctx: FormCtx, draft: Draft) -> impl IntoView {
    view! {
        {binding_fields(ctx, draft, BindingAt::Main, true)}
        {unit_field(ctx, draft)}
        {draft_input(ctx, draft, fixed("decimals"), Text::EdDecimals,
            Some(Text::EdDecimalsTextHint), InputKind::Whole,
            |d| d.value_decimals.clone(), |d, v| d.value_decimals = v)}
        {draft_input(ctx, draft, fixed("stale_after_secs"), Text::EdStaleAfter,
            Some(Text::EdStaleAfterHint), InputKind::Whole,
            |d| d.stale_after.clone(), |d, v| d.stale_after = v)}
    }
}

/// The form to add or edit a widget. `on_save` receives a widget that passes
/// [`widget_problems`]; Save stays disabled until it does.
#[component]
pub fn WidgetEditor(
    initial: Widget,
    on_save: Callback<Widget>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let draft: Draft = RwSignal::new(WidgetDraft::new(&initial));
    let problems = Memo::new(move |_| draft.with(|d| d.build().1));
    let ctx = FormCtx::new("we", current_lang(), problems);
    let kind = Memo::new(move |_| draft.with(|d| d.kind));

    let save = move || {
        let (widget, found) = draft.with_untracked(WidgetDraft::build);
        if found.is_empty() {
            on_save.run(widget);
        }
    };
    let kind_options = KindTag::ALL
        .into_iter()
        .map(|k| (k.as_str().to_owned(), OptionLabel::T(k.label())))
        .collect();
    let type_select = select_field(
        ctx,
        "type",
        Text::EdWidgetType,
        kind_options,
        move || kind.get().as_str().to_owned(),
        move |v| {
            if let Some(k) = KindTag::parse(&v) {
                draft.update(|d| d.set_kind(k));
            }
        },
    );
    let title = draft_input(
        ctx,
        draft,
        fixed("title"),
        Text::EdTitle,
        None,
        InputKind::Text,
        |d| d.title.clone(),
        |d, v| d.title = v,
    );
    let fields = move || match kind.get() {
        KindTag::Gauge => gauge_fields(ctx, draft).into_any(),
        KindTag::Switch => switch_fields(ctx, draft).into_any(),
        KindTag::Chart => chart_fields(ctx, draft).into_any(),
        KindTag::Value => value_fields(ctx, draft).into_any(),
    };
    view! {
        <form
            class="editor widget-editor"
            novalidate
            on:submit=move |ev| {
                ev.prevent_default();
                save();
            }
        >
            {type_select}
            {title}
            {fields}
            {form_actions(
                ctx,
                move |field| !widget_field_has_input(kind.get_untracked(), field),
                move || on_cancel.run(()),
            )}
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set_topic(w: &mut Widget, topic: &str) {
        match &mut w.kind {
            WidgetKind::Gauge(g) => g.binding.topic = topic.into(),
            WidgetKind::Value(v) => v.binding.topic = topic.into(),
            WidgetKind::Switch(s) => s.command_topic = topic.into(),
            WidgetKind::Chart(c) => {
                for s in &mut c.series {
                    s.binding.topic = topic.into();
                }
            }
        }
    }

    #[test]
    fn every_stub_is_valid_once_it_has_a_topic() {
        for tag in ["gauge", "switch", "chart", "value"] {
            for lang in [Lang::Es, Lang::En] {
                let mut w = new_widget_stub_in(tag, format!("w-{tag}"), lang);
                assert_eq!(KindTag::of(&w.kind).as_str(), tag);
                assert!(!widget_problems(&w).is_empty(), "{tag}: no topic yet");
                set_topic(&mut w, "casa/salon/temp");
                assert_eq!(widget_problems(&w), vec![], "{tag} ({lang:?})");
                // The draft of a valid widget builds that same widget, without problems.
                let (built, found) = WidgetDraft::new(&w).build();
                assert_eq!(found, vec![], "{tag}");
                assert_eq!(built, w, "{tag}");
            }
        }
    }

    #[test]
    fn stubs_have_the_documented_defaults() {
        let id = || "x".to_string();
        match new_widget_stub("gauge", id()).kind {
            WidgetKind::Gauge(g) => assert_eq!((g.min, g.max), (0.0, 100.0)),
            k => panic!("{k:?}"),
        }
        match new_widget_stub("switch", id()).kind {
            WidgetKind::Switch(s) => {
                assert_eq!(
                    (s.on_payload.as_str(), s.off_payload.as_str()),
                    ("on", "off")
                );
                assert_eq!(s.confirm_timeout_ms, 5_000);
                assert!(!s.retain, "commands are not retained by default");
            }
            k => panic!("{k:?}"),
        }
        match new_widget_stub("chart", id()).kind {
            WidgetKind::Chart(c) => {
                assert_eq!((c.window_secs, c.max_points), (300, 2_000));
                assert_eq!(c.series.len(), 1);
            }
            k => panic!("{k:?}"),
        }
        assert!(matches!(
            new_widget_stub("value", id()).kind,
            WidgetKind::Value(_)
        ));
        assert!(matches!(
            new_widget_stub("nonsense", id()).kind,
            WidgetKind::Gauge(_)
        ));
        assert_eq!(new_widget_stub("switch", id()).title, "Interruptor");
        assert_eq!(new_widget_stub_in("switch", id(), Lang::En).title, "Switch");
    }

    #[test]
    fn changing_the_type_keeps_title_and_topic() {
        let mut w = new_widget_stub("gauge", "w1".into());
        w.title = "Salón".into();
        set_topic(&mut w, "casa/salon");
        let mut d = WidgetDraft::new(&w);
        for tag in [
            KindTag::Switch,
            KindTag::Chart,
            KindTag::Value,
            KindTag::Gauge,
            KindTag::Chart,
            KindTag::Switch,
        ] {
            d.set_kind(tag);
            let (built, found) = d.build();
            assert_eq!(KindTag::of(&built.kind), tag);
            assert_eq!(built.title, "Salón");
            assert_eq!(d.topic(), "casa/salon", "{tag:?}");
            assert_eq!(found, vec![], "{tag:?}");
        }
    }

    #[test]
    fn a_chart_without_series_gets_one_for_the_topic() {
        let mut w = new_widget_stub("value", "w1".into());
        set_topic(&mut w, "a/b");
        let mut d = WidgetDraft::new(&w);
        d.series.clear();
        d.set_kind(KindTag::Chart);
        assert_eq!(d.series.len(), 1);
        assert_eq!(d.series[0].binding.topic, "a/b");
    }

    #[test]
    fn unreadable_numbers_are_problems_not_zeroes() {
        let mut w = new_widget_stub("gauge", "g".into());
        set_topic(&mut w, "t");
        let mut d = WidgetDraft::new(&w);
        d.min = "abc".into();
        d.max = "21,5".into();
        d.binding.scale = "".into();
        d.add_band();
        d.bands[0].from = "x".into();
        let (built, found) = d.build();
        let fields: Vec<_> = found.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["binding.scale", "min", "bands[0].from"]);
        assert!(found.iter().all(|p| p.error == FormError::NotANumber));
        match built.kind {
            WidgetKind::Gauge(g) => assert_eq!(g.max, 21.5),
            k => panic!("{k:?}"),
        }
    }

    #[test]
    fn rule_problems_name_the_inputs_field() {
        let mut d = WidgetDraft::new(&new_widget_stub("switch", "s".into()));
        d.command_topic = "casa/+/luz".into();
        d.confirm_timeout = "100".into();
        d.title = " ".into();
        let (_, found) = d.build();
        let fields: Vec<_> = found.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["title", "command_topic", "confirm_timeout_ms"]);
        d.confirm_timeout = "5.5".into();
        let (_, found) = d.build();
        assert!(found.contains(&FormProblem {
            field: "confirm_timeout_ms".into(),
            error: FormError::NotAWholeNumber {
                min: 500,
                max: 60_000
            },
        }));
    }

    #[test]
    fn rows_are_named_by_their_position() {
        let mut w = new_widget_stub("chart", "c".into());
        set_topic(&mut w, "a");
        let mut d = WidgetDraft::new(&w);
        d.add_series();
        d.add_series();
        let second = d.series[1].key;
        let third = d.series[2].key;
        assert_eq!(
            d.binding_path(BindingAt::Series(third)),
            "series[2].binding"
        );
        d.series.retain(|s| s.key != second);
        assert_eq!(
            d.binding_path(BindingAt::Series(third)),
            "series[1].binding"
        );
        let (_, found) = d.build();
        assert!(found.iter().any(|p| p.field == "series[1].binding.topic"));
        assert_ne!(d.series[0].color, d.series[1].color);
    }

    #[test]
    fn every_problem_of_a_bad_widget_has_its_input() {
        let mut d = WidgetDraft::new(&new_widget_stub("gauge", "g".into()));
        d.binding.json_path = "temp".into();
        d.min = "10".into();
        d.max = "5".into();
        d.gauge_decimals = "9".into();
        d.add_band();
        d.bands[0].color = "red".into();
        d.unit = "x".repeat(20);
        let (_, found) = d.build();
        assert!(found.len() >= 5, "{found:?}");
        for p in &found {
            assert!(
                widget_field_has_input(KindTag::Gauge, &p.field),
                "{}",
                p.field
            );
        }
        d.set_kind(KindTag::Chart);
        d.series[0].color = "nope".into();
        d.max_points = "1".into();
        d.window_secs = 10;
        let (_, found) = d.build();
        for p in &found {
            assert!(
                widget_field_has_input(KindTag::Chart, &p.field),
                "{}",
                p.field
            );
        }
        assert!(!widget_field_has_input(KindTag::Chart, "id"));
    }

    #[test]
    fn the_bad_id_is_listed_apart() {
        let mut w = new_widget_stub("value", "bad id!".into());
        set_topic(&mut w, "t");
        let (_, found) = WidgetDraft::new(&w).build();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].field, "id");
        assert!(!widget_field_has_input(KindTag::Value, "id"));
    }

    #[test]
    fn optional_fields_read_empty_as_none() {
        let mut w = new_widget_stub("value", "v".into());
        set_topic(&mut w, "t");
        let mut d = WidgetDraft::new(&w);
        d.value_decimals = "2".into();
        d.binding.json_path = "  ".into();
        let (built, found) = d.build();
        assert_eq!(found, vec![]);
        match built.kind {
            WidgetKind::Value(v) => {
                assert_eq!(v.decimals, Some(2));
                assert_eq!(v.binding.json_path, None);
            }
            k => panic!("{k:?}"),
        }
        d.set_kind(KindTag::Switch);
        d.state_topic = "casa/luz/estado".into();
        d.switch_json_path = "$.state".into();
        let (built, found) = d.build();
        assert_eq!(found, vec![]);
        match built.kind {
            WidgetKind::Switch(s) => {
                assert_eq!(s.state_topic.as_deref(), Some("casa/luz/estado"));
                assert_eq!(s.json_path.as_deref(), Some("$.state"));
            }
            k => panic!("{k:?}"),
        }
    }

    #[test]
    fn labels_and_colours_for_the_inputs() {
        assert_eq!(window_label(60), "1 min");
        assert_eq!(window_label(300), "5 min");
        assert_eq!(window_label(3_600), "1 h");
        assert_eq!(window_label(86_400), "24 h");
        assert_eq!(window_label(90), "90 s");
        assert_eq!(color_for_input("#ABC"), "#aabbcc");
        assert_eq!(color_for_input("#0B7A75"), "#0b7a75");
        assert_eq!(color_for_input("red"), "#000000");
    }
}
