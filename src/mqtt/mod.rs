//! MQTT for the app: a small client state machine over the codec, and the browser WebSocket
//! that carries its bytes. The state machine is pure (bytes in, bytes and events out) so it is
//! tested natively; only `browser` touches `web_sys`.
//!
//! This is the walking skeleton's client: connect, subscribe to one filter, acknowledge what
//! arrives. The full session (reconnect, offline queue, QoS state across reconnects) replaces it.

pub mod browser;
pub mod client;

pub use client::{ClientEvent, ClientOptions, SkeletonClient};
