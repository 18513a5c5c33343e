//! Tablero: an MQTT dashboard that runs in the browser.
//!
//! See ARCHITECTURE.md for the layers, the entry points and the invariants.
#![forbid(unsafe_code)]

pub mod app;
pub mod browser;
pub mod components;
pub mod config;
pub mod demo_device;
pub mod describe;
pub mod doctor;
pub mod firmware;
pub mod format;
pub mod i18n;
pub mod insight;
pub mod json;
pub mod keep;
pub mod live;
pub mod mqtt;
pub mod pages;
pub mod payload;
pub mod reading;
pub mod retained;
pub mod runtime;
pub mod share;
pub mod state;
pub mod storage;
pub mod template;
pub mod widgets;
