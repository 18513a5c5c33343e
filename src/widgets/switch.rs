//! The switch widget: a large toggle over [`SwitchState`]. It publishes through a callback
//! and learns the device's state from the state-topic samples it is given.

use std::time::Duration;

use leptos::prelude::*;

use super::switch_state::{SwitchState, SwitchStatus};
use super::{Sample, describe_error, fill};
use crate::config::SwitchConfig;
use crate::i18n::{Lang, Text, t};

/// The page's wall clock. The switch stamps presses with it and arms its own timer, so a
/// pending command times out on time however slowly the caller's `now_ms` ticks.
fn wall_clock_ms() -> f64 {
    js_sys::Date::now()
}

#[component]
pub fn SwitchWidget(
    #[prop(into)] id: String,
    #[prop(into)] title: String,
    config: SwitchConfig,
    /// The latest message on the state topic, read through the switch's JSON path (its
    /// `text` is matched against `state_on`/`state_off`). Always `None` without a state topic.
    #[prop(into)]
    state: Signal<Option<Sample>>,
    /// The page's clock (ms since the epoch); each tick also re-checks the pending timeout.
    #[prop(into)]
    now_ms: Signal<f64>,
    /// Called with the payload to publish on `config.command_topic` (with `config.qos` and
    /// `config.retain`).
    on_command: Callback<String>,
    #[prop(into)] lang: Signal<Lang>,
) -> impl IntoView {
    let machine = RwSignal::new(SwitchState::new(&config));

    // Each new state message goes through the state machine once.
    Effect::new(move |_| {
        state.with(|s| {
            if let Some(s) = s {
                machine.update(|m| match &s.text {
                    Ok(text) => m.observe(text, s.at_ms),
                    Err(_) => m.observe_unreadable(),
                });
            }
        })
    });
    // The caller's clock: time out a pending command (never early: it lags the wall clock).
    Effect::new(move |_| {
        let now = now_ms.get();
        let due = machine.with_untracked(|m| m.deadline_ms().is_some_and(|d| now >= d));
        if due {
            machine.update(|m| m.tick(now));
        }
    });

    let press = move |_| {
        let now = wall_clock_ms();
        let Some(payload) = machine.try_update(|m| m.press(now)).flatten() else {
            return;
        };
        on_command.run(payload);
        if let Some(deadline) = machine.with_untracked(SwitchState::deadline_ms) {
            // Whole ms, a little late rather than early.
            let wait = Duration::from_millis((deadline - now).max(0.0) as u64 + 20);
            set_timeout(
                move || {
                    // The widget may be gone by now: then there is nothing to update.
                    machine.try_update(|m| m.tick(wall_clock_ms()));
                },
                wait,
            );
        }
    };

    let view_state = Memo::new(move |_| {
        machine.with(|m| (m.status(), m.is_on(), m.unknown_text().map(str::to_owned)))
    });
    let status_key = move || match view_state.with(|v| v.0.clone()) {
        SwitchStatus::Unknown => "unknown",
        SwitchStatus::On => "on",
        SwitchStatus::Off => "off",
        SwitchStatus::Pending { .. } => "pending",
        SwitchStatus::NoAnswer { .. } => "no-answer",
    };
    let checked = move || {
        if view_state.with(|v| v.1 == Some(true)) {
            "true"
        } else {
            "false"
        }
    };
    let pending = move || view_state.with(|v| matches!(v.0, SwitchStatus::Pending { .. }));
    let target = move || match view_state.with(|v| v.0.clone()) {
        SwitchStatus::Pending { target, .. } => Some(if target { "on" } else { "off" }),
        _ => None,
    };
    let label = move || {
        let lang = lang.get();
        let (status, on, unknown) = view_state.get();
        match (status, on) {
            (SwitchStatus::Pending { target: true, .. }, _) => {
                t(lang, Text::SwitchTurningOn).to_owned()
            }
            (SwitchStatus::Pending { target: false, .. }, _) => {
                t(lang, Text::SwitchTurningOff).to_owned()
            }
            (_, Some(true)) => t(lang, Text::SwitchOn).to_owned(),
            (_, Some(false)) => t(lang, Text::SwitchOff).to_owned(),
            (_, None) => match unknown {
                Some(text) => fill(t(lang, Text::SwitchUnknownWith), &text),
                None => t(lang, Text::SwitchUnknown).to_owned(),
            },
        }
    };
    let message = move || {
        let lang = lang.get();
        if view_state.with(|v| matches!(v.0, SwitchStatus::NoAnswer { .. })) {
            return Some(
                view! {
                    <p class="widget-error switch-no-answer" role="alert">
                        {t(lang, Text::SwitchNoAnswer)}
                    </p>
                }
                .into_any(),
            );
        }
        state.with(|s| {
            s.as_ref().and_then(|s| s.text.as_ref().err()).map(|err| {
                view! { <p class="widget-error" role="status">{describe_error(lang, err)}</p> }
                    .into_any()
            })
        })
    };
    let aria_label = title.clone();

    view! {
        <article class="widget widget-switch" data-widget-id=id data-status=status_key>
            <h3 class="widget-title">{title}</h3>
            <button
                type="button"
                class="switch-toggle"
                role="switch"
                aria-label=aria_label
                aria-checked=checked
                aria-busy=move || pending().then_some("true")
                data-target=target
                on:click=press
            >
                <span class="switch-track" aria-hidden="true">
                    <span class="switch-thumb"></span>
                </span>
                <span class="switch-label">{label}</span>
            </button>
            {message}
        </article>
    }
}
