//! The only module that touches browser storage (and IndexedDB, for chart series: `idb`).
//! The configuration is kept in localStorage as the current schema's JSON; it is read
//! through `config::parse` (migration + validation) and written only from a validated
//! `Config`.
//!
//! A stored configuration that no longer parses is never overwritten silently: it is copied
//! to a backup key first and the user is told, so nothing they built is lost to a bug.

use crate::config::{Config, ConfigError, DemoRun, parse, to_json};

pub mod idb;

const CONFIG_KEY: &str = "tablero.config";
const BACKUP_KEY: &str = "tablero.config.unreadable";
const LANG_KEY: &str = "tablero.lang";

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Why the browser would not keep or hand out the configuration; worded by the view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StorageError {
    Unavailable,
    /// Quota exceeded, or storage blocked by the browser's settings.
    Full,
    /// The export file (a blob and a download link) could not be made.
    DownloadFailed,
}

/// What was found at start-up.
pub enum Loaded {
    Nothing,
    Config(Config),
    /// The stored text did not parse; it has been copied to a backup key.
    Unreadable(ConfigError),
}

pub fn load_config() -> Loaded {
    let Some(storage) = local_storage() else {
        return Loaded::Nothing;
    };
    match storage.get_item(CONFIG_KEY).ok().flatten() {
        None => Loaded::Nothing,
        Some(text) => match parse(&text) {
            Ok(config) => Loaded::Config(config),
            Err(err) => {
                let _ = storage.set_item(BACKUP_KEY, &text);
                Loaded::Unreadable(err)
            }
        },
    }
}

/// Writes the configuration, without passwords the user did not ask to remember.
pub fn save_config(config: &Config) -> Result<(), StorageError> {
    let storage = local_storage().ok_or(StorageError::Unavailable)?;
    storage
        .set_item(
            CONFIG_KEY,
            &to_json(&without_unremembered_passwords(config)),
        )
        .map_err(|_| StorageError::Full)
}

/// A copy fit to leave the tab's memory: passwords only where "remember" is ticked.
pub fn without_unremembered_passwords(config: &Config) -> Config {
    let mut out = config.clone();
    for c in &mut out.connections {
        if !c.remember_password {
            c.password = None;
        }
    }
    out
}

/// Brokers (by URL) where "auto" found only 3.1.1, newest last: later visits start there
/// instead of paying for a refused 5.0 CONNECT every time. Kept apart from the
/// configuration, which the user owns and which is never changed behind their back.
const OLDER_VERSION_KEY: &str = "tablero.mqtt311";
const OLDER_VERSION_MAX: usize = 32;

pub fn speaks_only_311(url: &str) -> bool {
    local_storage()
        .and_then(|s| s.get_item(OLDER_VERSION_KEY).ok().flatten())
        .is_some_and(|list| list.lines().any(|l| l == url))
}

pub fn remember_311_only(url: &str, only: bool) {
    let Some(s) = local_storage() else { return };
    let list = s
        .get_item(OLDER_VERSION_KEY)
        .ok()
        .flatten()
        .unwrap_or_default();
    let mut urls: Vec<&str> = list.lines().filter(|l| *l != url).collect();
    if only {
        urls.push(url);
    }
    let keep = urls.len().saturating_sub(OLDER_VERSION_MAX);
    let _ = s.set_item(OLDER_VERSION_KEY, &urls[keep..].join("\n"));
}

/// The in-page demo device's run ([`DemoRun`]), while it runs.
const DEMO_KEY: &str = "tablero.demo-device";

pub fn load_demo() -> Option<DemoRun> {
    DemoRun::from_text(&local_storage()?.get_item(DEMO_KEY).ok().flatten()?)
}

pub fn save_demo(run: Option<&DemoRun>) {
    let Some(s) = local_storage() else { return };
    let _ = match run {
        Some(run) => s.set_item(DEMO_KEY, &run.to_text()),
        None => s.remove_item(DEMO_KEY),
    };
}

/// The broker view's publish panel's last messages (its own JSON; a broken value is no
/// history, read by the panel).
const PUBLISH_HISTORY_KEY: &str = "tablero.publish-history";

pub fn load_publish_history() -> Option<String> {
    local_storage()?
        .get_item(PUBLISH_HISTORY_KEY)
        .ok()
        .flatten()
}

/// Storage full or blocked leaves the visit's history as it is.
pub fn save_publish_history(text: &str) {
    if let Some(s) = local_storage() {
        let _ = s.set_item(PUBLISH_HISTORY_KEY, text);
    }
}

pub fn load_lang() -> Option<String> {
    local_storage()?.get_item(LANG_KEY).ok().flatten()
}

pub fn save_lang(tag: &str) {
    if let Some(s) = local_storage() {
        let _ = s.set_item(LANG_KEY, tag);
    }
}

/// What an exported file holds: the configuration with no password at all, remembered or
/// not (the editor promises it; a file travels further than this browser's storage).
pub fn for_export(config: &Config) -> Config {
    let mut out = config.clone();
    for c in &mut out.connections {
        c.password = None;
    }
    out
}

/// Offers the configuration as a file download (`tablero-config.json`).
pub fn export_file(config: &Config) -> Result<(), StorageError> {
    download(
        "tablero-config.json",
        "application/json",
        &to_json(&for_export(config)),
    )
}

/// Offers `text` as a file download named `name`, through a blob and a link.
pub fn download(name: &str, mime: &str, text: &str) -> Result<(), StorageError> {
    use wasm_bindgen::JsCast;
    let parts = js_sys::Array::of1(&text.into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| StorageError::DownloadFailed)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)
        .map_err(|_| StorageError::DownloadFailed)?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or(StorageError::DownloadFailed)?;
    let anchor: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(|_| StorageError::DownloadFailed)?
        .dyn_into()
        .map_err(|_| StorageError::DownloadFailed)?;
    anchor.set_href(&url);
    anchor.set_download(name);
    anchor.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// Reads a user-chosen file and parses it; the caller applies it only on success.
pub async fn import_file(file: web_sys::File) -> Result<Config, ConfigError> {
    if file.size() > crate::config::MAX_CONFIG_BYTES as f64 {
        return Err(ConfigError::TooLarge {
            bytes: file.size() as usize,
            max: crate::config::MAX_CONFIG_BYTES,
        });
    }
    let text = wasm_bindgen_futures::JsFuture::from(file.text())
        .await
        .ok()
        .and_then(|v| v.as_string())
        .ok_or(ConfigError::Unreadable)?;
    parse(&text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::demo_config;

    fn with_passwords() -> Config {
        let mut config = demo_config(
            "c".into(),
            "localhost".into(),
            9001,
            "/".into(),
            crate::i18n::Lang::En,
        );
        let mut kept = config.connections[0].clone();
        kept.id = "kept".into();
        kept.password = Some("remembered-secret".into());
        kept.remember_password = true;
        let mut not_kept = config.connections[0].clone();
        not_kept.id = "not-kept".into();
        not_kept.password = Some("session-secret".into());
        not_kept.remember_password = false;
        config.connections = vec![kept, not_kept];
        config
    }

    #[test]
    fn storage_keeps_only_remembered_passwords() {
        let stored = to_json(&without_unremembered_passwords(&with_passwords()));
        assert!(stored.contains("remembered-secret"));
        assert!(!stored.contains("session-secret"));
    }

    #[test]
    fn an_export_holds_no_password_at_all() {
        let exported = to_json(&for_export(&with_passwords()));
        assert!(!exported.contains("remembered-secret"), "{exported}");
        assert!(!exported.contains("session-secret"), "{exported}");
    }
}
