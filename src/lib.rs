//! Tablero: an MQTT dashboard that runs in the browser.
//!
//! The walking skeleton: one connection, one subscription, the last payload shown as text.
//! See ARCHITECTURE.md for the layers this grows into.
#![forbid(unsafe_code)]

pub mod app;
pub mod config;
pub mod i18n;
pub mod mqtt;
pub mod payload;
pub mod reading;

pub use app::App;
