//! A value card: the last value with its unit (or the payload as text), how long ago it
//! arrived, and a stale mark when nothing has come for too long.

use crate::payload::{SHOWN_CHARS, cut_at, excerpt};
use leptos::prelude::*;
use web_sys::Element;

use super::binding::{BindingAt, BindingDraft, binding_fields, empty_binding, unit_field};
use super::card::{Attr, CardBuild, Content, Frame, Inputs, Slot, child, keep_painted, text_child};
use super::gauge::band_color_at;
use super::value_map::{lookup, map_fields};
use super::{Kind, Listen, Sample, WidgetCtx, WidgetDraft, format_ago, safe_color};
use crate::components::form::*;
use crate::config::{DECIMALS, ValueConfig};
use crate::describe::worded;
use crate::format::fixed as format_number;
use crate::i18n::{CardText, EdText, Lang, tcard};
use crate::live::Feed;

pub fn stub() -> ValueConfig {
    ValueConfig {
        binding: empty_binding(),
        unit: String::new(),
        decimals: None,
        stale_after_secs: 0,
        map: Vec::new(),
        bands: Vec::new(),
    }
}

pub fn listens(c: &ValueConfig) -> Vec<Listen> {
    vec![Listen {
        binding: c.binding.clone(),
        series: 0,
    }]
}

pub fn view(
    id: String,
    title: String,
    config: ValueConfig,
    feed: &Feed,
    cx: WidgetCtx,
) -> CardBuild {
    let sample = feed.sample_signal();
    let inputs = Inputs::new(&cx);
    let decimals = config.decimals;
    // What the card shows, formatted: the number (or the raw text), kept across bad readings
    // (the same rule as `super::last_good`, on the formatted text). A memo, so the clock's
    // tick does not format (or copy a megabyte of raw text) again.
    let shown = Memo::new(move |prev: Option<&Option<String>>| {
        let prev = prev.cloned().flatten();
        sample.with(|s| match (decimals, s) {
            (_, None) => None,
            (Some(d), Some(Sample { value: Ok(v), .. })) => Some(format_number(*v, d)),
            (Some(_), Some(_)) => prev,
            (None, s) => last_good_text(prev, s.as_ref()),
        })
    });
    Box::new(move |root: &Element| {
        let card = ValueCard::new(root, &id, &title, config);
        keep_painted(card, move |card| {
            let (lang, now, offline) = (inputs.lang(), inputs.now_ms(), inputs.offline());
            shown.with(|shown| {
                sample.with(|s| card.paint(shown.as_deref(), s.as_ref(), lang, now, offline))
            });
        });
    })
}

/// The value card's inputs as typed.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub binding: BindingDraft,
    pub unit: String,
    /// Empty: the card shows the payload as text.
    pub decimals: String,
    pub stale_after: String,
}

/// Its own fields (the binding's, the map's and the bands' are shared groups).
pub const FIELDS: &[&str] = &["unit", "decimals", "stale_after_secs"];

impl Draft {
    pub fn new(c: &ValueConfig) -> Self {
        Self {
            binding: BindingDraft::new(&c.binding),
            unit: c.unit.clone(),
            decimals: c.decimals.map(|d| d.to_string()).unwrap_or_default(),
            stale_after: c.stale_after_secs.to_string(),
        }
    }

    /// The value card's own fields; its map and bands are the draft's shared rows (`mod.rs`).
    pub fn build(&self, p: &mut Parser) -> ValueConfig {
        ValueConfig {
            binding: self.binding.build("binding", p),
            unit: self.unit.clone(),
            decimals: p.optional_whole("decimals", &self.decimals, DECIMALS),
            stale_after_secs: p.whole(
                "stale_after_secs",
                &self.stale_after,
                0,
                (0, u64::from(u32::MAX)),
            ),
            map: Vec::new(),
            bands: Vec::new(),
        }
    }
}

pub fn editor(ctx: FormCtx, draft: RwSignal<WidgetDraft>) -> AnyView {
    let at = BindingAt {
        path: fixed("binding"),
        draft,
        key: 0,
        get: |d, _| Some(&d.value.binding),
        get_mut: |d, _| Some(&mut d.value.binding),
    };
    view! {
        {binding_fields(ctx, at, true)}
        {unit_field(ctx, bind(draft, |d| &d.value.unit, |d| &mut d.value.unit))}
        <TextField ctx field=fixed("decimals") label=EdText::EdDecimals hint=EdText::EdDecimalsTextHint
            kind=InputKind::Whole bind=bind(draft, |d| &d.value.decimals, |d| &mut d.value.decimals) />
        <TextField ctx field=fixed("stale_after_secs") label=EdText::EdStaleAfter hint=EdText::EdStaleAfterHint
            kind=InputKind::Whole bind=bind(draft, |d| &d.value.stale_after, |d| &mut d.value.stale_after) />
        {map_fields(ctx, draft)}
        {super::gauge::bands_field(ctx, draft)}
    }
    .into_any()
}

/// Whether a value that arrived at `at_ms` is stale at `now_ms`; `stale_after_secs == 0` never.
pub fn is_stale(now_ms: f64, at_ms: f64, stale_after_secs: u32) -> bool {
    stale_after_secs > 0 && now_ms - at_ms > f64::from(stale_after_secs) * 1000.0
}

/// The last good text of a raw-text card: a readable text replaces it, an unreadable one
/// (not JSON, nothing at the path) keeps it, no sample clears it.
fn last_good_text(prev: Option<String>, sample: Option<&Sample>) -> Option<String> {
    match sample {
        None => None,
        Some(Sample { text: Ok(s), .. }) => Some(s.clone()),
        Some(_) => prev,
    }
}

/// The value card's DOM.
struct ValueCard {
    config: ValueConfig,
    frame: Frame,
    main_class: Attr,
    main_style: Attr,
    number: Content,
    unit: Slot,
    full: Slot,
    summary: Content,
    full_text: Content,
    error: Slot,
    age: Content,
    retained: Slot,
    stale_badge: Slot,
}

impl ValueCard {
    fn new(root: &Element, id: &str, title: &str, config: ValueConfig) -> Self {
        let frame = Frame::new(root, Kind::Value, id, title);
        let main = child(root, "p", "");
        let number = Content::of(&child(&main, "span", "value-number"), "");
        let unit = Slot::new(&main, "span", "value-unit");
        unit.el.set_text_content(Some(&config.unit));
        // A long text shows its beginning; all of it only when asked (a closed
        // `<details>` is not laid out, so a megabyte costs no frame).
        let full = Slot::new(root, "details", "value-full");
        let summary = Content::of(&child(&full.el, "summary", ""), "");
        let full_text = Content::of(&child(&full.el, "pre", ""), "");
        let error = Slot::new(root, "p", "widget-error");
        let _ = error.el.set_attribute("role", "status");
        let age_line = child(root, "p", "widget-muted value-age");
        Self {
            main_class: Attr::new(&main, "class"),
            main_style: Attr::new(&main, "style"),
            age: text_child(&age_line, ""),
            retained: Slot::new(&age_line, "span", "badge widget-badge"),
            stale_badge: Slot::new(&age_line, "span", "badge widget-badge badge-stale"),
            config,
            frame,
            number,
            unit,
            full,
            summary,
            full_text,
            error,
        }
    }

    fn paint(
        &mut self,
        shown: Option<&str>,
        s: Option<&Sample>,
        lang: Lang,
        now: f64,
        offline: bool,
    ) {
        let decimals = self.config.decimals;
        // A mapped payload is shown as its row says, whatever the card makes of numbers.
        let mapped = s
            .and_then(|s| s.text.as_ref().ok())
            .and_then(|t| lookup(&self.config.map, t));
        let error = s.filter(|_| mapped.is_none()).and_then(|s| match decimals {
            Some(_) => s.value.as_ref().err(),
            None => s.text.as_ref().err(),
        });
        let stale = s.is_some_and(|s| is_stale(now, s.at_ms, self.config.stale_after_secs));
        self.frame.classes(
            match (stale, error.is_some()) {
                (true, true) => "stale value-error",
                (true, false) => "stale",
                (false, true) => "value-error",
                (false, false) => "",
            },
            offline,
        );
        let long = match shown {
            Some(text) => {
                self.main_class.set(Some(if decimals.is_some() {
                    "value-main"
                } else {
                    "value-main value-raw"
                }));
                self.number.set(&excerpt(text, SHOWN_CHARS));
                self.unit
                    .show(decimals.is_some() && !self.config.unit.is_empty());
                let long = cut_at(text, SHOWN_CHARS).is_some();
                if long {
                    self.summary.set(tcard(lang, CardText::ShowAll));
                    self.full_text.set(text);
                }
                long
            }
            None => {
                self.main_class.set(Some("value-main value-empty"));
                self.number.set("—");
                self.unit.show(false);
                false
            }
        };
        if let Some(row) = mapped {
            let words = if row.label.is_empty() {
                &row.when
            } else {
                &row.label
            };
            self.number.set(&excerpt(words, SHOWN_CHARS));
            self.unit.show(false);
        }
        let color = match mapped {
            Some(row) => (!row.color.is_empty()).then_some(row.color.as_str()),
            None => s
                .and_then(|s| s.value.as_ref().ok())
                .and_then(|v| band_color_at(&self.config.bands, *v)),
        };
        // Validated `#rgb`/`#rrggbb` colours only reach the style attribute.
        self.main_style.set(
            color
                .map(|c| format!("color:{}", safe_color(c, "inherit")))
                .as_deref(),
        );
        self.full.show(long && mapped.is_none());
        let error = error.map(|err| {
            let mut line = worded(lang, |w| (w.reading_error)(err, lang));
            if shown.is_some() {
                line.push_str(" · ");
                line.push_str(tcard(lang, CardText::ShowingLastValue));
            }
            line
        });
        self.error.text(error.as_deref());
        match s {
            None => {
                self.age.set(tcard(lang, CardText::WaitingForData));
                self.retained.show(false);
                self.stale_badge.show(false);
            }
            Some(s) => {
                self.age.set(&format_ago(lang, now - s.at_ms));
                self.retained
                    .text(s.retained.then(|| tcard(lang, CardText::Retained)));
                self.stale_badge
                    .text(stale.then(|| tcard(lang, CardText::ValueStale)));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reading::ReadingError;

    #[test]
    fn staleness() {
        assert!(!is_stale(10_000.0, 0.0, 0), "0 means never");
        assert!(
            !is_stale(10_000.0, 0.0, 10),
            "exactly at the limit is fresh"
        );
        assert!(is_stale(10_001.0, 0.0, 10));
        assert!(!is_stale(5_000.0, 0.0, 10));
    }

    #[test]
    fn raw_text_survives_unreadable_messages() {
        let s = |text| Sample {
            value: Err(ReadingError::NotANumber("x".into())),
            text,
            at_ms: 0.0,
            retained: false,
        };
        assert_eq!(
            last_good_text(None, Some(&s(Ok("hello".into())))),
            Some("hello".into())
        );
        assert_eq!(
            last_good_text(Some("hello".into()), Some(&s(Err(ReadingError::NotJson)))),
            Some("hello".into())
        );
        assert_eq!(last_good_text(Some("hello".into()), None), None);
    }
}
