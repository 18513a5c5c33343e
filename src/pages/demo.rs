//! The demo bar: while the in-page demo device runs, what it does, whether it is connected,
//! and the two ways out ("Stop demo", "Make it mine"). The bar owns the device, so the
//! device lives exactly as long as the bar is shown. Both are behind a split point: only a
//! first visit over https (or `?device=page`) fetches them.
//!
//! On a public broker that does not answer, the demo moves to the next preset of
//! [`first_visit_presets`] and says so; once connected it stays where it is.

use gloo_timers::callback::Interval;
use leptos::prelude::*;
use leptos::wasm_split::SplitLoaderError;

use crate::config::{DemoRun, first_visit_presets, public_connection};
use crate::demo_device::InPageDevice;
use crate::format::fill;
use crate::i18n::{EdText, ed_word, ted};
use crate::mqtt::link::LinkStatus;
use crate::runtime::use_runtime;
use crate::state::{Notice, NoticeText, use_app_state};

/// How long a public broker has to answer the demo's dashboard before the next is tried.
const FALLBACK_AFTER_MS: u32 = 12_000;

#[leptos::wasm_split::wasm_split(demo_bar, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn demo_bar(run: DemoRun) -> Result<AnyView, SplitLoaderError> {
    let state = use_app_state();
    let runtime = use_runtime();
    let lang = state.lang;
    let DemoRun { dashboard, prefix } = run;
    // The connection of the dashboard the device serves: the device follows it.
    let connection = Memo::new(move |_| {
        state.config.with(|c| {
            let d = c.dashboards.iter().find(|d| d.id == dashboard)?;
            c.connections.iter().find(|x| x.id == d.connection).cloned()
        })
    });
    let device = StoredValue::new_local(None::<InPageDevice>);
    let device_status = RwSignal::new(None::<ArcRwSignal<LinkStatus>>);
    {
        let prefix = prefix.clone();
        Effect::new(move |_| {
            // The old device goes first (its `offline`), then the new one starts.
            device.set_value(None);
            match connection.get() {
                Some(c) => {
                    let d = InPageDevice::start(&c, state.password_for(&c.id), &prefix);
                    device_status.set(Some(d.status()));
                    device.set_value(Some(d));
                }
                // Its dashboard was deleted: nothing left to serve.
                None => state.demo.set(None),
            }
        });
    }

    // Whether the dashboard's own link has connected since its connection last changed.
    let reached = RwSignal::new(false);
    Effect::new(move |_| {
        connection.track();
        reached.set(false);
    });
    Effect::new(move |_| {
        state.links_version.track();
        let id = connection.with(|c| c.as_ref().map(|c| c.id.clone()));
        let status = id.and_then(|id| runtime.with_value(|rt| rt.status(&id)));
        if matches!(status, Some(LinkStatus::Connected { .. })) {
            reached.set(true);
        }
    });
    let fallback = Interval::new(FALLBACK_AFTER_MS, move || {
        if reached.get_untracked() {
            return;
        }
        let Some(c) = connection.get_untracked() else {
            return;
        };
        let Some(current) = c.preset.as_deref() else {
            return;
        };
        let mut order = first_visit_presets().skip_while(|p| p.id != current);
        let Some(next) = order.nth(1) else { return };
        let changed = state.update_config(|config| {
            if let Some(x) = config.connections.iter_mut().find(|x| x.id == c.id) {
                let id = std::mem::take(&mut x.id);
                *x = public_connection(x.client_id.clone(), next);
                x.id = id;
            }
        });
        if changed.is_ok() {
            state
                .notice
                .set(Some(Notice::Info(NoticeText::DemoBrokerSwitched {
                    from: c.host,
                    to: next.host.to_owned(),
                })));
        }
    });
    StoredValue::new_local(fallback);

    let host = move || connection.with(|c| c.as_ref().map(|c| c.host.clone()).unwrap_or_default());
    let status = move || device_status.get().map(|s| s.get());
    let status_key = move || status().map_or("none", |s| s.key());
    let status_text = move || {
        let key = match status() {
            Some(LinkStatus::Connected { .. }) => EdText::DemoDeviceConnected,
            Some(LinkStatus::Connecting) | None => EdText::DemoDeviceConnecting,
            Some(_) => EdText::DemoDeviceOffline,
        };
        fill(ted(lang.get(), key), &[&host()])
    };
    let lead = {
        let prefix = prefix.clone();
        move || fill(ted(lang.get(), EdText::DemoLead), &[&prefix])
    };
    let stop = move |_| state.demo.set(None);
    let open_firmware = super::dashboard::firmware_opener();
    let keep = move |_| {
        state.demo.set(None);
        open_firmware();
        state.notice.set(Some(Notice::Info(NoticeText::DemoKept {
            prefix: prefix.clone(),
        })));
    };
    Ok(view! {
        <section id="demo-bar" class="demo-bar">
            <p class="demo-lead">{lead}</p>
            <p class="demo-device" role="status" data-state=status_key>{status_text}</p>
            <div class="demo-actions">
                <button type="button" id="stop-demo" on:click=stop>
                    {ed_word(lang.into(), EdText::DemoStop)}
                </button>
                <button type="button" id="keep-demo" class="primary" on:click=keep>
                    {ed_word(lang.into(), EdText::DemoKeep)}
                </button>
            </div>
        </section>
    }
    .into_any())
}
