//! "Code for your device": the dashboard's firmware snippets (`crate::firmware`), an Arduino
//! sketch or a MicroPython script, to read and copy. A split point: its words, the
//! generators and this view are fetched the first time it opens.

use leptos::prelude::*;
use leptos::wasm_split::SplitLoaderError;

use crate::components::Modal;
use crate::firmware;
use crate::i18n::{EdText, Text, ed_word, ted, word};
use crate::state::use_app_state;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Board {
    Arduino,
    MicroPython,
}

#[leptos::wasm_split::wasm_split(firmware_dialog, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn firmware_dialog(
    dashboard: String,
    close: Callback<()>,
) -> Result<AnyView, SplitLoaderError> {
    let state = use_app_state();
    let lang = state.lang;
    let found = state.config.with_untracked(|c| {
        let d = c.dashboards.iter().find(|d| d.id == dashboard)?;
        let conn = c.connections.iter().find(|x| x.id == d.connection)?;
        Some((d.clone(), conn.clone()))
    });
    let board = RwSignal::new(Board::Arduino);
    let code = Memo::new(move |_| {
        let lang = lang.get();
        found
            .as_ref()
            .map_or_else(String::new, |(d, c)| match board.get() {
                Board::Arduino => firmware::arduino(d, c, lang),
                Board::MicroPython => firmware::micropython(d, c, lang),
            })
    });
    let copied = RwSignal::new(false);
    let copy = move |_| {
        let text = code.get_untracked();
        leptos::task::spawn_local(async move {
            copied.set(crate::browser::copy_text(&text).await);
        });
    };
    let tab = move |which: Board, id: &'static str, label: EdText| {
        view! {
            <button
                type="button"
                role="tab"
                id=id
                aria-selected=move || if board.get() == which { "true" } else { "false" }
                on:click=move |_| {
                    board.set(which);
                    copied.set(false);
                }
            >
                {ed_word(lang.into(), label)}
            </button>
        }
    };
    Ok(view! {
        <Modal
            label=Signal::derive(move || ted(lang.get(), EdText::FirmwareTitle).to_owned())
            on_cancel=close
        >
            <div class="editor firmware">
                <h2>{ed_word(lang.into(), EdText::FirmwareTitle)}</h2>
                <p class="hint">{ed_word(lang.into(), EdText::FirmwareHint)}</p>
                <div class="firmware-boards" role="tablist">
                    {tab(Board::Arduino, "firmware-arduino", EdText::FirmwareArduino)}
                    {tab(Board::MicroPython, "firmware-micropython", EdText::FirmwareMicroPython)}
                </div>
                <pre id="firmware-code" class="firmware-code" tabindex="0"><code>{move || code.get()}</code></pre>
                <div class="actions">
                    <button type="button" id="copy-firmware" on:click=copy>
                        {move || {
                            ted(lang.get(), if copied.get() { EdText::ShareCopied } else { EdText::FirmwareCopy })
                        }}
                    </button>
                    <button type="button" id="firmware-close" class="secondary" on:click=move |_| close.run(())>
                        {word(lang.into(), Text::Dismiss)}
                    </button>
                </div>
            </div>
        </Modal>
    }
    .into_any())
}
