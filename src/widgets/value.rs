//! A value card: the last value with its unit (or the payload as text), how long ago it
//! arrived, and a stale mark when nothing has come for too long.

use crate::payload::{SHOWN_CHARS, cut_at, excerpt};
use leptos::prelude::*;

use super::binding::{BindingAt, BindingDraft, binding_fields, empty_binding, unit_field};
use super::{Kind, Listen, Sample, WidgetCtx, WidgetDraft, WidgetFrame, format_ago};
use crate::components::form::*;
use crate::config::{DECIMALS, ValueConfig};
use crate::describe::reading_error_text;
use crate::format::fixed as format_number;
use crate::i18n::{EdText, Lang, Text, t, word};
use crate::live::Feed;

pub fn stub() -> ValueConfig {
    ValueConfig {
        binding: empty_binding(),
        unit: String::new(),
        decimals: None,
        stale_after_secs: 0,
    }
}

pub fn listens(c: &ValueConfig) -> Vec<Listen> {
    vec![Listen {
        binding: c.binding.clone(),
        series: 0,
    }]
}

pub fn view(id: String, title: String, config: ValueConfig, feed: &Feed, cx: WidgetCtx) -> AnyView {
    view! { <ValueCard id title config sample=feed.sample_signal() now_ms=cx.now_ms lang=cx.lang /> }
        .into_any()
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

pub const FIELDS: &[&str] = &[
    "binding.topic",
    "binding.json_path",
    "binding.scale",
    "binding.offset",
    "binding.qos",
    "unit",
    "decimals",
    "stale_after_secs",
];

impl Draft {
    pub fn new(c: &ValueConfig) -> Self {
        Self {
            binding: BindingDraft::new(&c.binding),
            unit: c.unit.clone(),
            decimals: c.decimals.map(|d| d.to_string()).unwrap_or_default(),
            stale_after: c.stale_after_secs.to_string(),
        }
    }

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

#[component]
pub fn ValueCard(
    #[prop(into)] id: String,
    #[prop(into)] title: String,
    config: ValueConfig,
    /// The latest message on the binding's topic; `None` until one arrives.
    #[prop(into)]
    sample: Signal<Option<Sample>>,
    /// The page's clock (ms since the epoch), ticking about once a second.
    #[prop(into)]
    now_ms: Signal<f64>,
    #[prop(into)] lang: Signal<Lang>,
) -> impl IntoView {
    let ValueConfig {
        unit,
        decimals,
        stale_after_secs,
        ..
    } = config;
    // What the card shows, formatted: the number (or the raw text), kept across bad readings
    // (the same rule as `super::last_good`, on the formatted text).
    let shown = Memo::new(move |prev: Option<&Option<String>>| {
        let prev = prev.cloned().flatten();
        sample.with(|s| match (decimals, s) {
            (_, None) => None,
            (Some(d), Some(Sample { value: Ok(v), .. })) => Some(format_number(*v, d)),
            (Some(_), Some(_)) => prev,
            (None, s) => last_good_text(prev, s.as_ref()),
        })
    });
    let error = Memo::new(move |_| {
        sample.with(|s| {
            s.as_ref().and_then(|s| match decimals {
                Some(_) => s.value.clone().err(),
                None => s.text.clone().err(),
            })
        })
    });
    let at = Memo::new(move |_| sample.with(|s| s.as_ref().map(|s| (s.at_ms, s.retained))));
    let stale = move || {
        at.get()
            .is_some_and(|(at, _)| is_stale(now_ms.get(), at, stale_after_secs))
    };

    let classes = move || {
        match (stale(), error.with(Option::is_some)) {
            (true, true) => "stale value-error",
            (true, false) => "stale",
            (false, true) => "value-error",
            (false, false) => "",
        }
        .to_owned()
    };
    let main = move || match shown.get() {
        Some(text) => {
            let unit = (decimals.is_some() && !unit.is_empty()).then(|| {
                view! { <span class="value-unit">{unit.clone()}</span> }
            });
            // A long text shows its beginning; all of it only when asked (a closed
            // `<details>` is not laid out, so a megabyte costs no frame).
            let rest = cut_at(&text, SHOWN_CHARS).map(|_| {
                view! {
                    <details class="value-full">
                        <summary>{word(lang, Text::ShowAll)}</summary>
                        <pre>{text.clone()}</pre>
                    </details>
                }
            });
            view! {
                <p class="value-main" class:value-raw=decimals.is_none()>
                    <span class="value-number">{excerpt(&text, SHOWN_CHARS)}</span>
                    {unit}
                </p>
                {rest}
            }
            .into_any()
        }
        None => view! {
            <p class="value-main value-empty">
                <span class="value-number">"—"</span>
            </p>
        }
        .into_any(),
    };
    let error_line = move || {
        error.get().map(|err| {
            let lang = lang.get();
            let also = if shown.with(Option::is_some) {
                format!(" · {}", t(lang, Text::ShowingLastValue))
            } else {
                String::new()
            };
            view! { <p class="widget-error" role="status">{reading_error_text(&err, lang)}{also}</p> }
        })
    };
    let age_line = move || {
        let lang = lang.get();
        match at.get() {
            None => view! { <p class="widget-muted value-age">{t(lang, Text::WaitingForData)}</p> }
                .into_any(),
            Some((at, retained)) => {
                let age = format_ago(lang, now_ms.get() - at);
                let retained = retained.then(|| {
                    view! { <span class="badge widget-badge">{t(lang, Text::Retained)}</span> }
                });
                let stale_badge = is_stale(now_ms.get(), at, stale_after_secs).then(|| {
                    view! { <span class="badge widget-badge badge-stale">{t(lang, Text::ValueStale)}</span> }
                });
                view! { <p class="widget-muted value-age">{age}{retained}{stale_badge}</p> }
                    .into_any()
            }
        }
    };

    view! {
        <WidgetFrame kind=Kind::Value id title class=Signal::derive(classes)>
            {main}
            {error_line}
            {age_line}
        </WidgetFrame>
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
