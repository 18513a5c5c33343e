//! The few facts the app asks of the page itself, each in one place: the URL (its query, its
//! share fragment, its address and host), https, the network, randomness, a yes/no question,
//! the document's language.

/// `?name=value` from the page URL.
pub fn query_param(name: &str) -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    web_sys::UrlSearchParams::new_with_str(&search)
        .ok()?
        .get(name)
        .filter(|v| !v.is_empty())
}

/// Whether the page is served over https, where the browser allows only `wss://`.
pub fn page_is_https() -> bool {
    #[cfg(target_arch = "wasm32")]
    {
        web_sys::window()
            .and_then(|w| w.location().protocol().ok())
            .is_some_and(|p| p == "https:")
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        false
    }
}

/// A uniform number in `[0, 1)`: `Math.random` in the page; natively (tests never get
/// here) a fixed value.
pub fn random() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        js_sys::Math::random()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        0.5
    }
}

/// Asks the browser's yes/no question; `false` when it cannot ask.
pub fn confirm(question: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.confirm_with_message(question).ok())
        .unwrap_or(false)
}

/// `<html lang>` follows the language shown, so screen readers, hyphenation and the
/// browser's translation offer read the page right.
pub fn set_document_lang(tag: &str) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("lang", tag);
    }
}

/// The page's fragment when it is a share link (`#share=...`).
pub fn share_fragment() -> Option<String> {
    let hash = web_sys::window()?.location().hash().ok()?;
    hash.starts_with(crate::share::FRAGMENT_PREFIX)
        .then_some(hash)
}

/// The page's own address, without query or fragment: what a share link starts with.
pub fn page_address() -> String {
    web_sys::window()
        .and_then(|w| {
            let l = w.location();
            Some(format!("{}{}", l.origin().ok()?, l.pathname().ok()?))
        })
        .unwrap_or_default()
}

/// The link leaves the address bar once read, so a reload does not ask again.
pub fn forget_fragment() {
    if let Some(w) = web_sys::window() {
        let l = w.location();
        let url = format!(
            "{}{}",
            l.pathname().unwrap_or_default(),
            l.search().unwrap_or_default()
        );
        if let Ok(h) = w.history() {
            let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
        }
    }
}

/// `navigator.onLine`: false means surely no network (true may still mean none that works).
pub fn device_online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

/// Puts `text` on the clipboard; resolves to whether the browser took it (it may refuse
/// without a user gesture or permission).
pub async fn copy_text(text: &str) -> bool {
    let Some(w) = web_sys::window() else {
        return false;
    };
    let promise = w.navigator().clipboard().write_text(text);
    wasm_bindgen_futures::JsFuture::from(promise).await.is_ok()
}

/// The page's host name (`location.hostname`): for the connection doctor, whether the page
/// itself is on this device or the local network.
pub fn page_host() -> String {
    web_sys::window()
        .and_then(|w| w.location().hostname().ok())
        .unwrap_or_default()
}
