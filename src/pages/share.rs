//! Share links in the app: the dialog that makes one (the link and its QR code) and the
//! question an opened link asks before it adds anything. Both are split points, shown by the
//! dashboard page's dialog host (`Editing::Share`, `Editing::OpenShare`): the first load only
//! looks at the URL's fragment.

use leptos::prelude::*;
use leptos::wasm_split::SplitLoaderError;

use crate::browser::{forget_fragment, page_address, random};
use crate::components::Modal;
use crate::config::random_client_id;
use crate::format::fill;
use crate::i18n::{EdText, Text, ed_word, ted, word};
use crate::share::{self, MAX_QR_BYTES, Shared};
use crate::state::{Notice, NoticeText, use_app_state};

/// The question an opened link asks (or, for a link that cannot be opened, why: a notice).
#[leptos::wasm_split::wasm_split(share_open, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn share_open(fragment: String, close: Callback<()>) -> Result<AnyView, SplitLoaderError> {
    let state = use_app_state();
    let lang = state.lang;
    forget_fragment();
    let shared = match share::open(&fragment) {
        Ok(s) => s,
        Err(e) => {
            state
                .notice
                .set(Some(Notice::Error(NoticeText::ShareRefused(e))));
            close.run(());
            return Ok(().into_any());
        }
    };
    let Shared {
        dashboard,
        connection,
    } = &shared;
    let (name, count, url) = (
        dashboard.name.clone(),
        dashboard.widgets.len().to_string(),
        connection.url(),
    );
    let titles = dashboard
        .widgets
        .iter()
        .map(|w| view! { <li>{w.title.clone()}</li> })
        .collect_view();
    let add = move |_| {
        let shared = shared.clone();
        let mut added = String::new();
        let result = state.update_config(|c| {
            added = share::add_to(c, shared, random_client_id(random));
        });
        match result {
            Ok(()) => {
                state.active_dashboard.set(added);
                state.notice.set(Some(Notice::Info(NoticeText::ShareAdded)));
            }
            Err(problems) => state
                .notice
                .set(Some(Notice::Error(NoticeText::ChangeRejected(problems)))),
        }
        close.run(());
    };
    Ok(view! {
        <Modal
            label=Signal::derive(move || ted(lang.get(), EdText::ShareOpenTitle).to_owned())
            on_cancel=close
        >
            <div class="editor share-open">
                <h2>{ed_word(lang.into(), EdText::ShareOpenTitle)}</h2>
                <p id="share-summary">
                    {move || fill(ted(lang.get(), EdText::ShareOpenBody), &[&name, &count, &url])}
                </p>
                <ul class="share-widgets">{titles}</ul>
                <div class="actions">
                    <button type="button" id="share-add" on:click=add>
                        {ed_word(lang.into(), EdText::ShareOpenAdd)}
                    </button>
                    <button type="button" id="share-cancel" class="secondary" on:click=move |_| close.run(())>
                        {ed_word(lang.into(), EdText::EdCancel)}
                    </button>
                </div>
            </div>
        </Modal>
    }
    .into_any())
}

/// The QR code's dark modules as one SVG path, a run of dark modules per `h` segment.
fn qr_path(link: &str) -> Option<(usize, String)> {
    use qrcode::{Color, EcLevel, QrCode};
    let code = QrCode::with_error_correction_level(link.as_bytes(), EcLevel::L).ok()?;
    let width = code.width();
    let colors = code.to_colors();
    let mut d = String::new();
    for (y, row) in colors.chunks(width).enumerate() {
        let mut x = 0;
        while x < width {
            if row[x] == Color::Dark {
                let start = x;
                while x < width && row[x] == Color::Dark {
                    x += 1;
                }
                d.push_str(&format!("M{start} {y}h{}v1h-{}z", x - start, x - start));
            } else {
                x += 1;
            }
        }
    }
    Some((width, d))
}

/// The share dialog of the shown dashboard, opened from edit mode's toolbar.
#[leptos::wasm_split::wasm_split(share_dialog, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn share_dialog(dashboard: String, close: Callback<()>) -> Result<AnyView, SplitLoaderError> {
    let state = use_app_state();
    let lang = state.lang;
    let (fragment, summary) = state.config.with_untracked(|c| {
        let summary = c.dashboards.iter().find(|d| d.id == dashboard).map(|d| {
            let url = c
                .connections
                .iter()
                .find(|x| x.id == d.connection)
                .map(|x| x.url())
                .unwrap_or_default();
            (d.name.clone(), d.widgets.len().to_string(), url)
        });
        (share::link_fragment(c, &dashboard), summary)
    });
    let link = fragment
        .map(|f| format!("{}{f}", page_address()))
        .unwrap_or_default();
    let (name, count, url) = summary.unwrap_or_default();
    let qr = (link.len() <= MAX_QR_BYTES)
        .then(|| qr_path(&link))
        .flatten()
        .map(|(width, d)| {
            // A quiet zone of four modules on every side, as scanners expect.
            let side = width + 8;
            view! {
                <svg
                    id="share-qr"
                    class="share-qr"
                    role="img"
                    aria-label=ed_word(lang.into(), EdText::ShareQrLabel)
                    viewBox=format!("-4 -4 {side} {side}")
                    data-modules=width
                >
                    <rect x="-4" y="-4" width=side height=side fill="#fff"></rect>
                    <path d=d fill="#000"></path>
                </svg>
                <p class="hint">{ed_word(lang.into(), EdText::ShareScan)}</p>
            }
            .into_any()
        })
        .unwrap_or_else(|| {
            view! { <p class="hint" id="share-no-qr">{ed_word(lang.into(), EdText::ShareTooLongForQr)}</p> }
                .into_any()
        });
    let copied = RwSignal::new(false);
    let copy = {
        let link = link.clone();
        move |_| {
            let link = link.clone();
            leptos::task::spawn_local(async move {
                if crate::browser::copy_text(&link).await {
                    copied.set(true);
                }
            });
        }
    };
    Ok(view! {
        <Modal
            label=Signal::derive(move || ted(lang.get(), EdText::ShareTitle).to_owned())
            on_cancel=close
        >
            <div class="editor share">
                <h2>{ed_word(lang.into(), EdText::ShareTitle)}</h2>
                <p id="share-includes">
                    {move || fill(ted(lang.get(), EdText::ShareIncludes), &[&name, &count, &url])}
                </p>
                <input
                    id="share-link"
                    type="text"
                    readonly
                    prop:value=link
                    on:focus=|ev| {
                        use wasm_bindgen::JsCast;
                        if let Some(input) = ev
                            .target()
                            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                        {
                            input.select();
                        }
                    }
                />
                {qr}
                <div class="actions">
                    <button type="button" id="copy-share-link" on:click=copy>
                        {move || {
                            ted(lang.get(), if copied.get() { EdText::ShareCopied } else { EdText::ShareCopy })
                        }}
                    </button>
                    <button type="button" id="share-close" class="secondary" on:click=move |_| close.run(())>
                        {word(lang.into(), Text::Dismiss)}
                    </button>
                </div>
            </div>
        </Modal>
    }
    .into_any())
}
