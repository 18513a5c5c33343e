//! How a command widget's messages go out: QoS, the retain flag and the expiry. One draft
//! and one group of editor fields that every command widget shares (the switch and the
//! button today), so each kind writes only its own fields.

use leptos::prelude::*;

use super::WidgetDraft;
use crate::components::form::*;
use crate::config::{DEFAULT_EXPIRY_SECS, EXPIRY_SECS, Qos};
use crate::i18n::EdText;

/// QoS, retain and expiry as typed.
#[derive(Debug, Clone, PartialEq)]
pub struct Delivery {
    pub qos: Qos,
    pub retain: bool,
    pub expiry: String,
}

impl Delivery {
    pub fn new(qos: Qos, retain: bool, expiry_secs: u32) -> Self {
        Self {
            qos,
            retain,
            expiry: expiry_secs.to_string(),
        }
    }

    /// The expiry in seconds (`expiry_secs`), or its problem.
    pub fn expiry_secs(&self, p: &mut Parser) -> u32 {
        p.whole(
            "expiry_secs",
            &self.expiry,
            DEFAULT_EXPIRY_SECS,
            EXPIRY_SECS,
        )
    }
}

/// QoS, retain (with its warning while it is on) and expiry, for the kind's [`Delivery`]
/// that `get` and `get_mut` reach in the draft. Their field paths are `qos`, `retain` and
/// `expiry_secs`, which the kind's `FIELDS` lists.
pub fn delivery_fields(
    ctx: FormCtx,
    draft: RwSignal<WidgetDraft>,
    get: fn(&WidgetDraft) -> &Delivery,
    get_mut: fn(&mut WidgetDraft) -> &mut Delivery,
) -> impl IntoView {
    let retain = Memo::new(move |_| draft.with(|d| get(d).retain));
    let expiry = Bind {
        value: Signal::derive(move || draft.with(|d| get(d).expiry.clone())),
        set: Callback::new(move |v| draft.update(|d| get_mut(d).expiry = v)),
    };
    view! {
        <QosField ctx field="qos" value=Signal::derive(move || draft.with(|d| get(d).qos))
            set=Callback::new(move |q| draft.update(|d| get_mut(d).qos = q)) />
        <CheckField ctx field="retain" label=EdText::EdRetain checked=Signal::from(retain)
            set=Callback::new(move |v| draft.update(|d| get_mut(d).retain = v)) />
        {move || retain.get().then(|| view! {
            <p class="warning retain-warning" role="alert">{ctx.t(EdText::EdRetainWarning)}</p>
        })}
        <TextField ctx field=fixed("expiry_secs") label=EdText::EdExpiry hint=EdText::EdExpiryHint
            kind=InputKind::Whole bind=expiry />
    }
}
