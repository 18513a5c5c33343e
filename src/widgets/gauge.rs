//! A radial gauge: a 240° arc track with the configured colour bands on it, a value arc,
//! min/max labels and the value in the middle. Values outside min..max are clamped on the arc
//! and marked; the text still says the true value.

use leptos::prelude::*;
use web_sys::Element;

use super::binding::{BindingAt, BindingDraft, binding_fields, empty_binding, unit_field};
use super::card::{
    Attr, CardBuild, Content, Frame, Inputs, Slot, keep_painted, svg_child, svg_element,
};
use super::{Kind, Listen, PALETTE, Sample, WidgetCtx, WidgetDraft, last_good, safe_color};
use crate::components::form::*;
use crate::config::{Band, DECIMALS, GaugeConfig, MAX_BANDS};
use crate::describe::worded;
use crate::format::{coord, fixed as format_number, math, shortest};
use crate::i18n::{CardText, EdText, Lang, tcard};
use crate::live::Feed;

pub fn stub() -> GaugeConfig {
    GaugeConfig {
        binding: empty_binding(),
        min: 0.0,
        max: 100.0,
        unit: String::new(),
        decimals: 1,
        bands: Vec::new(),
    }
}

pub fn listens(c: &GaugeConfig) -> Vec<Listen> {
    vec![Listen {
        binding: c.binding.clone(),
        series: 0,
    }]
}

pub fn view(
    id: String,
    title: String,
    config: GaugeConfig,
    feed: &Feed,
    cx: WidgetCtx,
) -> CardBuild {
    let sample = feed.sample_signal();
    let inputs = Inputs::new(&cx);
    Box::new(move |root: &Element| {
        let card = GaugeCard::new(root, &id, &title, config);
        keep_painted(card, move |card| {
            let (lang, offline) = (inputs.lang(), inputs.offline());
            sample.with(|s| card.paint(s.as_ref(), lang, offline));
        });
    })
}

/// A band as typed; `key` is stable while the row lives (the list's key), not its position.
#[derive(Debug, Clone, PartialEq)]
pub struct BandDraft {
    pub key: u32,
    pub from: String,
    pub color: String,
}

/// The gauge's inputs as typed.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub binding: BindingDraft,
    pub unit: String,
    pub decimals: String,
    pub min: String,
    pub max: String,
    pub bands: Vec<BandDraft>,
    next_key: u32,
}

/// Its own fields (the binding's and the bands' are shared groups: `Kind::fields`).
pub const FIELDS: &[&str] = &["unit", "decimals", "min", "max"];

/// The field paths [`bands_field`] has inputs for.
pub const BAND_FIELDS: &[&str] = &["bands", "bands[].from", "bands[].color"];

impl Draft {
    pub fn new(c: &GaugeConfig) -> Self {
        let mut d = Self {
            binding: BindingDraft::new(&c.binding),
            unit: c.unit.clone(),
            decimals: c.decimals.to_string(),
            min: shortest(c.min),
            max: shortest(c.max),
            bands: Vec::new(),
            next_key: 0,
        };
        d.set_bands(&c.bands);
        d
    }

    /// The band rows, as `bands` (a value card's threshold colours come here too).
    pub fn set_bands(&mut self, bands: &[Band]) {
        self.bands.clear();
        for b in bands {
            self.next_key += 1;
            self.bands.push(BandDraft {
                key: self.next_key,
                from: shortest(b.from),
                color: b.color.clone(),
            });
        }
    }

    /// A new band 10 above the last one (or at the minimum), in the next palette colour.
    pub fn add_band(&mut self) {
        let from = self
            .bands
            .last()
            .and_then(|b| parse_number(&b.from))
            .map(|v| shortest(v + 10.0))
            .unwrap_or_else(|| self.min.clone());
        let color = PALETTE[self.bands.len() % PALETTE.len()].to_owned();
        self.next_key += 1;
        self.bands.push(BandDraft {
            key: self.next_key,
            from,
            color,
        });
    }

    /// `bands[i]`, by the row's position now.
    pub fn band_path(&self, key: u32) -> String {
        format!("bands[{}]", row_index(&self.bands, key))
    }

    pub fn build(&self, p: &mut Parser) -> GaugeConfig {
        GaugeConfig {
            binding: self.binding.build("binding", p),
            min: p.number("min", &self.min, 0.0),
            max: p.number("max", &self.max, 100.0),
            unit: self.unit.clone(),
            decimals: p.whole("decimals", &self.decimals, 0, DECIMALS),
            bands: self.bands(p),
        }
    }

    /// The bands (the value card's threshold colours are these rows too).
    pub fn bands(&self, p: &mut Parser) -> Vec<Band> {
        self.bands
            .iter()
            .enumerate()
            .map(|(i, b)| Band {
                from: p.number(&format!("bands[{i}].from"), &b.from, 0.0),
                color: b.color.clone(),
            })
            .collect()
    }
}

impl Keyed for BandDraft {
    fn key(&self) -> u32 {
        self.key
    }
}

fn band(d: &WidgetDraft, key: u32) -> Option<&BandDraft> {
    row(&d.gauge.bands, key)
}

fn band_mut(d: &mut WidgetDraft, key: u32) -> Option<&mut BandDraft> {
    row_mut(&mut d.gauge.bands, key)
}

fn band_row(ctx: FormCtx, draft: RwSignal<WidgetDraft>, key: u32) -> AnyView {
    let path = move |leaf: &'static str| {
        Signal::derive(move || draft.with(|d| format!("{}.{leaf}", d.gauge.band_path(key))))
    };
    view! {
        <RowFrame
            ctx
            class="band-row"
            number=EdText::EdBandN
            index=Signal::derive(move || draft.with(|d| row_index(&d.gauge.bands, key)))
            can_remove=Signal::stored(true)
            on_remove=Callback::new(move |_| draft.update(|d| d.gauge.bands.retain(|b| b.key != key)))
        >
            <div class="pair">
                <TextField ctx field=path("from") label=EdText::EdBandFrom kind=InputKind::Decimal
                    bind=bind_row(draft, key, |d, k| band(d, k).map(|b| &b.from), |d, k| band_mut(d, k).map(|b| &mut b.from)) />
                <TextField ctx field=path("color") label=EdText::EdColor kind=InputKind::Color
                    bind=bind_row(draft, key, |d, k| band(d, k).map(|b| &b.color), |d, k| band_mut(d, k).map(|b| &mut b.color)) />
            </div>
        </RowFrame>
    }
    .into_any()
}

pub fn editor(ctx: FormCtx, draft: RwSignal<WidgetDraft>) -> AnyView {
    let at = BindingAt {
        path: fixed("binding"),
        draft,
        key: 0,
        get: |d, _| Some(&d.gauge.binding),
        get_mut: |d, _| Some(&mut d.gauge.binding),
    };
    view! {
        {binding_fields(ctx, at, true)}
        {unit_field(ctx, bind(draft, |d| &d.gauge.unit, |d| &mut d.gauge.unit))}
        <div class="pair">
            <TextField ctx field=fixed("min") label=EdText::EdMin kind=InputKind::Decimal
                bind=bind(draft, |d| &d.gauge.min, |d| &mut d.gauge.min) />
            <TextField ctx field=fixed("max") label=EdText::EdMax kind=InputKind::Decimal
                bind=bind(draft, |d| &d.gauge.max, |d| &mut d.gauge.max) />
        </div>
        <TextField ctx field=fixed("decimals") label=EdText::EdDecimals kind=InputKind::Whole
            bind=bind(draft, |d| &d.gauge.decimals, |d| &mut d.gauge.decimals) />
        {bands_field(ctx, draft)}
    }
    .into_any()
}

/// The colour bands' rows, with "add": the gauge's and the level bar's bands, and the value
/// card's threshold colours (one set of rows in the draft, kept across those kinds).
pub fn bands_field(ctx: FormCtx, draft: RwSignal<WidgetDraft>) -> impl IntoView {
    let keys =
        Signal::derive(move || draft.with(|d| d.gauge.bands.iter().map(|b| b.key).collect()));
    view! {
        <Rows
            ctx
            field="bands"
            class="bands"
            legend=EdText::EdBands
            hint=EdText::EdBandsHint
            add_class="add-band"
            add_label=EdText::EdAddBand
            keys
            max=MAX_BANDS
            on_add=Callback::new(move |_| draft.update(|d| d.gauge.add_band()))
            row=Callback::new(move |key| band_row(ctx, draft, key))
        />
    }
}

/// Where the arc starts, in degrees clockwise from 12 o'clock.
pub const START_DEG: f64 = -120.0;
/// How far the arc sweeps.
pub const SWEEP_DEG: f64 = 240.0;
pub const END_DEG: f64 = START_DEG + SWEEP_DEG;

/// The SVG's drawing: a 200 × 170 box, the arc's centre and radius.
const CX: f64 = 100.0;
const CY: f64 = 100.0;
const R: u32 = 78;

/// Where a value sits relative to the gauge's range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clamp {
    Below,
    Within,
    Above,
}

/// The angle of `value` on the arc (clamped to its ends) and whether it was clamped. A
/// non-finite value or an empty range sits at the start.
pub fn value_to_angle(value: f64, min: f64, max: f64) -> (f64, Clamp) {
    if !value.is_finite() || !min.is_finite() || !max.is_finite() || max <= min {
        return (START_DEG, Clamp::Within);
    }
    if value < min {
        return (START_DEG, Clamp::Below);
    }
    if value > max {
        return (END_DEG, Clamp::Above);
    }
    (
        START_DEG + (value - min) / (max - min) * SWEEP_DEG,
        Clamp::Within,
    )
}

/// One coloured stretch of the track.
#[derive(Debug, Clone, PartialEq)]
pub struct BandArc {
    pub from_deg: f64,
    pub to_deg: f64,
    pub color: String,
}

/// The bands as arcs: each runs from its `from` to the next band's `from` (in ascending
/// order) or to `max`, cut to the gauge's range; stretches that end up empty are left out.
pub fn band_arcs(bands: &[Band], min: f64, max: f64) -> Vec<BandArc> {
    // A handful of bands (at most `MAX_BANDS`), so an insertion in order (stable, like
    // `sort_by`) costs nothing, where a slice sort would bring ~4 KB of sorting code.
    let mut sorted: Vec<&Band> = Vec::with_capacity(bands.len());
    for band in bands.iter().filter(|b| b.from.is_finite()) {
        let at = sorted
            .iter()
            .position(|s| s.from.total_cmp(&band.from).is_gt())
            .unwrap_or(sorted.len());
        sorted.insert(at, band);
    }
    let mut arcs = Vec::with_capacity(sorted.len());
    for (i, band) in sorted.iter().enumerate() {
        let end = sorted.get(i + 1).map_or(max, |next| next.from.min(max));
        let start = band.from.max(min);
        if end <= start {
            continue;
        }
        arcs.push(BandArc {
            from_deg: value_to_angle(start, min, max).0,
            to_deg: value_to_angle(end, min, max).0,
            color: band.color.clone(),
        });
    }
    arcs
}

/// The colour of the band `value` falls in, if any.
pub fn band_color_at(bands: &[Band], value: f64) -> Option<&str> {
    bands
        .iter()
        .filter(|b| b.from.is_finite() && b.from <= value)
        .max_by(|a, b| a.from.total_cmp(&b.from))
        .map(|b| b.color.as_str())
}

/// The point at `deg` (clockwise from 12 o'clock) on a circle.
pub fn polar(cx: f64, cy: f64, r: f64, deg: f64) -> (f64, f64) {
    let rad = deg.to_radians();
    (cx + r * math::sin(rad), cy - r * math::cos(rad))
}

/// An SVG path for the clockwise arc from `from_deg` to `to_deg`.
pub fn arc_path(cx: f64, cy: f64, r: u32, from_deg: f64, to_deg: f64) -> String {
    let rf = f64::from(r);
    let (x0, y0) = polar(cx, cy, rf, from_deg);
    let (x1, y1) = polar(cx, cy, rf, to_deg);
    let large = u8::from(to_deg - from_deg > 180.0);
    format!(
        "M{} {}A{r} {r} 0 {large} 1 {} {}",
        coord(x0),
        coord(y0),
        coord(x1),
        coord(y1)
    )
}

/// A small triangle just past an end of the arc, pointing onwards: the value is off the scale.
fn marker_path(clamp: Clamp) -> Option<String> {
    let (tip_deg, base_deg) = match clamp {
        Clamp::Within => return None,
        Clamp::Above => (END_DEG + 12.0, END_DEG + 3.0),
        Clamp::Below => (START_DEG - 12.0, START_DEG - 3.0),
    };
    let (tx, ty) = polar(CX, CY, f64::from(R), tip_deg);
    let (ax, ay) = polar(CX, CY, f64::from(R) - 9.0, base_deg);
    let (bx, by) = polar(CX, CY, f64::from(R) + 9.0, base_deg);
    Some(format!(
        "M{} {}L{} {}L{} {}Z",
        coord(tx),
        coord(ty),
        coord(ax),
        coord(ay),
        coord(bx),
        coord(by)
    ))
}

/// A number on the scale: as few decimals as it needs, at most the gauge's.
fn scale_label(v: f64, decimals: u8) -> String {
    let s = format_number(v, decimals);
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        s
    }
}

/// The gauge's DOM, and the value it shows (the last good one: see [`last_good`]).
struct GaugeCard {
    config: GaugeConfig,
    frame: Frame,
    svg_class: Attr,
    now: Attr,
    aria_text: Attr,
    clamp: Attr,
    value_arc: Slot,
    arc_d: Attr,
    arc_stroke: Attr,
    marker: Slot,
    marker_d: Attr,
    value_text: Content,
    status: Slot,
    status_class: Attr,
    status_role: Attr,
    good: Option<f64>,
}

impl GaugeCard {
    fn new(root: &Element, id: &str, title: &str, config: GaugeConfig) -> Self {
        let frame = Frame::new(root, Kind::Gauge, id, title);
        let GaugeConfig {
            min, max, decimals, ..
        } = config;
        let svg = svg_child(
            root,
            "svg",
            &[
                ("viewBox", "0 0 200 170"),
                ("role", "meter"),
                ("aria-valuemin", &shortest(min)),
                ("aria-valuemax", &shortest(max)),
            ],
        );
        svg_child(
            &svg,
            "path",
            &[
                ("class", "gauge-track"),
                ("d", &arc_path(CX, CY, R, START_DEG, END_DEG)),
            ],
        );
        for arc in band_arcs(&config.bands, min, max) {
            svg_child(
                &svg,
                "path",
                &[
                    ("class", "gauge-band"),
                    ("d", &arc_path(CX, CY, R, arc.from_deg, arc.to_deg)),
                    ("stroke", &safe_color(&arc.color, "#888888")),
                ],
            );
        }
        let value_arc = Slot::at_end(&svg, svg_element("path", &[("class", "gauge-value-arc")]));
        let marker = Slot::at_end(&svg, svg_element("path", &[("class", "gauge-marker")]));
        let text = |y: f64, x: f64, class: &str, words: &str| {
            let el = svg_child(
                &svg,
                "text",
                &[
                    ("class", class),
                    ("x", &coord(x)),
                    ("y", &coord(y)),
                    ("text-anchor", "middle"),
                ],
            );
            el.set_text_content(Some(words));
            el
        };
        let value_text = Content::of(&text(CY + 4.0, CX, "gauge-value", ""), "");
        text(CY + 28.0, CX, "gauge-unit", &config.unit);
        let (min_x, label_y) = polar(CX, CY, f64::from(R), START_DEG);
        let (max_x, _) = polar(CX, CY, f64::from(R), END_DEG);
        text(
            label_y + 24.0,
            min_x,
            "gauge-scale",
            &scale_label(min, decimals),
        );
        text(
            label_y + 24.0,
            max_x,
            "gauge-scale",
            &scale_label(max, decimals),
        );
        let status = Slot::new(root, "p", "");
        Self {
            svg_class: Attr::new(&svg, "class"),
            now: Attr::new(&svg, "aria-valuenow"),
            aria_text: Attr::new(&svg, "aria-valuetext"),
            clamp: Attr::new(&svg, "data-clamp"),
            arc_d: Attr::new(&value_arc.el, "d"),
            arc_stroke: Attr::new(&value_arc.el, "stroke"),
            marker_d: Attr::new(&marker.el, "d"),
            status_class: Attr::new(&status.el, "class"),
            status_role: Attr::new(&status.el, "role"),
            config,
            frame,
            value_arc,
            marker,
            value_text,
            status,
            good: None,
        }
    }

    fn paint(&mut self, sample: Option<&Sample>, lang: Lang, offline: bool) {
        let GaugeConfig {
            min, max, decimals, ..
        } = self.config;
        let good = last_good(self.good, sample);
        self.good = good;
        let error = sample.and_then(|s| s.value.as_ref().err());
        let placement = good.map(|v| value_to_angle(v, min, max));
        self.frame.classes("", offline);
        self.frame.state(match (error, good) {
            (Some(_), _) => "error",
            (None, None) => "waiting",
            (None, Some(_)) => "ok",
        });
        self.svg_class.set(Some(if error.is_some() {
            "gauge gauge-stale"
        } else {
            "gauge"
        }));
        self.now.set(good.map(shortest).as_deref());
        self.aria_text.set(Some(&match good {
            Some(v) => format!("{} {}", format_number(v, decimals), self.config.unit),
            None => tcard(lang, CardText::WaitingForData).to_owned(),
        }));
        self.clamp.set(Some(match placement {
            Some((_, Clamp::Above)) => "above",
            Some((_, Clamp::Below)) => "below",
            _ => "within",
        }));
        match placement {
            Some((deg, _)) if deg - START_DEG >= 0.5 => {
                self.arc_d.set(Some(&arc_path(CX, CY, R, START_DEG, deg)));
                let color = good
                    .and_then(|v| band_color_at(&self.config.bands, v))
                    .map(|c| safe_color(c, "#888888"));
                self.arc_stroke.set(color.as_deref());
                self.value_arc.show(true);
            }
            _ => self.value_arc.show(false),
        }
        match placement.and_then(|(_, clamp)| marker_path(clamp)) {
            Some(d) => {
                self.marker_d.set(Some(&d));
                self.marker.show(true);
            }
            None => self.marker.show(false),
        }
        self.value_text.set(&match good {
            Some(v) => format_number(v, decimals),
            None => "—".to_owned(),
        });
        let status = match (error, placement) {
            (Some(err), _) => {
                let mut line = worded(lang, |w| (w.reading_error)(err, lang));
                if good.is_some() {
                    line.push_str(" · ");
                    line.push_str(tcard(lang, CardText::ShowingLastValue));
                }
                Some(("widget-error", line))
            }
            (None, None) => Some((
                "widget-muted",
                tcard(lang, CardText::WaitingForData).to_owned(),
            )),
            (None, Some((_, Clamp::Above))) => Some((
                "widget-warning",
                tcard(lang, CardText::GaugeAboveMax).to_owned(),
            )),
            (None, Some((_, Clamp::Below))) => Some((
                "widget-warning",
                tcard(lang, CardText::GaugeBelowMin).to_owned(),
            )),
            (None, Some((_, Clamp::Within))) => None,
        };
        if let Some((class, _)) = &status {
            self.status_class.set(Some(class));
            self.status_role
                .set((*class == "widget-error").then_some("status"));
        }
        self.status
            .text(status.as_ref().map(|(_, line)| line.as_str()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn band(from: f64, color: &str) -> Band {
        Band {
            from,
            color: color.into(),
        }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn value_maps_onto_the_arc_and_clamps() {
        assert_eq!(value_to_angle(0.0, 0.0, 100.0), (-120.0, Clamp::Within));
        assert_eq!(value_to_angle(50.0, 0.0, 100.0), (0.0, Clamp::Within));
        assert_eq!(value_to_angle(100.0, 0.0, 100.0), (120.0, Clamp::Within));
        assert_eq!(value_to_angle(25.0, 0.0, 100.0), (-60.0, Clamp::Within));
        assert_eq!(value_to_angle(130.0, 0.0, 100.0), (120.0, Clamp::Above));
        assert_eq!(value_to_angle(-5.0, 0.0, 100.0), (-120.0, Clamp::Below));
        assert_eq!(value_to_angle(-10.0, -20.0, 20.0), (-60.0, Clamp::Within));
        assert_eq!(value_to_angle(f64::NAN, 0.0, 1.0), (-120.0, Clamp::Within));
        assert_eq!(
            value_to_angle(5.0, 1.0, 1.0),
            (-120.0, Clamp::Within),
            "empty range"
        );
    }

    #[test]
    fn bands_become_arcs_up_to_the_next_band() {
        let bands = [band(80.0, "#f00"), band(0.0, "#0f0"), band(50.0, "#ff0")];
        let arcs = band_arcs(&bands, 0.0, 100.0);
        let spans: Vec<_> = arcs
            .iter()
            .map(|a| (a.from_deg, a.to_deg, a.color.as_str()))
            .collect();
        assert_eq!(
            spans,
            vec![
                (-120.0, 0.0, "#0f0"),
                (0.0, 72.0, "#ff0"),
                (72.0, 120.0, "#f00")
            ]
        );
    }

    #[test]
    fn bands_are_cut_to_the_range() {
        let bands = [band(-50.0, "#00f"), band(10.0, "#0f0"), band(200.0, "#f00")];
        let arcs = band_arcs(&bands, 0.0, 100.0);
        assert_eq!(arcs.len(), 2, "{arcs:?}");
        assert_eq!(arcs[0].from_deg, -120.0);
        assert!(close(arcs[0].to_deg, -96.0));
        assert!(close(arcs[1].from_deg, -96.0));
        assert_eq!(arcs[1].to_deg, 120.0);
        assert!(band_arcs(&[band(100.0, "#f00")], 0.0, 100.0).is_empty());
        assert!(band_arcs(&[], 0.0, 100.0).is_empty());
        // Two bands at the same value: the first one is empty.
        assert_eq!(
            band_arcs(&[band(10.0, "#f00"), band(10.0, "#0f0")], 0.0, 100.0).len(),
            1
        );
    }

    #[test]
    fn value_colour_is_its_band() {
        let bands = [band(0.0, "#0f0"), band(50.0, "#ff0"), band(80.0, "#f00")];
        assert_eq!(band_color_at(&bands, 10.0), Some("#0f0"));
        assert_eq!(band_color_at(&bands, 50.0), Some("#ff0"));
        assert_eq!(band_color_at(&bands, 99.0), Some("#f00"));
        assert_eq!(band_color_at(&bands, -1.0), None);
    }

    #[test]
    fn arc_geometry() {
        let (x, y) = polar(100.0, 100.0, 10.0, 0.0);
        assert!(close(x, 100.0) && close(y, 90.0), "12 o'clock is up");
        let (x, y) = polar(100.0, 100.0, 10.0, 90.0);
        assert!(close(x, 110.0) && close(y, 100.0), "clockwise");
        let (x, y) = polar(100.0, 100.0, 10.0, 120.0);
        assert!(close(x, 100.0 + 10.0 * 120f64.to_radians().sin()) && close(y, 105.0));
        assert_eq!(
            arc_path(100.0, 100.0, 10, -90.0, 90.0),
            "M90.00 100.00A10 10 0 0 1 110.00 100.00"
        );
        assert!(arc_path(100.0, 100.0, 10, START_DEG, END_DEG).contains(" 0 1 1 "));
        assert!(arc_path(100.0, 100.0, 10, START_DEG, 0.0).contains(" 0 0 1 "));
    }

    #[test]
    fn off_scale_markers_and_scale_labels() {
        assert!(marker_path(Clamp::Within).is_none());
        assert!(marker_path(Clamp::Above).is_some());
        assert!(marker_path(Clamp::Below).is_some());
        assert_eq!(scale_label(100.0, 2), "100");
        assert_eq!(scale_label(0.5, 2), "0.5");
        assert_eq!(scale_label(-20.0, 0), "-20");
    }
}
