//! An icon in a card (the switch's, the button's, the LED's): an inline SVG of two paths
//! from `icons`, rewritten only when its form changes; and the editor's field that picks it.

use leptos::prelude::*;
use web_sys::Element;

use super::WidgetDraft;
use super::card::{Attr, svg_child};
use super::icons::{NAMES, form};
use crate::components::form::*;
use crate::i18n::EdText;

/// The icon's SVG in a card.
pub struct IconView {
    name: &'static str,
    class: Attr,
    style: Attr,
    stroke: Attr,
    fill: Attr,
}

impl IconView {
    /// Appends the icon `name` to `parent`; none for no icon (or a name no icon has: the
    /// configuration's rules refuse one).
    pub fn new(parent: &Element, name: &str) -> Option<Self> {
        let name = *NAMES.iter().find(|n| **n == name)?;
        let svg = svg_child(
            parent,
            "svg",
            &[
                ("viewBox", "0 0 24 24"),
                ("aria-hidden", "true"),
                ("focusable", "false"),
            ],
        );
        let stroke = svg_child(&svg, "path", &[("class", "icon-stroke")]);
        let fill = svg_child(&svg, "path", &[("class", "icon-fill")]);
        Some(Self {
            name,
            class: Attr::new(&svg, "class"),
            style: Attr::new(&svg, "style"),
            stroke: Attr::new(&stroke, "d"),
            fill: Attr::new(&fill, "d"),
        })
    }

    /// Draws the on or off form (`icon icon-fan on`: a fan spins while on, in CSS).
    pub fn show(&mut self, on: bool) {
        if let Some(f) = form(self.name, on) {
            self.stroke.set(Some(f.stroke));
            self.fill.set(Some(f.fill));
        }
        let class = format!("icon icon-{} {}", self.name, if on { "on" } else { "off" });
        self.class.set(Some(&class));
    }

    /// Its colour (a validated `#rgb`/`#rrggbb`), or the card's text colour.
    pub fn color(&mut self, color: Option<&str>) {
        self.style
            .set(color.map(|c| format!("color:{c}")).as_deref());
    }
}

/// Each icon's name in the editor's words.
const LABELS: [EdText; 15] = [
    EdText::EdIconBulb,
    EdText::EdIconFan,
    EdText::EdIconLock,
    EdText::EdIconPlug,
    EdText::EdIconMotor,
    EdText::EdIconThermometer,
    EdText::EdIconAc,
    EdText::EdIconDoor,
    EdText::EdIconCamera,
    EdText::EdIconPerson,
    EdText::EdIconBattery,
    EdText::EdIconBluetooth,
    EdText::EdIconCar,
    EdText::EdIconKey,
    EdText::EdIconPower,
];

/// The icon select, for the draft's `icon` (shared by the switch, the button and the LED, so
/// changing between them keeps it).
pub fn icon_field(ctx: FormCtx, draft: RwSignal<WidgetDraft>) -> impl IntoView {
    let mut options = vec![(String::new(), OptionLabel::T(EdText::EdIconNone))];
    options.extend(
        NAMES
            .iter()
            .zip(LABELS)
            .map(|(name, label)| ((*name).to_owned(), OptionLabel::T(label))),
    );
    view! {
        <SelectField ctx field="icon" label=EdText::EdIcon options
            value=Signal::derive(move || draft.with(|d| d.icon.clone()))
            set=Callback::new(move |icon| draft.update(|d| d.icon = icon)) />
    }
}
