//! Tablero: an MQTT dashboard that runs in the browser.
//!
//! The walking skeleton: one connection, one subscription, the last payload shown as text.
//! See ARCHITECTURE.md for the layers this grows into.
#![forbid(unsafe_code)]

pub mod app;
pub mod components;
pub mod config;
pub mod i18n;
pub mod live;
pub mod mqtt;
pub mod pages;
pub mod payload;
pub mod reading;
pub mod state;
pub mod storage;
pub mod widgets;

pub use app::App;
