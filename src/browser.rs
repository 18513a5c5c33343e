//! The few facts the app asks of the page itself, each in one place: the URL, https,
//! randomness, a yes/no question, the document's language.

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
