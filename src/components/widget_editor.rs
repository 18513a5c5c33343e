//! The form that adds or edits one widget: its type, its title, and the kind's own fields
//! (each kind's module draws them; see `widgets`).
//!
//! The form edits a [`WidgetDraft`]: every input's text as typed, for every kind at once, so
//! that switching the type back and forth loses nothing and an unreadable number stays on
//! screen with its problem under it. On every change the draft builds its candidate
//! [`Widget`] and runs the configuration's own rules (`config::widget_problems`); Save is
//! enabled only when there is no problem, and saves exactly that candidate.

use leptos::prelude::*;

use super::form::*;
use crate::config::Widget;
use crate::widgets::{Kind, WidgetDraft, has_input};

/// The form to add or edit a widget. `on_save` receives a widget that passes the
/// configuration's rules; Save stays disabled until it does.
#[component]
pub fn WidgetEditor(
    initial: Widget,
    on_save: Callback<Widget>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let draft = RwSignal::new(WidgetDraft::new(&initial));
    let problems = Memo::new(move |_| draft.with(|d| d.build().1));
    let ctx = FormCtx::new("we", current_lang(), problems);
    let kind = Memo::new(move |_| draft.with(|d| d.kind));

    let save = Callback::new(move |_| {
        let (widget, found) = draft.with_untracked(WidgetDraft::build);
        if found.is_empty() {
            on_save.run(widget);
        }
    });
    let kind_options = Kind::ALL
        .into_iter()
        .map(|k| (k.tag().to_owned(), OptionLabel::T(k.label())))
        .collect::<Vec<_>>();
    view! {
        <EditorForm
            ctx
            class="widget-editor"
            unplaced=Callback::new(move |field: String| !has_input(kind.get_untracked(), &field))
            on_save=save
            on_cancel
        >
            <SelectField
                ctx
                field="type"
                label=crate::i18n::EdText::EdWidgetType
                options=kind_options
                value=Signal::derive(move || kind.get().tag().to_owned())
                set=Callback::new(move |v: String| {
                    if let Some(k) = Kind::parse(&v) {
                        draft.update(|d| d.set_kind(k));
                    }
                })
            />
            <TextField
                ctx
                field=fixed("title")
                label=crate::i18n::EdText::EdTitle
                bind=bind(draft, |d| &d.title, |d| &mut d.title)
            />
            {move || kind.get().editor(ctx, draft)}
        </EditorForm>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::WidgetKind;
    use crate::config::{is_hex_color, widget_problems};
    use crate::i18n::Lang;
    use crate::widgets::chart::window_label;
    use crate::widgets::new_widget;

    fn new_widget_stub(tag: &str, id: String) -> Widget {
        new_widget(Kind::parse(tag).unwrap_or(Kind::Gauge), id, Lang::Es)
    }

    fn new_widget_stub_in(tag: &str, id: String, lang: Lang) -> Widget {
        new_widget(Kind::parse(tag).unwrap_or(Kind::Gauge), id, lang)
    }

    fn set_topic(w: &mut Widget, topic: &str) {
        match &mut w.kind {
            WidgetKind::Gauge(g) => g.binding.topic = topic.into(),
            WidgetKind::Value(v) => v.binding.topic = topic.into(),
            WidgetKind::Switch(s) => s.command_topic = topic.into(),
            WidgetKind::Button(b) => b.topic = topic.into(),
            WidgetKind::Led(l) => l.binding.topic = topic.into(),
            WidgetKind::Level(l) => l.gauge.binding.topic = topic.into(),
            WidgetKind::Slider(s) => s.publish.topic = topic.into(),
            WidgetKind::Text(p) | WidgetKind::Color(p) => p.topic = topic.into(),
            WidgetKind::Log(l) => l.filter = topic.into(),
            WidgetKind::Chart(c) => {
                for s in &mut c.series {
                    s.binding.topic = topic.into();
                }
            }
        }
    }

    #[test]
    fn every_stub_is_valid_once_it_has_a_topic() {
        for tag in Kind::ALL.map(Kind::tag) {
            for lang in [Lang::Es, Lang::En] {
                let mut w = new_widget_stub_in(tag, format!("w-{tag}"), lang);
                assert_eq!(Kind::of(&w.kind).tag(), tag);
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
        match new_widget_stub("button", id()).kind {
            WidgetKind::Button(b) => {
                assert_eq!((b.payload.as_str(), b.label.as_str()), ("1", ""));
                assert!(!b.retain, "commands are not retained by default");
                assert!(!b.confirm, "asking first is the user's choice");
            }
            k => panic!("{k:?}"),
        }
        assert_eq!(new_widget_stub("button", id()).title, "Botón");
        match new_widget_stub("led", id()).kind {
            WidgetKind::Led(l) => {
                assert_eq!((l.state_on.as_str(), l.state_off.as_str()), ("on", "off"));
                assert!(is_hex_color(&l.on_color) && is_hex_color(&l.off_color));
            }
            k => panic!("{k:?}"),
        }
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
            Kind::Switch,
            Kind::Chart,
            Kind::Value,
            Kind::Gauge,
            Kind::Chart,
            Kind::Switch,
        ] {
            d.set_kind(tag);
            let (built, found) = d.build();
            assert_eq!(Kind::of(&built.kind), tag);
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
        d.chart.series.clear();
        d.set_kind(Kind::Chart);
        assert_eq!(d.chart.series.len(), 1);
        assert_eq!(d.chart.series[0].binding.topic, "a/b");
    }

    #[test]
    fn unreadable_numbers_are_problems_not_zeroes() {
        let mut w = new_widget_stub("gauge", "g".into());
        set_topic(&mut w, "t");
        let mut d = WidgetDraft::new(&w);
        d.gauge.min = "abc".into();
        d.gauge.max = "21,5".into();
        d.gauge.binding.scale = "".into();
        d.gauge.add_band();
        d.gauge.bands[0].from = "x".into();
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
        d.switch.command_topic = "casa/+/luz".into();
        d.switch.confirm_timeout = "100".into();
        d.title = " ".into();
        let (_, found) = d.build();
        let fields: Vec<_> = found.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["title", "command_topic", "confirm_timeout_ms"]);
        d.switch.confirm_timeout = "5.5".into();
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
        d.chart.add_series();
        d.chart.add_series();
        let second = d.chart.series[1].key;
        let third = d.chart.series[2].key;
        assert_eq!(d.chart.series_path(third), "series[2]");
        d.chart.series.retain(|s| s.key != second);
        assert_eq!(d.chart.series_path(third), "series[1]");
        let (_, found) = d.build();
        assert!(found.iter().any(|p| p.field == "series[1].binding.topic"));
        assert_ne!(d.chart.series[0].color, d.chart.series[1].color);
    }

    #[test]
    fn every_problem_of_a_bad_widget_has_its_input() {
        let mut d = WidgetDraft::new(&new_widget_stub("gauge", "g".into()));
        d.gauge.binding.json_path = "temp".into();
        d.gauge.min = "10".into();
        d.gauge.max = "5".into();
        d.gauge.decimals = "9".into();
        d.gauge.add_band();
        d.gauge.bands[0].color = "red".into();
        d.gauge.unit = "x".repeat(20);
        let (_, found) = d.build();
        assert!(found.len() >= 5, "{found:?}");
        for p in &found {
            assert!(has_input(Kind::Gauge, &p.field), "{}", p.field);
        }
        d.set_kind(Kind::Chart);
        d.chart.series[0].color = "nope".into();
        d.chart.max_points = "1".into();
        d.chart.window_secs = 10;
        let (_, found) = d.build();
        for p in &found {
            assert!(has_input(Kind::Chart, &p.field), "{}", p.field);
        }
        assert!(!has_input(Kind::Chart, "id"));
    }

    #[test]
    fn the_bad_id_is_listed_apart() {
        let mut w = new_widget_stub("value", "bad id!".into());
        set_topic(&mut w, "t");
        let (_, found) = WidgetDraft::new(&w).build();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].field, "id");
        assert!(!has_input(Kind::Value, "id"));
    }

    #[test]
    fn optional_fields_read_empty_as_none() {
        let mut w = new_widget_stub("value", "v".into());
        set_topic(&mut w, "t");
        let mut d = WidgetDraft::new(&w);
        d.value.decimals = "2".into();
        d.value.binding.json_path = "  ".into();
        let (built, found) = d.build();
        assert_eq!(found, vec![]);
        match built.kind {
            WidgetKind::Value(v) => {
                assert_eq!(v.decimals, Some(2));
                assert_eq!(v.binding.json_path, None);
            }
            k => panic!("{k:?}"),
        }
        d.set_kind(Kind::Switch);
        d.switch.state_topic = "casa/luz/estado".into();
        d.switch.json_path = "$.state".into();
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
