//! The level bar: a tank, a battery, a progress. The same reading, range and colour bands as
//! the gauge (its configuration and its editor fields are the gauge's), drawn as a bar that
//! fills upwards or to the right, in the colour of the band the value is in.

use leptos::prelude::*;
use web_sys::Element;

use super::card::{Attr, CardBuild, Content, Frame, Inputs, Slot, child, keep_painted};
use super::{Kind, Listen, Sample, WidgetCtx, WidgetDraft, last_good, safe_color};
use crate::components::form::*;
use crate::config::{GaugeConfig, LevelConfig};
use crate::describe::worded;
use crate::format::{fixed as format_number, shortest};
use crate::i18n::{CardText, EdText, Lang, tcard};
use crate::live::Feed;

/// A tank's defaults: 0 to 100 %, upright.
pub fn stub() -> LevelConfig {
    let mut gauge = super::gauge::stub();
    gauge.unit = "%".into();
    gauge.decimals = 0;
    LevelConfig {
        gauge,
        vertical: true,
    }
}

pub fn listens(c: &LevelConfig) -> Vec<Listen> {
    super::gauge::listens(&c.gauge)
}

/// The editor: the gauge's fields (the draft's `gauge`, shared, so changing between gauge
/// and level bar keeps them) and the direction.
pub fn editor(ctx: FormCtx, draft: RwSignal<WidgetDraft>) -> AnyView {
    let vertical = Memo::new(move |_| draft.with(|d| d.level_vertical));
    view! {
        {super::gauge::editor(ctx, draft)}
        <CheckField ctx field="vertical" label=EdText::EdVertical checked=Signal::from(vertical)
            set=Callback::new(move |v| draft.update(|d| d.level_vertical = v)) />
    }
    .into_any()
}

/// How full the bar is, 0 to 1 (clamped; a non-finite value or range: empty).
fn fill_fraction(value: f64, min: f64, max: f64) -> f64 {
    let f = (value - min) / (max - min);
    if f.is_finite() {
        f.clamp(0.0, 1.0)
    } else {
        0.0
    }
}

pub fn view(
    id: String,
    title: String,
    config: LevelConfig,
    feed: &Feed,
    cx: WidgetCtx,
) -> CardBuild {
    let sample = feed.sample_signal();
    let inputs = Inputs::new(&cx);
    Box::new(move |root: &Element| {
        let card = LevelCard::new(root, &id, &title, config);
        keep_painted(card, move |card| {
            let (lang, offline) = (inputs.lang(), inputs.offline());
            sample.with(|s| card.paint(s.as_ref(), lang, offline));
        });
    })
}

/// The bar's DOM: a track with its fill, the value in words, and a line for problems.
struct LevelCard {
    config: GaugeConfig,
    vertical: bool,
    frame: Frame,
    now: Attr,
    fill_style: Attr,
    value: Content,
    status: Slot,
    good: Option<f64>,
}

impl LevelCard {
    fn new(root: &Element, id: &str, title: &str, config: LevelConfig) -> Self {
        let frame = Frame::new(root, Kind::Level, id, title);
        let LevelConfig { gauge, vertical } = config;
        let row = child(root, "div", "level-row");
        let track = child(
            &row,
            "div",
            if vertical {
                "level-track level-vertical"
            } else {
                "level-track"
            },
        );
        let _ = track.set_attribute("role", "meter");
        let _ = track.set_attribute("aria-valuemin", &shortest(gauge.min));
        let _ = track.set_attribute("aria-valuemax", &shortest(gauge.max));
        let _ = track.set_attribute("aria-label", title);
        let fill = child(&track, "div", "level-fill");
        let value = Content::of(&child(&row, "span", "level-value"), "");
        Self {
            now: Attr::new(&track, "aria-valuenow"),
            fill_style: Attr::new(&fill, "style"),
            value,
            status: Slot::new(root, "p", "widget-error"),
            config: gauge,
            vertical,
            frame,
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
        self.frame
            .classes(if error.is_some() { "stale" } else { "" }, offline);
        self.frame.state(match (error, good) {
            (Some(_), _) => "error",
            (None, None) => "waiting",
            (None, Some(_)) => "ok",
        });
        self.now.set(good.map(shortest).as_deref());
        // The band's colour was validated as `#rgb`/`#rrggbb`; `safe_color` keeps it so.
        let style = good.map(|v| {
            let percent = fill_fraction(v, min, max) * 100.0;
            let side = if self.vertical { "height" } else { "width" };
            match super::gauge::band_color_at(&self.config.bands, v) {
                Some(c) => format!(
                    "{side}:{percent:.1}%;background-color:{}",
                    safe_color(c, "#888888")
                ),
                None => format!("{side}:{percent:.1}%"),
            }
        });
        self.fill_style.set(style.as_deref());
        self.value.set(&match good {
            Some(v) if self.config.unit.is_empty() => format_number(v, decimals),
            Some(v) => format!("{} {}", format_number(v, decimals), self.config.unit),
            None => "—".to_owned(),
        });
        let problem = match error {
            Some(err) => Some(worded(lang, |w| (w.reading_error)(err, lang))),
            None if good.is_none() => Some(tcard(lang, CardText::WaitingForData).to_owned()),
            None => None,
        };
        self.status.text(problem.as_deref());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bar_fills_in_proportion_and_stays_within_its_track() {
        assert_eq!(fill_fraction(25.0, 0.0, 100.0), 0.25);
        assert!((fill_fraction(3.7, 3.0, 4.2) - 0.7 / 1.2).abs() < 1e-12);
        assert_eq!(fill_fraction(-5.0, 0.0, 100.0), 0.0);
        assert_eq!(fill_fraction(150.0, 0.0, 100.0), 1.0);
        assert_eq!(fill_fraction(f64::NAN, 0.0, 100.0), 0.0);
        assert_eq!(fill_fraction(5.0, 1.0, 1.0), 0.0, "an empty range");
    }
}
