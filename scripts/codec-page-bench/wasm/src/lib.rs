//! Links the codec's `js` feature (its `#[wasm_bindgen]` exports) into a cdylib.
pub use mqtt_codec_wasm::js::*;
