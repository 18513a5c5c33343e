//! The chart series kept across reloads, in IndexedDB: one object store whose records are a
//! flat `Float64Array` of `t, v` pairs under a string key (`keep` says what a key is and what
//! a record may hold). Deliberately thin, because it is in the first load: no serde, no
//! promises, one handler per request the app waits for.
//!
//! IndexedDB may be missing or refused (a private window, a blocked site, a foreign database
//! of the same name): then nothing is called back and charts live in memory only, as they
//! did before; a failed write is dropped the same way. Nothing here can end up as a notice.

use js_sys::{Array, Float64Array};
use wasm_bindgen::{JsCast, JsValue, closure::Closure};
use web_sys::{IdbDatabase, IdbObjectStore, IdbRequest, IdbTransactionMode};

const DB_NAME: &str = "tablero";
const DB_VERSION: u32 = 1;
const STORE: &str = "series";

/// The open database.
pub struct SeriesDb(IdbDatabase);

/// A record as read: its key and its values, `None` when it is not a `Float64Array` of at
/// most `max_values` values (someone else's, or broken).
pub type Record = (String, Option<Vec<f64>>);

/// Opens the database (made on first use) and reads every record, then calls `loaded`
/// with both. Never called when IndexedDB is unavailable or refuses.
pub fn open(max_values: usize, loaded: impl FnOnce(SeriesDb, Vec<Record>) + 'static) {
    let Some(request) = web_sys::window()
        .and_then(|w| w.indexed_db().ok().flatten())
        .and_then(|f| f.open_with_u32(DB_NAME, DB_VERSION).ok())
    else {
        return;
    };
    let upgrade = {
        let request = request.clone();
        handler(move || {
            if let Some(db) = database(&request) {
                let _ = db.create_object_store(STORE);
            }
        })
    };
    request.set_onupgradeneeded(Some(&upgrade));
    let opened = {
        let request = request.clone();
        let mut loaded = Some(loaded);
        handler(move || {
            if let (Some(db), Some(loaded)) = (database(&request), loaded.take()) {
                read_all(SeriesDb(db), max_values, loaded);
            }
        })
    };
    request.set_onsuccess(Some(&opened));
}

/// An event handler for a request, owned by the browser's garbage collector from here on
/// (it goes with its request). Its type is the one the page's socket handlers already use,
/// so no new glue is generated for it.
fn handler(mut run: impl FnMut() + 'static) -> js_sys::Function {
    Closure::<dyn FnMut(web_sys::Event)>::new(move |_| run())
        .into_js_value()
        .unchecked_into()
}

fn database(request: &IdbRequest) -> Option<IdbDatabase> {
    request.result().ok()?.dyn_into().ok()
}

/// Keys and values in one transaction: both lists come in key order, so they pair up; the
/// values' answer comes last, and one handler reads both.
fn read_all(db: SeriesDb, max_values: usize, loaded: impl FnOnce(SeriesDb, Vec<Record>) + 'static) {
    let Some(store) = db.store(IdbTransactionMode::Readonly) else {
        return;
    };
    let (Ok(keys), Ok(values)) = (store.get_all_keys(), store.get_all()) else {
        return;
    };
    let mut once = Some((db, loaded));
    let done = {
        let values = values.clone();
        handler(move || {
            let (Some(keys), Some(values), Some((db, loaded))) =
                (array(&keys), array(&values), once.take())
            else {
                return;
            };
            let mut records = Vec::new();
            for (k, v) in keys.iter().zip(values.iter()) {
                let Some(key) = k.as_string() else { continue };
                let values = v
                    .dyn_into::<Float64Array>()
                    .ok()
                    .filter(|a| a.length() as usize <= max_values)
                    .map(|a| a.to_vec());
                records.push((key, values));
            }
            loaded(db, records);
        })
    };
    values.set_onsuccess(Some(&done));
}

fn array(request: &IdbRequest) -> Option<Array> {
    request.result().ok()?.dyn_into().ok()
}

impl SeriesDb {
    fn store(&self, mode: IdbTransactionMode) -> Option<IdbObjectStore> {
        self.0
            .transaction_with_str_and_mode(STORE, mode)
            .ok()?
            .object_store(STORE)
            .ok()
    }

    /// Writes `puts` and deletes `deletes` in one transaction, without waiting for it. It is
    /// committed at once rather than when the page next idles: this is called as the page
    /// turns hidden, and a page being left may never idle again.
    pub fn write(&self, puts: &[(String, Vec<f64>)], deletes: &[String]) {
        let Some(store) = self.store(IdbTransactionMode::Readwrite) else {
            return;
        };
        for (key, values) in puts {
            let _ = store.put_with_key(&Float64Array::from(&values[..]), &JsValue::from_str(key));
        }
        for key in deletes {
            let _ = store.delete(&JsValue::from_str(key));
        }
        // Marked deprecated by web-sys' bindings only; a browser without it throws, which
        // is caught here, and the transaction commits as usual.
        #[allow(deprecated)]
        let _ = store.transaction().commit();
    }
}
