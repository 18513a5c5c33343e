//! What every kind that reads a number shares: its [`Binding`] (topic, JSON path, scale,
//! offset, QoS) as typed in the editor, and the fields that edit it.

use leptos::prelude::*;

use super::WidgetDraft;
use crate::components::form::*;
use crate::config::{Binding, Qos};
use crate::format::shortest;
use crate::i18n::EdText;

pub fn empty_binding() -> Binding {
    Binding {
        topic: String::new(),
        json_path: None,
        scale: 1.0,
        offset: 0.0,
        qos: Qos::AtMostOnce,
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
            scale: shortest(b.scale),
            offset: shortest(b.offset),
            qos: b.qos,
        }
    }

    /// The binding, with reading problems named under `at` (`binding`, `series[1].binding`).
    pub fn build(&self, at: &str, p: &mut Parser) -> Binding {
        Binding {
            topic: self.topic.clone(),
            json_path: optional(&self.json_path),
            scale: p.number(&format!("{at}.scale"), &self.scale, 1.0),
            offset: p.number(&format!("{at}.offset"), &self.offset, 0.0),
            qos: self.qos,
        }
    }
}

/// Empty or blank text means "none".
pub fn optional(text: &str) -> Option<String> {
    (!text.trim().is_empty()).then(|| text.trim().to_owned())
}

/// Which binding of the draft the fields edit: accessors, so one set of fields serves the
/// gauge's, the value's and each chart series' binding.
#[derive(Clone, Copy)]
pub struct BindingAt {
    pub path: FieldName,
    pub draft: RwSignal<WidgetDraft>,
    pub key: u32,
    pub get: fn(&WidgetDraft, u32) -> Option<&BindingDraft>,
    pub get_mut: fn(&mut WidgetDraft, u32) -> Option<&mut BindingDraft>,
}

impl BindingAt {
    fn leaf(self, name: &'static str) -> FieldName {
        let path = self.path;
        Signal::derive(move || format!("{}.{name}", path.get()))
    }

    fn text(
        self,
        get: fn(&BindingDraft) -> &String,
        set: fn(&mut BindingDraft) -> &mut String,
    ) -> Bind {
        let Self {
            draft,
            key,
            get: at,
            get_mut: at_mut,
            ..
        } = self;
        Bind {
            value: Signal::derive(move || {
                draft.with(|d| at(d, key).map(|b| get(b).clone()).unwrap_or_default())
            }),
            set: Callback::new(move |v| {
                draft.update(|d| {
                    if let Some(b) = at_mut(d, key) {
                        *set(b) = v;
                    }
                })
            }),
        }
    }
}

/// The field paths [`binding_fields`] has inputs for (with `full`).
pub const BINDING_FIELDS: &[&str] = &[
    "binding.topic",
    "binding.json_path",
    "binding.scale",
    "binding.offset",
    "binding.qos",
];

/// Topic, JSON path and scale; with `full`, also offset and QoS.
pub fn binding_fields(ctx: FormCtx, at: BindingAt, full: bool) -> impl IntoView {
    let extra = full.then(|| {
        let BindingAt {
            draft,
            key,
            get,
            get_mut,
            ..
        } = at;
        let qos = Signal::derive(move || {
            draft.with(|d| get(d, key).map(|b| b.qos).unwrap_or(Qos::AtMostOnce))
        });
        let set_qos = Callback::new(move |q| {
            draft.update(|d| {
                if let Some(b) = get_mut(d, key) {
                    b.qos = q;
                }
            })
        });
        view! {
            <TextField ctx field=at.leaf("offset") label=EdText::EdOffset kind=InputKind::Decimal
                bind=at.text(|b| &b.offset, |b| &mut b.offset) />
            <p class="hint">{ctx.t(EdText::EdTransformHint)}</p>
            <QosField ctx field="binding.qos" value=qos set=set_qos />
        }
    });
    view! {
        <TextField ctx field=at.leaf("topic") label=EdText::Topic hint=EdText::EdTopicHint
            kind=InputKind::Topic bind=at.text(|b| &b.topic, |b| &mut b.topic) />
        <TextField ctx field=at.leaf("json_path") label=EdText::EdJsonPath hint=EdText::EdJsonPathHint
            bind=at.text(|b| &b.json_path, |b| &mut b.json_path) />
        <div class="pair">
            <TextField ctx field=at.leaf("scale") label=EdText::EdScale kind=InputKind::Decimal
                bind=at.text(|b| &b.scale, |b| &mut b.scale) />
            {extra}
        </div>
    }
}

/// The unit field, shared by the kinds that show a number.
pub fn unit_field(ctx: FormCtx, bind: Bind) -> impl IntoView {
    view! { <TextField ctx field=fixed("unit") label=EdText::EdUnit bind /> }
}
