//! The LED (indicator): a topic's state as a light, in its "on" or "off" colour, with the
//! state in words beside it. Its payload is read through a JSON path when it has one
//! (`$.POWER` for Tasmota's `{"POWER":"ON"}`, `$.state` for Zigbee2MQTT's).

use leptos::prelude::*;
use web_sys::Element;

use super::binding::{BindingAt, BindingDraft, binding_fields, empty_binding};
use super::card::{Attr, CardBuild, Content, Frame, Inputs, Slot, child, keep_painted};
use super::icon_view::{IconView, icon_field};
use super::value_map::{lookup, map_fields};
use super::{Kind, Listen, Sample, WidgetCtx, WidgetDraft};
use crate::components::form::*;
use crate::config::{Binding, LedConfig, ValueMap};
use crate::describe::worded;
use crate::format::fill;
use crate::i18n::{CardText, EdText, Lang, tcard};
use crate::live::Feed;
use crate::payload::{QUOTED_CHARS, excerpt};
use crate::reading::ReadingError;

pub fn stub() -> LedConfig {
    LedConfig {
        binding: empty_binding(),
        state_on: "on".into(),
        state_off: "off".into(),
        on_color: "#16a34a".into(),
        off_color: "#94a3b8".into(),
        icon: String::new(),
        map: Vec::new(),
    }
}

pub fn listens(c: &LedConfig) -> Vec<Listen> {
    vec![Listen {
        binding: c.binding.clone(),
        series: 0,
    }]
}

/// What the light shows.
#[derive(Debug, Clone, PartialEq)]
enum Lit {
    On,
    Off,
    /// Another state the map names: its row.
    Mapped(ValueMap),
    /// Nothing readable yet, or a payload that is neither state (kept to show it).
    Unknown(Option<String>),
}

/// The light after `sample`: a readable payload decides it; an unreadable one (not JSON,
/// nothing at the path) leaves it as it was, and its problem is said under it.
fn lit(prev: Lit, sample: Option<&Sample>, on: &str, off: &str, map: &[ValueMap]) -> Lit {
    match sample.map(|s| &s.text) {
        None => Lit::Unknown(None),
        Some(Ok(text)) if text == on => Lit::On,
        Some(Ok(text)) if text == off => Lit::Off,
        Some(Ok(text)) => match lookup(map, text) {
            Some(row) => Lit::Mapped(row.clone()),
            None => Lit::Unknown(Some(text.clone())),
        },
        Some(Err(_)) => prev,
    }
}

pub fn view(id: String, title: String, config: LedConfig, feed: &Feed, cx: WidgetCtx) -> CardBuild {
    let sample = feed.sample_signal();
    let inputs = Inputs::new(&cx);
    let LedConfig {
        state_on,
        state_off,
        on_color,
        off_color,
        icon,
        map,
        ..
    } = config;
    let light = Memo::new(move |prev: Option<&Lit>| {
        let prev = prev.cloned().unwrap_or(Lit::Unknown(None));
        sample.with(|s| lit(prev, s.as_ref(), &state_on, &state_off, &map))
    });
    Box::new(move |root: &Element| {
        let card = LedCard::new(root, &id, &title, &icon);
        keep_painted(card, move |card| {
            let (lang, offline) = (inputs.lang(), inputs.offline());
            light.with(|light| {
                sample.with(|s| {
                    let unreadable = s.as_ref().and_then(|s| s.text.as_ref().err());
                    card.paint(light, &on_color, &off_color, unreadable, lang, offline);
                })
            });
        });
    })
}

/// The LED's inputs as typed.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub binding: BindingDraft,
    pub state_on: String,
    pub state_off: String,
    pub on_color: String,
    pub off_color: String,
}

/// Its own fields (the binding's and the map's are shared groups).
pub const FIELDS: &[&str] = &["state_on", "state_off", "on_color", "off_color", "icon"];

impl Draft {
    pub fn new(c: &LedConfig) -> Self {
        Self {
            binding: BindingDraft::new(&c.binding),
            state_on: c.state_on.clone(),
            state_off: c.state_off.clone(),
            on_color: c.on_color.clone(),
            off_color: c.off_color.clone(),
        }
    }

    pub fn build(&self, icon: &str, map: Vec<ValueMap>, p: &mut Parser) -> LedConfig {
        let Binding {
            topic,
            json_path,
            qos,
            ..
        } = self.binding.build("binding", p);
        LedConfig {
            // A state is matched as text: scale and offset do not apply.
            binding: Binding {
                topic,
                json_path,
                qos,
                ..empty_binding()
            },
            state_on: self.state_on.clone(),
            state_off: self.state_off.clone(),
            on_color: self.on_color.clone(),
            off_color: self.off_color.clone(),
            icon: icon.to_owned(),
            map,
        }
    }
}

pub fn editor(ctx: FormCtx, draft: RwSignal<WidgetDraft>) -> AnyView {
    let at = BindingAt {
        path: fixed("binding"),
        draft,
        key: 0,
        get: |d, _| Some(&d.led.binding),
        get_mut: |d, _| Some(&mut d.led.binding),
    };
    view! {
        {binding_fields(ctx, at, true)}
        <div class="pair">
            <TextField ctx field=fixed("state_on") label=EdText::EdStateOn
                bind=bind(draft, |d| &d.led.state_on, |d| &mut d.led.state_on) />
            <TextField ctx field=fixed("state_off") label=EdText::EdStateOff
                bind=bind(draft, |d| &d.led.state_off, |d| &mut d.led.state_off) />
        </div>
        <div class="pair">
            <TextField ctx field=fixed("on_color") label=EdText::EdOnColor kind=InputKind::Color
                bind=bind(draft, |d| &d.led.on_color, |d| &mut d.led.on_color) />
            <TextField ctx field=fixed("off_color") label=EdText::EdOffColor kind=InputKind::Color
                bind=bind(draft, |d| &d.led.off_color, |d| &mut d.led.off_color) />
        </div>
        {map_fields(ctx, draft)}
        {icon_field(ctx, draft)}
    }
    .into_any()
}

/// The LED's DOM: the light (a circle in the state's colour) and the state in words beside
/// it, and a line under them about an unreadable payload.
struct LedCard {
    frame: Frame,
    /// The round light, or the icon in its place.
    lamp_style: Option<Attr>,
    icon: Option<IconView>,
    label: Content,
    message: Slot,
}

impl LedCard {
    fn new(root: &Element, id: &str, title: &str, icon: &str) -> Self {
        let frame = Frame::new(root, Kind::Led, id, title);
        let row = child(root, "div", "led-row");
        let icon = IconView::new(&row, icon);
        let lamp_style = icon.is_none().then(|| {
            let lamp = child(&row, "span", "led-lamp");
            let _ = lamp.set_attribute("aria-hidden", "true");
            Attr::new(&lamp, "style")
        });
        let label = Content::of(&child(&row, "span", "led-label"), "");
        let message = Slot::new(root, "p", "widget-error");
        let _ = message.el.set_attribute("role", "status");
        Self {
            frame,
            lamp_style,
            icon,
            label,
            message,
        }
    }

    fn paint(
        &mut self,
        light: &Lit,
        on_color: &str,
        off_color: &str,
        unreadable: Option<&ReadingError>,
        lang: Lang,
        offline: bool,
    ) {
        self.frame.classes("", offline);
        self.frame.state(match light {
            Lit::On => "on",
            Lit::Off => "off",
            Lit::Mapped(_) => "mapped",
            Lit::Unknown(_) => "unknown",
        });
        // Both colours were validated as `#rgb`/`#rrggbb` (`config::validate`): nothing else
        // reaches the style attribute.
        let color = match light {
            Lit::On => Some(on_color),
            Lit::Off => Some(off_color),
            Lit::Mapped(row) => (!row.color.is_empty()).then_some(row.color.as_str()),
            Lit::Unknown(_) => None,
        };
        if let Some(lamp) = &mut self.lamp_style {
            lamp.set(color.map(|c| format!("background-color:{c}")).as_deref());
        }
        if let Some(icon) = &mut self.icon {
            icon.show(matches!(light, Lit::On | Lit::Mapped(_)));
            icon.color(color);
        }
        let label = match light {
            Lit::On => tcard(lang, CardText::StateOn).to_owned(),
            Lit::Off => tcard(lang, CardText::StateOff).to_owned(),
            Lit::Mapped(row) if row.label.is_empty() => excerpt(&row.when, QUOTED_CHARS),
            Lit::Mapped(row) => row.label.clone(),
            Lit::Unknown(Some(text)) => fill(
                tcard(lang, CardText::StateUnknownWith),
                &[&excerpt(text, QUOTED_CHARS)],
            ),
            Lit::Unknown(None) => tcard(lang, CardText::StateUnknown).to_owned(),
        };
        self.label.set(&label);
        let problem = unreadable.map(|err| worded(lang, |w| (w.reading_error)(err, lang)));
        self.message.text(problem.as_deref());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(text: Result<&str, ReadingError>) -> Sample {
        Sample {
            value: Err(ReadingError::NotANumber(String::new())),
            text: text.map(str::to_owned),
            at_ms: 0.0,
            retained: false,
        }
    }

    #[test]
    fn a_readable_payload_decides_and_an_unreadable_one_keeps_the_light() {
        let map = [ValueMap {
            when: "ALARM".into(),
            label: "Alarma".into(),
            color: "#dc2626".into(),
        }];
        let read = |prev, s: Option<Sample>| lit(prev, s.as_ref(), "ON", "OFF", &map);
        assert_eq!(read(Lit::Off, None), Lit::Unknown(None));
        assert_eq!(read(Lit::Off, Some(sample(Ok("ON")))), Lit::On);
        assert_eq!(read(Lit::On, Some(sample(Ok("OFF")))), Lit::Off);
        assert_eq!(
            read(Lit::On, Some(sample(Ok("on")))),
            Lit::Unknown(Some("on".into())),
            "states are matched exactly"
        );
        assert_eq!(
            read(Lit::On, Some(sample(Err(ReadingError::NotJson)))),
            Lit::On,
            "an unreadable payload leaves the light as it was"
        );
        assert_eq!(
            read(Lit::On, Some(sample(Ok("ALARM")))),
            Lit::Mapped(map[0].clone()),
            "a state the map names"
        );
    }
}
