//! A time chart on a `<canvas>`, drawn with the browser's 2D context: one line per series
//! over the last `window_secs`, decimated to the canvas's pixel width, redrawn at most once
//! per animation frame however fast messages arrive.
//!
//! Drawn directly rather than with plotters: plotters (line series, mesh, canvas backend and
//! the float formatting it brings) cost 42 KB gzip of the first load, more than a quarter of
//! the 150 KiB budget, for a grid, two axes and polylines (see docs/BENCHMARKS.md).
//!
//! The caller (`live`) owns each series' [`History`], so a chart that is re-rendered, or a
//! history restored after a reload, keeps its points; the chart gets one signal per series
//! (its feed) and draws what they hold.

use std::cell::Cell;
use std::rc::Rc;

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CanvasRenderingContext2d, Element, HtmlCanvasElement};

use super::binding::{BindingAt, BindingDraft, binding_fields, empty_binding, unit_field};
use super::card::{
    Attr, CardBuild, Frame, Inputs, Slot, child, keep_painted, on_click, text_child,
};
use super::{Listen, WidgetCtx, WidgetDraft};
use crate::components::form::*;
use crate::config::{MAX_POINTS, MAX_SERIES, Series};
use crate::format::{math, shortest};
use crate::live::Feed;

pub fn stub() -> ChartConfig {
    ChartConfig {
        series: vec![Series {
            label: String::new(),
            binding: empty_binding(),
            color: super::PALETTE[0].into(),
        }],
        window_secs: 300,
        max_points: 2_000,
        unit: String::new(),
        min: None,
        max: None,
    }
}

pub fn listens(c: &ChartConfig) -> Vec<Listen> {
    c.series
        .iter()
        .enumerate()
        .map(|(series, s)| Listen {
            binding: s.binding.clone(),
            series,
        })
        .collect()
}

/// One history per series, each keeping at most `max_points`.
pub fn new_feed(c: &ChartConfig) -> Feed {
    Feed::Chart(
        c.series
            .iter()
            .map(|_| ArcRwSignal::new(History::new(c.max_points as usize)))
            .collect(),
    )
}

pub fn view(
    id: String,
    title: String,
    config: ChartConfig,
    feed: &Feed,
    cx: WidgetCtx,
) -> CardBuild {
    chart_card(id, title, config, feed.histories(), cx)
}

/// The CSV download of the shown dashboard's chart `id`. Its code (finding the chart's
/// points, the rows, dates, quoting) is fetched on the first tap, not in the first load,
/// which only passes the widget's id; a file the browser would not make is a notice.
#[leptos::wasm_split::wasm_split(chart_csv, wasm_split_path = ::leptos::wasm_split, fallible)]
fn download_csv(cx: WidgetCtx, id: String) -> Result<(), leptos::wasm_split::SplitLoaderError> {
    let state = cx.state;
    let found = state.config.with_untracked(|c| {
        let active = state.active_dashboard.get_untracked();
        let d = c
            .dashboards
            .iter()
            .find(|d| d.id == active)
            .or_else(|| c.dashboards.first())?;
        let w = d.widgets.iter().find(|w| w.id == id)?;
        Some((d.id.clone(), w.clone()))
    });
    let Some((dashboard, widget)) = found else {
        return Ok(());
    };
    let WidgetKind::Chart(config) = &widget.kind else {
        return Ok(());
    };
    let feed = cx
        .runtime
        .with_value(|rt| rt.live.borrow_mut().feed(&dashboard, &widget));
    // What the chart holds now; a series with no label is named by its topic.
    let data: Vec<(String, Vec<Point>)> = config
        .series
        .iter()
        .zip(feed.histories())
        .map(|(s, h)| {
            let label = if s.label.is_empty() {
                &s.binding.topic
            } else {
                &s.label
            };
            let points = h
                .try_with_untracked(|h| h.iter().collect())
                .unwrap_or_default();
            (label.clone(), points)
        })
        .collect();
    let now = js_sys::Date::now();
    let tz = js_sys::Date::new(&JsValue::from_f64(now)).get_timezone_offset();
    let name = super::csv::file_name(&widget.title, now, tz);
    if let Err(why) = crate::storage::download(&name, "text/csv", &super::csv::chart_csv(&data)) {
        state
            .notice
            .set(Some(Notice::Error(NoticeText::ExportFailed(why))));
    }
    Ok(())
}

/// The chart time windows offered, in seconds.
pub const WINDOWS: [u32; 6] = [60, 300, 900, 3_600, 21_600, 86_400];

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

/// A series as typed; `key` is stable while the row lives.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesDraft {
    pub key: u32,
    pub label: String,
    pub binding: BindingDraft,
    pub color: String,
}

/// The chart's inputs as typed.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub series: Vec<SeriesDraft>,
    pub window_secs: u32,
    pub max_points: String,
    pub unit: String,
    /// Empty: automatic.
    pub min: String,
    pub max: String,
    next_key: u32,
}

pub const FIELDS: &[&str] = &[
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
];

impl Draft {
    pub fn new(c: &ChartConfig) -> Self {
        let mut d = Self {
            series: Vec::new(),
            window_secs: c.window_secs,
            max_points: c.max_points.to_string(),
            unit: c.unit.clone(),
            min: c.min.map(shortest).unwrap_or_default(),
            max: c.max.map(shortest).unwrap_or_default(),
            next_key: 0,
        };
        for s in &c.series {
            d.next_key += 1;
            d.series.push(SeriesDraft {
                key: d.next_key,
                label: s.label.clone(),
                binding: BindingDraft::new(&s.binding),
                color: s.color.clone(),
            });
        }
        d
    }

    pub fn add_series(&mut self) {
        let color = super::PALETTE[self.series.len() % super::PALETTE.len()].to_owned();
        self.next_key += 1;
        self.series.push(SeriesDraft {
            key: self.next_key,
            label: String::new(),
            binding: BindingDraft::new(&empty_binding()),
            color,
        });
    }

    pub fn topic(&self) -> String {
        self.series
            .first()
            .map(|s| s.binding.topic.clone())
            .unwrap_or_default()
    }

    /// The first series takes the topic (one is added if there is none).
    pub fn set_topic(&mut self, topic: String) {
        if self.series.is_empty() {
            self.add_series();
        }
        self.series[0].binding.topic = topic;
    }

    /// `series[i]`, by the row's position now.
    pub fn series_path(&self, key: u32) -> String {
        format!("series[{}]", row_index(&self.series, key))
    }

    pub fn build(&self, p: &mut Parser) -> ChartConfig {
        ChartConfig {
            series: self
                .series
                .iter()
                .enumerate()
                .map(|(i, s)| Series {
                    label: s.label.clone(),
                    binding: s.binding.build(&format!("series[{i}].binding"), p),
                    color: s.color.clone(),
                })
                .collect(),
            window_secs: self.window_secs,
            max_points: p.whole("max_points", &self.max_points, 2_000, MAX_POINTS),
            unit: self.unit.clone(),
            min: p.optional_number("min", &self.min),
            max: p.optional_number("max", &self.max),
        }
    }
}

impl Keyed for SeriesDraft {
    fn key(&self) -> u32 {
        self.key
    }
}

fn series(d: &WidgetDraft, key: u32) -> Option<&SeriesDraft> {
    row(&d.chart.series, key)
}

fn series_mut(d: &mut WidgetDraft, key: u32) -> Option<&mut SeriesDraft> {
    row_mut(&mut d.chart.series, key)
}

fn series_row(ctx: FormCtx, draft: RwSignal<WidgetDraft>, key: u32) -> AnyView {
    let path = move |leaf: &'static str| {
        Signal::derive(move || draft.with(|d| format!("{}.{leaf}", d.chart.series_path(key))))
    };
    let at = BindingAt {
        path: path("binding"),
        draft,
        key,
        get: |d, k| series(d, k).map(|s| &s.binding),
        get_mut: |d, k| series_mut(d, k).map(|s| &mut s.binding),
    };
    view! {
        <RowFrame
            ctx
            class="series-row"
            number=EdText::EdSeriesN
            index=Signal::derive(move || draft.with(|d| row_index(&d.chart.series, key)))
            can_remove=Signal::derive(move || draft.with(|d| d.chart.series.len() > 1))
            on_remove=Callback::new(move |_| draft.update(|d| d.chart.series.retain(|s| s.key != key)))
        >
            <TextField ctx field=path("label") label=EdText::EdSeriesLabel
                bind=bind_row(draft, key, |d, k| series(d, k).map(|s| &s.label), |d, k| series_mut(d, k).map(|s| &mut s.label)) />
            {binding_fields(ctx, at, false)}
            <TextField ctx field=path("color") label=EdText::EdColor kind=InputKind::Color
                bind=bind_row(draft, key, |d, k| series(d, k).map(|s| &s.color), |d, k| series_mut(d, k).map(|s| &mut s.color)) />
        </RowFrame>
    }
    .into_any()
}

pub fn editor(ctx: FormCtx, draft: RwSignal<WidgetDraft>) -> AnyView {
    let keys =
        Signal::derive(move || draft.with(|d| d.chart.series.iter().map(|s| s.key).collect()));
    // The current window is offered even when it is not one of the usual ones.
    let mut windows = WINDOWS.to_vec();
    let current = draft.with_untracked(|d| d.chart.window_secs);
    if !windows.contains(&current) {
        // Inserted in order by hand: a slice sort would bring ~4 KB of sorting code.
        let at = windows
            .iter()
            .position(|w| *w > current)
            .unwrap_or(windows.len());
        windows.insert(at, current);
    }
    let window_options = windows
        .into_iter()
        .map(|s| (s.to_string(), OptionLabel::Lit(window_label(s))))
        .collect::<Vec<_>>();
    view! {
        <Rows
            ctx
            field="series"
            class="series"
            legend=EdText::EdSeries
            add_class="add-series"
            add_label=EdText::EdAddSeries
            keys
            max=MAX_SERIES
            on_add=Callback::new(move |_| draft.update(|d| d.chart.add_series()))
            row=Callback::new(move |key| series_row(ctx, draft, key))
        />
        <SelectField ctx field="window_secs" label=EdText::EdWindow options=window_options
            value=Signal::derive(move || draft.with(|d| d.chart.window_secs.to_string()))
            set=Callback::new(move |v: String| {
                if let Some(secs) = parse_whole(&v).and_then(|s| u32::try_from(s).ok()) {
                    draft.update(|d| d.chart.window_secs = secs);
                }
            }) />
        <TextField ctx field=fixed("max_points") label=EdText::EdMaxPoints hint=EdText::EdMaxPointsHint
            kind=InputKind::Whole bind=bind(draft, |d| &d.chart.max_points, |d| &mut d.chart.max_points) />
        {unit_field(ctx, bind(draft, |d| &d.chart.unit, |d| &mut d.chart.unit))}
        <p class="hint">{ctx.t(EdText::EdChartRangeHint)}</p>
        <div class="pair">
            <TextField ctx field=fixed("min") label=EdText::EdMin kind=InputKind::Decimal
                bind=bind(draft, |d| &d.chart.min, |d| &mut d.chart.min) />
            <TextField ctx field=fixed("max") label=EdText::EdMax kind=InputKind::Decimal
                bind=bind(draft, |d| &d.chart.max, |d| &mut d.chart.max) />
        </div>
    }
    .into_any()
}

use super::history::{History, Point};
use super::parse_hex_color;
use crate::config::ChartConfig;
use crate::config::WidgetKind;
use crate::format::fixed as format_number;
use crate::i18n::{CardText, EdText, Lang, tcard};
use crate::state::{Notice, NoticeText};

/// Colours for series whose configured colour is unusable (the configuration validates them,
/// so this is a fallback only).
const PALETTE: [(u8, u8, u8); 4] = [
    (11, 122, 117),
    (209, 73, 91),
    (237, 174, 73),
    (106, 76, 147),
];
/// Axis and label colour when the page's text colour cannot be read.
const FALLBACK_FG: (u8, u8, u8) = (91, 100, 112);

/// The y range: the configured bounds where given, otherwise the data's with a margin; never
/// empty. With no data at all, 0..1.
pub fn y_range(data: Option<(f64, f64)>, cfg_min: Option<f64>, cfg_max: Option<f64>) -> (f64, f64) {
    let cfg_min = cfg_min.filter(|v| v.is_finite());
    let cfg_max = cfg_max.filter(|v| v.is_finite());
    if let (Some(lo), Some(hi)) = (cfg_min, cfg_max)
        && lo < hi
    {
        return (lo, hi);
    }
    let (lo, hi) = data.unwrap_or((0.0, 1.0));
    let span = hi - lo;
    let pad = if span > 0.0 {
        span * 0.08
    } else {
        (lo.abs() * 0.1).max(1.0)
    };
    let y0 = cfg_min.unwrap_or(lo - pad);
    let y1 = cfg_max.unwrap_or(hi + pad);
    if y0 < y1 {
        (y0, y1)
    } else if cfg_min.is_some() {
        (y0, y0 + pad.max(1.0))
    } else {
        (y1 - pad.max(1.0), y1)
    }
}

/// Decimals for axis labels: enough to tell five steps of `span` apart.
pub fn axis_decimals(span: f64) -> u8 {
    let step = span / 5.0;
    if !step.is_finite() || step <= 0.0 || step >= 1.0 {
        0
    } else {
        // Small positive number: a few decimals, capped as the configuration caps them.
        (-math::log10(step)).ceil().clamp(0.0, 6.0) as u8
    }
}

/// A local clock time for an axis label: `HH:MM`, or `HH:MM:SS` when `with_seconds`.
/// `tz_offset_min` is JavaScript's `getTimezoneOffset()` (UTC minus local, in minutes).
pub fn format_clock(t_ms: f64, tz_offset_min: f64, with_seconds: bool) -> String {
    let local_s = ((t_ms - tz_offset_min * 60_000.0) / 1000.0).floor();
    // Seconds into the local day: always 0..86 400, so the casts below cannot truncate.
    let day_s = local_s.rem_euclid(86_400.0) as u32;
    let (h, m, s) = (day_s / 3600, day_s / 60 % 60, day_s % 60);
    if with_seconds {
        format!("{h:02}:{m:02}:{s:02}")
    } else {
        format!("{h:02}:{m:02}")
    }
}

/// `rgb(r, g, b)` or `rgba(r, g, b, a)` as computed styles give it.
pub fn parse_css_rgb(css: &str) -> Option<(u8, u8, u8)> {
    let inner = css
        .trim()
        .strip_prefix("rgba(")
        .or_else(|| css.trim().strip_prefix("rgb("))?
        .strip_suffix(')')?;
    let mut parts = inner.split([',', ' ', '/']).filter(|p| !p.is_empty());
    let mut next = || crate::format::parse_f64(parts.next()?.trim());
    let (r, g, b) = (next()?, next()?, next()?);
    // Clamped to a byte first: the casts are exact.
    let byte = |v: f64| v.round().clamp(0.0, 255.0) as u8;
    Some((byte(r), byte(g), byte(b)))
}

/// Round steps for axis ticks: 1, 2 or 5 times a power of ten, about `span / count` each.
pub fn nice_step(span: f64, count: u32) -> f64 {
    let raw = span / f64::from(count.max(1));
    if !raw.is_finite() || raw <= 0.0 {
        return 1.0;
    }
    let magnitude = math::pow(10.0, math::log10(raw).floor());
    let fraction = raw / magnitude;
    let nice = if fraction <= 1.0 {
        1.0
    } else if fraction <= 2.0 {
        2.0
    } else if fraction <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * magnitude
}

/// The tick values of `lo..=hi` at multiples of `step`.
pub fn ticks(lo: f64, hi: f64, step: f64) -> Vec<f64> {
    let mut out = Vec::new();
    if !(step > 0.0 && lo.is_finite() && hi.is_finite()) {
        return out;
    }
    let mut v = (lo / step).ceil() * step;
    while v <= hi + step * 1e-9 && out.len() < 50 {
        out.push(v);
        v += step;
    }
    out
}

fn rgb((r, g, b): (u8, u8, u8)) -> String {
    format!("rgb({r},{g},{b})")
}

/// `rgb` with an alpha written as a literal (no float formatting needed).
fn rgba((r, g, b): (u8, u8, u8), alpha: &str) -> String {
    format!("rgba({r},{g},{b},{alpha})")
}

/// Everything a redraw needs that does not change while the chart lives.
struct Spec {
    canvas: HtmlCanvasElement,
    series: Vec<Signal<History>>,
    colors: Vec<String>,
    unit: String,
    min: Option<f64>,
    max: Option<f64>,
    window_ms: f64,
    now_ms: Signal<f64>,
}

impl Spec {
    /// Draws the chart now. `None` when there is nothing to draw on (not laid out yet, or
    /// the widget is gone) or the canvas refused; the next change tries again.
    fn draw(&self) -> Option<()> {
        let canvas = &self.canvas;
        let (css_w, css_h) = (canvas.client_width(), canvas.client_height());
        if css_w <= 0 || css_h <= 0 {
            return None;
        }
        let window = web_sys::window()?;
        let dpr = window.device_pixel_ratio().clamp(1.0, 4.0);
        // Canvas pixels: the sizes are small positive numbers.
        let (w, h) = (f64::from(css_w) * dpr, f64::from(css_h) * dpr);
        // Setting the size also clears the canvas.
        canvas.set_width(w.round() as u32);
        canvas.set_height(h.round() as u32);

        let now = self.now_ms.try_get_untracked()?;
        let t0 = now - self.window_ms;
        let data: Vec<Vec<Point>> = self
            .series
            .iter()
            .map(|s| {
                s.try_with_untracked(|h| {
                    h.points_in_window(now, self.window_ms).decimate(w as usize)
                })
                .unwrap_or_default()
            })
            .collect();
        let extent = data
            .iter()
            .flatten()
            .fold(None, |acc: Option<(f64, f64)>, p| {
                Some(acc.map_or((p.1, p.1), |(lo, hi)| (lo.min(p.1), hi.max(p.1))))
            });
        let (y0, y1) = y_range(extent, self.min, self.max);
        let decimals = axis_decimals(y1 - y0);

        let fg = window
            .get_computed_style(canvas)
            .ok()
            .flatten()
            .and_then(|style| style.get_property_value("color").ok())
            .and_then(|c| parse_css_rgb(&c))
            .unwrap_or(FALLBACK_FG);
        let tz = js_sys::Date::new(&JsValue::from_f64(now)).get_timezone_offset();
        let with_seconds = self.window_ms <= 600_000.0;
        let ctx: CanvasRenderingContext2d = canvas.get_context("2d").ok()??.dyn_into().ok()?;

        // The plot area, in canvas pixels.
        let y_label_width = if self.unit.is_empty() { 44.0 } else { 60.0 };
        let left = (4.0 + y_label_width) * dpr;
        let right = w - if with_seconds { 28.0 } else { 20.0 } * dpr;
        let top = 8.0 * dpr;
        let bottom = h - (4.0 + 22.0) * dpr;
        if right <= left || bottom <= top {
            return None;
        }
        let x_of = |t: f64| left + (t - t0) / self.window_ms * (right - left);
        // `max`/`min`, not `clamp`: `f64::clamp` asserts its bounds, and that assertion's
        // message alone brings Rust's float formatting into the bundle.
        let y_of = |v: f64| bottom - (v.max(y0).min(y1) - y0) / (y1 - y0) * (bottom - top);

        ctx.set_font(&format!("{}px sans-serif", (12.0 * dpr).round() as u32));
        ctx.set_fill_style_str(&rgb(fg));
        ctx.set_line_width(dpr.round().max(1.0));

        // Horizontal grid lines with their values.
        let y_ticks = ticks(y0, y1, nice_step(y1 - y0, 5));
        ctx.set_stroke_style_str(&rgba(fg, "0.15"));
        ctx.set_text_align("right");
        ctx.set_text_baseline("middle");
        ctx.begin_path();
        for &v in &y_ticks {
            let y = y_of(v).round();
            ctx.move_to(left, y);
            ctx.line_to(right, y);
            let _ = ctx.fill_text(&format_number(v, decimals), left - 6.0 * dpr, y);
        }
        ctx.stroke();

        // Time labels, evenly over the window.
        let labels = if css_w < 420 { 3 } else { 5 };
        ctx.set_text_align("center");
        ctx.set_text_baseline("top");
        for i in 0..labels {
            let t = t0 + self.window_ms * f64::from(i) / f64::from(labels - 1);
            let _ = ctx.fill_text(
                &format_clock(t, tz, with_seconds),
                x_of(t),
                bottom + 6.0 * dpr,
            );
        }

        // The axes.
        ctx.set_stroke_style_str(&rgba(fg, "0.6"));
        ctx.begin_path();
        ctx.move_to(left, top);
        ctx.line_to(left, bottom);
        ctx.line_to(right, bottom);
        ctx.stroke();

        // The unit, along the y axis.
        if !self.unit.is_empty() {
            ctx.save();
            let _ = ctx.translate(8.0 * dpr, (top + bottom) / 2.0);
            let _ = ctx.rotate(-core::f64::consts::FRAC_PI_2);
            ctx.set_text_baseline("top");
            let _ = ctx.fill_text(&self.unit, 0.0, 0.0);
            ctx.restore();
        }

        // The lines, clipped to the plot area, and the newest point of each as a dot:
        // visible even when it is the only one.
        ctx.save();
        ctx.begin_path();
        ctx.rect(left, top, right - left, bottom - top);
        ctx.clip();
        ctx.set_line_width((2.0 * dpr).round().max(1.0));
        ctx.set_line_join("round");
        for (points, color) in data.iter().zip(&self.colors) {
            ctx.set_stroke_style_str(color);
            ctx.set_fill_style_str(color);
            ctx.begin_path();
            for (i, &(t, v)) in points.iter().enumerate() {
                if i == 0 {
                    ctx.move_to(x_of(t), y_of(v));
                } else {
                    ctx.line_to(x_of(t), y_of(v));
                }
            }
            ctx.stroke();
            if let Some(&(t, v)) = points.last() {
                ctx.begin_path();
                let _ = ctx.arc(x_of(t), y_of(v), 3.5 * dpr, 0.0, core::f64::consts::TAU);
                ctx.fill();
            }
        }
        ctx.restore();
        Some(())
    }
}

/// The chart's retained card: the canvas (redrawn at most once per animation frame after
/// any change), the point count and the empty line (rewritten only when they change), the
/// legend, and the CSV button (its download is a split point).
fn chart_card(
    id: String,
    title: String,
    config: ChartConfig,
    series: Vec<Signal<History>>,
    cx: WidgetCtx,
) -> CardBuild {
    let inputs = Inputs::new(&cx);
    let now_ms = cx.now_ms;
    let window_ms = f64::from(config.window_secs) * 1000.0;
    let series: Vec<Signal<History>> = series.into_iter().take(config.series.len()).collect();
    Box::new(move |root: &Element| {
        let frame = Frame::new(root, super::Kind::Chart, &id, &title);
        let area = child(root, "div", "chart-area");
        let canvas: HtmlCanvasElement = child(&area, "canvas", "chart-canvas").unchecked_into();
        let _ = canvas.set_attribute("role", "img");
        let empty = Slot::new(&area, "p", "widget-muted chart-empty");
        let foot = child(root, "div", "chart-foot");
        if config.series.len() > 1 {
            let legend = child(&foot, "ul", "chart-legend");
            for (i, s) in config.series.iter().enumerate() {
                let (r, g, b) = parse_hex_color(&s.color).unwrap_or(PALETTE[i % PALETTE.len()]);
                let item = child(&legend, "li", "");
                let swatch = child(&item, "span", "chart-swatch");
                let _ = swatch
                    .set_attribute("style", &format!("background-color:#{r:02x}{g:02x}{b:02x}"));
                let _ = swatch.set_attribute("aria-hidden", "true");
                text_child(&item, &s.label);
            }
        }
        let csv = child(&foot, "button", "chart-csv");
        let _ = csv.set_attribute("type", "button");
        csv.set_text_content(Some("⤓ CSV"));
        {
            let id = id.clone();
            on_click(&csv, move || {
                let id = id.clone();
                leptos::task::spawn_local(async move {
                    if download_csv(cx, id).await.is_err() {
                        cx.state
                            .notice
                            .set(Some(Notice::Error(NoticeText::PartNotLoaded)));
                    }
                });
            });
        }

        let colors: Vec<String> = config
            .series
            .iter()
            .enumerate()
            .map(|(i, s)| rgb(parse_hex_color(&s.color).unwrap_or(PALETTE[i % PALETTE.len()])))
            .collect();
        let spec = Rc::new(Spec {
            canvas: canvas.clone(),
            series: series.clone(),
            colors,
            unit: config.unit.clone(),
            min: config.min,
            max: config.max,
            window_ms,
            now_ms,
        });

        // A resize changes the pixel width: count resizes so the drawing effect sees them.
        let resized = RwSignal::new(0u32);
        let listener = window_event_listener(leptos::ev::resize, move |_| {
            resized.try_update(|n| *n = n.wrapping_add(1));
        });
        on_cleanup(move || listener.remove());

        // Any change marks the chart dirty; one animation frame draws however many changes
        // came (the first, once the card is in the page and laid out).
        let frame_pending = Rc::new(Cell::new(false));
        let tracked = series.clone();
        Effect::new(move |_| {
            for s in &tracked {
                s.track();
            }
            now_ms.track();
            resized.track();
            if frame_pending.replace(true) {
                return;
            }
            let spec = Rc::clone(&spec);
            let frame_pending = Rc::clone(&frame_pending);
            request_animation_frame(move || {
                frame_pending.set(false);
                spec.draw();
            });
        });

        let card = ChartCard {
            frame,
            aria: Attr::new(&canvas, "aria-label"),
            points: Attr::new(&canvas, "data-points"),
            csv_label: Attr::new(&csv, "aria-label"),
            empty,
            title,
        };
        keep_painted(card, move |card| {
            let (lang, now, offline) = (inputs.lang(), inputs.now_ms(), inputs.offline());
            // How many points the chart holds, for people reading the DOM (and the tests).
            let points: usize = series.iter().map(|s| s.with(History::len)).sum();
            let has_data = series
                .iter()
                .any(|s| s.with(|h| h.points_in_window(now, window_ms).len() > 0));
            card.paint(points, has_data, lang, offline);
        });
    })
}

/// The parts of a chart's card that follow the language, the data and the connection.
struct ChartCard {
    frame: Frame,
    aria: Attr,
    points: Attr,
    csv_label: Attr,
    empty: Slot,
    title: String,
}

impl ChartCard {
    fn paint(&mut self, points: usize, has_data: bool, lang: Lang, offline: bool) {
        self.frame.classes("", offline);
        self.aria.set(Some(&format!(
            "{}: {}",
            tcard(lang, CardText::ChartLabel),
            self.title
        )));
        self.points.set(Some(&points.to_string()));
        self.csv_label.set(Some(&crate::format::fill(
            tcard(lang, CardText::ChartCsv),
            &[&self.title],
        )));
        self.empty
            .text((!has_data).then(|| tcard(lang, CardText::WaitingForData)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn y_range_from_config_or_data() {
        assert_eq!(
            y_range(Some((1.0, 2.0)), Some(0.0), Some(10.0)),
            (0.0, 10.0)
        );
        let (lo, hi) = y_range(Some((10.0, 20.0)), None, None);
        assert!(lo < 10.0 && hi > 20.0 && lo > 9.0 && hi < 21.0);
        let (lo, hi) = y_range(None, None, None);
        assert!(
            lo < 0.0 && hi > 1.0 && lo > -0.5 && hi < 1.5,
            "no data: 0..1 padded"
        );
        let (lo, hi) = y_range(Some((5.0, 5.0)), None, None);
        assert!(lo < 5.0 && hi > 5.0, "a flat line gets room");
        let (lo, hi) = y_range(Some((5.0, 8.0)), Some(0.0), None);
        assert_eq!(lo, 0.0);
        assert!(hi > 8.0);
        let (lo, hi) = y_range(Some((-5.0, -3.0)), Some(0.0), None);
        assert!(lo == 0.0 && hi > 0.0, "never empty");
        let (lo, hi) = y_range(Some((5.0, 8.0)), Some(10.0), Some(1.0));
        assert!(lo < hi, "inverted bounds fall back");
    }

    #[test]
    fn axis_decimals_follow_the_span() {
        assert_eq!(axis_decimals(100.0), 0);
        assert_eq!(axis_decimals(5.0), 0);
        assert_eq!(axis_decimals(2.0), 1);
        assert_eq!(axis_decimals(0.2), 2);
        assert_eq!(axis_decimals(0.0), 0);
        assert_eq!(axis_decimals(f64::NAN), 0);
        assert_eq!(axis_decimals(1e-12), 6);
    }

    #[test]
    fn clock_labels_are_local_time() {
        // 2024-01-01T12:34:56Z
        let t = 1_704_112_496_000.0;
        assert_eq!(format_clock(t, 0.0, true), "12:34:56");
        assert_eq!(format_clock(t, 0.0, false), "12:34");
        assert_eq!(format_clock(t, -60.0, false), "13:34", "UTC+1");
        assert_eq!(format_clock(t, 300.0, true), "07:34:56", "UTC-5");
        assert_eq!(format_clock(t, -720.0, false), "00:34", "past midnight");
        assert_eq!(
            format_clock(0.0, 60.0, false),
            "23:00",
            "before the epoch wraps"
        );
    }

    #[test]
    fn computed_colours() {
        assert_eq!(parse_css_rgb("rgb(232, 234, 237)"), Some((232, 234, 237)));
        assert_eq!(parse_css_rgb("rgba(0, 0, 0, 0.5)"), Some((0, 0, 0)));
        assert_eq!(parse_css_rgb("rgb(10 20 30 / 50%)"), Some((10, 20, 30)));
        assert_eq!(parse_css_rgb("#fff"), None);
        assert_eq!(parse_css_rgb("rgb(1, 2)"), None);
    }
}
